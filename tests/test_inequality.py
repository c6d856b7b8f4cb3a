"""Specification of linkage.inequality: Gini, Theil T/L, Dagum decomposition, income gaps."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.errors import InputError
from linkage.inequality import (
    change_sign,
    dagum_gini,
    gap_change,
    gap_trend,
    gini,
    gini_grouped,
    income_gap,
    theil,
    theil_ci,
    theil_stats,
)

incomes = st.lists(st.floats(min_value=0.0, max_value=1e6, allow_subnormal=False),
                   min_size=2, max_size=40).filter(lambda v: sum(v) > 1e-3)
positive_incomes = st.lists(st.floats(min_value=1.0, max_value=1e6), min_size=2, max_size=40)


def _brute_gini(y, w):
    """Definition: G = Σ_i Σ_r w_i w_r |y_i − y_r| / (2 W² μ)."""
    y, w = np.asarray(y, float), np.asarray(w, float)
    mu = (w * y).sum() / w.sum()
    return (np.outer(w, w) * np.abs(y[:, None] - y[None, :])).sum() / (2 * w.sum() ** 2 * mu)


# ------------------------------------------------------------------ published / hand cases

def test_theil_case_inq2_two_groups_is_ln2():
    # Case INQ2 (pysal inequality tests): all income in one of two equal-sized groups.
    r = theil(pd.Series([0, 0, 0, 10, 10, 10]), groups=pd.Series([0, 0, 0, 1, 1, 1]))
    assert r.total == pytest.approx(0.6931471805599453, abs=1e-15)
    assert r.between == pytest.approx(0.6931471805599453, abs=1e-15)
    assert r.within == pytest.approx(0.0, abs=1e-15)


def test_gini_hand_cases():
    # 2·(1·1+2·2+3·3+4·4)/(4·10) − 5/4 = 60/40 − 1.25 = 0.25
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25, abs=1e-15)
    # one person holds everything: G = (n−1)/n
    assert gini([0, 0, 0, 5]) == pytest.approx(0.75, abs=1e-15)
    assert gini([7, 7, 7]) == 0.0
    # unbiased: × n/(n−1) = 0.25·4/3
    assert gini([1, 2, 3, 4], correction="unbiased") == pytest.approx(1 / 3, abs=1e-15)


def test_gini_grouped_hand_quintiles():
    # Lorenz points 0.05, 0.15, 0.30, 0.55, 1; Σ(L_{k−1}+L_k) = 3.1; G = 1 − 0.2·3.1 = 0.38
    assert gini_grouped([20] * 5, [5, 10, 15, 25, 45]) == pytest.approx(0.38, abs=1e-15)
    # groups may come in any order and as fractions
    assert gini_grouped([0.2] * 5, [0.45, 0.05, 0.25, 0.1, 0.15]) == pytest.approx(0.38)


def test_gini_grouped_equals_unit_gini_when_groups_are_homogeneous():
    y = np.array([1.0, 1.0, 3.0, 6.0, 6.0, 6.0])
    pops = np.array([2, 1, 3]) / 6
    incs = np.array([2.0, 3.0, 18.0]) / 23
    assert gini_grouped(pops, incs) == pytest.approx(gini(y), abs=1e-14)


def test_dagum_hand_case():
    # a=(1,2), b=(3,4): Δ_aa=Δ_bb=0.5, G_aa=1/6, G_bb=1/14, p=(½,½), s=(0.3,0.7)
    # G_w = ½·0.3/6 + ½·0.7/14 = 0.05; Δ_ab=2, G_ab=0.4, D_ab=1 → G_nb=0.4·(0.35+0.15)=0.2
    r = dagum_gini([1, 2, 3, 4], groups=["a", "a", "b", "b"])
    assert r.within == pytest.approx(0.05)
    assert r.net_between == pytest.approx(0.2)
    assert r.transvariation == pytest.approx(0.0, abs=1e-15)
    assert r.total == pytest.approx(0.25)
    assert r.between.loc["a", "b"] == pytest.approx(0.4)
    assert r.groups.loc["a", "gini"] == pytest.approx(1 / 6)
    assert list(r.to_frame().index) == ["total", "within", "net_between", "transvariation"]
    assert "Dagum" in r.summary()


def test_dagum_matches_pairwise_definition_with_weights():
    rng = np.random.default_rng(3)
    y = rng.lognormal(9, 0.6, 60)
    w = rng.uniform(0.5, 3, 60)
    g = rng.choice(["东部", "中部", "西部"], 60)
    r = dagum_gini(y, groups=g, weights=w)
    for j in ["东部", "中部", "西部"]:
        for h in ["东部", "中部", "西部"]:
            a, b = g == j, g == h
            delta = (np.outer(w[a], w[b]) * np.abs(y[a][:, None] - y[b][None, :])).sum() / (
                w[a].sum() * w[b].sum())
            mj, mh = np.average(y[a], weights=w[a]), np.average(y[b], weights=w[b])
            expected = delta / (2 * mj) if j == h else delta / (mj + mh)
            assert r.between.loc[j, h] == pytest.approx(expected, rel=1e-12)
            if j != h:
                d = (np.outer(w[a], w[b]) * np.clip(y[a][:, None] - y[b][None, :], 0, None)
                     ).sum() / (w[a].sum() * w[b].sum())
                p = delta - d
                richer_d, richer_p = (d, p) if mj > mh else (p, d)
                assert r.relative_affluence.loc[j, h] == pytest.approx(
                    (richer_d - richer_p) / (richer_d + richer_p), rel=1e-10)
    assert r.total == pytest.approx(_brute_gini(y, w), rel=1e-12)


# ------------------------------------------------------------------ Theil details

def test_theil_l_hand_case_and_zero_rules():
    # L of (1, 4): μ = 2.5; L = ln 2.5 − (ln1 + ln4)/2 = ln 2.5 − ln 2 = ln 1.25
    assert theil([1, 4], kind="L").total == pytest.approx(math.log(1.25), abs=1e-15)
    with pytest.raises(InputError, match="0"):
        theil([0, 1, 4], kind="L")
    dropped = theil([0, 1, 4], kind="L", zeros="drop")
    assert dropped.n_dropped == 1 and dropped.n == 2
    assert dropped.total == pytest.approx(math.log(1.25), abs=1e-15)


def test_theil_group_table_and_summary():
    r = theil([1, 2, 3, 6], groups=pd.Series(["甲", "甲", "乙", "乙"]))
    assert set(r.groups.index) == {"甲", "乙"}
    assert r.groups["income_share"].sum() == pytest.approx(1.0)
    assert r.groups["within_contribution"].sum() == pytest.approx(r.within)
    assert r.to_frame().loc["total", "share_pct"] == 100.0
    assert "泰尔T指数" in r.summary()


def test_theil_chunks_combine_exactly():
    rng = np.random.default_rng(7)
    n = 10_007
    y = rng.lognormal(9.5, 0.8, n)
    y[rng.choice(n, 50, replace=False)] = 0.0
    w = rng.uniform(1, 6, n)
    g = rng.choice(["脱贫县", "非脱贫县", "重点帮扶县"], n)
    cuts = [0, 13, 900, 901, 4000, 7777, 9000, n]  # 7 uneven chunks
    stats = [theil_stats(y[a:b], groups=g[a:b], weights=w[a:b])
             for a, b in itertools.pairwise(cuts)]
    combined = stats[0]
    for s in stats[1:]:
        combined = combined + s
    for kind, zeros in [("T", "raise"), ("L", "drop")]:
        one = theil(y, groups=g, weights=w, kind=kind, zeros=zeros)
        parts = combined.result(kind=kind, zeros=zeros)
        for field in ("total", "between", "within"):
            assert getattr(parts, field) == pytest.approx(getattr(one, field), abs=1e-12)


# ------------------------------------------------------------------ oracle

@pytest.mark.oracle
def test_matches_pysal_inequality():
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    rng = np.random.default_rng(11)
    y = rng.lognormal(8, 1.0, 500)
    part = rng.integers(0, 4, 500)
    assert gini(y) == pytest.approx(Gini(y).g, abs=1e-12)
    assert theil(y).total == pytest.approx(float(np.squeeze(Theil(y).T)), abs=1e-12)
    d = TheilD(y, part)
    r = theil(y, groups=part)
    assert r.between == pytest.approx(float(np.squeeze(d.bg)), abs=1e-12)
    assert r.within == pytest.approx(float(np.squeeze(d.wg)), abs=1e-12)


# ------------------------------------------------------------------ properties

@settings(max_examples=60, deadline=None)
@given(incomes, st.data())
def test_theil_within_plus_between_is_total(y, data):
    groups = data.draw(st.lists(st.sampled_from("abc"), min_size=len(y), max_size=len(y)))
    r = theil(y, groups=groups)
    assert r.within + r.between == pytest.approx(r.total, abs=1e-9)
    pos = [v if v > 0 else 1.0 for v in y]
    r = theil(pos, groups=groups, kind="L")
    assert r.within + r.between == pytest.approx(r.total, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(incomes, st.floats(min_value=1e-3, max_value=1e3), st.randoms(use_true_random=False))
def test_gini_bounds_and_invariances(y, scale, rnd):
    g = gini(y)
    assert 0.0 <= g < 1.0
    shuffled = list(y)
    rnd.shuffle(shuffled)
    assert gini(shuffled) == pytest.approx(g, abs=1e-12)
    assert gini([v * scale for v in y]) == pytest.approx(g, abs=1e-9)
    assert theil(shuffled).total == pytest.approx(theil(y).total, abs=1e-9)
    assert theil([v * scale for v in y]).total == pytest.approx(theil(y).total, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(positive_incomes, st.data())
def test_integer_weights_equal_replicated_rows(y, data):
    w = data.draw(st.lists(st.integers(1, 5), min_size=len(y), max_size=len(y)))
    groups = data.draw(st.lists(st.sampled_from("xy"), min_size=len(y), max_size=len(y)))
    rep_y, rep_g = np.repeat(y, w), np.repeat(groups, w)
    assert gini(y, weights=w) == pytest.approx(gini(rep_y), abs=1e-12)
    for kind in ("T", "L"):
        a, b = theil(y, groups=groups, weights=w, kind=kind), theil(rep_y, groups=rep_g,
                                                                     kind=kind)
        assert (a.between, a.within) == pytest.approx((b.between, b.within), abs=1e-9)
    if len(set(groups)) == 2:
        a, b = dagum_gini(y, groups=groups, weights=w), dagum_gini(rep_y, groups=rep_g)
        assert a.net_between == pytest.approx(b.net_between, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(incomes, st.data())
def test_dagum_components_sum_to_gini(y, data):
    groups = data.draw(st.lists(st.sampled_from("pqrs"), min_size=len(y), max_size=len(y)))
    r = dagum_gini(y, groups=groups)
    assert r.within + r.net_between + r.transvariation == pytest.approx(r.total, abs=1e-12)
    assert r.total == pytest.approx(gini(y), abs=1e-12)
    assert min(r.within, r.net_between, r.transvariation) >= -1e-12


# ------------------------------------------------------------------ gaps

def test_income_gap_weighted_against_all_and_against_reference():
    df = pd.DataFrame({
        "year": [2020, 2020, 2020, 2021, 2021, 2021],
        "poverty_county": [True, True, False, True, False, False],
        "rural_income": [10.0, 20.0, 30.0, 12.0, 30.0, 36.0],
        "pop": [1.0, 3.0, 4.0, 2.0, 1.0, 1.0],
    })
    out = income_gap(df, value="rural_income", group="poverty_county", weights="pop")
    # 2020: poor mean (10+60)/4 = 17.5; all (10+60+120)/8 = 23.75
    assert out.loc[(2020, True), "mean"] == pytest.approx(17.5)
    assert out.loc[(2020, True), "ratio"] == pytest.approx(17.5 / 23.75)
    assert out.loc[(2020, True), "difference"] == pytest.approx(17.5 - 23.75)
    assert out.loc[(2021, False), "n"] == 2
    vs = income_gap(df, value="rural_income", group="poverty_county", reference=False)
    # 2021 unweighted: 12 / mean(30, 36) = 12/33
    assert vs.loc[(2021, True), "ratio"] == pytest.approx(12 / 33)


def test_income_gap_missing_rule():
    df = pd.DataFrame({"year": [2020, 2020, 2020], "g": ["a", "b", "b"],
                       "v": [1.0, np.nan, 3.0]})
    with pytest.raises(InputError, match="缺失"):
        income_gap(df, value="v", group="g")
    out = income_gap(df, value="v", group="g", missing="drop")
    assert out.loc[(2020, "b"), "n"] == 1
    assert out.attrs["n_dropped"] == 1  # the drop is counted, not silent
    with pytest.raises(InputError, match="缺少列"):
        income_gap(df, value="income", group="g")
    with pytest.raises(InputError, match="missing"):
        income_gap(df, value="v", group="g", missing="keep")  # not a rule income_gap offers


def test_income_gap_named_weight_column_must_exist():
    # a weighted mean never silently becomes an unweighted one
    df = pd.DataFrame({"year": [2020, 2020], "g": ["a", "b"], "v": [1.0, 3.0]})
    with pytest.raises(InputError, match="rural_population"):
        income_gap(df, value="v", group="g", weights="rural_population")


def _two_groups(n: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "year": np.repeat([2020, 2025], n),
        "poor": np.tile(np.arange(n) < n // 3, 2),
        "income": rng.lognormal(9, 0.3, 2 * n) * np.tile(np.where(np.arange(n) < n // 3,
                                                                   0.7, 1.0), 2),
        "pop": rng.uniform(10, 50, 2 * n),
    })


def test_income_gap_bootstrap_interval_is_reproducible_and_brackets_the_estimate():
    df = _two_groups()
    a = income_gap(df, value="income", group="poor", weights="pop", reference=False, ci=True,
                   reps=299, seed=5)
    b = income_gap(df, value="income", group="poor", weights="pop", reference=False, ci=True,
                   reps=299, seed=5)
    pd.testing.assert_frame_equal(a, b)
    for name in ("mean", "ratio", "difference"):
        assert (a[f"{name}_ci_low"] <= a[name]).all() and (a[name] <= a[f"{name}_ci_high"]).all()
    # the reference group's ratio to itself is 1 in every draw: a zero-width interval
    ref = a.xs(False, level="poor")
    assert np.allclose(ref["ratio_ci_low"], 1) and np.allclose(ref["ratio_ci_high"], 1)
    assert a.attrs["reps"] == 299 and a.attrs["level"] == 0.95


def test_income_gap_bootstrap_se_of_a_mean_is_the_textbook_one():
    # unweighted mean of one cell: bootstrap SD → s·√((n−1)/n)/√n (Efron & Tibshirani eq. 5.8)
    df = _two_groups(n=90, seed=3)
    out = income_gap(df, value="income", group="poor", reference=False, ci=True, reps=4000,
                     seed=1, level=0.6827)
    cell = df[(df.year == 2020) & df.poor]["income"]
    se = cell.std(ddof=0) / math.sqrt(len(cell))
    half_width = (out.loc[(2020, True), "mean_ci_high"] - out.loc[(2020, True), "mean_ci_low"]) / 2
    assert half_width == pytest.approx(se, rel=0.1)


def test_theil_ci_brackets_the_decomposition_and_narrows_with_more_units():
    rng = np.random.default_rng(2)
    small = rng.lognormal(9, 0.5, 40) * np.repeat([1.0, 1.6], 20)
    large = rng.lognormal(9, 0.5, 1000) * np.repeat([1.0, 1.6], 500)
    a = theil_ci(small, groups=np.repeat(["p", "q"], 20), reps=499, seed=1)
    b = theil_ci(large, groups=np.repeat(["p", "q"], 500), reps=499, seed=1)
    point = theil(small, groups=np.repeat(["p", "q"], 20))
    assert a.loc["between", "estimate"] == pytest.approx(point.between)
    assert a.loc["between_share", "estimate"] == pytest.approx(point.between / point.total)
    assert (a["ci_low"] <= a["estimate"]).all() and (a["estimate"] <= a["ci_high"]).all()
    width = (a["ci_high"] - a["ci_low"]) / (b["ci_high"] - b["ci_low"])
    assert (width > 2).all()  # √(1000/40) = 5 in theory
    pd.testing.assert_frame_equal(a, theil_ci(small, groups=np.repeat(["p", "q"], 20),
                                              reps=499, seed=1))


def test_theil_ci_checks_its_options():
    with pytest.raises(InputError, match="reps"):
        theil_ci([1.0, 2.0], reps=1)
    with pytest.raises(InputError, match="level"):
        theil_ci([1.0, 2.0], level=95)


def test_summaries_follow_language():
    t = theil([1, 2, 3, 6], groups=["a", "a", "b", "b"])
    d = dagum_gini([1, 2, 3, 4], groups=["a", "a", "b", "b"])
    assert "组间" in t.summary() and "between groups" in t.summary("en")
    assert f"{t.total:.4f}" in t.summary("en")
    assert "超变密度" in d.summary() and "transvariation" in d.summary(language="en")
    with pytest.raises(InputError, match="language"):
        t.summary("fr")


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize(("call", "match"), [
    (lambda: gini([1.0, np.nan]), "缺失"),
    (lambda: gini([1.0, -2.0]), "≥ 0.*底部编码"),
    (lambda: gini([0.0, 0.0]), "总和为 0"),
    (lambda: gini([1.0, 2.0], weights=[1.0]), "weights.*2 个值"),
    (lambda: gini([1.0, 2.0], weights=[1.0, 0.0]), "weights.*> 0"),
    (lambda: gini(pd.Series([1.0, 2.0], index=[5, 6]), weights=pd.Series([1.0, 1.0])), "索引"),
    (lambda: gini([]), "为空"),
    (lambda: gini([1.0, 2.0], correction="sample"), "correction"),
    (lambda: theil([1.0, 2.0], kind="GE2"), "kind"),
    (lambda: theil([1.0, 2.0], groups=["a", None]), "分组"),
    (lambda: gini_grouped([0, 50, 50], [0, 40, 60]), "人口份额"),
])
def test_bad_input_raises_named_errors(call, match):
    with pytest.raises(InputError, match=match):
        call()


# ------------------------------------------------------------------ gap trends

@pytest.mark.parametrize(("first", "last", "sign", "direction", "expected"), [
    (0.7, 0.8, 1, 1, "catching_up"),       # behind, closer, interval above 0
    (0.7, 0.6, -1, 1, "not_narrowed"),     # behind, further
    (0.7, 0.8, 0, 1, "behind_unclear"),    # closer on the point estimate, interval covers 0
    (0.7, 0.6, 0, 1, "behind_unclear"),
    (0.7, 1.1, 1, 1, "overtook"),
    (0.7, 1.1, 0, 1, "behind_unclear"),    # even a sign change needs the interval
    (1.2, 1.1, -1, 1, "lead_narrowed"),    # ahead all along: never "narrowed" as catching up
    (1.1, 1.2, 1, 1, "lead_widened"),
    (1.1, 1.2, 0, 1, "ahead_unclear"),
    (1.1, 0.9, -1, 1, "lost_lead"),
    (1.3, 1.1, -1, -1, "catching_up"),     # lower is better: 1.3 is behind, the ratio fell
    (0.8, 0.9, 1, -1, "lead_narrowed"),
    (0.8, 1.25, 1, 1, "overtook"),
    (0.8, 0.8, 0, 1, "behind_unclear"),    # unchanged is not narrowed
])
def test_gap_trend_classifies_who_leads_and_the_change_by_its_interval(
        first, last, sign, direction, expected):
    low, high = {1: (0.01, 0.2), -1: (-0.2, -0.01), 0: (-0.05, 0.1)}[sign]
    assert gap_trend(first, last, ci_low=low, ci_high=high,
                     direction=direction).tolist() == [expected]


def test_gap_trend_checks_its_inputs():
    with pytest.raises(InputError, match="direction"):
        gap_trend([0.5], [0.6], ci_low=0.1, ci_high=0.2, direction=2)
    with pytest.raises(InputError, match="last"):
        gap_trend([0.5], [0.0], ci_low=0.1, ci_high=0.2)
    with pytest.raises(InputError, match="区间"):
        gap_trend([0.5], [0.6], ci_low=0.3, ci_high=0.2)
    with pytest.raises(TypeError):
        gap_trend([0.5], [0.6])  # no verdict without the interval of the change
    assert change_sign([0.0, -1e-9], [1.0, 0.0]).tolist() == [0, 0]  # touching 0 covers it


def _county_panel(n: int, *, trend: float, noise: float, persistence: float, seed: int):
    """Counties observed in 2015 and 2025: a county effect shared by both years (sd 0.3 in
    logs) and year noise; poor counties gain ``trend`` (log points) over the other ones."""
    rng = np.random.default_rng(seed)
    county = np.arange(n)
    poor = county < n // 2
    effect = rng.normal(0, 0.3, n)
    rows = []
    for year, shift in ((2015, 0.0), (2025, trend)):
        log = (9 + persistence * effect + np.where(poor, -0.3 + shift, 0.0)
               + rng.normal(0, noise, n))
        rows.append(pd.DataFrame({"county": county, "year": year, "poor": poor,
                                  "income": np.exp(log)}))
    return pd.concat(rows, ignore_index=True)


def test_gap_change_resamples_counties_jointly_across_years():
    """The change gets its own interval: with a persistent county effect the two years are
    strongly correlated, so the change is far more precise than two independent years —
    the joint (clustered) interval is narrower than the row bootstrap's, and reproducible."""
    df = _county_panel(60, trend=0.03, noise=0.05, persistence=1.0, seed=4)
    options = {"value": "income", "group": "poor", "first": 2015, "last": 2025,
               "reference": False, "reps": 999, "seed": 3}
    joint = gap_change(df, cluster="county", strata="poor", **options)
    rows = gap_change(df, **options)
    point = income_gap(df, value="income", group="poor", reference=False)
    change = point.loc[(2025, True), "ratio"] - point.loc[(2015, True), "ratio"]
    assert joint.loc[True, "ratio_change"] == pytest.approx(change)
    assert rows.loc[True, "ratio_change"] == pytest.approx(change)
    width = {name: t.loc[True, "ratio_change_ci_high"] - t.loc[True, "ratio_change_ci_low"]
             for name, t in (("joint", joint), ("rows", rows))}
    assert width["joint"] < width["rows"] / 3
    assert joint.attrs["units"] == 60 and joint.attrs["strata"] == 2
    pd.testing.assert_frame_equal(joint, gap_change(df, cluster="county", strata="poor",
                                                    **options))
    # the reference group's ratio to itself never changes
    assert joint.loc[False, "ratio_change_ci_low"] == pytest.approx(0)
    assert joint.loc[False, "ratio_change_ci_high"] == pytest.approx(0)


