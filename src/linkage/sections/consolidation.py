"""巩固 (consolidation) report glue: household tables, suppression and findings of ``03``.

The ``03_consolidation`` report asks whether the exit from poverty is stable: who is on the
monitoring roster and whether their risk is eliminated (防止返贫动态监测), how households move
between stable and at-risk states (the *risk* of 返贫 / 致贫), how many are multidimensionally
deprived (两不愁三保障 + 饮水安全 + 收入), how many live below the monitoring threshold, who is
vulnerable to poverty, and who depends on transfers although able to work (福利陷阱).

Every statistic comes from the analysis modules (:mod:`linkage.monitoring`,
:mod:`linkage.dynamics`, :mod:`linkage.poverty`, :mod:`linkage.vulnerability`,
:mod:`linkage.income`); this module only assembles report tables, applies small-cell
suppression and writes the findings, in ``language``.

Units (人 / 户)
--------------
Rates are shares of **persons** by default (``per="person"``: household survey weight ×
household size), as Chinese statistics publish 贫困发生率, multidimensional headcounts,
vulnerability shares and risk elimination; ``per="household"`` gives shares of households.
Every rate heading says which, e.g. ``低于监测标准比例FGT0(人,%)``. Transfer dependence is a
property of the household (labour capacity, transfers) and defaults to households.

Inference
---------
Regional rates that the report compares carry bootstrap intervals from
:func:`linkage.poverty.fgt_bootstrap_ci` / :func:`linkage.poverty.af_bootstrap_ci`: the Rao–Wu
bootstrap resamples the sampling units (villages when the data have ``village_code``, else
counties, ``region_code``, when every region has at least two; households otherwise) within
the regions as strata, :data:`linkage.checks.MIN_REPS` (999) replicates by default; the
difference between the highest and the lowest region has its own interval
(:meth:`RegionalPoverty.comparison`). Changes over the years (the risk-elimination rate, transfer
dependence) get an interval of their own: the sampling units (:func:`trend_units`: villages,
else counties) are resampled with all their years at once, so both years of a replicate are
the same units (:func:`linkage.inequality.gap_change`); the findings say 上升/下降 only when that
interval excludes 0 (:func:`linkage.inequality.change_sign`), else 变化不显著 with the interval.
Each table says in ``table.attrs["note"]`` which unit, sampling units and replicates it uses,
and how many rows were dropped (only with ``missing="drop"``; by default missing values raise).

Multidimensional poverty is shown two ways that must not be confused: the share failing any
guarantee of the national 两不愁三保障 standard (with 饮水安全) — a union rule — and the
Alkire–Foster headcount H at the cutoff k (default 1/3 in the report: at least two of four
dimensions deprived, income being one), a different, multidimensional measure.

Grouping follows the vocabulary of docs/architecture.md: ``by=`` (a column or an aligned
Series). Data values in the findings (region names) are escaped for Markdown.

Small cells (小单元格抑制)
-------------------------
Household tables never show a figure resting on fewer than ``min_cell`` households (default
10). A cell's count is the number of sample households behind it — for a share, the *smaller*
of the households in its numerator and in its denominator (a rate of 3 households out of 2,000
discloses those 3). Suppression is :func:`linkage.disclosure.suppress_small_cells`: primary
plus complementary suppression along the total row, so a hidden region cannot be recovered
from the total. Hidden cells show ``"<{min_cell}>"`` in these analysis tables; in the report
section they become "—" with a footnote, and a region's own report hides every figure its
parent's table hides in its row (:func:`build`).

The section (章节)
-----------------
:func:`build` turns the tables into the 巩固 chapter of a region report
(:class:`linkage.reporting.document.Section`): for the province (by prefecture or county), a
prefecture (its counties, itself, the province) or a county (itself, its prefecture, the
province). Main body: key figures, the roster by year, risk elimination against the published
national figures, entering risk, multidimensional poverty and FGT0; the technical tables in the
appendix. The inputs, the province and each prefecture are computed once per batch
(:func:`linkage.reporting.cache.once`); a county on its own households.
"""

from __future__ import annotations

import dataclasses
import os
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from linkage import datasets, dynamics, inequality, monitoring, plotting, poverty, privacy
from linkage.checks import (
    MIN_REPS,
    SEED,
    Missing,
    aligned,
    check_option,
    first_rows,
    require_columns,
)
from linkage.disclosure import TOTAL, suppress
from linkage.errors import InputError
from linkage.escaping import markdown_text
from linkage.income import transfer_dependence
from linkage.labels import Language, is_zh, label, rename_columns
from linkage.panel import RegionLevel
from linkage.poverty import BootstrapResult, Per, unit_name
from linkage.poverty.groups import column_or_series
from linkage.reporting.document import DASH, Section, SectionBuilder
from linkage.vulnerability import VulnerabilityResult, household_design, vulnerability

__all__ = [
    "KEY",
    "TITLE",
    "TOTAL",
    "ConsolidationTables",
    "DeprivationTables",
    "HouseholdData",
    "Region",
    "RegionalPoverty",
    "build",
    "consolidation_narrative",
    "consolidation_tables",
    "contribution_figure",
    "dependence_table",
    "elimination_by_group",
    "elimination_comparison",
    "elimination_figure",
    "fgt_by_region",
    "load_households",
    "monitoring_by_year",
    "multidimensional_poverty",
    "region_labels",
    "sampling_units",
    "show_table",
    "threshold_note",
    "title",
    "transition_flows",
    "transition_table",
    "trend_units",
    "vulnerability_by_region",
]


#: Label keys of the monitoring categories and risk statuses (for English tables).
_CATEGORY_KEYS = dict(zip(monitoring.MONITOR_CATEGORIES,
                          ("not_monitored", "unstable", "marginal", "sudden"), strict=True))
_STATUS_KEYS = {**dict(zip(dynamics.RISK_STATUSES,
                           ("exited_stable", "exited_risk", "other_stable", "other_risk"),
                           strict=True)), dynamics.UNOBSERVED: "unobserved"}
#: Sampling units by column: (中文, English) names used in notes.
_UNIT_NAMES = {"village_code": ("村", "villages"), "region_code": ("县", "counties"),
               "household_id": ("户", "households")}


# --------------------------------------------------------------------------- helpers

def _total(language: Language) -> str:
    """Label of the total row: 合计 / Total (both are margins for suppression)."""
    return label("total", language)


def _heading(key: str, language: Language, *, per: Per | None = None,
             percent: bool = True) -> str:
    """A column heading with its unit: ``名称(人,%)`` / ``Name (persons, %)``."""
    parts = ([unit_name(per, language)] if per else []) + (["%"] if percent else [])
    name = label(key, language)
    if not parts:
        return name
    return f"{name}({','.join(parts)})" if is_zh(language) else f"{name} ({', '.join(parts)})"


def _ci_heading(key: str, side: str, level: float, language: Language, *, per: Per,
                percent: bool = True) -> str:
    """Heading of an interval bound, e.g. ``FGT0 95%CI下限(人,%)``."""
    short = key if key in ("H", "M0", "FGT0") else label(key, language)
    unit = [unit_name(per, language)] + (["%"] if percent else [])
    if is_zh(language):
        return f"{short} {level:.0%}CI{label(side, language)}({','.join(unit)})"
    return f"{short} {level:.0%} CI {label(side, language)} ({', '.join(unit)})"


def _unit_note(per: Per, language: Language) -> str:
    if is_zh(language):
        return ("比例按人计（户抽样权数 × 家庭人口）。" if per == "person"
                else "比例按户计（户抽样权数）。")
    return ("Rates are shares of persons (household weight × household size)."
            if per == "person" else "Rates are shares of households (household weight).")


def _dropped_note(n: int, language: Language) -> str:
    if not n:
        return ""
    return (f"已删除 {n} 个含缺失值的户-年（按设定删除）。" if is_zh(language)
            else f"{n} household-years with missing values dropped, as set.")


def _with_note(table: pd.DataFrame, *parts: str) -> pd.DataFrame:
    table.attrs["note"] = " ".join(p for p in parts if p)
    return table


def _visible(value: object) -> float | None:
    """A table value, or None when it was suppressed (a marker string) or missing."""
    if isinstance(value, str) or value is None or pd.isna(value):
        return None
    return float(value)


def _check_language(language: Language) -> None:
    check_option("language", language, Language)


def show_table(table: pd.DataFrame) -> None:
    """Display a report table in a notebook, then its note (unit, inference, rows dropped)."""
    from IPython.display import Markdown, display

    display(table)
    note = table.attrs.get("note", "")
    if note:
        display(Markdown(f"*{note}*"))


def trend_units(households: pd.DataFrame, cluster: str | None = None) -> str:
    """The sampling units a change between years resamples (抽样单位): ``cluster`` if given,
    else ``village_code`` when the data have it, else counties (``region_code``).

    Households are nested in them, so the resampled units carry the households' variation
    too (the ultimate-cluster principle), and a drawn unit brings its households of every
    year, so two years' rates come from the same draws.
    """
    if cluster is not None:
        require_columns(households, [cluster], what="农户数据 / household data")
        return cluster
    return "village_code" if "village_code" in households.columns else "region_code"


def _rate_changes(households: pd.DataFrame, value: pd.Series, among: pd.Series, *,
                  groups: pd.Series | None, weights: str | None, per: Per,
                  cluster: str | None, reps: int, seed: int | None, level: float,
                  missing: Missing = "raise") -> pd.DataFrame:
    """Change of a weighted share (%) between the first and the last year, by group (when
    ``groups`` is given) and in total (row ``"_all"``), with the percentile interval of
    :func:`linkage.inequality.gap_change` (sampling units resampled jointly across years,
    no strata). ``value`` is the 0/1 property, ``among`` the rows the share is taken over."""
    units = trend_units(households, cluster)
    rows = among.to_numpy(dtype=bool)
    frame = pd.DataFrame({
        "year": households["year"].to_numpy(), "value": value.astype(float).to_numpy(),
        "w": poverty.unit_weights(households, weights, per=per),
        "group": "_all" if groups is None else groups.to_numpy(),
        "unit": households[units].to_numpy()})[rows]
    if frame.empty:  # nobody to take the share over (e.g. a county without monitored)
        out = pd.DataFrame(columns=["first", "last", "change", "ci_low", "ci_high", "sign"],
                           dtype=float)
        out.attrs |= {"first": int(households["year"].min()),
                      "last": int(households["year"].max()), "units": units, "reps": reps,
                      "level": level, "clusters": 0}
        return out
    first, last = int(frame["year"].min()), int(frame["year"].max())
    parts = []
    for part in ([frame.assign(group="_all")] if groups is None
                 else [frame, frame.assign(group="_all")]):
        parts.append(inequality.gap_change(part, value="value", group="group", first=first,
                                           last=last, weights="w", cluster="unit",
                                           missing=missing, reps=reps, seed=seed,
                                           level=level))
    table = pd.concat(parts)
    out = pd.DataFrame({"first": 100 * table["mean_first"], "last": 100 * table["mean_last"],
                        "change": 100 * table["mean_change"],
                        "ci_low": 100 * table["mean_change_ci_low"],
                        "ci_high": 100 * table["mean_change_ci_high"]}).round(2)
    out["sign"] = inequality.change_sign(out["ci_low"], out["ci_high"])
    out.attrs |= {"first": first, "last": last, "units": units, "reps": reps, "level": level,
                  "clusters": int(parts[0].attrs["units"])}
    return out


def _shown_changes(changes: pd.DataFrame, table: pd.DataFrame, total: str) -> pd.DataFrame:
    """The changes of the rows whose first- and last-year cells are shown in ``table`` (a
    suppressed year column hides its change too); ``"_all"`` becomes the total row."""
    first, last = changes.attrs["first"], changes.attrs["last"]
    out = changes.rename(index={"_all": total})
    out = out[out.index.isin(table.index)]
    shown = [_visible(table.at[g, first]) is not None and _visible(table.at[g, last]) is not None
             for g in out.index]
    out = out[shown]
    out.attrs = dict(changes.attrs)
    return out


def _change_note(changes: pd.DataFrame, heading: str, language: Language) -> str:
    """One sentence giving each shown change with its interval and how it was computed."""
    a = changes.attrs
    zh = is_zh(language)
    unit_zh, unit_en = _UNIT_NAMES.get(a["units"], (a["units"], a["units"]))
    items = ("；" if zh else "; ").join(
        f"{g} {r.change:+.2f}（{a['level']:.0%}CI {r.ci_low:+.2f}–{r.ci_high:+.2f}）" if zh else
        f"{g} {r.change:+.2f} ({a['level']:.0%} CI {r.ci_low:+.2f} to {r.ci_high:+.2f})"
        for g, r in changes.iterrows())
    if zh:
        return (f"{heading} {a['first']}→{a['last']} 年变化（百分点）："
                f"{items or '样本过少，不予显示'}。区间按{unit_zh}（{a['clusters']} 个）重抽、"
                f"各年同抽，{a['reps']} 次；区间含 0 的变化称“变化不显著”。")
    return (f"{heading}, change {a['first']}→{a['last']} (points): "
            f"{items or 'too few to show'}. Intervals resample {unit_en} ({a['clusters']}), "
            f"all years together, {a['reps']} replicates; a change whose interval covers 0 is "
            "not significant.")


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

    ``None``/``""`` loads the bundled sample; otherwise the file is read and validated as
    ``linkage ingest`` reads it (:func:`linkage.ingest.load_table`, ``kind="household"``): a
    ``.parquet`` written by ``linkage ingest`` as it is, any other file the kit's readers read
    (CSV in UTF-8 or GBK, Excel, Stata) through the household schema, household ids hashed.
    Tables still holding personal identifiers (身份证号, names, phone numbers) are refused
    (:func:`linkage.privacy.assert_no_identifiers`). Rows are restricted to
    ``start_year ≤ year ≤ end_year``.

    Raises
    ------
    InputError
        File missing or invalid (naming file, row and column), identifiers present, or no year
        in the range.
    """
    source = Path(path) if path else None
    if source is None:
        from linkage.sample import load_sample

        frame = load_sample().households
    elif not source.is_file():
        raise InputError("文件不存在 / file not found", file=source,
                         hint="检查 households 参数，或先运行 linkage ingest")
    else:
        from linkage.ingest import load_table

        frame = load_table(source, kind="household")
    privacy.assert_no_identifiers(frame, where=source)
    if "year" not in frame.columns or "region_code" not in frame.columns:
        raise InputError("农户数据须有 year 与 region_code 列 / year and region_code needed",
                         file=source, column="year" if "year" not in frame.columns
                         else "region_code")
    codes = frame["region_code"]
    frame = frame.assign(region_code=codes.where(codes.isna(), codes.astype(str)))
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
    ``region_code``); with an empty table the codes are used (prefecture = first four digits +
    ``00``). A household whose county is missing from a non-empty table raises, and so does
    one whose county is listed without a name in ``column`` (the message says which of the
    two): it is never labelled by its code silently. A missing ``region_code`` stays missing
    (the tables then raise, or drop it with ``missing="drop"``).

    Examples
    --------
    >>> hh = pd.DataFrame({"region_code": ["990101", "990203"]})
    >>> region_labels(hh, pd.DataFrame()).tolist()
    ['990100', '990200']
    """
    check_option("level", level, RegionLevel)
    require_columns(households, ["region_code"], what="农户数据 / household data")
    codes = households["region_code"]
    column = "prefecture_name" if level == "prefecture" else "region_name"
    if column not in counties.columns:
        names = codes.str[:4] + "00" if level == "prefecture" else codes
        return names.rename("region")
    listed = codes.isin(counties.index)
    names = codes.map(counties[column].where(counties[column].isna(),
                                             counties[column].astype(str)))
    absent = codes.notna() & ~listed
    blank = codes.notna() & listed & names.isna()
    for rows, zh, en, where, hint in (
        (absent, "个县的代码不在县属性表中", "counties missing from the county table",
         "region_code", "补齐县属性表（counties），或不传县表而按代码汇总 / complete the county "
         "table, or pass an empty one to tabulate by code"),
        (blank, f"个县在县属性表中有记录，但 {column} 为空",
         f"counties listed in the county table without a {column}", column,
         f"在县属性表中补齐 {column} / fill in {column} in the county table")):
        if rows.any():
            missing = sorted(codes[rows].unique())
            raise InputError(f"{len(missing)} {zh}（{first_rows(missing)}，共 {int(rows.sum())} "
                             f"行）/ {len(missing)} {en}", column=where, hint=hint)
    return names.rename("region")


def sampling_units(households: pd.DataFrame, regions: pd.Series,
                   cluster: str | None = None) -> str:
    """The column of sampling units (抽样单位) the bootstrap resamples within regions.

    ``cluster`` if given (it must be a column); otherwise ``village_code`` when the data have
    it, else ``region_code`` (counties) when every region holds at least two counties, else
    ``household_id`` (a region that is one county: its households are the units). The
    report's notes say which was used.

    Examples
    --------
    >>> hh = pd.DataFrame({"region_code": ["990101", "990102", "990201", "990201"],
    ...                    "household_id": list("abcd")})
    >>> sampling_units(hh, hh["region_code"].str[:4])
    'household_id'
    >>> sampling_units(hh.iloc[:2], hh["region_code"].str[:4].iloc[:2])
    'region_code'
    """
    if cluster is not None:
        require_columns(households, [cluster], what="农户数据 / household data")
        return cluster
    if "village_code" in households.columns:
        return "village_code"
    per_region = households["region_code"].groupby(regions.to_numpy()).nunique()
    return "region_code" if (per_region >= 2).all() else "household_id"


