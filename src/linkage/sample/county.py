"""Simulated counties and county-year indicator panel (模拟县域面板).

See :mod:`linkage.sample` for the model; the numbers it is calibrated to are in
:mod:`linkage.sample.calibration`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkage.sample import calibration as cal
from linkage.sample.names import region_table

__all__ = ["Province", "applicable", "county_panel", "province"]

POVERTY_SHARE = 0.40
KEY_ASSISTANCE_SHARE = 160 / 832
MISSING_SHARE = 0.01


@dataclass(frozen=True)
class Province:
    """Counties table plus the latent arrays the panel and households are drawn from."""

    counties: pd.DataFrame
    z: np.ndarray            # latent development factor, 0 = mean of non-poverty counties
    poverty: np.ndarray      # bool
    exit_year: np.ndarray    # int, 0 for non-poverty counties
    key: np.ndarray          # bool


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Largest-remainder apportionment of ``total`` with at least one per class."""
    k = weights.size
    quota = weights / weights.sum() * (total - k)
    counts = np.floor(quota).astype(int)
    counts[np.argsort(counts - quota)[: total - k - counts.sum()]] += 1
    return counts + 1


def province(n: int, rng: np.random.Generator) -> Province:
    """Draw ``n`` counties: codes, names, poverty status, exit years, key assistance."""
    table = region_table(n, rng)
    raw = rng.standard_normal(n)
    order = np.argsort(raw + 0.5 * rng.standard_normal(n))
    n_poor = max(5, round(POVERTY_SHARE * n))
    poverty = np.zeros(n, dtype=bool)
    poverty[order[:n_poor]] = True
    z = raw - raw[~poverty].mean()

    # Better-off poverty counties exit earlier (national proportions, every year present).
    poor_idx = np.flatnonzero(poverty)
    by_dev = poor_idx[np.argsort(-(z[poor_idx] + 0.5 * rng.standard_normal(n_poor)))]
    years = np.array(list(cal.EXIT_YEAR_COUNTS_NATIONAL))
    counts = _apportion(n_poor, np.array(list(cal.EXIT_YEAR_COUNTS_NATIONAL.values()), float))
    exit_year = np.zeros(n, dtype=int)
    exit_year[by_dev] = np.repeat(years, counts)

    # The least developed poverty counties become key assistance counties in 2021.
    n_key = max(1, round(KEY_ASSISTANCE_SHARE * n_poor))
    key = np.zeros(n, dtype=bool)
    key[by_dev[::-1][:n_key]] = True

    rural_pop = np.round(np.exp(np.log(28) + 0.45 * rng.standard_normal(n) - 0.1 * z), 2)
    counties = table.assign(
        poverty_county=poverty,
        exit_year=pd.array(np.where(poverty, exit_year, 0), dtype="Int64"),
        key_assistance=key,
        key_assistance_year=pd.array(np.where(key, 2021, 0), dtype="Int64"),
        rural_population=rural_pop,
        simulated=True,
    )
    counties.loc[~poverty, "exit_year"] = pd.NA
    counties.loc[~key, "key_assistance_year"] = pd.NA
    return Province(counties, z, poverty, exit_year, key)


def _ar_noise(rng: np.random.Generator, shape: tuple[int, int], sd: float,
              rho: float = 0.6) -> np.ndarray:
    eps = rng.standard_normal(shape) * sd
    out = np.empty(shape)
    out[:, 0] = eps[:, 0]
    for j in range(1, shape[1]):  # loop over years only
        out[:, j] = rho * out[:, j - 1] + np.sqrt(1 - rho**2) * eps[:, j]
    return out


def _calibrated(log_base: np.ndarray, poverty: np.ndarray, target_poor: np.ndarray,
                target_other: np.ndarray) -> np.ndarray:
    """Scale each group-year so that the group mean equals its target exactly."""
    level = np.exp(log_base)
    out = np.empty_like(level)
    for mask, target in ((poverty, target_poor), (~poverty, target_other)):
        if mask.any():
            out[mask] = level[mask] * (target / level[mask].mean(axis=0))
    return out


