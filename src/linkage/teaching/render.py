"""Handouts and slides of the teaching notebooks (讲义与幻灯片).

A teaching notebook is executed once (:func:`~linkage.teaching.kernel.execute_teaching`: the
``linkage`` kernel, default parameters, interactive figures static) and the executed notebook
is drawn two ways, both self-contained HTML files that open without a network:

- :func:`render_handout`: a printable A4 handout for participants — a cover with the title,
  class time and learning goals, the narrative and the outputs with **code hidden** (a cell
  tagged ``show-code`` shows its code in small type), exercises and the quiz boxed, figures
  numbered 图 1, 图 2 … with their titles below (the code cell's metadata ``"figure"``),
  formulas drawn as images (matplotlib mathtext), the kit's Chinese font embedded
  (:func:`~linkage.reporting.fonts.font_face_css`). Cells tagged ``answer`` or
  ``handout-skip`` are left out. Print rules: A4 with page numbers, headings kept with what
  follows, figures, tables and exercise boxes never split.
- :func:`render_slides`: reveal.js slides (nbconvert's ``SlidesExporter`` with the kit's
  template ``linkage_reveal``): slide types from ``metadata.slideshow.slide_type`` (or one
  slide per ``#``/``##`` heading when a notebook sets none), code hidden as in the handout,
  the same figure numbers, reveal.js 5.2.1 (``teaching/static/reveal``, MIT) and the font
  inlined — no script or stylesheet is fetched from anywhere.

The rules the notebooks follow are in ``docs/teaching.md``.
"""

from __future__ import annotations

import base64
import copy
import html
import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from markupsafe import Markup

__all__ = [
    "ANSWER_TAGS",
    "FigureRef",
    "caption_text",
    "figure_numbers",
    "markdown_html",
    "math_html",
    "printed_cells",
    "render_handout",
    "render_slides",
    "with_math",
]

Target = Literal["handout", "slides"]

#: Tags that keep a cell out of every printed form.
ANSWER_TAGS = frozenset({"answer", "solution"})
_IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


# ------------------------------------------------------------------------------- cells ----

def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def printed_cells(nb: Any, target: Target) -> list[Any]:
    """The cells a handout or slides show: without answers, ``<target>-skip`` cells,
    papermill's injected parameters and the ``parameters`` cell."""
    drop = ANSWER_TAGS | {f"{target}-skip", "injected-parameters", "parameters"}
    return [cell for cell in nb.cells if not (_tags(cell) & drop)]


@dataclass(frozen=True)
class FigureRef:
    """One numbered figure: cell position (in the printed cells), output position, number,
    title ("" when the cell gives none)."""

    cell: int
    output: int
    number: int
    title: str


def _titles(cell: Any) -> list[str]:
    given = cell.get("metadata", {}).get("figure", [])
    return [given] if isinstance(given, str) else [str(t) for t in given]


def figure_numbers(cells: list[Any]) -> list[FigureRef]:
    """Number every image output in order (图 1, 图 2 …); titles from the code cell's metadata
    ``"figure"`` (a string, or a list with one title per image)."""
    refs: list[FigureRef] = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        titles = _titles(cell)
        images = [j for j, out in enumerate(cell.get("outputs", []))
                  if any(t in out.get("data", {}) for t in _IMAGE_TYPES)]
        for k, j in enumerate(images):
            refs.append(FigureRef(i, j, len(refs) + 1, titles[k] if k < len(titles) else ""))
    return refs


def caption_text(ref: FigureRef) -> str:
    """``图 3　标题`` (or ``图 3`` without a title)."""
    return f"图 {ref.number}" + (f"\u3000{ref.title}" if ref.title else "")


# -------------------------------------------------------------------------------- math ----

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?!\d)")
_SIZE = re.compile(r'height="([\d.]+)pt"')
#: Type size (pt) formulas are drawn at; their height is then given in em of the text.
_MATH_PT = 12.0
#: LaTeX spellings mathtext lacks, with the ones it knows.
_ALIASES = re.compile(r"\\(le|ge)(?![A-Za-z])")


