"""Specification of linkage.template: an Excel entry workbook that ingest reads back as is."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from linkage.errors import InputError
from linkage.ingest import ingest
from linkage.template import (
    DATA_START_ROW,
    METADATA_SHEET,
    SHEET_NAMES,
    read_template_metadata,
    write_template,
)


@pytest.fixture
def template(tmp_path: Path, small_framework) -> Path:
    return write_template(tmp_path / "raw" / "填报模板.xlsx", framework=small_framework,
                          years=range(2016, 2026))


def _validations(ws) -> dict[str, object]:
    """First column letter of each validated range -> its DataValidation."""
    return {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
            for dv in ws.data_validations.dataValidation}


def _column(ws, heading: str) -> int:
    return next(cell.column for cell in ws[1] if cell.value == heading)


def test_workbook_layout(template):
    wb = load_workbook(template)
    assert wb.sheetnames == ["填表说明", "县域面板", "农户监测", METADATA_SHEET]
    assert wb[METADATA_SHEET].sheet_state == "hidden"
    county = wb[SHEET_NAMES["county"]]
    assert [c.value for c in county[1]] == [
        "区划代码", "县名", "年份", "农村居民人均可支配收入（元）", "农村居民恩格尔系数（%）",
        "森林覆盖率（%）"]
    assert county.cell(row=2, column=5).value == "逆向 · engel_coefficient"
    assert county.freeze_panes == f"D{DATA_START_ROW}"
    assert county["A1"].font.bold
    assert county.column_dimensions["D"].width > 10
    assert county.cell(row=DATA_START_ROW, column=1).number_format == "@"
    guide = "\n".join(str(c.value) for row in wb["填表说明"].iter_rows() for c in row if c.value)
    assert "6 位" in guide and "留空" in guide and "ingest" in guide


def test_county_sheet_validates_code_and_year(template):
    ws = load_workbook(template)[SHEET_NAMES["county"]]
    rules = _validations(ws)
    assert rules["A"].type == "textLength" and rules["A"].formula1 == "6"
    assert rules["C"].type == "whole"
    assert (rules["C"].formula1, rules["C"].formula2) == ("2016", "2025")
    assert rules["D"].type == "decimal"
    assert str(rules["A"].sqref).startswith(f"A{DATA_START_ROW}:")


def test_household_sheet_has_lists_for_booleans_and_categories(template):
    ws = load_workbook(template)[SHEET_NAMES["household"]]
    rules = _validations(ws)
    letter = {c.value: c.column_letter for c in ws[1]}
    assert rules[letter["脱贫户"]].formula1 == '"是,否"'
    assert "边缘易致贫户" in rules[letter["监测类型"]].formula1
    assert "自然灾害" in rules[letter["主要风险"]].formula1
    assert rules[letter["工资性收入（元/户·年）"]].operator == "greaterThanOrEqual"
    assert letter["经营净收入（元/户·年）"] not in rules or \
        rules[letter["经营净收入（元/户·年）"]].operator == "between"


def test_metadata_is_recognised(template, tmp_path):
    meta = read_template_metadata(template)
    assert meta["framework_id"] == "test_fw"
    assert meta["sheets"] == SHEET_NAMES
    assert meta["data_start_row"] == DATA_START_ROW
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    assert read_template_metadata(plain) is None


def test_filled_county_template_round_trips(template, small_framework, tmp_path):
    rows = [["990101", "甲县", 2020, 12000.5, 31.2, None],
            ["990102", "乙县", 2020, 9800, 35, 41.0],
            ["990101", "甲县", 2021, 12800, 30.0, 40.5]]
    wb = load_workbook(template)
    ws = wb[SHEET_NAMES["county"]]
    for i, row in enumerate(rows):
        for j, value in enumerate(row, start=1):
            ws.cell(row=DATA_START_ROW + i, column=j, value=value)
    wb.save(template)
    result = ingest(template, kind="county", framework=small_framework,
                    out_dir=tmp_path / "out")
    expected = pd.DataFrame(
        sorted(rows, key=lambda r: (r[0], r[2])),
        columns=["region_code", "region_name", "year", "rural_income", "engel_coefficient",
                 "forest_cover"],
    ).astype({"region_code": "str", "region_name": "str", "year": "int64",
              "rural_income": "float64", "engel_coefficient": "float64",
              "forest_cover": "float64"})
    pd.testing.assert_frame_equal(pd.read_parquet(result.path), expected)


def test_filled_household_template_round_trips(template, household_rows, tmp_path):
    wb = load_workbook(template)
    ws = wb[SHEET_NAMES["household"]]
    headings = [c.value for c in ws[1]]
    ids = [c.value.split(" · ")[1] for c in ws[2]]
    for i, record in enumerate(household_rows.to_dict("records")):
        for j, col in enumerate(ids, start=1):
            value = record[col]
            if isinstance(value, bool):
                value = "是" if value else "否"
            ws.cell(row=DATA_START_ROW + i, column=j, value=None if pd.isna(value) else value)
    wb.save(template)
    assert len(headings) == len(household_rows.columns)
    result = ingest(template, kind="household", out_dir=tmp_path / "out")
    expected = household_rows.sort_values(["household_id", "year"]).reset_index(drop=True)
    got = pd.read_parquet(result.path)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert got["exited_poor"].dtype == bool and got["year"].dtype == "int64"


def test_empty_template_has_no_data_rows(template, small_framework, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(InputError, match="没有数据行"):
        ingest(template, kind="county", framework=small_framework, out_dir=out)
    assert not out.exists()


def test_unknown_kind_is_rejected(tmp_path):
    with pytest.raises(InputError, match="未知的数据类型"):
        write_template(tmp_path / "x.xlsx", kinds=("village",))
    assert not (tmp_path / "x.xlsx").exists()


def test_household_only_template(tmp_path):
    path = write_template(tmp_path / "hh.xlsx", kinds=("household",))
    assert load_workbook(path).sheetnames == ["填表说明", "农户监测", METADATA_SHEET]
    assert read_template_metadata(path)["sheets"] == {"household": "农户监测"}


def test_guide_lists_each_indicators_stage_and_where_it_applies(tmp_path):
    from linkage.frameworks import load_framework

    path = write_template(tmp_path / "t.xlsx", framework=load_framework(), kinds=("county",))
    rows = [[c.value for c in row] for row in load_workbook(path)["填表说明"].iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[:2] == ["编号", "中文名"])
    table = pd.DataFrame(rows[header + 1:header + 57], columns=rows[header]).set_index("编号")
    columns = ["指标性质", "适用范围"]
    assert table.loc["east_west_funds_pc", columns].tolist() == ["投入", "原贫困县"]
    assert table.loc["rural_income_pc", columns].tolist() == ["成效", "全部县"]
    assert table.loc["skills_training_rate", "指标性质"] == "产出"
    assert table["指标性质"].value_counts().to_dict() == {"成效": 32, "产出": 16, "投入": 8}


def _formula_cells(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [f"{ws.title}!{cell.coordinate}" for ws in wb.worksheets for row in ws.iter_rows()
            for cell in row if cell.data_type == "f"]


def test_every_string_cell_is_text_never_a_formula(tmp_path):
    """Formula injection ([5b/8]): an indicator definition or a framework name starting with
    ``=`` is written as text — the workbook holds no formula cell at all."""
    import dataclasses

    from linkage.frameworks import load_framework

    fw = load_framework()
    evil = "=cmd|' /C calc'!A0"
    first = dataclasses.replace(fw.indicators[0], name_zh=evil, definition="=1+1")
    fw = dataclasses.replace(fw, indicators=(first, *fw.indicators[1:]), id="=HYPERLINK(1)")
    path = write_template(tmp_path / "t.xlsx", framework=fw)
    assert _formula_cells(path) == []
    wb = load_workbook(path)
    texts = {cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row}
    assert evil in texts and "=1+1" in texts and "=HYPERLINK(1)" in texts
    assert read_template_metadata(path)["framework_id"] == "=HYPERLINK(1)"


def test_an_existing_template_is_replaced_only_with_overwrite(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"keep me")
    from linkage.errors import OutputError

    with pytest.raises(OutputError, match="--force"):
        write_template(path, kinds=("household",))
    assert path.read_bytes() == b"keep me"
    write_template(path, kinds=("household",), overwrite=True)
    assert read_template_metadata(path)["sheets"] == {"household": "农户监测"}
