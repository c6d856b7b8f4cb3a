"""Specification of the policy-effects report glue (linkage.sections.policy_effects).

Expected values come from the sample's documented design (data/raw/sample/README.md: 48 former
poverty counties, 9 key-assistance counties designated 2021, exit cohorts 2016–2020 of
2/7/16/19/4 counties; true effects 0.015·(year − 2020) and 0.02 + 0.01·e on log income),
hand-built county tables, and invariants.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.checks import FEW_CLUSTERS
from linkage.errors import InputError
from linkage.evaluation import format_pvalue, stars
from linkage.panel import PanelData, load_panel
from linkage.sections.policy_effects import (
    ESTIMATORS,
    comparison_table,
    dynamic_frame,
    dynamic_table,
    estimate_policy_effects,
    event_study_figure,
    policy_design,
    policy_narrative,
    regression_tables,
    restrict_sample,
    treatment_cohorts,
    true_effects,
)


@pytest.fixture(scope="module")
def data() -> PanelData:
    return load_panel()


REPS = 199  # resampling draws in these tests (the report's default is 999)


@pytest.fixture(scope="module")
def key_effects(data):
    return estimate_policy_effects(policy_design(data), reps=REPS)


@pytest.fixture(scope="module")
def exit_effects(data):
    return estimate_policy_effects(policy_design(data, treatment="exit"), reps=REPS)


def _with_panel(data: PanelData, panel: pd.DataFrame, *, simulated: bool = True) -> PanelData:
    return dataclasses.replace(data, panel=panel, simulated=simulated)


# --------------------------------------------------------------------------- cohorts


def test_key_assistance_cohort_is_designation_year_or_zero(data):
    cohort = treatment_cohorts(data.counties, treatment="key_assistance")
    assert cohort.index.equals(data.counties.index)
    assert set(cohort.unique()) == {0, 2021}
    assert (cohort == 2021).sum() == 9
    assert ((cohort > 0) == data.counties["key_assistance"]).all()


def test_exit_cohort_is_exit_year_and_zero_for_other_counties(data):
    cohort = treatment_cohorts(data.counties, treatment="exit")
    poverty = data.counties["poverty_county"]
    assert (cohort[~poverty] == 0).all()
    assert (cohort[poverty] == data.counties.loc[poverty, "exit_year"].astype(int)).all()
    assert cohort[cohort > 0].value_counts().sort_index().tolist() == [2, 7, 16, 19, 4]


def test_key_assistance_year_defaults_to_designation_year_and_text_flags_are_read():
    counties = pd.DataFrame({"key_assistance": ["是", "否", "1", "0"],
                             "key_assistance_year": [2022, None, None, None]},
                            index=["990101", "990102", "990103", "990104"])
    assert treatment_cohorts(counties).tolist() == [2022, 0, 2021, 0]
    assert treatment_cohorts(counties.drop(columns="key_assistance_year"),
                             designation_year=2020).tolist() == [2020, 0, 2020, 0]


def test_unreadable_flag_names_column_and_value():
    counties = pd.DataFrame({"key_assistance": ["是", "maybe"]}, index=["990101", "990102"])
    with pytest.raises(InputError, match="maybe") as err:
        treatment_cohorts(counties)
    assert err.value.column == "key_assistance"


@pytest.mark.parametrize(("treatment", "column"),
                         [("key_assistance", "key_assistance"), ("exit", "exit_year")])
def test_missing_treatment_column_is_named(treatment, column):
    counties = pd.DataFrame({"region_name": ["甲县"]}, index=["990101"])
    with pytest.raises(InputError, match=column) as err:
        treatment_cohorts(counties, treatment=treatment)
    assert err.value.column == column


def test_poverty_county_without_exit_year_raises():
    counties = pd.DataFrame({"poverty_county": [True, True, False],
                             "exit_year": [2018, None, None]},
                            index=["990101", "990102", "990103"])
    with pytest.raises(InputError, match="990102") as err:
        treatment_cohorts(counties, treatment="exit")
    assert err.value.column == "exit_year"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from([None, 2016, 2017, 2018, 2019, 2020])),
                min_size=1, max_size=30))
def test_cohort_is_first_treated_year_or_zero(rows):
    """Invariant: cohort > 0 exactly for treated counties, and then equals the given year."""
    index = [f"99{j:04d}" for j in range(len(rows))]
    flags = [r[0] for r in rows]
    years = pd.array([r[1] for r in rows], dtype="Int64")
    ka = treatment_cohorts(pd.DataFrame({"key_assistance": flags, "key_assistance_year": years},
                                        index=index))
    assert ((ka > 0).tolist() == flags)
    assert all(c == (y if y is not None else 2021) for c, (f, y) in zip(ka, rows, strict=True)
               if f)
    # an empty exit year is "never exited" only for a county marked as not a poverty county
    poverty = [y is not None for _, y in rows]
    ex = treatment_cohorts(pd.DataFrame({"exit_year": years, "poverty_county": poverty},
                                        index=index), treatment="exit")
    assert ex.tolist() == [0 if y is None else y for _, y in rows]
    explicit = treatment_cohorts(pd.DataFrame({"exit_year": years.fillna(0)}, index=index),
                                 treatment="exit")
    assert explicit.tolist() == ex.tolist()  # 0 says "never exited" without poverty_county


# --------------------------------------------------------------------------- sample


def test_sample_restriction(data):
    assert len(restrict_sample(data.counties, sample="poverty_counties")) == 48
    assert restrict_sample(data.counties, sample="all").equals(data.counties.index)
    with pytest.raises(InputError) as err:
        restrict_sample(data.counties.drop(columns="poverty_county"))
    assert err.value.column == "poverty_county"
    with pytest.raises(InputError, match="sample"):
        restrict_sample(data.counties, sample="poor")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- design


def test_design_frame_is_log_outcome_with_treatment_indicator(data):
    design = policy_design(data)
    frame = design.frame
    assert design.outcome == "ln(rural_income_pc)"
    assert frame["region_code"].nunique() == 48 and len(frame) == 48 * 11
    assert design.n_outside == 72
    assert design.cohort_sizes.to_dict() == {0: 39, 2021: 9}
    raw = data.panel.set_index(["region_code", "year"])["rural_income_pc"]
    got = frame.set_index(["region_code", "year"])["ln(rural_income_pc)"]
    np.testing.assert_allclose(got, np.log(raw.reindex(got.index)))
    expected = ((frame["cohort"] > 0) & (frame["year"] >= frame["cohort"])).astype(int)
    assert frame["treated"].equals(expected)
    assert frame.loc[frame["treated"] == 1, "year"].min() == 2021
    assert frame["treated"].sum() == 9 * 5
    assert "原贫困县（48 个县" in design.summary()


def test_level_outcome_and_all_counties(data):
    design = policy_design(data, log_outcome=False, sample="all")
    assert design.outcome == "rural_income_pc"
    assert design.frame["region_code"].nunique() == 120 and design.n_outside == 0
    assert design.truth is None  # the documented effects hold on the log only


def test_missing_values_raise_or_drop_named_counties(data):
    panel = data.panel.copy()
    panel["rural_income_pc"] = panel["rural_income_pc"].astype(float)
    code = data.counties.index[data.counties["poverty_county"]][0]
    panel.loc[(panel["region_code"] == code) & (panel["year"] == 2018), "rural_income_pc"] = np.nan
    broken = _with_panel(data, panel)
    with pytest.raises(InputError, match=code) as err:
        policy_design(broken)
    assert err.value.column == "ln(rural_income_pc)"
    design = policy_design(broken, missing="drop")
    assert design.dropped == (code,)
    assert code not in set(design.frame["region_code"])
    assert design.frame["region_code"].nunique() == 47


def test_covariate_gaps_and_absent_years_are_named(data):
    code = data.counties.index[data.counties["poverty_county"]][1]
    panel = data.panel[~((data.panel["region_code"] == code) & (data.panel["year"] == 2016))]
    with pytest.raises(InputError, match=code) as err:
        policy_design(_with_panel(data, panel))
    assert err.value.column == "year"
    gaps = data.panel.loc[data.panel["tap_water_rate"].isna(), "region_code"]
    gaps = set(gaps) & set(restrict_sample(data.counties))
    assert gaps  # the sample has about 1 % missing cells
    with pytest.raises(InputError) as err:
        policy_design(data, covariates=["tap_water_rate"])
    assert err.value.column == "tap_water_rate"
    design = policy_design(data, covariates=["tap_water_rate"], missing="drop")
    assert set(design.dropped) == gaps
    with pytest.raises(InputError, match="missing"):
        policy_design(data, missing="drop_counties")  # type: ignore[arg-type]


def test_bad_inputs_raise_input_errors(data):
    panel = data.panel.copy()
    panel.loc[0, "rural_income_pc"] = 0.0
    with pytest.raises(InputError, match="对数"):
        policy_design(_with_panel(data, panel), sample="all")
    with pytest.raises(InputError) as err:
        policy_design(data, outcome="no_such_column")
    assert err.value.column == "no_such_column"
    no_attributes = dataclasses.replace(data, counties=pd.DataFrame())
    with pytest.raises(InputError, match="counties") as err:
        policy_design(no_attributes)
    assert err.value.column == "key_assistance"
    with pytest.raises(InputError, match="missing"):
        policy_design(data, missing="ignore")  # type: ignore[arg-type]


def test_user_panel_needs_the_treatment_column(tmp_path, data):
    path = tmp_path / "counties.csv"
    data.counties.drop(columns=["exit_year"]).to_csv(path, index=False)
    panel = tmp_path / "panel.csv"
    data.panel.to_csv(panel, index=False)
    user = load_panel(panel, counties=path)
    assert policy_design(user).n_treated == 9
    with pytest.raises(InputError, match="exit_year") as err:
        policy_design(user, treatment="exit")
    assert err.value.column == "exit_year"


# --------------------------------------------------------------------------- true effects


def test_true_effects_follow_the_sample_readme():
    cohorts = pd.Series([0, 2021])
    ka = true_effects("key_assistance", "rural_income_pc", log_outcome=True, cohorts=cohorts)
    np.testing.assert_allclose(ka.loc[0:4], 0.015 * (np.arange(5) + 1))  # 0.015·(year − 2020)
    ex = true_effects("exit", "rural_income_pc", log_outcome=True, cohorts=pd.Series([2016]))
    np.testing.assert_allclose(ex.loc[0:9], 0.02 + 0.01 * np.arange(10))
    funds = true_effects("key_assistance", "link_funds_pc", log_outcome=True, cohorts=cohorts)
    assert (funds == 0.40).all()
    assert true_effects("key_assistance", "rural_income_pc", log_outcome=False,
                        cohorts=cohorts) is None
    assert true_effects("exit", "tap_water_rate", log_outcome=True, cohorts=cohorts) is None


def test_key_assistance_estimators_recover_the_true_effect(key_effects):
    table = key_effects.estimates().set_index("estimator")
    assert list(table.index) == ["twfe", "cs", "sun_abraham"]  # no covariates: no PSM-DID
    # 9 counties × 2021–2025, effect 0.015·(year − 2020): mean 0.015·3 = 0.045 for every
    # estimator (one cohort, every post year has a never-treated control)
    np.testing.assert_allclose(table["true_effect"], 0.045)
    for key in ("twfe", "cs", "sun_abraham"):
        assert abs(table.at[key, "coef"] - 0.045) < 1.96 * table.at[key, "se"], key


def test_exit_truth_is_the_average_over_each_estimators_cells(exit_effects, data):
    table = exit_effects.estimates().set_index("estimator")
    assert "psm" not in table.index
    assert exit_effects.skipped_reasons()["psm"].startswith("PSM-DID 未估计")
    # Callaway–Sant'Anna with not-yet-treated controls: cohorts 2016–2019 (2020 is the last
    # cohort, control only), years up to 2019; cell (g, t) weighted by the cohort size n_g:
    # Σ_g n_g Σ_{t=g}^{2019} (0.02 + 0.01(t−g)) / Σ_g n_g (2020 − g)
    sizes = {2016: 2, 2017: 7, 2018: 16, 2019: 19}
    num = sum(n * sum(0.02 + 0.01 * e for e in range(2020 - g)) for g, n in sizes.items())
    den = sum(n * (2020 - g) for g, n in sizes.items())
    assert table.at["cs", "true_effect"] == pytest.approx(num / den)
    # Sun–Abraham (last cohort 2020 as control, years < 2020) weights cells by observations,
    # which is the same count n_g per cell here
    assert table.at["sun_abraham", "true_effect"] == pytest.approx(num / den)
    # TWFE: all treated county-years 2016–2025
    exits = data.counties.loc[data.counties["poverty_county"], "exit_year"].astype(int)
    e = np.concatenate([np.arange(2026 - g) for g in exits])
    assert table.at["twfe", "true_effect"] == pytest.approx(np.mean(0.02 + 0.01 * e))
    for key in ("cs", "sun_abraham"):
        assert abs(table.at[key, "coef"] - table.at[key, "true_effect"]) < 1.96 * table.at[
            key, "se"], key
    # the static TWFE is biased under staggered, growing effects (Goodman-Bacon 2021)
    assert table.at["twfe", "true_effect"] - table.at["twfe", "coef"] > 1.96 * table.at[
        "twfe", "se"]


# --------------------------------------------------------------------------- estimator set


def test_estimator_subset_and_unknown_estimator(data):
    design = policy_design(data)
    only = estimate_policy_effects(design, estimators=["twfe"], reps=REPS)
    assert only.twfe is not None and only.cs is None and only.placebo is None
    assert only.estimates()["estimator"].tolist() == ["twfe"]
    assert set(only.clustering) == {"county", "prefecture", "county_year"}
    with pytest.raises(InputError, match="synth"):
        estimate_policy_effects(design, estimators=["synth"])
    assert set(ESTIMATORS) == {"twfe", "event_study", "cs", "sun_abraham", "psm", "placebo"}


def test_drop_one_cohort_only_for_staggered_treatment(key_effects, exit_effects):
    assert key_effects.drop_one is None
    assert "只有一个处理队列" in key_effects.skipped_reasons()["drop_one"]
    assert "only one treated cohort" in key_effects.skipped_reasons("en")["drop_one"]
    dropped = exit_effects.drop_one["dropped_cohort"].tolist()
    assert pd.isna(dropped[0]) and dropped[1:] == [2016, 2017, 2018, 2019, 2020]


def test_tables_and_figure(key_effects):
    table = comparison_table(key_effects).to_frame()
    assert table.index[-1] == "真实效应（模拟数据）"
    assert table.iloc[-1].tolist() == ["0.0450"] * 3
    tables = regression_tables(key_effects)
    assert tables["main"].to_frame().index[0] == "重点帮扶县×政策后"
    assert list(tables["clustering"].to_frame().columns) == ["县", "地级市", "县×年（双向）"]
    assert list(regression_tables(key_effects, "en")["clustering"].to_frame().columns) == [
        "County", "Prefecture", "County × year (two-way)"]
    dyn = dynamic_frame(key_effects)
    assert sorted(dyn["event_time"].unique()) == list(range(-4, 5))
    truth = dyn[dyn["estimator"] == "cs"].set_index("event_time")["true_effect"]
    np.testing.assert_allclose(truth.loc[0:4], 0.015 * np.arange(1, 6))
    fig = event_study_figure(key_effects)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "≤−4" and labels[-1] == "≥4"
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert sorted(legend) == sorted(["TWFE事件研究", "Callaway–Sant'Anna", "Sun–Abraham",
                                     "真实效应（模拟数据）", "空心点：基期（系数为0）",
                                     "95%一致置信带（误差线为95%逐点区间）"])


def test_user_data_shows_no_truth(data):
    design = policy_design(dataclasses.replace(data, simulated=False))
    effects = estimate_policy_effects(design, estimators=["twfe", "cs"], reps=REPS)
    assert design.truth is None
    assert effects.estimates()["true_effect"].isna().all()
    assert "真实效应" not in comparison_table(effects).to_frame().index
    assert not any("模拟" in line for line in policy_narrative(effects))


# --------------------------------------------------------------------------- narrative


def test_narrative_states_numbers_and_assumptions(key_effects):
    lines = policy_narrative(key_effects)
    text = "\n".join(lines)
    assert f"{key_effects.twfe.coef:.4f}" in text
    assert key_effects.placebo.pvalue_text in text
    assert f"p = {key_effects.event_study.pretrend_test.pvalue:.3f}" in text
    for phrase in ("平行趋势", "无预期效应", "SUTVA", "按发展水平最低选出", "不能证明",
                   "非贫困县", "可以主张", "不能主张", "模拟数据"):
        assert phrase in text, phrase


def pretrend_sentence(lines: list[str]) -> str:
    return next(line for line in lines if line.startswith("事件研究中政策前各期系数"))


def test_pretrend_sentence_states_f_and_chi2_from_the_test_table(key_effects):
    """The sample's key-assistance leads: F(3, 47) p = 0.110 does not reject at 10 %, the χ²
    form p = 0.095 does — the sentence must say so, not report the F form alone."""
    test = key_effects.event_study.pretrend_test.to_frame().set_index("test")
    sentence = pretrend_sentence(policy_narrative(key_effects))
    for form, stat in (("F", "F(3, 47)"), ("chi2", "χ²(3)")):
        row = test.loc[form]
        assert f"{stat} = {row['statistic']:.2f}，p = {row['pvalue']:.3f}" in sentence
    assert test.loc["F", "pvalue"] >= 0.1 > test.loc["chi2", "pvalue"]
    assert ("F 检验（小样本形式）在 10% 水平上不拒绝，但χ²（大样本 Wald）检验在 10% 水平上拒绝"
            in sentence)
    english = next(line for line in policy_narrative(key_effects, "en")
                   if line.startswith("Joint test"))
    assert "does not reject at 10%, but the χ² (large-sample Wald) form rejects" in english


def test_narrative_changes_with_a_pre_trend_and_with_no_effect(data, key_effects):
    base = "\n".join(policy_narrative(key_effects))
    assert "很难在“政策无效" in base
    treated = data.counties.index[data.counties["key_assistance"]]
    panel = data.panel.copy()
    is_treated = panel["region_code"].isin(treated)
    # a diverging trend of 4 % a year in the treated counties from 2015 on
    trend = np.where(is_treated, np.exp(0.04 * (panel["year"] - 2015)), 1.0)
    panel["rural_income_pc"] = panel["rural_income_pc"] * trend
    shifted = estimate_policy_effects(policy_design(_with_panel(data, panel)),
                                      estimators=["twfe", "event_study"], reps=REPS)
    text = "\n".join(policy_narrative(shifted))
    assert "F 检验与 χ² 检验都在 10% 水平上拒绝“政策前无差异”" in text and "不拒绝" not in text
    # remove the documented effect 0.015·(year − 2020) from the treated counties
    panel = data.panel.copy()
    effect = np.where(is_treated & (panel["year"] >= 2021), 0.015 * (panel["year"] - 2020), 0)
    panel["rural_income_pc"] = panel["rural_income_pc"] * np.exp(-effect)
    null = estimate_policy_effects(policy_design(_with_panel(data, panel)),
                                   estimators=["twfe", "placebo"], reps=REPS)
    text = "\n".join(policy_narrative(null))
    assert abs(null.twfe.coef) < abs(key_effects.twfe.coef)
    assert "不能排除估计只是偶然" in text and "很难在“政策无效" not in text


def test_narrative_warns_when_non_poverty_counties_are_controls(data):
    effects = estimate_policy_effects(policy_design(data, sample="all"), estimators=["twfe"],
                                      reps=REPS)
    assert any("比较样本包括非贫困县" in line for line in policy_narrative(effects))


def test_narrative_says_when_counties_were_treated_before_the_first_year(data):
    design = policy_design(data.between_years(2018, 2025), treatment="exit")
    with pytest.warns(UserWarning, match="第一期已受处理"):
        effects = estimate_policy_effects(design, estimators=["twfe", "cs"], reps=REPS)
    # cohorts 2016, 2017 and 2018 (2 + 7 + 16 counties) have no year before 2018
    assert effects.cs.n_dropped_early == 25
    assert any("有 25 个县在样本第一年已受处理" in line for line in policy_narrative(effects))


# --------------------------------------------------------------------------- inference and notes


def test_few_treated_counties_switch_the_regressions_to_the_wild_bootstrap(
        key_effects, exit_effects):
    """9 treated counties (< FEW_CLUSTERS = 42): wild cluster bootstrap for TWFE, the event
    study and Sun–Abraham, stated in the tables' notes and the narrative; 48 treated exit
    counties: cluster-robust t-tests."""
    assert key_effects.inference == "wild" and key_effects.n_treated_clusters == 9
    for result in (key_effects.twfe, key_effects.event_study, key_effects.sun_abraham):
        assert result.wild is not None and result.wild.reps == REPS
        assert result.wild.weights == key_effects.wild_weights == "rademacher"  # 48 clusters
    note = f"处理县只有 9 个（少于 {FEW_CLUSTERS} 个）"
    assert note in comparison_table(key_effects).note
    assert note in regression_tables(key_effects)["main"].note
    assert note in dynamic_table(key_effects).note
    assert any(line.startswith("推断：" + note) for line in policy_narrative(key_effects))
    assert exit_effects.inference == "cluster" and exit_effects.twfe.wild is None
    assert exit_effects.sun_abraham.wild is None and exit_effects.event_study.wild is None
    assert exit_effects.n_treated_clusters == 48
    inference = next(line for line in policy_narrative(exit_effects)
                     if line.startswith("推断："))
    assert "野聚类自助法" not in inference and "处理县 48 个" in inference
    forced = estimate_policy_effects(key_effects.design, estimators=["twfe"],
                                     inference="cluster", reps=REPS)
    assert forced.twfe.pvalue == forced.twfe.fit.coefs.loc["treated", "pvalue"]
    assert forced.twfe.pvalue != key_effects.twfe.pvalue


def test_comparison_table_names_each_columns_inference_and_warns_about_cs(key_effects):
    """TWFE and Sun–Abraham are wild-bootstrapped, Callaway–Sant'Anna's p-value is R did's
    normal approximation: the table says which per column, and with 9 treated counties warns
    that the latter can be too small."""
    table = comparison_table(key_effects)
    frame = table.to_frame()
    assert frame.loc["p 值方法"].tolist() == ["野聚类自助法", "影响函数（正态近似）",
                                            "野聚类自助法"]
    assert "处理单位只有 9 个" in table.note
    assert "Callaway–Sant'Anna（简单加权） 的 p 值依赖大样本" in table.note
    lines = policy_narrative(key_effects)
    assert any(line.startswith("星号与 p 值的来源：") and "处理单位只有 9 个" in line
               for line in lines)
    english = comparison_table(key_effects, "en")
    assert english.to_frame().loc["p-value from"].tolist() == [
        "wild cluster bootstrap", "influence function (normal)", "wild cluster bootstrap"]


def test_estimate_sentences_match_the_comparison_table(key_effects):
    """Each estimator's sentence carries the coefficient, SE and p-value of its column."""
    table = comparison_table(key_effects).to_frame()
    rows = key_effects.estimates().set_index("estimator")
    text = "\n".join(policy_narrative(key_effects))
    for key, column, reps in (("twfe", "双向固定效应（静态）", REPS),  # wild bootstrap
                              ("cs", "Callaway–Sant'Anna（简单加权）", None),
                              ("sun_abraham", "Sun–Abraham（交互加权）", REPS)):
        coef_cell, se_cell = table[column].iloc[0], table[column].iloc[1]
        r = rows.loc[key]
        assert coef_cell.rstrip("*") == f"{r['coef']:.4f}" and se_cell == f"({r['se']:.4f})"
        assert coef_cell.count("*") == len(stars(r["pvalue"]))
        assert r["reps"] == (reps or 0)
        p = format_pvalue(r["pvalue"], reps=reps)
        p = p if p[0] in "<≤" else f"= {p}"
        assert f"{r['coef']:.4f}（标准误 {r['se']:.4f}，p {p}" in text, key
    # TWFE's and Sun–Abraham's stars and sentences use the wild-bootstrap p-values
    assert rows.loc["twfe", "pvalue"] == key_effects.twfe.wild.table["pvalue"].iloc[0]
    assert rows.loc["sun_abraham", "pvalue"] == key_effects.sun_abraham.wild.row("ATT")[
        "pvalue"]


