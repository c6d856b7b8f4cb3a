"""拓展 (extension) report glue: catching up, convergence, gaps and structure for ``04``.

The ``04_extension`` report asks whether former poverty counties are catching up with the rest
(结果同等性): their income growth against other counties and against the real national series,
σ- and β-convergence across counties, the between-group share of inequality (Theil, Dagum),
the structure of household income, the distribution of county income over the years, and the
industry, employment and asset indicators of the framework (特色产业、就业拓展、扶贫资产).

The statistics come from :mod:`linkage.sections.overview`, :mod:`linkage.convergence`,
:mod:`linkage.inequality`, :mod:`linkage.income` and :mod:`linkage.datasets`; this module
assembles report tables (household tables suppressed by :func:`linkage.disclosure.suppress`)
and writes the findings. Every table header, figure title and sentence follows ``language``.

Inference shown to readers: group means and their ratio carry stratified bootstrap intervals,
the Theil between-group share too (``ci=True``; ``reps``/``seed``/``level``, default
``checks.MIN_REPS`` draws); β-convergence clustered on prefectures uses the wild cluster
bootstrap when there are fewer than :data:`linkage.checks.FEW_CLUSTERS` clusters; speeds
of convergence above :data:`linkage.convergence.MAX_PLAUSIBLE_SPEED` are flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from linkage import convergence, datasets, inequality, plotting
from linkage.checks import (
    FEW_CLUSTERS,
    MIN_REPS,
    SEED,
    Inference,
    Missing,
    WildWeights,
    check_option,
    require_columns,
)
from linkage.convergence import BetaResult
from linkage.disclosure import suppress
from linkage.errors import InputError
from linkage.escaping import markdown_text
from linkage.frameworks import Framework
from linkage.income import income_structure
from linkage.labels import Language, is_zh, label
from linkage.panel import PanelData
from linkage.reporting.document import Section, SectionBuilder
from linkage.sections import overview
from linkage.sections.overview import RegionScope, region_scope

__all__ = [
    "BETA_KINDS",
    "EXTENSION_DIMENSIONS",
    "KEY",
    "NATIONAL_SOURCE",
    "TITLE",
    "UNITS_EN",
    "ProvinceExtension",
    "beta_table",
    "build",
    "convergence_position_figure",
    "convergence_results",
    "county_frame",
    "county_growth",
    "dagum_by_year",
    "density_by_year",
    "density_figure",
    "dimension_gaps",
    "extension_narrative",
    "gap_changes",
    "income_comparison",
    "income_ratio_figure",
    "province_extension",
    "region_income_table",
    "sigma_figure",
    "structure_table",
    "theil_by_year",
    "theil_figure",
    "title",
    "unit_text",
]

#: Framework dimensions of the 拓展 function shown in the report.
EXTENSION_DIMENSIONS: tuple[str, ...] = ("specialty_industry", "employment", "assets")

#: The β regressions of :func:`convergence_results`, in report order.
BETA_KINDS: tuple[str, ...] = ("absolute", "conditional", "panel")


def _group_names(language: Language) -> dict[bool, str]:
    return {True: label("poverty_counties", language), False: label("other_counties", language)}


def _kind(simulated: bool, language: Language) -> str:
    return label("simulated" if simulated else "user_data", language)


def _tagged(name: str, tag: str, language: Language) -> str:
    """``"原贫困县（模拟数据）"`` / ``"Former poverty counties (Simulated data)"``."""
    return f"{name}（{tag}）" if is_zh(language) else f"{name} ({tag})"


def county_frame(data: PanelData, indicator: str, *,
                 language: Language = "zh") -> pd.DataFrame:
    """County-year rows with ``indicator``, the former-poverty flag and prefecture attributes.

    Columns: ``region_code, year, value, poverty_county`` (bool), ``group`` (原贫困县 / 其他县
    in ``language``), ``prefecture_code``, ``prefecture_name`` and ``rural_population`` where
    the county table has them. Rows with a missing value are kept (each function says how it
    treats them). A county of the panel without a ``poverty_county`` flag in the county table
    raises (it is never counted as "not poor").
    """
    if indicator not in data.panel.columns:
        raise InputError(f"面板中没有指标 {indicator} / indicator not in the panel",
                         column=indicator, hint="检查指标代码（见指标体系）")
    frame = data.panel[["region_code", "year", indicator]].rename(columns={indicator: "value"})
    frame["poverty_county"] = data.attribute("poverty_county").astype(bool)
    attrs = [c for c in ("prefecture_code", "prefecture_name", "rural_population")
             if c in data.counties.columns]
    frame = frame.join(data.counties[attrs], on="region_code")
    frame["group"] = frame["poverty_county"].map(_group_names(language))
    return frame


def income_comparison(data: PanelData, *, indicator: str = "rural_income_pc",
                      weights: str | None = "rural_population", language: Language = "zh",
                      ci: bool = False, reps: int = MIN_REPS, seed: int | None = SEED,
                      level: float = 0.95) -> pd.DataFrame:
    """Former poverty counties against the others and against the real national series.

    Left: yearly means of ``indicator`` in former poverty counties and in the other counties
    (weighted by the county-table column ``weights``;
    :func:`linkage.sections.overview.group_trends`),
    their ratio, the county counts and — with ``ci`` — stratified bootstrap intervals for the
    means and the ratio; labelled 模拟数据 for the bundled sample. Right: the real national
    series of :func:`linkage.datasets.poverty_area_income_ratio` (贫困地区 2013–2020 / 脱贫县
    from 2021, national rural income, their ratio), labelled 真实统计; years without a real
    figure stay empty.

    Returns
    -------
    DataFrame
        Indexed by year.
    """
    kind, real = _kind(data.simulated, language), label("real", language)
    trend = overview.group_trends(data, [indicator], weights=weights, language=language,
                                  ci=ci, reps=reps, seed=seed, level=level)
    if trend.empty:
        data.attribute("poverty_county")  # raises naming the missing column
    own = trend.set_index(label("year", language)).drop(columns=label("indicator", language))
    own.columns = [_tagged(c, kind, language) for c in own.columns]
    ratio = datasets.poverty_area_income_ratio().set_index("year")
    national = pd.DataFrame({
        _tagged(label("poverty_area_income", language), real, language):
            ratio["income_poverty_area"],
        _tagged(label("national_rural", language), real, language):
            ratio["income_national_rural"],
        _tagged(label("ratio", language), real, language): ratio["ratio"]})
    out = own.join(national, how="left")
    out.index.name = label("year", language)
    out.attrs = dict(trend.attrs)
    return out


def convergence_results(data: PanelData, *, indicator: str = "rural_income_pc",
                        start: int, end: int, cluster: str = "prefecture_code",
                        missing: Missing = "raise", inference: Inference = "auto",
                        reps: int = MIN_REPS, seed: int | None = SEED,
                        wild_weights: WildWeights | None = None,
                        ) -> dict[str, BetaResult]:
    """Absolute, conditional and panel β-convergence of ``indicator`` across counties.

    * ``"absolute"`` 绝对β收敛: :func:`linkage.convergence.beta_convergence` from ``start``
      to ``end``;
    * ``"conditional"`` 条件β收敛: the same with the former-poverty dummy as control and
      prefecture fixed effects (when the county table has ``prefecture_code``);
    * ``"panel"`` 面板β收敛: :func:`linkage.convergence.panel_beta_convergence` with two-way
      effects (flagged when its speed is implausible: Nickell bias).

    Standard errors are clustered by ``cluster`` (a county attribute, default the prefecture;
    Stata's ``vce(cluster)`` small-sample factor). With ``inference="auto"`` (the report's
    default) β's p-value and interval are the restricted wild cluster bootstrap's when there
    are fewer than :data:`linkage.checks.FEW_CLUSTERS` (42) clusters — a province has about a
    dozen prefectures, where cluster-robust t-tests over-reject (Cameron, Gelbach & Miller
    2008; MacKinnon & Webb 2017). The bootstrap weights follow the kit's one rule unless
    ``wild_weights`` names them: Webb six-point below :data:`linkage.checks.WEBB_BELOW` (12)
    clusters, Rademacher otherwise (:func:`linkage.evaluation.wild.wild_weights_for`).
    ``missing`` follows the vocabulary: ``"raise"`` (default) names the counties with a gap;
    ``"drop"`` drops them and every result counts what was left out (``n_dropped``,
    ``n_no_lag``; printed by ``summary()`` and :func:`beta_table`).
    """
    frame = county_frame(data, indicator).assign(
        poverty_county=lambda f: f["poverty_county"].astype(float))
    if cluster not in frame.columns:
        raise InputError(f"县属性表中没有聚类变量 {cluster} / cluster column missing",
                         column=cluster, hint="用 region_code 按县聚类，或提供 prefecture_code")
    options = {"cluster": cluster, "missing": missing, "inference": inference, "reps": reps,
               "seed": seed, "wild_weights": wild_weights}
    fixed = "prefecture_code" if "prefecture_code" in frame.columns else None
    return {
        "absolute": convergence.beta_convergence(frame, value="value", start=start, end=end,
                                                 **options),
        "conditional": convergence.beta_convergence(
            frame, value="value", start=start, end=end, controls=["poverty_county"],
            fixed_effects=fixed, **options),
        "panel": convergence.panel_beta_convergence(
            frame[list(dict.fromkeys(["region_code", "year", "value", cluster]))],
            value="value", fixed_effects="twoway", **options),
    }


def beta_table(results: dict[str, BetaResult], *, language: Language = "zh") -> pd.DataFrame:
    """One row per β regression: β, clustered SE, p-value and where it comes from (cluster-
    robust t or wild cluster bootstrap), the interval at the results' level (inverted
    bootstrap test under the wild bootstrap), speed λ (%/年), half-life (年), the
    implausible-speed flag, N, clusters, R², and what was left out (rows or regions dropped
    for missing values, growth observations lost to gaps, singleton regions).

    Speed and half-life are empty where β is outside (−1/T, 0) (no convergence).
    """
    rows = {}
    for key, r in results.items():
        rows[label(f"beta_{key}", language)] = {
            label("beta", language): round(r.beta, 4),
            label("cluster_se", language): round(float(r.coefficients["se"].iloc[0]), 4),
            label("pvalue", language): round(r.pvalue, 4),
            label("inference", language): label(f"inference_{r.inference}", language),
            label("ci_low", language): round(float(r.coefficients["ci_low"].iloc[0]), 4),
            label("ci_high", language): round(float(r.coefficients["ci_high"].iloc[0]), 4),
            label("speed", language): None if r.speed is None else round(100 * r.speed, 2),
            label("half_life", language): None if r.half_life is None else round(r.half_life,
                                                                                  1),
            label("implausible", language): r.implausible,
            label("nobs", language): r.n, label("clusters", language): r.clusters,
            label("r2", language): round(r.r2, 4),
            label("beta_dropped", language): r.dropped_text(language) or "—"}
    return pd.DataFrame.from_dict(rows, orient="index")


def _trend_figure(wide: pd.DataFrame, *, title: str, ylabel: str, note: str,
                  language: Language) -> Figure:
    """Line chart of the columns of a year-indexed table, one line per column, with a note."""
    year, series, value = (label(k, language) for k in ("year", "series", "value"))
    long = (wide.rename_axis(year).reset_index()
            .melt(id_vars=year, var_name=series, value_name=value).dropna())
    fig = plotting.line_chart(long, x=year, y=value, hue=series if wide.shape[1] > 1 else None,
                              title=title, xlabel=year, ylabel=ylabel)
    return plotting.add_source_note(fig, note)


def income_ratio_figure(comparison: pd.DataFrame, *, note: str = "",
                        language: Language = "zh") -> Figure:
    """The two relative-income ratios of :func:`income_comparison` over time (收入相对水平图):
    the data's former-poverty / other ratio and the real national poverty-area / rural ratio.
    """
    ratios = comparison[[c for c in comparison.columns
                         if c.startswith((label("gap_ratio", language),
                                          label("ratio", language)))
                         and label("ci_low", language) not in c
                         and label("ci_high", language) not in c]]
    source = label("source_real_series", language)
    return _trend_figure(ratios, title=label("fig_income_ratio", language),
                         ylabel=label("ratio", language), language=language,
                         note=source + ("\n" + note if note else ""))


def sigma_figure(sigma: convergence.SigmaResult, *, note: str = "",
                 language: Language = "zh") -> Figure:
    """σ-convergence figure (σ收敛图): standard deviation of log county income by year."""
    ylabel = label("sd_log", language)
    return _trend_figure(sigma.table[["sd_log"]].set_axis([ylabel], axis=1),
                         title=label("fig_sigma", language), ylabel=ylabel,
                         note=note or label("source_county_panel", language), language=language)


def theil_figure(theil: pd.DataFrame, *, note: str = "", language: Language = "zh") -> Figure:
    """Between- and within-group Theil T over time (泰尔指数分解图), from :func:`theil_by_year`
    in the same ``language``."""
    columns = [label("theil_T_between", language), label("theil_T_within", language)]
    require_columns(theil, columns, what="泰尔指数表 / Theil table")
    return _trend_figure(theil[columns], title=label("fig_theil", language),
                         ylabel=label("theil_T", language),
                         note=note or label("source_county_panel", language), language=language)


def _attribute_weights(data: PanelData, frame: pd.DataFrame, weights: str | None) -> None:
    """A named weight column must be a county attribute (never silently unweighted)."""
    if weights is not None:
        data.attribute(weights)
        if weights not in frame.columns:
            frame[weights] = data.attribute(weights).to_numpy()


def theil_by_year(data: PanelData, *, indicator: str = "rural_income_pc",
                  weights: str | None = "rural_population", language: Language = "zh",
                  ci: bool = False, reps: int = MIN_REPS, seed: int | None = SEED,
                  level: float = 0.95) -> pd.DataFrame:
    """Theil T and L across counties by year, split between/within 原贫困县 and 其他县.

    :func:`linkage.inequality.theil` (Theil 1967; Shorrocks 1980 decomposition) of county
    ``indicator`` weighted by the county-table column ``weights`` (population-weighted
    inequality between counties; a named column that is absent raises). Counties with a
    missing value in a year are left out of that year, counted in ``n``. With ``ci`` the Theil
    T between share gets a stratified bootstrap interval (:func:`linkage.inequality.theil_ci`,
    counties redrawn within their group), so two years' shares can be compared.

    Returns
    -------
    DataFrame
        Indexed by year: for T and L the total, between, within and between share (%), n.
    """
    frame = county_frame(data, indicator, language=language)
    _attribute_weights(data, frame, weights)
    frame = frame.dropna(subset=["value"])
    low, high = overview.ci_columns(label("theil_T_between_share", language), level, language)
    rows = {}
    for year, part in frame.groupby("year", sort=True):
        w = part[weights] if weights else None
        row: dict[str, float] = {"n": len(part)}
        for kind in ("T", "L"):
            r = inequality.theil(part["value"], groups=part["group"], weights=w, kind=kind)
            row |= {label(f"theil_{kind}", language): r.total,
                    label(f"theil_{kind}_between", language): r.between,
                    label(f"theil_{kind}_within", language): r.within,
                    label(f"theil_{kind}_between_share", language): 100 * r.between / r.total}
        if ci:
            interval = inequality.theil_ci(part["value"], groups=part["group"], weights=w,
                                           reps=reps, seed=seed, level=level)
            row[low] = 100 * interval.at["between_share", "ci_low"]
            row[high] = 100 * interval.at["between_share", "ci_high"]
        rows[year] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = label("year", language)
    out = out.round(4).astype({"n": int})
    if ci:
        out.attrs |= {"reps": reps, "seed": seed, "level": level}
    return out


def dagum_by_year(data: PanelData, *, indicator: str = "rural_income_pc",
                  years: Sequence[int], by: str = "prefecture_name",
                  weights: str | None = "rural_population",
                  language: Language = "zh") -> pd.DataFrame:
    """Dagum Gini decomposition across counties by group (default prefecture) for ``years``.

    :func:`linkage.inequality.dagum_gini` (Dagum 1997): total Gini = within + net between +
    transvariation, with each part's share (%). Years not in the data are skipped; counties
    with a missing value are left out of their year.
    """
    frame = county_frame(data, indicator, language=language)
    _attribute_weights(data, frame, weights)
    frame = frame.dropna(subset=["value"])
    if by not in frame.columns:
        raise InputError(f"没有分组列 {by} / group column missing", column=by,
                         hint="可用 group（原贫困县/其他县）或县属性表中的列")
    rows = {}
    for year in [y for y in years if y in set(frame["year"])]:
        part = frame[frame["year"] == year]
        r = inequality.dagum_gini(part["value"], groups=part[by],
                                  weights=part[weights] if weights else None)
        f = r.to_frame()["share_pct"]
        rows[year] = {label(k, language): v for k, v in (
            ("dagum_gini", r.total), ("dagum_within", r.within),
            ("dagum_net_between", r.net_between), ("dagum_transvariation", r.transvariation),
            ("dagum_within_pct", f["within"]), ("dagum_net_between_pct", f["net_between"]),
            ("dagum_transvariation_pct", f["transvariation"]))}
    out = pd.DataFrame.from_dict(rows, orient="index").round(4)
    out.index.name = label("year", language)
    return out


def structure_table(households: pd.DataFrame, counties: pd.DataFrame, *,
                    weights: str | None = "weight", min_cell: int = 10,
                    simulated: bool = True, language: Language = "zh") -> pd.DataFrame:
    """Household income structure by county group and year, with national rural 2023 (real).

    :func:`linkage.income.income_structure` (NBS convention: ratio of weighted sums, losses
    kept) of wage, business, property and transfer income (%), for households in former
    poverty counties and in the other counties (``poverty_county`` of ``counties``, indexed by
    ``region_code``), by year; a row 全国农村 2023（真实统计） from ``income_composition_2023``
    (国家统计局) follows. Household cells rest on the households of the row.
    """
    require_columns(counties, ["poverty_county"], what="县属性表 / county table")
    flag = households["region_code"].map(counties["poverty_county"])
    if flag.isna().any():
        code = households.loc[flag.isna(), "region_code"].iloc[0]
        raise InputError(f"农户所在县 {code} 不在县属性表中 / county not in the county table",
                         column="region_code", hint="检查 households 与 counties 是否同一地区")
    data = households.assign(_group=flag.astype(bool).map(_group_names(language)))
    s = income_structure(data, by=["_group", "year"], weights=weights)
    names = {k: label(f"income_{k}_pct", language)
             for k in ("wage", "business", "property", "transfer")}
    table = (100 * s[list(names)]).round(2).rename(columns=names)
    kind = _kind(simulated, language)
    table.index = [_tagged(f"{g} {y}", kind, language) for g, y in table.index]
    counts = pd.Series(s["households"].to_numpy(), index=table.index)
    out = suppress(table, counts, min_cell=min_cell)
    nat = datasets.load("income_composition_2023")
    nat = nat[nat["residence"] == "农村"].set_index("component")["value_yuan"].astype(float)
    real = {names[k]: 100 * nat[c] / nat["可支配收入合计"] for k, c in
            (("wage", "工资性收入"), ("business", "经营净收入"),
             ("property", "财产净收入"), ("transfer", "转移净收入"))}
    out.loc[_tagged(f"{label('national_rural', language)} 2023", label("real", language),
                    language)] = [round(real[c], 2) for c in out.columns]
    out.index.name = label("group_year", language)
    return out


def density_by_year(data: PanelData, *, indicator: str = "rural_income_pc",
                    years: Sequence[int], log: bool = True,
                    language: Language = "zh") -> pd.DataFrame:
    """Kernel density of county ``indicator`` (log by default) for the ``years`` in the data.

    :func:`linkage.convergence.kernel_density` (Gaussian kernel, Silverman bandwidth, one grid
    for all years). Missing values are left out of their year.

    Returns
    -------
    DataFrame
        Columns year (str, for the legend; label in ``language``), value, density.
    """
    frame = county_frame(data, indicator).dropna(subset=["value"])
    frame = frame[frame["year"].isin(list(years))]
    if frame.empty:
        raise InputError(f"所选年份 {list(years)} 不在数据中 / selected years not in the data",
                         column="year", hint=f"数据年份：{data.years}")
    values = np.log(frame["value"]) if log else frame["value"]
    series = pd.Series(values.to_numpy(), index=pd.Index(frame["year"], name="year"))
    dens = convergence.kernel_density(series, by="year")
    return pd.DataFrame({label("year", language): dens["year"].astype(str),
                         "value": dens["value"], "density": dens["density"]})


def density_figure(density: pd.DataFrame, *, note: str = "",
                   language: Language = "zh") -> Figure:
    """The densities of :func:`density_by_year` (same ``language``), one line per year."""
    year = label("year", language)
    fig = plotting.line_chart(density, x="value", y="density", hue=year,
                              title=label("fig_density", language),
                              xlabel=label("ln_income", language),
                              ylabel=label("density", language))
    return plotting.add_source_note(fig, note or label("source_county_panel", language))


def dimension_gaps(data: PanelData, framework: Framework, *,
                   dimensions: Sequence[str] = EXTENSION_DIMENSIONS,
                   weights: str | None = "rural_population",
                   language: Language = "zh", reps: int = MIN_REPS, seed: int | None = SEED,
                   level: float = 0.95) -> pd.DataFrame:
    """Trends and gaps of the 拓展 indicators (特色产业、就业拓展、扶贫资产) by county group.

    :func:`linkage.sections.overview.group_trends` (with ``ci``) for every indicator of
    ``dimensions``
    present in the panel: weighted yearly means in former poverty counties and the others,
    their ratio with its interval, and the ratio's change since the indicator's first year
    with the interval from resampling counties jointly across years (``reps``, ``seed``,
    ``level``) — what :func:`gap_changes` judges a narrowing by — with the dimension's name
    and the indicator's direction (正向: more is better; 逆向: less is better), which says who
    leads.
    """
    table = framework.indicator_table()
    ids = [i for i in table.index[table["dimension"].isin(list(dimensions))]
           if i in data.panel.columns]
    if not ids:
        raise InputError(f"面板中没有维度 {list(dimensions)} 的指标 / no indicators of these "
                         "dimensions", hint="检查指标体系与面板列名")
    trends = overview.group_trends(data, ids, framework=framework, weights=weights,
                                   language=language, ci=True, reps=reps, seed=seed,
                                   level=level)
    if trends.empty:
        data.attribute("poverty_county")  # raises naming the missing column
    name = "name_zh" if is_zh(language) else "name_en"
    names = table.loc[ids, name].to_numpy()
    dims = framework.dimensions()[name]
    by_name = pd.Series(table.loc[ids, "dimension"].map(dims).to_numpy(), index=names)
    direction = pd.Series(np.where(table.loc[ids, "direction"] > 0, label("positive", language),
                                   label("negative", language)), index=names)
    ind = trends[label("indicator", language)]
    trends.insert(0, label("dimension", language), ind.map(by_name))
    trends.insert(2, label("direction", language), ind.map(direction))
    return trends


def gap_changes(gaps: pd.DataFrame, *, language: Language = "zh") -> pd.DataFrame:
    """First- and last-year ratio (原贫困县/其他县) per indicator and how the gap moved.

    Each gap is classified by :func:`linkage.inequality.gap_trend` from the two ratios, the
    interval of the ratio's change (counties resampled jointly across the years, as
    :func:`dimension_gaps` gives it) and the indicator's direction: who leads (former poverty
    counties lead where the ratio is above 1 for a positive indicator, below 1 for a negative
    one) and whether the gap narrowed or widened — said only when the interval of the change
    excludes 0, else "变化不显著" (no significant change). A gap the former poverty counties
    already led is "领先缩小/领先扩大", never "差距缩小". ``gaps`` is :func:`dimension_gaps`
    in the same ``language``.

    Returns
    -------
    DataFrame
        Indexed by indicator: dimension, direction, first year and ratio, last year and ratio,
        the change with its interval (bounds named as :func:`linkage.sections.overview.ci_columns`),
        and the verdict.
    """
    ind, year = label("indicator", language), label("year", language)
    ratio, direction = label("gap_ratio", language), label("direction", language)
    change = label("ratio_change", language)
    level = gaps.attrs.get("level", 0.95)
    low, high = overview.ci_columns(change, level, language)
    require_columns(gaps, [ind, year, ratio, direction, change, low, high],
                    what="差距表（由 dimension_gaps 生成，含比值变化的区间）/ gap table "
                         "(from dimension_gaps, with the interval of the change)")
    signs = {label("positive", language): 1, label("negative", language): -1}
    rows = {}
    for name, part in gaps.dropna(subset=[ratio]).groupby(ind, sort=False):
        part = part.sort_values(year)
        first, last = part.iloc[0], part.iloc[-1]
        rows[name] = {label("dimension", language): first[label("dimension", language)],
                      direction: first[direction],
                      label("first_year", language): int(first[year]),
                      label("first_ratio", language): first[ratio],
                      label("last_year", language): int(last[year]),
                      label("last_ratio", language): last[ratio],
                      change: last[change], low: last[low], high: last[high]}
    out = pd.DataFrame.from_dict(rows, orient="index")
    trend = inequality.gap_trend(out[label("first_ratio", language)],
                                 out[label("last_ratio", language)],
                                 ci_low=out[low].to_numpy(), ci_high=out[high].to_numpy(),
                                 direction=out[direction].map(signs).to_numpy())
    out[label("gap_trend", language)] = [label(f"gap_{t}", language) for t in trend]
    shown = [label("first_ratio", language), label("last_ratio", language), change, low, high]
    out[shown] = out[shown].astype(float).round(3)
    out.index.name = ind
    out.attrs["level"] = level
    return out


# --------------------------------------------------------------------------- findings


def _space(text: str) -> str:
    """A number is followed by a space in Chinese text, a closing full-width bracket is not."""
    return text if text.endswith("）") else text + " "


def _growth_sentence(comparison: pd.DataFrame, kind: str, language: Language) -> list[str]:
    zh = is_zh(language)
    poor, other, ratio = (_tagged(label(k, language), kind, language)
                          for k in ("poverty_counties", "other_counties", "gap_ratio"))
    own = comparison[[poor, other, ratio]].dropna()
    if len(own) < 2:
        return []
    y0, y1 = own.index[0], own.index[-1]
    g_poor = overview.annual_growth(own[poor].iloc[0], own[poor].iloc[-1], y1 - y0)
    g_other = overview.annual_growth(own[other].iloc[0], own[other].iloc[-1], y1 - y0)
    level = comparison.attrs.get("level")
    bounds = (None if level is None else
              [_tagged(c, kind, language)
               for c in overview.ci_columns(label("gap_ratio", language), level, language)])

    def with_ci(year: int) -> str:
        text = f"{comparison.at[year, ratio]:.3f}"
        if bounds is not None:
            low, high = (comparison.at[year, c] for c in bounds)
            text += (f"（{100 * level:g}% CI {low:.3f}–{high:.3f}）" if zh else
                     f" ({100 * level:g}% CI {low:.3f}–{high:.3f})")
        return text

    if zh:
        return [f"{y0}—{y1} 年原贫困县收入年均增长 {g_poor:.1%}，"
                f"{'快于' if g_poor > g_other else '不快于'}其他县（{g_other:.1%}）；两者之比由 "
                f"{_space(with_ci(y0))}变为 {with_ci(y1)}。"]
    return [f"{y0}–{y1}: income in former poverty counties grew {g_poor:.1%} a year, "
            f"{'faster than' if g_poor > g_other else 'not faster than'} in the other counties "
            f"({g_other:.1%}); their ratio moved from {with_ci(y0)} to {with_ci(y1)}."]


def _real_sentence(comparison: pd.DataFrame, language: Language) -> list[str]:
    real = comparison[_tagged(label("ratio", language), label("real", language),
                              language)].dropna()
    if not len(real):
        return []
    (y0, r0), (y1, r1) = (real.index[0], real.iloc[0]), (real.index[-1], real.iloc[-1])
    if is_zh(language):
        verb = "升至" if r1 > r0 else "变为"
        return [f"真实统计中，贫困地区/脱贫县农村居民收入相当于全国农村的比例由 {y0} 年的 "
                f"{r0:.1%} {verb} {y1} 年的 {r1:.1%}（国家统计局等公开数字）。"]
    verb = "rose to" if r1 > r0 else "moved to"
    return [f"In real statistics, rural income in poverty areas / former poverty counties "
            f"relative to national rural income {verb} {r1:.1%} in {y1} from {r0:.1%} in {y0} "
            f"(published NBS figures)."]


def _beta_sentences(betas: dict[str, BetaResult], language: Language) -> list[str]:
    """The absolute β summary (with its inference) and every implausible speed, flagged."""
    lines = []
    absolute = betas.get("absolute")
    if absolute is not None:
        lines.append(absolute.summary(language))
        if absolute.wild is not None:
            lines.append(
                f"聚类（地市）仅 {absolute.clusters} 个，少于 {FEW_CLUSTERS} 个，"
                "聚类稳健 t 检验会过度拒绝（Cameron, Gelbach & Miller 2008；MacKinnon & Webb "
                "2017），因此β收敛各回归的 p 值与置信区间采用限制性野聚类自助法（WCR）。"
                if is_zh(language) else
                f"With only {absolute.clusters} clusters (prefectures), fewer than "
                f"{FEW_CLUSTERS}, cluster-robust t-tests over-reject (Cameron, "
                "Gelbach & Miller 2008; MacKinnon & Webb 2017), so the p-values and "
                "intervals of the β regressions come from the restricted wild cluster "
                "bootstrap (WCR).")
    lines += [r.summary(language) for key, r in betas.items()
              if key != "absolute" and r.implausible]
    return lines


def _theil_sentence(theil: pd.DataFrame, language: Language) -> list[str]:
    share = theil[label("theil_T_between_share", language)]
    if not len(share):
        return []
    level = theil.attrs.get("level")
    bounds = (None if level is None else
              overview.ci_columns(label("theil_T_between_share", language), level, language))

    def with_ci(i: int) -> str:
        text = f"{share.iloc[i]:.1f}%"
        if bounds is not None:
            low, high = (theil[c].iloc[i] for c in bounds)
            text += (f"（{100 * level:g}% CI {low:.1f}%–{high:.1f}%）" if is_zh(language) else
                     f" ({100 * level:g}% CI {low:.1f}%–{high:.1f}%)")
        return text

    # A change is named only when the two years' intervals do not overlap (conservative: two
    # non-overlapping 95% intervals imply a difference at a stricter level); without intervals
    # the sentence says it compares point estimates.
    words = {"down": ("下降（点估计，未作推断）", "down (point estimates, no inference)"),
             "up": ("未下降（点估计，未作推断）", "not down (point estimates, no inference)"),
             "fell": ("下降，两年区间不重叠", "down; the intervals do not overlap"),
             "rose": ("上升，两年区间不重叠", "up; the intervals do not overlap"),
             "overlap": ("两年区间重叠，变化不能确定", "the intervals overlap: no clear change")}
    if bounds is None:
        key = "down" if share.iloc[-1] < share.iloc[0] else "up"
    else:
        (low0, high0), (low1, high1) = ((theil[c].iloc[i] for c in bounds) for i in (0, -1))
        key = "fell" if high1 < low0 else "rose" if low1 > high0 else "overlap"
    verdict = words[key][0 if is_zh(language) else 1]
    if is_zh(language):
        return [f"泰尔T指数中原贫困县与其他县之间的差距占比由 {share.index[0]} 年的 "
                f"{_space(with_ci(0))}变为 {share.index[-1]} 年的 {with_ci(-1)}"
                f"（组间差距的比重{verdict}）。"]
    return [f"The share of Theil T between former poverty and other counties moved from "
            f"{with_ci(0)} in {share.index[0]} to {with_ci(-1)} in {share.index[-1]} "
            f"({verdict})."]


def _gap_sentence(gaps: pd.DataFrame, language: Language, *, escape: bool = True,
                  ) -> list[str]:
    """Count gaps by who led at the start: only gaps the former poverty counties trailed can
    narrow in the catching-up sense; gaps they led are reported apart; a change whose
    interval covers 0 is "no significant change" and listed with its interval. Names are
    escaped for Markdown unless ``escape`` is false (document text is plain)."""
    if not len(gaps):
        return []
    zh = is_zh(language)
    _md = markdown_text if escape else str
    keys = {label(f"gap_{k}", language): k for k in
            ("catching_up", "overtook", "not_narrowed", "behind_unclear", "lead_widened",
             "lead_narrowed", "lost_lead", "ahead_unclear")}
    trend = gaps[label("gap_trend", language)].map(keys)
    names = {k: gaps.index[trend == k].tolist() for k in keys.values()}
    count = {k: len(v) for k, v in names.items()}
    behind = sum(count[k] for k in ("catching_up", "overtook", "not_narrowed",
                                    "behind_unclear"))
    ahead = len(gaps) - behind
    sep = "、" if zh else ", "
    level = gaps.attrs.get("level", 0.95)
    change = label("ratio_change", language)
    low, high = overview.ci_columns(change, level, language)

    def listed(key: str) -> str:
        return f"（{sep.join(map(_md, names[key]))}）" if zh else \
            f" ({sep.join(map(_md, names[key]))})"

    def unclear(key: str) -> str:
        items = sep.join(f"{_md(n)} {gaps.at[n, change]:+.3f}（{100 * level:g}% CI "
                         f"{gaps.at[n, low]:+.3f}–{gaps.at[n, high]:+.3f}）" if zh else
                         f"{_md(n)} {gaps.at[n, change]:+.3f} ({100 * level:g}% CI "
                         f"{gaps.at[n, low]:+.3f}–{gaps.at[n, high]:+.3f})"
                         for n in names[key])
        return f"（{items}）" if zh else f" ({items})"

    if zh:
        narrowed = count["catching_up"] + count["overtook"]
        text = (f"特色产业、就业、扶贫资产 {len(gaps)} 项指标中，原贫困县起始落后的 {behind} 项："
                f"{narrowed} 项差距缩小"
                + (f"（其中 {count['overtook']} 项已反超）" if count["overtook"] else ""))
        if count["behind_unclear"]:
            text += f"，{count['behind_unclear']} 项变化不显著{unclear('behind_unclear')}"
        if count["not_narrowed"]:
            text += f"，{count['not_narrowed']} 项差距扩大{listed('not_narrowed')}"
        text += f"；起始领先或持平的 {ahead} 项"
        if ahead:
            text += (f"：领先扩大 {count['lead_widened']} 项，领先缩小 {count['lead_narrowed']} 项"
                     + (f"，变化不显著 {count['ahead_unclear']} 项{unclear('ahead_unclear')}"
                        if count["ahead_unclear"] else "")
                     + f"，转为落后 {count['lost_lead']} 项"
                     + (listed("lost_lead") if count["lost_lead"] else "")
                     + "（这些不计入“差距缩小”）")
        return [text + f"。比值变化的 {100 * level:g}% 区间（按县重抽、各年同抽）不含 0 时"
                "才称缩小或扩大。"]
    text = (f"Of {len(gaps)} industry, employment and asset indicators, former "
            f"poverty counties trailed at the start in {behind}: the gap narrowed in "
            f"{count['catching_up'] + count['overtook']}"
            + (f" (overtaking in {count['overtook']})" if count["overtook"] else ""))
    if count["behind_unclear"]:
        text += f", no significant change in {count['behind_unclear']}{unclear('behind_unclear')}"
    if count["not_narrowed"]:
        text += f", widened in {count['not_narrowed']}{listed('not_narrowed')}"
    text += f"; they led or were level in {ahead}"
    if ahead:
        text += (f": lead widened in {count['lead_widened']}, narrowed in "
                 f"{count['lead_narrowed']}"
                 + (f", no significant change in {count['ahead_unclear']}"
                    f"{unclear('ahead_unclear')}" if count["ahead_unclear"] else "")
                 + f", lost in {count['lost_lead']}"
                 + (listed("lost_lead") if count["lost_lead"] else "")
                 + " (not counted as gaps narrowed)")
    return [text + f". A gap is called narrowed or widened only when the {100 * level:g}% "
            "interval of the ratio's change (counties resampled, all years together) excludes "
            "0."]


def extension_narrative(*, comparison: pd.DataFrame, sigma: convergence.SigmaResult,
                        betas: dict[str, BetaResult], theil: pd.DataFrame,
                        gaps: pd.DataFrame, simulated: bool,
                        language: Language = "zh") -> list[str]:
    """Findings of the 拓展 report (拓展要点) in ``language``, each computed from the results.

    Parameters are :func:`income_comparison`, :func:`linkage.convergence.sigma_convergence`,
    :func:`convergence_results`, :func:`theil_by_year` and :func:`gap_changes`, made with the
    same ``language``. Sentences: growth of the two county groups and their ratio (with its
    interval when the comparison has one); the real national ratio; σ-convergence; absolute
    β-convergence with the inference used (and why, when the wild bootstrap was used); every
    β whose speed is implausible, flagged; the Theil between share (with intervals); the
    industry/employment/asset gaps classified by who led; the caveats last.
    """
    check_option("language", language, Language)
    zh = is_zh(language)
    kind = _kind(simulated, language)
    lines = _growth_sentence(comparison, kind, language)
    lines += _real_sentence(comparison, language)
    lines.append(sigma.summary(language))
    lines += _beta_sentences(betas, language)
    lines += _theil_sentence(theil, language)
    lines += _gap_sentence(gaps, language)
    lines.append("注意：县级均值按农村人口加权；区间为按县组分层的自助法区间（把县看作同一生成"
                 "过程的抽样）；β收敛回归为描述性关系，不是因果效应；面板β收敛在短面板中有 "
                 "Nickell 偏误；真实全国数据取自公开发布数字的转载页面，正式发表前请与原始来源"
                 "核对。" if zh else
                 "Caveats: county means are weighted by rural population; intervals are "
                 "bootstrap intervals stratified by county group (counties seen as draws from "
                 "one process); β-convergence regressions are descriptive, not causal; panel "
                 "β-convergence carries Nickell bias in short panels; the real national figures "
                 "come from reprints of published numbers — check them against the primary "
                 "sources before publication.")
    if simulated:
        lines.append("以上县和农户结果基于模拟数据（原贫困县与其他县的收入均值按真实全国序列校准），"
                     "仅用于演示方法，不代表任何真实地区。" if zh else
                     "The county and household results above use simulated data (group means "
                     "calibrated to the real national series), to demonstrate the methods only; "
                     "they describe no real area.")
    return lines


# --------------------------------------------------------------------------- the section

KEY = "extension"

#: The chapter title by language.
TITLE: dict[str, str] = {"zh": "拓展：收入追赶与产业就业拓展",
                         "en": "Extension: catching up, industry and employment"}

#: Where the real national series comes from: the original publishers and releases (the
#: mirror pages the figures were read from are listed in an appendix note).
NATIONAL_SOURCE = {
    "zh": "资料来源：全国农村居民人均可支配收入：国家统计局《国民经济和社会发展统计公报》"
          "（2013—2024 年各年）及 2026 年 1 月 22 日国务院新闻办公室新闻发布会（2025 年）；"
          "贫困地区农村居民人均可支配收入：国家统计局农村贫困监测调查（《中国农村贫困监测报告》及"
          "2017—2020 年发布数）、国务院新闻办公室《人类减贫的中国实践》白皮书（2021 年 4 月）；"
          "脱贫县：国家统计局 2022 年 10 月 11 日发布、国务院新闻办公室 2023 年 2 月 14 日与 "
          "2024 年 7 月 24 日新闻发布会、农业农村部 2025 年 10 月发布。比值为计算值。",
    "en": "Source: national rural disposable income per capita: National Bureau of Statistics, "
          "Statistical Communiqué on National Economic and Social Development (2013–2024) and "
          "State Council Information Office press conference of 22 January 2026 (2025); "
          "poverty areas: NBS rural poverty monitoring survey (China Rural Poverty Monitoring "
          "Report and releases 2017–2020), SCIO white paper Poverty Alleviation: China's "
          "Experience (April 2021); former poverty counties: NBS release of 11 October 2022, "
          "SCIO press conferences of 14 February 2023 and 24 July 2024, Ministry of Agriculture "
          "and Rural Affairs (October 2025). Ratios are derived.",
}


#: Framework units in English (the framework states them in Chinese).
UNITS_EN: dict[str, str] = {
    "元": "yuan", "元/人": "yuan per person", "比值": "ratio", "人次/人": "visits per person",
    "个/万人": "per 10,000 persons", "万元/村": "10,000 yuan per village",
    "人/村": "persons per village", "万人": "10,000 persons", "个": "number", "年": "years",
    "人": "persons", "户": "households", "亩": "mu", "公里": "km", "小时": "hours"}


def unit_text(unit: str, language: Language = "zh") -> str:
    """A framework unit in ``language`` (units are stored in Chinese)."""
    return unit if is_zh(language) else UNITS_EN.get(unit, unit)


def title(language: Language = "zh") -> str:
    """The chapter title in ``language``."""
    return TITLE["zh" if is_zh(language) else "en"]


def _weighted_by_year(data: PanelData, indicator: str, rows: pd.Series,
                      weights: str | None = "rural_population") -> pd.Series:
    """Yearly mean of ``indicator`` over the panel rows ``rows`` (weighted by a county
    attribute; county-years without a value are left out)."""
    panel = data.panel
    values = panel[indicator].where(rows.to_numpy())
    w = (data.attribute(weights).astype(float) if weights else
         pd.Series(1.0, index=panel.index)).where(values.notna(), 0.0)
    total = (values.fillna(0.0) * w).groupby(panel["year"]).sum()
    return (total / w.groupby(panel["year"]).sum().replace(0.0, np.nan)).rename(indicator)


def _peer_label(data: PanelData, code: str, language: Language) -> tuple[str | None, pd.Index]:
    column, members = overview.peer_counties(data, code)
    if column is None or not len(members):
        return None, pd.Index([])
    status = label("status_key_assistance" if column == "key_assistance" else
                   "status_poverty_county" if overview._flag(data, code, column)
                   else "status_other", language)
    return (f"其他{status}平均" if is_zh(language) else f"Other {status}s, mean"), members


def region_income_table(data: PanelData, scope: RegionScope, *, indicator: str =
                        "rural_income_pc", weights: str | None = "rural_population",
                        language: Language = "zh") -> pd.DataFrame:
    """The region's income by year beside the province, former poverty counties and peers
    (本地区与全省、原贫困县、同类县对比).

    Indexed by year: the region's value (a county's own; a prefecture's mean over its
    counties, weighted like the others), the province mean, the former-poverty-county mean,
    for a county its peers' mean (:func:`linkage.sections.overview.peer_counties`, the county
    itself left out), and the ratio of the region to the province mean. Means are weighted by
    ``weights`` (a county attribute).
    """
    panel = data.panel
    check_option("language", language, Language)
    everyone = pd.Series(True, index=panel.index)
    out = {}
    if scope.kind != "province":
        own = panel["region_code"].isin(scope.codes)
        out[scope.name] = _weighted_by_year(data, indicator, own, weights)
    out[label("province_mean", language)] = _weighted_by_year(data, indicator, everyone,
                                                              weights)
    if "poverty_county" in data.counties.columns:
        poor = data.attribute("poverty_county").astype(bool)
        out[label("poverty_mean", language)] = _weighted_by_year(data, indicator, poor, weights)
        out[label("other_mean", language)] = _weighted_by_year(data, indicator, ~poor, weights)
    if scope.kind == "county":
        name, members = _peer_label(data, scope.code, language)
        if name is not None:
            out[name] = _weighted_by_year(data, indicator, panel["region_code"].isin(members),
                                          weights)
    table = pd.DataFrame(out)
    if scope.kind != "province":
        table[label("ratio_to_province", language)] = (table.iloc[:, 0]
                                                       / table[label("province_mean", language)])
    table.index.name = label("year", language)
    return table


def county_growth(data: PanelData, *, indicator: str = "rural_income_pc", start: int,
                  end: int) -> pd.DataFrame:
    """Per county: the first-year income, its log, and the average annual log growth to
    ``end`` (%/年) — the two axes of absolute β-convergence — with the former-poverty flag.
    Counties without both years are left out."""
    panel = data.panel.set_index(["region_code", "year"])[indicator]
    first = panel.xs(start, level="year") if start in data.years else pd.Series(dtype=float)
    last = panel.xs(end, level="year") if end in data.years else pd.Series(dtype=float)
    frame = pd.DataFrame({"first": first, "last": last}).dropna()
    frame = frame[(frame["first"] > 0) & (frame["last"] > 0)]
    frame["ln_first"] = np.log(frame["first"])
    frame["growth"] = 100 * (np.log(frame["last"]) - frame["ln_first"]) / (end - start)
    if "poverty_county" in data.counties.columns:
        frame["poverty_county"] = frame.index.map(data.counties["poverty_county"]).astype(bool)
    frame.index.name = "region_code"
    return frame


def convergence_position_figure(growth: pd.DataFrame, scope: RegionScope, data: PanelData, *,
                                start: int, end: int, language: Language = "zh") -> Figure:
    """Initial log income against average annual growth, one point per county (收敛散点图):
    former poverty counties and the others in two colours, the region's counties marked, and
    the least-squares line of absolute β-convergence. No title (the document adds it)."""
    import matplotlib as mpl

    zh = is_zh(language)
    fig = Figure(figsize=mpl.rcParams["figure.figsize"], layout="constrained")
    ax = fig.add_subplot()
    poor = growth.get("poverty_county", pd.Series(False, index=growth.index))
    for flag, colour in ((False, "#9db4cc"), (True, "#e0a96d")):
        part = growth[poor == flag]
        ax.scatter(part["ln_first"], part["growth"], s=14, color=colour,
                   label=_group_names(language)[flag], zorder=2)
    slope, intercept = np.polyfit(growth["ln_first"], growth["growth"], 1)
    xs = np.linspace(growth["ln_first"].min(), growth["ln_first"].max(), 20)
    ax.plot(xs, intercept + slope * xs, color="#555555", lw=1, ls="--",
            label="全省拟合线（绝对β收敛）" if zh else "Fitted line (absolute β-convergence)")
    if scope.kind != "province":
        mine = growth.loc[growth.index.isin(scope.codes)]
        ax.scatter(mine["ln_first"], mine["growth"], s=46, color="#c00000", zorder=3,
                   label=scope.name)
    ax.set_xlabel(f"{start} 年农村居民人均可支配收入（对数）" if zh else
                  f"Rural disposable income per capita in {start} (log)")
    ax.set_ylabel(f"{start}—{end} 年年均增长（对数百分点）" if zh else
                  f"Average annual growth {start}–{end} (log points, %)")
    ax.legend(fontsize=7)
    return fig


def _years_text(first: int, last: int, language: Language) -> str:
    return f"{first}—{last} 年" if is_zh(language) else f"{first}–{last}"


@dataclass(frozen=True)
class ProvinceExtension:
    """The province-wide results of the 拓展 section (全省拓展结果), the same for every region
    of a batch and computed once (:func:`linkage.reporting.cache.once`)."""

    comparison: pd.DataFrame
    sigma: convergence.SigmaResult
    betas: dict[str, BetaResult]
    theil: pd.DataFrame
    dagum: pd.DataFrame
    structure: pd.DataFrame | None
    density: pd.DataFrame
    gaps: pd.DataFrame
    changes: pd.DataFrame
    growth: pd.DataFrame


def province_extension(data: PanelData, framework: Framework, *,
                       households: pd.DataFrame | None = None,
                       indicator: str = "rural_income_pc", cluster: str = "prefecture_code",
                       dagum_group: str = "prefecture_name",
                       density_years: Sequence[int] = (2015, 2020, 2025),
                       inference: Inference = "auto", missing: Missing = "drop",
                       min_cell: int = 10, reps: int = MIN_REPS, seed: int | None = SEED,
                       language: Language = "zh") -> ProvinceExtension:
    """Every province-wide computation of the 拓展 section: the group comparison with the
    real national series, σ- and β-convergence, Theil (with intervals) and Dagum
    decompositions, the household income structure (when ``households`` are given), the
    kernel densities, the industry/employment/asset gaps and each county's growth."""
    first, last = min(data.years), max(data.years)
    frame = county_frame(data, indicator)
    comparison = income_comparison(data, indicator=indicator, language=language, ci=True,
                                   reps=reps, seed=seed)
    sigma = convergence.sigma_convergence(frame, value="value", missing=missing)
    betas = convergence_results(data, indicator=indicator, start=first, end=last,
                                cluster=cluster, missing=missing, inference=inference,
                                reps=reps, seed=seed)
    theil = theil_by_year(data, indicator=indicator, language=language, ci=True, reps=reps,
                          seed=seed)
    dagum = dagum_by_year(data, indicator=indicator,
                          years=sorted({first, *density_years, last}), by=dagum_group,
                          language=language)
    structure = (None if households is None else
                 structure_table(households, data.counties, min_cell=min_cell,
                                 simulated=data.simulated, language=language))
    density = density_by_year(data, indicator=indicator,
                              years=[y for y in density_years if y in data.years] or [first, last],
                              language=language)
    gaps = dimension_gaps(data, framework, language=language, reps=reps, seed=seed)
    changes = gap_changes(gaps, language=language)
    growth = county_growth(data, indicator=indicator, start=first, end=last)
    return ProvinceExtension(comparison, sigma, betas, theil, dagum, structure, density, gaps,
                             changes, growth)


