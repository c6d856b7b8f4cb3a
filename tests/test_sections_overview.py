"""Data overview tables: coverage, missingness, descriptives, trends, narrative."""

import re

import numpy as np
import pandas as pd
import pytest

from linkage.errors import InputError
from linkage.frameworks import load_framework
from linkage.labels import label
from linkage.panel import PanelData
from linkage.sample import generate_sample
from linkage.sections import overview

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


def test_not_applicable_is_not_missing(data):
    """东西部协作 funds apply to former poverty counties only (the framework's eligible rule):
    the other counties' empty cells are counted as 不适用, not as gaps."""
    cov = overview.indicator_coverage(data.panel, FW, counties=data.counties)
    row = cov.loc["east_west_funds_pc"]
    others = int((~data.attribute("poverty_county").astype(bool)).sum())
    assert row[label("n_not_applicable")] == others > 0
    assert row[label("n_obs")] + row[label("n_missing")] + others == len(data.panel)
    assert row[label("missing_share")] < 5  # ~1 % random gaps among the counties it applies to
    assert (cov.drop(index="east_west_funds_pc")[label("n_not_applicable")] == 0).all()
    assert cov.attrs["note"] == ""
    by_year = overview.missingness_by_year(data.panel, FW, counties=data.counties)
    assert by_year.loc[FW["east_west_funds_pc"].name_zh].max() < 20
    # without the county table the two cannot be told apart, and the table says so
    bare = overview.indicator_coverage(data.panel, FW)
    assert pd.isna(bare.at["east_west_funds_pc", label("n_not_applicable")])
    assert bare.at["east_west_funds_pc", label("missing_share")] > 50
    assert "poverty_county" in bare.attrs["note"] and "计为缺失" in bare.attrs["note"]
    assert "poverty_county" in overview.missingness_by_year(data.panel, FW).attrs["note"]
    # a county whose status is unknown is named, never guessed
    status = data.counties["poverty_county"].astype(object)
    status.iloc[0] = None
    with pytest.raises(InputError, match=str(data.counties.index[0])):
        overview.indicator_coverage(data.panel, FW,
                                    counties=data.counties.assign(poverty_county=status))


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
    own = trend[trend[label("series")] == overview.featured_label(data, region)]
    assert len(own) == data.panel["year"].nunique()


def test_featured_county_is_named_with_its_status(data):
    region = overview.default_region(data)  # a key assistance county (and former poor)
    assert overview.featured_label(data, region) == (
        f"{data.region_name(region)}（原国家贫困县、国家乡村振兴重点帮扶县）")
    assert "key assistance" in overview.featured_label(data, region, language="en")
    other = data.counties.index[~data.counties["poverty_county"]][0]
    assert overview.county_status(data, other) == "非原贫困县"
    bare = PanelData(data.panel, data.counties.drop(columns=["poverty_county",
                                                             "key_assistance"]), True, ())
    assert overview.county_status(bare, other) == "县属性未提供"


def test_peer_average_is_the_other_counties_of_the_same_status(data):
    region = overview.default_region(data)
    column, peers = overview.peer_counties(data, region)
    assert column == "key_assistance" and region not in peers
    assert set(peers) == set(data.counties.index[data.counties["key_assistance"]]) - {region}
    trend = overview.region_trend(data, "rural_income_pc", region)
    series = trend[label("series")].unique()
    assert len(series) == 3
    peer = trend[trend[label("series")] == series[2]].set_index(label("year"))[label("value")]
    rows = data.panel[data.panel["region_code"].isin(peers) & (data.panel["year"] == 2020)]
    w = rows["region_code"].map(data.counties["rural_population"])
    assert peer.loc[2020] == pytest.approx(np.average(rows["rural_income_pc"], weights=w))


def test_named_weight_column_must_exist(data):
    # a weighted mean never silently becomes unweighted
    from linkage.errors import InputError

    region = overview.default_region(data)
    with pytest.raises(InputError, match="households_total"):
        overview.region_trend(data, "rural_income_pc", region, weights="households_total")
    with pytest.raises(InputError, match="households_total"):
        overview.group_trends(data, ["rural_income_pc"], weights="households_total")
    simple = overview.group_trends(data, ["rural_income_pc"], weights=None)
    poor = data.panel["region_code"].map(data.counties["poverty_county"])
    rows = data.panel[poor & (data.panel["year"] == 2020)]
    assert simple.set_index(label("year")).at[2020, label("poverty_counties")] == pytest.approx(
        rows["rural_income_pc"].mean())


