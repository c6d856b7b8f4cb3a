"""Table layout (表格版式识别): title rows, multi-row headers, merged cells, notes rows.

A statistical-yearbook sheet is a grid of cells: a title (表 3-12 …) and perhaps a unit line
(单位：元) above the table, a header block of one or more rows whose parent cells are merged
across their children, data rows whose row labels may be merged downwards, and notes
(注：…, 资料来源：…) below. :func:`table_from_grid` turns such a grid into a DataFrame whose
index is the row number the user sees in the file.

Header detection, when the header rows are not given:

1. leading blank rows and title rows are skipped. A title row has a single text cell, in the
   table's first column (not the top of a vertically merged header cell), or a unit line
   (单位… / 计量单位…) anywhere;
2. the header block starts at the next row and ends before the first row that looks like data:
   a row with a number, a numeric-looking text or a missing marker ("—"), except a row of
   increasing years (2019, 2020, 2021), which is a heading. A row holding only a text in the
   first column (a group label such as 东部地区) also ends the header. If no data row follows
   within six rows, the header is the first row alone. Plain text files (CSV) always take a
   single header row unless ``header_rows`` is given;
3. with a column mapping, every block of 1-4 rows starting in the first 30 rows is tried and
   the one whose headings match most mapping keys wins (ties keep the rule above).

Merged ranges are filled with their top-left value, so a parent heading spans its children and
a merged row label repeats down. Header cells are joined top to bottom with "/", skipping
repeats (``农村居民/人均可支配收入(元)``). Below the header, blank rows, notes rows (first cell
starts with 注, 资料来源, 数据来源, 说明, 备注, Note, Source) and trailing rows holding a single
text after the last data row are dropped and listed in ``attrs["dropped_rows"]``.

A table holds one block: a row below the header that starts a stacked block (a 续表 title, or
a row without numbers repeating the first heading) is an error pointing to
:func:`linkage.readers.read_yearbook`, never data read under the first block's headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.readers.cells import clean_column, column_letter, heading_text
from linkage.readers.mapping import count_matches

__all__ = [
    "CONTINUED",
    "NOTE",
    "UNIT",
    "Cells",
    "Grid",
    "classify_cells",
    "empty_file_error",
    "fill_merged",
    "grid_from_cells",
    "table_from_grid",
    "year_rows",
]

NOTE = re.compile(r"^(注|资料来源|数据来源|说明|备注|附注|notes?\b|sources?\b)", re.IGNORECASE)
UNIT = re.compile(r"^(计量)?单位")
#: A continuation title: 续表, 续表1, 表 7-3（续）.
CONTINUED = re.compile(r"续表|[（(]\s*续\s*[)）]")
_MAX_HEADER = 6
_SEARCH_ROWS = 30
_SEARCH_DEPTH = 4

#: Largest grid built cell by cell; a sparser sheet is compressed (see :func:`grid_from_cells`).
MAX_DENSE_CELLS = 4_000_000


@dataclass(frozen=True)
class Grid:
    """Cells of one sheet or text file before layout detection.

    ``cells`` is an object DataFrame with 0-based positional index and columns (row ``i`` is
    spreadsheet row ``i + 1``), ``None``/NaN for empty cells; ``merged`` lists merged ranges as
    0-based inclusive ``(first_row, last_row, first_col, last_col)``; ``text_only`` is True for
    CSV, whose cells are all text. ``row_numbers`` (1-based) and ``column_numbers`` (0-based)
    give each grid row's and column's place in the sheet when the grid was compressed
    (default: row ``i`` is row ``i + 1``, column ``j`` is column ``j``).
    """

    cells: pd.DataFrame
    merged: tuple[tuple[int, int, int, int], ...] = ()
    text_only: bool = False
    row_numbers: np.ndarray | None = None
    column_numbers: np.ndarray | None = None

    def rows(self) -> np.ndarray:
        """1-based sheet row number of each grid row."""
        if self.row_numbers is None:
            return np.arange(1, len(self.cells) + 1)
        return self.row_numbers

    def columns(self) -> np.ndarray:
        """0-based sheet column index of each grid column."""
        if self.column_numbers is None:
            return np.arange(self.cells.shape[1])
        return self.column_numbers


def _objects(values: list[object]) -> np.ndarray:
    """A 1-d object array of cell values (never a nested array)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def grid_from_cells(rows: np.ndarray, cols: np.ndarray, values: list[object], *,
                    merged: tuple[tuple[int, int, int, int], ...] = ()) -> Grid:
    """A grid from the cells that hold a value (0-based row and column of each).

    The grid spans the cells holding data (and merged ranges), not the sheet's stated
    dimension. When that span exceeds :data:`MAX_DENSE_CELLS` (a stray value far away, e.g.
    at XFD1048576), it is compressed: only rows and columns holding data or merged-range
    edges are kept, each run of empty rows becomes one empty row, and the grid remembers the
    sheet's row and column numbers so that messages still name the right cells. Memory is then
    bounded by the number of cells that hold data.
    """
    if not len(values):
        return Grid(cells=pd.DataFrame())
    edges_r = [v for m in merged for v in (m[0], m[1])]
    edges_c = [v for m in merged for v in (m[2], m[3])]
    n_rows = int(max(rows.max(), *edges_r, 0)) + 1
    n_cols = int(max(cols.max(), *edges_c, 0)) + 1
    if n_rows * n_cols <= MAX_DENSE_CELLS:
        dense = np.full((n_rows, n_cols), None, dtype=object)
        dense[rows, cols] = _objects(values)
        return Grid(cells=pd.DataFrame(dense), merged=merged)
    used_rows = np.unique(np.concatenate([rows, np.asarray(edges_r, dtype=np.int64)]))
    gaps = used_rows[:-1][np.diff(used_rows) > 1] + 1  # one empty row stands for each gap
    keep_rows = np.unique(np.concatenate([[0] if used_rows[0] > 0 else [], used_rows, gaps]
                                         ).astype(np.int64))
    keep_cols = np.unique(np.concatenate([cols, np.asarray(edges_c, dtype=np.int64)]))
    r_pos = np.searchsorted(keep_rows, rows)
    c_pos = np.searchsorted(keep_cols, cols)
    dense = np.full((len(keep_rows), len(keep_cols)), None, dtype=object)
    dense[r_pos, c_pos] = _objects(values)
    mapped = tuple(
        (int(np.searchsorted(keep_rows, r0)), int(np.searchsorted(keep_rows, r1)),
         int(np.searchsorted(keep_cols, c0)), int(np.searchsorted(keep_cols, c1)))
        for r0, r1, c0, c1 in merged
    )
    return Grid(cells=pd.DataFrame(dense), merged=mapped, row_numbers=keep_rows + 1,
                column_numbers=keep_cols)


