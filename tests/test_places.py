"""Place names to codes (linkage.places): each method, ambiguity, every province form,
municipalities, renamings, invariances, and the real programme calendars."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage import datasets
from linkage.errors import InputError
from linkage.places import (
    METHODS,
    aliases,
    is_nbs_functional_code,
    is_real_code,
    name_of,
    programme_list,
    resolve_codes,
    treatment_calendar,
)
from linkage.places.codes import spans


def resolve(rows: list[dict], **columns) -> pd.DataFrame:
    """Resolve a small table given as records; columns named as the keys."""
    table = pd.DataFrame(rows)
    names = {k: k for k in ("province", "prefecture", "county") if k in table.columns}
    return resolve_codes(table, **names, **columns)


def one(vintage=None, **names) -> pd.Series:
    return resolve([names], vintage=vintage).iloc[0]


# --- the contract ---------------------------------------------------------------------------


def test_same_index_and_the_contract_columns():
    table = pd.DataFrame({"省": ["北京", "广东", "不存在省"]}, index=["a", "b", "a"])
    out = resolve_codes(table, province="省")
    assert out.index.equals(table.index)
    assert {"region_code", "matched_name", "method"} <= set(out.columns)
    assert out["region_code"].dtype == "string"
    assert out["region_code"].tolist()[:2] == ["110000", "440000"]
    assert out["region_code"].isna().tolist() == [False, False, True]
    assert set(out["method"]) <= set(METHODS)


def test_codes_are_six_digit_text_or_missing_never_blank_strings():
    out = resolve([{"county": "南山区", "province": "广东"}, {"county": "", "province": ""},
                   {"county": None, "province": None}])
    assert out["region_code"].iloc[0] == "440305"
    assert out["region_code"].iloc[1:].isna().all()
    assert (out["method"].iloc[1:] == "unmatched").all()
    assert (out["note"].iloc[1:] == "没有地名 / no place name").all()


# --- provinces and totals -------------------------------------------------------------------

PROVINCES = spans().query("level == 'province'").drop_duplicates("region_code")


@pytest.mark.parametrize("code", PROVINCES["region_code"].tolist())
def test_every_province_by_full_name_short_name_and_padded(code):
    full = PROVINCES.set_index("region_code").loc[code, "name"]
    short = full.removesuffix("省").removesuffix("市").removesuffix("特别行政区")
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区"):
        short = short.removesuffix(suffix)
    padded = "  ".join(short) + "\u3000"
    out = resolve([{"province": full}, {"province": short}, {"province": padded}])
    assert out["region_code"].tolist() == [code] * 3
    assert out["method"].tolist() == ["exact", "normalized", "normalized"]
    assert (out["matched_name"] == full).all()


@pytest.mark.parametrize(("name", "code"), [
    ("北京", "110000"), ("北京市", "110000"), ("内蒙古", "150000"), ("内蒙古自治区", "150000"),
    ("广西壮族自治区", "450000"), ("广西", "450000"), ("新疆", "650000"),
    ("宁夏回族自治区", "640000"), ("黑龙江", "230000"), ("香港特别行政区", "810000"),
])
def test_the_province_forms_of_the_issue(name, code):
    assert one(province=name)["region_code"] == code


@pytest.mark.parametrize("name", ["全国", "地方合计", "合计", "全 国", "全国合计"])
def test_national_totals_are_000000(name):
    row = one(province=name)
    assert row["region_code"] == "000000" and row["level"] == "national"


# --- counties in their province and prefecture ---------------------------------------------


@pytest.mark.parametrize(("names", "code"), [
    ({"province": "广东", "county": "南山区"}, "440305"),
    ({"province": "黑龙江", "county": "南山区"}, "230404"),
    ({"prefecture": "深圳", "county": "南山区"}, "440305"),
    ({"prefecture": "鹤岗市", "county": "南山区"}, "230404"),
    ({"province": "天津", "county": "和平区"}, "120101"),
    ({"province": "辽宁", "county": "和平区"}, "210102"),
    ({"prefecture": "天津", "county": "和平区"}, "120101"),
    ({"prefecture": "沈阳", "county": "和平区"}, "210102"),
    ({"province": "江苏", "prefecture": "南京市", "county": "鼓楼区"}, "320106"),
    ({"province": "江苏", "prefecture": "徐州", "county": "鼓楼区"}, "320302"),
])
def test_same_named_districts_are_told_apart_by_province_or_prefecture(names, code):
    row = one(**names)
    assert (row["region_code"], row["method"]) == (code, "exact")


@pytest.mark.parametrize("prefecture", ["市辖区", "北京市", "北京", "", None])
def test_municipal_districts_with_or_without_the_city_as_prefecture(prefecture):
    row = one(province="北京市", prefecture=prefecture, county="东城区")
    assert row["region_code"] == "110101"


def test_province_administered_units_and_cities_without_counties():
    assert one(province="河南", prefecture="省直辖县级行政区划", county="济源市")[
        "region_code"] == "419001"
    assert one(province="广东", county="东莞市")["region_code"] == "441900"


def test_a_wrong_prefecture_leaves_the_county_unmatched_not_guessed():
    row = one(province="广东", prefecture="广州", county="南山区")
    assert pd.isna(row["region_code"]) and row["method"] == "unmatched"


def test_prefecture_level_names_short_and_autonomous_prefectures():
    out = resolve([{"province": "广东", "prefecture": "深圳"},
                   {"province": "贵州", "prefecture": "黔东南州"},
                   {"province": "贵州", "prefecture": "黔东南苗族侗族自治州"}])
    assert out["region_code"].tolist() == ["440300", "522600", "522600"]
    assert out["level"].tolist() == ["prefecture"] * 3


# --- methods --------------------------------------------------------------------------------


def test_each_method_once():
    rows = [
        {"province": "广西", "county": "融水苗族自治县"},     # exact
        {"province": "广西", "county": "融 水苗族自治县 "},    # normalized
        {"province": "广西", "county": "融水县"},             # alias (short form, stem)
        {"province": "内蒙古", "county": "科右前旗"},          # alias (alias table)
        {"province": "河北", "county": "滦县"},               # historical (at 2020)
        {"province": None, "county": "和平区"},               # ambiguous
        {"province": "河北", "county": "不存在县"},            # unmatched
    ]
    out = resolve(rows, vintage=2020)
    assert out["method"].tolist() == ["exact", "normalized", "alias", "alias", "historical",
                                      "ambiguous", "unmatched"]
    assert out["region_code"].tolist()[:5] == ["450225", "450225", "450225", "152221",
                                              "130284"]
    assert out["note"].iloc[3].startswith("别名表")
    assert "融水" in out["note"].iloc[2]


@pytest.mark.parametrize(("province", "county", "code"), [
    ("广西", "融水县", "450225"), ("内蒙古", "科右前旗", "152221"),
    ("内蒙古", "莫力达瓦旗", "150722"), ("黑龙江", "海伦县", "231283"),
    ("甘肃", "积石山保安族东乡族撒拉族县", "622927"), ("贵州", "镇宁布衣族苗族自治县", "520423"),
])
def test_short_forms_and_printed_typos(province, county, code):
    row = one(province=province, county=county)
    assert (row["region_code"], row["method"]) == (code, "alias")


def test_a_short_form_that_fits_several_names_is_ambiguous():
    # 河北 has 南和区/南和县, 南宫市, 南皮县 …: "南县" has stem 南 (one character) — never guessed
    row = one(province="河北", county="南县")
    assert pd.isna(row["region_code"]) and row["method"] in ("ambiguous", "unmatched")


def test_ambiguous_names_list_their_candidates_and_get_no_code():
    row = one(county="和平区")
    assert row["method"] == "ambiguous" and pd.isna(row["region_code"])
    assert "120101" in row["candidates"] and "210102" in row["candidates"]
    assert "沈阳市" in row["candidates"]


def test_regional_aggregates_get_no_code_and_say_why():
    row = one(province="东部地区")
    assert pd.isna(row["region_code"]) and "区域合计" in row["note"]


def test_nbs_functional_units_are_recognised_and_said_so():
    row = one(province="河北", county="石家庄高新技术产业开发区")
    assert row["method"] == "unmatched" and "管委会" in row["note"]
    assert is_nbs_functional_code(pd.Series(["130171", "110171", "130102", "999971"])).tolist() \
        == [True, True, False, False]
    with pytest.raises(InputError, match="管委会"):
        name_of("130171")


# --- vintages: the 2018 renamings and others -------------------------------------------------


@pytest.mark.parametrize(("year", "code", "method"), [
    (2016, "130223", "exact"), (2017, "130223", "exact"),
    (2018, "130284", "historical"), (2024, "130284", "historical")])
def test_luanxian_becomes_luanzhou_from_2018(year, code, method):
    row = one(vintage=year, province="河北", county="滦县")
    assert (row["region_code"], row["method"]) == (code, method)
    assert row["matched_name"] == ("滦县" if year < 2018 else "滦州市")


def test_a_new_name_in_an_earlier_year_goes_back_to_the_old_code():
    row = one(vintage=2016, province="河北", county="滦州市")
    assert (row["region_code"], row["method"]) == ("130223", "historical")


@pytest.mark.parametrize("name", ["云州区", "大同县", "云州区（大同县）", "云州区(大同县)"])
def test_yunzhou_formerly_datong_county(name):
    row = one(vintage=2018, province="山西", county=name)
    assert row["region_code"] == "140215"


def test_without_a_vintage_a_name_keeps_its_own_code():
    assert one(province="河北", county="滦县")["region_code"] == "130223"
    assert one(province="山西", county="大同县")["region_code"] == "140227"


def test_a_vintage_column_gives_each_row_its_year():
    table = pd.DataFrame({"省": ["河北"] * 3, "县": ["滦县"] * 3, "年": [2016, 2018, "2020"]})
    out = resolve_codes(table, province="省", county="县", vintage="年")
    assert out["region_code"].tolist() == ["130223", "130284", "130284"]


def _renamed_in_2018() -> pd.DataFrame:
    """County codes abolished at the end of 2017 with exactly one successor (the change log)."""
    changes = datasets.load("admin_code_changes_2014_2024")
    gone = changes[(changes["level"] == "county") & (changes["end_year_exclusive"] == 2018)
                   & changes["successor_codes"].str.fullmatch(r"\d{6}").fillna(False)]
    return gone.reset_index(drop=True)


def test_every_2018_one_to_one_change_is_carried_to_its_successor():
    gone = _renamed_in_2018()
    assert len(gone) >= 10  # 滦县, 大同县, … : the test has teeth
    province = gone["region_code"].str[:2] + "0000"
    table = pd.DataFrame({"省": province.map(name_of), "县": gone["name"]})
    at_2017 = resolve_codes(table, province="省", county="县", vintage=2017)
    at_2018 = resolve_codes(table, province="省", county="县", vintage=2018)
    # carried to the successor — unless another unit of the province still bore that name at
    # the end of 2018 (山西 矿区 of 阳泉 after 大同's 矿区 went), which is then the answer, or
    # several did (城区): ambiguous, never a guess
    carried = at_2018["region_code"].eq(gone["successor_codes"]).fillna(False)
    namesake = at_2018["method"].eq("exact") & at_2018["matched_name"].eq(gone["name"])
    assert (carried | namesake | at_2018["method"].eq("ambiguous")).all()
    assert carried.sum() >= 20
    assert at_2018.loc[gone["name"].eq("滦县"), "region_code"].tolist() == ["130284"]
    kept = at_2017["method"] == "exact"
    assert (at_2017.loc[kept, "region_code"] == gone.loc[kept, "region_code"]).all()


def test_name_of_by_vintage():
    assert name_of("130223") == "滦县"
    assert name_of("130284", vintage=2018) == "滦州市"
    assert name_of("000000") == "全国"
    named = name_of(pd.Series(["130502", "130502", "999999"], index=list("xyz")), vintage=2019)
    assert named.tolist()[:2] == ["桥东区", "桥东区"] and pd.isna(named["z"])
    assert name_of("130502", vintage=2020) == "襄都区"
    with pytest.raises(InputError):
        name_of("130284", vintage=2016)


def test_real_codes_of_any_year():
    assert is_real_code(pd.Series(["130223", "130284", "000000", "990101", None])).tolist() == \
        [True, True, True, False, False]


# --- the alias table ------------------------------------------------------------------------


def test_every_alias_row_has_a_reason_and_a_source_and_names_a_real_unit():
    table = aliases()
    assert (table["reason"].str.len() > 0).all() and (table["source"].str.len() > 0).all()
    assert table["province_code"].notna().all()
    official = resolve_codes(table, province="province", county="official_name")
    assert (official["method"] == "exact").all()
    via_alias = resolve_codes(table, province="province", county="alias")
    assert via_alias["region_code"].equals(official["region_code"])


# --- invariances ----------------------------------------------------------------------------

_SPACES = st.lists(st.sampled_from([" ", "  ", "\u3000", "\t"]), min_size=0, max_size=3)


def _pad(name: str, spaces: list[str], where: list[int]) -> str:
    chars = list(name)
    for space, position in zip(spaces, where, strict=False):
        chars.insert(position % (len(chars) + 1), space)
    return "".join(chars)


CASES = [("广东", "深圳", "南山区"), ("山西", None, "云州区（大同县）"),
         ("北京", "市辖区", "东城区"), ("内蒙古", None, "科右前旗"), ("广西", None, "融水县"),
         (None, None, "和平区")]


@settings(max_examples=40)
@given(case=st.sampled_from(CASES), spaces=_SPACES,
       where=st.lists(st.integers(0, 20), min_size=3, max_size=3),
       brackets=st.sampled_from([("（", "）"), ("(", ")"), ("[", "]"), ("【", "】")]))
def test_padding_spaces_and_bracket_forms_do_not_change_the_code(case, spaces, where, brackets):
    province, prefecture, county = case
    plain = one(vintage=2020, province=province, prefecture=prefecture, county=county)
    county = county.replace("（", brackets[0]).replace("）", brackets[1])
    padded = one(vintage=2020, province=province and _pad(province, spaces, where),
                 prefecture=prefecture, county=_pad(county, spaces, where))
    assert str(padded["region_code"]) == str(plain["region_code"])  # "<NA>" when ambiguous
    assert (padded["method"] == "ambiguous") == (plain["method"] == "ambiguous")


ROWS = pd.DataFrame({
    "省": ["广东", "黑龙江", None, "河北", "全国", "内蒙古", "河北", "北京", "广西", "广东"],
    "县": ["南山区", "南山区", "和平区", "滦县", None, "科右前旗", "不存在县", "东城区", "融水县",
          "南山区"],
    "年": [2020, 2020, 2020, 2016, 2020, 2019, 2020, 2018, 2020, 2016],
}, index=[f"r{i}" for i in range(10)])


@settings(max_examples=20)
@given(st.permutations(list(ROWS.index)))
def test_row_order_does_not_change_any_row(order):
    expected = resolve_codes(ROWS, province="省", county="县", vintage="年")
    shuffled = resolve_codes(ROWS.loc[order], province="省", county="县", vintage="年")
    pd.testing.assert_frame_equal(shuffled.loc[expected.index], expected)


# --- bad input ------------------------------------------------------------------------------


def test_bad_arguments_are_input_errors_naming_what_to_do():
    table = pd.DataFrame({"省": ["北京"], "年": ["二〇二〇"]})
    with pytest.raises(InputError, match="至少"):
        resolve_codes(table)
    with pytest.raises(InputError) as exc:
        resolve_codes(table, province="省份")
    assert exc.value.column == "省份" and "省" in exc.value.hint
    with pytest.raises(InputError) as exc:
        resolve_codes(table, province="省", vintage="年")
    assert exc.value.column == "年" and exc.value.row == 2
    with pytest.raises(InputError):
        resolve_codes(table, province="省", vintage=2020.5)
    with pytest.raises(InputError):
        resolve_codes([["北京"]], province="省")


# --- the 832 list: the resolver against the curated codes -----------------------------------

CODED = datasets.load("poverty_county_exit_list_832_coded")


def test_the_resolver_on_its_own_reproduces_the_curated_exact_and_alias_codes():
    names = CODED[["province", "county", "exit_year"]]  # names and years only, no codes
    out = resolve_codes(names, province="province", county="county", vintage="exit_year")
    agree = out["region_code"].eq(CODED["region_code"]).fillna(False)
    checked = CODED["match_method"].isin(["exact", "alias"])
    assert checked.sum() == 821
    assert agree[checked].sum() == 821
    # the curated "manual" rows too, except 大柴旦行委 (NBS-only code, no 民政部 code)
    differ = CODED.loc[~agree, "county"].tolist()
    assert differ == ["大柴旦行委"]
    assert out.loc[~agree, "method"].tolist() == ["unmatched"]
    assert "管委会" in out.loc[~agree, "note"].iloc[0]


def test_832_yearly_totals_and_unique_codes():
    table = datasets.load("poverty_county_exit_list_832")
    assert table.groupby("exit_year").size().tolist() == [28, 125, 283, 344, 52]
    assert table["region_code"].str.fullmatch(r"\d{6}").all()
    repeated = table.loc[table["region_code"].duplicated(keep=False)]
    # 冷湖行委 and 茫崖行委 were merged into 茫崖市 in 2018: the one shared code
    assert sorted(repeated["county"]) == ["冷湖行委", "茫崖行委"]
    assert set(repeated["region_code"]) == {"632803"}
    for column in ("code_2020", "code_2024"):
        codes = table[column].dropna()
        assert codes.duplicated().sum() == 1


# --- the programme calendar -----------------------------------------------------------------


def _panel(codes: list[str], years=range(2014, 2023)) -> pd.DataFrame:
    return pd.DataFrame([(c, y) for c in codes for y in years], columns=["county", "year"])


def test_the_832_list_at_each_vintage():
    for vintage in ("listed", 2020, 2024):
        table = programme_list("exit_832", vintage=vintage)
        assert table["region_code"].is_unique
        assert table["cohort"].between(2016, 2020).all()
    listed = programme_list("exit_832").set_index("region_code")
    at_2024 = programme_list("exit_832", vintage=2024).set_index("region_code")
    assert listed.loc["520221", "cohort"] == at_2024.loc["520204", "cohort"]  # 水城县 → 水城区
    assert "632857" in listed.index and "632857" not in at_2024.index  # 大柴旦: no 2024 code


def test_treatment_calendar_gives_cohorts_and_treated_for_every_panel_row():
    listed = programme_list("exit_832", vintage=2024)
    treated = listed.groupby("cohort").head(2)["region_code"].tolist()  # 2 counties per cohort
    controls = ["110101", "440305"]
    cal = treatment_calendar(_panel(treated + controls), programme="exit_832", vintage=2024,
                             unit="county")
    data = cal.to_frame()
    assert len(data) == 12 * 9 and data["cohort"].dtype == int
    expected = data["county"].map(listed.set_index("region_code")["cohort"]).fillna(0)
    assert (data["cohort"] == expected).all()
    assert (data["treated"] == ((data["cohort"] > 0) & (data["year"] >= data["cohort"]))).all()
    assert cal.cohorts.to_dict() == {0: 2, 2016: 2, 2017: 2, 2018: 2, 2019: 2, 2020: 2}
    # the county table the policy-effects section takes gives the same cohorts
    from linkage.sections.policy_effects import treatment_cohorts

    table = cal.attributes
    assert table["poverty_county"].sum() == 10
    cohorts = treatment_cohorts(table, treatment="exit")
    assert cohorts.to_dict() == data.drop_duplicates("county").set_index("county")[
        "cohort"].to_dict()
    assert "处理县 10 个" in cal.summary() and "10 treated" in cal.summary("en")


def test_the_calendar_feeds_the_staggered_did():
    from linkage.evaluation.staggered import staggered_did

    listed = programme_list("exit_832", vintage=2024)
    codes = listed.groupby("cohort").head(3)["region_code"].tolist()
    never = spans().query("level == 'county' and last_year == 9999 and region_code < '120000'")
    panel = _panel(codes + never["region_code"].head(6).tolist())
    data = treatment_calendar(panel, programme="exit_832", vintage=2024,
                              unit="county").to_frame()
    data["y"] = data["year"] * 0.1 + data["treated"] * 1.0 + data["county"].str[-2:].astype(int)
    result = staggered_did(data, "y", unit="county", time="year", cohort="cohort")
    assert result.aggregate("simple").att == pytest.approx(1.0)


def test_codes_of_another_vintage_are_refused_not_silently_untreated():
    panel = _panel(["520221"])  # 水城县, replaced by 水城区 in 2020
    with pytest.raises(InputError, match="2024") as exc:
        treatment_calendar(panel, programme="exit_832", vintage=2024, unit="county")
    assert "vintage" in exc.value.hint
    assert treatment_calendar(panel, programme="exit_832", vintage="listed",
                              unit="county").to_frame()["cohort"].iloc[0] > 0


def test_codes_that_are_no_region_codes_are_refused():
    with pytest.raises(InputError, match="不是民政部"):
        treatment_calendar(_panel(["990101"]), programme="exit_832", unit="county")


def test_the_partial_key_list_never_reads_a_gap_as_a_control():
    yunnan_not_listed, sichuan_not_listed = "530102", "510104"  # 五华区, 锦江区
    listed = programme_list("key_160")["region_code"].tolist()
    panel = _panel([listed[0], yunnan_not_listed, sichuan_not_listed, "110101"])
    with pytest.raises(InputError, match="530102"):
        treatment_calendar(panel, programme="key_160", vintage=2021, unit="county")
    cal = treatment_calendar(panel, programme="key_160", vintage=2021, unit="county",
                             missing="drop")
    assert cal.unknown == (yunnan_not_listed,)
    kept = cal.to_frame().drop_duplicates("county").set_index("county")["cohort"]
    assert kept.to_dict() == {listed[0]: 2021, sichuan_not_listed: 0, "110101": 0}
    kept = treatment_calendar(panel, programme="key_160", vintage=2021, unit="county",
                              missing="keep")
    frame = kept.to_frame()
    assert frame.loc[frame["county"] == yunnan_not_listed, "cohort"].isna().all()
    assert kept.attributes["key_assistance"].isna().tolist() == [False, True, False, False]
    from linkage.sections.policy_effects import treatment_cohorts

    assert treatment_cohorts(kept.attributes, missing="drop").to_dict() == {
        listed[0]: 2021, sichuan_not_listed: 0, "110101": 0}


def test_calendar_options_are_checked():
    panel = _panel(["110101"])
    with pytest.raises(InputError):
        treatment_calendar(panel, programme="exit_800", unit="county")
    with pytest.raises(InputError):
        treatment_calendar(panel, programme="exit_832", vintage="end-2020", unit="county")
    with pytest.raises(InputError):
        treatment_calendar(panel, programme="exit_832", unit="code")
    with pytest.raises(InputError, match="cohort"):
        treatment_calendar(panel.assign(cohort=0), programme="exit_832", unit="county")
    with pytest.raises(InputError, match="为空"):
        treatment_calendar(panel.assign(county=[None, *panel["county"][1:]]),
                           programme="exit_832", unit="county")


@pytest.mark.parametrize("module", ["codes", "resolve", "calendar", "files"])
def test_the_docstring_examples_run(module):
    import doctest
    import importlib

    failed, tried = doctest.testmod(importlib.import_module(f"linkage.places.{module}"))
    assert tried > 0 and failed == 0
