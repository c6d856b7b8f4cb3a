"""Staggered adoption (交错处理 / 多期双重差分): heterogeneity-robust estimators.

With treatment switched on at different dates (e.g. poverty-county exit 2016–2020) and effects
that differ across cohorts or grow with time since treatment, the static two-way fixed-effects
coefficient is a weighted average of 2×2 comparisons some of which use already-treated units as
controls and can carry negative weights (Goodman-Bacon 2021, J. Econometrics 225(2):254-277;
de Chaisemartin & D'Haultfœuille 2020, AER 110(9):2964-2996). This module offers

* :func:`staggered_did` — Callaway & Sant'Anna (2021) group-time ATT(g,t), without or with
  covariates (doubly robust, IPW or outcome regression), with the ``"simple"``, ``"group"``,
  ``"dynamic"`` and ``"calendar"`` aggregations of R ``did``;
and, in sibling modules, :func:`~linkage.evaluation.sun_abraham.sun_abraham` (the
interaction-weighted event study of Sun & Abraham 2021) and
:func:`~linkage.evaluation.comparison.compare_estimators` (TWFE static vs. CS vs. SA in one
table, with one covariate set).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from linkage.checks import MIN_REPS, SEED, check_level, check_option, check_reps
from linkage.errors import InputError
from linkage.evaluation._fit import (
    balanced_panel,
    logit_probabilities,
)
from linkage.evaluation.event_study import event_time_figure
from linkage.evaluation.inference import multiplier_sup_t, tidy_table
from linkage.labels import Language, is_zh, label

__all__ = [
    "AggregateKind",
    "BasePeriod",
    "Control",
    "EstMethod",
    "StaggeredAggregate",
    "StaggeredDIDResult",
    "staggered_did",
]

Control = Literal["never", "notyet"]
BasePeriod = Literal["varying", "universal"]
EstMethod = Literal["dr", "ipw", "reg"]
CSInference = Literal["analytic", "bootstrap"]
AggregateKind = Literal["simple", "group", "dynamic", "calendar"]

_TRIM = 0.995  # DRDID: control units with a propensity score ≥ 0.995 get weight 0
_OVERLAP = 0.999  # R did: a cell with a propensity score ≥ 0.999 violates overlap


# --------------------------------------------------------------------------- 2×2 estimators


def _ols_influence(dy: np.ndarray, d: np.ndarray, x: np.ndarray, where: str,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Outcome regression of Δy on x among controls: fitted Δy for all units and the
    asymptotic linear representation of its coefficients (units × k)."""
    c = d == 0
    if np.linalg.matrix_rank(x[c]) < x.shape[1]:
        raise InputError(f"{where}：对照组内协变量共线或不变，无法做结果回归 / collinear "
                         "covariates among the controls",
                         hint="删去在对照组内不变的协变量。")
    gram = x[c].T @ x[c] / len(d)
    beta = np.linalg.solve(x[c].T @ x[c], x[c].T @ dy[c])
    out = x @ beta
    return out, (((1 - d) * (dy - out))[:, None] * x) @ np.linalg.inv(gram)