def empty_file_error(file: Path) -> InputError:
    """The error for a file without data rows."""
    return InputError(
        "文件为空/没有数据行 / the file is empty or has no data rows",
        file=file,
        hint="检查是否选错了文件或工作表（sheet=）",
    )


@dataclass(frozen=True)
class Cells:
    """Per-cell masks of the unfilled grid, shape (rows, columns) (:func:`classify_cells`)."""

    values: np.ndarray  # cleaned values, missing markers replaced by NaN
    present: np.ndarray  # anything written in the cell, missing markers included
    text: np.ndarray  # a text that is neither numeric-looking nor a missing marker
    marker: np.ndarray  # a missing marker such as "—"
    number: np.ndarray  # numeric value (number or numeric-looking text), NaN elsewhere


def classify_cells(cells: pd.DataFrame, na_values: frozenset[str]) -> Cells:
    """Clean every cell and tell text, numbers (also numeric-looking text) and missing markers
    apart."""
    cleaned, markers, texts, numbers = {}, {}, {}, {}
    for col in cells.columns:
        values, marker = clean_column(cells[col], na_values)
        try:
            is_str = values.str.len().notna()
        except AttributeError:
            is_str = pd.Series(False, index=values.index)
        number = pd.to_numeric(values, errors="coerce")
        cleaned[col], markers[col] = values, marker
        texts[col] = is_str & number.isna()
        numbers[col] = number
    values = pd.DataFrame(cleaned, dtype=object).to_numpy()
    marker = pd.DataFrame(markers).to_numpy(bool)
    present = pd.notna(values) | marker
    return Cells(
        values=values,
        present=present,
        text=pd.DataFrame(texts).to_numpy(bool),
        marker=marker,
        number=pd.DataFrame(numbers).to_numpy(float),
    )


def year_rows(c: Cells) -> np.ndarray:
    """Rows whose only non-text cells are increasing years (a year heading row)."""
    valued = c.present & ~c.text
    years = np.where(valued, c.number, np.nan)
    is_year = (years >= 1900) & (years <= 2100) & (years == np.round(years))
    prev = np.fmax.accumulate(years, axis=1)
    prev = np.concatenate([np.full((len(years), 1), np.nan), prev[:, :-1]], axis=1)
    increasing = np.isnan(years) | np.isnan(prev) | (years > prev)
    return (
        (valued <= is_year).all(axis=1)
        & (valued.sum(axis=1) >= 2)
        & increasing.all(axis=1)
        & ~c.marker.any(axis=1)
    )


def fill_merged(values: np.ndarray, merged: tuple[tuple[int, int, int, int], ...]) -> np.ndarray:
    """A copy of ``values`` with every merged range filled with its top-left value."""
    filled = values.copy()
    for r0, r1, c0, c1 in merged:
        filled[r0 : r1 + 1, c0 : c1 + 1] = values[r0, c0]
    return filled


