"""Data overview tables: coverage, missingness, descriptives, trends, narrative."""

import numpy as np
import pandas as pd
import pytest

from linkage import overview
from linkage.frameworks import load_framework
from linkage.labels import label
from linkage.panel import PanelData
from linkage.sample import generate_sample

FW = load_framework()


@pytest.fixture(scope="module")
def data() -> PanelData:
    s = generate_sample(counties=40, households=1000, seed=7)
    return PanelData(s.panel, s.counties.set_index("region_code", drop=False).rename_axis(None),
                     True, ())


def test_coverage_counts_add_up_to_county_years(data):
    cov = overview.indicator_coverage(data.panel, FW)
    assert list(cov.index) == list(FW.indicator_ids)
    assert (cov[label("n_obs")] + cov[label("n_missing")] == len(data.panel)).all()
    assert cov[label("missing_share")].between(0, 100).all()
    assert (cov[label("first_year")] <= cov[label("last_year")]).all()


def test_coverage_reports_an_absent_indicator_as_fully_missing(data):
    cov = overview.indicator_coverage(data.panel.drop(columns="forest_cover"), FW)
    assert cov.at["forest_cover", label("n_obs")] == 0
    assert cov.at["forest_cover", label("missing_share")] == 100


def test_missingness_matrix_matches_direct_count(data):
    panel = data.panel.copy()
    panel.loc[panel["year"] == 2020, "tap_water_rate"] = np.nan
    m = overview.missingness_by_year(panel, FW)
    assert m.loc[FW["tap_water_rate"].name_zh, 2020] == 100
    direct = panel.loc[panel["year"] == 2016, "engel_coefficient"].isna().mean() * 100
    assert m.loc[FW["engel_coefficient"].name_zh, 2016] == pytest.approx(direct)


def test_describe_uses_sample_sd_and_cv(data):
    d = overview.describe_indicators(data.panel, FW, year=2024)
    x = data.panel.loc[data.panel["year"] == 2024, "rural_income_pc"].dropna()
    row = d.loc["rural_income_pc"]
    assert row[label("mean")] == pytest.approx(x.mean())
    assert row[label("std")] == pytest.approx(x.std(ddof=1))
    assert row[label("cv")] == pytest.approx(x.std(ddof=1) / x.mean())
    assert row[label("n_obs")] == len(x)


def test_english_labels(data):
    cov = overview.indicator_coverage(data.panel, FW, language="en")
    assert "Missing (%)" in cov.columns
    assert cov.at["rural_income_pc", "Indicator"] == FW["rural_income_pc"].name_en


def test_region_trend_province_mean_is_rural_population_weighted(data):
    region = overview.default_region(data)
    trend = overview.region_trend(data, "rural_income_pc", region)
    prov = trend[trend[label("series")] == label("province_mean")].set_index(label("year"))
    panel = data.panel[data.panel["year"] == 2022]
    w = panel["region_code"].map(data.counties["rural_population"]).astype(float)
    ok = panel["rural_income_pc"].notna()
    expected = np.average(panel.loc[ok, "rural_income_pc"], weights=w[ok])
    assert prov.at[2022, label("value")] == pytest.approx(expected)
    own = trend[trend[label("series")] == data.region_name(region)]
    assert len(own) == data.panel["year"].nunique()


def test_default_region_is_a_key_assistance_county(data):
    code = overview.default_region(data)
    assert bool(data.counties.at[code, "key_assistance"])


def test_group_trend_ratio_is_poverty_over_other(data):
    g = overview.group_trends(data, ["rural_income_pc"])
    ratio = g[label("poverty_counties")] / g[label("other_counties")]
    assert np.allclose(ratio, g[label("gap_ratio")])
    assert (g[label("gap_ratio")] < 1).all()  # former poverty counties are poorer


def test_group_trend_is_invariant_to_row_order(data):
    shuffled = PanelData(data.panel.sample(frac=1, random_state=1), data.counties, True, ())
    a = overview.group_trends(data, ["rural_income_pc"]).sort_values(label("year"))
    b = overview.group_trends(shuffled, ["rural_income_pc"]).sort_values(label("year"))
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_unknown_region_is_an_input_error(data):
    from linkage.errors import InputError

    with pytest.raises(InputError, match="000000"):
        overview.region_trend(data, "rural_income_pc", "000000")


def test_narrative_is_chinese_and_marks_simulated_data(data):
    lines = overview.overview_narrative(data, FW, region_code=overview.default_region(data))
    assert len(lines) >= 3
    assert "模拟数据" in lines[-1]
    assert str(data.panel["region_code"].nunique()) in lines[0]


def test_national_context_keeps_unpublished_years_as_gaps():
    from linkage import datasets

    ctx = overview.national_context()
    years = ctx[label("year")]
    assert list(years) == list(range(years.min(), years.max() + 1))
    ratio = ctx.set_index(label("year"))[label("ratio")]
    assert ratio.loc[[2014, 2015]].isna().all()
    published = datasets.poverty_area_income_ratio().set_index("year")["ratio"]
    pd.testing.assert_series_equal(ratio.dropna(), published, check_names=False,
                                   check_index_type=False)


def test_coverage_names_dimensions_in_chinese(data):
    cov = overview.indicator_coverage(data.panel, FW)
    assert cov.at["rural_income_pc", label("dimension")] == FW.dimensions().at[
        FW["rural_income_pc"].dimension, "name_zh"]
