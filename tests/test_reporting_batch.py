"""Batches: one new folder per run, one region failing alone, retry of the failed only, the
metrics table (formula-safe workbook, same numbers on a rerun), index, latest link, progress."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from reporting_fakes import (
    InProcessRunner,
    fake_renderers,
    in_process_executor,
    light_notebooks,
)

from linkage.errors import InputError, OutputError
from linkage.paths import sample_dir
from linkage.reporting.batch import run_batch
from linkage.reporting.config import SECTION_KEYS, parse_config

THREE = ["990327", "990125", "990102"]


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Light notebooks, fake renderers, an in-process executor; returns a runner of batches."""
    fake_renderers(monkeypatch)
    notebooks = light_notebooks(tmp_path / "nb")
    events: list[dict] = []

    def run(config_text: str = "", **kwargs):
        config = parse_config(config_text or "regions: ['990327', '990125', '990102']\n")
        kwargs.setdefault("out", tmp_path / "reports")
        kwargs.setdefault("progress", events.append)
        return run_batch(config, notebooks=notebooks, make_executor=in_process_executor,
                         **kwargs)

    run.events = events
    run.out = tmp_path / "reports"
    return run


def _record(run_dir: Path) -> dict:
    return json.loads((run_dir / "run.json").read_text(encoding="utf-8"))


def test_a_batch_writes_each_region_an_index_a_summary_and_the_metrics(env):
    result = env()
    assert result.exit_code == 0 and [r.code for r in result.results] == THREE
    run = result.run_dir
    assert run.parent == env.out
    for r in result.results:
        assert (run / r.code / r.outputs["html"]).is_file()
        assert (run / r.code / r.outputs["docx"]).is_file()
        assert r.outputs["html"].startswith(f"{r.code}_")
    index = (run / "index.html").read_text(encoding="utf-8")
    from urllib.parse import quote

    for r in result.results:
        assert f'href="{quote(r.code + "/" + r.outputs["html"])}"' in index
        assert r.name in index
    assert (run / "summary" / "summary.html").is_file() and (run / "summary" /
                                                             "summary.docx").is_file()
    frame = pd.read_parquet(run / "metrics.parquet")
    assert list(frame["region_code"]) == THREE and set(frame["status"]) == {"ok"}
    assert {"overview.score", "linkage.grade", "extension.flag"} <= set(frame.columns)
    assert (frame["year"] == 2025).all()
    record = _record(run)
    assert record["status"] == "complete"
    assert {c: r["status"] for c, r in record["results"].items()} == dict.fromkeys(THREE, "ok")
    assert (env.out / "latest").resolve() == run.resolve()
    assert (run / "config.yaml").is_file()


def test_the_summary_ranks_counts_grades_and_names_its_source(env, monkeypatch):
    import sys

    seen = []
    real = sys.modules["linkage.reporting.html"].render_html
    monkeypatch.setattr(sys.modules["linkage.reporting.html"], "render_html",
                        lambda doc: seen.append(doc) or real(doc))
    result = env()
    summary = seen[-1]
    frame = pd.read_parquet(result.run_dir / "metrics.parquet")
    titles = [c.title for c in summary.chapters]
    assert titles == ["批次概况", "地区排名", "等级与标识分布"]
    top = next(b for b in summary.chapters[1].blocks if getattr(b, "label", "") == "表 1")
    best = frame.sort_values("overview.score", ascending=False)["region_name"].iloc[0]
    assert top.block.frame.iloc[0, 1] == best
    assert "模拟数据" in top.block.source
    assert any("图" in getattr(b, "label", "") for b in summary.chapters[1].blocks)
    assert summary.cover.simulated


