"""Loading county panels: bundled sample, ingested Parquet, CSV."""

import pandas as pd
import pytest

from linkage.errors import InputError
from linkage.panel import load_panel


def test_bundled_sample_is_marked_simulated():
    data = load_panel()
    assert data.simulated
    assert data.panel["region_code"].map(len).eq(6).all()
    assert data.counties.index.is_unique
    assert data.sources and all(p.is_file() for p in data.sources)


def test_user_csv_keeps_leading_zeros_and_is_not_simulated(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame({"region_code": ["011000", "011001"], "year": [2020, 2020],
                  "rural_income_pc": [1.0, 2.0]}).to_csv(path, index=False)
    data = load_panel(path)
    assert list(data.panel["region_code"]) == ["011000", "011001"]
    assert not data.simulated
    assert data.counties.empty
    assert data.region_name("011000") == "011000"


def test_between_years_is_inclusive_and_checks_range():
    data = load_panel()
    sub = data.between_years(2018, 2020)
    assert sub.years == [2018, 2019, 2020]
    with pytest.raises(InputError):
        data.between_years(2030, 2031)
    with pytest.raises(InputError):
        data.between_years(2021, 2020)


def test_missing_file_and_missing_key_columns(tmp_path):
    with pytest.raises(InputError, match=r"nope\.parquet"):
        load_panel(tmp_path / "nope.parquet")
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"code": ["011000"], "year": [2020]}).to_csv(bad, index=False)
    with pytest.raises(InputError, match="region_code"):
        load_panel(bad)


def test_prefecture_level_is_the_rural_population_weighted_mean():
    data = load_panel()
    pref = data.at_level("prefecture")
    counties = data.counties
    code = counties["prefecture_code"].iloc[0]
    members = counties.index[counties["prefecture_code"] == code]
    rows = data.panel[data.panel["region_code"].isin(members) & (data.panel["year"] == 2022)]
    ok = rows["tap_water_rate"].notna()
    w = rows["region_code"].map(counties["rural_population"]).astype(float)
    expected = (rows.loc[ok, "tap_water_rate"] * w[ok]).sum() / w[ok].sum()
    got = pref.panel.set_index(["region_code", "year"]).at[(code, 2022), "tap_water_rate"]
    assert got == pytest.approx(expected)
    assert pref.panel["region_code"].nunique() == counties["prefecture_code"].nunique()
    assert pref.region_name(code).endswith("市")
    assert pref.simulated


def test_prefecture_level_needs_prefecture_codes(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame({"region_code": ["110101"], "year": [2020], "x": [1.0]}).to_csv(path,
                                                                                index=False)
    with pytest.raises(InputError, match="prefecture_code"):
        load_panel(path).at_level("prefecture")
    assert load_panel(path).at_level("county").panel.shape == (1, 3)


def test_attribute_is_aligned_with_the_panel_and_never_filled_in():
    data = load_panel()
    flag = data.attribute("poverty_county")
    assert flag.index.equals(data.panel.index)
    code = data.panel["region_code"].iloc[0]
    assert flag.iloc[0] == data.counties.at[code, "poverty_county"]
    # a county absent from the attribute table is named, not counted as "not poor"
    counties = data.counties.drop(index=code)
    partial = type(data)(data.panel, counties, data.simulated, data.sources)
    with pytest.raises(InputError, match=code):
        partial.attribute("poverty_county")
    with pytest.raises(InputError, match="no_such"):
        data.attribute("no_such")


def test_prefecture_level_weights_must_exist():
    data = load_panel()
    with pytest.raises(InputError, match="population_total"):
        data.at_level("prefecture", weights="population_total")
    unweighted = data.at_level("prefecture", weights=None)
    assert unweighted.panel["region_code"].nunique() == data.counties["prefecture_code"].nunique()