def test_dynamic_sentence_matches_the_dynamic_table(key_effects, exit_effects):
    table = dynamic_table(key_effects)
    frame = table.to_frame()
    assert frame.index.name == "事件时间"
    es = key_effects.event_study.coefs.set_index("rel_time")
    cell = frame.loc[0, "TWFE事件研究"]
    ci = frame.loc[0, "TWFE事件研究 95%置信区间"]
    band = frame.loc[0, "TWFE事件研究 95%一致置信带"]
    assert cell == f"{es.loc[0, 'coef']:.4f} ({es.loc[0, 'se']:.4f})"
    assert ci == f"[{es.loc[0, 'ci_low']:.4f}, {es.loc[0, 'ci_high']:.4f}]"
    assert band == f"[{es.loc[0, 'band_low']:.4f}, {es.loc[0, 'band_high']:.4f}]"
    assert frame.loc[-1, "TWFE事件研究"] == "0（基期）"
    assert frame.loc[-1, "Sun–Abraham"] == "0（基期）"
    assert frame.loc[-1, "Callaway–Sant'Anna"] != "0（基期）"  # varying base: a real estimate
    sentence = next(line for line in policy_narrative(key_effects) if line.startswith("动态效应"))
    assert (f"政策实施当年为 {es.loc[0, 'coef']:.4f}（标准误 {es.loc[0, 'se']:.4f}，95% 置信区间 "
            f"{ci}，一致置信带 {band}）") in sentence
    assert "逐期基期" in table.note and "e=-1 为基期" in table.note
    staggered = dynamic_table(exit_effects).to_frame()  # CS observes fewer event times
    assert list(staggered.index) == list(range(-4, 5))
    cs_rows = set(exit_effects.cs.aggregate("dynamic").table["event_time"]) & set(range(-4, 5))
    assert {e for e in staggered.index if staggered.loc[e, "Callaway–Sant'Anna"]} == cs_rows
    english = dynamic_table(key_effects, "en")
    assert english.to_frame().index.name == "Event time" and "uniform band" in english.note


