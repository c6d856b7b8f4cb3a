"""Wild cluster bootstrap (野聚类自助法 / wild cluster restricted bootstrap): the kit's one
implementation, used by every clustered regression — the TWFE DID, the event study,
Sun–Abraham and β-convergence.

Cluster-robust t-tests rely on many clusters *and* many treated clusters: with few treated
clusters the CRV1 variance of the treatment coefficient is estimated from a handful of cluster
scores and t-tests over-reject, even when the total number of clusters is large (MacKinnon &
Webb 2017, J. Appl. Econom. 32(2):233-254; 2018, Econom. J. 21(2):114-135). The restricted wild
cluster bootstrap (WCR: null imposed, cluster-level Rademacher or Webb weights, bootstrap-t) of
Cameron, Gelbach & Miller (2008, REStat 90(3):414-427) brings the rejection rate back near the
nominal level (Roodman, MacKinnon, Nielsen & Webb 2019, Stata J. 19(1):4-60, ``boottest``).

The tests are the ``wildboottest`` package's (a port of ``boottest``'s "fast and wild"
algorithm, which pyfixest's ``Feols.wildboottest`` calls): WCR11, CRV1 studentisation with
the (G/(G−1))·((N−1)/(N−K)) factor, two-sided p-value = share of bootstrap |t*| above |t|.
The kit runs the package's steps on one design object and draws the cluster weights once, so
that every test on a regression — each coefficient, each linear combination, each value of
the null — uses the same draws; only the denominator's G × G matrix is formed by one matrix
product instead of the package's double loop (same formula; tests compare the p-values with
``Feols.wildboottest`` and the statsmodels ``wildboottest`` function). A design comes from a
pyfixest fit (:func:`wild_cluster_bootstrap`, fixed effects as dummies, as pyfixest does) or
from a plain regressor matrix (:func:`wild_bootstrap_ols`, used by β-convergence).

* **p-value** of H₀: R β = 0 (R a unit vector for one coefficient or weights for a linear
  combination, e.g. the Sun–Abraham average effect).
* **Interval**, as ``boottest``: the set of r for which H₀: R β = r is not rejected at
  1 − ``level`` (tested as R β = 0 in the regression of y − r·X c with R c = 1), each end by
  bisection.
* **Uniform band** over a family of coefficients (event times): the same inversion at the
  pointwise level α* that controls the family-wise level — α* is the (1 − ``level``) quantile
  of the smallest bootstrap p-value over the family in the joint draws (Westfall & Young 1993,
  *Resampling-Based Multiple Testing*, single-step min-P; with studentised statistics this is
  the bootstrap sup-t band of Montiel Olea & Plagborg-Møller 2019, J. Appl. Econom.
  34(1):1-17). The joint draws are the bootstrap t statistics of every coefficient under the
  same cluster weights, centred at the estimate (the WCR draws at r = β̂). As α* ≤ 1 − level,
  the band contains every pointwise interval.

Rules shared with the reports: :func:`few_clusters` (below :data:`linkage.checks.FEW_CLUSTERS`
clusters or treated clusters, ``inference="auto"`` bootstraps) and :func:`wild_weights_for`
(Webb's six-point weights below :data:`linkage.checks.WEBB_BELOW` clusters, Rademacher
otherwise) — the default of every ``wild_weights`` argument.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from linkage.checks import (
    FEW_CLUSTERS,
    MIN_REPS,
    SEED,
    WEBB_BELOW,
    WildWeights,
    check_level,
    check_option,
    check_reps,
)
from linkage.errors import InputError
from linkage.labels import Language, is_zh, label

__all__ = [
    "WildBootstrap",
    "few_clusters",
    "wild_bootstrap_ols",
    "wild_cluster_bootstrap",
    "wild_weights_for",
]

Terms = Sequence[str] | Mapping[str, Mapping[str, float]]
"""Coefficients to test: names, or output name → {coefficient: weight} for linear
combinations (e.g. ``{"ATT": {"d2021_0": 0.5, "d2021_1": 0.5}}``)."""


def wild_weights_for(n_clusters: int) -> WildWeights:
    """The kit's weight rule: Webb six-point below :data:`~linkage.checks.WEBB_BELOW` clusters
    (2^G Rademacher draws are then too few distinct samples; Webb 2023, Can. J. Econ.
    56(3):839-858), Rademacher otherwise (``boottest``'s default).

    >>> wild_weights_for(11), wild_weights_for(12)
    ('webb', 'rademacher')
    """
    return "webb" if n_clusters < WEBB_BELOW else "rademacher"


def few_clusters(n_clusters: int, n_treated: int | None = None) -> bool:
    """Whether ``inference="auto"`` uses the wild bootstrap: fewer than
    :data:`~linkage.checks.FEW_CLUSTERS` clusters, or (for a DID) treated clusters.

    >>> few_clusters(48, 9), few_clusters(48, 48), few_clusters(11)
    (True, False, True)
    """
    return min(n_clusters, n_clusters if n_treated is None else n_treated) < FEW_CLUSTERS


@dataclass(frozen=True)
class WildBootstrap:
    """Wild cluster bootstrap inference for some coefficients (野聚类自助法推断).

    ``table`` has one row per term: ``term, stat, pvalue, ci_low, ci_high`` — the CRV1 t
    statistic the bootstrap studentises, the WCR p-value (two-sided) and the interval from
    inverting the bootstrap test at ``level`` (NaN when not computed) — and, for the terms of
    a uniform band, ``band_low, band_high`` (NaN elsewhere). ``reps`` is the number of draws
    used: ``2^G`` when Rademacher weights are fully enumerated because ``2^G`` is below the
    draws asked for. ``band_alpha`` is the pointwise level α* at which the band is the inverted
    test (NaN without a band).
    """

    table: pd.DataFrame
    reps: int
    seed: int | None
    weights: str
    level: float
    n_clusters: int
    n_treated_clusters: int | None = None
    band_alpha: float = float("nan")
    _state: Any = field(default=None, repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def row(self, term: str) -> pd.Series:
        """The table row of ``term``."""
        return self.table.set_index("term").loc[term]

    def at_level(self, level: float) -> WildBootstrap:
        """The same tests (same draws) with intervals and band inverted at ``level``."""
        check_level(level)
        if level == self.level or self._state is None:
            return self
        tests, contrasts, estimates, ses, family = self._state
        table, alpha = _intervals(tests, contrasts, estimates, ses, self.table, level=level,
                                  family=family)
        return replace(self, table=table, level=level, band_alpha=alpha)

    def summary(self, language: Language = "zh") -> str:
        """One clause naming the method, draws, weights and clusters."""
        zh = is_zh(language)
        treated = ("" if self.n_treated_clusters is None else
                   (f"，其中受处理 {self.n_treated_clusters} 个" if zh
                    else f", {self.n_treated_clusters} treated"))
        weights = label(f"wild_weights_{self.weights}", language)
        seed = "" if self.seed is None else (f"，种子 {self.seed}" if zh else f", seed {self.seed}")
        if zh:
            return (f"野聚类自助法（WCR，施加原假设，{weights}，{self.reps} 次{seed}；"
                    f"聚类 {self.n_clusters} 个{treated}；区间由检验反演）")
        return (f"wild cluster restricted bootstrap (WCR, {weights}, {self.reps} draws"
                f"{seed}; {self.n_clusters} clusters{treated}; intervals by test inversion)")


class _Tests:
    """WCR11 tests of R β = r on one design, with one draw of the cluster weights.

    The ``wildboottest`` package's ``WildboottestCL`` steps (scores, numerator, t statistic,
    p-value) on a design object built once; for each (R, r) the outcome-dependent parts are
    set to those of y − r·X c (R c = 1), exactly as the package's constructor computes them.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, clusters: np.ndarray, *, reps: int,
                 seed: int | None, weights: str) -> None:
        from wildboottest.wildboottest import WildboottestCL

        self.x, self.y = x, y
        self.boot = WildboottestCL(X=x, Y=y, cluster=clusters, R=np.eye(x.shape[1])[0],
                                   B=reps, seed=seed, parallel=False)
        with warnings.catch_warnings():  # "2^G < reps: full enumeration" is expected
            warnings.simplefilter("ignore")
            self.boot.get_weights(weights_type=weights)
        self.rows = [np.where(self.boot.bootcluster == g) for g in self.boot.bootclustid]
        self.xgxg = np.stack(self.boot.tXgXg_list)

    @property
    def reps(self) -> int:
        return int(self.boot.B)

    @property
    def n_clusters(self) -> int:
        return int(self.boot.G)

    def run(self, contrast: np.ndarray, r: float = 0.0) -> Any:
        """Test R β = r; the package object holds ``t_stat``, ``pvalue``, ``t_boot``."""
        b = self.boot
        y = self.y if r == 0 else self.y - r * (self.x @ (contrast / (contrast @ contrast)))
        b.Y, b.R = y, contrast
        b.Y_list = [y[i] for i in self.rows]
        b.tXgyg_list = [np.transpose(self.x[i]) @ y[i] for i in self.rows]
        b.tXy = np.zeros(self.x.shape[1])
        for part in b.tXgyg_list:  # the constructor's order of summation
            b.tXy += part
        b.get_scores(bootstrap_type="11", impose_null=True, adj=True, cluster_adj=True)
        b.get_numer()
        # the package's denominator, H[g, h] = R (X'X)⁻¹ X_g'X_g (X'X)⁻¹ s_h, as one product
        lead = (contrast @ b.tXXinv) @ self.xgxg @ b.tXXinv
        h = lead @ b.scores_mat
        z = b.Cg[:, None] * b.v - h @ b.v
        b.denom = b.ssc * np.sum(z**2, axis=0)
        b.get_tboot()
        b.get_vcov()
        b.get_tstat()
        b.get_pvalue(pval_type="two-tailed")
        return b

    def pvalue(self, contrast: np.ndarray, r: float) -> float:
        return float(np.asarray(self.run(contrast, r).pvalue).reshape(-1)[0])


