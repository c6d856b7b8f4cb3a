"""Specification of linkage.evaluation.event_study: dynamic effects and the pre-trend test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from linkage.errors import InputError
from linkage.evaluation import event_study, event_time_dummies
from linkage.plotting import missing_glyphs, setup_cjk
from linkage.sample import load_sample

TRUE_PATH = {0: 0.2, 1: 0.3, 2: 0.4, 3: 0.5}


def panel(seed: int, *, pretrend: float = 0.0, n: int = 120) -> pd.DataFrame:
    """Staggered-free design: a third treated in 2015, a third in 2017, a third never;
    effect TRUE_PATH[e] at event time e (capped at e = 3); optional linear pre-trend."""
    rng = np.random.default_rng(seed)
    years = np.arange(2010, 2021)
    df = pd.DataFrame({"unit": np.repeat(np.arange(n), len(years)),
                       "year": np.tile(years, n)})
    df["cohort"] = np.select([df.unit < n // 3, df.unit < 2 * n // 3], [2015, 2017], 0)
    e = np.where(df.cohort > 0, df.year - df.cohort, -99)
    effect = np.where(e >= 0, 0.2 + 0.1 * np.minimum(e, 3), 0.0)
    trend = np.where((df.cohort > 0) & (e < 0), pretrend * e, 0.0)
    df["y"] = (effect + trend + np.repeat(rng.normal(size=n), len(years))
               + 0.03 * (df.year - 2010) + rng.normal(0, 0.2, len(df)))
    return df


def test_never_treated_rows_have_all_dummies_zero_and_binning():
    rel = np.array([-7, -3, -1, 0, 2, 9, 5, 5])
    treated = np.array([True] * 6 + [False, False])
    d = event_time_dummies(rel, treated, window=(-4, 4), ref=-1, binned=True)
    assert list(d.columns) == [-4, -3, 0, 2, 4]
    assert d.iloc[6:].to_numpy().sum() == 0  # never treated
    assert d.loc[0, -4] == 1 and d.loc[5, 4] == 1  # binned end points
    assert d.iloc[2].sum() == 0  # reference period
    unbinned = event_time_dummies(rel, treated, window=(-4, 4), ref=-1, binned=False)
    assert list(unbinned.columns) == [-7, -3, 0, 2, 9]


def test_recovers_dynamic_path():
    es = event_study(panel(0), "y", unit="unit", time="year", cohort="cohort",
                     window=(-4, 3))
    c = es.coefs.set_index("rel_time")
    assert c.loc[-1, "coef"] == 0.0 and np.isnan(c.loc[-1, "se"])
    for e, truth in TRUE_PATH.items():
        assert c.loc[e, "ci_low"] <= truth <= c.loc[e, "ci_high"]
        assert c.loc[e, "coef"] == pytest.approx(truth, abs=0.1)
    for e in (-4, -3, -2):
        assert abs(c.loc[e, "coef"]) < 0.1
    assert list(es.coefs.columns[:5]) == ["rel_time", "coef", "se", "ci_low", "ci_high"]


def test_pretrend_test_size_and_power():
    null_p = [event_study(panel(s), "y", unit="unit", time="year", cohort="cohort")
              .pretrend_test.pvalue for s in range(20)]
    assert np.mean(np.array(null_p) < 0.05) <= 0.15  # nominal 5 %: at most 3 of 20
    power = [event_study(panel(s, pretrend=0.08), "y", unit="unit", time="year",
                         cohort="cohort").pretrend_test.pvalue for s in range(5)]
    assert max(power) < 0.01


def test_single_lead_wald_equals_t_squared():
    es = event_study(panel(1), "y", unit="unit", time="year", cohort="cohort",
                     window=(-2, 2))
    row = es.coefs.set_index("rel_time").loc[-2]
    test = es.pretrend_test
    assert test.terms == (-2,)
    assert test.statistic == pytest.approx((row["coef"] / row["se"]) ** 2, rel=1e-10)
    assert test.pvalue == pytest.approx(row["pvalue"], rel=1e-8)  # F(1, G−1) = t²(G−1)


def test_unbinned_without_never_treated_is_reported_as_collinear():
    df = panel(2)
    df = df[df.cohort > 0]
    with pytest.raises(InputError, match="共线"):
        event_study(df, "y", unit="unit", time="year", cohort="cohort", bin_endpoints=False)
    es = event_study(df, "y", unit="unit", time="year", cohort="cohort")  # binned: identified
    assert es.fit.nobs == len(df)


def test_sample_key_assistance_path():
    s = load_sample()
    c = s.counties.reset_index() if "region_code" not in s.counties.columns else s.counties
    pov = c.loc[c.poverty_county, ["region_code", "key_assistance_year"]]
    df = s.panel.merge(pov, on="region_code")
    df["cohort"] = df["key_assistance_year"].fillna(0).astype(int)
    df["log_income"] = np.log(df["rural_income_pc"])
    es = event_study(df, "log_income", unit="region_code", time="year", cohort="cohort",
                     window=(-5, 4))
    c = es.coefs.set_index("rel_time")
    truth = {e: 0.015 * (e + 1) for e in range(5)}  # 2021 = event time 0 → 0.015
    inside = [c.loc[e, "ci_low"] <= t <= c.loc[e, "ci_high"] for e, t in truth.items()]
    assert sum(inside) >= 4
    assert es.pretrend_test.pvalue > 0.05


def test_plot_is_chinese_and_complete():
    setup_cjk(prefer_system=False)
    es = event_study(panel(3), "y", unit="unit", time="year", cohort="cohort")
    fig = es.plot()
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "相对政策实施" in ax.get_xlabel()
    assert ax.get_xticklabels()[0].get_text() == "≤-4"
    assert missing_glyphs(fig) == []
    assert "relative" in es.plot(language="en").axes[0].get_xlabel()


def test_bad_window_and_cohort():
    df = panel(4)
    with pytest.raises(InputError, match="窗口"):
        event_study(df, "y", unit="unit", time="year", cohort="cohort", window=(1, 4))
    bad = df.assign(cohort=np.where(df.year == 2010, 2015, df.cohort))
    with pytest.raises(InputError, match="不唯一"):
        event_study(bad, "y", unit="unit", time="year", cohort="cohort")


# --------------------------------------------------------------------------- bands and reporting


def test_sup_t_critical_value_of_independent_estimates_is_sidak():
    """With independent normal estimates the sup-t band's critical value is the Šidák
    quantile z_{(1+0.95^{1/k})/2}; with perfectly correlated ones it is the pointwise z."""
    from scipy import stats

    from linkage.evaluation.inference import sup_t_critical

    k = 6
    sidak = stats.norm.ppf((1 + 0.95 ** (1 / k)) / 2)
    got = sup_t_critical(np.eye(k), level=0.95, reps=200_000, seed=1)
    assert got == pytest.approx(sidak, abs=0.01)
    same = sup_t_critical(np.ones((k, k)) + 1e-12 * np.eye(k), level=0.95, reps=200_000,
                          seed=1)
    assert same == pytest.approx(stats.norm.ppf(0.975), abs=0.01)


def test_uniform_band_and_pointwise_intervals_in_the_table():
    es = event_study(panel(5), "y", unit="unit", time="year", cohort="cohort")
    est = es.coefs[es.coefs["rel_time"] != -1]
    from scipy import stats

    q = stats.t.ppf(0.975, es.fit.df_resid)
    np.testing.assert_allclose(est["ci_high"] - est["coef"], q * est["se"])
    assert q < es.band_crit < stats.t.ppf(1 - 0.025 / len(est), es.fit.df_resid)
    np.testing.assert_allclose(est["band_high"] - est["coef"], es.band_crit * est["se"])
    ref = es.coefs.set_index("rel_time").loc[-1]
    assert ref["coef"] == 0 and np.isnan(ref["se"]) and np.isnan(ref["band_low"])
    at90 = event_study(panel(5), "y", unit="unit", time="year", cohort="cohort", level=0.9)
    assert at90.band_crit < es.band_crit and at90.level == 0.9


def test_pretrend_test_reports_f_and_chi2():
    es = event_study(panel(6, pretrend=0.08), "y", unit="unit", time="year", cohort="cohort")
    test = es.pretrend_test
    assert test.chi2 == pytest.approx(test.statistic * len(test.terms))
    assert test.rejects
    text = test.summary()
    assert f"χ²({len(test.terms)}) = {test.chi2:.2f}" in text
    assert f"F({len(test.terms)}, {test.df[1]:g}) = {test.statistic:.2f}" in text
    assert list(test.to_frame()["test"]) == ["F", "chi2"]
    assert "χ²" in es.summary() and "Joint pre-trend" in es.summary("en")


def test_tidy_names_event_terms_and_keeps_covariates():
    df = panel(7)
    df["x"] = np.random.default_rng(0).normal(size=len(df))
    es = event_study(df, "y", unit="unit", time="year", cohort="cohort", covariates=["x"])
    tidy = es.tidy()
    assert list(tidy.columns) == ["term", "coef", "se", "stat", "pvalue", "ci_low", "ci_high",
                                  "nobs"]
    assert {"e=-4", "e=-2", "e=0", "e=4", "x"} <= set(tidy["term"])
    assert "e=-1" not in set(tidy["term"])  # the reference period is not estimated
    row = tidy.set_index("term").loc["e=0"]
    assert row["coef"] == es.coefs.set_index("rel_time").loc[0, "coef"]


def test_figure_names_the_level_and_draws_the_reference_at_its_base():
    setup_cjk(prefer_system=False)
    es = event_study(panel(3), "y", unit="unit", time="year", cohort="cohort", ref=-2)
    ax = es.plot().axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "95%一致置信带" in labels and "点估计与95%置信区间" in labels
    assert "基期（-2，系数为0）" in labels
    hollow = [line for line in ax.get_lines() if line.get_markerfacecolor() == "white"]
    assert hollow and list(hollow[0].get_xdata()) == [-2] and list(hollow[0].get_ydata()) == [0]
    assert "χ²" in ax.texts[0].get_text()
    en = [t.get_text() for t in es.plot(language="en").axes[0].get_legend().get_texts()]
    assert "95% uniform band" in en
