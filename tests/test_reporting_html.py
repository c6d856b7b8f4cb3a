"""The HTML report: self-contained, embedded CJK font, document order, numbered and sourced
tables and figures, escaping, reader text, provenance, print rules, the notebook fragment."""

from __future__ import annotations

import base64
import io
import re
import sys
from dataclasses import replace

import pytest
from fontTools.ttLib import TTFont
from reporting_samples import HOSTILE, MIRROR, MIRROR2, document, sections, visible_text

from linkage.frameworks import load_framework
from linkage.reporting import fonts
from linkage.reporting.fonts import FONT_FAMILY, font_file, subset_woff2
from linkage.reporting.html import render_html, render_section_html, write_html


@pytest.fixture(scope="module")
def zh() -> str:
    return render_html(document("zh").assemble())


@pytest.fixture(scope="module")
def en() -> str:
    return render_html(document("en").assemble())


def _fonts(markup: str) -> list[TTFont]:
    uris = re.findall(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", markup)
    return [TTFont(io.BytesIO(base64.b64decode(u))) for u in uris]


def _h1(markup: str) -> list[str]:
    return [visible_text(h).strip() for h in re.findall(r"(?s)<h1[^>]*>(.*?)</h1>", markup)]


class TestSelfContained:
    def test_nothing_is_fetched_and_nothing_runs(self, zh):
        assert "<script" not in zh.lower()
        assert "<link" not in zh.lower()
        assert "@import" not in zh
        assert re.search(r"url\((?!data:)", zh) is None
        sources = re.findall(r'\ssrc="([^"]*)"', zh)
        assert len(sources) == 3 and all(s.startswith("data:image/png;base64,") for s in sources)

    def test_the_only_outside_links_are_mirror_pages_in_the_appendix(self, zh):
        outside = [m.start() for m in re.finditer(r'href="(?!#)', zh)]
        assert outside and all(at > zh.index('id="appendix"') for at in outside)
        assert f'<a href="{MIRROR}">' in zh
        # addresses listed with 、 become one link each, the 、 stays text between them
        assert f'<a href="{MIRROR2}">' in zh and f'{MIRROR}</a>、<a href=' in zh

    def test_every_contents_link_has_a_target(self, zh):
        targets = re.findall(r'href="#([^"]+)"', zh)
        assert len(targets) >= 6
        for target in targets:
            assert f'id="{target}"' in zh

    def test_language_of_the_document(self, zh, en):
        assert '<html lang="zh-CN">' in zh
        assert '<html lang="en">' in en


class TestFont:
    def test_the_subsets_cover_every_character_a_reader_sees(self, zh):
        regular, bold = _fonts(zh)
        shown = {c for c in visible_text(zh) if ord(c) >= 0x2E80}
        assert len(shown) > 150
        covered = set(map(chr, regular.getBestCmap()))
        assert shown <= covered
        assert len(covered) < 1000  # a subset, not the whole GB2312 font
        in_bold = "".join(re.findall(r"(?s)<(?:h[123]|th|strong)\b[^>]*>(.*?)</", zh)
                          + re.findall(r'(?s)<p class="caption">(.*?)</p>', zh))
        shown_bold = {c for c in visible_text(in_bold) if ord(c) >= 0x2E80}
        bold_covered = set(map(chr, bold.getBestCmap()))
        assert len(shown_bold) > 60 and shown_bold <= bold_covered
        assert len(bold_covered) < len(covered)  # bold only where the stylesheet uses it

    def test_it_is_first_in_the_font_stack_and_named_in_font_face(self, zh):
        assert zh.count(f'@font-face {{ font-family: "{FONT_FAMILY}"') == 2
        stack = re.search(r"\.linkage-doc \{\s*font-family:\s*([^;]+);", zh).group(1)
        assert stack.startswith(f'"{FONT_FAMILY}"')
        assert "font-weight: 400" in zh and "font-weight: 700" in zh

    @pytest.mark.parametrize("engine", ["harfbuzz", "fonttools"])
    def test_a_subset_is_small_repeatable_and_keeps_the_licence(self, engine):
        text = "巩固拓展脱贫攻坚成果同乡村振兴有效衔接"
        woff2 = subset_woff2(text, engine=engine)
        assert woff2[:4] == b"wOF2"
        assert len(woff2) < font_file().stat().st_size / 50
        assert subset_woff2("".join(reversed(text)), engine=engine) == woff2
        font = TTFont(io.BytesIO(woff2))
        assert set(text) <= set(map(chr, font.getBestCmap()))
        assert "Open Font License" in font["name"].getDebugName(13)
        assert font["name"].getDebugName(1) == "Noto Sans SC Subset (linkage)"

    def test_without_harfbuzz_fonttools_cuts_the_same_characters(self, monkeypatch):
        monkeypatch.setitem(sys.modules, "uharfbuzz", None)  # import fails
        fonts._subset.cache_clear()
        text = "衔接拓展"
        cut = TTFont(io.BytesIO(subset_woff2(text + "。", engine="harfbuzz")))
        assert set(map(chr, cut.getBestCmap())) == set(text + "。 ")


class TestOrder:
    def test_cover_summary_contents_chapters_then_appendix_opened_by_methods(self, zh):
        assert _h1(zh) == ["巩固拓展脱贫攻坚成果同乡村振兴有效衔接评估报告", "摘要", "目录",
                           "一、数据概览", "二、衔接", "附录"]
        appendix = zh[zh.index('<section class="appendix"'):]
        parts = [" ".join(visible_text(h).split())
                 for h in re.findall(r"(?s)<h2[^>]*>.*?</h2>", appendix)]
        assert parts == ["附录一 研究方法与说明", "附录二 附表与附图", "附录三 来源记录"]
        methods = appendix[:appendix.index('id="appendix-exhibits"')]
        assert re.findall(r"<h3>(.*?)</h3>", methods)  # every section's methods under its title
        assert "附表 1" not in visible_text(methods)

    def test_cover_fields_and_simulated_stamp(self, zh):
        cover = visible_text(zh[zh.index('class="cover"'):zh.index('id="summary"')])
        for text in ("示例省", "2015—2025年", "2026年12月4日", "某某党校课题组", "张三",
                     "模拟数据"):
            assert text in cover
        plain = document("zh")
        plain = replace(plain, cover=replace(plain.cover, simulated=False))
        assert 'class="stamp"' not in render_html(plain.assemble())

    def test_summary_numbers_findings_most_important_first(self, zh):
        summary = visible_text(zh[zh.index('id="summary"'):zh.index('id="contents"')])
        assert re.search(r"1\. 协调度整体处于 ?勉强协调 ?。 2\. .*县的收入最低（表 1）", summary)

    def test_contents_lists_chapters_sections_methods_and_appendix(self, zh):
        contents = visible_text(zh[zh.index('<nav class="contents"'):zh.index("</nav>")])
        assert re.sub(r"\s+", "", contents) == (
            "目录一、数据概览样本与数据二、衔接耦合协调附录附录一研究方法与说明附录二附表与附图"
            "附录三来源记录")


class TestExhibits:
    def test_captions_are_numbered_in_order_and_followed_by_their_source(self, zh):
        exhibits = re.findall(r'(?s)<p class="caption">(.*?)</p>(.*?)<p class="source">(.*?)</p>',
                              zh)
        numbers = [re.match(r"(表|图|附表|附图) \d+\u3000", c) for c, _, _ in exhibits]
        assert [n.group(0) for n in numbers] == [
            f"{n}\u3000" for n in ("表 1", "图 1", "表 2", "图 2", "表 3", "附表 1", "附图 1")]
        for _, between, source in exhibits:
            assert "caption" not in between
            assert visible_text(source).startswith("资料来源：")

    def test_cross_references_use_the_numbers(self, zh):
        text = visible_text(zh)
        assert "见表 1；收入走势见图 1" in text and "协调度见图 2，明细见附表 1" in text
        assert "{table:" not in text and "{figure:" not in text

    def test_missing_cells_dash_numbers_right_aligned(self, zh):
        table = zh[zh.index("表 1\u3000"):zh.index("图 1\u3000")]
        assert '<td class="num">12,346</td>' in table
        assert '<td class="num">—</td>' in table
        assert '<td class="keep">是</td>' in table

    def test_wide_tables_get_smaller_type_or_a_landscape_page(self, zh):
        wide = zh[zh.index("表 2\u3000") - 200:zh.index("图 2\u3000")]
        assert 'class="exhibit table landscape"' in wide
        assert re.search(r'<table class="data" style="font-size: (8\.5|7\.5|6\.5)pt">', wide)
        narrow = zh[zh.index("表 3\u3000") - 200:zh.index("附表 1\u3000")]
        assert "landscape" not in narrow and 'font-size: 9.5pt' in narrow

    def test_long_chinese_headers_wrap_no_narrower_than_four_characters(self, zh):
        header = re.search(r"<th[^>]*>农村居民人均可支配收入（元）</th>", zh).group(0)
        assert 'min-width: 4em' in header
        assert re.search(r'<th scope="col" class="keep">年份</th>', zh)

    def test_figures_are_inline_png_with_their_width(self, zh):
        img = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="收入走势" '
                        r'style="width: (\d+\.\d)cm">', zh)
        assert base64.b64decode(img.group(1))[:4] == b"\x89PNG"
        assert float(img.group(2)) <= 16.0


