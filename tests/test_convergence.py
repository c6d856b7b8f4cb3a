"""Specification of linkage.convergence: σ- and β-convergence and kernel densities."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from statsmodels.nonparametric.kde import KDEUnivariate

from linkage.checks import FEW_CLUSTERS, WEBB_BELOW
from linkage.convergence import (
    MAX_PLAUSIBLE_SPEED,
    beta_convergence,
    kernel_density,
    panel_beta_convergence,
    sigma_convergence,
)
from linkage.errors import InputError


def _cross_section(n: int, beta: float, seed: int, period: int = 10) -> pd.DataFrame:
    """Two-year panel with growth = 0.2 + β·ln y0 + noise (per year over ``period`` years)."""
    rng = np.random.default_rng(seed)
    log0 = rng.normal(9.0, 0.4, n)
    growth = 0.2 + beta * log0 + rng.normal(0, 0.01, n)
    codes = [f"99{i:04d}" for i in range(n)]
    return pd.DataFrame({
        "region_code": codes * 2,
        "year": [2015] * n + [2015 + period] * n,
        "income": np.concatenate([np.exp(log0), np.exp(log0 + period * growth)]),
        "pref": [f"p{i % 7}" for i in range(n)] * 2,
        "x": np.tile(rng.normal(size=n), 2),
    })


# ------------------------------------------------------------------ σ

def test_sigma_hand_case_and_trend():
    df = pd.DataFrame({"year": [1, 1, 2, 2, 3, 3], "y": [1.0, 4, 1.5, 3, 2, 2.5]})
    r = sigma_convergence(df, value="y")
    # SD (n−1) of two logs = |ln a − ln b|/√2
    assert r.table["sd_log"].tolist() == pytest.approx(
        [math.log(4) / math.sqrt(2), math.log(2) / math.sqrt(2), math.log(1.25) / math.sqrt(2)])
    # CV year 1: sd(1, 4) = 3/√2, mean 2.5
    assert r.table.loc[1, "cv"] == pytest.approx(3 / math.sqrt(2) / 2.5)
    # three equally spaced years: OLS slope = (last − first)/2
    assert r.slope == pytest.approx((r.table["sd_log"].iloc[2] - r.table["sd_log"].iloc[0]) / 2)
    assert r.slope < 0 and "σ收敛" in r.summary()
    cv = sigma_convergence(df, value="y", measure="cv")
    assert cv.measure == "cv" and cv.slope < 0


def test_sigma_rejects_nonpositive_and_missing():
    df = pd.DataFrame({"year": [1, 1, 2, 2, 3, 3], "y": [1.0, 0.0, 1.5, 3, 2, 2.5]})
    with pytest.raises(InputError, match="≤ 0"):
        sigma_convergence(df, value="y")
    df.loc[1, "y"] = np.nan
    with pytest.raises(InputError, match="缺失"):
        sigma_convergence(df, value="y")
    with pytest.raises(InputError, match="至少 3 年"):
        sigma_convergence(df, value="y", missing="drop")


# ------------------------------------------------------------------ β, cross-section

def test_absolute_beta_matches_statsmodels_and_stata_cluster_formula():
    df = _cross_section(40, -0.03, seed=1)
    r = beta_convergence(df, value="income", start=2015, end=2025)
    wide = df.pivot(index="region_code", columns="year", values="income")
    g = (np.log(wide[2025]) - np.log(wide[2015])) / 10
    X = sm.add_constant(np.log(wide[2015]).to_numpy())
    ols = sm.OLS(g.to_numpy(), X).fit()
    assert r.beta == pytest.approx(ols.params[1], rel=1e-12)
    # Stata regress, vce(cluster region), one row per cluster:
    # V = (X'X)⁻¹ (Σ x_i u_i² x_i') (X'X)⁻¹ · G/(G−1) · (N−1)/(N−K), N = G = 40, K = 2
    bread = np.linalg.inv(X.T @ X)
    meat = (X * ols.resid[:, None] ** 2).T @ X
    v = bread @ meat @ bread * 40 / 39 * 39 / 38
    assert r.coefficients["se"].iloc[0] == pytest.approx(math.sqrt(v[1, 1]), rel=1e-10)
    # t with G − 1 = 39 df
    t = r.coefficients["stat"].iloc[0]
    assert r.coefficients["pvalue"].iloc[0] == pytest.approx(
        2 * (1 - __import__("scipy").stats.t.cdf(abs(t), 39)), rel=1e-8)
    assert r.kind == "absolute" and r.n == 40 and r.clusters == 40
    assert r.inference == "cluster" and r.wild is None
    # the kit's one coefficient schema
    assert list(r.tidy().columns) == ["term", "coef", "se", "stat", "pvalue", "ci_low", "ci_high",
                                      "nobs"]
    assert {"clusters", "inference"} <= set(r.to_frame().columns)


def test_conditional_beta_with_controls_and_fixed_effects_matches_formula_ols():
    df = _cross_section(60, -0.02, seed=2)
    r = beta_convergence(df, value="income", start=2015, end=2025, controls=["x"],
                         fixed_effects="pref", cluster="pref")
    first = df[df.year == 2015].set_index("region_code")
    first["g"] = (np.log(df[df.year == 2025].set_index("region_code")["income"])
                  - np.log(first["income"])) / 10
    first["lny0"] = np.log(first["income"])
    codes = pd.factorize(first["pref"])[0]
    fit = smf.ols("g ~ lny0 + x + C(pref)", data=first).fit(
        cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    assert r.kind == "conditional" and r.clusters == 7
    assert r.beta == pytest.approx(fit.params["lny0"], rel=1e-10)
    assert r.coefficients.loc["x", "se"] == pytest.approx(fit.bse["x"], rel=1e-10)


def test_beta_recovers_known_beta_on_2000_regions():
    df = _cross_section(2000, -0.02, seed=3)
    r = beta_convergence(df, value="income", start=2015, end=2025)
    se = r.coefficients["se"].iloc[0]
    assert abs(r.beta - (-0.02)) < 3 * se
    # λ = −ln(1 + βT)/T, half-life ln2/λ (Barro & Sala-i-Martin 1992)
    assert r.speed == pytest.approx(-math.log1p(10 * r.beta) / 10)
    assert r.half_life == pytest.approx(math.log(2) / r.speed)


def test_speed_at_beta_minus_002_and_no_convergence():
    df = _cross_section(500, 0.01, seed=4)
    r = beta_convergence(df, value="income", start=2015, end=2025)
    assert r.beta > 0 and r.speed is None and r.half_life is None
    assert "未发现收敛" in r.summary()
    # hand value: β = −0.02, T = 10 → λ = −ln 0.8/10 = 0.0223144, half-life 31.06 years
    from linkage.convergence import _speed
    speed, half = _speed(-0.02, 10)
    assert speed == pytest.approx(0.022314355, rel=1e-8)
    assert half == pytest.approx(31.0628, rel=1e-5)


def test_beta_missing_end_year_raises_or_drops():
    df = _cross_section(30, -0.02, seed=5)
    df = df.drop(index=df.index[(df.year == 2025)][:3])
    with pytest.raises(InputError, match="缺失"):
        beta_convergence(df, value="income", start=2015, end=2025)
    dropped = beta_convergence(df, value="income", start=2015, end=2025, missing="drop")
    assert dropped.n == 27 and dropped.n_dropped == 3
    with pytest.raises(InputError, match="missing"):
        beta_convergence(df, value="income", start=2015, end=2025, missing="keep")
    with pytest.raises(InputError, match="晚于"):
        beta_convergence(df, value="income", start=2025, end=2015)


def test_dropped_regions_are_printed_in_summary_and_frame():
    df = _cross_section(30, -0.02, seed=5)
    df = df.drop(index=df.index[(df.year == 2025)][:3])
    r = beta_convergence(df, value="income", start=2015, end=2025, missing="drop")
    assert r.n_dropped == 3
    assert "因缺失值剔除 3 个地区" in r.summary()
    assert "3 regions dropped for missing values" in r.summary("en")
    assert (r.to_frame()["n_dropped"] == 3).all()
    complete = beta_convergence(_cross_section(30, -0.02, seed=5), value="income", start=2015,
                                end=2025)
    assert "剔除" not in complete.summary() and "dropped" not in complete.summary("en")


def test_tidy_intervals_follow_level_and_sigma_has_a_tidy_table():
    r = beta_convergence(_cross_section(40, -0.03, seed=1), value="income", start=2015,
                         end=2025, controls=["x"])
    wide, narrow = r.tidy(), r.tidy(level=0.90)
    assert wide[["ci_low", "ci_high"]].equals(r.coefficients[["ci_low", "ci_high"]]
                                               .reset_index(drop=True))
    assert ((narrow["ci_high"] - narrow["ci_low"]) < (wide["ci_high"] - wide["ci_low"])).all()
    q = __import__("scipy").stats.t.ppf(0.95, r.clusters - 1)
    assert narrow["ci_high"].iloc[0] == pytest.approx(r.beta + q * wide["se"].iloc[0])
    boot = beta_convergence(_clustered(12, 8, seed=3, beta=-0.01), value="income", start=2015,
                            end=2025, cluster="pref", inference="wild", reps=199)
    at90 = boot.tidy(level=0.90).iloc[0]
    assert (at90["ci_low"], at90["ci_high"]) == tuple(
        boot.wild.at_level(0.90).table.loc[0, ["ci_low", "ci_high"]])
    assert boot.coefficients["ci_low"].iloc[0] < at90["ci_low"]  # same draws, narrower
    sigma = sigma_convergence(pd.DataFrame({"year": [1, 1, 2, 2, 3, 3, 4, 4],
                                            "y": [1.0, 4, 1.5, 3, 2, 2.5, 2, 2.2]}), value="y")
    row = sigma.tidy().iloc[0]
    assert list(sigma.tidy().columns) == ["term", "coef", "se", "stat", "pvalue", "ci_low",
                                          "ci_high", "nobs"]
    assert (row["term"], row["coef"], row["pvalue"], row["nobs"]) == ("trend", sigma.slope,
                                                                      sigma.p, 8)
    assert row["ci_high"] == pytest.approx(
        sigma.slope + __import__("scipy").stats.t.ppf(0.975, 2) * sigma.se)


# ------------------------------------------------------------------ β, panel

def _panel(n: int, years: int, beta: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    alpha = rng.normal(0.3, 0.05, n)
    log_y = np.empty((n, years))
    log_y[:, 0] = rng.normal(9, 0.3, n)
    shocks = rng.normal(0, 0.02, (n, years)) + rng.normal(0, 0.01, years)
    for t in range(1, years):  # loop over a handful of years
        log_y[:, t] = log_y[:, t - 1] + alpha + beta * log_y[:, t - 1] + shocks[:, t]
    return pd.DataFrame({"region_code": np.repeat([f"r{i}" for i in range(n)], years),
                         "year": np.tile(np.arange(2015, 2015 + years), n),
                         "income": np.exp(log_y.ravel())})


def test_panel_year_effects_matches_statsmodels_dummies():
    df = _panel(80, 6, -0.03, seed=6)
    r = panel_beta_convergence(df, value="income")
    d = df.sort_values(["region_code", "year"]).copy()
    d["lny"] = np.log(d["income"])
    d["lag"] = d.groupby("region_code")["lny"].shift()
    d = d.dropna()
    d["g"] = d["lny"] - d["lag"]
    fit = smf.ols("g ~ lag + C(year)", data=d).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["region_code"])[0]}, use_t=True)
    assert r.beta == pytest.approx(fit.params["lag"], rel=1e-10)
    assert r.coefficients["se"].iloc[0] == pytest.approx(fit.bse["lag"], rel=1e-10)
    assert r.n == 80 * 5 and r.period == 1


def test_panel_twoway_equals_lsdv_slope_with_region_effects_not_counted():
    df = _panel(50, 6, -0.2, seed=7)
    df = df.iloc[:-5]  # last region keeps one year: no growth row for it
    df = df[~((df.region_code == "r48") & (df.year > 2016))]  # r48: one growth row → singleton
    r = panel_beta_convergence(df, value="income", fixed_effects="twoway")
    d = df.sort_values(["region_code", "year"]).copy()
    d["lny"] = np.log(d["income"])
    d["lag"] = d.groupby("region_code")["lny"].shift()
    d = d.dropna()
    d = d[d.groupby("region_code")["lag"].transform("size") > 1]
    d["g"] = d["lny"] - d["lag"]
    groups = pd.factorize(d["region_code"])[0]
    lsdv = smf.ols("g ~ lag + C(year) + C(region_code)", data=d).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    assert r.n_singletons == 1 and r.n == len(d)
    assert r.beta == pytest.approx(lsdv.params["lag"], rel=1e-9)
    # LSDV counts the 48 region dummies in K; xtreg-fe convention does not:
    # SE_within = SE_lsdv · √((N − K_lsdv)/(N − K_within)), K_within = 1 + 4 years + const
    n, k_lsdv, k_within = len(d), len(lsdv.params), 1 + 4 + 1
    expected = lsdv.bse["lag"] * math.sqrt((n - k_lsdv) / (n - k_within))
    assert r.coefficients["se"].iloc[0] == pytest.approx(expected, rel=1e-8)
    assert r.speed == pytest.approx(-math.log1p(r.beta))


def test_panel_counts_rows_lost_to_gaps_and_missing_values():
    """A missing value drops its row (n_dropped) and takes the next year's growth observation
    with it; a year absent from the panel does the same (n_no_lag) — nothing silently."""
    df = _panel(20, 6, -0.05, seed=13)
    df.loc[(df.region_code == "r3") & (df.year == 2017), "income"] = np.nan
    df = df[~((df.region_code == "r5") & (df.year == 2018))]
    with pytest.raises(InputError, match="缺失"):
        panel_beta_convergence(df, value="income")
    r = panel_beta_convergence(df, value="income", missing="drop")
    # r3: 2017 dropped, so 2017 and 2018 give no growth row; r5: 2018 absent, 2019 has no lag
    assert (r.n_dropped, r.n_no_lag) == (1, 2)
    assert r.n == 20 * 5 - 2 - 1 - 1
    assert "因缺失值剔除 1 行" in r.summary() and "2 行因上一年缺失" in r.summary()
    assert "2 rows give no growth observation" in r.summary("en")
    assert r.to_frame()["n_no_lag"].eq(2).all()


def test_panel_bad_inputs():
    df = _panel(10, 4, -0.1, seed=8)
    with pytest.raises(InputError, match="fixed_effects"):
        panel_beta_convergence(df, value="income", fixed_effects="region")
    dup = pd.concat([df, df.iloc[[0]]])
    with pytest.raises(InputError, match="重复"):
        panel_beta_convergence(dup, value="income")
    with pytest.raises(InputError, match="缺少列"):
        panel_beta_convergence(df, value="rural_income")


def test_panel_twoway_needs_units_nested_in_clusters():
    df = _panel(12, 4, -0.1, seed=9)
    df["pref"] = np.where(df["year"] < 2017, "a", "b")  # a unit in two clusters
    with pytest.raises(InputError, match="嵌套"):
        panel_beta_convergence(df, value="income", fixed_effects="twoway", cluster="pref")


# ------------------------------------------------------------------ speed flags

def test_fast_fixed_effects_speed_is_flagged_with_its_nickell_bias():
    # true β = −0.2 (λ = 22 %/year) in a 6-year panel: far above any published speed
    r = panel_beta_convergence(_panel(60, 6, -0.2, seed=10), value="income",
                               fixed_effects="twoway")
    assert r.speed > MAX_PLAUSIBLE_SPEED and r.implausible
    assert r.n_times == 5
    assert r.nickell_bias == pytest.approx(-(2 + r.beta) / 4)  # −(1 + ρ)/(T − 1), ρ = 1 + β
    zh, en = r.summary(), r.summary("en")
    assert "不可信" in zh and "Nickell" in zh and f"{r.nickell_bias:.2f}" in zh
    assert "not credible" in en and "Nickell" in en


def test_usual_speed_is_not_flagged_and_has_no_nickell_term():
    r = beta_convergence(_cross_section(300, -0.02, seed=11), value="income", start=2015,
                         end=2025)
    assert r.speed == pytest.approx(0.0223, abs=0.005)
    assert not r.implausible and r.nickell_bias is None
    assert "不可信" not in r.summary() and "credible" not in r.summary("en")
    year_only = panel_beta_convergence(_panel(60, 6, -0.2, seed=10), value="income")
    assert year_only.nickell_bias is None  # no unit effects, no Nickell bias
    assert year_only.implausible == (year_only.speed > MAX_PLAUSIBLE_SPEED)


def test_summaries_follow_language():
    df = pd.DataFrame({"year": [1, 1, 2, 2, 3, 3], "y": [1.0, 4, 1.5, 3, 2, 2.5]})
    sigma = sigma_convergence(df, value="y")
    assert "σ收敛" in sigma.summary() and "σ-convergence" in sigma.summary("en")
    beta = beta_convergence(_cross_section(40, -0.03, seed=1), value="income", start=2015,
                            end=2025)
    assert "绝对β收敛" in beta.summary() and "Absolute β-convergence" in beta.summary("en")
    assert f"{beta.beta:.5f}" in beta.summary("en")
    with pytest.raises(InputError, match="language"):
        beta.summary("de")


# ------------------------------------------------------------------ wild cluster bootstrap

def _clustered(n_clusters: int, per: int, seed: int, *, beta: float = 0.0) -> pd.DataFrame:
    """Cross-section with a cluster component in ln y0 and in growth, errors ∝ |x − x̄|:
    the design in which few-cluster t-tests over-reject (Cameron, Gelbach & Miller 2008)."""
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_clusters), per)
    x = rng.normal(0, 1, n_clusters)[g] + rng.normal(0, 0.3, g.size)
    u = (rng.normal(0, 1, n_clusters)[g] + rng.normal(0, 0.5, g.size)) * np.abs(x)
    log0 = 9 + 0.3 * x
    growth = 0.05 + beta * log0 + 0.01 * u
    codes = [f"99{i:04d}" for i in range(g.size)]
    return pd.DataFrame({"region_code": codes * 2, "year": [2015] * g.size + [2025] * g.size,
                         "income": np.exp(np.concatenate([log0, log0 + 10 * growth])),
                         "pref": np.tile([f"p{c:02d}" for c in g], 2)})


@pytest.mark.oracle
def test_wild_p_value_is_the_wildboottest_package_value_for_the_same_seed():
    from wildboottest.wildboottest import wildboottest

    df = _clustered(12, 8, seed=3, beta=-0.01)
    for weights in ("rademacher", "webb"):
        r = beta_convergence(df, value="income", start=2015, end=2025, cluster="pref",
                             inference="wild", reps=999, seed=42, wild_weights=weights)
        first = df[df.year == 2015].reset_index(drop=True)
        last = df[df.year == 2025].reset_index(drop=True)
        exog = pd.DataFrame({"lny0": np.log(first["income"]), "const": 1.0})
        growth = (np.log(last["income"]) - exog["lny0"]) / 10
        ref = wildboottest(sm.OLS(growth, exog), B=999, param="lny0", seed=42,
                           cluster=pd.factorize(first["pref"])[0], weights_type=weights,
                           show=False)
        wild = r.wild.table.iloc[0]
        assert wild["pvalue"] == ref["p-value"].iloc[0]
        assert r.pvalue == wild["pvalue"] and r.inference == "wild"
        # the bootstrap tests the cluster-robust t: same statistic as the analytic table
        assert wild["stat"] == pytest.approx(r.coefficients["stat"].iloc[0], rel=1e-10)
        assert r.wild.weights == weights and r.wild.reps == 999
        # the interval is the inverted bootstrap test, not the t interval
        lo, hi = r.coefficients.loc["ln_income_2015", ["ci_low", "ci_high"]]
        assert (lo, hi) == (wild["ci_low"], wild["ci_high"]) and lo < r.beta < hi
        nudge = 0.02 * r.coefficients["se"].iloc[0]
        for end, outward in ((lo, -1), (hi, 1)):
            for shift, rejected in ((end - outward * nudge, False), (end + outward * nudge, True)):
                p = wildboottest(sm.OLS(growth - shift * exog["lny0"], exog), B=999,
                                 param="lny0", seed=42,
                                 cluster=pd.factorize(first["pref"], sort=True)[0],
                                 weights_type=weights, show=False)["p-value"].iloc[0]
                assert (p < 0.05) == rejected
    again = beta_convergence(df, value="income", start=2015, end=2025, cluster="pref",
                             inference="wild", reps=999, seed=42, wild_weights="webb")
    assert again.wild.table.equals(r.wild.table)  # same seed, same p-value and interval
    assert "野聚类自助法" in r.summary() and "wild cluster restricted bootstrap" in r.summary("en")


@pytest.mark.oracle
def test_wild_bootstrap_on_the_within_design_equals_the_lsdv_bootstrap():
    # units nested in clusters, null imposed: absorbing unit effects changes nothing
    from wildboottest.wildboottest import wildboottest

    df = _panel(24, 5, -0.1, seed=12)
    df["pref"] = df["region_code"].str[1:].astype(int) % 8
    r = panel_beta_convergence(df, value="income", fixed_effects="twoway", cluster="pref",
                               inference="wild", reps=499, seed=3, wild_weights="webb")
    d = df.sort_values(["region_code", "year"]).copy()
    d["lny"] = np.log(d["income"])
    d["lag"] = d.groupby("region_code")["lny"].shift()
    d = d.dropna()
    exog = pd.get_dummies(d[["region_code", "year"]].astype(str), drop_first=True).astype(float)
    exog.insert(0, "lag", d["lag"])
    exog["const"] = 1.0
    ref = wildboottest(sm.OLS(d["lny"] - d["lag"], exog), B=499, param="lag", seed=3,
                       cluster=d["pref"].to_numpy(), weights_type="webb", show=False)
    wild = r.wild.table.iloc[0]
    assert wild["pvalue"] == ref["p-value"].iloc[0]
    # the statistics differ only by LSDV counting the unit dummies in K (xtreg does not)
    k_lsdv, k_within = exog.shape[1], 1 + 3 + 1
    n = len(d)
    assert wild["stat"] * np.sqrt((n - k_lsdv) / (n - k_within)) == pytest.approx(
        float(np.squeeze(ref["statistic"].iloc[0])), rel=1e-8)


def test_auto_inference_uses_the_bootstrap_only_with_few_clusters():
    many = beta_convergence(_clustered(FEW_CLUSTERS, 2, seed=4), value="income", start=2015,
                            end=2025, cluster="pref", inference="auto", reps=199, seed=1)
    assert many.clusters == FEW_CLUSTERS and many.wild is None
    few = beta_convergence(_clustered(FEW_CLUSTERS - 1, 2, seed=4), value="income",
                           start=2015, end=2025, cluster="pref", inference="auto", reps=199,
                           seed=1)
    assert few.wild is not None and few.wild.reps == 199


def test_rademacher_with_few_clusters_enumerates_every_sign_vector():
    r = beta_convergence(_clustered(6, 5, seed=5), value="income", start=2015, end=2025,
                         cluster="pref", inference="wild", reps=999, seed=1,
                         wild_weights="rademacher")
    assert r.wild.reps == 2 ** 6 and r.wild.weights == "rademacher"


def test_weights_follow_the_one_rule_webb_below_webb_below_clusters():
    """No hard-coded weights: the default is checks.WEBB_BELOW's rule, as in the policy
    report (Webb with 11 clusters, Rademacher with 12)."""
    for clusters, expected in ((WEBB_BELOW - 1, "webb"), (WEBB_BELOW, "rademacher")):
        r = beta_convergence(_clustered(clusters, 4, seed=5), value="income", start=2015,
                             end=2025, cluster="pref", inference="wild", reps=199)
        assert r.wild.weights == expected and r.wild.n_clusters == clusters
    assert "Webb" in beta_convergence(
        _clustered(WEBB_BELOW - 1, 4, seed=5), value="income", start=2015, end=2025,
        cluster="pref", inference="auto", reps=199).summary()


def test_default_seed_makes_the_bootstrap_reproducible():
    runs = [beta_convergence(_clustered(10, 4, seed=5), value="income", start=2015, end=2025,
                             cluster="pref", inference="wild", reps=199) for _ in range(2)]
    assert runs[0].wild.table.equals(runs[1].wild.table) and runs[0].wild.seed is not None


def test_wild_options_are_checked():
    df = _clustered(12, 3, seed=6)
    with pytest.raises(InputError, match="inference"):
        beta_convergence(df, value="income", start=2015, end=2025, inference="bootstrap")
    with pytest.raises(InputError, match="wild_weights"):
        beta_convergence(df, value="income", start=2015, end=2025, inference="wild",
                         wild_weights="mammen")
    with pytest.raises(InputError, match="reps"):
        beta_convergence(df, value="income", start=2015, end=2025, inference="wild", reps=10)


@pytest.mark.slow
def test_with_12_clusters_the_t_test_over_rejects_and_the_wild_bootstrap_does_not():
    # β = 0 holds; 12 clusters, heteroskedastic within clusters. Monte Carlo of 2,000 draws
    # of this design (not run here) gives 16 % rejections at 5 % for the cluster-robust t(G−1)
    # test; 60 draws keep the test short and still separate the two.
    rejections = np.zeros((60, 2), dtype=bool)
    for i in range(60):
        r = beta_convergence(_clustered(12, 10, seed=100 + i), value="income", start=2015,
                             end=2025, cluster="pref", inference="wild", reps=199, seed=i,
                             wild_weights="webb")
        stat = r.wild.table["stat"].iloc[0]
        assert stat == pytest.approx(r.coefficients["stat"].iloc[0], rel=1e-8)
        t_p = 2 * __import__("scipy").stats.t.sf(abs(stat), r.clusters - 1)
        rejections[i] = [t_p < 0.05, r.pvalue < 0.05]
    t_count, wild_count = rejections.sum(axis=0)
    above_nominal = [binomtest(int(k), 60, 0.05, alternative="greater").pvalue
                     for k in (t_count, wild_count)]
    assert above_nominal[0] < 0.01  # the t-test rejects significantly more often than 5 %
    assert above_nominal[1] > 0.01  # the bootstrap is consistent with the nominal 5 %
    assert wild_count < t_count


# ------------------------------------------------------------------ kernel density

def test_kernel_density_matches_statsmodels_silverman():
    rng = np.random.default_rng(9)
    values = pd.Series(np.concatenate([rng.lognormal(9, 0.4, 300), rng.lognormal(9.3, 0.3, 250)]),
                       index=pd.Index([2020] * 300 + [2025] * 250, name="year"))
    out = kernel_density(values, grid=120)
    assert set(out["year"]) == {2020, 2025}
    for year in (2020, 2025):
        part = out[out.year == year]
        kde = KDEUnivariate(values.loc[year].to_numpy())
        kde.fit(kernel="gau", bw="silverman", fft=False)
        assert part["bandwidth"].iloc[0] == pytest.approx(kde.bw, rel=1e-12)
        assert part["density"].to_numpy() == pytest.approx(kde.evaluate(part["value"].to_numpy()),
                                                           rel=1e-8, abs=1e-14)
        # a density integrates to 1 over a grid that spans the data ± 3 bandwidths
        assert np.trapezoid(part["density"], part["value"]) == pytest.approx(1.0, abs=5e-3)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=3, max_size=30,
                unique=True), st.floats(min_value=0.1, max_value=50))
def test_kernel_density_fixed_bandwidth_is_the_gaussian_formula(x, h):
    s = pd.Series(x)
    grid = np.linspace(min(x), max(x), 7)
    out = kernel_density(s, by=None, grid=grid, bandwidth=h)
    z = (grid[:, None] - np.asarray(x)[None, :]) / h
    expected = np.exp(-z ** 2 / 2).sum(axis=1) / (len(x) * h * math.sqrt(2 * math.pi))
    assert out["density"].to_numpy() == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_kernel_density_bad_inputs():
    s = pd.Series([1.0, 1.0, 1.0], index=pd.Index([2020] * 3, name="year"))
    with pytest.raises(InputError, match="全部相同"):
        kernel_density(s)
    with pytest.raises(InputError, match="索引"):
        kernel_density(s, by="period")
    with pytest.raises(InputError, match="bandwidth"):
        kernel_density(s, bandwidth="cv")
