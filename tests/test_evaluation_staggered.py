"""Specification of linkage.evaluation.staggered: Callaway–Sant'Anna, Sun–Abraham, comparison.

Published references: R ``did`` on ``mpdta`` (Callaway & Sant'Anna 2021, the package vignette),
never-treated controls, no covariates, analytic standard errors, as printed in the worked
example of the ``moderndid`` port (docs "Staggered Difference-in-Differences") which
reproduces R ``did``; and R ``did`` with ``xformla = ~lpop`` (doubly robust, the default) as
printed in the ``ddml`` package's article "Diff-in-Diff with Double/Debiased Machine Learning"
(thomaswiemann/ddml, vignettes/articles/did.Rmd): ATT(g,t), the dynamic aggregation and the
Wald pre-test p-value (its printed standard errors are multiplier-bootstrap draws and are not
compared; the analytic ones are checked against ``moderndid``). The ``mpdta`` data are read
from the ``moderndid`` package (dev extra).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from linkage.errors import InputError
from linkage.evaluation import (
    compare_estimators,
    covariate_controls,
    covariate_note,
    staggered_did,
    sun_abraham,
)
from linkage.evaluation.tables import RegressionTable

PRINT_TOL = 5.1e-5  # published values are rounded to 4 decimals


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    moderndid = pytest.importorskip("moderndid")  # dev extra: always installed for the tests
    return moderndid.load_mpdta().to_pandas()


def cs_mpdta(mpdta: pd.DataFrame, **kw):
    return staggered_did(mpdta, "lemp", unit="countyreal", time="year", cohort="first.treat",
                         **kw)


# --- published R did numbers (mpdta, never treated, analytic SE) --------------------------

ATT_GT = [  # cohort, time, ATT(g,t), SE
    (2004, 2004, -0.0105, 0.0233), (2004, 2005, -0.0704, 0.0310),
    (2004, 2006, -0.1373, 0.0364), (2004, 2007, -0.1008, 0.0344),
    (2006, 2004, 0.0065, 0.0233), (2006, 2005, -0.0028, 0.0196),
    (2006, 2006, -0.0046, 0.0178), (2006, 2007, -0.0412, 0.0202),
    (2007, 2004, 0.0305, 0.0150), (2007, 2005, -0.0027, 0.0164),
    (2007, 2006, -0.0311, 0.0179), (2007, 2007, -0.0261, 0.0167),
]


def test_att_gt_matches_r_did_on_mpdta(mpdta):
    got = cs_mpdta(mpdta).att_gt.set_index(["cohort", "time"])
    assert len(got) == len(ATT_GT)
    for g, t, att, se in ATT_GT:
        assert got.loc[(g, t), "att"] == pytest.approx(att, abs=PRINT_TOL)
        assert got.loc[(g, t), "se"] == pytest.approx(se, abs=PRINT_TOL)


def test_aggregations_match_r_did_on_mpdta(mpdta):
    res = cs_mpdta(mpdta)
    expected = {"simple": (-0.0400, 0.0120), "group": (-0.0310, 0.0124),
                "dynamic": (-0.0772, 0.0200)}
    for kind, (att, se) in expected.items():
        agg = res.aggregate(kind)
        assert agg.att == pytest.approx(att, abs=PRINT_TOL), kind
        assert agg.se == pytest.approx(se, abs=PRINT_TOL), kind
    group = res.aggregate("group").table.set_index("cohort")
    for g, att, se in [(2004, -0.0797, 0.0264), (2006, -0.0229, 0.0167),
                       (2007, -0.0261, 0.0167)]:
        assert group.loc[g, "att"] == pytest.approx(att, abs=PRINT_TOL)
        assert group.loc[g, "se"] == pytest.approx(se, abs=PRINT_TOL)
    dyn = res.aggregate("dynamic").table.set_index("event_time")
    for e, att, se in [(-3, 0.0305, 0.0150), (-2, -0.0006, 0.0133), (-1, -0.0245, 0.0142),
                       (0, -0.0199, 0.0118), (1, -0.0510, 0.0169), (2, -0.1373, 0.0364),
                       (3, -0.1008, 0.0344)]:
        assert dyn.loc[e, "att"] == pytest.approx(att, abs=PRINT_TOL)
        assert dyn.loc[e, "se"] == pytest.approx(se, abs=PRINT_TOL)


@pytest.mark.oracle
@pytest.mark.parametrize("control", ["never", "notyet"])
@pytest.mark.parametrize("base", ["varying", "universal"])
def test_matches_moderndid_port_of_r_did(mpdta, control, base):
    moderndid = pytest.importorskip("moderndid")
    ours = cs_mpdta(mpdta, control=control, base_period=base)
    ref = moderndid.att_gt(data=moderndid.load_mpdta(), yname="lemp", tname="year",
                           idname="countyreal", gname="first.treat", base_period=base,
                           control_group={"never": "nevertreated",
                                          "notyet": "notyettreated"}[control])
    np.testing.assert_allclose(ours.att_gt["att"], ref.att_gt, atol=1e-10)
    np.testing.assert_allclose(ours.att_gt["se"], ref.se_gt, atol=1e-10)
    for kind in ("simple", "group", "dynamic", "calendar"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            agg = moderndid.aggte(ref, type=kind, cband=False)
        mine = ours.aggregate(kind)
        assert mine.att == pytest.approx(agg.overall_att, abs=1e-10), kind
        assert mine.se == pytest.approx(agg.overall_se, abs=1e-10), kind
        if kind != "simple":
            np.testing.assert_allclose(mine.table["att"], agg.att_by_event, atol=1e-10)
            np.testing.assert_allclose(mine.table["se"], agg.se_by_event, atol=1e-10)


# --- published R did numbers with covariates (mpdta, xformla = ~lpop, doubly robust) -------

ATT_GT_LPOP = [  # cohort, time, ATT(g,t) — ddml article, summary(att_gt(..., xformla = ~lpop))
    (2004, 2004, -0.0145), (2004, 2005, -0.0764), (2004, 2006, -0.1404), (2004, 2007, -0.1069),
    (2006, 2004, -0.0005), (2006, 2005, -0.0062), (2006, 2006, 0.0010), (2006, 2007, -0.0413),
    (2007, 2004, 0.0267), (2007, 2005, -0.0046), (2007, 2006, -0.0284), (2007, 2007, -0.0288),
]
DYNAMIC_LPOP = {-3: 0.0267, -2: -0.0036, -1: -0.0232, 0: -0.0211, 1: -0.0530, 2: -0.1404,
                3: -0.1069}  # aggte(type = "dynamic"); overall -0.0804


def test_covariate_att_gt_matches_published_r_did(mpdta):
    res = cs_mpdta(mpdta, covariates=["lpop"])  # est_method="dr" is the default, as in R did
    got = res.att_gt.set_index(["cohort", "time"])
    assert len(got) == len(ATT_GT_LPOP)
    for g, t, att in ATT_GT_LPOP:
        assert got.loc[(g, t), "att"] == pytest.approx(att, abs=PRINT_TOL), (g, t)
    dyn = res.aggregate("dynamic")
    assert dyn.att == pytest.approx(-0.0804, abs=PRINT_TOL)
    for e, att in DYNAMIC_LPOP.items():
        assert dyn.table.set_index("event_time").loc[e, "att"] == pytest.approx(att,
                                                                                abs=PRINT_TOL)
    # R did prints "P-value for pre-test of parallel trends assumption: 0.23267" (with lpop)
    # and 0.16812 without covariates (R did README, est_method = "reg", xformla = ~1)
    assert round(res.pretrend_test()[2], 5) == 0.23267
    assert round(cs_mpdta(mpdta).pretrend_test()[2], 5) == 0.16812
    # covariates change the estimates (the unconditional ATT(2004,2004) is -0.0105)
    assert got.loc[(2004, 2004), "att"] != pytest.approx(-0.0105, abs=1e-3)


@pytest.mark.oracle
@pytest.mark.parametrize("method", ["dr", "ipw", "reg"])
@pytest.mark.parametrize("control", ["never", "notyet"])
@pytest.mark.parametrize("base", ["varying", "universal"])
def test_covariates_match_moderndid(mpdta, method, control, base):
    """ATT(g,t), analytic influence-function SEs and every aggregation equal the moderndid
    port of R did (DRDID's drdid_panel / std_ipw_did_panel / reg_did_panel per cell)."""
    moderndid = pytest.importorskip("moderndid")
    ours = cs_mpdta(mpdta, covariates=["lpop"], est_method=method, control=control,
                    base_period=base)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = moderndid.att_gt(data=moderndid.load_mpdta(), yname="lemp", tname="year",
                               idname="countyreal", gname="first.treat", xformla="~ lpop",
                               est_method=method, base_period=base,
                               control_group={"never": "nevertreated",
                                              "notyet": "notyettreated"}[control])
    np.testing.assert_allclose(ours.att_gt["att"], ref.att_gt, atol=1e-10)
    np.testing.assert_allclose(ours.att_gt["se"], ref.se_gt, atol=1e-10)
    for kind in ("simple", "group", "dynamic", "calendar"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            agg = moderndid.aggte(ref, type=kind, cband=False)
        mine = ours.aggregate(kind)
        assert mine.att == pytest.approx(agg.overall_att, abs=1e-10), kind
        assert mine.se == pytest.approx(agg.overall_se, abs=1e-10), kind
        if kind != "simple":
            np.testing.assert_allclose(mine.table["se"], agg.se_by_event, atol=1e-10)


@pytest.mark.oracle
def test_time_varying_covariate_is_taken_in_the_base_period(mpdta):
    """A covariate that changes over time enters at its value in the earlier period of each
    comparison, as in R did / moderndid (checked under both base-period rules)."""
    moderndid = pytest.importorskip("moderndid")
    import polars as pl

    rng = np.random.default_rng(4)
    data = mpdta.assign(x=mpdta["lpop"] + rng.normal(0, 0.5, len(mpdta)))
    for base in ("varying", "universal"):
        ours = cs_mpdta(data, covariates=["x"], base_period=base)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = moderndid.att_gt(data=pl.from_pandas(data), yname="lemp", tname="year",
                                   idname="countyreal", gname="first.treat", xformla="~ x",
                                   base_period=base)
        np.testing.assert_allclose(ours.att_gt["att"], ref.att_gt, atol=1e-10)
        np.testing.assert_allclose(ours.att_gt["se"], ref.se_gt, atol=1e-10)
    first_period = data[data.year == 2003][["countyreal", "x"]]
    frozen = data.drop(columns="x").merge(first_period, on="countyreal")
    assert not np.allclose(cs_mpdta(frozen, covariates=["x"]).att_gt["att"],
                           cs_mpdta(data, covariates=["x"]).att_gt["att"])


@pytest.mark.oracle
@pytest.mark.parametrize("options", [{"balance_e": 1}, {"min_e": -2, "max_e": 2},
                                     {"balance_e": 0, "max_e": 0}, {"max_e": 1}])
def test_event_window_options_match_r_did_aggte(mpdta, options):
    moderndid = pytest.importorskip("moderndid")
    ours = cs_mpdta(mpdta, covariates=["lpop"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = moderndid.att_gt(data=moderndid.load_mpdta(), yname="lemp", tname="year",
                               idname="countyreal", gname="first.treat", xformla="~ lpop")
        for kind in ("dynamic", "group", "simple"):
            if kind != "dynamic" and set(options) != {"max_e"}:
                continue
            agg = moderndid.aggte(ref, type=kind, cband=False, **options)
            mine = ours.aggregate(kind, **options)
            assert mine.att == pytest.approx(agg.overall_att, abs=1e-10), kind
            assert mine.se == pytest.approx(agg.overall_se, abs=1e-10), kind
            if kind == "dynamic":
                np.testing.assert_array_equal(mine.table["event_time"], agg.event_times)
                np.testing.assert_allclose(mine.table["att"], agg.att_by_event, atol=1e-10)
                np.testing.assert_allclose(mine.table["se"], agg.se_by_event, atol=1e-10)


@pytest.mark.oracle
def test_anticipation_matches_moderndid(mpdta):
    moderndid = pytest.importorskip("moderndid")
    with pytest.warns(UserWarning, match="第一期"):  # cohort 2004 anticipates in 2003
        ours = cs_mpdta(mpdta, covariates=["lpop"], control="notyet", anticipation=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = moderndid.att_gt(data=moderndid.load_mpdta(), yname="lemp", tname="year",
                               idname="countyreal", gname="first.treat", xformla="~ lpop",
                               control_group="notyettreated", anticipation=1)
    np.testing.assert_allclose(ours.att_gt["att"], ref.att_gt, atol=1e-10)
    np.testing.assert_allclose(ours.att_gt["se"], ref.se_gt, atol=1e-10)
    # with one period of anticipation every post cell is compared with g − 2
    post = ours.att_gt[ours.att_gt["event_time"] >= 0]
    assert (post["base_time"] == post["cohort"] - 2).all()


def conditional_trends(seed: int, n: int = 1500) -> pd.DataFrame:
    """Parallel trends hold only given x: the trend is 0.3·x per period and treated units have
    higher x (logit selection on x); true ATT = 0.5 from the treatment period on."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n)
    g = np.where(rng.random(n) < 1 / (1 + np.exp(-(x - 0.5))), rng.choice([4, 6], n), 0)
    t = np.arange(1, 8)
    y = (rng.normal(0, 1, n)[:, None] + 0.3 * x[:, None] * t[None, :]
         + 0.5 * ((g[:, None] > 0) & (t[None, :] >= g[:, None]))
         + rng.normal(0, 0.3, (n, len(t))))
    return pd.DataFrame({"unit": np.repeat(np.arange(n), len(t)), "year": np.tile(t, n),
                         "cohort": np.repeat(g, len(t)), "x": np.repeat(x, len(t)),
                         "y": y.ravel()})


@pytest.mark.parametrize("seed", [1, 2])
def test_covariates_remove_the_bias_of_conditional_trends(seed):
    df = conditional_trends(seed)
    plain = staggered_did(df, "y", unit="unit", time="year", cohort="cohort")
    assert abs(plain.aggregate("simple").att - 0.5) > 6 * plain.aggregate("simple").se
    for method in ("dr", "ipw", "reg"):
        adj = staggered_did(df, "y", unit="unit", time="year", cohort="cohort",
                            covariates=["x"], est_method=method).aggregate("simple")
        assert abs(adj.att - 0.5) < 4 * adj.se, method
        assert adj.summary().count("x") >= 1 and "双重稳健" in staggered_did(
            df, "y", unit="unit", time="year", cohort="cohort", covariates=["x"]).summary()


def test_uniform_band_is_wider_than_pointwise_and_narrower_than_bonferroni(mpdta):
    dyn = cs_mpdta(mpdta, covariates=["lpop"]).aggregate("dynamic")
    k = len(dyn.table)
    assert stats_norm_ppf(0.975) < dyn.band_crit < stats_norm_ppf(1 - 0.025 / k)
    t = dyn.table
    assert ((t["band_low"] < t["ci_low"]) & (t["band_high"] > t["ci_high"])).all()
    again = cs_mpdta(mpdta, covariates=["lpop"]).aggregate("dynamic")
    assert again.band_crit == dyn.band_crit  # seeded
    at90 = cs_mpdta(mpdta, covariates=["lpop"], level=0.90).aggregate("dynamic")
    assert at90.band_crit < dyn.band_crit
    tidy = dyn.tidy()
    assert list(tidy.columns) == ["term", "coef", "se", "stat", "pvalue", "ci_low", "ci_high",
                                  "nobs"]
    assert tidy["term"].tolist() == [f"e={e}" for e in range(-3, 4)] + ["overall"]
    # nobs: unit-periods used (500 counties × 5 years), as every tidy table of the kit
    assert (tidy["nobs"] == 2500).all()
    assert (cs_mpdta(mpdta, covariates=["lpop"]).tidy()["nobs"] == 2500).all()
    wide = dyn.tidy(level=0.99)
    assert (wide["ci_high"] - wide["ci_low"] > tidy["ci_high"] - tidy["ci_low"]).all()


def stats_norm_ppf(q: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf(q))


def test_covariate_errors_name_the_problem(mpdta):
    with pytest.raises(InputError) as err:
        cs_mpdta(mpdta, covariates=["no_such"])
    assert err.value.column == "no_such"
    with pytest.raises(InputError, match="共线或不变"):
        cs_mpdta(mpdta.assign(c=1.0), covariates=["c"])
    with pytest.raises(InputError, match="est_method"):
        cs_mpdta(mpdta, covariates=["lpop"], est_method="tmle")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="anticipation"):
        cs_mpdta(mpdta, anticipation=-1)
    separated = mpdta.assign(x=(mpdta["first.treat"] > 0).astype(float))
    with pytest.raises(InputError, match=r"分离|重叠"):
        cs_mpdta(separated, covariates=["x"])
    with pytest.raises(InputError, match="对照组内协变量"):
        cs_mpdta(separated, covariates=["x"], est_method="reg")
    with pytest.raises(InputError, match="balance_e"):
        cs_mpdta(mpdta).aggregate("dynamic", balance_e=-1)


# --- simulation: known effects --------------------------------------------------------------

def simulate(seed: int, *, n: int = 600, periods: int = 10, cohorts=(0, 4, 6, 8),
             effect=lambda g, e: 0.3 + 0 * e) -> pd.DataFrame:
    """Panel with unit and time effects, AR-free noise, and ATT(g, e) = effect(g, e)."""
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n), periods)
    t = np.tile(np.arange(1, periods + 1), n)
    g = np.repeat(rng.choice(cohorts, n), periods)
    e = t - g
    treated = (g > 0) & (e >= 0)
    y = (np.repeat(rng.normal(0, 1, n), periods) + 0.1 * t + np.sin(t)
         + np.where(treated, effect(g, e), 0.0) + rng.normal(0, 0.2, n * periods))
    return pd.DataFrame({"county": unit.astype(str), "year": t, "cohort": g, "y": y})


def true_simple(df: pd.DataFrame, effect) -> float:
    """Group-size weighted mean of the true ATT(g,t) over post cells (the simple estimand)."""
    post = df[(df.cohort > 0) & (df.year >= df.cohort)]
    return float(np.mean(effect(post.cohort.to_numpy(), (post.year - post.cohort).to_numpy())))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kind", ["homogeneous", "heterogeneous"])
def test_cs_and_sa_recover_known_effects(seed, kind):
    effect = ((lambda g, e: 0.3 + 0 * e) if kind == "homogeneous"
              else (lambda g, e: 0.05 * g + 0.1 * e))  # varies by cohort and over time
    df = simulate(seed, effect=effect)
    truth = true_simple(df, effect)
    for control in ("never", "notyet"):
        cs = staggered_did(df, "y", unit="county", time="year", cohort="cohort",
                           control=control)
        simple = cs.aggregate("simple")
        assert abs(simple.att - truth) < 4 * simple.se, (control, simple.att, truth)
        dyn = cs.aggregate("dynamic").table.set_index("event_time")
        for e in (0, 2):
            true_e = np.mean(effect(np.array([4, 6, 8]), e))  # all cohorts observed at e ≤ 2
            assert abs(dyn.loc[e, "att"] - true_e) < 4 * dyn.loc[e, "se"]
        pre = dyn.loc[dyn.index < 0]
        assert (pre["att"].abs() < 4 * pre["se"]).all()
    sa = sun_abraham(df, "y", unit="county", time="year", cohort="cohort")
    assert abs(sa.att - truth) < 4 * sa.se


def goodman_bacon_panel(seed: int) -> pd.DataFrame:
    """Two cohorts, no never-treated, effects growing 0.5 per period since treatment."""
    return simulate(seed, n=400, periods=10, cohorts=(3, 7),
                    effect=lambda g, e: 0.5 * (e + 1))


def test_twfe_biased_under_heterogeneous_staggered_effects():
    """Goodman-Bacon (2021): with growing effects the early cohort's post periods serve as
    control for the late cohort, so static TWFE falls far below every post-treatment effect;
    CS (not-yet-treated) and SA stay on target."""
    df = goodman_bacon_panel(7)
    cmp = compare_estimators(df, "y", unit="county", time="year", cohort="cohort",
                             control="notyet").to_frame().set_index("estimator")
    cs = staggered_did(df, "y", unit="county", time="year", cohort="cohort", control="notyet")
    simple = cs.aggregate("simple")
    # estimand of CS/SA here: cohort 3 observed e = 0..3 before cohort 7 starts, i.e. the mean
    # of 0.5·(e+1) over e = 0..3 = 1.25 (periods ≥ 7 are dropped, no control left there)
    assert simple.att == pytest.approx(1.25, abs=4 * simple.se)
    assert cmp.loc["cs", "coef"] == pytest.approx(simple.att)
    twfe = cmp.loc["twfe"]
    assert twfe["ci_high"] < simple.ci[0]  # TWFE's interval lies wholly below CS's
    assert twfe["coef"] < 0  # wrong sign, although every true effect is ≥ 0.5


def test_analytic_se_close_to_bootstrap():
    df = simulate(11, effect=lambda g, e: 0.05 * g + 0.1 * e)
    an = staggered_did(df, "y", unit="county", time="year", cohort="cohort")
    bs = staggered_did(df, "y", unit="county", time="year", cohort="cohort",
                       inference="bootstrap", reps=999, seed=3)
    np.testing.assert_allclose(bs.att_gt["att"], an.att_gt["att"])
    ratio = bs.att_gt["se"] / an.att_gt["se"]
    assert ratio.between(0.85, 1.15).all()
    for kind in ("simple", "group", "dynamic", "calendar"):
        assert bs.aggregate(kind).se == pytest.approx(an.aggregate(kind).se, rel=0.15)
    # uniform band is wider than the pointwise one
    width_pt = bs.att_gt["ci_high"] - bs.att_gt["ci_low"]
    np.testing.assert_allclose(width_pt, 2 * 1.959964 * bs.att_gt["se"], rtol=1e-6)
    width_band = bs.att_gt["band_high"] - bs.att_gt["band_low"]
    assert (width_band > width_pt).all()
    # seeded: identical on re-run
    again = staggered_did(df, "y", unit="county", time="year", cohort="cohort",
                          inference="bootstrap", reps=999, seed=3)
    pd.testing.assert_frame_equal(again.att_gt, bs.att_gt)


@settings(max_examples=20, deadline=None)
@given(shift=st.lists(st.floats(-5, 5), min_size=8, max_size=8),
       level=st.floats(-100, 100))
def test_att_gt_invariant_to_unit_and_time_effects(shift, level):
    df = simulate(5, n=120, periods=8, cohorts=(0, 3, 5))
    base = staggered_did(df, "y", unit="county", time="year", cohort="cohort")
    moved = df.assign(y=df.y + level * df.county.astype(int) / 120
                      + np.asarray(shift)[df.year - 1])
    res = staggered_did(moved, "y", unit="county", time="year", cohort="cohort")
    np.testing.assert_allclose(res.att_gt["att"], base.att_gt["att"], atol=1e-8)
    np.testing.assert_allclose(res.att_gt["se"], base.att_gt["se"], atol=1e-8)


def test_row_order_does_not_matter():
    df = simulate(4, n=100, periods=6, cohorts=(0, 3, 5))
    a = staggered_did(df, "y", unit="county", time="year", cohort="cohort")
    b = staggered_did(df.sample(frac=1, random_state=0), "y", unit="county", time="year",
                      cohort="cohort")
    pd.testing.assert_frame_equal(a.att_gt, b.att_gt)


def test_first_period_cohort_dropped_with_warning_and_late_cohort_is_never():
    df = simulate(3, n=100, periods=6, cohorts=(0, 1, 4, 9))
    with pytest.warns(UserWarning, match="第一期"):
        res = staggered_did(df, "y", unit="county", time="year", cohort="cohort")
    assert res.n_dropped_early == df[df.cohort == 1].county.nunique()
    assert set(res.att_gt["cohort"]) == {4}
    # cohort 9 (after the last period) is part of the never-treated controls
    assert res.att_gt["n_control"].iloc[0] == df[df.cohort.isin([0, 9])].county.nunique()


# --- errors ----------------------------------------------------------------------------------

def test_bad_input_raises_named_errors():
    df = simulate(1, n=60, periods=5, cohorts=(0, 3))
    with pytest.raises(InputError, match="不平衡"):
        staggered_did(df.iloc[1:], "y", unit="county", time="year", cohort="cohort")
    varying = df.assign(cohort=np.where(df.index == 0, 4, df.cohort))
    with pytest.raises(InputError, match="不唯一"):
        staggered_did(varying, "y", unit="county", time="year", cohort="cohort")
    with pytest.raises(InputError, match="control"):
        staggered_did(df, "y", unit="county", time="year", cohort="cohort",
                      control="all")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="never"):
        staggered_did(df[df.cohort > 0], "y", unit="county", time="year", cohort="cohort")
    with pytest.raises(InputError, match="缺失"):
        staggered_did(df.assign(y=df.y.where(df.index != 3)), "y", unit="county",
                      time="year", cohort="cohort")
    with pytest.raises(InputError, match="没有受处理"):
        staggered_did(df.assign(cohort=0), "y", unit="county", time="year", cohort="cohort")
    res = staggered_did(df, "y", unit="county", time="year", cohort="cohort")
    with pytest.raises(InputError, match="dynamic"):
        res.aggregate("group").plot()
    with pytest.raises(InputError, match="kind"):
        res.aggregate("overall")  # type: ignore[arg-type]


# --- the bundled sample: exit effect 0.02 + 0.01·e within former poverty counties ------------

def test_recovers_sample_exit_effect():
    from linkage.sample import load_sample

    s = load_sample()
    counties = s.counties.reset_index() if "region_code" not in s.counties else s.counties
    poor = counties[counties["poverty_county"]]
    panel = s.panel[s.panel["region_code"].isin(poor["region_code"])].copy()
    exit_year = poor.set_index("region_code")["exit_year"]
    panel["exit"] = exit_year.reindex(panel["region_code"]).to_numpy().astype(int)
    panel["log_income"] = np.log(panel["rural_income_pc"])
    res = staggered_did(panel, "log_income", unit="region_code", time="year", cohort="exit",
                        control="notyet")
    dyn = res.aggregate("dynamic").table.set_index("event_time")
    for e in range(0, 4):
        assert abs(dyn.loc[e, "att"] - (0.02 + 0.01 * e)) < 3 * dyn.loc[e, "se"], e
    fig = res.aggregate("dynamic").plot()
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_xlabel() == "相对政策实施的时期"


# --- Sun–Abraham -------------------------------------------------------------------------------

@pytest.mark.oracle
def test_sun_abraham_matches_pyfixest_saturated_event_study(mpdta):
    import pyfixest as pf

    ours = sun_abraham(mpdta, "lemp", unit="countyreal", time="year", cohort="first.treat")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = pf.event_study(mpdta, yname="lemp", idname="countyreal", tname="year",
                             gname="first.treat", estimator="saturated",
                             cluster="countyreal").aggregate()
    est = ours.event.set_index("rel_time").drop(index=-1)
    ref.index = ref.index.astype(float).astype(int)
    np.testing.assert_allclose(est["att"], ref.loc[est.index, "Estimate"].astype(float),
                               atol=1e-8)
    # reghdfe small-sample factor vs pyfixest's default: same to well under 1 %
    np.testing.assert_allclose(est["se"], ref.loc[est.index, "Std. Error"].astype(float),
                               rtol=0.01)


def test_sun_abraham_equals_cs_post_effects_on_mpdta(mpdta):
    """With never-treated controls and a balanced panel the SA post-treatment IW estimates
    equal CS's dynamic aggregation (both are cohort-share weighted long differences)."""
    sa = sun_abraham(mpdta, "lemp", unit="countyreal", time="year", cohort="first.treat")
    cs = cs_mpdta(mpdta).aggregate("dynamic").table.set_index("event_time")
    post = sa.event.set_index("rel_time").loc[[0, 1, 2, 3], "att"]
    np.testing.assert_allclose(post, cs.loc[[0, 1, 2, 3], "att"], atol=1e-10)
    assert sa.control_cohort == 0
    assert isinstance(sa.plot(), Figure)


def test_sun_abraham_without_never_treated_uses_last_cohort():
    df = goodman_bacon_panel(2)
    sa = sun_abraham(df, "y", unit="county", time="year", cohort="cohort")
    assert sa.control_cohort == 7
    assert set(sa.cohort_effects["cohort"]) == {3}
    assert sa.att == pytest.approx(1.25, abs=4 * sa.se)


def test_comparison_table_format(mpdta):
    cmp = compare_estimators(mpdta, "lemp", unit="countyreal", time="year",
                             cohort="first.treat")
    table = cmp.table()
    assert isinstance(table, RegressionTable)
    frame = table.to_frame()
    assert list(frame.columns) == ["双向固定效应（静态）", "Callaway–Sant'Anna（简单加权）",
                                   "Sun–Abraham（交互加权）"]
    # TWFE static on mpdta is the known -0.0365 (e.g. R fixest feols(lemp ~ treat | id + year))
    assert frame.iloc[0, 0] == "-0.0365***"
    assert frame.iloc[1, 1] == "(0.0120)"
    assert frame.iloc[2].tolist() == ["2,500"] * 3


@settings(max_examples=10, deadline=None)
@given(scale=st.floats(0.1, 10), shift=st.floats(-50, 50),
       method=st.sampled_from(["dr", "ipw", "reg"]))
def test_covariate_adjustment_is_invariant_to_affine_rescaling(scale, shift, method):
    """Logit and regression both include an intercept, so x ↦ a·x + b changes nothing."""
    df = conditional_trends(3, n=400)
    base = staggered_did(df, "y", unit="unit", time="year", cohort="cohort", covariates=["x"],
                         est_method=method)
    moved = staggered_did(df.assign(x=scale * df.x + shift), "y", unit="unit", time="year",
                          cohort="cohort", covariates=["x"], est_method=method)
    np.testing.assert_allclose(moved.att_gt["att"], base.att_gt["att"], atol=1e-8)
    np.testing.assert_allclose(moved.att_gt["se"], base.att_gt["se"], atol=1e-8)


def test_comparison_uses_one_covariate_set_and_says_so():
    df = conditional_trends(4, n=600)
    cmp = compare_estimators(df, "y", unit="unit", time="year", cohort="cohort",
                             covariates=["x"])
    assert cmp.covariates == ("x",)
    note = cmp.table().note
    assert "各估计量使用同一组协变量 x" in note and "same covariates (x)" in cmp.table("en").note
    rows = cmp.to_frame().set_index("estimator")
    cs = staggered_did(df, "y", unit="unit", time="year", cohort="cohort", covariates=["x"])
    assert rows.loc["cs", "coef"] == pytest.approx(cs.aggregate("simple").att)
    # x is constant within unit: the regressions carry it as x × year (levels are absorbed)
    with pytest.raises(InputError, match="共线"):
        sun_abraham(df, "y", unit="unit", time="year", cohort="cohort", covariates=["x"])
    frame, controls = covariate_controls(df, ["x"], unit="unit", time="year")
    assert controls == [f"x×{t}" for t in range(2, 8)]
    np.testing.assert_array_equal(frame["x×3"], np.where(df.year == 3, df.x, 0.0))
    sa = sun_abraham(frame, "y", unit="unit", time="year", cohort="cohort", covariates=controls)
    assert rows.loc["sun_abraham", "coef"] == pytest.approx(sa.att)
    plain = compare_estimators(df, "y", unit="unit", time="year", cohort="cohort")
    assert "均不含协变量" in plain.table().note
    assert not np.allclose(plain.to_frame()["coef"], cmp.to_frame()["coef"])
    assert list(cmp.tidy()["term"]) == ["twfe", "cs", "sun_abraham"]


def test_plot_draws_the_reference_only_under_the_universal_base(mpdta):
    varying = cs_mpdta(mpdta).aggregate("dynamic").plot().axes[0]
    universal = cs_mpdta(mpdta, base_period="universal").aggregate("dynamic").plot().axes[0]

    def hollow(ax):
        return [line for line in ax.get_lines() if line.get_markerfacecolor() == "white"]

    assert hollow(varying) == []  # each pre-period estimate is against the year before
    (ref,) = hollow(universal)
    assert list(ref.get_xdata()) == [-1] and list(ref.get_ydata()) == [0.0]
    labels = [t.get_text() for t in varying.get_legend().get_texts()]
    assert "处理前（对前一期，95%置信区间）" in labels and "95%一致置信带" in labels


@pytest.mark.parametrize("method", ["dr", "ipw", "reg"])
def test_covariate_note_names_the_method_callaway_santanna_used(method):
    """The note used to say "doubly robust" whatever est_method was."""
    df = conditional_trends(5, n=400)
    cmp = compare_estimators(df, "y", unit="unit", time="year", cohort="cohort",
                             covariates=["x"], est_method=method)
    names = {"dr": ("双重稳健", "doubly robust"), "ipw": ("标准化逆概率加权", "normalised IPW"),
             "reg": ("结果回归", "outcome regression")}
    zh, en = cmp.table().note, cmp.table("en").note
    assert f"取基期值（{names[method][0]}，R did 口径）" in zh
    assert f"base-period values in Callaway–Sant'Anna ({names[method][1]}, as R did)" in en
    for other in set(names) - {method}:
        assert names[other][0] not in zh and names[other][1] not in en
    assert covariate_note(["x"], est_method=method) in zh


def few_treated_staggered(seed: int) -> pd.DataFrame:
    """40 counties, 8 treated in two cohorts (4 in 2019, 4 in 2021), AR(1) county errors."""
    rng = np.random.default_rng(seed)
    n, years = 40, np.arange(2016, 2024)
    cohort = np.repeat(np.r_[[2019] * 4, [2021] * 4, [0] * (n - 8)], len(years))
    year = np.tile(years, n)
    e = np.zeros((n, len(years)))
    e[:, 0] = rng.normal(size=n)
    for k in range(1, len(years)):
        e[:, k] = 0.7 * e[:, k - 1] + rng.normal(size=n) * np.sqrt(1 - 0.49)
    y = (np.repeat(rng.normal(size=n), len(years)) + 0.1 * (year - 2016)
         + 0.3 * ((cohort > 0) & (year >= cohort)) + e.ravel())
    return pd.DataFrame({"county": np.repeat(np.arange(n), len(years)), "year": year,
                         "cohort": cohort, "y": y})


@pytest.mark.oracle
def test_sun_abraham_wild_bootstrap_tests_its_linear_combination():
    """The ATT is w'δ over the post-treatment interaction coefficients; its wild bootstrap
    p-value must be pyfixest's for the coefficient θ = w'δ of the reparametrised regression
    (z₁ = d₁/w₁, z_j = d_j − (w_j/w₁)·d₁): the same restricted model and CRV1 variance."""
    import warnings

    import pyfixest as pf

    df = few_treated_staggered(2)
    sa = sun_abraham(df, "y", unit="county", time="year", cohort="cohort", inference="wild",
                     seed=5, reps=499)
    assert sa.inference == "wild" and sa.n_treated_clusters == 8
    assert sa.pvalue == sa.wild.row("ATT")["pvalue"] and sa.ci[0] < sa.att < sa.ci[1]
    plain = sun_abraham(df, "y", unit="county", time="year", cohort="cohort")
    assert (sa.att, sa.se) == (plain.att, plain.se) and sa.pvalue != plain.pvalue
    cells = sa.cohort_effects
    frame = df.copy()
    terms = []
    for g, e in zip(cells["cohort"], cells["rel_time"], strict=True):
        name = f"d{g}_{e}".replace("-", "m")
        frame[name] = ((df.cohort == g) & (df.year - df.cohort == e)).astype(float)
        terms.append(name)
    post = cells["rel_time"].to_numpy() >= 0
    w = np.where(post, cells["n_obs"] / cells.loc[post, "n_obs"].sum(), 0.0)
    first = int(np.flatnonzero(post)[0])
    z = {"theta": frame[terms[first]] / w[first]}
    for j, name in enumerate(terms):
        if j != first:
            z[f"z{j}"] = frame[name] - (w[j] / w[first]) * frame[terms[first]]
    reparam = df.assign(**z)
    formula = f"y ~ {' + '.join(z)} | county + year"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = pf.feols(formula, data=reparam, vcov={"CRV1": "county"})
        out = model.wildboottest(reps=499, param="theta", seed=5)
    assert model.coef()["theta"] == pytest.approx(sa.att, rel=1e-8)
    assert sa.pvalue == float(out["Pr(>|t|)"])
    # the event table: bootstrap p-values, intervals inside the band from the same draws
    ev = sa.event[sa.event["rel_time"] != sa.ref]
    assert ((ev["band_low"] <= ev["ci_low"]) & (ev["ci_high"] <= ev["band_high"])).all()
    assert 0 < sa.band_alpha < 0.05 and np.isnan(sa.band_crit)
    tidy = sa.tidy().set_index("term")
    assert tidy.loc["ATT", "pvalue"] == sa.pvalue
    assert (tidy.loc["ATT", "ci_low"], tidy.loc["ATT", "ci_high"]) == sa.ci


def test_comparison_table_says_each_columns_inference_and_the_few_treated_caveat():
    df = few_treated_staggered(3)
    cmp = compare_estimators(df, "y", unit="county", time="year", cohort="cohort",
                             inference="auto", reps=199)
    rows = cmp.to_frame().set_index("estimator")
    assert rows["inference"].tolist() == ["inference_wild", "inference_cs_analytic",
                                          "inference_wild"]
    assert rows.loc["twfe", "reps"] == 199 and rows.loc["cs", "reps"] == 0
    frame = cmp.table().to_frame()
    assert frame.loc["p 值方法"].tolist() == ["野聚类自助法", "影响函数（正态近似）",
                                            "野聚类自助法"]
    note = cmp.table().note
    assert "处理单位只有 8 个" in note
    assert "Callaway–Sant'Anna（简单加权） 的 p 值依赖大样本" in note
    assert "no wild cluster bootstrap" in cmp.table("en").note
    analytic = compare_estimators(df, "y", unit="county", time="year", cohort="cohort")
    assert analytic.to_frame()["inference"].tolist() == ["inference_cluster",
                                                         "inference_cs_analytic",
                                                         "inference_cluster"]
    many = simulate(4)  # 600 units, about 450 treated: no caveat
    assert "处理单位只有" not in compare_estimators(many, "y", unit="county", time="year",
                                                   cohort="cohort").table().note
