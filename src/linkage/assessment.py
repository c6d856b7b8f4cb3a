"""衔接评估 (linkage assessment): tables and findings of the ``02_linkage`` report.

Builds on :func:`linkage.scoring.score_framework` (scores at every level of the framework)
and :mod:`linkage.coupling` (coupling coordination, obstacle degree): group trends of scores,
coupling coordination between two nodes (脱贫成果 / 巩固 / 拓展 and 乡村振兴) with grades and
relative development types, the classic and corrected C side by side, obstacles, rankings, and
a short narrative in Chinese. The report notebook only calls, plots and narrates.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from linkage import coupling
from linkage.checks import check_option
from linkage.coupling import CouplingMethod
from linkage.errors import InputError
from linkage.labels import Language, label
from linkage.panel import PanelData
from linkage.scoring import FrameworkScores

__all__ = [
    "coupling_by_method",
    "d_matrix",
    "dimension_obstacles",
    "frequent_obstacles",
    "function_coupling",
    "grade_distribution",
    "group_means",
    "linkage_coupling",
    "linkage_narrative",
    "obstacles",
    "rank_regions",
    "type_counts",
]

MatrixRows = Literal["auto", "county", "prefecture"]
_PAIR = ("poverty", "revitalization")


def _poverty_flag(data: PanelData, codes: pd.Index) -> pd.Series | None:
    if "poverty_county" not in data.counties.columns:
        return None
    flag = data.counties["poverty_county"].reindex(codes)
    return flag.fillna(False).astype(bool).set_axis(codes)


def group_means(values: pd.DataFrame, data: PanelData, *, region_code: str | None = None,
                language: Language = "zh") -> pd.DataFrame:
    """Yearly means of region-year scores: province, former poverty counties, others (分组均值).

    Means are unweighted over counties (each county counts once, as is usual for composite
    index scores); the poverty-county split needs the ``poverty_county`` attribute and is left
    out without it. With ``region_code`` the county's own series is added.

    Parameters
    ----------
    values : DataFrame
        Index (region_code, year), one column per series (e.g. subsystem names or ``D``).

    Returns
    -------
    DataFrame
        Long table: year, series (the column), group, value.
    """
    codes = values.index.get_level_values("region_code")
    years = values.index.get_level_values("year")
    parts = {label("province_mean", language): values.groupby(years).mean()}
    flag = _poverty_flag(data, pd.Index(codes))
    if flag is not None:
        poor = flag.to_numpy()
        parts[label("poverty_counties", language)] = values[poor].groupby(years[poor]).mean()
        parts[label("other_counties", language)] = values[~poor].groupby(years[~poor]).mean()
    if region_code is not None:
        own = values.xs(region_code, level="region_code")
        parts[data.region_name(region_code)] = own
    frames = [part.rename_axis(index="year").reset_index().melt(
        id_vars="year", var_name="series", value_name="value").assign(group=name)
        for name, part in parts.items()]
    out = pd.concat(frames, ignore_index=True)[["year", "series", "group", "value"]]
    return out.rename(columns={"year": label("year", language),
                               "series": label("series", language),
                               "group": label("region", language),
                               "value": label("value", language)})


def linkage_coupling(
    scores: FrameworkScores,
    *,
    pair: tuple[str, str] = _PAIR,
    method: CouplingMethod = "corrected",
    scheme: str = "tian2021",
    language: Language = "zh",
) -> pd.DataFrame:
    """耦合协调度 between two scored nodes (default 脱贫成果 and 乡村振兴), region-year by row.

    Calls :func:`linkage.coupling.coupling_coordination` on the two node scores (equal
    contributions α = β = 0.5 to T). Default ``method="corrected"`` (王淑佳 et al. 2021,
    自然资源学报 36(3)): the classic C is close to 1 whenever two scores are proportional,
    however low, so it overstates coupling; :func:`coupling_by_method` shows both.

    Parameters
    ----------
    pair : (str, str)
        Node keys, e.g. ``("poverty", "revitalization")`` or
        ``("poverty/*/consolidate", "revitalization")`` (巩固 across both layers).

    Returns
    -------
    DataFrame
        Index (region_code, year); the two scores (columns named in ``language``), ``C``,
        ``T``, ``D``, ``grade``, ``type``.

    Examples
    --------
    >>> from linkage.panel import load_panel
    >>> from linkage.scoring import score_framework
    >>> scores = score_framework(load_panel().panel, missing="year_mean")
    >>> cc = linkage_coupling(scores)
    >>> list(cc.columns)
    ['脱贫成果', '乡村振兴', 'C', 'T', 'D', 'grade', 'type']
    >>> bool((cc["D"] ** 2 - cc["C"] * cc["T"]).abs().max() < 1e-12)
    True
    """
    u = scores.select(list(pair), labels=language)
    return u.join(coupling.coupling_coordination(u, method=method, scheme=scheme,
                                                 language=language))


def coupling_by_method(scores: FrameworkScores, *, pair: tuple[str, str] = _PAIR,
                       language: Language = "zh") -> pd.DataFrame:
    """Mean C and D by year under the classic and the corrected formula (两种耦合度对比).

    Returns
    -------
    DataFrame
        Indexed by year; columns ``C (classic)``, ``C (corrected)``, ``D (classic)``,
        ``D (corrected)`` — averages over regions.

    Examples
    --------
    >>> from linkage.panel import load_panel
    >>> from linkage.scoring import score_framework
    >>> table = coupling_by_method(score_framework(load_panel().panel, missing="year_mean"))
    >>> bool((table["C (classic)"] >= table["C (corrected)"]).all())
    True
    """
    out = {}
    for method in ("classic", "corrected"):
        cc = linkage_coupling(scores, pair=pair, method=method, language=language)
        means = cc[["C", "D"]].groupby(level="year").mean()
        out[f"C ({method})"] = means["C"]
        out[f"D ({method})"] = means["D"]
    return pd.DataFrame(out)[["C (classic)", "C (corrected)", "D (classic)", "D (corrected)"]]


def function_coupling(scores: FrameworkScores, *, against: str = "revitalization",
                      method: CouplingMethod = "corrected", scheme: str = "tian2021",
                      language: Language = "zh") -> pd.DataFrame:
    """D of 巩固 and of 拓展 (each across both layers) with ``against`` (default 乡村振兴).

    Returns
    -------
    DataFrame
        Index (region_code, year), one column of D per function total present, named in
        ``language``.
    """
    table = scores.weights.set_index("node")
    functions = list(table.index[table["level"] == "function_total"])
    if not functions:
        raise InputError("没有巩固/拓展功能层的得分 / no function totals were scored",
                         hint="指标体系需要 层面 → 功能 → 维度 的结构（如默认体系的脱贫成果）")
    name = "name_zh" if language == "zh" else "name_en"
    return pd.DataFrame({
        table.at[f, name]: linkage_coupling(scores, pair=(f, against), method=method,
                                            scheme=scheme, language=language)["D"]
        for f in functions})


def dimension_obstacles(scores: FrameworkScores, obs: pd.DataFrame, *, year: int,
                        language: Language = "zh") -> pd.Series:
    """Mean obstacle degree of each dimension over the regions in ``year``, largest first.

    The obstacle degree of a dimension is the sum of its indicators' obstacle degrees
    (:func:`linkage.coupling.obstacle_by_group`).
    """
    table = scores.weights.set_index("node")
    dims = table.loc[obs.columns, "parent"].map(table["name_zh" if language == "zh"
                                                      else "name_en"])
    by_dim = coupling.obstacle_by_group(obs, dims).xs(year, level="year").mean()
    return by_dim.sort_values(ascending=False).rename(
        "平均障碍度" if language == "zh" else "Mean obstacle degree")


def _named(data: PanelData, codes) -> list[str]:
    return [data.region_name(c) for c in codes]


def d_matrix(cc: pd.DataFrame, data: PanelData, *, column: str = "D",
             by: MatrixRows = "auto") -> pd.DataFrame:
    """Region × year table of ``D`` (or another column of ``cc``) for a heat map (协调度热力图).

    ``by="county"``: one row per county; ``"prefecture"``: the mean over the counties of each
    prefecture (地级市), which keeps the map readable for a province of 100+ counties;
    ``"auto"`` (default): prefectures when the county table names them, else counties. Rows
    are ordered by the latest year's value, highest first, and labelled by name.
    """
    check_option("by", by, MatrixRows)
    has_prefecture = "prefecture_name" in data.counties.columns
    if by == "prefecture" and not has_prefecture:
        raise InputError("县属性表中没有 prefecture_name 列 / no prefecture names",
                         column="prefecture_name", hint='改用 by="county"')
    grid = cc[column].unstack("year")
    if by == "prefecture" or (by == "auto" and has_prefecture):
        prefecture = data.counties["prefecture_name"].reindex(grid.index)
        grid = grid.groupby(prefecture.fillna("—").to_numpy()).mean()
    else:
        grid.index = _named(data, grid.index)
    grid = grid.sort_values(grid.columns[-1], ascending=False)
    grid.columns.name = label("year")
    return grid


def grade_distribution(cc: pd.DataFrame) -> pd.DataFrame:
    """Number of regions in each grade, year × grade (all grades of the scheme, 0 if none).

    >>> idx = pd.MultiIndex.from_tuples([("990101", 2024), ("990102", 2024)],
    ...                                 names=["region_code", "year"])
    >>> g = coupling.grade(pd.Series([0.55, 0.65], index=idx))
    >>> counts = grade_distribution(pd.DataFrame({"grade": g}))
    >>> counts.loc[2024, ["勉强协调", "初级协调", "优质协调"]].tolist()
    [1, 1, 0]
    """
    return pd.crosstab(cc.index.get_level_values("year"), cc["grade"], dropna=False
                       ).rename_axis(index=label("year"), columns=None)


def type_counts(cc: pd.DataFrame) -> pd.DataFrame:
    """Number of regions of each relative development type, year × type.

    >>> idx = pd.MultiIndex.from_tuples([("990101", 2024), ("990102", 2024)],
    ...                                 names=["region_code", "year"])
    >>> t = coupling.relative_development(pd.Series([0.2, 0.5], index=idx),
    ...                                   pd.Series([0.5, 0.45], index=idx))
    >>> type_counts(pd.DataFrame({"type": t})).loc[2024].to_dict()
    {'U1滞后型': 1, '同步型': 1, 'U2滞后型': 0}
    """
    return pd.crosstab(cc.index.get_level_values("year"), cc["type"], dropna=False
                       ).rename_axis(index=label("year"), columns=None)


def rank_regions(cc: pd.DataFrame, data: PanelData, *, year: int, k: int = 5) -> pd.DataFrame:
    """Top and bottom ``k`` regions by D in ``year`` (协调度排名), best first.

    Returns
    -------
    DataFrame
        Columns rank (1 = highest D of all regions), region_code, region name, the two
        subsystem scores, C, D, grade, type, and ``position`` (前/后 k 位).
    """
    if year not in set(cc.index.get_level_values("year")):
        raise InputError(f"协调度结果中没有 {year} 年 / year not in the results", column="year",
                         hint="检查 start_year / end_year 参数")
    part = cc.xs(year, level="year").sort_values("D", ascending=False)
    part.insert(0, "rank", np.arange(1, len(part) + 1))
    part.insert(1, label("region"), _named(data, part.index))
    k = min(k, len(part))
    top = part.head(k).assign(position=f"前 {k} 位")
    bottom = part.tail(k).assign(position=f"后 {k} 位")
    out = pd.concat([top, bottom[~bottom.index.isin(top.index)]])
    return out.rename_axis("region_code").reset_index()


def obstacles(scores: FrameworkScores, subsystem: str) -> pd.DataFrame:
    """障碍度 of the indicators of one subsystem, region-year × indicator (rows sum to 1).

    Uses the standardised values and the global indicator weights of the subsystem
    (:func:`linkage.coupling.obstacle_degree`, 鲁春阳 et al. 2011).
    """
    weights = scores.indicator_weights(subsystem)
    return coupling.obstacle_degree(scores.standardized[list(weights.index)], weights)


def frequent_obstacles(obs: pd.DataFrame, *, year: int, k: int = 3,
                       names: pd.Series | None = None) -> pd.DataFrame:
    """How often each indicator is among the ``k`` main obstacles of a county in ``year``.

    Returns
    -------
    DataFrame
        indicator (and name), number of counties, share of counties, mean obstacle degree
        where it is among the top k; most frequent first.
    """
    part = obs.xs(year, level="year")
    top = coupling.top_obstacles(part, k=k, names=names)
    grouped = top.groupby("indicator", sort=False)
    out = pd.DataFrame({"n_regions": grouped.size(), "mean_share": grouped["share"].mean()})
    out["share_of_regions"] = out["n_regions"] / len(part)
    if names is not None:
        out.insert(0, "name", pd.Series(names).reindex(out.index).to_numpy())
    return out.sort_values(["n_regions", "mean_share"], ascending=False).reset_index()


def _mean_by_group(values: pd.Series, data: PanelData) -> tuple[float, float] | None:
    flag = _poverty_flag(data, values.index)
    if flag is None or flag.all() or not flag.any():
        return None
    return float(values[flag.to_numpy()].mean()), float(values[~flag.to_numpy()].mean())


def linkage_narrative(
    scores: FrameworkScores,
    cc: pd.DataFrame,
    data: PanelData,
    *,
    region_code: str,
    subsystem_obstacles: str = "revitalization",
    region_word: str = "县",
) -> list[str]:
    """Short findings in Chinese, each a sentence computed from the results (衔接评估要点).

    Covers what was scored (and what is missing), how the two subsystems and D moved, the gap
    between former poverty counties and the others, the lagging counties and the dominant
    relative development type, the main obstacle dimension, the featured county, and the
    caveats the field knows (entropy weights reward dispersion; the classic C is inflated;
    pooled normalisation; simulated data).

    Parameters
    ----------
    cc : DataFrame
        Output of :func:`linkage_coupling`.
    region_code : str
        Featured county.
    region_word : str
        What a region is called in the sentences: "县" (default) or e.g. "市" when the
        panel was aggregated to prefectures with :meth:`linkage.panel.PanelData.at_level`.
    """
    opts = scores.options
    years = sorted(set(cc.index.get_level_values("year")))
    first, last = years[0], years[-1]
    u1, u2 = cc.columns[:2]
    n_regions = cc.index.get_level_values("region_code").nunique()
    n_ind = scores.standardized.shape[1]
    lines = [
        f"评价覆盖 {n_regions} 个{region_word}、{first}—{last} 年，{n_ind} 项指标参与评价"
        + (f"；框架中另有 {len(scores.absent)} 项指标数据中没有（未评价）："
           f"{'、'.join(scores.absent[:8])}{' 等' if len(scores.absent) > 8 else ''}。"
           if scores.absent else "，框架指标齐全。")
    ]
    by_year = cc[[u1, u2, "D"]].groupby(level="year").mean()
    lines.append(
        f"全省平均{u1}得分由 {first} 年的 {by_year.at[first, u1]:.3f} 变为 {last} 年的 "
        f"{by_year.at[last, u1]:.3f}，{u2}得分由 {by_year.at[first, u2]:.3f} 变为 "
        f"{by_year.at[last, u2]:.3f}。")
    grades = coupling.grade(by_year["D"], scheme="tian2021")
    coordinated = (cc.xs(last, level="year")["D"] > 0.5).mean()
    lines.append(
        f"耦合协调度 D 的全省均值由 {by_year.at[first, 'D']:.3f}（{grades[first]}）"
        f"{'升至' if by_year.at[last, 'D'] > by_year.at[first, 'D'] else '降至'} "
        f"{by_year.at[last, 'D']:.3f}（{grades[last]}），{last} 年 D > 0.5（勉强协调及以上）"
        f"的{region_word}占 {coordinated:.0%}。")
    gap = _mean_by_group(cc.xs(last, level="year")["D"], data)
    if gap is not None:
        relation = "高于" if gap[0] > gap[1] else "低于"
        lines.append(f"{last} 年原贫困县 D 均值 {gap[0]:.3f}，{relation}其他县（{gap[1]:.3f}），"
                     f"相差 {abs(gap[1] - gap[0]):.3f}。")
    latest = cc.xs(last, level="year").sort_values("D")
    lagging = "、".join(f"{data.region_name(c)}（{d:.3f}）"
                        for c, d in latest["D"].head(3).items())
    types = latest["type"].value_counts()
    lines.append(f"{last} 年协调度最低的{region_word}：{lagging}；最常见的相对发展类型为"
                 f"“{types.index[0]}”（{types.iloc[0]} 个{region_word}）。")
    if scores.has(subsystem_obstacles):
        obs = obstacles(scores, subsystem_obstacles)
        table = scores.weights.set_index("node")
        by_dim = dimension_obstacles(scores, obs, year=last)
        lines.append(f"{last} 年{table.at[subsystem_obstacles, 'name_zh']}的主要障碍维度是"
                     f"“{by_dim.index[0]}”（平均障碍度 {by_dim.iloc[0]:.0%}）。")
        own = obs.loc[(region_code, last)].nlargest(3)
        if own.notna().all():
            lines.append(f"{data.region_name(region_code)}的前三位障碍因子："
                         + "、".join(f"{table.at[i, 'name_zh']}（{v:.0%}）"
                                     for i, v in own.items()) + "。")
    if (region_code, last) in cc.index:
        row = cc.loc[(region_code, last)]
        rank = int((latest["D"] > row["D"]).sum()) + 1
        lines.append(f"{data.region_name(region_code)} {last} 年 D = {row['D']:.3f}"
                     f"（{row['grade']}，{row['type']}），"
                     f"在 {n_regions} 个{region_word}中排第 {rank} 位。")
    caveats = ([f"熵值法权重反映指标在{region_word}之间的离散程度，而非政策重要性"]
               if opts.get("weighting") in ("entropy", "combined") else [])
    if opts.get("scope") == "pooled":
        caveats.append("各年份合并标准化，得分跨年可比")
    else:
        caveats.append("逐年标准化，得分只在年内可比，跨年变化不宜解读")
    caveats.append("经典耦合度 C 在两子系统得分成比例时接近 1（即使两者都很低），存在虚高，"
                   "故并列给出王淑佳等（2021）的修正耦合度")
    lines.append("注意：" + "；".join(caveats) + "。")
    if data.simulated:
        lines.append("以上结果基于模拟数据，仅用于演示方法，不代表任何真实地区。")
    return lines
