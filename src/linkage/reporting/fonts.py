"""The report's own CJK web font (报告字体): the bundled OFL font cut to the characters used.

An HTML report must read the same on a server without Chinese fonts (where scheduled PDFs are
printed) as on a desktop. The kit ships a GB2312 subset of Noto Sans CJK SC
(``linkage/fonts/NotoSansSC-linkage-{Regular,Bold}.otf``, SIL Open Font License 1.1, see
``linkage/fonts/README.md``); :func:`font_face_css` cuts both weights down to exactly the
characters of one document (with HarfBuzz's subsetter, or fontTools'), compresses them as
WOFF2 and returns ``@font-face`` rules with the fonts as ``data:`` URIs, so nothing is fetched
from anywhere.
A typical county report uses some 1,100 distinct characters (about 200 kB of WOFF2 for the
regular weight); the bold weight is cut to the characters shown in bold only (headings, table
headers, captions), which keeps it small. WOFF2 is compressed at Brotli quality 9: quality 11
(fontTools' default) saves about 9 % of the bytes but takes some 4 s per font on a small
machine, which a batch of thousands of region reports cannot afford.

Characters outside the bundled subset (rare place-name characters) fall back to the next
family of the stylesheet's font stack.
"""

from __future__ import annotations

import base64
import contextlib
import io
import threading
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from fontTools.ttLib import TTFont

__all__ = ["FONT_FAMILY", "font_face_css", "font_file", "subset_woff2"]

#: CSS family name of the embedded subset (first in the stylesheet's font stack).
FONT_FAMILY = "Linkage Noto Sans SC"

#: Which subsetter cuts the font (see :func:`subset_woff2`).
Engine = Literal["harfbuzz", "fonttools"]

_FILES = {400: "NotoSansSC-linkage-Regular.otf", 700: "NotoSansSC-linkage-Bold.otf"}

#: Brotli quality of the WOFF2 data (0–11).
BROTLI_QUALITY = 9
_BROTLI_LOCK = threading.Lock()


class _Brotli:
    """fontTools' WOFF2 writer calls ``brotli.compress(data, mode=...)`` at the default
    quality 11; this stands in for the module while one font is saved."""

    def __init__(self, module: object) -> None:
        self._module = module
        self.MODE_FONT = module.MODE_FONT  # type: ignore[attr-defined]

    def compress(self, data: bytes, **options: object) -> bytes:
        return self._module.compress(data, **{**options, "quality": BROTLI_QUALITY})  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._module, name)


@contextlib.contextmanager
def _brotli_quality() -> Iterator[None]:
    from fontTools.ttLib import woff2

    with _BROTLI_LOCK:
        original = woff2.brotli
        woff2.brotli = _Brotli(original)
        try:
            yield
        finally:
            woff2.brotli = original


def font_file(weight: int = 400) -> Path:
    """Path of the bundled font file for ``weight`` (400 regular, 700 bold)."""
    return Path(str(resources.files("linkage") / "fonts" / _FILES[weight]))


def _harfbuzz(weight: int, characters: str) -> bytes | None:
    """The subset as OpenType bytes cut by HarfBuzz (``uharfbuzz``), or None without it."""
    try:
        import uharfbuzz as hb
    except ImportError:
        return None
    subset_input = hb.SubsetInput()
    for c in characters:
        subset_input.unicode_set.add(ord(c))
    for name_id in range(26):  # keep the copyright and licence records (OFL)
        subset_input.name_id_set.add(name_id)
    face = hb.Face(hb.Blob(font_file(weight).read_bytes()))
    return hb.subset(face, subset_input).blob.data


def _fonttools(weight: int, characters: str) -> TTFont:
    from fontTools import subset

    options = subset.Options()
    options.desubroutinize = True  # smaller after WOFF2's Brotli
    options.name_IDs = ["*"]  # keep the copyright and licence records (OFL)
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(font_file(weight), recalcTimestamp=False, recalcBBoxes=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(font)
    return font


@lru_cache(maxsize=16)
def _subset(weight: int, characters: str, engine: Engine) -> bytes:
    cut = _harfbuzz(weight, characters) if engine == "harfbuzz" else None
    if cut is not None:
        font = TTFont(io.BytesIO(cut), recalcTimestamp=False, recalcBBoxes=False)
    else:
        font = _fonttools(weight, characters)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    with _brotli_quality():
        font.save(buffer)
    return buffer.getvalue()


def subset_woff2(text: str, *, weight: int = 400, engine: Engine = "harfbuzz") -> bytes:
    """WOFF2 bytes of the bundled font holding exactly the characters of ``text``
    (those the font has); the same characters give the same bytes.

    ``engine="harfbuzz"`` cuts with HarfBuzz's subsetter (``uharfbuzz``, some 50 times faster
    than fontTools' on this CFF font: 0.05 s against 2–3 s for a county report), falling back
    to the fontTools subsetter when ``uharfbuzz`` cannot be imported; ``"fonttools"`` always
    uses fontTools.
    """
    characters = "".join(sorted({c for c in text if not c.isspace()} | {" "}))
    return _subset(weight, characters, engine)


def font_face_css(text: str, bold_text: str | None = None) -> str:
    """``@font-face`` rules embedding the regular weight cut to ``text`` and the bold weight
    cut to ``bold_text`` (default ``text``) as data URIs."""
    rules = []
    for weight, chars in ((400, text), (700, text if bold_text is None else bold_text)):
        data = base64.b64encode(subset_woff2(chars, weight=weight)).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; '
                     f"font-weight: {weight}; font-display: block; "
                     f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}')
    return "\n".join(rules)
