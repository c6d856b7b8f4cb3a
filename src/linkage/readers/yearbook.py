"""Statistical-yearbook tables in long form (统计年鉴表格读取) and lists laid out by section.

:func:`read_yearbook` reads the tables of 中国统计年鉴, 中国农村统计年鉴, 中国县域统计年鉴,
provincial yearbooks and CNKI downloads into one row per region, indicator and year. Three
layouts: regions down the first column and indicators across (分地区 tables; a row holding only
a name, such as 河北省 above its counties, is the ``group`` of the rows below it); years down
the first column and indicators across (主要年份 tables); indicators down the first column
under a heading 指标/项目 and years across (主要指标 tables, "of which" rows marked by ``#``,
``其中：`` or leading spaces). The last two are about one region: ``region=``, or 全国 when a
title says 全国/中国. :func:`read_listing` reads lists laid out by
section (the 832-county exit list). Both cut a sheet into blocks first
(:func:`linkage.readers.blocks.split_blocks`), so the values of each 续表 are read under their
own header.

Headings of a block (one column, top to bottom over its header rows):

* merged cells span their columns; in a file without merge information (CSV) a header cell
  followed by empty cells whose lower rows hold headings spans them too;
* two stacked cells that each cover only this column are one heading broken across rows and
  are joined without separator (``地方一般公`` + ``共预算支出`` → ``地方一般公共预算支出``);
  a cell spanning several columns is the parent of the cells below it;
* a year (``2022年``, ``2022``) is the column's year, not part of the indicator; otherwise
  the year comes from the titles (``（2022年）``; not from ``年鉴2023``, not from a range
  ``2010—2020年``), and a 续表 inherits the year and the unit of the block before it;
* a trailing ``(万千瓦)``/``（亿元）`` that names a unit is the unit, else the unit line
  (``单位：亿元``) of the block;
* ``#`` / ``##`` (or ``其中：``) marks an "of which" item: its parent is the nearest column to
  the left one level up (a total such as 合计 stands for its own parent heading); without
  ``#`` the parent is the heading of the merged cell above, if any.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.readers.blocks import Block, SheetBlocks, split_blocks
from linkage.readers.cells import (
    NA_VALUES,
    column_letter,
    normalise_heading,
    squeeze_spaces,
)
from linkage.readers.excel import read_excel_grids
from linkage.readers.layout import Grid, empty_file_error
from linkage.readers.mapping import MappingSpec, apply_mapping, load_mapping
from linkage.readers.reshape import year_of_heading
from linkage.readers.text import read_text_grid

__all__ = [
    "LISTING_COLUMNS",
    "NATIONAL_CODE",
    "YEARBOOK_COLUMNS",
    "read_listing",
    "read_yearbook",
    "yearbook_panel",
]

#: Columns of :func:`read_yearbook`, in order.
YEARBOOK_COLUMNS = ("region", "region_code", "region_match", "indicator", "parent", "unit",
                    "year", "value", "group", "sheet", "row", "column")

#: The code :func:`linkage.places.resolve_codes` gives national totals (全国, 合计).
NATIONAL_CODE = "000000"

#: Columns :func:`read_listing` puts before the list's own columns.
LISTING_COLUMNS = ("section", "year", "sheet", "row")

_UNIT_SUFFIX = re.compile(r"\s*[(（]([^()（）]{1,12})[)）]\s*$")
_UNIT_WORD = re.compile(
    "元|人|户|吨|公顷|亩|瓦|%|％|‰|个|头|只|台|辆|张|床|米|公里|克|斤|项|次|所|家|小时|天|岁|倍|"
    "千卡|件|册|部|套|处|座|条|株|kW|kg|km|万|亿"
)
_OF_WHICH = re.compile(r"^(?:([#＃]+)|其中\s*[:：])\s*")
_TOTALS = frozenset({"合计", "总计", "小计", "计", "总量", "总额", "总数"})
_CODE_HEADING = re.compile(r"代码|编码")
#: "Of which" marks before a region name and footnote marks after it (北京①, 重庆*).
_REGION_MARKS = re.compile(r"^[#＃]+|[*＊①-⑳¹²³⁴⁵⁶⁷⁸⁹⁰]+$")
_ROW_INDICATORS = re.compile(r"^(?:主要)?(?:指标|项目)(?:名称)?$")
_UNIT_COLUMN = re.compile(r"^(?:计量)?单位$")
_SEQ_HEADING = re.compile(r"^(序号|编号|行次|顺序号)$")
_COUNT_HEADING = re.compile(r"^(数量|个数|县数|数目)(\(个\)|（个）)?$")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!鉴)")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[-—–~～至到]\s*(?:19|20)\d{2}")
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*")
_PACKED = "、"


def _sheets_of(file: Path, sheet: str | int | Sequence[str | int] | None,
               password: str | None, encoding: str | None) -> list[tuple[Grid, str]]:
    """The grids to read: every sheet of a workbook by default, or the one text file."""
    suffix = file.suffix.lower()
    if suffix not in {".csv", ".txt", ".xlsx", ".xlsm", ".xls"}:
        raise InputError(
            f"年鉴表格只能是 CSV 或 Excel 文件（不是 “{file.suffix or '无扩展名'}”）/ "
            "a yearbook table must be CSV or Excel", file=file)
    if not file.is_file():
        raise InputError("找不到文件 / file not found", file=file, hint="检查路径和文件名")
    if file.stat().st_size == 0:
        raise empty_file_error(file)
    if suffix in {".csv", ".txt"}:
        if sheet is not None or password is not None:
            raise InputError("sheet/password 只用于 Excel 文件 / option not applicable",
                             file=file)
        return [(read_text_grid(file, encoding=encoding)[0], "")]
    if encoding is not None:
        raise InputError("encoding 只用于 CSV 文件 / option not applicable", file=file)
    chosen = None if sheet is None else (
        [sheet] if isinstance(sheet, str | int) else list(sheet))
    return [(grid, name) for grid, name, _ in read_excel_grids(file, sheets=chosen,
                                                                 password=password)]


# --- headings ---------------------------------------------------------------------------------
def _spans(sb: SheetBlocks, header: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Heading text and span width of every header cell (rows of ``header`` × columns)."""
    present = sb.cells.present[list(header)]
    text = np.array([[normalise_heading(v) for v in row] for row in sb.filled[list(header)]],
                    dtype=object)
    n_head, n_cols = text.shape
    width = np.where(present, 1, 0)
    covered = np.zeros((n_head, n_cols), bool)
    for r0, r1, c0, c1 in sb.grid.merged:
        for i, h in enumerate(header):
            if r0 <= h <= r1:
                width[i, c0 : c1 + 1] = c1 - c0 + 1
                covered[i, c0 : c1 + 1] = True
    below = np.logical_or.accumulate(present[::-1], axis=0)[::-1]  # this row or a lower one
    for i in range(n_head - 1):  # a cell spans the empty cells to its right with lower headings
        j = 0
        while j < n_cols:
            if present[i, j] and not covered[i, j]:
                end = j + 1
                while (end < n_cols and not present[i, end] and not covered[i, end]
                       and below[i + 1, end]):
                    end += 1
                text[i, j:end] = text[i, j]
                width[i, j:end] = end - j
                j = end
            else:
                j += 1
    return text, width


