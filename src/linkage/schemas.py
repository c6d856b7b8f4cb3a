"""Data schemas (数据模式): region-year panels and household monitoring microdata.

Two :mod:`pandera` schemas (pandas API) define what validated, tidy data look like — the
contract "Data kinds" in ``docs/architecture.md``:

* :func:`county_panel_schema` — one row per region-year at one :data:`PanelLevel` (county by
  default; prefecture or province): ``region_code`` (6-digit text of that level, leading zeros
  kept), ``year`` (integer, :data:`YEAR_RANGE`), optional ``region_name``, and one numeric
  column per indicator of an indicator framework (unit, direction and Chinese name recorded
  in each column's ``title``/``description``/``metadata``), each checked against the ``range``
  its framework declares (no bound is guessed from a unit or a name). Key (``region_code``,
  ``year``) unique. Indicator values may be missing (blank cells).
* :func:`household_schema` — one row per household-year (防返贫监测), key
  (``household_id``, ``year``) unique. Income components are yuan per household per year and
  must be ≥ 0, **except** ``income_business`` (经营净收入), which may be negative: a net
  operating loss is a real outcome for a farm household and is kept, not clipped.
  ``income_pc`` must equal (sum of components) / ``hh_size`` within :data:`INCOME_PC_TOLERANCE`
  yuan.

:func:`check_frame` validates lazily (every failure is collected, not just the first) and turns
pandera's failure cases into a problems table with 1-based spreadsheet row numbers (the frame's
index, as given by :func:`linkage.readers.read_table`), the column, the problem and a hint, in
Chinese.

Region codes: a code's level is read from its structure (:func:`code_level`: ``xx0000``
province, ``xxxx00`` prefecture, otherwise county; ``000000`` is 全国). A panel's codes must be
of its level. Without a list of valid codes, a code must be 6 digits whose first two digits are
one of the 31 province-level codes of GB/T 2260 (:data:`PROVINCE_CODES`, the mainland
provinces of the 民政部 table ``admin_divisions_2014_2024``, or ``99``, reserved for the kit's
simulated province); a well-formed but non-existent county code passes unless a region list is
given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

if TYPE_CHECKING:
    from linkage.frameworks import Framework

__all__ = [
    "BOOLEAN_COLUMNS",
    "HOUSEHOLD_COLUMNS",
    "ID_HASH_PATTERN",
    "INCOME_COMPONENTS",
    "INCOME_PC_TOLERANCE",
    "KEY_COLUMNS",
    "LEVEL_ZH",
    "MONITOR_CATEGORIES",
    "MUNICIPALITIES",
    "PANEL_LEVELS",
    "PANEL_ZH",
    "PERSONAL_COLUMNS",
    "PROBLEM_COLUMNS",
    "PROVINCE_CODES",
    "SCHEMA_VERSION",
    "SHOCKS",
    "YEAR_RANGE",
    "ColumnSpec",
    "PanelLevel",
    "check_frame",
    "code_level",
    "county_panel_schema",
    "household_schema",
    "panel_code_level",
]

#: Version of the data schemas; recorded in every processed file's provenance.
SCHEMA_VERSION = "1.0"

#: Accepted years, inclusive (reform era to the end of the 15th five-year plan).
YEAR_RANGE = (1978, 2035)

#: Largest accepted gap, in yuan, between ``income_pc`` and components / ``hh_size``.
INCOME_PC_TOLERANCE = 1.0

#: Two-digit province-level codes of GB/T 2260 (31 provinces), plus 99 = simulated province.
PROVINCE_CODES = (
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "99",
)

#: The four municipalities (直辖市): province-level units that are also prefecture-level cities.
MUNICIPALITIES = ("11", "12", "31", "50")

#: Columns holding salted hashes of ID numbers (privacy hook, see :mod:`linkage.privacy`).
ID_HASH_PATTERN = r"^id_hash(_\d+)?$"

#: Monitoring categories (监测对象类别).
MONITOR_CATEGORIES = ("非监测对象", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户")

#: Main risk / shock (主要风险类型).
SHOCKS = ("无", "疾病", "残疾", "自然灾害", "意外事故", "失业", "其他")

PanelLevel = Literal["province", "prefecture", "county"]
"""Region level of a region-year panel (面板层级): 省级 ``110000``, 地级 ``130100``, 县级
``130102``. Part of the panel schema and of an ingested file's provenance."""

