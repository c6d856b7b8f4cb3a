"""Poverty dynamics (贫困动态): status transitions of households between years.

* :func:`risk_status` — the default household-year status from income vs the monitoring
  threshold, the monitoring roster and 脱贫户 status (documented below).
* :func:`transition_matrix` — counts and row rates between the statuses of two years.
* :func:`transitions` — the same for every pair of consecutive years, in one vectorised pass.

Transition matrices of household panels are the standard tool of poverty-dynamics work
(e.g. Jalan & Ravallion 2000, *J. Development Studies* 36(6):82-99; Dercon & Krishnan 2000).
Households observed in only one of the two years are never dropped silently: they appear in an
attrition row/column labelled :data:`UNOBSERVED` (未观测). Rates are row shares, so each row —
including the row of households not observed in the first year — sums to 1.

Counts are of households (``per="household"``, default: the panel's unit) or of persons
(``per="person"``: each household counts with its size, as 返贫/致贫 figures are published in
persons). A household counts with its weight and size of the pair's first year (the year of the
population at risk), or of the second year when it enters the panel then.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkage.checks import first_rows, missing_mask, require_columns
from linkage.errors import InputError
from linkage.labels import Language, is_zh
from linkage.monitoring import threshold_for
from linkage.poverty.units import Per, unit_name, unit_weights

__all__ = [
    "RISK_STATUSES",
    "TRANSITION_TYPES",
    "UNOBSERVED",
    "TransitionResult",
    "risk_status",
    "transition_matrix",
    "transitions",
]

#: Label of the attrition row/column.
UNOBSERVED = "未观测"

#: Default statuses (see :func:`risk_status`).
RISK_STATUSES = ("脱贫户·稳定", "脱贫户·风险", "一般农户·稳定", "一般农户·风险")

#: Transition types between two years of :data:`RISK_STATUSES`, for ``.summary()``:
#: 转入风险 is the *risk* of returning to / falling into poverty (income below the monitoring
#: threshold, or on the roster unresolved), not the registered 返贫/致贫 event.
TRANSITION_TYPES = {
    ("脱贫户·稳定", "脱贫户·稳定"): ("稳定脱贫", "stayed stable"),
    ("脱贫户·稳定", "脱贫户·风险"): ("脱贫户转入风险", "exited-poor entering risk"),
    ("一般农户·稳定", "一般农户·风险"): ("一般农户转入风险", "others entering risk"),
    ("脱贫户·风险", "脱贫户·风险"): ("持续风险", "stayed at risk"),
    ("一般农户·风险", "一般农户·风险"): ("持续风险", "stayed at risk"),
    ("脱贫户·风险", "脱贫户·稳定"): ("风险解除", "left risk"),
    ("一般农户·风险", "一般农户·稳定"): ("风险解除", "left risk"),
}


def risk_status(households: pd.DataFrame, thresholds: pd.DataFrame | None = None) -> pd.Series:
    """Default household-year status (农户风险状态) for transition analysis.

    A household-year is **at risk** (风险) when its per-capita income is below the year's
    monitoring threshold (:func:`linkage.monitoring.threshold_for`) or it is on the monitoring
    roster with the risk not (yet) eliminated (``monitor_category`` ≠ 非监测对象 and
    ``risk_eliminated`` False); otherwise **stable** (稳定). Crossed with 脱贫户
    (``exited_poor``) this gives :data:`RISK_STATUSES`. Between two years, stable → at risk is
    *entering risk* (转入风险: the risk of 返贫 for 脱贫户, of 致贫 for others — not the
    registered 返贫/致贫 event, which the monitoring exists to prevent), at risk → stable is
    leaving risk (风险解除), see :data:`TRANSITION_TYPES`.

    Missing values are never read as a status: a missing income, 脱贫户 flag or category, or a
    monitored household-year without ``risk_eliminated``, raises an
    :class:`~linkage.errors.InputError` naming the column and rows.

    Parameters
    ----------
    households : pandas.DataFrame
        ``region_code, year, income_pc, exited_poor, monitor_category, risk_eliminated``.
    thresholds : pandas.DataFrame, optional
        Threshold table (default :func:`linkage.monitoring.threshold_table`).

    Returns
    -------
    pandas.Series
        Ordered categorical over :data:`RISK_STATUSES`, named ``status``.

    Examples
    --------
    >>> h = pd.DataFrame({"region_code": "990101", "year": [2022, 2022], "income_pc": [5000.0, 9e3],
    ...                   "exited_poor": [True, False], "monitor_category": "非监测对象",
    ...                   "risk_eliminated": pd.array([pd.NA, pd.NA], dtype="boolean")})
    >>> risk_status(h).tolist()
    ['脱贫户·风险', '一般农户·稳定']
    """
    what = "农户数据 / household data"
    columns = ["region_code", "year", "income_pc", "exited_poor", "monitor_category"]
    require_columns(households, [*columns, "risk_eliminated"], what=what)
    missing_mask(households, columns, "raise", what=what)
    monitored = (households["monitor_category"] != "非监测对象").to_numpy()
    unknown = monitored & households["risk_eliminated"].isna().to_numpy()
    if unknown.any():
        raise InputError(
            f"有 {int(unknown.sum())} 个监测户-年的 “risk_eliminated” 缺失（行 "
            f"{first_rows(households.index[unknown], int(unknown.sum()))}）/ monitored "
            "households without a risk-elimination status", column="risk_eliminated",
            hint="补齐风险消除标记：缺失不等于“未消除” / a missing status is not 'not eliminated'")
    line = threshold_for(households["region_code"], households["year"], thresholds)
    on_roster = monitored & ~households["risk_eliminated"].fillna(False).astype(bool).to_numpy()
    at_risk = (households["income_pc"].to_numpy(dtype="float64") < line.to_numpy()) | on_roster
    code = np.where(households["exited_poor"].astype(bool), 0, 2) + at_risk
    return pd.Series(pd.Categorical.from_codes(code, categories=RISK_STATUSES, ordered=True),
                     index=households.index, name="status")


@dataclass(frozen=True)
class TransitionResult:
    """Transition matrix (转移矩阵) between two years.

    Attributes
    ----------
    counts : pandas.DataFrame
        Rows = status in ``from_year``, columns = status in ``to_year``, both ending with the
        attrition label :data:`UNOBSERVED`; counts of households or persons (``per``),
        weighted sums when weighted.
    rates : pandas.DataFrame
        Row shares of ``counts`` (each non-empty row sums to 1; an empty row is NaN).
    from_year, to_year : int
    weighted : bool
    per : {"household", "person"}
    """

    counts: pd.DataFrame
    rates: pd.DataFrame
    from_year: int
    to_year: int
    weighted: bool
    per: Per = "household"

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: ``from_year, to_year, from_status, to_status, count, rate``."""
        return _tidy(self.counts, self.rates).assign(
            from_year=self.from_year, to_year=self.to_year).loc[
            :, ["from_year", "to_year", "from_status", "to_status", "count", "rate"]]

    def summary(self, language: Language = "zh") -> str:
        """Matched units, attrition and the transition types, in ``language``."""
        c = self.counts
        matched = c.drop(index=UNOBSERVED, columns=UNOBSERVED)
        zh = is_zh(language)
        unit = unit_name(self.per, language)
        if self.weighted:
            unit += "（加权）" if zh else " (weighted)"
        a, b = self.from_year, self.to_year
        lines = [f"{a}→{b} 年农户状态转移：两年均观测 {matched.to_numpy().sum():,.0f} {unit}；"
                 f"仅 {a} 年观测 {c[UNOBSERVED].sum():,.0f}，仅 {b} 年观测 "
                 f"{c.loc[UNOBSERVED].sum():,.0f}。" if zh else
                 f"Household status transitions {a}→{b}: {matched.to_numpy().sum():,.0f} {unit} "
                 f"observed in both years; {c[UNOBSERVED].sum():,.0f} only in {a}, "
                 f"{c.loc[UNOBSERVED].sum():,.0f} only in {b}."]
        totals: dict[str, float] = {}
        for (s, t), names in TRANSITION_TYPES.items():
            if s in matched.index and t in matched.columns:
                kind = names[0 if zh else 1]
                totals[kind] = totals.get(kind, 0.0) + float(matched.loc[s, t])
        lines += [f"  {kind}{'：' if zh else ': '}{n:,.0f} {unit}" for kind, n in totals.items()]
        return "\n".join(lines)


