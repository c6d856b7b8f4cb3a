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

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

#: A web address in running text: it ends at white space, quotes, brackets or Chinese
#: punctuation (addresses are often listed with 、 between them), and a trailing . , ; or :
#: belongs to the sentence, not to the address.
URL = re.compile(r"https?://[^\s<>\"'、，。；：！？）)\]】》」]+?(?=[.,;:]*(?:[\s<>\"'、，。；：！？）)\]】》」]|$))")

__all__ = [
    "URL",
    "markdown_text",
    "write_table",
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


def write_table(table: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False,
                sheet_name: str = "表1", index: bool = False) -> Path:
    """Write a table for readers in Excel (输出表格): ``.csv`` as UTF-8 with a byte-order mark
    (Excel opens it without mojibake) or ``.xlsx`` with every string cell stored as text
    (:func:`xlsx_text`: a value starting with ``=`` never becomes a formula), chosen by the
    extension; written atomically (:func:`linkage.atomic.atomic_path`), never into
    ``data/raw/``.

    Parameters
    ----------
    table : pandas.DataFrame
    path : path-like
        Target ``.csv`` or ``.xlsx``.
    overwrite : bool, default False
        Replace an existing file (command line: ``--force``).
    sheet_name : str
        The worksheet's name (``.xlsx``).
    index : bool, default False
        Write the index as the first column(s).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    linkage.errors.OutputError
        Another extension, a target inside ``data/raw/``, an existing file without
        ``overwrite``.

    Examples
    --------
    >>> import tempfile
    >>> out = write_table(pd.DataFrame({"名称": ["=1+1"]}), Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> from openpyxl import load_workbook
    >>> load_workbook(out).active["A2"].value
    '=1+1'
    """
    from linkage.atomic import atomic_path, check_output_target
    from linkage.errors import OutputError

    target = check_output_target(Path(path))
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise OutputError(f"表格只能写成 .csv 或 .xlsx（现为 {target.name}）/ a table must be "
                          "written as .csv or .xlsx", file=target,
                          hint="例如 -o 结果.xlsx")
    frame = table.reset_index() if index else table
    with atomic_path(target, overwrite=overwrite) as tmp:
        if suffix == ".csv":
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        else:
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            sheet.title = sheet_name
            cells = frame.astype(object).where(frame.notna(), None)
            for r, record in enumerate([[str(c) for c in frame.columns],
                                        *cells.itertuples(index=False)], start=1):
                for c, value in enumerate(record, start=1):
                    xlsx_text(sheet.cell(row=r, column=c), value)
            book.save(tmp)
    return target
