"""衔接评估 tables and findings built on framework scores and coupling coordination."""

from __future__ import annotations

import dataclasses
import doctest
import inspect
import re

import numpy as np
import pandas as pd
import pytest

from linkage import coupling
from linkage.errors import InputError
from linkage.frameworks import Framework, load_framework
from linkage.panel import load_panel
from linkage.scoring import policy_effort_index, score_framework
from linkage.sections import linkage as assessment

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def data():
    return load_panel()


@pytest.fixture(scope="module")
def scores(data):
    return score_framework(data.panel, missing="year_mean")


@pytest.fixture(scope="module")
def cc(scores):
    return assessment.linkage_coupling(scores)


@pytest.fixture(scope="module")
def effort(data):
    return policy_effort_index(data.panel, counties=data.counties, missing="year_mean")


@pytest.fixture(scope="module")
def sensitivity(data):
    return assessment.weighting_sensitivity(data, missing="year_mean")


def test_docstring_examples_run():
    result = doctest.testmod(assessment, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8 and result.failed == 0


def test_group_means_split_the_province_mean(data, scores):
    values = scores.select(["revitalization"], labels="zh")
    long = assessment.group_means(values, data, region_code="990121")
    wide = long.pivot_table(index="年份", columns="地区", values="数值")
    plain = values["乡村振兴"].groupby(level="year").mean()
    np.testing.assert_allclose(wide["全省平均"], plain)
    poor = data.counties["poverty_county"]
    n_poor, n_other = int(poor.sum()), int((~poor).sum())
    pooled = (n_poor * wide["原贫困县"] + n_other * wide["其他县"]) / (n_poor + n_other)
    np.testing.assert_allclose(pooled, wide["全省平均"])
    own = values.xs("990121", level="region_code")["乡村振兴"]
    np.testing.assert_allclose(wide[data.region_name("990121")], own)
    english = assessment.group_means(values, data, language="en")
    assert list(english.columns) == ["Year", "Series", "Region", "Value"]
    assert set(english["Region"]) == {"Province average", "Former poverty counties",
                                      "Other counties"}


def test_group_comparison_is_the_difference_of_the_group_means(data, cc):
    table = assessment.group_comparison(cc[["D"]], data, year=2025)
    latest = cc.xs(2025, level="year")["D"]
    poor = data.counties["poverty_county"].reindex(latest.index).to_numpy()
    row = table.loc["D"]
    assert row["原贫困县"] == pytest.approx(latest[poor].mean())
    assert row["其他县"] == pytest.approx(latest[~poor].mean())
    assert row["差值(原贫困县−其他县)"] == pytest.approx(row["原贫困县"] - row["其他县"])
    assert (row["原贫困县数"], row["其他县数"]) == (poor.sum(), (~poor).sum())
    english = assessment.group_comparison(cc[["D"]], data, year=2025, language="en")
    assert english.columns[2] == "Difference (former poverty − other)"
    bare = dataclasses.replace(data, counties=data.counties.drop(columns="poverty_county"))
    with pytest.raises(InputError, match="poverty_county"):
        assessment.group_comparison(cc[["D"]], bare, year=2025)


def test_coupling_of_the_two_subsystems(scores, cc):
    u = scores.subsystems()
    assert list(cc.columns) == ["脱贫成果", "乡村振兴", "C", "T", "D", "grade", "type"]
    np.testing.assert_allclose(cc["T"], u.mean(axis=1))
    np.testing.assert_allclose(cc["D"], np.sqrt(cc["C"] * cc["T"]))
    # corrected C for two systems: sqrt((1 − |U1 − U2|) · min/max)  (王淑佳 et al. 2021)
    a, b = u["poverty"], u["revitalization"]
    expected = np.sqrt((1 - abs(a - b)) * np.minimum(a, b) / np.maximum(a, b))
    np.testing.assert_allclose(cc["C"], expected)
    classic = assessment.linkage_coupling(scores, method="classic")
    np.testing.assert_allclose(classic["C"], 2 * np.sqrt(a * b) / (a + b))


def test_report_layer_defaults_to_the_corrected_coupling_like_the_library():
    library = inspect.signature(coupling.coupling_coordination).parameters["method"].default
    assert library == "corrected"
    for function in (assessment.linkage_coupling, assessment.function_coupling,
                     assessment.weighting_sensitivity):
        assert inspect.signature(function).parameters["method"].default == library
    assert inspect.signature(assessment.build).parameters["coupling_method"].default == library
    import papermill

    from linkage.paths import notebooks_dir

    declared = papermill.inspect_notebook(str(notebooks_dir() / "02_linkage.ipynb"))
    assert declared["coupling_method"]["default"].strip("\"'") == library


def test_classic_coupling_is_never_below_the_corrected_one(scores):
    table = assessment.coupling_by_method(scores)
    assert list(table.columns) == ["C(经典)", "C(修正)", "D(经典)", "D(修正)"]
    assert (table["C(经典)"] >= table["C(修正)"]).all()
    assert (table["D(经典)"] >= table["D(修正)"]).all()
    assert list(table.index) == list(range(2015, 2026)) and table.index.name == "年份"
    english = assessment.coupling_by_method(scores, language="en")
    assert list(english.columns) == ["C (classic)", "C (corrected)", "D (classic)",
                                     "D (corrected)"]
    np.testing.assert_allclose(english.to_numpy(), table.to_numpy())


def test_function_coupling_has_consolidate_and_extend(scores):
    d = assessment.function_coupling(scores)
    assert list(d.columns) == ["巩固", "拓展"]
    direct = assessment.linkage_coupling(scores, pair=("poverty/*/extend", "revitalization"))
    np.testing.assert_allclose(d["拓展"], direct["D"])
    assert list(assessment.function_coupling(scores, language="en").columns) == [
        "Consolidate (all layers)", "Extend (all layers)"]


def test_counts_by_grade_and_type_cover_every_county(scores, cc):
    grades = assessment.grade_distribution(cc)
    assert (grades.sum(axis=1) == 120).all()
    assert grades.columns[0] == "极度失调" and len(grades.columns) == 10
    assert (assessment.type_counts(cc).sum(axis=1) == 120).all()
    english = assessment.linkage_coupling(scores, language="en")
    grades_en = assessment.grade_distribution(english, language="en")
    assert grades_en.index.name == "Year" and grades_en.columns[0] == "extreme imbalance"
    np.testing.assert_array_equal(grades_en.to_numpy(), grades.to_numpy())


def test_rankings_put_the_highest_d_first(data, cc):
    table = assessment.rank_regions(cc, data, year=2025, k=3)
    latest = cc.xs(2025, level="year")["D"]
    assert table["D"].iloc[0] == latest.max() and table["D"].iloc[-1] == latest.min()
    assert table["位次"].tolist() == [1, 2, 3, 118, 119, 120]
    assert table["位置"].tolist() == ["前 3 位"] * 3 + ["后 3 位"] * 3
    assert {"区划代码", "地区", "协调等级", "相对发展类型"} <= set(table.columns)
    english = assessment.rank_regions(cc, data, year=2025, k=3, language="en")
    assert english["Rank"].tolist() == [1, 2, 3, 118, 119, 120]
    assert english["Position"].iloc[0] == "top 3" and "Region code" in english.columns
    with pytest.raises(InputError, match="2030"):
        assessment.rank_regions(cc, data, year=2030)


def test_obstacles_are_shares(scores):
    obs = assessment.obstacles(scores, "revitalization")
    assert len(obs.columns) == 19  # the 20 indicators less one input (teacher qualifications)
    assert "teacher_degree_share" not in obs.columns
    np.testing.assert_allclose(obs.sum(axis=1), 1.0)
    dims = assessment.dimension_obstacles(scores, obs, year=2025)
    assert dims.sum() == pytest.approx(1.0) and dims.name == "平均障碍度"
    assert set(dims.index) == {"产业兴旺", "生态宜居", "乡风文明", "治理有效", "生活富裕"}
    assert dims.is_monotonic_decreasing
    english = assessment.dimension_obstacles(scores, obs, year=2025, language="en")
    assert english.name == "Mean obstacle degree" and "Prosperity" in english.index
    names = scores.weights.set_index("node")["name_zh"]
    freq = assessment.frequent_obstacles(obs, year=2025, k=3, names=names)
    assert freq["居前列的县数"].sum() == 3 * 120
    assert freq["居前列的县数"].is_monotonic_decreasing
    assert (freq["适用县数"] == 120).all()
    np.testing.assert_allclose(freq["占适用县比例"], freq["居前列的县数"] / 120)


def test_achievement_obstacles_hold_no_inputs(scores):
    # before [5a/8] 东西部协作 funds were a top-3 obstacle of 117 of 120 counties: inputs are
    # no achievement and no longer enter the achievement score or its obstacles
    obs = assessment.obstacles(scores, "poverty")
    inputs = set(load_framework().stage_ids("input"))
    assert not inputs & set(obs.columns)
    np.testing.assert_allclose(obs.sum(axis=1), 1.0)


def test_ineligible_indicators_are_kept_out_of_a_regions_obstacles(data):
    # scored with every stage, 东西部协作 funds apply only to former poverty counties
    everything = score_framework(data.panel, stages=("input", "output", "outcome"),
                                 counties=data.counties, missing="year_mean")
    obs = assessment.obstacles(everything, "poverty")
    poor = data.counties["poverty_county"].reindex(
        obs.index.get_level_values("region_code")).to_numpy()
    assert obs.loc[~poor, "east_west_funds_pc"].isna().all()
    assert obs.loc[poor, "east_west_funds_pc"].notna().all()
    np.testing.assert_allclose(obs.sum(axis=1), 1.0)
    freq = assessment.frequent_obstacles(obs, year=2025, k=3).set_index("指标代码")
    assert freq.at["east_west_funds_pc", "适用县数"] == poor.reshape(120, 11)[:, 0].sum() == 48
    assert freq.at["east_west_funds_pc", "居前列的县数"] <= 48
    assert freq.at["link_funds_pc", "适用县数"] == 120
    top = coupling.top_obstacles(obs.xs(2025, level="year"), k=3)
    others = ~data.counties["poverty_county"].reindex(top["region_code"]).to_numpy()
    assert not (top["indicator"][others] == "east_west_funds_pc").any()


def test_d_matrix_by_prefecture_or_county(data, cc):
    by_pref = assessment.d_matrix(cc, data)
    assert len(by_pref) == data.counties["prefecture_name"].nunique()
    assert by_pref.iloc[:, -1].is_monotonic_decreasing
    by_county = assessment.d_matrix(cc, data, level="county", language="en")
    assert len(by_county) == 120 and list(by_county.columns) == list(range(2015, 2026))
    assert by_county.columns.name == "Year"
    bare = dataclasses.replace(data, counties=pd.DataFrame(index=pd.Index([], dtype=str)))
    with pytest.raises(InputError, match="prefecture_name"):
        assessment.d_matrix(cc, bare, level="prefecture")
    assert len(assessment.d_matrix(cc, bare)) == 120  # auto: counties without prefectures
    with pytest.raises(InputError, match="level"):
        assessment.d_matrix(cc, data, level="village")
    with pytest.raises(TypeError):
        assessment.d_matrix(cc, data, by="county")  # `by` is a grouping column, not a level
    # a county without a prefecture name is named, not pooled into a "—" row
    names = data.counties["prefecture_name"].astype(object)
    names["990121"] = None
    blank = dataclasses.replace(data, counties=data.counties.assign(prefecture_name=names))
    with pytest.raises(InputError, match="990121"):
        assessment.d_matrix(cc, blank)


# --- weighting sensitivity ---------------------------------------------------------------------


def test_sensitivity_table_compares_ranks_and_d_across_weightings(data, sensitivity):
    s = sensitivity
    assert list(s.table.index) == ["entropy", "equal", "critic"]
    assert s.unavailable == {"expert": "no_expert_weights"}  # the default sets no expert weights
    assert s.reference == "entropy" and s.year == 2025
    # D under equal weights is linkage_coupling of the equal-weight scores
    equal = score_framework(data.panel, weighting="equal", missing="year_mean",
                            counties=data.counties)
    d_equal = assessment.linkage_coupling(equal)["D"].xs(2025, level="year")
    np.testing.assert_allclose(s.d["equal"], d_equal.reindex(s.d.index))
    t = s.table
    assert t.at["entropy", "spearman"] == pytest.approx(1.0)
    assert t.at["entropy", "max_shift"] == 0 and t.at["entropy", "max_shift_region"] == "—"
    for method in ("equal", "critic"):
        rho = s.d["entropy"].rank().corr(s.d[method].rank())  # Spearman = Pearson of ranks
        assert t.at[method, "spearman"] == pytest.approx(rho)
        shift = (s.ranks[method] - s.ranks["entropy"]).abs()
        assert t.at[method, "max_shift"] == shift.max()
        assert t.at[method, "max_shift_region"] == data.region_name(shift.idxmax())
        assert t.at[method, "mean_abs_shift"] == pytest.approx(shift.mean())
    poor = data.counties["poverty_county"].reindex(s.d.index).to_numpy()
    np.testing.assert_allclose(t["D_poverty"], s.d[poor].mean())
    np.testing.assert_allclose(t["D_gap"], t["D_poverty"] - t["D_other"])
    np.testing.assert_allclose(t["mean_D"], s.d.mean())
    assert (s.ranks.min() == 1).all() and (s.ranks.max() <= 120).all()
    shown = s.to_frame()
    assert list(shown.index) == ["熵值法", "等权", "CRITIC 法"] and shown.index.name == "赋权方法"
    assert "D差值(原贫困县−其他县)" in shown.columns
    assert s.to_frame("en").index.tolist() == ["entropy", "equal weights", "CRITIC"]


def test_sensitivity_summary_says_what_the_table_says(sensitivity):
    s, t = sensitivity, sensitivity.table
    text = s.summary()
    assert f"等权 {t.at['equal', 'spearman']:.2f}" in text
    assert f"CRITIC 法 {t.at['critic', 'spearman']:.2f}" in text
    worst = t.drop(index="entropy")["max_shift"].idxmax()
    assert f"{t.at[worst, 'max_shift_region']}" in text
    assert f"变动 {int(t.at[worst, 'max_shift'])} 位" in text
    same = (t["D_gap"] > 0).all() or (t["D_gap"] < 0).all()
    assert ("方向一致" if same else "方向不一致") in text
    for method, gap in t["D_gap"].items():
        assert f"{gap:+.3f}" in text, method
    assert "专家权重（指标体系未给出专家权重）" in text
    english = s.summary("en")
    assert f"equal weights {t.at['equal', 'spearman']:.2f}" in english
    assert ("sign agrees" if same else "sign differs") in english
    assert not CJK.search(english.replace(str(t.at[worst, "max_shift_region"]), ""))


def _with_expert_weights(fw: Framework) -> Framework:
    """The framework with equal expert weights among the siblings at every level."""
    parents = pd.Series([n.parent for n in fw.nodes])
    nodes = tuple(dataclasses.replace(n, weight=1 / (parents == n.parent).sum())
                  for n in fw.nodes)
    dims = pd.Series([i.dimension for i in fw.indicators])
    indicators = tuple(dataclasses.replace(i, weight=1 / (dims == i.dimension).sum())
                       for i in fw.indicators)
    return dataclasses.replace(fw, nodes=nodes, indicators=indicators)


def test_sensitivity_includes_expert_weights_when_the_framework_has_them(data):
    fw = _with_expert_weights(load_framework())
    s = assessment.weighting_sensitivity(data, fw, methods=("equal", "expert"),
                                         reference="expert", missing="year_mean")
    assert list(s.table.index) == ["expert", "equal"] and s.unavailable == {}
    assert s.reference == "expert" and s.table.at["expert", "spearman"] == pytest.approx(1.0)
    expert = score_framework(data.panel, fw, weighting="expert", missing="year_mean")
    d = assessment.linkage_coupling(expert)["D"].xs(2025, level="year")
    np.testing.assert_allclose(s.d["expert"], d.reindex(s.d.index))
    with pytest.raises(InputError, match="methods"):
        assessment.weighting_sensitivity(data, methods=("entropy", "pca"))
    with pytest.raises(InputError, match="weighting"):
        assessment.weighting_sensitivity(data, weighting="equal")
    with pytest.raises(InputError, match="reference"):  # no expert weights in the default
        assessment.weighting_sensitivity(data, reference="expert", missing="year_mean")


# --- findings: each sentence against the table it describes ------------------------------------


def _sentence(lines: list[str], start: str) -> str:
    found = [line for line in lines if line.startswith(start)]
    assert len(found) == 1, (start, lines)
    return found[0]


def test_narrative_sentences_match_their_tables(data, scores, cc, effort, sensitivity):
    lines = assessment.linkage_narrative(scores, cc, data, region_code="990121",
                                         effort=effort, sensitivity=sensitivity)
    assert all(isinstance(line, str) and line for line in lines)
    # what was scored
    cover = _sentence(lines, "评价覆盖")
    assert "120 个县、2015—2025 年，48 项产出、成效类指标参与成果评价" in cover
    assert "另有 8 项投入等其他性质的指标不计入成果得分" in cover
    # the trends: province means of group_means
    long = assessment.group_means(scores.select(["poverty", "revitalization"], labels="zh"),
                                  data)
    province = long[long["地区"] == "全省平均"].pivot_table(index="年份", columns="序列",
                                                           values="数值")
    trend = _sentence(lines, "全省平均脱贫成果得分")
    for year in (2015, 2025):
        for series in ("脱贫成果", "乡村振兴"):
            assert f"{province.at[year, series]:.3f}" in trend
    d = cc["D"].groupby(level="year").mean()
    d_line = _sentence(lines, "耦合协调度 D 的全省均值")
    assert f"由 {d[2015]:.3f}" in d_line and f" {d[2025]:.3f}（" in d_line
    assert ("升至" if d[2025] > d[2015] else "降至") in d_line
    # former poverty counties against the others: group_comparison of D and both scores
    groups = assessment.group_comparison(cc[["脱贫成果", "乡村振兴", "D"]], data, year=2025)
    row = groups.loc["D"]
    gap = _sentence(lines, "2025 年原贫困县")
    relation = "低于" if row["差值(原贫困县−其他县)"] < 0 else "高于"
    assert (f"原贫困县（48 个）D 均值 {row['原贫困县']:.3f}，{relation}其他县（72 个，"
            f"{row['其他县']:.3f}），相差 {abs(row['差值(原贫困县−其他县)']):.3f}") in gap
    for series in ("脱贫成果", "乡村振兴"):
        assert (f"{series}得分 {groups.at[series, '原贫困县']:.3f} 对 "
                f"{groups.at[series, '其他县']:.3f}") in gap
    assert "不是政策效果" in gap
    # the policy-effort index, compared the same way
    e = assessment.group_comparison(effort.subsystems(), data, year=2025).loc["policy_effort"]
    effort_line = _sentence(lines, "同年原贫困县的政策投入指数")
    relation = "低于" if e["差值(原贫困县−其他县)"] < 0 else "高于"
    assert f"为 {e['原贫困县']:.3f}，{relation}其他县（{e['其他县']:.3f}）" in effort_line
    # weighting sensitivity: its summary, line by line
    for line in sensitivity.summary().splitlines():
        assert line in lines
    # lagging counties: the bottom of the ranking
    ranking = assessment.rank_regions(cc, data, year=2025, k=3)
    lag = _sentence(lines, "2025 年协调度最低的县")
    for _, r in ranking.tail(3).iterrows():
        assert f"{r['地区']}（{r['D']:.3f}）" in lag
    # the main obstacle dimension and the featured county's obstacles
    obs = assessment.obstacles(scores, "revitalization")
    dims = assessment.dimension_obstacles(scores, obs, year=2025)
    assert f"“{dims.index[0]}”（平均障碍度 {dims.iloc[0]:.0%}）" in _sentence(
        lines, "2025 年乡村振兴的主要障碍维度")
    names = scores.weights.set_index("node")["name_zh"]
    own = obs.loc[("990121", 2025)].nlargest(3)
    own_line = _sentence(lines, f"{data.region_name('990121')}的前三位障碍因子")
    assert all(f"{names[i]}（{v:.0%}）" in own_line for i, v in own.items())
    # the featured county's rank
    full = assessment.rank_regions(cc, data, year=2025, k=60).set_index("区划代码")
    assert not data.counties.at["990121", "poverty_county"]
    assert f"排第 {full.at['990121', '位次']} 位" in _sentence(
        lines, f"{data.region_name('990121')}（非原贫困县）2025 年 D =")
    # a featured former poverty / key-assistance county says so
    key = data.counties.index[data.counties["key_assistance"]][0]
    featured = assessment.linkage_narrative(scores, cc, data, region_code=key)
    status = "（原国家贫困县、国家乡村振兴重点帮扶县）"
    assert _sentence(featured, f"{data.region_name(key)}{status}2025 年 D =")
    english = assessment.linkage_narrative(scores, cc, data, region_code=key, language="en")
    assert _sentence(english, f"{data.region_name(key)} (former national poverty county, "
                              "national key assistance county): D =")
    text = "".join(lines)
    assert "王淑佳" in text and "熵值法" in text and "模拟数据" in lines[-1]
    real = dataclasses.replace(data, simulated=False)
    assert "模拟数据" not in "".join(
        assessment.linkage_narrative(scores, cc, real, region_code="990121"))


def test_group_sentence_follows_the_sign_of_the_gap(data, scores, cc):
    # swap the two groups: the sentence must say the opposite, with the swapped means
    flipped = dataclasses.replace(data, counties=data.counties.assign(
        poverty_county=~data.counties["poverty_county"]))
    groups = assessment.group_comparison(cc[["D"]], flipped, year=2025).loc["D"]
    line = _sentence(assessment.linkage_narrative(scores, cc, flipped, region_code="990121"),
                     "2025 年原贫困县")
    relation = "低于" if groups["差值(原贫困县−其他县)"] < 0 else "高于"
    assert f"D 均值 {groups['原贫困县']:.3f}，{relation}其他县" in line
    original = assessment.group_comparison(cc[["D"]], data, year=2025).loc["D"]
    assert np.sign(groups["差值(原贫困县−其他县)"]) == -np.sign(original["差值(原贫困县−其他县)"])


def test_narrative_in_english_follows_the_same_tables(data, scores, cc, effort, sensitivity):
    english_cc = assessment.linkage_coupling(scores, language="en")
    lines = assessment.linkage_narrative(scores, english_cc, data, region_code="990121",
                                         effort=effort, sensitivity=sensitivity, language="en")
    zh = assessment.linkage_narrative(scores, cc, data, region_code="990121", effort=effort,
                                      sensitivity=sensitivity)
    assert len(lines) == len(zh)
    numbers = re.compile(r"\d+\.\d{3}")
    assert sorted(numbers.findall("".join(lines))) == sorted(numbers.findall("".join(zh)))
    names = [data.region_name(c) for c in data.counties.index]
    text = "\n".join(lines)
    for name in names:
        text = text.replace(name, "")
    assert not CJK.search(text), text
    assert "former poverty counties (48)" in "".join(lines)
    assert "Simulated" not in lines[-1] and "simulated data" in lines[-1]


def test_prefecture_level_narrative_speaks_of_prefectures(data):
    pref = data.at_level("prefecture")
    scores = score_framework(pref.panel, missing="year_mean")
    cc = assessment.linkage_coupling(scores)
    code = pref.panel["region_code"].iloc[0]
    lines = assessment.linkage_narrative(scores, cc, pref, region_code=code,
                                         region_level="prefecture")
    assert lines[0].startswith("评价覆盖 12 个市")
    assert not any(line.startswith(f"{max(pref.years)} 年原贫困县") for line in lines)
    with pytest.raises(InputError, match="region_level"):
        assessment.linkage_narrative(scores, cc, pref, region_code=code, region_level="town")


def test_effort_index_availability_is_explained_not_skipped(data):
    fw = load_framework()
    assert assessment.effort_unavailable(data, fw) is None
    assert assessment.has_poverty_groups(data)
    pref = data.at_level("prefecture")  # the table describes prefectures: no poverty_county
    assert assessment.effort_unavailable(pref, fw) == (
        "县属性表中没有 poverty_county（投入类指标的适用范围），未计算政策投入指数。")
    assert "lacks poverty_county" in assessment.effort_unavailable(pref, fw, language="en")
    assert not assessment.has_poverty_groups(pref)
    inputs = list(fw.stage_ids("input"))
    no_inputs = dataclasses.replace(data, panel=data.panel.drop(columns=inputs))
    assert assessment.effort_unavailable(no_inputs, fw) == (
        "数据中没有投入类指标，未计算政策投入指数。")
    everyone = dataclasses.replace(data, counties=data.counties.assign(poverty_county=True))
    assert not assessment.has_poverty_groups(everyone)


def test_weight_and_region_obstacle_tables_follow_language(scores):
    table = assessment.weight_table(scores)
    assert list(table.columns) == ["层级", "名称", "局部权重", "全局权重"]
    assert table.at["income_stability", "名称"] == "稳定增收"
    english = assessment.weight_table(scores, language="en")
    assert english.at["income_stability", "Level"] == "Dimension"
    g = scores.weights.set_index("node")["global_weight"]
    np.testing.assert_allclose(table["全局权重"], g[table.index])
    obs = assessment.obstacles(scores, "poverty")
    names = scores.weights.set_index("node")["name_zh"]
    own = assessment.region_obstacles(obs, "990121", year=2025, k=3, names=names)
    top = obs.loc[("990121", 2025)].nlargest(3)
    assert own["指标代码"].tolist() == list(top.index)
    np.testing.assert_allclose(own["障碍度"], top.to_numpy())
    assert list(assessment.region_obstacles(obs, "990121", year=2025, language="en").columns) \
        == ["Rank", "Indicator id", "Obstacle degree"]


def test_unknown_poverty_status_is_named_never_counted_as_other(data, scores, cc):
    """One rule with extension and overview (PanelData.attribute): a county whose
    poverty_county is blank raises naming it — in the D-gap table, the group means, the
    narrative and the sensitivity table — instead of joining the "other counties"."""
    code = "990121"
    status = data.counties["poverty_county"].astype(object)
    status[code] = None
    unknown = dataclasses.replace(data, counties=data.counties.assign(poverty_county=status))
    calls = [
        lambda: assessment.group_comparison(cc[["D"]], unknown, year=2025),
        lambda: assessment.group_means(cc[["D"]], unknown),
        lambda: assessment.has_poverty_groups(unknown),
        lambda: assessment.linkage_narrative(scores, cc, unknown, region_code=code),
    ]
    for call in calls:
        with pytest.raises(InputError, match=f"1 个县.*{code}") as err:
            call()
        assert err.value.column == "poverty_county"
    # before, the county was silently an "other county": 72 + 1 others
    table = assessment.group_comparison(cc[["D"]], data, year=2025)
    assert int(table.at["D", "其他县数"]) == 72


def test_narrative_escapes_region_names_for_markdown(data, scores, cc):
    """Names are data: a county called ``*甲县*<img …>`` renders as text, not markup."""
    evil = "*甲县*<img src=x onerror=alert(1)>"
    code = cc.xs(2025, level="year")["D"].idxmin()  # among the lagging, and featured below
    names = data.counties["region_name"].astype(object)
    names[code] = evil
    renamed = dataclasses.replace(data, counties=data.counties.assign(region_name=names))
    text = "\n".join(assessment.linkage_narrative(scores, cc, renamed, region_code=code))
    assert evil not in text and not re.search(r"(?<!\\)[<*]", text)  # every < and * escaped
    assert "\\*甲县\\*\\<img src=x onerror=alert\\(1\\)\\>" in text


# --- the report section (build) -----------------------------------------------------------------

from section_text import assembled, reader_problems  # noqa: E402

from linkage.reporting.document import Figure, Section, Table  # noqa: E402

COUNTY, PREFECTURE = "990327", "990300"  # a key assistance county; its prefecture (sample)
FW = load_framework()


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("batch-cache"))


