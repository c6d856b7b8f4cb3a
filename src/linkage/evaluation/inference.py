"""Inference helpers shared by every estimator of :mod:`linkage.evaluation` (推断工具).

* :func:`tidy_table` — the one coefficient-table schema of the kit, as pyfixest's ``tidy()``:
  ``term, coef, se, stat, pvalue, ci_low, ci_high, nobs``;
* :func:`sup_t_critical` and :func:`multiplier_sup_t` — critical values of uniform
  (simultaneous, sup-t) confidence bands;
* :func:`format_pvalue` — p-values as readers should see them (a resampling p-value is never
  below 1/(B+1), so at that floor it is printed "≤ 0.001").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from linkage.checks import check_level

__all__ = [
    "TIDY_COLUMNS",
    "format_pvalue",
    "mammen_weights",
    "multiplier_sup_t",
    "sup_t_critical",
    "tidy_table",
]

TIDY_COLUMNS = ("term", "coef", "se", "stat", "pvalue", "ci_low", "ci_high", "nobs")

_MAMMEN_LOW = (1 - np.sqrt(5)) / 2
_MAMMEN_HIGH = (1 + np.sqrt(5)) / 2
_MAMMEN_P = (np.sqrt(5) + 1) / (2 * np.sqrt(5))
_IQR_NORMAL = stats.norm.ppf(0.75) - stats.norm.ppf(0.25)


def tidy_table(
    terms: Sequence[object],
    coef: Sequence[float] | np.ndarray,
    se: Sequence[float] | np.ndarray,
    *,
    nobs: int | Sequence[int],
    level: float = 0.95,
    df: float | None = None,
    pvalue: Sequence[float] | np.ndarray | None = None,
    ci: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """The kit's tidy coefficient table (整洁系数表), one row per term.

    ``stat = coef / se``; ``pvalue`` two-sided from the t distribution with ``df`` degrees of
    freedom (normal when ``df`` is None) unless given (e.g. a bootstrap p-value);
    ``ci_low``/``ci_high`` = coef ∓ q·se with q the (1+level)/2 quantile of the same
    distribution, unless ``ci`` is given (e.g. an inverted bootstrap interval). Rows with
    ``se`` missing (a reference period fixed at 0) get missing statistics.

    >>> tidy_table(["a"], [1.0], [0.5], nobs=10).round(3).iloc[0].tolist()
    ['a', 1.0, 0.5, 2.0, 0.046, 0.02, 1.98, 10]
    """
    check_level(level)
    coef = np.asarray(coef, dtype=float)
    se = np.asarray(se, dtype=float)
    dist = stats.norm if df is None else stats.t(df)
    stat = np.divide(coef, se, out=np.full_like(coef, np.nan), where=se > 0)
    p = 2 * dist.sf(np.abs(stat)) if pvalue is None else np.asarray(pvalue, dtype=float)
    q = dist.ppf((1 + level) / 2)
    lo, hi = (coef - q * se, coef + q * se) if ci is None else ci
    return pd.DataFrame({"term": list(terms), "coef": coef, "se": se, "stat": stat,
                         "pvalue": p, "ci_low": lo, "ci_high": hi,
                         "nobs": np.broadcast_to(np.asarray(nobs), coef.shape).astype(int)})


def mammen_weights(n: int, reps: int, seed: int) -> np.ndarray:
    """Mammen (1993) two-point multiplier weights (mean 0, variance 1), ``reps × n``, as R
    ``did``'s ``mboot``."""
    rng = np.random.default_rng(seed)
    return np.where(rng.random((reps, n)) < _MAMMEN_P, _MAMMEN_LOW, _MAMMEN_HIGH)


def multiplier_sup_t(influence: np.ndarray, *, level: float, reps: int, seed: int,
                     ) -> tuple[np.ndarray, float]:
    """Multiplier bootstrap of influence functions (R ``did``'s ``mboot``).

    ``bres = W ψ / √n`` with Mammen weights W (``reps × n``); per column the bootstrap
    standard error ``IQR(bres)/(z₀.₇₅ − z₀.₂₅)/√n``, and the (``level``) quantile of
    ``max_j |bres_j / σ_j|`` — the critical value of the uniform band (Callaway & Sant'Anna
    2021, §4.1). Columns that are identically 0 (a reference cell) get NaN and are left out
    of the maximum.
    """
    n = influence.shape[0]
    bres = mammen_weights(n, reps, seed) @ influence / np.sqrt(n)
    q75, q25 = np.percentile(bres, [75, 25], axis=0, method="inverted_cdf")
    sigma = (q75 - q25) / _IQR_NORMAL
    ok = sigma > np.sqrt(np.finfo(float).eps)
    se = np.where(ok, sigma / np.sqrt(n), np.nan)
    if not ok.any():
        return se, float("nan")
    sup = np.max(np.abs(bres[:, ok] / sigma[ok]), axis=1)
    return se, float(np.percentile(sup, 100 * level, method="inverted_cdf"))


def sup_t_critical(vcov: np.ndarray, *, level: float, reps: int, seed: int,
                   df: float | None = None) -> float:
    r"""Critical value of the sup-t uniform band for estimates with covariance ``vcov``.

    The (``level``) quantile of :math:`\max_j |Z_j|`, Z drawn from N(0, R) with R the
    correlation matrix of the estimates (Montiel Olea & Plagborg-Møller 2019, J. Appl.
    Econom. 34(1):1-17, the plug-in sup-t band recommended for event-study plots by
    Freyaldenhoven, Hansen, Pérez Pérez & Shapiro 2021); with ``df`` the draws are
    multivariate t with ``df`` degrees of freedom, matching t-based pointwise intervals.
    The band is ``estimate ± c · se``; it covers all the estimates at once with probability
    ``level``, where the pointwise interval covers each one.
    """
    check_level(level)
    sd = np.sqrt(np.diag(vcov))
    corr = vcov / np.outer(sd, sd)
    rng = np.random.default_rng(seed)
    z = rng.multivariate_normal(np.zeros(len(sd)), corr, size=reps, method="eigh")
    if df is not None:
        z = z / np.sqrt(rng.chisquare(df, size=(reps, 1)) / df)
    return float(np.quantile(np.abs(z).max(axis=1), level))


def format_pvalue(pvalue: float, *, reps: int | None = None, digits: int = 3) -> str:
    """A p-value as printed for readers (p 值的呈现).

    A resampling p-value ``(1 + #{…})/(B + 1)`` cannot fall below ``1/(B+1)``; at that floor
    it only says "at most", so it prints as ``≤ 0.001`` (B = 999). An analytic p-value below
    the printed precision prints as ``< 0.001``.

    >>> format_pvalue(1 / 1000, reps=999), format_pvalue(0.0423), format_pvalue(1e-7)
    ('≤ 0.001', '0.042', '< 0.001')
    """
    if np.isnan(pvalue):
        return "—"
    if reps is not None and pvalue <= 1 / (reps + 1) + 1e-12:
        return f"≤ {1 / (reps + 1):.{max(digits, 3)}g}"
    smallest = 10.0 ** -digits
    if pvalue < smallest:
        return f"< {smallest:.{digits}f}"
    return f"{pvalue:.{digits}f}"
