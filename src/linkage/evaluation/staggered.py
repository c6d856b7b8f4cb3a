"""Staggered adoption (交错处理 / 多期双重差分): heterogeneity-robust estimators.

With treatment switched on at different dates (e.g. poverty-county exit 2016–2020) and effects
that differ across cohorts or grow with time since treatment, the static two-way fixed-effects
coefficient is a weighted average of 2×2 comparisons some of which use already-treated units as
controls and can carry negative weights (Goodman-Bacon 2021, J. Econometrics 225(2):254-277;
de Chaisemartin & D'Haultfœuille 2020, AER 110(9):2964-2996). This module offers

* :func:`staggered_did` — Callaway & Sant'Anna (2021) group-time ATT(g,t) with the
  ``"simple"``, ``"group"``, ``"dynamic"`` and ``"calendar"`` aggregations of R ``did``;
* :func:`sun_abraham` — the interaction-weighted event study of Sun & Abraham (2021);
* :func:`compare_estimators` — TWFE static vs. CS vs. SA in one table (reviewers ask for it).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from linkage.errors import InputError
from linkage.evaluation._fit import (
    FitSummary,
    SmallSample,
    check_choice,
    check_columns,
    cluster_roles,
    fit_ols,
    safe_frame,
)
from linkage.evaluation.event_study import event_time_figure
from linkage.evaluation.tables import RegressionTable, stars
from linkage.evaluation.twfe import twfe_did
from linkage.labels import Language

__all__ = [
    "EstimatorComparison",
    "StaggeredAggregate",
    "StaggeredDIDResult",
    "SunAbrahamResult",
    "compare_estimators",
    "staggered_did",
    "sun_abraham",
]

Control = Literal["never", "notyet"]
BasePeriod = Literal["varying", "universal"]
Inference = Literal["analytic", "bootstrap"]
AggregateKind = Literal["simple", "group", "dynamic", "calendar"]

_MAMMEN_LOW = (1 - np.sqrt(5)) / 2
_MAMMEN_HIGH = (1 + np.sqrt(5)) / 2
_MAMMEN_P = (np.sqrt(5) + 1) / (2 * np.sqrt(5))
_IQR_NORMAL = stats.norm.ppf(0.75) - stats.norm.ppf(0.25)


# --------------------------------------------------------------------------- input checks


@dataclass(frozen=True)
class _Panel:
    """Balanced wide panel: ``y`` is units × periods, ``g`` each unit's cohort (0 = never)."""

    y: np.ndarray
    g: np.ndarray
    units: pd.Index
    periods: np.ndarray
    n_early: int


def _balanced_panel(data: pd.DataFrame, outcome: str, *, unit: str, time: str,
                    cohort: str) -> _Panel:
    check_columns(data, [outcome, unit, time, cohort], numeric_columns=[outcome, time, cohort])
    cohorts = data[cohort].to_numpy(dtype=float)
    times = data[time].to_numpy(dtype=float)
    for name, values in ((cohort, cohorts), (time, times)):
        if (values < 0).any() or (values != np.round(values)).any():
            raise InputError(f"列 {name!r} 应为非负整数时期 / expected non-negative integer "
                             "periods", column=name,
                             hint="cohort 为首次处理年份（从未处理记 0），time 为年份。")
    if data.groupby(unit, sort=False)[cohort].nunique().gt(1).any():
        raise InputError(f"同一单位的 {cohort!r} 取值不唯一 / cohort varies within unit",
                         column=cohort, hint="首次处理时期是单位层面的属性，每个单位只能有一个值。")
    if data.duplicated([unit, time]).any():
        raise InputError(f"({unit}, {time}) 有重复行 / duplicate unit-period rows", column=unit,
                         hint="每个单位每个时期只能有一行。")
    wide = data.pivot(index=unit, columns=time, values=outcome)
    if wide.isna().to_numpy().any():
        first = wide.index[wide.isna().any(axis=1)][0]
        raise InputError(
            f"面板不平衡：单位 {first!r} 缺少部分时期 / unbalanced panel", column=unit,
            hint="与 R did 的默认做法一致，本估计量要求平衡面板；请补齐或删除不完整的单位"
                 "（明确地删除，而不是让程序悄悄丢弃）。")
    periods = wide.columns.to_numpy(dtype=float).astype(int)
    g = data.groupby(unit, sort=False)[cohort].first().reindex(wide.index).to_numpy(dtype=float)
    g = np.where(g > periods.max(), 0, g).astype(int)  # treated after the sample = never (R did)
    early = (g > 0) & (g <= periods.min())
    if early.any():
        warnings.warn(f"{int(early.sum())} 个单位在第一期已受处理，按 R did 的规则剔除 / "
                      f"dropped {int(early.sum())} units treated in the first period",
                      stacklevel=3)
    y = wide.to_numpy(dtype=float)[~early]
    return _Panel(y=y, g=g[~early], units=wide.index[~early], periods=periods,
                  n_early=int(early.sum()))


