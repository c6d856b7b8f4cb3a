"""Specification of linkage.frameworks: the default framework, the YAML format and its loader."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from linkage.errors import FrameworkError, InputError
from linkage.frameworks import (
    INDICATOR_COLUMNS,
    STAGES,
    Framework,
    Indicator,
    list_frameworks,
    load_framework,
)

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def default() -> Framework:
    return load_framework()


# --- the default framework ---------------------------------------------------------------


def test_default_loads_with_metadata(default):
    assert default.id == "default"
    assert isinstance(default.version, str) and default.version
    assert "衔接" in default.name_zh and default.name_en
    assert default.source is not None and default.source.name == "default.yaml"
    text = default.description + " ".join(default.references)
    assert "温美荣" in text and "刘万清" in text and "协同推进脱贫成果与乡村振兴有效衔接" in text
    assert "乡村振兴战略规划(2018—2022年)" in text


def test_default_is_packaged_and_listed():
    assert "default" in list_frameworks()
    assert load_framework("default").indicator_ids == load_framework().indicator_ids


def test_default_has_at_least_40_indicators_with_all_fields(default):
    assert len(default) >= 40
    for ind in default.indicators:
        for name in ("id", "name_zh", "name_en", "unit", "definition", "source", "subsystem",
                     "dimension"):
            value = getattr(ind, name)
            assert isinstance(value, str) and value.strip(), (ind.id, name)
        assert ind.direction in (1, -1)
        assert SNAKE.match(ind.id), ind.id
    assert len(set(default.indicator_ids)) == len(default.indicator_ids)


def test_default_tree_has_both_subsystems_layers_functions_and_five_dimensions(default):
    table = default.indicator_table()
    assert default.subsystem_ids == ("poverty", "revitalization")
    poverty = table[table["subsystem"] == "poverty"]
    cells = set(zip(poverty["layer"], poverty["function"], strict=True))
    assert cells == {(layer, function) for layer in ("outcome", "institution")
                     for function in ("consolidate", "extend")}
    rural = table[table["subsystem"] == "revitalization"]
    assert list(dict.fromkeys(rural["dimension"])) == [
        "industry", "ecology", "civility", "governance", "prosperity"]
    assert (rural["layer"] == "").all() and (rural["function"] == "").all()
    dims = default.dimensions()
    five = ["industry", "ecology", "civility", "governance", "prosperity"]
    assert dims.loc[five, "name_zh"].tolist() == [
        "产业兴旺", "生态宜居", "乡风文明", "治理有效", "生活富裕"]
    assert (dims["n_indicators"] >= 1).all()
    assert dims["n_indicators"].sum() == len(default)


def test_default_contract_ids_units_directions(default):
    # a sample of the ids shared with the sample generator
    assert default["rural_income_pc"].unit == "元"
    assert default["return_to_poverty_rate"].unit == "‰"
    assert default["return_to_poverty_rate"].direction == -1
    assert default["engel_coefficient"].direction == -1
    assert default["fertilizer_intensity"].unit == "千克/公顷"
    assert default["agri_labour_productivity"].dimension == "industry"
    assert default["east_west_funds_pc"].layer == "institution"
    assert default.indicator_ids[0] == "rural_income_pc"
    assert default.indicator_ids[-1] == "rural_consumption_pc"


def test_default_cites_the_2018_2022_plan_numbers(default):
    cited = {}
    for ind in default.indicators:
        for number in re.findall(r"主要指标 No\. (\d+)", ind.reference + ind.definition):
            cited[int(number)] = ind.id
    assert cited[19] == "engel_coefficient"
    assert cited[21] == "tap_water_rate"
    assert len(cited) >= 15 and set(cited) <= set(range(1, 23))


def test_indicator_table_follows_contract(default):
    table = default.indicator_table()
    assert list(table.columns) == list(INDICATOR_COLUMNS)
    assert table.index.name == "id"
    assert tuple(table.index) == default.indicator_ids
    assert str(table["direction"].dtype) == "int64"
    assert table["weight"].isna().all()  # the default framework sets no expert weights
    assert default.expert_weights() is None


def test_indicator_table_contract_only_gains_columns():
    # [1/7]'s columns keep their names and order; stage and eligible are appended
    assert INDICATOR_COLUMNS[:11] == (
        "name_zh", "name_en", "unit", "direction", "definition", "source", "subsystem", "layer",
        "function", "dimension", "weight")
    assert INDICATOR_COLUMNS[11:] == ("stage", "eligible", "valid_min", "valid_max")


def test_default_classifies_every_indicator_on_the_results_chain(default):
    table = default.indicator_table()
    assert set(table["stage"]) == set(STAGES) == {"input", "output", "outcome"}
    # money per person is an input wherever it sits; 常态化帮扶机制 consists of inputs only
    funds = table.index[table["unit"] == "元/人"]
    assert len(funds) == 4 and (table.loc[funds, "stage"] == "input").all()
    assert (table.loc[table["dimension"] == "assistance", "stage"] == "input").all()
    for ind in ("rural_income_pc", "return_to_poverty_rate", "compulsory_edu_retention",
                "housing_safety_rate", "engel_coefficient", "forest_cover"):
        assert default[ind].stage == "outcome", ind
    for ind in ("skills_training_rate", "sanitary_toilet_rate", "village_plan_coverage",
                "targeted_measure_rate", "paved_road_village_share"):
        assert default[ind].stage == "output", ind
    assert default.stage_ids("input") == tuple(table.index[table["stage"] == "input"])
    assert len(default.stage_ids("output", "outcome")) == len(default) - 8
    with pytest.raises(InputError, match="stage"):
        default.stage_ids("impact")


def test_default_eligibility_names_county_attributes(default):
    # 东西部协作 funds go to former poverty counties only; the rule names a boolean column of
    # the county table (counties.csv)
    from linkage.panel import load_panel

    table = default.indicator_table()
    rules = table.loc[table["eligible"] != "", "eligible"]
    assert rules.to_dict() == {"east_west_funds_pc": "poverty_county"}
    counties = load_panel().counties
    for column in set(rules):
        assert counties[column].dtype == bool


def test_hand_built_indicator_stage_is_checked():
    shared = dict(name_zh="甲", name_en="A", unit="%", direction=1, definition="d", source="s",
                  subsystem="a", layer="", function="", dimension="b", weight=None)
    assert Indicator(id="one", **shared).stage == "outcome"
    with pytest.raises(FrameworkError, match="stage"):
        Indicator(id="two", stage="impact", **shared)


def test_stage_written_in_chinese_gets_the_english_word_as_hint(tmp_path):
    text = _bad(CUSTOM, "stage: output", "stage: 产出")
    with pytest.raises(FrameworkError) as info:
        load_framework(write(tmp_path, text))
    assert "stage: output" in str(info.value)


def test_declared_ranges_are_read_with_open_sides(tmp_path):
    text = _bad(CUSTOM, "unit: 元\n", f"unit: 元\n{FIELD}range: [0, null]\n")
    text = _bad(text, 'unit: "%"\n', f'unit: "%"\n{FIELD}range: [0, 100]\n')
    fw = load_framework(write(tmp_path, text))
    assert fw["income_pc"].valid_range == (0.0, None)
    assert fw["risk_share"].valid_range == (0.0, 100.0)
    assert fw["toilets"].valid_range == (None, None)  # no declaration, no bound
    table = fw.indicator_table()
    assert table.loc["risk_share", ["valid_min", "valid_max"]].tolist() == [0.0, 100.0]
    assert np.isnan(table.loc["toilets", "valid_min"])


def test_default_declares_a_range_for_every_indicator(default):
    """Rates 0–100, ‰ 0–1000, amounts and counts ≥ 0, 城乡收入比 (urban/rural) ≥ 1."""
    table = default.indicator_table()
    assert table["valid_min"].notna().all()
    percent = table["unit"] == "%"
    assert (table.loc[percent, "valid_max"] == 100).all()
    assert (table.loc[table["unit"] == "‰", "valid_max"] == 1000).all()
    assert table.loc["urban_rural_income_ratio", "valid_min"] == 1
    assert (table.drop("urban_rural_income_ratio")["valid_min"] == 0).all()
    assert table.loc[~percent & (table["unit"] != "‰"), "valid_max"].isna().all()


def test_hand_built_indicator_with_an_empty_range_is_refused():
    shared = dict(name_zh="甲", name_en="A", unit="元", direction=1, definition="d", source="s",
                  subsystem="a", layer="", function="", dimension="b", weight=None)
    with pytest.raises(FrameworkError, match="下限不小于上限"):
        Indicator(id="one", valid_range=(5.0, 5.0), **shared)


def test_getitem_and_unknown_id(default):
    assert isinstance(default["forest_cover"], Indicator)
    assert "forest_cover" in default and "nope" not in default
    with pytest.raises(KeyError, match="nope"):
        default["nope"]


def test_tree_table_lists_nodes_and_indicators_with_parents(default):
    tree = default.tree_table()
    assert tree["path"].is_unique
    assert (tree["level"] == "indicator").sum() == len(default)
    assert set(tree["level"]) == {"subsystem", "layer", "function", "dimension", "indicator"}
    # every parent exists, and levels are ordered
    assert set(tree["parent"]) - {""} <= set(tree["path"])
    row = tree.set_index("path").loc["poverty/institution/extend/precision/village_plan_coverage"]
    assert row["parent"] == "poverty/institution/extend/precision"
    assert row["level"] == "indicator"


# --- column aliases ------------------------------------------------------------------------


def test_column_aliases_cover_all_forms(default):
    aliases = default.column_aliases()
    assert aliases["forest_cover"] == "forest_cover"
    assert aliases["森林覆盖率"] == "forest_cover"
    assert aliases["Forest coverage"] == "forest_cover"
    assert aliases["森林覆盖率(%)"] == "forest_cover"
    assert aliases["森林覆盖率（%）"] == "forest_cover"
    assert aliases["城乡居民人均可支配收入比(农村=1)（比值）"] == "urban_rural_income_ratio"
    assert len(aliases) == 5 * len(default)  # no alias shared between indicators


def test_resolve_column_ignores_surrounding_whitespace(default):
    assert default.resolve_column("  化肥施用强度（千克/公顷）\t") == "fertilizer_intensity"
    assert default.resolve_column("不存在的列") is None


def test_hand_built_framework_with_ambiguous_alias_raises():
    shared = dict(unit="%", direction=1, definition="d", source="s", subsystem="a", layer="",
                  function="", dimension="b", weight=None)
    fw = Framework(id="x", version="1", name_zh="x", name_en="x", source=None, indicators=(
        Indicator(id="one", name_zh="同名", name_en="One", **shared),
        Indicator(id="two", name_zh="同名", name_en="Two", **shared),
    ))
    with pytest.raises(FrameworkError, match="同名"):
        fw.column_aliases()


# --- custom frameworks -----------------------------------------------------------------------

CUSTOM = """\
id: county_test
version: "0.1"
name: {zh: 测试体系, en: Test framework}
description: a small custom framework
subsystems:
  - id: poverty
    name: {zh: 脱贫成果, en: Poverty}
    weight: 0.6
    children:
      - id: outcome
        name: {zh: 减贫成果, en: Outcome}
        children:
          - id: consolidate
            name: {zh: 巩固, en: Consolidate}
            children:
              - id: income
                name: {zh: 收入, en: Income}
                indicators:
                  - id: income_pc
                    name: {zh: 人均收入, en: Income per capita}
                    unit: 元
                    direction: +1
                    stage: outcome
                    definition: 收入 / 人口
                    source: 统计年鉴
                    weight: 0.75
                  - id: risk_share
                    name: {zh: 风险占比, en: Risk share}
                    unit: "%"
                    direction: -1
                    stage: outcome
                    definition: 风险户 / 总户数
                    source: 全国防止返贫监测信息系统
                    weight: 0.25
  - id: revitalization
    name: {zh: 乡村振兴, en: Revitalization}
    weight: 0.4
    children:
      - id: ecology
        name: {zh: 生态宜居, en: Ecology}
        indicators:
          - id: toilets
            name: {zh: 卫生厕所普及率, en: Sanitary toilets}
            unit: "%"
            direction: "+1"
            stage: output
            eligible: key_assistance
            definition: 卫生厕所户 / 总户数
            source: 农业农村部门统计
