"""巩固 report glue: suppression never shows small cells; findings follow the numbers."""

import numpy as np
import pandas as pd
import pytest

from linkage import consolidation as C
from linkage import monitoring, poverty
from linkage.disclosure import suppress
from linkage.errors import InputError
from linkage.panel import load_panel


@pytest.fixture(scope="module")
def sample():
    data = load_panel()
    hh = C.load_households().households
    return data, hh


def _visible_numbers(table):
    return table.map(lambda v: not isinstance(v, str))


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
        table = C.elimination_by_group(hh, regions, min_cell=min_cell)
        # recount the households behind each cell independently
        mon = hh[hh["monitor_category"] != "非监测对象"].assign(region=regions)
        elim = mon["risk_eliminated"].fillna(False).astype(bool)
        n = mon.groupby(["region", "year"]).size().unstack()
        e = elim.groupby([mon["region"], mon["year"]]).sum().unstack()
        cells = np.minimum(n, e).reindex(index=table.index.drop(C.TOTAL),
                                         columns=table.columns).fillna(0)
        shown = _visible_numbers(table.drop(index=C.TOTAL))
        assert cells.where(shown).min().min() >= min_cell
        assert (table == f"<{min_cell}").to_numpy().sum() > 0  # counties are small: some hidden


def test_elimination_rate_by_category_matches_a_hand_count(sample):
    _, hh = sample
    table = C.elimination_by_group(hh, hh["monitor_category"])
    part = hh[(hh["year"] == 2023) & (hh["monitor_category"] == "脱贫不稳定户")]
    elim = part["risk_eliminated"].fillna(False).astype(bool)
    expected = 100 * (part["weight"] * elim).sum() / part["weight"].sum()
    assert table.loc["脱贫不稳定户", 2023] == pytest.approx(expected, abs=0.006)


def test_comparison_labels_real_and_simulated_rows(sample):
    _, hh = sample
    comp = C.elimination_comparison(hh)
    kinds = comp["数据性质"].value_counts()
    assert kinds["真实统计"] == 2 and kinds["模拟数据"] == hh["year"].nunique()
    real = comp[comp["数据性质"] == "真实统计"].set_index("时期")["数值(%)"]
    assert real["2024-06-30"] == 60.4 and real["2022-11-30"] == 65.7  # national figures
    assert (comp[comp["数据性质"] == "真实统计"]["资料来源"].str.len() > 10).all()


def test_transition_flows_are_the_hand_computed_return_rate(sample):
    _, hh = sample
    flows = C.transition_flows(hh)
    from linkage.dynamics import risk_status
    status = risk_status(hh)
    wide = status.groupby([hh["household_id"], hh["year"]]).first().unstack()
    w = hh.groupby("household_id")["weight"].first()
    stable = wide[2024] == "脱贫户·稳定"
    back = stable & (wide[2025] == "脱贫户·风险")
    expected = 100 * w[back].sum() / w[stable].sum()
    assert flows.loc["2024→2025", "返贫率(%)"] == pytest.approx(expected, abs=0.006)


def test_transition_table_hides_empty_and_small_moves(sample):
    _, hh = sample
    table = C.transition_table(hh, from_year=2024, to_year=2025)
    assert table.loc["脱贫户·稳定", "一般农户·稳定"] == "<10"  # impossible move, 0 households
    assert "未观测" not in table.index  # balanced panel: empty attrition row left out
    assert float(table.loc["一般农户·稳定", "一般农户·稳定"]) > 90


