"""Excel coding sheet round trip (编码表往返): export documents to code, read confirmed codes back.

Layout of :func:`write_coding_sheet`'s workbook:

* ``编码`` (:data:`CODING_SHEET`) — the sheet the researcher fills in. Row 1: headings
  (文件编号、标题、文号、发文机关、层级、发布日期、文种, then one column per code headed
  ``中文名（id）``, goals then instruments); row 2: the code's kind and group (目标·巩固,
  工具·供给型 …); one document per row from row 3 (:data:`DATA_START_ROW`). Code cells hold the
  confirmed codes already in the corpus (empty = not coded yet) and carry an Excel list
  validation 0/1/2; panes are frozen below row 2 and right of the title.
* ``自动预编码`` (:data:`AUTO_SHEET`) — the dictionary pre-codes in the same layout, for
  reference only: they are never read back, and never placed in the cells the researcher
  confirms.
* ``说明`` (:data:`GUIDE_SHEET`) — how to code, the emphasis scale (0 未涉及, 1 提及, 2 重点),
  and the scheme's codes with their groups and keywords.

A CSV coding sheet (one header row, the same headings, UTF-8 with BOM) is written and read as
well; pre-codes then sit in columns headed ``自动·中文名（id）``, which are ignored on reading.

:func:`read_coding_sheet` validates what comes back — document ids unknown to the corpus,
headings that are no code of the scheme, values other than 0/1/2, a document twice — each an
:class:`~linkage.errors.InputError` naming the worksheet, the row and the column letter as Excel
shows them, and returns the corpus with its confirmed codes updated where a cell is filled.
"""

from __future__ import annotations

from dataclasses import replace
from os import PathLike
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from linkage.atomic import atomic_path
from linkage.errors import InputError
from linkage.escaping import xlsx_text
from linkage.readers import read_table
from linkage.synergy.corpus import (
    DOCUMENT_HEADINGS,
    PolicyCorpus,
    _code_heading,
    _rename,
    _Where,
    _wide,
)
from linkage.synergy.scheme import EMPHASIS_VALUES, CodingScheme

__all__ = [
    "AUTO_PREFIX",
    "AUTO_SHEET",
    "CODING_SHEET",
    "DATA_START_ROW",
    "GUIDE_SHEET",
    "read_coding_sheet",
    "write_coding_sheet",
]

#: The worksheet the researcher fills in.
CODING_SHEET = "编码"

#: The worksheet with the dictionary pre-codes (reference only, never read back).
AUTO_SHEET = "自动预编码"

#: The instructions worksheet.
GUIDE_SHEET = "说明"

#: First data row of the coding sheets (row 1 headings, row 2 kind and group).
DATA_START_ROW = 3

#: Heading prefix of pre-code columns in a CSV coding sheet (ignored when read back).
AUTO_PREFIX = "自动·"

_META = ("doc_id", "title", "doc_number", "issuers", "level", "date", "doc_type")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_SUB_FILL = PatternFill("solid", fgColor="F2F2F2")
_AUTO_FILL = PatternFill("solid", fgColor="EDEDED")
_GROUP_LABEL = {"supply": "供给型", "environment": "环境型", "demand": "需求型"}


def _headings(scheme: CodingScheme) -> tuple[list[str], list[str]]:
    """Row 1 and row 2 of a coding sheet."""
    meta = [DOCUMENT_HEADINGS[c][0] for c in _META]
    codes = [f"{c.name_zh}（{c.id}）" for c in scheme.codes]
    kinds = [("目标·" if c.kind == "goal" else "工具·") + _GROUP_LABEL.get(c.group, c.group)
             for c in scheme.codes]
    return meta + codes, [""] * len(meta) + kinds


def _rows(corpus: PolicyCorpus, codes: pd.DataFrame) -> list[list[object]]:
    docs = corpus.documents.reset_index()[list(_META)].assign(
        date=corpus.documents["date"].dt.strftime("%Y-%m-%d").to_numpy())
    values = codes[list(corpus.scheme.code_ids)].astype(object).where(codes.notna(), None)
    return pd.concat([docs, values.reset_index(drop=True)], axis=1).values.tolist()