def test_one_failing_region_does_not_stop_the_others(env):
    config = ("regions: ['990327', '990125', '990102']\n"
              "sections:\n  overview: {}\n  linkage: {fail_for: '990125'}\n")
    result = env(config)
    assert result.exit_code == 1
    status = {r.code: r.status for r in result.results}
    assert status == {"990327": "ok", "990125": "failed", "990102": "ok"}
    failed = result.failed[0]
    assert "故意失败" in failed.error and failed.partial == "notebooks/02_linkage.ipynb"
    assert (result.run_dir / "990125" / failed.partial).is_file()
    index = (result.run_dir / "index.html").read_text(encoding="utf-8")
    assert "失败" in index and "故意失败" in index and "990125/notebooks/02_linkage.ipynb" in index
    frame = pd.read_parquet(result.run_dir / "metrics.parquet")
    row = frame.set_index("region_code").loc["990125"]
    assert row["status"] == "failed" and "故意失败" in row["error"]
    assert pd.isna(row["overview.score"])
    assert _record(result.run_dir)["status"] == "partial"
    assert not (env.out / "latest").exists()  # a partial batch does not move latest


def test_a_code_that_never_existed_in_regions_is_placed_where_it_was_given(env):
    """In the YAML: at its line; from --regions (an override): not at the YAML's line."""
    text = "sections: [overview]\nregions: ['990327', '990999']\n"
    with pytest.raises(InputError, match="990999 不是民政部行政区划代码") as in_file:
        env(text)
    assert in_file.value.row == 2
    with pytest.raises(InputError, match="990998 不是民政部行政区划代码") as given:
        env(text, regions="990327,990998")
    assert given.value.row is None


def test_a_region_code_not_in_the_data_fails_alone_as_bad_input(env):
    result = env("regions: ['990327', '110101']\nsections: [overview]\n")
    assert result.exit_code == 1
    bad = result.failed[0]
    assert bad.code == "110101" and bad.kind == "input" and "110101" in bad.error
    assert result.results[0].ok


def test_retry_failed_reruns_only_the_failed_regions_into_the_same_run(env, tmp_path):
    flags = tmp_path / "flags"
    flags.mkdir()
    (flags / "990125").touch()
    config = ("regions: ['990327', '990125', '990102']\nretries: 0\n"
              f"sections:\n  overview: {{flag_dir: '{flags}'}}\n")
    first = env(config)
    assert first.exit_code == 1 and not (env.out / "latest").exists()
    ok_html = first.run_dir / "990327" / first.results[0].outputs["html"]
    before = ok_html.stat().st_mtime_ns
    (flags / "990125").unlink()
    InProcessRunner.executed.clear()
    again = run_batch(first.run_dir / "config.yaml", retry_failed=first.run_dir,
                      make_executor=in_process_executor, progress=lambda e: None,
                      notebooks=tmp_path / "nb")
    assert again.exit_code == 0 and again.run_dir == first.run_dir
    assert [code for _, code in InProcessRunner.executed] == ["990125"]
    assert ok_html.stat().st_mtime_ns == before
    assert [r.status for r in again.results] == ["ok"] * 3
    assert list(pd.read_parquet(first.run_dir / "metrics.parquet")["status"]) == ["ok"] * 3
    assert list((first.run_dir / "_failed").iterdir())  # the failed attempt kept
    assert _record(first.run_dir)["status"] == "complete"
    assert (env.out / "latest").resolve() == first.run_dir.resolve()


def test_retry_failed_refuses_a_folder_that_is_not_a_run(tmp_path):
    with pytest.raises(InputError, match=r"run\.json"):
        run_batch("configs/sample.yaml", retry_failed=tmp_path)


def test_runs_never_overwrite_an_earlier_run(env):
    first = env(run_id="nightly")
    (first.run_dir / "index.html").write_text("earlier", encoding="utf-8")
    second = env(run_id="nightly")
    assert second.run_dir.name == "nightly-2" and first.run_dir.name == "nightly"
    assert (first.run_dir / "index.html").read_text(encoding="utf-8") == "earlier"


