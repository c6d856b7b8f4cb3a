"""Specification of linkage.evaluation.placebo: permutation placebo and robustness checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from linkage.errors import InputError
from linkage.evaluation import cluster_robustness, drop_one_cohort, placebo_test, twfe_did


def panel(seed: int, effect: float = 0.0, n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"unit": np.repeat(np.arange(n), 8), "year": np.tile(np.arange(8), n)})
    df["cohort"] = np.select([df.unit < n // 4, df.unit < n // 2], [3, 5], 0)
    df["D"] = ((df.cohort > 0) & (df.year >= df.cohort)).astype(int)
    df["x"] = rng.normal(size=len(df))
    df["y"] = (effect * df.D + 0.5 * df.x + np.repeat(rng.normal(size=n), 8)
               + rng.normal(0, 0.3, len(df)))
    df["prefecture"] = df.unit // 6
    return df


def test_real_estimate_equals_twfe_by_fwl():
    df = panel(0, effect=0.2)
    p = placebo_test(df, "y", unit="unit", time="year", cohort="cohort", covariates=["x"],
                     reps=100)
    r = twfe_did(df, "y", unit="unit", time="year", treated="D", covariates=["x"])
    assert p.estimate == pytest.approx(r.coef, rel=1e-8)


def test_draws_equal_refits_with_the_fake_assignment():
    # Each permutation estimate is the TWFE coefficient of its fake indicator; recover one
    # draw's assignment by replaying the generator and refit with twfe_did.
    df = panel(1)
    p = placebo_test(df, "y", unit="unit", time="year", cohort="cohort", covariates=["x"],
                     reps=100, seed=7, chunk=100)
    rng = np.random.default_rng(7)
    cohort_u = df.groupby("unit")["cohort"].first().to_numpy(dtype=float)
    fake = rng.permuted(np.tile(cohort_u, (100, 1)), axis=1)[0]
    c = fake[df.unit.to_numpy()]
    fake_d = ((c > 0) & (df.year.to_numpy() >= c)).astype(int)
    r = twfe_did(df.assign(F=fake_d), "y", unit="unit", time="year", treated="F",
                 covariates=["x"])
    assert p.draws.iloc[0] == pytest.approx(r.coef, rel=1e-6)


def test_seeded_results_are_reproducible():
    df = panel(2)
    a = placebo_test(df, "y", unit="unit", time="year", cohort="cohort", reps=200, seed=3)
    b = placebo_test(df, "y", unit="unit", time="year", cohort="cohort", reps=200, seed=3)
    c = placebo_test(df, "y", unit="unit", time="year", cohort="cohort", reps=200, seed=4)
    pd.testing.assert_series_equal(a.draws, b.draws)
    assert not a.draws.equals(c.draws)


@pytest.mark.parametrize("scheme", ["units", "timing", "both"])
def test_null_distribution_centred_and_pvalues_uniform(scheme):
    pvalues, centres = [], []
    for seed in range(40):
        p = placebo_test(panel(seed), "y", unit="unit", time="year", cohort="cohort",
                         reps=500, scheme=scheme, seed=seed)
        pvalues.append(p.pvalue)
        centres.append(p.draws.mean() / p.draws.std())
    # With the treated units fixed ("timing") each data set's placebo centre wanders around
    # 0; averaged over data sets it is 0 within sampling error.
    assert abs(np.mean(centres)) < 3 * np.std(centres) / np.sqrt(len(centres))
    assert stats.kstest(pvalues, "uniform").pvalue > 0.01


def test_real_effect_is_detected_and_plot():
    p = placebo_test(panel(5, effect=0.4), "y", unit="unit", time="year", cohort="cohort",
                     reps=500)
    assert p.pvalue < 0.01
    assert len(p.draws) == 500
    assert "安慰剂" in p.plot().axes[0].get_xlabel()
    assert set(p.to_frame()["statistic"]) >= {"estimate", "pvalue"}


def test_drop_one_cohort_rows():
    df = panel(6, effect=0.3)
    t = drop_one_cohort(df, "y", unit="unit", time="year", cohort="cohort")
    assert t["dropped_cohort"].isna().iloc[0]
    assert t["dropped_cohort"].iloc[1:].tolist() == [3, 5]
    full = twfe_did(df, "y", unit="unit", time="year", treated="D")
    assert t["coef"].iloc[0] == pytest.approx(full.coef)
    assert t["nobs"].iloc[1] == len(df[df.cohort != 3])


def test_cluster_robustness_changes_only_the_se():
    df = panel(7, effect=0.3)
    res = cluster_robustness(df, "y", unit="unit", time="year", treated="D",
                             clusters={"县": "unit", "地级市": "prefecture",
                                       "双向": ["unit", "year"]})
    coefs = {k: r.coef for k, r in res.items()}
    assert len(set(np.round(list(coefs.values()), 12))) == 1
    assert len({round(r.se, 12) for r in res.values()}) == 3
    assert res["地级市"].fit.n_clusters == (10,)


def test_invalid_options():
    df = panel(8)
    with pytest.raises(InputError, match="scheme"):
        placebo_test(df, "y", unit="unit", time="year", cohort="cohort", scheme="years")
    with pytest.raises(InputError, match="reps"):
        placebo_test(df, "y", unit="unit", time="year", cohort="cohort", reps=10)


def test_default_draws_and_the_pvalue_floor_is_printed_as_a_bound():
    """B = 999 by default (linkage.checks.MIN_REPS); a p-value at its floor 1/(B+1) is
    reported as "≤ 0.001", never as 0.000 or as an exact 0.001."""
    p = placebo_test(panel(5, effect=0.8), "y", unit="unit", time="year", cohort="cohort")
    assert p.reps == 999
    assert p.pvalue == pytest.approx(1 / 1000)
    assert p.pvalue_text == "≤ 0.001"
    assert "p ≤ 0.001" in p.summary() and "p ≤ 0.001" in p.summary("en")
    assert "p ≤ 0.001" in p.plot().axes[0].get_title()
    small = placebo_test(panel(5, effect=0.8), "y", unit="unit", time="year",
                         cohort="cohort", reps=199)
    assert small.pvalue_text == "≤ 0.005"
    null = placebo_test(panel(9), "y", unit="unit", time="year", cohort="cohort", reps=199)
    assert null.pvalue > 0.005 and null.pvalue_text == f"{null.pvalue:.3f}"
    row = p.tidy().iloc[0]
    assert row["term"] == "placebo" and row["pvalue"] == p.pvalue and np.isnan(row["ci_low"])
    # nobs means observations used, as in every tidy table — not the number of draws
    assert row["nobs"] == len(panel(5, effect=0.8)) == 60 * 8 and row["nobs"] != p.reps
