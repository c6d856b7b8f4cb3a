"""Helpers of the teaching notebooks (教学笔记本的辅助函数).

The teaching notebooks (``notebooks/teaching/``) narrate and call; every step that needs more
than one call into the kit lives here, tested, so that a notebook cell stays one line and no
notebook defines a function. The ``*_figure`` functions take the value of one control as a
keyword (a weight, the AF cutoff k, a threshold multiplier, an event window) and return a
matplotlib ``Figure``: they are what a slider redraws.

Notebook 1 (从指标到指数): :func:`indicator_matrix`, :func:`compare_weightings`,
:func:`dispersion_table`, :func:`dispersion_figure`, :func:`dimension_weight_figure`.
Notebook 2 (耦合协调度): :func:`coupling_curve_figure`, :func:`c_distribution_figure`.
Notebook 3 (返贫风险): :func:`screening_table`, :func:`screening_figure`, :func:`af_by_k`,
:func:`af_k_figure`.
Notebook 4 (政策效果): :func:`cohort_means`, :func:`event_window_figure`,
:func:`staggered_comparison`, :func:`placebo_figure`.
Notebook 6 (真实文件): :func:`yearbook_example`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from linkage import composite, coupling, datasets
from linkage.atomic import atomic_path
from linkage.checks import SEED, Inference, check_option
from linkage.errors import InputError
from linkage.evaluation import event_study, placebo_test, staggered_did, twfe_did
from linkage.evaluation.event_study import event_time_figure
from linkage.frameworks import Framework, load_framework
from linkage.monitoring import classify_households, threshold_for
from linkage.panel import PanelData
from linkage.plotting import setup_cjk
from linkage.poverty import AFInputs, AFSpec, alkire_foster
from linkage.scoring import ACHIEVEMENT_STAGES, ScoreMissing, _fill_missing
from linkage.sections.policy_effects import PolicyDesign

__all__ = [
    "WEIGHTINGS",
    "WeightingComparison",
    "af_by_k",
    "af_k_figure",
    "c_distribution_figure",
    "cohort_means",
    "compare_weightings",
    "coupling_curve_figure",
    "dimension_weight_figure",
    "dispersion_figure",
    "dispersion_table",
    "event_window_figure",
    "indicator_matrix",
    "placebo_figure",
    "screening_figure",
    "screening_table",
    "staggered_comparison",
    "yearbook_example",
]

#: Weightings :func:`compare_weightings` knows, with their Chinese names.
WEIGHTINGS: Mapping[str, str] = {"equal": "等权", "entropy": "熵值法", "critic": "CRITIC",
                                 "cv": "变异系数法"}

_UNIT, _TIME = "region_code", "year"


def _figure(*, ncols: int = 1) -> tuple[Figure, np.ndarray]:
    """A constrained-layout figure of the report size with ``ncols`` axes, the CJK font set up."""
    setup_cjk()
    fig = Figure(figsize=mpl.rcParams["figure.figsize"], layout="constrained")
    return fig, np.atleast_1d(fig.subplots(1, ncols))


# --- notebook 1: from indicators to an index ---------------------------------------------------


def indicator_matrix(data: PanelData, framework: Framework | None = None, *,
                     subsystem: str = "revitalization", year: int | None = None,
                     missing: ScoreMissing = "interpolate") -> pd.DataFrame:
    """Raw achievement indicators of one subsystem in one year (原始指标矩阵), one row per county.

    The outputs and outcomes of ``subsystem`` (as :func:`linkage.scoring.score_framework`
    scores them), gaps filled by the same rule (``"interpolate"``: within the county along the
    years, then the year mean; ``"raise"`` stops at a gap). The number of filled cells per
    indicator is in ``attrs["imputed"]``.

    Parameters
    ----------
    data : PanelData
        County panel (:func:`linkage.panel.load_panel`).
    framework : Framework, optional
        Default: the packaged default framework.
    subsystem : str
        Subsystem id (``"revitalization"`` 乡村振兴, ``"poverty"`` 脱贫成果).
    year : int, optional
        Default: the last year of the panel.
    missing : {"raise", "year_mean", "interpolate"}
        Missing-cell rule of :func:`linkage.scoring.score_framework`.

    Returns
    -------
    DataFrame
        Index: county names (``PanelData.region_name``); columns: indicator ids; ``attrs``
        hold ``imputed`` (Series), ``codes`` (the region codes in row order) and ``year``.
    """
    check_option("missing", missing, ScoreMissing)
    framework = framework if framework is not None else load_framework()
    table = framework.indicator_table()
    chosen = table[(table["subsystem"] == subsystem) & table["stage"].isin(ACHIEVEMENT_STAGES)]
    if chosen.empty:
        raise InputError(f"指标体系中没有子系统 {subsystem!r} / no such subsystem",
                         hint=f"可选 / choose from {sorted(set(table['subsystem']))}")
    ids = [i for i in chosen.index if i in data.panel.columns]
    year = int(data.panel[_TIME].max()) if year is None else int(year)
    if year not in set(data.panel[_TIME]):
        raise InputError(f"面板中没有 {year} 年 / year not in the panel", column=_TIME)
    filled, counts = _fill_missing(data.panel[[_UNIT, _TIME, *ids]], ids, missing, None)
    rows = filled[filled[_TIME] == year]
    out = rows.set_index(_UNIT)[ids].astype(float)
    codes = out.index.to_list()
    out.index = pd.Index([data.region_name(c) for c in codes], name="county")
    out.attrs.update(imputed=counts, codes=codes, year=year)
    return out


@dataclass(frozen=True)
class WeightingComparison:
    """One index under several weightings (不同赋权下的综合指数).

    Attributes
    ----------
    weights : DataFrame
        Indicator × weighting, each column summing to 1.
    scores : DataFrame
        Unit × weighting: weighted sums of the min-max scores, 0–100.
    ranks : DataFrame
        Unit × weighting: rank, 1 = highest score (ties share the lowest rank).
    spearman : DataFrame
        Weighting × weighting Spearman rank correlations of the scores.
    """

    weights: pd.DataFrame
    scores: pd.DataFrame
    ranks: pd.DataFrame
    spearman: pd.DataFrame

    def shifts(self, reference: str = "equal", *, n: int = 5) -> pd.DataFrame:
        """The ``n`` units whose rank moves most against ``reference`` (位次变动最大的单位).

        Parameters
        ----------
        reference : str
            The weighting ranks are compared with (a column of :attr:`ranks`).
        n : int
            Number of units listed.

        Returns
        -------
        DataFrame
            The rank under each weighting, then ``最大变动`` (largest absolute move), largest
            first.
        """
        if reference not in self.ranks.columns:
            raise InputError(f"没有赋权方法 {reference!r} / no such weighting",
                             hint=f"可选 / choose from {list(self.ranks.columns)}")
        moves = self.ranks.sub(self.ranks[reference], axis=0).abs().max(axis=1)
        top = moves.sort_values(ascending=False, kind="stable").head(n).index
        return self.ranks.loc[top].assign(最大变动=moves[top])


def compare_weightings(data: pd.DataFrame, directions: Mapping[str, int] | pd.Series, *,
                       methods: Sequence[str] = ("equal", "entropy", "critic")
                       ) -> WeightingComparison:
    """The same min-max scores weighted by several methods (等权、熵值法、CRITIC 对比).

    Each method of :data:`WEIGHTINGS` gives its weights (:mod:`linkage.composite`); the score
    is ``100 · Σ_j w_j x'_ij`` with x' the direction-aware min-max scores of ``data``.

    Parameters
    ----------
    data : DataFrame
        Raw indicator values, units × indicators, no missing values.
    directions : mapping or Series
        Indicator id → +1 / −1.
    methods : sequence of str
        Keys of :data:`WEIGHTINGS`, distinct.

    Returns
    -------
    WeightingComparison

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 10.0], "b": [5.0, 6.0, 5.0, 6.0]},
    ...                   index=list("wxyz"))
    >>> r = compare_weightings(df, {"a": 1, "b": 1}, methods=("equal", "entropy"))
    >>> r.ranks.loc["z"].tolist(), float(r.weights.loc["a", "equal"])
    ([1, 1], 0.5)
    """
    for name in methods:
        check_option("methods", name, tuple(WEIGHTINGS))
    if len(set(methods)) != len(methods) or not methods:
        raise InputError(f"methods={methods!r} 应为不重复的赋权方法 / distinct weightings",
                         hint=f"可选 / choose from {list(WEIGHTINGS)}")
    standardized = composite.normalize(data, directions)
    make = {"equal": lambda: composite.equal_weights(data),
            "entropy": lambda: composite.entropy_weights(data, directions),
            "critic": lambda: composite.critic_weights(data, directions),
            "cv": lambda: composite.cv_weights(data)}
    weights = pd.DataFrame({m: make[m]() for m in methods})
    scores = pd.DataFrame({m: composite.weighted_sum(standardized, weights[m], scale=100)
                           for m in methods})
    ranks = scores.rank(ascending=False, method="min").astype(int)
    return WeightingComparison(weights=weights, scores=scores, ranks=ranks,
                               spearman=scores.corr(method="spearman"))


def dispersion_table(data: pd.DataFrame, directions: Mapping[str, int] | pd.Series
                     ) -> pd.DataFrame:
    """Why entropy weights follow dispersion (熵权与离散程度): one row per indicator.

    Columns ``熵值 e``, ``差异系数 d = 1 − e``, ``熵权`` (:func:`linkage.composite.entropy_weights`,
    shift variant), ``标准化得分变异系数`` (s.d. / mean of the min-max scores) and ``等权`` —
    sorted by the entropy weight, largest first. Scores concentrated on a few units (a high
    coefficient of variation) have low entropy and a large weight, whatever their importance
    for policy: for small dispersion d ≈ CV² / (2 ln n). ``熵值 e`` is
    :func:`linkage.composite.entropy_values` (default shift variant), so d / Σd is the weight.

    Parameters
    ----------
    data : DataFrame
        Raw indicator values, units × indicators, no missing values.
    directions : mapping or Series
        Indicator id → +1 / −1.

    Returns
    -------
    DataFrame
        Indexed by indicator id.
    """
    standardized = composite.normalize(data, directions)
    entropy = composite.entropy_values(data, directions).to_numpy()
    out = pd.DataFrame({"熵值 e": entropy, "差异系数 d = 1 − e": 1.0 - entropy,
                        "熵权": composite.entropy_weights(data, directions).to_numpy(),
                        "标准化得分变异系数": (standardized.std(ddof=0)
                                              / standardized.mean()).to_numpy(),
                        "等权": 1.0 / data.shape[1]}, index=data.columns)
    return out.sort_values("熵权", ascending=False)


def dispersion_figure(table: pd.DataFrame, *, names: Mapping[str, str] | None = None,
                      labelled: int = 4) -> Figure:
    """Entropy weight against the coefficient of variation of the min-max scores (熵权与离散程度
    散点图), with the equal weight as a line.

    Parameters
    ----------
    table : DataFrame
        From :func:`dispersion_table`.
    names : mapping, optional
        Indicator id → name shown beside the points (default: the ids).
    labelled : int
        How many of the largest and of the smallest weights are named.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (ax,) = _figure()
    x, y = table["标准化得分变异系数"], table["熵权"]
    ax.scatter(x, y, color="#1f4e79")
    order = y.sort_values().index
    for key in order[:labelled].union(order[-labelled:], sort=False):
        ax.annotate((names or {}).get(key, key), (x[key], y[key]), fontsize=7,
                    xytext=(3, 2), textcoords="offset points")
    ax.axhline(float(table["等权"].iloc[0]), color="#c00000", ls="--", lw=0.9, label="等权")
    ax.set_xlabel("标准化得分的变异系数（离散程度）")
    ax.set_ylabel("熵值法权重")
    ax.legend(loc="upper left")
    return fig