# --------------------------------------------------------------------------- build

def _income_name(framework: Framework, indicator: str, language: Language) -> str:
    """The income indicator's name as readers know it (from the framework)."""
    table = framework.indicator_table()
    if indicator in table.index:
        name = str(table.at[indicator, "name_zh" if is_zh(language) else "name_en"])
        return name if is_zh(language) else name[:1].lower() + name[1:]
    return "农村居民人均可支配收入" if is_zh(language) else "rural disposable income per capita"


def _yuan(name: str, language: Language) -> str:
    return f"{name}（元）" if is_zh(language) else f"{name} (yuan)"


def _line_figure(table: pd.DataFrame, *, ylabel: str, highlight: str | None,
                 language: Language) -> Figure:
    """Lines of a year-indexed table, one per column, without title or note (the document
    adds both)."""
    year, series, value = (label(k, language) for k in ("year", "series", "value"))
    long = (table.rename_axis(year).reset_index()
            .melt(id_vars=year, var_name=series, value_name=value).dropna())
    long[year] = long[year].astype(int)
    return plotting.line_chart(long, x=year, y=value, hue=series if table.shape[1] > 1 else None,
                               xlabel=year, ylabel=ylabel, highlight=highlight)


def _ranks(growth: pd.DataFrame, code: str) -> dict[str, float]:
    """A county's place among all counties: rank of first-year income and of growth (1 =
    highest), and its growth above (+) or below (−) the fitted convergence line."""
    slope, intercept = np.polyfit(growth["ln_first"], growth["growth"], 1)
    row = growth.loc[code]
    return {"n": len(growth),
            "income_rank": int((growth["first"] > row["first"]).sum() + 1),
            "growth_rank": int((growth["growth"] > row["growth"]).sum() + 1),
            "growth": float(row["growth"]),
            "residual": float(row["growth"] - (intercept + slope * row["ln_first"]))}


