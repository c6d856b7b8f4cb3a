"""Specification of linkage.composite: normalisation, weights (entropy, CRITIC, CV, equal, AHP,
combined) and aggregation (weighted sum, TOPSIS).

Expected values come from published worked examples (/work/shared/validation/README.md cases E1
and T1; Saaty's wealth-of-nations matrix), hand derivations shown in comments, the peer library
pymcdm (tests marked ``oracle``), or invariants (hypothesis).
"""

from __future__ import annotations

import doctest
import importlib
import io
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from linkage.composite import (
    RANDOM_INDEX,
    ahp_weights,
    combine_weights,
    critic_weights,
    cv_weights,
    entropy_values,
    entropy_weights,
    equal_weights,
    normalize,
    topsis,
    weighted_sum,
)
from linkage.errors import InputError
from linkage.frameworks import load_framework
from linkage.sample import load_sample

E1 = pd.read_csv(io.StringIO("""c1,c2,c3,c4,c5
7,312,1891,6613,163
72,88,728,941804,1078
10,252,2594,3466,117471
10,145,980,2371,86329
65,54,350,501,29897
29,48,380,912,34051
7,476,3300,78470,2212
70,87,650,733,819000
4,86,591,3015,103
12,79,579,3240,96098
21,45,261,1253,453
1,72,530,4333,0.1048
"""))
E1_WEIGHTS = [0.104991, 0.069124, 0.071373, 0.449937, 0.304575]

T1 = pd.DataFrame({"c1_cost": [1.0, 2.0, 5.0], "c2_benefit": [3000.0, 3750.0, 4500.0]},
                  index=pd.Index(["A1", "A2", "A3"], name="alt"))
T1_DIRECTIONS = {"c1_cost": -1, "c2_benefit": 1}
T1_WEIGHTS = pd.Series({"c1_cost": 0.5, "c2_benefit": 0.5})

# Saaty (1977, J. Math. Psych. 15:234-281; 1980, The AHP, ch. 2): relative wealth of nations
# (US, USSR, China, France, UK, Japan, W. Germany); published λmax = 7.61 and weights
# 0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094.
NATIONS = ["US", "USSR", "China", "France", "UK", "Japan", "W_Germany"]
WEALTH = pd.DataFrame(
    [[1, 4, 9, 6, 6, 5, 5],
     [1 / 4, 1, 7, 5, 5, 3, 4],
     [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
     [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
     [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
     [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
     [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1]],
    index=NATIONS, columns=NATIONS,
)


def frame(values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(values, columns=[f"x{j}" for j in range(values.shape[1])])


def random_matrix(seed: int, n: int = 30, m: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return frame(rng.uniform(1.0, 100.0, size=(n, m)) * rng.uniform(0.1, 1000.0, size=m))


def alternating(columns: pd.Index) -> dict[str, int]:
    return {c: (1 if j % 2 == 0 else -1) for j, c in enumerate(columns)}


# Positive matrices with 4-12 rows, 2-5 columns, every column varying.
positive_matrices = st.integers(4, 12).flatmap(lambda n: st.integers(2, 5).flatmap(
    lambda m: arrays(np.float64, (n, m), elements=st.floats(0.5, 1000.0))
)).filter(lambda a: bool((np.ptp(a, axis=0) > 1e-3 * a.max(axis=0)).all())).map(frame)


@pytest.mark.parametrize("module", ["", ".normalization", ".weights", ".ahp", ".aggregate"])
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(f"linkage.composite{module}")
    failed, tried = doctest.testmod(mod)
    assert failed == 0 and tried > 0


# ---------------------------------------------------------------- normalize


def test_minmax_positive_and_negative_by_hand() -> None:
    df = pd.DataFrame({"income": [2.0, 4.0, 10.0], "engel": [50.0, 40.0, 30.0]})
    out = normalize(df, {"income": 1, "engel": -1})
    # income: (x - 2) / 8; engel: (50 - x) / 20
    assert out["income"].tolist() == [0.0, 0.25, 1.0]
    assert out["engel"].tolist() == [0.0, 0.5, 1.0]
    assert out.index.equals(df.index) and out.columns.equals(df.columns)


def test_zscore_uses_sample_sd_and_reverses_negative() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.0]})
    out = normalize(df, {"a": 1, "b": -1}, method="zscore")
    # mean 2, sample sd 1 -> (-1, 0, 1); reversed for the negative indicator
    np.testing.assert_allclose(out["a"], [-1.0, 0.0, 1.0])
    np.testing.assert_allclose(out["b"], [1.0, 0.0, -1.0])


@pytest.mark.oracle
@pytest.mark.parametrize("method", ["minmax", "vector", "sum"])
def test_normalize_matches_pymcdm_normalizations(method: str) -> None:
    from pymcdm import normalizations
    df = random_matrix(1)
    directions = alternating(df.columns)
    ours = normalize(df, directions, method=method)
    peer = getattr(normalizations, f"{method}_normalization")
    for column, sign in directions.items():
        np.testing.assert_allclose(ours[column], peer(df[column].to_numpy(), cost=sign < 0),
                                   rtol=1e-12)


def test_scope_normalises_within_each_group() -> None:
    rng = np.random.default_rng(3)
    df = frame(rng.normal(size=(40, 3)))
    years = pd.Series(np.repeat([2021, 2022, 2023, 2024], 10)[rng.permutation(40)])
    directions = alternating(df.columns)
    for method in ("minmax", "zscore"):
        out = normalize(df, directions, method=method, scope=years)
        for year in years.unique():
            rows = years == year
            expected = normalize(df[rows], directions, method=method)
            pd.testing.assert_frame_equal(out[rows], expected)


def test_pooled_scope_is_the_default_and_differs_from_per_year() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 5.0]})
    years = np.array([2020, 2020, 2021, 2021])
    assert normalize(df, {"a": 1})["a"].tolist() == [0.0, 0.25, 0.5, 1.0]
    assert normalize(df, {"a": 1}, scope=years)["a"].tolist() == [0.0, 1.0, 0.0, 1.0]


