"""Specification of linkage.schemas: what valid county panels and household data look like."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkage.schemas import (
    INCOME_PC_TOLERANCE,
    PROVINCE_CODES,
    SCHEMA_VERSION,
    check_frame,
    code_level,
    county_panel_schema,
    household_schema,
)


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Index = spreadsheet rows (header is row 1), as read_table gives it."""
    return frame.set_axis(pd.RangeIndex(2, len(frame) + 2, name="row"))


def _panel(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame({
        "region_code": ["990101", "990101", "990102"],
        "year": [2020, 2021, 2020],
        "rural_income": [12000.0, 13000.0, None],
        "engel_coefficient": [32.0, 31.0, 35.0],
    })
    frame["region_code"] = frame["region_code"].astype("str")
    for column, values in overrides.items():
        frame[column] = values
    return _rows(frame)


def test_schema_version_is_a_string():
    assert isinstance(SCHEMA_VERSION, str) and SCHEMA_VERSION


def test_province_codes_are_31_provinces_plus_simulated():
    assert len(PROVINCE_CODES) == 32
    assert "99" in PROVINCE_CODES and "11" in PROVINCE_CODES and "00" not in PROVINCE_CODES


def test_province_codes_are_the_mainland_provinces_of_the_civil_affairs_table():
    """The prefix rule agrees with the shipped 民政部 code list (71, 81, 82 aside)."""
    from linkage import datasets

    table = datasets.load("admin_divisions_2014_2024")
    prefixes = set(table.loc[table["level"] == "province", "region_code"].str[:2])
    assert prefixes - {"71", "81", "82"} == set(PROVINCE_CODES) - {"99"}


def test_code_level_reads_the_structure_of_a_code():
    codes = pd.Series(["110000", "130100", "130102", "000000", "11", None, "99x102"])
    assert code_level(codes).tolist() == ["province", "prefecture", "county", "nation",
                                          None, None, None]


def test_no_real_county_or_prefecture_code_is_mistaken_for_another_level():
    from linkage import datasets

    table = datasets.load("admin_divisions_2014_2024")
    assert (code_level(table["region_code"]) == table["level"]).all()


@pytest.mark.parametrize(("level", "bad"), [
    ("county", {"440000": "省级代码", "130100": "地级代码"}),
    ("prefecture", {"440000": "省级代码", "130102": "县级代码"}),
    ("province", {"130100": "地级代码", "130102": "县级代码"}),
])
def test_a_panel_accepts_only_codes_of_its_level(small_framework, level, bad):
    codes = ["440000", "130100", "130102", "000000"]
    frame = pd.DataFrame({"region_code": codes, "year": 2020, "rural_income": 1.0},
                         index=range(2, 6))
    schema = county_panel_schema(small_framework, level=level, indicators=["rural_income"])
    assert schema.metadata["level"] == level and schema.name == f"{level}_panel"
    _, problems = check_frame(frame, schema)
    got = dict(zip(frame.loc[problems["row"], "region_code"], problems["problem"],
                   strict=True))
    assert set(got) == {*bad, "000000"}
    for code, words in bad.items():
        assert words in got[code]
    assert "全国合计" in got["000000"]
    assert all(f"--kind {code_level(pd.Series([c])).iloc[0]}" in hint
               for c, hint in zip(frame.loc[problems["row"], "region_code"], problems["hint"],
                                  strict=True) if c in bad)


def test_county_schema_records_units_and_direction(small_framework):
    schema = county_panel_schema(small_framework)
    engel = schema.columns["engel_coefficient"]
    assert engel.metadata["unit"] == "%"
    assert engel.metadata["direction"] == -1
    assert "逆向" in engel.description and "（%）" in engel.description
    assert schema.columns["rural_income"].title == "农村居民人均可支配收入"


def test_valid_panel_with_subset_of_indicators_and_missing_values_passes(small_framework):
    schema = county_panel_schema(small_framework,
                                 indicators=["rural_income", "engel_coefficient"])
    validated, problems = check_frame(_panel(), schema)
    assert problems.empty
    assert validated["year"].dtype == "int64"
    assert validated["rural_income"].isna().sum() == 1


def test_duplicate_region_year_is_reported_at_the_second_row(small_framework):
    schema = county_panel_schema(small_framework, indicators=["rural_income"])
    frame = _panel(region_code=pd.Series(["990101"] * 3, dtype="str"), year=[2020, 2021, 2020])
    _, problems = check_frame(frame.drop(columns="engel_coefficient"), schema)
    assert len(problems) == 1
    assert problems.loc[0, "row"] == 4
    assert "与第 2 行相同" in problems.loc[0, "problem"]


def test_duplicates_with_blank_or_unparsable_keys_do_not_crash(small_framework):
    """[5b/8]: pandas 3 keeps NaN through astype(str); blank keys are missing values, not
    duplicates, and the check must not raise."""
    schema = county_panel_schema(small_framework, indicators=["rural_income"])
    frame = _panel(region_code=pd.Series(["990101", None, None], dtype="str"),
                   year=pd.array([2020, 2020, 2020], dtype="Int64"))
    _, problems = check_frame(frame.drop(columns="engel_coefficient"), schema)
    assert set(problems["row"]) == {3, 4}
    assert problems["problem"].str.contains("缺少必填值").all()


def test_duplicate_household_key_never_shows_the_household_id(household_rows):
    rows = household_rows.assign(household_id=["11010519491231002X"] * 2 + ["H9"], year=2021)
    _, problems = check_frame(_rows(rows), household_schema())
    dup = problems[problems["column"] == "household_id+year"]
    assert list(dup["row"]) == [3]
    assert "与第 2 行相同" in dup["problem"].iloc[0] and "2021" in dup["problem"].iloc[0]
    assert "11010519491231002X" not in problems.to_string()


def _one_indicator(valid_range, unit="元", name="某指标"):
    from linkage.frameworks import Framework, Indicator

    ind = Indicator(id="x", name_zh=name, name_en="X", unit=unit, direction=1,
                    definition="d", source="s", subsystem="poverty", layer="", function="",
                    dimension="d", weight=None, valid_range=valid_range)
    return Framework(id="fw", version="1", name_zh="测试", name_en="t", source=None,
                     indicators=(ind,))


@pytest.mark.parametrize(("valid_range", "values", "bad"), [
    ((0.0, 100.0), [0.0, 100.0, 100.5, -0.1], [4, 5]),
    ((0.0, None), [0.0, 1e9, -1.0, np.nan], [4]),
    ((None, 10.0), [-1e9, 10.0, 10.5, 3.0], [4]),
    ((None, None), [-1e9, 1e9, -5.0, 3.0], []),
    ((1.0, None), [1.0, 2.5, 0.4, 0.0], [4, 5]),
])
def test_values_outside_the_declared_range_are_problems(valid_range, values, bad):
    """The bounds are the framework's declaration, nothing guessed from unit or name."""
    frame = pd.DataFrame({"region_code": "990102", "year": [2017, 2018, 2019, 2020],
                          "x": values}, index=[2, 3, 4, 5])
    _, problems = check_frame(frame, county_panel_schema(_one_indicator(valid_range)))
    assert problems["row"].tolist() == bad
    assert set(problems["column"]) <= {"x"}


def test_a_ratio_below_one_is_reported_as_looking_inverted():
    fw = _one_indicator((1.0, None), unit="比值", name="城乡收入比")
    frame = pd.DataFrame({"region_code": "990102", "year": [2019, 2020], "x": [2.5, 0.4]},
                         index=[2, 3])
    _, problems = check_frame(frame, county_panel_schema(fw))
    assert problems["row"].tolist() == [3]
    assert "倒数" in problems.loc[0, "problem"] and "0.4" in problems.loc[0, "problem"]
    assert "≥ 1" in problems.loc[0, "problem"]


def test_the_same_unit_gets_the_bounds_its_indicator_declares():
    """A growth rate in % declared open is not held to 0–100 as a coverage rate is."""
    frame = pd.DataFrame({"region_code": "990102", "year": [2020], "x": [-12.0]}, index=[2])
    open_rate = county_panel_schema(_one_indicator((None, None), unit="%"))
    rate = county_panel_schema(_one_indicator((0.0, 100.0), unit="%"))
    assert check_frame(frame, open_rate)[1].empty
    assert not check_frame(frame, rate)[1].empty


def test_impossible_county_values_are_problems_naming_the_value(small_framework):
    """Income −15000 and a rate of 150 % pass no more ([5b/8])."""
    schema = county_panel_schema(small_framework, indicators=["rural_income", "forest_cover"])
    frame = _panel(rural_income=[12000.0, -15000.0, 9000.0], forest_cover=[40.0, 50.0, 150.0])
    _, problems = check_frame(frame.drop(columns="engel_coefficient"), schema)
    got = {(r.row, r.column): r.problem for r in problems.itertuples()}
    assert set(got) == {(3, "rural_income"), (4, "forest_cover")}
    assert "-15000" in got[3, "rural_income"] and "150" in got[4, "forest_cover"]


def test_the_default_framework_bounds_admit_the_bundled_sample():
    from linkage.frameworks import load_framework
    from linkage.paths import sample_dir

    fw = load_framework()
    panel = pd.read_csv(sample_dir() / "county_panel.csv", dtype={"region_code": "str"})
    _, problems = check_frame(_rows(panel), county_panel_schema(fw))
    assert problems.empty, problems.head()


def test_region_code_rules(small_framework):
    schema = county_panel_schema(small_framework, indicators=["rural_income"])
    codes = pd.Series(["99010", "000101", "990102"], dtype="str")
    _, problems = check_frame(_panel(region_code=codes).drop(columns="engel_coefficient"), schema)
    assert problems["row"].tolist() == [2, 3]
    assert "6 位数字" in problems.loc[0, "problem"]
    assert "省级代码" in problems.loc[1, "problem"]


def test_region_list_rejects_unknown_codes(small_framework):
    schema = county_panel_schema(small_framework, indicators=["rural_income"],
                                 regions=["990101"], regions_label="counties.csv")
    _, problems = check_frame(_panel().drop(columns="engel_coefficient"), schema)
    assert problems["row"].tolist() == [4]
    assert "counties.csv" in problems.loc[0, "problem"]
    assert "990102" in problems.loc[0, "problem"]


def test_year_out_of_range_and_unknown_column(small_framework):
    schema = county_panel_schema(small_framework, indicators=["rural_income"])
    frame = _panel(year=[2020, 1900, 2021], extra=[1.0, 2.0, 3.0])
    _, problems = check_frame(frame.drop(columns="engel_coefficient"), schema)
    assert set(problems["column"]) == {"year", "extra"}
    assert problems.loc[problems["column"] == "year", "row"].tolist() == [3]
    relaxed = county_panel_schema(small_framework, indicators=["rural_income"],
                                  allow_extra=True)
    _, problems = check_frame(frame.drop(columns="engel_coefficient"), relaxed)
    assert problems["column"].tolist() == ["year"]


def test_missing_required_column_is_named(small_framework):
    schema = county_panel_schema(small_framework, indicators=["rural_income"])
    _, problems = check_frame(_panel().drop(columns=["year", "engel_coefficient"]), schema)
    assert problems["column"].tolist() == ["year"]
    assert problems.loc[0, "problem"].startswith("缺少必需的列")
    assert pd.isna(problems.loc[0, "row"])


def test_valid_households_pass_and_business_loss_is_allowed(household_rows):
    validated, problems = check_frame(_rows(household_rows), household_schema())
    assert problems.empty
    assert validated["income_business"].min() < 0
    assert validated["food_clothing_ok"].dtype == bool
    assert str(validated["risk_eliminated"].dtype) == "boolean"


@pytest.mark.parametrize(
    ("column", "row", "value", "word"),
    [
        ("income_wage", 1, -5.0, "收入为负数"),
        ("income_transfer", 0, -1.0, "收入为负数"),
        ("hh_size", 0, 0, "家庭人口小于 1"),
        ("n_labour", 1, 3, "劳动力人数大于家庭人口"),
        ("monitor_category", 0, "低保户", "监测类型不在可选值中"),
        ("shock", 2, "火灾", "主要风险不在可选值中"),
        ("weight", 2, 0.0, "权重不大于 0"),
        ("risk_eliminated", 0, True, "非监测对象"),
    ],
)
def test_household_rules(household_rows, column, row, value, word):
    frame = household_rows.copy()
    frame[column] = frame[column].astype(object)
    frame.loc[row, column] = value
    if column in ("income_wage", "income_transfer", "hh_size"):
        frame = frame.drop(columns="income_pc")
        frame["income_pc"] = (frame[["income_wage", "income_business", "income_property",
                                     "income_transfer"]].sum(axis=1) / frame["hh_size"].clip(1))
    if column == "hh_size":
        frame.loc[row, "n_labour"] = 0
    frame[column] = frame[column].infer_objects()
    _, problems = check_frame(_rows(frame), household_schema())
    assert problems["row"].tolist() == [row + 2]
    assert problems["column"].tolist() == [column]
    assert word in problems.loc[0, "problem"]


@pytest.mark.parametrize(("gap", "ok"), [(INCOME_PC_TOLERANCE * 0.99, True),
                                         (INCOME_PC_TOLERANCE * 1.5, False)])
def test_income_pc_must_match_components_within_one_yuan(household_rows, gap, ok):
    frame = household_rows.copy()
    frame.loc[1, "income_pc"] += gap
    _, problems = check_frame(_rows(frame), household_schema())
    assert problems.empty is ok
    if not ok:
        assert problems[["row", "column"]].values.tolist() == [[3, "income_pc"]]


def test_missing_boolean_is_reported_once(household_rows):
    frame = household_rows.copy()
    frame["exited_poor"] = pd.array([True, None, True], dtype="boolean")
    _, problems = check_frame(_rows(frame), household_schema())
    assert problems[["row", "column"]].values.tolist() == [[3, "exited_poor"]]
    assert problems.loc[0, "problem"] == "缺少必填值"


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fixture only read
@given(st.lists(
    st.tuples(st.integers(1, 9), st.integers(0, 9),
              st.lists(st.floats(0, 1e6, allow_nan=False), min_size=3, max_size=3),
              st.floats(-1e5, 1e6, allow_nan=False)),
    min_size=1, max_size=8))
def test_income_pc_computed_from_components_always_passes(household_rows, records):
    """Invariant: any household with income_pc = components / hh_size is consistent."""
    n = len(records)
    base = household_rows.iloc[[0] * n].reset_index(drop=True)
    base["household_id"] = [f"H{i}" for i in range(n)]
    base["hh_size"] = [r[0] for r in records]
    base["n_labour"] = [min(r[1], r[0]) for r in records]
    base[["income_wage", "income_property", "income_transfer"]] = [r[2] for r in records]
    base["income_business"] = [r[3] for r in records]
    base["income_pc"] = base[["income_wage", "income_business", "income_property",
                              "income_transfer"]].sum(axis=1) / base["hh_size"]
    _, problems = check_frame(_rows(base), household_schema())
    assert problems.empty


def test_household_region_codes_are_county_codes(household_rows):
    rows = household_rows.assign(region_code=["110000", "990101", "990100"])
    _, problems = check_frame(_rows(rows), household_schema())
    got = problems[problems["column"] == "region_code"]
    assert got["row"].tolist() == [2, 4]
    assert "农户数据中应为县级代码" in got["problem"].iloc[0]
    assert "--kind" not in " ".join(got["hint"])
