"""Roles as an attacker tries them, on the real dashboard (AppTest) over the session's sample.

A leader or county user crafting query parameters or session state gets no person-level data,
no fine dimension, no small count and nothing outside the region; an analyst gets the people
behind a figure, with ID numbers masked and every view in the audit log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard import filters
from dashboard.drill import Target
from tests.dashboard_support import APP, chart_element, click, key_figures, people_links, pool_count, published_sample
from warehouse.accounts import Account, Role, UserStore
from warehouse.accounts.visibility import Visibility
from warehouse.report.content import build_briefing
from warehouse.report.layout import table_row
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope

PASSWORD = "correct-horse-battery"
SMALL = re.compile(r"^(?:[1-4])(?: 人.*)?$")  # a count from 1 to 4 shown as such
MASKED = re.compile(r"^\d{6}\*{8}[\dX]{4}$")

SignIn = Callable[..., AppTest]


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    return published_sample(request)


@pytest.fixture
def sign_in(warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SignIn:
    users = tmp_path / "users.json"
    for name, value in {"CADRES_WAREHOUSE": warehouse, "CADRES_USERS_FILE": users,
                        "CADRES_SIGNIN_STATE": tmp_path / "state.json",
                        "CADRES_AUDIT_LOG": tmp_path / "audit.jsonl"}.items():
        monkeypatch.setenv(name, str(value))
    store = UserStore(users, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store.add("boss", Role.LEADER, None, PASSWORD)
    store.add("shizhong", Role.COUNTY, "市中区", PASSWORD)
    store.add("ana", Role.ANALYST, None, PASSWORD)
    store.add("dm", Role.STEWARD, None, PASSWORD)

    def run(name: str, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=120).run()
        at.text_input[0].input(name)
        at.text_input[1].input(PASSWORD)
        at.button[0].click()
        at.run()
        if page:
            at.switch_page(f"app_pages/{page}.py")
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def _chart_texts(at: AppTest) -> list[str]:
    texts: list[str] = []
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            for text in trace.get("text") or []:
                texts += text if isinstance(text, list) else [text]
    return [str(t) for t in texts]


def test_a_leader_sees_small_ethnicity_counts_as_under_5_and_pairs_complementarily(sign_in: SignIn) -> None:
    at = sign_in("boss", "composition")
    at.button_group(key="dim").set_value("ethnicity").run()
    texts = _chart_texts(at)
    assert "＜5" in texts and not [t for t in texts if SMALL.match(t)], texts
    at.selectbox(key="by").set_value("sex").run()
    cells = _chart_texts(at)
    assert cells.count("＜5") >= 2 and not [t for t in cells if t in {"1", "2", "3", "4"}], cells


def test_a_leader_cannot_reach_people_fine_dimensions_or_the_marts_browser(sign_in: SignIn) -> None:
    at = sign_in("boss", "explore")
    assert not at.tabs  # no marts browser: it groups by any column, person_key too
    offered = at.selectbox(key="explore_dim").options
    assert not [o for o in offered if "出生日期" in o], offered
    with pytest.raises(ValueError, match="people"):
        at.switch_page("app_pages/people.py")  # the page is not even registered
    # crafting the session's rights in widget state: app.py decides them again on every run
    at.session_state["_visibility"] = Visibility(Account("boss", Role.ANALYST))
    at.run()
    with pytest.raises(ValueError, match="people"):
        at.switch_page("app_pages/people.py")


def test_a_county_user_forcing_another_region_into_widget_state_still_sees_its_own(
        sign_in: SignIn, warehouse: Path) -> None:
    at = sign_in("shizhong")
    at.session_state["region"] = ["沙湾区"]
    at.session_state["_locked_region"] = None
    at.run()
    total = key_figures(warehouse)["pool_total"].label
    assert {m.label: m.value for m in at.metric}[total] == f"{pool_count(warehouse, '市中区'):,} 人"


def test_an_analyst_lists_the_people_behind_a_figure_masked_and_audited(
        sign_in: SignIn, tmp_path: Path, warehouse: Path) -> None:
    at = sign_in("ana", "people")
    at.session_state["region"] = ["市中区"]
    at.run()
    people = at.dataframe[0].value
    assert len(people) == pool_count(warehouse, "市中区")
    ids = people.iloc[:, 1].tolist()
    assert all(MASKED.match(number) for number in ids), ids[:3]
    assert people.iloc[:, 0].str.len().min() >= 2  # names, from the restricted store
    log = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    views = [entry for entry in log if entry["event"] == "person_view"]
    assert views[-1]["user"] == "ana" and views[-1]["rows"] == len(people) and "市中区" in views[-1]["scope"]


def test_a_steward_sees_rejected_rows_with_ids_masked_and_a_leader_does_not(
        sign_in: SignIn, tmp_path: Path) -> None:
    at = sign_in("boss", "quality")
    assert not at.toggle and not [d for d in at.dataframe if "值" in d.value.columns]
    at = sign_in("dm", "quality")
    at.toggle(key="quality_show_rejects").set_value(True).run()
    rows = next(d.value for d in at.dataframe if "值" in d.value.columns)
    assert len(rows) > 0 and rows["原因"].str.contains("校验位").any()
    ids = rows.loc[rows["列"] == "身份证号", "值"].dropna().tolist()
    assert ids and not [v for v in ids if re.search(r"\d{14}", v)], ids[:3]
    log = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert '"user": "dm"' in log and "拒收行" in log


def small_page() -> None:
    """A CSV as a leader downloads it (AppTest runs this body as a script)."""
    import polars as pl
    import streamlit as st

    from dashboard import access, ui
    from warehouse.accounts import Account, Role

    visibility = access.set_account(Account("boss", Role.LEADER))
    frame = pl.DataFrame({"pool_membership__ethnicity": ["汉族", "彝族", "回族"], "pool_total": [880, 3, 17]})
    shown = visibility.shown(frame, ["pool_membership__ethnicity"], {"pool_total": "人"})
    st.text(ui.csv_bytes(shown).decode("utf-8-sig"))


def test_a_leaders_download_says_under_5_where_the_chart_hides_a_count() -> None:
    at = AppTest.from_function(small_page, default_timeout=30).run()
    rows = at.text[0].value.splitlines()[1:]
    assert [row.split(",")[1] for row in rows] == ["880", "<5", "<5"]


def test_an_analyst_drills_from_a_bar_or_a_card_to_the_people_and_a_leader_is_never_offered_it(
        sign_in: SignIn, warehouse: Path) -> None:
    at = sign_in("ana", "composition")
    click(at, "composition_one", lambda trace, items, number: items == ["党政机关"])
    (label, params), = people_links(at).items()
    assert "党政机关" in label and params["people_where"] == ["身份类别:党政机关"]
    at.switch_page("app_pages/people.py")
    at.query_params.update(params)
    at.run()
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="people_metric").value == "pool_total"
    with open_reader(warehouse) as reader:
        frame = reader.query(["pool_total"], ["pool_membership__sector"], reader.options.check(Scope())).frame
    expected = frame.filter(frame["pool_membership__sector"] == "党政机关")["pool_total"].item()
    assert len(at.dataframe[0].value) == expected
    at.query_params["people_where"] = "身份类别:不存在"  # a crafted value is refused, not ignored
    at.run()
    assert at.error and "不存在" in at.error[0].value and not at.dataframe
    cards = people_links(sign_in("ana"))
    assert "人员名单" in cards
    boss = sign_in("boss")
    assert not people_links(boss)  # no card link
    boss.switch_page("app_pages/composition.py")
    boss.run()
    forged = Target("pool_total", (("pool_membership__sector", ("党政机关",)),))
    boss.session_state[filters.DRILL] = (chart_element(boss, "composition_one").key, forged)  # a forged click
    boss.run()
    assert not people_links(boss)


def clicking_page() -> None:
    """A click on a bar, as Streamlit hands it to the chart's callback (AppTest runs this body)."""
    import streamlit as st

    from dashboard import filters
    from dashboard.drill import SNAPSHOT, Drill

    st.session_state["bars"] = {"selection": {"points": [{"customdata": ["2017-12-31", "true"]}]}}
    drill = Drill("pool_total", (SNAPSHOT, "pool_membership__was_trained"), where={"pool_membership__sex": ["女"]})
    filters.on_click("bars", None, drill=drill)()
    st.text(repr(st.session_state[filters.DRILL]))