@pytest.fixture(scope="module")
def built(cache):
    """Sections for the province, a county and a prefecture, Chinese and English, sharing one
    batch cache."""
    return {(code, lang): assessment.build(region_code=code, language=lang, cache_dir=cache)
            for code in ("", COUNTY, PREFECTURE) for lang in ("zh", "en")}


def _places(data) -> tuple[str, ...]:
    return (*data.counties["region_name"], *data.counties["prefecture_name"].unique())


def _table(section: Section, key: str) -> pd.DataFrame:
    return next(b.frame for b in section.blocks if isinstance(b, Table) and b.key == key)


def _finding(section: Section, rank: float) -> str:
    return next(f.text for f in section.findings if f.rank == rank)


def test_section_has_its_key_title_and_numberable_blocks(built):
    for (code, lang), section in built.items():
        assert section.key == assessment.KEY == "linkage"
        assert section.title == assessment.title(lang)
        doc = assembled(section)  # every reference resolves to a number
        assert doc.appendix and any(hasattr(b, "label") for b in doc.chapters[0].blocks)
        assert all("{" not in line for line in doc.summary)
        ranks = [f.rank for f in section.findings]
        assert min(ranks) == 1 and len(ranks) >= 5, (code, lang)


def test_visible_text_reads_as_a_report_in_one_language(built, data):
    for (code, lang), section in built.items():
        assert reader_problems(section, FW, place_names=_places(data)) == [], (code, lang)


