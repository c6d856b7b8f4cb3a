"""Specification of linkage.synergy.text: segmentation, keyword frequencies, dictionary
pre-coding and Cohen's kappa between pre-codes and confirmed codes.

Corpora are built in code, two or three documents whose answers are derived in the comments.
``StandInCorpus`` is a minimal frozen dataclass standing in for ``PolicyCorpus`` (written in
parallel): it has exactly the attributes the text functions use (documents, texts, scheme, codes,
auto_codes).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from functools import lru_cache

import jieba
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkage.errors import InputError
from linkage.synergy._inputs import PERIODS
from linkage.synergy.text import (
    USERDICT,
    _get_tokenizer,
    apply_precoding,
    coding_agreement,
    cohen_kappa,
    keyword_frequencies,
    landis_koch,
    precode,
    segment,
)


@dataclass(frozen=True)
class StandInCorpus:
    """Stands in for PolicyCorpus: only the attributes the text functions read."""

    documents: pd.DataFrame
    texts: pd.Series | None
    scheme: object
    codes: pd.DataFrame
    auto_codes: pd.DataFrame


@dataclass(frozen=True)
class StandInCode:
    """Stands in for linkage.synergy.scheme.Code: an id and its keywords."""

    id: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class StandInScheme:
    """Stands in for CodingScheme: its codes (goals then instruments) in order."""

    codes: tuple[StandInCode, ...]


def _scheme(keywords: dict[str, list[str]]) -> StandInScheme:
    return StandInScheme(tuple(StandInCode(k, tuple(v)) for k, v in keywords.items()))


def _docs(rows: dict[str, tuple[int, str]], titles: dict[str, str] | None = None
          ) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["year", "level"])
    frame.index.name = "doc_id"
    if titles is not None:
        frame["title"] = pd.Series(titles)
    return frame


# --- segment ----------------------------------------------------------------------------------

def test_every_domain_dictionary_term_is_one_token() -> None:
    tokenizer = _get_tokenizer(None)
    words = [line.split()[0] for line in USERDICT.read_text(encoding="utf-8").splitlines()]
    assert len(words) >= 150
    assert len(set(words)) == len(words)
    split = [w for w in words if tokenizer.lcut(w) != [w]]
    assert split == []


def test_drops_stop_words_numbers_and_punctuation() -> None:
    # 到 / 各级 / 要 / 加强 are stop words, 2025 a number, 年 a stop word, ，。 punctuation
    tokens = segment(pd.Series({"a": "到2025年，各级要加强衔接资金管理。"}))
    assert tokens["a"] == ["衔接资金", "管理"]


def test_full_width_digits_and_chinese_numerals_are_numbers() -> None:
    tokens = segment(pd.Series({"a": "２０２５年完成三项任务，第一书记驻村"}))["a"]
    assert "２０２５" not in tokens and "2025" not in tokens and "三" not in tokens
    assert "第一书记" in tokens


def test_domain_terms_stay_whole_in_context() -> None:
    tokens = segment(pd.Series({"a": "巩固拓展脱贫攻坚成果，健全防止返贫动态监测机制；"
                                     "推进东西部协作和定点帮扶，开展消费帮扶。"}))["a"]
    assert tokens == ["巩固拓展脱贫攻坚成果", "防止返贫动态监测", "东西部协作", "定点帮扶",
                      "消费帮扶"]


def test_missing_or_blank_text_is_na_and_index_is_kept() -> None:
    out = segment(pd.Series({"a": "乡村振兴", "b": None, "c": "  \n"}))
    assert out.name == "tokens"
    assert list(out.index) == ["a", "b", "c"]
    assert out["a"] == ["乡村振兴"]
    assert out[["b", "c"]].isna().all()


def test_private_tokenizer_leaves_the_global_jieba_alone() -> None:
    segment(pd.Series({"a": "巩固拓展脱贫攻坚成果"}))
    assert _get_tokenizer(None) is not jieba.dt
    assert "巩固拓展脱贫攻坚成果" not in jieba.dt.FREQ


def test_building_a_tokenizer_prints_nothing(tmp_path, capfd) -> None:
    extra = tmp_path / "extra.txt"
    extra.write_text("帮扶联系人 10 n\n", encoding="utf-8")
    capfd.readouterr()
    tokens = segment(pd.Series({"a": "落实帮扶联系人制度"}), userdict=extra)["a"]
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
    assert "帮扶联系人" in tokens


def test_a_user_dictionary_that_is_not_utf8_names_the_file(tmp_path) -> None:
    bad = tmp_path / "gbk.txt"
    # line 1 in UTF-8, line 2 in GBK
    bad.write_bytes("驻村干部 5 n\n".encode() + "帮扶联系人 10 n\n".encode("gbk"))
    with pytest.raises(InputError, match=r"gbk\.txt, 第 2 行"):
        segment(pd.Series({"a": "文本"}), userdict=bad)
    with pytest.raises(InputError, match=r"missing\.txt"):
        segment(pd.Series({"a": "文本"}), userdict=tmp_path / "missing.txt")


def test_single_characters_are_dropped_unless_asked_for() -> None:
    # 聚焦|原|深度|贫困地区: 原 is one character
    texts = pd.Series({"a": "聚焦原深度贫困地区"})
    assert segment(texts)["a"] == ["聚焦", "深度", "贫困地区"]
    assert segment(texts, min_length=1)["a"] == ["聚焦", "原", "深度", "贫困地区"]
    with pytest.raises(InputError, match="min_length"):
        segment(texts, min_length=0)


def test_extra_stop_words_are_added() -> None:
    out = segment(pd.Series({"a": "发展特色产业"}), stopwords=["发展"])
    assert out["a"] == ["特色产业"]


def test_duplicate_doc_ids_are_refused() -> None:
    with pytest.raises(InputError, match="doc_id"):
        segment(pd.Series(["乡村振兴", "乡村振兴"], index=["a", "a"]))


_VOCAB = ["乡村振兴", "防止返贫", "衔接资金", "东西部协作", "高标准农田", "加强", "的", "2025",
          "，", "。", "\n"]


@given(st.lists(st.lists(st.sampled_from(_VOCAB), max_size=12), min_size=1, max_size=5),
       st.randoms())
def test_segmentation_is_deterministic_and_row_order_invariant(docs, rnd) -> None:
    texts = pd.Series(["".join(d) for d in docs], index=[f"d{i}" for i in range(len(docs))])
    order = list(texts.index)
    rnd.shuffle(order)
    first = segment(texts)
    again = segment(texts.loc[order]).reindex(texts.index)
    assert first.isna().equals(again.isna())
    for key in texts.index[first.notna()]:
        assert first[key] == again[key]


# --- keyword_frequencies ----------------------------------------------------------------------

def _three_documents() -> tuple[pd.Series, pd.DataFrame]:
    # a (2020, 中央): 防止返贫 ×2, 乡村振兴 ×1            -> 脱贫攻坚期
    # b (2021, 省):   防止返贫 ×1, 衔接资金 ×2            -> 过渡期
    # c (2025, 省):   衔接资金 ×1, 规范 ×1                 -> 过渡期
    # d (2022, 县):   no text                              -> not in any denominator
    texts = pd.Series({"a": "防止返贫，加强防止返贫。乡村振兴。",
                       "b": "防止返贫；衔接资金、衔接资金。",
                       "c": "规范衔接资金。"})
    docs = _docs({"a": (2020, "中央"), "b": (2021, "省"), "c": (2025, "省"), "d": (2022, "县")})
    return texts, docs


def test_counts_and_rates_by_period() -> None:
    texts, docs = _three_documents()
    table = keyword_frequencies(texts, docs, by="period")
    got = {(r.period, r.term): (r.term_count, r.doc_freq, r.docs_with_text, r.per_doc,
                                r.doc_share, r.rank) for r in table.itertuples()}
    # 过渡期 has b and c with text (d has none): 衔接资金 3 times in 2 documents -> 1.5 per
    # document, share 1.0; 防止返贫 once in b and 规范 once in c -> 0.5 per document, share
    # 0.5, the tie ranked by term (规 U+89C4 before 防 U+9632).
    assert got[("脱贫攻坚期", "防止返贫")] == (2, 1, 1, 2.0, 1.0, 1)
    assert got[("脱贫攻坚期", "乡村振兴")] == (1, 1, 1, 1.0, 1.0, 2)
    assert got[("过渡期", "衔接资金")] == (3, 2, 2, 1.5, 1.0, 1)
    assert got[("过渡期", "规范")] == (1, 1, 2, 0.5, 0.5, 2)
    assert got[("过渡期", "防止返贫")] == (1, 1, 2, 0.5, 0.5, 3)
    assert len(got) == 5
    assert table.attrs["n_without_text"] == 1


def test_default_grouping_is_period_and_level() -> None:
    texts, docs = _three_documents()
    table = keyword_frequencies(texts, docs)
    assert list(table.columns[:2]) == ["period", "level"]
    # a is the only 中央 document; b and c are the 省 documents of 过渡期
    assert set(zip(table["period"], table["level"], strict=True)) == {("脱贫攻坚期", "中央"),
                                                                     ("过渡期", "省")}


def test_categorical_levels_give_only_the_observed_groups() -> None:
    # the corpus stores level as a category with all four levels; only 中央 and 省 have texts
    texts, docs = _three_documents()
    docs["level"] = pd.Categorical(docs["level"], categories=["中央", "省", "市", "县"])
    table = keyword_frequencies(texts, docs, by="level")
    assert table.groupby("level", observed=True)["docs_with_text"].first().to_dict() == {
        "中央": 1, "省": 2}


def test_default_periods_bounds() -> None:
    # one definition of the policy periods for every synergy measure
    assert PERIODS == {"脱贫攻坚期": (None, 2020), "过渡期": (2021, 2025),
                       "常态化帮扶期": (2026, None)}
    texts = pd.Series({y: "乡村振兴" for y in ("y2020", "y2021", "y2025", "y2026")})
    docs = _docs({"y2020": (2020, "中央"), "y2021": (2021, "中央"), "y2025": (2025, "中央"),
                  "y2026": (2026, "中央")})
    table = keyword_frequencies(texts, docs, by="period")
    assert dict(zip(table["period"], table["docs_with_text"], strict=True)) == {
        "脱贫攻坚期": 1, "过渡期": 2, "常态化帮扶期": 1}


def test_year_from_date_when_no_year_column() -> None:
    texts = pd.Series({"a": "乡村振兴"})
    docs = pd.DataFrame({"date": ["2021-02-21"], "level": ["中央"]}, index=["a"])
    assert keyword_frequencies(texts, docs, by="period")["period"].tolist() == ["过渡期"]


def test_a_year_outside_every_period_is_an_error() -> None:
    texts, docs = _three_documents()
    with pytest.raises(InputError, match="'a'"):
        keyword_frequencies(texts, docs, periods={"过渡期": (2021, 2025)})
    # d has no text: its year and level do not matter
    docs.loc["d", ["year", "level"]] = [1999, None]
    assert keyword_frequencies(texts, docs, periods={"x": (2020, 2025)})["period"].eq("x").all()
    docs.loc["c", "level"] = None
    with pytest.raises(InputError, match="'c'"):
        keyword_frequencies(texts, docs)
    with pytest.raises(InputError, match="重叠"):
        keyword_frequencies(texts, docs, periods={"x": (None, 2021), "y": (2021, None)})


def test_top_keeps_the_first_terms_with_ties_broken_by_term() -> None:
    texts, docs = _three_documents()
    table = keyword_frequencies(texts, docs, by=(), top=2)
    # whole corpus: 衔接资金 3, 防止返贫 3, 乡村振兴 1, 规范 1; the tie is ordered by term
    # (code points: 衔 U+8854 before 防 U+9632)
    assert table[["term", "term_count", "rank"]].values.tolist() == [
        ["衔接资金", 3, 1], ["防止返贫", 3, 2]]
    assert table["docs_with_text"].tolist() == [3, 3]


def test_texts_of_unknown_documents_and_unknown_columns_are_errors() -> None:
    texts, docs = _three_documents()
    with pytest.raises(InputError, match="'zz'"):
        keyword_frequencies(pd.concat([texts, pd.Series({"zz": "文本"})]), docs)
    with pytest.raises(InputError, match="doc_type"):
        keyword_frequencies(texts, docs, by=("doc_type",))
    with pytest.raises(InputError, match="documents"):
        keyword_frequencies(texts)


@given(st.lists(st.lists(st.sampled_from(_VOCAB), max_size=10), min_size=1, max_size=6),
       st.lists(st.sampled_from(["中央", "省", "县"]), min_size=6, max_size=6))
def test_term_counts_add_up_to_the_tokens(docs, levels) -> None:
    ids = [f"d{i}" for i in range(len(docs))]
    texts = pd.Series(["".join(d) for d in docs], index=ids)
    table = keyword_frequencies(texts, _docs({i: (2022, levels[k]) for k, i in enumerate(ids)}),
                                by="level", top=None)
    tokens = segment(texts).dropna()
    assert table["term_count"].sum() == sum(len(t) for t in tokens)
    assert ((table["doc_share"] > 0) & (table["doc_share"] <= 1)).all()


def test_corpus_wrapper_reads_documents_and_texts() -> None:
    texts, docs = _three_documents()
    corpus = StandInCorpus(documents=docs, texts=texts, scheme={}, codes=pd.DataFrame(),
                           auto_codes=pd.DataFrame())
    pd.testing.assert_frame_equal(keyword_frequencies(corpus),
                                  keyword_frequencies(texts, docs))


# --- precode ----------------------------------------------------------------------------------

SCHEME = {"risk_monitoring": ["防止返贫", "监测对象"], "supply_funds": ["衔接资金", "资金"],
          "industry": ["产业"], "assets": []}


def test_thresholds_zero_one_two() -> None:
    texts = pd.Series({
        "none": "完善农村人居环境。",                       # no keyword: 0 everywhere
        "one": "用好衔接资金。",                            # supply_funds 1 hit -> 1
        "two": "防止返贫；纳入监测对象。",                  # risk_monitoring 2 hits -> 1
        "three": "资金、资金和衔接资金。",                  # supply_funds 3 hits -> 2
    })
    out = precode(texts, SCHEME)
    assert out.loc["none", ["risk_monitoring", "supply_funds", "industry"]].tolist() == [0, 0, 0]
    assert out.loc["one", "supply_funds"] == 1
    assert out.loc["two", "risk_monitoring"] == 1
    assert out.loc["three", "supply_funds"] == 2
    assert list(out.columns) == list(SCHEME)
    assert (out.dtypes == "Int64").all()
    assert out.index.name == "doc_id"


def test_no_text_and_no_keywords_are_na() -> None:
    out = precode(pd.Series({"a": "产业", "b": None}), SCHEME)
    assert out.loc["b"].isna().all()
    assert out["assets"].isna().all()
    assert out.loc["a", "industry"] == 1


def test_a_keyword_in_a_section_heading_makes_it_two() -> None:
    # one hit only, but in the heading "（二）壮大特色产业" (full-width brackets, NFKC)
    texts = pd.Series({"h": "（二）壮大特色产业。其余内容。", "p": "正文中提到特色产业。"})
    out = precode(texts, SCHEME)
    assert out.loc["h", "industry"] == 2
    assert out.loc["p", "industry"] == 1
    assert precode(texts, SCHEME, headings=False).loc["h", "industry"] == 1
    chapter = precode(pd.Series({"c": "第三章 产业发展\n内容"}), SCHEME)
    assert chapter.loc["c", "industry"] == 2


def test_a_keyword_in_the_title_makes_it_two() -> None:
    # the text mentions 产业 once (-> 1); the title 关于促进乡村产业振兴的指导意见 names it
    texts = pd.Series({"a": "发展产业。", "b": "发展产业。"})
    titles = pd.Series({"a": "关于促进乡村产业振兴的指导意见", "b": "关于做好防汛工作的通知"})
    out = precode(texts, SCHEME, titles=titles)
    assert out["industry"].tolist() == [2, 1]
    assert precode(texts, SCHEME, titles=titles, headings=False)["industry"].tolist() == [1, 1]


def test_heading_ends_at_the_first_full_stop() -> None:
    # the keyword is in the paragraph after the heading sentence, not in the heading
    out = precode(pd.Series({"a": "一、总体要求。发展产业。"}), SCHEME)
    assert out.loc["a", "industry"] == 1


def test_one_word_keywords_never_straddle_word_boundaries() -> None:
    # 资产业务 = 资产|业务: no 产业; 特色产业 is one token that contains 产业
    out = precode(pd.Series({"x": "资产业务", "y": "特色产业"}), SCHEME)
    assert out["industry"].tolist() == [0, 1]


def test_keywords_may_be_cut_where_they_divide_into_words() -> None:
    # 扶贫项目资产 is one word of the domain dictionary, so the text is 扶贫项目资产|管理; the
    # keyword 资产管理 divides into 资产|管理 at the same place and counts. 乡村人才|培养 likewise.
    out = precode(pd.Series({"a": "加强扶贫项目资产管理", "b": "完善乡村人才培养机制"}),
                  {"assets": ["资产管理"], "supply_talent": ["人才培养"]})
    assert out.loc["a", "assets"] == 1
    assert out.loc["b", "supply_talent"] == 1


def test_multi_word_keywords_match_across_tokens() -> None:
    # 东西部协作帮扶 is two tokens (东西部协作|帮扶), matched on the raw text
    out = precode(pd.Series({"a": "深化东西部协作帮扶"}), {"demand_pairing": ["东西部协作帮扶"]})
    assert out.loc["a", "demand_pairing"] == 1


def test_nested_keywords_are_not_counted_twice() -> None:
    # 消费帮扶 contains 帮扶: one occurrence, one hit (two would reach emphasis=2)
    scheme = {"demand_procurement": ["消费帮扶", "帮扶"]}
    out = precode(pd.Series({"a": "开展消费帮扶。"}), scheme, emphasis=2)
    assert out.loc["a", "demand_procurement"] == 1


def test_thresholds_are_parameters() -> None:
    texts = pd.Series({"a": "产业。产业。"})
    assert precode(texts, SCHEME, mention=3, emphasis=4).loc["a", "industry"] == 0
    assert precode(texts, SCHEME, mention=1, emphasis=2).loc["a", "industry"] == 2
    with pytest.raises(InputError, match="emphasis"):
        precode(texts, SCHEME, mention=2, emphasis=2)
    with pytest.raises(InputError, match="mention"):
        precode(texts, SCHEME, mention=0)


def test_scheme_object_gives_column_order_and_missing_keywords() -> None:
    scheme = _scheme({"industry": ["产业"], "ecology": [], "supply_funds": ["资金"]})
    out = precode(pd.Series({"a": "产业资金"}), scheme)
    assert list(out.columns) == ["industry", "ecology", "supply_funds"]
    assert out.loc["a", "ecology"] is pd.NA
    with pytest.raises(InputError, match="列表"):
        precode(pd.Series({"a": "x"}), {"industry": "产业"})
    with pytest.raises(InputError, match="CodingScheme"):
        precode(pd.Series({"a": "x"}), ["产业"])


# --- apply_precoding --------------------------------------------------------------------------

_IDS = ["a", "b", "c"]
_CODES = ["risk_monitoring", "supply_funds", "industry"]
_TEXTS = pd.Series({"a": "防止返贫。衔接资金。", "b": "特色产业。", "c": None})


def _corpus(confirmed: pd.DataFrame) -> StandInCorpus:
    auto = pd.DataFrame(pd.NA, index=pd.Index(_IDS, name="doc_id"), columns=_CODES,
                        dtype="Int64")
    titles = {"a": "关于加强衔接资金管理的通知", "b": "关于做好防汛工作的通知",
              "c": "关于巩固拓展脱贫攻坚成果的意见"}
    return StandInCorpus(documents=_docs({i: (2022, "省") for i in _IDS}, titles), texts=_TEXTS,
                         scheme=_scheme({k: SCHEME[k] for k in _CODES}),
                         codes=confirmed, auto_codes=auto)


@given(st.lists(st.one_of(st.none(), st.sampled_from([0, 1, 2])), min_size=9, max_size=9))
def test_apply_precoding_never_overwrites_confirmed_codes(values) -> None:
    confirmed = pd.DataFrame(np.array(values, dtype=object).reshape(3, 3),
                             index=pd.Index(_IDS, name="doc_id"), columns=_CODES).astype("Int64")
    before = confirmed.copy()
    corpus = _corpus(confirmed)
    new = apply_precoding(corpus)
    pd.testing.assert_frame_equal(new.codes, before)          # unchanged, NA included
    pd.testing.assert_frame_equal(corpus.codes, before)       # input not mutated
    assert corpus.auto_codes.isna().all().all()               # input corpus untouched
    assert new is not corpus
    pd.testing.assert_frame_equal(new.auto_codes, _expected_auto_codes())


@lru_cache(maxsize=1)
def _expected_auto_codes() -> pd.DataFrame:
    corpus = _corpus(pd.DataFrame())
    return precode(_TEXTS, corpus.scheme, titles=corpus.documents["title"])


def test_apply_precoding_codes_every_document_of_the_corpus() -> None:
    confirmed = pd.DataFrame(pd.NA, index=pd.Index(_IDS, name="doc_id"), columns=_CODES,
                             dtype="Int64")
    corpus = dataclasses.replace(_corpus(confirmed), texts=_TEXTS.drop("c"))
    new = apply_precoding(corpus)
    assert list(new.auto_codes.index) == _IDS
    # a: 防止返贫 1 hit -> 1; 衔接资金 1 hit but also in the title -> 2; no 产业 -> 0;
    # b: 特色产业 -> industry 1; c: no text
    assert new.auto_codes.loc["a"].tolist() == [1, 2, 0]
    assert new.auto_codes.loc["b"].tolist() == [0, 0, 1]
    assert new.auto_codes.loc["c"].isna().all()


def test_apply_precoding_needs_a_corpus() -> None:
    with pytest.raises(InputError, match="PolicyCorpus"):
        apply_precoding(_TEXTS)


# --- cohen_kappa ------------------------------------------------------------------------------

def _from_table(table: list[list[int]]) -> tuple[list[int], list[int]]:
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return a, b


def test_published_example_kavanagh_2009() -> None:
    # Kavanagh et al. (2009), BMC Cancer 9:1, doi:10.1186/1471-2407-9-1, Table 2 (SPSS
    # CROSSTABS): two pathologists, HER2 scores 1+/2+/3+ of 18 cases, counts
    # [[7, 1, 0], [0, 8, 0], [0, 0, 2]]; printed: kappa 0.906, standard error (not assuming the
    # null) 0.092, approximate T (null standard error) 4.894.
    a, b = _from_table([[7, 1, 0], [0, 8, 0], [0, 0, 2]])
    r = cohen_kappa(a, b)
    assert r.n == 18 and r.n_dropped == 0
    assert round(r.kappa, 3) == 0.906
    assert round(r.se, 3) == 0.092
    assert round(r.z, 3) == 4.894
    # by hand: p_o = 17/18, p_e = (8·7 + 8·9 + 2·2)/18² = 132/324
    assert r.observed == pytest.approx(17 / 18)
    assert r.expected == pytest.approx(132 / 324)


def test_two_by_two_by_hand() -> None:
    # a = 0 0 1 1, b = 0 1 1 1: p_o = 3/4; margins a (1/2, 1/2), b (1/4, 3/4);
    # p_e = 1/2·1/4 + 1/2·3/4 = 1/2; kappa = (3/4 − 1/2)/(1 − 1/2) = 1/2
    r = cohen_kappa([0, 0, 1, 1], [0, 1, 1, 1], labels=(0, 1))
    assert (r.observed, r.expected, r.kappa) == pytest.approx((0.75, 0.5, 0.5))
    assert r.ci_low < 0.5 < r.ci_high
    # symmetric Wald interval, truncated to κ ≤ 1 at the top
    assert 0.5 - r.ci_low == pytest.approx(1.959963985 * r.se)
    assert r.ci_high == pytest.approx(min(0.5 + 1.959963985 * r.se, 1.0))


def test_quadratic_weights_by_hand() -> None:
    # labels 0,1,2; a = 0 2, b = 1 2. Agreement weights 1 − (i−j)²/4: w(0,1) = 3/4.
    # p_o = (3/4 + 1)/2 = 7/8; margins a (1/2, 0, 1/2), b (0, 1/2, 1/2);
    # p_e = Σ w_ij a_i b_j = 1/4·[w(0,1) + w(0,2) + w(2,1) + w(2,2)] = 1/4·(3/4 + 0 + 3/4 + 1)
    #     = 5/8; kappa = (7/8 − 5/8)/(3/8) = 2/3
    r = cohen_kappa([0, 2], [1, 2], weights="quadratic")
    assert (r.observed, r.expected, r.kappa) == pytest.approx((7 / 8, 5 / 8, 2 / 3))


def test_missing_pairs_are_dropped_and_counted() -> None:
    a = pd.Series([0, 1, None, 2, 1], index=list("abcde"), dtype="Int64")
    b = pd.Series([0, 1, 2, pd.NA, 1], index=list("abcde"), dtype="Int64")
    r = cohen_kappa(a, b)
    assert (r.n, r.n_dropped, r.kappa) == (3, 2, 1.0)


def test_series_are_paired_by_index() -> None:
    a = pd.Series([0, 1, 2], index=["x", "y", "z"])
    b = pd.Series([2, 1, 0], index=["z", "y", "x"])
    assert cohen_kappa(a, b).kappa == 1.0
    with pytest.raises(InputError, match="索引"):
        cohen_kappa(a, pd.Series([0, 1, 2], index=["x", "y", "w"]))


def test_undefined_when_both_raters_use_one_category() -> None:
    r = cohen_kappa([1, 1, 1], [1, 1, 1])
    assert np.isnan(r.kappa) and r.observed == 1.0 and r.expected == 1.0
    assert landis_koch(r.kappa) == ""
    empty = cohen_kappa([None, 1], [0, None])
    assert empty.n == 0 and empty.n_dropped == 2 and np.isnan(empty.kappa)


def test_bad_ratings_and_options() -> None:
    with pytest.raises(InputError, match="labels"):
        cohen_kappa([0, 3], [0, 1])
    with pytest.raises(InputError, match="weights"):
        cohen_kappa([0, 1], [0, 1], weights="cubic")
    with pytest.raises(InputError, match="长度"):
        cohen_kappa([0, 1], [0, 1, 1])


def test_summary_and_frame() -> None:
    r = cohen_kappa(*_from_table([[7, 1, 0], [0, 8, 0], [0, 0, 2]]))
    assert "κ = 0.906" in r.summary() and "几乎完全" in r.summary()
    assert "kappa = 0.906" in r.summary("en") and "Almost perfect" in r.summary("en")
    frame = r.to_frame()
    assert frame.loc[0, "strength"] == "几乎完全" and frame.loc[0, "n"] == 18


_ratings = st.lists(st.tuples(st.sampled_from([0, 1, 2]), st.sampled_from([0, 1, 2])),
                    min_size=2, max_size=60)


@pytest.mark.oracle
@given(_ratings, st.sampled_from([None, "linear", "quadratic"]))
def test_kappa_matches_sklearn(pairs, weights) -> None:
    from sklearn.metrics import cohen_kappa_score

    a, b = zip(*pairs, strict=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(a, b, labels=[0, 1, 2], weights=weights)
    got = cohen_kappa(list(a), list(b), weights=weights).kappa
    if np.isnan(expected):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(expected, abs=1e-12)


@pytest.mark.oracle
@given(_ratings, st.sampled_from([None, "linear", "quadratic"]))
def test_standard_errors_match_statsmodels(pairs, weights) -> None:
    from statsmodels.stats.inter_rater import cohens_kappa

    a, b = zip(*pairs, strict=True)
    r = cohen_kappa(list(a), list(b), weights=weights)
    table = np.zeros((3, 3))
    np.add.at(table, (np.array(a), np.array(b)), 1)
    if np.isnan(r.kappa):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = cohens_kappa(table, wt=weights)
    assert r.kappa == pytest.approx(ref.kappa, abs=1e-12)
    # variances, not their roots: where a variance is 0 in exact arithmetic it comes out a
    # rounding error either side of 0 (statsmodels then prints nan or 1e-8, the kit clamps at 0)
    assert r.se**2 == pytest.approx(ref.var_kappa, abs=1e-12)
    assert r.se_null**2 == pytest.approx(ref.var_kappa0, abs=1e-12)


@given(_ratings, st.sampled_from([None, "linear", "quadratic"]))
def test_kappa_is_symmetric_and_bounded(pairs, weights) -> None:
    a, b = (list(x) for x in zip(*pairs, strict=True))
    ab, ba = cohen_kappa(a, b, weights=weights), cohen_kappa(b, a, weights=weights)
    assert np.isnan(ab.kappa) == np.isnan(ba.kappa)
    if not np.isnan(ab.kappa):
        assert ab.kappa == pytest.approx(ba.kappa, abs=1e-12)
        assert ab.se == pytest.approx(ba.se, abs=1e-12)
        assert -1 - 1e-12 <= ab.kappa <= 1 + 1e-12
    same = cohen_kappa(a, a, weights=weights)
    assert same.kappa == pytest.approx(1.0) if len(set(a)) > 1 else np.isnan(same.kappa)


def test_landis_koch_bounds() -> None:
    kappas = (-0.01, 0.0, 0.2, 0.21, 0.4, 0.41, 0.6, 0.61, 0.8, 0.81, 1.0)
    assert [landis_koch(k) for k in kappas] == ["差", "轻微", "轻微", "一般", "一般", "中等",
                                                "中等", "高度", "高度", "几乎完全", "几乎完全"]
    assert landis_koch(0.1 + 0.2 + 0.1 - 1e-15) == "一般"
    assert landis_koch(0.5, "en") == "Moderate"


# --- coding_agreement -------------------------------------------------------------------------

def test_coding_agreement_per_code_and_pooled() -> None:
    index = pd.Index(["a", "b", "c", "d"], name="doc_id")
    auto = pd.DataFrame({"x": [0, 1, 2, 2], "y": [0, 0, 1, 1]}, index=index, dtype="Int64")
    sure = pd.DataFrame({"x": [0, 1, 2, None], "y": [0, 1, 1, 1]}, index=index, dtype="Int64")
    table = coding_agreement(auto, sure)
    assert list(table.index) == ["x", "y", "全部"]
    assert table.index.name == "code_id"
    # x: d is not confirmed -> 3 pairs, all equal -> kappa 1
    assert table.loc["x", ["kappa", "n_pairs", "n_dropped"]].tolist() == [1.0, 3, 1]
    # y: auto 0 0 1 1, confirmed 0 1 1 1 -> the 2×2 case above: kappa 1/2 (中等)
    assert table.loc["y", "kappa"] == pytest.approx(0.5)
    assert table.loc["y", "strength"] == "中等"
    # pooled: 7 pairs (x: 3, y: 4), one dropped; same as kappa over the stacked pairs
    pooled = cohen_kappa([0, 1, 2, 0, 0, 1, 1], [0, 1, 2, 0, 1, 1, 1])
    assert table.loc["全部", "kappa"] == pytest.approx(pooled.kappa)
    assert table.loc["全部", ["n_pairs", "n_dropped"]].tolist() == [7, 1]
    english = coding_agreement(auto, sure, language="en")
    assert english.index[-1] == "All codes" and english.loc["y", "strength"] == "Moderate"


def test_coding_agreement_from_a_corpus() -> None:
    confirmed = pd.DataFrame([[1, 2, 0], [0, 0, 1], [None, None, None]],
                             index=pd.Index(_IDS, name="doc_id"), columns=_CODES).astype("Int64")
    corpus = apply_precoding(_corpus(confirmed))
    table = coding_agreement(corpus)
    # a and b: pre-codes (1 2 0 / 0 0 1) equal the confirmed codes; c has neither
    assert table["kappa"].tolist() == pytest.approx([1.0] * 4)
    assert table.loc["全部", ["n_pairs", "n_dropped"]].tolist() == [6, 3]
    with pytest.raises(InputError, match="共同"):
        coding_agreement(corpus.auto_codes, confirmed.rename(columns=str.upper))


def test_kappa_interval_stays_within_its_range():
    # Kavanagh et al. (2009): κ = 0.906, se = 0.092 — the Wald interval would reach 1.086
    r = cohen_kappa([0] * 8 + [1] * 8 + [2] * 2, [0] * 7 + [1] * 9 + [2] * 2)
    assert r.ci_high == 1.0
    assert r.ci_low == pytest.approx(r.kappa - 1.959963985 * r.se)


def test_an_edited_user_dictionary_is_loaded_again(tmp_path) -> None:
    # the tokenizer is cached per dictionary file; editing the file must not serve a stale one
    import os

    words = tmp_path / "词典.txt"
    text = pd.Series({"a": "推进庭院经济示范"})
    words.write_text("庭院经济示范 1000 n\n", encoding="utf-8")
    assert "庭院经济示范" in segment(text, userdict=words)["a"]
    words.write_text("示范 10 n\n", encoding="utf-8")
    os.utime(words, ns=(1, 1))  # a different modification time, whatever the clock says
    assert "庭院经济示范" not in segment(text, userdict=words)["a"]
