"""Excel workbooks (Excel 读取): .xlsx/.xlsm streamed with openpyxl, .xls with xlrd.

The file's first bytes decide the reader, not its suffix: many ".xls" files downloaded from
statistics websites are really .xlsx (a zip) or an HTML page. Cell values are kept as Excel
stores them (numbers, text, dates, booleans); formulas give their last computed value.

Both readers collect only the cells that hold a value (streaming the .xlsx sheet XML in
openpyxl's read-only parser), so a stray formatted cell at XFD1048576 costs nothing: the grid is
bounded by the cells that hold data (:func:`linkage.readers.layout.grid_from_cells`). A formula
without a cached value (files written by scripts, never opened in Excel) would read as an empty
cell; such cells are listed in a warning (``attrs["warnings"]`` of
:func:`~linkage.readers.read_table`), never dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.readers.cells import column_letter
from linkage.readers.layout import Grid, grid_from_cells

__all__ = ["read_excel_grid"]

#: Uncached formula cells named in the warning (the rest are counted).
MAX_LISTED_CELLS = 10

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


def _formula_warning(cells: list[tuple[int, int]], sheet: str) -> list[str]:
    if not cells:
        return []
    named = [f"{column_letter(c - 1)}{r}" for r, c in sorted(cells)[:MAX_LISTED_CELLS]]
    more = f" 等 {len(cells)} 个" if len(cells) > MAX_LISTED_CELLS else ""
    return [f"工作表“{sheet}”的单元格 {'、'.join(named)}{more}是公式，但文件中没有计算结果，"
            "已按空白读取：请用 Excel/WPS 打开、重新计算并保存后再导入 / formulas without cached "
            "values were read as blank"]


def _read_xlsx(path: Path, sheet: str | int | None) -> tuple[Grid, str, list[str]]:
    import openpyxl
    from openpyxl.utils import range_boundaries
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):
        """openpyxl's streaming sheet parser, also noting formulas without a cached value."""

        uncached: list[tuple[int, int]]

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                self.uncached.append((cell["row"], cell["column"]))
            return cell

    try:
        with path.open("rb") as fh:  # a file object: openpyxl would refuse a ".xls" name
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                name = _choose_sheet([ws.title for ws in book.worksheets], sheet, path)
                ws = book[name]
                rows, cols, values = [], [], []
                with ws._get_source() as source:
                    parser = _Parser(source, ws._shared_strings, data_only=True,
                                     epoch=book.epoch, date_formats=book._date_formats,
                                     timedelta_formats=book._timedelta_formats)
                    parser.uncached = []
                    for _, row in parser.parse():
                        for cell in row:
                            if cell["value"] is not None:
                                rows.append(cell["row"])
                                cols.append(cell["column"])
                                values.append(cell["value"])
                merged = tuple(
                    (r0 - 1, r1 - 1, c0 - 1, c1 - 1)
                    for c0, r0, c1, r1 in (range_boundaries(m.ref) for m in
                                           getattr(parser.merged_cells, "mergeCell", None) or ())
                )
            finally:
                book.close()
    except InputError:
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    grid = grid_from_cells(np.asarray(rows, dtype=np.int64) - 1,
                           np.asarray(cols, dtype=np.int64) - 1, values, merged=merged)
    return grid, name, _formula_warning(parser.uncached, name)


def _read_xls(path: Path, sheet: str | int | None) -> tuple[Grid, str, list[str]]:
    import xlrd

    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True, ragged_rows=True)
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    try:
        name = _choose_sheet(book.sheet_names(), sheet, path)
        sh = book.sheet_by_name(name)
        rows, cols, values, types = [], [], [], []
        for r in range(sh.nrows):
            row_types = sh.row_types(r)
            keep = [j for j, t in enumerate(row_types)
                    if t not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR)]
            if keep:
                row_values = sh.row_values(r)
                rows += [r] * len(keep)
                cols += keep
                values += [row_values[j] for j in keep]
                types += [row_types[j] for j in keep]
        merged = tuple((r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells)
        datemode = book.datemode
    finally:
        book.release_resources()
    cells = np.array(values, dtype=object)
    kinds = np.array(types, dtype=np.int64)
    boolean = kinds == xlrd.XL_CELL_BOOLEAN
    cells[boolean] = cells[boolean].astype(bool).astype(object)
    dates = kinds == xlrd.XL_CELL_DATE
    if dates.any():
        origin = "1904-01-01" if datemode else "1899-12-30"
        stamps = pd.to_datetime(cells[dates].astype(float), unit="D", origin=origin)
        cells[dates] = np.asarray(stamps.to_pydatetime(), dtype=object)
    grid = grid_from_cells(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                           list(cells), merged=merged)
    return grid, name, []


def read_excel_grid(path: Path, *, sheet: str | int | None) -> tuple[Grid, str, list[str]]:
    """Read one worksheet's cells and merged ranges; return the grid, the sheet name and
    warnings (formulas without cached values)."""
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
