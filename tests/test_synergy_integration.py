"""Goal–instrument–outcome integration (linkage.synergy.integration)."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from matplotlib.figure import Figure

import linkage.synergy.integration as module
from linkage.errors import InputError
from linkage.plotting import missing_glyphs
from linkage.synergy.integration import (
    QUADRANTS,
    instrument_effort,
    integration_table,
    mismatch_figure,
    policy_attention,
)

GOALS = ["g1", "g2", "g3"]
NAMES = {"g1": "产业兴旺", "g2": "生态宜居", "g3": "乡风文明"}


@pytest.fixture
def corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents a (strength 3) and b (strength 1); instruments i1, i2."""
    docs = pd.DataFrame({"strength": [3, 1]}, index=["a", "b"])
    codes = pd.DataFrame({"g1": [2, 2], "g2": [1, 0], "g3": [0, 1],
                          "i1": [1, 0], "i2": [2, 1]}, index=docs.index)
    return docs, codes


def test_attention_and_effort_hand_computed(corpus):
    docs, codes = corpus
    a = policy_attention(docs, codes, GOALS)
    # Σw = 4: g1 (3·2 + 1·2)/8 = 1; g2 3·1/8; g3 1·1/8
    assert a.tolist() == pytest.approx([1.0, 3 / 8, 1 / 8])
    e = instrument_effort(docs, codes, GOALS, ["i1", "i2"])
    # k_a = 2, k_b = 1, K = 2: g1 (3·2 + 1·1)/(2·4) = 7/8; g2 3·2/8; g3 1·1/8
    assert e.tolist() == pytest.approx([7 / 8, 6 / 8, 1 / 8])
    # unweighted: Σw = 2: g1 (2 + 2)/4 = 1; g2 1/4
    assert policy_attention(docs, codes, GOALS, weight=None).tolist() == pytest.approx(
        [1.0, 0.25, 0.25])


def test_three_dimensions_hand_computed(corpus):
    docs, codes = corpus
    progress = pd.Series({"g1": 0.1, "g2": 0.3, "g3": 0.2})
    r = integration_table(docs, codes, GOALS, progress, instruments=["i1", "i2"], names=NAMES)
    t = r.table
    assert t["name"].tolist() == ["产业兴旺", "生态宜居", "乡风文明"]
    assert t["attention_rank"].tolist() == [1, 2, 3]
    assert t["progress_rank"].tolist() == [3, 1, 2]
    # ranks (1, 2, 3) vs (3, 1, 2): Σd² = 4 + 1 + 1 = 6 → ρ = 1 − 6·6/(3·8) = −0.5
    assert r.spearman_rho == pytest.approx(-0.5)
    # pairs (g1,g2) and (g1,g3) discordant, (g2,g3) concordant → τ = (1 − 2)/3
    assert r.kendall_tau == pytest.approx(-1 / 3)
    assert r.n == 3
    # median cuts: attention 3/8, progress 0.2 (at the cut counts as high)
    assert r.attention_cut == pytest.approx(3 / 8) and r.progress_cut == pytest.approx(0.2)
    assert t["quadrant"].tolist() == ["unconverted", "synergy", "unattended"]
    assert r.to_frame()["quadrant_label"].tolist() == ["高关注低进展", "协同（高关注高进展）",
                                                       "低关注高进展"]
    sentence = r.sentences()["g1"]
    assert sentence.startswith("产业兴旺：政策关注度 1.000（第 1 位）")
    assert "结果进展 +0.100（第 3 位）" in sentence and "尚未转化为结果" in sentence
    assert "rank 3" in r.sentences("en")["g1"]
    text = r.summary()
    assert "ρ = -0.500" in text and "仅作描述" in text and "高关注低进展：产业兴旺" in text


