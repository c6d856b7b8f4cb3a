"""linkage.teaching.lessons: the helpers behind the teaching notebooks' cells and sliders."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from linkage import composite, datasets
from linkage.errors import InputError, OutputError
from linkage.frameworks import load_framework
from linkage.monitoring import classify_households, threshold_table
from linkage.panel import load_panel
from linkage.poverty import DEFAULT_AF_SPEC, af_inputs, alkire_foster
from linkage.readers import read_yearbook
from linkage.sample import load_sample
from linkage.sections.policy_effects import policy_design
from linkage.teaching import lessons


@pytest.fixture(scope="module")
def data():
    return load_panel(None)


@pytest.fixture(scope="module")
def framework():
    return load_framework()


@pytest.fixture(scope="module")
def directions(framework):
    return framework.indicator_table()["direction"]


@pytest.fixture(scope="module")
def matrix(data, framework):
    return lessons.indicator_matrix(data, framework, year=2025)


@pytest.fixture(scope="module")
def households():
    """A 3,000-household cross-section of 2025 (enough for every category)."""
    h = load_sample().households
    return h[h["year"] == 2025].head(3000)


# --- notebook 1 --------------------------------------------------------------------------------


def test_indicator_matrix_is_the_subsystems_achievements_of_one_year(data, framework, matrix):
    table = framework.indicator_table()
    wanted = table[(table["subsystem"] == "revitalization")
                   & table["stage"].isin(["output", "outcome"])].index
    assert list(matrix.columns) == [i for i in wanted if i in data.panel.columns]
    assert matrix.shape[0] == data.panel["region_code"].nunique()
    assert not matrix.isna().any().any()
    assert matrix.attrs["year"] == 2025 and matrix.attrs["imputed"].sum() > 0
    # rows are named counties in the order of their codes; observed cells are the panel's
    code = matrix.attrs["codes"][0]
    assert matrix.index[0] == data.region_name(code)
    row = data.panel[(data.panel["region_code"] == code) & (data.panel["year"] == 2025)].iloc[0]
    observed = row[matrix.columns].notna().to_numpy()
    assert np.allclose(matrix.iloc[0].to_numpy()[observed],
                       row[matrix.columns].to_numpy(dtype=float)[observed])


def test_indicator_matrix_refuses_unknown_subsystem_and_year(data, framework):
    with pytest.raises(InputError, match="子系统"):
        lessons.indicator_matrix(data, framework, subsystem="nonsense")
    with pytest.raises(InputError, match="1999"):
        lessons.indicator_matrix(data, framework, year=1999)
    with pytest.raises(InputError, match="缺失"):
        lessons.indicator_matrix(data, framework, missing="raise")


def test_compare_weightings_uses_the_kits_weights_and_ranks(matrix, directions):
    r = lessons.compare_weightings(matrix, directions)
    assert list(r.weights.columns) == ["equal", "entropy", "critic"]
    pd.testing.assert_series_equal(r.weights["entropy"],
                                   composite.entropy_weights(matrix, directions),
                                   check_names=False)
    assert np.allclose(r.weights.sum(), 1.0)
    expected = composite.weighted_sum(composite.normalize(matrix, directions),
                                      r.weights["critic"], scale=100)
    pd.testing.assert_series_equal(r.scores["critic"], expected, check_names=False)
    assert (r.ranks.min() == 1).all() and np.allclose(np.diag(r.spearman), 1.0)
    best = r.scores["equal"].idxmax()
    assert r.ranks.loc[best, "equal"] == 1


def test_shifts_lists_the_largest_rank_moves(matrix, directions):
    r = lessons.compare_weightings(matrix, directions)
    moves = r.shifts("equal", n=3)
    assert len(moves) == 3 and moves["最大变动"].is_monotonic_decreasing
    biggest = r.ranks.sub(r.ranks["equal"], axis=0).abs().max(axis=1).max()
    assert moves["最大变动"].iloc[0] == biggest > 0
    with pytest.raises(InputError):
        r.shifts("ahp")


def test_compare_weightings_refuses_unknown_or_repeated_methods(matrix, directions):
    with pytest.raises(InputError):
        lessons.compare_weightings(matrix, directions, methods=("equal", "pca"))
    with pytest.raises(InputError):
        lessons.compare_weightings(matrix, directions, methods=("equal", "equal"))


def test_an_outlier_draws_the_entropy_weight():
    demo = pd.DataFrame({"even": [96.0, 96.5, 97.0, 96.8, 97.2],
                         "outlier": [0.5, 0.6, 0.4, 0.7, 9.0]})
    table = lessons.dispersion_table(demo, {"even": 1, "outlier": 1})
    assert table.index[0] == "outlier" and table.loc["outlier", "熵权"] > 0.8
    assert np.allclose(table["差异系数 d = 1 − e"], 1 - table["熵值 e"])
    d = table["差异系数 d = 1 − e"]
    assert np.allclose(d / d.sum(), table["熵权"])  # the same e_j as composite.entropy_weights
    pd.testing.assert_series_equal(
        table["熵权"].sort_index(),
        composite.entropy_weights(demo, {"even": 1, "outlier": 1}).sort_index(),
        check_names=False)


def test_entropy_weight_follows_the_coefficient_of_variation(matrix, directions):
    table = lessons.dispersion_table(matrix, directions)
    assert table["熵权"].corr(table["标准化得分变异系数"], method="spearman") > 0.95
    n = len(matrix)  # small-dispersion approximation d ≈ CV² / (2 ln n), within 25 %
    ratio = table["差异系数 d = 1 − e"] / (table["标准化得分变异系数"] ** 2 / (2 * np.log(n)))
    assert ratio.between(0.85, 1.25).all()
    fig = lessons.dispersion_figure(table)
    assert len(fig.axes[0].collections[0].get_offsets()) == len(table)


def test_dimension_weights_put_the_best_county_of_that_dimension_on_top(matrix, directions,
                                                                        framework):
    standardized = composite.normalize(matrix, directions)
    dims = framework.indicator_table().loc[matrix.columns, "dimension"].to_dict()
    fig = lessons.dimension_weight_figure(standardized, dims, highlight=list(matrix.index[:2]),
                                          top=5, ecology=1.0)
    left, right = fig.axes
    eco = [i for i, d in dims.items() if d == "ecology"]
    assert left.get_yticklabels()[-1].get_text() == standardized[eco].mean(axis=1).idxmax()
    assert [t.get_text() for t in right.get_yticklabels()] == list(matrix.index[:2])
    # all-zero weights mean equal dimension weights; negative ones are refused
    lessons.dimension_weight_figure(standardized, dims)
    with pytest.raises(InputError):
        lessons.dimension_weight_figure(standardized, dims, ecology=-1.0)
    with pytest.raises(InputError):
        lessons.dimension_weight_figure(standardized, {"forest_cover": "ecology"})


# --- notebook 2 --------------------------------------------------------------------------------


def test_coupling_curves_classic_c_never_below_corrected():
    fig = lessons.coupling_curve_figure(u1=0.3)
    classic, corrected = (line.get_ydata() for line in fig.axes[0].lines[:2])
    assert (classic >= corrected - 1e-12).all()
    assert np.isclose(classic.max(), 1.0, atol=1e-3) and corrected.min() < 0.4
    with pytest.raises(InputError):
        lessons.coupling_curve_figure(u1=0.0)


def test_c_distribution_figure_draws_both_histograms():
    fig = lessons.c_distribution_figure(pd.Series([0.99, 0.98]), pd.Series([0.7, np.nan]))
    assert len(fig.axes[0].patches) == 2 * 40


# --- notebook 3 --------------------------------------------------------------------------------


def test_screening_table_matches_the_rule_and_grows_with_the_threshold(households):
    table = lessons.screening_table(households, [0.8, 1.0, 1.5])
    assert table["合计"].is_monotonic_increasing
    category = classify_households(households, threshold_table())
    persons = households["weight"] * households["hh_size"]
    expected = persons[category != "非监测对象"].sum() / persons.sum()
    assert np.isclose(table.loc[1.0, "合计"], expected)
    assert np.isclose(table.loc[1.5, "标准（元）"], 1.5 * 8020)
    with pytest.raises(InputError):
        lessons.screening_table(households, [0.0])
    fig = lessons.screening_figure(households, multiplier=1.25, multipliers=(0.8, 1.0, 1.5))
    assert "×1.25" in fig.axes[0].texts[0].get_text()


def test_af_by_k_is_alkire_foster_at_each_cutoff(households):
    inputs = af_inputs(households, income_line=8020.0, weights="weight")
    table = lessons.af_by_k(inputs, [1 / 12, 1 / 3, 1.0])
    direct = alkire_foster(inputs.data, inputs.cutoffs, inputs.weights, 1 / 3,
                           sample_weight=inputs.sample_weight)
    assert np.isclose(table.loc[1 / 3, "H"], direct.H) and np.isclose(table.loc[1 / 3, "M0"],
                                                                        direct.M0)
    assert table["H"].is_monotonic_decreasing
    assert np.allclose(table["M0"], table["H"] * table["A"])
    fig = lessons.af_k_figure(inputs, DEFAULT_AF_SPEC, k=0.25)
    assert f"{direct.H:.2%}" not in fig.axes[0].get_title()  # k = 1/4 differs from k = 1/3
    assert len(fig.axes[1].patches) == len(DEFAULT_AF_SPEC.indicators)


# --- notebook 4 --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def key(data):
    return policy_design(data, treatment="key_assistance")


@pytest.fixture(scope="module")
def exits(data):
    return policy_design(data, treatment="exit")


def test_cohort_means_are_geometric_means_by_group(key):
    means = lessons.cohort_means(key)
    assert set(means["组别"]) == {"2021 年受处理", "从未处理"}
    frame = key.frame
    never = frame[(frame["cohort"] == 0) & (frame["year"] == 2015)][key.outcome]
    got = means[(means["年份"] == 2015) & (means["组别"] == "从未处理")]["均值"].iloc[0]
    assert np.isclose(got, np.exp(never).mean())


def test_event_window_figure_draws_the_truth_and_refuses_a_bad_window(key):
    fig = lessons.event_window_figure(key, window=3)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "≤-3" and labels[-1] == "≥3"
    assert "真实效应（模拟数据）" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    with pytest.raises(InputError):
        lessons.event_window_figure(key, window=0)


def test_twfe_misses_the_truth_under_staggered_exit_and_cs_does_not(exits):
    table = lessons.staggered_comparison(exits)
    twfe, cs = table.loc["TWFE 静态 DID"], table.loc["Callaway–Sant'Anna"]
    # the truth over TWFE's treated county-years: 0.02 + 0.01 e averaged over them
    treated = exits.frame[exits.frame["treated"] == 1]
    assert np.isclose(twfe["真实值"],
                      (0.02 + 0.01 * (treated["year"] - treated["cohort"])).mean())
    assert twfe["估计值"] < 0.5 * twfe["真实值"]
    assert abs(cs["估计值"] - cs["真实值"]) < 2 * cs["标准误"]


def test_placebo_figure_reports_the_permutation_p_value(key):
    fig = lessons.placebo_figure(key, reps=99, seed=1)
    assert fig.axes[0].get_title() == "置换 p 值 = 0.010"  # at its floor 1/(99+1)
    assert len(fig.axes[0].patches) == 30


# --- notebook 6 --------------------------------------------------------------------------------


def test_yearbook_example_reads_back_to_the_reference_table(tmp_path):
    path = lessons.yearbook_example(tmp_path / "收入.xlsx", first_year=2019, last_year=2020)
    table = read_yearbook(path)
    assert set(table["year"]) == {2019, 2020}
    assert table["region_code"].notna().all() and table["region"].nunique() == 32
    assert set(table["unit"]) == {"元"}
    reference = datasets.load("province_income_rural_urban_2010_2020")
    rural = table[table["indicator"] == "农村居民人均可支配收入"].merge(
        reference, left_on=["region", "year"], right_on=["province", "year"])
    assert len(rural) == 64
    assert np.allclose(rural["value"], rural["rural_disposable_income_yuan"])
    with pytest.raises(OutputError):
        lessons.yearbook_example(path, first_year=2019, last_year=2020)
    lessons.yearbook_example(path, first_year=2020, last_year=2020, overwrite=True)
    with pytest.raises(InputError):
        lessons.yearbook_example(tmp_path / "x.xlsx", first_year=2009)


def test_every_slider_draws_at_both_ends_of_its_range(households, key):
    """The ranges the notebooks give their sliders (a live redraw never meets an error)."""
    inputs = af_inputs(households, income_line=8020.0, weights="weight")
    nobody = lessons.af_k_figure(inputs, DEFAULT_AF_SPEC, k=1.0)  # nobody deprived in all
    assert "H = 0.00%" in nobody.axes[0].get_title()
    lessons.af_k_figure(inputs, DEFAULT_AF_SPEC, k=1 / 12)
    for multiplier in (0.6, 2.0):
        lessons.screening_figure(households, multiplier=multiplier)
    for window in (2, 6):
        lessons.event_window_figure(key, window=window)
    for u1 in (0.05, 1.0):
        lessons.coupling_curve_figure(u1=u1)


def test_docstring_examples_run():
    result = doctest.testmod(lessons, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3 and result.failed == 0