def test_county_main_body_is_short_and_the_technical_tables_are_in_the_appendix(built):
    section = built[(COUNTY, "zh")]
    main = [b for b in section.blocks if isinstance(b, (Table, Figure)) and not b.appendix]
    appendix = {b.key for b in section.blocks if isinstance(b, (Table, Figure)) and b.appendix}
    assert [b.key for b in main] == ["scores", "d_trend", "yearly", "obstacles", "robustness"]
    assert {"weights", "full_ranking", "grades", "types", "by_method", "sensitivity",
            "frequent_obstacles", "heatmap"} <= appendix
    assert sum(len(b.frame) for b in main if isinstance(b, Table)) <= 30


def test_county_findings_agree_with_its_tables(built, data):
    """The county's D, grade, rank and change are what the tables and the coupling say."""
    section = built[(COUNTY, "zh")]
    scores = _table(section, "scores").set_index("指标")
    d_row = scores.loc["耦合协调度 D"]
    yearly = _table(section, "yearly").set_index("年份")
    first = _finding(section, 1)
    assert f"D = {d_row['磐浦县（2025 年）']}" in first
    assert f"排第 {d_row['排名（位/共 120 县）']} 位" in first
    assert yearly.at["2025", "协调等级"] in first
    change = _finding(section, 2)
    assert f"{yearly.at['2015', '耦合协调度 D']}（{yearly.at['2015', '协调等级']}）" in change
    assert f"第 {yearly.at['2015', '排名（位/共 120 县）']} 位变为第 " \
           f"{yearly.at['2025', '排名（位/共 120 县）']} 位" in change
    peers = _finding(section, 3)
    peer_column = next(c for c in scores.columns if c.startswith("同类县中排名"))
    assert f"排第 {d_row[peer_column]} 位" in peers
    n_peers = int(re.search(r"共 (\d+) 县", peer_column).group(1))
    key = data.counties["key_assistance"].astype(bool)
    assert n_peers == int(key.sum())  # peers of a key assistance county: all key counties
    robust = _table(section, "robustness").set_index("赋权方法")
    assert f"熵值法下第 {robust.at['熵值法', '排名（位/共 120 县）']} 位" in _finding(section, 8)