def _clusters(households: pd.DataFrame, column: str, language: Language) -> pd.Series:
    zh, en = _UNIT_NAMES.get(column, (column, column))
    return households[column].rename(zh if is_zh(language) else en)


def threshold_note(households: pd.DataFrame, *, table: pd.DataFrame | None = None,
                   language: Language = "zh") -> str:
    """One sentence naming the monitoring thresholds used and whether they are assumed.

    From :func:`linkage.monitoring.threshold_lookup` (county → province → national); e.g.
    ``监测收入标准：全国 2025 年 8020 元（假设值）。``
    """
    _check_language(language)
    pairs = households[["region_code", "year"]].drop_duplicates()
    found = monitoring.threshold_lookup(pairs["region_code"], pairs["year"], table)
    found = found.assign(year=pairs["year"].to_numpy()).drop_duplicates(
        ["jurisdiction_code", "year"]).sort_values(["year", "jurisdiction_code"])
    zh = is_zh(language)
    kinds = {"assumed": ("假设值", "assumed"), "reported": ("公布值", "reported")}
    levels = {"national": "national", "province": "province", "county": "county"}
    items = [f"{r.jurisdiction} {r.year} 年 {r.threshold_yuan:,.0f} 元（{kinds[r.value_type][0]}）"
             if zh else f"{levels[r.level]}"
             f"{'' if r.level == 'national' else ' ' + str(r.jurisdiction_code)} {r.year}: "
             f"{r.threshold_yuan:,.0f} yuan ({kinds[r.value_type][1]})"
             for r in found.itertuples()]
    if zh:
        return "监测收入标准：" + "；".join(items) + "。"
    return "Monitoring thresholds: " + "; ".join(items) + "."


# --------------------------------------------------------------------------- monitoring

def monitoring_by_year(households: pd.DataFrame, *, weights: str | None = "weight",
                       per: Per = "person", missing: Missing = "raise", min_cell: int = 10,
                       cluster: str | None = None, reps: int = MIN_REPS,
                       seed: int | None = SEED, level: float = 0.95,
                       language: Language = "zh") -> pd.DataFrame:
    """Monitoring roster by year (监测对象与风险消除，分年): province-level table.

    From :func:`linkage.monitoring.monitoring_summary`: monitored households (sample and
    weighted), their share of the population (per ``per``), weighted households of each
    category, the risk elimination rate per household and per person (the national figures
    are shares of persons), newly identified households and, of those, 脱贫户 (返贫风险 —
    a risk, not a return to poverty).

    The change of the elimination rate (per person) from the first to the last year gets a
    bootstrap interval (sampling units :func:`trend_units` — villages, else counties —
    resampled jointly across years, ``reps``/``seed``/``level``): in ``attrs["change"]``
    (first, last, change, ci_low, ci_high in percentage points, ``sign`` by
    :func:`linkage.inequality.change_sign`) and in the note; the findings call it a rise or
    a fall only when the interval excludes 0.

    Returns
    -------
    DataFrame
        Indexed by year; ``attrs["note"]`` states the units, the change with its interval and
        any rows dropped.
    """
    _check_language(language)
    check_option("per", per, Per)
    w = "" if weights is None else "_w"
    s = monitoring.monitoring_summary(households, by=("year",), weights=weights,
                                      missing=missing)
    unit = "persons" if per == "person" else "households"
    cats = list(monitoring.MONITOR_CATEGORIES[1:])

    def cat(c: str) -> str:
        return f"{label(_CATEGORY_KEYS[c], language)}" + ("(加权户数)" if is_zh(language)
                                                          else " (weighted households)")

    def rate(units: str) -> pd.Series:
        return (100 * s[f"eliminated_{units}{w}"].astype(float)
                / s[f"monitored_{units}{w}"].astype(float)).round(2)

    columns = {
        label("monitored", language): (s["monitored_households"], s["monitored_households"]),
        label("monitored_w", language): (s[f"monitored_households{w}"].astype(float).round(0),
                                         s["monitored_households"]),
        _heading("monitored_share", language, per=per): (
            (100 * s[f"monitored_{unit}{w}"].astype(float)
             / s[f"all_{unit}{w}"].astype(float)).round(2), s["monitored_households"]),
        **{cat(c): (s[f"households_{c}{w}"].astype(float).round(0), s[f"households_{c}"])
           for c in cats},
        _heading("elimination_rate", language, per="household"): (
            rate("households"), np.minimum(s["monitored_households"],
                                           s["eliminated_households"])),
        _heading("elimination_rate", language, per="person"): (
            rate("persons"), np.minimum(s["monitored_households"], s["eliminated_households"])),
        # the first year has no history: "new" is unknown there, not small
        label("new_w", language): (s[f"new_households{w}"].astype(float).round(0),
                                   s["new_households"].fillna(10**9)),
        label("returned_w", language): (s[f"new_exited_households{w}"].astype(float).round(0),
                                        s["new_exited_households"].fillna(10**9)),
    }
    table = pd.DataFrame({k: v[0] for k, v in columns.items()})
    counts = pd.DataFrame({k: v[1] for k, v in columns.items()}).astype(float)
    out = suppress(table, counts, min_cell=min_cell)
    out.index.name = label("year", language)
    first = ("新识别户数在数据第一年未知（没有更早的记录），以“—”表示。" if is_zh(language) else
             "New identifications are unknown in the data's first year (no earlier history): "
             "'—'.")
    keys = ["household_id", "year", "hh_size", "monitor_category", "exited_poor",
            "risk_eliminated"]
    monitored = (households["monitor_category"] != monitoring.MONITOR_CATEGORIES[0]) & (
        households[keys].notna().all(axis=1))
    heading = _heading("elimination_rate", language, per="person")
    total = _total(language)
    rates = out[[heading]].T.set_axis([total])
    change = _shown_changes(_rate_changes(
        households, households["risk_eliminated"].fillna(False), monitored, groups=None,
        weights=weights, per="person", cluster=cluster, reps=reps, seed=seed, level=level,
        missing=missing), rates, total)
    out = _with_note(out, _unit_note(per, language), first,
                     _change_note(change, heading, language),
                     _dropped_note(s.attrs["dropped_rows"], language))
    out.attrs["change"] = change
    out.attrs["first_year_note"] = first
    return out


def elimination_by_group(households: pd.DataFrame, *, by: str | pd.Series,
                         weights: str | None = "weight", per: Per = "person",
                         missing: Missing = "raise", min_cell: int = 10,
                         language: Language = "zh") -> pd.DataFrame:
    """Risk-elimination rate (风险消除率, %) by group × year, suppressed, with a total row.

    ``by`` labels each household row: a column (e.g. ``"monitor_category"``) or an aligned
    Series (e.g. :func:`region_labels`);
    non-monitored households are left out of the rate (they have no risk to eliminate). The
    rate is a share of monitored persons by default (the national unit). A cell rests on
    min(monitored, eliminated) sample households. A missing group raises (or, with
    ``missing="drop"``, is dropped and counted in the note).

    Returns
    -------
    DataFrame
        Rows = groups then the total row, columns = years; weighted rates in %, hidden cells
        ``"<min_cell>"``.
    """
    _check_language(language)
    check_option("per", per, Per)
    groups = _grouping(households, by)
    name = str(groups.name) if groups.name is not None else "group"
    total = _total(language)
    data = households.assign(**{name: groups.to_numpy()}, _all=total)
    w = "" if weights is None else "_w"
    column = "elimination_rate" + ("_persons" if per == "person" else "") + w
    parts, counts, dropped = [], [], 0
    for key in (name, "_all"):
        s = monitoring.monitoring_summary(data, by=(key, "year"), weights=weights,
                                          missing=missing)
        dropped = max(dropped, s.attrs["dropped_rows"])
        s = s[s["monitored_households"] > 0]
        parts.append((100 * s[column]).round(2).unstack("year"))
        counts.append(np.minimum(s["monitored_households"], s["eliminated_households"])
                      .astype(float).unstack("year"))
    table, count = pd.concat(parts), pd.concat(counts).fillna(0.0)
    if not is_zh(language):
        table.index = [label(_CATEGORY_KEYS[g], language) if g in _CATEGORY_KEYS else g
                       for g in table.index]
    table.index.name = label("region", language) if name == "region" else None
    table.columns.name = label("year", language)
    count.index, count.columns = table.index, table.columns
    heading = _heading("elimination_rate", language, per=per)
    return _with_note(suppress(table, count, min_cell=min_cell),
                      f"{heading}。" if is_zh(language) else f"{heading}.",
                      _unit_note(per, language), _dropped_note(dropped, language))


def elimination_comparison(households: pd.DataFrame, *, weights: str | None = "weight",
                           simulated: bool = True, language: Language = "zh") -> pd.DataFrame:
    """Risk elimination: this data by year beside the real national figures (真实 vs 模拟).

    The data rows are the weighted share of monitored *persons* whose risk is eliminated, by
    year (persons because the national figures are; the roster is cumulative, as in the
    national statistics); the real rows are the percentage rows about risk elimination of
    ``monitoring_prevent_return_national`` (国家乡村振兴局, 国新办; 65.7 % in 2022-11 for
    central and western provinces, 60.4 % cumulative in 2024-06), each with its source. The
    two kinds are labelled in the ``data_kind`` column and must not be read as one series.

    Returns
    -------
    DataFrame
        Columns period, indicator, value (%), data kind, source (headings in ``language``);
        ``period`` is a year for the data rows and the reported date for the real ones.
    """
    _check_language(language)
    w = "" if weights is None else "_w"
    s = monitoring.monitoring_summary(households, by=("year",), weights=weights)
    rate = 100 * s[f"elimination_rate_persons{w}"]
    kind = label("simulated" if simulated else "user_data", language)
    own = pd.DataFrame({"period": rate.index.astype(str),
                        "indicator": "监测对象风险消除率（按人，加权）" if is_zh(language)
                        else "Monitored persons with risk eliminated (weighted)",
                        "value_pct": rate.round(2).to_numpy(), "data_kind": kind,
                        "source": "本报告计算" if is_zh(language) else "computed here"})
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
    _check_language(language)
    kind, value = label("data_kind", language), label("value_pct", language)
    period = label("period", language)
    real_label = label("real", language)
    own = comparison[comparison[kind] != real_label]
    real = comparison[comparison[kind] == real_label]
    frame = pd.DataFrame({"x": own[period].map(_fractional_year), "y": own[value],
                          "series": own[kind].iloc[0] if len(own) else ""})
    fig = _elimination_lines(frame, real[period].to_numpy(), real[value].to_numpy(),
                             real[label("indicator", language)].to_numpy(), language=language)
    fig.axes[0].set_title("监测对象风险消除率（按人）" if is_zh(language)
                          else "Risk elimination among monitored persons")
    source = ("真实点：国家乡村振兴局、国新办（经转载页面），见 data/raw/reference/SOURCES.md。"
              if is_zh(language) else "Real points: National Rural Revitalization "
              "Administration, State Council Information Office (as republished); see "
              "data/raw/reference/SOURCES.md.")
    plotting.add_source_note(fig, source + ("\n" + note if note else ""))
    return fig


def _elimination_lines(frame: pd.DataFrame, periods: np.ndarray, values: np.ndarray,
                       names: np.ndarray, *, language: Language) -> Figure:
    """Lines of elimination rates (``frame``: x = fractional year, y = %, series) with the
    real national figures as labelled points at their reported dates (not joined: their
    scopes differ); no title and no source inside the figure."""
    value = label("value_pct", language)
    fig = plotting.line_chart(frame, x="x", y="y", hue="series",
                              xlabel=label("year", language), ylabel=value)
    ax = fig.axes[0]
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if ax.get_legend() is not None:
        ax.get_legend().set_title(None)
    xs = np.array([_fractional_year(str(p)) for p in periods])
    if len(xs):
        ax.scatter(xs, values, marker="D", color="C3", zorder=3, label=label("real", language))
        for x, y, text in zip(xs, values, names, strict=True):
            ax.annotate(f"{text} {y:g}%", (x, y), textcoords="offset points", xytext=(4, 6),
                        fontsize=7, color="C3")
    ax.legend()
    return fig


# --------------------------------------------------------------------------- transitions

#: Flows reported by :func:`transition_flows`: label key → (from status, to status).
FLOWS: dict[str, tuple[str, str]] = {
    "flow_exited_in": ("脱贫户·稳定", "脱贫户·风险"),
    "flow_other_in": ("一般农户·稳定", "一般农户·风险"),
    "flow_exited_out": ("脱贫户·风险", "脱贫户·稳定"),
    "flow_other_out": ("一般农户·风险", "一般农户·稳定"),
}


def _status_note(language: Language) -> str:
    if is_zh(language):
        return ("“风险”= 收入低于当年监测收入标准，或在监测名单中且风险未消除；“转入风险”是返贫、"
                "致贫的风险，不是登记的返贫致贫（后者见县域面板的“返贫致贫人口占脱贫人口比重”，‰）。")
    return ("'At risk' = income below the year's monitoring threshold, or on the roster with the "
            "risk not eliminated; 'entering risk' is the risk of returning to or falling into "
            "poverty, not the registered return (the county panel's per-mille indicator).")


def transition_flows(households: pd.DataFrame, *, weights: str | None = "weight",
                     per: Per = "person", thresholds: pd.DataFrame | None = None,
                     min_cell: int = 10, language: Language = "zh") -> pd.DataFrame:
    """Flows into and out of risk between consecutive years (转入风险与风险解除比例).

    Statuses are :func:`linkage.dynamics.risk_status` (income below the monitoring threshold or
    on the roster with risk not eliminated = 风险); each flow is the weighted share (of persons
    by default) in the first-year status that is in the second-year status a year later
    (:data:`FLOWS`: 脱贫户 / 一般农户 stable → at risk = entering risk, the *risk* of 返贫 /
    致贫; at risk → stable = leaving risk). A cell rests on min(households making the move,
    households in the first-year status).

    Returns
    -------
    DataFrame
        Indexed by ``"2021→2022"`` …, one column per flow (%), suppressed.
    """
    _check_language(language)
    status = dynamics.risk_status(households, thresholds)
    weighted = dynamics.transitions(households, status=status, weights=weights, per=per)
    counts = dynamics.transitions(households, status=status)
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
        heading = _heading(name, language, per=per)
        rates[heading] = (100 * part["rate"]).round(2)
        cells[heading] = np.minimum(counts[pick], row_totals[pick]).droplevel(
            ["from_status", "to_status"])
    table, count = pd.DataFrame(rates), pd.DataFrame(cells)
    labels = [f"{a}→{b}" for a, b in table.index]
    table.index = count.index = pd.Index(labels, name=label("period", language))
    return _with_note(suppress(table, count.fillna(0.0), min_cell=min_cell),
                      _unit_note(per, language), _status_note(language))


def transition_table(households: pd.DataFrame, *, from_year: int, to_year: int,
                     weights: str | None = "weight", per: Per = "person",
                     thresholds: pd.DataFrame | None = None, min_cell: int = 10,
                     language: Language = "zh") -> pd.DataFrame:
    """Transition matrix between two years (状态转移矩阵, 行百分比 %), suppressed.

    Weighted row shares (of persons by default) of :func:`linkage.dynamics.transition_matrix`
    over the :func:`linkage.dynamics.risk_status` statuses; a cell rests on the unweighted
    households making that move (so empty cells, including structurally impossible moves such
    as 脱贫户 → 一般农户, are hidden too). The attrition row/column (未观测) is shown only when
    some household is in it.
    """
    _check_language(language)
    status = dynamics.risk_status(households, thresholds)
    rates = dynamics.transition_matrix(households, status=status, from_year=from_year,
                                       to_year=to_year, weights=weights, per=per).rates
    counts = dynamics.transition_matrix(households, status=status, from_year=from_year,
                                        to_year=to_year).counts
    keep_rows = counts.sum(axis=1) > 0
    keep_cols = counts.sum(axis=0) > 0
    rates = (100 * rates.loc[keep_rows, keep_cols]).round(2)
    counts = counts.loc[keep_rows, keep_cols]

    def names(index: pd.Index) -> list[str]:
        return [label(_STATUS_KEYS[s], language) for s in index]

    rates.index, rates.columns = names(rates.index), names(rates.columns)
    if is_zh(language):
        rates.index.name, rates.columns.name = f"{from_year}年状态", f"{to_year}年状态"
    else:
        rates.index.name, rates.columns.name = f"Status {from_year}", f"Status {to_year}"
    counts.index, counts.columns = rates.index, rates.columns
    heading = ("行百分比" if is_zh(language) else "Row percentages") + (
        f"（{unit_name(per, language)}）" if is_zh(language)
        else f" ({unit_name(per, language)}).")
    return _with_note(suppress(rates, counts, min_cell=min_cell), heading,
                      _status_note(language))


# --------------------------------------------------------------------------- poverty

