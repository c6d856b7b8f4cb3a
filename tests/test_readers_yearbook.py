"""Specification of linkage.readers.read_yearbook / read_listing: yearbook tables in long form.

Every fixture is built here, in code: CSV in GBK, xlsx with openpyxl (merged cells, number
formats, text numbers), an xlsx encrypted with msoffcrypto-tool. msoffcrypto-tool encrypts only
OOXML files, so the encrypted *.xls* path (RC4 CryptoAPI) is exercised by the same decryption
code but not by a fixture.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkage.errors import InputError
from linkage.readers import read_listing, read_table, read_yearbook, yearbook_panel
from linkage.readers import yearbook as yearbook_module

TIDY = ["region", "region_code", "indicator", "parent", "unit", "year", "value"]
NAN = np.nan


def tidy(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=TIDY)
    frame["region_code"] = frame["region_code"].astype("string")
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def assert_tidy(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(actual[TIDY].reset_index(drop=True), expected)


def write_xlsx(path, sheets: dict[str, tuple[list[list], list[tuple]]], *, formats=None):
    """Sheets of rows (1-based merges ``(first_row, last_row, first_col, last_col)``)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (rows, merges) in sheets.items():
        ws = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for r0, r1, c0, c1 in merges:
            ws.merge_cells(start_row=r0, end_row=r1, start_column=c0, end_column=c1)
        for cell, fmt in (formats or {}).get(name, {}).items():
            ws[cell].number_format = fmt
    book.save(path)
    return path


# ------------------------------------------------------- the issue's GBK CSV: # levels + 续表1

STACKED_CSV = """表7-3 各地区农林牧渔业总产值和主要农产品产量（2022年）,,,,
单位：亿元,,,,
地  区,农林牧渔业总产值,#农业,#牧业,渔业
全  国,156065.9,84438.6,40652.4,15267.9
北  京,268.2,114.6,35.0,4.6
青  海,575.2,213.2,338.8,4.8
,,,,
续表1,,,,
单位：万吨,,,,
地  区,粮食,#薯类,油料,棉花
全  国,68652.8,2977.8,3654.2,597.7
北  京,45.4,0.0,0.3,—
青  海,107.3,36.0,30.2,…
注：薯类按5公斤鲜薯折1公斤粮食计算。,,,,
"""

STACKED_TIDY = tidy([
    ("全国", "000000", "农林牧渔业总产值", "", "亿元", 2022, 156065.9),
    ("全国", "000000", "农业", "农林牧渔业总产值", "亿元", 2022, 84438.6),
    ("全国", "000000", "牧业", "农林牧渔业总产值", "亿元", 2022, 40652.4),
    ("全国", "000000", "渔业", "", "亿元", 2022, 15267.9),
    ("北京", "110000", "农林牧渔业总产值", "", "亿元", 2022, 268.2),
    ("北京", "110000", "农业", "农林牧渔业总产值", "亿元", 2022, 114.6),
    ("北京", "110000", "牧业", "农林牧渔业总产值", "亿元", 2022, 35.0),
    ("北京", "110000", "渔业", "", "亿元", 2022, 4.6),
    ("青海", "630000", "农林牧渔业总产值", "", "亿元", 2022, 575.2),
    ("青海", "630000", "农业", "农林牧渔业总产值", "亿元", 2022, 213.2),
    ("青海", "630000", "牧业", "农林牧渔业总产值", "亿元", 2022, 338.8),
    ("青海", "630000", "渔业", "", "亿元", 2022, 4.8),
    ("全国", "000000", "粮食", "", "万吨", 2022, 68652.8),
    ("全国", "000000", "薯类", "粮食", "万吨", 2022, 2977.8),
    ("全国", "000000", "油料", "", "万吨", 2022, 3654.2),
    ("全国", "000000", "棉花", "", "万吨", 2022, 597.7),
    ("北京", "110000", "粮食", "", "万吨", 2022, 45.4),
    ("北京", "110000", "薯类", "粮食", "万吨", 2022, 0.0),
    ("北京", "110000", "油料", "", "万吨", 2022, 0.3),
    ("北京", "110000", "棉花", "", "万吨", 2022, NAN),
    ("青海", "630000", "粮食", "", "万吨", 2022, 107.3),
    ("青海", "630000", "薯类", "粮食", "万吨", 2022, 36.0),
    ("青海", "630000", "油料", "", "万吨", 2022, 30.2),
    ("青海", "630000", "棉花", "", "万吨", 2022, NAN),
])