#: The panel levels, largest first.
PANEL_LEVELS: tuple[str, ...] = get_args(PanelLevel)

#: Chinese names of the levels and of their panels (messages, summaries).
LEVEL_ZH = {"province": "省级", "prefecture": "地级", "county": "县级"}
PANEL_ZH = {"province": "省级面板", "prefecture": "地级面板", "county": "县域面板"}
_LEVEL_EXAMPLE = {"province": "110000", "prefecture": "130100", "county": "130102"}

#: Key columns of each data kind (a panel of any level, or household monitoring data).
KEY_COLUMNS = {**dict.fromkeys(PANEL_LEVELS, ("region_code", "year")),
               "household": ("household_id", "year")}

#: Columns about a person or household whose values no message ever shows (个人信息列).
PERSONAL_COLUMNS = ("household_id",)

#: Columns of the problems table produced by :func:`check_frame` (plus ``file`` in ingest).
PROBLEM_COLUMNS = ("file", "row", "column", "problem", "hint")

_CODE_HINT = "区划代码应为 6 位数字文本（如 110101），请把该列设为文本格式以保留前导零"


@dataclass(frozen=True)
class ColumnSpec:
    """One fixed column of a data kind (固定列).

    ``kind`` is one of ``"str"``, ``"int"``, ``"float"``, ``"bool"``, ``"category"``.
    """

    id: str
    name_zh: str
    unit: str
    kind: str
    required: bool = True
    nullable: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""

    @property
    def heading(self) -> str:
        """Heading used in templates: ``中文名（单位）`` or just ``中文名``."""
        return f"{self.name_zh}（{self.unit}）" if self.unit else self.name_zh


_REGION_CODE = ColumnSpec("region_code", "区划代码", "", "str",
                          description="县级行政区划代码（GB/T 2260），6 位文本，保留前导零")
_YEAR = ColumnSpec("year", "年份", "", "int", description="年份（整数）")

#: Household monitoring columns in contract order (农户监测数据).
HOUSEHOLD_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("household_id", "户编号", "", "str", description="农户唯一编号（文本）"),
    _REGION_CODE,
    _YEAR,
    ColumnSpec("hh_size", "家庭人口", "人", "int", description="家庭人口数，≥ 1"),
    ColumnSpec("n_labour", "劳动力人数", "人", "int",
               description="劳动力人数，0 ≤ 劳动力 ≤ 家庭人口"),
    ColumnSpec("income_wage", "工资性收入", "元/户·年", "float", description="≥ 0"),
    ColumnSpec("income_business", "经营净收入", "元/户·年", "float",
               description="可为负数（经营亏损 / net operating loss）"),
    ColumnSpec("income_property", "财产净收入", "元/户·年", "float", description="≥ 0"),
    ColumnSpec("income_transfer", "转移净收入", "元/户·年", "float", description="≥ 0"),
    ColumnSpec("income_pc", "人均纯收入", "元/人·年", "float", required=False,
               description="= 四项收入之和 / 家庭人口（误差 ≤ 1 元）；缺省时自动计算"),
    ColumnSpec("food_clothing_ok", "不愁吃穿", "", "bool", description="两不愁：是/否"),
    ColumnSpec("compulsory_edu_ok", "义务教育有保障", "", "bool", description="是/否"),
    ColumnSpec("basic_medical_ok", "基本医疗有保障", "", "bool", description="是/否"),
    ColumnSpec("housing_safe_ok", "住房安全有保障", "", "bool", description="是/否"),
    ColumnSpec("drinking_water_ok", "饮水安全有保障", "", "bool", description="是/否"),
    ColumnSpec("exited_poor", "脱贫户", "", "bool", description="是否脱贫户：是/否"),
    ColumnSpec("monitor_category", "监测类型", "", "category", choices=MONITOR_CATEGORIES,
               description="、".join(MONITOR_CATEGORIES)),
    ColumnSpec("shock", "主要风险", "", "category", choices=SHOCKS, description="、".join(SHOCKS)),
    ColumnSpec("risk_eliminated", "风险已消除", "", "bool", required=False, nullable=True,
               description="是/否；非监测对象留空"),
    ColumnSpec("weight", "权重", "", "float", required=False,
               description="抽样权重，> 0；普查式监测数据缺省为 1"),
)

#: Income components (元/户·年) whose sum / hh_size gives income_pc.
INCOME_COMPONENTS = ("income_wage", "income_business", "income_property", "income_transfer")