# --------------------------------------------------------------------------- inference


def _mammen(n: int, n_boot: int, seed: int) -> np.ndarray:
    """Mammen (1993) multiplier weights (mean 0, variance 1), as R ``did``'s ``mboot``."""
    rng = np.random.default_rng(seed)
    return np.where(rng.random((n_boot, n)) < _MAMMEN_P, _MAMMEN_LOW, _MAMMEN_HIGH)


def _inference(inf: np.ndarray, *, method: Inference, alpha: float, n_boot: int, seed: int,
               ) -> tuple[np.ndarray, float]:
    """Standard errors of the columns of an influence-function matrix and a band critical value.

    Analytic: ``se = sqrt(Σ ψᵢ²)/n`` (R ``did`` with ``bstrap=FALSE``); the critical value is
    the pointwise normal quantile. A column that is identically 0 (the universal base period)
    gets NaN, as in R ``did``. Bootstrap: ``bres = W ψ / √n`` with Mammen weights,
    ``se = IQR(bres)/(z₀.₇₅ − z₀.₂₅)/√n`` and the uniform (sup-t) critical value — exactly the
    steps of R ``did``'s ``mboot``.
    """
    n = inf.shape[0]
    if method == "analytic":
        se = np.sqrt((inf**2).sum(axis=0)) / n
        return np.where(se > 0, se, np.nan), float(stats.norm.ppf(1 - alpha / 2))
    bres = _mammen(n, n_boot, seed) @ inf / np.sqrt(n)
    q75, q25 = np.percentile(bres, [75, 25], axis=0, method="inverted_cdf")
    sigma = (q75 - q25) / _IQR_NORMAL
    ok = sigma > np.sqrt(np.finfo(float).eps)
    se = np.where(ok, sigma / np.sqrt(n), np.nan)
    if not ok.any():
        return se, float("nan")
    sup_t = np.max(np.abs(bres[:, ok] / sigma[ok]), axis=1)
    return se, float(np.percentile(sup_t, 100 * (1 - alpha), method="inverted_cdf"))


def _with_ci(table: pd.DataFrame, crit: float) -> pd.DataFrame:
    table["ci_low"] = table["att"] - crit * table["se"]
    table["ci_high"] = table["att"] + crit * table["se"]
    return table


# --------------------------------------------------------------------------- results


def _share_average(att: np.ndarray, inf: np.ndarray, cohorts: np.ndarray,
                   unit_cohorts: np.ndarray) -> tuple[float, np.ndarray]:
    """Average of estimates weighted by their cohorts' shares P(G = g), with its influence.

    The influence function adds the effect of estimating the shares (R ``did``'s ``wif``):
    ``(1[Gᵢ=g_k] − p_k)/Σp − Σ_j(1[Gᵢ=g_j] − p_j) · p_k/(Σp)²`` per cell k.
    """
    shares = pd.Series(unit_cohorts).value_counts(normalize=True)
    pg = shares.reindex(cohorts).to_numpy(dtype=float)
    total = pg.sum()
    member = (unit_cohorts[:, None] == cohorts[None, :]).astype(float) - pg[None, :]
    wif = member / total - member.sum(axis=1, keepdims=True) * (pg / total**2)[None, :]
    w = pg / total
    return float(att @ w), inf @ w + wif @ att






_KIND_ZH = {"simple": "简单加权", "group": "按处理队列", "dynamic": "按事件时间（动态）",
            "calendar": "按日历时间"}
_INDEX_COLUMN = {"group": "cohort", "dynamic": "event_time", "calendar": "time"}


