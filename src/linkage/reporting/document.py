"""The report as a document (报告文档): sections, numbered figures and tables, findings first.

A report section (``linkage.sections.*``) does its analysis and hands over a :class:`Section`:
headings, paragraphs, tables and figures in reading order, its findings ranked by importance,
its key metrics (for the batch metrics table), and its methods and caveats. A
:class:`Document` joins a cover and the sections and :meth:`Document.assemble` turns them into
what a reader sees, in this order:

1. cover (title, region, period, date, issuing unit, author, 模拟数据 stamp);
2. 摘要 / summary: the most important findings (at most ``summary_size``, one page): each
   section's first finding, then the rest by rank; numbered;
3. 目录 / contents;
4. numbered chapters, one per section, opening with 本章要点 (all the section's findings, by
   rank), with 图 n / 表 n numbered through the document (a title above, a 资料来源 note
   below); blocks marked ``appendix=True`` move to the appendix;
5. 附录 / appendix: 附录一 研究方法与说明 (every section's methods and caveats), 附录二
   附表与附图 (附表 n, 附图 n), 附录三 来源记录 (the provenance record) — the body before the
   appendix is what a reader acts on.

Text may point at a table or figure of the same section with ``{table:key}`` or
``{figure:key}`` (or of another section with ``{table:section.key}``); assembly replaces the
placeholder by its number ("表 3", "Table 3", "附表 2"), so cross-references never go stale.
An unknown reference raises :class:`~linkage.errors.ReportError`.

Everything in a :class:`Section` is plain data (strings, numbers, PNG bytes), so a section
built in one process (a notebook kernel, a Dask worker) is saved with :meth:`Section.save` and
loaded elsewhere with :meth:`Section.load` without re-running anything; renderers
(``linkage.reporting.html``, ``.docx``, ``.pdf``) read only the :class:`AssembledDocument`.
Tables are stored already formatted for readers (:func:`reader_table`): every cell a string.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from linkage.atomic import atomic_path
from linkage.errors import ReportError
from linkage.labels import Language, is_zh, label

__all__ = [
    "AssembledDocument",
    "Block",
    "Chapter",
    "Cover",
    "Document",
    "Figure",
    "Finding",
    "Heading",
    "Metric",
    "Paragraph",
    "Section",
    "SectionBuilder",
    "Table",
    "reader_table",
]

#: How a table column is shown (see :func:`reader_table`).
Kind = Literal["text", "count", "int", "year", "share", "percent", "ratio", "score", "money",
               "flag", "auto"]

#: Decimals by kind: counts and money as integers, scores and ratios at 3 and 2, shares in %
#: at 1 (a ``percent`` column already holds percentages; a ``share`` column holds 0–1
#: fractions and is shown ×100).
DECIMALS: dict[str, int] = {"count": 0, "int": 0, "year": 0, "money": 0, "share": 1,
                            "percent": 1, "ratio": 2, "score": 3, "auto": 3}

#: What a missing or suppressed cell shows.
DASH = "—"

_REF = re.compile(r"\{(table|figure):([A-Za-z0-9_.\-]+)\}")


# --------------------------------------------------------------------------------- cells ----

def _format_number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _format_column(values: pd.Series, kind: Kind, decimals: int | None, language: Language,
                   ) -> pd.Series:
    yes, no = ("是", "否") if is_zh(language) else ("Yes", "No")
    if kind == "flag" or pd.api.types.is_bool_dtype(values):
        return values.map(lambda v: DASH if pd.isna(v) else (yes if bool(v) else no))
    numeric = pd.api.types.is_numeric_dtype(values)
    if kind == "text" or not numeric:
        return values.map(lambda v: DASH if (v is None or (isinstance(v, float) and math.isnan(v))
                                             or v is pd.NA or v is pd.NaT)
                          else (yes if v is True else no if v is False else str(v)))
    if kind == "auto":
        whole = values.dropna()
        kind = "int" if len(whole) and bool(np.all(np.mod(whole, 1) == 0)) else "auto"
    places = DECIMALS[kind] if decimals is None else decimals
    scale = 100.0 if kind == "share" else 1.0
    if kind == "year":
        return values.map(lambda v: DASH if pd.isna(v) else str(int(v)))
    return values.map(lambda v: DASH if pd.isna(v) else _format_number(float(v) * scale, places))


def reader_table(frame: pd.DataFrame, *, kinds: Mapping[str, Kind] | None = None,
                 decimals: Mapping[str, int] | None = None, language: Language = "zh",
                 index: bool | None = None) -> pd.DataFrame:
    """A table as a reader sees it: every cell a string (单元格格式化).

    Missing values show "—"; booleans 是/否 (Yes/No); counts and years as integers with
    thousands separators (years without); ``share`` columns (0–1) ×100 at one decimal;
    ``percent`` at one decimal; ``ratio`` at two; ``score`` at three; columns not named in
    ``kinds`` are ``auto`` (integers if every value is whole, else three decimals). The index
    becomes ordinary columns when it is named (a MultiIndex too) and is dropped when it is a
    plain 0, 1, 2 … range, so no pandas index numbers reach the reader; ``index`` forces either.
    Column headers are kept as given (they should already be Chinese, with units).

    Parameters
    ----------
    frame : DataFrame
    kinds : mapping of column → kind, optional
        One of ``text, count, int, year, share, percent, ratio, score, money, flag, auto``.
    decimals : mapping of column → int, optional
        Overrides the decimals of a kind.
    language : {"zh", "en"}
        For 是/否 versus Yes/No.
    index : bool, optional
        Keep (True) or drop (False) the index; by default kept only when it has a name.

    Examples
    --------
    >>> t = reader_table(pd.DataFrame({"县数": [1200, None], "占比（%）": [12.345, 3.0]}),
    ...                  kinds={"县数": "count", "占比（%）": "percent"})
    >>> t.values.tolist()
    [['1,200', '12.3'], ['—', '3.0']]
    """
    kinds = dict(kinds or {})
    decimals = dict(decimals or {})
    keep = index if index is not None else any(n is not None for n in frame.index.names)
    table = frame.reset_index() if keep else frame.reset_index(drop=True)
    if isinstance(table.columns, pd.MultiIndex):
        table.columns = [" ".join(str(p) for p in c if str(p) != "") for c in table.columns]
    table.columns = [str(c) for c in table.columns]
    if table.columns.duplicated().any():
        raise ReportError(f"表头重复 / duplicate table headers: {list(table.columns)}")
    out = {c: _format_column(table[c], kinds.get(c, "auto"), decimals.get(c), language)
           for c in table.columns}
    return pd.DataFrame(out, columns=table.columns).astype(str)


# -------------------------------------------------------------------------------- blocks ----

@dataclass(frozen=True)
class Heading:
    """A heading inside a chapter (level 2 = 节, level 3 = 小节; the chapter itself is 1)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of reader text; ``**bold**`` is the only markup; may hold references."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table for readers: a title above, the source and notes below (表 n)."""

    key: str
    title: str
    frame: pd.DataFrame
    source: str
    notes: tuple[str, ...] = ()
    appendix: bool = False

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ReportError(f"表 {self.key} 没有资料来源 / table {self.key!r} has no source")
        if not self.frame.map(lambda v: isinstance(v, str)).all().all():
            raise ReportError(f"表 {self.key} 未格式化，请用 reader_table / table {self.key!r} "
                              "must be formatted with reader_table")


