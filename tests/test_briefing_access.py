"""简报 as a leader or county user makes it from the dashboard: its region only, small counts hidden
as on the pages, and written to the audit log. The briefing's content is read without drawing it
(no Chromium): the charts' numbers are what the images would show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dashboard import briefing as dashboard_briefing
from warehouse.accounts import Account, Role
from warehouse.accounts.visibility import Visibility
from warehouse.report.content import build_briefing
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope

COUNTY = Visibility(Account("shizhong", Role.COUNTY, "市中区"))


def _cells(charts: list[Any]) -> dict[tuple[str, str, str], float | None]:
    return {(chart.title, name, category): value for chart in charts if chart.value_label == "人"
            for name, values in chart.series.items() for category, value in zip(chart.categories, values, strict=True)}


def hidden(briefing: Any) -> set[str]:
    return {h.compared.figure.figure_id for _, hs in briefing.sections for h in hs if h.compared.figure.hidden}


def test_a_county_briefing_is_its_region_whatever_it_asks_and_hides_what_its_pages_hide(
        sample_warehouse: Path) -> None:
    with open_reader(sample_warehouse) as reader:
        asked_elsewhere = build_briefing(reader, Scope(regions=("沙湾区",)), visibility=COUNTY)
        everywhere = build_briefing(reader, Scope(), visibility=COUNTY)
        exact = build_briefing(reader, Scope(regions=("市中区",)))  # cadres report, on the server
    for made in (asked_elsewhere, everywhere):
        assert made.scope.regions == ("市中区",) and made.subject == "市中区"
        # every figure shown reads as on the server, a hidden one reads "<5"; headline totals stay exact
        assert [h.compared.figure.hidden or h.compared.figure.value for _, hs in made.sections for h in hs] == \
            [COUNTY.hidden_text if h.compared.figure.figure_id in hidden(made) else h.compared.figure.value
             for _, hs in exact.sections for h in hs]
        assert "pool_total" not in hidden(made) and "pool_ethnic_minority" in hidden(made)  # 1 in 市中区
    shown, truth = _cells(asked_elsewhere.charts), _cells(exact.charts)
    small = {cell for cell, value in truth.items() if value is not None and 0 < value < COUNTY.min_cell}
    assert small, "the region's training chart has small counts to hide"
    assert all(shown[cell] is None for cell in small)
    assert not [v for v in shown.values() if v is not None and 0 < v < COUNTY.min_cell]
    assert any(chart.note and "未画出" in chart.note for chart in asked_elsewhere.charts)


def test_a_briefing_made_on_the_dashboard_is_audited_with_who_scope_and_format(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("CADRES_AUDIT_LOG", str(log))
    asked: dict[str, Any] = {}

    def make_report(reader: object, scope: Scope, fmt: str, **kwargs: Any) -> tuple[bytes, str]:
        asked.update(kwargs, scope=scope)
        return b"%PDF-1.7", "党外干部工作简报_地区_市中区_2018-04-30.pdf"

    monkeypatch.setattr(dashboard_briefing, "make_report", make_report)
    data = dashboard_briefing.made(object(), Scope(regions=("沙湾区",)), "pdf", COUNTY, "市中区 shizhong")  # type: ignore[arg-type]
    assert data == b"%PDF-1.7" and asked["visibility"] is COUNTY
    entry = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["event"] == "download" and entry["user"] == "shizhong"
    assert entry["scope"] == "地区：市中区" and "简报（pdf）" in entry["detail"] and entry["time"]
