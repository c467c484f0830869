"""班子配备: how non-party cadres are placed on the leadership teams and in posts.

Sitting is counted at the chosen snapshot (contract §4: 任职时间 ≤ D < 免职时间). Team figures
follow the region filter (the team's region); the sector and list filters do not apply to
teams, and the page says so. Posts (chairs, fit rates, placements) follow every filter: the
post's region, the holder's sector and lists at the snapshot.

For 分析员 and 数据管理员 the 民主党派主委 card links to its 人员名单, and a click on a grid cell
or a 政协 bar offers the 人员名单 of that team:
``team_sitting_holders``, the persons sitting on it (the cell's 党外干部人数 counted from
appointments, by the team's code); a fit-rate bar lists ``assessed_tenures`` (the persons whose
posts of that type were assessed, the rate's denominator); a bar of posts by kind lists
``city_department_placements`` of that title and year (the persons holding those posts).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import addresses, charts, filters, labels, metrics, orders, ui
from dashboard.drill import IGNORED, Drill
from warehouse.semantic.query import Scope

CARDS = ("teams_total", "teams_with_nonparty", "county_cppcc_nonparty_share", "county_cppcc_with_3_nonparty",
         "county_cppcc_teams", "democratic_party_chairs", "democratic_party_chairs_department_level")
GRID = ("team_nonparty_members", "team_approved_seats", "team_nonparty_share", "team_nonparty_vice_chairs")
FIT = ("fit_rate", "fit_tenures", "assessed_tenures")
CHAIRS = ("democratic_party_chairs",)
PLACEMENTS = ("city_department_placements",)
SITTING = "team_sitting_holders"  # the persons behind a team's cell (人员名单)
METRICS = (*CARDS, *GRID, *FIT, "fit_rate_technical", "fit_rate_complex", *PLACEMENTS, SITTING)
COUNTY_CPPCC = {"team__team_type": ["政协"], "team__is_county_level": ["true"]}
TEAM_TYPES = ("人大常委会", "政府", "政协")


def _cards(scope: Scope) -> None:
    figures = {f.figure_id: f for f in metrics.figures(scope, CARDS)}
    seats = metrics.query(["team_nonparty_members", "team_approved_seats"], scope=scope, filters=COUNTY_CPPCC)

    def count(figure_id: str) -> str:
        value = figures[figure_id].value
        return labels.NOT_AVAILABLE if value is None else f"{round(value):,}"

    columns = st.columns(4)
    share = figures["county_cppcc_nonparty_share"]
    columns[0].metric(labels.TEAMS_COVERED, f"{count('teams_with_nonparty')} / {count('teams_total')}", border=True,
                      help=figures["teams_with_nonparty"].note or figures["teams_with_nonparty"].description)
    columns[1].metric(labels.TEAMS_CPPCC_SHARE, ui.value_text(share.value, share.unit), border=True,
                      help=share.note or f"{ui.format_value(seats.value('team_nonparty_members'), '人')} / "
                                         f"{ui.format_value(seats.value('team_approved_seats'), '个')}"
                                         f"（党外干部人数 / 核定职数）。{share.description}")
    three = f"{count('county_cppcc_with_3_nonparty')} / {count('county_cppcc_teams')}"
    columns[2].metric(labels.TEAMS_CPPCC_THREE, three, border=True, help=figures["county_cppcc_with_3_nonparty"].note
                      or figures["county_cppcc_with_3_nonparty"].description)
    chairs, department = figures["democratic_party_chairs"], figures["democratic_party_chairs_department_level"]
    columns[3].metric(labels.TEAMS_CHAIRS, ui.value_text(chairs.value, chairs.unit),
                      delta=f"{labels.TEAMS_CHAIRS_DEPT} {ui.value_text(department.value, department.unit)}",
                      delta_color="off", delta_arrow="off", border=True, help=chairs.description)
    with columns[3]:  # the chairs are people (the other cards count teams)
        ui.people_link(chairs.figure_id, snapshot=scope.snapshot, label=labels.PEOPLE_CARD_LINK)


def _coverage(scope: Scope) -> pl.DataFrame:
    result = metrics.query(GRID, ["team__region", "team__region_sort_order", "team__team_type",
                                  "team__is_county_level", "team__team_key"], scope)
    return result.frame.rename({"team__team_key": "team_key",
                                "team__region": "region_name", "team__region_sort_order": "region_sort_order",
                                "team__team_type": "team_type", "team__is_county_level": "is_county_level",
                                "team_nonparty_members": "nonparty_members", "team_approved_seats": "approved_seats",
                                "team_nonparty_share": "nonparty_share",
                                "team_nonparty_vice_chairs": "nonparty_vice_chairs"}).sort("region_sort_order")


def _grid(coverage: pl.DataFrame, scope: Scope) -> None:
    regions = list(dict.fromkeys(coverage["region_name"]))
    cells = {(r["region_name"], r["team_type"]): r for r in coverage.iter_rows(named=True)}
    shares, texts, keys = [], [], []
    for region in regions:
        row_share, row_text, row_key = [], [], []
        for team in TEAM_TYPES:
            cell = cells.get((region, team))
            row_share.append(cell["nonparty_share"] if cell else None)
            row_text.append(f"{cell['nonparty_members']} / {cell['approved_seats']}" if cell else "")
            row_key.append(cell["team_key"] if cell else None)
        shares.append(row_share)
        texts.append(row_text)
        keys.append(row_key)
    fig = charts.heatmap(regions, list(TEAM_TYPES), shares, title=labels.TEAMS_GRID_TITLE, text=texts,
                         value_label=labels.COLUMNS["nonparty_share"], percent=True,
                         zmax=max([s for row in shares for s in row if s is not None] + [0.5]), keys=keys)
    table = coverage.select("region_name", "team_type", "approved_seats", "nonparty_members", "nonparty_vice_chairs",
                            "nonparty_share")
    ui.chart(fig, table, name=labels.TEAMS_GRID_TITLE, key="teams_grid" + ui.key_chart_suffix(scope),
             when=scope.snapshot, click_filter=filters.REGION,
             people=Drill(SITTING, (IGNORED, IGNORED, "tenure__team_key"), snapshot=scope.snapshot))
    st.caption(labels.TEAMS_GRID_HELP + labels.CLICK_TO_FILTER.replace("柱条", "格子"))


def _cppcc(coverage: pl.DataFrame, scope: Scope) -> None:
    cppcc = coverage.filter(pl.col("is_county_level") & (pl.col("team_type") == "政协"))
    if cppcc.is_empty():
        st.info(labels.NO_DATA)
        return
    fig = charts.share_against_line(
        cppcc["region_name"].to_list(), cppcc["nonparty_share"].to_list(),
        [f"{m}/{s}" for m, s in zip(cppcc["nonparty_members"], cppcc["approved_seats"], strict=True)],
        title=labels.TEAMS_CPPCC_TITLE, line=metrics.catalog().metric("county_cppcc_nonparty_share").target,
        line_label=labels.TEAMS_CPPCC_LINE,
        value_label=labels.COLUMNS["nonparty_share"])
    ui.chart(fig, cppcc.select("region_name", "approved_seats", "nonparty_members", "nonparty_vice_chairs",
                               "nonparty_share"),
             name=labels.TEAMS_CPPCC_TITLE, key="teams_cppcc" + ui.key_chart_suffix(scope), when=scope.snapshot,
             click_filter=filters.REGION,
             people=Drill(SITTING, ("tenure__team_key",), snapshot=scope.snapshot,
                          shown={"tenure__team_key": dict(zip(cppcc["region_name"], cppcc["team_key"], strict=True))}))


def _fit(scope: Scope) -> None:
    catalog = metrics.catalog()
    targets = {catalog.metric(m).label: catalog.metric(m).target for m in ("fit_rate_technical", "fit_rate_complex")}
    by_type = {t: catalog.metric(m).target for t, m in (("专业技术型", "fit_rate_technical"),
                                                        ("复杂局面型", "fit_rate_complex"))}
    rates = metrics.query(FIT, ["tenure__post_type"], scope).frame.rename({"tenure__post_type": "post_type"})
    rates = rates.filter(pl.col("post_type").is_in(list(by_type)))
    types = orders.ordered(rates["post_type"], "tenure__post_type", dict.fromkeys(by_type, 0.0))
    rates = rates.sort(pl.col("post_type").replace_strict({t: i for i, t in enumerate(types)}, default=99))
    values = rates["fit_rate"].to_list()
    texts = [f"{r:.1%}（{f}/{a}）" if r is not None else labels.NOT_AVAILABLE
             for r, f, a in zip(values, rates["fit_tenures"], rates["assessed_tenures"], strict=True)]
    fig = charts.rates_against_targets(rates["post_type"].to_list(), values,
                                       [by_type.get(t) for t in rates["post_type"]], texts,
                                       title=labels.TEAMS_FIT_TITLE, value_label=labels.COLUMNS["fit_rate"],
                                       target_label=labels.TEAMS_FIT_TARGET)
    table = rates.select("post_type", "assessed_tenures", "fit_tenures", "fit_rate").with_columns(
        target=pl.col("post_type").replace_strict(by_type, default=None))
    ui.chart(fig, table, name=labels.TEAMS_FIT_TITLE, key="teams_fit" + ui.key_chart_suffix(scope),
             when=scope.snapshot, people=Drill("assessed_tenures", ("tenure__post_type",), snapshot=scope.snapshot))
    st.caption(catalog.metric("fit_rate").description + "目标："
               + "，".join(f"{name} {value:.0%}" for name, value in targets.items() if value) + "。")


def _chairs(scope: Scope) -> None:
    st.subheader(labels.TEAMS_CHAIRS_TITLE)
    dims = ["tenure__org_name", "tenure__post_region", "tenure__rank", "tenure__holder_highest_rank",
            "tenure__holder_is_department_level"]
    chairs = metrics.query(CHAIRS, dims, scope).frame.filter(pl.col("democratic_party_chairs") > 0)
    if chairs.is_empty():
        st.info(labels.NO_DATA)
        return
    table = chairs.rename({"tenure__org_name": "org_name", "tenure__post_region": "region_name", "tenure__rank": "rank",
                           "tenure__holder_highest_rank": "highest_rank",
                           "tenure__holder_is_department_level": "is_department_level",
                           "democratic_party_chairs": "chairs"}).sort("is_department_level", "org_name",
                                                                      descending=[True, False])
    ui.table(table, name=labels.TEAMS_CHAIRS_TITLE, key="teams_chairs", when=scope.snapshot)


def _placement_years() -> list[str]:
    """Years with any city-department placement, latest first: the year picker's choices, the
    same for every scope (a year without placements in the scope shows none, rather than the
    picker jumping to another year)."""
    by_year = metrics.query(PLACEMENTS, ["tenure__start_year"]).frame
    return [str(y) for y in sorted((int(y) for y, n in by_year.iter_rows() if n and y is not None), reverse=True)]


def _placements(scope: Scope, years: list[str]) -> None:
    if not years:
        return
    in_scope = {str(y) for y, n in metrics.query(PLACEMENTS, ["tenure__start_year"], scope).frame.iter_rows() if n}
    latest = next((y for y in years if y in in_scope), years[0])
    heading, picker = st.columns([4, 1], vertical_alignment="bottom")
    with picker:  # the latest year with placements in scope by default; ?year=2017 opens another
        picked = st.selectbox(labels.TEAMS_PLACEMENT_YEAR, years, index=years.index(latest), key="year",
                              bind="query-params")
    year = int(picked or latest)
    dims = ["tenure__org_name", "tenure__post_title", "tenure__rank", "tenure__rank_order", "tenure__selection_method",
            "tenure__start_date", "tenure__post_type", "tenure__fit_assessment"]
    posts = metrics.query(PLACEMENTS, dims, scope, {"tenure__start_year": [str(year)]}).frame
    posts = (posts.rename({d: d.removeprefix("tenure__") for d in dims})
             .rename({"city_department_placements": "count"})
             .sort("rank_order", "start_date", "org_name").drop("rank_order"))
    if posts.is_empty():
        heading.subheader(labels.TEAMS_PLACEMENT_TITLE.format(year=year))
        st.info(labels.NO_DATA)
        return
    total = int(posts["count"].sum())
    deputy = int(posts.filter(pl.col("post_title").str.starts_with("副"))["count"].sum())
    # "2018年市级部门党外干部选配（截至4月30日）": the year in progress says so
    title = labels.TEAMS_PLACEMENT_TITLE.format(year=year) + ui.year_label(year, scope.snapshot)[len(str(year)):]
    heading.subheader(title)
    st.markdown(labels.TEAMS_PLACEMENT_SUMMARY.format(year=year, total=total, chief=total - deputy, deputy=deputy))
    kinds = (posts.group_by("post_title").agg(pl.col("count").sum())
             .sort(pl.col("post_title").str.starts_with("副"), "count", descending=[False, True]))
    # the table is full width: eight columns were cut off at 1440 px beside the chart
    fig = charts.bars(kinds["post_title"].to_list(), kinds["count"].to_list(), title=f"{year}年按职务",
                      value_label=labels.COLUMNS["count"])
    ui.chart(fig, kinds, name=f"{title}_按职务", key=f"teams_posts_{year}" + ui.key_chart_suffix(scope),
             when=scope.snapshot, people=Drill(PLACEMENTS[0], ("tenure__post_title",), snapshot=scope.snapshot,
                                               where={"tenure__start_year": [str(year)]}))
    ui.table(posts, name=title, key=f"teams_placements_{year}", when=scope.snapshot)


def main() -> None:
    scope = metrics.at_snapshot(filters.current())
    years = _placement_years()
    addresses.refuse_unknown_values({"year": years})
    note = metrics.catalog().scope_note("teams_total") if scope.sectors or scope.lists else None
    ui.page_header(labels.PAGES["teams"][0], labels.TEAMS_SITTING_AT.format(date=scope.snapshot),
                   snapshot=scope.snapshot)
    _cards(scope)
    coverage = None
    if note:
        st.info(labels.NOT_APPLICABLE.format(note=note))
    else:
        coverage = _coverage(scope)
        _grid(coverage, scope)
    left, right = st.columns(2, gap="large")
    with left:
        if coverage is not None:
            _cppcc(coverage, scope)
    with right:
        _fit(scope)
    _chairs(scope)
    st.divider()
    _placements(scope, years)


main()
