"""Data overview (数据概览): coverage, missingness, descriptive statistics and trends.

The functions behind the ``01_data_overview`` report. Each takes a county-year panel (see
:mod:`linkage.panel`) and an indicator framework and returns a labelled table; the report
notebook only calls, plots and narrates.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linkage.checks import MIN_REPS, SEED
from linkage.errors import InputError
from linkage.escaping import markdown_text
from linkage.frameworks import Framework
from linkage.inequality import gap_trend, income_gap
from linkage.labels import Language, is_zh, label
from linkage.panel import PanelData
from linkage.reporting.document import DASH, Section

__all__ = [
    "KEY",
    "KEY_INDICATORS",
    "TITLE",
    "RegionScope",
    "annual_growth",
    "append_blocks",
    "build",
    "ci_columns",
    "cite",
    "county_status",
    "data_source",
    "default_region",
    "describe_indicators",
    "featured_label",
    "group_trends",
    "indicator_coverage",
    "missingness_by_year",
    "narrative_parts",
    "national_context",
    "overview_narrative",
    "peer_counties",
    "region_scope",
    "region_trend",
    "title",
    "unit_label",
]


def _present(panel: pd.DataFrame, framework: Framework) -> list[str]:
    """Framework indicators that are columns of the panel, in framework order."""
    return [i for i in framework.indicator_ids if i in panel.columns]


def _names(framework: Framework, ids: list[str], language: Language) -> pd.Series:
    table = framework.indicator_table()
    return table.loc[ids, "name_zh" if is_zh(language) else "name_en"]


def _not_applicable(panel: pd.DataFrame, framework: Framework, ids: list[str],
                    counties: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    """County-years × ``ids`` where an indicator does not apply (its framework ``eligible``
    attribute is false for the county: 不适用, not a missing report), and the indicators whose
    rule cannot be evaluated (no county table, or no such attribute in it).

    A county of the panel without a value of the attribute raises
    (:meth:`linkage.panel.PanelData.attribute`): its cells are never guessed either way.
    """
    mask = pd.DataFrame(False, index=panel.index, columns=ids)
    rules = {i: framework[i].eligible for i in ids if i in framework.indicator_ids
             and framework[i].eligible}
    table = counties if counties is not None else pd.DataFrame()
    if "region_code" in table.columns:
        table = table.set_index("region_code", drop=False).rename_axis(None)
    data = PanelData(panel, table, False, ())
    unknown = []
    for indicator, attribute in rules.items():
        if attribute not in table.columns:
            unknown.append(indicator)
            continue
        mask[indicator] = ~data.attribute(attribute).astype(bool).to_numpy()
    return mask, unknown


def _unknown_note(unknown: list[str], framework: Framework, language: Language) -> str:
    if not unknown:
        return ""
    names = ("、" if is_zh(language) else ", ").join(
        framework[i].name_zh if is_zh(language) else framework[i].name_en for i in unknown)
    attributes = ", ".join(dict.fromkeys(framework[i].eligible for i in unknown))
    return (f"县属性表中没有 {attributes}，无法区分“不适用”与缺失：{names}的空值计为缺失。"
            if is_zh(language) else f"The county table lacks {attributes}, so 'not "
            f"applicable' cannot be told from missing: empty cells of {names} count as "
            "missing.")


def indicator_coverage(
    panel: pd.DataFrame, framework: Framework, *, counties: pd.DataFrame | None = None,
    language: Language = "zh"
) -> pd.DataFrame:
    """Coverage of each framework indicator (指标覆盖情况).

    An indicator with an ``eligible`` rule (e.g. 东西部协作 funds: former poverty counties
    only) is *not applicable* (不适用) in the other counties: those county-years are counted
    apart, not as missing, and the missing share is taken over the county-years where the
    indicator applies. Without ``counties`` (or without the rule's attribute in it) the two
    cannot be told apart: the not-applicable count is empty and ``attrs["note"]`` says so.

    Parameters
    ----------
    panel : DataFrame
        County-year panel with ``region_code``, ``year`` and indicator columns.
    framework : Framework
        Indicator framework; indicators absent from the panel are reported with 0 observations.
    counties : DataFrame, optional
        County attributes (``PanelData.counties``), for the eligibility rules.
    language : {"zh", "en"}

    Returns
    -------
    DataFrame
        Indexed by indicator id: name, unit, dimension, observations, not-applicable
        county-years, missing count, missing share (% of the county-years where it applies),
        counties with any value, first and last year with data.
    """
    table = framework.indicator_table()
    ids = list(table.index)
    values = panel.reindex(columns=ids)
    not_applicable, unknown = _not_applicable(panel, framework, ids, counties)
    observed = values.notna()
    missing = ~observed & ~not_applicable
    years = panel["year"].to_numpy()
    obs_years = observed.mul(years, axis=0).where(observed)
    n_na = not_applicable.sum().astype("Int64")
    n_na[unknown] = pd.NA
    out = pd.DataFrame(
        {
            label("indicator", language): _names(framework, ids, language),
            label("unit", language): table["unit"],
            label("dimension", language): table["dimension"].map(
                framework.dimensions()["name_zh" if is_zh(language) else "name_en"]),
            label("n_obs", language): observed.sum(),
            label("n_not_applicable", language): n_na,
            label("n_missing", language): missing.sum(),
            label("missing_share", language): (100 * missing.sum()
                                               / (~not_applicable).sum()).round(2),
            label("n_regions", language): observed.groupby(panel["region_code"]).any().sum(),
            label("first_year", language): obs_years.min().astype("Int64"),
            label("last_year", language): obs_years.max().astype("Int64"),
        }
    )
    out.index.name = label("indicator_id", language)
    out.attrs["note"] = _unknown_note(unknown, framework, language)
    return out


def missingness_by_year(
    panel: pd.DataFrame, framework: Framework, *, counties: pd.DataFrame | None = None,
    language: Language = "zh"
) -> pd.DataFrame:
    """Share of counties missing each indicator, by year (%) — indicator × year (缺失率矩阵).

    The share is over the counties where the indicator applies (see
    :func:`indicator_coverage`: not-applicable cells are not missing; ``counties`` is needed
    to tell them apart, else ``attrs["note"]`` says they count as missing).
    """
    ids = _present(panel, framework)
    not_applicable, unknown = _not_applicable(panel, framework, ids, counties)
    missing = panel[ids].isna() & ~not_applicable
    share = (missing.groupby(panel["year"]).sum()
             / (~not_applicable).groupby(panel["year"]).sum()).mul(100).T
    share.index = _names(framework, ids, language).to_numpy()
    share.index.name = label("indicator", language)
    share.columns.name = label("year", language)
    share.attrs["note"] = _unknown_note(unknown, framework, language)
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


def _weights(data: PanelData, weights: str | None) -> pd.Series | None:
    """County weights per panel row; a named column that is absent raises (never unweighted
    by accident — pass ``weights=None`` for simple means)."""
    return None if weights is None else data.attribute(weights).astype(float)


def _weighted_mean_by_year(
    values: pd.Series, years: pd.Series, weights: pd.Series | None
) -> pd.Series:
    ok = values.notna()
    if weights is None:
        return values[ok].groupby(years[ok]).mean()
    w = weights.where(ok, 0.0)
    return (values.fillna(0) * w).groupby(years).sum() / w.groupby(years).sum()


def annual_growth(first: float, last: float, years: int) -> float:
    """Average annual growth rate (年均增长率) (last/first)^(1/years) − 1."""
    return (last / first) ** (1 / years) - 1


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
        "income_poverty_area": label("poverty_area_income_yuan", language),
        "income_national_rural": label("national_rural_yuan", language),
        "ratio": label("ratio", language),
        "value_type": label("value_type", language),
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


def _flag(data: PanelData, code: str, column: str) -> bool | None:
    """A county's boolean attribute, None when the table does not say."""
    if column not in data.counties.columns or code not in data.counties.index:
        return None
    value = data.counties.at[code, column]
    return None if pd.isna(value) else bool(value)


def county_status(data: PanelData, code: str, *, language: Language = "zh") -> str:
    """What a county is, in policy terms (县的类型): 原国家贫困县 and/or 国家乡村振兴重点帮扶县,
    or 非原贫困县, from ``poverty_county`` and ``key_assistance`` of the county table;
    "县属性未提供" when the table does not say. Every comparison of a featured county names it:
    a former poverty or key-assistance county starts lower and receives targeted support, so
    its faster growth is not a like-for-like comparison with the province."""
    poor, key = _flag(data, code, "poverty_county"), _flag(data, code, "key_assistance")
    parts = [label(k, language) for k, on in (("status_poverty_county", poor),
                                              ("status_key_assistance", key)) if on]
    if parts:
        return ("、" if is_zh(language) else ", ").join(parts)
    return label("status_other" if poor is False else "status_unknown", language)


def featured_label(data: PanelData, code: str, *, language: Language = "zh",
                   markdown: bool = False) -> str:
    """County name with its status, e.g. ``"甲县（原国家贫困县、国家乡村振兴重点帮扶县）"``;
    with ``markdown`` the name (a data value) is escaped for Markdown text
    (:func:`linkage.escaping.markdown_text`), as the narratives need."""
    status = county_status(data, code, language=language)
    name = data.region_name(code)
    name = markdown_text(name) if markdown else name
    return f"{name}（{status}）" if is_zh(language) else f"{name} ({status})"


def peer_counties(data: PanelData, code: str) -> tuple[str | None, pd.Index]:
    """The featured county's peers (同类县): the other key assistance counties when it is one,
    else the other counties with the same ``poverty_county`` flag. Returns the attribute used
    and the peers' codes (empty, attribute None, when the county table does not say)."""
    for column in ("key_assistance", "poverty_county"):
        flag = _flag(data, code, column)
        if flag is None or (column == "key_assistance" and not flag):
            continue
        same = data.counties[column].fillna(not flag).astype(bool) == flag
        return column, data.counties.index[same].drop(code)
    return None, pd.Index([], dtype=str)


def region_trend(
    data: PanelData,
    indicator: str,
    region_code: str,
    *,
    weights: str | None = "rural_population",
    peers: bool = True,
    language: Language = "zh",
) -> pd.DataFrame:
    """One county's indicator over time beside the province and its peers (本县与全省、同类县对比).

    The county is labelled with its status (:func:`featured_label`). The province average is
    the mean over counties weighted by ``weights`` (a column of the county table, default rural
    population in 万人 — appropriate for per-capita and rate indicators defined over the rural
    population; a named column that is absent raises, ``weights=None`` gives simple means).
    With ``peers`` the same mean over the county's peers (:func:`peer_counties`, the county
    itself left out) is added, the like-for-like comparison for a former poverty or
    key-assistance county.

    Returns
    -------
    DataFrame
        Long table with columns year, series (county / province average / peer average),
        value.
    """
    panel = data.panel
    if region_code not in set(panel["region_code"]):
        raise InputError(
            f"面板中没有区划代码 {region_code} / region code not in the panel",
            column="region_code",
            hint="检查 region_code 参数（6 位字符串）/ check the region_code parameter",
        )
    w = _weights(data, weights)
    own = panel.loc[panel["region_code"] == region_code, ["year", indicator]]
    frames = [pd.DataFrame({"year": own["year"],
                            "series": featured_label(data, region_code, language=language),
                            "value": own[indicator]})]
    means = {label("province_mean", language): pd.Series(True, index=panel.index)}
    column, members = peer_counties(data, region_code) if peers else (None, pd.Index([]))
    if column is not None and len(members):
        status = label("status_key_assistance" if column == "key_assistance" else
                       "status_poverty_county" if _flag(data, region_code, column)
                       else "status_other", language)
        means[f"其他{status}平均" if is_zh(language) else
              f"{label('peer_mean', language)} [{status}]"] = panel["region_code"].isin(
            members)
    for name, rows in means.items():
        mean = _weighted_mean_by_year(panel.loc[rows, indicator], panel.loc[rows, "year"],
                                      None if w is None else w[rows])
        frames.append(pd.DataFrame({"year": mean.index, "series": name,
                                    "value": mean.to_numpy()}))
    out = pd.concat(frames, ignore_index=True)
    return out.rename(columns={"year": label("year", language),
                               "series": label("series", language),
                               "value": label("value", language)})


def ci_columns(base: str, level: float, language: Language = "zh") -> tuple[str, str]:
    """Headers of the interval around column ``base``: ``"原贫困县 95%CI下限"``, ..."""
    pct = f"{100 * level:g}%"
    return (f"{base} {pct}{label('ci_low', language)}", f"{base} {pct}{label('ci_high', language)}")


def group_trends(
    data: PanelData,
    indicators: list[str],
    *,
    framework: Framework | None = None,
    weights: str | None = "rural_population",
    language: Language = "zh",
    ci: bool = False,
    reps: int = MIN_REPS,
    seed: int | None = SEED,
    level: float = 0.95,
) -> pd.DataFrame:
    """Yearly means of former poverty counties vs other counties, with their ratio (分组趋势).

    :func:`linkage.inequality.income_gap` per indicator: means weighted by ``weights`` (a
    county-table column, default rural population; absent → error, None → simple means), the
    ratio former-poverty / other, and the number of counties with a value in each group and
    year (county-years without a value are left out and so counted). With ``ci`` each mean and
    the ratio get a percentile bootstrap interval, and so does the change of the ratio since
    the indicator's first year (``reps`` draws, default ``checks.MIN_REPS``; ``seed``;
    ``level``): **counties** are redrawn within their group, each bringing all its years, so
    the change between two years has its own interval — the one by which the reports say a
    gap narrowed or widened (:func:`linkage.inequality.change_sign`). Requires the
    ``poverty_county`` attribute; returns an empty frame without it (the report then says the
    section is skipped). Indicator ids are replaced by their names when ``framework`` is
    given.

    Returns
    -------
    DataFrame
        Long table: indicator, year, mean of former poverty counties, of other counties, the
        ratio (the gap closes as it approaches 1), the two county counts, and with ``ci`` the
        intervals and the ratio's change since the first year with its interval.
    """
    if "poverty_county" not in data.counties.columns:
        return pd.DataFrame()
    poor = data.attribute("poverty_county").astype(bool)
    w = _weights(data, weights)
    poor_name, other_name, ratio_name, change_name = (
        label(k, language) for k in ("poverty_counties", "other_counties", "gap_ratio",
                                     "ratio_change"))
    parts = []
    for ind in indicators:
        frame = pd.DataFrame({"year": data.panel["year"], "poor": poor,
                              "county": data.panel["region_code"], "value": data.panel[ind],
                              "w": w}).dropna(subset=["value"])
        both = frame.groupby("year")["poor"].nunique()
        base = int(both.index[both == 2].min()) if ci and (both == 2).any() else None
        gap = income_gap(frame, value="value", group="poor", weights=None if w is None else "w",
                         reference=False, missing="raise", ci=ci, cluster="county",
                         strata="poor", base=base, reps=reps, seed=seed, level=level)
        p, o = gap.xs(True, level="poor"), gap.xs(False, level="poor")
        part = pd.DataFrame({"indicator": ind, poor_name: p["mean"], other_name: o["mean"],
                             ratio_name: p["ratio"],
                             label("n_poverty_counties", language): p["n"],
                             label("n_other_counties", language): o["n"]})
        if ci:
            for name, rows, column in ((poor_name, p, "mean"), (other_name, o, "mean"),
                                       (ratio_name, p, "ratio")):
                low, high = ci_columns(name, level, language)
                part[low], part[high] = rows[f"{column}_ci_low"], rows[f"{column}_ci_high"]
            part[change_name] = p["ratio_change"] if base is not None else np.nan
            low, high = ci_columns(change_name, level, language)
            part[low] = p["ratio_change_ci_low"] if base is not None else np.nan
            part[high] = p["ratio_change_ci_high"] if base is not None else np.nan
        parts.append(part.rename_axis("year").reset_index())
    wide = pd.concat(parts, ignore_index=True)
    if framework is not None:
        wide["indicator"] = wide["indicator"].map(_names(framework, indicators, language))
    wide = wide[["indicator", *[c for c in wide.columns if c != "indicator"]]]
    if ci:
        wide.attrs |= {"reps": reps, "seed": seed, "level": level, "cluster": "region_code"}
    return wide.rename(columns={"indicator": label("indicator", language),
                                "year": label("year", language)})


def overview_narrative(
    data: PanelData,
    framework: Framework,
    *,
    region_code: str,
    income_indicator: str = "rural_income_pc",
    weights: str | None = "rural_population",
    language: Language = "zh",
    reps: int = MIN_REPS,
    seed: int | None = SEED,
    level: float = 0.95,
    markdown: bool = True,
) -> list[str]:
    """Short findings, each a sentence computed from the data (数据概览要点), in ``language``.

    Covers: size and period of the panel, overall missingness and the worst-covered
    indicator; the featured county's income growth against the province **and its peers**,
    naming its status (:func:`county_status`: a former poverty or key-assistance county
    starts lower and receives targeted support); and the income gap between former poverty
    counties and the others at the first and last year with the interval of its change
    (:func:`group_trends` with ``ci``: counties resampled jointly across years, ``reps``,
    ``seed``, ``level``), classified by :func:`linkage.inequality.gap_trend` — "narrowed"
    only when the interval of the change excludes 0. Data values (names) are escaped for
    Markdown unless ``markdown=False`` (plain text for report sections).
    """
    return [text for _, text in narrative_parts(
        data, framework, region_code=region_code, income_indicator=income_indicator,
        weights=weights, language=language, reps=reps, seed=seed, level=level,
        markdown=markdown)]


def narrative_parts(
    data: PanelData,
    framework: Framework,
    *,
    region_code: str,
    income_indicator: str = "rural_income_pc",
    weights: str | None = "rural_population",
    language: Language = "zh",
    reps: int = MIN_REPS,
    seed: int | None = SEED,
    level: float = 0.95,
    markdown: bool = True,
    groups: pd.DataFrame | None = None,
) -> list[tuple[str, str]]:
    """The sentences of :func:`overview_narrative`, each tagged with what it is about
    (``coverage``, ``featured``, ``gap``, ``simulated``), so a report section can rank them;
    with ``region_code=""`` the featured-county sentence is left out. ``groups`` is
    :func:`group_trends` (``ci=True``, with ``framework``) when already computed."""
    zh = is_zh(language)
    md = markdown_text if markdown else str
    panel = data.panel
    cov = indicator_coverage(panel, framework, counties=data.counties)
    years = data.years
    missing = cov[label("n_missing")].sum() / max(cov[label("n_obs")].sum()
                                                   + cov[label("n_missing")].sum(), 1)
    worst = cov[label("missing_share")].idxmax()
    worst_name = md(framework[worst].name_zh if zh else framework[worst].name_en)
    worst_share = cov.at[worst, label("missing_share")]
    n_counties = panel["region_code"].nunique()
    lines = [("coverage",
        f"数据覆盖 {n_counties} 个县、{years[0]}—{years[-1]} 年，共 {len(cov)} 项指标；总体缺失率 "
        f"{missing:.1%}，缺失最多的指标是“{worst_name}”（{worst_share:.1f}%）。" if zh else
        f"The data cover {n_counties} counties, {years[0]}–{years[-1]}, {len(cov)} indicators; "
        f"{missing:.1%} of values are missing, most for “{worst_name}” ({worst_share:.1f}%).")
    ]
    if income_indicator in panel.columns:
        if region_code:
            lines += [("featured", t) for t in _featured_sentence(
                data, framework, region_code, income_indicator, weights, language, md)]
        lines += [("gap", t) for t in _group_gap_sentence(
            data, framework, income_indicator, weights, language, md, reps=reps, seed=seed,
            level=level, groups=groups)]
    if data.simulated:
        lines.append(("simulated", "以上结果基于模拟数据，仅用于演示方法，不代表任何真实地区。"
                      if zh else "These results use simulated data, to demonstrate the methods "
                      "only; they describe no real area."))
    return lines


def _featured_sentence(data: PanelData, framework: Framework, code: str, indicator: str,
                       weights: str | None, language: Language, md: Any = markdown_text,
                       ) -> list[str]:
    """The featured county against the province and its peers, naming its status."""
    zh = is_zh(language)
    trend = region_trend(data, indicator, code, weights=weights, language=language)
    wide = trend.pivot_table(index=label("year", language), columns=label("series", language),
                             values=label("value", language)).dropna()
    name = featured_label(data, code, language=language)
    if len(wide) < 2 or name not in wide.columns:
        return []
    first, last = wide.index.min(), wide.index.max()
    growth = {c: annual_growth(wide.at[first, c], wide.at[last, c], last - first)
              for c in wide.columns}
    own = growth.pop(name)
    prov_name = label("province_mean", language)
    prov = growth.pop(prov_name)
    ind = framework[indicator]
    values = wide.at[first, name], wide.at[last, name]
    name = featured_label(data, code, language=language, markdown=md is markdown_text)
    if zh:
        text = (f"{name}{md(ind.name_zh)}由 {first} 年的 {values[0]:,.0f} "
                f"{ind.unit}增至 {last} 年的 {values[1]:,.0f} {ind.unit}，年均增长 {own:.1%}，"
                f"{_compare(own, prov, prov_name, language)}")
    else:
        text = (f"{md(ind.name_en)} in {name} rose from {values[0]:,.0f} "
                f"in {first} to {values[1]:,.0f} in {last}, {own:.1%} a year, "
                f"{_compare(own, prov, prov_name, language)}")
    for peer_name, peer in growth.items():  # at most one: the peer average
        text += (f"；{_compare(own, peer, peer_name, language)}，同类县才是可比的参照" if zh else
                 f"; {_compare(own, peer, peer_name, language)}, the like-for-like comparison")
    return [text + ("。" if zh else ".")]


def _compare(own: float, other: float, name: str, language: Language) -> str:
    """"快于全省平均（5.1%）" — growth rates equal to 0.1 percentage point are "持平"."""
    if round(own, 3) == round(other, 3):
        return (f"与{name}持平（{other:.1%}）" if is_zh(language)
                else f"level with the {_lower_first(name)} ({other:.1%})")
    if is_zh(language):
        return f"{'快于' if own > other else '慢于'}{name}（{other:.1%}）"
    faster = "faster than" if own > other else "slower than"
    return f"{faster} the {_lower_first(name)} ({other:.1%})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _group_gap_sentence(data: PanelData, framework: Framework, indicator: str,
                        weights: str | None, language: Language, md: Any = markdown_text, *,
                        reps: int, seed: int | None, level: float,
                        groups: pd.DataFrame | None = None) -> list[str]:
    """The ratio former poverty / other counties at the first and last year, the interval of
    its change, classified (the change is named only when its interval excludes 0).
    ``groups``: :func:`group_trends` with ``ci`` and ``framework`` already computed (same
    ``reps``, ``seed``, ``level``, ``language``), e.g. once for a batch."""
    if groups is None:
        groups = group_trends(data, [indicator], weights=weights, language=language, ci=True,
                              reps=reps, seed=seed, level=level)
    elif not groups.empty:
        name = _names(framework, [indicator], language).iloc[0]
        groups = groups[groups[label("indicator", language)] == name]
    if groups.empty:
        return []
    ratio_name, change_name = label("gap_ratio", language), label("ratio_change", language)
    low, high = ci_columns(change_name, level, language)
    table = groups.set_index(label("year", language)).dropna(subset=[ratio_name])
    if len(table) < 2:
        return []
    start, end = table.iloc[0], table.iloc[-1]
    trend = gap_trend(start[ratio_name], end[ratio_name], ci_low=end[low], ci_high=end[high],
                      direction=framework[indicator].direction)
    verdict = label(f"gap_{trend[0]}", language)
    interval = f"{end[change_name]:+.3f}（{100 * level:g}% CI {end[low]:+.3f}–{end[high]:+.3f}）"
    if is_zh(language):
        return [f"原贫困县与其他县的{md(framework[indicator].name_zh)}之比由 "
                f"{table.index[0]} 年的 {start[ratio_name]:.2f} 变为 {table.index[-1]} 年的 "
                f"{end[ratio_name]:.2f}，变化 {interval}，原贫困县{verdict}。"]
    interval = interval.replace("（", " (").replace("）", ")")
    return [f"The ratio of former poverty to other counties in "
            f"{md(_lower_first(framework[indicator].name_en))} "
            f"moved from {start[ratio_name]:.2f} in {table.index[0]} to {end[ratio_name]:.2f} "
            f"in {table.index[-1]}, a change of {interval}: former poverty counties {verdict}."]


