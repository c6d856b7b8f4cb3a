"""Specification of the simulated sample province (linkage.sample)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkage.errors import InputError
from linkage.paths import reference_dir, sample_dir
from linkage.sample import SAMPLE_FILES, generate_sample, load_sample, write_sample

SMALL = {"counties": 40, "households": 2000}
CATEGORIES = {"非监测对象", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"}
SHOCKS = {"无", "疾病", "残疾", "自然灾害", "意外事故", "失业", "其他"}
COMPONENTS = ["income_wage", "income_business", "income_property", "income_transfer"]


@pytest.fixture(scope="module")
def small():
    return generate_sample(**SMALL)


@pytest.fixture(scope="module")
def default():
    return generate_sample()


def _poverty_rows(sample):
    poor = sample.counties.loc[sample.counties["poverty_county"], "region_code"]
    return sample.panel["region_code"].isin(poor)


def _reference(name: str) -> pd.DataFrame:
    return pd.read_csv(reference_dir() / name)


# --- determinism -------------------------------------------------------------------------

def test_same_seed_gives_identical_sample():
    a, b = generate_sample(**SMALL, seed=7), generate_sample(**SMALL, seed=7)
    for part in ("counties", "panel", "households"):
        pd.testing.assert_frame_equal(getattr(a, part), getattr(b, part))
    assert a.metadata == b.metadata


def test_different_seeds_differ(small):
    other = generate_sample(**SMALL, seed=small.metadata["seed"] + 1)
    assert not other.counties["region_name"].equals(small.counties["region_name"])
    assert not np.allclose(other.panel["rural_income_pc"].fillna(0),
                           small.panel["rural_income_pc"].fillna(0))


# --- shapes, keys, dtypes ----------------------------------------------------------------

def test_shapes_and_unique_keys(small):
    years = range(2015, 2026)
    assert len(small.counties) == 40
    assert len(small.panel) == 40 * len(years)
    assert set(small.panel["year"]) == set(years)
    assert not small.panel.duplicated(["region_code", "year"]).any()
    hh = small.households
    assert hh["household_id"].nunique() == 2000
    assert len(hh) == 2000 * 5 and set(hh["year"]) == set(range(2021, 2026))
    assert not hh.duplicated(["household_id", "year"]).any()
    assert hh["region_code"].isin(small.counties["region_code"]).all()
    assert (hh["household_id"].str[:6] == hh["region_code"]).all()
    assert hh["household_id"].str.len().eq(12).all()


def test_dtypes_follow_the_contract(small):
    c, hh = small.counties.dtypes, small.households.dtypes
    for col in ("region_code", "region_name", "prefecture_code", "prefecture_name"):
        assert pd.api.types.is_string_dtype(c[col])
    assert c["exit_year"] == "Int64" and c["key_assistance_year"] == "Int64"
    assert c["poverty_county"] == "bool" and c["key_assistance"] == "bool"
    assert small.counties["simulated"].all()
    assert pd.api.types.is_string_dtype(small.panel["region_code"])
    assert small.panel["year"].dtype == "int64"
    assert (small.panel.drop(columns=["region_code", "year"]).dtypes == "float64").all()
    assert pd.api.types.is_string_dtype(hh["household_id"])
    assert hh["risk_eliminated"] == "boolean"
    for col in ("hh_size", "n_labour", "year"):
        assert hh[col] == "int64"
    for col in ("food_clothing_ok", "compulsory_edu_ok", "basic_medical_ok",
                "housing_safe_ok", "drinking_water_ok", "exited_poor"):
        assert hh[col] == "bool"


def test_default_has_at_least_100_counties_and_20000_households(default):
    assert len(default.counties) >= 100
    assert default.households["household_id"].nunique() >= 20000


# --- counties ----------------------------------------------------------------------------

def test_region_codes_and_names(default):
    c = default.counties
    assert c["region_code"].str.fullmatch(r"99\d{4}").all()
    assert (c["prefecture_code"] == c["region_code"].str[:4] + "00").all()
    assert not c["region_code"].str.endswith("00").any()
    assert c["region_code"].is_unique and c["region_name"].is_unique
    assert c["region_name"].str.fullmatch(r"\w{2}[区县市]").all()
    assert c["prefecture_name"].str.fullmatch(r"\w{2}市").all()
    assert c.groupby("prefecture_code")["prefecture_name"].nunique().eq(1).all()
    assert c["prefecture_name"].nunique() == c["prefecture_code"].nunique()
    for name in pd.concat([c["region_name"], c["prefecture_name"]]):
        name.encode("gb2312")  # renderable with the bundled font; raises if not


def test_exit_years_are_2016_to_2020_each_present(default):
    c = default.counties
    exits = c.loc[c["poverty_county"], "exit_year"]
    assert exits.notna().all()
    assert set(exits) == {2016, 2017, 2018, 2019, 2020}
    assert c.loc[~c["poverty_county"], "exit_year"].isna().all()


def test_key_assistance_counties_are_poverty_counties_designated_2021(default):
    c = default.counties
    key = c[c["key_assistance"]]
    assert len(key) >= 1
    assert key["poverty_county"].all()
    assert (key["key_assistance_year"] == 2021).all()
    assert c.loc[~c["key_assistance"], "key_assistance_year"].isna().all()


# --- county panel ------------------------------------------------------------------------

def test_panel_columns_equal_default_framework(small):
    from linkage.frameworks import load_framework

    framework = load_framework()
    assert tuple(small.panel.columns[2:]) == framework.indicator_ids
    units = framework.indicator_table()["unit"].to_dict()
    assert small.metadata["indicators"] == units


def test_sample_passes_the_data_schemas(small):
    from linkage.frameworks import load_framework
    from linkage.schemas import check_frame, county_panel_schema, household_schema

    _, problems = check_frame(small.panel, county_panel_schema(load_framework()))
    assert problems.empty, problems.head()
    _, problems = check_frame(small.households, household_schema())
    assert problems.empty, problems.head()


def _bounded(panel: pd.DataFrame, units: dict[str, str], unit: str) -> pd.DataFrame:
    return panel[[k for k, u in units.items() if u == unit]]


def test_percentages_and_per_mille_within_bounds(default):
    units = default.metadata["indicators"]
    pct = _bounded(default.panel, units, "%")
    assert pct.shape[1] > 30
    assert ((pct >= 0) & (pct <= 100) | pct.isna()).all().all()
    permille = _bounded(default.panel, units, "‰")
    assert ((permille >= 0) & (permille <= 1000) | permille.isna()).all().all()
    others = default.panel[[k for k, u in units.items() if u not in ("%", "‰")]]
    assert ((others > 0) | others.isna()).all().all()


def test_about_one_percent_missing_where_indicators_apply(default):
    """About 1 % of the cells where an indicator applies are blanked at random; an indicator
    that does not apply to a county is empty there — not applicable, not a missing report."""
    values = default.panel.iloc[:, 2:]
    ids = list(values.columns)
    applies = applicable_mask(default, ids)
    share = values.isna().to_numpy()[applies].mean()
    assert 0.005 < share < 0.02
    assert values.isna().to_numpy()[~applies].all()


def test_east_west_funds_only_in_former_poverty_counties(default):
    poor = _poverty_rows(default)
    funds = default.panel["east_west_funds_pc"]
    assert funds[~poor].isna().all()
    assert funds[poor].notna().mean() > 0.97
    assert default.metadata["not_applicable"]["rules"] == {
        "east_west_funds_pc": "poverty_county"}


def applicable_mask(sample, ids):
    from linkage.frameworks import load_framework

    rules = load_framework().indicator_table()["eligible"]
    flags = sample.panel["region_code"].map(
        sample.counties.set_index("region_code")["poverty_county"]).to_numpy(dtype=bool)
    mask = np.ones((len(sample.panel), len(ids)), dtype=bool)
    for j, i in enumerate(ids):
        if rules.get(i) == "poverty_county":
            mask[:, j] = flags
    return mask


def test_trend_directions_and_catch_up(default):
    p = default.panel
    means = p.groupby([_poverty_rows(default), p["year"]]).mean(numeric_only=True)
    for poor in (False, True):
        first, last = means.loc[(poor, 2015)], means.loc[(poor, 2025)]
        assert last["tap_water_rate"] > first["tap_water_rate"]
        assert last["engel_coefficient"] < first["engel_coefficient"]
        assert last["rural_income_pc"] > first["rural_income_pc"]
        assert last["identification_days"] < first["identification_days"]
    gap = means.loc[False] - means.loc[True]
    for col in ("tap_water_rate", "sanitary_toilet_rate", "mechanization_rate"):
        assert gap.loc[2015, col] > 0  # poverty counties start lower ...
        assert gap.loc[2025, col] < gap.loc[2015, col]  # ... and catch up
    ratio = means.loc[True, "rural_income_pc"] / means.loc[False, "rural_income_pc"]
    assert ratio[2025] > ratio[2015]


def test_indicators_correlate_through_latent_development(default):
    p = default.panel[default.panel["year"] == 2023]
    r = p[["rural_income_pc", "tap_water_rate", "mechanization_rate",
           "teacher_degree_share"]].corr()
    assert (r.to_numpy()[np.triu_indices(4, 1)] > 0.2).all()
    assert p["rural_income_pc"].corr(p["engel_coefficient"]) < -0.2


# --- calibration -------------------------------------------------------------------------

def _poverty_area_income() -> pd.Series:
    ref = _reference("income_poverty_areas.csv")
    rows = ref[ref["indicator"].str.contains("可支配收入") & (
        (ref["area_type"] == "贫困地区") | ref["area_type"].str.startswith("脱贫"))]
    return rows.groupby("year")["value"].first()


def test_poverty_county_income_tracks_national_series_within_5pct(default):
    target = _poverty_area_income()
    assert {2016, 2020, 2021, 2022, 2023, 2024} <= set(target.index)
    p = default.panel
    achieved = p[_poverty_rows(default)].groupby("year")["rural_income_pc"].mean()
    years = [y for y in target.index if y in achieved.index]
    deviation = (achieved[years] / target[years] - 1).abs()
    assert (deviation < 0.05).all(), deviation


def test_non_poverty_county_income_tracks_national_rural_within_5pct(default):
    ref = _reference("income_national_urban_rural.csv")
    target = ref[ref["income_basis"] == "可支配收入"].set_index("year")["rural_yuan"]
    p = default.panel
    achieved = p[~_poverty_rows(default)].groupby("year")["rural_income_pc"].mean()
    deviation = (achieved / target.reindex(achieved.index) - 1).abs()
    assert (deviation < 0.05).all(), deviation


def test_transfer_share_plausible(default):
    comp = _reference("income_composition_2023.csv").set_index(["residence", "component"])
    national = (comp.loc[("农村", "转移净收入"), "value_yuan"]
                / comp.loc[("农村", "可支配收入合计"), "value_yuan"] * 100)
    hh = default.households
    share = (hh["income_transfer"].groupby(hh["exited_poor"]).sum()
             / hh[COMPONENTS].sum(axis=1).groupby(hh["exited_poor"]).sum() * 100)
    assert abs(share[False] - national) < 4
    assert share[True] > share[False] and share[True] < 40
    p = default.panel[default.panel["year"] == 2023]
    poor = _poverty_rows(default)[p.index]
    assert abs(p.loc[~poor, "transfer_income_share"].mean() - national) < 4
    share_2023 = p.groupby(poor)["transfer_income_share"].mean()
    assert share_2023[True] > share_2023[False]


def test_risk_eliminated_share_near_national_figures(default):
    hh = default.households
    mon = hh[hh["monitor_category"] != "非监测对象"]
    share = (mon["risk_eliminated"].astype(bool) * mon["weight"]).groupby(mon["year"]).sum() \
        / mon["weight"].groupby(mon["year"]).sum() * 100
    ref = _reference("monitoring_prevent_return_national.csv")
    national = ref[ref["indicator"].str.contains("消除") & (ref["unit"] == "%")]["value"]
    assert national.between(55, 70).all() and len(national) == 2
    assert share[[2022, 2024]].between(national.min() - 5, national.max() + 5).all(), share


def test_county_monitoring_figures_are_the_population_values_of_the_household_model():
    # 15,000 sample households per county: the survey estimates must meet the county panel
    s = generate_sample(counties=20, households=300_000, seed=5)
    block = s.metadata["calibration"]["monitoring_consistency"]
    for key in ("monitored_share_pct", "risk_eliminated_rate_pct"):
        county = pd.Series(block[key]["county_panel_population"])
        sample = pd.Series(block[key]["households_survey_estimate"])
        np.testing.assert_allclose(sample, county, rtol=0.03)
    # and county by county (one county's households against its panel row)
    hh = s.households[s.households["year"] == 2024]
    persons = hh["weight"] * hh["hh_size"]
    on_roster = (hh["monitor_category"] != "非监测对象") * persons
    estimate = on_roster.groupby(hh["region_code"]).sum() / persons.groupby(
        hh["region_code"]).sum() * 100
    panel = s.panel[s.panel["year"] == 2024].set_index("region_code")["monitored_share"]
    both = pd.concat([estimate, panel], axis=1).dropna()
    assert np.corrcoef(both.to_numpy().T)[0, 1] > 0.95
    np.testing.assert_allclose(both.iloc[:, 0], both.iloc[:, 1], rtol=0.15)


def test_bundled_county_and_household_monitoring_agree_within_sampling_error(default):
    block = default.metadata["calibration"]["monitoring_consistency"]
    for key in ("monitored_share_pct", "risk_eliminated_rate_pct"):
        county = pd.Series(block[key]["county_panel_population"])
        sample = pd.Series(block[key]["households_survey_estimate"])
        np.testing.assert_allclose(sample, county, rtol=0.10)
    # the registered 返贫致贫 count is a different, far rarer measure (‰, not %)
    assert "different measures" in block["return_to_poverty_rate"]
    p = default.panel
    assert p.loc[p["year"] >= 2021, "return_to_poverty_rate"].max() < 1  # ‰
    # elimination differs between counties (a constant column would not normalise)
    rates = p.loc[p["year"] == 2021, "risk_eliminated_rate"]
    assert rates.std() > 2


def test_larger_households_are_poorer_per_person(default):
    hh = default.households
    slope = np.polyfit(hh["hh_size"], np.log(hh["income_pc"].clip(lower=1)), 1)[0]
    assert slope == pytest.approx(-0.05, abs=0.02)


def test_metadata_records_calibration_and_true_effects(default):
    m = default.metadata
    assert m["simulated"] is True and m["label"] == "模拟数据"
    assert m["seed"] == 20211 and m["parameters"]["counties"] == 120
    achieved = m["calibration"]["rural_income_pc_poverty_counties"]["deviation_pct"]
    assert max(abs(v) for v in achieved.values()) < 5
    effects = m["true_effects"]
    assert effects["key_assistance_on_log_rural_income_pc"]["by_year"]["2025"] == 0.075
    assert effects["exit_on_log_rural_income_pc"]["by_event_time"]["0"] == 0.02
    json.dumps(m)  # JSON-serialisable as is
    assert "模拟数据" in default.summary()
    assert "former national poverty counties" in default.summary("en")


def test_key_assistance_effect_is_recovered_by_did_within_poverty_counties():
    s = generate_sample(counties=800, households=10, seed=3)
    c = s.counties[s.counties["poverty_county"]].set_index("region_code")
    p = s.panel[s.panel["region_code"].isin(c.index)]
    wide = np.log(p.pivot(index="region_code", columns="year", values="rural_income_pc"))
    change = (wide[2025] - wide[2020]).dropna()
    key = c.loc[change.index, "key_assistance"]
    did = change[key].mean() - change[~key].mean()
    true = s.metadata["true_effects"]["key_assistance_on_log_rural_income_pc"]["by_year"]["2025"]
    assert did == pytest.approx(true, abs=0.02)


def test_exit_effect_is_recovered_against_not_yet_exited_counties():
    s = generate_sample(counties=3960, households=10, seed=4)
    c = s.counties[s.counties["exit_year"].isin([2018, 2020])].set_index("region_code")
    p = s.panel[s.panel["region_code"].isin(c.index)]
    wide = np.log(p.pivot(index="region_code", columns="year", values="rural_income_pc"))
    change = wide[2019] - wide[2017]  # 2018 cohort at e = 1 against the 2020 cohort
    early = c.loc[change.index, "exit_year"] == 2018
    did = change[early].mean() - change[~early].mean()
    true = s.metadata["true_effects"]["exit_on_log_rural_income_pc"]["by_event_time"]["1"]
    assert true == 0.03
    assert did == pytest.approx(true, abs=0.015)


# --- households --------------------------------------------------------------------------

def test_income_components_consistent(small):
    hh = small.households
    np.testing.assert_allclose(hh["income_pc"], hh[COMPONENTS].sum(axis=1) / hh["hh_size"],
                               atol=0.006)
    assert (hh[["income_wage", "income_property", "income_transfer"]] >= 0).all().all()
    assert (hh["income_business"] < 0).any()  # net operating losses occur
    assert (hh["hh_size"] >= 1).all() and (hh["n_labour"] >= 0).all()
    assert (hh["n_labour"] <= hh["hh_size"]).all()
    assert (hh["weight"] > 0).all()


def test_category_values_in_allowed_sets(small):
    hh = small.households
    assert set(hh["monitor_category"]) == CATEGORIES
    assert set(hh["shock"]) <= SHOCKS and hh["shock"].nunique() >= 5
    exited_cat = hh.loc[hh["monitor_category"] == "脱贫不稳定户", "exited_poor"]
    assert exited_cat.all()


def test_risk_eliminated_missing_exactly_for_non_monitored(small):
    hh = small.households
    assert (hh["risk_eliminated"].isna() == (hh["monitor_category"] == "非监测对象")).all()


def test_monitoring_roster_is_persistent_and_elimination_monotone(small):
    hh = small.households.sort_values(["household_id", "year"])
    monitored = (hh["monitor_category"] != "非监测对象").astype(int)
    assert (monitored.groupby(hh["household_id"]).diff().dropna() >= 0).all()
    eliminated = hh["risk_eliminated"].fillna(False).astype(int)
    assert (eliminated.groupby(hh["household_id"]).diff().dropna() >= 0).all()


def test_weights_sum_to_rural_households(small):
    hh = small.households[small.households["year"] == 2021]
    total = small.counties.set_index("region_code")["rural_population"] * 1e4 / 3.1
    sums = hh.groupby("region_code")["weight"].sum()
    np.testing.assert_allclose(sums, total[sums.index], rtol=0.01)


# --- files -------------------------------------------------------------------------------

def test_write_and_load_round_trip(tmp_path, small):
    paths = write_sample(tmp_path, **SMALL)
    assert {p.name for p in paths.values()} == set(SAMPLE_FILES.values())
    loaded = load_sample(tmp_path)
    for part in ("counties", "panel", "households"):
        pd.testing.assert_frame_equal(getattr(loaded, part), getattr(small, part), check_exact=True)
    text = paths["counties"].read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("99")
    assert loaded.metadata["provenance"]["parameters"] == small.metadata["parameters"]


def test_bundled_files_equal_generator_defaults(default):
    bundled = load_sample()
    for part in ("counties", "panel", "households"):
        pd.testing.assert_frame_equal(getattr(bundled, part), getattr(default, part),
                                      check_exact=True)
    meta = {k: v for k, v in bundled.metadata.items() if k not in ("files", "provenance")}
    assert meta == default.metadata
    size = (sample_dir() / SAMPLE_FILES["households"]).stat().st_size
    assert size < 5e6
    readme = (sample_dir() / "README.md").read_text(encoding="utf-8")
    assert "模拟数据 — 不代表任何真实地区" in readme


def test_load_missing_folder_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="write_sample"):
        load_sample(tmp_path)


@pytest.mark.parametrize("kwargs", [
    {"counties": 5}, {"counties": 100_000}, {"households": 0}, {"start_year": 2018},
    {"end_year": 2020}, {"seed": -1}, {"counties": 40.0}, {"counties": True},
])
def test_bad_parameters_raise_input_error(kwargs):
    with pytest.raises(InputError) as info:
        generate_sample(**kwargs)
    assert info.value.column == next(iter(kwargs))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), counties=st.integers(20, 70),
       end_year=st.integers(2021, 2030))
def test_invariants_hold_for_any_seed_and_size(seed, counties, end_year):
    s = generate_sample(counties=counties, households=200, seed=seed, end_year=end_year)
    c = s.counties
    assert set(c.loc[c["poverty_county"], "exit_year"]) == {2016, 2017, 2018, 2019, 2020}
    assert c.loc[c["key_assistance"], "poverty_county"].all()
    assert c["region_name"].is_unique and c["region_code"].is_unique
    pct = _bounded(s.panel, s.metadata["indicators"], "%")
    assert ((pct >= 0) & (pct <= 100) | pct.isna()).all().all()
    assert s.households["year"].max() == end_year
    deviation = s.metadata["calibration"]["rural_income_pc_poverty_counties"]["deviation_pct"]
    assert max(abs(v) for v in deviation.values()) < 5


def test_write_sample_never_writes_into_data_raw_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKAGE_HOME", str(tmp_path))
    paths = write_sample(counties=30, households=600)
    assert all(p.parent == tmp_path / "data" / "processed" / "sample" for p in paths.values())
    assert not (tmp_path / "data" / "raw").exists()
