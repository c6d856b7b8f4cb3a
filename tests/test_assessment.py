"""衔接评估 tables and findings built on framework scores and coupling coordination."""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pandas as pd
import pytest

from linkage import assessment, coupling
from linkage.errors import InputError
from linkage.panel import load_panel
from linkage.scoring import score_framework


@pytest.fixture(scope="module")
def data():
    return load_panel()


@pytest.fixture(scope="module")
def scores(data):
    return score_framework(data.panel, missing="year_mean")


@pytest.fixture(scope="module")
def cc(scores):
    return assessment.linkage_coupling(scores)


def test_group_means_split_the_province_mean(data, scores):
    values = scores.select(["revitalization"], labels="zh")
    long = assessment.group_means(values, data, region_code="990121")
    wide = long.pivot_table(index="年份", columns="地区", values="数值")
    plain = values["乡村振兴"].groupby(level="year").mean()
    np.testing.assert_allclose(wide["全省平均"], plain)
    poor = data.counties["poverty_county"]
    n_poor, n_other = int(poor.sum()), int((~poor).sum())
    pooled = (n_poor * wide["原贫困县"] + n_other * wide["其他县"]) / (n_poor + n_other)
    np.testing.assert_allclose(pooled, wide["全省平均"])
    own = values.xs("990121", level="region_code")["乡村振兴"]
    np.testing.assert_allclose(wide[data.region_name("990121")], own)


def test_coupling_of_the_two_subsystems(scores, cc):
    u = scores.subsystems()
    assert list(cc.columns) == ["脱贫成果", "乡村振兴", "C", "T", "D", "grade", "type"]
    np.testing.assert_allclose(cc["T"], u.mean(axis=1))
    np.testing.assert_allclose(cc["D"], np.sqrt(cc["C"] * cc["T"]))
    # corrected C for two systems: sqrt((1 − |U1 − U2|) · min/max)  (王淑佳 et al. 2021)
    a, b = u["poverty"], u["revitalization"]
    expected = np.sqrt((1 - abs(a - b)) * np.minimum(a, b) / np.maximum(a, b))
    np.testing.assert_allclose(cc["C"], expected)
    classic = assessment.linkage_coupling(scores, method="classic")
    np.testing.assert_allclose(classic["C"], 2 * np.sqrt(a * b) / (a + b))


def test_report_layer_defaults_to_the_corrected_coupling_like_the_library():
    library = inspect.signature(coupling.coupling_coordination).parameters["method"].default
    assert library == "corrected"
    for function in (assessment.linkage_coupling, assessment.function_coupling):
        assert inspect.signature(function).parameters["method"].default == library
    import papermill

    from linkage.paths import notebooks_dir

    declared = papermill.inspect_notebook(str(notebooks_dir() / "02_linkage.ipynb"))
    assert declared["coupling_method"]["default"].strip("\"'") == library


def test_classic_coupling_is_never_below_the_corrected_one(scores):
    table = assessment.coupling_by_method(scores)
    assert (table["C (classic)"] >= table["C (corrected)"]).all()
    assert (table["D (classic)"] >= table["D (corrected)"]).all()
    assert list(table.index) == list(range(2015, 2026))


def test_function_coupling_has_consolidate_and_extend(scores):
    d = assessment.function_coupling(scores)
    assert list(d.columns) == ["巩固", "拓展"]
    direct = assessment.linkage_coupling(scores, pair=("poverty/*/extend", "revitalization"))
    np.testing.assert_allclose(d["拓展"], direct["D"])


def test_counts_by_grade_and_type_cover_every_county(cc):
    grades = assessment.grade_distribution(cc)
    assert (grades.sum(axis=1) == 120).all()
    assert grades.columns[0] == "极度失调" and len(grades.columns) == 10
    assert (assessment.type_counts(cc).sum(axis=1) == 120).all()


def test_rankings_put_the_highest_d_first(data, cc):
    table = assessment.rank_regions(cc, data, year=2025, k=3)
    latest = cc.xs(2025, level="year")["D"]
    assert table["D"].iloc[0] == latest.max() and table["D"].iloc[-1] == latest.min()
    assert table["rank"].tolist() == [1, 2, 3, 118, 119, 120]
    with pytest.raises(InputError, match="2030"):
        assessment.rank_regions(cc, data, year=2030)


def test_obstacles_are_shares(scores):
    obs = assessment.obstacles(scores, "revitalization")
    assert len(obs.columns) == 20
    np.testing.assert_allclose(obs.sum(axis=1), 1.0)
    dims = assessment.dimension_obstacles(scores, obs, year=2025)
    assert dims.sum() == pytest.approx(1.0)
    assert set(dims.index) == {"产业兴旺", "生态宜居", "乡风文明", "治理有效", "生活富裕"}
    assert dims.is_monotonic_decreasing
    names = scores.weights.set_index("node")["name_zh"]
    freq = assessment.frequent_obstacles(obs, year=2025, k=3, names=names)
    assert freq["n_regions"].sum() == 3 * 120
    assert freq["n_regions"].is_monotonic_decreasing


def test_d_matrix_by_prefecture_or_county(data, cc):
    by_pref = assessment.d_matrix(cc, data)
    assert len(by_pref) == data.counties["prefecture_name"].nunique()
    assert by_pref.iloc[:, -1].is_monotonic_decreasing
    by_county = assessment.d_matrix(cc, data, by="county")
    assert len(by_county) == 120 and list(by_county.columns) == list(range(2015, 2026))
    bare = dataclasses.replace(data, counties=pd.DataFrame(index=pd.Index([], dtype=str)))
    with pytest.raises(InputError, match="prefecture_name"):
        assessment.d_matrix(cc, bare, by="prefecture")
    assert len(assessment.d_matrix(cc, bare)) == 120  # auto: counties without prefectures


def test_narrative_sentences(data, scores, cc):
    lines = assessment.linkage_narrative(scores, cc, data, region_code="990121")
    assert all(isinstance(line, str) and line for line in lines)
    text = "".join(lines)
    d = cc["D"].groupby(level="year").mean()
    assert f"{d[2015]:.3f}" in text and f"{d[2025]:.3f}" in text
    assert data.region_name("990121") in text
    assert "王淑佳" in text and "熵值法" in text and "模拟数据" in lines[-1]
    real = dataclasses.replace(data, simulated=False)
    assert "模拟数据" not in "".join(
        assessment.linkage_narrative(scores, cc, real, region_code="990121"))
