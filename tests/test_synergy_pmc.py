"""Specification of linkage.synergy.pmc (PMC 指数, Ruiz Estrada 2011).

Expected values are derived by hand in the comments (two- and three-policy tables), checked
against a naive per-policy loop, and pinned by invariants (hypothesis): all ones = number of
first-level variables, all zeros = 0, 0 ≤ X_k ≤ 1, row and column order do not matter, ranks
agree with the PMC.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linkage.synergy.pmc as pmc_module
from linkage.errors import InputError
from linkage.plotting import missing_glyphs
from linkage.synergy.pmc import (
    PMC_BANDS,
    pmc_depression,
    pmc_index,
    pmc_report_table,
    pmc_surface,
    pmc_surface_figure,
)

# The sample corpus's PMC items (brief: X1 政策性质 … X9 政策评价 with their secondary items,
# X10 政策公开 a single column): 5+4+5+5+3+8+5+5+5 secondary items and X10 = 46 columns.
SAMPLE_SIZES = {1: 5, 2: 4, 3: 5, 4: 5, 5: 3, 6: 8, 7: 5, 8: 5, 9: 5}
SAMPLE_COLUMNS = [f"X{k}.{j}" for k, n in SAMPLE_SIZES.items() for j in range(1, n + 1)] + ["X10"]
NAMES = {"X1": "政策性质", "X2": "政策时效", "X3": "发布机构", "X4": "政策领域", "X5": "政策工具",
         "X6": "政策目标", "X7": "政策对象", "X8": "激励约束", "X9": "政策评价", "X10": "政策公开"}


def _two_policies() -> pd.DataFrame:
    # 甲: X1 = (1+1+0)/3 = 2/3, X2 = (1+0)/2 = 1/2, X3 = 1      → PMC = 13/6 = 2.1667
    # 乙: X1 = (0+0+1)/3 = 1/3, X2 = (1+1)/2 = 1,   X3 = 0      → PMC = 4/3  = 1.3333
    return pd.DataFrame(
        {"X1.1": [1, 0], "X1.2": [1, 0], "X1.3": [0, 1], "X2.1": [1, 1], "X2.2": [0, 1],
         "X3": [1, 0]},
        index=pd.Index(["甲", "乙"], name="doc_id"))


BANDS_3 = [(2.0, "高"), (1.0, "中"), (0.0, "低")]


def test_hand_computed_two_policies():
    table = pmc_index(_two_policies(), bands=BANDS_3)
    assert list(table.columns) == ["X1", "X2", "X3", "PMC", "rank", "grade"]
    assert table.index.name == "doc_id" and list(table.index) == ["甲", "乙"]
    assert table.loc["甲", ["X1", "X2", "X3"]].tolist() == pytest.approx([2 / 3, 0.5, 1.0])
    assert table.loc["乙", ["X1", "X2", "X3"]].tolist() == pytest.approx([1 / 3, 1.0, 0.0])
    assert table["PMC"].tolist() == pytest.approx([13 / 6, 4 / 3])
    assert table["rank"].tolist() == [1, 2]
    assert table["grade"].astype(str).tolist() == ["高", "中"]
    assert table["grade"].cat.ordered and list(table["grade"].cat.categories) == ["低", "中", "高"]


def test_pmc_sums_unrounded_first_level_scores():
    # Three groups of three items, one item present in each: X_k = 1/3 each. Rounding X_k to
    # two decimals first would give 0.33 × 3 = 0.99; the PMC of the unrounded X_k is 1.00.
    items = pd.DataFrame([[1, 0, 0] * 3], index=["p"],
                         columns=[f"X{k}.{j}" for k in (1, 2, 3) for j in (1, 2, 3)])
    table = pmc_index(items, bands=BANDS_3)
    assert round(table.loc["p", "PMC"], 2) == 1.00
    assert table.loc["p", "grade"] == "中"  # exactly on the lower bound 1.0 of 中


def test_first_level_variables_in_natural_numeric_order():
    items = pd.DataFrame({"X10": [1], "X2.1": [0], "X1.2": [1], "X1.1": [0], "X9.1": [1]})
    table = pmc_index(items, bands=BANDS_3)
    assert list(table.columns[:4]) == ["X1", "X2", "X9", "X10"]
    assert table.loc[0, "X1"] == 0.5 and table.loc[0, "X10"] == 1.0


def test_ties_share_the_smallest_rank_even_when_floats_differ_in_the_last_bit():
    # a: X1 = 1/10, X2 = 1/5 → 0.1 + 0.2 = 0.30000000000000004 in floating point
    # b: X1 = 3/10, X2 = 0   → 0.3;  c: 1.0 + 0 = 1.0;  d: 0
    # PMC a = b = 0.3 (a tie), so ranks c=1, a=b=2, d=4 (method "min").
    x1 = {"a": [1] + [0] * 9, "b": [1, 1, 1] + [0] * 7, "c": [1] * 10, "d": [0] * 10}
    x2 = {"a": [1, 0, 0, 0, 0], "b": [0] * 5, "c": [0] * 5, "d": [0] * 5}
    rows = {p: x1[p] + x2[p] for p in "abcd"}
    columns = [f"X1.{j}" for j in range(1, 11)] + [f"X2.{j}" for j in range(1, 6)]
    items = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    assert 0.1 + 0.2 != 0.3  # the float trap this test is about
    table = pmc_index(items, bands=BANDS_3)
    assert table["rank"].to_dict() == {"a": 2, "b": 2, "c": 1, "d": 4}


def test_default_bands_for_ten_first_level_variables():
    # Ten single-column variables: PMC = number of ones. 10 and 9 → 完美, 8.99… → 优秀 (7), 5 →
    # 可接受, 4.99… → 不良 (4), 0 → 不良.
    ones = {"p10": 10, "p9": 9, "p8": 8, "p7": 7, "p6": 6, "p5": 5, "p4": 4, "p0": 0}
    items = pd.DataFrame({f"X{k}": [int(k <= n) for n in ones.values()] for k in range(1, 11)},
                         index=list(ones))
    table = pmc_index(items)
    assert table["PMC"].tolist() == [10, 9, 8, 7, 6, 5, 4, 0]
    assert table["grade"].astype(str).tolist() == [
        "完美", "完美", "优秀", "优秀", "可接受", "可接受", "不良", "不良"]
    assert [label for _, label in PMC_BANDS] == ["完美", "优秀", "可接受", "不良"]


def test_default_bands_refuse_another_number_of_first_level_variables():
    with pytest.raises(InputError, match="bands="):
        pmc_index(_two_policies())


def test_sample_corpus_columns_score_with_default_grouping():
    rng = np.random.default_rng(7)
    items = pd.DataFrame(rng.integers(0, 2, size=(6, len(SAMPLE_COLUMNS))),
                         index=pd.Index([f"sim-p-2022-0{i}" for i in range(1, 7)], name="doc_id"),
                         columns=SAMPLE_COLUMNS)
    table = pmc_index(items)
    assert list(table.columns) == [f"X{k}" for k in range(1, 11)] + ["PMC", "rank", "grade"]
    for k, n in SAMPLE_SIZES.items():
        expected = items[[f"X{k}.{j}" for j in range(1, n + 1)]].sum(axis=1) / n
        assert np.allclose(table[f"X{k}"], expected)
    assert (table["X10"] == items["X10"]).all()
    assert np.allclose(table["PMC"], table[[f"X{k}" for k in range(1, 11)]].sum(axis=1))
    assert table["grade"].notna().all()


def test_groups_override_default_grouping_and_keep_their_order():
    items = pd.DataFrame({"预测": [1, 0], "监管": [1, 1], "长期": [0, 1]}, index=["a", "b"])
    table = pmc_index(items, groups={"政策性质": ["预测", "监管"], "政策时效": ["长期"]},
                      bands=[(0, "全部")])
    assert list(table.columns[:2]) == ["政策性质", "政策时效"]
    assert table["政策性质"].tolist() == [1.0, 0.5]
    assert table["PMC"].tolist() == [1.0, 1.5]


def test_booleans_and_floats_are_accepted_as_zero_one():
    items = _two_policies().astype(bool)
    assert pmc_index(items, bands=BANDS_3)["PMC"].tolist() == pytest.approx([13 / 6, 4 / 3])
    floats = _two_policies().astype(float)
    assert pmc_index(floats, bands=BANDS_3)["PMC"].tolist() == pytest.approx([13 / 6, 4 / 3])
    nullable = _two_policies().astype("Int64")  # as read from a CSV with pandas' nullable ints
    assert pmc_index(nullable, bands=BANDS_3)["PMC"].tolist() == pytest.approx([13 / 6, 4 / 3])
    nullable.loc["乙", "X2.1"] = pd.NA
    with pytest.raises(InputError, match="缺少编码") as info:
        pmc_index(nullable, bands=BANDS_3)
    assert info.value.column == "X2.1"


@pytest.mark.parametrize(
    ("change", "kwargs", "match"),
    [
        (lambda f: f.assign(**{"X1.1": [2, 0]}), {}, r"X1\.1.*0 或 1|0 或 1.*甲"),
        (lambda f: f.assign(**{"X1.1": [1, None]}), {}, "缺少编码.*乙"),
        (lambda f: f.assign(**{"X1.1": ["是", 0]}), {}, "0 或 1"),
        (lambda f: f.rename(columns={"X1.1": "X1:1"}), {}, "X<k>.<j>"),
        (lambda f: f.assign(**{"X3.1": [0, 1]}), {}, "既有单独一列"),
        (lambda f: f.set_axis(["甲", "甲"]), {}, "重复"),
        (lambda f: f, {"groups": {"X1": ["X1.1"], "X2": []}}, "没有任何二级变量"),
        (lambda f: f, {"groups": {"X1": ["X1.1", "X1.2"], "X2": ["X1.2", "X1.3"]}}, "同时属于"),
        (lambda f: f, {"groups": {"X1": ["X1.1", "X1.2", "X1.3"]}}, "不属于"),
        (lambda f: f, {"groups": {"X1": ["X1.9"]}}, "不在数据中"),
        (lambda f: f, {"bands": [(1, "中"), (2, "高"), (0, "低")]}, "递减"),
        (lambda f: f, {"bands": [(2, "高"), (1, "中")]}, "最低一档"),
        (lambda f: f, {"bands": [(2, "高"), (0, "高")]}, "重复"),
        (lambda f: f, {"bands": [(2, "")]}, "非空"),
    ],
)
def test_bad_input_names_what_and_where(change, kwargs, match):
    kwargs = {"bands": BANDS_3} | kwargs
    with pytest.raises(InputError, match=match) as info:
        pmc_index(change(_two_policies()), **kwargs)
    assert info.value.hint  # every error says what to do


def test_value_error_names_column_and_policy():
    items = _two_policies().assign(**{"X2.2": [0, 5]})
    with pytest.raises(InputError) as info:
        pmc_index(items, bands=BANDS_3)
    assert info.value.column == "X2.2" and "'乙'" in info.value.problem


def test_empty_and_non_frame_inputs():
    with pytest.raises(InputError, match="empty"):
        pmc_index(pd.DataFrame(), bands=BANDS_3)
    with pytest.raises(InputError, match="DataFrame"):
        pmc_index([[1, 0]], bands=BANDS_3)


def _naive(items: pd.DataFrame, sizes: list[int]) -> list[float]:
    """Per-policy loop, written the way a spreadsheet does it."""
    pmc = []
    for _, row in items.iterrows():
        total, start = 0.0, 0
        for n in sizes:
            total += sum(row.iloc[start:start + n]) / n
            start += n
        pmc.append(total)
    return pmc


@st.composite
def _tables(draw):
    sizes = draw(st.lists(st.integers(1, 6), min_size=1, max_size=10))
    rows = draw(st.integers(1, 8))
    columns = [f"X{k}.{j}" for k, n in enumerate(sizes, 1) for j in range(1, n + 1)]
    values = draw(st.lists(st.lists(st.integers(0, 1), min_size=len(columns),
                                    max_size=len(columns)), min_size=rows, max_size=rows))
    return pd.DataFrame(values, columns=columns, index=[f"p{i}" for i in range(rows)]), sizes


@settings(max_examples=60, deadline=None)
@given(_tables(), st.randoms(use_true_random=False))
def test_invariants(case, random):
    items, sizes = case
    k = len(sizes)
    bands = [(k / 2, "上"), (0, "下")]
    table = pmc_index(items, bands=bands)
    first = table[[f"X{i}" for i in range(1, k + 1)]]
    assert ((first >= 0) & (first <= 1)).all().all()
    assert np.allclose(table["PMC"], _naive(items, sizes))
    assert pmc_index(items * 0 + 1, bands=bands)["PMC"].tolist() == pytest.approx([k] * len(items))
    assert pmc_index(items * 0, bands=bands)["PMC"].tolist() == [0.0] * len(items)
    # ranks: 1 + number of strictly higher PMC values (ties share the smallest rank)
    pmc = table["PMC"].round(9).to_numpy()
    assert table["rank"].tolist() == [1 + int((pmc > v).sum()) for v in pmc]
    rows = list(items.index)
    random.shuffle(rows)
    columns = list(items.columns)
    random.shuffle(columns)
    shuffled = pmc_index(items.loc[rows, columns], bands=bands)
    pd.testing.assert_frame_equal(shuffled.loc[table.index], table, check_exact=False)


def test_surface_is_row_major_first_nine():
    row = pd.Series({f"X{k}": k / 10 for k in range(1, 11)} | {"PMC": 5.5, "rank": 1})
    surface = pmc_surface(row)
    assert surface.to_numpy().tolist() == [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]
    assert surface.attrs["variables"][2] == ["X7", "X8", "X9"]
    custom = pmc_surface(row, variables=[f"X{k}" for k in range(2, 11)])
    assert custom.iloc[2, 2] == 1.0


def test_surface_needs_one_policy_and_nine_variables():
    table = pmc_index(pd.DataFrame({f"X{k}.1": [1, 0] for k in range(1, 10)}),
                      bands=[(0, "全部")])
    assert pmc_surface(table.iloc[[0]]).to_numpy().sum() == 9.0
    with pytest.raises(InputError, match="一次只画一项"):
        pmc_surface(table)
    with pytest.raises(InputError, match="9 个一级变量"):
        pmc_surface(pd.Series({"X1": 1.0, "X2": 0.5}))
    with pytest.raises(InputError, match="没有一级变量"):
        pmc_surface(table.iloc[0], variables=[f"X{k}" for k in range(2, 11)])


def _sample_table() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    items = pd.DataFrame(rng.integers(0, 2, size=(4, len(SAMPLE_COLUMNS))),
                         index=["zf2020-30", "zf2021-1", "sim-p-2022-03", "sim-c-2023-01"],
                         columns=SAMPLE_COLUMNS)
    return pmc_index(items)


def test_surface_figure_one_panel_per_policy_with_a_fixed_scale():
    table = _sample_table()
    fig = pmc_surface_figure(table, ["zf2020-30", "sim-p-2022-03"], variable_names=NAMES,
                             names={"zf2020-30": "有效衔接意见", "sim-p-2022-03": "模拟省级方案"})
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 2
    assert all(image.get_clim() == (0.0, 1.0) for image in images)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("政策性质" in t for t in texts)
    assert missing_glyphs(fig) == []
    with pytest.raises(InputError, match="没有政策"):
        pmc_surface_figure(table, ["nope"])


def test_report_table_in_chinese_with_names():
    table = pmc_index(_two_policies(), bands=BANDS_3)
    report = pmc_report_table(table, names={"甲": "甲文件", "乙": "乙文件"},
                              variable_names={"X1": "政策性质"})
    assert list(report.columns) == ["政策", "X1 政策性质", "X2", "X3", "PMC 指数", "排名", "等级"]
    assert report["政策"].tolist() == ["甲文件", "乙文件"]
    assert report["X1 政策性质"].tolist() == [0.67, 0.33]
    assert report["PMC 指数"].tolist() == [2.17, 1.33]
    assert report["排名"].tolist() == [1, 2] and report["等级"].tolist() == ["高", "中"]
    with pytest.raises(InputError, match="names"):
        pmc_report_table(table, names={"甲": "甲文件"})


def test_brief_report_table_names_each_policys_weak_variables():
    # means over the two: X1 = 1/2, X2 = 3/4, X3 = 1/2; 甲 is below only on X2 (−1/4),
    # 乙 on X3 (−1/2) and X1 (−1/6); depression = 3 − PMC
    table = pmc_index(_two_policies(), bands=BANDS_3)
    brief = pmc_report_table(table, names={"甲": "甲文件", "乙": "乙文件"},
                             variable_names={"X1": "政策性质"}, brief=True)
    assert list(brief.columns) == ["政策", "PMC 指数", "排名", "等级", "凹陷指数",
                                   "低于均值的一级变量"]
    assert brief["凹陷指数"].tolist() == [0.83, 1.67]
    assert brief["低于均值的一级变量"].tolist() == ["X2", "X3、X1 政策性质"]
    one = pmc_report_table(table, brief=True, weakest=1, language="en")
    assert one["Variables below the mean"].tolist() == ["X2", "X3"]
    even = pmc_index(_two_policies().iloc[:1], bands=BANDS_3)  # one policy: nothing below
    assert pmc_report_table(even, brief=True)["低于均值的一级变量"].tolist() == ["无"]
    with pytest.raises(InputError, match="weakest"):
        pmc_report_table(table, brief=True, weakest=0)


def test_report_table_sorted_by_rank_and_in_english():
    table = pmc_index(_two_policies().iloc[::-1], bands=BANDS_3)
    report = pmc_report_table(table, language="en")
    assert report["Policy"].tolist() == ["甲", "乙"] and report["Rank"].tolist() == [1, 2]
    graded = _sample_table()
    english = pmc_report_table(graded, language="en")["Grade"]
    assert set(english) <= {"perfect", "excellent", "acceptable", "poor"}


def test_depression_index_and_gaps():
    table = pmc_index(_two_policies(), bands=BANDS_3)
    result = pmc_depression(table)
    # k = 3: 甲 3 − 13/6 = 5/6, 乙 3 − 4/3 = 5/3; mean X1 = 1/2, X2 = 3/4, X3 = 1/2
    assert result.depression.tolist() == pytest.approx([5 / 6, 5 / 3])
    assert result.mean.tolist() == pytest.approx([0.5, 0.75, 0.5])
    assert result.gaps.loc["甲"].tolist() == pytest.approx([1 / 6, -0.25, 0.5])
    assert np.allclose(result.gaps.sum(), 0.0)
    assert list(result.to_frame().columns) == ["depression", "X1", "X2", "X3"]
    assert "乙" in result.summary() and "X1" in result.summary()


def test_docstring_examples():
    result = doctest.testmod(pmc_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 and result.failed == 0


def test_pmc_index_is_exported_from_the_package():
    # the public API contract: linkage.synergy.pmc_index
    import linkage.synergy

    assert linkage.synergy.pmc_index is pmc_index


def test_every_package_export_resolves():
    # linkage.synergy loads its modules on first access; every name it lists must resolve
    import linkage.synergy as synergy

    assert set(synergy.__all__) == set(synergy._EXPORTS)
    assert all(getattr(synergy, name) is not None for name in synergy.__all__)
    with pytest.raises(AttributeError):
        synergy.no_such_name  # noqa: B018
