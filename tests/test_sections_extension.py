"""拓展 report glue: tables agree with the analysis functions; findings follow the numbers."""

import re

import numpy as np
import pandas as pd
import pytest

from linkage import convergence, inequality
from linkage.errors import InputError
from linkage.evaluation.wild import wild_weights_for
from linkage.frameworks import load_framework
from linkage.labels import label
from linkage.panel import PanelData, load_panel
from linkage.sections import extension as E
from linkage.sections import overview
from linkage.sections.consolidation import load_households

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def data():
    return load_panel()


@pytest.fixture(scope="module")
def fw():
    return load_framework()


@pytest.fixture(scope="module")
def betas(data):
    return E.convergence_results(data, start=2015, end=2025, reps=199, seed=1)


def test_income_comparison_keeps_real_and_simulated_apart(data):
    comp = E.income_comparison(data)
    assert comp.loc[2016, "比值（真实统计）"] == pytest.approx(0.684, abs=5e-4)  # NBS 2016: 68.4 %
    assert np.isnan(comp.loc[2015, "比值（真实统计）"])  # no real figure: a gap, not a fill
    ratio = comp["原贫困县（模拟数据）"] / comp["其他县（模拟数据）"]
    assert np.allclose(ratio, comp["原贫困县/其他县（模拟数据）"])
    counted = comp[f"{label('n_poverty_counties')}（模拟数据）"]
    assert (counted == data.counties["poverty_county"].sum()).all()
    en = E.income_comparison(data, language="en")
    assert "Ratio (Real statistics)" in en.columns and not any(CJK.search(c) for c in en.columns)


def test_income_comparison_intervals_bracket_the_ratio(data):
    comp = E.income_comparison(data, ci=True, reps=199, seed=4)
    low, high = (f"{c}（模拟数据）" for c in overview.ci_columns("原贫困县/其他县", 0.95))
    ratio = comp["原贫困县/其他县（模拟数据）"]
    assert ((comp[low] < ratio) & (ratio < comp[high])).all()
    assert comp.attrs["level"] == 0.95 and comp.attrs["reps"] == 199


def test_theil_by_year_is_the_library_decomposition(data):
    table = E.theil_by_year(data, ci=True, reps=199, seed=2)
    frame = E.county_frame(data, "rural_income_pc")
    part = frame[frame["year"] == 2020]
    r = inequality.theil(part["value"], groups=part["group"], weights=part["rural_population"])
    assert table.loc[2020, "泰尔T"] == pytest.approx(r.total, abs=5e-5)
    assert table.loc[2020, "泰尔T组间"] + table.loc[2020, "泰尔T组内"] == pytest.approx(
        table.loc[2020, "泰尔T"], abs=2e-4)
    low, high = overview.ci_columns("泰尔T组间占比(%)", 0.95)
    assert (table[low] <= table["泰尔T组间占比(%)"]).all()
    assert (table["泰尔T组间占比(%)"] <= table[high]).all()
    en = E.theil_by_year(data, language="en")
    assert "Theil T between share (%)" in en.columns


def test_named_weights_must_exist(data):
    with pytest.raises(InputError, match="households_total"):
        E.theil_by_year(data, weights="households_total")
    with pytest.raises(InputError, match="households_total"):
        E.dagum_by_year(data, years=[2020], weights="households_total")
    with pytest.raises(InputError, match="households_total"):
        E.income_comparison(data, weights="households_total")


def test_county_without_a_poverty_flag_is_named_not_counted_as_other(data):
    counties = data.counties.astype({"poverty_county": "boolean"})
    code = counties.index[0]
    counties.loc[code, "poverty_county"] = pd.NA
    with pytest.raises(InputError, match=code):
        E.county_frame(PanelData(data.panel, counties, True, ()), "rural_income_pc")


