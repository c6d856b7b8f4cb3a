"""巩固 report glue: units are explicit, nothing is dropped silently, suppression never shows
small cells, regional comparisons carry intervals, and every finding says what its table says."""

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

from linkage import inequality, monitoring, poverty
from linkage.disclosure import suppress
from linkage.dynamics import risk_status
from linkage.errors import InputError
from linkage.panel import load_panel
from linkage.sections import consolidation as C

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def sample():
    data = load_panel()
    hh = C.load_households().households
    return data, hh


@pytest.fixture(scope="module")
def latest(sample):
    data, hh = sample
    cross = hh[hh["year"] == hh["year"].max()]
    regions = C.region_labels(cross, data.counties)
    line = monitoring.threshold_for(cross["region_code"], cross["year"])
    return cross, regions, line


def _visible_numbers(table):
    return table.map(lambda v: not isinstance(v, str))


# ---------------------------------------------------------------- suppression


def test_suppress_hides_small_rows_and_a_complement_along_the_total():
    t = pd.DataFrame({"率": [1.5, 2.0, 3.0, 1.8]}, index=["甲", "乙", "丙", C.TOTAL])
    out = suppress(t, pd.Series([4, 50, 60, 114], index=t.index))
    # 甲 has 4 households; a second region is hidden so 甲 cannot be recovered from the total
    assert out.loc["甲", "率"] == "<10"
    assert (out["率"] == "<10").sum() == 2
    assert out.loc[C.TOTAL, "率"] == 1.8


def test_suppress_marker_follows_min_cell():
    t = pd.DataFrame({"x": [1.0, 2.0]}, index=["a", "b"])
    out = suppress(t, pd.Series([15, 40], index=t.index), min_cell=20)
    assert out.loc["a", "x"] == "<20" and out.loc["b", "x"] == 2.0


def test_county_elimination_table_never_shows_a_cell_below_min_cell(sample):
    data, hh = sample
    regions = C.region_labels(hh, data.counties, level="county")
    for min_cell in (10, 25):
        table = C.elimination_by_group(hh, by=regions, min_cell=min_cell)
        # recount the households behind each cell independently
        mon = hh[hh["monitor_category"] != "非监测对象"].assign(region=regions)
        elim = mon["risk_eliminated"].astype(bool)
        n = mon.groupby(["region", "year"]).size().unstack()
        e = elim.groupby([mon["region"], mon["year"]]).sum().unstack()
        cells = np.minimum(n, e).reindex(index=table.index.drop(C.TOTAL),
                                         columns=table.columns).fillna(0)
        shown = _visible_numbers(table.drop(index=C.TOTAL))
        assert cells.where(shown).min().min() >= min_cell
        assert (table == f"<{min_cell}").to_numpy().sum() > 0  # counties are small: some hidden


# ---------------------------------------------------------------- units: persons and households


def test_elimination_rate_by_category_is_per_person_by_default_and_per_household_on_request(
        sample):
    _, hh = sample
    persons = C.elimination_by_group(hh, by=hh["monitor_category"])
    households = C.elimination_by_group(hh, by=hh["monitor_category"], per="household")
    part = hh[(hh["year"] == 2023) & (hh["monitor_category"] == "脱贫不稳定户")]
    elim = part["risk_eliminated"].astype(bool)
    w, pw = part["weight"], part["weight"] * part["hh_size"]
    assert persons.loc["脱贫不稳定户", 2023] == pytest.approx(
        100 * (pw * elim).sum() / pw.sum(), abs=0.006)
    assert households.loc["脱贫不稳定户", 2023] == pytest.approx(
        100 * (w * elim).sum() / w.sum(), abs=0.006)
    assert "风险消除率(人,%)" in persons.attrs["note"]
    assert "风险消除率(户,%)" in households.attrs["note"]


def test_every_rate_heading_names_its_unit(sample, latest):
    _, hh = sample
    cross, regions, line = latest
    tables = [C.monitoring_by_year(hh), C.transition_flows(hh),
              C.fgt_by_region(cross, by=regions, line=line, reps=200, seed=1).table,
              C.multidimensional_poverty(cross, by=regions, income_line=line, k=1 / 3, reps=200,
                                         seed=1).by_region,
              C.vulnerability_by_region(cross, by=regions, line=line)[1]]
    for table in tables:
        rates = [c for c in table.columns if "%" in c and "样本" not in c]
        assert rates and all(re.search(r"\((人|户)[,)]|\(加权户数\)", c) for c in rates), rates
    english = C.fgt_by_region(cross, by=regions, line=line, reps=200, seed=1, language="en").table
    assert "Below the monitoring threshold FGT0 (persons, %)" in english.columns


def test_persons_and_households_differ_on_the_sample_where_large_households_are_poorer(latest):
    cross, regions, line = latest
    persons = C.fgt_by_region(cross, by=regions, line=line, reps=200, seed=1).table
    households = C.fgt_by_region(cross, by=regions, line=line, per="household", reps=200,
                                 seed=1).table
    p = persons.loc[C.TOTAL, "低于监测标准比例FGT0(人,%)"]
    h = households.loc[C.TOTAL, "低于监测标准比例FGT0(户,%)"]
    below = cross["income_pc"] < line
    pw = cross["weight"] * cross["hh_size"]
    assert p == pytest.approx(100 * (pw * below).sum() / pw.sum(), abs=0.006)
    assert h == pytest.approx(100 * (cross["weight"] * below).sum() / cross["weight"].sum(),
                              abs=0.006)
    assert p > h + 0.3  # the sample's per-capita income falls with household size


def _constructed_households() -> pd.DataFrame:
    """Two regions × two counties × 20 households, one year; the poor households are large.

    In every county the 5 poorest households have 6 members and income 4000, the other 15
    have 2 members and income 12000; weights are 1. Below 8020: households 5/20 = 25 %,
    persons 30/60 = 50 %.
    """
    rows = []
    for county in ("990101", "990102", "990201", "990202"):
        for i in range(20):
            poor = i < 5
            rows.append({"household_id": f"{county}{i:06d}", "region_code": county,
                         "year": 2025, "hh_size": 6 if poor else 2, "n_labour": 1,
                         "income_pc": 4000.0 if poor else 12000.0, "weight": 1.0})
    return pd.DataFrame(rows)