@dataclass(frozen=True)
class StaggeredAggregate:
    """An aggregation of ATT(g,t) (平均处理效应的汇总), as R ``did::aggte``.

    Attributes
    ----------
    kind : str
        ``"simple"``, ``"group"``, ``"dynamic"`` or ``"calendar"``.
    att, se : float
        Overall estimate and its standard error.
    ci : tuple of float
        Pointwise (1 − alpha) interval of the overall estimate (normal critical value).
    table : pandas.DataFrame
        Per cohort / event time / calendar year: ``cohort``/``event_time``/``time``, ``att``,
        ``se``, ``ci_low``, ``ci_high`` (pointwise with analytic inference, a uniform band with
        the bootstrap, as R ``did``). Empty for ``"simple"``.
    """

    kind: str
    att: float
    se: float
    ci: tuple[float, float]
    table: pd.DataFrame
    outcome: str
    control: str
    inference: str

    def to_frame(self) -> pd.DataFrame:
        """The per-level table followed by the overall row (level label ``"overall"``)."""
        overall = pd.DataFrame({"level": ["overall"], "att": [self.att], "se": [self.se],
                                "ci_low": [self.ci[0]], "ci_high": [self.ci[1]]})
        if self.table.empty:
            return overall
        per = self.table.rename(columns={_INDEX_COLUMN[self.kind]: "level"})
        per["level"] = per["level"].astype(object)
        return pd.concat([per, overall], ignore_index=True)

    def summary(self, language: Language = "zh") -> str:
        """One sentence with the overall estimate."""
        lo, hi = self.ci
        ctrl = {"never": "从未处理组", "notyet": "尚未处理组"}[self.control]
        if language == "en":
            return (f"Callaway–Sant'Anna ATT ({self.kind} aggregation) on {self.outcome}: "
                    f"{self.att:.4f} (SE {self.se:.4f}, CI [{lo:.4f}, {hi:.4f}]); "
                    f"controls: {self.control}; inference: {self.inference}.")
        return (f"Callaway–Sant'Anna 估计（{_KIND_ZH[self.kind]}汇总）对 {self.outcome} 的平均处理"
                f"效应为 {self.att:.4f}（标准误 {self.se:.4f}，置信区间 [{lo:.4f}, {hi:.4f}]）；"
                f"对照组：{ctrl}。")

    def plot(self, language: Language = "zh", *, title: str | None = None) -> Figure:
        """Event-study figure of the dynamic aggregation (事件研究图)."""
        if self.kind != "dynamic":
            raise InputError(f"只有 dynamic 汇总可以画事件研究图（当前 {self.kind!r}）/ "
                             "plot needs the dynamic aggregation",
                             hint="使用 result.aggregate('dynamic').plot()。")
        zh = language == "zh"
        note = (f"Callaway–Sant'Anna；处理后平均 {self.att:.4f}（标准误 {self.se:.4f}）" if zh
                else f"Callaway–Sant'Anna; post average {self.att:.4f} (SE {self.se:.4f})")
        return event_time_figure(self.table, x="event_time", y="att", outcome=self.outcome,
                                 language=language, title=title, note=note)


