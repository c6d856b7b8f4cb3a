"""Escaping data on its way out (输出转义): Markdown, HTML and Excel cells.

Data values — county names, indicator names from a user's framework, anything read from a file —
are text, never markup or formulas. Three places turn text into something live:

* **HTML** (report.html): ``<img src=x onerror=…>`` in a county name would run as script.
  :func:`html_text` escapes a value for HTML; :mod:`linkage.report` also sanitises every
  notebook output before rendering (Markdown with its raw HTML escaped, then
  :func:`sanitise_html`), so a module that forgets to
  escape cannot make a report run script.
* **Markdown** (narratives shown with ``display(Markdown(...))``): raw HTML and links pass
  through Markdown. :func:`markdown_text` escapes a value so it renders literally (``*``, ``_``,
  ``[``, ``<`` … included).
* **Excel**: openpyxl stores a string starting with ``=`` as a formula, so ``=cmd|' /C calc'!A0``
  in a framework name would become a live formula in a template. :func:`xlsx_text` writes a
  string cell as text whatever it starts with.
"""

from __future__ import annotations

import re
from typing import Any

import markupsafe

#: A web address in running text: it ends at white space, quotes, brackets or Chinese
#: punctuation (addresses are often listed with 、 between them), and a trailing . , ; or :
#: belongs to the sentence, not to the address.
URL = re.compile(r"https?://[^\s<>\"'、，。；：！？）)\]】》」]+?(?=[.,;:]*(?:[\s<>\"'、，。；：！？）)\]】》」]|$))")

__all__ = [
    "ALLOWED_HTML_ATTRIBUTES",
    "URL",
    "html_text",
    "markdown_text",
    "sanitise_html",
    "xlsx_text",
]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")

#: Attributes kept on any tag by :func:`sanitise_html` (tables need them to look right).
ALLOWED_HTML_ATTRIBUTES = frozenset({"class", "style", "colspan", "rowspan", "align", "border",
                                     "valign", "title", "lang", "width"})


def html_text(value: Any) -> str:
    """A value as HTML text (``<``, ``>``, ``&``, quotes escaped; markupsafe).

    >>> html_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    return str(markupsafe.escape(str(value)))


def markdown_text(value: Any) -> str:
    """A value as literal Markdown text: every Markdown and HTML special character escaped.

    >>> markdown_text("*甲县* <b>[x](javascript:1)")
    '\\\\*甲县\\\\* \\\\<b\\\\>\\\\[x\\\\]\\\\(javascript:1\\\\)'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


def sanitise_html(html: str) -> str:
    """Remove everything that could run from an HTML fragment (nh3 / ammonia allowlist).

    Script, style and event-handler attributes, ``javascript:`` and other non-web URLs are
    removed; table markup, classes and inline styles are kept.

    >>> sanitise_html('<p class="x" onclick="f()">1</p><script>alert(1)</script>')
    '<p class="x">1</p>'
    """
    import nh3

    attributes = {tag: set(names) | ALLOWED_HTML_ATTRIBUTES
                  for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = set(ALLOWED_HTML_ATTRIBUTES)
    return nh3.clean(html, attributes=attributes, link_rel=None,
                     url_schemes={"http", "https", "mailto"})


def xlsx_text(cell: Any, value: Any) -> Any:
    """Put ``value`` into an openpyxl cell; a string is stored as text even if it starts with
    ``=`` (never a formula). Returns the cell.

    >>> from openpyxl import Workbook
    >>> xlsx_text(Workbook().active["A1"], "=1+1").data_type
    's'
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
