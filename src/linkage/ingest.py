"""Ingest (数据导入): read, map headings, coerce, validate, write tidy Parquet with provenance.

``ingest`` and ``validate_file`` take a region-year panel — county (县域), prefecture (地级) or
province (省级) level, see :data:`Kind` — or a household monitoring file (CSV in UTF-8/GBK,
.xlsx/.xls, Stata .dta, or a filled-in :mod:`linkage.template` workbook) and

1. read it with :func:`linkage.readers.read_table` (index = spreadsheet row number);
2. map column headings to ids: the framework's :meth:`~linkage.frameworks.Framework.column_aliases`
   (indicators), fixed Chinese names of the key and household columns (:data:`KEY_ALIASES`,
   :data:`HOUSEHOLD_ALIASES`, each also as ``中文名（单位）``), and the user's ``mapping``.
   Headings are compared by :func:`linkage.readers.mapping.heading_key` (NFKC full-width →
   half-width, every space removed, case ignored — the same rule as ``read_table``'s
   ``mapping=``); a trailing ``（单位）`` is ignored when the full heading is unknown;
3. coerce types (rules below), then validate with the :mod:`linkage.schemas` pandera schemas,
   collecting **all** problems with file, row (as seen in the spreadsheet), column and a hint;
4. ``ingest`` only: write ``<out_dir>/<name>.<kind>.parquet`` with its provenance record
   embedded in the Parquet metadata (:func:`linkage.provenance.read_provenance`): one file,
   one atomic rename, so data and provenance can never disagree. Writers of the same output
   are serialised by a lock, temporary files left by a killed writer are removed on the next
   run, an existing output is replaced only with ``overwrite=True`` (``--force``), ``name``
   must be a plain name, and nothing is written inside ``data/raw/`` or over an input.

Personal identifiers (household data)
-------------------------------------
Before coercion, household files pass through :func:`linkage.privacy.pseudonymise`: columns
holding 身份证号 (by heading or content) are replaced by salted HMAC-SHA256 hashes (in place for
``household_id``, else as ``id_hash``, ``id_hash_2``, …), and name and phone-number columns are
dropped; each action is a warning naming the column (never a value). ``ingest`` needs the
salt from ``LINKAGE_SALT`` / ``LINKAGE_SALT_FILE`` when identifiers are present (a clear
:class:`~linkage.errors.InputError` otherwise); ``validate_file`` writes nothing and uses a
throw-away salt. Before writing, ``ingest`` refuses any table in which
:func:`linkage.privacy.scan_for_identifiers` still finds identifiers.

Coercion rules
--------------
* Numbers: plain numbers; full-width digits (``１２３．５``) and thousands separators in groups of
  three (``12,345`` / ``１２，３４５``) are accepted. Anything else — ``12,3a``, ``12,3`` (a
  decimal comma?), ``35%`` (write the number in the indicator's unit) — is an error.
* Region codes: text is kept as given (after trimming and NFKC). A 2-digit province code
  (Stata ``11``, text or number) becomes ``110000`` and a 4-digit prefecture code (``1301``)
  ``130100`` when the first two digits are a province code, with a note (提示) saying how many;
  another *number* (Excel cell or .dta value) below 1,000,000 is zero-padded to 6 digits
  (11010 → "011010"). Codes must then match ``^\\d{6}$`` and be of the panel's level
  (:func:`linkage.schemas.code_level`). A CSV cell is text, so "11010" in a CSV is not padded.
* Booleans: 是/否, true/false, yes/no, y/n, t/f, 1/0 (case-insensitive).
* Household ``income_pc`` is computed as (sum of the four components) / ``hh_size`` when the
  column is absent or a cell is blank; ``weight`` defaults to 1 when the column is absent; a
  missing ``risk_eliminated`` column means "not recorded" (all missing). Each is a warning.

Panels: key columns ``region_code`` and ``year`` (optional ``region_name``) and at least
one framework indicator, each checked against the ``range`` its framework declares; framework
indicators absent from the file are listed in the warnings. Columns that match nothing are
errors unless ``allow_extra=True`` (``--allow-extra``; then kept: numeric if every value parses
as a number, else text). :func:`write_problems` writes every problem as CSV or Excel
(``--problems FILE``).
"""

from __future__ import annotations

import copy
import json
import os
import re
import secrets
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from linkage.atomic import atomic_path, check_output_target
from linkage.errors import DataValidationError, InputError, OutputError
from linkage.paths import check_plain_name, data_processed
from linkage.privacy import assert_no_identifiers, name_like, pseudonymise, redact
from linkage.provenance import PROVENANCE_KEY, provenance_record
from linkage.readers.mapping import MappingSpec, heading_key, load_mapping
from linkage.schemas import (
    HOUSEHOLD_COLUMNS,
    INCOME_COMPONENTS,
    KEY_COLUMNS,
    LEVEL_ZH,
    PANEL_LEVELS,
    PANEL_ZH,
    PERSONAL_COLUMNS,
    PROBLEM_COLUMNS,
    PROVINCE_CODES,
    SCHEMA_VERSION,
    check_frame,
    code_level,
    county_panel_schema,
    household_schema,
    panel_code_level,
)

if TYPE_CHECKING:
    from linkage.frameworks import Framework

__all__ = [
    "HOUSEHOLD_ALIASES",
    "KEY_ALIASES",
    "IngestResult",
    "Kind",
    "ValidationReport",
    "coerce_columns",
    "ingest",
    "load_table",
    "validate_file",
    "write_problems",
]

Kind = Literal["county", "prefecture", "province", "household", "panel"]
"""Data kind: a region-year panel of one level (``"county"`` 县域面板, ``"prefecture"`` 地级面板,
``"province"`` 省级面板), household monitoring data (``"household"``), or ``"panel"``: a
region-year panel whose level is read from its region codes (all ``xx0000`` → province, all
``xxxx00`` → prefecture, else county). With an explicit level, a file whose codes are all of
another level gets one problem naming the level it looks like and the ``--kind`` to use."""

#: Chinese headings of the key columns (any data kind).
KEY_ALIASES: dict[str, tuple[str, ...]] = {
    "region_code": ("区划代码", "行政区划代码", "县代码", "县级区划代码", "地区代码", "省份代码",
                    "省代码", "城市代码", "地市代码"),
    "year": ("年份", "年度", "年"),
    "region_name": ("县名", "地区", "县（市、区）", "县名称", "地区名称", "省份", "省份名称",
                    "城市", "地市"),
}