@dataclass(frozen=True)
class Figure:
    """A figure as PNG bytes: a title above, the source and notes below (图 n)."""

    key: str
    title: str
    png: bytes
    source: str
    notes: tuple[str, ...] = ()
    appendix: bool = False
    width_cm: float = 16.0

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ReportError(f"图 {self.key} 没有资料来源 / figure {self.key!r} has no source")
        if not self.png.startswith(b"\x89PNG"):
            raise ReportError(f"图 {self.key} 不是 PNG / figure {self.key!r} is not a PNG")


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True)
class Finding:
    """A generated finding; smaller ``rank`` is more important (summary order)."""

    text: str
    rank: float = 50.0


@dataclass(frozen=True)
class Metric:
    """A key number for the batch metrics table (one column per metric key)."""

    key: str
    label: str
    value: float | str | bool | None
    unit: str = ""


@dataclass(frozen=True, repr=False)
class Section:
    """What one report section hands to the document."""

    key: str
    title: str
    language: Language
    blocks: tuple[Block, ...]
    findings: tuple[Finding, ...] = ()
    metrics: tuple[Metric, ...] = ()
    methods: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    simulated: bool = False

    def __repr__(self) -> str:
        # short: the notebook's plain-text output of a section (its figures are megabytes)
        kinds = Counter(type(b).__name__.lower() for b in self.blocks)
        parts = ", ".join(f"{n} {kind}s" for kind, n in sorted(kinds.items()))
        return (f"Section({self.key!r}, {self.title!r}, {self.language}: {parts}; "
                f"{len(self.findings)} findings, {len(self.metrics)} metrics)")

    # ---- persistence: plain JSON, PNGs in base64, tables as lists of strings ----
    def to_json(self) -> dict[str, Any]:
        def block(b: Block) -> dict[str, Any]:
            if isinstance(b, Table):
                return {"type": "table", "key": b.key, "title": b.title, "source": b.source,
                        "notes": list(b.notes), "appendix": b.appendix,
                        "columns": list(b.frame.columns), "rows": b.frame.values.tolist()}
            if isinstance(b, Figure):
                return {"type": "figure", "key": b.key, "title": b.title, "source": b.source,
                        "notes": list(b.notes), "appendix": b.appendix, "width_cm": b.width_cm,
                        "png": base64.b64encode(b.png).decode("ascii")}
            if isinstance(b, Heading):
                return {"type": "heading", "text": b.text, "level": b.level}
            return {"type": "paragraph", "text": b.text}

        return {"key": self.key, "title": self.title, "language": self.language,
                "simulated": self.simulated, "blocks": [block(b) for b in self.blocks],
                "findings": [{"text": f.text, "rank": f.rank} for f in self.findings],
                "metrics": [{"key": m.key, "label": m.label, "value": m.value, "unit": m.unit}
                            for m in self.metrics],
                "methods": list(self.methods), "caveats": list(self.caveats)}

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> Section:
        def block(b: Mapping[str, Any]) -> Block:
            kind = b["type"]
            if kind == "table":
                frame = pd.DataFrame(b["rows"], columns=b["columns"], dtype=str)
                return Table(b["key"], b["title"], frame, b["source"], tuple(b["notes"]),
                             b["appendix"])
            if kind == "figure":
                return Figure(b["key"], b["title"], base64.b64decode(b["png"]), b["source"],
                              tuple(b["notes"]), b["appendix"], b["width_cm"])
            if kind == "heading":
                return Heading(b["text"], b["level"])
            return Paragraph(b["text"])

        return cls(key=record["key"], title=record["title"], language=record["language"],
                   blocks=tuple(block(b) for b in record["blocks"]),
                   findings=tuple(Finding(**f) for f in record["findings"]),
                   metrics=tuple(Metric(**m) for m in record["metrics"]),
                   methods=tuple(record["methods"]), caveats=tuple(record["caveats"]),
                   simulated=record["simulated"])

    def save(self, path: str | Path) -> Path:
        """Write the section as JSON, atomically."""
        with atomic_path(path) as tmp:
            Path(tmp).write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> Section:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))

    def _repr_html_(self) -> str:  # shown when a notebook ends a cell with the section
        from linkage.reporting.html import render_section_html

        return render_section_html(self)