@dataclass(frozen=True, eq=False)
class StaggeredDIDResult:
    """Callaway–Sant'Anna group-time average treatment effects (组别—时期平均处理效应).

    Attributes
    ----------
    att_gt : pandas.DataFrame
        One row per (cohort, time): ``cohort, time, event_time, att, se, ci_low, ci_high,
        n_treated, n_control``. ``se`` is NaN for the universal base period (ATT fixed at 0).
    outcome, control, base_period, inference : str
        Specification.
    n_units, n_periods : int
        Units used (after dropping units treated in the first period: ``n_dropped_early``)
        and periods.
    influence : numpy.ndarray
        Units × cells influence functions ψ of the ATT(g,t) (order of ``att_gt``).
    unit_cohorts : numpy.ndarray
        Cohort of each unit (0 = never treated), aligned with ``influence``.
    """

    att_gt: pd.DataFrame
    outcome: str
    control: str
    base_period: str
    inference: str
    alpha: float
    n_boot: int
    seed: int
    n_units: int
    n_periods: int
    n_dropped_early: int
    influence: np.ndarray = field(repr=False)
    unit_cohorts: np.ndarray = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        return self.att_gt.copy()

    def _se(self, inf: np.ndarray) -> tuple[np.ndarray, float]:
        return _inference(inf, method=self.inference, alpha=self.alpha, n_boot=self.n_boot,
                          seed=self.seed)  # type: ignore[arg-type]

    def _weighted(self, cells: np.ndarray) -> tuple[float, np.ndarray]:
        """Group-size weighted average of ATT(g,t) over ``cells`` and its influence function."""
        return _share_average(self.att_gt["att"].to_numpy()[cells], self.influence[:, cells],
                              self.att_gt["cohort"].to_numpy()[cells], self.unit_cohorts)

    def aggregate(self, kind: AggregateKind = "group") -> StaggeredAggregate:
        r"""Aggregate ATT(g,t) (汇总) as R ``did::aggte`` (Callaway & Sant'Anna 2021, §3.1).

        * ``"simple"``: :math:`\sum_{g,t\ge g} P(G=g)\,ATT(g,t) / \sum P(G=g)` over all
          post-treatment cells;
        * ``"group"``: :math:`\theta(g)` = mean of ATT(g,t) over t ≥ g; overall
          :math:`\sum_g \theta(g) P(G=g)/\sum_g P(G=g)`;
        * ``"dynamic"``: :math:`\theta(e) = \sum_g 1[g+e \in \mathcal T] P(G=g\mid\cdot)
          ATT(g,g+e)`; overall = mean of θ(e) over e ≥ 0 (eq. 3.5 and the text after it);
        * ``"calendar"``: :math:`\theta(t)` = group-size weighted mean over cohorts treated
          by t; overall = mean over t.

        Standard errors come from the aggregated influence functions, including the
        estimation of the weights P(G=g) (R ``did``'s ``wif``).
        """
        check_choice("kind", kind, ("simple", "group", "dynamic", "calendar"))
        cohort = self.att_gt["cohort"].to_numpy()
        time = self.att_gt["time"].to_numpy()
        event = self.att_gt["event_time"].to_numpy()
        post = event >= 0
        crit_pt = float(stats.norm.ppf(1 - self.alpha / 2))
        if kind == "simple":
            att, inf = self._weighted(np.flatnonzero(post))
            se = float(self._se(inf[:, None])[0][0])
            return StaggeredAggregate(kind=kind, att=att, se=se,
                                      ci=(att - crit_pt * se, att + crit_pt * se),
                                      table=pd.DataFrame(), outcome=self.outcome,
                                      control=self.control, inference=self.inference)
        if kind == "group":
            levels = np.unique(cohort)
            cells = [np.flatnonzero((cohort == lev) & post) for lev in levels]
        elif kind == "dynamic":
            levels = np.unique(event)
            cells = [np.flatnonzero(event == lev) for lev in levels]
        else:
            levels = np.unique(time[post])
            cells = [np.flatnonzero((time == lev) & post) for lev in levels]
        parts = [self._weighted(c) for c in cells]
        att_l = np.array([p[0] for p in parts])
        inf_l = np.column_stack([p[1] for p in parts])
        se_l, crit = self._se(inf_l)
        if kind == "group":
            att, inf = _share_average(att_l, inf_l, levels, self.unit_cohorts)
        else:
            keep = levels >= 0 if kind == "dynamic" else np.ones(len(levels), bool)
            att = float(att_l[keep].mean())
            inf = inf_l[:, keep].mean(axis=1)
        se = float(self._se(inf[:, None])[0][0])
        table = _with_ci(pd.DataFrame({_INDEX_COLUMN[kind]: levels.astype(int), "att": att_l,
                                       "se": se_l}), crit)
        return StaggeredAggregate(kind=kind, att=att, se=se,
                                  ci=(att - crit_pt * se, att + crit_pt * se), table=table,
                                  outcome=self.outcome, control=self.control,
                                  inference=self.inference)

    def summary(self, language: Language = "zh") -> str:
        """The simple aggregation in one sentence."""
        return self.aggregate("simple").summary(language)


# --------------------------------------------------------------------------- Callaway–Sant'Anna


