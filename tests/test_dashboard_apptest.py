"""Every page of the dashboard, run headless by Streamlit's AppTest on a real published warehouse."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard import labels, signin, ui
from tests.dashboard_support import APP, PAGES, key_figures, pool_count, published_sample
from warehouse.accounts import Role, UserStore
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import Figure

# The figures the article reports, which the bundled sample is built to reproduce.
ARTICLE = {"pool_total": "900 人", "pool_female": "470 人", "pool_born_1980s": "120 人",
           "pool_ethnic_minority": "48 人", "pool_sector_party_gov": "650 人", "pool_sector_institution": "150 人",
           "pool_sector_outside": "100 人", "pool_ready_now": "100 人", "pool_ready_longer": "500 人",
           "progressive_classes": "3 期", "progressive_trainees": "75 人", "teams_total": "36 个",
           "county_level_placed_since_term": "90 人", "democratic_party_chairs": "7 人"}

Run = Callable[..., AppTest]


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    return published_sample(request)


@pytest.fixture
def run(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("CADRES_WAREHOUSE", str(warehouse))

    def run_page(page: str = "overview", **query: str | list[str]) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        if page != "overview":
            at.switch_page(f"app_pages/{page}.py")
        return at.run()

    return run_page


def _shown(figure: Figure) -> tuple[str, str]:
    """What the card of a figure must say: its (possibly shortened) title and its value."""
    title = labels.CARD_LABELS.get(figure.figure_id, figure.label)
    if figure.value is None:
        return title, labels.NOT_AVAILABLE
    return title, f"{figure.value:.1%}" if figure.unit == "比率" else f"{round(figure.value):,} {figure.unit}"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception(run: Run, page: str) -> None:
    at = run(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == labels.PAGES[page][0]


def test_overview_cards_show_the_key_figures(run: Run, warehouse: Path) -> None:
    at = run()
    cards = {m.label: m.value for m in at.metric}
    figures = key_figures(warehouse)
    for figure_id, figure in figures.items():
        title, text = _shown(figure)
        assert cards.get(title) == text, figure_id
    for figure_id, text in ARTICLE.items():
        assert cards[labels.CARD_LABELS.get(figure_id, figures[figure_id].label)] == text, figure_id


def test_a_region_in_the_url_narrows_every_pool_card(run: Run, warehouse: Path) -> None:
    at = run(region="市中区")
    assert not at.exception
    assert at.multiselect(key="region").value == ["市中区"]
    total = key_figures(warehouse)["pool_total"].label
    assert {m.label: m.value for m in at.metric}[total] == f"{pool_count(warehouse, '市中区'):,} 人"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_honours_all_filters_at_once(run: Run, page: str) -> None:
    at = run(page, region=["乐山市本级", "市中区"], sector="党政机关", list="副科级以上党外干部", snapshot="2017-12-31")
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="snapshot").value == "2017-12-31"
    assert any("乐山市本级" in c.value for c in at.caption)


@pytest.mark.parametrize(("query", "named"), [
    ({"region": "火星"}, ["region", "火星", "市中区"]),
    ({"snapshot": "1999-01-01"}, ["snapshot", "1999-01-01", "2018-04-30"]),
    ({"list": ["党外知识分子", "不存在"]}, ["list", "不存在", "民主党派代表人士"]),
])
def test_a_value_the_warehouse_lacks_is_named_and_nothing_is_shown(run: Run, query: dict, named: list[str]) -> None:
    """A bad link never falls back silently to the whole city: it says which value is wrong."""
    at = run(**query)
    assert not at.exception
    assert len(at.error) == 1 and all(word in at.error[0].value for word in named), at.error
    assert not at.metric and not at.get("plotly_chart")


@pytest.mark.parametrize(("page", "query", "named"), [
    ("overview", {"snapshot": "abc"}, ["snapshot", "abc", "2017-12-31"]),
    ("trends", {"sector": "不存在"}, ["sector", "不存在", "党政机关"]),
    ("teams", {"year": "abc"}, ["year", "年份", "abc", "2017"]),
    ("teams", {"year": "1990"}, ["year", "1990", "2018"]),
    ("composition", {"dim": "不存在"}, ["dim", "分析维度", "不存在", "性别"]),
    ("composition", {"dim": "地区", "by": "地区"}, ["by", "交叉维度", "地区", "（不交叉）"]),
    ("overview", {"mode": "abc"}, ["mode", "显示模式", "abc", "screen"]),
])
def test_a_page_parameter_the_page_lacks_is_named(run: Run, page: str, query: dict, named: list[str]) -> None:
    """Every parameter a page reads is checked the same way, before any number is drawn."""
    at = run(page, **query)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1 and all(word in at.error[0].value for word in named), at.error
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe
    assert at.get("page_link")[-1].proto.label == labels.BAD_PARAMETER_LINK


def test_the_placements_open_on_the_latest_year(run: Run) -> None:
    at = run("teams")
    assert at.selectbox(key="year").value == "2018"
    assert at.selectbox(key="year").options[0] == "2018"


def test_changing_a_filter_changes_the_cards(run: Run) -> None:
    at = run()
    before = at.metric[0].value
    at.multiselect(key="sector").select("体制外").run()
    assert at.metric[0].value != before
    at.button[0].click().run()  # 清除筛选
    assert at.metric[0].value == before


def test_a_list_filter_empties_team_cards_and_says_why(run: Run, warehouse: Path) -> None:
    """Team figures are about teams, not persons: under a list filter they show — and the reason."""
    at = run(list="党外知识分子")
    cards = {m.label: m for m in at.metric}
    scoped = key_figures(warehouse, Scope(lists=("党外知识分子",)))
    teams = scoped["teams_total"]
    assert teams.value is None and teams.note
    card = cards[labels.CARD_LABELS.get("teams_total", teams.label)]
    assert card.value == labels.NOT_AVAILABLE and teams.note in card.help
    assert any(teams.note in c.value for c in at.caption)
    pool = scoped["pool_total"]
    assert cards[pool.label].value == f"{round(pool.value):,} 人"


def test_composition_cross_tab_and_dimensions(run: Run) -> None:
    for first, second in (("地区", "性别"), ("名单", "年龄段"), ("民族", "（不交叉）")):
        at = run("composition", dim=first, by=second)
        assert not at.exception, (first, second, [e.value for e in at.exception])


def test_without_a_warehouse_the_app_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CADRES_WAREHOUSE", str(tmp_path / "nothing" / "cadres.duckdb"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "cadres refresh" in at.error[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_downloads_as_png_and_csv_with_a_chinese_name(run: Run, page: str) -> None:
    at = run(page)
    charts = at.get("plotly_chart")
    assert charts, page
    for chart in charts:
        config = json.loads(chart.proto.config)
        name = config["toImageButtonOptions"]["filename"]
        assert config["toImageButtonOptions"]["format"] == "png"
        assert re.search(r"[\u4e00-\u9fff]", name) and not re.search(r'[\\/:*?"<>|\s]', name), name
    downloads = [d for d in at.get("download_button") if d.proto.label == labels.DOWNLOAD_CSV]
    assert len(downloads) >= len(charts), page


def test_csv_downloads_open_in_excel() -> None:
    data = ui.csv_bytes(pl.DataFrame({"region_name": ["市中区"], "persons": [49], "is_county_level": [True]}))
    assert data.startswith("\ufeff".encode())
    header, row = data.decode("utf-8-sig").splitlines()
    assert header.split(",")[:2] == ["地区", "人数"] and row == "市中区,49,是"
    assert ui.file_stem("人才库构成：按 地区/性别", None) == "人才库构成：按地区_性别"


def test_a_county_account_sees_its_own_region_whatever_the_url_says(
        warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    users = tmp_path / "users.json"
    monkeypatch.setenv("CADRES_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("CADRES_USERS_FILE", str(users))
    monkeypatch.setenv("CADRES_SIGNIN_STATE", str(tmp_path / "signin-state.json"))
    monkeypatch.setenv("CADRES_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    store = UserStore(users, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store.add("shizhong", Role.COUNTY, "市中区", "correct-horse-battery")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["region"] = "沙湾区"  # a link to another county
    at.run()
    assert not at.metric and [w.label for w in at.text_input] == [signin.NAME_LABEL, signin.PASSWORD_LABEL]
    at.text_input[0].input("shizhong")
    at.text_input[1].input("correct-horse-battery")
    at.button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    total = key_figures(warehouse)["pool_total"].label
    assert {m.label: m.value for m in at.metric}[total] == f"{pool_count(warehouse, '市中区'):,} 人"
    region = at.multiselect(key="region_locked")
    assert region.value == ["市中区"] and region.disabled and "region" not in at.query_params