"""


FIELD = " " * 20  # indentation of an indicator's fields in CUSTOM


def write(tmp_path: Path, text: str, name: str = "fw.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def test_custom_framework_loads_with_both_shapes(tmp_path):
    fw = load_framework(write(tmp_path, CUSTOM))
    assert fw.id == "county_test" and fw.version == "0.1"
    assert fw.indicator_ids == ("income_pc", "risk_share", "toilets")
    assert fw["toilets"].direction == 1  # the quoted string "+1" is accepted
    assert fw["risk_share"].direction == -1
    assert (fw["income_pc"].layer, fw["income_pc"].function) == ("outcome", "consolidate")
    assert (fw["toilets"].layer, fw["toilets"].function) == ("", "")
    assert fw["income_pc"].weight == 0.75 and fw["toilets"].weight is None
    assert (fw["income_pc"].stage, fw["toilets"].stage) == ("outcome", "output")
    assert (fw["income_pc"].eligible, fw["toilets"].eligible) == ("", "key_assistance")
    assert fw.source == tmp_path / "fw.yaml"


def test_expert_weights_multiply_along_the_path(tmp_path):
    text = CUSTOM.replace("            source: 农业农村部门统计\n",
                          "            source: 农业农村部门统计\n            weight: 1\n")
    # give the remaining unweighted nodes weight 1 (only children)
    for node in ("outcome", "consolidate", "income", "ecology"):
        text = re.sub(rf"(- id: {node}\n(\s+)name: [^\n]+\n)", r"\1\2weight: 1.0\n", text)
    fw = load_framework(write(tmp_path, text))
    weights = fw.expert_weights()
    assert weights.to_dict() == pytest.approx(
        {"income_pc": 0.6 * 0.75, "risk_share": 0.6 * 0.25, "toilets": 0.4})
    within = fw.expert_weights(subsystem="poverty")
    assert within.sum() == pytest.approx(1.0)
    assert list(within.index) == ["income_pc", "risk_share"]


def test_missing_weights_give_no_expert_weights(tmp_path):
    assert load_framework(write(tmp_path, CUSTOM)).expert_weights() is None


# --- bad input: each problem names the YAML line and the key --------------------------------


def _bad(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


BAD_CASES = {
    "unknown key": (
        _bad(CUSTOM, "unit: 元\n", f"unit: 元\n{FIELD}colour: red\n"),
        "colour: red", "colour", "未知的键"),
    "duplicate indicator id": (
        _bad(CUSTOM, "- id: risk_share", "- id: income_pc"),
        "- id: income_pc", "id", "重复", 2),
    "bad direction": (
        _bad(CUSTOM, "direction: -1", "direction: 正向"),
        "direction: 正向", "direction", "+1 或 -1"),
    "boolean direction": (
        _bad(CUSTOM, "direction: -1", "direction: true"),
        "direction: true", "direction", "+1 或 -1"),
    "weights not summing to 1": (
        _bad(CUSTOM, "weight: 0.25", "weight: 0.3"),
        "weight: 0.75", "weight", "权重之和"),
    "only some siblings weighted": (
        _bad(CUSTOM, "                    weight: 0.25\n", ""),
        "- id: risk_share", "weight", "部分"),
    "non snake_case id": (
        _bad(CUSTOM, "- id: toilets", "- id: Toilets-Rate"),
        "- id: Toilets-Rate", "id", "snake_case"),
    "missing required key": (
        _bad(CUSTOM, "                    source: 统计年鉴\n", ""),
        "- id: income_pc", "source", "缺少"),
    "missing stage": (
        _bad(CUSTOM, "                    stage: outcome\n", "", 1),
        "- id: income_pc", "stage", "缺少"),
    "stage in Chinese": (
        _bad(CUSTOM, "stage: output", "stage: 产出"),
        "stage: 产出", "stage", "input、output 或 outcome"),
    "unknown stage": (
        _bad(CUSTOM, "stage: output", "stage: result"),
        "stage: result", "stage", "input、output 或 outcome"),
    "eligible not a column name": (
        _bad(CUSTOM, "eligible: key_assistance", "eligible: 重点帮扶县"),
        "eligible: 重点帮扶县", "eligible", "布尔列名"),
    "range not a pair": (
        _bad(CUSTOM, "unit: 元\n", f"unit: 元\n{FIELD}range: [0]\n"),
        "range: [0]", "range", "[下限, 上限]"),
    "range as text": (
        _bad(CUSTOM, "unit: 元\n", f"unit: 元\n{FIELD}range: 0-100\n"),
        "range: 0-100", "range", "[下限, 上限]"),
    "range low above high": (
        _bad(CUSTOM, "unit: 元\n", f"unit: 元\n{FIELD}range: [100, 0]\n"),
        "range: [100, 0]", "range", "下限不小于上限"),
    "percent range of a 0-1 share": (
        _bad(CUSTOM, 'unit: "%"\n', f'unit: "%"\n{FIELD}range: [0, 1]\n'),
        "range: [0, 1]", "range", "值域上限却是 1"),
    "wrong type": (
        _bad(CUSTOM, 'version: "0.1"', "version: 0.1"),
        "version: 0.1", "version", "文本"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_framework_raises_with_line_and_key(tmp_path, case):
    text, needle, key, words, *occurrence = BAD_CASES[case]
    path = write(tmp_path, text)
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    err = info.value
    line = line_of(text, needle, *occurrence)
    assert (err.row, err.column) == (line, key)
    message = str(err)
    assert str(path) in message
    assert f"第 {line} 行" in message and f"“{key}”" in message
    assert words in message
    assert isinstance(err, InputError) and err.exit_code == 2


def test_empty_dimension_raises_with_line_and_key(tmp_path):
    text = CUSTOM.replace(CUSTOM[CUSTOM.index("        indicators:\n          - id: toilets"):],
                          "        indicators: []\n")
    with pytest.raises(FrameworkError) as info:
        load_framework(write(tmp_path, text))
    assert (info.value.row, info.value.column) == (line_of(text, "indicators: []"), "indicators")
    assert "为空" in str(info.value)


def test_dimension_at_wrong_depth_is_rejected(tmp_path):
    consolidate = ("          - id: consolidate\n"
                   "            name: {zh: 巩固, en: Consolidate}\n"
                   "            children:\n")
    text = _bad(CUSTOM, consolidate, "")
    # `income` now sits directly under the layer; re-indentation is not needed for YAML
    with pytest.raises(FrameworkError) as info:
        load_framework(write(tmp_path, text))
    assert "第 3 层" in str(info.value)
    assert info.value.column == "indicators"


def test_malformed_yaml_names_line_and_key(tmp_path):
    text = _bad(CUSTOM, "unit: 元", "unit: [元")
    with pytest.raises(FrameworkError) as info:
        load_framework(write(tmp_path, text))
    err = info.value
    assert "YAML" in str(err)
    assert err.row is not None and f"第 {err.row} 行" in str(err)
    assert line_of(text, "unit: [元") <= err.row <= line_of(text, "unit: [元") + 2
    assert err.column is not None and f"“{err.column}”" in str(err)


def test_duplicate_mapping_key_is_a_syntax_error_naming_the_key(tmp_path):
    text = _bad(CUSTOM, "unit: 元\n", f"unit: 元\n{FIELD}unit: 元\n")
    with pytest.raises(FrameworkError) as info:
        load_framework(write(tmp_path, text))
    assert info.value.column == "unit"
    assert info.value.row == line_of(text, "unit: 元", 2)


def test_missing_file_names_the_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(FrameworkError, match=r"nowhere\.yaml") as info:
        load_framework(path)
    assert "not found" in str(info.value)


def test_all_problems_are_collected_and_the_rest_counted(tmp_path):
    text = CUSTOM
    for old, new in [("direction: +1", "direction: up"), ("direction: -1", "direction: down"),
                     ('direction: "+1"', "direction: 2"), ("- id: toilets", "- id: T"),
                     ("weight: 0.25", "weight: 0.5"), ("unit: 元", "units: 元")]:
        text = _bad(text, old, new)
    with pytest.raises(FrameworkError) as info:
        load_framework(write(tmp_path, text))
    err = info.value
    assert len(err.problems) >= 7  # six edits; `units` adds unknown + missing
    message = str(err)
    assert f"{len(err.problems)} 处问题" in message
    assert f"另有 {len(err.problems) - 5} 处" in message
    lines = [p.line for p in err.problems]
    assert line_of(text, "direction: up") in lines and line_of(text, "direction: 2") in lines
    assert err.row == err.problems[0].line


def test_ambiguous_alias_in_yaml_is_rejected(tmp_path):
    text = _bad(CUSTOM, "{zh: 风险占比, en: Risk share}", "{zh: 人均收入, en: Risk share}")
    with pytest.raises(FrameworkError) as info:
        load_framework(write(tmp_path, text))
    assert info.value.column == "name"
    assert info.value.row == line_of(text, "{zh: 人均收入, en: Risk share}")
    assert "人均收入" in str(info.value)


def test_top_level_must_be_a_mapping(tmp_path):
    with pytest.raises(FrameworkError, match="映射"):
        load_framework(write(tmp_path, "- just\n- a list\n"))


# --- property: random valid trees load; a perturbed weight fails -----------------------------


def _weights(draw, n: int) -> list[float]:
    raw = draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n))
    total = math.fsum(raw)
    return [r / total for r in raw]


@st.composite
def frameworks(draw):
    counter = iter(range(10_000))
    weighted: list[dict] = []  # every dict that got a weight, to perturb one later

    def indicators(n):
        ws = _weights(draw, n)
        items = []
        for w in ws:
            k = next(counter)
            item = {"id": f"ind_{k}", "name": {"zh": f"指标{k}", "en": f"Indicator {k}"},
                    "unit": "%", "direction": draw(st.sampled_from([1, -1, "+1", "-1"])),
                    "stage": draw(st.sampled_from(["input", "output", "outcome"])),
                    "definition": "d", "source": "统计年鉴", "weight": w}
            weighted.append(item)
            items.append(item)
        return items

    def nodes(prefix, n, make_children):
        ws = _weights(draw, n)
        items = []
        for w in ws:
            k = next(counter)
            item = {"id": f"{prefix}_{k}", "name": {"zh": f"节点{k}", "en": f"Node {k}"},
                    "weight": w, **make_children()}
            weighted.append(item)
            items.append(item)
        return items

    def dims():
        return {"indicators": indicators(draw(st.integers(1, 3)))}

    def subsystem_children():
        if draw(st.booleans()):  # subsystem → dimension
            return {"children": nodes("dim", draw(st.integers(1, 3)), dims)}
        return {"children": nodes("layer", draw(st.integers(1, 2)), lambda: {
            "children": nodes("func", draw(st.integers(1, 2)), lambda: {
                "children": nodes("dim", draw(st.integers(1, 2)), dims)})})}

    data = {"id": "random_fw", "version": "1", "name": {"zh": "随机", "en": "Random"},
            "subsystems": nodes("sub", draw(st.integers(1, 2)), subsystem_children)}
    return data, weighted


def _dump(data) -> str:
    buffer = io.StringIO()
    YAML().dump(data, buffer)
    return buffer.getvalue()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=frameworks(), pick=st.integers(0, 10_000), delta=st.floats(1e-4, 0.5))
def test_random_valid_trees_load_and_perturbed_weight_fails(tmp_path, tree, pick, delta):
    data, weighted = tree
    fw = load_framework(write(tmp_path, _dump(data)))
    n_indicators = sum(1 for item in weighted if "unit" in item)
    assert len(fw) == n_indicators
    assert fw.expert_weights().sum() == pytest.approx(1.0, abs=1e-9)
    for sub in fw.subsystem_ids:
        assert fw.expert_weights(subsystem=sub).sum() == pytest.approx(1.0, abs=1e-9)

    target = weighted[pick % len(weighted)]
    target["weight"] = target["weight"] + delta if target["weight"] + delta <= 1 \
        else target["weight"] - delta
    with pytest.raises(FrameworkError) as info:
        load_framework(write(tmp_path, _dump(data)))
    assert info.value.column == "weight"
    assert "权重之和" in str(info.value)
