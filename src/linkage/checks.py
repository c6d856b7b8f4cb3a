"""Argument and input checks shared by every method (参数与输入检查): the one validator.

Every public function of the kit checks its options and turns its pandas inputs into arrays
through these helpers, so bad input fails the same way everywhere: an
:class:`~linkage.errors.InputError` naming the column, the first offending rows and what to do.

The argument vocabulary these helpers enforce is listed in ``docs/architecture.md``
("Argument vocabulary"): ``missing`` is one of ``"raise"`` / ``"drop"`` / ``"keep"``;
survey weights are ``weights`` (a column name or an aligned Series; a named column that is
absent is an error, never a silent switch to unweighted); resampling is ``reps`` / ``seed`` /
``level``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from linkage.errors import InputError

__all__ = [
    "FEW_CLUSTERS",
    "MIN_REPS",
    "SEED",
    "WEBB_BELOW",
    "Inference",
    "Missing",
    "WildWeights",
    "aligned",
    "check_level",
    "check_option",
    "check_reps",
    "finite_array",
    "first_rows",
    "missing_mask",
    "person_weights",
    "require_columns",
    "survey_weights",
]

Missing = Literal["raise", "drop", "keep"]
"""What to do with rows that have a missing value: raise an :class:`InputError` naming the
column and rows (the default everywhere), drop them and report how many in the result, or keep
them (the result is then missing where they enter). A function accepts the subset that makes
sense for it and says which in its docstring."""

MIN_REPS = 999
"""Default number of bootstrap / permutation draws: with B draws the smallest attainable
p-value is 1/(B+1) = 0.001, and percentile intervals at 95 % rest on 25 draws in each tail."""

FEW_CLUSTERS = 42
"""Below this many clusters — for a difference-in-differences, this many *treated* clusters —
the reports replace cluster-robust p-values by the restricted wild cluster bootstrap (WCR;
Cameron, Gelbach & Miller 2008, REStat 90:414-427; Roodman, MacKinnon, Nielsen & Webb 2019,
Stata Journal 19:4-60) and say so. 42 is a rule of thumb (Angrist & Pischke 2009, *Mostly
Harmless Econometrics* §8.2.3), not a threshold derived anywhere: no number of clusters makes
cluster-robust t-tests safe in general. MacKinnon & Webb (2017, JAE 32:233-254) find in
simulations that the rule fails when cluster sizes differ — with 50 clusters of unequal size
(proportional to US state populations) t-tests over-reject more than with 50 equal ones — and
that with few *treated* clusters cluster-robust t-tests over-reject badly whatever the total
number of clusters; the wild cluster bootstrap does much better in the first case, while with
very few treated clusters it also fails (MacKinnon & Webb 2017, 2018, Econometrics Journal
21:114-135; the restricted version then under-rejects). One rule for every layer
(β-convergence on prefectures, TWFE, event studies and Sun–Abraham on treated counties)."""

WEBB_BELOW = 12
"""With fewer clusters than this the wild bootstrap uses Webb's six-point weights instead of
Rademacher's: 2^G Rademacher draws give too few distinct bootstrap samples (Webb 2023, Can. J.
Econ. 56(3):839-858, first as Queen's QED Working Paper 1315, 2014; MacKinnon & Webb 2018)."""

Inference = Literal["cluster", "wild", "auto"]
"""Inference of a clustered regression: cluster-robust t (Stata's CRV1), the restricted wild
cluster bootstrap, or ``"auto"`` = wild below :data:`FEW_CLUSTERS` (treated) clusters."""

WildWeights = Literal["rademacher", "webb"]
"""Wild-bootstrap weight distributions: Rademacher (±1, boottest's default) or Webb six-point."""

SEED = 20210
"""Default random seed of every resampling method (bootstrap, permutation, wild bootstrap): the
same inputs and parameters give the same numbers. Pass another integer to redraw, or
``seed=None`` for fresh entropy."""

_SHOW = 5  # how many offending rows an error message names


def first_rows(labels: Iterable[Hashable], count: int | None = None) -> str:
    """The first few row labels, ``"a, b, c … (共 N 个 / N in all)"``."""
    labels = list(labels)
    total = len(labels) if count is None else count
    shown = ", ".join(map(repr, labels[:_SHOW]))
    more = f" … (共 {total} 个 / {total} in all)" if total > _SHOW else ""
    return shown + more


def check_option(name: str, value: object, allowed: Any) -> None:
    """Raise :class:`InputError` unless ``value`` is one of ``allowed``.

    ``allowed`` is a ``Literal`` type (its arguments are the choices) or a sequence of choices.

    >>> check_option("missing", "drop", Missing)
    >>> check_option("missing", "skip", Missing)
    Traceback (most recent call last):
    ...
    linkage.errors.InputError: 参数 missing='skip' 无效 / invalid option missing='skip' — ...
    """
    choices = get_args(allowed) or tuple(allowed)
    if value not in choices:
        raise InputError(
            f"参数 {name}={value!r} 无效 / invalid option {name}={value!r}",
            hint=f"可选 / choose one of: {', '.join(map(repr, choices))}",
        )


def check_level(level: float, name: str = "level") -> None:
    """A confidence level strictly between 0 and 1 (e.g. 0.95)."""
    if not (isinstance(level, int | float) and 0 < level < 1):
        raise InputError(f"{name}={level!r} 须在 0 与 1 之间 / {name} must lie in (0, 1)",
                         hint="例如 0.95 表示 95% 置信区间 / e.g. 0.95 for a 95% interval")


