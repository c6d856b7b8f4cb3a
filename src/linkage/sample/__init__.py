"""Simulated sample province (模拟数据 — 不代表任何真实地区).

A seeded, documented generator of a simulated province for teaching, testing and benchmarks:
counties with GB/T 2260-style codes (province prefix ``99``, which no real province has) and
plausible Chinese names; a county-year panel 2015–2025 with every indicator of the default
framework; and a household monitoring panel 2021–2025 (防止返贫动态监测). The bundled copy is
in ``data/raw/sample/`` (see its README.md); the same seed always gives the same data.

Model
-----
*Counties.* Each county has a latent development factor ``z`` (standard normal; shifted so
that 0 is the mean of non-poverty counties). The 40 % least developed (``z`` plus noise) are
former national poverty counties (原国家贫困县). Their exit years 2016–2020 are apportioned in
the national proportions (28/125/283/344/52 of 832), every year getting at least one county,
the better-off exiting first. The least developed 160/832 of them are key assistance counties
(国家乡村振兴重点帮扶县), designated in 2021. Rural population (万人) is log-normal.

*Rural income* (``rural_income_pc``) is ``exp(0.18·z + u + e_t + effects)`` with a county
effect ``u`` (sd 0.10), AR(1) year noise ``e`` (sd 0.03, ρ 0.6) and the true policy effects
below, rescaled per group and year so that the mean of the former poverty counties equals the
national 贫困地区/脱贫县 series (2013, 2016–2024, log-linear between and beyond) and the mean of
the other counties equals the national rural series × 1.00 (assumption). The rescaling factor
is common to all counties of a group in a year, so comparisons *within* the former poverty
counties (key-assistance vs other; exit cohorts against not-yet-exited) recover the true
effects; non-poverty counties follow a different (slower) trend and are not valid controls.
``exited_pop_income_pc`` is calibrated the same way to the 建档立卡/脱贫人口 income series.

*Other indicators* follow :class:`linkage.sample.calibration.IndicatorSpec`: on a logit (%,
‰) or log scale, a year path through documented anchors for the average non-poverty county,
plus ``loading·z`` (so all indicators correlate through ``z``), a poverty-county shift and
catch-up (40 % of the initial gap closed by 2025 unless stated), an indicator-specific county
effect and year noise. Percentages therefore stay within (0, 100). About 1 % of indicator
cells are blanked at random so missing-value reports have something to show (not the two
calibrated income columns, which stay complete so calibration holds exactly). An indicator
whose framework ``eligible`` rule excludes a county is empty there — not applicable (不适用),
not missing: 东西部协作 funds (``east_west_funds_pc``) go to former poverty counties only.

*Households.* Households are allocated to counties in proportion to rural population;
脱贫户 are over-sampled (40 % in former poverty counties, 10 % elsewhere, against 20 % and 4 %
in the population) and survey weights undo this. Per-capita income is log-normal around the
county's rural income (household effect sd 0.45, year noise sd 0.20, 脱贫户 −0.30, −5 % per
household member above the mean size of 3.1 — an assumption that makes rates per person exceed
rates per household, as in survey data — and shocks illness/disability/disaster/accident/
unemployment lower it). Households are identified as monitoring objects with a probability
rising as income falls below the yearly monitoring threshold (an assumption: 6600 yuan in 2022
moved with the national rural income) and after severe shocks; once identified they stay on the
roster, with risk eliminated with cumulative probability ``M_c·(1 − 0.45^(d+1))`` after ``d``
years, the county ceiling ``M_c = logistic(logit(0.80) + 0.30·z)`` (income then lifted above
the threshold).

*County and household monitoring agree.* From 2021 (the first household year) the county
panel's ``monitored_share`` and ``risk_eliminated_rate`` are the *population* values of the
household model in each county (:func:`linkage.sample.households.expected_monitoring`: the same
rules integrated over households instead of drawn), so the household sample's weighted person
estimates are unbiased for them (``metadata["calibration"]["monitoring_consistency"]``);
earlier years follow the indicator specs, anchored to meet 2021. ``return_to_poverty_rate``
(返贫致贫人口占脱贫人口比重, ‰) is a different measure: persons *registered* as returned to or
newly fallen into poverty, near 0 since 2019 as nationally, while the households record *risk*
(income below the monitoring threshold, identification) — several per cent a year.

True policy effects (for the DID/event-study notebooks), on log ``rural_income_pc``:
key assistance designation (2021): ``+0.015·(year − 2020)`` from 2021 (1.5 pp extra growth a
year); exit (摘帽): ``0.02 + 0.01·e`` at event time ``e = year − exit_year ≥ 0``; key
assistance raises log ``link_funds_pc`` by 0.40 from 2021.

Examples
--------
>>> s = generate_sample(counties=30, households=300)
>>> s.counties["region_code"].str.startswith("99").all()
np.True_
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linkage.atomic import atomic_path, atomic_write_text
from linkage.errors import InputError
from linkage.labels import Language, is_zh
from linkage.paths import data_processed, sample_dir
from linkage.provenance import file_sha256, provenance_record
from linkage.sample import calibration as cal
from linkage.sample.county import Province, county_panel, province
from linkage.sample.households import expected_monitoring, household_panel
from linkage.sample.names import MAX_COUNTIES

__all__ = ["GENERATOR_VERSION", "SAMPLE_FILES", "Sample", "generate_sample", "load_sample",
           "write_sample"]

GENERATOR_VERSION = "1.2"
LABEL = "模拟数据"
NOTICE = "模拟数据 — 不代表任何真实地区 (simulated data — represents no real region)"
SAMPLE_FILES = {
    "counties": "counties.csv",
    "panel": "county_panel.csv",
    "households": "households.parquet",
    "metadata": "metadata.json",
}
_HOUSEHOLD_FIRST_YEAR = 2021

_COUNTY_DTYPES = {
    "region_code": "str", "region_name": "str", "prefecture_code": "str",
    "prefecture_name": "str", "poverty_county": "bool", "exit_year": "Int64",
    "key_assistance": "bool", "key_assistance_year": "Int64", "rural_population": "float64",
    "simulated": "bool",
}
_HOUSEHOLD_DTYPES = {
    "household_id": "str", "region_code": "str", "year": "int64", "hh_size": "int64",
    "n_labour": "int64", "income_wage": "float64", "income_business": "float64",
    "income_property": "float64", "income_transfer": "float64", "income_pc": "float64",
    "food_clothing_ok": "bool", "compulsory_edu_ok": "bool", "basic_medical_ok": "bool",
    "housing_safe_ok": "bool", "drinking_water_ok": "bool", "exited_poor": "bool",
    "monitor_category": "str", "shock": "str", "risk_eliminated": "boolean",
    "weight": "float64",
}


def _panel_dtypes(columns: pd.Index) -> dict[str, str]:
    return {c: ("str" if c == "region_code" else "int64" if c == "year" else "float64")
            for c in columns}


@dataclass(frozen=True)
class Sample:
    """模拟省份样本: counties, county-year panel, household monitoring panel and metadata.

    Attributes
    ----------
    counties : pandas.DataFrame
        One row per county (columns as in docs/architecture.md "Data kinds").
    panel : pandas.DataFrame
        County-year panel: ``region_code, year`` + one column per framework indicator.
    households : pandas.DataFrame
        Household-year monitoring panel, key (``household_id``, ``year``).
    metadata : dict
        Seed, parameters, calibration targets and achieved values, true policy effects,
        ``"simulated": True`` and ``"label": "模拟数据"``.
    """

    counties: pd.DataFrame
    panel: pd.DataFrame
    households: pd.DataFrame
    metadata: dict[str, Any] = field(repr=False)

    def summary(self, language: Language = "zh") -> str:
        """Sizes, groups, calibration achieved and true effects, one line each, in
        ``language``."""
        c, m = self.counties, self.metadata
        years = self.panel["year"]
        hh_years = self.households["year"]
        inc = m["calibration"]["rural_income_pc_poverty_counties"]
        worst = max(abs(v) for v in inc["deviation_pct"].values())
        risk = m["calibration"]["risk_eliminated_share"]["achieved"]
        n_poor, n_key = int(c["poverty_county"].sum()), int(c["key_assistance"].sum())
        missing = self.panel.iloc[:, 2:].isna().to_numpy().mean()
        n_hh = self.households["household_id"].nunique()
        if is_zh(language):
            lines = [
                NOTICE,
                f"随机种子 seed = {m['seed']}，生成器版本 {m['generator_version']}",
                f"县(市、区) {len(c)} 个，其中原国家贫困县 {n_poor} 个（摘帽年份 2016–2020），"
                f"国家乡村振兴重点帮扶县 {n_key} 个（2021 年确定）",
                f"县域面板 {years.min()}–{years.max()} 年，{len(self.panel)} 行 × "
                f"{self.panel.shape[1] - 2} 个指标，缺失值 {missing:.1%}",
                f"农户监测面板 {n_hh} 户 × {hh_years.nunique()} 年（{hh_years.min()}–"
                f"{hh_years.max()}），{len(self.households)} 行",
                "校准：原贫困县农村居民人均可支配收入与全国脱贫县/贫困地区序列最大偏差 "
                f"{worst:.2f}%",
                "校准：监测对象风险消除占比 "
                + "，".join(f"{y} 年 {v:.1f}%" for y, v in risk.items()),
                "真实政策效应（对数农村居民收入）：重点帮扶县 2021 年起每年 +1.5 个百分点增速；"
                "摘帽当年 +2%，此后每年再 +1 个百分点",
            ]
        else:
            lines = [
                NOTICE,
                f"seed = {m['seed']}, generator version {m['generator_version']}",
                f"{len(c)} counties: {n_poor} former national poverty counties (exits "
                f"2016–2020), {n_key} key assistance counties (designated 2021)",
                f"County panel {years.min()}–{years.max()}: {len(self.panel)} rows × "
                f"{self.panel.shape[1] - 2} indicators, {missing:.1%} missing",
                f"Household monitoring panel: {n_hh} households × {hh_years.nunique()} years "
                f"({hh_years.min()}–{hh_years.max()}), {len(self.households)} rows",
                f"Calibration: former poverty counties' rural income within {worst:.2f}% of the "
                "national poverty-area series",
                "Calibration: monitored households with risk eliminated "
                + ", ".join(f"{y} {v:.1f}%" for y, v in risk.items()),
                "True effects on log rural income: key assistance +1.5 pp growth a year from "
                "2021; exit +2 % in the exit year, +1 pp each further year",
            ]
        return "\n".join(lines)


def _check_int(name: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not lo <= value <= hi:
        raise InputError(f"参数 {name} = {value!r} 不在允许范围 {lo}–{hi} / "
                         f"{name} must be an integer in {lo}..{hi}",
                         column=name, hint=f"请给出 {lo} 到 {hi} 之间的整数")
    return int(value)


def _weighted_share(flag: pd.Series, weight: pd.Series, by: pd.Series) -> pd.Series:
    return (flag * weight).groupby(by).sum() / weight.groupby(by).sum() * 100


def _monitoring_consistency(counties: pd.DataFrame, panel: pd.DataFrame,
                            households: pd.DataFrame) -> dict[str, Any]:
    """Province-wide monitoring figures from the county panel and from the household sample,
    by household year: the same quantities, population values against survey estimates."""
    years = np.sort(households["year"].unique())
    pop = panel["region_code"].map(counties.set_index("region_code")["rural_population"])
    part = panel.assign(pop=pop)[panel["year"].isin(years)]
    share = part.dropna(subset=["monitored_share"])
    panel_share = (share["monitored_share"] * share["pop"]).groupby(share["year"]).sum() \
        / share["pop"].groupby(share["year"]).sum()
    rate = part.dropna(subset=["monitored_share", "risk_eliminated_rate"])
    on_roster = rate["monitored_share"] * rate["pop"]
    panel_rate = (rate["risk_eliminated_rate"] * on_roster).groupby(rate["year"]).sum() \
        / on_roster.groupby(rate["year"]).sum()
    persons = households["weight"] * households["hh_size"]
    monitored = (households["monitor_category"] != "非监测对象") * persons
    eliminated = monitored * households["risk_eliminated"].fillna(False).astype(bool)
    by = households["year"]
    hh_share = monitored.groupby(by).sum() / persons.groupby(by).sum() * 100
    hh_rate = eliminated.groupby(by).sum() / monitored.groupby(by).sum() * 100

    def block(county: pd.Series, sample: pd.Series) -> dict[str, dict[str, float]]:
        return {"county_panel_population": {str(y): round(float(county[y]), 2) for y in years},
                "households_survey_estimate": {str(y): round(float(sample[y]), 2)
                                               for y in years}}

    return {
        "definition": "From the first household year the county panel's monitored_share "
                      "(persons on the roster / rural persons, %) and risk_eliminated_rate "
                      "(monitored persons with risk eliminated, %) are the population values of "
                      "the household model in each county; the household sample's weighted "
                      "person estimates are unbiased for them. Province figures: counties "
                      "weighted by rural population (and by monitored persons for the rate).",
        "monitored_share_pct": block(panel_share, hh_share),
        "risk_eliminated_rate_pct": block(panel_rate, hh_rate),
        "return_to_poverty_rate": "not derived from the households: the county indicator counts "
                                  "persons registered as having returned to or fallen into "
                                  "poverty (返贫致贫人口, per 1000 exited persons; near 0 since "
                                  "2019, as nationally), an event the monitoring exists to "
                                  "prevent; the households record risk (income below the "
                                  "monitoring threshold, identification), which is far more "
                                  "common. The two are different measures.",
    }


def _metadata(counties: pd.DataFrame, panel: pd.DataFrame, households: pd.DataFrame,
              params: dict[str, int]) -> dict[str, Any]:
    years = np.sort(panel["year"].unique())
    poor = panel["region_code"].isin(counties.loc[counties["poverty_county"], "region_code"])
    by_group = panel.groupby([poor, panel["year"]])["rural_income_pc"].mean()
    target_poor = dict(zip(years, cal.interpolate_log(cal.POVERTY_AREA_INCOME, years),
                           strict=True))
    target_other = dict(zip(years, cal.NON_POVERTY_INCOME_RATIO * cal.interpolate_log(
        cal.NATIONAL_RURAL_INCOME, years), strict=True))

    def income_block(is_poor: bool, target: dict, observed: dict, source: str) -> dict:
        achieved = by_group.loc[is_poor]
        return {
            "source": source,
            "target": {str(y): round(float(target[y]), 1) for y in years},
            "target_observed_years": [int(y) for y in years if int(y) in observed],
            "achieved": {str(y): round(float(achieved[y]), 1) for y in years},
            "deviation_pct": {str(y): round(float(achieved[y] / target[y] - 1) * 100, 3) + 0.0
                              for y in years},
            "tolerance_pct": 5.0,
        }

    monitored = households["monitor_category"] != "非监测对象"
    mon = households[monitored]
    risk = _weighted_share(mon["risk_eliminated"].astype(bool), mon["weight"], mon["year"])
    total = households[["income_wage", "income_business", "income_property",
                        "income_transfer"]].sum(axis=1)
    transfer_share = (households["income_transfer"].groupby(households["exited_poor"]).sum()
                      / total.groupby(households["exited_poor"]).sum() * 100)
    consistency = _monitoring_consistency(counties, panel, households)
    panel_2023 = panel.loc[panel["year"] == 2023]
    exit_counts = counties["exit_year"].value_counts().sort_index()
    meta = {
        "label": LABEL,
        "simulated": True,
        "notice": NOTICE,
        "generator": "linkage.sample.generate_sample",
        "generator_version": GENERATOR_VERSION,
        "seed": params["seed"],
        "parameters": params,
        "region_code_prefix": "99",
        "calibration": {
            "rural_income_pc_poverty_counties": income_block(
                True, target_poor, cal.POVERTY_AREA_INCOME,
                "income_poverty_areas.csv: 贫困地区 2013, 2016–2020; 脱贫县 2021–2024"),
            "rural_income_pc_non_poverty_counties": income_block(
                False, target_other, cal.NATIONAL_RURAL_INCOME,
                "income_national_urban_rural.csv: 全国农村居民人均可支配收入 × "
                f"{cal.NON_POVERTY_INCOME_RATIO:.2f} (assumption)"),
            "transfer_income_share": {
                "target_national_rural_2023_pct": round(cal.TRANSFER_SHARE_NATIONAL_RURAL_2023, 2),
                "source": "income_composition_2023.csv: 转移净收入 4557 / 21691",
                "achieved_panel_2023_mean_pct": {
                    "poverty_counties": round(float(
                        panel_2023.loc[poor, "transfer_income_share"].mean()), 2),
                    "other_counties": round(float(
                        panel_2023.loc[~poor, "transfer_income_share"].mean()), 2),
                },
                "achieved_households_pct": {
                    "exited_poor": round(float(transfer_share.get(True, np.nan)), 2),
                    "other": round(float(transfer_share.get(False, np.nan)), 2),
                },
            },
            "risk_eliminated_share": {
                "target_pct": {str(y): v for y, v in cal.RISK_ELIMINATED_TARGETS.items()},
                "source": "monitoring_prevent_return_national.csv (2022-11: 65.7 %, "
                          "2024-06: 60.4 %)",
                "achieved": {str(y): round(float(v), 2) for y, v in risk.items()},
                "definition": "weighted share of monitored households (roster) with risk "
                              "eliminated, by year",
            },
            "monitoring_consistency": consistency,
            "exit_years": {
                "national_counts": {str(y): v for y, v in cal.EXIT_YEAR_COUNTS_NATIONAL.items()},
                "simulated_counts": {str(y): int(v) for y, v in exit_counts.items()},
            },
        },
        "monitoring_threshold_yuan": {
            str(y): round(float(v))
            for y, v in zip(np.sort(households["year"].unique()), cal.interpolate_log(
                cal.MONITORING_THRESHOLD, np.sort(households["year"].unique())), strict=True)},
        "monitoring_threshold_note": "assumption: 6600 yuan in 2022 (孙晗霖 et al. 2023) moved "
                                     "with the national rural income",
        "true_effects": {
            "key_assistance_on_log_rural_income_pc": {
                "formula": "0.015 * (year - 2020) for year >= 2021, key assistance counties",
                "per_year_growth": cal.KEY_ASSISTANCE_EFFECT,
                "by_year": {str(y): round(float(v), 4) for y, v in zip(
                    years, cal.key_assistance_effect(years), strict=True) if y >= 2021},
                "valid_controls": "former poverty counties not designated",
            },
            "exit_on_log_rural_income_pc": {
                "formula": "0.02 + 0.01 * e for event time e = year - exit_year >= 0",
                "level": cal.EXIT_EFFECT_LEVEL,
                "slope_per_year": cal.EXIT_EFFECT_SLOPE,
                "by_event_time": {str(e): round(float(cal.exit_effect(np.array(e))), 4)
                                  for e in range(0, 10)},
                "valid_controls": "not-yet-exited former poverty counties",
            },
            "key_assistance_on_log_link_funds_pc": {
                "formula": "0.40 for year >= 2021, key assistance counties",
                "effect": cal.KEY_ASSISTANCE_FUNDS_EFFECT,
            },
        },
        "indicators": {s.id: s.unit for s in cal.INDICATOR_SPECS},
        "not_applicable": {
            "rules": _eligibility_rules(),
            "note": "an indicator with a rule is empty (不适用, not applicable) in the counties "
                    "whose attribute is false — e.g. 东西部协作 funds go to former poverty "
                    "counties only; an empty cell there is not a missing report",
        },
    }
    return json.loads(json.dumps(meta, ensure_ascii=False))


def _eligibility_rules() -> dict[str, str]:
    """Indicator → county attribute of the default framework's ``eligible`` rules."""
    from linkage.frameworks import load_framework

    rules = load_framework().indicator_table()["eligible"]
    return {str(i): str(a) for i, a in rules.items() if a}


