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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.monitoring import survey_weights, threshold_for

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

#: Transition types between two years of :data:`RISK_STATUSES`, for ``.summary()``.
TRANSITION_TYPES = {
    ("脱贫户·稳定", "脱贫户·稳定"): "稳定脱贫",
    ("脱贫户·稳定", "脱贫户·风险"): "返贫",
    ("一般农户·稳定", "一般农户·风险"): "新致贫",
    ("脱贫户·风险", "脱贫户·风险"): "持续贫困",
    ("一般农户·风险", "一般农户·风险"): "持续贫困",
    ("脱贫户·风险", "脱贫户·稳定"): "退出",
    ("一般农户·风险", "一般农户·稳定"): "退出",
}


def risk_status(households: pd.DataFrame, thresholds: pd.DataFrame | None = None) -> pd.Series:
    """Default household-year status (农户风险状态) for transition analysis.

    A household-year is **at risk** (风险) when its per-capita income is below the year's
    monitoring threshold (:func:`linkage.monitoring.threshold_for`) or it is on the monitoring
    roster with the risk not (yet) eliminated (``monitor_category`` ≠ 非监测对象 and
    ``risk_eliminated`` not True); otherwise **stable** (稳定). Crossed with 脱贫户
    (``exited_poor``) this gives :data:`RISK_STATUSES`. Between two years, 脱贫户 stable → at
    risk is 返贫, others stable → at risk is 新致贫, at risk → at risk 持续贫困, at risk →
    stable 退出 (risk eliminated), stable → stable 稳定脱贫 (:data:`TRANSITION_TYPES`).

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
    line = threshold_for(households["region_code"], households["year"], thresholds)
    on_roster = (households["monitor_category"] != "非监测对象") & ~households[
        "risk_eliminated"].fillna(False).astype(bool)
    at_risk = (households["income_pc"] < line) | on_roster
    code = np.where(households["exited_poor"].astype(bool), 0, 2) + at_risk.to_numpy()
    return pd.Series(pd.Categorical.from_codes(code, categories=RISK_STATUSES, ordered=True),
                     index=households.index, name="status")


@dataclass(frozen=True)
class TransitionResult:
    """Transition matrix (转移矩阵) between two years.

    Attributes
    ----------
    counts : pandas.DataFrame
        Rows = status in ``from_year``, columns = status in ``to_year``, both ending with the
        attrition label :data:`UNOBSERVED`; household counts (weighted sums when weighted).
    rates : pandas.DataFrame
        Row shares of ``counts`` (each non-empty row sums to 1; an empty row is NaN).
    from_year, to_year : int
    weighted : bool
    """

    counts: pd.DataFrame
    rates: pd.DataFrame
    from_year: int
    to_year: int
    weighted: bool

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: ``from_year, to_year, from_status, to_status, count, rate``."""
        return _tidy(self.counts, self.rates).assign(
            from_year=self.from_year, to_year=self.to_year).loc[
            :, ["from_year", "to_year", "from_status", "to_status", "count", "rate"]]

    def summary(self) -> str:
        """Chinese summary: matched households, attrition and the transition types."""
        c = self.counts
        matched = c.drop(index=UNOBSERVED, columns=UNOBSERVED)
        unit = "户（加权）" if self.weighted else "户"
        lines = [f"{self.from_year}→{self.to_year} 年农户状态转移：两年均观测 "
                 f"{matched.to_numpy().sum():,.0f} {unit}；仅 {self.from_year} 年观测 "
                 f"{c[UNOBSERVED].sum():,.0f}，仅 {self.to_year} 年观测 "
                 f"{c.loc[UNOBSERVED].sum():,.0f}。"]
        totals: dict[str, float] = {}
        for (a, b), kind in TRANSITION_TYPES.items():
            if a in matched.index and b in matched.columns:
                totals[kind] = totals.get(kind, 0.0) + float(matched.loc[a, b])
        lines += [f"  {kind}：{n:,.0f} {unit}" for kind, n in totals.items()]
        return "\n".join(lines)


