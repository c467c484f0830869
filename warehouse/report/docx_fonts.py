"""The Word briefing's Chinese fonts, embedded: so it looks the same on a computer without them.

python-docx cannot embed fonts, so the saved .docx is rewritten as ECMA-376 Part 1 §17.8.1 says
(what Word itself writes with 「将字体嵌入文件」): each face becomes a part ``word/fonts/fontN.odttf``
whose first 32 bytes are XORed with a GUID (reversed byte order), related from
``word/fontTable.xml`` by ``w:embedRegular`` / ``w:embedBold`` with ``r:id`` and that GUID as
``w:fontKey``; ``settings.xml`` gets ``w:embedTrueTypeFonts`` and ``w:saveSubsetFonts``.

The faces are Noto Serif CJK SC (body, the 宋体 role) and Noto Sans CJK SC Bold (headings, the 黑体
role), the fonts the PDF uses, from Debian's fonts-noto-cjk. Those are OpenType with PostScript
(CFF) outlines in a collection, and Word embeds only TrueType outlines, so each face is cut to
the characters the document uses (plus printable ASCII, so an edited figure still shows) and its
outlines converted to TrueType quadratics (fontTools): about 100 KB a face instead of 20 MB.
A Word that refuses embedded fonts falls back to the ``w:altName`` (宋体, 黑体).
"""

from __future__ import annotations

import io
import re
import struct
import subprocess
import uuid
import zipfile
from dataclasses import dataclass
from html import unescape
from xml.sax.saxutils import escape

from warehouse.errors import RefreshError


@dataclass(frozen=True)
class Face:
    """One embedded face: the name documents use, the fallback name, and how fontconfig finds it."""

    family: str
    alt_name: str
    word_family: str  # fontTable's w:family: roman (serif) or swiss (sans)
    bold: bool

    @property
    def pattern(self) -> str:
        return f"{self.family}:style={'Bold' if self.bold else 'Regular'}"


BODY = Face("Noto Serif CJK SC", "宋体", "roman", bold=False)
HEADING = Face("Noto Sans CJK SC", "黑体", "swiss", bold=True)
FACES = (BODY, HEADING)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
ODTTF_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_ALWAYS = "".join(map(chr, range(0x20, 0x7F))) + "，。、；：？！“”‘’（）《》【】—…·％　"


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376's font obfuscation (its own inverse): the first 32 bytes XOR the GUID ``key``'s
    16 bytes taken from the last hex pair to the first."""
    guid = bytes.fromhex(re.sub(r"[{}-]", "", key))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _locate(face: Face) -> tuple[str, int]:
    """The file and collection index fontconfig has for ``face``."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", face.pattern],
                               capture_output=True, text=True, check=True, timeout=30).stdout.split("\n")
    except (OSError, subprocess.SubprocessError) as error:
        raise RefreshError(f"无法查找字体 {face.family}（fc-match 不可用）："
                           "请安装 fontconfig 和 fonts-noto-cjk") from error
    if len(found) < 3 or face.family not in found[2].split(","):
        raise RefreshError(f"找不到字体 {face.family}，Word 简报无法嵌入中文字体：请安装 fonts-noto-cjk")
    return found[0], int(found[1] or 0)