@pytest.fixture
def stacked_csv(tmp_path):
    path = tmp_path / "表7-3.csv"
    path.write_bytes(STACKED_CSV.encode("gbk"))
    return path


def test_issue_bug_read_table_no_longer_puts_the_second_block_under_the_first_header(
        stacked_csv):
    # The issue: read_table read this without error and 青海's 薯类 (36.0) came out as its
    # “#农业” value. It now refuses the stacked block and points to read_yearbook.
    with pytest.raises(InputError) as info:
        read_table(stacked_csv)
    assert info.value.row == 8 and "read_yearbook" in str(info.value)


def test_issue_bug_each_block_is_read_under_its_own_header(stacked_csv):
    table = read_yearbook(stacked_csv)
    assert_tidy(table, STACKED_TIDY)
    qinghai = table.set_index(["region", "indicator"])["value"]
    assert qinghai[("青海", "薯类")] == 36.0 and qinghai[("青海", "农业")] == 213.2
    assert table["value"].eq(0.0).sum() == 1  # 0.0 stays 0, "—" and "…" are missing
    assert table["row"].tolist()[:4] == [4, 4, 4, 4] and table["row"].iloc[-1] == 13
    assert table["column"].tolist()[:4] == ["B", "C", "D", "E"]
    kinds = [(d["row"], d["kind"]) for d in table.attrs["dropped_rows"]]
    assert kinds == [(1, "title"), (2, "title"), (8, "title"), (9, "title"), (14, "note")]
    assert table.attrs["warnings"] == []


def test_the_same_blocks_on_two_sheets_give_the_same_table(tmp_path):
    lines = [line.split(",") for line in STACKED_CSV.splitlines()]
    cells = [[float(v) if v.replace(".", "").isdigit() else (v or None) for v in line]
             for line in lines]
    path = write_xlsx(tmp_path / "two.xlsx", {"表7-3": (cells[:7], []),
                                              "表7-3续": (cells[7:], [])})
    table = read_yearbook(path)
    assert_tidy(table, STACKED_TIDY)
    assert table["sheet"].unique().tolist() == ["表7-3", "表7-3续"]
    assert table.loc[table["indicator"].eq("薯类"), "row"].tolist() == [4, 5, 6]
    assert_tidy(read_yearbook(path, sheet="表7-3续"), STACKED_TIDY.iloc[12:].reset_index(drop=True)
                .assign(year=pd.array([pd.NA] * 12, dtype="Int64")))


def test_a_block_whose_header_is_missing_raises_instead_of_shifting(tmp_path):
    damaged = STACKED_CSV.replace("地  区,粮食,#薯类,油料,棉花\n", "")
    path = tmp_path / "damaged.csv"
    path.write_bytes(damaged.encode("gbk"))
    with pytest.raises(InputError) as info:
        read_yearbook(path)
    assert info.value.row == 8 and "续表" in str(info.value) and "damaged.csv" in str(info.value)
    with pytest.raises(InputError):
        read_table(path)


def test_values_in_a_column_without_heading_raise_with_sheet_row_and_column(tmp_path):
    rows = [["表1 各地区粮食产量（2022年）", None, None],
            ["地区", "粮食", None], ["北京", 45.4, 1.0], ["天津", 250.0, 2.0]]
    path = write_xlsx(tmp_path / "t.xlsx", {"表1": (rows, [])})
    with pytest.raises(InputError) as info:
        read_yearbook(path)
    assert info.value.column == "C" and info.value.row == 2 and "表1" in str(info.value)


