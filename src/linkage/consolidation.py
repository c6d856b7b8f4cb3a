"""巩固 (consolidation) report glue: household tables, suppression and findings of ``03``.

The ``03_consolidation`` report asks whether the exit from poverty is stable: who is on the
monitoring roster and whether their risk is eliminated (防止返贫动态监测), how households move
between stable and at-risk states (返贫 / 新致贫), how many are multidimensionally deprived
(两不愁三保障 + 饮水安全 + 收入), how deep income poverty is against the monitoring threshold,
who is vulnerable to poverty, and who depends on transfers although able to work (福利陷阱).

Every statistic comes from the analysis modules (:mod:`linkage.monitoring`,
:mod:`linkage.dynamics`, :mod:`linkage.poverty`, :mod:`linkage.vulnerability`,
:mod:`linkage.income`); this module only assembles report tables, applies small-cell
suppression and writes the Chinese findings.

Small cells (小单元格抑制)
-------------------------
Household tables never show a figure resting on fewer than ``min_cell`` households (default
10). A cell's count is the number of sample households behind it — for a share, the *smaller*
of the households in its numerator and in its denominator (a rate of 3 households out of 2,000
discloses those 3). Suppression is :func:`linkage.disclosure.suppress_small_cells`: primary
plus complementary suppression along the 合计 row, so a hidden region cannot be recovered from
the total. Hidden cells show ``"<{min_cell}>"``. Counts are unweighted sample households;
the figures shown are survey-weighted estimates.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from linkage import datasets, dynamics, monitoring, plotting, poverty, privacy
from linkage.disclosure import TOTAL, suppress
from linkage.errors import InputError
from linkage.income import transfer_dependence
from linkage.labels import Language, label, rename_columns
from linkage.vulnerability import VulnerabilityResult, household_design, vulnerability

__all__ = [
    "TOTAL",
    "DeprivationTables",
    "HouseholdData",
    "consolidation_narrative",
    "dependence_table",
    "elimination_by_group",
    "elimination_comparison",
    "elimination_figure",
    "fgt_by_region",
    "load_households",
    "monitoring_by_year",
    "multidimensional_poverty",
    "region_labels",
    "transition_flows",
    "transition_table",
    "vulnerability_by_region",
]

RegionLevel = Literal["prefecture", "county"]


# --------------------------------------------------------------------------- data

@dataclass(frozen=True)
class HouseholdData:
    """Household monitoring panel for a report (农户监测数据).

    Attributes
    ----------
    households : DataFrame
        One row per household-year (columns as in docs/architecture.md "Data kinds").
    simulated : bool
        The bundled sample, or codes with the simulated province prefix ``99`` (模拟数据).
    source : Path or None
        The file read (None for the bundled sample).
    """

    households: pd.DataFrame
    simulated: bool
    source: Path | None

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.households["year"].unique())


def load_households(path: str | os.PathLike[str] | None = None, *,
                    start_year: int | None = None, end_year: int | None = None) -> HouseholdData:
    """Load the household monitoring panel (读取农户监测数据) for a report.

    ``None``/``""`` loads the bundled sample; otherwise a ``.parquet`` written by ``linkage
    ingest`` (or a ``.csv`` in the same layout). Tables holding personal identifiers
    (身份证号, names, phone numbers) are refused (:func:`linkage.privacy.assert_no_identifiers`).
    Rows are restricted to ``start_year ≤ year ≤ end_year``.

    Raises
    ------
    InputError
        File missing or of another type, identifiers present, or no year in the range.
    """
    source = Path(path) if path else None
    if source is None:
        from linkage.sample import load_sample

        frame = load_sample().households
    elif not source.is_file():
        raise InputError("文件不存在 / file not found", file=source,
                         hint="检查 households 参数，或先运行 linkage ingest")
    elif source.suffix == ".parquet":
        frame = pd.read_parquet(source)
    elif source.suffix == ".csv":
        frame = pd.read_csv(source, dtype={"household_id": str, "region_code": str},
                            encoding="utf-8-sig")
    else:
        raise InputError("不支持的文件类型 / unsupported file type", file=source,
                         hint="使用 linkage ingest 生成的 .parquet（或同样列的 .csv）")
    privacy.assert_no_identifiers(frame, where=source)
    if "year" not in frame.columns or "region_code" not in frame.columns:
        raise InputError("农户数据须有 year 与 region_code 列 / year and region_code needed",
                         file=source, column="year" if "year" not in frame.columns
                         else "region_code")
    frame = frame.assign(region_code=frame["region_code"].astype(str))
    lo = frame["year"].min() if start_year is None else start_year
    hi = frame["year"].max() if end_year is None else end_year
    keep = frame["year"].between(lo, hi)
    if not keep.any():
        raise InputError(f"农户数据在 {lo}—{hi} 年没有记录 / no households in {lo}–{hi}",
                         file=source, column="year",
                         hint=f"数据年份 / data years: {sorted(frame['year'].unique())}")
    simulated = source is None or bool(frame["region_code"].str.startswith("99").all())
    return HouseholdData(frame[keep].reset_index(drop=True), simulated, source)


def region_labels(households: pd.DataFrame, counties: pd.DataFrame, *,
                  level: RegionLevel = "prefecture") -> pd.Series:
    """Region name per household row (农户所在地区): prefecture (地市) or county (县).

    Names come from the county table (``prefecture_name`` / ``region_name``, indexed by
    ``region_code``); without one the codes are used (prefecture = first four digits + ``00``).

    Examples
    --------
    >>> hh = pd.DataFrame({"region_code": ["990101", "990203"]})
    >>> region_labels(hh, pd.DataFrame()).tolist()
    ['990100', '990200']
    """
    if level not in ("prefecture", "county"):
        raise InputError(f"region_level={level!r} 无效",
                         hint="可选 'prefecture'（地市）或 'county'")
    codes = households["region_code"].astype(str)
    column = "prefecture_name" if level == "prefecture" else "region_name"
    fallback = codes.str[:4] + "00" if level == "prefecture" else codes
    if column in counties.columns:
        names = codes.map(counties[column].astype(str))
        return names.fillna(fallback).rename("region")
    return fallback.rename("region")


def _weights(households: pd.DataFrame, weights: str | None) -> pd.Series | None:
    return monitoring.survey_weights(households, weights)


# --------------------------------------------------------------------------- monitoring

def monitoring_by_year(households: pd.DataFrame, *, weights: str | None = "weight",
                       min_cell: int = 10, language: Language = "zh") -> pd.DataFrame:
    """Monitoring roster by year (监测对象与风险消除，分年): province-level table.

    From :func:`linkage.monitoring.monitoring_summary`: monitored households (sample and
    weighted), their share of all households (weighted), households of each category, risk
    elimination rates by household and by person (weighted; the national figures are shares of
    persons), newly identified and, of those, 脱贫户 (返贫风险). Province-wide counts are large;
    they are still suppressed like every household table.

    Returns
    -------
    DataFrame
        Indexed by year.
    """
    w = "_w" if weights else ""
    s = monitoring.monitoring_summary(households, by=("year",), weights=weights)
    total = (households["year"].value_counts() if not weights else
             households.groupby("year")[weights].sum()).sort_index()
    cats = list(monitoring.MONITOR_CATEGORIES[1:])
    table = pd.DataFrame({
        "monitored": s["monitored_households"],
        "monitored_w": s[f"monitored_households{w}"].astype(float).round(0),
        "monitored_share": (100 * s[f"monitored_households{w}"].astype(float) / total).round(2),
        **{c: s[f"households_{c}{w}"].astype(float).round(0) for c in cats},
        "elimination_rate": (100 * s[f"elimination_rate{w}"]).round(2),
        "elimination_rate_persons": (100 * s[f"eliminated_persons{w}"].astype(float)
                                     / s[f"monitored_persons{w}"].astype(float)).round(2),
        "new_w": s[f"new_households{w}"].astype(float).round(0),
        "returned_w": s[f"returned_households{w}"].astype(float).round(0),
    })
    counts = pd.DataFrame({
        "monitored": s["monitored_households"], "monitored_w": s["monitored_households"],
        "monitored_share": s["monitored_households"],
        **{c: s[f"households_{c}"] for c in cats},
        "elimination_rate": np.minimum(s["monitored_households"], s["eliminated_households"]),
        "elimination_rate_persons": np.minimum(s["monitored_households"],
                                               s["eliminated_households"]),
        # the first year has no history: "new" is unknown there, not small
        "new_w": s["new_households"].fillna(10**9),
        "returned_w": s["returned_households"].fillna(10**9),
    }).astype(float)
    out = suppress(table, counts, min_cell=min_cell)
    out.index.name = label("year", language)
    return rename_columns(out, language)


def elimination_by_group(households: pd.DataFrame, groups: pd.Series, *,
                         weights: str | None = "weight", min_cell: int = 10,
                         language: Language = "zh") -> pd.DataFrame:
    """Risk-elimination rate (风险消除率, %) by group × year, suppressed, with a 合计 row.

    ``groups`` labels each household row (e.g. :func:`region_labels` or ``monitor_category``);
    non-monitored households are left out of the rate (they have no risk to eliminate). A cell
    rests on min(monitored, eliminated) sample households.

    Returns
    -------
    DataFrame
        Rows = groups then :data:`TOTAL`, columns = years; weighted rates in %, hidden cells
        ``"<min_cell>"``.
    """
    data = households.assign(_group=groups.to_numpy(), _all=TOTAL)
    w = "_w" if weights else ""
    parts, counts = [], []
    for by in ("_group", "_all"):
        s = monitoring.monitoring_summary(data, by=(by, "year"), weights=weights)
        s = s[s["monitored_households"] > 0]
        parts.append((100 * s[f"elimination_rate{w}"]).round(2).unstack("year"))
        counts.append(np.minimum(s["monitored_households"], s["eliminated_households"])
                      .astype(float).unstack("year"))
    table, count = pd.concat(parts), pd.concat(counts).fillna(0.0)
    table.index.name = label("region", language) if groups.name == "region" else None
    table.columns.name = label("year", language)
    count.index, count.columns = table.index, table.columns
    return suppress(table, count, min_cell=min_cell)


def elimination_comparison(households: pd.DataFrame, *, weights: str | None = "weight",
                           simulated: bool = True, language: Language = "zh") -> pd.DataFrame:
    """Risk elimination: this data by year beside the real national figures (真实 vs 模拟).

    The data rows are the weighted share of monitored *persons* whose risk is eliminated, by
    year (the roster is cumulative, as in the national statistics); the real rows are the
    percentage rows about risk elimination of ``monitoring_prevent_return_national``
    (国家乡村振兴局, 国新办; 65.7 % in 2022-11 for central and western provinces, 60.4 %
    cumulative in 2024-06),
    each with its source. The two kinds are labelled in the ``data_kind`` column and must not be
    read as one series.

    Returns
    -------
    DataFrame
        Columns period, indicator, value (%), data kind, source (headings in ``language``);
        ``period`` is a year for the data rows and the reported date for the real ones.
    """
    w = "_w" if weights else ""
    s = monitoring.monitoring_summary(households, by=("year",), weights=weights)
    rate = 100 * s[f"eliminated_persons{w}"].astype(float) / s[f"monitored_persons{w}"].astype(
        float)
    kind = label("simulated" if simulated else "user_data", language)
    own = pd.DataFrame({"period": rate.index.astype(str),
                        "indicator": "监测对象风险消除率（按人，加权）" if language == "zh"
                        else "Monitored persons with risk eliminated (weighted)",
                        "value_pct": rate.round(2).to_numpy(), "data_kind": kind,
                        "source": "本报告计算" if language == "zh" else "computed here"})
    real = datasets.load("monitoring_prevent_return_national")
    real = real[real["indicator"].str.contains("消除") & real["unit"].str.startswith("%")]
    real = pd.DataFrame({"period": real["period_end"].astype(str),
                         "indicator": real["indicator"], "value_pct": real["value"].astype(float),
                         "data_kind": label("real", language), "source": real["source"]})
    return rename_columns(pd.concat([own, real], ignore_index=True), language)


def _fractional_year(period: str) -> float:
    """'2024-06-30' → 2024.5 (end of June), '2022' → 2022.0."""
    parts = [int(p) for p in period.split("-")]
    return parts[0] + (parts[1] / 12 if len(parts) > 1 else 0.0)


def elimination_figure(comparison: pd.DataFrame, *, note: str = "",
                       language: Language = "zh") -> Figure:
    """Line of this data's elimination rate by year with the real national points marked.

    ``comparison`` is :func:`elimination_comparison`'s table. Real points are drawn as labelled
    markers at their reported date (not joined: they have different scopes); the note says
    which is which and carries ``note`` (e.g. the 模拟数据 note).
    """
    kind, value = label("data_kind", language), label("value_pct", language)
    period = label("period", language)
    real_label = label("real", language)
    own = comparison[comparison[kind] != real_label]
    real = comparison[comparison[kind] == real_label]
    frame = pd.DataFrame({"x": own[period].map(_fractional_year), "y": own[value],
                          "series": own[kind].iloc[0] if len(own) else ""})
    fig = plotting.line_chart(frame, x="x", y="y", hue="series",
                              title="监测对象风险消除率" if language == "zh"
                              else "Risk elimination among monitored persons",
                              xlabel=label("year", language), ylabel=value)
    ax = fig.axes[0]
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    xs = real[period].map(_fractional_year).to_numpy()
    ax.scatter(xs, real[value], marker="D", color="C3", zorder=3, label=real_label)
    for x, y, text in zip(xs, real[value], real[label("indicator", language)],
                          strict=True):
        ax.annotate(f"{text} {y:g}%", (x, y), textcoords="offset points", xytext=(4, 6),
                    fontsize=7, color="C3")
    ax.legend()
    source = "真实点：国家乡村振兴局、国新办（经转载页面），见 data/raw/reference/SOURCES.md。"
    plotting.add_source_note(fig, source + ("\n" + note if note else ""))
    return fig


# --------------------------------------------------------------------------- transitions

#: Flows reported by :func:`transition_flows`: name → (from status, to status).
FLOWS: dict[str, tuple[str, str]] = {
    "返贫率(%)": ("脱贫户·稳定", "脱贫户·风险"),
    "新致贫率(%)": ("一般农户·稳定", "一般农户·风险"),
    "脱贫户风险消除率(%)": ("脱贫户·风险", "脱贫户·稳定"),
    "一般农户风险消除率(%)": ("一般农户·风险", "一般农户·稳定"),
}


def _flow_tables(households: pd.DataFrame, weights: str | None,
                 thresholds: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    status = dynamics.risk_status(households, thresholds)
    weighted = dynamics.transitions(households, status=status, weights=weights)
    counts = dynamics.transitions(households, status=status)
    return weighted, counts


def transition_flows(households: pd.DataFrame, *, weights: str | None = "weight",
                     thresholds: pd.DataFrame | None = None, min_cell: int = 10) -> pd.DataFrame:
    """Return-to-poverty and exit flows between consecutive years (返贫、新致贫与风险消除流量).

    Statuses are :func:`linkage.dynamics.risk_status` (income below the monitoring threshold or
    on the roster with risk not eliminated = 风险); each flow is the weighted share of households
    in the first-year status that are in the second-year status a year later
    (:data:`FLOWS`: 返贫 = 脱贫户 stable → at risk; 新致贫 = other households stable → at risk;
    风险消除 = at risk → stable). A cell rests on min(households making the move, households in
    the first-year status).

    Returns
    -------
    DataFrame
        Indexed by ``"2021→2022"`` …, one column per flow (%), suppressed.
    """
    weighted, counts = _flow_tables(households, weights, thresholds)
    key = ["from_year", "to_year", "from_status", "to_status"]
    weighted = weighted.set_index(key)
    counts = counts.set_index(key)["count"]
    row_totals = counts.groupby(level=["from_year", "to_year", "from_status"],
                                observed=True).transform("sum")
    rates, cells = {}, {}
    for name, (a, b) in FLOWS.items():
        pick = (weighted.index.get_level_values("from_status") == a) & (
            weighted.index.get_level_values("to_status") == b)
        part = weighted[pick].droplevel(["from_status", "to_status"])
        rates[name] = (100 * part["rate"]).round(2)
        cells[name] = np.minimum(counts[pick], row_totals[pick]).droplevel(
            ["from_status", "to_status"])
    table, count = pd.DataFrame(rates), pd.DataFrame(cells)
    labels = [f"{a}→{b}" for a, b in table.index]
    table.index = count.index = pd.Index(labels, name="年份")
    return suppress(table, count.fillna(0.0), min_cell=min_cell)


def transition_table(households: pd.DataFrame, *, from_year: int, to_year: int,
                     weights: str | None = "weight", thresholds: pd.DataFrame | None = None,
                     min_cell: int = 10) -> pd.DataFrame:
    """Transition matrix between two years (状态转移矩阵, 行百分比 %), suppressed.

    Weighted row shares of :func:`linkage.dynamics.transition_matrix` over the
    :func:`linkage.dynamics.risk_status` statuses; a cell rests on the unweighted households
    making that move (so empty cells, including structurally impossible moves such as 脱贫户 →
    一般农户, are hidden too). The attrition row/column (未观测) is shown only when some household
    is in it.
    """
    status = dynamics.risk_status(households, thresholds)
    rates = dynamics.transition_matrix(households, status=status, from_year=from_year,
                                       to_year=to_year, weights=weights).rates
    counts = dynamics.transition_matrix(households, status=status, from_year=from_year,
                                        to_year=to_year).counts
    keep_rows = counts.sum(axis=1) > 0
    keep_cols = counts.sum(axis=0) > 0
    rates = (100 * rates.loc[keep_rows, keep_cols]).round(2)
    counts = counts.loc[keep_rows, keep_cols]
    rates.index.name, rates.columns.name = f"{from_year}年状态", f"{to_year}年状态"
    counts.index, counts.columns = rates.index, rates.columns
    return suppress(rates, counts, min_cell=min_cell)


# --------------------------------------------------------------------------- poverty

@dataclass(frozen=True)
class DeprivationTables:
    """Alkire–Foster results for the report (多维贫困报告表).

    Attributes
    ----------
    result : AlkireFosterResult
        The province-wide measures (:func:`linkage.poverty.alkire_foster`).
    by_region : DataFrame
        Per region and 合计: sample households, H (%), A (%), M0 and its bootstrap 95 % CI,
        suppressed.
    censored : DataFrame
        Censored headcount ratios (%) by region × indicator, suppressed.
    indicators : DataFrame
        Per indicator: weight, uncensored and censored headcounts (%), percentage
        contribution to M0 (%), suppressed.
    """

    result: poverty.AlkireFosterResult
    by_region: pd.DataFrame
    censored: pd.DataFrame
    indicators: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The region table."""
        return self.by_region