def test_a_positive_point_change_with_an_interval_covering_zero_is_not_a_trend():
    """Constructed: the poor counties' ratio rises on the point estimate in both panels, but
    only the precise one (small year noise) has an interval above 0."""
    noisy = _county_panel(40, trend=0.02, noise=0.25, persistence=0.2, seed=11)
    clear = _county_panel(200, trend=0.10, noise=0.03, persistence=1.0, seed=11)
    options = {"value": "income", "group": "poor", "first": 2015, "last": 2025,
               "reference": False, "cluster": "county", "strata": "poor", "reps": 999,
               "seed": 1}
    a, b = gap_change(noisy, **options).loc[True], gap_change(clear, **options).loc[True]
    assert a["ratio_change"] > 0 and b["ratio_change"] > 0
    assert a["ratio_change_ci_low"] < 0 < a["ratio_change_ci_high"]
    assert b["ratio_change_ci_low"] > 0
    verdicts = [gap_trend(r["ratio_first"], r["ratio_last"], ci_low=r["ratio_change_ci_low"],
                          ci_high=r["ratio_change_ci_high"]).item() for r in (a, b)]
    assert verdicts == ["behind_unclear", "catching_up"]


def test_gap_change_and_clusters_check_their_inputs():
    df = _county_panel(10, trend=0.1, noise=0.1, persistence=1.0, seed=0)
    with pytest.raises(InputError, match="2030"):
        gap_change(df, value="income", group="poor", first=2015, last=2030)
    crossing = df.assign(poor=np.where(df["year"] == 2015, df["poor"], ~df["poor"]))
    with pytest.raises(InputError, match="跨越"):
        income_gap(crossing, value="income", group="poor", cluster="county", strata="poor",
                   ci=True, reps=50, seed=1)
    with pytest.raises(InputError, match="county"):
        income_gap(df.assign(county=df["county"].where(df.index != 3)), value="income",
                   group="poor", cluster="county")


def test_income_gap_changes_since_a_base_year_come_from_the_same_draws():
    df = _county_panel(30, trend=0.05, noise=0.1, persistence=1.0, seed=2)
    out = income_gap(df, value="income", group="poor", reference=False, ci=True,
                     cluster="county", strata="poor", base=2015, reps=299, seed=8)
    change = out.loc[(2025, True), "ratio"] - out.loc[(2015, True), "ratio"]
    assert out.loc[(2025, True), "ratio_change"] == pytest.approx(change)
    assert out.loc[(2015, True), ["ratio_change", "ratio_change_ci_low",
                                  "ratio_change_ci_high"]].tolist() == [0, 0, 0]
    pair = gap_change(df, value="income", group="poor", reference=False, first=2015,
                      last=2025, cluster="county", strata="poor", reps=299, seed=8)
    assert pair.loc[True, "ratio_change_ci_low"] == pytest.approx(
        out.loc[(2025, True), "ratio_change_ci_low"])
    assert out.attrs["base"] == 2015 and out.attrs["cluster"] == "county"
    with pytest.raises(InputError, match="基期"):
        income_gap(df, value="income", group="poor", base=2030)