def test_data_rows_without_any_header_raise(tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_bytes("北京,1,2\n天津,3,4\n".encode("gbk"))
    with pytest.raises(InputError) as info:
        read_yearbook(path)
    assert info.value.row == 1


# ------------------------------------------ an xlsx: merged 2-row header, split words, units

FISCAL = [
    ["表9-5 各地区财政支出与农村居民收入（2022年）", None, None, None, None, None, None],
    [None, None, None, None, None, None, "单位：亿元"],
    ["地  区", "地方一般公", "农业机械总动力\n(万千瓦)", "农村居民人均可支配收入（元）", None,
     "粮食产量(万吨)", "#稻谷(万吨)"],
    [None, "共预算支出", None, "2021年", "2022年", None, None],
    ["全  国", 225353.0123, "107764.3", 18931, 20133, 68652.8, 20849.5],
    ["北  京", 7469.0, 94.1, 33303, 34754, 30.5, 0.0],
    [None, None, None, None, None, None, None],
    ["西  藏", 2575.8, "—", 16935, 18209, 107.3, "…"],
    ["注：地方一般公共预算支出为决算数。", None, None, None, None, None, None],
]
FISCAL_MERGES = [(1, 1, 1, 7), (3, 4, 1, 1), (3, 4, 3, 3), (3, 3, 4, 5), (3, 4, 6, 6),
                 (3, 4, 7, 7)]


def fiscal_rows(region: str, code: str, values: list[float]) -> list[tuple]:
    spec = [("地方一般公共预算支出", "", "亿元", 2022), ("农业机械总动力", "", "万千瓦", 2022),
            ("农村居民人均可支配收入", "", "元", 2021), ("农村居民人均可支配收入", "", "元", 2022),
            ("粮食产量", "", "万吨", 2022), ("稻谷", "粮食产量", "万吨", 2022)]
    return [(region, code, *s, v) for s, v in zip(spec, values, strict=True)]


FISCAL_TIDY = tidy(
    fiscal_rows("全国", "000000", [225353.0123, 107764.3, 18931, 20133, 68652.8, 20849.5])
    + fiscal_rows("北京", "110000", [7469.0, 94.1, 33303, 34754, 30.5, 0.0])
    + fiscal_rows("西藏", "540000", [2575.8, NAN, 16935, 18209, 107.3, NAN])
)


@pytest.fixture
def fiscal_xlsx(tmp_path):
    # B5 shows one decimal (the displayed 225353.0), the stored value has four
    return write_xlsx(tmp_path / "表9-5.xlsx", {"表9-5": (FISCAL, FISCAL_MERGES)},
                      formats={"表9-5": {"B5": "0.0"}})


def test_split_words_units_years_padding_text_numbers_hidden_precision(fiscal_xlsx):
    table = read_yearbook(fiscal_xlsx)
    assert_tidy(table, FISCAL_TIDY)
    assert table.loc[0, "value"] == 225353.0123  # the stored value, not the displayed 225353.0
    assert table.loc[1, "value"] == 107764.3  # a number stored as text
    assert table.attrs["skipped_sheets"] == []


def test_stacked_blocks_with_merged_headers_on_one_sheet(tmp_path):
    continued = [[None] * 7, ["续表1"] + [None] * 6,
                 ["地  区", "农村居民人均消费支出（元）", None] + [None] * 4,
                 [None, "2021年", "2022年"] + [None] * 4,
                 ["全  国", 15916, 16632] + [None] * 4,
                 ["北  京", 23745, 24061] + [None] * 4]
    merges = [*FISCAL_MERGES, (12, 13, 1, 1), (12, 12, 2, 3)]
    path = write_xlsx(tmp_path / "one.xlsx", {"表9-5": (FISCAL + continued, merges)})
    table = read_yearbook(path)
    spending = tidy([(region, code, "农村居民人均消费支出", "", "元", year, value)
                     for region, code, values in (("全国", "000000", (15916, 16632)),
                                                  ("北京", "110000", (23745, 24061)))
                     for year, value in zip((2021, 2022), values, strict=True)])
    assert_tidy(table, pd.concat([FISCAL_TIDY, spending], ignore_index=True))
    assert table["row"].iloc[-1] == 15


def test_xls_gives_the_same_table(tmp_path):
    from test_readers import write_xls

    path = write_xls(tmp_path / "表9-5.xls", FISCAL, FISCAL_MERGES)
    assert_tidy(read_yearbook(path), FISCAL_TIDY)


ROWS_CSV = """表1-1 全国主要农产品产量,,,,
指标,计量单位,2021年,2022年,2022年比上年增长(%)
粮食,万吨,68285,68653,0.5
  稻谷,万吨,21284,20849,-2.0
  小麦,,13695,13772,0.6
    #冬小麦,万吨,13000.5,…,
棉花,万吨,573,598,4.3
农业机械总动力(万千瓦),,107764,110597,2.6
其中：大中型拖拉机(万台),,498.1,524.6,5.3
"""


def test_indicators_down_the_rows_with_indentation_and_of_which_levels(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(ROWS_CSV.encode("gbk"))
    table = read_yearbook(path)
    rows = [("粮食", "", "万吨", 68285, 68653), ("稻谷", "粮食", "万吨", 21284, 20849),
            ("小麦", "粮食", "万吨", 13695, 13772), ("冬小麦", "小麦", "万吨", 13000.5, NAN),
            ("棉花", "", "万吨", 573, 598), ("农业机械总动力", "", "万千瓦", 107764, 110597),
            ("大中型拖拉机", "农业机械总动力", "万台", 498.1, 524.6)]
    assert_tidy(table, tidy([("全国", "000000", name, parent, unit, year, value)
                             for name, parent, unit, v21, v22 in rows
                             for year, value in ((2021, v21), (2022, v22))]))
    assert table.attrs["warnings"] == ["未读取的非年份列：2022年比上年增长(%) / columns without "
                                       "a year not read"]


def test_indicators_down_the_rows_need_a_region_unless_the_title_names_the_country(tmp_path):
    path = tmp_path / "hebei.csv"
    path.write_bytes(ROWS_CSV.replace("全国主要", "主要").encode("gbk"))
    with pytest.raises(InputError, match="region"):
        read_yearbook(path)
    table = read_yearbook(path, region="河北")
    assert set(table["region"]) == {"河北"} and set(table["region_code"]) == {"130000"}


@pytest.mark.parametrize("years", [[2020, 2021], ["2020年", "2021年"]], ids=["numbers", "text"])
def test_years_down_the_rows_are_the_year_of_each_row(tmp_path, years):
    rows = [["表1-5 全国粮食生产情况", None, None], ["年份", "粮食产量(万吨)", "#稻谷(万吨)"],
            [years[0], 66949.2, 21186.0], [years[1], 68284.8, 21284.3]]
    table = read_yearbook(write_xlsx(tmp_path / "years.xlsx", {"表1-5": (rows, [])}))
    assert_tidy(table, tidy([("全国", "000000", "粮食产量", "", "万吨", 2020, 66949.2),
                             ("全国", "000000", "稻谷", "粮食产量", "万吨", 2020, 21186.0),
                             ("全国", "000000", "粮食产量", "", "万吨", 2021, 68284.8),
                             ("全国", "000000", "稻谷", "粮食产量", "万吨", 2021, 21284.3)]))
    rows[0][0] = "表1-5 粮食生产情况"
    path = write_xlsx(tmp_path / "other.xlsx", {"表1-5": (rows, [])})
    with pytest.raises(InputError, match="region"):
        read_yearbook(path)
    assert set(read_yearbook(path, region="青海")["region_code"]) == {"630000"}


def test_encrypted_with_excels_default_password_reads_like_the_plain_file(tmp_path, fiscal_xlsx):
    from msoffcrypto.format.ooxml import OOXMLFile

    def encrypt(password: str, name: str):
        with fiscal_xlsx.open("rb") as plain, (tmp_path / name).open("wb") as out:
            OOXMLFile(plain).encrypt(password, out)
        return tmp_path / name

    velvet = encrypt("VelvetSweatshop", "cnki.xls")  # CNKI names its OOXML downloads .xls
    assert_tidy(read_yearbook(velvet), FISCAL_TIDY)
    secret = encrypt("口令123", "secret.xlsx")
    with pytest.raises(InputError, match="password"):
        read_yearbook(secret)
    with pytest.raises(InputError, match="密码不正确"):
        read_yearbook(secret, password="wrong")
    assert_tidy(read_yearbook(secret, password="口令123"), FISCAL_TIDY)
    assert read_table(velvet).shape[0] == 3  # read_table decrypts the default password too


def test_csv_header_spans_and_three_header_rows(tmp_path):
    text = ("表3 各地区农作物播种面积（2021年）,,,\n,,,单位：千公顷\n"
            "地区,农作物,,\n,总播种面积,粮食作物,\n,,合计,#小麦\n"
            "河  北,8150.2,6438.9,2238.5\n")
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("gb18030"))
    assert_tidy(read_yearbook(path), tidy([
        ("河北", "130000", "总播种面积", "农作物", "千公顷", 2021, 8150.2),
        ("河北", "130000", "合计", "粮食作物", "千公顷", 2021, 6438.9),
        ("河北", "130000", "小麦", "粮食作物", "千公顷", 2021, 2238.5),
    ]))


def test_of_which_items_take_the_unit_of_their_parent(tmp_path):
    text = ("表1（2022年）,,,\n地区,地区生产总值(亿元),#第一产业,常住人口(万人)\n"
            "北京,41610.9,111.5,2184.3\n")
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("gbk"))
    table = read_yearbook(path)
    assert table[["indicator", "parent", "unit"]].values.tolist() == [
        ["地区生产总值", "", "亿元"], ["第一产业", "地区生产总值", "亿元"],
        ["常住人口", "", "万人"]]


