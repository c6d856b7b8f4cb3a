"""Place names to 6-digit codes (地名→区划代码): :func:`resolve_codes` and :func:`name_of`.

How a name is matched, in order; the first step that finds a unit in scope wins:

``exact``
    the name as given (surrounding spaces stripped) is the official name of a unit;
``normalized``
    equal after :func:`~linkage.places.codes.normalize_name` (inner and full-width spaces,
    full/half-width brackets), or the usual short form without the unit type (北京 for 北京市,
    内蒙古 for 内蒙古自治区, 深圳 for 深圳市); a name printed with another in brackets
    (``云州区（大同县）``) is tried by each part;
``alias``
    a row of the shipped alias table ``aliases.csv`` (abbreviations such as 科右前旗, printed
    typos, merged units; each row with its reason and source), or a short form whose stem
    starts exactly one official name in scope (融水县 → 融水苗族自治县, 海伦县 → 海伦市);
``historical``
    with a ``vintage``, a name that was not in force at the end of that year is carried along
    the change log to the unit in force then (滦县 → 滦州市 from 2018; a new name back to the
    old code before its change);
``ambiguous``
    several units fit (和平区 with no province: 天津 and 沈阳): no code, the ``candidates``
    column lists them — a name is never guessed;
``unmatched``
    nothing fits; ``note`` says why where the kit knows (province not recognised, an NBS
    统计用区划代码 functional unit such as a 管委会/开发区, which has no 民政部 code).

National totals (全国, 地方合计, 合计 …) are coded ``000000``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.places.codes import (
    NATIONAL_CODE,
    TOTAL_NAMES,
    carry,
    closure,
    code_spans,
    is_nbs_functional_code,
    normalize_name,
    province_key,
    spans,
    stem,
)

__all__ = ["METHODS", "aliases", "name_of", "resolve_codes"]

#: The values of the ``method`` column, best first.
METHODS = ("exact", "normalized", "alias", "historical", "ambiguous", "unmatched")
_TIER_METHOD = {0: "exact", 1: "normalized", 2: "alias", 3: "alias"}

#: Prefecture words meaning "no prefecture" (municipal districts, province-administered units).
_DIRECT = frozenset({"市辖区", "县", "直辖", "省直辖", "省直管", "省直辖县级行政区划",
                     "自治区直辖县级行政区划", "省直辖县级行政单位"})
_PREFECTURE_SUFFIX = re.compile(r"(?:市|地区|盟|自治州)$")
_FUNCTIONAL = re.compile(r"(?:管委会|管理委员会|行委|行政委员会|开发区|高新区|园区|示范区|"
                         r"管理区|试验区|经济区|新区)$")
#: Yearbook rows of regional aggregates (no code; said so, not "not recognised").
_REGIONAL = frozenset({"东部", "中部", "西部", "东北", "东部地区", "中部地区", "西部地区",
                       "东北地区"})
_BRACKETED = re.compile(r"^(?P<outside>[^()]*)\((?P<inside>[^()]*)\)(?P<tail>[^()]*)$")
_NBS_NOTE = ("疑为国家统计局统计用区划代码中的功能区（管委会/开发区等，代码第5位为7），"
             "不在民政部区划代码表中 / looks like an NBS functional unit (管委会/开发区), "
             "which has no 民政部 code")


# --------------------------------------------------------------------------------------------
# tables


def aliases() -> pd.DataFrame:
    """The shipped alias table (别名表): ``src/linkage/places/aliases.csv``.

    Each row maps a name seen in real files to the official name of a unit of one province:
    ``province``, ``alias``, ``official_name``, ``kind`` (abbreviation, typo, merged),
    ``reason``, ``source``. Short forms that only drop the ethnic part of a name (融水县 for
    融水苗族自治县) need no row: the resolver matches them by stem.

    Returns
    -------
    pandas.DataFrame
        The table plus ``province_code``, ``alias_key`` and ``official_key`` (normalised); a
        copy of the cached table.
    """
    return _cached_aliases().copy()


@lru_cache(maxsize=1)
def _cached_aliases() -> pd.DataFrame:
    table = pd.read_csv(files("linkage.places").joinpath("aliases.csv"), dtype=str,
                        keep_default_na=False)
    return table.assign(province_code=_province_codes(table["province"]),
                        alias_key=normalize_name(table["alias"]),
                        official_key=normalize_name(table["official_name"]))


@lru_cache(maxsize=1)
def _province_short() -> pd.Series:
    """Province code → its short form (北京, 内蒙古 …)."""
    table = spans()[spans()["level"].eq("province")].drop_duplicates("region_code")
    return pd.Series(province_key(table["name"]).to_numpy(), index=table["region_code"])


@lru_cache(maxsize=1)
def _provinces() -> pd.Series:
    """Province short form (北京, 内蒙古 …) and full normalised name → province code."""
    table = spans()[spans()["level"].eq("province")]
    short = pd.Series(_province_short().index, index=_province_short().to_numpy())
    full = pd.Series(table["region_code"].to_numpy(), index=table["key"].to_numpy())
    both = pd.concat([short, full])
    return both[~both.index.duplicated()]


def _province_codes(names: pd.Series) -> pd.Series:
    return province_key(names).map(_provinces())


def _prefecture_key(names: pd.Series) -> pd.Series:
    """黔东南州 → 黔东南, 深圳市 → 深圳 (州 dropped only when two characters remain)."""
    key = normalize_name(names).str.replace(_PREFECTURE_SUFFIX, "", regex=True)
    return key.mask(key.str.len().ge(3) & key.str.endswith("州"), key.str[:-1])


# --------------------------------------------------------------------------------------------
# the resolver


def _check_columns(table: object, given: dict[str, str | None], vintage: object) -> None:
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"resolve_codes 需要一个 DataFrame（现为 {type(table).__name__}）/ "
                         "table must be a pandas DataFrame")
    if not any(given.values()):
        raise InputError("请至少指定省份、地级市或区县名称所在的列 / name at least one of "
                         "province=, prefecture=, county=",
                         hint="例如 resolve_codes(df, province='省份', county='区县')")
    wanted = [c for c in given.values() if c is not None]
    if isinstance(vintage, str):
        wanted.append(vintage)
    for column in wanted:
        if column not in table.columns:
            raise InputError(f"表中没有列 “{column}” / no column {column!r}", column=column,
                             hint=f"现有的列 / columns: {', '.join(map(str, table.columns))}")


def _vintages(table: pd.DataFrame, vintage: int | str | None) -> pd.Series:
    if vintage is None:
        return pd.Series(-1, index=table.index)
    if isinstance(vintage, str):
        raw = table[vintage]
        years = pd.to_numeric(raw, errors="coerce")
        bad = years.isna() | years.ne(years.round())
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"年份列 “{vintage}” 有非整数值 {raw.iloc[position]!r} / vintage "
                             "column holds a value that is not a year", row=position + 2,
                             column=vintage, hint="年份应为四位整数，如 2020 / a year, e.g. 2020")
        return years.astype(int)
    if isinstance(vintage, bool) or not isinstance(vintage, int | np.integer):
        raise InputError(f"vintage 应为年份（整数）或列名，现为 {vintage!r} / vintage must be a "
                         "year or a column name", hint="例如 vintage=2020")
    return pd.Series(int(vintage), index=table.index)


def _text(table: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series("", index=table.index, dtype=object)
    values = table[column]
    text = values.astype("string").str.strip().fillna("")
    return text.astype(object)


def resolve_codes(
    table: pd.DataFrame,
    *,
    province: str | None = None,
    prefecture: str | None = None,
    county: str | None = None,
    vintage: int | str | None = None,
) -> pd.DataFrame:
    """Resolve place names to 6-digit 民政部 codes (地名转行政区划代码).

    Each row is resolved at its most detailed level that has a name: the county if the county
    column has one, else the prefecture, else the province. A county is looked up within its
    province and prefecture when they are given (南山区 in 深圳 ≠ 南山区 in 鹤岗); for the
    districts of a municipality the prefecture may be 市辖区 or the city's name (天津 和平区).
    Methods, in the order tried, are described in :mod:`linkage.places.resolve`; the code table
    is :func:`linkage.places.codes.spans` (民政部 lists at the end of 2014 … 2024). Work is done
    once per distinct combination of names, by merges.

    Parameters
    ----------
    table : pandas.DataFrame
        The user's table; not modified.
    province, prefecture, county : str, optional
        Names of the columns holding province (北京, 北京市, 内蒙古自治区 …), prefecture
        (深圳, 深圳市, 市辖区 …) and county names. At least one.
    vintage : int or str, optional
        The year whose year-end codes are wanted (e.g. ``2020``), or the name of a column of
        years (one per row, e.g. a panel's 年份). Names not in force that year are carried to
        the unit in force (``historical``). ``None``: a name gets the code it bore, whatever
        the year (滦县 → 130223; a name kept under a new code, 钢城区, gets the latest one).

    Returns
    -------
    pandas.DataFrame
        Same index as ``table``. ``region_code`` (string dtype, 6 digits; ``<NA>`` where
        unresolved or ambiguous), ``matched_name`` (official name of the unit, at ``vintage``
        when given), ``method`` (one of :data:`METHODS`), ``level`` (national, province,
        prefecture, county; ``<NA>`` when unresolved), ``candidates`` (``"code 名称（上级）; …"``
        when ambiguous), ``note`` (how an alias or historical name was read, or why nothing
        matched).

    Raises
    ------
    linkage.errors.InputError
        No column named, a named column missing, a vintage that is not a year.

    Examples
    --------
    >>> df = pd.DataFrame({"省": ["北京", "广东", "黑龙江", "河北"],
    ...                    "县": [None, "南山区", "南山区", "滦县"]})
    >>> resolve_codes(df, province="省", county="县", vintage=2020)[["region_code", "method"]]
      region_code      method
    0      110000  normalized
    1      440305       exact
    2      230404       exact
    3      130284  historical
    """
    given = {"province": province, "prefecture": prefecture, "county": county}
    _check_columns(table, given, vintage)
    query = pd.DataFrame({level: _text(table, column) for level, column in given.items()},
                         index=table.index)
    query["vintage"] = _vintages(table, vintage)
    keys = ["province", "prefecture", "county", "vintage"]
    distinct = query.drop_duplicates(ignore_index=True)
    resolved = _resolve(distinct)
    out = query.merge(resolved, on=keys, how="left").drop(columns=keys)
    out.index = table.index
    return out


def _resolve(query: pd.DataFrame) -> pd.DataFrame:
    """Resolve distinct (province, prefecture, county, vintage) rows; one output row each."""
    q = query.copy()
    q["qid"] = np.arange(len(q))
    norm = {level: normalize_name(q[level]) for level in ("province", "prefecture", "county")}
    q["level"] = np.select([norm["county"].ne(""), norm["prefecture"].ne(""),
                            norm["province"].ne("")], ["county", "prefecture", "province"],
                           "none")
    q["raw"] = np.select([q["level"].eq(lv) for lv in ("county", "prefecture", "province")],
                         [q["county"], q["prefecture"], q["province"]], "")
    q["name"] = np.select([q["level"].eq(lv) for lv in ("county", "prefecture", "province")],
                          [norm["county"], norm["prefecture"], norm["province"]], "")
    q["province_code"] = _province_codes(q["province"]).where(norm["province"].ne(""))
    q["prefecture_given"] = norm["prefecture"]

    out = pd.DataFrame({"qid": q["qid"], "region_code": pd.NA, "matched_name": pd.NA,
                        "method": "unmatched", "level": pd.NA, "candidates": pd.NA,
                        "note": pd.NA})
    out = out.astype({"region_code": "string", "matched_name": "string",
                      "candidates": "string", "note": "string", "level": "string"})

    total = q["name"].isin(TOTAL_NAMES)
    out.loc[total, ["region_code", "matched_name", "level"]] = [NATIONAL_CODE, "全国",
                                                                "national"]
    out.loc[total, "method"] = np.where(q.loc[total, "raw"].isin(TOTAL_NAMES), "exact",
                                        "normalized")

    province_row = q["level"].eq("province") & ~total & q["province_code"].notna()
    official = code_spans()["name"]
    out.loc[province_row, "region_code"] = q.loc[province_row, "province_code"]
    out.loc[province_row, "matched_name"] = q.loc[province_row, "province_code"].map(official)
    out.loc[province_row, "level"] = "province"
    exact = spans().loc[spans()["level"].eq("province"), "name"]
    out.loc[province_row, "method"] = np.where(q.loc[province_row, "raw"].isin(exact),
                                               "exact", "normalized")

    out.loc[q["level"].eq("none").to_numpy(), "note"] = "没有地名 / no place name"
    lost = norm["province"].ne("") & q["province_code"].isna() & ~total
    out.loc[lost, "note"] = ("省份名称无法识别 / province not recognised: "
                             + q.loc[lost, "province"])

    regional = q["name"].isin(_REGIONAL)
    out.loc[regional, "note"] = ("东中西部等区域合计，没有区划代码 / a regional aggregate "
                                 "(east/centre/west/north-east) has no code")
    todo = q[q["level"].isin(["county", "prefecture"]) & ~total & ~lost]
    if not todo.empty:
        found = _resolve_units(todo)
        out = out.set_index("qid")
        out.update(found.set_index("qid"))
        out = out.reset_index()
        unmatched = out["method"].eq("unmatched") & out["note"].isna()
        functional = unmatched & q["name"].str.contains(_FUNCTIONAL).to_numpy()
        out.loc[functional, "note"] = _NBS_NOTE
    return pd.concat([query.reset_index(drop=True), out.drop(columns="qid")], axis=1)


def _variants(todo: pd.DataFrame) -> pd.DataFrame:
    """(qid, key column of the code table, key, tier): the ways each name is looked up."""
    parts = todo["name"].str.extract(_BRACKETED)
    outside = (parts["outside"] + parts["tail"]).dropna()
    inside = parts["inside"].dropna()
    frames = [
        pd.DataFrame({"qid": todo["qid"], "on": "name", "key": todo["raw"], "tier": 0}),
        *(pd.DataFrame({"qid": todo.loc[names.index, "qid"], "on": on, "key": names,
                        "tier": 1})
          for names in (todo["name"], outside, inside) for on in ("key", "short")),
    ]
    return pd.concat(frames, ignore_index=True)


def _alias_variants(todo: pd.DataFrame) -> pd.DataFrame:
    table = _cached_aliases()
    found = todo[["qid", "name", "province_code"]].merge(
        table[["alias_key", "official_key", "province_code", "reason"]],
        left_on="name", right_on="alias_key", suffixes=("", "_alias"))
    found = found[found["province_code"].isna()
                  | found["province_code"].eq(found["province_code_alias"])]
    return pd.DataFrame({"qid": found["qid"], "on": "key", "key": found["official_key"],
                         "tier": 2, "alias_province": found["province_code_alias"],
                         "alias_reason": found["reason"]})


def _candidates(todo: pd.DataFrame, variants: pd.DataFrame) -> pd.DataFrame:
    """Units of the code table that a variant names, at the query's level."""
    pool = spans()
    found = [variants[variants["on"].eq(on)].merge(
        todo[["qid", "level"]], on="qid").merge(
        pool, left_on=["level", "key"], right_on=["level", on], suffixes=("", "_unit"))
        for on in ("name", "key", "short")]
    return pd.concat(found, ignore_index=True)


def _stem_candidates(todo: pd.DataFrame) -> pd.DataFrame:
    """Short forms: the stem (name without its unit type, ≥ 2 characters; 黔东南州 → 黔东南 for a
    prefecture) starts the official name."""
    short = stem(todo["name"]).where(todo["level"].eq("county"), _prefecture_key(todo["name"]))
    stems = todo.assign(stem=short)
    stems = stems[stems["stem"].str.len().ge(2)]
    pool = spans()
    pairs = stems[["qid", "level", "stem"]].assign(head=stems["stem"].str[:2]).merge(
        pool.assign(head=pool["key"].str[:2]), on=["level", "head"])
    hit = np.strings.startswith(pairs["key"].to_numpy(str), pairs["stem"].to_numpy(str))
    pairs = pairs[hit]
    return pairs.assign(tier=3, on="stem")


def _in_scope(todo: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Keep candidates inside the query's province and prefecture (and the alias's province)."""
    scope = todo[["qid", "province_code", "prefecture_given"]].rename(
        columns={"province_code": "want_province"})
    found = found.merge(scope, on="qid")
    keep = found["want_province"].isna() | found["want_province"].eq(found["province_code"])
    if "alias_province" in found.columns:
        alias = found["alias_province"].notna()
        keep &= ~alias | found["alias_province"].eq(found["province_code"])
    wanted = found["prefecture_given"]
    county = found["level"].eq("county") & wanted.ne("")
    unit_prefecture = normalize_name(found["prefecture_name"])
    direct = unit_prefecture.eq("")
    prefix = _prefecture_key(wanted)
    same = np.strings.startswith(unit_prefecture.to_numpy(str), prefix.to_numpy(str))
    same &= prefix.ne("").to_numpy()
    city = province_key(wanted).eq(found["province_code"].map(_province_short()))
    fits = np.where(direct, wanted.isin(_DIRECT) | city, same)
    keep &= ~county | fits
    return found[keep]


def _best(found: pd.DataFrame) -> pd.DataFrame:
    return found[found["tier"].eq(found.groupby("qid")["tier"].transform("min"))]


def _resolve_units(todo: pd.DataFrame) -> pd.DataFrame:
    columns = ["qid", "tier", "region_code", "name", "province_code", "prefecture_name",
               "first_year", "last_year"]
    found = _in_scope(todo, _candidates(todo, pd.concat(
        [_variants(todo), _alias_variants(todo)], ignore_index=True)))
    rest = todo[~todo["qid"].isin(found["qid"])]
    if not rest.empty:
        found = pd.concat([found, _in_scope(rest, _stem_candidates(rest))], ignore_index=True)
    found = _best(found)
    if "alias_reason" not in found.columns:
        found["alias_reason"] = pd.NA
    found = found[[*columns, "alias_reason"]].merge(todo[["qid", "vintage", "name"]].rename(
        columns={"name": "given"}), on="qid")
    named = found.groupby("qid").agg(first_year=("first_year", "min"),
                                     last_year=("last_year", "max"), vintage=("vintage", "first"))
    found = _at_vintage(found)
    summary = _summarise(found)
    # a name of some year with no unit in force at the vintage (康巴什区 before 2016)
    gone = named[~named.index.isin(summary["qid"])]
    span = (gone["first_year"].astype(str).str.replace("1949", "…") + "—"
            + gone["last_year"].astype(str).str.replace("9999", "…"))
    absent = pd.DataFrame({"qid": gone.index, "method": "unmatched",
                           "note": ("该名称的单位在 " + gone["vintage"].astype(str) + " 年末不存在"
                                    "（存在于 " + span + "）/ no unit of that name at that "
                                    "year-end").to_numpy()})
    return pd.concat([summary, absent], ignore_index=True)


def _at_vintage(found: pd.DataFrame) -> pd.DataFrame:
    """Add ``final`` (the code wanted) and ``historical`` (carried along the change log)."""
    dated = found["vintage"].ge(0)
    parts = [_latest(found[~dated]), _in_force(found[dated])]
    return pd.concat([p for p in parts if not p.empty] or parts, ignore_index=True)


def _latest(timeless: pd.DataFrame) -> pd.DataFrame:
    """No vintage: a code whose successor is also a candidate gives way to it (钢城区 371203 →
    370117), so a name gets the latest code of the unit it names."""
    if timeless.empty:
        return timeless.assign(final=timeless["region_code"], historical=False)
    later = timeless.merge(closure(), on="region_code").merge(
        timeless[["qid", "region_code"]].rename(columns={"region_code": "descendant"}),
        on=["qid", "descendant"])
    superseded = pd.MultiIndex.from_frame(later[["qid", "region_code"]])
    keep = ~pd.MultiIndex.from_frame(timeless[["qid", "region_code"]]).isin(superseded)
    return timeless[keep].assign(final=lambda f: f["region_code"], historical=False)


def _in_force(dated: pd.DataFrame) -> pd.DataFrame:
    """With a vintage: the candidates whose name was in force that year-end if any, else the
    candidates carried along the change log to the code(s) in force then."""
    in_force = dated["first_year"].le(dated["vintage"]) & dated["last_year"].ge(dated["vintage"])
    any_in_force = in_force.groupby(dated["qid"]).transform("any")
    direct = dated[in_force].assign(final=lambda f: f["region_code"], historical=False)
    if any_in_force.all():
        return direct
    moved = carry(dated[~any_in_force]).rename(columns={"carried": "final"})
    return pd.concat([direct, moved.assign(historical=True)], ignore_index=True)


def _summarise(found: pd.DataFrame) -> pd.DataFrame:
    """One row per query: the code if exactly one, else the candidates."""
    units = found.drop_duplicates(["qid", "final"])
    count = units.groupby("qid")["final"].transform("size")
    latest = code_spans()["name"]
    units = units.assign(final_name=_name_at(units["final"], units["vintage"]).fillna(
        units["final"].map(latest)))
    one = units[count.eq(1)].set_index("qid")
    method = one["tier"].map(_TIER_METHOD).mask(one["historical"], "historical")
    note = pd.Series(pd.NA, index=one.index, dtype="string")
    note = note.mask(one["tier"].eq(2), "别名表 / alias table: " + one["alias_reason"].astype(str))
    note = note.mask(one["tier"].eq(3), "简称，按名称开头唯一匹配 / short form, the only "
                     "official name starting with “" + stem(one["given"]) + "”")
    note = note.mask(one["historical"], one["name"] + "（" + one["region_code"] + "）→ "
                     + one["final_name"] + "（" + one["final"] + "），"
                     + one["vintage"].astype(str) + " 年末 / at end of year")
    single = pd.DataFrame({"region_code": one["final"], "matched_name": one["final_name"],
                           "method": method, "level": one["final"].map(code_spans()["level"]),
                           "candidates": pd.NA, "note": note})
    many = units[count.gt(1)]
    where = (many["province_code"].map(code_spans()["name"]).fillna("")
             + many["prefecture_name"].fillna(""))
    label = many["final"] + " " + many["final_name"] + "（" + where + "）"
    listed = label.groupby(many["qid"]).agg("; ".join)
    carried = many.groupby("qid")["historical"].any().reindex(listed.index)
    note = np.where(carried, "该单位在这一年末对应多个单位（合并或拆分）/ at that year-end the "
                             "unit corresponds to several units (merged or split)",
                    "多个地区同名，请补充省份或地级市 / several units fit: give the province "
                    "or prefecture")
    several = pd.DataFrame({"region_code": pd.NA, "matched_name": pd.NA,
                            "method": "ambiguous", "level": pd.NA, "candidates": listed,
                            "note": note}, index=listed.index)
    return pd.concat([single, several]).rename_axis("qid").reset_index()


def _name_at(codes: pd.Series, years: pd.Series) -> pd.Series:
    """Official name of each code at the end of each year (missing where not in force)."""
    pool = spans()[["region_code", "name", "first_year", "last_year"]]
    pairs = pd.DataFrame({"region_code": codes.to_numpy(), "year": years.to_numpy(),
                          "row": np.arange(len(codes))}).merge(pool, on="region_code")
    pairs = pairs[pairs["first_year"].le(pairs["year"]) & pairs["last_year"].ge(pairs["year"])]
    named = pairs.drop_duplicates("row").set_index("row")["name"]
    return pd.Series(named.reindex(np.arange(len(codes))).to_numpy(), index=codes.index)


# --------------------------------------------------------------------------------------------
# code → name


def name_of(code: str | pd.Series, vintage: int | None = None) -> str | pd.Series:
    """Official name of a code (区划代码→名称), at the end of ``vintage`` or the latest.

    Parameters
    ----------
    code : str or pandas.Series
        6-digit code(s); ``000000`` is 全国.
    vintage : int, optional
        Year whose name is wanted (滦县 until 2017 …); ``None``: the code's latest name.

    Returns
    -------
    str or pandas.Series
        For a Series, the same index with ``<NA>`` for codes unknown or not in force.

    Raises
    ------
    linkage.errors.InputError
        A single code that is not in the code table (or not in force at ``vintage``); the
        message says when it looks like an NBS functional unit (xx7x).

    Examples
    --------
    >>> name_of("130223"), name_of("130284", vintage=2018), name_of("000000")
    ('滦县', '滦州市', '全国')
    """
    series = code if isinstance(code, pd.Series) else pd.Series([code])
    text = series.astype("string").str.strip()
    if vintage is None:
        names = text.map(code_spans()["name"])
    else:
        names = _name_at(text, pd.Series(int(vintage), index=text.index))
    names = names.astype("string").mask(text.eq(NATIONAL_CODE), "全国")
    if isinstance(code, pd.Series):
        return names
    if pd.isna(names.iloc[0]):
        nbs = bool(is_nbs_functional_code(text).iloc[0])
        when = "" if vintage is None else f"（{vintage} 年末）"
        raise InputError(f"区划代码 {code!r} 不在民政部代码表中{when} / code not in the "
                         "民政部 code table", hint=_NBS_NOTE if nbs else
                         "代码表覆盖 2014—2024 年末的省、地、县三级 / the table covers "
                         "province, prefecture and county units at the end of 2014–2024")
    return str(names.iloc[0])
