"""Excel workbooks (Excel 读取): .xlsx/.xlsm with openpyxl, .xls with xlrd, into a grid of cells.

The file's first bytes decide the reader, not its suffix: many ".xls" files downloaded from
statistics websites are really .xlsx (a zip) or an HTML page. Cell values are kept as Excel
stores them (numbers, text, dates, booleans); formulas give their last computed value.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.readers.layout import Grid

__all__ = ["read_excel_grid"]

_ZIP = b"PK\x03\x04"
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_RESAVE = "用 Excel 或 WPS 打开该文件，确认内容无误后另存为 .xlsx 再读取"


def _choose_sheet(names: Sequence[str], sheet: str | int | None, file: Path) -> str:
    listing = "、".join(f"{i}: {n}" for i, n in enumerate(names))
    if not names:
        raise InputError("工作簿中没有工作表 / workbook has no worksheets", file=file)
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
    elif isinstance(sheet, str):
        matches = [n for n in names if n.strip() == sheet.strip()]
        if matches:
            return matches[0]
    raise InputError(
        f"找不到工作表 {sheet!r} / sheet not found",
        file=file,
        hint=f"可用的工作表（序号从 0 开始）：{listing}",
    )


def _unreadable(file: Path, exc: Exception) -> InputError:
    return InputError(
        f"无法读取 Excel 文件（可能已损坏或不是 Excel 格式）：{exc} / cannot read Excel file",
        file=file,
        hint=_RESAVE,
    )


def _read_xlsx(path: Path, sheet: str | int | None) -> tuple[Grid, str]:
    import openpyxl

    try:
        with path.open("rb") as fh:  # a file object: openpyxl would refuse a ".xls" name
            book = openpyxl.load_workbook(fh, data_only=True)
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    name = _choose_sheet([ws.title for ws in book.worksheets], sheet, path)
    ws = book[name]
    rows = list(ws.iter_rows(min_row=1, min_col=1, values_only=True))
    merged = tuple(
        (r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1) for r in ws.merged_cells.ranges
    )
    return Grid(cells=pd.DataFrame(rows, dtype=object), merged=merged), name


def _read_xls(path: Path, sheet: str | int | None) -> tuple[Grid, str]:
    import xlrd

    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    try:
        name = _choose_sheet(book.sheet_names(), sheet, path)
        sh = book.sheet_by_name(name)
        values = pd.DataFrame([sh.row_values(r) for r in range(sh.nrows)], dtype=object)
        types = pd.DataFrame([sh.row_types(r) for r in range(sh.nrows)]).fillna(0).to_numpy(int)
        merged = tuple((r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells)
        datemode = book.datemode
    finally:
        book.release_resources()
    cells = values.to_numpy(dtype=object, copy=True)
    boolean = types == xlrd.XL_CELL_BOOLEAN
    cells[boolean] = cells[boolean].astype(bool).astype(object)
    dates = types == xlrd.XL_CELL_DATE
    if dates.any():
        origin = "1904-01-01" if datemode else "1899-12-30"
        stamps = pd.to_datetime(cells[dates].astype(float), unit="D", origin=origin)
        cells[dates] = np.asarray(stamps.to_pydatetime(), dtype=object)
    cells[np.isin(types, [xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR])] = None
    return Grid(cells=pd.DataFrame(cells, dtype=object), merged=merged), name


def read_excel_grid(path: Path, *, sheet: str | int | None) -> tuple[Grid, str]:
    """Read one worksheet's cells and merged ranges; return the grid and the sheet name."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_ZIP):
        return _read_xlsx(path, sheet)
    if head.startswith(_OLE):
        return _read_xls(path, sheet)
    problem = "这不是 Excel 文件"
    if head.lstrip().startswith(b"<"):
        problem += "（看起来是网页/HTML 或 XML 表格）"
    raise InputError(f"{problem} / not an Excel workbook", file=path, hint=_RESAVE)
