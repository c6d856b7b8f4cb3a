"""Escaping data on its way out (输出转义): Markdown, HTML and Excel cells.

Data values — county names, indicator names from a user's framework, anything read from a file —
are text, never markup or formulas. Three places turn text into something live:

* **HTML** (the reports): ``<img src=x onerror=…>`` in a county name would run as script.
  Reports are rendered from the sections' plain data (:mod:`linkage.reporting.document`) by
  Jinja2 templates with autoescaping (:mod:`linkage.reporting.html`), never from notebook
  outputs, so every value is shown as text.
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

#: A web address in running text: it ends at white space, quotes, brackets or Chinese
#: punctuation (addresses are often listed with 、 between them), and a trailing . , ; or :
#: belongs to the sentence, not to the address.
URL = re.compile(r"https?://[^\s<>\"'、，。；：！？）)\]】》」]+?(?=[.,;:]*(?:[\s<>\"'、，。；：！？）)\]】》」]|$))")

__all__ = [
    "URL",
    "markdown_text",
    "xlsx_text",
]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")

def markdown_text(value: Any) -> str:
    """A value as literal Markdown text: every Markdown and HTML special character escaped.

    >>> markdown_text("*甲县* <b>[x](javascript:1)")
    '\\\\*甲县\\\\* \\\\<b\\\\>\\\\[x\\\\]\\\\(javascript:1\\\\)'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


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
