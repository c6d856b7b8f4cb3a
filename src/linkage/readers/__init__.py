"""Reading real-world data files (数据文件读取): CSV, Excel yearbook tables, Stata.

:func:`read_table` reads CSV/TXT (UTF-8, UTF-8 with BOM, GBK/GB18030 — detected by
:func:`detect_encoding`), Excel ``.xlsx``/``.xls`` including statistical-yearbook layouts, and
Stata ``.dta``; its index is the row number a user sees in the file, so later validation can
point at it. :func:`wide_to_long` turns a yearbook table with years across columns into a
long table (county × year). :func:`read_yearbook` reads statistical-yearbook tables (stacked
续表 blocks, split headings, "of which" levels, encrypted workbooks) into long form, and
:func:`read_listing` lists laid out by section.
"""

from linkage.readers.cells import NA_VALUES
from linkage.readers.encoding import detect_encoding
from linkage.readers.reshape import wide_to_long
from linkage.readers.table import SUFFIXES, read_table
from linkage.readers.yearbook import read_listing, read_yearbook, yearbook_panel

__all__ = [
    "NA_VALUES",
    "SUFFIXES",
    "detect_encoding",
    "read_listing",
    "read_table",
    "read_yearbook",
    "wide_to_long",
    "yearbook_panel",
]