def _invert(tests: _Tests, contrast: np.ndarray, coef: float, se: float, *,
            alpha: float) -> tuple[float, float]:
    """{r : p(r) ≥ alpha}; each end point by bisection between the last r not rejected and the
    first rejected, to 0.002·se (finer than the p-value grid of B draws resolves)."""
    if alpha <= 0:
        return (-np.inf, np.inf)
    ends = []
    for side in (-1.0, 1.0):
        inside, width = coef, 3.0 * se
        outside = coef + side * width
        while tests.pvalue(contrast, outside) >= alpha:  # widen until rejected
            inside, width = outside, 2 * width
            outside = coef + side * width
            if width > 1e6 * max(se, 1e-12):
                return (-np.inf, np.inf)
        while abs(outside - inside) > 2e-3 * se:
            mid = (inside + outside) / 2
            if tests.pvalue(contrast, mid) >= alpha:
                inside = mid
            else:
                outside = mid
        ends.append((inside + outside) / 2)
    return ends[0], ends[1]


def band_alpha(t_boot: np.ndarray, level: float) -> float:
    """Pointwise level α* of a uniform band from joint bootstrap t statistics (terms × draws).

    Per draw b and term k, the bootstrap p-value p*_kb = share of draws with |t*_k| above
    |t*_kb| (the package's rule); α* = the (1 − ``level``) quantile of min_k p*_kb, so that in
    the bootstrap world fewer than a share 1 − ``level`` of draws reject any term at α*
    (single-step min-P, Westfall & Young 1993). Never above 1 − ``level``.
    """
    a = np.sort(np.abs(t_boot), axis=1)
    reps = a.shape[1]
    above = np.stack([reps - np.searchsorted(row, np.abs(t), side="right")
                      for row, t in zip(a, t_boot, strict=True)])
    smallest = (above / reps).min(axis=0)
    alpha = 1 - level
    return float(min(alpha, np.quantile(smallest, alpha, method="inverted_cdf")))


