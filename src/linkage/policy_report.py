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
from typing import Literal, get_args

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

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
    drop_one_cohort,
    event_study,
    placebo_test,
    psm_did,
    regression_table,
    staggered_did,
    sun_abraham,
    twfe_did,
)
from linkage.evaluation._fit import check_choice
from linkage.labels import Language
from linkage.panel import PanelData
from linkage.paths import sample_dir

__all__ = [
    "ESTIMATORS",
    "PolicyDesign",
    "PolicyEffects",
    "comparison_table",
    "dynamic_table",
    "estimate_policy_effects",
    "event_study_figure",
    "policy_design",
    "policy_narrative",
    "regression_tables",
    "restrict_sample",
    "treatment_cohorts",
    "true_effects",
]

Treatment = Literal["key_assistance", "exit"]
Sample = Literal["poverty_counties", "all"]
MissingRule = Literal["raise", "drop_counties"]
Estimator = Literal["twfe", "event_study", "cs", "sun_abraham", "psm", "placebo"]
#: Every estimator the report knows, in the order of the notebook.
ESTIMATORS: tuple[str, ...] = get_args(Estimator)

UNIT, TIME, COHORT, TREATED = "region_code", "year", "cohort", "treated"
_TREATMENT_COLUMN = {"key_assistance": "key_assistance", "exit": "exit_year"}
_TREATMENT_ZH = {"key_assistance": "国家乡村振兴重点帮扶县", "exit": "贫困县摘帽"}
_LABEL_ZH = {"cs": "Callaway–Sant'Anna", "sun_abraham": "Sun–Abraham"}
_TRUE = {"yes", "true", "1", "是", "y", "t"}
_FALSE = {"no", "false", "0", "否", "n", "f", ""}


# --------------------------------------------------------------------------- design


def _as_bool(values: pd.Series, column: str) -> pd.Series:
    """A yes/no attribute as bool: booleans, 0/1, True/False, 是/否 (missing = False)."""
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    text = values.astype("string").str.strip().str.lower().fillna("")
    text = text.str.replace(r"\.0$", "", regex=True)
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        raise InputError(
            f"列 {column!r} 的值 {values[bad].iloc[0]!r} 不是“是/否” / not a yes-no value",
            column=column, row=str(values.index[bad][0]),
            hint="用 True/False、1/0 或 是/否 表示。")
    return text.isin(_TRUE)


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
                      designation_year: int = 2021) -> pd.Series:
    """Treatment cohort of every county (处理队列): first treated year, 0 = never treated.

    ``treatment="key_assistance"``: counties with ``key_assistance`` true are treated from
    ``key_assistance_year`` (when that column is absent or empty for a county, from
    ``designation_year``, the national designation of 2021). ``treatment="exit"``: counties are
    treated from ``exit_year`` (摘帽年份); counties without one are never treated — but a
    county marked ``poverty_county`` without an exit year raises, because every former poverty
    county exited in 2016–2020 and a gap there is missing data, not a control county.

    Parameters
    ----------
    counties : pandas.DataFrame
        County attribute table, one row per county, indexed by ``region_code``.
    treatment : {"key_assistance", "exit"}
    designation_year : int, default 2021
        Year of designation used when ``key_assistance_year`` is not given.

    Returns
    -------
    pandas.Series
        ``cohort`` (int) indexed like ``counties``.

    Raises
    ------
    InputError
        When the attribute column (``key_assistance`` or ``exit_year``) is missing, holds
        values that are not yes/no or years, or a poverty county lacks its exit year.

    Examples
    --------
    >>> c = pd.DataFrame({"key_assistance": [True, False]}, index=["990101", "990102"])
    >>> treatment_cohorts(c).tolist()
    [2021, 0]
    """
    check_choice("treatment", treatment, get_args(Treatment))
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
        cohort = year.fillna(designation_year).where(flag, 0)
    else:
        cohort = _years(counties[column], column)
        if "poverty_county" in counties.columns:
            lost = _as_bool(counties["poverty_county"], "poverty_county") & cohort.isna()
            if lost.any():
                raise InputError(
                    f"{int(lost.sum())} 个原贫困县没有摘帽年份（如 {lost.index[lost][0]}）/ "
                    "poverty counties without exit_year", column="exit_year",
                    row=str(lost.index[lost][0]),
                    hint="全部原国家贫困县已于 2016—2020 年摘帽：请补齐 exit_year。")
        cohort = cohort.fillna(0)
    return cohort.astype(int).rename(COHORT)


