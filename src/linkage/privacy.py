"""Personal identifiers (个人身份信息): detection, pseudonymisation, refusal to publish.

Household monitoring files often carry 身份证号 (18-digit citizen ID number with the GB 11643-1999
check digit, or the old 15-digit form), names (姓名、户主姓名) and phone numbers (mobile
``1[3-9]`` + 9 digits; landlines ``0AA(A)-NNNNNNN(N)``). The kit never writes them to
``data/processed/`` or into reports:

* :func:`scan_for_identifiers` finds identifier columns **by heading** (身份证/证件号, 姓名/户主,
  电话/手机/联系方式 and English equivalents) and **by content**. Cells are normalised first
  (:func:`normalise_cells`: NFKC so full-width digits become ASCII, every space removed, numbers
  stored by Excel as floats — ``1.1010519491231002E+17`` — written as whole digits), then any
  **ID-shaped** value counts as an ID number *whatever its check digit or date*: 18 characters
  (17 digits and a digit or X) or 15 digits, not part of a longer digit run. A wrong check
  digit is a typo or Excel's rounding, not a sign that the value is harmless. Mobile
  (``1[3-9]`` + 9 digits) and hyphenated landline numbers are found anywhere in a cell. Names
  cannot be recognised reliably by content in general, so they are found by heading, except in
  a key column such as 户编号: :func:`name_like` flags values that look like personal names.
* :func:`redact` masks every run of 11 or more digits (phone numbers, ID numbers, bank cards)
  in a message; the command line, validation reports and ingest warnings pass through it, so
  no message ever echoes such a value even when it sits in an unexpected column.
* :func:`pseudonymise` replaces ID numbers by salted hashes — HMAC-SHA256 (RFC 2104) keyed with
  the user's secret salt, written as 52 lowercase base-32 characters (no long digit runs, so a
  hash never looks like a phone or ID number) — so the same person links across years and
  files ingested with the same salt, while the number cannot be recovered without the salt.
  **Names and phone numbers are dropped**, not hashed: analysis never needs them, and hashes of
  low-entropy values (a name, an 11-digit phone) are easy to reverse by enumeration once a salt
  leaks. An ID column that is the household key (``household_id``) is hashed in place; other ID
  columns become ``id_hash``, ``id_hash_2``, …
* The salt comes from configuration, never from data, and is never stored in outputs or
  provenance: environment variable ``LINKAGE_SALT`` or a file named by ``LINKAGE_SALT_FILE``
  (:func:`load_salt`). Keep the same salt for all files of a project, and keep it secret.
* :func:`assert_no_identifiers` raises :class:`~linkage.errors.InputError` when a table still
  holds identifiers; ingest calls it before writing, and report code should call it on every
  household-level table it shows.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.escaping import URL

__all__ = [
    "ID_HASH_COLUMN",
    "SALT_ENV",
    "SALT_FILE_ENV",
    "IdentifierKind",
    "Pseudonymised",
    "assert_no_identifiers",
    "hash_identifiers",
    "load_salt",
    "name_like",
    "normalise_cells",
    "pseudonymise",
    "redact",
    "scan_for_identifiers",
    "valid_id_check_digit",
]

IdentifierKind = Literal["id_card", "name", "phone"]

#: Environment variable holding the salt itself.
SALT_ENV = "LINKAGE_SALT"
#: Environment variable naming a file that holds the salt.
SALT_FILE_ENV = "LINKAGE_SALT_FILE"
#: Column name given to hashed ID numbers that are not the household key.
ID_HASH_COLUMN = "id_hash"
#: Shortest accepted salt, in bytes.
MIN_SALT_BYTES = 16

_SALT_HINT = (
    f"请设置密钥（盐）：export {SALT_ENV}=$(python -c \"import secrets; "
    f"print(secrets.token_hex(32))\")，或把密钥写入一个不纳入版本管理的文件并 export "
    f"{SALT_FILE_ENV}=该文件路径；同一项目的所有文件请使用同一密钥，并妥善保密"
)

_HEADINGS: dict[str, re.Pattern[str]] = {
    "id_card": re.compile(r"身份证|证件号|公民身份号码|^(id_?card|id_?number|idno|citizen_?id)"
                          r"(_?no)?$"),
    "name": re.compile(r"姓名|^户主$|^户主名|^名字$|^联系人$|^(head_|householder_|member_|"
                       r"full_|person_)?name$"),
    "phone": re.compile(r"电话|手机|联系方式|^(tel|telephone|phone|mobile)(_?(no|number))?$"),
}

# ID-shaped (any check digit, any date): 18 characters or 15 digits, not inside a longer run.
_ID_SHAPED = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-\d{7,8}|\(0\d{2,3}\)\s?\d{7,8})"
                    r"(?!\d)")
# Excel's rendering of a large number as text: 1.10105E+17, 1.1010519491231E+17.
_SCIENTIFIC = re.compile(r"[+-]?\d(?:\.\d+)?[Ee]\+?\d{1,2}")
# A personal name: 2–4 Han characters, or a transliterated minority name with a middle dot.
_NAME = re.compile(r"[\u3400-\u9fff]{2,4}|[\u3400-\u9fff]{1,10}[·•・][\u3400-\u9fff]{1,10}")
# In messages: 11 or more digits, single spaces allowed between them (phones, IDs, bank cards).
# (``\d`` matches full-width digits too.)
_LONG_DIGITS = re.compile(r"(?<![\dA-Za-z])\d(?:[ \u3000]?\d){10,}[XxＸｘ]?(?![\dA-Za-z])")
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def valid_id_check_digit(numbers: pd.Series) -> pd.Series:
    """GB 11643-1999 check digit (校验码) of 18-character ID numbers, vectorised.

    The check character is ``"10X98765432"[Σ_{i=1}^{17} a_i·W_i mod 11]`` with weights
    W_i = 2^{18−i} mod 11 (ISO 7064 MOD 11-2).

    Examples
    --------
    >>> valid_id_check_digit(pd.Series(["11010519491231002X", "110105194912310021"])).tolist()
    [True, False]
    """
    text = numbers.astype(str).str.upper()
    ok = text.str.fullmatch(r"\d{17}[\dX]").fillna(False).astype(bool).to_numpy()
    out = np.zeros(len(text), dtype=bool)
    if ok.any():
        raw = np.frombuffer("".join(text[ok]).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        total = ((raw[:, :17] - 48).astype(np.int64) * _ID_WEIGHTS).sum(axis=1)
        out[ok] = _ID_CHECK[total % 11] == raw[:, 17]
    return pd.Series(out, index=numbers.index)


def _whole_numbers(values: pd.Series) -> pd.Series:
    """Finite whole numbers as digit strings (other numbers dropped)."""
    values = pd.to_numeric(values, errors="coerce").astype("float64")
    whole = values[np.isfinite(values) & (values % 1 == 0) & (values.abs() < 1e19)]
    return whole.map(lambda v: str(int(v))).astype("str") if len(whole) else pd.Series(
        [], dtype="str")


def normalise_cells(column: pd.Series) -> pd.Series:
    """Cells as the text an identifier is searched in (去干扰规范化), missing cells dropped.

    NFKC (full-width ``１２３`` → ``123``), every whitespace character removed, upper case;
    numbers — and text written the way Excel renders a large number (``1.10105E+17``,
    ``110105194912310016.0``) — as whole digits. Booleans are not identifiers.

    Examples
    --------
    >>> normalise_cells(pd.Series(["１１０１０５ 19491231 002x", 1.1010519491231002e17])).tolist()
    ['11010519491231002X', '110105194912310016']
    """
    values = column.dropna()
    if pd.api.types.is_bool_dtype(values):
        return pd.Series([], dtype="str")
    if pd.api.types.is_numeric_dtype(values):
        return _whole_numbers(values)
    is_number = values.map(lambda v: isinstance(v, int | float | np.number)
                           and not isinstance(v, bool))
    text = values[~is_number].astype("str").str.normalize("NFKC")
    text = text.str.replace(r"\s+", "", regex=True).str.upper()
    looks_numeric = text.str.fullmatch(_SCIENTIFIC.pattern) | text.str.fullmatch(r"\d+\.0+")
    if looks_numeric.any():
        text = text.astype(object)
        text[looks_numeric] = _whole_numbers(text[looks_numeric])
        text = text.dropna().astype("str")
    out = pd.concat([text, _whole_numbers(values[is_number])])
    return out.reindex([i for i in values.index if i in out.index]).astype("str")


def name_like(values: pd.Series) -> pd.Series:
    """True where a cell looks like a personal name (2–4 Han characters, or A·B).

    Used on key columns (户编号), where a name is never a valid code.

    Examples
    --------
    >>> name_like(pd.Series(["张三", "990102000001", "阿卜杜·热合曼", None])).tolist()
    [True, False, True, False]
    """
    text = values.astype("str").str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
    return (text.str.fullmatch(_NAME.pattern).fillna(False) & values.notna()).astype(bool)


def redact(text: object) -> str:
    """Mask long digit runs (11+ digits: phones, ID numbers, bank cards) in a message (脱敏).

    Web addresses (:data:`linkage.escaping.URL`) are left whole: the digits of a page's path
    are not personal and masking them would break the link.

    Examples
    --------
    >>> redact("值：11010519491231002X，电话 138 1234 5678，年份 2021")
    '值：[已隐去 / redacted]，电话 [已隐去 / redacted]，年份 2021'
    >>> redact("见 http://www.stats.gov.cn/tjsj/zxfb/202202/t20220227_1827960.html")
    '见 http://www.stats.gov.cn/tjsj/zxfb/202202/t20220227_1827960.html'
    """
    text = str(text)
    out, at = [], 0
    for m in URL.finditer(text):
        out += [_LONG_DIGITS.sub("[已隐去 / redacted]", text[at:m.start()]), m.group(0)]
        at = m.end()
    out.append(_LONG_DIGITS.sub("[已隐去 / redacted]", text[at:]))
    return "".join(out)


def _norm_heading(heading: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(heading))).lower()


def _long_enough(values: pd.Series) -> pd.Series:
    """Cells that can hold an identifier: the shortest (a landline 010-1234567 or a mobile
    number) has 11 characters, so do Excel's ``1.10105E+17`` and every spaced or full-width
    form; numbers need 11 digits."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return pd.to_numeric(values, errors="coerce").abs() >= 1e10
    return values.astype("str").str.len() >= 11


