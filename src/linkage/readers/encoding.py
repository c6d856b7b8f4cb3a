"""Text-file encodings (文本编码检测): UTF-8, UTF-8 with BOM, GBK/GB18030 — detected, not guessed.

Chinese spreadsheets saved as CSV by Excel or WPS are in GBK (GB18030) unless the user picked
"CSV UTF-8"; Stata and Python write UTF-8. The rules, in order:

1. a byte-order mark decides: ``utf-8-sig`` (UTF-8 BOM) or ``utf-16`` (Excel "Unicode text");
2. bytes that decode strictly as UTF-8 are UTF-8 (pure ASCII included);
3. bytes that decode strictly as GB18030 (a superset of GB2312 and GBK) *and* read as Chinese
   are GB18030: at least 90 % of the non-ASCII characters must be CJK ideographs, CJK or
   full-width punctuation, and at least half of the ideographs must be common characters (in
   GB2312). Western text in Latin-1/cp1252 that happens to decode fails this test, because its
   accented letters map onto rare ideographs;
4. anything else raises :class:`~linkage.errors.EncodingDetectionError`; there is no silent
   fall-back to Latin-1.

Files larger than :data:`STREAM_BYTES` are checked block by block without holding the whole text
in memory: strict incremental decoding of every byte, and the "reads as Chinese" test (rule 3)
on the first :data:`SAMPLE_CHARS` characters.

A file made only of a few Chinese characters whose GB18030 bytes also happen to be valid UTF-8
is inherently ambiguous; rule 2 reads it as UTF-8. Pass ``encoding=`` to override.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from os import PathLike
from pathlib import Path

from linkage.errors import EncodingDetectionError, InputError

__all__ = ["decode_bytes", "detect_encoding"]

#: Files up to this size are read whole; larger ones are checked block by block.
STREAM_BYTES = 32 * 2**20
#: Characters of a large file on which the "reads as Chinese" test is made.
SAMPLE_CHARS = 4 * 2**20
_BLOCK = 2**20

_CJK_LIKE = re.compile(
    "[\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003ffff]"
)
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_FIX = ("请在 Excel/WPS 中“另存为 → CSV UTF-8”，或用 --encoding 选项（Python：encoding= 参数）"
        "指定文件编码，如 --encoding gb18030")


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _reads_as_chinese(text: str) -> bool:
    counts = {ch: n for ch, n in Counter(text).items() if not ch.isascii()}
    total = sum(counts.values())
    if not total:
        return True
    cjk_like = sum(n for ch, n in counts.items() if _CJK_LIKE.match(ch))
    ideographs = {ch: n for ch, n in counts.items() if _IDEOGRAPH.match(ch)}
    common = sum(n for ch, n in ideographs.items() if _encodes(ch, "gb2312"))
    n_ideographs = sum(ideographs.values())
    return cjk_like >= 0.9 * total and (n_ideographs == 0 or common >= 0.5 * n_ideographs)


def _encodes(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _guess_hint(raw: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:65536]).best()
    if best is None:
        return _FIX
    return f"{_FIX}（charset-normalizer 猜测可能是 {best.encoding}）"


def _detect(raw: bytes, file: Path) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            where = f"GB18030 在字节 {gb_error.start}（第 {_line_of(raw, gb_error.start)} 行）失败"
        else:
            if _reads_as_chinese(text):
                return "gb18030"
            where = "按 GB18030 解码得到的不是中文文本"
        offset = utf8_error.start
        raise EncodingDetectionError(
            f"无法确定文件编码：不是 UTF-8（字节偏移 {offset} 处无法解码），{where} / "
            f"cannot detect the encoding: not UTF-8 (byte {offset}) and not GBK/GB18030",
            file=file,
            row=_line_of(raw, offset),
            hint=_guess_hint(raw),
        ) from utf8_error
    return "utf-8"


def detect_encoding(path: str | PathLike[str]) -> str:
    """Detect the character encoding of a text file (文本编码检测).

    Parameters
    ----------
    path : str or path-like
        A CSV or text file.

    Returns
    -------
    str
        ``"utf-8-sig"``, ``"utf-16"``, ``"utf-8"`` or ``"gb18030"`` (GBK and GB2312 files are
        reported as ``"gb18030"``, which decodes them identically).

    Raises
    ------
    EncodingDetectionError
        When the bytes are neither UTF-8 nor Chinese GB18030 text; the message names the file
        and the line of the first byte that is not UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("地区,收入\\n甲县,1\\n".encode("gbk"))
    >>> detect_encoding(p)
    'gb18030'
    """
    file = Path(path)
    if file.stat().st_size <= STREAM_BYTES:
        return _detect(file.read_bytes(), file)
    return _detect_stream(file)


def _decodes(file: Path, codec: str) -> tuple[UnicodeDecodeError | None, int, int, str]:
    """Decode ``file`` incrementally: (error, byte offset, line of the error, text sample)."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset, lines, sample = 0, 1, []
    sampled = 0
    with file.open("rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return exc, offset + exc.start, lines + block.count(b"\n", 0, exc.start), ""
            if sampled < SAMPLE_CHARS:
                sample.append(text[: SAMPLE_CHARS - sampled])
                sampled += len(sample[-1])
            if not block:
                return None, offset, lines, "".join(sample)
            offset += len(block)
            lines += block.count(b"\n")


def _detect_stream(file: Path) -> str:
    with file.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf8_error, offset, line, _ = _decodes(file, "utf-8")
    if utf8_error is None:
        return "utf-8"
    gb_error, gb_offset, gb_line, sample = _decodes(file, "gb18030")
    if gb_error is None:
        if _reads_as_chinese(sample):
            return "gb18030"
        where = "按 GB18030 解码得到的不是中文文本"
    else:
        where = f"GB18030 在字节 {gb_offset}（第 {gb_line} 行）失败"
    with file.open("rb") as fh:
        head = fh.read(65536)
    raise EncodingDetectionError(
        f"无法确定文件编码：不是 UTF-8（字节偏移 {offset} 处无法解码），{where} / "
        f"cannot detect the encoding: not UTF-8 (byte {offset}) and not GBK/GB18030",
        file=file, row=line, hint=_guess_hint(head),
    ) from utf8_error


def decode_bytes(raw: bytes, *, file: Path, encoding: str | None) -> tuple[str, str]:
    """Decode a text file's bytes with ``encoding`` or the detected one; return (text, encoding)."""
    if encoding is None:
        encoding = _detect(raw, file)
    try:
        return raw.decode(encoding), encoding
    except LookupError as exc:
        raise InputError(
            f"未知的编码名称 {encoding!r} / unknown encoding",
            file=file,
            hint="常用的有 utf-8、utf-8-sig、gb18030、gbk",
        ) from exc
    except UnicodeDecodeError as exc:
        raise EncodingDetectionError(
            f"按指定编码 {encoding} 无法解码（字节偏移 {exc.start}）/ "
            f"cannot decode as {encoding} at byte {exc.start}",
            file=file,
            row=_line_of(raw, exc.start),
            hint="检查 --encoding 选项（Python：encoding= 参数），或不指定让工具自动检测",
        ) from exc
