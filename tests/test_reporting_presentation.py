"""What the HTML and Word renderers show in the same words: captions, sources, numbers,
cover lines and the provenance record as reader tables."""

from __future__ import annotations

from datetime import date

import pandas as pd

from linkage.reporting.document import Cover, Numbered, Table
from linkage.reporting.presentation import (
    TABLE_SIZES,
    caption,
    cover_lines,
    inline_runs,
    issued_text,
    numeric_columns,
    provenance_view,
    source_line,
    table_font,
)


def _table(frame: pd.DataFrame) -> Table:
    return Table("t", "标题", frame.astype(str), "资料来源：示例。")


def test_caption_and_source_lines():
    n = Numbered("表 3", _table(pd.DataFrame({"a": ["1"]})))
    assert caption(n, "zh") == "表 3\u3000标题"
    assert caption(Numbered("Table 3", n.block), "en") == "Table 3. 标题"
    assert source_line("国家统计局公报。", "zh") == "资料来源：国家统计局公报。"
    assert source_line("资料来源：同上。", "zh") == "资料来源：同上。"
    assert source_line("NBS communiqué", "en") == "Source: NBS communiqué"
    assert source_line("Sources: NBS", "en") == "Sources: NBS"


def test_bold_is_the_only_markup():
    assert inline_runs("甲**乙**丙**丁") == [("甲", False), ("乙", True), ("丙**丁", False)]
    assert inline_runs("<b>x</b>") == [("<b>x</b>", False)]


def test_numeric_columns_ignore_dashes_but_need_one_number():
    frame = pd.DataFrame({"名称": ["甲", "—"], "收入": ["12,345", "—"], "占比": ["-1.5", "3.0%"],
                          "全缺": ["—", "—"], "年份": ["2020", "2021"]})
    assert numeric_columns(frame) == [False, True, True, False, True]


def test_wide_tables_get_smaller_type_until_they_fit():
    narrow = pd.DataFrame({"县": ["甲县"], "收入（元）": ["12,345"]})
    assert table_font(narrow, 482) == TABLE_SIZES[0]
    wide = pd.DataFrame({f"第{i}项指标（分）": ["10,005.000"] for i in range(12)})
    assert table_font(wide, 482) is None
    assert table_font(wide, 728) in TABLE_SIZES[1:]


def test_cover_lines_leave_out_empty_fields_and_write_dates_for_the_language():
    cover = Cover("报告", "示例县", "2015—2025年", date(2026, 3, 1), organisation="",
                  author="张三")
    assert cover_lines(cover, "zh") == [("地区", "示例县"), ("报告期", "2015—2025年"),
                                        ("执笔", "张三"), ("发布日期", "2026年3月1日")]
    assert issued_text(date(2026, 3, 1), "en") == "1 March 2026"


def test_provenance_shows_file_names_names_of_indicators_and_plain_values():
    view = provenance_view({
        "created_utc": "2026-12-04T10:00:00+00:00", "git_revision": "abc", "extra_key": 1,
        "parameters": {"panel": "/home/a/b/panel.parquet", "framework": r"C:\data\fw.yaml",
                       "outcome": "rural_income_pc", "reps": 999, "af_k": 1 / 3,
                       "log_outcome": True, "cluster": None, "years": [2015, 2020],
                       "overview": {"reps": 199, "out": "notebooks/01.ipynb",
                                    "mirror": "https://www.stats.gov.cn/x.html"}},
        "inputs": {"/abs/counties.csv": {"path": "/abs/counties.csv", "sha256": "f" * 64,
                                         "bytes": 1234}},
        "packages": {"pandas": "2.2.3"}}, "zh")
    assert view.facts == (("生成时间（UTC）", "2026-12-04T10:00:00+00:00"), ("代码版本", "abc"),
                          ("extra_key", "1"))
    assert dict(view.parameters) == {
        "panel": "panel.parquet", "framework": "fw.yaml", "outcome": "农村居民人均可支配收入",
        "reps": "999", "af_k": "0.333333", "log_outcome": "是", "cluster": "（默认）",
        "years": "2015、2020", "overview.reps": "199", "overview.out": "01.ipynb",
        "overview.mirror": "https://www.stats.gov.cn/x.html"}
    assert view.inputs == (("counties.csv", "counties.csv", "f" * 16, "1,234"),)
    assert view.packages == (("pandas", "2.2.3"),)