def _tidy(counts: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    long = counts.stack(future_stack=True).rename("count").to_frame()
    long["rate"] = rates.stack(future_stack=True)
    long.index.names = ["from_status", "to_status"]
    return long.reset_index()


def _status_series(households: pd.DataFrame, status: str | pd.Series) -> pd.Series:
    if isinstance(status, str):
        require_columns(households, [status], what="农户数据 / household data")
        s = households[status]
    else:
        if not status.index.equals(households.index):
            raise InputError("状态序列与农户数据的行不对应", hint="传入与 households 同索引的状态")
        s = status
    gaps = s.isna().to_numpy()
    if gaps.any():
        raise InputError(f"状态有 {int(gaps.sum())} 个缺失值（行 "
                         f"{first_rows(households.index[gaps], int(gaps.sum()))}）",
                         column=getattr(s, "name", None),
                         hint="每个户-年都需要一个状态；未观测的户不应出现在数据中")
    return s


@dataclass(frozen=True)
class _Grid:
    """Household × year tables: status code (-1 = unobserved) and unit weight (NaN)."""

    codes: pd.DataFrame
    weights: pd.DataFrame
    labels: list[str]


def _grid(households: pd.DataFrame, status: str | pd.Series, weights: str | pd.Series | None,
          per: Per, size: str, unit: str, time: str) -> _Grid:
    what = "农户数据 / household data"
    require_columns(households, [unit, time], what=what)
    missing_mask(households, [unit, time], "raise", what=what)
    if households.duplicated([unit, time]).any():
        raise InputError("同一户同一年出现多行", column=unit, hint="每户每年只保留一行")
    s = _status_series(households, status)
    cats = (list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype)
            else sorted(s.astype(str).unique()))
    if UNOBSERVED in cats:
        raise InputError(f"状态不能叫“{UNOBSERVED}”（保留给缺失年份）", hint="请改名")
    w = unit_weights(households, weights, per=per, size=size)
    frame = pd.DataFrame({"id": households[unit].to_numpy(), "year": households[time].to_numpy(),
                          "code": pd.Categorical(s.astype(str), categories=cats).codes, "w": w})
    codes = frame.pivot(index="id", columns="year", values="code").fillna(-1).astype("int64")
    wide_w = frame.pivot(index="id", columns="year", values="w").reindex_like(codes)
    return _Grid(codes, wide_w, cats)


