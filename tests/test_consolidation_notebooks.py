"""The 巩固 notebook (03_consolidation) executes under papermill and saves its section: the
report is built from that saved section, never from the notebook's outputs."""

from __future__ import annotations

import re

import nbformat
import pytest

from linkage.paths import notebooks_dir
from linkage.reporting.document import Section, Table
from linkage.reporting.executors import PapermillRunner
from linkage.sample import load_sample

NOTEBOOK = notebooks_dir() / "03_consolidation.ipynb"


def _run(tmp_path, **parameters) -> tuple[Section, str]:
    out = tmp_path / "section.json"
    executed = tmp_path / "03_consolidation.ipynb"
    PapermillRunner().execute(NOTEBOOK, executed,
                              {"section_out": str(out), "reps": 200, **parameters},
                              timeout=600)
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}))
                     for cell in nbformat.read(executed, as_version=4).cells
                     for o in cell.get("outputs", []))
    return Section.load(out), text


def _visible(section: Section) -> str:
    parts = [f.text for f in section.findings] + list(section.methods) + list(section.caveats)
    for b in section.blocks:
        parts += [getattr(b, "text", ""), getattr(b, "title", ""), getattr(b, "source", "")]
        parts += list(getattr(b, "notes", ()))
        if isinstance(b, Table):
            parts += list(b.frame.columns) + b.frame.to_numpy().ravel().tolist()
    return "\n".join(parts)


def test_notebook_is_stored_thin_and_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "consolidation.build(" in code[1].source and len(code) == 4
    assert "section_out: str" in code[0].source and "cache_dir: str" in code[0].source


@pytest.mark.notebooks
def test_county_section_is_saved_and_protects_households(tmp_path):
    section, outputs = _run(tmp_path, region_code="990121")
    assert section.key == "consolidation" and section.language == "zh" and section.simulated
    text = _visible(section)
    assert "万东县" in text and "临平市" in text and "全省" in text
    assert "<10" not in text and "NaN" not in text and "notebook" not in text.lower()
    assert "少于 10 户" in text  # suppressed cells are explained, not shown
    ids = load_sample().households["household_id"].drop_duplicates().sample(200, random_state=1)
    saved = (tmp_path / "section.json").read_text(encoding="utf-8")
    assert not [i for i in ids if i in saved]
    assert not re.search(r"\b\d{17}[\dXx]\b", saved)  # no 18-digit ID numbers
    assert "InputError" not in outputs
    ranks = [f.rank for f in section.findings]
    assert ranks[:2] == [10.0, 11.0] and ranks == sorted(ranks)
    # the default k = 1/3 and the union rule are stated as different measures
    assert "k = 1/3" in text and "并集规则" in text and "不可混称" in text


@pytest.mark.notebooks
def test_province_section_in_english_per_household_with_k_one_quarter(tmp_path):
    section, _ = _run(tmp_path, language="en", per="household", af_k=0.25)
    text = _visible(section)
    assert section.language == "en" and "k = 1/4" in text and "union rule" in text
    assert "Below the monitoring threshold FGT0 (households, %)" in text
    assert "not the return itself" in text
    assert {m.key for m in section.metrics} >= {"fgt0_pct", "af_headcount_pct"}