def dimension_weight_figure(standardized: pd.DataFrame, dimensions: Mapping[str, str], *,
                            highlight: Sequence[str] = (), top: int = 10,
                            **dimension_weights: float) -> Figure:
    """Ranking under dimension weights chosen by hand (手动设定维度权重后的排名).

    Indicators share their dimension's weight equally; the dimension weights are rescaled to
    sum to 1 (all zero = equal). Left: the ``top`` counties; right: the rank of the
    ``highlight`` counties under these weights and under equal indicator weights.

    Parameters
    ----------
    standardized : DataFrame
        Min-max scores, unit × indicator (:func:`linkage.composite.normalize`).
    dimensions : mapping
        Indicator id → dimension name (every column of ``standardized``).
    highlight : sequence of str
        Units (index values) whose ranks are shown.
    top : int
        Number of counties in the left panel.
    **dimension_weights : float
        One non-negative weight per dimension name (missing dimensions weigh 0).

    Returns
    -------
    matplotlib.figure.Figure
    """
    dim = pd.Series(dimensions).reindex(standardized.columns)
    if dim.isna().any():
        raise InputError("每个指标都需要所属维度 / every indicator needs a dimension",
                         column=str(dim.index[dim.isna()][0]))
    raw = pd.Series({d: float(dimension_weights.get(d, 0.0)) for d in dim.unique()})
    if (raw < 0).any():
        raise InputError("维度权重不能为负 / dimension weights must be ≥ 0")
    raw = raw if raw.sum() > 0 else raw + 1.0
    per_indicator = (raw / raw.sum())[dim].to_numpy() / dim.map(dim.value_counts()).to_numpy()
    weights = pd.Series(per_indicator, index=standardized.columns)
    score = composite.weighted_sum(standardized, weights, scale=100)
    equal = composite.weighted_sum(standardized, composite.equal_weights(standardized),
                                   scale=100)
    rank = score.rank(ascending=False, method="min").astype(int)
    rank_equal = equal.rank(ascending=False, method="min").astype(int)
    fig, (left, right) = _figure(ncols=2)
    best = score.sort_values(ascending=False).head(top)[::-1]
    left.barh([str(i) for i in best.index], best.to_numpy(), color="#1f4e79")
    left.set_xlabel("综合得分（0–100）")
    left.set_title(f"得分最高的 {top} 个县")
    shown = [h for h in highlight if h in rank.index]
    ypos = np.arange(len(shown))
    right.scatter(rank_equal[shown], ypos, marker="o", facecolors="white",
                  edgecolors="#7f7f7f", label="指标等权")
    right.scatter(rank[shown], ypos, marker="o", color="#c00000", label="当前权重")
    right.set_yticks(ypos, shown)
    right.invert_xaxis()
    right.set_xlabel("位次（1 = 最高）")
    right.set_title("指定县的位次")
    right.legend(loc="best", fontsize=8)
    return fig