def _pair_weights(grid: _Grid, a: object, b: object) -> np.ndarray:
    """Each household's weight for the pair (a, b): its year-a weight, or year-b if new."""
    return grid.weights[a].fillna(grid.weights[b]).fillna(0.0).to_numpy()


def _count(pairs: pd.DataFrame, labels: list[str], keys: list[str]) -> pd.DataFrame:
    """Sum weights by (keys, from, to) over complete label grids."""
    n = len(labels)
    grid = pairs.groupby([*keys, "from", "to"], sort=True)["w"].sum()
    full = pd.MultiIndex.from_product(
        [*(sorted(pairs[k].unique()) for k in keys), range(-1, n), range(-1, n)],
        names=[*keys, "from", "to"])
    grid = grid.reindex(full, fill_value=0.0).reset_index()
    order = [*labels, UNOBSERVED]
    grid["from_status"] = pd.Categorical.from_codes((grid["from"] % (n + 1)), categories=order)
    grid["to_status"] = pd.Categorical.from_codes((grid["to"] % (n + 1)), categories=order)
    # the pair (unobserved, unobserved) is not part of the population of a year pair
    both_missing = (grid["from"] == -1) & (grid["to"] == -1)
    grid = grid[~both_missing].drop(columns=["from", "to"]).rename(columns={"w": "count"})
    return grid.sort_values([*keys, "from_status", "to_status"], kind="stable")


