"""TWFE vs. heterogeneity-robust estimators in one table, with one covariate set (估计量对比)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from linkage.checks import FEW_CLUSTERS, MIN_REPS, SEED, Inference, check_option
from linkage.evaluation._fit import column_list, complete_columns
from linkage.evaluation.inference import tidy_table
from linkage.evaluation.staggered import Control, EstMethod, staggered_did
from linkage.evaluation.sun_abraham import sun_abraham
from linkage.evaluation.tables import RegressionTable, inference_key, stars
from linkage.evaluation.twfe import twfe_did
from linkage.evaluation.wild import few_clusters
from linkage.labels import Language, is_zh, label

__all__ = [
    "ESTIMATOR_KEYS",
    "ROW_COLUMNS",
    "EstimatorComparison",
    "compare_estimators",
    "covariate_controls",
    "covariate_note",
    "estimator_row",
]

ESTIMATOR_KEYS = ("twfe", "psm", "cs", "sun_abraham")
"""Average-effect estimators a comparison table can hold (labels ``pe_est_<key>``)."""


def covariate_controls(data: pd.DataFrame, covariates: Sequence[str], *, unit: str,
                       time: str) -> tuple[pd.DataFrame, list[str]]:
    """Regression controls that carry a covariate set into TWFE-type regressions (控制变量).

    Time-varying covariates enter as they are. A covariate that is constant within every unit
    is absorbed by the unit effects, yet conditional parallel trends lets trends differ with
    it; it therefore enters as covariate × year interactions (first year left out) — the
    regression counterpart of conditioning on it in Callaway–Sant'Anna (Sant'Anna & Zhao 2020,
    §2; Callaway & Sant'Anna 2021, §2).

    Returns
    -------
    (pandas.DataFrame, list of str)
        ``data`` with the interaction columns (named ``"x×2016"``) added, and the control
        column names.
    """
    complete_columns(data, [unit, time, *covariates], numeric=list(covariates))
    controls, extra = [], {}
    years = np.sort(data[time].unique())
    for c in covariates:
        if (data.groupby(unit, sort=False)[c].nunique() > 1).any():
            controls.append(c)
            continue
        for year in years[1:]:
            name = f"{c}×{year}"
            extra[name] = np.where(data[time].to_numpy() == year, data[c].to_numpy(float), 0.0)
            controls.append(name)
    return data.assign(**extra), controls


def covariate_note(covariates: Sequence[str], language: Language = "zh", *,
                   est_method: EstMethod = "dr") -> str:
    """Which covariates every estimator of a comparison uses, in one clause (协变量口径);
    ``est_method`` is the one Callaway–Sant'Anna used (doubly robust, IPW or regression).

    >>> covariate_note(["x"], est_method="ipw").endswith("（标准化逆概率加权，R did 口径）")
    True
    """
    check_option("est_method", est_method, EstMethod)
    if not covariates:
        return ("各估计量均不含协变量（无条件平行趋势）" if is_zh(language) else
                "no estimator uses covariates (unconditional parallel trends)")
    method = label(f"cs_method_{est_method}", language)
    if is_zh(language):
        return (f"各估计量使用同一组协变量 {'、'.join(covariates)}："
                "TWFE 与 Sun–Abraham 作为控制变量（不随时间变化的协变量以“协变量×年份”进入），"
                f"PSM-DID 作为匹配变量，Callaway–Sant'Anna 取基期值（{method}，R did 口径）")
    return (f"every estimator uses the same covariates ({', '.join(covariates)}): as "
            "controls in TWFE and Sun–Abraham (time-invariant ones as covariate × year "
            "interactions), as matching variables in PSM-DID, at their base-period values in "
            f"Callaway–Sant'Anna ({method}, as R did)")


def estimator_row(key: str, result: Any) -> dict[str, Any]:
    """One row of a comparison table for the result of estimator ``key`` (``"twfe"``,
    ``"psm"``, ``"cs"`` — a :class:`StaggeredDIDResult`, summarised by its ``"simple"``
    aggregation — or ``"sun_abraham"``): the estimate, its standard error, interval and
    p-value, ``nobs`` (unit-periods used), the inference key (:func:`inference_key`) and
    ``reps``, the draws behind a resampling p-value (0 for an analytic one)."""
    check_option("estimator", key, ESTIMATOR_KEYS)
    summary = result.aggregate("simple") if key == "cs" else result
    coef = summary.att if key in ("cs", "sun_abraham") else summary.coef
    wild = getattr(result, "wild", None)
    reps = (wild.reps if wild is not None else
            result.reps if key == "psm" and result.inference == "bootstrap" else 0)
    return {"estimator": key, "label_zh": label(f"pe_est_{key}", "zh"),
            "label_en": label(f"pe_est_{key}", "en"), "coef": coef, "se": summary.se,
            "ci_low": summary.ci[0], "ci_high": summary.ci[1], "pvalue": summary.pvalue,
            "nobs": (result.n_units * result.n_periods if key == "cs" else result.nobs),
            "inference": inference_key(summary), "reps": reps}


ROW_COLUMNS = ("estimator", "label_zh", "label_en", "coef", "se", "ci_low", "ci_high", "pvalue",
               "nobs", "inference", "reps")


@dataclass(frozen=True)
class EstimatorComparison:
    """TWFE vs. heterogeneity-robust estimates side by side (估计量比较).

    ``rows`` has one row per estimator (:func:`estimator_row`): ``estimator, label_zh,
    label_en, coef, se, ci_low, ci_high, pvalue, nobs, inference, reps``; ``covariates`` is
    the one covariate set all of them use, ``est_method`` Callaway–Sant'Anna's 2×2 estimator,
    ``n_treated`` the treated units (for the few-treated caveat of analytic p-values).
    """

    rows: pd.DataFrame
    outcome: str
    covariates: tuple[str, ...] = ()
    level: float = 0.95
    est_method: str = "dr"
    n_treated: int | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.rows.copy()

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """Tidy table, one row per estimator (term = ``estimator``), with each estimator's
        p-value and an interval at ``level`` (normal; the rows' own intervals at the
        estimate's level are in :meth:`to_frame`); ``nobs`` = unit-periods used."""
        r = self.rows
        level = self.level if level is None else level
        table = tidy_table(r["estimator"], r["coef"], r["se"], nobs=r["nobs"], level=level,
                           pvalue=r["pvalue"])
        if level == self.level:
            table[["ci_low", "ci_high"]] = r[["ci_low", "ci_high"]].to_numpy()
        return table

    def summary(self, language: Language = "zh") -> str:
        """The estimates in one sentence, with the covariate set."""
        zh = is_zh(language)
        parts = ("；" if zh else "; ").join(
            f"{row['label_zh' if zh else 'label_en']} {row['coef']:.4f}（{row['se']:.4f}）"
            if zh else f"{row['label_en']} {row['coef']:.4f} ({row['se']:.4f})"
            for _, row in self.rows.iterrows())
        note = covariate_note(self.covariates, language, est_method=self.est_method)
        return (f"{self.outcome} 的平均处理效应：{parts}；{note}。" if zh else
                f"Average effect on {self.outcome}: {parts}; {note}.")

    def inference_note(self, language: Language = "zh") -> str:
        """Which inference each column's stars use, and the few-treated caveat for the
        columns whose p-values rest on a large-sample approximation (Callaway–Sant'Anna's
        influence function; cluster-robust t) when fewer than
        :data:`~linkage.checks.FEW_CLUSTERS` units are treated."""
        zh = is_zh(language)
        r = self.rows
        sep = "；" if zh else "; "
        parts = [f"{row['label_zh' if zh else 'label_en']}：{label(row['inference'], language)}"
                 if zh else f"{row['label_en']}: {label(row['inference'], language)}"
                 for _, row in r.iterrows()]
        text = ("星号与 p 值的来源：" if zh else "Stars and p-values: ") + sep.join(parts)
        few = self.n_treated is not None and few_clusters(self.n_treated)
        rough = r[r["inference"].isin(["inference_cs_analytic", "inference_cs_bootstrap",
                                       "inference_cluster", "inference_cluster_twoway"])]
        if few and len(rough):
            names = ("、" if zh else ", ").join(rough["label_zh" if zh else "label_en"])
            text += (f"。处理单位只有 {self.n_treated} 个（少于 {FEW_CLUSTERS} 个），{names} "
                     "的 p 值依赖大样本（正态或聚类 t）近似，处理单位少时可能偏小、星号偏多"
                     "（MacKinnon & Webb 2017），应谨慎解读" if zh else
                     f". Only {self.n_treated} units are treated (fewer than {FEW_CLUSTERS}): "
                     f"the p-values of {names} rest on a large-sample (normal or cluster t) "
                     "approximation that can be too small with few treated units (MacKinnon & "
                     "Webb 2017); read their stars with care")
            if rough["estimator"].eq("cs").any():
                text += ("（Callaway–Sant'Anna 没有对应的野聚类自助法；R did 的乘子自助法同样"
                         "依赖大样本）" if zh else
                         " (Callaway–Sant'Anna has no wild cluster bootstrap; R did's "
                         "multiplier bootstrap is large-sample too)")
        return text

    def table(self, language: Language = "zh", *, digits: int = 4) -> RegressionTable:
        """Paper-style table as :func:`regression_table`: one column per estimator, the
        estimate with stars (* p<0.1, ** p<0.05, *** p<0.01) over its (standard error), N,
        and the row "p 值方法" naming each column's inference; the note says the covariate set,
        which inference each column's stars use and, with few treated units, the caveat."""
        zh = is_zh(language)
        r = self.rows
        body = [[f"{c:.{digits}f}{stars(p)}" for c, p in zip(r["coef"], r["pvalue"], strict=True)],
                [f"({v:.{digits}f})" for v in r["se"]],
                [f"{n:,}" for n in r["nobs"]],
                [label(k, language) for k in r["inference"]]]
        index = pd.Index([f"{self.outcome}：平均处理效应" if zh else f"{self.outcome}: ATT", "",
                          label("reg_nobs", language), label("reg_inference", language)],
                         name=label("reg_variable", language))
        cov = covariate_note(self.covariates, language, est_method=self.est_method)
        note = (f"注：括号内为标准误（TWFE、Sun–Abraham 按县聚类；CS 为影响函数标准误）；{cov}；"
                f"{self.inference_note(language)}；* p<0.1，** p<0.05，*** p<0.01。" if zh
                else "Note: standard errors in parentheses (clustered by unit for TWFE and "
                f"Sun–Abraham; CS: influence-function SE); {cov}; "
                f"{self.inference_note(language)}; * p<0.1, ** p<0.05, *** p<0.01.")
        return RegressionTable(table=pd.DataFrame(body, index=index,
                                                  columns=r["label_zh" if zh else "label_en"]),
                               note=note)


def compare_estimators(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    control: Control = "never",
    covariates: Sequence[str] | None = None,
    est_method: EstMethod = "dr",
    inference: Inference = "cluster",
    reps: int = MIN_REPS,
    seed: int = SEED,
    level: float = 0.95,
) -> EstimatorComparison:
    """TWFE static vs. Callaway–Sant'Anna vs. Sun–Abraham (双向固定效应与稳健估计量对比).

    Rows: the static TWFE DID coefficient on 1[t ≥ cohort] (:func:`twfe_did`, reghdfe
    standard errors clustered by unit), the Callaway–Sant'Anna ``"simple"`` aggregation
    (:func:`staggered_did` with ``control``; normal p-value from the influence function, as
    R ``did``) and the Sun–Abraham average post-treatment effect (:func:`sun_abraham`).
    ``inference`` applies to the two regressions (TWFE and Sun–Abraham: ``"wild"`` or
    ``"auto"`` give wild cluster bootstrap p-values and intervals, ``reps``/``seed``); each
    row records its inference and the table says it per column. Under heterogeneous
    staggered effects the first can differ from the other two even in sign (Goodman-Bacon
    2021, J. Econometrics 225(2):254-277).

    All three use the same ``covariates`` (or none): comparing a conditional with an
    unconditional parallel-trends estimate would mix two differences. TWFE and Sun–Abraham
    take them as controls (:func:`covariate_controls`: time-invariant ones as covariate × year
    interactions), Callaway–Sant'Anna at their base-period values with ``est_method``
    (R ``did``'s way of conditioning).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"c": np.repeat(np.arange(300), 6), "t": np.tile(range(1, 7), 300)})
    >>> df["E"] = np.repeat(rng.choice([0, 3, 5], 300), 6)
    >>> df["y"] = 0.5 * ((df.E > 0) & (df.t >= df.E)) + rng.normal(0, 0.1, len(df))
    >>> compare_estimators(df, "y", unit="c", time="t", cohort="E").to_frame()["coef"].round(1)
    0    0.5
    1    0.5
    2    0.5
    Name: coef, dtype: float64
    """
    covariates = column_list(covariates)
    complete_columns(data, [outcome, unit, time, cohort], numeric=[outcome, time, cohort])
    frame, controls = covariate_controls(data, covariates, unit=unit, time=time)
    d_name = "_treated_post"
    treated = ((data[cohort] > 0) & (data[time] >= data[cohort])).astype(int)
    boot = {"inference": inference, "reps": reps, "seed": seed, "level": level}
    twfe = twfe_did(frame.assign(**{d_name: treated.to_numpy()}), outcome, unit=unit,
                    time=time, treated=d_name, covariates=controls, **boot)
    cs = staggered_did(data, outcome, unit=unit, time=time, cohort=cohort, control=control,
                       covariates=covariates or None, est_method=est_method, level=level)
    sa = sun_abraham(frame, outcome, unit=unit, time=time, cohort=cohort,
                     covariates=controls, **boot)
    rows = pd.DataFrame([estimator_row("twfe", twfe), estimator_row("cs", cs),
                         estimator_row("sun_abraham", sa)], columns=list(ROW_COLUMNS))
    return EstimatorComparison(rows=rows, outcome=str(outcome), covariates=tuple(covariates),
                               level=level, est_method=est_method,
                               n_treated=int((cs.unit_cohorts > 0).sum()))
