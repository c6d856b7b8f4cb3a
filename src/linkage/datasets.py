"""Real reference tables (参考数据): sourced national and provincial figures, and their loader.

The tables live in ``data/raw/reference/`` (see :func:`linkage.paths.reference_dir`), one UTF-8
CSV per table, each with a ``source`` column naming the page where every number was seen; the
folder's ``SOURCES.md`` (verbatim from the compilers) and ``README.md`` describe each table and
its caveats. Most figures are official (国家统计局, 国新办, 国家乡村振兴局/农业农村部, yearbooks)
but were read from mirror or reprint pages: **re-check a number against the primary source
(统计公报, 中国统计年鉴, 中国农村贫困监测报告, press-conference transcript) before publishing
it** (发表前请核对原始来源).

Where a table has a ``value_type`` column it says how each number was obtained. Its grammar is
one or more ``;``-separated parts, each ``<kind>[_<column>][: formula | (note)]`` with ``kind``
one of :data:`VALUE_TYPES`:

- ``reported`` — the number was seen in the source;
- ``derived`` — worked out from reported numbers (the formula follows the colon or is in
  ``note``);
- ``reported_lower_bound`` — the source said "超过/近" (over / nearly) the value.

For example ``"reported_count; derived_reduction"`` means the count was reported and the
reduction derived. :func:`value_type_kind` reduces the text to its kinds.

Reading rules of :func:`load` (decided column by column from the text, not by table):
blank cells are missing (never filled); a column whose name ends in ``_code`` or is
``code_<year>`` (``code_2020``) or whose values have a leading zero stays text (``"110000"``); a
column whose every non-blank cell is an integer literal becomes ``int64`` (``Int64`` when it has
blanks) — years, counts, ranks; other all-numeric columns become ``float64``; everything else is
text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from linkage.errors import DataValidationError, InputError
from linkage.paths import reference_dir

__all__ = [
    "VALUE_TYPES",
    "describe",
    "list_datasets",
    "load",
    "monitoring_thresholds",
    "national_rural_income",
    "poverty_area_income_ratio",
    "value_type_kind",
]

#: The kinds a ``value_type`` part may have (see the module docstring).
VALUE_TYPES: tuple[str, ...] = ("reported", "derived", "reported_lower_bound")

_RECHECK = (
    "发表前请核对原始来源（统计公报、中国统计年鉴、中国农村贫困监测报告或发布会实录）。"
    " / Re-check against the primary source before publishing."
)


@dataclass(frozen=True)
class _TableInfo:
    title_zh: str
    title_en: str
    description: str
    caveats: str


_CATALOG: dict[str, _TableInfo] = {
    "poverty_headcount_national": _TableInfo(
        "全国农村贫困人口与贫困发生率（现行标准）",
        "National rural poor population and poverty incidence (current standard)",
        "Rural poor (万人) and incidence (%) under the 2010-price 2300 yuan/yr standard: "
        "1978, 2010–2020.",
        "2013 count derived (12238 − 3989); 2016 reduction derived; no incidence published "
        "for 2020 (poverty fell to zero).",
    ),
    "poverty_headcount_by_region": _TableInfo(
        "东中西部农村贫困人口",
        "Rural poor population by eastern / central / western region",
        "Poor population (万人) by region 2016–2019, plus 民族八省区 2014.",
        "2016 and 2018 rows derived by adding back that year's reported reduction.",
    ),
    "income_poverty_areas": _TableInfo(
        "贫困地区/脱贫县农村居民人均收入",
        "Rural per-capita income in poverty areas / counties lifted out of poverty",
        "Per-capita income (元) of 贫困地区 2013–2020, 连片特困地区, 重点县, 脱贫县 2021–2024, "
        "建档立卡 households, 脱贫人口 and relocated households.",
        "2014 and 2015 poverty-area figures not found, not included. Series names change "
        "(贫困地区 to 2020, 脱贫县/脱贫地区 from 2021). 纯收入 (old basis) and 可支配收入 "
        "are different measures. No value_type column: every value is as reported.",
    ),
    "income_national_urban_rural": _TableInfo(
        "全国城乡居民人均收入",
        "National urban / rural per-capita income",
        "All-residents, urban and rural per-capita income (元), growth (%), urban-rural ratio, "
        "rural median and consumption, 2012–2025.",
        "Survey basis breaks in 2013–2014: income_basis marks old-basis rows (rural 纯收入). "
        "2014 and 2019 ratios derived from '比上年缩小' statements. 2025 gives rural only.",
    ),
    "income_composition_2023": _TableInfo(
        "2023年城乡居民收入构成",
        "Urban and rural income composition, 2023",
        "2023 urban and rural per-capita income (元) by source: wages, business, property, "
        "transfers.",
        "Secondary source (an exam item reproducing the NBS table); components sum to totals.",
    ),
    "employment_poverty_labour": _TableInfo(
        "脱贫劳动力务工规模",
        "Employment of people lifted out of poverty",
        "脱贫劳动力务工规模 (万人) 2020–2025, plus 2023 breakdowns (east, 160 key counties, "
        "relocated people, workshops, public-welfare posts).",
        "End-2021 figure (3145.0) derived; 2025 figure a lower bound ('超过3200万').",
    ),
    "monitoring_prevent_return_national": _TableInfo(
        "全国防止返贫监测帮扶成效",
        "National results of the prevent-return-to-poverty monitoring mechanism",
        "Risk-elimination shares, cumulative counts, identification time, return-to-poverty "
        "headcounts 2016–2017, 2020 risk estimates.",
        "'近/超过' qualifiers kept in unit; the 534万 row (end-Nov 2024) from a secondary page.",
    ),
    "monitoring_case_baoshan_2021": _TableInfo(
        "保山市2021年防返贫监测对象（案例）",
        "Baoshan (Yunnan) 2021 monitored households and persons (worked example)",
        "Monitored households/persons by the three categories: stock, risk eliminated, not "
        "eliminated, newly identified in 2021.",
        "City bulletin via a mirror page; the three categories sum to the totals.",
    ),
    "monitoring_income_thresholds": _TableInfo(
        "防返贫监测收入标准（部分地区、年份）",
        "Income thresholds that trigger monitoring (selected places and years)",
        "Monitoring income thresholds (元/人·年) seen for specific places and years.",
        "National figures for 2021 (6000 yuan) and 2023–2024 NOT found. The 6600 figure comes "
        "from a paper, year inferred. Bases differ (纯收入 vs 可支配收入, multiples of 低保).",
    ),
    "relocation_yidi_banqian": _TableInfo(
        "易地扶贫搬迁",
        "Poverty-relief relocation",
        "十二五 and 十三五 relocation totals, housing, facilities, resettlement sites.",
        "Many values are '多/余/约' approximations; the qualifier is kept in unit.",
    ),
    "poverty_county_exit": _TableInfo(
        "贫困县分年摘帽数",
        "Poverty counties exiting by year",
        "Counties exited per year and cumulatively, 2016–2020 (832 in all).",
        "2018 figure (283) derived; the source only said 'about 280'.",
    ),
    "poverty_county_exit_list_832": _TableInfo(
        "832个国家贫困县摘帽年份名单",
        "The 832 national poverty counties and their exit years",
        "Every national poverty county with its exit (摘帽) year, 2016–2020.",
        "Names as printed (short forms, a few typos or renamed units). load() adds "
        "region_code (code in force at the end of the exit year), code_2020 and code_2024 "
        "from poverty_county_exit_list_832_coded (831 distinct codes: 冷湖/茫崖行委 share "
        "茫崖市; 大柴旦行委 has the NBS-only code 632857). 2020 = the 52 counties planned "
        "for 2020.",
    ),
    "assistance_mechanisms": _TableInfo(
        "帮扶机制与投入",
        "Assistance mechanisms and inputs",
        "驻村帮扶, 定点帮扶, 万企帮万村, 东西部协作, fiscal and financial inputs, 扶贫资产, "
        "建档立卡 counts.",
        "Where two pages differ (捐助 28.5 vs 捐赠 21.2亿) both are noted. Many sources are "
        "'同上' (ditto: the row above); load(..., resolve_ditto=True) spells them out.",
    ),
    "rural_revitalization_plan_2018_2022_indicators": _TableInfo(
        "《乡村振兴战略规划(2018—2022年)》主要指标",
        "Main indicators of the Rural Revitalization Strategic Plan 2018–2022",
        "The plan's 22 indicators: dimension, unit, 2022 target, 约束性/预期性, scoring "
        "direction.",
        "2016 base values and 2020 targets not found; scoring direction is the compilers' "
        "annotation; indicator 22 recorded as displayed ('>100%').",
    ),
    "rural_revitalization_progress_reported": _TableInfo(
        "乡村振兴主要指标实际进展（报告值）",
        "Reported outturns of rural revitalization indicators",
        "Reported outturns 2017–2025, plus 十四五 plan base (2020) and targets (2025).",
        "Values differ across reports (e.g. 农业科技进步贡献率 2021: 61 vs 61.5); both kept "
        "with their sources.",
    ),
    "province_all_residents_income_2017": _TableInfo(
        "2017年各省全体居民人均收支",
        "All-residents per-capita income and consumption by province, 2017",
        "Complete 31-province table: disposable income, consumption, growth rates and ranks.",
        "All residents, not rural only. National row matches NBS (25974).",
    ),
    "province_urban_income_2016_2018_partial": _TableInfo(
        "各省城镇居民人均可支配收入2016—2018（部分）",
        "Urban per-capita disposable income by province, 2016–2018 (partial)",
        "Urban disposable income (元) and rank by province, 2016–2018.",
        "Ranks among 32 units (兵团 included). Excerpt ends at 陕西 (2016–17 only): 甘肃, 青海, "
        "宁夏, 新疆 missing.",
    ),
    "province_rural_net_income_2013_partial": _TableInfo(
        "2013年各省农村居民人均纯收入（部分，旧口径）",
        "Rural per-capita net income by province, 2013 (partial, old basis)",
        "Rural net income (纯收入), growth, living expenditure, Engel coefficient and ranks: "
        "national plus 19 provinces.",
        "Old basis (纯收入), not comparable with 可支配收入. Excerpt ends at 广东: 广西 to 新疆 "
        "missing.",
    ),
    "province_urban_income_2005_2012": _TableInfo(
        "各省城镇居民人均可支配收入2005—2012",
        "Urban per-capita disposable income by province, 2005–2012",
        "Urban disposable income (元), national plus 31 provinces (old survey basis).",
        "Province labels reconstructed from the standard NBS row order (garbled in the stored "
        "copy); checked against four 2012 anchor values.",
    ),
    "province_rural_income_selected": _TableInfo(
        "部分省份农村居民人均可支配收入及构成",
        "Rural per-capita disposable income and components, selected provinces and years",
        "福建 2015–2020, 青海 2019 and 2022, 陕西 2021, 吉林 2020, 浙江 2014 and 2020.",
        "Not a balanced panel; components missing for some rows.",
    ),
    "province_income_rural_urban_2010_2020": _TableInfo(
        "各省城乡居民人均可支配收入2010—2020（平衡面板）",
        "Rural and urban per-capita disposable income by province, 2010–2020 (balanced panel)",
        "31 provinces + national, 2010–2020, compiled from 中国统计年鉴 by a researcher.",
        "Cross-checked against seven yearbook values. 2010–2012 rural basis not verified "
        "(全国 2012 matches NBS's back-calculated 8389): prefer 2013 onwards. province_code is "
        "the 2-digit code padded to 6 digits; blank for 全国.",
    ),
    "key_assistance_counties_160_partial": _TableInfo(
        "国家乡村振兴重点帮扶县名单（部分）",
        "National key assistance counties for rural revitalization (partial list)",
        "93 of the 160 counties with their end-2021 region codes: complete for 内蒙古, 广西, "
        "重庆, 四川, 贵州; 云南 11 of 27, 陕西 2 of 11, 宁夏 1 of 5.",
        "INCOMPLETE: 67 missing (rest of 云南, 陕西, 宁夏; all of 甘肃 and 青海).",
    ),
    "poverty_county_exit_list_832_coded": _TableInfo(
        "832个国家贫困县名单（含行政区划代码）",
        "The 832 national poverty counties with administrative codes",
        "The 832-county list with region_code (in force at the end of the exit year), official "
        "name, codes and names in 2020 and 2024, and how each name was matched.",
        "791 exact, 30 alias and 11 manual matches (match_note); 冷湖/茫崖行委 share 632803, "
        "so 831 distinct codes; 11 counties changed code after exiting (see code_2024).",
    ),
    "admin_divisions_2014_2024": _TableInfo(
        "县级以上行政区划代码 2014—2024（民政部）",
        "Administrative division codes 2014–2024 (Ministry of Civil Affairs)",
        "Every province, prefecture and county-level unit at 31 December of each year "
        "2014–2024, one row per unchanged span (first_year, last_year).",
        "CC0 compilation of the MCA year-end lists (yescallop/areacodes); NBS 统计用区划代码 "
        "units coded xx7x (管委会/开发区) are not in it; prefecture_code blank for "
        "municipal districts and province-administered units.",
    ),
    "admin_code_changes_2014_2024": _TableInfo(
        "行政区划代码变更记录 2014—2024",
        "Administrative code changes 2014–2024",
        "Every code that started, was renamed or was abolished in 2014–2024, with its "
        "successor code(s).",
        "Use it to carry old codes in historical data to current ones (and back).",
    ),
    "coupling_coordination_grades": _TableInfo(
        "耦合协调度等级划分",
        "Grading thresholds of coupling coordination degree",
        "10 grades of D, 4 stages of C, and an alternative 4-class scheme.",
        "Schemes differ across papers: keep the scheme configurable. Interval closure is "
        "per row (columns lower_exclusive/upper_inclusive, and note).",
    ),
    "indicator_catalog_literature": _TableInfo(
        "文献中的指标体系目录",
        "Indicators from published indicator systems",
        "Indicators, formulas, units, directions and weights from published systems "
        "(entropy, AHP), village exit standards and household monitoring criteria.",
        "Units of the HP11/HP45/ZY rows added by the compilers (sources printed formulas). "
        "Direction 'blank in source (presumably −)' where the minus sign did not render.",
    ),
    "literature_coupling_results": _TableInfo(
        "脱贫攻坚与乡村振兴耦合研究结果（文献）",
        "Published results of poverty-alleviation × revitalization coupling studies",
        "Study, units, period, method, D at start and end, qualitative result.",
        "Only two studies give numeric D values in the excerpts.",
    ),
}

_VALUE_TYPE_PART = re.compile(
    r"^(?P<kind>reported_lower_bound|reported|derived)(?:_[a-z_]+)?\s*(?:[:(（].*)?$"
)


# --------------------------------------------------------------------------------------------
# reading


def _names() -> list[str]:
    folder = reference_dir()
    if not folder.is_dir():
        raise InputError(
            "找不到参考数据文件夹 / reference-data folder not found",
            file=folder,
            hint="在项目文件夹中运行，或设置 LINKAGE_HOME 指向项目文件夹 / run inside the "
            "project folder or set LINKAGE_HOME",
        )
    return sorted(p.stem for p in folder.glob("*.csv"))


def _path(name: str) -> Path:
    names = _names()
    stem = name.removesuffix(".csv")
    if stem not in names:
        close = difflib.get_close_matches(stem, names, n=1, cutoff=0.3)
        guess = f"您是不是要找 “{close[0]}”？/ did you mean {close[0]!r}? " if close else ""
        raise InputError(
            f"没有名为 “{name}” 的参考数据表 / no reference table named {name!r}",
            file=reference_dir(),
            hint=f"{guess}可用的表 / available: {', '.join(names)}",
        )
    return reference_dir() / f"{stem}.csv"


def _convert(name: str, column: pd.Series) -> pd.Series:
    """Type one text column by the module's reading rules (see module docstring)."""
    text = column.dropna()
    code = name.endswith("_code") or re.fullmatch(r"code_\d{4}", name)
    if code or text.empty or text.str.match(r"0\d").any():
        return column
    if pd.to_numeric(text, errors="coerce").isna().any():
        return column
    if text.str.fullmatch(r"[+-]?\d+").all():
        return column.astype("Int64" if column.isna().any() else "int64")
    return column.astype("float64")


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int, size: int) -> pd.DataFrame:
    """Read and type one table; cached per (path, modification time, size)."""
    try:
        raw = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"参考数据表无法读取 / reference table cannot be read: {exc}",
            file=path,
            hint="参考表应为 UTF-8 CSV、一行表头 / tables must be UTF-8 CSV with one header row",
        ) from exc
    if "source" not in raw.columns:
        raise DataValidationError(
            "参考数据表缺少来源列 / reference table has no source column",
            file=path,
            column="source",
            hint="每个数字都必须注明来源 / every number needs its source",
        )
    blank = raw["source"].isna().to_numpy().nonzero()[0]
    if blank.size:
        raise DataValidationError(
            "来源为空 / source is blank",
            file=path,
            row=int(blank[0]) + 2,
            column="source",
            hint="补上看到该数字的页面 / name the page where the number was seen",
        )
    return pd.DataFrame({c: _convert(c, raw[c]) for c in raw.columns})


