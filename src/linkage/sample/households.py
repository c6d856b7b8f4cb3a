"""Simulated household monitoring panel (模拟农户监测面板).

See :mod:`linkage.sample` for the model. All draws are vectorised over a households × years
array; the only loops are over a handful of categories.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import expit
from scipy.stats import poisson

from linkage.sample import calibration as cal
from linkage.sample.county import Province

__all__ = ["CATEGORIES", "SHOCKS", "expected_monitoring", "household_panel"]

CATEGORIES = ("非监测对象", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
#: Shock labels, yearly probability, effect on log income.
SHOCKS = ("无", "疾病", "残疾", "自然灾害", "意外事故", "失业", "其他")
_SHOCK_P = np.array([0.875, 0.05, 0.01, 0.03, 0.01, 0.02, 0.005])
_SHOCK_EFFECT = np.array([0.0, -0.25, -0.20, -0.30, -0.25, -0.35, -0.10])
_SEVERE = np.array([False, True, True, True, True, False, False])

#: Sampling design: share of 脱贫户 in the sample and in the population, by county type.
_EXITED_SAMPLE = {True: 0.40, False: 0.10}
_EXITED_POPULATION = {True: 0.20, False: 0.04}
_HH_SIZE_MEAN = 3.1
_HH_SIZE_MAX = 9
#: *Assumption*: per-capita income falls by 5 % per household member above the mean size
#: (larger rural households have more dependants), so poverty per person exceeds poverty per
#: household, as in survey data.
_SIZE_EFFECT = -0.05

#: Income model on the log scale: persistent household effect, yearly noise, 脱贫户 gap.
_SD_HOUSEHOLD, _SD_YEAR, _EXITED_GAP = 0.45, 0.20, -0.30
#: Identification: logit = _ID_CONST + _ID_INCOME·log(threshold/income) + shock + 脱贫户 terms.
_ID_CONST, _ID_INCOME, _ID_SHOCK, _ID_EXITED = -3.8, 2.5, 1.5, 0.6
#: Extra logit in the first panel year: the roster inherited from 2020, when monitoring began.
_ID_LEGACY = 1.0
#: Cumulative probability that a monitored household's risk is eliminated d years after
#: identification: F(d) = M_c · (1 − _ELIM_RATE^(d+1)), with the county's ceiling
#: M_c = logistic(logit(_ELIM_MAX) + _ELIM_LOADING · z_c): better-developed counties clear
#: risks a little more often (*assumption*), so the county elimination rates differ.
_ELIM_MAX, _ELIM_RATE, _ELIM_LOADING = 0.80, 0.45, 0.30
#: Income shares (wage, business, property, transfer) by group and Dirichlet concentration.
_SHARES = {
    "general": (0.42, 0.34, 0.025, 0.215),
    "exited": (0.55, 0.17, 0.015, 0.265),
    "monitored": (0.40, 0.18, 0.01, 0.41),
}
_CONCENTRATION = 30.0
_LOSS_P = 0.02
#: Yearly probability that a 两不愁三保障/饮水 status fails; ×10 for unresolved monitored.
_STATUS_FAIL = {
    "food_clothing_ok": 0.002, "compulsory_edu_ok": 0.003, "basic_medical_ok": 0.003,
    "housing_safe_ok": 0.004, "drinking_water_ok": 0.012,
}


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _labels(labels: tuple[str, ...], codes: np.ndarray) -> pd.Series:
    return pd.Series(pa.array(labels).take(codes.ravel().astype(np.int8)), dtype="str")


def elimination_probability(duration: np.ndarray, z: np.ndarray | float = 0.0) -> np.ndarray:
    """Cumulative probability of risk elimination ``duration`` years after identification, in
    a county of development ``z``."""
    ceiling = expit(np.log(_ELIM_MAX / (1 - _ELIM_MAX)) + _ELIM_LOADING * np.asarray(z))
    return ceiling * (1 - _ELIM_RATE ** (np.asarray(duration, float) + 1))


def _size_distribution() -> tuple[np.ndarray, np.ndarray]:
    """Household sizes 1.._HH_SIZE_MAX and their probabilities (1 + min(Poisson, max − 1))."""
    k = np.arange(_HH_SIZE_MAX)
    p = poisson.pmf(k, _HH_SIZE_MEAN - 1)
    p[-1] = poisson.sf(_HH_SIZE_MAX - 2, _HH_SIZE_MEAN - 1)
    return k + 1.0, p


def _not_flagged_curves(grid: np.ndarray, nodes: int = 24) -> np.ndarray:
    """P(not identified in a year) as a function of v = log(threshold) − (household's expected
    log income without year noise and shocks), for (exited, first year): shape (2, 2, grid).

    Integrates the identification logit over the year noise (Gauss–Hermite) and the shocks."""
    e, pe = hermegauss(nodes)
    pe = pe / pe.sum()
    shock = _SHOCK_P / _SHOCK_P.sum()
    out = np.empty((2, 2, grid.size))
    for ex in (0, 1):
        for legacy in (0, 1):
            logit = (_ID_CONST + _ID_INCOME * (grid[:, None, None] - _SD_YEAR * e[None, :, None]
                                               - _SHOCK_EFFECT[None, None, :])
                     + _ID_SHOCK * _SEVERE[None, None, :] + _ID_EXITED * ex + _ID_LEGACY * legacy)
            out[ex, legacy] = 1 - (expit(logit) * pe[None, :, None] * shock).sum(axis=(1, 2))
    return out


def expected_monitoring(prov: Province, rural_income: np.ndarray, years: np.ndarray, *,
                        chunk: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Population values of the county monitoring indicators under the household model.

    For every county and year of ``years`` (the household panel's years), the share of rural
    persons on the monitoring roster (%) and the share of monitored persons whose risk is
    eliminated (%), as the household model implies for the county's whole population: the
    same identification and elimination rules as :func:`household_panel`, integrated over the
    household effect (Gauss–Hermite), household size, the year noise and the shocks instead of
    drawn. The household sample's survey-weighted estimates are unbiased for these values, so
    the county panel and the household panel describe the same counties.

    Returns
    -------
    (monitored_share, risk_eliminated_rate)
        County × year arrays in %.
    """
    grid = np.linspace(-10, 10, 4001)
    curves = _not_flagged_curves(grid)
    h, ph = hermegauss(24)
    ph = ph / ph.sum()
    sizes, psize = _size_distribution()
    persons = psize * sizes                                     # P(s)·s
    node_w = (persons[:, None] * ph[None, :]).ravel()           # (sizes × h) nodes
    node_shift = (_SIZE_EFFECT * (sizes[:, None] - _HH_SIZE_MEAN)
                  + _SD_HOUSEHOLD * h[None, :]).ravel()
    log_thr = np.log(cal.interpolate_log(cal.MONITORING_THRESHOLD, years))
    t_idx = np.arange(years.size)
    duration = t_idx[None, :] - t_idx[:, None] + (t_idx == 0)[:, None]   # [first, year]
    after = t_idx[None, :] >= t_idx[:, None]
    n = rural_income.shape[0]
    monitored, eliminated = np.empty((n, years.size)), np.empty((n, years.size))
    share_exited = np.where(prov.poverty, _EXITED_POPULATION[True], _EXITED_POPULATION[False])
    for lo in range(0, n, chunk):
        block = slice(lo, min(lo + chunk, n))
        mon = np.zeros((block.stop - lo, years.size))
        eli = np.zeros_like(mon)
        elim = np.where(after, elimination_probability(
            duration[None], prov.z[block, None, None]), 0.0)   # county × first × year
        for ex in (0, 1):
            log_mu = -(_SD_HOUSEHOLD**2 + _SD_YEAR**2) / 2 + (_EXITED_GAP if ex else 0.0)
            v = (log_thr[None, :, None] - np.log(rural_income[block])[:, :, None] - log_mu
                 - node_shift[None, None, :])                   # county × year × node
            q = np.stack([np.interp(v[:, t], grid, curves[ex, int(t == 0)])
                          for t in range(years.size)], axis=1)
            survive = np.cumprod(q, axis=1)
            before = np.concatenate([np.ones_like(survive[:, :1]), survive[:, :-1]], axis=1)
            first = before - survive                            # P(first identified in f)
            share = np.where(ex, share_exited, 1 - share_exited)[block, None]
            mon += share * ((1 - survive) @ node_w)
            eli += share * np.einsum("cfn,cft,n->ct", first, elim, node_w)
        monitored[block], eliminated[block] = mon, eli
    return 100 * monitored / persons.sum(), 100 * eliminated / monitored