def test_beta_table_reports_the_inference_and_flags_implausible_speeds(data, betas):
    table = E.beta_table(betas)
    absolute = betas["absolute"]
    assert list(table.index) == ["绝对β收敛", "条件β收敛", "面板β收敛(双向固定效应)"]
    assert table.loc["绝对β收敛", "β"] == pytest.approx(absolute.beta, abs=5e-5)
    # speed λ = −ln(1 + βT)/T (Barro & Sala-i-Martin 1992) from the printed β
    assert table.loc["绝对β收敛", "收敛速度λ(%/年)"] == pytest.approx(
        -100 * np.log1p(10 * absolute.beta) / 10, abs=1e-2)
    assert table.loc["绝对β收敛", "聚类数"] == data.counties["prefecture_code"].nunique()
    # 12 prefectures < 42: every p-value is the wild cluster bootstrap's
    assert (table["p值方法"] == "野聚类自助法").all()
    # the kit's one weight rule (checks.WEBB_BELOW), not a weight hard-coded by the report
    assert all(r.wild is not None and r.wild.weights == wild_weights_for(r.clusters)
               for r in betas.values())
    # the interval beside the bootstrap p-value is the inverted bootstrap test
    assert table.loc["绝对β收敛", "CI下限"] == pytest.approx(
        absolute.wild.table["ci_low"].iloc[0], abs=5e-5)
    assert (table["未进入回归的观测"] == "—").all()  # the sample is complete
    assert table["p值"].tolist() == pytest.approx([round(r.pvalue, 4) for r in betas.values()])
    assert table["速度不可信"].tolist() == [r.implausible for r in betas.values()]
    assert table.loc["面板β收敛(双向固定效应)", "速度不可信"]  # λ ≈ 46 %/year: flagged
    en = E.beta_table(betas, language="en")
    assert "Panel β-convergence (two-way FE)" in en.index and "Implausible speed" in en.columns


def test_beta_rows_left_out_raise_or_are_counted_in_table_and_summary(data):
    """No silent drops: a county-year without income raises by default; with
    missing="drop" the cross-sections count the county, the panel the row and the growth
    observation lost after it, and the table and summaries print both."""
    panel = data.panel.copy()
    code = panel["region_code"].iloc[0]
    panel.loc[(panel["region_code"] == code) & (panel["year"] == 2020), "rural_income_pc"] = np.nan
    gappy = PanelData(panel, data.counties, True, ())
    with pytest.raises(InputError, match="缺失"):
        E.convergence_results(gappy, start=2015, end=2025, inference="cluster")
    betas = E.convergence_results(gappy, start=2015, end=2025, inference="cluster",
                                  missing="drop")
    assert betas["absolute"].n_dropped == 0  # 2020 is neither the start nor the end year
    assert (betas["panel"].n_dropped, betas["panel"].n_no_lag) == (1, 1)
    table = E.beta_table(betas)
    assert table.loc["面板β收敛(双向固定效应)", "未进入回归的观测"] == betas["panel"].dropped_text()
    assert "因缺失值剔除 1 行" in betas["panel"].summary()
    end_gap = panel.copy()
    end_gap.loc[(end_gap["region_code"] == code) & (end_gap["year"] == 2025),
                "rural_income_pc"] = np.nan
    dropped = E.convergence_results(PanelData(end_gap, data.counties, True, ()), start=2015,
                                    end=2025, inference="cluster", missing="drop")
    assert dropped["absolute"].n_dropped == 1
    assert "因缺失值剔除 1 个地区" in E.beta_table(dropped).loc["绝对β收敛", "未进入回归的观测"]


def test_structure_rows_sum_to_100_and_national_row_is_real(data):
    hh = load_households().households
    table = E.structure_table(hh, data.counties)
    real = table.loc["全国农村 2023（真实统计）"].astype(float)
    assert real.sum() == pytest.approx(100, abs=0.05)
    assert real["工资性收入(%)"] == pytest.approx(100 * 9163 / 21691, abs=0.006)
    sim = table.drop(index="全国农村 2023（真实统计）").astype(float)
    assert np.allclose(sim.sum(axis=1), 100, atol=0.05)
    en = E.structure_table(hh, data.counties, language="en")
    assert "National rural 2023 (Real statistics)" in en.index
    assert not any(CJK.search(c) for c in [*en.columns, *en.index, en.index.name])


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
    fig = E.density_figure(E.density_by_year(data, years=[2015, 2025], language="en"),
                           language="en")
    assert fig.axes[0].get_title() == label("fig_density", "en")


