"""Cell and heading clean-up (单元格清理): missing markers, whitespace, heading normalisation.

Shared by every reader so that a CSV, an Excel sheet and a Stata file yield text cells and
column headings in the same shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "NA_VALUES",
    "clean_column",
    "column_letter",
    "heading_text",
    "normalise_heading",
    "squeeze_spaces",
]

NA_VALUES: tuple[str, ...] = (
    "",
    "—",
    "——",
    "–",
    "-",
    "－",
    "…",
    "……",
    "...",
    "NA",
    "N/A",
    "#N/A",
    "／",
    "/",
)
"""Default missing-value markers (缺失值标记), compared with the stripped cell text.

Dashes and ellipses are what statistical yearbooks print for "not available" / "too small";
``NA``/``N/A``/``#N/A`` come from Stata, R and Excel exports. "无" is deliberately *not* a
default: in household monitoring data it is a category ("shock = 无", no shock). Pass
``na_values=(*NA_VALUES, "无")`` to :func:`linkage.readers.read_table` where it means missing.
"""

_NEWLINE = re.compile(r"\s*[\r\n]+\s*")
_SPACES = re.compile(r"\s+")


def _join_lines(match: re.Match[str]) -> str:
    """Drop a line break inside a heading; keep one space between two ASCII words."""
    text = match.string
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return " " if before.isascii() and after.isascii() and before and after else ""


def normalise_heading(value: object) -> str:
    """Normalise one column heading (列名规范化): strip, remove line breaks, collapse spaces.

    A line break between Chinese characters is removed (``"人均可支配\\n收入"`` →
    ``"人均可支配收入"``); between two ASCII words it becomes one space. Integral numbers (a
    year stored as 2019.0) are written without decimals.

    Parameters
    ----------
    value : object
        The heading cell as read (text, number or missing).

    Returns
    -------
    str
        The normalised heading; ``""`` for a missing cell.

    Examples
    --------
    >>> normalise_heading("  人均可支配\\n收入（元） ")
    '人均可支配收入（元）'
    >>> normalise_heading(2019.0)
    '2019'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    text = _NEWLINE.sub(_join_lines, text)
    return _SPACES.sub(" ", text).strip()


def heading_text(parts: Iterable[object]) -> str:
    """Join the header cells of one column top to bottom with "/", skipping repeats.

    Examples
    --------
    >>> heading_text(["农村居民", "农村居民", "人均可支配收入(元)"])
    '农村居民/人均可支配收入(元)'
    >>> heading_text(["地区", None])
    '地区'
    """
    kept: list[str] = []
    for part in map(normalise_heading, parts):
        if part and (not kept or kept[-1] != part):
            kept.append(part)
    return "/".join(kept)


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 → "A", 27 → "AB").

    >>> column_letter(27)
    'AB'
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def clean_column(values: pd.Series, na_values: frozenset[str]) -> tuple[pd.Series, pd.Series]:
    """Strip text cells and turn missing markers into missing values.

    Surrounding whitespace, including full-width spaces (U+3000) and no-break spaces, is
    removed from text cells; other cells (numbers, dates) are left as they are.

    Parameters
    ----------
    values : pandas.Series
        One column as read (object or string dtype).
    na_values : frozenset of str
        Texts that mean "missing" after stripping.

    Returns
    -------
    cleaned : pandas.Series
        The column with stripped text and missing markers replaced by missing values.
    marker : pandas.Series of bool
        True where a non-empty missing marker (such as "—") was found.

    Examples
    --------
    >>> cleaned, marker = clean_column(pd.Series(["\\u3000是 ", "—", 3], dtype=object),
    ...                                frozenset(NA_VALUES))
    >>> cleaned.tolist(), marker.tolist()
    (['是', nan, 3], [False, True, False])
    """
    try:
        stripped = values.str.strip()
    except AttributeError:  # no text cells in this column
        stripped = pd.Series(np.nan, index=values.index, dtype=object)
    is_text = stripped.notna()
    cleaned = values.where(~is_text, stripped)
    missing = is_text & cleaned.isin(na_values)
    marker = missing & cleaned.ne("")
    return cleaned.mask(missing), marker


_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def squeeze_spaces(values: pd.Series) -> pd.Series:
    """Remove the padding spaces yearbooks put inside Chinese names (去除名称中的填充空格).

    Spaces (also full-width U+3000 and line breaks) next to a non-ASCII character go
    (``"北  京"`` → ``"北京"``, ``"全 国"`` → ``"全国"``); runs of spaces between ASCII words
    become one space; the ends are stripped. Missing values stay missing.

    Examples
    --------
    >>> squeeze_spaces(pd.Series(["北  京", "全\\u3000国 ", "Inner  Mongolia", None])).tolist()
    ['北京', '全国', 'Inner Mongolia', nan]
    """
    text = values.astype("object").where(values.notna())
    squeezed = text.str.replace(_CJK_GAP, "", regex=True).str.replace(_SPACES, " ", regex=True)
    return squeezed.str.strip()