@dataclass(frozen=True)
class DeprivationTables:
    """Alkire–Foster results for the report (多维贫困报告表).

    Attributes
    ----------
    result : AlkireFosterResult
        The province-wide measures (:func:`linkage.poverty.alkire_foster`), per ``per``.
    by_region : DataFrame
        Per region and total: sample households, the share failing any of 两不愁三保障 +
        饮水安全 (the union rule of the national standard) with its interval, H (%) at ``k``
        and M0 with bootstrap intervals, A (%), suppressed; ``attrs["note"]`` states unit,
        the two rules and inference.
    censored : DataFrame
        Censored headcount ratios (%) by region × indicator, suppressed.
    indicators : DataFrame
        Per indicator: weight, uncensored and censored headcounts (%), percentage
        contribution to M0 (%), suppressed.
    bootstrap : dict of str → BootstrapResult
        ``"union"`` (share failing any guarantee), ``"H"`` and ``"M0"`` by region (and the
        total row), from the same design.
    per : {"person", "household"}
    k : float
    rule : str
        What k means for the specification, in words
        (:meth:`linkage.poverty.AFSpec.identification_rule`).
    union_rule : str
        What the union-rule share counts, in words.
    """

    result: poverty.AlkireFosterResult
    by_region: pd.DataFrame
    censored: pd.DataFrame
    indicators: pd.DataFrame
    bootstrap: dict[str, BootstrapResult]
    per: Per
    k: float
    rule: str
    union_rule: str

    def to_frame(self) -> pd.DataFrame:
        """The region table."""
        return self.by_region

    def summary(self, language: Language = "zh") -> str:
        """What the union-rule share counts, then the sentence of the findings: the union
        share and H at k with their intervals, A, M0 and the largest contribution — read from
        the suppressed region table's total row, so nothing hidden there is printed here."""
        _check_language(language)
        return "\n".join([self.union_rule, _af_sentence(self, language) or ""]).strip()


def _grouping(households: pd.DataFrame, by: str | pd.Series) -> pd.Series:
    """The ``by`` labels per household row: a column of ``households`` (which must exist) or
    a Series aligned with it (e.g. :func:`region_labels`), as text where present."""
    if not isinstance(by, str | pd.Series):
        raise InputError("by 应为列名或与数据对齐的 Series / by must be a column name or an "
                         "aligned Series", column="by")
    labels = aligned(column_or_series(households, by), households.index, "by")
    return labels.where(labels.isna(), labels.astype(str))


def multidimensional_poverty(households: pd.DataFrame, *, by: str | pd.Series,
                             income_line: float | pd.Series | Mapping[int, float], k: float,
                             per: Per = "person", weights: str | None = "weight",
                             cluster: str | None = None, reps: int = MIN_REPS,
                             level: float = 0.95, seed: int | None = SEED,
                             min_cell: int = 10, language: Language = "zh"
                             ) -> DeprivationTables:
    """Alkire–Foster poverty on 两不愁三保障 + 饮水安全 + 收入 by region, with bootstrap CIs.

    :data:`linkage.poverty.DEFAULT_AF_SPEC` (equal nested weights), poverty cutoff ``k`` (see
    :meth:`linkage.poverty.AFSpec.identification_rule` for what it means), rates per person by
    default.

    Beside H the table gives the share of the population failing **any** of the guarantees
    两不愁三保障 + 饮水安全 (吃穿、义务教育、基本医疗、住房安全、饮水安全): the national
    standard is a union rule — one unmet guarantee means the standard is not met — while the
    AF headcount H at ``k`` (e.g. 1/3: at least two of the four dimensions deprived, income
    being one of them) is a different, multidimensional measure. The two are shown side by
    side so that neither is read as the other; income below the monitoring threshold is the
    FGT table's (:func:`fgt_by_region`).

    Intervals of the union share, H and M0: Rao–Wu bootstrap of the sampling units
    (:func:`sampling_units`) within regions, ``reps`` replicates; the total row comes from the
    same replicates. Pass one cross-section (one year). Cells rest on min(households,
    multidimensionally poor households); indicator cells on min(households deprived and poor).

    Parameters
    ----------
    households : DataFrame
        One year of the household panel.
    by : str or Series
        Region label per row: a column, or an aligned Series (:func:`region_labels`);
        missing labels raise.
    income_line : float, Series or mapping year → float
        Income deprivation cutoff (元/人·年), e.g. :func:`linkage.monitoring.threshold_for`.
    k : float
        Poverty cutoff in (0, 1] (share of total weight).
    per : {"person", "household"}, default "person"
    weights : str or None
        Survey-weight column.
    cluster : str, optional
        Sampling-unit column; default :func:`sampling_units`' choice.
    reps, level, seed
        Bootstrap replicates (default 999), confidence level, seed.
    min_cell : int
    """
    _check_language(language)
    spec = poverty.DEFAULT_AF_SPEC
    inputs = poverty.af_inputs(households, income_line=income_line, weights=weights, per=per)
    region = _grouping(households, by)
    total = _total(language)
    units = sampling_units(households, region, cluster)
    clusters = _clusters(households, units, language)
    stats = poverty.AFStats.from_data(inputs.data, inputs.cutoffs, inputs.weights, k, by=region,
                                      sample_weight=inputs.sample_weight)
    raw = poverty.AFStats.from_data(inputs.data, inputs.cutoffs, inputs.weights, k, by=region)
    result = stats.result()
    boot = {m: poverty.af_bootstrap_ci(inputs.data, inputs.cutoffs, inputs.weights, k, by=region,
                                       measure=m, sample_weight=inputs.sample_weight,
                                       cluster=clusters, total=total, reps=reps, level=level,
                                       seed=seed)
            for m in ("H", "M0")}
    # the union rule of the national standard: any of the status indicators (the guarantees)
    status = [i.id for i in spec.indicators if i.kind == "status"]
    union_w = pd.Series(1 / len(status), index=status)
    union_k = float(union_w.min())
    boot["union"] = poverty.af_bootstrap_ci(
        inputs.data[status], {j: inputs.cutoffs[j] for j in status}, union_w, union_k,
        by=region, measure="H", sample_weight=inputs.sample_weight, cluster=clusters,
        total=total, reps=reps, level=level, seed=seed)
    failing = ~inputs.data[status].astype(bool).all(axis=1)
    ci = {m: b.to_frame() for m, b in boot.items()}
    a = result.by_group["A"].copy()
    a[total] = result.A

    def pct(x: pd.Series) -> pd.Series:
        return (100 * x).round(2)

    table = pd.DataFrame({
        label("households", language): pd.Series(raw.n, index=raw.groups).reindex(
            ci["H"].index).fillna(result.n).astype(int),
        _heading("union_share", language, per=per): pct(ci["union"]["estimate"]),
        _ci_heading("union_share", "ci_lower", level, language, per=per):
            pct(ci["union"]["lower"]),
        _ci_heading("union_share", "ci_upper", level, language, per=per):
            pct(ci["union"]["upper"]),
        _heading("H", language, per=per): pct(ci["H"]["estimate"]),
        _ci_heading("H", "ci_lower", level, language, per=per): pct(ci["H"]["lower"]),
        _ci_heading("H", "ci_upper", level, language, per=per): pct(ci["H"]["upper"]),
        _heading("A", language, per=per): pct(a.reindex(ci["H"].index)),
        _heading("M0", language, per=per, percent=False): ci["M0"]["estimate"].round(4),
        _ci_heading("M0", "ci_lower", level, language, per=per, percent=False):
            ci["M0"]["lower"].round(4),
        _ci_heading("M0", "ci_upper", level, language, per=per, percent=False):
            ci["M0"]["upper"].round(4)})
    poor = pd.Series(raw.poor, index=raw.groups)
    poor[total] = raw.poor.sum()
    fail = failing.groupby(region).sum()
    fail[total] = failing.sum()
    n = table.iloc[:, 0].astype(float)
    count = pd.DataFrame({c: np.minimum(n, poor.reindex(table.index)) for c in table.columns},
                         index=table.index)
    count.iloc[:, 0] = n
    failing_cells = np.minimum(n, fail.reindex(table.index).astype(float))
    for column in table.columns[1:4]:  # the union share and its interval
        count[column] = failing_cells
    names = spec.names(language)
    censored = pd.DataFrame(100 * stats.censored / stats.population[:, None],
                            index=stats.groups, columns=names[list(stats.indicators)]).round(2)
    censored.loc[total] = (100 * result.censored_headcounts.to_numpy()).round(2)
    censored.columns.name = label("indicator", language)
    cells = pd.DataFrame(raw.censored, index=raw.groups, columns=censored.columns)
    cells.loc[total] = raw.censored.sum(axis=0)
    indicators = pd.DataFrame({
        label("weight", language): result.weights.round(4),
        _heading("uncensored", language, per=per): pct(result.uncensored_headcounts),
        _heading("censored", language, per=per): pct(result.censored_headcounts),
        _heading("contribution", language): pct(result.contributions)})
    indicators.index = names[indicators.index].to_numpy()
    indicators.index.name = label("indicator", language)
    ind_counts = pd.DataFrame(dict(zip(indicators.columns, [
        10**9, raw.uncensored.sum(axis=0), raw.censored.sum(axis=0), raw.censored.sum(axis=0)],
        strict=True)), index=indicators.index, dtype=float)
    rule = spec.identification_rule(k, language)
    names_zh = "、".join(names[j] for j in status)
    union_rule = (f"“任一项未达标比例”按国家“两不愁三保障”（含饮水安全）标准的并集规则计算："
                  f"{names_zh}中任一项未保障即为未达标；H 是 k 下的 AF 多维贫困发生率，另一种测度。"
                  if is_zh(language) else
                  "'Failing any guarantee' applies the union rule of the national 'two "
                  "assurances, three guarantees' standard (with safe drinking water): one "
                  f"unmet guarantee of {', '.join(names[j] for j in status)} means the "
                  "standard is not met; H is the AF multidimensional headcount at k, a "
                  "different measure.")
    out = suppress(table, count, min_cell=min_cell)
    out.index.name = censored.index.name = label("region", language)
    note = [_unit_note(per, language), union_rule, rule, boot["M0"].summary(language)]
    return DeprivationTables(
        result=result, by_region=_with_note(out, *note),
        censored=_with_note(suppress(censored, cells.reindex(censored.index), min_cell=min_cell),
                            _unit_note(per, language)),
        indicators=_with_note(suppress(indicators, ind_counts, min_cell=min_cell),
                              _unit_note(per, language)),
        bootstrap=boot, per=per, k=float(k), rule=rule, union_rule=union_rule)


def contribution_figure(deprivation: DeprivationTables, *, year: int, note: str = "",
                        language: Language = "zh") -> Figure:
    """Bar chart of each indicator's percentage contribution to M0 (各指标对 M0 的贡献)."""
    _check_language(language)
    title = (f"各指标对 M0 的贡献（{year} 年，按{unit_name(deprivation.per, language)}）"
             if is_zh(language) else f"Contributions to M0 ({year}, "
             f"{unit_name(deprivation.per, language)})")
    fig = _contribution_bars(deprivation, language)
    fig.axes[0].set_title(title)
    default = ("资料来源：农户监测数据。" if is_zh(language)
               else "Source: household monitoring data.")
    return plotting.add_source_note(fig, note or default)


def _contribution_bars(deprivation: DeprivationTables, language: Language) -> Figure:
    """Horizontal bars of the indicators' contributions to M0 (%), no title or source."""
    names = poverty.DEFAULT_AF_SPEC.names(language)
    contrib = (100 * deprivation.result.contributions).rename(index=names)
    contrib = contrib.rename(_heading("contribution", language))
    contrib.index.name = label("indicator", language)
    return plotting.bar_chart(contrib, horizontal=True)


@dataclass(frozen=True)
class RegionalPoverty:
    """FGT by region against the monitoring threshold (分地区收入贫困表).

    Attributes
    ----------
    table : DataFrame
        Per region and total: sample households, FGT0 with its interval, FGT1, FGT2 (%),
        suppressed; ``attrs["note"]`` states unit and inference.
    bootstrap : BootstrapResult
        FGT0 replicates by region and for the total row (shares, not %).
    per : {"person", "household"}
    """

    table: pd.DataFrame
    bootstrap: BootstrapResult
    per: Per

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def summary(self, language: Language = "zh") -> str:
        """The total share below the threshold with its interval and the regional comparison
        (the sentence of the findings)."""
        return _fgt_sentence(self, language) or ""

    def comparison(self, language: Language = "zh") -> pd.Series | None:
        """The highest and the lowest *shown* region (suppressed cells are never compared)
        and their FGT0 difference in percentage points, with a bootstrap interval that is
        simultaneous over all pairs of shown regions (the two were picked by their values:
        :meth:`linkage.poverty.BootstrapResult.contrast` with ``among``).

        Returns
        -------
        pandas.Series or None
            ``high, low, high_value, low_value, difference, lower, upper, pairs`` (None when
            fewer than two regions are shown).
        """
        column = self.table[_heading("FGT0", language, per=self.per)]
        shown = column.drop(_total(language), errors="ignore").map(_visible).dropna()
        if len(shown) < 2:
            return None
        high, low = shown.idxmax(), shown.idxmin()
        diff = self.bootstrap.contrast(high, low, among=list(shown.index))
        return pd.Series({"high": high, "low": low, "high_value": shown[high],
                          "low_value": shown[low], "difference": 100 * diff["estimate"],
                          "lower": 100 * diff["lower"], "upper": 100 * diff["upper"],
                          "pairs": int(diff["pairs"])})


def fgt_by_region(households: pd.DataFrame, *, by: str | pd.Series,
                  line: float | pd.Series, per: Per = "person", weights: str | None = "weight",
                  cluster: str | None = None, reps: int = MIN_REPS, level: float = 0.95,
                  seed: int | None = SEED, min_cell: int = 10,
                  language: Language = "zh") -> RegionalPoverty:
    """FGT0/1/2 by region against the monitoring threshold (低于监测标准比例), with CIs.

    :func:`linkage.poverty.fgt_by_group` (Foster, Greer & Thorbecke 1984) on ``income_pc``
    against ``line`` (元/人·年, e.g. :func:`linkage.monitoring.threshold_for`), rates per
    person by default. The line is the *monitoring threshold*, not a poverty line, so FGT0 is
    the share below the monitoring threshold (低于监测标准比例), not 贫困发生率. FGT0 intervals:
    Rao–Wu bootstrap of the sampling units (:func:`sampling_units`) within regions; the total
    row and the comparison of regions (:meth:`RegionalPoverty.comparison`) come from the same
    replicates. Pass one cross-section. Cells rest on min(households, poor households).

    Returns
    -------
    RegionalPoverty
    """
    _check_language(language)
    check_option("per", per, Per)
    income = households["income_pc"]
    v = pd.Series(poverty.unit_weights(households, weights, per=per), index=households.index)
    region = _grouping(households, by)
    total = _total(language)
    units = sampling_units(households, region, cluster)
    boot = poverty.fgt_bootstrap_ci(income, line, by=region, weights=v,
                                    cluster=_clusters(households, units, language), total=total,
                                    reps=reps, level=level, seed=seed)
    ci = boot.to_frame()
    groups = poverty.fgt_by_group(income, line, groups=region, weights=v)
    pooled = poverty.fgt_by_group(income, line, groups=pd.Series(total, index=income.index),
                                  weights=v)
    both = pd.concat([groups, pooled])
    n = both["n"].astype(float)
    table = pd.DataFrame({
        label("households", language): both["n"],
        _heading("FGT0", language, per=per): (100 * ci["estimate"]).round(2),
        _ci_heading("FGT0", "ci_lower", level, language, per=per): (100 * ci["lower"]).round(2),
        _ci_heading("FGT0", "ci_upper", level, language, per=per): (100 * ci["upper"]).round(2),
        _heading("FGT1", language, per=per): (100 * both["FGT1"]).round(2),
        _heading("FGT2", language, per=per): (100 * both["FGT2"]).round(2)})
    poor_rows = pd.Series((income < line).to_numpy(), index=households.index)
    poor = pd.concat([poor_rows.groupby(region).sum(), pd.Series({total: poor_rows.sum()})])
    count = pd.DataFrame({c: np.minimum(n, poor.reindex(table.index)) for c in table.columns})
    count.iloc[:, 0] = n
    out = suppress(table, count, min_cell=min_cell)
    out.index.name = label("region", language)
    line_note = ("贫困线为当年监测收入标准（不是国家贫困线），FGT0 即低于监测标准的比例。"
                 if is_zh(language) else "The line is the year's monitoring threshold (not a "
                 "poverty line): FGT0 is the share below the monitoring threshold.")
    return RegionalPoverty(_with_note(out, _unit_note(per, language), line_note,
                                      boot.summary(language)), boot, per)


def _vulnerability_headings(threshold: float, per: Per, language: Language) -> dict[str, str]:
    keys = ("poverty_rate", "mean_vulnerability", "vulnerable", "relative",
            "vulnerable_not_poor", "relative_not_poor")
    out = {k: _heading(k, language, per=per) for k in keys}
    name = label("vulnerable", language)
    out["vulnerable"] = out["vulnerable"].replace(
        name, f"{name}(v≥{threshold:g})" if is_zh(language) else f"{name} (v ≥ {threshold:g})")
    return out


