"""Wild cluster bootstrap (野自助法 / wild cluster restricted bootstrap) for few treated clusters.

Cluster-robust t-tests rely on many clusters *and* many treated clusters: with few treated
clusters the CRV1 variance of the treatment coefficient is estimated from a handful of cluster
scores and t-tests over-reject, even when the total number of clusters is large (MacKinnon &
Webb 2017, J. Appl. Econom. 32(2):233-254; 2018, Econom. J. 21(2):114-135). The restricted wild
cluster bootstrap (WCR: null imposed, cluster-level Rademacher or Webb weights, bootstrap-t) of
Cameron, Gelbach & Miller (2008, REStat 90(3):414-427) brings the rejection rate back near the
nominal level (Roodman, MacKinnon, Nielsen & Webb 2019, Stata J. 19(1):4-60, ``boottest``).

The kit does not re-implement it: :func:`wild_cluster_bootstrap` calls pyfixest's
``Feols.wildboottest`` (the ``wildboottest`` package, a port of ``boottest``'s "fast and wild"
algorithm), WCR11 with small-sample adjustments, two-sided, on the model the kit fitted.
Confidence intervals are obtained as boottest does, by inverting the test: the set of r for
which H₀: β = r is not rejected at 1 − ``level`` (H₀: β = r is tested as β = 0 in the
regression of y − r·x on the same regressors, with the same bootstrap weights, by the same
``wildboottest`` steps pyfixest runs).

:data:`linkage.checks.FEW_CLUSTERS` is the rule the policy report applies: with fewer treated
clusters than this the report uses the wild cluster bootstrap for the TWFE DID and the event
study and says so (Webb weights below :data:`linkage.checks.WEBB_BELOW` clusters).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from linkage.checks import MIN_REPS, WildWeights, check_level, check_option, check_reps
from linkage.errors import InputError
from linkage.labels import is_zh

__all__ = ["WildBootstrap", "wild_cluster_bootstrap"]


@dataclass(frozen=True)
class WildBootstrap:
    """Wild cluster bootstrap inference for some coefficients (野自助法推断).

    ``table`` has one row per term: ``term, tstat, pvalue, ci_low, ci_high`` — the
    cluster-robust t statistic, the WCR bootstrap p-value (two-sided) and the interval from
    inverting the bootstrap test at ``level``.
    """

    table: pd.DataFrame
    reps: int
    seed: int
    weights: str
    level: float
    n_clusters: int
    n_treated_clusters: int | None

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self, language: str = "zh") -> str:
        """One sentence naming the method, draws, weights and clusters."""
        treated = ("" if self.n_treated_clusters is None else
                   (f"，其中受处理 {self.n_treated_clusters} 个" if is_zh(language)
                    else f", {self.n_treated_clusters} treated"))
        weights = {"rademacher": ("Rademacher", "Rademacher"), "webb": ("Webb 六点", "Webb")}[
            self.weights][0 if is_zh(language) else 1]
        if is_zh(language):
            return (f"野聚类自助法（WCR，施加原假设，{weights} 权重，{self.reps} 次，种子 "
                    f"{self.seed}；聚类 {self.n_clusters} 个{treated}）")
        return (f"wild cluster restricted bootstrap (WCR, {weights} weights, {self.reps} draws, "
                f"seed {self.seed}; {self.n_clusters} clusters{treated})")


@contextlib.contextmanager
def _compile_once() -> Iterator[None]:
    """Reuse wildboottest's numba kernel across calls.

    wildboottest 0.3 defines its denominator kernel inside a method with ``@njit`` and so
    compiles it anew on every call (≈ 0.5 s). The kernel has no free variables, so the compiled
    dispatcher can be reused; the numbers are unchanged (a test compares with a plain
    ``Feols.wildboottest`` call).
    """
    import wildboottest.wildboottest as wb

    original = wb.njit
    cache: dict[Any, Any] = _KERNELS

    def njit(*args: Any, **kwargs: Any) -> Any:
        if args and callable(args[0]):
            return original(*args, **kwargs)

        def decorate(func: Any) -> Any:
            key = (func.__code__, tuple(sorted(kwargs.items())))
            if key not in cache:
                cache[key] = original(*args, **kwargs)(func)
            return cache[key]
        return decorate

    wb.njit = njit
    try:
        yield
    finally:
        wb.njit = original


_KERNELS: dict[Any, Any] = {}


def _pvalue(model: Any, param: str, *, reps: int, seed: int, weights: str,
            cluster: str) -> tuple[float, float]:
    """pyfixest's ``Feols.wildboottest``: WCR11, two-sided; (t statistic, p-value)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "2^G < reps: full enumeration" is expected for tiny G
        out = model.wildboottest(reps=reps, param=param, cluster=cluster, seed=seed,
                                 weights_type=weights, impose_null=True, bootstrap_type="11")
    return float(out["t value"]), float(out["Pr(>|t|)"])