#: Boolean household columns.
BOOLEAN_COLUMNS = tuple(c.id for c in HOUSEHOLD_COLUMNS if c.kind == "bool")

_DTYPES = {"str": str, "category": str, "int": "int64", "float": "float64"}


def _problem(text: str, hint: str) -> str:
    """Check error text: ``problem — hint`` (split again in :func:`check_frame`)."""
    return f"{text} — {hint}"


def _range_checks(indicator: pd.Series, framework_id: str) -> list[pa.Check]:
    """Checks of one indicator's declared ``range`` (值域, from the framework YAML).

    A ratio declared ≥ 1 (城乡收入比 = urban / rural) that holds a value between 0 and 1 is
    reported as looking inverted; any other value outside the range as out of range."""
    low = None if np.isnan(indicator["valid_min"]) else float(indicator["valid_min"])
    high = None if np.isnan(indicator["valid_max"]) else float(indicator["valid_max"])
    name, unit = str(indicator["name_zh"]), str(indicator["unit"])
    declared = f"指标体系 {framework_id} 规定 {name} "
    fix = "请核对数值和单位；若该指标确实可以取这样的值，请修改指标体系中该指标的 range"
    if low is None and high is None:
        return []
    if high is not None:
        span = f"{'−∞' if low is None else f'{low:g}'}–{high:g}"
        hint = (f"比率请按 {unit} 填写（如 85.5 表示 85.5{unit}），不要填写小数比例"
                if unit in ("%", "‰") else fix)
        error = _problem(f"数值超出可能范围（{declared}在 {span} 之间，单位 {unit}）", hint)
        return [pa.Check.le(high, error=error) if low is None
                else pa.Check.in_range(low, high, error=error)]
    if low >= 1:  # a ratio defined as >= low: 0 < value < low is its inverse
        return [
            pa.Check(lambda s: ~((s > 0) & (s < low)), error=_problem(
                f"比值小于 {low:g}，看起来取了倒数（{declared}≥ {low:g}）",
                f"{name}的分子分母不要颠倒：若文件中是其倒数，请取倒数（1 ÷ 值）后再导入")),
            pa.Check(lambda s: ~(s <= 0), error=_problem(
                f"数值超出可能范围（{declared}≥ {low:g}）", fix)),
        ]
    words = "为负" if low == 0 else f"小于 {low:g}"
    return [pa.Check.ge(low, error=_problem(
        f"数值{words}，超出可能范围（{declared}≥ {low:g}，单位 {unit}）", fix))]


def code_level(codes: pd.Series) -> pd.Series:
    """Level a 6-digit region code denotes by its structure (GB/T 2260).

    ``xx0000`` is a province (省级), ``xxxx00`` a prefecture (地级), any other 6-digit code a
    county-level unit (县级); ``000000`` (全国/合计) is ``"nation"``; anything else missing.

    Examples
    --------
    >>> code_level(pd.Series(["110000", "130100", "130102", "000000", "11"])).tolist()
    ['province', 'prefecture', 'county', 'nation', None]
    """
    text = codes.astype(object).where(codes.notna(), "").astype(str)
    six = text.str.fullmatch(r"\d{6}")
    level = np.select(
        [~six, text == "000000", text.str.endswith("0000"), text.str.endswith("00")],
        [None, "nation", "province", "prefecture"], default="county")
    return pd.Series(level, index=codes.index, dtype=object)


def panel_code_level(codes: pd.Series, level: str) -> pd.Series:
    """:func:`code_level` as seen from a panel of ``level``: in a prefecture panel the four
    municipalities (直辖市 :data:`MUNICIPALITIES`, coded ``110000`` …) are prefecture-level
    cities, as in 中国城市统计年鉴."""
    levels = code_level(codes)
    if level == "prefecture":
        city = (levels == "province") & codes.astype(object).astype(str).str[:2].isin(
            MUNICIPALITIES)
        levels = levels.mask(city, "prefecture")
    return levels


