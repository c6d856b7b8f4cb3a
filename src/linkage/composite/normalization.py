"""Direction-aware normalisation of an indicator matrix (指标标准化/无量纲化)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import check_option
from linkage.composite._checks import (
    Directions,
    direction_array,
    group_codes,
    matrix,
)
from linkage.errors import InputError

__all__ = ["ConstantRule", "MissingRule", "NormalizeMethod", "normalize"]

NormalizeMethod = Literal["minmax", "zscore", "vector", "sum"]
ConstantRule = Literal["raise", "zero", "one"]
MissingRule = Literal["raise", "keep"]

_DEGENERATE = {
    "minmax": "最大值等于最小值 / max equals min",
    "zscore": "标准差为 0（或只有 1 个观测）/ zero standard deviation (or a single observation)",
    "vector": "全为 0（向量范数为 0）/ all zero (zero vector norm)",
    "sum": "全为 0（列和为 0）/ all zero (zero column sum)",
}


def normalize(
    data: pd.DataFrame,
    directions: Directions,
    *,
    method: NormalizeMethod = "minmax",
    scope: pd.Series | np.ndarray | None = None,
    constant: ConstantRule = "raise",
    missing: MissingRule = "raise",
) -> pd.DataFrame:
    """指标标准化 — direction-aware normalisation (min-max, z-score, vector, sum).

    For indicator *j* with direction :math:`s_j = +1` (正向, more is better) or
    :math:`s_j = -1` (逆向, less is better), computed over the rows of one scope group:

    ============ ======================================= ======================================
    ``method``   positive (+1)                           negative (−1)
    ============ ======================================= ======================================
    ``minmax``   :math:`(x-\\min)/(\\max-\\min)`          :math:`(\\max-x)/(\\max-\\min)`
    ``zscore``   :math:`(x-\\bar x)/s`                   :math:`(\\bar x-x)/s`
    ``vector``   :math:`x/\\sqrt{\\sum x^2}`              :math:`1-x/\\sqrt{\\sum x^2}`
    ``sum``      :math:`x/\\sum x`                       :math:`(1/x)/\\sum (1/x)`
    ============ ======================================= ======================================

    ``s`` is the sample standard deviation (ddof = 1, as Stata ``egen std()`` and SPSS
    *Descriptives* save standardized values). Min-max scores lie in [0, 1]; so do vector and sum
    scores (they require x ≥ 0, and x > 0 for a negative ``sum`` indicator). The vector and sum
    forms of a negative indicator follow Jahan & Edwards (2015), *Materials & Design* 65:335–342
    (Table 1), as pymcdm does.

    Parameters
    ----------
    data : DataFrame
        Rows are units (e.g. county-years), columns indicators (numeric, in their own units).
        Put identifier columns such as ``region_code`` and ``year`` in the index.
    directions : mapping or Series
        Indicator id → +1 / −1 for every column of ``data`` (extra keys are ignored), e.g.
        ``framework.indicator_table()["direction"]``.
    method : {"minmax", "zscore", "vector", "sum"}
    scope : Series or array, optional
        None (default) pools all rows — for a panel this makes scores comparable across
        years, the usual choice (全局/面板混合标准化). Otherwise a group label per row (e.g.
        ``panel["year"]``) to normalise within each group (逐年标准化).
    constant : {"raise", "zero", "one"}
        A column that is degenerate within a group (min = max; zero s.d.; all zero for vector
        and sum) cannot be normalised: ``"raise"`` (default) stops with an error naming column and
        group; ``"zero"`` / ``"one"`` give such values the score 0 / 1.
    missing : {"raise", "keep"}
        ``"raise"`` (default) stops at a missing value; ``"keep"`` computes the statistics from
        the observed values and leaves missing cells missing in the result.

    Returns
    -------
    DataFrame
        Same index and columns as ``data``, float scores.

    Examples
    --------
    >>> df = pd.DataFrame({"income": [1.0, 2.0, 3.0], "engel": [30.0, 40.0, 50.0]})
    >>> normalize(df, {"income": 1, "engel": -1}).round(2).to_dict("list")
    {'income': [0.0, 0.5, 1.0], 'engel': [1.0, 0.5, 0.0]}
    """
    check_option("method", method, NormalizeMethod)
    check_option("constant", constant, ConstantRule)
    check_option("missing", missing, MissingRule)
    x = matrix(data, allow_missing=missing == "keep", min_rows=1)
    sign = direction_array(directions, data.columns)
    groups = group_codes(scope, data.index)
    if method in ("vector", "sum"):
        _require_nonnegative(x, data.columns, method, strict=(sign < 0) & (method == "sum"))

    def stat(values: np.ndarray, how: str) -> np.ndarray:
        frame = pd.DataFrame(values)
        if groups is None:
            return frame.agg(how).to_numpy()[None, :]
        return frame.groupby(groups[0], sort=False).transform(how).to_numpy()

    positive = sign > 0
    if method == "minmax":
        low, high = stat(x, "min"), stat(x, "max")
        numerator, denominator = np.where(positive, x - low, high - x), high - low
    elif method == "zscore":
        numerator, denominator = sign * (x - stat(x, "mean")), stat(x, "std")
    elif method == "vector":
        numerator, denominator = x, np.sqrt(stat(x * x, "sum"))
    else:
        with np.errstate(divide="ignore"):
            numerator = np.where(positive, x, 1.0 / x)
        denominator = stat(numerator, "sum")
    denominator = np.broadcast_to(denominator, x.shape)
    usable = denominator > 0
    scores = np.divide(numerator, denominator, out=np.full(x.shape, np.nan), where=usable)
    if method == "vector":
        scores = np.where(positive, scores, 1.0 - scores)
    degenerate = ~np.isnan(x) & ~usable
    if degenerate.any():
        if constant == "raise":
            row, col = np.argwhere(degenerate)[0]
            label = None if groups is None else groups[1][groups[0][row]]
            where = "" if groups is None else f"在分组 {label!r} 内 / within group {label!r}, "
            raise InputError(
                f"该指标{where}{_DEGENERATE[method]}，无法用 {method} 标准化 / the indicator "
                "cannot be normalised",
                column=str(data.columns[col]),
                hint="删除该指标，或选 constant='zero' / 'one' 指定得分 / drop the indicator or "
                "choose constant='zero' or 'one'",
            )
        scores[degenerate] = 0.0 if constant == "zero" else 1.0
    return pd.DataFrame(scores, index=data.index, columns=data.columns)


def _require_nonnegative(x: np.ndarray, columns: pd.Index, method: str,
                         strict: np.ndarray) -> None:
    """Vector and sum normalisation need x ≥ 0 (x > 0 where ``strict``)."""
    bad = (x < 0) | (strict & (x == 0))
    if bad.any():
        row, col = np.argwhere(bad)[0]
        need = "正数 / positive" if strict[col] else "非负数 / non-negative"
        raise InputError(
            f"{method} 标准化要求{need}，出现 {x[row, col]!r}（第 {row + 1} 行）/ "
            f"{method} normalisation needs {need.split(' / ')[1]} values",
            column=str(columns[col]),
            hint="改用 method='minmax' 或 'zscore' / use method='minmax' or 'zscore'",
        )