#: County panel indicators that the household model determines from the first household year.
MONITORING_INDICATORS = {"monitored_share": 0, "risk_eliminated_rate": 1}


def _with_monitoring(panel: pd.DataFrame, prov: Province, income: np.ndarray,
                     years: np.ndarray) -> pd.DataFrame:
    """The panel with ``monitored_share`` and ``risk_eliminated_rate`` of the household years
    replaced by their population values under the household model (cells blanked at random
    stay blank), so county and household monitoring figures describe the same counties."""
    values = expected_monitoring(prov, income, years)
    out = panel.copy()
    rows = out["year"].isin(years).to_numpy()
    county = pd.Index(prov.counties["region_code"]).get_indexer(out.loc[rows, "region_code"])
    year = pd.Index(years).get_indexer(out.loc[rows, "year"])
    decimals = {spec.id: spec.decimals for spec in cal.INDICATOR_SPECS}
    for column, which in MONITORING_INDICATORS.items():
        new = np.round(values[which][county, year], decimals[column])
        out.loc[rows, column] = np.where(out.loc[rows, column].isna(), np.nan, new)
    return out


def generate_sample(*, counties: int = 120, households: int = 20000, seed: int = 20211,
                    start_year: int = 2015, end_year: int = 2025) -> Sample:
    """生成模拟省份样本 (simulated province): counties, county panel, household panel.

    Parameters
    ----------
    counties : int, default 120
        Number of counties (20–3960), in ≈ counties/10 prefectures (at most 99).
    households : int, default 20000
        Number of monitored households (≥ 1); each is observed every year from 2021 to
        ``end_year``.
    seed : int, default 20211
        Seed of the random generator; the same seed always gives the same sample.
    start_year, end_year : int, default 2015, 2025
        Years of the county panel (start 2010–2016, end 2021–2035; years outside the
        calibration tables are extrapolated at the last observed growth rate).

    Returns
    -------
    Sample

    Examples
    --------
    >>> s = generate_sample(counties=20, households=100, seed=1)
    >>> len(s.counties), s.panel["year"].nunique(), s.households["year"].nunique()
    (20, 11, 5)
    """
    params = {
        "counties": _check_int("counties", counties, 20, MAX_COUNTIES),
        "households": _check_int("households", households, 1, 50_000_000),
        "seed": _check_int("seed", seed, 0, 2**63 - 1),
        "start_year": _check_int("start_year", start_year, 2010, 2016),
        "end_year": _check_int("end_year", end_year, 2021, 2035),
    }
    county_rng, panel_rng, household_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(params["seed"]).spawn(3))
    years = np.arange(params["start_year"], params["end_year"] + 1)
    prov = province(params["counties"], county_rng)
    panel, income = county_panel(prov, years, panel_rng)
    hh_years = years[years >= _HOUSEHOLD_FIRST_YEAR]
    hh_income = income["rural_income_pc"][:, years >= _HOUSEHOLD_FIRST_YEAR]
    panel = _with_monitoring(panel, prov, hh_income, hh_years)
    hh = household_panel(prov, hh_income, hh_years, params["households"], household_rng)
    counties_df = prov.counties.astype(_COUNTY_DTYPES)
    panel = panel.astype(_panel_dtypes(panel.columns))
    hh = hh.astype(_HOUSEHOLD_DTYPES)
    return Sample(counties_df, panel, hh, _metadata(counties_df, panel, hh, params))


