"""衔接评估 (linkage assessment): tables and findings of the ``02_linkage`` report.

Builds on :func:`linkage.scoring.score_framework` (achievement scores at every level of the
framework, on outputs and outcomes), :func:`linkage.scoring.policy_effort_index` (the inputs as
a separate index) and :mod:`linkage.coupling` (coupling coordination, obstacle degree): group
trends of scores, coupling coordination between two nodes (脱贫成果 / 巩固 / 拓展 and 乡村振兴)
with grades and relative development types, the classic and corrected C side by side, the
comparison of former poverty counties with the others, how ranks and D move under other
weightings, obstacles, rankings, and short findings. Every table header and sentence follows
``language`` (labels from :data:`linkage.labels.LABELS`). The report notebook only calls,
plots and narrates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from linkage import coupling
from linkage.checks import check_option
from linkage.coupling import CouplingMethod
from linkage.errors import InputError
from linkage.escaping import markdown_text
from linkage.escaping import markdown_text as _md
from linkage.frameworks import Framework, load_framework
from linkage.labels import Language, is_zh, label, rename_columns
from linkage.panel import PanelData, RegionLevel
from linkage.reporting.document import Figure, Section, Table
from linkage.scoring import EFFORT_NODE, FrameworkScores, Weighting, score_framework
from linkage.sections import overview

__all__ = [
    "KEY",
    "SENSITIVITY_METHODS",
    "TITLE",
    "ProvinceLinkage",
    "WeightingSensitivity",
    "build",
    "coupling_by_method",
    "d_matrix",
    "dimension_obstacles",
    "effort_unavailable",
    "frequent_obstacles",
    "function_coupling",
    "grade_distribution",
    "group_comparison",
    "group_means",
    "has_poverty_groups",
    "linkage_coupling",
    "linkage_narrative",
    "narrative_parts",
    "obstacles",
    "province_linkage",
    "rank_regions",
    "region_obstacles",
    "title",
    "type_counts",
    "weight_table",
    "weighting_sensitivity",
]

MatrixRows = Literal["auto", "county", "prefecture"]

#: Weightings compared by :func:`weighting_sensitivity` (the first is the reference).
SENSITIVITY_METHODS: tuple[Weighting, ...] = ("entropy", "equal", "critic", "expert")

_PAIR = ("poverty", "revitalization")


def _poverty_flag(data: PanelData, codes: pd.Index) -> pd.Series | None:
    """The ``poverty_county`` flag of ``codes``; None when the county table has no such
    column (the split is then left out, and the report says so). A county with an unknown
    status raises, naming it (:meth:`linkage.panel.PanelData.attribute`, the rule of
    :mod:`linkage.sections.extension` and :mod:`linkage.sections.overview` too): it is never
    counted among
    the "other counties"."""
    if "poverty_county" not in data.counties.columns:
        return None
    return data.attribute("poverty_county", codes=pd.Index(codes)).astype(bool)


def _region_word(level: RegionLevel, language: Language) -> str:
    return label(f"{level}_word", language)


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
        Long table: year, series (the column), group, value (headers in ``language``).
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


def has_poverty_groups(data: PanelData) -> bool:
    """Whether the county table splits the regions into former poverty counties and others
    (a ``poverty_county`` attribute with both values), as :func:`group_comparison` needs."""
    flag = _poverty_flag(data, pd.Index(data.panel["region_code"].unique()))
    return flag is not None and bool(flag.any()) and not bool(flag.all())


def _group_table(values: pd.DataFrame, data: PanelData, year: int) -> pd.DataFrame | None:
    """Former poverty counties vs the others in ``year``: keyed columns, one row per series."""
    part = values.xs(year, level="year")
    flag = _poverty_flag(data, part.index)
    if flag is None or flag.all() or not flag.any():
        return None
    poor = flag.to_numpy()
    out = pd.DataFrame({"poverty_mean": part[poor].mean(), "other_mean": part[~poor].mean()})
    out["gap"] = out["poverty_mean"] - out["other_mean"]
    out["n_poverty"] = int(poor.sum())
    out["n_other"] = int((~poor).sum())
    return out


def group_comparison(values: pd.DataFrame, data: PanelData, *, year: int,
                     language: Language = "zh") -> pd.DataFrame:
    """Former poverty counties against the other counties in ``year`` (原贫困县与其他县对比).

    Unweighted means over the counties of each group (every county counts once), their
    difference (former poverty − other) and the group sizes. A description of all counties of
    the data, not a policy effect: whether aid or designation *caused* a gap is the question of
    the policy-effects report (:mod:`linkage.sections.policy_effects`).

    Parameters
    ----------
    values : DataFrame
        Index (region_code, year), one column per series (e.g. D, the two subsystem scores,
        the policy-effort index).
    year : int

    Returns
    -------
    DataFrame
        One row per series; columns former poverty counties, other counties, difference,
        counts (headers in ``language``).

    Raises
    ------
    InputError
        Without the ``poverty_county`` attribute, or when one group is empty.

    Examples
    --------
    >>> from linkage.panel import load_panel
    >>> data = load_panel()
    >>> values = data.panel.set_index(["region_code", "year"])[["rural_income_pc"]]
    >>> table = group_comparison(values, data, year=2025)
    >>> table.columns.tolist()
    ['原贫困县', '其他县', '差值(原贫困县−其他县)', '原贫困县数', '其他县数']
    """
    table = _group_table(values, data, year)
    if table is None:
        raise InputError("县属性表中没有可比较的 poverty_county 分组 / no poverty_county groups to "
                         "compare", column="poverty_county",
                         hint="县属性表需有 poverty_county（是/否），两组都不为空")
    return _labelled_groups(table, language)


def _labelled_groups(table: pd.DataFrame, language: Language) -> pd.DataFrame:
    return table.rename(columns={
        "poverty_mean": label("poverty_counties", language),
        "other_mean": label("other_counties", language),
        "gap": label("group_gap", language),
        "n_poverty": label("n_poverty_counties", language),
        "n_other": label("n_other_counties", language),
    }).rename_axis(label("series", language))


def effort_unavailable(data: PanelData, framework: Framework, *,
                       language: Language = "zh") -> str | None:
    """Why the policy-effort index cannot be computed on ``data``, or ``None`` if it can.

    It cannot when the panel holds none of the framework's inputs, or when the county table
    lacks an attribute that an input's eligibility rule names (e.g. ``poverty_county`` at the
    prefecture level, where the table describes prefectures). The report prints the reason
    instead of the index, so nothing is skipped silently.
    """
    inputs = [i for i in framework.stage_ids("input") if i in data.panel.columns]
    if not inputs:
        return label("effort_no_inputs", language)
    lacking = sorted({framework[i].eligible for i in inputs if framework[i].eligible}
                     - set(data.counties.columns))
    if lacking:
        return label("effort_no_attribute", language).format(attributes=", ".join(lacking))
    return None


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
    contributions α = β = 0.5 to T) with the same default, ``method="corrected"`` (王淑佳 et
    al. 2021, 自然资源学报 36(3)): the classic C is close to 1 whenever two scores are
    proportional, however low, so it overstates coupling; :func:`coupling_by_method` shows both.

    Parameters
    ----------
    pair : (str, str)
        Node keys, e.g. ``("poverty", "revitalization")`` or
        ``("poverty/*/consolidate", "revitalization")`` (巩固 across both layers).

    Returns
    -------
    DataFrame
        Index (region_code, year); the two scores (columns named in ``language``), ``C``,
        ``T``, ``D``, ``grade``, ``type`` (grade and type names in ``language``).

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
        Indexed by year; columns C (classic), C (corrected), D (classic), D (corrected) —
        averages over regions (headers in ``language``).

    Examples
    --------
    >>> from linkage.panel import load_panel
    >>> from linkage.scoring import score_framework
    >>> table = coupling_by_method(score_framework(load_panel().panel, missing="year_mean"),
    ...                            language="en")
    >>> bool((table["C (classic)"] >= table["C (corrected)"]).all())
    True
    """
    out = {}
    for method in ("classic", "corrected"):
        cc = linkage_coupling(scores, pair=pair, method=method, language=language)
        means = cc[["C", "D"]].groupby(level="year").mean()
        out[f"C_{method}"] = means["C"]
        out[f"D_{method}"] = means["D"]
    table = pd.DataFrame(out)[["C_classic", "C_corrected", "D_classic", "D_corrected"]]
    return rename_columns(table, language).rename_axis(label("year", language))


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
    return pd.DataFrame({
        table.at[f, f"name_{language}"]: linkage_coupling(
            scores, pair=(f, against), method=method, scheme=scheme, language=language)["D"]
        for f in functions})


def weight_table(scores: FrameworkScores, *,
                 levels: Sequence[str] = ("function_total", "function", "dimension"),
                 language: Language = "zh") -> pd.DataFrame:
    """Weights of the nodes of some levels (权重表): level, name, local and global weight.

    The local weight is the node's share of its parent, the global weight its share of the
    subsystem (:attr:`linkage.scoring.FrameworkScores.weights`); headers, level names and node
    names in ``language``.
    """
    w = scores.weights[scores.weights["level"].isin(levels)]
    out = pd.DataFrame({
        "level": [label(level, language) for level in w["level"]],
        "name": w[f"name_{language}"].to_numpy(),
        "local_weight": w["local_weight"].to_numpy(),
        "global_weight": w["global_weight"].to_numpy(),
    }, index=pd.Index(w["node"], name=label("node", language)))
    return rename_columns(out, language)


def region_obstacles(obs: pd.DataFrame, region_code: str, *, year: int, k: int = 3,
                     names: pd.Series | None = None, language: Language = "zh") -> pd.DataFrame:
    """The ``k`` main obstacles of one region in ``year`` (主要障碍因子): rank, indicator, share.

    Indicators that do not apply to the region (NaN in ``obs``) are not listed.
    """
    row = obs.loc[[(region_code, year)]].dropna(axis=1)
    top = coupling.top_obstacles(row, k=min(k, row.shape[1]), names=names)
    columns = ["rank", "indicator", *(["name"] if names is not None else []), "share"]
    out = top[columns].rename(columns={"indicator": "indicator_id", "name": "indicator",
                                       "share": "obstacle_share"})
    return rename_columns(out, language)


def dimension_obstacles(scores: FrameworkScores, obs: pd.DataFrame, *, year: int,
                        language: Language = "zh") -> pd.Series:
    """Mean obstacle degree of each dimension over the regions in ``year``, largest first.

    The obstacle degree of a dimension is the sum of its indicators' obstacle degrees
    (:func:`linkage.coupling.obstacle_by_group`); an indicator that does not apply to a region
    adds nothing there.
    """
    table = scores.weights.set_index("node")
    dims = table.loc[obs.columns, "parent"].map(table[f"name_{language}"])
    diagnosed = obs.notna().any(axis=1)  # rows without any obstacle stay missing
    by_dim = coupling.obstacle_by_group(obs.fillna(0.0).where(diagnosed, axis=0), dims)
    means = by_dim.xs(year, level="year").mean()
    return means.sort_values(ascending=False).rename(label("mean_obstacle", language))


def _named(data: PanelData, codes) -> list[str]:
    return [data.region_name(c) for c in codes]


def d_matrix(cc: pd.DataFrame, data: PanelData, *, column: str = "D",
             level: MatrixRows = "auto", language: Language = "zh") -> pd.DataFrame:
    """Region × year table of ``D`` (or another column of ``cc``) for a heat map (协调度热力图).

    ``level="county"``: one row per county; ``"prefecture"``: the mean over the counties of
    each prefecture (地级市), which keeps the map readable for a province of 100+ counties;
    ``"auto"`` (default): prefectures when the county table names them, else counties. Rows
    are ordered by the latest year's value, highest first, and labelled by name. A county
    without a prefecture name raises (:meth:`linkage.panel.PanelData.attribute`).
    """
    check_option("level", level, MatrixRows)
    has_prefecture = "prefecture_name" in data.counties.columns
    if level == "prefecture" and not has_prefecture:
        raise InputError("县属性表中没有 prefecture_name 列 / no prefecture names",
                         column="prefecture_name", hint='改用 level="county"')
    grid = cc[column].unstack("year")
    if level == "prefecture" or (level == "auto" and has_prefecture):
        prefecture = data.attribute("prefecture_name", codes=grid.index)
        grid = grid.groupby(prefecture.to_numpy()).mean()
    else:
        grid.index = _named(data, grid.index)
    grid = grid.sort_values(grid.columns[-1], ascending=False)
    grid.columns.name = label("year", language)
    return grid


