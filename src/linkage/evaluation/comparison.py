"""TWFE vs. heterogeneity-robust estimators in one table, with one covariate set (估计量对比)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkage.evaluation._fit import column_list, complete_columns
from linkage.evaluation.inference import tidy_table
from linkage.evaluation.staggered import Control, EstMethod, staggered_did
from linkage.evaluation.sun_abraham import sun_abraham
from linkage.evaluation.tables import RegressionTable, stars
from linkage.evaluation.twfe import twfe_did
from linkage.labels import Language, is_zh, label

__all__ = ["EstimatorComparison", "compare_estimators", "covariate_controls", "covariate_note"]


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


def covariate_note(covariates: Sequence[str], language: Language = "zh") -> str:
    """Which covariates every estimator of a comparison uses, in one clause (协变量口径)."""
    if not covariates:
        return ("各估计量均不含协变量（无条件平行趋势）" if is_zh(language) else
                "no estimator uses covariates (unconditional parallel trends)")
    if is_zh(language):
        return (f"各估计量使用同一组协变量 {'、'.join(covariates)}："
                "TWFE 与 Sun–Abraham 作为控制变量（不随时间变化的协变量以“协变量×年份”进入），"
                "Callaway–Sant'Anna 取基期值（双重稳健，R did 口径）")
    return (f"every estimator uses the same covariates ({', '.join(covariates)}): as "
            "controls in TWFE and Sun–Abraham (time-invariant ones as covariate × year "
            "interactions), at their base-period values in Callaway–Sant'Anna (doubly robust, "
            "as R did)")


@dataclass(frozen=True)
class EstimatorComparison:
    """TWFE vs. heterogeneity-robust estimates side by side (估计量比较).

    ``rows`` has one row per estimator: ``estimator, label_zh, label_en, coef, se, ci_low,
    ci_high, pvalue, nobs``; ``covariates`` is the one covariate set all of them use.
    """

    rows: pd.DataFrame
    outcome: str
    covariates: tuple[str, ...] = ()
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        return self.rows.copy()

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """Tidy table, one row per estimator (term = ``estimator``), with each estimator's
        p-value and an interval at ``level`` (normal; the rows' own intervals at the
        estimate's level are in :meth:`to_frame`)."""
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
        note = covariate_note(self.covariates, language)
        return (f"{self.outcome} 的平均处理效应：{parts}；{note}。" if zh else
                f"Average effect on {self.outcome}: {parts}; {note}.")

    def table(self, language: Language = "zh", *, digits: int = 4) -> RegressionTable:
        """Paper-style table as :func:`regression_table`: one column per estimator, the
        estimate with stars (* p<0.1, ** p<0.05, *** p<0.01) over its (standard error), N;
        the note says the covariate set and the inference."""
        zh = is_zh(language)
        r = self.rows
        body = [[f"{c:.{digits}f}{stars(p)}" for c, p in zip(r["coef"], r["pvalue"], strict=True)],
                [f"({v:.{digits}f})" for v in r["se"]],
                [f"{n:,}" for n in r["nobs"]]]
        index = pd.Index([f"{self.outcome}：平均处理效应" if zh else f"{self.outcome}: ATT", "",
                          label("reg_nobs", language)], name=label("reg_variable", language))
        cov = covariate_note(self.covariates, language)
        note = ("注：括号内为标准误（按县聚类；CS 为影响函数标准误）；"
                f"{cov}；* p<0.1，** p<0.05，*** p<0.01。" if zh
                else "Note: standard errors in parentheses (clustered by unit; CS: "
                f"influence-function SE); {cov}; "
                "* p<0.1, ** p<0.05, *** p<0.01.")
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
    level: float = 0.95,
) -> EstimatorComparison:
    """TWFE static vs. Callaway–Sant'Anna vs. Sun–Abraham (双向固定效应与稳健估计量对比).

    Rows: the static TWFE DID coefficient on 1[t ≥ cohort] (:func:`twfe_did`, reghdfe
    standard errors clustered by unit), the Callaway–Sant'Anna ``"simple"`` aggregation
    (:func:`staggered_did` with ``control``; normal p-value) and the Sun–Abraham average
    post-treatment effect (:func:`sun_abraham`). Under heterogeneous staggered effects the
    first can differ from the other two even in sign (Goodman-Bacon 2021, J. Econometrics
    225(2):254-277).

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
    twfe = twfe_did(frame.assign(**{d_name: treated.to_numpy()}), outcome, unit=unit,
                    time=time, treated=d_name, covariates=controls, level=level)
    cs = staggered_did(data, outcome, unit=unit, time=time, cohort=cohort, control=control,
                       covariates=covariates or None, est_method=est_method, level=level)
    simple = cs.aggregate("simple")
    sa = sun_abraham(frame, outcome, unit=unit, time=time, cohort=cohort,
                     covariates=controls, level=level)
    rows = pd.DataFrame({
        "estimator": ["twfe", "callaway_santanna", "sun_abraham"],
        "label_zh": ["双向固定效应（静态）", "Callaway–Sant'Anna（简单加权）",
                     "Sun–Abraham（交互加权）"],
        "label_en": ["TWFE (static)", "Callaway–Sant'Anna (simple)", "Sun–Abraham (IW)"],
        "coef": [twfe.coef, simple.att, sa.att],
        "se": [twfe.se, simple.se, sa.se],
        "ci_low": [twfe.ci[0], simple.ci[0], sa.ci[0]],
        "ci_high": [twfe.ci[1], simple.ci[1], sa.ci[1]],
        "pvalue": [twfe.pvalue, simple.pvalue, sa.pvalue],
        "nobs": [twfe.nobs, cs.n_units * cs.n_periods, sa.nobs],
    })
    return EstimatorComparison(rows=rows, outcome=str(outcome), covariates=tuple(covariates),
                               level=level)