def staggered_did(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    control: Control = "never",
    base_period: BasePeriod = "varying",
    inference: Inference = "analytic",
    n_boot: int = 999,
    seed: int = 20210,
    alpha: float = 0.05,
) -> StaggeredDIDResult:
    r"""Callaway–Sant'Anna staggered DID (多期交错双重差分, Callaway & Sant'Anna 估计量).

    Group-time average treatment effect of cohort g (first treated in period g) at period t,
    unconditional parallel trends (Callaway & Sant'Anna 2021, J. Econometrics 225(2):200-230,
    eq. 2.5 and 2.6 without covariates):

    .. math:: \widehat{ATT}(g,t) = \overline{(Y_t - Y_b)}_{G=g}
              - \overline{(Y_t - Y_b)}_{C_{g,t}}

    with base period b = g − 1 for t ≥ g; for t < g (pre-treatment placebo cells)
    b = t − 1 (``base_period="varying"``, R ``did``'s default) or b = g − 1
    (``"universal"``, where ATT(g, g−1) ≡ 0 is reported). Controls :math:`C_{g,t}` are the
    never-treated units (``control="never"``, cohort 0) or additionally the units not yet
    treated by max(t, b) (``"notyet"``: cohorts g' > max(t, b), g' ≠ g). Anticipation is 0.

    Conventions of R ``did`` (the field's reference): units treated in the first period are
    dropped (with a warning, count in ``n_dropped_early``); cohorts after the last period
    count as never treated; with ``control="notyet"`` and no never-treated units the periods
    from the last cohort's start on are dropped and that cohort serves only as a control; the
    panel must be balanced (an unbalanced panel raises instead of being balanced silently).

    Inference uses the influence function of each ATT(g,t) per unit (so it is clustered at
    the unit level): ``inference="analytic"`` (default) gives ``se = sqrt(Σ ψ²)/n`` — identical
    to R ``did`` with ``bstrap=FALSE`` and reproducible without a seed;
    ``"bootstrap"`` gives R ``did``'s default multiplier bootstrap (Mammen weights, IQR-based
    standard errors, ``n_boot`` draws, ``seed``) and uniform (simultaneous) bands in
    ``att_gt`` and the aggregation tables. Both estimate the same variance.

    Parameters
    ----------
    data : pandas.DataFrame
        Long balanced panel, one row per unit-period.
    outcome : str
        Outcome column (e.g. log rural income per capita).
    unit, time : str
        Unit identifier and period (integer, e.g. year) columns.
    cohort : str
        First treated period (same scale as ``time``); 0 = never treated.
    control : {"never", "notyet"}
        Comparison group.
    base_period : {"varying", "universal"}
        Base period of pre-treatment cells.
    inference : {"analytic", "bootstrap"}
        See above.
    n_boot : int, default 999
        Bootstrap draws.
    seed : int
        Seed of the multiplier bootstrap.
    alpha : float, default 0.05
        1 − confidence level.

    Returns
    -------
    StaggeredDIDResult
        ``att_gt`` table and ``aggregate(kind)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"c": np.repeat(np.arange(300), 6), "t": np.tile(range(1, 7), 300)})
    >>> df["E"] = np.repeat(rng.choice([0, 3, 5], 300), 6)
    >>> df["y"] = 0.5 * ((df.E > 0) & (df.t >= df.E)) + rng.normal(0, 0.1, len(df))
    >>> res = staggered_did(df, "y", unit="c", time="t", cohort="E")
    >>> round(res.aggregate("simple").att, 1)
    0.5
    """
    check_choice("control", control, ("never", "notyet"))
    check_choice("base_period", base_period, ("varying", "universal"))
    check_choice("inference", inference, ("analytic", "bootstrap"))
    if not 0 < alpha < 1:
        raise InputError(f"alpha={alpha!r} 应在 (0, 1) 内 / alpha out of range",
                         hint="如 0.05。")
    if inference == "bootstrap" and n_boot < 100:
        raise InputError(f"n_boot={n_boot} 太少 / too few bootstrap draws",
                         hint="至少 100，建议 999。")
    panel = _balanced_panel(data, outcome, unit=unit, time=time, cohort=cohort)
    y, g, periods = panel.y, panel.g, panel.periods
    cohorts = np.unique(g[g > 0])
    if cohorts.size == 0:
        raise InputError("没有受处理的单位 / no treated units", column=cohort,
                         hint="cohort 列至少要有一个非零值（首次处理时期）。")
    has_never = (g == 0).any()
    if not has_never:
        if control == "never":
            raise InputError("没有从未处理的单位，无法使用 control='never' / "
                             "no never-treated units", column=cohort,
                             hint="改用 control='notyet'（以尚未处理的单位为对照）。")
        keep = periods < cohorts.max()
        y, periods = y[:, keep], periods[keep]
        cohorts = cohorts[cohorts < cohorts.max()]
    n = len(g)
    cells: list[dict[str, float]] = []
    columns: list[np.ndarray] = []
    first = 1 if base_period == "varying" else 0
    for gg in cohorts:
        g_base = np.searchsorted(periods, gg) - 1  # index of the last period before g
        for k in range(first, len(periods)):
            current = periods[k]
            b = k - 1 if (base_period == "varying" and current < gg) else g_base
            row = {"cohort": int(gg), "time": int(current), "event_time": int(current - gg)}
            treated = g == gg
            if b == k:  # universal base period itself
                cells.append(row | {"att": 0.0, "n_treated": int(treated.sum()),
                                    "n_control": 0})
                columns.append(np.zeros(n))
                continue
            ctrl = g == 0
            if control == "notyet":
                ctrl |= (g > max(current, periods[b])) & (g != gg)
            if not ctrl.any():
                raise InputError(f"队列 {gg} 在 {current} 期没有对照单位 / no control units",
                                 column=cohort, hint="改用 control='notyet' 或增加对照单位。")
            dy = y[:, k] - y[:, b]
            n1, n0 = int(treated.sum()), int(ctrl.sum())
            m1, m0 = dy[treated].mean(), dy[ctrl].mean()
            psi = np.zeros(n)
            psi[treated] = (n / n1) * (dy[treated] - m1)
            psi[ctrl] = -(n / n0) * (dy[ctrl] - m0)
            cells.append(row | {"att": float(m1 - m0), "n_treated": n1, "n_control": n0})
            columns.append(psi)
    influence = np.column_stack(columns)
    se, crit = _inference(influence, method=inference, alpha=alpha, n_boot=n_boot, seed=seed)
    table = pd.DataFrame(cells)
    table["se"] = se
    table = _with_ci(table, crit)[["cohort", "time", "event_time", "att", "se", "ci_low",
                                   "ci_high", "n_treated", "n_control"]]
    return StaggeredDIDResult(
        att_gt=table, outcome=str(outcome), control=control, base_period=base_period,
        inference=inference, alpha=alpha, n_boot=n_boot, seed=seed, n_units=n,
        n_periods=len(periods),
        n_dropped_early=panel.n_early, influence=influence, unit_cohorts=g)