# --- the report section ------------------------------------------------------------------------

#: Section key (document model) and title.
KEY = "overview"
TITLE: dict[str, str] = {"zh": "数据概览", "en": "Data overview"}

#: Indicators whose trends the section shows by default (the first is featured in the body).
KEY_INDICATORS: tuple[str, ...] = ("rural_income_pc", "transfer_income_share", "tap_water_rate",
                                   "engel_coefficient")

#: Original releases of the national context series (国家统计局 / 国新办 / 农业农村部), by year
#: of the poverty-area figure; the reprint pages the figures were read from are in the
#: reference table's ``source`` column (shown only as appendix notes).
CONTEXT_RELEASES: dict[int, tuple[str, str]] = {
    2013: ("国务院新闻办公室《人类减贫的中国实践》白皮书（2021 年 4 月）",
           "SCIO white paper Poverty Alleviation: China's Experience and Contribution (Apr 2021)"),
    2016: ("国家统计局全国农村贫困监测调查（2017 年发布）",
           "NBS national rural poverty monitoring survey (2017 release)"),
    2017: ("国家统计局全国农村贫困监测调查（2018 年 2 月发布）",
           "NBS national rural poverty monitoring survey (Feb 2018 release)"),
    2018: ("国家统计局全国农村贫困监测调查（2019 年 2 月发布）",
           "NBS national rural poverty monitoring survey (Feb 2019 release)"),
    2019: ("国家统计局全国农村贫困监测调查（2020 年 1 月发布）",
           "NBS national rural poverty monitoring survey (Jan 2020 release)"),
    2020: ("国务院新闻办公室《人类减贫的中国实践》白皮书（2021 年 4 月）",
           "SCIO white paper Poverty Alleviation: China's Experience and Contribution (Apr 2021)"),
    2021: ("国家统计局报告（2022 年 10 月 11 日）", "NBS report (11 Oct 2022)"),
    2022: ("国务院新闻办公室新闻发布会（2023 年 2 月 14 日）", "SCIO press conference "
                                             "(14 Feb 2023)"),
    2023: ("国务院新闻办公室新闻发布会（2024 年 7 月 24 日）", "SCIO press conference "
                                             "(24 Jul 2024)"),
    2024: ("农业农村部（2025 年 10 月）", "Ministry of Agriculture and Rural Affairs (Oct 2025)"),
}


