"""Specification of linkage.evaluation.synth: synthetic control (Abadie, Diamond & Hainmueller
2010) with placebo-in-space inference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from matplotlib.figure import Figure

from linkage.errors import InputError
from linkage.evaluation import donor_weights, synthetic_control

YEARS = np.arange(2006, 2026)
T0 = 2020  # first treated year: 14 pre-treatment years
TRUE_W = {"d0": 0.5, "d3": 0.3, "d7": 0.2}


def factor_panel(seed: int, *, donors: int = 10, effect: float = 0.5,
                 noise: float = 0.0) -> pd.DataFrame:
    """Donors from a two-factor model with idiosyncratic shocks (so their paths are linearly
    independent); the treated unit is the convex combination TRUE_W of donors plus ``effect``
    from T0 on (plus optional noise)."""
    rng = np.random.default_rng(seed)
    t = len(YEARS)
    factors = np.column_stack([np.linspace(0, 2, t), np.sin(np.arange(t) / 2)])
    loadings = rng.normal(1, 0.5, (2, donors))
    paths = 5 + factors @ loadings + rng.normal(0, 0.2, (t, donors))
    names = [f"d{j}" for j in range(donors)]
    frame = pd.DataFrame(paths, index=YEARS, columns=names)
    frame["T"] = (sum(w * frame[d] for d, w in TRUE_W.items()) + effect * (YEARS >= T0)
                  + rng.normal(0, noise, t))
    long = frame.rename_axis("year").reset_index().melt("year", var_name="county",
                                                        value_name="y")
    return long


def fit(df: pd.DataFrame, **kw):
    return synthetic_control(df, "y", unit="county", time="year", treated_unit="T",
                             treatment_time=T0, **kw)


def test_recovers_weights_and_effect_of_exact_convex_combination():
    res = fit(factor_panel(1))
    expected = pd.Series(0.0, index=res.weights.index)
    expected[list(TRUE_W)] = list(TRUE_W.values())
    np.testing.assert_allclose(res.weights, expected, atol=1e-4)
    assert res.pre_rmspe < 1e-4
    np.testing.assert_allclose(res.path.loc[YEARS >= T0, "gap"], 0.5, atol=1e-3)
    assert res.att == pytest.approx(0.5, abs=1e-3)
    assert (res.path["gap"] == res.path["treated"] - res.path["synthetic"]).all()


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_recovers_effect_with_noise(seed):
    res = fit(factor_panel(seed, noise=0.05))
    assert res.att == pytest.approx(0.5, abs=0.1)
    assert (res.weights >= 0).all()
    assert res.weights.sum() == pytest.approx(1.0)


def test_placebo_pvalue_is_rank_of_rmspe_ratio():
    res = fit(factor_panel(5, noise=0.05))
    gaps = res.placebos
    pre = gaps.index < T0
    ratio = np.sqrt((gaps[~pre] ** 2).mean()) / np.sqrt((gaps[pre] ** 2).mean())
    at_least = int((ratio >= ratio["T"]).sum())  # treated unit counts itself
    assert res.pvalue == pytest.approx(at_least / len(ratio))
    assert len(ratio) == 11  # treated + 10 donors
    assert res.pvalue == pytest.approx(1 / 11)  # a clear effect ranks first
    table = res.placebo_table
    assert table.loc["T", "rank"] == 1 and table["treated"].sum() == 1
    null = fit(factor_panel(5, effect=0.0, noise=0.05))
    assert null.pvalue > 1 / 11


def test_placebos_never_use_the_treated_unit():
    """A donor's synthetic control comes from the other donors only (ADH 2010, §2.4): giving
    the treated unit a huge post-treatment jump must not move any placebo gap."""
    df = factor_panel(6)
    jumped = df.assign(y=np.where((df.county == "T") & (df.year >= T0), df.y + 100, df.y))
    a, b = fit(df), fit(jumped)
    donors = [c for c in a.placebos.columns if c != "T"]
    pd.testing.assert_frame_equal(a.placebos[donors], b.placebos[donors])


@pytest.mark.oracle
def test_weights_match_pysyncon():
    from pysyncon import Synth

    rng = np.random.default_rng(0)
    x0 = pd.DataFrame(rng.normal(size=(15, 10)), columns=[f"d{j}" for j in range(10)])
    x1 = pd.Series(rng.normal(size=15), name="T")
    # pysyncon scales rows by their sd over all units; V = sd² undoes it → V = I on raw rows
    scale = pd.concat([x0, x1], axis=1).std(axis=1).to_numpy()
    ref = Synth()
    ref.fit(X0=x0, X1=x1, Z0=x0, Z1=x1, custom_V=scale**2)
    ours = donor_weights(x1.to_numpy(), x0.to_numpy())
    np.testing.assert_allclose(ours, ref.W, atol=1e-4)


@pytest.mark.oracle
@pytest.mark.slow
def test_nested_v_fits_at_least_as_well_as_pysyncon():
    from pysyncon import Synth

    df = factor_panel(8, noise=0.05)
    rng = np.random.default_rng(8)
    cov = {c: rng.normal() for c in df.county.unique()}
    df["x"] = df.county.map(cov) + rng.normal(0, 0.01, len(df))
    res = fit(df, predictors=["x"], v_method="nested", placebo=False)
    assert res.v_weights.sum() == pytest.approx(1.0)
    wide = df.pivot(index="year", columns="county", values="y")
    pre = wide.index < T0
    donors = list(res.weights.index)
    means = df[df.year < T0].groupby("county")["x"].mean()
    x0 = pd.concat([means[donors].to_frame().T, wide.loc[pre, donors]])
    x1 = pd.concat([pd.Series([means["T"]]), wide.loc[pre, "T"]]).rename("T")
    x0.index = x1.index = range(len(x1))
    ref = Synth()
    ref.fit(X0=x0, X1=x1, Z0=wide.loc[pre, donors], Z1=wide.loc[pre, "T"])
    ours_mspe = res.pre_rmspe**2
    assert ours_mspe <= ref.loss_V * 1.05 + 1e-10


@settings(max_examples=30, deadline=None)
@given(arrays(float, (6, 5), elements=st.floats(-10, 10)),
       arrays(float, 6, elements=st.floats(-10, 10)))
def test_donor_weights_are_a_convex_combination(x0, x1):
    w = donor_weights(x1, x0)
    assert (w >= 0).all()
    assert w.sum() == pytest.approx(1.0)
    # no worse than the best single donor or equal weights (feasible points)
    loss = ((x1 - x0 @ w) ** 2).sum()
    candidates = [np.eye(5)[j] for j in range(5)] + [np.full(5, 0.2)]
    best = min(((x1 - x0 @ c) ** 2).sum() for c in candidates)
    # within the optimiser's reach: 1e-6 relative (donors of order 1e-5 make the loss nearly
    # flat in the weights, where SLSQP stops a few 1e-7 above the optimum)
    assert loss <= best * (1 + 1e-6) + 1e-6


def test_figures_have_chinese_labels():
    res = fit(factor_panel(9, noise=0.05))
    path = res.plot()
    assert isinstance(path, Figure)
    assert path.axes[0].get_xlabel() == "年份"
    assert "合成控制" in [t.get_text() for t in path.axes[0].get_legend().get_texts()]
    all_lines = len(res.plot_placebos().axes[0].get_lines())
    tight = len(res.plot_placebos(max_pre_rmspe_ratio=1e-9).axes[0].get_lines())
    assert tight < all_lines
    assert "合成控制" in res.summary() and "p =" in res.summary()


def test_bad_input_raises_named_errors():
    df = factor_panel(1)
    with pytest.raises(InputError, match="处理单位"):
        synthetic_control(df, "y", unit="county", time="year", treated_unit="X",
                          treatment_time=T0)
    with pytest.raises(InputError, match="bad donor"):
        fit(df, donors=["d1", "T"])
    with pytest.raises(InputError, match="fewer than 2"):
        fit(df, donors=["d1"])
    with pytest.raises(InputError, match="unbalanced"):
        fit(df[~((df.county == "d2") & (df.year == 2010))])
    with pytest.raises(InputError, match="treatment time"):
        synthetic_control(df, "y", unit="county", time="year", treated_unit="T",
                          treatment_time=2007)
    with pytest.raises(InputError, match="predictors"):
        fit(df, v_method="nested")
    with pytest.raises(InputError, match="v_method"):
        fit(df, v_method="lasso")  # type: ignore[arg-type]


def test_tidy_has_the_common_schema_and_no_invented_standard_error():
    res = fit(factor_panel(5, noise=0.05))
    tidy = res.tidy()
    assert list(tidy.columns) == ["term", "coef", "se", "stat", "pvalue", "ci_low", "ci_high",
                                  "nobs"]
    assert tidy["term"].iloc[0] == "ATT" and tidy["coef"].iloc[0] == res.att
    assert tidy["pvalue"].iloc[0] == res.pvalue and tidy["nobs"].iloc[0] == 11
    assert tidy[["se", "stat", "ci_low", "ci_high"]].isna().all().all()
    post = res.path[res.path.index >= T0]
    np.testing.assert_allclose(tidy["coef"].iloc[1:], post["gap"])
    assert "rank among 11 units" in res.summary("en")
