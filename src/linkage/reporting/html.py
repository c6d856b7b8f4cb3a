"""The report as one self-contained HTML file (HTML 报告).

:func:`render_html` draws an :class:`~linkage.reporting.document.AssembledDocument` as a single
HTML document that needs nothing from the network: no script at all, the kit's stylesheet and
print stylesheet (``linkage/reporting/static/``) inlined, figures as ``data:`` PNGs, and the
bundled OFL CJK font cut to the document's characters and embedded as WOFF2
(:mod:`linkage.reporting.fonts`), first in the font stack, so Chinese renders on a machine
without Chinese fonts. The only links are the anchors of the 目录 and, in the appendix, links
to mirror pages named in notes.

Order: cover (title, region, period, issuing unit, author, date, 模拟数据 stamp), 摘要
(numbered findings), 目录, chapters (tables and figures numbered, the title above, 资料来源 and
notes below), 附录 (附录一 研究方法与说明, 附录二 附表与附图, 附录三 来源记录).
Printing gives A4 pages with page numbers; the 摘要, 目录, first chapter, 附录 and each part
of the appendix start a new page, chapters run on (a heading never ends a page); table headers
repeat on each page; figures print at 85 % (at most 11 cm high) and are never split.

Every text is escaped by Jinja2's autoescape (a county called ``<img src=x onerror=…>`` is
shown as those characters); ``**bold**`` in paragraphs is the only markup.

:func:`render_section_html` shows one section in JupyterLab (``Section._repr_html_``).
"""

from __future__ import annotations

import base64
import html as _html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from linkage import __version__
from linkage.atomic import atomic_path
from linkage.escaping import URL
from linkage.labels import Language, is_zh, label
from linkage.reporting.document import (
    AssembledDocument,
    Chapter,
    Cover,
    Document,
    Figure,
    Heading,
    Numbered,
    Paragraph,
    Section,
    chapter_heading,
)
from linkage.reporting.fonts import font_face_css
from linkage.reporting.presentation import (
    KEEP_CELL_EM,
    KEEP_HEADER_EM,
    TABLE_SIZES,
    caption,
    column_widths_em,
    cover_lines,
    inline_runs,
    numeric_columns,
    provenance_view,
    source_line,
    table_font,
)

__all__ = ["render_html", "render_section_html", "stylesheet", "write_html"]

#: Printed text width (pt) of an A4 page, portrait and landscape, with 20 mm side margins.
PORTRAIT_PT, LANDSCAPE_PT = 482.0, 728.0

_WORDS = ("summary", "contents", "appendix", "methods", "caveats", "provenance",
          "provenance_note", "item", "value", "parameters", "parameter", "inputs", "file",
          "sha256", "bytes", "packages", "package", "package_version")


def stylesheet(name: str = "report.css") -> Markup:
    """A stylesheet shipped with the kit (``report.css`` or ``print.css``), as trusted markup."""
    path = resources.files("linkage.reporting") / "static" / name
    return Markup(path.read_text(encoding="utf-8"))


def _inline(text: str) -> Markup:
    return Markup("").join(Markup("<strong>{}</strong>").format(t) if bold else escape(t)
                           for t, bold in inline_runs(text))


