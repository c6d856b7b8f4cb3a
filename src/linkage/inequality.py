"""Inequality and gaps (不平等与差距): Gini, Theil T/L, Dagum Gini decomposition, income gaps.

The 拓展 (extend) question asks whether former poverty areas are catching up; 结果同等性
(equivalence of outcomes) asks whether the gap is closing. This module measures the gap at one
point in time; :mod:`linkage.convergence` measures how it moves.

Conventions
-----------
* Incomes must be finite and ≥ 0 (Theil L: > 0 unless ``zeros="drop"``); negative values, NaN
  and infinities raise :class:`~linkage.errors.InputError` naming how many and where — nothing
  is dropped silently.
* Weights are population (frequency or analytic) weights, finite and > 0. Integer weights give
  exactly the result of replicating each row that many times.
* The Gini default is the population form with no small-sample factor, as Stata's
  ``ineqdeco``/``ineqdecgini`` (Jenkins) and pysal ``inequality`` print it.
* Theil indices are built from per-group sufficient statistics (:class:`TheilStats`), so
  results for chunks of a large file combine exactly with ``+``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from linkage.errors import InputError

__all__ = [
    "DagumResult",
    "TheilResult",
    "TheilStats",
    "dagum_gini",
    "gini",
    "gini_grouped",
    "income_gap",
    "theil",
    "theil_stats",
]

Correction = Literal["none", "unbiased"]
TheilKind = Literal["T", "L"]
ZeroPolicy = Literal["raise", "drop"]
MissingPolicy = Literal["raise", "drop"]

ALL_GROUP = "全部"
_STAT_COLUMNS = ["n", "n_zero", "w", "w_zero", "wy", "wylny", "wlny"]


def _check_option(name: str, value: object, allowed: object) -> None:
    """The one validator of keyword options typed as ``Literal``."""
    choices = get_args(allowed)
    if value not in choices:
        raise InputError(
            f"选项 {name}={value!r} 无效 / invalid option {name}={value!r}",
            hint=f"可选值 / choose one of: {', '.join(map(repr, choices))}",
        )


def _numeric(values: object, name: str) -> np.ndarray:
    """Finite float array from a Series/array-like; InputError naming the bad entries."""
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values).ravel())
    try:
        array = series.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} 含非数值 / {name} is not numeric", column=name,
                         hint="请检查该列是否为数字 / check the column holds numbers") from exc
    if array.size == 0:
        raise InputError(f"{name} 为空 / {name} is empty", column=name,
                         hint="至少需要一个观测值 / at least one observation is needed")
    bad = ~np.isfinite(array)
    if bad.any():
        where = list(series.index[bad][:5])
        raise InputError(
            f"{name} 有 {int(bad.sum())} 个缺失或无穷值 (如索引 {where}) / "
            f"{int(bad.sum())} missing or infinite values in {name}",
            column=name,
            hint="请先剔除或插补这些观测，并在报告中说明 / drop or impute them first and say so",
        )
    return array


def _nonnegative(values: object, name: str) -> np.ndarray:
    array = _numeric(values, name)
    negative = array < 0
    if negative.any():
        raise InputError(
            f"{name} 有 {int(negative.sum())} 个负值 (最小 {array.min():g}) / "
            f"{int(negative.sum())} negative values in {name}",
            column=name,
            hint="不平等指数要求收入 ≥ 0；可先将负值设为 0 (底部编码) / bottom-code negatives at 0",
        )
    return array


def _weights(weights: object | None, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    w = _numeric(weights, "weights")
    if w.size != n:
        raise InputError(f"权重长度 {w.size} 与数据长度 {n} 不一致 / weights length mismatch",
                         column="weights", hint="每个观测需要一个权重 / one weight per row")
    if (w <= 0).any():
        raise InputError(f"权重有 {int((w <= 0).sum())} 个 ≤ 0 / non-positive weights",
                         column="weights", hint="权重必须 > 0 / weights must be > 0")
    return w


def _groups(groups: object, n: int) -> tuple[np.ndarray, pd.Index]:
    """Integer codes 0..k-1 and the sorted group labels."""
    series = groups if isinstance(groups, pd.Series) else pd.Series(np.asarray(groups).ravel())
    if len(series) != n:
        raise InputError(f"分组长度 {len(series)} 与数据长度 {n} 不一致 / groups length mismatch",
                         column="groups", hint="每个观测需要一个分组 / one group label per row")
    if series.isna().any():
        raise InputError(f"分组有 {int(series.isna().sum())} 个缺失 / missing group labels",
                         column="groups", hint="请为每个观测指定分组 / label every row")
    codes, labels = pd.factorize(series, sort=True)
    return codes, pd.Index(labels, name="group")


def _positive_total(total: float, name: str) -> None:
    if not total > 0:
        raise InputError(f"{name} 总和为 0，指数无定义 / {name} sums to 0: index undefined",
                         column=name, hint="至少需要一个正收入 / at least one positive income")


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
    _check_option("correction", correction, Correction)
    y = _nonnegative(x, "x")
    w = _weights(weights, y.size)
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
    p = _numeric(pop_shares, "pop_shares")
    s = _nonnegative(income_shares, "income_shares")
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
        _check_option("kind", kind, TheilKind)
        _check_option("zeros", zeros, ZeroPolicy)
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
        total_w, total_wy = float(w.sum()), float(wy.sum())
        _positive_total(total_wy, "x")
        mean = total_wy / total_w
        group_mean = wy / w
        pop_share = w / total_w
        income_share = wy / total_wy
        if kind == "T":
            wylny = t["wylny"][keep]
            positive = wy > 0
            index = (wylny / wy.where(positive) - np.log(group_mean.where(positive))).fillna(0.0)
            weight = income_share
            between_terms = income_share * (np.log(group_mean.where(positive)) - np.log(mean))
            between_terms = between_terms.fillna(0.0)  # 0·ln 0 = 0 for all-zero groups
            total = float(wylny.sum() / total_wy - np.log(mean))
        else:
            wlny = t["wlny"][keep]
            index = np.log(group_mean) - wlny / w
            weight = pop_share
            between_terms = pop_share * (np.log(mean) - np.log(group_mean))
            total = float(np.log(mean) - wlny.sum() / total_w)
        within_terms = weight * index
        groups = pd.DataFrame({
            "n": n.astype(int),
            "pop_share": pop_share,
            "income_share": income_share,
            "mean": group_mean,
            "theil": index,
            "within_contribution": within_terms,
            "between_term": between_terms,
        })
        return TheilResult(kind=kind, total=total, between=float(between_terms.sum()),
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

    def summary(self) -> str:
        """Two lines in Chinese."""
        name = "泰尔T指数" if self.kind == "T" else "泰尔L指数 (平均对数偏差)"
        frame = self.to_frame()
        text = (f"{name} = {self.total:.4f}，组间 {self.between:.4f} "
                f"({frame.loc['between', 'share_pct']:.1f}%)，组内 {self.within:.4f} "
                f"({frame.loc['within', 'share_pct']:.1f}%)；样本 {self.n} 个，"
                f"{len(self.groups)} 组。")
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
    y = _nonnegative(x, "x")
    w = _weights(weights, y.size)
    if groups is None:
        codes, labels = np.zeros(y.size, dtype=int), pd.Index([ALL_GROUP], name="group")
    else:
        codes, labels = _groups(groups, y.size)
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
    _check_option("kind", kind, TheilKind)
    _check_option("zeros", zeros, ZeroPolicy)
    return theil_stats(x, groups=groups, weights=weights).result(kind=kind, zeros=zeros)


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

    def summary(self) -> str:
        """One line in Chinese."""
        f = self.to_frame()["share_pct"]
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
    y = _nonnegative(x, "x")
    w = _weights(weights, y.size)
    codes, labels = _groups(groups, y.size)
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


def _require_columns(frame: pd.DataFrame, columns: Iterable[str | None]) -> None:
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if missing:
        raise InputError(f"缺少列 {missing} / missing columns {missing}", column=missing[0],
                         hint=f"现有列 / available: {list(frame.columns)[:20]}")


def income_gap(panel: pd.DataFrame, *, value: str, group: str, by: str | None = "year",
               weights: str | None = None, reference: object | None = None,
               missing: MissingPolicy = "raise") -> pd.DataFrame:
    r"""收入差距 Income ratios and gaps between groups, by year.

    For each ``by`` value and group g: the (weighted) mean :math:`\bar y_g = \sum w y/\sum w`,
    the reference mean :math:`\bar y_r` (all rows when ``reference`` is None — e.g. 脱贫县
    rural income / all-county rural income — else the rows of group ``reference``), the ratio
    :math:`\bar y_g / \bar y_r` and the difference :math:`\bar y_g - \bar y_r`.

    Parameters
    ----------
    panel : DataFrame
        One row per unit (county-year); needs ``value``, ``group``, ``by`` (and ``weights``).
    value : str
        Column of the amount (e.g. ``rural_income``, yuan per person).
    group : str
        Column of the group label (e.g. ``poverty_county``).
    by : str or None
        Column to tabulate by (default ``"year"``); None = one pooled table.
    weights : str, optional
        Column of population weights (e.g. ``rural_population``, 万人) for population-weighted
        means; None = simple mean over units.
    reference : optional
        Group label to compare with; None = all rows.
    missing : {"raise", "drop"}
        Rows with a missing value/weight/group: raise (default) or drop; ``n`` counts rows used.

    Returns
    -------
    DataFrame
        Indexed by (``by``, ``group``): ``n``, ``mean``, ``reference_mean``, ``ratio``,
        ``difference``.

    Examples
    --------
    >>> df = pd.DataFrame({"year": [2020] * 4, "poor": [True, True, False, False],
    ...                    "income": [8.0, 10.0, 14.0, 16.0]})
    >>> income_gap(df, value="income", group="poor").loc[(2020, True), "ratio"]
    np.float64(0.75)
    """
    _check_option("missing", missing, MissingPolicy)
    _require_columns(panel, [value, group, by, weights])
    cols = [c for c in (value, group, by, weights) if c is not None]
    frame = panel[cols]
    incomplete = frame.isna().any(axis=1)
    if incomplete.any():
        if missing == "raise":
            bad = frame.columns[frame.isna().any()].tolist()
            raise InputError(
                f"{int(incomplete.sum())} 行在 {bad} 中有缺失值 / rows with missing values",
                column=bad[0], hint='请补齐，或用 missing="drop" 剔除 (n 列报告使用的行数)',
            )
        frame = frame[~incomplete]
    y = _numeric(frame[value], value)
    w = _weights(None if weights is None else frame[weights], y.size)
    keys = [frame[by].to_numpy()] if by is not None else [np.zeros(y.size, dtype=int)]
    data = pd.DataFrame({"by": keys[0], "group": frame[group].to_numpy(), "w": w, "wy": w * y})
    if reference is not None and not (data["group"] == reference).any():
        raise InputError(f"参照组 {reference!r} 不在列 {group} 中 / reference group not found",
                         column=group, hint=f"可选 / choose from {sorted(set(data['group']))}")
    sums = data.groupby(["by", "group"], sort=True).agg(
        n=("w", "size"), w=("w", "sum"), wy=("wy", "sum"))
    ref = data if reference is None else data[data["group"] == reference]
    ref_sums = ref.groupby("by").agg(w=("w", "sum"), wy=("wy", "sum"))
    ref_mean = (ref_sums["wy"] / ref_sums["w"]).reindex(sums.index.get_level_values("by"))
    out = pd.DataFrame({"n": sums["n"].astype(int), "mean": sums["wy"] / sums["w"],
                        "reference_mean": ref_mean.to_numpy()}, index=sums.index)
    if out["reference_mean"].isna().any():
        raise InputError(f"有的 {by} 没有参照组 {reference!r} 的观测 / reference group absent",
                         column=group, hint="换一个参照组或限定年份 / choose another reference")
    out["ratio"] = out["mean"] / out["reference_mean"]
    out["difference"] = out["mean"] - out["reference_mean"]
    out.index = out.index.set_names([by or "all", group])
    return out
