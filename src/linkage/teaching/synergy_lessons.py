"""Helpers of teaching notebook 5, policy synergy (教学笔记本 5 的辅助函数：政策协同).

The notebook ``notebooks/teaching/05_synergy.ipynb`` narrates and calls; every step that needs
more than one call into :mod:`linkage.synergy` lives here, tested, so that no notebook cell
defines a function. The ``*_figure`` functions take the value of one control as a keyword
(the pre-coding threshold, whose attention) and return a matplotlib ``Figure``: they are what
a slider or a drop-down redraws (:func:`linkage.teaching.widgets.interactive_figure`).

* :func:`document_labels` — short display names of documents (handouts show names, not ids);
* :func:`check_my_coding` — a participant's hand coding of one document against the confirmed
  codes, with Cohen's κ (the coding exercise);
* :func:`precoding_curve`, :func:`precoding_figure` — how the agreement of dictionary
  pre-codes with confirmed codes moves with the hit threshold for 重点 (``emphasis``);
* :func:`pmc_worked_example` — the PMC index of one document step by step;
* :func:`outcome_progress`, :func:`integration_for`, :func:`integration_figure` — outcome
  progress of the dimensions on a panel and the attention–progress diagnosis of a chosen set
  of documents.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from linkage.errors import InputError
from linkage.panel import PanelData
from linkage.plotting import setup_cjk
from linkage.scoring import score_framework
from linkage.synergy import (
    IntegrationResult,
    KappaResult,
    PolicyCorpus,
    apply_precoding,
    coding_agreement,
    cohen_kappa,
    dimension_progress,
    integration_table,
    mismatch_figure,
)
from linkage.synergy.pmc import PMC_VARIABLES
from linkage.synergy.scheme import (
    EMPHASIS_VALUES,
    INSTRUMENT_CATEGORIES,
    LEVELS,
    CodeKind,
    CodingScheme,
)

__all__ = [
    "ALL_LEVELS",
    "CodingCheck",
    "check_my_coding",
    "document_labels",
    "integration_figure",
    "integration_for",
    "outcome_progress",
    "pmc_worked_example",
    "precoding_curve",
    "precoding_figure",
]

#: Choice "every level" of :func:`integration_for` (all documents of the corpus).
ALL_LEVELS = "全部"

_PREFIX = re.compile(r"^(?:.*?关于(?=.{6,}))")
_EMPHASIS_NAMES = {0: "未涉及", 1: "提及", 2: "重点"}


def document_labels(documents: pd.DataFrame, *, width: int = 18) -> pd.Series:
    """Short display names of documents (文件简称): the title without the issuers before
    ``关于``, cut to ``width`` characters (``…``), with the year — for tables and figures of a
    handout, where ids such as ``zf2020-30`` mean nothing to a reader.

    Parameters
    ----------
    documents : pandas.DataFrame
        ``PolicyCorpus.documents`` (columns ``title``, ``year``), indexed by ``doc_id``.
    width : int
        Most characters of the shortened title.

    Returns
    -------
    pandas.Series
        ``doc_id`` → name; names made unique by the document id only if two would coincide.

    Examples
    --------
    >>> docs = pd.DataFrame({"title": ["中共中央 国务院关于实施乡村振兴战略的意见",
    ...                                "数字乡村发展战略纲要"],
    ...                      "year": [2018, pd.NA]}, index=["a", "b"])
    >>> document_labels(docs).tolist()
    ['实施乡村振兴战略的意见（2018）', '数字乡村发展战略纲要']
    """
    if width < 4:
        raise InputError(f"width={width} 太小 / width too small", hint="至少 4 个字符")
    full = documents["title"].astype(str)
    titles = full.str.replace(_PREFIX, "", regex=True)
    short = titles.where(titles.str.len() <= width, titles.str.slice(0, width - 1) + "…")
    if "level" in documents.columns:  # 中共某县委 某县人民政府关于…: keep the level in sight
        local = (documents["level"] != LEVELS[0]) & (titles != full)
        short = short.where(~local, documents["level"].astype(str) + "级·" + short)
    years = documents["year"] if "year" in documents.columns else pd.Series(pd.NA,
                                                                              index=documents.index)
    with_year = short + years.map(lambda y: "" if pd.isna(y) else f"（{int(y)}）")
    clash = with_year.duplicated(keep=False)
    return with_year.where(~clash, with_year + "·" + documents.index.astype(str)).rename("name")


@dataclass(frozen=True)
class CodingCheck:
    """A hand coding compared with the confirmed codes (see :func:`check_my_coding`).

    Attributes
    ----------
    kappa : KappaResult
        Cohen's κ over the codes compared (each code of the document is one pair).
    table : pandas.DataFrame
        One row per code, indexed by its Chinese name (``编码``): ``类别``, the hand codes
        (``你的编码`` or another label), ``确认编码``, ``一致``.
    """

    kappa: KappaResult
    table: pd.DataFrame

    @property
    def disagreements(self) -> pd.DataFrame:
        """The rows where the two codings differ."""
        return self.table[~self.table["一致"]]


def _code_key(scheme: CodingScheme, key: Hashable) -> str:
    names = {c.name_zh: c.id for c in scheme.codes}
    ids = set(scheme.code_ids)
    if key in ids:
        return str(key)
    if key in names:
        return names[key]
    raise InputError(f"编码方案中没有 “{key}” / no such code",
                     hint="用编码名称（如 就业拓展、资金投入）或编码 id；可选："
                          + "、".join(names))


def check_my_coding(corpus: PolicyCorpus, doc_id: str, mine: Mapping[Hashable, int], *,
                    kind: CodeKind | None = None, label: str = "你的编码") -> CodingCheck:
    """Compare a participant's codes of one document with its confirmed codes (我的编码与确认编码).

    Codes left out of ``mine`` count as 0 (未涉及), as on a coding sheet where only the codes
    a document addresses are filled in.

    Parameters
    ----------
    corpus : PolicyCorpus
        A corpus with confirmed codes of ``doc_id``.
    doc_id : str
        The document coded.
    mine : mapping
        Code (Chinese name such as ``"就业拓展"`` or code id) → 0, 1 or 2.
    kind : {None, "goal", "instrument"}
        Compare all codes (default) or the goals or instruments only.
    label : str
        Heading of the column of ``mine`` (e.g. 词典预编码 when ``mine`` are pre-codes).

    Returns
    -------
    CodingCheck

    Raises
    ------
    InputError
        Unknown document or code, a value other than 0/1/2, a document without confirmed codes.
    """
    scheme = corpus.scheme
    if doc_id not in corpus.codes.index:
        raise InputError(f"文本库中没有文件 {doc_id!r} / no such document",
                         hint="用 corpus.documents 的索引（文件编号）")
    ids = list(scheme.code_ids if kind is None else scheme.ids_of(kind))
    own = pd.Series(0, index=ids, dtype="Int64")
    for key, value in mine.items():
        code = _code_key(scheme, key)
        if isinstance(value, bool) or pd.isna(value) or value not in EMPHASIS_VALUES:
            raise InputError(f"“{key}” 的编码 {value!r} 须为 0、1 或 2 / codes are 0, 1, 2",
                             hint="0 未涉及、1 提及、2 重点")
        if code in own.index:
            own[code] = int(value)
    confirmed = corpus.codes.loc[doc_id, ids].astype("Int64")
    if confirmed.isna().any():
        raise InputError(f"文件 {doc_id!r} 尚无完整的确认编码 / codes not confirmed",
                         hint="选一份已编码的文件")
    table = pd.DataFrame({
        "类别": [scheme[c].group if scheme[c].kind == "goal"
               else INSTRUMENT_CATEGORIES[scheme[c].group][0] for c in ids],
        "编码": [scheme[c].name_zh for c in ids],
        label: own.map(_EMPHASIS_NAMES).to_numpy(),
        "确认编码": confirmed.map(_EMPHASIS_NAMES).to_numpy(),
        "一致": (own == confirmed).to_numpy(dtype=bool),
    }, index=pd.Index(ids, name="code_id")).set_index("编码")
    return CodingCheck(kappa=cohen_kappa(own, confirmed), table=table)


def _with_text(corpus: PolicyCorpus) -> PolicyCorpus:
    texts = corpus.texts.astype(str).str.strip()
    ids = texts.index[texts != ""]
    if not len(ids):
        raise InputError("文本库中没有全文，无法预编码 / no texts to pre-code",
                         hint="把全文放入 texts/ 文件夹并在 text_file 列登记")
    return corpus.subset(doc_ids=ids)


def precoding_curve(corpus: PolicyCorpus, thresholds: Iterable[int] = range(2, 9), *,
                    headings: bool = True) -> pd.DataFrame:
    """Agreement of dictionary pre-codes with the confirmed codes for each hit threshold of 重点
    (预编码阈值与一致性).

    For every ``emphasis`` threshold, :func:`linkage.synergy.apply_precoding` (a code is 2 when
    its keywords occur at least that often, 1 from one hit) on the documents with a full text,
    and the pooled Cohen's κ over all (document, code) pairs
    (:func:`linkage.synergy.coding_agreement`).

    Returns
    -------
    pandas.DataFrame
        Index ``emphasis``; columns ``kappa``, ``observed`` (share of pairs that agree),
        ``share_emphasis_auto`` and ``share_emphasis_confirmed`` (share of pairs coded 2),
        ``n_pairs``; ``attrs["n_documents"]``.
    """
    sub = _with_text(corpus)
    confirmed = sub.codes.stack(future_stack=True).dropna()
    rows = {}
    for emphasis in thresholds:
        auto = apply_precoding(sub, emphasis=int(emphasis), headings=headings)
        pooled = coding_agreement(auto).iloc[-1]
        rows[int(emphasis)] = {
            "kappa": pooled["kappa"], "observed": pooled["observed_agreement"],
            "share_emphasis_auto": float(
                (auto.auto_codes.stack(future_stack=True).dropna() == 2).mean()),
            "share_emphasis_confirmed": float((confirmed == 2).mean()),
            "n_pairs": int(pooled["n_pairs"])}
    out = pd.DataFrame.from_dict(rows, orient="index").rename_axis("emphasis")
    out.attrs["n_documents"] = len(sub)
    return out


def precoding_figure(corpus: PolicyCorpus, curve: pd.DataFrame, *, emphasis: int) -> Figure:
    """Left: κ of the pre-codes against the threshold (the chosen one marked); right: the
    3 × 3 table of pre-codes against confirmed codes at the chosen threshold.

    Parameters
    ----------
    corpus : PolicyCorpus
    curve : pandas.DataFrame
        :func:`precoding_curve` of the same corpus.
    emphasis : int
        The threshold shown (a value of ``curve``'s index).
    """
    if emphasis not in curve.index:
        raise InputError(f"emphasis={emphasis} 不在曲线的阈值中 / threshold not computed",
                         hint=f"可选 {curve.index.min()}–{curve.index.max()}")
    sub = _with_text(corpus)
    auto = apply_precoding(sub, emphasis=emphasis)
    pairs = pd.DataFrame({"auto": auto.auto_codes.stack(future_stack=True),
                          "confirmed": sub.codes.stack(future_stack=True)}).dropna()
    table = pd.crosstab(pairs["auto"].astype(int), pairs["confirmed"].astype(int)).reindex(
        index=list(EMPHASIS_VALUES), columns=list(EMPHASIS_VALUES), fill_value=0)
    setup_cjk()
    width, height = mpl.rcParams["figure.figsize"]
    fig = Figure(figsize=(width, max(height, 3.6)), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.3, 1])
    left.plot(curve.index, curve["kappa"], marker="o", color="C0")
    left.scatter([emphasis], [curve.loc[emphasis, "kappa"]], s=120, color="C3", zorder=3)
    left.set_xlabel("“重点”所需的关键词出现次数")
    left.set_ylabel("Cohen κ（预编码与确认编码）")
    left.set_title(f"阈值 {emphasis} 次：κ = {curve.loc[emphasis, 'kappa']:.3f}")
    left.set_xticks(list(curve.index))
    names = [_EMPHASIS_NAMES[v] for v in EMPHASIS_VALUES]
    right.imshow(table.to_numpy(), cmap="Blues")
    right.grid(False)
    peak = table.to_numpy().max()
    for (r, c), value in np.ndenumerate(table.to_numpy()):
        right.text(c, r, str(value), ha="center", va="center",
                   color="white" if value > 0.6 * peak else "black")
    right.set_xticks(range(3), names)
    right.set_yticks(range(3), names)
    right.set_xlabel("确认编码")
    right.set_ylabel("词典预编码")
    right.set_title("对照表（对角线上为一致）")
    return fig


def pmc_worked_example(items: pd.DataFrame, doc_id: Hashable,
                       names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The PMC index of one document step by step (PMC 指数的手算过程).

    Parameters
    ----------
    items : pandas.DataFrame
        0/1 secondary variables ``X<k>.<j>`` (and single columns such as ``X10``), one row per
        document (``PolicyCorpus.pmc_items``).
    doc_id : hashable
        The document.
    names : mapping, optional
        ``X<k>`` → name of the first-level variable (default the Chinese names of
        :data:`linkage.synergy.pmc.PMC_VARIABLES`).

    Returns
    -------
    pandas.DataFrame
        One row per first-level variable in numeric order: ``名称``, ``二级变量`` (the 0/1 items
        as text), ``个数`` n_k, ``得分 X_k`` (unrounded mean); a last row ``合计`` whose
        ``得分 X_k`` is the PMC index.
    """
    if doc_id not in items.index:
        raise InputError(f"PMC 表中没有文件 {doc_id!r} / document not scored",
                         hint="可选：" + "、".join(map(str, items.index)))
    names = PMC_VARIABLES["zh"] if names is None else names
    row = items.loc[doc_id].astype(int)
    first = row.index.str.extract(r"^(X\d+)", expand=False)
    if first.isna().any():
        raise InputError("PMC 列名须为 X<k>.<j> 或 X<k> / columns must be X<k>.<j>")
    groups = row.groupby(first.to_numpy(), sort=False)
    order = sorted(groups.groups, key=lambda k: int(k[1:]))
    table = pd.DataFrame({
        "名称": [names.get(k, "") for k in order],
        "二级变量": [" ".join(map(str, groups.get_group(k).tolist())) for k in order],
        "个数": [len(groups.get_group(k)) for k in order],
        "得分 X_k": [float(groups.get_group(k).mean()) for k in order],
    }, index=pd.Index(order, name="一级变量"))
    total = pd.DataFrame({"名称": ["PMC 指数"], "二级变量": [""],
                          "个数": [int(table["个数"].sum())],
                          "得分 X_k": [float(table["得分 X_k"].sum())]},
                         index=pd.Index(["合计"], name="一级变量"))
    return pd.concat([table, total])


def outcome_progress(data: PanelData, **options: object) -> pd.DataFrame:
    """Outcome progress of every dimension on a county panel (各维度的结果进展).

    :func:`linkage.scoring.score_framework` of ``data.panel`` (pooled min–max, entropy
    weights; ``options`` passed on, default ``missing="year_mean"``), then
    :func:`linkage.synergy.dimension_progress` between its first and last year.

    Returns
    -------
    pandas.DataFrame
        Indexed by dimension: ``first``, ``last`` (mean scores), ``change``.
    """
    options = {"missing": "year_mean", **options}
    scores = score_framework(data.panel, counties=data.counties, **options)
    return dimension_progress(scores.wide("dimension"))


def integration_for(corpus: PolicyCorpus, progress: pd.DataFrame, *, level: str = ALL_LEVELS,
                    weighting: str = "strength") -> IntegrationResult:
    """:func:`linkage.synergy.integration_table` of the documents of one level (or all),
    weighted by policy strength (``"strength"``) or each document once (``"equal"``), with
    the goals' Chinese names."""
    if level != ALL_LEVELS and level not in LEVELS:
        raise InputError(f"未知的层级 {level!r} / unknown level",
                         hint="可选：" + "、".join((ALL_LEVELS, *LEVELS)))
    if weighting not in ("strength", "equal"):
        raise InputError(f"weighting={weighting!r} 须为 strength 或 equal / unknown weighting")
    sub = corpus if level == ALL_LEVELS else corpus.subset(level=level)
    scheme = corpus.scheme
    return integration_table(
        sub.documents, sub.codes, scheme.goal_ids, progress, instruments=scheme.instrument_ids,
        weight="strength" if weighting == "strength" else None,
        names={g: scheme[g].name_zh for g in scheme.goal_ids})


def integration_figure(corpus: PolicyCorpus, progress: pd.DataFrame, *,
                       level: str = ALL_LEVELS, weighting: str = "strength") -> Figure:
    """The attention–progress mismatch figure (:func:`linkage.synergy.mismatch_figure`) of the
    documents of ``level`` (see :func:`integration_for`), its title naming the documents and
    Spearman's ρ."""
    result = integration_for(corpus, progress, level=level, weighting=weighting)
    who = {ALL_LEVELS: "全部文件", LEVELS[0]: "中央文件"}.get(level, f"{level}级文件")
    how = "按政策力度加权" if weighting == "strength" else "每份文件同等"
    rho = f"{result.spearman_rho:.2f}".replace("-0.00", "0.00")
    return mismatch_figure(result, title=f"{who}（{how}）：关注度与结果进展，ρ = {rho}")