def _headings(filled: np.ndarray, rows: list[int], letters: np.ndarray | None = None
              ) -> list[str]:
    letters = np.arange(filled.shape[1]) if letters is None else letters
    return [
        heading_text(filled[rows, j]) or f"列{column_letter(int(letters[j]))}"
        for j in range(filled.shape[1])
    ]


def _unique(names: list[str]) -> list[str]:
    """Make repeated headings unique the pandas way: x, x.1, x.2."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        k = seen.get(name, 0)
        out.append(name if k == 0 else f"{name}.{k}")
        seen[name] = k + 1
    return out


def _explicit_header(header_rows: tuple[int, ...], sheet_rows: np.ndarray, file: Path
                     ) -> list[int]:
    rows = list(header_rows)
    last = int(sheet_rows[-1])
    positions = np.searchsorted(sheet_rows, rows)
    if (not rows or rows != sorted(set(rows)) or rows[0] < 1 or rows[-1] > last
            or not np.array_equal(sheet_rows[np.minimum(positions, len(sheet_rows) - 1)], rows)):
        raise InputError(
            f"header_rows={header_rows!r} 无效：应为递增的行号，介于 1 和 {last} 之间 / "
            "invalid header_rows",
            file=file,
            hint="例如 header_rows=(3, 4) 表示表头在第 3、4 行",
        )
    return [int(p) for p in positions]


def _detected_header(c: Cells, text_only: bool, vertical_top: np.ndarray, file: Path) -> list[int]:
    """Header rows (0-based) by the rules in the module docstring."""
    n_present = c.present.sum(axis=1)
    used_cols = np.flatnonzero(c.present.any(axis=0))
    if not len(used_cols):
        raise empty_file_error(file)
    first_col = used_cols[0]
    lead = c.present.argmax(axis=1)
    rows = np.arange(len(n_present))
    lead_text = c.text[rows, lead]
    lead_value = pd.Series(c.values[rows, lead], dtype=object).astype(str)
    single_text = (n_present == 1) & lead_text
    title = (single_text & (len(used_cols) > 1)) & (
        ((lead == first_col) & ~vertical_top[rows, lead])
        | lead_value.str.match(UNIT.pattern).to_numpy(bool)
    )
    candidates = np.flatnonzero((n_present > 0) & ~title)
    if not len(candidates):
        raise empty_file_error(file)
    start = int(candidates[0])
    if text_only:
        return [start]
    data_like = ((c.present & ~c.text).any(axis=1) & ~year_rows(c)) | (
        single_text & (lead == first_col) & ~vertical_top[rows, lead]
    )
    after = np.flatnonzero(data_like[start + 1 :])
    end = start + 1 + int(after[0]) if len(after) else len(n_present)
    if end == len(n_present) or end - start > _MAX_HEADER:
        return [start]
    return [r for r in range(start, end) if n_present[r] > 0]


def _mapping_header(
    filled: np.ndarray, present: np.ndarray, keys: list[str], default: list[int]
) -> list[int]:
    """The header block (among the first rows) whose headings match most mapping keys."""
    best, best_score = default, count_matches(keys, _headings(filled, default))
    non_blank = [r for r in np.flatnonzero(present.any(axis=1)) if r < _SEARCH_ROWS]
    for i in range(len(non_blank)):
        for depth in range(1, _SEARCH_DEPTH + 1):
            rows = non_blank[i : i + depth]
            if len(rows) < depth:
                break
            score = count_matches(keys, _headings(filled, rows))
            if score > best_score:
                best, best_score = rows, score
    return [int(r) for r in best]


def _refuse_stacked(candidates: np.ndarray, c: Cells, filled: np.ndarray, header: list[int],
                    lead: np.ndarray, sheet_rows: np.ndarray, file: Path) -> None:
    """Rows below the header starting another block: a 续表 title or the first heading again."""
    rows = np.flatnonzero(candidates)
    if not len(rows):
        return
    first = int(np.flatnonzero(c.present.any(axis=0))[0])
    lead_text = pd.Series(c.values[rows, lead[rows]], dtype=object).astype(str)
    heading = heading_text(filled[header, first])
    again = pd.Series(filled[rows, first], dtype=object).map(lambda v: heading_text([v]))
    stacked = (lead_text.str.contains(CONTINUED) | (again.eq(heading) & (heading != ""))
               ).to_numpy(bool)
    if stacked.any():
        row = int(sheet_rows[rows[np.flatnonzero(stacked)[0]]])
        raise InputError(
            "从该行起是另一个表块（续表，有自己的表头）：read_table 只读单个表块，"
            "不会把它的数值放到第一个表块的列名下 / a stacked block (续表) starts here",
            file=file, row=row,
            hint="用 linkage yearbook 命令（Python：linkage.readers.read_yearbook）读取叠放"
                 "多个表块的年鉴表格")


def table_from_grid(
    grid: Grid,
    *,
    file: Path,
    header_rows: tuple[int, ...] | None,
    mapping_keys: list[str] | None,
    na_values: frozenset[str],
    trailing_notes: bool = True,
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Turn a sheet's cells into a table indexed by the file's row numbers.

    Parameters
    ----------
    grid : Grid
        The cells as read.
    file : pathlib.Path
        For error messages.
    header_rows : tuple of int, optional
        1-based row numbers of the header block; detected when None.
    mapping_keys : list of str, optional
        Headings the caller will look for; used to choose between candidate header blocks.
    na_values : frozenset of str
        Missing markers.
    trailing_notes : bool, default True
        Drop single-text rows after the last data row as notes; False for a chunk of a file
        read in parts that is not the last (its last rows are not the file's last).
    allow_empty : bool, default False
        Return an empty table instead of raising when no data row is left (a chunk of blank
        rows in a file read in parts).

    Returns
    -------
    pandas.DataFrame
        Index ``row`` (1-based file row), columns named by the joined headings;
        ``attrs["header_rows"]`` and ``attrs["dropped_rows"]`` (list of dicts with ``row``,
        ``kind`` — title / blank / note / skipped — and ``text``).
    """
    if grid.cells.empty:
        raise empty_file_error(file)
    c = classify_cells(grid.cells, na_values)
    n_rows, n_cols = c.values.shape
    vertical_top = np.zeros((n_rows, n_cols), bool)
    for r0, r1, c0, c1 in grid.merged:
        if r1 > r0 and r0 < n_rows and c0 < n_cols:
            vertical_top[r0, c0 : c1 + 1] = True
    filled = fill_merged(c.values, tuple(m for m in grid.merged if m[0] < n_rows))
    sheet_rows, letters = grid.rows(), grid.columns()

    if header_rows is not None:
        header = _explicit_header(header_rows, sheet_rows, file)
    else:
        header = _detected_header(c, grid.text_only, vertical_top, file)
        if mapping_keys:
            header = _mapping_header(filled, c.present, mapping_keys, header)

    n_present = c.present.sum(axis=1)
    lead = c.present.argmax(axis=1)
    rows = np.arange(n_rows)
    lead_text = pd.Series(c.values[rows, lead], dtype=object).astype(str)
    blank = n_present == 0
    valued = (c.present & ~c.text).any(axis=1)
    note = (
        c.text[rows, lead] & ~valued & lead_text.str.match(NOTE.pattern, case=False).to_numpy(bool)
    )
    body = rows > header[-1]
    data_rows = np.flatnonzero(body & valued)
    if len(data_rows) and trailing_notes:
        first_col = np.flatnonzero(c.present.any(axis=0))
        note |= (
            body
            & (rows > data_rows[-1])
            & (n_present == 1)
            & c.text[rows, lead]
            & (lead == first_col[0])
            & (len(first_col) > 1)
        )
    keep = body & ~blank & ~note
    _refuse_stacked(keep & ~valued, c, filled, header, lead, sheet_rows, file)
    if not keep.any() and not allow_empty:
        raise empty_file_error(file)

    kind = np.select([blank, note, rows < header[0]], ["blank", "note", "title"], default="skipped")
    dropped_mask = ~keep & ~np.isin(rows, header)
    dropped_mask &= rows <= np.flatnonzero(~blank).max()  # trailing empty rows are not news
    dropped = pd.DataFrame(
        {
            "row": sheet_rows[rows[dropped_mask]],
            "kind": kind[dropped_mask],
            "text": pd.Series(filled[rows, lead], dtype=object)[dropped_mask]
            .fillna("")
            .astype(str),
        }
    )
    dropped.loc[dropped["kind"].eq("blank"), "text"] = ""

    headings = _headings(filled, header, letters)
    has_heading = np.array([bool(heading_text(filled[header, j])) for j in range(n_cols)])
    columns = np.flatnonzero(has_heading | c.present[keep].any(axis=0))
    frame = pd.DataFrame(
        filled[np.ix_(np.flatnonzero(keep), columns)],
        index=pd.Index(sheet_rows[np.flatnonzero(keep)], name="row"),
        columns=_unique([headings[j] for j in columns]),
        dtype=object,
    )
    frame = frame.astype("str") if grid.text_only else frame.infer_objects()
    frame.attrs["header_rows"] = tuple(int(sheet_rows[r]) for r in header)
    frame.attrs["dropped_rows"] = dropped.to_dict("records")
    return frame