@lru_cache(maxsize=512)
def math_html(tex: str, display: bool = False) -> str:
    """A formula as an ``<img>`` (SVG drawn by matplotlib's mathtext, as a data URI), or its
    LaTeX source in ``<code>`` when mathtext cannot draw it (e.g. Chinese inside ``$…$``)."""
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    source = _ALIASES.sub(lambda m: f"\\{m.group(1)}q", " ".join(tex.split()))
    fallback = f'<code class="math">{html.escape(source)}</code>'
    if not source or not source.isascii():
        return fallback
    buffer = io.BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mathtext.math_to_image(f"${source}$", buffer, format="svg", dpi=72,
                                   prop=FontProperties(size=_MATH_PT))
    except Exception:  # mathtext's parser raises ValueError and others: show the source
        return fallback
    svg = buffer.getvalue()
    found = _SIZE.search(svg.decode("utf-8", "replace"))
    height = float(found.group(1)) / _MATH_PT if found else 1.2
    data = base64.b64encode(svg).decode("ascii")
    kind = "math display" if display else "math"
    return (f'<img class="{kind}" alt="{html.escape(source, quote=True)}" '
            f'style="height: {height:.2f}em" src="data:image/svg+xml;base64,{data}">')


def _extract_math(text: str) -> tuple[str, dict[str, str]]:
    """Markdown with its formulas replaced by placeholders, and the placeholders' HTML."""
    found: dict[str, str] = {}

    def keep(match: re.Match[str], display: bool) -> str:
        key = f"LINKAGEMATH{len(found)}X"
        drawn = math_html(match.group(1), display)
        found[key] = f'<span class="math-block">{drawn}</span>' if display else drawn
        return key

    text = _DISPLAY.sub(lambda m: keep(m, True), text)
    return _INLINE.sub(lambda m: keep(m, False), text), found


def with_math(markdown: str) -> str:
    """Markdown whose formulas are replaced by their drawn HTML (for nbconvert's renderer)."""
    text, found = _extract_math(markdown)
    for key, value in found.items():
        text = text.replace(key, value)
    return text