def restrict_sample(counties: pd.DataFrame, *, sample: Sample = "poverty_counties",
                    ) -> pd.Index:
    """Counties of the comparison sample (比较样本).

    ``"poverty_counties"`` keeps the former national poverty counties (``poverty_county``
    true): key-assistance counties were chosen among them and exit cohorts are compared with
    poverty counties that have not exited yet, so the comparison stays within counties that
    share a development path. ``"all"`` keeps every county.

    Examples
    --------
    >>> c = pd.DataFrame({"poverty_county": [True, False]}, index=["990101", "990102"])
    >>> list(restrict_sample(c))
    ['990101']
    """
    check_choice("sample", sample, get_args(Sample))
    if sample == "all":
        return counties.index
    if "poverty_county" not in counties.columns:
        raise InputError("县属性表中没有列 'poverty_county'，无法限定原贫困县样本 / "
                         "county table lacks 'poverty_county'", column="poverty_county",
                         hint="补充 poverty_county（是/否），或用 sample=\"all\"（全部县）。")
    return counties.index[_as_bool(counties["poverty_county"], "poverty_county").to_numpy()]


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
    cohort_sizes : pandas.Series
        Counties per cohort (index cohort, 0 = never treated).
    n_outside : int
        Counties of the panel left out by the sample restriction.
    dropped : tuple of str
        Counties dropped by ``missing="drop_counties"``.
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

    def summary(self) -> str:
        """The design in one Chinese paragraph."""
        first, last = self.years
        cohorts = self.cohort_sizes[self.cohort_sizes.index > 0]
        timing = "、".join(f"{g} 年 {n} 个" for g, n in cohorts.items())
        sample = "原贫困县" if self.sample == "poverty_counties" else "全部县"
        text = (f"处理：{_TREATMENT_ZH[self.treatment]}（{timing}，共 {self.n_treated} 个县）；"
                f"比较样本：{sample}（{self.frame[UNIT].nunique()} 个县，"
                f"其中从未受处理 {int(self.cohort_sizes.get(0, 0))} 个；"
                f"样本外 {self.n_outside} 个）；"
                f"结果变量：{self.outcome}；{first}—{last} 年，{len(self.frame)} 个县年观测")
        if self.covariates:
            text += f"；协变量：{'、'.join(self.covariates)}"
        if self.dropped:
            text += f"；因缺失值删除 {len(self.dropped)} 个县（{'、'.join(self.dropped[:5])}…）"
        return text + "。"


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
    missing: MissingRule = "raise",
    designation_year: int = 2021,
) -> PolicyDesign:
    """Estimation frame for the policy-effects report (政策效果分析设计).

    Cohorts come from :func:`treatment_cohorts`, the sample from :func:`restrict_sample`.
    ``log_outcome=True`` (default) analyses ln(outcome), so coefficients are approximate
    proportional changes (exactly exp(b) − 1). The heterogeneity-robust estimators need a
    balanced panel without missing values: ``missing="raise"`` (default) names the first
    county with a gap; ``"drop_counties"`` drops every county with a missing outcome or
    covariate value or a missing year, and lists them in ``dropped``.

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
        Time-varying county controls (panel columns) for TWFE, the event study and PSM.
    missing : {"raise", "drop_counties"}
    designation_year : int
        See :func:`treatment_cohorts`.

    Returns
    -------
    PolicyDesign
    """
    check_choice("missing", missing, get_args(MissingRule))
    covariates = list(covariates)
    counties = data.counties
    if counties.empty:
        raise InputError(
            "没有县属性表，无法知道哪些县在哪一年受处理 / no county attribute table",
            column=_TREATMENT_COLUMN.get(treatment, "key_assistance"),
            hint="用参数 counties 指定县属性表，其中含 key_assistance（重点帮扶县，是/否）"
                 "或 exit_year（摘帽年份）列。")
    cohorts = treatment_cohorts(counties, treatment=treatment,
                                designation_year=designation_year)
    keep = restrict_sample(counties, sample=sample)
    panel = data.panel
    for column in [outcome, *covariates]:
        if column not in panel.columns:
            raise InputError(f"面板中没有列 {column!r} / column not in the panel", column=column,
                             hint="结果变量和协变量须为面板中的列名（指标代码）。")
    unknown = pd.Index(panel[UNIT].unique()).difference(counties.index)
    if len(unknown):
        raise InputError(
            f"{len(unknown)} 个县不在县属性表中（如 {unknown[0]}）/ counties without attributes",
            column=UNIT, row=str(unknown[0]), hint="县属性表须包含面板中的每个县。")
    in_sample = panel[UNIT].isin(keep)
    n_outside = int(panel.loc[~in_sample, UNIT].nunique())
    name = f"ln({outcome})" if log_outcome else outcome
    frame = pd.DataFrame({UNIT: panel.loc[in_sample, UNIT].to_numpy(),
                          TIME: panel.loc[in_sample, TIME].astype(int).to_numpy(),
                          name: panel.loc[in_sample, outcome].to_numpy(dtype=float)})
    for column in covariates:
        frame[column] = panel.loc[in_sample, column].to_numpy(dtype=float)
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
                 "或设 missing=\"drop_counties\" 明确删除这些县。")
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
    return PolicyDesign(
        frame=frame, outcome=name, source_outcome=outcome, log_outcome=log_outcome,
        treatment=treatment, sample=sample, covariates=tuple(covariates),
        cohort_sizes=sizes.rename("counties"), n_outside=n_outside,
        dropped=tuple(map(str, problems.index)), simulated=data.simulated, truth=truth)