def test_column_numbering_rows_and_footnote_marks_are_not_data(tmp_path):
    text = "表1 各地区粮食产量（2022年）,,,\n地区,粮食,油料,棉花\n甲,1,2,3\n北京①,45.4,0.3,—\n"
    text += "重  庆*,1072.8,70.1,0.0\n"
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("gbk"))
    table = read_yearbook(path)
    assert_tidy(table, tidy([
        (region, code, name, "", "", 2022, value)
        for region, code, values in (("北京", "110000", (45.4, 0.3, NAN)),
                                     ("重庆", "500000", (1072.8, 70.1, 0.0)))
        for name, value in zip(("粮食", "油料", "棉花"), values, strict=True)]))
    assert {"sheet": "", "row": 3, "kind": "numbering", "text": "甲"} in table.attrs["dropped_rows"]


def test_repeated_indicator_in_two_blocks_raises(tmp_path):
    text = ("地区,粮食\n北京,1\n续表1,\n地区,粮食\n北京,2\n")
    path = tmp_path / "twice.csv"
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(InputError, match="出现两次"):
        read_yearbook(path)


def test_text_that_is_no_number_names_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("表1（2022年）,,\n地区,粮食,油料\n北京,12x,3\n".encode("gbk"))
    with pytest.raises(InputError) as info:
        read_yearbook(path)
    assert info.value.row == 3 and "粮食" in str(info.value)