def _intervals(tests: _Tests, contrasts: dict[str, np.ndarray], estimates: dict[str, float],
               ses: dict[str, float], table: pd.DataFrame, *, level: float,
               family: Sequence[str]) -> tuple[pd.DataFrame, float]:
    """Pointwise intervals at ``level`` and the band over ``family`` (see module doc)."""
    table = table.copy()
    for j, term in enumerate(table["term"]):
        table.loc[j, ["ci_low", "ci_high"]] = _invert(
            tests, contrasts[term], estimates[term], ses[term], alpha=1 - level)
    alpha = float("nan")
    if family:
        draws = np.stack([tests.run(contrasts[t], estimates[t]).t_boot.copy() for t in family])
        alpha = band_alpha(draws, level)
        table["band_low"], table["band_high"] = np.nan, np.nan
        for j, term in enumerate(table["term"]):
            if term in family:
                lo, hi = _invert(tests, contrasts[term], estimates[term], ses[term], alpha=alpha)
                table.loc[j, ["band_low", "band_high"]] = (min(lo, table.at[j, "ci_low"]),
                                                           max(hi, table.at[j, "ci_high"]))
    return table, alpha


def _check(reps: int, level: float, weights: WildWeights | None) -> None:
    check_reps(reps, minimum=99)
    check_level(level)
    if weights is not None:
        check_option("weights", weights, WildWeights)


