"""Inequality and gaps (不平等与差距): Gini, Theil T/L, Dagum Gini decomposition, income gaps.

The 拓展 (extend) question asks whether former poverty areas are catching up; 结果同等性
(equivalence of outcomes) asks whether the gap is closing. This module measures the gap at one
point in time; :mod:`linkage.convergence` measures how it moves.

Conventions
-----------
* Incomes must be finite and ≥ 0 (Theil L: > 0 unless ``zeros="drop"``); negative values, NaN
  and infinities raise :class:`~linkage.errors.InputError` naming how many and where — nothing
  is dropped silently.
* Weights (``weights``) are population (frequency or analytic) weights, finite and > 0,
  checked by :func:`linkage.checks.survey_weights`; a Series of weights or groups must carry
  the index of ``x`` (array-likes are taken in row order). Integer weights give exactly the
  result of replicating each row that many times.
* The Gini default is the population form with no small-sample factor, as Stata's
  ``ineqdeco``/``ineqdecgini`` (Jenkins) and pysal ``inequality`` print it.
* Theil indices are built from per-group sufficient statistics (:class:`TheilStats`), so
  results for chunks of a large file combine exactly with ``+``.
* Where two gaps or decompositions are compared, :func:`income_gap` (``ci=True``) and
  :func:`theil_ci` give stratified percentile bootstrap intervals (``reps``/``seed``/``level``,
  default ``checks.MIN_REPS`` = 999 replications). For a panel, ``income_gap(cluster=...)``
  resamples the units (counties) with all their years at once, so a change between two years
  gets its own interval (:func:`gap_change`, ``income_gap(base=...)``); comparing two yearly
  intervals would treat the years as independent samples. A change is worded as a rise or a
  fall, a gap as narrowed or widened, only when that interval excludes 0
  (:func:`change_sign`, :func:`gap_trend`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import (
    MIN_REPS,
    SEED,
    Missing,
    aligned,
    check_level,
    check_option,
    check_reps,
    finite_array,
    first_rows,
    missing_mask,
    require_columns,
    survey_weights,
)
from linkage.errors import InputError
from linkage.labels import Language, is_zh

__all__ = [
    "DagumResult",
    "TheilResult",
    "TheilStats",
    "change_sign",
    "dagum_gini",
    "gap_change",
    "gap_trend",
    "gini",
    "gini_grouped",
    "income_gap",
    "theil",
    "theil_ci",
    "theil_stats",
]

Correction = Literal["none", "unbiased"]
TheilKind = Literal["T", "L"]
ZeroPolicy = Literal["raise", "drop"]
GapTrend = Literal["catching_up", "overtook", "not_narrowed", "behind_unclear", "lead_widened",
                   "lead_narrowed", "lost_lead", "ahead_unclear"]

ALL_GROUP = "全部"
_STAT_COLUMNS = ["n", "n_zero", "w", "w_zero", "wy", "wylny", "wlny"]
_GAP_MISSING = ("raise", "drop")  # the subset of checks.Missing that income_gap accepts
_NEGATIVE_HINT = "不平等指数要求收入 ≥ 0；可先将负值设为 0 (底部编码) / bottom-code negatives at 0"


def _series(values: object, name: str) -> pd.Series:
    """``values`` as a Series (array-likes get a 0..n−1 index); empty input raises."""
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values).ravel())
    if series.empty:
        raise InputError(f"{name} 为空 / {name} is empty", column=name,
                         hint="至少需要一个观测值 / at least one observation is needed")
    return series


def _incomes(x: object, name: str = "x") -> tuple[np.ndarray, pd.Index]:
    """Finite, non-negative incomes and the index that weights and groups must share."""
    series = _series(x, name)
    return finite_array(series, name, minimum=0.0, hint=_NEGATIVE_HINT), series.index


def _groups(groups: object, index: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """Integer codes 0..k-1 and the sorted group labels."""
    series = aligned(groups, index, "groups")
    if series.isna().any():
        raise InputError(f"分组有 {int(series.isna().sum())} 个缺失 / missing group labels",
                         column="groups", hint="请为每个观测指定分组 / label every row")
    codes, labels = pd.factorize(series, sort=True)
    return codes, pd.Index(labels, name="group")


def _positive_total(total: float, name: str) -> None:
    if not total > 0:
        raise InputError(f"{name} 总和为 0，指数无定义 / {name} sums to 0: index undefined",
                         column=name, hint="至少需要一个正收入 / at least one positive income")


def _resamples(codes: np.ndarray, reps: int, seed: int | None) -> Iterator[np.ndarray]:
    """Row indices of ``reps`` stratified bootstrap samples (Efron & Tibshirani 1993, ch. 6):
    each stratum (``codes``) is redrawn with replacement to its own size, so group sizes stay
    fixed as the design fixes them. One uniform draw per row per replication."""
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes)
    start = np.repeat(np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    width = np.repeat(counts, counts).astype(np.float64)
    rng = np.random.default_rng(seed)
    for _ in range(reps):
        yield order[start + (rng.random(codes.size) * width).astype(np.intp)]


def _percentile_ci(replicates: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval (Efron & Tibshirani 1993, eq. 13.5) of replicates along axis 0."""
    low, high = np.nanquantile(replicates, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return low, high


# --------------------------------------------------------------------------- Gini


def gini(x: object, *, weights: object | None = None, correction: Correction = "none") -> float:
    r"""基尼系数 Gini coefficient (weighted; Lerman–Yitzhaki covariance form).

    .. math:: G = \frac{2\,\mathrm{cov}_w(y, F)}{\mu}
              = \frac{\sum_i w_i y_i (2W_{i-1} + w_i)}{W \sum_i w_i y_i} - 1,

    with rows sorted by ``y``, :math:`W_i` the cumulative weight and
    :math:`F_i = (W_{i-1} + w_i/2)/W` the mid-point rank (Lerman & Yitzhaki 1989, Journal of
    Econometrics 40, eq. 3). Unweighted this is :math:`2\sum_i i\,y_{(i)}/(n\sum y) - (n+1)/n`,
    the trapezoid area under the Lorenz curve; ties do not matter.

    Default convention: the population form without small-sample factor — what Stata's
    ``ineqdeco``/``ineqdecgini`` (Jenkins 1999, 2019) and pysal ``inequality.gini.Gini`` print,
    and the form for which integer weights equal replicated rows. ``correction="unbiased"``
    multiplies by :math:`n/(n-1)` (n = number of rows), the "sample" Gini of some textbooks.

    Parameters
    ----------
    x : Series or array-like
        Income per person (yuan) or any non-negative amount, one value per row.
    weights : Series or array-like, optional
        Population weights (> 0), e.g. household size × survey weight.
    correction : {"none", "unbiased"}

    Returns
    -------
    float
        Gini in [0, 1).

    Examples
    --------
    >>> round(gini([1, 2, 3, 4]), 6)
    0.25
    >>> round(gini([1, 2, 3, 4], weights=[1, 1, 1, 3]), 6)  # = gini([1, 2, 3, 4, 4, 4])
    0.203704
    """
    check_option("correction", correction, Correction)
    y, index = _incomes(x)
    w = survey_weights(weights, index)
    order = np.argsort(y, kind="stable")
    y, w = y[order], w[order]
    cum_w = np.cumsum(w)
    total_w = cum_w[-1]
    wy = w * y
    total_wy = wy.sum()
    _positive_total(total_wy, "x")
    # Centred ranks (2W_{i-1} + w_i - W) keep the sum small when incomes are equal.
    value = float((wy * (2.0 * cum_w - w - total_w)).sum() / (total_w * total_wy))
    value = max(value, 0.0)  # rounding can give -1e-17 for equal incomes
    if correction == "unbiased":
        if y.size < 2:
            raise InputError("无偏修正需要至少 2 个观测 / unbiased correction needs n ≥ 2",
                             column="x", hint='改用 correction="none" / use correction="none"')
        value *= y.size / (y.size - 1)
    return value


def gini_grouped(pop_shares: object, income_shares: object) -> float:
    r"""分组数据基尼系数 Gini from grouped data (Lorenz-curve trapezoid rule).

    .. math:: G = 1 - \sum_{k=1}^{K} p_k (L_{k-1} + L_k),

    where groups are ordered by mean income :math:`s_k/p_k`, :math:`p_k` is the population
    share and :math:`L_k` the cumulative income share (Brown 1994, Social Science & Medicine 38;
    the trapezoid rule of the World Bank PovcalNet grouped-data notes). This is a lower bound of
    the Gini of the underlying unit data (within-group inequality is ignored).

    Shares may be given in percent or as fractions: each vector is divided by its own sum, so
    yearbook rounding (e.g. shares summing to 99.9) does not matter. Groups are sorted by mean
    income, as the Lorenz curve requires.

    Parameters
    ----------
    pop_shares : array-like
        Population (or household) share of each group, > 0, e.g. 20 for each quintile.
    income_shares : array-like
        Income share of each group, ≥ 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(gini_grouped([20, 20, 20, 20, 20], [5, 10, 15, 25, 45]), 6)
    0.38
    """
    p = finite_array(_series(pop_shares, "pop_shares"), "pop_shares")
    s, _ = _incomes(income_shares, "income_shares")
    if p.size != s.size:
        raise InputError("人口份额与收入份额长度不一致 / share vectors differ in length",
                         column="income_shares", hint="每组一个人口份额和一个收入份额")
    if (p <= 0).any():
        raise InputError("人口份额必须 > 0 / population shares must be > 0", column="pop_shares",
                         hint="删除空组 / remove empty groups")
    _positive_total(s.sum(), "income_shares")
    p, s = p / p.sum(), s / s.sum()
    order = np.argsort(s / p, kind="stable")
    p, s = p[order], s[order]
    lorenz = np.cumsum(s)
    lorenz_prev = np.concatenate([[0.0], lorenz[:-1]])
    return float(1.0 - (p * (lorenz_prev + lorenz)).sum())


# --------------------------------------------------------------------------- Theil


def _theil_terms(w: np.ndarray, wy: np.ndarray, wylny: np.ndarray, wlny: np.ndarray,
                 kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Total, per-group between terms, per-group within terms and group indices of Theil
    ``kind`` from group sums Σw, Σwy, Σwy·ln y, Σw·ln y — arrays of shape (..., k), so one
    call serves a single decomposition and a stack of bootstrap replicates alike."""
    total_w, total_wy = w.sum(-1), wy.sum(-1)
    log_mean = np.log(total_wy / total_w)[..., None]
    positive = wy > 0
    log_group_mean = np.log(np.where(positive, wy, 1.0) / w)
    if kind == "T":
        share = wy / total_wy[..., None]
        # 0·ln 0 = 0: a group with no income has index 0 and between term 0
        index = np.where(positive, wylny / np.where(positive, wy, 1.0) - log_group_mean, 0.0)
        between = np.where(positive, share * (log_group_mean - log_mean), 0.0)
        total = wylny.sum(-1) / total_wy - log_mean[..., 0]
    else:
        share = w / total_w[..., None]
        index = log_group_mean - wlny / w
        between = share * (log_mean - log_group_mean)
        total = log_mean[..., 0] - wlny.sum(-1) / total_w
    return total, between, share * index, index


@dataclass(frozen=True)
class TheilStats:
    """Per-group sufficient statistics of Theil T and L (泰尔指数充分统计量).

    ``table`` is indexed by group with columns ``n`` (rows), ``n_zero`` (rows with income 0),
    ``w`` (Σw), ``w_zero`` (Σw over zero incomes), ``wy`` (Σwy), ``wylny`` (Σ w·y·ln y, with
    0·ln 0 = 0) and ``wlny`` (Σ w·ln y over positive incomes). Statistics of disjoint chunks add
    up (``a + b``) to those of the union, so chunked results are exact, not approximations.
    """

    table: pd.DataFrame

    def __add__(self, other: TheilStats) -> TheilStats:
        if not isinstance(other, TheilStats):
            return NotImplemented
        table = self.table.add(other.table, fill_value=0.0).sort_index()
        table.index.name = "group"
        return TheilStats(table)

    def result(self, *, kind: TheilKind = "T", zeros: ZeroPolicy = "raise") -> TheilResult:
        """Theil index of ``kind`` with its between/within decomposition (see :func:`theil`)."""
        check_option("kind", kind, TheilKind)
        check_option("zeros", zeros, ZeroPolicy)
        t = self.table
        n_dropped = 0
        w = t["w"]
        n = t["n"]
        if kind == "L" and t["n_zero"].sum() > 0:
            if zeros == "raise":
                raise InputError(
                    f"泰尔L指数在收入为 0 时无定义：有 {int(t['n_zero'].sum())} 个 0 值 / "
                    "Theil L is undefined at zero income",
                    column="x",
                    hint='用 kind="T"，或 zeros="drop" 剔除 0 值 (结果中记录剔除数) / '
                         'use kind="T" or zeros="drop"',
                )
            n_dropped = int(t["n_zero"].sum())
            w = w - t["w_zero"]
            n = n - t["n_zero"]
        keep = n > 0
        w, n, wy = w[keep], n[keep], t["wy"][keep]
        _positive_total(float(wy.sum()), "x")
        total, between_terms, within_terms, index = _theil_terms(
            w.to_numpy(), wy.to_numpy(), t["wylny"][keep].to_numpy(), t["wlny"][keep].to_numpy(),
            kind)
        groups = pd.DataFrame({
            "n": n.astype(int),
            "pop_share": w / w.sum(),
            "income_share": wy / wy.sum(),
            "mean": wy / w,
            "theil": index,
            "within_contribution": within_terms,
            "between_term": between_terms,
        })
        return TheilResult(kind=kind, total=float(total), between=float(between_terms.sum()),
                           within=float(within_terms.sum()), n=int(n.sum()),
                           n_dropped=n_dropped, groups=groups)


@dataclass(frozen=True)
class TheilResult:
    """Theil index with between/within decomposition (泰尔指数及其组间/组内分解).

    Attributes
    ----------
    kind : {"T", "L"}
    total, between, within : float
        ``total == between + within`` up to rounding.
    n : int
        Rows used. ``n_dropped`` rows with zero income were dropped (Theil L, ``zeros="drop"``).
    groups : DataFrame
        Per group: ``n``, ``pop_share``, ``income_share``, ``mean``, ``theil`` (the group's own
        index), ``within_contribution`` (share × group index; share = income share for T,
        population share for L) and ``between_term``.
    """

    kind: str
    total: float
    between: float
    within: float
    n: int
    n_dropped: int
    groups: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Components with their share of the total (%) — the table papers print."""
        values = [self.total, self.between, self.within]
        share = [100.0] + [100.0 * v / self.total if self.total > 0 else np.nan
                           for v in values[1:]]
        return pd.DataFrame(
            {"value": values, "share_pct": share},
            index=pd.Index(["total", "between", "within"], name="component"),
        )

    def summary(self, language: Language = "zh") -> str:
        """Components and their shares in one or two sentences, in ``language``."""
        check_option("language", language, Language)
        share = self.to_frame()["share_pct"]
        if not is_zh(language):
            name = "Theil T" if self.kind == "T" else "Theil L (mean log deviation)"
            text = (f"{name} = {self.total:.4f}: between groups {self.between:.4f} "
                    f"({share['between']:.1f}%), within {self.within:.4f} "
                    f"({share['within']:.1f}%); {self.n} units in {len(self.groups)} groups.")
            if self.n_dropped:
                text += f"\n{self.n_dropped} units with zero income dropped."
            return text
        name = "泰尔T指数" if self.kind == "T" else "泰尔L指数 (平均对数偏差)"
        text = (f"{name} = {self.total:.4f}，组间 {self.between:.4f} "
                f"({share['between']:.1f}%)，组内 {self.within:.4f} "
                f"({share['within']:.1f}%)；样本 {self.n} 个，{len(self.groups)} 组。")
        if self.n_dropped:
            text += f"\n剔除收入为 0 的观测 {self.n_dropped} 个。"
        return text


def theil_stats(x: object, *, groups: object | None = None,
                weights: object | None = None) -> TheilStats:
    """Sufficient statistics of Theil T and L by group (泰尔指数充分统计量).

    Parameters
    ----------
    x : Series or array-like
        Non-negative income per person (yuan).
    groups : Series or array-like, optional
        Group label per row (e.g. 脱贫县 / 非脱贫县); None = one group ``"全部"``.
    weights : Series or array-like, optional
        Population weights (> 0).

    Returns
    -------
    TheilStats

    Examples
    --------
    >>> a = theil_stats([1.0, 2.0], groups=["a", "b"])
    >>> b = theil_stats([4.0], groups=["b"])
    >>> round((a + b).result().total, 6) == round(theil([1.0, 2.0, 4.0]).total, 6)
    True
    """
    y, index = _incomes(x)
    w = survey_weights(weights, index)
    if groups is None:
        codes, labels = np.zeros(y.size, dtype=int), pd.Index([ALL_GROUP], name="group")
    else:
        codes, labels = _groups(groups, index)
    k = len(labels)
    positive = y > 0
    log_y = np.log(y, where=positive, out=np.zeros_like(y))
    zero = ~positive
    stats = {
        "n": np.bincount(codes, minlength=k).astype(float),
        "n_zero": np.bincount(codes, weights=zero.astype(float), minlength=k),
        "w": np.bincount(codes, weights=w, minlength=k),
        "w_zero": np.bincount(codes, weights=w * zero, minlength=k),
        "wy": np.bincount(codes, weights=w * y, minlength=k),
        "wylny": np.bincount(codes, weights=w * y * log_y, minlength=k),
        "wlny": np.bincount(codes, weights=w * log_y, minlength=k),
    }
    return TheilStats(pd.DataFrame(stats, index=labels)[_STAT_COLUMNS])


def theil(x: object, *, groups: object | None = None, weights: object | None = None,
          kind: TheilKind = "T", zeros: ZeroPolicy = "raise") -> TheilResult:
    r"""泰尔指数 Theil T / L index with between/within-group decomposition.

    Theil T (Theil 1967, *Economics and Information Theory*, ch. 4):

    .. math:: T = \frac{1}{W}\sum_i w_i \frac{y_i}{\mu}\ln\frac{y_i}{\mu}
              = T_B + \sum_g s_g T_g,\quad T_B = \sum_g s_g \ln\frac{\mu_g}{\mu},

    with income shares :math:`s_g`; Theil L (mean log deviation, GE(0)):

    .. math:: L = \frac{1}{W}\sum_i w_i \ln\frac{\mu}{y_i}
              = L_B + \sum_g p_g L_g,\quad L_B = \sum_g p_g \ln\frac{\mu}{\mu_g},

    with population shares :math:`p_g` — the additive decompositions of Shorrocks (1980,
    Econometrica 48:613-625, eq. 4.6). Zero incomes: T uses 0·ln 0 = 0 (as pysal
    ``inequality``); L is undefined at 0, so ``zeros="raise"`` (default) raises and
    ``zeros="drop"`` drops them and reports the count in ``n_dropped``.

    Computed from :class:`TheilStats` (Σw, Σwy, Σwy·ln y, Σw·ln y per group), so
    ``(theil_stats(a) + theil_stats(b)).result()`` equals ``theil(concat(a, b))``.

    Parameters
    ----------
    x : Series or array-like
        Non-negative income per person (yuan).
    groups : Series or array-like, optional
        Group label per row; None gives between = 0, within = total.
    weights : Series or array-like, optional
        Population weights (> 0).
    kind : {"T", "L"}
    zeros : {"raise", "drop"}
        Rule for zero incomes under Theil L (ignored for T).

    Returns
    -------
    TheilResult

    Examples
    --------
    >>> r = theil([0, 0, 0, 10, 10, 10], groups=[0, 0, 0, 1, 1, 1])
    >>> round(r.total, 6), round(r.between, 6), round(r.within, 6)
    (0.693147, 0.693147, 0.0)
    """
    check_option("kind", kind, TheilKind)
    check_option("zeros", zeros, ZeroPolicy)
    return theil_stats(x, groups=groups, weights=weights).result(kind=kind, zeros=zeros)


def theil_ci(x: object, *, groups: object | None = None, weights: object | None = None,
             kind: TheilKind = "T", zeros: ZeroPolicy = "raise", reps: int = MIN_REPS,
             seed: int | None = SEED, level: float = 0.95) -> pd.DataFrame:
    """泰尔指数自助法置信区间 Bootstrap intervals for the Theil decomposition.

    Stratified percentile bootstrap (Efron & Tibshirani 1993, ch. 6 and eq. 13.5; for
    decomposable inequality indices Mills & Zandvakili 1997, Journal of Applied Econometrics
    12:133-150, who show the bootstrap is reliable where asymptotic formulas are not): the rows
    of every group are redrawn with replacement to the group's size, the Theil total, between
    and within parts and the between share are recomputed from the draw's sufficient
    statistics, and the (1 ± level)/2 quantiles of ``reps`` replicates bound the interval.
    Use it where two decompositions are compared (e.g. the between share of two years).

    Parameters
    ----------
    x, groups, weights, kind, zeros
        As in :func:`theil`; zero incomes dropped under ``kind="L", zeros="drop"`` are left
        out before resampling.
    reps, seed, level
        Replications (default ``checks.MIN_REPS`` = 999), random seed, confidence level.

    Returns
    -------
    DataFrame
        Indexed by component (``total``, ``between``, ``within``, ``between_share`` — the
        between part as a fraction of the total): ``estimate``, ``ci_low``, ``ci_high``,
        ``se`` (SD of the replicates, ddof = 1).

    Examples
    --------
    >>> ci = theil_ci([1.0, 2, 3, 10, 12, 14], groups=list("aaabbb"), reps=199, seed=1)
    >>> bool(ci.loc["between", "ci_low"] <= ci.loc["between", "estimate"]
    ...      <= ci.loc["between", "ci_high"])
    True
    """
    check_option("kind", kind, TheilKind)
    check_reps(reps)
    check_level(level)
    point = theil(x, groups=groups, weights=weights, kind=kind, zeros=zeros)
    y, index = _incomes(x)
    w = survey_weights(weights, index)
    codes = (np.zeros(y.size, dtype=int) if groups is None else _groups(groups, index)[0])
    if kind == "L":  # zero incomes were raised on or dropped by theil() above
        keep = y > 0
        y, w = y[keep], w[keep]
        codes = pd.factorize(codes[keep], sort=True)[0]
    k = int(codes.max()) + 1
    log_y = np.log(y, where=y > 0, out=np.zeros_like(y))
    terms = np.stack([w, w * y, w * y * log_y, w * log_y])
    sums = np.empty((4, reps, k))
    for r, pick in enumerate(_resamples(codes, reps, seed)):
        for j in range(4):
            sums[j, r] = np.bincount(codes[pick], weights=terms[j, pick], minlength=k)
    total, between, within, _ = _theil_terms(*sums, kind)
    replicates = np.column_stack([total, between.sum(-1), within.sum(-1),
                                  between.sum(-1) / total])
    low, high = _percentile_ci(replicates, level)
    estimate = [point.total, point.between, point.within,
                point.between / point.total if point.total > 0 else np.nan]
    out = pd.DataFrame({"estimate": estimate, "ci_low": low, "ci_high": high,
                        "se": replicates.std(axis=0, ddof=1)},
                       index=pd.Index(["total", "between", "within", "between_share"],
                                      name="component"))
    out.attrs |= {"reps": reps, "seed": seed, "level": level, "kind": kind}
    return out


# --------------------------------------------------------------------------- Dagum


@dataclass(frozen=True)
class DagumResult:
    """Dagum Gini decomposition (Dagum 基尼系数分解).

    Attributes
    ----------
    total, within, net_between, transvariation : float
        G = G_w + G_nb + G_t.
    groups : DataFrame
        Per group: ``n``, ``pop_share`` p_j, ``income_share`` s_j, ``mean``, ``gini`` (G_jj).
    between : DataFrame
        Square table of G_jh (diagonal: G_jj), rows and columns = groups.
    relative_affluence : DataFrame
        Square table of D_jh, the relative economic affluence (0 on the diagonal).
    """

    total: float
    within: float
    net_between: float
    transvariation: float
    groups: pd.DataFrame
    between: pd.DataFrame
    relative_affluence: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Components with their contribution to the total (%)."""
        values = [self.total, self.within, self.net_between, self.transvariation]
        return pd.DataFrame(
            {"value": values, "share_pct": [100.0 * v / self.total if self.total > 0 else np.nan
                                            for v in values]},
            index=pd.Index(["total", "within", "net_between", "transvariation"],
                           name="component"),
        )

    def summary(self, language: Language = "zh") -> str:
        """The decomposition in one sentence, in ``language``."""
        check_option("language", language, Language)
        f = self.to_frame()["share_pct"]
        if not is_zh(language):
            return (f"Dagum Gini G = {self.total:.4f}: within {self.within:.4f} "
                    f"({f['within']:.1f}%), net between {self.net_between:.4f} "
                    f"({f['net_between']:.1f}%), transvariation {self.transvariation:.4f} "
                    f"({f['transvariation']:.1f}%); {len(self.groups)} groups.")
        return (f"Dagum 基尼系数 G = {self.total:.4f}："
                f"组内 {self.within:.4f} ({f['within']:.1f}%)，"
                f"组间净值 {self.net_between:.4f} ({f['net_between']:.1f}%)，"
                f"超变密度 {self.transvariation:.4f} ({f['transvariation']:.1f}%)；"
                f"{len(self.groups)} 组。")


def _expected_excess(x: np.ndarray, a: np.ndarray, sorted_y: np.ndarray, cum_b: np.ndarray,
                     cum_by: np.ndarray) -> float:
    """E[(X − Y)⁺] for independent X ~ (x, a) and Y ~ (sorted_y, b); O(n log n).

    ``cum_b``/``cum_by`` are cumulative Σb and Σb·y over ``sorted_y`` with a leading 0.
    """
    pos = np.searchsorted(sorted_y, x, side="left")
    inner = x * cum_b[pos] - cum_by[pos]
    return float((a * inner).sum() / (a.sum() * cum_b[-1]))


def dagum_gini(x: object, *, groups: object, weights: object | None = None) -> DagumResult:
    r"""Dagum 基尼系数分解 Dagum Gini decomposition by group (e.g. region).

    Dagum (1997, Empirical Economics 22:515-531, eqs. 2-12): with groups j, h, population shares
    :math:`p_j`, income shares :math:`s_j`, means :math:`\mu_j` and mean absolute differences
    :math:`\Delta_{jh} = E|Y_j - Y_h|`,

    .. math::
        G_{jh} = \frac{\Delta_{jh}}{\mu_j + \mu_h},\quad G_{jj} = \frac{\Delta_{jj}}{2\mu_j},\quad
        G_w = \sum_j G_{jj} p_j s_j,

        G_{nb} = \sum_{j>h} G_{jh}(p_j s_h + p_h s_j) D_{jh},\quad
        G_t = \sum_{j>h} G_{jh}(p_j s_h + p_h s_j)(1 - D_{jh}),

    with relative affluence :math:`D_{jh} = (d_{jh} - p_{jh})/(d_{jh} + p_{jh})
    = |\mu_j - \mu_h| / \Delta_{jh}` (:math:`d_{jh}` the expected excess of the richer group,
    :math:`p_{jh}` the first moment of transvariation), and G = G_w + G_nb + G_t equal to the
    population Gini of :func:`gini`. Weights are population weights throughout.

    Each Δ is computed by sorting one group and cumulative sums (searchsorted), so the cost is
    O(k² · n log n) for k groups, not O(n²).

    Parameters
    ----------
    x : Series or array-like
        Non-negative income per person (yuan).
    groups : Series or array-like
        Group label per row (e.g. 东部/中部/西部, or prefecture).
    weights : Series or array-like, optional
        Population weights (> 0).

    Returns
    -------
    DagumResult

    Examples
    --------
    >>> r = dagum_gini([1, 2, 3, 4], groups=["a", "a", "b", "b"])
    >>> round(r.total, 4), round(r.within, 4), round(r.net_between, 4), round(r.transvariation, 4)
    (0.25, 0.05, 0.2, 0.0)
    """
    y, index = _incomes(x)
    w = survey_weights(weights, index)
    codes, labels = _groups(groups, index)
    k = len(labels)
    pop = np.bincount(codes, weights=w, minlength=k)
    inc = np.bincount(codes, weights=w * y, minlength=k)
    _positive_total(inc.sum(), "x")
    mean = inc / pop
    parts = []
    for g in range(k):
        member = codes == g
        order = np.argsort(y[member], kind="stable")
        yg, wg = y[member][order], w[member][order]
        parts.append((yg, wg, np.concatenate([[0.0], np.cumsum(wg)]),
                      np.concatenate([[0.0], np.cumsum(wg * yg)])))
    delta = np.zeros((k, k))
    for j in range(k):
        for h in range(j, k):
            excess = _expected_excess(parts[j][0], parts[j][1], parts[h][0], parts[h][2],
                                      parts[h][3])
            # E|Yj − Yh| = E(Yj − Yh)⁺ + E(Yh − Yj)⁺ and E(Yh − Yj)⁺ = E(Yj − Yh)⁺ − (μj − μh)
            delta[j, h] = delta[h, j] = 2.0 * excess - (mean[j] - mean[h])
    mean_sum = mean[:, None] + mean[None, :]
    g_jh = np.divide(delta, mean_sum, out=np.zeros_like(delta), where=mean_sum > 0)
    affluence = np.divide(np.abs(mean[:, None] - mean[None, :]), delta,
                          out=np.zeros_like(delta), where=delta > 0)
    p, s = pop / pop.sum(), inc / inc.sum()
    cross = p[:, None] * s[None, :]
    pair_weight = np.triu(g_jh * (cross + cross.T), k=1)
    within = float((np.diag(g_jh) * p * s).sum())
    net_between = float((pair_weight * affluence).sum())
    transvariation = float((pair_weight * (1.0 - affluence)).sum())
    table = pd.DataFrame({"n": np.bincount(codes, minlength=k), "pop_share": p,
                          "income_share": s, "mean": mean, "gini": np.diag(g_jh)}, index=labels)
    return DagumResult(
        total=float((g_jh * cross).sum()), within=within, net_between=net_between,
        transvariation=transvariation, groups=table,
        between=pd.DataFrame(g_jh, index=labels, columns=labels),
        relative_affluence=pd.DataFrame(affluence, index=labels, columns=labels),
    )


# --------------------------------------------------------------------------- gaps


@dataclass(frozen=True)
class _GapDesign:
    """Cell sums of a gap table and the resampling design behind them (see income_gap)."""

    sums: pd.DataFrame            # index (by, group): n, w, wy
    cell_by: np.ndarray           # position of each cell's `by` value
    membership: np.ndarray        # cells × `by` values: the reference cells of each value
    pair_unit: np.ndarray         # (unit, cell) pairs: the unit ...
    pair_cell: np.ndarray         # ... the cell ...
    pair_w: np.ndarray            # ... and the pair's Σw, Σwy
    pair_wy: np.ndarray
    unit_stratum: np.ndarray      # stratum of every unit
    units: int
    strata: int
    n_dropped: int

    def gaps(self, cell_w: np.ndarray, cell_wy: np.ndarray) -> tuple[np.ndarray, ...]:
        """Means, reference means, ratios and differences from cell sums (..., cells)."""
        mean = cell_wy / cell_w
        ref_mean = ((cell_wy @ self.membership) / (cell_w @ self.membership))[..., self.cell_by]
        return mean, ref_mean, mean / ref_mean, mean - ref_mean

    def replicates(self, reps: int, seed: int | None) -> tuple[np.ndarray, ...]:
        """Gaps of ``reps`` bootstrap samples: the units of every stratum redrawn with
        replacement to the stratum's size, each drawn unit bringing all its rows (all years)."""
        k = len(self.sums)
        draws_w, draws_wy = np.empty((reps, k)), np.empty((reps, k))
        for r, pick in enumerate(_resamples(self.unit_stratum, reps, seed)):
            times = np.bincount(pick, minlength=self.units)[self.pair_unit]
            draws_w[r] = np.bincount(self.pair_cell, weights=times * self.pair_w, minlength=k)
            draws_wy[r] = np.bincount(self.pair_cell, weights=times * self.pair_wy, minlength=k)
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.gaps(draws_w, draws_wy)


def _gap_design(panel: pd.DataFrame, *, value: str, group: str, by: str | None,
                weights: str | None, reference: object | None, cluster: str | None,
                strata: str | None, missing: Missing) -> _GapDesign:
    columns = [c for c in (value, group, by, weights, cluster, strata) if c is not None]
    incomplete = missing_mask(panel, columns, missing, what="收入差距数据 / gap data",
                              allowed=_GAP_MISSING)
    frame = panel.loc[~incomplete, list(dict.fromkeys(columns))]
    y = finite_array(frame[value], value)
    w = survey_weights(weights, frame)
    data = pd.DataFrame({"by": frame[by].to_numpy() if by is not None else 0,
                         "group": frame[group].to_numpy(), "w": w, "wy": w * y})
    if reference is not None and not (data["group"] == reference).any():
        raise InputError(f"参照组 {reference!r} 不在列 {group} 中 / reference group not found",
                         column=group, hint=f"可选 / choose from {sorted(set(data['group']))}")
    cells = data.groupby(["by", "group"], sort=True)
    cell = cells.ngroup().to_numpy()
    sums = cells.agg(n=("w", "size"), w=("w", "sum"), wy=("wy", "sum"))
    cell_by = pd.factorize(sums.index.get_level_values("by"), sort=True)[0]
    in_reference = (np.ones(len(sums), dtype=bool) if reference is None
                    else (sums.index.get_level_values("group") == reference))
    if np.bincount(cell_by, weights=in_reference.astype(float)).min() == 0:
        raise InputError(f"有的 {by} 没有参照组 {reference!r} 的观测 / reference group absent",
                         column=group, hint="换一个参照组或限定年份 / choose another reference")
    # reference cells of each `by` value: cell sums @ membership = reference sums per `by`
    membership = (cell_by[:, None] == np.arange(cell_by.max() + 1)) & in_reference[:, None]
    if cluster is None:  # every row a unit, redrawn within its (by, group) cell
        unit, unit_stratum = np.arange(len(data)), cell
    else:
        unit, labels = pd.factorize(frame[cluster], sort=True)
        stratum = (np.zeros(len(frame), dtype=np.intp) if strata is None
                   else pd.factorize(frame[strata], sort=True)[0])
        unit_stratum = np.zeros(len(labels), dtype=np.intp)
        unit_stratum[unit] = stratum
        crossing = unit_stratum[unit] != stratum
        if crossing.any():
            bad = pd.unique(frame[cluster].to_numpy()[crossing])
            raise InputError(
                f"{len(bad)} 个抽样单位（{cluster}）跨越多个层（{strata}）：{first_rows(bad)} / "
                "sampling units must be nested in the strata", column=cluster,
                hint="层须包含整个抽样单位，例如县在县组（原贫困县/其他县）内 / e.g. counties "
                     "within county groups")
    pair, pair_key = np.unique(unit.astype(np.int64) * len(sums) + cell, return_inverse=True)
    return _GapDesign(
        sums=sums, cell_by=cell_by, membership=membership,
        pair_unit=(pair // len(sums)).astype(np.intp), pair_cell=(pair % len(sums)).astype(np.intp),
        pair_w=np.bincount(pair_key, weights=w, minlength=pair.size),
        pair_wy=np.bincount(pair_key, weights=data["wy"].to_numpy(), minlength=pair.size),
        unit_stratum=unit_stratum, units=len(unit_stratum),
        strata=int(unit_stratum.max()) + 1 if len(unit_stratum) else 0,
        n_dropped=int(incomplete.sum()))


def income_gap(panel: pd.DataFrame, *, value: str, group: str, by: str | None = "year",
               weights: str | None = None, reference: object | None = None,
               missing: Missing = "raise", ci: bool = False, cluster: str | None = None,
               strata: str | None = None, base: object | None = None, reps: int = MIN_REPS,
               seed: int | None = SEED, level: float = 0.95) -> pd.DataFrame:
    r"""收入差距 Income ratios and gaps between groups, by year, with bootstrap intervals.

    For each ``by`` value and group g: the (weighted) mean :math:`\bar y_g = \sum w y/\sum w`,
    the reference mean :math:`\bar y_r` (all rows when ``reference`` is None — e.g. 脱贫县
    rural income / all-county rural income — else the rows of group ``reference``), the ratio
    :math:`\bar y_g / \bar y_r` and the difference :math:`\bar y_g - \bar y_r`.

    With ``ci=True`` each of the three gets a percentile bootstrap interval (Efron &
    Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 6 and eq. 13.5; the means, ratio
    and difference are recomputed from the same draws and the (1 ± level)/2 quantiles of
    ``reps`` replicates reported). What is redrawn is the design:

    * ``cluster`` given (e.g. ``"region_code"``): the **units** (clusters) are redrawn with
      replacement within ``strata`` (a column in which each unit lies whole, e.g. the county
      group; None = one stratum), each drawn unit bringing all its rows — every year of a
      county at once. The years of one replicate are then the same counties, so a change
      between two years has its own interval (:func:`gap_change`). For household data pass
      the sampling units (villages or counties): the households within them come along,
      the ultimate-cluster principle of survey variance estimation.
    * ``cluster=None``: every row is a unit, redrawn within its (``by``, group) cell (a
      stratified bootstrap: cell sizes stay as the design fixes them). Right for independent
      cross-sections; for a panel it treats the years as independent samples, so do not
      compare two years' intervals — use ``cluster`` and :func:`gap_change`.

    With ``base`` (a value of ``by``, e.g. the first year) each quantity also gets its change
    since ``base`` for the same group (``<name>_change`` = value − value at ``base``) and,
    with ``ci``, the percentile interval of that change from the same replicates — the
    interval by which the reports word a change (:func:`change_sign`).

    For a census of counties the interval reads as the sampling variability of a
    comparison under a superpopulation view: how much the gap would move if the counties
    were other draws from the same process.

    Parameters
    ----------
    panel : DataFrame
        One row per unit (county-year); needs ``value``, ``group``, ``by`` (and ``weights``,
        ``cluster``, ``strata``).
    value : str
        Column of the amount (e.g. ``rural_income``, yuan per person).
    group : str
        Column of the group label (e.g. ``poverty_county``).
    by : str or None
        Column to tabulate by (default ``"year"``); None = one pooled table.
    weights : str, optional
        Column of population weights (e.g. ``rural_population``, 万人) for population-weighted
        means; None = simple mean over units. A named column that is absent raises.
    reference : optional
        Group label to compare with; None = all rows.
    missing : {"raise", "drop"}
        Rows with a missing value/weight/group/cluster: raise (default) or drop; ``n`` counts
        rows used and ``attrs["n_dropped"]`` the rows dropped.
    ci : bool
        Add bootstrap intervals (columns ``*_ci_low``, ``*_ci_high``).
    cluster, strata : str, optional
        Columns of the resampled units and of the strata they are redrawn within (above).
    base : optional
        A value of ``by`` to measure changes from; None = no change columns.
    reps, seed, level
        Bootstrap replications (default ``checks.MIN_REPS`` = 999), random seed (same seed,
        same intervals) and confidence level.

    Returns
    -------
    DataFrame
        Indexed by (``by``, ``group``): ``n``, ``mean``, ``reference_mean``, ``ratio``,
        ``difference`` (and ``mean_ci_low``, ``mean_ci_high``, ``ratio_ci_low``,
        ``ratio_ci_high``, ``difference_ci_low``, ``difference_ci_high`` with ``ci=True``;
        ``attrs`` then records ``reps``, ``seed``, ``level``, ``cluster`` and the number of
        units and strata resampled); with ``base`` also ``mean_change``, ``ratio_change``,
        ``difference_change`` (NaN where the group has no row at ``base``) and, with ``ci``,
        their ``*_change_ci_low`` / ``*_change_ci_high``.

    Examples
    --------
    >>> df = pd.DataFrame({"year": [2020] * 4, "poor": [True, True, False, False],
    ...                    "income": [8.0, 10.0, 14.0, 16.0]})
    >>> income_gap(df, value="income", group="poor").loc[(2020, True), "ratio"]
    np.float64(0.75)
    """
    if ci:
        check_reps(reps)
        check_level(level)
    design = _gap_design(panel, value=value, group=group, by=by, weights=weights,
                         reference=reference, cluster=cluster, strata=strata, missing=missing)
    sums = design.sums
    point = design.gaps(sums["w"].to_numpy(), sums["wy"].to_numpy())
    out = pd.DataFrame({"n": sums["n"].astype(int), "mean": point[0], "reference_mean": point[1],
                        "ratio": point[2], "difference": point[3]}, index=sums.index)
    names = (("mean", 0), ("ratio", 2), ("difference", 3))
    if base is not None:
        if by is None or base not in set(sums.index.get_level_values("by")):
            raise InputError(f"{by} 中没有基期 {base!r} / base {base!r} not in {by}",
                             column=by or "by", hint="base 须为 by 列中的一个值，如起始年")
        groups = sums.index.get_level_values("group")
        cell = pd.Series(np.arange(len(sums)), index=sums.index)
        at_base = cell.xs(base, level="by").reindex(groups).to_numpy()  # NaN: no base row
        has_base = ~np.isnan(at_base)
        origin = np.where(has_base, at_base, 0).astype(np.intp)
        for name, pos in names:
            out[f"{name}_change"] = np.where(has_base, point[pos] - point[pos][origin], np.nan)
    if ci:
        boot = design.replicates(reps, seed)
        for name, pos in names:
            out[f"{name}_ci_low"], out[f"{name}_ci_high"] = _percentile_ci(boot[pos], level)
        if base is not None:
            for name, pos in names:
                low, high = _percentile_ci(boot[pos] - boot[pos][:, origin], level)
                out[f"{name}_change_ci_low"] = np.where(has_base, low, np.nan)
                out[f"{name}_change_ci_high"] = np.where(has_base, high, np.nan)
        out.attrs |= {"reps": reps, "seed": seed, "level": level, "cluster": cluster,
                      "units": design.units, "strata": design.strata}
    if base is not None:
        out.attrs["base"] = base
    out.index = out.index.set_names([by or "all", group])
    out.attrs["n_dropped"] = design.n_dropped
    return out


def gap_change(panel: pd.DataFrame, *, value: str, group: str, first: object, last: object,
               by: str = "year", weights: str | None = None, reference: object | None = None,
               cluster: str | None = None, strata: str | None = None,
               missing: Missing = "raise", reps: int = MIN_REPS, seed: int | None = SEED,
               level: float = 0.95) -> pd.DataFrame:
    r"""差距变化 The change of group means, ratios and differences between two years, with its
    own bootstrap interval.

    The quantities of :func:`income_gap` at ``by == first`` and ``by == last`` and their
    changes (last − first): :math:`\Delta\bar y_g`, :math:`\Delta(\bar y_g/\bar y_r)` and
    :math:`\Delta(\bar y_g - \bar y_r)`. Each change gets the percentile interval of its
    replicates, both years taken from the *same* bootstrap draws: with ``cluster`` (e.g.
    counties) a drawn unit brings its rows of both years, so the interval accounts for the
    correlation of a county with itself over time — comparing two separately computed
    yearly intervals does not (it treats the years as independent samples). Without
    ``cluster`` rows are independent units (independent cross-sections).

    The rule of the reports (:func:`change_sign`): a change is called a rise or a fall
    (上升/下降, 缩小/扩大) only when its interval excludes 0; otherwise it is "no significant
    change" (变化不显著), shown with the interval.

    Parameters
    ----------
    panel, value, group, by, weights, reference, cluster, strata, missing
        As in :func:`income_gap`.
    first, last : object
        The two values of ``by`` compared (e.g. 2015 and 2025).
    reps, seed, level
        Bootstrap replications (default 999), random seed and confidence level.

    Returns
    -------
    DataFrame
        Indexed by group: ``mean_first, mean_last, mean_change, ratio_first, ratio_last,
        ratio_change, difference_first, difference_last, difference_change`` and, for each
        change, ``<name>_change_ci_low`` / ``<name>_change_ci_high``; ``attrs`` records
        ``first``, ``last``, ``reps``, ``seed``, ``level``, ``cluster``, ``units``,
        ``strata`` and ``n_dropped``.

    Examples
    --------
    >>> df = pd.DataFrame({"county": list("abcdabcd"), "year": [2020] * 4 + [2025] * 4,
    ...                    "poor": [True, True, False, False] * 2,
    ...                    "income": [8.0, 10.0, 14.0, 16.0, 10.0, 12.0, 15.0, 17.0]})
    >>> t = gap_change(df, value="income", group="poor", first=2020, last=2025,
    ...                reference=False, cluster="county", strata="poor", reps=200, seed=1)
    >>> round(float(t.loc[True, "ratio_change"]), 4)  # 11/16 − 9/15
    0.0875
    """
    require_columns(panel, [by], what="收入差距数据 / gap data")
    present = set(panel[by].dropna())
    absent = [v for v in (first, last) if v not in present]
    if absent:
        raise InputError(f"{by} 中没有 {absent} / {by} has no {absent}", column=by,
                         hint=f"可选 / choose from {sorted(present)}")
    both = income_gap(panel[panel[by].isin([first, last])], value=value, group=group, by=by,
                      weights=weights, reference=reference, missing=missing, ci=True,
                      cluster=cluster, strata=strata, base=first, reps=reps, seed=seed,
                      level=level)
    start, end = both.xs(first, level=by), both.xs(last, level=by)
    groups = start.index.intersection(end.index)  # reindex: labels may be booleans
    start, end = start.reindex(groups), end.reindex(groups)
    out = {}
    for name in ("mean", "ratio", "difference"):
        out[f"{name}_first"] = start[name]
        out[f"{name}_last"] = end[name]
        for suffix in ("change", "change_ci_low", "change_ci_high"):
            out[f"{name}_{suffix}"] = end[f"{name}_{suffix}"]
    table = pd.DataFrame(out)
    table.attrs |= {"first": first, "last": last} | {
        k: both.attrs[k] for k in ("reps", "seed", "level", "cluster", "units", "strata",
                                   "n_dropped")}
    return table


def change_sign(ci_low: object, ci_high: object) -> np.ndarray:
    """Which way a change went, judged by its interval (变化方向): +1 when the interval lies
    above 0, −1 when below, 0 when it covers 0 ("no significant change").

    The one rule by which the reports word a change: 上升/下降 (rose/fell), 缩小/扩大
    (narrowed/widened) only for ±1; otherwise 基本持平/变化不显著 with the interval — a
    point change that the data cannot tell from 0 is not called a trend.

    Examples
    --------
    >>> change_sign([0.1, -0.4, -0.1], [0.5, -0.1, 0.3]).tolist()
    [1, -1, 0]
    """
    low = np.asarray(ci_low, dtype=float)
    high = np.asarray(ci_high, dtype=float)
    if np.isnan(low).any() or np.isnan(high).any() or (low > high).any():
        raise InputError("区间须为有限数且下限不大于上限 / an interval needs finite bounds, "
                         "low ≤ high", column="ci_low", hint="先计算区间（如 gap_change）")
    return np.where(low > 0, 1, np.where(high < 0, -1, 0))


def gap_trend(first: object, last: object, *, ci_low: object, ci_high: object,
              direction: object = 1) -> np.ndarray:
    r"""差距变化类型 How a gap between two groups moved: who leads, and did the distance
    change — judged by the interval of the change, not by its point estimate.

    ``first`` and ``last`` are ratios r = focus group / comparison group (e.g. 原贫困县 /
    其他县) at two dates; ``ci_low``/``ci_high`` bound an interval of the change of the ratio
    from first to last (of :math:`r_{last} - r_{first}` or of its log: only on which side of
    0 it lies matters, and that is the same for both — :func:`gap_change` gives it);
    ``direction`` is +1 where more is better and −1 where less is better (the framework's
    indicator direction). The focus group leads when :math:`d\,\ln r > 0` and lags when
    :math:`d\,\ln r < 0`; the distance is :math:`|\ln r|`, symmetric in the two groups (a
    ratio of 0.8 and of 1.25 are the same gap). A change whose interval covers 0 is no
    change the data can show (:func:`change_sign`), whatever its point estimate; a gap the
    focus group already led cannot "narrow" in the catching-up sense. The eight outcomes:

    ===============  =====================================================================
    catching_up      lagging at both dates, closer, interval above 0 (追赶：差距缩小)
    overtook         lagging first, leading (or level) last, interval above 0 (反超)
    not_narrowed     lagging at both dates, further, interval below 0 (落后且差距扩大)
    behind_unclear   lagging first, the interval covers 0 (落后，差距变化不显著)
    lead_widened     leading (or level) first, further ahead, interval above 0 (领先扩大)
    lead_narrowed    leading first, less ahead (or level) last, interval below 0 (领先缩小)
    lost_lead        leading (or level) first, lagging last, interval below 0 (转为落后)
    ahead_unclear    leading (or level) first, the interval covers 0 (领先，变化不显著)
    ===============  =====================================================================

    (With d = −1 "above 0" means the ratio fell.)

    Parameters
    ----------
    first, last : float or array-like
        Ratios (> 0) at the first and last date.
    ci_low, ci_high : float or array-like
        Bounds of the interval of the change last − first (one per ratio).
    direction : int or array-like
        +1 (positive indicator) or −1 (negative indicator), one per ratio or one for all.

    Returns
    -------
    numpy.ndarray
        One :data:`GapTrend` key per ratio (labels: ``linkage.labels.label("gap_" + key)``).

    Examples
    --------
    >>> gap_trend([0.7, 0.9, 1.2, 1.1], [0.8, 1.05, 1.1, 0.9],
    ...           ci_low=[0.05, 0.1, -0.2, -0.3], ci_high=[0.15, 0.2, -0.05, -0.1]).tolist()
    ['catching_up', 'overtook', 'lead_narrowed', 'lost_lead']
    >>> gap_trend(0.7, 0.8, ci_low=-0.02, ci_high=0.2).tolist()  # closer, but not shown
    ['behind_unclear']
    >>> gap_trend(1.3, 1.1, ci_low=-0.3, ci_high=-0.1, direction=-1).tolist()
    ['catching_up']
    """
    a = finite_array(_series(first, "first"), "first", minimum=0.0, strict=True)
    b = finite_array(_series(last, "last"), "last", minimum=0.0, strict=True)
    d = np.broadcast_to(np.asarray(direction, dtype=float), a.shape)
    if not np.isin(d, (-1.0, 1.0)).all():
        raise InputError("direction 须为 +1 或 −1 / direction must be +1 or −1",
                         column="direction", hint="正向指标 +1，逆向指标 −1")
    sign = np.broadcast_to(change_sign(ci_low, ci_high), a.shape)
    toward = d * sign  # +1: the change favours the focus group, −1: against it, 0: unclear
    behind_first, behind_last = d * np.log(a) < 0, d * np.log(b) < 0
    return np.select(
        [behind_first & (toward == 0), behind_first & behind_last & (toward > 0),
         behind_first & (toward > 0), behind_first,
         toward == 0, behind_last, toward > 0],
        ["behind_unclear", "catching_up", "overtook", "not_narrowed",
         "ahead_unclear", "lost_lead", "lead_widened"],
        default="lead_narrowed")