def test_county_rows_under_a_province_group_row_get_county_codes(tmp_path):
    text = "表 县域主要指标（2020年）,\n地区,年末总人口(万人)\n河北省,\n南皮县,38.5\n海兴县,23.1\n"
    path = tmp_path / "county.csv"
    path.write_bytes(text.encode("gbk"))
    table = read_yearbook(path)
    assert table["region_code"].tolist() == ["130927", "130924"]
    assert table["region_match"].tolist() == ["exact", "exact"]
    assert table["group"].tolist() == ["河北省", "河北省"]
    assert table["unit"].tolist() == ["万人", "万人"]


def test_a_code_column_of_the_file_is_used_and_unresolved_names_are_warned(tmp_path):
    text = ("表1（2022年）,,\n区划代码,地区,粮食\n110000,北  京,45.4\n,东部地区,3000.5\n"
            ",某某县,1.0\n")
    path = tmp_path / "codes.csv"
    path.write_bytes(text.encode("gbk"))
    table = read_yearbook(path)
    assert table[["region", "region_code", "region_match"]].astype(object).where(
        table[["region", "region_code", "region_match"]].notna(), None).values.tolist() == [
        ["北京", "110000", "given"], ["东部地区", None, "unmatched"],
        ["某某县", None, "unmatched"]]
    assert table.attrs["warnings"][0].startswith("2 个地区名称没有得到区划代码：东部地区")

    panel = yearbook_panel(table, {"粮食": "grain_output"})
    assert panel["region_code"].tolist() == ["110000"]
    assert panel.attrs["warnings"] == ["没有区划代码的 2 个地区不进入面板：东部地区、某某县 / "
                                       "regions without a code left out"]