#: Further Chinese headings of household columns (the template's ``中文名（单位）`` also works).
HOUSEHOLD_ALIASES: dict[str, tuple[str, ...]] = {
    "household_id": ("户编号", "户码", "农户编号", "户主编号"),
    "hh_size": ("家庭人口", "家庭人口数", "户人口数"),
    "n_labour": ("劳动力人数", "劳动力数", "劳动力"),
    "income_wage": ("工资性收入",),
    "income_business": ("经营净收入", "生产经营性收入", "经营性收入", "家庭经营净收入"),
    "income_property": ("财产净收入", "财产性收入"),
    "income_transfer": ("转移净收入", "转移性收入"),
    "income_pc": ("人均纯收入", "人均收入", "人均可支配收入"),
    "food_clothing_ok": ("不愁吃穿", "吃穿不愁", "不愁吃不愁穿"),
    "compulsory_edu_ok": ("义务教育有保障", "义务教育保障"),
    "basic_medical_ok": ("基本医疗有保障", "基本医疗保障"),
    "housing_safe_ok": ("住房安全有保障", "住房安全保障"),
    "drinking_water_ok": ("饮水安全有保障", "饮水安全"),
    "exited_poor": ("脱贫户", "是否脱贫户"),
    "monitor_category": ("监测类型", "监测对象类别", "监测对象类型"),
    "shock": ("主要风险", "风险类型", "致贫返贫风险"),
    "risk_eliminated": ("风险已消除", "是否消除风险", "风险消除"),
    "weight": ("权重", "抽样权重"),
}

_BOOL_WORDS = {
    "是": True, "否": False, "true": True, "false": False, "yes": True, "no": False,
    "y": True, "n": False, "t": True, "f": False, "1": True, "0": False,
    "1.0": True, "0.0": False,
}
_THOUSANDS = r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?"
_UNIT_SUFFIX = re.compile(r"\([^()]*\)$")
_SPEC = {spec.id: spec for spec in HOUSEHOLD_COLUMNS}
_MORE_HINT = ("另有 {n} 处问题：命令行加 --problems 问题清单.csv 全部写出（Python：err.problems）")

#: Absent framework indicators named in the warning (the rest are counted).
MAX_LISTED = 10