def _links(text: str, enabled: bool) -> Markup:
    if not enabled:
        return escape(text)
    out, at = [], 0
    for m in URL.finditer(text):
        out += [escape(text[at:m.start()]), Markup('<a href="{0}">{0}</a>').format(m.group(0))]
        at = m.end()
    out.append(escape(text[at:]))
    return Markup("").join(out)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("linkage.reporting", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["inline"] = _inline
    env.filters["links"] = _links
    return env


# ------------------------------------------------------------------------------ the view ----

@dataclass(frozen=True)
class _Column:
    name: str
    th_attrs: Markup
    td_class: Markup


def _table_view(n: Numbered, language: Language, *, links: bool) -> dict[str, Any]:
    table = n.block
    numeric = numeric_columns(table.frame)
    # portrait if it fits at some type size, else a landscape page (smallest type last)
    size, landscape = table_font(table.frame, PORTRAIT_PT), False
    if size is None:
        size, landscape = table_font(table.frame, LANDSCAPE_PT) or TABLE_SIZES[-1], True
    columns = []
    for name, (head, cell), is_number in zip(table.frame.columns, column_widths_em(table.frame),
                                             numeric, strict=True):
        th = Markup(' class="keep"') if head <= KEEP_HEADER_EM else Markup(
            ' style="min-width: 4em"')
        td = Markup(' class="num"') if is_number else (
            Markup(' class="keep"') if cell <= KEEP_CELL_EM else Markup(""))
        columns.append(_Column(str(name), th, td))
    return {"kind": "table", "anchor": _anchor(n.label), "caption": caption(n, language),
            "columns": columns, "rows": table.frame.values.tolist(),
            "style": Markup(' style="font-size: {}pt"').format(f"{size:g}"),
            "landscape": landscape, "source": source_line(table.source, language),
            "notes": list(table.notes), "links": links}


def _figure_view(n: Numbered, language: Language, *, links: bool) -> dict[str, Any]:
    figure = n.block
    assert isinstance(figure, Figure)
    data = base64.b64encode(figure.png).decode("ascii")
    return {"kind": "figure", "anchor": _anchor(n.label), "caption": caption(n, language),
            "title": figure.title, "src": f"data:image/png;base64,{data}",
            "width_cm": f"{min(figure.width_cm, 16.0):.1f}",
            "source": source_line(figure.source, language), "notes": list(figure.notes),
            "links": links}


def _exhibit(n: Numbered, language: Language, *, links: bool = False) -> dict[str, Any]:
    if isinstance(n.block, Figure):
        return _figure_view(n, language, links=links)
    return _table_view(n, language, links=links)


def _anchor(text: str) -> str:
    return "x-" + re.sub(r"[^0-9A-Za-z]+", "-", text.encode("ascii", "backslashreplace")
                         .decode("ascii")).strip("-").lower()


def _chapter_view(ch: Chapter, language: Language) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    for i, b in enumerate(ch.blocks):
        if isinstance(b, Heading):
            level = min(max(b.level, 2), 3)
            blocks.append({"kind": "heading", "level": level, "text": b.text,
                           "anchor": f"ch-{ch.number}-{i}"})
        elif isinstance(b, Paragraph):
            blocks.append({"kind": "paragraph", "text": b.text})
        else:
            blocks.append(_exhibit(b, language))
    return {"anchor": f"ch-{ch.number}", "heading": chapter_heading(ch, language),
            "blocks": blocks}


def _words(language: Language) -> dict[str, str]:
    return {w: label(f"doc_{w}", language) for w in _WORDS}


def _methods_view(doc: AssembledDocument) -> dict[str, Any]:
    return {"heading": doc.appendix_parts()[0][1], "sections": doc.methods,
            "caveats_label": label("doc_caveats", doc.language)}


def _html_lang(language: Language) -> str:
    return "zh-CN" if is_zh(language) else "en"


def _cover_view(cover: Cover, language: Language) -> dict[str, Any]:
    return {"title": cover.title, "region": cover.region,
            "lines": cover_lines(cover, language),
            "stamp": label("doc_simulated_stamp", language) if cover.simulated else ""}


_BOLD_ELEMENTS = re.compile(
    r'(?s)<(h[1-3]|strong|th|p class="caption"|span class="(?:stamp|no)")[^>]*>(.*?)</')


def _bold_text(markup: str) -> str:
    """Characters the stylesheet sets in bold: headings, table headers, captions, stamps."""
    return _visible_text(" ".join(m.group(2) for m in _BOLD_ELEMENTS.finditer(markup)))


def _visible_text(markup: str) -> str:
    """Characters a reader can see in ``markup`` (tags, styles and data URIs removed)."""
    body = re.sub(r"(?is)<(style|script)[^>]*>.*?</\1>", " ", markup)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    return _html.unescape(body)


# ----------------------------------------------------------------------------- renderers ----

def render_html(doc: AssembledDocument) -> str:
    """The whole report as one self-contained HTML document (UTF-8 text).

    Parameters
    ----------
    doc : AssembledDocument
        From :meth:`Document.assemble <linkage.reporting.document.Document.assemble>`.

    Returns
    -------
    str
        ``<!DOCTYPE html>`` … with ``lang="zh-CN"`` (or ``"en"``), the stylesheets and the
        font subset inlined; write it with ``encoding="utf-8"``.
    """
    language = doc.language
    chapters = [_chapter_view(ch, language) for ch in doc.chapters]
    entries = doc.contents()
    contents = [{"text": text, "anchor": ch["anchor"],
                 "children": [{"text": b["text"], "anchor": b["anchor"]}
                              for b in ch["blocks"] if b["kind"] == "heading"
                              and b["level"] == 2]}
                for text, ch in zip(entries, chapters, strict=False)]
    parts = doc.appendix_parts()
    contents.append({"text": entries[-1], "anchor": "appendix",
                     "children": [{"text": text, "anchor": anchor} for anchor, text in parts]})
    provenance = provenance_view(doc.provenance, language) if doc.provenance else None
    context = {"lang": _html_lang(language), "version": __version__,
               "cover": _cover_view(doc.cover, language), "summary": list(doc.summary),
               "contents": contents, "chapters": chapters, "methods": _methods_view(doc),
               "appendix": [_exhibit(n, language, links=True) for n in doc.appendix],
               "parts": dict(parts),
               "provenance": provenance, "words": _words(language),
               "stylesheet": stylesheet("report.css"),
               "print_stylesheet": stylesheet("print.css"), "font_css": ""}
    template = _environment().get_template("report.html.j2")
    draft = template.render(context)
    # page numbers and the contents' dotted leaders are drawn by the print stylesheet
    context["font_css"] = Markup(font_face_css(_visible_text(draft) + "0123456789.",
                                               _bold_text(draft)))
    return template.render(context)


def write_html(doc: AssembledDocument, path: str | PathLike[str]) -> Path:
    """Write :func:`render_html` of ``doc`` to ``path`` (UTF-8), atomically; returns ``path``."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(render_html(doc), encoding="utf-8")
    return Path(path)


def render_section_html(section: Section) -> str:
    """One section as an HTML fragment for JupyterLab (``Section._repr_html_``).

    References are resolved as in a one-section document (表 1, 图 1, 附表 1); the stylesheet
    is included (scoped to the fragment); no font is embedded (the browser has its own).
    """
    language: Language = section.language
    doc = Document(Cover(section.title, "", ""), (section,), language=language).assemble()
    context: Mapping[str, Any] = {
        "chapters": [_chapter_view(ch, language) for ch in doc.chapters],
        "appendix": [_exhibit(n, language, links=True) for n in doc.appendix],
        "methods": _methods_view(doc), "words": _words(language),
        "lang": _html_lang(language), "stylesheet": stylesheet("report.css")}
    return _environment().get_template("section.html.j2").render(context)