def transition_matrix(
    households: pd.DataFrame,
    *,
    status: str | pd.Series,
    from_year: int,
    to_year: int,
    weights: str | pd.Series | None = None,
    per: Per = "household",
    size: str = "hh_size",
    unit: str = "household_id",
    time: str = "year",
) -> TransitionResult:
    """Poverty transition matrix (贫困转移矩阵) between two years of a household panel.

    counts[a, b] = Σ v_h over households with status a in ``from_year`` and b in ``to_year``,
    v_h the household's unit weight in ``from_year`` (in ``to_year`` for households entering
    the panel then): 1 per household, its survey weight, or (``per="person"``) weight ×
    household size. Households present in only one of the two years are in the
    :data:`UNOBSERVED` row or column; those absent in both are not counted.
    rates[a, b] = counts[a, b] / Σ_b counts[a, b].

    Parameters
    ----------
    households : pandas.DataFrame
        Household-year rows with ``unit`` and ``time`` (and ``size`` for ``per="person"``).
    status : str or pandas.Series
        Column name or aligned Series of statuses (e.g. :func:`risk_status`); a categorical's
        category order is kept, otherwise statuses are sorted.
    from_year, to_year : int
    weights : str or pandas.Series, optional
        Survey weights (column name or aligned Series); a named column that is absent raises.
    per : {"household", "person"}, default "household"
        Count households (户, the panel's unit) or persons (人).
    size : str, default "hh_size"
    unit, time : str, default "household_id", "year"
        Panel keys.

    Returns
    -------
    TransitionResult

    Examples
    --------
    >>> h = pd.DataFrame({"household_id": ["a", "a", "b", "b", "c"],
    ...                   "year": [2021, 2022, 2021, 2022, 2021],
    ...                   "s": ["穷", "不穷", "不穷", "不穷", "穷"]})
    >>> transition_matrix(h, status="s", from_year=2021, to_year=2022).counts.loc["穷"].tolist()
    [1.0, 0.0, 1.0]
    """
    grid = _grid(households, status, weights, per, size, unit, time)
    for year in (from_year, to_year):
        if year not in grid.codes.columns:
            raise InputError(f"数据中没有 {year} 年", column=time,
                             hint=f"可用年份：{', '.join(map(str, grid.codes.columns))}")
    pairs = pd.DataFrame({"from": grid.codes[from_year].to_numpy(),
                          "to": grid.codes[to_year].to_numpy(),
                          "w": _pair_weights(grid, from_year, to_year)})
    long = _count(pairs, grid.labels, [])
    return _result(long, from_year, to_year, weights is not None, per)


def _result(long: pd.DataFrame, from_year: int, to_year: int, weighted: bool, per: Per
            ) -> TransitionResult:
    counts = long.pivot_table(index="from_status", columns="to_status", values="count",
                              aggfunc="sum", fill_value=0.0, observed=False)
    counts.index.name, counts.columns.name = "from_status", "to_status"
    rates = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0)
    return TransitionResult(counts, rates, int(from_year), int(to_year), weighted, per)


def transitions(
    households: pd.DataFrame,
    *,
    status: str | pd.Series,
    weights: str | pd.Series | None = None,
    per: Per = "household",
    size: str = "hh_size",
    unit: str = "household_id",
    time: str = "year",
) -> pd.DataFrame:
    """Transition tables for every pair of consecutive years (逐年状态转移), one pass.

    The household × year status grid is built once; all consecutive year pairs are stacked
    and counted in a single group-by. Same definitions and arguments as
    :func:`transition_matrix`.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``from_year, to_year, from_status, to_status, count, rate``; equal, pair by pair,
        to ``transition_matrix(...).to_frame()``.

    Examples
    --------
    >>> h = pd.DataFrame({"household_id": ["a"] * 3, "year": [2021, 2022, 2023],
    ...                   "s": ["穷", "不穷", "不穷"]})
    >>> t = transitions(h, status="s")
    >>> t[t["count"] > 0][["from_year", "from_status", "to_status"]].values.tolist()
    [[2021, '穷', '不穷'], [2022, '不穷', '不穷']]
    """
    grid = _grid(households, status, weights, per, size, unit, time)
    years = list(grid.codes.columns)
    if len(years) < 2:
        raise InputError("数据只有一个年份，无法计算转移", column=time, hint="至少需要两年")
    codes = grid.codes.to_numpy()
    n_pairs = len(years) - 1
    w = np.column_stack([_pair_weights(grid, a, b) for a, b in itertools.pairwise(years)])
    pairs = pd.DataFrame({
        "pair": np.tile(np.arange(n_pairs), codes.shape[0]),
        "from": codes[:, :-1].ravel(), "to": codes[:, 1:].ravel(), "w": w.ravel()})
    long = _count(pairs, grid.labels, ["pair"])
    totals = long.groupby(["pair", "from_status"], observed=False)["count"].transform("sum")
    long["rate"] = long["count"] / totals.replace(0, np.nan)
    long.insert(0, "from_year", np.asarray(years)[long.pop("pair").to_numpy()])
    long.insert(1, "to_year", np.asarray(years)[1:][
        np.searchsorted(years, long["from_year"].to_numpy())])
    return long.loc[:, ["from_year", "to_year", "from_status", "to_status", "count", "rate"]
                    ].reset_index(drop=True)