# --------------------------------------------------------------------------- estimation


@dataclass(frozen=True)
class PolicyEffects:
    """All estimates of one policy-effects report (政策效果估计结果).

    Each estimator field is None when it was not requested or does not apply (the reason is in
    ``skipped``). ``clustering`` holds the TWFE DID under alternative clusterings,
    ``drop_one`` the drop-one-cohort table (staggered treatments only); ``skipped`` maps an
    estimator or check to the Chinese sentence saying why it was not run.
    """

    design: PolicyDesign
    twfe: TWFEResult | None = None
    twfe_covariates: TWFEResult | None = None
    event_study: EventStudyResult | None = None
    cs: StaggeredDIDResult | None = None
    sun_abraham: SunAbrahamResult | None = None
    psm: PSMDIDResult | None = None
    placebo: PlaceboResult | None = None
    clustering: Mapping[str, TWFEResult] = field(default_factory=dict)
    drop_one: pd.DataFrame | None = None
    skipped: Mapping[str, str] = field(default_factory=dict)

    def estimates(self) -> pd.DataFrame:
        """Average effects side by side (TWFE vs. robust), with the true value when simulated.

        Columns ``estimator, label_zh, label_en, coef, se, ci_low, ci_high, pvalue, nobs``
        and ``true_effect``: the true average effect over the treated cells *that estimator
        averages* (NaN unless the data are the simulated sample). TWFE and PSM-DID are set
        against the mean true effect over their treated county-years, Callaway–Sant'Anna
        against the cohort-share weighted mean over its post-treatment cells, Sun–Abraham
        against the observation-weighted mean over its post-treatment cells.
        """
        rows = []
        for key, result, zh, en in (
            ("twfe", self.twfe, "双向固定效应（静态）", "TWFE (static)"),
            ("twfe_covariates", self.twfe_covariates, "双向固定效应＋协变量",
             "TWFE + covariates"),
            ("psm", self.psm.did if self.psm else None, "PSM-DID", "PSM-DID"),
        ):
            if result is not None:
                rows.append({"estimator": key, "label_zh": zh, "label_en": en,
                             "coef": result.coef, "se": result.se, "ci_low": result.ci[0],
                             "ci_high": result.ci[1], "pvalue": result.pvalue,
                             "nobs": result.nobs, "true_effect": self._truth_of(key)})
        if self.cs is not None:
            simple = self.cs.aggregate("simple")
            rows.append({"estimator": "cs", "label_zh": "Callaway–Sant'Anna（简单加权）",
                         "label_en": "Callaway–Sant'Anna (simple)", "coef": simple.att,
                         "se": simple.se, "ci_low": simple.ci[0], "ci_high": simple.ci[1],
                         "pvalue": _normal_p(simple.att, simple.se),
                         "nobs": self.cs.n_units * self.cs.n_periods,
                         "true_effect": self._truth_of("cs")})
        if self.sun_abraham is not None:
            sa = self.sun_abraham
            rows.append({"estimator": "sun_abraham", "label_zh": "Sun–Abraham（交互加权）",
                         "label_en": "Sun–Abraham (IW)", "coef": sa.att, "se": sa.se,
                         "ci_low": sa.ci[0], "ci_high": sa.ci[1], "pvalue": sa.pvalue,
                         "nobs": sa.nobs, "true_effect": self._truth_of("sun_abraham")})
        return pd.DataFrame(rows, columns=["estimator", "label_zh", "label_en", "coef", "se",
                                           "ci_low", "ci_high", "pvalue", "nobs",
                                           "true_effect"])

    def to_frame(self) -> pd.DataFrame:
        return self.estimates()

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