def test_scope_series_is_aligned_by_index() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 5.0]}, index=[10, 11, 12, 13])
    scope = pd.Series(["y1", "y1", "y2", "y2"], index=[10, 11, 12, 13]).iloc[::-1]
    assert normalize(df, {"a": 1}, scope=scope)["a"].tolist() == [0.0, 1.0, 0.0, 1.0]
    with pytest.raises(InputError, match="scope"):
        normalize(df, {"a": 1}, scope=pd.Series(["y1"] * 4, index=[0, 1, 2, 3]))
    with pytest.raises(InputError, match="scope"):
        normalize(df, {"a": 1}, scope=["y1", "y2"])
    with pytest.raises(InputError, match="分组标签缺失"):
        normalize(df, {"a": 1}, scope=["y1", None, "y2", "y2"])


def test_constant_column_raises_or_follows_rule() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "flat": [7.0, 7.0, 7.0]})
    with pytest.raises(InputError) as info:
        normalize(df, {"a": 1, "flat": 1})
    assert info.value.column == "flat" and "constant=" in info.value.message
    assert normalize(df, {"a": 1, "flat": 1}, constant="zero")["flat"].tolist() == [0.0] * 3
    assert normalize(df, {"a": 1, "flat": -1}, constant="one")["flat"].tolist() == [1.0] * 3


def test_constant_within_a_group_names_the_group() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 4.0, 4.0]})
    with pytest.raises(InputError, match="2021") as info:
        normalize(df, {"a": 1}, scope=[2020, 2020, 2021, 2021])
    assert info.value.column == "a"


def test_single_observation_group_is_degenerate_for_zscore() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 4.0]})
    with pytest.raises(InputError, match="标准差"):
        normalize(df, {"a": 1}, method="zscore", scope=[1, 1, 2])


def test_missing_values_raise_or_are_kept() -> None:
    df = pd.DataFrame({"a": [1.0, np.nan, 3.0, 5.0], "b": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(InputError, match="缺失") as info:
        normalize(df, {"a": 1, "b": 1})
    assert info.value.column == "a"
    out = normalize(df, {"a": 1, "b": 1}, missing="keep")
    # statistics from the observed 1, 3, 5: (x - 1) / 4
    assert out["a"].iloc[[0, 2, 3]].tolist() == [0.0, 0.5, 1.0]
    assert np.isnan(out["a"].iloc[1])
    assert out["b"].tolist() == [0.0, 1 / 3, 2 / 3, 1.0]


@pytest.mark.parametrize(
    ("directions", "match"),
    [({"a": 1}, "方向"), ({"a": 1, "b": 0}, r"\+1 或 -1"), ({"a": 1, "b": "+"}, r"\+1 或 -1")],
)
def test_bad_directions_are_named(directions: dict, match: str) -> None:
    df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    with pytest.raises(InputError, match=match) as info:
        normalize(df, directions)
    assert info.value.column == "b"


def test_directions_accept_framework_series_with_extra_ids() -> None:
    table = load_framework().indicator_table()
    ids = list(table.index[:4])
    df = frame(np.arange(12.0).reshape(3, 4))
    df.columns = ids
    out = normalize(df, table["direction"])
    for column in ids:
        expected = [0.0, 0.5, 1.0] if table.loc[column, "direction"] == 1 else [1.0, 0.5, 0.0]
        assert out[column].tolist() == expected


def test_bad_data_and_options_raise() -> None:
    good = pd.DataFrame({"a": [1.0, 2.0]})
    with pytest.raises(InputError, match="数值"):
        normalize(pd.DataFrame({"a": ["x", "y"]}), {"a": 1})
    with pytest.raises(InputError, match="无穷"):
        normalize(pd.DataFrame({"a": [1.0, np.inf]}), {"a": 1})
    with pytest.raises(InputError, match="DataFrame"):
        normalize(good["a"], {"a": 1})
    with pytest.raises(InputError, match="method"):
        normalize(good, {"a": 1}, method="rank")
    with pytest.raises(InputError, match="非负") as info:
        normalize(pd.DataFrame({"a": [-1.0, 2.0]}), {"a": 1}, method="vector")
    assert info.value.column == "a"
    with pytest.raises(InputError, match="正数"):
        normalize(pd.DataFrame({"a": [0.0, 2.0]}), {"a": -1}, method="sum")


@settings(max_examples=40, deadline=None)
@given(positive_matrices, st.randoms(use_true_random=False))
def test_minmax_scores_span_zero_to_one_and_ignore_row_order(df: pd.DataFrame, rnd) -> None:
    directions = alternating(df.columns)
    out = normalize(df, directions)
    assert ((out >= 0) & (out <= 1)).all().all()
    np.testing.assert_allclose(out.min(), 0.0)
    np.testing.assert_allclose(out.max(), 1.0)
    order = list(range(len(df)))
    rnd.shuffle(order)
    pd.testing.assert_frame_equal(normalize(df.iloc[order], directions), out.iloc[order])


# ---------------------------------------------------------------- entropy


def test_entropy_shannon_matches_published_case_e1() -> None:
    weights = entropy_weights(E1, variant="shannon")
    np.testing.assert_allclose(weights.to_numpy(), E1_WEIGHTS, atol=5e-7)
    assert weights.index.tolist() == E1.columns.tolist()


def test_entropy_zero_variant_by_hand() -> None:
    df = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [1.0, 2.0, 1.0]})
    # a: x' = 0, .5, 1 -> p = 0, 1/3, 2/3; e = (1/3 ln 3 + 2/3 ln 1.5)/ln 3 = 0.579380, d = 0.420620
    # b: x' = 0, 1, 0 -> p = 0, 1, 0; e = 0 (0 ln 0 := 0), d = 1
    d_a = 1 - (np.log(3) / 3 + 2 / 3 * np.log(1.5)) / np.log(3)
    weights = entropy_weights(df, {"a": 1, "b": 1}, variant="zero")
    np.testing.assert_allclose(weights.to_numpy(), [d_a / (d_a + 1), 1 / (d_a + 1)], rtol=1e-12)


