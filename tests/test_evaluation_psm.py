"""Specification of linkage.evaluation.psm: propensity-score matching, balance, PSM-DID."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from linkage.errors import InputError
from linkage.evaluation import balance_table, psm_did, psm_match


def selected(seed: int, n: int = 800) -> pd.DataFrame:
    """Selection on observables: treatment more likely with high x1 and low x2."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    p = 1 / (1 + np.exp(-(-1.8 + 1.0 * x1 - 0.7 * x2)))
    return pd.DataFrame({"T": (rng.uniform(size=n) < p).astype(int), "x1": x1, "x2": x2})


def selected_panel(seed: int, effect: float = 0.25) -> pd.DataFrame:
    """Units with trends that depend on x1, x2 (so plain DID is biased); treated from t = 3."""
    rng = np.random.default_rng(seed)
    units = selected(seed).rename_axis("unit").reset_index()
    df = units.loc[units.index.repeat(6)].reset_index(drop=True)
    df["t"] = np.tile(np.arange(6), len(units))
    df["D"] = (df["T"] * (df.t >= 3)).astype(int)
    df["y"] = (effect * df.D + (0.3 * df.x1 - 0.2 * df.x2) * df.t
               + rng.normal(size=len(df)).round(6) * 0.2)
    return df


def test_balance_improves_after_matching():
    df = selected(0)
    for kwargs in ({}, {"replace": False}, {"method": "kernel"}, {"k": 3},
                   {"caliper": 0.05}):
        m = psm_match(df, "T", ["x1", "x2"], **kwargs)
        b = m.balance
        assert (b["std_diff_after"].abs() < b["std_diff_before"].abs()).all(), kwargs
        # matching on the score removes most of the bias (|std. diff.| 60–100 % before);
        # what remains is sampling noise of the matched sample
        assert (b["reduction"] > 60).all(), kwargs


def test_standardised_difference_by_hand():
    df = pd.DataFrame({"T": [1, 1, 0, 0, 0], "x": [2.0, 4.0, 1.0, 2.0, 3.0]})
    b = balance_table(df, df["T"].astype(bool), ["x"], pd.Series(np.ones(5)))
    # means 3 and 2; variances 2 and 1 → 100·1/sqrt(1.5)
    assert b.loc["x", "std_diff_before"] == pytest.approx(100 / np.sqrt(1.5))
    assert b.loc["x", "var_ratio_before"] == pytest.approx(2.0)


def test_without_replacement_uses_each_control_once():
    df = selected(1)
    m = psm_match(df, "T", ["x1", "x2"], replace=False)
    control = m.weights[df["T"] == 0]
    assert set(np.unique(control)) <= {0.0, 1.0}
    assert control.sum() == m.weights[df["T"] == 1].sum()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 4),
       method=st.sampled_from(["nearest", "kernel"]))
def test_control_weights_sum_to_matched_treated(seed, k, method):
    # ATT weights: every matched treated unit distributes a total weight of 1 over controls.
    df = selected(seed, n=150)
    m = psm_match(df, "T", ["x1", "x2"], k=k, method=method, bandwidth=0.2)
    w = m.weights
    assert w[df["T"] == 0].sum() == pytest.approx(w[df["T"] == 1].sum())
    assert (w >= 0).all()


def test_psm_did_recovers_effect_where_plain_did_is_biased():
    df = selected_panel(2)
    from linkage.evaluation import twfe_did

    plain = twfe_did(df, "y", unit="unit", time="t", treated="D")
    r = psm_did(df, "y", unit="unit", time="t", treated="D", covariates=["x1", "x2"],
                method="kernel", bandwidth=0.06)
    assert abs(plain.coef - 0.25) > 0.2  # selection on trends
    assert abs(r.did.coef - 0.25) < 0.1
    assert r.did.fit.nobs < len(df)  # weight-0 controls left out


def test_common_support_plot_and_errors():
    m = psm_match(selected(3), "T", ["x1", "x2"])
    fig = m.plot_common_support()
    assert isinstance(fig, Figure) and fig.axes[0].get_title() == "匹配前"
    with pytest.raises(InputError, match="k=1"):
        psm_match(selected(3), "T", ["x1"], replace=False, k=2)
    with pytest.raises(InputError, match="method"):
        psm_match(selected(3), "T", ["x1"], method="radius")
    with pytest.raises(InputError, match="一组"):
        psm_match(selected(3).assign(T=1), "T", ["x1"])


