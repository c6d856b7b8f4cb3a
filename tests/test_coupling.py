"""Specification of linkage.coupling (耦合协调度与障碍度).

Expected values come from the published worked example of 王淑佳 et al. (2021, 自然资源学报
36(3), Table 8), the published grade tables (田深圳 et al. 2021; 徐维祥 et al. 2020, via
``linkage.datasets``), hand derivations shown in comments, and invariants (hypothesis).
"""

from __future__ import annotations

import doctest
import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import linkage.coupling as coupling_module
from linkage import datasets
from linkage.coupling import (
    GRADE_SCHEMES,
    GradeScheme,
    coupling_coordination,
    grade,
    obstacle_by_group,
    obstacle_degree,
    relative_development,
    top_obstacles,
)
from linkage.errors import InputError
from linkage.frameworks import load_framework

# Case CC2 (tests/data/wang2021_table8_C.csv, a verbatim copy of
# shared/validation/wang2021_table8_C.csv so the test runs in any clone):
# 王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 (2021), 自然资源学报 36(3):793-810, Table 8 — original and
# corrected C printed to 4 dp for 13 cities 2008-2014; U_low/U_high back-solved from each
# printed pair (blank where the pair cannot be inverted: 2012 石家庄, C = 1.0000).
TABLE8 = Path(__file__).parent / "data" / "wang2021_table8_C.csv"

TIAN = GRADE_SCHEMES["tian2021"].labels_zh


def _table8() -> pd.DataFrame:
    return pd.read_csv(TABLE8)


def _two(u1, u2, index=None) -> pd.DataFrame:
    return pd.DataFrame({"脱贫成果": u1, "乡村振兴": u2}, index=index)


# --- case CC2: 王淑佳 et al. (2021) Table 8 round trip ----------------------------------------


def test_table8_has_one_row_that_cannot_be_inverted():
    table = _table8()
    blank = table[table["U_low_derived"].isna()]
    assert len(table) == 91
    assert blank[["year", "city"]].values.tolist() == [[2012, "石家庄"]]


@pytest.mark.parametrize(("method", "column"), [("classic", "C_original_published"),
                                                ("corrected", "C_modified_published")])
def test_wang2021_table8_round_trip(method, column):
    table = _table8().dropna(subset=["U_low_derived", "U_high_derived"])
    scores = table[["U_low_derived", "U_high_derived"]]
    out = coupling_coordination(scores, method=method)
    np.testing.assert_allclose(out["C"], table[column], rtol=0, atol=5e-5)
    assert out.index.equals(scores.index)


def test_wang2021_corrected_below_original_on_every_row():
    table = _table8().dropna()
    scores = table[["U_low_derived", "U_high_derived"]]
    classic = coupling_coordination(scores, method="classic")["C"]
    corrected = coupling_coordination(scores, method="corrected")["C"]
    assert (corrected < classic).all()
    assert (table["C_modified_published"] < table["C_original_published"]).all()


def test_default_formula_is_the_corrected_coupling():
    # 王淑佳 et al. (2021): the classic C is inflated; the kit defaults to the corrected C and
    # offers the classic one by keyword (the report layer pins the same default)
    s = _two([0.05, 0.3, 0.6], [0.08, 0.5, 0.6])
    assert inspect.signature(coupling_coordination).parameters["method"].default == "corrected"
    pd.testing.assert_frame_equal(coupling_coordination(s),
                                  coupling_coordination(s, method="corrected"))
    classic = coupling_coordination(s, method="classic")
    assert classic.loc[0, "C"] > 0.97 > coupling_coordination(s).loc[0, "C"]


# --- hand-derivable cases ----------------------------------------------------------------


def test_equal_scores_have_full_coupling_under_both_methods():
    s = _two([0.1, 0.37, 0.9], [0.1, 0.37, 0.9])
    for method in ("classic", "corrected"):
        np.testing.assert_allclose(coupling_coordination(s, method=method)["C"], 1.0, atol=1e-15)