def _with_total(labels: pd.Series) -> tuple[pd.Series, pd.Series]:
    return labels.astype(str), pd.Series(TOTAL, index=labels.index)


def multidimensional_poverty(households: pd.DataFrame, regions: pd.Series, *,
                             income_line: float | pd.Series | Mapping[int, float], k: float,
                             reps: int = 200, seed: int | None = None,
                             weights: str | None = "weight", min_cell: int = 10,
                             language: Language = "zh") -> DeprivationTables:
    """Alkire–Foster poverty on 两不愁三保障 + 饮水安全 + 收入 by region, with bootstrap CIs.

    :data:`linkage.poverty.DEFAULT_AF_SPEC` (equal nested weights), poverty cutoff ``k``,
    survey weights; M0 intervals are stratified percentile bootstraps by region
    (:func:`linkage.poverty.af_bootstrap_ci`, ``reps`` replications; the 合计 row resamples
    within regions too). Pass one cross-section (one year). Cells rest on min(households,
    multidimensionally poor households); indicator cells on min(households deprived and poor).

    Parameters
    ----------
    households : DataFrame
        One year of the household panel.
    regions : Series
        Region label per row (:func:`region_labels`).
    income_line : float, Series or mapping year → float
        Income deprivation cutoff (元/人·年), e.g. :func:`linkage.monitoring.threshold_for`.
    k : float
        Poverty cutoff in (0, 1] (share of total weight).
    reps, seed : bootstrap replications (≥ 200) and seed.
    weights : str or None
        Survey-weight column.
    min_cell : int
    """
    inputs = poverty.af_inputs(households, income_line=income_line)
    v = _weights(households, weights)
    region, total = _with_total(regions)
    stats = poverty.AFStats.from_data(inputs.data, inputs.cutoffs, inputs.weights, k, by=region,
                                      sample_weight=v)
    raw = poverty.AFStats.from_data(inputs.data, inputs.cutoffs, inputs.weights, k, by=region)
    result = stats.result()
    ci = poverty.af_bootstrap_ci(inputs.data, inputs.cutoffs, inputs.weights, k, by=region,
                                 sample_weight=v, reps=reps, seed=seed)
    rng = np.random.default_rng(seed)
    ci_total = poverty.af_bootstrap_ci(inputs.data, inputs.cutoffs, inputs.weights, k,
                                       by=total, sample_weight=v, reps=reps, seed=rng)
    groups = result.by_group
    table = pd.DataFrame({"households": groups["n"], "H": (100 * groups["H"]).round(2),
                          "A": (100 * groups["A"]).round(2), "M0": groups["M0"].round(4),
                          "M0_lower": ci["lower"].round(4), "M0_upper": ci["upper"].round(4)})
    table.loc[TOTAL] = [result.n, round(100 * result.H, 2), round(100 * result.A, 2),
                        round(result.M0, 4), round(ci_total["lower"].iloc[0], 4),
                        round(ci_total["upper"].iloc[0], 4)]
    poor = pd.Series(raw.poor, index=raw.groups)
    poor[TOTAL] = raw.poor.sum()
    n = table["households"].astype(float)
    count = pd.DataFrame({c: np.minimum(n, poor) for c in table.columns}, index=table.index)
    count["households"] = n
    names = inputs.names if language == "zh" else pd.Series(inputs.names.index,
                                                            index=inputs.names.index)
    censored = pd.DataFrame(100 * stats.censored / stats.population[:, None],
                            index=stats.groups, columns=names[list(stats.indicators)]).round(2)
    censored.loc[TOTAL] = (100 * result.censored_headcounts.to_numpy()).round(2)
    censored.columns.name = label("indicator", language)
    cells = pd.DataFrame(raw.censored, index=raw.groups, columns=censored.columns)
    cells.loc[TOTAL] = raw.censored.sum(axis=0)
    indicators = pd.DataFrame({
        "weight": result.weights.round(4),
        "uncensored": (100 * result.uncensored_headcounts).round(2),
        "censored": (100 * result.censored_headcounts).round(2),
        "contribution": (100 * result.contributions).round(2)})
    indicators.index = names[indicators.index].to_numpy()
    ind_counts = pd.DataFrame({
        "weight": 10**9, "uncensored": raw.uncensored.sum(axis=0),
        "censored": raw.censored.sum(axis=0), "contribution": raw.censored.sum(axis=0)},
        index=indicators.index, dtype=float)
    region_name = label("region", language)
    out = rename_columns(suppress(table, count, min_cell=min_cell), language)
    out.index.name = censored.index.name = region_name
    return DeprivationTables(
        result=result, by_region=out,
        censored=suppress(censored, cells.reindex(censored.index), min_cell=min_cell),
        indicators=rename_columns(suppress(indicators, ind_counts, min_cell=min_cell)
                           .rename(columns={"weight": "权重" if language == "zh"
                                            else "Weight"}), language))


