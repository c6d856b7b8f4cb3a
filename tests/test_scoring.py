"""Framework scoring: scores at every level of an indicator framework (specification)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from linkage import composite
from linkage.errors import InputError
from linkage.frameworks import load_framework
from linkage.sample import load_sample
from linkage.scoring import FrameworkScores, score_framework

# --- fixtures ----------------------------------------------------------------------------------
TWO_INDICATORS = """\
id: two
version: "1"
name: {zh: 两指标体系, en: Two indicators}
subsystems:
  - id: revitalization
    name: {zh: 乡村振兴, en: Rural revitalization}
    children:
      - id: prosperity
        name: {zh: 生活富裕, en: Prosperity}
        indicators:
          - {id: income, name: {zh: 收入, en: Income}, unit: 元, direction: +1, stage: outcome,
             definition: d, source: s%s}
          - {id: engel, name: {zh: 恩格尔系数, en: Engel}, unit: "%%", direction: -1,
             stage: outcome, definition: d, source: s%s}
"""

TREE = """\
id: tree
version: "1"
name: {zh: 小体系, en: Small}
subsystems:
  - id: poverty
    name: {zh: 脱贫成果, en: Poverty}
    weight: 0.5
    children:
      - id: outcome
        name: {zh: 减贫成果, en: Outcome}
        weight: 1.0
        children:
          - id: consolidate
            name: {zh: 巩固, en: Consolidate}
            weight: 0.6
            children:
              - id: income_dim
                name: {zh: 收入, en: Income}
                weight: 1.0
                indicators:
                  - {id: a, name: {zh: 甲, en: A}, unit: "%", direction: 1,
                     stage: outcome, definition: d,
                     source: s, weight: 0.25}
                  - {id: b, name: {zh: 乙, en: B}, unit: "%", direction: -1,
                     stage: outcome, definition: d,
                     source: s, weight: 0.75}
          - id: extend
            name: {zh: 拓展, en: Extend}
            weight: 0.4
            children:
              - id: industry_dim
                name: {zh: 产业, en: Industry}
                weight: 1.0
                indicators:
                  - {id: c, name: {zh: 丙, en: C}, unit: "%", direction: 1,
                     stage: output, definition: d,
                     source: s, weight: 1.0}
  - id: revitalization
    name: {zh: 乡村振兴, en: Revitalization}
    weight: 0.5
    children:
      - id: ecology
        name: {zh: 生态宜居, en: Ecology}
        weight: 0.5
        indicators:
          - {id: d, name: {zh: 丁, en: D}, unit: "%", direction: 1,
             stage: outcome, definition: d, source: s,
             weight: 1.0}
      - id: prosperity
        name: {zh: 生活富裕, en: Prosperity}
        weight: 0.5
        indicators:
          - {id: e, name: {zh: 戊, en: E}, unit: "%", direction: 1,
             stage: outcome, definition: d, source: s,
             weight: 0.5}
          - {id: f, name: {zh: 己, en: F}, unit: "%", direction: -1,
             stage: outcome, definition: d, source: s,
             weight: 0.5}
