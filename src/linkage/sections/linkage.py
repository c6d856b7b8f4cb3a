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
from dataclasses import dataclass
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
from linkage.scoring import EFFORT_NODE, FrameworkScores, Weighting, score_framework
from linkage.sections import overview

__all__ = [
    "SENSITIVITY_METHODS",
    "WeightingSensitivity",
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
    "obstacles",
    "rank_regions",
    "region_obstacles",
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
    """
    return [text for _, text in narrative_parts(
        scores, cc, data, region_code=region_code, subsystem_obstacles=subsystem_obstacles,
        region_level=region_level, effort=effort, sensitivity=sensitivity, language=language,
        markdown=markdown)]


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
    grades = coupling.grade(by_year["D"], scheme="tian2021", language=language)
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
        lines.append(("simulated", "以上结果基于模拟数据，仅用于演示方法，不代表任何真实地区。" if zh else
                     "These results use simulated data to demonstrate the methods; they "
                     "describe no real area."))
    return lines


def _featured_name(data: PanelData, region_code: str, language: Language, *,
                   markdown: bool = True) -> str:
    """A featured county's name with its status
    (:func:`linkage.sections.overview.featured_label`); a
    prefecture's plain name — as Markdown text (data values escaped) unless ``markdown`` is
    false."""
    if region_code in data.counties.index:
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
