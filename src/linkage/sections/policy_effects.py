"""Report glue for the 政策效果 (policy effects) notebook (``notebooks/05_policy_effects``).

The notebook states a design — outcome, treatment, comparison sample, covariates — and this
module turns a county panel and its county attribute table into the estimation frame
(:func:`policy_design`), runs the chosen estimators of :mod:`linkage.evaluation`
(:func:`estimate_policy_effects`), assembles the tables and the event-study figure, and writes a
Chinese narrative that says what the design can and cannot claim (:func:`policy_narrative`).
No estimator is implemented here: every number comes from :mod:`linkage.evaluation`.

Treatments (``treatment``):

* ``"key_assistance"`` — 国家乡村振兴重点帮扶县, designated in 2021 (one cohort); treated from
  ``key_assistance_year`` (2021 when the column is absent);
* ``"exit"`` — 贫困县摘帽, staggered 2016–2020: treated from ``exit_year``.

The cohort of a county is its first treated year, 0 = never treated (the convention of
:func:`linkage.evaluation.event_study` and R ``did``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from linkage.checks import (
    FEW_CLUSTERS,
    MIN_REPS,
    SEED,
    Inference,
    Missing,
    check_option,
    check_reps,
    first_rows,
)
from linkage.errors import InputError
from linkage.evaluation import (
    EstimatorComparison,
    EventStudyResult,
    PlaceboResult,
    PSMDIDResult,
    RegressionTable,
    StaggeredDIDResult,
    SunAbrahamResult,
    TWFEResult,
    cluster_robustness,
    covariate_controls,
    covariate_note,
    drop_one_cohort,
    event_study,
    format_pvalue,
    placebo_test,
    psm_did,
    regression_table,
    staggered_did,
    sun_abraham,
    treated_clusters,
    twfe_did,
)
from linkage.evaluation.comparison import ROW_COLUMNS, estimator_row
from linkage.evaluation.psm import PSMInference
from linkage.evaluation.tables import inference_key
from linkage.evaluation.wild import few_clusters, wild_weights_for
from linkage.labels import Language, is_zh, label
from linkage.panel import PanelData
from linkage.paths import sample_dir
from linkage.reporting.document import Section

__all__ = [
    "ESTIMATORS",
    "KEY",
    "TITLE",
    "PolicyDesign",
    "PolicyEffects",
    "PolicyProducts",
    "build",
    "comparison_table",
    "dynamic_frame",
    "dynamic_table",
    "estimate_policy_effects",
    "event_study_figure",
    "inference_summary",
    "policy_design",
    "policy_narrative",
    "policy_products",
    "regression_tables",
    "restrict_sample",
    "title",
    "treatment_cohorts",
    "true_effects",
]

Treatment = Literal["key_assistance", "exit"]
Sample = Literal["poverty_counties", "all"]
_MISSING_RULES = ("raise", "drop")  # the subset of checks.Missing the report accepts
Estimator = Literal["twfe", "event_study", "cs", "sun_abraham", "psm", "placebo"]
#: Every estimator the report knows, in the order of the notebook.
ESTIMATORS: tuple[str, ...] = get_args(Estimator)

UNIT, TIME, COHORT, TREATED = "region_code", "year", "cohort", "treated"
_TREATMENT_COLUMN = {"key_assistance": "key_assistance", "exit": "exit_year"}
_TRUE = {"yes", "true", "1", "是", "y", "t"}
_FALSE = {"no", "false", "0", "否", "n", "f"}
#: Alternative clusterings of the robustness table: key → label key (the columns are named by
#: ``label(f"pe_cluster_{key}")``).
CLUSTERINGS = ("county", "prefecture", "county_year")


# --------------------------------------------------------------------------- design


def _as_bool(values: pd.Series, column: str) -> pd.Series:
    """A yes/no attribute as a nullable boolean: booleans, 0/1, True/False, 是/否; missing
    (empty, NaN, None) stays missing — it is never read as "no"."""
    text = values.astype("string").str.strip().str.lower()
    text = text.str.replace(r"\.0$", "", regex=True).replace("", pd.NA)
    bad = text.notna() & ~text.isin(_TRUE | _FALSE)
    if bad.any():
        raise InputError(
            f"列 {column!r} 的值 {values[bad].iloc[0]!r} 不是“是/否” / not a yes-no value",
            column=column, row=str(values.index[bad][0]),
            hint="用 True/False、1/0 或 是/否 表示。")
    return text.isin(_TRUE).astype("boolean").mask(text.isna())


def _unknown(unknown: pd.Series, column: str, what: tuple[str, str], missing: str, *,
             hint: str = "") -> pd.Index:
    """Counties whose ``column`` is missing: raise naming them (``missing="raise"``) or return
    them for the caller to drop and count. ``what`` is what cannot be told, (zh, en)."""
    codes = unknown.index[unknown.to_numpy(dtype=bool)]
    if len(codes) and missing == "raise":
        raise InputError(
            f"{len(codes)} 个县的 {column} 缺失，无法确定{what[0]}（{first_rows(codes)}）/ "
            f"missing {column}: cannot tell {what[1]}", column=column, row=str(codes[0]),
            hint=hint + "补齐该列；或设 missing=\"drop\" 明确删除这些县（表注会注明删除数）。"
                        "缺失值不会被当作“否”，以免把处理县悄悄算作对照县。")
    return codes


def _years(values: pd.Series, column: str) -> pd.Series:
    """Integer years (missing stays missing); anything else raises."""
    years = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & (years.isna() | (years != years.round()))
    if bad.any():
        raise InputError(f"列 {column!r} 的值 {values[bad].iloc[0]!r} 不是年份 / not a year",
                         column=column, row=str(values.index[bad][0]),
                         hint="填四位数年份，如 2021；未受处理的县留空。")
    return years.astype("Int64")


def treatment_cohorts(counties: pd.DataFrame, *, treatment: Treatment = "key_assistance",
                      designation_year: int = 2021, missing: Missing = "raise") -> pd.Series:
    """Treatment cohort of every county (处理队列): first treated year, 0 = never treated.

    ``treatment="key_assistance"``: counties with ``key_assistance`` true are treated from
    ``key_assistance_year`` (when that column is absent or empty for a county, from
    ``designation_year``, the national designation of 2021); false means never treated.
    ``treatment="exit"``: counties are treated from ``exit_year`` (摘帽年份; 0 = never
    exited). An empty ``exit_year`` means "never treated" only for a county that
    ``poverty_county`` marks as not a former poverty county: every former poverty county
    exited in 2016–2020, so a gap there is missing data, and without a ``poverty_county``
    column a gap cannot be told from a control county.

    A missing value is never read as "not treated" (that would turn a treated county into a
    control silently): ``missing="raise"`` (default) raises naming the counties;
    ``missing="drop"`` leaves them out of the returned Series, for the caller to count.

    Parameters
    ----------
    counties : pandas.DataFrame
        County attribute table, one row per county, indexed by ``region_code``.
    treatment : {"key_assistance", "exit"}
    designation_year : int, default 2021
        Year of designation used when ``key_assistance_year`` is not given.
    missing : {"raise", "drop"}

    Returns
    -------
    pandas.Series
        ``cohort`` (int) indexed like ``counties`` (less the dropped counties).

    Raises
    ------
    InputError
        When the attribute column (``key_assistance`` or ``exit_year``) is absent, holds
        values that are not yes/no or years, or (``missing="raise"``) a county's treatment
        status is missing.

    Examples
    --------
    >>> c = pd.DataFrame({"key_assistance": [True, False]}, index=["990101", "990102"])
    >>> treatment_cohorts(c).tolist()
    [2021, 0]
    """
    check_option("treatment", treatment, Treatment)
    check_option("missing", missing, _MISSING_RULES)
    column = _TREATMENT_COLUMN[treatment]
    if column not in counties.columns:
        raise InputError(
            f"县属性表中没有列 {column!r}，无法确定哪些县在哪一年受处理 / "
            f"county table lacks {column!r}", column=column,
            hint="政策效果分析需要县属性表（参数 counties）：重点帮扶县分析需要 key_assistance"
                 "（是/否，可选 key_assistance_year），摘帽分析需要 exit_year（摘帽年份）。")
    if treatment == "key_assistance":
        flag = _as_bool(counties[column], column)
        year = (_years(counties["key_assistance_year"], "key_assistance_year")
                if "key_assistance_year" in counties.columns
                else pd.Series(pd.NA, index=counties.index, dtype="Int64"))
        cohort = year.fillna(designation_year).where(flag.fillna(False), 0)
        unknown = _unknown(flag.isna(), column, ("是否为重点帮扶县", "key-assistance status"),
                           missing)
    else:
        cohort = _years(counties[column], column)
        if "poverty_county" not in counties.columns:
            unknown = _unknown(cohort.isna(), column, ("是否摘帽", "exit status"), missing,
                               hint="没有 poverty_county 列时，空的摘帽年份无法与非贫困县区分："
                                    "请补充 poverty_county（是/否），或对从未摘帽的县填 0；")
        else:
            poverty = _as_bool(counties["poverty_county"], "poverty_county")
            lost = poverty.fillna(False) & cohort.isna()
            if lost.any() and missing == "raise":
                raise InputError(
                    f"{int(lost.sum())} 个原贫困县没有摘帽年份（{first_rows(lost.index[lost])}）"
                    "/ poverty counties without exit_year", column="exit_year",
                    row=str(lost.index[lost][0]),
                    hint="全部原国家贫困县已于 2016—2020 年摘帽：请补齐 exit_year，或设 "
                         "missing=\"drop\" 明确删除这些县。")
            unknown = _unknown(poverty.isna() & cohort.isna(), "poverty_county",
                               ("没有摘帽年份的县是否为原贫困县",
                                "whether a county without exit_year was a poverty county"),
                               missing)
            unknown = unknown.union(lost.index[lost])
        cohort = cohort.fillna(0)
    return cohort.drop(index=unknown).astype(int).rename(COHORT)


def restrict_sample(counties: pd.DataFrame, *, sample: Sample = "poverty_counties",
                    missing: Missing = "raise") -> pd.Index:
    """Counties of the comparison sample (比较样本).

    ``"poverty_counties"`` keeps the former national poverty counties (``poverty_county``
    true): key-assistance counties were chosen among them and exit cohorts are compared with
    poverty counties that have not exited yet, so the comparison stays within counties that
    share a development path. ``"all"`` keeps every county. A county whose
    ``poverty_county`` is missing raises (``missing="raise"``) or is left out
    (``missing="drop"``; the caller counts it) — it is never counted as a non-poverty county.

    Examples
    --------
    >>> c = pd.DataFrame({"poverty_county": [True, False]}, index=["990101", "990102"])
    >>> list(restrict_sample(c))
    ['990101']
    """
    check_option("sample", sample, Sample)
    check_option("missing", missing, _MISSING_RULES)
    if sample == "all":
        return counties.index
    if "poverty_county" not in counties.columns:
        raise InputError("县属性表中没有列 'poverty_county'，无法限定原贫困县样本 / "
                         "county table lacks 'poverty_county'", column="poverty_county",
                         hint="补充 poverty_county（是/否），或用 sample=\"all\"（全部县）。")
    poverty = _as_bool(counties["poverty_county"], "poverty_county")
    _unknown(poverty.isna(), "poverty_county", ("是否为原贫困县", "poverty-county status"),
             missing)
    return counties.index[poverty.fillna(False).to_numpy(dtype=bool)]


def true_effects(treatment: Treatment, outcome: str, *, log_outcome: bool,
                 cohorts: pd.Series) -> pd.Series | None:
    """The simulated sample's true effect by event time (真实政策效应), or None.

    Read from ``true_effects`` in the bundled ``metadata.json`` (the generator's documented
    effects, the same for every seed): key ``"<treatment>_on_log_<outcome>"``. Event time
    e = year − cohort; the key-assistance effect given by year is moved to event time with the
    designation year (the treated cohort). Effects hold on the log of the outcome only.
    """
    if not log_outcome:
        return None
    meta = json.loads((sample_dir() / "metadata.json").read_text(encoding="utf-8"))
    spec = meta["true_effects"].get(f"{treatment}_on_log_{outcome}")
    if spec is None:
        return None
    start = int(cohorts[cohorts > 0].min()) if (cohorts > 0).any() else 0
    if "by_event_time" in spec:
        values = {int(e): float(v) for e, v in spec["by_event_time"].items()}
    elif "by_year" in spec:
        values = {int(y) - start: float(v) for y, v in spec["by_year"].items()}
    else:
        values = {e: float(spec["effect"]) for e in range(0, 10)}
    return pd.Series(values, name="true_effect").rename_axis("event_time").sort_index()


@dataclass(frozen=True)
class PolicyDesign:
    """Estimation frame and design of a policy evaluation (政策评估设计).

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per county-year: ``region_code, year``, the outcome column ``outcome``,
        ``cohort`` (first treated year, 0 = never), ``treated`` (0/1, 1[year ≥ cohort > 0]),
        ``prefecture_code`` when known, and the covariates.
    outcome : str
        Outcome column in ``frame`` (``"ln(rural_income_pc)"`` when logged).
    source_outcome : str
        Panel column it was made from.
    treatment, sample : str
        Treatment definition and comparison sample.
    covariates : tuple of str
        Covariates every estimator uses: panel columns, or time-invariant county attributes
        (columns of the county table, e.g. ``rural_population``), one value per county.
    cohort_sizes : pandas.Series
        Counties per cohort (index cohort, 0 = never treated).
    n_outside : int
        Counties of the panel left out by the sample restriction.
    dropped : tuple of str
        Counties dropped by ``missing="drop"`` (counted in every table's note): those with a
        gap in the panel and those whose treatment or sample status is missing.
    unknown_status : tuple of str
        The dropped counties whose treatment or sample status (``key_assistance``,
        ``exit_year``, ``poverty_county``) is missing.
    simulated : bool
        The data are the bundled simulated sample (模拟数据).
    truth : pandas.Series or None
        True effect by event time (simulated sample, log outcome with a documented effect).
    """

    frame: pd.DataFrame
    outcome: str
    source_outcome: str
    log_outcome: bool
    treatment: str
    sample: str
    covariates: tuple[str, ...]
    cohort_sizes: pd.Series
    n_outside: int
    dropped: tuple[str, ...]
    simulated: bool
    truth: pd.Series | None
    unknown_status: tuple[str, ...] = ()

    @property
    def years(self) -> tuple[int, int]:
        return int(self.frame[TIME].min()), int(self.frame[TIME].max())

    @property
    def has_never_treated(self) -> bool:
        return bool(self.cohort_sizes.get(0, 0) > 0)

    @property
    def n_treated(self) -> int:
        return int(self.cohort_sizes[self.cohort_sizes.index > 0].sum())

    def to_frame(self) -> pd.DataFrame:
        """Counties per cohort: ``cohort`` (0 = never treated), ``counties``."""
        return self.cohort_sizes.rename("counties").rename_axis(COHORT).reset_index()

    def dropped_note(self, language: Language = "zh") -> str:
        """The count of counties dropped for missing values, for every table's note."""
        if not self.dropped:
            return ""
        shown = "、".join(self.dropped[:5]) + ("…" if len(self.dropped) > 5 else "")
        status = len(self.unknown_status)
        if is_zh(language):
            return (f"因数据缺失删除 {len(self.dropped)} 个县（{shown}）"
                    + (f"，其中 {status} 个县的处理或样本状态缺失" if status else "") + "。")
        return (f"{len(self.dropped)} counties dropped for missing values "
                f"({shown.replace('、', ', ')})"
                + (f", {status} of them with a missing treatment or sample status"
                   if status else "") + ".")

    def summary(self, language: Language = "zh") -> str:
        """The design in one paragraph."""
        first, last = self.years
        cohorts = self.cohort_sizes[self.cohort_sizes.index > 0]
        n_never = int(self.cohort_sizes.get(0, 0))
        zh = is_zh(language)
        if zh:
            timing = "、".join(f"{g} 年 {n} 个" for g, n in cohorts.items())
            sample = label(f"pe_sample_{self.sample}", language)
            text = (f"处理：{label(f'pe_treatment_{self.treatment}', language)}（{timing}，"
                    f"共 {self.n_treated} 个县）；"
                    f"比较样本：{sample}（{self.frame[UNIT].nunique()} 个县，"
                    f"其中从未受处理 {n_never} 个；样本外 {self.n_outside} 个）；"
                    f"结果变量：{self.outcome}；{first}—{last} 年，{len(self.frame)} 个县年观测；"
                    + (f"协变量：{'、'.join(self.covariates)}" if self.covariates
                       else "不含协变量"))
        else:
            timing = ", ".join(f"{n} in {g}" for g, n in cohorts.items())
            sample = label(f"pe_sample_{self.sample}", language)
            text = (f"Treatment: {label(f'pe_treatment_{self.treatment}', language)} "
                    f"({timing}; {self.n_treated} "
                    f"counties); comparison sample: {sample} ({self.frame[UNIT].nunique()} "
                    f"counties, {n_never} never treated; {self.n_outside} outside); outcome: "
                    f"{self.outcome}; {first}–{last}, {len(self.frame)} county-years; "
                    + (f"covariates: {', '.join(self.covariates)}" if self.covariates
                       else "no covariates"))
        note = self.dropped_note(language)
        return text + ("；" + note if zh and note else "; " + note if note else
                       ("。" if zh else "."))


def _incomplete_counties(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Per incomplete county the column with a gap (``year`` when years are absent)."""
    counties = pd.Index(frame[UNIT].unique())
    problems = pd.Series(pd.NA, index=counties, dtype="string")
    n_years = frame[TIME].nunique()
    absent = frame.groupby(UNIT)[TIME].nunique().reindex(counties) < n_years
    problems[absent.to_numpy()] = TIME
    for column in reversed(list(columns)):
        problems[frame.loc[frame[column].isna(), UNIT].unique()] = column
    return problems.dropna()


def policy_design(
    data: PanelData,
    *,
    outcome: str = "rural_income_pc",
    log_outcome: bool = True,
    treatment: Treatment = "key_assistance",
    sample: Sample = "poverty_counties",
    covariates: Sequence[str] = (),
    missing: Missing = "raise",
    designation_year: int = 2021,
) -> PolicyDesign:
    """Estimation frame for the policy-effects report (政策效果分析设计).

    Cohorts come from :func:`treatment_cohorts`, the sample from :func:`restrict_sample`.
    ``log_outcome=True`` (default) analyses ln(outcome), so coefficients are approximate
    proportional changes (exactly exp(b) − 1). The heterogeneity-robust estimators need a
    balanced panel without missing values: ``missing="raise"`` (default) names the first
    county with a gap or a missing treatment/sample status; ``"drop"`` drops every such
    county, lists them in ``dropped`` and every table's note counts them. A county whose
    treatment flag is missing is never made a control.

    Parameters
    ----------
    data : PanelData
        County panel and county attributes (:func:`linkage.panel.load_panel`).
    outcome : str
        Panel column of the outcome (default 农村居民人均可支配收入).
    log_outcome : bool
        Use the natural log of the outcome (values must be > 0).
    treatment : {"key_assistance", "exit"}
    sample : {"poverty_counties", "all"}
    covariates : sequence of str
        County covariates, used by every estimator of the comparison: panel columns, or
        numeric columns of the county table (time-invariant attributes such as
        ``rural_population``). As controls in TWFE, the event study and Sun–Abraham
        (time-invariant ones as covariate × year), at their base-period values in
        Callaway–Sant'Anna, as matching variables in PSM-DID (which needs some).
    missing : {"raise", "drop"}
    designation_year : int
        See :func:`treatment_cohorts`.

    Returns
    -------
    PolicyDesign
    """
    check_option("missing", missing, _MISSING_RULES)
    covariates = list(covariates)
    counties = data.counties
    if counties.empty:
        raise InputError(
            "没有县属性表，无法知道哪些县在哪一年受处理 / no county attribute table",
            column=_TREATMENT_COLUMN.get(treatment, "key_assistance"),
            hint="用参数 counties 指定县属性表，其中含 key_assistance（重点帮扶县，是/否）"
                 "或 exit_year（摘帽年份）列。")
    panel = data.panel
    attributes = [c for c in covariates if c not in panel.columns]
    for column in [outcome, *attributes]:
        if column not in panel.columns and (column == outcome or column not in counties.columns):
            raise InputError(f"面板中没有列 {column!r} / column not in the panel", column=column,
                             hint="结果变量须为面板中的列名（指标代码）；协变量可为面板的列，"
                                  "或县属性表中不随时间变化的数值列（如 rural_population）。")
    unknown = pd.Index(panel[UNIT].unique()).difference(counties.index)
    if len(unknown):
        raise InputError(
            f"{len(unknown)} 个县不在县属性表中（如 {unknown[0]}）/ counties without attributes",
            column=UNIT, row=str(unknown[0]), hint="县属性表须包含面板中的每个县。")
    attrs = counties.loc[counties.index.isin(panel[UNIT].unique())]
    keep = restrict_sample(attrs, sample=sample, missing=missing)
    status = (attrs.index[_as_bool(attrs["poverty_county"], "poverty_county").isna().to_numpy()]
              if sample == "poverty_counties" else pd.Index([]))
    cohorts = treatment_cohorts(attrs.loc[keep], treatment=treatment,
                                designation_year=designation_year, missing=missing)
    status = status.union(keep.difference(cohorts.index))
    in_sample = panel[UNIT].isin(cohorts.index)
    n_outside = int(panel.loc[~in_sample & ~panel[UNIT].isin(status), UNIT].nunique())
    name = f"ln({outcome})" if log_outcome else outcome
    rows = panel.loc[in_sample]
    frame = pd.DataFrame({UNIT: rows[UNIT].to_numpy(), TIME: rows[TIME].astype(int).to_numpy(),
                          name: rows[outcome].to_numpy(dtype=float)})
    for column in covariates:
        values = rows[column] if column in panel.columns else rows[UNIT].map(counties[column])
        numeric = pd.to_numeric(values, errors="coerce")
        if (numeric.isna() & values.notna()).any():
            raise InputError(f"协变量 {column!r} 不是数值 / covariate is not numeric",
                             column=column, hint="协变量须为数值列。")
        frame[column] = numeric.to_numpy(dtype=float)
    if log_outcome:
        bad = frame[name].le(0)
        if bad.any():
            row = frame.loc[bad.idxmax()]
            raise InputError(
                f"列 {outcome!r} 有 {int(bad.sum())} 个 ≤ 0 的值（如 {row[UNIT]} 县 "
                f"{row[TIME]} 年），不能取对数 / non-positive values", column=outcome,
                hint="检查数据，或设 log_outcome=False 分析原值。")
        frame[name] = np.log(frame[name])
    problems = _incomplete_counties(frame, [name, *covariates])
    if len(problems) and missing == "raise":
        first, column = problems.index[0], str(problems.iloc[0])
        what = "缺少部分年份" if column == TIME else f"列 {column} 有缺失值"
        raise InputError(
            f"{len(problems)} 个县的数据不完整（如 {first}：{what}）/ incomplete panel",
            column=column, row=str(first),
            hint="稳健估计量需要平衡且无缺失的面板：补齐数据，换用无缺失的协变量，"
                 "或设 missing=\"drop\" 明确删除这些县（表注会注明删除数）。")
    frame = frame[~frame[UNIT].isin(problems.index)].sort_values([UNIT, TIME], ignore_index=True)
    frame[COHORT] = frame[UNIT].map(cohorts).astype(int)
    frame[TREATED] = ((frame[COHORT] > 0) & (frame[TIME] >= frame[COHORT])).astype(int)
    if "prefecture_code" in counties.columns:
        frame["prefecture_code"] = frame[UNIT].map(counties["prefecture_code"]).astype(str)
    sizes = frame.groupby(UNIT)[COHORT].first().value_counts().sort_index()
    if sizes[sizes.index > 0].sum() == 0:
        raise InputError("比较样本中没有受处理的县 / no treated county in the sample",
                         column=_TREATMENT_COLUMN[treatment],
                         hint="检查县属性表的处理列与 sample 参数。")
    truth = (true_effects(treatment, outcome, log_outcome=log_outcome, cohorts=frame[COHORT])
             if data.simulated else None)
    dropped = pd.Index(problems.index.astype(str)).union(status.astype(str))
    return PolicyDesign(
        frame=frame, outcome=name, source_outcome=outcome, log_outcome=log_outcome,
        treatment=treatment, sample=sample, covariates=tuple(covariates),
        cohort_sizes=sizes.rename("counties"), n_outside=n_outside,
        dropped=tuple(dropped), simulated=data.simulated, truth=truth,
        unknown_status=tuple(map(str, status)))


# --------------------------------------------------------------------------- estimation


@dataclass(frozen=True)
class PolicyEffects:
    """All estimates of one policy-effects report (政策效果估计结果).

    Each estimator field is None when it was not requested or does not apply (the reason is in
    ``skipped``). Every estimator uses the design's covariates (or none): ``twfe`` and
    ``event_study`` as controls, ``cs`` at base-period values, ``sun_abraham`` as controls,
    ``psm`` as matching variables (PSM-DID is not run without covariates); ``twfe_unadjusted``
    (no covariates) is shown only in the regression table. ``clustering`` holds the TWFE DID
    under alternative clusterings (keys of :data:`CLUSTERINGS`), ``drop_one`` the
    drop-one-cohort table (staggered treatments only); ``skipped`` maps an estimator or check
    to the :data:`~linkage.labels.LABELS` key of the reason it was not run
    (:meth:`skipped_reasons` gives the sentences in a language).

    ``inference`` is ``"wild"`` when the regressions — TWFE DID, event study, Sun–Abraham —
    carry wild cluster bootstrap p-values, intervals and bands (fewer than ``FEW_CLUSTERS``
    treated counties under ``inference="auto"``), else ``"cluster"``; ``n_treated_clusters``
    the number of treated counties, ``wild_weights`` the bootstrap weights (the kit's rule,
    :func:`linkage.evaluation.wild.wild_weights_for`), ``reps``/``seed`` the draws.
    """

    design: PolicyDesign
    twfe: TWFEResult | None = None
    twfe_unadjusted: TWFEResult | None = None
    event_study: EventStudyResult | None = None
    cs: StaggeredDIDResult | None = None
    sun_abraham: SunAbrahamResult | None = None
    psm: PSMDIDResult | None = None
    placebo: PlaceboResult | None = None
    clustering: Mapping[str, TWFEResult] = field(default_factory=dict)
    drop_one: pd.DataFrame | None = None
    skipped: Mapping[str, str] = field(default_factory=dict)
    inference: str = "cluster"
    n_treated_clusters: int = 0
    n_clusters: int = 0
    wild_weights: str = "rademacher"
    reps: int = MIN_REPS
    seed: int = SEED
    level: float = 0.95

    def estimates(self) -> pd.DataFrame:
        """Average effects side by side (TWFE vs. robust), with the true value when simulated.

        One row per estimator (:func:`linkage.evaluation.comparison.estimator_row`):
        ``estimator, label_zh, label_en, coef, se, ci_low, ci_high, pvalue, nobs, inference,
        reps`` and ``true_effect``: the true average effect over the treated cells *that
        estimator averages* (NaN unless the data are the simulated sample). TWFE and PSM-DID
        are set against the mean true effect over their treated county-years,
        Callaway–Sant'Anna against the cohort-share weighted mean over its post-treatment
        cells, Sun–Abraham against the observation-weighted mean over its post-treatment cells.
        ``inference`` names where each p-value comes from (wild bootstrap, re-matching
        bootstrap, influence function).
        """
        rows = [estimator_row(key, result) for key, result in (
            ("twfe", self.twfe), ("psm", self.psm), ("cs", self.cs),
            ("sun_abraham", self.sun_abraham)) if result is not None]
        table = pd.DataFrame(rows, columns=list(ROW_COLUMNS))
        return table.assign(true_effect=[self._truth_of(k) for k in table["estimator"]])

    def to_frame(self) -> pd.DataFrame:
        return self.estimates()

    def summary(self, language: Language = "zh") -> str:
        """The report's findings (:func:`policy_narrative`) as one text."""
        return "\n".join(policy_narrative(self, language))

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """The comparison's tidy table (term = estimator), see
        :meth:`linkage.evaluation.EstimatorComparison.tidy`."""
        return self.comparison().tidy(level)

    def comparison(self) -> EstimatorComparison:
        """The TWFE-vs-robust estimates as an :class:`EstimatorComparison`."""
        return EstimatorComparison(rows=self.estimates(), outcome=self.design.outcome,
                                   covariates=self.design.covariates, level=self.level,
                                   est_method=self.cs.est_method if self.cs else "dr",
                                   n_treated=self.design.n_treated)

    def skipped_reasons(self, language: Language = "zh") -> dict[str, str]:
        """Why each skipped estimator or check was not run, in ``language``."""
        return {key: label(reason, language).format(name=label(f"pe_{key}", language))
                for key, reason in self.skipped.items()}

    def inference_note(self, language: Language = "zh") -> str:
        """How the p-values, intervals and bands of the regressions (TWFE, event study,
        Sun–Abraham) were obtained, and why."""
        n = self.n_treated_clusters
        if self.inference == "wild":
            weights = label(f"wild_weights_{self.wild_weights}", language)
            if is_zh(language):
                return (f"处理县只有 {n} 个（少于 {FEW_CLUSTERS} 个），按县聚类的 t 检验会过度"
                        "拒绝（MacKinnon & Webb 2017, 2018），TWFE、事件研究与 Sun–Abraham 的 "
                        "p 值、置信区间与一致置信带改用野聚类自助法"
                        f"（WCR，{weights}，{self.reps} 次，种子 {self.seed}；"
                        "区间由检验反演，一致置信带用同一组抽样校准）；"
                        "括号内仍为按县聚类标准误")
            return (f"only {n} counties are treated (fewer than {FEW_CLUSTERS}), where "
                    "county-clustered t-tests over-reject (MacKinnon & Webb 2017, 2018); the "
                    "p-values, intervals and uniform bands of TWFE, the event study and "
                    "Sun–Abraham are from the wild cluster restricted bootstrap "
                    f"({weights}, {self.reps} draws, seed {self.seed}; intervals by test "
                    "inversion, bands calibrated on the same draws); standard errors in "
                    "parentheses remain county-clustered")
        if is_zh(language):
            return ("TWFE、事件研究与 Sun–Abraham 为按县聚类的稳健标准误"
                    "（reghdfe 口径，t 分布 G−1 自由度；处理县 "
                    f"{n} 个）")
        return (f"TWFE, event study and Sun–Abraham: county-clustered standard errors (reghdfe; "
                f"t with G−1 df; {n} treated counties)")

    def psm_note(self, language: Language = "zh") -> str:
        """Which standard error PSM-DID carries, and what it matched on."""
        if self.psm is None:
            return ""
        how = self.psm.summary(language).split("推断：" if is_zh(language) else
                                                "inference: ")[-1].rstrip("。.")
        on = ("、" if is_zh(language) else ", ").join(self.psm.match.balance.index)
        return (f"按 {on} 的基期值核匹配；{how}" if is_zh(language) else
                f"kernel matching on the base-year {on}; {how}")

    def _tau(self, event_time: pd.Series | np.ndarray) -> np.ndarray:
        """True effect at each event time (0 before treatment)."""
        truth = self.design.truth
        e = np.asarray(event_time, dtype=int)
        return np.where(e >= 0, truth.reindex(e).to_numpy(dtype=float), 0.0)

    def _truth_of(self, key: str) -> float:
        if self.design.truth is None:
            return float("nan")
        frame = self.design.frame
        if key == "cs":
            cells = self.cs.att_gt[self.cs.att_gt["event_time"] >= 0]
            return float(np.average(self._tau(cells["event_time"]), weights=cells["n_treated"]))
        if key == "sun_abraham":
            cells = self.sun_abraham.cohort_effects
            cells = cells[cells["rel_time"] >= 0]
            return float(np.average(self._tau(cells["rel_time"]), weights=cells["n_obs"]))
        rows = frame[TREATED] == 1
        if key == "psm":
            matched = self.psm.match.weights
            rows &= frame[UNIT].map(matched).gt(0).to_numpy()
        return float(self._tau(frame.loc[rows, TIME] - frame.loc[rows, COHORT]).mean())


def estimate_policy_effects(
    design: PolicyDesign,
    *,
    estimators: Sequence[str] = ESTIMATORS,
    inference: Inference = "auto",
    psm_inference: PSMInference = "bootstrap",
    reps: int = MIN_REPS,
    seed: int = SEED,
    window: tuple[int, int] = (-4, 4),
    level: float = 0.95,
) -> PolicyEffects:
    """Run the chosen estimators of :mod:`linkage.evaluation` on a design (估计政策效果).

    Every estimator uses the design's covariates (or none), so the comparison table compares
    like with like (see :func:`linkage.evaluation.covariate_note`): the regressions take them
    through :func:`linkage.evaluation.covariate_controls` (a covariate constant within county
    enters as covariate × year), Callaway–Sant'Anna at base-period values, PSM as matching
    variables.

    * ``"twfe"``: :func:`~linkage.evaluation.twfe_did`, reghdfe standard errors clustered by
      county; without covariates too when the design has some (regression table only); the
      alternative clusterings (prefecture when known, county × year two-way; one-way ones
      with the same ``inference`` rule, the two-way one cluster-robust) and, with more than
      one cohort, :func:`~linkage.evaluation.drop_one_cohort`;
    * ``"event_study"``: :func:`~linkage.evaluation.event_study` (reference −1, end points
      binned at ``window``) with its joint pre-trend test and uniform band;
    * ``"cs"``: :func:`~linkage.evaluation.staggered_did` (doubly robust with covariates) —
      never-treated controls (R ``did``'s default) when the sample has never-treated counties,
      otherwise not-yet-treated ones; influence-function inference as R ``did`` (no wild
      bootstrap exists for it: with few treated counties the tables say so);
    * ``"sun_abraham"``: :func:`~linkage.evaluation.sun_abraham` (never-treated or
      last-treated cohort as control), with the same ``inference`` as TWFE;
    * ``"psm"``: :func:`~linkage.evaluation.psm_did` — kernel matching (Epanechnikov,
      bandwidth 0.06, as ``psmatch2``) on the design's covariates in the first year (needs
      never-treated counties and covariates: matching on the outcome's own pre-treatment
      level would invite regression-to-the-mean bias, Daw & Hatfield 2018, Health Serv. Res.
      53(6):4138-4156, so without covariates PSM-DID is not run and the report says why);
      ``psm_inference="bootstrap"`` (default) re-matches in each of ``reps``
      cluster-bootstrap draws, ``"fixed"`` treats the matching as fixed;
    * ``"placebo"``: :func:`~linkage.evaluation.placebo_test` shuffling which counties are
      treated (``reps`` draws, ``seed``).

    Inference of the regressions (TWFE, event study, Sun–Abraham): ``inference="auto"``
    (default) uses the wild cluster restricted bootstrap (:mod:`linkage.evaluation.wild`;
    Webb weights with fewer than :data:`~linkage.checks.WEBB_BELOW` clusters, otherwise
    Rademacher) when fewer than :data:`~linkage.checks.FEW_CLUSTERS` counties are treated,
    cluster-robust t-tests otherwise; ``"cluster"`` and ``"wild"`` force one.

    Parameters
    ----------
    design : PolicyDesign
    estimators : sequence of str
        A subset of :data:`ESTIMATORS`.
    inference : {"auto", "cluster", "wild"}
    psm_inference : {"bootstrap", "fixed"}
    reps : int, default 999
        Draws of every resampling step (wild bootstrap, PSM bootstrap, placebo, bands).
    seed : int
        Seed of every resampling step.
    window : (int, int)
        Event-study window.
    level : float, default 0.95
        Confidence level of every interval and band.

    Returns
    -------
    PolicyEffects
    """
    unknown = [e for e in estimators if e not in ESTIMATORS]
    if unknown:
        raise InputError(f"未知的估计量 {unknown[0]!r} / unknown estimator",
                         hint=f"estimators 可取：{', '.join(ESTIMATORS)}。")
    check_option("inference", inference, Inference)
    check_option("psm_inference", psm_inference, PSMInference)
    check_reps(reps, minimum=99)
    frame, y, cov = design.frame, design.outcome, list(design.covariates)
    keys = {"unit": UNIT, "time": TIME}
    # regression controls: time-varying covariates as they are, constant ones × year
    reg_frame, controls = covariate_controls(frame, cov, unit=UNIT, time=TIME)
    n_cohorts = int((design.cohort_sizes.index > 0).sum())
    comparable = design.has_never_treated or n_cohorts > 1
    n_treated = treated_clusters(frame, frame[TREATED], UNIT)
    n_clusters = int(frame[UNIT].nunique())
    wild = inference == "wild" or (inference == "auto" and few_clusters(n_clusters, n_treated))
    boot = {"inference": "wild" if wild else "cluster", "reps": reps, "seed": seed,
            "level": level}
    skipped: dict[str, str] = {}
    out: dict[str, object] = {}
    if "twfe" in estimators:
        out["twfe"] = twfe_did(reg_frame, y, **keys, treated=TREATED, covariates=controls,
                               **boot)
        if cov:
            out["twfe_unadjusted"] = twfe_did(frame, y, **keys, treated=TREATED, **boot)
        clusters: dict[str, str | list[str]] = {"county": UNIT}
        if "prefecture_code" in frame.columns:
            clusters["prefecture"] = "prefecture_code"
        clusters["county_year"] = [UNIT, TIME]
        out["clustering"] = cluster_robustness(reg_frame, y, **keys, treated=TREATED,
                                               clusters=clusters, covariates=controls,
                                               inference=inference, reps=reps, seed=seed,
                                               level=level)
        if n_cohorts > 1:
            out["drop_one"] = drop_one_cohort(reg_frame, y, **keys, cohort=COHORT,
                                              covariates=controls)
        else:
            skipped["drop_one"] = "pe_skip_one_cohort"
    if "event_study" in estimators:
        out["event_study"] = event_study(reg_frame, y, **keys, cohort=COHORT, window=window,
                                         covariates=controls, **boot)
    for key in ("cs", "sun_abraham"):
        if key in estimators and not comparable:
            skipped[key] = "pe_skip_no_controls"
    if "cs" in estimators and comparable:
        out["cs"] = staggered_did(frame, y, **keys, cohort=COHORT, covariates=cov or None,
                                  control="never" if design.has_never_treated else "notyet",
                                  reps=reps, seed=seed, level=level)
    if "sun_abraham" in estimators and comparable:
        out["sun_abraham"] = sun_abraham(reg_frame, y, **keys, cohort=COHORT, covariates=controls,
                                         **boot)
    if "psm" in estimators:
        if not cov:
            skipped["psm"] = "pe_skip_psm_no_covariates"
        elif not design.has_never_treated:
            skipped["psm"] = "pe_skip_psm_no_controls"
        else:
            out["psm"] = psm_did(frame, y, **keys, treated=TREATED, covariates=cov,
                                 method="kernel", inference=psm_inference, reps=reps,
                                 seed=seed, level=level)
    if "placebo" in estimators:
        out["placebo"] = placebo_test(reg_frame, y, **keys, cohort=COHORT,
                                      covariates=controls, reps=reps, seed=seed)
    return PolicyEffects(design=design, skipped=skipped, inference=boot["inference"],
                         n_treated_clusters=n_treated, n_clusters=n_clusters,
                         wild_weights=wild_weights_for(n_clusters), reps=reps, seed=seed,
                         level=level, **out)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tables


def _with_notes(table: RegressionTable, effects: PolicyEffects, language: Language,
                *extra: str) -> RegressionTable:
    """Append the report's notes (inference, dropped counties, simulated data) to a table."""
    zh = is_zh(language)
    parts = [table.note, *[e for e in extra if e]]
    dropped = effects.design.dropped_note(language)
    if dropped:
        parts.append(dropped)
    if effects.design.simulated:
        parts.append(label("simulated", language) + ("。" if zh else "."))
    return RegressionTable(table=table.table, note=" ".join(parts))


def comparison_table(effects: PolicyEffects, language: Language = "zh") -> RegressionTable:
    """Paper-style TWFE-vs-robust table (估计量对比表), with the true effect when simulated.

    Uses :meth:`linkage.evaluation.EstimatorComparison.table`: its row "p 值方法" and note say
    which inference each column's stars use, the one covariate set every column uses and,
    with few treated counties, the caveat on the large-sample p-values (Callaway–Sant'Anna);
    the note adds why the regressions use the wild bootstrap, what PSM-DID matched on and its
    standard error, and the counties dropped for missing values. With the simulated sample a
    last row gives each estimator's true average effect (see :meth:`PolicyEffects.estimates`).
    """
    rows = effects.estimates()
    table = effects.comparison().table(language)
    if effects.design.truth is not None:
        frame = table.to_frame()
        frame.loc[label("pe_true_effect", language)] = [f"{v:.4f}" for v in rows["true_effect"]]
        table = RegressionTable(table=frame, note=table.note)
    zh = is_zh(language)
    extra = [effects.inference_note(language) + ("。" if zh else ".")]
    if effects.psm is not None:
        extra.append(("PSM-DID：" if zh else "PSM-DID: ") + effects.psm_note(language)
                     + ("。" if zh else "."))
    return _with_notes(table, effects, language, *extra)


def regression_tables(effects: PolicyEffects, language: Language = "zh",
                      ) -> dict[str, RegressionTable]:
    """Regression tables (回归结果表): ``"main"`` — TWFE (with the design's covariates; also
    without them when there are some) and PSM-DID; ``"clustering"`` — the TWFE DID under
    alternative clusterings (empty without TWFE). Stars follow each model's p-value (the wild
    bootstrap's when used)."""
    zh = is_zh(language)
    labels = {TREATED: label(f"pe_term_{effects.design.treatment}", language)}
    with_cov = label("pe_model_twfe_covariates", language)
    plain = label("pe_model_twfe", language)
    main = {title: result for title, result in (
        (plain, effects.twfe_unadjusted if effects.design.covariates else effects.twfe),
        (with_cov, effects.twfe if effects.design.covariates else None),
        ("PSM-DID", effects.psm)) if result is not None}
    out = {}
    if main:
        out["main"] = _with_notes(regression_table(main, labels=labels, language=language),
                                  effects, language,
                                  effects.inference_note(language) + ("。" if zh else "."))
    if effects.clustering:
        models = {label(f"pe_cluster_{k}", language): r for k, r in effects.clustering.items()}
        note = (("各列：" if zh else "Columns: ")
                + ("；" if zh else "; ").join(_clustering_parts(effects, language))
                + ("。" if zh else "."))
        out["clustering"] = _with_notes(regression_table(models, terms=[TREATED], labels=labels,
                                                         language=language),
                                        effects, language, note)
    return out


def _clustering_parts(effects: PolicyEffects, language: Language) -> list[str]:
    """Per alternative clustering: one- or two-way, the number of clusters (the smaller
    dimension for two-way), the inference its p-value uses, and the caveat where a
    cluster-robust p-value rests on fewer than ``FEW_CLUSTERS`` clusters."""
    zh = is_zh(language)
    parts = []
    for key, r in effects.clustering.items():
        name, how = label(f"pe_cluster_{key}", language), label(inference_key(r), language)
        g = min(r.fit.n_clusters)
        if len(r.fit.cluster) > 1:
            text = (f"{name}：双向聚类，较少一维只有 {g} 类，{how}（t 分布 {g - 1} 自由度）" if zh
                    else f"{name}: two-way clustering, {g} clusters in the smaller dimension, "
                    f"{how} (t with {g - 1} df)")
            if g < FEW_CLUSTERS:
                text += ("；本工具的野聚类自助法只用于单向聚类，类少时该 p 值可能偏小，应谨慎"
                         if zh else "; the kit's wild cluster bootstrap is one-way only, and "
                         "with so few clusters this p-value can be too small: read it with care")
        else:
            text = (f"{name}：单向聚类，{g} 类，{how}" if zh else
                    f"{name}: one-way clustering, {g} clusters, {how}")
            if r.wild is not None:
                text += (f"（{label(f'wild_weights_{r.wild.weights}', language)}）" if zh else
                         f" ({label(f'wild_weights_{r.wild.weights}', language)})")
            elif g < FEW_CLUSTERS or (r.n_treated_clusters or g) < FEW_CLUSTERS:
                text += ("；类或处理类少于 42 个，聚类稳健 p 值可能偏小" if zh else
                         "; fewer than 42 clusters or treated clusters: the cluster-robust "
                         "p-value can be too small")
        parts.append(text)
    return parts


def dynamic_frame(effects: PolicyEffects) -> pd.DataFrame:
    """Effects by event time, long and numeric (动态效应数据): ``event_time, estimator, coef,
    se, ci_low, ci_high, band_low, band_high, reference`` (True where the estimator fixes the
    coefficient at 0), and ``true_effect`` when simulated. Within the event-study window."""
    parts = []
    if effects.event_study is not None:
        es = effects.event_study.coefs.rename(columns={"rel_time": "event_time"})
        parts.append(es.assign(estimator="event_study",
                               reference=es["event_time"] == effects.event_study.ref))
    if effects.cs is not None:
        dyn = effects.cs.aggregate("dynamic").table.rename(columns={"att": "coef"})
        parts.append(dyn.assign(estimator="cs", reference=False))
    if effects.sun_abraham is not None:
        sa = effects.sun_abraham.event.rename(columns={"rel_time": "event_time", "att": "coef"})
        parts.append(sa.assign(estimator="sun_abraham",
                               reference=sa["event_time"] == effects.sun_abraham.ref))
    columns = ["event_time", "estimator", "coef", "se", "ci_low", "ci_high", "band_low",
               "band_high", "reference"]
    frame = (pd.concat([p[columns] for p in parts], ignore_index=True) if parts
             else pd.DataFrame(columns=columns))
    if effects.event_study is not None:
        frame = frame[frame["event_time"].between(*effects.event_study.window)]
    if effects.design.truth is not None and len(frame):
        frame = frame.assign(true_effect=effects._tau(frame["event_time"].to_numpy()))
    return frame.reset_index(drop=True)


def dynamic_table(effects: PolicyEffects, language: Language = "zh", *,
                  digits: int = 4) -> RegressionTable:
    """Effects by event time (动态效应表), one row per event time: for each of the TWFE event
    study, Callaway–Sant'Anna (dynamic) and Sun–Abraham the estimate with its standard error
    in parentheses, the pointwise interval and the uniform band at the report's level; the
    reference period of the TWFE event study and Sun–Abraham reads "0（基期）"; the true
    effect when simulated. The note names the level, each estimator's base period and the
    inference."""
    zh = is_zh(language)
    frame = dynamic_frame(effects)
    pct = f"{100 * effects.level:g}%"
    out = pd.DataFrame(index=pd.Index(sorted(frame["event_time"].unique()),
                                      name=label("pe_event_time", language)))

    def span(lo: float, hi: float) -> str:
        return "" if np.isnan(lo) or np.isnan(hi) else f"[{lo:.{digits}f}, {hi:.{digits}f}]"

    for key in ("event_study", "cs", "sun_abraham"):
        part = frame[frame["estimator"] == key].set_index("event_time")
        if part.empty:
            continue
        part = part.reindex(out.index)  # estimators observe different event times
        name = label(f"pe_{key}", language)
        out[name] = ["" if np.isnan(r["coef"]) else label("pe_reference_cell", language)
                     if r["reference"] is True else
                     f"{r['coef']:.{digits}f} ({r['se']:.{digits}f})" for _, r in part.iterrows()]
        out[label("pe_ci_header", language).format(name=name, pct=pct)] = [
            span(r["ci_low"], r["ci_high"]) for _, r in part.iterrows()]
        out[label("pe_band_header", language).format(name=name, pct=pct)] = [
            span(r["band_low"], r["band_high"]) for _, r in part.iterrows()]
    if "true_effect" in frame.columns:
        truth = frame.groupby("event_time")["true_effect"].first()
        out[label("pe_true_effect", language)] = [f"{v:.{digits}f}" for v in truth]
    out = out.fillna("")
    base = _base_note(effects, language)
    note = ((f"注：括号内为标准误；置信区间为逐点 {pct} 区间，一致置信带同时覆盖全部事件时间"
             f"（{_band_note(effects, language)}）。{base}") if zh else
            (f"Note: standard errors in parentheses; intervals are pointwise {pct}; the uniform "
             f"band covers all event times at once ({_band_note(effects, language)}). {base}"))
    extra = effects.inference_note(language) + ("。" if zh else ".")
    return _with_notes(RegressionTable(table=out, note=note), effects, language, extra)


def _band_note(effects: PolicyEffects, language: Language) -> str:
    """How each estimator's uniform band was obtained — from the same inference as its
    pointwise intervals."""
    zh = is_zh(language)
    parts = []
    for key, result in (("event_study", effects.event_study),
                        ("sun_abraham", effects.sun_abraham)):
        if result is None:
            continue
        name = label(f"pe_{key}", language)
        if result.wild is not None:
            parts.append(f"{name}：与逐点区间同一组野自助抽样校准（逐点检验水平降为 "
                         f"{result.band_alpha:.4f}）" if zh else
                         f"{name}: calibrated on the same wild bootstrap draws as its intervals "
                         f"(pointwise level lowered to {result.band_alpha:.4f})")
        else:
            parts.append(f"{name}：聚类稳健 sup-t，临界值 {result.band_crit:.2f}" if zh else
                         f"{name}: cluster-robust sup-t, critical value {result.band_crit:.2f}")
    if effects.cs is not None:
        crit = effects.cs.aggregate("dynamic").band_crit
        parts.append(f"Callaway–Sant'Anna：乘子自助法 sup-t（R did 默认），临界值 {crit:.2f}" if zh
                     else f"Callaway–Sant'Anna: multiplier-bootstrap sup-t (R did's default), "
                     f"critical value {crit:.2f}")
    return ("；" if zh else "; ").join(parts)


def _base_note(effects: PolicyEffects, language: Language) -> str:
    """Each estimator's reference period, as drawn in the figure."""
    zh = is_zh(language)
    parts = []
    if effects.event_study is not None:
        ref = effects.event_study.ref
        parts.append(f"TWFE 事件研究以 e={ref} 为基期（系数为 0）" if zh else
                     f"TWFE event study: reference e={ref} (fixed at 0)")
    if effects.sun_abraham is not None:
        ref = effects.sun_abraham.ref
        parts.append(f"Sun–Abraham 以 e={ref} 为基期" if zh else
                     f"Sun–Abraham: reference e={ref}")
    if effects.cs is not None:
        if effects.cs.base_period == "varying":
            parts.append("Callaway–Sant'Anna 政策后各期以 e=−1 为基期、政策前各期为相对前一年的变化"
                         "（逐期基期，R did 默认）" if zh else
                         "Callaway–Sant'Anna: post periods against e=−1, pre periods against "
                         "the year before (varying base, R did's default)")
        else:
            parts.append("Callaway–Sant'Anna 以 e=−1 为统一基期" if zh else
                         "Callaway–Sant'Anna: universal base e=−1")
    return ("；".join(parts) + "。") if zh else ("; ".join(parts) + ".")


def event_study_figure(effects: PolicyEffects, language: Language = "zh", *,
                       title: str | None = None) -> Figure:
    """Event-study figure (事件研究图): TWFE event study, Callaway–Sant'Anna (dynamic) and
    Sun–Abraham side by side with pointwise intervals (caps) and uniform bands (pale bars) at
    the report's level, each reference period drawn hollow at 0 at its true position (none for
    Callaway–Sant'Anna's varying base, whose pre-treatment points are year-on-year
    comparisons), and the true effect of the simulated sample as a dashed line. Shown within
    the event-study window (when estimated)."""
    frame = dynamic_frame(effects)
    if frame.empty:
        raise InputError("没有动态效应估计可画 / no dynamic estimates",
                         hint="estimators 中至少包括 event_study、cs 或 sun_abraham 之一。")
    colours = {"event_study": "#1f4e79", "cs": "#c55a11", "sun_abraham": "#548235"}
    present = [k for k in colours if (frame["estimator"] == k).any()]
    lo, hi = int(frame["event_time"].min()), int(frame["event_time"].max())
    fig = Figure(figsize=mpl.rcParams["figure.figsize"], layout="constrained")
    ax = fig.add_subplot()
    pct = f"{100 * effects.level:g}%"
    offsets = np.linspace(-0.2, 0.2, len(present)) if len(present) > 1 else [0.0]
    for key, dx in zip(present, offsets, strict=True):
        part = frame[frame["estimator"] == key]
        est = part[~part["reference"]]
        x = est["event_time"].to_numpy() + dx
        b = est["coef"].to_numpy(dtype=float)
        band = np.abs(np.column_stack([b - est["band_low"], est["band_high"] - b])).T
        ax.errorbar(x, b, yerr=band, fmt="none", ecolor=colours[key], elinewidth=6,
                    alpha=0.18)
        ci = np.abs(np.column_stack([b - est["ci_low"], est["ci_high"] - b])).T
        ax.errorbar(x, b, yerr=ci, fmt="o", ms=4, color=colours[key], ecolor=colours[key],
                    capsize=2, lw=1, label=label(f"pe_{key}", language))
        ref = part[part["reference"]]
        if len(ref):
            ax.plot(ref["event_time"] + dx, np.zeros(len(ref)), "o", ms=5, mfc="white",
                    color=colours[key])
    if effects.design.truth is not None:
        for part, name in ((np.arange(lo, 0), None),
                           (np.arange(0, hi + 1), label("pe_true_effect", language))):
            ax.plot(part, effects._tau(part), color="#7f7f7f", ls="--", lw=1.2, label=name)
    ax.plot([], [], "o", mfc="white", color="#555555",
            label=label("pe_hollow_reference", language))
    ax.plot([], [], color="#555555", lw=6, alpha=0.18,
            label=label("pe_band_legend", language).format(pct=pct))
    ax.axhline(0.0, color="#555555", lw=0.8)
    ax.axvline(-0.5, color="#c00000", ls=":", lw=0.9)
    ticks = [str(e).replace("-", "−") for e in range(lo, hi + 1)]
    if effects.event_study is not None and effects.event_study.binned:
        ticks[0], ticks[-1] = f"≤{ticks[0]}", f"≥{ticks[-1]}"  # TWFE end points binned
    ax.set_xticks(range(lo, hi + 1), ticks)
    ax.set_xlabel(label("pe_years_relative", language))
    ax.set_ylabel(label("pe_effect_on", language).format(outcome=effects.design.outcome))
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", fontsize=7)
    return fig


# --------------------------------------------------------------------------- narrative


def _signif(pvalue: float, language: Language = "zh") -> str:
    for level in (0.01, 0.05, 0.1):
        if pvalue < level:
            return (f"在 {level:.0%} 水平上显著" if is_zh(language)
                    else f"significant at {level:.0%}")
    return "在 10% 水平上不显著" if is_zh(language) else "not significant at 10%"


def _p(pvalue: float, reps: int | None = None) -> str:
    """``p = 0.012`` or ``p ≤ 0.001`` (resampling floor) or ``p < 0.001``."""
    text = format_pvalue(pvalue, reps=reps)
    return f"p {text}" if text[0] in "<≤" else f"p = {text}"


def _effect(design: PolicyDesign, coef: float, se: float, pvalue: float,
            language: Language = "zh", reps: int | None = None) -> str:
    if is_zh(language):
        text = f"{coef:.4f}（标准误 {se:.4f}，{_p(pvalue, reps)}，{_signif(pvalue)}）"
        if design.log_outcome:
            text += f"，约合 {100 * np.expm1(coef):.1f}%"
        return text
    text = f"{coef:.4f} (SE {se:.4f}, {_p(pvalue, reps)}, {_signif(pvalue, 'en')})"
    if design.log_outcome:
        text += f", about {100 * np.expm1(coef):.1f}%"
    return text


def _design_sentences(design: PolicyDesign, language: Language) -> list[str]:
    ka = design.treatment == "key_assistance"
    if not is_zh(language):
        lines = [f"Design: {design.summary('en')}"]
        if design.sample == "poverty_counties":
            lines.append(
                "The comparison stays within former poverty counties: "
                + ("key-assistance counties were all chosen among them, and the controls are "
                   "the former poverty counties not listed" if ka else
                   "exit cohorts are compared with former poverty counties that have not "
                   "exited yet")
                + ". Non-poverty counties start from a different level and grow along a "
                  "different path" + (" (in the simulated data their income is calibrated to "
                                       "the national rural series and grows more slowly)"
                                       if design.simulated else "")
                + "; using them as controls would count that difference in trends as a "
                  "policy effect.")
        else:
            lines.append(
                "The comparison sample includes non-poverty counties: the estimate is valid "
                "only if they would have moved in parallel with the treated counties. "
                + ("In the simulated data they do not (their income grows more slowly), so the "
                   "estimate is biased; " if design.simulated else
                   "Their different starting points and growth paths make that doubtful; ")
                + 'sample="poverty_counties" keeps the comparison within former poverty '
                  "counties.")
        return lines
    lines = [f"设计：{design.summary()}"]
    if design.sample == "poverty_counties":
        lines.append(
            "比较只在原贫困县内部进行："
            + ("重点帮扶县全部从原贫困县中确定，对照为未列入的原贫困县" if ka
               else "摘帽队列以尚未摘帽的原贫困县为对照")
            + "。非贫困县的发展起点和收入增长路径不同"
            + ("（模拟数据中，两类县的收入分别按全国贫困地区和全国农村序列逐年校准，"
               "非贫困县增长较慢）" if design.simulated else "")
            + "，把它们作为对照会把两类县的趋势差异误当作政策效应。")
    else:
        lines.append(
            "比较样本包括非贫困县：只有当非贫困县与处理县在没有政策时趋势相同，估计才有效。"
            + ("模拟数据中这一条件不成立（非贫困县收入增长较慢），估计会有偏；" if design.simulated
               else "非贫困县的发展起点和增长路径通常不同，这一条件值得怀疑；")
            + "建议 sample=\"poverty_counties\"，只在原贫困县内部比较。")
    return lines


def inference_summary(effects: PolicyEffects, language: Language = "zh") -> list[str]:
    """The covariate set and the inference of the report, one sentence each (协变量与推断说明).

    The same statements the tables' notes make: which covariates every estimator uses, how
    the regressions' p-values were obtained (cluster-robust, or the wild cluster bootstrap
    with the number of treated counties and why), which inference every column of the
    comparison uses and, with few treated counties, the caveat on Callaway–Sant'Anna's
    large-sample p-values, what PSM-DID matched on and its standard error, how each uniform
    band was obtained and the resampling draws.
    """
    zh = is_zh(language)
    cov = covariate_note(effects.design.covariates, language,
                         est_method=effects.cs.est_method if effects.cs else "dr")
    lines = [(f"协变量：{cov}。" if zh else f"Covariates: {cov}.")]
    if any(r is not None for r in (effects.twfe, effects.event_study, effects.sun_abraham)):
        lines.append(("推断：" if zh else "Inference: ") + effects.inference_note(language)
                     + ("。" if zh else "."))
    if len(effects.estimates()):
        lines.append(effects.comparison().inference_note(language) + ("。" if zh else "."))
    if effects.psm is not None:
        lines.append(("PSM-DID 的推断：" if zh else "PSM-DID inference: ")
                     + effects.psm_note(language) + ("。" if zh else "."))
    if any(r is not None for r in (effects.event_study, effects.cs, effects.sun_abraham)):
        pct = f"{100 * effects.level:g}%"
        lines.append(
            f"置信区间与置信带：动态效应同时给出逐点 {pct} 置信区间与 {pct} 一致置信带"
            f"（同时覆盖全部事件时间，{effects.reps} 次抽样；{_band_note(effects, language)}）。"
            if zh else
            f"Intervals and bands: dynamic effects carry pointwise {pct} intervals and {pct} "
            f"uniform bands (covering all event times at once, {effects.reps} draws; "
            f"{_band_note(effects, language)}).")
    return lines


def _estimate_sentences(effects: PolicyEffects, language: Language,
                        ) -> tuple[list[str], pd.Series | None]:
    design, lines, zh = effects.design, [], is_zh(language)
    table = effects.estimates().set_index("estimator")
    name = "label_zh" if zh else "label_en"
    if "twfe" in table.index:
        r = table.loc["twfe"]
        effect = _effect(design, r["coef"], r["se"], r["pvalue"], language, r["reps"] or None)
        lines.append(f"双向固定效应（静态）DID 估计：{design.outcome} 的平均处理效应为 {effect}。"
                     if zh else
                     f"Static TWFE DID: average effect on {design.outcome} {effect}.")
    robust = table.loc[table.index.isin(["cs", "sun_abraham"])]
    if not robust.empty:
        parts = ("；" if zh else "; ").join(
            r[name] + " " + _effect(design, r["coef"], r["se"], r["pvalue"], language,
                                    r["reps"] or None)
            for _, r in robust.iterrows())
        lines.append(f"异质性稳健估计量：{parts}。" if zh else
                     f"Heterogeneity-robust estimators: {parts}.")
        early = effects.cs.n_dropped_early if effects.cs is not None else 0
        if early:
            lines.append(f"有 {early} 个县在样本第一年已受处理、没有处理前观测，稳健估计量按 R did "
                         "的规则不使用它们（静态 TWFE 仍"
                         "使用），两类估计所对应的县因此不同。" if zh else
                         f"{early} counties were already treated in the first year and have no "
                         "pre-treatment observation; following R did the robust estimators "
                         "leave them out (static TWFE keeps them), so the two cover different "
                         "counties.")
    if "twfe" in table.index and not robust.empty:
        twfe, mean_robust = table.loc["twfe"], float(robust["coef"].mean())
        gap = twfe["coef"] - mean_robust
        staggered = int((design.cohort_sizes.index > 0).sum()) > 1
        if abs(gap) <= twfe["se"]:
            lines.append(
                (f"静态 TWFE 与稳健估计量（均值 {mean_robust:.4f}"
                 f"）相差 {gap:+.4f}，不到一个标准误。"
                 + ("" if design.has_never_treated else
                    "但二者平均的处理县年并不相同：没有从未受处理的县时，稳健估计量只估计仍有尚未"
                    "处理的县可作对照的处理县年，数值接近并不说明静态 TWFE 无偏。")) if zh else
                (f"Static TWFE and the robust estimators (mean {mean_robust:.4f}) differ by "
                 f"{gap:+.4f}, less than one standard error."
                 + ("" if design.has_never_treated else
                    " They average different treated county-years, though: without never-"
                    "treated counties the robust estimators only cover county-years that still "
                    "have not-yet-treated controls, so close numbers do not show TWFE is "
                    "unbiased.")))
        else:
            if zh:
                why = ("静态 TWFE 把各期效应压成一个系数，交错处理时还以已受处理的县为对照"
                       "（Goodman-Bacon 2021），效应随时间增长时会偏离平均处理效应，甚至反号；"
                       if staggered else
                       "只有一个处理队列时，差别主要来自基期：静态"
                       " TWFE 以政策前全部年份的平均为基准，"
                       "稳健估计量以政策前一年为基准，政策前各年的波动（见事件研究图）造成了差别；")
                lines.append(
                    f"静态 TWFE 比稳健估计量（均值 {mean_robust:.4f}）{'低' if gap < 0 else '高'} "
                    f"{abs(gap):.4f}，超过一个标准误。{why}Callaway–Sant'Anna 与 Sun–Abraham 只用"
                    "未受处理（或尚未受处理）的县作对照、逐期比较，应以它们为准。")
            else:
                why = ("static TWFE folds all periods into one coefficient and, with staggered "
                       "adoption, uses already-treated counties as controls (Goodman-Bacon "
                       "2021), so with effects growing over time it departs from the average "
                       "effect, even in sign; " if staggered else
                       "with one cohort the difference comes from the base: static TWFE "
                       "compares with the mean of all pre-treatment years, the robust "
                       "estimators with the year before, and pre-treatment fluctuations (see the "
                       "event-study figure) make the difference; ")
                lines.append(
                    f"Static TWFE is {abs(gap):.4f} {'below' if gap < 0 else 'above'} the robust "
                    f"estimators (mean {mean_robust:.4f}), more than one standard error: {why}"
                    "Callaway–Sant'Anna and Sun–Abraham compare only with untreated (or not yet "
                    "treated) counties period by period and should be preferred.")
    if design.truth is not None and len(table):
        truth = table["true_effect"]
        within = (table["coef"] - truth).abs() <= 1.96 * table["se"]
        sep = "、" if zh else ", "
        listed = sep.join(f"{table.at[k, name]} {truth[k]:.4f}" for k in table.index)
        ok = sep.join(table.loc[within, name]) or ("无" if zh else "none")
        missed = sep.join(table.loc[~within, name])
        lines.append(
            (f"模拟数据的真实效应已知（{_truth_text(design, language)}"
             "）。按各估计量所平均的处理县年"
             f"计算，真实平均效应为：{listed}。估计与真实值之差在 1.96 个标准误以内的有：{ok}"
             + (f"；超出的有：{missed}" if not within.all() else "") + "。") if zh else
            (f"The simulated data's true effect is known ({_truth_text(design, language)}). "
             f"Over the treated county-years each estimator averages, the true average effect "
             f"is: {listed}. Within 1.96 standard errors of the truth: {ok}"
             + (f"; outside: {missed}" if not within.all() else "") + "."))
    best = next((table.loc[k] for k in ("cs", "sun_abraham", "twfe") if k in table.index), None)
    return lines, best


def _truth_text(design: PolicyDesign, language: Language = "zh") -> str:
    truth = design.truth
    if is_zh(language):
        return "，".join(f"事件时间 {e} 为 {v:.3f}" for e, v in truth.iloc[:3].items()) + "，……"
    return ", ".join(f"{v:.3f} at event time {e}" for e, v in truth.iloc[:3].items()) + ", …"


def _pretrend_sentence(effects: PolicyEffects, language: Language) -> str:
    test = effects.event_study.pretrend_test
    zh = is_zh(language)
    terms = ", ".join(map(str, test.terms))
    head = (f"事件研究中政策前各期系数（{terms}）的联合检验：{test.summary('zh')}" if zh else
            f"Joint test of the pre-treatment coefficients ({terms}): {test.summary('en')}")
    if not test.rejects:
        return head + ("。两种形式都在 10% 水平上不能拒绝“政策前处理县与对照县无差异”。这与平行趋势"
                       "假设相容，但不能证明它：检验功效有限，而平行趋势是关于政策后反事实的假设，"
                       "本身无法检验。" if zh else
                       ". Neither form rejects “no pre-treatment difference” at 10%. This is "
                       "compatible with parallel trends but does not prove it: the test has "
                       "limited power, and parallel trends concern the post-treatment "
                       "counterfactual, which cannot be tested.")
    both = max(test.pvalue, test.chi2_pvalue) < 0.1
    which = ("F 检验与 χ² 检验都" if both else
             "χ²（大样本 Wald）检验" if test.chi2_pvalue < 0.1 else "F 检验")
    which_en = ("both the F and the χ² forms" if both else
                "the χ² (large-sample Wald) form" if test.chi2_pvalue < 0.1 else "the F form")
    if not both:
        other = "F 检验（小样本形式）" if test.chi2_pvalue < 0.1 else "χ² 检验"
        which = f"{other}在 10% 水平上不拒绝，但{which}"
        other_en = "the F (small-sample) form" if test.chi2_pvalue < 0.1 else "the χ² form"
        which_en = f"{other_en} does not reject at 10%, but {which_en}"
    return head + (f"。{which}在 10% 水平上拒绝“政策前无差异”——政策前处理县与对照县已有不同走势，"
                   "平行趋势假设可疑，DID 估计可能混入既有的趋势差异；可加入协变量、更换对照组，"
                   "或报告允许趋势偏离的敏感性分析（Rambachan & Roth 2023）。" if zh else
                   f". {which_en[0].upper() + which_en[1:]} rejects “no pre-treatment "
                   "difference” at 10%: "
                   "treated and control counties already moved differently before the policy, "
                   "parallel trends is doubtful and the DID estimate may contain the earlier "
                   "difference in trends; add covariates, change the controls, or report a "
                   "sensitivity analysis that allows trends to deviate (Rambachan & Roth 2023).")


def _assumption_sentences(effects: PolicyEffects, language: Language) -> list[str]:
    design, lines, zh = effects.design, [], is_zh(language)
    ka = design.treatment == "key_assistance"
    es = effects.event_study
    if es is not None:
        lines.append(_pretrend_sentence(effects, language))
        coefs = es.coefs.set_index("rel_time")
        last = int(coefs.index.max())
        pct = f"{100 * es.level:g}%"
        c0, cl = coefs.loc[0], coefs.loc[last]
        lines.append(
            (f"动态效应（TWFE 事件研究，以 e={es.ref} 为基期）：政策实施当年为 {c0['coef']:.4f}"
             f"（标准误 {c0['se']:.4f}，{pct} 置信区间 [{c0['ci_low']:.4f}"
             f", {c0['ci_high']:.4f}]，一致置信带 [{c0['band_low']:.4f}, {c0['band_high']:.4f}]），"
             f"第 {last} 年{'及以后' if es.binned else ''}"
             f"为 {cl['coef']:.4f}（标准误 {cl['se']:.4f}）；{es.band_summary('zh')}。") if zh else
            (f"Dynamic effects (TWFE event study, reference e={es.ref}): {c0['coef']:.4f} in the "
             f"first year (SE {c0['se']:.4f}, {pct} CI [{c0['ci_low']:.4f}, "
             f"{c0['ci_high']:.4f}], uniform band [{c0['band_low']:.4f}, "
             f"{c0['band_high']:.4f}]), {cl['coef']:.4f} in year {last}"
             f"{' and later' if es.binned else ''} (SE {cl['se']:.4f}); "
             f"{es.band_summary('en')}."))
    if zh:
        lines.append(
            "无预期效应：以政策前一年为基期，假定" + (
                "各县在重点帮扶县名单确定（2021 年）之前"
                "没有因预期而改变行为；若部分县提前获得倾斜，"
                "效应会提前出现并被基期吸收，估计偏小。" if ka else
                "摘帽之前没有预期效应；而摘帽要经过考核验收，摘帽前一两年往往集中投入，"
                "这会使事前系数偏离零、摘帽效应被错估。"))
        lines.append(
            "SUTVA 与溢出：假定一个县是否受处理不影响其他县的结果。"
            + ("重点帮扶县获得的衔接"
               "资金、项目和帮扶资源" if ka else "摘帽县的产业、就业和基础设施投入")
            + "可能通过劳务、产业链和市场溢出到相邻的对照县（估计偏向零），也可能挤占相邻县的资源"
              "（估计偏大）；可按地级市聚类、剔除相邻县作稳健性检验。")
        lines.append(
            "选择性：" + (
                "重点帮扶县是按发展水平最低选出的，不是随机分配。县固定效应吸收了水平差异，但若"
                "低发展县在没有政策时本来就以不同速度增长（追赶或继续落后），DID 会把这部分差异算作"
                "政策效应。" if ka else
                "摘帽时间不是随机的，发展水平较高的县先摘帽。交错 DID 要求各摘帽队列在没有政策时"
                "趋势相同；若先摘帽的县本来增长就快，早期队列的效应会被高估。"))
        return lines
    lines.append(
        "No anticipation: with the year before the policy as base we assume "
        + ("counties did not change behaviour before the list of key counties was set (2021); "
           "if some received support earlier, the effect starts early, is absorbed by the base "
           "and the estimate is too small." if ka else
           "no anticipation before exit; but exit follows an assessment, and the last one or "
           "two years before it often see concentrated spending, which moves the pre-treatment "
           "coefficients away from zero and misstates the exit effect."))
    lines.append(
        "SUTVA and spillovers: one county's treatment is assumed not to affect others. "
        + ("The linkage funds, projects and assistance of key counties" if ka else
           "The industry, employment and infrastructure spending of exiting counties")
        + " may spill over to neighbouring control counties through labour, supply chains and "
          "markets (biasing the estimate toward zero) or draw resources from them (biasing it "
          "up); clustering by prefecture and dropping neighbours are robustness checks.")
    lines.append(
        "Selection: " + (
            "key counties were chosen as the least developed, not at random. County fixed "
            "effects absorb level differences, but if the least developed counties would have "
            "grown at a different pace anyway (catching up or falling behind), DID counts that "
            "as a policy effect." if ka else
            "exit timing is not random: more developed counties exited first. Staggered DID "
            "needs exit cohorts to share trends without the policy; if early exiters grew "
            "faster anyway, early cohorts' effects are overstated."))
    return lines


def _robustness_sentences(effects: PolicyEffects, language: Language) -> list[str]:
    design, lines, zh = effects.design, [], is_zh(language)
    if effects.psm is not None:
        psm, match = effects.psm, effects.psm.match
        on = ("、" if zh else ", ").join(match.balance.index)
        effect = _effect(design, psm.coef, psm.se, psm.pvalue, language,
                         psm.reps if psm.inference == "bootstrap" else None)
        lines.append(
            f"PSM-DID（按 {on} 核匹配，{match.n_off_support} 个处理县在共同支撑域外）：{effect}。"
            "匹配只平衡可观测的特征，不能消除不可观测因素带来的选择偏误。" if zh else
            f"PSM-DID (kernel matching on {on}; {match.n_off_support} treated counties off "
            f"support): {effect}. Matching balances observed characteristics only; it cannot "
            "remove selection on unobservables.")
    elif "psm" in effects.skipped:
        lines.append(effects.skipped_reasons(language)["psm"] + ("。" if zh else "."))
    pl = effects.placebo
    if pl is not None:
        share = float((pl.draws.abs() >= abs(pl.estimate)).mean())
        p = _p(pl.pvalue, pl.reps)
        floor = pl.pvalue_text.startswith("≤")
        if zh:
            verdict = ("很难在“政策无效、处理县随机指定”的情况下得到这么大的估计" if pl.pvalue < 0.1
                       else "这样大小的估计在随机指定处理县时并不少见，不能排除估计只是偶然")
            bound = (f"（{pl.reps} 次抽样能给出的最小 p 值为 1/({pl.reps}+1)，只能说不超过它）"
                     if floor else "")
            lines.append(
                f"随机化安慰剂检验（{pl.reps} 次随机指定处理县）：真实估计 {pl.estimate:.4f}，"
                f"{share:.1%} 的安慰剂估计绝对值不小于它，{p}{bound}，{verdict}。"
                "安慰剂检验只回答“是否可能是偶然”：它不能证明平行趋势成立，也不能排除处理县的"
                "选择性或同期其他政策带来的偏误——这些偏误在随机重排中并不存在。")
        else:
            verdict = ("an estimate this large is hard to get when the policy has no effect and "
                       "treated counties are assigned at random" if pl.pvalue < 0.1 else
                       "estimates this large are common under random assignment; chance cannot "
                       "be ruled out")
            bound = (f" (the smallest p-value {pl.reps} draws can give is 1/({pl.reps}+1); "
                     "it is an upper bound)" if floor else "")
            lines.append(
                f"Permutation placebo ({pl.reps} random assignments of treated counties): "
                f"estimate {pl.estimate:.4f}; {share:.1%} of placebo estimates are at least as "
                f"large in absolute value, {p}{bound}: {verdict}. A placebo test only asks "
                "whether the estimate could be chance: it does not prove parallel trends, nor "
                "rule out selection or concurrent policies, which random reshuffling does not "
                "reproduce.")
    if effects.drop_one is not None:
        rest = effects.drop_one.iloc[1:]
        same = bool((np.sign(rest["coef"]) == np.sign(effects.drop_one["coef"].iloc[0])).all())
        lines.append(
            f"逐一剔除各处理队列后，TWFE 估计在 {rest['coef'].min():.4f}—{rest['coef'].max():.4f} "
            "之间，" + ("符号都不变，结果不依赖某一个队列。" if same
                       else "符号发生变化，结果依赖个别队列，应谨慎解释。") if zh else
            f"Dropping one treated cohort at a time, the TWFE estimate ranges from "
            f"{rest['coef'].min():.4f} to {rest['coef'].max():.4f}; "
            + ("the sign never changes, so no single cohort drives the result." if same else
               "the sign changes, so the result hinges on particular cohorts."))
    if effects.clustering:
        se = [r.se for r in effects.clustering.values()]
        sep = "；" if zh else "; "
        pvalues = sep.join(
            f"{label(f'pe_cluster_{k}', language)} "
            f"{_p(r.pvalue, r.wild.reps if r.wild is not None else None)}"
            f"（{label(inference_key(r), language)}）" if zh else
            f"{label(f'pe_cluster_{k}', language)} "
            f"{_p(r.pvalue, r.wild.reps if r.wild is not None else None)} "
            f"({label(inference_key(r), language)})" for k, r in effects.clustering.items())
        lines.append(
            f"更换聚类层级后，标准误在 {min(se):.4f}—{max(se):.4f} 之间；p 值：{pvalues}。"
            f"{'；'.join(_clustering_parts(effects, language))}。" if zh else
            f"With other clusterings the standard error ranges from {min(se):.4f} to "
            f"{max(se):.4f}; p-values: {pvalues}. "
            f"{'; '.join(_clustering_parts(effects, language))}.")
    return lines


def policy_narrative(effects: PolicyEffects, language: Language = "zh") -> list[str]:
    """Findings of the policy-effects report (政策效果要点), one sentence per item.

    States the design and why the comparison is restricted, the covariate set and the
    inference used (cluster-robust or wild bootstrap with the number of treated counties,
    PSM-DID's standard error, uniform bands), the TWFE and heterogeneity-robust estimates and
    how far apart they are, the true effect when the data are simulated, the pre-trend test
    (F and χ²), the identifying assumptions (parallel trends, no anticipation,
    SUTVA/spillovers, selection of treated counties), what PSM and the placebo do and do not
    show (the placebo p-value at its 1/(B+1) floor printed as a bound), drop-one-cohort and
    clustering robustness, and what the design can and cannot claim. Every number is read
    from ``effects`` (the same numbers as the tables), so the sentences change with the
    estimates.

    Parameters
    ----------
    effects : PolicyEffects
    language : {"zh", "en"}

    Returns
    -------
    list of str
    """
    check_option("language", language, Language)
    design, zh = effects.design, is_zh(language)
    estimates, best = _estimate_sentences(effects, language)
    lines = [*_design_sentences(design, language), *inference_summary(effects, language),
             *estimates, *_assumption_sentences(effects, language),
             *_robustness_sentences(effects, language)]
    if best is not None:
        size = f"{best['coef']:.4f}" + ((f"（约 {100 * np.expm1(best['coef']):.1f}%）" if zh else
                                         f" (about {100 * np.expm1(best['coef']):.1f}%)")
                                        if design.log_outcome else "")
        name = best["label_zh" if zh else "label_en"]
        lines.append(
            "可以主张：在平行趋势、无预期效应和无溢出的假设下，"
            f"{label(f'pe_treatment_{design.treatment}', 'zh')}"
            f"使处理县的 {design.outcome} 平均变化 {size}（{name}，{_signif(best['pvalue'])}）。"
            "不能主张：效应可以推广到样本以外的县、效应来自哪一项具体措施，或在上述假设不成立时的"
            "因果解释。" if zh else
            f"What can be claimed: under parallel trends, no anticipation and no spillovers, "
            f"{label(f'pe_treatment_{design.treatment}', 'en')} changed {design.outcome} in "
            "treated counties by "
            f"{size} on average ({name}, {_signif(best['pvalue'], 'en')}). What cannot: that the "
            "effect carries over to other counties, which measure produced it, or a causal "
            "reading if those assumptions fail.")
    if design.simulated:
        lines.append("以上结果基于模拟数据，仅用于演示方法，不代表任何真实地区。" if zh else
                      "These results come from simulated data, for demonstration only; they "
                      "describe no real area.")
    return lines


# --------------------------------------------------------------------------- the section

KEY = "policy_effects"

#: The chapter title by language.
TITLE: dict[str, str] = {"zh": "政策效果", "en": "Policy effects"}

_LANGUAGES: tuple[Language, ...] = ("zh", "en")


def title(language: Language = "zh") -> str:
    """The chapter title in ``language``."""
    return TITLE["zh" if is_zh(language) else "en"]


@dataclass(frozen=True)
class PolicyProducts:
    """The province-wide estimates of the policy section as plain data (政策效果全省结果).

    What every region report shows of the province-wide models — the design, the estimates
    table, the sentences, the regression tables and the figures in both languages — made once
    per batch (:func:`linkage.reporting.cache.once`) from a :class:`PolicyEffects` (whose
    fitted models are not kept: they cannot be stored)."""

    design: PolicyDesign
    estimates: pd.DataFrame
    inference: str
    n_treated_clusters: int
    reps: int
    level: float
    pretrend: tuple[float, float, bool] | None
    placebo: tuple[float, float, str, int] | None
    clustering: dict[str, tuple[float, float, str]]
    drop_one: pd.DataFrame | None
    balance: pd.DataFrame | None
    text: dict[str, dict[str, Any]]


def _table_frame(table: RegressionTable) -> pd.DataFrame:
    return table.table.reset_index()


def policy_products(effects: PolicyEffects) -> PolicyProducts:
    """Everything the section needs from ``effects``, in both languages (see
    :class:`PolicyProducts`)."""
    text: dict[str, dict[str, Any]] = {}
    for language in _LANGUAGES:
        estimates, _ = _estimate_sentences(effects, language)
        robust = _robustness_sentences(effects, language)
        lines = policy_narrative(effects, language)
        claim = next((x for x in lines if x.startswith(("可以主张", "What can be claimed"))),
                     None)
        item: dict[str, Any] = {
            "design": _design_sentences(effects.design, language),
            "inference": inference_summary(effects, language),
            "estimates": estimates, "claim": claim,
            "assumptions": _assumption_sentences(effects, language),
            "robustness": robust,
            "skipped": effects.skipped_reasons(language),
            "comparison": comparison_table(effects, language) if len(effects.estimates())
            else None,
            "regression": regression_tables(effects, language),
        }
        if effects.event_study is not None:
            item["pretrend_sentence"] = _pretrend_sentence(effects, language)
            pre = effects.event_study.pretrend_test.to_frame()
            item["pretrend_table"] = pre
        if {"event_study", "cs", "sun_abraham"} & {
                k for k in ("event_study", "cs", "sun_abraham") if getattr(effects, k)}:
            item["dynamic"] = dynamic_table(effects, language)
            item["event_figure"] = event_study_figure(effects, language)
        if effects.placebo is not None:
            fig = effects.placebo.plot(language)
            fig.axes[0].set_title("")
            item["placebo_figure"] = fig
            item["placebo_summary"] = effects.placebo.summary(language)
        text[language] = item
    es = effects.event_study
    pl = effects.placebo
    return PolicyProducts(
        design=effects.design, estimates=effects.estimates(), inference=effects.inference,
        n_treated_clusters=effects.n_treated_clusters, reps=effects.reps, level=effects.level,
        pretrend=(None if es is None else (es.pretrend_test.pvalue, es.pretrend_test.chi2_pvalue,
                                           bool(es.pretrend_test.rejects))),
        placebo=(None if pl is None else (pl.estimate, pl.pvalue, pl.pvalue_text, pl.reps)),
        clustering={k: (r.se, r.pvalue, inference_key(r)) for k, r in effects.clustering.items()},
        drop_one=effects.drop_one,
        balance=None if effects.psm is None else effects.psm.match.balance,
        text=text)


def _reader_names(data: PanelData, design: PolicyDesign, framework: Any,
                  language: Language) -> dict[str, str]:
    """Raw column names of the design → what a reader reads (结果变量与协变量的中文名)."""
    from linkage.sections.extension import unit_text

    zh = is_zh(language)
    table = framework.indicator_table()

    def name(column: str) -> str:
        if column in table.index:
            unit = unit_text(str(table.at[column, "unit"]), language)
            base = str(table.at[column, "name_zh" if zh else "name_en"])
            return f"{base}（{unit}）" if zh else f"{base} ({unit})"
        known = {"rural_population": ("农村人口（万人）", "rural population (10,000 persons)")}
        return known.get(column, (column, column))[0 if zh else 1]

    outcome = design.source_outcome
    if outcome in table.index:
        base = str(table.at[outcome, "name_zh" if zh else "name_en"])
    else:
        base = outcome
    names = {design.outcome: (f"{base}（对数）" if zh else f"log {base[:1].lower()}{base[1:]}")
             if design.log_outcome
             else name(outcome)}
    names[outcome] = name(outcome)
    for c in (*design.covariates, "rural_population"):  # named in the PSM-skip reason too
        names[c] = name(c)
    names |= {"region_code & year": "县和年份" if zh else "county and year",
              "prefecture_code": "地级市" if zh else "prefecture",
              "region_code": "县" if zh else "county",
              'sample="poverty_counties"': "只在原贫困县内部比较" if zh else
              "keeping the comparison within former poverty counties",
              "在 covariates 中指定": "指定",
              "[-inf, inf]": "无法校准（抽样次数太少）" if zh else
              "not calibrated (too few draws)",
              "name county covariates in covariates": "name county covariates"}
    return names


def _reader_text(text: str, names: Mapping[str, str]) -> str:
    """``text`` with raw column names replaced by reader names (longest first)."""
    for raw in sorted(names, key=len, reverse=True):
        text = text.replace(raw, names[raw])
    return text


def _reader_frame(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [_reader_text(str(c), names) for c in out.columns]
    return out.map(lambda v: _reader_text(v, names) if isinstance(v, str) else v)


def _region_cohort(design: PolicyDesign, counties: pd.DataFrame, code: str,
                   ) -> tuple[bool | None, int | None, bool]:
    """A county's treatment status, cohort and whether it is in the comparison sample."""
    frame = design.frame
    row = frame.loc[frame[UNIT] == code, COHORT]
    if len(row):
        cohort = int(row.iloc[0])
        return cohort > 0, (cohort or None), True
    column = _TREATMENT_COLUMN.get(design.treatment, "key_assistance")
    if code in counties.index and column in counties.columns:
        value = counties.at[code, column]
        if pd.isna(value):
            return None, None, False
        if design.treatment == "key_assistance":
            return bool(value), None, False
        return int(value) > 0, int(value) or None, False
    return None, None, False


def _path_table(data: PanelData, design: PolicyDesign, codes: Sequence[str], name: str,
                cohort: int, language: Language) -> pd.DataFrame:
    """The outcome level by year for the region and the treated and never-treated counties
    of the comparison sample (weighted by rural population when known)."""
    zh = is_zh(language)
    panel = data.panel
    source = design.source_outcome
    sizes = design.frame.groupby(UNIT)[COHORT].first()
    treated = sizes.index[(sizes > 0) & ~sizes.index.isin(codes)]
    control = sizes.index[(sizes == 0) & ~sizes.index.isin(codes)]
    weights = (panel[UNIT].map(data.counties["rural_population"]).astype(float)
               if "rural_population" in data.counties.columns else
               pd.Series(1.0, index=panel.index))

    def mean(members: Sequence[str]) -> pd.Series:
        rows = panel[UNIT].isin(members) & panel[source].notna()
        w = weights[rows]
        return (panel.loc[rows, source] * w).groupby(panel.loc[rows, TIME]).sum() / \
            w.groupby(panel.loc[rows, TIME]).sum()

    out = pd.DataFrame({name: mean(list(codes)),
                        ("处理县平均" if zh else "Treated counties, mean"): mean(treated),
                        ("对照县平均" if zh else "Control counties, mean"): mean(control)})
    out.index = out.index.astype(int)
    out.index.name = label("year", language)
    return out


def _estimates_reader(products: PolicyProducts, language: Language) -> pd.DataFrame:
    """One row per estimator for readers: estimate, SE, interval, p-value as printed, where
    the p-value comes from, the approximate % change, and the true effect when simulated."""
    zh = is_zh(language)
    rows = products.estimates
    pct = f"{100 * products.level:g}%"
    unit = (("（对数点）" if zh else " (log points)") if products.design.log_outcome else "")
    out = pd.DataFrame({
        ("估计量" if zh else "Estimator"): rows["label_zh" if zh else "label_en"],
        ("平均处理效应" if zh else "Average effect") + unit: rows["coef"],
        ("标准误" if zh else "Std. error") + unit: rows["se"],
        (f"{pct}置信区间" if zh else f"{pct} CI"): [f"[{a:.4f}, {b:.4f}]" for a, b in
                                                  zip(rows["ci_low"], rows["ci_high"],
                                                      strict=True)],
        ("p 值" if zh else "p-value"): [format_pvalue(p, reps=int(r) or None)
                                        for p, r in zip(rows["pvalue"], rows["reps"],
                                                        strict=True)],
        ("p 值方法" if zh else "p-value from"): [label(k, language) for k in rows["inference"]],
    })
    if products.design.log_outcome:
        out["约合变化（%）" if zh else "About (%)"] = 100 * np.expm1(rows["coef"])
    if rows["true_effect"].notna().any():
        out[label("pe_true_effect", language)] = rows["true_effect"]
    return out


def _robustness_reader(products: PolicyProducts, language: Language) -> pd.DataFrame:
    """The robustness checks in a few rows: pre-trend test, placebo, alternative clusterings,
    drop-one-cohort — each with its result and what it says."""
    zh = is_zh(language)
    rows = []
    if products.pretrend is not None:
        f_p, chi_p, rejects = products.pretrend
        rows.append(("政策前趋势联合检验" if zh else "Joint pre-trend test",
                     f"F 检验 p = {f_p:.3f}；χ² 检验 p = {chi_p:.3f}" if zh else
                     f"F test p = {f_p:.3f}; χ² test p = {chi_p:.3f}",
                     ("拒绝“政策前无差异”，平行趋势可疑" if rejects else
                      "不拒绝“政策前无差异”（不等于平行趋势成立）") if zh else
                     ("rejects no pre-treatment difference: parallel trends doubtful"
                      if rejects else "does not reject (which does not prove parallel trends)")))
    if products.placebo is not None:
        _, p, p_text, reps = products.placebo
        shown = p_text if p_text[0] in "<≤" else f"= {p_text}"
        rows.append(("随机化安慰剂检验" if zh else "Permutation placebo",
                     f"{reps} 次，p {shown}" if zh else f"{reps} draws, p {shown}",
                     ("估计难以用偶然解释" if p < 0.1 else "不能排除偶然") if zh else
                     ("hard to explain by chance" if p < 0.1 else "chance not ruled out")))
    for key, (se, p, how) in products.clustering.items():
        rows.append(((f"按{label(f'pe_cluster_{key}', language)}聚类" if zh else
                      f"Clustered by {label(f'pe_cluster_{key}', language).lower()}"),
                     (f"标准误 {se:.4f}，p {format_pvalue(p)}" if zh else
                      f"SE {se:.4f}, p {format_pvalue(p)}").replace("p 0", "p = 0")
                     .replace("p 1", "p = 1"),
                     label(how, language)))
    if products.drop_one is not None:
        rest = products.drop_one.iloc[1:]
        rows.append(("逐一剔除处理队列" if zh else "Drop one cohort",
                     f"{rest['coef'].min():.4f}—{rest['coef'].max():.4f}" if zh else
                     f"{rest['coef'].min():.4f} to {rest['coef'].max():.4f}",
                     ("符号不变" if (np.sign(rest["coef"]) ==
                                   np.sign(products.drop_one["coef"].iloc[0])).all()
                      else "符号改变，结果依赖个别队列") if zh else
                     ("same sign" if (np.sign(rest["coef"]) ==
                                      np.sign(products.drop_one["coef"].iloc[0])).all()
                      else "sign changes: depends on particular cohorts")))
    heads = ["检验", "结果", "含义"] if zh else ["Check", "Result", "Reading"]
    return pd.DataFrame(rows, columns=heads)


def build(*, panel: str = "", counties: str = "", households: str = "", framework: str = "",
          region_code: str = "", start_year: int = 2015, end_year: int = 2025,
          language: Language = "zh", cache_dir: str = "", outcome: str = "rural_income_pc",
          log_outcome: bool = True, treatment: Treatment = "key_assistance",
          sample: Sample = "poverty_counties",
          covariates: Sequence[str] = ("rural_population",),
          estimators: Sequence[str] = ESTIMATORS, inference: Inference = "auto",
          psm_inference: PSMInference = "bootstrap", reps: int = MIN_REPS, seed: int = SEED,
          missing: Missing = "raise") -> Section:
    """The 政策效果 section as a document (政策效果章节).

    The province-wide estimates (TWFE, event study, Callaway–Sant'Anna, Sun–Abraham, PSM-DID
    with its re-matching bootstrap, placebo, wild bootstrap, alternative clusterings) do not
    change by region: they are computed once per batch (:func:`linkage.reporting.cache.once`,
    ``cache_dir``) and stated once. A county report adds the county's own treatment status
    and cohort and its outcome path against its comparison group; a prefecture report its
    counties'. Options keep the names and defaults of notebook 05 (``outcome``,
    ``log_outcome``, ``treatment``, ``sample``, ``covariates``, ``estimators``,
    ``inference``, ``psm_inference``, ``reps``, ``seed``, ``missing``); ``households`` is
    accepted for the common interface and not used.

    Returns
    -------
    linkage.reporting.document.Section
    """
    from linkage import plotting
    from linkage.frameworks import load_framework
    from linkage.panel import load_panel
    from linkage.reporting.cache import once
    from linkage.reporting.document import SectionBuilder
    from linkage.sections.overview import data_source, region_scope

    check_option("language", language, Language)
    zh = is_zh(language)
    plotting.setup_cjk()
    fw = load_framework(framework or None)
    data = load_panel(panel or None, counties=counties or None).between_years(start_year,
                                                                              end_year)
    scope = region_scope(data, region_code, language=language)
    key = {"panel": panel, "counties": counties, "start_year": start_year,
           "end_year": end_year, "outcome": outcome, "log_outcome": log_outcome,
           "treatment": treatment, "sample": sample, "covariates": list(covariates),
           "estimators": list(estimators), "inference": inference,
           "psm_inference": psm_inference, "reps": reps, "seed": seed, "missing": missing}

    def compute() -> PolicyProducts:
        design = policy_design(data, outcome=outcome, log_outcome=log_outcome,
                               treatment=treatment, sample=sample, covariates=covariates,
                               missing=missing)
        return policy_products(estimate_policy_effects(
            design, estimators=estimators, inference=inference, psm_inference=psm_inference,
            reps=reps, seed=seed))

    products = once(cache_dir, "policy-effects", key, compute)
    design, words = products.design, products.text["zh" if zh else "en"]
    names = _reader_names(data, design, fw, language)

    def say(text: str) -> str:
        return _reader_text(text, names)

    b = SectionBuilder(KEY, title(language), language=language, simulated=data.simulated)
    src = data_source(data, language)
    outcome_name = names[design.outcome]
    policy = label(f"pe_treatment_{design.treatment}", language)
    # ---- design
    b.heading("研究设计" if zh else "Design")
    b.paragraph(say(words["design"][0]))
    b.paragraph(say(" ".join(words["inference"][:1])))
    cohort_frame = design.to_frame().astype({"cohort": str}).rename(
        columns={"cohort": label("pe_cohort", language),
                                                     "counties": label("pe_counties", language)})
    b.table("cohorts", ("比较样本中的处理队列" if zh else "Treatment cohorts of the comparison "
                        "sample"), cohort_frame, source=src, appendix=scope.kind != "province",
            kinds={label("pe_cohort", language): "text", label("pe_counties", language): "count"},
            notes=[say(design.dropped_note(language))])
    # ---- the region
    region_finding = _policy_region_part(b, data, design, scope, language=language,
                                         source=src, outcome_name=outcome_name, policy=policy,
                                         names=names)
    # ---- estimates
    _policy_estimates_part(b, products, words, scope, language=language, source=src, say=say,
                           outcome_name=outcome_name)
    _policy_findings(b, products, words, say=say, language=language,
                     region=region_finding, outcome_name=outcome_name, policy=policy)
    _policy_metrics(b, products, data, scope, language=language)
    _policy_methods(b, products, words, say=say, language=language)
    return b.build()


def _policy_region_part(b: Any, data: PanelData, design: PolicyDesign, scope: Any, *,
                        language: Language, source: str, outcome_name: str, policy: str,
                        names: Mapping[str, str]) -> str:
    """A county's treatment status and cohort and its outcome path against the treated and
    control counties; a prefecture's counties; nothing for the province. Returns the
    region's finding (empty for the province)."""
    if scope.kind == "province":
        return ""
    from linkage import plotting

    zh = is_zh(language)
    level_name = names[design.source_outcome]
    sizes = design.frame.groupby(UNIT)[COHORT].first()
    cohorts = sizes[sizes > 0]
    default = int(cohorts.mode().iloc[0]) if len(cohorts) else design.years[0]
    yes, no = ("是", "否") if zh else ("Yes", "No")
    b.heading(f"{scope.name}的处理状态与结果走势" if zh else
              f"{scope.name}: treatment status and outcome path")
    if scope.kind == "county":
        treated, cohort, in_sample = _region_cohort(design, data.counties, scope.code)
        start = cohort or default
        status = pd.DataFrame({
            ("项目" if zh else "Item"): [
                f"是否为{policy}" if zh else f"Treated ({policy})",
                "首次受处理年份" if zh else "First treated year",
                "是否在比较样本中" if zh else "In the comparison sample",
                "对照组" if zh else "Control group"],
            ("内容" if zh else "Value"): [
                "—" if treated is None else yes if treated else no,
                "—" if not cohort else str(cohort),
                yes if in_sample else no,
                (label(f"pe_sample_{design.sample}", language)
                 + ("中从未受处理的县" if zh else ", never treated"))]})
        b.table("region_status", (f"{scope.name}的处理状态" if zh else
                                  f"Treatment status: {scope.name}"), status, source=source,
                kinds={c: "text" for c in status.columns})
        path = _path_table(data, design, [scope.code], scope.name, start, language)
        if zh:
            where = ("在比较样本中" if in_sample else
                     "不在比较样本中（不参与估计，下面的对比只作参照）")
            b.paragraph(f"{scope.name}{'是' if treated else '不是'}{policy}"
                        + (f"（{cohort} 年起受处理）" if cohort else "")
                        + f"，{where}。{{figure:region_path}}把本县的{level_name.split('（')[0]}"
                        f"与处理县、对照县的平均水平逐年对照；{{table:region_did}}比较 {start} "
                        f"年前后"
                        "的平均水平（描述性对比，不是因果估计；因果估计见下文全省模型）。")
        else:
            where = ("in the comparison sample" if in_sample else
                     "outside the comparison sample (not used in estimation; the comparison "
                     "below is for reference)")
            b.paragraph(f"{scope.name} is {'' if treated else 'not '}one of the {policy}"
                        + (f" (treated from {cohort})" if cohort else "")
                        + f"; it is {where}. {{figure:region_path}} sets its outcome against the "
                        f"treated and control means year by year; {{table:region_did}} compares "
                        f"the means before and after {start} (descriptive, not a causal "
                        "estimate; the province-wide models below give that).")
    else:
        members = [c for c in scope.codes if c in sizes.index]
        start = default
        shown = pd.DataFrame({
            ("县" if zh else "County"): [data.region_name(c) for c in scope.codes],
            (f"是否为{policy}" if zh else "Treated"): [
                None if _region_cohort(design, data.counties, c)[0] is None else
                _region_cohort(design, data.counties, c)[0] for c in scope.codes],
            ("首次受处理年份" if zh else "First treated year"): [
                _region_cohort(design, data.counties, c)[1] for c in scope.codes],
            ("在比较样本中" if zh else "In the sample"): [c in sizes.index
                                                   for c in scope.codes]})
        b.paragraph((f"{scope.name}辖 {len(scope.codes)} 个县，其中 "
                     f"{int((sizes.reindex(members) > 0).sum())} 个受处理"
                     f"（{{table:region_status}}）；"
                     "{figure:region_path}把这些县的平均水平与全省处理县、对照县对照。") if zh else
                    (f"{scope.name} has {len(scope.codes)} counties, "
                     f"{int((sizes.reindex(members) > 0).sum())} of them treated "
                     "({table:region_status}); {figure:region_path} sets their mean against the "
                     "treated and control counties of the province."))
        b.table("region_status", (f"{scope.name}各县的处理状态" if zh else
                                  f"Treatment status of the counties of {scope.name}"), shown,
                source=source, kinds={shown.columns[0]: "text", shown.columns[1]: "flag",
                                      shown.columns[2]: "year", shown.columns[3]: "flag"})
        path = _path_table(data, design, list(scope.codes), scope.name, start, language)
    fig = plotting.line_chart(
        path.rename_axis(label("year", language)).reset_index().melt(
            id_vars=label("year", language), var_name=label("series", language),
            value_name=label("value", language)).dropna(),
        x=label("year", language), y=label("value", language), hue=label("series", language),
        xlabel=label("year", language), ylabel=level_name, highlight=scope.name)
    fig.axes[0].axvline(start - 0.5, color="#c00000", ls=":", lw=0.9)
    b.figure("region_path", (f"{scope.name}与处理县、对照县的{level_name.split('（')[0]}" if zh
                             else f"{scope.name} against treated and control counties"),
             fig, source=source, notes=["虚线为政策开始年份；各平均值按农村人口加权。" if zh else
                                        "The dotted line marks the start of the policy; means are "
                                        "weighted by rural population."])
    before = path[path.index < start].mean()
    after = path[path.index >= start].mean()
    did = pd.DataFrame({
        ("对象" if zh else "Group"): path.columns,
        (f"{start} 年前平均（{level_name.split('（')[-1]}" if zh else f"Mean before {start}"):
            before.to_numpy(),
        (f"{start} 年起平均（{level_name.split('（')[-1]}" if zh else f"Mean from {start}"):
            after.to_numpy(),
        ("变化（%）" if zh else "Change (%)"): (100 * (after / before - 1)).to_numpy()})
    b.table("region_did", (f"{scope.name}政策前后的平均水平（描述性）" if zh else
                           f"Before and after the policy: {scope.name} (descriptive)"), did,
            source=source, kinds={did.columns[0]: "text", did.columns[1]: "money",
                                  did.columns[2]: "money", did.columns[3]: "percent"},
            notes=["前后平均的简单比较不控制其他因素，不是政策效应的估计。" if zh else
                   "A plain before/after comparison controls for nothing; it is not an "
                   "estimate of the policy effect."])
    change = did.iloc[:, 3].to_numpy()
    if zh:
        return (f"{scope.name} {start} 年起的{level_name.split('（')[0]}平均较此前变化 "
                f"{change[0]:+.1f}%，处理县平均 {change[1]:+.1f}%，对照县平均 {change[2]:+.1f}%"
                "（描述性对比，不是因果估计；见{table:region_did}）。")
    return (f"{scope.name}: mean outcome from {start} {change[0]:+.1f}% against the years "
            f"before; treated counties {change[1]:+.1f}%, control counties {change[2]:+.1f}% "
            "(descriptive, not a causal estimate; see {table:region_did}).")


def _policy_estimates_part(b: Any, products: PolicyProducts, words: Mapping[str, Any],
                           scope: Any, *, language: Language, source: str, say: Any,
                           outcome_name: str) -> None:
    """The province-wide estimates: comparison table, event-study figure and robustness in
    the main body; regression detail in the appendix."""
    zh = is_zh(language)
    design = products.design
    b.heading("全省估计结果" if zh else "Province-wide estimates")
    if scope.kind != "province":
        b.paragraph("以下估计针对全省比较样本，对每个县相同，这里只陈述一次。" if zh else
                    "The estimates below are for the province's comparison sample; they are the "
                    "same for every county and stated once.")
    cov = (names_text := "、".join(say(c) for c in design.covariates)) if zh else \
        ", ".join(say(c) for c in design.covariates)
    cov_note = ((f"各估计量使用同一组协变量：{names_text}。" if design.covariates else
                 "各估计量均不含协变量。") if zh else
                (f"Every estimator uses the same covariates: {cov}." if design.covariates else
                 "No estimator uses covariates."))
    if len(products.estimates):
        table = _estimates_reader(products, language)
        b.paragraph(("{table:estimates}并列静态双向固定效应（TWFE）与异质性稳健估计量（Callaway–"
                     "Sant'Anna、Sun–Abraham）及 PSM-DID 的平均处理效应；" if zh else
                     "{table:estimates} sets the static two-way fixed effects (TWFE) estimate "
                     "beside the heterogeneity-robust estimators (Callaway–Sant'Anna, "
                     "Sun–Abraham) and PSM-DID. ") + cov_note)
        comp = words["comparison"]
        b.table("estimates", (f"政策对{outcome_name}的平均处理效应" if zh else
                              f"Average effect of the policy on {outcome_name}"), table,
                source=source, kinds={table.columns[0]: "text", table.columns[3]: "text",
                                      table.columns[4]: "text", table.columns[5]: "text"},
                decimals={table.columns[1]: 4, table.columns[2]: 4, table.columns[6]: 1,
                          label("pe_true_effect", language): 4},
                notes=[cov_note, say(comp.note) if comp is not None else ""])
    if words["estimates"]:
        b.paragraph(" ".join(say(x) for x in words["estimates"]))
    if "event_figure" in words:
        fig = words["event_figure"]
        ax = fig.axes[0]
        ax.set_ylabel(say(ax.get_ylabel()))
        b.paragraph(("{figure:event_study}给出相对政策实施年份的动态效应：误差线为逐点 95% "
                     "置信区间，浅色宽条为 95% 一致置信带（同时覆盖全部事件时间），"
                     "判断整条路径是否与零相容要看一致置信带。") if zh else
                    ("{figure:event_study} shows the effects by year relative to the policy: caps "
                     "are pointwise 95% intervals, pale bars 95% uniform bands (covering all event "
                     "times at once); whether the whole path is compatible with zero is read from "
                     "the bands."))
        b.figure("event_study", ("事件研究：动态效应" if zh else "Event study: dynamic effects"),
                 fig, source=source, notes=[say(words["dynamic"].note)])
    robust = _robustness_reader(products, language)
    if len(robust):
        b.paragraph("{table:robustness}汇总稳健性检验，细节见附录。" if zh else
                     "{table:robustness} summarises the robustness checks; details are in the "
                     "appendix.")
        b.table("robustness", ("稳健性检验摘要" if zh else "Robustness checks: summary"),
                _reader_frame(robust, {}), source=source,
                kinds={c: "text" for c in robust.columns})
        dynamic = [x for x in words["assumptions"] if x.startswith(_DYNAMIC)]
        b.paragraph(" ".join(say(x) for x in [*dynamic, *words["robustness"]]))
    # ---- appendix: the regression detail
    if "dynamic" in words:
        dyn = words["dynamic"]
        frame = _reader_frame(dyn.table.reset_index(), {}).astype(str)
        unbounded = frame.map(lambda v: "inf" in v)
        frame = frame.mask(unbounded, "—").replace("", "—")
        b.table("dynamic", ("动态效应（按事件时间）" if zh else "Effects by event time"),
                frame, source=source, appendix=True,
                kinds={c: "text" for c in frame.columns}, notes=[
                    say(dyn.note),
                    ("“—”的一致置信带：抽样次数太少，无法在同时覆盖全部事件时间的水平上校准"
                     "（增加抽样次数即可得到）。" if zh else
                     "A uniform band shown as \"—\": too few draws to calibrate it at the "
                     "level covering all event times at once (more draws give it).")
                    if unbounded.to_numpy().any() else ""])
    comp = words["comparison"]
    if comp is not None:
        frame = _reader_frame(_table_frame(comp), {})
        frame = frame.map(say).rename(columns=say)
        b.table("comparison", ("估计量对比（论文格式）" if zh else
                               "Estimator comparison (paper format)"),
                frame.replace("", " "), source=source, appendix=True,
                kinds={c: "text" for c in frame.columns}, notes=[say(comp.note)])
    for key, name in (("main", ("回归结果：双向固定效应 DID 与 PSM-DID",
                                "Regressions: TWFE DID and PSM-DID")),
                      ("clustering", ("更换聚类层级", "Alternative clustering"))):
        table = words["regression"].get(key)
        if table is None:
            continue
        frame = _table_frame(table).map(say).rename(columns=say)
        b.table(f"regression_{key}", name[0 if zh else 1], frame.replace("", " "),
                source=source, appendix=True, kinds={c: "text" for c in frame.columns},
                notes=[say(table.note)])
    if "pretrend_table" in words:
        pre = words["pretrend_table"].rename(columns={c: label(f"pe_{c}", language)
                                                      for c in words["pretrend_table"].columns})
        pre[label("pe_test", language)] = pre[label("pe_test", language)].map(
            {"F": "F 检验" if zh else "F test", "chi2": "χ² 检验" if zh else "χ² test"})
        pre[label("pe_df", language)] = pre[label("pe_df", language)].astype(str)
        b.table("pretrend", ("政策前趋势联合检验" if zh else "Joint pre-trend test"), pre,
                source=source, appendix=True,
                kinds={label("pe_test", language): "text", label("pe_df", language): "text"},
                decimals={label("pe_statistic", language): 3, label("pe_pvalue", language): 3},
                notes=[say(words["pretrend_sentence"])])
    if "placebo_figure" in words:
        b.figure("placebo", ("随机化安慰剂检验：安慰剂估计的分布" if zh else
                             "Permutation placebo: distribution of placebo estimates"),
                 words["placebo_figure"], source=source, appendix=True,
                 notes=[say(words["placebo_summary"])])
    if products.drop_one is not None:
        drop = products.drop_one.rename(columns={
            "dropped_cohort": label("pe_dropped_cohort", language),
            "coef": label("pe_coef", language), "se": label("pe_se", language),
            "pvalue": label("pe_pvalue", language), "nobs": label("reg_nobs", language)})
        b.table("drop_one", label("pe_drop_one", language), drop, source=source, appendix=True,
                kinds={label("pe_dropped_cohort", language): "text",
                       label("reg_nobs", language): "count"},
                decimals={label("pe_coef", language): 4, label("pe_se", language): 4,
                          label("pe_pvalue", language): 3},
                notes=["第一行为全部队列。" if zh else "The first row keeps every cohort."])
    if products.balance is not None:
        bal = products.balance.copy()
        bal.index = [say(c) for c in bal.index]
        heads = ({"mean_treated_before": "处理县均值（匹配前）",
                  "mean_control_before": "对照县均值（匹配前）",
                  "std_diff_before": "标准化差异（匹配前，%）",
                  "mean_treated_after": "处理县均值（匹配后）",
                  "mean_control_after": "对照县均值（匹配后）",
                  "std_diff_after": "标准化差异（匹配后，%）", "reduction": "偏差下降（%）",
                  "var_ratio_before": "方差比（匹配前）", "var_ratio_after": "方差比（匹配后）"}
                 if zh else
                 {"mean_treated_before": "Treated mean (before)",
                  "mean_control_before": "Control mean (before)",
                  "std_diff_before": "Std. difference before (%)",
                  "mean_treated_after": "Treated mean (after)",
                  "mean_control_after": "Control mean (after)",
                  "std_diff_after": "Std. difference after (%)", "reduction": "Bias reduction (%)",
                  "var_ratio_before": "Variance ratio (before)",
                  "var_ratio_after": "Variance ratio (after)"})
        bal = bal.rename(columns=heads)
        bal.index.name = "协变量" if zh else "Covariate"
        b.table("balance", ("PSM 匹配平衡性" if zh else "PSM balance"), bal, source=source,
                appendix=True, decimals={c: 2 for c in bal.columns},
                notes=["标准化差异的绝对值在 10% 以内通常视为平衡良好。" if zh else
                       "Absolute standardised differences within 10% are usually read as "
                       "balanced."])
    skipped = [say(v) for k, v in words["skipped"].items()]
    if skipped:
        b.paragraph(("未估计或不适用的检验：" if zh else "Checks not run: ")
                    + ("；" if zh else "; ").join(skipped) + ("。" if zh else "."))


#: How the dynamic-effects sentence of :func:`_assumption_sentences` starts (a finding).
_DYNAMIC = ("动态效应", "Dynamic effects")


def _effect_finding(products: PolicyProducts, *, outcome_name: str, policy: str,
                    language: Language) -> str:
    """The effect in one sentence for the summary: the TWFE estimate with its p-value and
    inference, the robust estimators beside it and whether they agree (within one standard
    error of TWFE)."""
    zh = is_zh(language)
    rows = products.estimates.set_index("estimator")

    def one(key: str) -> str:
        r = rows.loc[key]
        p = format_pvalue(r["pvalue"], reps=int(r["reps"]) or None)
        p = f"p {p}" if p[0] in "<≤" else f"p = {p}"
        return f"{r['coef']:.4f}（{p}，{label(r['inference'], language)}）" if zh else \
            f"{r['coef']:.4f} ({p}, {label(r['inference'], language)})"

    lead = next((k for k in ("twfe", "cs", "sun_abraham", "psm") if k in rows.index), None)
    if lead is None:
        return ""
    name = "label_zh" if zh else "label_en"
    size = (f"，约合 {100 * np.expm1(rows.loc[lead, 'coef']):.1f}%" if zh else
            f", about {100 * np.expm1(rows.loc[lead, 'coef']):.1f}%") \
        if products.design.log_outcome else ""
    text = (f"{policy}对处理县{outcome_name}的平均处理效应："
            f"{rows.loc[lead, name]} {one(lead)}{size}"
            if zh else f"Average effect of {policy} on {outcome_name}: "
            f"{rows.loc[lead, name]} {one(lead)}{size}")
    robust = [k for k in ("cs", "sun_abraham") if k in rows.index and k != lead]
    if robust:
        parts = ("、" if zh else ", ").join(f"{rows.loc[k, name]} {one(k)}" for k in robust)
        gap = float(rows.loc[robust, "coef"].mean() - rows.loc[lead, "coef"])
        agree = abs(gap) <= float(rows.loc[lead, "se"])
        text += ((f"；异质性稳健估计量 {parts}，" + (
                  "与之相差不到一个标准误，结论一致" if agree else
                  f"比它{'高' if gap > 0 else '低'} {abs(gap):.4f}，超过一个标准误，"
                  "应以稳健估计为准"))
                 if zh else
                 (f"; heterogeneity-robust estimators {parts}, " +
                  ("within one standard error of it: they agree" if agree else
                   f"{abs(gap):.4f} {'above' if gap > 0 else 'below'} it, more than one standard "
                   "error: the robust estimates should be preferred")))
    return text + ("（见{table:estimates}）。" if zh else " (see {table:estimates}).")


def _policy_findings(b: Any, products: PolicyProducts, words: Mapping[str, Any], *, say: Any,
                     language: Language, region: str = "", outcome_name: str = "",
                     policy: str = "") -> None:
    """The findings for the summary, most important first: the effect with its inference
    and whether the robust estimators agree, what can and cannot be claimed, the region's own
    before/after comparison (descriptive), the pre-trend test. The detail sentences are body
    text."""
    zh = is_zh(language)
    effect = _effect_finding(products, outcome_name=outcome_name, policy=policy,
                             language=language)
    if effect:
        b.finding(effect, rank=10)
    if words["claim"]:
        b.finding(say(words["claim"]), rank=11)
    if region:
        b.finding(region, rank=12)
    if "pretrend_sentence" in words:
        text = say(words["pretrend_sentence"])
        if "event_figure" in words:
            text = text[:-1] + ("（见{figure:event_study}）" if zh else
                                " (see {figure:event_study})") + text[-1]
        b.finding(text, rank=40)


def _policy_metrics(b: Any, products: PolicyProducts, data: PanelData, scope: Any, *,
                    language: Language) -> None:
    """Key numbers: the region's treatment status and cohort (counts for a prefecture or the
    province) and the ATT of TWFE, Callaway–Sant'Anna and Sun–Abraham with p-values and the
    inference used."""
    zh = is_zh(language)
    design = products.design
    sizes = design.frame.groupby(UNIT)[COHORT].first()
    if scope.kind == "county":
        treated, cohort, _ = _region_cohort(design, data.counties, scope.code)
        b.metric("pe_treated", "是否受处理" if zh else "Treated", treated)
        b.metric("pe_cohort", "首次受处理年份" if zh else "First treated year", cohort,
                 "年" if zh else "year")
    members = sizes.reindex([c for c in scope.codes if c in sizes.index])
    b.metric("pe_treated_counties", "受处理县数" if zh else "Treated counties",
             int((members > 0).sum()), "个" if zh else "counties")
    rows = products.estimates.set_index("estimator")
    for key, name in (("twfe", "TWFE"), ("cs", "Callaway–Sant'Anna"),
                      ("sun_abraham", "Sun–Abraham")):
        if key not in rows.index:
            continue
        r = rows.loc[key]
        short = {"twfe": "twfe", "cs": "cs", "sun_abraham": "sa"}[key]
        b.metric(f"pe_att_{short}", f"{name} 平均处理效应" if zh else f"{name} ATT",
                 float(r["coef"]), "对数点" if zh and design.log_outcome else
                 "log points" if design.log_outcome else "")
        floor = 1 / (int(r["reps"]) + 1) if int(r["reps"]) else 0.0  # resampling floor
        b.metric(f"pe_p_{short}", f"{name} p 值" if zh else f"{name} p-value",
                 max(float(r["pvalue"]), floor))
        b.metric(f"pe_inference_{short}", f"{name} p 值方法" if zh else f"{name} p-value from",
                 label(r["inference"], language))


def _policy_methods(b: Any, products: PolicyProducts, words: Mapping[str, Any], *, say: Any,
                    language: Language) -> None:
    """Methods (identification, estimators, inference) and caveats (assumptions, simulated
    data) in reader language."""
    zh = is_zh(language)
    if zh:
        b.method("双重差分比较处理县与对照县在政策前后的变化之差：县固定效应吸收各县不随时间变化的差异，"
                 "年份固定效应吸收全省共同的冲击，剩下的差别归因于政策。这要求平行趋势：没有政策时，"
                 "处理县与对照县的结果会同步变化。处理队列为各县首次受处理的年份；处理状态缺失的县"
                 "不会被当作对照县。")
        b.method("静态双向固定效应在交错处理、效应随时间变化时可能偏离平均处理效应（Goodman-Bacon "
                 "2021），因此并列 Callaway–Sant'Anna（2021）与 Sun–Abraham（2021）的稳健估计；"
                 "各估计量使用同一组协变量。PSM-DID 按协变量的基期值核匹配，不按结果变量本身的"
                 "政策前水平匹配（那样会带来向均值回归的偏误）。")
        b.method("事件研究的端点合并（≤−4、≥4）；TWFE 事件研究与 Sun–Abraham 以政策前一年为基期；"
                 "Callaway–Sant'Anna 政策后各期以政策前一年为基期、政策前各期为相对前一年的变化。"
                 "一致置信带与逐点区间出自同一种推断。随机化安慰剂检验随机重新指定受处理的县"
                 "（保持各队列县数）；有限次抽样的 p 值不低于 1/(抽样次数+1)，到达下限时记为“≤”。")
    else:
        b.method("Difference-in-differences compares the change in treated and control counties "
                 "before and after the policy: county fixed effects absorb time-invariant "
                 "differences, year fixed effects common shocks. It needs parallel trends: "
                 "without the policy, treated and control counties would have moved together. "
                 "A county's cohort is its first treated year; a county with a missing status "
                 "is never made a control.")
        b.method("Static TWFE can depart from the average effect under staggered adoption with "
                 "effects changing over time (Goodman-Bacon 2021), so Callaway–Sant'Anna (2021) "
                 "and Sun–Abraham (2021) are set beside it, all with the same covariates. "
                 "PSM-DID matches on the covariates' base-year values, never on the outcome's "
                 "own pre-treatment level (regression to the mean).")
        b.method("Event-study end points are binned (≤−4, ≥4); TWFE event study and Sun–Abraham "
                 "use the year before the policy as base; Callaway–Sant'Anna compares post "
                 "periods with the year before and pre periods year on year. Uniform bands come "
                 "from the same inference as the pointwise intervals. The permutation placebo "
                 "reassigns treated counties at random (cohort sizes kept); with B draws a "
                 "p-value cannot fall below 1/(B+1) and is printed as a bound there.")
    for line in words["inference"][1:]:
        b.method(say(line))
    for line in words["design"][1:]:
        b.method(say(line))
    for line in words["assumptions"]:
        if line != words.get("pretrend_sentence") and not line.startswith(_DYNAMIC):
            b.caveat(say(line))
    b.caveat("DID 的因果解释依赖平行趋势、无预期效应和无溢出三条不可完全检验的假设；事前趋势检验和"
             "安慰剂检验只能发现部分违背。参考文献：Callaway & Sant'Anna (2021), J. Econometrics "
             "225(2):200-230；Sun & Abraham (2021), J. Econometrics 225(2):175-199；"
             "Goodman-Bacon (2021), J. Econometrics 225(2):254-277；Roth et al. (2023), "
             "J. Econometrics 235(2):2218-2244。" if zh else
             "A causal reading of DID rests on parallel trends, no anticipation and no "
             "spillovers, none fully testable; pre-trend and placebo tests detect only some "
             "violations. References: Callaway & Sant'Anna (2021), J. Econometrics "
             "225(2):200-230; Sun & Abraham (2021), J. Econometrics 225(2):175-199; "
             "Goodman-Bacon (2021), J. Econometrics 225(2):254-277; Roth et al. (2023), "
             "J. Econometrics 235(2):2218-2244.")
    if products.design.simulated:
        b.caveat("本章结果基于模拟数据，其中的政策效应是已知的（表中“真实效应”一行），用于检验估计量；"
                 "不代表任何真实地区。" if zh else
                 "This chapter uses simulated data whose policy effect is known (the true-effect "
                 "row), to check the estimators; it describes no real area.")
