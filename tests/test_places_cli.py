"""``linkage places FILE``: a copy with region codes, the rows left without one, exit 0/2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from linkage.cli import main
from linkage.escaping import xlsx_text
from linkage.paths import data_raw

YEARBOOK = "地区,区县,年份,产值\n广东,南山区,2020,1\n黑龙江,南山区,2020,2\n全 国,,2020,3\n"


@pytest.fixture
def yearbook(tmp_path: Path) -> Path:
    path = tmp_path / "年鉴.csv"
    path.write_text(YEARBOOK, encoding="utf-8")
    return path


def test_all_resolved_writes_the_codes_and_exits_0(yearbook, tmp_path, capsys):
    out = tmp_path / "out.csv"
    code = main(["places", str(yearbook), "--province", "地区", "--county", "区县",
                 "--vintage", "2020", "-o", str(out)])
    assert code == 0
    coded = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert coded["region_code"].tolist() == ["440305", "230404", "000000"]
    assert coded["region_match"].tolist() == ["exact", "exact", "normalized"]
    assert list(coded.columns[:4]) == ["地区", "区县", "年份", "产值"]  # the file's columns kept
    printed = capsys.readouterr().out
    assert str(out) in printed and "exact 2" in printed


def test_unresolved_and_ambiguous_rows_are_listed_with_their_rows_and_exit_2(tmp_path, capsys):
    path = tmp_path / "names.csv"
    path.write_text("区县,值\n和平区,1\n南山区,2\n石家庄高新区,3\n滦县,4\n", encoding="utf-8")
    out = tmp_path / "coded.csv"
    assert main(["places", str(path), "--county", "区县", "-o", str(out)]) == 2
    printed = capsys.readouterr().out
    assert "第 2 行" in printed and "120101" in printed and "210102" in printed  # 和平区
    assert "第 3 行" in printed  # 南山区 without province: 深圳 or 鹤岗
    assert "第 4 行" in printed and "管委会" in printed
    assert "第 5 行" not in printed  # 滦县 is one county
    assert pd.read_csv(out, dtype=str)["region_code"].iloc[3] == "130223"


def test_a_year_column_as_vintage(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("省,县,年\n河北,滦县,2016\n河北,滦县,2019\n", encoding="utf-8")
    out = tmp_path / "coded.csv"
    assert main(["places", str(path), "--province", "省", "--county", "县", "--vintage", "年",
                 "-o", str(out)]) == 0
    assert pd.read_csv(out, dtype=str)["region_code"].tolist() == ["130223", "130284"]


def test_gbk_csv_and_default_output_in_the_current_folder(tmp_path, monkeypatch):
    path = tmp_path / "gbk.csv"
    path.write_bytes("省份,值\n内蒙古自治区,1\n广西,2\n".encode("gbk"))
    monkeypatch.chdir(tmp_path)
    assert main(["places", str(path), "--province", "省份"]) == 0
    coded = pd.read_csv(tmp_path / "gbk_coded.csv", dtype=str, encoding="utf-8-sig")
    assert coded["region_code"].tolist() == ["150000", "450000"]


def test_xlsx_in_xlsx_out_strings_stay_text(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["省份", "说明"])
    sheet.append(["北京"])
    xlsx_text(sheet["B2"], "=1+1")  # a text cell that looks like a formula
    source = tmp_path / "in.xlsx"
    book.save(source)
    out = tmp_path / "out.xlsx"
    assert main(["places", str(source), "--province", "省份", "-o", str(out)]) == 0
    cells = {c.value: c for c in load_workbook(out).active[2]}
    assert "110000" in cells and cells["110000"].data_type == "s"
    assert "=1+1" in cells and cells["=1+1"].data_type == "s"  # never a formula


def test_outputs_are_refused_in_data_raw_over_existing_files_and_of_other_types(yearbook,
                                                                                tmp_path,
                                                                                capsys):
    raw = data_raw() / "reference" / "places_should_not_exist.csv"
    assert main(["places", str(yearbook), "--province", "地区", "-o", str(raw)]) == 2
    assert not raw.exists()
    out = tmp_path / "out.csv"
    out.write_text("keep", encoding="utf-8")
    assert main(["places", str(yearbook), "--province", "地区", "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "keep"
    assert "--force" in capsys.readouterr().err
    assert main(["places", str(yearbook), "--province", "地区", "-o", str(out),
                 "--force"]) == 0
    assert main(["places", str(yearbook), "--province", "地区", "-o",
                 str(tmp_path / "out.json")]) == 2


@pytest.mark.parametrize("args", [
    ["--province", "省份"],            # no such column
    [],                                # no column named
    ["--province", "地区", "--vintage", "产值x"],  # no such year column
])
def test_bad_input_is_one_line_and_exit_2(yearbook, tmp_path, capsys, args):
    code = main(["places", str(yearbook), *args, "-o", str(tmp_path / "o.csv")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0] and "年鉴.csv" in err[0]
    assert not (tmp_path / "o.csv").exists()


def test_a_file_that_already_has_region_code_is_refused(tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_text("省份,region_code\n北京,110000\n", encoding="utf-8")
    assert main(["places", str(path), "--province", "省份", "-o", str(tmp_path / "o.csv")]) == 2
    assert "region_code" in capsys.readouterr().err