#: Framework units in English reports (the framework gives them in Chinese).
UNITS_EN: dict[str, str] = {"元": "yuan", "元/人": "yuan per person", "万元/人": "10k yuan "
                                                                           "per person",
                            "万元/村": "10k yuan per village", "个/万人": "per 10k persons",
                            "个/村": "per village", "人/村": "persons per village",
                            "人次/人": "visits per person", "千克/人": "kg per person",
                            "千克/公顷": "kg per hectare", "天": "days", "比值": "ratio"}


def unit_label(unit: str, language: Language = "zh") -> str:
    """An indicator's unit as shown in ``language`` (元 → yuan in English reports)."""
    return unit if is_zh(language) else UNITS_EN.get(unit, unit)


def title(language: Language = "zh") -> str:
    """The section title in ``language`` (数据概览 / Data overview)."""
    return TITLE["zh" if is_zh(language) else "en"]


@dataclass(frozen=True)
class RegionScope:
    """The region a report is for (报告地区): the province, one county or one prefecture.

    ``kind`` is ``"province"``, ``"county"`` or ``"prefecture"``; ``codes`` the counties it
    covers (every county of the data for the province); ``name`` its name (全省 / the province
    when the data do not name it).
    """

    kind: str
    code: str
    name: str
    codes: tuple[str, ...]


