"""What every renderer shows in the same words (呈现): captions, source lines, the cover,
table layout hints, inline bold and the provenance block as reader tables.

:mod:`linkage.reporting.html` and :mod:`linkage.reporting.docx` draw the same
:class:`~linkage.reporting.document.AssembledDocument`; the wording and the judgements that
must not differ between the two (what a caption says, which columns hold numbers, how a
parameter value or an input file is shown) live here once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

import pandas as pd

from linkage.labels import Language, is_zh, label
from linkage.reporting.document import DASH, Cover, Numbered

__all__ = [
    "ProvenanceView",
    "caption",
    "column_ems",
    "column_widths_em",
    "cover_lines",
    "inline_runs",
    "issued_text",
    "numeric_columns",
    "provenance_view",
    "source_line",
    "table_em",
    "table_font",
    "text_width_em",
]

#: Type sizes (pt) a table may be set in, largest first: wide tables get smaller type.
TABLE_SIZES = (9.5, 8.5, 7.5, 6.5)
#: A header up to this wide (em) stays on one line; longer ones wrap, at least 4 em a line.
KEEP_HEADER_EM = 6.0
#: A text cell up to this wide (em) stays on one line (names); longer text wraps.
KEEP_CELL_EM = 8.0

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_NUMBER = re.compile(r"^[-+−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*%?$")
_WIN_ABS = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")


def caption(numbered: Numbered, language: Language) -> str:
    """The title line above a table or figure: "表 3　标题" / "Table 3. Title"."""
    gap = "\u3000" if is_zh(language) else ". "
    return f"{numbered.label}{gap}{numbered.block.title.strip()}"


def source_line(source: str, language: Language) -> str:
    """The source note below a table or figure, always starting "资料来源：" / "Source: "."""
    text = source.strip()
    if re.match(r"^(资料来源|数据来源|来源|Sources?)\s*[：:]", text, re.I):
        return text
    return f"{label('doc_source', language)}{'：' if is_zh(language) else ': '}{text}"


def inline_runs(text: str) -> list[tuple[str, bool]]:
    """Paragraph text as ``(text, bold)`` runs; ``**bold**`` is the only markup."""
    runs: list[tuple[str, bool]] = []
    at = 0
    for m in _BOLD.finditer(text):
        if m.start() > at:
            runs.append((text[at:m.start()], False))
        runs.append((m.group(1), True))
        at = m.end()
    if at < len(text):
        runs.append((text[at:], False))
    return runs


def numeric_columns(frame: pd.DataFrame) -> list[bool]:
    """Per column: every cell is a formatted number or "—" (and at least one is a number),
    so the column is right-aligned."""
    flags = []
    for column in frame.columns:
        cells = [c.strip() for c in frame[column].astype(str) if c.strip() not in (DASH, "")]
        flags.append(bool(cells) and all(_NUMBER.match(c) for c in cells))
    return flags


def text_width_em(text: str) -> float:
    """Rough printed width of ``text`` in em: CJK and full-width characters 1, others 0.55."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in text)


def column_widths_em(frame: pd.DataFrame) -> list[tuple[float, float]]:
    """Per column of a formatted table ``(header width, widest cell width)`` in em (see
    :func:`text_width_em`)."""
    return [(text_width_em(str(c)),
             max((text_width_em(v) for v in frame[c]), default=0.0)) for c in frame.columns]


def column_ems(frame: pd.DataFrame) -> list[float]:
    """The narrowest sensible width of each column in em of the table's type: numbers and
    short texts on one line, long headers wrapped to at least 4 em, long texts to 12 em, plus
    1 em of padding."""
    numeric = numeric_columns(frame)
    widths = []
    for (head, cell), is_number in zip(column_widths_em(frame), numeric, strict=True):
        header = head if head <= KEEP_HEADER_EM else 4.0
        body = cell if is_number or cell <= KEEP_CELL_EM else min(cell, 12.0)
        widths.append(max(header, body) + 1.0)
    return widths


def table_em(frame: pd.DataFrame) -> float:
    """The narrowest sensible width of a formatted table (sum of :func:`column_ems`)."""
    return sum(column_ems(frame))


def table_font(frame: pd.DataFrame, width_pt: float) -> float | None:
    """The largest of :data:`TABLE_SIZES` at which a formatted table fits ``width_pt``
    points, or ``None`` when it does not fit even in the smallest."""
    em = table_em(frame)
    return next((size for size in TABLE_SIZES if em * size <= width_pt), None)