def test_two_system_classic_and_corrected_closed_forms():
    # the n-system code with n = 2 reduces to the printed two-system formulas
    a = np.array([0.3, 0.05, 0.8, 0.2])
    b = np.array([0.5, 0.9, 0.8, 0.0])
    out_classic = coupling_coordination(_two(a, b), method="classic")
    out_corrected = coupling_coordination(_two(a, b), method="corrected")
    # C = 2·sqrt(U1·U2)/(U1+U2); corrected C = sqrt((1 − |U1 − U2|) · min/max)
    np.testing.assert_allclose(out_classic["C"], 2 * np.sqrt(a * b) / (a + b), atol=1e-15)
    expected = np.sqrt((1 - abs(a - b)) * np.minimum(a, b) / np.maximum(a, b))
    np.testing.assert_allclose(out_corrected["C"], expected, atol=1e-15)


def test_three_systems_by_hand():
    # U = (0.2, 0.4, 0.8): ΠU = 0.064, (ΠU)^(1/3) = 0.4, ΣU = 1.4 → classic C = 3·0.4/1.4 = 6/7;
    # T = 1.4/3; D = sqrt(6/7 · 1.4/3) = sqrt(0.4).
    # corrected: Σ|Ui − Uj| = 0.2 + 0.6 + 0.4 = 1.2, Σm = 3 → 1 − 0.4 = 0.6;
    # Π(U/max) = 0.25·0.5·1 = 0.125, ^(1/2) → C = sqrt(0.6 · sqrt(0.125)).
    s = pd.DataFrame({"a": [0.2], "b": [0.4], "c": [0.8]})
    classic = coupling_coordination(s, method="classic")
    assert classic.loc[0, "C"] == pytest.approx(6 / 7, abs=1e-12)
    assert classic.loc[0, "T"] == pytest.approx(1.4 / 3, abs=1e-12)
    assert classic.loc[0, "D"] == pytest.approx(np.sqrt(0.4), abs=1e-12)
    assert classic.loc[0, "grade"] == "初级协调"
    assert "type" not in classic.columns
    corrected = coupling_coordination(s, method="corrected")
    assert corrected.loc[0, "C"] == pytest.approx(np.sqrt(0.6 * np.sqrt(0.125)), abs=1e-12)


def test_n_system_classic_equals_normalised_product_form():
    # C = n·(ΠU)^(1/n)/ΣU  ≡  {ΠU / [(ΣU/n)^n]}^(1/n)
    rng = np.random.default_rng(7)
    u = rng.uniform(0.01, 1, size=(50, 4))
    alt = (u.prod(axis=1) / (u.sum(axis=1) / 4) ** 4) ** 0.25
    np.testing.assert_allclose(coupling_coordination(pd.DataFrame(u), method="classic")["C"], alt,
                               rtol=1e-12)


def test_a_zero_subsystem_gives_zero_coupling():
    s = pd.DataFrame({"a": [0.0], "b": [0.5], "c": [0.9]})
    for method in ("classic", "corrected"):
        out = coupling_coordination(s, method=method)
        assert out.loc[0, "C"] == 0 and out.loc[0, "D"] == 0
        assert out.loc[0, "grade"] == "极度失调"


def test_weights_enter_T_and_D():
    # U = (0.3, 0.5), α = (0.4, 0.6): T = 0.12 + 0.30 = 0.42; C = 2·sqrt(0.15)/0.8
    out = coupling_coordination(_two([0.3], [0.5]), weights=(0.4, 0.6), method="classic")
    c = 2 * np.sqrt(0.15) / 0.8
    assert out.loc[0, "T"] == pytest.approx(0.42, abs=1e-15)
    assert out.loc[0, "D"] == pytest.approx(np.sqrt(c * 0.42), abs=1e-15)
    by_name = coupling_coordination(_two([0.3], [0.5]), weights={"乡村振兴": 0.6, "脱贫成果": 0.4},
                                    method="classic")
    pd.testing.assert_frame_equal(by_name, out)