@pytest.mark.parametrize("run_id", ["../../x", "/abs/x", "a/b", "..", ".hidden"])
def test_a_run_id_that_is_not_a_plain_name_is_refused(env, run_id):
    with pytest.raises(OutputError, match="run-id"):
        env(run_id=run_id)
    assert not env.out.exists()


def test_the_output_folder_may_not_be_inside_data_raw(env):
    with pytest.raises(OutputError, match="data/raw"):
        env(out=sample_dir())


def test_hostile_region_names_stay_inside_the_run_and_are_escaped(env, tmp_path):
    counties = pd.read_csv(sample_dir() / "counties.csv", dtype=str, keep_default_na=False)
    counties.loc[counties["region_code"] == "990327", "region_name"] = "../../<script>x</script>"
    counties.loc[counties["region_code"] == "990125", "region_name"] = "=HYPERLINK(\"x\")"
    path = tmp_path / "counties.csv"
    counties.to_csv(path, index=False)
    config = (f"data:\n  panel: '{sample_dir() / 'county_panel.csv'}'\n  counties: '{path}'\n"
              "regions: ['990327', '990125']\nsections: [overview]\n")
    result = env(config)
    assert result.exit_code == 0
    run = result.run_dir.resolve()
    written = [p.resolve() for p in run.rglob("*")]
    assert all(run in p.parents for p in written)
    first = result.results[0]
    assert first.folder == "990327" and "/" not in first.outputs["html"]
    assert (run / "990327" / first.outputs["html"]).is_file()
    index = (run / "index.html").read_text(encoding="utf-8")
    assert "<script>x" not in index and "&lt;script&gt;x" in index


def test_the_metrics_workbook_stores_formula_like_text_as_text(env, tmp_path):
    counties = pd.read_csv(sample_dir() / "counties.csv", dtype=str, keep_default_na=False)
    hostile = {"990327": "=cmd|' /C calc'!A0", "990125": "+1+1", "990102": "@SUM(A1)"}
    for code, name in hostile.items():
        counties.loc[counties["region_code"] == code, "region_name"] = name
    path = tmp_path / "counties.csv"
    counties.to_csv(path, index=False)
    config = (f"data:\n  panel: '{sample_dir() / 'county_panel.csv'}'\n  counties: '{path}'\n"
              "regions: ['990327', '990125', '990102', '110101']\nsections: [overview]\n")
    result = env(config)
    from openpyxl import load_workbook

    sheet = load_workbook(result.run_dir / "metrics.xlsx").active
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["区划代码", "地区", "层级", "年份"] and "运行状态" in headers
    assert "数据概览得分（分）" in headers
    names = {sheet.cell(row=i, column=2).value: sheet.cell(row=i, column=2).data_type
             for i in range(2, sheet.max_row + 1)}
    assert {n: names[n] for n in hostile.values()} == dict.fromkeys(hostile.values(), "s")
    with zipfile.ZipFile(result.run_dir / "metrics.xlsx") as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    reader = pd.read_csv(result.run_dir / "metrics.csv", dtype=str, encoding="utf-8-sig")
    assert list(reader.columns[:2]) == ["区划代码", "地区"]
    assert set(reader["运行状态"]) == {"成功", "失败"}


def test_the_same_config_on_the_same_inputs_gives_the_same_numbers(env):
    first = pd.read_parquet(env().run_dir / "metrics.parquet")
    second = pd.read_parquet(env().run_dir / "metrics.parquet")
    pd.testing.assert_frame_equal(first, second)


def test_worker_processes_finish_in_any_order_but_rows_keep_the_config_order(env):
    serial = pd.read_parquet(env().run_dir / "metrics.parquet")
    pooled = env(workers=2)
    assert [r.code for r in pooled.results] == THREE
    pd.testing.assert_frame_equal(pd.read_parquet(pooled.run_dir / "metrics.parquet"), serial)