def _tidy(counts: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    long = counts.stack(future_stack=True).rename("count").to_frame()
    long["rate"] = rates.stack(future_stack=True)
    long.index.names = ["from_status", "to_status"]
    return long.reset_index()


def _status_series(households: pd.DataFrame, status: str | pd.Series) -> pd.Series:
    if isinstance(status, str):
        if status not in households.columns:
            raise InputError(f"农户数据中没有状态列 {status}", column=status,
                             hint="传入状态列名，或 risk_status(households) 的结果")
        s = households[status]
    else:
        if not status.index.equals(households.index):
            raise InputError("状态序列与农户数据的行不对应", hint="传入与 households 同索引的状态")
        s = status
    if s.isna().any():
        raise InputError("状态有缺失值", column=getattr(s, "name", None),
                         hint="每个户-年都需要一个状态；未观测的户不应出现在数据中")
    return s


def _wide(households: pd.DataFrame, status: str | pd.Series, weights: str | pd.Series | None,
          id_col: str) -> tuple[pd.DataFrame, pd.Series, list[str], bool]:
    """Status codes (household × year, -1 = unobserved), household weights, labels."""
    for col in (id_col, "year"):
        if col not in households.columns:
            raise InputError(f"农户数据缺少列 {col}", column=col, hint="需要户编号和年份")
    if households.duplicated([id_col, "year"]).any():
        raise InputError("同一户同一年出现多行", column=id_col, hint="每户每年只保留一行")
    s = _status_series(households, status)
    cats = (list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype)
            else sorted(s.astype(str).unique()))
    if UNOBSERVED in cats:
        raise InputError(f"状态不能叫“{UNOBSERVED}”（保留给缺失年份）", hint="请改名")
    codes = pd.Categorical(s.astype(str), categories=cats).codes
    frame = pd.DataFrame({"id": households[id_col].to_numpy(),
                          "year": households["year"].to_numpy(), "code": codes})
    wide = frame.pivot(index="id", columns="year", values="code").fillna(-1).astype("int64")
    w = survey_weights(households, weights)
    if w is None:
        hh_w = pd.Series(1.0, index=wide.index)
    else:
        per = pd.Series(w.to_numpy(), index=households[id_col].to_numpy())
        hh_w = per.groupby(level=0).first().reindex(wide.index)
    return wide, hh_w, cats, w is not None


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
    id_col: str = "household_id",
) -> TransitionResult:
    """Poverty transition matrix (贫困转移矩阵) between two years of a household panel.

    counts[a, b] = Σ w_h over households with status a in ``from_year`` and b in ``to_year``
    (w_h = 1 unweighted; else the household's survey weight from its first row). Households
    present in only one of the two years are in the :data:`UNOBSERVED` row or column; those
    absent in both are not counted. rates[a, b] = counts[a, b] / Σ_b counts[a, b].

    Parameters
    ----------
    households : pandas.DataFrame
        Household-year rows with ``id_col`` and ``year``.
    status : str or pandas.Series
        Column name or aligned Series of statuses (e.g. :func:`risk_status`); a categorical's
        category order is kept, otherwise statuses are sorted.
    from_year, to_year : int
    weights : str or pandas.Series, optional
    id_col : str, default "household_id"

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
    wide, hh_w, labels, weighted = _wide(households, status, weights, id_col)
    for year in (from_year, to_year):
        if year not in wide.columns:
            raise InputError(f"数据中没有 {year} 年", column="year",
                             hint=f"可用年份：{', '.join(map(str, wide.columns))}")
    pairs = pd.DataFrame({"from": wide[from_year].to_numpy(), "to": wide[to_year].to_numpy(),
                          "w": hh_w.to_numpy()})
    long = _count(pairs, labels, [])
    return _result(long, from_year, to_year, weighted)


def _result(long: pd.DataFrame, from_year: int, to_year: int, weighted: bool
            ) -> TransitionResult:
    counts = long.pivot_table(index="from_status", columns="to_status", values="count",
                              aggfunc="sum", fill_value=0.0, observed=False)
    counts.index.name, counts.columns.name = "from_status", "to_status"
    rates = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0)
    return TransitionResult(counts, rates, int(from_year), int(to_year), weighted)


def transitions(
    households: pd.DataFrame,
    *,
    status: str | pd.Series,
    weights: str | pd.Series | None = None,
    id_col: str = "household_id",
) -> pd.DataFrame:
    """Transition tables for every pair of consecutive years (逐年状态转移), one pass.

    The household × year status grid is built once; all consecutive year pairs are stacked
    and counted in a single group-by. Same definitions as :func:`transition_matrix`.

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
    wide, hh_w, labels, _ = _wide(households, status, weights, id_col)
    years = list(wide.columns)
    if len(years) < 2:
        raise InputError("数据只有一个年份，无法计算转移", column="year", hint="至少需要两年")
    grid = wide.to_numpy()
    n_pairs = len(years) - 1
    pairs = pd.DataFrame({
        "pair": np.tile(np.arange(n_pairs), grid.shape[0]),
        "from": grid[:, :-1].ravel(), "to": grid[:, 1:].ravel(),
        "w": np.repeat(hh_w.to_numpy(), n_pairs)})
    long = _count(pairs, labels, ["pair"])
    totals = long.groupby(["pair", "from_status"], observed=False)["count"].transform("sum")
    long["rate"] = long["count"] / totals.replace(0, np.nan)
    long.insert(0, "from_year", np.asarray(years)[long.pop("pair").to_numpy()])
    long.insert(1, "to_year", np.asarray(years)[1:][
        np.searchsorted(years, long["from_year"].to_numpy())])
    return long.loc[:, ["from_year", "to_year", "from_status", "to_status", "count", "rate"]
                    ].reset_index(drop=True)