def fgt_by_region(households: pd.DataFrame, regions: pd.Series, *,
                  line: float | pd.Series, reps: int = 200, seed: int | None = None,
                  weights: str | None = "weight", min_cell: int = 10,
                  language: Language = "zh") -> pd.DataFrame:
    """FGT headcount, gap and severity by region against the monitoring threshold, with CIs.

    :func:`linkage.poverty.fgt_by_group` (Foster, Greer & Thorbecke 1984) on ``income_pc``
    against ``line`` (元/人·年, e.g. :func:`linkage.monitoring.threshold_for`), survey-weighted;
    the FGT0 95 % intervals are stratified percentile bootstraps
    (:func:`linkage.poverty.fgt_bootstrap_ci`). Pass one cross-section. Cells rest on
    min(households, poor households).

    Returns
    -------
    DataFrame
        Per region and 合计: sample households, FGT0 with CI, FGT1, FGT2 (all %), suppressed.
    """
    income = households["income_pc"]
    v = _weights(households, weights)
    region, total = _with_total(regions)
    parts = []
    for groups in (region, total):
        est = poverty.fgt_by_group(income, line, groups=groups, weights=v)
        ci = poverty.fgt_bootstrap_ci(income, line, by=groups, weights=v, reps=reps, seed=seed)
        parts.append(est.join(ci[["lower", "upper"]]))
    both = pd.concat(parts)
    table = pd.DataFrame({"households": both["n"],
                          **{c: (100 * both[c]).round(2) for c in ("FGT0", "FGT1", "FGT2")},
                          "FGT0_lower": (100 * both["lower"]).round(2),
                          "FGT0_upper": (100 * both["upper"]).round(2)})
    table = table[["households", "FGT0", "FGT0_lower", "FGT0_upper", "FGT1", "FGT2"]]
    poor_rows = pd.Series((income < line).to_numpy(), index=households.index)
    poor = pd.concat([poor_rows.groupby(region).sum(), pd.Series({TOTAL: poor_rows.sum()})])
    n = table["households"].astype(float)
    count = pd.DataFrame({c: np.minimum(n, poor.reindex(table.index)) for c in table.columns})
    count["households"] = n
    out = rename_columns(suppress(table, count, min_cell=min_cell), language)
    out.index.name = label("region", language)
    return out