def test_grade_of_D_follows_the_closure():
    # U1 = U2 = 0.25: C = 1, T = 0.25, D = 0.5 — the boundary of 濒临失调 / 勉强协调
    s = _two([0.25], [0.25])
    assert coupling_coordination(s)["D"].iloc[0] == 0.5
    assert coupling_coordination(s)["grade"].iloc[0] == "濒临失调"
    assert coupling_coordination(s, closed="left")["grade"].iloc[0] == "勉强协调"
    assert coupling_coordination(s, language="en")["grade"].iloc[0] == "verge of imbalance"


def test_index_is_kept_and_type_named_after_the_subsystems():
    idx = pd.MultiIndex.from_tuples([("990101", 2021), ("990102", 2021), ("990103", 2021)],
                                    names=["region_code", "year"])
    out = coupling_coordination(_two([0.2, 0.5, 0.7], [0.6, 0.55, 0.3], index=idx))
    assert out.index.equals(idx)
    assert list(out.columns) == ["C", "T", "D", "grade", "type"]
    assert out["type"].tolist() == ["脱贫成果滞后型", "同步型", "乡村振兴滞后型"]
    assert out["grade"].cat.ordered and out["type"].cat.ordered


# --- bad input and undefined cases ------------------------------------------------------------


@pytest.mark.parametrize("bad", [1.2, -0.1, np.inf])
def test_scores_outside_unit_interval_raise_naming_the_column(bad):
    with pytest.raises(InputError) as err:
        coupling_coordination(_two([0.2, 0.3], [0.4, bad]))
    assert err.value.column == "乡村振兴"


def test_missing_scores_raise_by_default_and_are_kept_on_request():
    s = _two([0.2, np.nan, 0.6], [0.4, 0.5, 0.6], index=["a", "b", "c"])
    with pytest.raises(InputError, match="'b'"):
        coupling_coordination(s)
    out = coupling_coordination(s, missing="keep")
    assert len(out) == 3
    assert out.loc["b", ["C", "T", "D"]].isna().all()
    assert pd.isna(out.loc["b", "grade"]) and pd.isna(out.loc["b", "type"])
    pd.testing.assert_frame_equal(out.drop(index="b"), coupling_coordination(s.drop(index="b")))


def test_all_zero_rows_raise_or_follow_the_zero_rule():
    s = _two([0.0, 0.4], [0.0, 0.4], index=["甲县", "乙县"])
    with pytest.raises(InputError, match="甲县"):
        coupling_coordination(s)
    for method in ("classic", "corrected"):
        out = coupling_coordination(s, all_zero="zero", method=method)
        assert out.loc["甲县", ["C", "T", "D"]].tolist() == [0.0, 0.0, 0.0]
        assert out.loc["甲县", "grade"] == "极度失调"
        assert out.loc["乙县", "C"] == pytest.approx(1.0)


@pytest.mark.parametrize("weights", [(0.5, 0.6), (1.2, -0.2), (1.0,), {"脱贫成果": 1.0},
                                     (np.nan, 1.0)])
def test_bad_weights_raise(weights):
    with pytest.raises(InputError):
        coupling_coordination(_two([0.2], [0.4]), weights=weights)


@pytest.mark.parametrize("kwargs", [{"method": "Classic"}, {"closed": "both"},
                                    {"type_method": "diff"}, {"language": "de"},
                                    {"missing": "drop"}, {"all_zero": "one"},
                                    {"scheme": "nope"}])
def test_invalid_options_raise(kwargs):
    with pytest.raises(InputError):
        coupling_coordination(_two([0.2], [0.4]), **kwargs)


def test_one_column_or_text_columns_raise():
    with pytest.raises(InputError, match="≥ 2"):
        coupling_coordination(pd.DataFrame({"a": [0.2]}))
    with pytest.raises(InputError) as err:
        coupling_coordination(pd.DataFrame({"a": [0.2], "b": ["0.4"]}))
    assert err.value.column == "b"


# --- grades -------------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(1, 10))
def test_each_inner_boundary_lands_in_the_right_grade(k):
    # (0.1(k−1), 0.1k] under "right": boundary 0.1k is in grade k−1 (0-based); [0.1k, …) under
    # "left": grade k. Computed boundaries (k/10 from arithmetic) grade like the decimal value.
    for value in (k / 10, sum([0.1] * k)):
        d = pd.Series([value])
        assert grade(d).iloc[0] == TIAN[k - 1]
        assert grade(d, closed="left").iloc[0] == TIAN[k]


