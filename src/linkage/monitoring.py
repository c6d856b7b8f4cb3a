"""Prevent-return-to-poverty monitoring (防止返贫动态监测): thresholds, classification, summaries.

* :func:`threshold_table` — the income monitoring threshold (监测范围, 元/人·年) per jurisdiction
  and year, as a *table* (national rules changed over time and provinces set their own),
  read from ``data/raw/monitoring_thresholds_table.csv`` or a user's own file. (It sits
  beside, not in, ``data/raw/reference/``: that folder holds verbatim copies of the shared
  reference tables, catalogued by :mod:`linkage.datasets`; this table adds assumed rows.)
* :func:`threshold_lookup` / :func:`threshold_for` — vectorised lookup for household rows:
  county → province → national, with the level and value type used (reports say which).
* :func:`classify_households` — the three monitoring categories by documented rules.
* :func:`monitoring_summary` — monitored households/persons, categories, risk elimination
  (by household and by person), new identifications (of which 脱贫户: 返贫 *risk*, not
  返贫) by region and year, weighted and unweighted.

Rules follow the national 防止返贫动态监测和帮扶 mechanism as summarised in the indicator catalogue
(``/work/shared/reference/indicator_catalog_literature.csv`` rows MON-01 … MON-07: 大姚县农业农村局
2024 监测对象认定; 枞阳县 风险消除标准): income below the year's monitoring threshold (MON-01),
large rigid expenditure (MON-02), failed 三保障 (MON-03) or drinking water (MON-04), prominent
hardship after a shock (MON-05); risk is eliminated when income stays above the threshold and
the guarantees hold (MON-07).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import (
    Missing,
    aligned,
    check_option,
    finite_array,
    first_rows,
    missing_mask,
    require_columns,
    survey_weights,
)
from linkage.errors import InputError
from linkage.paths import data_raw
from linkage.schemas import MONITOR_CATEGORIES

__all__ = [
    "GUARANTEE_COLUMNS",
    "NATIONAL_CODE",
    "SEVERE_SHOCKS",
    "THRESHOLD_COLUMNS",
    "Rule",
    "classify_households",
    "monitoring_summary",
    "threshold_for",
    "threshold_lookup",
    "threshold_table",
    "validate_threshold_table",
]

#: Jurisdiction code of national rows in the threshold table.
NATIONAL_CODE = "000000"

#: Columns of a threshold table.
THRESHOLD_COLUMNS = ("jurisdiction_code", "jurisdiction", "level", "year", "threshold_yuan",
                     "basis", "source", "value_type")

#: 两不愁三保障 + 饮水安全 (MON-03, MON-04): all must be True for a household to be secure.
GUARANTEE_COLUMNS = ("food_clothing_ok", "compulsory_edu_ok", "basic_medical_ok",
                     "housing_safe_ok", "drinking_water_ok")

#: Shocks that count as 突发严重困难 (因病、因残、因灾、因意外; MON-05). 失业 and 其他 are not.
SEVERE_SHOCKS = ("疾病", "残疾", "自然灾害", "意外事故")

_NOT_MONITORED, _UNSTABLE, _MARGINAL, _SUDDEN = MONITOR_CATEGORIES
_VALUE_TYPES = ("reported", "assumed")
_LEVELS = ("national", "province", "county")


def threshold_table(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Monitoring income thresholds (防返贫监测收入标准表), one row per jurisdiction-year.

    The bundled table keeps every real figure of ``monitoring_income_thresholds.csv`` with its
    source (``value_type = "reported"``) and adds national *defaults* for 2021 and 2023–2025
    marked ``value_type = "assumed"``: no national figure for those years was found, so they are
    the bundled sample's assumption (6600 yuan in 2022 moved with national rural income).
    Anhui 2020 is a rule without a yuan figure (``threshold_yuan`` empty); lookups skip it.

    Parameters
    ----------
    path : path-like, optional
        A CSV with the columns :data:`THRESHOLD_COLUMNS` (UTF-8); default the bundled
        ``data/raw/monitoring_thresholds_table.csv``. ``jurisdiction_code`` is a
        6-digit code: ``000000`` national, ``PP0000`` province, a county code for counties.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`THRESHOLD_COLUMNS`; ``threshold_yuan`` in 元/人·年 (float, may be empty).

    Examples
    --------
    >>> t = threshold_table()
    >>> t.loc[(t["jurisdiction_code"] == "530000") & (t["year"] == 2025), "threshold_yuan"].item()
    8700.0
    """
    file = Path(path) if path is not None else data_raw() / "monitoring_thresholds_table.csv"
    if not file.is_file():
        raise InputError("找不到监测收入标准表", file=file,
                         hint="请检查路径；列应为 " + ", ".join(THRESHOLD_COLUMNS))
    table = pd.read_csv(file, dtype={"jurisdiction_code": str}, encoding="utf-8")
    return validate_threshold_table(table, file=file)