def test_constructed_sample_rates_per_person_and_per_household_by_hand():
    hh = _constructed_households()
    regions = C.region_labels(hh, pd.DataFrame())
    line = pd.Series(8020.0, index=hh.index)
    persons = C.fgt_by_region(hh, by=regions, line=line, weights="weight", reps=200, seed=1,
                              min_cell=1).table
    households = C.fgt_by_region(hh, by=regions, line=line, weights="weight", per="household",
                                 reps=200, seed=1, min_cell=1).table
    assert persons.loc[C.TOTAL, "低于监测标准比例FGT0(人,%)"] == 50.0
    assert households.loc[C.TOTAL, "低于监测标准比例FGT0(户,%)"] == 25.0
    # FGT1: gap (8020 − 4000) / 8020 for the poor; persons 30/60, households 5/20
    gap = 100 * (8020 - 4000) / 8020
    assert persons.loc["990100", "收入缺口指数FGT1(人,%)"] == pytest.approx(gap / 2, abs=0.006)
    assert households.loc["990100", "收入缺口指数FGT1(户,%)"] == pytest.approx(gap / 4,
                                                                            abs=0.006)


# ---------------------------------------------------------------- no silent drops


def test_missing_region_code_raises_naming_rows_or_is_dropped_and_reported(sample):
    _, hh = sample
    part = hh[hh["year"] >= 2024].copy()
    part.loc[part.index[:3], "region_code"] = None
    with pytest.raises(InputError, match="region_code") as info:
        C.elimination_by_group(part, by=part["region_code"])
    assert str(part.index[0]) in str(info.value)
    table = C.elimination_by_group(part, by=part["region_code"], missing="drop")
    assert "已删除 3 个" in table.attrs["note"]
    assert "3 household-years" in C.elimination_by_group(
        part, by="region_code", missing="drop", language="en").attrs["note"]


def test_grouping_is_the_by_keyword_a_column_or_an_aligned_series(sample):
    """One vocabulary (docs/architecture.md): grouping is ``by=`` — a column name or a Series
    aligned with the rows — never a positional argument."""
    _, hh = sample
    part = hh[hh["year"] >= 2024]
    named = C.elimination_by_group(part, by="monitor_category")
    pd.testing.assert_frame_equal(named, C.elimination_by_group(part,
                                                                by=part["monitor_category"]))
    with pytest.raises(TypeError):
        C.elimination_by_group(part, part["monitor_category"])
    with pytest.raises(InputError, match="no_such"):
        C.elimination_by_group(part, by="no_such")
    with pytest.raises(InputError, match="by"):
        C.elimination_by_group(part, by=part["monitor_category"].reset_index(drop=True))


def test_monitored_household_without_elimination_status_is_not_counted_as_not_eliminated(sample):
    _, hh = sample
    part = hh[hh["year"] == 2025].copy()
    row = part.index[(part["monitor_category"] != "非监测对象").to_numpy()][0]
    part.loc[row, "risk_eliminated"] = pd.NA
    with pytest.raises(InputError, match="risk_eliminated") as info:
        C.monitoring_by_year(part)
    assert str(row) in str(info.value)
    dropped = C.monitoring_by_year(part, missing="drop")
    assert "已删除 1 个" in dropped.attrs["note"]


def test_named_weight_column_that_is_absent_raises_everywhere(sample, latest):
    _, hh = sample
    cross, regions, line = latest
    calls = [lambda: C.monitoring_by_year(hh, weights="wt"),
             lambda: C.elimination_by_group(hh, by=hh["monitor_category"], weights="wt"),
             lambda: C.transition_flows(hh, weights="wt"),
             lambda: C.fgt_by_region(cross, by=regions, line=line, weights="wt", reps=200),
             lambda: C.vulnerability_by_region(cross, by=regions, line=line, weights="wt"),
             lambda: C.dependence_table(hh, weights="wt")]
    for call in calls:
        with pytest.raises(InputError, match="wt"):
            call()


def test_region_labels_refuse_counties_missing_from_the_county_table(sample):
    data, hh = sample
    counties = data.counties.drop(index=hh["region_code"].iloc[0])
    with pytest.raises(InputError, match=hh["region_code"].iloc[0]) as err:
        C.region_labels(hh, counties)
    assert "不在县属性表中" in str(err.value) and err.value.column == "region_code"
    # the county is listed, only its prefecture name is blank: the message says so
    code = hh["region_code"].iloc[0]
    blank = data.counties.assign(prefecture_name=data.counties["prefecture_name"].astype(object))
    blank.loc[code, "prefecture_name"] = None
    with pytest.raises(InputError, match=code) as err:
        C.region_labels(hh, blank)
    assert "prefecture_name 为空" in str(err.value) and "不在县属性表中" not in str(err.value)
    assert err.value.column == "prefecture_name"
    assert C.region_labels(hh, blank, level="county").notna().all()
    assert C.region_labels(hh.head(2), pd.DataFrame()).tolist() == [
        hh["region_code"].iloc[0][:4] + "00"] * 2


# ---------------------------------------------------------------- tables


def test_comparison_labels_real_and_simulated_rows(sample):
    _, hh = sample
    comp = C.elimination_comparison(hh)
    kinds = comp["数据性质"].value_counts()
    assert kinds["真实统计"] == 2 and kinds["模拟数据"] == hh["year"].nunique()
    real = comp[comp["数据性质"] == "真实统计"].set_index("时期")["数值(%)"]
    assert real["2024-06-30"] == 60.4 and real["2022-11-30"] == 65.7  # national figures
    assert (comp[comp["数据性质"] == "真实统计"]["资料来源"].str.len() > 10).all()


def test_transition_flows_are_the_hand_computed_person_rates(sample):
    _, hh = sample
    flows = C.transition_flows(hh)
    status = risk_status(hh)
    wide = status.groupby([hh["household_id"], hh["year"]]).first().unstack()
    base = hh[hh["year"] == 2024].set_index("household_id")
    pw = base["weight"] * base["hh_size"]
    stable = wide.loc[pw.index, 2024] == "脱贫户·稳定"
    back = stable & (wide.loc[pw.index, 2025] == "脱贫户·风险")
    expected = 100 * pw[back].sum() / pw[stable].sum()
    assert flows.loc["2024→2025", "脱贫户转入风险比例(人,%)"] == pytest.approx(expected, abs=0.006)
    assert not any("返贫率" in c for c in flows.columns)  # a risk, not a return to poverty
    assert "不是登记的返贫致贫" in flows.attrs["note"]