def _levels(text: np.ndarray, width: np.ndarray, j: int) -> list[str]:
    """The heading levels of column ``j``, split words joined."""
    levels: list[list] = []
    previous = None
    for t, w in zip(text[:, j], width[:, j], strict=True):
        if not t or t == previous:
            continue
        previous = t
        joinable = (levels and levels[-1][1] == 1 and w == 1 and year_of_heading(t) is None
                    and year_of_heading(levels[-1][0]) is None and not _OF_WHICH.match(t))
        if joinable:
            levels[-1][0] += t
        else:
            levels.append([t, w])
    return [str(t) for t, _ in levels]


def _unit_split(name: str) -> tuple[str, str]:
    """(name without unit, unit) for ``农业机械总动力(万千瓦)``; unit "" when none."""
    match = _UNIT_SUFFIX.search(name)
    if match and _UNIT_WORD.search(match.group(1)):
        return name[: match.start()], match.group(1).strip()
    return name, ""


def _squeeze(text: str) -> str:
    return str(squeeze_spaces(pd.Series([text], dtype=object)).iloc[0])


@dataclass(frozen=True)
class _Column:
    """One value column of a block."""

    position: int
    indicator: str
    parent: str
    unit: str
    year: int | None
    depth: int
    heading: str


def _column_levels(sb: SheetBlocks, block: Block, columns: np.ndarray) -> list[list[str]]:
    """Heading levels of each of ``columns`` (split words joined)."""
    text, width = _spans(sb, block.header)
    return [_levels(text, width, int(j)) for j in columns]


def _marked(name: str) -> tuple[str, int]:
    """(name without ``#``/``其中：``, "of which" depth marked by them)."""
    marker = _OF_WHICH.match(name)
    depth = (len(marker.group(1)) if marker.group(1) else 1) if marker else 0
    return _OF_WHICH.sub("", name), depth


def _columns(sb: SheetBlocks, block: Block, value_cols: np.ndarray, unit: str, file: Path
             ) -> list[_Column]:
    out: list[_Column] = []
    for j, levels in zip(value_cols, _column_levels(sb, block, value_cols), strict=True):
        years = [y for y in map(year_of_heading, levels) if y is not None]
        names = [_squeeze(t) for t in levels if year_of_heading(t) is None]
        if not names:
            raise _heading_error(sb, block, int(j), "该列只有年份，没有指标名（指标按行排列的表，"
                                 "首列表头应为“指标”或“项目”）/ no indicator name above the year",
                                 file)
        split = [_unit_split(n) for n in names]
        own_unit = next((u for _, u in reversed(split) if u), "")
        leaf, depth = _marked(split[-1][0])
        out.append(_Column(
            position=int(j), indicator=leaf, unit=own_unit,
            parent=split[-2][0] if len(split) > 1 else "", year=years[-1] if years else None,
            depth=depth, heading="/".join(levels),
        ))
    return [c if c.unit else replace(c, unit=unit) for c in _of_which_parents(out)]


