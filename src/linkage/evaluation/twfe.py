"""Difference-in-differences (双重差分): two-way fixed effects and the classic 2×2 regression.

Estimation runs on :func:`pyfixest.feols` (fixed effects absorbed by alternating projections,
no dummy matrices); variances follow Stata ``reghdfe`` by default — see
:mod:`linkage.evaluation._fit` for the exact small-sample rule.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from linkage.checks import MIN_REPS, SEED, Inference, WildWeights, check_level, check_option
from linkage.errors import InputError
from linkage.evaluation._fit import (
    FitSummary,
    SmallSample,
    VcovType,
    check_binary,
    cluster_roles,
    complete_columns,
    fit_ols,
    safe_frame,
)
from linkage.evaluation.inference import format_pvalue
from linkage.evaluation.wild import WildBootstrap, few_clusters, wild_cluster_bootstrap
from linkage.labels import Language, is_zh

__all__ = ["TWFEResult", "did_2x2", "resolve_inference", "treated_clusters", "twfe_did"]


def resolve_inference(inference: Inference, fit: FitSummary,
                      n_treated_clusters: int | None) -> str:
    """``"cluster"`` or ``"wild"`` for a fitted regression: ``"auto"`` is the wild bootstrap
    when the fit has one cluster variable, no weights, and fewer than
    :data:`~linkage.checks.FEW_CLUSTERS` clusters or treated clusters
    (:func:`~linkage.evaluation.wild.few_clusters`); two-way clustered or weighted fits stay
    cluster-robust (the wild bootstrap here is one-way and unweighted)."""
    check_option("inference", inference, Inference)
    if inference != "auto":
        return inference
    one_way = fit.vcov_type == "cluster" and len(fit.cluster) == 1
    weighted = bool(getattr(fit.model, "_has_weights", False))
    if not one_way or weighted:
        return "cluster"
    return "wild" if few_clusters(fit.n_clusters[0], n_treated_clusters) else "cluster"


@dataclass(frozen=True)
class TWFEResult:
    """A difference-in-differences estimate (双重差分估计结果).

    Attributes
    ----------
    coef, se, pvalue : float
        Estimate of the treatment effect δ, its (cluster-robust) standard error and two-sided
        p-value — the wild-bootstrap p-value when ``inference == "wild"``.
    ci : tuple of float
        Confidence interval at ``level``: t with ``fit.df_resid`` degrees of freedom, or the
        inverted wild-bootstrap test.
    nobs : int
        Observations used.
    term : str
        Name of the treatment term in ``fit.coefs``.
    outcome : str
        Outcome column.
    fit : FitSummary
        All coefficients, variance, R², clustering and fixed effects.
    level : float
        Confidence level of ``ci``.
    n_treated_clusters : int or None
        Clusters (of the first cluster variable) with a treated observation.
    wild : WildBootstrap or None
        The wild cluster bootstrap behind ``pvalue`` and ``ci`` (``inference == "wild"``).
    """

    coef: float
    se: float
    pvalue: float
    ci: tuple[float, float]
    nobs: int
    term: str
    outcome: str
    fit: FitSummary
    level: float = 0.95
    n_treated_clusters: int | None = None
    wild: WildBootstrap | None = None

    @classmethod
    def from_fit(cls, fit: FitSummary, *, term: str, outcome: str, level: float = 0.95,
                 n_treated_clusters: int | None = None) -> TWFEResult:
        row = fit.tidy(level).set_index("term").loc[term]
        return cls(coef=float(row["coef"]), se=float(row["se"]), pvalue=float(row["pvalue"]),
                   ci=(float(row["ci_low"]), float(row["ci_high"])), nobs=fit.nobs,
                   term=term, outcome=outcome, fit=fit, level=level,
                   n_treated_clusters=n_treated_clusters)

    @property
    def model(self) -> Any:
        """The underlying :class:`pyfixest` model."""
        return self.fit.model

    @property
    def inference(self) -> str:
        """``"wild"``, ``"cluster"``, ``"hetero"`` or ``"iid"``."""
        return "wild" if self.wild is not None else self.fit.vcov_type

    def with_wild_bootstrap(self, *, reps: int = MIN_REPS, seed: int = SEED,
                            weights: WildWeights | None = None) -> TWFEResult:
        """The same estimate with wild-cluster-bootstrap p-value and interval (WCR, see
        :func:`linkage.evaluation.wild.wild_cluster_bootstrap`)."""
        wild = wild_cluster_bootstrap(self.fit, [self.term], reps=reps, seed=seed,
                                      weights=weights, level=self.level,
                                      n_treated_clusters=self.n_treated_clusters)
        row = wild.table.iloc[0]
        return replace(self, pvalue=float(row["pvalue"]),
                       ci=(float(row["ci_low"]), float(row["ci_high"])), wild=wild)

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """Tidy coefficient table ``term, coef, se, stat, pvalue, ci_low, ci_high, nobs`` of
        every coefficient (interval at ``level``, default the estimate's). With the wild
        bootstrap the treatment row carries its p-value and inverted interval."""
        level = self.level if level is None else level
        table = self.fit.tidy(level)
        if self.wild is not None:
            wild = self.wild.at_level(level)
            row = table["term"] == self.term
            table.loc[row, ["pvalue", "ci_low", "ci_high"]] = wild.table[
                ["pvalue", "ci_low", "ci_high"]].to_numpy()
        return table

    def to_frame(self) -> pd.DataFrame:
        """Same as :meth:`tidy`."""
        return self.tidy()

    def summary(self, language: Language = "zh") -> str:
        """One paragraph stating the estimate, its precision and the specification."""
        lo, hi = self.ci
        pct = f"{100 * self.level:g}%"
        p = format_pvalue(self.pvalue, reps=self.wild.reps if self.wild else None)
        p = p if p[0] in "<≤" else f"= {p}"
        if not is_zh(language):
            clus = ", ".join(self.fit.cluster) or self.fit.vcov_type
            how = f"; p-value and interval: {self.wild.summary('en')}" if self.wild else ""
            return (f"DID estimate of {self.term} on {self.outcome}: {self.coef:.4f} "
                    f"(SE {self.se:.4f}, p {p}, {pct} CI [{lo:.4f}, {hi:.4f}]); "
                    f"N = {self.nobs}; standard errors: {clus}{how}.")
        clus = "、".join(self.fit.cluster) or {"hetero": "异方差稳健", "iid": "常规"}[
            self.fit.vcov_type]
        how = f"；p 值与区间：{self.wild.summary('zh')}" if self.wild else ""
        return (f"{self.term} 对 {self.outcome} 的双重差分估计为 {self.coef:.4f}"
                f"（标准误 {self.se:.4f}，p {p}，"
                f"{pct} 置信区间 [{lo:.4f}, {hi:.4f}]）；"
                f"观测数 {self.nobs}；标准误聚类/类型：{clus}{how}。")


def treated_clusters(data: pd.DataFrame, treated: np.ndarray | pd.Series,
                     cluster: str) -> int:
    """Number of clusters with at least one treated observation (受处理的聚类数)."""
    flag = np.asarray(treated, dtype=float) > 0
    return int(pd.Series(flag).groupby(data[cluster].to_numpy()).any().sum())


def twfe_did(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    treated: str,
    covariates: Sequence[str] = (),
    cluster: str | Sequence[str] | None = None,
    small_sample: SmallSample = "nested",
    weights: str | None = None,
    inference: Inference = "cluster",
    reps: int = MIN_REPS,
    seed: int = SEED,
    wild_weights: WildWeights | None = None,
    level: float = 0.95,
) -> TWFEResult:
    r"""Two-way fixed effects DID (双向固定效应双重差分).

    .. math:: y_{it} = \alpha_i + \lambda_t + \delta D_{it} + X_{it}'\beta + \varepsilon_{it}

    with :math:`D_{it}` = 1 for treated units from their treatment period on. δ is the ATT
    when effects are homogeneous; with staggered adoption and effects that change over time
    it is a weighted average with possibly negative weights (Goodman-Bacon 2021, J. Econom.
    225(2):254-277) — use the event study or a heterogeneity-robust estimator then.
    Reference: Angrist & Pischke (2009), *Mostly Harmless Econometrics*, eq. (5.2.7).

    Standard errors are clustered (CRV1) by ``unit`` unless ``cluster`` says otherwise, with
    Stata ``reghdfe``'s small-sample factor (G/(G−1))·((N−1)/(N−K)), K excluding fixed effects
    nested in a cluster (default ``small_sample="nested"``, because users compare with
    reghdfe/``xtreg, fe``); ``"full"`` counts all of them (``areg``). Two cluster columns
    give two-way clustering (Cameron, Gelbach & Miller 2011) with G = the smaller number of
    clusters, as reghdfe. Singleton fixed-effect groups are removed as in reghdfe (reported
    as ``fit.n_singletons``; pyfixest warns).

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and period.
    outcome : str
        Outcome column (e.g. log rural income per capita).
    unit, time : str
        Unit (e.g. ``region_code``) and period (e.g. ``year``) columns; both absorbed.
    treated : str
        0/1 post-treatment indicator column :math:`D_{it}`.
    covariates : sequence of str
        Time-varying controls.
    cluster : str or sequence of str, optional
        Cluster column(s); default ``unit``.
    small_sample : {"nested", "full"}
        Degrees-of-freedom rule for K (see above).
    weights : str, optional
        Analytic weights column (e.g. matching weights from :func:`psm_did`).
    inference : {"cluster", "wild", "auto"}
        ``"cluster"`` (default, reghdfe): t-tests with the clustered SE and G − 1 degrees of
        freedom. ``"wild"``: p-value and interval from the wild cluster restricted bootstrap
        (one cluster variable, unweighted), advisable with few treated clusters
        (MacKinnon & Webb 2017, 2018; see :mod:`linkage.evaluation.wild`). ``"auto"``: the
        wild bootstrap below :data:`~linkage.checks.FEW_CLUSTERS` clusters or treated
        clusters when the fit allows it (:func:`resolve_inference`).
    reps, seed : int
        Draws and seed of the wild bootstrap.
    wild_weights : {"rademacher", "webb"}, optional
        Its cluster weights; default Webb below :data:`~linkage.checks.WEBB_BELOW` clusters,
        Rademacher otherwise (:func:`~linkage.evaluation.wild.wild_weights_for`).
    level : float, default 0.95
        Confidence level of ``ci``.

    Returns
    -------
    TWFEResult

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"county": np.repeat(np.arange(40), 6), "year": np.tile(range(6), 40)})
    >>> df["D"] = ((df.county < 20) & (df.year >= 3)).astype(int)
    >>> df["y"] = 0.5 * df.D + 0.1 * df.county + 0.2 * df.year + rng.normal(0, 0.1, len(df))
    >>> round(twfe_did(df, "y", unit="county", time="year", treated="D").coef, 1)
    0.5
    """
    check_option("inference", inference, Inference)
    check_level(level)
    covariates = list(covariates)
    roles: dict[str, Hashable] = {"y": outcome, "d": treated, "unit": unit, "time": time}
    roles |= {f"x{j}": c for j, c in enumerate(covariates)}
    cl_roles = cluster_roles(roles, cluster)
    complete_columns(data, list(roles.values()), numeric=[outcome, treated, *covariates])
    check_binary(data, treated)
    if weights is not None:
        complete_columns(data, [weights], numeric=[weights])
        roles["w"] = weights
    frame = safe_frame(data, roles)
    if weights is not None:
        negative = frame["w"].to_numpy(dtype=float) < 0
        if negative.any():
            raise InputError(f"权数列 {weights!r} 含负值 / negative weight", column=weights,
                             hint="权数必须 ≥ 0；权数为 0 的观测不参与估计。")
        frame = frame.loc[frame["w"] > 0].reset_index(drop=True)
    names = {r: str(c) for r, c in roles.items()}
    x = ["d", *[f"x{j}" for j in range(len(covariates))]]
    fit = fit_ols(frame, "y", x, names=names, fe=("unit", "time"), cluster=cl_roles,
                  small_sample=small_sample, weights=None if weights is None else "w")
    result = TWFEResult.from_fit(fit, term=str(treated), outcome=str(outcome), level=level,
                                 n_treated_clusters=treated_clusters(frame, frame["d"],
                                                                     cl_roles[0]))
    if resolve_inference(inference, fit, result.n_treated_clusters) == "wild":
        result = result.with_wild_bootstrap(reps=reps, seed=seed, weights=wild_weights)
    return result


def did_2x2(
    data: pd.DataFrame,
    outcome: str,
    *,
    group: str,
    post: str,
    covariates: Sequence[str] = (),
    vcov: VcovType = "iid",
    cluster: str | None = None,
) -> TWFEResult:
    r"""Classic 2×2 difference-in-differences regression (经典双重差分回归).

    .. math:: y = \beta_0 + \beta_1\,\text{post} + \beta_2\,\text{group}
              + \delta\,(\text{group}\times\text{post}) + X'\gamma + u

    Reference: Wooldridge (2020), *Introductory Econometrics*, 7th ed., eq. (13.10) and
    Example 13.3 (Kiel & McClain incinerator data). The default ``vcov="iid"`` gives the
    conventional OLS standard errors printed there (Stata ``regress``); ``"hetero"`` gives
    HC1 (``regress, robust``), ``"cluster"`` CRV1 by ``cluster`` (``vce(cluster ...)``).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per observation (pooled cross sections or a panel).
    outcome : str
        Outcome column.
    group, post : str
        0/1 columns: treatment group, and period after the policy.
    covariates : sequence of str
        Additional controls.
    vcov : {"iid", "hetero", "cluster"}
        Variance type.
    cluster : str, optional
        Cluster column, required when ``vcov="cluster"``.

    Returns
    -------
    TWFEResult
        ``term`` is ``"group×post"``; ``fit.coefs`` also holds ``const``, ``post``,
        ``group`` and the covariates.

    Examples
    --------
    >>> df = pd.DataFrame({"g": [0, 0, 1, 1] * 2, "p": [0, 1, 0, 1] * 2,
    ...                    "y": [1.0, 2.0, 3.0, 6.0, 1.2, 1.8, 3.2, 5.8]})
    >>> round(did_2x2(df, "y", group="g", post="p").coef, 6)  # (6-3) - (2-1)
    2.0
    """
    covariates = list(covariates)
    if vcov == "cluster" and cluster is None:
        raise InputError("vcov='cluster' 需要指定 cluster 列 / cluster column required",
                         hint="例如 cluster='region_code'。")
    clusters = [cluster] if vcov == "cluster" else []
    complete_columns(data, [outcome, group, post, *covariates, *clusters],
                     numeric=[outcome, group, post, *covariates])
    check_binary(data, group)
    check_binary(data, post)
    roles: dict[str, Hashable] = {"y": outcome, "post": post, "group": group}
    roles |= {f"x{j}": c for j, c in enumerate(covariates)}
    roles |= {f"c{j}": c for j, c in enumerate(clusters)}
    frame = safe_frame(data, roles)
    frame["did"] = frame["group"].to_numpy(dtype=float) * frame["post"].to_numpy(dtype=float)
    term = f"{group}×{post}"
    names = {r: str(c) for r, c in roles.items()} | {"did": term}
    x = ["did", "post", "group", *[f"x{j}" for j in range(len(covariates))]]
    fit = fit_ols(frame, "y", x, names=names, vcov=vcov,
                  cluster=[f"c{j}" for j in range(len(clusters))], intercept=True)
    return TWFEResult.from_fit(fit, term=term, outcome=str(outcome))