"""


@pytest.fixture(scope="module")
def sample_panel() -> pd.DataFrame:
    return load_sample().panel


@pytest.fixture(scope="module")
def sample_scores(sample_panel) -> FrameworkScores:
    return score_framework(sample_panel, missing="interpolate")


@pytest.fixture
def two(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(TWO_INDICATORS % ("", ""), encoding="utf-8")
    return load_framework(path)


@pytest.fixture(scope="module")
def tree_module(tmp_path_factory):
    path = tmp_path_factory.mktemp("fw") / "tree.yaml"
    path.write_text(TREE, encoding="utf-8")
    return load_framework(path)


@pytest.fixture
def tree(tmp_path):
    path = tmp_path / "tree.yaml"
    path.write_text(TREE, encoding="utf-8")
    return load_framework(path)


def _panel(values: dict[str, list[float]], *, years=None) -> pd.DataFrame:
    n = len(next(iter(values.values())))
    years = years or [2020] * n
    codes = [f"99{i:04d}" for i in range(n)] if len(set(years)) == 1 else None
    if codes is None:
        per_year = n // len(set(years))
        codes = [f"99{i:04d}" for i in range(per_year)] * len(set(years))
    return pd.DataFrame({"region_code": codes, "year": years, **values})


def _tree_panel(rng: np.random.Generator, counties: int = 6, years=(2020, 2021, 2022)):
    rows = counties * len(years)
    return pd.DataFrame({
        "region_code": [f"99{i:04d}" for i in range(counties)] * len(years),
        "year": np.repeat(years, counties),
        **{k: rng.uniform(1, 100, rows) for k in "abcdef"},
    })


# --- hand-derivable two-indicator case ---------------------------------------------------------
def test_two_indicator_dimension_is_the_weighted_mean_of_its_indicators(two):
    # income 0, 1, 2 (positive) → x' = 0, 0.5, 1
    # engel 10, 20, 40 (negative) → x' = (40−x)/30 = 1, 2/3, 0
    # equal weights (0.5, 0.5) → dimension = (0+1)/2, (0.5+2/3)/2, (1+0)/2 = 0.5, 0.58333, 0.5
    panel = _panel({"income": [0.0, 1.0, 2.0], "engel": [10.0, 20.0, 40.0]})
    fs = score_framework(panel, two, weighting="equal")
    dim = fs.wide("dimension")["prosperity"].to_numpy()
    np.testing.assert_allclose(dim, [0.5, 7 / 12, 0.5], atol=1e-12)
    np.testing.assert_allclose(fs.subsystems()["revitalization"].to_numpy(), dim)
    np.testing.assert_allclose(fs.standardized["engel"].to_numpy(), [1.0, 2 / 3, 0.0])


def test_two_indicator_entropy_score_uses_the_reported_weights(two):
    panel = _panel({"income": [0.0, 1.0, 2.0, 7.0], "engel": [10.0, 20.0, 40.0, 35.0]})
    fs = score_framework(panel, two)
    w = fs.indicator_weights()
    # the weights are the composite module's entropy weights over the subsystem's indicators
    expected = composite.entropy_weights(panel[["income", "engel"]], {"income": 1, "engel": -1})
    pd.testing.assert_series_equal(w, expected, check_names=False, check_index_type=False)
    x = fs.standardized
    np.testing.assert_allclose(fs.wide("dimension")["prosperity"].to_numpy(),
                               (x["income"] * w["income"] + x["engel"] * w["engel"]).to_numpy())


# --- the default framework on the sample -------------------------------------------------------
def test_sample_scores_are_in_unit_interval_at_every_level(sample_scores):
    s = sample_scores.scores
    assert s["score"].between(0, 1).all()
    assert set(s["level"].unique()) == {"indicator", "dimension", "function", "function_total",
                                        "layer", "subsystem"}
    assert list(s.columns) == ["region_code", "year", "level", "node", "node_id", "name_zh",
                               "name_en", "score"]
    n_nodes = len(sample_scores.weights)
    assert len(s) == 1320 * n_nodes  # every node for every region-year
    assert not s.duplicated(["region_code", "year", "node"]).any()


def test_global_weights_sum_to_one_per_subsystem_and_local_weights_per_parent(sample_scores):
    w = sample_scores.weights
    ind = w[w["level"] == "indicator"]
    np.testing.assert_allclose(ind.groupby("subsystem")["global_weight"].sum(), 1.0)
    tree = w[~w["level"].isin(["subsystem", "function_total"])]
    np.testing.assert_allclose(tree.groupby("parent")["local_weight"].sum(), 1.0)
    # a node's global weight is the sum of its indicators' global weights
    dims = w[w["level"] == "dimension"].set_index("node")["global_weight"]
    np.testing.assert_allclose(ind.groupby("parent")["global_weight"].sum()[dims.index], dims)
    totals = w[w["level"] == "function_total"].set_index("node_id")["global_weight"]
    assert totals.sum() == pytest.approx(1.0)  # 巩固 + 拓展 cover the whole 脱贫成果 subsystem


@pytest.mark.parametrize("hierarchy", ["global", "hierarchical"])
def test_every_node_is_the_weighted_mean_of_its_children(sample_panel, hierarchy):
    fs = score_framework(sample_panel, missing="year_mean", hierarchy=hierarchy)
    w = fs.weights
    wide = fs.scores.pivot(index=["region_code", "year"], columns="node", values="score")
    for parent, kids in w[w["parent"] != ""].groupby("parent"):
        kids = kids[kids["level"] != "function_total"]
        if kids.empty:
            continue
        local = kids.set_index("node")["local_weight"]
        assert local.sum() == pytest.approx(1.0)
        np.testing.assert_allclose(wide[local.index].to_numpy() @ local.to_numpy(),
                                   wide[parent].to_numpy(), atol=1e-12)


def test_function_totals_pool_both_layers(sample_scores):
    fs = sample_scores
    g = fs.weights.set_index("node")["global_weight"]
    wide = fs.wide("function")
    for func in ("consolidate", "extend"):
        parts = [f"poverty/outcome/{func}", f"poverty/institution/{func}"]
        expected = wide[parts].to_numpy() @ g[parts].to_numpy() / g[parts].sum()
        np.testing.assert_allclose(fs.wide("function_total")[f"poverty/*/{func}"], expected)


def test_accessors(sample_scores):
    fs = sample_scores
    assert list(fs.subsystems().columns) == ["poverty", "revitalization"]
    assert fs.subsystems().index.names == ["region_code", "year"]
    assert list(fs.wide("dimension", labels="zh").columns[-5:]) == [
        "产业兴旺", "生态宜居", "乡风文明", "治理有效", "生活富裕"]
    assert list(fs.select(["poverty/*/consolidate", "revitalization"], labels="zh").columns) == [
        "巩固", "乡村振兴"]
    assert fs.to_frame() is fs.scores
    text = fs.summary()
    assert "熵值法" in text and "48 项（产出、成效类）" in text and "插补" in text
    assert "另有 8 项" in text and "政策投入指数" in text
    english = fs.summary(language="en")
    assert "48 indicators scored (output, outcome)" in english and "entropy" in english
    assert "Largest weights in Rural revitalization" in english
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)  # no Chinese left
    with pytest.raises(InputError, match="no_such"):
        fs.select(["no_such"])
    with pytest.raises(InputError, match="level"):
        fs.wide("county")


def test_invariant_to_row_order(sample_panel, sample_scores):
    shuffled = sample_panel.sample(frac=1.0, random_state=7)
    again = score_framework(shuffled, missing="interpolate")
    for column in ("region_code", "year", "node", "score"):
        np.testing.assert_array_equal(again.scores[column].to_numpy(),
                                      sample_scores.scores[column].to_numpy())
    pd.testing.assert_frame_equal(again.weights, sample_scores.weights)


def test_year_scope_standardises_within_each_year(sample_panel):
    pooled = score_framework(sample_panel, missing="year_mean")
    by_year = score_framework(sample_panel, missing="year_mean", scope="year")
    x = by_year.standardized.groupby(level="year")
    assert np.allclose(x.min(), 0.0) and np.allclose(x.max(), 1.0)
    # pooled: each year's maximum is below 1 in the early years of a rising indicator
    xp = pooled.standardized["tap_water_rate"].groupby(level="year").max()
    assert xp.iloc[0] < 1.0 and xp.max() == pytest.approx(1.0)
    # pooled scores rise over time on the sample (incomes, coverage grow); per-year scores can't
    trend_pooled = pooled.subsystems().groupby(level="year").mean()
    trend_year = by_year.subsystems().groupby(level="year").mean()
    assert (trend_pooled.iloc[-1] - trend_pooled.iloc[0] > 0.2).all()
    assert (abs(trend_year.iloc[-1] - trend_year.iloc[0]) < 0.1).all()


def test_year_scope_ignores_a_shift_of_one_whole_year(tree):
    rng = np.random.default_rng(3)
    panel = _tree_panel(rng)
    shifted = panel.copy()
    shifted.loc[shifted["year"] == 2022, "a"] += 50.0
    same = score_framework(panel, tree, scope="year", weighting="equal")
    moved = score_framework(shifted, tree, scope="year", weighting="equal")
    pd.testing.assert_frame_equal(same.standardized, moved.standardized)
    pooled = score_framework(shifted, tree, weighting="equal").standardized["a"]
    assert pooled.xs(2022, level="year").min() > 0.4  # pooled: the shifted year moves up


# --- missing values ----------------------------------------------------------------------------
def test_missing_values_raise_by_default_naming_the_indicator(sample_panel):
    with pytest.raises(InputError, match=r"missing=") as exc:
        score_framework(sample_panel)
    assert exc.value.column in sample_panel.columns


def test_year_mean_rule_fills_with_the_mean_of_the_same_year(two):
    panel = _panel({"income": [1.0, np.nan, 5.0, 2.0, 4.0, 9.0],
                    "engel": [30.0, 35.0, 40.0, 31.0, 36.0, 41.0]},
                   years=[2020, 2020, 2020, 2021, 2021, 2021])
    fs = score_framework(panel, two, missing="year_mean", weighting="equal")
    # filled value (1 + 5)/2 = 3; pooled min 1, max 9 → x' = (3 − 1)/8 = 0.25
    assert fs.standardized.loc[("990001", 2020), "income"] == pytest.approx(0.25)
    assert fs.imputed.to_dict() == {"income": 1, "engel": 0}


def test_interpolate_rule_is_linear_in_the_year_within_the_county(two):
    panel = pd.DataFrame({"region_code": ["990001"] * 3 + ["990002"] * 3,
                          "year": [2020, 2021, 2023] * 2,
                          "income": [1.0, np.nan, 7.0, 2.0, 2.0, np.nan],
                          "engel": [30.0, 31.0, 32.0, 33.0, 34.0, 35.0]})
    fs = score_framework(panel, two, missing="interpolate", weighting="equal")
    # county 1: 2021 lies 1/3 of the way from 2020 (1) to 2023 (7) → 3; x' = (3 − 1)/6
    assert fs.standardized.loc[("990001", 2021), "income"] == pytest.approx(2 / 6)
    # county 2: the last year takes the nearest value, 2 → x' = 1/6
    assert fs.standardized.loc[("990002", 2023), "income"] == pytest.approx(1 / 6)
    assert int(fs.imputed.sum()) == 2


def test_year_mean_cannot_fill_a_year_without_any_value(two):
    panel = _panel({"income": [np.nan, np.nan, 5.0, 2.0],
                    "engel": [30.0, 35.0, 40.0, 31.0]}, years=[2020, 2020, 2021, 2021])
    with pytest.raises(InputError, match="interpolate"):
        score_framework(panel, two, missing="year_mean")


# --- indicators absent from the panel ----------------------------------------------------------
def test_absent_indicators_are_listed_and_their_nodes_dropped(sample_panel):
    fw = load_framework()
    dropped = list(fw.indicator_table().query("dimension == 'ecology'").index)
    panel = sample_panel.drop(columns=dropped).assign(forest_cover=np.nan)
    fs = score_framework(panel, missing="year_mean")
    assert set(fs.absent) == set(dropped)  # an all-empty column counts as absent
    assert "ecology" not in set(fs.weights["node"])
    scored = fw.stage_ids("output", "outcome")
    assert list(fs.standardized.columns) == [i for i in scored if i not in dropped]
    ind = fs.weights[fs.weights["level"] == "indicator"]
    np.testing.assert_allclose(ind.groupby("subsystem")["global_weight"].sum(), 1.0)
    assert "缺少 5 项" in fs.summary()


def test_a_panel_with_one_subsystem_scores_only_that_subsystem(sample_panel):
    fw = load_framework()
    keep = list(fw.indicator_table().query("subsystem == 'revitalization'").index)
    fs = score_framework(sample_panel[["region_code", "year", *keep]], missing="year_mean")
    assert list(fs.subsystems().columns) == ["revitalization"]
    assert not fs.has("poverty")


def test_no_framework_indicator_at_all_is_an_error(two):
    with pytest.raises(InputError, match=r"没有任何.*框架指标"):
        score_framework(_panel({"other": [1.0, 2.0]}), two)


# --- stages: achievements are outputs and outcomes; inputs form the policy-effort index -------
ELIGIBLE = """\
id: eligible
version: "1"
name: {zh: 适用范围体系, en: Eligibility}
subsystems:
  - id: poverty
    name: {zh: 脱贫成果, en: Poverty}
    children:
      - id: assistance
        name: {zh: 帮扶, en: Assistance}
        indicators:
          - {id: a, name: {zh: 甲, en: A}, unit: "%", direction: 1, stage: input, definition: d,
             source: s}
          - {id: b, name: {zh: 乙, en: B}, unit: "%", direction: 1, stage: input,
             eligible: poverty_county, definition: d, source: s}
      - id: income_dim
        name: {zh: 收入, en: Income}
        indicators:
          - {id: c, name: {zh: 丙, en: C}, unit: "%", direction: 1, stage: outcome,
             definition: d, source: s}