def _att_cell(dy: np.ndarray, d: np.ndarray, x: np.ndarray, method: str, where: str,
              ) -> tuple[float, np.ndarray, int]:
    r"""One 2×2 comparison: ATT, its influence function per unit of the cell, and the number
    of control units trimmed (propensity ≥ 0.995).

    Panel estimators of Sant'Anna & Zhao (2020, J. Econometrics 219(1):101-122) as in R
    ``DRDID`` (``drdid_panel``, ``std_ipw_did_panel``, ``reg_did_panel``), which R ``did``
    calls per cell; ``x`` starts with the intercept column.
    """
    m = len(d)
    trimmed = 0
    if method == "reg":
        out, lin_or = _ols_influence(dy, d, x, where)
        md = d.mean()
        eta_t, eta_c = (d * dy).mean() / md, (d * out).mean() / md
        inf_t = (d * dy - d * eta_t) / md
        inf_c = (d * out - d * eta_c + lin_or @ (d[:, None] * x).mean(0)) / md
        return float(eta_t - eta_c), inf_t - inf_c, trimmed
    raw = logit_probabilities(d, x, where=where)
    if raw.max() >= _OVERLAP:
        raise InputError(f"{where}：倾向得分达到 {raw.max():.4f}，违反重叠条件 / overlap "
                         "violated", hint="减少协变量或合并队列；也可改用 est_method='reg'。")
    ps = np.clip(raw, 1e-6, 1 - 1e-6)
    keep = (d == 1) | (ps < _TRIM)
    trimmed = int((~keep).sum())
    w_t = d.astype(float)
    w_c = keep * ps * (1 - d) / (1 - ps)
    lin_ps = ((d - ps)[:, None] * x) @ np.linalg.inv(x.T @ (x * (ps * (1 - ps))[:, None])) * m
    if method == "ipw":
        att_t = (w_t * dy).mean() / w_t.mean()
        att_c = (w_c * dy).mean() / w_c.mean()
        inf_t = (w_t * dy - w_t * att_t) / w_t.mean()
        inf_c = (w_c * dy - w_c * att_c) / w_c.mean()
        moment = ((w_c * (dy - att_c))[:, None] * x).mean(0) / w_c.mean()
        return float(att_t - att_c), inf_t - (inf_c + lin_ps @ moment), trimmed
    out, lin_or = _ols_influence(dy, d, x, where)
    dr_t, dr_c = w_t * (dy - out), w_c * (dy - out)
    eta_t, eta_c = dr_t.mean() / w_t.mean(), dr_c.mean() / w_c.mean()
    inf_t = (dr_t - w_t * eta_t - lin_or @ (w_t[:, None] * x).mean(0)) / w_t.mean()
    inf_c = (dr_c - w_c * eta_c + lin_ps @ ((dr_c - w_c * eta_c)[:, None] * x).mean(0)
             - lin_or @ (w_c[:, None] * x).mean(0)) / w_c.mean()
    return float(eta_t - eta_c), inf_t - inf_c, trimmed


# --------------------------------------------------------------------------- inference


def _inference(inf: np.ndarray, *, method: str, level: float, reps: int, seed: int,
               ) -> tuple[np.ndarray, float]:
    """Standard errors of the columns of an influence-function matrix and the critical value
    of the uniform band.

    Analytic: ``se = sqrt(Σ ψᵢ²)/n`` (R ``did`` with ``bstrap=FALSE``); bootstrap: R ``did``'s
    multiplier bootstrap (Mammen weights, IQR-based SE). A column that is identically 0 (the
    universal base period) gets NaN, as in R ``did``. The band's critical value is always the
    multiplier-bootstrap sup-t quantile (R ``did``'s default ``cband=TRUE``).
    """
    boot_se, crit = multiplier_sup_t(inf, level=level, reps=reps, seed=seed)
    if method == "bootstrap":
        return boot_se, crit
    se = np.sqrt((inf**2).sum(axis=0)) / inf.shape[0]
    return np.where(se > 0, se, np.nan), crit


def _with_intervals(table: pd.DataFrame, est: str, *, level: float, crit: float,
                    ) -> pd.DataFrame:
    """Pointwise (normal) interval and uniform band at ``level`` around column ``est``."""
    z = stats.norm.ppf((1 + level) / 2)
    table["ci_low"], table["ci_high"] = table[est] - z * table["se"], table[est] + z * table["se"]
    table["band_low"] = table[est] - crit * table["se"]
    table["band_high"] = table[est] + crit * table["se"]
    return table


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


# --------------------------------------------------------------------------- results


_INDEX_COLUMN = {"group": "cohort", "dynamic": "event_time", "calendar": "time"}
_KIND_ZH = {"simple": "简单加权", "group": "按处理队列", "dynamic": "按事件时间（动态）",
            "calendar": "按日历时间"}