def _fill(ws: Worksheet, corpus: PolicyCorpus, codes: pd.DataFrame, *, editable: bool) -> None:
    first, second = _headings(corpus.scheme)
    for j, (head, sub) in enumerate(zip(first, second, strict=True), start=1):
        top = xlsx_text(ws.cell(row=1, column=j), head)
        top.font, top.fill = Font(bold=True), _HEADER_FILL
        top.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        low = xlsx_text(ws.cell(row=2, column=j), sub)
        low.font, low.fill = Font(italic=True, color="595959", size=9), _SUB_FILL
        ws.column_dimensions[get_column_letter(j)].width = (
            40 if j == 2 else 14 if j <= len(_META) else 12)
    for i, row in enumerate(_rows(corpus, codes), start=DATA_START_ROW):
        for j, value in enumerate(row, start=1):
            cell = xlsx_text(ws.cell(row=i, column=j), value)
            if not editable and j > len(_META):
                cell.fill = _AUTO_FILL
    ws.row_dimensions[1].height = 42
    ws.freeze_panes = f"C{DATA_START_ROW}"
    if editable and len(corpus):
        last = DATA_START_ROW + len(corpus) - 1
        valid = DataValidation(type="list", formula1='"' + ",".join(map(str, EMPHASIS_VALUES))
                               + '"', allow_blank=True, showErrorMessage=True,
                               errorTitle="请从下拉列表选择",
                               error="编码只能是 0（未涉及）、1（提及）或 2（重点），未编码请留空")
        valid.add(f"{get_column_letter(len(_META) + 1)}{DATA_START_ROW}:"
                  f"{get_column_letter(len(first))}{last}")
        ws.add_data_validation(valid)


def _guide(ws: Worksheet, scheme: CodingScheme) -> None:
    lines: list[list[object]] = [
        ["政策文本编码表 说明"],
        [f"编码方案：{scheme.name_zh}（{scheme.id} {scheme.version}）"],
        [f"在工作表“{CODING_SHEET}”中，每份文件一行，每个目标/工具一列：按下表取值填写，"
         "未编码的单元格留空。不要改动第 1 行列名和文件编号。"],
        [f"工作表“{AUTO_SHEET}”是按关键词自动生成的预编码，仅供参考：读取时只读"
         f"“{CODING_SHEET}”中您确认的编码，预编码永远不会覆盖它们。"],
        ["读回：linkage.synergy.sheet.read_coding_sheet(路径, 文本库)"],
        [],
        ["取值", "含义"],
        *[[value, f"{zh}（{en}）"] for value, zh, en in scheme.emphasis],
        [],
        ["编码", "类型", "组别", "名称", "关键词（预编码用）"],
        *[[c.id, "目标" if c.kind == "goal" else "工具", _GROUP_LABEL.get(c.group, c.group),
           c.name_zh, "、".join(c.keywords)] for c in scheme.codes],
        [],
        ["政策力度（1–5）依据：" + scheme.strength_rule.reference],
    ]
    for i, line in enumerate(lines, start=1):
        for j, value in enumerate(line, start=1):
            xlsx_text(ws.cell(row=i, column=j), value)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    for column, width in zip("ABCDE", (22, 14, 10, 20, 80), strict=True):
        ws.column_dimensions[column].width = width


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"编码表应为 .xlsx 或 .csv 文件，得到 “{path.suffix}” / unsupported "
                         "coding sheet type", file=path, hint="例如 -o 编码表.xlsx")
    return suffix