def markdown_html(markdown: str) -> str:
    """Markdown (as in a notebook cell) to HTML, formulas drawn by :func:`math_html`."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    text, found = _extract_math(markdown)
    out = markdown2html_mistune(text)
    for key, value in found.items():
        out = out.replace(key, value)
    return out


# ----------------------------------------------------------------------------- handout ----

def _output_blocks(cell: Any, refs: dict[int, FigureRef]) -> Iterator[dict[str, Any]]:
    for j, out in enumerate(cell.get("outputs", [])):
        kind = out.get("output_type")
        if kind == "stream":
            if out.get("name") == "stdout" and "".join(out.get("text", "")).strip():
                yield {"kind": "text", "text": "".join(out["text"])}
            continue
        if kind not in ("display_data", "execute_result"):
            continue
        data = out.get("data", {})
        image = next((t for t in _IMAGE_TYPES if t in data), None)
        if image is not None:
            payload = data[image]
            if image == "image/svg+xml":
                payload = base64.b64encode("".join(payload).encode("utf-8")).decode("ascii")
            yield {"kind": "figure", "src": f"data:{image};base64,{''.join(payload).strip()}",
                   "caption": caption_text(refs[j]) if j in refs else ""}
        elif "text/html" in data:
            yield {"kind": "html", "html": Markup("".join(data["text/html"]))}
        elif "text/markdown" in data:
            yield {"kind": "html", "html": Markup(markdown_html("".join(data["text/markdown"])))}
        elif "text/plain" in data:
            yield {"kind": "text", "text": "".join(data["text/plain"])}


def _handout_blocks(cells: list[Any], refs: list[FigureRef]) -> list[dict[str, Any]]:
    by_cell: dict[int, dict[int, FigureRef]] = {}
    for ref in refs:
        by_cell.setdefault(ref.cell, {})[ref.output] = ref
    blocks: list[dict[str, Any]] = []
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        box = "exercise" if "exercise" in tags else "quiz" if "quiz" in tags else ""
        if cell.cell_type == "markdown":
            blocks.append({"kind": "markdown", "box": box,
                           "html": Markup(markdown_html("".join(cell.source)))})
        elif cell.cell_type == "code":
            if "show-code" in tags:
                blocks.append({"kind": "code", "text": "".join(cell.source)})
            blocks.extend(_output_blocks(cell, by_cell.get(i, {})))
    return blocks


_BOLD = re.compile(r"(?s)<(h[1-6]|strong|b|th|figcaption|dt)[^>]*>(.*?)</\1>")


def _font_css(markup: str) -> Markup:
    """The kit's font cut to the characters of ``markup`` (bold: headings, captions, strong)."""
    from linkage.reporting.fonts import font_face_css
    from linkage.reporting.html import _visible_text

    bold = " ".join(m.group(2) for m in _BOLD.finditer(markup))
    return Markup(font_face_css(_visible_text(markup) + "0123456789", _visible_text(bold)))


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("linkage.teaching", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _static(name: str) -> str:
    return (resources.files("linkage.teaching") / "static" / name).read_text(encoding="utf-8")


def render_handout(nb: Any, meta: dict[str, Any]) -> tuple[str, list[FigureRef]]:
    """The handout of an executed teaching notebook as one HTML document.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    meta : dict
        Its ``linkage.teaching`` block (number, title, goals, minutes).

    Returns
    -------
    (str, list of FigureRef)
        The HTML (UTF-8 text) and its numbered figures (those without a title have
        ``title == ""``).
    """
    from linkage import __version__

    cells = printed_cells(nb, "handout")
    refs = figure_numbers(cells)
    context = {"meta": meta, "blocks": _handout_blocks(cells, refs), "version": __version__,
               "today": date.today().isoformat(), "stylesheet": Markup(_static("handout.css")),
               "font_css": Markup("")}
    template = _environment().get_template("handout.html.j2")
    draft = template.render(context)
    context["font_css"] = _font_css(draft)
    return template.render(context), refs


# ------------------------------------------------------------------------------ slides ----

_HEADING = re.compile(r"^\s*#{1,2}\s")


def _slide_cells(nb: Any) -> Any:
    """A copy of ``nb`` arranged for slides: printed cells only, code hidden unless tagged
    ``show-code``, formulas drawn, figure captions added below their images, and slide types
    from the headings when the notebook sets none."""
    import nbformat

    slides = copy.deepcopy(nb)
    cells = printed_cells(slides, "slides")
    refs = figure_numbers(cells)
    given = any(c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in cells)
    for ref in reversed(refs):  # insert captions from the last, so positions stay valid
        outputs = cells[ref.cell].outputs
        caption = nbformat.v4.new_output(
            "display_data", data={"text/html": f'<p class="caption">'
                                               f'{html.escape(caption_text(ref))}</p>'})
        outputs.insert(ref.output + 1, caption)
    for n, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            cell.source = with_math("".join(cell.source))
        elif "show-code" not in _tags(cell):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
        if not given:
            start = n == 0 or (cell.cell_type == "markdown"
                               and _HEADING.match("".join(cell.source)) is not None)
            cell.metadata["slideshow"] = {"slide_type": "slide" if start else "-"}
    slides.cells = cells
    return slides


def render_slides(nb: Any, meta: dict[str, Any]) -> str:
    """reveal.js slides of an executed teaching notebook as one self-contained HTML file."""
    from nbconvert import SlidesExporter

    slides = _slide_cells(nb)
    slides.metadata["title"] = f"第 {meta['number']} 讲　{meta['title']}"
    folder = str(resources.files("linkage.teaching") / "templates")
    exporter = SlidesExporter(extra_template_basedirs=[folder], template_name="linkage_reveal",
                              exclude_input_prompt=True, exclude_output_prompt=True)
    assets = {name: Markup(_static(f"reveal/{name}"))
              for name in ("reveal.js", "reveal.css", "white.css")}
    extra = {"linkage": {**assets, "stylesheet": Markup(_static("slides.css")),
                         "font_css": Markup("")}}
    draft, _ = exporter.from_notebook_node(slides, resources=copy.deepcopy(extra))
    extra["linkage"]["font_css"] = _font_css(draft)
    body, _ = exporter.from_notebook_node(slides, resources=extra)
    return body
