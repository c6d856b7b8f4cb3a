"""Goal consistency (目标一致性): goal profiles of document sets, their similarity, coverage
of one level's goals by another, and documents that address both 巩固/拓展 and 振兴 goals.

The founding argument of the field (温美荣、刘万清《协同推进脱贫成果与乡村振兴有效衔接》) asks
policy synergy to show first as consistent goals across levels and between the poverty and the
revitalization policy systems. This module makes that a set of numbers computed from the coded
documents (codes 0 = 未涉及, 1 = 提及, 2 = 重点; document weights = the scheme's 1–5 policy
strength, or 1).

* **Goal profile** of a set D of documents: the emphasis-weighted share of each goal,
  :math:`p_g = \\sum_{d\\in D} w_d e_{dg} / \\sum_{g'}\\sum_{d\\in D} w_d e_{dg'}` (shares sum
  to 1).
* **Similarity** of two profiles: cosine (default; Salton & McGill 1983, *Introduction to
  Modern Information Retrieval*, McGraw-Hill, ch. 4) or ``"js"`` = 1 − the Jensen–Shannon
  divergence in bits (Lin 1991, IEEE Trans. Information Theory 37(1):145–151), both in [0, 1]
  for non-negative profiles, 1 for identical ones, symmetric.
* **Coverage** of set U's goals by set L (asymmetric by design: does the lower level take up
  the upper level's goals?): the share of the goals U addresses that L also addresses, or
  with ``weighted=True`` the share of U's profile mass on goals L addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import entr

from linkage.checks import check_option
from linkage.errors import InputError
from linkage.frameworks import Framework, load_framework
from linkage.labels import LABELS, Language, is_zh, label
from linkage.synergy._inputs import (
    ALL,
    Coded,
    CodeMissing,
    Weight,
    code_ids,
    coded,
    group_key,
    one_hot,
)

__all__ = [
    "MIXED",
    "NONE",
    "GoalConsistency",
    "Similarity",
    "goal_consistency",
    "goal_coverage",
    "goal_groups",
    "goal_orientation",
    "goal_profiles",
    "group_name",
    "profile_similarity",
    "similarity",
]

Similarity = Literal["cosine", "js"]

MIXED = "mixed"
"""Orientation of a document whose emphasis has no majority group (均衡)."""
NONE = "none"
"""Orientation of a document that addresses none of the goals (未涉及)."""


# --------------------------------------------------------------------------- similarity


def similarity(a: np.ndarray, b: np.ndarray, method: Similarity = "cosine") -> np.ndarray:
    """Similarity of profiles along the last axis (broadcasting): cosine or 1 − JSD (bits).

    The array form of :func:`profile_similarity` (same formulas and references). A profile of
    zeros has no direction: its similarity is NaN.

    Examples
    --------
    >>> a, b = [1.0, 1.0], [1.0, 0.0]
    >>> similarity(a, b).round(4), similarity(a, b, "js").round(4)  # 1/√2; 1 − (0.8113 − 0.5)
    (np.float64(0.7071), np.float64(0.6887))
    """
    check_option("method", method, Similarity)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if method == "cosine":
        norm = np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = (a * b).sum(axis=-1) / norm
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            p = a / a.sum(axis=-1, keepdims=True)
            q = b / b.sum(axis=-1, keepdims=True)
        jsd = (entr((p + q) / 2).sum(axis=-1)
               - (entr(p).sum(axis=-1) + entr(q).sum(axis=-1)) / 2) / np.log(2)
        out = 1.0 - jsd
    return np.clip(out, 0.0, 1.0)


def profile_similarity(profiles: pd.DataFrame, other: pd.DataFrame | None = None, *,
                       method: Similarity = "cosine") -> pd.DataFrame:
    """轮廓相似度 Pairwise similarity of goal profiles (rows), cosine or Jensen–Shannon.

    .. math:: \\cos(p, q) = \\frac{\\sum_g p_g q_g}{\\lVert p\\rVert\\,\\lVert q\\rVert},
              \\qquad S_{JS}(p, q) = 1 - \\mathrm{JSD}(p, q),\\;
              \\mathrm{JSD} = H\\!\\left(\\tfrac{p+q}{2}\\right) - \\tfrac{H(p) + H(q)}{2}

    with H the Shannon entropy in bits, so JSD ∈ [0, 1] (Lin 1991, IEEE Trans. Information
    Theory 37(1):145–151); cosine as in Salton & McGill (1983, *Introduction to Modern
    Information Retrieval*, ch. 4). Both are 1 for identical profiles, symmetric and in [0, 1]
    for non-negative profiles; cosine ignores scale, JS compares the shares.

    Parameters
    ----------
    profiles : DataFrame
        One profile per row (e.g. :func:`goal_profiles`), goals as columns, values ≥ 0.
    other : DataFrame, optional
        Profiles to compare with (same columns); default ``profiles`` itself.
    method : {"cosine", "js"}

    Returns
    -------
    DataFrame
        Rows of ``profiles`` × rows of ``other``; NaN where a profile is all zeros.

    Examples
    --------
    >>> p = pd.DataFrame({"a": [1.0, 0.0], "b": [0.0, 1.0]}, index=["x", "y"])
    >>> profile_similarity(p).to_numpy().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    other = profiles if other is None else other
    if not profiles.columns.equals(other.columns):
        raise InputError("两组轮廓的目标列不一致 / profiles must have the same columns",
                         hint="用同一编码方案的目标 / use the same goals for both")
    a, b = profiles.to_numpy(dtype=float), other.to_numpy(dtype=float)
    if (a < 0).any() or (b < 0).any():
        raise InputError("轮廓不能有负值 / profiles must be non-negative",
                         hint="用 goal_profiles 的份额 / use shares from goal_profiles")
    values = similarity(a[:, None, :], b[None, :, :], method)
    return pd.DataFrame(values, index=profiles.index, columns=other.index)