def test_mean_split_and_unscored_and_uncoded_dimensions(corpus):
    docs, codes = corpus
    progress = pd.DataFrame({"first": [0.2, 0.1, 0.5], "last": [0.3, 0.6, 0.7],
                             "change": [0.1, 0.5, 0.2]}, index=["g1", "g2", "other"])
    r = integration_table(docs, codes, GOALS, progress, instruments=["i1", "i2"], split="mean")
    assert r.not_scored == ("g3",) and r.not_coded == ("other",)
    assert r.n == 2 and np.isnan(r.spearman_rho)  # two dimensions: no rank correlation
    assert r.table.loc["g2", "level"] == 0.6
    assert pd.isna(r.table.loc["g3", "quadrant"]) and np.isnan(r.table.loc["g3", "progress_rank"])
    # mean cut: attention (1 + 3/8)/2 = 11/16, progress 0.3
    assert r.attention_cut == pytest.approx(11 / 16) and r.progress_cut == pytest.approx(0.3)
    assert r.table.loc[["g1", "g2"], "quadrant"].tolist() == ["unconverted", "unattended"]
    assert "g3" in r.summary() and "暂无结果得分" in r.sentences()["g3"]
    assert "不计算秩相关" in r.summary() and "no rank correlation" in r.summary("en")


def test_bad_inputs(corpus):
    docs, codes = corpus
    with pytest.raises(InputError, match="同时列为目标和工具"):
        instrument_effort(docs, codes, GOALS, ["g1", "i1"])
    with pytest.raises(InputError, match="不是数值") as err:
        integration_table(docs, codes, GOALS, pd.Series({"g1": "高"}), instruments=["i1"])
    assert err.value.column == "g1"
    with pytest.raises(InputError, match="change"):
        integration_table(docs, codes, GOALS, pd.DataFrame({"x": [1.0]}), instruments=["i1"])
    with pytest.raises(InputError, match="split"):
        integration_table(docs, codes, GOALS, pd.Series({"g1": 0.1}), instruments=["i1"],
                          split="tertile")


@given(st.data())
def test_attention_and_effort_bounded_and_order_free(data):
    n = data.draw(st.integers(1, 8))
    docs = pd.DataFrame({"strength": data.draw(arrays(np.int64, n, elements=st.integers(1, 5)))},
                        index=[f"d{i}" for i in range(n)])
    codes = pd.DataFrame(data.draw(arrays(np.int64, (n, 5), elements=st.integers(0, 2))),
                         index=docs.index, columns=["g1", "g2", "g3", "i1", "i2"])
    a = policy_attention(docs, codes, GOALS)
    e = instrument_effort(docs, codes, GOALS, ["i1", "i2"])
    assert a.between(0, 1).all() and e.between(0, 1).all()
    # a goal coded 2 everywhere has attention 1
    assert policy_attention(docs, codes.assign(g1=2), GOALS)["g1"] == pytest.approx(1.0)
    order = data.draw(st.permutations(list(docs.index)))
    pd.testing.assert_series_equal(policy_attention(docs.loc[order], codes, GOALS), a)
    pd.testing.assert_series_equal(instrument_effort(docs.loc[order], codes, GOALS,
                                                     ["i1", "i2"]), e)


def test_every_quadrant_key_has_a_label_and_figure_renders(corpus):
    docs, codes = corpus
    r = integration_table(docs, codes, GOALS, pd.Series({"g1": 0.1, "g2": 0.3, "g3": 0.2}),
                          instruments=["i1", "i2"], names=NAMES)
    fig = mismatch_figure(r)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert {t.get_text() for t in ax.texts} == set(NAMES.values())
    assert ax.get_xlabel() == "政策关注度"
    assert {t.get_text() for t in ax.get_legend().get_texts()} <= {
        r.to_frame().set_index("quadrant")["quadrant_label"].get(q, "") for q in QUADRANTS}
    assert missing_glyphs(fig) == []
    assert mismatch_figure(r, language="en").axes[0].get_xlabel() == "Policy attention"


def test_docstring_examples():
    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0


def test_labels_of_coinciding_points_do_not_overlap():
    docs = pd.DataFrame({"strength": [1]}, index=["a"])
    codes = pd.DataFrame({"g1": [1], "g2": [1], "g3": [2], "i": [1]}, index=docs.index)
    # g1 and g2: same attention, same progress — one point, two labels
    r = integration_table(docs, codes, GOALS, pd.Series({"g1": 0.2, "g2": 0.2, "g3": 0.5}),
                          instruments=["i"], names=NAMES)
    texts = mismatch_figure(r).axes[0].texts
    offsets = {t.get_text(): t.xyann for t in texts}
    assert offsets["产业兴旺"] != offsets["生态宜居"]