def _resolve_ditto(source: pd.Series) -> pd.Series:
    """Replace a leading 同上 (ditto) by the nearest earlier source that is not a ditto."""
    ditto = source.str.startswith("同上")
    base = source.mask(ditto).ffill()
    rest = source.str.removeprefix("同上").str.strip()
    spelled = (base + " " + rest).str.strip()
    return source.mask(ditto, spelled)


def _with_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """The 832-county list with the codes of its coded twin (joined on province, county and
    exit year; the coded table is the curated answer, checked by the tests against
    :func:`linkage.places.resolve_codes`)."""
    keys = ["province", "county", "exit_year"]
    coded = load("poverty_county_exit_list_832_coded")[
        [*keys, "region_code", "code_2020", "code_2024"]]
    merged = frame.merge(coded, on=keys, how="left", validate="one_to_one")
    order = [*keys, "region_code", "code_2020", "code_2024"]
    return merged[[*order, *(c for c in merged.columns if c not in order)]]


#: Tables whose load() adds columns from another shipped table (the CSV is unchanged).
_ENRICH = {"poverty_county_exit_list_832": _with_codes}


def load(name: str, *, resolve_ditto: bool = False) -> pd.DataFrame:
    """Load one reference table (载入参考数据表) as a typed DataFrame.

    Columns are kept as in the CSV, including ``source`` and, where present, ``value_type``;
    blanks stay missing. ``poverty_county_exit_list_832`` also gets ``region_code``,
    ``code_2020`` and ``code_2024`` from its coded twin ``poverty_county_exit_list_832_coded``.
    Types follow the module's reading rules: codes stay text with their leading zeros, integer
    columns (years, counts, ranks) are ``int64``/``Int64``, other numeric columns ``float64``.
    Each call returns a fresh copy (reads are cached).

    Parameters
    ----------
    name : str
        File stem of the table, e.g. ``"poverty_headcount_national"`` (a ``.csv`` suffix is
        accepted). :func:`list_datasets` lists them.
    resolve_ditto : bool, default False
        Many ``source`` cells read ``同上`` ("ditto": same as the row above). With ``True`` the
        leading ``同上`` is replaced by the nearest earlier source that is not a ditto (any text
        after 同上 is kept after it). The CSV itself is never changed.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    linkage.errors.InputError
        Unknown name (the message lists the tables and suggests the closest), unreadable file,
        or a table without sources.

    Examples
    --------
    >>> df = load("province_income_rural_urban_2010_2020")
    >>> df.loc[df["province"] == "北京", "province_code"].iloc[0]
    '110000'
    >>> int(load("poverty_county_exit")["counties_exited"].sum())
    832
    """
    path = _path(name)
    stat = path.stat()
    frame = _read(path, stat.st_mtime_ns, stat.st_size).copy()
    if path.stem in _ENRICH:
        frame = _ENRICH[path.stem](frame)
    if resolve_ditto:
        frame["source"] = _resolve_ditto(frame["source"])
    return frame