def test_county_rank_is_its_place_by_d_among_all_counties(built):
    from linkage.panel import load_panel

    data = load_panel()
    scores = score_framework(data.panel, counties=data.counties, missing="interpolate")
    cc = assessment.linkage_coupling(scores).xs(2025, level="year")["D"]
    table = _table(built[(COUNTY, "zh")], "scores").set_index("指标")
    assert table.at["耦合协调度 D", "排名（位/共 120 县）"] == str(int((cc > cc[COUNTY]).sum()) + 1)
    assert table.at["耦合协调度 D", "磐浦县（2025 年）"] == f"{cc[COUNTY]:.3f}"
    metrics = {m.key: m.value for m in built[(COUNTY, "zh")].metrics}
    assert metrics["linkage_d"] == pytest.approx(cc[COUNTY])
    assert metrics["linkage_rank"] == int((cc > cc[COUNTY]).sum()) + 1
    assert metrics["linkage_n_regions"] == 120


def test_metrics_for_the_batch_table(built):
    keys = {"linkage_u1", "linkage_u2", "linkage_d", "linkage_grade", "linkage_rank",
            "linkage_n_regions", "policy_effort", "policy_effort_rank", "linkage_d_change",
            "linkage_type"}
    for (code, lang), section in built.items():
        metrics = {m.key: m.value for m in section.metrics}
        assert keys == set(metrics), (code, lang)
        assert 0 < metrics["linkage_d"] < 1 and 0 < metrics["policy_effort"] < 1
    county = {m.key: m.value for m in built[(COUNTY, "zh")].metrics}
    assert county["linkage_grade"] == _table(built[(COUNTY, "zh")], "yearly").iloc[-1]["协调等级"]
    assert isinstance(county["policy_effort_rank"], int)
    assert {m.key: m.value for m in built[("", "zh")].metrics}["linkage_rank"] is None