def _shifted_pvalues(model: Any, param: str, *, reps: int, seed: int, weights: str,
                     cluster: str) -> Any:
    """p(r) of H₀: β = r, the same steps as ``Feols.wildboottest`` on y − r·x (same seed,
    hence the same bootstrap weights for every r)."""
    from wildboottest.wildboottest import WildboottestCL

    y, x, names = model._model_matrix_one_hot()
    y = np.asarray(y, dtype=float).reshape(-1)
    x = np.asarray(x, dtype=float)
    j = list(names).index(param)
    restriction = np.zeros(x.shape[1])
    restriction[j] = 1.0
    clusters = model._data[cluster].to_numpy().flatten()

    def p_at(r: float) -> float:
        boot = WildboottestCL(X=x, Y=y - r * x[:, j], cluster=clusters, R=restriction, B=reps,
                              seed=seed)
        boot.get_scores(bootstrap_type="11", impose_null=True, adj=True, cluster_adj=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            boot.get_weights(weights_type=weights)
        boot.get_numer()
        boot.get_denom()
        boot.get_tboot()
        boot.get_vcov()
        boot.get_tstat()
        boot.get_pvalue(pval_type="two-tailed")
        return float(np.asarray(boot.pvalue).reshape(-1)[0])

    return p_at


def _invert(p_at: Any, coef: float, se: float, *, level: float) -> tuple[float, float]:
    """Bootstrap-test inversion: {r : p(r) ≥ 1 − level}; each end point by bisection between
    the last r not rejected and the first rejected, to 0.002·se (finer than the p-value grid
    of B draws can resolve)."""
    alpha = 1 - level
    ends = []
    for side in (-1.0, 1.0):
        inside, width = coef, 3.0 * se
        outside = coef + side * width
        while p_at(outside) >= alpha:  # widen until rejected
            inside, width = outside, 2 * width
            outside = coef + side * width
            if width > 1e6 * max(se, 1e-12):
                return (-np.inf, np.inf)
        while abs(outside - inside) > 2e-3 * se:
            mid = (inside + outside) / 2
            if p_at(mid) >= alpha:
                inside = mid
            else:
                outside = mid
        ends.append((inside + outside) / 2)
    return ends[0], ends[1]


def wild_cluster_bootstrap(
    fit: Any,
    terms: Sequence[str],
    *,
    reps: int = MIN_REPS,
    seed: int = 20210,
    weights: WildWeights = "rademacher",
    level: float = 0.95,
    interval: bool = True,
    n_treated_clusters: int | None = None,
) -> WildBootstrap:
    """Wild cluster restricted bootstrap p-values (and inverted intervals) for ``terms``.

    Parameters
    ----------
    fit : linkage.evaluation._fit.FitSummary
        A one-way clustered fit (``fit.model`` is the pyfixest model, unweighted).
    terms : sequence of str
        Coefficients to test, by the user's names (as in ``fit.coefs``).
    reps : int, default 999
        Bootstrap draws (``2^G`` distinct draws exist with Rademacher weights; pyfixest
        enumerates them all when that is fewer).
    seed : int
        Seed of the weights; the same seed gives the same p-values.
    weights : {"rademacher", "webb"}
        Cluster weights: Rademacher ±1, or Webb's six-point distribution for few clusters.
    level : float
        Level of the inverted interval.
    interval : bool
        Also invert the test for an interval (about 30 bootstrap tests per term).
    n_treated_clusters : int, optional
        Recorded for the report's wording.

    Returns
    -------
    WildBootstrap
    """
    check_reps(reps, minimum=99)
    check_option("weights", weights, WildWeights)
    check_level(level)
    if fit.vcov_type != "cluster" or len(fit.cluster) != 1:
        raise InputError("野自助法需要单向聚类的回归 / the wild cluster bootstrap needs one "
                         "cluster variable", hint="用 cluster=单个列名 重新估计。")
    model = fit.model
    if getattr(model, "_has_weights", False):
        raise InputError("野自助法不支持加权回归 / no wild bootstrap for weighted regressions",
                         hint="PSM-DID 请用 psm_did(inference='bootstrap')（重新匹配的自助法）。")
    names = fit.roles
    cluster = model._clustervar[0]
    boot = {"reps": reps, "seed": seed, "weights": weights, "cluster": cluster}
    rows = []
    with _compile_once():
        for term in terms:
            if term not in names:
                raise InputError(f"回归中没有系数 {term!r} / no such coefficient",
                                 hint=f"可选：{', '.join(map(str, fit.coefs.index))}")
            param = names[term]
            tstat, pvalue = _pvalue(model, param, **boot)
            lo, hi = (np.nan, np.nan)
            if interval:
                row = fit.coefs.loc[term]
                lo, hi = _invert(_shifted_pvalues(model, param, **boot), float(row["coef"]),
                                 float(row["se"]), level=level)
            rows.append({"term": term, "tstat": tstat, "pvalue": pvalue, "ci_low": lo,
                         "ci_high": hi})
    return WildBootstrap(table=pd.DataFrame(rows), reps=reps, seed=seed, weights=weights,
                         level=level, n_clusters=int(model._data[cluster].nunique()),
                         n_treated_clusters=n_treated_clusters)
