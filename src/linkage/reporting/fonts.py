"""The report's own CJK web font (报告字体): the bundled OFL font cut to the characters used.

An HTML report must read the same on a server without Chinese fonts (where scheduled PDFs are
printed) as on a desktop. The kit ships a GB2312 subset of Noto Sans CJK SC
(``linkage/fonts/NotoSansSC-linkage-{Regular,Bold}.otf``, SIL Open Font License 1.1, see
``linkage/fonts/README.md``); :func:`font_face_css` cuts both weights down to exactly the
characters of one document with the fontTools subsetter, compresses them as WOFF2 and returns
``@font-face`` rules with the fonts as ``data:`` URIs, so nothing is fetched from anywhere.
A typical county report uses some 1,000 distinct characters: about 0.3 MB per weight.

Characters outside the bundled subset (rare place-name characters) fall back to the next
family of the stylesheet's font stack.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["FONT_FAMILY", "font_face_css", "font_file", "subset_woff2"]

#: CSS family name of the embedded subset (first in the stylesheet's font stack).
FONT_FAMILY = "Linkage Noto Sans SC"

_FILES = {400: "NotoSansSC-linkage-Regular.otf", 700: "NotoSansSC-linkage-Bold.otf"}


def font_file(weight: int = 400) -> Path:
    """Path of the bundled font file for ``weight`` (400 regular, 700 bold)."""
    return Path(str(resources.files("linkage") / "fonts" / _FILES[weight]))


@lru_cache(maxsize=16)
def _subset(weight: int, characters: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True  # smaller after WOFF2's Brotli
    options.name_IDs = ["*"]  # keep the copyright and licence records (OFL)
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(font_file(weight), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue()


def subset_woff2(text: str, *, weight: int = 400) -> bytes:
    """WOFF2 bytes of the bundled font holding exactly the characters of ``text``
    (those the font has); the same characters give the same bytes."""
    characters = "".join(sorted({c for c in text if not c.isspace()} | {" "}))
    return _subset(weight, characters)


def font_face_css(text: str) -> str:
    """``@font-face`` rules (regular and bold) embedding the subset for ``text`` as data URIs."""
    rules = []
    for weight in (400, 700):
        data = base64.b64encode(subset_woff2(text, weight=weight)).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; '
                     f"font-weight: {weight}; font-display: block; "
                     f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}')
    return "\n".join(rules)