def check_reps(reps: int, name: str = "reps", minimum: int = 2) -> None:
    """A whole number of resampling draws, at least ``minimum``."""
    if isinstance(reps, bool) or not isinstance(reps, int | np.integer) or reps < minimum:
        raise InputError(
            f"{name}={reps!r} 须为不小于 {minimum} 的整数 / {name} must be an integer ≥ {minimum}",
            hint=f"通常取 {MIN_REPS} 次或更多 / usually {MIN_REPS} or more")


def require_columns(frame: pd.DataFrame, columns: Iterable[Hashable | None], *,
                    what: str = "数据 / data") -> None:
    """Every named column (None entries ignored) must exist in ``frame``."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"{what} 应为 pandas.DataFrame，实际为 {type(frame).__name__} / "
            f"{what} must be a DataFrame")
    absent = [c for c in columns if c is not None and c not in frame.columns]
    if absent:
        raise InputError(
            f"{what} 缺少列 {', '.join(map(str, absent))} / missing column(s)",
            column=str(absent[0]),
            hint=f"现有列 / available: {', '.join(map(str, list(frame.columns)[:20]))}")


def aligned(values: object, index: pd.Index, name: str) -> pd.Series:
    """``values`` as a Series on ``index``: a Series must carry that index, anything else one
    value per row."""
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
    return pd.Series(array, index=index, name=name)


def finite_array(values: pd.Series, name: str, *, minimum: float | None = None,
                 strict: bool = False, hint: str | None = None) -> np.ndarray:
    """Float64 copy of ``values``; raise on missing or non-finite values and on values below
    ``minimum`` (or at it, when ``strict``), naming the column and the first rows."""
    try:
        array = values.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise InputError(f"“{name}” 不是数值 / {name!r} is not numeric", column=name,
                         hint="请检查该列的数据类型 / check the column's type") from exc
    bad = ~np.isfinite(array)
    if bad.any():
        raise InputError(
            f"“{name}” 有 {int(bad.sum())} 个缺失或非有限值（行 "
            f"{first_rows(values.index[bad], int(bad.sum()))}）/ missing or non-finite values",
            column=name,
            hint=hint or "请先补齐或剔除这些行，并在报告中说明 / fill or drop these rows "
            "explicitly and say so")
    if minimum is not None:
        low = array <= minimum if strict else array < minimum
        if low.any():
            relation = ">" if strict else "≥"
            raise InputError(
                f"“{name}” 须 {relation} {minimum:g}，有 {int(low.sum())} 行不满足（行 "
                f"{first_rows(values.index[low], int(low.sum()))}，如 {array[low][0]:g}）/ "
                f"{name!r} must be {relation} {minimum:g}", column=name, hint=hint)
    return array


def survey_weights(weights: str | pd.Series | np.ndarray | None,
                   data: pd.DataFrame | pd.Index, *, name: str = "weights") -> np.ndarray:
    """Survey weights (抽样权数) as a float array aligned with ``data``; None = 1 for every row.

    ``weights`` is a column name of ``data`` or an aligned Series/array. A named column that is
    absent raises: an analysis never becomes unweighted without the user saying so. Every
    weight must be finite and > 0.
    """
    index = data.index if isinstance(data, pd.DataFrame) else data
    if weights is None:
        return np.ones(len(index))
    if isinstance(weights, str):
        if not isinstance(data, pd.DataFrame):
            raise InputError(f"按列名 {weights!r} 取权重需要数据表 / a column name needs a table",
                             column=weights)
        require_columns(data, [weights])
        series, label = data[weights], weights
    else:
        series, label = aligned(weights, index, name), name
    return finite_array(series, label, minimum=0.0, strict=True,
                        hint="抽样权数须为正且不缺失；普查式数据可不传 weights / survey weights "
                        "must be positive and present; pass weights=None for a census")


def person_weights(data: pd.DataFrame, weights: str | pd.Series | np.ndarray | None, *,
                   size: str = "hh_size") -> np.ndarray:
    """Person weights (人口权数) = household survey weight × household size.

    Chinese statistics publish 贫困发生率, FGT and multidimensional headcounts as shares of
    **persons**; a household survey gives household weights, so a person rate weights each
    household by its weight times its size (every member shares the household's status).
    """
    require_columns(data, [size])
    sizes = finite_array(data[size], size, minimum=1.0,
                         hint="家庭人口须为 ≥ 1 的整数 / household size must be ≥ 1")
    return survey_weights(weights, data) * sizes


def missing_mask(frame: pd.DataFrame, columns: Sequence[Hashable], missing: Missing, *,
                 what: str = "数据 / data", allowed: Any = Missing) -> np.ndarray:
    """Rows of ``frame`` with a missing value in ``columns`` under the rule ``missing``.

    ``"raise"`` raises an :class:`InputError` naming the first column with gaps and its first
    rows; ``"drop"`` and ``"keep"`` return the boolean mask of incomplete rows, for the caller to
    drop (and report the count of) or to keep. ``allowed`` narrows the rules a caller accepts.
    """
    check_option("missing", missing, allowed)
    require_columns(frame, columns, what=what)
    incomplete = np.zeros(len(frame), dtype=bool)
    for column in columns:
        gaps = frame[column].isna().to_numpy()
        if missing == "raise" and gaps.any():
            raise InputError(
                f"{what} 的列 “{column}” 有 {int(gaps.sum())} 个缺失值（行 "
                f"{first_rows(frame.index[gaps], int(gaps.sum()))}）/ missing values",
                column=str(column),
                hint="补齐这些值，或传 missing='drop' 删除这些行（报告会注明删除数）/ fill them, "
                "or pass missing='drop' to drop those rows (the count is reported)")
        incomplete |= gaps
    return incomplete
