"""Shared estimation core of :mod:`linkage.evaluation` (回归估计内核): input checks, a thin
wrapper around :func:`pyfixest.feols`, and the Stata-convention variance.

Why pyfixest: it absorbs any number of fixed effects by alternating projections (fast, no
dummy matrices), supports one- and two-way clustering and weights, is a port of R ``fixest``
that is tested against it, and exposes its demeaning routine, which the permutation placebo
reuses. linearmodels ``PanelOLS`` is used as an independent oracle in the tests.

Small-sample corrections are applied here, not by pyfixest, so that the default reproduces
Stata ``reghdfe`` (Correia 2016) exactly and the rule is visible:

* clustered (CRV1): ``V = (G/(G−1))·((N−1)/(N−K))·V₀`` with ``G`` the smallest number of
  clusters (multi-way, Cameron, Gelbach & Miller 2011, as reghdfe) and ``K`` the number of
  slope coefficients plus the absorbed fixed-effect parameters that are *not* nested in a
  cluster variable, plus one for the constant when a fixed effect is fully nested
  (``small_sample="nested"``, reghdfe / ``xtreg, fe`` / fixest ``fixef.K="nested"``); or
  all absorbed parameters (``small_sample="full"``, Stata ``areg``);
* heteroskedasticity-robust (HC1): ``V = N/(N−K)·V₀``; conventional: ``σ̂² = RSS/(N−K)``.

pyfixest 0.60's own ``ssc(k_fixef="nonnested")`` counts the time effects as nested in a unit
cluster (K = k + 1), which does not reproduce reghdfe; hence the explicit factor.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyfixest as pf
from scipy import stats
from scipy.special import expit

from linkage.checks import check_option, finite_array, missing_mask, require_columns
from linkage.errors import InputError
from linkage.evaluation.inference import tidy_table

__all__ = [
    "FitSummary",
    "Panel",
    "SmallSample",
    "VcovType",
    "balanced_panel",
    "check_binary",
    "cluster_roles",
    "column_list",
    "complete_columns",
    "fit_ols",
    "logit_probabilities",
    "safe_frame",
]

SmallSample = Literal["nested", "full"]
VcovType = Literal["cluster", "hetero", "iid"]


def column_list(columns: str | Sequence[str] | None) -> list[str]:
    """A column name or names as a list (None → [])."""
    return [columns] if isinstance(columns, str) else list(columns or ())


def complete_columns(data: pd.DataFrame, columns: Sequence[Hashable], *,
                     numeric: Sequence[Hashable] = ()) -> None:
    """Columns must exist and have no missing values; ``numeric`` ones must be finite numbers.

    Composes :mod:`linkage.checks` (``require_columns``, ``missing_mask`` with
    ``missing="raise"``, ``finite_array``) for a regression's columns: estimation never drops
    observations silently.
    """
    require_columns(data, columns)
    missing_mask(data, list(dict.fromkeys(columns)), "raise")
    for column in dict.fromkeys(numeric):
        values = data[column]
        if pd.api.types.is_bool_dtype(values):
            continue
        if not pd.api.types.is_numeric_dtype(values):
            raise InputError(
                f"列 {column!r} 不是数值型（{values.dtype}）/ column is not numeric",
                column=str(column), hint="请转换为数值（pd.to_numeric）。")
        finite_array(values, str(column), hint="请检查取对数或相除时的零值 / check logs of "
                     "zeros and divisions")


def logit_probabilities(d: np.ndarray, x: np.ndarray, *, where: str = "logit") -> np.ndarray:
    """Fitted probabilities of the logit MLE of ``d`` (0/1) on ``x`` (first column the
    intercept), by Newton–Raphson to full convergence; perfect separation or collinear
    regressors raise :class:`InputError` naming ``where``."""
    beta = np.zeros(x.shape[1])
    beta[0] = np.log(d.mean() / (1 - d.mean()))  # first column is the intercept
    for _ in range(100):
        p = expit(x @ beta)
        try:
            step = np.linalg.solve(x.T @ (x * (p * (1 - p))[:, None]), x.T @ (d - p))
        except np.linalg.LinAlgError as exc:
            raise InputError(f"{where}：logit 无法估计（协变量共线，或完全分离处理组与对照组）/ "
                             "singular logit (collinear covariates or perfect separation)",
                             hint="删去共线、不变或能完全区分两组的协变量。") from exc
        beta += step
        if np.max(np.abs(step)) < 1e-12 * (1 + np.max(np.abs(beta))):
            return expit(x @ beta)
    raise InputError(f"{where}：倾向得分 logit 不收敛（协变量完全分离处理组与对照组）/ "
                     "propensity score does not converge (perfect separation)",
                     hint="减少协变量；Callaway–Sant'Anna 可改用 est_method='reg'（结果回归）。")


@dataclass(frozen=True)
class Panel:
    """Balanced wide panel: ``y`` is units × periods, ``x`` units × periods × covariates
    (None without covariates), ``g`` each unit's cohort (0 = never)."""

    y: np.ndarray
    x: np.ndarray | None
    g: np.ndarray
    units: pd.Index
    periods: np.ndarray
    n_early: int


