"""Coding scheme as data (linkage.synergy.scheme): the packaged scheme, strength, validation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkage.errors import FrameworkError, InputError
from linkage.frameworks import load_framework
from linkage.synergy.scheme import DEFAULT_SCHEME, LEVELS, issuer_list, load_scheme

SCHEME = load_scheme()
TEXT = DEFAULT_SCHEME.read_text(encoding="utf-8")


def _line(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _edited(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    path = tmp_path / "scheme.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


# --- the packaged scheme -----------------------------------------------------------------


def test_goals_are_exactly_the_framework_dimensions():
    dims = load_framework().indicator_table()["dimension"].unique()
    assert sorted(SCHEME.goal_ids) == sorted(dims)
    assert len(SCHEME.goal_ids) == 17


def test_goal_groups_follow_the_framework_functions():
    groups = SCHEME.code_table().query("kind == 'goal'")["group"]
    assert set(groups[groups == "振兴"].index) == {
        "industry", "ecology", "civility", "governance", "prosperity"}
    assert set(groups[groups == "拓展"].index) == {
        "specialty_industry", "employment", "assets", "precision", "multi_actor"}
    assert set(groups[groups == "巩固"].index) == {
        "income_stability", "risk_monitoring", "basic_guarantees", "relocation_support",
        "self_reliance", "assistance", "leadership"}


def test_instruments_in_rothwell_zegveld_categories():
    table = SCHEME.code_table().query("kind == 'instrument'")
    assert table["group"].value_counts().to_dict() == {"supply": 5, "environment": 5,
                                                       "demand": 4}
    assert SCHEME.code_ids == SCHEME.goal_ids + SCHEME.instrument_ids
    assert SCHEME.ids_of("instrument")[0] == "supply_funds"


def test_keywords_for_dictionary_precoding():
    keywords = SCHEME.keyword_table()
    per_code = keywords.groupby("code").size()
    assert per_code.reindex(list(SCHEME.code_ids)).min() >= 5
    assert {"防止返贫", "动态监测", "监测对象", "风险消除", "预警"} <= set(
        SCHEME["risk_monitoring"].keywords)
    assert {"衔接资金", "财政资金", "资金投入", "补助资金"} <= set(SCHEME["supply_funds"].keywords)


def test_code_table_languages():
    zh, en = SCHEME.code_table("zh"), SCHEME.code_table("en")
    assert list(zh.columns) == ["kind", "group", "kind_label", "group_label", "label",
                                "keywords"]
    assert zh.loc["risk_monitoring", ["kind_label", "group_label", "label"]].tolist() == [
        "目标", "巩固", "防止返贫监测"]
    assert en.loc["industry", ["group_label", "label"]].tolist() == ["Revitalize",
                                                                   "Thriving industry"]
    assert (zh["group"] == en["group"]).all()  # stable values to select on
    with pytest.raises(InputError):
        SCHEME.code_table("fr")


def test_emphasis_scale():
    assert SCHEME.emphasis_table()["label"].tolist() == ["未涉及", "提及", "重点"]


# --- policy strength ---------------------------------------------------------------------


def test_strength_hand_computed():
    # 法律 5 at 中央; 中共中央/国务院 意见 4; a 领导小组 (no top issuer) 意见 3; 部委 通知 2;
    # 省政府 意见 4 − 1 = 3; 省厅 方案 3 − 1 = 2; 市委 规划 4 − 2 = 2; 县政府 意见 4 − 3 = 1;
    # 县 通知 max(1, 2 − 3) = 1 (floor).
    docs = pd.DataFrame({
        "level": ["中央", "中央", "中央", "中央", "省", "省", "市", "县", "县"],
        "doc_type": ["法律", "意见", "意见", "通知", "意见", "方案", "规划", "意见", "通知"],
        "issuers": ["全国人民代表大会常务委员会", "中共中央；国务院", "中央农村工作领导小组",
                    "农业农村部、财政部", "某省人民政府", "某省农业农村厅；某省财政厅",
                    "中共某市委员会", "某县人民政府", "某县农业农村局"],
    }, index=list("abcdefghi"))
    strength = SCHEME.strength(docs)
    assert strength.tolist() == [5, 4, 3, 2, 3, 2, 2, 1, 1]
    assert list(strength.index) == list("abcdefghi") and strength.name == "strength"


def test_joint_issuance_with_a_top_body_counts_as_top():
    docs = pd.DataFrame({"level": ["中央", "中央"], "doc_type": ["意见", "意见"],
                         "issuers": ["国家乡村振兴局；国务院办公厅", "国家乡村振兴局"]})
    assert SCHEME.strength(docs).tolist() == [4, 3]


def test_strength_table_matches_strength():
    table = SCHEME.strength_table()
    assert table.loc["法律", ("中央", "党委政府")] == 5
    assert table.loc["意见", ("省", "部门")] == 2
    assert table.to_numpy().min() == 1 and table.to_numpy().max() == 5


@given(st.sampled_from(SCHEME.doc_type_ids), st.booleans())
def test_strength_bounded_and_falls_with_level(doc_type, top):
    issuer = "国务院" if top else "某部"
    docs = pd.DataFrame({"level": list(LEVELS), "doc_type": doc_type, "issuers": issuer})
    strength = SCHEME.strength(docs)
    assert strength.between(1, 5).all()
    assert strength.is_monotonic_decreasing


def test_strength_unknown_doc_type_is_input_error():
    docs = pd.DataFrame({"level": ["中央"], "doc_type": ["公告"], "issuers": ["国务院"]})
    with pytest.raises(InputError, match="公告"):
        SCHEME.strength(docs)


def test_strength_is_configurable(tmp_path):
    path, _ = _edited(tmp_path, "level_step: 1", "level_step: 0")
    docs = pd.DataFrame({"level": ["县"], "doc_type": ["意见"], "issuers": ["某县人民政府"]})
    assert load_scheme(path).strength(docs).tolist() == [4]


def test_issuer_list_separators():
    assert issuer_list(pd.Series(["甲；乙", "甲;乙", "甲、乙", " 甲 "])).tolist() == [
        ["甲", "乙"], ["甲", "乙"], ["甲", "乙"], ["甲"]]


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "key", "words", "needle"), [
    ("  - id: precision\n", "  - id: precisión\n", "id", "snake_case", "precisión"),
    ("  - id: precision\n", "  - id: precisio\n", "id", "precision", "id: precisio"),
    ("{top: 4, other: 3}}\n  - {id: 规划", "{top: 6, other: 3}}\n  - {id: 规划", "top", "1–5",
     "top: 6"),
    ("    category: demand\n", "    category: market\n", "category", "supply", "market"),
    ("    keywords: [稳定增收,", "    keywords: []\n    keyword: [稳定增收,", "keyword",
     "keywords", "keyword: ["),
    ("    - ^国务院(办公厅)?$", "    - ^国务院(办公厅?$", "top_issuers", "正则", "(办公厅?$"),
    ("framework: default", "framework: other", "framework", "other", "framework: other"),
])
def test_problems_name_line_and_key(tmp_path, old, new, key, words, needle):
    path, text = _edited(tmp_path, old, new)
    with pytest.raises(FrameworkError) as info:
        load_scheme(path)
    error = info.value
    problem = next(p for p in error.problems if p.key == key)
    assert words in str(problem)
    assert str(path) in error.message
    assert problem.line == _line(text + "\n", needle)


def test_missing_dimension_is_named(tmp_path):
    start = TEXT.index("  - id: civility")
    end = TEXT.index("  - id: governance")
    path = tmp_path / "scheme.yaml"
    path.write_text(TEXT[:start] + TEXT[end:], encoding="utf-8")
    with pytest.raises(FrameworkError, match="civility") as info:
        load_scheme(path)
    assert info.value.column == "goals"
    assert info.value.row == _line(TEXT, "goals:")


def test_duplicate_code_id(tmp_path):
    path, text = _edited(tmp_path, "  - id: demand_pilot\n", "  - id: supply_funds\n")
    with pytest.raises(FrameworkError, match="重复") as info:
        load_scheme(path)
    second = [i for i, line in enumerate(text.splitlines(), start=1)
              if line == "  - id: supply_funds"][1]
    assert info.value.row == second and info.value.column == "id"


def test_yaml_syntax_error_names_the_line(tmp_path):
    path, _ = _edited(tmp_path, "  - id: ecology\n", "  - id: [ecology\n")
    with pytest.raises(FrameworkError, match="YAML") as info:
        load_scheme(path)
    assert info.value.row is not None


def test_missing_file():
    with pytest.raises(FrameworkError, match="找不到"):
        load_scheme("/nonexistent/scheme.yaml")


def test_doctests():
    import doctest

    import linkage.synergy.scheme as module

    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0