class SectionBuilder:
    """Collects a section's blocks in reading order (组装章节).

    >>> b = SectionBuilder("overview", "数据概览", language="zh")
    >>> b.paragraph("全省共 {table:n} 所列各县。")
    >>> b.table("n", "各县数量", pd.DataFrame({"县数": [3]}), source="资料来源：示例。",
    ...         kinds={"县数": "count"})
    >>> b.build().blocks[1].frame.iloc[0, 0]
    '3'
    """

    def __init__(self, key: str, title: str, *, language: Language = "zh",
                 simulated: bool = False) -> None:
        self.key, self.title, self.language, self.simulated = key, title, language, simulated
        self._blocks: list[Block] = []
        self._findings: list[Finding] = []
        self._metrics: list[Metric] = []
        self._methods: list[str] = []
        self._caveats: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        self._blocks.append(Heading(text, level))

    def paragraph(self, text: str) -> None:
        self._blocks.append(Paragraph(text))

    def table(self, key: str, title: str, frame: pd.DataFrame, *, source: str,
              notes: Sequence[str] = (), appendix: bool = False,
              kinds: Mapping[str, Kind] | None = None, decimals: Mapping[str, int] | None = None,
              index: bool | None = None) -> None:
        formatted = reader_table(frame, kinds=kinds, decimals=decimals, language=self.language,
                                 index=index)
        self._blocks.append(Table(key, title, formatted, source, tuple(n for n in notes if n),
                                  appendix))

    def figure(self, key: str, title: str, fig: Any, *, source: str, notes: Sequence[str] = (),
               appendix: bool = False, dpi: int = 200) -> None:
        """Add a matplotlib figure (closed after saving); its title goes above it in the
        document, so do not draw the title inside the figure."""
        import matplotlib.pyplot as plt

        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        width = min(16.0, fig.get_figwidth() * 2.54)
        plt.close(fig)
        self._blocks.append(Figure(key, title, buffer.getvalue(), source,
                                   tuple(n for n in notes if n), appendix, width))

    def finding(self, text: str, *, rank: float = 50.0) -> None:
        self._findings.append(Finding(text, rank))

    def metric(self, key: str, label: str, value: float | str | bool | None, unit: str = "",
               ) -> None:
        """Add a key number for the batch metrics table (floats kept to 12 significant
        digits, NaN as missing)."""
        if isinstance(value, (np.floating, np.integer)):
            value = value.item()
        if isinstance(value, float):
            # 12 significant digits: far beyond any reported precision, and free of the
            # last-bit noise of floating-point summation order (SIMD alignment, BLAS threads),
            # so the same inputs give the same metrics in any process
            value = None if math.isnan(value) else float(f"{value:.12g}")
        self._metrics.append(Metric(key, label, value, unit))

    def method(self, text: str) -> None:
        self._methods.append(text)

    def caveat(self, text: str) -> None:
        self._caveats.append(text)

    def build(self) -> Section:
        keys = [b.key for b in self._blocks if isinstance(b, (Table, Figure))]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ReportError(f"章节 {self.key} 的图表键重复 / duplicate keys in {self.key}: {dup}")
        return Section(self.key, self.title, self.language, tuple(self._blocks),
                       tuple(self._findings), tuple(self._metrics), tuple(self._methods),
                       tuple(self._caveats), self.simulated)


