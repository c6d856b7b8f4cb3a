"""Event study (事件研究法): dynamic effects around treatment and the parallel-trend test."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from linkage.checks import MIN_REPS, SEED, Inference, WildWeights, check_level, check_option
from linkage.errors import InputError
from linkage.evaluation._fit import (
    FitSummary,
    SmallSample,
    cluster_roles,
    complete_columns,
    fit_ols,
    safe_frame,
)
from linkage.evaluation.inference import sup_t_critical
from linkage.evaluation.twfe import resolve_inference, treated_clusters
from linkage.evaluation.wild import WildBootstrap, wild_cluster_bootstrap
from linkage.labels import Language, is_zh, label

__all__ = [
    "EventStudyResult",
    "PretrendTest",
    "event_study",
    "event_time_dummies",
    "event_time_figure",
]


@dataclass(frozen=True)
class PretrendTest:
    """Joint Wald test that all leads are zero (平行趋势联合检验).

    ``statistic`` is F = b'V⁻¹b / q with ``df`` = (q, ``fit.df_resid``) (Stata ``test``
    after ``reghdfe``); ``chi2`` = b'V⁻¹b with q degrees of freedom (the large-sample form,
    as R ``did``'s pre-test). With few clusters the F form is the conservative one; a report
    states both when either rejects.
    """

    statistic: float
    pvalue: float
    df: tuple[int, float]
    chi2: float
    chi2_pvalue: float
    terms: tuple[int, ...]

    @property
    def rejects(self) -> bool:
        """Either form rejects at 10 %."""
        return bool(min(self.pvalue, self.chi2_pvalue) < 0.1)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"test": ["F", "chi2"], "statistic": [self.statistic, self.chi2],
                             "df": [f"({self.df[0]}, {self.df[1]:g})", str(self.df[0])],
                             "pvalue": [self.pvalue, self.chi2_pvalue]})

    def summary(self, language: Language = "zh") -> str:
        """Both forms in one clause: ``F(3, 47) = 1.20, p = 0.320; χ²(3) = 3.60, p = 0.308``."""
        q, d = self.df
        text = (f"F({q}, {d:g}) = {self.statistic:.2f}，p = {self.pvalue:.3f}；"
                f"χ²({q}) = {self.chi2:.2f}，p = {self.chi2_pvalue:.3f}")
        return text if is_zh(language) else text.replace("，", ", ").replace("；", "; ")


@dataclass(frozen=True)
class EventStudyResult:
    """Event-study estimates (事件研究结果).

    Attributes
    ----------
    coefs : pandas.DataFrame
        ``rel_time, coef, se, ci_low, ci_high, band_low, band_high, pvalue``, one row per
        relative period including the reference period (coefficient 0, no interval).
        ``ci_*`` are pointwise at ``level`` and ``band_*`` the uniform band over all relative
        periods, both from the same inference: cluster-robust — t with ``fit.df_resid`` df
        and the plug-in sup-t critical value ``band_crit`` (Montiel Olea & Plagborg-Møller
        2019) — or, with the wild bootstrap, the inverted bootstrap tests at ``1 − level``
        and at the family-wise calibrated level ``band_alpha`` (same draws; see
        :mod:`linkage.evaluation.wild`). The band contains every pointwise interval.
        ``pvalue`` is the t-test's or the wild bootstrap's (column ``pvalue_cluster`` then
        keeps the t-test's).
    pretrend_test : PretrendTest
        Joint test of all leads (relative times < 0 except the reference).
    ref : int
        Reference (omitted) relative period.
    window : tuple of int
        Displayed window; with ``binned`` the end points collect everything beyond.
    fit : FitSummary
        The underlying regression.
    level : float
        Confidence level of intervals and band.
    band_crit : float
        Cluster-robust inference: critical value of the band (coefficient ± ``band_crit`` ·
        se), never below the pointwise one :attr:`pointwise_crit`. NaN with the wild bootstrap.
    band_alpha : float
        Wild bootstrap: the pointwise level α* at which the band is the inverted test (the
        pointwise intervals use 1 − ``level``). NaN with cluster-robust inference.
    wild : WildBootstrap or None
        The wild cluster bootstrap behind ``pvalue``, intervals and band.
    """

    coefs: pd.DataFrame
    pretrend_test: PretrendTest
    ref: int
    window: tuple[int, int]
    binned: bool
    outcome: str
    fit: FitSummary
    level: float = 0.95
    band_crit: float = float("nan")
    n_treated_clusters: int | None = None
    wild: WildBootstrap | None = None
    band_alpha: float = float("nan")

    @property
    def inference(self) -> str:
        return "wild" if self.wild is not None else self.fit.vcov_type

    @property
    def pointwise_crit(self) -> float:
        """Critical value of the cluster-robust pointwise intervals (t, ``fit.df_resid`` df)."""
        return float(stats.t.ppf((1 + self.level) / 2, self.fit.df_resid))

    def band_summary(self, language: Language = "zh") -> str:
        """How the uniform band was obtained and how much wider it is, in one clause: the
        critical values (cluster-robust) or the calibrated pointwise level (wild bootstrap)."""
        zh = is_zh(language)
        pct = f"{100 * self.level:g}%"
        if self.wild is None:
            return (f"{pct} 一致置信带（同时覆盖全部事件时间）的临界值为 {self.band_crit:.2f}，"
                    f"逐点区间为 {self.pointwise_crit:.2f}" if zh else
                    f"the {pct} uniform band (covering all event times at once) uses the "
                    f"critical value {self.band_crit:.2f}, the pointwise intervals "
                    f"{self.pointwise_crit:.2f}")
        return (f"{pct} 一致置信带（同时覆盖全部事件时间）由同一组野自助抽样校准：相当于把每个"
                f"事件时间的检验水平由 {1 - self.level:.3f} 降为 {self.band_alpha:.4f}"
                "（Westfall–Young 最小 p 值法）后反演，因此包含各期的逐点区间" if zh else
                f"the {pct} uniform band (covering all event times at once) is calibrated on "
                f"the same wild bootstrap draws: each event time's test is inverted at level "
                f"{self.band_alpha:.4f} instead of {1 - self.level:.3f} (Westfall–Young "
                "min-P), so it contains every pointwise interval")

    def to_frame(self) -> pd.DataFrame:
        return self.coefs.copy()

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """Tidy table, one row per estimated relative period (``e=-2``; the reference period
        is left out) and the covariates; with the wild bootstrap the event rows carry its
        p-values (and, at the estimate's level, its intervals)."""
        level = self.level if level is None else level
        table = self.fit.tidy(level)
        events = self.coefs[self.coefs["rel_time"] != self.ref].set_index("rel_time")
        keys = {str(k): f"e={k}" for k in events.index}
        if self.wild is not None:
            rows = table["term"].isin(keys)
            wild = self.wild.at_level(level)
            table.loc[rows, ["pvalue", "ci_low", "ci_high"]] = wild.table[
                ["pvalue", "ci_low", "ci_high"]].to_numpy()
        table["term"] = table["term"].map(lambda t: keys.get(t, t))
        return table

    def summary(self, language: Language = "zh") -> str:
        """The dynamic path and the pre-trend test in two sentences."""
        zh = is_zh(language)
        post = self.coefs[self.coefs["rel_time"] >= 0]
        pct = f"{100 * self.level:g}%"
        path = ("、".join if zh else ", ".join)(
            f"e={int(e)}: {c:.4f}" for e, c in zip(post["rel_time"], post["coef"], strict=True))
        how = (self.wild.summary(language) if self.wild is not None else
               ("按县聚类稳健标准误" if zh else "cluster-robust standard errors"))
        if zh:
            return (f"事件研究（基期 e={self.ref}）：处理后各期系数 {path}；{pct} 逐点置信区间与"
                    f"一致置信带见表；推断：{how}。事前联合检验：{self.pretrend_test.summary('zh')}。")
        return (f"Event study (reference e={self.ref}): post-treatment coefficients {path}; "
                f"{pct} pointwise intervals and uniform band in the table; inference: {how}. "
                f"Joint pre-trend test: {self.pretrend_test.summary('en')}.")

    def plot(self, language: Language = "zh", *, title: str | None = None) -> Figure:
        """Coefficients with pointwise intervals and the uniform band (事件研究图): zero line,
        treatment-time line, the reference period drawn hollow at 0."""
        shown = self.coefs[self.coefs["rel_time"].between(*self.window)]
        ticks = shown["rel_time"].to_numpy()
        labels = [str(t) for t in ticks]
        if self.binned:
            labels[0], labels[-1] = f"≤{ticks[0]}", f"≥{ticks[-1]}"
        note = ("事前趋势联合检验 " if is_zh(language) else "Joint pre-trend test ") + (
            self.pretrend_test.summary(language))
        return event_time_figure(shown, x="rel_time", y="coef", outcome=self.outcome,
                                 language=language, title=title, note=note, ref=self.ref,
                                 tick_labels=labels, level=self.level)


def event_time_figure(
    table: pd.DataFrame,
    *,
    x: str,
    y: str,
    outcome: str,
    language: Language = "zh",
    title: str | None = None,
    note: str = "",
    ref: int | None = None,
    tick_labels: list[str] | None = None,
    level: float = 0.95,
) -> Figure:
    """Event-time estimates with pointwise intervals and the uniform band (事件研究图), the one
    style every estimator uses.

    Parameters
    ----------
    table : DataFrame
        One row per relative period: ``x`` (period relative to treatment), ``y`` (estimate),
        ``ci_low``, ``ci_high`` and, when present, ``band_low``, ``band_high`` (drawn as a
        wide pale bar behind the interval).
    ref : int, optional
        Reference period: drawn as a hollow point at 0 at its true position, and the
        treatment line put half a period before event time 0. Without one (e.g.
        Callaway–Sant'Anna with a varying base period, where each pre-treatment estimate is
        against the period before it) pre-treatment estimates are drawn grey.
    tick_labels : list of str, optional
        Labels of the x ticks (e.g. ``≤-4`` for binned end points).
    note : str
        A line in the top-left corner (e.g. the pre-trend test or the post average).
    level : float
        Confidence level named in the legend.
    """
    check_option("language", language, Language)
    pct = f"{100 * level:g}%"
    width, height = mpl.rcParams["figure.figsize"]
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    colour = "#1f4e79"
    if "band_low" in table.columns:
        est = table if ref is None else table[table[x] != ref]
        ax.errorbar(est[x], est[y], yerr=[est[y] - est["band_low"], est["band_high"] - est[y]],
                    fmt="none", ecolor="#c9d6e8", elinewidth=7, alpha=0.9,
                    label=label("pe_legend_band", language).format(pct=pct))
    if ref is None:
        pre = table[x] < 0
        groups = ((table[pre], "#7f7f7f",
                   label("pe_legend_pre_varying", language).format(pct=pct)),
                  (table[~pre], colour, label("pe_legend_post", language).format(pct=pct)))
    else:
        groups = ((table[table[x] != ref], colour,
                   label("pe_legend_estimate", language).format(pct=pct)),)
    for part, c, lab in groups:
        ax.errorbar(part[x], part[y], yerr=[part[y] - part["ci_low"], part["ci_high"] - part[y]],
                    fmt="o", color=c, ecolor=c if ref is None else "#7f9fbf", capsize=3,
                    label=lab)
    if ref is not None:
        ax.plot([ref], [0.0], "o", mfc="white", color=colour,
                label=label("pe_legend_reference", language).format(ref=ref))
    ax.plot(table[x], table[y], color=colour, lw=0.8, alpha=0.6)
    ax.axhline(0.0, color="#555555", lw=0.8)
    ax.axvline(-0.5, color="#c00000", ls="--", lw=0.9)
    ticks = table[x].to_numpy()
    ax.set_xticks(ticks, tick_labels or [str(int(t)) for t in ticks])
    ax.set_xlabel(label("pe_periods_relative", language))
    ax.set_ylabel(label("pe_effect_on", language).format(outcome=outcome))
    if note:
        ax.text(0.01, 0.98, note, transform=ax.transAxes, va="top", fontsize=9)
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def event_time_dummies(
    rel: np.ndarray, treated: np.ndarray, *, window: tuple[int, int], ref: int, binned: bool
) -> pd.DataFrame:
    """Relative-time indicators (相对时间虚拟变量): one column per period except ``ref``.

    Never-treated rows (``treated`` false) are zero in every column. With ``binned`` periods
    before/after the window are collected in its end points; otherwise each observed
    relative period gets its own indicator.
    """
    lo, hi = window
    r = np.clip(rel, lo, hi) if binned else rel
    periods = np.unique(r[treated]) if treated.any() else np.array([], dtype=int)
    periods = periods[periods != ref]
    cols = (r[:, None] == periods[None, :]) & treated[:, None]
    return pd.DataFrame(cols.astype(float), columns=periods.astype(int))


def event_study(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    ref: int = -1,
    window: tuple[int, int] = (-4, 4),
    bin_endpoints: bool = True,
    covariates: tuple[str, ...] | list[str] = (),
    cluster: str | list[str] | None = None,
    small_sample: SmallSample = "nested",
    inference: Inference = "cluster",
    level: float = 0.95,
    reps: int = MIN_REPS,
    seed: int = SEED,
    wild_weights: WildWeights | None = None,
) -> EventStudyResult:
    r"""Event study with unit and time fixed effects (事件研究 / 动态效应).

    .. math:: y_{it} = \alpha_i + \lambda_t + \sum_{k \ne \text{ref}} \beta_k
              \mathbf 1[t - E_i = k] + X_{it}'\gamma + \varepsilon_{it}

    :math:`E_i` is unit i's first treated period; never-treated units (cohort 0) have every
    indicator zero and serve as controls. With ``bin_endpoints=True`` (default) periods beyond
    the window are binned into its end points (Schmidheiny & Siegloch 2023, J. Appl. Econom.
    38(5):695-713), which identifies the model also without never-treated units; otherwise
    every observed relative period gets its own coefficient (and ``coefs`` lists them all).
    Reference: Freyaldenhoven, Hansen, Pérez Pérez & Shapiro (2021), NBER WP 29170, eq. (2).
    Standard errors and the pre-trend Wald test follow reghdfe (see :func:`twfe_did`);
    ``inference="wild"`` replaces the coefficients' p-values and intervals by the wild
    cluster restricted bootstrap (few treated clusters; :mod:`linkage.evaluation.wild`).
    Every coefficient also gets a uniform band over the relative periods, which covers the
    whole path with probability ``level`` (recommended for event studies by Freyaldenhoven
    et al. 2021), from the same inference as the pointwise intervals: the plug-in sup-t band
    of Montiel Olea & Plagborg-Møller (2019, J. Appl. Econom. 34(1):1-17) with cluster-robust
    inference, the same wild bootstrap draws calibrated jointly over the relative periods with
    the wild bootstrap (Roodman et al. 2019 §3 for the inversion; single-step min-P of
    Westfall & Young 1993). Either way the band contains every pointwise interval.
    With staggered adoption and heterogeneous effects these coefficients can be contaminated
    (Sun & Abraham 2021); use the heterogeneity-robust estimators for that case.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel.
    outcome, unit, time : str
        Outcome, unit and period (integer, e.g. year) columns.
    cohort : str
        First treated period of the unit (same units as ``time``); 0 = never treated.
    ref : int, default -1
        Omitted reference period.
    window : (int, int), default (-4, 4)
        First lead and last lag shown (and binned at when ``bin_endpoints``).
    bin_endpoints : bool, default True
        Bin the end points (see above).
    covariates : sequence of str
        Time-varying controls.
    cluster : str or list of str, optional
        Cluster column(s); default ``unit``.
    small_sample : {"nested", "full"}
        Degrees-of-freedom rule (see :func:`twfe_did`).
    inference : {"cluster", "wild", "auto"}
        Cluster-robust t-tests (default), the wild cluster bootstrap, or the bootstrap below
        :data:`~linkage.checks.FEW_CLUSTERS` clusters or treated clusters
        (:func:`~linkage.evaluation.twfe.resolve_inference`).
    level : float, default 0.95
        Level of the intervals and the band.
    reps, seed : int
        Draws and seed of the band's critical value and of the wild bootstrap.
    wild_weights : {"rademacher", "webb"}, optional
        Cluster weights of the wild bootstrap (default by the number of clusters,
        :func:`~linkage.evaluation.wild.wild_weights_for`).

    Returns
    -------
    EventStudyResult

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"c": np.repeat(np.arange(60), 8), "t": np.tile(range(8), 60)})
    >>> df["E"] = np.where(df.c < 30, 4, 0)
    >>> df["y"] = 0.3 * ((df.E > 0) & (df.t >= df.E)) + rng.normal(0, 0.1, len(df))
    >>> es = event_study(df, "y", unit="c", time="t", cohort="E", window=(-3, 3))
    >>> es.coefs.set_index("rel_time").loc[[-2, 0], "coef"].abs().round(1).tolist()
    [0.0, 0.3]
    """
    check_option("inference", inference, Inference)
    check_level(level)
    lo, hi = window
    if not (lo <= ref <= hi and lo < 0 <= hi):
        raise InputError(f"窗口 {window} 与基期 ref={ref} 不匹配 / invalid window",
                         hint="窗口需包含 0 与基期，例如 window=(-4, 4), ref=-1。")
    covariates = list(covariates)
    roles: dict[str, object] = {"y": outcome, "unit": unit, "time": time}
    roles |= {f"x{j}": c for j, c in enumerate(covariates)}
    cl_roles = cluster_roles(roles, cluster)
    complete_columns(data, [*roles.values(), cohort],
                     numeric=[outcome, cohort, time, *covariates])
    cohorts = data[cohort].to_numpy(dtype=float)
    times = data[time].to_numpy(dtype=float)
    if (cohorts < 0).any() or (cohorts != np.round(cohorts)).any():
        raise InputError(f"列 {cohort!r} 应为首次处理时期（整数，0 = 从未处理）/ bad cohort",
                         column=cohort, hint="例如 2021 表示 2021 年起受处理。")
    if data.groupby(unit, sort=False)[cohort].nunique().gt(1).any():
        raise InputError(f"同一单位的 {cohort!r} 取值不唯一 / cohort varies within unit",
                         column=cohort, hint="处理时期是单位层面的属性，每个单位只能有一个值。")
    treated = cohorts > 0
    rel = np.where(treated, times - cohorts, 0).astype(int)
    dummies = event_time_dummies(rel, treated, window=window, ref=ref, binned=bin_endpoints)
    if dummies.shape[1] == 0:
        raise InputError("没有受处理的单位 / no treated units", column=cohort,
                         hint="cohort 列至少要有一个非零值。")
    frame = safe_frame(data, roles)
    ev = [f"e{k}".replace("-", "m") for k in dummies.columns]
    frame[ev] = dummies.to_numpy()
    names = {r: str(c) for r, c in roles.items()} | dict(
        zip(ev, map(str, dummies.columns), strict=True))
    fit = fit_ols(frame, "y", [*ev, *[f"x{j}" for j in range(len(covariates))]], names=names,
                  fe=("unit", "time"), cluster=cl_roles, small_sample=small_sample)
    keys = list(map(str, dummies.columns))
    est = fit.tidy(level).set_index("term").loc[keys]
    coefs = pd.DataFrame({"rel_time": dummies.columns.astype(int), **{
        c: est[c].to_numpy() for c in ("coef", "se", "ci_low", "ci_high")}})
    coefs["pvalue"] = est["pvalue"].to_numpy()
    n_treated = treated_clusters(frame, frame[ev].sum(axis=1), cl_roles[0])
    wild, band, alpha = None, float("nan"), float("nan")
    if resolve_inference(inference, fit, n_treated) == "wild":
        wild = wild_cluster_bootstrap(fit, keys, reps=reps, seed=seed, weights=wild_weights,
                                      level=level, band=True, n_treated_clusters=n_treated)
        alpha = wild.band_alpha
        coefs["pvalue_cluster"] = coefs["pvalue"]
        coefs[["pvalue", "ci_low", "ci_high", "band_low", "band_high"]] = wild.table[
            ["pvalue", "ci_low", "ci_high", "band_low", "band_high"]].to_numpy()
    else:
        band = max(sup_t_critical(fit.vcov.loc[keys, keys].to_numpy(), level=level, reps=reps,
                                  seed=seed, df=fit.df_resid),
                   float(stats.t.ppf((1 + level) / 2, fit.df_resid)))
        coefs["band_low"] = coefs["coef"] - band * coefs["se"]
        coefs["band_high"] = coefs["coef"] + band * coefs["se"]
    coefs = coefs[["rel_time", "coef", "se", "ci_low", "ci_high", "band_low", "band_high",
                   "pvalue", *(["pvalue_cluster"] if wild is not None else [])]]
    ref_row = pd.DataFrame({"rel_time": [ref], "coef": [0.0]})
    coefs = pd.concat([coefs, ref_row]).sort_values("rel_time", ignore_index=True)
    leads = [int(k) for k in dummies.columns if k < 0]
    return EventStudyResult(coefs=coefs, pretrend_test=_wald(fit, leads), ref=ref,
                            window=(lo, hi), binned=bin_endpoints, outcome=str(outcome),
                            fit=fit, level=level, band_crit=band, n_treated_clusters=n_treated,
                            wild=wild, band_alpha=alpha)


def _wald(fit: FitSummary, leads: list[int]) -> PretrendTest:
    if not leads:
        raise InputError("没有事前时期可检验 / no leads to test",
                         hint="扩大窗口的左端，例如 window=(-4, 4)。")
    keys = list(map(str, leads))
    b = fit.coefs.loc[keys, "coef"].to_numpy()
    v = fit.vcov.loc[keys, keys].to_numpy()
    chi2 = float(b @ np.linalg.solve(v, b))
    q = len(leads)
    f = chi2 / q
    return PretrendTest(statistic=f, pvalue=float(stats.f.sf(f, q, fit.df_resid)),
                        df=(q, fit.df_resid), chi2=chi2,
                        chi2_pvalue=float(stats.chi2.sf(chi2, q)), terms=tuple(leads))
