"""Framework scoring (指标体系综合评价): one call from a county-year panel to scores at every level.

:func:`score_framework` standardises the indicators of a framework (direction-aware), weights
them, and aggregates them up the tree — indicator → dimension (维度) → function (巩固/拓展) →
layer (减贫成果/制度成果) → subsystem (脱贫成果, 乡村振兴) — giving a tidy long table of scores in
[0, 1] plus the weights at every level. The numeric methods (normalisation, entropy/CRITIC/CV/AHP
weights, TOPSIS) are those of :mod:`linkage.composite`; this module only organises them along
the framework tree.

Hierarchical weighting (how the levels are tied together)
--------------------------------------------------------
``hierarchy="global"`` (default, the common practice of this literature, e.g. 熵值法 over the
whole indicator system of each subsystem): one weight vector is estimated over *all* indicators
of a subsystem, so the global weights ``g_j`` sum to 1 per subsystem. The score of any inner
node ``k`` is the weighted mean of the standardised indicators ``x'_ij`` below it,

.. math:: S_{ik} = \\frac{\\sum_{j \\in k} g_j x'_{ij}}{\\sum_{j \\in k} g_j} \\in [0, 1],

i.e. the usual weighted sum ``Σ g_j x'_ij`` within the node divided by the node's total weight
``G_k = Σ_{j∈k} g_j`` (the node's global weight). The local weight of a node is
``G_k / G_parent``. ``hierarchy="hierarchical"`` estimates weights *within* each dimension from
its indicators, then the weights of the dimensions of one function (and of the functions of a
layer, the layers of a subsystem) from the children's scores by the same method (expert YAML
weights with ``weighting="expert"``; equal weights with ``"equal"``). Global weights are then
products of local weights along the path, and the same weighted-mean formula holds, so both
modes produce scores that are exact weighted means of their children.

With ``aggregation="topsis"`` a node's score is the TOPSIS closeness over the node's indicators
(weights = their global weights renormalised within the node); in hierarchical mode the upper
levels' weights are still estimated from the weighted-mean scores of the children.

References: entropy weights, weighted sum and TOPSIS as in Hwang & Yoon (1981), *Multiple
Attribute Decision Making*, Springer (see :mod:`linkage.composite`); the global entropy
weighting of a whole indicator system with weighted-sum scores as in 王富喜, 毛爱华, 李赫龙,
贾茹 (2013), 地理科学 33(11):1323-1329.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, get_args

import numpy as np
import pandas as pd

from linkage import composite
from linkage.checks import check_option, first_rows, require_columns
from linkage.composite import EntropyVariant
from linkage.errors import InputError
from linkage.frameworks import Framework, Node, Stage, load_framework
from linkage.labels import LABELS, Language, is_zh, label

__all__ = [
    "ACHIEVEMENT_STAGES",
    "EFFORT_NODE",
    "Aggregation",
    "ColumnLabels",
    "FrameworkScores",
    "Hierarchy",
    "Normalization",
    "Scope",
    "ScoreMissing",
    "Weighting",
    "policy_effort_index",
    "score_framework",
]

Normalization = Literal["minmax", "vector", "sum"]
Scope = Literal["pooled", "year"]
Weighting = Literal["entropy", "critic", "cv", "equal", "expert", "combined"]
Aggregation = Literal["sum", "topsis"]
Hierarchy = Literal["global", "hierarchical"]
ScoreMissing = Literal["raise", "year_mean", "interpolate"]
"""Missing-cell rules of :func:`score_framework`: ``"raise"`` (the kit-wide default) or one of
two imputation rules (the argument vocabulary's extra values for scoring)."""
ColumnLabels = Literal["node", "zh", "en"]
ScoreLevel = Literal["indicator", "dimension", "function", "function_total", "layer", "subsystem"]

#: Stages scored as achievements by default: outputs and outcomes, not inputs (aid received is
#: an input; it is measured by :func:`policy_effort_index`).
ACHIEVEMENT_STAGES: tuple[Stage, ...] = ("output", "outcome")

#: Id of the one subsystem of :func:`policy_effort_index`.
EFFORT_NODE = "policy_effort"

_KEY = ["region_code", "year"]
_LEVELS: tuple[str, ...] = get_args(ScoreLevel)


@dataclass(frozen=True)
class FrameworkScores:
    """Scores of a framework at every level (多层级综合得分).

    Attributes
    ----------
    values : DataFrame
        Scores in [0, 1], index (region_code, year), one column per node (node keys, ordered
        by level: indicators, dimensions, functions, function totals, layers, subsystems).
    weights : DataFrame
        One row per node, in the column order of ``values``: ``node``, ``node_id``, ``parent``
        (node key, ``""`` for subsystems), ``level``, ``subsystem``, ``name_zh``, ``name_en``,
        ``local_weight`` (share of the parent), ``global_weight`` (share of the subsystem;
        indicator global weights sum to 1 per subsystem).
    standardized : DataFrame
        Wide indicator matrix (region_code, year) × indicator id, standardised and direction
        aligned (1 = best), after the missing-value rule.
        Cells where an indicator does not apply (see ``eligible``) are missing.
    absent : tuple of str
        Framework indicators of the scored stages not scored (not in the panel, or entirely
        empty).
    imputed : Series
        Cells filled by the missing-value rule, per indicator (0 everywhere with ``"raise"``).
    options : mapping
        The method choices, for reports and provenance (including ``stages``).
    excluded : tuple of str
        Framework indicators left out because of their stage (by default the inputs).
    eligible : DataFrame or None
        Where an indicator applies (index and columns of ``standardized``; True = applies),
        when some scored indicator has an eligibility rule; ``None`` when all apply everywhere.
        Scores are weighted means over the indicators that apply to the region.
    scores : DataFrame
        (Derived from ``values`` on first access.) Tidy long table, one row per
        region-year-node: ``region_code``, ``year``, ``level`` (indicator/dimension/function/
        function_total/layer/subsystem), ``node`` (unique key: indicator id, dimension id, or
        path such as ``poverty/outcome/consolidate``; the function totals across layers are
        ``poverty/*/consolidate``), ``node_id``, ``name_zh``, ``name_en``, ``score``; text
        columns are categoricals.
    """

    values: pd.DataFrame
    weights: pd.DataFrame
    standardized: pd.DataFrame
    absent: tuple[str, ...]
    imputed: pd.Series
    options: Mapping[str, object] = field(default_factory=dict)
    excluded: tuple[str, ...] = ()
    eligible: pd.DataFrame | None = None

    @cached_property
    def scores(self) -> pd.DataFrame:
        """The tidy long score table (see the class docstring)."""
        return _long_table(self.values, self.weights)

    def to_frame(self) -> pd.DataFrame:
        """The tidy long score table (same as :attr:`scores`)."""
        return self.scores

    def wide(self, level: ScoreLevel, *, labels: ColumnLabels = "node"
             ) -> pd.DataFrame:
        """Scores of one level as a region-year × node table (宽表).

        Parameters
        ----------
        level : {"indicator", "dimension", "function", "function_total", "layer", "subsystem"}
        labels : {"node", "zh", "en"}
            Column labels: node keys, Chinese or English names.
        """
        check_option("level", level, ScoreLevel)
        return self.select(list(self.weights.loc[self.weights["level"] == level, "node"]),
                           labels=labels)

    def select(self, nodes: list[str], *, labels: ColumnLabels = "node"
               ) -> pd.DataFrame:
        """Scores of the given nodes (any levels), region-year × node, in the order given.

        Raises :class:`~linkage.errors.InputError` naming a node that was not scored.
        """
        check_option("labels", labels, ColumnLabels)
        known = self.weights.set_index("node")
        unknown = [n for n in nodes if n not in known.index]
        if unknown:
            raise InputError(f"没有得分节点 {unknown[0]!r}（其指标不在数据中？）/ node not scored",
                             column=unknown[0], hint=f"可选 / scored nodes: {list(known.index)}")
        out = self.values[nodes]
        if labels != "node":
            out = out.set_axis(known.loc[nodes, f"name_{labels}"].to_list(), axis=1)
        return out

    def has(self, node: str) -> bool:
        """Whether ``node`` (a node key) was scored."""
        return bool((self.weights["node"] == node).any())

    def subsystems(self) -> pd.DataFrame:
        """Subsystem scores, region-year × subsystem id — the input of coupling coordination."""
        return self.wide("subsystem")

    def indicator_weights(self, subsystem: str | None = None) -> pd.Series:
        """Global indicator weights (指标全局权重), optionally of one subsystem (sum 1)."""
        rows = self.weights[self.weights["level"] == "indicator"]
        if subsystem is not None:
            if subsystem not in set(rows["subsystem"]):
                raise InputError(f"没有子系统 {subsystem!r} / no such subsystem",
                                 hint=f"可选 / choose from: {sorted(set(rows['subsystem']))}")
            rows = rows[rows["subsystem"] == subsystem]
        return pd.Series(rows["global_weight"].to_numpy(), index=pd.Index(rows["node"]),
                         name="weight")

    def summary(self, language: Language = "zh") -> str:
        """A few lines (Chinese or English): what was scored, how, and the largest weights."""
        check_option("language", language, Language)
        zh = is_zh(language)
        opts = self.options
        sep = "；" if zh else "; "
        n = self.standardized.shape[1]
        chosen = tuple(opts.get("stages", ()))
        stages = ("、" if zh else ", ").join(
            label(f"stage_{s}", language) if zh else label(f"stage_{s}", language).lower()
            for s in chosen)
        first = (f"参与评价的指标 {n} 项（{stages}类）" if zh
                 else f"{n} indicators scored ({stages})")
        if self.absent:
            first += (f"{sep}缺少 {len(self.absent)} 项（未评价）：{'、'.join(self.absent)}" if zh
                      else f"{sep}{len(self.absent)} absent from the data (not scored): "
                      f"{', '.join(self.absent)}")
        elif zh:
            first += f"{sep}框架指标齐全"
        if self.excluded:
            where = (("投入类见政策投入指数" if zh else "inputs: see the policy-effort index")
                     if "input" not in chosen else
                     ("产出、成效类见成果得分" if zh else "outputs and outcomes: see the "
                      "achievement scores"))
            first += (f"{sep}另有 {len(self.excluded)} 项其他性质的指标不计入（{where}）" if zh
                      else f"{sep}{len(self.excluded)} indicators of other stages left out "
                      f"({where})")
        hierarchy = label(f"hierarchy_{opts.get('hierarchy')}", language)
        lines = [first]
        scope = label(f"scope_{opts.get('scope')}", language)
        weighting = label(f"weighting_{opts.get('weighting')}", language)
        aggregation = label(f"aggregation_{opts.get('aggregation')}", language)
        missing = label(f"missing_{opts.get('missing')}", language)
        if zh:
            lines += [f"标准化：{opts.get('normalization')}（{scope}）；赋权：{weighting}"
                      f"（{hierarchy}）；集成：{aggregation}",
                      f"缺失值：{missing}，共插补 {int(self.imputed.sum())} 个单元格"]
        else:
            lines += [f"Normalisation: {opts.get('normalization')} ({scope}); weights: "
                      f"{weighting} ({hierarchy}); aggregation: {aggregation}",
                      f"Missing values: {missing}; {int(self.imputed.sum())} cells imputed"]
        if self.eligible is not None:
            names = self.weights.set_index("node")[f"name_{language}"]
            rules = self.options.get("eligibility", {})
            off = (~self.eligible).sum()
            parts = [(f"{names[i]} 只对“{label(a, language) if a in LABELS else a}”为是的县计分"
                      f"（{int(off[i])} 个县-年不适用）") if zh else
                     (f"{names[i]} scored only where {a} is true ({int(off[i])} region-years "
                      "not applicable)") for i, a in rules.items()]
            lines.append(("适用范围：" if zh else "Eligibility: ") + sep.join(parts))
        ind = self.weights[self.weights["level"] == "indicator"]
        for sub, part in ind.groupby("subsystem", sort=False):
            top = part.nlargest(3, "global_weight")
            name = self.weights.loc[self.weights["node"] == sub, f"name_{language}"].iloc[0]
            listed = [f"{getattr(r, f'name_{language}')}（{r.global_weight:.3f}）" if zh
                      else f"{getattr(r, f'name_{language}')} ({r.global_weight:.3f})"
                      for r in top.itertuples()]
            lines.append(f"{name}权重最大的指标：" + "、".join(listed) if zh
                         else f"Largest weights in {name}: " + ", ".join(listed))
        return "\n".join(lines)


# --- input checks and missing values ----------------------------------------------------------
def _prepare(panel: pd.DataFrame, framework: Framework, stages: tuple[str, ...]
             ) -> tuple[pd.DataFrame, list[str], list[str], list[str]]:
    missing_key = [c for c in _KEY if c not in panel.columns]
    if missing_key:
        raise InputError(f"面板缺少列 {missing_key[0]} / panel lacks a key column",
                         column=missing_key[0], hint="面板需要 region_code 与 year 两列")
    dup = panel.duplicated(_KEY)
    if dup.any():
        first = panel.loc[dup, _KEY].iloc[0]
        raise InputError(
            f"县-年重复：{first['region_code']} {first['year']} 出现不止一次 / duplicate "
            "region-year", column="region_code", hint="每个县每年只能有一行；先去重或汇总")
    wanted = framework.stage_ids(*stages)
    present = [i for i in wanted if i in panel.columns]
    for col in present:
        if not pd.api.types.is_numeric_dtype(panel[col]) or pd.api.types.is_bool_dtype(
                panel[col]):
            raise InputError(f"指标列 {col} 不是数值（{panel[col].dtype}）/ indicator column is "
                             "not numeric", column=col,
                             hint="先转换为数值，或用 linkage ingest 读入")
    empty = [c for c in present if panel[c].isna().all()]
    used = [c for c in present if c not in empty]
    if not used:
        raise InputError(
            f"面板中没有任何{'、'.join(label(f'stage_{s}') for s in stages)}类框架指标的数值 / no "
            f"framework indicator of stages {', '.join(stages)} has data",
            hint=f"列名应为指标代码或中文名，例如 {(wanted or framework.indicator_ids)[0]}")
    data = panel[[*_KEY, *used]].sort_values(_KEY, kind="stable").reset_index(drop=True)
    values = data[used].to_numpy(dtype=float)
    if np.isinf(values).any():
        col = used[int(np.argwhere(np.isinf(values))[0, 1])]
        raise InputError(f"指标 {col} 含无穷值 / infinite value", column=col,
                         hint="检查除以零的计算（如比值分母为 0）")
    absent = [i for i in wanted if i not in used]
    excluded = [i for i in framework.indicator_ids if i not in wanted]
    return data, used, absent, excluded


def _stages(stages: object) -> tuple[str, ...]:
    """The stages to score, checked: a non-empty sequence of distinct :data:`Stage` values."""
    chosen = (stages,) if isinstance(stages, str) else tuple(stages)  # type: ignore[arg-type]
    for stage in chosen:
        check_option("stages", stage, Stage)
    if not chosen or len(set(chosen)) != len(chosen):
        raise InputError(f"stages={stages!r} 应为不重复的指标性质 / stages must be distinct",
                         hint='例如 stages=("output", "outcome")')
    return chosen


def _eligibility(data: pd.DataFrame, ids: list[str], framework: Framework,
                 counties: pd.DataFrame | None) -> tuple[pd.DataFrame | None, dict[str, str]]:
    """Where each scored indicator applies (rows of ``data`` × ``ids``), from the county table.

    ``None`` when no scored indicator has an ``eligible`` rule. A rule needs the county table,
    the attribute column in it, a True/False value for every county of the panel.
    """
    rules = {i: framework[i].eligible for i in ids if framework[i].eligible}
    if not rules:
        return None, rules
    first, attribute = next(iter(rules.items()))
    if counties is None:
        raise InputError(
            f"指标 {first} 只适用于“{attribute}”为是的县，需要县属性表 / indicator {first!r} "
            f"applies only where {attribute!r} is true: the county table is needed",
            column=first, hint="传入 counties=data.counties（linkage.panel.load_panel 的县属性表）"
            " / pass counties=data.counties")
    table = counties.set_index("region_code") if "region_code" in counties.columns else counties
    require_columns(table, list(dict.fromkeys(rules.values())), what="县属性表 counties")
    codes = data["region_code"].astype(str)
    mask = pd.DataFrame(True, index=data.index, columns=ids)
    for attribute in dict.fromkeys(rules.values()):
        flag = table[attribute]
        flag = flag[~flag.index.duplicated()]
        if not pd.api.types.is_bool_dtype(flag):
            raise InputError(f"县属性 {attribute} 应为是/否 (True/False) / the county attribute "
                             "must be boolean", column=attribute,
                             hint="例如 poverty_county、key_assistance")
        value = flag.reindex(codes.unique())
        lacking = value.index[value.isna().to_numpy()]
        if lacking.size:
            raise InputError(
                f"县属性表中没有这些县的 {attribute} / no {attribute!r} for counties "
                f"{first_rows(lacking)}", column=attribute,
                hint="县属性表需覆盖面板中的每个县 / the county table must cover every county")
        applies = codes.map(value.astype(bool)).to_numpy(dtype=bool)
        for indicator in (i for i, a in rules.items() if a == attribute):
            mask[indicator] = applies
    return mask, rules


def _fill_missing(data: pd.DataFrame, ids: list[str], rule: ScoreMissing,
                  applies: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.Series]:
    """Fill the missing cells where an indicator applies; cells where it does not stay missing
    (they are neither imputed nor counted, and do not enter the year means)."""
    if applies is not None:
        data = data.copy()
        data[ids] = data[ids].where(applies)
    holes = data[ids].isna() if applies is None else data[ids].isna() & applies
    counts = holes.sum().rename("n_imputed")
    if not counts.any():
        return data, counts
    if rule == "raise":
        col = counts.idxmax()
        row = data.loc[holes[col], _KEY].iloc[0]
        raise InputError(
            f"指标 {col} 有 {counts[col]} 个缺失值（如 {row['region_code']} {row['year']} 年），"
            f"全部指标共 {int(counts.sum())} 个 / missing values", column=col,
            hint='选择缺失值规则 missing="year_mean"（当年均值插补）或 '
                 '"interpolate"（县内按年插值），或先补齐数据')
    filled = data.copy()
    if rule == "interpolate":
        cols = list(counts.index[counts > 0])
        # one (region, indicator) × year grid, interpolated along the years in one call
        grid = filled.set_index(_KEY)[cols].rename_axis(columns="indicator").stack(
            future_stack=True).unstack("year")
        grid = grid.interpolate(axis=1, method="index", limit_direction="both")
        back = grid.stack(future_stack=True).unstack("indicator")
        filled[cols] = back.reindex(pd.MultiIndex.from_frame(filled[_KEY]))[cols].to_numpy()
    year_mean = filled.groupby("year")[ids].transform("mean")
    filled[ids] = filled[ids].fillna(year_mean)
    if applies is not None:
        filled[ids] = filled[ids].where(applies)
    gaps = filled[ids].isna() if applies is None else filled[ids].isna() & applies
    still = gaps.sum()
    if still.any():
        col = still.idxmax()
        years = sorted(filled.loc[gaps[col], "year"].unique().tolist())
        raise InputError(f"指标 {col} 在 {years} 年所有县都缺失，无法插补 / an indicator is "
                         "missing for every county in some years", column=col,
                         hint='选择 missing="interpolate"，或缩小年份范围，或删除该指标列')
    return filled, counts


# --- the tree ----------------------------------------------------------------------------------
def _node_table(framework: Framework, used: list[str]) -> pd.DataFrame:
    """Nodes with at least one scored indicator: key, level, parent key, names, members."""
    table = framework.indicator_table().loc[used]
    known = {n.path: n for n in framework.nodes}

    def names(path: str) -> Node:  # hand-built frameworks may carry no inner nodes
        node_id = path.rsplit("/", 1)[-1]
        return known.get(path) or Node(node_id, node_id, node_id, "dimension", path, "", None)
    rows = []

    def add(key, node_id, level, parent, zh, en, members, subsystem):
        rows.append((key, node_id, level, parent, zh, en, members, subsystem))

    for sub in dict.fromkeys(table["subsystem"]):
        node = names(sub)
        in_sub = table[table["subsystem"] == sub]
        add(sub, sub, "subsystem", "", node.name_zh, node.name_en, list(in_sub.index), sub)
        for layer in dict.fromkeys(x for x in in_sub["layer"] if x):
            path = f"{sub}/{layer}"
            ln = names(path)
            add(path, layer, "layer", sub, ln.name_zh, ln.name_en,
                list(in_sub.index[in_sub["layer"] == layer]), sub)
            in_layer = in_sub[in_sub["layer"] == layer]
            for func in dict.fromkeys(in_layer["function"]):
                fpath = f"{path}/{func}"
                fn = names(fpath)
                add(fpath, func, "function", path, f"{ln.name_zh}·{fn.name_zh}",
                    f"{ln.name_en}: {fn.name_en}",
                    list(in_layer.index[in_layer["function"] == func]), sub)
        for func in dict.fromkeys(f for f in in_sub["function"] if f):
            first_layer = in_sub.loc[in_sub["function"] == func, "layer"].iloc[0]
            fn = names(f"{sub}/{first_layer}/{func}")
            add(f"{sub}/*/{func}", func, "function_total", sub, fn.name_zh,
                f"{fn.name_en} (all layers)",
                list(in_sub.index[in_sub["function"] == func]), sub)
        for dim in dict.fromkeys(in_sub["dimension"]):
            members = in_sub.index[in_sub["dimension"] == dim]
            first = table.loc[members[0]]
            parent = "/".join(p for p in (sub, first["layer"], first["function"]) if p)
            dn = names(f"{parent}/{dim}")
            add(dim, dim, "dimension", parent, dn.name_zh, dn.name_en, list(members), sub)
    for ind in used:
        row = table.loc[ind]
        add(ind, ind, "indicator", row["dimension"], row["name_zh"], row["name_en"], [ind],
            row["subsystem"])
    out = pd.DataFrame(rows, columns=["node", "node_id", "level", "parent", "name_zh",
                                      "name_en", "members", "subsystem"])
    out["depth"] = out["level"].map({"subsystem": 0, "function_total": 1, "layer": 1,
                                     "function": 2, "dimension": 3, "indicator": 4})
    order = out["level"].map({lv: k for k, lv in enumerate(_LEVELS)})
    return out.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o")


# --- weights -----------------------------------------------------------------------------------
def _objective(block: pd.DataFrame, directions: pd.Series, weighting: str,
               entropy_variant: str) -> pd.Series:
    """Weights of the columns of ``block`` by an objective method of :mod:`linkage.composite`.

    ``block`` holds raw indicator values (with their directions) at the indicator level, and
    children's scores (direction +1) above it. Cells where an indicator does not apply are
    missing; each indicator's statistics are then taken over the rows where it applies
    (``missing="keep"`` of the composite functions).
    """
    if block.shape[1] == 1:  # a single child carries all of its parent's weight
        return pd.Series(1.0, index=block.columns)
    missing = "keep" if block.isna().to_numpy().any() else "raise"
    if weighting == "entropy":
        return composite.entropy_weights(
            block, None if entropy_variant == "shannon" else directions, variant=entropy_variant,
            missing=missing)
    if weighting == "critic":
        return composite.critic_weights(block, directions, missing=missing)
    if weighting == "cv":
        return composite.cv_weights(block, missing=missing)
    return composite.equal_weights(block.columns)


def _weighted_mean(values: pd.DataFrame, w: pd.Series) -> pd.Series:
    """Row-wise weighted mean over the cells that are present (weights renormalised per row);
    missing where no weighted cell is present."""
    present = values.notna().to_numpy()
    weights = w.reindex(values.columns).to_numpy()
    total = present.astype(float) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nan_to_num(values.to_numpy(dtype=float)) @ weights / total
    return pd.Series(np.where(total > 0, mean, np.nan), index=values.index)


def _expert_local(framework: Framework, nodes: pd.DataFrame) -> pd.Series:
    """Local expert weights from the YAML, renormalised over the children that are scored."""
    by_path = {n.path: n.weight for n in framework.nodes}
    tree = nodes[nodes["level"] != "function_total"]
    raw = {}
    for row in tree.itertuples():
        if row.level == "subsystem":  # subsystems are scored separately: weight 1 each
            raw[row.node] = 1.0
        elif row.level == "indicator":
            raw[row.node] = framework[row.node].weight
        elif row.level == "dimension":
            raw[row.node] = by_path.get(f"{row.parent}/{row.node}")
        else:
            raw[row.node] = by_path.get(row.node)
    lacking = [k for k, v in raw.items() if v is None]
    if lacking:
        raise InputError(
            f"指标体系没有为 {lacking[0]} 等 {len(lacking)} 个节点给出专家权重 / expert weights "
            "missing", column=lacking[0],
            hint='在 YAML 中为每个节点写 weight，或改用 weighting="entropy" 等客观赋权')
    local = pd.Series(raw, dtype=float)
    parents = tree.set_index("node")["parent"]
    return (local / local.groupby(parents).transform("sum")).where(parents != "", 1.0)


def _local_weights(raw: pd.DataFrame, std: pd.DataFrame, directions: pd.Series,
                   nodes: pd.DataFrame, framework: Framework, *, weighting: str,
                   entropy_variant: str, hierarchy: str, alpha: float) -> pd.Series:
    """Local weight of every tree node among its siblings (subsystems get 1)."""
    tree = nodes[nodes["level"] != "function_total"]
    expert = (_expert_local(framework, nodes) if weighting in ("expert", "combined")
              else None)
    if weighting == "expert":
        return expert.reindex(tree["node"]).fillna(1.0)

    members = tree.set_index("node")["members"]
    parents = tree.set_index("node")["parent"]
    if weighting == "combined" and hierarchy == "global":  # expert weights within subsystems
        expert = _path_product(tree, expert)

    def method(block: pd.DataFrame, signs: pd.Series) -> pd.Series:
        w = _objective(block, signs, "entropy" if weighting == "combined" else weighting,
                       entropy_variant)
        if weighting == "combined" and block.shape[1] > 1:
            w = composite.combine_weights(expert.reindex(block.columns), w, alpha=alpha,
                                          method="linear")
        return w

    if hierarchy == "global":
        g = pd.concat([method(raw[members[sub]], directions[members[sub]])
                       for sub in tree.loc[tree["level"] == "subsystem", "node"]])
        total = members.map(lambda ids: g.reindex(ids).sum())
        local = total / total.groupby(parents).transform("sum")
        return local.where(parents != "", 1.0).reindex(tree["node"])
    # hierarchical: bottom-up, the weights of a node's children from the children's values
    local_w: dict[str, float] = {}
    child_scores: dict[str, pd.Series] = {}
    for depth in (3, 2, 1, 0):
        for row in tree[tree["depth"] == depth].itertuples():
            kids = list(tree.loc[tree["parent"] == row.node, "node"])
            if depth == 3:
                w = method(raw[kids], directions[kids])
                values = std[kids]
            else:
                values = pd.DataFrame({k: child_scores[k] for k in kids})
                w = method(values, pd.Series(1, index=kids))
            local_w.update(w.to_dict())
            child_scores[row.node] = _weighted_mean(values, w)
    return pd.Series(local_w, dtype=float).reindex(tree["node"]).fillna(1.0)


def _path_product(tree: pd.DataFrame, local: pd.Series) -> pd.Series:
    """Global weights: the product of local weights from the subsystem down to each node."""
    out: dict[str, float] = {}
    for row in tree.sort_values("depth", kind="stable").itertuples():
        out[row.node] = local[row.node] * (out[row.parent] if row.parent else 1.0)
    return pd.Series(out)


def _weights_table(nodes: pd.DataFrame, local: pd.Series) -> pd.DataFrame:
    """Weights table: global weight = product of local weights along the path (indicator
    global weights sum to 1 per subsystem); a function total gets the sum of its indicators'
    global weights as both its global and its local (share of the subsystem) weight."""
    glob = _path_product(nodes[nodes["level"] != "function_total"], local).to_dict()
    totals = nodes.loc[nodes["level"] == "function_total"].set_index("node")["members"].map(
        lambda ids: sum(glob[i] for i in ids))
    glob.update(totals.to_dict())
    out = nodes.drop(columns=["members", "depth"]).reset_index(drop=True)
    out["local_weight"] = out["node"].map(local.to_dict() | totals.to_dict()).astype(float)
    out["global_weight"] = out["node"].map(glob).astype(float)
    return out


# --- aggregation -------------------------------------------------------------------------------
def _aggregate(x: np.ndarray, ids: list[str], nodes: pd.DataFrame, weights: pd.DataFrame,
               aggregation: str) -> np.ndarray:
    """Region-year × node score matrix (columns in ``nodes`` order).

    Cells of ``x`` that are missing (an indicator that does not apply to the region) are left
    out of the weighted sum and the node's weights renormalised over the rest of the row.
    """
    g = weights.set_index("node")["global_weight"].reindex(ids).to_numpy()
    position = {i: k for k, i in enumerate(ids)}
    member = np.zeros((len(ids), len(nodes)))
    for k, members in enumerate(nodes["members"]):
        member[[position[i] for i in members], k] = 1.0
    if aggregation == "sum":
        a = member * g[:, None]
        total = a.sum(axis=0)
        a = np.where(total > 0, a, member)  # a node whose weights are all 0: plain mean
        present = ~np.isnan(x)
        if present.all():
            return (x @ a) / a.sum(axis=0)
        share = present.astype(float) @ a
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(share > 0, (np.where(present, x, 0.0) @ a) / share, np.nan)
    out = np.empty((x.shape[0], len(nodes)))
    ones = pd.Series(1, index=ids)
    frame = pd.DataFrame(x, columns=ids)
    for k, members in enumerate(nodes["members"]):
        if len(members) == 1:
            out[:, k] = x[:, position[members[0]]]
            continue
        w = pd.Series(g[[position[i] for i in members]], index=members)
        out[:, k] = composite.topsis(frame[members], w, ones[members],
                                     normalization="minmax").to_numpy()
    return out


def _long_table(values: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """Tidy long table, node by node; text columns are categoricals (compact, fast)."""
    n, k = values.shape
    node_codes = np.repeat(np.arange(k), n)
    keys = values.index

    def repeat(column: str) -> pd.Categorical:
        labels = pd.Index(nodes[column].to_numpy())
        uniques = labels.unique()
        return pd.Categorical.from_codes(uniques.get_indexer(labels)[node_codes],
                                         categories=uniques)

    regions = keys.get_level_values("region_code")
    region_codes, region_uniques = pd.factorize(regions)
    levels = [lv for lv in _LEVELS if lv in set(nodes["level"])]
    return pd.DataFrame({
        "region_code": pd.Categorical.from_codes(np.tile(region_codes, k),
                                                 categories=region_uniques),
        "year": np.tile(keys.get_level_values("year").to_numpy(), k),
        "level": pd.Categorical(repeat("level"), categories=levels),
        "node": repeat("node"),
        "node_id": repeat("node_id"),
        "name_zh": repeat("name_zh"),
        "name_en": repeat("name_en"),
        "score": values.to_numpy().T.ravel(),
    })


# --- entry point -------------------------------------------------------------------------------
def score_framework(
    panel: pd.DataFrame,
    framework: Framework | None = None,
    *,
    stages: Sequence[Stage] = ACHIEVEMENT_STAGES,
    counties: pd.DataFrame | None = None,
    normalization: Normalization = "minmax",
    scope: Scope = "pooled",
    weighting: Weighting = "entropy",
    entropy_variant: EntropyVariant = "shift",
    hierarchy: Hierarchy = "global",
    aggregation: Aggregation = "sum",
    missing: ScoreMissing = "raise",
    alpha: float = 0.5,
) -> FrameworkScores:
    """多层级综合评价 — score a county-year panel on every level of an indicator framework.

    Standardise (direction-aware), weight, and aggregate:

    .. math:: S_{ik} = \\sum_{j \\in k} g_j x'_{ij} \\Big/ \\sum_{j \\in k} g_j

    for every node ``k`` (dimension, function, layer, subsystem, and the function totals 巩固
    and 拓展 across both layers), where ``x'_ij`` is the standardised indicator (1 = best) and
    ``g_j`` its global weight within the subsystem (see the module docstring for the two
    hierarchy modes). With ``aggregation="topsis"`` a node's score is instead the TOPSIS
    closeness (Hwang & Yoon 1981) of the region-years on the node's indicators with the same
    weights renormalised within the node. Weights are estimated once on all region-years
    (stacked panel), as is usual for panel composite indices, whatever ``scope``.

    **What is scored.** Achievements are scored on the framework's outputs and outcomes
    (``stages=("output", "outcome")``, the default): inputs — funds, staff, assisting
    organisations — measure the aid a region receives, not what it has achieved, and are scored
    separately by :func:`policy_effort_index`. (Before [5a/8] every indicator was scored; pass
    ``stages=("input", "output", "outcome")`` to reproduce that.)

    **Eligibility.** An indicator with an ``eligible`` rule (e.g. 东西部协作 funds: former
    poverty counties only) is left out where it does not apply: its cells are missing in
    ``standardized``, not imputed, and every node's score is the weighted mean over the
    indicators that apply to the region (weights renormalised per row). Its min-max bounds and
    objective weights come from the regions where it applies (available-case, see
    :func:`linkage.composite.entropy_weights`). Needs ``counties`` and ``aggregation="sum"``.

    Parameters
    ----------
    panel : DataFrame
        County-year panel: ``region_code``, ``year`` and indicator columns named by indicator id.
        Framework indicators absent from the panel, or with no value at all, are left out and
        listed in ``FrameworkScores.absent``; nodes without scored indicators are dropped and
        the weights are estimated over the indicators present.
    framework : Framework, optional
        Default: the packaged default framework.
    stages : sequence of {"input", "output", "outcome"}
        Stages of the indicators to score; default ``("output", "outcome")`` (achievements).
        Indicators of other stages are listed in ``FrameworkScores.excluded``.
    counties : DataFrame, optional
        County attributes (``linkage.panel.PanelData.counties``: indexed by ``region_code``, or
        with a ``region_code`` column), needed when a scored indicator has an ``eligible`` rule;
        the named boolean attribute must be given for every county of the panel.
    normalization : {"minmax", "vector", "sum"}
        Method of :func:`linkage.composite.normalize`: direction-aware min-max (default, the
        field's usual choice), vector or sum. (z-scores are not offered: they leave [0, 1] and
        entropy weights need non-negative values.)
    scope : {"pooled", "year"}
        ``"pooled"`` (default): one min and max over all years, so scores are comparable over
        time (the usual choice for panel indices); ``"year"``: within each year (cross-section
        ranking only; trends over time are then not interpretable).
    weighting : {"entropy", "critic", "cv", "equal", "expert", "combined"}
        熵值法 (default, the field's most common; note it rewards dispersion, not
        importance), CRITIC, coefficient of variation (on the raw values), equal weights, the
        framework's YAML (expert) weights, or ``combined``: the linear blend
        ``alpha·expert + (1 − alpha)·entropy`` of :func:`linkage.composite.combine_weights`.
        Objective weights of indicators are estimated from the raw values with their
        directions (the composite functions min-max them themselves); in hierarchical mode
        the upper levels are weighted from the children's scores.
    entropy_variant : {"shift", "zero", "rescale", "shannon"}
        Variant of :func:`linkage.composite.entropy_weights` (``x' + 0.0001`` by default).
    hierarchy : {"global", "hierarchical"}
        ``"global"`` (default): weights over all indicators of a subsystem; ``"hierarchical"``:
        within each dimension, then children's scores level by level.
    aggregation : {"sum", "topsis"}
    missing : {"raise", "year_mean", "interpolate"}
        Rule for missing cells (before standardisation). ``"raise"`` (default): an
        :class:`~linkage.errors.InputError` naming the indicator and the count — choose a rule
        knowingly. ``"year_mean"``: the mean of the indicator over the counties of the same
        year. ``"interpolate"``: linear in the year within the county, nearest value at the
        ends, year mean for a county without any value. The filled count per indicator is in
        ``FrameworkScores.imputed``.
    alpha : float, default 0.5
        Expert share for ``weighting="combined"``.

    Returns
    -------
    FrameworkScores

    Examples
    --------
    >>> from linkage.sample import load_sample
    >>> fs = score_framework(load_sample().panel, missing="year_mean")
    >>> fs.subsystems().shape
    (1320, 2)
    >>> round(float(fs.indicator_weights("poverty").sum()), 6)
    1.0
    """
    check_option("normalization", normalization, Normalization)
    check_option("entropy_variant", entropy_variant, EntropyVariant)
    check_option("scope", scope, Scope)
    check_option("weighting", weighting, Weighting)
    check_option("hierarchy", hierarchy, Hierarchy)
    check_option("aggregation", aggregation, Aggregation)
    check_option("missing", missing, ScoreMissing)
    chosen = _stages(stages)
    if not 0.0 <= alpha <= 1.0:
        raise InputError(f"alpha={alpha} 不在 [0, 1] 内 / alpha out of range",
                         hint="alpha 是主观（专家）权重所占比例")
    framework = framework if framework is not None else load_framework()
    data, ids, absent, excluded = _prepare(panel, framework, chosen)
    applies, rules = _eligibility(data, ids, framework, counties)
    if applies is not None and aggregation != "sum":
        raise InputError(
            f"指标 {next(iter(rules))} 有适用范围（eligible），TOPSIS 不能跳过不适用的单元格 / "
            "eligibility rules need the weighted sum", column="aggregation",
            hint='改用 aggregation="sum" / use aggregation="sum"')
    data, imputed = _fill_missing(data, ids, missing, applies)
    directions = framework.indicator_table().loc[ids, "direction"]
    std = composite.normalize(data[ids], directions, method=normalization,
                              scope=None if scope == "pooled" else data["year"],
                              missing="raise" if applies is None else "keep")
    nodes = _node_table(framework, ids)
    local = _local_weights(data[ids], std, directions, nodes, framework, weighting=weighting,
                           entropy_variant=entropy_variant, hierarchy=hierarchy, alpha=alpha)
    weights = _weights_table(nodes, local)
    matrix = _aggregate(std.to_numpy(dtype=float), ids, nodes, weights, aggregation)
    index = pd.MultiIndex.from_frame(data[_KEY])
    standardized = std.set_axis(index, axis=0)
    options = {"stages": chosen, "normalization": normalization, "scope": scope,
               "weighting": weighting, "entropy_variant": entropy_variant,
               "hierarchy": hierarchy, "aggregation": aggregation, "missing": missing,
               "alpha": alpha, "eligibility": rules,
               "framework": f"{framework.id} v{framework.version}"}
    values = pd.DataFrame(matrix, index=index, columns=pd.Index(nodes["node"].to_list()))
    return FrameworkScores(values=values, weights=weights,
                           standardized=standardized, absent=tuple(absent),
                           imputed=imputed.reindex(ids), options=options,
                           excluded=tuple(excluded),
                           eligible=None if applies is None else applies.set_axis(index, axis=0))


def _effort_framework(framework: Framework) -> Framework:
    """The inputs of ``framework`` under one subsystem, ``policy_effort`` → dimension → input.

    Dimensions keep their ids and names; expert weights (if the framework has them) are the
    inputs' global expert weights, renormalised over the inputs.
    """
    inputs = [ind for ind in framework.indicators if ind.stage == "input"]
    if not inputs:
        raise InputError(f"指标体系 {framework.id} 没有投入类指标（stage: input）/ the framework "
                         "has no input indicators", hint="在 YAML 中为投入类指标写 stage: input")
    expert = framework.expert_weights()
    g = None if expert is None else expert.reindex([i.id for i in inputs])
    g = None if g is None or not g.sum() > 0 else g / g.sum()
    by_dim = None if g is None else g.groupby([i.dimension for i in inputs]).sum()
    dims = {n.id: n for n in framework.nodes if n.level == "dimension"}
    nodes = [Node(EFFORT_NODE, "政策投入指数", "Policy-effort index", "subsystem", EFFORT_NODE,
                  "", None)]
    for dim in dict.fromkeys(i.dimension for i in inputs):
        name = dims.get(dim)
        nodes.append(Node(dim, name.name_zh if name else dim, name.name_en if name else dim,
                          "dimension", f"{EFFORT_NODE}/{dim}", EFFORT_NODE,
                          None if by_dim is None else float(by_dim[dim])))
    indicators = tuple(
        dataclasses.replace(ind, subsystem=EFFORT_NODE, layer="", function="",
                            weight=None if g is None else float(g[ind.id] / by_dim[ind.dimension]))
        for ind in inputs)
    return Framework(id=f"{framework.id}_effort", version=framework.version,
                     name_zh=f"{framework.name_zh}（投入）",
                     name_en=f"{framework.name_en} (inputs)",
                     source=framework.source, indicators=indicators, nodes=tuple(nodes))


def policy_effort_index(
    panel: pd.DataFrame,
    framework: Framework | None = None,
    *,
    counties: pd.DataFrame | None = None,
    normalization: Normalization = "minmax",
    scope: Scope = "pooled",
    weighting: Weighting = "entropy",
    entropy_variant: EntropyVariant = "shift",
    hierarchy: Hierarchy = "global",
    missing: ScoreMissing = "raise",
    alpha: float = 0.5,
) -> FrameworkScores:
    r"""政策投入指数 — policy-effort index: the framework's inputs scored as one index.

    Inputs (``stage: input``: funds per person such as 东西部协作 and 衔接资金, stationed cadres,
    assisting enterprises, ...) say how much aid and effort a region receives, not what it has
    achieved, so :func:`score_framework` leaves them out of the achievement scores by default.
    This function scores them on their own: every input of the framework is put under one node,
    ``policy_effort`` (政策投入指数), above its dimensions (e.g. 常态化帮扶机制, 组织领导), and
    scored by :func:`score_framework` with the same options and formula,

    .. math:: E_i = \sum_j g_j x'_{ij} \Big/ \sum_{j \in J_i} g_j

    over the inputs ``J_i`` that apply to region ``i`` (an input with an ``eligible`` rule,
    such as 东西部协作 funds for former poverty counties only, is left out elsewhere). [7/8]'s
    policy synergy sets this index (instruments) against the achievement scores (outcomes).

    Parameters
    ----------
    panel, framework, counties
        As for :func:`score_framework`; ``counties`` is required when an input has an
        eligibility rule, as in the default framework.
    normalization, scope, weighting, entropy_variant, hierarchy, missing, alpha
        As for :func:`score_framework`. Expert weights, if the framework gives them, are the
        inputs' global expert weights renormalised over the inputs.

    Returns
    -------
    FrameworkScores
        One subsystem, ``"policy_effort"``: ``.wide("subsystem")["policy_effort"]`` is the
        index per region-year in [0, 1]; ``.wide("dimension")`` the effort by dimension;
        ``excluded`` lists the framework's outputs and outcomes.

    Examples
    --------
    >>> from linkage.panel import load_panel
    >>> data = load_panel()
    >>> effort = policy_effort_index(data.panel, counties=data.counties, missing="year_mean")
    >>> effort.subsystems().columns.tolist()
    ['policy_effort']
    >>> bool(effort.subsystems()["policy_effort"].between(0, 1).all())
    True
    """
    framework = framework if framework is not None else load_framework()
    scores = score_framework(panel, _effort_framework(framework), stages=("input",),
                             counties=counties, normalization=normalization, scope=scope,
                             weighting=weighting, entropy_variant=entropy_variant,
                             hierarchy=hierarchy, aggregation="sum", missing=missing, alpha=alpha)
    options = {**scores.options, "framework": f"{framework.id} v{framework.version}"}
    return dataclasses.replace(scores, options=options,
                               excluded=framework.stage_ids("output", "outcome"))