def balanced_panel(data: pd.DataFrame, outcome: str, *, unit: str, time: str, cohort: str,
                    covariates: Sequence[str] = (), anticipation: int = 0) -> Panel:
    covariates = list(covariates)
    complete_columns(data, [outcome, unit, time, cohort, *covariates],
                     numeric=[outcome, time, cohort, *covariates])
    cohorts = data[cohort].to_numpy(dtype=float)
    times = data[time].to_numpy(dtype=float)
    for name, values in ((cohort, cohorts), (time, times)):
        if (values < 0).any() or (values != np.round(values)).any():
            raise InputError(f"列 {name!r} 应为非负整数时期 / expected non-negative integer "
                             "periods", column=name,
                             hint="cohort 为首次处理年份（从未处理记 0），time 为年份。")
    if data.groupby(unit, sort=False)[cohort].nunique().gt(1).any():
        raise InputError(f"同一单位的 {cohort!r} 取值不唯一 / cohort varies within unit",
                         column=cohort, hint="首次处理时期是单位层面的属性，每个单位只能有一个值。")
    if data.duplicated([unit, time]).any():
        raise InputError(f"({unit}, {time}) 有重复行 / duplicate unit-period rows", column=unit,
                         hint="每个单位每个时期只能有一行。")
    wide = data.pivot(index=unit, columns=time, values=[outcome, *covariates])
    if wide.isna().to_numpy().any():
        first = wide.index[wide.isna().any(axis=1)][0]
        raise InputError(
            f"面板不平衡：单位 {first!r} 缺少部分时期 / unbalanced panel", column=unit,
            hint="与 R did 的默认做法一致，本估计量要求平衡面板；请补齐或删除不完整的单位"
                 "（明确地删除，而不是让程序悄悄丢弃）。")
    periods = wide[outcome].columns.to_numpy(dtype=float).astype(int)
    g = data.groupby(unit, sort=False)[cohort].first().reindex(wide.index).to_numpy(dtype=float)
    g = np.where(g > periods.max(), 0, g).astype(int)  # treated after the sample = never (R did)
    early = (g > 0) & (g <= periods.min() + anticipation)
    if early.any():
        warnings.warn(f"{int(early.sum())} 个单位在第一期已受处理，按 R did 的规则剔除 / "
                      f"dropped {int(early.sum())} units treated in the first period",
                      stacklevel=3)
    y = wide[outcome].to_numpy(dtype=float)[~early]
    x = (np.stack([wide[c].to_numpy(dtype=float)[~early] for c in covariates], axis=2)
         if covariates else None)
    return Panel(y=y, x=x, g=g[~early], units=wide.index[~early], periods=periods,
                  n_early=int(early.sum()))


def check_binary(data: pd.DataFrame, column: Hashable) -> None:
    """A 0/1 (or boolean) indicator column."""
    values = data[column].to_numpy(dtype=float)
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        raise InputError(
            f"列 {column!r} 应为 0/1 指示变量，但含有 {values[bad][0]!r} / not a 0-1 indicator",
            column=str(column), hint="处理变量取 1 表示已受处理（政策实施后的处理组），否则取 0。",
        )