def vulnerability_by_region(households: pd.DataFrame, regions: pd.Series, *,
                            line: float | pd.Series, threshold: float = 0.5,
                            weights: str | None = "weight", min_cell: int = 10,
                            language: Language = "zh"
                            ) -> tuple[VulnerabilityResult, pd.DataFrame]:
    """Vulnerability to poverty by region (贫困脆弱性，分地区), with "vulnerable but not poor".

    :func:`linkage.vulnerability.vulnerability` (Chaudhuri, Jalan & Suryahadi 2002, three-step
    FGLS) of ``income_pc`` on :func:`linkage.vulnerability.household_design` (household size,
    labour, 脱贫户, shocks, prefecture dummies) against ``line``. The table gives, per region
    and 合计, the current poverty rate, mean vulnerability, the shares highly vulnerable
    (v ≥ ``threshold``) and relatively vulnerable (v ≥ the observed poverty rate, CJS's
    relative threshold), and each of those among the *not currently poor* — the households a
    poverty count misses. All shares are survey-weighted, in %; a cell rests on min(households,
    households with the property).

    Returns
    -------
    (VulnerabilityResult, DataFrame)
    """
    v = _weights(households, weights)
    result = vulnerability(households, "income_pc", household_design(households), line,
                           threshold=threshold, weights=v)
    flags = result.to_frame()
    not_poor = ~flags["poor"]
    props = pd.DataFrame({
        "poverty_rate": flags["poor"], "mean_vulnerability": flags["vulnerability"],
        "vulnerable": flags["vulnerable"], "relative": flags["relatively_vulnerable"],
        "vulnerable_not_poor": flags["vulnerable"] & not_poor,
        "relative_not_poor": flags["relatively_vulnerable"] & not_poor}).astype(float)
    w = pd.Series(1.0, index=households.index) if v is None else v
    region, total = _with_total(regions)
    shares, counts = [], []
    for groups in (region, total):
        shares.append(props.mul(w, axis=0).groupby(groups).sum().div(
            w.groupby(groups).sum(), axis=0))
        hits = (props > 0).groupby(groups).sum().astype(float)
        n = groups.groupby(groups).size().astype(float)
        hits["mean_vulnerability"] = n
        counts.append(pd.concat([n.rename("households"), hits], axis=1))
    table = (100 * pd.concat(shares)).round(2)
    count = pd.concat(counts)
    table.insert(0, "households", count["households"].astype(int))
    out = rename_columns(suppress(table, count[table.columns], min_cell=min_cell), language)
    out.index.name = label("region", language)
    return result, out


