"""Stratified bootstrap confidence intervals for FGT and M0 by region (自助法置信区间).

Every statistic here is a ratio of weighted sums, θ_g = Σ_{i∈g} v_i a_i / Σ_{i∈g} v_i, with
a_i = g_i^α 1[y_i < z_i] for FGT_α, c_i(k) for M0 and 1[poor] for H. The bootstrap (Efron &
Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 13, percentile interval eq. 13.5)
resamples, within each group (stratum), as many sampling units as the group has, with
replacement, keeping each unit's survey weight; the percentile interval is the (1 − level)/2 and
(1 + level)/2 quantiles of the replicates and ``se`` their standard deviation (ddof = 1).

Sampling units are rows unless ``cluster`` is given: then whole clusters (e.g. ``household_id``
in a household × year panel, so a household's years stay together) are resampled within their
stratum; every cluster must lie in one stratum. Resampling is vectorised (one integer draw per
unit per replication, sums by ``numpy.bincount``); replications are drawn one at a time from a
seeded :class:`numpy.random.Generator`, so a seed gives the same intervals every time.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.poverty._inputs import aligned, group_codes, ratio, survey_weights
from linkage.poverty.af import Cutoffs, Weights, identify
from linkage.poverty.income_poverty import _alphas, fgt_terms

__all__ = ["af_bootstrap_ci", "fgt_bootstrap_ci"]

MIN_REPS = 200
"""Percentile intervals need enough replications in the tails (Efron & Tibshirani 1993, §19.3)."""

Seed = int | np.random.Generator | None
AFMeasure = Literal["M0", "H"]


def _check_options(reps: int, level: float) -> None:
    if not isinstance(reps, int | np.integer) or reps < MIN_REPS:
        raise InputError(f"自助法重复次数须为 ≥ {MIN_REPS} 的整数，实际为 {reps!r} / reps must be "
                         f"an integer ≥ {MIN_REPS}", hint="百分位区间常用 1000 次 / 1000 is common")
    if not 0 < level < 1:
        raise InputError(f"置信水平须在 (0, 1) 内，实际为 {level!r} / level must be in (0, 1)",
                         hint="例如 0.95 / e.g. 0.95")


def bootstrap_ratio(numerator: np.ndarray, denominator: np.ndarray, strata: np.ndarray,
                    labels: pd.Index, *, clusters: np.ndarray | None, reps: int, level: float,
                    seed: Seed) -> pd.DataFrame:
    """Percentile bootstrap of Σ num / Σ den per stratum, resampling units within strata."""
    _check_options(reps, level)
    size = len(labels)
    if clusters is not None:
        cluster_codes, _ = pd.factorize(clusters)
        n_clusters = cluster_codes.max() + 1
        cluster_stratum = np.empty(n_clusters, dtype=strata.dtype)
        cluster_stratum[cluster_codes] = strata
        if not np.array_equal(cluster_stratum[cluster_codes], strata):
            raise InputError("同一聚类（如住户）出现在多个分组中，无法在分组内重抽 / a cluster "
                             "spans several strata", column="cluster",
                             hint="聚类须嵌套在分组内 / clusters must be nested in the strata")
        numerator = np.bincount(cluster_codes, weights=numerator, minlength=n_clusters)
        denominator = np.bincount(cluster_codes, weights=denominator, minlength=n_clusters)
        strata = cluster_stratum
    order = np.argsort(strata, kind="stable")
    strata, numerator, denominator = strata[order], numerator[order], denominator[order]
    counts = np.bincount(strata, minlength=size)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])[strata]
    width = counts[strata].astype(np.float64)
    rng = np.random.default_rng(seed)
    replicates = np.empty((reps, size))
    for r in range(reps):
        pick = start + (rng.random(len(strata)) * width).astype(np.intp)
        replicates[r] = ratio(np.bincount(strata, weights=numerator[pick], minlength=size),
                              np.bincount(strata, weights=denominator[pick], minlength=size))
    lower, upper = np.quantile(replicates, [(1 - level) / 2, (1 + level) / 2], axis=0)
    estimate = ratio(np.bincount(strata, weights=numerator, minlength=size),
                     np.bincount(strata, weights=denominator, minlength=size))
    return pd.DataFrame({"estimate": estimate, "lower": lower, "upper": upper,
                         "se": replicates.std(axis=0, ddof=1), "reps": reps}, index=labels)


def fgt_bootstrap_ci(income: pd.Series, line: float | pd.Series, *, by: pd.Series,
                     alpha: float = 0, weights: pd.Series | None = None,
                     cluster: pd.Series | None = None, reps: int = MIN_REPS,
                     level: float = 0.95, seed: Seed = None) -> pd.DataFrame:
    """Bootstrap confidence intervals of FGT_α by group (FGT 分组自助法置信区间).

    Percentile intervals from a bootstrap stratified by ``by`` (see the module docstring);
    the estimate is :func:`linkage.poverty.fgt_by_group`'s.

    Parameters
    ----------
    income, line, alpha, weights
        As in :func:`linkage.poverty.fgt`.
    by : pandas.Series
        Group (stratum) per row, e.g. ``region_code``.
    cluster : pandas.Series, optional
        Sampling unit per row (e.g. ``household_id``); default: each row is a unit.
    reps : int, default 200
        Bootstrap replications (≥ 200).
    level : float, default 0.95
    seed : int or numpy.random.Generator, optional
        Pass one for reproducible intervals.

    Returns
    -------
    DataFrame
        Indexed by group: ``estimate, lower, upper, se, reps``.

    Examples
    --------
    >>> y = pd.Series([100.0, 110.0, 150.0, 160.0] * 5)
    >>> ci = fgt_bootstrap_ci(y, 125, by=pd.Series(["a"] * 20), seed=1)
    >>> float(ci.loc["a", "estimate"]), bool(ci.loc["a", "lower"] < 0.5 < ci.loc["a", "upper"])
    (0.5, True)
    """
    terms = fgt_terms(income, line, _alphas(alpha))[0]
    v = survey_weights(weights, income.index)
    strata, labels = group_codes(by, income.index, "by")
    clusters = None if cluster is None else aligned(cluster, income.index, "cluster").to_numpy()
    return bootstrap_ratio(v * terms, v, strata, labels, clusters=clusters, reps=reps,
                           level=level, seed=seed)


def af_bootstrap_ci(data: pd.DataFrame, cutoffs: Cutoffs, weights: Weights, k: float, *,
                    by: str | pd.Series, measure: AFMeasure = "M0",
                    sample_weight: pd.Series | None = None, cluster: pd.Series | None = None,
                    reps: int = MIN_REPS, level: float = 0.95,
                    seed: Seed = None) -> pd.DataFrame:
    """Bootstrap confidence intervals of M0 (or H) by group (M0 分组自助法置信区间).

    Parameters
    ----------
    data, cutoffs, weights, k, sample_weight
        As in :func:`linkage.poverty.alkire_foster`.
    by : str or pandas.Series
        Column of ``data`` or group labels per row (strata).
    measure : {"M0", "H"}, default "M0"
    cluster, reps, level, seed
        As in :func:`fgt_bootstrap_ci`.

    Returns
    -------
    DataFrame
        Indexed by group: ``estimate, lower, upper, se, reps``.

    Examples
    --------
    >>> y = pd.DataFrame({"a": [0, 1] * 10, "b": [0, 0, 1, 1] * 5})
    >>> ci = af_bootstrap_ci(y, {"a": 1, "b": 1}, {"a": 0.5, "b": 0.5}, 0.5,
    ...                      by=pd.Series(["g"] * 20), seed=1)
    >>> float(ci.loc["g", "estimate"])
    0.5
    """
    if measure not in ("M0", "H"):
        raise InputError(f"measure 须为 'M0' 或 'H'，实际为 {measure!r} / measure must be 'M0' "
                         "or 'H'")
    rows = identify(data, cutoffs, weights, k, cardinal=False)
    value = rows.score * rows.poor if measure == "M0" else rows.poor.astype(np.float64)
    v = survey_weights(sample_weight, data.index, "sample_weight")
    groups = data[by] if isinstance(by, str) else by
    strata, labels = group_codes(groups, data.index, by if isinstance(by, str) else "by")
    clusters = None if cluster is None else aligned(cluster, data.index, "cluster").to_numpy()
    return bootstrap_ratio(v * value, v, strata, labels, clusters=clusters, reps=reps,
                           level=level, seed=seed)