def _level_checks(level: str, *, panel: bool = True) -> list[pa.Check]:
    """Codes of another level than the panel's are errors, each naming the level it is
    (household data, ``panel=False``: the household's county)."""
    checks = [pa.Check(lambda s: code_level(s) != "nation", error=_problem(
        "这是全国合计的代码（000000），不是一个地区", "请删去全国 / 合计行"))]
    for other in PANEL_LEVELS:
        if other == level:
            continue
        checks.append(pa.Check(
            lambda s, other=other: panel_code_level(s, level) != other, error=_problem(
            f"这是{LEVEL_ZH[other]}代码（形如 {_LEVEL_EXAMPLE[other]}），"
            f"{PANEL_ZH[level] if panel else '农户数据'}中应为{LEVEL_ZH[level]}代码",
            f"请核对区划代码；若整个文件是{PANEL_ZH[other]}，请加 --kind {other}"
            f"（Python：kind=\"{other}\"）" if panel else "请填写农户所在县的 6 位县级区划代码")))
    return checks


def _region_checks(regions: Iterable[str] | None, regions_label: str | None,
                   level: str | None) -> list[pa.Check]:
    checks = [pa.Check.str_matches(r"^\d{6}$", error=_problem("区划代码不是 6 位数字", _CODE_HINT))]
    if regions is None:
        checks.append(pa.Check(
            lambda s: s.str[:2].isin(PROVINCE_CODES) | (s == "000000"),
            error=_problem("区划代码的前两位不是有效的省级代码",
                           "请核对区划代码（GB/T 2260）；模拟数据使用 99"),
        ))
    else:
        label = regions_label or "给定的区划代码表"
        checks.append(pa.Check.isin(
            sorted(set(regions)),
            error=_problem(f"区划代码不在 {label} 中",
                           "请核对代码，或在区划代码表中补充该县"),
        ))
    # after the prefix (a bad prefix is named first); household data: the county's code
    return checks + _level_checks(level or "county", panel=level is not None)


def _year_column() -> pa.Column:
    lo, hi = YEAR_RANGE
    return pa.Column(
        "int64",
        pa.Check.in_range(lo, hi, error=_problem(f"年份不在 {lo}–{hi} 之间", "请填写四位数年份")),
        coerce=True, nullable=False, title="年份", description=_YEAR.description,
    )


def _region_column(regions: Iterable[str] | None, regions_label: str | None,
                   level: str | None) -> pa.Column:
    return pa.Column(str, _region_checks(regions, regions_label, level), nullable=False,
                     title="区划代码",
                     description=f"{LEVEL_ZH[level or 'county']}行政区划代码（GB/T 2260），"
                                 "6 位文本，保留前导零")


def county_panel_schema(
    framework: Framework,
    *,
    level: PanelLevel = "county",
    indicators: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
    regions_label: str | None = None,
    allow_extra: bool = False,
) -> pa.DataFrameSchema:
    """Region-year panel schema (面板数据模式) built from an indicator framework.

    One row per region-year at one region ``level``: county (县域面板, the default),
    prefecture (地级面板) or province (省级面板, e.g. 31 provinces from 中国统计年鉴). Region
    codes must be codes of that level (:func:`code_level`; in a prefecture panel the four
    municipalities ``110000``, ``120000``, ``310000``, ``500000`` count as cities); a code of
    another level, or ``000000`` (全国), is an error naming the level it is. Indicator values
    must lie in the ``range`` the framework declares for them (values outside are errors naming
    the value; a value between 0 and 1 of a ratio declared ≥ 1 is reported as looking
    inverted).

    Parameters
    ----------
    framework : linkage.frameworks.Framework
        Indicator system; each indicator becomes a nullable ``float64`` column named by its id,
        checked against its declared ``range`` (:attr:`~linkage.frameworks.Indicator.valid_range`),
        with ``title`` = Chinese name, ``description`` = "中文名（单位），正向/逆向：定义" and
        ``metadata`` = ``{"unit", "direction", "name_zh", "subsystem"}``.
    indicators : iterable of str, optional
        The subset of framework indicator ids the panel holds (a panel need not hold all of
        them); default all. Listed columns are required.
    level : {"county", "prefecture", "province"}, default "county"
        Region level of the panel (recorded in the schema's ``metadata["level"]``).
    regions : iterable of str, optional
        Valid region codes; default: any 6-digit code of ``level`` with a valid province prefix.
    regions_label : str, optional
        Name of the region list used in messages (e.g. the file it came from).
    allow_extra : bool, default False
        Accept columns that are neither key columns, ``region_name`` nor framework indicators.

    Returns
    -------
    pandera.pandas.DataFrameSchema

    Examples
    --------
    >>> from linkage.frameworks import load_framework
    >>> schema = county_panel_schema(load_framework(), level="province")
    >>> schema.columns["region_code"].title, schema.metadata["level"]
    ('区划代码', 'province')
    """
    table = framework.indicator_table()
    wanted = list(table.index if indicators is None else indicators)
    columns: dict[str, pa.Column] = {
        "region_code": _region_column(regions, regions_label, level),
        "region_name": pa.Column(str, nullable=True, required=False, title="地区名称"),
        "year": _year_column(),
    }
    finite = pa.Check(np.isfinite, element_wise=False,
                      error=_problem("数值不是有限数", "请填写普通数字（不能是无穷大）"))
    for ind in wanted:
        row = table.loc[ind]
        direction = "正向" if int(row["direction"]) > 0 else "逆向"
        unit = str(row["unit"])
        columns[ind] = pa.Column(
            "float64", [finite, *_range_checks(row, framework.id)], nullable=True,
            coerce=True, title=str(row["name_zh"]),
            description=f"{row['name_zh']}（{unit}），{direction}：{row['definition']}",
            metadata={"unit": unit, "direction": int(row["direction"]),
                      "name_zh": str(row["name_zh"]), "subsystem": str(row["subsystem"])},
        )
    return pa.DataFrameSchema(
        columns, unique=list(KEY_COLUMNS["county"]), strict=not allow_extra,
        name=f"{level}_panel", title=PANEL_ZH[level],
        description=f"{LEVEL_ZH[level]}地区-年面板，每个地区每年一行",
        metadata={"schema_version": SCHEMA_VERSION, "level": level,
                  "framework_id": framework.id, "framework_version": framework.version},
    )


