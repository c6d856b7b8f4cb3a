"""Foster–Greer–Thorbecke poverty measures (FGT 贫困指数) from per-group sufficient statistics.

FGT_α = Σ_i w_i · g_i^α · 1[y_i < z_i] / Σ_i w_i,   g_i = (z_i − y_i) / z_i,

Foster, Greer & Thorbecke (1984), "A class of decomposable poverty measures",
*Econometrica* 52(3):761–766, eq. (1), with survey weights w_i. α = 0 is the headcount ratio
(贫困发生率), α = 1 the poverty gap index (贫困距指数), α = 2 the squared gap (贫困强度).

FGT is a weighted mean, so it is computed from per-group sums (Σ w_i and Σ w_i g_i^α 1[...]):
:class:`FGTStats` holds them, partitions of the data add up exactly (``a + b``), and
:func:`fgt` / :func:`fgt_by_group` are built on that one code path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkage.checks import aligned, finite_array, survey_weights
from linkage.errors import InputError
from linkage.poverty.groups import ALL_GROUP, group_codes, group_sums, merge_groups, ratio

__all__ = ["FGTStats", "fgt", "fgt_alphas", "fgt_by_group", "fgt_column", "fgt_terms"]


def fgt_column(alpha: float) -> str:
    """Column name of FGT_α in the kit's tables: ``FGT0``, ``FGT1``, ``FGT0.5``."""
    return f"FGT{alpha:g}"


def fgt_alphas(alpha: float | Sequence[float]) -> tuple[float, ...]:
    """The poverty-aversion parameters α as a tuple of floats ≥ 0 (checked)."""
    values = (alpha,) if np.isscalar(alpha) else tuple(alpha)  # type: ignore[arg-type]
    if not values or any(not np.isfinite(a) or a < 0 for a in values):
        raise InputError(f"FGT 的 α 须为非负有限数，实际为 {alpha!r} / alpha must be ≥ 0",
                         hint="常用 α = 0, 1, 2 / the usual choices are 0, 1, 2")
    return tuple(float(a) for a in values)


def fgt_terms(income: pd.Series, line: float | pd.Series,
              alphas: tuple[float, ...]) -> tuple[np.ndarray, ...]:
    """Per-unit terms g_i^α · 1[y_i < z_i], one array per α (checked inputs)."""
    name = income.name if isinstance(income.name, str) else "income"
    y = finite_array(income, name, minimum=0.0,
                     hint="FGT 要求收入非负（负收入使贫困距大于 1）；如需把负值计为 0，"
                          "请显式处理 / FGT needs incomes ≥ 0; set negatives to 0 explicitly "
                          "if intended")
    if np.isscalar(line):
        z = finite_array(pd.Series([line]), "line", minimum=0.0, strict=True)
    else:
        z = finite_array(aligned(line, income.index, "line"), "line", minimum=0.0, strict=True)
    poor = y < z
    gap = np.where(poor, (z - y) / z, 0.0)
    return tuple(poor.astype(np.float64) if a == 0 else gap**a for a in alphas)


@dataclass(frozen=True, eq=False)
class FGTStats:
    """Sufficient statistics of FGT by group (FGT 分组充分统计量).

    Attributes
    ----------
    alphas : tuple of float
    groups : pandas.Index
        Group labels (``["总体"]`` when ungrouped).
    grouped : bool
        Whether the statistics were computed by group.
    n : ndarray of int, shape (G,)
        Rows per group.
    population : ndarray, shape (G,)
        Σ w_i per group (weighted population).
    sums : ndarray, shape (G, len(alphas))
        Σ w_i g_i^α 1[y_i < z_i] per group and α.
    """

    alphas: tuple[float, ...]
    groups: pd.Index
    grouped: bool
    n: np.ndarray
    population: np.ndarray
    sums: np.ndarray

    @classmethod
    def from_data(cls, income: pd.Series, line: float | pd.Series, *,
                  alpha: float | Sequence[float] = (0, 1, 2), groups: pd.Series | None = None,
                  weights: pd.Series | None = None) -> FGTStats:
        """Compute the statistics of one partition of the data (arguments as in :func:`fgt`)."""
        alphas = fgt_alphas(alpha)
        terms = fgt_terms(income, line, alphas)
        w = survey_weights(weights, income.index)
        codes, labels = group_codes(groups, income.index)
        size = len(labels)
        return cls(alphas=alphas, groups=labels, grouped=groups is not None,
                   n=np.bincount(codes, minlength=size),
                   population=group_sums(codes, size, w),
                   sums=np.stack([group_sums(codes, size, t * w) for t in terms], axis=1))

    def combine(self, *others: FGTStats) -> FGTStats:
        """Statistics of the union of disjoint partitions (exact: sums add)."""
        parts = (self, *others)
        if any(p.alphas != self.alphas or p.grouped != self.grouped for p in parts):
            raise InputError("只能合并相同 α、相同分组方式的 FGT 统计量 / cannot combine FGT "
                             "statistics with different alphas or grouping")
        groups, (n, population, sums) = merge_groups(
            [p.groups for p in parts], [[p.n, p.population, p.sums] for p in parts])
        return FGTStats(self.alphas, groups, self.grouped, n, population, sums)

    def __add__(self, other: FGTStats) -> FGTStats:
        return self.combine(other)

    def total(self) -> FGTStats:
        """The statistics with all groups pooled into one (``总体``)."""
        return FGTStats(self.alphas, pd.Index([ALL_GROUP]), False, self.n.sum(keepdims=True),
                        self.population.sum(keepdims=True), self.sums.sum(axis=0, keepdims=True))

    def result(self) -> pd.DataFrame:
        """FGT by group: ``n``, ``population``, ``population_share`` and one ``FGTα`` column per
        α; each group's FGT is its weighted mean, and Σ_g share_g · FGT_g is the total FGT."""
        out = pd.DataFrame(
            {"n": self.n, "population": self.population,
             "population_share": self.population / self.population.sum()},
            index=self.groups)
        values = ratio(self.sums, self.population[:, None])
        for j, a in enumerate(self.alphas):
            out[fgt_column(a)] = values[:, j]
        return out


