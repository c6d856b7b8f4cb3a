"""The 巩固 and 拓展 report notebooks execute on the bundled sample and say 模拟数据."""

import re

import pytest

from linkage.sample import load_sample

NOTEBOOKS = ["03_consolidation", "04_extension"]


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