def region_scope(data: PanelData, region_code: str = "", *, language: Language = "zh"
                 ) -> RegionScope:
    """What ``region_code`` is in ``data`` (确定报告范围): ``""`` (or the province's own code
    ``xx0000``) the province, a county of the panel, or a prefecture (a ``prefecture_code`` of
    the county table) with its counties. The one rule of every section.

    Raises
    ------
    InputError
        When the code is neither a county of the panel nor a prefecture of the county table
        (named as the parameter it is, not as a data row), or the panel is not a county panel
        (the region report's chapters compare counties; a province panel goes to
        :mod:`linkage.convergence` / :mod:`linkage.inequality` and the real-data chapter).
    """
    data.require_level("county", what="地区报告（县、地级市与全省的比较）")
    codes = tuple(sorted(map(str, data.panel["region_code"].unique())))
    code = str(region_code or "").strip()
    if not code or (len(code) == 6 and code.endswith("0000")
                    and all(c.startswith(code[:2]) for c in codes)):
        return RegionScope("province", "", "全省" if is_zh(language) else "the province", codes)
    if code in codes:
        return RegionScope("county", code, data.region_name(code), (code,))
    table = data.counties
    if "prefecture_code" in table.columns:
        members = table.index[table["prefecture_code"].astype(str) == code]
        members = tuple(sorted(c for c in members.astype(str) if c in set(codes)))
        if members:
            name = (str(table.loc[members[0], "prefecture_name"])
                    if "prefecture_name" in table.columns else code)
            return RegionScope("prefecture", code, name, members)
    raise InputError(f"地区代码 region_code={code} 既不是面板中的县，也不是县属性表中的地市 / "
                     f"region code {code} is neither a county of the panel nor a prefecture of "
                     "the county table",
                     hint="留空为全省；县用 6 位县级代码；地市用县属性表中的 prefecture_code。")


_PANEL_NAMES: dict[str, tuple[str, str]] = {"county": ("县域面板", "county panel"),
                                             "prefecture": ("地市面板", "prefecture panel"),
                                             "province": ("省级面板", "province panel")}


def data_source(data: PanelData, language: Language = "zh", *, what: str = "") -> str:
    """The 资料来源 line of a table or figure made from ``data`` — the one rule every section
    uses.

    The bundled simulated sample says so (and how it is calibrated); user data are named by
    file name (never a local path) and marked 模拟数据 when their metadata say simulated. The
    panel's level and years are stated; ``what`` adds a clause such as "作者计算".

    Examples
    --------
    >>> from linkage.panel import load_panel
    >>> line = data_source(load_panel(), "en", what="author's calculations")
    >>> line.startswith("Source: linkage bundled simulated data"), line.endswith("calculations.")
    (True, True)
    >>> "county panel 2015–2025" in line
    True
    """
    from linkage.paths import sample_dir

    zh = is_zh(language)
    kind = _PANEL_NAMES.get(data.level, _PANEL_NAMES["county"])[0 if zh else 1]
    years = (f"{min(data.years)}—{max(data.years)} 年" if zh else
             f"{min(data.years)}–{max(data.years)}")
    bundled = not data.sources or all(Path(p).parent.resolve() == sample_dir().resolve()
                                      for p in data.sources)
    if bundled and data.simulated:
        text = (f"资料来源：linkage 内置模拟数据（模拟数据，非真实统计），{kind} {years}，"
                "按国家统计局公布的全国与贫困地区农村居民收入校准" if zh else
                f"Source: linkage bundled simulated data (simulated, not real statistics), "
                f"{kind} {years}, calibrated to NBS national and poverty-area rural incomes")
    else:
        files = ("、" if zh else ", ").join(Path(p).name for p in data.sources if p) or (
            "用户提供的数据" if zh else "user's data")
        flag = ("；模拟数据，非真实统计" if zh else "; simulated, not real statistics"
                ) if data.simulated else ""
        text = (f"资料来源：用户提供的{kind}（{files}{flag}），{years}" if zh else
                f"Source: {kind} supplied by the user ({files}{flag}), {years}")
    if what:
        text += f"；{what}" if zh else f"; {what}"
    return text + ("。" if zh else ".")