def _weights(county: np.ndarray, exited: np.ndarray, prov: Province) -> np.ndarray:
    poverty = prov.poverty[county]
    pop_hh = prov.counties["rural_population"].to_numpy()[county] * 1e4 / _HH_SIZE_MEAN
    share = np.where(poverty, _EXITED_POPULATION[True], _EXITED_POPULATION[False])
    counts = np.bincount(county * 2 + exited, minlength=2 * prov.z.size).reshape(-1, 2)
    n_own, n_other = counts[county, exited.astype(int)], counts[county, 1 - exited]
    # A stratum stands for the whole county when the county's other stratum is empty.
    stratum_share = np.where(n_other == 0, 1.0, np.where(exited, share, 1 - share))
    return pop_hh * stratum_share / n_own


def household_panel(prov: Province, rural_income: np.ndarray, years: np.ndarray,
                    n_households: int, rng: np.random.Generator) -> pd.DataFrame:
    """Household × year monitoring panel.

    ``rural_income`` is the county × ``years`` array of county rural income the household
    incomes are drawn around.
    """
    n_years = years.size
    pop = prov.counties["rural_population"].to_numpy()
    county = np.repeat(np.arange(pop.size), rng.multinomial(n_households, pop / pop.sum()))
    n = county.size
    poverty = prov.poverty[county]
    exited = rng.random(n) < np.where(poverty, _EXITED_SAMPLE[True], _EXITED_SAMPLE[False])
    hh_size = 1 + np.minimum(rng.poisson(_HH_SIZE_MEAN - 1, n), _HH_SIZE_MAX - 1)
    n_labour = rng.binomial(hh_size, np.where(exited, 0.5, 0.6))

    shock = np.searchsorted(np.cumsum(_SHOCK_P), rng.random((n, n_years)) * 0.999999).astype(
        np.int8)
    log_mu = (-(_SD_HOUSEHOLD**2 + _SD_YEAR**2) / 2 + np.where(exited, _EXITED_GAP, 0.0)
              + _SIZE_EFFECT * (hh_size - _HH_SIZE_MEAN))
    log_inc = (np.log(rural_income[county]) + (log_mu + _SD_HOUSEHOLD * rng.standard_normal(n))
               [:, None] + _SD_YEAR * rng.standard_normal((n, n_years)) + _SHOCK_EFFECT[shock])
    income_pc = np.exp(log_inc)

    threshold = cal.interpolate_log(cal.MONITORING_THRESHOLD, years)[None, :]
    logit = (_ID_CONST + _ID_INCOME * np.log(threshold / income_pc)
             + _ID_SHOCK * _SEVERE[shock] + _ID_EXITED * exited[:, None])
    logit[:, 0] += _ID_LEGACY
    flagged = rng.random((n, n_years)) < _logistic(logit)
    del logit, log_inc
    first = np.where(flagged.any(axis=1), flagged.argmax(axis=1), n_years)
    duration = np.arange(n_years)[None, :] - first[:, None]
    monitored = duration >= 0
    duration += (first == 0)[:, None]  # the first-year roster dates from the year before
    eliminated = monitored & (rng.random(n)[:, None]
                              < elimination_probability(duration, prov.z[county][:, None]))
    lifted = threshold * (1.05 + 0.5 * rng.random((n, n_years)))
    income_pc = np.where(eliminated, np.maximum(income_pc, lifted), income_pc)

    severe_at_id = _SEVERE[shock[np.arange(n), np.minimum(first, n_years - 1)]]
    category = np.where(exited, 1, np.where(severe_at_id, 3, 2))
    category = np.where(monitored, category[:, None], 0)

    group = np.where(monitored & ~eliminated, 2, np.where(exited, 1, 0)[:, None])
    parts = rng.gamma(_CONCENTRATION * np.array(list(_SHARES.values()))[group])
    del group
    total = income_pc * hh_size[:, None]
    parts *= (total / parts.sum(axis=-1))[..., None]
    loss = rng.random((n, n_years)) < _LOSS_P
    parts[..., 1] = np.where(loss, -0.05 * total * rng.random((n, n_years)), parts[..., 1])
    np.round(parts, out=parts)
    income_pc = np.round(parts.sum(axis=-1) / hh_size[:, None], 2)

    unresolved = (monitored & ~eliminated).ravel()
    status = {name: rng.random(n * n_years) >= p * np.where(unresolved, 10, 1)
              for name, p in _STATUS_FAIL.items()}

    seq = 1 + np.arange(n) - np.repeat(np.searchsorted(county, np.arange(pop.size)),
                                       np.bincount(county, minlength=pop.size))
    hh_codes = pa.array(prov.counties["region_code"].to_numpy(dtype=object)).take(county)
    hh_id = pc.binary_join_element_wise(
        hh_codes, pc.utf8_lpad(pa.array(seq).cast(pa.string()), 6, "0"), "")
    rows = np.repeat(np.arange(n), n_years)
    risk = pd.array(eliminated.ravel(), dtype="boolean")
    risk[~monitored.ravel()] = pd.NA
    return pd.DataFrame({
        "household_id": pd.Series(hh_id.take(rows), dtype="str"),
        "region_code": pd.Series(hh_codes.take(rows), dtype="str"),
        "year": np.tile(years, n).astype("int64"),
        "hh_size": hh_size[rows].astype("int64"),
        "n_labour": n_labour[rows].astype("int64"),
        "income_wage": parts[..., 0].ravel(),
        "income_business": parts[..., 1].ravel(),
        "income_property": parts[..., 2].ravel(),
        "income_transfer": parts[..., 3].ravel(),
        "income_pc": income_pc.ravel(),
        **status,
        "exited_poor": exited[rows],
        "monitor_category": _labels(CATEGORIES, category),
        "shock": _labels(SHOCKS, shock),
        "risk_eliminated": risk,
        "weight": np.round(_weights(county, exited, prov)[rows], 4),
    })
