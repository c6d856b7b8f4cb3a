"""Objective weights (客观赋权) and combined weights (组合赋权) for an indicator system.

Every function returns a Series of weights indexed by indicator id (the columns of the data)
that sums to 1, so that :mod:`linkage.scoring` can assemble hierarchical weights from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import xlogy

from linkage.checks import check_option
from linkage.composite._checks import (
    Directions,
    direction_array,
    matrix,
    weight_array,
)
from linkage.composite.normalization import MissingRule, normalize
from linkage.errors import InputError

__all__ = [
    "CombineMethod",
    "ConstantWeightRule",
    "EntropyVariant",
    "combine_weights",
    "critic_weights",
    "cv_weights",
    "entropy_values",
    "entropy_weights",
    "equal_weights",
]

EntropyVariant = Literal["shift", "zero", "rescale", "shannon"]
ConstantWeightRule = Literal["raise", "zero"]
CombineMethod = Literal["multiplicative", "linear"]


def _observed(data: pd.DataFrame, missing: MissingRule, min_rows: int) -> np.ndarray:
    """The checked matrix; under ``missing="keep"`` every column needs ``min_rows`` values."""
    check_option("missing", missing, MissingRule)
    x = matrix(data, allow_missing=missing == "keep", min_rows=min_rows)
    counts = (~np.isnan(x)).sum(axis=0)
    if (counts < min_rows).any():
        col = int(np.argmin(counts))
        raise InputError(
            f"该指标只有 {counts[col]} 个观测值，至少需要 {min_rows} 个 / too few observed values",
            column=str(data.columns[col]),
            hint="删除该指标，或补充数据 / drop the indicator or add data")
    return x


def _informative(data: pd.DataFrame, x: np.ndarray, constant: ConstantWeightRule) -> np.ndarray:
    """Mask of non-constant columns; a constant column raises unless ``constant="zero"``."""
    check_option("constant", constant, ConstantWeightRule)
    varies = (np.nanmax(x, axis=0) - np.nanmin(x, axis=0)) > 0
    if not varies.all() and constant == "raise":
        raise InputError(
            "该指标在所有单位上取值相同，不含区分信息 / the indicator is constant over all units",
            column=str(data.columns[int(np.argmin(varies))]),
            hint="删除该指标，或选 constant='zero' 令其权重为 0 / drop it, or choose "
            "constant='zero' to give it weight 0",
        )
    if not varies.any():
        raise InputError("所有指标都是常数，无法赋权 / every indicator is constant")
    return varies


def _spread(data: pd.DataFrame, informative: np.ndarray, values: np.ndarray) -> pd.Series:
    """Weights ∝ ``values`` on the informative columns, 0 elsewhere, as a Series summing to 1."""
    full = np.zeros(len(data.columns))
    full[informative] = values
    total = full.sum()
    if not total > 0:
        raise InputError(
            "各指标的信息量均为 0，无法赋权 / no indicator carries information to weight by",
            hint="检查数据是否重复或完全相关 / check for duplicated or perfectly correlated data",
        )
    return pd.Series(full / total, index=data.columns, name="weight")


def entropy_weights(
    data: pd.DataFrame,
    directions: Directions | None = None,
    *,
    variant: EntropyVariant = "shift",
    shift: float = 1e-4,
    constant: ConstantWeightRule = "raise",
    missing: MissingRule = "raise",
) -> pd.Series:
    """熵值法 — entropy weights.

    With standardised values :math:`y_{ij}` (n rows, m indicators):

    .. math::
        p_{ij} = y_{ij} / \\sum_i y_{ij}, \\quad
        e_j = -\\frac{1}{\\ln n} \\sum_i p_{ij} \\ln p_{ij}, \\quad
        d_j = 1 - e_j, \\quad w_j = d_j / \\sum_k d_k,

    with :math:`0 \\ln 0 := 0`. The entropy weight method of multiple-attribute decision making
    is Hwang & Yoon (1981), *Multiple Attribute Decision Making*, Springer, §2 (after Shannon
    1948 and Zeleny 1982). The variants differ only in :math:`y` (x' is the direction-aware
    min-max score of :func:`normalize`; they differ in the 4th decimal):

    - ``"shift"`` (default, the most common form in Chinese papers): y = x' + ``shift``
      (0.0001), which avoids ln 0;
    - ``"zero"``: y = x' with 0·ln 0 := 0;
    - ``"rescale"``: y = 0.002 + 0.996·x', i.e. x' mapped into [0.002, 0.998];
    - ``"shannon"``: y = x, the raw data (must be ≥ 0, not all zero), no min-max step and no
      directions — the classic form of the published example (Elsayed et al. 2017, case E1).

    **Panels.** Passing all r years × m counties as rows gives the pooled panel entropy with
    :math:`k = 1/\\ln(r m)` (杨丽 & 孙之淳 2015, 《经济问题》(3):115–119, with the time
    variable), the default for comparable scores over time. Per-year weights:
    ``panel.groupby("year")[ids].apply(entropy_weights, directions)`` (one row per year).

    **Missing cells** (``missing="keep"``): each indicator's entropy is computed over the rows
    where it is observed, with :math:`n_j` of them and :math:`k_j = 1/\\ln n_j` (available-case;
    the formula is column by column, so with no missing cell this is the usual estimate). Used
    for indicators that apply only to some units (``eligible`` in a framework).

    Invariance: ``"shift"``, ``"zero"`` and ``"rescale"`` are invariant to any positive affine
    change of an indicator's units (they start from min-max scores); ``"shannon"`` is invariant
    to rescaling (yuan → 10,000 yuan) but not to shifting. All are invariant to row order.

    Parameters
    ----------
    data : DataFrame
        Raw indicator values, rows units, columns indicators; no missing values.
    directions : mapping or Series, optional
        Indicator id → +1/−1. Required for every variant except ``"shannon"``, which uses no
        directions (it then refuses a −1 rather than silently ignoring it).
    variant : {"shift", "zero", "rescale", "shannon"}
    shift : float
        The constant added in the ``"shift"`` variant (> 0).
    constant : {"raise", "zero"}
        A column constant over all rows raises (default), or gets weight 0 with ``"zero"``.
    missing : {"raise", "keep"}
        ``"raise"`` (default) stops at a missing value; ``"keep"`` uses each indicator's
        observed rows (at least 2).

    Returns
    -------
    Series
        Weights indexed by indicator id, non-negative, summing to 1.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 10.0], "b": [5.0, 6.0, 5.0, 6.0]})
    >>> entropy_weights(df, {"a": 1, "b": 1}).round(3).to_dict()
    {'a': 0.49, 'b': 0.51}
    """
    entropy = entropy_values(data, directions, variant=variant, shift=shift,
                             constant=constant, missing=missing).to_numpy()
    return _spread(data, np.ones(len(entropy), dtype=bool), np.clip(1.0 - entropy, 0.0, None))


def entropy_values(
    data: pd.DataFrame,
    directions: Directions | None = None,
    *,
    variant: EntropyVariant = "shift",
    shift: float = 1e-4,
    constant: ConstantWeightRule = "raise",
    missing: MissingRule = "raise",
) -> pd.Series:
    """熵值 — the entropy :math:`e_j` of each indicator, the step before :func:`entropy_weights`.

    :math:`e_j = -\\frac{1}{\\ln n} \\sum_i p_{ij} \\ln p_{ij}` with the same variants,
    options and references as :func:`entropy_weights`, whose weights are
    :math:`(1 - e_j) / \\sum_k (1 - e_k)` of these values. :math:`e_j` lies in [0, 1]: 1 when
    the indicator is spread evenly over the units (no information, weight 0), small when its
    scores are concentrated on a few units. Papers print e_j and d_j = 1 − e_j beside the
    weights; this function gives them.

    Parameters
    ----------
    data, directions, variant, shift, constant, missing
        As in :func:`entropy_weights`. A constant column kept with ``constant="zero"`` has
        e_j = 1.

    Returns
    -------
    Series
        e_j indexed by indicator id, named ``"entropy"``.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 10.0], "b": [5.0, 6.0, 5.0, 6.0]})
    >>> entropy_values(df, {"a": 1, "b": 1}).round(3).to_dict()
    {'a': 0.521, 'b': 0.501}
    """
    check_option("variant", variant, EntropyVariant)
    x = _observed(data, missing, min_rows=2)
    informative = _informative(data, x, constant)
    columns = data.columns[informative]
    if variant == "shannon":
        negative = direction_array(directions, data.columns) < 0
        if negative.any():
            raise InputError(
                "经典香农熵权（variant='shannon'）直接用原始数据，不能处理逆向指标 / the classic "
                "Shannon variant works on raw data and cannot honour a negative direction",
                column=str(data.columns[negative][0]),
                hint="改用 variant='shift'（先正逆向标准化）/ use variant='shift'",
            )
        y = x[:, informative]
        if (np.nan_to_num(y) < 0).any():
            col = int(np.argmax((np.nan_to_num(y) < 0).any(axis=0)))
            raise InputError(
                "经典香农熵权要求非负原始数据 / the Shannon variant needs non-negative data",
                column=str(columns[col]), hint="改用 variant='shift' / use variant='shift'",
            )
    else:
        if directions is None:
            raise InputError(
                f"variant={variant!r} 需要 directions（各指标的正/逆向）/ directions are "
                "required for this variant",
                hint="传入 framework.indicator_table()['direction'] 或 {指标: ±1}",
            )
        if not (np.isfinite(shift) and shift > 0):
            raise InputError(f"shift={shift!r} 须为正数 / shift must be positive")
        scores = normalize(data[columns], directions, missing=missing).to_numpy()
        y = {"shift": scores + shift, "zero": scores, "rescale": 0.002 + 0.996 * scores}[variant]
    p = y / np.nansum(y, axis=0)
    n = (~np.isnan(y)).sum(axis=0)
    entropy = -np.nansum(xlogy(p, p), axis=0) / np.log(n)
    full = np.ones(len(data.columns))
    full[informative] = entropy
    return pd.Series(full, index=data.columns, name="entropy")


def critic_weights(
    data: pd.DataFrame, directions: Directions, *, constant: ConstantWeightRule = "raise",
    missing: MissingRule = "raise",
) -> pd.Series:
    """CRITIC 法 — weights from contrast intensity and conflict between indicators.

    Diakoulaki, Mavrotas & Papayannakis (1995), *Computers & Operations Research* 22(7):763–770,
    eq. (2)–(4): with x' the direction-aware min-max scores, σ_j their standard deviation and
    r_jk the Pearson correlation,

    .. math:: C_j = \\sigma_j \\sum_k (1 - r_{jk}), \\qquad w_j = C_j / \\sum_k C_k.

    The ddof of σ cancels in the ratio. Invariant to row order and to any positive affine change
    of an indicator's units. Unlike pymcdm's ``critic_weights`` (which min-maxes every column as
    a benefit), a negative indicator is reversed first, as in the paper; a reversal changes the
    signs of its correlations and hence the weights.

    Parameters
    ----------
    data : DataFrame
        Raw indicator values, rows units, columns indicators; no missing values.
    directions : mapping or Series
        Indicator id → +1/−1.
    constant : {"raise", "zero"}
        A constant column (σ = 0, correlations undefined) raises (default) or, with
        ``"zero"``, is left out of the correlations and gets weight 0.
    missing : {"raise", "keep"}
        ``"raise"`` (default) stops at a missing value; ``"keep"`` takes each σ_j over the
        indicator's observed rows and each r_jk over the rows where both are observed
        (pairwise-complete, as ``pandas.DataFrame.corr``).

    Returns
    -------
    Series
        Weights indexed by indicator id, non-negative, summing to 1.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [2.0, 1.0, 4.0, 3.0]})
    >>> critic_weights(df, {"a": 1, "b": 1}).round(3).to_dict()
    {'a': 0.5, 'b': 0.5}
    """
    x = _observed(data, missing, min_rows=3)
    direction_array(directions, data.columns)
    informative = _informative(data, x, constant)
    scores = normalize(data.loc[:, informative], directions, missing=missing)
    sigma = scores.std(axis=0, ddof=1).to_numpy()
    correlation = scores.corr().to_numpy()
    return _spread(data, informative, sigma * (1.0 - correlation).sum(axis=0))


def cv_weights(data: pd.DataFrame, *, constant: ConstantWeightRule = "raise",
               missing: MissingRule = "raise") -> pd.Series:
    """变异系数法 — coefficient-of-variation weights.

    :math:`v_j = s_j / \\bar x_j` on the raw data, :math:`w_j = v_j / \\sum_k v_k` (e.g. 郭亚军
    2007, 《综合评价理论、方法及应用》, 科学出版社). The ddof of :math:`s_j` cancels. The
    coefficient of variation needs ratio-scale data with a positive mean; it is invariant to
    rescaling an indicator (yuan → 10,000 yuan) but not to shifting it, and it ignores
    directions (dispersion is the same either way).

    Parameters
    ----------
    data : DataFrame
        Raw indicator values, rows units, columns indicators; no missing values; each
        column's mean must be > 0.
    constant : {"raise", "zero"}
        A constant column raises (default) or gets weight 0.
    missing : {"raise", "keep"}
        ``"raise"`` (default) stops at a missing value; ``"keep"`` takes each indicator's mean
        and standard deviation over its observed rows.

    Returns
    -------
    Series
        Weights indexed by indicator id, non-negative, summing to 1.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 3.0], "b": [10.0, 12.0]})
    >>> cv_weights(df).round(3).to_dict()
    {'a': 0.846, 'b': 0.154}
    """
    x = _observed(data, missing, min_rows=2)
    mean = np.nanmean(x, axis=0)
    if (mean <= 0).any():
        col = int(np.argmax(mean <= 0))
        raise InputError(
            f"变异系数法要求均值为正，该指标均值为 {mean[col]:.6g} / the coefficient of variation "
            "needs a positive mean",
            column=str(data.columns[col]),
            hint="改用 entropy_weights 或 critic_weights / use entropy or CRITIC weights",
        )
    informative = _informative(data, x, constant)
    return _spread(data, informative, (np.nanstd(x, axis=0, ddof=1) / mean)[informative])


def equal_weights(columns: Iterable[str] | pd.DataFrame) -> pd.Series:
    """等权法 — equal weights 1/m for m indicators.

    Parameters
    ----------
    columns : iterable of str or DataFrame
        Indicator ids (a DataFrame's columns are used).

    Returns
    -------
    Series
        Weights indexed by indicator id, each 1/m.

    Examples
    --------
    >>> equal_weights(["a", "b", "c", "d"]).to_dict()
    {'a': 0.25, 'b': 0.25, 'c': 0.25, 'd': 0.25}
    """
    ids = pd.Index(columns.columns if isinstance(columns, pd.DataFrame) else list(columns))
    if ids.empty:
        raise InputError("没有指标可赋权 / no indicators given")
    if ids.has_duplicates:
        raise InputError("指标重复 / duplicate indicator", column=str(ids[ids.duplicated()][0]))
    return pd.Series(1.0 / len(ids), index=ids, name="weight")


def combine_weights(
    subjective: pd.Series | Mapping[str, float],
    objective: pd.Series | Mapping[str, float],
    *,
    method: CombineMethod = "multiplicative",
    alpha: float = 0.5,
) -> pd.Series:
    """组合赋权 — combine subjective (e.g. AHP) and objective (e.g. entropy) weights.

    Each vector is first divided by its sum. Then (郭亚军 2007, 《综合评价理论、方法及应用》,
    科学出版社, ch. 2: 乘法合成归一化 and 线性加权组合)

    - ``"multiplicative"`` (default): :math:`w_j = s_j o_j / \\sum_k s_k o_k`;
    - ``"linear"``: :math:`w_j = \\alpha s_j + (1-\\alpha) o_j`, α = weight of the subjective part.

    Parameters
    ----------
    subjective, objective : Series or mapping
        Non-negative weights indexed by the same indicator ids.
    method : {"multiplicative", "linear"}
    alpha : float
        Share of the subjective weights in the linear blend, in [0, 1].

    Returns
    -------
    Series
        Combined weights in the order of ``subjective``, summing to 1.

    Examples
    --------
    >>> s = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
    >>> o = pd.Series({"a": 0.2, "b": 0.3, "c": 0.5})
    >>> combine_weights(s, o).round(3).to_dict()
    {'a': 0.345, 'b': 0.31, 'c': 0.345}
    """
    check_option("method", method, CombineMethod)
    ids = pd.Index(subjective.index if isinstance(subjective, pd.Series) else list(subjective))
    s = weight_array(subjective, ids)
    o = weight_array(objective, ids)
    s, o = s / s.sum(), o / o.sum()
    if method == "linear":
        if not 0.0 <= alpha <= 1.0:
            raise InputError(f"alpha={alpha!r} 须在 [0, 1] 内 / alpha must lie in [0, 1]")
        combined = alpha * s + (1.0 - alpha) * o
    else:
        combined = s * o
        if combined.sum() <= 0:
            raise InputError(
                "主客观权重没有共同的正权重指标，乘积全为 0 / no indicator has both a positive "
                "subjective and a positive objective weight",
                hint="改用 method='linear' / use method='linear'",
            )
        combined = combined / combined.sum()
    return pd.Series(combined, index=ids, name="weight")