def grade_distribution(cc: pd.DataFrame, *, language: Language = "zh") -> pd.DataFrame:
    """Number of regions in each grade, year × grade (all grades of the scheme, 0 if none).

    >>> idx = pd.MultiIndex.from_tuples([("990101", 2024), ("990102", 2024)],
    ...                                 names=["region_code", "year"])
    >>> g = coupling.grade(pd.Series([0.55, 0.65], index=idx))
    >>> counts = grade_distribution(pd.DataFrame({"grade": g}))
    >>> counts.loc[2024, ["勉强协调", "初级协调", "优质协调"]].tolist()
    [1, 1, 0]
    """
    return pd.crosstab(cc.index.get_level_values("year"), cc["grade"], dropna=False
                       ).rename_axis(index=label("year", language), columns=None)


def type_counts(cc: pd.DataFrame, *, language: Language = "zh") -> pd.DataFrame:
    """Number of regions of each relative development type, year × type.

    >>> idx = pd.MultiIndex.from_tuples([("990101", 2024), ("990102", 2024)],
    ...                                 names=["region_code", "year"])
    >>> t = coupling.relative_development(pd.Series([0.2, 0.5], index=idx),
    ...                                   pd.Series([0.5, 0.45], index=idx))
    >>> type_counts(pd.DataFrame({"type": t})).loc[2024].to_dict()
    {'U1滞后型': 1, '同步型': 1, 'U2滞后型': 0}
    """
    return pd.crosstab(cc.index.get_level_values("year"), cc["type"], dropna=False
                       ).rename_axis(index=label("year", language), columns=None)


def _ranked(cc: pd.DataFrame, year: int) -> pd.DataFrame:
    if year not in set(cc.index.get_level_values("year")):
        raise InputError(f"协调度结果中没有 {year} 年 / year not in the results", column="year",
                         hint="检查 start_year / end_year 参数")
    part = cc.xs(year, level="year").sort_values("D", ascending=False)
    part.insert(0, "rank", np.arange(1, len(part) + 1))
    return part


def rank_regions(cc: pd.DataFrame, data: PanelData, *, year: int, k: int = 5,
                 language: Language = "zh") -> pd.DataFrame:
    """Top and bottom ``k`` regions by D in ``year`` (协调度排名), best first.

    Returns
    -------
    DataFrame
        Columns rank (1 = highest D of all regions), region code, region name, the two
        subsystem scores, C, T, D, grade, type and position (top/bottom k); headers in
        ``language``.
    """
    part = _ranked(cc, year)
    part.insert(1, "region", _named(data, part.index))
    k = min(k, len(part))
    top = part.head(k).assign(position=label("top_k", language).format(k=k))
    bottom = part.tail(k).assign(position=label("bottom_k", language).format(k=k))
    out = pd.concat([top, bottom[~bottom.index.isin(top.index)]])
    return rename_columns(out.rename_axis("region_code").reset_index(), language)


def obstacles(scores: FrameworkScores, subsystem: str) -> pd.DataFrame:
    """障碍度 of the indicators of one subsystem, region-year × indicator (rows sum to 1).

    Uses the standardised values and the global indicator weights of the subsystem
    (:func:`linkage.coupling.obstacle_degree`, 鲁春阳 et al. 2011). An indicator that does
    not apply to a region (``scores.eligible``, e.g. 东西部协作 funds outside the former
    poverty counties) is left out of that region's diagnosis: NaN there, and the region's
    shares are taken over the indicators that apply.
    """
    weights = scores.indicator_weights(subsystem)
    ids = list(weights.index)
    eligible = None if scores.eligible is None else scores.eligible[ids]
    return coupling.obstacle_degree(scores.standardized[ids], weights, eligible=eligible)


def frequent_obstacles(obs: pd.DataFrame, *, year: int, k: int = 3,
                       names: pd.Series | None = None,
                       language: Language = "zh") -> pd.DataFrame:
    """How often each indicator is among the ``k`` main obstacles of a county in ``year``.

    The share is taken over the counties where the indicator applies (an indicator with an
    eligibility rule can only be an obstacle where it applies).

    Returns
    -------
    DataFrame
        indicator id (and name), number of counties where it is among the top k, number of
        counties where it applies, the share of those, and its mean obstacle degree where it
        is among the top k; most frequent first (headers in ``language``).
    """
    part = obs.xs(year, level="year")
    top = coupling.top_obstacles(part, k=k, names=names)
    grouped = top.dropna(subset=["indicator"]).groupby("indicator", sort=False)
    out = pd.DataFrame({"n_top": grouped.size(), "mean_share": grouped["share"].mean()})
    out["n_applicable"] = part.notna().sum().reindex(out.index).astype(int)
    out["share_of_applicable"] = out["n_top"] / out["n_applicable"]
    out = out[["n_top", "n_applicable", "share_of_applicable", "mean_share"]]
    if names is not None:
        out.insert(0, "indicator", pd.Series(names).reindex(out.index).to_numpy())
    out = out.sort_values(["n_top", "mean_share"], ascending=False)
    return rename_columns(out.rename_axis("indicator_id").reset_index(), language)


# --- weighting sensitivity -------------------------------------------------------------------


@dataclass(frozen=True)
class WeightingSensitivity:
    """How the ranks and D of the regions change with the weighting (赋权方法敏感性).

    Attributes
    ----------
    table : DataFrame
        One row per weighting (index: ``entropy``, ``equal``, ...): ``mean_D`` (all regions),
        ``D_poverty`` / ``D_other`` / ``D_gap`` (former poverty counties, the others, their
        difference; NaN without the ``poverty_county`` attribute), ``spearman`` (rank
        correlation of the regions' D with the reference weighting), ``max_shift`` (largest
        change of a region's rank against the reference), ``max_shift_region`` (which region;
        "—" when no rank changes),
        ``mean_abs_shift`` (mean absolute change of rank).
    d : DataFrame
        D of every region (rows, region codes) under each weighting (columns) in ``year``.
    ranks : DataFrame
        Rank of every region (1 = highest D) under each weighting.
    year : int
    reference : str
        The weighting the others are compared with (the first row).
    unavailable : mapping
        Weightings that could not be computed → why (a key of :data:`linkage.labels.LABELS`,
        e.g. ``expert`` → ``"no_expert_weights"`` when the framework gives no expert weights).
    """

    table: pd.DataFrame
    d: pd.DataFrame
    ranks: pd.DataFrame
    year: int
    reference: str
    unavailable: dict[str, str]

    def to_frame(self, language: Language = "zh") -> pd.DataFrame:
        """The table with the weighting names and headers in ``language``."""
        out = self.table.rename(index=lambda m: label(f"weighting_{m}", language))
        out.index.name = label("weighting", language)
        return rename_columns(out, language)

    def summary(self, language: Language = "zh", *, markdown: bool = True) -> str:
        """One or two sentences: agreement of the ranks and of the D gap with the reference
        (region names escaped for Markdown unless ``markdown=False``, plain report text)."""
        check_option("language", language, Language)
        zh = is_zh(language)
        others = self.table.drop(index=self.reference)
        ref = label(f"weighting_{self.reference}", language)
        lines = []
        if not others.empty:
            rho = ("、" if zh else ", ").join(
                f"{label(f'weighting_{m}', language)} {r:.2f}"
                for m, r in others["spearman"].items())
            worst = others["max_shift"].idxmax()
            moved = (_md if markdown else str)(others.at[worst, "max_shift_region"])
            lines.append(
                f"{self.year} 年各地区 D 的排名与{ref}的 Spearman 相关：{rho}；位次变动最大的是"
                f"{moved}（{label(f'weighting_{worst}', language)}"
                f"下变动 {int(others.at[worst, 'max_shift'])} 位）。" if zh else
                f"Spearman correlation of the regions' D ranks in {self.year} with {ref}: "
                f"{rho}; the largest rank change is {moved} "
                f"({int(others.at[worst, 'max_shift'])} places under "
                f"{label(f'weighting_{worst}', language)}).")
        gaps = self.table["D_gap"].dropna()
        if len(gaps) > 1:
            listed = ("、" if zh else ", ").join(
                f"{label(f'weighting_{m}', language)} {g:+.3f}" for m, g in gaps.items())
            same = bool((gaps > 0).all() or (gaps < 0).all())
            lines.append(
                f"原贫困县与其他县的 D 之差：{listed}，方向{'一致' if same else '不一致'}。" if zh
                else f"D of former poverty counties minus the others: {listed} — the sign "
                f"{'agrees' if same else 'differs'} across weightings.")
        if self.unavailable:
            lines.append(("未计算：" if zh else "Not computed: ") + ("；" if zh else "; ").join(
                f"{label(f'weighting_{m}', language)}（{label(why, language)}）" if zh
                else f"{label(f'weighting_{m}', language)} ({label(why, language)})"
                for m, why in self.unavailable.items()))
        return "\n".join(lines)


def weighting_sensitivity(
    data: PanelData,
    framework: Framework | None = None,
    *,
    methods: Sequence[Weighting] = SENSITIVITY_METHODS,
    reference: Weighting = "entropy",
    year: int | None = None,
    pair: tuple[str, str] = _PAIR,
    method: CouplingMethod = "corrected",
    **options: Any,
) -> WeightingSensitivity:
    """赋权敏感性 — D and the regions' ranks under several weightings (equal, entropy, ...).

    Scores the panel once per weighting (:func:`linkage.scoring.score_framework` with the same
    other ``options``), computes D of ``pair`` (:func:`linkage.coupling.coupling_coordination`,
    ``method``) and compares each weighting with ``reference`` (the report's weighting): the
    Spearman rank correlation of the regions' D (Spearman 1904; ties get average ranks), the
    largest and the mean absolute change of a region's rank (1 = highest D), and the mean D of
    former poverty counties and the others. Entropy weights reward dispersion, not importance;
    a finding that holds only under one weighting is fragile.

    ``"expert"`` needs expert weights in the framework (``weight:`` on every node of the YAML);
    without them it is listed in ``unavailable`` with the reason, not silently dropped.

    Parameters
    ----------
    data : PanelData
        Panel and county attributes (``linkage.panel.load_panel``).
    framework : Framework, optional
        Default: the packaged default framework.
    methods : sequence of weighting names
        Default ``("entropy", "equal", "critic", "expert")``.
    reference : weighting name
        The weighting the others are compared with (default ``"entropy"``, the default of
        :func:`linkage.scoring.score_framework`); put first, and added to ``methods`` if absent.
    year : int, optional
        Year of the comparison; default the last year of the panel.
    pair, method
        Nodes coupled and formula of C, as in :func:`linkage_coupling`.
    **options
        Other keyword options of :func:`linkage.scoring.score_framework` (``missing``,
        ``scope``, ``normalization``, ``hierarchy``, ``stages``, ...); ``counties`` is taken
        from ``data``.

    Returns
    -------
    WeightingSensitivity
    """
    check_option("reference", reference, Weighting)
    for name in methods:
        check_option("methods", name, Weighting)
    if len(set(methods)) != len(methods):
        raise InputError(f"methods={methods!r} 应为不重复的赋权方法 / methods must be distinct",
                         hint='例如 ("entropy", "equal", "critic", "expert")')
    if "weighting" in options:
        raise InputError("weighting 由 methods 指定 / give the weightings as methods",
                         column="weighting")
    framework = framework if framework is not None else load_framework()
    options.setdefault("counties", data.counties)
    year = max(data.years) if year is None else year
    unavailable: dict[str, str] = {}
    d: dict[str, pd.Series] = {}
    for name in (reference, *(m for m in methods if m != reference)):
        if name in ("expert", "combined") and framework.expert_weights() is None:
            unavailable[name] = "no_expert_weights"
            continue
        scores = score_framework(data.panel, framework, weighting=name, **options)
        cc = linkage_coupling(scores, pair=pair, method=method)
        d[name] = _ranked(cc, year)["D"]
    if reference not in d:
        raise InputError(f"参照赋权 {reference} 无法计算 / the reference weighting cannot be "
                         f"computed: {label(unavailable[reference])}", column="reference",
                         hint='改用 reference="entropy" / choose another reference')
    values = pd.DataFrame(d)
    ranks = values.rank(ascending=False, method="min")
    shift = ranks.sub(ranks[reference], axis=0).abs()
    flag = _poverty_flag(data, values.index)
    has_groups = flag is not None and flag.any() and not flag.all()
    poor = flag.to_numpy() if has_groups else np.zeros(len(values), dtype=bool)
    table = pd.DataFrame({
        "mean_D": values.mean(),
        "D_poverty": values[poor].mean() if has_groups else np.nan,
        "D_other": values[~poor].mean() if has_groups else np.nan,
        "spearman": values.corr(method="spearman")[reference],
        "max_shift": shift.max().astype(int),
        "max_shift_region": [data.region_name(c) if moved else "—"
                             for c, moved in zip(shift.idxmax(), shift.max() > 0, strict=True)],
        "mean_abs_shift": shift.mean(),
    })
    table.insert(3, "D_gap", table["D_poverty"] - table["D_other"])
    return WeightingSensitivity(table=table, d=values, ranks=ranks.astype(int), year=year,
                                reference=reference, unavailable=unavailable)