def test_province_findings_come_from_the_narrative_in_order(built):
    section = built[("", "zh")]
    assert _finding(section, 1).startswith("耦合协调度 D 的全省均值")
    groups = _table(section, "groups").set_index("序列")
    d = groups.loc["耦合协调度 D"]
    assert f"D 均值 {d['原贫困县']}" in _finding(section, 3)


def test_prefecture_report_lists_its_counties(built, data):
    section = built[(PREFECTURE, "zh")]
    members = data.counties.loc[data.counties["prefecture_code"] == PREFECTURE, "region_name"]
    table = _table(section, "members")
    assert set(table["地区"]) == set(members)
    best = table.iloc[0]
    rank = best["排名（位/共 120 县）"]
    expected = f"最高的是{best['地区']}（{best['耦合协调度 D']}，全省第 {rank} 位）"
    assert expected in _finding(section, 1)


def test_prefecture_level_report_speaks_of_prefectures(cache):
    section = assessment.build(region_level="prefecture", region_code=PREFECTURE,
                               cache_dir=cache)
    table = _table(section, "scores")
    assert "排名（位/共 12 市）" in table.columns
    assert "县属性未提供" not in "".join(f.text for f in section.findings)
    assert any("政策投入指数" in t for t in [b.text for b in section.blocks
                                              if hasattr(b, "text")])