# ------------------------------------------------------------------------------ document ----

@dataclass(frozen=True)
class Cover:
    """The cover page (封面); fields come from the run config."""

    title: str
    region: str
    period: str
    issued: date = field(default_factory=date.today)
    organisation: str = ""
    author: str = ""
    simulated: bool = False


@dataclass(frozen=True)
class Numbered:
    """A table or figure with its document number (``label`` is e.g. "表 3" or "附图 1")."""

    label: str
    block: Table | Figure


@dataclass(frozen=True)
class Chapter:
    """A numbered chapter: its number, title and blocks (tables/figures numbered)."""

    number: int
    title: str
    blocks: tuple[Heading | Paragraph | Numbered, ...]


@dataclass(frozen=True)
class AssembledDocument:
    """What renderers draw, in order: cover, summary, contents, chapters, then the appendix:
    methods, appendix tables and figures, provenance (:meth:`appendix_parts`)."""

    language: Language
    cover: Cover
    summary: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    methods: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # (section, methods, caveats)
    appendix: tuple[Numbered, ...]
    provenance: Mapping[str, Any]

    def contents(self) -> list[str]:
        """Top-level entries of the 目录: the chapter headings, then 附录 (its parts are
        :meth:`appendix_parts`)."""
        entries = [_chapter_heading(c.number, c.title, self.language) for c in self.chapters]
        entries.append("附录" if is_zh(self.language) else "Appendix")
        return entries

    def appendix_parts(self) -> list[tuple[str, str]]:
        """The parts of the 附录 in order, as ``(anchor, heading)``: 附录一 研究方法与说明,
        then 附表与附图 and 来源记录 where the document has them ("Appendix A. Methods and
        caveats" …). The methods open the appendix so that the body holds what a reader
        acts on and the chapters stay within about 30 A4 pages."""
        parts = [("methods", "doc_methods")]
        if self.appendix:
            parts.append(("appendix-exhibits", "doc_exhibits"))
        if self.provenance:
            parts.append(("provenance", "doc_provenance"))
        parts = [(anchor, label(key, self.language)) for anchor, key in parts]
        if is_zh(self.language):
            return [(anchor, f"附录{'一二三'[i]}　{text}")
                    for i, (anchor, text) in enumerate(parts)]
        return [(anchor, f"Appendix {'ABC'[i]}. {text}") for i, (anchor, text) in enumerate(parts)]


def _chapter_heading(number: int, title: str, language: Language) -> str:
    if is_zh(language):
        numerals = "一二三四五六七八九十"
        head = numerals[number - 1] if number <= 10 else str(number)
        return f"{head}、{title}"
    return f"{number}. {title}"


