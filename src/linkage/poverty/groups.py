"""Per-group sums for the poverty measures (分组求和): what :mod:`linkage.checks` does not do.

Every measure of :mod:`linkage.poverty` is a ratio of weighted sums by group, so the data are
reduced to per-group sums here (vectorised with :func:`numpy.bincount`) and partitions of the
data combine by adding those sums. Input checks (columns, weights, missing values) are the
kit's one validator, :mod:`linkage.checks`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.checks import aligned, first_rows, require_columns
from linkage.errors import InputError

__all__ = ["ALL_GROUP", "column_or_series", "group_codes", "group_sums", "merge_groups", "ratio"]

ALL_GROUP = "总体"
"""Label of the single group when no grouping is given."""


def column_or_series(data: pd.DataFrame, values: str | pd.Series | None) -> pd.Series | None:
    """``data[values]`` when ``values`` names a column (which must exist), else ``values``."""
    if isinstance(values, str):
        require_columns(data, [values])
        return data[values]
    return values


def group_codes(groups: object, index: pd.Index,
                name: str = "groups") -> tuple[np.ndarray, pd.Index]:
    """Integer codes 0..G-1 per row and the sorted group labels; ``None`` is one group.

    A missing group label raises :class:`~linkage.errors.InputError` naming the rows: a row
    is never dropped from a group table silently.
    """
    if groups is None:
        return np.zeros(len(index), dtype=np.intp), pd.Index([ALL_GROUP])
    series = aligned(groups, index, name)
    codes, labels = pd.factorize(series, sort=True, use_na_sentinel=True)
    gaps = codes < 0
    if gaps.any():
        raise InputError(
            f"分组变量 “{name}” 有 {int(gaps.sum())} 个缺失值（行 "
            f"{first_rows(index[gaps], int(gaps.sum()))}）/ missing group labels",
            column=name, hint="请为每一行指定分组，或先删除这些行并在报告中说明 / give every row "
            "a group, or drop those rows explicitly and say so")
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
