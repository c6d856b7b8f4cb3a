"""Sun–Abraham interaction-weighted event study (交互加权事件研究估计量)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from linkage.checks import MIN_REPS, SEED, Inference, WildWeights, check_level, check_option
from linkage.errors import InputError
from linkage.evaluation._fit import (
    FitSummary,
    SmallSample,
    balanced_panel,
    cluster_roles,
    column_list,
    complete_columns,
    fit_ols,
    safe_frame,
)
from linkage.evaluation.event_study import event_time_figure
from linkage.evaluation.inference import sup_t_critical, tidy_table
from linkage.evaluation.twfe import resolve_inference, treated_clusters
from linkage.evaluation.wild import WildBootstrap, wild_cluster_bootstrap
from linkage.labels import Language, is_zh

__all__ = ["SunAbrahamResult", "sun_abraham"]


@dataclass(frozen=True)
class SunAbrahamResult:
    """Sun–Abraham interaction-weighted event study (交互加权事件研究).

    Attributes
    ----------
    event : pandas.DataFrame
        ``rel_time, att, se, ci_low, ci_high, band_low, band_high, pvalue``: IW estimates per
        relative period, including the reference period (0, no interval); ``ci_*`` pointwise
        and ``band_*`` the uniform band over the relative periods, from one inference:
        cluster-robust (t with ``fit.df_resid`` df, plug-in sup-t band) or the wild cluster
        bootstrap of each IW linear combination (inverted tests, band at the family-wise
        level ``band_alpha``; see :mod:`linkage.evaluation.wild`).
    cohort_effects : pandas.DataFrame
        ``cohort, rel_time, att, se, n_obs``: the cohort-specific CATT(g, e) coefficients.
    att, se, pvalue : float
        Average post-treatment effect: CATT(g, e ≥ 0) weighted by their observations
        (R ``fixest`` ``summary(sunab, agg = "ATT")``); ``pvalue`` the cluster-robust t's or
        the wild bootstrap's (a test of the linear combination).
    ci : tuple of float
        Interval of ``att`` at ``level``: t with ``fit.df_resid`` degrees of freedom, or the
        inverted wild bootstrap test.
    control_cohort : int
        0 when never-treated units are the controls; otherwise the last-treated cohort.
    fit : FitSummary
        The saturated regression.
    wild : WildBootstrap or None
        The wild cluster bootstrap behind p-values, intervals and band (terms ``e=<k>`` and
        ``ATT``).
    band_crit, band_alpha : float
        Critical value of the cluster-robust band, or the wild band's pointwise level α*.
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
    covariates: tuple[str, ...] = ()
    level: float = 0.95
    wild: WildBootstrap | None = None
    band_crit: float = float("nan")
    band_alpha: float = float("nan")
    n_treated_clusters: int | None = None

    @property
    def inference(self) -> str:
        """``"wild"`` or the fit's variance type (``"cluster"``)."""
        return "wild" if self.wild is not None else self.fit.vcov_type

    def to_frame(self) -> pd.DataFrame:
        return self.event.copy()

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """Tidy table: one row per relative period (``e=-2``; the reference left out) and the
        average post-treatment effect ``ATT``; t with ``fit.df_resid`` degrees of freedom, or
        the wild bootstrap's p-values and inverted intervals (same draws at any ``level``)."""
        level = self.level if level is None else level
        ev = self.event[self.event["rel_time"] != self.ref]
        terms = [*(f"e={e}" for e in ev["rel_time"]), "ATT"]
        table = tidy_table(terms, [*ev["att"], self.att], [*ev["se"], self.se], nobs=self.nobs,
                           level=level, df=self.fit.df_resid)
        if self.wild is not None:
            wild = self.wild.at_level(level).table.set_index("term").loc[terms]
            table[["pvalue", "ci_low", "ci_high"]] = wild[["pvalue", "ci_low", "ci_high"]
                                                          ].to_numpy()
        return table

    def summary(self, language: Language = "zh") -> str:
        lo, hi = self.ci
        pct = f"{100 * self.level:g}%"
        cov = "、".join(self.covariates)
        if not is_zh(language):
            cov = f"; covariates: {', '.join(self.covariates)}" if cov else ""
            how = (f"; p-value and interval: {self.wild.summary('en')}"
                   if self.wild is not None else "")
            return (f"Sun–Abraham average post-treatment effect on {self.outcome}: "
                    f"{self.att:.4f} (SE {self.se:.4f}, {pct} CI [{lo:.4f}, {hi:.4f}]); "
                    f"N = {self.nobs}{cov}{how}.")
        cov = f"；协变量：{cov}" if cov else ""
        how = f"；p 值与区间：{self.wild.summary('zh')}" if self.wild is not None else ""
        return (f"Sun–Abraham 交互加权估计的处理后平均效应（{self.outcome}）为 {self.att:.4f}"
                f"（标准误 {self.se:.4f}，{pct} 置信区间 [{lo:.4f}, {hi:.4f}]）；"
                f"观测数 {self.nobs}{cov}{how}。")

    def plot(self, language: Language = "zh", *, title: str | None = None) -> Figure:
        """Event-study figure of the IW estimates (事件研究图): pointwise intervals, uniform
        band, and the omitted reference period at 0."""
        zh = is_zh(language)
        note = (f"Sun–Abraham；处理后平均 {self.att:.4f}（标准误 {self.se:.4f}）" if zh
                else f"Sun–Abraham; post average {self.att:.4f} (SE {self.se:.4f})")
        return event_time_figure(self.event.fillna({"ci_low": 0.0, "ci_high": 0.0,
                                                    "band_low": 0.0, "band_high": 0.0}),
                                 x="rel_time", y="att", outcome=self.outcome,
                                 language=language, title=title, note=note, ref=self.ref,
                                 level=self.level)


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
    covariates: Sequence[str] | None = None,
    cluster: str | list[str] | None = None,
    small_sample: SmallSample = "nested",
    level: float = 0.95,
    reps: int = MIN_REPS,
    seed: int = SEED,
    inference: Inference = "cluster",
    wild_weights: WildWeights | None = None,
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
    ``covariates`` enter the saturated regression as time-varying controls (as with
    ``fixest::sunab``). The event table carries pointwise intervals and the uniform band over
    the relative periods at ``level``: the plug-in sup-t band
    (:func:`~linkage.evaluation.inference.sup_t_critical`, ``reps`` draws, ``seed``) with
    cluster-robust inference; with ``inference="wild"`` every IW estimate and ``att`` — each a
    linear combination R δ of the interaction coefficients — gets the wild cluster restricted
    bootstrap test of R δ = 0 (``wildboottest`` tests a linear restriction), its inverted
    interval, and the band from the same draws (:mod:`linkage.evaluation.wild`); the
    standard errors stay cluster-robust. Few treated cohorts' clusters make the t-based
    p-values over-reject exactly as for the TWFE DID (MacKinnon & Webb 2017).

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
    covariates : list of str, optional
        Time-varying controls.
    cluster : str or list of str, optional
        Cluster column(s); default ``unit``.
    small_sample : {"nested", "full"}
        Degrees-of-freedom rule (reghdfe / areg).
    level, reps, seed : float, int, int
        Confidence level; draws and seed of the band's critical value and of the wild
        bootstrap.
    inference : {"cluster", "wild", "auto"}
        As :func:`~linkage.evaluation.event_study` (``"auto"``: the wild bootstrap below
        :data:`~linkage.checks.FEW_CLUSTERS` clusters or treated clusters).
    wild_weights : {"rademacher", "webb"}, optional
        Weights of the wild bootstrap (default by the number of clusters).

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
    check_level(level)
    check_option("inference", inference, Inference)
    covariates = column_list(covariates)
    roles: dict[str, object] = {"y": outcome, "unit": unit, "time": time}
    roles |= {f"x{j}": c for j, c in enumerate(covariates)}
    cl_roles = cluster_roles(roles, cluster)
    panel = balanced_panel(data, outcome, unit=unit, time=time, cohort=cohort)
    complete_columns(data, covariates, numeric=covariates)
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
    controls = [f"x{j}" for j in range(len(covariates))]
    fit = fit_ols(frame, "y", [*terms, *controls], names=names, fe=("unit", "time"),
                  cluster=cl_roles, small_sample=small_sample)
    cells["term"] = terms
    cells["att"] = fit.coefs.loc[terms, "coef"].to_numpy()
    cells["se"] = fit.coefs.loc[terms, "se"].to_numpy()
    crit = stats.t.ppf((1 + level) / 2, fit.df_resid)
    events = np.unique(cells["rel"])
    weights = np.zeros((len(events), len(terms)))  # IW estimate e = weights[e] @ δ
    for j, e in enumerate(events):
        part = (cells["rel"] == e).to_numpy()
        weights[j, part] = cells.loc[part, "n_obs"] / cells.loc[part, "n_obs"].sum()
    delta = fit.coefs.loc[terms, "coef"].to_numpy()
    cov = weights @ fit.vcov.loc[terms, terms].to_numpy() @ weights.T
    event = pd.DataFrame({"rel_time": events.astype(int), "att": weights @ delta,
                          "se": np.sqrt(np.diag(cov))})
    event["ci_low"], event["ci_high"] = event["att"] - crit * event["se"], event[
        "att"] + crit * event["se"]
    event["pvalue"] = 2 * stats.t.sf(np.abs(event["att"] / event["se"]), fit.df_resid)
    post = cells[cells["rel"] >= 0]
    att_weights = (post["n_obs"] / post["n_obs"].sum()).to_numpy(dtype=float)
    att, se = _lincomb(fit, post["term"].tolist(), att_weights)
    pvalue = float(2 * stats.t.sf(abs(att / se), fit.df_resid))
    ci = (att - crit * se, att + crit * se)
    n_treated = treated_clusters(frame, frame[terms].sum(axis=1), cl_roles[0])
    wild, band, alpha = None, float("nan"), float("nan")
    if resolve_inference(inference, fit, n_treated) == "wild":
        keys = [f"e={e}" for e in events]
        contrasts = {key: dict(zip(terms, row, strict=True))
                     for key, row in zip(keys, weights, strict=True)}
        contrasts["ATT"] = dict(zip(post["term"], att_weights, strict=True))
        wild = wild_cluster_bootstrap(fit, contrasts, reps=reps, seed=seed,
                                      weights=wild_weights, level=level, band=keys,
                                      n_treated_clusters=n_treated)
        table = wild.table.set_index("term")
        event[["pvalue", "ci_low", "ci_high", "band_low", "band_high"]] = table.loc[
            keys, ["pvalue", "ci_low", "ci_high", "band_low", "band_high"]].to_numpy()
        pvalue, ci = float(table.at["ATT", "pvalue"]), (float(table.at["ATT", "ci_low"]),
                                                        float(table.at["ATT", "ci_high"]))
        alpha = wild.band_alpha
    else:
        band = max(sup_t_critical(cov, level=level, reps=reps, seed=seed, df=fit.df_resid),
                   crit)
        event["band_low"], event["band_high"] = event["att"] - band * event["se"], event[
            "att"] + band * event["se"]
    event = pd.concat([event, pd.DataFrame({"rel_time": [ref], "att": [0.0], "se": [np.nan]})])
    event = event.sort_values("rel_time", ignore_index=True)[
        ["rel_time", "att", "se", "ci_low", "ci_high", "band_low", "band_high", "pvalue"]]
    cohort_effects = cells.rename(columns={"g": "cohort", "rel": "rel_time"})[
        ["cohort", "rel_time", "att", "se", "n_obs"]]
    return SunAbrahamResult(
        event=event, cohort_effects=cohort_effects, att=att, se=se, pvalue=pvalue, ci=ci,
        nobs=fit.nobs, ref=ref, control_cohort=control_cohort, outcome=str(outcome), fit=fit,
        covariates=tuple(covariates), level=level, wild=wild, band_crit=band,
        band_alpha=alpha, n_treated_clusters=n_treated)