def cluster_roles(roles: dict[str, Hashable], cluster: Hashable | Sequence[Hashable] | None,
                  ) -> list[str]:
    """Formula names of the cluster columns (default: the unit); adds them to ``roles``."""
    if cluster is None:
        columns: list[Hashable] = [roles["unit"]]
    elif isinstance(cluster, str) or not isinstance(cluster, Sequence):
        columns = [cluster]
    else:
        columns = list(cluster)
    out = []
    for j, column in enumerate(columns):
        role = next((r for r in ("unit", "time") if roles.get(r) == column), f"c{j}")
        roles.setdefault(role, column)
        out.append(role)
    return out


def safe_frame(data: pd.DataFrame, roles: dict[str, Hashable]) -> pd.DataFrame:
    """Copy the used columns under formula-safe names (``role → original column``)."""
    out = pd.DataFrame({role: data[column].to_numpy() for role, column in roles.items()})
    for role in out.columns:
        if pd.api.types.is_bool_dtype(out[role]):
            out[role] = out[role].astype(float)
    return out


@dataclass(frozen=True)
class FitSummary:
    """One fitted linear model (回归结果) in the kit's conventions.

    Attributes
    ----------
    coefs : pandas.DataFrame
        Index ``term`` (the user's column names); columns ``coef, se, tstat, pvalue, ci_low,
        ci_high`` (95 % interval, t distribution with ``df_resid`` degrees of freedom).
    vcov : pandas.DataFrame
        Variance matrix of the coefficients after the small-sample correction.
    nobs : int
        Observations used (after reghdfe-style removal of singleton fixed-effect groups).
    n_singletons : int
        Observations removed because their fixed-effect group has one observation.
    r2, r2_within : float
        R² and within R² (after absorbing the fixed effects; NaN without fixed effects).
    df_resid : float
        Degrees of freedom of the t and F tests: ``G−1`` (smallest G) when clustered, else ``N−K``.
    vcov_type : str
        ``"cluster"``, ``"hetero"`` or ``"iid"``.
    cluster : tuple of str
        Cluster variables (empty unless clustered); ``n_clusters`` their numbers of groups.
    small_sample : str
        ``"nested"`` (reghdfe) or ``"full"`` (areg).
    fixed_effects : tuple of str
        Absorbed fixed-effect columns (roles ``"unit"``, ``"time"``, ...).
    model : pyfixest.estimation.Feols
        The underlying fit (uncorrected variance).
    roles : dict
        User's term name → formula name in ``model`` (for the wild bootstrap).
    """

    coefs: pd.DataFrame
    vcov: pd.DataFrame
    nobs: int
    n_singletons: int
    r2: float
    r2_within: float
    df_resid: float
    vcov_type: str
    cluster: tuple[str, ...]
    n_clusters: tuple[int, ...]
    small_sample: str
    fixed_effects: tuple[str, ...]
    model: Any
    roles: dict[str, str] = field(default_factory=dict)

    def tidy(self, level: float = 0.95) -> pd.DataFrame:
        """Tidy coefficient table (``term, coef, se, stat, pvalue, ci_low, ci_high, nobs``),
        t with ``df_resid`` degrees of freedom, interval at ``level``."""
        return tidy_table(self.coefs.index, self.coefs["coef"], self.coefs["se"],
                          nobs=self.nobs, level=level, df=self.df_resid)


def _absorbed_k(frame: pd.DataFrame, fe: Sequence[str], cluster: Sequence[str],
                small_sample: SmallSample) -> int:
    """Absorbed fixed-effect parameters counted in K (fixest/reghdfe rule, see module doc)."""
    if not fe:
        return 0
    levels = [int(frame[f].nunique()) for f in fe]
    total = sum(levels) - (len(fe) - 1)
    if small_sample == "full" or not cluster:
        return total
    nested = [
        lev for f, lev in zip(fe, levels, strict=True)
        if any(f == c or (frame.groupby(f, sort=False)[c].nunique() == 1).all() for c in cluster)
    ]
    return total - sum(nested) + len(nested)