"""


@pytest.fixture
def eligible_fw(tmp_path):
    path = tmp_path / "eligible.yaml"
    path.write_text(ELIGIBLE, encoding="utf-8")
    return load_framework(path)


def _eligible_data():
    # four counties, one year; b applies to the first two only (their poverty_county is True)
    panel = _panel({"a": [0.0, 10.0, 20.0, 40.0], "b": [5.0, 15.0, 99.0, np.nan],
                    "c": [1.0, 2.0, 3.0, 4.0]})
    counties = pd.DataFrame({"poverty_county": [True, True, False, False]},
                            index=pd.Index(panel["region_code"], name="region_code"))
    return panel, counties


def test_achievements_leave_the_inputs_out_by_default(sample_panel, sample_scores):
    fw = load_framework()
    assert sample_scores.options["stages"] == ("output", "outcome")
    assert tuple(sample_scores.standardized.columns) == fw.stage_ids("output", "outcome")
    assert sample_scores.excluded == fw.stage_ids("input")
    assert "east_west_funds_pc" in sample_scores.excluded
    # 常态化帮扶机制 (funds and cadres only) is no achievement dimension any more
    assert not sample_scores.has("assistance")
    w = sample_scores.indicator_weights("poverty")
    assert w.sum() == pytest.approx(1.0) and not set(w.index) & set(fw.stage_ids("input"))
    assert sample_scores.eligible is None  # no scored indicator has an eligibility rule


def test_every_stage_can_be_scored_with_the_county_table(sample_panel):
    from linkage.panel import load_panel

    counties = load_panel().counties
    everything = ("input", "output", "outcome")
    with pytest.raises(InputError, match="poverty_county") as err:
        score_framework(sample_panel, stages=everything, missing="year_mean")
    assert err.value.column == "east_west_funds_pc"
    fs = score_framework(sample_panel, stages=everything, counties=counties, missing="year_mean")
    assert len(fs.standardized.columns) == 56 and fs.excluded == ()
    ew = fs.standardized["east_west_funds_pc"]
    poor = counties["poverty_county"].reindex(ew.index.get_level_values("region_code"))
    assert ew[poor.to_numpy()].notna().all() and ew[~poor.to_numpy()].isna().all()
    assert fs.eligible["east_west_funds_pc"].tolist() == poor.tolist()
    assert "只对“原贫困县”为是的县计分" in fs.summary()
    with pytest.raises(InputError, match="stages"):
        score_framework(sample_panel, stages=("impact",))
    with pytest.raises(InputError, match="stages"):
        score_framework(sample_panel, stages=())


def test_ineligible_cells_are_neither_scored_nor_imputed_nor_used_for_bounds(eligible_fw):
    panel, counties = _eligible_data()
    fs = score_framework(panel, eligible_fw, stages=("input",), counties=counties,
                         weighting="equal")
    x = fs.standardized
    # b's bounds come from the counties where it applies (5 and 15), not from 99
    np.testing.assert_allclose(x["b"].to_numpy(), [0.0, 1.0, np.nan, np.nan])
    np.testing.assert_allclose(x["a"].to_numpy(), [0.0, 0.25, 0.5, 1.0])
    # where b does not apply the dimension is a's score alone; elsewhere the mean of a and b
    np.testing.assert_allclose(fs.wide("dimension")["assistance"].to_numpy(),
                               [0.0, 0.625, 0.5, 1.0])
    assert int(fs.imputed.sum()) == 0  # the blank b of the fourth county is not a gap
    # the rule needs the attribute for every county, as a True/False column
    with pytest.raises(InputError, match="poverty_county"):
        score_framework(panel, eligible_fw, stages=("input",), counties=counties.iloc[:3])
    with pytest.raises(InputError, match="poverty_county"):
        score_framework(panel, eligible_fw, stages=("input",),
                        counties=counties.astype(int))
    with pytest.raises(InputError, match="aggregation"):
        score_framework(panel, eligible_fw, stages=("input",), counties=counties,
                        aggregation="topsis")


def test_year_mean_imputation_uses_only_counties_where_the_indicator_applies(eligible_fw):
    panel, counties = _eligible_data()
    panel = pd.concat([panel, panel.assign(year=2021, b=[np.nan, 25.0, 0.0, 0.0])],
                      ignore_index=True)
    fs = score_framework(panel, eligible_fw, stages=("input",), counties=counties,
                         missing="year_mean", weighting="equal")
    assert fs.imputed["b"] == 1  # the first county's 2021 value; 99 and 0 never count
    # filled with 25 (the 2021 mean over the eligible counties): b's 2021 values are 25, 25
    b = fs.standardized["b"].xs(2021, level="year")
    np.testing.assert_allclose(b.to_numpy(), [1.0, 1.0, np.nan, np.nan])


def test_policy_effort_index_scores_the_inputs_as_one_index(eligible_fw):
    from linkage.scoring import policy_effort_index

    panel, counties = _eligible_data()
    effort = policy_effort_index(panel, eligible_fw, counties=counties, weighting="equal")
    assert effort.subsystems().columns.tolist() == ["policy_effort"]
    assert effort.excluded == ("c",)
    assert effort.weights.set_index("node").at["policy_effort", "name_zh"] == "政策投入指数"
    np.testing.assert_allclose(effort.subsystems()["policy_effort"].to_numpy(),
                               [0.0, 0.625, 0.5, 1.0])
    with pytest.raises(InputError, match="poverty_county"):
        policy_effort_index(panel, eligible_fw)


def test_policy_effort_index_on_the_sample(sample_panel):
    from linkage.panel import load_panel
    from linkage.scoring import policy_effort_index

    data = load_panel()
    fw = load_framework()
    effort = policy_effort_index(sample_panel, counties=data.counties, missing="year_mean",
                                 weighting="equal")
    assert tuple(effort.standardized.columns) == fw.stage_ids("input")
    x = effort.standardized
    # equal weights: the index is the mean over the inputs that apply to the county
    np.testing.assert_allclose(effort.subsystems()["policy_effort"], x.mean(axis=1))
    poor = data.counties["poverty_county"].reindex(x.index.get_level_values("region_code"))
    assert (x.notna().sum(axis=1)[poor.to_numpy()] == 8).all()
    assert (x.notna().sum(axis=1)[~poor.to_numpy()] == 7).all()
    dims = effort.wide("dimension", labels="zh").columns.tolist()
    assert dims[0] == "常态化帮扶机制" and "组织领导" in dims
    text = effort.summary()
    assert "参与评价的指标 8 项（投入类）" in text and "另有 48 项" in text
    assert "产出、成效类见成果得分" in text and "政策投入指数权重最大的指标" in text
    assert "(792 region-years not applicable)" in effort.summary("en")  # 72 counties × 11


# --- weighting and aggregation options ---------------------------------------------------------
def test_equal_weights_are_equal_within_each_subsystem(tree):
    fs = score_framework(_tree_panel(np.random.default_rng(1)), tree, weighting="equal")
    w = fs.indicator_weights()
    np.testing.assert_allclose(w[["a", "b", "c"]], 1 / 3)
    np.testing.assert_allclose(w[["d", "e", "f"]], 1 / 3)


def test_hierarchical_equal_weights_split_equally_at_every_level(tree):
    fs = score_framework(_tree_panel(np.random.default_rng(1)), tree, weighting="equal",
                         hierarchy="hierarchical")
    w = fs.indicator_weights()
    # poverty → outcome (1) → consolidate ½ (a ½, b ½) / extend ½ (c 1)
    np.testing.assert_allclose(w[["a", "b", "c"]], [0.25, 0.25, 0.5])
    # revitalization → ecology ½ (d 1) / prosperity ½ (e ½, f ½)
    np.testing.assert_allclose(w[["d", "e", "f"]], [0.5, 0.25, 0.25])


def test_expert_weights_are_the_products_along_the_path(tree):
    fs = score_framework(_tree_panel(np.random.default_rng(1)), tree, weighting="expert")
    w = fs.indicator_weights()
    # a: 1.0 (layer) · 0.6 (consolidate) · 1.0 (dimension) · 0.25 = 0.15; b 0.45; c 0.4
    np.testing.assert_allclose(w[["a", "b", "c", "d", "e", "f"]],
                               [0.15, 0.45, 0.4, 0.5, 0.25, 0.25])
    pd.testing.assert_series_equal(
        w[["a", "b", "c"]], tree.expert_weights(subsystem="poverty"),
        check_names=False, check_index_type=False)


def test_combined_weights_blend_expert_and_entropy(tree):
    panel = _tree_panel(np.random.default_rng(2))
    fs = score_framework(panel, tree, weighting="combined", alpha=0.3)
    ent = score_framework(panel, tree).indicator_weights()
    exp = score_framework(panel, tree, weighting="expert").indicator_weights()
    np.testing.assert_allclose(fs.indicator_weights(), 0.3 * exp + 0.7 * ent)


def test_expert_weights_missing_from_the_yaml_is_an_error(sample_panel):
    with pytest.raises(InputError, match="专家权重"):
        score_framework(sample_panel, weighting="expert", missing="year_mean")


def test_topsis_aggregation_matches_composite_topsis_on_a_node(tree):
    panel = _tree_panel(np.random.default_rng(4))
    fs = score_framework(panel, tree, aggregation="topsis")
    x = fs.standardized
    w = fs.indicator_weights()[["e", "f"]]
    expected = composite.topsis(x[["e", "f"]], w, {"e": 1, "f": 1}, normalization="minmax")
    np.testing.assert_allclose(fs.wide("dimension")["prosperity"], expected.to_numpy())
    # a single-indicator node is the indicator's own score
    np.testing.assert_allclose(fs.wide("dimension")["ecology"], x["d"])
    assert fs.scores["score"].between(0, 1).all()


@pytest.mark.oracle
def test_topsis_node_matches_pymcdm(tree):
    pymcdm = pytest.importorskip("pymcdm")
    from pymcdm.normalizations import minmax_normalization

    panel = _tree_panel(np.random.default_rng(5))
    fs = score_framework(panel, tree, aggregation="topsis")
    w = fs.indicator_weights()[["e", "f"]].to_numpy()
    raw = panel.sort_values(["region_code", "year"])[["e", "f"]].to_numpy()
    ref = pymcdm.methods.TOPSIS(normalization_function=minmax_normalization)(
        raw, w / w.sum(), np.array([1, -1]))
    got = fs.wide("dimension")["prosperity"].sort_index(level=["region_code", "year"])
    np.testing.assert_allclose(got.to_numpy(), ref, atol=1e-12)


# --- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "match"), [
    (lambda p: p.drop(columns="year"), "year"),
    (lambda p: pd.concat([p, p.head(1)]), "重复"),
    (lambda p: p.assign(income=p["income"].astype(str)), "不是数值"),
    (lambda p: p.assign(income=[1.0, np.inf, 2.0]), "无穷"),
])
def test_bad_panels_raise_input_errors(two, change, match):
    panel = _panel({"income": [0.0, 1.0, 2.0], "engel": [10.0, 20.0, 40.0]})
    with pytest.raises(InputError, match=match):
        score_framework(change(panel), two)


@pytest.mark.parametrize("option", [{"scope": "county"}, {"weighting": "pca"},
                                    {"aggregation": "mean"}, {"missing": "drop"},
                                    {"hierarchy": "flat"}, {"normalization": "zscore"},
                                    {"alpha": 1.5}])
def test_invalid_options_are_named(two, option):
    panel = _panel({"income": [0.0, 1.0, 2.0], "engel": [10.0, 20.0, 40.0]})
    with pytest.raises(InputError, match=next(iter(option))):
        score_framework(panel, two, **option)


def test_a_constant_indicator_is_named(two):
    panel = _panel({"income": [1.0, 1.0, 1.0], "engel": [10.0, 20.0, 40.0]})
    with pytest.raises(InputError) as exc:
        score_framework(panel, two)
    assert exc.value.column == "income"


# --- properties --------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(values=arrays(np.float64, (8, 6), elements=st.floats(0, 1000, allow_subnormal=False)),
       hierarchy=st.sampled_from(["global", "hierarchical"]),
       weighting=st.sampled_from(["entropy", "equal", "critic", "expert"]),
       seed=st.integers(0, 1000))
def test_properties_on_random_panels(tree_module, values, hierarchy, weighting, seed):
    fw = tree_module
    panel = pd.DataFrame(values, columns=list("abcdef"))
    # make every column vary so that it can be standardised
    panel.iloc[0] = 0.0
    panel.iloc[1] = 1000.0
    panel.insert(0, "year", [2020] * 4 + [2021] * 4)
    panel.insert(0, "region_code", [f"99000{i}" for i in range(4)] * 2)
    try:
        fs = score_framework(panel, fw, weighting=weighting, hierarchy=hierarchy)
    except InputError as exc:  # degenerate children scores in hierarchical entropy/CRITIC
        assert hierarchy == "hierarchical" and weighting in ("entropy", "critic"), exc
        return
    s = fs.scores["score"]
    assert s.between(-1e-12, 1 + 1e-12).all()
    ind = fs.weights[fs.weights["level"] == "indicator"]
    np.testing.assert_allclose(ind.groupby("subsystem")["global_weight"].sum(), 1.0)
    shuffled = score_framework(panel.sample(frac=1.0, random_state=seed), fw,
                               weighting=weighting, hierarchy=hierarchy)
    np.testing.assert_allclose(shuffled.scores["score"], s, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(noise=arrays(np.float64, 4, elements=st.floats(-1e6, 1e6) | st.just(np.nan)),
       weighting=st.sampled_from(["entropy", "critic", "cv", "equal"]),
       hierarchy=st.sampled_from(["global", "hierarchical"]))
def test_values_where_an_indicator_does_not_apply_change_nothing(tmp_path_factory, noise,
                                                                  weighting, hierarchy):
    path = tmp_path_factory.mktemp("fw") / "eligible.yaml"
    path.write_text(ELIGIBLE, encoding="utf-8")
    fw = load_framework(path)
    rng = np.random.default_rng(3)
    panel = pd.DataFrame({"region_code": [f"99{i:04d}" for i in range(8)] * 2,
                          "year": [2020] * 8 + [2021] * 8,
                          **{k: rng.uniform(1, 100, 16) for k in "abc"}})
    counties = pd.DataFrame({"poverty_county": [True] * 4 + [False] * 4},
                            index=pd.Index(panel["region_code"][:8], name="region_code"))
    base = score_framework(panel, fw, stages=("input", "outcome"), counties=counties,
                           weighting=weighting, hierarchy=hierarchy)
    other = panel.copy()
    ineligible = ~other["region_code"].map(counties["poverty_county"]).to_numpy(dtype=bool)
    other.loc[ineligible, "b"] = np.resize(noise, int(ineligible.sum()))
    moved = score_framework(other, fw, stages=("input", "outcome"), counties=counties,
                            weighting=weighting, hierarchy=hierarchy)
    pd.testing.assert_frame_equal(moved.values, base.values)
    pd.testing.assert_frame_equal(moved.weights, base.weights)