def _household_column(spec: ColumnSpec) -> pa.Column:
    checks: list[pa.Check] = []
    if spec.id == "hh_size":
        checks.append(pa.Check.ge(1, error=_problem("家庭人口小于 1", "家庭人口至少为 1")))
    elif spec.id == "n_labour":
        checks.append(pa.Check.ge(0, error=_problem("劳动力人数为负", "请填写 0 或正整数")))
    elif spec.id in INCOME_COMPONENTS and spec.id != "income_business":
        checks.append(pa.Check.ge(0, error=_problem(
            "收入为负数", "只有经营净收入可以为负（经营亏损）；其他收入请填写 ≥ 0 的数")))
    elif spec.id == "weight":
        checks.append(pa.Check.gt(0, error=_problem("权重不大于 0", "抽样权重必须为正数")))
    elif spec.kind == "category":
        checks.append(pa.Check.isin(spec.choices, error=_problem(
            f"{spec.name_zh}不在可选值中", "可选值：" + "、".join(spec.choices))))
    if spec.kind == "float" and spec.id != "weight":
        checks.append(pa.Check(np.isfinite, element_wise=False,
                               error=_problem("数值不是有限数", "请填写普通数字")))
    dtype: Any = ("boolean" if spec.nullable else bool) if spec.kind == "bool" else None
    dtype = dtype or _DTYPES[spec.kind]
    return pa.Column(
        dtype, checks, nullable=spec.nullable, coerce=True, required=spec.required,
        title=spec.name_zh, description=spec.heading + "：" + spec.description,
        metadata={"unit": spec.unit, "name_zh": spec.name_zh},
    )


#: Row-wise checks across columns: error text -> the column a failure is reported in.
_FRAME_CHECK_COLUMN = {
    _problem("劳动力人数大于家庭人口", "请核对家庭人口和劳动力人数"): "n_labour",
    _problem(f"人均纯收入与四项收入之和 / 家庭人口相差超过 {INCOME_PC_TOLERANCE:g} 元",
             "请核对各项收入和家庭人口，或删去人均纯收入列让程序计算"): "income_pc",
    _problem("非监测对象填写了“风险已消除”", "非监测对象请留空该单元格"): "risk_eliminated",
}


def _income_pc_consistent(df: pd.DataFrame) -> pd.Series:
    size = df["hh_size"].where(df["hh_size"] >= 1)  # hh_size < 1 is reported on its own
    implied = df[list(INCOME_COMPONENTS)].sum(axis=1, min_count=4) / size
    gap = (df["income_pc"] - implied).abs()
    return ~(gap > INCOME_PC_TOLERANCE)