def dependence_table(households: pd.DataFrame, *, threshold: float = 0.5, min_labour: int = 1,
                     weights: str | None = "weight", min_cell: int = 10,
                     language: Language = "zh") -> pd.DataFrame:
    """Transfer dependence among households able to work, by household type × year (福利陷阱).

    :func:`linkage.income.transfer_dependence`: households with ≥ ``min_labour`` labourers whose
    transfer income is ≥ ``threshold`` of gross income. Types: 脱贫户 and 一般农户, plus 合计.
    Weighted rates in %; a cell rests on min(assessed, dependent) households.

    Returns
    -------
    DataFrame
        Rows = household types and 合计, columns = years.
    """
    kind = np.where(households["exited_poor"].astype(bool), "脱贫户", "一般农户")
    data = households.assign(_type=kind, _all=TOTAL)
    tables, counts = [], []
    for by in ("_type", "_all"):
        rates = transfer_dependence(data, threshold=threshold, min_labour=min_labour,
                                    by=[by, "year"], weights=weights).rates
        tables.append((100 * rates["rate"]).round(2).unstack("year"))
        counts.append(np.minimum(rates["assessed"], rates["dependent"]).astype(float)
                      .unstack("year"))
    table, count = pd.concat(tables), pd.concat(counts)
    table.index.name = label("group", language)
    table.columns.name = label("year", language)
    count.index, count.columns = table.index, table.columns
    return suppress(table, count, min_cell=min_cell)


