"""Specification of linkage.poverty: FGT, Alkire–Foster, sufficient statistics, bootstrap."""

from __future__ import annotations

import doctest
import importlib
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkage.errors import InputError
from linkage.poverty import (
    DEFAULT_AF_SPEC,
    AFStats,
    FGTStats,
    af_bootstrap_ci,
    af_inputs,
    alkire_foster,
    fgt,
    fgt_bootstrap_ci,
    fgt_by_group,
)

# ---------------------------------------------------------------- FGT


def test_fgt_haughton_khandker_case_fgt1():
    # Haughton & Khandker (2009), Handbook on Poverty and Inequality, ch. 4 (validation FGT1).
    y = pd.Series([100.0, 110.0, 150.0, 160.0])
    assert fgt(y, 125, alpha=0) == pytest.approx(0.5, abs=1e-12)
    assert fgt(y, 125, alpha=1) == pytest.approx(0.08, abs=1e-12)
    assert fgt(y, 125, alpha=2) == pytest.approx(0.0136, abs=1e-12)


def test_fgt_poor_means_strictly_below_the_line():
    y = pd.Series([125.0, 100.0])
    assert fgt(y, 125) == 0.5  # 125 is not below 125


def test_fgt_line_per_row():
    # y = 100 vs z = 125 → gap 0.2; y = 110 vs z = 100 → not poor: P1 = 0.2 / 2.
    y = pd.Series([100.0, 110.0])
    assert fgt(y, pd.Series([125.0, 100.0]), alpha=1) == pytest.approx(0.1, abs=1e-15)


def test_fgt_fractional_alpha_and_weights():
    # gaps 0.2 and 0.12 with weights 1 and 3: (0.2^0.5 + 3·0.12^0.5) / (1 + 3 + 2 + 2).
    y = pd.Series([100.0, 110.0, 150.0, 160.0])
    w = pd.Series([1.0, 3.0, 2.0, 2.0])
    expected = (0.2**0.5 + 3 * 0.12**0.5) / 8
    assert fgt(y, 125, alpha=0.5, weights=w) == pytest.approx(expected, rel=1e-14)


def test_fgt_by_group_table():
    y = pd.Series([100.0, 110.0, 150.0, 100.0])
    out = fgt_by_group(y, 125, groups=pd.Series(["b", "b", "a", "a"]),
                       weights=pd.Series([1.0, 1.0, 1.0, 3.0]))
    assert list(out.index) == ["a", "b"]
    assert out.loc["a", "FGT0"] == pytest.approx(0.75)  # 3 of 4 weight units below
    assert out.loc["b", "FGT1"] == pytest.approx((0.2 + 0.12) / 2)
    assert out["population_share"].tolist() == pytest.approx([4 / 6, 2 / 6])
    assert out["n"].tolist() == [2, 2]


incomes = st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=40)


@given(incomes, st.floats(1, 1000))
def test_fgt_non_increasing_in_alpha_for_non_negative_incomes(y, z):
    # Exact condition: y_i ≥ 0 for every poor unit, so every normalised gap is in [0, 1]
    # and g^0 ≥ g^1 ≥ g^2 term by term.
    s = pd.Series(y)
    p0, p1, p2 = (fgt(s, z, alpha=a) for a in (0, 1, 2))
    assert p0 >= p1 - 1e-15 and p1 >= p2 - 1e-15


@given(incomes, st.floats(1, 1000), st.floats(0.01, 100), st.randoms(use_true_random=False))
def test_fgt_invariant_to_row_order_and_common_scaling(y, z, scale, rnd):
    s = pd.Series(y)
    perm = list(range(len(y)))
    rnd.shuffle(perm)
    for a in (0, 1, 2):
        base = fgt(s, z, alpha=a)
        assert fgt(s.iloc[perm], z, alpha=a) == pytest.approx(base, abs=1e-12)
        assert fgt(s * scale, z * scale, alpha=a) == pytest.approx(base, abs=1e-9)