# --- findings --------------------------------------------------------------------------------


def _relation(gap: float, language: Language) -> str:
    return label(f"compare_{'higher' if gap > 0 else 'lower' if gap < 0 else 'equal'}", language)


def linkage_narrative(
    scores: FrameworkScores,
    cc: pd.DataFrame,
    data: PanelData,
    *,
    region_code: str,
    subsystem_obstacles: str = "revitalization",
    region_level: RegionLevel = "county",
    effort: FrameworkScores | None = None,
    sensitivity: WeightingSensitivity | None = None,
    language: Language = "zh",
    markdown: bool = True,
    grade_scheme: str = "tian2021",
) -> list[str]:
    """Short findings, each a sentence computed from a table of this module (衔接评估要点).

    Covers what was scored (achievements on outputs and outcomes; inputs apart), how the two
    subsystems and D moved (:func:`group_means`), former poverty counties against the others
    (:func:`group_comparison` of D and the two scores, and of the policy-effort index when
    ``effort`` is given — a description, not a policy effect), whether that comparison and the
    ranks hold under other weightings (``sensitivity``), the lagging regions and the dominant
    relative development type, the main obstacle dimension (:func:`dimension_obstacles`), the
    featured county, and the caveats the field knows (entropy weights reward dispersion; the
    classic C is inflated; pooled normalisation; simulated data).

    Parameters
    ----------
    cc : DataFrame
        Output of :func:`linkage_coupling`.
    region_code : str
        Featured county.
    region_level : {"county", "prefecture"}
        What a region is: a county (县, default) or a prefecture (市) when the panel was
        aggregated with :meth:`linkage.panel.PanelData.at_level`.
    effort : FrameworkScores, optional
        Output of :func:`linkage.scoring.policy_effort_index` on the same regions.
    sensitivity : WeightingSensitivity, optional
        Output of :func:`weighting_sensitivity`.
    language : {"zh", "en"}
    markdown : bool
        Escape data values (region names) for Markdown (default); ``False`` gives plain text
        for report sections (:func:`build`).
    grade_scheme : str
        Grade scheme of ``cc`` (:func:`linkage_coupling`), for the grade of the province
        mean.
    """
    return [text for _, text in narrative_parts(
        scores, cc, data, region_code=region_code, subsystem_obstacles=subsystem_obstacles,
        region_level=region_level, effort=effort, sensitivity=sensitivity, language=language,
        markdown=markdown, grade_scheme=grade_scheme)]


def narrative_parts(
    scores: FrameworkScores,
    cc: pd.DataFrame,
    data: PanelData,
    *,
    region_code: str,
    subsystem_obstacles: str = "revitalization",
    region_level: RegionLevel = "county",
    effort: FrameworkScores | None = None,
    sensitivity: WeightingSensitivity | None = None,
    language: Language = "zh",
    markdown: bool = True,
    grade_scheme: str = "tian2021",
) -> list[tuple[str, str]]:
    """The sentences of :func:`linkage_narrative`, each with what it is about: ``coverage``,
    ``scores``, ``d_trend``, ``groups``, ``effort``, ``sensitivity``, ``lagging``,
    ``obstacle_dimension``, ``obstacle_region``, ``featured``, ``caveats``, ``simulated`` —
    so a report section can rank them (:func:`build`)."""
    check_option("language", language, Language)
    check_option("region_level", region_level, RegionLevel)
    zh = is_zh(language)
    _md = markdown_text if markdown else str
    word = _region_word(region_level, language)
    opts = scores.options
    years = sorted(set(cc.index.get_level_values("year")))
    first, last = years[0], years[-1]
    u1, u2 = (_md(c) for c in cc.columns[:2])
    n_regions = cc.index.get_level_values("region_code").nunique()
    n_ind = scores.standardized.shape[1]
    stages = ("、" if zh else ", ").join(
        label(f"stage_{s}", language) if zh else label(f"stage_{s}", language).lower()
        for s in opts.get("stages", ()))
    coverage = (f"评价覆盖 {n_regions} 个{word}、{first}—{last} 年，{n_ind} 项{stages}类指标参与"
                f"成果评价" if zh else
                f"The assessment covers {n_regions} {word}, {first}–{last}; {n_ind} indicators "
                f"({stages}) are scored as achievements")
    if scores.excluded:
        coverage += (f"，另有 {len(scores.excluded)} 项投入等其他性质的指标不计入成果得分" if zh
                     else f"; {len(scores.excluded)} indicators of other stages (inputs) are "
                     "not counted as achievements")
    if scores.absent:
        shown = ("、" if zh else ", ").join(scores.absent[:8])
        more = (" 等" if zh else " …") if len(scores.absent) > 8 else ""
        coverage += (f"；框架中另有 {len(scores.absent)} 项指标数据中没有（未评价）：{shown}{more}"
                     if zh else f"; {len(scores.absent)} framework indicators are absent from "
                     f"the data (not scored): {shown}{more}")
    lines: list[tuple[str, str]] = [("coverage", coverage + ("。" if zh else "."))]
    by_year = cc[[*cc.columns[:2], "D"]].groupby(level="year").mean().set_axis(
        [u1, u2, "D"], axis=1)
    lines.append(("scores",
        f"全省平均{u1}得分由 {first} 年的 {by_year.at[first, u1]:.3f} 变为 {last} 年的 "
        f"{by_year.at[last, u1]:.3f}，{u2}得分由 {by_year.at[first, u2]:.3f} 变为 "
        f"{by_year.at[last, u2]:.3f}。" if zh else
        f"The province mean of {u1} moved from {by_year.at[first, u1]:.3f} in {first} to "
        f"{by_year.at[last, u1]:.3f} in {last}; {u2} from {by_year.at[first, u2]:.3f} to "
        f"{by_year.at[last, u2]:.3f}."))
    grades = coupling.grade(by_year["D"], scheme=grade_scheme, language=language)
    coordinated = (cc.xs(last, level="year")["D"] > 0.5).mean()
    rose = by_year.at[last, "D"] > by_year.at[first, "D"]
    lines.append(("d_trend",
        f"耦合协调度 D 的全省均值由 {by_year.at[first, 'D']:.3f}（{grades[first]}）"
        f"{'升至' if rose else '降至'} {by_year.at[last, 'D']:.3f}（{grades[last]}），{last} 年 "
        f"D > 0.5（勉强协调及以上）的{word}占 {coordinated:.0%}。" if zh else
        f"The province mean of the coupling coordination degree D "
        f"{'rose' if rose else 'fell'} from {by_year.at[first, 'D']:.3f} ({grades[first]}) to "
        f"{by_year.at[last, 'D']:.3f} ({grades[last]}); in {last}, {coordinated:.0%} of "
        f"{word} have D > 0.5 (barely coordinated or better)."))
    lines += _group_sentences(cc, data, effort, last, language, _md)
    if sensitivity is not None:
        lines += [("sensitivity", line) for line in
                  sensitivity.summary(language, markdown=markdown).splitlines()]
    latest = cc.xs(last, level="year").sort_values("D")
    sep = "、" if zh else ", "
    lagging = sep.join(f"{_md(data.region_name(c))}（{d:.3f}）" if zh
                       else f"{_md(data.region_name(c))} ({d:.3f})"
                       for c, d in latest["D"].head(3).items())
    types = latest["type"].value_counts()
    lines.append(("lagging", f"{last} 年协调度最低的{word}：{lagging}；最常见的相对发展类型为"
                 f"“{types.index[0]}”（{types.iloc[0]} 个{word}）。" if zh else
                 f"Lowest D in {last}: {lagging}; the most common relative development type is "
                 f"'{types.index[0]}' ({types.iloc[0]} {word})."))
    names = scores.weights.set_index("node")[f"name_{language}"].map(_md)
    if scores.has(subsystem_obstacles):
        obs = obstacles(scores, subsystem_obstacles)
        by_dim = dimension_obstacles(scores, obs, year=last, language=language)
        by_dim.index = by_dim.index.map(_md)
        lines.append(("obstacle_dimension", f"{last} 年{names[subsystem_obstacles]}的主要障碍维度是"
                     f"“{by_dim.index[0]}”（平均障碍度 {by_dim.iloc[0]:.0%}）。" if zh else
                     f"The main obstacle dimension of {names[subsystem_obstacles]} in {last} is "
                     f"'{by_dim.index[0]}' (mean obstacle degree {by_dim.iloc[0]:.0%})."))
        if (region_code, last) in obs.index:
            own = obs.loc[(region_code, last)].dropna().nlargest(3)
            listed = sep.join(f"{names[i]}（{v:.0%}）" if zh else f"{names[i]} ({v:.0%})"
                              for i, v in own.items())
            own_name = _md(data.region_name(region_code))
            lines.append(("obstacle_region", f"{own_name}的前三位障碍因子：{listed}。" if zh
                          else f"Main obstacles of {own_name}: {listed}."))
    if (region_code, last) in cc.index:
        row = cc.loc[(region_code, last)]
        rank = int((latest["D"] > row["D"]).sum()) + 1
        name = _featured_name(data, region_code, language, markdown=markdown)
        space = "" if name.endswith("）") else " "
        lines.append(("featured", f"{name}{space}{last} 年 D = {row['D']:.3f}"
                     f"（{row['grade']}，{row['type']}），在 {n_regions} 个{word}中排第 {rank} 位。"
                     if zh else
                     f"{name}: D = {row['D']:.3f} in {last} "
                     f"({row['grade']}, {row['type']}), rank {rank} of {n_regions}."))
    lines.append(("caveats", _caveats(opts, word, language)))
    if data.simulated:
        lines.append(("simulated", "以上结果基于模拟数据，"
                                   "仅用于演示方法，不代表任何真实地区。" if zh else
                     "These results use simulated data to demonstrate the methods; they "
                     "describe no real area."))
    return lines


