"""Report notebooks: stored clean, parameterised, and executed end to end under papermill."""

import json
import re

import nbformat
import pytest

from linkage.cli import default_report_parameters
from linkage.errors import ReportError
from linkage.paths import notebooks_dir
from linkage.reporting.inputs import DEFAULT_NOTEBOOKS, list_notebooks
from linkage.reporting.region import run_report

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))


def test_there_are_report_notebooks_and_the_demo_ones_exist():
    assert NOTEBOOKS
    assert set(DEFAULT_NOTEBOOKS) <= set(list_notebooks())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs_and_has_tagged_parameters(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert code[0] is tagged[0], "the parameters cell comes first"
    # parameters are literal assignments only (papermill replaces them)
    for line in tagged[0].source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert re.match(r"^\w+(: \w+)? = ", line), line
    # papermill can parse every parameter (comments must not contain "=")
    import papermill

    assigned = [ln.split(":")[0].split("=")[0].strip() for ln in tagged[0].source.splitlines()
                if ln.strip() and not ln.lstrip().startswith("#")]
    assert list(papermill.inspect_notebook(str(path))) == assigned
    # logic lives in src/linkage: no function or class definitions in notebooks
    assert not any(re.search(r"^\s*(def|class) ", c.source, re.M) for c in code)
    assert not any("matplotlib.use(" in c.source or "pip install" in c.source for c in code)



@pytest.mark.notebooks
def test_demo_report_executes_and_renders(execute_report):
    report = execute_report(DEFAULT_NOTEBOOKS, "demo")  # no errors, glyphs, figures embedded
    result, html = report.result, report.html
    assert html.startswith("<!DOCTYPE html>") or "<html" in html[:200]
    assert '<html lang="zh-CN">' in html
    assert "模拟数据" in html and "Traceback" not in html
    assert result.docx is not None and result.docx.stat().st_size > 0
    record = json.loads(result.provenance.read_text(encoding="utf-8"))
    assert record["parameters"]["panel"] == "county_panel.csv"  # names, not local paths
    assert all("/" not in m["path"] for m in record["inputs"].values())
    hashed = {k: v["sha256"] for k, v in record["inputs"].items()}
    assert hashed["panel"] and hashed["counties"]
    assert all(len(h) == 64 for h in hashed.values())
    assert record["git_revision"]
    # printed on A4 (WeasyPrint): cover, a one-page 摘要 and 目录, then a body a leader can read
    # — the 附录 (opened by the methods) starts by page 31
    import weasyprint

    first: dict[str, int] = {}
    for number, page in enumerate(weasyprint.HTML(string=html).render().pages, start=1):
        for anchor in page.anchors:
            first.setdefault(anchor, number)
    assert (first["summary"], first["contents"], first["ch-1"]) == (2, 3, 4)
    assert first["ch-7"] < first["appendix"] == first["methods"] <= 31
    assert first["methods"] < first["appendix-exhibits"] < first["provenance"]


@pytest.mark.notebooks
def test_failed_report_leaves_no_run_folder_and_keeps_the_failed_notebook(tmp_path):
    (tmp_path / "earlier").mkdir()
    (tmp_path / "earlier" / "report.html").write_text("old", encoding="utf-8")
    params = default_report_parameters() | {"region_code": "990327", "weighting": "nonsense"}
    with pytest.raises(ReportError) as exc:
        run_report(["02_linkage"], parameters=params, out_dir=tmp_path, run_id="bad")
    assert exc.value.exit_code == 2 and "weighting" in str(exc.value)
    assert not (tmp_path / "bad").exists()
    assert list((tmp_path / "_failed" / "bad").glob("*.ipynb"))
    assert (tmp_path / "earlier" / "report.html").read_text(encoding="utf-8") == "old"


def test_cli_parameters_are_converted_to_the_declared_types():
    from linkage.reporting.inputs import coerce_parameters

    got = coerce_parameters(DEFAULT_NOTEBOOKS, {
        "region_code": "011000", "start_year": "2018",
        "key_indicators": "rural_income_pc, tap_water_rate"})
    assert got == {"region_code": "011000", "start_year": 2018,
                   "key_indicators": ["rural_income_pc", "tap_water_rate"]}
    assert coerce_parameters(DEFAULT_NOTEBOOKS, {"key_indicators": "['a', 'b']"}) == {
        "key_indicators": ["a", "b"]}


def test_unknown_or_mistyped_parameter_is_an_input_error():
    from linkage.errors import InputError
    from linkage.reporting.inputs import coerce_parameters

    with pytest.raises(InputError, match="region_cod"):
        coerce_parameters(DEFAULT_NOTEBOOKS, {"region_cod": "011000"})
    with pytest.raises(InputError, match="start_year"):
        coerce_parameters(DEFAULT_NOTEBOOKS, {"start_year": "二〇一八"})


@pytest.mark.notebooks
@pytest.mark.parametrize("language", ["zh", "en"])
def test_overview_notebook_saves_a_section_for_a_prefecture(tmp_path, language):
    from section_text import reader_problems
    from test_linkage_notebook import run_section

    from linkage.frameworks import load_framework
    from linkage.panel import load_panel

    section = run_section("01_data_overview", tmp_path, region_code="990300", reps=99,
                          language=language)
    assert section.key == "overview" and section.language == language
    counties = load_panel().counties
    places = (*counties["region_name"], *counties["prefecture_name"].unique())
    assert reader_problems(section, load_framework(), place_names=places) == []
    assert {m.key for m in section.metrics} >= {"data_counties", "data_missing_pct"}
    assert any(f.rank == 20 and "昌源市" in f.text for f in section.findings)
