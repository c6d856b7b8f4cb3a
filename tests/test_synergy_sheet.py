"""Coding sheet round trip (linkage.synergy.sheet): write, fill as a researcher would, read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from linkage.errors import InputError, OutputError
from linkage.synergy.corpus import load_sample_corpus, read_corpus
from linkage.synergy.sheet import (
    AUTO_PREFIX,
    AUTO_SHEET,
    CODING_SHEET,
    DATA_START_ROW,
    GUIDE_SHEET,
    read_coding_sheet,
    write_coding_sheet,
)

FIXTURE = Path(__file__).parent / "data" / "synergy"


@pytest.fixture
def corpus():
    base = load_sample_corpus(FIXTURE)
    auto = pd.DataFrame({"risk_monitoring": [1, 1, 2], "industry": [0, 1, 0]},
                        index=pd.Index(base.documents.index, name="doc_id"))
    return base.with_auto_codes(auto)


def _column(sheet, heading_end: str) -> int:
    """1-based column whose row-1 heading ends with ``heading_end`` (e.g. ``（industry）``)."""
    return next(c.column for c in sheet[1] if str(c.value).endswith(heading_end))


def _row(sheet, doc_id: str) -> int:
    return next(c.row for c in sheet["A"] if c.value == doc_id)


def _fill(path: Path, cells: dict[tuple[str, str], object]) -> None:
    book = load_workbook(path)
    sheet = book[CODING_SHEET]
    for (doc_id, code), value in cells.items():
        sheet.cell(row=_row(sheet, doc_id), column=_column(sheet, f"（{code}）"), value=value)
    book.save(path)


def test_layout(corpus, tmp_path):
    path = write_coding_sheet(corpus, tmp_path / "sheet.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [CODING_SHEET, AUTO_SHEET, GUIDE_SHEET]
    sheet = book[CODING_SHEET]
    assert [c.value for c in sheet[1]][:7] == ["文件编号", "标题", "文号", "发文机关", "层级",
                                               "发布日期", "文种"]
    codes = corpus.scheme.code_ids
    assert sheet.cell(row=1, column=8).value == "稳定增收（income_stability）"
    assert sheet.cell(row=2, column=8).value == "目标·巩固"
    assert sheet.cell(row=2, column=7 + len(codes)).value == "工具·需求型"
    assert sheet.max_column == 7 + len(codes)
    assert sheet.freeze_panes == f"C{DATA_START_ROW}"
    assert [sheet.cell(row=r, column=1).value for r in range(3, 6)] == ["t-c1", "t-c2", "t-p1"]
    assert sheet.cell(row=3, column=6).value == "2020-12-16"
    # confirmed codes pre-filled; auto-codes never in the researcher's cells
    risk = _column(sheet, "（risk_monitoring）")
    assert [sheet.cell(row=r, column=risk).value for r in range(3, 6)] == [2, 2, None]
    industry = _column(sheet, "（industry）")
    assert [sheet.cell(row=r, column=industry).value for r in range(3, 6)] == [None] * 3
    auto = book[AUTO_SHEET]
    assert [auto.cell(row=r, column=industry).value for r in range(3, 6)] == [0, 1, 0]
    # one list validation 0/1/2 over exactly the code cells
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"0,1,2"'
    assert str(validation.sqref) == f"H3:{sheet.cell(row=5, column=sheet.max_column).coordinate}"
    guide = [c.value for row in book[GUIDE_SHEET].iter_rows() for c in row if c.value]
    assert "重点（emphasised）" in guide and "supply_funds" in guide


def test_round_trip(corpus, tmp_path):
    path = write_coding_sheet(corpus, tmp_path / "sheet.xlsx")
    _fill(path, {("t-p1", "risk_monitoring"): 2, ("t-p1", "supply_funds"): 1,
                 ("t-c2", "supply_funds"): 0, ("t-c1", "industry"): "1"})
    result = read_coding_sheet(path, corpus)
    expected = corpus.codes.copy()
    expected.loc["t-p1", "risk_monitoring"] = 2
    expected.loc["t-p1", "supply_funds"] = 1
    expected.loc["t-c2", "supply_funds"] = 0
    expected.loc["t-c1", "industry"] = 1  # typed as text in Excel: still a code
    pd.testing.assert_frame_equal(result.codes, expected)
    pd.testing.assert_frame_equal(result.auto_codes, corpus.auto_codes)
    pd.testing.assert_frame_equal(result.documents, corpus.documents)
    assert result.codes.loc["t-p1", "industry"] is pd.NA  # empty cell stays <NA>
    assert result.source_files[-1] == str(path)


def test_unchanged_sheet_reads_back_the_same_codes(corpus, tmp_path):
    path = write_coding_sheet(corpus, tmp_path / "sheet.xlsx")
    pd.testing.assert_frame_equal(read_coding_sheet(path, corpus).codes, corpus.codes)


def test_formula_like_title_stays_text(tmp_path):
    docs = pd.read_csv(FIXTURE / "policy_documents.csv", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    docs.loc[0, "title"] = "=HYPERLINK(\"http://x\")"
    path = write_coding_sheet(read_corpus(docs), tmp_path / "sheet.xlsx")
    cell = load_workbook(path)[CODING_SHEET]["B3"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize(("cells", "row", "letter", "words"), [
    ({("t-c2", "risk_monitoring"): 3}, 4, "I", "0、1、2"),
    ({("t-p1", "industry"): "重点"}, 5, "T", "0、1、2"),
])
def test_bad_value_names_sheet_row_and_letter(corpus, tmp_path, cells, row, letter, words):
    path = write_coding_sheet(corpus, tmp_path / "sheet.xlsx")
    _fill(path, cells)
    with pytest.raises(InputError) as info:
        read_coding_sheet(path, corpus)
    error = info.value
    assert (error.file, error.row, error.column) == (str(path), row, letter)
    assert f"工作表“{CODING_SHEET}”{letter} 列" in error.message
    assert words in error.message


def test_unknown_doc_id_and_header(corpus, tmp_path):
    path = write_coding_sheet(corpus, tmp_path / "sheet.xlsx")
    book = load_workbook(path)
    book[CODING_SHEET]["A5"] = "t-zz"
    book.save(path)
    with pytest.raises(InputError, match="不在政策文件表") as info:
        read_coding_sheet(path, corpus)
    assert (info.value.row, info.value.column) == (5, "A")
    book[CODING_SHEET]["A5"] = "t-p1"
    book[CODING_SHEET]["H1"] = "增收（income）"
    book.save(path)
    with pytest.raises(InputError, match="无法识别的列") as info:
        read_coding_sheet(path, corpus)
    assert info.value.column == "增收（income）"


def test_csv_round_trip(corpus, tmp_path):
    path = write_coding_sheet(corpus, tmp_path / "sheet.csv")
    table = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    auto = f"{AUTO_PREFIX}产业兴旺（industry）"
    assert table[auto].tolist() == ["0", "1", "0"]  # pre-codes in their own columns
    table.loc[2, "产业兴旺（industry）"] = "2"
    table.to_csv(path, index=False, encoding="utf-8-sig")
    result = read_coding_sheet(path, corpus)
    assert result.codes.loc["t-p1", "industry"] == 2
    assert result.codes.loc["t-c1", "industry"] is pd.NA  # pre-code 0 not taken as confirmed
    table.loc[2, "产业兴旺（industry）"] = "5"
    table.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(InputError) as info:
        read_coding_sheet(path, corpus)
    assert info.value.row == 4


def test_overwrite_and_type(corpus, tmp_path):
    path = write_coding_sheet(corpus, tmp_path / "sheet.xlsx")
    with pytest.raises(OutputError):
        write_coding_sheet(corpus, path)
    write_coding_sheet(corpus, path, overwrite=True)
    with pytest.raises(InputError, match="xlsx"):
        write_coding_sheet(corpus, tmp_path / "sheet.ods")


CODES = ["risk_monitoring", "industry", "supply_funds", "demand_pilot"]


@given(st.lists(st.sampled_from([None, 0, 1, 2]), min_size=12, max_size=12),
       st.sampled_from([".xlsx", ".csv"]))
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_filled_codes_come_back(corpus, tmp_path_factory, values, suffix):
    # Whatever the researcher types (0/1/2 or nothing) into any cells comes back exactly:
    # a filled cell replaces the confirmed code, an empty one keeps it.
    path = write_coding_sheet(corpus, tmp_path_factory.mktemp("s") / f"sheet{suffix}")
    grid = pd.DataFrame([values[i:i + 4] for i in range(0, 12, 4)],
                        index=corpus.documents.index, columns=CODES).astype("Int64")
    if suffix == ".xlsx":
        _fill(path, {(d, c): int(grid.loc[d, c]) for d in grid.index for c in CODES
                     if pd.notna(grid.loc[d, c])})
    else:
        table = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
        for c in CODES:
            heading = next(h for h in table.columns if h.endswith(f"（{c}）")
                           and not h.startswith(AUTO_PREFIX))
            table[heading] = grid[c].astype("string").fillna(table[heading]).to_numpy()
        table.to_csv(path, index=False, encoding="utf-8-sig")
    result = read_coding_sheet(path, corpus)
    filled = grid.notna()
    expected = corpus.codes.copy()
    expected[CODES] = corpus.codes[CODES].mask(filled, grid)
    pd.testing.assert_frame_equal(result.codes, expected)
    pd.testing.assert_frame_equal(result.auto_codes, corpus.auto_codes)


def test_doctests():
    import doctest

    import linkage.synergy.sheet as module

    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0
