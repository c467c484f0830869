"""From any bar to the people behind it, as an analyst clicks it on the real dashboard (AppTest).

A click is sent the way the browser sends it: the chart's selection (the bar's ``customdata``,
read from the figure the page drew) as the chart widget's new state, so the page's own
``on_select`` callback decides the link. The link's parameters are then followed to 人员名单,
whose list must be exactly the bar: for a person count its length is the bar's number. A leader
is offered nothing, and a forged condition in the address is refused in Chinese.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import filters, labels
from dashboard.drill import SERIES, Drill, Target
from tests.dashboard_support import chart_element, click, people_links, published_sample
from tests.test_access_apptest import MASKED, sign_in  # noqa: F401  (a fixture, shared)
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope

SignIn = Callable[..., AppTest]


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    return published_sample(request)


def follow(at: AppTest, params: dict[str, list[str]]) -> AppTest:
    """Open 人员名单 with the link's parameters, as the browser does."""
    at.switch_page("app_pages/people.py")
    at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    return at


def listed(at: AppTest) -> int:
    frame = at.dataframe[0].value
    assert all(MASKED.match(v) for v in frame["身份证号（部分隐藏）"]), "ID numbers must stay masked"
    count = next(m for m in at.metric if m.label == "人数").value
    assert count == f"{len(frame):,} 人"
    return len(frame)


def described(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "所列" in m.value)


def the_link(at: AppTest) -> tuple[str, dict[str, list[str]]]:
    """The one link a click drew (a card's own link says only 人员名单)."""
    found = {label: params for label, params in people_links(at).items() if label.startswith("查看人员名单")}
    assert len(found) == 1, found
    return next(iter(found.items()))


def test_a_trend_bar_lists_that_snapshots_people_and_a_stacked_bar_both_its_values(
        sign_in: SignIn, warehouse: Path) -> None:  # noqa: F811
    at = sign_in("ana", "trends")
    with open_reader(warehouse) as reader:
        oldest = min(reader.options.snapshots)
        pool = reader.query(["pool_total"], scope=Scope(snapshot=oldest)).value("pool_total")
    number = click(at, "trend_pool", lambda t, c, n: c == [oldest.isoformat(), "在库人数"])
    assert number == pool
    label, params = the_link(at)
    assert params["people_snapshot"] == [oldest.isoformat()] and oldest.isoformat() in label
    follow(at, params)
    assert listed(at) == pool and oldest.isoformat() in described(at)

    at = sign_in("ana", "trends")
    number = click(at, "trend_training", lambda t, c, n: n > 0)
    label, params = the_link(at)
    where = params["people_where"]
    kind = next(w for w in where if w.startswith("培训类型:")).split(":")[1]
    assert len(where) == 2 and any(w.startswith("开班年份:") for w in where), where
    follow(at, params)
    assert listed(at) == number
    text = described(at)
    assert "参训人数" in text and kind in text


def test_an_appointments_bar_carries_its_category_and_lists_the_holders(
        sign_in: SignIn, warehouse: Path) -> None:  # noqa: F811
    at = sign_in("ana", "trends")
    at.segmented_control(key="trend_category").set_value("政治安排").run()
    click(at, "trend_appointments", lambda t, c, n: n > 0)
    _, params = the_link(at)
    conditions = dict(w.split(":", 1) for w in params["people_where"])
    assert conditions["任用类别"] == "政治安排" and params["people_metric"] == ["任职人数"], params
    follow(at, params)
    with open_reader(warehouse) as reader:
        year, method = conditions["任职年份"], conditions["选拔任用方式"]
        holders = reader.query(["tenure_holders"], scope=reader.options.check(Scope()), filters={
            "tenure__appointment_category": ["政治安排"], "tenure__start_year": [year],
            "tenure__selection_method": [method]}).value("tenure_holders")
    assert listed(at) == holders


def test_a_training_bar_keeps_the_pages_switch_and_a_class_bar_its_class(sign_in: SignIn) -> None:  # noqa: F811
    at = sign_in("ana", "training")
    at.toggle(key="training_recent").set_value(True).run()
    placed = next(m.value for m in at.metric if m.label == labels.TRAINING_TOTALS[3])
    card = people_links(at)[labels.PEOPLE_CARD_LINK]  # the last card's: 培训后任领导职务
    assert "是否近三年:是" in card["people_where"], card
    follow(at, card)
    assert f"{listed(at):,} 人" == placed
    at.switch_page("app_pages/training.py").run()
    at.toggle(key="training_recent").set_value(True).run()  # a page's own widgets do not outlive it
    number = click(at, "training_by_type", lambda t, c, n: t["name"] == "结业" and n > 0)
    _, params = the_link(at)
    assert "是否近三年:是" in params["people_where"] and params["people_metric"] == ["结业人数"], params
    follow(at, params)
    assert listed(at) == number

    at = sign_in("ana", "training")
    number = click(at, "training_cohorts", lambda t, c, n: t["name"] == "参训" and "其他" not in c[0] and n > 0)
    _, params = the_link(at)
    assert any(w.startswith("班次编号:") for w in params["people_where"]), params
    follow(at, params)
    assert listed(at) == number


