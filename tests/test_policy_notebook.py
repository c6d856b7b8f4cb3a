"""The 政策效果 notebook (05_policy_effects) executes under papermill and saves the section
the report is built from."""

from __future__ import annotations

import pytest
from reader_text import reader_problems, visible_text

from linkage.checks import FEW_CLUSTERS
from linkage.panel import load_panel
from linkage.paths import notebooks_dir
from linkage.reporting.document import Figure, Section
from linkage.reporting.executors import PapermillRunner


def _run(tmp_path, **parameters) -> Section:
    out = tmp_path / "policy.json"
    _execute(notebooks_dir() / "05_policy_effects.ipynb",
                              tmp_path / "05.ipynb",
                              {"reps": 99, "section_out": str(out)} | parameters, timeout=600)
    section = Section.load(out)
    counties = load_panel().counties
    names = set(counties["region_name"]) | set(counties["prefecture_name"])
    assert reader_problems(section, place_names=names) == []
    return section


def _execute(notebook, output, parameters, *, timeout):
    PapermillRunner().execute(notebook, output, parameters, timeout=timeout)


@pytest.mark.notebooks
def test_policy_notebook_for_a_key_assistance_county(tmp_path):
    section = _run(tmp_path, region_code="990327")
    text = visible_text(section)
    for phrase in ("国家乡村振兴重点帮扶县", "真实效应（模拟数据）", "Callaway–Sant'Anna",
                   "Sun–Abraham", "PSM-DID", "随机化安慰剂检验", "平行趋势", "SUTVA",
                   "按发展水平最低选出", "只有一个处理队列",
                   "各估计量使用同一组协变量：农村人口（万人）",
                   f"处理县只有 9 个（少于 {FEW_CLUSTERS} 个）", "p 值方法", "影响函数（正态近似）",
                   "同一组野自助抽样校准", "按 农村人口（万人） 的基期值核匹配", "重新匹配",
                   "χ²(3)", "2021 年起受处理"):
        assert phrase in text, phrase
    # the true average effect of the sample's key-assistance counties over 2021-2025:
    # mean of 0.015·(year − 2020) for year 2021..2025 = 0.015·3 = 0.045 (README of the sample)
    assert "0.0450" in text
    figures = {b.key: b.appendix for b in section.blocks if isinstance(b, Figure)}
    assert figures == {"region_path": False, "event_study": False, "placebo": True}


@pytest.mark.notebooks
def test_policy_notebook_for_staggered_exit_in_english(tmp_path):
    section = _run(tmp_path, treatment="exit", covariates=[], language="en")
    text = visible_text(section)
    for phrase in ("poverty-county exit", "Drop one cohort", "PSM-DID not estimated",
                   "No estimator uses covariates", "treated counties)"):
        assert phrase in text, phrase
    assert "only 48" not in text  # 48 treated counties: cluster-robust regressions
