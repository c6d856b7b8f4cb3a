"""Specification of linkage.income: income structure and transfer dependence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage import datasets
from linkage.errors import InputError
from linkage.income import income_structure, transfer_dependence
from linkage.sample import load_sample

COLS = ["income_wage", "income_business", "income_property", "income_transfer"]


def _national_rural_2023() -> pd.DataFrame:
    t = datasets.load("income_composition_2023")
    rural = t[t["residence"] == "农村"].set_index("component")["value_yuan"]
    names = ["工资性收入", "经营净收入", "财产净收入", "转移净收入"]
    return pd.DataFrame([rural[names].to_numpy(dtype=float)], columns=COLS), rural


def test_national_rural_2023_composition_as_one_household():
    one, rural = _national_rural_2023()
    got = income_structure(one).iloc[0]
    # NBS 2023: 9163 + 7431 + 540 + 4557 = 21691 yuan
    assert rural["可支配收入合计"] == 21691
    assert got["wage"] == pytest.approx(9163 / 21691, abs=1e-12)
    assert got["business"] == pytest.approx(7431 / 21691, abs=1e-12)
    assert got["property"] == pytest.approx(540 / 21691, abs=1e-12)
    assert got["transfer"] == pytest.approx(4557 / 21691, abs=1e-12)
    assert got["income"] == 21691


def test_ratio_of_sums_differs_from_mean_of_shares():
    h = pd.DataFrame({"income_wage": [100.0, 0.0], "income_business": [0.0, 0.0],
                      "income_property": [0.0, 0.0], "income_transfer": [0.0, 900.0]})
    # ratio: transfers 900 / 1000; mean of shares: (0 + 1) / 2
    assert income_structure(h)["transfer"].item() == pytest.approx(0.9)
    assert income_structure(h, method="mean")["transfer"].item() == pytest.approx(0.5)


def test_losses_kept_or_zeroed():
    h = pd.DataFrame({"income_wage": [1000.0], "income_business": [-200.0],
                      "income_property": [0.0], "income_transfer": [200.0]})
    kept = income_structure(h).iloc[0]
    assert kept["business"] == pytest.approx(-200 / 1000)  # total 1000 net of the loss
    zero = income_structure(h, losses="zero").iloc[0]
    assert zero["business"] == 0 and zero["wage"] == pytest.approx(1000 / 1200)


def test_mean_method_refuses_non_positive_totals():
    h = pd.DataFrame({"income_wage": [0.0, 10.0], "income_business": [-5.0, 0.0],
                      "income_property": [0.0, 0.0], "income_transfer": [0.0, 0.0]})
    with pytest.raises(InputError, match="≤ 0"):
        income_structure(h, method="mean")


def test_weighted_ratio_equals_duplicated_rows():
    h = load_sample().households.iloc[:500]
    w = pd.Series(np.arange(500) % 3 + 1.0, index=h.index)
    weighted = income_structure(h, weights=w)
    expanded = income_structure(h.loc[h.index.repeat(w.astype(int))])
    pd.testing.assert_frame_equal(weighted.drop(columns="households"),
                                  expanded.drop(columns="households"))


def test_sample_transfer_share_near_the_national_rural_share():
    h = load_sample().households
    s = income_structure(h[~h["exited_poor"] & (h["year"] == 2023)], weights="weight")
    # national rural 2023: 4557 / 21691 = 21.0 %; sample README: 21.8 % for non-exited households
    assert s["transfer"].item() == pytest.approx(4557 / 21691, abs=0.02)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(*[st.floats(0, 1e5)] * 3, st.floats(-1e3, 1e5)), min_size=1,
                max_size=30), st.integers(0, 1000))
def test_shares_sum_to_one_and_ignore_row_order(rows, seed):
    h = pd.DataFrame(rows, columns=["income_wage", "income_property", "income_transfer",
                                    "income_business"])
    h["g"] = np.arange(len(h)) % 2
    if (h.groupby("g")[COLS].sum().sum(axis=1) <= 1).any():
        return
    s = income_structure(h, by="g")
    assert np.allclose(s[["wage", "business", "property", "transfer"]].sum(axis=1), 1.0)
    shuffled = h.sample(frac=1, random_state=seed)
    pd.testing.assert_frame_equal(s, income_structure(shuffled, by="g"))


def test_transfer_dependence_flags_and_rates():
    h = pd.DataFrame({
        "income_wage": [1000.0, 9000.0, 0.0, 0.0, 5000.0],
        "income_business": [0.0, 0.0, 0.0, 0.0, -4000.0],
        "income_property": [0.0] * 5,
        "income_transfer": [3000.0, 1000.0, 5000.0, 0.0, 5000.0],
        "n_labour": [2, 1, 0, 1, 1],
        "g": ["a", "a", "a", "b", "b"],
    })
    res = transfer_dependence(h, by="g")
    # row 4: gross = 5000 + 5000 (loss not netted) → share 0.5 ≥ 0.5 → dependent
    assert res.flags.tolist() == [True, False, pd.NA, pd.NA, True]
    assert res.rates.loc["a", ["assessed", "dependent"]].tolist() == [2, 1]
    assert res.rates.loc["b", ["assessed", "dependent", "no_income"]].tolist() == [1, 1, 1]
    assert res.rates.loc["a", "rate"] == 0.5
    assert "50.0%" in res.summary()


def test_transfer_dependence_threshold_validated():
    h = pd.DataFrame({c: [1.0] for c in COLS} | {"n_labour": [1]})
    with pytest.raises(InputError, match="threshold"):
        transfer_dependence(h, threshold=1.5)


def test_missing_income_is_refused_not_zeroed():
    h = pd.DataFrame({c: [1.0, np.nan] for c in COLS})
    with pytest.raises(InputError, match="缺失"):
        income_structure(h)


def test_transfer_dependence_per_person_counts_members_by_hand():
    h = pd.DataFrame({
        "income_wage": [1000.0, 9000.0], "income_business": [0.0, 0.0],
        "income_property": [0.0, 0.0], "income_transfer": [3000.0, 1000.0],
        "n_labour": [2, 1], "hh_size": [6, 2], "weight": [1.0, 3.0]})
    # households: dependent weight 1 of 1 + 3; persons: 6 of 6 + 2·3
    assert transfer_dependence(h, weights="weight").rates["rate"].item() == 0.25
    persons = transfer_dependence(h, weights="weight", per="person")
    assert persons.rates["rate"].item() == 0.5 and persons.per == "person"
    assert "按人计" in persons.summary() and "share of persons" in persons.summary("en")


def test_missing_group_key_and_absent_weight_column_raise():
    h = pd.DataFrame({c: [1.0, 2.0] for c in COLS} | {"n_labour": [1, 1], "g": ["a", None]})
    with pytest.raises(InputError, match="行 1") as info:
        transfer_dependence(h, by="g")
    assert info.value.column == "g"
    with pytest.raises(InputError, match="g"):
        income_structure(h, by="g")
    with pytest.raises(InputError, match="weight"):
        income_structure(h.fillna("b"), weights="weight")
    with pytest.raises(InputError, match="n_labour"):
        transfer_dependence(h.assign(n_labour=[1, None]))
    with pytest.raises(InputError, match="method"):
        income_structure(h.fillna("b"), method="median")
