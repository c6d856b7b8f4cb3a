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