def value_type_kind(value_type: pd.Series) -> pd.Series:
    """Kinds in a ``value_type`` column (数值性质): reported / derived / reported_lower_bound.

    Each cell's ``;``-separated parts are reduced to their kind (see module docstring); a cell
    with parts of different kinds gives them joined by ``+`` in order, e.g.
    ``"reported_count; derived_reduction"`` → ``"reported+derived"``.

    Parameters
    ----------
    value_type : pandas.Series
        A ``value_type`` column as loaded.

    Returns
    -------
    pandas.Series
        Same index; missing cells stay missing.

    Raises
    ------
    linkage.errors.DataValidationError
        A part whose kind is not in :data:`VALUE_TYPES`.

    Examples
    --------
    >>> value_type_kind(pd.Series(["reported", "derived: 832 − 153", "reported_count; "
    ...     "derived_reduction"])).tolist()
    ['reported', 'derived', 'reported+derived']
    """
    parts = value_type.dropna().str.split(";").explode().str.strip()
    kinds = parts.str.extract(_VALUE_TYPE_PART)["kind"]
    if kinds.isna().any():
        bad = parts[kinds.isna()]
        raise DataValidationError(
            f"value_type 含未知类型 / unknown value_type {bad.iloc[0]!r}",
            column="value_type",
            hint=f"应以 {', '.join(VALUE_TYPES)} 之一开头 / must start with one of these",
        )
    joined = kinds.groupby(level=0, sort=False).agg(lambda k: "+".join(dict.fromkeys(k)))
    return joined.reindex(value_type.index).astype(value_type.dtype)


