"""简报 and the true comparisons: the briefing read back against the metric layer.

One Word and one PDF briefing per warehouse, made by ``cadres report`` as a user runs it, then
read back (python-docx; ``pdftotext -raw``: cells in the order they were drawn) and compared
with ``cadres figures`` for the same scope and date: the figures, 较上年同期 / 较年初 against
the snapshot dbt names, the scope and date printed, the 内部资料 marking, page numbers and
embedded fonts (the PDF's by ``pdffonts``; the Word file's read out of its zip as Word would:
ECMA-376's font parts deobfuscated and parsed with fontTools).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from fontTools.ttLib import TTFont
from streamlit.testing.v1 import AppTest

from tests.conftest import cadres_in_process, run_cadres
from tests.dashboard_support import APP
from warehouse.report.content import cn_date, value_text
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope

CASES = {"sample": ("sample_warehouse", []), "seed7": ("other_seed_warehouse", ["--region", "市中区"])}


def figures(warehouse: Path, *args: str) -> dict:
    """``cadres figures --json`` in this process (its child-process form is tested in
    test_metric_layer; a child costs ~6 CPU s of imports, issue 12)."""
    result = cadres_in_process("figures", "--warehouse", str(warehouse), "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def shown(data: dict, figure_id: str) -> str:
    """A figure as the briefing prints it, from ``cadres figures --json``."""
    return value_text(data["figures"][figure_id], data["units"][figure_id])


@pytest.fixture(scope="module", params=list(CASES))
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both briefings of one warehouse and scope, and ``cadres figures`` at it and at the
    snapshots it is compared with."""
    fixture, scope = CASES[request.param]
    warehouse = request.getfixturevalue(fixture)
    folder = tmp_path_factory.mktemp(f"briefing_{request.param}")
    outputs = {}
    for fmt in ("docx", "pdf"):
        out = folder / f"brief.{fmt}"
        # the sample's Word briefing as a user runs it, in its own process; the others in this
        # one (the same `main`, without ~6 CPU s of imports each, issue 12)
        run = run_cadres if (request.param, fmt) == ("sample", "docx") else cadres_in_process
        result = run("report", "--warehouse", str(warehouse), *scope, "--format", fmt, "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert out.name in result.stdout
        outputs[fmt] = out
    now = figures(warehouse, *scope)
    with open_reader(warehouse) as reader:
        checked = reader.options.check(Scope(regions=tuple(scope[1:2])))
        info = reader.snapshot_info(checked.snapshot)
        descriptions = {name: metric.description for name, metric in reader.catalog.metrics.items()}
    prior = figures(warehouse, *scope, "--snapshot", info.prior_year.isoformat())
    start = figures(warehouse, *scope, "--snapshot", info.year_start.isoformat())
    text = subprocess.run(["pdftotext", "-raw", str(outputs["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    document = Document(str(outputs["docx"]))
    return {"now": now, "prior": prior, "start": start, "info": info, "pdf": outputs["pdf"], "pdf_text": text,
            "docx": document, "docx_path": outputs["docx"], "descriptions": descriptions,
            "scope": "全市" if not scope else f"地区：{scope[1]}", "subject": "全市" if not scope else scope[1]}


def _docx_text(document: Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _docx_rows(document: Document, columns: int) -> dict[str, list[str]]:
    """The rows of the tables with ``columns`` columns (5: key figures; 3: the 口径 appendix), by label."""
    return {row.cells[0].text: [c.text for c in row.cells] for table in document.tables
            if len(table.columns) == columns for row in table.rows}


def _expected_change(now: dict, before: dict, figure_id: str) -> str:
    """较上年同期 / 较年初 as printed, from two ``cadres figures`` answers."""
    new, old = now["figures"][figure_id], before["figures"][figure_id]
    if new is None or old is None:
        return "—"
    if now["units"][figure_id] == "比率":
        points = (new - old) * 100
        return "持平" if round(points, 1) == 0 else f"{points:+.1f}个百分点"
    delta = round(new - old)
    return "持平" if delta == 0 else f"{delta:+,}" + (f"（{(new - old) / old:+.1%}）" if old else "")


def test_the_word_briefing_states_the_metric_layers_figures_and_comparisons(made: dict) -> None:
    document, now = made["docx"], made["now"]
    text = _docx_text(document)
    assert f"范围：{made['scope']}" in text
    assert f"数据截至日期：{now['as_of']}" in text
    assert f"较上年同期：与 {made['info'].prior_year.isoformat()} 的快照比较" in text
    assert "内部资料" in text and "内部资料" in document.sections[0].header.paragraphs[0].text
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    rows = _docx_rows(document, 5)
    for figure_id, label in now["labels"].items():
        cells = rows[label]
        assert cells[1] == shown(now, figure_id), label
        assert cells[2] == _expected_change(now, made["prior"], figure_id), label
        assert cells[3] == _expected_change(now, made["start"], figure_id), label
    glossary = _docx_rows(document, 3)
    for figure_id, label in now["labels"].items():
        assert glossary[label][1:] == [now["units"][figure_id], made["descriptions"][figure_id]], label
    assert len(document.inline_shapes) >= 3  # the charts


def test_the_pdf_briefing_says_the_same_with_page_numbers_and_embedded_fonts(made: dict) -> None:
    text, now = "".join(made["pdf_text"].split()), made["now"]  # lines wrap anywhere in Chinese
    total = now["figures"]["pool_total"]
    before = made["prior"]["figures"]["pool_total"]
    verb = "增加" if total >= before else "减少"
    assert (f"截至{cn_date(made['info'].snapshot)}，{made['subject']}{now['labels']['pool_total']}为"
            f"{shown(now, 'pool_total')}，较上年同期（{cn_date(made['info'].prior_year)}）{verb}"
            f"{abs(round(total - before)):,}人") in text
    assert f"范围：{made['scope']}" in text and f"数据截至日期：{now['as_of']}" in text
    assert "内部资料" in text and "附录：指标口径" in text
    pages = int(subprocess.run(["pdfinfo", str(made["pdf"])], capture_output=True, text=True, check=True)
                .stdout.split("Pages:")[1].split()[0])
    assert f"第1页/共{pages}页" in text and f"第{pages}页/共{pages}页" in text
    assert pages > 2 and "目录" in text
    for figure_id, label in now["labels"].items():
        value = shown(now, figure_id)
        row = (f"{label}{value}{_expected_change(now, made['prior'], figure_id)}"
               f"{_expected_change(now, made['start'], figure_id)}")
        assert "".join(row.split()) in text, row
    fonts = subprocess.run(["pdffonts", str(made["pdf"])], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(line.split()[-5] == "yes" for line in rows), fonts


def _deobfuscated(data: bytes, font_key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1: the first 32 bytes XOR the key's GUID bytes, last pair first."""
    key = bytes.fromhex(re.sub(r"[{}-]", "", font_key))[::-1]
    return bytes(b ^ key[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def test_the_word_briefing_embeds_the_chinese_fonts_it_is_set_in(made: dict) -> None:
    document = made["docx"]
    section = document.sections[0]
    text = "".join([_docx_text(document), section.header.paragraphs[0].text, section.footer.paragraphs[0].text,
                    *(cell.text for table in document.tables for row in table.rows for cell in row.cells)])
    with zipfile.ZipFile(made["docx_path"]) as docx:
        fonts_xml = docx.read("word/fontTable.xml").decode()
        rels = docx.read("word/_rels/fontTable.xml.rels").decode()
        settings = docx.read("word/settings.xml").decode()
        types = docx.read("[Content_Types].xml").decode()
        embedded = {}
        for name, kind, rid, key in re.findall(r'<w:font w:name="([^"]+)">.*?<w:(embed\w+) r:id="(\w+)" '
                                               r'w:fontKey="(\{[0-9A-F-]{36}\})"', fonts_xml):
            target = re.search(rf'Id="{rid}"[^>]*Target="(fonts/[^"]+\.odttf)"', rels)
            assert target, (name, rid)
            font = TTFont(io.BytesIO(_deobfuscated(docx.read(f"word/{target[1]}"), key)))
            embedded[name] = (kind, font)
    assert "<w:embedTrueTypeFonts/>" in settings and "<w:saveSubsetFonts/>" in settings
    assert 'Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"' in types
    assert {name: kind for name, (kind, _) in embedded.items()} == {"Noto Serif CJK SC": "embedRegular",
                                                                    "Noto Sans CJK SC": "embedBold"}
    normal, heading = document.styles["Normal"].element.xml, document.styles["Heading 1"].element.xml
    assert 'w:eastAsia="Noto Serif CJK SC"' in normal and 'w:eastAsia="Noto Sans CJK SC"' in heading
    assert "Theme" not in heading  # a theme font would win over the embedded one
    for name, (_, font) in embedded.items():
        assert font["name"].getDebugName(1) == name and "glyf" in font  # TrueType outlines: what Word embeds
        cmap = font.getBestCmap()
        assert sorted({c for c in text if not c.isspace() and ord(c) not in cmap}) == [], name
        assert len(cmap) < 2000, name  # subset, not the 20 MB face
    assert made["docx_path"].stat().st_size < 1_500_000


def test_a_bad_scope_is_refused_like_cadres_figures(sample_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    report = run_cadres("report", "--warehouse", str(sample_warehouse), "--region", "不存在", "--out", str(out))
    figures_run = run_cadres("figures", "--warehouse", str(sample_warehouse), "--region", "不存在")
    assert report.returncode == figures_run.returncode == 1
    assert report.stderr == figures_run.stderr and "地区“不存在”不存在" in report.stderr
    assert not out.exists()


def test_overview_and_trends_compare_with_the_snapshot_a_year_before(sample_warehouse: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRES_WAREHOUSE", str(sample_warehouse))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    now = figures(sample_warehouse)
    with open_reader(sample_warehouse) as reader:
        info = reader.snapshot_info(reader.options.latest)
    prior = figures(sample_warehouse, "--snapshot", info.prior_year.isoformat())
    card = next(m for m in at.metric if m.label == now["labels"]["pool_total"])
    assert card.delta == f"{_expected_change(now, prior, 'pool_total')} 较上年同期"
    assert any(f"与 {info.prior_year.isoformat()} 的快照比较" in c.value for c in at.caption)
    assert [b.label for b in at.get("download_button")][:2] == ["生成简报（Word）", "生成简报（PDF）"]
    at.switch_page("app_pages/trends.py").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "较上年同期" in d.value.columns)
    row = table[table["指标"] == now["labels"]["pool_total"]].iloc[0]
    assert row[f"较上年同期（{info.prior_year.isoformat()}）"] == prior["figures"]["pool_total"]
    assert row["较上年同期"] == now["figures"]["pool_total"] - prior["figures"]["pool_total"]
