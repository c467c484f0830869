"""The briefing as a PDF: HTML laid out for A4, printed by headless Chromium (fonts embedded).

Chromium's header and footer templates carry the 内部资料 marking and 第 N 页 / 共 M 页 on every
page. A table of contents is added when the briefing is longer than two pages: the document is
printed once, its pages counted, and printed again with the contents list (its entries link to
the sections; the PDF also carries an outline for the reader's side panel).
"""

from __future__ import annotations

import base64
import html
import re

from warehouse.report.content import MARKING, TITLE, Briefing
from warehouse.report.images import FONT, print_pdf
from warehouse.report.layout import HEADINGS, TABLE_HEADER, footnote, meta_lines, section_notes, table_row

_CSS = f"""
@page {{ size: A4; }}
body {{ font-family: {FONT}; font-size: 11pt; line-height: 1.6; color: #1f2328; }}
h1 {{ font-size: 20pt; text-align: center; margin: 0 0 4mm; color: #9b1c1c; }}
h2 {{ font-size: 14pt; border-bottom: 2px solid #9b1c1c; margin: 6mm 0 3mm; break-after: avoid; }}
h3 {{ font-size: 12pt; margin: 4mm 0 2mm; break-after: avoid; }}
.marking {{ text-align: right; color: #9b1c1c; font-weight: bold; }}
.meta {{ color: #444; font-size: 10pt; margin: 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; }}
th, td {{ border: 1px solid #c8ccd2; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }}
th {{ background: #f3f4f6; }}
td.num {{ text-align: right; white-space: nowrap; }}
tr {{ break-inside: avoid; }}
figure {{ margin: 3mm 0; break-inside: avoid; }}
figure img {{ width: 100%; }}
.note {{ font-size: 9pt; color: #555; }}
.toc a {{ color: inherit; text-decoration: none; }}
"""
_HEADER = (f'<div style="font-family:{FONT};font-size:8pt;width:100%;padding:0 18mm;display:flex;'
           'justify-content:space-between;color:#9b1c1c;"><span>{title}</span><span>' + MARKING + '</span></div>')
_FOOTER = (f'<div style="font-family:{FONT};font-size:8pt;width:100%;text-align:center;color:#444;">'
           '第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</div>')


def _e(text: object) -> str:
    return html.escape(str(text))


def render_html(briefing: Briefing, images: list[bytes], *, toc: bool) -> str:
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{_e(TITLE)}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<p class='marking'>{_e(MARKING)}</p><h1>{_e(TITLE)}</h1>"]
    parts += [f"<p class='meta'>{_e(line)}</p>" for line in meta_lines(briefing)]
    if toc:
        items = "".join(f"<li><a href='#s{i}'>{_e(h)}</a></li>" for i, h in enumerate(HEADINGS))
        parts.append(f"<div class='toc'><h2>目录</h2><ol style='list-style:none;padding:0'>{items}</ol></div>")
    parts.append(f"<h2 id='s0'>{_e(HEADINGS[0])}</h2>")
    parts += [f"<p>{_e(sentence)}</p>" for sentence in briefing.sentences]
    parts.append(f"<h2 id='s1'>{_e(HEADINGS[1])}</h2>")
    for title, headlines in briefing.sections:
        if not headlines:
            continue
        rows = "".join("<tr>" + "".join(f"<td class='{'num' if i in (1, 2, 3) else ''}'>{_e(c)}</td>"
                                         for i, c in enumerate(table_row(h))) + "</tr>" for h in headlines)
        head = "".join(f"<th>{_e(c)}</th>" for c in TABLE_HEADER)
        widths = "".join(f"<col style='width:{w}%'>" for w in (34, 11, 17, 17, 21))
        parts.append(f"<h3>{_e(title)}</h3><table><colgroup>{widths}</colgroup><thead><tr>{head}</tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
        note = section_notes(headlines)
        if note:
            parts.append(f"<p class='note'>{_e(note)}</p>")
    parts.append(f"<p class='note'>{_e(footnote(briefing))}</p>")
    parts.append(f"<h2 id='s2'>{_e(HEADINGS[2])}</h2>")
    for chart, image in zip(briefing.charts, images, strict=True):
        data = base64.b64encode(image).decode("ascii")
        note = f"<figcaption class='note'>{_e(chart.note)}</figcaption>" if chart.note else ""
        parts.append(f"<figure><img alt='{_e(chart.title)}' src='data:image/png;base64,{data}'>{note}</figure>")
    parts.append(f"<h2 id='s3'>{_e(HEADINGS[3])}</h2><table><thead><tr><th>指标</th><th>单位</th><th>口径</th>"
                 "</tr></thead><tbody>")
    parts += [f"<tr><td>{_e(label)}</td><td>{_e(unit)}</td><td>{_e(text)}</td></tr>"
              for label, unit, text in briefing.glossary]
    parts.append("</tbody></table></body></html>")
    return "".join(parts)


def page_count(pdf: bytes) -> int:
    """Pages of a PDF Chromium wrote (its page tree's /Count)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    return max(counts, default=0)


def write_pdf(chromium: object, briefing: Briefing, images: list[bytes]) -> tuple[bytes, int]:
    """The PDF and its page count; with a table of contents when it runs past two pages."""
    header = _HEADER.format(title=_e(f"{TITLE} · {briefing.scope_text} · 数据截至 {briefing.as_of.isoformat()}"))
    pdf = print_pdf(chromium, render_html(briefing, images, toc=False), header=header, footer=_FOOTER)
    pages = page_count(pdf)
    if pages > 2:
        pdf = print_pdf(chromium, render_html(briefing, images, toc=True), header=header, footer=_FOOTER)
        pages = page_count(pdf)
    return pdf, pages