@pytest.mark.parametrize("closed", ["right", "left"])
def test_both_ends_are_graded_under_both_closures(closed):
    out = grade(pd.Series([0.0, 0.05, 0.95, 1.0]), closed=closed)
    assert out.tolist() == ["极度失调", "极度失调", "优质协调", "优质协调"]


def test_grade_is_ordered_categorical_with_english_labels():
    out = grade(pd.Series([0.15, 0.85], index=["x", "y"]), language="en")
    assert out.index.tolist() == ["x", "y"]
    assert out.tolist() == ["serious imbalance", "good coordination"]
    assert list(out.cat.categories) == list(GRADE_SCHEMES["tian2021"].labels_en)
    assert out.max() == "good coordination"  # ordered by grade, not alphabetically
    assert (out < "primary coordination").tolist() == [True, False]


def test_grade_keeps_missing_and_rejects_out_of_range():
    assert grade(pd.Series([np.nan, 0.3])).isna().tolist() == [True, False]
    for bad in (-0.01, 1.01):
        with pytest.raises(InputError, match="范围"):
            grade(pd.Series([0.5, bad]))


@pytest.mark.parametrize(("measure", "name"), [("D", "tian2021"), ("C", "tian2021_coupling"),
                                               ("D_alt", "xu2020")])
def test_builtin_schemes_match_the_reference_table(measure, name):
    ref = datasets.load("coupling_coordination_grades")
    rows = ref[ref["measure"] == measure].sort_values("lower_exclusive")
    scheme = GRADE_SCHEMES[name]
    breaks = [*rows["lower_exclusive"], rows["upper_inclusive"].iloc[-1]]
    assert scheme.breaks == tuple(breaks)
    assert (rows["upper_inclusive"].to_numpy()[:-1] == rows["lower_exclusive"].to_numpy()[1:]).all()
    assert scheme.labels_zh == tuple(rows["grade_cn"])


def test_coupling_stage_and_alternative_scheme():
    c = pd.Series([0.0, 0.3, 0.31, 0.8, 1.0])
    assert grade(c, scheme="tian2021_coupling").tolist() == [
        "低水平耦合", "低水平耦合", "拮抗阶段", "磨合阶段", "高水平耦合"]
    # 徐维祥 et al. 2020 publish lower-closed intervals: 0.5 → 初级, 0.7 → 高级
    d = pd.Series([0.49, 0.5, 0.7, 1.0])
    assert grade(d, scheme="xu2020", closed="left").tolist() == [
        "濒临失调 (失调衰退类)", "初级协调 (转型发展类)", "高级协调 (协调发展类)",
        "高级协调 (协调发展类)"]


def test_user_scheme_and_its_validation():
    s = GradeScheme("three", (0, 0.4, 0.7, 1), ("低", "中", "高"))
    assert grade(pd.Series([0.4, 0.41]), scheme=s).tolist() == ["低", "中"]
    assert s.labels("en") == ("低", "中", "高")
    out = coupling_coordination(_two([0.25], [0.25]), scheme=s)
    assert out["grade"].iloc[0] == "中"
    with pytest.raises(InputError):
        GradeScheme("bad", (0, 0.5, 0.4), ("a", "b"))
    with pytest.raises(InputError):
        GradeScheme("bad", (0, 0.5, 1), ("a",))
    with pytest.raises(InputError):
        GradeScheme("bad", (0, 0.5, 1), ("a", "a"))


# --- relative development type ----------------------------------------------------------------


def test_difference_band_is_inclusive():
    u1 = pd.Series([0.4, 0.3, 0.45, 0.2])
    u2 = pd.Series([0.3, 0.4, 0.3, 0.31])
    out = relative_development(u1, u2, names=("脱贫成果", "乡村振兴"))
    assert out.tolist() == ["同步型", "同步型", "乡村振兴滞后型", "脱贫成果滞后型"]
    assert list(out.cat.categories) == ["脱贫成果滞后型", "同步型", "乡村振兴滞后型"]


