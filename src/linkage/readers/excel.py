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

Encrypted workbooks (加密工作簿): files downloaded from CNKI and statistics websites are often
"read-only protected", i.e. encrypted with Excel's built-in default password
:data:`DEFAULT_PASSWORD` (``VelvetSweatshop``), which Excel applies silently. Such files (.xls
with RC4/CryptoAPI, .xlsx with ECMA-376 encryption) are decrypted in memory with
msoffcrypto-tool; a file protected by any other password needs ``password=`` and is otherwise
refused with an :class:`~linkage.errors.InputError` that says so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.readers.cells import column_letter
from linkage.readers.layout import Grid, grid_from_cells

__all__ = ["DEFAULT_PASSWORD", "read_excel_grid", "read_excel_grids"]

#: Excel's built-in password of "read-only" protected workbooks (CNKI, statistics websites).
DEFAULT_PASSWORD = "VelvetSweatshop"

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


Source = Path | bytes
"""A workbook on disk, or its decrypted bytes."""

Sheets = Sequence[str | int | None] | None
"""Sheets to read: names or 0-based positions (None in the list = the first); None = all."""


def _choose_sheets(names: Sequence[str], sheets: Sheets, file: Path) -> list[str]:
    if sheets is None:
        if not names:
            raise InputError("工作簿中没有工作表 / workbook has no worksheets", file=file)
        return list(names)
    return [_choose_sheet(names, sheet, file) for sheet in sheets]


def _xlsx_sheet(book, name: str) -> tuple[Grid, list[str]]:
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
    grid = grid_from_cells(np.asarray(rows, dtype=np.int64) - 1,
                           np.asarray(cols, dtype=np.int64) - 1, values, merged=merged)
    return grid, _formula_warning(parser.uncached, name)


def _read_xlsx(source: Source, path: Path, sheets: Sheets
               ) -> list[tuple[Grid, str, list[str]]]:
    import openpyxl

    try:
        # a file object: openpyxl would refuse a ".xls" name
        with (io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")) as fh:
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                names = _choose_sheets([ws.title for ws in book.worksheets], sheets, path)
                return [(grid, name, warnings) for name in names
                        for grid, warnings in [_xlsx_sheet(book, name)]]
            finally:
                book.close()
    except InputError:
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from exc


def _xls_sheet(book, name: str) -> Grid:
    import xlrd

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
    cells = np.array(values, dtype=object)
    kinds = np.array(types, dtype=np.int64)
    boolean = kinds == xlrd.XL_CELL_BOOLEAN
    cells[boolean] = cells[boolean].astype(bool).astype(object)
    dates = kinds == xlrd.XL_CELL_DATE
    if dates.any():
        origin = "1904-01-01" if book.datemode else "1899-12-30"
        stamps = pd.to_datetime(cells[dates].astype(float), unit="D", origin=origin)
        cells[dates] = np.asarray(stamps.to_pydatetime(), dtype=object)
    return grid_from_cells(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                           list(cells), merged=merged)


def _read_xls(source: Source, path: Path, sheets: Sheets) -> list[tuple[Grid, str, list[str]]]:
    import xlrd

    try:
        options = {"formatting_info": True, "on_demand": True, "ragged_rows": True}
        book = (xlrd.open_workbook(file_contents=source, **options) if isinstance(source, bytes)
                else xlrd.open_workbook(source, **options))
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    try:
        names = _choose_sheets(book.sheet_names(), sheets, path)
        return [(_xls_sheet(book, name), name, []) for name in names]
    finally:
        book.release_resources()


def _decrypted(path: Path, password: str | None) -> bytes | None:
    """The decrypted bytes of an encrypted workbook (an OLE container); None if not encrypted.

    Tries ``password``, or Excel's default :data:`DEFAULT_PASSWORD` when none is given.
    """
    import msoffcrypto
    from msoffcrypto.exceptions import FileFormatError

    with path.open("rb") as fh:
        try:
            office = msoffcrypto.OfficeFile(fh)
            encrypted = office.is_encrypted()
        except (FileFormatError, OSError, ValueError):  # not an Office container: xlrd says why
            return None
        if not encrypted:
            return None
        out = io.BytesIO()
        try:
            office.load_key(password=password or DEFAULT_PASSWORD)
            office.decrypt(out)
        except Exception as exc:  # msoffcrypto raises several types for a wrong key
            if password is None:
                problem = ("文件有打开密码（不是 Excel 默认的只读保护密码）/ the workbook is "
                           "protected by a password")
                hint = "请用 --password 提供密码（Python：password=），或在 Excel 中去掉密码后另存"
            else:
                problem = "密码不正确，无法解密工作簿 / wrong password"
                hint = "检查 --password（Python：password=）是否与文件的打开密码一致"
            raise InputError(problem, file=path, hint=hint) from exc
    return out.getvalue()


def read_excel_grids(path: Path, *, sheets: Sheets = None, password: str | None = None
                     ) -> list[tuple[Grid, str, list[str]]]:
    """Read worksheets' cells and merged ranges: (grid, sheet name, warnings) per sheet.

    ``sheets`` lists names or 0-based positions (None = every sheet, in workbook order).
    Encrypted workbooks are decrypted in memory (``password`` or Excel's default one).
    """
    with path.open("rb") as fh:
        head = fh.read(8)
    source: Source = path
    if head.startswith(_OLE):
        decrypted = _decrypted(path, password)
        if decrypted is not None:
            source, head = decrypted, decrypted[:8]
    if head.startswith(_ZIP):
        return _read_xlsx(source, path, sheets)
    if head.startswith(_OLE):
        return _read_xls(source, path, sheets)
    problem = "这不是 Excel 文件"
    if head.lstrip().startswith(b"<"):
        problem += "（看起来是网页/HTML 或 XML 表格）"
    raise InputError(f"{problem} / not an Excel workbook", file=path, hint=_RESAVE)


def read_excel_grid(path: Path, *, sheet: str | int | None,
                    password: str | None = None) -> tuple[Grid, str, list[str]]:
    """Read one worksheet's cells and merged ranges; return the grid, the sheet name and
    warnings (formulas without cached values)."""
    return read_excel_grids(path, sheets=[sheet], password=password)[0]