def vulnerability_by_region(households: pd.DataFrame, *, by: str | pd.Series,
                            line: float | pd.Series, threshold: float = 0.5,
                            per: Per = "person", weights: str | None = "weight",
                            min_cell: int = 10, language: Language = "zh"
                            ) -> tuple[VulnerabilityResult, pd.DataFrame]:
    """Vulnerability to poverty by region (贫困脆弱性，分地区), with "vulnerable but not poor".

    :func:`linkage.vulnerability.vulnerability` (Chaudhuri, Jalan & Suryahadi 2002, three-step
    FGLS) of ``income_pc`` on :func:`linkage.vulnerability.household_design` (household size,
    labour, 脱贫户, shocks, prefecture dummies) against ``line``. The table gives, per region
    and total, the share currently below the line, mean vulnerability, the shares highly
    vulnerable (v ≥ ``threshold``) and relatively vulnerable (v ≥ the current share below the
    line, CJS's relative threshold), and each of those that is *not* currently below the line
    — the people a poverty count misses; each share is of all persons (``per``), in %. No
    intervals: the regional shares are not compared in the findings. A cell rests on
    min(households, households with the property).

    Returns
    -------
    (VulnerabilityResult, DataFrame)
    """
    _check_language(language)
    result = vulnerability(households, "income_pc", household_design(households), line,
                           threshold=threshold, weights=weights, per=per)
    return result, _vulnerability_table(result.to_frame(), households, by=by,
                                        threshold=threshold, per=per, weights=weights,
                                        min_cell=min_cell, language=language)


def _vulnerability_table(flags: pd.DataFrame, households: pd.DataFrame, *,
                         by: str | pd.Series, threshold: float, per: Per,
                         weights: str | None, min_cell: int, language: Language
                         ) -> pd.DataFrame:
    """The region table of :func:`vulnerability_by_region` from per-household ``flags``
    (:meth:`linkage.vulnerability.VulnerabilityResult.to_frame`, indexed like
    ``households``), so a model fitted once on the province serves any subset of it."""
    not_poor = ~flags["poor"]
    props = pd.DataFrame({
        "poverty_rate": flags["poor"], "mean_vulnerability": flags["vulnerability"],
        "vulnerable": flags["vulnerable"], "relative": flags["relatively_vulnerable"],
        "vulnerable_not_poor": flags["vulnerable"] & not_poor,
        "relative_not_poor": flags["relatively_vulnerable"] & not_poor}).astype(float)
    w = pd.Series(poverty.unit_weights(households, weights, per=per), index=households.index)
    region = _grouping(households, by)
    total = pd.Series(_total(language), index=households.index)
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
    headings = {"households": label("households", language),
                **_vulnerability_headings(threshold, per, language)}
    table, count = table.rename(columns=headings), count.rename(columns=headings)
    out = suppress(table, count[table.columns], min_cell=min_cell)
    out.index.name = label("region", language)
    define = ("脆弱性 v = 未来收入低于监测标准的概率；“高脆弱”指 v ≥ "
              f"{threshold:g}，“相对脆弱”指 v ≥ 当前低于标准的比例；“…且当前不低于标准”均为占全部"
              "人口（户）的比例。" if is_zh(language) else "Vulnerability v = probability of "
              f"income below the threshold; highly vulnerable: v ≥ {threshold:g}; relatively "
              "vulnerable: v ≥ the current share below it; the 'not below' shares are shares of "
              "everyone.")
    return _with_note(out, _unit_note(per, language), define)


def dependence_table(households: pd.DataFrame, *, threshold: float = 0.5, min_labour: int = 1,
                     per: Per = "household", weights: str | None = "weight",
                     min_cell: int = 10, cluster: str | None = None, reps: int = MIN_REPS,
                     seed: int | None = SEED, level: float = 0.95,
                     language: Language = "zh") -> pd.DataFrame:
    """Transfer dependence among households able to work, by household type × year (福利陷阱).

    :func:`linkage.income.transfer_dependence`: households with ≥ ``min_labour`` labourers whose
    transfer income is ≥ ``threshold`` of gross income. Types: 脱贫户 and 一般农户, plus the
    total. Rates per household by default (labour capacity and transfers are household
    properties), weighted, in %; a cell rests on min(assessed, dependent) households.

    The change of each row from the first to the last year gets a bootstrap interval
    (sampling units :func:`trend_units` resampled jointly across years; ``reps``/``seed``/
    ``level``), in ``attrs["change"]`` and the note, as in :func:`monitoring_by_year`: the
    welfare-trap warning of the findings needs a rise whose interval excludes 0.

    Returns
    -------
    DataFrame
        Rows = household types and total, columns = years.
    """
    _check_language(language)
    exited, other = label("exited_households", language), label("other_households", language)
    kind = np.where(households["exited_poor"].astype(bool), exited, other)
    data = households.assign(_type=kind, _all=_total(language))
    tables, counts = [], []
    for by in ("_type", "_all"):
        rates = transfer_dependence(data, threshold=threshold, min_labour=min_labour,
                                    by=[by, "year"], weights=weights, per=per).rates
        tables.append((100 * rates["rate"]).round(2).unstack("year"))
        counts.append(np.minimum(rates["assessed"], rates["dependent"]).astype(float)
                      .unstack("year"))
    table, count = pd.concat(tables), pd.concat(counts)
    table.index.name = label("group", language)
    table.columns.name = label("year", language)
    count.index, count.columns = table.index, table.columns
    heading = _heading("dependence_rate", language, per=per)
    out = suppress(table, count, min_cell=min_cell)
    flags = transfer_dependence(data, threshold=threshold, min_labour=min_labour).flags
    change = _shown_changes(_rate_changes(
        data, flags.fillna(False), flags.notna(), groups=pd.Series(kind, index=data.index),
        weights=weights, per=per, cluster=cluster, reps=reps, seed=seed, level=level),
        out, _total(language))
    out = _with_note(out, f"{heading}：" + ("有劳动力农户中转移净收入占毛收入 "
                                          f"≥ {threshold:.0%} 的比例。" if is_zh(language) else
                                          f"share of able-bodied households with transfers ≥ "
                                          f"{threshold:.0%} of gross income."),
                     _change_note(change, heading, language))
    out.attrs["change"] = change
    return out


# --------------------------------------------------------------------------- narrative

def _change_of(table: pd.DataFrame, language: Language) -> pd.Series | None:
    """The total row's change with its interval (``attrs["change"]`` of a table, the level
    added), or None when the table has none (suppressed, or not computed)."""
    change = table.attrs.get("change")
    total = _total(language)
    if change is None or total not in change.index:
        return None
    row = change.loc[total].copy()
    row["level"] = change.attrs.get("level", 0.95)
    return row


def _interval_text(change: pd.Series, language: Language) -> str:
    """``+2.72 个百分点，95%CI -1.06–+6.41`` / ``+2.72 points, 95% CI -1.06 to +6.41``."""
    if is_zh(language):
        return (f"{change['change']:+.2f} 个百分点，{change['level']:.0%}CI "
                f"{change['ci_low']:+.2f}–{change['ci_high']:+.2f}")
    return (f"{change['change']:+.2f} points, {change['level']:.0%} CI "
            f"{change['ci_low']:+.2f} to {change['ci_high']:+.2f}")


def _direction(change: pd.Series | None) -> int | None:
    """+1 / −1 when the interval of the change excludes 0 (rose / fell), 0 when it covers 0,
    None when there is no change to judge (:func:`linkage.inequality.change_sign`)."""
    return None if change is None else int(change["sign"])


def _roster_sentence(by_year: pd.DataFrame, per: Per, language: Language, *,
                     reference: str | None = None) -> str | None:
    share = by_year[_heading("monitored_share", language, per=per)].map(_visible).dropna()
    rate = by_year[_heading("elimination_rate", language, per="person")].map(_visible).dropna()
    if not len(share) or not len(rate):
        return None
    first, last = rate.index[0], rate.index[-1]
    change = _change_of(by_year, language)
    sign = _direction(change)
    unit = unit_name(per, language)
    if is_zh(language):
        verb = {1: "上升至", -1: "下降至"}.get(sign, "变为")
        detail = "" if change is None else (
            f"（{_interval_text(change, language)}" + ("，变化不显著）" if sign == 0 else "）"))
        return (f"监测对象占农村人口的比重（按{unit}，加权）在 {share.index[-1]} 年为 "
                f"{share.iloc[-1]:.2f}%；监测对象中风险已消除的人口比例由 {first} 年的 "
                f"{rate.iloc[0]:.1f}% {verb} {last} 年的 {rate.iloc[-1]:.1f}%{detail}（全国 2024 年"
                f" 6 月累计为 60.4%，见{reference or '真实统计对照表'}）。")
    verb = {1: "rose", -1: "fell"}.get(sign, "moved")
    detail = "" if change is None else (
        f" ({_interval_text(change, language)}"
        + ("; no significant change)" if sign == 0 else ")"))
    return (f"Monitored {unit} made up {share.iloc[-1]:.2f}% of the rural population in "
            f"{share.index[-1]} (weighted); the share of monitored persons whose risk is "
            f"eliminated {verb} from {rate.iloc[0]:.1f}% in {first} to {rate.iloc[-1]:.1f}% in "
            f"{last}{detail} (nationally 60.4% cumulative in June 2024; see "
            f"{reference or 'the comparison table'}).")


def _flow_sentence(flows: pd.DataFrame, per: Per, language: Language) -> str | None:
    back = flows[_heading("flow_exited_in", language, per=per)].map(_visible).dropna()
    new = flows[_heading("flow_other_in", language, per=per)].map(_visible).dropna()
    if not len(back) or back.index[-1] not in new.index:
        return None
    period = back.index[-1]
    b, n = back.iloc[-1], new[period]
    unit = unit_name(per, language)
    if is_zh(language):
        order = "高于" if b > n else "低于" if b < n else "等于"
        return (f"{period}，上年稳定的脱贫户中有 {b:.2f}%（按{unit}）转入风险状态"
                f"（收入低于监测标准，或被纳入监测且风险未消除），一般农户为 {n:.2f}%，"
                f"脱贫户转入风险的比例{order}一般农户。"
                "这是返贫、致贫的风险，不是返贫本身：登记的返贫致贫人口（县域面板“返贫致贫人口占脱贫"
                "人口比重”，以 ‰ 计）是少得多的另一种统计，二者不可混称。")
    order = "higher than" if b > n else "lower than" if b < n else "equal to"
    return (f"In {period}, {b:.2f}% of the exited-poor who were stable a year earlier entered "
            f"risk ({unit}; income below the monitoring threshold, or on the roster with the "
            f"risk not eliminated), against {n:.2f}% of other households: {order} them. This is "
            "the risk of returning to poverty, not the return itself: registered returns (the "
            "county panel's per-mille indicator) are a different, much rarer count.")


def _af_sentence(deprivation: DeprivationTables, language: Language) -> str | None:
    """The union-rule share of the national standard and the AF headcount H at k, both from
    the region table's total row, named as the different measures they are."""
    table, per, r = deprivation.by_region, deprivation.per, deprivation.result
    total = _total(language)
    if total not in table.index:
        return None
    level = deprivation.bootstrap["H"].level
    row = table.loc[total]

    def cell(key: str, side: str | None = None) -> float | None:
        column = (_heading(key, language, per=per) if side is None
                  else _ci_heading(key, side, level, language, per=per))
        return _visible(row[column])

    union = [cell("union_share"), cell("union_share", "ci_lower"),
             cell("union_share", "ci_upper")]
    h = [cell("H"), cell("H", "ci_lower"), cell("H", "ci_upper")]
    top = r.contributions.sort_values(ascending=False)
    names = poverty.DEFAULT_AF_SPEC.names(language)
    lead = names.get(top.index[0], top.index[0])
    unit = unit_name(per, language)
    zh = is_zh(language)
    if None in union:
        first = ("按国家“两不愁三保障”标准（含饮水安全）任一项未达标的比例样本过少，不予显示" if zh
                 else "the share failing any guarantee of the national standard is too small "
                 "a sample to show")
    else:
        first = (f"按国家“两不愁三保障”标准（含饮水安全），任一项未保障即未达标（并集规则），"
                 f"按{unit}计未达标比例为 {union[0]:.2f}%（{level:.0%}CI {union[1]:.2f}–"
                 f"{union[2]:.2f}%）" if zh else
                 f"under the national 'two assurances, three guarantees' standard (with safe "
                 f"drinking water) one unmet guarantee means the standard is not met (a union "
                 f"rule): {union[0]:.2f}% of {unit} fail it ({level:.0%} CI {union[1]:.2f}–"
                 f"{union[2]:.2f}%)")
    if None in h:
        second = ("多维贫困发生率 H 样本过少，不予显示" if zh else
                  "the multidimensional headcount H is too small a sample to show")
    else:
        second = (f"多维贫困发生率 H = {h[0]:.2f}%（{level:.0%}CI {h[1]:.2f}–{h[2]:.2f}%），"
                  f"平均剥夺强度 A = {100 * r.A:.1f}%，M0 = {r.M0:.4f}；对 M0 贡献最大的指标是"
                  f"“{lead}”（{100 * top.iloc[0]:.1f}%）" if zh else
                  f"H = {h[0]:.2f}% ({level:.0%} CI {h[1]:.2f}–{h[2]:.2f}%), intensity A = "
                  f"{100 * r.A:.1f}%, M0 = {r.M0:.4f}; the largest contribution to M0 is "
                  f"'{lead}' ({100 * top.iloc[0]:.1f}%)")
    if zh:
        return (f"多维贫困：{first}。Alkire–Foster 多维贫困发生率是另一种测度（把收入也作为一个"
                f"维度，按剥夺得分识别）：{deprivation.rule}{second}。二者口径不同，不可混称；"
                "收入低于监测标准的比例见下条。")
    return (f"Multidimensional poverty: {first}. The Alkire–Foster headcount is a different, "
            f"multidimensional measure (income is one of its dimensions; identification by "
            f"the deprivation score): {deprivation.rule} {second}. The two must not be "
            "confused; the share below the monitoring threshold follows.")


def _fgt_sentence(fgt: RegionalPoverty, language: Language, *,
                  markdown: bool = True) -> str | None:
    table, per = fgt.table, fgt.per
    total = _total(language)
    if total not in table.index:
        return None
    level = fgt.bootstrap.level
    value = _visible(table.loc[total, _heading("FGT0", language, per=per)])
    lo = _visible(table.loc[total, _ci_heading("FGT0", "ci_lower", level, language, per=per)])
    hi = _visible(table.loc[total, _ci_heading("FGT0", "ci_upper", level, language, per=per)])
    if value is None or lo is None or hi is None:
        return None
    unit = unit_name(per, language)
    c = fgt.comparison(language)
    if c is not None and markdown:  # region names are data: escaped for Markdown output
        c = c.copy()
        c["high"], c["low"] = markdown_text(c["high"]), markdown_text(c["low"])
    if is_zh(language):
        text = (f"按监测收入标准计算，收入低于标准的比例（FGT0，按{unit}）为 {value:.2f}%"
                f"（{level:.0%}CI {lo:.2f}–{hi:.2f}%）")
        if c is not None:
            verdict = ("差异显著" if c["lower"] > 0 else "区间包含 0，不能据此断定两地高低")
            text += (f"；各地区中最高为{c['high']}（{c['high_value']:.2f}%），最低为{c['low']}"
                     f"（{c['low_value']:.2f}%），相差 {c['difference']:.2f} 个百分点"
                     f"（对 {c['pairs']} 对地区比较同时成立的 {level:.0%} 置信区间 "
                     f"{c['lower']:.2f}–{c['upper']:.2f}），{verdict}")
        return text + "。"
    text = (f"Against the monitoring threshold, {value:.2f}% ({unit}; FGT0) have incomes below "
            f"it ({level:.0%} CI {lo:.2f}–{hi:.2f}%)")
    if c is not None:
        verdict = ("a significant difference" if c["lower"] > 0 else
                   "the interval includes 0, so the two cannot be ranked")
        text += (f"; across regions the highest is {c['high']} ({c['high_value']:.2f}%), the "
                 f"lowest {c['low']} ({c['low_value']:.2f}%), {c['difference']:.2f} points apart "
                 f"({level:.0%} interval simultaneous over {c['pairs']} pairs of regions "
                 f"{c['lower']:.2f}–{c['upper']:.2f}): {verdict}")
    return text + "."


def _vulnerability_sentence(table: pd.DataFrame, threshold: float, per: Per,
                            language: Language) -> str | None:
    total = _total(language)
    if total not in table.index:
        return None
    row = table.loc[total]
    headings = _vulnerability_headings(threshold, per, language)

    def get(key: str) -> float | None:
        return _visible(row[headings[key]])

    pr, hv, rel = get("poverty_rate"), get("vulnerable"), get("relative")
    hvnp, rnp = get("vulnerable_not_poor"), get("relative_not_poor")
    if pr is None or rel is None or rnp is None:
        return None
    unit = unit_name(per, language)
    of_relative = 100 * rnp / rel if rel else 0.0
    zh = is_zh(language)
    if hv is None:
        high = (f"高脆弱（v ≥ {threshold:g}）者样本过少，不予显示" if zh else
                f"too few are highly vulnerable (v ≥ {threshold:g}) to show")
    elif hv == 0:
        high = (f"没有任何{unit}的脆弱性达到 {threshold:g}（高脆弱比例为 0.00%，"
                "故“高脆弱且当前不低于标准”也为 0.00%）" if zh else
                f"none has a vulnerability of {threshold:g} or more (highly vulnerable 0.00%, "
                "so highly vulnerable but not below the threshold is 0.00% too)")
    else:
        rest = ((f"其中当前不低于标准者占全部的 {hvnp:.2f}%" if hvnp is not None
                 else "其中当前不低于标准者样本过少，不予显示") if zh else
                (f"{hvnp:.2f}% of all are highly vulnerable but not below it now"
                 if hvnp is not None else "too few of them are above the threshold now to show"))
        high = (f"高脆弱（v ≥ {threshold:g}）者占 {hv:.2f}%，{rest}" if zh else
                f"{hv:.2f}% are highly vulnerable (v ≥ {threshold:g}) and {rest}")
    if zh:
        return (f"贫困脆弱性（按{unit}；v = 未来收入低于监测标准的概率）："
                f"当前低于监测标准 {pr:.2f}%；{high}；相对脆弱（v ≥ 当前低于标准的比例）者占 "
                f"{rel:.2f}%，其中当前不低于标准者占全部的 {rnp:.2f}%（相对脆弱者的 "
                f"{of_relative:.1f}%）——这些“相对脆弱但当前不低于标准”的人是监测预警应当前移关注的对象。")
    return (f"Vulnerability ({unit}; v = probability of future income below the monitoring "
            f"threshold): {pr:.2f}% are below the threshold now; {high}; {rel:.2f}% are "
            f"relatively vulnerable (v ≥ the current share below it), and {rnp:.2f}% of all are "
            f"relatively vulnerable but not below it now ({of_relative:.1f}% of the relatively "
            "vulnerable) — the people early warning should reach first.")


