"""Stacked table blocks (表块切分): titles, 续表, header rows and bodies of one sheet.

Yearbook tables too wide for a page are printed in parts stacked one below the other (or on
the next sheets), each part with its own title line (``续表1``) and its own header: the first
column (地区) repeats, the value columns differ. :func:`split_blocks` finds those parts so that
every value is read under its own block's header, never under the first block's.

Each row of the sheet gets one kind (vectorised, from
:func:`~linkage.readers.layout.classify_cells`):

* **blank**;
* **note**: first cell starting with 注, 资料来源, 数据来源, 说明, 备注 (no numbers);
* **numbering**: a row numbering the columns (``甲, 乙, 1, 2, 3 …``: the integers 1…n, at
  least three, beside nothing but 甲/乙/栏次/序号);
* **title**: a single text, in the table's first column (not the top of a vertically merged
  header cell), or a unit line (``单位：亿元``) with at most one other text, or any single text
  marking a continuation (``续表1``, ``（续）``);
* **data** (yearbook tables): a row with a number or a missing marker (— …), except a row of
  increasing years, which is a heading;
* **header**: the other rows with text (yearbook tables). For section listings
  (``listing=True``), whose rows may hold only text, the first row after a title is the
  header, rows repeating it are headers again, and the rest is data.

A block begins at a run of title rows directly followed by header rows (or at header rows
alone) and holds the data rows that follow until the next block. A title row that is *not*
followed by a header is a group label inside the body (``东部地区``, ``河北省``): it is kept as
the ``group`` of the rows below it. Data rows without a header above them, and a continuation
title (``续表``) followed by data rows without a header of its own, raise an
:class:`~linkage.errors.InputError` naming the sheet and row: a block whose header cannot be
read is never read under another block's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.readers.cells import normalise_heading
from linkage.readers.layout import (
    CONTINUED,
    NOTE,
    UNIT,
    Cells,
    Grid,
    classify_cells,
    fill_merged,
    year_rows,
)

__all__ = ["Block", "SheetBlocks", "split_blocks"]

_UNIT_TEXT = re.compile(r"^(?:计量)?单位\s*[:：]?\s*(.*)$")
_NUMBERING_TEXT = frozenset({"甲", "乙", "丙", "丁", "栏次", "序号", "行次", "A", "B", "C"})


@dataclass(frozen=True, eq=False)
class Block:
    """One table block of a sheet (grid positions are 0-based rows of the sheet's grid).

    ``titles``: texts of the title rows directly above the header (表名, 续表1, a section
    heading); ``unit``: the unit of its unit line (``单位：亿元`` → ``亿元``) or ``""``;
    ``header``: header rows; ``body``: data rows; ``group``: the group label in force for
    each data row (``""`` when none).
    """

    titles: tuple[str, ...]
    unit: str
    header: tuple[int, ...]
    body: np.ndarray
    group: np.ndarray


@dataclass(frozen=True, eq=False)
class SheetBlocks:
    """The blocks of one sheet, with the classified and merge-filled cells they index."""

    sheet: str
    grid: Grid
    cells: Cells
    filled: np.ndarray
    blocks: tuple[Block, ...]
    dropped: tuple[dict[str, object], ...]

    @property
    def where(self) -> str:
        """``工作表“表7-3”`` for messages; ``""`` for a text file."""
        return f"工作表“{self.sheet}”" if self.sheet else ""

    def sheet_row(self, position: int) -> int:
        """1-based row number in the sheet of grid row ``position``."""
        return int(self.grid.rows()[position])


def _where(file: Path, sheet: str) -> str:
    return f"工作表“{sheet}”" if sheet else file.name


def _text_frame(c: Cells) -> pd.DataFrame:
    """Text cells as strings, "" elsewhere."""
    return pd.DataFrame(np.where(c.text, c.values, "")).astype(str)


def _row_kinds(c: Cells, vertical_top: np.ndarray, listing: bool
               ) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Kind of every row (blank/note/title/header/data), unit text per row, lead text."""
    n_rows = c.values.shape[0]
    rows = np.arange(n_rows)
    texts = _text_frame(c)
    unit_cell = texts.apply(lambda col: col.str.match(UNIT.pattern)).to_numpy(bool)
    unit_text = texts.where(unit_cell, "").sum(axis=1).astype(str)  # column by column
    other = c.present & ~unit_cell
    n_other = other.sum(axis=1)
    lead = other.argmax(axis=1)
    used = np.flatnonzero(c.present.any(axis=0))
    first_col = used[0] if len(used) else 0
    lead_text = c.text[rows, lead] & (n_other > 0)
    lead_value = pd.Series(np.where(lead_text, c.values[rows, lead], ""), dtype=object
                           ).astype(str).map(normalise_heading)
    valued = (c.present & ~c.text).any(axis=1) & ~year_rows(c)
    blank = ~c.present.any(axis=1)
    note = lead_text & ~valued & lead_value.str.match(NOTE.pattern, case=False).to_numpy(bool)
    single = (n_other == 1) & lead_text & ~valued
    continued = single & lead_value.str.contains(CONTINUED).to_numpy(bool)
    title = ~blank & ~note & ~valued & (
        (n_other == 0)
        | (single & (lead == first_col) & ~vertical_top[rows, lead])
        | continued
    )
    kind = np.full(n_rows, "header", dtype=object)
    if listing:
        kind[:] = "data"
    else:
        kind[valued] = "data"
    kind[title] = "title"
    kind[note] = "note"
    kind[_numbering(c, texts)] = "numbering"
    kind[blank] = "blank"
    if listing:
        kind = _listing_headers(kind, c)
    unit = unit_text.str.replace(_UNIT_TEXT, r"\1", regex=True).map(normalise_heading)
    label = lead_value.where(n_other > 0, unit_text.map(normalise_heading))
    return kind, unit.to_numpy(dtype=object), label


def _numbering(c: Cells, texts: pd.DataFrame) -> np.ndarray:
    """Rows numbering the columns below a header (甲, 乙, 1, 2, 3 …), not data."""
    numbers = pd.DataFrame(np.where(c.present & ~c.text, c.number, np.nan))
    count = numbers.notna().sum(axis=1)
    consecutive = ((count >= 3) & numbers.min(axis=1).eq(1) & numbers.max(axis=1).eq(count)
                   & numbers.sum(axis=1).eq(count * (count + 1) / 2))
    labels = (texts.isin(_NUMBERING_TEXT) | texts.eq("")).all(axis=1)
    return (consecutive & labels).to_numpy(bool) & ~c.marker.any(axis=1)


def _listing_headers(kind: np.ndarray, c: Cells) -> np.ndarray:
    """In a listing, the first row after a title (or the first row) and its repeats."""
    shown = pd.Series(kind)[kind != "blank"]
    previous = shown.shift(1)
    first = (shown == "data") & (previous.isna() | (previous == "title"))
    signature = _text_frame(c).agg("\x1f".join, axis=1)
    header_text = set(signature[first.index[first]])
    repeated = (shown == "data") & signature[shown.index].isin(header_text)
    out = kind.copy()
    out[shown.index[first | repeated]] = "header"
    return out


def _vertical_tops(grid: Grid, shape: tuple[int, int]) -> np.ndarray:
    tops = np.zeros(shape, bool)
    for r0, r1, c0, c1 in grid.merged:
        if r1 > r0 and r0 < shape[0] and c0 < shape[1]:
            tops[r0, c0 : c1 + 1] = True
    return tops


def split_blocks(grid: Grid, *, file: Path, sheet: str, na_values: frozenset[str],
                 listing: bool = False) -> SheetBlocks:
    """Cut one sheet into table blocks (rules in the module docstring).

    Parameters
    ----------
    grid : Grid
        The sheet's cells as read (:func:`~linkage.readers.excel.read_excel_grids` or
        :func:`~linkage.readers.text.read_text_grid`).
    file : pathlib.Path
        For error messages.
    sheet : str
        Sheet name for error messages (``""`` for a text file).
    na_values : frozenset of str
        Missing markers.
    listing : bool, default False
        Rows may hold only text (a list of names laid out by section).

    Returns
    -------
    SheetBlocks
        Blocks in sheet order (none for an empty sheet); ``dropped`` lists title, note,
        numbering and group rows (``{"sheet", "row", "kind", "text"}``).

    Raises
    ------
    InputError
        Data rows without a header above them, or a continuation title (续表) followed by data
        rows without its own header: the message names the sheet and the row.
    """
    if grid.cells.empty:
        return SheetBlocks(sheet, grid, classify_cells(pd.DataFrame(), na_values),
                           np.empty((0, 0), dtype=object), (), ())
    c = classify_cells(grid.cells, na_values)
    shape = c.values.shape
    filled = fill_merged(c.values, tuple(m for m in grid.merged if m[0] < shape[0]))
    kind, unit, lead = _row_kinds(c, _vertical_tops(grid, shape), listing)
    sheet_rows = grid.rows()

    shown = pd.Series(kind)[kind != "blank"]  # the rows that are not blank, in order
    after = shown.where(shown != "title").bfill()  # kind of the next row that is no title
    block_title = (shown == "title") & (after == "header")
    opens = (block_title | (shown == "header"))
    begins = opens & ~opens.shift(1, fill_value=False)
    block_id = begins.cumsum()

    def error(position: int, problem: str) -> InputError:
        return InputError(
            f"{_where(file, sheet)}第 {sheet_rows[position]} 行：{problem}",
            file=file, row=int(sheet_rows[position]),
            hint="检查该表块的表头是否完整（合并单元格、表头行是否被删除），"
                 "或把该表块单独存为一个工作表",
        )

    orphan = (shown == "data") & (block_id == 0)
    if orphan.any():
        raise error(int(orphan.index[orphan][0]),
                    "数据行上方找不到可识别的表头 / data rows without a readable header")
    continued_no_header = ((shown == "title") & (after == "data")
                           & lead[shown.index].str.contains(CONTINUED))
    if continued_no_header.any():
        raise error(int(continued_no_header.index[continued_no_header][0]),
                    "续表的表头无法识别，不能把它的数值放到前一表块的列名下 / the header of a "
                    "continued block cannot be read")

    group_row = (shown == "title") & ~block_title & (after == "data") & (block_id > 0)
    groups = lead[shown.index].where(group_row)
    groups = groups.groupby(block_id).ffill().fillna("")
    dropped = pd.DataFrame({
        "sheet": sheet,
        "row": sheet_rows[shown.index],
        "kind": shown.where(~group_row, "group"),
        "text": lead[shown.index],
    })[shown.isin(["title", "note", "numbering"]).to_numpy()]

    blocks = []
    for key, rows in shown.groupby(block_id):
        if key == 0:  # titles and notes above the first block
            continue
        here = rows.index.to_numpy()
        titles = here[block_title[here].to_numpy()]
        header = here[(rows == "header").to_numpy()]
        body = here[(rows == "data").to_numpy()]
        units = [u for u in unit[np.concatenate([titles, header])] if u]
        blocks.append(Block(
            titles=tuple(lead[titles]),
            unit=units[0] if units else "",
            header=tuple(int(r) for r in header),
            body=body,
            group=groups[body].to_numpy(dtype=object),
        ))
    return SheetBlocks(sheet, grid, c, filled, tuple(blocks),
                       tuple(dropped.to_dict("records")))
