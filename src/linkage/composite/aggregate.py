"""Aggregation of standardised indicators into one score (综合评价): weighted sum and TOPSIS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import check_option
from linkage.composite._checks import Directions, matrix, weight_array
from linkage.composite.normalization import ConstantRule, normalize
from linkage.errors import InputError

__all__ = ["TopsisDistance", "TopsisNormalization", "topsis", "weighted_sum"]

TopsisNormalization = Literal["vector", "minmax"]
TopsisDistance = Literal["hwang_yoon", "weighted_squares"]


def weighted_sum(
    standardized: pd.DataFrame,
    weights: pd.Series | Mapping[str, float],
    *,
    scale: float = 1.0,
) -> pd.Series:
    """线性加权综合指数 — weighted linear sum of standardised indicators.

    :math:`S_i = \\text{scale} \\cdot \\sum_j w_j x'_{ij}` (simple additive weighting;
    Hwang & Yoon 1981, *Multiple Attribute Decision Making*, Springer). With min-max scores
    and weights summing to 1 the index lies in [0, scale]; ``scale=100`` gives the 百分制 form.

    Parameters
    ----------
    standardized : DataFrame
        Standardised scores (e.g. from :func:`normalize`), rows units, columns indicators; no
        missing values.
    weights : Series or mapping
        Non-negative weights indexed by exactly the columns of ``standardized``.
    scale : float
        Multiplier, e.g. 100.

    Returns
    -------
    Series
        Score per row, index = ``standardized.index``, name ``"score"``.

    Examples
    --------
    >>> z = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [1.0, 0.5, 0.0]})
    >>> weighted_sum(z, {"a": 0.75, "b": 0.25}, scale=100).tolist()
    [25.0, 50.0, 75.0]
    """
    x = matrix(standardized, min_rows=1)
    w = weight_array(weights, standardized.columns)
    if not (np.isfinite(scale) and scale > 0):
        raise InputError(f"scale={scale!r} 须为正数 / scale must be positive")
    return pd.Series(scale * (x @ w), index=standardized.index, name="score")


def topsis(
    data: pd.DataFrame,
    weights: pd.Series | Mapping[str, float],
    directions: Directions,
    *,
    normalization: TopsisNormalization = "vector",
    distance: TopsisDistance = "hwang_yoon",
    constant: ConstantRule = "raise",
) -> pd.Series:
    """TOPSIS 法（逼近理想解排序法）— relative closeness to the ideal solution.

    Hwang & Yoon (1981), *Multiple Attribute Decision Making*, Springer, pp. 128–134. With
    normalised scores :math:`r_{ij}`, the ideal :math:`r^+_j` and anti-ideal :math:`r^-_j`
    (best and worst value of indicator j given its direction),

    - ``distance="hwang_yoon"`` (default, the original): :math:`v_{ij} = w_j r_{ij}`,
      :math:`D_i^\\pm = \\sqrt{\\sum_j (v_{ij} - v_j^\\pm)^2}`;
    - ``distance="weighted_squares"`` (common Chinese teaching form):
      :math:`D_i^\\pm = \\sqrt{\\sum_j w_j (r_{ij} - r_j^\\pm)^2}` — the same as Hwang–Yoon
      with weights √w, so the two differ unless the weights are equal;

    and :math:`C_i = D_i^- / (D_i^+ + D_i^-) \\in [0, 1]`.

    ``normalization="vector"`` (default, Hwang & Yoon): :math:`r = x/\\sqrt{\\sum x^2}`,
    needs x ≥ 0; ``"minmax"``: direction-aware min-max scores (as in the T1 example of Opricovic
    & Tzeng 2004, *EJOR* 156(2):445–455). A negative indicator is scored 1 − r under vector
    normalisation (:func:`normalize`), which leaves both distances unchanged, so this equals
    Hwang & Yoon's "ideal = minimum" rule. Closeness is invariant to row order, to rescaling
    an indicator (both normalisations) and to shifting it (min-max only), and to rescaling all
    weights.

    Parameters
    ----------
    data : DataFrame
        Raw indicator values, rows units, columns indicators; no missing values.
    weights : Series or mapping
        Non-negative weights indexed by exactly the columns of ``data``.
    directions : mapping or Series
        Indicator id → +1/−1.
    normalization : {"vector", "minmax"}
    distance : {"hwang_yoon", "weighted_squares"}
    constant : {"raise", "zero", "one"}
        Rule for a column that cannot be normalised (see :func:`normalize`); any non-raising
        choice makes the column contribute nothing to either distance.

    Returns
    -------
    Series
        Closeness :math:`C_i` in [0, 1], index = ``data.index``, name ``"closeness"``.

    Examples
    --------
    >>> df = pd.DataFrame({"cost": [1.0, 2.0, 5.0], "benefit": [3000.0, 3750.0, 4500.0]},
    ...                   index=["A1", "A2", "A3"])
    >>> topsis(df, {"cost": 0.5, "benefit": 0.5}, {"cost": -1, "benefit": 1},
    ...        normalization="minmax").round(3).tolist()
    [0.5, 0.617, 0.5]
    """
    check_option("normalization", normalization, TopsisNormalization)
    check_option("distance", distance, TopsisDistance)
    matrix(data)
    w = weight_array(weights, data.columns)
    r = normalize(data, directions, method=normalization, constant=constant).to_numpy()
    factor = w * w if distance == "hwang_yoon" else w
    to_ideal = np.sqrt(((r - r.max(axis=0)) ** 2 * factor).sum(axis=1))
    to_anti = np.sqrt(((r - r.min(axis=0)) ** 2 * factor).sum(axis=1))
    total = to_ideal + to_anti
    if not (total > 0).all():
        raise InputError(
            "加权后所有指标在各单位间无差异，贴近度无定义 / no weighted indicator varies "
            "between units, so closeness is undefined",
            hint="检查权重和数据 / check the weights and the data",
        )
    return pd.Series(to_anti / total, index=data.index, name="closeness")
