"""Delimited text files (CSV/TXT 读取) into a grid of text cells."""

from __future__ import annotations

import csv
import io
from itertools import zip_longest
from pathlib import Path

import pandas as pd

from linkage.errors import InputError
from linkage.readers.encoding import decode_bytes
from linkage.readers.layout import Grid, empty_file_error

__all__ = ["read_text_grid"]

_DELIMITERS = (",", "\t", ";", "|")


def _delimiter(text: str, suffix: str) -> str:
    """The most frequent candidate delimiter in the first lines; ties go to the suffix default."""
    head = text[:20000].splitlines()[:20]
    default = "\t" if suffix == ".txt" else ","
    counts = {d: sum(line.count(d) for line in head) for d in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == default))
    return best if counts[best] else default


def read_text_grid(path: Path, *, encoding: str | None) -> tuple[Grid, str]:
    """Read a CSV/TXT file into text cells; return the grid and the encoding used.

    Every cell stays text (``"011000"`` keeps its zeros). Blank lines are kept as empty rows so
    that row ``i`` of the grid is line/record ``i + 1`` of the file, as a spreadsheet shows it.
    """
    raw = path.read_bytes()
    if not raw.strip():
        raise empty_file_error(path)
    text, used = decode_bytes(raw, file=path, encoding=encoding)
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, path.suffix))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InputError(
            f"CSV 格式错误：{exc} / malformed CSV",
            file=path,
            row=reader.line_num,
            hint="检查该行的引号是否成对，或在 Excel 中打开后重新另存为 CSV",
        ) from exc
    columns = list(zip_longest(*records, fillvalue=None))
    cells = pd.DataFrame(dict(enumerate(columns)), index=range(len(records)), dtype=object)
    return Grid(cells=cells, text_only=True), used