def _content_counts(column: pd.Series) -> dict[str, int]:
    """Cells matching each content pattern; each distinct value is examined once."""
    distinct = column.dropna().value_counts(sort=False)
    counts: dict[str, int] = {}
    if distinct.empty or pd.api.types.is_bool_dtype(column):
        return counts
    values = pd.Series(distinct.index, dtype=column.dtype if
                       pd.api.types.is_numeric_dtype(column) else object)
    keep = _long_enough(values).fillna(False).to_numpy(dtype=bool)
    if not keep.any():
        return counts
    text = normalise_cells(values[keep])
    per_value = pd.Series(distinct.to_numpy()[keep], index=values.index[keep])
    seen = per_value.groupby(text.reindex(per_value.index).to_numpy(), dropna=True).sum()
    seen = seen[seen.index.str.len() >= 11]
    if seen.empty:
        return counts
    text = pd.Series(seen.index, dtype="str")
    for kind, pattern in (("id_card", _ID_SHAPED), ("phone", _PHONE)):
        n = int(seen.to_numpy()[text.str.contains(pattern).to_numpy()].sum())
        if n:
            counts[kind] = n
    return counts


def scan_for_identifiers(frame: pd.DataFrame) -> list[tuple[str, str, int]]:
    """Find personal identifiers in a table (扫描个人身份信息).

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table (raw input, processed data, a table about to go into a report).

    Returns
    -------
    list of (column, kind, count)
        ``kind`` is ``"id_card"``, ``"name"`` or ``"phone"``; ``count`` is the number of cells
        whose content matches (for a column found by heading alone: its non-empty cells). Empty
        when nothing is found. A column can appear once per kind.

    Examples
    --------
    >>> t = pd.DataFrame({"户主姓名": ["张三"], "备注": ["电话 13812345678"], "x": [1.5]})
    >>> scan_for_identifiers(t)
    [('户主姓名', 'name', 1), ('备注', 'phone', 1)]
    """
    found: list[tuple[str, str, int]] = []
    for column in frame.columns:
        series = frame[column]
        if isinstance(series, pd.DataFrame):
            raise InputError(f"列名“{column}”重复", column=str(column), hint="请先重命名重复的列")
        counts = _content_counts(series)
        heading = _norm_heading(column)
        for kind, pattern in _HEADINGS.items():
            if kind not in counts and pattern.search(heading):
                counts[kind] = int(series.notna().sum())
        found += [(str(column), kind, n) for kind, n in counts.items() if n > 0]
    return found