def test_a_click_on_a_bar_records_metric_every_condition_and_the_snapshot_for_the_people_link() -> None:
    at = AppTest.from_function(clicking_page, default_timeout=30).run()
    assert at.text[0].value == repr(("bars", Target(
        "pool_total", (("pool_membership__sex", ("女",)), ("pool_membership__was_trained", ("是",))),
        date(2017, 12, 31))))


def test_a_leader_filtering_a_small_region_sees_no_small_count_on_the_cards(sign_in: SignIn, warehouse: Path) -> None:
    """Under a region filter a card such as 其中少数民族 is a cell of region × ethnicity."""
    at = sign_in("boss")
    at.session_state["region"] = ["乐山高新区"]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    cards = {m.label: m for m in at.metric}
    values = [m.value for m in cards.values()]
    assert values and not [v for v in values if SMALL.match(v)], values
    figures = key_figures(warehouse, Scope(regions=("乐山高新区",)))
    small = [f for f in figures.values() if f.unit == "人" and f.value and 0 < f.value < 5
             and f.figure_id.startswith("pool_")]
    assert small, "the sample's 乐山高新区 should have a small pool figure"
    total = cards[figures["pool_total"].label]
    assert total.value == f"{pool_count(warehouse, '乐山高新区'):,} 人"  # the headline total stays exact
    hidden = [m for m in cards.values() if m.value == "<5 人"]
    assert hidden and not [m.delta for m in hidden if m.delta], [(m.label, m.delta) for m in hidden]


