"""Specification of linkage.dynamics: statuses, transition matrices, attrition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.dynamics import (
    RISK_STATUSES,
    UNOBSERVED,
    risk_status,
    transition_matrix,
    transitions,
)
from linkage.errors import InputError
from linkage.sample import load_sample


@pytest.fixture(scope="module")
def households():
    return load_sample().households


def _toy() -> pd.DataFrame:
    # a: 穷→不穷; b: 不穷→不穷; c: only 2021 (attrition); d: only 2022 (entry); e: 穷→穷
    return pd.DataFrame({
        "household_id": ["a", "a", "b", "b", "c", "d", "e", "e"],
        "year": [2021, 2022, 2021, 2022, 2021, 2022, 2021, 2022],
        "s": ["穷", "不穷", "不穷", "不穷", "穷", "不穷", "穷", "穷"],
        "w": [2.0, 2.0, 1.0, 1.0, 5.0, 3.0, 1.0, 1.0],
    })


def test_hand_counted_matrix_with_attrition_row_and_column():
    r = transition_matrix(_toy(), status="s", from_year=2021, to_year=2022)
    # labels sorted: 不穷, 穷, then 未观测
    assert list(r.counts.index) == ["不穷", "穷", UNOBSERVED]
    assert r.counts.to_numpy().tolist() == [[1, 0, 0], [1, 1, 1], [1, 0, 0]]
    assert r.rates.loc["穷"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    assert r.rates.loc[UNOBSERVED].tolist() == [1.0, 0.0, 0.0]
    text = r.summary()
    assert "两年均观测 3 户" in text and "仅 2021 年观测 1" in text and "仅 2022 年观测 1" in text
    assert "3 households observed in both years" in r.summary("en")


def test_weighted_matrix_uses_household_weights():
    r = transition_matrix(_toy(), status="s", from_year=2021, to_year=2022, weights="w")
    assert r.counts.loc["穷", "不穷"] == 2.0
    assert r.counts.loc["穷", UNOBSERVED] == 5.0
    assert r.counts.loc[UNOBSERVED, "不穷"] == 3.0
    assert r.weighted


def test_person_counts_use_household_size_and_the_base_year_weight():
    h = _toy().assign(hh_size=[4, 5, 1, 1, 3, 2, 6, 6])
    r = transition_matrix(h, status="s", from_year=2021, to_year=2022, weights="w", per="person")
    # a: weight 2 × size 4 in 2021 (its 2022 size 5 is not used); d enters in 2022: 3 × 2
    assert r.counts.loc["穷", "不穷"] == 8.0
    assert r.counts.loc[UNOBSERVED, "不穷"] == 6.0
    assert r.counts.loc["穷", "穷"] == 6.0 and r.counts.loc["穷", UNOBSERVED] == 15.0
    assert r.rates.loc["穷", "不穷"] == pytest.approx(8 / (8 + 6 + 15))
    assert r.per == "person" and "人" in r.summary() and "persons" in r.summary("en")
    households = transition_matrix(h, status="s", from_year=2021, to_year=2022, weights="w")
    assert households.rates.loc["穷", "不穷"] == pytest.approx(2 / (2 + 1 + 5))
    with pytest.raises(InputError, match="hh_size"):
        transition_matrix(_toy(), status="s", from_year=2021, to_year=2022, per="person")


def test_weights_may_change_between_years_and_the_pair_uses_its_first_year():
    h = _toy()
    h.loc[1, "w"] = 50.0  # a's 2022 weight: not used for the pair 2021→2022
    r = transition_matrix(h, status="s", from_year=2021, to_year=2022, weights="w")
    assert r.counts.loc["穷", "不穷"] == 2.0


def test_to_frame_is_tidy_and_consistent():
    r = transition_matrix(_toy(), status="s", from_year=2021, to_year=2022)
    f = r.to_frame()
    assert list(f.columns) == ["from_year", "to_year", "from_status", "to_status", "count",
                               "rate"]
    assert f["count"].sum() == r.counts.to_numpy().sum() == 5


def test_risk_status_rules():
    h = pd.DataFrame({
        "region_code": "990101", "year": 2022,
        "income_pc": [6599.0, 7000.0, 7000.0, 7000.0],
        "exited_poor": [False, True, True, False],
        "monitor_category": ["非监测对象", "脱贫不稳定户", "脱贫不稳定户", "非监测对象"],
        "risk_eliminated": pd.array([pd.NA, False, True, pd.NA], dtype="boolean"),
    })
    # threshold 2022 = 6600: below → risk; unresolved roster → risk; eliminated → stable
    assert risk_status(h).tolist() == ["一般农户·风险", "脱贫户·风险", "脱贫户·稳定",
                                       "一般农户·稳定"]
    assert list(risk_status(h).cat.categories) == list(RISK_STATUSES)


@pytest.mark.parametrize("column", ["income_pc", "exited_poor", "monitor_category",
                                    "risk_eliminated"])
def test_risk_status_refuses_missing_values_instead_of_guessing(column):
    h = pd.DataFrame({
        "region_code": "990101", "year": 2022, "income_pc": [7000.0, 7000.0],
        "exited_poor": [True, True], "monitor_category": ["脱贫不稳定户", "脱贫不稳定户"],
        "risk_eliminated": pd.array([True, True], dtype="boolean")})
    h[column] = h[column].astype(object) if column != "risk_eliminated" else h[column]
    h.loc[1, column] = None if column != "risk_eliminated" else pd.NA
    with pytest.raises(InputError, match="行 1") as info:
        risk_status(h)
    assert info.value.column == column


def test_chain_equals_pairwise_matrices(households):
    status = risk_status(households)
    chain = transitions(households, status=status, weights="weight")
    assert sorted(chain["from_year"].unique()) == [2021, 2022, 2023, 2024]
    for y in (2021, 2024):
        one = transition_matrix(households, status=status, from_year=y, to_year=y + 1,
                                weights="weight").to_frame()
        one = one[~((one["from_status"] == UNOBSERVED) & (one["to_status"] == UNOBSERVED))]
        part = chain[chain["from_year"] == y]
        pd.testing.assert_frame_equal(part.reset_index(drop=True), one.reset_index(drop=True),
                                      check_dtype=False, check_categorical=False)


def test_sample_matrix_counts_every_household(households):
    status = risk_status(households)
    r = transition_matrix(households, status=status, from_year=2021, to_year=2025)
    assert r.counts.to_numpy().sum() == households["household_id"].nunique()
    # 脱贫户 stay 脱贫户: no transitions across the 脱贫户 / 一般农户 boundary
    assert r.counts.loc["脱贫户·稳定", "一般农户·稳定"] == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(2021, 2024), st.sampled_from("ABC")),
                min_size=1, max_size=60), st.integers(0, 1000))
def test_counts_sum_to_households_and_rates_to_one(rows, seed):
    h = pd.DataFrame(rows, columns=["household_id", "year", "s"]).drop_duplicates(
        ["household_id", "year"])
    if h["year"].nunique() < 2:
        return
    years = sorted(h["year"].unique())
    a, b = years[0], years[-1]
    r = transition_matrix(h, status="s", from_year=a, to_year=b)
    present = h[h["year"].isin([a, b])]["household_id"].nunique()
    assert r.counts.to_numpy().sum() == present
    matched = set(h.loc[h["year"] == a, "household_id"]) & set(h.loc[h["year"] == b,
                                                                   "household_id"])
    assert r.counts.drop(index=UNOBSERVED, columns=UNOBSERVED).to_numpy().sum() == len(matched)
    sums = r.rates.sum(axis=1)[r.counts.sum(axis=1) > 0]
    assert np.allclose(sums, 1.0)
    shuffled = h.sample(frac=1, random_state=seed)
    again = transition_matrix(shuffled, status="s", from_year=a, to_year=b)
    pd.testing.assert_frame_equal(r.counts, again.counts)


def test_errors_are_explicit():
    h = _toy()
    with pytest.raises(InputError, match="2030"):
        transition_matrix(h, status="s", from_year=2021, to_year=2030)
    with pytest.raises(InputError, match="多行"):
        transition_matrix(pd.concat([h, h]), status="s", from_year=2021, to_year=2022)
    with pytest.raises(InputError, match="状态"):
        transition_matrix(h.assign(s=[None, *h["s"][1:]]), status="s", from_year=2021,
                          to_year=2022)
