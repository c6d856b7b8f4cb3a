"""The 巩固 and 拓展 report notebooks execute on the bundled sample and say 模拟数据."""

import re

import nbformat
import pytest

from linkage.cli import default_report_parameters
from linkage.report import run_report
from linkage.sample import load_sample

NOTEBOOKS = ["03_consolidation", "04_extension"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return run_report(NOTEBOOKS, parameters=default_report_parameters(), out_dir=out,
                      run_id="consolidation")


def _outputs(path):
    nb = nbformat.read(path, as_version=4)
    return [out for cell in nb.cells for out in cell.get("outputs", [])]


@pytest.mark.notebooks
def test_notebooks_execute_without_errors_and_embed_figures(report):
    for path in report.notebooks:
        outputs = _outputs(path)
        assert not [o for o in outputs if o.get("output_type") == "error"]
        assert not [o for o in outputs if "missing from font" in o.get("text", "")]
        figures = sum("image/png" in o.get("data", {}) for o in outputs)
        assert figures >= 2, path.name
    html = report.html.read_text(encoding="utf-8")
    assert "模拟数据" in html and "真实统计" in html
    assert "Traceback" not in html


@pytest.mark.notebooks
def test_reports_show_no_household_identifiers_and_mark_small_cells(report):
    html = report.html.read_text(encoding="utf-8")
    ids = load_sample().households["household_id"].drop_duplicates().sample(200, random_state=1)
    assert not [i for i in ids if i in html]
    assert not re.search(r"\b\d{17}[\dXx]\b", html)  # no 18-digit ID numbers
    assert "&lt;10" in html or "<10" in html  # suppressed cells are marked