# --- notebook 2: coupling coordination ---------------------------------------------------------


def coupling_curve_figure(*, u1: float = 0.3) -> Figure:
    """C and D of two subsystems as U2 varies, classic and corrected (两种耦合度公式对比).

    For U1 fixed, U2 runs over (0, 1]: the classic C = 2√(U1·U2)/(U1+U2) stays near 1 over a
    wide range of U2, the corrected C (王淑佳 et al. 2021) falls with the gap.

    Parameters
    ----------
    u1 : float
        Score of the first subsystem, in (0, 1].

    Returns
    -------
    matplotlib.figure.Figure
        Left: C; right: D (equal contributions to T); dashed classic, solid corrected.
    """
    if not 0 < u1 <= 1:
        raise InputError(f"u1={u1!r} 应在 (0, 1] 内 / u1 must lie in (0, 1]")
    u2 = np.linspace(0.01, 1.0, 100)
    scores = pd.DataFrame({"U1": np.full_like(u2, u1), "U2": u2})
    fig, (ax_c, ax_d) = _figure(ncols=2)
    for method, name, style in (("classic", "经典 C", "--"), ("corrected", "修正 C", "-")):
        cc = coupling.coupling_coordination(scores, method=method)
        ax_c.plot(u2, cc["C"], ls=style, label=name)
        ax_d.plot(u2, cc["D"], ls=style, label=name.replace("C", "C 下的 D"))
    for ax, what in ((ax_c, "耦合度 C"), (ax_d, "耦合协调度 D")):
        ax.axvline(u1, color="#7f7f7f", lw=0.8)
        ax.set_xlabel("U2（U1 固定）")
        ax.set_ylabel(what)
        ax.set_ylim(0, 1.02)
        ax.legend(loc="lower right", fontsize=8)
    ax_c.set_title(f"U1 = {u1:.2f}")
    return fig