def _indicator_rows(data: PanelData, framework: Framework, scope: RegionScope, *,
                    language: Language, dimensions: Sequence[str] = EXTENSION_DIMENSIONS,
                    ) -> pd.DataFrame:
    """The 拓展 indicators of a county or prefecture: its latest value, the province and peer
    means, and its ratio to the province mean in the first and the latest year."""
    zh = is_zh(language)
    table = framework.indicator_table()
    ids = [i for i in table.index[table["dimension"].isin(list(dimensions))]
           if i in data.panel.columns]
    panel = data.panel
    own = panel["region_code"].isin(scope.codes)
    peers = None
    if scope.kind == "county":
        _, members = _peer_label(data, scope.code, language)
        peers = panel["region_code"].isin(members) if len(members) else None
    everyone = pd.Series(True, index=panel.index)
    dims = framework.dimensions()["name_zh" if zh else "name_en"]
    rows = []
    for ind in ids:
        mine = _weighted_by_year(data, ind, own).dropna()
        if mine.empty:
            continue
        province = _weighted_by_year(data, ind, everyone)
        ratio = (mine / province.reindex(mine.index)).dropna()
        first, last = int(mine.index[0]), int(mine.index[-1])
        rows.append({
            "dimension": dims.get(table.at[ind, "dimension"], ""),
            "name": table.at[ind, "name_zh" if zh else "name_en"],
            "unit": unit_text(str(table.at[ind, "unit"]), language),
            "direction": int(table.at[ind, "direction"]),
            "last_year": last, "own": mine[last], "province": province.get(last, np.nan),
            "peers": (np.nan if peers is None else
                      _weighted_by_year(data, ind, peers).get(last, np.nan)),
            "ratio_first": ratio.iloc[0] if len(ratio) else np.nan,
            "ratio_last": ratio.iloc[-1] if len(ratio) else np.nan,
            "first_year": first})
    return pd.DataFrame(rows)