# ------------------------------------------------------------------ gaps: who leads


def _gaps(rows):
    """A gap_changes input: (indicator, direction, first ratio, last ratio[, interval]) — the
    interval of the change defaults to one that excludes 0 on the side of the change."""
    out = []
    for name, direction, first, last, *ci in rows:
        d = last - first
        low, high = ci[0] if ci else ((d / 2, 2 * d) if d > 0 else (2 * d, d / 2))
        for year, r, c, lo, hi in ((2015, first, 0.0, 0.0, 0.0), (2025, last, d, low, high)):
            out.append({"维度": "就业拓展", "指标": name, "方向": direction, "年份": year,
                        "原贫困县/其他县": r, "较起始年的比值变化": c,
                        "较起始年的比值变化 95%CI下限": lo, "较起始年的比值变化 95%CI上限": hi})
    return pd.DataFrame(out)


def test_gap_changes_classifies_by_who_leads():
    out = E.gap_changes(_gaps([("甲", "正向", 1.5, 1.2), ("乙", "正向", 0.9, 0.7),
                               ("丙", "正向", 0.6, 0.8), ("丁", "逆向", 1.4, 1.1),
                               ("戊", "逆向", 0.9, 1.2)]))
    assert out.loc["甲", "差距变化"] == "领先但领先缩小"  # led all along: not "差距缩小"
    assert out.loc["乙", "差距变化"] == "落后且差距扩大"
    assert out.loc["丙", "差距变化"] == "落后但差距缩小"
    assert out.loc["丁", "差距变化"] == "落后但差距缩小"  # lower is better: 1.4 trails
    assert out.loc["戊", "差距变化"] == "由领先转为落后"
    assert out.loc["丙", "起始比值"] == 0.6 and out.loc["丙", "截止年"] == 2025
    assert out.loc["丙", "较起始年的比值变化"] == pytest.approx(0.2)


def test_gap_changes_need_the_interval_of_the_change():
    """Constructed: the same point change (+0.1) is "差距缩小" when its interval excludes 0
    and "变化不显著" when it covers 0; a table without intervals is refused."""
    out = E.gap_changes(_gaps([("甲", "正向", 0.7, 0.8, (0.02, 0.18)),
                               ("乙", "正向", 0.7, 0.8, (-0.03, 0.23)),
                               ("丙", "正向", 1.2, 1.3, (-0.03, 0.23))]))
    assert out["差距变化"].tolist() == [
        "落后但差距缩小", "落后，差距变化不显著", "领先，变化不显著"]
    line = E._gap_sentence(out, "zh")[0]
    assert ("起始落后的 2 项：1 项差距缩小，1 项变化不显著（乙 +0.100（95% CI -0.030–+0.230））"
            in line)
    assert "变化不显著 1 项（丙 +0.100（95% CI -0.030–+0.230））" in line
    assert "不含 0 时才称缩小或扩大" in line
    with pytest.raises(InputError, match="较起始年的比值变化"):
        E.gap_changes(_gaps([("甲", "正向", 0.7, 0.8)]).drop(
            columns=["较起始年的比值变化 95%CI下限"]))


def test_dimension_gaps_carry_the_indicator_direction_and_change_intervals(data, fw):
    gaps = E.dimension_gaps(data, fw, reps=199, seed=1)
    table = fw.indicator_table().set_index("name_zh")
    expected = np.where(table.loc[gaps["指标"], "direction"] > 0, "正向", "逆向")
    assert (gaps["方向"].to_numpy() == expected).all()
    changes = E.gap_changes(gaps)
    low, high = "较起始年的比值变化 95%CI下限", "较起始年的比值变化 95%CI上限"
    assert (changes[low] <= changes["较起始年的比值变化"]).all()
    assert (changes["较起始年的比值变化"] <= changes[high]).all()
    covers = (changes[low] < 0) & (changes[high] > 0)
    assert changes.loc[covers, "差距变化"].str.contains("变化不显著").all()
    assert not changes.loc[~covers, "差距变化"].str.contains("变化不显著").any()


