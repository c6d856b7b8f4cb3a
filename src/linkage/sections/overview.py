"""Data overview (数据概览): coverage, missingness, descriptive statistics and trends.

The functions behind the ``01_data_overview`` report. Each takes a county-year panel (see
:mod:`linkage.panel`) and an indicator framework and returns a labelled table; the report
notebook only calls, plots and narrates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.checks import MIN_REPS, SEED
from linkage.errors import InputError
from linkage.escaping import markdown_text
from linkage.frameworks import Framework
from linkage.inequality import gap_trend, income_gap
from linkage.labels import Language, is_zh, label
from linkage.panel import PanelData

__all__ = [
    "annual_growth",
    "ci_columns",
    "county_status",
    "default_region",
    "describe_indicators",
    "featured_label",
    "group_trends",
    "indicator_coverage",
    "missingness_by_year",
    "national_context",
    "overview_narrative",
    "peer_counties",
    "region_trend",
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
    Markdown.
    """
    zh = is_zh(language)
    panel = data.panel
    cov = indicator_coverage(panel, framework, counties=data.counties)
    years = data.years
    missing = cov[label("n_missing")].sum() / max(cov[label("n_obs")].sum()
                                                   + cov[label("n_missing")].sum(), 1)
    worst = cov[label("missing_share")].idxmax()
    worst_name = markdown_text(framework[worst].name_zh if zh else framework[worst].name_en)
    worst_share = cov.at[worst, label("missing_share")]
    n_counties = panel["region_code"].nunique()
    lines = [
        f"数据覆盖 {n_counties} 个县、{years[0]}—{years[-1]} 年，共 {len(cov)} 项指标；总体缺失率 "
        f"{missing:.1%}，缺失最多的指标是“{worst_name}”（{worst_share:.1f}%）。" if zh else
        f"The data cover {n_counties} counties, {years[0]}–{years[-1]}, {len(cov)} indicators; "
        f"{missing:.1%} of values are missing, most for “{worst_name}” ({worst_share:.1f}%)."
    ]
    if income_indicator in panel.columns:
        lines += _featured_sentence(data, framework, region_code, income_indicator, weights,
                                    language)
        lines += _group_gap_sentence(data, framework, income_indicator, weights, language,
                                     reps=reps, seed=seed, level=level)
    if data.simulated:
        lines.append("以上结果基于模拟数据，仅用于演示方法，不代表任何真实地区。" if zh else
                     "These results use simulated data, to demonstrate the methods only; they "
                     "describe no real area.")
    return lines


def _featured_sentence(data: PanelData, framework: Framework, code: str, indicator: str,
                       weights: str | None, language: Language) -> list[str]:
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
    name = featured_label(data, code, language=language, markdown=True)
    if zh:
        text = (f"{name}{markdown_text(ind.name_zh)}由 {first} 年的 {values[0]:,.0f} "
                f"{ind.unit}增至 {last} 年的 {values[1]:,.0f} {ind.unit}，年均增长 {own:.1%}，"
                f"{_compare(own, prov, prov_name, language)}")
    else:
        text = (f"{markdown_text(ind.name_en)} in {name} rose from {values[0]:,.0f} "
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
                        weights: str | None, language: Language, *, reps: int,
                        seed: int | None, level: float) -> list[str]:
    """The ratio former poverty / other counties at the first and last year, the interval of
    its change, classified (the change is named only when its interval excludes 0)."""
    groups = group_trends(data, [indicator], weights=weights, language=language, ci=True,
                          reps=reps, seed=seed, level=level)
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
        return [f"原贫困县与其他县的{markdown_text(framework[indicator].name_zh)}之比由 "
                f"{table.index[0]} 年的 {start[ratio_name]:.2f} 变为 {table.index[-1]} 年的 "
                f"{end[ratio_name]:.2f}，变化 {interval}，原贫困县{verdict}。"]
    interval = interval.replace("（", " (").replace("）", ")")
    return [f"The ratio of former poverty to other counties in "
            f"{markdown_text(_lower_first(framework[indicator].name_en))} "
            f"moved from {start[ratio_name]:.2f} in {table.index[0]} to {end[ratio_name]:.2f} "
            f"in {table.index[-1]}, a change of {interval}: former poverty counties {verdict}."]