def cite(text: str, *refs: str, language: Language = "zh") -> str:
    """A finding with references to its tables/figures before the final full stop, e.g.
    ``cite("…。", "{table:key}")`` → ``"…（见{table:key}）。"``."""
    if not refs:
        return text
    zh = is_zh(language)
    body = text.rstrip("。.")
    end = text[len(body):] or ("。" if zh else ".")
    joined = ("、" if zh else ", ").join(refs)
    return f"{body}（见{joined}）{end}" if zh else f"{body} (see {joined}){end}"


def _rank(values: pd.Series, code: str, direction: int) -> int | None:
    """Rank of ``code`` among ``values`` (1 = best given the indicator's direction)."""
    values = values.dropna()
    if code not in values.index:
        return None
    better = values > values[code] if direction > 0 else values < values[code]
    return int(better.sum()) + 1


def _means_by_year(data: PanelData, indicator: str, codes: pd.Index | None,
                   weights: str | None) -> pd.Series:
    panel = data.panel
    rows = pd.Series(True, index=panel.index) if codes is None else panel["region_code"].isin(
        codes)
    w = _weights(data, weights)
    return _weighted_mean_by_year(panel.loc[rows, indicator], panel.loc[rows, "year"],
                                  None if w is None else w[rows])


def _ind_name(framework: Framework, indicator: str, language: Language) -> str:
    ind = framework[indicator]
    return ind.name_zh if is_zh(language) else ind.name_en


def _with_unit(name: str, unit: str, language: Language) -> str:
    if not unit:
        return name
    return f"{name}（{unit}）" if is_zh(language) else f"{name} ({unit})"


def _key_table(data: PanelData, framework: Framework, scope: RegionScope,
               indicators: list[str], weights: str | None, language: Language
               ) -> tuple[pd.DataFrame, dict[str, str]]:
    """The region's key indicators in the last year beside the province (and peers / its
    counties), with ranks and growth; returns the table and its column kinds."""
    zh = is_zh(language)
    panel = data.panel
    first, last = data.years[0], data.years[-1]
    span = last - first
    n = panel["region_code"].nunique()
    ind_h, unit_h = ("指标", "单位") if zh else ("Indicator", "Unit")
    prov_h = f"全省平均（{last} 年）" if zh else f"Province average ({last})"
    growth_h = "年均增长率（%）" if zh else "Average annual growth (%)"
    rows: list[dict[str, object]] = []
    kinds: dict[str, str] = {ind_h: "text", unit_h: "text"}
    latest = panel[panel["year"] == last].set_index("region_code")
    if scope.kind == "county":
        own_h = f"{scope.name}（{last} 年）" if zh else f"{scope.name} ({last})"
        column, peers = peer_counties(data, scope.code)
        peer_h = f"同类县平均（{last} 年）" if zh else f"Peer average ({last})"
        rank_h = f"排名（位/共 {n} 县）" if zh else f"Rank (of {n} counties)"
        for ind in indicators:
            own = panel.loc[panel["region_code"] == scope.code].set_index("year")[ind]
            ok = own.dropna()
            growth = (100 * annual_growth(ok.iloc[0], ok.iloc[-1], ok.index[-1] - ok.index[0])
                      if len(ok) > 1 and ok.iloc[0] > 0 and ok.index[-1] > ok.index[0]
                      else np.nan)
            row = {ind_h: _ind_name(framework, ind, language),
                   unit_h: unit_label(framework[ind].unit, language),
                   own_h: own.get(last, np.nan),
                   prov_h: _means_by_year(data, ind, None, weights).get(last, np.nan)}
            if column is not None and len(peers):
                row[peer_h] = _means_by_year(data, ind, peers, weights).get(last, np.nan)
            row[rank_h] = _rank(latest[ind], scope.code, framework[ind].direction)
            row[growth_h] = growth
            rows.append(row)
        kinds |= {rank_h: "int", growth_h: "percent", own_h: "auto", prov_h: "auto",
                  peer_h: "auto"}
    elif scope.kind == "prefecture":
        own_h = f"{scope.name}平均（{last} 年）" if zh else f"{scope.name} average ({last})"
        best_h = "市内最好的县" if zh else "Best county in the prefecture"
        worst_h = "市内最差的县" if zh else "Weakest county in the prefecture"
        members = pd.Index(scope.codes)
        for ind in indicators:
            part = latest.loc[latest.index.isin(members), ind].dropna()
            order = part.sort_values(ascending=framework[ind].direction < 0)
            rows.append({ind_h: _ind_name(framework, ind, language),
                         unit_h: unit_label(framework[ind].unit, language),
                         own_h: _means_by_year(data, ind, members, weights).get(last, np.nan),
                         prov_h: _means_by_year(data, ind, None, weights).get(last, np.nan),
                         best_h: data.region_name(order.index[0]) if len(order) else None,
                         worst_h: data.region_name(order.index[-1]) if len(order) else None})
        kinds |= {own_h: "auto", prov_h: "auto", best_h: "text", worst_h: "text"}
    else:
        first_h = f"全省平均（{first} 年）" if zh else f"Province average ({first})"
        poor_h = f"原贫困县平均（{last} 年）" if zh else f"Former poverty counties ({last})"
        other_h = f"其他县平均（{last} 年）" if zh else f"Other counties ({last})"
        poor = (data.counties.index[data.counties["poverty_county"].fillna(False).astype(bool)]
                if "poverty_county" in data.counties.columns else None)
        for ind in indicators:
            means = _means_by_year(data, ind, None, weights)
            row = {ind_h: _ind_name(framework, ind, language),
                   unit_h: unit_label(framework[ind].unit, language),
                   first_h: means.get(first, np.nan), prov_h: means.get(last, np.nan),
                   growth_h: (100 * annual_growth(means[first], means[last], span)
                              if span and first in means and last in means and means[first] > 0
                              else np.nan)}
            if poor is not None:
                codes = pd.Index(panel["region_code"].unique())
                row[poor_h] = _means_by_year(data, ind, codes[codes.isin(poor)],
                                             weights).get(last, np.nan)
                row[other_h] = _means_by_year(data, ind, codes[~codes.isin(poor)],
                                              weights).get(last, np.nan)
            rows.append(row)
        kinds |= {first_h: "auto", prov_h: "auto", growth_h: "percent", poor_h: "auto",
                  other_h: "auto"}
    table = pd.DataFrame(rows)
    units = table[unit_h]
    for column in table.columns:  # values in the unit of their row: yuan whole, ‰ at 2 places
        if kinds.get(column) == "auto":
            table[column] = [DASH if pd.isna(v) else _format_value(float(v), u)
                             for v, u in zip(table[column], units, strict=True)]
            kinds[column] = "text"
    return table, kinds


def _format_value(value: float, unit: str) -> str:
    places = 0 if unit in ("元", "元/人", "yuan", "yuan per person") or abs(value) >= 1000 else (
        2 if unit == "‰" or abs(value) < 1 else 1)
    return f"{value:,.{places}f}"


def _trend_frame(data: PanelData, framework: Framework, scope: RegionScope, indicator: str,
                 weights: str | None, language: Language) -> tuple[pd.DataFrame, str | None]:
    """Long year × series table for the trend figure of ``indicator`` and the series to
    highlight: the county against the province and peers; the prefecture against the
    province; the province's former poverty counties against the others."""
    zh = is_zh(language)
    if scope.kind == "county":
        trend = region_trend(data, indicator, scope.code, weights=weights, language=language)
        return trend, featured_label(data, scope.code, language=language)
    series = {label("province_mean", language): _means_by_year(data, indicator, None, weights)}
    highlight = None
    if scope.kind == "prefecture":
        highlight = f"{scope.name}平均" if zh else f"{scope.name} average"
        series[highlight] = _means_by_year(data, indicator, pd.Index(scope.codes), weights)
    elif "poverty_county" in data.counties.columns:
        flag = data.counties["poverty_county"].fillna(False).astype(bool)
        codes = pd.Index(data.panel["region_code"].unique())
        poor = codes[codes.isin(flag.index[flag])]
        series[label("poverty_counties", language)] = _means_by_year(data, indicator, poor,
                                                                     weights)
        series[label("other_counties", language)] = _means_by_year(
            data, indicator, codes.difference(poor), weights)
    frames = [pd.DataFrame({label("year", language): s.index, label("series", language): name,
                            label("value", language): s.to_numpy()})
              for name, s in series.items()]
    return pd.concat(frames, ignore_index=True), highlight


