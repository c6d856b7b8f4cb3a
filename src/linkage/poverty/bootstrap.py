"""Design-based bootstrap confidence intervals for FGT and Alkire–Foster measures (自助法置信区间).

Every statistic here is a ratio of weighted sums, θ_g = Σ_{i∈g} v_i a_i / Σ_{i∈g} v_i, with
a_i = g_i^α 1[y_i < z_i] for FGT_α, c_i(k)·1[poor] for M0 and 1[poor] for H, and v_i the
survey weights (person weights for a rate per person, see :mod:`linkage.poverty.units`).

Household surveys sample **clusters** (primary sampling units: villages, or counties when the
data carry no village code) within **strata** (e.g. prefectures), so the bootstrap resamples
whole clusters within their stratum — resampling households would treat neighbours as
independent and understate the uncertainty. The scheme is the Rao–Wu rescaling bootstrap
(Rao & Wu 1988, *JASA* 83(401):231–241; bootstrap weights of Rao, Wu & Yue 1992, *Survey
Methodology* 18(2):209–217; R ``survey::as.svrepdesign(type = "subbootstrap")``): in each
replicate, stratum h draws m_h = n_h − 1 of its n_h clusters with replacement, and a cluster
drawn k times gets its rows' weights multiplied by k · n_h / (n_h − 1). Its variance matches the
usual with-replacement (ultimate-cluster) variance of a ratio; a stratum with a single cluster
has no variance estimate and is refused, as R ``survey`` does by default
(``survey.lonely.psu = "fail"``).

The interval is the percentile interval (Efron & Tibshirani 1993, *An Introduction to the
Bootstrap*, eq. 13.5): the (1 − level)/2 and (1 + level)/2 quantiles of the replicates; ``se``
is their standard deviation (ddof = 1). All groups, the pooled row and any contrast between
groups come from the *same* replicates, so a difference between two regions has its own
interval (:meth:`BootstrapResult.contrast`). Replicates are drawn one at a time from a seeded
:class:`numpy.random.Generator` (each vectorised over clusters), so a seed gives the same
intervals every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import (
    MIN_REPS,
    SEED,
    aligned,
    check_level,
    check_option,
    check_reps,
    first_rows,
    survey_weights,
)
from linkage.errors import InputError
from linkage.labels import Language, is_zh
from linkage.poverty.af import Cutoffs, Weights, identify
from linkage.poverty.groups import column_or_series, group_codes, ratio
from linkage.poverty.income_poverty import fgt_alphas, fgt_terms

__all__ = ["AFMeasure", "BootstrapResult", "af_bootstrap_ci", "fgt_bootstrap_ci"]

FEWEST_REPS = 200
"""Fewest replications accepted: percentile intervals need enough draws in each tail
(Efron & Tibshirani 1993, §19.3). The default is :data:`linkage.checks.MIN_REPS` (999)."""

AFMeasure = Literal["M0", "H"]


@dataclass(frozen=True)
class BootstrapResult:
    """Bootstrap estimates, replicates and intervals by group (自助法结果).

    Attributes
    ----------
    estimates : pandas.Series
        Full-sample estimate per group (and the pooled row when ``total`` was given).
    replicates : pandas.DataFrame
        One row per replicate, one column per group; NaN where a group has no weight in a
        replicate (possible only when groups cut across clusters).
    level : float
        Confidence level of the intervals.
    strata, clusters : int
        Number of strata and of clusters (sampling units) resampled.
    cluster_name : str
        What the clusters are (a column name, or ``"row"`` when every row is a unit).
    """

    estimates: pd.Series
    replicates: pd.DataFrame
    level: float
    strata: int
    clusters: int
    cluster_name: str

    @property
    def reps(self) -> int:
        return len(self.replicates)

    def _interval(self, draws: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        lo, hi = (1 - self.level) / 2, (1 + self.level) / 2
        return draws.quantile(lo), draws.quantile(hi)

    def to_frame(self) -> pd.DataFrame:
        """By group: ``estimate, lower, upper, se, reps`` (``reps`` = replicates in which the
        group has weight)."""
        lower, upper = self._interval(self.replicates)
        return pd.DataFrame({"estimate": self.estimates, "lower": lower, "upper": upper,
                             "se": self.replicates.std(ddof=1),
                             "reps": self.replicates.notna().sum()}, index=self.estimates.index)

    def contrast(self, a: object, b: object, *,
                 among: Sequence[object] | None = None) -> pd.Series:
        """θ_a − θ_b with its bootstrap interval from the same replicates.

        Without ``among``: the percentile interval of the replicate differences. With
        ``among`` (groups including a and b, e.g. every region shown): a *simultaneous*
        interval valid for all pairwise differences among them — the single-step max-T
        bootstrap (Westfall & Young 1993, *Resampling-Based Multiple Testing*, §2.6): c is the
        ``level`` quantile of max over pairs of |d*_ij − d̂_ij| / se_ij, the interval
        d̂_ab ± c·se_ab. Use it when a and b were picked after looking (the highest and the
        lowest region): the plain interval would overstate the evidence.

        Returns
        -------
        pandas.Series
            ``estimate, lower, upper, se, pairs`` (``pairs`` = 1, or the number of pairwise
            comparisons the interval is simultaneous over).
        """
        groups = [a, b] if among is None else list(dict.fromkeys(among))
        missing = [g for g in {a, b, *groups} if g not in self.estimates.index]
        if missing or a not in groups or b not in groups:
            raise InputError(f"没有分组 {missing or [a, b]} / no such group",
                             hint=f"可选 / groups: {list(self.estimates.index)}")
        diff = self.replicates[a] - self.replicates[b]
        estimate = float(self.estimates[a] - self.estimates[b])
        se = float(diff.std(ddof=1))
        if among is None:
            lower, upper = self._interval(diff.to_frame("d"))
            return pd.Series({"estimate": estimate, "lower": float(lower["d"]),
                              "upper": float(upper["d"]), "se": se, "pairs": 1})
        i, j = np.triu_indices(len(groups), k=1)
        draws = self.replicates[groups].to_numpy()
        point = self.estimates[groups].to_numpy()
        d_star = draws[:, i] - draws[:, j]
        d_hat = point[i] - point[j]
        scale = d_star.std(axis=0, ddof=1)
        scale[scale == 0] = np.inf
        t_max = np.nanmax(np.abs(d_star - d_hat) / scale, axis=1)
        c = float(np.nanquantile(t_max, self.level))
        return pd.Series({"estimate": estimate, "lower": estimate - c * se,
                          "upper": estimate + c * se, "se": se, "pairs": int(i.size)})

    def summary(self, language: Language = "zh") -> str:
        """How the intervals were computed, in one sentence."""
        unit = self.cluster_name
        if is_zh(language):
            return (f"{self.level:.0%} 置信区间：分层整群自助法（Rao–Wu 重标度），"
                    f"在 {self.strata} 个层内重抽 {self.clusters} 个抽样单位（{unit}），"
                    f"{self.reps} 次。")
        return (f"{self.level:.0%} intervals: stratified cluster bootstrap (Rao–Wu rescaling), "
                f"{self.clusters} sampling units ({unit}) resampled within {self.strata} strata, "
                f"{self.reps} replicates.")


def _codes(values: pd.Series | None, index: pd.Index, name: str) -> np.ndarray:
    if values is None:
        return np.arange(len(index), dtype=np.intp)
    return group_codes(values, index, name)[0]


def bootstrap_ratio(numerator: np.ndarray, denominator: np.ndarray, index: pd.Index, *,
                    by: pd.Series | None, strata: pd.Series | None, cluster: pd.Series | None,
                    total: str | None, reps: int, level: float, seed: int | None,
                    cluster_name: str) -> BootstrapResult:
    """Rao–Wu bootstrap of Σ num / Σ den per group of ``by`` (see the module docstring)."""
    check_reps(reps, minimum=FEWEST_REPS)
    check_level(level)
    group, labels = group_codes(by, index, "by")
    strata = by if strata is None else strata
    if strata is None:
        stratum, strata_labels = np.zeros(len(index), dtype=np.intp), pd.Index(["(全部)"])
    else:
        stratum, strata_labels = group_codes(strata, index, "strata")
    unit = _codes(cluster, index, "cluster")
    n_units = int(unit.max()) + 1 if len(unit) else 0
    unit_stratum = np.zeros(n_units, dtype=np.intp)
    unit_stratum[unit] = stratum
    crossing = unit_stratum[unit] != stratum
    if crossing.any():
        raise InputError(
            f"抽样单位（聚类）须嵌套在层内，有 {int(crossing.sum())} 行的聚类跨层（行 "
            f"{first_rows(index[crossing], int(crossing.sum()))}）/ a cluster spans several strata",
            column="cluster", hint="聚类须嵌套在分层内，例如县在地市内 / clusters must be nested "
            "in the strata, e.g. counties within prefectures")
    n_strata = len(strata_labels)
    per_stratum = np.bincount(unit_stratum, minlength=n_strata)
    lonely = np.flatnonzero(per_stratum < 2)
    if lonely.size:
        raise InputError(
            f"有 {lonely.size} 个层只有一个抽样单位（{first_rows(strata_labels[lonely])}），"
            "无法估计方差 / "
            "strata with a single sampling unit have no variance estimate",
            column="strata", hint="合并这些层，或改用更细的抽样单位（如村或户）/ merge those "
            "strata, or resample finer units (villages or households)")

    # number the units stratum by stratum, so a draw is start + offset within its stratum
    order = np.argsort(unit_stratum, kind="stable")
    rank = np.empty(n_units, dtype=np.intp)
    rank[order] = np.arange(n_units)
    unit, unit_stratum = rank[unit], unit_stratum[order]
    size = len(labels)
    cell_key, cell = np.unique(unit * size + group, return_inverse=True)
    num_cell = np.bincount(cell, weights=numerator, minlength=cell_key.size)
    den_cell = np.bincount(cell, weights=denominator, minlength=cell_key.size)
    cell_unit, cell_group = cell_key // size, cell_key % size
    one_cell_per_unit = cell_key.size == n_units              # then cell_unit is 0..n−1

    start = np.concatenate([[0], np.cumsum(per_stratum)[:-1]])
    draw_stratum = np.repeat(np.arange(n_strata), per_stratum - 1)
    draw_start, draw_width = start[draw_stratum], per_stratum[draw_stratum]
    scale = (per_stratum / (per_stratum - 1))[unit_stratum]
    columns = [*labels, total] if total is not None else list(labels)
    out = np.empty((reps, len(columns)))
    rng = np.random.default_rng(seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        for r in range(reps):
            draw = rng.random(draw_width.size)
            draw *= draw_width
            pick = draw.astype(np.intp)
            pick += draw_start
            factor = np.bincount(pick, minlength=n_units) * scale
            if not one_cell_per_unit:
                factor = factor[cell_unit]
            num = np.bincount(cell_group, weights=factor * num_cell, minlength=size)
            den = np.bincount(cell_group, weights=factor * den_cell, minlength=size)
            out[r, :size] = np.where(den > 0, num / den, np.nan)
            if total is not None:
                out[r, size] = num.sum() / den.sum()
    num = np.bincount(group, weights=numerator, minlength=size)
    den = np.bincount(group, weights=denominator, minlength=size)
    estimates = list(ratio(num, den)) + ([float(ratio(num.sum(), den.sum()))]
                                         if total is not None else [])
    index_out = pd.Index(columns, name=labels.name)
    return BootstrapResult(pd.Series(estimates, index=index_out, name="estimate"),
                           pd.DataFrame(out, columns=index_out), float(level), n_strata,
                           n_units, cluster_name)


def _name(values: object, default: str) -> str:
    if isinstance(values, str):
        return values
    name = getattr(values, "name", None)
    return str(name) if name is not None else default


def fgt_bootstrap_ci(income: pd.Series, line: float | pd.Series, *,
                     by: pd.Series | None = None, alpha: float = 0,
                     weights: pd.Series | None = None, cluster: pd.Series | None = None,
                     strata: pd.Series | None = None, total: str | None = None,
                     reps: int = MIN_REPS, level: float = 0.95,
                     seed: int | None = SEED) -> BootstrapResult:
    """Bootstrap confidence intervals of FGT_α by group (FGT 分组自助法置信区间).

    Rao–Wu stratified cluster bootstrap (see the module docstring); the estimates are
    :func:`linkage.poverty.fgt_by_group`'s.

    Parameters
    ----------
    income, line, alpha, weights
        As in :func:`linkage.poverty.fgt` (person weights for a rate per person).
    by : pandas.Series, optional
        Group per row, e.g. the region; default one group (``总体``).
    cluster : pandas.Series, optional
        Sampling unit (PSU) per row: village, or county (``region_code``) when the data have
        no village; default: every row is a unit (simple random sampling of households).
    strata : pandas.Series, optional
        Design stratum per row; clusters must nest in strata. Default: the groups of ``by``
        (each group sampled separately), or a single stratum.
    total : str, optional
        Label of an extra pooled row over all groups (e.g. ``"合计"``), from the same replicates.
    reps : int, default :data:`linkage.checks.MIN_REPS` (999)
        Replications (≥ 200).
    level : float, default 0.95
    seed : int, optional
        Same seed, same intervals.

    Returns
    -------
    BootstrapResult
        ``.to_frame()`` gives ``estimate, lower, upper, se, reps`` by group;
        ``.contrast(a, b)`` the difference of two groups with its interval.

    Examples
    --------
    >>> y = pd.Series([100.0, 110.0, 150.0, 160.0] * 5)
    >>> ci = fgt_bootstrap_ci(y, 125, seed=1).to_frame().loc["总体"]
    >>> float(ci["estimate"]), bool(ci["lower"] < 0.5 < ci["upper"])
    (0.5, True)
    """
    term = fgt_terms(income, line, fgt_alphas(alpha))[0]
    v = survey_weights(weights, income.index)
    return bootstrap_ratio(v * term, v, income.index, by=by, strata=strata,
                           cluster=None if cluster is None else aligned(cluster, income.index,
                                                                        "cluster"),
                           total=total, reps=reps, level=level, seed=seed,
                           cluster_name=_name(cluster, "row"))


def af_bootstrap_ci(data: pd.DataFrame, cutoffs: Cutoffs, weights: Weights, k: float, *,
                    by: str | pd.Series | None = None, measure: AFMeasure = "M0",
                    sample_weight: str | pd.Series | None = None,
                    cluster: str | pd.Series | None = None,
                    strata: str | pd.Series | None = None, total: str | None = None,
                    reps: int = MIN_REPS, level: float = 0.95,
                    seed: int | None = SEED) -> BootstrapResult:
    """Bootstrap confidence intervals of M0 (or H) by group (M0 分组自助法置信区间).

    Parameters
    ----------
    data, cutoffs, weights, k, sample_weight
        As in :func:`linkage.poverty.alkire_foster` (person weights for rates per person).
    by, cluster, strata : str or pandas.Series, optional
        Columns of ``data`` or aligned Series; as in :func:`fgt_bootstrap_ci`.
    measure : {"M0", "H"}, default "M0"
    total, reps, level, seed
        As in :func:`fgt_bootstrap_ci`.

    Returns
    -------
    BootstrapResult

    Examples
    --------
    >>> y = pd.DataFrame({"a": [0, 1] * 10, "b": [0, 0, 1, 1] * 5})
    >>> ci = af_bootstrap_ci(y, {"a": 1, "b": 1}, {"a": 0.5, "b": 0.5}, 0.5, seed=1)
    >>> float(ci.to_frame().loc["总体", "estimate"])
    0.5
    """
    check_option("measure", measure, AFMeasure)
    rows = identify(data, cutoffs, weights, k, cardinal=False)
    value = rows.score * rows.poor if measure == "M0" else rows.poor.astype(np.float64)
    v = survey_weights(sample_weight, data, name="sample_weight")
    by_s, strata_s, cluster_s = (column_or_series(data, x) for x in (by, strata, cluster))
    return bootstrap_ratio(v * value, v, data.index, by=by_s, strata=strata_s,
                           cluster=None if cluster_s is None else aligned(cluster_s, data.index,
                                                                          "cluster"),
                           total=total, reps=reps, level=level, seed=seed,
                           cluster_name=_name(cluster, "row"))
