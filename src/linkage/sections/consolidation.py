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
from the total. Hidden cells show ``"<{min_cell}>"``. Counts are unweighted sample households;
the figures shown are survey-weighted estimates.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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
from linkage.vulnerability import VulnerabilityResult, household_design, vulnerability

__all__ = [
    "TOTAL",
    "DeprivationTables",
    "HouseholdData",
    "RegionalPoverty",
    "consolidation_narrative",
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
    return (f"已删除 {n} 个含缺失值的户-年（missing='drop'）。" if is_zh(language)
            else f"{n} household-years with missing values dropped (missing='drop').")


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
             if zh else f"{levels[r.level]} {r.jurisdiction_code} {r.year}: "
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
    first = ("新识别户数在数据第一年未知（前史未知），留空。" if is_zh(language) else
             "New identifications are unknown in the data's first year (no earlier history).")
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
    fig = plotting.line_chart(frame, x="x", y="y", hue="series",
                              title="监测对象风险消除率（按人）" if is_zh(language)
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
    source = ("真实点：国家乡村振兴局、国新办（经转载页面），见 data/raw/reference/SOURCES.md。"
              if is_zh(language) else "Real points: National Rural Revitalization "
              "Administration, State Council Information Office (as republished); see "
              "data/raw/reference/SOURCES.md.")
    plotting.add_source_note(fig, source + ("\n" + note if note else ""))
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
    names = poverty.DEFAULT_AF_SPEC.names(language)
    contrib = (100 * deprivation.result.contributions).rename(index=names)
    contrib = contrib.rename(_heading("contribution", language))
    contrib.index.name = label("indicator", language)
    title = (f"各指标对 M0 的贡献（{year} 年，按{unit_name(deprivation.per, language)}）"
             if is_zh(language) else f"Contributions to M0 ({year}, "
             f"{unit_name(deprivation.per, language)})")
    fig = plotting.bar_chart(contrib, title=title, horizontal=True)
    default = ("资料来源：农户监测数据。" if is_zh(language)
               else "Source: household monitoring data.")
    return plotting.add_source_note(fig, note or default)


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
    flags = result.to_frame()
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
    return result, _with_note(out, _unit_note(per, language), define)


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


def _roster_sentence(by_year: pd.DataFrame, per: Per, language: Language) -> str | None:
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
                " 6 月累计为 60.4%，见真实统计对照表）。")
    verb = {1: "rose", -1: "fell"}.get(sign, "moved")
    detail = "" if change is None else (
        f" ({_interval_text(change, language)}"
        + ("; no significant change)" if sign == 0 else ")"))
    return (f"Monitored {unit} made up {share.iloc[-1]:.2f}% of the rural population in "
            f"{share.index[-1]} (weighted); the share of monitored persons whose risk is "
            f"eliminated {verb} from {rate.iloc[0]:.1f}% in {first} to {rate.iloc[-1]:.1f}% in "
            f"{last}{detail} (nationally 60.4% cumulative in June 2024; see the comparison "
            "table).")


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


def _fgt_sentence(fgt: RegionalPoverty, language: Language) -> str | None:
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
    if c is not None:  # region names are data: escaped for the Markdown the report shows
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
