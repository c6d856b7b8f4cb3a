"""Helpers of teaching notebook 5 (linkage.teaching.synergy_lessons)."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from linkage.errors import InputError
from linkage.panel import load_panel
from linkage.plotting import missing_glyphs
from linkage.scoring import score_framework
from linkage.synergy import (
    apply_precoding,
    coding_agreement,
    dimension_progress,
    integration_table,
    load_sample_corpus,
    pmc_index,
)
from linkage.teaching import synergy_lessons as lessons

DOC = "sim-x0424-2021-01"  # 武宝县脱贫人口稳岗就业帮扶实施办法 (simulated, with a text)


@pytest.fixture(scope="module")
def corpus():
    return load_sample_corpus()


@pytest.fixture(scope="module")
def progress():
    return lessons.outcome_progress(load_panel(None))


def test_docstring_examples() -> None:
    failed, tried = doctest.testmod(lessons)
    assert tried > 0 and failed == 0


# --- document_labels --------------------------------------------------------------------------

def test_labels_drop_the_issuers_keep_the_level_and_stay_unique(corpus) -> None:
    labels = lessons.document_labels(corpus.documents)
    assert labels.index.equals(corpus.documents.index) and labels.is_unique
    assert labels["fl2021-xczxcjf"] == "中华人民共和国乡村振兴促进法（2021）"
    assert labels["zbgb2016-pktc"] == "建立贫困退出机制的意见（2016）"   # 关于… without 关于
    assert labels["gf2019-12"] == "促进乡村产业振兴的指导意见"          # no verified year
    # 中共模拟省委 模拟省人民政府关于…: the issuers go, the level stays in sight
    assert labels["sim-p-2021-01"].startswith("省级·实现巩固拓展")
    assert labels["sim-x0327-2021-01"].startswith("磐浦县")              # named in its title
    short = lessons.document_labels(corpus.documents, width=9)
    titles = short.str.replace(r"（\d{4}）$", "", regex=True).str.replace("省级·", "")
    assert titles.str.len().max() <= 9 + len("市级·") and short.str.contains("…").any()


def test_labels_of_coinciding_titles_are_told_apart() -> None:
    docs = pd.DataFrame({"title": ["某意见", "某意见"], "year": [2021, 2021]}, index=["a", "b"])
    assert lessons.document_labels(docs).tolist() == ["某意见（2021）·a", "某意见（2021）·b"]
    with pytest.raises(InputError, match="width"):
        lessons.document_labels(docs, width=2)


# --- check_my_coding --------------------------------------------------------------------------

def test_the_confirmed_codes_themselves_agree_perfectly(corpus) -> None:
    confirmed = corpus.codes.loc[DOC]
    check = lessons.check_my_coding(corpus, DOC, confirmed[confirmed > 0].to_dict())
    assert check.kappa.kappa == 1.0 and check.kappa.n == 31 and check.disagreements.empty


def test_names_or_ids_unlisted_codes_count_as_zero(corpus) -> None:
    # the confirmed codes of the document: 2 × 就业拓展, 1 × six others, 0 elsewhere (31 codes)
    mine = {"就业拓展": 2, "income_stability": 1, "防止返贫监测": 1, "内生动力": 1,
            "资金投入": 1, "人才": 1, "东西部协作/对口帮扶": 1}
    check = lessons.check_my_coding(corpus, DOC, mine)
    assert check.disagreements.index.tolist() == ["精准施策"]
    row = check.disagreements.iloc[0]
    assert (row["你的编码"], row["确认编码"], row["类别"]) == ("未涉及", "提及", "拓展")
    # hand computation: 30 of 31 agree; margins mine (0: 24, 1: 6, 2: 1), confirmed (23, 7, 1)
    p_e = (24 * 23 + 6 * 7 + 1 * 1) / 31**2
    assert check.kappa.kappa == pytest.approx((30 / 31 - p_e) / (1 - p_e))
    goals = lessons.check_my_coding(corpus, DOC, mine, kind="goal", label="词典")
    assert len(goals.table) == 17 and "词典" in goals.table.columns


@pytest.mark.parametrize(("mine", "message"), [
    ({"不存在的编码": 1}, "没有"), ({"就业拓展": 3}, "0、1 或 2"),
    ({"就业拓展": True}, "0、1 或 2"), ({"就业拓展": pd.NA}, "0、1 或 2")])
def test_bad_hand_codes_are_input_errors(corpus, mine, message) -> None:
    with pytest.raises(InputError, match=message):
        lessons.check_my_coding(corpus, DOC, mine)


def test_unknown_document_is_an_input_error(corpus) -> None:
    with pytest.raises(InputError, match="没有文件"):
        lessons.check_my_coding(corpus, "nope", {})


# --- pre-coding threshold ---------------------------------------------------------------------

def test_precoding_curve_matches_coding_agreement_and_fewer_emphases_with_a_higher_bar(
        corpus) -> None:
    curve = lessons.precoding_curve(corpus, [2, 3, 6])
    assert curve.index.tolist() == [2, 3, 6] and curve.attrs["n_documents"] == 25
    assert (curve["n_pairs"] == 25 * 31).all()
    # oracle: the pooled row of coding_agreement on the texts, computed directly
    texts = corpus.subset(doc_ids=corpus.texts.index)
    direct = coding_agreement(apply_precoding(texts, emphasis=3)).loc["全部", "kappa"]
    assert curve.loc[3, "kappa"] == pytest.approx(direct)
    assert curve["share_emphasis_auto"].is_monotonic_decreasing
    assert curve["share_emphasis_confirmed"].nunique() == 1
    assert curve["kappa"].between(-1, 1).all() and curve["kappa"].idxmax() == 3


def test_precoding_figure_marks_the_threshold_and_tabulates_all_pairs(corpus) -> None:
    curve = lessons.precoding_curve(corpus, [3, 4])
    fig = lessons.precoding_figure(corpus, curve, emphasis=4)
    left, right = fig.axes[:2]
    assert right.get_title() == "对照表（对角线上为一致）"
    counts = [int(t.get_text()) for t in right.texts]
    assert len(counts) == 9 and sum(counts) == 25 * 31
    assert left.get_title() == f"阈值 4 次：κ = {curve.loc[4, 'kappa']:.3f}"
    marked = left.collections[0].get_offsets()  # the chosen threshold, drawn large
    assert marked.tolist() == [[4.0, curve.loc[4, "kappa"]]]
    assert missing_glyphs(fig) == []
    with pytest.raises(InputError, match="阈值"):
        lessons.precoding_figure(corpus, curve, emphasis=7)


# --- PMC step by step -------------------------------------------------------------------------

def test_worked_example_adds_up_to_pmc_index_for_every_document(corpus) -> None:
    table = pmc_index(corpus.pmc_items)
    for doc in corpus.pmc_items.index:
        worked = lessons.pmc_worked_example(corpus.pmc_items, doc)
        assert worked.loc["合计", "得分 X_k"] == pytest.approx(table.loc[doc, "PMC"])
        assert worked.index[:-1].tolist() == [f"X{k}" for k in range(1, 11)]
        assert worked.loc["合计", "个数"] == corpus.pmc_items.shape[1]
    plan = lessons.pmc_worked_example(corpus.pmc_items, "zy2018-xczxgh")
    assert plan.loc["X6", "二级变量"] == "1 1 0 1 1 1 1 1" and plan.loc["X6", "得分 X_k"] == 0.875
    assert plan.loc["X1", "名称"] == "政策性质" and plan.loc["合计", "得分 X_k"] == 8.725
    with pytest.raises(InputError, match="没有文件"):
        lessons.pmc_worked_example(corpus.pmc_items, "zf2015-34")


# --- integration ------------------------------------------------------------------------------

def test_outcome_progress_is_the_change_of_the_dimension_scores(progress) -> None:
    data = load_panel(None)
    scores = score_framework(data.panel, counties=data.counties, missing="year_mean")
    expected = dimension_progress(scores.wide("dimension"))
    pd.testing.assert_frame_equal(progress, expected)
    assert len(progress) == 16 and "assistance" not in progress.index


def test_integration_for_a_level_and_equal_weights(corpus, progress) -> None:
    county = corpus.subset(level="县")
    scheme = corpus.scheme
    direct = integration_table(county.documents, county.codes, scheme.goal_ids, progress,
                               instruments=scheme.instrument_ids, weight=None)
    mine = lessons.integration_for(corpus, progress, level="县", weighting="equal")
    np.testing.assert_allclose(mine.table["attention"], direct.table["attention"])
    assert mine.table.loc["employment", "name"] == "就业拓展" and mine.n == 16
    assert mine.n_documents == 8
    everything = lessons.integration_for(corpus, progress)
    assert everything.n_documents == len(corpus)
    with pytest.raises(InputError, match="层级"):
        lessons.integration_for(corpus, progress, level="乡")
    with pytest.raises(InputError, match="weighting"):
        lessons.integration_for(corpus, progress, weighting="votes")


def test_integration_figure_names_the_documents_and_rho(corpus, progress) -> None:
    fig = lessons.integration_figure(corpus, progress, level="中央", weighting="equal")
    title = fig.axes[0].get_title()
    result = lessons.integration_for(corpus, progress, level="中央", weighting="equal")
    assert title.startswith("中央文件（每份文件同等）") and f"{result.spearman_rho:.2f}" in title
    assert missing_glyphs(fig) == []
    equal = lessons.integration_figure(corpus, progress, weighting="equal")  # ρ ≈ −0.004
    assert equal.axes[0].get_title().endswith("ρ = 0.00")
