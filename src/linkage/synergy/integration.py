"""Goal–instrument–outcome integration (目标—手段—结果一体化): policy attention, instrument
effort and outcome progress of every framework dimension side by side.

The heart of the policy-synergy chapter (温美荣、刘万清《协同推进脱贫成果与乡村振兴有效衔接》: the
three synergies integrated as one goal–instrument–outcome chain). For each dimension (goal) g:

* **policy attention** :math:`A_g = \\sum_d w_d e_{dg} / (2\\sum_d w_d)` ∈ [0, 1] — the
  strength-weighted mean emphasis (0 未涉及, 1 提及, 2 重点) divided by its maximum 2: 1 when
  every document emphasises g, 0 when none addresses it;
* **instrument effort** :math:`E_g = \\sum_d w_d\\,\\mathbb 1[e_{dg}\\ge 1]\\,k_d / (K\\sum_d
  w_d)` ∈ [0, 1], with :math:`k_d` the number of distinct instruments document d uses and K the
  number of instruments — 1 when every document addresses g with every instrument;
* **outcome progress**: the change of the dimension score between two years
  (:func:`linkage.synergy.outcomes.dimension_progress`, from [2/7] ``score_framework``).

Rank agreement between attention and progress (Spearman's ρ, Kendall's τ-b) and a mismatch
diagnosis by quadrants (高关注低进展, 低关注高进展, 协同, 双低) say where attention has and has not
turned into outcomes. With 17 (or 16 scored) dimensions the rank correlations are descriptive:
their p-values test no causal link and have little power.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from linkage.checks import check_option
from linkage.errors import InputError
from linkage.labels import Language, is_zh, label
from linkage.plotting import setup_cjk
from linkage.synergy._inputs import CodeMissing, Weight, code_ids, coded

__all__ = [
    "QUADRANTS",
    "IntegrationResult",
    "Split",
    "instrument_effort",
    "integration_table",
    "mismatch_figure",
    "policy_attention",
]

Split = Literal["median", "mean"]

QUADRANTS: tuple[str, ...] = ("synergy", "unconverted", "unattended", "neglected")
"""Quadrant keys: high/high 协同, high attention/low progress 高关注低进展 (attention not yet
turned into outcomes), low attention/high progress 低关注高进展, low/low 双低; labels
``linkage.labels.label("synergy_q_" + key)``."""

_COLORS = {"synergy": "#2c7fb8", "unconverted": "#d95f02", "unattended": "#1b9e77",
           "neglected": "#7f7f7f"}
_MEANING = {
    "synergy": ("关注与进展一致", "attention and progress agree"),
    "unconverted": ("政策关注尚未转化为结果", "attention not (yet) turned into outcomes"),
    "unattended": ("进展并非来自文件的集中关注（或来自其他政策、既有趋势）",
                   "progress without concentrated attention (other policies or trends)"),
    "neglected": ("关注与进展均偏低，可能是政策短板", "both low: a possible policy gap"),
}


def policy_attention(documents: pd.DataFrame, codes: pd.DataFrame, goals: object, *,
                     weight: Weight | None = "strength",
                     missing: CodeMissing = "raise") -> pd.Series:
    """政策关注度 Policy attention of each goal: strength-weighted mean emphasis over its maximum.

    .. math:: A_g = \\frac{\\sum_d w_d\\, e_{dg}}{2 \\sum_d w_d} \\in [0, 1]

    with :math:`e_{dg}` ∈ {0, 1, 2} and :math:`w_d` the policy strength (1–5) or 1. Unlike the
    profile shares of :func:`linkage.synergy.goals.goal_profiles` (which sum to 1 over goals),
    attention is absolute: a goal that every document emphasises scores 1 whatever the others.

    Parameters
    ----------
    documents, codes, goals, weight, missing
        As in :func:`linkage.synergy.goals.goal_profiles`.

    Returns
    -------
    Series
        Indexed by goal.

    Examples
    --------
    >>> docs = pd.DataFrame({"strength": [4, 1]}, index=["a", "b"])
    >>> codes = pd.DataFrame({"g1": [2, 0], "g2": [1, 2]}, index=["a", "b"])
    >>> policy_attention(docs, codes, ["g1", "g2"]).tolist()  # (4·2)/10, (4·1 + 1·2)/10
    [0.8, 0.6]
    """
    data = coded(documents, codes, code_ids(goals, "goals"), weight=weight, missing=missing)
    if not len(data.documents):
        raise InputError("没有可用的文件 / no documents", hint="检查筛选条件和编码 / check")
    out = data.values.T @ data.weights / (2 * data.weights.sum())
    return out.rename("attention").rename_axis("goal")


def instrument_effort(documents: pd.DataFrame, codes: pd.DataFrame, goals: object,
                      instruments: object, *, weight: Weight | None = "strength",
                      missing: CodeMissing = "raise") -> pd.Series:
    """工具投入度 Instrument effort behind each goal: strength-weighted instrument breadth of the
    documents addressing it.

    .. math:: E_g = \\frac{\\sum_d w_d\\,\\mathbb 1[e_{dg} \\ge 1]\\, k_d}{K \\sum_d w_d}
              \\in [0, 1], \\qquad k_d = \\#\\{i : u_{di} \\ge 1\\}

    with K the number of instruments: 1 when every document addresses g using every
    instrument, 0 when no document addresses g. It grows with how many documents pursue g, how
    strong they are and how many distinct instruments they deploy.

    Parameters
    ----------
    documents, codes, goals, weight, missing
        As in :func:`linkage.synergy.goals.goal_profiles`.
    instruments : list of str
        Instrument code ids.

    Returns
    -------
    Series
        Indexed by goal.

    Examples
    --------
    >>> docs = pd.DataFrame({"strength": [4, 1]}, index=["a", "b"])
    >>> codes = pd.DataFrame({"g": [2, 1], "i1": [1, 0], "i2": [2, 1]}, index=["a", "b"])
    >>> float(instrument_effort(docs, codes, ["g"], ["i1", "i2"]).iloc[0])  # (4·2 + 1·1)/(2·5)
    0.9
    """
    goal_ids, inst = code_ids(goals, "goals"), code_ids(instruments, "instruments")
    overlap = sorted(set(goal_ids) & set(inst))
    if overlap:
        raise InputError(f"代码 {overlap[0]!r} 同时列为目标和工具 / a code is both goal and "
                         "instrument", column=overlap[0])
    data = coded(documents, codes, goal_ids + inst, weight=weight, missing=missing)
    if not len(data.documents):
        raise InputError("没有可用的文件 / no documents", hint="检查筛选条件和编码 / check")
    breadth = (data.values[inst] >= 1).sum(axis=1).to_numpy() * data.weights
    out = (data.values[goal_ids] >= 1).T.astype(float) @ breadth
    out = out / (len(inst) * data.weights.sum())
    return pd.Series(out, index=pd.Index(goal_ids, name="goal"), name="effort")


@dataclass(frozen=True)
class IntegrationResult:
    """目标—手段—结果 Integration of attention, instrument effort and outcome progress.

    Attributes
    ----------
    table : DataFrame
        Indexed by ``dimension``: ``name``, ``attention``, ``effort``, ``progress``, ``level``
        (score in the last year, if given), ``attention_rank``, ``effort_rank``,
        ``progress_rank`` (1 = highest, ties averaged), ``quadrant`` (a :data:`QUADRANTS` key;
        missing for a dimension without progress).
    spearman_rho, spearman_p, kendall_tau, kendall_p : float
        Rank agreement between attention and progress over the ``n`` dimensions with both
        (scipy ``spearmanr``; ``kendalltau``, τ-b). Descriptive: n is small.
    n : int
        Dimensions with attention and progress.
    split : {"median", "mean"}
        Where the quadrants are cut; ``attention_cut``, ``progress_cut`` the cut values
        (a value at the cut counts as high).
    not_scored : tuple of str
        Goals without an outcome score (left out of ranks and quadrants).
    not_coded : tuple of str
        Scored dimensions that are not goals of the scheme (ignored).
    n_documents : int
        Documents used.
    """

    table: pd.DataFrame
    spearman_rho: float
    spearman_p: float
    kendall_tau: float
    kendall_p: float
    n: int
    split: str
    attention_cut: float
    progress_cut: float
    not_scored: tuple[str, ...] = ()
    not_coded: tuple[str, ...] = ()
    n_documents: int = 0

    def _names(self, dims: tuple[str, ...]) -> list[str]:
        return self.table.loc[list(dims), "name"].astype(str).tolist()

    def to_frame(self, language: Language = "zh") -> pd.DataFrame:
        """The table with the quadrant's label in ``language`` (column ``quadrant_label``)."""
        quadrant = self.table["quadrant"]
        labels = quadrant.map(lambda q: label(f"synergy_q_{q}", language)
                              if isinstance(q, str) else "")
        return self.table.assign(quadrant_label=labels)

    def sentences(self, language: Language = "zh") -> pd.Series:
        """One sentence per dimension: its three numbers with ranks and its quadrant."""
        zh = is_zh(language)
        t = self.table
        def rank(r: float) -> str:
            return "—" if np.isnan(r) else f"{r:g}"
        out = {}
        for dim, row in t.iterrows():
            if not isinstance(row["quadrant"], str):
                out[dim] = (f"{row['name']}：政策关注度 {row['attention']:.3f}，暂无结果得分。"
                            if zh else f"{row['name']}: attention {row['attention']:.3f}, "
                            "no outcome score.")
                continue
            q = row["quadrant"]
            meaning = _MEANING[q][0 if zh else 1]
            out[dim] = (
                f"{row['name']}：政策关注度 {row['attention']:.3f}"
                f"（第 {rank(row['attention_rank'])} 位），工具投入度 {row['effort']:.3f}"
                f"（第 {rank(row['effort_rank'])} 位），结果进展 {row['progress']:+.3f}"
                f"（第 {rank(row['progress_rank'])} 位）——"
                f"{label(f'synergy_q_{q}', language)}：{meaning}。" if zh else
                f"{row['name']}: attention {row['attention']:.3f} (rank "
                f"{rank(row['attention_rank'])}), instrument effort {row['effort']:.3f} (rank "
                f"{rank(row['effort_rank'])}), progress {row['progress']:+.3f} (rank "
                f"{rank(row['progress_rank'])}) — {label(f'synergy_q_{q}', language)}: "
                f"{meaning}.")
        return pd.Series(out, name="sentence").rename_axis("dimension")

    def summary(self, language: Language = "zh") -> str:
        """A paragraph in ``language``: rank agreement and the dimensions of each quadrant."""
        zh = is_zh(language)
        t = self.table
        groups = {q: t.loc[t["quadrant"] == q, "name"].tolist() for q in QUADRANTS}
        sep = "、" if zh else ", "
        defined = not np.isnan(self.spearman_rho)
        if zh:
            text = (f"{self.n} 个维度上，政策关注度与结果进展的 Spearman 秩相关 ρ = "
                    f"{self.spearman_rho:.3f}（p = {self.spearman_p:.3f}），Kendall τ-b = "
                    f"{self.kendall_tau:.3f}（p = {self.kendall_p:.3f}）；维度较少，仅作描述。"
                    if defined else f"只有 {self.n} 个维度有结果得分或其数值全同，不计算秩相关。")
            text += "".join(f"{label(f'synergy_q_{q}', language)}：{sep.join(g)}。"
                            for q, g in groups.items() if g)
            if self.not_scored:
                text += f"无结果得分、未参与比较的目标：{sep.join(self._names(self.not_scored))}。"
            return text
        text = (f"Over {self.n} dimensions, Spearman's ρ between policy attention and outcome "
                f"progress is {self.spearman_rho:.3f} (p = {self.spearman_p:.3f}), Kendall's "
                f"τ-b {self.kendall_tau:.3f} (p = {self.kendall_p:.3f}); with so few dimensions "
                "this is descriptive. " if defined else
                f"Only {self.n} dimensions with outcome scores, or constant values: no rank "
                "correlation. ")
        text += " ".join(f"{label(f'synergy_q_{q}', language).capitalize()}: {sep.join(g)}."
                         for q, g in groups.items() if g)
        if self.not_scored:
            text += f" Goals without an outcome score: {sep.join(self._names(self.not_scored))}."
        return text


