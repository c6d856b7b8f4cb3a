"""Specification of linkage.datasets: the real reference tables and their loader."""

from __future__ import annotations

import csv
import re
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage import datasets
from linkage.errors import DataValidationError, InputError

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "raw" / "reference"
#: CI checks the shared originals out beside the clone, at ../shared relative to the repo root.
SHARED = ROOT.parent / "shared" / "reference"
NAMES = sorted(p.stem for p in REFERENCE.glob("*.csv"))
VALUE_TYPE_TABLES = [n for n in NAMES if "value_type" in next(csv.reader(
    (REFERENCE / f"{n}.csv").open(encoding="utf-8")))]


@pytest.fixture(autouse=True)
def _project_root(monkeypatch):
    monkeypatch.setenv("LINKAGE_HOME", str(ROOT))


def _csv_rows(name: str) -> list[dict[str, str]]:
    """The table read independently of the loader (plain csv module, all text)."""
    with (REFERENCE / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _fake_project(root: Path, files: dict[str, str]) -> Path:
    (root / "data" / "raw" / "reference").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    for name, text in files.items():
        (root / "data" / "raw" / "reference" / name).write_text(text, encoding="utf-8")
    return root


# --- the files ------------------------------------------------------------------------------


def test_reference_folder_holds_all_tables():
    assert len(NAMES) == 28
    assert (REFERENCE / "SOURCES.md").is_file()
    assert (REFERENCE / "README.md").is_file()


def test_copies_are_byte_identical_to_shared_originals():
    if not SHARED.is_dir():
        pytest.skip(f"shared originals not checked out at {SHARED}; comparison impossible here")
    originals = sorted(p.name for p in SHARED.iterdir() if p.suffix in {".csv", ".md"})
    assert "SOURCES.md" in originals
    for name in originals:
        assert (REFERENCE / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_sources_md_row_counts_match_the_tables():
    text = (REFERENCE / "SOURCES.md").read_text(encoding="utf-8")
    # a later row marked "(updated)" supersedes the table's first row (dict keeps the last)
    stated = {m[1]: int(m[2]) for m in re.finditer(
        r"^\| (\w+)\.csv(?: \(updated\))? \| (\d+) \|", text, re.M)}
    assert sorted(stated) == NAMES
    for name, rows in stated.items():
        assert len(datasets.load(name)) == rows, name


def test_readme_mentions_every_table_and_the_recheck_warning():
    text = (REFERENCE / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"{name}.csv" in text, name
    assert "核对原始来源" in text
    assert "primary source" in text


# --- catalogue ------------------------------------------------------------------------------


def test_list_datasets_covers_every_file_with_titles_and_shapes():
    cat = datasets.list_datasets().set_index("name")
    assert sorted(cat.index) == NAMES
    assert (cat["title_zh"].str.len() > 0).all()
    assert (cat["title_en"].str.len() > 0).all()
    assert (cat["caveats"].str.len() > 0).all()
    for name in NAMES:
        rows = _csv_rows(name)
        assert cat.loc[name, "rows"] == len(rows)
        added = 3 if name == "poverty_county_exit_list_832" else 0  # codes joined by load()
        assert cat.loc[name, "columns"] == len(rows[0]) + added
        assert cat.loc[name, "has_value_type"] == (name in VALUE_TYPE_TABLES)


def test_the_832_list_carries_the_codes_of_its_coded_twin_row_for_row():
    plain = datasets.load("poverty_county_exit_list_832")
    coded = datasets.load("poverty_county_exit_list_832_coded")
    assert plain["region_code"].notna().all()
    assert plain[["province", "county", "exit_year"]].equals(
        coded[["province", "county", "exit_year"]])
    for column in ("region_code", "code_2020", "code_2024"):
        assert plain[column].equals(coded[column])
    assert plain["region_code"].str.fullmatch(r"\d{6}").all()


def test_catalogue_entries_match_files_exactly():
    assert sorted(datasets._CATALOG) == NAMES


def test_describe_gives_titles_caveats_value_types_and_recheck():
    text = datasets.describe("poverty_county_exit")
    assert text.splitlines()[0] == "贫困县分年摘帽数 — Poverty counties exiting by year"
    assert "283" in text  # the caveat about the derived 2018 figure
    assert "value_type: reported 4, derived 1" in text
    assert "primary source" in text


# --- load -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_table_loads_non_empty_with_a_source_on_every_row(name):
    frame = datasets.load(name)
    assert len(frame) > 0
    assert frame["source"].notna().all()
    assert (frame["source"].str.strip() != "").all()


@pytest.mark.parametrize("name", NAMES)
def test_year_columns_are_integers(name):
    frame = datasets.load(name)
    for column in [c for c in frame.columns if c == "year" or c.endswith("_year")]:
        assert pd.api.types.is_integer_dtype(frame[column]), column


def test_blank_cells_stay_missing_and_numbers_are_numeric():
    frame = datasets.load("poverty_headcount_national").set_index("year")
    assert frame["poverty_incidence_pct"].dtype == "float64"
    assert pd.isna(frame.loc[2020, "poverty_incidence_pct"])  # not published for 2020
    assert frame.loc[2019, "poverty_incidence_pct"] == 0.6
    assert frame.loc[2013, "rural_poor_10k_persons"] == 8249
    assert pd.api.types.is_integer_dtype(frame["reduction_vs_prev_year_10k"])
    assert pd.isna(frame.loc[2014, "reduction_vs_prev_year_10k"])


def test_province_codes_keep_leading_zeros_and_stay_text():
    frame = datasets.load("province_income_rural_urban_2010_2020")
    assert pd.api.types.is_string_dtype(frame["province_code"])
    beijing = frame.loc[frame["province"] == "北京", "province_code"]
    assert set(beijing) == {"110000"}
    codes = frame["province_code"].dropna()
    assert codes.str.fullmatch(r"\d{6}").all()
    assert frame.loc[frame["province"] == "全国", "province_code"].isna().all()


def test_load_values_equal_the_csv_text():
    frame = datasets.load("income_poverty_areas")
    rows = _csv_rows("income_poverty_areas")
    assert frame["value"].tolist() == [int(r["value"]) for r in rows]
    assert frame["source"].tolist() == [r["source"] for r in rows]


def test_load_returns_a_fresh_copy_each_time():
    first = datasets.load("poverty_county_exit")
    first.loc[0, "counties_exited"] = -1
    assert datasets.load("poverty_county_exit").loc[0, "counties_exited"] == 28


def test_load_accepts_the_csv_suffix():
    pd.testing.assert_frame_equal(
        datasets.load("poverty_county_exit.csv"), datasets.load("poverty_county_exit")
    )


def test_unknown_name_lists_tables_and_suggests_the_closest():
    with pytest.raises(InputError) as info:
        datasets.load("poverty_headcount")
    message = str(info.value)
    assert "did you mean 'poverty_headcount_national'" in message
    assert "relocation_yidi_banqian" in message  # the available names are listed
    assert info.value.exit_code == 2


def test_resolve_ditto_spells_out_same_as_above():
    raw = datasets.load("assistance_mechanisms")
    resolved = datasets.load("assistance_mechanisms", resolve_ditto=True)
    assert raw["source"].str.startswith("同上").sum() > 10
    assert not resolved["source"].str.startswith("同上").any()
    kept = ~raw["source"].str.startswith("同上")
    assert resolved["source"][kept].tolist() == raw["source"][kept].tolist()
    row = resolved.set_index("indicator").loc["携手奔小康: 东部县市区", "source"]
    # its ditto chain goes back to the 定点帮扶 row whose source is "新华社 via 文汇报 2021-02-25"
    assert row == "新华社 via 文汇报 2021-02-25 (与中西部573个贫困县)"


def test_missing_reference_folder_is_an_input_error(tmp_path, monkeypatch):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    monkeypatch.setenv("LINKAGE_HOME", str(tmp_path))
    with pytest.raises(InputError, match="reference-data folder not found"):
        datasets.list_datasets()


def test_table_without_source_column_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKAGE_HOME", str(_fake_project(tmp_path, {"t.csv": "year,v\n2020,1\n"})))
    with pytest.raises(DataValidationError, match="no source column") as info:
        datasets.load("t")
    assert info.value.column == "source"


def test_blank_source_is_rejected_with_spreadsheet_row(tmp_path, monkeypatch):
    text = "year,v,source\n2020,1,a page\n2021,2,\n"
    monkeypatch.setenv("LINKAGE_HOME", str(_fake_project(tmp_path, {"t.csv": text})))
    with pytest.raises(DataValidationError) as info:
        datasets.load("t")
    assert (info.value.row, info.value.column) == (3, "source")


_DIGITS = st.text(alphabet="0123456789", min_size=6, max_size=6)


@settings(max_examples=25, deadline=None)
@given(codes=st.lists(_DIGITS, min_size=1, max_size=8).map(lambda c: ["0" + c[0][1:], *c[1:]]),
       counts=st.lists(st.integers(-10**9, 10**9), min_size=1, max_size=8))
def test_leading_zero_codes_survive_and_integers_round_trip(codes, counts):
    n = min(len(codes), len(counts))
    lines = ["region,n,source", *(f"{c},{k},p" for c, k in zip(codes[:n], counts[:n], strict=True))]
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        name = f"t{uuid.uuid4().hex}"
        _fake_project(Path(tmp), {f"{name}.csv": "\n".join(lines) + "\n"})
        patch.setenv("LINKAGE_HOME", tmp)
        frame = datasets.load(name)
    assert frame["region"].tolist() == codes[:n]
    assert frame["n"].dtype == "int64"
    assert frame["n"].tolist() == counts[:n]


# --- value_type -----------------------------------------------------------------------------


def test_tables_with_value_type_are_the_documented_ones():
    assert VALUE_TYPE_TABLES == [
        "employment_poverty_labour", "poverty_county_exit",
        "poverty_headcount_by_region", "poverty_headcount_national",
    ]


@pytest.mark.parametrize("name", VALUE_TYPE_TABLES)
def test_value_types_are_within_the_documented_set(name):
    kinds = datasets.value_type_kind(datasets.load(name)["value_type"])
    assert kinds.notna().all()
    parts = set(kinds.str.split("+").explode())
    assert parts <= set(datasets.VALUE_TYPES)


def test_value_type_kinds_of_known_rows():
    exits = datasets.load("poverty_county_exit").set_index("year")
    kinds = datasets.value_type_kind(exits["value_type"])
    assert kinds[2018] == "derived"
    assert kinds[2019] == "reported"  # "reported (摘帽宣布于…)" keeps its note, kind reported
    labour = datasets.load("employment_poverty_labour")
    assert "reported_lower_bound" in set(datasets.value_type_kind(labour["value_type"]))
    national = datasets.load("poverty_headcount_national").set_index("year")
    assert datasets.value_type_kind(national["value_type"])[2016] == "reported+derived"


def test_unknown_value_type_is_rejected():
    with pytest.raises(DataValidationError, match="estimated"):
        datasets.value_type_kind(pd.Series(["reported", "estimated"]))


@given(st.lists(st.sampled_from(["reported", "derived", "reported_lower_bound",
                                 "derived: a − b", "reported (note)", "derived_count"]),
                min_size=1, max_size=3))
def test_value_type_kind_keeps_kinds_in_order_without_repeats(parts):
    kind = datasets.value_type_kind(pd.Series(["; ".join(parts)])).iloc[0]
    expected = [re.match(r"reported_lower_bound|reported|derived", p)[0] for p in parts]
    assert kind.split("+") == list(dict.fromkeys(expected))


# --- convenience series ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ratio():
    return datasets.poverty_area_income_ratio()


def test_ratio_years_increase_and_cover_the_transition_period(ratio):
    years = ratio["year"]
    assert years.is_monotonic_increasing and years.is_unique
    assert {2021, 2022, 2023, 2024} <= set(years)
    assert not {2014, 2015} & set(years)  # not in the source: gaps stay gaps


def test_ratio_is_exactly_the_quotient_and_plausible(ratio):
    assert (ratio["ratio"] == ratio["income_poverty_area"] / ratio["income_national_rural"]).all()
    assert ratio["ratio"].between(0.5, 1.0, inclusive="neither").all()


def test_ratio_2020_numerator_is_the_csv_value(ratio):
    row = next(r for r in _csv_rows("income_poverty_areas")
               if r["year"] == "2020" and r["area_type"] == "贫困地区")
    assert ratio.set_index("year").loc[2020, "income_poverty_area"] == float(row["value"]) == 12588


def test_ratio_uses_disposable_income_on_both_sides(ratio):
    by_year = ratio.set_index("year")
    assert by_year.loc[2013, "income_poverty_area"] == 6079  # 可支配收入, not 2015 纯收入 6828
    assert by_year.loc[2013, "income_national_rural"] == 9429.56  # not 纯收入 8896
    assert by_year.loc[2024, "income_national_rural"] == 23119
    after_2020 = ratio["year"] >= 2021
    assert (ratio.loc[~after_2020, "series"] == "贫困地区农村居民人均可支配收入").all()
    assert (ratio.loc[after_2020, "series"] == "脱贫县农村居民人均可支配收入").all()


def test_ratio_agrees_with_shares_published_in_the_source(ratio):
    # income_poverty_areas.csv notes: 2016 "为全国农村68.4%", 2017 "69.8%", 2018 "71%"
    by_year = ratio.set_index("year")["ratio"]
    assert round(by_year[2016], 3) == 0.684
    assert round(by_year[2017], 3) == 0.698
    assert round(by_year[2018], 2) == 0.71


def test_ratio_says_it_is_derived_and_names_both_sources(ratio):
    assert (datasets.value_type_kind(ratio["value_type"]) == "derived").all()
    assert ratio["source"].str.contains("贫困地区/脱贫县: ").all()
    assert ratio["source"].str.contains("全国农村: ").all()


def test_national_rural_income_is_disposable_basis_only():
    income = datasets.national_rural_income()
    assert income["year"].is_monotonic_increasing and income["year"].is_unique
    assert income["year"].iloc[0] == 2013
    by_year = income.set_index("year")
    assert by_year.loc[2014, "rural_disposable_income_yuan"] == 10489  # not 纯收入 9892
    assert by_year.loc[2013, "table"] == "province_income_rural_urban_2010_2020"
    assert pd.isna(by_year.loc[2014, "rural_nominal_growth_pct"])  # not computed here
    assert by_year.loc[2021, "rural_real_growth_pct"] == 9.7
    assert set(income["value_type"]) == {"reported"}


def test_provincial_panel_national_row_agrees_with_national_table():
    panel = datasets.load("province_income_rural_urban_2010_2020")
    panel = panel[panel["province"] == "全国"].set_index("year")["rural_disposable_income_yuan"]
    national = datasets.national_rural_income().set_index("year")["rural_disposable_income_yuan"]
    years = range(2014, 2021)
    assert (panel[years] - national[years]).abs().max() < 1.0


def test_monitoring_thresholds_is_the_table_unchanged():
    pd.testing.assert_frame_equal(
        datasets.monitoring_thresholds(), datasets.load("monitoring_income_thresholds")
    )
