"""Specification of linkage.ingest: good files become tidy Parquet; bad ones say where and why."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from linkage.errors import DataValidationError, InputError, OutputError
from linkage.ingest import IngestResult, ValidationReport, ingest, load_table, validate_file
from linkage.provenance import file_sha256, read_provenance
from linkage.schemas import SCHEMA_VERSION

COUNTY_CSV = (
    "区划代码,县名,年份,农村居民人均可支配收入（元）,农村居民恩格尔系数(%),森林覆盖率\n"
    "011001,甲县,2020,\"12,345\",３２．５,40\n"
    "011001,甲县,2021,13000,31,\n"
    "990102,乙县,2020,9000,—,30.5\n"
)
REGIONS = ["011001", "990102"]


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _bad_county(raw_dir: Path, small_framework, out_dir: Path, text: str, **kwargs
                ) -> DataValidationError:
    """Ingest a bad county CSV; return the error after checking nothing was written."""
    source = _write(raw_dir / "bad.csv", text)
    with pytest.raises(DataValidationError) as info:
        ingest(source, kind="county", framework=small_framework, out_dir=out_dir, **kwargs)
    assert not out_dir.exists() or not any(out_dir.iterdir())
    assert "bad.csv" in str(info.value)
    return info.value


def _household_csv(frame: pd.DataFrame, path: Path, headings: dict[str, str] | None = None
                   ) -> Path:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == bool or str(out[col].dtype) == "boolean":
            out[col] = out[col].map({True: "是", False: "否"})
    out.rename(columns=headings or {}).to_csv(path, index=False)
    return path


# --- good input ---
def test_county_csv_with_chinese_headings_becomes_parquet(raw_dir, out_dir, small_framework):
    source = _write(raw_dir / "county_panel.csv", COUNTY_CSV)
    before = _fingerprint(source)
    result = ingest(source, kind="county", framework=small_framework, regions=REGIONS,
                    out_dir=out_dir)
    assert isinstance(result, IngestResult)
    assert result.path == out_dir / "county_panel.county.parquet"
    assert _fingerprint(source) == before
    data = pd.read_parquet(result.path)
    assert data.columns.tolist() == ["region_code", "region_name", "year", "rural_income",
                                     "engel_coefficient", "forest_cover"]
    assert data["region_code"].tolist() == ["011001", "011001", "990102"]
    assert data["year"].dtype == "int64"
    # thousands separator and full-width digits are numbers; "—" is missing
    assert data["rural_income"].tolist() == [12345.0, 13000.0, 9000.0]
    assert data["engel_coefficient"].iloc[0] == 32.5
    assert pd.isna(data["engel_coefficient"].iloc[2])
    pd.testing.assert_frame_equal(data, result.to_frame())


def test_provenance_embedded_records_source_hash_schema_and_framework(raw_dir, out_dir,
                                                                       small_framework):
    """One file: data and provenance are written by one rename and cannot disagree."""
    source = _write(raw_dir / "county_panel.csv", COUNTY_CSV)
    result = ingest(source, kind="county", framework=small_framework, regions=REGIONS,
                    out_dir=out_dir, name="省级面板")
    record = read_provenance(result.path)
    assert record == json.loads(json.dumps(result.provenance, default=str))
    assert record["inputs"]["source"]["sha256"] == file_sha256(source)
    assert record["schema_version"] == SCHEMA_VERSION
    assert record["framework"] == {"id": "test_fw", "version": "0.1"}
    assert record["kind"] == "county"
    assert record["rows"] == 3
    assert record["columns"][:3] == ["region_code", "region_name", "year"]
    assert record["source"]["encoding"]
    assert sorted(p.name for p in out_dir.iterdir() if not p.name.endswith(".lock")) == [
        "省级面板.county.parquet"]


def test_gbk_csv_is_read(raw_dir, out_dir, small_framework):
    source = _write(raw_dir / "gbk.csv", COUNTY_CSV, encoding="gbk")
    result = ingest(source, kind="county", framework=small_framework, regions=REGIONS,
                    out_dir=out_dir)
    assert result.data["region_name"].tolist() == ["甲县", "甲县", "乙县"]


def test_absent_indicators_are_warned_about(raw_dir, out_dir, small_framework):
    source = _write(raw_dir / "p.csv", "区划代码,年份,森林覆盖率\n990101,2020,40\n")
    result = ingest(source, kind="county", framework=small_framework, out_dir=out_dir)
    assert result.columns == ("region_code", "year", "forest_cover")
    assert any("rural_income" in w and "engel_coefficient" in w for w in result.warnings)


def test_load_table_passes_on_what_ingest_would_print(raw_dir, small_framework):
    source = _write(raw_dir / "p.csv", "区划代码,年份,森林覆盖率\n990101,2020,40\n")
    with pytest.warns(UserWarning, match="rural_income") as caught:
        table = load_table(source, kind="county", framework=small_framework)
    assert all("p.csv" in str(w.message) for w in caught)
    assert any("engel_coefficient" in w for w in table.attrs["warnings"])


def test_mapping_and_allow_extra(raw_dir, out_dir, small_framework):
    source = _write(raw_dir / "p.csv", "代码,年份,收入,备注\n990101,2020,100,a\n")
    result = ingest(source, kind="county", framework=small_framework, out_dir=out_dir,
                    mapping={"代码": "region_code", "收入": "rural_income"}, allow_extra=True)
    assert result.data["rural_income"].tolist() == [100.0]
    assert result.data["备注"].tolist() == ["a"]


def test_numeric_region_codes_from_excel_are_zero_padded(raw_dir, out_dir, small_framework):
    wb = Workbook()
    ws = wb.active
    ws.append(["区划代码", "年份", "森林覆盖率"])
    ws.append([11010, 2020, 40.0])
    ws.append(["990101", 2020, 41.0])
    source = raw_dir / "codes.xlsx"
    wb.save(source)
    result = ingest(source, kind="county", framework=small_framework, out_dir=out_dir,
                    regions=["011010", "990101"])
    assert result.data["region_code"].tolist() == ["011010", "990101"]


def test_household_ingest_computes_income_pc_and_reads_yes_no(raw_dir, out_dir,
                                                              household_rows):
    frame = household_rows.drop(columns=["income_pc"])
    source = _household_csv(frame, raw_dir / "hh.csv",
                            {"household_id": "户编号", "hh_size": "家庭人口（人）",
                             "income_business": "经营净收入", "exited_poor": "脱贫户"})
    result = ingest(source, kind="household", out_dir=out_dir)
    data = pd.read_parquet(result.path)
    assert result.path.name == "hh.household.parquet"
    assert data[["household_id", "year"]].values.tolist() == [
        ["H001", 2021], ["H001", 2022], ["H002", 2021]]
    assert data["income_pc"].tolist() == [7000.0, 7000.0, 4100.0]
    assert data["income_business"].min() == -1000.0
    assert data["exited_poor"].tolist() == [True, True, False]
    assert data["exited_poor"].dtype == bool
    assert data["risk_eliminated"].isna().tolist() == [True, True, False]
    assert any("人均纯收入" in w for w in result.warnings)


def test_regions_file_is_used(raw_dir, out_dir, small_framework):
    counties = _write(raw_dir / "counties.csv", "region_code,region_name\n990101,甲县\n")
    source = _write(raw_dir / "p.csv", "区划代码,年份,森林覆盖率\n990101,2020,40\n990102,2020,41\n")
    err = _bad_county(raw_dir, small_framework, out_dir,
                      source.read_text(encoding="utf-8"), regions=counties)
    assert (err.row, err.column) == (3, "区划代码")
    assert "counties.csv" in err.problem and "990102" in err.problem


@pytest.mark.parametrize("regions", [
    pd.DataFrame({"区划代码": [11001, 990102]}),  # numbers as from Excel: zero-padded
    pd.Series(["011001", "990102"]),
])
def test_regions_as_table_or_codes(raw_dir, out_dir, small_framework, regions):
    source = _write(raw_dir / "county_panel.csv", COUNTY_CSV)
    result = ingest(source, kind="county", framework=small_framework, regions=regions,
                    out_dir=out_dir)
    assert result.rows == 3
    with pytest.raises(DataValidationError, match="990102"):
        ingest(source, kind="county", framework=small_framework, regions=regions[:1],
               out_dir=out_dir, overwrite=True)


# --- bad input: clear message, nothing written ---
def test_text_in_numeric_column(raw_dir, out_dir, small_framework):
    err = _bad_county(raw_dir, small_framework, out_dir,
                      "区划代码,年份,森林覆盖率\n990101,2020,40\n990101,2021,\"12,3a\"\n")
    assert (err.row, err.column) == (3, "森林覆盖率")
    assert "不是数字" in err.problem and "12,3a" in err.problem
    assert "第 3 行" in str(err) and "森林覆盖率" in str(err)


def test_ambiguous_decimal_comma_and_percent_are_rejected(raw_dir, out_dir, small_framework):
    err = _bad_county(raw_dir, small_framework, out_dir,
                      "区划代码,年份,森林覆盖率\n990101,2020,\"12,3\"\n990101,2021,35%\n")
    assert err.problems["row"].tolist() == [2, 3]
    assert "另有 1 处问题" in str(err) and "--problems" in str(err) and "err.problems" in str(err)


def test_two_headings_for_one_column(raw_dir, out_dir, small_framework):
    err = _bad_county(raw_dir, small_framework, out_dir,
                      "区划代码,年份,森林覆盖率,forest_cover\n990101,2020,40,41\n")
    assert err.column == "forest_cover"
    assert "森林覆盖率" in err.problem


def test_missing_column(raw_dir, out_dir, small_framework):
    err = _bad_county(raw_dir, small_framework, out_dir, "区划代码,森林覆盖率\n990101,40\n")
    assert err.column == "year"
    assert "缺少必需的列" in err.problem and "年份" in err.problem


def test_no_indicator_column(raw_dir, out_dir, small_framework):
    err = _bad_county(raw_dir, small_framework, out_dir, "区划代码,年份,人口\n990101,2020,4\n")
    assert "没有识别出任何指标列" in str(err.problems["problem"].tolist())


def test_duplicate_key(raw_dir, out_dir, small_framework):
    err = _bad_county(raw_dir, small_framework, out_dir,
                      "区划代码,年份,森林覆盖率\n990101,2020,40\n990102,2020,1\n990101,2020,41\n")
    assert err.row == 4
    assert "重复" in err.problem and "第 2 行" in err.problem


def test_unknown_and_malformed_region_codes(raw_dir, out_dir, small_framework):
    err = _bad_county(raw_dir, small_framework, out_dir,
                      "区划代码,年份,森林覆盖率\n000101,2020,40\n99010,2020,41\n")
    assert err.problems[["row", "column"]].values.tolist() == [[2, "区划代码"], [3, "区划代码"]]
    assert "省级代码" in err.problems.loc[0, "problem"]
    assert "6 位数字" in err.problems.loc[1, "problem"]


def test_negative_household_income(raw_dir, out_dir, household_rows):
    frame = household_rows.copy()
    frame.loc[1, ["income_wage", "income_pc"]] = [-100.0, 4050.0]
    source = _household_csv(frame, raw_dir / "hh.csv", {"income_wage": "工资性收入"})
    with pytest.raises(DataValidationError) as info:
        ingest(source, kind="household", out_dir=out_dir)
    err = info.value
    assert (err.row, err.column) == (3, "工资性收入")
    assert "收入为负数" in err.problem and "经营净收入" in err.hint
    assert not out_dir.exists()


def test_empty_file(raw_dir, out_dir, small_framework):
    source = _write(raw_dir / "empty.csv", "")
    with pytest.raises(InputError) as info:
        ingest(source, kind="county", framework=small_framework, out_dir=out_dir)
    assert "empty.csv" in str(info.value)
    assert not out_dir.exists()


def test_header_only_file(raw_dir, out_dir, small_framework):
    source = _write(raw_dir / "header.csv", "区划代码,年份,森林覆盖率\n")
    with pytest.raises(InputError) as info:
        ingest(source, kind="county", framework=small_framework, out_dir=out_dir)
    assert "header.csv" in str(info.value) and "没有数据行" in str(info.value)
    assert not out_dir.exists()


def test_wrong_encoding(raw_dir, out_dir, small_framework):
    source = raw_dir / "latin.csv"
    source.write_bytes("区划代码,年份\n".encode() + b"\x81\xff\xfe\x80\x00\x9f\n" * 5)
    with pytest.raises(InputError) as info:
        ingest(source, kind="county", framework=small_framework, out_dir=out_dir)
    assert "latin.csv" in str(info.value)
    assert not out_dir.exists()
    report = validate_file(source, kind="county", framework=small_framework)
    assert not report.ok and len(report.problems) == 1


def test_failed_reingest_keeps_earlier_output(raw_dir, out_dir, small_framework):
    source = _write(raw_dir / "panel.csv", COUNTY_CSV)
    first = ingest(source, kind="county", framework=small_framework, regions=REGIONS,
                   out_dir=out_dir)
    saved = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    _write(source, COUNTY_CSV.replace("13000", "13,0x0"))  # also one field too many
    with pytest.raises(InputError):
        ingest(source, kind="county", framework=small_framework, regions=REGIONS,
               out_dir=out_dir, overwrite=True)
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == saved
    assert first.path.exists()


# --- validate_file ---
def test_validate_file_lists_all_problems_and_writes_nothing(raw_dir, small_framework,
                                                             monkeypatch, tmp_path):
    monkeypatch.setenv("LINKAGE_HOME", str(tmp_path))
    source = _write(raw_dir / "bad.csv",
                    "区划代码,年份,森林覆盖率,其他\n990101,1800,40,1\n990101,2020,x,2\n")
    before = sorted(tmp_path.rglob("*"))
    report = validate_file(source, kind="county", framework=small_framework)
    assert isinstance(report, ValidationReport)
    assert not report.ok
    table = report.to_frame()
    assert table.columns.tolist() == ["file", "row", "column", "problem", "hint"]
    assert table["row"].tolist()[1:] == [2, 3] and pd.isna(table["row"].iloc[0])
    assert table["column"].tolist() == ["其他", "年份", "森林覆盖率"]
    assert (table["file"] == str(source)).all()
    assert "发现 3 处问题" in report.summary()
    assert sorted(tmp_path.rglob("*")) == before


def test_validate_file_ok(raw_dir, small_framework):
    source = _write(raw_dir / "ok.csv", COUNTY_CSV)
    report = validate_file(source, kind="county", framework=small_framework, regions=REGIONS)
    assert report.ok and report.problems.empty and report.rows == 3
    assert "校验通过" in report.summary()


# --- property: row order does not matter ---
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fixtures only read
@given(st.permutations(range(6)))
def test_row_order_does_not_change_output(tmp_path, small_framework, order):
    lines = COUNTY_CSV.splitlines()
    body = [*lines[1:], "990102,乙县,2021,9500,40,31", "990102,乙县,2022,9900,39,32",
            "011001,甲县,2022,14000,30,"]
    folder = tmp_path / "perm"
    folder.mkdir(exist_ok=True)
    reference = _write(folder / "ref.csv", "\n".join([lines[0], *body]) + "\n")
    shuffled = _write(folder / "shuffled.csv",
                      "\n".join([lines[0], *[body[i] for i in order]]) + "\n")
    kwargs = {"kind": "county", "framework": small_framework, "regions": REGIONS,
              "out_dir": folder / "out", "overwrite": True}
    a = ingest(reference, **kwargs).data
    b = ingest(shuffled, **kwargs).data
    pd.testing.assert_frame_equal(a, b)


# --- outputs: names, places, replacement ([5b/8]) ---
@pytest.mark.parametrize("name", ["../raw/x", "a/b", "/abs", ".hidden", "..", "a\\b", ""])
def test_output_name_must_be_plain(raw_dir, out_dir, small_framework, name):
    source = _write(raw_dir / "p.csv", COUNTY_CSV)
    with pytest.raises(OutputError, match="name"):
        ingest(source, kind="county", framework=small_framework, out_dir=out_dir, name=name)
    assert not out_dir.exists()


def test_never_writes_inside_data_raw(raw_dir, small_framework, monkeypatch, tmp_path):
    home = tmp_path / "home"
    (home / "data" / "raw").mkdir(parents=True)
    (home / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("LINKAGE_HOME", str(home))
    source = _write(raw_dir / "p.csv", COUNTY_CSV)
    with pytest.raises(OutputError, match="data/raw"):
        ingest(source, kind="county", framework=small_framework,
               out_dir=home / "data" / "raw" / "sub")
    assert not any((home / "data" / "raw").rglob("*"))


def test_existing_output_replaced_only_with_overwrite(raw_dir, out_dir, small_framework):
    source = _write(raw_dir / "p.csv", COUNTY_CSV)
    first = ingest(source, kind="county", framework=small_framework, out_dir=out_dir,
                   regions=REGIONS)
    before = first.path.read_bytes()
    with pytest.raises(OutputError, match="--force"):
        ingest(source, kind="county", framework=small_framework, out_dir=out_dir,
                   regions=REGIONS)
    assert first.path.read_bytes() == before
    ingest(_write(source, COUNTY_CSV.replace("13000", "13500")), kind="county",
           framework=small_framework, out_dir=out_dir, overwrite=True, regions=REGIONS)
    assert read_provenance(first.path)["inputs"]["source"]["sha256"] == file_sha256(source)


def test_leftover_temporary_files_are_cleaned_on_the_next_run(raw_dir, out_dir,
                                                              small_framework):
    out_dir.mkdir()
    stale = out_dir / ".p.county.parquet.abc123.tmp"
    stale.write_bytes(b"half a parquet file")
    other = out_dir / ".other.parquet.x.tmp"  # another output's temp: not ours to remove
    other.write_bytes(b"")
    ingest(_write(raw_dir / "p.csv", COUNTY_CSV), kind="county", framework=small_framework,
           out_dir=out_dir, regions=REGIONS)
    assert not stale.exists() and other.exists()


def test_mapping_key_absent_from_the_file_is_a_problem(raw_dir, small_framework):
    source = _write(raw_dir / "p.csv", COUNTY_CSV)
    report = validate_file(source, kind="county", framework=small_framework,
                           mapping={"森林覆盖率（%）": "forest_cover"}, regions=REGIONS)
    assert not report.ok
    assert report.problems["column"].tolist() == ["森林覆盖率（%）"]
    assert "森林覆盖率" in report.problems["hint"].iloc[0]  # the closest heading


def test_household_file_read_as_county_gets_one_hint(raw_dir, household_rows, small_framework):
    source = _household_csv(household_rows, raw_dir / "hh.csv")
    report = validate_file(source, kind="county", framework=small_framework)
    assert len(report.problems) == 1
    assert "--kind household" in report.problems["hint"].iloc[0]


def test_names_in_household_id_are_problems_without_the_names(raw_dir, household_rows):
    rows = household_rows.assign(household_id=["张建国", "H002", "张建国"])
    report = validate_file(_household_csv(rows, raw_dir / "hh.csv"), kind="household")
    named = report.problems[report.problems["problem"].str.contains("人名")]
    assert named["row"].tolist() == [2, 4]
    assert "张建国" not in report.summary() and "张建国" not in report.problems.to_string()


def test_problem_texts_never_show_long_digit_runs(raw_dir, small_framework):
    source = _write(raw_dir / "p.csv", "区划代码,年份,森林覆盖率\n990101,2020,11010519491231002X\n")
    report = validate_file(source, kind="county", framework=small_framework)
    assert not report.ok
    assert "11010519491231002X" not in report.summary()
    assert "11010519491231002X" not in report.problems.to_string()


# --- large files are validated in parts ([5b/8]) ---
_HEAD = "区划代码,县名,年份,农村居民人均可支配收入（元）,农村居民恩格尔系数(%),森林覆盖率\n"
_MANY = [f"99{i // 90:02d}{i % 90 + 1:02d},县{i},2020,{9000 + i},30,40" for i in range(150)]


def _lines(rows: list[str]) -> str:
    return _HEAD + "\n".join(rows) + "\n"


STREAM_CASES = {
    "valid": _lines(_MANY),
    "bad cells and duplicates across parts": _lines([
        *_MANY[:10], "990102,乙县,2021,x,31,", ",乙县,2021,1,2,3", *_MANY[10:100],
        "990102,乙县,1800,9000,30,130", _MANY[3], _MANY[3], *_MANY[100:],
        "990102,乙县,2021,1,2,3", _MANY[149]]),
    "title, notes and blank rows": "表1 测试\n" + _lines([*_MANY[:70], "", "", *_MANY[70:]])
    + "\n注：资料来源 测试\n",
}


@pytest.mark.parametrize("case", list(STREAM_CASES))
@pytest.mark.parametrize("chunk_rows", [1, 7, 50, 1000])
def test_validation_in_parts_equals_validation_in_one_piece(raw_dir, small_framework,
                                                            monkeypatch, case, chunk_rows):
    import linkage.ingest
    import linkage.readers.table

    source = _write(raw_dir / "p.csv", STREAM_CASES[case])
    whole = validate_file(source, kind="county", framework=small_framework)
    monkeypatch.setattr(linkage.ingest, "STREAM_BYTES", 0)
    monkeypatch.setattr(linkage.readers.table, "CHUNK_ROWS", chunk_rows)
    parts = validate_file(source, kind="county", framework=small_framework)
    assert whole.ok == (not case.startswith("bad"))
    pd.testing.assert_frame_equal(parts.problems, whole.problems)
    assert (parts.ok, parts.rows, parts.warnings) == (whole.ok, whole.rows, whole.warnings)


def test_household_validation_in_parts_finds_duplicates_across_parts(raw_dir, household_rows,
                                                                     monkeypatch):
    import linkage.ingest
    import linkage.readers.table

    many = pd.concat([household_rows] * 30, ignore_index=True)
    many["household_id"] = [f"H{i:03d}" for i in range(len(many))]
    rows = pd.concat([many, many.iloc[[0]]], ignore_index=True)
    rows.loc[[3, 80], "income_pc"] = None  # blank: computed, counted in a warning
    source = _household_csv(rows, raw_dir / "hh.csv")
    whole = validate_file(source, kind="household")
    monkeypatch.setattr(linkage.ingest, "STREAM_BYTES", 0)
    monkeypatch.setattr(linkage.readers.table, "CHUNK_ROWS", 2)
    parts = validate_file(source, kind="household")
    pd.testing.assert_frame_equal(parts.problems, whole.problems)
    assert parts.problems["row"].tolist() == [len(rows) + 1]
    assert parts.warnings == whole.warnings
    assert any("2 个空白" in w for w in parts.warnings)


# --- region levels, short codes, declared ranges ([6/8] part 4 and 5) ----------------------------
PROVINCE_CSV = ("区划代码,省份,年份,农村居民人均可支配收入\n"
                "110000,北京,2020,30126\n120000,天津,2020,25691\n"
                "110000,北京,2019,28928\n120000,天津,2019,24804\n")


def test_a_province_panel_is_ingested_with_its_level_in_name_and_provenance(raw_dir, out_dir):
    source = _write(raw_dir / "prov.csv", PROVINCE_CSV)
    result = ingest(source, kind="province", out_dir=out_dir)
    assert result.path.name == "prov.province.parquet"
    record = read_provenance(result.path)
    assert (record["kind"], record["level"]) == ("province", "province")
    assert result.data["region_code"].tolist() == ["110000", "110000", "120000", "120000"]
    assert load_table(result.path, kind="panel").attrs["kind"] == "province"


def test_kind_panel_takes_the_level_of_the_codes(raw_dir, out_dir):
    source = _write(raw_dir / "prov.csv", PROVINCE_CSV)
    assert validate_file(source, kind="panel").kind == "province"
    result = ingest(source, kind="panel", out_dir=out_dir)
    assert result.path.name == "prov.province.parquet" and result.kind == "province"


def test_a_province_file_checked_as_a_county_panel_gets_one_problem_naming_the_kind(raw_dir):
    report = validate_file(_write(raw_dir / "prov.csv", PROVINCE_CSV), kind="county")
    assert not report.ok and len(report.problems) == 1
    problem = report.problems.iloc[0]
    assert "省级面板" in problem["problem"] and "4 个区划代码都是省级代码" in problem["problem"]
    assert "--kind province" in problem["hint"]


def test_province_codes_among_county_codes_are_flagged_row_by_row(raw_dir):
    text = ("区划代码,年份,农村居民人均可支配收入\n990102,2020,9000\n110000,2020,30126\n"
            "130100,2020,17000\n000000,2020,17131\n")
    report = validate_file(_write(raw_dir / "mixed.csv", text), kind="county")
    got = {int(r.row): r.problem for r in report.problems.itertuples()}
    assert set(got) == {3, 4, 5}
    assert "省级代码" in got[3] and "地级代码" in got[4] and "全国合计" in got[5]
    assert set(report.problems["column"]) == {"区划代码"}


def test_two_digit_province_codes_from_stata_become_six_digits_with_a_note(raw_dir, out_dir):
    frame = pd.DataFrame({"region_code": [11, 12, 11], "year": [2020, 2020, 2021],
                          "rural_income_pc": [30126.0, 25691.0, 33303.0]})
    source = raw_dir / "prov.dta"
    frame.to_stata(source, write_index=False)
    result = ingest(source, kind="province", out_dir=out_dir)
    assert result.data["region_code"].tolist() == ["110000", "110000", "120000"]
    note = next(w for w in result.warnings if "2 位省级代码" in w)
    assert "3 个" in note and "11 → 110000" in note
    assert note in read_provenance(result.path)["warnings"]


def test_four_digit_prefecture_codes_become_six_digits_with_a_note(raw_dir):
    text = "区划代码,年份,农村居民人均可支配收入\n1301,2020,17000\n1302,2020,16000\n"
    report = validate_file(_write(raw_dir / "pref.csv", text), kind="prefecture")
    assert report.ok, report.problems
    assert any("2 个 4 位地级代码已补为 6 位（如 1301 → 130100" in w for w in report.warnings)


def test_short_codes_that_are_no_province_are_not_completed(raw_dir):
    text = "区划代码,年份,农村居民人均可支配收入\n10,2020,1\n0101,2020,2\n"
    report = validate_file(_write(raw_dir / "bad.csv", text), kind="county")
    assert report.problems["problem"].str.contains("不是 6 位数字").tolist() == [True, True]
    assert not any("补为" in w for w in report.warnings)


def test_codes_unknown_to_the_code_table_are_noted_not_refused(raw_dir):
    """Offline: a code no 民政部 table of 2014–2024 knows is named in a note (it may be an
    older code), an NBS 管委会 unit (xx7x) is said to be one, real and simulated codes pass."""
    text = ("区划代码,年份,农村居民人均可支配收入\n130223,2016,9000\n130171,2020,17000\n"
            "139999,2020,16000\n990102,2020,15000\n130284,2020,18000\n")
    report = validate_file(_write(raw_dir / "codes.csv", text), kind="county")
    assert report.ok, report.problems
    functional = [w for w in report.warnings if "功能区" in w]
    unknown = [w for w in report.warnings if "不在民政部" in w]
    assert len(functional) == 1 and "1 个" in functional[0] and "130171" in functional[0]
    assert len(unknown) == 1 and "1 个" in unknown[0] and "139999" in unknown[0]
    assert not any("990102" in w or "130223" in w or "130284" in w for w in report.warnings)


def test_a_negative_income_is_an_error_naming_row_and_column(raw_dir):
    text = "区划代码,年份,农村居民人均可支配收入\n990102,2020,9000\n990102,2021,-15000\n"
    report = validate_file(_write(raw_dir / "neg.csv", text), kind="county")
    assert len(report.problems) == 1
    problem = report.problems.iloc[0]
    assert (problem["row"], problem["column"]) == (3, "农村居民人均可支配收入")
    assert "-15000" in problem["problem"] and "≥ 0" in problem["problem"]


def test_a_rural_urban_ratio_mapped_onto_the_urban_rural_ratio_looks_inverted(raw_dir):
    text = "区划代码,年份,城乡收入比\n990102,2020,2.5\n990102,2021,0.4\n"
    report = validate_file(_write(raw_dir / "ratio.csv", text), kind="county",
                           mapping={"城乡收入比": "urban_rural_income_ratio"})
    assert report.problems[["row", "column"]].values.tolist() == [[3, "城乡收入比"]]
    assert "倒数" in report.problems.loc[0, "problem"]
    assert "0.4" in report.problems.loc[0, "problem"]


def test_mapping_keys_ignore_padding_spaces_in_ingest_as_in_read_table(raw_dir):
    text = "区划代码,年份,人均 收入\n990102,2020,9000\n"
    report = validate_file(_write(raw_dir / "pad.csv", text), kind="county",
                           mapping={"人均收入": "rural_income_pc"})
    assert report.ok, report.problems


def test_blank_duplicate_keys_are_missing_values_not_a_crash(raw_dir, out_dir):
    """The issue's three lines: TypeError in the duplicate-key check (pandas 3 kept NaN in
    astype(str)); now each blank code is reported, and ingest raises DataValidationError."""
    source = _write(raw_dir / "blank.csv",
                    "区划代码,年份,农村居民人均可支配收入\n,2020,2\n,2020,3\n")
    report = validate_file(source, kind="county")
    assert report.problems[["row", "problem"]].values.tolist() == [[2, "缺少必填值"],
                                                                   [3, "缺少必填值"]]
    with pytest.raises(DataValidationError, match="缺少必填值"):
        ingest(source, kind="county", out_dir=out_dir)


# --- the problems file ----------------------------------------------------------------------------
def _bad_report(raw_dir) -> ValidationReport:
    text = ("区划代码,年份,农村居民人均可支配收入,=备注\n990102,2020,-1,x\n"
            "990102,2021,-2,\n")
    return validate_file(_write(raw_dir / "bad.csv", text), kind="county")


def test_every_problem_is_written_as_csv_for_excel(raw_dir, out_dir):
    report = _bad_report(raw_dir)
    path = report.write_problems(out_dir / "问题.csv")
    table = pd.read_csv(path, encoding="utf-8-sig", dtype={"行": "Int64"})
    assert table.columns.tolist() == ["文件", "行", "列", "问题", "建议"]
    assert len(table) == len(report.problems) == 3
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "--allow-extra" in table.loc[table["列"] == "=备注", "建议"].iloc[0]


def test_problems_as_xlsx_are_text_never_formulas_and_written_atomically(raw_dir, out_dir):
    from openpyxl import load_workbook

    report = _bad_report(raw_dir)
    path = report.write_problems(out_dir / "问题.xlsx")
    sheet = load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type in ("s", "n") for c in cells)
    assert "=备注" in [c.value for c in cells]  # a heading starting with "=" stays text
    assert [c.value for c in sheet[1]] == ["文件", "行", "列", "问题", "建议"]
    assert sheet.max_row == 1 + len(report.problems)
    assert sorted(p.name for p in out_dir.iterdir()) == ["问题.xlsx"]  # no temporary left
    with pytest.raises(OutputError, match=r"已存在|exists"):
        report.write_problems(path)
    with pytest.raises(OutputError, match=r"\.csv 或 \.xlsx"):
        report.write_problems(out_dir / "问题.txt")


def test_municipalities_are_cities_in_a_prefecture_panel(raw_dir):
    """中国城市统计年鉴 lists 北京 (110000) and 重庆 (500000) among the prefecture-level cities."""
    text = ("区划代码,年份,农村居民人均可支配收入\n110000,2020,30126\n500000,2020,16361\n"
            "130100,2020,17000\n130200,2020,19000\n")
    source = _write(raw_dir / "cities.csv", text)
    assert validate_file(source, kind="prefecture").ok
    assert validate_file(source, kind="panel").kind == "prefecture"
    county = validate_file(source, kind="county")
    assert len(county.problems) == 1 and "--kind prefecture" in county.problems.loc[0, "hint"]
    text = text.replace("130100", "440000")  # 广东 is a province, not a city
    report = validate_file(_write(raw_dir / "bad.csv", text), kind="prefecture")
    assert report.problems["row"].tolist() == [4]
    assert "省级代码" in report.problems.loc[0, "problem"]


@given(codes=st.lists(st.sampled_from(["11", "12", "13", "14", "15", "21", "22", "23", "31",
                                       "32", "33", "34", "35", "36", "37", "41", "42", "43",
                                       "44", "45", "46", "50", "51", "52", "53", "54", "61",
                                       "62", "63", "64", "65"]),
                      min_size=1, max_size=8, unique=True),
       as_numbers=st.booleans())
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_two_digit_and_six_digit_province_codes_give_the_same_panel(raw_dir, codes,
                                                                    as_numbers):
    """Completing short codes is invariant: 11 (number or text) reads as 110000 does."""
    years = list(range(2018, 2018 + len(codes)))

    def panel(column: list[object], name: str) -> pd.DataFrame:
        frame = pd.DataFrame({"region_code": column, "year": years,
                              "rural_income_pc": [1000.0 * (i + 1) for i in range(len(codes))]})
        path = raw_dir / name
        if path.suffix == ".dta":  # Stata keeps the codes as numbers: 11, 12, ...
            frame.to_stata(path, write_index=False)
        else:
            frame.to_csv(path, index=False)
        return load_table(path, kind="province")

    short = panel([int(c) for c in codes] if as_numbers else codes,
                  "short.dta" if as_numbers else "short.csv")
    full = panel([c + "0000" for c in codes], "full.csv")
    pd.testing.assert_frame_equal(short, full)
    assert any("2 位省级代码已补为 6 位" in w for w in short.attrs["warnings"])