def test_entropy_rescale_is_a_shift_of_0_002_over_0_996() -> None:
    # 0.002 + 0.996 x' is proportional to x' + 0.002/0.996, and p is scale-free.
    df = random_matrix(5)
    directions = alternating(df.columns)
    pd.testing.assert_series_equal(
        entropy_weights(df, directions, variant="rescale"),
        entropy_weights(df, directions, variant="shift", shift=0.002 / 0.996),
    )


def test_entropy_variants_differ_only_slightly_and_shift_tends_to_zero_variant() -> None:
    df = random_matrix(6, n=200)
    directions = alternating(df.columns)
    zero = entropy_weights(df, directions, variant="zero")
    for variant in ("shift", "rescale"):
        assert np.abs(entropy_weights(df, directions, variant=variant) - zero).max() < 5e-3
    tiny = entropy_weights(df, directions, variant="shift", shift=1e-12)
    np.testing.assert_allclose(tiny, zero, atol=1e-8)


def test_pooled_panel_entropy_uses_k_one_over_ln_rm() -> None:
    # Stack r identical years of m units: p' = p/r and H' = -Σ p' ln p' = H + ln r. With
    # k = 1/ln(r m), d' = 1 - (H + ln r)/ln(r m) = (ln m - H)/ln(r m), proportional to the
    # single-year d = 1 - H/ln m, so the weights are unchanged; any other k (e.g. 1/ln m)
    # would change them.
    df = random_matrix(7, n=25)
    directions = alternating(df.columns)
    stacked = pd.concat([df] * 4, ignore_index=True)
    for variant, dirs in (("zero", directions), ("shannon", None)):
        np.testing.assert_allclose(entropy_weights(stacked, dirs, variant=variant),
                                   entropy_weights(df, dirs, variant=variant), rtol=1e-10)


def test_entropy_per_year_weights_via_groupby() -> None:
    rng = np.random.default_rng(8)
    df = random_matrix(8, n=40)
    df["year"] = np.repeat([2021, 2022], 20)[rng.permutation(40)]
    ids = [c for c in df.columns if c != "year"]
    directions = alternating(pd.Index(ids))
    per_year = df.groupby("year")[ids].apply(entropy_weights, directions)
    assert per_year.index.tolist() == [2021, 2022]
    np.testing.assert_allclose(per_year.sum(axis=1), 1.0)
    expected = entropy_weights(df.loc[df["year"] == 2022, ids], directions)
    np.testing.assert_allclose(per_year.loc[2022], expected)


def test_entropy_shannon_zero_follows_0_ln_0_convention() -> None:
    # 0 ln 0 := 0 is the limit: a column containing 1e-12 instead of 0 gives the same weights.
    df = random_matrix(9, n=10)
    with_zero = df.copy()
    with_zero.iloc[3, 1] = 0.0
    near_zero = df.copy()
    near_zero.iloc[3, 1] = 1e-12
    np.testing.assert_allclose(entropy_weights(with_zero, variant="shannon"),
                               entropy_weights(near_zero, variant="shannon"), atol=1e-9)


def test_entropy_input_rules() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [3.0, 1.0, 2.0], "flat": [5.0, 5.0, 5.0]})
    directions = {"a": 1, "b": -1, "flat": 1}
    with pytest.raises(InputError, match="directions"):
        entropy_weights(df[["a", "b"]])
    with pytest.raises(InputError, match="逆向") as info:
        entropy_weights(df[["a", "b"]], {"a": 1, "b": -1}, variant="shannon")
    assert info.value.column == "b"
    with pytest.raises(InputError, match="非负"):
        entropy_weights(pd.DataFrame({"a": [1.0, -2.0, 3.0]}), variant="shannon")
    with pytest.raises(InputError, match=r"常数|constant") as info:
        entropy_weights(df, directions)
    assert info.value.column == "flat"
    with pytest.raises(InputError, match="shift"):
        entropy_weights(df[["a", "b"]], directions, shift=0.0)
    with pytest.raises(InputError, match="variant"):
        entropy_weights(df[["a", "b"]], directions, variant="log")
    with pytest.raises(InputError, match="缺失"):
        entropy_weights(pd.DataFrame({"a": [1.0, np.nan, 3.0]}), {"a": 1})


