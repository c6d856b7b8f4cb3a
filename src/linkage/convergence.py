"""Convergence (收敛分析): σ-convergence, β-convergence and distribution dynamics.

Are former poverty areas catching up (拓展, 结果同等性)? σ-convergence asks whether the
dispersion of (log) income across regions falls over the years; β-convergence asks whether
regions that started poorer grow faster; the kernel density of the distribution by year is the
classic "distribution dynamics" figure.

Conventions (defaults follow Stata, the field's reference tool):

* Panel keys are ``unit`` (default ``"region_code"``) and ``time`` (default ``"year"``), as in
  the kit's argument vocabulary; missing values follow ``missing`` (``"raise"`` or ``"drop"``,
  the count dropped is kept in the result).
* Clustered standard errors with Stata's small-sample factor G/(G−1)·(N−1)/(N−K) and
  t-distribution with G−1 degrees of freedom, as ``regress, vce(cluster region)`` and
  ``xtreg, fe vce(cluster region)`` print them (via statsmodels ``cov_type="cluster"``).
  Absorbed region fixed effects are not counted in K (they are nested in the clusters) while
  the constant and year dummies are, as in ``xtreg, fe``; ``reghdfe`` may count one parameter
  fewer, a factor √((N−K)/(N−K−1)) on the SE. Singleton regions are dropped with a count, as
  ``reghdfe`` does (they carry no within information).
* Few clusters: cluster-robust t-tests over-reject when clusters are few (Cameron, Gelbach &
  Miller 2008, Review of Economics and Statistics 90:414-427) and more so when cluster sizes
  differ (MacKinnon & Webb 2017, Journal of Applied Econometrics 32:233-254).
  ``inference="wild"`` replaces the p-value and interval of β by the restricted wild cluster
  bootstrap (WCR, null imposed, CRV1 t-statistic; Roodman, MacKinnon, Nielsen & Webb 2019,
  Stata Journal 19:4-60, Stata ``boottest``; interval by inverting the test) — the kit's one
  implementation, :func:`linkage.evaluation.wild.wild_bootstrap_ols`, on the same design as
  the statsmodels fit; ``inference="auto"`` does so below
  :data:`linkage.checks.FEW_CLUSTERS` clusters. Weights follow the kit's rule (Webb below
  :data:`linkage.checks.WEBB_BELOW` clusters, Rademacher otherwise) unless ``wild_weights``
  names one.
* Convergence speed λ = −ln(1 + βT)/T and half-life ln 2/λ (Barro & Sala-i-Martin 1992,
  Journal of Political Economy 100:223-251, eq. 12 and §III); they exist only for
  −1/T < β < 0 and are ``None`` otherwise (no convergence), said so in ``summary()``.
  Speeds above :data:`MAX_PLAUSIBLE_SPEED` (10 %/year, half-life under 7 years) are flagged
  as implausible (:attr:`BetaResult.implausible`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.nonparametric.bandwidths import select_bandwidth

from linkage.checks import (
    MIN_REPS,
    SEED,
    Inference,
    Missing,
    WildWeights,
    check_level,
    check_option,
    check_reps,
    finite_array,
    missing_mask,
    require_columns,
)
from linkage.errors import InputError
from linkage.evaluation.inference import format_pvalue, tidy_table
from linkage.evaluation.wild import WildBootstrap, few_clusters, wild_bootstrap_ols
from linkage.labels import Language, is_zh, label

__all__ = [
    "MAX_PLAUSIBLE_SPEED",
    "BetaResult",
    "SigmaResult",
    "beta_convergence",
    "kernel_density",
    "panel_beta_convergence",
    "sigma_convergence",
]

SigmaMeasure = Literal["sd_log", "cv"]
PanelEffects = Literal["year", "twoway"]
Bandwidth = Literal["silverman", "scott"]


MAX_PLAUSIBLE_SPEED = 0.10
"""Convergence speeds above 10 % a year (half-life under 7 years) are flagged as implausible.
Cross-section estimates are about 2 %/year (Barro & Sala-i-Martin 1992, JPE 100:223-251);
panel fixed-effects estimates are faster, 3.8–9.1 %/year in Islam (1995, QJE 110:1127-1170)
and about 10 %/year with GMM in Caselli, Esquivel & Lefort (1996, Journal of Economic Growth
1:363-389). A faster estimate more likely reflects the downward (Nickell 1981, Econometrica
49:1417-1426) bias of fixed-effects β in short panels, transitory shocks or measurement error
(mean reversion, Friedman 1992, JEL 30:2129-2132) than catching up."""

_MISSING_RULES = ("raise", "drop")  # the subset of checks.Missing offered here


def _complete(panel: pd.DataFrame, columns: list[str],
              missing: Missing) -> tuple[pd.DataFrame, int]:
    """The needed columns with the missing-value rule applied, and the count dropped."""
    columns = list(dict.fromkeys(columns))
    incomplete = missing_mask(panel, columns, missing, allowed=_MISSING_RULES)
    return panel.loc[~incomplete, columns], int(incomplete.sum())


def _log_positive(values: pd.Series, name: str) -> np.ndarray:
    return np.log(finite_array(values, name, minimum=0.0, strict=True,
                               hint="收敛分析需要正的收入水平，无法对 ≤ 0 的值取对数 / "
                                    "convergence needs positive levels"))


def _unique_keys(frame: pd.DataFrame, unit: str, time: str) -> None:
    duplicated = frame.duplicated([unit, time])
    if duplicated.any():
        rows = frame.loc[duplicated, [unit, time]].head(3).to_records(index=False).tolist()
        raise InputError(f"地区-年份有重复行，如 {rows} / duplicate {unit}-{time} rows",
                         column=unit, hint="每个地区每年只能有一行 / one row per unit and time")


def _p_text(p: float, reps: int | None = None) -> str:
    """A p-value as printed (:func:`linkage.evaluation.format_pvalue`): never "0.000" —
    "p < 0.001", or "p ≤ 1/(B+1)" for a bootstrap p-value at its floor."""
    text = format_pvalue(p, reps=reps)
    return f"p {text}" if text[0] in "<≤" else f"p = {text}"


# --------------------------------------------------------------------------- σ


@dataclass(frozen=True)
class SigmaResult:
    """σ-convergence (σ收敛): dispersion by year and its linear trend.

    Attributes
    ----------
    table : DataFrame
        Indexed by year: ``n``, ``mean``, ``sd_log`` (SD of ln y, ddof = 1), ``cv`` (SD/mean of
        y, ddof = 1).
    measure : {"sd_log", "cv"}
        The column whose trend is tested.
    slope, se, t, p : float
        OLS of the measure on year (conventional SE, n_years − 2 df).
    n_dropped : int
        Rows dropped for missing values (``missing="drop"``).
    """

    table: pd.DataFrame
    measure: str
    slope: float
    se: float
    t: float
    p: float
    n_dropped: int = 0

    @property
    def converging(self) -> bool:
        """Declining dispersion, significant at 5 % (one number papers report)."""
        return self.slope < 0 and self.p < 0.05

    def to_frame(self) -> pd.DataFrame:
        """The by-year table."""
        return self.table

    def tidy(self, level: float = 0.95) -> pd.DataFrame:
        """The kit's coefficient table for the trend (term ``"trend"``, per year): t with
        n_years − 2 df, interval at ``level``; ``nobs`` = region-years used."""
        return tidy_table(["trend"], [self.slope], [self.se], nobs=int(self.table["n"].sum()),
                          level=level, df=len(self.table) - 2, pvalue=[self.p])

    def summary(self, language: Language = "zh") -> str:
        """One paragraph in ``language``."""
        check_option("language", language, Language)
        years = self.table.index
        first, last = self.table[self.measure].iloc[[0, -1]]
        if not is_zh(language):
            name = "SD of log income" if self.measure == "sd_log" else "coefficient of variation"
            verdict = ("significant σ-convergence" if self.converging
                       else "no significant σ-convergence")
            text = (f"{years[0]}–{years[-1]}: the {name} moved from {first:.4f} to {last:.4f}; "
                    f"linear trend {self.slope:.5f} per year (t = {self.t:.2f}, "
                    f"{_p_text(self.p)}): {verdict}.")
            return text + (f" {self.n_dropped} rows with missing values dropped."
                           if self.n_dropped else "")
        name = "对数标准差" if self.measure == "sd_log" else "变异系数"
        verdict = "存在显著的σ收敛" if self.converging else "未发现显著的σ收敛"
        text = (f"{years[0]}–{years[-1]} 年{name}由 {first:.4f} 变为 {last:.4f}；"
                f"线性趋势斜率 {self.slope:.5f}/年 (t = {self.t:.2f}, {_p_text(self.p)})，"
                f"{verdict}。")
        return text + (f"剔除缺失值 {self.n_dropped} 行。" if self.n_dropped else "")


def sigma_convergence(panel: pd.DataFrame, *, value: str, time: str = "year",
                      measure: SigmaMeasure = "sd_log",
                      missing: Missing = "raise") -> SigmaResult:
    r"""σ收敛 σ-convergence: dispersion of income across regions by year, and its trend.

    .. math:: \sigma_t = \sqrt{\tfrac{1}{n_t-1}\sum_i (\ln y_{it} - \overline{\ln y}_t)^2},
              \qquad CV_t = s_t(y)/\bar y_t,

    and the OLS trend :math:`\sigma_t = a + b\,t`; σ-convergence means b < 0 (Barro &
    Sala-i-Martin 1992, JPE 100:223-251, §II; Sala-i-Martin 1996, Economic Journal 106:1019-1036).
    SDs use n − 1 (Stata ``summarize``/``tabstat``).

    Parameters
    ----------
    panel : DataFrame
        One row per region-year.
    value : str
        Income column (> 0, e.g. yuan per person).
    time : str
        Year column.
    measure : {"sd_log", "cv"}
        Which dispersion measure's trend to test.
    missing : {"raise", "drop"}
        Rows with a missing value: raise (default) or drop (counted in ``n_dropped``).

    Returns
    -------
    SigmaResult

    Examples
    --------
    >>> df = pd.DataFrame({"year": [1, 1, 2, 2, 3, 3], "y": [1.0, 4, 1.5, 3, 2, 2.5]})
    >>> round(sigma_convergence(df, value="y").slope, 4)
    -0.4112
    """
    check_option("measure", measure, SigmaMeasure)
    frame, n_dropped = _complete(panel, [value, time], missing)
    log_y = pd.Series(_log_positive(frame[value], value), index=frame.index)
    y = frame[value].astype(float)
    grouped = y.groupby(frame[time], sort=True)
    table = pd.DataFrame({
        "n": grouped.size(),
        "mean": grouped.mean(),
        "sd_log": log_y.groupby(frame[time], sort=True).std(ddof=1),
        "cv": grouped.std(ddof=1) / grouped.mean(),
    })
    table.index.name = time
    if (table["n"] < 2).any() or len(table) < 3:
        raise InputError("σ收敛需要至少 3 年、每年至少 2 个地区 / need ≥ 3 years, ≥ 2 regions",
                         column=time, hint="扩大年份或地区范围 / widen the years or regions")
    fit = sm.OLS(table[measure].to_numpy(),
                 sm.add_constant(table.index.to_numpy(dtype=float))).fit()
    return SigmaResult(table=table, measure=measure, slope=float(fit.params[1]),
                       se=float(fit.bse[1]), t=float(fit.tvalues[1]), p=float(fit.pvalues[1]),
                       n_dropped=n_dropped)


# --------------------------------------------------------------------------- β


@dataclass(frozen=True)
class BetaResult:
    """β-convergence regression (β收敛) with clustered standard errors.

    Attributes
    ----------
    kind : {"absolute", "conditional", "panel"}
    beta : float
        Coefficient on the (initial or lagged) log level.
    period : int
        Years per growth observation T (end − start; 1 for the panel form).
    speed, half_life : float or None
        λ = −ln(1 + βT)/T (per year) and ln 2/λ (years); None when there is no convergence.
    n, clusters : int
        Observations used and number of clusters.
    n_singletons : int
        Regions dropped because they have one growth observation (two-way effects).
    r2 : float
        R² of the estimated equation (within R² when region effects are absorbed).
    coefficients : DataFrame
        ``coef, se, stat, pvalue, ci_low, ci_high`` (at ``level``) for the log level,
        controls and constant (fixed-effect dummies omitted), indexed by term: cluster-robust
        t with G − 1 df, except that under the wild bootstrap the log level's ``pvalue`` and
        interval are the bootstrap's (the interval by inverting the bootstrap test).
    level : float
        Confidence level of the intervals.
    wild : linkage.evaluation.WildBootstrap or None
        The wild cluster bootstrap of β when it was used.
    fixed_effects : str or None
        The column whose dummies entered the cross-section, or ``"year"`` / ``"twoway"`` for
        the panel form; None without fixed effects.
    n_times : int
        Distinct periods of the growth observations (1 for the cross-section).
    n_dropped : int
        Regions (cross-section: lacking the start or end value or a control) or rows (panel)
        dropped for missing values.
    n_no_lag : int
        Panel form: rows kept whose previous year is absent or was dropped (a gap), so that
        they give no growth observation; each region's first year is not counted (it never
        has one).
    """

    kind: str
    beta: float
    period: int
    speed: float | None
    half_life: float | None
    n: int
    clusters: int
    n_singletons: int
    r2: float
    coefficients: pd.DataFrame
    level: float = 0.95
    wild: WildBootstrap | None = None
    fixed_effects: str | None = None
    n_times: int = 1
    n_dropped: int = 0
    n_no_lag: int = 0

    @property
    def inference(self) -> str:
        """``"wild"`` when β's p-value is the wild cluster bootstrap's, else ``"cluster"``."""
        return "cluster" if self.wild is None else "wild"

    @property
    def pvalue(self) -> float:
        """The p-value of β reported (bootstrap under ``inference == "wild"``)."""
        return float(self.coefficients["pvalue"].iloc[0])

    @property
    def implausible(self) -> bool:
        """Speed above :data:`MAX_PLAUSIBLE_SPEED` (see there for the rule and references)."""
        return self.speed is not None and self.speed > MAX_PLAUSIBLE_SPEED

    @property
    def nickell_bias(self) -> float | None:
        """Leading term of the Nickell (1981) bias of β under region fixed effects (large T),
        −(1 + ρ)/(T − 1) with ρ = 1 + β̂ and T the periods per region; None otherwise. Of the
        order of the estimate itself in short panels: β̂ is then mostly bias."""
        if self.fixed_effects != "twoway" or self.n_times < 2:
            return None
        return -(2.0 + self.beta) / (self.n_times - 1)

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """The kit's coefficient table ``term, coef, se, stat, pvalue, ci_low, ci_high,
        nobs``, one row per reported term, intervals at ``level`` (default the estimate's):
        t with G − 1 df, the log level's from the wild bootstrap when it was used;
        ``nobs`` = observations used."""
        level = self.level if level is None else level
        c = self.coefficients
        table = tidy_table(c.index, c["coef"], c["se"], nobs=self.n, level=level,
                           df=self.clusters - 1, pvalue=c["pvalue"])
        if self.wild is not None:
            wild = self.wild.at_level(level).table.iloc[0]
            table.loc[0, ["ci_low", "ci_high"]] = [wild["ci_low"], wild["ci_high"]]
        return table

    def to_frame(self) -> pd.DataFrame:
        """:meth:`tidy` with the clusters, the inference and the rows dropped on every row
        (paste-ready)."""
        return self.tidy().assign(clusters=self.clusters, inference=self.inference,
                                  n_dropped=self.n_dropped, n_no_lag=self.n_no_lag,
                                  n_singletons=self.n_singletons)

    def dropped_text(self, language: Language = "zh") -> str:
        """What was left out, in one clause ("" when nothing was)."""
        zh = is_zh(language)
        unit = ("个地区" if zh else "regions") if self.kind != "panel" else ("行" if zh else "rows")
        parts = []
        if self.n_dropped:
            parts.append(f"因缺失值剔除 {self.n_dropped} {unit}" if zh else
                         f"{self.n_dropped} {unit} dropped for missing values")
        if self.n_no_lag:
            parts.append(f"{self.n_no_lag} 行因上一年缺失（年份中断）不构成增长观测" if zh else
                         f"{self.n_no_lag} rows give no growth observation because the previous "
                         "year is missing (a gap)")
        if self.n_singletons:
            parts.append(f"只有一个增长观测的地区 {self.n_singletons} 个被剔除" if zh else
                         f"{self.n_singletons} regions with a single growth observation dropped")
        return ("；" if zh else "; ").join(parts)

    def summary(self, language: Language = "zh") -> str:
        """One paragraph in ``language``: β, its inference, speed and half-life, rows left
        out, and flags."""
        check_option("language", language, Language)
        zh = is_zh(language)
        row = self.coefficients.iloc[0]
        p = _p_text(self.pvalue, None if self.wild is None else self.wild.reps)
        name = label("beta_panel_year" if self.fixed_effects == "year" else f"beta_{self.kind}",
                     language)
        pct = f"{100 * self.level:g}%"
        ci = (f"{pct} 置信区间 [{row['ci_low']:.5f}, {row['ci_high']:.5f}]" if zh else
              f"{pct} CI [{row['ci_low']:.5f}, {row['ci_high']:.5f}]")
        if self.wild is None:
            how = (f"聚类稳健标准误 {row['se']:.5f}, t = {row['stat']:.2f}, {p}, {ci}" if zh else
                   f"cluster-robust SE {row['se']:.5f}, t = {row['stat']:.2f}, {p}, {ci}")
        else:
            how = (f"聚类稳健标准误 {row['se']:.5f}, t = {row['stat']:.2f}；聚类仅 "
                   f"{self.clusters} 个，p 值与区间取自{self.wild.summary(language)}：{p}, {ci}"
                   if zh else
                   f"cluster-robust SE {row['se']:.5f}, t = {row['stat']:.2f}; with only "
                   f"{self.clusters} clusters the p-value and interval are from the "
                   f"{self.wild.summary(language)}: {p}, {ci}")
        text = (f"{name}：β = {self.beta:.5f} ({how})，N = {self.n}，聚类数 {self.clusters}"
                if zh else f"{name}: β = {self.beta:.5f} ({how}), N = {self.n}, "
                f"{self.clusters} clusters")
        dropped = self.dropped_text(language)
        text += (f"（{dropped}）。" if zh else f" ({dropped}).") if dropped else (
            "。" if zh else ".")
        if self.speed is None:
            return text + ("β 不在 (−1/T, 0) 内，未发现收敛，收敛速度与半衰期无定义。" if zh
                           else " β is outside (−1/T, 0): no convergence; speed and "
                           "half-life are undefined.")
        text += (f"收敛速度 λ = {100 * self.speed:.2f}%/年，半衰期 {self.half_life:.1f} 年。"
                 if zh else f" Speed λ = {100 * self.speed:.2f}% a year, half-life "
                 f"{self.half_life:.1f} years.")
        if self.implausible:
            text += (f"该速度高于 {100 * MAX_PLAUSIBLE_SPEED:.0f}%/年，不可信：文献中横截面估计约 "
                     "2%/年，面板估计约 4%–10%/年；" if zh else
                     f" This speed exceeds {100 * MAX_PLAUSIBLE_SPEED:.0f}% a year and is not "
                     "credible: cross-section estimates are about 2% a year, panel estimates "
                     "4%–10%; ")
            bias = self.nickell_bias
            if bias is not None:
                text += (f"县固定效应短面板（T = {self.n_times}）中 β 向负偏（Nickell 偏误，"
                         f"量级约 {bias:.2f}），应读作偏误而非真实的追赶速度。" if zh else
                         f"with county fixed effects in a short panel (T = {self.n_times}) β is "
                         f"biased downward (Nickell bias of order {bias:.2f}); read it as bias, "
                         "not as the speed of catching up.")
            else:
                text += ("可能反映暂时性冲击或测量误差引起的均值回归，而非真实追赶。" if zh else
                         "it may reflect mean reversion of transitory shocks or measurement "
                         "error rather than catching up.")
        return text


def _speed(beta: float, period: int) -> tuple[float | None, float | None]:
    if not -1.0 / period < beta < 0:
        return None, None
    speed = -np.log1p(beta * period) / period
    return float(speed), float(np.log(2) / speed)


def _check_inference(inference: str, reps: int, level: float,
                     wild_weights: str | None) -> None:
    check_option("inference", inference, Inference)
    if wild_weights is not None:
        check_option("wild_weights", wild_weights, WildWeights)
    check_level(level)
    if inference != "cluster":
        check_reps(reps, minimum=99)


def _fit(kind: str, growth: np.ndarray, regressors: pd.DataFrame, dummies: pd.DataFrame,
         clusters: np.ndarray, *, period: int, inference: str, reps: int, seed: int | None,
         level: float, wild_weights: WildWeights | None, fixed_effects: str | None,
         n_times: int = 1, n_singletons: int = 0, n_dropped: int = 0,
         n_no_lag: int = 0) -> BetaResult:
    """OLS with Stata-style clustered SEs; ``regressors`` first column is the log level."""
    exog = pd.concat([regressors, dummies], axis=1).astype(float)
    exog.insert(len(regressors.columns), "const", 1.0)
    codes, uniques = pd.factorize(clusters)
    if len(uniques) < 2:
        raise InputError("聚类数少于 2，无法计算聚类标准误 / fewer than 2 clusters",
                         hint="增加地区或改用更细的聚类变量 / use more regions")
    if np.linalg.matrix_rank(exog.to_numpy()) < exog.shape[1]:
        raise InputError("回归变量共线 / regressors are collinear",
                         hint="去掉与固定效应或其他控制变量重复的控制变量")
    fit = sm.OLS(growth, exog).fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    keep = [*regressors.columns, "const"]
    ci = fit.conf_int(alpha=1 - level).loc[keep]
    table = pd.DataFrame({"coef": fit.params[keep], "se": fit.bse[keep],
                          "stat": fit.tvalues[keep], "pvalue": fit.pvalues[keep],
                          "ci_low": ci[0], "ci_high": ci[1]})
    table.index.name = "term"
    term = regressors.columns[0]
    wild = None
    if inference == "wild" or (inference == "auto" and few_clusters(len(uniques))):
        wild = wild_bootstrap_ols(exog, growth, clusters, [term], reps=reps, seed=seed,
                                  weights=wild_weights, level=level)
        table.loc[term, ["pvalue", "ci_low", "ci_high"]] = wild.table.loc[
            0, ["pvalue", "ci_low", "ci_high"]].to_numpy(dtype=float)
    beta = float(fit.params[term])
    speed, half_life = _speed(beta, period)
    return BetaResult(kind=kind, beta=beta, period=period, speed=speed, half_life=half_life,
                      n=int(fit.nobs), clusters=len(uniques), n_singletons=n_singletons,
                      r2=float(fit.rsquared), coefficients=table, level=level, wild=wild,
                      fixed_effects=fixed_effects, n_times=n_times, n_dropped=n_dropped,
                      n_no_lag=n_no_lag)


_INFERENCE_DOC = """inference : {"cluster", "wild", "auto"}
        p-value and interval of β: cluster-robust t (default, Stata's), the restricted wild
        cluster bootstrap (:mod:`linkage.evaluation.wild`; interval by test inversion), or
        the bootstrap below :data:`linkage.checks.FEW_CLUSTERS` clusters. The SEs in the
        table stay the cluster-robust ones.
    reps, seed : int
        Bootstrap draws (default ``checks.MIN_REPS`` = 999; with Rademacher weights and
        2^G < reps all 2^G sign vectors are enumerated instead) and seed (same seed, same
        p-value).
    level : float
        Confidence level of the intervals (0.95).
    wild_weights : {"rademacher", "webb"}, optional
        Bootstrap multipliers; default the kit's rule
        (:func:`linkage.evaluation.wild.wild_weights_for`): Webb's six-point distribution
        below :data:`linkage.checks.WEBB_BELOW` = 12 clusters, where Rademacher has only 2^G
        distinct draws (Webb 2023, Canadian Journal of Economics 56:839-858), Rademacher ±1
        (Stata ``boottest``'s default) otherwise."""


def beta_convergence(panel: pd.DataFrame, *, value: str, start: int, end: int,
                     unit: str = "region_code", time: str = "year",
                     controls: Sequence[str] = (), fixed_effects: str | None = None,
                     cluster: str | None = None, missing: Missing = "raise",
                     inference: Inference = "cluster", reps: int = MIN_REPS,
                     seed: int | None = SEED, level: float = 0.95,
                     wild_weights: WildWeights | None = None) -> BetaResult:
    r"""β收敛 cross-section β-convergence (absolute, or conditional on controls/fixed effects).

    .. math:: \frac{\ln y_{i,T} - \ln y_{i,0}}{T} = \alpha + \beta \ln y_{i,0}
              + \gamma' X_{i,0} + \mu_{g(i)} + \varepsilon_i

    (Barro & Sala-i-Martin 1992, JPE 100:223-251, eq. 12; Barro 1991, QJE 106:407-443 for the
    conditional form). β < 0 means poorer regions grew faster; speed λ = −ln(1 + βT)/T and
    half-life ln 2/λ. Controls are taken in the start year; ``fixed_effects`` names a group
    column (e.g. ``prefecture_code``) entered as dummies. Standard errors are clustered by
    ``cluster`` (default: the unit, i.e. heteroskedasticity-robust with Stata's
    ``vce(cluster)`` factor G/(G−1)·(N−1)/(N−K)), t with G−1 df.

    Parameters
    ----------
    panel : DataFrame
        One row per unit-year with ``unit``, ``time``, ``value`` (> 0) and any controls.
    value : str
        Income column (e.g. ``rural_income``, yuan per person).
    start, end : int
        Initial and final year; T = end − start years.
    unit, time : str
        Key columns (region and year).
    controls : sequence of str
        Control columns (conditional convergence), start-year values.
    fixed_effects : str, optional
        Group column for dummies (conditional convergence within groups).
    cluster : str, optional
        Cluster column; None = ``unit``.
    missing : {"raise", "drop"}
        Units lacking a start or end value (or a control): raise, or drop them (counted in
        ``n_dropped``).
    {inference}

    Returns
    -------
    BetaResult
        ``kind`` is ``"absolute"`` without controls/fixed effects, else ``"conditional"``.

    Examples
    --------
    >>> df = pd.DataFrame({"region_code": list("abcdabcd"), "year": [0] * 4 + [10] * 4,
    ...                    "y": [1.0, 2, 4, 8, 2.0, 3, 5, 9]})
    >>> round(beta_convergence(df, value="y", start=0, end=10).beta, 4)
    -0.0275
    """
    _check_inference(inference, reps, level, wild_weights)
    if not end > start:
        raise InputError(f"终止年 {end} 必须晚于起始年 {start} / end must be after start",
                         column=time, hint="例如 start=2015, end=2025")
    columns = [unit, time, value, *controls] + [c for c in (fixed_effects, cluster) if c]
    require_columns(panel, columns)
    rows = panel[panel[time].isin([start, end])]
    _unique_keys(rows, unit, time)
    first = rows[rows[time] == start].set_index(unit)
    last = rows[rows[time] == end].set_index(unit)[value].rename("_end")
    wide = first.join(last, how="outer").reset_index()
    frame, n_dropped = _complete(wide, [unit, value, "_end", *columns[3:]], missing)
    log0 = _log_positive(frame[value], value)
    growth = (_log_positive(frame["_end"], value) - log0) / (end - start)
    regressors = pd.DataFrame({f"ln_{value}_{start}": log0}, index=frame.index)
    for c in controls:
        regressors[c] = finite_array(frame[c], c)
    dummies = (pd.get_dummies(frame[fixed_effects].astype(str), prefix="fe", drop_first=True)
               if fixed_effects else pd.DataFrame(index=frame.index))
    kind = "conditional" if controls or fixed_effects else "absolute"
    return _fit(kind, growth, regressors, dummies, frame[cluster or unit].to_numpy(),
                period=end - start, inference=inference, reps=reps, seed=seed, level=level,
                wild_weights=wild_weights, fixed_effects=fixed_effects, n_dropped=n_dropped)


def panel_beta_convergence(panel: pd.DataFrame, *, value: str, unit: str = "region_code",
                           time: str = "year", controls: Sequence[str] = (),
                           fixed_effects: PanelEffects = "year", cluster: str | None = None,
                           missing: Missing = "raise", inference: Inference = "cluster",
                           reps: int = MIN_REPS, seed: int | None = SEED,
                           level: float = 0.95,
                           wild_weights: WildWeights | None = None) -> BetaResult:
    r"""面板β收敛 panel β-convergence: annual growth on the lagged log level.

    .. math:: \ln y_{it} - \ln y_{i,t-1} = \beta \ln y_{i,t-1} + \gamma' X_{it}
              + \tau_t [+ \mu_i] + \varepsilon_{it}

    with year effects τ_t (``fixed_effects="year"``) or year and region effects
    (``"twoway"``, Islam 1995, QJE 110:1127-1170, eq. 13 — conditional convergence). With
    region effects β is biased downward in short panels (Nickell 1981, Econometrica
    49:1417-1426: of order −(1 + ρ)/(T − 1), ρ = 1 + β), i.e. toward fast convergence; the
    result flags speeds above :data:`MAX_PLAUSIBLE_SPEED` and reports the bias order
    (:attr:`BetaResult.nickell_bias`). Region effects are absorbed by the within
    transformation with the grand mean added back (Frisch–Waugh–Lovell), so slopes equal the
    dummy-variable (LSDV) regression and SEs follow ``xtreg y x i.year, fe vce(cluster
    region)`` (see the module notes); as in ``xtreg``, units must be nested in clusters.
    Singleton units are dropped and counted. Speed per year λ = −ln(1 + β), half-life ln 2/λ.
    A growth observation needs the same unit's value in year t − 1; controls enter with their
    year-t values. The wild bootstrap runs on the within-transformed design: with units nested
    in clusters and the null imposed, this equals the bootstrap of the LSDV regression.

    Parameters
    ----------
    panel : DataFrame
        One row per unit-year.
    value : str
        Income column (> 0).
    unit, time : str
        Key columns (region and year).
    controls : sequence of str
        Control columns.
    fixed_effects : {"year", "twoway"}
    cluster : str, optional
        Cluster column; None = ``unit``.
    missing : {"raise", "drop"}
        Rows with a missing value: raise (default) or drop (counted in ``n_dropped``). A row
        whose previous year is absent or dropped gives no growth observation and is counted in
        ``n_no_lag`` (each region's first year excepted).
    {inference}

    Returns
    -------
    BetaResult
        ``kind == "panel"``, ``period == 1``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"region_code": np.repeat(np.arange(200), 6).astype(str),
    ...                    "year": np.tile(np.arange(2015, 2021), 200),
    ...                    "y": rng.lognormal(9, 0.3, 1200)})
    >>> r = panel_beta_convergence(df, value="y")
    >>> r.beta < 0 and r.clusters == 200
    True
    """
    _check_inference(inference, reps, level, wild_weights)
    check_option("fixed_effects", fixed_effects, PanelEffects)
    frame, n_dropped = _complete(
        panel, [unit, time, value, *controls, *([cluster] if cluster else [])], missing)
    _unique_keys(frame, unit, time)
    frame = frame.assign(_log=_log_positive(frame[value], value))
    lagged = frame[[unit, time, "_log"]].assign(**{time: frame[time] + 1})
    frame = frame.merge(lagged.rename(columns={"_log": "_lag"}), on=[unit, time], how="left")
    has_lag = frame["_lag"].notna()
    first_year = frame[unit].map(panel.groupby(unit)[time].min())
    n_no_lag = int((~has_lag & (frame[time] > first_year)).sum())
    frame = frame[has_lag]
    if frame.empty:
        raise InputError("没有相邻年份的观测，无法计算增长率 / no consecutive years",
                         column=time, hint="每个地区至少需要两个相邻年份")
    n_singletons = 0
    if fixed_effects == "twoway":
        sizes = frame.groupby(unit)[unit].transform("size")
        n_singletons = int((sizes == 1).sum())
        frame = frame[sizes > 1]
        if cluster and frame.groupby(unit)[cluster].nunique().max() > 1:
            raise InputError(f"地区 {unit} 未嵌套在聚类 {cluster} 中 / units are not nested "
                             "within clusters", column=cluster,
                             hint="双向固定效应要求每个地区属于唯一聚类（同 xtreg）/ each unit "
                                  "must lie in one cluster, as xtreg requires")
    growth = (frame["_log"] - frame["_lag"]).to_numpy()
    regressors = pd.DataFrame({f"ln_{value}_lag": frame["_lag"].to_numpy()}, index=frame.index)
    for c in controls:
        regressors[c] = finite_array(frame[c], c)
    dummies = pd.get_dummies(frame[time].astype(str), prefix="year", drop_first=True)
    if fixed_effects == "twoway":
        design = pd.concat([pd.Series(growth, index=frame.index, name="_g"), regressors,
                            dummies.astype(float)], axis=1)
        design = design - design.groupby(frame[unit].to_numpy()).transform("mean") + \
            design.mean()
        growth = design.pop("_g").to_numpy()
        regressors, dummies = design[regressors.columns], design[dummies.columns]
    return _fit("panel", growth, regressors, dummies, frame[cluster or unit].to_numpy(),
                period=1, inference=inference, reps=reps, seed=seed, level=level,
                wild_weights=wild_weights, fixed_effects=fixed_effects,
                n_times=int(frame[time].nunique()), n_singletons=n_singletons,
                n_dropped=n_dropped, n_no_lag=n_no_lag)


for _function in (beta_convergence, panel_beta_convergence):
    _function.__doc__ = _function.__doc__.replace("{inference}", _INFERENCE_DOC)


# --------------------------------------------------------------------------- density


def kernel_density(values: pd.Series, *, by: str | None = "year", grid: int | Sequence[float]
                   = 200, bandwidth: Bandwidth | float = "silverman") -> pd.DataFrame:
    r"""核密度估计 Gaussian kernel density of a distribution, by year (distribution dynamics).

    .. math:: \hat f(x) = \frac{1}{nh}\sum_i \phi\!\left(\frac{x - x_i}{h}\right),\qquad
              h = 0.9\,\min\!\left(s, \tfrac{IQR}{1.349}\right) n^{-1/5}

    Gaussian kernel (the "高斯核密度" of the Chinese literature) with Silverman's rule of thumb
    (Silverman 1986, *Density Estimation*, eq. 3.31) — the rule Stata ``kdensity`` uses for its
    default width — computed per year by statsmodels ``select_bandwidth``; ``"scott"`` gives
    1.059·min(s, IQR/1.349)·n^(−1/5); a number fixes h (units of the values). Densities are
    evaluated with ``scipy.stats.gaussian_kde`` on one grid shared by all years, so curves are
    comparable in one figure.

    Parameters
    ----------
    values : Series
        The variable (e.g. rural income, or its log); ``by`` must be an index level.
    by : str or None
        Index level to split by (default ``"year"``); None = one density.
    grid : int or sequence of float
        Number of evenly spaced points spanning all data ± 3 bandwidths, or the points.
    bandwidth : {"silverman", "scott"} or float

    Returns
    -------
    DataFrame
        Tidy: columns ``by`` (when given), ``value``, ``density``, ``bandwidth``.

    Examples
    --------
    >>> s = pd.Series([1.0, 2, 3, 4, 5], index=pd.Index([2020] * 5, name="year"))
    >>> d = kernel_density(s, grid=[3.0])
    >>> round(float(d["density"].iloc[0]), 4)
    0.1986
    """
    if not isinstance(values, pd.Series):
        raise InputError("values 必须是 pandas Series / values must be a Series",
                         hint="例如 panel.set_index('year')['rural_income']")
    if isinstance(bandwidth, str):
        check_option("bandwidth", bandwidth, Bandwidth)
    elif not (isinstance(bandwidth, int | float) and bandwidth > 0):
        raise InputError(f"带宽 {bandwidth!r} 无效 / invalid bandwidth", column="bandwidth",
                         hint='用 "silverman"、"scott" 或正数 / a positive number')
    if by is not None and by not in (values.index.names or []):
        raise InputError(f"索引中没有 {by!r} 层 / index has no level {by!r}", column=by,
                         hint=f"现有索引层 / index levels: {list(values.index.names)}")
    x = finite_array(values, str(values.name or "values"))
    keys = values.index.get_level_values(by).to_numpy() if by else np.zeros(x.size, dtype=int)
    samples = {k: x[keys == k] for k in pd.unique(keys)}
    widths = {}
    for k, xs in sorted(samples.items()):
        if xs.size < 2 or not xs.std(ddof=1) > 0:
            raise InputError(f"{by or '数据'} = {k} 的观测少于 2 个或全部相同，无法估计密度 / "
                             "too few or identical values", column=by,
                             hint="剔除该年或增加观测 / drop that year or add data")
        widths[k] = (float(bandwidth) if not isinstance(bandwidth, str)
                     else float(select_bandwidth(xs, bandwidth, None)))
    if isinstance(grid, int):
        pad = 3 * max(widths.values())
        points = np.linspace(x.min() - pad, x.max() + pad, grid)
    else:
        points = finite_array(pd.Series(np.asarray(grid, dtype=float).ravel()), "grid")
    parts = []
    for k, h in widths.items():
        xs = samples[k]
        kde = stats.gaussian_kde(xs, bw_method=h / xs.std(ddof=1))
        part = pd.DataFrame({"value": points, "density": kde(points), "bandwidth": h})
        if by:
            part.insert(0, by, k)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