def _bootstrap(x: np.ndarray, y: np.ndarray, clusters: np.ndarray, names: Sequence[str],
               terms: Terms, *, reps: int, seed: int | None, weights: WildWeights | None,
               level: float, interval: bool, band: bool | Sequence[str],
               n_treated_clusters: int | None) -> WildBootstrap:
    if not isinstance(terms, Mapping):
        terms = {t: {t: 1.0} for t in terms}
    contrasts = {}
    for name, combination in terms.items():
        vector = np.zeros(len(names))
        for term, w in combination.items():
            if term not in names:
                raise InputError(f"回归中没有系数 {term!r} / no such coefficient",
                                 hint=f"可选：{', '.join(map(str, names))}")
            vector[list(names).index(term)] = w
        contrasts[str(name)] = vector
    codes = pd.factorize(clusters, sort=True)[0]  # np.unique's order, as the package
    n_clusters = int(codes.max()) + 1
    weights = weights or wild_weights_for(n_clusters)
    tests = _Tests(x, y, codes, reps=reps, seed=seed, weights=weights)
    rows, estimates, ses = [], {}, {}
    for name, contrast in contrasts.items():
        b = tests.run(contrast)
        rows.append({"term": name, "stat": float(np.squeeze(b.t_stat)),
                     "pvalue": float(np.asarray(b.pvalue).reshape(-1)[0]),
                     "ci_low": np.nan, "ci_high": np.nan})
        estimates[name] = float(contrast @ b.beta_hat)
        ses[name] = float(np.sqrt(b.ssc * contrast @ b.vcov @ contrast))
    family = list(contrasts) if band is True else list(band or ())
    table, alpha = pd.DataFrame(rows), float("nan")
    if interval or family:
        table, alpha = _intervals(tests, contrasts, estimates, ses, table, level=level,
                                  family=family)
    return WildBootstrap(table=table, reps=tests.reps, seed=seed, weights=weights, level=level,
                         n_clusters=n_clusters, n_treated_clusters=n_treated_clusters,
                         band_alpha=alpha, _state=(tests, contrasts, estimates, ses, family))