def test_entropy_values_by_hand_and_as_the_step_before_the_weights() -> None:
    df = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [1.0, 2.0, 1.0]})
    # as in the zero-variant derivation above: e_a = (1/3 ln 3 + 2/3 ln 1.5)/ln 3, e_b = 0
    e_a = (np.log(3) / 3 + 2 / 3 * np.log(1.5)) / np.log(3)
    values = entropy_values(df, {"a": 1, "b": 1}, variant="zero")
    np.testing.assert_allclose(values.to_numpy(), [e_a, 0.0], atol=1e-12)
    assert values.name == "entropy" and values.index.tolist() == ["a", "b"]
    for variant in ("shift", "zero", "rescale"):
        e = entropy_values(E1, {c: 1 for c in E1.columns}, variant=variant)
        d = 1 - e
        pd.testing.assert_series_equal(
            d / d.sum(), entropy_weights(E1, {c: 1 for c in E1.columns}, variant=variant),
            check_names=False)


def test_entropy_values_of_a_kept_constant_column_is_one() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 4.0], "flat": [5.0, 5.0, 5.0]})
    values = entropy_values(df, {"a": 1, "flat": 1}, constant="zero")
    assert values["flat"] == 1.0 and 0.0 < values["a"] < 1.0
    with pytest.raises(InputError, match="相同"):
        entropy_values(df, {"a": 1, "flat": 1})


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 12), st.integers(1, 5)),
              elements=st.floats(-1e6, 1e6, allow_nan=False)))
def test_entropy_values_lie_in_the_unit_interval(values: np.ndarray) -> None:
    assume(np.ptp(values, axis=0).max() > 0)  # all constant: no weights, an error
    df = pd.DataFrame(values, columns=[f"x{j}" for j in range(values.shape[1])])
    e = entropy_values(df, {c: 1 for c in df.columns}, constant="zero")
    assert ((e >= -1e-12) & (e <= 1 + 1e-12)).all()


def test_entropy_constant_zero_rule_gives_weight_zero_to_that_column_only() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [3.0, 1.0, 2.0], "flat": [5.0, 5.0, 5.0]})
    directions = {"a": 1, "b": -1, "flat": 1}
    weights = entropy_weights(df, directions, constant="zero")
    assert weights["flat"] == 0.0
    np.testing.assert_allclose(weights[["a", "b"]], entropy_weights(df[["a", "b"]], directions))


@pytest.mark.oracle
@pytest.mark.parametrize("seed", range(5))
def test_entropy_shannon_matches_pymcdm(seed: int) -> None:
    from pymcdm.weights import entropy_weights as pymcdm_entropy
    df = random_matrix(seed, n=20 + seed, m=6)
    np.testing.assert_allclose(entropy_weights(df, variant="shannon"),
                               pymcdm_entropy(df.to_numpy()), rtol=1e-10)


@pytest.mark.oracle
def test_pymcdm_entropy_differs_on_exact_zero() -> None:
    """pymcdm 1.4.0 sets the entropy of any column containing an exact 0 to 0 (maximum weight)
    — or, with its strict sum normalisation, refuses the matrix; the kit uses 0·ln 0 := 0."""
    from pymcdm.weights import entropy_weights as pymcdm_entropy
    df = random_matrix(11, n=10)
    df.iloc[0, 2] = 0.0
    ours = entropy_weights(df, variant="shannon")
    assert ours.sum() == pytest.approx(1.0) and np.isfinite(ours).all()
    try:
        theirs = pymcdm_entropy(df.to_numpy())
    except ValueError as exc:  # 1.4.0 as installed: its sum normalisation refuses zeros
        assert "positive" in str(exc)
        return
    assert int(np.argmax(theirs)) == 2
    assert not np.allclose(ours, theirs, atol=1e-3)


@settings(max_examples=40, deadline=None)
@given(positive_matrices, st.floats(0.01, 100.0), st.floats(-50.0, 50.0),
       st.sampled_from(["shift", "zero", "rescale"]))