# --------------------------------------------------------------------------- narrative

def _visible(value: object) -> float | None:
    """A table value, or None when it was suppressed (a marker string) or missing."""
    if isinstance(value, str) or value is None or pd.isna(value):
        return None
    return float(value)


def consolidation_narrative(*, by_year: pd.DataFrame, flows: pd.DataFrame,
                            deprivation: DeprivationTables, fgt: pd.DataFrame,
                            vulnerability_table: pd.DataFrame, dependence: pd.DataFrame,
                            simulated: bool, k: float,
                            transfer_threshold: float = 0.5,
                            language: Language = "zh") -> list[str]:
    """Findings of the 巩固 report in Chinese (巩固要点), each sentence computed from the tables.

    Parameters are the (suppressed) tables of :func:`monitoring_by_year`,
    :func:`transition_flows`, :func:`multidimensional_poverty`, :func:`fgt_by_region`,
    :func:`vulnerability_by_region` and :func:`dependence_table`, with headings in
    ``language`` (the language the tables were built in; the sentences are Chinese). Figures
    that were suppressed are not quoted. The last sentences are the caveats.

    Returns
    -------
    list of str
    """
    lines: list[str] = []
    rate = by_year[label("elimination_rate_persons", language)].map(_visible).dropna()
    share = by_year[label("monitored_share", language)].map(_visible).dropna()
    if len(rate) >= 1 and len(share) >= 1:
        first, last = rate.index[0], rate.index[-1]
        trend = "上升" if rate.iloc[-1] > rate.iloc[0] else "下降" if rate.iloc[-1] < rate.iloc[
            0] else "持平"
        lines.append(
            f"监测对象占农户的比重在 {share.index[-1]} 年为 {share.iloc[-1]:.2f}%；"
            f"监测对象中风险已消除的人口比例由 {first} 年的 {rate.iloc[0]:.1f}% "
            f"{trend}至 {last} 年的 "
            f"{rate.iloc[-1]:.1f}%（全国 2024 年 6 月累计为 60.4%，见真实统计对照表）。")
    back = flows["返贫率(%)"].map(_visible).dropna()
    new = flows["新致贫率(%)"].map(_visible).dropna()
    if len(back) and len(new):
        lines.append(
            f"相邻年份间，上年稳定的脱贫户中有 {back.iloc[-1]:.2f}% 在 {back.index[-1]} "
            f"年间陷入风险"
            f"（返贫风险），一般农户的新致贫比例为 {new.iloc[-1]:.2f}%；返贫比例"
            f"{'高于' if back.iloc[-1] > new.iloc[-1] else '不高于'}新致贫比例。")
    r = deprivation.result
    top = r.contributions.sort_values(ascending=False)
    names = poverty.DEFAULT_AF_SPEC.names()
    lead = names.get(top.index[0], top.index[0])
    lines.append(
        f"多维贫困（k = {k:.3g}）：多维贫困发生率 H = {100 * r.H:.2f}%，平均剥夺强度 A = "
        f"{100 * r.A:.1f}%，M0 = {r.M0:.4f}；对 M0 贡献最大的指标是“{lead}”"
        f"（{100 * top.iloc[0]:.1f}%）。")
    fgt0 = fgt[label("FGT0", language)].map(_visible).drop(TOTAL, errors="ignore").dropna()
    total = _visible(fgt.loc[TOTAL, label("FGT0", language)]) if TOTAL in fgt.index else None
    if total is not None and len(fgt0):
        lines.append(
            f"按监测收入标准计算，收入贫困发生率为 {total:.2f}%；各地区中最高为{fgt0.idxmax()}"
            f"（{fgt0.max():.2f}%），最低为{fgt0.idxmin()}（{fgt0.min():.2f}%）。")
    vt = vulnerability_table.loc[TOTAL] if TOTAL in vulnerability_table.index else None
    if vt is not None:
        pr = _visible(vt[label("poverty_rate", language)])
        rel = _visible(vt[label("relative", language)])
        rnp = _visible(vt[label("relative_not_poor", language)])
        if pr is not None and rel is not None and rnp is not None:
            lines.append(
                f"贫困脆弱性：当前贫困率 {pr:.2f}%，而相对脆弱"
                f"（未来陷入贫困的概率不低于当前贫困率）的农户占 {rel:.2f}%，其中 {rnp:.2f}% "
                f"的农户当前并不贫困——这部分“脆弱但非贫困”"
                f"的农户是监测预警应当前移关注的对象。")
    if TOTAL in dependence.index:
        dep = dependence.loc[TOTAL].map(_visible).dropna()
        if len(dep):
            lines.append(
                f"有劳动能力的农户中，转移净收入占毛收入 {transfer_threshold:.0%} 及以上的比例"
                f"在 {dep.index[-1]} 年为 "
                f"{dep.iloc[-1]:.2f}%"
                + (f"（脱贫户 {_visible(dependence.loc['脱贫户', dep.index[-1]]):.2f}%）"
                   if "脱贫户" in dependence.index
                   and _visible(dependence.loc["脱贫户", dep.index[-1]]) is not None else "")
                + "，需警惕“福利陷阱”。")
    lines.append("注意：监测状态与风险消除以数据中的标记为准；监测收入标准为假设值时（见标准表的 "
                 "value_type），贫困率随标准变化；住户表中少于最小单元格户数的格子已隐藏。")
    if simulated:
        lines.append("以上结果基于模拟数据，仅用于演示方法，不代表任何真实地区；真实统计仅作对照。")
    return lines
