"""拓展 report glue: tables agree with the analysis functions; findings follow the numbers."""

import numpy as np
import pandas as pd
import pytest

from linkage import convergence, inequality
from linkage import extension as E
from linkage.consolidation import load_households
from linkage.frameworks import load_framework
from linkage.panel import PanelData, load_panel


@pytest.fixture(scope="module")
def data():
    return load_panel()


@pytest.fixture(scope="module")
def fw():
    return load_framework()


def test_income_comparison_keeps_real_and_simulated_apart(data):
    comp = E.income_comparison(data)
    assert comp.loc[2016, "比值（真实统计）"] == pytest.approx(0.684, abs=5e-4)  # NBS 2016: 68.4 %
    assert np.isnan(comp.loc[2015, "比值（真实统计）"])  # no real figure: a gap, not a fill
    ratio = comp["原贫困县（模拟数据）"] / comp["其他县（模拟数据）"]
    assert np.allclose(ratio, comp["原贫困县/其他县（模拟数据）"])


def test_theil_by_year_is_the_library_decomposition(data):
    table = E.theil_by_year(data)
    frame = E.county_frame(data, "rural_income_pc")
    part = frame[frame["year"] == 2020]
    r = inequality.theil(part["value"], groups=part["group"], weights=part["rural_population"])
    assert table.loc[2020, "泰尔T"] == pytest.approx(r.total, abs=5e-5)
    assert table.loc[2020, "泰尔T组间"] + table.loc[2020, "泰尔T组内"] == pytest.approx(
        table.loc[2020, "泰尔T"], abs=2e-4)


def test_beta_table_reports_speed_only_when_converging(data):
    results = E.convergence_results(data, start=2015, end=2025)
    table = E.beta_table(results)
    absolute = results["绝对β收敛"]
    assert table.loc["绝对β收敛", "β"] == pytest.approx(absolute.beta, abs=5e-5)
    # speed λ = −ln(1 + βT)/T (Barro & Sala-i-Martin 1992) from the printed β
    assert table.loc["绝对β收敛", "收敛速度λ(%/年)"] == pytest.approx(
        -100 * np.log1p(10 * absolute.beta) / 10, abs=1e-3)
    assert table.loc["绝对β收敛", "聚类数"] == data.counties["prefecture_code"].nunique()


def test_structure_rows_sum_to_100_and_national_row_is_real(data):
    hh = load_households().households
    table = E.structure_table(hh, data.counties)
    real = table.loc["全国农村 2023（真实统计）"].astype(float)
    assert real.sum() == pytest.approx(100, abs=0.05)
    assert real["工资性收入(%)"] == pytest.approx(100 * 9163 / 21691, abs=0.006)
    sim = table.drop(index="全国农村 2023（真实统计）").astype(float)
    assert np.allclose(sim.sum(axis=1), 100, atol=0.05)


def test_structure_hides_groups_with_few_households(data):
    hh = load_households().households
    few = hh[hh["region_code"].map(data.counties["poverty_county"])].groupby("year").head(5)
    rest = hh[~hh["region_code"].map(data.counties["poverty_county"])]
    table = E.structure_table(pd.concat([few, rest]), data.counties)
    assert (table.loc["原贫困县 2021（模拟数据）"] == "<10").all()
    assert not (table.loc["其他县 2021（模拟数据）"] == "<10").any()


def test_density_integrates_to_one_per_year(data):
    dens = E.density_by_year(data, years=[2015, 2025])
    for _, part in dens.groupby("年份"):
        assert np.trapezoid(part["density"], part["value"]) == pytest.approx(1, abs=0.01)


def test_gap_changes_judges_distance_from_parity():
    gaps = pd.DataFrame({"维度": "就业拓展", "指标": ["甲", "甲", "乙", "乙"],
                         "年份": [2015, 2025, 2015, 2025],
                         "原贫困县/其他县": [1.5, 1.2, 0.9, 0.7]})
    out = E.gap_changes(gaps)
    assert bool(out.loc["甲", "差距缩小"]) and not bool(out.loc["乙", "差距缩小"])


def _narrative(data, fw):
    comp = E.income_comparison(data)
    frame = E.county_frame(data, "rural_income_pc")
    sigma = convergence.sigma_convergence(frame, value="value")
    return E.extension_narrative(
        comparison=comp, sigma=sigma,
        betas=E.convergence_results(data, start=2015, end=2025),
        theil=E.theil_by_year(data), gaps=E.gap_changes(E.dimension_gaps(data, fw)),
        simulated=data.simulated)


def test_narrative_follows_the_data(data, fw):
    lines = _narrative(data, fw)
    assert any("模拟数据" in line for line in lines)
    assert any("快于" in line for line in lines)
    # former poverty counties lose 30 % of their last-year income: growth no longer faster
    panel = data.panel.copy()
    poor = panel["region_code"].map(data.counties["poverty_county"]).astype(bool)
    panel.loc[poor & (panel["year"] == 2025), "rural_income_pc"] *= 0.7
    changed = _narrative(PanelData(panel, data.counties, data.simulated, data.sources), fw)
    assert any("不快于" in line for line in changed)
    assert lines[0] != changed[0]


def test_report_figures_carry_their_series_and_notes():
    from linkage import convergence, extension
    from linkage.panel import load_panel

    data = load_panel()
    comparison = extension.income_comparison(data)
    fig = extension.income_ratio_figure(comparison, note="注：模拟数据")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("模拟" in x for x in labels) and any("真实" in x for x in labels)
    assert any("模拟数据" in t.get_text() for t in fig.texts)
    sigma = convergence.sigma_convergence(extension.county_frame(data, "rural_income_pc"),
                                          value="value", missing="drop")
    line = extension.sigma_figure(sigma).axes[0].get_lines()[0]
    assert list(line.get_ydata()) == list(sigma.table["sd_log"])
    theil = extension.theil_by_year(data)
    assert len(extension.theil_figure(theil).axes[0].get_lines()) == 2