def test_transition_table_hides_empty_and_small_moves(sample):
    _, hh = sample
    table = C.transition_table(hh, from_year=2024, to_year=2025)
    assert table.loc["脱贫户·稳定", "一般农户·稳定"] == "<10"  # impossible move, 0 households
    assert "未观测" not in table.index  # balanced panel: empty attrition row left out
    assert float(table.loc["一般农户·稳定", "一般农户·稳定"]) > 90
    english = C.transition_table(hh, from_year=2024, to_year=2025, language="en")
    assert "Exited-poor, stable" in english.index and english.index.name == "Status 2024"


def test_multidimensional_poverty_total_row_is_the_library_result_per_person(latest):
    cross, regions, line = latest
    tables = C.multidimensional_poverty(cross, by=regions, income_line=line, k=1 / 3, reps=200,
                                        seed=1)
    inp = poverty.af_inputs(cross, income_line=line, weights="weight")
    direct = poverty.alkire_foster(inp.data, inp.cutoffs, inp.weights, 1 / 3,
                                   sample_weight=inp.sample_weight)
    total = tables.by_region.loc[C.TOTAL]
    assert total["多维贫困发生率H(人,%)"] == pytest.approx(100 * direct.H, abs=0.006)
    assert total["调整后多维贫困指数M0(人)"] == pytest.approx(direct.M0, abs=6e-5)
    m0, h = total["调整后多维贫困指数M0(人)"], total["多维贫困发生率H(人,%)"]
    assert total["M0 95%CI下限(人)"] <= m0 <= total["M0 95%CI上限(人)"]
    assert total["H 95%CI下限(人,%)"] <= h <= total["H 95%CI上限(人,%)"]
    assert "至少需要 2 个维度" in tables.rule and "县" in tables.by_region.attrs["note"]
    summary = tables.summary()
    assert summary.startswith(tables.union_rule) and tables.rule in summary
    assert f"H = {h:.2f}%" in summary
    assert f"{total['H 95%CI下限(人,%)']:.2f}–{total['H 95%CI上限(人,%)']:.2f}%" in summary
    # indicators deprived among almost nobody poor are hidden, never shown
    assert (tables.censored == "<10").to_numpy().any()


def test_fgt_by_region_total_matches_fgt_and_intervals_resample_counties(latest):
    cross, regions, line = latest
    fgt = C.fgt_by_region(cross, by=regions, line=line, reps=200, seed=3)
    total = fgt.table.loc[C.TOTAL]
    pw = cross["weight"] * cross["hh_size"]
    expected = poverty.fgt(cross["income_pc"], line, alpha=1, weights=pw)
    assert total["收入缺口指数FGT1(人,%)"] == pytest.approx(100 * expected, abs=0.006)
    assert (total["FGT0 95%CI下限(人,%)"] <= total["低于监测标准比例FGT0(人,%)"]
            <= total["FGT0 95%CI上限(人,%)"])
    assert fgt.bootstrap.cluster_name == "县" and fgt.bootstrap.clusters == 120
    assert fgt.bootstrap.strata == regions.nunique()
    assert "120 个抽样单位（县）" in fgt.table.attrs["note"]


def test_regional_comparison_is_simultaneous_over_the_pairs_of_shown_regions(latest):
    cross, regions, line = latest
    fgt = C.fgt_by_region(cross, by=regions, line=line, reps=200, seed=3)
    c = fgt.comparison()
    column = fgt.table["低于监测标准比例FGT0(人,%)"].drop(C.TOTAL)
    assert c["high"] == column.astype(float).idxmax() and c["low"] == column.astype(float).idxmin()
    shown = len(column)
    assert c["pairs"] == shown * (shown - 1) // 2
    plain = 100 * fgt.bootstrap.contrast(c["high"], c["low"])
    assert c["difference"] == pytest.approx(plain["estimate"])
    assert c["upper"] - c["lower"] > plain["upper"] - plain["lower"]  # wider than one pair's


def test_sampling_units_are_counties_within_prefectures_else_households(latest):
    cross, regions, _ = latest
    assert C.sampling_units(cross, regions) == "region_code"
    assert C.sampling_units(cross, cross["region_code"]) == "household_id"
    assert C.sampling_units(cross.assign(village_code="v"), regions) == "village_code"
    with pytest.raises(InputError, match="village"):
        C.sampling_units(cross, regions, cluster="village")


def test_vulnerable_but_not_poor_is_within_vulnerable(latest):
    cross, regions, line = latest
    result, table = C.vulnerability_by_region(cross, by=regions, line=line)
    total = table.loc[C.TOTAL]
    assert total["相对脆弱且当前不低于标准(人,%)"] <= total["相对脆弱比例(人,%)"]
    assert total["当前低于监测标准比例(人,%)"] == pytest.approx(100 * result.poverty_rate,
                                                         abs=0.006)
    assert "高脆弱比例(v≥0.5)(人,%)" in table.columns


def test_vulnerability_summary_shows_only_what_the_suppressed_table_shows(latest):
    """The summary printed above the table must not disclose a share the table hides
    (the sample's 'highly vulnerable, not below the threshold' rests on 5 households)."""
    cross, regions, line = latest
    result, table = C.vulnerability_by_region(cross, by=regions, line=line)
    total = table.loc[C.TOTAL]
    summary = result.summary()
    columns = {"poverty_rate": "当前低于监测标准比例(人,%)",
               "vulnerable_share": "高脆弱比例(v≥0.5)(人,%)",
               "vulnerable_not_poor_share": "高脆弱且当前不低于标准(人,%)",
               "relative_vulnerable_share": "相对脆弱比例(人,%)",
               "relative_not_poor_share": "相对脆弱且当前不低于标准(人,%)"}
    assert total[columns["vulnerable_not_poor_share"]] == "<10"  # the case of the audit
    for key, column in columns.items():
        shown = not isinstance(total[column], str)
        assert (f"{100 * getattr(result, key):.2f}%" in summary) == shown, key
    assert "高脆弱且当前不低于线者占全部的 —（少于 10 户样本，不予显示）" in summary
    assert f"{100 * result.vulnerable_not_poor_share:.2f}%" not in summary
    assert "fewer than 10 units" in result.summary("en")
    # with a smaller minimum cell both show the number
    assert f"{100 * result.vulnerable_not_poor_share:.2f}%" in result.summary(min_cell=5)


