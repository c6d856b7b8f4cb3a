"""拓展 (extension) report glue: catching up, convergence, gaps and structure for ``04``.

The ``04_extension`` report asks whether former poverty counties are catching up with the rest
(结果同等性): their income growth against other counties and against the real national series,
σ- and β-convergence across counties, the between-group share of inequality (Theil, Dagum),
the structure of household income, the distribution of county income over the years, and the
industry, employment and asset indicators of the framework (特色产业、就业拓展、扶贫资产).

The statistics come from :mod:`linkage.overview`, :mod:`linkage.convergence`,
:mod:`linkage.inequality`, :mod:`linkage.income` and :mod:`linkage.datasets`; this module
assembles report tables (household tables suppressed as in :mod:`linkage.consolidation`) and
writes the Chinese findings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from linkage import convergence, datasets, inequality, overview, plotting
from linkage.convergence import BetaResult
from linkage.disclosure import suppress
from linkage.errors import InputError
from linkage.frameworks import Framework
from linkage.income import income_structure
from linkage.labels import Language, label
from linkage.panel import PanelData

__all__ = [
    "EXTENSION_DIMENSIONS",
    "beta_table",
    "convergence_results",
    "county_frame",
    "dagum_by_year",
    "density_by_year",
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

_GROUPS = {True: "原贫困县", False: "其他县"}


def _require_attribute(data: PanelData, column: str) -> None:
    if column not in data.counties.columns:
        raise InputError(f"县属性表中没有 {column} 列 / the county table lacks {column}",
                         column=column,
                         hint="传入含该列的 counties 文件（见 docs/architecture.md）")


def county_frame(data: PanelData, indicator: str) -> pd.DataFrame:
    """County-year rows with ``indicator``, the former-poverty flag and prefecture attributes.

    Columns: ``region_code, year, value, poverty_county`` (bool), ``group`` (原贫困县 / 其他县),
    ``prefecture_code``, ``prefecture_name`` and ``rural_population`` where the county table
    has them. Rows with a missing value are kept (each function says how it treats them).
    """
    _require_attribute(data, "poverty_county")
    if indicator not in data.panel.columns:
        raise InputError(f"面板中没有指标 {indicator} / indicator not in the panel",
                         column=indicator, hint="检查指标代码（见指标体系）")
    frame = data.panel[["region_code", "year", indicator]].rename(columns={indicator: "value"})
    attrs = [c for c in ("poverty_county", "prefecture_code", "prefecture_name",
                         "rural_population") if c in data.counties.columns]
    frame = frame.join(data.counties[attrs], on="region_code")
    frame["poverty_county"] = frame["poverty_county"].fillna(False).astype(bool)
    frame["group"] = frame["poverty_county"].map(_GROUPS)
    return frame


def income_comparison(data: PanelData, *, indicator: str = "rural_income_pc",
                      weight: str | None = "rural_population",
                      language: Language = "zh") -> pd.DataFrame:
    """Former poverty counties against the others and against the real national series.

    Left: yearly means of ``indicator`` in former poverty counties and in the other counties
    (weighted by ``weight``, :func:`linkage.overview.group_trends`) and their ratio — labelled
    模拟数据 for the bundled sample. Right: the real national series of
    :func:`linkage.datasets.poverty_area_income_ratio` (贫困地区 2013–2020 / 脱贫县 from 2021,
    national rural income, their ratio), labelled 真实统计; years without a real figure stay
    empty.

    Returns
    -------
    DataFrame
        Indexed by year.
    """
    kind = label("simulated" if data.simulated else "user_data", language)
    real = label("real", language)
    trend = overview.group_trends(data, [indicator], weight=weight, language=language)
    if trend.empty:
        _require_attribute(data, "poverty_county")
    own = trend.set_index(label("year", language)).drop(columns=label("indicator", language))
    own.columns = [f"{c}（{kind}）" for c in own.columns]
    ratio = datasets.poverty_area_income_ratio().set_index("year")
    national = pd.DataFrame({
        f"贫困地区/脱贫县（{real}）": ratio["income_poverty_area"],
        f"全国农村（{real}）": ratio["income_national_rural"],
        f"比值（{real}）": ratio["ratio"]})
    out = own.join(national, how="left")
    out.index.name = label("year", language)
    return out


def convergence_results(data: PanelData, *, indicator: str = "rural_income_pc",
                        start: int, end: int, cluster: str = "prefecture_code",
                        ) -> dict[str, BetaResult]:
    """Absolute, conditional and panel β-convergence of ``indicator`` across counties.

    * 绝对β收敛: :func:`linkage.convergence.beta_convergence` from ``start`` to ``end``;
    * 条件β收敛: the same with the former-poverty dummy as control and prefecture fixed
      effects (when the county table has ``prefecture_code``);
    * 面板β收敛: :func:`linkage.convergence.panel_beta_convergence` with two-way effects.

    Standard errors are clustered by ``cluster`` (a county attribute, default the prefecture;
    Stata's ``vce(cluster)`` small-sample factor). Counties lacking a start or end value are
    dropped and counted in ``n`` (``missing="drop"``).
    """
    frame = county_frame(data, indicator).assign(
        poverty_county=lambda f: f["poverty_county"].astype(float))
    if cluster not in frame.columns:
        raise InputError(f"县属性表中没有聚类变量 {cluster} / cluster column missing",
                         column=cluster, hint="用 region_code 按县聚类，或提供 prefecture_code")
    out = {"绝对β收敛": convergence.beta_convergence(
        frame, value="value", start=start, end=end, cluster=cluster, missing="drop")}
    fixed = "prefecture_code" if "prefecture_code" in frame.columns else None
    out["条件β收敛"] = convergence.beta_convergence(
        frame, value="value", start=start, end=end, controls=["poverty_county"],
        fixed_effects=fixed, cluster=cluster, missing="drop")
    out["面板β收敛(双向固定效应)"] = convergence.panel_beta_convergence(
        frame[["region_code", "year", "value", cluster]], value="value", fixed_effects="twoway",
        cluster=cluster, missing="drop")
    return out


def beta_table(results: dict[str, BetaResult]) -> pd.DataFrame:
    """One row per β regression: β, clustered SE, p, speed λ (%/年), half-life (年), N, G, R².

    Speed and half-life are empty where β is outside (−1/T, 0) (no convergence).
    """
    rows = {}
    for name, r in results.items():
        first = r.coefficients.iloc[0]
        rows[name] = {"β": r.beta, "聚类稳健标准误": first["se"], "p值": first["p"],
                      "收敛速度λ(%/年)": None if r.speed is None else 100 * r.speed,
                      "半衰期(年)": r.half_life, "样本数N": r.n, "聚类数": r.clusters,
                      "R²": r.r2}
    return pd.DataFrame.from_dict(rows, orient="index").astype(float).round(4)


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
                         if c.startswith(("原贫困县/其他县", "比值", "Former poverty"))]]
    source = "真实序列：国家统计局、国新办（经转载页面），见 data/raw/reference/SOURCES.md。"
    return _trend_figure(ratios, title="原贫困地区收入相对水平：本数据与真实全国序列"
                         if language == "zh" else "Relative income of former poverty areas",
                         ylabel=label("ratio", language), language=language,
                         note=source + ("\n" + note if note else ""))


def sigma_figure(sigma: convergence.SigmaResult, *, note: str = "",
                 language: Language = "zh") -> Figure:
    """σ-convergence figure (σ收敛图): standard deviation of log county income by year."""
    ylabel = "对数标准差" if language == "zh" else "SD of log income"
    return _trend_figure(sigma.table[["sd_log"]].set_axis([ylabel], axis=1),
                         title="σ收敛：县域对数收入标准差" if language == "zh"
                         else "σ-convergence: SD of log county income",
                         ylabel=ylabel, note=note or "资料来源：县域面板", language=language)


def theil_figure(theil: pd.DataFrame, *, note: str = "", language: Language = "zh") -> Figure:
    """Between- and within-group Theil T over time (泰尔指数分解图), from :func:`theil_by_year`."""
    return _trend_figure(theil[["泰尔T组间", "泰尔T组内"]],
                         title="泰尔T指数的组间与组内分量" if language == "zh"
                         else "Theil T: between and within groups",
                         ylabel="泰尔T" if language == "zh" else "Theil T",
                         note=note or "资料来源：县域面板", language=language)


def theil_by_year(data: PanelData, *, indicator: str = "rural_income_pc",
                  weight: str | None = "rural_population") -> pd.DataFrame:
    """Theil T and L across counties by year, split between/within 原贫困县 and 其他县.

    :func:`linkage.inequality.theil` (Theil 1967; Shorrocks 1980 decomposition) of county
    ``indicator`` weighted by ``weight`` (population-weighted inequality between counties);
    counties with a missing value in a year are left out of that year (counted in ``n``).

    Returns
    -------
    DataFrame
        Indexed by year: for T and L the total, between, within and between share (%), and n.
    """
    frame = county_frame(data, indicator).dropna(subset=["value"])
    rows = {}
    for year, part in frame.groupby("year", sort=True):
        w = part[weight] if weight and weight in part.columns else None
        row: dict[str, float] = {"n": len(part)}
        for kind in ("T", "L"):
            r = inequality.theil(part["value"], groups=part["group"], weights=w, kind=kind)
            row |= {f"泰尔{kind}": r.total, f"泰尔{kind}组间": r.between,
                    f"泰尔{kind}组内": r.within,
                    f"泰尔{kind}组间占比(%)": 100 * r.between / r.total}
        rows[year] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = label("year")
    return out.round(4).astype({"n": int})


def dagum_by_year(data: PanelData, *, indicator: str = "rural_income_pc",
                  years: Sequence[int], by: str = "prefecture_name",
                  weight: str | None = "rural_population") -> pd.DataFrame:
    """Dagum Gini decomposition across counties by group (default prefecture) for ``years``.

    :func:`linkage.inequality.dagum_gini` (Dagum 1997): total Gini = within + net between +
    transvariation, with each part's share (%). Years not in the data are skipped.
    """
    frame = county_frame(data, indicator).dropna(subset=["value"])
    if by not in frame.columns:
        raise InputError(f"没有分组列 {by} / group column missing", column=by,
                         hint="可用 group（原贫困县/其他县）或县属性表中的列")
    rows = {}
    for year in [y for y in years if y in set(frame["year"])]:
        part = frame[frame["year"] == year]
        w = part[weight] if weight and weight in part.columns else None
        r = inequality.dagum_gini(part["value"], groups=part[by], weights=w)
        f = r.to_frame()
        rows[year] = {"基尼系数": r.total, "组内": r.within, "组间净值": r.net_between,
                      "超变密度": r.transvariation, "组内贡献(%)": f.loc["within", "share_pct"],
                      "组间净值贡献(%)": f.loc["net_between", "share_pct"],
                      "超变密度贡献(%)": f.loc["transvariation", "share_pct"]}
    out = pd.DataFrame.from_dict(rows, orient="index").round(4)
    out.index.name = label("year")
    return out


def structure_table(households: pd.DataFrame, counties: pd.DataFrame, *,
                    weights: str | None = "weight", min_cell: int = 10,
                    simulated: bool = True) -> pd.DataFrame:
    """Household income structure by county group and year, with national rural 2023 (real).

    :func:`linkage.income.income_structure` (NBS convention: ratio of weighted sums, losses
    kept) of wage, business, property and transfer income (%), for households in former
    poverty counties and in the other counties (``poverty_county`` of ``counties``, indexed by
    ``region_code``), by year; a row 全国农村 2023（真实统计） from ``income_composition_2023``
    (国家统计局) follows. Household cells rest on the households of the row.
    """
    if "poverty_county" not in counties.columns:
        raise InputError("县属性表中没有 poverty_county 列", column="poverty_county",
                         hint="传入县属性表（counties 参数）")
    flag = households["region_code"].map(counties["poverty_county"])
    if flag.isna().any():
        code = households.loc[flag.isna(), "region_code"].iloc[0]
        raise InputError(f"农户所在县 {code} 不在县属性表中 / county not in the county table",
                         column="region_code", hint="检查 households 与 counties 是否同一地区")
    data = households.assign(_group=flag.astype(bool).map(_GROUPS))
    s = income_structure(data, by=["_group", "year"], weights=weights)
    names = {"wage": "工资性收入(%)", "business": "经营净收入(%)",
             "property": "财产净收入(%)", "transfer": "转移净收入(%)"}
    table = (100 * s[list(names)]).round(2).rename(columns=names)
    kind = label("simulated" if simulated else "user_data")
    table.index = [f"{g} {y}（{kind}）" for g, y in table.index]
    counts = pd.Series(s["households"].to_numpy(), index=table.index)
    out = suppress(table, counts, min_cell=min_cell)
    nat = datasets.load("income_composition_2023")
    nat = nat[nat["residence"] == "农村"].set_index("component")["value_yuan"].astype(float)
    real = {v: 100 * nat[k] / nat["可支配收入合计"] for k, v in
            (("工资性收入", names["wage"]), ("经营净收入", names["business"]),
             ("财产净收入", names["property"]), ("转移净收入", names["transfer"]))}
    out.loc[f"全国农村 2023（{label('real')}）"] = [round(real[c], 2) for c in out.columns]
    out.index.name = "组别 年份"
    return out


def density_by_year(data: PanelData, *, indicator: str = "rural_income_pc",
                    years: Sequence[int], log: bool = True) -> pd.DataFrame:
    """Kernel density of county ``indicator`` (log by default) for the ``years`` in the data.

    :func:`linkage.convergence.kernel_density` (Gaussian kernel, Silverman bandwidth, one grid
    for all years). Missing values are left out of their year.

    Returns
    -------
    DataFrame
        Columns 年份 (str, for the legend), value, density.
    """
    frame = county_frame(data, indicator).dropna(subset=["value"])
    frame = frame[frame["year"].isin(list(years))]
    if frame.empty:
        raise InputError(f"所选年份 {list(years)} 不在数据中 / selected years not in the data",
                         column="year", hint=f"数据年份：{data.years}")
    values = np.log(frame["value"]) if log else frame["value"]
    series = pd.Series(values.to_numpy(), index=pd.Index(frame["year"], name="year"))
    dens = convergence.kernel_density(series, by="year")
    return pd.DataFrame({label("year"): dens["year"].astype(str), "value": dens["value"],
                         "density": dens["density"]})


def dimension_gaps(data: PanelData, framework: Framework, *,
                   dimensions: Sequence[str] = EXTENSION_DIMENSIONS,
                   language: Language = "zh") -> pd.DataFrame:
    """Trends and gaps of the 拓展 indicators (特色产业、就业拓展、扶贫资产) by county group.

    :func:`linkage.overview.group_trends` for every indicator of ``dimensions`` present in the
    panel: weighted yearly means in former poverty counties and the others and their ratio,
    with the dimension's name.
    """
    table = framework.indicator_table()
    ids = [i for i in table.index[table["dimension"].isin(list(dimensions))]
           if i in data.panel.columns]
    if not ids:
        raise InputError(f"面板中没有维度 {list(dimensions)} 的指标 / no indicators of these "
                         "dimensions", hint="检查指标体系与面板列名")
    trends = overview.group_trends(data, ids, framework=framework, language=language)
    if trends.empty:
        _require_attribute(data, "poverty_county")
    names = table.loc[ids, "name_zh" if language == "zh" else "name_en"]
    dims = framework.dimensions()["name_zh" if language == "zh" else "name_en"]
    by_name = pd.Series(table.loc[ids, "dimension"].map(dims).to_numpy(), index=names.to_numpy())
    trends.insert(0, label("dimension", language),
                  trends[label("indicator", language)].map(by_name))
    return trends


def gap_changes(gaps: pd.DataFrame, *, language: Language = "zh") -> pd.DataFrame:
    """First- and last-year ratio (原贫困县/其他县) per indicator and whether the gap narrowed.

    For a positive indicator the gap narrows when the ratio moves toward 1; for a negative
    one (lower is better) likewise — the distance |ratio − 1| is compared either way.
    """
    ind, year = label("indicator", language), label("year", language)
    ratio = label("gap_ratio", language)
    rows = {}
    for name, part in gaps.dropna(subset=[ratio]).groupby(ind, sort=False):
        part = part.sort_values(year)
        first, last = part[ratio].iloc[0], part[ratio].iloc[-1]
        rows[name] = {"维度": part[label("dimension", language)].iloc[0],
                      "起始年": int(part[year].iloc[0]), "起始比值": round(first, 3),
                      "截止年": int(part[year].iloc[-1]), "截止比值": round(last, 3),
                      "差距缩小": bool(abs(last - 1) < abs(first - 1))}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = ind
    return out


def extension_narrative(*, comparison: pd.DataFrame, sigma: convergence.SigmaResult,
                        betas: dict[str, BetaResult], theil: pd.DataFrame,
                        gaps: pd.DataFrame, simulated: bool) -> list[str]:
    """Findings of the 拓展 report in Chinese (拓展要点), each computed from the results.

    Parameters are :func:`income_comparison`, :func:`linkage.convergence.sigma_convergence`,
    :func:`convergence_results`, :func:`theil_by_year` and :func:`gap_changes` (Chinese
    headings). The last sentences are the caveats.
    """
    kind = label("simulated" if simulated else "user_data")
    lines: list[str] = []
    poor, other = f"原贫困县（{kind}）", f"其他县（{kind}）"
    ratio_col = f"原贫困县/其他县（{kind}）"
    own = comparison[[poor, other, ratio_col]].dropna()
    if len(own) >= 2:
        y0, y1 = own.index[0], own.index[-1]
        span = y1 - y0
        g_poor = (own[poor].iloc[-1] / own[poor].iloc[0]) ** (1 / span) - 1
        g_other = (own[other].iloc[-1] / own[other].iloc[0]) ** (1 / span) - 1
        lines.append(
            f"{y0}—{y1} 年原贫困县收入年均增长 {g_poor:.1%}，"
            f"{'快于' if g_poor > g_other else '不快于'}其他县（{g_other:.1%}）；两者之比由 "
            f"{own[ratio_col].iloc[0]:.3f} 变为 {own[ratio_col].iloc[-1]:.3f}。")
    real_col = f"比值（{label('real')}）"
    real = comparison[real_col].dropna()
    if len(real):
        lines.append(
            f"真实统计中，贫困地区/脱贫县农村居民收入相当于全国农村的比例由 {real.index[0]} 年的 "
            f"{real.iloc[0]:.1%} 升至 {real.index[-1]} 年的 {real.iloc[-1]:.1%}"
            if real.iloc[-1] > real.iloc[0] else
            f"真实统计中，贫困地区/脱贫县农村居民收入相当于全国农村的比例由 {real.index[0]} 年的 "
            f"{real.iloc[0]:.1%} 变为 {real.index[-1]} 年的 {real.iloc[-1]:.1%}")
        lines[-1] += "（国家统计局等公开数字）。"
    lines.append(sigma.summary())
    absolute = betas.get("绝对β收敛")
    if absolute is not None:
        lines.append(absolute.summary())
    if len(theil):
        share = theil["泰尔T组间占比(%)"]
        lines.append(
            f"泰尔T指数中原贫困县与其他县之间的差距占比由 {share.index[0]} 年的 "
            f"{share.iloc[0]:.1f}% 变为 {share.index[-1]} 年的 {share.iloc[-1]:.1f}%"
            f"（组间差距的比重{'下降' if share.iloc[-1] < share.iloc[0] else '未下降'}）。")
    if len(gaps):
        narrowed = gaps.index[gaps["差距缩小"]].tolist()
        widened = gaps.index[~gaps["差距缩小"]].tolist()
        lines.append(
            f"特色产业、就业、扶贫资产 {len(gaps)} 项指标中，{len(narrowed)} 项的县组差距缩小"
            + (f"；差距未缩小的有：{'、'.join(widened)}" if widened else "") + "。")
    lines.append("注意：县级均值按农村人口加权；β收敛回归为描述性关系，不是因果效应；"
                 "面板β收敛在短面板中有 Nickell 偏误；真实全国数据取自公开发布数字的转载页面，"
                 "正式发表前请与原始来源核对。")
    if simulated:
        lines.append("以上县和农户结果基于模拟数据（原贫困县与其他县的收入均值按真实全国序列校准），"
                     "仅用于演示方法，不代表任何真实地区。")
    return lines