def _of_which_parents(columns: list[_Column]) -> list[_Column]:
    """``#`` items take the nearest column to the left one level up as parent, and its unit
    when their heading names none."""
    out = list(columns)
    for k, col in enumerate(columns):
        if not col.depth:
            continue
        up = next((c for c in reversed(out[:k]) if c.depth == col.depth - 1
                   and c.year == col.year), None)
        if up is not None:
            parent = up.parent if up.indicator in _TOTALS and up.parent else up.indicator
            out[k] = replace(col, parent=parent, unit=col.unit or up.unit)
    return out


def _heading_error(sb: SheetBlocks, block: Block, j: int, problem: str, file: Path
                   ) -> InputError:
    letter = column_letter(int(sb.grid.columns()[j]))
    return InputError(
        f"{sb.where}第 {sb.sheet_row(block.header[0])} 行起的表头，{letter} 列：{problem}",
        file=file, row=sb.sheet_row(block.header[0]), column=letter,
        hint="检查该表块的表头（合并单元格、被删除的表头行）；不会把数值放到别的列名下",
    )


def _title_year(titles: Sequence[str]) -> int | None:
    text = " ".join(titles)
    if _YEAR_RANGE.search(text):
        return None
    years = set(map(int, _TITLE_YEAR.findall(text)))
    return years.pop() if len(years) == 1 else None


# --- one block --------------------------------------------------------------------------------
def _block_columns(sb: SheetBlocks, block: Block, file: Path
                   ) -> tuple[int, int | None, np.ndarray]:
    """(label column, code column or None, value columns) of a block."""
    c = sb.cells
    body, header = block.body, list(block.header)
    headed = np.array([any(normalise_heading(v) for v in sb.filled[header, j])
                       for j in range(c.values.shape[1])])
    used = np.flatnonzero(headed | c.present[body].any(axis=0))
    texts = np.flatnonzero(c.text[body].any(axis=0))
    first = pd.Series(sb.filled[body, used[0]], dtype=object)
    if len(texts):
        label = int(texts[0])
    elif first.notna().any() and first.dropna().map(year_of_heading).notna().all():
        label = int(used[0])  # years down the rows, stored as numbers
    else:
        raise _heading_error(sb, block, int(used[0]), "找不到地区名称列 / no column of region "
                             "names", file)
    names = {j: normalise_heading(" ".join(normalise_heading(v) for v in sb.filled[header, j]))
             for j in used}
    code = next((int(j) for j in used if _CODE_HEADING.search(names[j])), None)
    kept = [j for j in used if j != code and not _SEQ_HEADING.match(names[j].replace(" ", ""))]
    left = [j for j in kept if j < label and c.present[body, j].any()]
    if left:
        raise _heading_error(sb, block, int(left[0]), "地区名称列左侧有数值（不是序号或代码）/ "
                             "values left of the region names", file)
    values = np.array([j for j in kept if j > label], dtype=np.int64)
    if not len(values):
        raise _heading_error(sb, block, label, "地区名称列右侧没有数值列 / no value columns", file)
    for j in values:
        if not headed[j]:
            raise _heading_error(sb, block, int(j), "有数值但没有列名 / values without a heading",
                                 file)
    return label, code, values


def _numbers(sb: SheetBlocks, block: Block, columns: Sequence[int], headings: Sequence[str],
             file: Path) -> tuple[np.ndarray, list[str]]:
    """The block's values in ``columns`` as floats (rows × columns) and the column letters.

    Text that is no number raises, naming the row and the column (heading and letter)."""
    from linkage.ingest import coerce_columns

    letters = [column_letter(int(sb.grid.columns()[j])) for j in columns]
    raw = pd.DataFrame(sb.cells.values[np.ix_(block.body, list(columns))],
                       index=pd.Index(sb.grid.rows()[block.body], name="row"), dtype=object,
                       columns=[f"{h}（{x} 列）" for h, x in zip(headings, letters, strict=True)])
    numbers = coerce_columns(raw, dict.fromkeys(raw.columns, "float"), file=file)
    return numbers.to_numpy(dtype="float64"), letters


def _melt(sb: SheetBlocks, block: Block, numbers: np.ndarray, letters: Sequence[str], *,
          per_row: dict[str, object], per_column: dict[str, object]) -> pd.DataFrame:
    """One row per cell of ``numbers``: ``per_row`` values repeated along the row,
    ``per_column`` values along the column, and where each value sits."""
    n_rows, n_cols = numbers.shape
    data = {k: np.repeat(np.asarray(v, dtype=object), n_cols) for k, v in per_row.items()}
    data |= {k: np.tile(np.asarray(v, dtype=object), n_rows) for k, v in per_column.items()}
    frame = pd.DataFrame(data | {
        "value": numbers.reshape(-1),
        "group": np.repeat(block.group, n_cols),
        "sheet": sb.sheet,
        "row": np.repeat(sb.grid.rows()[block.body], n_cols),
        "column": np.tile(np.asarray(letters, dtype=object), n_rows),
    })
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    return frame