def issued_text(day: date, language: Language) -> str:
    """The issue date as written on a cover: "2026年12月4日" / "4 December 2026"."""
    if is_zh(language):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"  # not %B: the locale's language


def cover_lines(cover: Cover, language: Language) -> list[tuple[str, str]]:
    """``(label, value)`` lines of the cover below the title, empty fields left out."""
    lines = [("doc_region", cover.region), ("doc_period", cover.period),
             ("doc_organisation", cover.organisation), ("doc_author", cover.author),
             ("doc_issued", issued_text(cover.issued, language))]
    return [(label(key, language), value.strip()) for key, value in lines if value.strip()]


# ---------------------------------------------------------------------------- provenance ----

@dataclass(frozen=True)
class ProvenanceView:
    """The provenance record as four reader tables (strings only, no local paths)."""

    facts: tuple[tuple[str, str], ...]
    parameters: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str, str, str], ...]
    packages: tuple[tuple[str, str], ...]


_FACTS = (("created_utc", "doc_created"), ("linkage_version", "doc_version"),
          ("git_revision", "doc_revision"), ("run_id", "doc_run_id"), ("notebooks", "doc_programs"),
          ("python", "doc_python"), ("platform", "doc_platform"))


def _file_name(text: str) -> str:
    if _WIN_ABS.match(text) or "\\" in text:
        return PureWindowsPath(text).name
    if text.startswith("file://"):
        text = text[len("file://"):]
    return PurePosixPath(os.path.expanduser(text)).name


def _is_path(text: str) -> bool:
    """A file path (absolute, home-relative or with folders), not a web address."""
    if "://" in text and not text.startswith("file://"):
        return False
    return (text.startswith(("/", "~", "file://")) or bool(_WIN_ABS.match(text))
            or "/" in text or "\\" in text)


@lru_cache(maxsize=1)
def _indicator_names() -> dict[str, tuple[str, str]]:
    from linkage.frameworks import load_framework

    return {i.id: (i.name_zh, i.name_en) for i in load_framework().indicators}


def _display(value: Any, language: Language) -> str:
    zh = is_zh(language)
    if value is None or (isinstance(value, str) and not value.strip()):
        return "（默认）" if zh else "(default)"
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("Yes" if value else "No")
    if isinstance(value, float):
        return DASH if value != value else f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return ("、" if zh else ", ").join(_display(v, language) for v in value) or DASH
    if isinstance(value, Mapping):
        return ("；" if zh else "; ").join(f"{k} = {_display(v, language)}"
                                          for k, v in value.items())
    text = str(value)
    if _is_path(text):
        return _file_name(text)
    names = _indicator_names().get(text)
    if names is not None:  # a framework indicator id is shown by its name
        return names[0] if zh else names[1]
    return text


def _flatten(parameters: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in parameters.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            rows.extend(_flatten(value, f"{name}."))
        else:
            rows.append((name, value))
    return rows


def provenance_view(provenance: Mapping[str, Any], language: Language) -> ProvenanceView:
    """The provenance record as a reader sees it.

    Known facts are labelled (生成时间, 代码版本 …); parameters are listed one per row (nested
    mappings flattened as ``section.name``), values shown once, unescaped (the renderer escapes),
    file paths reduced to the file name (no local folders) and framework indicator ids to their
    names;
    inputs by file name with the first 16 hex digits of their SHA-256; package versions.
    Further keys of the record are shown as facts under their own name.
    """
    known = {key for key, _ in _FACTS} | {"parameters", "inputs", "packages"}
    facts = [(label(lab, language), _display(provenance[key], language))
             for key, lab in _FACTS if key in provenance]
    facts += [(str(key), _display(value, language)) for key, value in provenance.items()
              if key not in known]
    parameters = [(name, _display(value, language))
                  for name, value in _flatten(dict(provenance.get("parameters") or {}))]
    inputs = []
    for name, record in dict(provenance.get("inputs") or {}).items():
        record = record if isinstance(record, Mapping) else {"path": record}
        path = str(record.get("path") or name)
        digest = record.get("sha256")
        size = record.get("bytes")
        inputs.append((_display(name, language) if _is_path(str(name)) else str(name),
                       _file_name(path),
                       str(digest)[:16] if digest else DASH,
                       f"{int(size):,}" if isinstance(size, int) else DASH))
    packages = [(str(k), _display(v, language))
                for k, v in dict(provenance.get("packages") or {}).items()]
    return ProvenanceView(tuple(facts), tuple(parameters), tuple(inputs), tuple(packages))
