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
from linkage.escaping import markdown_text as _md
from linkage.frameworks import Framework
from linkage.income import income_structure
from linkage.labels import Language, is_zh, label
from linkage.panel import PanelData
from linkage.sections import overview

__all__ = [
    "BETA_KINDS",
    "EXTENSION_DIMENSIONS",
    "beta_table",
    "convergence_results",
    "county_frame",
    "dagum_by_year",
    "density_by_year",
    "density_figure",
    "dimension_gaps",
    "extension_narrative",
    "gap_changes",
    "income_comparison",
    "income_ratio_figure",
    "sigma_figure",
    "structure_table",
    "theil_by_year",
    "theil_figure",
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


def _gap_sentence(gaps: pd.DataFrame, language: Language) -> list[str]:
    """Count gaps by who led at the start: only gaps the former poverty counties trailed can
    narrow in the catching-up sense; gaps they led are reported apart; a change whose
    interval covers 0 is "no significant change" and listed with its interval."""
    if not len(gaps):
        return []
    zh = is_zh(language)
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