# --------------------------------------------------------------------------- Sun–Abraham


@dataclass(frozen=True)
class SunAbrahamResult:
    """Sun–Abraham interaction-weighted event study (交互加权事件研究).

    Attributes
    ----------
    event : pandas.DataFrame
        ``rel_time, att, se, ci_low, ci_high, pvalue``: IW estimates per relative period,
        including the reference period (0, no interval).
    cohort_effects : pandas.DataFrame
        ``cohort, rel_time, att, se, n_obs``: the cohort-specific CATT(g, e) coefficients.
    att, se, pvalue : float
        Average post-treatment effect: CATT(g, e ≥ 0) weighted by their observations
        (R ``fixest`` ``summary(sunab, agg = "ATT")``).
    ci : tuple of float
        95 % interval of ``att`` (t distribution, ``fit.df_resid`` degrees of freedom).
    control_cohort : int
        0 when never-treated units are the controls; otherwise the last-treated cohort.
    fit : FitSummary
        The saturated regression.
    """

    event: pd.DataFrame
    cohort_effects: pd.DataFrame
    att: float
    se: float
    pvalue: float
    ci: tuple[float, float]
    nobs: int
    ref: int
    control_cohort: int
    outcome: str
    fit: FitSummary

    def to_frame(self) -> pd.DataFrame:
        return self.event.copy()

    def summary(self, language: Language = "zh") -> str:
        lo, hi = self.ci
        if language == "en":
            return (f"Sun–Abraham average post-treatment effect on {self.outcome}: "
                    f"{self.att:.4f} (SE {self.se:.4f}, 95% CI [{lo:.4f}, {hi:.4f}]); "
                    f"N = {self.nobs}.")
        return (f"Sun–Abraham 交互加权估计的处理后平均效应（{self.outcome}）为 {self.att:.4f}"
                f"（标准误 {self.se:.4f}，95% 置信区间 [{lo:.4f}, {hi:.4f}]）；"
                f"观测数 {self.nobs}。")

    def plot(self, language: Language = "zh", *, title: str | None = None) -> Figure:
        """Event-study figure of the IW estimates (事件研究图)."""
        zh = language == "zh"
        note = (f"Sun–Abraham；处理后平均 {self.att:.4f}（标准误 {self.se:.4f}）" if zh
                else f"Sun–Abraham; post average {self.att:.4f} (SE {self.se:.4f})")
        return event_time_figure(self.event.fillna({"ci_low": 0.0, "ci_high": 0.0}),
                                 x="rel_time", y="att", outcome=self.outcome,
                                 language=language, title=title, note=note)


def _lincomb(fit: FitSummary, names: list[str], w: np.ndarray) -> tuple[float, float]:
    b = fit.coefs.loc[names, "coef"].to_numpy()
    v = fit.vcov.loc[names, names].to_numpy()
    return float(w @ b), float(np.sqrt(w @ v @ w))