def _indicator_table(rows: pd.DataFrame, scope: RegionScope, language: Language,
                     ) -> tuple[pd.DataFrame, dict[str, str]]:
    zh = is_zh(language)
    last = int(rows["last_year"].max())
    first = int(rows["first_year"].min())
    own = scope.name
    cols = ({"dimension": "维度", "name": "指标", "unit": "单位",
             "own": f"{own}（{last} 年）", "province": f"全省平均（{last} 年）",
             "peers": f"同类县平均（{last} 年）",
             "ratio_first": f"{own}/全省（{first} 年，倍）",
             "ratio_last": f"{own}/全省（{last} 年，倍）"} if zh else
            {"dimension": "Dimension", "name": "Indicator", "unit": "Unit",
             "own": f"{own} ({last})", "province": f"Province mean ({last})",
             "peers": f"Peer mean ({last})", "ratio_first": f"{own} / province ({first}, times)",
             "ratio_last": f"{own} / province ({last}, times)"})
    if rows["peers"].isna().all():
        cols.pop("peers")
    out = rows[list(cols)].rename(columns=cols)
    kinds = {cols["dimension"]: "text", cols["name"]: "text", cols["unit"]: "text",
             cols["ratio_first"]: "ratio", cols["ratio_last"]: "ratio"}
    return out, kinds


