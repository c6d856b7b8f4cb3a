"""Data overview (数据概览): coverage, missingness, descriptive statistics and trends.

The functions behind the ``01_data_overview`` report. Each takes a county-year panel (see
:mod:`linkage.panel`) and an indicator framework and returns a labelled table; the report
notebook only calls, plots and narrates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.frameworks import Framework
from linkage.labels import Language, label
from linkage.panel import PanelData

__all__ = [
    "default_region",
    "describe_indicators",
    "group_trends",
    "indicator_coverage",
    "missingness_by_year",
    "national_context",
    "overview_narrative",
    "region_trend",
]


def _present(panel: pd.DataFrame, framework: Framework) -> list[str]:
    """Framework indicators that are columns of the panel, in framework order."""
    return [i for i in framework.indicator_ids if i in panel.columns]


def _names(framework: Framework, ids: list[str], language: Language) -> pd.Series:
    table = framework.indicator_table()
    return table.loc[ids, "name_zh" if language == "zh" else "name_en"]


def indicator_coverage(
    panel: pd.DataFrame, framework: Framework, *, language: Language = "zh"
) -> pd.DataFrame:
    """Coverage of each framework indicator (指标覆盖情况).

    Parameters
    ----------
    panel : DataFrame
        County-year panel with ``region_code``, ``year`` and indicator columns.
    framework : Framework
        Indicator framework; indicators absent from the panel are reported with 0 observations.
    language : {"zh", "en"}

    Returns
    -------
    DataFrame
        Indexed by indicator id: name, unit, dimension, observations, missing count, missing
        share (% of county-years), counties with any value, first and last year with data.
    """
    table = framework.indicator_table()
    ids = list(table.index)
    values = panel.reindex(columns=ids)
    observed = values.notna()
    years = panel["year"].to_numpy()
    obs_years = observed.mul(years, axis=0).where(observed)
    out = pd.DataFrame(
        {
            label("indicator", language): _names(framework, ids, language),
            label("unit", language): table["unit"],
            label("dimension", language): table["dimension"].map(
                framework.dimensions()["name_zh" if language == "zh" else "name_en"]),
            label("n_obs", language): observed.sum(),
            label("n_missing", language): (~observed).sum(),
            label("missing_share", language): (~observed).mean().mul(100).round(2),
            label("n_regions", language): observed.groupby(panel["region_code"]).any().sum(),
            label("first_year", language): obs_years.min().astype("Int64"),
            label("last_year", language): obs_years.max().astype("Int64"),
        }
    )
    out.index.name = label("indicator_id", language)
    return out


def missingness_by_year(
    panel: pd.DataFrame, framework: Framework, *, language: Language = "zh"
) -> pd.DataFrame:
    """Share of counties missing each indicator, by year (%) — indicator × year (缺失率矩阵)."""
    ids = _present(panel, framework)
    share = panel[ids].isna().groupby(panel["year"]).mean().mul(100).T
    share.index = _names(framework, ids, language).to_numpy()
    share.index.name = label("indicator", language)
    share.columns.name = label("year", language)
    return share


def describe_indicators(
    panel: pd.DataFrame,
    framework: Framework,
    *,
    year: int | None = None,
    language: Language = "zh",
) -> pd.DataFrame:
    """Descriptive statistics of each indicator across counties (描述性统计).

    Parameters
    ----------
    year : int, optional
        Restrict to one year (default: all county-years pooled).

    Returns
    -------
    DataFrame
        Per indicator: name, unit, N, mean, standard deviation (ddof=1, as Stata's
        ``summarize``), min, median, max and coefficient of variation (sd / mean; missing when
        the mean is 0).
    """
    data = panel if year is None else panel[panel["year"] == year]
    ids = _present(data, framework)
    values = data[ids]
    mean = values.mean()
    std = values.std(ddof=1)
    out = pd.DataFrame(
        {
            label("indicator", language): _names(framework, ids, language),
            label("unit", language): framework.indicator_table().loc[ids, "unit"],
            label("n_obs", language): values.count(),
            label("mean", language): mean,
            label("std", language): std,
            label("min", language): values.min(),
            label("median", language): values.median(),
            label("max", language): values.max(),
            label("cv", language): std / mean.replace(0, np.nan),
        }
    )
    out.index.name = label("indicator_id", language)
    return out


def _weights(data: PanelData, weight: str | None) -> pd.Series | None:
    if weight is None or weight not in data.counties.columns:
        return None
    return data.panel["region_code"].map(data.counties[weight]).astype(float)


def _weighted_mean_by_year(
    values: pd.Series, years: pd.Series, weights: pd.Series | None
) -> pd.Series:
    ok = values.notna()
    if weights is None:
        return values[ok].groupby(years[ok]).mean()
    w = weights.where(ok, 0.0)
    return (values.fillna(0) * w).groupby(years).sum() / w.groupby(years).sum()


def national_context(*, language: Language = "zh") -> pd.DataFrame:
    """Real national context: poverty-area / 脱贫县 rural income relative to national rural.

    The series of :func:`linkage.datasets.poverty_area_income_ratio` (reported incomes, derived
    ratio), re-indexed over every year of its span so that years the sources do not give
    (2014, 2015) are explicit gaps — a chart then breaks its line there instead of drawing a
    straight segment through years without data.

    Returns
    -------
    DataFrame
        Columns year, series, poverty-area income (元), national rural income (元), ratio,
        value type and source; rows for missing years carry only the year.
    """
    from linkage import datasets

    ratio = datasets.poverty_area_income_ratio()
    years = pd.RangeIndex(ratio["year"].min(), ratio["year"].max() + 1, name="year")
    out = ratio.set_index("year").reindex(years).reset_index()
    names = {
        "year": label("year", language),
        "series": label("series", language),
        "income_poverty_area": "贫困地区/脱贫县(元)" if language == "zh"
        else "Poverty areas (yuan)",
        "income_national_rural": "全国农村(元)" if language == "zh" else "National rural (yuan)",
        "ratio": label("ratio", language),
        "value_type": "数值类型" if language == "zh" else "Value type",
        "source": label("source", language),
    }
    return out[list(names)].rename(columns=names)


def default_region(data: PanelData) -> str:
    """A county to feature when the user names none: the first key assistance county if the
    attribute table has one, else the first former poverty county, else the first code."""
    counties = data.counties
    for flag in ("key_assistance", "poverty_county"):
        if flag in counties.columns:
            chosen = counties.index[counties[flag].fillna(False).astype(bool)]
            if len(chosen):
                return str(sorted(chosen)[0])
    return str(sorted(data.panel["region_code"].unique())[0])


def region_trend(
    data: PanelData,
    indicator: str,
    region_code: str,
    *,
    weight: str | None = "rural_population",
    language: Language = "zh",
) -> pd.DataFrame:
    """One county's indicator over time beside the province average (本县与全省对比).

    The province average is the mean over counties, weighted by ``weight`` (a column of the
    county table, default rural population in 万人) when available — appropriate for
    per-capita and rate indicators defined over the rural population — else unweighted.

    Returns
    -------
    DataFrame
        Long table with columns year, series (county name / province average), value.
    """
    panel = data.panel
    if region_code not in set(panel["region_code"]):
        from linkage.errors import InputError

        raise InputError(
            f"面板中没有区划代码 {region_code} / region code not in the panel",
            column="region_code",
            hint="检查 region_code 参数（6 位字符串）/ check the region_code parameter",
        )
    own = panel.loc[panel["region_code"] == region_code, ["year", indicator]]
    province = _weighted_mean_by_year(panel[indicator], panel["year"], _weights(data, weight))
    frames = [
        pd.DataFrame({"year": own["year"], "series": data.region_name(region_code),
                      "value": own[indicator]}),
        pd.DataFrame({"year": province.index, "series": label("province_mean", language),
                      "value": province.to_numpy()}),
    ]
    out = pd.concat(frames, ignore_index=True)
    return out.rename(columns={"year": label("year", language),
                               "series": label("series", language),
                               "value": label("value", language)})


def group_trends(
    data: PanelData,
    indicators: list[str],
    *,
    framework: Framework | None = None,
    weight: str | None = "rural_population",
    language: Language = "zh",
) -> pd.DataFrame:
    """Yearly means of former poverty counties vs other counties, with their ratio (分组趋势).

    Requires the ``poverty_county`` attribute; returns an empty frame without it. Indicator
    ids are replaced by their names when ``framework`` is given.

    Returns
    -------
    DataFrame
        Long table: indicator, year, group mean for former poverty counties, for other
        counties, and the ratio former-poverty / other (the gap closes as it approaches 1 for
        positive indicators).
    """
    if "poverty_county" not in data.counties.columns:
        return pd.DataFrame()
    panel = data.panel
    poor = panel["region_code"].map(data.counties["poverty_county"]).fillna(False).astype(bool)
    weights = _weights(data, weight)
    rows = []
    for ind in indicators:
        for flag, key in ((True, "poverty_counties"), (False, "other_counties")):
            sel = poor == flag
            mean = _weighted_mean_by_year(
                panel.loc[sel, ind], panel.loc[sel, "year"],
                None if weights is None else weights[sel],
            )
            rows.append(pd.DataFrame({"indicator": ind, "year": mean.index,
                                      "group": key, "value": mean.to_numpy()}))
    long = pd.concat(rows, ignore_index=True)
    wide = long.pivot_table(index=["indicator", "year"], columns="group", values="value")
    wide["ratio"] = wide["poverty_counties"] / wide["other_counties"]
    wide = wide.reset_index()
    if framework is not None:
        wide["indicator"] = wide["indicator"].map(_names(framework, indicators, language))
    return wide.rename(columns={k: label(k, language) for k in
                                ("indicator", "year", "poverty_counties", "other_counties")}
                       | {"ratio": label("gap_ratio", language)})


def overview_narrative(
    data: PanelData,
    framework: Framework,
    *,
    region_code: str,
    income_indicator: str = "rural_income_pc",
) -> list[str]:
    """Short findings in Chinese, each a sentence computed from the data (数据概览要点).

    Covers: size and period of the panel, overall missingness and the worst-covered
    indicator, the featured county's income growth against the province, and the income gap
    between former poverty counties and the others at the first and last year.
    """
    panel = data.panel
    cov = indicator_coverage(panel, framework)
    years = data.years
    missing = cov[label("n_missing")].sum() / max(cov[label("n_obs")].sum()
                                                   + cov[label("n_missing")].sum(), 1)
    worst = cov[label("missing_share")].idxmax()
    lines = [
        f"数据覆盖 {panel['region_code'].nunique()} 个县、{years[0]}—{years[-1]} 年，"
        f"共 {len(cov)} 项指标；总体缺失率 {missing:.1%}，缺失最多的指标是"
        f"“{framework[worst].name_zh}”（{cov.at[worst, label('missing_share')]:.1f}%）。"
    ]
    if income_indicator in panel.columns:
        trend = region_trend(data, income_indicator, region_code)
        wide = trend.pivot_table(index=label("year"), columns=label("series"),
                                 values=label("value"))
        name = data.region_name(region_code)
        first, last = wide.index.min(), wide.index.max()
        span = last - first
        if span > 0 and name in wide.columns:
            own = (wide.at[last, name] / wide.at[first, name]) ** (1 / span) - 1
            prov_col = label("province_mean")
            prov = (wide.at[last, prov_col] / wide.at[first, prov_col]) ** (1 / span) - 1
            relation = "快于" if own > prov else "慢于"
            lines.append(
                f"{name}{framework[income_indicator].name_zh}由 {first} 年的 "
                f"{wide.at[first, name]:,.0f} 元增至 {last} 年的 {wide.at[last, name]:,.0f} 元，"
                f"年均增长 {own:.1%}，{relation}全省平均（{prov:.1%}）。"
            )
        groups = group_trends(data, [income_indicator])
        if not groups.empty:
            ratio = groups.set_index(label("year"))[label("gap_ratio")]
            lines.append(
                f"原贫困县与其他县的收入比由 {ratio.index.min()} 年的 {ratio.iloc[0]:.2f} "
                f"变为 {ratio.index.max()} 年的 {ratio.iloc[-1]:.2f}"
                f"（{'差距缩小' if ratio.iloc[-1] > ratio.iloc[0] else '差距未缩小'}）。"
            )
    if data.simulated:
        lines.append("以上结果基于模拟数据，仅用于演示方法，不代表任何真实地区。")
    return lines
