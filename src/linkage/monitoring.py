"""Prevent-return-to-poverty monitoring (防止返贫动态监测): thresholds, classification, summaries.

* :func:`threshold_table` — the income monitoring threshold (监测范围, 元/人·年) per jurisdiction
  and year, as a *table* (national rules changed over time and provinces set their own),
  read from ``data/raw/monitoring_thresholds_table.csv`` or a user's own file. (It sits
  beside, not in, ``data/raw/reference/``: that folder holds verbatim copies of the shared
  reference tables, catalogued by :mod:`linkage.datasets`; this table adds assumed rows.)
* :func:`threshold_for` — vectorised lookup for household rows: county → province → national.
* :func:`classify_households` — the three monitoring categories by documented rules.
* :func:`monitoring_summary` — monitored households/persons, categories, risk elimination,
  new identifications and 返贫/致贫 counts by region and year, weighted and unweighted.

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

from linkage.errors import InputError
from linkage.paths import data_raw
from linkage.schemas import MONITOR_CATEGORIES

__all__ = [
    "GUARANTEE_COLUMNS",
    "NATIONAL_CODE",
    "SEVERE_SHOCKS",
    "THRESHOLD_COLUMNS",
    "classify_households",
    "monitoring_summary",
    "survey_weights",
    "threshold_for",
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


def threshold_for(
    region_codes: pd.Series, years: pd.Series, table: pd.DataFrame | None = None
) -> pd.Series:
    """Monitoring threshold per row (逐户监测收入标准): county → province → national fallback.

    For each (region code, year) the county's own row is used if the table has one for that
    year, else the province's (``code[:2] + "0000"``), else the national row (``000000``).
    Years must match exactly: thresholds change every year and are never carried over.

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
    pandas.Series
        Threshold in 元/人·年, float, same index as ``region_codes``, named ``threshold_yuan``.

    Raises
    ------
    InputError
        When some (region, year) has no county, province or national figure; the message names
        the first such pair and the count.

    Examples
    --------
    >>> threshold_for(pd.Series(["530102", "990101"]), pd.Series([2025, 2022])).tolist()
    [8700.0, 6600.0]
    """
    table = threshold_table() if table is None else validate_threshold_table(table)
    known = table.dropna(subset=["threshold_yuan"])
    lookup = pd.Series(known["threshold_yuan"].to_numpy(),
                       index=pd.MultiIndex.from_arrays([known["jurisdiction_code"],
                                                        known["year"]]))
    codes = region_codes.astype(str)
    yrs = pd.Series(np.asarray(years, dtype="int64"), index=codes.index)
    out = pd.Series(np.nan, index=codes.index, name="threshold_yuan")
    for level_code in (codes, codes.str[:2] + "0000", pd.Series(NATIONAL_CODE, index=codes.index)):
        found = lookup.reindex(pd.MultiIndex.from_arrays([level_code, yrs])).to_numpy()
        out = out.fillna(pd.Series(found, index=codes.index))
    if out.isna().any():
        first = out.isna().to_numpy().nonzero()[0][0]
        raise InputError(
            f"没有 {codes.iloc[first]} 在 {yrs.iloc[first]} 年的监测收入标准"
            f"（共 {int(out.isna().sum())} 行缺少标准）",
            column="region_code",
            hint="在监测收入标准表中补充该县、所在省或全国当年的标准（threshold_table(path)）")
    return out


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
    if rule not in ("income_or_guarantees", "income"):
        raise InputError(f"未知的认定规则 rule={rule!r}",
                         hint="rule 应为 'income_or_guarantees' 或 'income'")
    need = ["income_pc", "exited_poor", "shock"]
    if isinstance(thresholds, pd.DataFrame):
        need += ["region_code", "year"]
    if rule == "income_or_guarantees":
        need += list(GUARANTEE_COLUMNS)
    _require(households, need)
    if isinstance(thresholds, pd.DataFrame):
        line = threshold_for(households["region_code"], households["year"], thresholds)
    else:
        if not thresholds.index.equals(households.index) or thresholds.isna().any():
            raise InputError("监测收入标准序列与农户数据的行不对应或有缺失值",
                             hint="传入与 households 同索引、无缺失的标准，或传入标准表")
        line = thresholds.astype("float64")
    income = households["income_pc"].astype("float64")
    if income.isna().any():
        raise InputError("人均纯收入有缺失值，无法认定", column="income_pc",
                         hint="请补齐人均纯收入（或四项收入和家庭人口）")
    at_risk = (income < line).to_numpy()
    if rule == "income_or_guarantees":
        at_risk = at_risk | ~households[list(GUARANTEE_COLUMNS)].astype(bool).all(axis=1).to_numpy()
    exited = households["exited_poor"].astype(bool).to_numpy()
    severe = households["shock"].isin(list(severe_shocks)).to_numpy()
    category = np.select([~at_risk, exited, severe], [_NOT_MONITORED, _UNSTABLE, _SUDDEN],
                         default=_MARGINAL)
    return pd.Series(category, index=households.index, name="monitor_category", dtype="str")


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"农户数据缺少列：{', '.join(missing)}", column=missing[0],
                         hint="列名见 docs/architecture.md “Data kinds”（农户监测数据）")


def survey_weights(households: pd.DataFrame, weights: str | pd.Series | None) -> pd.Series | None:
    """Survey weights (抽样权数) as a float Series aligned with ``households``; None = unweighted.

    ``weights`` is a column name or an aligned Series; every weight must be > 0 and present.
    """
    if weights is None:
        return None
    if isinstance(weights, str):
        _require(households, [weights])
        w = households[weights]
    else:
        if not weights.index.equals(households.index):
            raise InputError("权重序列与农户数据的行不对应",
                             hint="传入与 households 同索引的权重或列名")
        w = weights
    w = pd.to_numeric(w, errors="coerce").astype("float64")
    if w.isna().any() or (w <= 0).any():
        raise InputError("权重须为正数且不能缺失",
                         column=weights if isinstance(weights, str) else None,
                         hint="检查权重列；普查式数据可不传 weights")
    return w


def monitoring_summary(
    households: pd.DataFrame,
    *,
    by: Sequence[str] = ("region_code", "year"),
    weights: str | pd.Series | None = None,
    id_col: str = "household_id",
) -> pd.DataFrame:
    """Monitoring summary (防返贫监测汇总) by region and year.

    Per group (rows of ``households`` grouped by ``by``; ``year`` should be among them):

    * ``monitored_households``, ``monitored_persons`` (Σ ``hh_size``) — 监测对象 (any category
      other than 非监测对象), and the households of each category
      (``households_脱贫不稳定户`` … );
    * ``eliminated_households``, ``eliminated_persons`` — ``risk_eliminated`` is True
      (已消除风险); ``elimination_rate`` = eliminated / monitored households (风险消除率;
      NaN only where a group has no monitored household, a 0/0);
    * ``new_households``, ``new_persons`` — newly identified (新识别): the first year a
      household is monitored in the data. In the data's first year a household's earlier
      history is unknown, so these columns are <NA> for that year (not 0, not "all new");
    * ``returned_households`` (返贫) — newly identified households that are 脱贫户
      (``exited_poor``); ``newly_poor_households`` (新致贫) — newly identified other households.
      (Income-based transitions are in :mod:`linkage.dynamics`.)

    With ``weights``, every count gets a weighted twin with suffix ``_w`` (Σ w for households,
    Σ w·hh_size for persons) and ``elimination_rate_w``.

    Compare: the national share of monitored people with risk eliminated was 65.7 % (2022-11,
    central and western provinces) and 60.4 % (2024-06, cumulative)
    (``monitoring_prevent_return_national.csv``); the bundled sample is calibrated to them.

    Parameters
    ----------
    households : pandas.DataFrame
        Household-year rows: ``household_id``, ``year``, ``hh_size``, ``monitor_category``,
        ``risk_eliminated``, ``exited_poor`` and the ``by`` columns.
    by : sequence of str, default ("region_code", "year")
    weights : str or pandas.Series, optional
        Column name (e.g. ``"weight"``) or aligned Series of survey weights (> 0).
    id_col : str, default "household_id"

    Returns
    -------
    pandas.DataFrame
        Indexed by ``by``; columns as above (counts Int64, rates float).

    Examples
    --------
    >>> h = pd.DataFrame({"household_id": ["a", "a", "b", "b"], "year": [2021, 2022] * 2,
    ...     "region_code": "990101", "hh_size": [3, 3, 2, 2],
    ...     "exited_poor": [True] * 2 + [False] * 2,
    ...     "monitor_category": ["非监测对象", "脱贫不稳定户", "边缘易致贫户", "边缘易致贫户"],
    ...     "risk_eliminated": pd.array([None, False, False, True], dtype="boolean")})
    >>> s = monitoring_summary(h, by=("year",))
    >>> s[["monitored_households", "eliminated_households", "new_households",
    ...    "returned_households"]].loc[2022].tolist()
    [2, 1, 1, 1]
    """
    by = list(by)
    _require(households, [id_col, "year", "hh_size", "monitor_category", "risk_eliminated",
                          "exited_poor", *by])
    w = survey_weights(households, weights)
    bad = ~households["monitor_category"].isin(MONITOR_CATEGORIES)
    if bad.any():
        value = households["monitor_category"][bad].iloc[0]
        raise InputError(f"监测类型不在可选值中（值：{value}）",
                         column="monitor_category", hint="可选值：" + "、".join(MONITOR_CATEGORIES))
    if households.duplicated([id_col, "year"]).any():
        raise InputError("同一户同一年出现多行", column=id_col, hint="每户每年只保留一行")
    monitored = (households["monitor_category"] != _NOT_MONITORED).to_numpy()
    year = households["year"].to_numpy()
    first_monitored = pd.Series(np.where(monitored, year, np.iinfo(np.int64).max),
                                index=households.index).groupby(households[id_col]).transform("min")
    unknown_history = year == year.min()
    new = monitored & (year == first_monitored.to_numpy()) & ~unknown_history
    persons = households["hh_size"].to_numpy(dtype="float64")
    exited = households["exited_poor"].astype(bool).to_numpy()
    eliminated = monitored & households["risk_eliminated"].fillna(False).astype(bool).to_numpy()
    category = households["monitor_category"].to_numpy()
    columns = {"monitored_households": monitored, "monitored_persons": monitored * persons,
               **{f"households_{c}": category == c for c in MONITOR_CATEGORIES[1:]},
               "eliminated_households": eliminated, "eliminated_persons": eliminated * persons,
               "new_households": new, "new_persons": new * persons,
               "returned_households": new & exited, "newly_poor_households": new & ~exited}
    keys = [households[c] for c in by]
    counts = pd.DataFrame(columns, index=households.index).astype("float64")
    grouped = {"": counts.groupby(keys, sort=True).sum()}
    if w is not None:
        grouped["_w"] = counts.mul(w, axis=0).groupby(keys, sort=True).sum()
    history_unknown = pd.Series(unknown_history, index=households.index).groupby(
        keys, sort=True).all()
    parts = []
    for suffix, table in grouped.items():
        table = table.round().astype("Int64") if suffix == "" else table.copy()
        new_cols = ["new_households", "new_persons", "returned_households",
                    "newly_poor_households"]
        table.loc[history_unknown.to_numpy(), new_cols] = pd.NA if suffix == "" else np.nan
        table["elimination_rate"] = (table["eliminated_households"].astype("float64")
                                     / table["monitored_households"].astype("float64")
                                     .replace(0, np.nan))
        parts.append(table.add_suffix(suffix))
    return pd.concat(parts, axis=1)
