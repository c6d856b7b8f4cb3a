"""The document model: reader tables, numbering, cross-references, summary order, persistence."""

from __future__ import annotations

from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from linkage.errors import ReportError
from linkage.reporting.document import (
    Cover,
    Document,
    Numbered,
    Paragraph,
    Section,
    SectionBuilder,
    reader_table,
)


def _section(key: str, title: str, *, language: str = "zh") -> Section:
    b = SectionBuilder(key, title, language=language)
    b.paragraph("见{table:main}与{figure:trend}。")
    b.table("main", "主表", pd.DataFrame({"县数": [1200, 3]}), source="资料来源：示例。",
            kinds={"县数": "count"})
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    b.figure("trend", "趋势", fig, source="资料来源：示例。")
    b.table("detail", "明细", pd.DataFrame({"得分": [0.12345]}), source="资料来源：示例。",
            appendix=True, notes=["注：同{table:main}。"])
    b.finding(f"{title}次要发现", rank=20)
    b.finding(f"{title}主要发现，见{{table:main}}", rank=1)
    b.method(f"{title}的方法")
    return b.build()


class TestReaderTable:
    def test_missing_bool_counts_shares_and_no_index_numbers(self):
        frame = pd.DataFrame({"县数": [1234567, np.nan], "占比（%）": [0.1234, 0.5],
                              "是否原贫困县": [True, False], "名称": ["甲", None]})
        t = reader_table(frame, kinds={"县数": "count", "占比（%）": "share"})
        assert t.values.tolist() == [["1,234,567", "12.3", "是", "甲"], ["—", "50.0", "否", "—"]]
        assert list(t.columns) == ["县数", "占比（%）", "是否原贫困县", "名称"]

    def test_named_index_becomes_a_column_and_english_flags(self):
        frame = pd.DataFrame({"flag": [True]}, index=pd.Index(["甲县"], name="县"))
        t = reader_table(frame, language="en")
        assert t.values.tolist() == [["甲县", "Yes"]]

    def test_years_have_no_separator(self):
        t = reader_table(pd.DataFrame({"年份": [2020, 2021]}), kinds={"年份": "year"})
        assert t["年份"].tolist() == ["2020", "2021"]


class TestAssembly:
    def test_numbers_run_through_the_document_and_references_resolve(self):
        doc = Document(Cover("报告", "示例省", "2015—2025年"),
                       (_section("a", "第一章"), _section("b", "第二章"))).assemble()
        first, second = doc.chapters
        assert first.blocks[3] == Paragraph("见表 1与图 1。")
        assert second.blocks[3] == Paragraph("见表 2与图 2。")
        assert [n.label for n in doc.appendix] == ["附表 1", "附表 2"]
        assert doc.appendix[1].block.notes == ("注：同表 2。",)
        assert all(not isinstance(b, Numbered) or not b.block.appendix
                   for c in doc.chapters for b in c.blocks)

    def test_summary_puts_the_most_important_findings_first(self):
        doc = Document(Cover("报告", "示例省", "2020"),
                       (_section("a", "甲"), _section("b", "乙"))).assemble()
        assert doc.summary == ("甲主要发现，见表 1", "乙主要发现，见表 2",
                               "甲次要发现", "乙次要发现")

    def test_each_chapter_opens_with_all_its_findings_by_rank(self):
        doc = Document(Cover("报告", "示例省", "2020"), (_section("a", "甲"),)).assemble()
        assert doc.chapters[0].blocks[:3] == (
            Paragraph("**本章要点**"), Paragraph("1. 甲主要发现，见表 1"),
            Paragraph("2. 甲次要发现"))

    def test_summary_is_capped_and_keeps_every_chapters_first_finding(self):
        sections = tuple(_section(k, k) for k in "abc")
        short = Document(Cover("r", "x", "2020"), sections, summary_size=4).assemble()
        assert short.summary == ("a主要发现，见表 1", "b主要发现，见表 2", "c主要发现，见表 3",
                                 "a次要发现")
        b = SectionBuilder("d", "丁")
        for rank in (1, 2, 3):
            b.finding(f"丁{rank}", rank=rank)
        b2 = SectionBuilder("e", "戊")
        b2.finding("戊99", rank=99)
        doc = Document(Cover("r", "x", "2020"), (b.build(), b2.build()), summary_size=2)
        assert doc.assemble().summary == ("丁1", "戊99")

    def test_unknown_reference_and_mixed_languages_raise(self):
        b = SectionBuilder("a", "甲")
        b.paragraph("见{table:nowhere}")
        with pytest.raises(ReportError, match="nowhere"):
            Document(Cover("r", "x", "2020"), (b.build(),)).assemble()
        with pytest.raises(ReportError, match="language"):
            Document(Cover("r", "x", "2020"),
                     (_section("a", "甲"), _section("b", "B", language="en"))).assemble()

    def test_contents_list_chapters_then_the_appendix_opened_by_the_methods(self):
        doc = Document(Cover("r", "x", "2020"), (_section("a", "数据概览"),)).assemble()
        assert doc.contents() == ["一、数据概览", "附录"]
        bare = replace(doc, appendix=(), provenance={})
        assert bare.appendix_parts() == [("methods", "附录一\u3000研究方法与说明")]
        full = replace(doc, provenance={"run": "x"})  # the section has an appendix table
        assert [text for _, text in full.appendix_parts()] == [
            "附录一\u3000研究方法与说明", "附录二\u3000附表与附图", "附录三\u3000来源记录"]
        english = replace(full, language="en")
        assert [text for _, text in english.appendix_parts()] == [
            "Appendix A. Methods and caveats", "Appendix B. Tables and figures",
            "Appendix C. Provenance"]


def test_a_section_survives_save_and_load(tmp_path):
    section = _section("a", "甲")
    loaded = Section.load(section.save(tmp_path / "a.json"))
    assert loaded.to_json() == section.to_json()
    assert loaded.blocks[2].png == section.blocks[2].png


def test_a_table_without_source_or_formatting_is_refused():
    b = SectionBuilder("a", "甲")
    with pytest.raises(ReportError, match="资料来源"):
        b.table("t", "t", pd.DataFrame({"x": [1]}), source=" ")
    from linkage.reporting.document import Table
    with pytest.raises(ReportError, match="reader_table"):
        Table("t", "t", pd.DataFrame({"x": [1.5]}), "资料来源：示例。")


def test_metrics_keep_12_significant_digits_and_nan_is_missing():
    b = SectionBuilder("a", "甲")
    b.metric("sa", "SA", np.float64(0.046412564559225274))
    b.metric("sa2", "SA", 0.04641256455922521)
    b.metric("gone", "缺", float("nan"))
    b.metric("n", "县数", np.int64(120))
    values = {m.key: m.value for m in b.build().metrics}
    assert values == {"sa": 0.0464125645592, "sa2": 0.0464125645592, "gone": None, "n": 120}