def c_distribution_figure(classic: pd.Series, corrected: pd.Series) -> Figure:
    """Histograms of C under the classic and the corrected formula (耦合度分布对比).

    Parameters
    ----------
    classic, corrected : Series
        C of the same region-years (column ``C`` of
        :func:`linkage.sections.linkage.linkage_coupling` with each ``method``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (ax,) = _figure()
    bins = np.linspace(0, 1, 41)
    ax.hist(classic.dropna(), bins=bins, alpha=0.6, label="经典 C")
    ax.hist(corrected.dropna(), bins=bins, alpha=0.6, label="修正 C")
    ax.set_xlabel("耦合度 C")
    ax.set_ylabel("县-年数")
    ax.legend(loc="upper left")
    return fig


# --- notebook 3: who is at risk ----------------------------------------------------------------


def screening_table(households: pd.DataFrame, multipliers: Sequence[float], *,
                    weights: str = "weight", size: str = "hh_size") -> pd.DataFrame:
    """Share of persons flagged by the screening rule at scaled thresholds (监测标准敏感性).

    For each multiplier m the income threshold is m × the year's monitoring threshold
    (:func:`linkage.monitoring.threshold_for`); households are classified by
    :func:`linkage.monitoring.classify_households`. Shares are of persons (survey weight ×
    household size).

    Parameters
    ----------
    households : DataFrame
        Household monitoring rows (``docs/architecture.md``), usually one year.
    multipliers : sequence of float
        Positive factors applied to the monitoring threshold.
    weights, size : str
        Survey-weight and household-size columns.

    Returns
    -------
    DataFrame
        Index: multiplier; columns: the share of persons in each category other than 非监测对象
        (脱贫不稳定户, 边缘易致贫户, 突发严重困难户), ``合计`` and the threshold (元) of the last
        year in the data.
    """
    base = threshold_for(households["region_code"], households["year"])
    persons = households[weights].to_numpy(dtype=float) * households[size].to_numpy(dtype=float)
    total = persons.sum()
    rows = {}
    for m in multipliers:
        if not m > 0:
            raise InputError(f"倍数 {m!r} 须为正数 / multipliers must be positive")
        category = classify_households(households, base * m)
        shares = pd.Series(persons, index=households.index).groupby(category).sum() / total
        row = shares.drop("非监测对象", errors="ignore").reindex(
            ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"], fill_value=0.0)
        rows[float(m)] = {**row.to_dict(), "合计": float(row.sum()),
                          "标准（元）": float(base[households["year"] ==
                                                 households["year"].max()].iloc[0] * m)}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("倍数")


def screening_figure(households: pd.DataFrame, *, multiplier: float = 1.0,
                     multipliers: Sequence[float] = tuple(np.round(np.arange(0.6, 2.05, 0.1),
                                                                   2))) -> Figure:
    """Flagged share by category against the threshold multiplier (监测标准倍数与识别比重).

    Parameters
    ----------
    households : DataFrame
        As for :func:`screening_table`.
    multiplier : float
        The multiplier marked (the slider's value).
    multipliers : sequence of float
        The grid drawn (``multiplier`` is added to it).

    Returns
    -------
    matplotlib.figure.Figure
        Stacked shares of persons (%) by category, the chosen multiplier and its total marked.
    """
    table = screening_table(households, sorted({*multipliers, float(multiplier)}))
    fig, (ax,) = _figure()
    parts = ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"]
    ax.stackplot(table.index, *(100 * table[p] for p in parts), labels=parts, alpha=0.8)
    ax.axvline(multiplier, color="#c00000", ls="--", lw=1)
    ax.text(multiplier, 100 * table["合计"].max(),
            f" ×{multiplier:.2f}：{100 * table.loc[float(multiplier), '合计']:.1f}%",
            color="#c00000", va="top")
    ax.set_xlabel("监测收入标准的倍数（1 = 当年标准）")
    ax.set_ylabel("按规则识别的人口比重（%）")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def af_by_k(inputs: AFInputs, ks: Sequence[float]) -> pd.DataFrame:
    """Alkire–Foster H, A and M0 at several cutoffs k (不同 k 下的多维贫困).

    Parameters
    ----------
    inputs : AFInputs
        From :func:`linkage.poverty.af_inputs` (its unit weights give rates per person or
        household).
    ks : sequence of float
        Cutoffs in (0, 1].

    Returns
    -------
    DataFrame
        Index k; columns ``H`` (发生率), ``A`` (平均剥夺强度), ``M0`` (= H·A).
    """
    rows = {}
    for k in ks:
        r = alkire_foster(inputs.data, inputs.cutoffs, inputs.weights, float(k),
                          sample_weight=inputs.sample_weight)
        rows[float(k)] = {"H": r.H, "A": r.A, "M0": r.M0}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("k")


def af_k_figure(inputs: AFInputs, spec: AFSpec, *, k: float = 1 / 3) -> Figure:
    """H, A, M0 against k (left) and censored headcounts at ``k`` (right) (AF 的 k 临界值).

    Parameters
    ----------
    inputs : AFInputs
        From :func:`linkage.poverty.af_inputs`.
    spec : AFSpec
        The specification ``inputs`` was built with (indicator names).
    k : float
        The cutoff marked (the slider's value), in (0, 1].

    Returns
    -------
    matplotlib.figure.Figure
    """
    grid = sorted({*np.round(np.arange(1, 13) / 12, 6), float(k)})
    table = af_by_k(inputs, grid)
    at_k = alkire_foster(inputs.data, inputs.cutoffs, inputs.weights, float(k),
                         sample_weight=inputs.sample_weight)
    fig, (left, right) = _figure(ncols=2)
    for column, name in (("H", "H 发生率"), ("A", "A 强度"), ("M0", "M0 = H×A")):
        left.plot(table.index, table[column], marker="o", markersize=3, label=name)
    left.axvline(k, color="#c00000", ls="--", lw=1)
    left.set_xlabel("k（加权剥夺得分的临界值）")
    left.set_ylabel("比例")
    left.set_title(f"k = {k:.3f}：H = {at_k.H:.2%}")
    left.legend(loc="center right", fontsize=8)
    names = spec.names()
    heads = at_k.censored_headcounts.rename(index=names.to_dict())
    right.barh(list(heads.index), 100 * heads.to_numpy(), color="#1f4e79")
    right.set_xlabel("删减后剥夺发生率（%）")
    right.set_title("多维贫困者在各指标上的剥夺")
    return fig


# --- notebook 4: did the policy work -----------------------------------------------------------


def cohort_means(design: PolicyDesign, *, exponentiate: bool = True) -> pd.DataFrame:
    """Mean outcome by treatment cohort and year (各处理队列的结果均值), long form.

    Parameters
    ----------
    design : PolicyDesign
        From :func:`linkage.sections.policy_effects.policy_design`.
    exponentiate : bool
        Report exp(mean log) for a logged outcome.

    Returns
    -------
    DataFrame
        Columns ``年份``, ``组别`` (``"从未处理"`` or ``"<cohort> 年受处理"``), ``均值`` — of
        the outcome, exponentiated back to yuan when the design's outcome is a log and
        ``exponentiate`` (a geometric mean).
    """
    frame = design.frame
    values = np.exp(frame[design.outcome]) if design.log_outcome and exponentiate else \
        frame[design.outcome]
    group = np.where(frame["cohort"] > 0, frame["cohort"].astype(str) + " 年受处理", "从未处理")
    out = values.groupby([frame[_TIME], group]).mean()
    out.index.names = ["年份", "组别"]
    return out.rename("均值").reset_index()


def event_window_figure(design: PolicyDesign, *, window: int = 4,
                        inference: Inference = "cluster") -> Figure:
    """Event study in the window [−window, window] with the true effect (事件研究窗口).

    The end points collect the periods beyond (binned); the reference period is −1; with the
    simulated sample the documented true effect is drawn as a line.

    Parameters
    ----------
    design : PolicyDesign
        From :func:`linkage.sections.policy_effects.policy_design`.
    window : int
        Periods before and after treatment shown (≥ 1; the slider's value).
    inference : {"cluster", "wild", "auto"}
        As :func:`linkage.evaluation.event_study` (clustered by county).

    Returns
    -------
    matplotlib.figure.Figure
        The kit's event-time figure with the pre-trend test's p-value.
    """
    if not (isinstance(window, int | np.integer) and window >= 1):
        raise InputError(f"window={window!r} 应为正整数 / the window must be a positive integer")
    result = event_study(design.frame, design.outcome, unit=_UNIT, time=_TIME, cohort="cohort",
                         window=(-int(window), int(window)), cluster=_UNIT,
                         inference=inference)
    table = result.coefs
    ticks = [(f"≤{t}" if t == -window else f"≥{t}" if t == window else str(t))
             for t in table["rel_time"]]
    test = result.pretrend_test
    fig = event_time_figure(table, x="rel_time", y="coef", outcome=design.outcome,
                            ref=result.ref, tick_labels=ticks,
                            note=f"事前趋势联合检验 p = {test.pvalue:.3f}")
    if design.truth is not None:
        truth = design.truth[design.truth.index <= window]
        fig.axes[0].plot(truth.index, truth.to_numpy(), color="#c00000", ls=":", marker="x",
                         label="真实效应（模拟数据）")
        fig.axes[0].legend(loc="lower right", fontsize=8)
    return fig


def staggered_comparison(design: PolicyDesign) -> pd.DataFrame:
    """TWFE against Callaway–Sant'Anna against the truth (交错处理下的 TWFE 偏误).

    Rows: ``TWFE 静态 DID`` (one coefficient on treated × post), ``Callaway–Sant'Anna``
    (simple aggregation of ATT(g, t), not-yet-treated controls), and — for the simulated
    sample — the true average effect over the cells each estimator averages: every treated
    county-year for TWFE, the identified (g, t) cells for CS.

    Parameters
    ----------
    design : PolicyDesign
        From :func:`linkage.sections.policy_effects.policy_design` (a staggered treatment
        such as ``treatment="exit"``); never-treated controls for CS when there are any.

    Returns
    -------
    DataFrame
        Index: estimator; columns ``估计值``, ``标准误``, ``真实值`` (NaN without a known truth).
    """
    frame = design.frame
    twfe = twfe_did(frame, design.outcome, unit=_UNIT, time=_TIME, treated="treated",
                    cluster=_UNIT)
    control = "never" if design.has_never_treated else "notyet"
    cs = staggered_did(frame, design.outcome, unit=_UNIT, time=_TIME, cohort="cohort",
                       control=control)
    simple = cs.aggregate("simple")
    truth_twfe = truth_cs = np.nan
    if design.truth is not None:
        treated = frame[frame["treated"] == 1]
        effect = (treated[_TIME] - treated["cohort"]).map(design.truth)
        truth_twfe = float(effect.mean())
        cells = cs.att_gt[cs.att_gt["event_time"] >= 0]
        sizes = design.cohort_sizes.reindex(cells["cohort"]).to_numpy(dtype=float)
        effect = cells["event_time"].map(design.truth).to_numpy(dtype=float)
        truth_cs = float((effect * sizes).sum() / sizes.sum())
    return pd.DataFrame({"估计值": [twfe.coef, simple.att], "标准误": [twfe.se, simple.se],
                         "真实值": [truth_twfe, truth_cs]},
                        index=pd.Index(["TWFE 静态 DID", "Callaway–Sant'Anna"], name="估计量"))


def placebo_figure(design: PolicyDesign, *, reps: int = 199, seed: int = SEED) -> Figure:
    """Permutation placebo: TWFE estimates under fake treatments and the real one (安慰剂检验).

    Parameters
    ----------
    design : PolicyDesign
        From :func:`linkage.sections.policy_effects.policy_design`.
    reps : int
        Permutation draws (≥ 99; :func:`linkage.evaluation.placebo_test` shuffles the units'
        cohorts).
    seed : int

    Returns
    -------
    matplotlib.figure.Figure
        Histogram of the draws, the real estimate and the permutation p-value in the title.
    """
    result = placebo_test(design.frame, design.outcome, unit=_UNIT, time=_TIME,
                          cohort="cohort", reps=reps, seed=seed)
    fig, (ax,) = _figure()
    ax.hist(result.draws, bins=30, color="#9fb7d3", label=f"随机分配处理（{result.reps} 次）")
    ax.axvline(result.estimate, color="#c00000", lw=1.5, label="真实处理下的估计")
    ax.set_xlabel("TWFE 系数")
    ax.set_ylabel("次数")
    ax.set_title(f"置换 p 值 = {result.pvalue:.3f}")
    ax.legend(loc="upper left", fontsize=8)
    return fig


# --- notebook 6: real files --------------------------------------------------------------------


def yearbook_example(path: str | PathLike[str], *, first_year: int = 2013,
                     last_year: int = 2020, overwrite: bool = False) -> Path:
    """Write a yearbook-style workbook from a shipped reference table (仿年鉴格式的练习文件).

    One sheet per year, laid out as 《中国统计年鉴》's 分地区 tables: a title with the year, a
    unit line, the heading row ``地  区`` + 城镇/农村居民人均可支配收入, the national row first,
    province names padded to the yearbook's width (``北  京``), and a note. Values are those of
    ``datasets.load("province_income_rural_urban_2010_2020")`` (the 31 provinces and 全国).

    Parameters
    ----------
    path : path-like
        The workbook to write (not inside ``data/raw/``).
    first_year, last_year : int
        Years within 2010–2020 (prefer 2013 on: the disposable-income basis).
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        ``path`` (an .xlsx file), written atomically; an existing file is refused unless
        ``overwrite``.
    """
    import openpyxl

    if not 2010 <= first_year <= last_year <= 2020:
        raise InputError(f"年份 {first_year}—{last_year} 应在 2010—2020 之内 / years outside "
                         "the reference table", hint="参考表覆盖 2010—2020 年")
    table = datasets.load("province_income_rural_urban_2010_2020")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for year in range(first_year, last_year + 1):
        part = table[table["year"] == year]
        part = pd.concat([part[part["province"] == "全国"], part[part["province"] != "全国"]])
        sheet = book.create_sheet(str(year))
        sheet.append([f"表6-20 分地区城乡居民人均可支配收入（{year}年）"])
        sheet.append(["单位：元"])
        sheet.append(["地  区", "城镇居民人均可支配收入", "农村居民人均可支配收入"])
        for row in part.itertuples():
            name = row.province if len(row.province) > 2 else "  ".join(row.province)
            sheet.append([name, row.urban_disposable_income_yuan,
                          row.rural_disposable_income_yuan])
        sheet.append(["注：本表由 linkage 按仿年鉴格式生成，数值取自工具包自带参考表。"])
    with atomic_path(path, overwrite=overwrite) as tmp:
        book.save(tmp)
    return Path(path)