def sun_abraham(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    ref: int = -1,
    cluster: str | list[str] | None = None,
    small_sample: SmallSample = "nested",
) -> SunAbrahamResult:
    r"""Sun–Abraham interaction-weighted estimator (Sun & Abraham 交互加权估计量).

    Saturated regression with cohort × relative-period interactions (Sun & Abraham 2021,
    J. Econometrics 225(2):175-199, eq. 27):

    .. math:: y_{it} = \alpha_i + \lambda_t + \sum_{g}\sum_{e \ne \text{ref}}
              \delta_{g,e}\, 1[E_i = g]\, 1[t - E_i = e] + \varepsilon_{it}

    estimated on the treated cohorts and a control cohort: the never-treated units (cohort 0)
    or, if there are none, the last-treated cohort, with the periods from its treatment on
    dropped (their §4.2). The IW estimate of relative period e averages
    :math:`\hat\delta_{g,e}` with weights equal to the cohorts' sample shares among the
    cohorts observed at e (eq. 29); its variance is :math:`w'\hat V w` with the shares treated
    as fixed (as R ``fixest::sunab`` and pyfixest). ``att`` averages all post-treatment
    :math:`\hat\delta_{g,e}` weighted by their observations (``fixest`` ``agg = "ATT"``).
    All relative periods are estimated (no binning), as the estimator requires. Standard
    errors follow reghdfe conventions (cluster by ``unit`` by default; see :func:`twfe_did`).

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel.
    outcome, unit, time : str
        Outcome, unit and integer period columns.
    cohort : str
        First treated period; 0 = never treated.
    ref : int, default -1
        Omitted relative period of every cohort.
    cluster : str or list of str, optional
        Cluster column(s); default ``unit``.
    small_sample : {"nested", "full"}
        Degrees-of-freedom rule (reghdfe / areg).

    Returns
    -------
    SunAbrahamResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"c": np.repeat(np.arange(300), 6), "t": np.tile(range(1, 7), 300)})
    >>> df["E"] = np.repeat(rng.choice([0, 3, 5], 300), 6)
    >>> df["y"] = 0.5 * ((df.E > 0) & (df.t >= df.E)) + rng.normal(0, 0.1, len(df))
    >>> round(sun_abraham(df, "y", unit="c", time="t", cohort="E").att, 1)
    0.5
    """
    roles: dict[str, object] = {"y": outcome, "unit": unit, "time": time}
    cl_roles = cluster_roles(roles, cluster)
    panel = _balanced_panel(data, outcome, unit=unit, time=time, cohort=cohort)
    g_unit = pd.Series(panel.g, index=panel.units)
    frame = safe_frame(data, roles)
    frame["g"] = g_unit.reindex(data[unit].to_numpy()).to_numpy()
    frame = frame[frame["g"].notna()].reset_index(drop=True)  # first-period-treated dropped
    frame["g"] = frame["g"].astype(int)
    cohorts = np.unique(panel.g[panel.g > 0])
    control_cohort = 0
    if not (panel.g == 0).any():
        control_cohort = int(cohorts.max())
        frame = frame[frame["time"] < control_cohort].reset_index(drop=True)
        cohorts = cohorts[cohorts < control_cohort]
    if cohorts.size == 0:
        raise InputError("没有可估计的处理队列 / no treated cohorts", column=cohort,
                         hint="需要至少一个受处理队列和一个对照队列（从未处理或最晚处理）。")
    rel = frame["time"].to_numpy() - frame["g"].to_numpy()
    cells = (frame.assign(rel=rel)[frame["g"].isin(cohorts) & (rel != ref)]
             .groupby(["g", "rel"]).size().rename("n_obs").reset_index())
    names = {r: str(c) for r, c in roles.items()}
    terms = []
    for gg, e in zip(cells["g"], cells["rel"], strict=True):
        term = f"d{gg}_{e}".replace("-", "m")
        frame[term] = ((frame["g"] == gg) & (rel == e)).astype(float)
        names[term] = term
        terms.append(term)
    fit = fit_ols(frame, "y", terms, names=names, fe=("unit", "time"), cluster=cl_roles,
                  small_sample=small_sample)
    cells["term"] = terms
    cells["att"] = fit.coefs.loc[terms, "coef"].to_numpy()
    cells["se"] = fit.coefs.loc[terms, "se"].to_numpy()
    crit = stats.t.ppf(0.975, fit.df_resid)
    rows = []
    for e, part in cells.groupby("rel"):
        est, se = _lincomb(fit, part["term"].tolist(), (part["n_obs"] / part["n_obs"].sum())
                           .to_numpy(dtype=float))
        rows.append({"rel_time": int(e), "att": est, "se": se})
    rows.append({"rel_time": ref, "att": 0.0, "se": np.nan})
    event = pd.DataFrame(rows).sort_values("rel_time", ignore_index=True)
    event = _with_ci(event, crit)
    event["pvalue"] = 2 * stats.t.sf(np.abs(event["att"] / event["se"]), fit.df_resid)
    post = cells[cells["rel"] >= 0]
    att, se = _lincomb(fit, post["term"].tolist(),
                       (post["n_obs"] / post["n_obs"].sum()).to_numpy(dtype=float))
    cohort_effects = cells.rename(columns={"g": "cohort", "rel": "rel_time"})[
        ["cohort", "rel_time", "att", "se", "n_obs"]]
    return SunAbrahamResult(
        event=event, cohort_effects=cohort_effects, att=att, se=se,
        pvalue=float(2 * stats.t.sf(abs(att / se), fit.df_resid)),
        ci=(att - crit * se, att + crit * se), nobs=fit.nobs, ref=ref,
        control_cohort=control_cohort, outcome=str(outcome), fit=fit)


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class EstimatorComparison:
    """TWFE vs. heterogeneity-robust estimates side by side (估计量比较).

    ``rows`` has one row per estimator: ``estimator, label, coef, se, ci_low, ci_high,
    pvalue, nobs``.
    """

    rows: pd.DataFrame
    outcome: str

    def to_frame(self) -> pd.DataFrame:
        return self.rows.copy()

    def table(self, language: Language = "zh", *, digits: int = 4) -> RegressionTable:
        """Paper-style table as :func:`regression_table`: one column per estimator, the
        estimate with stars (* p<0.1, ** p<0.05, *** p<0.01) over its (standard error), N."""
        zh = language == "zh"
        r = self.rows
        body = [[f"{c:.{digits}f}{stars(p)}" for c, p in zip(r["coef"], r["pvalue"], strict=True)],
                [f"({v:.{digits}f})" for v in r["se"]],
                [f"{n:,}" for n in r["nobs"]]]
        index = pd.Index([f"{self.outcome}：平均处理效应" if zh else f"{self.outcome}: ATT", "",
                          "观测值" if zh else "Observations"], name="变量" if zh else "Variable")
        note = ("注：括号内为标准误（按县聚类；CS 为影响函数标准误）；"
                "* p<0.1，** p<0.05，*** p<0.01。" if zh
                else "Note: standard errors in parentheses (clustered by unit; CS: "
                "influence-function SE); * p<0.1, ** p<0.05, *** p<0.01.")
        return RegressionTable(table=pd.DataFrame(body, index=index,
                                                  columns=r["label_zh" if zh else "label_en"]),
                               note=note)