@given(st.lists(st.tuples(st.floats(0, 1000), st.integers(1, 5), st.sampled_from("xyz")),
                min_size=1, max_size=30), st.floats(1, 1000))
def test_fgt_integer_weights_equal_repeated_rows_and_groups_add_up(rows, z):
    y = pd.Series([r[0] for r in rows])
    w = pd.Series([r[1] for r in rows], dtype=float)
    g = pd.Series([r[2] for r in rows])
    repeated = np.repeat(np.arange(len(rows)), w.astype(int))
    by = fgt_by_group(y, z, groups=g, weights=w)
    for a in (0, 1, 2):
        total = fgt(y, z, alpha=a, weights=w)
        assert total == pytest.approx(fgt(y.iloc[repeated].reset_index(drop=True), z, alpha=a),
                                      abs=1e-12)
        col = f"FGT{a}"
        assert (by["population_share"] * by[col]).sum() == pytest.approx(total, abs=1e-12)


@pytest.mark.parametrize(("income", "kwargs", "column"), [
    ([100.0, np.nan], {}, "income"),
    ([100.0, -5.0], {}, "income"),
    ([100.0, 50.0], {"weights": pd.Series([1.0, 0.0])}, "weights"),
    ([100.0, 50.0], {"weights": pd.Series([1.0, 1.0], index=[5, 6])}, "weights"),
])
def test_fgt_bad_input_names_the_column(income, kwargs, column):
    with pytest.raises(InputError) as err:
        fgt(pd.Series(income, name="income"), 125, **kwargs)
    assert err.value.column == column


@pytest.mark.parametrize(("line", "alpha"), [(0, 0), (-1, 0), (np.nan, 0), (125, -1)])
def test_fgt_bad_line_or_alpha(line, alpha):
    with pytest.raises(InputError):
        fgt(pd.Series([100.0]), line, alpha=alpha)


def test_fgt_by_group_refuses_missing_group():
    with pytest.raises(InputError, match="分组"):
        fgt_by_group(pd.Series([1.0, 2.0]), 5, groups=pd.Series(["a", None]))


# ---------------------------------------------------------------- Alkire–Foster

# Alkire & Foster (2011), J. Public Econ. 95:476–487, §2–3: 4 persons × 4 dimensions,
# z = (13, 12, 3, 1), equal weights, k = 2 of 4 dimensions (= 0.5 of total weight).
AF_Y = pd.DataFrame([[13.1, 14, 4, 1], [15.2, 7, 5, 0], [12.5, 10, 1, 0], [20, 11, 3, 1]],
                    columns=["income", "schooling", "d3", "d4"], dtype=float)
AF_Z = {"income": 13, "schooling": 12, "d3": 3, "d4": 1}
AF_W = dict.fromkeys(AF_Z, 0.25)


def test_af_worked_example_alkire_foster_2011():
    r = alkire_foster(AF_Y, AF_Z, AF_W, 0.5)
    # g0 rows: (0000), (0101), (1111), (0100) → c = (0, 2, 4, 1)/4; poor: persons 2 and 3.
    assert (pytest.approx(0.5), pytest.approx(0.75), pytest.approx(0.375)) == (r.H, r.A, r.M0)
    assert r.uncensored_headcounts.tolist() == pytest.approx([0.25, 0.75, 0.25, 0.5])
    assert r.censored_headcounts.tolist() == pytest.approx([0.25, 0.5, 0.25, 0.5])
    # Censored normalised gaps: person 2 (0, 5/12, 0, 1); person 3 (0.5/13, 2/12, 2/3, 1).
    gaps = np.array([5 / 12, 1, 0.5 / 13, 2 / 12, 2 / 3, 1])
    assert pytest.approx(gaps.sum() / 16, rel=1e-12) == r.M1
    assert pytest.approx((gaps**2).sum() / 16, rel=1e-12) == r.M2
    assert r.contributions.tolist() == pytest.approx([1 / 6, 1 / 3, 1 / 6, 1 / 3])
    assert r.by_group is None and r.n == 4


