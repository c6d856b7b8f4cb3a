"""Input checks shared by the poverty measures (输入检查): one place for the rules.

Every public function of :mod:`linkage.poverty` turns its pandas inputs into aligned numpy
arrays here, so a bad value is reported the same way everywhere: the column, the first offending
row label, and what to do.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from linkage.errors import InputError

ALL_GROUP = "总体"
"""Label of the single group when no grouping is given."""


def _first_bad(index: pd.Index, bad: np.ndarray) -> Hashable:
    return index[int(np.flatnonzero(bad)[0])]


def aligned(values: object, index: pd.Index, name: str) -> pd.Series:
    """``values`` as a Series on ``index``: a Series must carry that index, anything else the
    same length."""
    if isinstance(values, pd.Series):
        if not values.index.equals(index):
            raise InputError(
                f"“{name}” 的索引与数据的索引不一致 / index of {name!r} does not match the data",
                column=name,
                hint="先按数据的行对齐，例如 .reindex(data.index) / align it with the data first")
        return values
    array = np.asarray(values)
    if array.ndim != 1 or len(array) != len(index):
        raise InputError(
            f"“{name}” 应有 {len(index)} 个值，实际为 {array.size} / {name!r} must have one value "
            "per row", column=name)
    return pd.Series(array, index=index)


def finite_array(values: pd.Series, name: str, *, minimum: float | None = None,
                 strict: bool = False, hint: str | None = None) -> np.ndarray:
    """Float64 copy of a Series; raise on missing/non-finite values and values below ``minimum``
    (or at it, when ``strict``)."""
    try:
        array = values.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise InputError(f"“{name}” 不是数值 / {name!r} is not numeric", column=name,
                         hint="请检查该列的数据类型 / check the column's type") from exc
    bad = ~np.isfinite(array)
    if bad.any():
        raise InputError(
            f"“{name}” 有缺失或非有限值 (行 {_first_bad(values.index, bad)!r}) / missing or "
            "non-finite value", column=name,
            hint="请先补齐或剔除这些行，并在报告中说明 / fill or drop these rows explicitly")
    if minimum is not None:
        low = array <= minimum if strict else array < minimum
        if low.any():
            relation = ">" if strict else "≥"
            row = _first_bad(values.index, low)
            raise InputError(
                f"“{name}” 须 {relation} {minimum:g}，行 {row!r} 为 {array[low][0]:g} / "
                f"{name!r} must be {relation} {minimum:g}", column=name, hint=hint)
    return array


def survey_weights(weights: object, index: pd.Index, name: str = "weights") -> np.ndarray:
    """Survey weights (抽样权数), > 0 and finite; ``None`` means 1 for every row."""
    if weights is None:
        return np.ones(len(index))
    return finite_array(aligned(weights, index, name), name, minimum=0.0, strict=True,
                        hint="抽样权数须为正 / survey weights must be positive")


def group_codes(groups: object, index: pd.Index,
                name: str = "groups") -> tuple[np.ndarray, pd.Index]:
    """Integer codes 0..G-1 per row and the sorted group labels; ``None`` is one group."""
    if groups is None:
        return np.zeros(len(index), dtype=np.intp), pd.Index([ALL_GROUP])
    series = aligned(groups, index, name)
    codes, labels = pd.factorize(series, sort=True, use_na_sentinel=True)
    if (codes < 0).any():
        raise InputError(
            f"分组变量 “{name}” 有缺失值 (行 {_first_bad(index, codes < 0)!r}) / missing group",
            column=name, hint="请为每一行指定分组 / give every row a group")
    labels = pd.Index(labels, name=series.name if series.name is not None else name)
    return codes.astype(np.intp, copy=False), labels


def group_sums(codes: np.ndarray, size: int, values: np.ndarray) -> np.ndarray:
    """Σ values within each group (vectorised; ``values`` may be 1-D or rows × columns)."""
    if values.ndim == 1:
        return np.bincount(codes, weights=values, minlength=size)
    return np.stack([np.bincount(codes, weights=values[:, j], minlength=size)
                     for j in range(values.shape[1])], axis=1)


def merge_groups(labels: list[pd.Index],
                 arrays: list[list[np.ndarray]]) -> tuple[pd.Index, list[np.ndarray]]:
    """Add per-group arrays of several partitions, aligning them on the union of group labels.

    ``arrays[p][f]`` is field ``f`` of partition ``p`` (first axis = that partition's groups).
    """
    stacked = labels[0].append(labels[1:]) if len(labels) > 1 else labels[0]
    codes, union = pd.factorize(stacked, sort=True)
    union = pd.Index(union, name=labels[0].name)
    out = []
    for f in range(len(arrays[0])):
        parts = [a[f] for a in arrays]
        total = np.zeros((len(union), *parts[0].shape[1:]), dtype=np.result_type(*parts))
        np.add.at(total, codes, np.concatenate(parts, axis=0))
        out.append(total)
    return union, out


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0 (documented convention: a group
    with nobody poor has intensity and contributions 0, not NaN)."""
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    out = np.zeros(np.broadcast_shapes(num.shape, den.shape))
    np.divide(num, den, out=out, where=den != 0)
    return out
