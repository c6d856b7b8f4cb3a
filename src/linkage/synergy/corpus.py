"""Policy corpus as a validated data kind (政策文本库): documents, codes, PMC items, texts.

A :class:`PolicyCorpus` holds, indexed by ``doc_id``:

* ``documents`` — one row per document (columns :data:`DOCUMENT_COLUMNS`, contract of
  ``policy_documents.csv``) plus the derived ``year``, ``strength`` (政策力度 1–5,
  :meth:`~linkage.synergy.scheme.CodingScheme.strength`) and ``n_issuers`` (joint issuance);
* ``codes`` — confirmed codes, one nullable ``Int64`` column per code id of the scheme, values
  0 未涉及 / 1 提及 / 2 重点, ``<NA>`` = not coded yet; ``auto_codes`` — dictionary pre-codes in
  the same shape, kept apart (never written into ``codes``);
* ``pmc_items`` — 0/1 secondary PMC variables ``X<k>.<j>`` (and ``X10``) of the documents scored;
* ``texts`` — full texts (``doc_id`` → str; empty when none were read).

:func:`read_corpus` reads each table from CSV/Excel (:func:`linkage.readers.read_table`;
headings in Chinese or English, :data:`DOCUMENT_HEADINGS`) or takes a DataFrame, and validates
it with :mod:`pandera` (:func:`documents_schema`, :func:`linkage.schemas.check_frame`) and the
kit's error rules: every problem is an :class:`~linkage.errors.InputError` naming the file, the
row as the user sees it (header counted; for a DataFrame, its position + 2, as if saved as CSV)
and the column, and saying what to do. :func:`read_texts` reads .txt (UTF-8/GBK detected),
.docx (python-docx) and .pdf (pypdf).
"""

from __future__ import annotations

import difflib
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from os import PathLike
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from linkage.errors import DataValidationError, InputError
from linkage.labels import Language, label
from linkage.readers import read_table
from linkage.readers.cells import column_letter
from linkage.readers.encoding import decode_bytes
from linkage.readers.mapping import heading_key
from linkage.schemas import YEAR_RANGE, _problem, check_frame, code_level
from linkage.synergy.scheme import (
    EMPHASIS_VALUES,
    LEVELS,
    CodeKind,
    CodingScheme,
    issuer_list,
    load_scheme,
)

__all__ = [
    "DATA_DIR",
    "DERIVED_COLUMNS",
    "DOCUMENT_COLUMNS",
    "DOCUMENT_HEADINGS",
    "PMC_COLUMN",
    "TEXT_SUFFIXES",
    "PolicyCorpus",
    "documents_schema",
    "issuer_list",
    "load_sample_corpus",
    "read_corpus",
    "read_texts",
]

#: Folder of the bundled sample corpus.
DATA_DIR = Path(__file__).resolve().parent / "data"

#: Columns of ``PolicyCorpus.documents`` (after ``doc_id``, the index), in contract order.
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "doc_id", "title", "doc_number", "issuers", "level", "date", "doc_type", "valid_from",
    "valid_to", "region_code", "simulated", "source", "text_file", "note",
)

#: Columns derived on load.
DERIVED_COLUMNS: tuple[str, ...] = ("year", "strength", "n_issuers")

#: Accepted headings (Chinese or English; matched by :func:`linkage.readers.mapping.heading_key`)
#: → column id. The id itself is always accepted.
DOCUMENT_HEADINGS: dict[str, tuple[str, ...]] = {
    "doc_id": ("文件编号", "编号", "文件id"),
    "title": ("标题", "文件标题", "文件名称", "政策名称"),
    "doc_number": ("文号", "发文字号"),
    "issuers": ("发文机关", "发文单位", "发文机构", "发布机构"),
    "level": ("层级", "行政层级", "发文层级"),
    "date": ("发布日期", "成文日期", "印发日期", "日期"),
    "doc_type": ("文种", "文件类型", "政策类型"),
    "valid_from": ("施行日期", "生效日期"),
    "valid_to": ("有效期至", "失效日期"),
    "region_code": ("区划代码", "地区代码"),
    "simulated": ("模拟", "是否模拟"),
    "source": ("来源", "资料来源", "出处"),
    "text_file": ("文本文件", "全文文件"),
    "note": ("备注", "说明"),
}

#: Secondary PMC variable headings (``X1.1`` … and single first-level ones such as ``X10``).
PMC_COLUMN = r"^X\d+(\.\d+)?$"

#: Full-text file types :func:`read_texts` reads.
TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".pdf")