def test_threshold_note_says_which_standard_and_that_it_is_assumed(latest):
    cross, _, _ = latest
    assert C.threshold_note(cross) == "监测收入标准：全国(假设) 2025 年 8,020 元（假设值）。"
    assert "(assumed)" in C.threshold_note(cross, language="en")


def test_load_households_refuses_identifiers_and_empty_years(tmp_path, sample):
    _, hh = sample
    path = tmp_path / "hh.parquet"
    hh.head(50).assign(户主姓名="张三").to_parquet(path)
    # read as ingest reads it: the name column is dropped by the privacy hook, never shown
    loaded = C.load_households(path).households
    assert "户主姓名" not in loaded.columns and not loaded.isin(["张三"]).any().any()
    # a GBK CSV (as Excel writes it) goes through the kit's reader and schema
    gbk = tmp_path / "hh.csv"
    gbk.write_bytes(hh.head(30).to_csv(index=False).encode("gbk"))
    assert len(C.load_households(gbk).households) == 30
    broken = tmp_path / "broken.csv"
    hh.head(5).assign(hh_size="很多").to_csv(broken, index=False)
    with pytest.raises(InputError, match=r"hh_size|家庭人口"):
        C.load_households(broken)
    with pytest.raises(InputError, match="没有记录"):
        C.load_households(None, start_year=1990, end_year=1995)


# ---------------------------------------------------------------- findings against their tables


def _report(hh, data, *, k=1 / 3, language="zh"):
    cross = hh[hh["year"] == hh["year"].max()]
    regions = C.region_labels(cross, data.counties)
    line = monitoring.threshold_for(cross["region_code"], cross["year"])
    lang = {"language": language}
    tables = {
        "by_year": C.monitoring_by_year(hh, reps=299, seed=1, **lang),
        "flows": C.transition_flows(hh, **lang),
        "deprivation": C.multidimensional_poverty(cross, by=regions, income_line=line, k=k,
                                                  reps=200, seed=1, **lang),
        "fgt": C.fgt_by_region(cross, by=regions, line=line, reps=200, seed=1, **lang),
        "vulnerability_table": C.vulnerability_by_region(cross, by=regions, line=line, **lang)[1],
        "dependence": C.dependence_table(hh, reps=299, seed=1, **lang)}
    lines = C.consolidation_narrative(**tables, simulated=True,
                                      threshold_text=C.threshold_note(cross, **lang), **lang)
    return tables, lines


@pytest.fixture(scope="module")
def report(sample):
    data, hh = sample
    return _report(hh, data)


def _line(lines, marker):
    found = [line for line in lines if marker in line]
    assert len(found) == 1, (marker, lines)
    return found[0]


def test_roster_sentence_quotes_the_by_year_table(report):
    tables, lines = report
    t = tables["by_year"]
    line = _line(lines, "监测对象占农村人口的比重")
    share = t["监测对象占比(人,%)"]
    rate = t["风险消除率(人,%)"]
    assert f"{share.iloc[-1]:.2f}%" in line
    assert f"{rate.iloc[0]:.1f}%" in line and f"{rate.iloc[-1]:.1f}%" in line
    change = t.attrs["change"].loc[C.TOTAL]
    assert change["change"] == pytest.approx(rate.iloc[-1] - rate.iloc[0], abs=0.011)
    interval = (f"{change['change']:+.2f} 个百分点，95%CI {change['ci_low']:+.2f}–"
                f"{change['ci_high']:+.2f}")
    assert interval in line and interval.split("，")[1] in t.attrs["note"]
    verb = {1: "上升至", -1: "下降至", 0: "变为"}[int(change["sign"])]
    assert verb in line and ("变化不显著" in line) == (change["ci_low"] <= 0 <= change["ci_high"])


def test_flow_sentence_calls_a_risk_a_risk(report):
    tables, lines = report
    flows = tables["flows"]
    line = _line(lines, "转入风险状态")
    b = flows.loc["2024→2025", "脱贫户转入风险比例(人,%)"]
    n = flows.loc["2024→2025", "一般农户转入风险比例(人,%)"]
    assert f"{b:.2f}%" in line and f"{n:.2f}%" in line
    assert ("高于" if b > n else "低于") + "一般农户" in line
    assert "不是返贫本身" in line and "返贫率" not in " ".join(lines)


def test_af_sentence_states_the_union_rule_and_the_k_rule_as_different_measures(sample,
                                                                                report):
    """The national 两不愁三保障 standard is a union rule (one unmet guarantee = not met); H at
    k = 1/3 is another, multidimensional measure. Both are in the table and the sentence."""
    data, hh = sample
    tables, lines = report
    deprivation = tables["deprivation"]
    line = _line(lines, "多维贫困发生率")
    total = deprivation.by_region.loc[C.TOTAL]
    union, h = total["任一项未达标比例(人,%)"], total["多维贫困发生率H(人,%)"]
    assert f"任一项未保障即未达标（并集规则），按人计未达标比例为 {union:.2f}%" in line
    assert (f"（95%CI {total['任一项未达标比例 95%CI下限(人,%)']:.2f}–"
            f"{total['任一项未达标比例 95%CI上限(人,%)']:.2f}%）") in line
    assert "k = 1/3" in line and "至少需要 2 个维度存在剥夺" in line
    assert f"H = {h:.2f}%" in line and "二者口径不同，不可混称" in line
    # the union share is the weighted share failing any of the five guarantees
    cross = hh[hh["year"] == hh["year"].max()]
    status = ["food_clothing_ok", "compulsory_edu_ok", "basic_medical_ok", "housing_safe_ok",
              "drinking_water_ok"]
    w = cross["weight"] * cross["hh_size"]
    failing = ~cross[status].all(axis=1)
    assert union == pytest.approx(100 * (w * failing).sum() / w.sum(), abs=0.006)
    assert union > h  # a union over five guarantees counts far more than H at k = 1/3
    _, quarter = _report(hh, data, k=0.25)
    rule = _line(quarter, "多维贫困发生率")
    assert "k = 1/4" in rule and "任一项被剥夺即达到 k" in rule
    english = _line(_report(hh, data, language="en")[1], "Alkire–Foster")
    assert "union rule" in english and "different" in english


