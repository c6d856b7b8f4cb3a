"""The 政策效果 report notebook (05_policy_effects) executes end to end under papermill."""

from __future__ import annotations

import pytest

from linkage.checks import FEW_CLUSTERS


def _run(execute_report, run_id, **parameters):
    report = execute_report(["05_policy_effects"], run_id, **parameters)
    assert report.figures == 2  # event study, placebo distribution
    assert "模拟数据" in report.html
    return report.text


@pytest.mark.notebooks
def test_policy_notebook_runs_on_the_sample_for_key_assistance(execute_report):
    text = _run(execute_report, "t")
    for phrase in ("国家乡村振兴重点帮扶县", "真实效应（模拟数据）", "Callaway–Sant'Anna",
                   "Sun–Abraham", "PSM-DID", "随机化安慰剂检验", "平行趋势", "SUTVA",
                   "选择性", "按发展水平最低选出", "更换聚类层级", "只有一个处理队列",
                   # the demo states the covariate set and the inference used
                   "各估计量使用同一组协变量 rural_population", "野聚类自助法",
                   f"处理县只有 9 个（少于 {FEW_CLUSTERS} 个）",
                   # each column's inference, the band from the same bootstrap, PSM's reason
                   "p 值方法", "影响函数（正态近似）", "同一组野自助抽样校准",
                   "按 rural_population 的基期值核匹配", "重新匹配", "p ≤ 0.001", "χ²(3)"):
        assert phrase in text, phrase
    # the true average effect of the sample's key-assistance counties over 2021-2025:
    # mean of 0.015·(year − 2020) for year 2021..2025 = 0.015·3 = 0.045 (README of the sample)
    assert "0.0450" in text


@pytest.mark.notebooks
def test_policy_notebook_runs_for_staggered_exit(execute_report):
    text = _run(execute_report, "exit", treatment="exit", covariates=[])
    for phrase in ("贫困县摘帽", "逐一剔除各处理队列", "PSM-DID 未估计：设计不含协变量",
                   "各估计量均不含协变量", "尚未摘帽",
                   "发展水平较高的县先摘帽", "真实效应（模拟数据）",
                   "按县聚类的稳健标准误（reghdfe 口径，t 分布 G−1 自由度；处理县 48 个）",
                   "双向聚类，较少一维只有 11 类"):
        assert phrase in text, phrase
    # 48 treated counties: cluster-robust regressions; only the 11-prefecture clustering is
    # bootstrapped
    assert "处理县只有" not in text and "地级市：单向聚类，11 类，野聚类自助法" in text


@pytest.mark.notebooks
def test_policy_notebook_with_a_county_attribute_as_covariate_runs_psm(execute_report):
    """PSM-DID matches on the design's covariates — here a time-invariant county attribute —
    and every table says so; English throughout."""
    report = execute_report(["05_policy_effects"], "psm", covariates=["rural_population"],
                            estimators=["twfe", "cs", "psm"], language="en")
    text = report.text
    for phrase in ("kernel matching on the base-year rural_population", "re-matching bootstrap",
                   "every estimator uses the same covariates (rural_population)",
                   "p-value from"):
        assert phrase in text, phrase
    assert "未估计" not in text
