"""Goal consistency (linkage.synergy.goals): profiles, similarity, coverage, orientation.

Hand-computable corpora of two or three documents whose answers are derived in the comments,
and hypothesis properties: identical profiles → 1, symmetry, bounds, shares sum to 1, coverage
of a set by itself = 1, row-order invariance.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import linkage.synergy.goals as module
from linkage.errors import InputError
from linkage.synergy.goals import (
    MIXED,
    NONE,
    goal_consistency,
    goal_coverage,
    goal_groups,
    goal_orientation,
    goal_profiles,
    group_name,
    profile_similarity,
    similarity,
)

GOALS = ["g1", "g2", "g3"]
GROUPS = pd.Series({"g1": "poverty", "g2": "poverty", "g3": "revitalization"})


@pytest.fixture
def corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """中央 a (strength 5), 省 b and c (strength 3), years 2020, 2021, 2021."""
    docs = pd.DataFrame({"level": ["中央", "省", "省"], "year": [2020, 2021, 2021],
                         "strength": [5, 3, 3]}, index=pd.Index(["a", "b", "c"], name="doc_id"))
    codes = pd.DataFrame({"g1": [2, 1, 0], "g2": [0, 1, 0], "g3": [1, 0, 2]}, index=docs.index)
    return docs, codes


# ----------------------------------------------------------------------- profiles


def test_profiles_by_level_hand_computed(corpus):
    docs, codes = corpus
    p = goal_profiles(docs, codes, GOALS)
    # 中央: 5·(2, 0, 1) = (10, 0, 5) → (2/3, 0, 1/3)
    # 省:   3·(1, 1, 0) + 3·(0, 0, 2) = (3, 3, 6) → (1/4, 1/4, 1/2)
    assert list(p.index) == ["中央", "省"]
    np.testing.assert_allclose(p.loc["中央"], [2 / 3, 0, 1 / 3])
    np.testing.assert_allclose(p.loc["省"], [0.25, 0.25, 0.5])
    assert p.attrs["n_documents"] == {"中央": 1, "省": 2}


def test_profiles_unweighted_and_pooled(corpus):
    docs, codes = corpus
    p = goal_profiles(docs, codes, GOALS, by=None, weight=None)
    # (2+1+0, 0+1+0, 1+0+2) = (3, 1, 3) / 7
    np.testing.assert_allclose(p.loc["全部"], [3 / 7, 1 / 7, 3 / 7])


def test_profiles_by_period_and_level_order():
    docs = pd.DataFrame({"level": ["县", "中央", "省"], "year": [2019, 2022, 2027],
                         "strength": [1, 1, 1]}, index=["a", "b", "c"])
    codes = pd.DataFrame({"g1": [1, 1, 1]}, index=docs.index)
    assert list(goal_profiles(docs, codes, ["g1"]).index) == ["中央", "省", "县"]
    assert list(goal_profiles(docs, codes, ["g1"], by="period").index) == [
        "脱贫攻坚期", "过渡期", "常态化帮扶期"]


def test_profile_of_group_without_goals_is_nan():
    docs = pd.DataFrame({"level": ["中央", "省"], "strength": [5, 3]}, index=["a", "b"])
    codes = pd.DataFrame({"g1": [1, 0], "g2": [0, 0]}, index=docs.index)
    p = goal_profiles(docs, codes, ["g1", "g2"])
    assert p.loc["省"].isna().all()


def test_subset_of_documents_uses_full_code_table(corpus):
    docs, codes = corpus
    p = goal_profiles(docs.loc[["b"]], codes, GOALS)
    np.testing.assert_allclose(p.loc["省"], [0.5, 0.5, 0.0])


def test_uncoded_documents_raise_or_drop(corpus):
    docs, codes = corpus
    codes = codes.astype("Int64")
    codes.loc["c", "g2"] = pd.NA
    with pytest.raises(InputError, match="尚未编码") as err:
        goal_profiles(docs, codes, GOALS)
    assert err.value.column == "g2" and "'c'" in str(err.value)
    p = goal_profiles(docs, codes, GOALS, missing="drop")
    assert p.attrs["n_dropped"] == 1
    np.testing.assert_allclose(p.loc["省"], [0.5, 0.5, 0.0])  # b only


def test_document_without_code_row_counts_as_uncoded(corpus):
    docs, codes = corpus
    with pytest.raises(InputError, match="尚未编码"):
        goal_profiles(docs, codes.drop(index="b"), GOALS)


@pytest.mark.parametrize("bad", [3, -1, 1.5, "重点"])
def test_codes_outside_0_1_2_are_refused(corpus, bad):
    docs, codes = corpus
    codes = codes.astype(object)
    codes.loc["b", "g3"] = bad
    with pytest.raises(InputError, match="0、1、2") as err:
        goal_profiles(docs, codes, GOALS)
    assert err.value.column == "g3"


def test_bad_inputs_name_what_is_wrong(corpus):
    docs, codes = corpus
    with pytest.raises(InputError, match="缺少列") as err:
        goal_profiles(docs, codes, ["g1", "nope"])
    assert err.value.column == "nope"
    with pytest.raises(InputError, match="strength"):
        goal_profiles(docs.assign(strength=[5, 0, 3]), codes, GOALS)
    with pytest.raises(InputError, match="weight"):
        goal_profiles(docs, codes, GOALS, weight="size")
    with pytest.raises(InputError, match="重复"):
        goal_profiles(docs, codes, ["g1", "g1"])
    with pytest.raises(InputError, match="代码列表"):
        goal_profiles(docs, codes, "g1")


# ----------------------------------------------------------------------- similarity


def test_similarity_hand_computed():
    p = pd.DataFrame({"a": [1.0, 0.5], "b": [0.0, 0.5]}, index=["x", "y"])
    cos = profile_similarity(p)
    assert cos.loc["x", "y"] == pytest.approx(1 / math.sqrt(2))  # 0.5 / (1 · √0.5)
    js = profile_similarity(p, method="js")
    # M = (0.75, 0.25): H(M) = 0.811278 bits, H(x) = 0, H(y) = 1 → JSD = 0.311278
    h_m = -(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25))
    assert js.loc["x", "y"] == pytest.approx(1 - (h_m - 0.5))


def test_disjoint_profiles_have_similarity_0_under_both():
    p = pd.DataFrame({"a": [1.0, 0.0], "b": [0.0, 1.0]}, index=["x", "y"])
    assert profile_similarity(p).loc["x", "y"] == 0
    assert profile_similarity(p, method="js").loc["x", "y"] == pytest.approx(0)


def test_similarity_refuses_negative_or_mismatched_profiles():
    p = pd.DataFrame({"a": [1.0, -0.1]})
    with pytest.raises(InputError, match="负值"):
        profile_similarity(p)
    with pytest.raises(InputError, match="不一致"):
        profile_similarity(pd.DataFrame({"a": [1.0]}), pd.DataFrame({"b": [1.0]}))


profile = arrays(np.float64, 5, elements=st.floats(0, 10, allow_nan=False)).filter(
    lambda a: a.sum() > 1e-6)


@given(profile, st.sampled_from(["cosine", "js"]))
def test_identical_profiles_similarity_1(p, method):
    assert similarity(p, p, method) == pytest.approx(1.0)
    # scale does not matter (JS compares shares; cosine ignores length)
    assert similarity(p, 3 * p, method) == pytest.approx(1.0)


@given(profile, profile, st.sampled_from(["cosine", "js"]))
def test_similarity_symmetric_and_bounded(p, q, method):
    a, b = similarity(p, q, method), similarity(q, p, method)
    assert a == pytest.approx(b)
    assert 0.0 <= a <= 1.0


# ----------------------------------------------------------------------- coverage


def test_coverage_is_asymmetric_hand_computed(corpus):
    docs, codes = corpus
    cov = goal_coverage(docs, codes, GOALS)
    # 中央 addresses g1, g3; 省 addresses g1, g2, g3
    assert cov.loc["中央", "省"] == 1.0      # 省 takes up both of 中央's goals
    assert cov.loc["省", "中央"] == pytest.approx(2 / 3)  # 中央 lacks g2
    assert cov.loc["中央", "中央"] == cov.loc["省", "省"] == 1.0


def test_coverage_threshold_and_weighting():
    docs = pd.DataFrame({"level": ["中央", "省"], "strength": [5, 3]}, index=["a", "b"])
    codes = pd.DataFrame({"g1": [2, 1], "g2": [1, 0], "g3": [1, 0]}, index=docs.index)
    goals = ["g1", "g2", "g3"]
    # all goals counted: 省 covers g1 of {g1, g2, g3} = 1/3
    assert goal_coverage(docs, codes, goals).loc["中央", "省"] == pytest.approx(1 / 3)
    # only what 中央 emphasises (2): {g1}, covered → 1
    assert goal_coverage(docs, codes, goals, min_emphasis=2).loc["中央", "省"] == 1.0
    # weighted by 中央's profile (2, 1, 1)/4: g1 carries 1/2
    assert goal_coverage(docs, codes, goals, weighted=True).loc["中央", "省"] == 0.5
    with pytest.raises(InputError, match="min_emphasis"):
        goal_coverage(docs, codes, goals, min_emphasis=3)


levels = st.lists(st.sampled_from(["中央", "省", "县"]), min_size=2, max_size=8)


@given(st.data())
def test_coverage_of_a_set_by_itself_is_1_and_row_order_does_not_matter(data):
    lv = data.draw(levels)
    n = len(lv)
    codes_arr = data.draw(arrays(np.int64, (n, 4), elements=st.integers(0, 2)))
    docs = pd.DataFrame({"level": lv, "strength": data.draw(
        arrays(np.int64, n, elements=st.integers(1, 5)))}, index=[f"d{i}" for i in range(n)])
    codes = pd.DataFrame(codes_arr, index=docs.index, columns=["a", "b", "c", "d"])
    goals = list(codes.columns)
    for weighted in (False, True):
        cov = goal_coverage(docs, codes, goals, weighted=weighted)
        addresses = cov.index[np.diag(cov.to_numpy()) == np.diag(cov.to_numpy())]
        assert np.allclose(np.diag(cov.loc[addresses, addresses]), 1.0)
        assert ((cov.fillna(0) >= 0) & (cov.fillna(0) <= 1 + 1e-12)).all().all()
    order = data.draw(st.permutations(list(docs.index)))
    pd.testing.assert_frame_equal(goal_profiles(docs.loc[order], codes, goals),
                                  goal_profiles(docs, codes, goals), check_like=True)
    p = goal_profiles(docs, codes, goals).dropna()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


# ----------------------------------------------------------------------- orientation


def test_orientation_by_mean_emphasis_of_each_group():
    docs = pd.DataFrame(index=["a", "b", "c", "d"])
    codes = pd.DataFrame({"g1": [2, 1, 0, 1], "g2": [2, 1, 0, 0], "g3": [1, 1, 0, 0]},
                         index=docs.index)
    o = goal_orientation(docs, codes, GROUPS)
    # a: poverty mean (2+2)/2 = 2 vs revitalization 1 → 2/3 > 1/2 → poverty
    # b: 1 vs 1 → no majority; c: nothing; d: 0.5 vs 0 → poverty
    assert o.tolist() == ["poverty", MIXED, NONE, "poverty"]
    # by sums b would be poverty (2 against 1)
    assert goal_orientation(docs, codes, GROUPS, normalize=False)["b"] == "poverty"


def test_groups_must_cover_goals_and_have_two_groups():
    docs = pd.DataFrame(index=["a"])
    codes = pd.DataFrame({"g1": [1], "g2": [1]}, index=docs.index)
    with pytest.raises(InputError, match="至少要有两组"):
        goal_orientation(docs, codes, pd.Series({"g1": "p", "g2": "p"}))
    with pytest.raises(InputError, match="没有分组"):
        goal_consistency(docs.assign(level="中央", year=2021, strength=1), codes, ["g1", "g2"],
                         groups=pd.Series({"g1": "p", "g3": "r"}))


def test_default_groups_are_the_framework_subsystems():
    groups = goal_groups()
    assert len(groups) == 17
    assert (groups == "revitalization").sum() == 5
    assert group_name("poverty") == "巩固拓展" and group_name("mixed", "en") == "mixed"
    assert group_name("other") == "other"


# ----------------------------------------------------------------------- consistency


def test_goal_consistency_hand_computed(corpus):
    docs, codes = corpus
    gc = goal_consistency(docs, codes, GOALS, groups=GROUPS)
    # level profiles 中央 (2/3, 0, 1/3), 省 (1/4, 1/4, 1/2)
    cos = (2 / 3 * 1 / 4 + 1 / 3 * 1 / 2) / (math.sqrt(5 / 9) * math.sqrt(3 / 8))
    assert gc.similarity.loc["中央", "省"] == pytest.approx(cos)
    # orientation (mean per goal): a: poverty 1, rev 1 → mixed; b: poverty 1 vs 0 → poverty;
    # c: rev → revitalization
    assert gc.orientation.tolist() == [MIXED, "poverty", "revitalization"]
    # b (1, 1, 0) and c (0, 0, 2) share no goal → similarity 0
    assert gc.orientation_similarity.loc["poverty", "revitalization"] == pytest.approx(0)
    # years: 2020 = a → (10, 0, 5); 2021 = b, c → (3, 3, 6) — same as the levels here
    assert gc.over_time.loc[2021, "similarity"] == pytest.approx(cos)
    assert gc.over_time.loc[2021, "previous"] == 2020
    # both: a addresses g1 (poverty) and g3 (rev); b only poverty; c only rev
    assert gc.both.loc[("all", "全部"), "share_both"] == pytest.approx(1 / 3)
    assert gc.both.loc[("level", "中央"), "n_both"] == 1
    assert gc.both.loc[("year", 2021), "share_both"] == 0
    pairs = gc.coverage_pairs()
    assert pairs.to_dict("records") == [{"upper": "中央", "lower": "省", "coverage": 1.0}]
    table = gc.to_frame()
    assert set(table["measure"]) == {"similarity", "coverage", "orientation_similarity",
                                     "over_time"}
    text = gc.summary()
    assert "省覆盖中央目标的 100%" in text and "33.3%" in text
    assert "covers 100%" in gc.summary("en")


def test_goal_consistency_js_and_period(corpus):
    docs, codes = corpus
    gc = goal_consistency(docs, codes, GOALS, groups=GROUPS, method="js", time="period")
    assert list(gc.over_time.index) == ["脱贫攻坚期", "过渡期"]
    assert np.allclose(np.diag(gc.similarity), 1.0)
    with pytest.raises(InputError, match="time"):
        goal_consistency(docs, codes, GOALS, groups=GROUPS, time="month")


def test_docstring_examples():
    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0


def test_levels_are_ordered_top_down_even_as_an_unordered_categorical(corpus):
    docs, codes = corpus
    # pandas orders the categories of 中央/省/县 by code point: 中央, 县, 省
    docs = pd.concat([docs, docs.iloc[[1]].rename(index={"b": "e"}).assign(level="县")])
    codes = pd.concat([codes, codes.iloc[[1]].rename(index={"b": "e"})])
    docs["level"] = docs["level"].astype("category")
    assert list(docs["level"].cat.categories) == ["中央", "县", "省"]
    cov = goal_coverage(docs, codes, GOALS)
    assert list(cov.index) == ["中央", "省", "县"]
    pairs = goal_consistency(docs, codes, GOALS, groups=GROUPS).coverage_pairs()
    assert pairs[["upper", "lower"]].values.tolist() == [["中央", "省"], ["中央", "县"],
                                                          ["省", "县"]]


@pytest.mark.parametrize("time", ["year", "period"])
def test_undated_documents_count_except_over_time(corpus, time):
    # a fourth document (县, no verified date) joins every comparison of levels but not the
    # over-time profile nor the share by year
    docs, codes = corpus
    docs = pd.concat([docs.astype({"year": "Int64"}), pd.DataFrame(
        {"level": ["县"], "year": pd.array([pd.NA], dtype="Int64"), "strength": [1]},
        index=pd.Index(["d"], name="doc_id"))])
    codes = pd.concat([codes, pd.DataFrame({"g1": [1], "g2": [0], "g3": [1]}, index=["d"])])
    gc = goal_consistency(docs, codes, GOALS, groups=GROUPS, time=time)
    assert gc.n_documents == 4 and "县" in gc.profiles.index
    assert sum(gc.over_time["n_documents"]) == 3
    assert gc.both.loc[("all", "全部"), "n_documents"] == 4
    assert gc.both.xs("year", level="scope")["n_documents"].sum() == 3