def test_entropy_weights_are_a_distribution_invariant_to_affine_units(
    df: pd.DataFrame, factor: float, offset: float, variant: str
) -> None:
    directions = alternating(df.columns)
    weights = entropy_weights(df, directions, variant=variant)
    assert (weights >= 0).all() and weights.sum() == pytest.approx(1.0)
    changed = df.copy()
    changed["x0"] = df["x0"] * factor + offset
    np.testing.assert_allclose(entropy_weights(changed, directions, variant=variant), weights,
                               atol=1e-8)
    np.testing.assert_allclose(entropy_weights(df.iloc[::-1], directions, variant=variant),
                               weights, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(positive_matrices, st.floats(0.01, 100.0))
def test_shannon_entropy_is_scale_invariant_but_not_shift_invariant(df: pd.DataFrame,
                                                                     factor: float) -> None:
    weights = entropy_weights(df, variant="shannon")
    scaled = df.assign(x0=df["x0"] * factor)
    np.testing.assert_allclose(entropy_weights(scaled, variant="shannon"), weights, atol=1e-10)


def test_shannon_entropy_changes_when_an_indicator_is_shifted() -> None:
    df = random_matrix(12)
    shifted = df.assign(x0=df["x0"] + 10 * df["x0"].max())
    assert not np.allclose(entropy_weights(shifted, variant="shannon"),
                           entropy_weights(df, variant="shannon"), atol=1e-3)


# ---------------------------------------------------------------- CRITIC, CV, equal


@pytest.mark.oracle
@pytest.mark.parametrize("seed", range(5))
def test_critic_matches_pymcdm(seed: int) -> None:
    from pymcdm.weights import critic_weights as pymcdm_critic
    df = random_matrix(seed, n=15, m=5)
    directions = alternating(df.columns)
    # pymcdm min-maxes every column as a benefit; reversing a cost column x into -x first
    # gives its min-max score (max - x)/(max - min), i.e. the paper's direction-aware form.
    signed = df.to_numpy() * np.array([directions[c] for c in df.columns])
    np.testing.assert_allclose(critic_weights(df, directions), pymcdm_critic(signed),
                               rtol=1e-10)
    # Directions matter: all-benefit differs from the direction-aware weights.
    all_positive = dict.fromkeys(df.columns, 1)
    np.testing.assert_allclose(critic_weights(df, all_positive), pymcdm_critic(df.to_numpy()),
                               rtol=1e-10)


def test_critic_by_hand_two_perfectly_opposed_indicators() -> None:
    # a and b perfectly negatively correlated (r = -1), equal sigma: C = sigma (0 + 2) each.
    # c is a copy of a: r(a, c) = 1, so a and c lose conflict; by hand with sigma s:
    # C_a = s(0 + 2 + 0) = 2s, C_b = s(2 + 0 + 2) = 4s, C_c = 2s -> 0.25, 0.5, 0.25
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 3.0, 2.0, 1.0],
                       "c": [10.0, 20.0, 30.0, 40.0]})
    weights = critic_weights(df, {"a": 1, "b": 1, "c": 1})
    np.testing.assert_allclose(weights, [0.25, 0.5, 0.25])


@settings(max_examples=30, deadline=None)
@given(positive_matrices, st.floats(0.01, 100.0), st.floats(-50.0, 50.0))
def test_critic_weights_are_a_distribution_invariant_to_units_and_order(
    df: pd.DataFrame, factor: float, offset: float
) -> None:
    directions = alternating(df.columns)
    correlation = np.corrcoef(df.to_numpy(), rowvar=False)
    assume(not np.allclose(np.abs(correlation), 1.0))  # else no conflict: CRITIC raises
    weights = critic_weights(df, directions)
    assert (weights >= 0).all() and weights.sum() == pytest.approx(1.0)
    changed = df.assign(x1=df["x1"] * factor + offset).iloc[::-1]
    np.testing.assert_allclose(critic_weights(changed, directions), weights, atol=1e-8)


def test_critic_input_rules() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 4.0], "flat": [5.0, 5.0, 5.0], "b": [2.0, 1.0, 3.0]})
    with pytest.raises(InputError) as info:
        critic_weights(df, {"a": 1, "flat": 1, "b": 1})
    assert info.value.column == "flat"
    weights = critic_weights(df, {"a": 1, "flat": 1, "b": 1}, constant="zero")
    assert weights["flat"] == 0.0
    np.testing.assert_allclose(weights[["a", "b"]],
                               critic_weights(df[["a", "b"]], {"a": 1, "b": 1}))
    with pytest.raises(InputError, match="行"):
        critic_weights(df.iloc[:2], {"a": 1, "flat": 1, "b": 1})
    with pytest.raises(InputError, match="信息"):
        critic_weights(df[["a"]], {"a": 1})


def test_cv_weights_by_hand_and_scale_invariance() -> None:
    df = pd.DataFrame({"a": [1.0, 3.0], "b": [10.0, 12.0]})
    # v_a = sqrt(2)/2, v_b = sqrt(2)/11 -> w_a = 11/13, w_b = 2/13
    np.testing.assert_allclose(cv_weights(df), [11 / 13, 2 / 13])
    np.testing.assert_allclose(cv_weights(df.assign(a=df["a"] * 1e4)), [11 / 13, 2 / 13])
    with pytest.raises(InputError, match="均值") as info:
        cv_weights(pd.DataFrame({"a": [-1.0, -3.0], "b": [1.0, 2.0]}))
    assert info.value.column == "a"
    with pytest.raises(InputError):
        cv_weights(pd.DataFrame({"a": [1.0, 3.0], "b": [2.0, 2.0]}))


def _entropy_d(column: pd.Series, direction: int, shift: float = 1e-4) -> float:
    """1 − e_j of one indicator over its observed rows, by the printed formula."""
    x = column.dropna().to_numpy()
    y = (x - x.min()) / (x.max() - x.min())
    y = (y if direction > 0 else 1 - y) + shift
    p = y / y.sum()
    return 1 + float((p * np.log(p)).sum()) / np.log(len(x))