# --------------------------------------------------------------------------------------------
# catalogue


def list_datasets() -> pd.DataFrame:
    """Catalogue of the reference tables (参考数据目录), one row per CSV file.

    Returns
    -------
    pandas.DataFrame
        Columns ``name`` (file stem, the argument of :func:`load`), ``title_zh``, ``title_en``,
        ``rows``, ``columns`` (counts), ``column_names`` (comma-separated), ``has_value_type``,
        ``description``, ``caveats``, ``file``. A CSV not yet catalogued in this module is
        still listed, with empty titles and a caveat saying so.

    Examples
    --------
    >>> cat = list_datasets()
    >>> int(cat.set_index("name").loc["poverty_county_exit_list_832", "rows"])
    832
    """
    missing = _TableInfo("", "", "", "未登记说明 / not catalogued in linkage.datasets")
    records = []
    for name in _names():
        frame = load(name)
        info = _CATALOG.get(name, missing)
        records.append({
            "name": name,
            "title_zh": info.title_zh,
            "title_en": info.title_en,
            "rows": len(frame),
            "columns": frame.shape[1],
            "column_names": ", ".join(frame.columns),
            "has_value_type": "value_type" in frame.columns,
            "description": info.description,
            "caveats": info.caveats,
            "file": str(reference_dir() / f"{name}.csv"),
        })
    return pd.DataFrame.from_records(records)


