"""The report as a Word document (Word 报告), with python-docx.

Word is how reports travel in this field, so the file is built from real Word styles a reader
can restyle: 标题 1–3 (``Heading 1``–``3``: chapters, sections, subsections; every chapter
starts a new page), 题注 (``Caption``: "表 3　标题" above each table and figure), a
``Source Note`` style for 资料来源 and notes, and a three-line table style (``Linkage Table``)
whose header row repeats on every page. The 目录 is a real ``TOC \\o "1-3" \\h \\z \\u`` field
(pre-filled with the chapter list; ``w:updateFields`` asks Word to refresh it with page numbers
when the file is opened). East-Asian fonts are set on the styles (宋体 for text, 黑体 for
headings and captions; Latin text in Times New Roman / Arial), the document language is
zh-CN (en-US for an English report), the page is A4 with 2.5 cm margins and page numbers.

Order as in the HTML report: cover, 摘要, 目录, chapters, 附录 (附录一 研究方法与说明, 附录二
附表与附图, 附录三 来源记录). The file is written atomically.
"""

from __future__ import annotations

import io
import re
from os import PathLike
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pandas as pd
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph as WordParagraph

from linkage.atomic import atomic_path
from linkage.escaping import URL
from linkage.labels import Language, is_zh, label
from linkage.reporting.document import (
    AssembledDocument,
    Figure,
    Heading,
    Numbered,
    Paragraph,
    chapter_heading,
)
from linkage.reporting.presentation import (
    TABLE_SIZES,
    caption,
    column_ems,
    cover_lines,
    inline_runs,
    numeric_columns,
    provenance_view,
    source_line,
    table_font,
)

__all__ = ["BODY_FONT", "HEADING_FONT", "TABLE_STYLE", "write_docx"]

#: East-Asian fonts of the styles (the names Word and WPS know; "SimSun"/"SimHei" alike).
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
#: Latin fonts beside them.
BODY_LATIN, HEADING_LATIN = "Times New Roman", "Arial"
#: Name of the three-line table style.
TABLE_STYLE = "Linkage Table"
SOURCE_STYLE = "Source Note"
FRONT_STYLE = "Front Heading"
#: Style ids of the paragraph styles used (python-docx's lookups by name cost ~6 ms each).
_IDS = {SOURCE_STYLE: "SourceNote", FRONT_STYLE: "FrontHeading", "Caption": "Caption",
        "Body Text": "BodyText", "Title": "Title", "List Bullet": "ListBullet",
        "Heading 1": "Heading1", "Heading 2": "Heading2", "Heading 3": "Heading3"}