def test_af_k_is_reached_with_equality_despite_rounding():
    # Six indicators of weight 1/6; deprived in two → c = 1/6 + 1/6, poor at k = 1/3 (c ≥ k).
    data = pd.DataFrame({f"i{j}": [0.0 if j < 2 else 1.0] for j in range(6)})
    r = alkire_foster(data, {c: 1 for c in data}, dict.fromkeys(data, 1 / 6), 1 / 3)
    assert r.H == 1.0
    assert pytest.approx(1 / 3) == r.M0


def test_af_boolean_indicators_have_no_m1_and_strict_cutoff():
    data = pd.DataFrame({"water_ok": [True, False, False], "income": [5.0, 10.0, 3.0]})
    r = alkire_foster(data, {"water_ok": 1, "income": 5}, {"water_ok": 0.5, "income": 0.5}, 1.0)
    assert r.M1 is None and r.M2 is None
    assert pytest.approx(1 / 3) == r.H  # only row 3 is deprived in both (5 is not below 5)


def test_af_group_with_nobody_poor_gives_zeros_not_nan():
    data = pd.DataFrame({"a": [0.0, 1.0, 1.0], "b": [0.0, 1.0, 1.0], "g": ["p", "r", "r"]})
    r = alkire_foster(data, {"a": 1, "b": 1}, {"a": 0.5, "b": 0.5}, 0.5, by="g")
    rich = r.by_group.loc["r"]
    assert (rich["H"], rich["A"], rich["M0"], rich["contribution"]) == (0, 0, 0, 0)
    none = alkire_foster(data.iloc[1:], {"a": 1, "b": 1}, {"a": 0.5, "b": 0.5}, 0.5)
    assert none.A == 0 and none.contributions.tolist() == [0, 0]
    assert not none.to_frame()["value"].isna().any()


af_rows = st.lists(
    st.tuples(st.floats(0, 10), st.floats(0, 10), st.floats(0, 10), st.booleans(),
              st.integers(1, 4), st.sampled_from("uvw")), min_size=1, max_size=30)
af_weights = st.tuples(st.floats(0.05, 1), st.floats(0.05, 1), st.floats(0.05, 1),
                       st.floats(0.05, 1))


def _frame(rows):
    return pd.DataFrame(rows, columns=["x1", "x2", "x3", "ok", "w", "g"])


AF_CUTS = {"x1": 5, "x2": 4, "x3": 6, "ok": 1}


@given(af_rows, af_weights, st.floats(0.01, 1))
def test_af_identities_and_subgroup_decomposition(rows, raw, k):
    df = _frame(rows)
    weights = dict(zip(AF_CUTS, np.array(raw) / sum(raw), strict=True))
    r = alkire_foster(df, AF_CUTS, weights, k, by="g", sample_weight=df["w"].astype(float))
    assert pytest.approx(r.H * r.A, abs=1e-12) == r.M0
    assert pytest.approx((r.censored_headcounts * r.weights).sum(), abs=1e-12) == r.M0
    assert r.absolute_contributions.sum() == pytest.approx(r.M0, abs=1e-12)
    assert (r.censored_headcounts <= r.uncensored_headcounts + 1e-15).all()
    assert r.by_group["absolute_contribution"].sum() == pytest.approx(r.M0, abs=1e-12)
    if r.M0 > 0:
        assert r.contributions.sum() == pytest.approx(1, abs=1e-12)
        assert r.by_group["contribution"].sum() == pytest.approx(1, abs=1e-12)
    else:
        assert (r.contributions == 0).all()


