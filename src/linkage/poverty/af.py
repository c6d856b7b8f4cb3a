"""Alkire–Foster multidimensional poverty (多维贫困, AF 方法) from per-group sufficient statistics.

Dual cutoffs (Alkire & Foster 2011, "Counting and multidimensional poverty measurement",
*J. Public Econ.* 95:476–487, §2–3; Alkire et al. 2015, *Multidimensional Poverty Measurement
and Analysis*, OUP, ch. 5):

- deprivation cutoffs z_j: person i is deprived in indicator j when x_ij < z_j (strict);
- indicator weights w_j > 0 with Σ_j w_j = 1 (the kit *requires* this rather than silently
  normalising, so a mistyped weight is caught: divide by the sum yourself if intended);
- deprivation score c_i = Σ_j w_j · 1[x_ij < z_j]; poverty cutoff k ∈ (0, 1] as a share of the
  total weight; i is poor when c_i ≥ k — the ``≥`` of Alkire & Foster (2011, eq. 2) and of
  OPHI's ``mpitb`` (Suppa 2023). c_i is compared with a tolerance of 1e-9 so that, e.g.,
  1/6 + 1/6 counts as reaching k = 1/3 despite floating-point rounding.

Measures (survey weights v_i, population N = Σ v_i, censored score c_i(k) = c_i · 1[poor]):
H = Σ v_i 1[poor] / N; A = Σ v_i c_i(k) / Σ v_i 1[poor] (0 when nobody is poor);
M0 = H · A = Σ_j w_j h_j(k), with h_j(k) the censored headcount ratio of indicator j;
M_α = Σ_j w_j Σ_i v_i 1[poor] 1[x_ij < z_j] ((z_j − x_ij)/z_j)^α / N for α = 1, 2 (cardinal
data only). Absolute contribution of j: w_j h_j(k); percentage contribution: w_j h_j(k) / M0
(0 when M0 = 0). Subgroup decomposition: M0 = Σ_g (N_g / N) M0_g.

All of these are ratios of sums over people, so :class:`AFStats` keeps the sums per group and
partitions combine exactly; :func:`alkire_foster` is built on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from linkage.checks import aligned, finite_array, survey_weights
from linkage.errors import InputError
from linkage.labels import Language, is_zh
from linkage.poverty.groups import (
    ALL_GROUP,
    column_or_series,
    group_codes,
    group_sums,
    merge_groups,
    ratio,
)

__all__ = ["AFStats", "AlkireFosterResult", "alkire_foster"]

K_TOLERANCE = 1e-9
"""c_i ≥ k is tested as c_i ≥ k − K_TOLERANCE (floating-point sums of weights)."""

Cutoffs = Mapping[str, "float | pd.Series"] | pd.Series
Weights = Mapping[str, float] | pd.Series


@dataclass(frozen=True)
class AFRows:
    """Per-person identification: deprivations per indicator, score c_i and poverty status."""

    indicators: tuple[str, ...]
    weights: np.ndarray
    deprived: tuple[np.ndarray, ...]
    gaps: tuple[np.ndarray, ...] | None
    score: np.ndarray
    poor: np.ndarray


def _indicator_weights(weights: Weights) -> tuple[tuple[str, ...], np.ndarray]:
    series = pd.Series(weights, dtype=np.float64)
    if series.empty:
        raise InputError("AF 方法至少需要一个指标权重 / at least one indicator weight is needed")
    bad = ~np.isfinite(series.to_numpy()) | (series.to_numpy() <= 0)
    if bad.any():
        raise InputError(f"指标权重须为正数，“{series.index[bad][0]}” 为 {series[bad].iloc[0]} / "
                         "indicator weights must be positive", column=str(series.index[bad][0]))
    total = float(series.sum())
    if abs(total - 1.0) > 1e-6:
        raise InputError(f"指标权重之和须为 1，实际为 {total:.6g} / weights must sum to 1",
                         hint="如需按比例归一化，请传入 weights / weights.sum() / "
                              "pass weights / weights.sum() to normalise")
    return tuple(str(i) for i in series.index), series.to_numpy()


def _check_k(k: float) -> float:
    if not (isinstance(k, int | float) and 0 < k <= 1):
        raise InputError(f"贫困临界值 k 须在 (0, 1] 内（占总权重的比例），实际为 {k!r} / "
                         "k must be a share of the total weight in (0, 1]",
                         hint="例如 k = 1/3 (全球 MPI) / e.g. k = 1/3 as in the global MPI")
    return float(k)


def identify(data: pd.DataFrame, cutoffs: Cutoffs, weights: Weights, k: float, *,
             cardinal: bool | None = None) -> AFRows:
    """Dual-cutoff identification (AF 识别): deprivation per indicator, c_i, poor (checked)."""
    indicators, w = _indicator_weights(weights)
    k = _check_k(k)
    cutoff_map = dict(cutoffs.items())
    missing = [j for j in indicators if j not in cutoff_map]
    extra = [j for j in cutoff_map if j not in indicators]
    if missing or extra:
        raise InputError(
            f"剥夺临界值与指标权重不对应：缺少 {missing}，多出 {extra} / cutoffs and weights must "
            "name the same indicators",
            hint="为每个加权指标给出一个临界值 / one cutoff per indicator")
    absent = [j for j in indicators if j not in data.columns]
    if absent:
        raise InputError(f"数据缺少指标列 {absent} / data lack indicator columns",
                         column=absent[0], hint="检查列名或指标权重的名称 / check the names")
    values, lines, binary = [], [], []
    for j in indicators:
        column = data[j]
        is_bool = pd.api.types.is_bool_dtype(column.dtype) and not column.hasnans
        binary.append(is_bool)
        values.append(column.to_numpy(dtype=bool) if is_bool else finite_array(column, j))
        z = cutoff_map[j]
        lines.append(finite_array(pd.Series([z]), f"cutoff {j}")[0] if np.isscalar(z)
                     else finite_array(aligned(z, data.index, f"cutoff {j}"), f"cutoff {j}"))
    positive = all(np.all(z > 0) for z in lines)
    if cardinal is None:
        cardinal = not any(binary) and positive
    elif cardinal and (any(binary) or not positive):
        raise InputError("M1/M2 需要基数型指标（非布尔）且临界值为正 / M1 and M2 need cardinal "
                         "indicators with positive cutoffs", hint="设 cardinal=False / use "
                         "cardinal=False")
    deprived = tuple(x < z for x, z in zip(values, lines, strict=True))
    score = np.zeros(len(data))
    for wj, dj in zip(w, deprived, strict=True):
        score += wj * dj
    poor = score >= k - K_TOLERANCE
    gaps = (tuple(np.where(d & poor, (z - x) / z, 0.0)
                  for x, z, d in zip(values, lines, deprived, strict=True))
            if cardinal else None)
    return AFRows(indicators, w, deprived, gaps, score, poor)


@dataclass(frozen=True, eq=False)
class AFStats:
    """Sufficient statistics of Alkire–Foster measures by group (AF 分组充分统计量).

    All sums are weighted by the survey weights v_i; first axis = groups, second = indicators.

    Attributes
    ----------
    indicators : tuple of str
    weights : ndarray
        Indicator weights w_j (sum 1).
    k : float
    cardinal : bool
        Whether M1/M2 gap sums are kept.
    groups : pandas.Index
    grouped : bool
    n : ndarray of int
        Rows per group.
    population, poor : ndarray, shape (G,)
        Σ v_i, Σ v_i 1[poor].
    uncensored, censored : ndarray, shape (G, J)
        Σ v_i 1[deprived in j], Σ v_i 1[deprived in j and poor]; Σ_i v_i c_i(k) is
        ``censored @ weights``.
    gap1, gap2 : ndarray or None, shape (G, J)
        Σ v_i g_ij(k) and Σ v_i g_ij(k)² (censored normalised gaps), cardinal data only.
    """

    indicators: tuple[str, ...]
    weights: np.ndarray
    k: float
    cardinal: bool
    groups: pd.Index
    grouped: bool
    n: np.ndarray
    population: np.ndarray
    poor: np.ndarray
    uncensored: np.ndarray
    censored: np.ndarray
    gap1: np.ndarray | None
    gap2: np.ndarray | None

    @classmethod
    def from_data(cls, data: pd.DataFrame, cutoffs: Cutoffs, weights: Weights, k: float, *,
                  by: str | pd.Series | None = None,
                  sample_weight: str | pd.Series | None = None,
                  cardinal: bool | None = None) -> AFStats:
        """Statistics of one partition (arguments as in :func:`alkire_foster`)."""
        rows = identify(data, cutoffs, weights, k, cardinal=cardinal)
        v = survey_weights(sample_weight, data, name="sample_weight")
        codes, labels = group_codes(column_or_series(data, by), data.index,
                                    by if isinstance(by, str) else "by")
        size = len(labels)
        # One weighted count per indicator over cells (group, deprived, poor): key 4g + 2d + p.
        base = codes * 4 + rows.poor
        cells = np.stack([np.bincount(base + 2 * d, weights=v, minlength=4 * size)
                          for d in rows.deprived]).reshape(len(rows.deprived), size, 2, 2)
        censored = cells[:, :, 1, 1].T
        gaps = rows.gaps

        def gap_sums(power: int) -> np.ndarray | None:
            if gaps is None:
                return None
            return np.stack([group_sums(codes, size, v * g**power) for g in gaps], axis=1)

        return cls(
            indicators=rows.indicators, weights=rows.weights, k=float(k),
            cardinal=gaps is not None, groups=labels, grouped=by is not None,
            n=np.bincount(codes, minlength=size), population=cells[0].sum(axis=(1, 2)),
            poor=cells[0, :, :, 1].sum(axis=1),
            uncensored=cells[:, :, 1, :].sum(axis=2).T, censored=censored,
            gap1=gap_sums(1), gap2=gap_sums(2))

    def combine(self, *others: AFStats) -> AFStats:
        """Statistics of the union of disjoint partitions (exact: sums add)."""
        parts = (self, *others)
        for p in parts:
            if (p.indicators != self.indicators or p.k != self.k or p.grouped != self.grouped
                    or p.cardinal != self.cardinal or not np.array_equal(p.weights, self.weights)):
                raise InputError("只能合并指标、权重、k 与分组方式相同的 AF 统计量 / cannot "
                                 "combine AF statistics with different indicators, weights, k "
                                 "or grouping")
        fields = ["n", "population", "poor", "uncensored", "censored"]
        if self.cardinal:
            fields += ["gap1", "gap2"]
        groups, sums = merge_groups([p.groups for p in parts],
                                    [[getattr(p, f) for f in fields] for p in parts])
        merged = dict(zip(fields, sums, strict=True))
        return AFStats(indicators=self.indicators, weights=self.weights, k=self.k,
                       cardinal=self.cardinal, groups=groups, grouped=self.grouped,
                       **{"gap1": None, "gap2": None, **merged})

    def __add__(self, other: AFStats) -> AFStats:
        return self.combine(other)

    def total(self) -> AFStats:
        """The statistics with all groups pooled into one (``总体``)."""
        def pooled(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else a.sum(axis=0, keepdims=True)

        return AFStats(
            indicators=self.indicators, weights=self.weights, k=self.k, cardinal=self.cardinal,
            groups=pd.Index([ALL_GROUP]), grouped=False, n=pooled(self.n),
            population=pooled(self.population), poor=pooled(self.poor),
            uncensored=pooled(self.uncensored),
            censored=pooled(self.censored), gap1=pooled(self.gap1), gap2=pooled(self.gap2))

    def _measures(self) -> pd.DataFrame:
        """H, A, M0 (M1, M2) per group, from the sums."""
        score = self.censored @ self.weights  # Σ_i v_i c_i(k) = Σ_j w_j Σ_i v_i 1[dep_ij, poor_i]
        out = pd.DataFrame({"H": ratio(self.poor, self.population),
                            "A": ratio(score, self.poor),
                            "M0": ratio(score, self.population)}, index=self.groups)
        if self.gap1 is not None and self.gap2 is not None:
            out["M1"] = ratio(self.gap1 @ self.weights, self.population)
            out["M2"] = ratio(self.gap2 @ self.weights, self.population)
        return out

    def result(self) -> AlkireFosterResult:
        """The Alkire–Foster measures of the pooled data (and by group when grouped)."""
        population = self.population.sum()
        total = {m: float(v) for m, v in self.total()._measures().iloc[0].items()}
        indicators = pd.Index(self.indicators, name="indicator")
        censored = pd.Series(self.censored.sum(axis=0) / population, index=indicators)
        absolute = censored * self.weights
        by_group = None
        if self.grouped:
            by_group = pd.DataFrame({"n": self.n, "population": self.population,
                                     "population_share": self.population / population},
                                    index=self.groups).join(self._measures())
            by_group["absolute_contribution"] = by_group["population_share"] * by_group["M0"]
            by_group["contribution"] = ratio(by_group["absolute_contribution"].to_numpy(),
                                             total["M0"])
        return AlkireFosterResult(
            H=total["H"], A=total["A"], M0=total["M0"], M1=total.get("M1"), M2=total.get("M2"),
            k=self.k, n=int(self.n.sum()), population=float(population),
            weights=pd.Series(self.weights, index=indicators),
            uncensored_headcounts=pd.Series(self.uncensored.sum(axis=0) / population,
                                            index=indicators),
            censored_headcounts=censored, absolute_contributions=absolute,
            contributions=pd.Series(ratio(absolute.to_numpy(), total["M0"]), index=indicators),
            by_group=by_group)

@dataclass(frozen=True)
class AlkireFosterResult:
    """Alkire–Foster multidimensional poverty (多维贫困测度结果).

    Attributes
    ----------
    H : float
        Multidimensional headcount ratio (多维贫困发生率), share of population.
    A : float
        Average intensity among the poor (平均剥夺强度); 0 when nobody is poor.
    M0 : float
        Adjusted headcount ratio (调整后贫困发生率, MPI) = H · A.
    M1, M2 : float or None
        Adjusted poverty gap and adjusted FGT (cardinal data only, else None).
    k : float
        Poverty cutoff as a share of total weight.
    n : int
        Rows used; ``population`` is Σ survey weights.
    weights, uncensored_headcounts, censored_headcounts, absolute_contributions,
    contributions : pandas.Series
        By indicator: w_j; uncensored and censored headcount ratios; w_j h_j(k) (sums to M0);
        percentage contributions w_j h_j(k) / M0 (sum to 1; all 0 when M0 = 0).
    by_group : DataFrame or None
        When ``by`` is given: ``n, population, population_share, H, A, M0`` (``M1, M2``),
        ``absolute_contribution`` (share · M0_g, sums to M0) and ``contribution`` (sums to 1).
    """

    H: float
    A: float
    M0: float
    M1: float | None
    M2: float | None
    k: float
    n: int
    population: float
    weights: pd.Series
    uncensored_headcounts: pd.Series
    censored_headcounts: pd.Series
    absolute_contributions: pd.Series
    contributions: pd.Series
    by_group: pd.DataFrame | None

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: columns ``measure, indicator, value`` (indicator "" for overall
        measures H, A, M0, M1, M2; per-indicator rows for weight, headcounts and
        contributions)."""
        overall = [(m, "", getattr(self, m)) for m in ("H", "A", "M0", "M1", "M2")
                   if getattr(self, m) is not None]
        per_indicator = [
            (name, j, float(series[j]))
            for name, series in (("weight", self.weights),
                                 ("uncensored_headcount", self.uncensored_headcounts),
                                 ("censored_headcount", self.censored_headcounts),
                                 ("absolute_contribution", self.absolute_contributions),
                                 ("contribution", self.contributions))
            for j in series.index]
        return pd.DataFrame(overall + per_indicator, columns=["measure", "indicator", "value"])

    def summary(self, language: Language = "zh") -> str:
        """A few sentences for a report, in ``language`` (the unit is that of the
        ``sample_weight`` passed: persons when person weights were given)."""
        top = self.contributions.sort_values(ascending=False).head(3)
        frac = Fraction(self.k).limit_denominator(48)
        k = str(frac) if abs(float(frac) - self.k) < 1e-9 else f"{self.k:.3g}"
        if is_zh(language):
            parts = "、".join(f"{j} ({v:.1%})" for j, v in top.items() if v > 0) or "无"
            return (f"多维贫困（Alkire–Foster，k = {k}）："
                    f"多维贫困发生率 H = {self.H:.2%}，平均剥夺强度 A = {self.A:.2%}，"
                    f"调整后多维贫困指数 M0 = {self.M0:.4f}。"
                    f"贡献率最高的指标：{parts}。")
        parts = ", ".join(f"{j} ({v:.1%})" for j, v in top.items() if v > 0) or "none"
        return (f"Multidimensional poverty (Alkire–Foster, k = {k}): headcount ratio "
                f"H = {self.H:.2%}, intensity A = {self.A:.2%}, adjusted headcount ratio "
                f"M0 = {self.M0:.4f}. Largest contributions: {parts}.")