# --------------------------------------------------------------------------- profiles


def _sums(data: Coded, key: pd.Series) -> pd.DataFrame:
    """Σ w_d e_dg per group (groups × codes): one matrix product."""
    groups = one_hot(key.loc[data.documents.index])
    return (groups.mul(data.weights, axis=0).T @ data.values).rename_axis(key.name)


def _shares(sums: pd.DataFrame) -> pd.DataFrame:
    total = sums.sum(axis=1)
    return sums.div(total.where(total > 0), axis=0)


def goal_profiles(documents: pd.DataFrame, codes: pd.DataFrame, goals: object, *,
                  by: str | None = "level", weight: Weight | None = "strength",
                  missing: CodeMissing = "raise") -> pd.DataFrame:
    """目标轮廓 Goal profile of each group of documents: emphasis-weighted share per goal.

    .. math:: p_{kg} = \\frac{\\sum_{d \\in k} w_d\\, e_{dg}}{\\sum_{g'} \\sum_{d\\in k} w_d\\,
              e_{dg'}}

    with :math:`e_{dg}` ∈ {0, 1, 2} the code of goal g in document d (未涉及/提及/重点) and
    :math:`w_d` the policy strength (1–5) or 1 — the strength-weighted attention the group
    pays to each goal, as in the goal coding of policy texts (e.g. 黄萃、任弢、张剑 2015,
    政策文献量化研究, 公共管理学报 12(2):129–137).

    Parameters
    ----------
    documents : DataFrame
        Documents indexed by ``doc_id`` (the policy data model): ``strength`` (with
        ``weight="strength"``), the ``by`` column (``level``; ``year`` for ``"period"``).
    codes : DataFrame
        Wide codes 0/1/2 indexed by ``doc_id`` (aligned on ``documents``; extra rows ignored).
    goals : list of str
        Goal code ids (e.g. ``scheme.goal_ids``).
    by : str or None
        ``"level"`` (中央 → 县), ``"period"`` (脱贫攻坚期 ≤ 2020, 过渡期 2021–2025,
        常态化帮扶期 ≥ 2026), ``"year"``, any other column, or None (one row ``"全部"``).
    weight : {"strength"} or None
        Weight documents by their strength, or count each once.
    missing : {"raise", "drop"}
        Documents with an unconfirmed code (``<NA>``) on a goal: raise, or leave them out
        (count in ``attrs["n_dropped"]``).

    Returns
    -------
    DataFrame
        Groups × goals, rows summing to 1 (NaN for a group that addresses no goal);
        ``attrs["n_documents"]`` per group.

    Examples
    --------
    >>> docs = pd.DataFrame({"level": ["中央", "省"], "strength": [5, 3]}, index=["a", "b"])
    >>> codes = pd.DataFrame({"g1": [2, 1], "g2": [0, 1]}, index=["a", "b"])
    >>> goal_profiles(docs, codes, ["g1", "g2"]).to_numpy().tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    data = coded(documents, codes, code_ids(goals, "goals"), weight=weight, missing=missing)
    key = group_key(data.documents, by)
    out = _shares(_sums(data, key))
    out.columns.name = "goal"
    out.attrs |= {"n_documents": key.value_counts(sort=False).to_dict(),
                  "n_dropped": data.n_dropped}
    return out


def goal_coverage(documents: pd.DataFrame, codes: pd.DataFrame, goals: object, *,
                  by: str | None = "level", weighted: bool = False, min_emphasis: int = 1,
                  weight: Weight | None = "strength",
                  missing: CodeMissing = "raise") -> pd.DataFrame:
    """目标覆盖度 Coverage of one group's goals by another (asymmetric).

    Group U *addresses* goal g when some document of U codes it at least ``min_emphasis``
    (1 = 提及, 2 = 重点). The coverage of U's goals by L is

    .. math:: C(U \\to L) = \\frac{\\sum_g a_{Ug}\\, b_{Lg}}{\\sum_g a_{Ug}}

    with :math:`a_{Ug}` = 1 if U addresses g (``weighted=False``) or U's profile share
    :math:`p_{Ug}` (``weighted=True``: goals U stresses count more), and :math:`b_{Lg}` = 1
    if L addresses g at all (≥ 1). C(U → U) = 1; C(U → L) ≠ C(L → U) in general — the
    question is whether the lower level takes up the upper level's goals, not the reverse.

    Parameters
    ----------
    documents, codes, goals, by, weight, missing
        As in :func:`goal_profiles`.
    weighted : bool
        Weight U's goals by its profile shares.
    min_emphasis : {1, 2}
        Emphasis at which U counts as addressing a goal (with ``weighted=False``).

    Returns
    -------
    DataFrame
        Rows U (whose goals are covered) × columns L (the covering group), values in [0, 1];
        NaN for a U that addresses no goal.

    Examples
    --------
    >>> docs = pd.DataFrame({"level": ["中央", "省"], "strength": [5, 3]}, index=["a", "b"])
    >>> codes = pd.DataFrame({"g1": [2, 1], "g2": [1, 0]}, index=["a", "b"])
    >>> goal_coverage(docs, codes, ["g1", "g2"]).loc["中央", "省"]  # 省 takes up g1 of 2
    np.float64(0.5)
    """
    if min_emphasis not in (1, 2):
        raise InputError(f"min_emphasis={min_emphasis!r} 须为 1 或 2 / must be 1 or 2",
                         column="min_emphasis", hint="1 = 提及即算，2 = 重点才算")
    data = coded(documents, codes, code_ids(goals, "goals"), weight=weight, missing=missing)
    key = group_key(data.documents, by)
    groups = one_hot(key)
    # highest code of each goal in each group: max over documents of indicator × code
    top = pd.DataFrame(np.max(groups.to_numpy()[:, :, None] * data.values.to_numpy()[:, None, :],
                              axis=0, initial=0.0),
                       index=groups.columns, columns=data.values.columns)
    covering = (top >= 1).astype(float)
    upper = _shares(_sums(data, key)) if weighted else (top >= min_emphasis).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = (upper.to_numpy() @ covering.to_numpy().T) / upper.to_numpy().sum(
            axis=1, keepdims=True)
    return pd.DataFrame(values, index=upper.index.rename("upper"),
                        columns=covering.index.rename("lower"))


# --------------------------------------------------------------------------- orientation


def goal_groups(framework: Framework | None = None) -> pd.Series:
    """目标分组 Goal (dimension) id → subsystem id of a framework: ``poverty`` (巩固/拓展,
    the 脱贫成果 subsystem) or ``revitalization`` (the five 振兴 dimensions) by default.

    Examples
    --------
    >>> goal_groups()["industry"], goal_groups()["employment"]
    ('revitalization', 'poverty')
    """
    framework = framework if framework is not None else load_framework()
    dims = framework.dimensions()
    return pd.Series(dims["subsystem"].to_numpy(), index=pd.Index(dims.index, name="goal"),
                     name="group")


def _group_sums(data: Coded, groups: pd.Series, minimum: float = 0.0) -> pd.DataFrame:
    """Per document, the emphasis (above ``minimum``) on each goal group (documents × groups)."""
    values = data.values.where(data.values > minimum, 0.0)
    return values.T.groupby(groups.reindex(values.columns).to_numpy(), sort=False).sum().T


def _check_groups(groups: pd.Series, goals: list[str]) -> pd.Series:
    if not isinstance(groups, pd.Series):
        raise InputError("groups 应为 Series：目标代码 → 组 / groups must map goal → group",
                         hint="例如 goal_groups() / e.g. goal_groups()")
    absent = [g for g in goals if g not in groups.index]
    if absent:
        raise InputError(f"目标 {absent[0]!r} 没有分组 / goal has no group", column=absent[0],
                         hint="groups 须为每个目标给出组（如 poverty / revitalization）")
    out = groups.reindex(goals)
    if out.nunique() < 2:
        raise InputError("目标分组至少要有两组 / need at least two goal groups",
                         hint="如 巩固拓展（poverty）与 乡村振兴（revitalization）")
    return out


def goal_orientation(documents: pd.DataFrame, codes: pd.DataFrame, groups: pd.Series, *,
                     normalize: bool = True, missing: CodeMissing = "raise") -> pd.Series:
    """文件目标取向 Orientation of each document: the goal group holding most of its emphasis.

    With :math:`m_{dh}` the emphasis of document d on the goals of group h — the mean
    :math:`\\sum_{g\\in h} e_{dg}/|h|` with ``normalize=True`` (default), the sum
    otherwise — d is oriented to h when :math:`m_{dh} > \\tfrac12 \\sum_{h'} m_{dh'}` (e.g.
    巩固-oriented when its emphasis lies mostly on the 脱贫成果 dimensions); :data:`MIXED` when
    no group has a majority, :data:`NONE` when it addresses no goal. The mean keeps the group
    sizes out of it: the default framework has 12 巩固/拓展 dimensions and 5 振兴 ones, so by
    sums a document that treats all goals alike would count as 巩固-oriented.

    Parameters
    ----------
    documents, codes, missing
        As in :func:`goal_profiles`.
    groups : Series
        Goal id → group label (e.g. :func:`goal_groups`); its index gives the goals.
    normalize : bool
        Compare the groups' mean emphasis per goal (default) rather than their sums.

    Returns
    -------
    Series
        One label per document (index ``doc_id``).

    Examples
    --------
    >>> docs = pd.DataFrame(index=["a", "b", "c"])
    >>> codes = pd.DataFrame({"g1": [2, 1, 0], "g2": [0, 1, 0]}, index=["a", "b", "c"])
    >>> goal_orientation(docs, codes, pd.Series({"g1": "p", "g2": "r"})).tolist()
    ['p', 'mixed', 'none']
    """
    goals = code_ids(groups, "groups")
    groups = _check_groups(groups, goals)
    data = coded(documents, codes, goals, weight=None, missing=missing)
    sums = _group_sums(data, groups)
    if normalize:
        sums = sums / groups.value_counts().reindex(sums.columns).to_numpy()
    total = sums.sum(axis=1)
    winner = sums.idxmax(axis=1)
    majority = sums.max(axis=1) > total / 2
    out = winner.where(majority, MIXED).where(total > 0, NONE)
    return out.rename("orientation")


# --------------------------------------------------------------------------- consistency


def group_name(group: object, language: Language = "zh") -> str:
    """Display name of a goal group or orientation (``poverty`` → 巩固拓展, ``mixed`` → 均衡);
    other labels as given.

    >>> group_name("revitalization"), group_name("poverty", "en"), group_name("振兴")
    ('乡村振兴', 'consolidation & extension', '振兴')
    """
    key = f"synergy_{group}" if group in (MIXED, NONE) else f"synergy_group_{group}"
    return label(key, language) if key in LABELS else str(group)


@dataclass(frozen=True)
class GoalConsistency:
    """目标一致性 Goal consistency of a coded corpus (see :func:`goal_consistency`).

    Attributes
    ----------
    profiles : DataFrame
        Goal profiles of the ``by`` groups (groups × goals, rows sum to 1).
    similarity : DataFrame
        Group × group profile similarity (symmetric, 1 on the diagonal).
    coverage : DataFrame
        Rows U × columns L: coverage of U's goals by L (asymmetric).
    orientation : Series
        Orientation of every document (a goal group, ``"mixed"`` or ``"none"``).
    orientation_profiles, orientation_similarity : DataFrame
        Profiles of the documents oriented to each goal group and their similarity.
    over_time : DataFrame
        Indexed by time (year or period): ``previous`` (the time compared with),
        ``similarity`` of the profile to the previous one, ``n_documents``.
    both : DataFrame
        Index (``scope``, ``value``) — scope ``"all"``, ``"level"``, ``"year"``: ``n_documents``,
        ``n_both`` (documents addressing goals of every group), ``share_both``.
    method, weight, by, time : str
        Options used; ``n_documents``, ``n_dropped`` counts.
    """

    profiles: pd.DataFrame
    similarity: pd.DataFrame
    coverage: pd.DataFrame
    orientation: pd.Series
    orientation_profiles: pd.DataFrame
    orientation_similarity: pd.DataFrame
    over_time: pd.DataFrame
    both: pd.DataFrame
    method: str
    weight: str | None
    by: str | None
    time: str
    n_documents: int
    n_dropped: int = 0

    def coverage_pairs(self) -> pd.DataFrame:
        """Coverage of each group's goals by every group after it in order (中央 → 省 → 市 →
        县 for levels): columns ``upper``, ``lower``, ``coverage``."""
        long = self.coverage.stack(future_stack=True).rename("coverage").reset_index()
        keep = (self.coverage.index.get_indexer(long["upper"])
                < self.coverage.columns.get_indexer(long["lower"]))
        return long.loc[keep].reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """One tidy table of the pairwise measures: ``measure`` (similarity / coverage /
        orientation_similarity / over_time), ``a``, ``b``, ``value``."""
        def pairs(matrix: pd.DataFrame, measure: str, upper_only: bool) -> pd.DataFrame:
            long = matrix.rename_axis(index="a", columns="b").stack(future_stack=True)
            long = long.rename("value").reset_index()
            if upper_only:
                keep = (matrix.index.get_indexer(long["a"])
                        < matrix.columns.get_indexer(long["b"]))
                long = long[keep]
            return long.assign(measure=measure)
        cover = self.coverage_pairs().rename(columns={"upper": "a", "lower": "b",
                                                      "coverage": "value"})
        time = self.over_time.dropna(subset=["previous"])
        frames = [pairs(self.similarity, "similarity", True), cover.assign(measure="coverage"),
                  pairs(self.orientation_similarity, "orientation_similarity", True),
                  pd.DataFrame({"a": time["previous"].to_numpy(), "b": time.index.to_numpy(),
                                "value": time["similarity"].to_numpy(), "measure": "over_time"})]
        table = pd.concat(frames, ignore_index=True)
        return table[["measure", "a", "b", "value"]]

    def summary(self, language: Language = "zh") -> str:
        """A few sentences in ``language``: similarity and coverage between levels, 巩固 vs 振兴
        orientation, change over time and the share of documents addressing both."""
        zh = is_zh(language)
        name = {"cosine": "余弦相似度" if zh else "cosine similarity",
                "js": "JS 相似度" if zh else "Jensen–Shannon similarity"}[self.method]
        lines = []
        pairs = self.to_frame()
        sims = pairs[pairs["measure"] == "similarity"].dropna(subset=["value"])
        if len(sims):
            low = sims.loc[sims["value"].idxmin()]
            lines.append(
                f"各组目标轮廓的{name}在 {sims['value'].min():.3f}–{sims['value'].max():.3f} "
                f"之间，最低为{low['a']}与{low['b']}（{low['value']:.3f}）。" if zh else
                f"The {name} of the groups' goal profiles ranges {sims['value'].min():.3f}–"
                f"{sims['value'].max():.3f}, lowest between {low['a']} and {low['b']} "
                f"({low['value']:.3f}).")
        cover = self.coverage_pairs().dropna(subset=["coverage"])
        if len(cover):
            parts = [(f"{r.lower}覆盖{r.upper}目标的 {r.coverage:.0%}" if zh else
                      f"{r.lower} covers {r.coverage:.0%} of {r.upper}'s goals")
                     for r in cover.itertuples()]
            lines.append(("目标覆盖度：" + "，".join(parts) + "。") if zh
                         else "Coverage: " + "; ".join(parts) + ".")
        osim = self.orientation_similarity
        if osim.shape[0] >= 2:
            counts = self.orientation.value_counts()
            (na, nb), (a, b) = ([counts.get(g, 0) for g in osim.index[:2]],
                                [group_name(g, language) for g in osim.index[:2]])
            lines.append(
                f"以{a}为主的文件 {na} 件、以{b}为主的 {nb} 件，"
                f"两类文件目标轮廓的{name}为 {osim.iloc[0, 1]:.3f}。" if zh else
                f"{na} documents are mainly on {a} and {nb} on {b}; the {name} of their goal "
                f"profiles is {osim.iloc[0, 1]:.3f}.")
        time = self.over_time["similarity"].dropna()
        if len(time):
            lines.append(
                f"相邻时期目标轮廓的{name}均值 {time.mean():.3f}（最低 {time.min():.3f}，"
                f"{time.idxmin()}）。" if zh else
                f"Mean {name} between consecutive periods {time.mean():.3f} (lowest "
                f"{time.min():.3f}, {time.idxmin()}).")
        overall = self.both.loc[("all", ALL)]
        lines.append(
            f"同时涉及各组目标的文件占 {overall['share_both']:.1%}（{int(overall['n_both'])}/"
            f"{int(overall['n_documents'])}）。" if zh else
            f"{overall['share_both']:.1%} of documents ({int(overall['n_both'])}/"
            f"{int(overall['n_documents'])}) address goals of every group.")
        if self.n_dropped:
            lines.append(f"未编码文件 {self.n_dropped} 件未计入。" if zh else
                         f"{self.n_dropped} uncoded documents left out.")
        return "\n".join(lines)


def _both_table(data: Coded, groups: pd.Series) -> pd.DataFrame:
    addresses = _group_sums(data, groups) > 0
    flag = addresses.all(axis=1).astype(float).rename("both")
    parts = []
    for scope, column in {"all": None, "level": "level", "year": "year"}.items():
        if column is not None and column not in data.documents.columns:
            continue
        docs = data.documents
        if column == "year":  # undated documents have no year: left out of this part only
            docs = docs.loc[docs["year"].notna()]
        key = group_key(docs, column)
        stats = flag.loc[docs.index].groupby(key, observed=True).agg(["size", "sum", "mean"])
        stats.index = pd.MultiIndex.from_product([[scope], list(stats.index)],
                                                 names=["scope", "value"])
        parts.append(stats)
    table = pd.concat(parts)
    table.columns = ["n_documents", "n_both", "share_both"]
    return table.astype({"n_documents": int, "n_both": int})


def goal_consistency(documents: pd.DataFrame, codes: pd.DataFrame, goals: object, *,
                     groups: pd.Series | None = None, by: str | None = "level",
                     time: Literal["year", "period"] = "year",
                     method: Similarity = "cosine", weight: Weight | None = "strength",
                     weighted_coverage: bool = False,
                     missing: CodeMissing = "raise") -> GoalConsistency:
    """目标一致性 Goal consistency: between levels, between 巩固- and 振兴-oriented documents,
    over time, and the share of documents that address both.

    Combines :func:`goal_profiles` (by ``by`` and by ``time``), :func:`profile_similarity`,
    :func:`goal_coverage` and :func:`goal_orientation`: similarity of the level profiles,
    coverage of each level's goals by the levels below, similarity of the profiles of the
    documents oriented to each goal group (巩固/拓展 vs 振兴 by default), similarity of each
    year's (period's) profile to the previous one, and the share of documents that address at
    least one goal of every group — overall, by level and by year. Documents without a year
    (a date that could not be verified) count everywhere except over time and by year.

    Parameters
    ----------
    documents, codes, goals, by, weight, missing
        As in :func:`goal_profiles`.
    groups : Series, optional
        Goal id → group; default :func:`goal_groups` of the default framework (``poverty`` =
        巩固/拓展, ``revitalization`` = 振兴), which must then know every goal.
    time : {"year", "period"}
        Time unit of the over-time comparison.
    method : {"cosine", "js"}
        Similarity (:func:`profile_similarity`).
    weighted_coverage : bool
        Weight the upper level's goals by its profile (:func:`goal_coverage`).

    Returns
    -------
    GoalConsistency

    Examples
    --------
    >>> docs = pd.DataFrame({"level": ["中央", "省", "省"], "year": [2021, 2021, 2022],
    ...                      "strength": [5, 3, 3]}, index=["a", "b", "c"])
    >>> codes = pd.DataFrame({"g1": [2, 1, 0], "g2": [1, 1, 2]}, index=["a", "b", "c"])
    >>> gc = goal_consistency(docs, codes, ["g1", "g2"],
    ...                       groups=pd.Series({"g1": "p", "g2": "r"}))
    >>> float(gc.both.loc[("all", "全部"), "share_both"])  # a and b address both
    0.6666666666666666
    """
    check_option("time", time, Literal["year", "period"])
    ids = code_ids(goals, "goals")
    groups = _check_groups(goal_groups() if groups is None else groups, ids)
    options = {"weight": weight, "missing": missing}
    data = coded(documents, codes, ids, **options)
    docs, sub = data.documents, codes.loc[data.documents.index]
    profiles = goal_profiles(docs, sub, ids, by=by, **options)
    orientation = goal_orientation(docs, sub, groups)
    oriented = orientation.isin(pd.unique(groups.to_numpy()))
    o_docs = docs.loc[oriented].assign(orientation=pd.Categorical(
        orientation[oriented], categories=list(pd.unique(groups.to_numpy()))))
    o_profiles = goal_profiles(o_docs, sub, ids, by="orientation", **options)
    # over time: only dated documents (a date that could not be verified stays empty)
    source = "period" if time == "period" and "period" in docs.columns else "year"
    dated = docs.loc[docs[source].notna()] if source in docs.columns else docs
    t_profiles = goal_profiles(dated, sub.loc[dated.index], ids, by=time, **options)
    steps = similarity(t_profiles.to_numpy()[:-1], t_profiles.to_numpy()[1:], method)
    over_time = pd.DataFrame({
        "previous": pd.Series([None, *t_profiles.index[:-1]], dtype=object).to_numpy(),
        "similarity": np.concatenate([[np.nan], steps]),
        "n_documents": [t_profiles.attrs["n_documents"][t] for t in t_profiles.index]},
        index=t_profiles.index)
    return GoalConsistency(
        profiles=profiles,
        similarity=profile_similarity(profiles, method=method),
        coverage=goal_coverage(docs, sub, ids, by=by, weighted=weighted_coverage, **options),
        orientation=orientation,
        orientation_profiles=o_profiles,
        orientation_similarity=profile_similarity(o_profiles, method=method),
        over_time=over_time,
        both=_both_table(data, groups),
        method=method, weight=weight, by=by, time=time,
        n_documents=len(docs), n_dropped=data.n_dropped)

