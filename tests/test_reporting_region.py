"""One region report: section notebooks → saved sections → document → renderers; every
failure is the region's own result, with the partial notebook kept and its cell marked."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from reporting_fakes import InProcessRunner, fake_renderers, light_notebook, light_notebooks

from linkage.paths import sample_dir
from linkage.reporting.config import SECTION_KEYS, SECTION_NOTEBOOKS, Region
from linkage.reporting.document import Section
from linkage.reporting.region import RegionJob, RegionResult, SectionSpec, run_region

SAMPLE = {"panel": str(sample_dir() / "county_panel.csv"),
          "counties": str(sample_dir() / "counties.csv"),
          "households": str(sample_dir() / "households.parquet")}


@pytest.fixture
def job(tmp_path, monkeypatch) -> RegionJob:
    fake_renderers(monkeypatch)
    folder = light_notebooks(tmp_path / "nb")
    specs = tuple(SectionSpec(key, str(next(folder.glob(f"{SECTION_NOTEBOOKS[key]:02d}_*.ipynb"))))
                  for key in SECTION_KEYS)
    return RegionJob(region=Region("990327", "磐浦县", "county"),
                     folder=str(tmp_path / "run" / "990327"), sections=specs, **SAMPLE,
                     title="测试报告", organisation="某党校", author="课题组", stem="990327_磐浦县")


def _linkage(job: RegionJob) -> SectionSpec:
    """The 衔接 section's spec (the chapter after the data overview and the real data)."""
    return next(spec for spec in job.sections if spec.key == "linkage")


def test_a_region_report_is_built_from_the_saved_sections(job):
    result = run_region(job, InProcessRunner())
    assert result.ok, result.error
    folder = Path(job.folder)
    assert result.outputs == {"provenance": "provenance.json", "html": "990327_磐浦县.html",
                              "docx": "990327_磐浦县.docx"}
    html = (folder / result.outputs["html"]).read_text(encoding="utf-8")
    assert "磐浦县" in html and "测试报告" in html and "模拟数据" in html
    # chapters in the configured order, each from its saved section
    saved = [Section.load(folder / "sections" / f"{k}.json") for k in SECTION_KEYS]
    assert [s.key for s in saved] == list(SECTION_KEYS)
    assert sorted(p.name for p in (folder / "notebooks").glob("*.ipynb")) == sorted(
        f"{SECTION_NOTEBOOKS[k]:02d}_{k}.ipynb" for k in SECTION_KEYS)
    # metrics per section, exactly as the sections hold them
    assert {k: [m.value for m in v] for k, v in result.metrics.items()} == {
        s.key: [m.value for m in s.metrics] for s in saved}


def test_the_document_is_redacted_and_the_provenance_has_no_absolute_paths(job, monkeypatch):
    seen = {}

    def capture(doc):
        seen["doc"] = doc
        return "<html></html>"

    import sys

    monkeypatch.setattr(sys.modules["linkage.reporting.html"], "render_html", capture)
    result = run_region(job, InProcessRunner())
    assert result.ok
    doc = seen["doc"]
    paragraphs = [b.text for c in doc.chapters for b in c.blocks if hasattr(b, "text")]
    assert paragraphs and not any("13812345678" in p for p in paragraphs)
    assert doc.cover.region == "磐浦县" and doc.cover.organisation == "某党校"
    assert doc.cover.simulated and doc.cover.period == "2015—2025 年"
    record = json.loads((Path(job.folder) / "provenance.json").read_text(encoding="utf-8"))
    assert record == dict(doc.provenance)
    assert {m["path"] for m in record["inputs"].values()} >= {
        "county_panel.csv", "counties.csv", "households.parquet"}
    assert all("/" not in m["path"] for m in record["inputs"].values())
    assert record["parameters"]["panel"] == "county_panel.csv"
    assert record["parameters"]["region_code"] == "990327"
    assert record["inputs"]["panel"]["sha256"]
    assert "章节：衔接" in record["inputs"]  # the section programs, by the sections' titles
    assert "notebook" not in json.dumps(record).lower()  # a reader may see the record