def _gap_table(groups: pd.DataFrame, framework: Framework, indicators: list[str],
               level: float, language: Language) -> pd.DataFrame:
    """First and last ratio former poverty / other counties per indicator, the change with
    its interval and the verdict (:func:`linkage.inequality.gap_trend`)."""
    zh = is_zh(language)
    ind_col, year_col = label("indicator", language), label("year", language)
    ratio, change = label("gap_ratio", language), label("ratio_change", language)
    low, high = ci_columns(change, level, language)
    rows = []
    for ind in indicators:
        name = _ind_name(framework, ind, language)
        part = groups[groups[ind_col] == name].dropna(subset=[ratio]).sort_values(year_col)
        if len(part) < 2:
            continue
        start, end = part.iloc[0], part.iloc[-1]
        verdict = gap_trend(start[ratio], end[ratio], ci_low=end[low], ci_high=end[high],
                            direction=framework[ind].direction)[0]
        pct = f"{100 * level:g}%"
        rows.append({
            ind_col: name,
            (f"{int(start[year_col])} 年比值" if zh else f"Ratio {int(start[year_col])}"):
                start[ratio],
            (f"{int(end[year_col])} 年比值" if zh else f"Ratio {int(end[year_col])}"):
                end[ratio],
            "比值变化" if zh else "Change of the ratio": end[change],
            (f"变化的 {pct} 区间" if zh else f"{pct} interval of the change"):
                f"{end[low]:+.3f} ~ {end[high]:+.3f}",
            "判断" if zh else "Verdict": label(f"gap_{verdict}", language),
        })
    out = pd.DataFrame(rows)
    # the first-year header names its year; rows may start in different years
    return out


def build(*, panel: str = "", counties: str = "", households: str = "", framework: str = "",
          region_code: str = "", start_year: int = 2015, end_year: int = 2025,
          language: Language = "zh", cache_dir: str = "",
          key_indicators: Sequence[str] = KEY_INDICATORS, reps: int = MIN_REPS,
          seed: int | None = SEED, **options: Any) -> Section:
    """The 数据概览 section of a region report (数据概览章节).

    For the province (``region_code=""``): the key indicators' province averages, first and
    last year, former poverty counties against the others; a county: its values, rank among
    all counties and growth beside the province and its peers (:func:`peer_counties`); a
    prefecture: its average against the province, its best and weakest county. Every report
    shows the gap ratio former poverty / other counties with the interval of its change
    (:func:`group_trends`, computed once per batch through
    :func:`linkage.reporting.cache.once`) and the real national context. Coverage, missingness,
    descriptives and the other trends go to the appendix.

    Parameters
    ----------
    panel, counties, households, framework, region_code, start_year, end_year, language,
    cache_dir
        The common report parameters (``households`` is not used by this section).
    key_indicators : sequence of indicator ids
        Indicators to show (the first one's trend is in the main body).
    reps, seed
        Bootstrap draws and seed of the gap intervals.

    Returns
    -------
    Section
    """
    from linkage import plotting
    from linkage.frameworks import load_framework
    from linkage.panel import load_panel
    from linkage.reporting.cache import once
    from linkage.reporting.document import SectionBuilder

    if options:
        raise InputError(f"数据概览不认识的选项：{', '.join(sorted(options))} / unknown options",
                         hint="可选 / options: key_indicators, reps, seed")
    zh = is_zh(language)
    plotting.setup_cjk()
    fw = load_framework(framework or None)
    data = load_panel(panel or None, counties=counties or None, framework=fw).between_years(
        start_year, end_year)
    scope = region_scope(data, region_code, language=language)
    unknown = [i for i in key_indicators if i not in fw.indicator_ids]
    if unknown:
        raise InputError(f"指标体系中没有指标 {unknown[0]!r} / not an indicator of the framework",
                         column="key_indicators",
                         hint="key_indicators 用指标体系中的指标代码 / use indicator ids")
    indicators = [i for i in key_indicators if i in data.panel.columns]
    absent = [_ind_name(fw, i, language) for i in key_indicators if i not in indicators]
    weights = "rural_population" if "rural_population" in data.counties.columns else None
    source = data_source(data, language)
    first, last = data.years[0], data.years[-1]
    n_counties = data.panel["region_code"].nunique()
    b = SectionBuilder(KEY, title(language), language=language, simulated=data.simulated)

    coverage = indicator_coverage(data.panel, fw, counties=data.counties, language=language)
    n_missing = int(coverage[label("n_missing", language)].sum())
    n_cells = n_missing + int(coverage[label("n_obs", language)].sum())
    missing_pct = 100 * n_missing / max(n_cells, 1)

    where = {"province": "全省" if zh else "the province",
             "county": featured_label(data, scope.code, language=language)
             if scope.kind == "county" else "",
             "prefecture": scope.name}[scope.kind]
    b.paragraph(
        f"本报告使用 {n_counties} 个县 {first}—{last} 年的县域面板数据，指标体系为“{fw.name_zh}”"
        f"（{len(fw.indicators)} "
        f"项指标）{'，数据为模拟数据，不代表任何真实地区' if data.simulated else ''}。"
        f"本章介绍{where}的主要指标水平与变化、原贫困县与其他县的差距，以及全国背景；数据覆盖"
        f"与缺失、描述性统计见附录。" if zh else
        f"The report uses a county panel of {n_counties} counties, {first}–{last}, scored with "
        f"the framework '{fw.name_en}' ({len(fw.indicators)} indicators)"
        f"{'; the data are simulated and describe no real area' if data.simulated else ''}. "
        f"This chapter shows the main indicators of {where}, the gap between former poverty "
        "counties and the others, and the national context; coverage, missing values and "
        "descriptive statistics are in the appendix.")

    # key indicators of the region
    table, kinds = _key_table(data, fw, scope, indicators, weights, language)
    b.heading("主要指标" if zh else "Main indicators")
    key_title = (f"{where}主要指标（{last} 年）" if zh else f"Main indicators of {where}, {last}")
    b.table("key_values", key_title, table, source=source, kinds=kinds,
            notes=[("排名按指标方向：正向指标数值越大越靠前，逆向指标越小越靠前；同类县为与本县类型相同的其他县，"
                    "平均值按农村人口加权。" if zh else
                    "Ranks follow each indicator's direction (higher is better for positive "
                    "indicators, lower for negative ones); peers are the other counties of "
                    "the same status; averages are weighted by rural population.")
                   if scope.kind == "county" else "",
                   (f"数据中没有：{'、'.join(absent)}。" if zh else
                    f"Not in the data: {', '.join(absent)}.") if absent else ""])
    for i, ind in enumerate(indicators):
        trend, highlight = _trend_frame(data, fw, scope, ind, weights, language)
        fig = plotting.line_chart(trend, x=label("year", language), y=label("value", language),
                                  hue=label("series", language), highlight=highlight,
                                  xlabel=label("year", language),
                                  ylabel=unit_label(fw[ind].unit, language))
        name = _ind_name(fw, ind, language)
        b.figure(f"trend_{i + 1}",
                 (f"{where}{name}变化（{first}—{last} 年）" if zh
                  else f"{name}: {where}, {first}–{last}"),
                 fig, source=source, appendix=i > 0)

    # former poverty counties and the others
    level = 0.95
    groups = once(cache_dir, "overview-group-trends",
                  {"panel": panel, "counties": counties, "framework": framework,
                   "start_year": start_year, "end_year": end_year, "indicators": indicators,
                   "language": language, "reps": reps, "seed": seed, "weights": weights},
                  lambda: group_trends(data, indicators, framework=fw, weights=weights,
                                       language=language, ci=True, reps=reps, seed=seed,
                                       level=level))
    if not groups.empty:
        gaps = _gap_table(groups, fw, indicators, level, language)
        b.heading("原贫困县与其他县的差距" if zh else "Former poverty counties and the others")
        b.paragraph("比值为原贫困县平均除以其他县平均；"
                    "正向指标的比值趋近 1 表示差距缩小。只有比值变化的"
                    "区间不含 0 时，才判断差距缩小或扩大。" if zh else
                    "The ratio is the mean of former poverty counties over that of the others; "
                    "for a positive indicator a ratio moving towards 1 means the gap closes. A "
                    "gap is called narrower or wider only when the interval of the change "
                    "excludes 0.")
        b.table("gaps", "原贫困县与其他县之比的变化" if zh else
                "Ratio of former poverty to other counties: change", gaps, source=source,
                kinds={c: "ratio" for c in gaps.columns if gaps[c].dtype.kind == "f"},
                decimals={c: 3 for c in gaps.columns if gaps[c].dtype.kind == "f"})

    # national context and the technical appendix: the same for every region of a batch
    shared = once(cache_dir, "overview-shared",
                  {"panel": panel, "counties": counties, "framework": framework,
                   "start_year": start_year, "end_year": end_year, "indicators": indicators,
                   "language": language, "reps": reps, "seed": seed, "weights": weights},
                  lambda: _shared_blocks(data, fw, groups, coverage, reps=reps,
                                         language=language))

    # findings, metrics, methods and caveats
    income = indicators[0] if indicators else "rural_income_pc"
    ranks = {"featured": 20.0, "gap": 30.0, "coverage": 90.0}
    refs = {"featured": ["{table:key_values}", "{figure:trend_1}"], "gap": ["{table:gaps}"],
            "coverage": ["{table:coverage}"]}
    parts = narrative_parts(data, fw, region_code=scope.code if scope.kind == "county" else "",
                            income_indicator=income, weights=weights, language=language,
                            reps=reps, seed=seed, level=level, markdown=False,
                            groups=groups if income in indicators else None)
    for kind, text in parts:
        if kind in ranks and (kind != "gap" or not groups.empty):
            b.finding(cite(text, *refs[kind], language=language), rank=ranks[kind])
    if scope.kind == "province" and income in data.panel.columns:
        b.finding(cite(_province_sentence(data, fw, income, weights, language),
                       "{table:key_values}", "{figure:trend_1}", language=language), rank=20.0)
    if scope.kind == "prefecture" and income in data.panel.columns:
        b.finding(cite(_prefecture_sentence(data, fw, scope, income, weights, language),
                       "{table:key_values}", language=language), rank=20.0)
    b.metric("data_first_year", "起始年" if zh else "First year", first)
    b.metric("data_last_year", "截止年" if zh else "Last year", last)
    b.metric("data_counties", "县数" if zh else "Counties", n_counties,
             "个" if zh else "counties")
    b.metric("data_missing_pct", "缺失单元格占比" if zh else "Missing cells", round(missing_pct, 2),
             "%")
    b.method("指标覆盖：只适用于部分县的指标（如东西部协作资金只适用于原贫困县）在其他县记为不适用，不计为"
             "缺失；缺失率按适用的县—年计算。" if zh else
             "Coverage: an indicator that applies to some counties only (East-West cooperation "
             "funds: former poverty counties) is 'not applicable' elsewhere, not missing; "
             "missing shares are taken over the county-years where it applies.")
    b.method(("全省、同类县与分组平均按农村人口加权。" if weights else
              "县属性表没有农村人口，全省与分组平均为简单平均。") if zh else
             ("Province, peer and group averages are weighted by rural population." if weights
              else "The county table has no rural population: averages are simple means."))
    b.method("原贫困县与其他县之比的区间：在县组内重抽县的自助法百分位区间（"
             f"{reps} 次，固定随机种子），"
             "抽中的县带上它的全部年份，因此两年之间比值的变化有自己的区间；只有这个区间不含 0 时，"
             "才说差距缩小或扩大，否则说变化不显著。" if zh else
             f"Intervals of the ratio of former poverty to other counties: percentile "
             f"bootstrap redrawing counties within their group ({reps} draws, fixed seed); "
             "each drawn county brings all its years, so the change between two years has "
             "its own interval, and a gap is called narrower or wider only when that interval "
             "excludes 0.")
    b.method("同类县：国家乡村振兴重点帮扶县与其他重点帮扶县比较，原贫困县与其他原贫困县比较，其他县与"
             "其他非原贫困县比较；原贫困县起点低、享受过渡期倾斜支持，增长更快不宜直接读作表现更好。"
             if zh else
             "Peers: a key assistance county is compared with the other key assistance "
             "counties, a former poverty county with the other former poverty counties, any "
             "other county with the other non-poverty counties; former poverty counties start "
             "lower and receive targeted support, so faster growth is not simply better "
             "performance.")
    b.caveat("县级指标口径在不同年份、不同地区可能变化；本章的缺失值未插补。" if zh else
             "County indicator definitions may change across years and places; missing values "
             "are not imputed in this chapter.")
    b.caveat("全国背景数据读自公开发布数字的转载页面，正式引用前请与《中国统计年鉴》《中国农村贫困监测"
             "报告》等原始出版物核对。" if zh else
             "The national context figures were read from reprints of the official releases; "
             "check them against the China Statistical Yearbook and the Poverty Monitoring "
             "Report before citing them.")
    if data.simulated:
        b.caveat("本章数据为 linkage 内置模拟数据，仅用于演示方法，不代表任何真实地区。" if zh else
                 "This chapter uses the linkage simulated sample, to demonstrate the methods "
                 "only; it describes no real area.")
    return append_blocks(b.build(), shared)


