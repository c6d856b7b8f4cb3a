"""Cut the bundled CJK font subset (一次性脚本: 生成随包字体子集).

Run once on a machine with Debian's ``fonts-noto-cjk`` package installed::

    apt-get install -y fonts-noto-cjk
    .venv/bin/python scripts/make_font_subset.py

It takes the *Noto Sans CJK SC* face (Simplified Chinese) out of Debian's
``NotoSansCJK-{Regular,Bold}.ttc`` collections, keeps the characters a Chinese statistical
report needs (all of GB2312 — 6,763 hanzi and its symbols —, ASCII, Latin-1, CJK punctuation,
full-width forms, U+2212 MINUS SIGN, common math and unit signs), drops hinting and vertical
metrics, renames the family to ``Noto Sans SC Subset (linkage)`` so that it can never be confused
with a full system copy of Noto Sans CJK SC, and writes ``src/linkage/fonts/*.otf``. The licence
(SIL OFL 1.1) stays in the font's ``name`` table and in ``src/linkage/fonts/OFL.txt``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from linkage.atomic import atomic_path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "linkage" / "fonts"
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
FACE = "Noto Sans CJK SC"
FAMILY = "Noto Sans SC Subset (linkage)"
POSTSCRIPT_FAMILY = "NotoSansSCSubset-linkage"
WEIGHTS = ("Regular", "Bold")

# Ranges beyond GB2312 (inclusive code point ranges); characters the face lacks are skipped.
EXTRA_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: ° ± × ÷ · ² ³ µ
    (0x0100, 0x017F),  # Latin Extended-A (pinyin tone marks ā é ǐ ...)
    (0x01CD, 0x01DC),  # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x0391, 0x03C9),  # Greek (α β σ Δ for statistics)
    (0x2010, 0x2027),  # dashes, quotes, … ‥ ·
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x2100, 0x2199),  # letterlike (℃ № ℉), number forms (Ⅰ Ⅱ), arrows
    (0x2200, 0x22FF),  # mathematical operators (− ≤ ≥ ≈ ≠ ∑ √ ∞)
    (0x2460, 0x24FF),  # enclosed alphanumerics ① ⑴ ⒈
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes ■ □ ▲ ○ ●
    (0x2605, 0x2606),  # ★ ☆
    (0x3000, 0x303F),  # CJK symbols and punctuation 、 。 《 》 【 】
    (0x3200, 0x32FF),  # enclosed CJK ㈠ ㊣
    (0x3300, 0x33FF),  # CJK compatibility (㎡ ㎏ ㎞)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)


def gb2312_characters() -> set[str]:
    """Every character of GB2312, found by decoding each valid two-byte code."""
    chars = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def wanted_codepoints() -> set[int]:
    points = {ord(c) for c in gb2312_characters()}
    for start, stop in EXTRA_RANGES:
        points.update(range(start, stop + 1))
    return points


def sc_face(collection: Path) -> TTFont:
    fonts = TTCollection(str(collection)).fonts
    for font in fonts:
        if font["name"].getDebugName(1) == FACE:
            return font
    raise SystemExit(f"{collection} holds no face named {FACE!r}")


def rename(font: TTFont, weight: str) -> None:
    name = font["name"]
    full = FAMILY if weight == "Regular" else f"{FAMILY} {weight}"
    postscript = f"{POSTSCRIPT_FAMILY}-{weight}"
    for record in list(name.names):
        if record.nameID in (16, 17, 21, 22):  # typographic names: let IDs 1/2 speak
            name.removeNames(nameID=record.nameID)
    for name_id, value in ((1, FAMILY), (2, weight), (3, f"{postscript};linkage-subset"),
                           (4, full), (6, postscript)):
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    name.setName(
        "Subset of Noto Sans CJK SC 2.004 (Debian fonts-noto-cjk) cut for the linkage "
        "research kit with scripts/make_font_subset.py; GB2312 + punctuation + symbols.",
        10, 3, 1, 0x409,
    )
    cff = font["CFF "].cff
    cff.fontNames = [postscript]
    top = cff.topDictIndex[0]
    top.FamilyName = FAMILY
    top.FullName = full
    if hasattr(top, "FDArray"):
        for fd in top.FDArray:
            if hasattr(fd, "FontName"):
                fd.FontName = f"{postscript}-{fd.FontName.rsplit('-', 1)[-1]}"


def cut(weight: str, out_dir: Path) -> Path:
    font = sc_face(SOURCE_DIR / f"NotoSansCJK-{weight}.ttc")
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    options.layout_features = ["kern", "liga", "ccmp"]  # no locl: SC forms only
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=wanted_codepoints())
    subsetter.subset(font)
    rename(font, weight)
    font.recalcTimestamp = False  # keep the source date: reruns give identical bytes
    target = out_dir / f"NotoSansSC-linkage-{weight}.otf"
    with atomic_path(target) as tmp:
        font.save(str(tmp))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for weight in WEIGHTS:
        path = cut(weight, args.out)
        print(f"{path}: {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