def test_ratio_rule():
    # r = U2/U1: 1.2 → inside band 0.2; 1.3 → U1 lags; 0.7 → U2 lags; 0/0 → 同步; 0.1/0 → U1 lags
    u1 = pd.Series([0.5, 0.5, 0.5, 0.0, 0.0])
    u2 = pd.Series([0.6, 0.65, 0.35, 0.0, 0.1])
    out = relative_development(u1, u2, band=0.2, method="ratio", language="en")
    assert out.tolist() == ["synchronous", "U1 lagging", "U2 lagging", "synchronous",
                            "U1 lagging"]


def test_relative_development_input_checks():
    u = pd.Series([0.2, 0.3])
    with pytest.raises(InputError):
        relative_development(u, pd.Series([0.2, 0.3], index=[5, 6]))
    with pytest.raises(InputError):
        relative_development(u, u, names=("a", "a"))
    with pytest.raises(InputError):
        relative_development(u, u, band=-0.1)
    with pytest.raises(InputError):
        relative_development(u, u, method="ratios")
    assert relative_development(pd.Series([np.nan]), pd.Series([0.2])).isna().all()


# --- properties ----------------------------------------------------------------------------

unit = st.floats(0, 1, allow_nan=False)


@st.composite
def score_frames(draw, n=None):
    n = n or draw(st.integers(2, 5))
    rows = draw(st.integers(1, 12))
    u = draw(arrays(float, (rows, n), elements=unit))
    u[:, 0] = np.maximum(u[:, 0], draw(st.floats(1e-3, 1)))  # no all-zero row
    return pd.DataFrame(u, columns=[f"s{i}" for i in range(n)])


@settings(max_examples=60, deadline=None)
@given(score_frames(), st.sampled_from(["classic", "corrected"]))
def test_bounds(scores, method):
    out = coupling_coordination(scores, method=method)
    for col in ("C", "T", "D"):
        assert ((out[col] >= 0) & (out[col] <= 1)).all()
    assert (out["D"] <= np.sqrt(out["T"]) + 1e-15).all()
    assert out["grade"].notna().all()


@settings(max_examples=60, deadline=None)
@given(score_frames(n=2))
def test_corrected_never_exceeds_classic_for_two_systems(scores):
    classic = coupling_coordination(scores, method="classic")["C"]
    corrected = coupling_coordination(scores, method="corrected")["C"]
    assert (corrected <= classic + 1e-12).all()


@settings(max_examples=40, deadline=None)
@given(score_frames(), st.sampled_from(["classic", "corrected"]), st.randoms())
def test_invariant_to_row_order_and_symmetric_in_subsystems(scores, method, rnd):
    out = coupling_coordination(scores, method=method)
    rows = list(scores.index)
    rnd.shuffle(rows)
    shuffled = coupling_coordination(scores.loc[rows], method=method)
    pd.testing.assert_frame_equal(shuffled.loc[out.index], out)
    cols = list(scores.columns)[::-1]
    swapped = coupling_coordination(scores[cols], method=method)
    np.testing.assert_allclose(swapped[["C", "T", "D"]], out[["C", "T", "D"]], atol=1e-12)


# --- obstacle degree ----------------------------------------------------------------------


def test_obstacle_degree_by_hand():
    # x' = (0.2, 0.6, 1.0), w = (0.5, 0.3, 0.2): F·I = (0.4, 0.12, 0) / 0.52
    x = pd.DataFrame({"a": [0.2], "b": [0.6], "c": [1.0]}, index=pd.Index(["甲县"], name="r"))
    out = obstacle_degree(x, pd.Series({"c": 0.2, "a": 0.5, "b": 0.3, "unused": 0.9}))
    np.testing.assert_allclose(out.to_numpy(), [[0.4 / 0.52, 0.12 / 0.52, 0.0]], atol=1e-15)
    assert out.index.equals(x.index) and out.columns.equals(x.columns)