def test_objective_weights_keep_missing_cells_column_by_column() -> None:
    # indicators that apply only to some units (eligible): each column's statistics over its
    # observed rows; the entropy of b uses n_b = 4 and k = 1/ln 4
    df = pd.DataFrame({"a": [1.0, 4.0, 2.0, 8.0, 5.0, 3.0],
                       "b": [np.nan, 30.0, 10.0, np.nan, 12.0, 50.0],
                       "c": [9.0, 7.0, 8.0, 1.0, 3.0, 2.0]})
    d = {"a": 1, "b": -1, "c": 1}
    with pytest.raises(InputError, match="缺失"):
        entropy_weights(df, d)
    got = entropy_weights(df, d, missing="keep")
    spread = pd.Series({c: _entropy_d(df[c], d[c]) for c in df})
    np.testing.assert_allclose(got, spread / spread.sum(), rtol=1e-12)
    # CRITIC: σ over observed rows, correlations pairwise-complete
    z = (df - df.min()) / (df.max() - df.min())
    z["b"] = 1 - z["b"]
    info = z.std() * (1 - z.corr()).sum()
    np.testing.assert_allclose(critic_weights(df, d, missing="keep"), info / info.sum(),
                               rtol=1e-12)
    cv = df.std() / df.mean()
    np.testing.assert_allclose(cv_weights(df, missing="keep"), cv / cv.sum(), rtol=1e-12)
    with pytest.raises(InputError, match="观测值") as err:
        entropy_weights(df.assign(b=[np.nan] * 5 + [1.0]), d, missing="keep")
    assert err.value.column == "b"


@settings(max_examples=25, deadline=None)
@given(df=positive_matrices)
@example(df=frame(np.array([[0.5, 2.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])))
def test_keep_rule_changes_nothing_without_missing_cells(df: pd.DataFrame) -> None:
    d = alternating(df.columns)
    methods = [lambda m: entropy_weights(df, d, missing=m), lambda m: cv_weights(df, missing=m)]
    if len(df) >= 3:
        methods.append(lambda m: critic_weights(df, d, missing=m))
    for weights in methods:
        try:
            expected = weights("raise")
        except InputError as exc:  # e.g. CRITIC of perfectly correlated indicators
            with pytest.raises(InputError, match=re.escape(exc.args[0][:20])):
                weights("keep")
            continue
        np.testing.assert_allclose(weights("keep"), expected, rtol=1e-9, atol=1e-12)


def test_equal_weights() -> None:
    weights = equal_weights(["a", "b", "c"])
    assert weights.to_dict() == {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}
    assert equal_weights(pd.DataFrame(columns=["x", "y"])).index.tolist() == ["x", "y"]
    with pytest.raises(InputError):
        equal_weights([])
    with pytest.raises(InputError) as info:
        equal_weights(["a", "b", "a"])
    assert info.value.column == "a"


# ---------------------------------------------------------------- AHP


def test_ahp_matches_saaty_wealth_of_nations() -> None:
    result = ahp_weights(WEALTH)
    published = [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094]
    np.testing.assert_allclose(result.weights.to_numpy(), published, atol=5e-4)
    assert result.weights.index.tolist() == NATIONS
    assert result.lambda_max == pytest.approx(7.61, abs=5e-3)
    assert result.ci == pytest.approx((result.lambda_max - 7) / 6)
    assert result.ri == 1.32
    assert result.cr == pytest.approx(result.ci / 1.32)
    assert result.consistent
    assert result.to_frame().loc["US", "rank"] == 1
    assert "通过一致性检验" in result.summary() and "λmax = 7.6077" in result.summary()
    english = result.summary(language="en")
    assert "Analytic hierarchy process" in english and english.endswith(": consistent")
    assert "λmax = 7.6077" in english


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.05, 20.0), min_size=3, max_size=12))
def test_ahp_consistent_matrix_recovers_weights_with_cr_zero(values: list[float]) -> None:
    w = np.array(values) / sum(values)
    result = ahp_weights(np.outer(w, 1 / w))
    np.testing.assert_allclose(result.weights.to_numpy(), w, rtol=1e-8)
    assert result.lambda_max == pytest.approx(len(w))
    assert result.cr == pytest.approx(0.0, abs=1e-9)


def test_ahp_circular_judgements_raise_unless_overridden() -> None:
    # A > B > C > A, each 3x: circulant row (1, 3, 1/3), lambda_max = row sum = 13/3,
    # CI = (13/3 - 3)/2 = 2/3, CR = (2/3)/0.58 = 1.149
    circular = [[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]]
    with pytest.raises(InputError, match="一致性") as info:
        ahp_weights(circular)
    assert "max_cr=None" in info.value.message
    result = ahp_weights(circular, max_cr=None)
    assert result.cr == pytest.approx((2 / 3) / 0.58)
    assert not result.consistent
    np.testing.assert_allclose(result.weights, [1 / 3] * 3)
    assert "未通过" in result.summary()


def test_ahp_order_two_is_always_consistent() -> None:
    result = ahp_weights(pd.DataFrame([[1, 4], [0.25, 1]], index=["a", "b"], columns=["a", "b"]))
    assert result.cr == 0.0 and result.consistent
    np.testing.assert_allclose(result.weights, [0.8, 0.2])


def test_ahp_random_index_table_saaty_1980() -> None:
    assert RANDOM_INDEX["saaty1980"][:10] == (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41,
                                              1.45, 1.49)


@pytest.mark.oracle
def test_ahp_matches_pymcdm() -> None:
    from pymcdm.weights.subjective import AHP
    peer = AHP(matrix=WEALTH.to_numpy())
    ours = ahp_weights(WEALTH, ri="tummala_ling1998")
    np.testing.assert_allclose(ours.weights, peer(), rtol=1e-10)
    assert ours.cr == pytest.approx(peer.get_cr(), rel=1e-10)