# --- results ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ValidationReport:
    """Validation report (校验报告) of one input file; nothing is written.

    Attributes
    ----------
    file : str
        The input file.
    kind : {"county", "prefecture", "province", "household"}
        The data kind checked (for ``"panel"``, the level read from the codes).
    ok : bool
        True when there is no problem (warnings do not count).
    problems : pandas.DataFrame
        Columns ``file, row, column, problem, hint``; ``row`` is 1-based as seen in the
        spreadsheet (header rows counted), missing for whole-column or whole-file problems;
        ``column`` is the heading as written in the file.
    warnings : tuple of str
        Things worth knowing that do not stop ingestion (absent indicators, computed columns).
    rows : int
        Data rows read.
    """

    file: str
    kind: str
    ok: bool
    problems: pd.DataFrame
    warnings: tuple[str, ...] = ()
    rows: int = 0

    def to_frame(self) -> pd.DataFrame:
        """The problems table (a copy)."""
        return self.problems.copy()

    def summary(self, *, max_problems: int = 20, more: str = "见 to_frame() 或 write_problems()"
                ) -> str:
        """Chinese summary for the console: verdict, the first problems, warnings.

        ``more`` says where the problems beyond ``max_problems`` are (the command line names
        the ``--problems`` file, or the option)."""
        lines = [f"{self.file}（{_KIND_ZH[self.kind]}，{self.rows} 行）："]
        if self.ok:
            lines[0] += "校验通过。"
        else:
            lines[0] += f"发现 {len(self.problems)} 处问题。"
            for rec in self.problems.head(max_problems).itertuples(index=False):
                where = "" if pd.isna(rec.row) else f"第 {rec.row} 行，"
                where += f"列“{rec.column}”：" if rec.column else ""
                hint = f" — {rec.hint}" if rec.hint else ""
                lines.append(f"  - {where}{rec.problem}{hint}")
            if len(self.problems) > max_problems:
                rest = len(self.problems) - max_problems
                lines.append(f"  …… 另有 {rest} 处问题（{more}）")
        lines += [f"  提示：{w}" for w in self.warnings]
        return redact("\n".join(lines))

    def write_problems(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write every problem to ``path`` (``.csv``, UTF-8 with BOM for Excel, or ``.xlsx``).

        See :func:`write_problems`."""
        return write_problems(self.problems, path, overwrite=overwrite)


def write_problems(problems: pd.DataFrame, path: str | os.PathLike[str], *,
                   overwrite: bool = False) -> Path:
    """Write a problems table (问题清单) as CSV or Excel, chosen by the file's extension.

    The columns of :data:`linkage.schemas.PROBLEM_COLUMNS` with Chinese headings (文件, 行, 列,
    问题, 建议). ``.csv`` is written as UTF-8 with a byte-order mark (Excel opens it without
    mojibake); ``.xlsx`` cells are written as text through
    :func:`linkage.escaping.xlsx_text` (a value starting with ``=`` stays text). The file is
    written atomically (:func:`linkage.atomic.atomic_path`): a reader never sees half a file.

    Parameters
    ----------
    problems : pandas.DataFrame
        As in :attr:`ValidationReport.problems` or ``DataValidationError.problems``.
    path : path-like
        Target ``.csv`` or ``.xlsx``; never inside ``data/raw/``.
    overwrite : bool, default False
        Replace an existing file (command line: ``--force``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OutputError
        Another extension, a target inside ``data/raw/``, an existing file without
        ``overwrite``.

    Examples
    --------
    >>> import tempfile
    >>> table = pd.DataFrame({"file": ["a.csv"], "row": pd.array([3], dtype="Int64"),
    ...                       "column": ["年份"], "problem": ["缺少必填值"], "hint": [""]})
    >>> write_problems(table, Path(tempfile.mkdtemp()) / "问题.csv").name
    '问题.csv'
    """
    from linkage.escaping import write_table

    target = Path(path)
    if target.suffix.lower() not in (".csv", ".xlsx"):
        raise OutputError(f"问题清单只能写成 .csv 或 .xlsx（现为 {target.name}）/ the problems "
                          "file must end in .csv or .xlsx", file=target,
                          hint="例如 --problems 问题清单.csv")
    table = problems.loc[:, list(PROBLEM_COLUMNS)].rename(columns=_PROBLEM_HEADINGS)
    return write_table(table, target, overwrite=overwrite, sheet_name="问题清单")


_PROBLEM_HEADINGS = {"file": "文件", "row": "行", "column": "列", "problem": "问题", "hint": "建议"}


@dataclass(frozen=True)
class IngestResult:
    """Result of :func:`ingest` (导入结果).

    Attributes
    ----------
    path : pathlib.Path
        The Parquet file written (provenance embedded, see
        :func:`linkage.provenance.read_provenance`).
    provenance : dict
        The provenance record embedded in it.
    kind : {"county", "prefecture", "province", "household"}
        The data kind written (also the provenance's ``kind`` and ``level`` for a panel).
    rows : int
    columns : tuple of str
    warnings : tuple of str
    data : pandas.DataFrame
        The validated, tidy table as written (sorted by key, plain RangeIndex).
    """

    path: Path
    provenance: dict[str, Any] = field(repr=False)
    kind: str
    rows: int
    columns: tuple[str, ...]
    warnings: tuple[str, ...]
    data: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The validated table (a copy)."""
        return self.data.copy()

    def summary(self) -> str:
        """Chinese summary for the console: what was written, warnings."""
        lines = [f"已写入 {self.path}（{_KIND_ZH[self.kind]}，{self.rows} 行，"
                 f"{len(self.columns)} 列；来源记录嵌在文件中）"]
        lines += [f"  提示：{w}" for w in self.warnings]
        return redact("\n".join(lines))


_KIND_ZH = {**PANEL_ZH, "household": "农户监测", "panel": "地区面板"}


@dataclass(frozen=True)
class _Checked:
    data: pd.DataFrame | None
    problems: pd.DataFrame
    warnings: tuple[str, ...]
    rows: int
    encoding: str | None
    sheet: str | int | None
    framework: Framework | None
    regions_file: Path | None
    kind: str = "county"  # the kind checked ("panel" resolved to its level)


# --- headings -----------------------------------------------------------------------------
def _alias_table(kind: Kind, framework: Framework | None) -> dict[str, str]:
    table: dict[str, str] = {}
    specs = [spec for spec in HOUSEHOLD_COLUMNS if kind == "household"]
    for spec in specs:
        for alias in (spec.id, spec.heading, *HOUSEHOLD_ALIASES.get(spec.id, ())):
            table[heading_key(alias)] = spec.id
    for target, aliases in KEY_ALIASES.items():
        if kind == "household" and target == "region_name":
            continue
        for alias in (target, *aliases):
            table.setdefault(heading_key(alias), target)
    if framework is not None:
        for alias, target in framework.column_aliases().items():
            table.setdefault(heading_key(alias), target)
    return table


def _resolve(
    headings: Iterable[object], aliases: Mapping[str, str], mapping: Mapping[str, str] | None
) -> dict[object, str]:
    """Heading as in the file -> id (unknown headings map to themselves)."""
    user = {heading_key(k): v for k, v in (mapping or {}).items()}
    resolved = {}
    for heading in headings:
        key = heading_key(heading)
        target = user.get(key) or aliases.get(key) or aliases.get(_UNIT_SUFFIX.sub("", key))
        resolved[heading] = target or str(heading)
    return resolved


# --- coercion (vectorised) -----------------------------------------------------------------
def _is_number_dtype(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _text_mask(s: pd.Series) -> pd.Series:
    """True where a cell holds text (str), False for numbers and missing cells."""
    present = s.notna()
    if _is_number_dtype(s) or pd.api.types.is_bool_dtype(s):
        return pd.Series(False, index=s.index)
    inferred = pd.api.types.infer_dtype(s, skipna=True)
    if inferred == "string":
        return present
    if inferred in ("integer", "floating", "mixed-integer-float", "decimal", "boolean", "empty"):
        return pd.Series(False, index=s.index)
    return s.str.len().notna()


def _clean_text(s: pd.Series, *, nfkc: bool) -> pd.Series:
    text = s.astype("str")
    if nfkc:
        text = text.str.normalize("NFKC")
    return text.str.strip()


def _integral_text(values: pd.Series) -> pd.Series:
    """Numbers as text: whole numbers without ``.0``."""
    whole = values.notna() & np.isfinite(values) & (values % 1 == 0)
    out = values.astype("str")
    out[whole] = values[whole].astype("int64").astype("str")
    return out


def _to_text(s: pd.Series, *, nfkc: bool = False, pad: int = 0) -> pd.Series:
    """Cells as text; numbers become whole-number text, zero-padded to ``pad`` if < 10**pad."""
    out = pd.Series(pd.NA, index=s.index, dtype="str")
    is_text = _text_mask(s)
    out[is_text] = _clean_text(s[is_text], nfkc=nfkc)
    numeric = s.notna() & ~is_text
    if numeric.any():
        values = pd.to_numeric(s[numeric], errors="coerce").astype("float64")
        text = _integral_text(values)
        if pad:
            short = values.notna() & (values % 1 == 0) & (values >= 0) & (values < 10**pad)
            text[short] = text[short].str.zfill(pad)
        out[numeric] = text
    return out.where(out != "", pd.NA)


def _to_code(s: pd.Series, column: str) -> tuple[pd.Series, list[str]]:
    """Region codes as 6-digit text, and notes on the codes completed.

    A 2-digit province code (Stata ``11``) becomes ``110000`` and a 4-digit prefecture code
    (``1301``) ``130100`` when its first two digits are a province code; another number below
    1,000,000 is zero-padded (Excel dropped the leading zero: 11010 → ``011010``)."""
    plain = _to_text(s, nfkc=True)
    codes = _to_text(s, nfkc=True, pad=6)
    notes = []
    for digits, tail, level in ((2, "0000", "省级"), (4, "00", "地级")):
        short = (plain.str.fullmatch(rf"\d{{{digits}}}") & plain.str[:2].isin(PROVINCE_CODES)
                 ).fillna(False).astype(bool)
        if short.any():
            codes[short] = plain[short] + tail
            first = plain[short].iloc[0]
            notes.append(f"{column}：{int(short.sum())} 个 {digits} 位{level}代码已补为 6 位"
                         f"（如 {first} → {first}{tail}，第 {short.idxmax()} 行起）")
    return codes, notes


def _to_number(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers as float64 and a mask of cells that are not numbers."""
    if _is_number_dtype(s):
        return s.astype("float64"), pd.Series(False, index=s.index)
    values = pd.to_numeric(s, errors="coerce").astype("float64")
    retry = s.notna() & values.isna()
    if retry.any():
        text = _clean_text(s[retry], nfkc=True)
        grouped = text.str.fullmatch(_THOUSANDS)
        text = text.where(~grouped, text.str.replace(",", "", regex=False))
        values[retry] = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = retry & values.isna() & (text.reindex(s.index) != "")
        return values, bad.fillna(False).astype(bool)
    return values, pd.Series(False, index=s.index)


def _to_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Booleans (nullable) and a mask of cells that are not recognised yes/no values."""
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    present = s.notna()
    text = _clean_text(s[present], nfkc=True).str.casefold()
    mapped = text.map(_BOOL_WORDS)
    out[present] = mapped.astype("boolean")
    bad = pd.Series(False, index=s.index)
    bad[present] = mapped.isna() & (text != "")
    return out, bad


def _problems(rows: pd.Index, column: str, problem: str, hint: str) -> pd.DataFrame:
    return pd.DataFrame({
        "row": pd.array(rows, dtype="Int64"), "column": column,
        "problem": problem, "hint": hint,
    })


def _coerce(
    raw: pd.DataFrame, spec_kind: dict[str, str], headings: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, list[pd.DataFrame], list[str]]:
    """Coerce columns by kind ("code", "text", "category", "int", "float", "bool", "extra");
    the coerced frame, problems and notes (codes completed, named by ``headings``)."""
    out = {}
    problems = []
    notes: list[str] = []
    for col, kind in spec_kind.items():
        s = raw[col]
        if kind == "code":
            out[col], more = _to_code(s, (headings or {}).get(col, col))
            notes += more
        elif kind in ("text", "category"):
            out[col] = _to_text(s, nfkc=kind == "category")
        elif kind in ("int", "float"):
            values, bad = _to_number(s)
            if bad.any():
                shown = s[bad].astype(str)
                problems.append(pd.DataFrame({
                    "row": pd.array(s.index[bad], dtype="Int64"), "column": col,
                    "problem": "不是数字（值：" + shown.to_numpy(dtype=object) + "）",
                    "hint": "请只填写数字（可用千分位逗号如 12,345；不要带单位、百分号或文字）",
                }))
            if bad.any() and col == "year":
                problems[-1]["hint"] = "年份请填写四位整数（如 2021，不带“年”字）"
            if kind == "int":
                fractional = values.notna() & (values % 1 != 0)
                if fractional.any():
                    problems.append(_problems(s.index[fractional], col, "不是整数", "请填写整数"))
                values = values.where(~fractional)
                values = values.astype("Int64")
            out[col] = values
        elif kind == "bool":
            values, bad = _to_bool(s)
            if bad.any():
                problems.append(_problems(s.index[bad], col, "不是“是/否”",
                                          "请填写 是 或 否（也接受 1/0、true/false）"))
            out[col] = values
        else:  # extra column kept as is: numbers if all parse, else text
            values, bad = _to_number(s)
            out[col] = _to_text(s) if bad.any() else values
    return pd.DataFrame(out, index=raw.index), problems, notes


# --- regions --------------------------------------------------------------------------------
def _load_regions(regions: Any) -> tuple[set[str] | None, str | None, Path | None]:
    from linkage.readers import read_table

    if regions is None:
        return None, None, None
    if isinstance(regions, str | os.PathLike):
        path = Path(regions)
        frame = read_table(path)
        label, file = path.name, path
    elif isinstance(regions, pd.DataFrame):
        frame, label, file = regions, "给定的区划代码表", None
    else:
        frame = pd.DataFrame({"region_code": pd.Series(list(regions), dtype=object)})
        label, file = "给定的区划代码", None
    names = _resolve(frame.columns, _alias_table("county", None), None)
    found = [heading for heading, target in names.items() if target == "region_code"]
    if not found:
        raise InputError("区划代码表中没有区划代码列", file=file, column="region_code",
                         hint="请提供含 region_code（区划代码）列的表")
    codes = _to_text(frame[found[0]], nfkc=True, pad=6)
    bad = codes.notna() & ~codes.str.fullmatch(r"\d{6}").fillna(False).astype(bool)
    if bad.any():
        row = bad[bad].index[0]
        raise InputError(f"区划代码表中的代码不是 6 位数字（值：{codes[row]}）", file=file,
                         row=int(row) if file is not None else None, column=str(found[0]),
                         hint="请修正区划代码表")
    return set(codes.dropna()), label, file


# --- whole-file checks --------------------------------------------------------------------------
def _absent_mapping_keys(user: Mapping[str, str] | None, headings: Iterable[object]
                         ) -> list[pd.DataFrame]:
    """A problem for each mapping key that matches no heading of the file."""
    if not user:
        return []
    present = {heading_key(h) for h in headings}
    absent = [key for key in user if heading_key(key) not in present]
    if not absent:
        return []
    import difflib

    listing = [str(h) for h in headings]
    return [_problems(pd.Index([pd.NA]), key, f"列名映射中的“{key}”在文件中找不到",
                      "最接近的列名：" + ("、".join(difflib.get_close_matches(
                          key, listing, n=3, cutoff=0.3)) or "（无）")
                      + "；请修改映射或文件的列名")
            for key in absent]


def _looks_like_household(kind: Kind, names: Mapping[object, str], known: set[str]
                          ) -> pd.DataFrame | None:
    """One problem instead of a line per column when a household file is read as a county
    panel (its columns are unknown here but are household columns)."""
    if kind == "household":
        return None
    unknown = [h for h, target in names.items() if target not in known]
    household = _alias_table("household", None)
    hits = [str(h) for h in unknown if heading_key(h) in household
            and household[heading_key(h)] not in KEY_ALIASES]
    if len(hits) < 3 or len(hits) * 2 < len(unknown):
        return None
    listed = "、".join(hits[:5]) + ("等" if len(hits) > 5 else "")
    return _problems(pd.Index([pd.NA]), "",
                     f"这看起来是农户监测数据（{listed} {len(hits)} 列是农户字段），"
                     f"却按{_KIND_ZH[kind]}校验",
                     "请加 --kind household（Python：kind=\"household\"）")


def _names_as_ids(ids: pd.Series) -> list[pd.DataFrame]:
    """Rows whose household id looks like a personal name (never echoed)."""
    named = name_like(ids)
    if not named.any():
        return []
    return [_problems(ids.index[named.to_numpy()], "household_id",
                      "户编号看起来是人名（2–4 个汉字），户编号中不能出现姓名",
                      "请改用数字或字母编号（如 990102000001）；姓名不要导入")]


# --- main check ---------------------------------------------------------------------------------
def _read(path: Path, kind: Kind, sheet: str | int | None, encoding: str | None
          ) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """Read with read_table; a filled-in template is read from its sheet for ``kind``."""
    from linkage.readers import read_table
    from linkage.template import read_template_metadata

    meta = None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            meta = read_template_metadata(path)
        except Exception:  # a damaged workbook: read_table below names the problem
            meta = None
    if meta is None:
        return read_table(path, sheet=sheet, encoding=encoding), None
    sheets = meta["sheets"]
    if sheet is None:
        entry = "household" if kind == "household" else "county"  # one sheet for any panel
        if entry not in sheets:
            raise DataValidationError(
                f"该填报模板没有{_KIND_ZH[entry]}工作表", file=path,
                hint=f"模板包含：{'、'.join(sheets.values())}；请检查 kind 参数")
        sheet = sheets[entry]
    raw = read_table(path, sheet=sheet, header_rows=1)
    attrs = raw.attrs
    raw = raw[raw.index >= int(meta["data_start_row"])].dropna(how="all")
    raw.attrs = attrs
    return raw, meta


@dataclass
class _Rows:
    """The checks of one table (a whole file, or one part of a file read in parts)."""

    data: pd.DataFrame | None  # coerced and validated (None when a problem was found)
    problems: list[pd.DataFrame]  # column ids, not yet finished
    as_in_file: list[pd.DataFrame]  # whole-file problems already named by headings
    taken: dict[str, str]  # id -> the heading in the file that stands for it
    warnings: list[str]
    blank_income_pc: int = 0
    keys: pd.DataFrame | None = None  # coerced key columns (for a duplicate check across parts)
    stop: bool = False  # the file is of the wrong kind: nothing else to say
    kind: str = "county"  # the kind checked ("panel" resolved to the level of the codes)


@dataclass(frozen=True)
class _Setup:
    kind: Kind
    fw: Framework | None
    user: dict[str, str] | None
    codes: set[str] | None
    regions_label: str | None
    allow_extra: bool
    salt: bytes | None


def _check_rows(raw: pd.DataFrame, setup: _Setup, *, unique: bool = True) -> _Rows:
    """Map headings, pseudonymise, coerce and validate one table (see module docstring)."""
    kind, fw = setup.kind, setup.fw
    aliases = _alias_table(kind, fw)
    names = _resolve(raw.columns, aliases, setup.user)
    problems: list[pd.DataFrame] = []
    as_in_file = _absent_mapping_keys(setup.user, raw.columns)
    warnings: list[str] = []
    wrong_kind = _looks_like_household(kind, names, set(aliases.values()))
    if wrong_kind is not None:
        return _Rows(None, [wrong_kind], [], {}, warnings, stop=True)
    taken: dict[str, str] = {}
    for heading, target in names.items():
        if target in taken:
            as_in_file.append(_problems(pd.Index([pd.NA]), str(heading),
                                        f"与列“{taken[target]}”对应同一个字段 {target}",
                                        "请删除或重命名其中一列"))
        taken.setdefault(target, str(heading))
    raw = raw.loc[:, [h for h in names if taken[names[h]] == str(h)]]
    raw.columns = [names[h] for h in raw.columns]
    # --- privacy hook (linkage.privacy): hash ID numbers, drop names and phone numbers ---
    if kind == "household":
        private = pseudonymise(raw, salt=setup.salt, keep=("household_id",))
        raw = private.data
        warnings += private.notes()
        if "household_id" in raw.columns:
            problems += _names_as_ids(raw["household_id"])
    # --- end privacy hook ---

    if kind != "household":
        indicators = [i for i in fw.indicator_ids if i in raw.columns]
        if not indicators:
            problems.append(_problems(pd.Index([pd.NA]), "", "没有识别出任何指标列",
                                      f"列名应为指标体系 {fw.id} 中的指标编号或中文名（可带单位），"
                                      "或用列名映射指定对应关系"))
        absent = [f"{i}（{fw[i].name_zh}）" for i in fw.indicator_ids if i not in raw.columns]
        if absent and indicators:
            listed = "、".join(absent[:MAX_LISTED]) + ("等" if len(absent) > MAX_LISTED else "")
            warnings.append(f"指标体系 {fw.id} 中有 {len(absent)} 个指标不在数据中：{listed}")
        kinds = {"region_code": "code", "region_name": "text", "year": "int"}
        kinds |= dict.fromkeys(indicators, "float")
    else:
        kinds = {spec.id: {"str": "text"}.get(spec.kind, spec.kind) for spec in HOUSEHOLD_COLUMNS}
        kinds["region_code"] = "code"
    kinds = {c: k for c, k in kinds.items() if c in raw.columns}
    kinds |= {c: "extra" for c in raw.columns if c not in kinds}
    data, parse_problems, notes = _coerce(raw, kinds, taken)
    problems += parse_problems
    warnings += notes
    if setup.codes is None and "region_code" in data.columns:
        warnings += code_table_notes(data["region_code"])
    if kind != "household":
        kind, wrong_level = _panel_level(kind, data.get("region_code"))
        if wrong_level is not None:
            return _Rows(None, [wrong_level], [], {}, warnings, stop=True)
        schema = county_panel_schema(fw, level=kind, indicators=indicators,
                                     regions=setup.codes, regions_label=setup.regions_label,
                                     allow_extra=setup.allow_extra)
    else:
        schema = household_schema(regions=setup.codes, regions_label=setup.regions_label,
                                   allow_extra=setup.allow_extra)
    if not unique:
        schema = copy.deepcopy(schema)
        schema.unique = None  # checked across all parts by the caller
    blank = 0
    if kind == "household":
        more, blank = _household_defaults(data)
        warnings += more
    validated, schema_problems = check_frame(data, schema)
    problems.append(schema_problems)
    key = [k for k in KEY_COLUMNS[kind] if k in data.columns]
    return _Rows(validated, problems, as_in_file, taken, warnings, blank, data[key], kind=kind)


def code_table_notes(codes: pd.Series) -> list[str]:
    """Notes on region codes the 民政部 code table 2014–2024 does not know (offline).

    Not errors: a code abolished before 2014 is real in older data. Codes of the simulated
    province (``99xxxx``) are left alone; NBS 统计用区划代码 functional units (管委会/开发区,
    fifth digit 7) are named as such (:func:`linkage.places.is_nbs_functional_code`).
    """
    from linkage.places import is_nbs_functional_code, is_real_code

    distinct = pd.Series(codes.dropna().astype(str).unique())
    distinct = distinct[distinct.str.fullmatch(r"\d{6}") & ~distinct.str.startswith("99")]
    if distinct.empty:
        return []
    unknown = distinct[~is_real_code(distinct)]
    functional = unknown[is_nbs_functional_code(unknown)]
    other = unknown[~unknown.isin(functional)]
    notes = []
    if len(functional):
        notes.append(f"{len(functional)} 个区划代码是国家统计局统计用区划代码中的功能区（管委会、"
                     f"开发区等，第 5 位为 7，如 {functional.iloc[0]}），不是民政部行政区划："
                     "已保留；与行政区划合并时请单独处理")
    if len(other):
        notes.append(f"{len(other)} 个区划代码不在民政部 2014—2024 年区划代码表中（如 "
                     f"{'、'.join(other.iloc[:3])}）：若是 2014 年以前的旧代码可以保留，"
                     "否则请核对；linkage places 可由地名查代码")
    return notes


def _panel_level(kind: str, codes: pd.Series | None) -> tuple[str, pd.DataFrame | None]:
    """The level a panel is checked at, and one problem when every code is of another level.

    ``"panel"`` takes the level of the codes (county when they are mixed or absent); an
    explicit level whose codes are all of another one gets a single whole-file problem
    instead of one per row, saying which ``--kind`` to use."""
    levels = code_level(codes) if codes is not None else pd.Series(dtype=object)
    if (levels == "prefecture").any():  # 北京 110000 among cities: a prefecture panel
        levels = panel_code_level(codes, "prefecture")
    found = levels[levels.isin(PANEL_LEVELS)]
    only = found.iloc[0] if len(found) and (found == found.iloc[0]).all() else None
    if kind == "panel":
        return only or "county", None
    if only is None or only == kind:
        return kind, None
    example = codes[found.index[0]]
    return kind, _problems(
        pd.Index([pd.NA]), "",
        f"这看起来是{PANEL_ZH[only]}（{found.size} 个区划代码都是{LEVEL_ZH[only]}代码，如 "
        f"{example}），却按{PANEL_ZH[kind]}校验",
        f"请加 --kind {only}（Python：kind=\"{only}\"）；若文件确是{PANEL_ZH[kind]}，"
        f"请核对区划代码")


def _check(
    path: str | os.PathLike[str], *, kind: Kind,
    framework: Framework | str | os.PathLike[str] | None,
    mapping: MappingSpec | None, sheet: str | int | None, regions: Any,
    allow_extra: bool, encoding: str | None, salt: bytes | None = None,
    stream: bool = False,
) -> _Checked:
    if kind not in (*KEY_COLUMNS, "panel"):
        raise InputError(f"未知的数据类型 kind={kind!r}",
                         hint="kind 应为 'county'、'prefecture'、'province'、'panel' 或 "
                              "'household'")
    from linkage.frameworks import Framework, load_framework

    path = Path(path)
    fw = None
    if kind != "household":
        fw = framework if isinstance(framework, Framework) else load_framework(framework)
    codes, regions_label, regions_file = _load_regions(regions)
    user = None if mapping is None else load_mapping(mapping, file=path)
    setup = _Setup(kind, fw, user, codes, regions_label, allow_extra, salt)
    if stream and _streamed(path, sheet):
        return _check_parts(path, setup, encoding=encoding, regions_file=regions_file)
    raw, meta = _read(path, kind, sheet, encoding)
    enc, sheet_used = raw.attrs.get("encoding"), raw.attrs.get("sheet", sheet)
    warnings: list[str] = list(raw.attrs.get("warnings", ()))
    if meta is not None and fw is not None and meta["framework_id"] not in ("", fw.id):
        warnings.append(f"模板按指标体系 {meta['framework_id']} 生成，现按 {fw.id} 校验")
    if raw.empty:
        table = _problems(pd.Index([pd.NA]), "", "文件中没有数据行",
                          "请检查文件内容和工作表（sheet）是否正确")
        return _Checked(None, _finish(table, path, {}), tuple(warnings), 0, enc, sheet_used,
                        fw, regions_file)
    rows = _check_rows(raw, setup)
    warnings += rows.warnings + _blank_income_warning(rows.blank_income_pc)
    table = _finish(pd.concat(rows.problems, ignore_index=True), path, rows.taken,
                    rows.as_in_file)
    validated = None if len(table) or rows.stop else _tidy(rows.data, rows.kind, fw)
    return _Checked(validated, table, tuple(warnings), len(raw), enc, sheet_used, fw,
                    regions_file, rows.kind)


#: Text files larger than this are validated in parts (:func:`validate_file`).
STREAM_BYTES = 32 * 2**20
#: Problems kept when a file is validated in parts (the rest are counted in one more row).
MAX_PROBLEMS = 100_000


def _streamed(path: Path, sheet: str | int | None) -> bool:
    from linkage.readers import SUFFIXES

    return (sheet is None and SUFFIXES.get(path.suffix.lower()) == "text"
            and path.is_file() and path.stat().st_size > STREAM_BYTES)


def _compact_keys(keys: pd.DataFrame) -> pd.DataFrame:
    """Key columns in little memory: household ids as 64-bit hashes, codes as categories."""
    out = {}
    for column in keys.columns:
        values = keys[column]
        if column in PERSONAL_COLUMNS:
            hashed = pd.util.hash_array(values.astype(object).fillna("").to_numpy())
            out[column] = pd.Series(pd.arrays.IntegerArray(
                hashed.astype("uint64"), values.isna().to_numpy()), index=keys.index)
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.astype("category")
        else:
            out[column] = values
    return pd.DataFrame(out, index=keys.index)


def _check_parts(path: Path, setup: _Setup, *, encoding: str | None,
                 regions_file: Path | None) -> _Checked:
    """:func:`_check` for a large text file, part by part: memory bounded by one part plus the
    key columns (hashed) and the problems. Keys are checked for duplicates across parts."""
    from linkage.readers.table import CHUNK_ROWS, iter_table_chunks
    from linkage.schemas import _duplicate_problems

    problems: list[pd.DataFrame] = []
    keys: list[pd.DataFrame] = []
    warnings: list[str] = []
    first: _Rows | None = None
    n_rows = n_problems = blank = 0
    enc = None
    for part in iter_table_chunks(path, encoding=encoding, chunk_rows=CHUNK_ROWS):
        enc = part.attrs.get("encoding")
        if part.empty:
            continue
        rows = _check_rows(part, setup, unique=False)
        first = first or rows
        if rows.stop:
            break
        n_rows += len(part)
        blank += rows.blank_income_pc
        warnings += [w for w in rows.warnings if w not in warnings]
        found = pd.concat(rows.problems, ignore_index=True)
        n_problems += len(found)
        if sum(map(len, problems)) < MAX_PROBLEMS:
            problems.append(found)
        keys.append(_compact_keys(rows.keys))
    if first is None:
        from linkage.readers.layout import empty_file_error

        raise empty_file_error(path)
    if first.stop:
        return _Checked(None, _finish(first.problems[0], path, {}), (), len(part), enc, None,
                        setup.fw, regions_file)
    key = list(KEY_COLUMNS[first.kind])
    all_keys = pd.concat(keys) if keys else pd.DataFrame()
    if set(key) <= set(all_keys.columns):
        titles = {"household_id": "户编号", "region_code": "区划代码", "year": "年份"}
        dup = _duplicate_problems(all_keys.loc[:, key], key, titles)
        n_problems += len(dup)
        problems.append(dup)
    table = pd.concat(problems, ignore_index=True)
    if n_problems > len(table) or len(table) > MAX_PROBLEMS:
        table = table.iloc[:MAX_PROBLEMS]
        table = pd.concat([table, _problems(
            pd.Index([pd.NA]), "", f"另有 {n_problems - len(table)} 处问题未列出",
            "先修正已列出的问题，再重新校验")], ignore_index=True)
    warnings += _blank_income_warning(blank)
    return _Checked(None, _finish(table, path, first.taken, first.as_in_file),
                    tuple(warnings), n_rows, enc, None, setup.fw, regions_file, first.kind)


def _blank_income_warning(blank: int) -> list[str]:
    return [f"人均纯收入有 {blank} 个空白：已按 四项收入之和 / 家庭人口 补算"] if blank else []


def _household_defaults(data: pd.DataFrame) -> tuple[list[str], int]:
    """Fill computed and default household columns; warnings and the count of blank
    ``income_pc`` cells filled (its warning is made by the caller, which may add counts)."""
    warnings = []
    blank = 0
    implied = data.reindex(columns=list(INCOME_COMPONENTS)).astype("float64").sum(
        axis=1, min_count=len(INCOME_COMPONENTS)) / data.get("hh_size", np.nan)
    if "income_pc" not in data:
        data["income_pc"] = implied.astype("float64")
        warnings.append("没有人均纯收入列：已按 四项收入之和 / 家庭人口 计算")
    elif data["income_pc"].isna().any():
        blank = int(data["income_pc"].isna().sum())
        data["income_pc"] = data["income_pc"].fillna(implied)
    if "weight" not in data:
        data["weight"] = 1.0
        warnings.append("没有权重列：每户权重取 1（普查式监测数据）")
    if "risk_eliminated" not in data:
        data["risk_eliminated"] = pd.Series(pd.NA, index=data.index, dtype="boolean")
        warnings.append("没有“风险已消除”列：视为未记录（全部缺失）")
    return warnings, blank


def _finish(table: pd.DataFrame, path: Path, heading_of: Mapping[str, str],
            as_in_file: Iterable[pd.DataFrame] = ()) -> pd.DataFrame:
    """Problems table: ids -> headings, file column, sorted by row, one problem per cell."""
    table = table.drop_duplicates(["row", "column"], keep="first")
    shown = {c: "+".join(heading_of.get(part, part) for part in str(c).split("+"))
             for c in table["column"].unique()}
    table["column"] = table["column"].map(shown)
    table = pd.concat([*as_in_file, table], ignore_index=True)
    table.insert(0, "file", str(path))
    order = np.argsort(table["row"].fillna(0).astype("int64").to_numpy(), kind="stable")
    out = table.iloc[order].reset_index(drop=True)
    out["problem"] = out["problem"].map(redact)
    out["hint"] = out["hint"].map(redact)
    return out.loc[:, list(PROBLEM_COLUMNS)].astype(
        {"file": "str", "column": "str", "problem": "str", "hint": "str"})


def _tidy(data: pd.DataFrame, kind: str, fw: Framework | None) -> pd.DataFrame:
    if kind != "household":
        fixed = ["region_code", "region_name", "year", *fw.indicator_ids]
    else:
        fixed = [spec.id for spec in HOUSEHOLD_COLUMNS]
    order = [c for c in fixed if c in data] + [c for c in data if c not in fixed]
    key = list(KEY_COLUMNS[kind])
    return data.loc[:, order].sort_values(key, kind="stable").reset_index(drop=True)


# --- public API -----------------------------------------------------------------------------------
def validate_file(
    path: str | os.PathLike[str],
    *,
    kind: Kind,
    framework: Framework | str | os.PathLike[str] | None = None,
    mapping: MappingSpec | None = None,
    sheet: str | int | None = None,
    regions: str | os.PathLike[str] | pd.DataFrame | Iterable[str] | None = None,
    allow_extra: bool = False,
    encoding: str | None = None,
) -> ValidationReport:
    """Check a data file without writing anything (校验数据文件).

    Parameters are those of :func:`ingest` (without ``out_dir``/``name``). A file that cannot
    be read at all (unknown encoding, empty, unknown suffix) gives a report with one problem.

    Returns
    -------
    ValidationReport

    Examples
    --------
    >>> from linkage.paths import sample_dir
    >>> report = validate_file(sample_dir() / "county_panel.csv", kind="county")
    >>> report.ok, report.rows
    (True, 1320)
    """
    try:
        # Nothing is written: identifiers are hashed with a throw-away salt (privacy hook).
        checked = _check(path, kind=kind, framework=framework, mapping=mapping, sheet=sheet,
                         regions=regions, allow_extra=allow_extra, encoding=encoding,
                         salt=secrets.token_bytes(32), stream=True)
    except InputError as err:
        table = pd.DataFrame({
            "file": [err.file or str(path)], "row": pd.array([err.row], dtype="Int64"),
            "column": [err.column or ""], "problem": [redact(err.problem)],
            "hint": [redact(err.hint or "")],
        })
        return ValidationReport(str(path), kind, False, table.astype(
            {"file": "str", "column": "str", "problem": "str", "hint": "str"}))
    return ValidationReport(str(path), checked.kind, checked.problems.empty, checked.problems,
                            checked.warnings, checked.rows)


def load_table(
    path: str | os.PathLike[str],
    *,
    kind: Kind,
    framework: Framework | str | os.PathLike[str] | None = None,
    mapping: MappingSpec | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    allow_extra: bool = True,
) -> pd.DataFrame:
    """Read and validate a data file for analysis, writing nothing (读取并校验数据).

    The entry point for code that loads user data (report loaders, notebooks): any format
    :func:`linkage.readers.read_table` reads (CSV in UTF-8 or GBK, Excel, Stata), the same
    heading recognition, coercion, schema and privacy rules as :func:`ingest`. A Parquet file
    written by ``linkage ingest`` for the same ``kind`` is read as it is (it was validated when
    written; with ``kind="panel"``, a Parquet of any panel level). Household identifiers are
    hashed with a throw-away salt (consistent within the call only). Unrecognised columns are
    kept (``allow_extra=True``).

    Returns
    -------
    pandas.DataFrame
        The validated, tidy table (sorted by key, plain RangeIndex). What :func:`ingest` would
        print as 提示 (personal columns dropped, framework indicators absent, codes completed,
        …) is issued as a ``UserWarning`` and kept in ``.attrs["warnings"]``; the kind checked
        (for ``"panel"`` the level found) is ``.attrs["kind"]``.

    Raises
    ------
    DataValidationError
        On any problem, naming file, row, column and what to do (as :func:`ingest`).
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        from linkage.provenance import read_provenance

        try:
            record = read_provenance(path)
        except InputError:
            record = {}
        written = record.get("kind")
        if (written == kind or (kind == "panel" and written in PANEL_LEVELS)) and record.get(
                "schema_version") == SCHEMA_VERSION:
            data = pd.read_parquet(path)
            data.attrs["kind"] = written
            return data
    checked = _check(path, kind=kind, framework=framework, mapping=mapping, sheet=sheet,
                     regions=None, allow_extra=allow_extra, encoding=encoding,
                     salt=secrets.token_bytes(32))
    if checked.data is None:
        raise _validation_error(checked.problems)
    data = checked.data
    data.attrs["warnings"] = checked.warnings
    data.attrs["kind"] = checked.kind
    for note in checked.warnings:  # never silent: what ingest would print, the caller sees
        warnings.warn(f"{path.name}: {note}", UserWarning, stacklevel=2)
    return data


def coerce_columns(
    frame: pd.DataFrame, kinds: Mapping[str, str], *, file: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Coerce columns of a table read by :func:`linkage.readers.read_table` (类型转换).

    The cell rules of :func:`ingest` for tables without a schema of their own (the county
    attribute table): ``kinds`` maps a column to ``"code"`` (6-digit text, zeros kept),
    ``"text"``, ``"int"``, ``"float"`` or ``"bool"`` (是/否, 1/0, true/false); columns of
    ``frame`` not named in ``kinds``, and names absent from ``frame``, are left alone.

    Raises
    ------
    DataValidationError
        Naming ``file``, the first row and column whose value is not of its kind, and how
        many problems there are in all.
    """
    present = {c: k for c, k in kinds.items() if c in frame.columns}
    coerced, problems, notes = _coerce(frame[list(present)], present)
    if problems:
        raise _validation_error(_finish(pd.concat(problems, ignore_index=True),
                                        Path(file) if file else Path("?"), {}))
    for note in notes:  # codes completed: never silent
        warnings.warn(f"{Path(file).name if file else ''}: {note}", UserWarning, stacklevel=2)
    return frame.assign(**{c: coerced[c] for c in present})


def ingest(
    path: str | os.PathLike[str],
    *,
    kind: Kind,
    framework: Framework | str | os.PathLike[str] | None = None,
    mapping: MappingSpec | None = None,
    sheet: str | int | None = None,
    regions: str | os.PathLike[str] | pd.DataFrame | Iterable[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    name: str | None = None,
    allow_extra: bool = False,
    encoding: str | None = None,
    overwrite: bool = False,
) -> IngestResult:
    """Validate a data file and write it as tidy Parquet with provenance (导入数据).

    Parameters
    ----------
    path : path-like
        CSV (UTF-8/GBK), .xlsx/.xls, .dta, or a filled-in template from
        :func:`linkage.template.write_template` (recognised automatically; no mapping needed).
    kind : {"county", "prefecture", "province", "panel", "household"}
        Region-year panel of one level — county (县域面板), prefecture (地级面板), province
        (省级面板, e.g. 31 provinces) — or ``"panel"`` (level read from the codes, see
        :data:`Kind`), or household monitoring data (农户监测). The level is recorded in the
        provenance (``kind`` and ``level``) and in the output name
        (``<name>.province.parquet``).
    framework : Framework or path, optional
        Indicator framework (or its YAML file) for county panels; default the packaged one.
        Not used for household data.
    mapping : dict or path, optional
        Column heading in the file → column id, for headings the kit does not recognise
        (a dict, or a YAML/CSV/Excel file as read by
        :func:`linkage.readers.mapping.load_mapping`); other columns are still recognised
        by their usual names.
    sheet : str or int, optional
        Excel worksheet name or 0-based index; default the first (or the template's sheet for
        ``kind``).
    regions : path, DataFrame or iterable of str, optional
        Valid region codes (e.g. ``data/raw/sample/counties.csv``); default: 6 digits with a
        valid province prefix.
    out_dir : path-like, optional
        Output folder; default :func:`linkage.paths.data_processed`. Never inside
        ``data/raw/``.
    name : str, optional
        Output base name, a plain name (no ``/``, ``\\``, ``..``); default the input file's stem.
    allow_extra : bool, default False
        Keep unrecognised columns instead of rejecting them.
    encoding : str, optional
        Text encoding of a CSV when detection fails (e.g. ``"gbk"``).
    overwrite : bool, default False
        Replace an existing ``<name>.<kind>.parquet`` (command line: ``--force``); by default
        an existing output is refused and left as it is.

    Returns
    -------
    IngestResult
        Path of ``<name>.<kind>.parquet`` (provenance embedded), the record, the data and
        warnings.

    Raises
    ------
    DataValidationError
        On any problem; the message names file, row, column, problem and what to do for the
        first one and counts the rest; ``err.problems`` holds the full table. Nothing is
        written.
    InputError
        When the file cannot be read (from :func:`linkage.readers.read_table`).
    OutputError
        ``name`` not a plain name; output inside ``data/raw/`` or over an input; output exists
        and ``overwrite`` is False; output folder not writable.

    Examples
    --------
    >>> import tempfile
    >>> from linkage.paths import sample_dir
    >>> result = ingest(sample_dir() / "county_panel.csv", kind="county",
    ...                 out_dir=tempfile.mkdtemp())
    >>> result.path.name
    'county_panel.county.parquet'
    """
    path = Path(path)
    if name is not None:
        check_plain_name(name, option="--name / name")
    out = check_output_target(Path(out_dir) if out_dir is not None else data_processed(),
                              folder=True)
    if kind != "panel":  # "panel": the name depends on the level found in the file
        _refuse_existing_early(out / f"{name or path.stem}.{kind}.parquet", overwrite)
    checked = _check(path, kind=kind, framework=framework, mapping=mapping, sheet=sheet,
                     regions=regions, allow_extra=allow_extra, encoding=encoding)
    if checked.data is None:
        raise _validation_error(checked.problems)
    kind = checked.kind
    target = out / f"{name or path.stem}.{kind}.parquet"
    data = checked.data
    fw = checked.framework
    inputs = {"source": path}
    if checked.regions_file is not None:
        inputs["regions"] = checked.regions_file
    if fw is not None and fw.source is not None:
        inputs["framework"] = Path(fw.source)
    if mapping is not None and not isinstance(mapping, Mapping):
        inputs["mapping"] = Path(mapping)
    _refuse_over_inputs(target, inputs.values())
    record = provenance_record(
        inputs,
        parameters={"kind": kind, "sheet": sheet, "name": name,
                    "mapping": dict(mapping) if isinstance(mapping, Mapping) else mapping,
                    "allow_extra": allow_extra, "encoding": encoding},
        schema_version=SCHEMA_VERSION,
        framework=None if fw is None else {"id": fw.id, "version": fw.version},
        kind=kind,
        level=None if kind == "household" else kind,
        rows=len(data),
        columns=list(data.columns),
        source={"file": str(path), "encoding": checked.encoding, "sheet": checked.sheet},
        warnings=list(checked.warnings),
        outputs={"data": target.name},
    )
    assert_no_identifiers(data, where=path)  # privacy hook: never write raw identifiers
    data.attrs = {}
    _write_parquet(data, record, target, overwrite=overwrite)
    return IngestResult(target, record, kind, len(data), tuple(data.columns), checked.warnings,
                        data)


def _refuse_existing_early(target: Path, overwrite: bool) -> None:
    """Fail before reading a large file (the authoritative check is made under the lock)."""
    if not overwrite and target.exists():
        raise OutputError("输出已存在，未覆盖 / output exists, not replaced", file=target,
                          hint="确认要替换时加 --force（Python：overwrite=True），"
                               "或用 --name 换一个名称")


def _refuse_over_inputs(target: Path, inputs: Iterable[Path]) -> None:
    for source in inputs:
        if source.exists() and target.exists() and target.samefile(source):
            raise OutputError("输出会覆盖输入文件 / the output would replace an input",
                              file=target, hint="请换一个输出目录或名称")


def _write_parquet(data: pd.DataFrame, record: Mapping[str, Any], target: Path, *,
                   overwrite: bool) -> None:
    """Data and provenance as one Parquet file, one atomic rename, writers serialised."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(data, preserve_index=False)
    metadata = dict(table.schema.metadata or {})
    metadata[PROVENANCE_KEY] = json.dumps(record, ensure_ascii=False, default=str).encode()
    table = table.replace_schema_metadata(metadata)
    with atomic_path(target, overwrite=overwrite, lock=True) as tmp:
        pq.write_table(table, tmp)


def _validation_error(problems: pd.DataFrame) -> DataValidationError:
    first = problems.iloc[0]
    more = len(problems) - 1
    hint = first["hint"] or ""
    if more:
        hint = f"{hint}；{_MORE_HINT.format(n=more)}" if hint else _MORE_HINT.format(n=more)
    err = DataValidationError(
        str(first["problem"]), file=str(first["file"]),
        row=None if pd.isna(first["row"]) else int(first["row"]),
        column=str(first["column"]) or None, hint=hint,
    )
    err.problems = problems
    return err