def household_schema(
    *,
    regions: Iterable[str] | None = None,
    regions_label: str | None = None,
    allow_extra: bool = False,
) -> pa.DataFrameSchema:
    """Household monitoring schema (农户监测数据模式), one row per household-year.

    Rules: ``hh_size`` ≥ 1; 0 ≤ ``n_labour`` ≤ ``hh_size``; income components (元/户·年) ≥ 0
    except ``income_business``, which may be negative (net operating loss, 经营亏损);
    ``income_pc`` (元/人·年) = (``income_wage`` + ``income_business`` + ``income_property`` +
    ``income_transfer``) / ``hh_size`` within :data:`INCOME_PC_TOLERANCE` yuan; six boolean
    columns (两不愁三保障 + 饮水安全, 脱贫户) without missing values; ``monitor_category`` in
    :data:`MONITOR_CATEGORIES`; ``shock`` in :data:`SHOCKS`; ``risk_eliminated`` nullable and
    empty for 非监测对象; ``weight`` > 0; key (``household_id``, ``year``) unique.

    Parameters
    ----------
    regions, regions_label, allow_extra
        As in :func:`county_panel_schema`.

    Returns
    -------
    pandera.pandas.DataFrameSchema

    Examples
    --------
    >>> household_schema().columns["income_business"].title
    '经营净收入'
    """
    columns = {spec.id: _household_column(spec) for spec in HOUSEHOLD_COLUMNS}
    # --- privacy hook (linkage.privacy): salted hashes of ID numbers, id_hash, id_hash_2, … ---
    columns[ID_HASH_PATTERN] = pa.Column(
        str, pa.Check.str_matches(r"^[a-z2-7]{52}$", error=_problem(
            "不是加盐哈希值", "id_hash 列由导入时的去标识化生成，请勿手工填写")),
        nullable=True, required=False, regex=True, title="证件号哈希",
        description="身份证号的 HMAC-SHA256 加盐哈希（linkage.privacy）")
    # --- end privacy hook ---
    columns["region_code"] = _region_column(regions, regions_label, None)
    columns["year"] = _year_column()
    labour, income, risk = _FRAME_CHECK_COLUMN
    checks = [
        pa.Check(lambda d: ~(d["n_labour"] > d["hh_size"]), error=labour),
        pa.Check(_income_pc_consistent, error=income),
        pa.Check(lambda d: ~((d["monitor_category"] == "非监测对象")
                             & d["risk_eliminated"].notna()), error=risk),
    ]
    return pa.DataFrameSchema(
        columns, checks=checks, unique=list(KEY_COLUMNS["household"]), strict=not allow_extra,
        name="households", title="农户监测", description="农户-年监测数据，每户每年一行",
        metadata={"schema_version": SCHEMA_VERSION},
    )


_BUILTIN_PROBLEMS = {
    "not_nullable": ("缺少必填值", "请填写该单元格（只有指标列可以留空）"),
    "coerce_dtype": ("数据类型不对", "请填写正确类型的值"),
    "dtype": ("数据类型不对", "请填写正确类型的值"),
    "column_in_dataframe": ("缺少必需的列", "请添加该列，或用 mapping 指定文件中对应的列名"),
    "column_in_schema": ("无法识别的列",
                         "请把列名改为指标编号或中文名，用列名映射指定对应关系，"
                         "或保留该列（命令行加 --allow-extra；Python：allow_extra=True）"),
}


def _empty_problems() -> pd.DataFrame:
    return pd.DataFrame({
        "row": pd.array([], dtype="Int64"),
        "column": pd.Series([], dtype="str"),
        "problem": pd.Series([], dtype="str"),
        "hint": pd.Series([], dtype="str"),
    })


def _duplicate_problems(data: pd.DataFrame, key: list[str], titles: dict[str, str]
                        ) -> pd.DataFrame:
    """One problem per repeated key, at the later row; values of personal key columns are not
    shown. Rows with a blank key cell are left out (reported as missing values already)."""
    rows = data.index.to_series(index=pd.RangeIndex(len(data)))
    frame = data[key].reset_index(drop=True)
    complete = frame.notna().all(axis=1).to_numpy()
    first = rows.groupby([frame[k] for k in key], dropna=False).transform("min")
    dup = frame.duplicated(keep="first").to_numpy() & complete
    shown_cols = [k for k in key if k not in PERSONAL_COLUMNS]
    parts = frame.loc[dup, shown_cols].astype("string").fillna("（空）")
    shown = pd.Series("", index=parts.index, dtype=object)
    for k in shown_cols:
        shown = shown + "；" + titles.get(k, k) + " = " + parts[k].astype(object)
    names = "+".join(titles.get(k, k) for k in key)
    return pd.DataFrame({
        "row": pd.array(rows[dup], dtype="Int64"),
        "column": "+".join(key),
        "problem": ("重复的记录（" + names + " 与第 " + first[dup].astype("int64").astype(str)
                    + " 行相同" + shown.to_numpy() + "）"),
        "hint": "每个键只能出现一次：请删除或合并重复行",
    }).reset_index(drop=True)