def subset_face(face: Face, text: str) -> bytes:
    """``face`` cut to the characters of ``text`` (and printable ASCII), as a TrueType font.

    Built glyph by glyph rather than with fontTools' subsetter: only the glyphs used are read
    and drawn (cubic curves to quadratics, 1 unit tolerance), where the subsetter walks and
    desubroutinises the CFF of all 65,000 (seconds a face). Names, OS/2 (its embedding
    permission, fsType) and vertical metrics are the face's own.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    path, index = _locate(face)
    source = TTFont(path, fontNumber=index, lazy=True)
    best = source["cmap"].getcmap(3, 10) or source["cmap"].getcmap(3, 1)
    mapping = {ord(c): best.cmap[ord(c)] for c in set(text + _ALWAYS) if ord(c) in best.cmap}
    order = [".notdef", *sorted(set(mapping.values()) - {".notdef"})]
    drawn, ids = source.getGlyphSet(), source.getReverseGlyphMap()
    # advances straight from hmtx (decompiling all 65,000 entries costs a third of a second)
    widths, last = source.reader["hmtx"], source["hhea"].numberOfHMetrics - 1
    advances = {name: struct.unpack_from(">H", widths, 4 * min(ids[name], last))[0] for name in order}
    font = TTFont()
    font.setGlyphOrder(order)
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(None)
        drawn[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
        glyf[name].recalcBounds(glyf)
    font["loca"] = newTable("loca")
    hmtx = font["hmtx"] = newTable("hmtx")
    hmtx.metrics = {name: (advances[name], getattr(glyf[name], "xMin", 0)) for name in order}
    cmap = font["cmap"] = newTable("cmap")
    cmap.tableVersion, cmap.tables = 0, []
    for platform, encoding, format_ in ((0, 4, 12), (3, 10, 12), (3, 1, 4)):
        table = CmapSubtable.newSubtable(format_)
        table.platformID, table.platEncID, table.language = platform, encoding, 0
        table.cmap = {code: glyph for code, glyph in mapping.items() if format_ == 12 or code <= 0xFFFF}
        cmap.tables.append(table)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion, maxp.numGlyphs, maxp.maxZones = 0x00010000, len(order), 1
    for field in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxTwilightPoints",
                  "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, field, 0)
    for tag in ("head", "hhea", "OS/2", "name"):
        font[tag] = source[tag]
    font["head"].glyphDataFormat = 0
    post = font["post"] = source["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def document_text(parts: dict[str, bytes]) -> str:
    """Every character written in the document body, headers and footers (``w:t``)."""
    text = []
    for name, data in parts.items():
        if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
            text += re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", data.decode("utf-8"))
    return unescape("".join(text))


def _font_entries(faces: list[tuple[Face, str, str]]) -> str:
    entries = []
    for face, rid, key in faces:
        embed = "embedBold" if face.bold else "embedRegular"
        entries.append(f'<w:font w:name="{escape(face.family)}"><w:altName w:val="{escape(face.alt_name)}"/>'
                       f'<w:charset w:val="86"/><w:family w:val="{face.word_family}"/><w:pitch w:val="variable"/>'
                       f'<w:{embed} r:id="{rid}" w:fontKey="{key}" w:subsetted="1"/></w:font>')
    return "".join(entries)


def _settings_embedding(settings: str) -> str:
    """``settings.xml`` asking Word to keep the fonts embedded (subset) when it saves: the two
    elements come first in the schema's order but for writeProtection, view and zoom."""
    flags = "<w:embedTrueTypeFonts/><w:saveSubsetFonts/>"
    before = [*re.finditer(r"<w:settings\b[^>]*>|<w:(?:writeProtection|view|zoom)\b[^>]*/>", settings)]
    end = before[-1].end()
    return settings[:end] + flags + settings[end:]


def embed_fonts(docx: bytes) -> bytes:
    """``docx`` with :data:`FACES` embedded, subset to its text."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    text = document_text(parts)
    embedded, relationships = [], []
    for number, face in enumerate(FACES, start=1):
        key = "{" + str(uuid.uuid4()).upper() + "}"
        parts[f"word/fonts/font{number}.odttf"] = obfuscate(subset_face(face, text), key)
        embedded.append((face, f"rId{number}", key))
        relationships.append(f'<Relationship Id="rId{number}" Type="{FONT_REL}" Target="fonts/font{number}.odttf"/>')
    parts["word/_rels/fontTable.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(relationships) + "</Relationships>").encode("utf-8")
    table = parts["word/fontTable.xml"].decode("utf-8")
    if f'xmlns:r="{_R}"' not in table:
        table = table.replace(f'xmlns:w="{_W}"', f'xmlns:w="{_W}" xmlns:r="{_R}"', 1)
    parts["word/fontTable.xml"] = table.replace("</w:fonts>", _font_entries(embedded) + "</w:fonts>").encode("utf-8")
    parts["word/settings.xml"] = _settings_embedding(parts["word/settings.xml"].decode("utf-8")).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace(
        "<Default ", f'<Default Extension="odttf" ContentType="{ODTTF_TYPE}"/><Default ', 1).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()