def append_blocks(section: Section, other: Section) -> Section:
    """``section`` with the blocks of ``other`` appended (e.g. a part every region of a batch
    shares, built once); table and figure keys must stay unique."""
    from linkage.errors import ReportError
    from linkage.reporting.document import Figure, Table

    keys = [bl.key for bl in (*section.blocks, *other.blocks) if isinstance(bl, (Table, Figure))]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ReportError(f"章节 {section.key} 的图表键重复 / duplicate keys: {repeated}")
    return replace(section, blocks=section.blocks + other.blocks)


def _shared_blocks(data: PanelData, fw: Framework, groups: pd.DataFrame,
                   coverage: pd.DataFrame, *, reps: int, language: Language) -> Section:
    """The blocks of the section that do not depend on the region: the yearly group table,
    the national context, coverage, missingness and descriptives."""
    from linkage import plotting
    from linkage.reporting.document import SectionBuilder

    zh = is_zh(language)
    source = data_source(data, language)
    last = data.years[-1]
    b = SectionBuilder(KEY, title(language), language=language, simulated=data.simulated)
    if not groups.empty:
        yearly = groups.drop(columns=[c for c in groups.columns if "CI" in str(c)
                                      and label("gap_ratio", language) not in str(c)])
        yearly = yearly.drop(columns=[c for c in yearly.columns
                                      if str(c).startswith(label("ratio_change", language))])
        count_cols = [label("n_poverty_counties", language), label("n_other_counties", language)]
        b.table("group_trends", "原贫困县与其他县分年平均值及比值" if zh else
                "Former poverty and other counties by year: means and ratio", yearly,
                source=source, appendix=True,
                kinds={label("year", language): "year", **{c: "count" for c in count_cols}},
                notes=[f"区间为在县组内重抽县的自助法百分位区间（{reps} 次）。" if zh else
                       f"Intervals: percentile bootstrap redrawing counties within their group "
                       f"({reps} draws)."])

    # national context (real statistics)
    context = national_context(language=language)
    ratio_col = label("ratio", language)
    chart = context[[label("year", language), ratio_col]].assign(
        **{ratio_col: context[ratio_col] * 100})
    fig = plotting.line_chart(chart, x=label("year", language), y=ratio_col,
                              xlabel=label("year", language),
                              ylabel="相对全国农村水平（%）" if zh else "Relative to "
                                                              "national rural (%)")
    real_source = ("资料来源：国家统计局全国农村贫困监测调查与历年国民经济和社会发展统计公报，"
                   "国务院新闻办公室"
                   "新闻发布会与《人类减贫的中国实践》白皮书，"
                   "农业农村部；比值为本报告计算。" if zh else
                   "Source: NBS rural poverty monitoring survey and annual statistical "
                   "communiqués; State Council Information Office press conferences and white "
                   "paper; Ministry of Agriculture and Rural Affairs; ratios computed here.")
    b.heading("全国背景" if zh else "National context")
    b.paragraph("贫困地区（2013—2020 年）与脱贫县（2021 "
                "年起）农村居民人均可支配收入相当于全国农村平均"
                "水平的比例，为真实统计数据；2014、2015 年贫困地区数字未找到，保持空缺。" if zh else
                "Rural per-capita disposable income of poverty areas (2013–2020) and former "
                "poverty counties (from 2021) relative to the national rural average — real "
                "statistics; the 2014 and 2015 poverty-area figures were not found and are "
                "left as gaps.")
    b.figure("national", "贫困地区/脱贫县农村居民收入相当于全国农村的比例" if zh else
             "Rural income of poverty areas relative to the national rural average", fig,
             source=real_source)
    frame, kinds, notes = _context_table(language)
    b.table("national_table", "贫困地区/脱贫县与全国农村居民人均可支配收入" if zh else
            "Rural per-capita disposable income: poverty areas and national", frame,
            source=real_source, notes=notes, kinds=kinds, appendix=True)

    # appendix: coverage, missingness, descriptives
    names_col = label("indicator", language)
    unit_col = label("unit", language)
    coverage[unit_col] = coverage[unit_col].map(lambda u: unit_label(u, language))
    cov = coverage.reset_index(drop=True).rename(columns={
        label("missing_share", language): "缺失率（%）" if zh else "Missing (%)",
        label("n_regions", language): "有数据的县数" if zh else "Counties with data"})
    b.table("coverage", "指标覆盖与缺失" if zh else "Indicator coverage and missing values",
            cov, source=source, appendix=True,
            kinds={"缺失率（%）" if zh else "Missing (%)": "percent",
                   label("first_year", language): "year", label("last_year", language): "year",
                   **{c: "count" for c in (label("n_obs", language),
                                           label("n_not_applicable", language),
                                           label("n_missing", language))}},
            notes=[coverage.attrs.get("note", ""),
                   "不适用：指标只适用于部分县（如东西部协作资金只适用于原贫困县），其他县的空值不计为缺失。"
                   if zh else "Not applicable: the indicator applies to some counties only "
                   "(e.g. East-West cooperation funds to former poverty counties); empty "
                   "cells elsewhere are not missing."])
    grid = missingness_by_year(data.panel, fw, counties=data.counties, language=language)
    if grid.to_numpy().any():
        # long English names would squeeze the grid to nothing: shortened here, in full in
        # the coverage table
        grid.index = [textwrap.shorten(str(n), 44, placeholder="…") for n in grid.index]
        fig = plotting.heatmap(grid.fillna(0.0), colorbar_label="缺失率（%）" if zh else
                               "Missing (%)", xlabel=label("year", language),
                               ylabel=names_col)
        b.figure("missing", "各指标分年份缺失率" if zh else "Missing share by indicator and year",
                 fig, source=source, appendix=True)
    desc = describe_indicators(data.panel, fw, year=last, language=language)
    desc[unit_col] = desc[unit_col].map(lambda u: unit_label(u, language))
    b.table("descriptives", f"各指标描述性统计（{last} 年）" if zh else
            f"Descriptive statistics, {last}", desc.reset_index(drop=True), source=source,
            appendix=True, kinds={label("n_obs", language): "count"},
            decimals={c: 2 for c in desc.columns if c not in (label("n_obs", language),)},
            notes=["标准差按 n−1 计算；变异系数 = 标准差/均值。" if zh else
                   "Standard deviation with n−1; CV = standard deviation / mean."])

    return b.build()