def test_group_trends_counts_counties_and_gives_intervals(data):
    panel = data.panel.copy()
    first = panel.index[(panel["year"] == 2020) & panel["region_code"].map(
        data.counties["poverty_county"])][0]
    panel.loc[first, "rural_income_pc"] = np.nan
    g = overview.group_trends(PanelData(panel, data.counties, True, ()), ["rural_income_pc"],
                              ci=True, reps=199, seed=2).set_index(label("year"))
    n_poor = int(data.counties["poverty_county"].sum())
    assert g.at[2020, label("n_poverty_counties")] == n_poor - 1  # left out, and counted
    assert g.at[2021, label("n_poverty_counties")] == n_poor
    low, high = f"{label('gap_ratio')} 95%CI下限", f"{label('gap_ratio')} 95%CI上限"
    assert (g[low] <= g[label("gap_ratio")]).all() and (g[label("gap_ratio")] <= g[high]).all()


def test_group_trends_needs_every_county_in_the_county_table(data):
    from linkage.errors import InputError

    counties = data.counties.drop(index=data.counties.index[0])
    with pytest.raises(InputError, match=data.counties.index[0]):
        overview.group_trends(PanelData(data.panel, counties, True, ()), ["rural_income_pc"])


def test_default_region_is_a_key_assistance_county(data):
    code = overview.default_region(data)
    assert bool(data.counties.at[code, "key_assistance"])


def test_group_trend_ratio_is_poverty_over_other(data):
    g = overview.group_trends(data, ["rural_income_pc"])
    assert list(g.columns[:5]) == [label(k) for k in ("indicator", "year", "poverty_counties",
                                                      "other_counties", "gap_ratio")]
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
    en = overview.overview_narrative(data, FW, region_code=overview.default_region(data),
                                     language="en")
    cov = overview.indicator_coverage(data.panel, FW, counties=data.counties)
    worst = cov[label("missing_share")].idxmax()
    assert f"“{FW[worst].name_zh}”（{cov.at[worst, label('missing_share')]:.1f}%）" in lines[0]
    n_missing, n_obs = cov[label("n_missing")].sum(), cov[label("n_obs")].sum()
    share = n_missing / (n_missing + n_obs)
    assert f"总体缺失率 {share:.1%}" in lines[0]
    assert len(en) == len(lines) and "simulated" in en[-1]
    assert not any("县（" in line for line in en)  # no Chinese sentence left in English


def _growth(trend, series):
    s = trend[trend[label("series")] == series].set_index(label("year"))[label("value")]
    return (s.iloc[-1] / s.iloc[0]) ** (1 / (s.index[-1] - s.index[0])) - 1


def test_featured_sentence_states_status_and_compares_with_peers_as_the_table_says(data):
    region = overview.default_region(data)
    line = overview.overview_narrative(data, FW, region_code=region)[1]
    trend = overview.region_trend(data, "rural_income_pc", region)
    own, prov, peer = (_growth(trend, s) for s in trend[label("series")].unique())
    assert line.startswith(overview.featured_label(data, region))  # status said first
    assert f"年均增长 {own:.1%}" in line
    assert f"{'快于' if own > prov else '慢于'}全省平均（{prov:.1%}）" in line
    assert f"{'快于' if own > peer else '慢于'}其他国家乡村振兴重点帮扶县平均（{peer:.1%}）" in line
    # make the county the slowest of all: the sentence must turn around
    panel = data.panel.copy()
    last = (panel["region_code"] == region) & (panel["year"] == panel["year"].max())
    panel.loc[last, "rural_income_pc"] *= 0.5
    slow = overview.overview_narrative(PanelData(panel, data.counties, True, ()), FW,
                                       region_code=region)[1]
    assert "慢于全省平均" in slow and "慢于其他国家乡村振兴重点帮扶县平均" in slow


def test_group_gap_sentence_says_who_leads(data):
    line = overview.overview_narrative(data, FW, region_code=overview.default_region(data),
                                       seed=1)[2]
    table = overview.group_trends(data, ["rural_income_pc"], ci=True, seed=1).set_index(
        label("year"))
    ratio = table[label("gap_ratio")]
    low, high = overview.ci_columns(label("ratio_change"), 0.95)
    assert f"{ratio.iloc[0]:.2f}" in line and f"{ratio.iloc[-1]:.2f}" in line
    assert f"CI {table[low].iloc[-1]:+.3f}–{table[high].iloc[-1]:+.3f}" in line
    assert table[low].iloc[-1] > 0  # 0.66 → 0.77: the interval of the change is above 0
    assert ("落后但差距缩小" in line) == (ratio.iloc[0] < ratio.iloc[-1] < 1)
    # former poverty counties ahead at both dates, by less at the end: a lead that narrowed,
    # never "差距缩小"
    panel = data.panel.copy()
    poor = panel["region_code"].map(data.counties["poverty_county"])
    years = panel["year"]
    panel.loc[poor, "rural_income_pc"] *= np.where(years[poor] == years.min(), 2.0, 1.4)
    ahead = overview.overview_narrative(PanelData(panel, data.counties, True, ()), FW,
                                        region_code=overview.default_region(data))[2]
    assert "领先但领先缩小" in ahead and "差距缩小" not in ahead