def _normal_p(estimate: float, se: float) -> float:
    return float(2 * stats.norm.sf(abs(estimate / se)))


def estimate_policy_effects(
    design: PolicyDesign,
    *,
    estimators: Sequence[str] = ESTIMATORS,
    placebo_draws: int = 200,
    seed: int = 20210,
    window: tuple[int, int] = (-4, 4),
) -> PolicyEffects:
    """Run the chosen estimators of :mod:`linkage.evaluation` on a design (估计政策效果).

    * ``"twfe"``: :func:`~linkage.evaluation.twfe_did` without and (when the design has
      covariates) with covariates, reghdfe standard errors clustered by county; also the
      alternative clusterings (prefecture when known, county × year two-way) and, with more
      than one cohort, :func:`~linkage.evaluation.drop_one_cohort`;
    * ``"event_study"``: :func:`~linkage.evaluation.event_study` (reference −1, end points
      binned at ``window``) with its joint pre-trend test;
    * ``"cs"``: :func:`~linkage.evaluation.staggered_did` — never-treated controls (R ``did``'s
      default) when the sample has never-treated counties, otherwise not-yet-treated ones;
    * ``"sun_abraham"``: :func:`~linkage.evaluation.sun_abraham` (never-treated or
      last-treated cohort as control);
    * ``"psm"``: :func:`~linkage.evaluation.psm_did` matching in the first year on the
      covariates, or on the outcome level when there are none (needs never-treated counties);
    * ``"placebo"``: :func:`~linkage.evaluation.placebo_test` shuffling which counties are
      treated (``placebo_draws`` draws, ``seed``).

    Parameters
    ----------
    design : PolicyDesign
    estimators : sequence of str
        A subset of :data:`ESTIMATORS`.
    placebo_draws : int, default 200
        Permutation draws (≥ 100; 500 or more for a publication).
    seed : int
        Seed of the placebo draws.
    window : (int, int)
        Event-study window.

    Returns
    -------
    PolicyEffects
    """
    unknown = [e for e in estimators if e not in ESTIMATORS]
    if unknown:
        raise InputError(f"未知的估计量 {unknown[0]!r} / unknown estimator",
                         hint=f"estimators 可取：{', '.join(ESTIMATORS)}。")
    frame, y, cov = design.frame, design.outcome, list(design.covariates)
    keys = {"unit": UNIT, "time": TIME}
    n_cohorts = int((design.cohort_sizes.index > 0).sum())
    comparable = design.has_never_treated or n_cohorts > 1
    skipped: dict[str, str] = {}
    out: dict[str, object] = {}
    if "twfe" in estimators:
        out["twfe"] = twfe_did(frame, y, **keys, treated=TREATED)
        if cov:
            out["twfe_covariates"] = twfe_did(frame, y, **keys, treated=TREATED, covariates=cov)
        clusters: dict[str, str | list[str]] = {"县": UNIT}
        if "prefecture_code" in frame.columns:
            clusters["地级市"] = "prefecture_code"
        clusters["县×年（双向）"] = [UNIT, TIME]
        out["clustering"] = cluster_robustness(frame, y, **keys, treated=TREATED,
                                               clusters=clusters, covariates=cov)
        if n_cohorts > 1:
            out["drop_one"] = drop_one_cohort(frame, y, **keys, cohort=COHORT, covariates=cov)
        else:
            skipped["drop_one"] = "逐一剔除处理队列不适用：只有一个处理队列"
    if "event_study" in estimators:
        out["event_study"] = event_study(frame, y, **keys, cohort=COHORT, window=window,
                                         covariates=cov)
    for key in ("cs", "sun_abraham"):
        if key in estimators and not comparable:
            skipped[key] = (f"{_LABEL_ZH[key]} 未估计：没有从未受处理的县且只有一个处理队列，"
                            "没有可用的对照组")
    if "cs" in estimators and comparable:
        out["cs"] = staggered_did(frame, y, **keys, cohort=COHORT,
                                  control="never" if design.has_never_treated else "notyet")
    if "sun_abraham" in estimators and comparable:
        out["sun_abraham"] = sun_abraham(frame, y, **keys, cohort=COHORT)
    if "psm" in estimators:
        if design.has_never_treated:
            out["psm"] = psm_did(frame, y, **keys, treated=TREATED, covariates=cov or [y])
        else:
            skipped["psm"] = ("PSM-DID 未估计：样本中的县最终都受处理（没有从未受处理的县），"
                              "无法匹配对照组")
    if "placebo" in estimators:
        out["placebo"] = placebo_test(frame, y, **keys, cohort=COHORT, covariates=cov,
                                      draws=placebo_draws, seed=seed)
    return PolicyEffects(design=design, skipped=skipped, **out)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tables