def wild_cluster_bootstrap(
    fit: Any,
    terms: Terms,
    *,
    reps: int = MIN_REPS,
    seed: int | None = SEED,
    weights: WildWeights | None = None,
    level: float = 0.95,
    interval: bool = True,
    band: bool | Sequence[str] = False,
    n_treated_clusters: int | None = None,
) -> WildBootstrap:
    """Wild cluster restricted bootstrap of a fitted regression (p-values, inverted intervals,
    optionally a uniform band).

    Parameters
    ----------
    fit : linkage.evaluation._fit.FitSummary
        A one-way clustered, unweighted fit (``fit.model`` is the pyfixest model; its fixed
        effects enter as dummies, as in ``Feols.wildboottest``).
    terms : sequence of str or mapping
        Coefficients by the user's names (as in ``fit.coefs``), or name → {coefficient:
        weight} for linear combinations.
    reps : int, default 999
        Bootstrap draws (with Rademacher weights and ``2^G`` < ``reps`` all ``2^G`` sign
        vectors are enumerated instead).
    seed : int, optional
        Seed of the weights; the same seed gives the same draws for every term.
    weights : {"rademacher", "webb"}, optional
        Cluster weights; default :func:`wild_weights_for` the number of clusters.
    level : float
        Level of the inverted intervals and the band.
    interval : bool
        Invert the test for intervals (about 30 bootstrap tests per term).
    band : bool or sequence of str
        Uniform band over all terms (True) or over the named ones.
    n_treated_clusters : int, optional
        Recorded for the report's wording.

    Returns
    -------
    WildBootstrap
    """
    _check(reps, level, weights)
    if fit.vcov_type != "cluster" or len(fit.cluster) != 1:
        raise InputError("野自助法需要单向聚类的回归 / the wild cluster bootstrap needs one "
                         "cluster variable", hint="用 cluster=单个列名 重新估计。")
    model = fit.model
    if getattr(model, "_has_weights", False):
        raise InputError("野自助法不支持加权回归 / no wild bootstrap for weighted regressions",
                         hint="PSM-DID 请用 psm_did(inference='bootstrap')（重新匹配的自助法）。")
    y, x, columns = model._model_matrix_one_hot()
    formula_names = {v: k for k, v in fit.roles.items()}
    names = [formula_names.get(c, c) for c in columns]
    clusters = model._data[model._clustervar[0]].to_numpy().flatten()
    return _bootstrap(np.asarray(x, dtype=float), np.asarray(y, dtype=float).reshape(-1),
                      clusters, names, terms, reps=reps, seed=seed, weights=weights,
                      level=level, interval=interval, band=band,
                      n_treated_clusters=n_treated_clusters)


def wild_bootstrap_ols(
    exog: pd.DataFrame,
    endog: np.ndarray | pd.Series,
    clusters: np.ndarray | pd.Series,
    terms: Terms,
    *,
    reps: int = MIN_REPS,
    seed: int | None = SEED,
    weights: WildWeights | None = None,
    level: float = 0.95,
    interval: bool = True,
    band: bool | Sequence[str] = False,
) -> WildBootstrap:
    """The same bootstrap for an OLS given by its regressor matrix (columns = coefficient
    names, constant and dummies included) — the design of a statsmodels ``OLS``, as the
    ``wildboottest`` package's ``wildboottest(model, ...)`` takes it. Options as
    :func:`wild_cluster_bootstrap`.
    """
    _check(reps, level, weights)
    return _bootstrap(exog.to_numpy(dtype=float), np.asarray(endog, dtype=float).reshape(-1),
                      np.asarray(clusters), [str(c) for c in exog.columns], terms, reps=reps,
                      seed=seed, weights=weights, level=level, interval=interval, band=band,
                      n_treated_clusters=None)
