"""Synthetic control (合成控制法) for one treated unit, with placebo-in-space inference."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import optimize

from linkage.checks import check_option
from linkage.errors import InputError
from linkage.evaluation._fit import complete_columns
from linkage.evaluation.inference import tidy_table
from linkage.labels import Language, is_zh

__all__ = ["SynthResult", "donor_weights", "synthetic_control"]

VMethod = Literal["outcome", "nested"]


def donor_weights(x1: np.ndarray, x0: np.ndarray, v: np.ndarray | None = None) -> np.ndarray:
    r"""Synthetic-control donor weights (合成控制权重): the constrained least-squares problem

    .. math:: W^* = \arg\min_W (X_1 - X_0 W)' V (X_1 - X_0 W)
              \quad \text{s.t. } w_j \ge 0,\ \textstyle\sum_j w_j = 1

    (Abadie, Diamond & Hainmueller 2010, JASA 105:493-505, §2.3), solved by SLSQP with the
    analytic gradient from the equal-weights start.

    Parameters
    ----------
    x1 : numpy.ndarray, shape (k,)
        Treated unit's predictors.
    x0 : numpy.ndarray, shape (k, J)
        Donors' predictors, one column per donor.
    v : numpy.ndarray, shape (k,), optional
        Diagonal of V (default: identity).

    Returns
    -------
    numpy.ndarray, shape (J,)
        Weights ≥ 0 summing to 1.

    Examples
    --------
    >>> x0 = np.array([[0.0, 1.0], [0.0, 1.0]])
    >>> donor_weights(np.array([0.25, 0.25]), x0).round(3).tolist()
    [0.75, 0.25]
    """
    k, j = x0.shape
    v = np.ones(k) if v is None else v
    scale = max(float(np.abs(x0).max()), 1e-12)  # conditioning: solve on a unit scale
    a, b = x0 / scale, x1 / scale

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        r = b - a @ w
        return float(r @ (v * r)), -2.0 * a.T @ (v * r)

    res = optimize.minimize(
        loss, np.full(j, 1.0 / j), jac=True, method="SLSQP", bounds=[(0.0, 1.0)] * j,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0,
                      "jac": lambda w: np.ones_like(w)}],
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    w = np.clip(res.x, 0.0, None)
    return w / w.sum()


@dataclass(frozen=True)
class _Fit:
    weights: np.ndarray
    v: np.ndarray


def _fit_unit(y1: np.ndarray, y0: np.ndarray, x1: np.ndarray | None, x0: np.ndarray | None,
              pre: np.ndarray, method: VMethod) -> _Fit:
    """Weights for one treated unit: outcome path (V = I) or nested V (ADH 2010)."""
    if method == "outcome" or x1 is None or x0 is None:
        return _Fit(donor_weights(y1[pre], y0[pre]), np.ones(int(pre.sum())))
    sd = x0.std(axis=1)
    sd = np.where(sd > 0, sd, 1.0)
    z1, z0 = x1 / sd, x0 / sd[:, None]

    def v_of(theta: np.ndarray) -> np.ndarray:
        e = np.exp(theta - theta.max())
        return e / e.sum()

    def outer(theta: np.ndarray) -> float:
        w = donor_weights(z1, z0, v_of(theta))
        gap = y1[pre] - y0[pre] @ w
        return float(gap @ gap)

    k = len(x1)
    best = optimize.minimize(outer, np.zeros(k), method="Nelder-Mead",
                             options={"xatol": 1e-3, "fatol": 1e-12, "maxiter": 60 * k})
    v = v_of(best.x)
    return _Fit(donor_weights(z1, z0, v), v)


@dataclass(frozen=True)
class SynthResult:
    """Synthetic-control estimate (合成控制结果).

    Attributes
    ----------
    weights : pandas.Series
        Donor weights (≥ 0, sum 1), indexed by donor unit.
    v_weights : pandas.Series
        Diagonal of V by predictor (outcome years for ``v_method="outcome"``: all 1).
    path : pandas.DataFrame
        Indexed by period: ``treated``, ``synthetic``, ``gap`` (treated − synthetic).
    pre_rmspe, post_rmspe : float
        Root mean squared gap before / from the treatment period on.
    att : float
        Mean post-treatment gap.
    placebos : pandas.DataFrame
        Gap paths, periods × units (the treated unit and every donor as a fake treated unit).
    placebo_table : pandas.DataFrame
        Per unit: ``pre_rmspe, post_rmspe, ratio, rank`` (rank 1 = largest ratio),
        ``treated`` flag.
    pvalue : float
        Share of units (treated included) whose post/pre RMSPE ratio is at least the treated
        unit's: rank / (J + 1) (Abadie, Diamond & Hainmueller 2010, §2.4; Abadie 2021,
        J. Econ. Lit. 59(2):391-425, eq. 11). ``nan`` when ``placebo=False``.
    """

    weights: pd.Series
    v_weights: pd.Series
    path: pd.DataFrame
    pre_rmspe: float
    post_rmspe: float
    att: float
    placebos: pd.DataFrame
    placebo_table: pd.DataFrame
    pvalue: float
    treated_unit: Hashable
    treatment_time: int
    outcome: str

    def to_frame(self) -> pd.DataFrame:
        return self.path.reset_index()

    def tidy(self, level: float = 0.95) -> pd.DataFrame:
        """Tidy rows: the mean post-treatment gap (``term="ATT"``) with the placebo-in-space
        p-value, then each post-treatment period's gap (``gap_2021``). Synthetic control has
        no standard error: ``se``, ``stat`` and the interval are missing; ``nobs`` = units
        (treated + donors)."""
        post = self.path[self.path.index >= self.treatment_time]
        terms = ["ATT", *(f"gap_{t}" for t in post.index)]
        coef = [self.att, *post["gap"]]
        nan = np.full(len(terms), np.nan)
        return tidy_table(terms, coef, nan, nobs=len(self.weights) + 1, level=level,
                          pvalue=[self.pvalue, *nan[1:]], ci=(nan, nan))

    def summary(self, language: Language = "zh") -> str:
        top = self.weights[self.weights > 0.005].sort_values(ascending=False)
        if not is_zh(language):
            donors = ", ".join(f"{k} {v:.3f}" for k, v in top.items())
            return (f"Synthetic control for {self.treated_unit} ({self.outcome}): mean "
                    f"post-treatment gap {self.att:.4f}; pre-treatment RMSPE "
                    f"{self.pre_rmspe:.4f}; placebo p = {self.pvalue:.3f} (rank among "
                    f"{len(self.weights) + 1} units); donors: {donors}.")
        donors = "、".join(f"{k}（{v:.3f}）" for k, v in top.items())
        return (f"{self.treated_unit} 的合成控制估计（{self.outcome}）："
                f"政策后平均差距 {self.att:.4f}，"
                f"政策前拟合 RMSPE {self.pre_rmspe:.4f}，安慰剂检验 p = {self.pvalue:.3f}；"
                f"合成权重：{donors}。")

    def _axes(self) -> tuple[Figure, mpl.axes.Axes]:
        width, height = mpl.rcParams["figure.figsize"]
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
        ax.axvline(self.treatment_time - 0.5, color="#c00000", ls="--", lw=0.9)
        return fig, ax

    def plot(self, language: Language = "zh", *, title: str | None = None) -> Figure:
        """Treated vs. synthetic path (处理单位与合成控制的路径)."""
        zh = is_zh(language)
        fig, ax = self._axes()
        ax.plot(self.path.index, self.path["treated"], color="#1f4e79", lw=1.8,
                label=f"{self.treated_unit}（实际）" if zh else f"{self.treated_unit} (actual)")
        ax.plot(self.path.index, self.path["synthetic"], color="#1f4e79", ls="--", lw=1.4,
                label="合成控制" if zh else "Synthetic control")
        ax.set_xlabel("年份" if zh else "Year")
        ax.set_ylabel(self.outcome)
        if title:
            ax.set_title(title)
        ax.legend(fontsize=8)
        return fig

    def plot_placebos(self, language: Language = "zh", *, title: str | None = None,
                      max_pre_rmspe_ratio: float | None = None) -> Figure:
        """Gaps of the treated unit (bold) and every placebo (grey) (安慰剂检验图).

        ``max_pre_rmspe_ratio`` hides placebos whose pre-treatment RMSPE exceeds that multiple
        of the treated unit's (ADH 2010 Figs. 5-7 use 20, 5 and 2); the p-value uses all.
        """
        zh = is_zh(language)
        fig, ax = self._axes()
        table = self.placebo_table
        shown = table.index[~table["treated"]]
        if max_pre_rmspe_ratio is not None:
            shown = shown[table.loc[shown, "pre_rmspe"] <= max_pre_rmspe_ratio * self.pre_rmspe]
        for j, unit in enumerate(shown):
            ax.plot(self.placebos.index, self.placebos[unit], color="#b0b0b0", lw=0.8,
                    label=("安慰剂（对照单位）" if zh else "Placebos (donors)") if j == 0 else None)
        ax.plot(self.path.index, self.path["gap"], color="#1f4e79", lw=2.0,
                label=str(self.treated_unit))
        ax.axhline(0.0, color="#555555", lw=0.8)
        ax.set_xlabel("年份" if zh else "Year")
        ax.set_ylabel(f"{self.outcome} 差距（实际 − 合成）" if zh
                      else f"Gap in {self.outcome} (actual − synthetic)")
        ax.text(0.01, 0.98, f"p = {self.pvalue:.3f}", transform=ax.transAxes, va="top",
                fontsize=9)
        if title:
            ax.set_title(title)
        ax.legend(fontsize=8)
        return fig


def _rmspe(gap: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return np.sqrt((gap[mask] ** 2).mean(axis=0))


def synthetic_control(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    treated_unit: Hashable,
    treatment_time: int,
    donors: Sequence[Hashable] | None = None,
    predictors: Sequence[str] = (),
    v_method: VMethod = "outcome",
    placebo: bool = True,
) -> SynthResult:
    r"""Synthetic control method (合成控制法; Abadie, Diamond & Hainmueller 2010).

    The counterfactual of the treated unit is a convex combination of donors,
    :math:`\hat Y_{1t}^N = \sum_j w_j Y_{jt}`, with weights from :func:`donor_weights`
    (ADH 2010, JASA 105:493-505, eq. 2 and §2.3). Two choices of predictors and V:

    * ``v_method="outcome"`` (default): the predictors are the pre-treatment outcomes with
      V = I — the outcome-path variant (Doudchenko & Imbens 2016, NBER WP 22791; Abadie 2021,
      §3.2 notes it as a common choice). Transparent, deterministic, no inner/outer
      optimisation that can stop at a local optimum.
    * ``"nested"``: predictors = pre-period means of the ``predictors`` columns plus the
      pre-treatment outcomes, standardised by their standard deviation across donors; diagonal
      V (normalised to sum 1) minimises the pre-treatment outcome MSPE of W(V) (ADH 2010
      §2.3, R ``Synth``'s nested optimisation; Nelder–Mead over log V).

    Inference is placebo-in-space: each donor in turn is treated as if treated, its synthetic
    control built from the other donors (never from the treated unit), and units are ranked
    by the post/pre RMSPE ratio; ``pvalue`` = rank of the treated unit / (J + 1).

    Parameters
    ----------
    data : pandas.DataFrame
        Long balanced panel.
    outcome, unit, time : str
        Outcome, unit and integer period (year) columns.
    treated_unit : hashable
        Value of ``unit`` of the treated unit.
    treatment_time : int
        First treated period; needs at least two earlier periods.
    donors : sequence, optional
        Donor pool (default: every other unit). Exclude units exposed to similar policies.
    predictors : sequence of str
        Covariates for ``v_method="nested"`` (pre-period means).
    v_method : {"outcome", "nested"}
        See above.
    placebo : bool, default True
        Run the placebo-in-space inference.

    Returns
    -------
    SynthResult

    Examples
    --------
    >>> df = pd.DataFrame({"u": np.repeat(list("TABC"), 10),
    ...                    "t": np.tile(np.arange(2010, 2020), 4)})
    >>> s = df.t - 2010
    >>> paths = {"A": 1 + 0.1 * s, "B": 3 + 0.3 * s, "C": 10 - 0.2 * s}
    >>> df["y"] = np.select([df.u == k for k in "ABC"], list(paths.values()),
    ...                     0.5 * paths["A"] + 0.5 * paths["B"] + 0.5 * (df.t >= 2016))
    >>> res = synthetic_control(df, "y", unit="u", time="t", treated_unit="T",
    ...                         treatment_time=2016, placebo=False)
    >>> res.weights.round(2).tolist(), round(res.att, 3)
    ([0.5, 0.5, 0.0], 0.5)
    """
    check_option("v_method", v_method, VMethod)
    predictors = list(predictors)
    if v_method == "nested" and not predictors:
        raise InputError("v_method='nested' 需要 predictors / nested V needs predictors",
                         hint="给出协变量列，如 predictors=['urbanisation']；"
                              "或用 v_method='outcome'。")
    complete_columns(data, [outcome, unit, time, *predictors], numeric=[outcome, time, *predictors])
    if data.duplicated([unit, time]).any():
        raise InputError(f"({unit}, {time}) 有重复行 / duplicate unit-period rows", column=unit,
                         hint="每个单位每个时期只能有一行。")
    wide = data.pivot(index=time, columns=unit, values=outcome).sort_index()
    if treated_unit not in wide.columns:
        raise InputError(f"处理单位 {treated_unit!r} 不在数据中 / treated unit not found",
                         column=unit, hint="检查 treated_unit 的取值（县代码是文本）。")
    pool = [u for u in wide.columns if u != treated_unit] if donors is None else list(donors)
    absent = [d for d in pool if d not in wide.columns or d == treated_unit]
    if absent:
        raise InputError(f"对照单位 {absent[0]!r} 不在数据中或就是处理单位 / bad donor",
                         column=unit, hint="donors 只能包含数据中的其他单位。")
    if len(pool) < 2:
        raise InputError("对照单位少于 2 个 / fewer than 2 donors", column=unit,
                         hint="合成控制至少需要 2 个对照单位。")
    wide = wide[[treated_unit, *pool]]
    if wide.isna().to_numpy().any():
        bad = wide.columns[wide.isna().any()][0]
        raise InputError(f"单位 {bad!r} 缺少部分时期的 {outcome!r} / unbalanced panel",
                         column=outcome,
                         hint="合成控制需要平衡面板：补齐或从 donors 中去掉该单位。")
    periods = wide.index.to_numpy(dtype=int)
    pre = periods < treatment_time
    if pre.sum() < 2 or pre.all():
        raise InputError(f"treatment_time={treatment_time} 前后需各有时期 / bad treatment time",
                         column=time, hint="政策前至少 2 期、政策后至少 1 期。")
    y = wide.to_numpy(dtype=float)
    x = None
    if v_method == "nested":
        in_pre = data[time].to_numpy() < treatment_time
        means = data[in_pre].groupby(unit)[predictors].mean().T[[treated_unit, *pool]]
        x = np.vstack([means.to_numpy(dtype=float), y[pre]])
    names = [*predictors, *(f"{outcome}_{p}" for p in periods[pre])]

    def fit(target: int, donor_idx: np.ndarray) -> tuple[_Fit, np.ndarray]:
        f = _fit_unit(y[:, target], y[:, donor_idx], None if x is None else x[:, target],
                      None if x is None else x[:, donor_idx], pre, v_method)
        return f, y[:, target] - y[:, donor_idx] @ f.weights

    main, gap = fit(0, np.arange(1, len(pool) + 1))
    gaps = {treated_unit: gap}
    if placebo:
        for j in range(1, len(pool) + 1):  # one optimisation per donor (placebo in space)
            others = np.array([i for i in range(1, len(pool) + 1) if i != j])
            gaps[pool[j - 1]] = fit(j, others)[1]
    placebos = pd.DataFrame(gaps, index=wide.index)
    g = placebos.to_numpy()
    table = pd.DataFrame({"pre_rmspe": _rmspe(g, pre), "post_rmspe": _rmspe(g, ~pre)},
                         index=placebos.columns)
    table["ratio"] = table["post_rmspe"] / table["pre_rmspe"]
    table["rank"] = table["ratio"].rank(ascending=False, method="max").astype(int)
    table["treated"] = table.index == treated_unit
    pvalue = float(table.loc[treated_unit, "rank"] / len(table)) if placebo else float("nan")
    path = pd.DataFrame({"treated": y[:, 0], "synthetic": y[:, 0] - gap, "gap": gap},
                        index=wide.index)
    v_names = names if v_method == "nested" else names[len(predictors):]
    return SynthResult(
        weights=pd.Series(main.weights, index=pd.Index(pool, name=unit), name="weight"),
        v_weights=pd.Series(main.v, index=v_names, name="v"),
        path=path, pre_rmspe=float(table.loc[treated_unit, "pre_rmspe"]),
        post_rmspe=float(table.loc[treated_unit, "post_rmspe"]),
        att=float(gap[~pre].mean()), placebos=placebos, placebo_table=table, pvalue=pvalue,
        treated_unit=treated_unit, treatment_time=int(treatment_time), outcome=str(outcome))