def comparison_table(effects: PolicyEffects, language: Language = "zh") -> RegressionTable:
    """Paper-style TWFE-vs-robust table (估计量对比表), with the true effect when simulated.

    Uses :meth:`linkage.evaluation.EstimatorComparison.table`; with the simulated sample a
    last row gives each estimator's true average effect (see :meth:`PolicyEffects.estimates`).
    """
    rows = effects.estimates()
    table = EstimatorComparison(rows=rows, outcome=effects.design.outcome).table(language)
    if effects.design.truth is None:
        return table
    frame = table.to_frame()
    name = "真实效应（模拟数据）" if language == "zh" else "True effect (simulated data)"
    frame.loc[name] = [f"{v:.4f}" for v in rows["true_effect"]]
    return RegressionTable(table=frame, note=table.note)


def regression_tables(effects: PolicyEffects, language: Language = "zh",
                      ) -> dict[str, RegressionTable]:
    """Regression tables (回归结果表): ``"main"`` — TWFE (with covariates) and PSM-DID;
    ``"clustering"`` — the TWFE DID under alternative clusterings (empty without TWFE)."""
    zh = language == "zh"
    term = {"key_assistance": ("重点帮扶县×政策后", "Key assistance × post"),
            "exit": ("摘帽后", "Post exit")}[effects.design.treatment][0 if zh else 1]
    labels = {TREATED: term}
    main = {title: result for title, result in (
        ("双向固定效应" if zh else "TWFE", effects.twfe),
        ("双向固定效应＋协变量" if zh else "TWFE + covariates", effects.twfe_covariates),
        ("PSM-DID", effects.psm.did if effects.psm else None)) if result is not None}
    out = {}
    if main:
        out["main"] = regression_table(main, labels=labels, language=language)
    if effects.clustering:
        out["clustering"] = regression_table(dict(effects.clustering), terms=[TREATED],
                                             labels=labels, language=language)
    return out


def dynamic_table(effects: PolicyEffects) -> pd.DataFrame:
    """Effects by event time (动态效应表): TWFE event study, Callaway–Sant'Anna dynamic,
    Sun–Abraham, and the true effect when simulated; index ``event_time``."""
    columns = {}
    if effects.event_study is not None:
        columns["event_study"] = effects.event_study.coefs.set_index("rel_time")["coef"]
    if effects.cs is not None:
        columns["cs"] = effects.cs.aggregate("dynamic").table.set_index("event_time")["att"]
    if effects.sun_abraham is not None:
        columns["sun_abraham"] = effects.sun_abraham.event.set_index("rel_time")["att"]
    table = pd.DataFrame(columns).rename_axis("event_time").sort_index()
    if effects.design.truth is not None and not table.empty:
        table["true_effect"] = effects._tau(table.index.to_numpy())
    if effects.event_study is not None:
        table = table.loc[table.index.to_series().between(*effects.event_study.window)]
    return table


