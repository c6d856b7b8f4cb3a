"""Single reports (``linkage report``): inputs checked before anything runs, one region run
into ``reports/<run-id>/`` written atomically, a failed run leaving only its partial notebooks.

(Section notebooks are executed for real in the notebook tests and tests/hostile; here light
notebooks run in process.)
"""

from __future__ import annotations

import pytest
from reporting_fakes import InProcessRunner, fake_renderers, light_notebook

from linkage.errors import InputError, OutputError, ReportError
from linkage.escaping import markdown_text, xlsx_text
from linkage.paths import sample_dir
from linkage.reporting.inputs import check_report_inputs
from linkage.reporting.region import run_report

PAYLOAD = "<img src=x onerror=alert('LINKAGE_XSS')>"


def test_escaping_helpers():
    assert markdown_text("*甲* [x](y)") == "\\*甲\\* \\[x\\]\\(y\\)"
    from openpyxl import Workbook

    ws = Workbook().active
    assert xlsx_text(ws["A1"], "=cmd|' /C calc'!A0").data_type == "s"
    assert xlsx_text(ws["A2"], 3.5).value == 3.5


@pytest.mark.parametrize(("parameters", "fragment"), [
    ({"language": "fr"}, "language"),
    ({"key_indicators": ["foo"]}, "foo"),
    ({"start_year": 2024, "end_year": 2020}, "2024"),
    ({"region_code": "12345"}, "region_code"),
    ({"panel": "nope.csv"}, "nope.csv"),
    ({"framework": "nope.yaml"}, "nope.yaml"),
])
def test_bad_parameters_are_refused_before_running(parameters, fragment):
    with pytest.raises(InputError, match=fragment):
        check_report_inputs(parameters)


def test_input_files_are_validated_with_the_kit(tmp_path):
    panel = tmp_path / "p.csv"
    panel.write_text("region_code,year,rural_income_pc\n990102,2021年,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="年份"):
        check_report_inputs({"panel": str(panel)})
    counties = tmp_path / "c.csv"
    counties.write_text("code,name\n990102,甲县\n", encoding="utf-8")
    with pytest.raises(InputError, match="region_code"):
        check_report_inputs({"counties": str(counties)})
    check_report_inputs({"panel": str(sample_dir() / "county_panel.csv"), "language": "en",
                         "key_indicators": ["rural_income_pc"]})


@pytest.mark.parametrize("run_id", ["../x", "/abs/x", "a/b", ".."])
def test_run_id_must_be_a_plain_name(tmp_path, run_id):
    with pytest.raises(OutputError, match="run-id"):
        run_report(["01"], out_dir=tmp_path, run_id=run_id)
    assert not any(tmp_path.iterdir())


def test_the_old_module_name_still_imports_the_engine():
    import linkage.report
    import linkage.reporting.region

    assert linkage.report.run_report is linkage.reporting.region.run_report
    assert linkage.report.check_report_inputs is check_report_inputs


@pytest.fixture
def sections(tmp_path, monkeypatch):
    fake_renderers(monkeypatch)
    folder = tmp_path / "nb"
    folder.mkdir()
    return [light_notebook(folder / "01_overview.ipynb", "overview", 1),
            light_notebook(folder / "02_linkage.ipynb", "linkage", 2)]


def test_a_single_report_is_one_region_run_into_its_folder(sections, tmp_path):
    result = run_report(sections, parameters={"region_code": "990327"},
                        out_dir=tmp_path / "reports", run_id="r1", runner=InProcessRunner())
    assert result.run_dir == tmp_path / "reports" / "r1"
    assert result.html == result.run_dir / "report.html" and result.html.is_file()
    assert result.docx == result.run_dir / "report.docx" and result.docx.is_file()
    assert "磐浦县" in result.html.read_text(encoding="utf-8")
    assert [p.name for p in result.notebooks] == ["01_overview.ipynb", "02_linkage.ipynb"]
    assert all(p.is_file() for p in result.notebooks) and result.provenance.is_file()
    with pytest.raises(ReportError, match="exists"):
        run_report(sections, out_dir=tmp_path / "reports", run_id="r1",
                   runner=InProcessRunner())


def test_a_failed_single_report_leaves_no_folder_and_keeps_the_partial_notebook(sections,
                                                                                tmp_path):
    (tmp_path / "reports" / "earlier").mkdir(parents=True)
    (tmp_path / "reports" / "earlier" / "report.html").write_text("old", encoding="utf-8")
    with pytest.raises(ReportError, match="故意失败") as exc:
        run_report(sections, parameters={"region_code": "990327", "fail_for": "990327"},
                   out_dir=tmp_path / "reports", run_id="bad", runner=InProcessRunner())
    assert exc.value.exit_code == 1
    assert not (tmp_path / "reports" / "bad").exists()
    assert (tmp_path / "reports" / "_failed" / "bad" / "01_overview.ipynb").is_file()
    assert (tmp_path / "reports" / "earlier" / "report.html").read_text(encoding="utf-8") == "old"


def test_a_region_not_in_the_data_is_bad_input_exit_2(sections, tmp_path):
    with pytest.raises(ReportError, match="000000") as exc:
        run_report(sections, parameters={"region_code": "000000"}, out_dir=tmp_path,
                   run_id="none", runner=InProcessRunner())
    assert exc.value.exit_code == 2 and not (tmp_path / "none").exists()


def test_a_notebook_that_saves_no_section_is_executed_and_kept(tmp_path, monkeypatch):
    import nbformat

    fake_renderers(monkeypatch)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x: int = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("y = x + 1")]
    path = tmp_path / "bare.ipynb"
    nbformat.write(nb, path)
    result = run_report([path], out_dir=tmp_path / "reports", run_id="bare",
                        runner=InProcessRunner())
    assert result.html is None and result.notebooks[0].is_file()
    assert any("section_out" in n for n in result.notes)


def test_notebooks_get_absolute_paths_though_they_run_in_their_own_folder(sections, tmp_path,
                                                                          monkeypatch):
    import shutil

    seen = []

    class Recording(InProcessRunner):
        def execute(self, notebook, output, parameters, *, timeout=None):
            seen.append(dict(parameters))
            super().execute(notebook, output, parameters, timeout=timeout)

    shutil.copy(sample_dir() / "county_panel.csv", tmp_path / "panel.csv")
    monkeypatch.chdir(tmp_path)
    result = run_report(sections, parameters={"panel": "panel.csv", "region_code": "990102"},
                        out_dir="reports", run_id="rel", runner=Recording())
    assert result.html.is_file()
    for parameters in seen:
        for key in ("panel", "section_out"):
            assert parameters[key].startswith("/"), (key, parameters[key])