def _block_frame(sb: SheetBlocks, block: Block, *, file: Path, unit: str,
                 year: int | None, region: str | None) -> tuple[pd.DataFrame, list[str]]:
    """The block in long form and warnings: regions down the rows, or indicators down the
    rows (first heading 指标/项目) with years across."""
    label, code, value_cols = _block_columns(sb, block, file)
    heading = _squeeze(" ".join(normalise_heading(v) for v in sb.filled[list(block.header),
                                                                           label]))
    if _ROW_INDICATORS.match(heading):
        return _indicator_rows(sb, block, label, value_cols, file=file, unit=unit,
                               region=region)
    columns = _columns(sb, block, value_cols, unit, file)
    keys = pd.DataFrame([(c.indicator, c.parent, c.unit, c.year) for c in columns])
    twice = keys.duplicated(keep=False).to_numpy() if len(keys) else np.array([], bool)
    if twice.any():
        first = [c for c, t in zip(columns, twice, strict=True) if t]
        raise _heading_error(sb, block, first[1].position,
                             f"列名“{first[1].heading}”与另一列相同，无法区分 / repeated heading",
                             file)
    cells = pd.Series(sb.filled[block.body, label], dtype=object).map(normalise_heading)
    labels = squeeze_spaces(cells.where(cells.ne(""))).str.replace(_REGION_MARKS, "",
                                                                     regex=True)
    row_years = labels.map(lambda v: year_of_heading(v) if isinstance(v, str) else None)
    years_down = labels.notna().any() and row_years[labels.notna()].notna().all()
    if years_down:  # years down the rows: a table about one region
        across = next((c for c in columns if c.year is not None), None)
        if across is not None:
            raise _heading_error(sb, block, across.position, "年份既在行中又在列名中 / years "
                                 "both down the rows and across", file)
        labels = labels.where(labels.isna(), _table_region(sb, block, region, file))
    numbers, letters = _numbers(sb, block, value_cols, [c.heading for c in columns], file)
    unlabelled = labels.isna().to_numpy() & ~np.isnan(numbers).all(axis=1)
    if unlabelled.any():
        row = sb.sheet_row(int(block.body[np.flatnonzero(unlabelled)[0]]))
        raise InputError(f"{sb.where}第 {row} 行有数值但没有"
                         "地区名称 / values without a region name", file=file, row=row,
                         hint="补上地区名称，或删除该行")
    codes = (sb.filled[block.body, code] if code is not None
             else np.full(len(block.body), None, dtype=object))
    frame = _melt(sb, block, numbers, letters,
                  per_row={"region": labels, "source_code": codes},
                  per_column={"indicator": [c.indicator for c in columns],
                              "parent": [c.parent for c in columns],
                              "unit": [c.unit for c in columns],
                              "year": [year if c.year is None else c.year for c in columns]})
    if years_down:
        frame["year"] = pd.array(np.repeat(row_years.to_numpy(dtype=object), len(columns)),
                                 dtype="Int64")
    return frame[frame["region"].notna()], []


def _table_region(sb: SheetBlocks, block: Block, region: str | None, file: Path) -> str:
    """The one region of a table without a region column: ``region``, or 全国 when a title
    says 全国/中国."""
    if region is not None:
        return region
    if re.search(r"全国|中国", " ".join(block.titles)):
        return "全国"
    raise InputError(
        f"{sb.where}第 {sb.sheet_row(block.header[0])} 行起的表没有地区列（指标或年份按行排列），"
        "标题中也看不出地区 / no region column and no region in the title",
        file=file, row=sb.sheet_row(block.header[0]),
        hint="用 --region（Python：region=）给出该表的地区，如 --region 河北")


def _indentation(raw: pd.Series) -> np.ndarray:
    """Indentation level of each label: rank of its leading spaces (a full-width space counts
    two) among the widths found in the block."""
    text = raw.astype("object").where(raw.map(lambda v: isinstance(v, str)), "")
    lead = text.str.len() - text.str.lstrip().str.len()
    full = text.str.extract(r"^(\s*)", expand=False).str.count("\u3000")
    width = (lead + full).to_numpy(dtype=np.int64)
    return np.unique(width, return_inverse=True)[1].reshape(-1)


