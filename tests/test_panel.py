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