def test_a_notebook_that_raises_fails_the_region_with_the_cell_and_the_partial_notebook(job):
    broken = replace(job, sections=(job.sections[0], replace(_linkage(job),
                                                              options={"fail_for": "990327"})))
    result = run_region(broken, InProcessRunner())
    assert result.status == "failed" and result.kind == "notebook"
    assert "02_linkage.ipynb" in result.error and "故意失败" in result.error
    assert result.partial == "notebooks/02_linkage.ipynb"
    partial = nbformat.read(Path(job.folder) / result.partial, as_version=4)
    assert any(o.get("output_type") == "error" for c in partial.cells
               for o in c.get("outputs", []))
    assert result.attempts == 1  # the job allows no retries


def test_failures_other_than_input_are_retried_reusing_saved_sections(job, tmp_path):
    flags = tmp_path / "flags"
    flags.mkdir()
    (flags / "990327").touch()

    class Healing(InProcessRunner):
        def execute(self, notebook, output, parameters, *, timeout=None):
            try:
                super().execute(notebook, output, parameters, timeout=timeout)
            finally:
                if "flag_dir" in parameters:  # the next attempt succeeds
                    (flags / "990327").unlink(missing_ok=True)

    specs = (job.sections[0], replace(_linkage(job), options={"flag_dir": str(flags)}))
    InProcessRunner.executed.clear()
    result = run_region(replace(job, sections=specs, retries=1), Healing())
    assert result.ok and result.attempts == 2
    # the overview section saved by the first attempt is not computed again
    assert [name for name, _ in InProcessRunner.executed] == [
        "01_overview.ipynb", "02_linkage.ipynb", "02_linkage.ipynb"]


def test_a_region_not_in_the_data_fails_as_bad_input_without_retries(job):
    InProcessRunner.executed.clear()
    result = run_region(replace(job, region=Region("123456", "123456", "county", found=False),
                                retries=3), InProcessRunner())
    assert result.status == "failed" and result.kind == "input" and result.attempts == 1
    assert "123456" in result.error and not InProcessRunner.executed


def test_an_unknown_section_option_fails_the_region_naming_it(job):
    specs = (replace(job.sections[0], options={"weightng": "entropy"}),)
    result = run_region(replace(job, sections=specs), InProcessRunner())
    assert result.kind == "input" and "weightng" in result.error


def test_a_section_notebook_that_does_not_declare_section_out_is_refused(job, tmp_path):
    path = tmp_path / "old" / "01_overview.ipynb"
    path.parent.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('region_code: str = ""',
                                          metadata={"tags": ["parameters"]})]
    nbformat.write(nb, path)
    result = run_region(replace(job, sections=(SectionSpec("overview", str(path)),)),
                        InProcessRunner())
    assert result.status == "failed" and "section_out" in result.error


def test_a_renderer_error_is_the_region_failure_not_the_batch(job, monkeypatch):
    import sys

    def broken(doc):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(sys.modules["linkage.reporting.html"], "render_html", broken)
    result = run_region(job, InProcessRunner())
    assert result.status == "failed" and "renderer exploded" in result.error


def test_results_round_trip_through_json(job):
    result = run_region(job, InProcessRunner())
    assert RegionResult.from_json(json.loads(json.dumps(result.to_json()))) == replace(
        result, seconds=round(result.seconds, 3))


@pytest.mark.notebooks
def test_a_cell_that_times_out_fails_the_region_and_is_marked(job, tmp_path):
    """A real kernel: the per-cell timeout stops the notebook; the partial copy is kept with
    the cell it stopped in marked."""
    from linkage.reporting.executors import PapermillRunner

    slow = light_notebook(tmp_path / "01_overview.ipynb", "overview", 1,
                          body="import time\ntime.sleep(60)")
    result = run_region(replace(job, sections=(SectionSpec("overview", str(slow)),),
                                timeout=3), PapermillRunner())
    assert result.status == "failed" and result.kind in ("timeout", "notebook")
    assert result.partial == "notebooks/01_overview.ipynb"
    partial = nbformat.read(Path(job.folder) / result.partial, as_version=4)
    marked = [c for c in partial.cells
              if "linkage-failed-cell" in c.metadata.get("tags", [])
              or any(o.get("output_type") == "error" for o in c.get("outputs", []))
              or "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    assert marked