def _indicator_rows(sb: SheetBlocks, block: Block, label: int, value_cols: np.ndarray, *,
                    file: Path, unit: str, region: str | None
                    ) -> tuple[pd.DataFrame, list[str]]:
    """Indicators down the first column (``#``, ``其中：`` or indentation for "of which"
    items), years across; the region is ``region`` or 全国 when the title says so."""
    region = _table_region(sb, block, region, file)
    levels = _column_levels(sb, block, value_cols)
    names = ["/".join(level) for level in levels]
    years = [next((y for y in map(year_of_heading, level) if y is not None), None)
             for level in levels]
    unit_col = next((int(j) for j, n in zip(value_cols, names, strict=True)
                     if _UNIT_COLUMN.match(n.replace(" ", ""))), None)
    chosen = [k for k, y in enumerate(years) if y is not None]
    if not chosen:
        raise _heading_error(sb, block, int(value_cols[0]) if len(value_cols) else label,
                             "按行排列指标的表没有年份列 / no year columns", file)
    skipped = [n for k, (n, j) in enumerate(zip(names, value_cols, strict=True))
               if k not in chosen and j != unit_col]
    raw = pd.Series(sb.grid.cells.to_numpy(dtype=object)[block.body, label], dtype=object)
    split = squeeze_spaces(raw).fillna("").map(_unit_split)
    marked = split.map(lambda pair: _marked(pair[0]))
    indicator = marked.map(lambda pair: pair[0])
    depth = np.maximum(marked.map(lambda pair: pair[1]).to_numpy(dtype=np.int64),
                       _indentation(raw))
    units = split.map(lambda pair: pair[1])
    if unit_col is not None:
        given = squeeze_spaces(pd.Series(sb.filled[block.body, unit_col], dtype=object))
        units = units.where(units.ne(""), given.fillna(""))
    parent = pd.Series("", index=indicator.index, dtype=object)
    for d in sorted(set(depth) - {0}):  # "of which" rows: the row above one level up
        level, up = depth == d, depth == d - 1
        above = indicator.where(up)
        total = above.isin(_TOTALS)
        parent[level] = above.where(~total, parent.where(total)).ffill().fillna("")[level]
        inherited = units.where(up).ffill().fillna("")
        units[level] = units.where(units.ne(""), inherited)[level]
    units = units.where(units.ne(""), unit)
    columns = value_cols[chosen]
    numbers, letters = _numbers(sb, block, columns, [names[k] for k in chosen], file)
    frame = _melt(sb, block, numbers, letters,
                  per_row={"indicator": indicator, "parent": parent, "unit": units,
                           "source_code": np.full(len(block.body), None, dtype=object)},
                  per_column={"year": [years[k] for k in chosen]})
    frame.insert(0, "region", region)
    warnings = [f"{sb.where}未读取的非年份列：{'、'.join(skipped)} / columns without a year "
                "not read"] if skipped else []
    return frame[frame["indicator"].ne("")], warnings


def _region_codes(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, list[str]]:
    """6-digit codes, how each was found and a warning naming the regions left without one.

    The file's own code column where it has one; else the name resolved by
    :func:`linkage.places.resolve_codes` (at the year of the value when every value has one)
    as a province or national total, else as a county within the province or prefecture named
    by its group row (``河北省`` or ``石家庄市`` above its counties), else as a prefecture.
    The match is ``given`` for a code from the file, else the resolver's method.
    """
    from linkage.places import resolve_codes

    given = frame["source_code"].astype("string").str.strip().str.zfill(6)
    codes = given.where(given.str.fullmatch(r"\d{6}"), pd.NA).astype("string")
    matches = pd.Series("given", index=frame.index, dtype="string").where(codes.notna())
    names = frame.loc[codes.isna(), ["region", "group", "year"]].drop_duplicates()
    names["within"] = names["group"].where(names["group"].ne(""))
    vintage = "year" if names["year"].notna().all() else None
    found = pd.Series(pd.NA, index=names.index, dtype="string")
    methods = pd.Series("unmatched", index=names.index, dtype="string")
    for levels in ({"province": "region"}, {"province": "within", "county": "region"},
                   {"prefecture": "within", "county": "region"}, {"prefecture": "region"}):
        todo = names.index[found.isna()]
        if not len(todo):
            break
        result = resolve_codes(names.loc[todo], vintage=vintage, **levels)
        found[todo] = result["region_code"]
        methods[todo] = methods[todo].where(result["method"].eq("unmatched"), result["method"])
    key = ["region", "group", "year"]
    resolved = names.assign(region_code=found, method=methods)
    merged = frame.loc[codes.isna(), key].merge(resolved, on=key, how="left")
    matches[codes.isna()] = merged["method"].to_numpy()
    codes[codes.isna()] = merged["region_code"].to_numpy()
    missing = resolved.loc[resolved["region_code"].isna()]
    warnings = []
    if len(missing):
        listed = "、".join(f"{n}（{m}）" for n, m in
                          missing[["region", "method"]].drop_duplicates("region").head(10)
                          .itertuples(index=False))
        warnings.append(f"{missing['region'].nunique()} 个地区名称没有得到区划代码：{listed} / "
                        "region names without a code (see linkage places)")
    return codes, matches, warnings


