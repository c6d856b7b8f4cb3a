"""Specification of linkage.readers: real-world CSV, Excel yearbook tables and Stata files."""

from __future__ import annotations

import random
import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkage.errors import EncodingDetectionError, InputError
from linkage.readers import NA_VALUES, detect_encoding, read_table, wide_to_long
from linkage.readers.layout import NOTE

# --------------------------------------------------------------------------- CSV & encodings

COUNTY_CSV = "区划代码,县名,人均收入（元）\n011000,甲县,15000\n011001, 乙县\u3000,—\n"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("codec", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_in_each_encoding_reads_the_same_text(tmp_path, codec, expected):
    path = write(tmp_path, "county.csv", COUNTY_CSV.encode(codec))
    df = read_table(path)
    assert detect_encoding(path) == expected
    assert df.attrs["encoding"] == expected
    assert list(df.columns) == ["区划代码", "县名", "人均收入（元）"]
    assert df["区划代码"].tolist() == ["011000", "011001"]  # leading zeros kept, not coerced
    assert df["县名"].tolist() == ["甲县", "乙县"]  # full-width space stripped
    assert df["人均收入（元）"].iloc[0] == "15000"
    assert pd.isna(df["人均收入（元）"].iloc[1])  # "—" is missing
    assert df.index.tolist() == [2, 3] and df.index.name == "row"
    assert df.attrs["source_file"] == str(path)
    assert df.attrs["header_rows"] == (1,)


def test_gb18030_character_outside_gbk(tmp_path):
    text = "姓名,村\n刘𠮷,和平村\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    path = write(tmp_path, "names.csv", text.encode("gb18030"))
    assert detect_encoding(path) == "gb18030"
    assert read_table(path)["姓名"].tolist() == ["刘𠮷"]


@pytest.mark.parametrize(
    "data",
    [
        "name,city\nMüller,Zürich\nGödel,Brünn\nRenée,café crème\n".encode("cp1252"),
        random.Random(7).randbytes(400),
    ],
    ids=["cp1252", "random"],
)
def test_bytes_neither_utf8_nor_chinese_raise_with_file_name(tmp_path, data):
    path = write(tmp_path, "western.csv", data)
    with pytest.raises(EncodingDetectionError) as info:
        read_table(path)
    assert "western.csv" in str(info.value)
    assert "encoding=" in str(info.value)
    assert info.value.row is not None


def test_encoding_error_points_at_the_line_of_the_first_bad_byte(tmp_path):
    path = write(tmp_path, "w.csv", b"name,city\nok,ok\nM\xfcller,Z\xfcrich\n")
    with pytest.raises(EncodingDetectionError) as info:
        detect_encoding(path)
    assert info.value.row == 3


def test_explicit_encoding_is_honoured_and_failure_names_the_line(tmp_path):
    path = write(tmp_path, "w.csv", "name,city\nMüller,Zürich\n".encode("cp1252"))
    assert read_table(path, encoding="cp1252")["city"].tolist() == ["Zürich"]
    gbk = write(tmp_path, "g.csv", "a,b\n1,2\n甲,乙\n".encode("gbk"))
    with pytest.raises(EncodingDetectionError) as info:
        read_table(gbk, encoding="utf-8")
    assert info.value.row == 3 and "g.csv" in str(info.value)


def test_blank_lines_keep_row_numbers_and_are_reported(tmp_path):
    path = write(tmp_path, "gaps.csv", b"code,v\n1,a\n\n3,c\n")
    df = read_table(path)
    assert df.index.tolist() == [2, 4]
    assert df.attrs["dropped_rows"] == [{"row": 3, "kind": "blank", "text": ""}]


def test_na_values_override_replaces_the_default_list(tmp_path):
    path = write(tmp_path, "h.csv", "shock,v\n无,—\n疾病,x\n".encode())
    default = read_table(path)
    assert default["shock"].tolist() == ["无", "疾病"]  # "无" is a category, not missing
    custom = read_table(path, na_values=["x", "无"])
    assert pd.isna(custom["shock"].iloc[0]) and custom["v"].tolist()[0] == "—"
    assert pd.isna(custom["v"].iloc[1])


def test_csv_saved_from_a_yearbook_sheet_skips_title_and_notes(tmp_path):
    text = "表 3-12 各县收入,,\n地区,2019,2020\n甲县,1,2\n乙县,—,4\n注：2020 年为快报数,,\n"
    df = read_table(write(tmp_path, "yb.csv", text.encode("gbk")), na_values="—")
    assert list(df.columns) == ["地区", "2019", "2020"]
    assert df.index.tolist() == [3, 4]
    assert pd.isna(df.loc[4, "2019"]) and df.loc[4, "2020"] == "4"
    assert [(d["row"], d["kind"]) for d in df.attrs["dropped_rows"]] == [(1, "title"), (5, "note")]


def test_excel_unicode_text_export_is_utf16_tab_separated(tmp_path):
    path = write(tmp_path, "export.txt", "地区\t收入\n甲县\t1\n".encode("utf-16"))
    assert detect_encoding(path) == "utf-16"
    assert read_table(path).loc[2].tolist() == ["甲县", "1"]


def test_default_missing_markers_become_missing(tmp_path):
    cells = [m for m in NA_VALUES if m and "," not in m]
    body = "\n".join(f"r{i},{m}" for i, m in enumerate(cells))
    df = read_table(write(tmp_path, "m.csv", f"id,v\n{body}\n".encode()))
    assert df["v"].isna().all() and len(df) == len(cells)


def test_tab_separated_text_and_multiline_headings(tmp_path):
    path = write(tmp_path, "t.txt", '"人均可支配\n收入"\t"per capita\nincome"\n1\t2\n'.encode())
    df = read_table(path)
    assert list(df.columns) == ["人均可支配收入", "per capita income"]
    # a quoted heading spanning lines is one spreadsheet row: rows count records, not lines
    assert df.index.tolist() == [2]


def test_unknown_suffix_names_file_and_supported_types(tmp_path):
    path = write(tmp_path, "data.sav", b"x")
    with pytest.raises(InputError) as info:
        read_table(path)
    assert (
        "data.sav" in str(info.value) and ".dta" in str(info.value) and ".xlsx" in str(info.value)
    )


@pytest.mark.parametrize("content", [b"", "区划代码,县名\n".encode("gbk"), b"\n\n"])
def test_empty_file_or_header_only(tmp_path, content):
    path = write(tmp_path, "empty.csv", content)
    with pytest.raises(InputError, match="文件为空/没有数据行") as info:
        read_table(path)
    assert "empty.csv" in str(info.value)


# ------------------------------------------------------------------------ Excel yearbook tables

# The yearbook sheet, one entry per row (1-based rows 1..10), and its merged ranges
# (first_row, last_row, first_col, last_col), 1-based inclusive.
YEARBOOK = [
    ["表 3-12 各县农村居民收支情况", None, None, None, None],
    [None, None, None, None, "单位：元"],
    ["地区", "区划代码", "农村居民", None, "是否\n脱贫县"],
    [None, None, "人均可支配\n收入(元)", "人均消费支出(元)", None],
    ["甲市", "990101", 15000, 12000.5, "是"],
    [None, "990102", "—", 11000, "否"],
    ["乙市", "990201", 13000, "…", "\u3000是 "],
    [None, None, None, None, None],
    ["注：“—”表示数据缺失，“…”表示数据不足。", None, None, None, None],
    ["资料来源：《某省统计年鉴2022》", None, None, None, None],
]
MERGES = [
    (1, 1, 1, 5),
    (3, 4, 1, 1),
    (3, 4, 2, 2),
    (3, 3, 3, 4),
    (3, 4, 5, 5),
    (5, 6, 1, 1),
    (9, 9, 1, 5),
]
MAPPING = {
    "地区": "prefecture_name",
    "区划代码": "region_code",
    "农村居民/人均可支配收入(元)": "income",
    "农村居民/人均消费支出(元)": "consumption",
}
EXPECTED = pd.DataFrame(
    {
        "prefecture_name": ["甲市", "甲市", "乙市"],
        "region_code": ["990101", "990102", "990201"],
        "income": [15000.0, np.nan, 13000.0],
        "consumption": [12000.5, 11000.0, np.nan],
    },
    index=pd.Index([5, 6, 7], name="row"),
)
EXPECTED_DROPPED = [
    {"row": 1, "kind": "title", "text": "表 3-12 各县农村居民收支情况"},
    {"row": 2, "kind": "title", "text": "单位：元"},
    {"row": 8, "kind": "blank", "text": ""},
    {"row": 9, "kind": "note", "text": "注：“—”表示数据缺失，“…”表示数据不足。"},
    {"row": 10, "kind": "note", "text": "资料来源：《某省统计年鉴2022》"},
]


def write_xlsx(path, rows, merges, *, title="表3-12"):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for r0, r1, c0, c1 in merges:
        ws.merge_cells(start_row=r0, end_row=r1, start_column=c0, end_column=c1)
    book.create_sheet("说明")
    book.save(path)
    return path


def write_xls(path, rows, merges):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("表3-12")
    covered = set()
    for r0, r1, c0, c1 in merges:
        ws.write_merge(r0 - 1, r1 - 1, c0 - 1, c1 - 1, rows[r0 - 1][c0 - 1])
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and (r, c) not in covered:
                ws.write(r - 1, c - 1, value)
    book.save(str(path))
    return path


@pytest.fixture
def yearbook_xlsx(tmp_path):
    return write_xlsx(tmp_path / "yearbook.xlsx", YEARBOOK, MERGES)


def test_yearbook_xlsx_with_mapping_gives_exact_table(yearbook_xlsx):
    df = read_table(yearbook_xlsx, mapping=MAPPING)
    pd.testing.assert_frame_equal(df, EXPECTED, check_dtype=False)
    assert df["income"].dtype == "float64"  # numbers stay numbers, "—" is NaN
    assert df.attrs["header_rows"] == (3, 4)
    assert df.attrs["sheet"] == "表3-12"
    assert df.attrs["dropped_rows"] == EXPECTED_DROPPED


def test_yearbook_xlsx_without_mapping_keeps_all_columns(yearbook_xlsx):
    df = read_table(yearbook_xlsx)
    assert list(df.columns) == [
        "地区",
        "区划代码",
        "农村居民/人均可支配收入(元)",
        "农村居民/人均消费支出(元)",
        "是否脱贫县",
    ]
    assert df["是否脱贫县"].tolist() == ["是", "否", "是"]


def test_yearbook_xls_gives_the_same_table(tmp_path):
    path = write_xls(tmp_path / "yearbook.xls", YEARBOOK, MERGES)
    df = read_table(path, mapping=MAPPING)
    pd.testing.assert_frame_equal(df, EXPECTED, check_dtype=False)
    assert df.attrs["header_rows"] == (3, 4)
    assert df.attrs["dropped_rows"] == EXPECTED_DROPPED


def test_explicit_header_rows_override_detection(yearbook_xlsx):
    df = read_table(yearbook_xlsx, header_rows=(4,))
    assert df.attrs["header_rows"] == (4,)
    assert "人均可支配收入(元)" in df.columns
    assert df.index.tolist() == [5, 6, 7]


def test_mapping_key_missing_suggests_the_close_heading(yearbook_xlsx):
    mapping = {"地区": "prefecture_name", "人均可支配收入": "income"}
    with pytest.raises(InputError) as info:
        read_table(yearbook_xlsx, mapping=mapping)
    message = str(info.value)
    assert "yearbook.xlsx" in message
    assert "最接近的列名：农村居民/人均可支配收入(元)" in message
    assert info.value.column == "人均可支配收入"


def test_mapping_from_yaml_and_csv_files(tmp_path, yearbook_xlsx):
    yaml_path = tmp_path / "map.yaml"
    yaml_path.write_text("".join(f'"{k}": {v}\n' for k, v in MAPPING.items()), encoding="utf-8")
    csv_path = write(
        tmp_path,
        "map.csv",
        ("文件列名,目标列\n" + "".join(f"{k},{v}\n" for k, v in MAPPING.items())).encode("gbk"),
    )
    for source in (yaml_path, csv_path):
        pd.testing.assert_frame_equal(
            read_table(yearbook_xlsx, mapping=source), EXPECTED, check_dtype=False
        )


def test_mapping_matches_full_width_parentheses(yearbook_xlsx):
    df = read_table(yearbook_xlsx, mapping={"农村居民/人均消费支出（元）": "consumption"})
    assert df["consumption"].tolist()[:2] == [12000.5, 11000.0]


@given(pads=st.lists(st.sampled_from([" ", "  ", "\u3000"]), min_size=3, max_size=3))
@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_mapping_ignores_padding_spaces_as_ingest_does(tmp_path, pads):
    """``省  份`` = ``省份`` for read_table's mapping, by the rule ingest uses (heading_key)."""
    from linkage.readers.mapping import heading_key

    heading = f"省{pads[0]}份"
    path = tmp_path / "padded.csv"
    path.write_text(f"{heading},人均{pads[1]}收入（元）\n北京,1\n天津,2\n", encoding="utf-8")
    df = read_table(path, mapping={"省份": "province", f"{pads[2]}人均收入(元)": "income"})
    assert df.columns.tolist() == ["province", "income"]
    assert df["income"].astype(int).tolist() == [1, 2]
    assert heading_key(heading) == heading_key("省份")


def test_mapping_guides_header_choice_when_layout_is_ambiguous(tmp_path):
    rows = [["调查表", "2022年"], ["地区", "收入"], ["甲县", 1], ["乙县", 2]]
    path = write_xlsx(tmp_path / "t.xlsx", rows, [])
    assert read_table(path).attrs["header_rows"] == (1, 2)  # two text rows look like a header
    df = read_table(path, mapping={"地区": "name", "收入": "income"})
    assert df.attrs["header_rows"] == (2,)
    assert df["income"].astype(int).tolist() == [1, 2] and df.index.tolist() == [3, 4]
    assert df.attrs["dropped_rows"] == [{"row": 1, "kind": "title", "text": "调查表"}]


def test_sheet_by_name_index_and_unknown_sheet(yearbook_xlsx):
    assert read_table(yearbook_xlsx, sheet="表3-12").shape == (3, 5)
    assert read_table(yearbook_xlsx, sheet=0).shape == (3, 5)
    with pytest.raises(InputError) as info:
        read_table(yearbook_xlsx, sheet="表9")
    assert "表3-12" in str(info.value) and "说明" in str(info.value)


def test_corrupt_excel_keeps_library_error_as_cause(tmp_path):
    path = write(tmp_path, "broken.xlsx", b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as info:
        read_table(path)
    assert "broken.xlsx" in str(info.value) and info.value.__cause__ is not None
    html = write(tmp_path, "download.xls", b"<html><table><tr><td>1</td></tr></table></html>")
    with pytest.raises(InputError, match="HTML"):
        read_table(html)


def test_xlsx_saved_as_xls_is_read_by_content(tmp_path, yearbook_xlsx):
    renamed = tmp_path / "renamed.xls"
    renamed.write_bytes(yearbook_xlsx.read_bytes())
    pd.testing.assert_frame_equal(read_table(renamed, mapping=MAPPING), EXPECTED, check_dtype=False)


def test_header_only_sheet_is_empty(tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", [["地区", "收入"]], [])
    with pytest.raises(InputError, match="文件为空/没有数据行"):
        read_table(path)


def test_option_not_applicable_to_file_type(tmp_path, yearbook_xlsx):
    with pytest.raises(InputError, match="encoding"):
        read_table(yearbook_xlsx, encoding="gbk")
    with pytest.raises(InputError, match="use_labels"):
        read_table(write(tmp_path, "a.csv", b"a\n1\n"), use_labels=True)


# ---------------------------------------------------------------------------- wide to long

WIDE = [
    ["表 5 各县农村居民人均可支配收入", None, None, None],
    ["地区", "人均可支配收入（元）", None, None],
    [None, 2019, 2020, "2021年"],
    ["甲县", 11000, 12000, "—"],
    ["乙县", 9000, 9800.5, 10100],
    ["注：2021 年为快报数。", None, None, None],
]


def test_wide_to_long_turns_a_yearbook_sheet_into_a_county_year_panel(tmp_path):
    path = write_xlsx(tmp_path / "wide.xlsx", WIDE, [(1, 1, 1, 4), (2, 3, 1, 1), (2, 2, 2, 4)])
    wide = read_table(path)
    assert wide.attrs["header_rows"] == (2, 3)
    long = wide_to_long(wide, id_columns=["地区"], value_name="income")
    expected = pd.DataFrame(
        {
            "row": [4, 4, 4, 5, 5, 5],
            "地区": ["甲县"] * 3 + ["乙县"] * 3,
            "year": [2019, 2020, 2021] * 2,
            "income": [11000.0, 12000.0, np.nan, 9000.0, 9800.5, 10100.0],
        }
    )
    pd.testing.assert_frame_equal(long, expected, check_dtype=False)
    assert long["year"].dtype == "int64"
    assert long.attrs["source_file"] == str(path)


def test_wide_to_long_rejects_non_year_columns_and_repeated_years():
    wide = pd.DataFrame(
        {"地区": ["甲"], "2019": [1], "备注": ["x"]}, index=pd.Index([2], name="row")
    )
    with pytest.raises(InputError, match="备注"):
        wide_to_long(wide, id_columns=["地区"], value_name="v")
    assert len(wide_to_long(wide, id_columns=["地区"], value_name="v", value_columns=["2019"])) == 1
    twice = pd.DataFrame({"地区": ["甲"], "a/2019": [1], "b/2019年": [2]})
    with pytest.raises(InputError, match="同一年份"):
        wide_to_long(twice, id_columns=["地区"], value_name="v")


# --------------------------------------------------------------------------------- Stata


@pytest.fixture
def dta(tmp_path):
    import pyreadstat

    frame = pd.DataFrame(
        {
            "code": [990101.0, 990102.0, 990201.0],
            "name": ["甲县", " 乙县", "—"],
            "inc": [15000.0, np.nan, 13000.0],
            "pov": [1.0, 0.0, 1.0],
        }
    )
    path = tmp_path / "panel.dta"
    pyreadstat.write_dta(
        frame,
        path,
        column_labels={"code": "区划代码", "name": "县名", "inc": "人均收入", "pov": "区划代码"},
        variable_value_labels={"pov": {1: "脱贫县", 0: "非脱贫县"}},
    )
    return path


def test_dta_without_labels_keeps_variable_names_and_numbers(dta):
    df = read_table(dta)
    assert list(df.columns) == ["code", "name", "inc", "pov"]
    assert df["code"].tolist() == [990101.0, 990102.0, 990201.0]  # numbers stay numbers
    assert df["name"].iloc[:2].tolist() == ["甲县", "乙县"] and pd.isna(df["name"].iloc[2])
    assert df.index.tolist() == [1, 2, 3] and df.index.name == "row"
    assert df.attrs["variable_labels"]["inc"] == "人均收入"


def test_dta_use_labels_renames_only_unique_labels(dta):
    df = read_table(dta, use_labels=True, apply_value_labels=True)
    assert list(df.columns) == ["code", "县名", "人均收入", "pov"]  # "区划代码" is not unique
    assert df["pov"].tolist() == ["脱贫县", "非脱贫县", "脱贫县"]


def test_dta_mapping_applies_after_labels(dta):
    df = read_table(dta, use_labels=True, mapping={"人均收入": "income", "code": "region_code"})
    assert list(df.columns) == ["income", "region_code"]


# -------------------------------------------------------------------- property: CSV round trip

_COMMON_HANZI = "".join(
    ch for ch in map(chr, range(0x4E00, 0x9FA6)) if len(ch.encode("gb2312", "ignore")) == 2
)
_CELL = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + ',"' + _COMMON_HANZI + "，。"),
    min_size=1,
    max_size=8,
).filter(lambda s: s not in NA_VALUES and not NOTE.match(s))
# a text-only row led by 注/Note/Source… is a yearbook notes row, listed in attrs["dropped_rows"]
# (test_csv_saved_from_a_yearbook_sheet_skips_title_and_notes), not data
_HEADINGS = ["地区", "区划代码", "人均可支配收入", "年份", "脱贫人口"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n_cols=st.integers(1, len(_HEADINGS)),
    data=st.data(),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_text_frames_round_trip_through_csv(tmp_path, n_cols, data, codec):
    n_rows = data.draw(st.integers(1, 5))
    columns = _HEADINGS[:n_cols]
    frame = pd.DataFrame(
        {c: data.draw(st.lists(_CELL, min_size=n_rows, max_size=n_rows)) for c in columns}
    )
    path = tmp_path / f"roundtrip-{codec}.csv"
    frame.to_csv(path, index=False, encoding=codec)
    back = read_table(path)
    assert list(back.columns) == columns
    assert back.to_numpy().tolist() == frame.to_numpy().tolist()
    assert back.index.tolist() == list(range(2, n_rows + 2))


# --------------------------------------------------------------------------- hostile layouts [5b/8]
def test_stray_cell_far_away_keeps_the_table_and_names_the_far_cell(tmp_path, yearbook_xlsx):
    """Grid bounded by cells with data: a value at XFD1048576 compresses the grid instead of
    building 17 billion cells; row numbers and column letters stay those of the sheet."""
    import openpyxl

    book = openpyxl.load_workbook(yearbook_xlsx)
    book.active["XFD1048576"] = "stray"
    book.save(yearbook_xlsx)
    df = read_table(yearbook_xlsx, mapping=MAPPING)
    pd.testing.assert_frame_equal(df.iloc[:3], EXPECTED, check_dtype=False)
    assert df.index[-1] == 1048576 and df.iloc[-1].isna().all()  # shown, not dropped
    full = read_table(yearbook_xlsx)
    assert "列XFD" in full.columns
    assert full.index[-1] == 1048576
    assert df.attrs["header_rows"] == (3, 4)


def test_grid_from_cells_compresses_only_when_large():
    from linkage.readers.layout import grid_from_cells

    small = grid_from_cells(np.array([0, 2]), np.array([0, 1]), ["a", 1])
    assert small.cells.shape == (3, 2) and small.row_numbers is None
    big = grid_from_cells(np.array([0, 1, 5_000_000]), np.array([0, 3, 16_383]),
                          ["a", "b", "c"], merged=((0, 1, 0, 0),))
    assert big.cells.shape == (4, 3)  # rows 1, 2, one empty row for the gap, 5000001
    assert big.rows().tolist() == [1, 2, 3, 5_000_001]
    assert big.columns().tolist() == [0, 3, 16_383]
    assert big.merged == ((0, 1, 0, 0),)


def test_formulas_without_cached_values_are_warned_with_their_cells(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["区划代码", "收入"])
    ws.append(["990102", "=1+1"])
    ws.append(["990103", 5])
    path = tmp_path / "f.xlsx"
    book.save(path)
    df = read_table(path)
    assert pd.isna(df.loc[2, "收入"]) and df.loc[3, "收入"] == 5
    assert len(df.attrs["warnings"]) == 1 and "B2" in df.attrs["warnings"][0]


def test_ragged_rows_and_nul_bytes_name_the_row(tmp_path):
    ragged = write(tmp_path, "r.csv", b"a,b\n1,2\n3,4,5\n6,7\n")
    with pytest.raises(InputError, match="第 3 行") as info:
        read_table(ragged)
    assert "3 个字段" in str(info.value)
    nul = write(tmp_path, "n.csv", b"a,b\n1,2\n3\x00,4\n")
    with pytest.raises(InputError, match="NUL") as info:
        read_table(nul)
    assert info.value.row == 3


def test_parquet_is_read_with_rows_numbered_from_one(tmp_path):
    path = tmp_path / "x.parquet"
    pd.DataFrame({"region_code": ["990102", " — "], "v": [1.0, 2.0]}).to_parquet(path)
    df = read_table(path)
    assert df.index.tolist() == [1, 2]
    assert df["region_code"].tolist()[0] == "990102" and pd.isna(df["region_code"].iloc[1])


@pytest.mark.parametrize("chunk_rows", [1, 5, 1000])
def test_text_in_parts_concatenates_to_the_whole_table(tmp_path, chunk_rows):
    from linkage.readers.table import iter_table_chunks

    body = "".join(f"99{i:04d},县{i},{i}\n" + ("\n" if i == 70 else "") for i in range(90))
    text = "表 1\n区划代码,县名,值\n" + body + "注：测试\n"
    path = write(tmp_path, "p.csv", text.encode("gbk"))
    whole = read_table(path)
    parts = list(iter_table_chunks(path, chunk_rows=chunk_rows))
    pd.testing.assert_frame_equal(pd.concat(parts), whole)
    assert {p.attrs["encoding"] for p in parts} == {"gb18030"}


def test_large_files_are_detected_block_by_block(tmp_path, monkeypatch):
    import linkage.readers.encoding as enc

    monkeypatch.setattr(enc, "STREAM_BYTES", 10)
    monkeypatch.setattr(enc, "_BLOCK", 7)  # multi-byte characters split across blocks
    assert detect_encoding(write(tmp_path, "a.csv", COUNTY_CSV.encode("gbk"))) == "gb18030"
    assert detect_encoding(write(tmp_path, "b.csv", COUNTY_CSV.encode())) == "utf-8"
    bad = write(tmp_path, "c.csv", b"a,b\n1,2\n\xff\xfe\x80\x81\n")
    with pytest.raises(EncodingDetectionError) as info:
        detect_encoding(bad)
    assert info.value.row == 3