def event_study_figure(effects: PolicyEffects, language: Language = "zh", *,
                       title: str | None = None) -> Figure:
    """Event-study figure (事件研究图): TWFE event study, Callaway–Sant'Anna (dynamic) and
    Sun–Abraham with 95 % intervals side by side, and the true effect of the simulated sample
    as a dashed line. Shown within the event-study window (when estimated)."""
    zh = language == "zh"
    series = []
    if effects.event_study is not None:
        es = effects.event_study.coefs.rename(columns={"rel_time": "e", "coef": "b"})
        series.append(("双向固定效应事件研究" if zh else "TWFE event study", es, "#1f4e79"))
    if effects.cs is not None:
        cs = effects.cs.aggregate("dynamic").table.rename(columns={"event_time": "e",
                                                                   "att": "b"})
        series.append(("Callaway–Sant'Anna", cs, "#c55a11"))
    if effects.sun_abraham is not None:
        sa = effects.sun_abraham.event.rename(columns={"rel_time": "e", "att": "b"})
        series.append(("Sun–Abraham", sa, "#548235"))
    if not series:
        raise InputError("没有动态效应估计可画 / no dynamic estimates",
                         hint="estimators 中至少包括 event_study、cs 或 sun_abraham 之一。")
    lo, hi = (effects.event_study.window if effects.event_study is not None else
              (min(int(s[1]["e"].min()) for s in series), max(int(s[1]["e"].max())
                                                              for s in series)))
    fig = Figure(figsize=mpl.rcParams["figure.figsize"], layout="constrained")
    ax = fig.add_subplot()
    offsets = np.linspace(-0.2, 0.2, len(series)) if len(series) > 1 else [0.0]
    for (name, table, colour), dx in zip(series, offsets, strict=True):
        shown = table[table["e"].between(lo, hi)]
        ci = shown[["ci_low", "ci_high"]].to_numpy(dtype=float)
        b = shown["b"].to_numpy(dtype=float)
        err = np.nan_to_num(np.abs(np.column_stack([b - ci[:, 0], ci[:, 1] - b])).T)
        ax.errorbar(shown["e"] + dx, b, yerr=err, fmt="o", ms=4, color=colour, ecolor=colour,
                    capsize=2, lw=1, label=name)
    if effects.design.truth is not None:
        for part, name in ((np.arange(lo, 0), None),
                           (np.arange(0, hi + 1), "真实效应（模拟数据）" if zh
                            else "True effect (simulated)")):  # a jump at 0, not a ramp
            ax.plot(part, effects._tau(part), color="#7f7f7f", ls="--", lw=1.2, label=name)
    ax.axhline(0.0, color="#555555", lw=0.8)
    ax.axvline(-0.5, color="#c00000", ls=":", lw=0.9)
    ticks = [str(e).replace("-", "−") for e in range(lo, hi + 1)]
    if effects.event_study is not None and effects.event_study.binned:
        ticks[0], ticks[-1] = f"≤{ticks[0]}", f"≥{ticks[-1]}"  # TWFE end points binned
    ax.set_xticks(range(lo, hi + 1), ticks)
    ax.set_xlabel("相对政策实施的年份（−1 为基期）" if zh
                  else "Years relative to treatment (−1 = base)")
    ax.set_ylabel(f"对 {effects.design.outcome} 的影响" if zh
                  else f"Effect on {effects.design.outcome}")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return fig


# --------------------------------------------------------------------------- narrative


def _signif(pvalue: float) -> str:
    for level in (0.01, 0.05, 0.1):
        if pvalue < level:
            return f"在 {level:.0%} 水平上显著"
    return "在 10% 水平上不显著"


def _effect(design: PolicyDesign, coef: float, se: float, pvalue: float) -> str:
    text = f"{coef:.4f}（标准误 {se:.4f}，p = {pvalue:.3f}，{_signif(pvalue)}）"
    if design.log_outcome:
        text += f"，约合 {100 * np.expm1(coef):.1f}%"
    return text


def _design_sentences(design: PolicyDesign) -> list[str]:
    ka = design.treatment == "key_assistance"
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


