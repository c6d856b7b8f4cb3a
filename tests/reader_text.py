"""What a reader sees of a report section, and the rules it must keep (shared by the section
tests of 拓展 and 政策效果)."""

from __future__ import annotations

import re

from linkage.frameworks import load_framework
from linkage.reporting.document import Figure, Heading, Paragraph, Section, Table

CJK = re.compile(r"[\u4e00-\u9fff]")
BAD = re.compile(r"(?<![A-Za-z])(NaN|nan|None|inf)(?![A-Za-z])|notebook|笔记本|`|linkage 库"
                 r"|参数 ")
RAW = ("rural_population", "region_code", "prefecture_code", "prefecture_name", "ln(")


def visible_text(section: Section) -> str:
    """Every string of the section a reader sees (headings, paragraphs, table titles, headers,
    cells, sources, notes, figure titles, findings, metric labels, methods, caveats)."""
    parts: list[str] = [section.title]
    for b in section.blocks:
        if isinstance(b, (Heading, Paragraph)):
            parts.append(b.text)
        elif isinstance(b, Table):
            parts += [b.title, b.source, *b.notes, *map(str, b.frame.columns)]
            parts += [str(v) for v in b.frame.to_numpy().ravel()]
        elif isinstance(b, Figure):
            parts += [b.title, b.source, *b.notes]
    parts += [f.text for f in section.findings] + [m.label for m in section.metrics]
    parts += [str(m.value) for m in section.metrics if isinstance(m.value, str)]
    return "\n".join([*parts, *section.methods, *section.caveats])


def reader_problems(section: Section, *, place_names: set[str]) -> list[str]:
    """The reader-text rules a section breaks (empty when it keeps them all)."""
    text = visible_text(section)
    problems = [f"shown: {m.group(0)!r}" for m in BAD.finditer(text)]
    ids = [i for i in load_framework().indicator_ids if "_" in i]
    problems += [f"raw id {i}" for i in ids + list(RAW)
                 if re.search(rf"(?<![A-Za-z_]){re.escape(i)}(?![A-Za-z_])", text)]
    for b in section.blocks:
        if isinstance(b, (Table, Figure)):
            want = "资料来源" if section.language == "zh" else "Source"
            if want not in b.source:
                problems.append(f"{b.key}: source without {want}")
            if section.simulated and ("模拟数据" if section.language == "zh"
                                      else "simulated") not in b.source:
                problems.append(f"{b.key}: simulated data not named in the source")
    if section.language == "en":
        stripped = text
        for name in sorted(place_names, key=len, reverse=True):
            stripped = stripped.replace(name, "")
        problems += [f"Chinese in an English section: {line[:60]!r}"
                     for line in stripped.splitlines() if CJK.search(line)]
    else:
        problems += [f"English sentence in a Chinese section: {m.group(0)!r}"
                     for m in re.finditer(r"\b(the|and|of|with) [a-z]+ [a-z]+", text)]
    return problems