def _dependence_sentence(dependence: pd.DataFrame, transfer_threshold: float,
                         language: Language) -> str | None:
    """Level, change and group gap of transfer dependence; the welfare-trap warning only when
    the share rose with an interval of the change above 0 (``attrs["change"]``)."""
    total = _total(language)
    if total not in dependence.index:
        return None
    dep = dependence.loc[total].map(_visible).dropna()
    if len(dep) < 2:
        return None
    first_year, last_year = dep.index[0], dep.index[-1]
    first, last = dep.iloc[0], dep.iloc[-1]
    change = _change_of(dependence, language)
    sign = _direction(change)
    exited_key = label("exited_households", language)
    other_key = label("other_households", language)
    exited = (_visible(dependence.loc[exited_key, last_year])
              if exited_key in dependence.index else None)
    other = (_visible(dependence.loc[other_key, last_year])
             if other_key in dependence.index else None)
    if is_zh(language):
        trend = {1: "上升", -1: "下降", 0: "变化不显著"}.get(sign, "变化未检验")
        detail = "" if change is None else f"，{_interval_text(change, language)}"
        text = (f"有劳动能力的农户中，转移净收入占毛收入 {transfer_threshold:.0%} 及以上的比例在 "
                f"{first_year} 年为 {first:.2f}%，{last_year} 年为 {last:.2f}%（{trend}{detail}）")
        if exited is not None and other is not None:
            gap = "高于" if exited > other else "低于" if exited < other else "等于"
            text += f"，{last_year} 年脱贫户 {exited:.2f}%，{gap}一般农户 {other:.2f}%"
        if sign == 1:
            return text + ("；依赖比例在上升（变化的区间不含 0），需警惕“福利陷阱”苗头，"
                           "加强有劳动能力农户的就业和产业帮扶。")
        return text + "；比例没有显著上升，数据未显示福利依赖加剧。"
    trend = {1: "rising", -1: "falling", 0: "no significant change"}.get(sign, "not tested")
    detail = "" if change is None else f"; {_interval_text(change, language)}"
    text = (f"Among households able to work, the share with transfers ≥ "
            f"{transfer_threshold:.0%} of gross income was {first:.2f}% in {first_year} and "
            f"{last:.2f}% in {last_year} ({trend}{detail})")
    if exited is not None and other is not None:
        gap = "above" if exited > other else "below" if exited < other else "equal to"
        text += f"; in {last_year} exited-poor {exited:.2f}%, {gap} others {other:.2f}%"
    if sign == 1:
        return text + (": dependence is rising (the interval of the change excludes 0) — an "
                       "early sign of a welfare trap to watch.")
    return text + ": not significantly rising; the data show no growing welfare dependence."


def consolidation_narrative(*, by_year: pd.DataFrame, flows: pd.DataFrame,
                            deprivation: DeprivationTables, fgt: RegionalPoverty,
                            vulnerability_table: pd.DataFrame, dependence: pd.DataFrame,
                            simulated: bool, per: Per = "person",
                            vulnerability_threshold: float = 0.5,
                            transfer_threshold: float = 0.5, threshold_text: str = "",
                            language: Language = "zh") -> list[str]:
    """Findings of the 巩固 report (巩固要点), each sentence computed from the table it describes.

    Parameters are the (suppressed) tables of :func:`monitoring_by_year`,
    :func:`transition_flows`, :func:`multidimensional_poverty`, :func:`fgt_by_region`,
    :func:`vulnerability_by_region` and :func:`dependence_table`, built in ``language`` with
    the unit ``per`` (transfer dependence in its own unit); the sentences are in ``language``.
    Figures that were suppressed are not quoted; regions are compared only with the bootstrap
    interval of their difference; a change over the years is called a rise or a fall only
    when its interval (``attrs["change"]`` of the table) excludes 0, and "福利陷阱" is named
    only when transfer dependence rose in that sense. The last sentences are the caveats
    (``threshold_text``: :func:`threshold_note`).

    Returns
    -------
    list of str
    """
    _check_language(language)
    lines = [
        _roster_sentence(by_year, per, language),
        _flow_sentence(flows, per, language),
        _af_sentence(deprivation, language),
        _fgt_sentence(fgt, language),
        _vulnerability_sentence(vulnerability_table, vulnerability_threshold, per, language),
        _dependence_sentence(dependence, transfer_threshold, language),
    ]
    if is_zh(language):
        caveat = ("注意：监测状态与风险消除以数据中的标记为准。" + threshold_text
                  + "监测收入标准为假设值时，低于标准的比例随假设变化；"
                  "住户表中少于最小单元格户数的格子已隐藏。")
    else:
        caveat = ("Caveats: monitoring status and risk elimination are as recorded in the "
                  "data. " + (threshold_text + " " if threshold_text else "")
                  + "Where the monitoring threshold is an assumption, shares below it move with "
                  "it; household cells below the minimum cell size are hidden.")
    lines.append(caveat)
    if simulated:
        lines.append("以上结果基于模拟数据，仅用于演示方法，不代表任何真实地区；真实统计仅作对照。"
                     if is_zh(language) else "These results come from simulated data, for "
                     "demonstration only; they describe no real area (real statistics are shown "
                     "for comparison only).")
    return [line for line in lines if line]


# --------------------------------------------------------------------------- the section

KEY = "consolidation"

#: Title of the section (章节标题) by language.
TITLE: dict[str, str] = {"zh": "巩固：防止返贫与脱贫成果稳定性",
                         "en": "Consolidation: preventing a return to poverty"}

Scope = Literal["province", "prefecture", "county"]

#: Most sub-regions a main-body table lists (more go to the appendix).
_MAIN_ROWS = 15

#: Ranks of the findings in the summary: risk elimination and the risk of returning to
#: poverty first, then multidimensional poverty, vulnerability, the welfare-trap signal.
_RANKS = {"roster": 10.0, "flows": 11.0, "af": 20.0, "fgt": 21.0, "vulnerability": 30.0,
          "dependence": 40.0}


def title(language: Language = "zh") -> str:
    """The section title in ``language``."""
    _check_language(language)
    return TITLE["zh" if is_zh(language) else "en"]


@dataclass(frozen=True)
class Region:
    """One region a table describes: the scope, its code and its name as shown."""

    scope: Scope
    code: str
    name: str


@dataclass(frozen=True)
class ConsolidationTables:
    """Every table of the 巩固 section for one region (province, a prefecture or a county).

    Built by :func:`consolidation_tables` on the region's households; rows by sub-region
    (prefectures of the province, counties of a prefecture, the county itself) and the total
    row (:data:`TOTAL`, the region). All tables are suppressed (small cells hidden).
    """

    region: Region
    by_year: pd.DataFrame
    by_category: pd.DataFrame
    by_region: pd.DataFrame
    flows: pd.DataFrame
    transition: pd.DataFrame | None
    deprivation: DeprivationTables
    fgt: RegionalPoverty
    vulnerability: pd.DataFrame
    dependence: pd.DataFrame
    monitored_persons: float | None
    latest: int
    first: int
    households: int
    threshold_text: str


def _vulnerability_flags(households: pd.DataFrame, *, threshold: float, per: Per
                         ) -> pd.DataFrame:
    """The province-wide vulnerability model of the latest year, per household
    (indexed by ``household_id``), so that every region reads the same fitted model."""
    cross = households[households["year"] == households["year"].max()]
    line = monitoring.threshold_for(cross["region_code"], cross["year"])
    result = vulnerability(cross, "income_pc", household_design(cross), line,
                           threshold=threshold, weights="weight", per=per)
    flags = result.to_frame()[["vulnerability", "poor", "vulnerable", "relatively_vulnerable"]]
    return flags.set_axis(cross["household_id"].to_numpy())


def consolidation_tables(households: pd.DataFrame, *, region: Region, groups: pd.Series,
                         flags: pd.DataFrame, per: Per = "person", missing: Missing = "raise",
                         min_cell: int = 10, af_k: float = 1 / 3, reps: int = MIN_REPS,
                         cluster: str | None = None, seed: int | None = SEED,
                         vulnerability_threshold: float = 0.5,
                         transfer_threshold: float = 0.5,
                         language: Language = "zh") -> ConsolidationTables:
    """All tables of the 巩固 section for one region (一个地区的巩固表).

    ``households`` are the region's households (all years), ``groups`` their sub-region
    labels (:func:`region_labels`), ``flags`` the province-wide vulnerability model per
    household (:func:`_vulnerability_flags`). In a region that is one county the sampling
    units are its households (resampled with all their years for changes over time).
    """
    if households.empty:
        raise InputError(f"{region.name} 没有农户监测数据 / no households for {region.name}",
                         column="region_code",
                         hint="检查 region_code 与农户数据的地区代码 / check the region code")
    latest, first = int(households["year"].max()), int(households["year"].min())
    one_county = households["region_code"].nunique() == 1
    trend = cluster or ("household_id" if one_county
                        and "village_code" not in households.columns else None)
    options = {"per": per, "min_cell": min_cell, "language": language}
    by_year = monitoring_by_year(households, missing=missing, cluster=trend, reps=reps,
                                 seed=seed, **options)
    by_category = elimination_by_group(households, by="monitor_category", missing=missing,
                                       **options)
    by_region = elimination_by_group(households, by=groups, missing=missing, **options)
    flows = transition_flows(households, **options)
    transition = (transition_table(households, from_year=latest - 1, to_year=latest, **options)
                  if latest - 1 in set(households["year"]) else None)
    cross = households[households["year"] == latest]
    line = monitoring.threshold_for(cross["region_code"], cross["year"])
    by = groups.loc[cross.index]
    deprivation = multidimensional_poverty(cross, by=by, income_line=line, k=af_k,
                                           cluster=cluster, reps=reps, seed=seed, **options)
    fgt = fgt_by_region(cross, by=by, line=line, cluster=cluster, reps=reps, seed=seed,
                        **options)
    own = flags.reindex(cross["household_id"].to_numpy()).set_axis(cross.index)
    vuln = _vulnerability_table(own, cross, by=by, threshold=vulnerability_threshold, per=per,
                                weights="weight", min_cell=min_cell, language=language)
    dependence = dependence_table(households, threshold=transfer_threshold, min_cell=min_cell,
                                  cluster=trend, reps=reps, seed=seed, language=language)
    s = monitoring.monitoring_summary(cross, by=("year",), weights="weight", missing=missing)
    persons = (float(s["monitored_persons_w"].iloc[0])
               if int(s["monitored_households"].iloc[0]) >= min_cell else None)
    return ConsolidationTables(
        region=region, by_year=by_year, by_category=by_category, by_region=by_region,
        flows=flows, transition=transition, deprivation=deprivation, fgt=fgt,
        vulnerability=vuln, dependence=dependence, monitored_persons=persons, latest=latest,
        first=first, households=int(cross["household_id"].nunique()),
        threshold_text=threshold_note(cross, language=language))


