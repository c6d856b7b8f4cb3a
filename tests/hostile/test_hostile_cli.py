"""The hostile corpus (对抗性输入语料): each case, its exit code, message and guarantees.

A case builds its inputs in a sandbox project, runs one ``linkage`` command, and states the
expected exit code, a fragment of the message, the folder it may write into and the raw
identifiers that must appear nowhere. :func:`conftest.check_guarantees` checks the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import XSS_MARK, Sandbox, check_guarantees
from corpus import (
    BAD_CHECK_ID,
    GOOD_COUNTY_ROWS,
    ID15_ANY,
    SALT,
    VALID_ID,
    county_csv,
    household_ids,
    households,
    write_csv,
    write_xlsx,
)


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Sandbox], list[str]]
    code: int | tuple[int, ...]
    message: str | tuple[str, ...] | None = None
    out: str | None = None
    secrets: tuple[str, ...] = ()
    salt: bool = False
    xfail: str | None = None
    marks: tuple[pytest.MarkDecorator, ...] = ()


def _ingest_household(frame_or_path, name="hh.csv") -> Callable[[Sandbox], list[str]]:
    def build(box: Sandbox) -> list[str]:
        src = frame_or_path(box) if callable(frame_or_path) else write_csv(
            frame_or_path, box.inputs / name)
        return ["ingest", src, "--kind", "household", "--out", "out"]
    return build


def _validate(kind: str, make: Callable[[Path], Path], *extra: str
              ) -> Callable[[Sandbox], list[str]]:
    def build(box: Sandbox) -> list[str]:
        return ["validate", make(box.inputs), "--kind", kind, *extra]
    return build


# --- identifiers ------------------------------------------------------------------------------
FULLWIDTH = BAD_CHECK_ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
SPACED = f"{BAD_CHECK_ID[:6]} {BAD_CHECK_ID[6:14]} {BAD_CHECK_ID[14:]}"
FLOAT_ID = float(BAD_CHECK_ID)  # what Excel stores: 1.1010519491231002E+17
FLOAT_DIGITS = f"{int(FLOAT_ID)}"  # 110105194912310016: check digit corrupted too


def _xlsx_float_ids(box: Sandbox) -> Path:
    frame = households(household_id=household_ids(FLOAT_ID, 2.0, 3.0))
    return write_xlsx(frame, box.inputs / "hh.xlsx")


def _dup_ids(inputs: Path) -> Path:
    frame = households(household_id=household_ids(BAD_CHECK_ID, BAD_CHECK_ID, "H3"),
                       year=[2021, 2021, 2021, 2022])
    return write_csv(frame, inputs / "dup.csv")


def _names_as_ids(inputs: Path) -> Path:
    return write_csv(households(household_id=household_ids("张建国", "李秀英", "王芳")),
                     inputs / "names.csv")


def _id_in_county_cell(inputs: Path) -> Path:
    rows = [*GOOD_COUNTY_ROWS[:3], f"990121,2021,{VALID_ID},86.0,13812345678"]
    return county_csv(inputs / "leak.csv", rows)


IDENTIFIER_CASES = [
    Case("id-wrong-check-digit", _ingest_household(
        households(household_id=household_ids(BAD_CHECK_ID, "110105194912310030", "H3"))),
        0, out="out", secrets=(BAD_CHECK_ID, "110105194912310030"), salt=True),
    Case("id-full-width-digits", _ingest_household(
        households(household_id=household_ids(FULLWIDTH, "H2", "H3"))),
        0, out="out", secrets=(BAD_CHECK_ID,), salt=True),
    Case("id-with-spaces", _ingest_household(
        households(household_id=household_ids(SPACED, "H2", "H3"))),
        0, out="out", secrets=(BAD_CHECK_ID,), salt=True),
    Case("id-stored-as-float-in-xlsx", _ingest_household(_xlsx_float_ids),
         0, out="out", secrets=(FLOAT_DIGITS, "1010519491231"), salt=True),
    Case("id-scientific-text-in-csv", _ingest_household(
        households(household_id=household_ids("1.10105E+17", "H2", "H3"))),
        0, out="out", secrets=("110105000000000000", "1.10105E+17"), salt=True),
    Case("id-15-digits-any-date", _ingest_household(
        households(household_id=household_ids(ID15_ANY, "H2", "H3"))),
        0, out="out", secrets=(ID15_ANY,), salt=True),
    Case("id-duplicate-key-message", _validate("household", _dup_ids), 2,
         message="重复", secrets=(BAD_CHECK_ID,)),
    Case("id-duplicate-key-ingest-stderr", lambda box: [
        "ingest", _dup_ids(box.inputs), "--kind", "household", "--out", "out"], 2,
         message="重复", secrets=(BAD_CHECK_ID,), salt=True),
    Case("names-in-household-id", _validate("household", _names_as_ids), 2,
         message="姓名", secrets=("张建国", "李秀英", "王芳")),
    Case("names-in-household-id-ingest", lambda box: [
        "ingest", _names_as_ids(box.inputs), "--kind", "household", "--out", "out"], 2,
         message="姓名", secrets=("张建国", "李秀英", "王芳"), salt=True),
    Case("id-and-phone-in-county-cells-not-echoed", _validate("county", _id_in_county_cell), 2,
         secrets=(VALID_ID, "13812345678")),
    Case("id-in-county-cells-ingest-refused", lambda box: [
        "ingest", _id_in_county_cell(box.inputs), "--kind", "county", "--out", "out"], 2,
         secrets=(VALID_ID, "13812345678")),
]


# --- writes where they must not -----------------------------------------------------------------
def _good_county(box: Sandbox) -> Path:
    return county_csv(box.inputs / "panel.csv", GOOD_COUNTY_ROWS)


WRITE_CASES = [
    Case("ingest-name-traversal", lambda box: [
        "ingest", _good_county(box), "--name", "../raw/sample/x", "--out", "data/processed"], 2,
         message="--name"),
    Case("ingest-name-absolute", lambda box: [
        "ingest", _good_county(box), "--name", str(box.root / "data/raw/x"),
        "--out", "data/processed"], 2, message="--name"),
    Case("ingest-out-data-raw", lambda box: [
        "ingest", _good_county(box), "--out", "data/raw"], 2, message="data/raw"),
    Case("ingest-out-data-raw-sample", lambda box: [
        "ingest", _good_county(box), "--out", "data/raw/sample", "--name", "county_panel"], 2,
         message="data/raw"),
    Case("report-run-id-traversal", lambda box: [
        "report", "01", "--run-id", "../data/raw/evil"], 2, message="--run-id"),
    Case("report-run-id-absolute", lambda box: [
        "report", "01", "--run-id", str(box.root / "data/raw/evil")], 2, message="--run-id"),
    Case("report-out-data-raw", lambda box: [
        "report", "01", "--out", "data/raw/sample"], 2, message="data/raw"),
    Case("demo-out-data-raw", lambda box: ["demo", "--out", "data/raw"], 2, message="data/raw"),
    Case("template-into-data-raw", lambda box: [
        "template", "-o", "data/raw/sample/county_panel.csv"], 2, message="data/raw"),
    Case("template-wrong-suffix", lambda box: ["template", "-o", "模板.csv"], 2,
         message=".xlsx"),
    Case("sample-into-data-raw-without-force", lambda box: [
        "sample", "--counties", "30", "--households", "300", "--out", "data/raw/sample"], 2,
         message="--force"),
]


# --- tracebacks instead of messages --------------------------------------------------------------
def _dup_blank(inputs: Path) -> Path:
    return county_csv(inputs / "dup_blank.csv",
                      [",2020,1,2,3", ",2020,1,2,3", "990102,,1,2,3", "990102,,1,2,3"])


def _dup_unparsable(inputs: Path) -> Path:
    return county_csv(inputs / "dup_bad.csv",
                      ["990102,abc,1,2,3", "990102,abc,1,2,3", "99x102,2020,1,2,3",
                       "99x102,2020,1,2,3"])


def _dup_household_blank(inputs: Path) -> Path:
    frame = households(household_id=["", "", "H3", "H3"], year=[2021, 2021, "", ""])
    return write_csv(frame, inputs / "dup_hh.csv")


def _no_kernelspec(box: Sandbox) -> list[str]:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {}
    nb.cells = [nbformat.v4.new_code_cell("x: int = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print(x + 1)")]
    path = box.inputs / "bare.ipynb"
    nbformat.write(nb, path)
    return ["report", path, "--out", "reports", "--run-id", "bare"]


def _gbk_panel(box: Sandbox) -> list[str]:
    panel = box.root / "data/raw/sample/county_panel.csv"
    text = panel.read_text(encoding="utf-8")
    gbk = box.inputs / "面板_gbk.csv"
    head, *rows = text.splitlines()
    gbk.write_text("\n".join([head.replace("region_code", "区划代码"), *rows]) + "\n",
                   encoding="gbk")
    return ["report", "01", "-p", "panel", gbk, "-p", "counties",
            box.root / "data/raw/sample/counties.csv", "--out", "reports", "--run-id", "gbk"]


def _year_suffix_panel(box: Sandbox) -> list[str]:
    frame = pd.read_csv(box.root / "data/raw/sample/county_panel.csv", dtype=str)
    frame["year"] = frame["year"] + "年"
    path = write_csv(frame, box.inputs / "years.csv")
    return ["report", "01", "-p", "panel", path, "--out", "reports", "--run-id", "years"]


TRACEBACK_CASES = [
    Case("duplicate-keys-blank", _validate("county", _dup_blank), 2, message="缺少必填值"),
    Case("duplicate-keys-unparsable", _validate("county", _dup_unparsable), 2,
         message="不是数字"),
    Case("duplicate-household-keys-blank", _validate("household", _dup_household_blank), 2,
         message="缺少必填值"),
    Case("ingest-out-under-a-file", lambda box: [
        "ingest", _good_county(box), "--out", box.inputs / "panel.csv" / "sub"], 2,
         message="输出"),
    Case("template-out-is-a-folder", lambda box: ["template", "-o", box.inputs], 2,
         message="文件夹"),
    Case("report-key-indicators-unknown", lambda box: [
        "report", "01", "-p", "key_indicators", "foo", "--out", "reports"], 2,
         message="foo"),
    Case("report-panel-gbk-csv", _gbk_panel, 0, out="reports",
         marks=(pytest.mark.notebooks,)),
    Case("report-panel-years-with-suffix", _year_suffix_panel, 2, message="年份"),
    Case("report-notebook-without-kernelspec", _no_kernelspec, 0, out="reports",
         marks=(pytest.mark.notebooks,)),
    Case("report-missing-panel-file", lambda box: [
        "report", "01", "-p", "panel", "nope.csv", "--out", "reports"], 2, message="nope.csv"),
]


# --- silent data loss ----------------------------------------------------------------------------
def _uncached_formulas(inputs: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["region_code", "year", "rural_income_pc", "tap_water_rate"])
    ws.append(["990102", 2020, 10000, 90])
    ws.append(["990102", 2021, "=C2*1.1", "=D2+1"])  # written by a script: no cached value
    path = inputs / "formulas.xlsx"
    book.save(path)
    return path


LOSS_CASES = [
    Case("xlsx-formulas-without-cached-values", _validate("county", _uncached_formulas), 0,
         message="C3"),
    Case("county-income-negative", _validate("county", lambda d: county_csv(
        d / "neg.csv", [*GOOD_COUNTY_ROWS[:3], "990121,2021,-15000,86.0,2.5"])), 2,
         message="-15000"),
    Case("county-rate-over-100", _validate("county", lambda d: county_csv(
        d / "rate.csv", [*GOOD_COUNTY_ROWS[:3], "990121,2021,9500,150,2.5"])), 2,
         message="150"),
    Case("county-permille-over-1000", _validate("county", lambda d: county_csv(
        d / "permille.csv", [*GOOD_COUNTY_ROWS[:3], "990121,2021,9500,86,1200"])), 2,
         message="1200"),
]


# --- resource exhaustion -------------------------------------------------------------------------
def _stray_cell(value: object) -> Callable[[Path], Path]:
    def make(inputs: Path) -> Path:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        ws = book.active
        ws.append(["region_code", "year", "rural_income_pc"])
        ws.append(["990102", 2020, 10000])
        ws.append(["990102", 2021, 11000])
        ws["XFD1048576"] = value
        ws["XFD1048576"].font = Font(bold=True)  # keeps an empty cell in the file
        path = inputs / "stray.xlsx"
        book.save(path)
        return path
    return make


RESOURCE_CASES = [
    Case("xlsx-stray-empty-cell-at-XFD1048576", _validate("county", _stray_cell(None)), 0),
    Case("xlsx-stray-blank-text-at-XFD1048576", _validate("county", _stray_cell(" ")), 0),
    Case("xlsx-stray-value-at-XFD1048576", _validate("county", _stray_cell("x")), 2,
         message="XFD"),
]


# --- formula injection in files we write ---------------------------------------------------------
def _formula_framework(box: Sandbox) -> list[str]:
    from linkage.frameworks import load_framework

    source = load_framework().source
    text = Path(source).read_text(encoding="utf-8")
    evil = box.inputs / "evil.yaml"
    evil.write_text(text.replace("zh: 农村居民人均可支配收入",
                                 "zh: \"=cmd|' /C calc'!A0\"", 1), encoding="utf-8")
    return ["template", "-o", "out/模板.xlsx", "--framework", evil]


FORMULA_CASES = [
    Case("template-text-starting-with-equals", lambda box: [
        "template", "-o", "out/模板.xlsx"], 0, out="out"),
    Case("template-framework-name-is-a-formula", _formula_framework, 0, out="out"),
]


# --- weak messages -------------------------------------------------------------------------------
def _gbk_county(inputs: Path) -> Path:
    path = inputs / "gbk.csv"
    path.write_bytes("区划代码,年份,农村居民人均可支配收入\n990102,2020,10000\n990102,2021,é\n"
                     .encode("gbk", errors="ignore") + "é".encode("latin-1") + b"\n")
    return path


def _mapping_absent(box: Sandbox) -> list[str]:
    mapping = box.inputs / "map.yaml"
    mapping.write_text("人均收入（元）: rural_income_pc\n", encoding="utf-8")
    return ["validate", _good_county(box), "--kind", "county", "--mapping", mapping]


def _household_as_county(inputs: Path) -> Path:
    return write_csv(households(), inputs / "hh.csv")


def _ragged(inputs: Path) -> Path:
    return county_csv(inputs / "ragged.csv", [*GOOD_COUNTY_ROWS[:2],
                                              "990121,2020,9000,85.0,3.0,EXTRA,MORE",
                                              GOOD_COUNTY_ROWS[3]])


def _nul(inputs: Path) -> Path:
    path = county_csv(inputs / "nul.csv", GOOD_COUNTY_ROWS)
    data = path.read_bytes().replace(b"990121,2021", b"990121\x00,2021")
    path.write_bytes(data)
    return path


def _undecodable(inputs: Path) -> Path:
    path = inputs / "latin.csv"
    path.write_bytes("region_code,year,rural_income_pc\n990102,2020,1\nBogotá,2021,2\n"
                     .encode("latin-1"))
    return path


MESSAGE_CASES = [
    Case("encoding-option-exists", lambda box: [
        "validate", county_csv(box.inputs / "g.csv", GOOD_COUNTY_ROWS, encoding="gb18030"),
        "--kind", "county", "--encoding", "gb18030"], 0),
    Case("encoding-hint-names-cli-option", _validate("county", _undecodable), 2,
         message="--encoding"),
    Case("report-unknown-language", lambda box: [
        "report", "01", "-p", "language", "fr", "--out", "reports"], 2, message="language"),
    Case("mapping-key-absent-from-file", _mapping_absent, 2, message="人均收入（元）"),
    Case("household-file-without-kind", _validate("county", _household_as_county), 2,
         message="--kind household"),
    Case("ragged-row-names-the-row", _validate("county", _ragged), 2,
         message=("第 4 行", "字段")),
    Case("nul-byte-names-the-row", _validate("county", _nul), 2, message=("第 5 行", "NUL")),
]


# --- script injection (executes a notebook) ------------------------------------------------------
def _xss_counties(box: Sandbox) -> list[str]:
    counties = box.root / "data/raw/sample/counties.csv"
    frame = pd.read_csv(counties, dtype=str, keep_default_na=False)
    payload = f"<img src=x onerror=alert('{XSS_MARK}')>"
    frame["region_name"] = frame["region_name"].astype(object)
    frame.loc[:, "region_name"] = payload + frame["region_name"]
    frame.loc[0, "prefecture_name"] = f"<script>alert('{XSS_MARK}')</script>"
    path = write_csv(frame, box.inputs / "counties.csv")
    # a county report: its cover, tables and text name the county (and its peers)
    return ["report", "01", "-p", "panel", box.root / "data/raw/sample/county_panel.csv",
            "-p", "counties", path, "-p", "region_code", "990102", "--out", "reports",
            "--run-id", "xss"]


CASES = (IDENTIFIER_CASES + WRITE_CASES + TRACEBACK_CASES + LOSS_CASES + RESOURCE_CASES
         + FORMULA_CASES + MESSAGE_CASES)


def _param(case: Case):
    marks = list(case.marks)
    if case.xfail:
        marks.append(pytest.mark.xfail(strict=True, reason=case.xfail))
    return pytest.param(case, id=case.id, marks=marks)


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_case(case: Case, sandbox: Sandbox):
    if case.salt:
        sandbox.env["LINKAGE_SALT"] = SALT
    argv = case.build(sandbox)
    run = sandbox.run(*argv)
    check_guarantees(run, code=case.code, message=case.message, out=case.out,
                     secrets=case.secrets)
    if case.code == 0 and case.out:
        assert [p for p in run.new_or_changed if p.startswith(case.out)], "nothing written"


def test_existing_output_is_replaced_only_with_force(sandbox: Sandbox):
    source = _good_county(sandbox)
    first = sandbox.run("ingest", source, "--kind", "county", "--out", "out")
    check_guarantees(first, code=0, out="out")
    again = sandbox.run("ingest", source, "--kind", "county", "--out", "out")
    check_guarantees(again, code=2, message="--force")
    assert not again.new_or_changed
    county_csv(source, [*GOOD_COUNTY_ROWS[:3], "990121,2021,9600,86.0,2.5"])
    forced = sandbox.run("ingest", source, "--kind", "county", "--out", "out", "--force")
    check_guarantees(forced, code=0, out="out")
    assert forced.new_or_changed


def test_existing_template_is_replaced_only_with_force(sandbox: Sandbox):
    (sandbox.root / "t.xlsx").write_bytes(b"keep me")
    run = sandbox.run("template", "-o", "t.xlsx")
    check_guarantees(run, code=2, message="--force")
    assert (sandbox.root / "t.xlsx").read_bytes() == b"keep me"


def test_unwritable_output_folder_is_one_line(sandbox: Sandbox, monkeypatch):
    """A read-only folder (simulated: the tests may run as root, who ignores permissions)."""
    import tempfile

    real = tempfile.mkstemp

    def refuse(*args, **kwargs):
        if "locked" in str(kwargs.get("dir", "")):
            raise PermissionError(13, "Permission denied", str(kwargs["dir"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    run = sandbox.run("ingest", _good_county(sandbox), "--kind", "county", "--out", "locked")
    check_guarantees(run, code=2, message="locked", out="locked")
    assert not [p for p in run.new_or_changed if not p.endswith(".lock")]


@pytest.mark.notebooks
def test_report_county_name_is_script(sandbox: Sandbox):
    """Script injection: county names carrying HTML reach the report as text, never as tags."""
    run = sandbox.run(*_xss_counties(sandbox))
    check_guarantees(run, code=0, out="reports")
    html = (sandbox.root / "reports/xss/report.html").read_text(encoding="utf-8")
    assert XSS_MARK in html  # the name is there, as text
    assert "&lt;img src=x onerror" in html