class TestReaderText:
    def test_hostile_names_are_text_not_markup(self, zh):
        assert "<img src=x" not in zh
        assert "&lt;img src=x onerror=alert(1)&gt;县" in zh
        assert HOSTILE in visible_text(zh)

    def test_bold_is_the_only_markup_of_paragraphs(self, zh):
        assert "<strong>逐年上升</strong>" in zh
        assert "**" not in visible_text(zh)

    def test_reads_as_a_report_for_the_reader_bot(self, zh):
        text = visible_text(zh)
        assert "摘要" in text[: max(2000, len(text) // 10)]
        assert "目录" in text and "资料来源" in text
        assert re.search(r"图\s*1\b", text) and re.search(r"表\s*1\b", text)
        assert not re.findall(r"(?<![A-Za-z])(NaN|nan|None)(?![A-Za-z])", text)
        assert "notebook" not in text.lower() and "笔记本" not in text
        ids = [i for i in load_framework().indicator_ids if "_" in i]
        assert not [i for i in ids if re.search(rf"(?<![A-Za-z_]){i}(?![A-Za-z_])", text)]

    def test_provenance_is_escaped_once_and_has_no_local_paths(self, zh):
        record = zh[zh.index('id="provenance"'):]
        text = visible_text(record)
        assert "&quot;" not in record and "&amp;" not in record
        assert "/home/" not in zh and "秘密目录" not in zh
        assert "panel.parquet" in text and "abababababababab" in text and "123,456" in text
        assert "农村居民人均可支配收入" in text  # an indicator id shown by its name
        for fact in ("生成时间（UTC）", "linkage 版本", "代码版本", "0123456789abcdef",
                     "pandas", "2.2.3"):
            assert fact in text

    def test_english_report_speaks_english(self, en):
        text = visible_text(en)
        assert _h1(en)[1:3] == ["Summary", "Contents"]
        assert "Table 1. Counties" in text and "Appendix table 1. Yearly detail" in text
        assert "Source: linkage bundled" in text
        for chinese in ("摘要", "目录", "资料来源", "附录", "表 1", "是否"):
            assert chinese not in text
        assert _fonts(en)  # names of counties may still be Chinese


class TestSectionFragment:
    def test_a_section_shows_itself_as_a_one_section_document(self):
        section = sections("zh")[1]
        fragment = render_section_html(section)
        assert section._repr_html_() == fragment
        assert fragment.startswith('<div class="linkage-doc" lang="zh-CN">')
        assert "<html" not in fragment and "@font-face" not in fragment
        assert "<script" not in fragment
        text = visible_text(fragment)
        assert "一、衔接" in text and "协调度见图 1，明细见附表 1。" in text
        assert "表 1\u3000得分排名" in fragment and "附图 1\u3000附：散点" in fragment
        assert "资料来源：" in text and "耦合度采用修正模型。" in text


def test_written_as_utf8_atomically_over_an_earlier_file(tmp_path, zh):
    target = tmp_path / "报告.html"
    target.write_text("old", encoding="utf-8")
    assert write_html(document("zh").assemble(), target) == target
    assert target.read_text(encoding="utf-8") == zh
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.html"]