def _inherit_hidden(child: ConsolidationTables, parent: ConsolidationTables, *, per: Per,
                    min_cell: int, language: Language) -> ConsolidationTables:
    """``child``'s tables with every figure hidden that ``parent`` hides in the child's row.

    The parent's tables (the province by prefecture or county, a prefecture by county) hide
    some of the child's figures as complementary cells, to protect a neighbour; the child's
    own report must not show them, or the neighbour could be recovered by subtraction. The
    tables with a row per region are matched column by column; the parent's elimination rates
    by region and year hide the child's rates of the same years (and then the change over
    the years, if its first or last year is hidden).
    """
    name, total = child.region.name, _total(language)
    marker = _marker(min_cell)

    def masked(table: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
        if name not in source.index:
            return table
        hide = [c for c in table.columns if c in source.columns
                and isinstance(source.at[name, c], str) and source.at[name, c] == marker]
        if not hide:
            return table
        out = table.astype(object)  # a hidden cell holds the marker text
        out.attrs = dict(table.attrs)
        rows = [r for r in out.index if r in (total, name)]
        out.loc[rows, hide] = marker
        return out

    by_year = child.by_year
    if name in parent.by_region.index:
        rates = parent.by_region.loc[name]
        years = [y for y in by_year.index if y in rates.index
                 and isinstance(rates[y], str) and rates[y] == marker]
        if years:
            attrs, by_year = dict(by_year.attrs), by_year.astype(object)
            by_year.attrs = attrs
            for per_ in {per, "person"}:
                by_year.loc[years, _heading("elimination_rate", language, per=per_)] = marker
            change = by_year.attrs.get("change")
            if change is not None and {change.attrs.get("first"),
                                       change.attrs.get("last")} & set(years):
                heading = _heading("elimination_rate", language, per="person")
                hidden = change.iloc[0:0]
                hidden.attrs = dict(change.attrs)
                by_year.attrs["note"] = by_year.attrs.get("note", "").replace(
                    _change_note(change, heading, language),
                    _change_note(hidden, heading, language))
                by_year.attrs["change"] = hidden
    d = child.deprivation
    deprivation = dataclasses.replace(
        d, by_region=masked(d.by_region, parent.deprivation.by_region),
        censored=masked(d.censored, parent.deprivation.censored))
    return dataclasses.replace(
        child, by_year=by_year, by_region=masked(child.by_region, parent.by_region),
        deprivation=deprivation,
        fgt=dataclasses.replace(child.fgt, table=masked(child.fgt.table, parent.fgt.table)),
        vulnerability=masked(child.vulnerability, parent.vulnerability))


def _regions(region_code: str, counties: pd.DataFrame, language: Language
             ) -> list[Region]:
    """The report's region and the regions it is compared with, smallest first."""
    province = Region("province", "", "全省" if is_zh(language) else "Province")
    code = str(region_code or "").strip()
    if not code:
        return [province]
    listed = counties.index.astype(str)
    if code in listed:
        row = counties.loc[code]
        pref = str(row["prefecture_code"]) if "prefecture_code" in counties.columns else ""
        own = Region("county", code, str(row.get("region_name", code)))
        if pref:
            return [own, Region("prefecture", pref, str(row.get("prefecture_name", pref))),
                    province]
        return [own, province]
    if "prefecture_code" in counties.columns:
        match = counties[counties["prefecture_code"].astype(str) == code]
        if len(match):
            name = (str(match["prefecture_name"].iloc[0])
                    if "prefecture_name" in counties.columns else code)
            return [Region("prefecture", code, name), province]
    raise InputError(f"地区代码 {code} 不在县属性表中 / region code {code} not found",
                     column="region_code",
                     hint="留空为全省；或填写县代码（6 位）或地市代码（xxxx00） / leave empty for "
                     "the province, or give a county code or a prefecture code")


def _subset(households: pd.DataFrame, counties: pd.DataFrame, region: Region
            ) -> pd.DataFrame:
    if region.scope == "province":
        return households
    if region.scope == "county":
        return households[households["region_code"] == region.code]
    prefecture = households["region_code"].map(counties["prefecture_code"].astype(str))
    return households[prefecture == region.code]


# --------------------------------------------------------------------------- reader tables

def _marker(min_cell: int) -> str:
    return f"<{min_cell}"


def _for_reader(table: pd.DataFrame, min_cell: int) -> tuple[pd.DataFrame, bool]:
    """A suppressed table with its hidden cells as missing (shown "—" in the document) and
    numbers as numbers; True when a cell was hidden (the table then needs the footnote)."""
    hidden = table.map(lambda v: isinstance(v, str) and v == _marker(min_cell))
    out = table.mask(hidden)
    for column in out.columns:
        converted = pd.to_numeric(out[column], errors="coerce")
        if converted.notna().sum() == out[column].notna().sum():
            out[column] = converted
    return out, bool(hidden.to_numpy().any())


def _suppressed_note(min_cell: int, language: Language) -> str:
    if is_zh(language):
        return (f"“—”表示该格所依据的样本少于 {min_cell} 户，为保护农户信息不予显示（小单元格"
                "抑制；可由合计推算出的格子一并隐藏）。")
    return (f"'—': fewer than {min_cell} sample households behind the figure, not shown to "
            "protect households (small-cell suppression; cells a total would reveal are hidden "
            "too).")


def _headers(language: Language) -> dict[str, str]:
    """Headings of the analysis tables that lack a unit, with their unit for readers."""
    if is_zh(language):
        return {label("households", "zh"): "样本户数(户)",
                label("monitored", "zh"): "监测户数(样本,户)",
                label("monitored_w", "zh"): "监测户数(加权,户)",
                label("new_w", "zh"): "新识别户数(加权,户)",
                label("returned_w", "zh"): "其中脱贫户(返贫风险,加权,户)",
                label("weight", "zh"): "权重(合计为1)"}
    return {label("weight", "en"): "Weight (sum 1)"}


def _kinds(frame: pd.DataFrame) -> tuple[dict[str, str], dict[str, int]]:
    """Kinds and decimals by heading (the named index included, as it becomes a column):
    years, text, M0 and weights at four decimals, percentages at two (as the findings quote
    them), other numbers as counts (households, persons)."""
    kinds: dict[str, str] = {}
    decimals: dict[str, int] = {}
    values = {str(c): frame[c] for c in frame.columns}
    if frame.index.name is not None:
        values[str(frame.index.name)] = frame.index.to_series()
    for text, column in values.items():
        if text in ("年份", "Year"):
            kinds[text] = "year"
        elif not pd.api.types.is_numeric_dtype(column):
            kinds[text] = "text"
        elif "M0" in text or "权重" in text or "Weight" in text:
            kinds[text], decimals[text] = "score", 4
        elif "%" in text:
            kinds[text], decimals[text] = "percent", 2
        else:
            kinds[text] = "count"
    return kinds, decimals


class _Writer:
    """Adds the section's tables with the common source, units and suppression note."""

    def __init__(self, builder: SectionBuilder, *, source: str, min_cell: int,
                 language: Language) -> None:
        self.builder, self.source = builder, source
        self.min_cell, self.language = min_cell, language

    def table(self, key: str, title_: str, table: pd.DataFrame, *, notes: tuple[str, ...] = (),
              appendix: bool = False, source: str | None = None, total: str = "",
              index: str = "") -> None:
        """Add ``table`` (a suppressed analysis table); ``total`` renames its total row,
        ``index`` names an unnamed index (so that the row labels are shown)."""
        frame, hidden = _for_reader(table, self.min_cell)
        if total:
            frame = frame.rename(index={_total(self.language): total})
        if index and frame.index.name is None:
            frame.index.name = index
        frame = frame.rename(columns=_headers(self.language))
        if frame.index.name in _headers(self.language):
            frame.index.name = _headers(self.language)[frame.index.name]
        frame.columns = [_year_heading(c, self.language) for c in frame.columns]
        kinds, decimals = _kinds(frame)
        note = table.attrs.get("note", "")
        self.builder.table(key, title_, frame, source=source or self.source,
                           notes=(*notes, note,
                                  _suppressed_note(self.min_cell, self.language) if hidden
                                  else ""),
                           appendix=appendix, kinds=kinds, decimals=decimals)


def _year_heading(column: object, language: Language) -> str:
    """Year columns of rate tables as ``2025年(%)`` / ``2025 (%)``."""
    if isinstance(column, (int, np.integer)) and 1900 < int(column) < 2200:
        return f"{int(column)}年(%)" if is_zh(language) else f"{int(column)} (%)"
    return str(column)


def _data_source(hd: HouseholdData, simulated: bool, language: Language) -> str:
    years = hd.years
    n = hd.households["household_id"].nunique()
    if is_zh(language):
        span = f"{years[0]}—{years[-1]} 年"
        if simulated:
            return (f"资料来源：linkage 内置模拟数据（模拟数据，非真实统计），农户监测样本 "
                    f"{n:,} 户，{span}；作者计算。")
        name = hd.source.name if hd.source is not None else ""
        return f"资料来源：农户监测数据（{name}），样本 {n:,} 户，{span}；作者计算。"
    span = f"{years[0]}–{years[-1]}"
    if simulated:
        return (f"Source: linkage bundled simulated data (simulated, not real statistics), "
                f"household monitoring sample of {n:,} households, {span}; author's "
                "calculations.")
    name = hd.source.name if hd.source is not None else ""
    return (f"Source: household monitoring data ({name}), {n:,} sample households, {span}; "
            "author's calculations.")


_PUBLISHERS_EN = {"国家乡村振兴局": "National Rural Revitalization Administration",
                  "工人日报": "Workers' Daily", "韩俊": "Han Jun"}


def _publisher(source: str, language: Language) -> str:
    """The original publisher and release of a reference row, without its mirror URL:
    ``国新办 2024-07-24 韩俊 http://…`` → 国务院新闻办公室 2024 年 7 月 24 日新闻发布会（韩俊）."""
    text = re.sub(r"\(secondary\)", "", re.sub(r"https?://\S+", "", source)).strip()
    zh = is_zh(language)
    m = re.match(r"国新办\s*(\d{4})-(\d{2})-(\d{2})\s*(.*)", text)
    if m:
        y, mo, d, who = m.groups()
        who = who.strip()
        if zh:
            return (f"国务院新闻办公室 {y} 年 {int(mo)} 月 {int(d)} 日新闻发布会"
                    + (f"（{who}）" if who else ""))
        return (f"State Council Information Office press conference, {y}-{mo}-{d}"
                + (f" ({_PUBLISHERS_EN.get(who, who)})" if who else ""))
    m = re.match(r"(\S+)\s+via\s+(\S+)\s+(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        who, paper, y, mo, d = m.groups()
        if zh:
            return f"{who}（据《{paper}》{y} 年 {int(mo)} 月 {int(d)} 日报道）"
        return (f"{_PUBLISHERS_EN.get(who, who)} (as reported by "
                f"{_PUBLISHERS_EN.get(paper, paper)}, {y}-{mo}-{d})")
    return text


#: English names of the national risk-elimination figures (the reference data are Chinese).
_NATIONAL_EN = {"中西部监测对象已消除返贫风险比例":
                "Monitored in central and western provinces, risk eliminated",
                "监测对象稳定消除风险比例(累计)": "Monitored with risk stably eliminated "
                "(cumulative)"}


def _national(language: Language = "zh") -> pd.DataFrame:
    """The real national risk-elimination figures (percentages) of the reference data, the
    indicator named in ``language``."""
    real = datasets.load("monitoring_prevent_return_national")
    real = real[real["indicator"].str.contains("消除") & real["unit"].str.startswith("%")]
    if not is_zh(language):
        real = real.assign(indicator=real["indicator"].map(
            lambda t: _NATIONAL_EN.get(t, "National figure")))
    return real


def _national_source(real: pd.DataFrame, language: Language) -> str:
    names = ("；" if is_zh(language) else "; ").join(
        dict.fromkeys(_publisher(s, language) for s in real["source"]))
    return (f"资料来源：{names}。" if is_zh(language) else f"Sources: {names}.")


def _mirror_note(real: pd.DataFrame, language: Language) -> str:
    urls = [u for s in real["source"] for u in re.findall(r"https?://\S+", s)]
    if not urls:
        return ""
    return (("转载页面：" if is_zh(language) else "Republished at: ")
            + ("；" if is_zh(language) else "; ").join(dict.fromkeys(urls)))


# --------------------------------------------------------------------------- values

def _total_row(table: pd.DataFrame, language: Language) -> pd.Series:
    return table.loc[_total(language)]


def _value(table: pd.DataFrame, row: str, column: str) -> float | None:
    if row not in table.index or column not in table.columns:
        return None
    return _visible(table.at[row, column])


@dataclass(frozen=True)
class _Figures:
    """The key figures of one region (latest year), None where suppressed."""

    monitored_households: float | None
    monitored_persons: float | None
    monitored_share: float | None
    elimination: float | None
    exited_in: float | None
    other_in: float | None
    union: float | None
    h: float | None
    m0: float | None
    fgt0: float | None
    fgt0_low: float | None
    fgt0_high: float | None
    vulnerable: float | None
    relative_not_poor: float | None
    dependence: float | None


def _figures(t: ConsolidationTables, *, per: Per, threshold: float, language: Language
             ) -> _Figures:
    total = _total(language)
    by_year, latest = t.by_year, t.latest
    flows = t.flows
    period = flows.index[-1] if len(flows) else None
    dep, fgt = t.deprivation.by_region, t.fgt.table
    level = t.fgt.bootstrap.level
    vh = _vulnerability_headings(threshold, per, language)
    return _Figures(
        monitored_households=_value(by_year, latest, label("monitored_w", language)),
        monitored_persons=t.monitored_persons,
        monitored_share=_value(by_year, latest, _heading("monitored_share", language, per=per)),
        elimination=_value(by_year, latest,
                           _heading("elimination_rate", language, per="person")),
        exited_in=None if period is None else _value(
            flows, period, _heading("flow_exited_in", language, per=per)),
        other_in=None if period is None else _value(
            flows, period, _heading("flow_other_in", language, per=per)),
        union=_value(dep, total, _heading("union_share", language, per=per)),
        h=_value(dep, total, _heading("H", language, per=per)),
        m0=_value(dep, total, _heading("M0", language, per=per, percent=False)),
        fgt0=_value(fgt, total, _heading("FGT0", language, per=per)),
        fgt0_low=_value(fgt, total, _ci_heading("FGT0", "ci_lower", level, language, per=per)),
        fgt0_high=_value(fgt, total, _ci_heading("FGT0", "ci_upper", level, language,
                                                 per=per)),
        vulnerable=_value(t.vulnerability, total, vh["vulnerable"]),
        relative_not_poor=_value(t.vulnerability, total, vh["relative_not_poor"]),
        dependence=_value(t.dependence, total, latest))


def _key_rows(per: Per, threshold: float, transfer_threshold: float, period: str,
              language: Language) -> list[tuple[str, str, int]]:
    """(field of :class:`_Figures`, row label with unit, decimals) of the key-figure table."""
    unit = unit_name(per, language)
    zh = is_zh(language)
    if zh:
        return [("monitored_households", "监测户数（加权，户）", 0),
                ("monitored_persons", "监测人口（加权，人）", 0),
                ("monitored_share", f"监测对象占农村人口比重（{unit}，%）", 2),
                ("elimination", "监测对象风险消除率（人，%）", 2),
                ("exited_in", f"脱贫户转入风险比例，{period}（{unit}，%）", 2),
                ("other_in", f"一般农户转入风险比例，{period}（{unit}，%）", 2),
                ("union", f"“两不愁三保障”及饮水安全任一项未达标比例（{unit}，%）", 2),
                ("h", f"多维贫困发生率 H（{unit}，%）", 2),
                ("m0", "调整后多维贫困指数 M0", 4),
                ("fgt0", f"收入低于监测标准的比例 FGT0（{unit}，%）", 2),
                ("vulnerable", f"高脆弱比例，v ≥ {threshold:g}（{unit}，%）", 2),
                ("relative_not_poor", f"相对脆弱但当前不低于标准（{unit}，%）", 2),
                ("dependence", f"转移收入占比 ≥ {transfer_threshold:.0%} 的有劳动力户（户，%）",
                 2)]
    return [("monitored_households", "Monitored households (weighted)", 0),
            ("monitored_persons", "Monitored persons (weighted)", 0),
            ("monitored_share", f"Monitored share of the rural population ({unit}, %)", 2),
            ("elimination", "Risk eliminated among the monitored (persons, %)", 2),
            ("exited_in", f"Exited-poor entering risk, {period} ({unit}, %)", 2),
            ("other_in", f"Other households entering risk, {period} ({unit}, %)", 2),
            ("union", f"Failing any of the national guarantees ({unit}, %)", 2),
            ("h", f"Multidimensional headcount H ({unit}, %)", 2),
            ("m0", "Adjusted headcount ratio M0", 4),
            ("fgt0", f"Income below the monitoring threshold FGT0 ({unit}, %)", 2),
            ("vulnerable", f"Highly vulnerable, v ≥ {threshold:g} ({unit}, %)", 2),
            ("relative_not_poor", f"Relatively vulnerable, not below the threshold now "
             f"({unit}, %)", 2),
            ("dependence", f"Able-bodied households with transfers ≥ {transfer_threshold:.0%} "
             "of income (households, %)", 2)]


def _cell(value: float | None, decimals: int) -> str:
    return DASH if value is None else f"{value:,.{decimals}f}"


def _key_table(chain: list[ConsolidationTables], figures: list[_Figures], *, per: Per,
               threshold: float, transfer_threshold: float, language: Language
               ) -> tuple[pd.DataFrame, bool]:
    """Key figures (rows) of the region and the regions it is compared with (columns)."""
    own = chain[0]
    period = own.flows.index[-1] if len(own.flows) else "—"
    rows = _key_rows(per, threshold, transfer_threshold, str(period), language)
    frame = pd.DataFrame({t.region.name: [_cell(getattr(f, field_), d)
                                          for field_, _, d in rows]
                          for t, f in zip(chain, figures, strict=True)},
                         index=pd.Index([name for _, name, _ in rows],
                                        name="指标" if is_zh(language) else "Indicator"))
    return frame, bool((frame == DASH).to_numpy().any())


def _bare(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without ``attrs`` (notes and changes), for joining tables."""
    out = frame.copy()
    out.attrs = {}
    return out


def _compose(chain: list[ConsolidationTables], pick: Callable[[ConsolidationTables],
             pd.DataFrame], language: Language) -> pd.DataFrame:
    """Rows of the region's own table (its sub-regions, then its total named after it),
    then the totals of the regions it is compared with, each named after its region."""
    total = _total(language)
    own = pick(chain[0])
    inner = _bare(own.drop(index=total) if chain[0].region.scope != "county"
                  else own.iloc[0:0])
    rows = [inner] + [_bare(pick(t).loc[[total]]).rename(index={total: t.region.name})
                      for t in chain]
    out = pd.concat(rows)
    out.index.name = label("region", language)
    out.attrs = dict(own.attrs)
    if len(chain) > 1:
        out.attrs["note"] = " ".join(p for p in (own.attrs.get("note", ""),
                                                 _design_note(language)) if p)
    return out


def _design_note(language: Language) -> str:
    """Why one region's interval may differ between a province, prefecture and county report."""
    if is_zh(language):
        return ("各地区的数字与区间按该地区自己的样本计算：全省在地市内重抽县，一个地市在县内重抽"
                "农户，一个县重抽农户；同一地区在不同层级的报告中点估计相同，区间可能不同。")
    return ("Each region's figures and intervals come from its own sample: the province "
            "resamples counties within prefectures, a prefecture households within counties, a "
            "county its households; point estimates agree across reports, intervals may differ.")


def _by_region_columns(frames: dict[str, pd.DataFrame], language: Language) -> pd.DataFrame:
    """Side-by-side columns ``heading：region`` of several regions' tables (same index)."""
    sep = "：" if is_zh(language) else ": "
    parts = [_bare(frame).rename(columns=lambda c, n=name: f"{c}{sep}{n}")
             for name, frame in frames.items()]
    return pd.concat(parts, axis=1)


def _list_text(pairs: list[tuple[str, float | None]], min_cell: int,
               language: Language) -> str:
    """``临平市 59.44%，全省 63.39%（万东县样本少于 10 户，不予显示）``: the shown figures,
    then the regions whose figure is suppressed."""
    zh = is_zh(language)
    shown = [f"{name} {v:.2f}%" for name, v in pairs if v is not None]
    hidden = [name for name, v in pairs if v is None]
    text = ("，" if zh else ", ").join(shown)
    if hidden:
        names = ("、" if zh else ", ").join(hidden)
        note = (f"{names}样本少于 {min_cell} 户，不予显示" if zh else
                f"{names}: fewer than {min_cell} sample households, not shown")
        text = (f"{text}（{note}）" if zh else f"{text} ({note})") if shown else note
    return text


def _k_text(k: float) -> str:
    """1/3 → ``1/3``, 0.25 → ``1/4``, 0.4 → ``0.4``."""
    from fractions import Fraction

    f = Fraction(k).limit_denominator(12)
    return f"{f.numerator}/{f.denominator}" if abs(float(f) - k) < 1e-9 else f"{k:g}"


def _region_findings(chain: list[ConsolidationTables], figures: list[_Figures], *,
                     per: Per, min_cell: int, threshold: float, transfer_threshold: float,
                     k_rule: str, language: Language) -> dict[str, str]:
    """Findings of a county or prefecture report: its figures beside those of the regions it
    is compared with, read from the key-figure table (suppressed figures are not quoted)."""
    zh = is_zh(language)
    own = chain[0]
    latest = own.latest
    names = [t.region.name for t in chain]
    unit = unit_name(per, language)
    period = own.flows.index[-1] if len(own.flows) else ""

    def pairs(field_: str) -> list[tuple[str, float | None]]:
        return [(n, getattr(f, field_)) for n, f in zip(names, figures, strict=True)]

    def items(field_: str) -> str:
        return _list_text(pairs(field_), min_cell, language)

    change = _change_of(own.by_year, language)
    sign = _direction(change)
    if change is None:
        trend = ""
    elif zh:
        trend = (f"；{own.region.name} {own.first}→{latest} 年变化 "
                 f"{_interval_text(change, language)}"
                 + {1: "，上升", -1: "，下降", 0: "，变化不显著"}.get(sign, ""))
    else:
        trend = (f"; change in {own.region.name} {own.first}→{latest}: "
                 f"{_interval_text(change, language)}"
                 + {1: ", a rise", -1: ", a fall", 0: ", no significant change"}.get(sign, ""))
    dep_change = _change_of(own.dependence, language)
    dep_sign = _direction(dep_change)
    out: dict[str, str] = {}
    if zh:
        out["roster"] = (f"风险消除：{latest} 年监测对象中风险已消除的人口比例，"
                         f"{items('elimination')}{trend}（见{{table:roster}}）。")
        out["flows"] = (f"返贫致贫风险：{period}，上年稳定的脱贫户转入风险的比例（按{unit}），"
                        f"{items('exited_in')}；一般农户为 {items('other_in')}（"
                        f"见{{table:flows}}）。"
                        "这是返贫、致贫的风险，不是返贫本身。")
        out["af"] = (f"多维贫困：{latest} 年按国家“两不愁三保障”标准（含饮水安全）"
                     f"任一项未达标的比例（按{unit}，并集规则），{items('union')}；"
                     "Alkire–Foster 多维贫困发生率 H "
                     f"是另一种测度（{k_rule}），{items('h')}；二者口径不同，不可混称"
                     "（见{table:poverty}）。")
        out["fgt"] = (f"收入低于监测标准：{latest} 年收入低于当年监测收入标准的比例 FGT0"
                      f"（按{unit}），{items('fgt0')}（见{{table:poverty}}）。")
        out["vulnerability"] = (f"贫困脆弱性：当前收入不低于监测标准、但未来低于标准的概率不低于"
                                f"当前低于标准比例的“相对脆弱”者（按{unit}），"
                                f"{items('relative_not_poor')}；高脆弱（v ≥ {threshold:g}）者"
                                f"{items('vulnerable')}（见{{table:vulnerability}}）。")
        dep = (f"转移收入依赖：{latest} 年有劳动力农户中转移净收入占毛收入 "
               f"{transfer_threshold:.0%} 及以上的比例（按户），{items('dependence')}")
        if dep_sign == 1:
            dep += (f"；{own.region.name}的比例在上升（{_interval_text(dep_change, language)}），"
                    "需警惕“福利陷阱”苗头")
        elif dep_sign is not None:
            dep += (f"；{own.region.name}没有显著上升（{_interval_text(dep_change, language)}），"
                    "数据未显示福利依赖加剧")
        else:
            dep += f"；{own.region.name}样本过少，不判断其变化"
        out["dependence"] = dep + "（见{table:dependence}）。"
        return out
    out["roster"] = (f"Risk elimination: in {latest}, the share of monitored persons whose risk "
                     f"is eliminated is {items('elimination')}{trend} (see {{table:roster}}).")
    out["flows"] = (f"Risk of returning to poverty: in {period}, the share of exited-poor who "
                    f"were stable a year earlier and entered risk ({unit}) is "
                    f"{items('exited_in')}; for other households {items('other_in')} (see "
                    "{table:flows}). This is the risk of a return, not the return itself.")
    out["af"] = (f"Multidimensional poverty: in {latest}, the share failing any guarantee of the "
                 f"national standard ({unit}, union rule) is {items('union')}; the "
                 f"Alkire–Foster headcount H, a different measure ({k_rule}), is "
                 f"{items('h')} (see {{table:poverty}}).")
    out["fgt"] = (f"Income below the monitoring threshold: in {latest}, FGT0 ({unit}) is "
                  f"{items('fgt0')} (see {{table:poverty}}).")
    out["vulnerability"] = (f"Vulnerability: the relatively vulnerable who are not below the "
                            f"threshold now ({unit}) are {items('relative_not_poor')}; highly "
                            f"vulnerable (v ≥ {threshold:g}) {items('vulnerable')} (see "
                            "{table:vulnerability}).")
    dep = (f"Transfer dependence: in {latest}, able-bodied households with transfers ≥ "
           f"{transfer_threshold:.0%} of gross income are {items('dependence')}")
    if dep_sign == 1:
        dep += (f"; rising in {own.region.name} ({_interval_text(dep_change, language)}), an "
                "early sign of a welfare trap to watch")
    elif dep_sign is not None:
        dep += (f"; not significantly rising in {own.region.name} "
                f"({_interval_text(dep_change, language)})")
    else:
        dep += f"; too few households in {own.region.name} to judge its change"
    out["dependence"] = dep + " (see {table:dependence})."
    return out


def _province_findings(t: ConsolidationTables, *, per: Per, threshold: float,
                       transfer_threshold: float, language: Language) -> dict[str, str]:
    """Findings of the province report: the sentences of :func:`consolidation_narrative`,
    each pointing at its table."""
    zh = is_zh(language)

    def see(text: str | None, key: str) -> str | None:
        if not text:
            return None
        end = "。" if zh else "."
        ref = f"（见{{table:{key}}}）" if zh else f" (see {{table:{key}}})"
        return text.rstrip(end) + ref + end

    roster = _roster_sentence(t.by_year, per, language, reference=(
        "{table:national}；历年数字见{table:roster}" if zh else
        "{table:national}; by year in {table:roster}"))
    return {k: v for k, v in {
        "roster": roster,
        "flows": see(_flow_sentence(t.flows, per, language), "flows"),
        "af": see(_af_sentence(t.deprivation, language), "poverty"),
        "fgt": see(_fgt_sentence(t.fgt, language, markdown=False), "poverty"),
        "vulnerability": see(_vulnerability_sentence(t.vulnerability, threshold, per, language),
                             "vulnerability"),
        "dependence": see(_dependence_sentence(t.dependence, transfer_threshold, language),
                          "dependence"),
    }.items() if v}


def _methods(deprivation: DeprivationTables, *, per: Per, min_cell: int, reps: int,
             threshold: float, transfer_threshold: float, language: Language
             ) -> tuple[list[str], list[str]]:
    unit = unit_name(per, language)
    if is_zh(language):
        methods = [
            f"比例默认按{unit}计算（户抽样权数 × 家庭人口），与我国贫困发生率、风险消除率的统计口径"
            "一致，表头注明（人）或（户）；有劳动能力农户的转移收入依赖是户的属性，按户计算。表中数值"
            "为按抽样权数加权的估计。",
            "监测对象分为脱贫不稳定户、边缘易致贫户、突发严重困难户。风险消除率是监测对象中风险已消除"
            "的比例；监测名单是累计名单，已消除风险的对象仍在名单内，与全国统计口径一致。新识别户数在数据"
            "第一年无法判断（没有更早的记录）。",
            "农户状态：收入低于当年监测收入标准，或在监测名单中且风险未消除，为“风险”，否则为“稳定”，"
            "并区分脱贫户与一般农户。“脱贫户转入风险比例”是上年稳定的脱贫户中下一年处于风险的比例，即返贫"
            "风险；一般农户的同一比例即致贫风险；“风险解除比例”是上年处于风险的农户下一年转为稳定的比例。",
            f"多维贫困有两种量。国家“两不愁三保障”标准（含饮水安全）是并集规则：吃穿、义务教育、基本医疗、"
            f"住房安全、饮水安全中任一项未保障即未达标。Alkire–Foster 多维贫困发生率 H 是另"
            f"一种测度："
            f"两不愁、三保障、饮水安全、收入（低于当年监测收入标准）四个维度等权、维度内指标等权，加权剥夺"
            f"得分达到临界值 k 才算多维贫困（Alkire & Foster 2011）。{deprivation.rule}"
            "M0 = H × A，A 为多维贫困者的平均剥夺强度。",
            "FGT0 为收入低于标准的比例，FGT1 为收入缺口指数，FGT2 为缺口平方指数（Foster、Greer 与 "
            "Thorbecke 1984）。所用的线是当年的监测收入标准，不是国家贫困线，所以 FGT0 称“低于监测"
            "标准的比例”，而不是贫困发生率。",
            f"贫困脆弱性按期望贫困方法估计（Chaudhuri、Jalan 与 Suryahadi 2002，三步可行广义最小"
            f"二乘）：用家庭规模、劳动力、是否脱贫户、风险事件和所在地市预测对数收入的均值与方差，得到"
            f"每户未来收入低于监测标准的概率 v；模型在全省样本上估计一次。“高脆弱”指 v ≥ "
            f"{threshold:g}，“相对脆弱”指 v 不低于全省当前低于标准的比例。",
            f"转移收入依赖：有劳动力的农户中，转移净收入占毛收入（经营亏损不计入）{transfer_threshold:.0%}"
            " 及以上的比例，对应“避免福利陷阱、激发内生动力”的要求。",
            f"置信区间用分层整群自助法（Rao–Wu 重标度，{reps} 次）：在地区内重抽抽样单位（村"
            f"，没有村"
            "代码时为县；一个县内为农户）。比较最高与最低地区时，用对所有地区对同时成立的区间，避免“挑出"
            "来的两端”夸大差异。历年变化的区间重抽抽样单位时带上其全部年份；只有区间不含 0 "
            "时才说“上升”"
            "或“下降”，否则说“变化不显著”。",
            f"为保护农户信息，依据少于 {min_cell} 户样本的数字不予显示（表中为“—”），能由合"
            f"计推算出的"
            "格子一并隐藏。"]
        caveats = [
            "监测状态与风险消除以数据中的标记为准。监测收入标准有的年份为假设值，低于标准的比例随假设"
            "变化。",
            "多维贫困结果依赖 k 与权重的设定；国家标准的并集规则与 H 是不同的量，不可混称。",
            "脆弱性模型只用了少数家庭特征，是期望贫困的粗略估计；分地区脆弱性没有置信区间，不作地区间"
            "高低的判断。",
            "“转入风险”是返贫、致贫的风险，不是返贫：登记的返贫致贫人口是少得多的另一种统计。",
            "全国数字取自公开发布的数字（经转载页面核对），正式引用前请与原始发布核对。",
            "县的样本户数较少，县级比例的区间较宽，许多县级数字因样本不足而不予显示；县与所在地市、全省"
            "的点估计之差未经检验，不宜据此判断高低。"]
        return methods, caveats
    methods = [
        f"Rates are shares of {unit} by default (household survey weight × household size), as "
        "Chinese statistics report poverty and risk elimination; headings say which. Transfer "
        "dependence is a household property and is counted per household. Figures are "
        "survey-weighted estimates.",
        "The monitored are unstable exited-poor, marginal households prone to poverty and "
        "households in sudden severe hardship. The risk-elimination rate is the share of the "
        "monitored whose risk is eliminated; the roster is cumulative, as in the national "
        "statistics. New identifications are unknown in the data's first year.",
        "A household is 'at risk' when its income is below the year's monitoring threshold or it "
        "is on the roster with its risk not eliminated, else 'stable'. Exited-poor entering risk "
        "= stable exited-poor of one year at risk the next (the risk of returning to poverty); the "
        "same for other households is the risk of falling into poverty.",
        "Two measures of multidimensional poverty: the national standard is a union rule (one "
        "unmet guarantee of food and clothing, compulsory education, basic medical care, safe "
        "housing and safe drinking water means the standard is not met); the Alkire–Foster "
        "headcount H is a different measure over four equally weighted dimensions (the two "
        "assurances, the three guarantees, drinking water, income below the monitoring "
        f"threshold), poor when the weighted deprivation score reaches k (Alkire & Foster 2011). "
        f"{deprivation.rule} M0 = H × A.",
        "FGT0, FGT1 and FGT2 (Foster, Greer & Thorbecke 1984) are measured against the year's "
        "monitoring threshold, not a poverty line: FGT0 is the share below that threshold.",
        "Vulnerability is expected poverty (Chaudhuri, Jalan & Suryahadi 2002, three-step FGLS): "
        "household size, labour, exited-poor status, shocks and prefecture predict the mean and "
        "variance of log income, giving each household's probability v of income below the "
        f"threshold; the model is fitted once on the province. Highly vulnerable: v ≥ "
        f"{threshold:g}; relatively vulnerable: v at least the province's current share below "
        "the threshold.",
        f"Transfer dependence: among households able to work, the share whose net transfers are "
        f"{transfer_threshold:.0%} or more of gross income (welfare-trap signal).",
        f"Intervals: stratified cluster bootstrap (Rao–Wu, {reps} replicates) of the sampling "
        "units (villages, else counties; households within one county) within regions; the "
        "highest and lowest regions are compared with an interval simultaneous over all pairs. "
        "Changes over the years resample units with all their years; a rise or fall is named "
        "only when the interval excludes 0.",
        f"Figures resting on fewer than {min_cell} sample households are not shown ('—'); cells a "
        "total would reveal are hidden too."]
    caveats = [
        "Monitoring status and risk elimination are as recorded in the data; where the "
        "monitoring threshold is an assumption, shares below it move with it.",
        "Multidimensional results depend on k and the weights; the union rule and H are "
        "different measures.",
        "The vulnerability model uses few household characteristics; regional vulnerability "
        "has no intervals and regions are not ranked by it.",
        "'Entering risk' is the risk of returning to poverty, not the return itself.",
        "National figures are as published (checked against republished pages); verify them "
        "against the original release before citing.",
        "Counties have few sample households: county rates have wide intervals, many are not "
        "shown, and differences from the prefecture or province are not tested."]
    return methods, caveats


def build(*, panel: str = "", counties: str = "", households: str = "", framework: str = "",
          region_code: str = "", start_year: int = 2015, end_year: int = 2025,
          language: Language = "zh", cache_dir: str = "", per: Per = "person",
          missing: Missing = "raise", min_cell: int = 10, region_level: RegionLevel = "prefecture",
          af_k: float = 1 / 3, reps: int = MIN_REPS, cluster: str = "", seed: int = 20211,
          vulnerability_threshold: float = 0.5, transfer_threshold: float = 0.5,
          **options: object) -> Section:
    """The 巩固 section of a region report (巩固章节): tables, figures, findings, metrics.

    ``region_code`` is the region the report is for: ``""`` the whole province (tables by
    ``region_level``: prefectures or counties), a county code (the county beside its
    prefecture and the province) or a prefecture code (its counties, the prefecture and the
    province). The province-wide tables (and the vulnerability model, fitted once on the
    province) are computed once per batch through :func:`linkage.reporting.cache.once` with
    ``cache_dir``, a prefecture's tables once per prefecture; a county's own tables are
    computed on its households (a second or so). ``framework`` is accepted for the common
    signature and not used (the section reads household data).

    Options (the vocabulary of the 巩固 report): ``per`` (rates per person or household),
    ``missing`` ("raise" or "drop"), ``min_cell`` (smallest cell shown, households), ``af_k``
    (Alkire–Foster cutoff), ``reps``/``seed``/``cluster`` (bootstrap replicates, seed,
    sampling-unit column, "" = automatic), ``vulnerability_threshold``,
    ``transfer_threshold``.

    Raises
    ------
    InputError
        Unknown option, unknown region code, a region without households, invalid data.
    """
    from linkage.panel import load_panel
    from linkage.reporting.cache import once

    _check_language(language)
    check_option("per", per, Per)
    check_option("region_level", region_level, RegionLevel)
    plotting.setup_cjk()
    if options:
        raise InputError(f"巩固章节没有这些选项 / unknown options: {sorted(options)}",
                         hint="可用选项 / options: per, missing, min_cell, region_level, af_k, "
                         "reps, cluster, seed, vulnerability_threshold, transfer_threshold")
    inputs = {"panel": panel, "counties": counties, "households": households,
              "start_year": start_year, "end_year": end_year}

    def read() -> tuple[HouseholdData, pd.DataFrame, bool]:
        data = load_panel(panel or None, counties=counties or None)
        hd = load_households(households or None, start_year=start_year, end_year=end_year)
        return hd, data.counties, data.simulated

    # read and validated once per batch (the files are identified by their content)
    hd, county_table, panel_simulated = once(cache_dir, "consolidation-inputs", inputs, read)
    hh = hd.households
    simulated = hd.simulated or panel_simulated
    chain_regions = _regions(region_code, county_table, language)
    settings = {"per": per, "missing": missing, "min_cell": min_cell, "af_k": af_k,
                "reps": reps, "cluster": cluster or None, "seed": seed,
                "vulnerability_threshold": vulnerability_threshold,
                "transfer_threshold": transfer_threshold, "language": language}
    key = {**inputs, **settings}

    def province() -> tuple[pd.DataFrame, ConsolidationTables]:
        flags = _vulnerability_flags(hh, threshold=vulnerability_threshold, per=per)
        groups = region_labels(hh, county_table, level=region_level)
        return flags, consolidation_tables(hh, region=chain_regions[-1], groups=groups,
                                           flags=flags, **settings)

    def region(r: Region, flags: pd.DataFrame) -> ConsolidationTables:
        sub = _subset(hh, county_table, r)
        return consolidation_tables(sub, region=r, flags=flags, **settings,
                                    groups=region_labels(sub, county_table, level="county"))

    with warnings.catch_warnings():  # degenerate replicates of tiny regions are suppressed
        warnings.simplefilter("ignore", RuntimeWarning)
        flags, whole = once(cache_dir, "consolidation-province",
                            {**key, "region_level": region_level}, province)
        chain = [whole]
        for r in reversed(chain_regions[:-1]):
            if r.scope == "prefecture":
                chain.insert(0, once(cache_dir, "consolidation-prefecture",
                                     {**key, "prefecture": r.code},
                                     lambda r=r: region(r, flags)))
            else:
                chain.insert(0, region(r, flags))
            # a figure hidden in the parent's table stays hidden in the region's own report
            chain[0] = _inherit_hidden(chain[0], chain[1], per=per, min_cell=min_cell,
                                       language=language)
    return _section(chain, hd=hd, simulated=simulated, per=per, min_cell=min_cell, reps=reps,
                    threshold=vulnerability_threshold, transfer_threshold=transfer_threshold,
                    language=language)


def _section(chain: list[ConsolidationTables], *, hd: HouseholdData, simulated: bool,
             per: Per, min_cell: int, reps: int, threshold: float, transfer_threshold: float,
             language: Language) -> Section:
    """Lay the tables of ``chain`` (the region, then the regions it is compared with) out as
    the section a reader sees: main body short, technical tables in the appendix."""
    zh = is_zh(language)
    own = chain[0]
    name, latest = own.region.name, own.latest
    b = SectionBuilder(KEY, title(language), language=language, simulated=simulated)
    source = _data_source(hd, simulated, language)
    w = _Writer(b, source=source, min_cell=min_cell, language=language)
    figures = [_figures(t, per=per, threshold=threshold, language=language) for t in chain]
    real = _national(language)
    compared = "、".join(t.region.name for t in chain[1:]) if zh else \
        ", ".join(t.region.name for t in chain[1:])

    # ---- introduction and key figures
    if zh:
        intro = (f"本章用农户监测数据回答{name}的脱贫成果是否稳固：监测对象与风险消除、转入"
                 f"与解除风险、"
                 f"多维贫困、收入低于监测标准的比例、贫困脆弱性，以及有劳动能力农户的转移收入依赖。"
                 f"{name} {latest} 年有样本农户 {own.households:,} 户")
        intro += f"，与{compared}对照" if compared else ""
        intro += "；主要指标见{table:key}。"
        if own.region.scope == "county":
            intro += (f"一个县的样本户数较少，依据少于 {min_cell} 户样本的数字不予显示，县内"
                      f"比例的误差"
                      "也较大，阅读时应以所在地市和全省的数字为参照。")
    else:
        intro = (f"This chapter asks, from household monitoring data, whether the exit from "
                 f"poverty in {name} is stable: the monitoring roster and risk elimination, "
                 "movements into and out of risk, multidimensional poverty, incomes below the "
                 "monitoring threshold, vulnerability, and transfer dependence of households "
                 f"able to work. {name} has {own.households:,} sample households in {latest}"
                 + (f", compared with {compared}" if compared else "")
                 + "; key figures in {table:key}.")
        if own.region.scope == "county":
            intro += (f" A county has few sample households: figures resting on fewer than "
                      f"{min_cell} are not shown and county rates are imprecise; read them "
                      "against the prefecture and the province.")
    b.paragraph(intro)
    key_frame, key_hidden = _key_table(chain, figures, per=per, threshold=threshold,
                                       transfer_threshold=transfer_threshold,
                                       language=language)
    b.table("key", (f"巩固主要指标（{latest} 年）" if zh else f"Key consolidation figures, "
                    f"{latest}"), key_frame, source=source,
            notes=(own.threshold_text,
                   _suppressed_note(min_cell, language) if key_hidden else ""),
            kinds={c: "text" for c in key_frame.columns}, index=True)

    # ---- 1. monitoring roster and risk elimination
    b.heading("监测对象与风险消除" if zh else "Monitoring roster and risk elimination")
    elim = _heading("elimination_rate", language, per="person")
    share = _heading("monitored_share", language, per=per)
    cols = [label("monitored", language), label("monitored_w", language), share, elim]
    roster = own.by_year[cols + ([label("new_w", language), label("returned_w", language)]
                                 if len(chain) == 1 else [])]
    if own.region.scope == "county":  # the roster's size is in the key table; a county's
        cols = [share, elim]             # few monitored households leave little to show
    if len(chain) > 1:
        roster = _by_region_columns({name: own.by_year[cols],
                                     **{t.region.name: t.by_year[[elim]] for t in chain[1:]}},
                                    language)
    roster.attrs = dict(own.by_year.attrs)
    if len(chain) > 1:  # the newly identified are not shown: their note goes too
        roster.attrs["note"] = roster.attrs.get("note", "").replace(
            roster.attrs.get("first_year_note", ""), "").replace("  ", " ")
    b.paragraph(
        "监测对象分为脱贫不稳定户、边缘易致贫户、突发严重困难户；风险消除率是监测对象中风险已消除的"
        "人口比例（名单为累计名单，与全国统计口径一致），历年数字见{table:roster}，与全国公布数字的"
        "对照见{figure:elimination}。" if zh else
        "The monitored are unstable exited-poor, marginal and sudden-hardship households; the "
        "risk-elimination rate is the share of monitored persons whose risk is eliminated (a "
        "cumulative roster, as nationally): by year in {table:roster}, against the national "
        "figures in {figure:elimination}.")
    w.table("roster", ("监测对象与风险消除（分年）" if zh else
                       "Monitoring roster and risk elimination by year"), roster)
    lines = []
    for t in chain:
        rate = t.by_year[elim].map(_visible).dropna()
        lines.append(pd.DataFrame({"x": rate.index.astype(float), "y": rate.to_numpy(),
                                   "series": t.region.name}))
    fig = _elimination_lines(pd.concat(lines), real["period_end"].astype(str).to_numpy(),
                             real["value"].astype(float).to_numpy(),
                             real["indicator"].to_numpy(), language=language)
    national_source = _national_source(real, language)
    b.figure("elimination", ("监测对象风险消除率与全国公布数（按人，%）" if zh else
                             "Risk elimination among monitored persons and national figures "
                             "(%)"), fig,
             source=(source.rstrip("。") + "；全国公布数：" + national_source.removeprefix(
                 "资料来源：") if zh else source.rstrip(".") + "; national figures: "
                 + national_source.removeprefix("Sources: ")),
             notes=(("全国公布数为标注的菱形点，口径不同（2022 年 11 月为中西部，2024 年 6 "
                     "月为全国累计），"
                     "不连成序列；年内点按公布日期标注。") if zh else
                    "National figures are the labelled diamonds; their scopes differ (central "
                    "and western provinces in November 2022, national cumulative in June 2024) "
                    "and they are not joined.",
                    _suppressed_note(min_cell, language) if len(own.by_year[elim].map(
                        _visible).dropna()) < len(own.by_year) else ""))

    # ---- 2. entering and leaving risk
    b.heading("转入与解除风险" if zh else "Entering and leaving risk")
    b.paragraph(
        "“风险”指收入低于当年监测收入标准，或在监测名单中且风险未消除。上年稳定的脱贫户下一年转入风险的"
        "比例即返贫风险，一般农户的同一比例即致贫风险；它们是风险，不是登记的返贫（见{table:flows}）。"
        if zh else
        "'At risk' means income below the year's monitoring threshold, or on the roster with the "
        "risk not eliminated. The share of stable exited-poor at risk a year later is the risk "
        "of returning to poverty; for other households, of falling into it. They are risks, not "
        "registered returns ({table:flows}).")
    into = [_heading("flow_exited_in", language, per=per),
            _heading("flow_other_in", language, per=per)]
    if len(chain) > 1:
        flows = _by_region_columns({t.region.name: t.flows[into] for t in chain}, language)
        flows = flows[[c for h in into for c in flows.columns if c.startswith(h)]]
        flows.attrs = dict(own.flows.attrs)
        w.table("flows", "转入风险的比例（相邻年份）" if zh else "Entering risk between years",
                flows)
        w.table("flows_all", (f"转入与解除风险的比例：{name}" if zh else
                              f"Entering and leaving risk: {name}"), own.flows, appendix=True)
    else:
        w.table("flows", ("转入与解除风险的比例（相邻年份）" if zh else
                          "Entering and leaving risk between years"), own.flows)

    # ---- 3. multidimensional poverty and incomes below the threshold
    b.heading("多维贫困与收入低于监测标准" if zh else
              "Multidimensional poverty and incomes below the threshold")
    level = own.fgt.bootstrap.level
    poverty_cols = {"af": [label("households", language),
                           _heading("union_share", language, per=per),
                           _heading("H", language, per=per),
                           _heading("M0", language, per=per, percent=False)],
                    "fgt": [_heading("FGT0", language, per=per),
                            _ci_heading("FGT0", "ci_lower", level, language, per=per),
                            _ci_heading("FGT0", "ci_upper", level, language, per=per)]}
    combined = pd.concat([_compose(chain, lambda t: t.deprivation.by_region[poverty_cols["af"]],
                                   language),
                          _compose(chain, lambda t: t.fgt.table[poverty_cols["fgt"]],
                                   language)], axis=1)
    combined.attrs["note"] = " ".join(p for p in (
        _unit_note(per, language), own.deprivation.union_rule, own.deprivation.rule,
        own.fgt.table.attrs.get("note", "").replace(_unit_note(per, language), "").strip(),
        _design_note(language) if len(chain) > 1 else "") if p)
    b.paragraph(
        "国家“两不愁三保障”标准（含饮水安全）是并集规则，任一项未保障即未达标；Alkire–Foster"
        " 多维贫困"
        "发生率 H 把收入也作为一个维度、按加权剥夺得分识别，是另一种测度，二者不可混称。FGT0"
        " 是收入低于"
        "当年监测收入标准的比例，不是贫困发生率（见{table:poverty}）。" if zh else
        "The national standard is a union rule (one unmet guarantee means it is not met); the "
        "Alkire–Foster headcount H counts income as a dimension and identifies the poor by "
        "their weighted deprivation score — a different measure. FGT0 is the share with income "
        "below the year's monitoring threshold, not a poverty rate ({table:poverty}).")
    title_ = (f"多维贫困与低于监测标准的比例（{latest} 年）" if zh else
              f"Multidimensional poverty and incomes below the threshold, {latest}")
    if len(combined) - len(chain) > _MAIN_ROWS:  # e.g. the province by county: appendix
        regions = [t.region.name for t in chain]
        main = combined.loc[regions]
        main.attrs = dict(combined.attrs)
        w.table("poverty", title_, main,
                notes=("分地区的数字见{table:poverty_regions}。" if zh else
                       "By region in {table:poverty_regions}.",))
        w.table("poverty_regions", title_ + ("：分地区" if zh else ", by region"), combined,
                appendix=True)
    else:
        w.table("poverty", title_, combined)
    b.paragraph(
        "贫困脆弱性（{table:vulnerability}）和有劳动能力农户的转移收入依赖（{table:dependence}）"
        "见附录；其要点列入本报告摘要。" if zh else
        "Vulnerability ({table:vulnerability}) and the transfer dependence of households able "
        "to work ({table:dependence}) are in the appendix; their findings are in the summary.")

    # ---- appendix
    b.table("national", ("全国公布的监测对象风险消除比例" if zh else
                         "Published national risk-elimination figures"),
            pd.DataFrame({("时期" if zh else "Period"): real["period_end"].astype(str),
                          ("指标" if zh else "Indicator"): real["indicator"],
                          ("数值(%)" if zh else "Value (%)"): real["value"].astype(float),
                          ("发布机构与发布" if zh else "Publisher and release"):
                              [_publisher(s, language) for s in real["source"]]}),
            source=national_source, appendix=True,
            notes=("真实统计，与本章的样本数字口径不同，仅作对照。" if zh else
                   "Real statistics with other scopes than this chapter's sample; for "
                   "comparison only.", _mirror_note(real, language)),
            kinds={("数值(%)" if zh else "Value (%)"): "percent"})
    w.table("roster_all", (f"监测对象、类别与风险消除（分年）：{name}" if zh else
                           f"Monitoring roster, categories and risk elimination: {name}"),
            own.by_year, appendix=True)
    w.table("by_category", (f"分类别风险消除率：{name}（人，%）" if zh else
                            f"Risk elimination by category: {name} (persons, %)"),
            own.by_category, appendix=True, total=name,
            index="监测类别" if zh else "Category")
    if own.region.scope != "county":
        w.table("by_region", (f"分地区风险消除率：{name}（人，%）" if zh else
                              f"Risk elimination by region: {name} (persons, %)"),
                own.by_region, appendix=True, total=name)
    if own.transition is not None:
        w.table("transition", (f"{latest - 1}→{latest} 年状态转移矩阵：{name}（行百分比）" if zh
                               else f"Transition matrix {latest - 1}→{latest}: {name} "
                               "(row %)"),
                own.transition.rename(columns=lambda c: f"{c}(%)"), appendix=True)
    total = _total(language)

    def own_rows(table: pd.DataFrame) -> pd.DataFrame:
        """A county's table has its row and the identical total row: keep one."""
        if own.region.scope != "county":
            return table
        out = table.loc[[total]]
        out.attrs = dict(table.attrs)
        return out

    w.table("af", (f"多维贫困测度及置信区间：{name}（{latest} 年）" if zh else
                   f"Multidimensional poverty with intervals: {name}, {latest}"),
            own_rows(own.deprivation.by_region), appendix=True, total=name)
    w.table("censored", (f"各指标删减后剥夺率：{name}（{latest} 年，%）" if zh else
                         f"Censored headcount ratios: {name}, {latest} (%)"),
            own_rows(own.deprivation.censored).rename(columns=lambda c: f"{c}(%)"),
            appendix=True, total=name)
    w.table("indicators", (f"各指标剥夺率与对 M0 的贡献：{name}（{latest} 年）" if zh else
                           f"Indicators and contributions to M0: {name}, {latest}"),
            own.deprivation.indicators, appendix=True)
    contributions = own.deprivation.indicators[_heading("contribution", language)]
    if own.region.scope != "county" and contributions.map(_visible).notna().all():
        b.figure("contribution", (f"各指标对 M0 的贡献：{name}（{latest} 年，%）" if zh else
                                  f"Contributions to M0: {name}, {latest} (%)"),
                 _contribution_bars(own.deprivation, language), source=source, appendix=True)
    w.table("fgt", (f"低于监测标准的比例及置信区间：{name}（{latest} 年）" if zh else
                    f"Shares below the monitoring threshold with intervals: {name}, {latest}"),
            _compose(chain, lambda t: t.fgt.table, language), appendix=True,
            notes=(own.threshold_text,))
    w.table("vulnerability", (f"贫困脆弱性（{latest} 年）" if zh else
                              f"Vulnerability to poverty, {latest}"),
            _compose(chain, lambda t: t.vulnerability, language), appendix=True)
    dependence = pd.concat([_bare(own.dependence.drop(index=total)),
                            *[_bare(t.dependence.loc[[total]]).rename(
                                index={total: t.region.name})
                              for t in chain]])
    dependence.index.name = label("group", language)
    dependence.attrs = dict(own.dependence.attrs)
    w.table("dependence", ("有劳动能力农户的转移收入依赖（户，%）" if zh else
                           "Transfer dependence of households able to work (households, %)"),
            dependence, appendix=True)

    # ---- findings, metrics, methods
    if own.region.scope == "province":
        findings = _province_findings(own, per=per, threshold=threshold,
                                      transfer_threshold=transfer_threshold, language=language)
    else:
        findings = _region_findings(chain, figures, per=per, min_cell=min_cell,
                                    threshold=threshold, transfer_threshold=transfer_threshold,
                                    k_rule=f"k = {_k_text(own.deprivation.k)}", language=language)
    for topic, text in findings.items():
        b.finding(text, rank=_RANKS[topic])
    f = figures[0]
    counts = {"sample_households", "monitored_households", "monitored_persons"}
    for key_, zh_label, en_label, value, unit in (
            ("sample_households", "样本农户数", "Sample households", float(own.households),
             "户" if zh else "households"),
            ("monitored_households", "监测户数（加权）", "Monitored households (weighted)",
             f.monitored_households, "户" if zh else "households"),
            ("monitored_persons", "监测人口（加权）", "Monitored persons (weighted)",
             f.monitored_persons, "人" if zh else "persons"),
            ("risk_eliminated_pct", "监测对象风险消除率（人）", "Risk eliminated (persons)",
             f.elimination, "%"),
            ("exited_entering_risk_pct", "脱贫户转入风险比例", "Exited-poor entering risk",
             f.exited_in, "%"),
            ("af_headcount_pct", "多维贫困发生率 H", "Multidimensional headcount H", f.h, "%"),
            ("af_m0", "调整后多维贫困指数 M0", "Adjusted headcount ratio M0", f.m0, ""),
            ("fgt0_pct", "收入低于监测标准的比例 FGT0", "Below the monitoring threshold FGT0",
             f.fgt0, "%"),
            ("high_vulnerability_pct", "高脆弱比例", "Highly vulnerable", f.vulnerable, "%"),
            ("relative_vulnerable_not_poor_pct", "相对脆弱但当前不低于标准",
             "Relatively vulnerable, not below the threshold", f.relative_not_poor, "%"),
            ("transfer_dependence_pct", "转移收入依赖比例（户）",
             "Transfer-dependent households", f.dependence, "%")):
        if key_ in counts and value is not None:
            value = round(value)
        b.metric(key_, zh_label if zh else en_label, value, unit)
    methods, caveats = _methods(own.deprivation, per=per, min_cell=min_cell, reps=reps,
                                threshold=threshold, transfer_threshold=transfer_threshold,
                                language=language)
    for text in methods:
        b.method(text)
    for text in caveats:
        b.caveat(text)
    if simulated:
        b.caveat("本章结果基于模拟数据，仅用于演示方法，不代表任何真实地区；真实统计仅作对照"
                 "。" if zh
                 else "These results come from simulated data, for demonstration only; they "
                 "describe no real area (real statistics are for comparison only).")
    return b.build()