def alkire_foster(data: pd.DataFrame, cutoffs: Cutoffs, weights: Weights, k: float, *,
                  by: str | pd.Series | None = None,
                  sample_weight: str | pd.Series | None = None,
                  cardinal: bool | None = None) -> AlkireFosterResult:
    """Alkire–Foster multidimensional poverty (多维贫困指数 M0, H, A; AF 方法).

    Identification x_ij < z_j, c_i = Σ_j w_j 1[x_ij < z_j], poor iff c_i ≥ k; aggregation
    M0 = H·A = Σ_j w_j h_j(k) (Alkire & Foster 2011, *J. Public Econ.* 95:476–487, eqs. 2–5;
    conventions of OPHI's ``mpitb``: ``≥ k``, percentage contributions w_j h_j(k) / M0, subgroup
    contributions (N_g/N)·M0_g / M0). See the module docstring for every formula.

    Parameters
    ----------
    data : DataFrame
        One row per person or household; a column per indicator (achievements: numbers, or
        booleans where True = not deprived, with cutoff 1). Other columns are ignored.
    cutoffs : mapping or Series
        Deprivation cutoff z_j per indicator: a number, or a Series per row (e.g. a
        province-year income line) aligned on ``data``'s index. Deprived when value < cutoff.
    weights : mapping or Series
        Indicator weights w_j > 0 summing to 1 (required, not normalised).
    k : float
        Poverty cutoff in (0, 1] as a share of total weight (1/3 in the global MPI).
    by : str or Series, optional
        Column of ``data`` or Series of group labels for the subgroup decomposition.
    sample_weight : str or Series, optional
        Survey weights (> 0), a column of ``data`` or an aligned Series; integer weights are
        the same as repeating rows. H and M0 are shares of the units the weights count: with
        one row per household, household weights give rates per household (户); the Chinese
        convention is per person (人) — pass household weight × household size
        (:func:`linkage.checks.person_weights`; :func:`linkage.poverty.af_inputs` builds them
        with ``per="person"``).
    cardinal : bool, optional
        Whether indicators are cardinal so that M1/M2 are defined. Default: inferred — True
        when no indicator is boolean and every cutoff is positive.

    Returns
    -------
    AlkireFosterResult

    Examples
    --------
    The 4 persons × 4 dimensions example of Alkire & Foster (2011, §2–3):

    >>> y = pd.DataFrame([[13.1, 14, 4, 1], [15.2, 7, 5, 0], [12.5, 10, 1, 0], [20, 11, 3, 1]],
    ...                  columns=list("abcd"))
    >>> r = alkire_foster(y, dict(a=13, b=12, c=3, d=1), dict.fromkeys("abcd", 0.25), 0.5)
    >>> r.H, r.A, r.M0
    (0.5, 0.75, 0.375)
    """
    return AFStats.from_data(data, cutoffs, weights, k, by=by, sample_weight=sample_weight,
                             cardinal=cardinal).result()
