"""Region-year panel inputs for analyses and reports (县域 / 地级 / 省级面板数据).

:func:`load_panel` gives every report the same view of its data, whether it is the bundled
simulated sample (模拟数据), a Parquet file written by ``linkage ingest``, or a file the kit's
readers read (CSV in UTF-8 or GBK, Excel, Stata): a region-year panel keyed by
(``region_code``, ``year``) at one region level (:data:`linkage.schemas.PanelLevel`: county by
default, prefecture, or province — e.g. 31 provinces from 中国统计年鉴), plus, when available,
a county attribute table (former poverty county, exit year, key assistance county, names).

What works at which level: the inequality and convergence functions (:mod:`linkage.inequality`,
:mod:`linkage.convergence`), composite scores and coupling take any panel; what needs county
attributes (former poverty counties, exit years, key assistance — the policy-effects section,
the 脱贫县 comparisons of the consolidation and extension sections) needs a county panel and
says so (:meth:`PanelData.require_level`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from linkage.checks import check_option, first_rows
from linkage.errors import InputError
from linkage.labels import Language, is_zh
from linkage.paths import sample_dir

if TYPE_CHECKING:
    from linkage.frameworks import Framework
    from linkage.schemas import PanelLevel

__all__ = ["COUNTY_ATTRIBUTE_KINDS", "PanelData", "RegionLevel", "load_panel"]

RegionLevel = Literal["county", "prefecture"]
"""Level of the regions a report compares: counties (县级) or prefectures (地级市)."""

_KEY = ["region_code", "year"]


@dataclass(frozen=True)
class PanelData:
    """A county-year panel with its county attributes.

    Attributes
    ----------
    panel : DataFrame
        One row per county-year: ``region_code`` (str), ``year`` (int), indicator columns.
    counties : DataFrame
        One row per county, indexed by ``region_code``; may be empty when the user's data has
        no attribute table. Columns as in docs/architecture.md (``region_name``,
        ``poverty_county``, ``exit_year``, ``key_assistance``, ...).
    simulated : bool
        True when the data are the kit's simulated sample (reports then say 模拟数据).
    sources : tuple of Path
        Files the data came from (for provenance).
    level : {"county", "prefecture", "province"}
        Region level of the panel's rows (its codes' level, :func:`linkage.schemas.code_level`).
    """

    panel: pd.DataFrame
    counties: pd.DataFrame
    simulated: bool
    sources: tuple[Path, ...]
    level: PanelLevel = "county"

    def require_level(self, *levels: PanelLevel, what: str) -> None:
        """Refuse, with a clear message, an analysis that needs another region level.

        Parameters
        ----------
        *levels : {"county", "prefecture", "province"}
            The levels ``what`` works at.
        what : str
            The analysis or report section, named in the message (e.g. ``"政策效应评估"``).

        Raises
        ------
        InputError
            When :attr:`level` is not one of ``levels``.

        Examples
        --------
        >>> load_panel().require_level("county", what="政策效应评估")  # the sample: counties
        """
        from linkage.schemas import PANEL_ZH

        if self.level not in levels:
            wanted = "或".join(PANEL_ZH[level] for level in levels)
            raise InputError(
                f"{what}需要{wanted}，现在的数据是{PANEL_ZH[self.level]} / needs a "
                f"{' or '.join(levels)} panel, got a {self.level} panel", column="region_code",
                hint=f"请换用{wanted}；{PANEL_ZH[self.level]}可直接用于不平等与收敛分析"
                     "（linkage.inequality、linkage.convergence）、综合指数与耦合协调 / use such "
                     "a panel; this one works with the inequality, convergence, index and "
                     "coupling functions")

    @property
    def years(self) -> list[int]:
        return sorted(self.panel["year"].unique().tolist())

    def between_years(self, start: int, end: int) -> PanelData:
        """The same data restricted to ``start <= year <= end`` (both inclusive)."""
        if start > end:
            raise InputError(f"起始年 {start} 晚于截止年 {end} / start year after end year",
                             column="year", hint="检查 start_year 与 end_year 参数")
        keep = self.panel["year"].between(start, end)
        if not keep.any():
            raise InputError(
                f"{start}—{end} 年没有数据 / no data in {start}–{end}", column="year",
                hint=f"数据年份为 / data years: {self.years[0]}–{self.years[-1]}",
            )
        return PanelData(self.panel[keep].reset_index(drop=True), self.counties,
                         self.simulated, self.sources, self.level)

    def attribute(self, column: str, *, codes: pd.Index | pd.Series | None = None
                  ) -> pd.Series:
        """County attribute ``column`` for every panel row (aligned with :attr:`panel`), or for
        the region ``codes`` given (indexed by them).

        The one rule for county attributes: an attribute is never filled in silently — a
        county whose value is unknown is not counted as "no" (e.g. as not a former poverty
        county).

        Raises
        ------
        InputError
            When the county table lacks ``column``, or when some counties are not in the
            table or have no value there (naming the first codes and how many).
        """
        if column not in self.counties.columns:
            raise InputError(f"县属性表中没有 {column} 列 / the county table lacks {column}",
                             column=column,
                             hint="传入含该列的 counties 文件（见 docs/architecture.md）/ pass a "
                                  "county table with this column")
        keys = self.panel["region_code"] if codes is None else pd.Series(
            list(codes), index=pd.Index(codes), dtype=object)
        values = keys.map(self.counties[column])
        absent = values.isna()
        if absent.any():
            unknown = pd.unique(keys[absent])
            raise InputError(
                f"{len(unknown)} 个县在县属性表中缺少 {column}（{first_rows(unknown)}）/ "
                f"{len(unknown)} counties without {column} in the county table", column=column,
                hint="补齐县属性表，或先剔除这些县并在报告中说明 / complete the county table "
                     "or drop these counties explicitly")
        return values

    def at_level(self, level: RegionLevel = "county",
                 *, weights: str | None = "rural_population") -> PanelData:
        """The panel at another region level (分析层级): county as is, or prefecture (地级市).

        Prefecture values are means of their counties' values, weighted by ``weights`` (a
        county-table column; default rural population in 万人, so per-capita and rural-rate
        indicators aggregate as population averages) or unweighted when ``weights`` is None.
        Missing county values are left out of both numerator and denominator. This is an
        approximation for indicators defined per village or per area (e.g. 村均 values,
        forest cover), which strictly need village or area weights.

        Raises
        ------
        InputError
            When the county table has no ``prefecture_code`` (or lacks ``weights``), or a
            county of the panel has none.
        """
        if level == self.level:
            return self
        if level not in ("county", "prefecture"):
            raise InputError(f"未知的分析层级 {level!r} / unknown region level",
                             hint="可选 county 或 prefecture / use county or prefecture")
        self.require_level("county", what="按县分析" if level == "county" else "汇总到地级")
        panel = self.panel
        prefecture = self.attribute("prefecture_code")
        values = panel.drop(columns=["region_code", "year", "region_name"], errors="ignore")
        values = values.select_dtypes("number")
        w = (self.attribute(weights).astype(float) if weights
             else pd.Series(1.0, index=panel.index))
        present = values.notna()
        keys = [prefecture.rename("region_code"), panel["year"]]
        numerator = values.fillna(0).mul(w, axis=0).groupby(keys).sum()
        denominator = present.mul(w, axis=0).groupby(keys).sum()
        means = (numerator / denominator.where(denominator > 0)).reset_index()
        attrs = pd.DataFrame(index=pd.Index([], dtype=str))
        if "prefecture_name" in self.counties.columns:
            names = self.counties.drop_duplicates("prefecture_code").set_index(
                "prefecture_code")["prefecture_name"]
            attrs = pd.DataFrame({"region_code": names.index, "region_name": names.to_numpy()},
                                 index=names.index.rename(None))
        return PanelData(means, attrs, self.simulated, self.sources, "prefecture")

    def region_name(self, code: str) -> str:
        """County name for a code (the code itself when no name is known)."""
        if "region_name" in self.counties.columns and code in self.counties.index:
            return str(self.counties.at[code, "region_name"])
        return code

    def summary(self, language: Language = "zh") -> str:
        """Regions, years and rows, and whether the data are simulated, in ``language``."""
        check_option("language", language, Language)
        years = self.years
        n = self.panel["region_code"].nunique()
        if is_zh(language):
            flag = "模拟数据" if self.simulated else "用户数据"
            unit = {"county": "个县", "prefecture": "个地级地区", "province": "个省份"}[self.level]
            return f"{n} {unit}，{years[0]}—{years[-1]} 年，{len(self.panel)} 行（{flag}）"
        flag = "simulated data" if self.simulated else "user data"
        unit = {"county": "counties", "prefecture": "prefectures",
                "province": "provinces"}[self.level]
        return f"{n} {unit}, {years[0]}–{years[-1]}, {len(self.panel)} rows ({flag})"


#: Cell kinds of the county attribute table (docs/architecture.md "Data kinds").
COUNTY_ATTRIBUTE_KINDS: dict[str, str] = {
    "region_code": "code", "region_name": "text", "prefecture_code": "code",
    "prefecture_name": "text", "poverty_county": "bool", "exit_year": "int",
    "key_assistance": "bool", "key_assistance_year": "int", "rural_population": "float",
    "simulated": "bool",
}


def _exists(path: Path, what: str) -> None:
    if not path.is_file():
        raise InputError("文件不存在 / file not found", file=path,
                         hint=f"检查 {what} 参数的路径，或先运行 linkage ingest / check the path")


def _read_panel(path: Path, framework: Framework | str | os.PathLike[str] | None,
                level: PanelLevel | None) -> pd.DataFrame:
    """The region-year panel through the kit's reader and schema
    (:func:`linkage.ingest.load_table`): CSV in UTF-8 or GBK, Excel, Stata, or a Parquet
    written by ``linkage ingest``; headings recognised as in ``ingest``; the level checked is
    ``.attrs["kind"]``."""
    from linkage.ingest import load_table

    _exists(path, "panel")
    return load_table(path, kind=level or "panel", framework=framework)


def _read_counties(path: Path) -> pd.DataFrame:
    """The county attribute table through :func:`linkage.readers.read_table`, its columns
    coerced to their documented kinds (bad cells raise naming the row), indexed by code."""
    from linkage.ingest import coerce_columns
    from linkage.readers import read_table

    _exists(path, "counties")
    table = coerce_columns(read_table(path), COUNTY_ATTRIBUTE_KINDS, file=path)
    if "region_code" not in table.columns:
        raise InputError("县属性表缺少 region_code 列 / the county table lacks region_code",
                         file=path, column="region_code",
                         hint="县属性表每县一行，须有 region_code（6 位区划代码）列")
    codes = table["region_code"]
    repeated = codes[codes.duplicated(keep=False) | codes.isna()]
    if len(repeated):
        raise InputError(f"县属性表中有 {len(repeated)} 行区划代码重复或缺失（"
                         f"{first_rows(repeated.fillna('（空）').unique())}）/ region codes "
                         "repeated or missing in the county table", file=path,
                         column="region_code", hint="每县一行、一个代码 / one row per county")
    table = table.assign(region_code=codes.astype(str))
    return table.set_index("region_code", drop=False).rename_axis(None)


def load_panel(
    panel: str | os.PathLike[str] | None = None,
    *,
    counties: str | os.PathLike[str] | None = None,
    framework: Framework | str | os.PathLike[str] | None = None,
    level: PanelLevel | None = None,
) -> PanelData:
    """Load a region-year panel (and county attributes) for analysis.

    Every file goes through the kit's readers, as ``linkage ingest`` reads it: the panel
    through :func:`linkage.ingest.load_table` (``kind="county"``: CSV in UTF-8 or GBK, Excel
    with yearbook headings, Stata, or a Parquet written by ``linkage ingest``; Chinese
    headings of ``framework`` recognised; values checked), the county table through
    :func:`linkage.readers.read_table` with its columns coerced to their documented kinds.
    Bad input raises an :class:`~linkage.errors.InputError` naming file, row and column.

    Parameters
    ----------
    panel : path, optional
        The county-year panel. ``None`` or ``""`` loads the bundled simulated sample.
    counties : path, optional
        County attribute table (``region_code`` + attributes, docs/architecture.md). With the
        bundled sample it is loaded automatically.
    framework : Framework or path, optional
        Indicator framework whose headings and indicator ids the panel is read with; default
        the packaged one.
    level : {"county", "prefecture", "province"}, optional
        Region level the panel must have. Default: the level of its region codes (all
        ``xx0000`` → province, all ``xxxx00`` → prefecture, else county; a Parquet from
        ``linkage ingest`` carries its level). An explicit level that the codes contradict is
        a :class:`~linkage.errors.DataValidationError` naming the level they look like.

    Returns
    -------
    PanelData

    Examples
    --------
    >>> load_panel().level
    'county'
    """
    if not panel:
        from linkage.sample import load_sample

        sample = load_sample()
        table = sample.counties.copy()
        sources = tuple(sorted(p for p in sample_dir().iterdir() if p.is_file()))
        return PanelData(
            panel=sample.panel.copy(),
            counties=table.set_index("region_code", drop=False).rename_axis(None),
            simulated=True,
            sources=sources,
        )
    panel_path = Path(panel)
    frame = _read_panel(panel_path, framework, level)
    found = frame.attrs.get("kind", level or "county")
    frame = frame.assign(region_code=frame["region_code"].astype(str),
                         year=frame["year"].astype(int))
    sources = [panel_path]
    attrs = pd.DataFrame(index=pd.Index([], dtype=str))
    if counties:
        sources.append(Path(counties))
        attrs = _read_counties(Path(counties))
    simulated = bool(attrs.get("simulated", pd.Series(dtype=bool)).fillna(False).any()) or bool(
        frame["region_code"].str.startswith("99").all()
    )
    return PanelData(frame, attrs, simulated, tuple(sources), found)
