"""政策协同 (policy synergy): goals, instruments and outcomes of the policy system, as a chapter.

The founding argument of the field (温美荣、刘万清,《协同推进脱贫成果与乡村振兴有效衔接》) is that
effective linkage needs **policy synergy**: consistent goals (目标一致性), interoperable
instruments (手段相通性) and equivalent outcomes (结果同等性), integrated as one
goal–instrument–outcome chain. This chapter reads a policy corpus (:mod:`linkage.synergy`) against
the outcomes the chapters before it measured:

- the corpus by level, year and document type, and the list of documents (appendix);
- the goal profile of the report region's documents (central → province → prefecture → county;
  heat map), the coverage of the upper level's goals by the lower levels, the similarity of the
  巩固- and 振兴-oriented documents, the share of documents that address both
  (:func:`linkage.synergy.measures.goal_consistency`);
- the instrument mix (supply / environment / demand, Rothwell & Zegveld 1981) and its
  concentration (Herfindahl), the co-issuance network of agencies (density, centrality);
- the PMC index (Ruiz Estrada 2011) of the scored documents, with PMC surfaces;
- outcome equivalence: the gap between former poverty counties and the others, by prefecture,
  from the dimension scores of :func:`linkage.scoring.score_framework`;
- **the integration table**: for every dimension of the framework, policy attention, instrument
  effort and outcome progress side by side, their rank agreement and the mismatches (high
  attention, low progress and the reverse) — the heart of the chapter;
- the text assistance (keyword frequencies, agreement of dictionary pre-codes with the
  confirmed codes, Cohen's κ) in the appendix.

The corpus and every province-wide result are computed once per batch
(:func:`linkage.reporting.cache.once`); the parts that depend on the report's region (its own
documents, its progress) are cheap. Real documents' codes are illustrative (示例编码); simulated
documents are labelled 模拟.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from linkage import plotting
from linkage.checks import check_option
from linkage.errors import InputError
from linkage.frameworks import Framework, load_framework
from linkage.labels import Language, is_zh
from linkage.panel import PanelData
from linkage.reporting.document import DASH, Section, SectionBuilder
from linkage.synergy.pmc import PMC_BANDS, PMC_VARIABLES
from linkage.synergy.scheme import LEVELS
from linkage.synergy.text import agreement_report_table

if TYPE_CHECKING:
    from linkage.sections.overview import RegionScope
    from linkage.synergy.corpus import PolicyCorpus
    from linkage.synergy.goals import GoalConsistency
    from linkage.synergy.integration import IntegrationResult
    from linkage.synergy.network import CoissuanceNetwork
    from linkage.synergy.outcomes import OutcomeEquivalence
    from linkage.synergy.scheme import CodingScheme

__all__ = [
    "KEY",
    "LEVELS",
    "TITLE",
    "ProvinceSynergy",
    "build",
    "pmc_selection",
    "province_synergy",
    "read_policy_inputs",
    "region_documents",
    "title",
]

KEY = "policy_synergy"
TITLE: dict[str, str] = {"zh": "政策协同：目标、工具与成效",
                         "en": "Policy synergy: goals, instruments and outcomes"}

#: Administrative levels of the policy data model (:data:`linkage.synergy.scheme.LEVELS`) in
#: English reports.
_LEVEL_EN = {"中央": "Central", "省": "Province", "市": "Prefecture", "县": "County"}

#: PMC surfaces drawn when ``pmc_documents`` is empty: the best, the median and the weakest.
_SURFACES = 3


def title(language: Language = "zh") -> str:
    """The chapter title in ``language``."""
    return TITLE["zh" if is_zh(language) else "en"]


def _level_name(level: str, language: Language) -> str:
    return level if is_zh(language) else _LEVEL_EN.get(level, level)


# ---------------------------------------------------------------------------- inputs ----

def read_policy_inputs(policy_corpus: str = "", coding_sheet: str = "", scheme: str = "",
                       pmc_documents: str = "", framework: str = "",
                       pmc_bands: str = "") -> PolicyCorpus:
    """The policy corpus the chapter reads (读取政策语料): folder, coding sheet and scheme.

    ``policy_corpus`` empty reads the bundled sample (real central documents with illustrative
    coding, simulated provincial and local ones); a folder is read as the data model says
    (``policy_documents.csv|xlsx``, optional ``policy_codes``, ``pmc_items``, ``texts/``). A
    filled coding sheet (``coding_sheet``, .xlsx/.csv) is read back with validation and its
    confirmed codes replace the corpus's. ``pmc_documents`` (comma-separated ids) must name
    documents with PMC items. This is what :func:`linkage.reporting.inputs.check_report_inputs`
    runs before a report, so a broken file stops the run with its file, row and column.

    Parameters
    ----------
    policy_corpus : str
        A folder, or ``""`` for the bundled sample.
    coding_sheet : str
        A filled coding sheet, or ``""``.
    scheme : str
        A coding-scheme YAML, or ``""`` for the default scheme of ``framework``.
    pmc_documents : str
        Comma-separated document ids for the PMC surfaces, or ``""``.
    framework : str
        The indicator framework YAML (``""``: the default); the scheme's goals are its
        dimensions.
    pmc_bands : str
        PMC grade bands (``"9:完美,7:优秀,5:可接受,0:不良"`` style; ``""``: the default for ten
        first-level variables); the PMC items are scored with them, so bad bands or items
        stop the run here.

    Returns
    -------
    linkage.synergy.corpus.PolicyCorpus

    Raises
    ------
    linkage.errors.InputError
        A missing folder or file, a broken file (file, row, column named), no document with
        all its codes confirmed, an id of ``pmc_documents`` without PMC items.
    """
    from linkage.synergy.scheme import load_scheme

    fw = load_framework(framework or None)
    coding = load_scheme(scheme or None, framework=fw)
    from linkage.synergy.corpus import load_sample_corpus

    corpus = load_sample_corpus(policy_corpus or None, scheme=coding)
    if coding_sheet:
        from linkage.synergy.sheet import read_coding_sheet

        corpus = read_coding_sheet(coding_sheet, corpus)
    if not corpus.codes.notna().all(axis=1).any():
        raise InputError("政策文件还没有一件完成编码（目标与工具各列都已确认）/ no document has "
                         "confirmed codes yet", file=coding_sheet or policy_corpus or None,
                         column="coding_sheet",
                         hint="用 linkage.synergy.sheet.write_coding_sheet 导出编码表，逐件填写 "
                              "0/1/2 后以 coding_sheet 读回 / export a coding sheet, fill it in "
                              "and pass it as coding_sheet")
    pmc_selection(corpus, pmc_documents, pmc_bands)
    return corpus


def band_description(bands: Sequence[tuple[float, str]], language: Language = "zh") -> str:
    """The PMC grade bands in words (等级区间的文字说明), highest first.

    >>> band_description([(9, "完美"), (7, "优秀"), (5, "可接受"), (0, "不良")])
    '9 分以上为完美、7—9 分为优秀、5—7 分为可接受、5 分以下为不良'
    """
    from linkage.synergy.pmc import _EN_GRADES

    zh = is_zh(language)
    bands = [(lower, name if zh else _EN_GRADES.get(name, name)) for lower, name in bands]

    def num(x: float) -> str:
        return f"{x:g}"

    parts = []
    for i, (lower, name) in enumerate(bands):
        if i == 0:
            parts.append(f"{num(lower)} 分以上为{name}" if zh else f"{num(lower)} and above {name}")
        elif i == len(bands) - 1 and lower <= 0:
            upper = num(bands[i - 1][0])
            parts.append(f"{upper} 分以下为{name}" if zh else f"below {upper} {name}")
        else:
            upper = num(bands[i - 1][0])
            parts.append(f"{num(lower)}—{upper} 分为{name}" if zh else
                         f"{num(lower)}–{upper} {name}")
    return ("、" if zh else ", ").join(parts)


def _pmc_bands(text: str = "") -> list[tuple[float, str]] | None:
    """The PMC grade bands of the ``pmc_bands`` option (``""``: the default of
    :func:`linkage.synergy.pmc.pmc_index`, for ten first-level variables)."""
    from linkage.synergy.pmc import parse_bands

    return parse_bands(text) if str(text or "").strip() else None


def pmc_selection(corpus: PolicyCorpus, pmc_documents: str = "", bands: str = "") -> list[str]:
    """Documents whose PMC surfaces are drawn (PMC 曲面图的文件).

    ``pmc_documents`` names them (comma-separated ids, in that order); empty chooses the
    highest, the median and the lowest PMC of the scored documents (fewer when fewer are
    scored; none when no document has PMC items). ``bands`` as the ``pmc_bands`` option: the
    PMC items are scored (and so checked) with them.

    Raises
    ------
    linkage.errors.InputError
        An id that has no PMC items in the corpus.
    """
    items = corpus.pmc_items
    scored = [] if items is None else list(items.index.astype(str))
    wanted = [p.strip() for p in str(pmc_documents or "").split(",") if p.strip()]
    if not scored:
        if wanted:
            raise InputError("文本库没有 PMC 评分项 / no document has PMC items",
                             column="pmc_documents", hint="在文件夹中加入 pmc_items 表")
        return []
    from linkage.synergy.pmc import pmc_index

    ranked = pmc_index(items, bands=_pmc_bands(bands)).sort_values(
        ["PMC"], ascending=False, kind="stable").index
    if wanted:
        absent = [p for p in wanted if p not in scored]
        if absent:
            raise InputError(f"pmc_documents 中的文件 {absent[0]} 没有 PMC 评分项 / document has "
                             "no PMC items", column="pmc_documents",
                             hint=f"可选的文件编号：{'、'.join(scored[:8]) or '（无）'}")
        return list(dict.fromkeys(wanted))
    picks = [ranked[0], ranked[len(ranked) // 2], ranked[-1]][:min(_SURFACES, len(ranked))]
    return [str(p) for p in dict.fromkeys(picks)]


# ---------------------------------------------------------------- province-wide part ----

@dataclass(frozen=True)
class ProvinceSynergy:
    """The chapter's province-wide results, computed once per batch.

    Attributes
    ----------
    corpus : PolicyCorpus
        Documents, confirmed codes (coding sheet applied), dictionary pre-codes (kept apart),
        PMC items, texts, scheme.
    pmc : DataFrame or None
        :func:`linkage.synergy.pmc.pmc_index` of the scored documents.
    keywords : DataFrame or None
        Keyword frequencies by period and level (documents with text only).
    agreement : DataFrame or None
        Agreement of pre-codes with confirmed codes per code (Cohen's κ).
    dimensions : DataFrame
        Dimension scores of every county and year (index ``region_code, year``; one column per
        dimension id).
    equivalence : OutcomeEquivalence or None
        Outcome equivalence of former poverty counties and the others (None when the county
        table does not mark former poverty counties and prefectures).
    bands : tuple of (float, str)
        The PMC grade bands used (the ``pmc_bands`` option, else the default).
    """

    corpus: PolicyCorpus
    pmc: pd.DataFrame | None
    keywords: pd.DataFrame | None
    agreement: pd.DataFrame | None
    dimensions: pd.DataFrame
    equivalence: OutcomeEquivalence | None
    bands: tuple[tuple[float, str], ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The documents (one row per document)."""
        return self.corpus.documents.copy()

    def summary(self, language: Language = "zh") -> str:
        """One sentence: the corpus by level."""
        counts = self.corpus.documents["level"].value_counts()
        parts = [f"{_level_name(v, language)} {int(counts.get(v, 0))}" for v in LEVELS]
        return (f"政策文件 {len(self.corpus.documents)} 件（{'、'.join(parts)}）。"
                if is_zh(language) else
                f"{len(self.corpus.documents)} policy documents ({', '.join(parts)}).")


def province_synergy(data: PanelData, framework: Framework, corpus: PolicyCorpus, *,
                     language: Language = "zh",
                     bands: list[tuple[float, str]] | None = None) -> ProvinceSynergy:
    """Everything of the chapter that does not depend on the report's region (全省通用部分).

    Dictionary pre-codes of the documents with text (:func:`linkage.synergy.text.apply_precoding`,
    never over confirmed codes) and their agreement with the confirmed codes, keyword
    frequencies, the PMC index, the dimension scores of every county
    (:func:`linkage.scoring.score_framework`, entropy weights, missing values interpolated) and
    outcome equivalence.
    """
    from linkage.scoring import score_framework
    from linkage.synergy import text
    from linkage.synergy.outcomes import outcome_equivalence
    from linkage.synergy.pmc import pmc_index

    texts = corpus.texts.astype(str).str.strip()
    has_text = bool((texts != "").any())
    if has_text:
        corpus = text.apply_precoding(corpus)
    agreement = text.coding_agreement(corpus, language=language) if has_text else None
    keywords = text.keyword_frequencies(corpus) if has_text else None
    pmc = pmc_index(corpus.pmc_items, bands=bands) if len(corpus.pmc_items) else None
    scores = score_framework(data.panel, framework, counties=data.counties,
                             missing="interpolate")
    dimensions = scores.wide("dimension")
    counties = _county_table(data)
    equivalence = (outcome_equivalence(dimensions, counties)
                   if {"poverty_county", "prefecture_code"} <= set(counties.columns) else None)
    return ProvinceSynergy(corpus=corpus, pmc=pmc, keywords=keywords, agreement=agreement,
                           dimensions=dimensions, equivalence=equivalence,
                           bands=tuple(bands or PMC_BANDS))


def _county_table(data: PanelData) -> pd.DataFrame:
    """The county attributes (indexed by ``region_code``; empty when the data have none)."""
    table = data.counties
    return table if table is not None else pd.DataFrame(index=pd.Index([], name="region_code"))


# ------------------------------------------------------------------ the region's part ----

def region_documents(documents: pd.DataFrame, codes: tuple[str, ...], *, province: str,
                     prefectures: tuple[str, ...]) -> pd.DataFrame:
    """The documents that govern a region (本地区适用的政策文件): the central ones, the
    province's own, its prefectures' and its counties' (``codes``).

    Parameters
    ----------
    documents : DataFrame
        ``PolicyCorpus.documents`` (``level``, ``region_code``).
    codes : tuple of str
        The region's counties (one county, a prefecture's counties or every county).
    province : str
        The province's code (``xx0000``).
    prefectures : tuple of str
        The prefectures of the region (``xxxx00``).

    Returns
    -------
    DataFrame
        The rows of ``documents`` that apply, in their order.

    Examples
    --------
    >>> docs = pd.DataFrame({"level": ["中央", "省", "市", "县", "县"],
    ...                      "region_code": ["000000", "990000", "990300", "990327", "990125"]},
    ...                     index=["a", "b", "c", "d", "e"])
    >>> list(region_documents(docs, ("990327",), province="990000",
    ...                       prefectures=("990300",)).index)
    ['a', 'b', 'c', 'd']
    """
    level, code = documents["level"].astype(str), documents["region_code"].astype(str)
    keep = ((level == "中央") | ((level == "省") & (code == province))
            | ((level == "市") & code.isin(prefectures)) | ((level == "县") & code.isin(codes)))
    return documents[keep.to_numpy()]


# ---------------------------------------------------------------------------- labels ----

def _goal_names(framework: Framework, language: Language) -> pd.Series:
    """Dimension id → its name in ``language``."""
    return framework.dimensions()["name_zh" if is_zh(language) else "name_en"].astype(str)


def _goal_groups(framework: Framework, language: Language) -> pd.Series:
    """Dimension id → 巩固 / 拓展 / 振兴 (consolidate / extend / revitalize)."""
    dims = framework.dimensions()
    zh = is_zh(language)
    words = {"consolidate": "巩固" if zh else "Consolidate", "extend": "拓展" if zh else "Extend"}
    revitalize = "振兴" if zh else "Revitalize"
    return dims["function"].map(lambda f: words.get(str(f), revitalize)).astype(str)


def _sources(synergy: ProvinceSynergy, data: PanelData, language: Language, *,
             sample: bool) -> dict[str, str]:
    """资料来源 lines: the documents and their codes (``corpus``), the dimension scores
    (``outcome``), and both together (``both``)."""
    from linkage.sections.overview import data_source

    zh = is_zh(language)
    docs = synergy.corpus.documents
    real, simulated = int((~docs["simulated"]).sum()), int(docs["simulated"].sum())
    if sample:
        corpus = ("资料来源：中央文件的标题、文号、发文机关与日期据中国政府网、部委网站与新华社"
                  f"通稿等公开发布核对（{real} 件，编码为示例编码）；"
                  f"省、市、县文件为模拟文件（{simulated} 件，模拟）。"
                  if zh else
                  "Source: titles, numbers, issuers and dates of the central documents checked "
                  "against their publication by gov.cn, the ministries and Xinhua "
                  f"({real}, illustrative coding); provincial and local documents simulated "
                  f"({simulated}, simulated).")
    else:
        corpus = ("资料来源：用户提供的政策文件及其编码"
                  + (f"（其中 {simulated} 件标注为模拟）" if simulated else "") + "。" if zh else
                  "Source: policy documents and codes supplied by the user"
                  + (f" ({simulated} marked simulated)" if simulated else "") + ".")
    outcome = data_source(data, language)
    prefix = "资料来源：" if zh else "Source: "
    both = (corpus.rstrip("。") + "；成效：" + outcome.removeprefix(prefix) if zh else
            corpus.rstrip(".") + "; outcomes: " + outcome.removeprefix(prefix))
    return {"corpus": corpus, "outcome": outcome, "both": both}


# -------------------------------------------------------------------------- the chapter ----

@dataclass(frozen=True)
class _Context:
    """What the chapter's parts share."""

    synergy: ProvinceSynergy
    framework: Framework
    data: PanelData
    scope: RegionScope
    documents: pd.DataFrame      # the documents that govern the region
    codes: pd.DataFrame          # their confirmed codes
    progress: pd.DataFrame       # dimension progress of the region (first, last, change)
    language: Language
    sources: dict[str, str]
    sample: bool                 # the bundled sample corpus (real documents coded as examples)

    @property
    def zh(self) -> bool:
        return is_zh(self.language)


@dataclass(frozen=True)
class _Parts:
    """The results of the chapter's parts that findings and metrics read."""

    goals: GoalConsistency                 # of the region's documents
    mix: pd.DataFrame                      # kinds of instruments by level, with HHI
    network: CoissuanceNetwork
    equivalence: OutcomeEquivalence | None
    integration: IntegrationResult


def _corpus_key(policy_corpus: str, coding_sheet: str, scheme: str) -> dict[str, Any]:
    """The corpus inputs as a cache key: every file of the folder (by content)."""
    from linkage.reporting.inputs import input_files

    files = input_files({"policy_corpus": policy_corpus, "coding_sheet": coding_sheet,
                         "scheme": scheme})
    return {name: str(path) for name, path in files.items()}


def build(*, panel: str = "", counties: str = "", households: str = "", framework: str = "",
          region_code: str = "", start_year: int = 2015, end_year: int = 2025,
          language: Language = "zh", cache_dir: str = "", policy_corpus: str = "",
          coding_sheet: str = "", scheme: str = "", pmc_documents: str = "",
          pmc_bands: str = "") -> Section:
    """The policy-synergy chapter (政策协同章节) as a document section.

    Province-wide results (:func:`province_synergy`: corpus with pre-codes, PMC, co-issuance
    network, keyword frequencies, κ, dimension scores, outcome equivalence) are computed once per
    batch; the region's part (its documents: central, its province's, its prefecture's and its
    own; their goal consistency and instruments; progress and the integration table) is cheap.

    Parameters
    ----------
    panel, counties, households, framework, region_code, start_year, end_year, language,
    cache_dir
        The common report parameters (``households`` is not used by this chapter).
    policy_corpus : str
        A folder holding ``policy_documents.csv|xlsx`` and optional ``policy_codes``,
        ``pmc_items``, ``texts/``; empty = the bundled sample corpus.
    coding_sheet : str
        A filled coding sheet (.xlsx/.csv) whose confirmed codes are read back and used.
    scheme : str
        Coding scheme YAML (empty = the default scheme).
    pmc_documents : str
        Comma-separated document ids for the PMC surfaces (empty = highest, median, lowest).
    pmc_bands : str
        PMC grade bands, ``"9:完美,7:优秀,5:可接受,0:不良"`` style (empty = the default of
        :func:`linkage.synergy.pmc.pmc_index`, which needs ten first-level variables).

    Returns
    -------
    linkage.reporting.document.Section
        Main body: corpus table; goal heat map and goal-consistency table; instrument heat map,
        instrument-mix table; co-issuance network figure and table; PMC table and surfaces;
        outcome-equivalence table; integration table and mismatch chart. Appendix: the
        documents, the coding scheme, keyword frequencies, κ. Metrics ``synergy_documents``,
        ``synergy_coverage``, ``synergy_rank_agreement``, ``synergy_mismatch_dims``,
        ``synergy_pmc_mean``.
    """
    from linkage.panel import load_panel
    from linkage.reporting.cache import once
    from linkage.sections.overview import region_scope
    from linkage.synergy.outcomes import dimension_progress

    check_option("language", language, Language)
    plotting.setup_cjk()
    fw = load_framework(framework or None)
    data = load_panel(panel or None, counties=counties or None,
                      framework=fw).between_years(start_year, end_year)
    scope = region_scope(data, region_code, language=language)
    inputs = _corpus_key(policy_corpus, coding_sheet, scheme)
    corpus = once(cache_dir, "synergy-corpus", {**inputs, "framework": framework,
                                                "pmc_bands": pmc_bands},
                  lambda: read_policy_inputs(policy_corpus, coding_sheet, scheme,
                                             framework=framework, pmc_bands=pmc_bands))
    surfaces = pmc_selection(corpus, pmc_documents, pmc_bands)
    key = {**inputs, "panel": panel, "counties": counties, "framework": framework,
           "start_year": start_year, "end_year": end_year, "language": language,
           "pmc_bands": pmc_bands}
    synergy = once(cache_dir, "synergy-province", key,
                   lambda: province_synergy(data, fw, corpus, language=language,
                                            bands=_pmc_bands(pmc_bands)))
    table = _county_table(data)
    prefectures = tuple(sorted(table.reindex(list(scope.codes))["prefecture_code"].dropna()
                               .astype(str).unique())) if "prefecture_code" in table else ()
    docs = region_documents(synergy.corpus.documents, scope.codes,
                            province=f"{scope.codes[0][:2]}0000", prefectures=prefectures)
    if docs.empty:
        raise InputError(f"政策文件中没有适用于{scope.name}的文件 / no policy document applies to "
                         "the region", column="policy_corpus",
                         hint="政策文件表应包含中央文件，或本省、本市、本县的文件"
                              "（region_code 为其代码）")
    own = synergy.dimensions[
        synergy.dimensions.index.get_level_values("region_code").isin(scope.codes)]
    ctx = _Context(synergy=synergy, framework=fw, data=data, scope=scope, documents=docs,
                   codes=synergy.corpus.codes.reindex(docs.index),
                   progress=dimension_progress(own), language=language,
                   sources=_sources(synergy, data, language, sample=not policy_corpus),
                   sample=not policy_corpus)
    simulated = data.simulated or bool(docs["simulated"].any())
    b = SectionBuilder(KEY, title(language), language=language, simulated=simulated)
    _intro(b, ctx)
    _corpus_part(b, ctx)
    parts = _Parts(goals=_goals_part(b, ctx), mix=_instruments_part(b, ctx),
                   network=_network_part(b, ctx), equivalence=None, integration=None)
    _pmc_part(b, ctx, surfaces)
    parts = replace(parts, equivalence=_equivalence_part(b, ctx),
                    integration=_integration_part(b, ctx))
    _appendix(b, ctx)
    _findings(b, ctx, parts)
    _metrics(b, ctx, parts)
    _methods(b, ctx)
    return b.build()


# ----------------------------------------------------------------------------- parts ----

def _counts_by_level(docs: pd.DataFrame, language: Language) -> str:
    counts = docs["level"].astype(str).value_counts()
    sep = "、" if is_zh(language) else ", "
    unit = " 件" if is_zh(language) else ""
    return sep.join(f"{_level_name(v, language)} {int(counts[v])}{unit}"
                    for v in LEVELS if v in counts.index)


def _intro(b: SectionBuilder, ctx: _Context) -> None:
    docs, zh = ctx.documents, ctx.zh
    real = int((~docs["simulated"].astype(bool)).sum())
    simulated = len(docs) - real
    where = ctx.scope.name
    b.paragraph((
        "有效衔接需要政策协同：目标一致、手段相通、结果同等，并形成“目标—工具—成效”一体化的链条"
        "（温美荣、刘万清）。本章把这一框架变成可以复核的数字：先看本地区适用的政策文件"
        "在各层级的目标与工具，再把各维度的政策关注、工具投入与成效进展放在一起对照。"
        f"适用于{where}的政策文件共 {len(docs)} 件（{_counts_by_level(docs, ctx.language)}），"
        f"其中真实文件 {real} 件" + ("，编码为示例编码" if ctx.sample else "")
        + (f"；模拟文件 {simulated} 件，标注“模拟”，不代表任何真实地区的政策" if simulated else "")
        + "。") if zh else (
        "Effective linkage needs policy synergy: consistent goals, interoperable instruments and "
        "equivalent outcomes, joined in one goal–instrument–outcome chain (Wen and Liu). This "
        "chapter turns that frame into numbers that can be checked: the goals and instruments "
        "of the documents that govern the region at each level, then, dimension by dimension, "
        f"policy attention, instrument effort and outcome progress side by side. {len(docs)} "
        f"documents apply to {where} ({_counts_by_level(docs, ctx.language)}): {real} real "
        "documents" + (" with illustrative coding" if ctx.sample else "")
        + (f" and {simulated} simulated documents, labelled as such, which describe no real "
           "place" if simulated else "") + "."))


def _doc_type_names(scheme: CodingScheme, language: Language) -> dict[str, str]:
    """Document type → its name in ``language`` (文种 as written in Chinese reports)."""
    return {d.id: d.id if is_zh(language) else d.name_en for d in scheme.doc_types}


def _corpus_table(docs: pd.DataFrame, scheme: CodingScheme, language: Language
                  ) -> tuple[pd.DataFrame, dict]:
    """Documents by level: count, joint issuance, years, mean strength, main types."""
    zh = is_zh(language)
    names = _doc_type_names(scheme, language)
    level = pd.Categorical(docs["level"].astype(str), categories=list(LEVELS), ordered=True)
    grouped = docs.assign(_level=level, _joint=docs["n_issuers"] > 1).groupby(
        "_level", observed=True)
    sep = "、" if zh else ", "

    def types(frame: pd.DataFrame) -> str:
        counts = frame["doc_type"].astype(str).value_counts().head(3)
        return sep.join(f"{names.get(t, t)} {n}" for t, n in counts.items())

    heads = (["层级", "文件数（件）", "联合发文（件）", "最早年份", "最晚年份",
              "平均政策力度（1—5）", "主要文种（件）"] if zh else
             ["Level", "Documents", "Jointly issued", "First year", "Last year",
              "Mean strength (1–5)", "Main types"])
    table = pd.DataFrame({
        heads[0]: [_level_name(str(v), language) for v in grouped.size().index],
        heads[1]: grouped.size().to_numpy(),
        heads[2]: grouped["_joint"].sum().to_numpy(),
        heads[3]: grouped["year"].min().to_numpy(),
        heads[4]: grouped["year"].max().to_numpy(),
        heads[5]: grouped["strength"].mean().to_numpy(),
        heads[6]: [types(f) for _, f in grouped]})
    total = pd.DataFrame({heads[0]: ["合计" if zh else "Total"], heads[1]: [len(docs)],
                          heads[2]: [int((docs["n_issuers"] > 1).sum())],
                          heads[3]: [docs["year"].min()], heads[4]: [docs["year"].max()],
                          heads[5]: [docs["strength"].mean()], heads[6]: [types(docs)]})
    kinds = {heads[1]: "count", heads[2]: "count", heads[3]: "year", heads[4]: "year",
             heads[5]: "ratio", heads[0]: "text", heads[6]: "text"}
    return pd.concat([table, total], ignore_index=True), kinds


def _corpus_part(b: SectionBuilder, ctx: _Context) -> None:
    zh = ctx.zh
    b.heading("政策文件概况" if zh else "The policy documents")
    docs = ctx.documents
    joint = int((docs["n_issuers"] > 1).sum())
    b.paragraph((f"{{table:corpus}}按层级汇总本地区适用的政策文件：{docs['year'].min()}—"
                 f"{docs['year'].max()} 年共 {len(docs)} 件，其中多部门联合发文 {joint} 件。"
                 "政策力度按编码方案由层级、文种与发文机关确定（1—5，彭纪生等 2008）。"
                 "文件清单见{table:documents}。") if zh else
                (f"{{table:corpus}} summarises the documents that govern the region by level: "
                 f"{len(docs)} documents of {docs['year'].min()}–{docs['year'].max()}, {joint} "
                 "of them issued jointly by several bodies. Policy strength follows the coding "
                 "scheme from level, document type and issuer (1–5, Peng et al. 2008). "
                 "{table:documents} lists the documents."))
    table, kinds = _corpus_table(docs, ctx.synergy.corpus.scheme, ctx.language)
    b.table("corpus", "政策文件的层级、年份与文种" if zh else
            "Policy documents by level, year and type", table, source=ctx.sources["corpus"],
            kinds=kinds)


def _own_level(scope: RegionScope) -> str:
    """The level of the region's own documents: 县, 市 or 省."""
    return {"county": "县", "prefecture": "市", "province": "省"}[scope.kind]


def _consistency(ctx: _Context) -> GoalConsistency:
    from linkage.synergy.goals import goal_consistency, goal_groups

    scheme = ctx.synergy.corpus.scheme
    # documents without a verified date count in every comparison of levels; goal_consistency
    # leaves them out of the comparison over periods
    return goal_consistency(ctx.documents, ctx.codes, list(scheme.goal_ids),
                            groups=goal_groups(ctx.framework).reindex(list(scheme.goal_ids)),
                            time="period", missing="drop")


def _percent(value: float) -> str:
    return "—" if pd.isna(value) else f"{100 * value:.1f}%"


def _consistency_table(gc: GoalConsistency, language: Language) -> pd.DataFrame:
    """Coverage and similarity between the levels, orientation similarity, share of both."""
    from linkage.synergy.goals import group_name

    zh = is_zh(language)
    rows = []
    sims = gc.similarity
    for r in gc.coverage_pairs().itertuples():
        upper, lower = _level_name(str(r.upper), language), _level_name(str(r.lower), language)
        upper_zh = "中央" if upper == "中央" else f"{upper}级"
        rows.append((f"{lower}级文件覆盖{upper_zh}文件的目标" if zh else
                     f"{lower} documents covering the goals of {upper.lower()} documents",
                     _percent(r.coverage),
                     f"{sims.loc[r.upper, r.lower]:.3f}" if pd.notna(sims.loc[r.upper, r.lower])
                     else "—"))
    osim = gc.orientation_similarity
    if osim.shape[0] >= 2:
        a, c = (group_name(g, language) for g in osim.index[:2])
        rows.append((f"以{a}为主与以{c}为主的文件" if zh else
                     f"Documents mainly on {a} vs mainly on {c}", "—", f"{osim.iloc[0, 1]:.3f}"))
    steps = gc.over_time.dropna(subset=["previous", "similarity"])
    for now, step in steps.iterrows():
        then = str(step["previous"])
        rows.append((f"{now}与{then}的文件" if zh else
                     f"Documents of the {_PERIOD_EN.get(str(now), now).lower()} vs the "
                     f"{_PERIOD_EN.get(then, then).lower()} period", "—",
                     f"{step['similarity']:.3f}"))
    both = gc.both.loc[("all", gc.both.index.get_level_values("value")[0])]
    rows.append(("同时涉及巩固拓展与振兴目标的文件占比" if zh else
                 "Share of documents addressing both consolidation/extension and "
                 "revitalization goals", _percent(both["share_both"]), "—"))
    heads = (["指标", "覆盖度或占比", "目标轮廓相似度（余弦）"] if zh else
             ["Measure", "Coverage or share", "Goal-profile similarity (cosine)"])
    return pd.DataFrame(rows, columns=heads)


def _goal_heatmap(gc: GoalConsistency, ctx: _Context) -> Figure:
    zh = ctx.zh
    table = ctx.synergy.corpus.scheme.code_table(ctx.language)
    profiles = gc.profiles.T * 100
    profiles.index = [f"{table.at[g, 'group_label']}·{table.at[g, 'label']}" if zh else
                      f"{table.at[g, 'label']} ({table.at[g, 'group_label']})"
                      for g in profiles.index]
    profiles.columns = [_level_name(str(c), ctx.language) for c in profiles.columns]
    profiles.index.name, profiles.columns.name = None, None
    return plotting.heatmap(profiles, fmt=".1f", colorbar_label=(
        "目标关注份额（%）" if zh else "Share of goal attention (%)"))


def _goals_part(b: SectionBuilder, ctx: _Context) -> GoalConsistency:
    zh = ctx.zh
    gc = _consistency(ctx)
    b.heading("目标一致性" if zh else "Consistency of goals")
    own = _own_level(ctx.scope)
    cover = gc.coverage_pairs()
    central = cover[(cover["upper"] == "中央") & (cover["lower"] == own)]["coverage"]
    share = float(gc.both["share_both"].iloc[0])
    own_name = _level_name(own, ctx.language)
    coverage_text = ((f"{own_name}级文件覆盖了中央文件所涉目标的 {_percent(central.iloc[0])}"
                      if zh else f"{own_name} documents cover {_percent(central.iloc[0])} of "
                                 "the goals the central documents address")
                     if len(central) and pd.notna(central.iloc[0]) else
                     (f"本地区没有收录{own_name}级文件，无法计算本级对中央目标的覆盖" if zh else
                      f"no {own_name.lower()} documents of the region are in the corpus, so "
                      "their coverage of the central goals is not computed"))
    b.paragraph((
        "{figure:goals}给出各层级文件在各项政策目标上的关注份额"
        "（按编码强度与政策力度加权，每列合计 100%）；{table:consistency}列出上级目标被下级文件"
        f"覆盖的程度与目标轮廓的相似度。{coverage_text}；"
        f"同时涉及巩固拓展与振兴目标的文件占 {_percent(share)}。") if zh else (
        "{figure:goals} shows the share of attention each level's documents give to each goal "
        "(weighted by emphasis and policy strength; each column sums to 100%); "
        "{table:consistency} lists how far the lower levels take up the upper levels' goals "
        f"and how similar their goal profiles are. {coverage_text[:1].upper()}"
        f"{coverage_text[1:]}; {_percent(share)} of the documents address both consolidation/"
        "extension and revitalization goals."))
    mark = _mark(ctx)
    b.figure("goals", ("各层级政策文件的目标关注份额" if zh else
                       "Goal attention of the policy documents by level") + mark,
             _goal_heatmap(gc, ctx), source=ctx.sources["corpus"])
    b.table("consistency", ("政策目标的纵向覆盖与相似度" if zh else
                            "Vertical coverage and similarity of policy goals") + mark,
            _consistency_table(gc, ctx.language), source=ctx.sources["corpus"],
            kinds=None, notes=[
                "覆盖度：上级文件涉及（编码≥1）的目标中，下级文件也涉及的比例；"
                "相似度为两级目标轮廓的余弦相似度（1 = 完全一致）。" if zh else
                "Coverage: of the goals the upper level addresses (code ≥ 1), the share the "
                "lower level also addresses; similarity is the cosine similarity of the two "
                "goal profiles (1 = identical).", _uncoded_note(gc.n_dropped, ctx.language)])
    return gc


def _uncoded_note(n: int, language: Language) -> str:
    """A note on documents left out because their codes are not confirmed yet ("" if none)."""
    if not n:
        return ""
    return (f"尚未确认编码的文件 {n} 件未计入。" if is_zh(language) else
            f"{n} documents whose codes are not confirmed yet are left out.")


def _mark(ctx: _Context) -> str:
    """Title suffix when simulated documents are among those shown."""
    if not ctx.documents["simulated"].astype(bool).any():
        return ""
    return "（含模拟文件）" if ctx.zh else " (incl. simulated documents)"


def _instrument_mix(ctx: _Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Instrument shares by level (single instruments) and category shares with their HHI."""
    from linkage.synergy.instruments import herfindahl, instrument_mix

    table = ctx.synergy.corpus.scheme.code_table(ctx.language)
    instruments = list(ctx.synergy.corpus.scheme.instrument_ids)
    options = {"by": "level", "missing": "drop"}
    single = instrument_mix(ctx.documents, ctx.codes, instruments, **options)
    categories = table.loc[instruments, "group_label"]
    grouped = instrument_mix(ctx.documents, ctx.codes, instruments,
                             categories=categories, **options)
    return single, grouped.join(herfindahl(single))


def _instrument_heatmap(single: pd.DataFrame, ctx: _Context) -> Figure:
    zh = ctx.zh
    table = ctx.synergy.corpus.scheme.code_table(ctx.language)
    grid = single.T * 100
    grid.index = [f"{table.at[i, 'group_label']}·{table.at[i, 'label']}" if zh else
                  f"{table.at[i, 'label']} ({table.at[i, 'group_label']})" for i in grid.index]
    grid.columns = [_level_name(str(c), ctx.language) for c in grid.columns]
    grid.index.name, grid.columns.name = None, None
    return plotting.heatmap(grid, fmt=".1f", colorbar_label=(
        "工具使用份额（%）" if zh else "Share of instrument use (%)"))


def _instruments_part(b: SectionBuilder, ctx: _Context) -> pd.DataFrame:
    zh = ctx.zh
    single, grouped = _instrument_mix(ctx)
    b.heading("手段相通性" if zh else "Interoperability of instruments")
    mark = _mark(ctx)
    categories = [c for c in grouped.columns if c not in ("hhi", "hhi_normalized",
                                                         "equivalent_number", "n")]
    whole = grouped.dropna(subset=["hhi"])
    top = whole["hhi"].idxmax() if len(whole) else None
    b.paragraph((
        "{figure:instruments}按供给型、环境型、需求型三类（Rothwell 与 Zegveld 1981）"
        "给出各层级文件使用各项政策工具的份额；{table:mix}汇总三类工具的结构与赫芬达尔指数"
        "（HHI，越接近 1 越集中于少数工具）。"
        + (f"工具最集中的是{_level_name(str(top), ctx.language)}级文件"
           f"（HHI {whole.at[top, 'hhi']:.3f}，相当于 {whole.at[top, 'equivalent_number']:.1f} "
           "种等量使用的工具）。" if top is not None else "")) if zh else (
        "{figure:instruments} shows the share of each instrument in each level's documents, "
        "grouped as supply, environment and demand instruments (Rothwell and Zegveld 1981); "
        "{table:mix} summarises the three kinds and the Herfindahl index (HHI; closer to 1 = "
        "concentrated on few instruments)."
        + (f" The most concentrated are the {_level_name(str(top), ctx.language).lower()} "
           f"documents (HHI {whole.at[top, 'hhi']:.3f}, as if "
           f"{whole.at[top, 'equivalent_number']:.1f} instruments were used equally)."
           if top is not None else "")))
    b.figure("instruments", ("各层级政策文件的政策工具结构" if zh else
                             "Instrument mix of the policy documents by level") + mark,
             _instrument_heatmap(single, ctx), source=ctx.sources["corpus"])
    heads = {"hhi": "HHI", "equivalent_number": "等效工具数" if zh else "Equivalent number"}
    frame = grouped[categories] * 100
    frame.columns = [f"{c}（%）" if zh else f"{c} (%)" for c in categories]
    frame[heads["hhi"]] = grouped["hhi"]
    frame[heads["equivalent_number"]] = grouped["equivalent_number"]
    frame.insert(0, "层级" if zh else "Level",
                 [_level_name(str(v), ctx.language) for v in grouped.index])
    kinds = {c: "percent" for c in frame.columns[1:1 + len(categories)]}
    kinds |= {heads["hhi"]: "score", heads["equivalent_number"]: "ratio"}
    b.table("mix", ("各层级政策工具的类别结构与集中度" if zh else
                    "Instrument kinds and concentration by level") + mark,
            frame.reset_index(drop=True), source=ctx.sources["corpus"], kinds=kinds,
            appendix=True,
            notes=[f"HHI 按 {len(single.columns)} 项具体工具的份额计算"
                   "（Herfindahl 1950；Hirschman 1964）；等效工具数 = 1 / HHI。" if zh else
                   f"HHI over the shares of the {len(single.columns)} single instruments "
                   "(Herfindahl 1950; Hirschman 1964); equivalent number = 1 / HHI."])
    return grouped


def _short_titles(docs: pd.DataFrame, language: Language) -> dict[str, str]:
    """Document id → a short reader name: its 文号 when it has one, else its title (cut)."""
    zh = is_zh(language)
    number = docs["doc_number"].fillna("").astype(str)
    titles = docs["title"].astype(str).map(lambda t: t if len(t) <= 22 else t[:21] + "…")
    names = number.where(number.str.len().between(1, 20), titles)
    flag = docs["simulated"].astype(bool)
    names = names.where(~flag, names + ("（模拟）" if zh else " (simulated)"))
    return dict(zip(docs.index.astype(str), names, strict=True))


def _pmc_part(b: SectionBuilder, ctx: _Context, surfaces: list[str]) -> None:
    from linkage.synergy.pmc import pmc_report_table, pmc_surface_figure

    zh = ctx.zh
    pmc = ctx.synergy.pmc
    if pmc is None or pmc.empty:
        return
    lang = "zh" if zh else "en"
    docs = ctx.synergy.corpus.documents
    names = _short_titles(docs, ctx.language)
    b.heading("政策文本的 PMC 评价" if zh else "PMC evaluation of the policy texts")
    best = pmc["PMC"].idxmax()
    k = len(pmc.columns) - 3  # X1 … Xk, PMC, rank, grade
    bands_text = band_description(ctx.synergy.bands, ctx.language)
    b.paragraph((
        f"{{table:pmc}}按 PMC 指数模型（Ruiz Estrada 2011）评价 {len(pmc)} 件文件的 "
        f"{k} 个一级变量，PMC 为各一级变量得分之和（满分 {k}），{bands_text}；"
        "凹陷指数为满分与 PMC 之差，并列出每件文件低于平均水平的一级变量"
        "（各一级变量得分见{table:pmc_detail}）。"
        f"得分最高的是{names[str(best)]}（{pmc.at[best, 'PMC']:.2f}）；"
        f"全部文件平均 {pmc['PMC'].mean():.2f}。"
        + ("{figure:pmc_surface}以 PMC 曲面显示所选文件各一级变量的高低，"
           "凹陷之处即文件的薄弱环节。" if surfaces else "")) if zh else (
        f"{{table:pmc}} scores {len(pmc)} documents on the {k} first-level variables of the "
        "PMC index model (Ruiz Estrada 2011): the PMC is the sum of the variables (at most "
        f"{k}); {bands_text}. The depression index is the distance to the full score, and "
        "each document's variables below the average are listed ({table:pmc_detail} gives "
        "every variable). "
        f"The highest is {names[str(best)]} ({pmc.at[best, 'PMC']:.2f}); the mean is "
        f"{pmc['PMC'].mean():.2f}."
        + (" {figure:pmc_surface} draws the PMC surfaces of selected documents: the dips are "
           "their weak variables." if surfaces else "")))
    mark = ("（含模拟文件）" if zh else " (incl. simulated documents)") if docs.loc[
        pmc.index, "simulated"].astype(bool).any() else ""
    notes = ["一级变量得分为其二级变量（0/1）的均值；PMC 由未四舍五入的得分相加。" if zh else
             "A first-level score is the mean of its 0/1 items; the PMC adds the unrounded "
             "scores."]
    brief = pmc_report_table(pmc, names=names, language=ctx.language,
                             variable_names=PMC_VARIABLES[lang], brief=True)
    b.table("pmc", ("政策文件的 PMC 指数" if zh else "PMC index of the policy documents") + mark,
            brief, source=ctx.sources["corpus"],
            kinds={brief.columns[1]: "ratio", brief.columns[2]: "int",
                   brief.columns[4]: "ratio"},
            notes=[notes[0] + ("低于均值：低于所评文件该变量的平均得分，差距大者在前。" if zh else
                               " Below the mean: under the average of the documents scored, "
                               "the largest gap first.")])
    table = pmc_report_table(pmc, names=names, language=ctx.language,
                             variable_names=PMC_VARIABLES[lang])
    kinds = {c: "ratio" for c in table.columns[1:-2]}
    b.table("pmc_detail", ("政策文件 PMC 指数的一级变量得分" if zh else
                           "First-level PMC scores of the policy documents") + mark,
            table, source=ctx.sources["corpus"], kinds=kinds | {table.columns[-2]: "int"},
            notes=notes, appendix=True)
    if surfaces:
        b.figure("pmc_surface", ("所选政策文件的 PMC 曲面" if zh else
                                 "PMC surfaces of selected documents") + mark,
                 pmc_surface_figure(pmc, surfaces, language=ctx.language,
                                    variable_names=PMC_VARIABLES[lang], names=names),
                 source=ctx.sources["corpus"], appendix=True)


def _network_part(b: SectionBuilder, ctx: _Context) -> CoissuanceNetwork:
    from linkage.synergy.network import coissuance_network, network_figure

    zh = ctx.zh
    net = coissuance_network(ctx.documents)
    top = net.nodes[net.nodes["degree"] > 0].sort_values(
        ["weighted_degree", "betweenness"], ascending=False).head(8)
    hub = top.iloc[0] if len(top) else None
    b.paragraph((
        f"联合发文是部门协同的直接证据。{{figure:network}}把共同发文的机关连成网络："
        f"{net.n_documents} 件文件涉及 {len(net.nodes)} 个发文机关，多部门联合发文 "
        f"{net.n_joint} 件（{net.share_joint:.1%}），网络密度 {net.density:.3f}"
        + (f"，联系最广的是{hub['short_name']}（与 {int(hub['degree'])} 个机关联合发文 "
           f"{int(hub['weighted_degree'])} 次）" if hub is not None else "")
        + "；各机关的中心性见{table:agencies}。") if zh else (
        "Joint issuance is direct evidence of coordination between departments. "
        f"{{figure:network}} links the bodies that issued documents together: "
        f"{net.n_documents} documents from {len(net.nodes)} issuing bodies, {net.n_joint} "
        f"issued jointly ({net.share_joint:.1%}); network density {net.density:.3f}"
        + (f"; the best connected is {hub['short_name']} ({int(hub['weighted_degree'])} joint "
           f"issues with {int(hub['degree'])} bodies)" if hub is not None else "")
        + ". {table:agencies} gives the centralities."))
    # cooperation only: agencies that never issue jointly are counted in the note, not drawn
    fig = network_figure(net, language=ctx.language, title="", isolates=False, labels=None)
    alone = int((net.nodes["degree"] == 0).sum())
    b.figure("network", "发文机关的联合发文网络" if zh else
             "Co-issuance network of the issuing bodies", fig, source=ctx.sources["corpus"],
             notes=[("节点为发文机关，连线表示共同发文，线越粗联合发文越多"
                     + (f"；另有 {alone} 个机关只单独发文，未画出。" if alone else "。"))
                    if zh else
                    "Nodes are issuing bodies; a line joins bodies that issued a document "
                    "together, thicker for more joint documents"
                    + (f"; {alone} bodies that only issue alone are not drawn." if alone
                       else ".")])
    heads = (["发文机关", "发文数（件）", "联合发文（件）", "合作机关数", "联合发文次数",
              "度中心性", "中介中心性"] if zh else
             ["Issuing body", "Documents", "Jointly issued", "Partners", "Joint issues",
              "Degree centrality", "Betweenness"])
    frame = top[["short_name", "n_documents", "n_joint", "degree", "weighted_degree",
                 "degree_centrality", "betweenness"]].set_axis(heads, axis=1)
    if len(frame):
        b.table("agencies", "联合发文网络中联系最多的发文机关" if zh else
                "The best connected issuing bodies of the co-issuance network",
                frame.reset_index(drop=True), source=ctx.sources["corpus"], appendix=True,
                kinds={heads[0]: "text", heads[1]: "count", heads[2]: "count",
                       heads[3]: "count", heads[4]: "count", heads[5]: "score",
                       heads[6]: "score"},
                notes=[f"网络密度 {net.density:.3f}，连通分量 {net.n_components} 个；中介中心性按"
                       "跳数计算并标准化（Freeman 1977）。" if zh else
                       f"Network density {net.density:.3f}, {net.n_components} components; "
                       "betweenness on hop counts, normalised (Freeman 1977)."])
    return net


def _documents_table(docs: pd.DataFrame, scheme: CodingScheme, language: Language, *,
                     sample: bool) -> pd.DataFrame:
    zh = is_zh(language)
    types = _doc_type_names(scheme, language)
    order = docs.assign(_level=pd.Categorical(docs["level"].astype(str), categories=list(LEVELS),
                                              ordered=True)).sort_values(["_level", "date"])
    real = (("真实文件，示例编码" if zh else "Real, illustrative coding") if sample else
            ("真实文件" if zh else "Real"))
    coding = np.where(order["simulated"].astype(bool), "模拟文件" if zh else "Simulated", real)
    heads = (["标题", "文号", "发文机关", "层级", "日期", "文种", "政策力度", "说明"] if zh else
             ["Title", "Number", "Issued by", "Level", "Date", "Type", "Strength", "Note"])
    return pd.DataFrame({
        heads[0]: order["title"].astype(str).to_numpy(),
        heads[1]: order["doc_number"].fillna("").astype(str).replace("", "—").to_numpy(),
        heads[2]: order["issuers"].astype(str).to_numpy(),
        heads[3]: [_level_name(str(v), language) for v in order["level"]],
        heads[4]: pd.to_datetime(order["date"]).dt.strftime("%Y-%m-%d").to_numpy(),
        heads[5]: order["doc_type"].astype(str).map(lambda t: types.get(t, t)).to_numpy(),
        heads[6]: order["strength"].to_numpy(),
        heads[7]: coding})


#: The policy periods of the keyword table in English.
_PERIOD_EN = {"脱贫攻坚期": "Campaign to 2020", "过渡期": "Transition 2021–2025",
              "常态化帮扶期": "Regular from 2026"}


def _keyword_table(keywords: pd.DataFrame, language: Language, top: int = 10) -> pd.DataFrame:
    """Rank × (period, level): ``term (count)``, the most frequent terms of each group."""
    zh = is_zh(language)
    frame = keywords[keywords["rank"] <= top].copy()
    frame["group"] = (frame["period"].astype(str).map(lambda p: p if zh else _PERIOD_EN.get(p, p))
                      + "·" + frame["level"].map(
        lambda v: _level_name(str(v), language)).astype(str))
    frame["cell"] = frame["term"].astype(str) + "（" + frame["term_count"].astype(str) + "）"
    frame["_order"] = frame["level"].map({v: i for i, v in enumerate(LEVELS)})
    frame = frame.sort_values(["period", "_order", "rank"], kind="stable")
    wide = frame.pivot_table(index="rank", columns="group", values="cell", aggfunc="first",
                             sort=False)
    wide.index = wide.index.rename("位次" if zh else "Rank")
    wide.columns.name = None
    return wide.reset_index()


def _appendix(b: SectionBuilder, ctx: _Context) -> None:
    zh = ctx.zh
    source = ctx.sources["corpus"]
    b.table("documents", ("本地区适用的政策文件" if zh else
                          "Policy documents that govern the region") + _mark(ctx),
            _documents_table(ctx.documents, ctx.synergy.corpus.scheme, ctx.language,
                             sample=ctx.sample),
            source=source, appendix=True,
            kinds={"政策力度" if zh else "Strength": "int"},
            notes=[("每件真实文件的标题、文号、发文机关与日期均经公开发布核对，未能核实的日期或文号"
                    "留空（显示为“—”）；编码为示例编码。模拟文件为演示纵向比较而设，不是真实政策。"
                    if zh else
                    "Each real document's title, number, issuers and date were checked against "
                    "its publication; a date or number that could not be verified is left "
                    "empty (shown as “—”); the coding is illustrative. Simulated documents "
                    "exist to show vertical comparisons and are not real policies.")
                   if ctx.sample else ""])
    table = ctx.synergy.corpus.scheme.code_table(ctx.language)
    heads = ["类别", "分组", "编码名称"] if zh else ["Kind", "Group", "Code"]
    codes = table[["kind_label", "group_label", "label"]].set_axis(heads, axis=1)
    b.table("scheme", "政策目标与政策工具编码方案" if zh else
            "Coding scheme of policy goals and instruments", codes.reset_index(drop=True),
            source=("资料来源：linkage 编码方案（目标取自指标体系的各维度，工具按 Rothwell 与 "
                    "Zegveld 1981 的三分类）。" if zh else
                    "Source: linkage coding scheme (goals are the framework's dimensions; "
                    "instruments after Rothwell and Zegveld 1981)."), appendix=True,
            notes=["编码取值：0 = 未涉及，1 = 提及，2 = 重点（单列章节或有量化目标）。" if zh else
                   "Codes: 0 = not addressed, 1 = mentioned, 2 = emphasised (a section of its "
                   "own or a quantified target)."])
    keywords, agreement = ctx.synergy.keywords, ctx.synergy.agreement
    if keywords is not None and len(keywords):
        b.table("keywords", "各时期、各层级政策文本的高频词" if zh else
                "Most frequent terms of the policy texts by period and level",
                _keyword_table(keywords, ctx.language), source=source, appendix=True,
                notes=["全文用 jieba 分词（附领域词典），去除停用词；括号内为出现次数。" if zh else
                       "Full texts segmented with jieba and a domain dictionary, stop words "
                       "removed; counts in brackets."])
    if agreement is not None and len(agreement):
        b.table("agreement", "词典预编码与人工确认编码的一致性" if zh else
                "Agreement of dictionary pre-codes with the confirmed codes",
                agreement_report_table(agreement, ctx.synergy.corpus.scheme, ctx.language),
                source=source, appendix=True,
                kinds={"κ": "ratio"},
                notes=["Cohen（1960）κ；一致性程度按 Landis 与 Koch（1977）划分。预编码只作"
                       "提示，从不覆盖人工确认的编码。" if zh else
                       "Cohen's (1960) κ; strength of agreement after Landis and Koch (1977). "
                       "Pre-codes are hints and never overwrite confirmed codes."])


def _dimension_names(ids: pd.Index, ctx: _Context) -> list[str]:
    names = _goal_names(ctx.framework, ctx.language)
    return [str(names.get(i, i)) for i in ids]


def _equivalence_part(b: SectionBuilder, ctx: _Context) -> OutcomeEquivalence | None:
    zh = ctx.zh
    oe = ctx.synergy.equivalence
    b.heading("结果同等性" if zh else "Equivalence of outcomes")
    if oe is None:
        b.paragraph("县属性表没有标明原贫困县（poverty_county）与所属地级市（prefecture_code），"
                    "无法比较原贫困县与其他县的差距，本节从略。" if zh else
                    "The county table does not mark former poverty counties (poverty_county) "
                    "and prefectures (prefecture_code), so their gaps are not compared here.")
        return None
    gaps, cons, sigma = oe.gaps, oe.consistency, oe.sigma
    closing = int(gaps["closing"].sum())
    widening = gaps.index[~gaps["closing"].astype(bool)]
    names = dict(zip(gaps.index, _dimension_names(gaps.index, ctx), strict=True))
    b.paragraph((
        f"结果同等性看脱贫地区能否与其他地区同步发展。{{table:equivalence}}比较原贫困县与其他县"
        f"各维度得分的差距：{oe.first}—{oe.last} 年，差距在 {closing}/{len(gaps)} 个维度上缩小"
        + (f"，在{'、'.join(names[d] for d in widening)}上没有缩小" if len(widening) else "")
        + f"；各维度差距缩小的地市平均占 {_percent(cons['share_closing'].mean())}。") if zh else (
        "Equivalence of outcomes asks whether former poverty areas keep pace with the rest. "
        "{table:equivalence} compares the dimension scores of former poverty counties with "
        f"the other counties: from {oe.first} to {oe.last} the gap narrowed on {closing} of "
        f"{len(gaps)} dimensions"
        + (f", but not on {', '.join(names[d] for d in widening)}" if len(widening) else "")
        + f"; on average the gap narrowed in {_percent(cons['share_closing'].mean())} of the "
          "prefectures."))
    heads = (["维度", f"差距（{oe.first} 年）", f"差距（{oe.last} 年）", "变化", "差距缩小",
              "差距缩小的地市（个）", "可比地市（个）", "县际离散度下降（σ收敛）"] if zh else
             ["Dimension", f"Gap ({oe.first})", f"Gap ({oe.last})", "Change", "Narrowed",
              "Prefectures narrowing", "Prefectures compared", "σ-convergence"])
    frame = pd.DataFrame({
        heads[0]: [names[d] for d in gaps.index],
        heads[1]: gaps["gap_first"].to_numpy(), heads[2]: gaps["gap_last"].to_numpy(),
        heads[3]: gaps["change"].to_numpy(), heads[4]: gaps["closing"].astype(bool).to_numpy(),
        heads[5]: cons["n_closing"].reindex(gaps.index).to_numpy(),
        heads[6]: cons["n_prefectures"].reindex(gaps.index).to_numpy(),
        heads[7]: sigma["converging"].reindex(gaps.index).astype("boolean").to_numpy()})
    b.table("equivalence", "原贫困县与其他县各维度得分差距的变化" if zh else
            "Change in the gap between former poverty counties and the others by dimension",
            frame, source=ctx.sources["outcome"], appendix=True,
            kinds={heads[1]: "score", heads[2]: "score", heads[3]: "score", heads[4]: "flag",
                   heads[5]: "count", heads[6]: "count", heads[7]: "flag"},
            notes=["差距 = 原贫困县均值 − 其他县均值（维度得分 0—1，1 为最好）；差距缩小指其绝对值"
                   "变小；σ收敛指县际标准差逐年显著下降（p < 0.05）。" if zh else
                   "Gap = mean of former poverty counties − mean of the others (dimension "
                   "scores 0–1, 1 = best); narrowed = its absolute value fell; σ-convergence = "
                   "the SD across counties falls significantly over the years (p < 0.05)."])
    return oe


def _integration_part(b: SectionBuilder, ctx: _Context) -> IntegrationResult:
    from linkage.labels import label
    from linkage.synergy.integration import integration_table, mismatch_figure

    zh = ctx.zh
    scheme = ctx.synergy.corpus.scheme
    names = _goal_names(ctx.framework, ctx.language)
    result = integration_table(ctx.documents, ctx.codes, list(scheme.goal_ids), ctx.progress,
                               instruments=list(scheme.instrument_ids), names=names,
                               missing="drop")
    t = result.table
    unconverted = t.loc[t["quadrant"] == "unconverted", "name"].tolist()
    unattended = t.loc[t["quadrant"] == "unattended", "name"].tolist()
    sep = "、" if zh else ", "
    first, last = ctx.progress.attrs.get("first"), ctx.progress.attrs.get("last")
    b.heading("目标—工具—成效一体化" if zh else "Goals, instruments and outcomes together")
    b.paragraph((
        "政策协同最终要看政策关注能否转化为成效。{table:integration}对指标体系的每个维度并列"
        "三项数字：政策关注度（各文件对该目标的编码强度按政策力度加权的平均，0—1）、"
        "工具投入度（涉及该目标的文件动用政策工具的广度，0—1）与成效进展"
        f"（{ctx.scope.name}该维度得分 {first}—{last} 年的变化）。"
        f"在 {result.n} 个有成效得分的维度上，关注度与进展的 Spearman 秩相关 ρ = "
        f"{result.spearman_rho:.2f}，Kendall τ-b = {result.kendall_tau:.2f}。"
        "{figure:mismatch}以两者的中位数把维度分为四类："
        + (f"政策关注较高而进展偏慢（高关注低进展）的是{sep.join(unconverted)}；"
           if unconverted else "没有高关注低进展的维度；")
        + (f"关注不多而进展较快的是{sep.join(unattended)}。" if unattended else
           "没有低关注高进展的维度。")) if zh else (
        "Synergy finally means that policy attention turns into outcomes. "
        "{table:integration} sets three numbers side by side for every dimension of the "
        "framework: policy attention (the strength-weighted mean emphasis of the documents on "
        "that goal, 0–1), instrument effort (how broadly the documents addressing it use policy "
        f"instruments, 0–1) and outcome progress (the change of {ctx.scope.name}'s dimension "
        f"score {first}–{last}). Over the {result.n} dimensions with outcome scores, Spearman's "
        f"ρ between attention and progress is {result.spearman_rho:.2f} and Kendall's τ-b "
        f"{result.kendall_tau:.2f}. {{figure:mismatch}} splits the dimensions at the medians: "
        + (f"high attention but slow progress on {sep.join(unconverted)}; "
           if unconverted else "no dimension has high attention and slow progress; ")
        + (f"little attention but fast progress on {sep.join(unattended)}." if unattended else
           "none has little attention and fast progress.")))
    groups = _goal_groups(ctx.framework, ctx.language)
    heads = (["维度", "分组", "政策关注度", "关注排名", "工具投入度", "投入排名", "成效进展",
              "进展排名", "判断"] if zh else
             ["Dimension", "Group", "Attention", "Attention rank", "Instrument effort",
              "Effort rank", "Progress", "Progress rank", "Diagnosis"])
    order = t.sort_values(["attention", "progress"], ascending=False, kind="stable")
    verdict = order["quadrant"].map(lambda q: label(f"synergy_q_{q}", ctx.language)
                                    if isinstance(q, str) else
                                    ("无成效指标" if zh else "No outcome indicator"))
    def rank(column: str) -> list[str]:  # 3, or 12.5 for a tie (averaged), never 3.0
        return [DASH if pd.isna(v) else f"{v:g}" for v in order[column]]

    frame = pd.DataFrame({
        heads[0]: order["name"].to_numpy(), heads[1]: groups.reindex(order.index).to_numpy(),
        heads[2]: order["attention"].to_numpy(), heads[3]: rank("attention_rank"),
        heads[4]: order["effort"].to_numpy(), heads[5]: rank("effort_rank"),
        heads[6]: order["progress"].to_numpy(), heads[7]: rank("progress_rank"),
        heads[8]: verdict.to_numpy()})
    mark = _mark(ctx)
    b.table("integration", ("政策关注、工具投入与成效进展" if zh else
                            "Policy attention, instrument effort and outcome progress") + mark,
            frame, source=ctx.sources["both"],
            kinds={heads[2]: "score", heads[4]: "score", heads[6]: "score"}, notes=[
                "排名 1 为最高，并列取平均名次；成效进展为维度得分（0—1）的变化。"
                "关注度与进展以各维度的中位数划分高低。" if zh else
                "Rank 1 is the highest, ties averaged; progress is the change of the dimension "
                "score (0–1). High and low are split at the medians over the dimensions.",
                _uncoded_note(len(ctx.documents) - result.n_documents, ctx.language)])
    fig = mismatch_figure(result, language=ctx.language, title="")  # the title goes above it
    b.figure("mismatch", ("各维度政策关注度与成效进展的对照" if zh else
                          "Policy attention against outcome progress by dimension") + mark,
             fig, source=ctx.sources["both"],
             notes=["虚线为两者的中位数；右下方为高关注低进展，左上方为低关注高进展。" if zh else
                    "Dashed lines are the medians; lower right: high attention, slow progress; "
                    "upper left: little attention, fast progress."])
    return result


def _central_coverage(ctx: _Context, parts: _Parts) -> float:
    """Coverage of the central documents' goals by the region's own level (NaN: none)."""
    cover = parts.goals.coverage_pairs()
    own = cover[(cover["upper"] == "中央") & (cover["lower"] == _own_level(ctx.scope))]
    return float(own["coverage"].iloc[0]) if len(own) else float("nan")


def _findings(b: SectionBuilder, ctx: _Context, parts: _Parts) -> None:
    """The chapter's findings, most important first: where attention does not turn into
    progress, rank agreement, vertical coverage, outcome gaps, instruments, network, PMC."""
    from linkage.sections.overview import cite

    zh, lang = ctx.zh, ctx.language
    sep = "、" if zh else ", "
    r = parts.integration
    t = r.table
    where = ctx.scope.name
    unconverted = t.loc[t["quadrant"] == "unconverted", "name"].tolist()
    b.finding(cite((f"{where}政策关注较高而成效进展偏慢的维度有 {len(unconverted)} 个："
                    f"{sep.join(unconverted)}，政策关注尚未转化为成效，宜检查这些领域的工具配置"
                    "与落实。" if unconverted else
                    f"{where}没有政策关注较高而成效进展偏慢的维度。") if zh else
                   (f"{where}: {len(unconverted)} dimensions get high policy attention but make "
                    f"slow progress — {sep.join(unconverted)}: attention has not yet turned "
                    "into outcomes; their instruments and implementation deserve a check."
                    if unconverted else
                    f"{where}: no dimension combines high policy attention with slow progress."),
                   "{table:integration}", "{figure:mismatch}", language=lang), rank=15)
    rho = r.spearman_rho
    if pd.notna(rho):
        weak = abs(rho) < 0.2
        strength = (("较强" if abs(rho) >= 0.5 else "较弱" if not weak else "很弱") if zh
                    else ("fairly strongly" if abs(rho) >= 0.5 else "weakly" if not weak
                          else "very weakly"))
        way = (("政策重点与成效提升几乎无关" if weak else "政策重点与成效提升大体同向" if rho > 0
                else "政策重点与成效提升方向相反") if zh else
               ("policy priorities and gains are nearly unrelated" if weak else
                "policy priorities and gains broadly go together" if rho > 0 else
                "policy priorities and gains run opposite"))
        b.finding(cite((f"各维度政策关注度与成效进展的排序一致性{strength}（Spearman ρ = "
                        f"{rho:.2f}，{r.n} 个维度），{way}。") if zh else
                       (f"The rankings of policy attention and outcome progress agree "
                        f"{strength} "
                        f"(Spearman's ρ = {rho:.2f}, {r.n} dimensions): {way}."),
                       "{table:integration}", language=lang), rank=16)
    coverage = _central_coverage(ctx, parts)
    level = _level_name(_own_level(ctx.scope), lang)
    if pd.notna(coverage):
        b.finding(cite((f"{where}适用的{level}级文件覆盖了中央文件所涉目标的 {_percent(coverage)}。"
                        if zh else f"The {level.lower()} documents of {where} cover "
                                   f"{_percent(coverage)} of the goals of the central documents."),
                       "{table:consistency}", language=lang), rank=18)
    oe = parts.equivalence
    closing = int(oe.gaps["closing"].sum()) if oe is not None else 0
    if oe is not None:
        b.finding(cite((f"{oe.first}—{oe.last} 年，原贫困县与其他县的得分差距在 {closing}/"
                        f"{len(oe.gaps)} 个维度上缩小。" if zh else
                        f"From {oe.first} to {oe.last} the gap between former poverty counties "
                        f"and the others narrowed on {closing} of {len(oe.gaps)} dimensions."),
                       "{table:equivalence}", language=lang), rank=20)
    mix = parts.mix.dropna(subset=["hhi"])
    if len(mix):
        own = _own_level(ctx.scope)
        row = own if own in mix.index else mix.index[-1]
        b.finding(cite((f"{_level_name(str(row), lang)}级文件的政策工具集中度 HHI 为 "
                        f"{mix.at[row, 'hhi']:.3f}（相当于 {mix.at[row, 'equivalent_number']:.1f} "
                        "种等量使用的工具）。" if zh else
                        f"Instrument concentration of the {_level_name(str(row), lang).lower()} "
                        f"documents: HHI {mix.at[row, 'hhi']:.3f} (as if "
                        f"{mix.at[row, 'equivalent_number']:.1f} instruments were used equally)."),
                       "{table:mix}", language=lang), rank=22)
    net = parts.network
    b.finding(cite((f"多部门联合发文占 {net.share_joint:.1%}，联合发文网络密度 {net.density:.3f}。"
                    if zh else f"{net.share_joint:.1%} of the documents were issued jointly; "
                               f"the co-issuance network has density {net.density:.3f}."),
                   "{figure:network}", language=lang), rank=24)
    pmc = ctx.synergy.pmc
    if pmc is not None and len(pmc):
        b.finding(cite((f"{len(pmc)} 件文件的 PMC 指数平均 {pmc['PMC'].mean():.2f}。" if zh else
                        f"The mean PMC index of {len(pmc)} documents is "
                        f"{pmc['PMC'].mean():.2f}."), "{table:pmc}", language=lang), rank=26)


def _metrics(b: SectionBuilder, ctx: _Context, parts: _Parts) -> None:
    zh = ctx.zh
    r = parts.integration
    pmc = ctx.synergy.pmc
    b.metric("synergy_documents", "适用的政策文件数" if zh else "Policy documents that apply",
             len(ctx.documents), "件" if zh else "documents")
    b.metric("synergy_coverage", "本级文件对中央目标的覆盖度" if zh else
             "Coverage of the central goals by the region's own documents",
             100 * _central_coverage(ctx, parts), "%")
    b.metric("synergy_rank_agreement", "政策关注与成效进展的排序相关（Spearman ρ）" if zh else
             "Rank agreement of attention and progress (Spearman's ρ)", r.spearman_rho)
    b.metric("synergy_mismatch_dims", "高关注低进展的维度数" if zh else
             "Dimensions with high attention and slow progress",
             int((r.table["quadrant"] == "unconverted").sum()), "个" if zh else "")
    b.metric("synergy_pmc_mean", "PMC 指数均值" if zh else "Mean PMC index",
             float(pmc["PMC"].mean()) if pmc is not None and len(pmc) else None)


def _methods(b: SectionBuilder, ctx: _Context) -> None:
    zh = ctx.zh
    default_bands = tuple(ctx.synergy.bands) == tuple(PMC_BANDS)
    if zh:
        b.method("政策协同按温美荣、刘万清提出的目标一致性、手段相通性与结果同等性三个方面衡量，"
                 "并以“目标—工具—成效”一体化对照收束。政策文件逐件编码：政策目标即指标体系的各维度，"
                 "政策工具按 Rothwell 与 Zegveld（1981）分为供给型、环境型、需求型及其子类"
                 "（黄萃等 2011），编码取 0（未涉及）、1（提及）、2（重点）。")
        b.method("政策力度按层级、文种与发文机关定为 1—5 级（参照彭纪生、仲为国、孙文祥 2008）；"
                 "目标关注份额 = 各文件编码强度乘政策力度后按目标求和、再除以总和。"
                 "目标覆盖度为上级文件涉及的目标中下级文件也涉及的比例，目标轮廓相似度为余弦相似度。")
        b.method("工具集中度用赫芬达尔—赫希曼指数（Herfindahl 1950；Hirschman 1964）；"
                 "联合发文网络以发文机关为节点、共同发文为连线，计算密度、度中心性与中介中心性"
                 "（Freeman 1977）。")
        b.method("PMC 指数按 Ruiz Estrada（2011）：每个一级变量为其 0/1 二级变量的均值，"
                 "PMC 为其和（未四舍五入的一级变量之和）；"
                 + ("等级划分沿用国内文献（张永安、郄海拓 2017）：" if default_bands else
                    "等级按用户给定的区间：") + band_description(ctx.synergy.bands, "zh")
                 + "。各文献的等级区间并不一致，比较时应核对所用区间。")
        b.method("结果同等性用各县维度得分（熵值法综合评价，缺失值插补）比较原贫困县与其他县的差距"
                 "及其在各地市是否一致缩小；σ收敛检验县际离散度的趋势。")
        b.method("文本辅助：全文以 jieba 分词（附领域词典）统计分时期、分层级的关键词；"
                 "按编码方案的关键词词典给出预编码，与人工确认的编码比较一致性（Cohen 1960 的 κ，"
                 "按 Landis 与 Koch 1977 分级）；预编码从不覆盖确认的编码。")
        b.caveat("真实中央文件的标题、文号、发文机关与日期有出处，但其编码是示例编码，"
                 "用于演示方法，不是对文件的权威解读；省、市、县文件为模拟文件。"
                 "正式研究应由研究人员逐件编码并确认（可用编码表导出、填写、读回）。"
                 "样本中有全文的只有模拟文件，其全文与确认编码出自同一作者之手，"
                 "预编码与确认编码的 κ 只演示方法，不是关键词词典可靠性的独立证据。"
                 if ctx.sample else
                 "政策文件的编码由用户提供；编码的可靠性可用两人独立编码的一致性（κ）检验。")
        b.caveat("政策关注与成效进展的对照是描述性的：一个维度进展慢，可能是政策滞后、"
                 "力度不足，也可能是指标度量或起点不同，不能据此推断政策效果的因果关系。")
        return
    b.method("Policy synergy is measured on the three aspects named by Wen and Liu — consistency "
             "of goals, interoperability of instruments and equivalence of outcomes — and closed "
             "with a goal–instrument–outcome comparison. Each document is coded: goals are the "
             "framework's dimensions; instruments follow Rothwell and Zegveld (1981) as supply, "
             "environment and demand instruments with their sub-types (Huang et al. 2011); codes "
             "are 0 (not addressed), 1 (mentioned), 2 (emphasised).")
    b.method("Policy strength is 1–5 by level, document type and issuer (after Peng, Zhong and "
             "Sun 2008); goal attention shares are the codes times strength summed by goal over "
             "their total. Coverage is the share of the upper level's goals that the lower "
             "level also addresses; profile similarity is the cosine similarity.")
    b.method("Instrument concentration is the Herfindahl–Hirschman index (Herfindahl 1950; "
             "Hirschman 1964); the co-issuance network has issuing bodies as nodes and joint "
             "documents as ties, with density, degree and betweenness centrality (Freeman "
             "1977).")
    b.method("The PMC index follows Ruiz Estrada (2011): each first-level variable is the mean "
             "of its 0/1 items and the PMC the sum of the unrounded variables; grades "
             + ("as in the Chinese literature (Zhang and Qie 2017): " if default_bands else
                "in the bands given by the user: ") + band_description(ctx.synergy.bands, "en")
             + ". Papers differ in their bands; check them before comparing.")
    b.method("Equivalence of outcomes compares the dimension scores (entropy-weighted composite "
             "scores, missing values interpolated) of former poverty counties with the others, "
             "and whether the gap narrows consistently across prefectures; σ-convergence tests "
             "the trend of the dispersion across counties.")
    b.method("Text assistance: full texts segmented with jieba (domain dictionary) for keyword "
             "frequencies by period and level; dictionary pre-codes from the scheme's keywords "
             "compared with the confirmed codes (Cohen's 1960 κ, graded after Landis and Koch "
             "1977); pre-codes never overwrite confirmed codes.")
    b.caveat("The real central documents' titles, numbers, issuers and dates have sources, but "
             "their coding is illustrative, to show the method, not an authoritative reading; "
             "provincial and local documents are simulated. A study should have researchers "
             "code and confirm every document (export, fill in and read back a coding sheet). "
             "Only the simulated documents have full texts, written by the same authors as "
             "their confirmed codes: the κ of pre-codes against confirmed codes shows the "
             "method and is no independent evidence of the keyword dictionary's reliability."
             if ctx.sample else
             "The documents' codes were supplied by the user; their reliability can be checked "
             "by the agreement (κ) of two independent coders.")
    b.caveat("Comparing policy attention with outcome progress is descriptive: slow progress on "
             "a dimension may reflect lagging or weak policy, but also measurement or starting "
             "points; it does not show a causal effect of policy.")