def _scaled(data, factor):
    """The sample with former poverty counties' last-year income set so that the ratio of
    the group means is ``factor`` × its first-year value (every poor county moved alike)."""
    panel = data.panel.copy()
    w = panel["region_code"].map(data.counties["rural_population"])
    poor = panel["region_code"].map(data.counties["poverty_county"]).astype(bool)
    years = panel["year"]
    first, last = years.min(), years.max()

    def mean(rows):
        return (panel.loc[rows, "rural_income_pc"] * w[rows]).sum() / w[rows].sum()

    growth = mean(~poor & (years == last)) / mean(~poor & (years == first))
    base = panel.loc[poor & (years == first)].set_index("region_code")["rural_income_pc"]
    at_last = poor & (years == last)
    panel.loc[at_last, "rural_income_pc"] = (
        panel.loc[at_last, "region_code"].map(base) * growth * factor).to_numpy()
    return PanelData(panel, data.counties, True, ())


def test_a_gap_that_closed_by_a_hair_is_not_called_narrowed(data):
    """Constructed: the ratio rises on the point estimate (× 1.002) but the interval of the
    change covers 0 → "变化不显著" with the interval; a 10 % rise → "差距缩小"."""
    region = overview.default_region(data)
    low, high = overview.ci_columns(label("ratio_change"), 0.95)
    for factor, verdict in ((1.002, "落后，差距变化不显著"), (1.10, "落后但差距缩小")):
        scaled = _scaled(data, factor)
        table = overview.group_trends(scaled, ["rural_income_pc"], ci=True, seed=2).set_index(
            label("year"))
        end = table.iloc[-1]
        assert end[label("ratio_change")] > 0
        assert (end[low] < 0 < end[high]) == (factor < 1.01)
        line = overview.overview_narrative(scaled, FW, region_code=region, seed=2)[2]
        assert verdict in line and f"CI {end[low]:+.3f}–{end[high]:+.3f}" in line
        assert ("差距缩小" in line) == (factor > 1.01)


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


# --- the report section (build) -----------------------------------------------------------------

from section_text import assembled, reader_problems  # noqa: E402

from linkage.reporting.document import Figure, Section, Table  # noqa: E402

COUNTY, PREFECTURE = "990327", "990300"  # a key assistance county; its prefecture (sample)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("batch-cache"))


@pytest.fixture(scope="module")
def built(cache):
    """Sections for the province, a county and a prefecture, Chinese and English (one batch
    cache, as a batch of regions would share)."""
    return {(code, lang): overview.build(region_code=code, language=lang, reps=99,
                                         cache_dir=cache)
            for code in ("", COUNTY, PREFECTURE) for lang in ("zh", "en")}


def _place_names() -> tuple[str, ...]:
    from linkage.panel import load_panel

    counties = load_panel().counties
    return tuple(counties["region_name"]) + tuple(counties["prefecture_name"].unique())


def _table(section: Section, key: str) -> pd.DataFrame:
    return next(b.frame for b in section.blocks if isinstance(b, Table) and b.key == key)


def test_section_has_its_key_title_and_numberable_blocks(built):
    for (code, lang), section in built.items():
        assert section.key == overview.KEY == "overview"
        assert section.title == overview.title(lang) == overview.TITLE[lang]
        doc = assembled(section)  # every {table:…}/{figure:…} reference resolves
        body = [b for b in doc.chapters[0].blocks if hasattr(b, "label")]
        assert body and doc.appendix, (code, lang)
        text = "\n".join(doc.summary)
        assert "{" not in text and re.search(r"(表|Table) \d", text), text
        assert section.simulated


def test_visible_text_reads_as_a_report_in_one_language(built):
    places = _place_names()
    for (code, lang), section in built.items():
        assert reader_problems(section, FW, place_names=places) == [], (code, lang)


def test_main_body_is_short_and_long_tables_go_to_the_appendix(built):
    section = built[(COUNTY, "zh")]
    main = [b for b in section.blocks if isinstance(b, (Table, Figure)) and not b.appendix]
    appendix = {b.key for b in section.blocks if isinstance(b, (Table, Figure)) and b.appendix}
    assert {b.key for b in main} == {"key_values", "trend_1", "gaps", "national"}
    assert {"coverage", "descriptives", "missing", "national_table", "group_trends"} <= appendix
    assert sum(len(b.frame) for b in main if isinstance(b, Table)) <= 12


