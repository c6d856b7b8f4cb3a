"""Excel data-entry template (数据填报模板) that :func:`linkage.ingest.ingest` reads back as is.

Layout of :func:`write_template`'s workbook:

* ``填表说明`` — what each sheet is, rules (6-digit codes as text, units, blanks for missing
  values, 是/否 lists), how to ingest, and the table of indicators / household fields.
* ``县域面板`` (county) and ``农户监测`` (household) — row 1: headings ``中文名（单位）`` (the kit
  recognises them without a mapping); row 2: direction (正向/逆向) or type and the column id;
  data from row 3. Panes frozen below row 2; header styling, column widths; region code and
  household id columns formatted as text (``@``); Excel data validation on every column (text
  length 6 for codes, whole-number years within ``years``, numbers, 是/否 and category lists).
* ``_linkage`` (hidden) — template version, framework id/version, the sheet of each data kind
  and the first data row, so that ingest recognises a filled-in template automatically
  (:func:`read_template_metadata`).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from linkage import __version__
from linkage.atomic import atomic_path
from linkage.errors import InputError
from linkage.escaping import xlsx_text
from linkage.labels import LABELS, label
from linkage.schemas import HOUSEHOLD_COLUMNS, INCOME_COMPONENTS, SCHEMA_VERSION, ColumnSpec

if TYPE_CHECKING:
    from linkage.frameworks import Framework

__all__ = [
    "DATA_START_ROW",
    "METADATA_SHEET",
    "SHEET_NAMES",
    "TEMPLATE_VERSION",
    "read_template_metadata",
    "write_template",
]

#: Version of the template layout (recorded in the hidden metadata sheet).
TEMPLATE_VERSION = "1"

#: Hidden sheet holding the template's metadata.
METADATA_SHEET = "_linkage"

#: Worksheet of each data kind.
SHEET_NAMES = {"county": "县域面板", "household": "农户监测"}

#: First data row (row 1 = headings, row 2 = direction/type and id).
DATA_START_ROW = 3

#: Rows covered by data validation and text formatting.
VALIDATED_ROWS = 5000

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_SUBHEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_NUMBER_LIMIT = ("-1E+15", "1E+15")


def _validation(kind: str, **options: Any) -> DataValidation:
    messages = {
        "textLength": ("区划代码应为 6 位数字", "请按文本输入 6 位区划代码，如 110101"),
        "whole": ("请填写整数", "该列只能填写整数"),
        "decimal": ("请填写数字", "该列只能填写数字（不要带单位或文字）"),
        "list": ("请从下拉列表选择", "该列只能填写下拉列表中的值"),
    }
    title, text = messages[kind]
    return DataValidation(type=kind, allow_blank=True, showErrorMessage=True,
                          errorTitle=title, error=text, **options)


def _county_columns(
    framework: Framework, years: range
) -> list[tuple[str, str, str, DataValidation | None]]:
    """(id, heading, second-row text, validation) for the county sheet."""
    first, last = min(years), max(years)
    columns = [
        ("region_code", "区划代码", "6位文本 · region_code",
         _validation("textLength", operator="equal", formula1="6")),
        ("region_name", "县名", "文本 · region_name", None),
        ("year", "年份", f"整数 {first}–{last} · year",
         _validation("whole", operator="between", formula1=str(first), formula2=str(last))),
    ]
    for ind in framework.indicators:
        direction = "正向" if ind.direction > 0 else "逆向"
        columns.append((ind.id, f"{ind.name_zh}（{ind.unit}）" if ind.unit else ind.name_zh,
                        f"{direction} · {ind.id}",
                        _validation("decimal", operator="between", formula1=_NUMBER_LIMIT[0],
                                    formula2=_NUMBER_LIMIT[1])))
    return columns


def _applies_to(eligible: str) -> str:
    """Where an indicator applies: every county, or the counties with a (labelled) attribute."""
    key = eligible or "all_counties"
    return label(key) if key in LABELS else f"{eligible} = 是"


def _household_validation(spec: ColumnSpec, years: range) -> DataValidation | None:
    if spec.id == "region_code":
        return _validation("textLength", operator="equal", formula1="6")
    if spec.id == "year":
        return _validation("whole", operator="between", formula1=str(min(years)),
                           formula2=str(max(years)))
    if spec.kind == "int":
        low = "1" if spec.id == "hh_size" else "0"
        return _validation("whole", operator="greaterThanOrEqual", formula1=low)
    if spec.kind == "float":
        if spec.id in INCOME_COMPONENTS and spec.id != "income_business":
            return _validation("decimal", operator="greaterThanOrEqual", formula1="0")
        if spec.id == "weight":
            return _validation("decimal", operator="greaterThan", formula1="0")
        return _validation("decimal", operator="between", formula1=_NUMBER_LIMIT[0],
                           formula2=_NUMBER_LIMIT[1])
    if spec.kind == "bool":
        return _validation("list", formula1='"是,否"')
    if spec.kind == "category":
        return _validation("list", formula1='"' + ",".join(spec.choices) + '"')
    return None


def _household_columns(years: range) -> list[tuple[str, str, str, DataValidation | None]]:
    kinds = {"str": "文本", "int": "整数", "float": "数字", "bool": "是/否", "category": "选择"}
    columns = []
    for spec in HOUSEHOLD_COLUMNS:
        label = "6位文本" if spec.id == "region_code" else kinds[spec.kind]
        if spec.id == "income_business":
            label = "数字，可为负"
        columns.append((spec.id, spec.heading, f"{label} · {spec.id}",
                        _household_validation(spec, years)))
    return columns


def _fill_data_sheet(ws: Worksheet, columns: list[tuple[str, str, str, Any]], *,
                     text_ids: Iterable[str], freeze: str) -> None:
    text_ids = set(text_ids)
    last_row = DATA_START_ROW + VALIDATED_ROWS - 1
    for j, (col_id, heading, second, validation) in enumerate(columns, start=1):
        letter = get_column_letter(j)
        head = xlsx_text(ws.cell(row=1, column=j), heading)
        head.font = Font(bold=True)
        head.fill = _HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = _BORDER
        sub = xlsx_text(ws.cell(row=2, column=j), second)
        sub.font = Font(italic=True, color="595959", size=9)
        sub.fill = _SUBHEADER_FILL
        sub.alignment = Alignment(horizontal="center", wrap_text=True)
        sub.border = _BORDER
        width = max(len(heading) * 2 + 2, len(second) + 2, 10)
        ws.column_dimensions[letter].width = min(width, 40)
        cells = f"{letter}{DATA_START_ROW}:{letter}{last_row}"
        if validation is not None:
            validation.add(cells)
            ws.add_data_validation(validation)
        if col_id in text_ids:
            ws.column_dimensions[letter].number_format = "@"
            for (cell,) in ws.iter_rows(min_row=DATA_START_ROW, max_row=DATA_START_ROW + 999,
                                        min_col=j, max_col=j):
                cell.number_format = "@"
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = freeze


def _instructions(ws: Worksheet, framework: Framework | None, kinds: tuple[str, ...],
                  years: range) -> None:
    lines: list[tuple[str, ...]] = [
        ("linkage 数据填报模板 —— 巩固拓展脱贫攻坚成果同乡村振兴有效衔接",),
        (f"模板版本 {TEMPLATE_VERSION}；数据模式版本 {SCHEMA_VERSION}；linkage {__version__}"
         + (f"；指标体系 {framework.id} {framework.version}" if framework else ""),),
        (),
        ("工作表",),
    ]
    if "county" in kinds:
        lines.append((f"{SHEET_NAMES['county']}：县域面板数据，每个县每年一行；"
                      "列为区划代码、县名、年份和各项指标。",))
    if "household" in kinds:
        lines.append((f"{SHEET_NAMES['household']}：防返贫监测农户数据，每户每年一行。",))
    lines += [
        (),
        ("填写规则",),
        ("1. 第 1 行是列名“中文名（单位）”，第 2 行是方向（正向/逆向）或类型和字段编号；"
         "请勿修改、删除前两行，也不要调整列的顺序。数据从第 3 行开始填写。",),
        ("2. 区划代码：6 位数字（GB/T 2260 县级代码），按文本填写以保留前导零；"
         "该列已设为文本格式。",),
        (f"3. 年份：四位整数，{min(years)}–{max(years)}。",),
        ("4. 数值按列名括号中的单位填写，只填数字：不要带单位、百分号或文字。",),
        ("5. 缺失值请留空，不要填 0、“-”、“/”或“无”。",),
        ("6. 是/否 列和类别列请从下拉列表中选择。",),
        ("7. 农户收入为全户全年收入（元）；经营净收入可为负数（经营亏损），其他收入不能为负。"
         "人均纯收入可留空，导入时按 四项收入之和 / 家庭人口 计算。",),
        (),
        ("导入方法",),
        ("Python：from linkage.ingest import ingest; ingest(\"本文件.xlsx\", kind=\"county\")"
         "（农户数据用 kind=\"household\"）；先检查可用 linkage.ingest.validate_file。",),
        ("命令行：linkage ingest 本文件.xlsx --kind county；"
         "检查：linkage validate 本文件.xlsx --kind county",),
        (),
    ]
    if framework is not None and "county" in kinds:
        lines.append(("指标说明",))
        lines.append(("编号", "中文名", "单位", "方向", label("stage"), label("eligible"), "定义",
                      "来源"))
        lines += [(ind.id, ind.name_zh, ind.unit, "正向" if ind.direction > 0 else "逆向",
                   label(f"stage_{ind.stage}"), _applies_to(ind.eligible),
                   ind.definition, ind.source) for ind in framework.indicators]
        lines.append(())
    if "household" in kinds:
        lines.append(("农户字段说明",))
        lines.append(("编号", "中文名", "单位", "说明"))
        lines += [(spec.id, spec.name_zh, spec.unit, spec.description)
                  for spec in HOUSEHOLD_COLUMNS]
    headings = {"工作表", "填写规则", "导入方法", "指标说明", "农户字段说明"}
    for i, values in enumerate(lines, start=1):
        for j, value in enumerate(values, start=1):
            cell = xlsx_text(ws.cell(row=i, column=j), value)
            if i == 1:
                cell.font = Font(bold=True, size=14)
            elif value in headings or value == "编号":
                cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 24
    for letter in "BCDEF":
        ws.column_dimensions[letter].width = 18


def write_template(
    path: str | os.PathLike[str],
    *,
    framework: Framework | None = None,
    kinds: Iterable[str] = ("county", "household"),
    years: Iterable[int] = range(2015, 2026),
    overwrite: bool = False,
) -> Path:
    """Write the Excel data-entry template (写出数据填报模板).

    Every string cell is written as text (:func:`linkage.escaping.xlsx_text`): a heading, a
    definition or a framework name that starts with ``=`` never becomes a formula.

    Parameters
    ----------
    path : path-like
        Target ``.xlsx`` file; written atomically (an earlier file survives a failure), never
        inside ``data/raw/`` (:func:`linkage.atomic.atomic_path`).
    framework : Framework, optional
        Indicator framework whose indicators are the county sheet's columns; default the
        packaged one.
    kinds : iterable of {"county", "household"}
        Data sheets to include.
    years : iterable of int
        Years allowed by the year columns' data validation (their minimum to maximum).
    overwrite : bool, default False
        Replace an existing file; otherwise it is refused with an
        :class:`~linkage.errors.OutputError` (command line: ``--force``).

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "填报模板.xlsx"
    >>> write_template(out, kinds=("household",)).name
    '填报模板.xlsx'
    """
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in SHEET_NAMES]
    if unknown or not kinds:
        raise InputError(f"未知的数据类型：{unknown or '（空）'}",
                         hint="kinds 可取 'county'、'household'")
    allowed = sorted({int(y) for y in years})
    if not allowed:
        raise InputError("years 为空", hint="请给出允许的年份，如 range(2015, 2026)")
    years = range(allowed[0], allowed[-1] + 1)
    if "county" in kinds and framework is None:
        from linkage.frameworks import load_framework

        framework = load_framework()
    wb = Workbook()
    guide = wb.active
    guide.title = "填表说明"
    _instructions(guide, framework if "county" in kinds else None, kinds, years)
    if "county" in kinds:
        _fill_data_sheet(wb.create_sheet(SHEET_NAMES["county"]),
                         _county_columns(framework, years),
                         text_ids=("region_code",), freeze="D3")
    if "household" in kinds:
        _fill_data_sheet(wb.create_sheet(SHEET_NAMES["household"]), _household_columns(years),
                         text_ids=("household_id", "region_code"), freeze="C3")
    meta = wb.create_sheet(METADATA_SHEET)
    rows = [
        ("key", "value"),
        ("template_version", TEMPLATE_VERSION),
        ("schema_version", SCHEMA_VERSION),
        ("linkage_version", __version__),
        ("framework_id", framework.id if "county" in kinds else ""),
        ("framework_version", framework.version if "county" in kinds else ""),
        ("data_start_row", str(DATA_START_ROW)),
        *[(f"sheet:{kind}", SHEET_NAMES[kind]) for kind in kinds],
    ]
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row, start=1):
            xlsx_text(meta.cell(row=i, column=j), value)
    meta.sheet_state = "hidden"
    with atomic_path(path, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(path)


def read_template_metadata(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Metadata of a workbook made by :func:`write_template` (模板元数据), else ``None``.

    Returns
    -------
    dict or None
        ``template_version``, ``framework_id``, ``framework_version``, ``data_start_row``
        (int) and ``sheets`` (kind → sheet name); ``None`` for any other workbook or a file
        that is not a readable .xlsx (the reader then reports the problem).
    """
    try:
        wb = load_workbook(path, read_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError):
        return None
    try:
        if METADATA_SHEET not in wb.sheetnames:
            return None
        pairs = {str(k): "" if v is None else str(v)
                 for k, v, *_ in wb[METADATA_SHEET].iter_rows(min_row=2, values_only=True)
                 if k is not None}
    finally:
        wb.close()
    sheets = {k.removeprefix("sheet:"): v for k, v in pairs.items() if k.startswith("sheet:")}
    return {
        "template_version": pairs.get("template_version", ""),
        "framework_id": pairs.get("framework_id", ""),
        "framework_version": pairs.get("framework_version", ""),
        "data_start_row": int(pairs.get("data_start_row", DATA_START_ROW)),
        "sheets": sheets,
    }
