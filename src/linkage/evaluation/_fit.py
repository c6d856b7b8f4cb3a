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
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyfixest as pf
from scipy import stats

from linkage.errors import InputError

__all__ = [
    "FitSummary",
    "SmallSample",
    "VcovType",
    "check_binary",
    "check_choice",
    "check_columns",
    "cluster_roles",
    "fit_ols",
    "safe_frame",
]

SmallSample = Literal["nested", "full"]
VcovType = Literal["cluster", "hetero", "iid"]


def check_choice(name: str, value: object, allowed: Sequence[object]) -> None:
    """Raise :class:`InputError` unless ``value`` is one of ``allowed`` (the one validator)."""
    if value not in allowed:
        raise InputError(
            f"参数 {name}={value!r} 无效 / invalid option",
            hint=f"{name} 可取：{', '.join(map(repr, allowed))}。",
        )


def check_columns(data: pd.DataFrame, columns: Sequence[Hashable], *, numeric: bool = True,
                  numeric_columns: Sequence[Hashable] | None = None) -> None:
    """Columns must exist and have no missing values; numeric ones must be numbers.

    ``numeric_columns`` (default: all of ``columns`` when ``numeric``) are checked for a
    numeric dtype; the others (unit, cluster identifiers) may be text.
    """
    if not isinstance(data, pd.DataFrame):
        raise InputError("data 必须是 pandas.DataFrame / data must be a DataFrame",
                         hint="传入县—年面板（长表，一行一个县年）。")
    for column in columns:
        if column not in data.columns:
            raise InputError(
                f"数据中没有列 {column!r} / column not found", column=str(column),
                hint=f"现有列：{', '.join(map(str, data.columns))}。",
            )
    must_be_numeric = list(columns) if numeric and numeric_columns is None else list(
        numeric_columns or ())
    for column in columns:
        values = data[column]
        missing = values.isna().to_numpy()
        if missing.any():
            where = data.index[np.flatnonzero(missing)[0]]
            raise InputError(
                f"列 {column!r} 有 {int(missing.sum())} 个缺失值（首个在索引 {where!r}）"
                " / missing values", column=str(column),
                hint="回归不会悄悄删除观测：请先补齐或明确删除这些行"
                     "（如 data.dropna(subset=[...])）。",
            )
        if column in must_be_numeric and not (
            pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
        ):
            raise InputError(
                f"列 {column!r} 不是数值型（{values.dtype}）/ column is not numeric",
                column=str(column), hint="请转换为数值（pd.to_numeric）。",
            )
        if column in must_be_numeric and not np.isfinite(values.to_numpy(dtype=float)).all():
            raise InputError(f"列 {column!r} 含无穷大 / infinite values", column=str(column),
                             hint="请检查取对数或相除时的零值。")


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
    check_choice("small_sample", small_sample, ("nested", "full"))
    check_choice("vcov", vcov, ("cluster", "hetero", "iid"))
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
    )