def _featured_name(data: PanelData, region_code: str, language: Language, *,
                   markdown: bool = True) -> str:
    """A featured county's name with its status
    (:func:`linkage.sections.overview.featured_label`); a
    prefecture's plain name — as Markdown text (data values escaped) unless ``markdown`` is
    false."""
    described = {"poverty_county", "key_assistance"} & set(data.counties.columns)
    if region_code in data.counties.index and described:
        return overview.featured_label(data, region_code, language=language,
                                       markdown=markdown)
    return (_md if markdown else str)(data.region_name(region_code))


def _group_sentences(cc: pd.DataFrame, data: PanelData, effort: FrameworkScores | None,
                     year: int, language: Language, md: Any = _md) -> list[tuple[str, str]]:
    """Former poverty counties vs the others: D and both scores, then the effort index
    (``md`` escapes data values: Markdown, or ``str`` for plain report text)."""
    zh = is_zh(language)
    c1, c2 = cc.columns[:2]
    table = _group_table(cc[[c1, c2, "D"]], data, year)
    if table is None:
        return []
    d, a, b = table.loc["D"], table.loc[c1], table.loc[c2]
    u1, u2 = md(c1), md(c2)
    lines = [("groups",
        f"{year} 年原贫困县（{int(d['n_poverty'])} 个）D 均值 {d['poverty_mean']:.3f}，"
        f"{_relation(d['gap'], language)}其他县（{int(d['n_other'])} 个，{d['other_mean']:.3f}），"
        f"相差 {abs(d['gap']):.3f}；{u1}得分 {a['poverty_mean']:.3f} 对 {a['other_mean']:.3f}，"
        f"{u2}得分 {b['poverty_mean']:.3f} 对 {b['other_mean']:.3f}。这是全部县的描述性比较，"
        "不是政策效果。" if zh else
        f"In {year} the mean D of former poverty counties ({int(d['n_poverty'])}) is "
        f"{d['poverty_mean']:.3f}, {_relation(d['gap'], language)} the other counties "
        f"({int(d['n_other'])}, {d['other_mean']:.3f}), a difference of {abs(d['gap']):.3f}; "
        f"{u1} {a['poverty_mean']:.3f} against {a['other_mean']:.3f}, {u2} "
        f"{b['poverty_mean']:.3f} against {b['other_mean']:.3f}. This describes all counties; "
        "it is not a policy effect.")]
    if effort is not None:
        e = _group_table(effort.subsystems()[[EFFORT_NODE]], data, year)
        if e is not None:
            e = e.loc[EFFORT_NODE]
            lines.append(("effort",
                f"同年原贫困县的政策投入指数（东西部协作、衔接资金、驻村干部等投入，不计入成果得分）"
                f"为 {e['poverty_mean']:.3f}，{_relation(e['gap'], language)}其他县"
                f"（{e['other_mean']:.3f}）；投入多少与成果高低的关系需用政策效果评估检验，"
                "不能由这一对比推断。" if zh else
                f"The policy-effort index (inputs such as East-West cooperation and linkage "
                f"funds and stationed cadres, not counted as achievements) of former poverty "
                f"counties is {e['poverty_mean']:.3f} in {year}, "
                f"{_relation(e['gap'], language)} the others ({e['other_mean']:.3f}); whether "
                "more input brings more achievement is a question for policy evaluation, not "
                "for this comparison."))
    return lines


def _caveats(opts: Mapping[str, object], word: str, language: Language) -> str:
    zh = is_zh(language)
    caveats = []
    if opts.get("weighting") in ("entropy", "combined"):
        caveats.append(f"熵值法权重反映指标在{word}之间的离散程度，而非政策重要性" if zh else
                       f"entropy weights reflect how much an indicator varies across {word}, "
                       "not its policy importance")
    caveats.append(label(f"scope_{opts.get('scope')}", language))
    caveats.append("经典耦合度 C 在两子系统得分成比例时接近 1（即使两者都很低），存在虚高，"
                   "故并列给出王淑佳等（2021）的修正耦合度" if zh else
                   "the classic coupling degree C is close to 1 whenever the two scores are "
                   "proportional, however low, so the corrected C of Wang Shujia et al. (2021) "
                   "is shown beside it")
    return (("注意：" + "；".join(caveats) + "。") if zh
            else "Caveats: " + "; ".join(caveats) + ".")


# --- the report section ------------------------------------------------------------------------

#: Section key (document model) and title.
KEY = "linkage"
TITLE: dict[str, str] = {"zh": "衔接评估", "en": "Linkage assessment"}

_GRADE_SOURCES = {"tian2021": ("田深圳等（2021，《地理学报》）的十级标准",
                               "the ten grades of Tian Shenzhen et al. (2021)"),
                  "xu2020": ("徐维祥等（2020，《自然资源学报》）的四级标准",
                             "the four classes of Xu Weixiang et al. (2020)")}


def title(language: Language = "zh") -> str:
    """The section title in ``language`` (衔接评估 / Linkage assessment)."""
    return TITLE["zh" if is_zh(language) else "en"]


@dataclass(frozen=True)
class ProvinceLinkage:
    """What every region of a batch shares (全省共用结果): scores, coupling, the policy-effort
    index (or why it is not computed), the weighting sensitivity, D of 巩固/拓展, and the
    classic-versus-corrected comparison — computed once per batch by :func:`build`."""

    scores: FrameworkScores
    cc: pd.DataFrame
    effort: FrameworkScores | None
    effort_reason: str | None
    sensitivity: WeightingSensitivity
    functions: pd.DataFrame | None
    by_method: pd.DataFrame


def province_linkage(data: PanelData, framework: Framework, *, weighting: Weighting,
                     aggregation: str, coupling_method: CouplingMethod, grade_scheme: str,
                     language: Language, **options: Any) -> ProvinceLinkage:
    """Scores (:func:`linkage.scoring.score_framework`), coupling (:func:`linkage_coupling`),
    policy-effort index, weighting sensitivity and function coupling of every region of
    ``data`` — the province-wide work a region section reads (``options``: ``entropy_variant``,
    ``hierarchy``, ``scope``, ``missing``)."""
    from linkage.scoring import policy_effort_index

    scores = score_framework(data.panel, framework, counties=data.counties, weighting=weighting,
                             aggregation=aggregation, **options)
    if not all(scores.has(node) for node in _PAIR):
        raise InputError("数据中缺少脱贫成果或乡村振兴子系统的指标，无法计算耦合协调度 / a "
                         "subsystem has no indicators in the data", column="panel",
                         hint="面板须含两个子系统的指标（见指标体系）")
    cc = linkage_coupling(scores, method=coupling_method, scheme=grade_scheme, language=language)
    reason = effort_unavailable(data, framework, language=language)
    effort = None if reason else policy_effort_index(data.panel, framework,
                                                     counties=data.counties,
                                                     weighting=weighting, **options)
    sensitivity = weighting_sensitivity(data, framework, reference=weighting,
                                        method=coupling_method, aggregation=aggregation,
                                        **options)
    functions = (function_coupling(scores, method=coupling_method, scheme=grade_scheme,
                                   language=language)
                 if scores.has("poverty/*/consolidate") else None)
    return ProvinceLinkage(scores, cc, effort, reason, sensitivity, functions,
                           coupling_by_method(scores, language=language))


def _rank_of(values: pd.Series, code: str) -> int:
    """Rank of ``code`` by value, 1 = highest (ties share the better rank)."""
    return int((values.dropna() > values[code]).sum()) + 1


