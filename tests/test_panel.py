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


def test_user_csv_is_read_through_the_kits_reader_and_is_not_simulated(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame({"region_code": ["110101", "110102"], "year": [2020, 2020],
                  "rural_income_pc": [1.0, 2.0]}).to_csv(path, index=False)
    data = load_panel(path)
    assert list(data.panel["region_code"]) == ["110101", "110102"]
    assert not data.simulated
    assert data.counties.empty
    assert data.region_name("110101") == "110101"
    assert data.summary() == "2 个县，2020—2020 年，2 行（用户数据）"
    assert data.summary(language="en") == "2 counties, 2020–2020, 2 rows (user data)"
    with pytest.raises(InputError, match="language"):
        data.summary(language="fr")


def test_gbk_csv_with_chinese_headings_reads_like_ingest(tmp_path):
    """A report input in GBK with the framework's Chinese headings (as Excel writes a CSV)
    is read by the kit's reader, not by plain pandas (which fails on the encoding)."""
    sample = load_panel()
    path = tmp_path / "面板.csv"
    text = ("区划代码,年份,农村居民人均可支配收入（元）\n"
            "110101,2020,15000\n110101,2021,16000\n110102,2020,14000\n")
    path.write_bytes(text.encode("gbk"))
    data = load_panel(path)
    assert list(data.panel.columns[:3]) == ["region_code", "year", "rural_income_pc"]
    assert data.panel["rural_income_pc"].tolist() == [15000.0, 16000.0, 14000.0]
    assert not data.simulated and sample.simulated


def test_county_table_is_coerced_to_its_documented_kinds(tmp_path):
    panel = tmp_path / "p.csv"
    pd.DataFrame({"region_code": ["110101", "110102"], "year": [2020, 2020],
                  "rural_income_pc": [1.0, 2.0]}).to_csv(panel, index=False)
    counties = tmp_path / "c.csv"
    counties.write_bytes("region_code,region_name,poverty_county,exit_year,rural_population\n"
                         "110101,甲县,是,2018,20.5\n110102,乙县,否,,31\n".encode("gbk"))
    data = load_panel(panel, counties=counties)
    c = data.counties
    assert c.loc["110101", "poverty_county"] is True or bool(c.loc["110101", "poverty_county"])
    assert c["poverty_county"].tolist() == [True, False]
    assert c["exit_year"].tolist()[0] == 2018 and pd.isna(c["exit_year"].tolist()[1])
    assert c["rural_population"].tolist() == [20.5, 31.0]
    assert data.region_name("110102") == "乙县"
    # a cell of the wrong kind is named by row and column, not read as text
    counties.write_text("region_code,poverty_county\n110101,也许\n", encoding="utf-8")
    with pytest.raises(InputError, match="poverty_county") as err:
        load_panel(panel, counties=counties)
    assert err.value.row == 2
    counties.write_text("region_code,poverty_county\n110101,是\n110101,否\n", encoding="utf-8")
    with pytest.raises(InputError, match="110101"):
        load_panel(panel, counties=counties)


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
    pd.DataFrame({"code": ["110101"], "year": [2020], "rural_income_pc": [1.0]}).to_csv(
        bad, index=False)
    with pytest.raises(InputError, match="region_code"):
        load_panel(bad)
    good = tmp_path / "good.csv"
    pd.DataFrame({"region_code": ["110101"], "year": [2020], "rural_income_pc": [1.0]}).to_csv(
        good, index=False)
    with pytest.raises(InputError, match=r"counties\.csv"):
        load_panel(good, counties=tmp_path / "counties.csv")


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
    pd.DataFrame({"region_code": ["110101"], "year": [2020], "rural_income_pc": [1.0]}).to_csv(
        path, index=False)
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
    # by region code: the same rule (an unknown value is named, never "False")
    codes = pd.Index(data.counties.index[:3])
    assert data.attribute("poverty_county", codes=codes).index.equals(codes)
    blank = data.counties.assign(poverty_county=data.counties["poverty_county"].astype(object))
    blank.loc[codes[1], "poverty_county"] = None
    unknown = type(data)(data.panel, blank, data.simulated, data.sources)
    with pytest.raises(InputError, match=f"1 个县.*{codes[1]}"):
        unknown.attribute("poverty_county", codes=codes)


def test_prefecture_level_weights_must_exist():
    data = load_panel()
    with pytest.raises(InputError, match="population_total"):
        data.at_level("prefecture", weights="population_total")
    unweighted = data.at_level("prefecture", weights=None)
    assert unweighted.panel["region_code"].nunique() == data.counties["prefecture_code"].nunique()


# --- region levels: a province panel (31 provinces × years) ---------------------------------
def _province_csv(tmp_path, *, two_digit: bool = False):
    """The shipped 中国统计年鉴 province incomes as a user would bring them: Chinese headings,
    one row per province-year, the ratio urban / rural."""
    from linkage import datasets

    real = datasets.load("province_income_rural_urban_2010_2020").dropna(subset=["province_code"])
    codes = real["province_code"].str[:2] if two_digit else real["province_code"]
    frame = pd.DataFrame({
        "区划代码": codes, "省份": real["province"], "年份": real["year"],
        "农村居民人均可支配收入": real["rural_disposable_income_yuan"],
        "城乡居民人均可支配收入比(农村=1)": real["urban_disposable_income_yuan"]
        / real["rural_disposable_income_yuan"]})
    path = tmp_path / "省级面板.csv"
    frame.to_csv(path, index=False)
    return path, real


@pytest.mark.parametrize("two_digit", [False, True])
def test_a_province_panel_loads_at_its_level(tmp_path, two_digit):
    path, real = _province_csv(tmp_path, two_digit=two_digit)
    data = load_panel(path)
    assert data.level == "province"
    assert data.panel["region_code"].nunique() == 31
    assert data.panel["region_code"].str.fullmatch(r"\d{2}0000").all()
    assert len(data.panel) == len(real)
    assert data.summary().startswith("31 个省份，2010—2020 年")
    assert data.summary(language="en").startswith("31 provinces, 2010–2020")
    assert data.between_years(2013, 2020).level == "province"


def test_an_explicit_level_the_codes_contradict_is_refused(tmp_path):
    from linkage.errors import DataValidationError

    path, _ = _province_csv(tmp_path)
    with pytest.raises(DataValidationError, match="--kind province"):
        load_panel(path, level="county")


def test_inequality_and_convergence_work_on_a_province_panel(tmp_path):
    """The functions the extension section uses take a province panel as they take counties."""
    from linkage import convergence, inequality

    data = load_panel(_province_csv(tmp_path)[0]).between_years(2013, 2020)
    sigma = convergence.sigma_convergence(data.panel, value="rural_income_pc")
    assert sigma.to_frame().index.tolist() == list(range(2013, 2021))
    assert (sigma.to_frame()["n"] == 31).all()
    beta = convergence.beta_convergence(data.panel, value="rural_income_pc", start=2013,
                                        end=2020)
    assert beta.n == 31
    year = data.panel[data.panel["year"] == 2020]
    assert 0 < inequality.gini(year["rural_income_pc"]) < 1
    assert inequality.theil(year["rural_income_pc"]).total > 0


def test_county_only_analyses_refuse_a_province_panel_by_name(tmp_path):
    data = load_panel(_province_csv(tmp_path)[0])
    with pytest.raises(InputError, match="政策效应评估需要县域面板，现在的数据是省级面板"):
        data.require_level("county", what="政策效应评估")
    with pytest.raises(InputError, match="汇总到地级需要县域面板"):
        data.at_level("prefecture")
    with pytest.raises(InputError, match="按县分析需要县域面板"):
        data.at_level("county")
    assert data.at_level("province") is data
    data.require_level("province", "county", what="收敛分析")  # no error


def test_county_table_prefecture_codes_from_stata_are_completed_with_a_warning(tmp_path):
    panel = tmp_path / "p.csv"
    pd.DataFrame({"region_code": ["130102", "130203"], "year": [2020, 2020],
                  "rural_income_pc": [1.0, 2.0]}).to_csv(panel, index=False)
    counties = tmp_path / "c.csv"
    pd.DataFrame({"region_code": ["130102", "130203"],
                  "prefecture_code": [1301, 1302]}).to_csv(counties, index=False)
    with pytest.warns(UserWarning, match="2 个 4 位地级代码已补为 6 位"):
        data = load_panel(panel, counties=counties)
    assert data.counties["prefecture_code"].tolist() == ["130100", "130200"]


@pytest.mark.parametrize("key", ["overview", "extension", "policy_effects", "policy_synergy"])
def test_the_region_reports_county_chapters_refuse_a_province_panel_by_name(tmp_path, key):
    """A province panel in a region report: its chapters compare counties, so each says so
    (the real-data chapter and the convergence functions above take provinces)."""
    import importlib

    section = importlib.import_module(f"linkage.sections.{key}")
    path, _ = _province_csv(tmp_path)
    with pytest.raises(InputError, match="地区报告（县、地级市与全省的比较）需要县域面板，"
                                         "现在的数据是省级面板"):
        section.build(panel=str(path), start_year=2013, end_year=2020,
                      cache_dir=str(tmp_path / "cache"))