def _band_cells(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Pointwise interval and band of ``column`` in the dynamic table, as numbers."""
    out = {}
    for kind, suffix in (("ci", "95%置信区间"), ("band", "95%一致置信带")):
        cells = frame[f"{column} {suffix}"].replace("", np.nan).dropna()
        out[f"{kind}_low"] = cells.str.strip("[]").str.split(", ").str[0].astype(float)
        out[f"{kind}_high"] = cells.str.strip("[]").str.split(", ").str[1].astype(float)
    return pd.DataFrame(out)


def test_band_sentence_quotes_what_the_table_uses_and_the_band_contains_the_intervals(
        key_effects, exit_effects):
    """The narrative used to quote a sup-t critical value from the cluster-robust covariance
    beside wild-bootstrap intervals. Now: under the wild bootstrap it quotes the calibrated
    pointwise level of the band, and in the table every band contains its interval; under
    cluster-robust inference it quotes the critical values the table's band and intervals
    use."""
    es = key_effects.event_study
    sentence = next(line for line in policy_narrative(key_effects) if line.startswith("动态效应"))
    assert f"检验水平由 0.050 降为 {es.band_alpha:.4f}" in sentence
    assert "临界值" not in sentence and 0 < es.band_alpha < 0.05
    for column in ("TWFE事件研究", "Sun–Abraham", "Callaway–Sant'Anna"):
        for effects in (key_effects, exit_effects):
            cells = _band_cells(dynamic_table(effects).to_frame(), column)
            assert ((cells["band_low"] <= cells["ci_low"])
                    & (cells["ci_high"] <= cells["band_high"])).all(), column
    assert "同一组野自助抽样校准" in dynamic_table(key_effects).note
    plain = exit_effects.event_study
    coefs = plain.coefs.dropna(subset=["se"])
    crit = ((coefs["band_high"] - coefs["coef"]) / coefs["se"]).round(8).unique()
    assert crit.tolist() == [round(plain.band_crit, 8)]
    sentence = next(line for line in policy_narrative(exit_effects) if line.startswith("动态效应"))
    assert (f"临界值为 {plain.band_crit:.2f}，逐点区间为 {plain.pointwise_crit:.2f}"
            in sentence)
    width = coefs["ci_high"] - coefs["coef"]
    np.testing.assert_allclose(width / coefs["se"], plain.pointwise_crit)
    assert f"临界值 {plain.band_crit:.2f}" in dynamic_table(exit_effects).note


def test_placebo_sentence_prints_the_floor_as_a_bound(key_effects):
    pl = key_effects.placebo
    summary = pl.to_frame().set_index("statistic")["value"]
    sentence = next(line for line in policy_narrative(key_effects)
                    if line.startswith("随机化安慰剂检验"))
    assert f"（{int(summary['draws'])} 次随机指定处理县）" in sentence
    assert f"真实估计 {summary['estimate']:.4f}" in sentence
    assert pl.pvalue == pytest.approx(1 / (REPS + 1))  # no draw as large as the estimate
    assert "p ≤ 0.005" in sentence and "1/(199+1)" in sentence and "p = 0.005" not in sentence


def test_psm_matches_on_the_designs_covariates_and_says_so(data, key_effects):
    """PSM-DID used to match on the baseline outcome level (regression to the mean: 0.027
    against a true 0.045 on the sample) while the note said no covariates. Now it matches on
    the design's covariates — here a county attribute, time-invariant — and without any it
    is not run, with the reason in the report's language."""
    assert key_effects.psm is None and "psm" in key_effects.skipped
    reason = key_effects.skipped_reasons()["psm"]
    assert "设计不含协变量" in reason and "均值回归" in reason
    assert "regression-to-the-mean" in key_effects.skipped_reasons("en")["psm"]
    assert any(line.startswith("PSM-DID 未估计：设计不含协变量")
               for line in policy_narrative(key_effects))
    design = policy_design(data, covariates=["rural_population"])
    frame = design.frame.set_index("region_code")
    assert (frame.groupby(level=0)["rural_population"].nunique() == 1).all()
    np.testing.assert_allclose(frame["rural_population"],
                               data.counties["rural_population"].reindex(frame.index))
    effects = estimate_policy_effects(design, estimators=["twfe", "cs", "psm"], reps=REPS)
    psm = effects.psm
    assert list(psm.match.balance.index) == ["rural_population"]
    assert psm.inference == "bootstrap" and psm.match.method == "kernel"
    assert psm.reps == REPS and psm.se != psm.did.se
    row = effects.estimates().set_index("estimator").loc["psm"]
    assert (row["se"], row["pvalue"]) == (psm.se, psm.pvalue)
    note = comparison_table(effects).note
    assert "按 rural_population 的基期值核匹配" in note and "重新匹配" in note
    assert "PSM-DID 作为匹配变量" in note and "各估计量使用同一组协变量 rural_population" in note
    assert comparison_table(effects).to_frame().loc["p 值方法", "PSM-DID"] == "重新匹配自助法"
    lines = policy_narrative(effects)
    sentence = next(line for line in lines if line.startswith("PSM-DID（"))
    assert f"{psm.coef:.4f}（标准误 {psm.se:.4f}" in sentence and "rural_population" in sentence
    assert any(line.startswith("PSM-DID 的推断：按 rural_population") for line in lines)
    with pytest.raises(InputError) as err:
        policy_design(data, covariates=["region_name"])
    assert err.value.column == "region_name"


def test_missing_treatment_flag_never_makes_a_control(data):
    """A county with an empty key_assistance flag used to become a control county. Now it
    raises naming the county, or with missing="drop" is dropped and counted."""
    counties = data.counties.astype({"key_assistance": "object"})
    treated = counties.index[counties["key_assistance"].astype(bool)][0]
    counties.loc[treated, "key_assistance"] = None
    broken = dataclasses.replace(data, counties=counties)
    with pytest.raises(InputError, match=treated) as err:
        policy_design(broken)
    assert err.value.column == "key_assistance"
    with pytest.raises(InputError, match=treated):
        treatment_cohorts(counties)
    design = policy_design(broken, missing="drop")
    assert design.dropped == (treated,) and design.unknown_status == (treated,)
    assert treated not in set(design.frame["region_code"])
    assert design.cohort_sizes.to_dict() == {0: 39, 2021: 8}  # not 40 controls
    assert "因数据缺失删除 1 个县" in design.summary() and "处理或样本状态缺失" in design.summary()
    assert "missing treatment or sample status" in design.summary("en")
    effects = estimate_policy_effects(design, estimators=["twfe"], inference="cluster",
                                      reps=REPS)
    assert "因数据缺失删除 1 个县" in comparison_table(effects).note
    text_flags = pd.DataFrame({"key_assistance": ["是", "", "否"]},
                              index=["990101", "990102", "990103"])
    with pytest.raises(InputError, match="990102"):
        treatment_cohorts(text_flags)  # an empty cell is not "否"
    assert treatment_cohorts(text_flags, missing="drop").to_dict() == {"990101": 2021,
                                                                     "990103": 0}


def test_exit_year_gap_is_not_a_control_without_poverty_flags():
    no_flag = pd.DataFrame({"exit_year": [2018, None, 0]}, index=["990101", "990102", "990103"])
    with pytest.raises(InputError, match="990102") as err:
        treatment_cohorts(no_flag, treatment="exit")
    assert err.value.column == "exit_year" and "poverty_county" in str(err.value)
    assert treatment_cohorts(no_flag, treatment="exit", missing="drop").to_dict() == {
        "990101": 2018, "990103": 0}
    unknown = no_flag.assign(poverty_county=[True, None, False])
    with pytest.raises(InputError, match="990102") as err:
        treatment_cohorts(unknown, treatment="exit")
    assert err.value.column == "poverty_county"
    with pytest.raises(InputError, match="990102"):
        restrict_sample(unknown)
    assert list(restrict_sample(unknown, missing="drop")) == ["990101"]


def test_one_covariate_set_across_the_comparison_and_dropped_counties_counted(data):
    design = policy_design(data, covariates=["tap_water_rate"], missing="drop")
    effects = estimate_policy_effects(design, estimators=["twfe", "cs", "sun_abraham", "psm"],
                                      inference="cluster", psm_inference="fixed", reps=REPS)
    assert effects.cs.covariates == ("tap_water_rate",)
    assert effects.sun_abraham.covariates == ("tap_water_rate",)
    assert "tap_water_rate" in effects.twfe.fit.coefs.index
    assert effects.twfe_unadjusted is not None
    assert "tap_water_rate" not in effects.twfe_unadjusted.fit.coefs.index
    assert set(effects.estimates()["estimator"]) == {"twfe", "psm", "cs", "sun_abraham"}
    note = comparison_table(effects).note
    assert "各估计量使用同一组协变量 tap_water_rate" in note
    n = len(design.dropped)
    assert n > 0 and f"因数据缺失删除 {n} 个县" in note
    assert f"因数据缺失删除 {n} 个县" in regression_tables(effects)["main"].note
    assert f"{n} counties dropped for missing values" in comparison_table(effects, "en").note
    lines = policy_narrative(effects)
    assert "协变量：各估计量使用同一组协变量 tap_water_rate" in "\n".join(lines)
    assert "视匹配为给定" in "\n".join(lines)
    assert list(regression_tables(effects)["main"].to_frame().columns) == [
        "双向固定效应", "双向固定效应＋协变量", "PSM-DID"]


def test_english_report_tables_and_narrative(key_effects):
    table = comparison_table(key_effects, "en").to_frame()
    assert table.columns[0] == "TWFE (static)"
    assert table.index[-1] == "True effect (simulated data)"
    assert regression_tables(key_effects, "en")["main"].to_frame().index[0] == \
        "Key assistance × post"
    lines = policy_narrative(key_effects, "en")
    assert lines[0].startswith("Design: Treatment:")
    assert not any(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in lines)
    fig = event_study_figure(key_effects, "en", title="Event study")
    assert fig.axes[0].get_title() == "Event study"
    assert fig.axes[0].get_xlabel() == "Years relative to treatment"


def test_alternative_clusterings_follow_the_few_clusters_rule_and_the_sentence_quotes_them(
        key_effects, exit_effects):
    """11 prefectures (< FEW_CLUSTERS): the prefecture column is wild-bootstrapped (Webb
    weights below WEBB_BELOW clusters), not a cluster-robust t with 10 df; the two-way column
    stays cluster-robust and is worded as two-way (its smaller dimension, years, has 11
    clusters); the sentence quotes each column's p-value and inference from the table."""
    for effects in (key_effects, exit_effects):
        prefecture = effects.clustering["prefecture"]
        assert prefecture.fit.n_clusters == (11,) and prefecture.inference == "wild"
        assert prefecture.wild.weights == "webb"
        two_way = effects.clustering["county_year"]
        assert two_way.inference == "cluster" and min(two_way.fit.n_clusters) == 11
    # 48 treated exit counties: the county column stays cluster-robust
    assert exit_effects.clustering["county"].inference == "cluster"
    assert key_effects.clustering["county"].inference == "wild"
    table = regression_tables(key_effects)["clustering"]
    frame = table.to_frame()
    assert frame.loc["p 值方法"].tolist() == ["野聚类自助法", "野聚类自助法", "双向聚类稳健t"]
    columns = {"县": "county", "地级市": "prefecture", "县×年（双向）": "county_year"}
    for column, key in columns.items():
        r = key_effects.clustering[key]
        assert frame.loc["重点帮扶县×政策后", column].count("*") == len(stars(r.pvalue))
    assert "地级市：单向聚类，11 类，野聚类自助法（Webb 六点权重）" in table.note
    assert ("县×年（双向）：双向聚类，较少一维只有 11 类，双向聚类稳健t（t 分布 10 自由度）"
            in table.note)
    sentence = next(line for line in policy_narrative(key_effects)
                    if line.startswith("更换聚类层级"))
    for key, name in (("county", "县"), ("prefecture", "地级市"), ("county_year", "县×年（双向）")):
        r = key_effects.clustering[key]
        p = format_pvalue(r.pvalue, reps=r.wild.reps if r.wild is not None else None)
        p = f"p {p}" if p[0] in "<≤" else f"p = {p}"
        assert f"{name} {p}" in sentence, key
    assert "较少一维的" not in sentence  # one-way clusterings are not called two-way
    english = next(line for line in policy_narrative(key_effects, "en")
                   if line.startswith("With other clusterings"))
    assert "Prefecture: one-way clustering, 11 clusters, wild cluster bootstrap" in english
    assert "two-way clustering, 11 clusters in the smaller dimension" in english


# --------------------------------------------------------------------------- the section

from reader_text import reader_problems  # noqa: E402  (tests/ helper)

from linkage.reporting.document import Cover, Document, Section, Table  # noqa: E402
from linkage.sections import policy_effects as _pe  # noqa: E402

REGIONS = {"province": "", "treated": "990327", "untreated": "990125", "prefecture": "990100"}


@pytest.fixture(scope="module")
def section_cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def sections(section_cache):
    return {(name, lang): _pe.build(region_code=code, language=lang, reps=99,
                                    cache_dir=section_cache)
            for name, code in REGIONS.items() for lang in ("zh", "en")}


@pytest.fixture(scope="module")
def place_names():
    from linkage.panel import load_panel

    c = load_panel().counties
    return set(c["region_name"].astype(str)) | set(c["prefecture_name"].astype(str))


def _table(section: Section, key: str) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table) and b.key == key)