#: Printed text width (A4 less two 2.5 cm margins).
TEXT_WIDTH_CM = 16.0

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text Word can store (XML 1.0 has no control characters)."""
    return _INVALID_XML.sub("", text)


# -------------------------------------------------------------------------------- styles ----

def _set_fonts(rpr, latin: str, east_asian: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin),
                       ("w:eastAsia", east_asian)):
        fonts.set(qn(attr), name)


def _style_font(style: BaseStyle, latin: str, east_asian: str, size: float, *,
                bold: bool | None = None) -> None:
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    _set_fonts(style.element.get_or_add_rPr(), latin, east_asian)


def _setup(document: docx.document.Document, language: Language) -> None:
    zh = is_zh(language)
    styles = document.styles
    # document defaults: fonts and language (zh-CN, or en-US with Chinese as East-Asian)
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(
        qn("w:rPr"))
    _set_fonts(defaults, BODY_LATIN, BODY_FONT)
    lang = defaults.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN" if zh else "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "zh-CN" if zh else "en-US")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    _style_font(normal, BODY_LATIN, BODY_FONT, 11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    body = styles["Body Text"]
    body.paragraph_format.first_line_indent = Pt(22)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for level, size in ((1, 16), (2, 14), (3, 12)):
        heading = styles[f"Heading {level}"]
        _style_font(heading, HEADING_LATIN, HEADING_FONT, size, bold=level > 1)
        heading.paragraph_format.space_before = Pt(18 if level == 1 else 10)
        heading.paragraph_format.space_after = Pt(8 if level == 1 else 4)
        heading.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True
    title = styles["Title"]
    _style_font(title, HEADING_LATIN, HEADING_FONT, 24, bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(120)
    title.paragraph_format.space_after = Pt(48)
    borders = title.element.pPr.find(qn("w:pBdr"))
    if borders is not None:
        title.element.pPr.remove(borders)
    cap = styles["Caption"]
    _style_font(cap, HEADING_LATIN, HEADING_FONT, 10.5, bold=True)
    cap.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.keep_with_next = True
    cap.paragraph_format.space_before = Pt(10)
    cap.paragraph_format.space_after = Pt(4)

    front = styles.add_style(FRONT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    front.element.styleId = _IDS[FRONT_STYLE]
    front.base_style = normal
    _style_font(front, HEADING_LATIN, HEADING_FONT, 16, bold=False)
    front.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    front.paragraph_format.page_break_before = True
    front.paragraph_format.keep_with_next = True
    front.paragraph_format.space_after = Pt(12)
    source = styles.add_style(SOURCE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    source.element.styleId = _IDS[SOURCE_STYLE]
    source.base_style = normal
    _style_font(source, BODY_LATIN, BODY_FONT, 9)
    source.paragraph_format.space_after = Pt(2)
    source.paragraph_format.line_spacing = 1.15

    styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="LinkageTable">'
        f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
        '<w:tblPr><w:jc w:val="center"/><w:tblBorders>'
        '<w:top w:val="single" w:sz="12" w:space="0" w:color="000000"/>'
        '<w:bottom w:val="single" w:sz="12" w:space="0" w:color="000000"/></w:tblBorders>'
        '<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:tcBorders>'
        '<w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:tcBorders>'
        '<w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr></w:style>'))

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.different_first_page_header_footer = True  # no page number on the cover
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")

    # ask Word to refresh fields (the 目录) when the file is opened; CT_Settings order puts
    # updateFields before the compatibility block
    update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
    settings = document.settings.element
    anchor = next((settings.find(qn(f"w:{t}")) for t in
                   ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars",
                    "rsids") if settings.find(qn(f"w:{t}")) is not None), None)
    if anchor is not None:
        anchor.addprevious(update)
    else:
        settings.append(update)


# ------------------------------------------------------------------------------ content ----

def _paragraph(document: docx.document.Document, style: str | None = None,
               text: str = "") -> WordParagraph:
    """A new paragraph at the end of the body in ``style`` (a name of :data:`_IDS`)."""
    paragraph = document.add_paragraph(_clean(text))
    if style is not None:
        paragraph._p.get_or_add_pPr().style = _IDS[style]
    return paragraph


def _heading(document: docx.document.Document, text: str, level: int) -> WordParagraph:
    return _paragraph(document, f"Heading {level}", text)


def _field(paragraph: WordParagraph, instruction: str, shown: str) -> None:
    """A complex field (``PAGE``, ``TOC`` …) with ``shown`` as its current result."""
    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(_clean(shown))
    char("end")


def _hyperlink(paragraph: WordParagraph, url: str) -> None:
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1D4F91")
    rpr.extend([color, underline])
    text = OxmlElement("w:t")
    text.text = _clean(url)
    run.extend([rpr, text])
    link.append(run)
    paragraph._p.append(link)


def _rich(paragraph: WordParagraph, text: str) -> WordParagraph:
    for part, bold in inline_runs(text):
        paragraph.add_run(_clean(part)).bold = bold or None
    return paragraph


def _note(document: docx.document.Document, text: str, *, links: bool = False) -> None:
    paragraph = _paragraph(document, SOURCE_STYLE)
    if not links:
        paragraph.add_run(_clean(text))
        return
    at = 0
    for m in URL.finditer(text):
        paragraph.add_run(_clean(text[at:m.start()]))
        _hyperlink(paragraph, m.group(0))
        at = m.end()
    paragraph.add_run(_clean(text[at:]))


def _table_text_style(document: docx.document.Document, size: float) -> str:
    """Style id of the paragraph style for table cells at ``size`` pt (made on first use)."""
    name = f"Table Text {size:g}"
    style_id = "TableText" + f"{size:g}".replace(".", "")
    if document.styles.element.get_by_id(style_id) is None:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.styleId = style_id
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(size)
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0
    return style_id


def _grid(document: docx.document.Document, frame: pd.DataFrame, *,
          numeric: list[bool] | None = None, size: float = 9.0) -> None:
    """A table in the three-line style: header row repeated on each page, rows not split,
    numbers right-aligned, columns as wide as their content needs (built as one XML element:
    python-docx's cell-by-cell API takes seconds for an appendix table)."""
    numeric = numeric_columns(frame) if numeric is None else numeric
    ems = column_ems(frame)
    twips = [int(TEXT_WIDTH_CM / 2.54 * 1440 * e / sum(ems)) for e in ems]
    style = _table_text_style(document, size)

    def cell(text: str, width: int, align: str) -> str:
        return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
                f'<w:pStyle w:val="{style}"/><w:jc w:val="{align}"/></w:pPr><w:r>'
                f'<w:t xml:space="preserve">{escape(_clean(text))}</w:t></w:r></w:p></w:tc>')

    header = "".join(cell(str(c), w, "center") for c, w in zip(frame.columns, twips, strict=True))
    rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header}</w:tr>"]
    for values in frame.itertuples(index=False):
        cells = "".join(cell(str(v), w, "right" if n else "left")
                        for v, w, n in zip(values, twips, numeric, strict=True))
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    table = parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="LinkageTable"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
        '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')
    document.element.body._insert_tbl(table)


