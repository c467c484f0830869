"""班子配备: how non-party cadres are placed on the leadership teams and in posts.

Sitting is counted at the snapshot date (the as-of date unless another snapshot is chosen):
a 领导职务 tenure started on or before it and not ended by it (contract §4).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

import charts
import data
import filters
import labels
import ui

TEAM_TYPES = ["人大常委会", "政府", "政协"]
CPPCC_LINE = 0.5
ARTICLE_YEAR = 2017  # the article reports the city-level placements of 2017


def _cards(coverage: pl.DataFrame, chairs: pl.DataFrame) -> None:
    county_cppcc = coverage.filter(pl.col("is_county_level") & (pl.col("team_type") == "政协"))
    members, seats = county_cppcc["nonparty_members"].sum(), county_cppcc["approved_seats"].sum()
    with_three = county_cppcc.filter(pl.col("nonparty_vice_chairs") >= 3).height
    covered = coverage.filter(pl.col("nonparty_members") >= 1).height
    row = chairs.row(0, named=True) if not chairs.is_empty() else {"chairs": 0, "department_level": 0}
    columns = st.columns(4)
    columns[0].metric(labels.TEAMS_COVERED, f"{covered} / {coverage.height}", border=True)
    columns[1].metric(labels.TEAMS_CPPCC_SHARE, f"{members / seats:.1%}" if seats else labels.NOT_AVAILABLE,
                      border=True, help=f"{members} / {seats}（党外干部人数 / 核定职数）")
    columns[2].metric(labels.TEAMS_CPPCC_THREE, f"{with_three} / {county_cppcc.height}", border=True)
    columns[3].metric(labels.TEAMS_CHAIRS, f"{row['chairs']} 人",
                      delta=f"{labels.TEAMS_CHAIRS_DEPT} {row['department_level']} 人", delta_color="off",
                      delta_arrow="off", border=True)


def _grid(coverage: pl.DataFrame, when: object, chosen: data.Filters) -> None:
    regions = (coverage.select("region_name", "region_sort_order").unique().sort("region_sort_order")["region_name"]
               .to_list())
    cells = {(r["region_name"], r["team_type"]): r for r in coverage.iter_rows(named=True)}
    shares, texts = [], []
    for region in regions:
        row_share, row_text = [], []
        for team in TEAM_TYPES:
            cell = cells.get((region, team))
            row_share.append(cell["nonparty_share"] if cell else None)
            row_text.append(f"{cell['nonparty_members']} / {cell['approved_seats']}" if cell else "")
        shares.append(row_share)
        texts.append(row_text)
    fig = charts.heatmap(regions, TEAM_TYPES, shares, title=labels.TEAMS_GRID_TITLE, text=texts,
                         value_label=labels.COLUMNS["nonparty_share"], percent=True,
                         zmax=max([s for row in shares for s in row if s is not None] + [0.5]))
    table = coverage.select("region_name", "region_code", "team_type", "approved_seats", "nonparty_members",
                            "nonparty_vice_chairs", "nonparty_share")
    ui.chart(fig, table, name=labels.TEAMS_GRID_TITLE, key="teams_grid" + ui.key_chart_suffix(chosen), when=when,
             click_filter=filters.REGION)
    st.caption(labels.TEAMS_GRID_HELP + labels.CLICK_TO_FILTER.replace("柱条", "格子"))


def _cppcc(coverage: pl.DataFrame, when: object, chosen: data.Filters) -> None:
    cppcc = coverage.filter(pl.col("is_county_level") & (pl.col("team_type") == "政协")).sort("region_sort_order")
    if cppcc.is_empty():
        st.info(labels.NO_DATA)
        return
    fig = charts.share_against_line(
        cppcc["region_name"].to_list(), cppcc["nonparty_share"].to_list(),
        [f"{m}/{s}" for m, s in zip(cppcc["nonparty_members"], cppcc["approved_seats"], strict=True)],
        title=labels.TEAMS_CPPCC_TITLE, line=CPPCC_LINE, line_label=labels.TEAMS_CPPCC_LINE,
        value_label=labels.COLUMNS["nonparty_share"])
    ui.chart(fig, cppcc.select("region_name", "approved_seats", "nonparty_members", "nonparty_vice_chairs",
                               "nonparty_share"),
             name=labels.TEAMS_CPPCC_TITLE, key="teams_cppcc" + ui.key_chart_suffix(chosen), when=when,
             click_filter=filters.REGION)


def _fit(chosen: data.Filters, when: object) -> None:
    rates = data.fit_rates(chosen).filter(pl.col("post_type").is_in(list(labels.TEAMS_FIT_TARGETS)))
    types = rates["post_type"].to_list()
    values = rates["fit_rate"].to_list()
    targets = [labels.TEAMS_FIT_TARGETS.get(t) for t in types]
    texts = [f"{r:.1%}（{f}/{a}）" if r is not None else labels.NOT_AVAILABLE
             for r, f, a in zip(values, rates["fit_tenures"], rates["assessed_tenures"], strict=True)]
    fig = charts.rates_against_targets(types, values, targets, texts, title=labels.TEAMS_FIT_TITLE,
                                       value_label=labels.COLUMNS["fit_rate"], target_label=labels.TEAMS_FIT_TARGET)
    table = rates.with_columns(target=pl.col("post_type").replace_strict(labels.TEAMS_FIT_TARGETS, default=None))
    ui.chart(fig, table, name=labels.TEAMS_FIT_TITLE, key="teams_fit" + ui.key_chart_suffix(chosen), when=when)
    st.caption("换届以来任领导职务、已评定人岗相适的任职中“相适”的比例；目标：专业技术型 80%，复杂局面型 75%。")


def _chairs(chosen: data.Filters, when: object) -> None:
    st.subheader(labels.TEAMS_CHAIRS_TITLE)
    chairs = data.party_chairs(chosen)
    if chairs.is_empty():
        st.info(labels.NO_DATA)
        return
    ui.table(chairs, name=labels.TEAMS_CHAIRS_TITLE, key="teams_chairs", when=when)


def _placements(chosen: data.Filters) -> None:
    years = data.city_placement_years(chosen)
    if not years:
        return
    default = ARTICLE_YEAR if ARTICLE_YEAR in years else years[0]
    heading, picker = st.columns([4, 1], vertical_alignment="bottom")
    with picker:
        year = st.selectbox(labels.TEAMS_PLACEMENT_YEAR, years, index=years.index(default), key="placement_year")
    posts = data.city_placements(chosen, year)
    title = labels.TEAMS_PLACEMENT_TITLE.format(year=year)
    heading.subheader(title)
    deputy = posts.filter(pl.col("post_title").str.starts_with("副")).height
    st.markdown(labels.TEAMS_PLACEMENT_SUMMARY.format(year=year, total=posts.height, chief=posts.height - deputy,
                                                      deputy=deputy))
    kinds = (posts.with_columns(kind=pl.when(pl.col("post_title").str.starts_with("副")).then(pl.lit("副职"))
                                .otherwise(pl.lit("正职")))
             .group_by("kind", "post_title").agg(pl.len().alias("count"))
             .sort("kind", "count", descending=[True, True]))
    left, right = st.columns([1, 2], gap="large")
    with left:
        fig = charts.bars(kinds["post_title"].to_list(), kinds["count"].to_list(), title=f"{year}年按职务",
                          value_label=labels.COLUMNS["count"])
        ui.chart(fig, kinds.drop("kind"), name=f"{title}_按职务",
                 key=f"teams_posts_{year}" + ui.key_chart_suffix(chosen))
    with right:
        ui.table(posts, name=title, key=f"teams_placements_{year}")


def main() -> None:
    chosen = filters.current()
    when = chosen.snapshot or data.as_of_date()
    ui.page_header(labels.PAGES["teams"][0], labels.TEAMS_SITTING_AT.format(date=when))
    coverage = data.team_coverage(chosen)
    _cards(coverage, data.party_chair_counts(chosen))
    _grid(coverage, when, chosen)
    left, right = st.columns(2, gap="large")
    with left:
        _cppcc(coverage, when, chosen)
    with right:
        _fit(chosen, when)
    _chairs(chosen, when)
    st.divider()
    _placements(chosen)


main()