def fgt(income: pd.Series, line: float | pd.Series, *, alpha: float = 0,
        weights: pd.Series | None = None) -> float:
    """FGT poverty index (FGT 贫困指数): headcount, gap or squared gap with survey weights.

    FGT_α = Σ_i w_i · ((z_i − y_i)/z_i)^α · 1[y_i < z_i] / Σ_i w_i
    (Foster, Greer & Thorbecke 1984, *Econometrica* 52(3):761–766, eq. 1). A unit is poor when
    its income is strictly below the line (y < z). For incomes ≥ 0 every gap lies in [0, 1], so
    FGT_α is non-increasing in α (FGT0 ≥ FGT1 ≥ FGT2); negative incomes are therefore refused.

    Parameters
    ----------
    income : pandas.Series
        Income or consumption per person (元/人/年), ≥ 0, no missing values.
    line : float or pandas.Series
        Poverty line z > 0 (元/人/年): one value, or one per row (e.g. the monitoring threshold of
        each province-year), aligned on ``income``'s index.
    alpha : float, default 0
        Poverty aversion α ≥ 0 (0 headcount 贫困发生率, 1 gap 贫困距, 2 severity 贫困强度).
    weights : pandas.Series, optional
        Survey weights (抽样权数, > 0); integer weights are the same as repeating rows.
        The rate is per unit of the weights: with one row per household, household weights
        give a rate per **household** (户); the published 贫困发生率 is a rate per **person**
        (人) — pass person weights, household weight × household size
        (:func:`linkage.checks.person_weights`, or
        ``linkage.poverty.unit_weights(households, "weight", per="person")``).

    Returns
    -------
    float
        FGT_α as a share (multiply by 100 for %), per unit of ``weights``.

    Examples
    --------
    Haughton & Khandker (2009, *Handbook on Poverty and Inequality*, ch. 4):

    >>> y = pd.Series([100.0, 110.0, 150.0, 160.0])
    >>> [round(fgt(y, 125, alpha=a), 4) for a in (0, 1, 2)]
    [0.5, 0.08, 0.0136]

    Per household and per person: a poor household of 5 and a non-poor one of 1 —

    >>> hh = pd.DataFrame({"income_pc": [3000.0, 9000.0], "hh_size": [5, 1], "weight": 1.0})
    >>> fgt(hh["income_pc"], 6600, weights=hh["weight"])                  # 户
    0.5
    >>> round(fgt(hh["income_pc"], 6600, weights=hh["weight"] * hh["hh_size"]), 4)  # 人
    0.8333
    """
    stats = FGTStats.from_data(income, line, alpha=alpha, weights=weights)
    return float(stats.result()[fgt_column(stats.alphas[0])].iloc[0])


def fgt_by_group(income: pd.Series, line: float | pd.Series, *, groups: pd.Series,
                 alpha: float | Sequence[float] = (0, 1, 2),
                 weights: pd.Series | None = None) -> pd.DataFrame:
    """FGT poverty indices by group (分组 FGT 贫困指数) with subgroup decomposition.

    Each group's FGT_α is computed as in :func:`fgt`; FGT is additively decomposable
    (Foster, Greer & Thorbecke 1984, eq. 3): FGT_α = Σ_g (N_g / N) · FGT_α,g with weighted
    population shares N_g / N (``population_share``).

    Parameters
    ----------
    income, line, weights
        As in :func:`fgt`.
    groups : pandas.Series
        Group label per row (e.g. ``region_code``); no missing values.
    alpha : float or sequence of float, default (0, 1, 2)

    Returns
    -------
    DataFrame
        Indexed by group (sorted): ``n`` (rows), ``population`` (Σ weights),
        ``population_share``, and ``FGT0``, ``FGT1``, … (shares).

    Examples
    --------
    >>> y = pd.Series([100.0, 110.0, 150.0, 160.0])
    >>> fgt_by_group(y, 125, groups=pd.Series(["a", "a", "b", "b"]))["FGT1"].round(3).tolist()
    [0.16, 0.0]
    """
    return FGTStats.from_data(income, line, alpha=alpha, groups=groups, weights=weights).result()