def write_coding_sheet(corpus: PolicyCorpus, path: str | PathLike[str], *,
                       overwrite: bool = False) -> Path:
    """Write an Excel (or CSV) coding sheet for a corpus (导出政策编码表).

    See the module docstring for the layout. Every string is written as text
    (:func:`linkage.escaping.xlsx_text`: a title starting with ``=`` never becomes a formula);
    the file is written atomically (:func:`linkage.atomic.atomic_path`), never inside
    ``data/raw/``.

    Parameters
    ----------
    corpus : PolicyCorpus
        Documents to code; its confirmed codes pre-fill the code cells, its pre-codes
        (``auto_codes``) go to the reference sheet (CSV: ``自动·`` columns).
    path : str or path-like
        Target ``.xlsx`` or ``.csv`` file.
    overwrite : bool, default False
        Replace an existing file (command line: ``--force``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        Another file type; :class:`~linkage.errors.OutputError` for an existing file without
        ``overwrite``, a target in ``data/raw/`` or an unwritable folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from linkage.synergy.corpus import _example
    >>> out = write_coding_sheet(_example(), pathlib.Path(tempfile.mkdtemp()) / "编码表.xlsx")
    >>> load_workbook(out).sheetnames
    ['编码', '自动预编码', '说明']
    """
    target = Path(path)
    if _suffix(target) == ".csv":
        first, _ = _headings(corpus.scheme)
        table = pd.DataFrame(_rows(corpus, corpus.codes), columns=first)
        auto = corpus.auto_codes[list(corpus.scheme.code_ids)]
        auto.columns = [AUTO_PREFIX + h for h in first[len(_META):]]
        table = pd.concat([table, auto.reset_index(drop=True).astype("Int64")], axis=1)
        with atomic_path(target, overwrite=overwrite) as tmp:
            table.to_csv(tmp, index=False, encoding="utf-8-sig")
        return target
    book = Workbook()
    sheet = book.active
    sheet.title = CODING_SHEET
    _fill(sheet, corpus, corpus.codes, editable=True)
    _fill(book.create_sheet(AUTO_SHEET), corpus, corpus.auto_codes, editable=False)
    _guide(book.create_sheet(GUIDE_SHEET), corpus.scheme)
    with atomic_path(target, overwrite=overwrite) as tmp:
        book.save(tmp)
    return target


def _sheet_names(path: Path) -> list[str]:
    try:
        book = load_workbook(path, read_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise InputError(f"无法打开编码表（{type(exc).__name__}）/ cannot open the workbook",
                         file=path, hint="请在 Excel/WPS 中另存为 .xlsx 后重试") from exc
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def read_coding_sheet(path: str | PathLike[str], corpus: PolicyCorpus) -> PolicyCorpus:
    """Read confirmed codes back from a coding sheet (读回编码表) into a corpus.

    Reads the worksheet ``编码`` of a workbook written by :func:`write_coding_sheet` (data from
    row 3), or the first worksheet / a CSV laid out as a plain table (headings in row 1). Code
    columns are recognised by ``中文名（id）``, the id, or the Chinese or English name; the
    document columns (标题 …) and ``自动·`` columns are ignored.

    Parameters
    ----------
    path : str or path-like
        ``.xlsx`` or ``.csv`` coding sheet.
    corpus : PolicyCorpus
        The corpus the sheet was written for.

    Returns
    -------
    PolicyCorpus
        ``codes`` replaced by the sheet's value in every filled cell (an empty cell leaves the
        code as it was: ``<NA>`` when never coded); ``auto_codes``, documents, PMC items and
        texts unchanged.

    Raises
    ------
    InputError
        A document id not in the corpus or repeated, a heading that is no code of the scheme,
        a value other than 0/1/2 — naming the worksheet, the row and the column letter as
        Excel shows them; an unreadable file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from linkage.synergy.corpus import _example
    >>> corpus = _example()
    >>> out = write_coding_sheet(corpus, pathlib.Path(tempfile.mkdtemp()) / "s.xlsx")
    >>> book = load_workbook(out)
    >>> book["编码"]["H4"] = 1  # p1, income_stability
    >>> book.save(out)
    >>> int(read_coding_sheet(out, corpus).codes.loc["p1", "income_stability"])
    1
    """
    file = Path(path)
    sheet: str | None = None
    start = 2
    if _suffix(file) == ".xlsx" and CODING_SHEET in _sheet_names(file):
        sheet, start = CODING_SHEET, DATA_START_ROW
    raw = read_table(file, sheet=sheet, header_rows=1)
    raw = raw[raw.index >= start]
    resolve = _code_heading(corpus.scheme)
    frame, where = _rename(
        raw, lambda h: "" if h.startswith(AUTO_PREFIX) else resolve(h), str(file),
        what="编码表", known="文件编号、" + "、".join(corpus.scheme.code_ids))
    where = _Where(where.file, sheet, where.headings, letters=True)
    sheet_codes = _wide(frame, where, corpus.documents.index, EMPHASIS_VALUES,
                        what="编码表", columns=list(corpus.scheme.code_ids))
    codes = corpus.codes.mask(sheet_codes.notna(), sheet_codes)
    return replace(corpus, codes=codes.astype("Int64"),
                   source_files=(*corpus.source_files, str(file)))
