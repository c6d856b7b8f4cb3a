"""Propensity-score matching and PSM-DID (倾向得分匹配—双重差分)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pyfixest.estimation import demean
from scipy import stats
from scipy.spatial import cKDTree

from linkage.checks import MIN_REPS, SEED, check_level, check_option, check_reps
from linkage.errors import InputError
from linkage.evaluation._fit import (
    FitSummary,
    check_binary,
    complete_columns,
    logit_probabilities,
)
from linkage.evaluation.inference import tidy_table
from linkage.evaluation.twfe import TWFEResult, twfe_did
from linkage.labels import Language, is_zh

__all__ = ["MatchResult", "PSMDIDResult", "PSMInference", "balance_table", "psm_did", "psm_match"]

Method = Literal["nearest", "kernel"]


@dataclass(frozen=True)
class MatchResult:
    """Propensity-score matching (倾向得分匹配结果).

    Attributes
    ----------
    pscore : pandas.Series
        Estimated propensity score per row (logit).
    weights : pandas.Series
        ATT matching weights per row: 1 for matched treated units, the (summed) match
        weights for controls, 0 for unmatched / off-support rows.
    balance : pandas.DataFrame
        See :func:`balance_table`.
    n_off_support : int
        Treated rows with no control within the caliper (weight 0).
    method : str
        Matching method.
    """

    pscore: pd.Series
    weights: pd.Series
    treatment: pd.Series
    balance: pd.DataFrame
    n_off_support: int
    method: str

    def to_frame(self) -> pd.DataFrame:
        return self.balance.copy()

    def summary(self, language: Language = "zh") -> str:
        """Matched units and the largest standardised difference before and after."""
        t = self.treatment.to_numpy(dtype=bool)
        w = self.weights.to_numpy()
        before = float(self.balance["std_diff_before"].abs().max())
        after = float(self.balance["std_diff_after"].abs().max())
        n_t, n_c = int((w[t] > 0).sum()), int((w[~t] > 0).sum())
        if not is_zh(language):
            return (f"Propensity-score matching ({self.method}): {n_t} treated matched to {n_c} "
                    f"controls, {self.n_off_support} treated off support; largest |standardised "
                    f"difference| {before:.1f}% before, {after:.1f}% after.")
        return (f"倾向得分匹配（{self.method}）：{n_t} 个处理单位与 {n_c} 个对照单位匹配，"
                f"{self.n_off_support} 个处理单位在共同支撑域外；标准化差异绝对值最大为匹配前 "
                f"{before:.1f}%、匹配后 {after:.1f}%。")

    def plot_common_support(self, language: Language = "zh") -> Figure:
        """Propensity-score densities by group before and after matching (共同支撑图)."""
        zh = is_zh(language)
        width, height = mpl.rcParams["figure.figsize"]
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(1, 2, sharey=True)
        t = self.treatment.to_numpy(dtype=bool)
        bins = np.linspace(0, 1, 26)
        for ax, w, title in ((axes[0], np.ones(len(t)), "匹配前" if zh else "Before"),
                             (axes[1], self.weights.to_numpy(), "匹配后" if zh else "After")):
            for mask, name, colour in ((t, "处理组" if zh else "Treated", "#c00000"),
                                       (~t, "控制组" if zh else "Control", "#1f4e79")):
                if w[mask].sum() > 0:
                    ax.hist(self.pscore.to_numpy()[mask], bins=bins, weights=w[mask],
                            density=True, alpha=0.5, color=colour, label=name)
            ax.set_title(title)
            ax.set_xlabel("倾向得分" if zh else "Propensity score")
        axes[0].set_ylabel("密度" if zh else "Density")
        axes[0].legend()
        return fig


def balance_table(data: pd.DataFrame, treatment: pd.Series, covariates: Sequence[str],
                  weights: pd.Series) -> pd.DataFrame:
    r"""Covariate balance before and after matching (平衡性检验).

    Standardised difference (%) = 100·(x̄_T − x̄_C) / sqrt((s²_T + s²_C)/2), with the
    variances of the *unmatched* sample in the denominator both before and after, as Stata
    ``pstest`` (Rosenbaum & Rubin 1985, Am. Stat. 39(1):33-38, eq. 3.1); variance ratio
    s²_T/s²_C (weighted after matching); ``reduction`` = % reduction of |bias|.
    """
    t = treatment.to_numpy(dtype=bool)
    w = weights.to_numpy(dtype=float)
    x = data[list(covariates)].to_numpy(dtype=float)
    mean_t, mean_c = x[t].mean(0), x[~t].mean(0)
    var_t, var_c = x[t].var(0, ddof=1), x[~t].var(0, ddof=1)
    denom = np.sqrt((var_t + var_c) / 2)
    mt = np.average(x[t], axis=0, weights=w[t])
    mc = np.average(x[~t], axis=0, weights=w[~t])
    vt = np.average((x[t] - mt) ** 2, axis=0, weights=w[t])
    vc = np.average((x[~t] - mc) ** 2, axis=0, weights=w[~t])
    before = 100 * (mean_t - mean_c) / denom
    after = 100 * (mt - mc) / denom
    return pd.DataFrame({
        "mean_treated_before": mean_t, "mean_control_before": mean_c,
        "std_diff_before": before, "mean_treated_after": mt, "mean_control_after": mc,
        "std_diff_after": after, "reduction": 100 * (1 - np.abs(after) / np.abs(before)),
        "var_ratio_before": var_t / var_c, "var_ratio_after": vt / vc,
    }, index=pd.Index(list(covariates), name="covariate"))


def _nearest_without_replacement(p_t: np.ndarray, p_c: np.ndarray, caliper: float
                                 ) -> np.ndarray:
    """Greedy 1:1 matching by rounds: each round every unmatched treated unit proposes its
    nearest free control and each control accepts its closest proposer; vectorised per
    round (at most ``len(p_t)`` rounds, usually a few). Returns the control index or −1."""
    match = np.full(len(p_t), -1)
    free = np.ones(len(p_c), dtype=bool)
    open_t = np.ones(len(p_t), dtype=bool)
    while open_t.any() and free.any():
        cand = np.flatnonzero(free)
        tree = cKDTree(p_c[cand, None])
        ti = np.flatnonzero(open_t)
        dist, j = tree.query(p_t[ti, None], k=1)
        ok = dist <= caliper
        open_t[ti[~ok]] = False  # nothing free within the caliper: off support
        ti, dist, prop = ti[ok], dist[ok], cand[j[ok]]
        if len(ti) == 0:
            break
        order = np.lexsort((dist, prop))
        first = np.r_[True, prop[order][1:] != prop[order][:-1]]
        win = order[first]
        match[ti[win]] = prop[win]
        open_t[ti[win]] = False
        free[prop[win]] = False
    return match


def psm_match(
    data: pd.DataFrame,
    treatment: str,
    covariates: Sequence[str],
    *,
    method: Method = "nearest",
    k: int = 1,
    replace: bool = True,
    caliper: float | None = None,
    bandwidth: float = 0.06,
) -> MatchResult:
    r"""Propensity-score matching for the ATT (倾向得分匹配).

    Propensity score :math:`p(x) = \Pr(T=1 \mid x)` by logit (maximum likelihood); Rosenbaum & Rubin
    (1983, Biometrika 70(1):41-55). ``method="nearest"``: each treated row gets its ``k``
    nearest controls by |p_i − p_j| (weight 1/k each), with or without replacement (without:
    greedy 1:1, ``k`` must be 1), dropping treated rows with no control within ``caliper``.
    ``method="kernel"``: Epanechnikov kernel weights
    :math:`K((p_j − p_i)/h)` normalised per treated row, bandwidth ``h`` (default 0.06, as
    Stata ``psmatch2``); Heckman, Ichimura & Todd (1998, Rev. Econ. Stud. 65(2):261-294).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit (e.g. county covariates in the base year).
    treatment : str
        0/1 treatment-group column.
    covariates : sequence of str
        Matching covariates.
    method : {"nearest", "kernel"}
    k : int
        Neighbours per treated row (nearest).
    replace : bool
        Match with replacement (nearest).
    caliper : float, optional
        Maximum propensity-score distance (nearest); also the common-support rule for kernel
        (treated rows with no control within ``bandwidth`` get weight 0).
    bandwidth : float
        Kernel bandwidth.

    Returns
    -------
    MatchResult

    Examples
    --------
    >>> df = pd.DataFrame({"T": [1, 1, 0, 0, 0, 0], "x": [1.0, 2.0, 0.9, 2.2, 5.0, 1.5]})
    >>> m = psm_match(df, "T", ["x"])
    >>> m.weights.tolist()
    [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    """
    check_option("method", method, Method)
    complete_columns(data, [treatment, *covariates], numeric=[treatment, *covariates])
    check_binary(data, treatment)
    if method == "nearest" and not replace and k != 1:
        raise InputError("无放回匹配只支持 k=1 / without replacement only k=1",
                         hint="使用 k=1，或 replace=True。")
    t = data[treatment].to_numpy(dtype=float)
    if t.sum() == 0 or t.sum() == len(t):
        raise InputError(f"列 {treatment!r} 只有一组 / one group only", column=treatment,
                         hint="匹配需要处理组和控制组。")
    x = np.column_stack([np.ones(len(t)), data[list(covariates)].to_numpy(dtype=float)])
    p = logit_probabilities(t, x, where="倾向得分 / propensity score")
    tm = t == 1
    p_t, p_c = p[tm], p[~tm]
    w_c = np.zeros(len(p_c))
    w_t = np.ones(len(p_t))
    if method == "nearest":
        cal = np.inf if caliper is None else caliper
        if replace:
            dist, j = cKDTree(p_c[:, None]).query(p_t[:, None], k=k)
            dist, j = dist.reshape(len(p_t), k), j.reshape(len(p_t), k)
            ok = dist <= cal
            w_t = ok.any(1).astype(float)
            share = ok / np.maximum(ok.sum(1, keepdims=True), 1)
            np.add.at(w_c, j.ravel(), share.ravel())
        else:
            match = _nearest_without_replacement(p_t, p_c, cal)
            w_t = (match >= 0).astype(float)
            w_c[match[match >= 0]] = 1.0
    else:
        u = (p_c[None, :] - p_t[:, None]) / bandwidth
        kern = np.where(np.abs(u) < 1, 0.75 * (1 - u**2), 0.0)
        total = kern.sum(1, keepdims=True)
        w_t = (total[:, 0] > 0).astype(float)
        if caliper is not None:
            w_t *= (np.abs(p_c[None, :] - p_t[:, None]).min(1) <= caliper)
        kern = np.where(w_t[:, None] > 0, kern / np.where(total > 0, total, 1), 0.0)
        w_c = kern.sum(0)
    weights = np.empty(len(t))
    weights[tm], weights[~tm] = w_t, w_c
    if weights[tm].sum() == 0:
        raise InputError("没有处理组单位落在共同支撑域内 / no treated unit on common support",
                         hint="放宽 caliper 或 bandwidth。")
    w = pd.Series(weights, index=data.index, name="match_weight")
    treat = pd.Series(tm, index=data.index, name=treatment)
    return MatchResult(pscore=pd.Series(p, index=data.index, name="pscore"), weights=w,
                       treatment=treat, balance=balance_table(data, treat, covariates, w),
                       n_off_support=int((w_t == 0).sum()), method=method)


PSMInference = Literal["fixed", "bootstrap"]
"""``"fixed"``: the TWFE standard error given the matched sample (matching treated as
fixed); ``"bootstrap"``: clusters resampled, matching and DID redone in every draw."""


@dataclass(frozen=True)
class PSMDIDResult:
    """PSM-DID: the matching and the weighted TWFE DID on the matched sample.

    ``coef`` is the DID estimate; ``se``, ``pvalue`` and ``ci`` come from ``did`` (matching
    treated as fixed) or, with ``inference == "bootstrap"``, from ``draws``, the estimates of
    the re-matching bootstrap (SE = their standard deviation, percentile interval at
    ``level``, p-value from the normal with the bootstrap SE).
    """

    match: MatchResult
    did: TWFEResult
    inference: str = "fixed"
    se: float = float("nan")
    pvalue: float = float("nan")
    ci: tuple[float, float] = (float("nan"), float("nan"))
    level: float = 0.95
    draws: pd.Series | None = None
    reps: int = 0
    seed: int = 0
    resampled: str = ""
    """``"units"`` or the cluster column resampled by the bootstrap."""

    @property
    def coef(self) -> float:
        return self.did.coef

    @property
    def nobs(self) -> int:
        return self.did.nobs

    @property
    def fit(self) -> FitSummary:
        """The weighted TWFE regression on the matched sample."""
        return self.did.fit

    def to_frame(self) -> pd.DataFrame:
        return self.tidy()

    def tidy(self, level: float | None = None) -> pd.DataFrame:
        """Tidy table of the treatment effect (one row; the DID has no other regressor)."""
        level = self.level if level is None else level
        if self.inference == "fixed" or self.draws is None:
            return self.did.tidy(level)
        q = np.quantile(self.draws, [(1 - level) / 2, (1 + level) / 2])
        return tidy_table([self.did.term], [self.coef], [self.se], nobs=self.nobs, level=level,
                          ci=(np.array([q[0]]), np.array([q[1]])))

    def summary(self, language: Language = "zh") -> str:
        """The estimate and which standard error it carries."""
        lo, hi = self.ci
        pct = f"{100 * self.level:g}%"
        if not is_zh(language):
            how = ("matching treated as fixed (TWFE clustered SE on the matched sample)"
                   if self.inference == "fixed" else
                   f"bootstrap re-matching in each of {self.reps} draws (resampling "
                   f"{'units' if self.resampled == 'units' else 'clusters ' + self.resampled}, "
                   f"seed {self.seed}; percentile interval)")
            return (f"PSM-DID estimate: {self.coef:.4f} (SE {self.se:.4f}, p = {self.pvalue:.3f}, "
                    f"{pct} CI [{lo:.4f}, {hi:.4f}]); inference: {how}.")
        drawn = "县（单位）" if self.resampled == "units" else f"聚类 {self.resampled}"
        how = ("视匹配为给定（匹配样本上的 TWFE 聚类标准误，未计入匹配本身的不确定性）"
               if self.inference == "fixed" else
               f"自助法：每次重新抽取{drawn}并重新匹配、重新估计（{self.reps} 次，种子 "
               f"{self.seed}，百分位区间）")
        return (f"PSM-DID 估计为 {self.coef:.4f}（标准误 {self.se:.4f}，p = {self.pvalue:.3f}，"
                f"{pct} 置信区间 [{lo:.4f}, {hi:.4f}]）；推断：{how}。")


def _weighted_did(y: np.ndarray, d: np.ndarray, fe: np.ndarray, w: np.ndarray) -> float:
    """δ of the weighted two-way FE regression of y on d (FWL: demean both by unit and time
    with weights ``w``, pyfixest's alternating projections), rows with w = 0 excluded."""
    keep = w > 0
    dm, _ = demean(np.column_stack([y[keep], d[keep]]), fe[keep], w[keep])
    return float((w[keep] * dm[:, 0] * dm[:, 1]).sum() / (w[keep] * dm[:, 1] ** 2).sum())


def psm_did(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    treated: str,
    covariates: Sequence[str],
    base_period: int | None = None,
    method: Method = "nearest",
    k: int = 1,
    replace: bool = True,
    caliper: float | None = None,
    bandwidth: float = 0.06,
    cluster: str | None = None,
    inference: PSMInference = "fixed",
    reps: int = MIN_REPS,
    seed: int = SEED,
    level: float = 0.95,
) -> PSMDIDResult:
    """PSM-DID (倾向得分匹配—双重差分).

    Units are matched once on their covariates in ``base_period`` (default: the first
    period, before treatment) — the treatment group is every unit with ``treated`` = 1 in
    some period —, and the matching weights are carried to all of the unit's rows; the TWFE
    DID (:func:`twfe_did`) is then estimated with those weights, dropping weight-0 units.
    Heckman, Ichimura & Todd (1997, Rev. Econ. Stud. 64(4):605-654).

    Inference. ``inference="fixed"`` (default, what Stata users get from ``psmatch2`` followed
    by a weighted ``reghdfe``): the clustered standard error of the weighted DID **treats the
    matching as fixed** — it ignores that the propensity score and the matched controls are
    themselves estimated, and so tends to understate the uncertainty. ``"bootstrap"``
    resamples clusters (``cluster``, default the units) with replacement, separately among
    clusters with and without treated units (so every draw has both groups), and in each of
    ``reps`` draws re-estimates the propensity score, re-matches and re-estimates the weighted
    DID; SE = standard deviation of the draws, percentile interval at ``level``, p-value from
    the normal with that SE. For nearest-neighbour matching with a fixed number of matches the
    bootstrap is not guaranteed to be valid (Abadie & Imbens 2008, Econometrica
    76(6):1537-1557); for kernel matching (smooth weights) it is the usual choice.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel.
    outcome, unit, time, treated : str
        Outcome, unit, period and 0/1 post-treatment indicator columns.
    covariates : sequence of str
        Matching covariates (values in ``base_period``).
    base_period : int, optional
        Period whose covariates are matched on (default: the first).
    method, k, replace, caliper, bandwidth :
        Matching options of :func:`psm_match`.
    cluster : str, optional
        Cluster column (default ``unit``): standard errors and bootstrap resampling.
    inference : {"fixed", "bootstrap"}
    reps, seed, level : int, int, float
        Bootstrap draws and seed; confidence level.

    Returns
    -------
    PSMDIDResult
    """
    check_option("inference", inference, PSMInference)
    check_level(level)
    complete_columns(data, [unit, time, treated, outcome, *covariates],
                     numeric=[time, treated, outcome, *covariates])
    base = data[time].min() if base_period is None else base_period
    group = data.groupby(unit)[treated].max().rename("_group")
    units = data[data[time] == base].set_index(unit)
    if len(units) < group.size:
        missing = group.index.difference(units.index)
        raise InputError(f"单位 {missing[0]!r} 在基期 {base} 没有观测 / no base-period row",
                         column=str(unit), hint="选一个所有单位都有观测的 base_period。")
    units = units.join(group)
    options = {"method": method, "k": k, "replace": replace, "caliper": caliper,
               "bandwidth": bandwidth}
    m = psm_match(units, "_group", covariates, **options)
    w = data[unit].map(m.weights)
    did = twfe_did(data.assign(_match_weight=w.to_numpy()), outcome, unit=unit, time=time,
                   treated=treated, covariates=(), cluster=cluster, weights="_match_weight",
                   level=level)
    if inference == "fixed":
        return PSMDIDResult(match=m, did=did, se=did.se, pvalue=did.pvalue, ci=did.ci,
                            level=level)
    check_reps(reps)
    draws = _rematch_bootstrap(data, units, outcome=outcome, unit=unit, time=time,
                               treated=treated, covariates=covariates, cluster=cluster,
                               options=options, reps=reps, seed=seed)
    se = float(draws.std(ddof=1))
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2])
    resampled = "units" if cluster is None else str(cluster)
    return PSMDIDResult(match=m, did=did, inference="bootstrap", se=se,
                        pvalue=float(2 * stats.norm.sf(abs(did.coef / se))),
                        ci=(float(lo), float(hi)), level=level, draws=draws, reps=reps,
                        seed=seed, resampled=resampled)