def test_gap_sentence_does_not_count_a_led_gap_as_narrowed():
    # the demo's case: 8 trailing gaps narrowed and one the former poverty counties led
    rows = [(f"指标{i}", "正向", 0.7, 0.8) for i in range(8)] + [("帮扶车间", "正向", 1.53, 1.49)]
    line = E._gap_sentence(E.gap_changes(_gaps(rows)), "zh")[0]
    assert "9 项指标中，原贫困县起始落后的 8 项：8 项差距缩小" in line
    assert "起始领先或持平的 1 项" in line and "领先缩小 1 项" in line
    assert "9 项差距缩小" not in line
    mixed = [("甲", "正向", 0.7, 0.6), ("乙", "正向", 0.7, 1.1), ("丙", "正向", 1.1, 0.9)]
    line = E._gap_sentence(E.gap_changes(_gaps(mixed)), "zh")[0]
    assert "起始落后的 2 项：1 项差距缩小（其中 1 项已反超），1 项差距扩大（甲）" in line
    assert "转为落后 1 项（丙）" in line


# ------------------------------------------------------------------ findings


def _narrative(data, fw, betas, language="zh", **ci):
    comp = E.income_comparison(data, language=language, **ci)
    sigma = convergence.sigma_convergence(E.county_frame(data, "rural_income_pc"),
                                          value="value")
    return E.extension_narrative(
        comparison=comp, sigma=sigma, betas=betas,
        theil=E.theil_by_year(data, language=language, **ci),
        gaps=E.gap_changes(E.dimension_gaps(data, fw, language=language), language=language),
        simulated=data.simulated, language=language)


def test_narrative_follows_the_data(data, fw, betas):
    lines = _narrative(data, fw, betas)
    assert any("模拟数据" in line for line in lines)
    comp = E.income_comparison(data)
    poor, other = comp["原贫困县（模拟数据）"], comp["其他县（模拟数据）"]
    g = [overview.annual_growth(s.iloc[0], s.iloc[-1], 10) for s in (poor, other)]
    assert lines[0].startswith(f"2015—2025 年原贫困县收入年均增长 {g[0]:.1%}，"
                               f"{'快于' if g[0] > g[1] else '不快于'}其他县（{g[1]:.1%}）")
    # former poverty counties lose 30 % of their last-year income: growth no longer faster
    panel = data.panel.copy()
    poor_rows = panel["region_code"].map(data.counties["poverty_county"]).astype(bool)
    panel.loc[poor_rows & (panel["year"] == 2025), "rural_income_pc"] *= 0.7
    changed = _narrative(PanelData(panel, data.counties, data.simulated, data.sources), fw,
                         betas)
    assert "不快于" in changed[0] and lines[0] != changed[0]


def test_narrative_states_intervals_inference_and_flags(data, fw, betas):
    lines = _narrative(data, fw, betas, ci=True, reps=199, seed=3)
    comp = E.income_comparison(data, ci=True, reps=199, seed=3)
    low, high = (f"{c}（模拟数据）" for c in overview.ci_columns("原贫困县/其他县", 0.95))
    assert (f"（95% CI {comp[low].iloc[0]:.3f}–{comp[high].iloc[0]:.3f}）" in lines[0])
    theil = E.theil_by_year(data, ci=True, reps=199, seed=3)
    share, tl = "泰尔T组间占比(%)", overview.ci_columns("泰尔T组间占比(%)", 0.95)[0]
    theil_line = next(line for line in lines if line.startswith("泰尔T"))
    assert f"{theil[share].iloc[0]:.1f}%（95% CI {theil[tl].iloc[0]:.1f}%" in theil_line
    # the between share is called lower only when the two years' intervals do not overlap
    th = overview.ci_columns("泰尔T组间占比(%)", 0.95)[1]
    apart = theil[th].iloc[-1] < theil[tl].iloc[0] or theil[tl].iloc[-1] > theil[th].iloc[0]
    assert ("区间不重叠" in theil_line) == apart and ("变化不能确定" in theil_line) != apart
    # few clusters: the wild bootstrap is used and the narrative says why
    assert any("少于 42 个" in line and "野聚类自助法" in line for line in lines)
    # the implausible panel speed is printed with its flag, never bare
    panel_line = next(line for line in lines if line.startswith("面板β收敛"))
    assert f"{100 * betas['panel'].speed:.2f}%/年" in panel_line and "不可信" in panel_line
    assert "Nickell" in panel_line


