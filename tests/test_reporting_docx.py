"""The Word report: real styles, numbered captions followed by their source, tables with a
repeated header row, figures, the TOC field, East-Asian fonts, language, A4, provenance."""

from __future__ import annotations

import re
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn
from reporting_samples import HOSTILE, MIRROR, MIRROR2, document, sections

from linkage.reporting.document import Document
from linkage.reporting.docx import BODY_FONT, HEADING_FONT, TABLE_STYLE, write_docx


@pytest.fixture(scope="module")
def zh(tmp_path_factory) -> docx.document.Document:
    path = write_docx(document("zh").assemble(), tmp_path_factory.mktemp("zh") / "报告.docx")
    return docx.Document(str(path))


@pytest.fixture(scope="module")
def en(tmp_path_factory) -> docx.document.Document:
    path = write_docx(document("en").assemble(), tmp_path_factory.mktemp("en") / "report.docx")
    return docx.Document(str(path))


def _body(d: docx.document.Document) -> list[tuple[str, str]]:
    """The body in order as (kind, text): kind is a paragraph's style, "table" or "picture"."""
    out = []
    for element in d.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            out.append(("table", ""))
        elif element.tag == qn("w:p"):
            paragraph = docx.text.paragraph.Paragraph(element, d)
            if element.findall(".//" + qn("w:drawing")):
                out.append(("picture", ""))
            else:
                out.append((paragraph.style.name, paragraph.text))
    return out


def _all_text(d: docx.document.Document) -> str:
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


class TestStructure:
    def test_headings_captions_tables_and_pictures_like_a_report(self, zh):
        styles = [p.style.name for p in zh.paragraphs]
        assert sum(s.startswith("Heading") for s in styles) >= 5
        assert len(zh.tables) >= 3 and len(zh.inline_shapes) == 3
        headings = [p.text for p in zh.paragraphs if p.style.name == "Heading 1"]
        assert headings == ["一、数据概览", "二、衔接", "附录"]
        appendix = [p for p in zh.paragraphs if p.style.name == "Heading 2"][-3:]
        assert [p.text for p in appendix] == [
            "附录一\u3000研究方法与说明", "附录二\u3000附表与附图", "附录三\u3000来源记录"]
        assert [p.paragraph_format.page_break_before for p in appendix] == [None, True, True]

    def test_cover_then_summary_then_contents_then_chapters(self, zh):
        body = _body(zh)
        order = [text for kind, text in body if kind in ("Title", "Front Heading", "Heading 1")]
        assert order[:4] == ["巩固拓展脱贫攻坚成果同乡村振兴有效衔接评估报告", "摘要", "目录",
                             "一、数据概览"]
        summary = [t for k, t in body[body.index(("Front Heading", "摘要")) + 1:
                                      body.index(("Front Heading", "目录"))]]
        assert summary[0] == "1.\t协调度整体处于勉强协调。"
        assert summary[1].startswith("2.\t") and "（表 1）" in summary[1]

    def test_every_caption_is_numbered_and_followed_by_its_exhibit_and_source(self, zh):
        body = _body(zh)
        captions = [i for i, (kind, _) in enumerate(body) if kind == "Caption"]
        assert [re.match(r"(附?[表图]) \d+\u3000", body[i][1]).group(0) for i in captions] == [
            f"{n}\u3000" for n in ("表 1", "图 1", "表 2", "图 2", "表 3", "附表 1", "附图 1")]
        for i in captions:
            exhibit = "picture" if body[i][1].startswith(("图", "附图")) else "table"
            assert body[i + 1][0] == exhibit
            assert body[i + 2][0] == "Source Note" and body[i + 2][1].startswith("资料来源：")

    def test_table_of_contents_is_a_field_word_updates_on_open(self, zh):
        instructions = [e.text for e in zh.element.body.iter(qn("w:instrText"))]
        assert ' TOC \\o "1-3" \\h \\z \\u ' in instructions
        update = zh.settings.element.find(qn("w:updateFields"))
        assert update is not None and update.get(qn("w:val")) == "true"
        texts = [p.text for p in zh.paragraphs]
        assert any("目录由 Word 在打开文件时更新" in t for t in texts)
        # the field's result lists the chapters until Word refreshes it
        start = texts.index("目录")
        assert texts[start + 1:start + 7] == ["一、数据概览", "二、衔接", "附录",
                                              "附录一\u3000研究方法与说明",
                                              "附录二\u3000附表与附图", "附录三\u3000来源记录"]