def write_sample(out_dir: str | Path | None = None, **generate_kwargs: int) -> dict[str, Path]:
    """生成并写出模拟样本: counties.csv, county_panel.csv, households.parquet, metadata.json.

    Parameters
    ----------
    out_dir : path, optional
        Target folder (default ``data/processed/sample``: the kit never writes into
        ``data/raw``; regenerate the bundled sample with ``write_sample(paths.sample_dir())``,
        i.e. ``make sample``).
    **generate_kwargs
        Passed to :func:`generate_sample` (``counties``, ``households``, ``seed``, ...).

    Returns
    -------
    dict
        File kind (``counties``, ``panel``, ``households``, ``metadata``) → path written.
        CSVs are UTF-8 with region codes as text; every file is written atomically.
    """
    out = Path(out_dir) if out_dir is not None else data_processed() / "sample"
    sample = generate_sample(**generate_kwargs)
    paths = {kind: out / name for kind, name in SAMPLE_FILES.items()}
    with atomic_path(paths["counties"]) as tmp:
        sample.counties.to_csv(tmp, index=False, encoding="utf-8")
    with atomic_path(paths["panel"]) as tmp:
        sample.panel.to_csv(tmp, index=False, encoding="utf-8")
    with atomic_path(paths["households"]) as tmp:
        sample.households.to_parquet(tmp, index=False, compression="zstd")
    meta = dict(sample.metadata)
    meta["files"] = {paths[k].name: file_sha256(paths[k])
                     for k in ("counties", "panel", "households")}
    meta["provenance"] = provenance_record(parameters=sample.metadata["parameters"])
    atomic_write_text(paths["metadata"], json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return paths


def load_sample(path: str | Path | None = None) -> Sample:
    """读取模拟样本 (the bundled one by default) with region codes as text and exact dtypes.

    Parameters
    ----------
    path : path, optional
        Folder holding the files written by :func:`write_sample` (default ``data/raw/sample``).

    Returns
    -------
    Sample
        ``metadata`` is the content of metadata.json (including ``files`` and ``provenance``).
    """
    folder = Path(path) if path is not None else sample_dir()
    paths = {kind: folder / name for kind, name in SAMPLE_FILES.items()}
    for p in paths.values():
        if not p.is_file():
            raise InputError("找不到模拟数据文件 / sample file not found", file=p,
                             hint="运行 linkage.sample.write_sample() 重新生成模拟数据")
    counties = pd.read_csv(paths["counties"], dtype=_COUNTY_DTYPES, encoding="utf-8")
    panel = pd.read_csv(paths["panel"], dtype={"region_code": "str"}, encoding="utf-8")
    panel = panel.astype(_panel_dtypes(panel.columns))
    households = pd.read_parquet(paths["households"]).astype(_HOUSEHOLD_DTYPES)
    metadata = json.loads(paths["metadata"].read_text(encoding="utf-8"))
    return Sample(counties, panel, households, metadata)