@pytest.mark.parametrize(
    ("matrix", "match"),
    [([[1, 2], [0.4, 1]], "互反"), ([[1, 2, 3], [0.5, 1, 2]], "方阵"), ([[2, 1], [1, 2]], "对角线"),
     ([[1, -2], [-0.5, 1]], "正数"), (np.ones((16, 16)), "阶数")],
)
def test_ahp_bad_matrices(matrix, match: str) -> None:
    with pytest.raises(InputError, match=match):
        ahp_weights(matrix)


def test_ahp_accepts_rounded_reciprocals_and_checks_labels() -> None:
    result = ahp_weights([[1, 3, 5], [0.333, 1, 2], [0.2, 0.5, 1]])
    assert result.weights.sum() == pytest.approx(1.0)
    with pytest.raises(InputError, match="标签"):
        ahp_weights(pd.DataFrame([[1, 2], [0.5, 1]], index=["a", "b"], columns=["b", "a"]))


# ---------------------------------------------------------------- combined weights


def test_combine_weights_by_hand() -> None:
    s = pd.Series({"a": 0.6, "b": 0.3, "c": 0.1})
    o = pd.Series({"c": 0.5, "a": 0.25, "b": 0.25})
    # multiplicative: .15, .075, .05 over .275
    np.testing.assert_allclose(combine_weights(s, o), [0.15 / 0.275, 0.075 / 0.275, 0.05 / 0.275])
    # linear alpha = 0.4: .4 s + .6 o = .39, .27, .34
    linear = combine_weights(s, o, method="linear", alpha=0.4)
    np.testing.assert_allclose(linear, [0.39, 0.27, 0.34])
    assert linear.index.tolist() == ["a", "b", "c"]
    # each input is divided by its sum first
    np.testing.assert_allclose(combine_weights(s * 10, o, method="linear"),
                               combine_weights(s, o, method="linear"))


def test_combine_weights_errors() -> None:
    s = pd.Series({"a": 0.5, "b": 0.5})
    with pytest.raises(InputError, match="c"):
        combine_weights(s, pd.Series({"a": 0.5, "c": 0.5}))
    with pytest.raises(InputError, match="alpha"):
        combine_weights(s, s, method="linear", alpha=1.5)
    with pytest.raises(InputError, match="乘积"):
        combine_weights(pd.Series({"a": 1.0, "b": 0.0}), pd.Series({"a": 0.0, "b": 1.0}))
    with pytest.raises(InputError, match="非负") as info:
        combine_weights(pd.Series({"a": 1.5, "b": -0.5}), s)
    assert info.value.column == "b"
    with pytest.raises(InputError, match="method"):
        combine_weights(s, s, method="geometric")


# ---------------------------------------------------------------- weighted sum


def test_weighted_sum_by_hand() -> None:
    z = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [1.0, 1.0, 0.0]}, index=["p", "q", "r"])
    # .7 a + .3 b = .3, .65, .7
    score = weighted_sum(z, pd.Series({"b": 0.3, "a": 0.7}))
    np.testing.assert_allclose(score, [0.3, 0.65, 0.7])
    assert score.index.tolist() == ["p", "q", "r"] and score.name == "score"
    np.testing.assert_allclose(weighted_sum(z, {"a": 0.7, "b": 0.3}, scale=100), [30, 65, 70])


def test_weighted_sum_errors() -> None:
    z = pd.DataFrame({"a": [0.0, 1.0], "b": [1.0, 0.0]})
    with pytest.raises(InputError, match="缺少权重"):
        weighted_sum(z, {"a": 1.0})
    with pytest.raises(InputError, match="多余"):
        weighted_sum(z, {"a": 0.5, "b": 0.3, "c": 0.2})
    with pytest.raises(InputError, match="缺失"):
        weighted_sum(z.assign(a=[np.nan, 1.0]), {"a": 0.5, "b": 0.5})
    with pytest.raises(InputError, match="scale"):
        weighted_sum(z, {"a": 0.5, "b": 0.5}, scale=0)


# ---------------------------------------------------------------- TOPSIS


def test_topsis_minmax_matches_published_case_t1() -> None:
    closeness = topsis(T1, T1_WEIGHTS, T1_DIRECTIONS, normalization="minmax")
    np.testing.assert_allclose(closeness.round(3), [0.500, 0.617, 0.500])
    assert closeness.index.equals(T1.index) and closeness.name == "closeness"


def test_topsis_vector_hwang_yoon_on_t1_by_hand() -> None:
    # r1 = (1, 2, 5)/sqrt(30); r2 = (3000, 3750, 4500)/sqrt(43312500); v = 0.5 r.
    # Cost c1: ideal = min v1, anti = max v1; benefit c2: ideal = max v2, anti = min v2.
    v1 = 0.5 * np.array([1.0, 2.0, 5.0]) / np.sqrt(30.0)
    v2 = 0.5 * np.array([3000.0, 3750.0, 4500.0]) / np.sqrt(43_312_500.0)
    d_plus = np.hypot(v1 - v1.min(), v2 - v2.max())
    d_minus = np.hypot(v1 - v1.max(), v2 - v2.min())
    expected = d_minus / (d_plus + d_minus)  # 0.762, 0.722, 0.238
    closeness = topsis(T1, T1_WEIGHTS, T1_DIRECTIONS)
    np.testing.assert_allclose(closeness, expected, rtol=1e-12)
    np.testing.assert_allclose(closeness.round(3), [0.762, 0.722, 0.238])