def test_county_table_ranks_and_finding_agree(built):
    """The featured finding's last value is the table's cell; the rank is the county's place
    among all counties by the indicator's direction."""
    from linkage.panel import load_panel

    section = built[(COUNTY, "zh")]
    table = _table(section, "key_values").set_index("指标")
    data = load_panel()
    income = data.panel[data.panel["year"] == 2025].set_index("region_code")["rural_income_pc"]
    name = data.region_name(COUNTY)
    row = table.loc[FW["rural_income_pc"].name_zh]
    assert row[f"{name}（2025 年）"] == f"{income[COUNTY]:,.0f}"
    assert row["排名（位/共 120 县）"] == str(int((income > income[COUNTY]).sum()) + 1)
    featured = next(f.text for f in section.findings if f.rank == 20)
    assert f"{income[COUNTY]:,.0f} 元" in featured and name in featured
    engel = FW["engel_coefficient"]  # a negative indicator: lower is better
    values = data.panel[data.panel["year"] == 2025].set_index("region_code")[engel.id]
    assert table.loc[engel.name_zh, "排名（位/共 120 县）"] == str(
        int((values < values[COUNTY]).sum()) + 1)


def test_gap_finding_matches_the_gap_table(built):
    section = built[("", "zh")]
    gaps = _table(section, "gaps").set_index("指标")
    row = gaps.loc[FW["rural_income_pc"].name_zh]
    finding = next(f.text for f in section.findings if f.rank == 30)
    assert f"变为 2025 年的 {float(row['2025 年比值']):.2f}" in finding
    assert row["判断"] in finding


def test_national_context_shows_gaps_as_dashes_and_names_the_releases(built):
    for lang in ("zh", "en"):
        table = next(b for b in built[("", lang)].blocks
                     if isinstance(b, Table) and b.key == "national_table")
        frame = table.frame.set_index(table.frame.columns[0])
        assert (frame.loc["2014"] == "—").all() and (frame.loc["2015"] == "—").all()
        assert not frame.loc["2016"].eq("—").any()
        assert table.appendix and any("http" in n for n in table.notes)
        assert ("国家统计局" if lang == "zh" else "NBS") in table.source
        assert "http" not in table.source
    released = _table(built[("", "zh")], "national_table").set_index("年份")["发布"]
    assert released["2022"].startswith("国务院新闻办公室")


def test_prefecture_report_names_its_counties(built):
    from linkage.panel import load_panel

    data = load_panel()
    members = data.counties[data.counties["prefecture_code"] == PREFECTURE]
    table = _table(built[(PREFECTURE, "zh")], "key_values")
    assert set(table.iloc[:, -1]) <= set(members["region_name"])
    finding = next(f.text for f in built[(PREFECTURE, "zh")].findings if f.rank == 20)
    assert f"（{len(members)} 个县）" in finding


def test_metrics_for_the_batch_table(built):
    from linkage.panel import load_panel

    panel = load_panel().panel
    metrics = {m.key: m.value for m in built[(COUNTY, "zh")].metrics}
    assert metrics["data_first_year"] == 2015 and metrics["data_last_year"] == 2025
    assert metrics["data_counties"] == panel["region_code"].nunique()
    assert 0 < metrics["data_missing_pct"] < 5


def test_english_section_has_english_units_and_headers(built):
    table = _table(built[(COUNTY, "en")], "key_values")
    assert "yuan" in set(table["Unit"]) and "元" not in set(table["Unit"])
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in str(c)) or "(" in str(c)
               for c in table.columns)  # only the county's own name is Chinese


def test_batch_cache_computes_the_group_trends_once(tmp_path, monkeypatch):
    calls = []
    original = overview.group_trends

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(overview, "group_trends", counting)
    shared = []
    build_shared = overview._shared_blocks
    monkeypatch.setattr(overview, "_shared_blocks",
                        lambda *a, **k: shared.append(1) or build_shared(*a, **k))
    for code in (COUNTY, "990121"):
        overview.build(region_code=code, reps=49, cache_dir=str(tmp_path))
    assert len(calls) == 1 and len(shared) == 1
    overview.build(region_code=COUNTY, reps=49)  # no cache: computes
    assert len(calls) == 2


def test_unknown_region_or_option_is_an_input_error():
    with pytest.raises(InputError, match="000000"):
        overview.build(region_code="000000", reps=49)
    with pytest.raises(InputError, match="weighting"):
        overview.build(weighting="entropy")
    with pytest.raises(InputError, match="rural_incme"):
        overview.build(key_indicators=["rural_incme"], reps=49)


def test_saved_section_loads_back_equal(built, tmp_path):
    section = built[(COUNTY, "zh")]
    loaded = Section.load(section.save(tmp_path / "overview.json"))
    assert loaded.findings == section.findings and loaded.metrics == section.metrics
    assert [getattr(b, "key", None) for b in loaded.blocks] == [
        getattr(b, "key", None) for b in section.blocks]
