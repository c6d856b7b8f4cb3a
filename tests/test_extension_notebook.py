"""The 拓展 notebook (04_extension) executes under papermill and saves the section the report
is built from: a county report that reads as a document and states β's inference."""

from __future__ import annotations

import pytest
from reader_text import reader_problems, visible_text

from linkage.panel import load_panel
from linkage.paths import notebooks_dir
from linkage.reporting.document import Section, Table
from linkage.reporting.executors import PapermillRunner


def _execute(notebook, output, parameters, *, timeout):
    PapermillRunner().execute(notebook, output, parameters, timeout=timeout)


@pytest.mark.notebooks
def test_extension_notebook_saves_a_county_section(tmp_path):
    out = tmp_path / "extension.json"
    _execute(
        notebooks_dir() / "04_extension.ipynb", tmp_path / "04.ipynb",
        {"region_code": "990327", "reps": 99, "section_out": str(out),
         "cache_dir": str(tmp_path / "shared")}, timeout=600)
    section = Section.load(out)
    counties = load_panel().counties
    names = set(counties["region_name"]) | set(counties["prefecture_name"])
    assert section.key == "extension" and section.simulated
    assert reader_problems(section, place_names=names) == []
    text = visible_text(section)
    # 12 prefectures (< 42): wild bootstrap p-values and inverted intervals, Rademacher weights
    # by the one rule (12 is not below WEBB_BELOW = 12); the implausible panel speed flagged
    for phrase in ("野聚类自助法（WCR，施加原假设，Rademacher 权重，99 次", "区间由检验反演",
                   "未进入回归的观测", "β 的 p 值与置信区间因此改用施加原假设的野聚类自助法",
                   "不可信",
                   counties.at["990327", "region_name"]):
        assert phrase in text, phrase
    first = next(b.key for b in section.blocks if isinstance(b, Table))
    assert first == "region_income"