def describe(name: str) -> str:
    """A short text description of one table (数据表说明): titles, size, columns, caveats.

    Parameters
    ----------
    name : str
        File stem of the table, as for :func:`load`.

    Returns
    -------
    str
        Several lines: titles, file and shape, description, caveats, each column with its type
        and number of blanks, the ``value_type`` kinds and their counts (if any), the number of
        distinct sources, and the reminder to re-check against the primary source.

    Examples
    --------
    >>> print(describe("poverty_county_exit").splitlines()[0])
    贫困县分年摘帽数 — Poverty counties exiting by year
    """
    frame = load(name)
    stem = _path(name).stem
    info = _CATALOG.get(stem, _TableInfo(stem, "", "", "未登记说明 / not catalogued"))
    blanks = frame.isna().sum()
    lines = [
        f"{info.title_zh} — {info.title_en}".strip(" —"),
        f"文件 / file: {reference_dir() / f'{stem}.csv'}  ({len(frame)} 行 rows × "
        f"{frame.shape[1]} 列 columns)",
        f"内容 / contents: {info.description}",
        f"注意 / caveats: {info.caveats}",
        "列 / columns:",
        *(f"  {c}: {frame[c].dtype}, {blanks[c]} 空 blank" for c in frame.columns),
    ]
    if "value_type" in frame.columns:
        counts = value_type_kind(frame["value_type"]).value_counts()
        lines.append(
            "value_type: " + ", ".join(f"{k} {n}" for k, n in counts.items())
        )
    lines.append(f"来源 / sources: {frame['source'].nunique()} distinct (column 'source')")
    lines.append(_RECHECK)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# convenience series for reports