def _spec_text(covariates: tuple[str, ...], est_method: str, base_period: str,
               control: str, language: Language) -> str:
    zh = is_zh(language)
    ctrl = {"never": ("从未处理组", "never treated"), "notyet": ("尚未处理组", "not yet treated")
            }[control][0 if zh else 1]
    base = {"varying": ("逐期基期", "varying base period"),
            "universal": ("统一基期", "universal base period")}[base_period][0 if zh else 1]
    if covariates:
        method = label(f"cs_method_{est_method}", language)
        cov = (f"协变量 {'、'.join(covariates)}（取基期值，{method}）" if zh else
               f"covariates {', '.join(covariates)} (base-period values, {method})")
    else:
        cov = "无协变量" if zh else "no covariates"
    return (f"对照组：{ctrl}；{cov}；{base}" if zh else f"controls: {ctrl}; {cov}; {base}")


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
        Pointwise interval of the overall estimate at ``level`` (normal critical value).
    table : pandas.DataFrame
        Per cohort / event time / calendar year: ``cohort``/``event_time``/``time``, ``att``,
        ``se``, ``ci_low``, ``ci_high`` (pointwise) and ``band_low``, ``band_high`` (uniform
        sup-t band over the rows, multiplier bootstrap, as R ``did``'s default). Empty for
        ``"simple"``.
    band_crit : float
        Critical value of the uniform band (the pointwise one is the normal quantile).
    """

    kind: str
    att: float
    se: float
    ci: tuple[float, float]
    table: pd.DataFrame
    outcome: str
    control: str
    inference: str
    level: float
    band_crit: float
    covariates: tuple[str, ...]
    est_method: str
    base_period: str
    anticipation: int
    n_units: int
    n_periods: int

    @property
    def pvalue(self) -> float:
        """Two-sided normal p-value of the overall estimate."""
        return float(2 * stats.norm.sf(abs(self.att / self.se)))

    def to_frame(self) -> pd.DataFrame:
        """The per-level table followed by the overall row (level label ``"overall"``)."""
        overall = pd.DataFrame({"level": ["overall"], "att": [self.att], "se": [self.se],
                                "ci_low": [self.ci[0]], "ci_high": [self.ci[1]]})
        if self.table.empty:
            return overall
        per = self.table.rename(columns={_INDEX_COLUMN[self.kind]: "level"})
        per["level"] = per["level"].astype(object)
        return pd.concat([per, overall], ignore_index=True)

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """Tidy table (``term, coef, se, stat, pvalue, ci_low, ci_high, nobs``): one row per
        level (``e=-1``, ``g=2004``, ``t=2006``) and ``overall``; normal inference, ``nobs`` =
        unit-periods of the balanced panel used (units × periods)."""
        level = self.level if level is None else level
        prefix = {"group": "g=", "dynamic": "e=", "calendar": "t="}.get(self.kind, "")
        terms = [f"{prefix}{v}" for v in self.table.get(_INDEX_COLUMN.get(self.kind, ""), [])]
        coef = [*self.table.get("att", []), self.att]
        se = [*self.table.get("se", []), self.se]
        return tidy_table([*terms, "overall"], coef, se, nobs=self.n_units * self.n_periods,
                          level=level)

    def summary(self, language: Language = "zh") -> str:
        """One sentence with the overall estimate and the specification."""
        lo, hi = self.ci
        pct = f"{100 * self.level:g}%"
        spec = _spec_text(self.covariates, self.est_method, self.base_period, self.control,
                          language)
        if not is_zh(language):
            return (f"Callaway–Sant'Anna ATT ({self.kind} aggregation) on {self.outcome}: "
                    f"{self.att:.4f} (SE {self.se:.4f}, {pct} CI [{lo:.4f}, {hi:.4f}]); "
                    f"{spec}; inference: {self.inference}.")
        return (f"Callaway–Sant'Anna 估计（{_KIND_ZH[self.kind]}汇总）对 {self.outcome} 的平均处理"
                f"效应为 {self.att:.4f}（标准误 {self.se:.4f}，{pct} 置信区间 "
                f"[{lo:.4f}, {hi:.4f}]）；{spec}。")

    def plot(self, language: Language = "zh", *, title: str | None = None) -> Figure:
        """Event-study figure of the dynamic aggregation (事件研究图): pointwise intervals and
        the uniform band; the reference period is marked only under the universal base."""
        if self.kind != "dynamic":
            raise InputError(f"只有 dynamic 汇总可以画事件研究图（当前 {self.kind!r}）/ "
                             "plot needs the dynamic aggregation",
                             hint="使用 result.aggregate('dynamic').plot()。")
        zh = is_zh(language)
        note = (f"Callaway–Sant'Anna；处理后平均 {self.att:.4f}（标准误 {self.se:.4f}）" if zh
                else f"Callaway–Sant'Anna; post average {self.att:.4f} (SE {self.se:.4f})")
        ref = -1 - self.anticipation if self.base_period == "universal" else None
        table = self.table
        if ref is not None:
            table = table.fillna({"ci_low": 0.0, "ci_high": 0.0, "band_low": 0.0,
                                  "band_high": 0.0})
        return event_time_figure(table, x="event_time", y="att", outcome=self.outcome,
                                 language=language, title=title, note=note, ref=ref,
                                 level=self.level)


@dataclass(frozen=True, eq=False)
class StaggeredDIDResult:
    """Callaway–Sant'Anna group-time average treatment effects (组别—时期平均处理效应).

    Attributes
    ----------
    att_gt : pandas.DataFrame
        One row per (cohort, time): ``cohort, time, event_time, base_time, att, se, ci_low,
        ci_high, band_low, band_high, n_treated, n_control, n_trimmed``. ``base_time`` is the
        period the cell is differenced against; ``se`` is NaN for the universal base period
        (ATT fixed at 0); ``ci_*`` pointwise, ``band_*`` the uniform band over all cells;
        ``n_trimmed`` control units given weight 0 for a propensity score ≥ 0.995 (DRDID).
    outcome, control, est_method, base_period, inference : str
        Specification; ``covariates`` the covariate columns (empty: unconditional).
    anticipation : int
        Periods of anticipation allowed.
    level, reps, seed :
        Confidence level, multiplier-bootstrap draws and seed (bands; SEs with the bootstrap).
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
    covariates: tuple[str, ...]
    est_method: str
    base_period: str
    anticipation: int
    inference: str
    level: float
    reps: int
    seed: int
    n_units: int
    n_periods: int
    n_dropped_early: int
    influence: np.ndarray = field(repr=False)
    unit_cohorts: np.ndarray = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        return self.att_gt.copy()

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """Tidy table of the ATT(g,t): terms ``ATT(2004,2005)``; normal inference; ``nobs`` =
        unit-periods of the balanced panel used (units × periods)."""
        level = self.level if level is None else level
        t = self.att_gt
        terms = [f"ATT({g},{tt})" for g, tt in zip(t["cohort"], t["time"], strict=True)]
        return tidy_table(terms, t["att"], t["se"], nobs=self.n_units * self.n_periods,
                          level=level)

    def pretrend_test(self) -> tuple[float, int, float]:
        """R ``did``'s Wald pre-test that every pre-treatment ATT(g,t) is 0.

        ``W = n · a' V⁻¹ a`` over the pre-treatment cells (t < g, the universal base cell
        excluded) with ``V = ψ'ψ/n``; returns ``(W, q, p)``, p from χ²(q).
        """
        t = self.att_gt
        pre = ((t["time"] < t["cohort"]) & t["se"].notna()).to_numpy()
        if not pre.any():
            return float("nan"), 0, float("nan")
        a = t.loc[pre, "att"].to_numpy()
        psi = self.influence[:, pre]
        n = psi.shape[0]
        v = psi.T @ psi / n
        w = float(n * a @ np.linalg.solve(v, a))
        return w, int(pre.sum()), float(stats.chi2.sf(w, pre.sum()))

    def _weighted(self, cells: np.ndarray) -> tuple[float, np.ndarray]:
        """Group-size weighted average of ATT(g,t) over ``cells`` and its influence function."""
        return _share_average(self.att_gt["att"].to_numpy()[cells], self.influence[:, cells],
                              self.att_gt["cohort"].to_numpy()[cells], self.unit_cohorts)

    def aggregate(self, kind: AggregateKind = "group", *, balance_e: int | None = None,
                  min_e: float = -np.inf, max_e: float = np.inf) -> StaggeredAggregate:
        r"""Aggregate ATT(g,t) (汇总) as R ``did::aggte`` (Callaway & Sant'Anna 2021, §3.1).

        * ``"simple"``: :math:`\sum_{g,t\ge g} P(G=g)\,ATT(g,t) / \sum P(G=g)` over all
          post-treatment cells with t − g ≤ ``max_e``;
        * ``"group"``: :math:`\theta(g)` = mean of ATT(g,t) over g ≤ t ≤ g + ``max_e``;
          overall :math:`\sum_g \theta(g) P(G=g)/\sum_g P(G=g)`;
        * ``"dynamic"``: :math:`\theta(e) = \sum_g 1[g+e \in \mathcal T] P(G=g\mid\cdot)
          ATT(g,g+e)` for ``min_e`` ≤ e ≤ ``max_e``; overall = mean of θ(e) over e ≥ 0
          (eq. 3.5). With ``balance_e`` only cohorts observed for at least ``balance_e``
          periods after treatment enter, and e runs over ``balance_e − (T − 1)`` … ``balance_e``
          — an event study on a fixed set of cohorts (R ``did``'s ``balance_e``);
        * ``"calendar"``: :math:`\theta(t)` = group-size weighted mean over cohorts treated
          by t; overall = mean over t.

        Standard errors come from the aggregated influence functions, including the
        estimation of the weights P(G=g) (R ``did``'s ``wif``); the table's uniform band uses
        the multiplier bootstrap over its rows.

        Parameters
        ----------
        kind : {"simple", "group", "dynamic", "calendar"}
        balance_e : int, optional
            Dynamic only: balance the cohorts on event time ``balance_e``.
        min_e, max_e : float
            Dynamic: event times shown; simple and group: the longest exposure used.
        """
        check_option("kind", kind, AggregateKind)
        if balance_e is not None and (not isinstance(balance_e, int | np.integer)
                                      or balance_e < 0):
            raise InputError(f"balance_e={balance_e!r} 应为非负整数 / must be a non-negative "
                             "integer", hint="如 balance_e=2：只用处理后至少观察 2 期的队列。")
        if min_e > max_e:
            raise InputError(f"min_e={min_e} 大于 max_e={max_e} / empty event window",
                             hint="例如 min_e=-4, max_e=4。")
        cohort = self.att_gt["cohort"].to_numpy()
        time = self.att_gt["time"].to_numpy()
        event = self.att_gt["event_time"].to_numpy()
        post = (event >= 0) & (event <= max_e)
        z = float(stats.norm.ppf((1 + self.level) / 2))
        spec = {"outcome": self.outcome, "control": self.control, "inference": self.inference,
                "level": self.level, "covariates": self.covariates,
                "est_method": self.est_method, "base_period": self.base_period,
                "anticipation": self.anticipation, "n_units": self.n_units,
                "n_periods": self.n_periods}
        if kind == "simple":
            att, inf = self._weighted(np.flatnonzero(post))
            se = float(self._se(inf[:, None])[0][0])
            return StaggeredAggregate(kind=kind, att=att, se=se, ci=(att - z * se, att + z * se),
                                      table=pd.DataFrame(), band_crit=float("nan"), **spec)
        if kind == "group":
            levels = np.unique(cohort)
            cells = [np.flatnonzero((cohort == lev) & post) for lev in levels]
        elif kind == "dynamic":
            include = np.ones(len(event), dtype=bool)
            levels = np.unique(event)
            if balance_e is not None:
                include = (time.max() - cohort) >= balance_e
                levels = np.unique(event[include])
                span = time.max() - time.min()
                levels = levels[(levels <= balance_e) & (levels >= balance_e - span)]
            levels = levels[(levels >= min_e) & (levels <= max_e)]
            cells = [np.flatnonzero((event == lev) & include) for lev in levels]
        else:
            levels = np.unique(time[event >= 0])
            cells = [np.flatnonzero((time == lev) & (event >= 0)) for lev in levels]
        if not levels.size:
            raise InputError("汇总范围内没有 ATT(g,t) / no cells to aggregate",
                             hint="放宽 min_e、max_e 或 balance_e。")
        parts = [self._weighted(c) for c in cells]
        att_l = np.array([p[0] for p in parts])
        inf_l = np.column_stack([p[1] for p in parts])
        se_l, crit = self._se(inf_l)
        if kind == "group":
            att, inf = _share_average(att_l, inf_l, levels, self.unit_cohorts)
        else:
            keep = levels >= 0 if kind == "dynamic" else np.ones(len(levels), bool)
            if not keep.any():
                att, inf = float("nan"), np.zeros(self.n_units)
            else:
                att = float(att_l[keep].mean())
                inf = inf_l[:, keep].mean(axis=1)
        se = float(self._se(inf[:, None])[0][0])
        table = _with_intervals(pd.DataFrame({_INDEX_COLUMN[kind]: levels.astype(int),
                                              "att": att_l, "se": se_l}), "att",
                                level=self.level, crit=crit)
        return StaggeredAggregate(kind=kind, att=att, se=se, ci=(att - z * se, att + z * se),
                                  table=table, band_crit=crit, **spec)

    def _se(self, inf: np.ndarray) -> tuple[np.ndarray, float]:
        return _inference(inf, method=self.inference, level=self.level, reps=self.reps,
                          seed=self.seed)

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
    covariates: Sequence[str] | None = None,
    est_method: EstMethod = "dr",
    base_period: BasePeriod = "varying",
    anticipation: int = 0,
    inference: CSInference = "analytic",
    reps: int = MIN_REPS,
    seed: int = SEED,
    level: float = 0.95,
) -> StaggeredDIDResult:
    r"""Callaway–Sant'Anna staggered DID (多期交错双重差分, Callaway & Sant'Anna 估计量).

    Group-time average treatment effect of cohort g (first treated in period g) at period t
    (Callaway & Sant'Anna 2021, J. Econometrics 225(2):200-230). Each ATT(g,t) is a 2×2
    comparison of the change :math:`\Delta Y = Y_t - Y_b` between cohort g and the controls
    :math:`C_{g,t}`. Without covariates (unconditional parallel trends, eq. 2.6)

    .. math:: \widehat{ATT}(g,t) = \overline{\Delta Y}_{G=g} - \overline{\Delta Y}_{C_{g,t}}.

    With ``covariates`` (conditional parallel trends, their eq. 2.5–2.7) the comparison
    adjusts for X taken in the earlier period of the comparison (the base period b; for
    pre-treatment cells under the universal base, the period t itself), as R ``did`` and
    its port ``moderndid``. ``est_method`` chooses the 2×2 estimator of Sant'Anna & Zhao
    (2020, J. Econometrics 219(1):101-122), as R ``did`` does through ``DRDID``:

    * ``"dr"`` (default, R ``did``'s default): doubly robust — logit propensity score p(X)
      and a linear regression of ΔY on X among controls;
      :math:`\widehat{ATT} = \overline{(\Delta Y - \hat m(X))}_{G=g} -
      \sum_{C} w_i(\Delta Y_i - \hat m(X_i)) / \sum_C w_i`,
      :math:`w_i = \hat p(X_i)/(1-\hat p(X_i))`;
    * ``"ipw"``: normalised (Hájek) inverse probability weighting, R ``did``'s ``ipw`` and
      Stata ``csdid``'s ``stdipw``;
    * ``"reg"``: outcome regression, :math:`\overline{\Delta Y - \hat m(X)}_{G=g}`.

    Control units with a propensity score ≥ 0.995 get weight 0 (DRDID's trimming, counted in
    ``n_trimmed``); a score ≥ 0.999 violates overlap and raises. Without covariates the three
    methods coincide with the difference of means above.

    Base period b = g − 1 − ``anticipation`` for t ≥ g; for t < g (pre-treatment placebo cells)
    b = t − 1 (``base_period="varying"``, R ``did``'s default) or b = g − 1 − anticipation
    (``"universal"``, where ATT(g, b) ≡ 0 is reported). Controls :math:`C_{g,t}` are the
    never-treated units (``control="never"``, cohort 0) or additionally the units not yet
    treated by max(t, b) + anticipation (``"notyet"``: cohorts g' > max(t, b) + anticipation,
    g' ≠ g).

    Conventions of R ``did`` (the field's reference): units treated in the first period (plus
    ``anticipation``) are dropped (with a warning, count in ``n_dropped_early``); cohorts after
    the last period count as never treated; with ``control="notyet"`` and no never-treated
    units the periods from the last cohort's start (less anticipation) on are dropped and that
    cohort serves only as a control; the panel must be balanced (an unbalanced panel raises
    instead of being balanced silently); missing values raise.

    Inference uses the influence function of each ATT(g,t) per unit (so it is clustered at
    the unit level), including the estimation of the propensity score and the regression:
    ``inference="analytic"`` (default) gives ``se = sqrt(Σ ψ²)/n`` — identical to R ``did``
    with ``bstrap=FALSE``; ``"bootstrap"`` gives R ``did``'s default multiplier bootstrap
    (Mammen weights, IQR-based standard errors, ``reps`` draws, ``seed``). Either way the
    tables carry the pointwise interval (``ci_*``) and R ``did``'s uniform band (``band_*``,
    multiplier-bootstrap sup-t critical value) at ``level``.

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
    covariates : list of str, optional
        Pre-treatment covariate columns (time-invariant in principle; their value in the
        comparison's earlier period is used). None = unconditional parallel trends.
    est_method : {"dr", "ipw", "reg"}
        2×2 estimator with covariates (see above).
    base_period : {"varying", "universal"}
        Base period of pre-treatment cells.
    anticipation : int, default 0
        Periods before g in which units may already react (R ``did``'s ``anticipation``).
    inference : {"analytic", "bootstrap"}
        See above.
    reps : int, default 999
        Multiplier-bootstrap draws (bands; SEs with ``inference="bootstrap"``).
    seed : int
        Seed of the multiplier bootstrap.
    level : float, default 0.95
        Confidence level of intervals and bands.

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
    check_option("control", control, Control)
    check_option("est_method", est_method, EstMethod)
    check_option("base_period", base_period, BasePeriod)
    check_option("inference", inference, CSInference)
    check_level(level)
    check_reps(reps, minimum=99)
    if isinstance(anticipation, bool) or not isinstance(anticipation, int | np.integer) or (
            anticipation < 0):
        raise InputError(f"anticipation={anticipation!r} 应为非负整数 / must be a non-negative "
                         "integer", hint="预期期数，通常为 0 或 1。")
    covariates = tuple(covariates or ())
    panel = balanced_panel(data, outcome, unit=unit, time=time, cohort=cohort,
                            covariates=covariates, anticipation=anticipation)
    y, x_all, g, periods = panel.y, panel.x, panel.g, panel.periods
    cohorts = np.unique(g[g > 0])
    if cohorts.size == 0:
        raise InputError("没有受处理的单位 / no treated units", column=cohort,
                         hint="cohort 列至少要有一个非零值（首次处理时期）。")
    if not (g == 0).any():
        if control == "never":
            raise InputError("没有从未处理的单位，无法使用 control='never' / "
                             "no never-treated units", column=cohort,
                             hint="改用 control='notyet'（以尚未处理的单位为对照）。")
        keep = periods < cohorts.max() - anticipation
        y, periods = y[:, keep], periods[keep]
        x_all = None if x_all is None else x_all[:, keep]
        cohorts = cohorts[cohorts < cohorts.max()]
    n = len(g)
    ones = np.ones((n, 1))
    cells: list[dict[str, float]] = []
    columns: list[np.ndarray] = []
    first = 1 if base_period == "varying" else 0
    for gg in cohorts:
        before = np.flatnonzero(periods < gg - anticipation)
        if before.size == 0:
            continue  # no base period left for this cohort (R did drops it)
        g_base = before[-1]
        for k in range(first, len(periods)):
            current = periods[k]
            b = k - 1 if (base_period == "varying" and current < gg) else g_base
            treated = g == gg
            row = {"cohort": int(gg), "time": int(current), "event_time": int(current - gg),
                   "base_time": int(periods[b])}
            if b == k:  # universal base period itself
                cells.append(row | {"att": 0.0, "n_treated": int(treated.sum()),
                                    "n_control": 0, "n_trimmed": 0})
                columns.append(np.zeros(n))
                continue
            ctrl = g == 0
            if control == "notyet":
                ctrl |= (g > max(current, periods[b]) + anticipation) & (g != gg)
            if not ctrl.any():
                raise InputError(f"队列 {gg} 在 {current} 期没有对照单位 / no control units",
                                 column=cohort, hint="改用 control='notyet' 或增加对照单位。")
            cell = treated | ctrl
            dy = y[cell, k] - y[cell, b]
            xb = ones[cell] if x_all is None else np.column_stack(
                [ones[cell], x_all[cell, min(b, k)]])
            _check_design(xb, covariates, f"ATT({gg},{current})")
            att, psi_cell, trimmed = _att_cell(dy, treated[cell].astype(float), xb, est_method,
                                               f"ATT({gg},{current})")
            psi = np.zeros(n)
            psi[cell] = n / cell.sum() * psi_cell
            cells.append(row | {"att": att, "n_treated": int(treated.sum()),
                                "n_control": int(ctrl.sum()), "n_trimmed": trimmed})
            columns.append(psi)
    if not cells:
        raise InputError("没有可估计的 ATT(g,t) / no estimable cells", column=cohort,
                         hint="每个处理队列至少需要一个处理前时期（考虑 anticipation）。")
    influence = np.column_stack(columns)
    se, crit = _inference(influence, method=inference, level=level, reps=reps, seed=seed)
    table = pd.DataFrame(cells)
    table["se"] = se
    table = _with_intervals(table, "att", level=level, crit=crit)[[
        "cohort", "time", "event_time", "base_time", "att", "se", "ci_low", "ci_high",
        "band_low", "band_high", "n_treated", "n_control", "n_trimmed"]]
    return StaggeredDIDResult(
        att_gt=table, outcome=str(outcome), control=control, covariates=covariates,
        est_method=est_method, base_period=base_period, anticipation=int(anticipation),
        inference=inference, level=level, reps=reps, seed=seed, n_units=n,
        n_periods=len(periods), n_dropped_early=panel.n_early, influence=influence,
        unit_cohorts=g)


def _check_design(x: np.ndarray, covariates: tuple[str, ...], where: str) -> None:
    """Covariates must vary and not be collinear within the 2×2 comparison."""
    if x.shape[1] > 1 and np.linalg.matrix_rank(x) < x.shape[1]:
        raise InputError(f"{where}：协变量 {', '.join(covariates)} 共线或不变 / collinear "
                         "or constant covariates", column=covariates[0],
                         hint="协变量须在单位之间有差异且彼此不共线；删去重复或不变的列。")