def fit_ols(
    frame: pd.DataFrame,
    y: str,
    x: Sequence[str],
    *,
    names: dict[str, str],
    fe: Sequence[str] = (),
    vcov: VcovType = "cluster",
    cluster: Sequence[str] = (),
    small_sample: SmallSample = "nested",
    weights: str | None = None,
    intercept: bool = False,
) -> FitSummary:
    """Least squares with absorbed fixed effects and Stata-convention variance.

    ``frame`` holds formula-safe column names (see :func:`safe_frame`); ``names`` maps them
    back to the user's labels for the output. With ``fe`` empty an intercept is estimated
    (``intercept=True`` reports it as ``const``).
    """
    check_option("small_sample", small_sample, SmallSample)
    check_option("vcov", vcov, VcovType)
    if vcov == "cluster":  # integer cluster codes: the wild bootstrap's numba kernel needs them
        frame = frame.assign(**{c: pd.factorize(frame[c])[0] for c in cluster
                                if not pd.api.types.is_numeric_dtype(frame[c])})
    rhs = " + ".join(x) if x else "1"
    formula = f"{y} ~ {rhs}" + (f" | {' + '.join(fe)}" if fe else "")
    spec: Any = {"CRV1": "+".join(cluster)} if vcov == "cluster" else vcov
    try:
        with warnings.catch_warnings():  # pyfixest 0.60 under pandas 3: upstream deprecations
            warnings.filterwarnings("ignore", message="The inplace keyword")
            model = pf.feols(formula, data=frame, vcov=spec, weights=weights,
                             ssc=pf.ssc(k_adj=False, G_adj=False))
        terms = list(model._coefnames)
    except ValueError as exc:  # pyfixest: every regressor collinear with the fixed effects
        terms = []
        if "collinear" not in str(exc):
            raise
    missing = [names[t] for t in x if t not in terms]
    if missing:
        raise InputError(
            f"变量 {missing[0]!r} 与固定效应或其他变量完全共线，无法估计 / collinear regressor",
            column=missing[0],
            hint="检查该变量是否在县内或年内不变；事件研究中可合并端点或加入从未处理组。",
        )
    nobs = int(model._N)
    kept = model._data
    k = len(terms) + _absorbed_k(kept, fe, cluster if vcov == "cluster" else (), small_sample)
    if nobs <= k:
        raise InputError(f"观测数 {nobs} 不多于参数个数 {k} / too few observations",
                         hint="增加样本或减少协变量。")
    raw = np.asarray(model._vcov, dtype=float)
    n_clusters: tuple[int, ...] = ()
    if vcov == "cluster":
        n_clusters = tuple(int(kept[c].nunique()) for c in cluster)
        g = min(n_clusters)
        if g < 2:
            raise InputError("聚类数少于 2，无法计算聚类标准误 / fewer than 2 clusters",
                             column=names.get(cluster[0], cluster[0]),
                             hint="换用更细的聚类层级或 vcov='hetero'。")
        factor = g / (g - 1) * (nobs - 1) / (nobs - k)
        df_resid = float(g - 1)
    else:
        # pyfixest without adjustment: iid uses σ̂² = RSS/(N−1), hetero the HC0 sandwich.
        factor = (nobs - 1 if vcov == "iid" else nobs) / (nobs - k)
        df_resid = float(nobs - k)
    labels = [names.get(t, "const" if t == "Intercept" else t) for t in terms]
    v = pd.DataFrame(raw * factor, index=labels, columns=labels)
    coef = np.asarray(model._beta_hat, dtype=float)
    se = np.sqrt(np.diag(v.to_numpy()))
    tstat = coef / se
    crit = stats.t.ppf(0.975, df_resid)
    coefs = pd.DataFrame(
        {"coef": coef, "se": se, "tstat": tstat,
         "pvalue": 2 * stats.t.sf(np.abs(tstat), df_resid),
         "ci_low": coef - crit * se, "ci_high": coef + crit * se},
        index=pd.Index(labels, name="term"),
    )
    if not intercept and "const" in coefs.index:
        coefs = coefs.drop(index="const")
    return FitSummary(
        coefs=coefs, vcov=v, nobs=nobs, n_singletons=len(frame) - nobs,
        r2=float(model._r2), r2_within=float(model._r2_within) if fe else float("nan"),
        df_resid=df_resid, vcov_type=vcov,
        cluster=tuple(names.get(c, c) for c in cluster) if vcov == "cluster" else (),
        n_clusters=n_clusters, small_sample=small_sample,
        fixed_effects=tuple(fe), model=model,
        roles={label: term for label, term in zip(labels, terms, strict=True)},
    )