def build(*, panel: str = "", counties: str = "", households: str = "", framework: str = "",
          region_code: str = "", start_year: int = 2015, end_year: int = 2025,
          language: Language = "zh", cache_dir: str = "", region_level: RegionLevel = "county",
          weighting: Weighting = "entropy", entropy_variant: str = "shift",
          hierarchy: str = "global", aggregation: str = "sum", scope: str = "pooled",
          missing: str = "interpolate", coupling_method: CouplingMethod = "corrected",
          grade_scheme: str = "tian2021", top_k: int = 3, **options: Any) -> Section:
    """The 衔接评估 section of a region report (衔接评估章节).

    Province-wide results (:func:`province_linkage`: scores, coupling, policy-effort index,
    weighting sensitivity) are computed once per batch through
    :func:`linkage.reporting.cache.once` under a key of the inputs and options. A county
    report (``region_code`` a county; or a prefecture with ``region_level="prefecture"``)
    shows its scores over time against the province and the former poverty counties, its D,
    grade, relative development type and rank among all regions and among its peers, its
    obstacle factors, its policy-effort index and how its rank moves under other weightings;
    a prefecture report (a prefecture code at county level) its counties; the province report
    the province-wide trends, groups, rankings, obstacles and sensitivity. Long tables
    (weights, full rankings, grade distributions, sensitivity detail) go to the appendix.

    Parameters
    ----------
    panel, counties, households, framework, region_code, start_year, end_year, language,
    cache_dir
        The common report parameters (``households`` is not used by this section).
    region_level : {"county", "prefecture"}
        Regions compared: counties, or prefectures (county values averaged).
    weighting, entropy_variant, hierarchy, aggregation, scope, missing
        Options of :func:`linkage.scoring.score_framework`.
    coupling_method : {"corrected", "classic"}
    grade_scheme : {"tian2021", "xu2020"}
    top_k : int
        Obstacle factors listed per subsystem.

    Returns
    -------
    Section
    """
    from linkage import plotting
    from linkage.panel import load_panel
    from linkage.reporting.cache import once
    from linkage.reporting.document import SectionBuilder

    if options:
        raise InputError(f"衔接评估不认识的选项：{', '.join(sorted(options))} / unknown options",
                         hint="见 docs/architecture.md 的参数表 / see the option vocabulary")
    check_option("region_level", region_level, RegionLevel)
    check_option("coupling_method", coupling_method, CouplingMethod)
    zh = is_zh(language)
    plotting.setup_cjk()
    fw = load_framework(framework or None)
    county_data = load_panel(panel or None, counties=counties or None,
                             framework=fw).between_years(start_year, end_year)
    data = county_data.at_level(region_level)
    source = overview.data_source(county_data, language)
    if region_level == "prefecture":
        codes = sorted(data.panel["region_code"].unique())
        if region_code and region_code not in codes:
            raise InputError(f"没有地级市 {region_code} / no such prefecture", column="region_code",
                             hint="以地级市为分析层级时，region_code "
                                  "须为地级市代码（xxxx00）或留空")
        kind = "unit" if region_code else "province"
        members: tuple[str, ...] = tuple(codes)
        name = data.region_name(region_code) if region_code else ""
    else:
        where = overview.region_scope(data, region_code, language=language)
        kind = {"county": "unit", "prefecture": "group", "province": "province"}[where.kind]
        members, name = where.codes, where.name
    score_options = dict(entropy_variant=entropy_variant, hierarchy=hierarchy, scope=scope,
                         missing=missing)
    key = {"panel": panel, "counties": counties, "framework": framework,
           "start_year": start_year, "end_year": end_year, "region_level": region_level,
           "weighting": weighting, "aggregation": aggregation,
           "coupling_method": coupling_method, "grade_scheme": grade_scheme,
           "language": language, **score_options}
    prov = once(cache_dir, "linkage-province", key, lambda: province_linkage(
        data, fw, weighting=weighting, aggregation=aggregation,
        coupling_method=coupling_method, grade_scheme=grade_scheme, language=language,
        **score_options))
    scores, cc = prov.scores, prov.cc
    years = sorted(set(cc.index.get_level_values("year")))
    first, last = years[0], years[-1]
    u1, u2 = cc.columns[:2]
    latest = cc.xs(last, level="year")
    n = len(latest)
    word = _region_word(region_level, language)
    names = scores.weights.set_index("node")[f"name_{language}"]
    b = SectionBuilder(KEY, title(language), language=language, simulated=data.simulated)
    ctx = _Context(data=data, prov=prov, source=source,
                   first=first, last=last, u1=u1, u2=u2, n=n, word=word, names=names,
                   language=language, top_k=top_k, region_level=region_level,
                   grade_scheme=grade_scheme)

    method_name = label(f"coupling_{coupling_method}", language)
    if kind == "unit":
        _unit_body(b, ctx, region_code, name)
    elif kind == "group":
        _group_body(b, ctx, region_code, name, members)
    else:
        _province_body(b, ctx)
    # the appendix is the same for every region of a batch (province or not): built once
    appendix = once(cache_dir, "linkage-appendix",
                    {**key, "province": kind == "province", "top_k": top_k},
                    lambda: _appendix_section(ctx, kind, simulated=data.simulated))
    ctx.keys |= {bl.key for bl in appendix.blocks if isinstance(bl, (Table, Figure))}

    # findings from the narrative, ranked: the region first, then gaps, obstacles, robustness
    featured = region_code if kind == "unit" else ""
    parts = narrative_parts(scores, cc, data, region_code=featured, region_level=region_level,
                            effort=prov.effort, sensitivity=prov.sensitivity,
                            language=language, markdown=False, grade_scheme=grade_scheme)
    province_ranks = {"d_trend": 1, "scores": 2, "groups": 3, "effort": 4, "lagging": 5,
                      "obstacle_dimension": 6, "sensitivity": 7}
    region_ranks = {"featured": 1, "obstacle_region": 4, "d_trend": 9, "groups": 10,
                    "effort": 11, "obstacle_dimension": 12, "sensitivity": 14}
    ranks = province_ranks if kind == "province" else region_ranks
    refs = {"d_trend": "{figure:d_trend}", "featured": "{table:scores}",
            "groups": "{table:groups}", "effort": "{table:groups}",
            "lagging": "{table:ranking}", "obstacle_dimension": "{figure:obstacle_dims}",
            "obstacle_region": "{table:obstacles}", "sensitivity": "{table:sensitivity}",
            "scores": "{figure:scores_trend}"}
    shown = ctx.keys
    unavailable = ("未计算：", "Not computed: ")
    for topic, text in parts:
        if topic == "sensitivity" and text.startswith(unavailable):
            b.caveat(text)
        elif topic in ranks:
            ref = refs.get(topic, "")
            ref_key = ref.strip("{}").split(":")[-1]
            b.finding(overview.cite(text, *([ref] if ref_key in shown else []),
                                    language=language), rank=ranks[topic])
        elif topic == "caveats":
            plain = text.removeprefix("注意：").removeprefix("Caveats: ")
            b.caveat(plain[:1].upper() + plain[1:])
    if kind == "unit":
        for rank, text in _unit_findings(ctx, region_code, name):
            b.finding(text, rank=rank)
    elif kind == "group":
        for rank, text in _group_findings(ctx, name, members):
            b.finding(text, rank=rank)
    _metrics(b, ctx, kind, region_code, members)

    # methods in reader language
    b.method(_coverage_method(scores, fw, word, language))
    b.method(
        f"指标权重默认采用{label(f'weighting_{weighting}', language)}（"
        f"{label(f'hierarchy_{hierarchy}', language)}），"
        f"标准化{label(f'scope_{scope}', language)}，"
        f"集成方式为{label(f'aggregation_{aggregation}', language)}；"
        f"缺失值{label(f'missing_{missing}', language)}，"
        f"共插补 {int(scores.imputed.sum())} 个单元格。"
        "熵值法权重反映指标在地区之间的离散程度，并不代表政策重要性。" if zh else
        f"Weights: {label(f'weighting_{weighting}', language)} "
        f"({label(f'hierarchy_{hierarchy}', language)}); normalisation "
        f"{label(f'scope_{scope}', language)}; aggregation "
        f"{label(f'aggregation_{aggregation}', language)}; missing values "
        f"{label(f'missing_{missing}', language)} ({int(scores.imputed.sum())} cells imputed). "
        "Entropy weights reflect how much an indicator varies across regions, not its policy "
        "importance.")
    grades_from = _GRADE_SOURCES.get(grade_scheme, (grade_scheme, grade_scheme))[0 if zh else 1]
    b.method(
        f"耦合协调度：脱贫成果得分 U1 与乡村振兴得分 U2 的耦合度为 C，综合发展指数 T = 0.5·U1 + "
        f"0.5·U2，耦合协调度 D = √(C·T)，按{grades_from}分级。本报告采用{method_name}"
        "（默认为王淑佳等 2021 年《自然资源学报》提出的修正耦合度：经典耦合度在两者成比例时接近 1，"
        "即使两者都很低，存在虚高）；两种结果的对比见附录。相对发展类型：|U1 − U2| ≤ 0.1 为同步型，"
        "否则得分较低的一方为滞后型。" if zh else
        f"Coupling coordination: C couples the poverty-alleviation score U1 with the rural "
        f"revitalization score U2, T = 0.5·U1 + 0.5·U2 and D = √(C·T), graded by "
        f"{grades_from}. This report uses the {method_name} (by default the corrected C of Wang "
        "Shujia et al. 2021: the classic C is close to 1 whenever the two scores are "
        "proportional, however low); the appendix compares both. Relative development type: "
        "synchronous when |U1 − U2| ≤ 0.1, otherwise the lower score lags.")
    b.method("障碍度 = 指标权重 ×（1 − 标准化值）÷ "
             "同一地区各指标之和（鲁春阳等 2011）：权重越大、离最优越远，"
             "障碍越大；对某县不适用的指标（"
             "如非原贫困县的东西部协作资金）不计入该县的诊断。" if zh else
             "Obstacle degree = weight × (1 − standardised value) ÷ the region's sum over its "
             "indicators (Lu Chunyang et al. 2011); an indicator that does not apply to a "
             "county (East-West funds outside former poverty counties) is left out there.")
    b.method("政策投入指数：东西部协作资金、衔接资金、驻村干部等投入类指标反映一个县得到的帮扶，而不是它取得的"
             "成果，因此不计入成果得分，另按同样的标准化与赋权合成。" if zh else
             "Policy-effort index: inputs (East-West cooperation and linkage funds, stationed "
             "cadres) measure the aid a county receives, not what it achieves; they are scored "
             "apart with the same normalisation and weighting.")
    b.method("赋权敏感性：同一数据分别用等权、熵值法、CRITIC "
             "法和专家权重（指标体系给出时）评价，比较各地区 "
             "D 的排名（Spearman 相关、"
             "最大位次变动）以及原贫困县与其他县的 D 之差；只在一种赋权下成立的结论"
             "并不稳健。" if zh else
             "Weighting sensitivity: the same data under equal, entropy, CRITIC and expert "
             "weights (when the framework gives them): rank correlation and largest rank "
             "changes of D, and the D gap between former poverty counties and the others; a "
             "finding that holds under one weighting only is fragile.")
    b.caveat("原贫困县与其他县的对比是全部县的描述性比较，不是政策效果；协调等级的区间划分因文献而异。"
             if zh else "Comparisons of former poverty counties with the others describe all "
             "counties; they are not policy effects. Grade boundaries differ across papers.")
    if data.simulated:
        b.caveat("本章数据为 linkage 内置模拟数据，仅用于演示方法，不代表任何真实地区。" if zh else
                 "This chapter uses the linkage simulated sample, to demonstrate the methods "
                 "only; it describes no real area.")
    return overview.append_blocks(b.build(), appendix)


@dataclass
class _Context:
    """What the parts of :func:`build` share (not a result: a bundle of arguments)."""

    data: PanelData
    prov: ProvinceLinkage
    source: str
    first: int
    last: int
    u1: str
    u2: str
    n: int
    word: str
    names: pd.Series
    language: Language
    top_k: int
    region_level: RegionLevel
    grade_scheme: str
    keys: set[str] = field(default_factory=set)

    @property
    def zh(self) -> bool:
        return is_zh(self.language)

    def table(self, b: Any, key: str, title: str, frame: pd.DataFrame, **kw: Any) -> None:
        kw.setdefault("source", self.source)
        b.table(key, title, frame, **kw)
        self.keys.add(key)

    def figure(self, b: Any, key: str, title: str, fig: Any, **kw: Any) -> None:
        kw.setdefault("source", self.source)
        b.figure(key, title, fig, **kw)
        self.keys.add(key)

    def rank_header(self, n: int | None = None, peers: bool = False) -> str:
        n = self.n if n is None else n
        if self.zh:
            unit = "县" if self.region_level == "county" else "市"
            return f"{'同类县中' if peers else ''}排名（位/共 {n} {unit}）"
        return f"Rank {'among peers ' if peers else ''}(of {n} {self.word})"

    @property
    def d_header(self) -> str:
        return "耦合协调度 D" if self.zh else "Coupling coordination D"

    def score_header(self, name: str) -> str:
        return f"{name}得分" if self.zh else f"{name} score"


def _unit_body(b: Any, ctx: _Context, code: str, name: str) -> None:
    """Main body of a county (or prefecture-level unit) report."""
    zh, lang, prov, cc = ctx.zh, ctx.language, ctx.prov, ctx.prov.cc
    first, last = ctx.first, ctx.last
    if code not in set(cc.index.get_level_values("region_code")):
        raise InputError(f"{code} 没有得分 / region not scored", column="region_code")
    label_name = _featured_name(ctx.data, code, lang, markdown=False)
    own = cc.xs(code, level="region_code")
    row = own.loc[last]
    latest = cc.xs(last, level="year")
    b.paragraph(
        f"本章评价{label_name}脱贫成果（巩固、拓展）与乡村振兴的得分、两者的耦合协调度及其在全省 "
        f"{ctx.n} 个{ctx.word}中的位置，并诊断主要障碍因子。{last} 年{name}的耦合协调度 D 为 "
        f"{row['D']:.3f}，属“{row['grade']}”，相对发展类型为“{row['type']}”。" if zh else
        f"This chapter scores poverty-alleviation achievements (consolidation, extension) and "
        f"rural revitalization in {label_name}, their coupling coordination and its position "
        f"among the {ctx.n} {ctx.word} of the province, and diagnoses the main obstacles. In "
        f"{last}, D of {name} is {row['D']:.3f} ({row['grade']}; {row['type']}).")
    b.heading("得分、协调等级与排名" if zh else "Scores, grade and rank")
    scores = prov.scores
    series: dict[str, pd.Series] = {}
    nodes = [(ctx.u1, "poverty"), ("poverty/*/consolidate", "poverty/*/consolidate"),
             ("poverty/*/extend", "poverty/*/extend"), (ctx.u2, "revitalization")]
    for column, node in nodes:
        if column in cc.columns:
            series[ctx.score_header(column)] = cc[column]
        elif scores.has(node):
            series[ctx.score_header(ctx.names[node])] = scores.values[node]
    series[ctx.d_header] = cc["D"]
    if prov.effort is not None:
        series["政策投入指数" if zh else "Policy-effort index"] = (
            prov.effort.subsystems()[EFFORT_NODE])
    flag = _poverty_flag(ctx.data, pd.Index(latest.index)) if (
        "poverty_county" in ctx.data.counties.columns) else None
    column, peers = (overview.peer_counties(ctx.data, code)
                     if code in ctx.data.counties.index else (None, pd.Index([])))
    peer_codes = pd.Index([code, *peers]).intersection(latest.index)
    heads = {"first": f"{name}（{first} 年）" if zh else f"{name} ({first})",
             "last": f"{name}（{last} 年）" if zh else f"{name} ({last})",
             "change": "变化" if zh else "Change",
             "province": f"全省平均（{last} 年）" if zh else f"Province average ({last})",
             "poor": f"原贫困县平均（{last} 年）" if zh else f"Former poverty counties ({last})",
             "rank": ctx.rank_header(),
             "peer_rank": ctx.rank_header(len(peer_codes), peers=True)}
    rows = []
    for title, values in series.items():
        one = values.xs(code, level="region_code")
        year_values = values.xs(last, level="year")
        entry = {"指标" if zh else "Measure": title, heads["first"]: one.get(first, np.nan),
                 heads["last"]: one.get(last, np.nan),
                 heads["change"]: one.get(last, np.nan) - one.get(first, np.nan),
                 heads["province"]: year_values.mean()}
        if flag is not None and flag.any():
            entry[heads["poor"]] = year_values[flag.reindex(year_values.index).to_numpy()].mean()
        entry[heads["rank"]] = _rank_of(year_values, code)
        if column is not None and len(peer_codes) > 1:
            entry[heads["peer_rank"]] = _rank_of(year_values[peer_codes], code)
        rows.append(entry)
    table = pd.DataFrame(rows)
    kinds = {c: "score" for c in table.columns[1:]}
    kinds |= {heads["rank"]: "int", heads["peer_rank"]: "int"}
    peer_note = ""
    if column is not None and len(peer_codes) > 1:
        status = label("status_key_assistance" if column == "key_assistance" else
                       "status_poverty_county" if overview._flag(ctx.data, code, column)
                       else "status_other", lang)
        peer_note = (f"同类县为全部{status}（含本县，共 {len(peer_codes)} 个）。" if zh else
                     f"Peers: all counties that are a {status} ({len(peer_codes)}, this one "
                     "included).")
    ctx.table(b, "scores", (f"{name}得分、耦合协调度与排名" if zh else
                            f"Scores, coupling coordination and rank of {name}"), table,
              kinds=kinds,
              notes=[("得分在 0—1 之间，越高越好；排名按 " f"{last} 年数值从高到低。" if zh else
                      f"Scores lie in 0–1, higher is better; ranks by the {last} value, "
                      "highest first."), peer_note])
    d_trend = group_means(cc[["D"]], ctx.data, region_code=code, language=lang)
    fig = _plot_line(d_trend, lang, hue=label("region", lang),
                     highlight=ctx.data.region_name(code), ylabel="D")
    ctx.figure(b, "d_trend", (f"{name}与全省、原贫困县的耦合协调度 D（{first}—{last} 年）" if zh
                              else f"Coupling coordination D of {name}, the province and former "
                              f"poverty counties, {first}–{last}"), fig)
    yearly = own[[ctx.u1, ctx.u2, "D", "grade", "type"]].copy()
    yearly.insert(3, "rank", [_rank_of(cc.xs(y, level="year")["D"], code) for y in yearly.index])
    yearly = yearly.rename(columns={ctx.u1: ctx.score_header(ctx.u1),
                                    ctx.u2: ctx.score_header(ctx.u2), "D": ctx.d_header,
                                    "rank": ctx.rank_header(), "grade": label("grade", lang),
                                    "type": label("type", lang)})
    yearly.index = yearly.index.rename(label("year", lang))
    ctx.table(b, "yearly", (f"{name}历年得分与协调等级" if zh else
                            f"Scores and grades of {name} by year"), yearly.reset_index(),
              kinds={label("year", lang): "year", ctx.rank_header(): "int",
                     ctx.score_header(ctx.u1): "score", ctx.score_header(ctx.u2): "score",
                     ctx.d_header: "score"})
    _obstacle_table(b, ctx, code, name)
    _robustness_table(b, ctx, code, name)


