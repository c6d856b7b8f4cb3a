"""The 巩固 and 拓展 report notebooks execute on the bundled sample and say 模拟数据; the 巩固
report states units, the k rule and its inference as the tables say."""

import re

import pytest

from linkage.sample import load_sample

NOTEBOOKS = ["03_consolidation", "04_extension"]


def _text(report, notebook: str) -> str:
    parts = []
    for out in report.by_notebook[notebook]:
        parts.append(out.get("text", ""))
        parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


@pytest.mark.notebooks
def test_reports_execute_embed_figures_and_protect_households(execute_report):
    report = execute_report(NOTEBOOKS, "consolidation")
    assert all(report.figures_in(name) >= 2 for name in NOTEBOOKS)
    html = report.html
    assert "模拟数据" in html and "真实统计" in html
    assert "Traceback" not in html
    ids = load_sample().households["household_id"].drop_duplicates().sample(200, random_state=1)
    assert not [i for i in ids if i in html]
    assert not re.search(r"\b\d{17}[\dXx]\b", html)  # no 18-digit ID numbers
    assert "&lt;10" in html or "<10" in html  # suppressed cells are marked
    text = _text(report, "03_consolidation")
    # the default k = 1/3 is stated as what it means for four equally weighted dimensions,
    # beside the union rule of the national standard, named as a different measure
    assert "k = 1/3" in text and "至少需要 2 个维度存在剥夺" in text
    assert "任一项未达标比例(人,%)" in text and "并集规则" in text and "不可混称" in text
    # a change over the years carries its interval; the vulnerability summary hides small cells
    assert "2021→2025 年变化（百分点）" in text and "各年同抽" in text
    assert "高脆弱且当前不低于线者占全部的 —（少于 10 户样本，不予显示）" in text
    # units in every rate heading, intervals by resampled counties, risk named as risk
    assert "低于监测标准比例FGT0(人,%)" in text and "风险消除率(人,%)" in text
    assert "999 次" in text and "抽样单位（县）" in text
    assert "不是返贫本身" in text and "返贫率" not in text


@pytest.mark.notebooks
def test_consolidation_report_in_english_per_household_with_k_one_quarter(execute_report):
    report = execute_report(["03_consolidation"], "consolidation-en", language="en",
                            per="household", af_k=0.25, reps=200)
    text = _text(report, "03_consolidation")
    assert "k = 1/4" in text and "union rule" in text and "Failing any guarantee" in text
    assert "Below the monitoring threshold FGT0 (households, %)" in text
    assert "not the return itself" in text
