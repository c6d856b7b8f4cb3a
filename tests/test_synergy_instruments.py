"""Instrument mix and concentration (linkage.synergy.instruments)."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import linkage.synergy.instruments as module
from linkage.errors import InputError
from linkage.synergy.instruments import herfindahl, instrument_mix

INSTRUMENTS = ["supply_funds", "env_planning", "demand_pairing"]
CATEGORIES = pd.Series({"supply_funds": "supply", "env_planning": "environment",
                        "demand_pairing": "demand"})


@pytest.fixture
def corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two 中央 documents and one 县 document; goals g1, g2."""
    docs = pd.DataFrame({"level": ["中央", "中央", "县"], "year": [2020, 2022, 2022],
                         "strength": [5, 4, 1]}, index=["a", "b", "c"])
    codes = pd.DataFrame({
        "g1": [2, 0, 1], "g2": [1, 1, 0],
        "supply_funds": [2, 0, 1], "env_planning": [1, 1, 0], "demand_pairing": [0, 2, 1],
    }, index=docs.index)
    return docs, codes


def test_mix_per_goal_hand_computed(corpus):
    docs, codes = corpus
    mix = instrument_mix(docs, codes, INSTRUMENTS, goals=["g1", "g2"])
    # g1: documents a (w 5) and c (w 1): funds 5·2 + 1·1 = 11, planning 5, pairing 1 → /17
    np.testing.assert_allclose(mix.loc["g1"], [11 / 17, 5 / 17, 1 / 17])
    # g2: a and b (w 4): funds 10, planning 5 + 4 = 9, pairing 8 → /27
    np.testing.assert_allclose(mix.loc["g2"], [10 / 27, 9 / 27, 8 / 27])
    assert mix.attrs["n_documents"][("全部", "g1")] == 2


def test_mix_by_level_and_categories(corpus):
    docs, codes = corpus
    mix = instrument_mix(docs, codes, INSTRUMENTS, goals=["g1"], categories=CATEGORIES,
                         by="level")
    assert list(mix.columns) == ["supply", "environment", "demand"]
    np.testing.assert_allclose(mix.loc[("中央", "g1")], [10 / 15, 5 / 15, 0])
    np.testing.assert_allclose(mix.loc[("县", "g1")], [0.5, 0, 0.5])


def test_mix_without_goals_is_the_group_mix(corpus):
    docs, codes = corpus
    mix = instrument_mix(docs, codes, INSTRUMENTS, by="year", weight=None)
    # 2020: a (2, 1, 0); 2022: b + c = (1, 1, 3)
    np.testing.assert_allclose(mix.loc[2020], [2 / 3, 1 / 3, 0])
    np.testing.assert_allclose(mix.loc[2022], [0.2, 0.2, 0.6])


def test_goal_nobody_addresses_has_no_mix(corpus):
    docs, codes = corpus
    mix = instrument_mix(docs, codes.assign(g3=0), INSTRUMENTS, goals=["g3"])
    assert mix.loc["g3"].isna().all()


def test_instrument_without_category_is_named(corpus):
    docs, codes = corpus
    with pytest.raises(InputError, match="没有类别") as err:
        instrument_mix(docs, codes, INSTRUMENTS, categories=CATEGORIES.iloc[:2])
    assert err.value.column == "demand_pairing"


@given(st.data())
def test_mix_rows_sum_to_1_and_ignore_row_order(data):
    n = data.draw(st.integers(1, 8))
    docs = pd.DataFrame({"level": data.draw(st.lists(st.sampled_from(["中央", "省"]),
                                                     min_size=n, max_size=n)),
                         "strength": data.draw(arrays(np.int64, n, elements=st.integers(1, 5)))},
                        index=[f"d{i}" for i in range(n)])
    codes = pd.DataFrame(data.draw(arrays(np.int64, (n, 5), elements=st.integers(0, 2))),
                         index=docs.index, columns=["g1", "g2", *INSTRUMENTS])
    mix = instrument_mix(docs, codes, INSTRUMENTS, goals=["g1", "g2"], by="level")
    sums = mix.sum(axis=1)[mix.notna().all(axis=1)]
    np.testing.assert_allclose(sums, 1.0)
    order = data.draw(st.permutations(list(docs.index)))
    shuffled = instrument_mix(docs.loc[order], codes, INSTRUMENTS, goals=["g1", "g2"],
                              by="level")
    pd.testing.assert_frame_equal(shuffled, mix)


# ----------------------------------------------------------------------- Herfindahl


def test_herfindahl_hand_computed():
    h = herfindahl(pd.Series([0.5, 0.25, 0.25, 0.0]))
    # HHI = 0.25 + 0.0625 + 0.0625 = 0.375; HHI* = (0.375 − 0.25)/0.75 = 1/6; 1/HHI = 8/3
    assert h["hhi"] == pytest.approx(0.375)
    assert h["hhi_normalized"] == pytest.approx(1 / 6)
    assert h["equivalent_number"] == pytest.approx(8 / 3)
    assert h["n"] == 4


def test_herfindahl_of_counts_rows_and_extremes():
    table = pd.DataFrame({"a": [3, 1, 0], "b": [0, 1, 0]}, index=["one", "even", "none"])
    h = herfindahl(table)
    assert h.loc["one", "hhi"] == 1.0 and h.loc["one", "hhi_normalized"] == 1.0
    assert h.loc["even", "hhi"] == 0.5 and h.loc["even", "hhi_normalized"] == 0.0
    assert h.loc["even", "equivalent_number"] == 2.0
    assert h.loc["none"].drop("n").isna().all()
    with pytest.raises(InputError, match="负"):
        herfindahl(pd.Series([0.5, -0.1]))


@given(arrays(np.float64, st.integers(2, 8), elements=st.floats(0, 100)).filter(
    lambda a: a.sum() > 1e-9))
def test_herfindahl_bounds(values):
    h = herfindahl(pd.Series(values))
    n = len(values)
    assert 1 / n - 1e-12 <= h["hhi"] <= 1 + 1e-12
    assert -1e-12 <= h["hhi_normalized"] <= 1 + 1e-12
    assert 1 - 1e-9 <= h["equivalent_number"] <= n + 1e-9


def test_docstring_examples():
    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0