def test_a_team_cell_lists_the_people_sitting_on_it_and_a_rate_bar_the_people_of_its_posts(
        sign_in: SignIn, warehouse: Path) -> None:  # noqa: F811
    at = sign_in("ana", "teams")
    chart = json.loads(chart_element(at, "teams_grid").proto.spec)
    texts = {tuple(c[:2]): t for c, t in zip(chart["data"][1]["customdata"], chart["data"][1]["text"], strict=True)}
    cells = {(r, c): text for r, row in zip(chart["data"][0]["y"], chart["data"][0]["text"], strict=True)
             for c, text in zip(chart["data"][0]["x"], row, strict=True) if text}
    # a county's team: the city's teams also seat posts of 乐山高新区, which the click's region
    # filter (the post's region for appointments) leaves out (docs/data-decisions.md)
    (row, column), shown = next((k, v) for k, v in cells.items() if int(v.split(" / ")[0]) >= 2
                                and k[0] != "乐山市本级")
    assert texts[(row, column)]
    click(at, "teams_grid", lambda t, c, n: c[:2] == [row, column])
    _, params = the_link(at)
    follow(at, params)
    assert listed(at) == int(shown.split(" / ")[0])

    # a fit-rate bar is a share of posts: it lists the people whose posts were assessed, and says so
    at = sign_in("ana", "teams")
    click(at, "teams_fit", lambda t, c, n: bool(c))
    _, params = the_link(at)
    post_type = params["people_where"][0].split(":", 1)[1]
    follow(at, params)
    with open_reader(warehouse) as reader:
        frame = reader.query(["assessed_tenures"], ["person"], reader.options.check(Scope()),
                             {"tenure__post_type": [post_type]}).frame
    assert listed(at) == frame.filter(pl.col("assessed_tenures") > 0).height > 0
    assert any("按条计数" in c.value for c in at.caption)


def test_composition_two_dimensions_and_the_overview_funnel_list_their_numbers(sign_in: SignIn) -> None:  # noqa: F811
    at = sign_in("ana", "composition")
    at.pills(key="dim").set_value("sex").run()
    at.selectbox(key="by").set_value("sector").run()
    at.segmented_control(key="composition_kind").set_value("堆积柱状图").run()
    number = click(at, "composition_two", lambda t, c, n: c == ["女", "党政机关"])
    _, params = the_link(at)
    assert sorted(params["people_where"]) == ["性别:女", "身份类别:党政机关"], params
    follow(at, params)
    assert listed(at) == number

    at = sign_in("ana")
    number = click(at, "overview_funnel", lambda t, c, n: c == ["其中参加过培训"])
    _, params = the_link(at)
    follow(at, params)
    assert listed(at) == number and "培训锻炼" in described(at)


def test_a_leader_gets_no_link_and_a_forged_condition_is_refused(sign_in: SignIn) -> None:  # noqa: F811
    boss = sign_in("boss", "training")
    assert not people_links(boss)
    assert not any(c.proto.selection_mode for c in boss.get("plotly_chart") if (c.key or "").startswith("training_"))
    boss.session_state[filters.DRILL] = ("training_by_type", None)  # a forged click
    boss.run()
    assert not people_links(boss)

    at = sign_in("ana")
    for params in ({"people_metric": "参训人数", "people_where": "培训类型:不存在"},
                   {"people_metric": "参训人数", "people_where": "不存在的维度:是"},
                   {"people_metric": "参训人数", "people_snapshot": "1999-12-31"}):
        at.switch_page("app_pages/people.py")
        at.query_params.clear()
        at.query_params.update(params)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        refused = [e.value for e in at.error]
        assert refused and not at.dataframe, params
        assert next(iter(params.values())) or True
        assert any(v.split(":")[-1] in refused[0] for v in params.values() if v != "参训人数"), refused


def test_an_old_link_still_lists_the_same_people(sign_in: SignIn, warehouse: Path) -> None:  # noqa: F811
    at = sign_in("ana")
    follow(at, {"people_metric": ["人才库党外干部人才总数"], "people_dim": ["身份类别"], "people_values": ["党政机关"]})
    with open_reader(warehouse) as reader:
        frame = reader.query(["pool_total"], ["pool_membership__sector"], reader.options.check(Scope())).frame
    assert listed(at) == frame.filter(pl.col("pool_membership__sector") == "党政机关")["pool_total"].item()


def test_a_mark_with_no_people_behind_it_offers_no_link() -> None:
    """The 其他 bar (classes folded together), a blank value and a target marker list nobody."""
    classes = Drill("trainees", ("training__class_id", SERIES), series={"参训": "trainees"},
                    shown={"training__class_id": {"班A（2017.03）": "C1"}})
    assert classes.target({"customdata": ["其他（5 个班次）", "参训"]}) is None
    assert classes.target({"customdata": ["班A（2017.03）", "参训"]}) == Target(
        "trainees", (("training__class_id", ("C1",)),))
    assert Drill("pool_total", ("pool_membership__sex",)).target({"customdata": ["未填写"]}) is None
    assert Drill("assessed_tenures", ("tenure__post_type",)).target({"x": 0.5, "y": "专业技术型"}) is None