def test_fgt_sentence_escapes_region_names(latest):
    cross, regions, line = latest
    high = C.fgt_by_region(cross, by=regions, line=line, reps=200, seed=3).comparison()["high"]
    evil = regions.replace(high, "*x*<b>")
    fgt = C.fgt_by_region(cross, by=evil, line=line, reps=200, seed=3)
    text = fgt.summary()
    c = fgt.comparison()
    assert "*x*<b>" in (c["high"], c["low"])  # the table keeps the name as it is
    assert "\\*x\\*\\<b\\>" in text and "*x*<b>" not in text


def test_af_sentence_hides_what_the_table_hides(report):
    tables, _ = report
    deprivation = tables["deprivation"]
    table = deprivation.by_region.copy()
    table.loc[C.TOTAL, "任一项未达标比例(人,%)"] = "<10"
    hidden = C.DeprivationTables(**{**deprivation.__dict__, "by_region": table})
    line = C._af_sentence(hidden, "zh")
    assert "样本过少，不予显示" in line
    assert f"{deprivation.by_region.loc[C.TOTAL, '任一项未达标比例(人,%)']:.2f}%" not in line


def test_fgt_sentence_quotes_the_table_and_compares_regions_with_a_simultaneous_interval(report):
    tables, lines = report
    fgt = tables["fgt"]
    line = _line(lines, "FGT0")
    total = fgt.table.loc[C.TOTAL]
    assert f"为 {total['低于监测标准比例FGT0(人,%)']:.2f}%" in line
    assert f"{total['FGT0 95%CI下限(人,%)']:.2f}–{total['FGT0 95%CI上限(人,%)']:.2f}%" in line
    assert fgt.summary() == line
    c = fgt.comparison()
    assert f"最高为{c['high']}" in line and f"最低为{c['low']}" in line
    assert f"对 {c['pairs']} 对地区比较同时成立" in line
    significant = c["lower"] > 0
    assert ("差异显著" in line) == significant
    assert ("不能据此断定两地高低" in line) == (not significant)


def test_fgt_sentence_never_quotes_a_suppressed_region(latest):
    cross, regions, line = latest
    fgt = C.fgt_by_region(cross, by=regions, line=line, reps=200, seed=1)
    column = "低于监测标准比例FGT0(人,%)"
    top = fgt.table[column].drop(C.TOTAL).astype(float).idxmax()
    hidden = fgt.table.copy()
    hidden.loc[top, column] = "<10"
    c = C.RegionalPoverty(hidden, fgt.bootstrap, "person").comparison()
    assert c["high"] != top


def _vulnerability_table(pr, hv, rel, hvnp, rnp, language="zh"):
    headings = C._vulnerability_headings(0.5, "person", language)
    row = dict(zip(headings.values(), [pr, 8.0, hv, rel, hvnp, rnp], strict=True))
    return pd.DataFrame([row], index=[C._total(language)])


def test_vulnerability_sentence_keeps_the_two_not_poor_shares_apart():
    # the defect of the old report: 0.00 % "vulnerable but not poor", later 19.46 % under the
    # same name; now each share is named with its threshold, and a zero is said as a zero
    no_high = C._vulnerability_sentence(_vulnerability_table(7.5, 0.0, 30.0, 0.0, 19.46), 0.5,
                                        "person", "zh")
    assert "没有任何人的脆弱性达到 0.5" in no_high
    assert "相对脆弱但当前不低于标准" in no_high and "19.46%" in no_high
    assert "相对脆弱者的 64.9%" in no_high  # 19.46 / 30
    some = C._vulnerability_sentence(_vulnerability_table(7.5, 2.0, 30.0, 1.2, 19.46), 0.5,
                                     "person", "zh")
    assert "高脆弱（v ≥ 0.5）者占 2.00%，其中当前不低于标准者占全部的 1.20%" in some
    hidden = C._vulnerability_sentence(_vulnerability_table(7.5, 2.0, 30.0, "<10", 19.46), 0.5,
                                       "person", "zh")
    assert "样本过少，不予显示" in hidden and "<10" not in hidden


def test_vulnerability_sentence_in_the_report_quotes_its_table(report):
    tables, lines = report
    row = tables["vulnerability_table"].loc[C.TOTAL]
    line = _line(lines, "贫困脆弱性")
    assert f"当前低于监测标准 {row['当前低于监测标准比例(人,%)']:.2f}%" in line
    assert f"占全部的 {row['相对脆弱且当前不低于标准(人,%)']:.2f}%" in line


def _dependence(total, exited, other, language="zh", interval=None):
    """A dependence table with the total row's change and its interval in attrs (by default
    an interval excluding 0 on the side of the point change)."""
    years = list(range(2021, 2021 + len(total)))
    index = [C.label("exited_households", language), C.label("other_households", language),
             C._total(language)]
    table = pd.DataFrame([exited, other, total], index=index, columns=years)
    d = total[-1] - total[0]
    low, high = interval or ((d / 2, 2 * d) if d > 0 else (2 * d, d / 2) if d < 0 else (-1, 1))
    change = pd.DataFrame({"first": [total[0]], "last": [total[-1]], "change": [d],
                           "ci_low": [low], "ci_high": [high],
                           "sign": inequality.change_sign([low], [high])},
                          index=[C._total(language)])
    change.attrs |= {"first": years[0], "last": years[-1], "level": 0.95}
    table.attrs["change"] = change
    return table