def _province_summary(result: ProvinceExtension, language: Language) -> pd.DataFrame:
    """The province-wide picture in a few rows (全省态势摘要): the group ratio, σ, the three β
    and the Theil between share, first and last, with the inference used."""
    zh = is_zh(language)
    rows = []
    comp = result.comparison
    ratio_col = next(c for c in comp.columns if c.startswith(label("gap_ratio", language))
                     and label("ci_low", language) not in c
                     and label("ci_high", language) not in c)
    own = comp[ratio_col].dropna()
    if len(own) >= 2:
        rows.append(("原贫困县/其他县收入之比（倍）" if zh else
                     "Former poverty / other counties, income ratio (times)",
                     f"{own.iloc[0]:.3f}（{own.index[0]}）" if zh else
                     f"{own.iloc[0]:.3f} ({own.index[0]})",
                     f"{own.iloc[-1]:.3f}（{own.index[-1]}）" if zh else
                     f"{own.iloc[-1]:.3f} ({own.index[-1]})",
                     "按农村人口加权；区间见附表" if zh else "weighted by rural population"))
    sig = result.sigma.table["sd_log"]
    rows.append(("县域对数收入标准差（σ）" if zh else "SD of log county income (σ)",
                 f"{sig.iloc[0]:.4f}（{sig.index[0]}）" if zh else
                 f"{sig.iloc[0]:.4f} ({sig.index[0]})",
                 f"{sig.iloc[-1]:.4f}（{sig.index[-1]}）" if zh else
                 f"{sig.iloc[-1]:.4f} ({sig.index[-1]})",
                 ("存在显著的σ收敛" if result.sigma.converging else "未发现显著的σ收敛") if zh else
                 ("significant σ-convergence" if result.sigma.converging else
                  "no significant σ-convergence")))
    from linkage.evaluation import format_pvalue
    for key, r in result.betas.items():
        p = format_pvalue(r.pvalue, reps=None if r.wild is None else r.wild.reps)
        p = f"p {p}" if p[0] in "<≤" else f"p = {p}"
        speed = ("—" if r.speed is None else f"{100 * r.speed:.1f}%/年" if zh else
                 f"{100 * r.speed:.1f}%/year")
        flag = ("；速度不可信（偏误所致）" if zh else "; implausible speed (bias)") \
            if r.implausible else ""
        rows.append((label(f"beta_{key}", language),
                     f"β = {r.beta:.4f}", f"{p}（{label(f'inference_{r.inference}', language)}）"
                     if zh else f"{p} ({label(f'inference_{r.inference}', language)})",
                     (f"收敛速度 {speed}{flag}" if zh else f"speed {speed}{flag}")))
    share = result.theil[label("theil_T_between_share", language)]
    rows.append(("泰尔T指数组间占比（%）" if zh else "Theil T between share (%)",
                 f"{share.iloc[0]:.1f}（{share.index[0]}）" if zh else
                 f"{share.iloc[0]:.1f} ({share.index[0]})",
                 f"{share.iloc[-1]:.1f}（{share.index[-1]}）" if zh else
                 f"{share.iloc[-1]:.1f} ({share.index[-1]})",
                 "原贫困县与其他县之间的差距占总差距的比重" if zh else
                 "share of inequality between former poverty and other counties"))
    heads = (["项目", "起始", "截止或估计", "说明"] if zh else
             ["Item", "First", "Last or estimate", "Note"])
    return pd.DataFrame(rows, columns=heads)


def _comparison_reader(comparison: pd.DataFrame, language: Language, *, full: bool,
                       ) -> tuple[pd.DataFrame, dict[str, str]]:
    """The group comparison with the real national series for readers: money columns named
    with their unit, intervals as "low–high" text (full) or left out (short)."""
    zh = is_zh(language)
    kinds: dict[str, str] = {}
    out = pd.DataFrame(index=comparison.index)
    level = comparison.attrs.get("level", 0.95)
    tags = {label("simulated", language), label("user_data", language), label("real", language)}

    def base(column: str) -> str:
        for tag in tags:
            column = column.replace(f"（{tag}）", "").replace(f" ({tag})", "")
        return column

    ci_low, ci_high = label("ci_low", language), label("ci_high", language)
    plain = [c for c in comparison.columns if ci_low not in c and ci_high not in c]
    for column in plain:
        name = base(column)
        is_money = name in (label("poverty_counties", language), label("other_counties", language),
                            label("poverty_area_income", language),
                            label("national_rural", language))
        is_count = name in (label("n_poverty_counties", language),
                            label("n_other_counties", language))
        if name == label("ratio_change", language):
            continue
        if is_count and not full:
            continue
        head = column
        if is_money:
            head = _yuan(column, language)
        elif not is_count:
            head = column + ("（倍）" if zh else " (times)")
        out[head] = comparison[column]
        kinds[head] = "money" if is_money else "count" if is_count else "ratio"
        if full and name in (label("gap_ratio", language),):
            low = next((c for c in comparison.columns if c.startswith(name) and ci_low in c),
                       None)
            high = next((c for c in comparison.columns if c.startswith(name) and ci_high in c),
                        None)
            if low and high:
                ci = f"{100 * level:g}%区间" if zh else f"{100 * level:g}% interval"
                head_ci = f"{base(column)} {ci}"
                out[head_ci] = [("—" if pd.isna(a) or pd.isna(b) else f"{a:.3f}–{b:.3f}")
                                for a, b in zip(comparison[low], comparison[high], strict=True)]
                kinds[head_ci] = "text"
    out.index = out.index.astype(int)
    kinds[label("year", language)] = "year"
    return out, kinds


