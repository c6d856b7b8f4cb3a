"""Years across columns to a long table (宽表转长表): yearbook sheet → county-year panel."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from linkage.errors import InputError

__all__ = ["wide_to_long", "year_of_heading"]

_YEAR = re.compile(r"^((?:19|20)\d{2})\s*(?:年|年度|年末|年底)?$")


def year_of_heading(heading: object) -> int | None:
    """The year a column heading stands for, read from its last "/" part, or None.

    Examples
    --------
    >>> year_of_heading("人均可支配收入(元)/2020年"), year_of_heading(2019), year_of_heading("地区")
    (2020, 2019, None)
    """
    match = _YEAR.match(str(heading).rsplit("/", 1)[-1].strip())
    return int(match.group(1)) if match else None


def wide_to_long(
    frame: pd.DataFrame,
    *,
    id_columns: Sequence[str],
    value_name: str,
    var_name: str = "year",
    value_columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Melt year columns into rows (宽表转长表), keeping the source row numbers.

    Statistical yearbooks print one row per region and one column per year
    (地区 × 2019, 2020, 2021). The result has one row per region and year, ordered by source
    row then year.

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by :func:`~linkage.readers.read_table`; its index (the file row numbers)
        becomes the column ``row``.
    id_columns : sequence of str
        Columns identifying a row (e.g. ``["region_name"]``), repeated for every year.
    value_name : str
        Name of the value column (e.g. the indicator id).
    var_name : str, default "year"
        Name of the year column (int64).
    value_columns : sequence of str, optional
        The year columns to melt; default every column not in ``id_columns``. Each must name
        a year: 2019, "2019", "2019年", or a joined heading ending in one ("收入/2019年").

    Returns
    -------
    pandas.DataFrame
        Columns ``row``, ``*id_columns``, ``var_name``, ``value_name``; ``attrs`` copied.

    Raises
    ------
    InputError
        An id column missing, a value column whose heading holds no year, the same year twice.

    Examples
    --------
    >>> wide = pd.DataFrame({"地区": ["甲县", "乙县"], "2019": [1.0, 3.0], "2020年": [2.0, 4.0]},
    ...                     index=pd.Index([5, 6], name="row"))
    >>> wide_to_long(wide, id_columns=["地区"], value_name="income")
       row  地区  year  income
    0    5  甲县  2019     1.0
    1    5  甲县  2020     2.0
    2    6  乙县  2019     3.0
    3    6  乙县  2020     4.0
    """
    file = frame.attrs.get("source_file")
    ids = list(id_columns)
    absent = [c for c in ids if c not in frame.columns]
    if absent:
        raise InputError(
            f"找不到标识列 {'、'.join(map(str, absent))} / id column not found",
            file=file,
            column=str(absent[0]),
            hint=f"现有列：{'、'.join(map(str, frame.columns))}",
        )
    if "row" in ids or var_name in ids or value_name in ids:
        raise InputError("id_columns 不能包含 row、var_name 或 value_name / name clash", file=file)
    columns = (
        [c for c in frame.columns if c not in ids] if value_columns is None else list(value_columns)
    )
    years = {c: year_of_heading(c) for c in columns}
    no_year = [str(c) for c, y in years.items() if y is None]
    if no_year or not columns:
        raise InputError(
            f"这些列的列名中没有年份：{'、'.join(no_year) or '（没有可转换的列）'} / "
            "columns without a year",
            file=file,
            column=no_year[0] if no_year else None,
            hint="把它们放进 id_columns，或用 value_columns= 只列出年份列",
        )
    repeated = pd.Series(years).loc[lambda s: s.duplicated(keep=False)]
    if len(repeated):
        raise InputError(
            f"同一年份出现在多列：{'、'.join(map(str, repeated.index))} / year repeated",
            file=file,
            hint="用 value_columns= 选出同一指标的年份列",
        )
    long = (
        frame.rename_axis("row")
        .reset_index()
        .melt(id_vars=["row", *ids], value_vars=columns, var_name=var_name, value_name=value_name)
    )
    long[var_name] = long[var_name].map(years).astype("int64")
    long = long.sort_values(["row", var_name], kind="stable", ignore_index=True)
    long.attrs = dict(frame.attrs)
    return long