def test_narrative_without_few_clusters_says_nothing_about_the_bootstrap(data, fw):
    betas = E.convergence_results(data, start=2015, end=2025, inference="cluster")
    lines = _narrative(data, fw, betas)
    assert not any("野聚类自助法" in line for line in lines)
    assert any("聚类稳健标准误" in line for line in lines)


def test_english_narrative_has_no_chinese(data, fw, betas):
    lines = _narrative(data, fw, betas, language="en", ci=True, reps=199, seed=3)
    assert len(lines) == len(_narrative(data, fw, betas, ci=True, reps=199, seed=3))
    assert not [line for line in lines if CJK.search(line)]
    assert any("wild cluster" in line for line in lines)


def test_report_figures_carry_their_series_and_notes(data):
    comparison = E.income_comparison(data, ci=True, reps=199, seed=1)
    fig = E.income_ratio_figure(comparison, note="注：模拟数据")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert len(labels) == 2  # the two ratios, not their interval bounds
    assert any("模拟" in x for x in labels) and any("真实" in x for x in labels)
    assert any("模拟数据" in t.get_text() for t in fig.texts)
    sigma = convergence.sigma_convergence(E.county_frame(data, "rural_income_pc"),
                                          value="value", missing="drop")
    line = E.sigma_figure(sigma).axes[0].get_lines()[0]
    assert list(line.get_ydata()) == list(sigma.table["sd_log"])
    theil = E.theil_by_year(data)
    assert len(E.theil_figure(theil).axes[0].get_lines()) == 2
    en = E.theil_figure(E.theil_by_year(data, language="en"), language="en")
    assert en.axes[0].get_title() == "Theil T: between and within groups"
    assert E.sigma_figure(sigma, language="en").axes[0].get_title() == label("fig_sigma", "en")


def test_real_and_sigma_sentences_quote_their_tables(data, fw, betas):
    lines = _narrative(data, fw, betas)
    real = E.income_comparison(data)["比值（真实统计）"].dropna()
    assert (f"由 {real.index[0]} 年的 {real.iloc[0]:.1%} "
            f"{'升至' if real.iloc[-1] > real.iloc[0] else '变为'} {real.index[-1]} 年的 "
            f"{real.iloc[-1]:.1%}") in lines[1]
    sigma = convergence.sigma_convergence(E.county_frame(data, "rural_income_pc"), value="value")
    table = sigma.table["sd_log"]
    assert lines[2] == sigma.summary()
    assert f"由 {table.iloc[0]:.4f} 变为 {table.iloc[-1]:.4f}" in lines[2]
    assert ("存在显著的σ收敛" in lines[2]) == (sigma.slope < 0 and sigma.p < 0.05)


# --------------------------------------------------------------------------- the section

from reader_text import reader_problems  # noqa: E402  (tests/ helper)

from linkage.reporting.document import Cover, Document, Figure, Section, Table  # noqa: E402

REGIONS = {"province": "", "key_county": "990327", "poverty_county": "990521",
           "prefecture": "990500"}


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def sections(cache):
    return {(name, lang): E.build(region_code=code, language=lang, reps=99, cache_dir=cache)
            for name, code in REGIONS.items() for lang in ("zh", "en")}


@pytest.fixture(scope="module")
def place_names(data):
    c = data.counties
    return set(c["region_name"].astype(str)) | set(c["prefecture_name"].astype(str))


def _table(section: Section, key: str) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table) and b.key == key)


