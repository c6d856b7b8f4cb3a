"""Outcome equivalence (linkage.synergy.outcomes): gaps closing, across prefectures, σ."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import linkage.synergy.outcomes as module
from linkage.errors import InputError
from linkage.sample import load_sample
from linkage.scoring import score_framework
from linkage.synergy.outcomes import dimension_progress, outcome_equivalence


@pytest.fixture
def four_counties() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counties a, c former poverty; b, d other; prefecture p1 = a, b, p2 = c, d; 2020–2022."""
    idx = pd.MultiIndex.from_product([list("abcd"), [2020, 2021, 2022]],
                                     names=["region_code", "year"])
    scores = pd.DataFrame({
        "industry": [.2, .3, .4, .6, .6, .6, .3, .35, .4, .5, .5, .5],
        "ecology": [.4, .45, .5, .6, .6, .6, .5, .45, .3, .6, .6, .6],
    }, index=idx)
    counties = pd.DataFrame({"poverty_county": [True, False, True, False],
                             "prefecture_code": ["p1", "p1", "p2", "p2"]},
                            index=pd.Index(list("abcd"), name="region_code"))
    return scores, counties


def test_gaps_hand_computed(four_counties):
    scores, counties = four_counties
    oe = outcome_equivalence(scores, counties)
    g = oe.gaps
    assert list(g.index) == ["industry", "ecology"]
    # industry 2020: poor (.2 + .3)/2 = .25, other (.6 + .5)/2 = .55 → −.30; 2022: .40 − .55
    assert g.loc["industry", "gap_first"] == pytest.approx(-0.30)
    assert g.loc["industry", "gap_last"] == pytest.approx(-0.15)
    assert g.loc["industry", "change"] == pytest.approx(0.15)
    assert bool(g.loc["industry", "closing"])
    # ecology 2020: (.4 + .5)/2 − .6 = −.15; 2022: (.5 + .3)/2 − .6 = −.20 → widening
    assert g.loc["ecology", "gap_first"] == pytest.approx(-0.15)
    assert g.loc["ecology", "gap_last"] == pytest.approx(-0.20)
    assert not g.loc["ecology", "closing"]


def test_consistency_across_prefectures(four_counties):
    scores, counties = four_counties
    oe = outcome_equivalence(scores, counties)
    p = oe.prefectures
    # industry p1: .2 − .6 = −.4 → .4 − .6 = −.2; p2: −.2 → −.1: both close
    assert p.loc[("industry", "p1"), "gap_first"] == pytest.approx(-0.4)
    assert p.loc[("industry", "p2"), "gap_last"] == pytest.approx(-0.1)
    assert oe.consistency.loc["industry", "share_closing"] == 1.0
    # ecology p1: −.2 → −.1 closes; p2: −.1 → −.3 widens → 1 of 2
    assert oe.consistency.loc["ecology"].to_dict() == {
        "n_prefectures": 2, "n_closing": 1, "share_closing": 0.5}


def test_sigma_is_the_sd_of_the_score(four_counties):
    scores, counties = four_counties
    oe = outcome_equivalence(scores, counties)
    first = np.std([.2, .6, .3, .5], ddof=1)    # industry 2020
    last = np.std([.4, .6, .4, .5], ddof=1)     # industry 2022
    assert oe.sigma.loc["industry", "sd_first"] == pytest.approx(first)
    assert oe.sigma.loc["industry", "sd_last"] == pytest.approx(last)
    assert oe.sigma.loc["industry", "slope"] < 0
    table = oe.to_frame()
    assert {"gap_first", "share_closing", "sd_first", "sigma_slope"} <= set(table.columns)


def test_prefecture_with_one_group_is_left_out(four_counties):
    scores, counties = four_counties
    one_sided = counties.assign(prefecture_code=["p1", "p1", "p2", "p3"])
    oe = outcome_equivalence(scores, one_sided)
    assert set(oe.prefectures.index.get_level_values("prefecture_code")) == {"p1"}
    assert oe.consistency.loc["industry", "n_prefectures"] == 1


def test_summary_names_the_widening_dimensions(four_counties):
    scores, counties = four_counties
    oe = outcome_equivalence(scores, counties)
    text = oe.summary(names={"ecology": "生态宜居"})
    assert "1/2 个维度上缩小" in text and "生态宜居" in text and "地市" in text
    assert "1 of 2 dimensions" in oe.summary("en")


def test_years_and_county_table_are_checked(four_counties):
    scores, counties = four_counties
    with pytest.raises(InputError, match="first"):
        outcome_equivalence(scores, counties, first=2022, last=2020)
    with pytest.raises(InputError, match="县表中没有") as err:
        outcome_equivalence(scores, counties.drop(index="d"))
    assert "'d'" in str(err.value)
    with pytest.raises(InputError, match="True/False"):
        outcome_equivalence(scores, counties.assign(poverty_county=["是", "否", "是", "否"]))
    with pytest.raises(InputError, match="缺少列"):
        outcome_equivalence(scores, counties, by="county_group")


def test_dimension_progress_hand_computed(four_counties):
    scores, _ = four_counties
    p = dimension_progress(scores, first=2020, last=2022)
    # industry means: 2020 (.2 + .6 + .3 + .5)/4 = .4; 2022 (.4 + .6 + .4 + .5)/4 = .475
    assert p.loc["industry"].tolist() == pytest.approx([0.4, 0.475, 0.075])
    assert p.attrs == {"first": 2020, "last": 2022}


def test_on_the_bundled_sample_matches_group_means():
    sample = load_sample()
    scores = score_framework(sample.panel, counties=sample.counties,
                             missing="year_mean").wide("dimension")
    oe = outcome_equivalence(scores, sample.counties)
    assert oe.n_counties == len(sample.counties)
    assert oe.consistency["share_closing"].between(0, 1).all()
    # oracle: the gap in the last year straight from pandas group means
    frame = scores.reset_index().merge(sample.counties[["region_code", "poverty_county"]])
    last = frame[frame["year"] == oe.last].groupby("poverty_county")["industry"].mean()
    assert oe.gaps.loc["industry", "gap_last"] == pytest.approx(last[True] - last[False])
    assert (oe.gaps["closing"] == (oe.gaps["gap_last"].abs()
                                   < oe.gaps["gap_first"].abs())).all()


def test_docstring_examples():
    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0