def _mirror_note(language: Language) -> str:
    """The mirror pages the real national figures were read from (appendix note only)."""
    pages = sorted({s.split(" via ")[-1].strip() for s in
                    datasets.poverty_area_income_ratio()["source"].astype(str)
                    for s in s.split(";") if "http" in s})
    urls = sorted({w.strip("（）(),;") for p in pages for w in p.split() if w.startswith("http")})
    lead = ("注：上述公开数字读自下列转载页面，正式发表前请与原始发布核对：" if is_zh(language) else
            "Note: the published figures above were read from these reprint pages; check them "
            "against the original releases before publication: ")
    return lead + ("；" if is_zh(language) else "; ").join(urls)


def build(*, panel: str = "", counties: str = "", households: str = "", framework: str = "",
          region_code: str = "", start_year: int = 2015, end_year: int = 2025,
          language: Language = "zh", cache_dir: str = "", min_cell: int = 10,
          income_indicator: str = "rural_income_pc", cluster: str = "prefecture_code",
          dagum_group: str = "prefecture_name",
          density_years: Sequence[int] = (2015, 2020, 2025), inference: Inference = "auto",
          missing: Missing = "drop", reps: int = MIN_REPS, seed: int | None = 2021,
          ) -> Section:
    """The 拓展 section as a document (拓展章节).

    ``region_code=""`` gives the province report: former poverty counties against the others
    and the real national series, σ-/β-convergence, inequality decompositions and the
    industry, employment and asset gaps. A county code gives that county in context: its income
    and 拓展 indicators over time against the province, the former-poverty-county and peer
    means, its gaps and its place in the convergence picture, with the province-wide results
    short (their tables in the appendix; the province-wide figures — σ, Theil, densities, gap
    ratios, the national ratio — are drawn in the province report only, so a county report
    renders three figures); a prefecture code gives its counties. Every province-wide
    computation goes through
    :func:`linkage.reporting.cache.once` (``cache_dir``), so a batch computes it once.

    Options keep the names and defaults of notebook 04 (``min_cell``, ``income_indicator``,
    ``cluster``, ``dagum_group``, ``density_years``, ``inference``, ``missing``, ``reps``,
    ``seed``).

    Returns
    -------
    linkage.reporting.document.Section
    """
    from linkage.frameworks import load_framework
    from linkage.panel import load_panel
    from linkage.reporting.cache import once

    check_option("language", language, Language)
    check_option("inference", inference, Inference)
    zh = is_zh(language)
    plotting.setup_cjk()
    fw = load_framework(framework or None)
    data = load_panel(panel or None, counties=counties or None).between_years(start_year,
                                                                              end_year)
    scope = region_scope(data, region_code, language=language)
    key = {"panel": panel, "counties": counties, "households": households,
           "framework": framework, "start_year": start_year, "end_year": end_year,
           "language": language, "min_cell": min_cell, "indicator": income_indicator,
           "cluster": cluster, "dagum_group": dagum_group,
           "density_years": list(density_years), "inference": inference, "missing": missing,
           "reps": reps, "seed": seed}

    def compute() -> ProvinceExtension:
        from linkage.sections.consolidation import load_households

        hd = load_households(households or None, start_year=start_year, end_year=end_year)
        return province_extension(data, fw, households=hd.households,
                                  indicator=income_indicator, cluster=cluster,
                                  dagum_group=dagum_group, density_years=density_years,
                                  inference=inference, missing=missing, min_cell=min_cell,
                                  reps=reps, seed=seed, language=language)

    result = once(cache_dir, "extension-province", key, compute)
    b = SectionBuilder(KEY, title(language), language=language, simulated=data.simulated)
    src = overview.data_source(data, language)
    national_src = NATIONAL_SOURCE["zh" if zh else "en"]
    first, last = min(data.years), max(data.years)
    income = _income_name(fw, income_indicator, language)
    _region_part(b, data, fw, scope, result, income_indicator=income_indicator,
                 language=language, source=src)
    _province_part(b, data, scope, result, language=language, source=src,
                   national_source=national_src, first=first, last=last, reps=reps,
                   min_cell=min_cell)
    _extension_findings(b, data, scope, result, language=language, indicator=income_indicator,
                        income=income)
    _extension_methods(b, result, language=language, reps=reps, min_cell=min_cell,
                       simulated=data.simulated, income=income)
    return b.build()


def _region_part(b: SectionBuilder, data: PanelData, framework: Framework, scope: RegionScope,
                 result: ProvinceExtension, *, income_indicator: str, language: Language,
                 source: str) -> None:
    """A county's or prefecture's own picture: income against the province and its peers,
    its 拓展 indicators, its place in the convergence scatter (nothing for the province)."""
    if scope.kind == "province":
        return
    zh = is_zh(language)
    income = _income_name(framework, income_indicator, language)
    table = region_income_table(data, scope, indicator=income_indicator, language=language)
    ratio = label("ratio_to_province", language)
    money = [c for c in table.columns if c != ratio]
    shown = table.rename(columns={c: _yuan(c, language) for c in money}
                         ).rename(columns={ratio: ratio + ("（倍）" if zh else " (times)")})
    kinds = {c: "money" for c in shown.columns}
    kinds[shown.columns[-1]] = "ratio"
    kinds[label("year", language)] = "year"
    shown.index = shown.index.astype(int)
    own = table.iloc[:, 0].dropna()
    r = table[ratio].dropna()
    status = (overview.county_status(data, scope.code, language=language)
              if scope.kind == "county" else
              (f"辖 {len(scope.codes)} 个县" if zh else f"{len(scope.codes)} counties"))
    b.heading(f"{scope.name}的收入追赶" if zh else f"Catching up: {scope.name}")
    if zh:
        b.paragraph(
            f"{scope.name}（{status}）{own.index[-1]} 年{income}为 {own.iloc[-1]:,.0f} 元，相当于"
            f"全省平均的 {r.iloc[-1]:.2f} 倍（{r.index[0]} 年为 {r.iloc[0]:.2f} 倍）。"
            "{table:region_income}与{figure:region_income_fig}把它与全省、原贫困县、其他县"
            + ("和同类县" if scope.kind == "county" else "") + "的平均水平逐年对照。")
    else:
        b.paragraph(
            f"{scope.name} ({status}): {income} was {own.iloc[-1]:,.0f} yuan in "
            f"{own.index[-1]}, {r.iloc[-1]:.2f} times the province mean ({r.iloc[0]:.2f} in "
            f"{r.index[0]}). {{table:region_income}} and {{figure:region_income_fig}} set it "
            "against the province, former poverty counties, the other counties"
            + (" and its peers" if scope.kind == "county" else "") + " year by year.")
    weighting = ("各平均值按农村人口加权。" if zh else "Means are weighted by rural population.")
    b.table("region_income", (f"{scope.name}{income}与全省、同类县平均" if zh else
                              f"{income.capitalize()}: {scope.name} against the province and "
                              "peers"), shown, source=source, kinds=kinds,
            notes=[weighting + (" 同类县：与本县同为重点帮扶县（或同为原贫困县、非原贫困县）的"
                                "其他县。" if zh and scope.kind == "county" else
                                " Peers: the other counties of the same kind (key assistance, "
                                "former poverty, or neither)." if scope.kind == "county"
                                else "")])
    fig = _line_figure(table[money], ylabel=_yuan(income, language), highlight=scope.name,
                       language=language)
    b.figure("region_income_fig", (f"{scope.name}{income}的走势" if zh else
                                   f"{income.capitalize()} over time: {scope.name}"),
             fig, source=source)
    rows = _indicator_rows(data, framework, scope, language=language)
    if len(rows):
        shown_rows, kinds = _indicator_table(rows, scope, language)
        lagging = rows[(rows["ratio_last"] - 1) * rows["direction"] < 0]
        closing = lagging[(rows.loc[lagging.index, "ratio_last"]
                           - rows.loc[lagging.index, "ratio_first"])
                          * rows.loc[lagging.index, "direction"] > 0]
        b.heading("特色产业、就业与扶贫资产" if zh else "Industry, employment and assets",
                  level=3)
        b.paragraph(
            (f"{len(rows)} 项拓展指标中，{scope.name}有 {len(lagging)} 项仍落后于全省平均，"
             f"其中 {len(closing)} 项与全省的差距较起始年缩小（{{table:region_indicators}}；"
             "单个地区的比值没有抽样区间，这里只作描述）。") if zh else
            (f"Of {len(rows)} extension indicators, {scope.name} still trails the province mean "
             f"in {len(lagging)}, and the distance shrank since the first year in "
             f"{len(closing)} of them ({{table:region_indicators}}; a single region's ratio has "
             "no sampling interval: descriptive only)."))
        b.table("region_indicators", (f"{scope.name}的特色产业、就业与扶贫资产指标" if zh else
                                      f"Industry, employment and asset indicators: "
                                      f"{scope.name}"),
                shown_rows, source=source, kinds=kinds, decimals={
                    c: 2 for c in shown_rows.columns if kinds.get(c) is None},
                notes=["均为正向指标：比值大于 1 表示高于全省平均。" if zh and
                       (rows["direction"] > 0).all() else
                       "All indicators are positive: a ratio above 1 means above the province "
                       "mean." if (rows["direction"] > 0).all() else ""])
    growth = result.growth
    first, last = min(data.years), max(data.years)
    b.heading("在全省收敛格局中的位置" if zh else "Place in the convergence picture", level=3)
    if scope.kind == "county" and scope.code in growth.index:
        rk = _ranks(growth, scope.code)
        faster = rk["residual"] > 0
        b.paragraph(
            (f"{scope.name} {first} 年收入在全省 {rk['n']} 个县中居第 {rk['income_rank']} 位（由"
             f"高到低），"
             f"{first}—{last} 年年均增长 {rk['growth']:.1f} 个对数百分点，居第"
             f" {rk['growth_rank']} 位，"
             f"比按全省收敛关系（{{figure:position}}中的拟合线）预期的增长"
             f"{'快' if faster else '慢'} {abs(rk['residual']):.1f} 个百分点。") if zh else
            (f"{scope.name} ranked {rk['income_rank']} of {rk['n']} counties by income in "
             f"{first} (highest first); it grew {rk['growth']:.1f} log points a year in "
             f"{first}–{last}, rank {rk['growth_rank']}, {abs(rk['residual']):.1f} points "
             f"{'faster' if faster else 'slower'} than the province's convergence line "
             "({figure:position}) predicts."))
    else:
        b.paragraph("{figure:position}中红点为本地区各县：横轴为起始年收入，纵轴为此后的年均增长。"
                     if zh else "In {figure:position} the region's counties are in red: "
                     "income in the first year across, average annual growth since up.")
        members = growth.loc[growth.index.isin(scope.codes)].copy()
        if len(members):
            members["name"] = [data.region_name(c) for c in members.index]
            members["status"] = [overview.county_status(data, c, language=language)
                                 for c in members.index]
            province = _weighted_by_year(data, income_indicator,
                                         pd.Series(True, index=data.panel.index))
            members["ratio"] = members["last"] / province.get(last, np.nan)
            heads = ({"name": "县", "status": "类型", "first": f"{first} 年收入（元）",
                      "last": f"{last} 年收入（元）", "growth": "年均增长（对数百分点）",
                      "ratio": f"{last} 年与全省平均之比（倍）"} if zh else
                     {"name": "County", "status": "Status", "first": f"Income {first} (yuan)",
                      "last": f"Income {last} (yuan)", "growth": "Annual growth (log points)",
                      "ratio": f"Ratio to province mean {last} (times)"})
            shown_members = members[list(heads)].rename(columns=heads).sort_values(
                heads["last"], ascending=False)
            b.table("region_counties", (f"{scope.name}各县收入与增长" if zh else
                                        f"Counties of {scope.name}: income and growth"),
                    shown_members, source=source, index=False,
                    kinds={heads["name"]: "text", heads["status"]: "text",
                           heads["first"]: "money", heads["last"]: "money",
                           heads["growth"]: "percent", heads["ratio"]: "ratio"})
    b.figure("position", ("起始收入与此后增长：全省各县" if zh else
                          "Initial income and later growth, all counties"),
             convergence_position_figure(growth, scope, data, start=first, end=last,
                                         language=language),
             source=source, notes=["拟合线为全部县的最小二乘直线，斜率为负表示低收入县增长更快"
                                   "（绝对β收敛）；描述性关系，不是因果效应。" if zh else
                                   "The line is the least-squares fit over all counties; a "
                                   "negative slope means poorer counties grew faster (absolute "
                                   "β-convergence); descriptive, not causal."])