def validate_threshold_table(table: pd.DataFrame, *, file: object = None) -> pd.DataFrame:
    """Check a user's threshold table and return it typed (校验监测收入标准表)."""
    missing = [c for c in THRESHOLD_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"监测收入标准表缺少列：{', '.join(missing)}", file=file,
                         column=missing[0], hint="列应为 " + ", ".join(THRESHOLD_COLUMNS))
    out = table.loc[:, list(THRESHOLD_COLUMNS)].copy()
    out["jurisdiction_code"] = out["jurisdiction_code"].astype(str).str.strip()
    checks = {
        "jurisdiction_code": ~out["jurisdiction_code"].str.fullmatch(r"\d{6}"),
        "level": ~out["level"].isin(_LEVELS),
        "value_type": ~out["value_type"].isin(_VALUE_TYPES),
        "source": out["source"].isna() | (out["source"].astype(str).str.strip() == ""),
    }
    out["year"] = pd.to_numeric(out["year"], errors="coerce")
    out["threshold_yuan"] = pd.to_numeric(out["threshold_yuan"], errors="coerce")
    checks["year"] = out["year"].isna()
    checks["threshold_yuan"] = (out["threshold_yuan"] <= 0) | (
        out["threshold_yuan"].isna() & table["threshold_yuan"].notna())
    for column, bad in checks.items():
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"监测收入标准表的值无效（值：{table[column].iloc[i]}）", file=file, row=i + 2,
                column=column,
                hint="区划代码 6 位（全国 000000，省 PP0000）；level 为 " + "/".join(_LEVELS)
                     + "；value_type 为 reported/assumed；每行须有来源；标准为正数（元/人·年）")
    out["year"] = out["year"].astype("int64")
    dup = out.dropna(subset=["threshold_yuan"]).duplicated(["jurisdiction_code", "year"])
    if dup.any():
        row = out.dropna(subset=["threshold_yuan"])[dup].iloc[0]
        raise InputError(f"监测收入标准表中 {row['jurisdiction_code']} {row['year']} 年出现两次",
                         file=file, column="jurisdiction_code", hint="每个地区每年只保留一个标准")
    return out.reset_index(drop=True)