def load_salt() -> bytes:
    """The secret salt (密钥) from ``LINKAGE_SALT`` or the file named by ``LINKAGE_SALT_FILE``.

    Raises
    ------
    InputError
        When neither is set, the file is missing, or the salt is shorter than 16 bytes; the
        hint says how to create and set one.
    """
    value = os.environ.get(SALT_ENV, "")
    source = SALT_ENV
    if not value and os.environ.get(SALT_FILE_ENV):
        path = Path(os.environ[SALT_FILE_ENV]).expanduser()
        if not path.is_file():
            raise InputError(f"{SALT_FILE_ENV} 指向的密钥文件不存在", file=path, hint=_SALT_HINT)
        value, source = path.read_text(encoding="utf-8").strip(), SALT_FILE_ENV
    if not value:
        raise InputError("数据含身份证号等个人身份信息，但没有配置用于加盐哈希的密钥",
                         hint=_SALT_HINT)
    salt = value.encode("utf-8")
    if len(salt) < MIN_SALT_BYTES:
        raise InputError(f"{source} 中的密钥太短（少于 {MIN_SALT_BYTES} 字节）", hint=_SALT_HINT)
    return salt


def hash_identifiers(values: pd.Series, salt: bytes) -> pd.Series:
    """Salted hashes (加盐哈希) of identifiers: HMAC-SHA256 keyed with ``salt``, base-32 text.

    Values are normalised first (:func:`normalise_cells`: NFKC, spaces removed, upper case,
    Excel floats as whole digits — ``x`` and ``X`` check digits, full-width and spaced forms
    hash alike). Each distinct value is hashed once (HMAC has no vectorised form); missing
    values stay missing.

    Examples
    --------
    >>> h = hash_identifiers(pd.Series(["11010519491231002X", None]), b"0123456789abcdef")
    >>> len(h[0]), h[1] is None or pd.isna(h[1])
    (52, True)
    """
    text = normalise_cells(values)
    codes, uniques = pd.factorize(text)
    digests = np.array([
        base64.b32encode(hmac.new(salt, u.encode("utf-8"), hashlib.sha256).digest())
        .decode("ascii").rstrip("=").lower() for u in uniques], dtype=object)
    out = pd.Series(pd.NA, index=values.index, dtype="str")
    if len(text):
        out[text.index] = digests[codes]
    return out