def test_no_obstacle_rows_follow_the_rule():
    x = pd.DataFrame({"a": [1.0, 0.5], "b": [1.0, 0.5]}, index=["甲县", "乙县"])
    w = {"a": 0.5, "b": 0.5}
    with pytest.warns(UserWarning, match="甲县"):
        out = obstacle_degree(x, w)
    assert out.loc["甲县"].isna().all() and out.loc["乙县"].tolist() == [0.5, 0.5]
    zero = obstacle_degree(x, w, no_obstacle="zero")
    assert zero.loc["甲县"].tolist() == [0.0, 0.0]


def test_zero_weight_indicator_gets_no_share():
    x = pd.DataFrame({"a": [0.0], "b": [0.5]})
    out = obstacle_degree(x, {"a": 0.0, "b": 1.0})
    assert out.iloc[0].tolist() == [0.0, 1.0]


def test_obstacle_degree_leaves_out_indicators_that_do_not_apply():
    # 乙县 is not eligible for b (say 东西部协作 funds): b is no obstacle there, and a, c share
    # its row; its value of b is ignored, even when missing
    x = pd.DataFrame({"a": [0.0, 0.5], "b": [0.5, np.nan], "c": [1.0, 0.0]}, index=["甲县", "乙县"])
    w = pd.Series({"a": 0.2, "b": 0.5, "c": 0.3})
    eligible = pd.DataFrame({"a": True, "b": [True, False], "c": True}, index=x.index)
    out = obstacle_degree(x, w, eligible=eligible)
    # 甲县: 0.2·1, 0.5·0.5, 0.3·0 → 0.2/0.45, 0.25/0.45, 0;  乙县: 0.2·0.5, —, 0.3·1 → 0.25, 0.75
    np.testing.assert_allclose(out.loc["甲县"], [0.2 / 0.45, 0.25 / 0.45, 0.0])
    assert np.isnan(out.loc["乙县", "b"])
    np.testing.assert_allclose(out.loc["乙县", ["a", "c"]], [0.25, 0.75])
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    assert top_obstacles(out, k=2)["indicator"].tolist() == ["b", "a", "c", "a"]
    everywhere = obstacle_degree(x.fillna(0.5), w, eligible=eligible.assign(b=True))
    pd.testing.assert_frame_equal(everywhere, obstacle_degree(x.fillna(0.5), w))
    with pytest.raises(InputError, match="eligible"):
        obstacle_degree(x, w, eligible=eligible[["a", "c"]])
    with pytest.raises(InputError, match="布尔"):
        obstacle_degree(x, w, eligible=eligible.astype(int))


def test_obstacle_input_checks():
    x = pd.DataFrame({"a": [0.2, 0.4], "b": [0.5, np.nan]})
    with pytest.raises(InputError) as err:
        obstacle_degree(x.fillna(0.1), {"a": 1.0})
    assert err.value.column == "b"
    with pytest.raises(InputError):
        obstacle_degree(x.fillna(0.1), {"a": 1.0, "b": np.nan})
    with pytest.raises(InputError):
        obstacle_degree(x.fillna(0.1), {"a": 1.0, "b": -0.5})
    with pytest.raises(InputError):
        obstacle_degree(x.fillna(0.1), {"a": 0.0, "b": 0.0})
    with pytest.raises(InputError, match=r"\+0\.0001"):
        obstacle_degree(x.fillna(1.0001), {"a": 1.0, "b": 1.0})
    with pytest.raises(InputError, match="missing"):
        obstacle_degree(x, {"a": 1.0, "b": 1.0})
    out = obstacle_degree(x, {"a": 1.0, "b": 1.0}, missing="keep")
    assert out.iloc[1].isna().all() and out.iloc[0].sum() == pytest.approx(1.0)


@st.composite
def standardized_frames(draw):
    rows, cols = draw(st.integers(1, 10)), draw(st.integers(1, 8))
    x = draw(arrays(float, (rows, cols), elements=unit))
    x[:, 0] = np.minimum(x[:, 0], draw(st.floats(0, 0.999)))  # each row has an obstacle
    w = draw(arrays(float, cols, elements=st.floats(0.01, 1)))
    names = [f"i{j}" for j in range(cols)]
    return pd.DataFrame(x, columns=names), pd.Series(w, index=names)


