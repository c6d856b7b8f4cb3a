"""Specification of linkage.evaluation.twfe: 2×2 DID (Wooldridge Example 13.3) and TWFE DID.

tests/data/kielmc_wooldridge.csv is a copy of /work/shared/validation/kielmc_wooldridge.csv:
Kiel & McClain (1995) incinerator house prices, North Andover MA, 1978 and 1981, as
distributed with Wooldridge, *Introductory Econometrics* (data set KIELMC), 321 rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from linkage.errors import InputError
from linkage.evaluation import did_2x2, twfe_did
from linkage.sample import load_sample

KIELMC = Path(__file__).parent / "data" / "kielmc_wooldridge.csv"


def panel(seed: int, *, n: int = 80, periods: int = 8, effect: float = 0.3,
          start: int = 4) -> pd.DataFrame:
    """Balanced panel, half the units treated from ``start`` with a homogeneous effect."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"county": np.repeat([f"c{i:03d}" for i in range(n)], periods),
                       "year": np.tile(np.arange(2010, 2010 + periods), n)})
    unit = np.repeat(rng.normal(size=n), periods)
    treated_unit = np.repeat(np.arange(n) < n // 2, periods)
    df["D"] = (treated_unit & (df.year >= 2010 + start)).astype(int)
    df["x"] = rng.normal(size=len(df)) + 0.5 * df.D
    df["y"] = (effect * df.D + 0.8 * df.x + unit + 0.05 * (df.year - 2010)
               + rng.normal(0, 0.5, len(df)))
    df["prefecture"] = df["county"].str[:3]
    return df


def two_way_demean(df: pd.DataFrame, column: str) -> np.ndarray:
    """Exact within transformation for a balanced panel: x − x̄_i − x̄_t + x̄."""
    v = df[column].astype(float)
    return (v - v.groupby(df.county).transform("mean") - v.groupby(df.year).transform("mean")
            + v.mean()).to_numpy()


def raw_cluster_sandwich(df: pd.DataFrame, regressors: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """FWL coefficients and the uncorrected CRV sandwich (Σ_g X_g'u_g u_g'X_g), by hand."""
    x = np.column_stack([two_way_demean(df, c) for c in regressors])
    y = two_way_demean(df, "y")
    bread = np.linalg.inv(x.T @ x)
    b = bread @ x.T @ y
    scores = pd.DataFrame(x * (y - x @ b)[:, None]).groupby(df.county.to_numpy()).sum().to_numpy()
    return b, bread @ scores.T @ scores @ bread


# --- case DID1: Wooldridge (2020) Example 13.3 -------------------------------------------------

def test_wooldridge_example_13_3():
    data = pd.read_csv(KIELMC)
    r = did_2x2(data, "rprice", group="nearinc", post="y81")
    c = r.fit.coefs["coef"]
    assert r.coef == pytest.approx(-11863.903, abs=1e-3)
    assert r.se == pytest.approx(7456.646, abs=1e-3)
    assert c["const"] == pytest.approx(82517.228, abs=1e-3)
    assert c["y81"] == pytest.approx(18790.286, abs=1e-3)
    assert c["nearinc"] == pytest.approx(-18824.370, abs=1e-3)
    assert r.fit.r2 == pytest.approx(0.1739, abs=1e-4)
    assert r.nobs == 321


def test_wooldridge_example_13_3_with_age():
    data = pd.read_csv(KIELMC)
    r = did_2x2(data, "rprice", group="nearinc", post="y81", covariates=["age", "agesq"])
    assert r.coef == pytest.approx(-21920.27, abs=1e-2)  # published to 2 dp
    assert r.se == pytest.approx(6359.75, abs=1e-2)


def test_2x2_interaction_equals_difference_of_differences():
    # Without covariates δ is exactly (ȳ_T,1 − ȳ_T,0) − (ȳ_C,1 − ȳ_C,0).
    data = pd.read_csv(KIELMC)
    m = data.groupby(["nearinc", "y81"])["rprice"].mean()
    expected = (m[1, 1] - m[1, 0]) - (m[0, 1] - m[0, 0])
    assert did_2x2(data, "rprice", group="nearinc", post="y81").coef == pytest.approx(expected)


@pytest.mark.oracle
def test_2x2_robust_and_cluster_match_statsmodels():
    import statsmodels.formula.api as smf

    data = pd.read_csv(KIELMC)
    ols = smf.ols("rprice ~ y81 + nearinc + y81nrinc", data)
    hc1 = ols.fit(cov_type="HC1").bse["y81nrinc"]
    crv = ols.fit(cov_type="cluster", cov_kwds={"groups": data["age"]}).bse["y81nrinc"]
    assert did_2x2(data, "rprice", group="nearinc", post="y81", vcov="hetero").se == \
        pytest.approx(hc1, rel=1e-10)
    assert did_2x2(data, "rprice", group="nearinc", post="y81", vcov="cluster",
                   cluster="age").se == pytest.approx(crv, rel=1e-10)


# --- TWFE ------------------------------------------------------------------------------------

def test_twfe_matches_fwl_and_reghdfe_small_sample_factor():
    df = panel(1)
    r = twfe_did(df, "y", unit="county", time="year", treated="D", covariates=["x"])
    b, v0 = raw_cluster_sandwich(df, ["D", "x"])
    n, g, t = len(df), df.county.nunique(), df.year.nunique()
    # reghdfe: county FE nested in the county cluster is not counted; K = 2 slopes +
    # (T − 1) year effects + 1 constant.
    k = 2 + (t - 1) + 1
    factor = g / (g - 1) * (n - 1) / (n - k)
    assert r.coef == pytest.approx(b[0], rel=1e-9)
    assert r.se == pytest.approx(np.sqrt(v0[0, 0] * factor), rel=1e-9)
    assert r.fit.df_resid == g - 1
    full = twfe_did(df, "y", unit="county", time="year", treated="D", covariates=["x"],
                    small_sample="full")
    k_full = 2 + g + t - 1  # areg counts every absorbed parameter
    assert full.se == pytest.approx(np.sqrt(v0[0, 0] * g / (g - 1) * (n - 1) / (n - k_full)),
                                    rel=1e-9)


def test_prefecture_cluster_keeps_nested_county_effects_out_of_k():
    df = panel(2)
    r = twfe_did(df, "y", unit="county", time="year", treated="D", cluster="prefecture")
    x = two_way_demean(df, "D")
    y = two_way_demean(df, "y")
    b = x @ y / (x @ x)
    s = pd.Series(x * (y - b * x)).groupby(df.prefecture.to_numpy()).sum().to_numpy()
    g, n, t = df.prefecture.nunique(), len(df), df.year.nunique()
    v = (s @ s) / (x @ x) ** 2 * g / (g - 1) * (n - 1) / (n - (1 + t))
    assert r.se == pytest.approx(np.sqrt(v), rel=1e-9)
    assert r.fit.n_clusters == (g,)


def test_two_way_clustering_uses_smallest_g():
    df = panel(3)
    r = twfe_did(df, "y", unit="county", time="year", treated="D", cluster=["county", "year"])
    x = two_way_demean(df, "D")
    y = two_way_demean(df, "y")
    u = x * (y - (x @ y / (x @ x)) * x)

    def meat(keys):
        s = pd.Series(u).groupby(keys).sum().to_numpy()
        return s @ s

    v0 = (meat(df.county.to_numpy()) + meat(df.year.to_numpy())
          - meat((df.county + df.year.astype(str)).to_numpy())) / (x @ x) ** 2
    g, n = df.year.nunique(), len(df)
    k = 1 + 1  # both fixed effects nested in a cluster: slope + constant (fixest "nested")
    assert r.se == pytest.approx(np.sqrt(v0 * g / (g - 1) * (n - 1) / (n - k)), rel=1e-9)
    assert r.fit.df_resid == g - 1


@pytest.mark.oracle
def test_twfe_matches_linearmodels_panelols():
    from linearmodels import PanelOLS

    df = panel(4)
    ours = twfe_did(df, "y", unit="county", time="year", treated="D", covariates=["x"])
    p = df.set_index(["county", "year"])
    lm = PanelOLS(p["y"], p[["D", "x"]], entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True, debiased=True)
    n, g, t = len(df), df.county.nunique(), df.year.nunique()
    # linearmodels (debiased) scales the sandwich by N/(N − K) with K = 2 + G + T − 1 and
    # no G/(G − 1); undo both conventions to compare the sandwich itself.
    lm_raw = lm.std_errors["D"] ** 2 * (n - (2 + g + t - 1)) / n
    ours_raw = ours.se**2 / (g / (g - 1) * (n - 1) / (n - (2 + t)))
    assert ours.coef == pytest.approx(lm.params["D"], rel=1e-8)
    assert ours_raw == pytest.approx(lm_raw, rel=1e-6)


def test_twfe_recovers_homogeneous_effect_across_seeds():
    est = np.array([twfe_did(panel(s), "y", unit="county", time="year", treated="D").coef
                    for s in range(20)])
    cover = [
        (lambda r: r.ci[0] <= 0.3 <= r.ci[1])(
            twfe_did(panel(s), "y", unit="county", time="year", treated="D",
                     covariates=["x"]))
        for s in range(20)
    ]
    # x is correlated with D, so omitting it biases towards 0.3 + 0.8·0.5 = 0.7
    assert abs(est.mean() - 0.7) < 0.05
    assert np.mean(cover) >= 0.8


def test_sample_key_assistance_effect_within_poverty_counties():
    s = load_sample()
    c = s.counties.reset_index() if "region_code" not in s.counties.columns else s.counties
    pov = c.loc[c.poverty_county, ["region_code", "key_assistance"]]
    df = s.panel.merge(pov, on="region_code")
    df["log_income"] = np.log(df["rural_income_pc"])
    df["D"] = (df.key_assistance & (df.year >= 2021)).astype(int)
    r = twfe_did(df, "log_income", unit="region_code", time="year", treated="D")
    # True effect 0.015·(year − 2020) for 2021–2025: its post-period mean is 0.045.
    assert r.ci[0] <= 0.045 <= r.ci[1]
    assert r.coef > 0


def test_errors_name_the_column():
    df = panel(5)
    with pytest.raises(InputError, match="D2"):
        twfe_did(df, "y", unit="county", time="year", treated="D2")
    bad = df.assign(D=df.D * 2)
    with pytest.raises(InputError, match="0/1"):
        twfe_did(bad, "y", unit="county", time="year", treated="D")
    gap = df.astype({"y": float})
    gap.loc[3, "y"] = np.nan
    with pytest.raises(InputError, match="缺失") as info:
        twfe_did(gap, "y", unit="county", time="year", treated="D")
    assert info.value.column == "y"
    with pytest.raises(InputError, match="共线"):
        twfe_did(df.assign(z=df.year * 1.0), "y", unit="county", time="year", treated="D",
                 covariates=["z"])
    with pytest.raises(InputError, match="small_sample"):
        twfe_did(df, "y", unit="county", time="year", treated="D", small_sample="areg")


def test_weights_zero_rows_equal_dropping_them():
    df = panel(6)
    w = np.where(df.county < "c010", 0.0, 1.0)
    a = twfe_did(df.assign(w=w), "y", unit="county", time="year", treated="D", weights="w")
    b = twfe_did(df[w > 0], "y", unit="county", time="year", treated="D")
    assert a.coef == pytest.approx(b.coef, rel=1e-10)
    assert a.se == pytest.approx(b.se, rel=1e-10)


def test_summary_and_frame():
    r = twfe_did(panel(7), "y", unit="county", time="year", treated="D")
    assert "双重差分" in r.summary() and "DID" in r.summary("en")
    assert list(r.to_frame().columns) == ["term", "coef", "se", "stat", "pvalue", "ci_low",
                                          "ci_high", "nobs"]
    tidy = r.tidy(level=0.90).set_index("term").loc["D"]
    assert tidy["nobs"] == r.nobs and tidy["stat"] == pytest.approx(r.coef / r.se)
    # a 90 % interval is t(G−1)-based and narrower than the 95 % one
    from scipy import stats

    q = stats.t.ppf(0.95, r.fit.df_resid)
    assert tidy["ci_high"] == pytest.approx(r.coef + q * r.se)
    assert tidy["ci_high"] - tidy["ci_low"] < r.ci[1] - r.ci[0]
    assert twfe_did(panel(7), "y", unit="county", time="year", treated="D",
                    level=0.90).ci[1] == pytest.approx(tidy["ci_high"])