def test_same_named_districts_are_told_apart_by_their_prefecture_group_row(tmp_path):
    text = ("表 各区县主要指标（2020年）,\n地区,年末总人口(万人)\n"
            "石家庄市,\n桥西区,60.1\n长安区,53.2\n张家口市,\n桥西区,24.0\n")
    path = tmp_path / "districts.csv"
    path.write_bytes(text.encode("gbk"))
    table = read_yearbook(path)
    assert table[["region", "group", "region_code"]].values.tolist() == [
        ["桥西区", "石家庄市", "130104"], ["长安区", "石家庄市", "130102"],
        ["桥西区", "张家口市", "130703"]]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([" ", "  ", "\u3000"]), min_size=6, max_size=6))
def test_padding_spaces_in_names_do_not_change_the_table(tmp_path, pads):
    padded = STACKED_CSV
    for name, pad in zip(["全  国", "北  京", "青  海"], pads[:3], strict=True):
        padded = padded.replace(name, name[0] + pad + name[-1], 1)
    for name, pad in zip(["全  国", "北  京", "青  海"], pads[3:], strict=True):
        padded = padded.replace(name, pad + name[0] + pad + name[-1] + pad, 1)
    path = tmp_path / "padded.csv"
    path.write_bytes(padded.encode("gb18030"))
    assert_tidy(read_yearbook(path), STACKED_TIDY)


# ------------------------------------------------------------------------- section listings

LISTING = [
    ["全国832个贫困县脱贫摘帽情况", None, None, None],
    ["一、2016年摘帽贫困县名单（28个）", None, None, None],
    ["序号", "省份", "数量", "县名单"],
    [1, "河  北", 1, "南皮县"],
    [2, "江西", 2, "井冈山市、吉安县、"],
    ["合计", None, 3, None],
    [None, None, None, None],
    ["二、2017年摘帽贫困县名单（125个）", None, None, None],
    ["序号", "省份", "数量", "县名单"],
    [1, "河北", 2, "海兴县、 盐山县"],
    ["序号", "省份", "数量", "县名单"],
    [2, "山西", 1, "吉县"],
    ["合计", None, 3, None],
    ["注：名单以各省公布为准。", None, None, None],
]


def test_listing_sections_become_a_column_and_packed_cells_are_split(tmp_path):
    path = write_xlsx(tmp_path / "832.xlsx", {"名单": (LISTING, [(1, 1, 1, 4)])})
    table = read_listing(path)
    expected = pd.DataFrame({
        "section": ["2016年摘帽贫困县名单（28个）"] * 3 + ["2017年摘帽贫困县名单（125个）"] * 3,
        "year": pd.array([2016] * 3 + [2017] * 3, dtype="Int64"),
        "sheet": "名单",
        "row": [4, 5, 5, 10, 10, 12],
        "序号": ["1", "2", "2", "1", "1", "2"],
        "省份": ["河北", "江西", "江西", "河北", "河北", "山西"],
        "数量": ["1", "2", "2", "2", "2", "1"],
        "县名单": ["南皮县", "井冈山市", "吉安县", "海兴县", "盐山县", "吉县"],
    })
    pd.testing.assert_frame_equal(table.astype({"县名单": object}), expected, check_dtype=False)
    kinds = sorted((d["row"], d["kind"]) for d in table.attrs["dropped_rows"])
    assert (6, "total") in kinds and (13, "total") in kinds and (14, "note") in kinds


def test_doctests():
    import doctest

    failed, tried = doctest.testmod(yearbook_module)
    assert tried >= 3 and failed == 0


def test_sheets_without_a_table_are_skipped_and_listed(tmp_path):
    rows = [["表1 各地区粮食产量（2022年）", None], ["地区", "粮食"], ["北京", 45.4]]
    path = write_xlsx(tmp_path / "book.xlsx", {"说明": ([["本表数据来自统计年鉴。"]], []),
                                               "表1": (rows, [])})
    table = read_yearbook(path)
    assert table.attrs["skipped_sheets"] == ["说明"]
    assert table[["region", "indicator", "year", "value"]].values.tolist() == [
        ["北京", "粮食", 2022, 45.4]]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(range(3)), st.permutations(range(3)))