def test_batch_cache_computes_the_province_once(tmp_path, monkeypatch):
    calls = []
    original = assessment.score_framework

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(assessment, "score_framework", counting)
    appendices = []
    build_appendix = assessment._appendix_section
    monkeypatch.setattr(assessment, "_appendix_section",
                        lambda *a, **k: appendices.append(1) or build_appendix(*a, **k))
    one = assessment.build(region_code=COUNTY, cache_dir=str(tmp_path))
    first = len(calls)
    assert first >= 1
    other = assessment.build(region_code="990121", cache_dir=str(tmp_path))
    assessment.build(region_code=PREFECTURE, cache_dir=str(tmp_path))
    assert len(calls) == first
    assert len(appendices) == 1  # the appendix is the same for every county and prefecture
    assert _table(one, "full_ranking").equals(_table(other, "full_ranking"))
    assessment.build(region_code=COUNTY, cache_dir=str(tmp_path), weighting="critic")
    assert len(calls) > first  # another weighting is another key


def test_unknown_region_or_option_is_an_input_error():
    with pytest.raises(InputError, match="000000"):
        assessment.build(region_code="000000")
    with pytest.raises(InputError, match="reps"):
        assessment.build(reps=9)


def test_saved_section_loads_back_equal(built, tmp_path):
    section = built[(COUNTY, "en")]
    loaded = Section.load(section.save(tmp_path / "linkage.json"))
    assert loaded.findings == section.findings and loaded.metrics == section.metrics
    assert loaded.language == "en" and loaded.simulated