def test_multidimensional_poverty_total_row_is_the_library_result(sample):
    data, hh = sample
    cross = hh[hh["year"] == 2025]
    regions = C.region_labels(cross, data.counties)
    line = monitoring.threshold_for(cross["region_code"], cross["year"])
    tables = C.multidimensional_poverty(cross, regions, income_line=line, k=0.25, reps=200,
                                        seed=1)
    inp = poverty.af_inputs(cross, income_line=line)
    direct = poverty.alkire_foster(inp.data, inp.cutoffs, inp.weights, 0.25,
                                   sample_weight=cross["weight"])
    total = tables.by_region.loc[C.TOTAL]
    assert total["多维贫困发生率H(%)"] == pytest.approx(100 * direct.H, abs=0.006)
    assert total["调整后贫困指数M0"] == pytest.approx(direct.M0, abs=6e-5)
    assert total["M0 95%CI下限"] <= total["调整后贫困指数M0"] <= total["M0 95%CI上限"]
    # indicators deprived among almost nobody poor are hidden, never shown
    censored = tables.censored
    assert (censored == "<10").to_numpy().any()


def test_fgt_by_region_total_matches_fgt_and_ci_brackets(sample):
    data, hh = sample
    cross = hh[hh["year"] == 2024]
    line = monitoring.threshold_for(cross["region_code"], cross["year"])
    table = C.fgt_by_region(cross, C.region_labels(cross, data.counties), line=line, seed=3)
    total = table.loc[C.TOTAL]
    expected = poverty.fgt(cross["income_pc"], line, alpha=1, weights=cross["weight"])
    assert total["贫困距FGT1(%)"] == pytest.approx(100 * expected, abs=0.006)
    assert total["FGT0 95%CI下限(%)"] <= total["贫困发生率FGT0(%)"] <= total["FGT0 95%CI上限(%)"]


def test_vulnerable_but_not_poor_is_within_vulnerable(sample):
    data, hh = sample
    cross = hh[hh["year"] == 2025]
    line = monitoring.threshold_for(cross["region_code"], cross["year"])
    result, table = C.vulnerability_by_region(cross, C.region_labels(cross, data.counties),
                                              line=line)
    total = table.loc[C.TOTAL]
    assert total["相对脆弱但非贫困(%)"] <= total["相对脆弱比例(%)"]
    assert total["当前贫困率(%)"] == pytest.approx(100 * result.poverty_rate, abs=0.006)


def test_load_households_refuses_identifiers_and_empty_years(tmp_path, sample):
    _, hh = sample
    path = tmp_path / "hh.parquet"
    hh.head(50).assign(户主姓名="张三").to_parquet(path)
    with pytest.raises(InputError, match="身份"):
        C.load_households(path)
    with pytest.raises(InputError, match="没有记录"):
        C.load_households(None, start_year=1990, end_year=1995)


def _narrative(hh, data, *, k=0.25, language="zh"):
    cross = hh[hh["year"] == hh["year"].max()]
    regions = C.region_labels(cross, data.counties)
    line = monitoring.threshold_for(cross["region_code"], cross["year"])
    lang = {"language": language}
    return C.consolidation_narrative(
        by_year=C.monitoring_by_year(hh, **lang), flows=C.transition_flows(hh),
        deprivation=C.multidimensional_poverty(cross, regions, income_line=line, k=k, seed=1,
                                               **lang),
        fgt=C.fgt_by_region(cross, regions, line=line, seed=1, **lang),
        vulnerability_table=C.vulnerability_by_region(cross, regions, line=line, **lang)[1],
        dependence=C.dependence_table(hh, **lang), simulated=True, k=k, **lang)


def test_narrative_follows_the_data(sample):
    data, hh = sample
    lines = _narrative(hh, data)
    assert any("模拟数据" in line for line in lines)
    # lower the 2025 incomes: more income poverty, and the sentence says a different rate
    poorer = hh.copy()
    last = poorer["year"] == poorer["year"].max()
    poorer.loc[last, "income_pc"] *= 0.8
    changed = _narrative(poorer, data)
    before = next(line for line in lines if "收入贫困发生率" in line)
    after = next(line for line in changed if "收入贫困发生率" in line)
    assert before != after
    assert lines[0] == changed[0]  # the roster sentence does not depend on incomes



def test_narrative_reads_tables_built_in_english(sample):
    """The report builds its tables once, in the report language; the narrative reads them."""
    data, hh = sample
    assert _narrative(hh, data, language="en") == _narrative(hh, data)