def test_topsis_distance_forms() -> None:
    # equal weights: w and w^2 are proportional, so both forms agree
    for normalization in ("vector", "minmax"):
        np.testing.assert_allclose(
            topsis(T1, T1_WEIGHTS, T1_DIRECTIONS, normalization=normalization,
                   distance="weighted_squares"),
            topsis(T1, T1_WEIGHTS, T1_DIRECTIONS, normalization=normalization))
    # unequal weights: weighted squares with w == Hwang-Yoon with sqrt(w)
    df = random_matrix(13)
    directions = alternating(df.columns)
    w = pd.Series([0.4, 0.1, 0.2, 0.25, 0.05], index=df.columns)
    squares = topsis(df, w, directions, distance="weighted_squares")
    np.testing.assert_allclose(squares, topsis(df, np.sqrt(w), directions), rtol=1e-12)
    assert not np.allclose(squares, topsis(df, w, directions), atol=1e-3)


@pytest.mark.oracle
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_topsis_matches_pymcdm(seed: int, normalization: str) -> None:
    from pymcdm import normalizations
    from pymcdm.methods import TOPSIS
    df = random_matrix(seed, n=25, m=5)
    directions = alternating(df.columns)
    w = pd.Series(np.random.default_rng(seed).dirichlet(np.ones(5)), index=df.columns)
    peer = TOPSIS(getattr(normalizations, f"{normalization}_normalization"))
    types = np.array([directions[c] for c in df.columns])
    np.testing.assert_allclose(topsis(df, w, directions, normalization=normalization),
                               peer(df.to_numpy(), w.to_numpy(), types), rtol=1e-10)


@settings(max_examples=40, deadline=None)
@given(positive_matrices, st.floats(0.01, 100.0), st.sampled_from(["vector", "minmax"]),
       st.sampled_from(["hwang_yoon", "weighted_squares"]))
def test_topsis_closeness_in_unit_interval_and_invariant_to_scale_and_order(
    df: pd.DataFrame, factor: float, normalization: str, distance: str
) -> None:
    directions = alternating(df.columns)
    w = pd.Series(np.linspace(1.0, 2.0, df.shape[1]), index=df.columns)
    c = topsis(df, w, directions, normalization=normalization, distance=distance)
    assert ((c >= 0) & (c <= 1)).all()
    rescaled = df.assign(x0=df["x0"] * factor).iloc[::-1]
    np.testing.assert_allclose(
        topsis(rescaled, w * 3, directions, normalization=normalization, distance=distance),
        c.iloc[::-1], atol=1e-9)


def test_topsis_minmax_is_shift_invariant_vector_is_not() -> None:
    df = random_matrix(14)
    directions = alternating(df.columns)
    w = equal_weights(df)
    shifted = df.assign(x0=df["x0"] + 5 * df["x0"].max())
    np.testing.assert_allclose(topsis(shifted, w, directions, normalization="minmax"),
                               topsis(df, w, directions, normalization="minmax"), atol=1e-12)
    assert not np.allclose(topsis(shifted, w, directions), topsis(df, w, directions), atol=1e-3)


def test_topsis_errors() -> None:
    with pytest.raises(InputError, match="normalization"):
        topsis(T1, T1_WEIGHTS, T1_DIRECTIONS, normalization="sum")
    with pytest.raises(InputError, match="distance"):
        topsis(T1, T1_WEIGHTS, T1_DIRECTIONS, distance="euclid")
    with pytest.raises(InputError, match="缺少权重"):
        topsis(T1, {"c1_cost": 1.0}, T1_DIRECTIONS)
    flat = T1.assign(c2_benefit=1.0)
    with pytest.raises(InputError) as info:
        topsis(flat, T1_WEIGHTS, T1_DIRECTIONS, normalization="minmax")
    assert info.value.column == "c2_benefit"
    with pytest.raises(InputError, match="贴近度"):
        topsis(flat, {"c1_cost": 0.0, "c2_benefit": 1.0}, T1_DIRECTIONS,
               normalization="minmax", constant="zero")


# ---------------------------------------------------------------- sample panel


def test_pooled_entropy_index_on_the_sample_panel() -> None:
    sample = load_sample()
    framework = load_framework()
    ids = list(framework.indicator_ids)
    panel = sample.panel.set_index(["region_code", "year"])[ids]
    directions = framework.indicator_table()["direction"]
    with pytest.raises(InputError, match="缺失"):
        entropy_weights(panel, directions)
    complete = panel.dropna()
    weights = entropy_weights(complete, directions)
    assert weights.index.tolist() == ids and weights.sum() == pytest.approx(1.0)
    score = weighted_sum(normalize(complete, directions), weights, scale=100)
    assert score.between(0, 100).all() and score.index.equals(complete.index)
    by_year = normalize(complete, directions, scope=complete.index.get_level_values("year"))
    assert np.allclose(by_year.groupby(level="year").max(), 1.0)
    kept = normalize(panel, directions, missing="keep")
    assert kept.isna().equals(panel.isna())
