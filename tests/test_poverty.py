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

from linkage.checks import MIN_REPS, person_weights
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
    unit_name,
    unit_weights,
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
    inp = af_inputs(hh, income_line={2022: 6600, 2023: 7110}, per="household")
    r = alkire_foster(inp.data, inp.cutoffs, inp.weights, 0.25,
                      sample_weight=inp.sample_weight)
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
    result = fgt_bootstrap_ci(y, 30, by=by, reps=400, seed=11)
    ci = result.to_frame()
    assert ci.equals(fgt_bootstrap_ci(y, 30, by=by, reps=400, seed=11).to_frame())
    est = fgt_by_group(y, 30, groups=by)["FGT0"]
    np.testing.assert_allclose(ci["estimate"], est, rtol=0, atol=1e-15)
    binomial_se = np.sqrt(est * (1 - est) / (n // 2))  # SE of a proportion
    np.testing.assert_allclose(ci["se"], binomial_se, rtol=0.15)
    assert ((ci["lower"] < ci["estimate"]) & (ci["estimate"] < ci["upper"])).all()
    assert (ci["reps"] == 400).all()


def test_bootstrap_default_is_999_replicates():
    y = pd.Series(np.arange(40.0))
    assert MIN_REPS == 999
    assert fgt_bootstrap_ci(y, 10, seed=1).reps == 999


def _clustered_design(seed: int = 8) -> pd.DataFrame:
    """10 strata × 8 clusters × 25 households; incomes share a cluster effect (ICC ≈ 0.3)."""
    rng = np.random.default_rng(seed)
    strata, clusters, per = 10, 8, 25
    n = strata * clusters * per
    cluster = np.repeat(np.arange(strata * clusters), per)
    effect = rng.normal(0, 0.5, strata * clusters)[cluster]
    return pd.DataFrame({
        "income": np.exp(9 + effect + rng.normal(0, 0.75, n)),
        "weight": rng.uniform(50, 150, n),
        "cluster": cluster, "stratum": cluster // clusters})


def _linearized_se(y, z, w, stratum, cluster) -> float:
    """Taylor-linearised SE of the ratio Σ w·1[y<z] / Σ w under a stratified with-replacement
    cluster design (the ultimate-cluster variance; Wolter 2007, *Introduction to Variance
    Estimation*, §6.11): var = Σ_h n_h/(n_h−1) Σ_c (u_hc − ū_h)², u_hc = Σ_{i∈c} w_i (a_i − θ)
    / Σ w."""
    a = (y < z).astype(float)
    theta = np.sum(w * a) / np.sum(w)
    u = pd.Series(w * (a - theta) / np.sum(w)).groupby(cluster).sum()
    h = pd.Series(stratum).groupby(cluster).first()
    var = 0.0
    for _, uh in u.groupby(h):
        var += len(uh) / (len(uh) - 1) * np.sum((uh - uh.mean()) ** 2)
    return float(np.sqrt(var))


def test_cluster_bootstrap_matches_the_linearised_design_variance():
    d = _clustered_design()
    z = float(np.exp(9))
    result = fgt_bootstrap_ci(d["income"], z, weights=d["weight"], cluster=d["cluster"],
                              strata=d["stratum"], reps=4000, seed=5)
    expected = _linearized_se(d["income"].to_numpy(), z, d["weight"].to_numpy(),
                              d["stratum"].to_numpy(), d["cluster"].to_numpy())
    assert result.to_frame().loc["总体", "se"] == pytest.approx(expected, rel=0.08)
    assert result.strata == 10 and result.clusters == 80 and result.cluster_name == "cluster"
    # resampling households as if independent understates the uncertainty of clustered data
    rows = fgt_bootstrap_ci(d["income"], z, weights=d["weight"], strata=d["stratum"],
                            reps=4000, seed=5)
    assert rows.to_frame().loc["总体", "se"] < 0.7 * expected


def test_total_row_and_contrasts_come_from_the_same_replicates():
    d = _clustered_design(seed=9)
    region = pd.Series(np.where(d["stratum"] < 5, "甲", "乙"))
    result = fgt_bootstrap_ci(d["income"], 9000.0, by=region, weights=d["weight"],
                              cluster=d["cluster"], strata=d["stratum"], total="合计", seed=2)
    table = result.to_frame()
    assert list(table.index) == ["乙", "甲", "合计"]
    assert table.loc["合计", "estimate"] == pytest.approx(
        fgt(d["income"], 9000.0, weights=d["weight"]), abs=1e-12)
    diff = result.contrast("甲", "乙")
    assert diff["estimate"] == pytest.approx(table.loc["甲", "estimate"]
                                             - table.loc["乙", "estimate"], abs=1e-15)
    draws = result.replicates["甲"] - result.replicates["乙"]
    assert diff["lower"] == pytest.approx(draws.quantile(0.025))
    assert diff["upper"] == pytest.approx(draws.quantile(0.975))
    assert "Rao–Wu" in result.summary() and "Rao–Wu" in result.summary("en")
    # simultaneous over both pairs of 甲, 乙, 合计: the max-T interval is at least as wide
    both = result.contrast("甲", "乙", among=["甲", "乙", "合计"])
    assert both["pairs"] == 3 and both["estimate"] == diff["estimate"]
    assert both["upper"] - both["lower"] >= diff["upper"] - diff["lower"] - 1e-12
    assert both["lower"] < both["estimate"] < both["upper"]
    with pytest.raises(InputError, match="丙"):
        result.contrast("甲", "丙")


def test_cluster_bootstrap_of_duplicated_households_equals_row_bootstrap():
    rng = np.random.default_rng(5)
    y = pd.Series(rng.uniform(0, 100, 300))
    by = pd.Series(rng.choice(["a", "b", "c"], 300))
    rows = fgt_bootstrap_ci(y, 40, by=by, alpha=1, seed=2).to_frame()
    twice = pd.concat([y, y], ignore_index=True)
    clustered = fgt_bootstrap_ci(twice, 40, by=pd.concat([by, by], ignore_index=True), alpha=1,
                                 cluster=pd.Series(np.tile(np.arange(300), 2)),
                                 seed=2).to_frame()
    pd.testing.assert_frame_equal(rows, clustered, rtol=1e-12)


def test_bootstrap_refuses_bad_options_lonely_strata_and_clusters_across_strata():
    y = pd.Series([1.0, 2.0, 3.0, 4.0])
    by = pd.Series(["a", "a", "b", "b"])
    with pytest.raises(InputError, match="200"):
        fgt_bootstrap_ci(y, 3, by=by, reps=50)
    with pytest.raises(InputError, match="level"):
        fgt_bootstrap_ci(y, 3, by=by, level=95)
    with pytest.raises(InputError, match="跨层"):
        fgt_bootstrap_ci(y, 3, by=by, cluster=pd.Series([1, 2, 2, 3]))
    # one county per prefecture: no variance estimate, refused (R survey's lonely PSU rule)
    with pytest.raises(InputError, match="'b'") as info:
        fgt_bootstrap_ci(y, 3, by=by, cluster=pd.Series(["c1", "c2", "c3", "c3"]))
    assert info.value.column == "strata"
    with pytest.raises(InputError, match="cluster"):
        fgt_bootstrap_ci(y, 3, by=by, cluster=pd.Series(["c1", None, "c3", "c4"]))


def test_af_bootstrap_estimates_equal_alkire_foster_by_group():
    df = _big_households(3000, seed=9)
    weights = {**{f"ok{j}": 0.12 for j in range(5)}, "income": 0.4}
    cutoffs = {**{f"ok{j}": 1 for j in range(5)}, "income": 6600}
    r = alkire_foster(df, cutoffs, weights, 0.4, by="region", sample_weight=df["weight"])
    for measure in ("M0", "H"):
        ci = af_bootstrap_ci(df, cutoffs, weights, 0.4, by="region", measure=measure,
                             sample_weight="weight", reps=200, seed=4).to_frame()
        np.testing.assert_allclose(ci["estimate"], r.by_group[measure], rtol=0, atol=1e-15)
        assert (ci["lower"] <= ci["estimate"]).all() and (ci["estimate"] <= ci["upper"]).all()
    with pytest.raises(InputError, match="measure"):
        af_bootstrap_ci(df, cutoffs, weights, 0.4, by="region", measure="M1")
    with pytest.raises(InputError, match="village"):
        af_bootstrap_ci(df, cutoffs, weights, 0.4, by="region", cluster="village")


# ---------------------------------------------------------------- persons and households


def _size_poverty_sample() -> pd.DataFrame:
    """Four households whose size rises with poverty: the poor are the large households.

    ============  ========  =======  ======  ======================================
    household     size      weight   income  deprivations (default spec)
    ============  ========  =======  ======  ======================================
    A             6         1        3000    income, drinking water (c = 1/2)
    B             4         2        5000    income (c = 1/4)
    C             2         1        9000    basic medical (c = 1/12)
    D             1         4        12000   none
    ============  ========  =======  ======  ======================================
    """
    ok = dict.fromkeys(["food_clothing_ok", "compulsory_edu_ok", "housing_safe_ok"], True)
    return pd.DataFrame({
        "hh_size": [6, 4, 2, 1], "weight": [1.0, 2.0, 1.0, 4.0],
        "income_pc": [3000.0, 5000.0, 9000.0, 12000.0],
        "drinking_water_ok": [False, True, True, True],
        "basic_medical_ok": [True, True, False, True], **ok}, index=list("ABCD"))


def test_person_and_household_headcounts_differ_by_hand():
    hh = _size_poverty_sample()
    line = 6600.0
    # households: (1 + 2) / (1 + 2 + 1 + 4) = 3/8; persons: (6 + 8) / (6 + 8 + 2 + 4) = 14/20
    households = fgt(hh["income_pc"], line, weights=hh["weight"])
    persons = fgt(hh["income_pc"], line, weights=pd.Series(person_weights(hh, "weight"),
                                                           index=hh.index))
    assert households == pytest.approx(3 / 8, abs=1e-15)
    assert persons == pytest.approx(14 / 20, abs=1e-15)
    np.testing.assert_array_equal(unit_weights(hh, "weight", per="person"), [6, 8, 2, 4])
    np.testing.assert_array_equal(unit_weights(hh, "weight", per="household"), [1, 2, 1, 4])
    # FGT1: gaps 3600/6600 and 1600/6600
    gap = (3600 / 6600, 1600 / 6600)
    per_person = (6 * gap[0] + 8 * gap[1]) / 20
    assert fgt(hh["income_pc"], line, alpha=1,
               weights=pd.Series(unit_weights(hh, "weight", per="person"), index=hh.index)
               ) == pytest.approx(per_person, abs=1e-15)


def test_multidimensional_headcount_per_person_and_per_household_by_hand():
    hh = _size_poverty_sample()
    persons = af_inputs(hh, income_line=6600, weights="weight")
    households = af_inputs(hh, income_line=6600, weights="weight", per="household")
    assert persons.per == "person" and households.per == "household"
    rp = alkire_foster(persons.data, persons.cutoffs, persons.weights, 1 / 3,
                       sample_weight=persons.sample_weight)
    rh = alkire_foster(households.data, households.cutoffs, households.weights, 1 / 3,
                       sample_weight=households.sample_weight)
    # k = 1/3: only A (c = 1/2) is poor. Households 1/8, persons 6/20; M0 = H · 1/2.
    assert pytest.approx(1 / 8) == rh.H and pytest.approx(6 / 20) == rp.H
    assert pytest.approx(1 / 16) == rh.M0 and pytest.approx(6 / 40) == rp.M0
    # k = 1/4 adds B (income alone): households 3/8, persons 14/20
    rp4 = alkire_foster(persons.data, persons.cutoffs, persons.weights, 1 / 4,
                        sample_weight=persons.sample_weight)
    assert pytest.approx(14 / 20) == rp4.H


def test_person_rates_need_a_household_size():
    hh = _size_poverty_sample().drop(columns="hh_size")
    with pytest.raises(InputError, match="hh_size"):
        af_inputs(hh, income_line=6600)
    with pytest.raises(InputError, match="per"):
        unit_weights(hh, None, per="people")
    assert unit_name("person") == "人" and unit_name("household") == "户"
    assert unit_name("person", "en") == "persons"


# ---------------------------------------------------------------- the poverty cutoff k


def test_identification_rule_states_what_k_means_for_the_default_spec():
    rule = DEFAULT_AF_SPEC.identification_rule
    third = rule(1 / 3)
    assert "至少需要 2 个维度存在剥夺" in third and "并集" not in third
    assert "任何单个维度" in third
    quarter = rule(0.25)
    assert "吃穿不愁、饮水安全有保障、人均纯收入达标任一项被剥夺即达到 k" in quarter
    assert "并集" in quarter and "三保障须其指标全部被剥夺" in quarter
    assert "union rule" in rule(1 / 12, "en") and "intersection" in rule(1.0, "en")
    assert "at least 2 dimensions" in rule(1 / 3, "en")


@pytest.mark.parametrize("k", [1 / 12, 1 / 6, 0.25, 1 / 3, 5 / 12, 0.5, 2 / 3, 0.75, 11 / 12, 1])
def test_identification_rule_agrees_with_alkire_foster_on_every_deprivation_pattern(k):
    # every pattern of the six indicators: the stated minimum number of dimensions is the
    # smallest number of deprived dimensions among the poor, and "any m dimensions" holds
    patterns = pd.DataFrame(list(itertools.product([True, False], repeat=6)),
                            columns=[i.id for i in DEFAULT_AF_SPEC.indicators])
    weights = DEFAULT_AF_SPEC.weights()
    poor = alkire_foster(patterns.astype(float), dict.fromkeys(patterns.columns, 1), weights, k,
                         by=pd.Series(range(len(patterns))))
    is_poor = poor.by_group["H"].to_numpy() == 1
    dims = pd.Series({i.id: i.dimension for i in DEFAULT_AF_SPEC.indicators})
    deprived_dims = (~patterns).T.groupby(dims).any().sum().to_numpy()
    text = DEFAULT_AF_SPEC.identification_rule(k)
    if k == 1:
        assert is_poor.sum() == 1 and "交集规则" in text
        return
    fewest = deprived_dims[is_poor].min()
    if fewest >= 2:
        assert f"至少需要 {fewest} 个维度存在剥夺" in text
    every = next((m for m in range(1, 5) if is_poor[deprived_dims >= m].all()), None)
    if every is not None and every > 1:
        assert f"任意 {every} 个维度各有一项剥夺即达到 k" in text


# ---------------------------------------------------------------- documentation


@pytest.mark.parametrize("module", ["income_poverty", "af", "spec", "bootstrap"])
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"linkage.poverty.{module}")
    result = doctest.testmod(mod, extraglobs={"pd": pd})
    assert result.attempted > 0 and result.failed == 0


def test_simultaneous_contrast_of_the_extreme_groups_keeps_its_coverage():
    # eight groups with the same true rate: the highest and the lowest differ by chance only.
    # The plain percentile interval of their difference excludes 0 far more often than 5 %;
    # the max-T interval over all pairs keeps its level (7.7 % in 300 runs; bootstrap
    # intervals of small-sample proportions are slightly liberal).
    rng = np.random.default_rng(12)
    by = pd.Series(np.repeat(list("abcdefgh"), 150))
    plain_miss = simultaneous_miss = 0
    sims = 100
    for _ in range(sims):
        y = pd.Series(rng.uniform(0, 100, len(by)))
        result = fgt_bootstrap_ci(y, 30, by=by, reps=400, seed=int(rng.integers(1 << 30)))
        est = result.estimates
        high, low = est.idxmax(), est.idxmin()
        plain_miss += result.contrast(high, low)["lower"] > 0
        simultaneous_miss += result.contrast(high, low, among=list(est.index))["lower"] > 0
    assert plain_miss / sims > 0.3
    assert simultaneous_miss / sims <= 0.12