def _estimate_sentences(effects: PolicyEffects) -> tuple[list[str], pd.Series | None]:
    design, lines = effects.design, []
    table = effects.estimates().set_index("estimator")
    if "twfe" in table.index:
        r = table.loc["twfe"]
        lines.append(f"双向固定效应（静态）DID 估计：{design.outcome} 的平均处理效应为 "
                     + _effect(design, r["coef"], r["se"], r["pvalue"]) + "。")
    robust = table.loc[table.index.isin(["cs", "sun_abraham"])]
    if not robust.empty:
        parts = "；".join(f"{r['label_zh']} {_effect(design, r['coef'], r['se'], r['pvalue'])}"
                         for _, r in robust.iterrows())
        lines.append(f"异质性稳健估计量：{parts}。")
        early = effects.cs.n_dropped_early if effects.cs is not None else 0
        if early:
            lines.append(f"有 {early} 个县在样本第一年已受处理、没有处理前观测，稳健估计量按 R did "
                         "的规则不使用它们（静态 TWFE 仍使用），两类估计所对应的县因此不同。")
    if "twfe" in table.index and not robust.empty:
        twfe, mean_robust = table.loc["twfe"], float(robust["coef"].mean())
        gap = twfe["coef"] - mean_robust
        staggered = int((design.cohort_sizes.index > 0).sum()) > 1
        if abs(gap) <= twfe["se"]:
            lines.append(
                f"静态 TWFE 与稳健估计量（均值 {mean_robust:.4f}）相差 {gap:+.4f}，不到一个标准误。"
                + ("" if design.has_never_treated else
                   "但二者平均的处理县年并不相同：没有从未受处理的县时，稳健估计量只估计仍有尚未"
                   "处理的县可作对照的处理县年，数值接近并不说明静态 TWFE 无偏。"))
        else:
            why = ("静态 TWFE 把各期效应压成一个系数，交错处理时还以已受处理的县为对照"
                   "（Goodman-Bacon 2021），效应随时间增长时会偏离平均处理效应，甚至反号；"
                   if staggered else
                   "只有一个处理队列时，差别主要来自基期：静态 TWFE 以政策前全部年份的平均为基准，"
                   "稳健估计量以政策前一年为基准，政策前各年的波动（见事件研究图）造成了差别；")
            lines.append(
                f"静态 TWFE 比稳健估计量（均值 {mean_robust:.4f}）{'低' if gap < 0 else '高'} "
                f"{abs(gap):.4f}，超过一个标准误。{why}Callaway–Sant'Anna 与 Sun–Abraham 只用"
                "未受处理（或尚未受处理）的县作对照、逐期比较，应以它们为准。")
    if design.truth is not None and len(table):
        truth = table["true_effect"]
        within = (table["coef"] - truth).abs() <= 1.96 * table["se"]
        listed = "、".join(f"{table.at[k, 'label_zh']} {truth[k]:.4f}" for k in table.index)
        ok = "、".join(table.loc[within, "label_zh"]) or "无"
        lines.append(
            f"模拟数据的真实效应已知（{_truth_text(design)}）。按各估计量所平均的处理县年计算，"
            f"真实平均效应为：{listed}。估计与真实值之差在 1.96 个标准误以内的有：{ok}"
            + (f"；超出的有：{'、'.join(table.loc[~within, 'label_zh'])}" if not within.all()
               else "") + "。")
    best = next((table.loc[k] for k in ("cs", "sun_abraham", "twfe") if k in table.index), None)
    return lines, best


def _truth_text(design: PolicyDesign) -> str:
    truth = design.truth
    return "，".join(f"事件时间 {e} 为 {v:.3f}" for e, v in truth.iloc[:3].items()) + "，……"


