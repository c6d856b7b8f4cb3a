"""Delimited text files (CSV/TXT 读取) into a grid of text cells."""

from __future__ import annotations

import csv
import io
from itertools import zip_longest
from pathlib import Path

import numpy as np
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


#: Ragged rows named in the message (the rest are counted).
MAX_LISTED_ROWS = 5


def _refuse_nul(text: str, path: Path) -> None:
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise InputError(
            "文件含 NUL 字符（\\x00）/ the file contains NUL bytes", file=path, row=line,
            hint="文件可能是 UTF-16 编码、二进制文件或已损坏：请在 Excel/WPS 中另存为 CSV UTF-8")


def _refuse_ragged(records: list[list[str]], path: Path) -> None:
    """Rows with more fields than the table is wide (a stray comma, an unquoted value)."""
    lengths = np.fromiter((len(r) for r in records), dtype=np.int64, count=len(records))
    filled = lengths[lengths > 1]
    if not len(filled):
        return
    width = int(np.bincount(filled).argmax())  # the commonest width is the table's
    long = np.flatnonzero(lengths > width)
    if not len(long):
        return
    rows = "、".join(str(r + 1) for r in long[:MAX_LISTED_ROWS])
    more = f" 等 {len(long)} 行" if len(long) > MAX_LISTED_ROWS else ""
    others = f"（共 {len(long)} 行如此：第 {rows} 行{more}）" if len(long) > 1 else ""
    raise InputError(
        f"该行有 {lengths[long[0]]} 个字段，多于表格的 {width} 列{others} / "
        "more fields than the header", file=path, row=int(long[0]) + 1,
        hint="检查这些行是否多了分隔符（逗号），或含逗号的值没有加双引号")


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
    _refuse_nul(text, path)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InputError(
            f"CSV 格式错误：{exc} / malformed CSV",
            file=path,
            row=reader.line_num,
            hint="检查该行的引号是否成对，或在 Excel 中打开后重新另存为 CSV",
        ) from exc
    _refuse_ragged(records, path)
    columns = list(zip_longest(*records, fillvalue=None))
    cells = pd.DataFrame(dict(enumerate(columns)), index=range(len(records)), dtype=object)
    return Grid(cells=cells, text_only=True), used
