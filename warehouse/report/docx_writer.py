"""The briefing as a Word document (python-docx), for offices that edit it before the meeting.

A4 with the 内部资料 marking in the header and 第 N 页 / 共 M 页 in the footer (Word fields). Text
is set in Noto Serif CJK SC and headings, table headers and the marking in Noto Sans CJK SC Bold
(the 宋体 and 黑体 roles, the PDF's fonts), both embedded in the file (:mod:`docx_fonts`), with
宋体 and 黑体 named as the fallback for a Word that ignores embedded fonts. Styles name the fonts
themselves, not the theme's (the default template's theme would put headings in a Japanese font).

Word cannot know its page count before it lays the document out, so the contents are decided
from the PDF of the same briefing when one is made, else from the briefing's length (charts and
table rows); the contents is a Word TOC field, filled in when the document is opened
(``updateFields``), with the section titles written in so it reads right even before that.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from warehouse.report.content import MARKING, TITLE, Briefing
from warehouse.report.docx_fonts import BODY, HEADING, embed_fonts
from warehouse.report.layout import HEADINGS, TABLE_HEADER, footnote, meta_lines, section_notes, table_row

BODY_FONT, HEADING_FONT = BODY.family, HEADING.family
RED = RGBColor(0x9B, 0x1C, 0x1C)


def estimated_pages(briefing: Briefing) -> float:
    """A rough page count: a chart is a third of a page, about 35 table or text lines a page."""
    rows = sum(len(h) for _, h in briefing.sections) + len(briefing.glossary) * 2 + len(briefing.sentences) * 4
    return len(briefing.charts) / 3 + (rows + 12) / 35


def _font(run_or_style: object, name: str) -> None:
    """``name`` for Latin and Chinese text, replacing any theme font (which would win over it)."""
    run_or_style.font.name = name  # type: ignore[attr-defined]
    element = run_or_style.element  # type: ignore[attr-defined]
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), name)


def _field(paragraph: object, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) with text shown until Word updates it."""
    def run_with(tag: str, **attrs: str) -> None:
        run = paragraph.add_run()  # type: ignore[attr-defined]
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        run._r.append(element)

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    run_with("w:instrText", **{"xml:space": "preserve"})
    paragraph.runs[-1]._r[-1].text = f" {instruction} "  # type: ignore[attr-defined]
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run(placeholder)  # type: ignore[attr-defined]
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def _page_setup(document: Document, briefing: Briefing) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    header = section.header.paragraphs[0]
    header.text = f"{TITLE} · {briefing.scope_text} · 数据截至 {briefing.as_of.isoformat()}　　{MARKING}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页 / 共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")
    styles = document.styles
    _font(styles["Normal"], BODY_FONT)
    styles["Normal"].font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2"):
        _font(styles[name], HEADING_FONT)
        styles[name].font.color.rgb, styles[name].font.bold = RED, True


def _table(document: Document, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        run = cell.paragraphs[0].runs[0]
        run.font.bold = True
        _font(run, HEADING_FONT)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9.5)


def write_docx(briefing: Briefing, images: list[bytes], *, toc: bool | None = None) -> bytes:
    """The .docx bytes; ``toc`` None decides from :func:`estimated_pages`."""
    document = Document()
    _page_setup(document, briefing)
    marking = document.add_paragraph()
    marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = marking.add_run(MARKING)
    run.font.bold, run.font.color.rgb = True, RED
    _font(run, HEADING_FONT)
    title = document.add_heading(TITLE, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in meta_lines(briefing):
        document.add_paragraph(line).runs[0].font.size = Pt(10)
    if toc if toc is not None else estimated_pages(briefing) > 2:
        document.add_heading("目录", level=1)
        _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "\n".join(HEADINGS))
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        document.settings.element.find(qn("w:compat")).addprevious(update)  # its place in the schema's order
        document.add_page_break()
    document.add_heading(HEADINGS[0], level=1)
    for sentence in briefing.sentences:
        document.add_paragraph(sentence)
    document.add_heading(HEADINGS[1], level=1)
    for section_title, headlines in briefing.sections:
        if headlines:
            document.add_heading(section_title, level=2)
            _table(document, TABLE_HEADER, [table_row(h) for h in headlines])
            note = section_notes(headlines)
            if note:
                document.add_paragraph(note).runs[0].font.size = Pt(9)
    document.add_paragraph(footnote(briefing)).runs[0].font.size = Pt(9)
    document.add_heading(HEADINGS[2], level=1)
    for chart, image in zip(briefing.charts, images, strict=True):
        document.add_picture(io.BytesIO(image), width=Mm(165))
        if chart.note:
            document.add_paragraph(chart.note).runs[0].font.size = Pt(9)
    document.add_heading(HEADINGS[3], level=1)
    _table(document, ("指标", "单位", "口径"), [tuple(row) for row in briefing.glossary])
    buffer = io.BytesIO()
    document.save(buffer)
    return embed_fonts(buffer.getvalue())