@settings(max_examples=60, deadline=None)
@given(standardized_frames(), st.floats(1e-3, 1e3))
def test_obstacle_rows_sum_to_one_and_ignore_weight_scale(data, scale):
    x, w = data
    out = obstacle_degree(x, w)
    assert (out.to_numpy() >= 0).all()
    np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(obstacle_degree(x, w * scale), out, rtol=1e-12, atol=1e-15)


def test_obstacle_by_dimension_of_the_default_framework():
    table = load_framework().indicator_table()
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.uniform(size=(6, len(table))), columns=table.index)
    x.iloc[2] = np.nan
    w = pd.Series(rng.uniform(0.1, 1, len(table)), index=table.index)
    o = obstacle_degree(x, w, missing="keep")
    dims = obstacle_by_group(o, table["dimension"])
    assert list(dims.columns) == list(pd.unique(table["dimension"]))
    assert dims.columns.name == "dimension"
    for dim in ("income_stability", "prosperity"):
        members = table.index[table["dimension"] == dim]
        np.testing.assert_allclose(dims[dim].drop(index=2), o[members].drop(index=2).sum(axis=1))
    assert dims.iloc[2].isna().all()  # a NaN row stays NaN, never 0
    np.testing.assert_allclose(dims.drop(index=2).sum(axis=1), 1.0)


def test_obstacle_by_group_needs_every_indicator_grouped():
    o = pd.DataFrame({"a": [0.5], "b": [0.5]})
    with pytest.raises(InputError) as err:
        obstacle_by_group(o, {"a": "产业兴旺"})
    assert err.value.column == "b"


def test_top_obstacles_table():
    idx = pd.MultiIndex.from_tuples([("990101", 2024), ("990102", 2024), ("990103", 2024)],
                                    names=["region_code", "year"])
    o = pd.DataFrame({"a": [0.2, 0.4, np.nan], "b": [0.5, 0.4, np.nan], "c": [0.3, 0.2, np.nan]},
                     index=idx)
    out = top_obstacles(o, k=2, names={"a": "甲", "b": "乙", "c": "丙"})
    assert list(out.columns) == ["region_code", "year", "rank", "indicator", "share", "name"]
    assert out["region_code"].tolist() == ["990101"] * 2 + ["990102"] * 2 + ["990103"] * 2
    assert out["rank"].tolist() == [1, 2] * 3
    # ties (0.4, 0.4) keep column order
    assert out["indicator"].tolist()[:4] == ["b", "c", "a", "b"]
    assert out["name"].tolist()[:4] == ["乙", "丙", "甲", "乙"]
    assert out["share"].tolist()[:4] == [0.5, 0.3, 0.4, 0.4]
    assert out["indicator"].iloc[4:].isna().all() and out["share"].iloc[4:].isna().all()


def test_top_obstacles_checks():
    o = pd.DataFrame({"a": [0.5], "b": [0.5]})
    for k in (0, 3, 1.5, True):
        with pytest.raises(InputError):
            top_obstacles(o, k=k)
    with pytest.raises(InputError):
        top_obstacles(o, names={"a": "甲"})


def test_national_scale_panel_end_to_end():
    # 2,800 counties × 15 years with 56 indicators (speed: benchmarks/bench_coupling.py)
    rng = np.random.default_rng(11)
    table = load_framework().indicator_table()
    n = 2800 * 15
    x = pd.DataFrame(rng.uniform(size=(n, len(table))), columns=table.index)
    w = pd.Series(rng.uniform(0.1, 1, len(table)), index=table.index)
    scores = _two(rng.uniform(0.05, 1, n), rng.uniform(0.05, 1, n))
    cc = coupling_coordination(scores, method="corrected")
    o = obstacle_degree(x, w)
    by_dim = obstacle_by_group(o, table["dimension"])
    top = top_obstacles(o, k=3)
    assert len(cc) == n and cc["D"].between(0, 1).all()
    assert np.allclose(by_dim.sum(axis=1), 1.0)
    assert len(top) == 3 * n


def test_docstring_examples():
    result = doctest.testmod(coupling_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10 and result.failed == 0