def test_dry_run_checks_and_lists_but_writes_nothing(env):
    result = env("regions: all counties of prefecture 990100\n", dry_run=True)
    assert result.dry_run and result.run_dir is None and result.exit_code == 0
    assert [r.code for r in result.regions][:2] == ["990102", "990121"]
    assert not env.out.exists()
    assert env.events[-1]["event"] == "plan" and env.events[-1]["regions"] == 10


def test_bad_overrides_and_options_are_input_errors_before_anything_is_written(env):
    with pytest.raises(InputError, match="--regions"):
        env(regions="99x")
    with pytest.raises(InputError, match="--sections"):
        env(sections="overview,summary")
    with pytest.raises(InputError, match="--formats"):
        env(formats="html,odt")
    with pytest.raises(InputError, match=r"sections\.linkage\.weightng") as exc:
        env("regions: ['990327']\nsections:\n  linkage:\n    weightng: entropy\n")
    assert exc.value.row == 4
    with pytest.raises(InputError, match=r"nope\.csv"):
        env("data:\n  panel: nope.csv\n")
    assert not env.out.exists()


def test_overrides_choose_regions_sections_and_formats(env):
    result = env(regions="990102", sections="extension", formats="html")
    assert [r.code for r in result.results] == ["990102"]
    assert set(result.results[0].metrics) == {"extension"}
    assert "docx" not in result.results[0].outputs


def test_jsonl_progress_is_one_json_object_per_region_event(env, capsys):
    result = env(progress="jsonl")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["event"] for e in lines] == ["start", "region", "region", "region", "end"]
    assert [e["code"] for e in lines[1:4]] == THREE
    assert lines[-1]["exit_code"] == result.exit_code == 0
    assert lines[-1]["index"].endswith("index.html")
    assert lines[2]["done"] == 2 and lines[2]["total"] == 3


def test_the_bar_and_quiet_modes(env, capsys):
    env("regions: ['990327', '110101']\nsections: [overview]\n", progress="quiet")
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "110101" in captured.err
    env("regions: ['990327', '110101']\nsections: [overview]\n", progress="bar")
    err = capsys.readouterr().err
    assert "2/2" in err and "失败 / failed 1" in err and "✗ 110101" in err


# --- the real section notebooks (re-check after the notebooks save sections) -----------------

@pytest.mark.notebooks
def test_real_notebooks_one_region_written_one_broken_marked(tmp_path):
    """``linkage run configs/sample.yaml --regions <good>,<broken>``: the county report is
    written (HTML + Word) and reads as a document; the broken region is marked; exit 1."""
    from linkage.paths import project_root

    result = run_batch(project_root() / "configs" / "sample.yaml", regions="990327,110101",
                       out=tmp_path, workers=1, progress=lambda e: None)
    assert result.exit_code == 1
    good, bad = result.results
    assert good.ok, good.error
    assert bad.status == "failed" and "110101" in bad.error
    html = (result.run_dir / good.folder / good.outputs["html"]).read_text(encoding="utf-8")
    assert (result.run_dir / good.folder / good.outputs["docx"]).stat().st_size > 0
    assert "磐浦县" in html and "模拟数据" in html
    text = re.sub(r"(?is)<(style|script|svg)[^>]*>.*?</\1>", " ", html)
    text = re.sub(r"(?s)<[^>]+>", " ", text)  # what a reader sees
    assert not re.search(r"(?<![A-Za-z])(NaN|nan|None)(?![A-Za-z])", text)
    for word in ("notebook", "笔记本", "Traceback"):
        assert word not in text.lower(), word
    frame = pd.read_parquet(result.run_dir / "metrics.parquet")
    assert set(frame.columns) - {"region_code", "region_name", "level", "year", "status",
                                 "error"}, "the sections report no metrics"
    assert (result.run_dir / "summary" / "summary.html").is_file()
    assert sorted(good.metrics) == sorted(SECTION_KEYS)


