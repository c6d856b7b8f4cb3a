"""Shared input handling of the synergy measures (协同度量的输入): codes as matrices, document
weights and grouping keys.

Private to :mod:`linkage.synergy`: the measures of goals, instruments and integration take the
same plain pandas objects of the policy data model (``documents`` indexed by ``doc_id`` with
``level``, ``year``, ``strength``; a wide ``codes`` frame of 0/1/2) and turn them into arrays
here, so bad input fails the same way in all of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import check_option, first_rows, require_columns
from linkage.errors import InputError
from linkage.synergy.scheme import LEVELS

PERIODS: dict[str, tuple[int | None, int | None]] = {
    "脱贫攻坚期": (None, 2020),
    "过渡期": (2021, 2025),
    "常态化帮扶期": (2026, None),
}
"""The policy periods (政策时期) every synergy measure uses: label → (first year, last year),
inclusive, ``None`` = open. The poverty-alleviation campaign up to 2020 (absolute poverty
eliminated at the end of 2020), the five-year transition period 2021–2025 (中发〔2020〕30号)
and the regular assistance from 2026 (常态化防止返贫致贫机制)."""

Weight = Literal["strength"]
"""Document weights: ``"strength"`` (the scheme's 1–5 policy strength) or None (each document
counts once)."""

CodeMissing = Literal["raise", "drop"]
"""Documents with a code not yet confirmed (``<NA>``): raise (default) or leave them out."""

ALL = "全部"
"""Label of the one group when a measure is not split (``by=None``)."""


@dataclass(frozen=True)
class Coded:
    """Documents with complete codes: the documents, the code matrix and the weights."""

    documents: pd.DataFrame
    values: pd.DataFrame      # documents × code ids, float 0/1/2
    weights: np.ndarray       # one weight per document
    n_dropped: int


def code_ids(ids: object, what: str) -> list[str]:
    """Code ids as a list of unique strings (a list, Index or the index of a Series)."""
    if isinstance(ids, pd.Series):
        ids = ids.index
    if isinstance(ids, str) or not isinstance(ids, Sequence | pd.Index | np.ndarray):
        raise InputError(f"{what} 应为代码列表 / {what} must be a list of code ids",
                         hint='例如 ["industry", "ecology"] / e.g. scheme.goal_ids')
    out = [str(i) for i in ids]
    if not out:
        raise InputError(f"{what} 为空 / no {what} given", hint="至少给出一个代码 / give one")
    duplicated = sorted({i for i in out if out.count(i) > 1})
    if duplicated:
        raise InputError(f"{what} 中有重复代码 {duplicated} / duplicate code ids",
                         column=duplicated[0])
    return out


def coded(documents: pd.DataFrame, codes: pd.DataFrame, ids: Sequence[str], *,
          weight: Weight | None, missing: CodeMissing = "raise") -> Coded:
    """The documents' codes on ``ids`` (0/1/2) and their weights, with the missing rule applied.

    ``codes`` is aligned on ``documents.index`` (so a subset of documents can be passed with the
    full code table); a document without a row of codes counts as not coded (``<NA>``).
    """
    check_option("missing", missing, CodeMissing)
    if weight is not None:
        check_option("weight", weight, Weight)
    require_columns(documents, ["strength"] if weight else [], what="政策文件表 / documents")
    require_columns(codes, ids, what="编码表 / codes")
    if not documents.index.is_unique:
        bad = documents.index[documents.index.duplicated()].unique()
        raise InputError(f"文件编号 doc_id 重复：{first_rows(bad)} / duplicate doc_id",
                         column="doc_id", hint="每个文件只能有一行 / one row per document")
    if not codes.index.is_unique:
        bad = codes.index[codes.index.duplicated()].unique()
        raise InputError(f"编码表的 doc_id 重复：{first_rows(bad)} / duplicate doc_id in codes",
                         column="doc_id", hint="每个文件只能有一行编码 / one row per document")
    table = codes.reindex(documents.index)[list(ids)]
    values = table.apply(pd.to_numeric, errors="coerce").astype("Float64")
    present = values.notna()
    bad = table.notna() & ~values.isin([0, 1, 2]).fillna(False)
    if bad.to_numpy().any():
        column = bad.columns[bad.any()][0]
        rows = values.index[bad[column].to_numpy()]
        raise InputError(
            f"编码只能是 0、1、2，列 “{column}” 的文件 {first_rows(rows)} 不是 / codes must be "
            "0, 1 or 2", column=str(column),
            hint="0 = 未涉及，1 = 提及，2 = 重点（单列章节或量化目标）/ 0 not addressed, "
                 "1 mentioned, 2 emphasised")
    gaps = ~present.all(axis=1).to_numpy()
    if gaps.any() and missing == "raise":
        column = present.columns[~present.all()][0]
        rows = values.index[~present[column].to_numpy()]
        raise InputError(
            f"编码表的列 “{column}” 有文件尚未编码：{first_rows(rows)} / documents not coded",
            column=str(column),
            hint="先完成编码（编码表中确认），或传 missing='drop' 只用已编码的文件 / finish the "
                 "coding, or pass missing='drop' to use the coded documents only")
    keep = ~gaps
    docs = documents.loc[keep]
    weights = np.ones(len(docs))
    if weight == "strength":
        strength = pd.to_numeric(docs["strength"], errors="coerce").to_numpy(dtype=float)
        wrong = ~(np.isfinite(strength) & (strength > 0))
        if wrong.any():
            raise InputError(
                f"政策力度 strength 须为正数，文件 {first_rows(docs.index[wrong])} 不是 / "
                "strength must be positive", column="strength",
                hint="力度按编码方案由层级和文种得出（1–5）；或传 weight=None 等权 / "
                     "strength comes from the scheme (1–5); or pass weight=None")
        weights = strength
    return Coded(documents=docs, values=values.loc[keep].astype(float), weights=weights,
                 n_dropped=int(gaps.sum()))


def period_of(years: pd.Series,
              periods: Mapping[str, tuple[int | None, int | None]] | None = None) -> pd.Series:
    """The policy period of each year (default :data:`PERIODS`), an ordered categorical named
    ``period``; a missing year stays missing.

    ``periods`` maps a label to its inclusive (first, last) years (``None`` = open); empty,
    malformed, reversed or overlapping periods, and a year outside every period, are an
    :class:`~linkage.errors.InputError`.

    >>> period_of(pd.Series([2019, 2023, 2030])).tolist()
    ['脱贫攻坚期', '过渡期', '常态化帮扶期']
    """
    periods = PERIODS if periods is None else periods
    if not periods:
        raise InputError("periods 不能为空 / periods must not be empty",
                         hint="例如 {'脱贫攻坚期': (None, 2020), '过渡期': (2021, 2025)}")
    bounds = []
    for name, span in periods.items():
        if not (isinstance(span, tuple | list) and len(span) == 2):
            raise InputError(f"时期 {name!r} 应为 (起始年, 截止年) / period {name!r} must be "
                             "(first, last)", hint="开放的一端写 None / None for an open end")
        first = -np.inf if span[0] is None else float(span[0]) - 0.5
        last = np.inf if span[1] is None else float(span[1]) + 0.5
        if first >= last:
            raise InputError(f"时期 {name!r} 的起始年晚于截止年 / period {name!r}: first > last")
        bounds.append((first, last, name))
    bounds.sort()
    for (_, end, a), (start, _, b) in itertools.pairwise(bounds):
        if start < end:
            raise InputError(f"时期 {a!r} 与 {b!r} 重叠 / periods {a!r} and {b!r} overlap")
    bins = pd.IntervalIndex.from_tuples([(f, la) for f, la, _ in bounds], closed="right")
    names = [n for *_, n in bounds]
    numeric = pd.to_numeric(years).astype(float)
    codes = pd.cut(numeric, bins).cat.codes
    out = pd.Series(pd.Categorical.from_codes(codes, categories=names, ordered=True),
                    index=years.index, name="period")
    outside = out.isna() & numeric.notna()
    if outside.any():
        raise InputError(f"文件的年份不在任何时期内 / documents outside every period: "
                         f"{first_rows(years.index[outside])}", column="year",
                         hint="扩大 periods 的范围，或先筛选文件 / widen periods or filter first")
    return out


def group_key(documents: pd.DataFrame, by: str | None) -> pd.Series:
    """The group of every document: ``None`` = one group :data:`ALL`; ``"period"`` = the policy
    period of ``year`` (unless the documents have a ``period`` column); else a column. Levels
    are ordered 中央 → 县; other text columns sorted."""
    if by is None:
        return pd.Series(pd.Categorical([ALL] * len(documents), categories=[ALL]),
                         index=documents.index, name="group")
    if by == "period" and "period" not in documents.columns:
        require_columns(documents, ["year"], what="政策文件表 / documents")
        key = period_of(documents["year"])
    else:
        require_columns(documents, [by], what="政策文件表 / documents")
        key = documents[by]
    if key.isna().any():
        rows = documents.index[key.isna().to_numpy()]
        raise InputError(f"列 “{by}” 有缺失值（文件 {first_rows(rows)}）/ missing {by}",
                         column=by, hint="补齐后再分组 / fill it in before grouping")
    if by == "level" or not isinstance(key.dtype, pd.CategoricalDtype):
        values = set(pd.unique(key.to_numpy(dtype=object)))
        order = ([v for v in LEVELS if v in values] + sorted(values - set(LEVELS))
                 if by == "level" else sorted(values))
        key = pd.Series(pd.Categorical(key.astype(object), categories=order, ordered=True),
                        index=key.index)
    return key.cat.remove_unused_categories().rename(by)


def one_hot(key: pd.Series) -> pd.DataFrame:
    """Documents × groups indicator matrix (float) of a categorical key, groups in order."""
    return pd.get_dummies(key, dtype=float)
