"""The `linkage` command: bilingual help, version, one-line errors with exit codes."""

import subprocess
import sys
from pathlib import Path

import pytest

from linkage import __version__
from linkage.cli import main


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linkage", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"linkage {__version__}"


def test_help_is_bilingual_and_lists_subcommands(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for word in ("demo", "ingest", "validate", "sample", "report", "template",
                 "模拟数据", "simulated", "用法" if "用法" in out else "usage"):
        assert word in out


def test_subcommand_help_is_bilingual(capsys):
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    out = capsys.readouterr().out
    assert "县域面板" in out and "county panel" in out


def test_missing_input_file_is_one_line_and_exit_2(tmp_path):
    result = run("ingest", str(tmp_path / "不存在.csv"), "--kind", "county",
                 "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "不存在.csv" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_bad_framework_yaml_exit_2_names_the_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: custom\nversion: '1'\nname: {zh: 自定义, en: custom}\nbogus_key: 1\n",
                   encoding="utf-8")
    result = run("framework", str(bad))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "bad.yaml" in result.stderr


def test_usage_error_exit_2():
    assert run("ingest").returncode == 2


def test_sample_template_datasets_commands(tmp_path):
    assert main(["sample", "--counties", "30", "--households", "600",
                 "--out", str(tmp_path / "s")]) == 0
    assert (tmp_path / "s" / "county_panel.csv").is_file()
    assert main(["template", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert (tmp_path / "t.xlsx").stat().st_size > 0
    assert main(["datasets"]) == 0
    assert main(["framework", "--list"]) == 0


def test_validate_reports_problems_with_exit_2(tmp_path, capsys):
    bad = tmp_path / "panel.csv"
    bad.write_text("region_code,year,rural_income_pc\n990101,2020,abc\n", encoding="utf-8")
    assert main(["validate", str(bad), "--kind", "county"]) == 2
    out = capsys.readouterr()
    assert "rural_income_pc" in out.out + out.err


@pytest.mark.notebooks
def test_report_on_an_ingested_user_panel(tmp_path, capsys):
    """A user's own panel: ingest a CSV with Chinese headings, then report on it."""
    src = tmp_path / "我的数据.csv"
    src.write_text(
        "区划代码,年份,农村居民人均可支配收入,农村自来水普及率\n"
        "110101,2021,15000,90.5\n110101,2022,16100,92.0\n"
        "110102,2021,13000,85.0\n110102,2022,14050,88.1\n",
        encoding="gbk",
    )
    out = tmp_path / "processed"
    assert main(["ingest", str(src), "--kind", "county", "--out", str(out)]) == 0
    parquet = next(out.glob("*.county.parquet"))
    assert main(["report", "01", "-p", "panel", str(parquet), "-p", "region_code", "110102",
                 "-p", "start_year", "2021", "--out", str(tmp_path / "reports")]) == 0
    html_path = capsys.readouterr().out.strip().splitlines()[-1]
    html = Path(html_path).read_text(encoding="utf-8")
    assert "110102" in html
    assert "SIMULATED DATA" not in html  # user data is not labelled simulated


@pytest.mark.notebooks
def test_report_with_a_bad_parameter_is_bad_input_exit_2(tmp_path, capsys):
    code = main(["report", "01", "-p", "region_code", "123456", "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "123456" in err[0]
    assert not [p for p in tmp_path.iterdir() if p.name != "_failed"]


def test_unexpected_errors_are_one_redacted_line_exit_1(monkeypatch, capsys):
    import linkage.frameworks

    def boom(*args, **kwargs):
        raise RuntimeError("bad 11010519491231002X\nsecond line")

    monkeypatch.setattr(linkage.frameworks, "load_framework", boom)
    assert main(["framework"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error" in err[0] and "RuntimeError" in err[0]
    assert "11010519491231002X" not in err[0]
    with pytest.raises(RuntimeError):
        main(["--debug", "framework"])


def test_provenance_command_prints_the_embedded_record(tmp_path, capsys):
    import json

    src = tmp_path / "p.csv"
    src.write_text("region_code,year,rural_income_pc\n990102,2020,1000\n", encoding="utf-8")
    assert main(["ingest", str(src), "--kind", "county", "--out", str(tmp_path / "o")]) == 0
    capsys.readouterr()
    assert main(["provenance", str(tmp_path / "o" / "p.county.parquet")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["kind"] == "county" and record["rows"] == 1
    assert main(["provenance", str(src)]) == 2


def test_encoding_option_reaches_the_reader(tmp_path, capsys):
    src = tmp_path / "p.csv"
    src.write_bytes("region_code,year,rural_income_pc\n990102,2020,1000\n".encode("utf-16"))
    assert main(["validate", str(src), "--kind", "county", "--encoding", "utf-16"]) == 0
    assert main(["validate", str(src), "--kind", "county", "--encoding", "gbk"]) == 2
    assert "gbk" in capsys.readouterr().out


# --- linkage run ---------------------------------------------------------------------------
@pytest.fixture
def light_engine(tmp_path, monkeypatch):
    """``linkage run`` on light section notebooks, in process, with stand-in renderers."""
    from reporting_fakes import fake_renderers, in_process_executor, light_notebooks

    import linkage.reporting.executors
    import linkage.reporting.inputs

    fake_renderers(monkeypatch)
    folder = light_notebooks(tmp_path / "nb")
    monkeypatch.setattr(linkage.reporting.inputs, "notebooks_dir", lambda: folder)
    monkeypatch.setattr(linkage.reporting.executors, "make_executor", in_process_executor)
    config = tmp_path / "run.yaml"
    config.write_text("regions: ['990327', '990125']\nsections: [overview, linkage]\n",
                      encoding="utf-8")
    return config


def test_run_exit_codes_and_what_it_prints(light_engine, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["run", str(light_engine), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "index.html" in printed and "metrics.xlsx" in printed
    assert main(["run", str(light_engine), "--out", str(out), "--regions", "990327,110101",
                 "--quiet"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "110101" in captured.err
    runs = sorted(p for p in out.iterdir() if not p.is_symlink())
    assert len(runs) == 2  # a new folder per run


def test_run_jsonl_and_retry_failed(light_engine, tmp_path, capsys):
    import json

    out = tmp_path / "reports"
    assert main(["run", str(light_engine), "--out", str(out), "--jsonl",
                 "--regions", "990327,110101"]) == 1
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["event"] for e in events] == ["start", "region", "region", "end"]
    run_dir = Path(events[-1]["run_dir"])
    assert main(["run", str(light_engine), "--retry-failed", str(run_dir), "--quiet"]) == 1
    assert "110101" in capsys.readouterr().err  # still not in the data: fails again, alone


def test_run_bad_config_is_one_line_naming_file_line_and_key_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("regions: all counties\nformats: [html, odt]\n", encoding="utf-8")
    assert main(["run", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.yaml" in err[0] and "第 2 行" in err[0] and "formats" in err[0]
    assert not (tmp_path / "out").exists()


def test_run_quiet_and_jsonl_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "configs/sample.yaml", "--quiet", "--jsonl"])
    assert exc.value.code == 2


def _documented_commands() -> list[list[str]]:
    """The ``linkage run`` command lines of docs/scheduling.md (cron and systemd)."""
    import re
    import shlex

    from linkage.paths import project_root

    text = (project_root() / "docs" / "scheduling.md").read_text(encoding="utf-8")
    found = re.findall(r"linkage run ([^\n`]+)", text)
    return [shlex.split(line) for line in found if line.startswith("configs/")]


def test_the_documented_schedules_parse_and_run_dry(capsys, monkeypatch):
    from linkage.paths import project_root

    commands = _documented_commands()
    assert {"--quiet", "--jsonl"} <= {flag for args in commands for flag in args}
    monkeypatch.chdir(project_root())
    for args in commands:
        if "--retry-failed" in args:
            continue
        assert main(["run", *args, "--dry-run"]) == 0, args
    out = capsys.readouterr().out
    assert "120" in out  # every county of the sample province


def test_demo_writes_a_county_report_and_a_three_region_batch(light_engine, tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "reports"), "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    html = next(line for line in lines if "(HTML)" in line).split(": ", 1)[1]
    docx = next(line for line in lines if "(Word)" in line).split(": ", 1)[1]
    assert html.endswith("990327/990327_磐浦县.html") and Path(html).is_file()
    assert docx.endswith("990327_磐浦县.docx") and Path(docx).is_file()
    index = Path(next(line for line in lines if "index" in line).split(": ", 1)[1])
    assert index.is_file() and index.parent.name.endswith("-demo")
    assert sorted(p.name for p in index.parent.iterdir()
                  if p.is_dir() and not p.name.startswith("_")) == [
        "990102", "990125", "990327", "summary"]
    assert any("metrics.xlsx" in line for line in lines)


# --- linkage yearbook (issue 11, part 3) ---------------------------------------------------
INCOME_CSV = """表 2-9 各地区农村居民收入（2022年）,,
单位：元,,
地  区,农村居民人均可支配收入,#工资性收入
全  国,20133,8449
北  京,34754,27000
青  海,14456,4000
,,
续表1,,
地  区,脱贫县农村居民人均可支配收入,
青  海,13800,
"""


def _yearbook_csv(tmp_path: Path, text: str | None = None) -> Path:
    from test_readers_yearbook import STACKED_CSV

    path = tmp_path / "表7-3.csv"
    path.write_bytes((text or STACKED_CSV).encode("gbk"))
    return path


def test_yearbook_command_writes_the_tidy_table_and_replaces_it_only_with_force(tmp_path,
                                                                              capsys):
    import pandas as pd

    from linkage.readers import read_yearbook

    source, out = _yearbook_csv(tmp_path), tmp_path / "tidy.csv"
    assert main(["yearbook", str(source), "-o", str(out)]) == 0
    written = pd.read_csv(out, encoding="utf-8-sig", dtype={"region_code": str},
                          keep_default_na=False, na_values={"value": [""]})
    expected = read_yearbook(source)
    for column in ("region", "region_code", "indicator", "parent", "unit", "column"):
        assert written[column].tolist() == expected[column].astype(str).tolist()
    assert written["value"].equals(expected["value"])
    assert "3 个地区" in capsys.readouterr().err
    assert main(["yearbook", str(source), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["yearbook", str(source), "-o", str(out), "--force"]) == 0
    assert not list(tmp_path.glob(".tidy.csv.*.tmp"))  # written through a temporary sibling


def test_yearbook_to_panel_is_what_ingest_accepts(tmp_path, capsys):
    import pandas as pd

    from linkage.ingest import validate_file

    mapping = tmp_path / "map.yaml"
    mapping.write_text("农村居民人均可支配收入: rural_income_pc\n"
                       "脱贫县农村居民人均可支配收入: exited_pop_income_pc\n", encoding="utf-8")
    panel = tmp_path / "panel.csv"
    assert main(["yearbook", str(_yearbook_csv(tmp_path, INCOME_CSV)), "--to-panel",
                 "--mapping", str(mapping), "-o", str(panel)]) == 0
    written = pd.read_csv(panel, encoding="utf-8-sig", dtype={"region_code": str})
    assert written.fillna(-1).to_dict("list") == {
        "region_code": ["110000", "630000"], "year": [2022, 2022],
        "region_name": ["北京", "青海"], "rural_income_pc": [34754.0, 14456.0],
        "exited_pop_income_pc": [-1, 13800.0]}
    report = validate_file(panel, kind="county")
    assert report.ok and report.rows == 2, report.summary()
    assert "全国合计（000000）的 1 个数值不进入面板" in capsys.readouterr().err


def test_yearbook_bad_input_is_one_line_exit_2(tmp_path, capsys):
    source = _yearbook_csv(tmp_path)
    assert main(["yearbook", str(source), "--to-panel"]) == 2
    assert "--mapping" in capsys.readouterr().err
    mapping = tmp_path / "m.yaml"
    mapping.write_text("粮食产量: grain_output\n", encoding="utf-8")
    assert main(["yearbook", str(source), "--to-panel", "--mapping", str(mapping)]) == 2
    err = capsys.readouterr().err
    assert "粮食产量" in err and "粮食" in err and "Traceback" not in err
    assert main(["yearbook", str(source), "--password", "x"]) == 2


def test_yearbook_listing_writes_one_row_per_name(tmp_path, capsys):
    import pandas as pd

    source = tmp_path / "list.csv"
    source.write_bytes("一、2016年摘帽贫困县名单,,\n省份,数量,县名单\n河北,2,南皮县、海兴县、\n"
                       "合计,2,\n".encode("gbk"))
    out = tmp_path / "list_tidy.csv"
    assert main(["yearbook", str(source), "--listing", "-o", str(out)]) == 0
    written = pd.read_csv(out, encoding="utf-8-sig")
    assert written[["year", "省份", "县名单"]].values.tolist() == [[2016, "河北", "南皮县"],
                                                                 [2016, "河北", "海兴县"]]
    assert "1 节、2 行" in capsys.readouterr().err
    assert main(["yearbook", str(source), "--listing", "--to-panel"]) == 2


def test_yearbook_to_stdout_stops_quietly_when_the_reader_closes_the_pipe(tmp_path):
    rows = "".join(f"测试县{i},{i}.5,{i}.25,{i}\n" for i in range(4000))
    source = tmp_path / "big.csv"
    source.write_bytes(f"表1（2022年）,,,\n地区,甲指标,乙指标,丙指标\n{rows}".encode("gbk"))
    proc = subprocess.Popen([sys.executable, "-m", "linkage", "yearbook", str(source)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"region,region_code")
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0
    assert "internal error" not in err and "Traceback" not in err