def read_yearbook(
    path: str | PathLike[str],
    *,
    sheet: str | int | Sequence[str | int] | None = None,
    password: str | None = None,
    encoding: str | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Read a statistical-yearbook table into long form (读取统计年鉴表格).

    One row per region, indicator and year, whatever the layout: title, unit and notes rows;
    1–3 header rows with merged cells and words broken across rows; stacked blocks (续表1…4)
    on one sheet or on several, each with its own header; blank separator rows; numbers
    stored as text; the stored value of a cell, not its displayed rounding; GBK/GB18030 CSV;
    workbooks encrypted with Excel's default read-only password. The heading rules are in
    :mod:`linkage.readers.yearbook`, the block rules in :mod:`linkage.readers.blocks`.

    Parameters
    ----------
    path : str or path-like
        ``.xlsx``/``.xlsm``/``.xls`` or ``.csv``/``.txt`` (encoding detected).
    sheet : str, int or sequence, optional
        Worksheet(s) by name or 0-based position; default every sheet of the workbook, in
        order (sheets without a table are skipped and listed in ``attrs["skipped_sheets"]``).
    password : str, optional
        Password of an encrypted workbook; Excel's default read-only password is tried when
        none is given.
    encoding : str, optional
        Text files only: the encoding instead of detecting it.
    region : str, optional
        Tables without a region column (years or indicators down the rows): the region they
        are about (default 全国 when a title says 全国/中国; else required).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`YEARBOOK_COLUMNS`: ``region`` (name without padding spaces: ``北京``,
        ``全国``), ``region_code`` (6-character string; the file's own code column where it
        has one; missing where unknown), ``region_match`` (``given`` for a code from the file,
        else the method of :func:`linkage.places.resolve_codes`: ``exact``, ``normalized``,
        ``alias``, ``historical``, ``ambiguous``, ``unmatched``), ``indicator`` (leaf
        heading), ``parent`` ("of which"
        parent or the merged heading above; ``""`` if none), ``unit`` (``""`` if none),
        ``year`` (Int64), ``value`` (float; ``—``, ``…`` and empty cells are missing, 0 stays
        0), ``group`` (group label row above, e.g. ``东部地区``; ``""``), ``sheet``, ``row``
        and ``column`` (where the value is in the file). In sheet, row and column order.
        ``attrs``: ``source_file``, ``dropped_rows`` (title, note and group rows),
        ``skipped_sheets``, ``warnings`` (e.g. no year found).

    Raises
    ------
    InputError
        A block whose header cannot be read (data below a 续表 title without its own header,
        values in a column without heading, two columns with the same heading, a year column
        without indicator), values without a region name, a value that is not a number
        (naming row and column), a workbook with a password other than Excel's default and no
        or a wrong ``password``, a file without any table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> text = "表1 各地区粮食产量（2022年）,,\\n单位：万吨,,\\n地  区,稻谷,#早稻\\n北  京,0.1,—\\n"
    >>> _ = p.write_bytes(text.encode("gbk"))
    >>> read_yearbook(p)[["region", "indicator", "parent", "unit", "year", "value"]]
      region indicator parent unit  year  value
    0     北京        稻谷          万吨  2022    0.1
    1     北京        早稻     稻谷   万吨  2022    NaN
    """
    file = Path(path)
    na = frozenset({"", *NA_VALUES})
    frames, dropped, skipped, warnings = [], [], [], []
    unit, year = "", None
    for grid, name in _sheets_of(file, sheet, password, encoding):
        sb = split_blocks(grid, file=file, sheet=name, na_values=na)
        dropped += sb.dropped
        if not any(len(b.body) for b in sb.blocks):
            skipped.append(name)
            continue
        for block in sb.blocks:
            own = not any(re.search(r"续", t) for t in block.titles) and block.titles
            unit = block.unit or ("" if own else unit)
            year = _title_year(block.titles) or (None if own else year)
            if len(block.body):
                frame, notes = _block_frame(sb, block, file=file, unit=unit, year=year,
                                            region=region)
                frames.append(frame)
                warnings += notes
    if not frames:
        raise empty_file_error(file)
    frame = pd.concat(frames, ignore_index=True)
    codes, matches, unresolved = _region_codes(frame)
    frame.insert(1, "region_code", codes)
    frame.insert(2, "region_match", matches)
    warnings += unresolved
    frame = frame.drop(columns="source_code")
    _refuse_repeats(frame, file)
    if frame["year"].isna().any():
        warnings.append("部分数值没有年份（列名和标题中都找不到年份）/ some values have no year")
    frame.attrs = {"source_file": str(file), "dropped_rows": dropped,
                   "skipped_sheets": skipped, "warnings": warnings}
    return frame.loc[:, list(YEARBOOK_COLUMNS)]


def _refuse_repeats(frame: pd.DataFrame, file: Path) -> None:
    """The same region, indicator and year twice: two blocks would be merged blindly, or two
    places of the same name could not be told apart."""
    key = ["region", "group", "indicator", "parent", "unit", "year"]
    twice = frame[frame.duplicated(key, keep=False)]
    if len(twice):
        first = twice.iloc[0]
        same = twice[(twice[key[:5]] == first[key[:5]]).all(axis=1)
                     & (twice["year"].isna() if pd.isna(first["year"])
                        else twice["year"].eq(first["year"]))].head(2)
        cells = "、".join(f"{s + ' ' if s else ''}{c}{r}" for s, r, c in
                         zip(same["sheet"], same["row"], same["column"], strict=True))
        raise InputError(
            f"“{first['region']}”的“{first['indicator']}”出现两次（单元格 {cells}）/ the same "
            "region and indicator twice", file=file, row=int(first["row"]),
            column=str(first["column"]),
            hint="检查各表块（续表）的表头是否读对；同名的区县请加上所属地市的分组行或区划代码列")


# --- to a panel -------------------------------------------------------------------------------
def yearbook_panel(table: pd.DataFrame, mapping: MappingSpec) -> pd.DataFrame:
    """A county/province-year panel from a tidy yearbook table (年鉴长表转面板).

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`read_yearbook`.
    mapping : dict or path
        Yearbook indicator → framework indicator id, as a dict or a YAML/CSV file
        (:func:`~linkage.readers.mapping.load_mapping`). A key is the indicator
        (``农村居民人均可支配收入``) or, where the same leaf heading sits under several parents,
        ``parent/indicator`` (``粮食产量/稻谷``), which wins over the bare indicator.

    Returns
    -------
    pandas.DataFrame
        ``region_code``, ``year``, ``region_name``, then one column per mapped id (in mapping
        order), one row per region and year, sorted: the panel ``linkage ingest`` accepts.
        National totals (``000000``) and regions without a code (东部地区, unresolved names)
        are left out (a panel holds coded regions), and named in ``attrs["warnings"]``.

    Raises
    ------
    InputError
        A mapping key found nowhere in the table (with the closest indicators), a mapped value
        without a year (naming the file row), the same region, year and id twice.

    Examples
    --------
    >>> t = pd.DataFrame({"region": ["北京"], "region_code": ["110000"], "indicator": ["收入"],
    ...                   "parent": [""], "year": [2022], "value": [1.5], "row": [4]})
    >>> yearbook_panel(t, {"收入": "rural_income_pc"})
      region_code  year region_name  rural_income_pc
    0      110000  2022          北京              1.5
    """
    file = Path(table.attrs.get("source_file") or "yearbook")
    keys = load_mapping(mapping, file=file)
    leaf = squeeze_spaces(table["indicator"].astype("object"))
    nested = table["parent"].astype("object").map(lambda p: f"{p}/" if p else "") + leaf
    headings = pd.DataFrame(columns=sorted(set(leaf) | set(nested)))
    apply_mapping(headings, keys, file=file)  # every key is found, or the closest are named
    target = nested.map(keys).fillna(leaf.map(keys))
    chosen = table.assign(target=target)[target.notna()]
    national = chosen["region_code"].eq(NATIONAL_CODE).fillna(False).astype(bool)
    uncoded = chosen["region_code"].isna()
    left_out = chosen.loc[uncoded, "region"].unique()
    chosen = chosen[~national & ~uncoded]
    if chosen["year"].isna().any():
        first = chosen[chosen["year"].isna()].iloc[0]
        raise InputError(f"“{first['region']}”的“{first['indicator']}”没有年份 / no year",
                         file=file, row=int(first["row"]),
                         hint="表题或列名中应有年份（如“（2022年）”或“2022年”）")
    key = ["region_code", "year", "target"]
    twice = chosen.duplicated(key, keep=False)
    if twice.any():
        first = chosen[twice].iloc[0]
        raise InputError(
            f"{first['region_code']} {first['year']} 年的 {first['target']} 有多个数值 / "
            "the same region, year and indicator twice", file=file, row=int(first["row"]),
            hint="映射中的两个年鉴指标指向了同一个指标 id，或同一地区在表中出现两次")
    panel = chosen.pivot(index=["region_code", "year"], columns="target", values="value")
    names = chosen.drop_duplicates(["region_code", "year"]).set_index(
        ["region_code", "year"])["region"]
    panel = panel.reindex(columns=[t for t in dict.fromkeys(keys.values()) if t in set(target)])
    panel.insert(0, "region_name", names.reindex(panel.index))
    panel.columns.name = None
    panel = panel.sort_index().reset_index()
    notes = []
    if national.any():
        notes.append(f"全国合计（{NATIONAL_CODE}）的 {int(national.sum())} 个数值不进入面板 / "
                     "national totals left out of the panel")
    if len(left_out):
        notes.append(f"没有区划代码的 {len(left_out)} 个地区不进入面板："
                     f"{'、'.join(map(str, left_out[:10]))} / regions without a code left out")
    panel.attrs["warnings"] = notes
    return panel


# --- listings ---------------------------------------------------------------------------------
def read_listing(
    path: str | PathLike[str],
    *,
    sheet: str | int | Sequence[str | int] | None = None,
    password: str | None = None,
    encoding: str | None = None,
    separator: str = _PACKED,
) -> pd.DataFrame:
    """Read a list laid out by section (读取分节名单), e.g. the 832 poverty-county exit list.

    Sections start at heading rows (``一、2016年摘帽贫困县名单``); each has its own header row.
    Repeated header rows, totals rows (合计/总计/小计 in the first column) and notes are
    dropped; a cell packing several names (``海兴县、南皮县、``) gives one row per name, empty
    parts (trailing separators) ignored.

    Parameters
    ----------
    path, sheet, password, encoding
        As for :func:`read_yearbook`.
    separator : str, default "、"
        The separator of packed cells.

    Returns
    -------
    pandas.DataFrame
        Columns ``section`` (the heading without its ordinal: ``2016年摘帽贫困县名单``),
        ``year`` (Int64, the year in the heading, missing if none), ``sheet``, ``row``, then
        the list's own columns named by their headings (text, spaces squeezed).
        ``attrs["dropped_rows"]`` lists headings, totals and notes; ``attrs["warnings"]``
        names rows whose count column (数量, 个数, 县数) differs from the names split out.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "l.csv"
    >>> text = "一、2016年摘帽县,\\n省份,县名单\\n河北,南皮县、\\n合计,1\\n二、2017年摘帽县,\\n"
    >>> text += "省份,县名单\\n河北,海兴县、盐山县\\n"
    >>> _ = p.write_bytes(text.encode("gbk"))
    >>> read_listing(p)[["section", "year", "省份", "县名单"]]
        section  year  省份  县名单
    0  2016年摘帽县  2016  河北  南皮县
    1  2017年摘帽县  2017  河北  海兴县
    2  2017年摘帽县  2017  河北  盐山县
    """
    file = Path(path)
    na = frozenset({"", *NA_VALUES})
    frames, dropped = [], []
    section = ""
    for grid, name in _sheets_of(file, sheet, password, encoding):
        sb = split_blocks(grid, file=file, sheet=name, na_values=na, listing=True)
        dropped += sb.dropped
        for block in sb.blocks:
            if block.titles:
                section = _ORDINAL.sub("", block.titles[-1]).strip()
            if len(block.body):
                frames.append(_listing_frame(sb, block, section, file))
    if not frames:
        raise empty_file_error(file)
    frame = pd.concat(frames, ignore_index=True)
    first = frame.columns[len(LISTING_COLUMNS)]
    totals = frame[first].isin(_TOTALS | {"全国合计", "总 计"})
    dropped += [{"sheet": s, "row": int(r), "kind": "total", "text": str(t)}
                for s, r, t in zip(frame.loc[totals, "sheet"], frame.loc[totals, "row"],
                                   frame.loc[totals, first], strict=True)]
    frame = frame[~totals]
    packed = [c for c in frame.columns[len(LISTING_COLUMNS):]
              if frame[c].astype("string").str.contains(separator, regex=False).any()]
    for column in packed:
        parts = frame[column].astype("string").str.split(separator, regex=False)
        frame = frame.assign(**{column: parts}).explode(column)
        frame[column] = frame[column].str.strip()
        frame = frame[frame[column].ne("") | frame[column].isna()]
    if frame.empty:  # nothing but totals
        raise empty_file_error(file)
    frame = frame.reset_index(drop=True)
    frame.attrs = {"source_file": str(file), "dropped_rows": dropped,
                   "warnings": _count_mismatches(frame, packed)}
    return frame


def _count_mismatches(frame: pd.DataFrame, packed: list[str]) -> list[str]:
    """Rows whose count column (数量, 个数, 县数) disagrees with the names split from them."""
    counts = [c for c in frame.columns[len(LISTING_COLUMNS):] if _COUNT_HEADING.match(c)]
    if len(packed) != 1 or not counts:
        return []
    per_row = frame.groupby(["sheet", "row"], sort=False)
    stated = pd.to_numeric(per_row[counts[0]].first(), errors="coerce")
    found = per_row[packed[0]].count()
    wrong = stated.notna() & stated.ne(found)
    if not wrong.any():
        return []
    listed = "、".join(f"{s + ' ' if s else ''}第 {r} 行（{int(n)} ≠ {k}）" for (s, r), n, k in
                      zip(stated.index[wrong], stated[wrong], found[wrong], strict=True))
    return [f"“{counts[0]}”与拆分出的名称个数不符：{listed} / stated counts differ from the "
            "names found"]


def _listing_frame(sb: SheetBlocks, block: Block, section: str, file: Path) -> pd.DataFrame:
    header = list(block.header)
    present = sb.cells.present[block.body].any(axis=0)
    names = [normalise_heading(" ".join(normalise_heading(v) for v in sb.filled[header, j]
                                        if normalise_heading(v)))
             for j in range(sb.filled.shape[1])]
    keep = [j for j in range(len(names)) if names[j] or present[j]]
    unnamed = [j for j in keep if not names[j]]
    if unnamed:
        raise _heading_error(sb, block, unnamed[0], "有内容但没有列名 / cells without a heading",
                             file)
    headings = [_squeeze(names[j]) for j in keep]
    repeated = [j for j, h in zip(keep, headings, strict=True)
                if headings.count(h) > 1 or h in LISTING_COLUMNS]
    if repeated:
        raise _heading_error(sb, block, repeated[-1], f"列名“{names[repeated[-1]]}”重复（并排的"
                             "多组名单暂不支持）/ repeated heading", file)
    cells = pd.DataFrame(sb.filled[np.ix_(block.body, keep)], dtype=object)
    text = cells.apply(lambda col: squeeze_spaces(col.map(
        lambda v: v if v is None or isinstance(v, str) or pd.isna(v) else normalise_heading(v))))
    text.columns = headings
    years = _TITLE_YEAR.findall(section)
    return pd.concat([pd.DataFrame({
        "section": section,
        "year": pd.array([int(years[0]) if len(set(years)) == 1 else None] * len(text),
                         dtype="Int64"),
        "sheet": sb.sheet,
        "row": sb.grid.rows()[block.body],
    }), text], axis=1)
