"""Delimited text files (CSV/TXT 读取) into a grid of text cells."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.errors import EncodingDetectionError, InputError
from linkage.readers.encoding import decode_bytes
from linkage.readers.layout import Grid, empty_file_error

__all__ = ["grid_of_records", "iter_text_records", "read_text_grid", "table_width"]

_DELIMITERS = (",", "\t", ";", "|")


def _delimiter(text: str, suffix: str) -> str:
    """The most frequent candidate delimiter in the first lines; ties go to the suffix default."""
    head = text[:20000].splitlines()[:20]
    default = "\t" if suffix == ".txt" else ","
    counts = {d: sum(line.count(d) for line in head) for d in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == default))
    return best if counts[best] else default


#: Records in the first batch of a file read in parts, at least (title and header rows).
FIRST_ROWS = 64

#: Ragged rows named in the message (the rest are counted).
MAX_LISTED_ROWS = 5


def _refuse_nul(records: list[list[str]], path: Path, start: int = 0) -> None:
    """NUL characters (a UTF-16 or binary file read as text); rows counted from ``start``."""
    for i, record in enumerate(records):
        if any("\x00" in field for field in record):
            raise InputError(
                "文件含 NUL 字符（\\x00）/ the file contains NUL bytes", file=path,
                row=start + i + 1,
                hint="文件可能是 UTF-16 编码、二进制文件或已损坏："
                     "请在 Excel/WPS 中另存为 CSV UTF-8")


def table_width(records: list[list[str]]) -> int:
    """The commonest number of fields among records with more than one: the table's width."""
    lengths = np.fromiter((len(r) for r in records), dtype=np.int64, count=len(records))
    filled = lengths[lengths > 1]
    return int(np.bincount(filled).argmax()) if len(filled) else int(lengths.max(initial=0))


def _refuse_ragged(records: list[list[str]], path: Path, width: int, start: int = 0) -> None:
    """Rows with more fields than the table is wide (a stray comma, an unquoted value)."""
    lengths = np.fromiter((len(r) for r in records), dtype=np.int64, count=len(records))
    long = np.flatnonzero(lengths > max(width, 1))
    if not len(long):
        return
    rows = "、".join(str(start + r + 1) for r in long[:MAX_LISTED_ROWS])
    more = f" 等 {len(long)} 行" if len(long) > MAX_LISTED_ROWS else ""
    others = f"（共 {len(long)} 行如此：第 {rows} 行{more}）" if len(long) > 1 else ""
    raise InputError(
        f"该行有 {lengths[long[0]]} 个字段，多于表格的 {width} 列{others} / "
        "more fields than the header", file=path, row=start + int(long[0]) + 1,
        hint="检查这些行是否多了分隔符（逗号），或含逗号的值没有加双引号")


def _malformed(exc: csv.Error, path: Path, row: int) -> InputError:
    return InputError(
        f"CSV 格式错误：{exc} / malformed CSV", file=path, row=row,
        hint="检查该行的引号是否成对，或在 Excel 中打开后重新另存为 CSV")


def grid_of_records(records: list[list[str]], *, start: int = 0, width: int | None = None
                    ) -> Grid:
    """Text cells of ``records`` (record ``i`` is file row ``start + i + 1``)."""
    columns = list(zip_longest(*records, fillvalue=None))
    cells = pd.DataFrame(dict(enumerate(columns)), index=range(len(records)), dtype=object)
    if width is not None and cells.shape[1] < width:
        cells = cells.reindex(columns=range(width))
    rows = None if start == 0 else np.arange(start + 1, start + len(records) + 1)
    return Grid(cells=cells, text_only=True, row_numbers=rows)


def read_text_grid(path: Path, *, encoding: str | None) -> tuple[Grid, str]:
    """Read a CSV/TXT file into text cells; return the grid and the encoding used.

    Every cell stays text (``"011000"`` keeps its zeros). Blank lines are kept as empty rows so
    that row ``i`` of the grid is line/record ``i + 1`` of the file, as a spreadsheet shows it.
    Rows with more fields than the table is wide, and NUL characters, are errors naming the row.
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
        raise _malformed(exc, path, reader.line_num) from exc
    _refuse_nul(records, path)
    _refuse_ragged(records, path, table_width(records))
    return grid_of_records(records), used


def iter_text_records(path: Path, *, encoding: str | None, chunk_rows: int
                      ) -> Iterator[tuple[int, list[list[str]], str]]:
    """Records of a CSV/TXT file in batches of ``chunk_rows``: (rows before the batch, batch,
    encoding). The first batch has at least :data:`FIRST_ROWS` records (the title and header
    rows are found there). The file is decoded as it is read; memory is bounded by one batch."""
    from linkage.readers.encoding import detect_encoding

    if path.stat().st_size == 0:
        raise empty_file_error(path)
    used = encoding or detect_encoding(path)
    try:
        codecs.lookup(used)
    except LookupError as exc:
        raise InputError(f"未知的编码名称 {used!r} / unknown encoding", file=path,
                         hint="常用的有 utf-8、utf-8-sig、gb18030、gbk") from exc
    with path.open("r", encoding=used, newline="") as fh:
        head = fh.read(20000)
    start = 0
    try:
        with path.open("r", encoding=used, newline="") as fh:
            reader = csv.reader(fh, delimiter=_delimiter(head, path.suffix))
            batch: list[list[str]] = []
            try:
                for record in reader:
                    if start == 0 and not batch and record:
                        record[0] = record[0].removeprefix("\ufeff")
                    batch.append(record)
                    if len(batch) == (chunk_rows if start else max(chunk_rows, FIRST_ROWS)):
                        yield start, batch, used
                        start += len(batch)
                        batch = []
            except csv.Error as exc:
                raise _malformed(exc, path, reader.line_num) from exc
            if batch or start == 0:
                yield start, batch, used
    except UnicodeDecodeError as exc:
        raise EncodingDetectionError(
            f"按编码 {used} 无法解码（第 {start + 1} 行之后）/ cannot decode as {used}",
            file=path, hint="检查 --encoding 选项（Python：encoding= 参数），"
                            "或不指定让工具自动检测") from exc