@dataclass(frozen=True)
class Pseudonymised:
    """Result of :func:`pseudonymise`.

    Attributes
    ----------
    data : pandas.DataFrame
        The table without names and phone numbers, with ID numbers hashed.
    actions : tuple of (column, kind, action, new_column)
        ``action`` is ``"hashed"`` or ``"dropped"``; ``new_column`` the hashed column's name
        (empty when dropped). Headings only — never values.
    """

    data: pd.DataFrame
    actions: tuple[tuple[str, str, str, str], ...]

    def notes(self) -> list[str]:
        """Chinese one-liners for warnings/provenance (column headings only)."""
        out = []
        for column, kind, action, new in self.actions:
            what = {"id_card": "身份证号", "name": "姓名", "phone": "电话号码"}[kind]
            if action == "hashed":
                out.append(f"隐私保护：列“{column}”含{what}，已替换为加盐哈希（列 {new}）")
            else:
                out.append(f"隐私保护：列“{column}”含{what}，已删除")
        return out


def pseudonymise(
    frame: pd.DataFrame, *, salt: bytes | str | None = None, keep: tuple[str, ...] = ()
) -> Pseudonymised:
    """Pseudonymise a table (去标识化): hash ID numbers, drop names and phone numbers.

    Parameters
    ----------
    frame : pandas.DataFrame
    salt : bytes or str, optional
        Secret key; default :func:`load_salt` (only called when an ID column is present).
    keep : tuple of str
        Columns hashed in place under their own name when they hold ID numbers (e.g. the
        household key ``household_id``); other ID columns become ``id_hash``, ``id_hash_2``, ….

    Returns
    -------
    Pseudonymised

    Examples
    --------
    >>> t = pd.DataFrame({"身份证号": ["11010519491231002X"], "姓名": ["张三"], "x": [1]})
    >>> p = pseudonymise(t, salt="0123456789abcdef")
    >>> list(p.data.columns), [a[2] for a in p.actions]
    (['id_hash', 'x'], ['hashed', 'dropped'])
    """
    kinds: dict[str, set[str]] = {}
    for column, kind, _ in scan_for_identifiers(frame):
        kinds.setdefault(column, set()).add(kind)
    data = frame.copy()
    actions: list[tuple[str, str, str, str]] = []
    key = None
    n_hashed = 0
    for column, found in kinds.items():
        # The key column cannot be dropped: hashed in place. Elsewhere names and phone
        # numbers are dropped (also when the column holds ID numbers too); IDs are hashed.
        kind = "id_card" if "id_card" in found else sorted(found)[0]
        if column not in keep and found & {"name", "phone"}:
            data = data.drop(columns=column)
            actions.append((column, sorted(found - {"id_card"})[0], "dropped", ""))
            continue
        if key is None:
            key = salt.encode("utf-8") if isinstance(salt, str) else salt or load_salt()
            if len(key) < MIN_SALT_BYTES:
                raise InputError(f"密钥太短（少于 {MIN_SALT_BYTES} 字节）", hint=_SALT_HINT)
        position = data.columns.get_loc(column)
        hashed = hash_identifiers(data[column], key)
        data = data.drop(columns=column)
        if column in keep:
            new = column
        else:
            n_hashed += 1
            new = ID_HASH_COLUMN if n_hashed == 1 else f"{ID_HASH_COLUMN}_{n_hashed}"
        data.insert(position, new, hashed)
        actions.append((column, kind, "hashed", new))
    return Pseudonymised(data, tuple(actions))


def assert_no_identifiers(frame: pd.DataFrame, *, where: object = None) -> None:
    """Refuse a table that still holds personal identifiers (拒绝输出个人身份信息).

    Raises
    ------
    InputError
        Naming the first column and kind found (never the values), with a hint.

    Examples
    --------
    >>> assert_no_identifiers(pd.DataFrame({"x": [1.0]}))
    """
    found = scan_for_identifiers(frame)
    if found:
        column, _, n = found[0]
        listed = "、".join(f"{c}（{k}）" for c, k, _ in found)
        raise InputError(
            f"表中含个人身份信息，拒绝写出：{listed}（列“{column}”{n} 个单元格）", file=where,
            column=column,
            hint="先用 linkage.privacy.pseudonymise 去标识化（哈希身份证号、删除姓名和电话）")
