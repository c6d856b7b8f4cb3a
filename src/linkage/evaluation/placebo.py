"""Placebo and robustness checks (安慰剂检验与稳健性检验) for the TWFE DID."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pyfixest.estimation import demean

from linkage.checks import MIN_REPS, SEED, Inference, WildWeights, check_option, check_reps
from linkage.evaluation._fit import complete_columns
from linkage.evaluation.inference import format_pvalue, tidy_table
from linkage.evaluation.twfe import TWFEResult, twfe_did
from linkage.labels import Language, is_zh

__all__ = ["PlaceboResult", "cluster_robustness", "drop_one_cohort", "placebo_test"]

Scheme = Literal["units", "timing", "both"]


@dataclass(frozen=True)
class PlaceboResult:
    """Permutation placebo (随机化安慰剂检验).

    Attributes
    ----------
    estimate : float
        TWFE estimate with the real assignment.
    draws : pandas.Series
        Estimates under ``len(draws)`` random fake assignments (index: draw number).
    pvalue : float
        Two-sided permutation p-value (1 + #{|β_b| ≥ |β̂|}) / (B + 1); never below 1/(B + 1),
        which :meth:`summary` prints as "≤ 0.001" (B = 999).
    scheme : str
        What was randomised.
    seed : int
        Seed of the :class:`numpy.random.Generator`.
    nobs : int
        Observations (unit-periods) of each TWFE regression.
    """

    estimate: float
    draws: pd.Series
    pvalue: float
    scheme: str
    seed: int
    nobs: int = 0

    @property
    def reps(self) -> int:
        """Number of permutation draws B."""
        return len(self.draws)

    @property
    def pvalue_text(self) -> str:
        """The p-value as printed: ``≤ 0.001`` at the floor 1/(B+1)."""
        return format_pvalue(self.pvalue, reps=self.reps)

    def tidy(self, level: float = 0.95) -> pd.DataFrame:
        """Tidy row ``term="placebo"``: the real estimate, the placebo distribution's standard
        deviation as ``se``, the permutation p-value; no interval (a permutation test gives
        none); ``nobs`` = unit-periods of the regression, as every tidy table (the number of
        draws is :attr:`reps`)."""
        sd = float(self.draws.std())
        return tidy_table(["placebo"], [self.estimate], [sd], nobs=self.nobs, level=level,
                          pvalue=[self.pvalue], ci=(np.array([np.nan]), np.array([np.nan])))

    def summary(self, language: Language = "zh") -> str:
        """The permutation test in one sentence."""
        p = self.pvalue_text
        p = p if p[0] in "<≤" else f"= {p}"
        if not is_zh(language):
            return (f"Permutation placebo ({self.scheme}, {self.reps} draws, seed {self.seed}): "
                    f"estimate {self.estimate:.4f}, p {p}.")
        return (f"随机化安慰剂检验（{self.reps} 次，种子 {self.seed}）：真实估计 "
                f"{self.estimate:.4f}，p {p}。")

    def to_frame(self) -> pd.DataFrame:
        """Summary: real estimate, mean and sd of the placebo distribution, p-value."""
        return pd.DataFrame({"statistic": ["estimate", "placebo_mean", "placebo_sd", "pvalue",
                                           "draws"],
                             "value": [self.estimate, float(self.draws.mean()),
                                       float(self.draws.std()), self.pvalue,
                                       float(len(self.draws))]})

    def plot(self, language: Language = "zh"):
        """Histogram of placebo estimates with the real estimate marked (安慰剂检验图)."""
        import matplotlib as mpl
        from matplotlib.figure import Figure

        zh = is_zh(language)
        fig = Figure(figsize=mpl.rcParams["figure.figsize"], layout="constrained")
        ax = fig.add_subplot()
        ax.hist(self.draws.to_numpy(), bins=40, color="#7f9fbf", edgecolor="white")
        ax.axvline(self.estimate, color="#c00000", ls="--",
                   label=f"真实估计 {self.estimate:.4f}" if zh else f"Estimate {self.estimate:.4f}")
        ax.axvline(0.0, color="#555555", lw=0.8)
        ax.set_xlabel("安慰剂估计系数" if zh else "Placebo estimate")
        ax.set_ylabel("频数" if zh else "Count")
        p = self.pvalue_text
        p = p if p[0] in "<≤" else f"= {p}"
        ax.set_title(f"随机化安慰剂检验（{self.reps} 次，p {p}）" if zh
                     else f"Permutation placebo ({self.reps} draws, p {p})")
        ax.legend()
        return fig


def _codes(values: pd.Series) -> np.ndarray:
    return pd.factorize(values, sort=True)[0]


def placebo_test(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    covariates: Sequence[str] = (),
    reps: int = MIN_REPS,
    scheme: Scheme = "units",
    seed: int = 0,
    chunk: int = 100,
) -> PlaceboResult:
    r"""Permutation (randomisation-inference) placebo for the TWFE DID (随机化安慰剂检验).

    Fake treatments are drawn ``reps`` times and the TWFE coefficient re-estimated for each.
    ``scheme="units"`` shuffles the units' cohorts (which units are treated, keeping the
    number treated per cohort); ``"timing"`` keeps the treated units and draws their fake
    first treated period uniformly from the panel's periods after the first;
    ``"both"`` does both. The real
    :math:`D_{it} = 1[E_i > 0,\ t \ge E_i]` comes from ``cohort`` (0 = never treated).

    By Frisch–Waugh–Lovell each draw is one projection: the outcome and covariates are
    demeaned once by both fixed effects, the B fake indicators are demeaned together
    (pyfixest's alternating projections, in chunks of ``chunk`` columns), residualised on the
    covariates, and :math:`\hat\beta_b = \tilde d_b'\tilde y / \tilde d_b'\tilde d_b`.
    The p-value is :math:`(1 + \#\{|\hat\beta_b| \ge |\hat\beta|\})/(B+1)`
    (Phipson & Smyth 2010, Stat. Appl. Genet. Mol. Biol. 9(1):39; randomisation inference as
    in Young 2019, QJE 134(2):557-598). Draws in which no unit is treated cannot occur
    under ``"units"``; under ``"timing"`` every treated unit keeps some post period.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel.
    outcome, unit, time : str
        Outcome, unit, period (integer) columns.
    cohort : str
        First treated period per unit, 0 = never treated.
    covariates : sequence of str
        Time-varying controls.
    reps : int, default 999
        Number of fake assignments B (≥ 99; the p-value cannot fall below 1/(B + 1), 0.001 at
        the default ``linkage.checks.MIN_REPS``).
    scheme : {"units", "timing", "both"}
        What is randomised (see above).
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same draws.
    chunk : int
        Fake indicators demeaned at once (memory: N × chunk floats).

    Returns
    -------
    PlaceboResult

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(2)
    >>> df = pd.DataFrame({"c": np.repeat(np.arange(40), 6), "t": np.tile(range(6), 40)})
    >>> df["E"] = np.where(df.c < 20, 3, 0)
    >>> df["y"] = 0.5 * ((df.E > 0) & (df.t >= 3)) + rng.normal(0, 0.1, len(df))
    >>> placebo_test(df, "y", unit="c", time="t", cohort="E", reps=199).pvalue < 0.01
    True
    """
    check_option("scheme", scheme, Scheme)
    check_reps(reps, minimum=99)
    covariates = list(covariates)
    complete_columns(data, [outcome, cohort, time, *covariates, unit],
                     numeric=[outcome, cohort, time, *covariates])
    t = data[time].to_numpy(dtype=float)
    ucode = _codes(data[unit])
    fe = np.column_stack([ucode, _codes(data[time])]).astype(np.uint64)
    unit_cohort = pd.Series(data[cohort].to_numpy(dtype=float)).groupby(ucode).first()
    cohort_u = unit_cohort.to_numpy()
    weights = np.ones(len(data))

    base = np.column_stack([data[outcome].to_numpy(dtype=float),
                            ((cohort_u[ucode] > 0) & (t >= cohort_u[ucode])).astype(float),
                            data[covariates].to_numpy(dtype=float).reshape(len(data), -1)])
    dm, _ = demean(base, fe, weights)
    y, x = dm[:, 0], dm[:, 2:]
    proj = _residualiser(x)
    y = proj(y[:, None])[:, 0]
    d = proj(dm[:, [1]])[:, 0]
    estimate = float(d @ y / (d @ d))

    rng = np.random.default_rng(seed)
    periods = np.unique(t)
    out = np.empty(reps)
    for start in range(0, reps, chunk):  # loop over chunks of draws, not over units
        b = min(chunk, reps - start)
        fake = np.tile(cohort_u, (b, 1))
        if scheme in ("units", "both"):
            fake = rng.permuted(fake, axis=1)
        if scheme in ("timing", "both"):
            drawn = rng.choice(periods[1:], size=fake.shape)
            fake = np.where(fake > 0, drawn, 0.0)
        c = fake[:, ucode]  # b × N
        dd = ((c > 0) & (t[None, :] >= c)).astype(float).T
        dd, _ = demean(np.ascontiguousarray(dd), fe, weights)
        dd = proj(dd)
        out[start:start + b] = (dd.T @ y) / np.einsum("ij,ij->j", dd, dd)
    pvalue = float((1 + np.sum(np.abs(out) >= abs(estimate))) / (reps + 1))
    return PlaceboResult(estimate=estimate, draws=pd.Series(out, name="placebo_coef"),
                         pvalue=pvalue, scheme=scheme, seed=seed, nobs=len(data))


def _residualiser(x: np.ndarray):
    """M_X: residuals of columns on the (demeaned) covariates ``x`` (identity if none)."""
    if x.shape[1] == 0:
        return lambda m: m
    q, _ = np.linalg.qr(x)
    return lambda m: m - q @ (q.T @ m)


def drop_one_cohort(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    covariates: Sequence[str] = (),
    cluster: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """TWFE DID re-estimated without each treated cohort in turn (逐一剔除处理队列).

    The first row uses all cohorts; each further row drops the units first treated in one
    period. A robust result does not hinge on one cohort.

    Returns
    -------
    pandas.DataFrame
        ``dropped_cohort`` (``None`` = none dropped), ``coef, se, pvalue, nobs``.
    """
    complete_columns(data, [cohort, time], numeric=[cohort, time])
    frame = data.assign(_D=((data[cohort] > 0) & (data[time] >= data[cohort])).astype(int))
    rows = []
    cohorts = sorted(c for c in frame[cohort].unique() if c > 0)
    for dropped in [None, *cohorts]:  # a handful of cohorts
        sub = frame if dropped is None else frame[frame[cohort] != dropped]
        r = twfe_did(sub, outcome, unit=unit, time=time, treated="_D",
                     covariates=covariates, cluster=cluster)
        rows.append({"dropped_cohort": dropped, "coef": r.coef, "se": r.se,
                     "pvalue": r.pvalue, "nobs": r.nobs})
    return pd.DataFrame(rows)


def cluster_robustness(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    treated: str,
    clusters: Mapping[str, str | Sequence[str]],
    covariates: Sequence[str] = (),
    inference: Inference = "cluster",
    reps: int = MIN_REPS,
    seed: int = SEED,
    wild_weights: WildWeights | None = None,
    level: float = 0.95,
) -> dict[str, TWFEResult]:
    """The same TWFE DID with alternative clustering (更换聚类层级).

    ``inference`` is applied to each one-way clustering as in :func:`twfe_did` — with
    ``"auto"``, the wild cluster bootstrap when there are fewer than
    :data:`~linkage.checks.FEW_CLUSTERS` clusters or treated clusters (e.g. 11 prefectures).
    A two-way clustering stays cluster-robust t with G − 1 df, G the smaller dimension (the
    wild bootstrap here is one-way); its result's ``inference`` and ``fit.n_clusters`` say
    so, for the table's note.

    Parameters
    ----------
    clusters : mapping label → column or columns
        e.g. ``{"县": "region_code", "地级市": "prefecture_code",
        "县×年双向": ["region_code", "year"]}``.
    inference, reps, seed, wild_weights, level :
        As :func:`twfe_did`.

    Returns
    -------
    dict of label → TWFEResult
        Pass the values to :func:`regression_table` to show them side by side.
    """
    boot = {"inference": inference, "reps": reps, "seed": seed, "wild_weights": wild_weights,
            "level": level}
    check_option("inference", inference, Inference)
    out = {}
    for name, columns in clusters.items():  # a handful of clusterings
        two_way = not isinstance(columns, str) and len(columns) > 1
        out[name] = twfe_did(data, outcome, unit=unit, time=time, treated=treated,
                             covariates=covariates, cluster=columns,
                             **(boot | {"inference": "cluster"} if two_way else boot))
    return out
