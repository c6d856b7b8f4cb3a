"""The 民政部 code table as the resolver uses it (区划代码表): spans, names, successions.

Built once per process (cached) from two shipped reference tables
(:func:`linkage.datasets.load`): ``admin_divisions_2014_2024`` (every province, prefecture and
county-level unit at the end of each year 2014–2024, one row per unchanged span) and
``admin_code_changes_2014_2024`` (codes created, renamed or abolished, with successors; it also
names the county-level codes abolished before 2014, which are added as spans ending the year
before they were abolished).

Year conventions: a span is in force at the end of each year ``first_year … last_year``. A code
that was already in force when the table starts (not created in 2014 by the change log) is taken
as in force for every earlier year; a span still in force in 2024 for every later year.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from linkage import datasets

__all__ = [
    "EARLIEST",
    "LATEST",
    "NATIONAL_CODE",
    "TOTAL_NAMES",
    "carry",
    "closure",
    "code_spans",
    "is_nbs_functional_code",
    "is_real_code",
    "normalize_name",
    "province_key",
    "spans",
    "stem",
]

#: Open ends of a span: in force since before the table starts / still in force.
EARLIEST, LATEST = 1949, 9999
#: The code given to national totals.
NATIONAL_CODE = "000000"
#: Names of national totals (normalised), all coded :data:`NATIONAL_CODE`.
TOTAL_NAMES = frozenset({"全国", "全国合计", "全国总计", "地方合计", "合计", "总计"})

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_BRACKETS = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")",
                           "{": "(", "}": ")"})
_PROVINCE_SUFFIX = re.compile(r"(?:省|市|特别行政区|(?:壮族|回族|维吾尔)?自治区)$")
#: Suffixes of unit types (longest first) removed to get a name's stem: 融水县 → 融水.
_UNIT_SUFFIX = re.compile(
    r"(?:自治县|自治旗|自治州|特别行政区|自治区|地区|林区|特区|县|市|区|旗|盟)$"
)


def normalize_name(names: pd.Series) -> pd.Series:
    """Names as compared (名称规范化): NFKC (full-width brackets, letters and spaces to
    half-width), every space (also inner, e.g. ``北  京``) removed, ``[]【】〔〕`` as ``()``.

    Parameters
    ----------
    names : pandas.Series
        Any values; missing and blank give ``""``.

    Returns
    -------
    pandas.Series of str

    Examples
    --------
    >>> normalize_name(pd.Series(["北  京", "云州区（大同县）", None])).tolist()
    ['北京', '云州区(大同县)', '']
    """
    text = names.astype("string").fillna("").str.normalize("NFKC")
    return (text.str.replace(_INVISIBLE, "", regex=True).str.translate(_BRACKETS)
            .astype(object))


def province_key(names: pd.Series) -> pd.Series:
    """Province names reduced to the usual short form: 内蒙古自治区 → 内蒙古, 北京市 → 北京.

    Examples
    --------
    >>> province_key(pd.Series(["广西壮族自治区", "北京市", "黑龙江省", "香港特别行政区"])).tolist()
    ['广西', '北京', '黑龙江', '香港']
    """
    return normalize_name(names).str.replace(_PROVINCE_SUFFIX, "", regex=True)


def stem(names: pd.Series) -> pd.Series:
    """A normalised name without its unit-type suffix: 融水县 → 融水, 科右前旗 → 科右前.

    Examples
    --------
    >>> stem(pd.Series(["融水县", "海伦市", "深圳"])).tolist()
    ['融水', '海伦', '深圳']
    """
    return normalize_name(names).str.replace(_UNIT_SUFFIX, "", regex=True)


def _read_changes() -> pd.DataFrame:
    changes = datasets.load("admin_code_changes_2014_2024")
    changes["first_year"] = changes["first_year"].astype(int)
    end = pd.to_numeric(changes["end_year_exclusive"], errors="coerce")
    changes["last_year"] = (end - 1).fillna(LATEST).astype(int)
    return changes


def spans() -> pd.DataFrame:
    """Every span of every code (代码表), a copy of the cached table.

    Returns
    -------
    pandas.DataFrame
        One row per (code, name) span: ``region_code``, ``name``, ``level`` (province,
        prefecture, county), ``province_code``, ``prefecture_code`` and ``prefecture_name``
        (blank for municipal districts and province-administered units), ``first_year``,
        ``last_year`` (ints; open ends :data:`EARLIEST`/:data:`LATEST`), ``key`` (normalised
        name), ``short`` (its stem). Prefecture-level cities without counties (东莞市, 中山市,
        儋州市, 嘉峪关市) are listed once more at county level.
    """
    return _cached_spans().copy()


def _build_spans() -> pd.DataFrame:
    table = datasets.load("admin_divisions_2014_2024")
    changes = _read_changes()
    table["first_year"] = table["first_year"].astype(int)
    table["last_year"] = table["last_year"].astype(int)
    first = table.groupby("region_code")["first_year"].min()
    # a code's opening span starts when the change log says the code started (the latest
    # start not after the span: codes are sometimes reused), else before the table does
    starts = changes[["region_code", "first_year"]].merge(
        first.rename("seen").reset_index(), on="region_code")
    started = starts[starts["first_year"].le(starts["seen"])].groupby("region_code")[
        "first_year"].max()
    opening = table["first_year"].eq(table["region_code"].map(first))
    table.loc[opening, "first_year"] = (table.loc[opening, "region_code"].map(started)
                                        .fillna(EARLIEST).astype(int))
    table.loc[table["last_year"].eq(table["last_year"].max()), "last_year"] = LATEST
    older = changes[~changes["region_code"].isin(table["region_code"])]
    direct = older["prefecture_name"].eq("直辖")
    older = pd.DataFrame({
        "region_code": older["region_code"],
        "name": older["name"],
        "level": older["level"],
        "province_code": older["region_code"].str[:2] + "0000",
        "prefecture_code": (older["region_code"].str[:4] + "00").mask(direct),
        "prefecture_name": older["prefecture_name"].mask(direct),
        "first_year": older["first_year"],
        "last_year": older["last_year"],
    })
    counties = table.loc[table["level"].eq("county"), "region_code"].str[:4]
    childless = table["level"].eq("prefecture") & ~table["region_code"].str[:4].isin(counties)
    as_county = table[childless].assign(level="county", prefecture_code=pd.NA,
                                        prefecture_name=pd.NA)
    columns = ["region_code", "name", "level", "province_code", "prefecture_code",
               "prefecture_name", "first_year", "last_year"]
    out = pd.concat([table[columns], older[columns], as_county[columns]], ignore_index=True)
    out["key"] = normalize_name(out["name"])
    out["short"] = stem(out["name"])
    return out


@lru_cache(maxsize=1)
def _cached_spans() -> pd.DataFrame:
    return _build_spans()


def code_spans() -> pd.DataFrame:
    """Per code (one row each, index ``region_code``): ``first_year``, ``last_year`` over all its
    spans, ``level``, and ``name`` (its latest name). A copy of a cached table."""
    return _cached_code_spans().copy()


@lru_cache(maxsize=1)
def _cached_code_spans() -> pd.DataFrame:
    table = _cached_spans().sort_values("last_year")
    return table.groupby("region_code").agg(
        first_year=("first_year", "min"), last_year=("last_year", "max"),
        level=("level", "first"), name=("name", "last"),
    )


def closure() -> pd.DataFrame:
    """Every (``region_code``, ``descendant``) pair of the succession graph, transitively.

    ``successor_codes`` of the change log is ``;``-separated; a code followed by ``[year]``
    received part of the unit in that earlier year (淮阳县 ``411602[2004];411603``: part went to
    411602 in 2004, the county became 411603 in 2019), so it is not a successor at the change
    and is left out. A copy of a cached table.
    """
    return _cached_closure().copy()


@lru_cache(maxsize=1)
def _cached_closure() -> pd.DataFrame:
    changes = _read_changes()
    edges = (changes[["region_code", "successor_codes"]].dropna()
             .assign(descendant=lambda f: f["successor_codes"].str.split(";"))
             .explode("descendant"))
    edges["descendant"] = edges["descendant"].str.strip()
    edges = edges.loc[edges["descendant"].str.fullmatch(r"\d{6}")
                      & edges["descendant"].ne(edges["region_code"]),
                      ["region_code", "descendant"]].drop_duplicates()
    reach = edges
    while True:
        step = reach.merge(edges, left_on="descendant", right_on="region_code",
                           suffixes=("", "_next"))
        step = step[["region_code", "descendant_next"]].rename(
            columns={"descendant_next": "descendant"})
        grown = pd.concat([reach, step]).drop_duplicates(ignore_index=True)
        if len(grown) == len(reach):
            return grown
        reach = grown


def carry(codes: pd.DataFrame, vintage_column: str = "vintage") -> pd.DataFrame:
    """Carry codes to the code(s) in force at the end of a year (代码沿革换算).

    Parameters
    ----------
    codes : pandas.DataFrame
        At least ``region_code`` and the year column; other columns are kept.
    vintage_column : str
        Name of the year column (int).

    Returns
    -------
    pandas.DataFrame
        The rows of ``codes`` with ``carried`` (the code in force that year: the code itself
        when in force, else its successors if it ended before, its predecessors if it started
        after; none → the row is dropped) — several rows where a unit was split or merged.
    """
    life = code_spans()[["first_year", "last_year"]].rename(
        columns={"first_year": "code_first", "last_year": "code_last"})
    edges = closure()
    frame = codes.join(life, on="region_code")
    year = frame[vintage_column]
    alive = frame["code_first"].le(year) & frame["code_last"].ge(year)
    kept = frame[alive].assign(carried=frame.loc[alive, "region_code"])
    later = frame[~alive & frame["code_last"].lt(year)].merge(edges, on="region_code")
    later = later.rename(columns={"descendant": "carried"})
    earlier = frame[~alive & frame["code_first"].gt(year)].merge(
        edges.rename(columns={"region_code": "carried", "descendant": "region_code"}),
        on="region_code")
    moved = pd.concat([later, earlier], ignore_index=True)
    moved = moved.join(life.add_prefix("carried_"), on="carried")
    moved = moved[moved["carried_code_first"].le(moved[vintage_column])
                  & moved["carried_code_last"].ge(moved[vintage_column])]
    columns = [*codes.columns, "carried"]
    return pd.concat([kept[columns], moved[columns]], ignore_index=True)


def is_nbs_functional_code(codes: pd.Series) -> pd.Series:
    """Codes shaped like an NBS 统计用区划代码 functional unit (管委会/开发区, xx7x).

    The NBS statistical division codes add 经济技术开发区, 高新区 and similar 管委会 units
    under a prefecture (or a municipality) with the fifth digit 7, e.g. 130171
    石家庄高新技术产业开发区; they are not 民政部 administrative divisions, so they are not in
    the code table. A code counts here when its fifth digit is 7 and its prefecture (its first
    four digits, or the province for a municipality) is a real code.

    Examples
    --------
    >>> is_nbs_functional_code(pd.Series(["130171", "110171", "130271", "999971"])).tolist()
    [True, True, True, False]
    """
    text = codes.astype("string").fillna("")
    real = set(code_spans().index)
    parent = (text.str[:4] + "00").isin(real) | (
        text.str[:2].isin({"11", "12", "31", "50"}) & text.str[2:4].isin({"01", "02"}))
    return pd.Series(np.asarray(text.str.fullmatch(r"\d{4}7\d").fillna(False) & parent,
                                dtype=bool), index=codes.index)


def is_real_code(codes: pd.Series) -> pd.Series:
    """Whether each code is a 民政部 code of some year (or ``000000``, 全国).

    Any span of the code table counts (2014–2024, plus county codes abolished earlier that the
    change log names), so an old code in historical data is real.

    Examples
    --------
    >>> is_real_code(pd.Series(["130223", "130284", "000000", "990101"])).tolist()
    [True, True, True, False]
    """
    text = codes.astype("string").str.strip()
    known = text.isin(code_spans().index) | text.eq(NATIONAL_CODE)
    return pd.Series(known.fillna(False).to_numpy(dtype=bool), index=codes.index)
