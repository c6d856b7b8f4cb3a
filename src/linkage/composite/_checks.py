"""Indicator-matrix checks of the composite-index functions (指标矩阵检查).

Options are checked by the kit's one validator, :func:`linkage.checks.check_option`. These
helpers do what :mod:`linkage.checks` does not: turn an indicator matrix (units × indicators)
into a float array with its checks, align directions, scope groups and indicator weights with
its columns — so bad input fails the same way in every composite function: an
:class:`~linkage.errors.InputError` naming the column (and value or group) and saying what to do.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from linkage.errors import InputError

Directions = Mapping[str, int] | pd.Series


def matrix(data: pd.DataFrame, *, allow_missing: bool = False, min_rows: int = 2) -> np.ndarray:
    """``data`` as a float array (rows units, columns indicators), checked.

    Raises unless ``data`` is a DataFrame with unique column labels, at least ``min_rows`` rows
    and one column, numeric columns, no infinite values and (unless ``allow_missing``) no
    missing values.
    """
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"需要 DataFrame（行为单位、列为指标），得到 {type(data).__name__} / "
            "expected a DataFrame with units as rows and indicators as columns",
            hint="用 pandas.DataFrame(...) 包装数据 / wrap the data in a pandas DataFrame",
        )
    if data.shape[1] == 0 or len(data) < min_rows:
        raise InputError(
            f"数据需要至少 {min_rows} 行和 1 列指标，得到 {data.shape[0]} 行 {data.shape[1]} 列 / "
            "too few rows or columns",
            hint="检查筛选条件是否过严 / check the selection of units and indicators",
        )
    duplicated = data.columns[data.columns.duplicated()]
    if len(duplicated):
        raise InputError(
            "指标列名重复 / duplicate indicator column", column=str(duplicated[0]),
            hint="每个指标只保留一列 / keep one column per indicator",
        )
    for column, dtype in data.dtypes.items():
        if not (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)):
            raise InputError(
                f"指标列不是数值型（{dtype}）/ indicator column is not numeric", column=str(column),
                hint="先转换为数值，或把标识列（如 region_code、year）设为索引 / convert to "
                "numbers, or move identifier columns such as region_code and year to the index",
            )
    values = data.to_numpy(dtype=float, na_value=np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        row, col = np.argwhere(infinite)[0]
        raise InputError(
            f"出现无穷值（第 {row + 1} 个单位，索引 {data.index[row]!r}）/ infinite value",
            column=str(data.columns[col]), hint="检查除以零的派生指标 / check derived ratios",
        )
    if not allow_missing:
        missing = np.isnan(values)
        if missing.any():
            row, col = np.argwhere(missing)[0]
            count = int(missing[:, col].sum())
            raise InputError(
                f"有 {count} 个缺失值（首个在索引 {data.index[row]!r}）/ {count} missing value(s)",
                column=str(data.columns[col]),
                hint="先插补或删除这些行，或选用 missing='keep' / impute or drop these rows "
                "explicitly first, or use missing='keep' where offered",
            )
    return values


def direction_array(directions: Directions | None, columns: pd.Index) -> np.ndarray:
    """+1/−1 per column of ``columns`` from a mapping (extra keys allowed); None = all +1."""
    if directions is None:
        return np.ones(len(columns))
    lookup = dict(directions.items()) if isinstance(directions, pd.Series) else directions
    out = np.empty(len(columns))
    for i, column in enumerate(columns):
        if column not in lookup:
            raise InputError(
                "缺少该指标的方向 / no direction given for indicator", column=str(column),
                hint="directions 中为每个指标给出 +1（正向）或 -1（逆向）/ give +1 (positive) or "
                "-1 (negative) for every indicator",
            )
        value = lookup[column]
        if value not in (1, -1):
            raise InputError(
                f"方向值 {value!r} 无效，只能是 +1 或 -1 / direction must be +1 or -1",
                column=str(column),
            )
        out[i] = value
    return out


def group_codes(scope: pd.Series | np.ndarray | None,
                index: pd.Index) -> tuple[np.ndarray, np.ndarray] | None:
    """Integer group codes and group labels for ``scope`` (None = one pooled group → None)."""
    if scope is None:
        return None
    if isinstance(scope, pd.Series):
        if not scope.index.equals(index):
            if not scope.index.is_unique or not index.isin(scope.index).all():
                raise InputError(
                    "scope 的索引与数据的索引不一致 / scope index does not match the data index",
                    hint="传入与数据同索引的列，如 panel['year'] / pass a column of the same "
                    "frame, e.g. panel['year']",
                )
            scope = scope.reindex(index)
        labels = scope.to_numpy()
    else:
        labels = np.asarray(scope)
    if len(labels) != len(index):
        raise InputError(
            f"scope 长度 {len(labels)} 与数据行数 {len(index)} 不同 / scope length differs "
            "from the number of rows",
        )
    codes, uniques = pd.factorize(labels, use_na_sentinel=True)
    if (codes < 0).any():
        row = int(np.argmax(codes < 0))
        raise InputError(
            f"scope 分组标签缺失（索引 {index[row]!r}）/ missing group label in scope",
            hint="为每行给出分组（如年份）/ give every row a group label such as its year",
        )
    return codes, np.asarray(uniques)


def weight_array(weights: pd.Series | Mapping[str, float], columns: pd.Index) -> np.ndarray:
    """Weights aligned with ``columns``: same set of ids, finite, non-negative, positive sum."""
    series = weights if isinstance(weights, pd.Series) else pd.Series(weights, dtype=float)
    missing = columns.difference(series.index)
    extra = series.index.difference(columns)
    if len(missing) or len(extra):
        lacking = f"；缺少权重 / missing: {', '.join(map(str, missing))}" if len(missing) else ""
        unknown = f"；多余权重 / unknown: {', '.join(map(str, extra))}" if len(extra) else ""
        raise InputError(
            f"权重与指标列不一致 / weights and indicator columns differ{lacking}{unknown}",
            hint="权重应以指标代码为索引，与数据列一一对应 / index the weights by the data's "
            "indicator columns",
        )
    out = series.reindex(columns).to_numpy(dtype=float)
    bad = ~np.isfinite(out) | (out < 0)
    if bad.any():
        col = int(np.argmax(bad))
        raise InputError(
            f"权重 {out[col]!r} 无效，须为非负有限数 / weight must be finite and non-negative",
            column=str(columns[col]),
        )
    if out.sum() <= 0:
        raise InputError("权重之和为 0 / weights sum to zero",
                         hint="至少一个指标的权重须为正 / give at least one indicator a weight")
    return out
