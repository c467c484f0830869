"""Reconciliation: every number the pages show is the metric layer's answer for that scope.

On the bundled sample and on a sample generated with another seed, for a grid of scopes (the
whole city, every region, every list, every snapshot, and random combinations):

* what each page draws or prints (cards, bars, chart series) equals ``SemanticReader``'s answer
  for the scope in the URL, so a number shown on two pages is the same on both;
* the metric layer agrees with itself: additive metrics summed over regions equal the city
  total, a part never exceeds its whole, an empty figure always says why.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard import labels, signin
from tests.dashboard_support import APP
from warehouse.accounts import Role, UserStore
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import Figure, SemanticReader

POOL = tuple(labels.OVERVIEW_SECTIONS["pool"][2])
ANALYST, PASSWORD = "analyst01", "correct-horse-battery"
PARTS = {  # part ≤ whole, at every scope
    "pool_female": "pool_total", "pool_born_1980s": "pool_total", "pool_ethnic_minority": "pool_total",
    "pool_ready_now": "pool_total", "county_level_new_since_term": "county_level_placed_since_term",
    "county_level_born_1970s_since_term": "county_level_placed_since_term",
    "democratic_party_chairs_department_level": "democratic_party_chairs", "teams_with_nonparty": "teams_total",
    "county_cppcc_with_3_nonparty": "teams_total",
}


@pytest.fixture(scope="module", params=["sample_warehouse", "other_seed_warehouse"])
def warehouse(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(request.param)


@pytest.fixture(autouse=True)
def analyst_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An analyst's account: a warehouse not built from the bundled sample is never shown without
    one, and an analyst sees every count exactly (a leader's small counts read "<5": what each
    role may see is tested in test_access_apptest and test_suppression, the numbers here)."""
    users = tmp_path / "accounts" / "users.json"
    monkeypatch.setenv("CADRES_USERS_FILE", str(users))
    monkeypatch.setenv("CADRES_SIGNIN_STATE", str(tmp_path / "accounts" / "signin-state.json"))
    monkeypatch.setenv("CADRES_AUDIT_LOG", str(tmp_path / "accounts" / "audit.jsonl"))
    store = UserStore(users, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store.add(ANALYST, Role.ANALYST, None, PASSWORD)


@pytest.fixture(scope="module")
def reader(warehouse: Path) -> Iterator[SemanticReader]:
    with open_reader(warehouse) as opened:
        yield opened


def scope_grid(reader: SemanticReader, seed: int = 2018, combinations: int = 6) -> list[Scope]:
    options = reader.options
    grid = [Scope()]
    grid += [Scope(regions=(region,)) for region in options.regions]
    grid += [Scope(lists=(name,)) for name in options.lists]
    grid += [Scope(sectors=(sector,)) for sector in options.sectors]
    grid += [Scope(snapshot=snapshot) for snapshot in options.snapshots]
    rng = random.Random(seed)
    for _ in range(combinations):
        grid.append(Scope(tuple(rng.sample(options.regions, rng.randint(1, 2))),
                          tuple(rng.sample(options.sectors, rng.randint(0, 1))),
                          tuple(rng.sample(options.lists, rng.randint(0, 2))), rng.choice(options.snapshots)))
    return grid


def test_additive_metrics_over_regions_add_up_to_the_city(reader: SemanticReader) -> None:
    options = reader.options
    additive = [*POOL, "teams_total", "teams_with_nonparty"]
    for snapshot in options.snapshots:
        city = {f.figure_id: f.value for f in reader.figures(Scope(snapshot=snapshot), additive)}
        totals = dict.fromkeys(additive, 0.0)
        for region in options.regions:
            for figure in reader.figures(Scope(regions=(region,), snapshot=snapshot), additive):
                totals[figure.figure_id] += figure.value or 0
        assert totals == city, snapshot
        # trainees and tenures: one region each (persons outside the pool are 不在库)
        at = Scope(snapshot=snapshot)
        for metric, region in (("trainees", "training__region"), ("tenures", "tenure__post_region")):
            whole = reader.query([metric], scope=at).value(metric)
            by_region = reader.query([metric], [region], at).frame[metric].sum()
            assert by_region == whole, (snapshot, metric)


def test_every_scope_answers_consistently(reader: SemanticReader) -> None:
    city = {f.figure_id: f.value for f in reader.figures(Scope())}
    for scope in scope_grid(reader):
        figures = {f.figure_id: f for f in reader.figures(scope)}
        for figure in figures.values():
            assert (figure.value is None) == bool(figure.note) or figure.unit == "比率", (scope, figure)
            if figure.value is not None and figure.unit == "比率":
                assert 0 <= figure.value <= 1, (scope, figure)
            elif figure.value is not None:
                assert figure.value >= 0 and figure.value == int(figure.value), (scope, figure)
        for part, whole in PARTS.items():
            if figures[part].value is not None and figures[whole].value is not None:
                assert figures[part].value <= figures[whole].value, (scope, part)
        if scope.snapshot is None and scope.on_persons:
            for figure_id in POOL:
                assert figures[figure_id].value <= city[figure_id], (scope, figure_id)


# --- what the pages show ------------------------------------------------------------------------

def _run(warehouse: Path, page: str, scope: Scope, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """``page`` at ``scope`` (in the URL), signed in as an analyst."""
    monkeypatch.setenv("CADRES_WAREHOUSE", str(warehouse))
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, values in (("region", scope.regions), ("sector", scope.sectors), ("list", scope.lists)):
        if values:
            at.query_params[key] = list(values)
    if scope.snapshot:
        at.query_params["snapshot"] = scope.snapshot.isoformat()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    if [w.label for w in at.text_input] == [signin.NAME_LABEL, signin.PASSWORD_LABEL]:
        at.text_input[0].input(ANALYST)
        at.text_input[1].input(PASSWORD)
        at.button[0].click()
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.text_input or at.text_input[0].label != signin.NAME_LABEL, "still at the sign-in form"
    return at


def _card_text(figure: Figure) -> str:
    if figure.value is None:
        return labels.NOT_AVAILABLE
    return f"{figure.value:.1%}" if figure.unit == "比率" else f"{round(figure.value):,} {figure.unit}"


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _page_scopes(reader: SemanticReader) -> list[Scope]:
    options = reader.options
    return [Scope(regions=("市中区",)), Scope(lists=(options.lists[1],), snapshot=options.snapshots[1]),
            scope_grid(reader)[-1]]


def test_pages_show_the_metric_layers_numbers(warehouse: Path, reader: SemanticReader,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for scope in _page_scopes(reader):
        at_scope = reader.options.check(scope)
        figures = {f.figure_id: f for f in reader.figures(at_scope)}

        overview = _run(warehouse, "overview", scope, monkeypatch)
        cards = {m.label: m.value for m in overview.metric}
        for figure in figures.values():
            assert cards[labels.CARD_LABELS.get(figure.figure_id, figure.label)] == _card_text(figure), \
                (scope, figure.figure_id)
        funnel = reader.query(["pool_total", "pool_trained", "pool_placed_after_training"], scope=at_scope)
        drawn = next(c for c in _charts(overview) if c["data"][0]["type"] == "funnel")["data"][0]["x"]
        assert drawn == [funnel.value(m) for m in ("pool_total", "pool_trained", "pool_placed_after_training")]

        composition = _run(warehouse, "composition", scope, monkeypatch)
        total = figures["pool_total"].value
        assert composition.metric[0].value == f"{int(total):,} 人"  # the same number as 总览's card
        by_sector = reader.query(["pool_total"], ["pool_membership__sector"], at_scope).frame
        bars = _charts(composition)[0]["data"][0]
        shown = dict(zip(bars["y"] if bars.get("orientation") == "h" else bars["x"],
                         bars["x"] if bars.get("orientation") == "h" else bars["y"], strict=True))
        assert shown == dict(by_sector.iter_rows()), scope

        teams = _run(warehouse, "teams", scope, monkeypatch)
        team_cards = {m.label: m.value for m in teams.metric}
        expected = (f"{_count(figures['teams_with_nonparty'])} / {_count(figures['teams_total'])}")
        assert team_cards[labels.TEAMS_COVERED] == expected, scope
        assert team_cards[labels.TEAMS_CHAIRS] == _card_text(figures["democratic_party_chairs"])

        training = _run(warehouse, "training", scope, monkeypatch)
        trained = reader.query(["trainees"], scope=at_scope, filters={"training__training_type": ["递进培训班"]})
        assert training.metric[1].value == _card_text(_figure(trained.value("trainees"), "人")), scope

        trends = _run(warehouse, "trends", scope, monkeypatch)
        series = reader.series(["pool_total"], scope)
        drawn = _charts(trends)[0]["data"]
        persons = next(t for t in drawn if t.get("name") == labels.FLOW_PERSONS)
        assert list(persons["y"]) == series["pool_total"].to_list(), scope


def _count(figure: Figure) -> str:
    return labels.NOT_AVAILABLE if figure.value is None else f"{round(figure.value):,}"


def _figure(value: float | None, unit: str) -> Figure:
    return Figure("x", "x", value, unit, "")