def _assumption_sentences(effects: PolicyEffects) -> list[str]:
    design, lines = effects.design, []
    ka = design.treatment == "key_assistance"
    es = effects.event_study
    if es is not None:
        test = es.pretrend_test
        head = (f"事件研究中政策前各期系数（{', '.join(map(str, test.terms))}）的联合检验 "
                f"F = {test.statistic:.2f}，p = {test.pvalue:.3f}：")
        if test.pvalue >= 0.1:
            lines.append(head + "在 10% 水平上不能拒绝“政策前处理县与对照县无差异”。这与平行趋势"
                         "假设相容，但不能证明它：检验功效有限，而平行趋势是关于政策后反事实的假设，"
                         "本身无法检验。")
        else:
            lines.append(head + "拒绝“政策前无差异”——政策前处理县与对照县已有不同走势，平行趋势"
                         "假设可疑，DID 估计可能混入既有的趋势差异；可加入协变量、更换对照组，"
                         "或报告允许趋势偏离的敏感性分析（Rambachan & Roth 2023）。")
        coefs = es.coefs.set_index("rel_time")["coef"]
        last = int(coefs.index.max())
        lines.append(f"动态效应：政策实施当年为 {coefs.get(0, np.nan):.4f}，"
                     f"第 {last} 年{'及以后' if es.binned else ''}为 {coefs[last]:.4f}。")
    lines.append(
        "无预期效应：以政策前一年为基期，假定" + (
            "各县在重点帮扶县名单确定（2021 年）之前没有因预期而改变行为；若部分县提前获得倾斜，"
            "效应会提前出现并被基期吸收，估计偏小。" if ka else
            "摘帽之前没有预期效应；而摘帽要经过考核验收，摘帽前一两年往往集中投入，"
            "这会使事前系数偏离零、摘帽效应被错估。"))
    lines.append(
        "SUTVA 与溢出：假定一个县是否受处理不影响其他县的结果。"
        + ("重点帮扶县获得的衔接资金、项目和帮扶资源" if ka else "摘帽县的产业、就业和基础设施投入")
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


def _robustness_sentences(effects: PolicyEffects) -> list[str]:
    design, lines = effects.design, []
    if effects.psm is not None:
        did, match = effects.psm.did, effects.psm.match
        on = "、".join(design.covariates) or f"基期的 {design.outcome}"
        lines.append(f"PSM-DID（按 {on} 匹配，{match.n_off_support} 个处理县在共同支撑域外）："
                     + _effect(design, did.coef, did.se, did.pvalue)
                     + "。匹配只平衡可观测的特征，不能消除不可观测因素带来的选择偏误。")
    elif "psm" in effects.skipped:
        lines.append(f"{effects.skipped['psm']}。")
    pl = effects.placebo
    if pl is not None:
        share = float((pl.draws.abs() >= abs(pl.estimate)).mean())
        verdict = ("很难在“政策无效、处理县随机指定”的情况下得到这么大的估计" if pl.pvalue < 0.1
                   else "这样大小的估计在随机指定处理县时并不少见，不能排除估计只是偶然")
        lines.append(
            f"随机化安慰剂检验（{len(pl.draws)} 次随机指定处理县）：真实估计 {pl.estimate:.4f}，"
            f"{share:.1%} 的安慰剂估计绝对值不小于它，p = {pl.pvalue:.3f}，{verdict}。"
            "安慰剂检验只回答“是否可能是偶然”：它不能证明平行趋势成立，也不能排除处理县的"
            "选择性或同期其他政策带来的偏误——这些偏误在随机重排中并不存在。")
    if effects.drop_one is not None:
        rest = effects.drop_one.iloc[1:]
        same = bool((np.sign(rest["coef"]) == np.sign(effects.drop_one["coef"].iloc[0])).all())
        lines.append(f"逐一剔除各处理队列后，TWFE 估计在 {rest['coef'].min():.4f}—"
                     f"{rest['coef'].max():.4f} 之间，"
                     + ("符号都不变，结果不依赖某一个队列。" if same
                        else "符号发生变化，结果依赖个别队列，应谨慎解释。"))
    if effects.clustering:
        se = {k: r.se for k, r in effects.clustering.items()}
        p = {k: r.pvalue for k, r in effects.clustering.items()}
        lines.append(
            f"更换聚类层级（{'、'.join(se)}）后，标准误在 {min(se.values()):.4f}—"
            f"{max(se.values()):.4f} 之间，p 值最大为 {max(p.values()):.3f}。"
            + "".join(f"按{k}聚类时（较少一维的）类数只有 {min(r.fit.n_clusters)} 个，"
                      "类少时聚类标准误可能偏小，应谨慎。" for k, r in effects.clustering.items()
                      if min(r.fit.n_clusters) < 30))
    return lines


def policy_narrative(effects: PolicyEffects) -> list[str]:
    """Chinese findings of the policy-effects report (政策效果要点), one sentence per item.

    States the design and why the comparison is restricted, the TWFE and heterogeneity-robust
    estimates and how far apart they are, the true effect when the data are simulated, the
    pre-trend test, the identifying assumptions (parallel trends, no anticipation,
    SUTVA/spillovers, selection of treated counties), what PSM and the placebo do and do not
    show, drop-one-cohort and clustering robustness, and what the design can and cannot claim.
    Every number is read from ``effects``, so the sentences change with the estimates.

    Parameters
    ----------
    effects : PolicyEffects

    Returns
    -------
    list of str
    """
    design = effects.design
    estimates, best = _estimate_sentences(effects)
    lines = [*_design_sentences(design), *estimates, *_assumption_sentences(effects),
             *_robustness_sentences(effects)]
    if best is not None:
        size = f"{best['coef']:.4f}" + (f"（约 {100 * np.expm1(best['coef']):.1f}%）"
                                        if design.log_outcome else "")
        lines.append(
            f"可以主张：在平行趋势、无预期效应和无溢出的假设下，{_TREATMENT_ZH[design.treatment]}"
            f"使处理县的 {design.outcome} 平均变化 {size}（{best['label_zh']}，"
            f"{_signif(best['pvalue'])}）。不能主张：效应可以推广到样本以外的县、效应来自哪一项"
            "具体措施，或在上述假设不成立时的因果解释。")
    if design.simulated:
        lines.append("以上结果基于模拟数据，仅用于演示方法，不代表任何真实地区。")
    return lines