def test_the_order_of_region_rows_does_not_change_the_values(tmp_path, first, second):
    lines = STACKED_CSV.splitlines()
    body1, body2 = lines[3:6], lines[10:13]
    shuffled = (lines[:3] + [body1[i] for i in first] + lines[6:10]
                + [body2[i] for i in second] + lines[13:])
    path = tmp_path / "shuffled.csv"
    path.write_bytes("\n".join(shuffled).encode("gbk"))
    key = ["region", "indicator"]
    got = read_yearbook(path)[TIDY].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, STACKED_TIDY.sort_values(key).reset_index(drop=True))


def test_the_832_county_exit_list_laid_out_by_section_reads_back_whole(tmp_path):
    """The list as the notice prints it (five sections, one row per province with its counties
    packed into one cell, 合计 rows, a header repeated after a page break) reads back to the
    832 (province, county, year) rows of the shipped table: 28/125/283/344/52 per year."""
    from linkage.datasets import load

    truth = load("poverty_county_exit_list_832")[["province", "county", "exit_year"]]
    ordinals = "一二三四五"
    rows: list[list] = [["全国832个贫困县脱贫摘帽名单", None, None, None]]
    for k, (year, section) in enumerate(truth.groupby("exit_year", sort=True)):
        rows += [[f"{ordinals[k]}、{year}年摘帽贫困县名单（{len(section)}个）", None, None, None],
                 ["序号", "省份", "数量", "县名单"]]
        for i, (province, group) in enumerate(section.groupby("province", sort=False), 1):
            if year == 2019 and i == 10:  # a page break repeats the header
                rows.append(["序号", "省份", "数量", "县名单"])
            rows.append([i, province, len(group), "、".join(group["county"]) + "、"])
        rows += [["合计", None, len(section), None], [None, None, None, None]]
    path = write_xlsx(tmp_path / "832.xlsx", {"名单": (rows, [(1, 1, 1, 4)])})
    table = read_listing(path)
    assert table.groupby("year").size().tolist() == [28, 125, 283, 344, 52]
    got = table[["省份", "县名单", "year"]].set_axis(["province", "county", "exit_year"], axis=1)
    pd.testing.assert_frame_equal(
        got.astype(str).sort_values(["exit_year", "province", "county"]).reset_index(drop=True),
        truth.astype(str).sort_values(["exit_year", "province", "county"])
        .reset_index(drop=True))
    assert table.attrs["warnings"] == []
    assert sum(d["kind"] == "total" for d in table.attrs["dropped_rows"]) == 5


def test_a_count_that_disagrees_with_the_packed_names_is_a_warning(tmp_path):
    rows = [["一、2016年名单", None, None], ["省份", "数量", "县名单"],
            ["河北", 3, "南皮县、海兴县"]]
    table = read_listing(write_xlsx(tmp_path / "l.xlsx", {"名单": (rows, [])}))
    assert table["县名单"].tolist() == ["南皮县", "海兴县"]
    assert table.attrs["warnings"] == [
        "“数量”与拆分出的名称个数不符：名单 第 3 行（3 ≠ 2） / stated counts differ from the "
        "names found"]


TOKENS = ["", "1.5", "0", "2020", "2021年", "—", "…", "北京", "全  国", "续表1", "#小麦",
          "其中：稻谷", "单位：元", "地区", "指标", "合计", "注：x", "粮食(万吨)", "河北省",
          "甲", "1", "2", "x1", "南皮县、海兴县"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 5).flatmap(lambda width: st.lists(
    st.lists(st.sampled_from(TOKENS), min_size=width, max_size=width), min_size=1, max_size=7)))
def test_any_grid_gives_a_table_or_an_input_error_never_a_traceback(tmp_path, rows):
    path = tmp_path / "any.csv"
    path.write_bytes("\n".join(",".join(row) for row in rows).encode("gbk"))
    for read in (read_yearbook, read_listing):
        try:
            table = read(path)
        except InputError as err:
            assert err.file is not None
        else:
            assert len(table) and "sheet" in table.columns