def incomes(prov: Province, years: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Rural and exited-population income (county × year arrays), calibrated per group-year."""
    n = prov.z.size
    z = prov.z[:, None]
    event = years[None, :] - prov.exit_year[:, None]
    effects = (np.where(prov.poverty[:, None], cal.exit_effect(event), 0.0)
               + np.where(prov.key[:, None], cal.key_assistance_effect(years)[None, :], 0.0))
    log_rural = (0.18 * z + 0.10 * rng.standard_normal((n, 1))
                 + _ar_noise(rng, (n, years.size), 0.03) + effects)
    rural = _calibrated(
        log_rural, prov.poverty, cal.interpolate_log(cal.POVERTY_AREA_INCOME, years),
        cal.NON_POVERTY_INCOME_RATIO * cal.interpolate_log(cal.NATIONAL_RURAL_INCOME, years))
    log_exited = 0.12 * z + 0.10 * rng.standard_normal((n, 1)) + _ar_noise(
        rng, (n, years.size), 0.03)
    exited_target = cal.interpolate_log(cal.EXITED_POP_INCOME_TARGET, years)
    exited = _calibrated(log_exited, prov.poverty, exited_target,
                         cal.NON_POVERTY_EXITED_INCOME_RATIO * exited_target)
    return {"rural_income_pc": rural, "exited_pop_income_pc": exited}


def _forward(spec: cal.IndicatorSpec, v: np.ndarray) -> np.ndarray:
    if spec.transform == "logit":
        p = v / spec.scale
        return np.log(p / (1 - p))
    return np.log(v)


def _inverse(spec: cal.IndicatorSpec, x: np.ndarray) -> np.ndarray:
    if spec.transform == "logit":
        return spec.scale / (1 + np.exp(-x))
    return np.exp(x)


def county_panel(prov: Province, years: np.ndarray,
                 rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """County-year panel with every framework indicator, plus the complete income arrays.

    Rows are sorted by (``region_code``, ``year``); ``MISSING_SHARE`` of the cells of the other
    indicators are blanked at random; the two calibrated income columns are kept complete so
    the calibration holds exactly even in small samples. An indicator that does not apply to
    a county (:func:`applicable`) is empty there.
    """
    n, t = prov.z.size, years.size
    inc = incomes(prov, years, rng)
    ramp = np.clip((years - 2015) / 10, 0, 1)[None, :]
    pov = prov.poverty[:, None]
    gap = prov.z[~prov.poverty].mean() - prov.z[prov.poverty].mean()
    columns: dict[str, np.ndarray] = {}
    for spec in cal.INDICATOR_SPECS:  # loop over indicators only
        if spec.id in inc:
            columns[spec.id] = inc[spec.id]
            continue
        anchors = {y: float(_forward(spec, np.array(v))) for y, v in spec.anchors.items()}
        x = (cal.interpolate_linear(anchors, years)[None, :]
             + spec.loading * prov.z[:, None]
             + pov * (spec.shift + spec.catchup * spec.loading * gap * ramp)
             + spec.county_sd * rng.standard_normal((n, 1))
             + spec.noise_sd * rng.standard_normal((n, t)))
        if spec.id == "link_funds_pc":
            x = x + np.where(prov.key[:, None] & (years >= 2021)[None, :],
                             cal.KEY_ASSISTANCE_FUNDS_EFFECT, 0.0)
        value = _inverse(spec, x)
        if spec.id == "rural_consumption_pc":
            value = inc["rural_income_pc"] * value / 100
        columns[spec.id] = value
    frame = pd.DataFrame({
        "region_code": np.repeat(prov.counties["region_code"].to_numpy(), t),
        "year": np.tile(years, n).astype("int64"),
    })
    values = np.column_stack([columns[s.id].ravel() for s in cal.INDICATOR_SPECS])
    values = np.column_stack([
        np.round(values[:, j], s.decimals) for j, s in enumerate(cal.INDICATOR_SPECS)])
    blank = rng.random(values.shape) < MISSING_SHARE
    blank[:, [j for j, s in enumerate(cal.INDICATOR_SPECS) if s.id in inc]] = False
    values[blank] = np.nan
    values[~applicable(prov, [s.id for s in cal.INDICATOR_SPECS], t)] = np.nan
    data = pd.DataFrame(values, columns=[s.id for s in cal.INDICATOR_SPECS])
    return pd.concat([frame, data], axis=1), inc


def applicable(prov: Province, ids: list[str], years: int) -> np.ndarray:
    """Where each indicator applies, county-year rows × ``ids`` (不适用 = False).

    From the ``eligible`` rules of the default framework: an indicator with a rule (e.g.
    ``east_west_funds_pc``: ``poverty_county``, 东西部协作 funds go to former poverty counties
    only) applies in the counties whose attribute is true and is left empty (not applicable,
    not a missing report) in the others, as real data would have it.
    """
    from linkage.frameworks import load_framework

    rules = load_framework().indicator_table()["eligible"]
    out = np.ones((len(prov.counties) * years, len(ids)), dtype=bool)
    for j, indicator in enumerate(ids):
        attribute = rules.get(indicator, "")
        if attribute:
            out[:, j] = np.repeat(prov.counties[attribute].to_numpy(dtype=bool), years)
    return out