def _rematch_bootstrap(data: pd.DataFrame, units: pd.DataFrame, *, outcome: str, unit: str,
                       time: str, treated: str, covariates: Sequence[str], cluster: str | None,
                       options: dict, reps: int, seed: int) -> pd.Series:
    """Estimates of the re-matching cluster bootstrap (see :func:`psm_did`)."""
    order = data.sort_values([unit, time], kind="stable")
    codes, uniques = pd.factorize(order[unit])
    starts = np.searchsorted(codes, np.arange(len(uniques)))
    lengths = np.bincount(codes, minlength=len(uniques))
    y = order[outcome].to_numpy(dtype=float)
    d = order[treated].to_numpy(dtype=float)
    t_code = pd.factorize(order[time], sort=True)[0]
    base = units.reindex(uniques)
    groups = (base[cluster] if cluster is not None else pd.Series(uniques, index=uniques))
    cl_codes, _ = pd.factorize(groups)
    has_treated = pd.Series(base["_group"].to_numpy() > 0).groupby(cl_codes).any().to_numpy()
    strata = [np.flatnonzero(has_treated), np.flatnonzero(~has_treated)]
    members = pd.Series(np.arange(len(uniques))).groupby(cl_codes).apply(np.asarray).to_numpy()
    rng = np.random.default_rng(seed)
    out = np.empty(reps)
    for b in range(reps):  # one re-matching per draw; rows are handled as arrays
        drawn = np.concatenate([rng.choice(s, size=len(s)) for s in strata if len(s)])
        picked = np.concatenate([members[c] for c in drawn])  # units of the drawn clusters
        sample = base.iloc[picked].reset_index(drop=True)
        m = psm_match(sample, "_group", covariates, **options)
        rows = np.repeat(starts[picked], lengths[picked]) + _ranges(lengths[picked])
        new_id = np.repeat(np.arange(len(picked)), lengths[picked])
        fe = np.column_stack([new_id, t_code[rows]]).astype(np.uint64)
        out[b] = _weighted_did(y[rows], d[rows], fe, m.weights.to_numpy()[new_id])
    return pd.Series(out, name="psm_did_bootstrap")


def _ranges(lengths: np.ndarray) -> np.ndarray:
    """0, 1, …, n₁−1, 0, 1, …, n₂−1, … for the given lengths (vectorised)."""
    ends = np.cumsum(lengths)
    return np.arange(ends[-1]) - np.repeat(ends - lengths, lengths)
