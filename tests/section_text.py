"""What a reader sees of a report section, and the rules it must follow (shared by the tests of
the report sections): no raw indicator ids, no NaN/None, no talk of notebooks or code, one
language, every table and figure sourced, every reference resolvable."""

from __future__ import annotations

import re
from datetime import date

from linkage.frameworks import Framework
from linkage.reporting.document import Cover, Document, Figure, Heading, Paragraph, Section, Table

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")
BAD_WORDS = re.compile(r"(?<![A-Za-z])(NaN|nan|None|inf)(?![A-Za-z])|(?i:notebook)|笔记本|"
                       r"linkage 库|`")
ENGLISH_RUN = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z]{3,}){2,}")


def visible_texts(section: Section) -> list[str]:
    """Every piece of text a reader of ``section`` sees (headings, paragraphs, table titles,
    headers, cells, sources and notes, figure titles, sources and notes, findings, methods,
    caveats, metric labels)."""
    texts = [section.title]
    for block in section.blocks:
        if isinstance(block, (Heading, Paragraph)):
            texts.append(block.text)
        elif isinstance(block, Table):
            texts += [block.title, block.source, *block.notes, *map(str, block.frame.columns),
                      *(str(v) for v in block.frame.to_numpy().ravel())]
        elif isinstance(block, Figure):
            texts += [block.title, block.source, *block.notes]
    texts += [f.text for f in section.findings]
    texts += [*section.methods, *section.caveats, *(m.label for m in section.metrics)]
    return texts


def reader_problems(section: Section, framework: Framework, *,
                    place_names: tuple[str, ...] = ()) -> list[str]:
    """The reader-text rules ``section`` breaks (empty when it reads as a report)."""
    problems = []
    ids = [i for i in framework.indicator_ids if "_" in i]
    for text in visible_texts(section):
        shown = [i for i in ids if re.search(rf"(?<![A-Za-z_]){re.escape(i)}(?![A-Za-z_])", text)]
        if shown:
            problems.append(f"raw id {shown[0]!r} in {text[:80]!r}")
        if BAD_WORDS.search(text):
            problems.append(f"{BAD_WORDS.search(text).group(0)!r} in {text[:80]!r}")
        if section.language == "en":
            stripped = text
            for name in sorted(place_names, key=len, reverse=True):
                stripped = stripped.replace(name, "")
            if CJK.search(stripped):
                problems.append(f"Chinese in an English section: {text[:80]!r}")
        elif ENGLISH_RUN.search(text.replace("linkage", "")):
            problems.append(f"English in a Chinese section: {text[:80]!r}")
    for block in section.blocks:
        if isinstance(block, (Table, Figure)):
            start = "资料来源：" if section.language == "zh" else "Source: "
            if not block.source.startswith(start):
                problems.append(f"{block.key}: source {block.source[:40]!r}")
            if "SOURCES.md" in block.source or "http" in block.source:
                problems.append(f"{block.key}: source points at a file or mirror")
            if not block.appendix and any("http" in n for n in block.notes):
                problems.append(f"{block.key}: mirror URL in the main body")
    return problems


def assembled(section: Section):
    """The section assembled into a one-chapter document (references resolved, blocks
    numbered); raises when a reference points at nothing."""
    cover = Cover("报告", "地区", "2015—2025", issued=date(2026, 1, 1))
    return Document(cover, (section,), language=section.language).assemble()