@given(af_rows, st.floats(0.01, 1), st.randoms(use_true_random=False))
def test_af_integer_weights_equal_repeated_rows_and_order_invariance(rows, k, rnd):
    df = _frame(rows)
    weights = dict.fromkeys(AF_CUTS, 0.25)
    weighted = alkire_foster(df, AF_CUTS, weights, k, sample_weight=df["w"].astype(float))
    repeated = df.iloc[np.repeat(np.arange(len(df)), df["w"])].reset_index(drop=True)
    plain = alkire_foster(repeated, AF_CUTS, weights, k)
    perm = list(range(len(df)))
    rnd.shuffle(perm)
    shuffled = alkire_foster(df.iloc[perm], AF_CUTS, weights, k,
                             sample_weight=df["w"].iloc[perm].astype(float))
    for other in (plain, shuffled):
        assert pytest.approx(
            (weighted.H, weighted.A, weighted.M0), abs=1e-12) == (other.H, other.A, other.M0)
        assert other.censored_headcounts.tolist() == pytest.approx(
            weighted.censored_headcounts.tolist(), abs=1e-12)


@pytest.mark.parametrize(("cutoffs", "weights", "k", "match"), [
    (AF_Z, dict.fromkeys(AF_Z, 0.3), 0.5, "和须为 1"),
    (AF_Z, {**AF_W, "income": -0.25}, 0.5, "正数"),
    ({"income": 13}, AF_W, 0.5, "不对应"),
    (AF_Z, AF_W, 0, "k"),
    (AF_Z, AF_W, 1.5, "k"),
    ({**AF_Z, "zz": 1}, {**dict.fromkeys(AF_Z, 0.2), "zz": 0.2}, 0.5, "缺少指标列"),
])
def test_af_bad_specification_raises(cutoffs, weights, k, match):
    with pytest.raises(InputError, match=match):
        alkire_foster(AF_Y, cutoffs, weights, k)


def test_af_missing_value_names_column():
    data = AF_Y.copy()
    data.loc[2, "d3"] = np.nan
    with pytest.raises(InputError) as err:
        alkire_foster(data, AF_Z, AF_W, 0.5)
    assert err.value.column == "d3"


def test_af_summary_and_frame_are_chinese_and_tidy():
    r = alkire_foster(AF_Y, AF_Z, AF_W, 0.5)
    assert "多维贫困发生率 H = 50.00%" in r.summary()
    frame = r.to_frame()
    assert list(frame.columns) == ["measure", "indicator", "value"]
    assert frame.query("measure == 'M0'")["value"].item() == pytest.approx(0.375)


# ---------------------------------------------------------------- default specification


def test_default_spec_weights_and_household_deprivations():
    weights = DEFAULT_AF_SPEC.weights()
    assert weights.sum() == pytest.approx(1)
    assert weights["income"] == 0.25 and weights["housing_safe"] == pytest.approx(1 / 12)
    hh = pd.DataFrame({
        "year": [2022, 2022, 2023],
        "food_clothing_ok": [True, False, True], "compulsory_edu_ok": [True, True, True],
        "basic_medical_ok": [True, True, False], "housing_safe_ok": [True, True, True],
        "drinking_water_ok": [True, True, True], "income_pc": [6600.0, 6000.0, 7000.0]})
    inp = af_inputs(hh, income_line={2022: 6600, 2023: 7110})
    r = alkire_foster(inp.data, inp.cutoffs, inp.weights, 0.25)
    # Row 1: income = line → not deprived. Row 2: food + income → c = 1/2 (poor).
    # Row 3: medical (1/12) + income (7000 < 7110, 1/4) → c = 1/3 (poor).
    assert pytest.approx(2 / 3) == r.H
    assert pytest.approx((1 / 2 + 1 / 3) / 3) == r.M0
    assert r.censored_headcounts["income"] == pytest.approx(2 / 3)


def test_af_inputs_errors():
    hh = pd.DataFrame({"food_clothing_ok": [True]})
    with pytest.raises(InputError, match="缺少列"):
        af_inputs(hh, income_line=6600)
    sample = pd.DataFrame({c.column: [True] for c in DEFAULT_AF_SPEC.indicators})
    sample["income_pc"] = [5000.0]
    with pytest.raises(InputError, match="income_line"):
        af_inputs(sample)
    sample["year"] = [2021]
    with pytest.raises(InputError, match="2021"):
        af_inputs(sample, income_line={2022: 6600})