def _progress(progress: pd.Series | pd.DataFrame, score_level: pd.Series | None
              ) -> tuple[pd.Series, pd.Series | None]:
    if isinstance(progress, pd.DataFrame):
        if "change" not in progress.columns:
            raise InputError("progress 表须有 change 列 / progress table needs a change column",
                             column="change", hint="用 dimension_progress(scores) 的结果")
        score_level = progress["last"] if score_level is None and "last" in progress else (
            score_level)
        progress = progress["change"]
    if not isinstance(progress, pd.Series):
        raise InputError("progress 应为 Series：维度 → 得分变化 / progress must map dimension "
                         "→ change", hint="例如 dimension_progress(scores)['change']")
    values = pd.to_numeric(progress, errors="coerce")
    if values.isna().any():
        bad = list(values.index[values.isna()])
        raise InputError(f"维度 {bad[0]!r} 的进展不是数值 / progress is not numeric",
                         column=str(bad[0]), hint="去掉该维度或补齐 / drop or fill it")
    return values, score_level


def integration_table(documents: pd.DataFrame, codes: pd.DataFrame, goals: object,
                      progress: pd.Series | pd.DataFrame, *, instruments: object,
                      weight: Weight | None = "strength", score_level: pd.Series | None = None,
                      names: Mapping[str, str] | pd.Series | None = None,
                      split: Split = "median",
                      missing: CodeMissing = "raise") -> IntegrationResult:
    """目标—手段—结果一体化 Policy attention, instrument effort and outcome progress per dimension,
    their rank agreement and a mismatch diagnosis.

    Attention :math:`A_g` (:func:`policy_attention`), effort :math:`E_g`
    (:func:`instrument_effort`) and progress :math:`\\Delta_g` (passed in) are ranked (1 =
    highest); the agreement of attention and progress ranks is Spearman's ρ (Spearman 1904,
    American Journal of Psychology 15(1):72–101) and Kendall's τ-b (Kendall 1945, Biometrika
    33(3):239–251), both with scipy's p-values — descriptive with 16–17 dimensions. Each
    dimension falls into a quadrant by whether its attention and its progress reach the cut
    (``split="median"``: the medians over the dimensions, so about half are "high"; ``"mean"``:
    the means, i.e. a standardised score ≥ 0): 协同 (high, high), 高关注低进展 (attention not
    turned into outcomes), 低关注高进展, 双低.

    Parameters
    ----------
    documents, codes, goals, weight, missing
        As in :func:`linkage.synergy.goals.goal_profiles`.
    progress : Series or DataFrame
        Dimension id → change of the dimension score (e.g.
        ``dimension_progress(scores)["change"]``); or the whole
        :func:`~linkage.synergy.outcomes.dimension_progress` table (its ``last`` column then
        gives ``score_level``). Dimensions that are not goals are ignored (listed in
        ``not_coded``); goals without progress are kept without ranks (``not_scored``).
    instruments : list of str
        Instrument code ids (for the effort).
    score_level : Series, optional
        Dimension id → score level (e.g. the last year's mean), shown beside the change.
    names : mapping or Series, optional
        Dimension id → display name (e.g. the scheme's Chinese names); default the ids.
    split : {"median", "mean"}
        Cut of the quadrants.

    Returns
    -------
    IntegrationResult

    Examples
    --------
    >>> docs = pd.DataFrame({"strength": [2, 2]}, index=["a", "b"])
    >>> codes = pd.DataFrame({"g1": [2, 2], "g2": [1, 0], "g3": [0, 0],
    ...                       "i": [1, 1]}, index=["a", "b"])
    >>> r = integration_table(docs, codes, ["g1", "g2", "g3"],
    ...                       pd.Series({"g1": 0.1, "g2": 0.3, "g3": 0.2}), instruments=["i"])
    >>> r.table["quadrant"].tolist()
    ['unconverted', 'synergy', 'unattended']
    """
    check_option("split", split, Split)
    goal_ids = code_ids(goals, "goals")
    change, score_level = _progress(progress, score_level)
    attention = policy_attention(documents, codes, goal_ids, weight=weight, missing=missing)
    effort = instrument_effort(documents, codes, goal_ids, instruments, weight=weight,
                               missing=missing)
    names = pd.Series(names if names is not None else {}, dtype=object)
    table = pd.DataFrame({
        "name": [names.get(g, g) for g in goal_ids], "attention": attention, "effort": effort,
        "progress": change.reindex(goal_ids),
        "level": (score_level.reindex(goal_ids) if score_level is not None else np.nan)},
        index=pd.Index(goal_ids, name="dimension"))
    scored = table["progress"].notna()
    ranks = table.loc[scored, ["attention", "effort", "progress"]].rank(ascending=False)
    for column in ranks.columns:
        table[f"{column}_rank"] = ranks[column]
    part = table.loc[scored]
    cut = "median" if split == "median" else "mean"
    attention_cut = float(part["attention"].agg(cut)) if len(part) else np.nan
    progress_cut = float(part["progress"].agg(cut)) if len(part) else np.nan
    high_a = part["attention"] >= attention_cut
    high_p = part["progress"] >= progress_cut
    quadrant = np.select([high_a & high_p, high_a & ~high_p, ~high_a & high_p],
                         ["synergy", "unconverted", "unattended"], "neglected")
    table["quadrant"] = pd.Series(quadrant, index=part.index, dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant input or n < 3: NaN, said in summary
        rho, rho_p = (stats.spearmanr(part["attention"], part["progress"]) if len(part) >= 3
                      else (np.nan, np.nan))
        tau, tau_p = (stats.kendalltau(part["attention"], part["progress"]) if len(part) >= 3
                      else (np.nan, np.nan))
    data = coded(documents, codes, goal_ids, weight=weight, missing=missing)
    return IntegrationResult(
        table=table, spearman_rho=float(rho), spearman_p=float(rho_p), kendall_tau=float(tau),
        kendall_p=float(tau_p), n=int(scored.sum()), split=split,
        attention_cut=attention_cut, progress_cut=progress_cut,
        not_scored=tuple(table.index[~scored]),
        not_coded=tuple(d for d in change.index if d not in set(goal_ids)),
        n_documents=len(data.documents))


def _label_offsets(table: pd.DataFrame, ax, fig: Figure) -> list[tuple[float, float, str]]:
    """Offsets (points) and alignment of the point labels: for each point, from the top down,
    the first of eight places around it whose box overlaps no point and no label placed before
    (else the first place) — a small greedy placement so that close dimensions stay readable."""
    fig.canvas.draw()  # data → display transform with the final limits
    to_points = 72.0 / fig.dpi
    xy = ax.transData.transform(table[["attention", "progress"]].to_numpy(float)) * to_points
    widths = [8.0 * len(str(name)) + 2 for name in table["name"]]  # CJK: ~1 em per character
    places = [(8, 0, "left"), (-8, 0, "right"), (7, 10, "left"), (7, -10, "left"),
              (-7, 10, "right"), (-7, -10, "right"), (0, 15, "center"), (0, -15, "center")]
    placed = [(x - 6, y - 6, x + 6, y + 6) for x, y in xy]  # the points themselves
    chosen: dict[int, tuple[float, float, str]] = {}
    for i in np.argsort(-xy[:, 1], kind="stable"):
        boxes = []
        for dx, dy, align in places:
            left = xy[i, 0] + dx - {"left": 0, "right": widths[i], "center": widths[i] / 2}[align]
            boxes.append((left, xy[i, 1] + dy - 5, left + widths[i], xy[i, 1] + dy + 5))
        free = [k for k, b in enumerate(boxes)
                if not any(b[0] < p[2] and p[0] < b[2] and b[1] < p[3] and p[1] < b[3]
                           for p in placed)]
        k = free[0] if free else 0
        placed.append(boxes[k])
        chosen[int(i)] = places[k]
    return [chosen[i] for i in range(len(table))]


def mismatch_figure(result: IntegrationResult, *, language: Language = "zh",
                    title: str | None = None) -> Figure:
    """关注—进展错配图 Policy attention (x) against outcome progress (y), one labelled point per
    dimension, coloured by quadrant, with the quadrant cuts as dashed lines.

    Parameters
    ----------
    result : IntegrationResult
    language : {"zh", "en"}
        Language of the axis labels, title and legend (dimension names as in ``result``).
    title : str, optional
        Default 政策关注度与结果进展 / Policy attention and outcome progress; ``""`` for none
        (a report puts the title above the figure).

    Returns
    -------
    matplotlib.figure.Figure
    """
    setup_cjk()
    table = result.table.dropna(subset=["progress"])
    width, height = mpl.rcParams["figure.figsize"]
    fig = Figure(figsize=(width, max(height, 4.6)), layout="constrained")
    ax = fig.add_subplot()
    for q in QUADRANTS:
        part = table[table["quadrant"] == q]
        if len(part):
            ax.scatter(part["attention"], part["progress"], s=36, color=_COLORS[q],
                       label=label(f"synergy_q_{q}", language), zorder=3)
    for row, (dx, dy, align) in zip(table.itertuples(), _label_offsets(table, ax, fig),
                                     strict=True):
        ax.annotate(str(row.name), (row.attention, row.progress), xytext=(dx, dy),
                    textcoords="offset points", fontsize=8, ha=align, va="center")
    ax.axvline(result.attention_cut, color="#999999", linestyle="--", linewidth=0.8)
    ax.axhline(result.progress_cut, color="#999999", linestyle="--", linewidth=0.8)
    ax.set_xlabel(label("synergy_attention", language))
    ax.set_ylabel(label("synergy_progress", language))
    ax.set_title(label("synergy_mismatch_title", language) if title is None else title)
    ax.legend(loc="best", fontsize=8)
    return fig