def threshold_lookup(
    region_codes: pd.Series, years: pd.Series, table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Monitoring threshold per row and where it comes from (逐户监测收入标准及其来源).

    For each (region code, year) the county's own row is used if the table has one for that
    year, else the province's (``code[:2] + "0000"``), else the national row (``000000``).
    Years must match exactly: thresholds change every year and are never carried over. The
    fallback is part of the national rules (provinces may set their own standard, else the
    national one applies); the returned ``level`` and ``value_type`` say for every row which
    figure was used and whether it is reported or assumed, so a report can state it.

    Parameters
    ----------
    region_codes : pandas.Series of str
        6-digit county codes.
    years : pandas.Series of int
        Years, aligned with ``region_codes``.
    table : pandas.DataFrame, optional
        From :func:`threshold_table` (default) or the user's own table with the same columns.

    Returns
    -------
    pandas.DataFrame
        Same index as ``region_codes``: ``threshold_yuan`` (元/人·年), ``jurisdiction_code``,
        ``jurisdiction`` (name), ``level`` (county / province / national) and ``value_type``
        (reported / assumed).

    Raises
    ------
    InputError
        When some (region, year) has no county, province or national figure; the message names
        the first such pair and the count.

    Examples
    --------
    >>> t = threshold_lookup(pd.Series(["530102", "990101"]), pd.Series([2025, 2022]))
    >>> t[["threshold_yuan", "level", "value_type"]].values.tolist()
    [[8700.0, 'province', 'reported'], [6600.0, 'national', 'reported']]
    """
    table = threshold_table() if table is None else validate_threshold_table(table)
    known = table.dropna(subset=["threshold_yuan"]).set_index(["jurisdiction_code", "year"])
    codes = aligned(region_codes, region_codes.index, "region_code").astype(str)
    yrs = pd.Series(np.asarray(years, dtype="int64"), index=codes.index)
    fields = ["jurisdiction", "level", "value_type"]
    out = pd.DataFrame({"threshold_yuan": np.nan, "jurisdiction_code": pd.NA,
                        **dict.fromkeys(fields, pd.NA)}, index=codes.index).astype(
        dict.fromkeys(["jurisdiction_code", *fields], object))
    for level_code in (codes, codes.str[:2] + "0000", pd.Series(NATIONAL_CODE, index=codes.index)):
        todo = out["threshold_yuan"].isna().to_numpy()
        found = known.reindex(pd.MultiIndex.from_arrays([level_code[todo], yrs[todo]]))
        hit = found["threshold_yuan"].notna().to_numpy()
        rows = codes.index[todo][hit]
        out.loc[rows, "threshold_yuan"] = found["threshold_yuan"].to_numpy()[hit]
        out.loc[rows, "jurisdiction_code"] = level_code[todo].to_numpy()[hit]
        for field in fields:
            out.loc[rows, field] = found[field].to_numpy()[hit]
    gaps = out["threshold_yuan"].isna().to_numpy()
    if gaps.any():
        first = int(np.flatnonzero(gaps)[0])
        raise InputError(
            f"没有 {codes.iloc[first]} 在 {yrs.iloc[first]} 年的监测收入标准"
            f"（共 {int(gaps.sum())} 行缺少标准，行 "
            f"{first_rows(codes.index[gaps], int(gaps.sum()))}）",
            column="region_code",
            hint="在监测收入标准表中补充该县、所在省或全国当年的标准（threshold_table(path)）")
    return out


def threshold_for(
    region_codes: pd.Series, years: pd.Series, table: pd.DataFrame | None = None
) -> pd.Series:
    """Monitoring threshold per row (逐户监测收入标准), 元/人·年: the ``threshold_yuan`` column
    of :func:`threshold_lookup` (county → province → national; see there).

    Examples
    --------
    >>> threshold_for(pd.Series(["530102", "990101"]), pd.Series([2025, 2022])).tolist()
    [8700.0, 6600.0]
    """
    return threshold_lookup(region_codes, years, table)["threshold_yuan"].astype("float64")


Rule = Literal["income_or_guarantees", "income"]


def classify_households(
    households: pd.DataFrame,
    thresholds: pd.DataFrame | pd.Series,
    *,
    rule: Rule = "income_or_guarantees",
    severe_shocks: Sequence[str] = SEVERE_SHOCKS,
) -> pd.Series:
    """Monitoring category by rule (监测对象类别认定): 脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户.

    A household-year is **at risk** when its per-capita income is below the year's monitoring
    threshold (MON-01) or — with ``rule="income_or_guarantees"`` (default) — when any of
    不愁吃、不愁穿 / 义务教育 / 基本医疗 / 住房安全 / 饮水安全 fails (MON-03, MON-04). Then

    * 脱贫户 (``exited_poor``) at risk → 脱贫不稳定户;
    * other households at risk with a severe shock this year (``severe_shocks``: 疾病、残疾、
      自然灾害、意外事故 — 因病因残因灾因意外, MON-05) → 突发严重困难户;
    * other households at risk → 边缘易致贫户;
    * otherwise → 非监测对象.

    This is a point-in-time *screening* rule (the national mechanism adds 综合研判 — expenditure
    MON-02 and coping capacity MON-06 — and keeps households on the roster until the risk is
    eliminated, MON-07), so it flags candidates rather than reproducing a roster. The bundled
    sample's roster is sticky and probabilistic (``data/raw/sample/README.md``).

    Parameters
    ----------
    households : pandas.DataFrame
        Household-year rows with ``income_pc`` (元/人·年), ``exited_poor``, ``shock``,
        ``region_code``, ``year`` and the :data:`GUARANTEE_COLUMNS`.
    thresholds : pandas.DataFrame or pandas.Series
        A threshold table (looked up with :func:`threshold_for`) or a Series of thresholds
        (元/人·年) aligned with ``households``.
    rule : {"income_or_guarantees", "income"}
    severe_shocks : sequence of str

    Raises
    ------
    InputError
        A needed column is absent, or has missing values (named with their rows): a missing
        guarantee is not "达标", a missing income is not "above the threshold".

    Returns
    -------
    pandas.Series
        Category (str) per row, same index, named ``monitor_category``.

    Examples
    --------
    >>> h = pd.DataFrame({"region_code": ["990101"] * 3, "year": [2022] * 3,
    ...                   "income_pc": [5000.0, 5000.0, 9000.0],
    ...                   "exited_poor": [True, False, False],
    ...                   "shock": ["无", "疾病", "无"]} | dict.fromkeys(GUARANTEE_COLUMNS, True))
    >>> classify_households(h, threshold_table()).tolist()
    ['脱贫不稳定户', '突发严重困难户', '非监测对象']
    """
    check_option("rule", rule, Rule)
    need = ["income_pc", "exited_poor", "shock"]
    if isinstance(thresholds, pd.DataFrame):
        need += ["region_code", "year"]
    if rule == "income_or_guarantees":
        need += list(GUARANTEE_COLUMNS)
    what = "农户数据 / household data"
    require_columns(households, need, what=what)
    missing_mask(households, need, "raise", what=what)  # a gap is never read as 达标 or 0
    if isinstance(thresholds, pd.DataFrame):
        line = threshold_for(households["region_code"], households["year"], thresholds)
    else:
        line = finite_array(aligned(thresholds, households.index, "thresholds"), "thresholds",
                            minimum=0.0, strict=True)
    income = finite_array(households["income_pc"], "income_pc")
    at_risk = income < np.asarray(line, dtype="float64")
    if rule == "income_or_guarantees":
        at_risk |= ~households[list(GUARANTEE_COLUMNS)].astype(bool).all(axis=1).to_numpy()
    exited = households["exited_poor"].astype(bool).to_numpy()
    severe = households["shock"].isin(list(severe_shocks)).to_numpy()
    category = np.select([~at_risk, exited, severe], [_NOT_MONITORED, _UNSTABLE, _SUDDEN],
                         default=_MARGINAL)
    return pd.Series(category, index=households.index, name="monitor_category", dtype="str")


def monitoring_summary(
    households: pd.DataFrame,
    *,
    by: Sequence[str] = ("region_code", "year"),
    weights: str | pd.Series | None = None,
    unit: str = "household_id",
    time: str = "year",
    missing: Missing = "raise",
) -> pd.DataFrame:
    """Monitoring summary (防返贫监测汇总) by region and year, in households and in persons.

    Per group (rows of ``households`` grouped by ``by``; ``time`` should be among them):

    * ``all_households``, ``all_persons`` — every household of the group and its members
      (the denominators of shares of the population);
    * ``monitored_households``, ``monitored_persons`` (Σ ``hh_size``) — 监测对象 (any category
      other than 非监测对象), and the households of each category
      (``households_脱贫不稳定户`` … );
    * ``eliminated_households``, ``eliminated_persons`` — ``risk_eliminated`` is True
      (已消除风险); ``elimination_rate`` = eliminated / monitored households (风险消除率, 户)
      and ``elimination_rate_persons`` = eliminated / monitored persons (人, the unit of the
      national figures); NaN only where a group has no monitored household (0/0);
    * ``new_households``, ``new_persons`` — newly identified (新识别): the first year a
      household is monitored in the data. In the data's first year a household's earlier
      history is unknown, so these columns are <NA> for that year (not 0, not "all new");
    * ``new_exited_households`` / ``new_exited_persons`` — newly identified households that
      are 脱贫户 (``exited_poor``): at risk of returning to poverty (返贫风险). They have *not*
      returned to poverty: risk is identified so that they do not (the 返贫致贫 registry count
      is a different, much rarer event); ``new_other_households`` / ``new_other_persons`` — the
      other newly identified (致贫风险). Income-based transitions are in
      :mod:`linkage.dynamics`.

    With ``weights``, every count gets a weighted twin with suffix ``_w`` (Σ w for households,
    Σ w·hh_size for persons) and both rates get one too.

    Nothing is dropped or defaulted silently: a monitored household-year whose
    ``risk_eliminated`` is missing, a missing group key, size, category or 脱贫户 flag raises
    an :class:`~linkage.errors.InputError` naming the column and rows (``missing="raise"``,
    default), or with ``missing="drop"`` those rows are left out and their number is in
    ``table.attrs["dropped_rows"]`` and ``table.attrs["note"]``.

    Compare: the national share of monitored people with risk eliminated was 65.7 % (2022-11,
    central and western provinces) and 60.4 % (2024-06, cumulative)
    (``monitoring_prevent_return_national.csv``); the bundled sample is calibrated to them.

    Parameters
    ----------
    households : pandas.DataFrame
        Household-year rows: ``unit``, ``time``, ``hh_size``, ``monitor_category``,
        ``risk_eliminated``, ``exited_poor`` and the ``by`` columns.
    by : sequence of str, default ("region_code", "year")
    weights : str or pandas.Series, optional
        Column name (e.g. ``"weight"``) or aligned Series of survey weights (> 0); a named
        column that is absent raises.
    unit, time : str, default "household_id", "year"
        Panel keys: household and year columns.
    missing : {"raise", "drop"}, default "raise"

    Returns
    -------
    pandas.DataFrame
        Indexed by ``by``; columns as above (counts Int64, rates float); ``attrs`` hold
        ``dropped_rows`` (int) and ``note`` (str, empty when nothing was dropped).

    Examples
    --------
    >>> h = pd.DataFrame({"household_id": ["a", "a", "b", "b"], "year": [2021, 2022] * 2,
    ...     "region_code": "990101", "hh_size": [3, 3, 2, 2],
    ...     "exited_poor": [True] * 2 + [False] * 2,
    ...     "monitor_category": ["非监测对象", "脱贫不稳定户", "边缘易致贫户", "边缘易致贫户"],
    ...     "risk_eliminated": pd.array([None, False, False, True], dtype="boolean")})
    >>> s = monitoring_summary(h, by=("year",))
    >>> s[["monitored_households", "eliminated_households", "new_households",
    ...    "new_exited_households"]].loc[2022].tolist()
    [2, 1, 1, 1]
    >>> round(float(s.loc[2022, "elimination_rate_persons"]), 2)  # 2 of 5 persons
    0.4
    """
    by = list(by)
    what = "农户数据 / household data"
    keys = list(dict.fromkeys([unit, time, "hh_size", "monitor_category", "exited_poor", *by]))
    require_columns(households, [*keys, "risk_eliminated"], what=what)
    incomplete = missing_mask(households, keys, missing, what=what, allowed=("raise", "drop"))
    bad = ~households["monitor_category"].isin(MONITOR_CATEGORIES).to_numpy() & ~incomplete
    if bad.any():
        value = households["monitor_category"][bad].iloc[0]
        raise InputError(f"监测类型不在可选值中（值：{value}；行 "
                         f"{first_rows(households.index[bad], int(bad.sum()))}）",
                         column="monitor_category", hint="可选值：" + "、".join(MONITOR_CATEGORIES))
    monitored = (households["monitor_category"] != _NOT_MONITORED).to_numpy() & ~incomplete
    unknown = monitored & households["risk_eliminated"].isna().to_numpy()
    if missing == "raise" and unknown.any():
        raise InputError(
            f"有 {int(unknown.sum())} 个监测户-年的 “risk_eliminated” 缺失（行 "
            f"{first_rows(households.index[unknown], int(unknown.sum()))}），无法计入风险消除 / "
            "monitored households without a risk-elimination status",
            column="risk_eliminated",
            hint="补齐风险消除标记（缺失不等于“未消除”），或传 missing='drop' 删除这些行"
                 "（报告注明删除数）")
    drop = incomplete | unknown
    data = households.loc[~drop]
    w = None if weights is None else pd.Series(
        survey_weights(weights, households), index=households.index)[~drop]
    if data.duplicated([unit, time]).any():
        raise InputError("同一户同一年出现多行", column=unit, hint="每户每年只保留一行")
    persons = finite_array(data["hh_size"], "hh_size", minimum=1.0)
    monitored = (data["monitor_category"] != _NOT_MONITORED).to_numpy()
    year = data[time].to_numpy()
    first_monitored = pd.Series(np.where(monitored, year, np.iinfo(np.int64).max),
                                index=data.index).groupby(data[unit]).transform("min")
    unknown_history = year == year.min()
    new = monitored & (year == first_monitored.to_numpy()) & ~unknown_history
    exited = data["exited_poor"].astype(bool).to_numpy()
    eliminated = monitored & data["risk_eliminated"].fillna(False).astype(bool).to_numpy()
    category = data["monitor_category"].to_numpy()
    columns = {"all_households": np.ones(len(data)), "all_persons": persons,
               "monitored_households": monitored, "monitored_persons": monitored * persons,
               **{f"households_{c}": category == c for c in MONITOR_CATEGORIES[1:]},
               "eliminated_households": eliminated, "eliminated_persons": eliminated * persons,
               "new_households": new, "new_persons": new * persons,
               "new_exited_households": new & exited,
               "new_exited_persons": (new & exited) * persons,
               "new_other_households": new & ~exited,
               "new_other_persons": (new & ~exited) * persons}
    group_keys = [data[c] for c in by]
    counts = pd.DataFrame(columns, index=data.index).astype("float64")
    grouped = {"": counts.groupby(group_keys, sort=True).sum()}
    if w is not None:
        grouped["_w"] = counts.mul(w, axis=0).groupby(group_keys, sort=True).sum()
    history_unknown = pd.Series(unknown_history, index=data.index).groupby(
        group_keys, sort=True).all()
    new_cols = [c for c in columns if c.startswith("new_")]
    parts = []
    for suffix, table in grouped.items():
        table = table.round().astype("Int64") if suffix == "" else table.copy()
        table.loc[history_unknown.to_numpy(), new_cols] = pd.NA if suffix == "" else np.nan
        for rate, unit_ in (("elimination_rate", "households"),
                            ("elimination_rate_persons", "persons")):
            table[rate] = (table[f"eliminated_{unit_}"].astype("float64")
                           / table[f"monitored_{unit_}"].astype("float64").replace(0, np.nan))
        parts.append(table.add_suffix(suffix))
    out = pd.concat(parts, axis=1)
    n_dropped = int(drop.sum())
    out.attrs["dropped_rows"] = n_dropped
    out.attrs["note"] = (f"已删除 {n_dropped} 个户-年（分组、户规模、类别或风险消除标记缺失）/ "
                         f"{n_dropped} household-years with missing values dropped"
                         if n_dropped else "")
    return out