def _province_sentence(data: PanelData, framework: Framework, indicator: str,
                       weights: str | None, language: Language) -> str:
    """The province average of ``indicator`` in the first and last year, its annual growth."""
    means = _means_by_year(data, indicator, None, weights).dropna()
    first, last = int(means.index[0]), int(means.index[-1])
    growth = annual_growth(means.iloc[0], means.iloc[-1], last - first)
    ind = framework[indicator]
    unit = unit_label(ind.unit, language)
    if is_zh(language):
        return (f"全省{ind.name_zh}平均由 {first} 年的 {means.iloc[0]:,.0f} {unit}增至 {last} 年的 "
                f"{means.iloc[-1]:,.0f} {unit}，年均增长 {growth:.1%}。")
    return (f"The province average {_lower_first(ind.name_en)} rose from "
            f"{means.iloc[0]:,.0f} {unit} in {first} to {means.iloc[-1]:,.0f} {unit} in {last}, "
            f"{growth:.1%} a year.")


def _prefecture_sentence(data: PanelData, framework: Framework, scope: RegionScope,
                         indicator: str, weights: str | None, language: Language) -> str:
    """The prefecture's average of ``indicator`` in the last year against the province."""
    zh = is_zh(language)
    last = data.years[-1]
    own = _means_by_year(data, indicator, pd.Index(scope.codes), weights).get(last, np.nan)
    prov = _means_by_year(data, indicator, None, weights).get(last, np.nan)
    ind = framework[indicator]
    relation = label(f"compare_{'higher' if own > prov else 'lower' if own < prov else 'equal'}",
                     language)
    if zh:
        return (f"{last} 年{scope.name}（{len(scope.codes)} 个县）{ind.name_zh}平均 {own:,.0f} "
                f"{ind.unit}，{relation}全省平均（{prov:,.0f} {ind.unit}）。")
    return (f"In {last} the average {_lower_first(ind.name_en)} of {scope.name} "
            f"({len(scope.codes)} counties) is {own:,.0f}, {relation} the province average "
            f"({prov:,.0f}).")


def _context_table(language: Language) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """The national context for readers (:func:`linkage.datasets.poverty_area_income_ratio`,
    every year of its span, gaps as gaps): the ratio in %, the series in ``language``, the
    original release of each poverty-area figure (:data:`CONTEXT_RELEASES`); the reprint
    pages the figures were read from become notes. Returns frame, column kinds and notes."""
    import re

    from linkage import datasets

    zh = is_zh(language)
    ratio = datasets.poverty_area_income_ratio().set_index("year")
    years = pd.RangeIndex(ratio.index.min(), ratio.index.max() + 1)
    ratio = ratio.reindex(years)
    series = ratio["series"].map({
        "贫困地区农村居民人均可支配收入": "贫困地区" if zh else "Poverty areas",
        "脱贫县农村居民人均可支配收入": "脱贫县" if zh else "Former poverty counties"})
    heads = (("年份", "口径", "贫困地区/脱贫县（"
                          "元）", "全国农村（元）", "相当于全国农村（%）", "发布")
             if zh else ("Year", "Series", "Poverty areas (yuan)", "National rural (yuan)",
                         "Relative to national rural (%)", "Released by"))
    released = [CONTEXT_RELEASES[y][0 if zh else 1] if y in CONTEXT_RELEASES and
                pd.notna(ratio.at[y, "ratio"]) else None for y in years]
    frame = pd.DataFrame({heads[0]: years, heads[1]: series.to_numpy(),
                          heads[2]: ratio["income_poverty_area"].to_numpy(),
                          heads[3]: ratio["income_national_rural"].to_numpy(),
                          heads[4]: 100 * ratio["ratio"].to_numpy(), heads[5]: released})
    kinds = {heads[0]: "year", heads[1]: "text", heads[2]: "money", heads[3]: "money",
             heads[4]: "percent", heads[5]: "text"}
    urls = []
    for year, text in ratio["source"].dropna().items():
        found = re.findall(r"https?://[^\s;,，；)）]+", str(text))
        if found:
            urls.append(f"{year}：{'、'.join(found)}" if zh else f"{year}: {', '.join(found)}")
    notes = [("全国农村居民收入为国家统计局历年发布数；比值为本报告计算。"
              "2014、2015 年贫困地区数字未找到，"
              "以“—”表示。" if zh else
              "National rural incomes: NBS annual releases; ratios computed here. The 2014 and "
              "2015 poverty-area figures were not found and show '—'."),
             ("数字读自以下转载页面：" if zh else "Figures read from these reprint pages: ")
             + ("；".join(urls) if zh else "; ".join(urls))]
    return frame, kinds, notes