def _exhibit(document: docx.document.Document, numbered: Numbered, language: Language, *,
             links: bool = False) -> None:
    block = numbered.block
    _paragraph(document, "Caption", caption(numbered, language))
    if isinstance(block, Figure):
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(block.png),
                                      width=Cm(min(block.width_cm, TEXT_WIDTH_CM)))
    else:
        size = table_font(block.frame, TEXT_WIDTH_CM / 2.54 * 72) or TABLE_SIZES[-1]
        _grid(document, block.frame, size=size)
    _note(document, source_line(block.source, language), links=links)
    for note in block.notes:
        _note(document, note, links=links)


def _body(document: docx.document.Document, text: str) -> None:
    _rich(_paragraph(document, "Body Text"), text)


def _cover(document: docx.document.Document, doc: AssembledDocument) -> None:
    cover, language = doc.cover, doc.language
    _paragraph(document, "Title", cover.title)
    for key, value in cover_lines(cover, language):
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.add_run(_clean(f"{key}{'：' if is_zh(language) else ': '}{value}")).font.size = Pt(14)
    if cover.simulated:
        stamp = document.add_paragraph()
        stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        stamp.paragraph_format.space_before = Pt(48)
        run = stamp.add_run(label("doc_simulated_stamp", language))
        run.bold, run.font.size, run.font.color.rgb = True, Pt(16), RGBColor(0xB3, 0x26, 0x1E)


def _contents(document: docx.document.Document, doc: AssembledDocument) -> None:
    language = doc.language
    _paragraph(document, FRONT_STYLE, label("doc_contents", language))
    entries = doc.contents() + [text for _, text in doc.appendix_parts()]
    first = document.add_paragraph()
    # a TOC field spanning one paragraph per entry: shown as is until Word refreshes it
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    first.add_run()._r.append(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '
    first.add_run()._r.append(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    first.add_run()._r.append(separate)
    first.add_run(_clean(entries[0]))
    last = first
    for entry in entries[1:]:
        last = document.add_paragraph(_clean(entry))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    last.add_run()._r.append(end)
    _note(document, label("doc_toc_update", language))


def _provenance(document: docx.document.Document, doc: AssembledDocument, heading: str) -> None:
    language = doc.language
    view = provenance_view(doc.provenance, language)
    words = {k: label(f"doc_{k}", language) for k in
             ("item", "value", "parameters", "parameter", "inputs", "file", "sha256", "bytes",
              "packages", "package", "package_version")}
    _heading(document, heading, 2).paragraph_format.page_break_before = True
    _body(document, label("doc_provenance_note", language))
    record = [(None, ("item", "value"), view.facts),
              ("parameters", ("parameter", "value"), view.parameters),
              ("inputs", ("item", "file", "sha256", "bytes"), view.inputs),
              ("packages", ("package", "package_version"), view.packages)]
    for heading, columns, rows in record:
        if not rows:
            continue
        if heading:
            _heading(document, words[heading], 3)
        frame = pd.DataFrame(list(rows), columns=[words[c] for c in columns])
        _grid(document, frame, numeric=[c == "bytes" for c in columns], size=8.5)


def write_docx(doc: AssembledDocument, path: str | PathLike[str]) -> Path:
    """Write the report as a Word document (.docx), atomically.

    Parameters
    ----------
    doc : AssembledDocument
        From :meth:`Document.assemble <linkage.reporting.document.Document.assemble>`.
    path : path-like
        The .docx file to write (its folder is created).

    Returns
    -------
    Path
        ``path``.
    """
    language = doc.language
    document = docx.Document()
    _setup(document, language)
    core = document.core_properties
    core.title, core.author = _clean(doc.cover.title), _clean(doc.cover.author)
    core.language = "zh-CN" if is_zh(language) else "en-US"

    _cover(document, doc)
    _paragraph(document, FRONT_STYLE, label("doc_summary", language))
    for number, finding in enumerate(doc.summary, start=1):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(22)
        paragraph.paragraph_format.first_line_indent = Pt(-22)
        paragraph.add_run(f"{number}.\t").bold = True
        paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(22))
        _rich(paragraph, finding)
    _contents(document, doc)

    for chapter in doc.chapters:
        _heading(document, chapter_heading(chapter, language), 1)
        for block in chapter.blocks:
            if isinstance(block, Heading):
                _heading(document, block.text, min(max(block.level, 2), 3))
            elif isinstance(block, Paragraph):
                _body(document, block.text)
            else:
                _exhibit(document, block, language)

    _heading(document, label("doc_appendix", language), 1)
    parts = dict(doc.appendix_parts())
    _heading(document, parts["methods"], 2)
    for title, methods, caveats in doc.methods:
        _heading(document, title, 3)
        for text in methods:
            _body(document, text)
        if caveats:
            _body(document, f"**{label('doc_caveats', language)}**")
            for text in caveats:
                _rich(_paragraph(document, "List Bullet"), text)
    if doc.appendix:
        _heading(document, parts["appendix-exhibits"], 2).paragraph_format.page_break_before = True
        for numbered in doc.appendix:
            _exhibit(document, numbered, language, links=True)
    if doc.provenance:
        _provenance(document, doc, parts["provenance"])

    with atomic_path(path) as tmp:
        document.save(str(tmp))
    return Path(path)