@pytest.mark.notebooks
def test_real_notebooks_give_the_same_numbers_on_a_rerun(tmp_path):
    from linkage.paths import project_root

    def metrics():
        result = run_batch(project_root() / "configs" / "sample.yaml", regions="990125",
                           sections="linkage,consolidation", formats="html", out=tmp_path,
                           workers=1, progress=lambda e: None)
        assert result.exit_code == 0, result.failed
        return pd.read_parquet(result.run_dir / "metrics.parquet")

    pd.testing.assert_frame_equal(metrics(), metrics())


def test_the_summary_states_failures_in_the_report_language():
    from linkage.reporting.index import summary_document
    from linkage.reporting.metrics import metric_columns, metrics_frame
    from linkage.reporting.region import RegionResult

    results = (RegionResult("123456", "123456", "county", "123456", "failed",
                            error="区划代码 123456 不在数据中 / region code not in the data — "
                                  "检查 regions 中的代码", kind="input"),)
    frame = metrics_frame(results, year=2025)
    doc = summary_document(results, frame, metric_columns(results), title="报告",
                           start_year=2015, end_year=2025).assemble()
    table = next(b.block.frame for b in doc.chapters[0].blocks if getattr(b, "label", "") == "表 1")
    assert table.iloc[0].tolist() == ["123456", "123456",
                                      "区划代码 123456 不在数据中 — 检查 regions 中的代码"]
    assert doc.summary == ("1 个地区的报告未能生成（见表 1），其余地区不受影响。",)


def test_the_summary_ranks_magnitudes_that_differ_not_ranks_years_or_constants():
    from linkage.reporting.document import Metric
    from linkage.reporting.index import summary_document
    from linkage.reporting.metrics import metric_columns, metrics_frame
    from linkage.reporting.region import RegionResult

    def region(code, name, d, rank, grade):
        metrics = (Metric("first_year", "起始年", 2015, "年"), Metric("n", "县数", 120, "个"),
                   Metric("d", "耦合协调度 D", d), Metric("rank", "D 排名", rank, "位"),
                   Metric("grade", "协调等级", grade), Metric("method", "p 值方法", "野聚类自助法"))
        return RegionResult(code, name, "county", code, "ok", metrics={"linkage": metrics})

    results = (region("990102", "甲县", 0.61, 2, "初级协调"),
               region("990121", "乙县", 0.72, 1, "中级协调"),
               region("990122", "丙县", 0.55, 3, "初级协调"))
    frame = metrics_frame(results, year=2025)
    doc = summary_document(results, frame, metric_columns(results), title="报告",
                           start_year=2015, end_year=2025).assemble()
    ranking = doc.chapters[1]
    figures = [b.block.title for b in ranking.blocks if getattr(b, "label", "").startswith("图")]
    assert figures == ["各地区耦合协调度 D"]
    top = next(b.block.frame for b in ranking.blocks if getattr(b, "label", "") == "表 1")
    assert top["地区"].tolist() == ["乙县", "甲县", "丙县"]
    grades = doc.chapters[2]
    tables = [b.block for b in grades.blocks if getattr(b, "label", "").startswith("表")]
    assert [t.title for t in tables] == ["各地区协调等级分布"]  # the constant method is not
    assert tables[0].frame.values.tolist() == [["初级协调", "2", "66.7"],
                                               ["中级协调", "1", "33.3"]]


def test_region_jobs_are_what_a_batch_runs(env, tmp_path):
    from linkage.reporting.batch import region_jobs
    from linkage.reporting.region import run_region

    jobs = region_jobs(parse_config("sections: [overview]\n"), tmp_path / "run",
                       regions="990327,990102", notebooks=tmp_path / "nb")
    assert [j.region.code for j in jobs] == ["990327", "990102"]
    assert jobs[0].folder == str(tmp_path / "run" / "990327")
    assert jobs[0].cache_dir == str(tmp_path / "run" / "_shared")
    assert not (tmp_path / "run").exists()
    assert run_region(jobs[0], InProcessRunner()).ok