def test_welfare_trap_is_named_only_when_dependence_rose_beyond_its_interval():
    falling = C._dependence_sentence(_dependence([3.0, 2.5, 2.0], [5.0, 4.0, 3.5],
                                                 [2.0, 1.8, 1.5]), 0.5, "zh")
    assert "福利陷阱" not in falling and "需警惕" not in falling
    assert "（下降，-1.00 个百分点" in falling and "数据未显示福利依赖加剧" in falling
    assert "脱贫户 3.50%，高于一般农户 1.50%" in falling
    rising = C._dependence_sentence(_dependence([1.0, 1.5, 2.0], [1.0, 2.0, 3.0],
                                                [1.0, 1.2, 1.5]), 0.5, "zh")
    assert "需警惕“福利陷阱”" in rising and "（上升，+1.00 个百分点，95%CI +0.50–+2.00）" in rising
    # the audit's case: 0.44 → 0.61, a rise on the point estimate whose interval covers 0
    unclear = C._dependence_sentence(_dependence([0.44, 0.61], [1.2, 1.6], [0.4, 0.5],
                                                 interval=(-0.05, 0.39)), 0.5, "zh")
    assert "（变化不显著，+0.17 个百分点，95%CI -0.05–+0.39）" in unclear
    assert "福利陷阱" not in unclear and "没有显著上升" in unclear
    # the same point change with an interval above 0 does warn
    clear = C._dependence_sentence(_dependence([0.44, 0.61], [1.2, 1.6], [0.4, 0.5],
                                               interval=(0.05, 0.29)), 0.5, "zh")
    assert "需警惕“福利陷阱”" in clear
    english = C._dependence_sentence(_dependence([3.0, 2.0], [5.0, 3.5], [2.0, 1.5], "en"),
                                     0.5, "en")
    assert "welfare" in english and "no growing welfare dependence" in english
    assert "no significant change" in C._dependence_sentence(
        _dependence([0.44, 0.61], [1.2, 1.6], [0.4, 0.5], "en", interval=(-0.05, 0.39)),
        0.5, "en")


def test_dependence_sentence_in_the_report_follows_its_table(report):
    tables, lines = report
    table = tables["dependence"]
    dep = table.loc[C.TOTAL]
    change = table.attrs["change"].loc[C.TOTAL]
    line = _line(lines, "有劳动能力的农户")
    assert f"为 {dep.iloc[0]:.2f}%" in line and f"为 {dep.iloc[-1]:.2f}%" in line
    assert ("需警惕" in line) == (change["ci_low"] > 0)
    assert f"95%CI {change['ci_low']:+.2f}–{change['ci_high']:+.2f}" in line
    assert f"合计 {change['change']:+.2f}（95%CI" in table.attrs["note"]


def test_changes_resample_counties_jointly_and_are_reproducible(sample):
    _, hh = sample
    a = C.dependence_table(hh, reps=299, seed=4).attrs["change"]
    b = C.dependence_table(hh, reps=299, seed=4).attrs["change"]
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["units"] == "region_code" and a.attrs["clusters"] == 120
    assert (a["ci_low"] <= a["change"]).all() and (a["change"] <= a["ci_high"]).all()
    villages = C.dependence_table(hh.assign(village_code=hh["region_code"] + "v"), reps=299,
                                  seed=4).attrs["change"]
    assert villages.attrs["units"] == "village_code"
    with pytest.raises(InputError, match="village"):
        C.monitoring_by_year(hh, cluster="village", reps=299)


def test_narrative_follows_the_data_and_says_simulated(sample, report):
    data, hh = sample
    _, lines = report
    assert any("模拟数据" in line for line in lines)
    assert any("假设值" in line for line in lines)  # the assumed threshold is stated
    poorer = hh.copy()
    last = poorer["year"] == poorer["year"].max()
    poorer.loc[last, "income_pc"] *= 0.8
    _, changed = _report(poorer, data)
    assert _line(lines, "FGT0") != _line(changed, "FGT0")
    assert lines[0] == changed[0]  # the roster sentence does not depend on incomes


def test_narrative_follows_language(sample):
    data, hh = sample
    tables, lines = _report(hh, data, language="en")
    names = set(tables["fgt"].table.index)
    for line in lines:
        stripped = line
        for name in names:
            stripped = stripped.replace(str(name), "")
        assert not CJK.search(stripped.replace("全国(假设)", "")), line
    assert any("not the return itself" in line for line in lines)


# ---------------------------------------------------------------- the section (build)