def _value_text(value: object) -> str:
    """A failing value as shown in a message: whole numbers without ``.0``."""
    if isinstance(value, float | np.floating) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _translate(
    cases: pd.DataFrame, data: pd.DataFrame, key: list[str], schema: pa.DataFrameSchema
) -> pd.DataFrame:
    cases = cases.reset_index(drop=True)
    check = cases["check"].astype(str)
    base = check.str.replace(r"\(.*\)$", "", regex=True)
    unique = base.isin(["multiple_fields_uniqueness", "field_uniqueness"])
    # Row-wise frame checks are reported for every column; keep the column they are about.
    target = check.map(_FRAME_CHECK_COLUMN)
    keep = ~unique & (target.isna() | (target == cases["column"]))
    cases, check, base = cases[keep], check[keep], base[keep]
    known = base.map({k: v[0] for k, v in _BUILTIN_PROBLEMS.items()})
    known_hint = base.map({k: v[1] for k, v in _BUILTIN_PROBLEMS.items()})
    split = check.str.split(" — ", n=1, expand=True).reindex(columns=[0, 1]).astype(object)
    value = cases["failure_case"].map(_value_text).astype(object)
    is_column = base.isin(["column_in_dataframe", "column_in_schema"])
    column_name = cases["column"].astype(str)
    personal = column_name.isin(PERSONAL_COLUMNS) | column_name.str.fullmatch(ID_HASH_PATTERN)
    shown = ("（值：" + value + "）").where(~personal.to_numpy(), "")
    problem = known.fillna(split[0] + shown)
    titles = {name: column.title or name for name, column in schema.columns.items()}
    missing = base == "column_in_dataframe"
    problem[missing] = "缺少必需的列“" + value[missing].map(titles).fillna(value[missing]) + "”"
    hint = known_hint.fillna(split[1]).fillna("")
    column = cases["column"].where(~is_column, value)
    # A missing value fails not_nullable, coerce_dtype and dtype: report "缺少必填值" once.
    generic = base.isin(["coerce_dtype", "dtype"]).to_numpy()
    out = pd.DataFrame({
        "row": pd.array(pd.to_numeric(cases["index"], errors="coerce"), dtype="Int64"),
        "column": column.astype(str),
        "problem": problem.astype(str),
        "hint": hint.astype(str),
    }).iloc[np.argsort(generic, kind="stable")]
    if unique.any() and key:
        out = pd.concat([out, _duplicate_problems(data, key, titles)], ignore_index=True)
    return out.drop_duplicates(["row", "column"], keep="first").reset_index(drop=True)


def check_frame(
    data: pd.DataFrame, schema: pa.DataFrameSchema
) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Validate ``data`` lazily against ``schema`` (惰性校验，收集全部问题).

    Parameters
    ----------
    data : pandas.DataFrame
        Columns named by id, index = 1-based spreadsheet row numbers.
    schema : pandera.pandas.DataFrameSchema
        From :func:`county_panel_schema` or :func:`household_schema`.

    Returns
    -------
    validated : pandas.DataFrame or None
        The coerced frame when there is no problem, else ``None``.
    problems : pandas.DataFrame
        Columns ``row`` (Int64; missing for whole-column problems), ``column`` (id),
        ``problem``, ``hint`` — one row per problem cell, sorted by row; empty when valid.

    Examples
    --------
    >>> frame = pd.DataFrame({"household_id": ["a"], "year": [2020]}, index=[2])
    >>> _, problems = check_frame(frame, household_schema())
    >>> problems["problem"].iloc[0]
    '缺少必需的列“区划代码”'
    """
    try:
        validated = schema.validate(data, lazy=True)
    except SchemaErrors as err:
        key = list(schema.unique or [])
        key = key if set(key) <= set(data.columns) else []  # no key check without the key
        problems = _translate(err.failure_cases, data, key, schema)
        order = problems["row"].fillna(0).astype("int64")
        return None, problems.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(
            drop=True)
    return validated, _empty_problems()