def _beta_reader(betas: dict[str, BetaResult], language: Language) -> pd.DataFrame:
    """:func:`beta_table` for readers: p-values as printed ("≤ 0.001" at a bootstrap floor),
    the interval bounds named with their level."""
    from linkage.evaluation import format_pvalue

    table = beta_table(betas, language=language)
    p = label("pvalue", language)
    table[p] = [format_pvalue(r.pvalue, reps=None if r.wild is None else r.wild.reps)
                for r in betas.values()]
    level = next(iter(betas.values())).level
    pct = f"{100 * level:g}%"
    zh = is_zh(language)
    table = table.rename(columns={
        label("ci_low", language): f"{pct}置信区间下限" if zh else f"{pct} CI low",
        label("ci_high", language): f"{pct}置信区间上限" if zh else f"{pct} CI high"})
    table.index.name = "回归" if zh else "Regression"
    return table


def _province_part(b: SectionBuilder, data: PanelData, scope: RegionScope,
                   result: ProvinceExtension, *, language: Language, source: str,
                   national_source: str, first: int, last: int, reps: int,
                   min_cell: int) -> None:
    """The province-wide results: in the main body for the province report, one summary
    table for a county or prefecture; the detail in the appendix."""
    zh = is_zh(language)
    province = scope.kind == "province"
    detail = not province  # the long tables go to the appendix in a regional report
    both = f"{source[:-1]}；{national_source[len('资料来源：'):]}" if zh else \
        f"{source[:-1]}; {national_source[len('Source: '):]}"
    b.heading("全省的追赶与收敛" if zh else "Catching up and convergence across the province")
    if not province:
        b.paragraph(("全省层面的结果对本地区同样适用，这里只列摘要（{table:province_summary}），"
                     "完整的比较、收敛回归与分解见附录。") if zh else
                    ("The province-wide results apply to every region; a summary is given "
                     "here ({table:province_summary}), the full comparison, convergence "
                     "regressions and decompositions are in the appendix."))
    else:
        b.paragraph(("{table:income_groups}比较原贫困县与其他县的收入及其比值，并与真实全国序列"
                     "（贫困地区/脱贫县农村居民收入相当于全国农村的比例）对照；"
                     "{table:province_summary}汇总收敛与不平等分解的结果。") if zh else
                    ("{table:income_groups} compares income in former poverty and other "
                     "counties and their ratio with the real national series (rural income of "
                     "poverty areas / former poverty counties relative to national rural); "
                     "{table:province_summary} summarises convergence and the inequality "
                     "decomposition."))
    short, short_kinds = _comparison_reader(result.comparison, language, full=False)
    mirror = _mirror_note(language)
    b.table("income_groups", ("原贫困县与其他县的收入及全国对照" if zh else
                              "Income of former poverty and other counties, and the national "
                              "series"),
            short, source=both, kinds=short_kinds, appendix=detail,
            notes=["本数据列为县域面板的加权均值；“真实统计”列为全国公开数字，2014、2015 年"
                   "未公布贫困地区可比数字，保持空缺。" if zh else
                   "Columns of this data are weighted county means; the real-statistics columns "
                   "are national published figures (2014 and 2015 have no comparable "
                   "poverty-area figure and stay empty).", mirror if detail else ""])
    ratios = [c for c in short.columns if short_kinds.get(c) == "ratio"]
    if province:  # province-wide figures: in the province report only
        b.figure("income_ratio", ("原贫困地区收入相对水平：本数据与真实全国序列" if zh else
                                  "Relative income of former poverty areas: this data and the "
                                  "real series"),
                 _line_figure(short[ratios], ylabel=label("ratio", language), highlight=None,
                              language=language),
                 source=both, appendix=detail)
    b.table("province_summary", ("全省收敛与差距摘要" if zh else
                                 "Convergence and gaps across the province: summary"),
            _province_summary(result, language), source=source,
            kinds={c: "text" for c in _province_summary(result, language).columns},
            notes=["β收敛各回归的 p 值方法见“说明”列；收敛速度高于 10%/年视为不可信。" if zh else
                   "The inference of each β regression is in the note column; speeds above "
                   "10% a year are not credible."])
    changes = result.changes
    ind = label("indicator", language)
    ch = label("ratio_change", language)
    level = changes.attrs.get("level", 0.95)
    low, high = overview.ci_columns(ch, level, language)
    gap_shown = changes.reset_index().rename(columns={
        label("first_ratio", language): label("first_ratio", language) + ("（倍）" if zh else
                                                                          " (times)"),
        label("last_ratio", language): label("last_ratio", language) + ("（倍）" if zh else
                                                                        " (times)")})
    gap_shown[f"{100 * level:g}%区间" if zh else f"{100 * level:g}% interval"] = [
        f"{a:+.3f}–{b_:+.3f}" for a, b_ in zip(gap_shown[low], gap_shown[high], strict=True)]
    gap_shown = gap_shown.drop(columns=[low, high])
    b.table("gap_changes", ("特色产业、就业与扶贫资产：原贫困县与其他县之比的变化" if zh else
                            "Industry, employment and assets: change of the former poverty / "
                            "other ratio"), gap_shown, source=source, appendix=detail,
            kinds={ind: "text", label("first_year", language): "year",
                   label("last_year", language): "year", ch: "score"},
            notes=[("区间按县重抽（各年同抽）得到；区间不含 0 时才称差距缩小或扩大。" if zh else
                    "Intervals from resampling counties (all years together); a gap is called "
                    "narrowed or widened only when its interval excludes 0.")])
    details = [*_theil_sentence(result.theil, language),
               *_real_sentence(result.comparison, language)]
    if province and details:
        b.paragraph(" ".join(details))
    if province:
        b.paragraph("{figure:theil}显示泰尔T指数的组间与组内分量。" if zh else
                     "{figure:theil} shows the between and within parts of Theil T.")
    theil = result.theil
    parts = [label("theil_T_between", language), label("theil_T_within", language)]
    if province:  # province-wide figures: in the province report only
        b.figure("theil", ("泰尔T指数的组间与组内分量" if zh else
                           "Theil T: between and within groups"),
                 _line_figure(theil[parts], ylabel=label("theil_T", language), highlight=None,
                              language=language), source=source, appendix=detail)
    # ---- always in the appendix: the detail
    full, full_kinds = _comparison_reader(result.comparison, language, full=True)
    b.table("income_groups_full", ("原贫困县与其他县收入比较（含区间与县数）" if zh else
                                   "Former poverty and other counties: income with intervals "
                                   "and county counts"),
            full, source=both, kinds=full_kinds, appendix=True,
            notes=[(f"区间为按县组分层重抽县的自助法区间（{reps} 次）。" if zh else
                    f"Intervals: bootstrap resampling counties within their group ({reps} "
                    "draws)."), mirror])
    sigma = result.sigma.table.rename(columns={
        "n": "县数" if zh else "Counties",
        "mean": _yuan("平均收入" if zh else "Mean income", language),
        "sd_log": label("sd_log", language), "cv": label("cv", language)})
    sigma.index = sigma.index.astype(int)
    sigma.index.name = label("year", language)
    b.table("sigma", ("σ收敛：各年县域收入的离散程度" if zh else
                      "σ-convergence: dispersion of county income by year"),
            sigma, source=source, appendix=True,
            kinds={sigma.columns[0]: "count", sigma.columns[1]: "money",
                   label("year", language): "year"},
            decimals={label("sd_log", language): 4, label("cv", language): 4},
            notes=[result.sigma.summary(language)])
    if province:  # province-wide figures: in the province report only
        b.figure("sigma_fig", label("fig_sigma", language),
                 _line_figure(result.sigma.table[["sd_log"]].set_axis([label("sd_log", language)],
                                                                      axis=1),
                              ylabel=label("sd_log", language), highlight=None, language=language),
                 source=source, appendix=True)
    betas = _beta_reader(result.betas, language)
    b.table("beta", ("β收敛回归" if zh else "β-convergence regressions"), betas,
            source=source, appendix=True,
            kinds={label("inference", language): "text", label("pvalue", language): "text",
                   label("implausible", language): "flag",
                   label("beta_dropped", language): "text", label("nobs", language): "count",
                   label("clusters", language): "count"},
            decimals={label("speed", language): 2, label("half_life", language): 1},
            notes=[" ".join(r.summary(language) for r in result.betas.values())])
    theil_shown = theil.rename(columns={"n": "县数" if zh else "Counties"})
    theil_shown.index = theil_shown.index.astype(int)
    b.table("theil_table", ("泰尔指数分解：原贫困县与其他县" if zh else
                            "Theil decomposition: former poverty and other counties"),
            theil_shown, source=source, appendix=True,
            kinds={theil_shown.columns[0]: "count", label("year", language): "year"},
            decimals={c: 4 for c in theil_shown.columns[1:] if "%" not in c}
            | {c: 1 for c in theil_shown.columns if "%" in c})
    dagum = result.dagum.copy()
    dagum.index = dagum.index.astype(int)
    b.table("dagum", ("Dagum 基尼系数分解（按地市）" if zh else
                      "Dagum Gini decomposition by prefecture"), dagum, source=source,
            appendix=True, kinds={label("year", language): "year"},
            decimals={c: 4 for c in dagum.columns if "%" not in c}
            | {c: 1 for c in dagum.columns if "%" in c})
    if result.structure is not None:
        structure = result.structure.apply(pd.to_numeric, errors="coerce")
        b.table("structure", ("农户收入结构：原贫困县与其他县" if zh else
                               "Household income structure: former poverty and other "
                               "counties"), structure, source=source + (
                               "全国农村 2023 年：国家统计局《2023 年国民经济和社会发展统计公报》"
                               "及年度居民收入构成发布。" if zh else
                               " National rural 2023: NBS Statistical Communiqué 2023."),
                appendix=True, kinds={c: "percent" for c in structure.columns},
                notes=[(f"国家统计局口径：各项收入加权总和之比，经营亏损计入；"
                        f"户数少于 {min_cell} 的"
                        "单元格不显示（“—”），以免识别到户。" if zh else
                        f"NBS convention: ratio of weighted sums, business losses included; "
                        f"cells resting on fewer than {min_cell} households are not shown "
                        "(\"—\") so that no household can be identified.")])
    if province:  # province-wide figures: in the province report only
        fig = plotting.line_chart(result.density, x="value", y="density",
                                  hue=label("year", language),
                                  xlabel=("农村居民人均可支配收入（对数）" if zh else
                                          "Rural disposable income per capita (log)"),
                                  ylabel=label("density", language))
        b.figure("density", label("fig_density", language), fig, source=source, appendix=True,
                 notes=["高斯核，Silverman 带宽，各年共用一个网格；分布右移表示整体增长，"
                        "变窄表示县际差距缩小。" if zh else
                        "Gaussian kernel, Silverman bandwidth, one grid for all years; a shift "
                        "right is growth, a narrower curve smaller gaps."])
    if province:  # province-wide figures: in the province report only
        dim = label("dimension", language)
        for i, (name, part) in enumerate(result.gaps.groupby(dim, sort=False)):
            wide = part.pivot_table(index=label("year", language), columns=ind,
                                    values=label("gap_ratio", language))
            b.figure(f"gap_ratio_{i}", (f"{name}：原贫困县与其他县之比" if zh else
                                        f"{name}: former poverty / other counties"),
                     _line_figure(wide, ylabel=label("gap_ratio", language) + (
                         "（倍）" if zh else " (times)"), highlight=None, language=language),
                     source=source, appendix=True)