def chapter_heading(chapter: Chapter, language: Language) -> str:
    """A chapter's heading as shown ("一、数据概览" / "1. Data overview")."""
    return _chapter_heading(chapter.number, chapter.title, language)


@dataclass(frozen=True)
class Document:
    """A report: cover + sections (+ provenance); :meth:`assemble` numbers it."""

    cover: Cover
    sections: tuple[Section, ...]
    language: Language = "zh"
    provenance: Mapping[str, Any] = field(default_factory=dict)
    #: findings in the 摘要 (about one A4 page); every finding stays in its chapter's 本章要点
    summary_size: int = 10

    def assemble(self) -> AssembledDocument:
        zh = is_zh(self.language)
        wrong = [s.key for s in self.sections if s.language != self.language]
        if wrong:
            raise ReportError(f"章节语言与报告不一致 / sections in another language: {wrong}")
        labels: dict[str, str] = {}
        counters = {"table": 0, "figure": 0, "atable": 0, "afigure": 0}
        names = {"table": "表" if zh else "Table", "figure": "图" if zh else "Figure",
                 "atable": "附表" if zh else "Appendix table",
                 "afigure": "附图" if zh else "Appendix figure"}
        # number the main body first, then the appendix, each in reading order
        for in_appendix in (False, True):
            for s in self.sections:
                for b in s.blocks:
                    if isinstance(b, (Table, Figure)) and b.appendix == in_appendix:
                        kind = ("a" if in_appendix else "") + (
                            "table" if isinstance(b, Table) else "figure")
                        counters[kind] += 1
                        labels[f"{s.key}.{b.key}"] = f"{names[kind]} {counters[kind]}"

        def resolve(text: str, section: str) -> str:
            def one(m: re.Match[str]) -> str:
                kind, key = m.groups()
                full = key if key in labels else f"{section}.{key}"
                if full not in labels:
                    raise ReportError(f"章节 {section} 引用了不存在的{kind} {key!r} / unknown "
                                      f"{kind} reference {key!r} in section {section!r}")
                return labels[full]

            return _REF.sub(one, text)

        chapters, appendix = [], []
        for number, s in enumerate(self.sections, start=1):
            blocks: list[Heading | Paragraph | Numbered] = []
            ranked = sorted(s.findings, key=lambda f: f.rank)  # stable: ties keep their order
            if ranked:
                # bold lead-in, not a heading: the 目录 lists the chapter's own sections
                blocks.append(Paragraph("**本章要点**" if zh else "**Key findings**"))
                blocks += [Paragraph(f"{i}. {resolve(f.text, s.key)}")
                           for i, f in enumerate(ranked, start=1)]
            for b in s.blocks:
                if isinstance(b, (Table, Figure)):
                    numbered = Numbered(labels[f"{s.key}.{b.key}"],
                                        _resolve_block(b, s.key, resolve))
                    (appendix if b.appendix else blocks).append(numbered)
                elif isinstance(b, Paragraph):
                    blocks.append(Paragraph(resolve(b.text, s.key)))
                else:
                    blocks.append(b)
            chapters.append(Chapter(number, s.title, tuple(blocks)))
        summary = tuple(resolve(text, key) for text, key in self._summary_findings())
        methods = tuple((s.title, tuple(resolve(m, s.key) for m in s.methods),
                         tuple(resolve(c, s.key) for c in s.caveats))
                        for s in self.sections if s.methods or s.caveats)
        return AssembledDocument(self.language, self.cover, summary, tuple(chapters), methods,
                                 tuple(appendix), dict(self.provenance))


    def _summary_findings(self) -> list[tuple[str, str]]:
        """The 摘要's findings as (text, section key): every section's most important finding
        first (so each chapter is represented), then the others by rank, at most
        ``summary_size``, shown most important first."""
        ranked = sorted((f.rank, n, i, f.text, s.key) for n, s in enumerate(self.sections)
                        for i, f in enumerate(s.findings))
        firsts = {}
        for item in ranked:
            firsts.setdefault(item[1], item)
        chosen = sorted(firsts.values())[: self.summary_size]
        rest = [item for item in ranked if item not in chosen]
        chosen = sorted(chosen + rest[: self.summary_size - len(chosen)])
        return [(text, key) for *_, text, key in chosen]


def _resolve_block(block: Table | Figure, section: str, resolve: Any) -> Table | Figure:
    return replace(block, notes=tuple(resolve(n, section) for n in block.notes))