def _plot_line(frame: pd.DataFrame, language: Language, *, hue: str, highlight: Any = None,
               ylabel: str = "") -> Any:
    from linkage import plotting

    return plotting.line_chart(frame, x=label("year", language), y=label("value", language),
                               hue=hue, highlight=highlight, xlabel=label("year", language),
                               ylabel=ylabel)


def _obstacle_table(b: Any, ctx: _Context, code: str, name: str) -> None:
    """The region's ``top_k`` obstacles in each subsystem, last year."""
    zh, lang = ctx.zh, ctx.language
    rows = []
    for sub in (s for s in _PAIR if ctx.prov.scores.has(s)):
        obs = obstacles(ctx.prov.scores, sub)
        if (code, ctx.last) not in obs.index:
            continue
        top = region_obstacles(obs, code, year=ctx.last, k=ctx.top_k, names=ctx.names,
                               language=lang)
        for r in top.itertuples(index=False):
            rows.append({"子系统" if zh else "Subsystem": ctx.names[sub],
                         label("rank", lang): r[0], label("indicator", lang): r[2],
                         "障碍度（%）" if zh else "Obstacle degree (%)": 100 * r[3]})
    if not rows:
        return
    b.heading("主要障碍因子" if zh else "Main obstacles")
    ctx.table(b, "obstacles", (f"{name}主要障碍因子（{ctx.last} 年）" if zh else
                               f"Main obstacles of {name}, {ctx.last}"), pd.DataFrame(rows),
              kinds={label("rank", lang): "int", "障碍度（%）" if zh else "Obstacle degree (%)":
                     "percent"},
              notes=["障碍度为该指标在本地区同一子系统全部障碍中的占比。" if zh else
                     "Share of the indicator in all obstacles of the subsystem in this region."])


def _robustness_table(b: Any, ctx: _Context, code: str, name: str) -> None:
    """D and rank of the region under each weighting of the sensitivity analysis."""
    zh, lang = ctx.zh, ctx.language
    sens = ctx.prov.sensitivity
    if code not in sens.d.index:
        return
    frame = pd.DataFrame({
        label("weighting", lang): [label(f"weighting_{m}", lang) for m in sens.d.columns],
        ctx.d_header: sens.d.loc[code].to_numpy(),
        ctx.rank_header(): sens.ranks.loc[code].to_numpy()})
    b.heading("稳健性" if zh else "Robustness")
    ctx.table(b, "robustness", (f"不同赋权方法下{name}的 D 与排名（{sens.year} 年）" if zh else
                                f"D and rank of {name} under other weightings, {sens.year}"),
              frame, kinds={ctx.d_header: "score", ctx.rank_header(): "int"},
              notes=["第一行为本报告采用的赋权方法。" if zh else
                     "The first row is the weighting this report uses."])