def test_default_spec_on_bundled_sample():
    from linkage.sample import load_sample

    s = load_sample()
    hh = s.households
    lines = {int(y): v for y, v in s.metadata["monitoring_threshold_yuan"].items()}
    inp = af_inputs(hh, income_line=lines)
    r = alkire_foster(inp.data, inp.cutoffs, inp.weights, 1 / 3, by=hh["region_code"],
                      sample_weight=hh["weight"])
    assert 0 <= r.M0 <= r.H <= 1
    assert r.by_group["absolute_contribution"].sum() == pytest.approx(r.M0, abs=1e-12)
    assert len(r.by_group) == hh["region_code"].nunique()


# ---------------------------------------------------------------- sufficient statistics


def _big_households(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({f"ok{j}": rng.random(n) > 0.05 * (j + 1) for j in range(5)})
    df["income"] = rng.lognormal(9, 0.7, n)
    df["weight"] = rng.uniform(1, 300, n)
    df["region"] = rng.integers(0, 30, n)
    return df


def test_chunks_combine_exactly_to_one_shot_on_a_million_households():
    df = _big_households(1_000_000)
    weights = {**{f"ok{j}": 0.12 for j in range(5)}, "income": 0.4}
    cutoffs = {**{f"ok{j}": 1 for j in range(5)}, "income": 6600}
    cuts = [0, 13, 90_001, 250_000, 251_000, 600_000, 999_990, 1_000_000]  # 7 uneven chunks
    fgt_parts = [FGTStats.from_data(c["income"], 6600, groups=c["region"], weights=c["weight"])
                 for c in (df.iloc[a:b] for a, b in itertools.pairwise(cuts))]
    af_parts = [AFStats.from_data(c, cutoffs, weights, 0.4, by="region",
                                  sample_weight=c["weight"])
                for c in (df.iloc[a:b] for a, b in itertools.pairwise(cuts))]
    combined_fgt = fgt_parts[0].combine(*fgt_parts[1:]).result()
    combined_af = sum(af_parts[1:], start=af_parts[0]).result()
    one_fgt = fgt_by_group(df["income"], 6600, groups=df["region"], weights=df["weight"])
    one_af = alkire_foster(df, cutoffs, weights, 0.4, by="region", sample_weight=df["weight"])
    # Measures (shares) agree to 1e-12; weighted populations (~5e6) to 1e-12 relative.
    for combined, one in ((combined_fgt, one_fgt), (combined_af.by_group, one_af.by_group)):
        assert combined["n"].tolist() == one["n"].tolist()
        np.testing.assert_allclose(combined["population"], one["population"], rtol=1e-12)
        pd.testing.assert_frame_equal(combined.drop(columns=["n", "population"]),
                                      one.drop(columns=["n", "population"]), rtol=0, atol=1e-12)
    assert pytest.approx((one_af.M0, one_af.H), abs=1e-12) == (combined_af.M0, combined_af.H)
    np.testing.assert_allclose(combined_af.censored_headcounts, one_af.censored_headcounts,
                               rtol=0, atol=1e-12)


def test_stats_combine_groups_missing_from_some_chunks_and_refuse_mismatches():
    y = pd.Series([100.0, 110.0, 150.0, 160.0])
    g = pd.Series(["a", "a", "b", "c"])
    parts = FGTStats.from_data(y[:2], 125, groups=g[:2]) + FGTStats.from_data(y[2:], 125,
                                                                              groups=g[2:])
    pd.testing.assert_frame_equal(parts.result(), fgt_by_group(y, 125, groups=g))
    with pytest.raises(InputError):
        FGTStats.from_data(y, 125, alpha=1) + FGTStats.from_data(y, 125, alpha=2)
    with pytest.raises(InputError):
        AFStats.from_data(AF_Y, AF_Z, AF_W, 0.5) + AFStats.from_data(AF_Y, AF_Z, AF_W, 0.75)


# ---------------------------------------------------------------- bootstrap


def test_fgt_bootstrap_matches_binomial_standard_error_and_is_reproducible():
    rng = np.random.default_rng(3)
    n = 4000
    y = pd.Series(rng.uniform(0, 100, n))  # P0 at z = 30 is 0.3 in each group
    by = pd.Series(np.repeat(["a", "b"], n // 2))
    ci = fgt_bootstrap_ci(y, 30, by=by, reps=400, seed=11)
    assert ci.equals(fgt_bootstrap_ci(y, 30, by=by, reps=400, seed=11))
    est = fgt_by_group(y, 30, groups=by)["FGT0"]
    np.testing.assert_allclose(ci["estimate"], est, rtol=0, atol=1e-15)
    binomial_se = np.sqrt(est * (1 - est) / (n // 2))  # SE of a proportion
    np.testing.assert_allclose(ci["se"], binomial_se, rtol=0.15)
    assert ((ci["lower"] < ci["estimate"]) & (ci["estimate"] < ci["upper"])).all()
    assert (ci["reps"] == 400).all()


def test_cluster_bootstrap_of_duplicated_households_equals_row_bootstrap():
    rng = np.random.default_rng(5)
    y = pd.Series(rng.uniform(0, 100, 300))
    by = pd.Series(rng.choice(["a", "b", "c"], 300))
    rows = fgt_bootstrap_ci(y, 40, by=by, alpha=1, seed=2)
    twice = pd.concat([y, y], ignore_index=True)
    clustered = fgt_bootstrap_ci(twice, 40, by=pd.concat([by, by], ignore_index=True), alpha=1,
                                 cluster=pd.Series(np.tile(np.arange(300), 2)), seed=2)
    pd.testing.assert_frame_equal(rows, clustered, rtol=1e-12)


def test_bootstrap_refuses_bad_options_and_clusters_across_strata():
    y = pd.Series([1.0, 2.0, 3.0, 4.0])
    by = pd.Series(["a", "a", "b", "b"])
    with pytest.raises(InputError, match="200"):
        fgt_bootstrap_ci(y, 3, by=by, reps=50)
    with pytest.raises(InputError, match="置信水平"):
        fgt_bootstrap_ci(y, 3, by=by, level=95)
    with pytest.raises(InputError, match="聚类"):
        fgt_bootstrap_ci(y, 3, by=by, cluster=pd.Series([1, 2, 2, 3]))


def test_af_bootstrap_estimates_equal_alkire_foster_by_group():
    df = _big_households(3000, seed=9)
    weights = {**{f"ok{j}": 0.12 for j in range(5)}, "income": 0.4}
    cutoffs = {**{f"ok{j}": 1 for j in range(5)}, "income": 6600}
    r = alkire_foster(df, cutoffs, weights, 0.4, by="region", sample_weight=df["weight"])
    for measure in ("M0", "H"):
        ci = af_bootstrap_ci(df, cutoffs, weights, 0.4, by="region", measure=measure,
                             sample_weight=df["weight"], seed=4)
        np.testing.assert_allclose(ci["estimate"], r.by_group[measure], rtol=0, atol=1e-15)
        assert (ci["lower"] <= ci["estimate"]).all() and (ci["estimate"] <= ci["upper"]).all()
    with pytest.raises(InputError, match="measure"):
        af_bootstrap_ci(df, cutoffs, weights, 0.4, by="region", measure="M1")


# ---------------------------------------------------------------- documentation


@pytest.mark.parametrize("module", ["income_poverty", "af", "spec", "bootstrap"])
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"linkage.poverty.{module}")
    result = doctest.testmod(mod, extraglobs={"pd": pd})
    assert result.attempted > 0 and result.failed == 0