#: area_type values of income_poverty_areas.csv that denote the 832-county series.
_POVERTY_AREA_TYPES = ("贫困地区", "脱贫县", "脱贫地区", "脱贫地区/脱贫县")
_SERIES_TO_2020 = "贫困地区农村居民人均可支配收入"
_SERIES_FROM_2021 = "脱贫县农村居民人均可支配收入"


def national_rural_income() -> pd.DataFrame:
    """全国农村居民人均可支配收入: national rural per-capita disposable income, 2013 onwards.

    Only the disposable-income basis (可支配收入, NBS's integrated urban-rural household survey
    from 2013) is used; the old-basis rural 纯收入 (net income) rows of
    ``income_national_urban_rural`` (2012–2014, ``income_basis`` containing 纯收入) are left out
    because the two measures differ (2014: 9892 纯收入 vs 10489 可支配收入).

    ``income_national_urban_rural`` has no disposable-basis rural figure for 2013, so the 2013
    value is taken from the 全国 row of ``province_income_rural_urban_2010_2020`` (中国统计年鉴
    compilation; 9429.56 元, NBS's published back-calculation is 9430). That table's 全国
    figures agree with ``income_national_urban_rural`` for 2014–2020 to within rounding. Earlier
    years are not added (their basis is not verified). Growth is as reported; missing where the
    source gave none (2013, 2014) — never computed here.

    Returns
    -------
    pandas.DataFrame
        One row per year, increasing: ``year`` (int), ``rural_disposable_income_yuan``
        (元 per person per year, float), ``rural_nominal_growth_pct``, ``rural_real_growth_pct``
        (% over the previous year, as reported), ``value_type`` (``"reported"``), ``table``
        (file stem the row comes from), ``source``.

    Examples
    --------
    >>> inc = national_rural_income().set_index("year")
    >>> float(inc.loc[2020, "rural_disposable_income_yuan"])
    17131.0
    """
    nat = load("income_national_urban_rural")
    nat = nat[~nat["income_basis"].str.contains("纯收入")]
    nat = pd.DataFrame({
        "year": nat["year"],
        "rural_disposable_income_yuan": nat["rural_yuan"].astype("float64"),
        "rural_nominal_growth_pct": nat["rural_nominal_growth_pct"],
        "rural_real_growth_pct": nat["rural_real_growth_pct"],
        "table": "income_national_urban_rural",
        "source": nat["source"],
    })
    panel = load("province_income_rural_urban_2010_2020")
    panel = panel[
        (panel["province"] == "全国") & (panel["year"] >= 2013) & ~panel["year"].isin(nat["year"])
    ]
    panel = pd.DataFrame({
        "year": panel["year"],
        "rural_disposable_income_yuan": panel["rural_disposable_income_yuan"],
        "rural_nominal_growth_pct": float("nan"),
        "rural_real_growth_pct": float("nan"),
        "table": "province_income_rural_urban_2010_2020",
        "source": panel["source"],
    })
    out = pd.concat([panel, nat], ignore_index=True).sort_values("year", ignore_index=True)
    out.insert(4, "value_type", "reported")
    return out