def test_a_county_users_briefing_hides_the_cards_its_pages_hide(warehouse: Path) -> None:
    county = Visibility(Account("gaoxin", Role.COUNTY, "乐山高新区"))
    with open_reader(warehouse) as reader:
        briefing = build_briefing(reader, Scope(regions=("沙湾区",)), visibility=county)  # confined to its own
        exact = {f.figure_id: f.value for f in reader.figures(Scope(regions=("乐山高新区",)))}
        figures = {h.compared.figure.figure_id: h.compared for _, headlines in briefing.sections for h in headlines}
        # a card that is one row of a breakdown (meta cell) is hidden exactly when the page's
        # breakdown at the same scope, suppressed for the same session, hides that row
        catalog, agree = reader.catalog, 0
        for name, item in figures.items():
            cell, total = catalog.metric(name).cell, catalog.total_of(name)
            if cell is None or total is None:
                continue
            frame = reader.query([total], [cell.dimension], briefing.scope).frame
            row = county.shown(frame, [cell.dimension], {total: "人"}, narrowed=True).filter(
                pl.col(cell.dimension) == cell.value)
            assert bool(item.figure.hidden) == (row.height > 0 and row[total][0] is None), name
            agree += 1
        assert agree >= 10
    hidden = {name for name, item in figures.items() if item.figure.hidden}
    assert {name for name, value in exact.items() if name.startswith("pool_") and value and 0 < value < 5} <= hidden
    assert "pool_total" not in hidden and figures["pool_total"].figure.value == exact["pool_total"]
    assert all(figures[name].prior_year.delta is None and figures[name].year_start.delta is None for name in hidden)
    rows = {row[0]: row for _, headlines in briefing.sections for row in map(table_row, headlines)}
    for name in hidden:  # the table reads "<5", with no change beside it; the sentences leave it out
        assert rows[figures[name].figure.label][1:3] == ("<5人", "—"), rows[figures[name].figure.label]
        assert figures[name].figure.label not in " ".join(briefing.sentences)


def test_a_card_of_5_or_more_is_hidden_where_its_breakdown_hides_it_as_a_partner(warehouse: Path) -> None:
    """夹江县's 年龄段 hides 80后 (11 people) only as the partner of a small generation: the
    其中“80后” card hides too, or the exact total minus the cards would give that small one away."""
    leader = Visibility(Account("boss", Role.LEADER))
    with open_reader(warehouse) as reader:
        scope = reader.options.check(Scope(regions=("夹江县",)))
        exact = {f.figure_id: f.value for f in reader.figures(scope)}
        frame = reader.query(["pool_total"], ["pool_membership__generation"], scope).frame
        briefing = build_briefing(reader, scope, visibility=leader)
    ages = leader.shown(frame, ["pool_membership__generation"], {"pool_total": "人"}, narrowed=True)
    truth = dict(frame.iter_rows())
    hidden_ages = [age for age, n in ages.iter_rows() if n is None]
    assert "80后" in hidden_ages and (exact["pool_born_1980s"] or 0) >= 5
    assert any(0 < (truth.get(age) or 0) < 5 for age in hidden_ages), truth  # the small one it protects
    card = next(h.compared for _, hs in briefing.sections for h in hs
                if h.compared.figure.figure_id == "pool_born_1980s")
    assert card.figure.hidden == "<5" and card.figure.value is None
    assert card.prior_year.delta is None and card.year_start.delta is None