_REQUIRED = ("doc_id", "title", "issuers", "level", "doc_type", "region_code")
_DATES = ("date", "valid_from", "valid_to")
_TEXT_DEFAULTS = ("doc_number", "source", "text_file", "note")
_LEVEL_CODE = {"中央": "nation", "省": "province", "市": "prefecture", "县": "county"}
_BOOL = {"true": True, "false": False, "是": True, "否": False, "1": True, "0": False,
         "模拟": True, "真实": False, "yes": True, "no": False}
_FIRST_YEAR = 1949
_SHOWN = 3  # further problems named in the message besides the first


# --- small vectorised cell helpers ------------------------------------------------------


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped text (``<NA>`` for empty); a whole number read from Excel as
    ``990000.0`` becomes ``"990000"``."""
    out = values.astype("string").str.strip()
    out = out.str.replace(r"^(\d+)\.0$", r"\1", regex=True)
    return out.mask(out == "")


def _dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(parsed dates, mask of cells that are not dates): ``2020-12-16``, ``2020/12/16``,
    ``2020.12.16``, ``2020年12月16日`` and Excel dates are accepted."""
    text = _text(values).str.replace(r"\s+00:00:00$", "", regex=True)
    norm = text.str.replace(r"[年月./]", "-", regex=True).str.replace("日", "", regex=False)
    parsed = pd.to_datetime(norm, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    return parsed, text.notna() & parsed.isna()


def _blank(values: pd.Series) -> pd.Series:
    """Empty cells: missing or an empty string."""
    return values.isna() | (values.astype(object) == "")


def _numbers(values: pd.DataFrame) -> pd.DataFrame:
    """Cells as numbers (NaN where empty or not a number)."""
    return values.apply(lambda col: pd.to_numeric(col.mask(_blank(col)), errors="coerce"))


def _problems(rows: Iterable[object], column: str, problem: str, hint: str) -> pd.DataFrame:
    rows = list(rows)
    return pd.DataFrame({"row": pd.array(rows, dtype="Int64"), "column": [column] * len(rows),
                         "problem": [problem] * len(rows), "hint": [hint] * len(rows)})


@dataclass(frozen=True)
class _Where:
    """Where a table came from, for messages: file, worksheet, headings as in the file."""

    file: str | None
    sheet: str | None
    headings: dict[str, str]  # column id -> heading as written
    letters: bool = False  # name columns by their spreadsheet letter (a coding sheet)

    def column(self, column_id: str) -> str:
        heading = self.headings.get(column_id, column_id)
        if not self.letters or column_id not in self.headings:
            return heading
        return column_letter(list(self.headings).index(column_id))

    def error(self, problems: pd.DataFrame, what: str) -> InputError:
        """One error for a problems table (``row``, ``column`` id, ``problem``, ``hint``):
        the first problem in full, the next few named, the rest counted."""
        problems = problems.drop_duplicates(["row", "column"]).sort_values(
            "row", kind="stable", na_position="first")
        first = problems.iloc[0]
        row = None if pd.isna(first["row"]) else int(first["row"])
        column = self.column(str(first["column"])) if first["column"] else None
        text = str(first["problem"])
        if self.letters and column is not None:
            text = f"{column} 列（{self.headings.get(str(first['column']))}）：{text}"
        if self.sheet:
            text = f"工作表“{self.sheet}”{text if self.letters else '：' + text}"
        rest = problems.iloc[1:]
        if len(rest):
            named = "；".join(
                f"第 {r} 行 “{self.column(str(c))}” {p}" if pd.notna(r) else
                f"“{self.column(str(c))}” {p}"
                for r, c, p in rest[["row", "column", "problem"]].head(_SHOWN).itertuples(
                    index=False))
            more = len(rest) - _SHOWN
            text += (f"（{what}另有 {len(rest)} 处问题：{named}"
                     + (f"；等 {more} 处" if more > 0 else "") + "）")
        return DataValidationError(text, file=self.file, row=row, column=column,
                                   hint=str(first["hint"]) or None)


def _load(source: str | PathLike[str] | pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """A table as read (index = row as the user sees it) and the file it came from."""
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        if frame.index.name is not None and frame.index.name not in frame.columns:
            frame = frame.reset_index()
        frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
        return frame, None
    return read_table(source), str(source)


def _rename(frame: pd.DataFrame, resolve: Callable[[str], str | None], file: str | None,
            *, what: str, known: str) -> tuple[pd.DataFrame, _Where]:
    """Headings → column ids by ``resolve`` (``None`` = unknown → error; ``""`` = a column
    to ignore); two headings for one id are an error."""
    headings: dict[str, str] = {}  # id (the heading itself for an ignored column) -> heading
    ids = []
    for heading in map(str, frame.columns):
        ident = resolve(heading)
        if ident is None:
            close = difflib.get_close_matches(heading, known.split("、"), n=1)
            raise DataValidationError(
                f"{what}中有无法识别的列 “{heading}” / unknown column",
                file=file, column=heading,
                hint=(f"是不是 “{close[0]}”？" if close else "")
                + f"可用的列名：{known}；多余的列请删除")
        if ident and ident in headings:
            raise DataValidationError(
                f"{what}中 “{headings[ident]}” 与 “{heading}” 指同一列 {ident} / two "
                "columns for one field", file=file, column=heading,
                hint="删除或改名其中一列")
        headings[ident or heading] = heading
        ids.append(ident)
    out = frame.set_axis(ids, axis=1).loc[:, [i != "" for i in ids]]
    return out, _Where(file, None, headings)


_DOCUMENT_KEYS = {heading_key(name): ident for ident, names in DOCUMENT_HEADINGS.items()
                  for name in (ident, *names)}


def _document_heading(heading: str) -> str | None:
    return _DOCUMENT_KEYS.get(heading_key(heading))


# --- documents ------------------------------------------------------------------------


def documents_schema(scheme: CodingScheme) -> pa.DataFrameSchema:
    """Schema of the documents table (政策文件表模式), after headings are resolved and dates
    and booleans parsed.

    Rules: ``doc_id`` text without spaces, unique; ``title``, ``issuers`` not empty; ``level``
    one of :data:`~linkage.synergy.scheme.LEVELS`; ``doc_type`` one of the scheme's document
    types; ``date`` a date between 1949 and the last year of
    :data:`linkage.schemas.YEAR_RANGE`, or empty when it could not be verified (an undated
    document counts in every measure except those over time, which leave it out);
    ``valid_from``/``valid_to`` dates or empty;
    ``region_code`` six digits. Cross-column rules (validity order, level ↔ code) are checked
    by :func:`read_corpus`.

    >>> schema = documents_schema(load_scheme())
    >>> schema.columns["level"].title
    '层级'
    """
    last = YEAR_RANGE[1]
    in_years = pa.Check(lambda s: s.dt.year.between(_FIRST_YEAR, last), error=_problem(
        f"日期不在 {_FIRST_YEAR}—{last} 年之间", "请核对年份（四位数）"))

    def text(title: str, *checks: pa.Check, nullable: bool = False) -> pa.Column:
        return pa.Column(str, list(checks), nullable=nullable, title=title)

    return pa.DataFrameSchema({
        "doc_id": text("文件编号", pa.Check.str_matches(r"^\S+$", error=_problem(
            "文件编号含空格", "文件编号应为不含空格的文本，如 zf2020-30"))),
        "title": text("标题"),
        "doc_number": text("文号"),
        "issuers": text("发文机关"),
        "level": text("层级", pa.Check.isin(LEVELS, error=_problem(
            "未知的层级", "层级应为 " + "、".join(LEVELS) + " 之一"))),
        "date": pa.Column("datetime64[ns]", in_years, nullable=True, title="发布日期"),
        "doc_type": text("文种", pa.Check.isin(scheme.doc_type_ids, error=_problem(
            "未知的文种", "文种应为编码方案中的 " + "、".join(scheme.doc_type_ids)
            + " 之一；按文件实质分类（印发规划的通知记为规划）"))),
        "valid_from": pa.Column("datetime64[ns]", in_years, nullable=True, title="施行日期"),
        "valid_to": pa.Column("datetime64[ns]", in_years, nullable=True, title="有效期至"),
        "region_code": text("区划代码", pa.Check.str_matches(r"^\d{6}$", error=_problem(
            "区划代码不是 6 位数字", "中央文件填 000000；请把该列设为文本格式以保留前导零"))),
        "simulated": pa.Column(bool, title="模拟"),
        "source": text("来源"),
        "text_file": text("文本文件"),
        "note": text("备注"),
    }, unique=["doc_id"], strict=True, ordered=False, name="policy_documents",
        title="政策文件表", description="每份政策文件一行")


def _documents(source: str | PathLike[str] | pd.DataFrame, scheme: CodingScheme
               ) -> tuple[pd.DataFrame, _Where]:
    raw, file = _load(source)
    frame, where = _rename(raw, _document_heading, file, what="政策文件表",
                           known="、".join(n[0] for n in DOCUMENT_HEADINGS.values()))
    absent = [c for c in _REQUIRED if c not in frame.columns]
    if absent:
        names = "、".join(f"{DOCUMENT_HEADINGS[c][0]}（{c}）" for c in absent)
        raise DataValidationError(f"政策文件表缺少必需的列：{names} / missing columns",
                                  file=file, column=absent[0],
                                  hint="添加这些列（列名可用中文或英文）")
    problems = []
    data = pd.DataFrame(index=frame.index)
    for column in DOCUMENT_COLUMNS:
        values = frame[column] if column in frame.columns else pd.Series(
            pd.NA, index=frame.index, dtype=object)
        if column in _DATES:
            data[column], bad = _dates(values)
            problems.append(_problems(frame.index[bad], column, "无法识别的日期",
                                      "请写作 2020-12-16（或 2020年12月16日）"))
        elif column == "simulated":
            text = _text(values).str.lower()
            flag = text.astype(object).map(_BOOL)
            bad = flag.isna() & (text.notna() | (column in frame.columns))
            problems.append(_problems(frame.index[bad], column, "应为 是 或 否",
                                      "模拟文件填 是（TRUE），真实文件填 否（FALSE）"))
            data[column] = flag.fillna(False).astype(bool)
        else:
            text = _text(values)
            data[column] = text.fillna("") if column in _TEXT_DEFAULTS else text
    data = data.astype({c: object for c in DOCUMENT_COLUMNS if c not in (*_DATES, "simulated")})
    validated, schema_problems = check_frame(data, documents_schema(scheme))
    blank = schema_problems["problem"] == "缺少必填值"
    schema_problems.loc[blank, "hint"] = ("请填写该单元格；可以留空的只有文号、发布日期、施行日期、"
                                          "有效期至、来源、文本文件和备注")
    problems.append(schema_problems)
    order = data["valid_to"] < data["valid_from"]
    problems.append(_problems(data.index[order], "valid_to", "有效期至早于施行日期",
                              "请核对施行日期和有效期至"))
    expected = data["level"].map(_LEVEL_CODE)
    found = code_level(data["region_code"].fillna(""))
    mismatch = expected.notna() & found.notna() & (expected != found)
    problems.append(_problems(
        data.index[mismatch], "region_code", "区划代码与层级不符",
        "中央文件填 000000，省级 xx0000，市级 xxxx00，县级为其他 6 位县级代码"))
    problems = pd.concat([p for p in problems if len(p)], ignore_index=True) if any(
        len(p) for p in problems) else None
    if problems is not None:
        raise where.error(problems, "政策文件表")
    assert validated is not None
    return validated, where


def _derive(documents: pd.DataFrame, scheme: CodingScheme) -> pd.DataFrame:
    out = documents.set_index("doc_id")
    out["year"] = out["date"].dt.year.astype("Int64")  # undated documents: <NA>
    out["strength"] = scheme.strength(out)
    out["n_issuers"] = issuer_list(out["issuers"]).map(len).astype("int64")
    return out


# --- codes and PMC items --------------------------------------------------------------


def _code_heading(scheme: CodingScheme) -> Callable[[str], str | None]:
    names = {heading_key(alias): code.id for code in scheme.codes
             for alias in (code.id, code.name_zh, code.name_en, f"{code.name_zh}（{code.id}）",
                           f"{code.name_zh}({code.id})")}

    def resolve(heading: str) -> str | None:
        ident = _document_heading(heading)
        if ident is not None:
            return ident if ident == "doc_id" else ""  # titles etc. beside the codes: ignored
        return names.get(heading_key(heading))

    return resolve


def _pmc_heading(heading: str) -> str | None:
    ident = _document_heading(heading)
    if ident is not None:
        return ident if ident == "doc_id" else ""
    text = heading.strip().upper()
    return text if pd.Series([text]).str.fullmatch(PMC_COLUMN).iloc[0] else None


def _wide(frame: pd.DataFrame, where: _Where, doc_ids: pd.Index, allowed: Sequence[int], *,
          what: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Validate a wide table of ``doc_id`` + value columns (codes or PMC items) and return it
    indexed by ``doc_id`` as nullable Int64 (``columns``: reindexed to them)."""
    if "doc_id" not in frame.columns:
        raise DataValidationError(f"{what}缺少文件编号列（文件编号 / doc_id）/ missing doc_id",
                                  file=where.file, column="doc_id",
                                  hint="第一列写文件编号，与政策文件表一致")
    frame = frame.assign(doc_id=_text(frame["doc_id"]))
    frame = frame[~frame.isna().all(axis=1)]
    values = [c for c in frame.columns if c != "doc_id"]
    allowed_text = "、".join(map(str, allowed))
    in_allowed = pa.Check(
        lambda s: pd.to_numeric(s.mask(_blank(s)), errors="coerce").isin(allowed) | _blank(s),
        error=_problem(f"取值应为 {allowed_text}", f"请填写 {allowed_text}；未编码的单元格留空"))
    schema = pa.DataFrameSchema(
        {"doc_id": pa.Column(str, pa.Check.isin(list(doc_ids), error=_problem(
            "文件编号不在政策文件表中", "请核对文件编号，或先在政策文件表中添加该文件")),
            title="文件编号"),
         **{c: pa.Column(nullable=True, checks=in_allowed, title=c) for c in values}},
        unique=["doc_id"], name=what)
    _, problems = check_frame(frame.astype({"doc_id": object}), schema)
    if len(problems):
        raise where.error(problems, what)
    numbers = _numbers(frame[values]).astype("Int64")
    numbers.index = pd.Index(frame["doc_id"], name="doc_id")
    numbers.columns.name = None
    return numbers.reindex(index=doc_ids, columns=columns if columns is not None else values
                           ).astype("Int64")


def _empty_codes(doc_ids: pd.Index, scheme: CodingScheme) -> pd.DataFrame:
    return pd.DataFrame(pd.NA, index=doc_ids, columns=list(scheme.code_ids), dtype="Int64")


def _codes(source: str | PathLike[str] | pd.DataFrame | None, doc_ids: pd.Index,
           scheme: CodingScheme, *, what: str = "编码表") -> pd.DataFrame:
    if source is None:
        return _empty_codes(doc_ids, scheme)
    raw, file = _load(source)
    frame, where = _rename(raw, _code_heading(scheme), file, what=what,
                           known="文件编号、" + "、".join(scheme.code_ids))
    return _wide(frame, where, doc_ids, EMPHASIS_VALUES, what=what,
                 columns=list(scheme.code_ids))


def _pmc(source: str | PathLike[str] | pd.DataFrame | None, doc_ids: pd.Index
         ) -> pd.DataFrame:
    if source is None:
        return pd.DataFrame(index=pd.Index([], name="doc_id", dtype=object))
    raw, file = _load(source)
    frame, where = _rename(raw, _pmc_heading, file, what="PMC 评分表",
                           known="文件编号、X1.1、X1.2、…、X10")
    items = _wide(frame, where, doc_ids, (0, 1), what="PMC 评分表")
    scored = items.notna().any(axis=1)
    return items[scored].astype("int64")


# --- texts ----------------------------------------------------------------------------


def _read_one(file: Path) -> str:
    suffix = file.suffix.lower()
    if suffix == ".txt":
        return decode_bytes(file.read_bytes(), file=file, encoding=None)[0]
    if suffix == ".docx":
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        try:
            document = docx.Document(str(file))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise InputError(f"无法读取 Word 文件（{type(exc).__name__}）/ cannot read .docx",
                             file=file, hint="文件可能已损坏、加密或不是 .docx；请在 Word/WPS "
                             "中另存为 .docx 或 .txt") from exc
        cells = [cell.text for table in document.tables for row in table.rows
                 for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(file)
        locked = reader.is_encrypted and not reader.decrypt("")
        text = "" if locked else "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise InputError(f"无法读取 PDF 文件（{type(exc).__name__}）/ cannot read PDF",
                         file=file, hint="文件可能已损坏；请提供 .txt/.docx 全文") from exc
    if locked:
        raise InputError("PDF 文件已加密，无法读取 / encrypted PDF", file=file,
                         hint="请去掉密码后另存，或提供 .txt/.docx 全文")
    return text


def read_texts(folder: str | PathLike[str], *,
               files: Mapping[str, str] | pd.Series | None = None) -> pd.Series:
    """Read full texts of policy documents (读取政策全文) from a folder.

    ``.txt`` files are decoded as UTF-8 or GBK/GB18030 (detected,
    :func:`linkage.readers.encoding.detect_encoding`'s rules), ``.docx`` with python-docx
    (paragraphs, then table cells), ``.pdf`` with pypdf (text layer; a scanned PDF without one
    gives ``""`` and a warning in ``attrs["warnings"]``).

    Parameters
    ----------
    folder : str or path-like
        Folder holding the files.
    files : mapping or Series, optional
        ``doc_id`` → file name in ``folder``; default every .txt/.docx/.pdf file of the folder,
        keyed by its stem.

    Returns
    -------
    pandas.Series
        Text (str) indexed by ``doc_id``, named ``text``.

    Raises
    ------
    InputError
        Folder or named file missing, unsupported type, an unreadable, damaged or encrypted
        file, a text file in an undetectable encoding.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a-1.txt").write_bytes("防止返贫动态监测".encode("gbk"))
    >>> read_texts(d).to_dict()
    {'a-1': '防止返贫动态监测'}
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError("找不到全文文件夹 / text folder not found", file=root,
                         hint="检查路径；文件夹中放 <文件编号>.txt/.docx/.pdf")
    if files is None:
        paths = {p.stem: p for p in sorted(root.iterdir())
                 if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES}
    else:
        paths = {str(k): root / str(v) for k, v in dict(files).items()}
    for path in paths.values():
        if path.suffix.lower() not in TEXT_SUFFIXES:
            raise InputError(f"不支持的全文文件类型 “{path.suffix}” / unsupported text file",
                             file=path, hint="支持 " + "、".join(TEXT_SUFFIXES))
        if not path.is_file():
            raise InputError("找不到全文文件 / text file not found", file=path,
                             hint="检查政策文件表的文本文件列和全文文件夹")
    texts = pd.Series({k: _read_one(p) for k, p in paths.items()}, dtype=object, name="text")
    texts.index = pd.Index(texts.index, name="doc_id", dtype=object)
    empty = texts.index[texts.str.strip() == ""]
    texts.attrs["warnings"] = [f"{paths[k].name} 没有可提取的文字（扫描件？请提供 .txt 全文）"
                               for k in empty]
    return texts


def _texts(source: str | PathLike[str] | pd.Series | None, documents: pd.DataFrame,
           where: _Where) -> pd.Series:
    if source is None:
        return pd.Series([], index=pd.Index([], name="doc_id", dtype=object), dtype=object,
                         name="text")
    if isinstance(source, pd.Series):
        unknown = source.index[~source.index.isin(documents.index)]
        if len(unknown):
            raise InputError(f"全文的文件编号 “{unknown[0]}” 不在政策文件表中 / unknown doc_id",
                             hint="全文 Series 的索引应为政策文件表中的文件编号")
        return source.astype(object).rename("text").rename_axis("doc_id")
    named = documents["text_file"][documents["text_file"] != ""]
    root = Path(source)
    absent = named[~named.map(lambda name: (root / name).is_file())]
    if len(absent):
        row = documents.loc[absent.index[0], "_row"]
        raise DataValidationError(
            f"全文文件 “{absent.iloc[0]}” 不在 {root} 中 / text file not found",
            file=where.file, row=int(row), column=where.column("text_file"),
            hint="检查文件名（含扩展名），或清空该单元格")
    return read_texts(root, files=named)


# --- the corpus -----------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyCorpus:
    """A validated policy corpus (政策文本库). Build it with :func:`read_corpus` or
    :func:`load_sample_corpus`.

    Attributes
    ----------
    documents : pandas.DataFrame
        Index ``doc_id``; :data:`DOCUMENT_COLUMNS` (without ``doc_id``) + ``year``,
        ``strength``, ``n_issuers``.
    codes, auto_codes : pandas.DataFrame
        Index ``doc_id`` (every document), one Int64 column per code id of the scheme;
        confirmed codes and dictionary pre-codes, kept apart.
    pmc_items : pandas.DataFrame
        Index ``doc_id`` (documents scored), int 0/1 columns ``X<k>.<j>``/``X10``.
    texts : pandas.Series
        ``doc_id`` → full text (may be empty).
    scheme : CodingScheme
    source_files : tuple of str
        Files the corpus was read from.
    """

    documents: pd.DataFrame
    codes: pd.DataFrame
    auto_codes: pd.DataFrame
    pmc_items: pd.DataFrame
    texts: pd.Series
    scheme: CodingScheme
    source_files: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def simulated(self) -> bool:
        """Whether some document is simulated (模拟): reports must say so."""
        return bool(self.documents["simulated"].any())

    @property
    def goal_codes(self) -> pd.DataFrame:
        """Confirmed codes of the goals (政策目标编码)."""
        return self.codes_of("goal")

    @property
    def instrument_codes(self) -> pd.DataFrame:
        """Confirmed codes of the instruments (政策工具编码)."""
        return self.codes_of("instrument")

    def codes_of(self, kind: CodeKind, *, auto: bool = False) -> pd.DataFrame:
        """Codes of one kind (``"goal"``/``"instrument"``); ``auto=True`` for the pre-codes."""
        return (self.auto_codes if auto else self.codes)[list(self.scheme.ids_of(kind))]

    def issuer_list(self) -> pd.Series:
        """Issuing bodies of each document as a list (joint issuance = several)."""
        return issuer_list(self.documents["issuers"])

    def with_auto_codes(self, auto_codes: pd.DataFrame) -> PolicyCorpus:
        """A corpus with dictionary pre-codes set (validated like codes; confirmed codes are
        left as they are). ``auto_codes``: index ``doc_id`` or a ``doc_id`` column, code
        columns 0/1/2."""
        frame = auto_codes if "doc_id" in auto_codes.columns else auto_codes.rename_axis(
            "doc_id").reset_index()
        auto = _codes(frame, self.documents.index, self.scheme, what="自动编码表")
        return replace(self, auto_codes=auto)

    def subset(self, *, level: str | Sequence[str] | None = None,
               years: tuple[int, int] | None = None,
               doc_ids: Iterable[str] | None = None) -> PolicyCorpus:
        """The documents of some levels, a span of years (inclusive) and/or given ids, with
        their codes, PMC items and texts.

        >>> corpus = _example()
        >>> len(corpus.subset(level="中央")), len(corpus.subset(years=(2020, 2030)))
        (1, 2)
        """
        keep = pd.Series(True, index=self.documents.index)
        if level is not None:
            levels = [level] if isinstance(level, str) else list(level)
            unknown = [v for v in levels if v not in LEVELS]
            if unknown:
                raise InputError(f"未知的层级 {unknown[0]!r} / unknown level",
                                 hint="可选 / choose from: " + "、".join(LEVELS))
            keep &= self.documents["level"].isin(levels)
        if years is not None:
            keep &= self.documents["year"].between(*years).fillna(False).astype(bool)
        if doc_ids is not None:
            keep &= self.documents.index.isin(list(doc_ids))
        ids = self.documents.index[keep]
        return replace(
            self, documents=self.documents.loc[ids], codes=self.codes.loc[ids],
            auto_codes=self.auto_codes.loc[ids],
            pmc_items=self.pmc_items[self.pmc_items.index.isin(ids)],
            texts=self.texts[self.texts.index.isin(ids)])

    def summary(self, language: Language = "zh") -> pd.DataFrame:
        """Corpus summary by level (文本库概况): documents, years, mean strength, joint
        documents, coded documents (some confirmed code), documents with full text, simulated
        documents; a total row last.

        >>> _example().summary().loc["合计"].astype(str).tolist()
        ['2', '2020–2022', '3.5', '1', '1', '0', '1']
        """
        docs = self.documents.assign(
            joint=self.documents["n_issuers"] > 1,
            coded=self.codes.notna().any(axis=1),
            with_text=self.documents.index.isin(
                self.texts.index[self.texts.astype(str).str.strip() != ""]),
        )
        total = label("policy_total", language)
        groups = pd.concat([docs.assign(level_=docs["level"]), docs.assign(level_=total)])
        grouped = groups.groupby("level_", sort=False)
        table = pd.DataFrame({
            "policy_n_documents": grouped.size(),
            "policy_years": grouped["year"].min().astype(str) + "–"
            + grouped["year"].max().astype(str),
            "policy_mean_strength": grouped["strength"].mean().round(2),
            "policy_joint": grouped["joint"].sum(),
            "policy_coded": grouped["coded"].sum(),
            "policy_with_text": grouped["with_text"].sum(),
            "policy_simulated": grouped["simulated"].sum(),
        })
        order = [v for v in LEVELS if v in table.index] + [total]
        table = table.loc[order]
        table.index.name = label("policy_level", language)
        return table.rename(columns={c: label(c, language) for c in table.columns})

    def to_frame(self) -> pd.DataFrame:
        """Documents joined with their confirmed codes (one row per document)."""
        return self.documents.join(self.codes)


def read_corpus(
    documents: str | PathLike[str] | pd.DataFrame,
    codes: str | PathLike[str] | pd.DataFrame | None = None,
    *,
    pmc_items: str | PathLike[str] | pd.DataFrame | None = None,
    texts: str | PathLike[str] | pd.Series | None = None,
    scheme: CodingScheme | str | PathLike[str] | None = None,
) -> PolicyCorpus:
    """Read and validate a policy corpus (读取并校验政策文本库).

    Parameters
    ----------
    documents : path or DataFrame
        The documents table (CSV/Excel; columns :data:`DOCUMENT_COLUMNS`, headings in Chinese
        or English, :data:`DOCUMENT_HEADINGS`). Required columns: doc_id, title, issuers,
        level, date, doc_type, region_code; absent optional columns are empty (``simulated``:
        False).
    codes : path or DataFrame, optional
        Confirmed codes: ``doc_id`` + code columns (id, Chinese or English name of a code of
        the scheme), values 0/1/2 or empty; other document columns (title …) are ignored.
        Documents or codes not in the file are ``<NA>``.
    pmc_items : path or DataFrame, optional
        ``doc_id`` + ``X<k>.<j>`` columns with 0/1.
    texts : folder or Series, optional
        A folder with the files named in the ``text_file`` column, or a Series doc_id → text.
    scheme : CodingScheme or path, optional
        Default :func:`~linkage.synergy.scheme.load_scheme`.

    Returns
    -------
    PolicyCorpus

    Raises
    ------
    InputError
        (:class:`~linkage.errors.DataValidationError`) duplicate ids, unknown level or document
        type, bad dates, ``valid_to`` before ``valid_from``, malformed region codes or codes of
        another level, codes outside 0/1/2, code columns unknown to the scheme, codes for
        documents not in the corpus — naming the file, the row as in the file, the column and
        what to do; unreadable files and texts.

    Examples
    --------
    >>> docs = pd.DataFrame({"文件编号": ["a", "b"], "标题": ["甲", "乙"],
    ...     "发文机关": ["中共中央；国务院", "某省人民政府"], "层级": ["中央", "省"],
    ...     "发布日期": ["2020-12-16", "2021-03-01"], "文种": ["意见", "方案"],
    ...     "区划代码": ["000000", "990000"]})
    >>> corpus = read_corpus(docs, pd.DataFrame({"doc_id": ["a"], "risk_monitoring": [2]}))
    >>> corpus.documents["strength"].tolist(), int(corpus.codes.loc["a", "risk_monitoring"])
    ([4, 3], 2)
    """
    if not isinstance(scheme, CodingScheme):
        scheme = load_scheme(scheme)
    table, where = _documents(documents, scheme)
    docs = _derive(table, scheme)
    docs_rows = docs.assign(_row=table.index.to_numpy())
    text_series = _texts(texts, docs_rows, where)
    sources = tuple(str(s) for s in (documents, codes, pmc_items, texts)
                    if s is not None and not isinstance(s, pd.DataFrame | pd.Series))
    return PolicyCorpus(
        documents=docs, codes=_codes(codes, docs.index, scheme),
        auto_codes=_empty_codes(docs.index, scheme), pmc_items=_pmc(pmc_items, docs.index),
        texts=text_series, scheme=scheme, source_files=sources)


def load_sample_corpus(folder: str | PathLike[str] | None = None, *,
                       scheme: CodingScheme | None = None) -> PolicyCorpus:
    """The bundled sample corpus (样本政策文本库): real national documents (facts with
    sources, illustrative coding) and simulated provincial/county documents (模拟).

    Reads ``policy_documents``, and where present ``policy_codes``, ``pmc_items`` (each as
    ``.csv``, or ``.xlsx``/``.xls`` when there is no CSV) and the ``texts/`` folder, from
    ``folder`` (default :data:`DATA_DIR`, see its ``SOURCES.md``) — the layout a user's own
    corpus folder follows too.

    Parameters
    ----------
    folder : str or path-like, optional
        A folder laid out like the sample (a user's own corpus folder works too).
    scheme : CodingScheme, optional
        Default :func:`~linkage.synergy.scheme.load_scheme`.

    Returns
    -------
    PolicyCorpus

    Raises
    ------
    linkage.errors.InputError
        The folder does not exist or holds no documents table; a table is broken (file, row,
        column named).
    """
    root = DATA_DIR if folder is None else Path(folder)
    if not root.is_dir():
        raise InputError("政策文本库文件夹不存在 / no such corpus folder", file=root,
                         hint="给出包含 policy_documents.csv（或 .xlsx）的文件夹")

    def table(name: str) -> Path | None:
        found = [root / f"{name}{ext}" for ext in (".csv", ".xlsx", ".xls")
                 if (root / f"{name}{ext}").is_file()]
        return found[0] if found else None

    documents = table("policy_documents")
    if documents is None:
        raise InputError("文件夹中没有 policy_documents.csv / no documents table", file=root,
                         hint="政策文本库文件夹应包含 policy_documents.csv 或 .xlsx（以及可选的 "
                              "policy_codes、pmc_items 表和 texts/ 文件夹）")
    texts = root / "texts"
    return read_corpus(documents, table("policy_codes"), pmc_items=table("pmc_items"),
                       texts=texts if texts.is_dir() else None, scheme=scheme)


def _example() -> PolicyCorpus:
    """A two-document corpus for the docstring examples."""
    docs = pd.DataFrame({
        "doc_id": ["c1", "p1"], "title": ["中央意见", "省方案"],
        "issuers": ["中共中央；国务院", "某省人民政府"], "level": ["中央", "省"],
        "date": ["2020-12-16", "2022-03-01"], "doc_type": ["意见", "方案"],
        "region_code": ["000000", "990000"], "simulated": ["否", "是"]})
    return read_corpus(docs, pd.DataFrame({"doc_id": ["c1"], "risk_monitoring": [2]}))