def poverty_area_income_ratio() -> pd.DataFrame:
    """贫困地区/脱贫县农村居民收入相对全国农村: poverty-area rural income relative to national.

    ratio = income_poverty_area / income_national_rural, both per-capita disposable income
    (人均可支配收入, 元) of rural residents in the same year.

    Choices, all from the tables as shipped:

    - Numerator: rows of ``income_poverty_areas`` whose ``indicator`` is a 可支配收入 measure
      and whose ``area_type`` is 贫困地区 (2013–2020) or 脱贫县 / 脱贫地区 / 脱贫地区/脱贫县
      (2021–2024). NBS's 贫困地区 are the contiguous poor areas plus the key counties outside
      them, 832 counties — the counties called 脱贫县 after 2020 (2022's figure was announced as
      脱贫地区); ``series`` gives the series name of the period, ``area_type_in_source`` the
      wording of the source. Subsets (集中连片特困地区, 国家扶贫开发工作重点县) and household
      groups (建档立卡, 脱贫人口, 易地搬迁) are excluded. Old-basis 纯收入 (net income) rows are
      excluded: 纯收入 and 可支配收入 are different measures and must not be divided by each other.
    - Denominator: :func:`national_rural_income` (disposable basis only; 2013 from the
      provincial panel's 全国 row).
    - Gaps stay gaps: 2014 and 2015 poverty-area figures are not in the source, so those years
      have no row; nothing is interpolated or filled from memory.
    - The incomes are ``reported``; the ratio is ``derived`` (``value_type`` says so with the
      formula). It is not rounded. Published shares (e.g. 2016 "为全国农村68.4%") agree.

    Returns
    -------
    pandas.DataFrame
        One row per year, strictly increasing: ``year``, ``series``, ``area_type_in_source``,
        ``income_poverty_area`` (元), ``income_national_rural`` (元), ``ratio`` (float, 0–1),
        ``value_type``, ``source`` (poverty-area source, then national source).

    Examples
    --------
    >>> r = poverty_area_income_ratio().set_index("year")
    >>> round(float(r.loc[2016, "ratio"]), 3)
    0.684
    """
    pov = load("income_poverty_areas")
    pov = pov[
        pov["area_type"].isin(_POVERTY_AREA_TYPES) & pov["indicator"].str.contains("可支配收入")
    ]
    repeated = pov["year"].duplicated(keep=False)
    if repeated.any():
        raise DataValidationError(
            "同一年有多个贫困地区/脱贫县收入数 / several poverty-area figures for one year",
            file=reference_dir() / "income_poverty_areas.csv",
            row=int(pov.index[repeated][0]) + 2,
            column="year",
            hint="每年只保留一个可支配收入口径的数 / keep one disposable-income figure per year",
        )
    nat = national_rural_income()
    merged = pov.merge(nat, on="year", how="inner", suffixes=("_pov", "_nat"))
    merged = merged.sort_values("year", ignore_index=True)
    income = merged["value"].astype("float64")
    national = merged["rural_disposable_income_yuan"]
    return pd.DataFrame({
        "year": merged["year"],
        "series": merged["year"].le(2020).map({True: _SERIES_TO_2020, False: _SERIES_FROM_2021}),
        "area_type_in_source": merged["area_type"],
        "income_poverty_area": income,
        "income_national_rural": national,
        "ratio": income / national,
        "value_type": "derived: income_poverty_area / income_national_rural (both reported)",
        "source": ("贫困地区/脱贫县: " + merged["source_pov"]
                   + " ‖ 全国农村: " + merged["source_nat"]),
    })


def monitoring_thresholds() -> pd.DataFrame:
    """防返贫监测收入标准: income thresholds that trigger monitoring, as found (passthrough).

    Exactly ``load("monitoring_income_thresholds")``. The national thresholds for 2021 (often
    quoted as 6000 元) and for 2023–2024 were **not** found in a source and are not in the
    table; the 6600 元 national figure comes from a paper and its year (2022) is inferred. The
    ``basis`` column matters: thresholds are stated on different bases (纯收入, 可支配收入,
    multiples of the county 低保 standard), so they are not directly comparable. The column
    ``monitoring_threshold_yuan_per_capita_net_income`` is blank where the source gave only a
    rule (安徽省 2020: about 1.5 × the national poverty line).

    Returns
    -------
    pandas.DataFrame
        ``jurisdiction``, ``level``, ``year``, ``monitoring_threshold_yuan_per_capita_net_income``
        (元/人·年, ``Int64``), ``basis``, ``source``.

    Examples
    --------
    >>> thresholds = monitoring_thresholds().set_index("year")
    >>> int(thresholds.loc[2025, "monitoring_threshold_yuan_per_capita_net_income"])
    8700
    """
    return load("monitoring_income_thresholds")
