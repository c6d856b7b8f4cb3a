"""Small-cell suppression (小单元格抑制) for household tables.

Household tables never show a cell based on fewer than ``min_count`` households (default 10).

* **Primary suppression**: every cell whose count is below ``min_count`` (0 included: an
  empty cell also tells the reader "nobody here") is hidden.
* **Complementary (secondary) suppression**: in a table with margins (合计 row and/or column),
  a hidden cell could be recovered by subtracting the visible cells of its row or column from
  the margin. So every additive relation — each row with its row total, each column with its
  column total, including the totals row/column and the grand total — must hide either no
  member or at least two. Where exactly one member is hidden, the visible member with the
  smallest count is hidden too (interior cells before margins), and the rule is applied again
  until it holds everywhere (the usual "no singleton in a relation" heuristic of Hundepool
  et al. 2012, *Statistical Disclosure Control*, Wiley, §5.3). This blocks recovery by
  subtraction along any single row or column; it is not a full linear-programming audit of
  feasibility intervals (τ-ARGUS), which demanding publications may still want.

Without margins (``margins="none"``) only primary suppression is applied: the table reveals
no total to subtract from. If the totals are published elsewhere, pass the table with them.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import check_option
from linkage.errors import InputError

__all__ = ["MARGIN_LABELS", "TOTAL", "Margins", "suppress", "suppress_small_cells",
           "suppression_mask"]

Margins = Literal["auto", "none", "last"]

#: Label of the total row of report tables; a margin for complementary suppression.
TOTAL = "合计"

#: Row/column labels recognised as margins by ``margins="auto"``.
MARGIN_LABELS = ("合计", "总计", "全部", "All", "Total", "total")


def _margin_flags(counts: pd.DataFrame, margins: Margins) -> tuple[bool, bool]:
    check_option("margins", margins, Margins)
    if margins == "none":
        return False, False
    if margins == "last":
        return True, True
    last_row = len(counts.index) > 1 and str(counts.index[-1]) in MARGIN_LABELS
    last_col = len(counts.columns) > 1 and str(counts.columns[-1]) in MARGIN_LABELS
    return last_row, last_col


def suppression_mask(
    counts: pd.DataFrame, *, min_count: int = 10, margins: Margins = "auto"
) -> pd.DataFrame:
    """Which cells to hide (需抑制的单元格): primary plus complementary suppression.

    Parameters
    ----------
    counts : pandas.DataFrame
        Unweighted household counts behind each cell (integers ≥ 0, no missing values). With
        margins, the last row and/or column hold the totals.
    min_count : int, default 10
        Smallest count that may be shown.
    margins : {"auto", "none", "last"}
        ``"auto"``: the last row/column is a margin when labelled as in :data:`MARGIN_LABELS`
        (e.g. ``pandas.crosstab(..., margins=True)`` gives ``"All"``); ``"last"``: both the
        last row and the last column are margins; ``"none"``: no margins.

    Returns
    -------
    pandas.DataFrame
        Boolean, same labels as ``counts``; True = hide.

    Examples
    --------
    >>> c = pd.DataFrame({"甲": [3, 20, 23], "乙": [30, 40, 70], "合计": [33, 60, 93]},
    ...                  index=["A", "B", "合计"])
    >>> int(suppression_mask(c).to_numpy().sum())
    4
    """
    if min_count < 1:
        raise InputError(f"min_count={min_count} 无效", hint="min_count 至少为 1")
    values = counts.to_numpy(dtype="float64") if counts.size else np.zeros(counts.shape)
    if np.isnan(values).any() or (values < 0).any():
        raise InputError("计数表中有缺失或负数", hint="counts 应为每个单元格的户数（≥ 0 的整数）")
    row_margin, col_margin = _margin_flags(counts, margins)
    hide = values < min_count
    n_rows, n_cols = values.shape
    # Each relation is a set of cells (index arrays) whose members add up: interior cells of a
    # row/column plus its margin cell.
    relations: list[tuple[np.ndarray, np.ndarray]] = []
    inner_cols = np.arange(n_cols - 1) if col_margin else np.arange(n_cols)
    inner_rows = np.arange(n_rows - 1) if row_margin else np.arange(n_rows)
    if col_margin:
        for r in range(n_rows):
            cols = np.append(inner_cols, n_cols - 1)
            relations.append((np.full(cols.size, r), cols))
    if row_margin:
        for c in range(n_cols):
            rows = np.append(inner_rows, n_rows - 1)
            relations.append((rows, np.full(rows.size, c)))
    # Visible cells ordered for complementary suppression: interior before margin, then by
    # count (smallest information loss).
    is_margin = np.zeros_like(hide)
    if row_margin:
        is_margin[-1, :] = True
    if col_margin:
        is_margin[:, -1] = True
    changed = True
    while changed:
        changed = False
        for rows, cols in relations:
            hidden = hide[rows, cols]
            if hidden.sum() != 1:
                continue
            candidates = np.flatnonzero(~hidden)
            if candidates.size == 0:
                continue
            order = np.lexsort((values[rows, cols][candidates],
                                is_margin[rows, cols][candidates]))
            pick = candidates[order[0]]
            hide[rows[pick], cols[pick]] = True
            changed = True
    return pd.DataFrame(hide, index=counts.index, columns=counts.columns)


def suppress_small_cells(
    table: pd.DataFrame,
    counts: pd.DataFrame,
    *,
    min_count: int = 10,
    marker: str = "<10",
    margins: Margins = "auto",
) -> pd.DataFrame:
    """Suppress small cells (小单元格抑制): hide and mark cells based on few households.

    Applies :func:`suppression_mask` (primary + complementary suppression, see the module
    docstring) to ``table`` — counts, weighted totals, rates or means computed from the
    households counted in ``counts``.

    Parameters
    ----------
    table : pandas.DataFrame
        The values to publish.
    counts : pandas.DataFrame
        Unweighted household counts behind each cell; same row and column labels as ``table``.
    min_count : int, default 10
    marker : str, default "<10"
        Text shown in hidden cells (change it together with ``min_count``).
    margins : {"auto", "none", "last"}

    Returns
    -------
    pandas.DataFrame
        Object dtype; hidden cells hold ``marker``, the others the original values.

    Examples
    --------
    >>> c = pd.DataFrame({"甲": [3, 20], "乙": [30, 40]}, index=["A", "B"])
    >>> suppress_small_cells(c, c).loc["A", "甲"]
    '<10'
    """
    if not (table.index.equals(counts.index) and table.columns.equals(counts.columns)):
        raise InputError("数值表与计数表的行列标签不一致",
                         hint="counts 应与 table 同形状、同行列标签（同一交叉表的户数）")
    hide = suppression_mask(counts, min_count=min_count, margins=margins)
    return table.astype(object).mask(hide, marker)


def suppress(table: pd.DataFrame, counts: pd.DataFrame | pd.Series, *,
             min_cell: int = 10) -> pd.DataFrame:
    """Hide cells of a report table resting on fewer than ``min_cell`` households.

    Parameters
    ----------
    table : DataFrame
        Figures to publish (already rounded for display).
    counts : DataFrame or Series
        Unweighted households behind each cell, same labels as ``table``; a Series gives one
        count per row for every column.
    min_cell : int, default 10

    Returns
    -------
    DataFrame
        Object dtype; hidden cells read ``"<min_cell>"`` (a last row labelled :data:`TOTAL` is a
        margin, see :func:`suppress_small_cells`).

    Examples
    --------
    >>> t = pd.DataFrame({"率": [1.5, 2.0, 1.8]}, index=["甲", "乙", TOTAL])
    >>> suppress(t, pd.Series([4, 50, 54], index=t.index))["率"].tolist()
    ['<10', '<10', 1.8]
    """
    if isinstance(counts, pd.Series):
        counts = pd.DataFrame({c: counts.reindex(table.index).to_numpy() for c in table.columns},
                              index=table.index)
    return suppress_small_cells(table, counts.fillna(0), min_count=min_cell,
                                marker=f"<{min_cell}")