def compare_estimators(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    control: Control = "never",
) -> EstimatorComparison:
    """TWFE static vs. Callaway–Sant'Anna vs. Sun–Abraham (双向固定效应与稳健估计量对比).

    Rows: the static TWFE DID coefficient on 1[t ≥ cohort] (:func:`twfe_did`, reghdfe
    standard errors clustered by unit), the Callaway–Sant'Anna ``"simple"`` aggregation
    (:func:`staggered_did` with ``control``; normal p-value) and the Sun–Abraham average
    post-treatment effect (:func:`sun_abraham`). Under heterogeneous staggered effects the
    first can differ from the other two even in sign (Goodman-Bacon 2021, J. Econometrics
    225(2):254-277).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"c": np.repeat(np.arange(300), 6), "t": np.tile(range(1, 7), 300)})
    >>> df["E"] = np.repeat(rng.choice([0, 3, 5], 300), 6)
    >>> df["y"] = 0.5 * ((df.E > 0) & (df.t >= df.E)) + rng.normal(0, 0.1, len(df))
    >>> compare_estimators(df, "y", unit="c", time="t", cohort="E").to_frame()["coef"].round(1)
    0    0.5
    1    0.5
    2    0.5
    Name: coef, dtype: float64
    """
    check_columns(data, [outcome, unit, time, cohort], numeric_columns=[outcome, time, cohort])
    d_name = "_treated_post"
    treated = ((data[cohort] > 0) & (data[time] >= data[cohort])).astype(int)
    twfe = twfe_did(data.assign(**{d_name: treated.to_numpy()}), outcome, unit=unit, time=time,
                    treated=d_name)
    cs = staggered_did(data, outcome, unit=unit, time=time, cohort=cohort, control=control)
    simple = cs.aggregate("simple")
    sa = sun_abraham(data, outcome, unit=unit, time=time, cohort=cohort)
    p_cs = float(2 * stats.norm.sf(abs(simple.att / simple.se)))
    rows = pd.DataFrame({
        "estimator": ["twfe", "callaway_santanna", "sun_abraham"],
        "label_zh": ["双向固定效应（静态）", "Callaway–Sant'Anna（简单加权）",
                     "Sun–Abraham（交互加权）"],
        "label_en": ["TWFE (static)", "Callaway–Sant'Anna (simple)", "Sun–Abraham (IW)"],
        "coef": [twfe.coef, simple.att, sa.att],
        "se": [twfe.se, simple.se, sa.se],
        "ci_low": [twfe.ci[0], simple.ci[0], sa.ci[0]],
        "ci_high": [twfe.ci[1], simple.ci[1], sa.ci[1]],
        "pvalue": [twfe.pvalue, p_cs, sa.pvalue],
        "nobs": [twfe.nobs, cs.n_units * cs.n_periods, sa.nobs],
    })
    return EstimatorComparison(rows=rows, outcome=str(outcome))
