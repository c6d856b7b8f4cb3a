"""The `linkage` command: bilingual help, version, one-line errors with exit codes."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
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


# --- validate / ingest: every bad input is exit 2 and one line naming the problem ----------------
HEAD = "区划代码,年份,农村居民人均可支配收入\n"


def _text(name: str, text: str, encoding: str = "utf-8"):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return path
    return make


def _bytes(name: str, data: bytes):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return make


def _xlsx(name: str, rows: list[list[object]]):
    def make(folder: Path) -> Path:
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        path = folder / name
        book.save(path)
        return path
    return make


def _mapping_file(folder: Path, text: str) -> Path:
    path = folder / "map.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HOUSEHOLD_HEAD = ("household_id,region_code,year,hh_size,n_labour,income_wage,income_business,"
                  "income_property,income_transfer,food_clothing_ok,compulsory_edu_ok,"
                  "basic_medical_ok,housing_safe_ok,drinking_water_ok,exited_poor,"
                  "monitor_category,shock\n")
HOUSEHOLD_ROW = "990101,2021,4,2,20000,5000,0,3000,是,是,是,是,是,是,非监测对象,无"

#: Bad inputs of the suite (tests/test_ingest.py, tests/hostile), with the kind they are
#: checked as and the words the one-line message must contain. Blank, duplicate and
#: mixed-type keys included.
BAD_INPUTS = {
    "issue: blank duplicate keys": (_text("blank.csv", HEAD + ",2020,2\n,2020,3\n"), "county",
                                    (), "缺少必填值"),
    "blank year": (_text("noyear.csv", HEAD + "990102,,2\n990102,,3\n"), "county", (),
                   "缺少必填值"),
    "duplicate keys": (_text("dup.csv", HEAD + "990102,2020,2\n990102,2020,3\n"), "county", (),
                       "重复的记录"),
    "mixed-type keys (number and text code, year with 年)": (
        _xlsx("mixed.xlsx", [["区划代码", "年份", "农村居民人均可支配收入"],
                             [990102, 2020, 1], ["990102", "2020", 2],
                             ["990102", "2021年", 3]]), "county", (), "重复的记录"),
    "mixed-type duplicate keys": (
        _xlsx("mixdup.xlsx", [["区划代码", "年份", "农村居民人均可支配收入"],
                              [990102, 2020, 1], ["990102", 2020.0, 2]]), "county", (),
        "重复的记录"),
    "malformed code": (_text("code.csv", HEAD + "99x102,2020,1\n"), "county", (),
                       "不是 6 位数字"),
    "year out of range": (_text("year.csv", HEAD + "990102,1800,1\n"), "county", (),
                          "1978–2035"),
    "text in a number column": (_text("text.csv", HEAD + "990102,2020,abc\n"), "county", (),
                                "不是数字"),
    "negative income": (_text("neg.csv", HEAD + "990102,2020,-15000\n"), "county", (),
                        "-15000"),
    "rate over 100": (_text("rate.csv", "区划代码,年份,农村自来水普及率\n990102,2020,150\n"),
                      "county", (), "0–100"),
    "inverted ratio": (_text("ratio.csv", "区划代码,年份,城乡收入比\n990102,2020,0.4\n"),
                       "county", ("--mapping", "map.yaml"), "倒数"),
    "province panel checked as county": (
        _text("prov.csv", HEAD + "11,2020,30126\n12,2020,25691\n"), "county", (),
        "--kind province"),
    "province code among county codes": (
        _text("pc.csv", HEAD + "990102,2020,1\n110000,2020,2\n"), "county", (), "省级代码"),
    "county code in a province panel": (
        _text("cp.csv", HEAD + "110000,2020,1\n110101,2020,2\n"), "province", (), "县级代码"),
    "national total in a province panel": (
        _text("nat.csv", HEAD + "000000,2020,1\n110000,2020,2\n"), "province", (), "全国合计"),
    "unknown column": (_text("extra.csv", "区划代码,年份,农村居民人均可支配收入,备注\n"
                             "990102,2020,1,x\n"), "county", (), "--allow-extra"),
    "missing key column": (_text("nokey.csv", "年份,农村居民人均可支配收入\n2020,1\n"), "county",
                           (), "缺少必需的列"),
    "no indicator column": (_text("noind.csv", "区划代码,年份,备注\n990102,2020,1\n"), "county",
                            ("--allow-extra",), "没有识别出任何指标列"),
    "two headings for one column": (
        _text("twice.csv", "区划代码,年份,农村居民人均可支配收入,rural_income_pc\n"
              "990102,2020,1,2\n"),
        "county", (), "同一个字段"),
    "empty file": (_bytes("empty.csv", b""), "county", (), "空"),
    "header only": (_text("head.csv", HEAD), "county", (), "没有数据行"),
    "undecodable text": (_bytes("latin.csv", "region_code,year,rural_income_pc\n990102,2020,1\n"
                                "Bogotá,2021,2\n".encode("latin-1")), "county", (),
                         "--encoding"),
    "ragged row": (_text("ragged.csv", HEAD + "990102,2020,1\n990102,2021,2,EXTRA,MORE\n"),
                   "county", (), "第 3 行"),
    "NUL byte": (_bytes("nul.csv", (HEAD + "990102\x00,2020,1\n").encode()), "county", (), "NUL"),
    "household file as county panel": (
        _text("hh.csv", HOUSEHOLD_HEAD + "H1," + HOUSEHOLD_ROW + "\n"), "county", (),
        "--kind household"),
    "blank duplicate household keys": (
        _text("hhdup.csv", HOUSEHOLD_HEAD + "," + HOUSEHOLD_ROW + "\n," + HOUSEHOLD_ROW + "\n"),
        "household", (), "缺少必填值"),
    "mapping key absent": (_text("m.csv", HEAD + "990102,2020,1\n"), "county",
                           ("--mapping", "map.yaml"), "城乡收入比"),
    "damaged workbook": (_bytes("damaged.xlsx", b"PK\x03\x04 not a workbook"), "county", (),
                         "damaged.xlsx"),
    "damaged Stata file": (_bytes("damaged.dta", b"\x00\x01 not stata"), "county", (),
                           "damaged.dta"),
    "unknown suffix": (_bytes("panel.pdf", b"%PDF-1.4"), "county", (), ".pdf"),
    "a folder, not a file": (lambda folder: folder, "county", (), "不支持的文件类型"),
}


def _argv(command: str, case: str, folder: Path) -> list[str]:
    make, kind, extra, _ = BAD_INPUTS[case]
    path = make(folder)
    if "map.yaml" in extra:
        _mapping_file(folder, "城乡收入比: urban_rural_income_ratio\n")
    extra = [str(folder / e) if e == "map.yaml" else e for e in extra]
    tail = ["--out", str(folder / "out")] if command == "ingest" else []
    return [command, str(path), "--kind", kind, *extra, *tail]


@pytest.mark.parametrize("command", ["validate", "ingest"])
@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_validate_and_ingest_answer_every_bad_input_with_exit_2_and_a_message(
        tmp_path, capsys, command, case):
    words = BAD_INPUTS[case][3]
    code = main(_argv(command, case, tmp_path))
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert "Traceback" not in out + err and "内部错误" not in err
    if command == "ingest" or err:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("linkage: 错误 / error:")
        assert words in lines[0], lines[0]
    else:  # the report: verdict, then one line per problem naming it
        assert "发现" in out and words in out, out
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_validate_the_issues_three_lines_in_a_real_process(tmp_path):
    """`linkage validate` on the issue's file, as a user runs it: exit 2, no traceback."""
    path = tmp_path / "blank.csv"
    path.write_text(HEAD + ",2020,2\n,2020,3\n", encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "第 2 行，列“区划代码”：缺少必填值" in result.stdout
    result = run("ingest", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "缺少必填值" in result.stderr and "Traceback" not in result.stderr


def test_validate_allow_extra_keeps_unknown_columns(tmp_path, capsys):
    path = tmp_path / "extra.csv"
    path.write_text("区划代码,年份,农村居民人均可支配收入,备注\n990102,2020,1,x\n",
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "--allow-extra" in capsys.readouterr().out
    assert main(["validate", str(path), "--allow-extra"]) == 0
    assert main(["ingest", str(path), "--allow-extra", "--out", str(tmp_path / "o")]) == 0
    assert "备注" in pd.read_parquet(tmp_path / "o" / "extra.county.parquet").columns


def _many_problems(tmp_path: Path, n: int = 40) -> Path:
    path = tmp_path / "many.csv"
    path.write_text(HEAD + "".join(f"9901{i:02d},2020,-{i}\n" for i in range(1, n + 1)),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_validate_problems_file_holds_every_problem_and_the_summary_points_to_it(
        tmp_path, capsys, suffix):
    target = tmp_path / f"问题{suffix}"
    assert main(["validate", str(_many_problems(tmp_path)), "--problems", str(target)]) == 2
    out = capsys.readouterr().out
    assert f"另有 20 处问题（全部 40 处问题已写入 {target}）" in out
    assert "to_frame" not in out
    table = (pd.read_csv(target, encoding="utf-8-sig") if suffix == ".csv"
             else pd.read_excel(target))
    assert len(table) == 40 and table.columns.tolist() == ["文件", "行", "列", "问题", "建议"]
    assert main(["validate", str(_many_problems(tmp_path)), "--problems", str(target)]) == 2
    assert "--force" in capsys.readouterr().err  # an existing file is replaced only with it
    assert main(["validate", str(_many_problems(tmp_path)), "--problems", str(target),
                 "--force"]) == 2


def test_validate_problems_file_of_a_valid_file_has_only_the_headings(tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_text(HEAD + "990102,2020,9000\n", encoding="utf-8")
    assert main(["validate", str(path), "--problems", str(tmp_path / "p.csv")]) == 0
    assert f"问题清单（0 处）：{tmp_path / 'p.csv'}" in capsys.readouterr().out
    table = pd.read_csv(tmp_path / "p.csv", encoding="utf-8-sig")
    assert table.empty and table.columns.tolist() == ["文件", "行", "列", "问题", "建议"]


def test_validate_without_problems_file_says_how_to_get_one(tmp_path, capsys):
    assert main(["validate", str(_many_problems(tmp_path))]) == 2
    assert "另有 20 处问题（加 --problems 问题清单.csv 可写出全部问题）" in capsys.readouterr().out


def test_ingest_problems_file_is_named_in_the_one_line_error(tmp_path, capsys):
    target = tmp_path / "问题.csv"
    assert main(["ingest", str(_many_problems(tmp_path)), "--out", str(tmp_path / "o"),
                 "--problems", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"全部 40 处问题已写入 {target}" in err
    assert len(pd.read_csv(target, encoding="utf-8-sig")) == 40


def test_validate_problems_file_of_another_type_is_refused_before_reading(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "absent.csv"), "--problems",
                 str(tmp_path / "p.txt")]) == 2
    assert ".csv 或 .xlsx" in capsys.readouterr().err


def test_validate_province_kind(tmp_path, capsys):
    path = tmp_path / "prov.csv"
    path.write_text(HEAD + "11,2020,30126\n12,2020,25691\n", encoding="utf-8")
    assert main(["validate", str(path), "--kind", "province"]) == 0
    out = capsys.readouterr().out
    assert "省级面板，2 行）：校验通过" in out and "2 个 2 位省级代码已补为 6 位" in out
    assert main(["ingest", str(path), "--kind", "province", "--out", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "prov.province.parquet").is_file()
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
    report = validate_file(panel, kind="province")
    assert report.ok and report.rows == 2, report.summary()
    err = capsys.readouterr().err
    assert "全国合计（000000）的 1 个数值不进入面板" in err
    assert "这是省级面板：校验、导入时加 --kind province" in err


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


# --- linkage policy --------------------------------------------------------------------------

SYNERGY_FIXTURE = Path(__file__).parent / "data" / "synergy"


def test_policy_check_summarises_the_bundled_sample(capsys):
    assert main(["policy", "check"]) == 0
    out = capsys.readouterr().out
    documents = pd.read_csv(Path(__file__).parents[1] / "src" / "linkage" / "synergy" / "data"
                            / "policy_documents.csv", dtype=str)
    total = next(line for line in out.splitlines() if line.startswith("合计"))
    assert total.split()[1] == str(len(documents))
    assert "PMC 评分项 10 件" in out


def test_policy_sheet_round_trip(tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "编码表.xlsx"
    assert main(["policy", "sheet", str(SYNERGY_FIXTURE), "-o", str(out)]) == 0
    assert "已写出编码表" in capsys.readouterr().out
    book = load_workbook(out)
    assert {"编码", "自动预编码", "说明"} <= set(book.sheetnames)
    # a second run refuses to replace the sheet without --force
    assert main(["policy", "sheet", str(SYNERGY_FIXTURE), "-o", str(out)]) == 2
    assert main(["policy", "sheet", str(SYNERGY_FIXTURE), "-o", str(out), "--force"]) == 0
    assert main(["policy", "check", str(SYNERGY_FIXTURE), "--sheet", str(out)]) == 0


def test_policy_pmc_writes_the_table(tmp_path):
    out = tmp_path / "pmc.csv"
    assert main(["policy", "pmc", "-o", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns[-3:]) == ["PMC 指数", "排名", "等级"]
    assert table["排名"].is_monotonic_increasing and len(table) == 10


@pytest.mark.parametrize("args, words", [
    (["policy", "check", "no/such/folder"], "不存在"),
    (["policy", "pmc", "--bands", "9-完美"], "等级区间"),
])
def test_policy_bad_input_is_one_line_exit_2(args, words):
    result = run(*args)
    assert result.returncode == 2
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_policy_agreement_reads_as_a_table(capsys):
    assert main(["policy", "agreement"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["编码", "κ"]
    assert lines[-1].split()[0] == "全部" and "risk_monitoring" not in "\n".join(lines)