# --------------------------------------------------------------------------- inference


def test_fixed_matching_is_the_default_and_says_so():
    df = selected_panel(2)
    r = psm_did(df, "y", unit="unit", time="t", treated="D", covariates=["x1", "x2"],
                method="kernel")
    assert r.inference == "fixed" and r.draws is None
    assert (r.coef, r.se, r.pvalue, r.ci) == (r.did.coef, r.did.se, r.did.pvalue, r.did.ci)
    assert "视匹配为给定" in r.summary() and "matching treated as fixed" in r.summary("en")
    assert list(r.tidy().columns) == ["term", "coef", "se", "stat", "pvalue", "ci_low",
                                      "ci_high", "nobs"]


def test_weighted_did_of_each_draw_equals_twfe_with_weights():
    """The bootstrap's fast weighted DID (pyfixest demeaning + FWL) is twfe_did's estimate,
    also on an unbalanced panel."""
    from linkage.evaluation import twfe_did
    from linkage.evaluation.psm import _weighted_did

    df = selected_panel(4).iloc[7:]  # unbalanced
    w = np.random.default_rng(0).choice([0.0, 0.5, 1.0, 2.0], df["unit"].nunique())
    weights = df["unit"].map(pd.Series(w, index=df["unit"].unique()))
    fe = np.column_stack([pd.factorize(df.unit)[0], pd.factorize(df.t)[0]]).astype(np.uint64)
    fast = _weighted_did(df.y.to_numpy(float), df.D.to_numpy(float), fe, weights.to_numpy())
    slow = twfe_did(df.assign(w=weights.to_numpy()), "y", unit="unit", time="t", treated="D",
                    weights="w").coef
    assert fast == pytest.approx(slow, rel=1e-9)


def test_rematching_bootstrap_is_seeded_and_tracks_the_sampling_spread():
    """The re-matching bootstrap SE is close to the estimator's spread over 60 fresh samples
    of the same design (kernel matching, where the bootstrap is valid), while the fixed-matching
    SE ignores the matching step."""
    def estimate(sample, **kw):
        return psm_did(selected_panel(sample), "y", unit="unit", time="t", treated="D",
                       covariates=["x1", "x2"], method="kernel", **kw)

    spread = np.std([estimate(s).coef for s in range(100, 160)], ddof=1)
    boot = estimate(3, inference="bootstrap", reps=199, seed=1)
    again = estimate(3, inference="bootstrap", reps=199, seed=1)
    pd.testing.assert_series_equal(boot.draws, again.draws)
    assert boot.reps == 199 and len(boot.draws) == 199
    assert boot.se == pytest.approx(spread, rel=0.35)
    lo, hi = np.quantile(boot.draws, [0.025, 0.975])
    assert boot.ci == pytest.approx((lo, hi))
    assert boot.coef == estimate(3).coef
    assert "重新匹配" in boot.summary() and "re-matching" in boot.summary("en")
    row = boot.tidy().iloc[0]
    assert (row["ci_low"], row["se"]) == pytest.approx((lo, boot.se))


def test_bootstrap_resamples_clusters_with_and_without_treated_units():
    df = selected_panel(5)
    df["county_group"] = df["unit"] // 40
    r = psm_did(df, "y", unit="unit", time="t", treated="D", covariates=["x1", "x2"],
                method="kernel", cluster="county_group", inference="bootstrap", reps=99,
                seed=2)
    assert r.resampled == "county_group" and np.isfinite(r.se) and r.se > 0
    assert "聚类 county_group" in r.summary() and "clusters county_group" in r.summary("en")
    with pytest.raises(InputError, match="inference"):
        psm_did(df, "y", unit="unit", time="t", treated="D", covariates=["x1"],
                inference="jackknife")  # type: ignore[arg-type]


def test_match_summary_reports_balance():
    m = psm_match(selected(3), "T", ["x1", "x2"], method="kernel")
    text = m.summary()
    worst = m.balance["std_diff_after"].abs().max()
    assert f"匹配后 {worst:.1f}%" in text and "largest |standardised" in m.summary("en")