def _ranking_frame(ctx: _Context, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Regions by D in the last year (rank among all regions), optionally only ``codes``."""
    lang = ctx.language
    part = _ranked(ctx.prov.cc, ctx.last)
    if codes is not None:
        part = part[part.index.isin(list(codes))]
    return pd.DataFrame({
        ctx.rank_header(): part["rank"].to_numpy(),
        label("region", lang): _named(ctx.data, part.index),
        ctx.score_header(ctx.u1): part[ctx.u1].to_numpy(),
        ctx.score_header(ctx.u2): part[ctx.u2].to_numpy(),
        ctx.d_header: part["D"].to_numpy(),
        label("grade", lang): part["grade"].to_numpy(),
        label("type", lang): part["type"].to_numpy()})


def _ranking_kinds(ctx: _Context) -> dict[str, str]:
    return {ctx.rank_header(): "int", ctx.score_header(ctx.u1): "score",
            ctx.score_header(ctx.u2): "score", ctx.d_header: "score"}


def _group_body(b: Any, ctx: _Context, code: str, name: str, members: Sequence[str]) -> None:
    """Main body of a prefecture report at county level: its counties in the province."""
    zh, lang, cc = ctx.zh, ctx.language, ctx.prov.cc
    b.paragraph(
        f"本章评价{name}所辖 {len(members)} "
        "个县脱贫成果与乡村振兴的得分和耦合协调度，以及它们在全省 "
        f"{ctx.n} 个县中的位置。" if zh else
        f"This chapter scores poverty-alleviation achievements and rural revitalization in "
        f"the {len(members)} counties of {name} and places them among the {ctx.n} counties "
        "of the province.")
    b.heading("所辖各县的协调等级与排名" if zh else "Grades and ranks of its counties")
    ctx.table(b, "members", (f"{name}各县得分、耦合协调度与排名（{ctx.last} 年）" if zh else
                             f"Counties of {name}: scores, coupling coordination and rank, "
                             f"{ctx.last}"), _ranking_frame(ctx, members),
              kinds=_ranking_kinds(ctx))
    mine = cc[cc.index.get_level_values("region_code").isin(list(members))]["D"]
    years = mine.index.get_level_values("year")
    own_name = f"{name}平均" if zh else f"{name} average"
    trend = group_means(cc[["D"]], ctx.data, language=lang)
    extra = mine.groupby(years).mean().rename_axis("year").reset_index()
    trend = pd.concat([trend, pd.DataFrame({
        label("year", lang): extra["year"], label("series", lang): "D",
        label("region", lang): own_name, label("value", lang): extra["D"]})],
        ignore_index=True)
    fig = _plot_line(trend, lang, hue=label("region", lang), highlight=own_name, ylabel="D")
    ctx.figure(b, "d_trend", (f"{name}与全省、原贫困县的耦合协调度 D（{ctx.first}—{ctx.last} 年）"
                              if zh else f"Coupling coordination D of {name}, the province and "
                              f"former poverty counties, {ctx.first}–{ctx.last}"), fig)
    sub = "revitalization"
    if ctx.prov.scores.has(sub):
        obs = obstacles(ctx.prov.scores, sub)
        obs = obs[obs.index.get_level_values("region_code").isin(list(members))]
        freq = frequent_obstacles(obs, year=ctx.last, k=ctx.top_k, names=ctx.names,
                                  language=lang).head(6)
        freq = freq.drop(columns=[label("indicator_id", lang)])
        b.heading("主要障碍因子" if zh else "Main obstacles")
        ctx.table(b, "obstacles", (f"{name}各县{ctx.names[sub]}前 "
                                   f"{ctx.top_k} 位障碍因子中出现最多的"
                                   f"指标（{ctx.last} 年）" if zh else
                                   f"Most frequent obstacles of {ctx.names[sub]} in the counties "
                                   f"of {name}, {ctx.last}"), freq,
                  kinds={label("n_top", lang): "count", label("n_applicable", lang): "count",
                         label("share_of_applicable", lang): "share",
                         label("mean_share", lang): "share"},
                  notes=["占比与障碍度以百分数表示。" if zh else "Shares and obstacle "
                                                    "degrees in %."])


def _province_body(b: Any, ctx: _Context) -> None:
    """Main body of the province report: trends, groups, rankings, obstacles, robustness."""
    zh, lang, prov = ctx.zh, ctx.language, ctx.prov
    scores, cc = prov.scores, prov.cc
    b.paragraph(
        f"本章评价全省 {ctx.n} 个{ctx.word}脱贫成果（"
        "巩固、拓展）与乡村振兴的得分、两者的耦合协调度、"
        "原贫困县与其他县的差异、排名与主要障碍因子，"
        "并检验结论在不同赋权方法下是否稳健。" if zh else
        f"This chapter scores poverty-alleviation achievements (consolidation, extension) and "
        f"rural revitalization in the {ctx.n} {ctx.word} of the province, their coupling "
        "coordination, former poverty counties against the others, rankings and the main "
        "obstacles, and checks the findings under other weightings.")
    b.heading("得分与耦合协调度的变化" if zh else "Scores and coupling coordination over time")
    main = [n for n in ("poverty/*/consolidate", "poverty/*/extend", "revitalization")
            if scores.has(n)]
    trends = group_means(scores.select(main, labels=lang), ctx.data, language=lang)
    province = trends[trends[label("region", lang)] == label("province_mean", lang)]
    fig = _plot_line(province, lang, hue=label("series", lang), ylabel=label("score", lang))
    ctx.figure(b, "scores_trend", ("巩固、拓展与乡村振兴得分（全省平均，"
                                   f"{ctx.first}—{ctx.last} 年）"
                                   if zh else "Consolidation, extension and revitalization "
                                   f"scores, province average, {ctx.first}–{ctx.last}"), fig)
    d_trend = group_means(cc[["D"]], ctx.data, language=lang)
    fig = _plot_line(d_trend, lang, hue=label("region", lang),
                     highlight=label("province_mean", lang), ylabel="D")
    ctx.figure(b, "d_trend", (f"耦合协调度 D：全省与原贫困县、其他县（{ctx.first}—{ctx.last} 年）"
                              if zh else "Coupling coordination D: province, former poverty "
                              f"and other counties, {ctx.first}–{ctx.last}"), fig)
    if has_poverty_groups(ctx.data):
        compared = cc[[ctx.u1, ctx.u2, "D"]]
        if prov.effort is not None:
            compared = compared.join(prov.effort.select([EFFORT_NODE], labels=lang))
        groups = group_comparison(compared, ctx.data, year=ctx.last, language=lang)
        b.heading("原贫困县与其他县" if zh else "Former poverty counties and the others")
        groups.index = [ctx.d_header if i == "D" else i for i in groups.index]
        ctx.table(b, "groups", (f"原贫困县与其他县的得分与耦合协调度（{ctx.last} 年）" if zh else
                                f"Former poverty and other counties: scores and D, {ctx.last}"),
                  groups.rename_axis(label("series", lang)).reset_index(),
                  kinds={label("n_poverty_counties", lang): "count",
                         label("n_other_counties", lang): "count",
                         **{c: "score" for c in groups.columns[:3]}},
                  notes=["均值为各县简单平均；这是全部县的描述性比较，不是政策效果。" if zh else
                         "Unweighted means over counties; a description of all counties, not "
                         "a policy effect."])
    b.heading("排名" if zh else "Rankings")
    top = _ranking_frame(ctx)
    k = min(5, len(top))
    shown = pd.concat([top.head(k), top.tail(k)]).drop_duplicates()
    ctx.table(b, "ranking", (f"耦合协调度最高与最低的 {k} 个{ctx.word}（{ctx.last} 年）" if zh else
                             f"Highest and lowest D, {ctx.last}: {k} {ctx.word} each"), shown,
              kinds=_ranking_kinds(ctx), notes=["全部地区的排名见附录。" if zh else
                                                "The full ranking is in the appendix."])
    sub = "revitalization"
    if scores.has(sub):
        obs = obstacles(scores, sub)
        by_dim = dimension_obstacles(scores, obs, year=ctx.last, language=lang) * 100
        from linkage import plotting

        fig = plotting.bar_chart(by_dim.rename("平均障碍度（%）" if zh else
                                               "Mean obstacle degree (%)"),
                                 ylabel=label("dimension", lang), horizontal=True)
        b.heading("主要障碍因子" if zh else "Main obstacles")
        ctx.figure(b, "obstacle_dims", (f"{ctx.names[sub]}各维度平均障碍度（{ctx.last} 年）" if zh
                                        else f"Mean obstacle degree by dimension: "
                                        f"{ctx.names[sub]}, {ctx.last}"), fig)
    b.heading("稳健性" if zh else "Robustness")
    ctx.table(b, "sensitivity", (f"不同赋权方法下的耦合协调度与排名（{prov.sensitivity.year} 年）"
                                 if zh else f"D and ranks under other weightings, "
                                 f"{prov.sensitivity.year}"),
              _sensitivity_frame(ctx), **_sensitivity_kinds(ctx))


def _sensitivity_frame(ctx: _Context) -> pd.DataFrame:
    return ctx.prov.sensitivity.to_frame(ctx.language).reset_index()


def _sensitivity_kinds(ctx: _Context) -> dict[str, Any]:
    lang = ctx.language
    return {"kinds": {label("max_shift", lang): "int", label("spearman", lang): "ratio",
                      label("mean_abs_shift", lang): "ratio"},
            "decimals": {label(c, lang): 3 for c in ("mean_D", "D_poverty", "D_other",
                                                     "D_gap")},
            "notes": ["第一行为本报告采用的赋权方法（参照）。" if ctx.zh else
                      "The first row is the weighting this report uses (the reference)."]}


def _appendix_section(ctx: _Context, kind: str, *, simulated: bool) -> Section:
    """The appendix blocks as a section of their own (stored once per batch)."""
    from linkage.reporting.document import SectionBuilder

    b = SectionBuilder(KEY, title(ctx.language), language=ctx.language, simulated=simulated)
    _appendix(b, ctx, kind)
    return b.build()


def _appendix(b: Any, ctx: _Context, kind: str) -> None:
    """Technical tables and figures every report keeps in its appendix."""
    from linkage import plotting

    zh, lang, prov = ctx.zh, ctx.language, ctx.prov
    scores, cc = prov.scores, prov.cc
    weights = weight_table(scores, language=lang).reset_index(drop=True)
    ctx.table(b, "weights", "维度与功能权重" if zh else "Weights of dimensions and functions",
              weights, appendix=True,
              kinds={label("local_weight", lang): "score", label("global_weight", lang): "score"})
    if scores.has("revitalization"):
        top = scores.indicator_weights("revitalization").rename(index=ctx.names).nlargest(10)
        fig = plotting.bar_chart(top.rename(label("global_weight", lang)),
                                 ylabel=label("indicator", lang), horizontal=True)
        ctx.figure(b, "top_weights", label("title_top_weights", lang).format(
            name=ctx.names["revitalization"]), fig, appendix=True)
    if kind != "province":
        main = [n for n in ("poverty/*/consolidate", "poverty/*/extend", "revitalization")
                if scores.has(n)]
        trends = group_means(scores.select(main, labels=lang), ctx.data, language=lang)
        province = trends[trends[label("region", lang)] == label("province_mean", lang)]
        fig = _plot_line(province, lang, hue=label("series", lang), ylabel=label("score", lang))
        ctx.figure(b, "scores_trend", ("巩固、拓展与乡村振兴得分（全省平均，"
                                       f"{ctx.first}—{ctx.last} 年）"
                                       if zh else "Consolidation, extension and revitalization "
                                       "scores, province average"), fig, appendix=True)
    if scores.has("revitalization"):
        w = scores.weights
        dims = list(w.loc[(w["level"] == "dimension") & (w["subsystem"] == "revitalization"),
                          "node"])
        five = group_means(scores.select(dims, labels=lang), ctx.data, language=lang)
        five = five[five[label("region", lang)] == label("province_mean", lang)]
        fig = _plot_line(five, lang, hue=label("series", lang), ylabel=label("score", lang))
        ctx.figure(b, "dimensions", label("title_dimensions", lang), fig, appendix=True)
    main = [n for n in ("poverty/*/consolidate", "poverty/*/extend", "revitalization")
            if scores.has(n)]
    by_group = group_means(scores.select(main, labels=lang), ctx.data, language=lang
                           ).pivot_table(index=label("year", lang),
                                         columns=[label("series", lang), label("region", lang)],
                                         values=label("value", lang))
    ctx.table(b, "scores_by_group", ("巩固、拓展与乡村振兴得分：全省、原贫困县与其他县" if zh else
                                     "Consolidation, extension and revitalization scores by "
                                     "group"), by_group, appendix=True, index=True,
              kinds={label("year", lang): "year"},
              decimals={" ".join(map(str, c)): 3 for c in by_group.columns})
    grid = d_matrix(cc, ctx.data, language=lang)
    fig = plotting.heatmap(grid, fmt=".2f", colorbar_label="D", xlabel=label("year", lang),
                           ylabel="")
    ctx.figure(b, "heatmap", label("title_heatmap", lang), fig, appendix=True)
    if kind != "province" and has_poverty_groups(ctx.data):
        compared = cc[[ctx.u1, ctx.u2, "D"]]
        if prov.effort is not None:
            compared = compared.join(prov.effort.select([EFFORT_NODE], labels=lang))
        groups = group_comparison(compared, ctx.data, year=ctx.last, language=lang)
        groups.index = [ctx.d_header if i == "D" else i for i in groups.index]
        ctx.table(b, "groups", (f"原贫困县与其他县的得分与耦合协调度（{ctx.last} 年）" if zh else
                                f"Former poverty and other counties: scores and D, {ctx.last}"),
                  groups.rename_axis(label("series", lang)).reset_index(), appendix=True,
                  kinds={label("n_poverty_counties", lang): "count",
                         label("n_other_counties", lang): "count",
                         **{c: "score" for c in groups.columns[:3]}},
                  notes=["这是全部县的描述性比较，不是政策效果。" if zh else
                         "A description of all counties, not a policy effect."])
    ctx.table(b, "full_ranking", (f"全部{ctx.word}耦合协调度排名（{ctx.last} 年）" if zh else
                                  f"All {ctx.word} ranked by D, {ctx.last}"),
              _ranking_frame(ctx), appendix=True, kinds=_ranking_kinds(ctx))
    grades = grade_distribution(cc, language=lang).reset_index()
    ctx.table(b, "grades", (f"各协调等级的{ctx.word}数" if zh else f"{ctx.word.capitalize()} "
                                                            "by grade"),
              grades, appendix=True, kinds={label("year", lang): "year",
                                            **{c: "count" for c in grades.columns[1:]}})
    types = type_counts(cc, language=lang).reset_index()
    ctx.table(b, "types", (f"各相对发展类型的{ctx.word}数" if zh else
                           f"{ctx.word.capitalize()} by "
                           "relative development type"), types, appendix=True,
              kinds={label("year", lang): "year", **{c: "count" for c in types.columns[1:]}})
    by_method = prov.by_method.reset_index()
    ctx.table(b, "by_method", ("经典与修正耦合度的全省均值对比" if zh else
                               "Classic and corrected coupling: province means"), by_method,
              appendix=True, kinds={label("year", lang): "year"},
              decimals={c: 3 for c in by_method.columns[1:]})
    if prov.functions is not None:
        fd = group_means(prov.functions, ctx.data, language=lang).pivot_table(
            index=label("year", lang), columns=[label("series", lang), label("region", lang)],
            values=label("value", lang))
        ctx.table(b, "functions", ("巩固、拓展分别与乡村振兴的耦合协调度" if zh else
                                   "D of consolidation and of extension with revitalization"),
                  fd, appendix=True, index=True, kinds={label("year", lang): "year"},
                  decimals={" ".join(map(str, c)): 3 for c in fd.columns})
    if prov.effort is not None:
        trend = group_means(prov.effort.select([EFFORT_NODE], labels=lang), ctx.data,
                            language=lang)
        fig = _plot_line(trend, lang, hue=label("region", lang), ylabel=label("score", lang))
        ctx.figure(b, "effort", label("title_effort", lang), fig, appendix=True)
    elif prov.effort_reason:
        b.paragraph(prov.effort_reason)
    if kind != "province":
        ctx.table(b, "sensitivity", ("不同赋权方法下的耦合协调度与排名（"
                                     f"{prov.sensitivity.year} 年）"
                                     if zh else f"D and ranks under other weightings, "
                                     f"{prov.sensitivity.year}"),
                  _sensitivity_frame(ctx), appendix=True, **_sensitivity_kinds(ctx))
    for sub in (s for s in ("revitalization", "poverty") if scores.has(s)):
        suffix = "" if sub == "revitalization" else f"_{sub}"
        obs = obstacles(scores, sub)
        freq = frequent_obstacles(obs, year=ctx.last, k=ctx.top_k, names=ctx.names,
                                  language=lang).head(8)
        freq = freq.drop(columns=[label("indicator_id", lang)])
        ctx.table(b, f"frequent_obstacles{suffix}", (
            f"各{ctx.word}{ctx.names[sub]}前 "
            f"{ctx.top_k} 位障碍因子中出现最多的指标（{ctx.last} 年）"
            if zh else f"Most frequent obstacles of {ctx.names[sub]}, {ctx.last}"), freq,
            appendix=True,
            kinds={label("n_top", lang): "count", label("n_applicable", lang): "count",
                   label("share_of_applicable", lang): "share",
                   label("mean_share", lang): "share"})
        if kind != "province" or sub != "revitalization":
            by_dim = dimension_obstacles(scores, obs, year=ctx.last, language=lang) * 100
            fig = plotting.bar_chart(by_dim.rename("平均障碍度（%）" if zh else
                                                   "Mean obstacle degree (%)"),
                                     ylabel=label("dimension", lang), horizontal=True)
            ctx.figure(b, f"obstacle_dims{suffix}", (
                f"{ctx.names[sub]}各维度平均障碍度（{ctx.last} 年，全省平均）" if zh else
                f"Mean obstacle degree by dimension: {ctx.names[sub]}, {ctx.last}"), fig,
                appendix=True)


def _metrics(b: Any, ctx: _Context, kind: str, code: str, members: Sequence[str]) -> None:
    """Key numbers for the batch metrics table: the region's (or the mean of its counties')
    U1, U2, D, grade, rank, number of regions, policy-effort index and its rank."""
    zh, prov, cc = ctx.zh, ctx.prov, ctx.prov.cc
    latest = cc.xs(ctx.last, level="year")
    effort = (prov.effort.subsystems()[EFFORT_NODE].xs(ctx.last, level="year")
              if prov.effort is not None else None)
    if kind == "unit":
        row = latest.loc[code]
        u1, u2, d = row[ctx.u1], row[ctx.u2], row["D"]
        grade, dtype = row["grade"], row["type"]
        rank = _rank_of(latest["D"], code)
        first_d = cc.loc[(code, ctx.first), "D"] if (code, ctx.first) in cc.index else np.nan
        e = effort.get(code, np.nan) if effort is not None else np.nan
        e_rank = _rank_of(effort, code) if effort is not None and code in effort.index else None
    else:
        rows = latest.loc[latest.index.isin(list(members))]
        u1, u2, d = rows[ctx.u1].mean(), rows[ctx.u2].mean(), rows["D"].mean()
        grade = str(coupling.grade(pd.Series([d]), scheme=ctx.grade_scheme, language=ctx.language
                                   ).iloc[0])
        dtype, rank, e_rank = None, None, None
        first_d = cc.xs(ctx.first, level="year")["D"].loc[lambda s: s.index.isin(
            list(members))].mean()
        e = effort[effort.index.isin(list(members))].mean() if effort is not None else np.nan
    b.metric("linkage_u1", "脱贫成果得分 U1" if zh else "Poverty-alleviation score U1", u1)
    b.metric("linkage_u2", "乡村振兴得分 U2" if zh else "Rural revitalization score U2", u2)
    b.metric("linkage_d", "耦合协调度 D" if zh else "Coupling coordination D", d)
    b.metric("linkage_d_change", (f"D 较 {ctx.first} 年变化" if zh else
                                  f"Change of D since {ctx.first}"), d - first_d)
    b.metric("linkage_grade", "协调等级" if zh else "Grade", grade)
    b.metric("linkage_type", "相对发展类型" if zh else "Relative development type", dtype)
    b.metric("linkage_rank", "D 排名" if zh else "Rank by D", rank, "位" if zh else "")
    b.metric("linkage_n_regions", "参与排名的地区数" if zh else "Regions ranked", ctx.n,
             ctx.word if not zh else "个")
    b.metric("policy_effort", "政策投入指数" if zh else "Policy-effort index", e)
    b.metric("policy_effort_rank", "政策投入指数排名" if zh else "Rank by policy effort", e_rank,
             "位" if zh else "")


def _coverage_method(scores: FrameworkScores, framework: Framework, word: str,
                     language: Language) -> str:
    """What was scored, with indicator names (never ids)."""
    zh = is_zh(language)
    n = scores.standardized.shape[1]
    stages = ("、" if zh else ", ").join(
        label(f"stage_{s}", language) if zh else label(f"stage_{s}", language).lower()
        for s in scores.options.get("stages", ()))
    text = (f"成果得分用 {n} 项{stages}类指标；"
            f"{len(scores.excluded)} 项投入类指标不计入成果得分，另合成"
            "政策投入指数" if zh else
            f"Achievement scores use {n} indicators ({stages}); {len(scores.excluded)} input "
            "indicators are not counted as achievements and form the policy-effort index")
    if scores.absent:
        absent = [framework[i].name_zh if zh else framework[i].name_en
                  for i in scores.absent if i in framework.indicator_ids]
        text += (f"；数据中缺少 {len(scores.absent)} 项指标，未评价：{'、'.join(absent)}" if zh else
                 f"; {len(scores.absent)} indicators are absent from the data and not scored: "
                 f"{', '.join(absent)}")
    return text + ("。" if zh else ".")


def _unit_findings(ctx: _Context, code: str, name: str) -> list[tuple[float, str]]:
    """The county's own findings: its D and grade over time, its gaps to the province and
    its peers, its policy-effort index, and how its rank moves under other weightings."""
    zh, lang, prov, cc = ctx.zh, ctx.language, ctx.prov, ctx.prov.cc
    own = cc.xs(code, level="region_code")
    first, last = own.index.min(), own.index.max()
    d0, d1 = own.at[first, "D"], own.at[last, "D"]
    r0 = _rank_of(cc.xs(first, level="year")["D"], code)
    r1 = _rank_of(cc.xs(last, level="year")["D"], code)
    verb = ("升至" if d1 > d0 else "降至" if d1 < d0 else "持平于") if zh else (
        "rose to" if d1 > d0 else "fell to" if d1 < d0 else "stayed at")
    out = [(2.0, overview.cite(
        f"{name}的耦合协调度 D 由 {first} 年的 {d0:.3f}（{own.at[first, 'grade']}）{verb} {last} "
        f"年的 {d1:.3f}（{own.at[last, 'grade']}），在 {ctx.n} 个{ctx.word}中的排名由第 {r0} 位变为"
        f"第 {r1} 位。" if zh else
        f"D of {name} {verb.split()[0]} from {d0:.3f} ({own.at[first, 'grade']}) in {first} "
        f"to {d1:.3f} ({own.at[last, 'grade']}) in {last}; its rank among the {ctx.n} "
        f"{ctx.word} moved from {r0} to {r1}.", "{table:yearly}", "{figure:d_trend}",
        language=lang))]
    latest = cc.xs(last, level="year")
    gap = d1 - latest["D"].mean()
    text = (f"{last} 年{name}的 D {label(f'compare_{_sign(gap)}', lang)}全省平均"
            f"（{latest['D'].mean():.3f}），相差 {abs(gap):.3f}" if zh else
            f"In {last} D of {name} is {label(f'compare_{_sign(gap)}', lang)} the province "
            f"average ({latest['D'].mean():.3f}), a difference of {abs(gap):.3f}")
    column, peers = (overview.peer_counties(ctx.data, code)
                     if code in ctx.data.counties.index else (None, pd.Index([])))
    peer_codes = pd.Index([code, *peers]).intersection(latest.index)
    if column is not None and len(peer_codes) > 1:
        status = label("status_key_assistance" if column == "key_assistance" else
                       "status_poverty_county" if overview._flag(ctx.data, code, column)
                       else "status_other", lang)
        text += (f"；在 {len(peer_codes)} 个{status}中排第 "
                 f"{_rank_of(latest['D'][peer_codes], code)}"
                 " 位" if zh else f"; it ranks {_rank_of(latest['D'][peer_codes], code)} of "
                 f"the {len(peer_codes)} counties that are a {status}")
    text += (f"；脱贫成果得分 {latest.at[code, ctx.u1]:.3f}、乡村振兴得分 "
             f"{latest.at[code, ctx.u2]:.3f}，相对发展类型为“{latest.at[code, 'type']}”。" if zh
             else f"; its poverty-alleviation score is {latest.at[code, ctx.u1]:.3f} and its "
             f"revitalization score {latest.at[code, ctx.u2]:.3f} "
             f"({latest.at[code, 'type']}).")
    out.append((3.0, overview.cite(text, "{table:scores}", language=lang)))
    if prov.effort is not None:
        effort = prov.effort.subsystems()[EFFORT_NODE].xs(last, level="year")
        if code in effort.index and pd.notna(effort[code]):
            e, mean = effort[code], effort.mean()
            out.append((6.0, overview.cite(
                f"{name}的政策投入指数为 {e:.3f}，在 {len(effort)} 个{ctx.word}中排第 "
                f"{_rank_of(effort, code)} 位，{label(f'compare_{_sign(e - mean)}', lang)}全省"
                f"平均（{mean:.3f}）；投入多少与成果高低的关系需用政策效果评估检验。" if zh else
                f"The policy-effort index of {name} is {e:.3f}, rank "
                f"{_rank_of(effort, code)} of {len(effort)}, "
                f"{label(f'compare_{_sign(e - mean)}', lang)} the province average "
                f"({mean:.3f}); whether more input brings more achievement is a question for "
                "policy evaluation.", "{table:scores}", language=lang)))
    sens = prov.sensitivity
    if code in sens.ranks.index and sens.ranks.shape[1] > 1:
        ranks = sens.ranks.loc[code]
        ref = ranks[sens.reference]
        others = ranks.drop(sens.reference)
        listed = ("、" if zh else ", ").join(
            f"{label(f'weighting_{m}', lang)}第 {r} 位" if zh else
            f"{label(f'weighting_{m}', lang)} {r}" for m, r in others.items())
        moved = int((others - ref).abs().max())
        out.append((8.0, overview.cite(
            f"换用其他赋权方法，{name}的排名为：{listed}（"
            f"本报告的{label(f'weighting_{sens.reference}', lang)}"
            f"下第 {ref} 位），最多变动 {moved} 位。" if zh else
            f"Under other weightings {name} ranks: {listed} (rank {ref} under "
            f"{label(f'weighting_{sens.reference}', lang)}, this report's weighting), a change "
            f"of at most {moved} places.", "{table:robustness}", language=lang)))
    return out


def _group_findings(ctx: _Context, name: str, members: Sequence[str]
                    ) -> list[tuple[float, str]]:
    """A prefecture's findings: its counties' mean D against the province, its best and
    weakest county, and the change of its mean D."""
    zh, lang, cc = ctx.zh, ctx.language, ctx.prov.cc
    latest = cc.xs(ctx.last, level="year")
    mine = latest.loc[latest.index.isin(list(members)), "D"].sort_values(ascending=False)
    mean, prov = mine.mean(), latest["D"].mean()
    before = cc.xs(ctx.first, level="year")["D"]
    before = before[before.index.isin(list(members))].mean()
    best, worst = mine.index[0], mine.index[-1]
    verb = ("升至" if mean > before else "降至") if zh else ("rose" if mean > before else "fell")
    first_text = (
        f"{ctx.last} 年{name}所辖 {len(mine)} 个县的 D 平均为 {mean:.3f}，"
        f"{label(f'compare_{_sign(mean - prov)}', lang)}全省平均（{prov:.3f}）；最高的是"
        f"{ctx.data.region_name(best)}（{mine[best]:.3f}，"
        f"全省第 {_rank_of(latest['D'], best)} 位），"
        f"最低的是{ctx.data.region_name(worst)}（{mine[worst]:.3f}，全省第 "
        f"{_rank_of(latest['D'], worst)} 位）。" if zh else
        f"In {ctx.last} the mean D of the {len(mine)} counties of {name} is {mean:.3f}, "
        f"{label(f'compare_{_sign(mean - prov)}', lang)} the province average ({prov:.3f}); "
        f"highest: {ctx.data.region_name(best)} ({mine[best]:.3f}, rank "
        f"{_rank_of(latest['D'], best)} in the province), lowest: "
        f"{ctx.data.region_name(worst)} ({mine[worst]:.3f}, rank "
        f"{_rank_of(latest['D'], worst)}).")
    second = (f"{name}各县 D 的平均值由 {ctx.first} 年的 {before:.3f} {verb} {ctx.last} 年的 "
              f"{mean:.3f}。" if zh else
              f"The mean D of the counties of {name} {verb} from {before:.3f} in {ctx.first} "
              f"to {mean:.3f} in {ctx.last}.")
    return [(1.0, overview.cite(first_text, "{table:members}", language=lang)),
            (2.0, overview.cite(second, "{figure:d_trend}", language=lang))]


def _sign(value: float) -> str:
    return "higher" if value > 0 else "lower" if value < 0 else "equal"