COUNTY, OTHER_COUNTY, PREFECTURE = "990121", "990122", "990100"
UNMONITORED = "990124"  # a county of the sample without a single monitored household
REPS = 200  # the smallest bootstrap the kit accepts: the section's layout, not its precision


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Sections built once into one batch cache, counting the region computations: the
    province (and its vulnerability model) once, a prefecture once, each county on its own."""
    cache = tmp_path_factory.mktemp("batch") / "_shared"
    calls = {"tables": [], "flags": 0}
    real_tables, real_flags = C.consolidation_tables, C._vulnerability_flags

    def tables(*args, **kwargs):
        calls["tables"].append(kwargs["region"].scope)
        return real_tables(*args, **kwargs)

    def flags(*args, **kwargs):
        calls["flags"] += 1
        return real_flags(*args, **kwargs)

    sections = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(C, "consolidation_tables", tables)
        mp.setattr(C, "_vulnerability_flags", flags)
        for code, language in (("", "zh"), (COUNTY, "zh"), (PREFECTURE, "zh"),
                               (OTHER_COUNTY, "zh"), (UNMONITORED, "zh"), (COUNTY, "en")):
            before = len(calls["tables"])
            sections[code, language] = C.build(region_code=code, language=language,
                                               reps=REPS, cache_dir=str(cache))
            calls[code, language] = calls["tables"][before:]
    return sections, calls, cache


def _tables(section):
    from linkage.reporting.document import Table

    return [b for b in section.blocks if isinstance(b, Table)]


def _visible_text(section) -> str:
    from linkage.reporting.document import Figure, Heading, Paragraph, Table

    parts = [section.title]
    for b in section.blocks:
        if isinstance(b, (Heading, Paragraph)):
            parts.append(b.text)
        elif isinstance(b, Table):
            parts += [b.title, b.source, *b.notes, *b.frame.columns,
                      *b.frame.to_numpy().ravel().tolist()]
        elif isinstance(b, Figure):
            parts += [b.title, b.source, *b.notes]
    parts += [f.text for f in section.findings] + list(section.methods) + list(section.caveats)
    parts += [m.label for m in section.metrics]
    return "\n".join(str(p) for p in parts)


def _key(section) -> pd.DataFrame:
    table = next(t for t in _tables(section) if t.key == "key")
    return table.frame.set_index(table.frame.columns[0])


@pytest.mark.parametrize("code,language", [("", "zh"), (COUNTY, "zh"), (PREFECTURE, "zh"),
                                           (COUNTY, "en")])
def test_section_text_is_for_readers(built, code, language):
    from linkage.frameworks import load_framework

    section = built[0][code, language]
    text = _visible_text(section)
    for bad in ("NaN", "nan", "None", "inf", "notebook", "笔记本", "`", "<10", "&lt;",
                "region_code", "household_id", "missing=", "linkage.", "SOURCES.md"):
        assert bad not in text, bad
    ids = [i for i in load_framework().indicator_ids if "_" in i]
    assert not [i for i in ids if i in text]
    for table in _tables(section):
        assert table.source.startswith("资料来源：" if language == "zh" else "Source")
        assert not table.frame.columns.str.fullmatch(r"\d+|index|level_\d+").any()
        # a URL only in an appendix note, never in a main-body table or a source
        assert "http" not in table.source and (table.appendix or not any(
            "http" in n for n in table.notes))
    if language == "zh":  # one language: no English phrases outside names of methods
        assert not re.search(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b", text), re.search(
            r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b", text)
    else:
        data = load_panel()
        names = set(data.counties["region_name"]) | set(data.counties["prefecture_name"])
        stripped = text
        for name in sorted(names, key=len, reverse=True):
            stripped = stripped.replace(name, "")
        assert not CJK.search(stripped), CJK.search(stripped)


def test_suppressed_cells_are_dashes_with_a_footnote(built):
    section = built[0][COUNTY, "zh"]
    key = _key(section)
    assert (key[key.columns[0]] == "—").sum() >= 5  # a county has few sample households
    for table in _tables(section):
        assert not table.frame.isin(["<10"]).any().any()
        if (table.frame == "—").any().any() and table.key != "roster":
            assert any("少于 10 户" in n for n in table.notes), table.key
    # the footnote is there only when something is hidden
    province = next(t for t in _tables(built[0]["", "zh"]) if t.key == "flows")
    assert not (province.frame == "—").any().any()
    assert not any("少于 10 户" in n for n in province.notes)


def test_disclosure_semantics_are_kept_for_analysis_tables():
    t = pd.DataFrame({"率": [1.5, 2.0, 1.8]}, index=["甲", "乙", C.TOTAL])
    shown, hidden = C._for_reader(suppress(t, pd.Series([4, 50, 54], index=t.index)), 10)
    assert hidden and shown["率"].isna().tolist() == [True, True, False]
    assert shown.loc[C.TOTAL, "率"] == 1.8


def test_county_report_shows_its_county_prefecture_and_province(built):
    sections, _, _ = built
    county = sections[COUNTY, "zh"]
    data = load_panel()
    row = data.counties.loc[COUNTY]
    assert list(_key(county).columns) == [row["region_name"], row["prefecture_name"], "全省"]
    poverty_table = next(t for t in _tables(county) if t.key == "poverty")
    assert poverty_table.frame.iloc[:, 0].tolist() == [row["region_name"],
                                                       row["prefecture_name"], "全省"]
    prefecture = sections[PREFECTURE, "zh"]
    rows = next(t for t in _tables(prefecture) if t.key == "poverty").frame.iloc[:, 0].tolist()
    members = data.counties[data.counties["prefecture_code"] == PREFECTURE]["region_name"]
    assert set(members) <= set(rows) and rows[-2:] == [row["prefecture_name"], "全省"]
    # the province's and the prefecture's figures agree across the reports
    assert (_key(county)["全省"] == _key(sections["", "zh"])["全省"]).all()
    assert (_key(county)[row["prefecture_name"]] == _key(prefecture)[row["prefecture_name"]]).all()


def test_province_and_prefecture_are_computed_once_per_batch(built):
    _, calls, _ = built
    assert calls["", "zh"] == ["province"] and calls["flags"] == 2  # zh and en provinces
    assert calls[COUNTY, "zh"] == ["prefecture", "county"]
    assert calls[PREFECTURE, "zh"] == []  # read from the batch cache
    assert calls[OTHER_COUNTY, "zh"] == ["county"]


def test_a_second_build_with_the_same_cache_recomputes_nothing_shared(built, monkeypatch):
    sections, _, cache = built
    computed = []
    real = C.consolidation_tables
    monkeypatch.setattr(C, "consolidation_tables",
                        lambda *a, **k: computed.append(k["region"].scope) or real(*a, **k))
    again = C.build(region_code=COUNTY, reps=REPS, cache_dir=str(cache))
    assert computed == ["county"]
    assert again.to_json() == sections[COUNTY, "zh"].to_json()
    C.build(region_code=COUNTY, reps=REPS, cache_dir=str(cache), min_cell=12)
    assert computed.count("province") == 1  # other options: another key


def _numbers(frame: pd.DataFrame, row: str) -> dict[str, str]:
    return frame.loc[row].to_dict()


@pytest.mark.parametrize("code", [COUNTY, PREFECTURE])
def test_region_findings_quote_the_key_table(built, code):
    section = built[0][code, "zh"]
    key = _key(section)
    rows = {10.0: ["监测对象风险消除率（人，%）"], 21.0: ["收入低于监测标准的比例 FGT0（人，%）"],
            20.0: ["“两不愁三保障”及饮水安全任一项未达标比例（人，%）",
                   "多维贫困发生率 H（人，%）"],
            30.0: ["相对脆弱但当前不低于标准（人，%）"]}
    findings = {f.rank: f.text for f in section.findings}
    for rank, labels in rows.items():
        text = findings[rank]
        for row in labels:
            for name, value in _numbers(key, row).items():
                if value == "—":
                    assert re.search(rf"{name}[^%]*样本少于 10 户", text), (name, text)
                else:
                    assert f"{name} {value}%" in text, (name, value, text)
    assert sorted(findings) == [10.0, 11.0, 20.0, 21.0, 30.0, 40.0]


def test_province_findings_quote_their_tables_and_resolve_references(built):
    from linkage.reporting.document import Cover, Document

    section = built[0]["", "zh"]
    key = _key(section)
    findings = {f.rank: f.text for f in section.findings}
    assert f"{key.loc['收入低于监测标准的比例 FGT0（人，%）', '全省']}%" in findings[21.0]
    assert f"{key.loc['监测对象占农村人口比重（人，%）', '全省']}%" in findings[10.0]
    assert "{table:national}" in findings[10.0] and "{table:roster}" in findings[10.0]
    doc = Document(Cover("巩固", "全省", "2021—2025 年"), (section,)).assemble()
    assert not any("{table:" in line or "{figure:" in line for line in doc.summary)
    assert re.search(r"附表 \d+", doc.summary[0]) and re.search(r"表 \d+", doc.summary[0])


def test_metrics_are_the_regions_latest_figures(built):
    section = built[0]["", "zh"]
    metrics = {m.key: m for m in section.metrics}
    assert {"sample_households", "monitored_households", "monitored_persons",
            "risk_eliminated_pct", "exited_entering_risk_pct", "af_headcount_pct", "af_m0",
            "fgt0_pct", "high_vulnerability_pct", "transfer_dependence_pct"} <= set(metrics)
    key = _key(section)["全省"]
    assert f"{metrics['fgt0_pct'].value:.2f}" == key["收入低于监测标准的比例 FGT0（人，%）"]
    assert f"{metrics['monitored_households'].value:,}" == key["监测户数（加权，户）"]
    county = {m.key: m.value for m in built[0][COUNTY, "zh"].metrics}
    assert county["risk_eliminated_pct"] is None  # suppressed in the county, not invented


def test_national_figures_name_their_publisher_and_keep_mirrors_in_the_appendix(built):
    section = built[0][COUNTY, "zh"]
    national = next(t for t in _tables(section) if t.key == "national")
    assert national.appendix
    assert "国务院新闻办公室 2024 年 7 月 24 日新闻发布会" in national.source
    assert "国家乡村振兴局" in national.source
    assert any("http" in n for n in national.notes)
    figure = next(b for b in section.blocks if getattr(b, "key", "") == "elimination")
    assert "国务院新闻办公室" in figure.source and "http" not in figure.source
    assert C._publisher("国新办 2024-07-24 韩俊 http://x.cn/a", "en") == (
        "State Council Information Office press conference, 2024-07-24 (Han Jun)")


def test_figures_carry_no_title_of_their_own(latest):
    fig = C._elimination_lines(pd.DataFrame({"x": [2021.0, 2022.0], "y": [60.0, 61.0],
                                             "series": "全省"}),
                               np.array(["2024-06-30"]), np.array([60.4]), np.array(["全国"]),
                               language="zh")
    assert fig.axes[0].get_title() == "" and not fig.texts


def test_section_round_trips_through_json(built, tmp_path):
    from linkage.reporting.document import Section

    section = built[0][PREFECTURE, "zh"]
    assert Section.load(section.save(tmp_path / "s.json")).to_json() == section.to_json()


def test_unknown_region_or_option_is_an_input_error():
    with pytest.raises(InputError, match="990999"):
        C.build(region_code="990999", reps=REPS)
    with pytest.raises(InputError, match="af_kk"):
        C.build(af_kk=0.5, reps=REPS)


def test_a_county_shows_nothing_its_prefecture_hides(built):
    sections = built[0]
    data = load_panel()
    prefecture = {t.key: t.frame.set_index(t.frame.columns[0]) for t in
                  _tables(sections[PREFECTURE, "zh"])}
    for code in (COUNTY, OTHER_COUNTY, UNMONITORED):
        name = data.counties.loc[code, "region_name"]
        own = {t.key: t.frame.set_index(t.frame.columns[0])
               for t in _tables(sections[code, "zh"])}
        for key in ("poverty", "fgt", "vulnerability"):
            hidden = prefecture[key].loc[name] == "—"
            assert (own[key].loc[name][hidden[hidden].index] == "—").all(), (code, key)


def test_a_county_without_monitored_households_gets_its_section(built):
    section = built[0][UNMONITORED, "zh"]
    key = _key(section)
    assert key.loc["监测对象风险消除率（人，%）"].iloc[0] == "—"
    assert "样本少于 10 户" in {f.rank: f.text for f in section.findings}[10.0]


def test_inherited_hiding_masks_the_childs_row_and_its_change():
    region = C.Region("county", "990101", "甲县")
    table = pd.DataFrame({"率(%)": [1.0, 1.0]}, index=["甲县", C.TOTAL])
    parent_table = pd.DataFrame({"率(%)": ["<10", 2.0, 3.0]}, index=["甲县", "乙县", C.TOTAL])
    heading = "风险消除率(人,%)"
    change = pd.DataFrame({"first": [60.0], "last": [62.0], "change": [2.0], "ci_low": [-1.0],
                           "ci_high": [5.0], "sign": [0]}, index=[C.TOTAL])
    change.attrs = {"first": 2021, "last": 2025, "units": "household_id", "reps": 200,
                    "level": 0.95, "clusters": 50}
    by_year = pd.DataFrame({heading: [60.0, 62.0]}, index=[2021, 2025])
    by_year.attrs = {"change": change, "note": C._change_note(change, heading, "zh")}
    years = pd.DataFrame({2021: [60.0], 2025: [62.0]}, index=["甲县"])
    t = C.ConsolidationTables(
        region=region, by_year=by_year, by_category=pd.DataFrame(), by_region=years,
        flows=pd.DataFrame(), transition=None,
        deprivation=C.DeprivationTables(None, table, table, table, {}, "person", 1 / 3, "", ""),
        fgt=C.RegionalPoverty(table, None, "person"), vulnerability=table, dependence=table,
        monitored_persons=None, latest=2025, first=2021, households=100, threshold_text="")
    parent_years = pd.DataFrame({2021: [60.0], 2025: ["<10"]}, index=["甲县"])
    parent = dataclasses.replace(
        t, region=C.Region("prefecture", "990100", "甲市"), by_region=parent_years,
        deprivation=dataclasses.replace(t.deprivation, by_region=parent_table),
        fgt=C.RegionalPoverty(parent_table, None, "person"), vulnerability=table)
    out = C._inherit_hidden(t, parent, per="person", min_cell=10, language="zh")
    assert out.deprivation.by_region["率(%)"].tolist() == ["<10", "<10"]
    assert out.fgt.table["率(%)"].tolist() == ["<10", "<10"]
    assert out.vulnerability["率(%)"].tolist() == [1.0, 1.0]  # shown by the parent: kept
    # the parent hides the county's 2025 elimination rate: the county's roster hides it, and
    # the change 2021→2025 that rests on it
    assert out.by_year[heading].tolist() == [60.0, "<10"]
    assert out.by_year.attrs["change"].empty and "+2.00" not in out.by_year.attrs["note"]
    assert "样本过少，不予显示" in out.by_year.attrs["note"]