@pytest.mark.parametrize("name", list(REGIONS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_section_reads_as_a_document(sections, place_names, name, lang):
    section = sections[name, lang]
    assert section.key == "policy_effects" and section.language == lang
    assert reader_problems(section, place_names=place_names) == []
    Document(Cover("t", "r", "p"), (section,), language=lang).assemble()
    assert Section.from_json(section.to_json()).to_json() == section.to_json()


def test_the_effect_comes_first_and_agrees_with_the_estimates_table(sections):
    section = sections["treated", "zh"]
    table = _table(section, "estimates")
    first = min(section.findings, key=lambda f: f.rank)
    twfe = table.frame.set_index("估计量").loc["双向固定效应（静态）"]
    assert twfe["平均处理效应（对数点）"] in first.text and twfe["p 值"] in first.text
    assert "农村居民人均可支配收入（对数）" in first.text
    metrics = {m.key: m.value for m in section.metrics}
    assert f"{metrics['pe_att_twfe']:.4f}" == twfe["平均处理效应（对数点）"]
    assert metrics["pe_inference_twfe"] == twfe["p 值方法"]
    # the summary gets few findings: the effect, the claim, the county's own comparison (which
    # quotes its table), the pre-trend test
    assert [f.rank for f in sorted(section.findings, key=lambda f: f.rank)] == [10, 11, 12, 40]
    did = _table(section, "region_did").frame
    county = next(f.text for f in section.findings if f.rank == 12)
    assert f"{float(did.iloc[0, 3]):+.1f}%" in county
    # the comparison table names its one covariate set, in reader words
    assert "各估计量使用同一组协变量：农村人口（万人）" in " ".join(table.notes)


def test_county_status_follows_the_county_table(sections):
    treated = {m.key: m.value for m in sections["treated", "zh"].metrics}
    untreated = {m.key: m.value for m in sections["untreated", "zh"].metrics}
    assert treated["pe_treated"] is True and treated["pe_cohort"] == 2021
    assert untreated["pe_treated"] is False and untreated["pe_cohort"] is None
    status = _table(sections["treated", "zh"], "region_status").frame
    assert status.iloc[0, 1] == "是" and status.iloc[1, 1] == "2021"
    # the province-wide estimates are the same in every region report
    assert _table(sections["treated", "zh"], "estimates").frame.equals(
        _table(sections["untreated", "zh"], "estimates").frame)
    assert "region_status" not in {b.key for b in sections["province", "zh"].blocks
                                   if hasattr(b, "key")}


def test_regression_detail_goes_to_the_appendix(sections):
    section = sections["treated", "zh"]
    appendix = {b.key for b in section.blocks if getattr(b, "appendix", False)}
    assert {"dynamic", "comparison", "regression_main", "regression_clustering", "pretrend",
            "placebo", "balance"} <= appendix
    body = [b.key for b in section.blocks if hasattr(b, "appendix") and not b.appendix]
    assert body == ["region_status", "region_path", "region_did", "estimates", "event_study",
                    "robustness"]


def test_second_build_does_not_refit(monkeypatch, tmp_path):
    calls = []
    real = _pe.estimate_policy_effects
    monkeypatch.setattr(_pe, "estimate_policy_effects",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    options = {"reps": 99, "estimators": ["twfe", "cs"], "cache_dir": str(tmp_path)}
    _pe.build(region_code="990327", **options)
    _pe.build(region_code="990125", language="en", **options)
    assert len(calls) == 1
