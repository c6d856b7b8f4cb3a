"""Calibration targets and true parameters of the simulated province (模拟数据校准参数).

Everything the sample generator is calibrated to, and every "true" effect it embeds, lives
here as data, with its source. Real figures are copied from the sourced reference tables in
``data/raw/reference/`` (see their ``SOURCES.md``); figures marked *assumption* are ours and
are documented as such in ``data/raw/sample/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "EXITED_POP_INCOME_TARGET",
    "EXIT_EFFECT_LEVEL",
    "EXIT_EFFECT_SLOPE",
    "EXIT_YEAR_COUNTS_NATIONAL",
    "INDICATOR_SPECS",
    "KEY_ASSISTANCE_EFFECT",
    "KEY_ASSISTANCE_FUNDS_EFFECT",
    "MONITORING_THRESHOLD",
    "NATIONAL_RURAL_INCOME",
    "NON_POVERTY_EXITED_INCOME_RATIO",
    "NON_POVERTY_INCOME_RATIO",
    "POVERTY_AREA_INCOME",
    "RISK_ELIMINATED_TARGETS",
    "TRANSFER_SHARE_NATIONAL_RURAL_2023",
    "IndicatorSpec",
    "exit_effect",
    "interpolate_linear",
    "interpolate_log",
    "key_assistance_effect",
]

#: 贫困地区 (2013, 2016–2020) and 脱贫县 (2021–2024) rural per-capita disposable income, yuan.
#: Source: data/raw/reference/income_poverty_areas.csv (NBS, white paper, 国新办).
POVERTY_AREA_INCOME: dict[int, float] = {
    2013: 6079, 2016: 8452, 2017: 9377, 2018: 10371, 2019: 11567, 2020: 12588,
    2021: 14051, 2022: 15111, 2023: 16396, 2024: 17522,
}

#: National rural per-capita disposable income, yuan (income_national_urban_rural.csv, NBS).
NATIONAL_RURAL_INCOME: dict[int, float] = {
    2015: 11422, 2016: 12363, 2017: 13432, 2018: 14617, 2019: 16021, 2020: 17131,
    2021: 18931, 2022: 20133, 2023: 21691, 2024: 23119, 2025: 24456,
}

#: *Assumption*: the simulated province's non-poverty counties sit at the national rural mean.
NON_POVERTY_INCOME_RATIO = 1.00

#: 建档立卡贫困人口 / 脱贫人口 per-capita net income, yuan: 2015, 2020, 2022 real (新华社,
#: 国新办 2023-02-14); 2023–2025 *assumption*: +8 % a year after 2022.
EXITED_POP_INCOME_TARGET: dict[int, float] = {
    2015: 2982, 2020: 10740, 2022: 14342, 2023: 15489, 2024: 16728, 2025: 18067,
}
#: *Assumption*: 脱贫人口 in non-poverty counties earn 10 % more than those in poverty counties.
NON_POVERTY_EXITED_INCOME_RATIO = 1.10

#: National rural income composition 2023 (income_composition_2023.csv): 转移净收入 4557 of 21691.
TRANSFER_SHARE_NATIONAL_RURAL_2023 = 4557 / 21691 * 100

#: Poverty counties exiting per year, national (poverty_county_exit.csv); the simulated exit
#: years are apportioned in these proportions, every year 2016–2020 getting at least one county.
EXIT_YEAR_COUNTS_NATIONAL: dict[int, int] = {2016: 28, 2017: 125, 2018: 283, 2019: 344, 2020: 52}

#: *Assumption*: monitoring income threshold (防止返贫监测收入标准), yuan per person per year.
#: National thresholds were not published in our reference; we anchor at the 6600 yuan quoted
#: for 2022 (孙晗霖 et al. 2023) and move it with the national rural income
#: (6600 × rural_t / rural_2022), rounded to 10 yuan; after 2025 it grows 5 % a year.
MONITORING_THRESHOLD: dict[int, float] = {
    2021: 6210, 2022: 6600, 2023: 7110, 2024: 7580, 2025: 8020,
}

#: Share (%) of monitored households whose risk is eliminated
#: (monitoring_prevent_return_national.csv):
#: 65.7 % (2022-11, 中西部) and 60.4 % (2024-06, cumulative).
RISK_ELIMINATED_TARGETS: dict[int, float] = {2022: 65.7, 2024: 60.4}

#: True effect of 国家乡村振兴重点帮扶县 designation (2021) on log rural_income_pc:
#: +1.5 log points of extra growth per year from 2021 (0.015 × (year − 2020)).
KEY_ASSISTANCE_EFFECT = 0.015
#: True effect of poverty-county exit on log rural_income_pc at event time e = year − exit_year ≥ 0.
EXIT_EFFECT_LEVEL = 0.02
EXIT_EFFECT_SLOPE = 0.01
#: True effect of key-assistance designation on log link_funds_pc (倾斜支持), from 2021.
KEY_ASSISTANCE_FUNDS_EFFECT = 0.40


def exit_effect(event_time: np.ndarray) -> np.ndarray:
    """Effect of exit (摘帽) on log rural income: ``0.02 + 0.01·e`` for ``e ≥ 0``, else 0."""
    e = np.asarray(event_time, dtype=float)
    return np.where(e >= 0, EXIT_EFFECT_LEVEL + EXIT_EFFECT_SLOPE * np.maximum(e, 0), 0.0)


def key_assistance_effect(years: np.ndarray) -> np.ndarray:
    """Effect of 2021 designation on log rural income: ``0.015·(year − 2020)`` from 2021."""
    y = np.asarray(years, dtype=float)
    return np.where(y >= 2021, KEY_ASSISTANCE_EFFECT * (y - 2020), 0.0)


def interpolate_log(anchors: dict[int, float], years: np.ndarray) -> np.ndarray:
    """Log-linear interpolation of ``anchors`` at ``years``; linear extrapolation of the logs
    beyond the first/last two anchors (constant growth rate)."""
    return np.exp(interpolate_linear({k: np.log(v) for k, v in anchors.items()}, years))


def interpolate_linear(anchors: dict[int, float], years: np.ndarray) -> np.ndarray:
    """Linear interpolation with linear extrapolation at both ends."""
    xs = np.array(sorted(anchors), dtype=float)
    ys = np.array([anchors[int(x)] for x in xs], dtype=float)
    t = np.asarray(years, dtype=float)
    out = np.interp(t, xs, ys)
    lo_slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
    hi_slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    out = np.where(t < xs[0], ys[0] + lo_slope * (t - xs[0]), out)
    return np.where(t > xs[-1], ys[-1] + hi_slope * (t - xs[-1]), out)


@dataclass(frozen=True)
class IndicatorSpec:
    """How one county indicator is simulated.

    On a transformed scale (``logit`` of value/``scale``, i.e. /100 for %, /1000 for ‰;
    ``log`` otherwise) a
    county's value is ``T(anchor_t) + loading·z + poverty·(shift + catch-up_t) + u + e``: the
    anchors describe the average non-poverty county, ``z`` is the county's latent development
    factor (standardised, 0 = average non-poverty county), poverty counties close
    ``catchup`` of their initial gap by 2025, ``u`` is an indicator-specific county effect
    (sd ``county_sd``) and ``e`` year noise (sd ``noise_sd``).
    """

    id: str
    unit: str
    transform: str
    anchors: dict[int, float]
    loading: float
    shift: float = 0.0
    catchup: float = 0.4
    county_sd: float = 0.2
    noise_sd: float = 0.05
    decimals: int = 2
    scale: float = 100.0


def _pct(id_: str, anchors: dict[int, float], loading: float, **kw: float) -> IndicatorSpec:
    return IndicatorSpec(id_, "%", "logit", anchors, loading, **kw)


def _pos(id_: str, unit: str, anchors: dict[int, float], loading: float,
         **kw: float) -> IndicatorSpec:
    return IndicatorSpec(id_, unit, "log", anchors, loading, **kw)


#: Every indicator of the default framework, in framework order. ``rural_income_pc``,
#: ``exited_pop_income_pc`` and ``rural_consumption_pc`` are produced by the income model;
#: their specs here only carry unit and rounding (and, for consumption, the propensity).
INDICATOR_SPECS: tuple[IndicatorSpec, ...] = (
    _pos("rural_income_pc", "元", {2015: 1, 2025: 1}, 0.0, decimals=0),
    _pos("exited_pop_income_pc", "元", {2015: 1, 2025: 1}, 0.0, decimals=0),
    _pct("exited_labour_migrant_share", {2015: 55, 2025: 68}, 0.12),
    _pct("wage_income_share", {2015: 39, 2025: 43}, 0.15, county_sd=0.08, noise_sd=0.03),
    # monitored_share and risk_eliminated_rate: from the first household year (2021) the
    # population values of the household model (linkage.sample.households.expected_monitoring);
    # the specs give the years before, anchored to meet the model in 2021.
    _pct("monitored_share", {2015: 2.6, 2020: 2.2}, -0.35, shift=0.43),
    _pct("risk_eliminated_rate", {2015: 40, 2020: 50, 2022: 65, 2025: 68}, 0.12),
    IndicatorSpec("return_to_poverty_rate", "‰", "logit",
                  {2015: 15, 2016: 12, 2017: 3, 2018: 0.5, 2019: 0.05, 2020: 0.03, 2025: 0.02},
                  -0.3, shift=0.3, decimals=4, scale=1000.0),
    _pos("identification_days", "天", {2015: 45, 2020: 25, 2022: 15, 2025: 12}, -0.1,
         decimals=1),
    _pct("tap_water_rate", {2015: 76, 2020: 85, 2025: 93}, 0.5),
    _pct("housing_safety_rate", {2015: 90, 2020: 99.5, 2025: 99.7}, 0.4),
    _pct("medical_insurance_rate", {2015: 95, 2020: 99.2, 2025: 99.5}, 0.2),
    _pct("compulsory_edu_retention", {2015: 93, 2025: 96}, 0.3),
    _pct("relocated_employment_rate", {2015: 80, 2025: 95}, 0.2),
    _pct("relocation_site_service_rate", {2015: 70, 2025: 95}, 0.3),
    _pct("transfer_income_share", {2015: 18.5, 2023: 21, 2025: 21.3}, -0.12, shift=0.15,
         county_sd=0.08, noise_sd=0.03),
    _pct("public_welfare_post_share", {2015: 2, 2020: 9, 2025: 10}, -0.3),
    _pct("specialty_output_share", {2015: 30, 2025: 50}, 0.2),
    _pos("agro_processing_ratio", "比值", {2015: 1.8, 2025: 2.5}, 0.2, decimals=3),
    _pos("rural_tourism_visits_pc", "人次/人", {2015: 3, 2019: 5, 2020: 3.5, 2025: 6}, 0.3,
         county_sd=0.3),
    _pos("new_agri_entities_per_10k", "个/万人", {2015: 15, 2025: 40}, 0.3),
    _pct("local_employment_share", {2015: 30, 2025: 40}, 0.2),
    _pos("workshops_per_10k", "个/万人", {2015: 0.5, 2020: 1.3, 2025: 1.5}, -0.1, shift=0.3,
         decimals=3),
    _pct("skills_training_rate", {2015: 15, 2025: 30}, 0.2),
    _pct("asset_operating_rate", {2015: 85, 2025: 95}, 0.3),
    _pos("collective_income_per_village", "万元/村", {2015: 3, 2025: 15}, 0.5),
    _pos("east_west_funds_pc", "元/人", {2015: 5, 2025: 10}, -0.2, shift=2.0, catchup=0.0,
         county_sd=0.3),
    _pos("stationed_cadres_per_village", "人/村", {2015: 1.0, 2025: 1.8}, -0.2, shift=0.3,
         catchup=0.0),
    _pos("link_funds_pc", "元/人", {2015: 200, 2025: 400}, -0.2, shift=1.0, catchup=0.0,
         decimals=1),
    _pos("paired_assistance_funds_pc", "元/人", {2015: 20, 2025: 50}, -0.2, shift=1.2,
         catchup=0.0, county_sd=0.3, decimals=1),
    _pct("secretary_director_share", {2015: 30, 2018: 40, 2021: 90, 2025: 95}, 0.1),
    _pct("village_cadre_college_share", {2015: 10, 2021: 35, 2025: 46}, 0.3),
    _pct("village_plan_coverage", {2015: 20, 2025: 90}, 0.4),
    _pct("targeted_measure_rate", {2015: 85, 2025: 99}, 0.2),
    _pos("enterprise_assistance_per_village", "个/村", {2015: 0.2, 2025: 0.8}, 0.2, shift=0.3,
         catchup=0.0, decimals=3),
    _pct("coop_membership_rate", {2015: 30, 2025: 50}, 0.2),
    _pos("social_donation_pc", "元/人", {2015: 10, 2025: 25}, 0.2, shift=0.5, catchup=0.0,
         county_sd=0.3, decimals=1),
    _pos("agri_labour_productivity", "万元/人", {2015: 2.5, 2025: 5.0}, 0.4, decimals=3),
    _pos("grain_output_pc", "千克/人", {2015: 480, 2025: 500}, 0.2, county_sd=0.35,
         noise_sd=0.04, decimals=1),
    _pct("mechanization_rate", {2015: 62, 2025: 75}, 0.5),
    _pct("non_agri_value_share", {2015: 78, 2025: 84}, 0.5),
    _pct("sanitary_toilet_rate", {2015: 55, 2021: 70, 2025: 78}, 0.5),
    _pct("garbage_treated_village_share", {2015: 50, 2025: 92}, 0.4),
    _pct("manure_utilization_rate", {2015: 60, 2025: 80}, 0.2),
    _pct("forest_cover", {2015: 40, 2025: 44}, -0.2, county_sd=0.8, noise_sd=0.01,
         catchup=0.0),
    _pos("fertilizer_intensity", "千克/公顷", {2015: 360, 2025: 300}, 0.1, county_sd=0.2,
         noise_sd=0.03, decimals=1),
    _pct("culture_center_coverage", {2015: 40, 2025: 95}, 0.3),
    _pct("civilized_village_share", {2015: 30, 2025: 55}, 0.3),
    _pct("teacher_degree_share", {2015: 40, 2025: 70}, 0.4),
    _pct("edu_culture_spending_share", {2015: 10.5, 2019: 11.0, 2020: 9.5, 2025: 10.5}, 0.1,
         county_sd=0.08, noise_sd=0.03),
    _pct("village_rules_share", {2015: 85, 2025: 99}, 0.2),
    _pct("service_station_share", {2015: 50, 2025: 90}, 0.3),
    _pct("strong_collective_share", {2015: 5, 2025: 20}, 0.5),
    _pct("engel_coefficient", {2015: 33, 2025: 30.5}, -0.15, county_sd=0.05, noise_sd=0.02),
    _pos("urban_rural_income_ratio", "比值", {2015: 2.5, 2025: 2.15}, -0.1, shift=0.1,
         county_sd=0.05, noise_sd=0.02, decimals=3),
    _pct("paved_road_village_share", {2015: 85, 2019: 99.5, 2025: 99.8}, 0.3),
    # rural_consumption_pc = rural_income_pc × propensity; the spec is the propensity in %
    # (national rural 2015: 9223/11422 ≈ 81 %; 2024: 19280/23119 ≈ 83 %; 脱贫县 2021 ≈ 88 %).
    IndicatorSpec("rural_consumption_pc", "元", "logit", {2015: 80.5, 2025: 83}, -0.05,
                  shift=0.3, catchup=0.0, county_sd=0.1, noise_sd=0.03, decimals=0),
)