@pytest.mark.parametrize("name", list(REGIONS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_section_reads_as_a_document(sections, place_names, name, lang):
    section = sections[name, lang]
    assert section.key == "extension" and section.language == lang and section.simulated
    assert reader_problems(section, place_names=place_names) == []
    # references resolve and the section survives saving
    Document(Cover("t", "r", "p"), (section,), language=lang).assemble()
    assert Section.from_json(section.to_json()).to_json() == section.to_json()


def test_county_report_puts_the_county_first_and_the_detail_in_the_appendix(sections):
    county, province = sections["key_county", "zh"], sections["province", "zh"]
    body = [b.key for b in county.blocks if isinstance(b, Table) and not b.appendix]
    assert body[:2] == ["region_income", "region_indicators"] and "province_summary" in body
    appendix = {b.key for b in county.blocks if getattr(b, "appendix", False)}
    assert {"beta", "theil_table", "dagum", "structure", "income_groups_full"} <= appendix
    assert "region_income" not in {b.key for b in province.blocks if hasattr(b, "key")}
    # province-wide figures are drawn in the province report only (a county report keeps their
    # tables in its appendix)
    wide = {"income_ratio", "theil", "sigma_fig", "density", "gap_ratio_0"}
    assert wide <= {b.key for b in province.blocks if isinstance(b, Figure)}
    assert not wide & {b.key for b in county.blocks if isinstance(b, Figure)}
    assert not _table(province, "income_groups").appendix


def test_county_finding_agrees_with_its_table(sections):
    section = sections["poverty_county", "zh"]
    table = _table(section, "region_income")
    last = table.frame.iloc[-1]
    finding = next(f.text for f in section.findings if f.rank == 20)
    assert f"{last.iloc[1]} 元" in finding  # the county's income in the last year
    assert f"{last.iloc[-1]} 倍" in finding  # its ratio to the province mean
    metrics = {m.key: m.value for m in section.metrics}
    assert f"{metrics['ext_income_pc']:,.0f}" == last.iloc[1]
    assert f"{metrics['ext_ratio_to_province']:.2f}" == last.iloc[-1]
    # findings are ordered: the region's own gap first, the implausible speed flagged
    ranks = [f.rank for f in section.findings]
    assert min(ranks) == 20
    assert any("不可信" in f.text for f in section.findings)
    # the convergence finding quotes the β of the summary table; few findings for the summary
    summary = _table(section, "province_summary").frame.set_index("项目")
    convergence = next(f.text for f in section.findings if f.rank == 30)
    assert summary.loc["绝对β收敛", "起始"] in convergence
    assert len(section.findings) <= 5


def test_national_comparison_names_the_publisher_and_keeps_mirrors_in_the_appendix(sections):
    province = sections["province", "zh"]
    table = _table(province, "income_groups")
    assert "国家统计局《国民经济和社会发展统计公报》" in table.source
    assert not any("http" in n for n in table.notes)  # main body: no mirror URL
    full = _table(province, "income_groups_full")
    assert full.appendix and any("http" in n for n in full.notes)


def test_prefecture_report_lists_its_counties(sections, data):
    table = _table(sections["prefecture", "zh"], "region_counties")
    members = data.counties.index[data.counties["prefecture_code"] == "990500"]
    assert len(table.frame) == len(members)
    assert set(table.frame["县"]) == set(data.counties.loc[members, "region_name"])


def test_second_build_reads_the_batch_cache(monkeypatch, tmp_path):
    calls = []
    real = E.province_extension
    monkeypatch.setattr(E, "province_extension",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    first = E.build(region_code="990327", reps=99, cache_dir=str(tmp_path))
    second = E.build(region_code="990521", reps=99, cache_dir=str(tmp_path))
    assert len(calls) == 1
    assert _table(first, "province_summary").frame.equals(
        _table(second, "province_summary").frame)
    E.build(region_code="990327", reps=99, cache_dir="")  # no cache: computes
    assert len(calls) == 2


def test_unknown_region_code_is_an_input_error():
    with pytest.raises(InputError, match="990999"):
        E.build(region_code="990999", reps=99)


def test_an_unknown_region_code_is_named_as_a_parameter_not_a_data_row():
    from linkage.sections.overview import region_scope

    with pytest.raises(InputError, match="region_code=990104") as error:
        region_scope(load_panel(), "990104")
    assert "行" not in str(error.value) and "row" not in str(error.value)