def _extension_findings(b: SectionBuilder, data: PanelData, scope: RegionScope,
                        result: ProvinceExtension, *, language: Language,
                        indicator: str = "rural_income_pc", income: str = "") -> None:
    """The findings, most important first: the region's own gap (county or prefecture), the
    gaps between county groups closing or not, inequality, convergence (with the
    implausible-speed caveat), the real national ratio."""
    zh = is_zh(language)
    kind = _kind(data.simulated, language)
    metrics = _extension_metrics(data, scope, result, language=language, indicator=indicator)
    if scope.kind != "province":
        m = metrics
        direction = ("缩小" if m["change"] > 0 else "扩大" if m["change"] < 0 else "不变") \
            if m["ratio"] < 1 else ("领先扩大" if m["change"] > 0 else "领先缩小")
        b.finding(
            (f"{scope.name} {m['year']} 年{income} {m['income']:,.0f} 元，为全省平均的 "
             f"{m['ratio']:.2f} 倍（{m['first_year']} 年为 {m['ratio_first']:.2f} 倍），与全省的"
             f"差距{direction}（{{table:region_income}}）。") if zh else
            (f"{scope.name}: {income} {m['income']:,.0f} yuan in "
             f"{m['year']}, {m['ratio']:.2f} times the province mean ({m['ratio_first']:.2f} in "
             f"{m['first_year']}) ({{table:region_income}})."), rank=20)
    ref = "（见{table:income_groups}）" if zh else " (see {table:income_groups})"
    for line in _growth_sentence(result.comparison, kind, language):
        b.finding(line[:-1] + ref + line[-1], rank=22)
    for line in _gap_sentence(result.changes, language, escape=False):
        b.finding(line[:-1] + ("（见{table:gap_changes}）。" if zh else
                               " (see {table:gap_changes})."), rank=24)
    b.finding(_convergence_finding(result, language)[:-1] + (
        "（见{table:province_summary}）。" if zh else " (see {table:province_summary})."),
              rank=30)
    for key, value, unit, name in (
            ("ext_income_pc", metrics["income"], "元",
             (income, income[:1].upper() + income[1:])),
            ("ext_income_year", metrics["year"], "年", ("收入数据年份", "Year of the income")),
            ("ext_ratio_to_province", metrics["ratio"], "倍",
             ("与全省平均之比", "Ratio to the province mean")),
            ("ext_ratio_change", metrics["change"], "倍",
             ("与全省平均之比较起始年的变化", "Change of the ratio to the province mean")
             if scope.kind != "province" else
             ("原贫困县/其他县收入比较起始年的变化",
              "Change of the former poverty / other income ratio")),
            ("ext_poverty_other_ratio", metrics["poverty_other"], "倍",
             ("原贫困县/其他县收入比（全省）", "Former poverty / other income ratio"))):
        b.metric(key, name[0] if zh else name[1], value, unit if zh else {
            "元": "yuan", "年": "year", "倍": "times"}[unit])


def _convergence_finding(result: ProvinceExtension, language: Language) -> str:
    """σ- and absolute β-convergence in one sentence for the summary, with every implausible
    speed flagged (the full regression statements are in the appendix)."""
    from linkage.evaluation import format_pvalue

    zh = is_zh(language)
    sigma = result.sigma
    sd = sigma.table["sd_log"]
    if zh:
        verdict = "显著缩小（σ收敛）" if sigma.converging else "未显著缩小（无σ收敛）"
        text = (f"县域收入差距{verdict}：对数收入标准差由 {sd.iloc[0]:.3f} 变为 {sd.iloc[-1]:.3f}")
    else:
        verdict = ("fell significantly (σ-convergence)" if sigma.converging
                   else "did not fall significantly")
        text = (f"County income dispersion {verdict}: SD of log income from {sd.iloc[0]:.3f} "
                f"to {sd.iloc[-1]:.3f}")
    absolute = result.betas.get("absolute")
    if absolute is not None:
        p = format_pvalue(absolute.pvalue,
                          reps=None if absolute.wild is None else absolute.wild.reps)
        p = f"p {p}" if p[0] in "<≤" else f"p = {p}"
        how = label(f"inference_{absolute.inference}", language)
        speed = "" if absolute.speed is None else (
            f"，收敛速度约 {100 * absolute.speed:.1f}%/年，半衰期 {absolute.half_life:.0f} 年"
            if zh else f", about {100 * absolute.speed:.1f}% a year, half-life "
            f"{absolute.half_life:.0f} years")
        if zh:
            text += (f"；起始收入低的县增长更快（绝对β收敛 β = {absolute.beta:.4f}，{p}，{how}"
                     f"{speed}）" if absolute.beta < 0 else
                     f"；未见绝对β收敛（β = {absolute.beta:.4f}，{p}，{how}）")
        else:
            text += (f"; poorer counties grew faster (absolute β = {absolute.beta:.4f}, {p}, "
                     f"{how}{speed})" if absolute.beta < 0 else
                     f"; no absolute β-convergence (β = {absolute.beta:.4f}, {p}, {how})")
    flagged = [label(f"beta_{k}", language) for k, r in result.betas.items() if r.implausible]
    if flagged:
        text += (f"；{'、'.join(flagged)}的速度高于 10%/年，不可信（短面板偏误），不作解读" if zh
                 else f"; the speed of {', '.join(flagged)} exceeds 10% a year and is not "
                 "credible (short-panel bias): not interpreted")
    return text + ("。" if zh else ".")


def _extension_metrics(data: PanelData, scope: RegionScope, result: ProvinceExtension, *,
                       language: Language, indicator: str = "rural_income_pc",
                       ) -> dict[str, float]:
    """Key numbers of the region: latest income, its ratio to the province mean then and in
    the first year, and the former-poverty / other ratio of the province."""
    comp = result.comparison
    kind = _kind(data.simulated, language)
    ratio_col = _tagged(label("gap_ratio", language), kind, language)
    group = comp[ratio_col].dropna()
    poverty_other = float(group.iloc[-1]) if len(group) else float("nan")
    group_change = float(group.iloc[-1] - group.iloc[0]) if len(group) else float("nan")
    everyone = pd.Series(True, index=data.panel.index)
    own_rows = data.panel["region_code"].isin(scope.codes)
    series = _weighted_by_year(data, indicator, own_rows).dropna()
    province = _weighted_by_year(data, indicator, everyone)
    ratio = (series / province.reindex(series.index)).dropna()
    return {"income": float(series.iloc[-1]) if len(series) else float("nan"),
            "year": int(series.index[-1]) if len(series) else None,
            "first_year": int(ratio.index[0]) if len(ratio) else None,
            "ratio": float(ratio.iloc[-1]) if len(ratio) and scope.kind != "province" else
            (1.0 if len(ratio) else float("nan")),
            "ratio_first": float(ratio.iloc[0]) if len(ratio) else float("nan"),
            "change": (float(ratio.iloc[-1] - ratio.iloc[0]) if scope.kind != "province"
                       else group_change),
            "poverty_other": poverty_other}


def _extension_methods(b: SectionBuilder, result: ProvinceExtension, *, language: Language,
                       reps: int, min_cell: int, simulated: bool, income: str) -> None:
    """Methods and caveats in reader language (no option or module names)."""
    zh = is_zh(language)
    clusters = next(iter(result.betas.values())).clusters
    if zh:
        b.method(f"收入比较：县级均值按农村人口加权；原贫困县与其他县的均值及其比值附 95% 自助法"
                 f"区间"
                 f"（按县组分层重抽县，{reps} 次，随机种子固定，结果可以复现）。")
        b.method("σ收敛看各年县域对数收入的标准差是否随时间下降；β收敛看起始收入低的县是否增长更快"
                 "（Barro & Sala-i-Martin 1992）。条件β收敛控制原贫困县虚拟变量与地市固定效应，"
                 "面板β收敛用县和年份双向固定效应。标准误按地市聚类（与 Stata 的聚类小样本校正一"
                 "致）。")
        b.method(f"本省只有 {clusters} 个地市，聚类少于 42 个时聚类稳健 t 检验会过度拒绝"
                 "（Cameron, Gelbach & Miller 2008；MacKinnon & Webb 2017），β 的 p 值与置信区间"
                 "因此改用施加原假设的野聚类自助法（地市少于 12 个时用 Webb 六点权重，"
                 "否则用 Rademacher 权重；区间由自助检验反演得到）。")
        b.method("泰尔T、L指数按“原贫困县/其他县”分解为组间与组内（Shorrocks 1980），县按农村人口"
                 "加权，组间占比附自助法区间；Dagum 基尼系数按地市分解为组内、组间净值与超变密度"
                 "（Dagum 1997）。")
        b.method(f"农户收入结构按国家统计局口径（加权收入总和之比，经营亏损计入）计算，户数少于 "
                 f"{min_cell} 的单元格不显示。县域收入分布用高斯核密度（Silverman 带宽）。")
        b.method("特色产业、就业与扶贫资产指标的差距按“谁领先、距离是否缩小”分类：起始落后的指标才谈"
                 "得上“差距缩小”；比值变化的区间（按县重抽、各年同抽）不含 0 时才称缩小或扩大。"
                 "单个县或地市与全省平均之比没有抽样区间，只作描述。")
        b.caveat("收敛速度高于 10%/年（半衰期不足 7 年）的估计不可信：文献中横截面估计约 2%/年、"
                 "面板估计约 4%–10%/年；县固定效应短面板的β有 Nickell（1981）偏误，偏向“快速收敛"
                 "”。")
        b.caveat("β收敛回归是描述性关系，不是因果效应；县级指标口径在不同年份、不同省份可能变化。")
        b.caveat("真实全国数字取自公开发布数字的转载页面（见附录表注），正式发表前请与国家统计局等"
                 "原始发布核对。")
        if simulated:
            b.caveat("本章县和农户结果基于模拟数据：原贫困县与其他县的收入均值按真实全国序列校准，"
                     "因而二者之比与真实序列接近是构造所致；仅用于演示方法，不代表任何真实地区。")
        return
    b.method(f"Income comparison: county means weighted by rural population; the means of former "
             f"poverty and other counties and their ratio carry 95% bootstrap intervals "
             f"(counties resampled within their group, {reps} draws, fixed seed, "
             "reproducible).")
    b.method("σ-convergence asks whether the dispersion of log county income falls over time; "
             "β-convergence whether counties with lower initial income grow faster (Barro & "
             "Sala-i-Martin 1992). Conditional β-convergence controls for the former-poverty "
             "dummy and prefecture fixed effects; panel β-convergence uses county and year fixed "
             "effects. Standard errors are clustered by prefecture (Stata's small-sample "
             "correction).")
    b.method(f"The province has only {clusters} prefectures; with fewer than 42 clusters "
             "cluster-robust t-tests over-reject (Cameron, Gelbach & Miller 2008; MacKinnon & "
             "Webb 2017), so β's p-values and intervals come from the restricted wild cluster "
             "bootstrap (Webb six-point weights below 12 prefectures, Rademacher otherwise; "
             "intervals by inverting the bootstrap test).")
    b.method("Theil T and L are split between and within former poverty and other counties "
             "(Shorrocks 1980), counties weighted by rural population, the between share with "
             "bootstrap intervals; the Dagum Gini is split by prefecture into within, net "
             "between and transvariation (Dagum 1997).")
    b.method(f"Household income structure follows the NBS convention (ratio of weighted sums, "
             f"business losses included); cells resting on fewer than {min_cell} households "
             "are not shown. County income distributions: Gaussian kernel density (Silverman "
             "bandwidth).")
    b.method("Industry, employment and asset gaps are classified by who leads and whether the "
             "distance shrank: only a gap the former poverty counties trailed can narrow; a "
             "change is named only when its interval (counties resampled, all years together) "
             "excludes 0. A single county's or prefecture's ratio to the province mean has no "
             "sampling interval and is descriptive.")
    b.caveat("Speeds of convergence above 10% a year (half-life under 7 years) are not credible: "
             "cross-section estimates are about 2% a year, panel estimates 4%–10%; β in short "
             "panels with county fixed effects carries Nickell (1981) bias toward fast "
             "convergence.")
    b.caveat("β-convergence regressions are descriptive, not causal; county indicator "
             "definitions may change across years and provinces.")
    b.caveat("The real national figures were read from reprints of published numbers (listed in "
             "an appendix note); check them against the NBS releases before publication.")
    if simulated:
        b.caveat("The county and household results of this chapter use simulated data: group "
                 "means are calibrated to the real national series, so their ratio tracks it "
                 "by construction; for demonstrating the methods only, describing no real "
                 "area.")