class TestStyles:
    def test_east_asian_fonts_on_the_styles_and_chinese_language(self, zh):
        def east_asian(style: str) -> str:
            return zh.styles[style].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

        assert east_asian("Normal") == BODY_FONT
        for style in ("Heading 1", "Heading 2", "Heading 3", "Caption"):
            assert east_asian(style) == HEADING_FONT
        defaults = zh.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
        assert defaults.get(qn("w:val")) == "zh-CN"
        assert defaults.get(qn("w:eastAsia")) == "zh-CN"

    def test_chapters_start_on_a_new_page_of_a4(self, zh):
        assert zh.styles["Heading 1"].paragraph_format.page_break_before is True
        section = zh.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (
            21.0, 29.7)
        assert round(section.left_margin.cm, 2) == round(section.right_margin.cm, 2) == 2.5
        footer = section.footer.paragraphs[0]._p
        assert any(e.text == " PAGE " for e in footer.iter(qn("w:instrText")))

    def test_tables_repeat_their_header_row_and_right_align_numbers(self, zh):
        table = zh.tables[0]
        assert table.style.name == TABLE_STYLE
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in table.rows[0].cells] == [
            "县", "农村居民人均可支配收入（元）", "转移净收入占比（%）", "是否原贫困县", "年份"]
        row = table.rows[1].cells
        assert row[1].text == "12,346"
        assert row[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
        assert row[0].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
        assert table.rows[2].cells[1].text == "—"

    def test_wide_tables_get_smaller_type(self, zh):
        def size(table) -> float:
            return table.rows[1].cells[0].paragraphs[0].style.font.size.pt

        assert size(zh.tables[1]) < size(zh.tables[0]) == 9.5


class TestText:
    def test_hostile_names_are_plain_text_and_no_nan(self, zh):
        text = _all_text(zh)
        assert HOSTILE in text
        assert not re.findall(r"(?<![A-Za-z])(NaN|nan|None)(?![A-Za-z])", text)
        assert "**" not in text
        bold = [r.text for p in zh.paragraphs for r in p.runs if r.bold]
        assert "逐年上升" in bold and "勉强协调" in bold

    def test_provenance_without_local_paths(self, zh):
        text = _all_text(zh)
        assert "/home/" not in text and "秘密目录" not in text and "&quot;" not in text
        assert "panel.parquet" in text and "abababababababab" in text
        assert "农村居民人均可支配收入" in text

    def test_mirror_links_in_the_appendix_are_hyperlinks(self, zh):
        targets = [r.target_ref for r in zh.part.rels.values() if r.is_external]
        assert targets == [MIRROR, MIRROR2]  # two addresses listed with 、: two links

    def test_english_document(self, en):
        texts = [p.text for p in en.paragraphs]
        assert "Summary" in texts and "Contents" in texts and "Appendix" in texts
        assert any(t.startswith("Table 1. Counties") for t in texts)
        assert any(t.startswith("Source: ") for t in texts)
        assert not any(t.startswith(("资料来源", "摘要", "目录")) for t in texts)
        lang = en.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
        assert lang.get(qn("w:val")) == "en-US"


class TestWriting:
    def test_control_characters_in_data_do_not_break_the_file(self, tmp_path):
        a, b = sections("zh")
        a = replace(a, title="数据\x07概览")
        base = document("zh")
        path = write_docx(Document(base.cover, (a, b)).assemble(), tmp_path / "r.docx")
        assert "一、数据概览" in [p.text for p in docx.Document(str(path)).paragraphs]

    def test_written_atomically_over_an_earlier_file(self, tmp_path):
        target = tmp_path / "r.docx"
        target.write_bytes(b"old")
        write_docx(document("zh").assemble(), target)
        assert target.read_bytes()[:2] == b"PK"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]
