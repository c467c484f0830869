"""The key figures of contract §10, computed from the generator's own records.

This is the generator's self-check, not the warehouse: it reads the typed records (skipping
the rows planted as invalid) and applies the contract's definitions, so a generation run
fails loudly if the planted story does not come out exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from warehouse.sample.model import Participation, PoolRecord, Team, Tenure, TrainingClass
from warehouse.sample.reference import (
    AS_OF,
    CITY,
    COUNTY_RANKS,
    PLACING_METHODS,
    RANK_ORDER,
    REGION_CODE,
    TERM_START,
    in_window,
)

FIELD_IDS = {
    "旅游": "pool_field_tourism",
    "交通": "pool_field_transport",
    "农业": "pool_field_agriculture",
    "高精尖技术": "pool_field_hightech",
}
SECTOR_IDS = {
    "党政机关": "pool_sector_party_gov",
    "事业单位": "pool_sector_institution",
    "体制外": "pool_sector_outside",
}
READINESS_IDS = {"近期可用": "pool_ready_now", "中长期培养": "pool_ready_longer"}


def persons_at(records: Iterable[PoolRecord], snapshot: int) -> list[PoolRecord]:
    """One record per person on a snapshot: first valid row in list order, then row order."""
    chosen: dict[str, PoolRecord] = {}
    rows = sorted(
        (r for r in records if r.snapshot == snapshot and r.valid), key=lambda r: r.list_index
    )
    for r in rows:
        chosen.setdefault(r.pid, r)
    return list(chosen.values())


def pool_figures(records: Iterable[PoolRecord], snapshot: int) -> dict[str, float]:
    """The pool_* figures at one snapshot."""
    people = persons_at(records, snapshot)
    figures: dict[str, float] = {
        "pool_total": len(people),
        "pool_born_1980s": sum(1980 <= p.birth.year <= 1989 for p in people),
        "pool_female": sum(p.sex == "女" for p in people),
        "pool_ethnic_minority": sum(p.ethnicity != "汉族" for p in people),
    }
    for value, fid in SECTOR_IDS.items():
        figures[fid] = sum(p.sector == value for p in people)
    for value, fid in READINESS_IDS.items():
        figures[fid] = sum(p.readiness == value for p in people)
    for value, fid in FIELD_IDS.items():
        figures[fid] = sum(p.field == value for p in people)
    return figures


def training_figures(
    classes: Sequence[TrainingClass], participants: Sequence[Participation]
) -> dict[str, float]:
    """Class and trainee figures over valid classes and participant rows."""
    valid = {c.code: c for c in classes if c.defect is None}
    first: dict[tuple[str, str], Participation] = {}
    for p in participants:
        if p.defect is None and p.class_code in valid:
            first.setdefault((p.class_code, p.person.pid), p)
    recent = {code: c for code, c in valid.items() if in_window(c.start)}
    progressive = {
        code for code, c in recent.items() if c.kind == "递进培训班" and c.level == "市级"
    }
    upper = {code for code, c in recent.items() if c.level in ("中央", "省级")}
    practice = {code for code, c in recent.items() if c.kind == "实践锻炼"}
    return {
        "progressive_classes": len(progressive),
        "progressive_trainees": len(
            {pid for (code, pid), p in first.items() if code in progressive and p.status == "结业"}
        ),
        "themed_sessions": sum(c.kind == "专题学习" for c in recent.values()),
        "upper_level_trainees": len({pid for code, pid in first if code in upper}),
        "practice_trainees": len({pid for code, pid in first if code in practice}),
    }


def appointment_figures(tenures: Sequence[Tenure], teams: Sequence[Team]) -> dict[str, float]:
    """Arrangement, placement, team, chair and fit figures over valid tenures."""
    valid = [t for t in tenures if t.defect is None]
    leading = [t for t in valid if t.category == "领导职务"]
    since = [t for t in leading if t.start >= TERM_START]
    placed = [t for t in since if t.rank in COUNTY_RANKS and t.method in PLACING_METHODS]
    placed_people = {t.person.pid: t.person for t in placed}
    sitting = [t for t in leading if t.sitting(AS_OF)]

    def members(team: Team, title: str | None = None) -> set[str]:
        return {
            t.person.pid
            for t in sitting
            if t.team_type == team.team_type
            and REGION_CODE[t.region] == team.code
            and (title is None or t.title == title)
        }

    county_cppcc = [t for t in teams if t.code != "511100" and t.team_type == "政协"]
    chairs = {t.person.pid for t in sitting if t.team_type == "民主党派" and t.title == "主委"}
    top_rank: dict[str, int] = {}
    for t in sitting:
        top_rank[t.person.pid] = max(top_rank.get(t.person.pid, 0), RANK_ORDER[t.rank])

    def fit_rate(post_type: str) -> float:
        assessed = [t for t in since if t.post_type == post_type and t.fit is not None]
        return sum(t.fit == "相适" for t in assessed) / len(assessed)

    return {
        "arranged_since_term": len(
            {t.person.pid for t in valid if t.category == "政治安排" and t.start >= TERM_START}
        ),
        "county_level_placed_since_term": len(placed_people),
        "county_level_new_since_term": len({t.person.pid for t in placed if t.method == "新提拔"}),
        "county_level_born_1970s_since_term": sum(
            1970 <= p.birth.year <= 1979 for p in placed_people.values()
        ),
        "teams_total": len(teams),
        "teams_with_nonparty": sum(bool(members(t)) for t in teams),
        "county_cppcc_with_3_nonparty": sum(len(members(t, "副主席")) >= 3 for t in county_cppcc),
        "county_cppcc_nonparty_share": sum(len(members(t)) for t in county_cppcc)
        / sum(t.seats for t in county_cppcc),
        "democratic_party_chairs": len(chairs),
        "democratic_party_chairs_department_level": sum(
            top_rank[pid] >= RANK_ORDER["副厅级"] for pid in chairs
        ),
        "fit_rate_technical": fit_rate("专业技术型"),
        "fit_rate_complex": fit_rate("复杂局面型"),
    }


def team_members(tenures: Sequence[Tenure], teams: Sequence[Team]) -> dict[str, int]:
    """Distinct non-party persons sitting on each team at the as-of date, by team key."""
    sitting = [
        t for t in tenures if t.defect is None and t.category == "领导职务" and t.sitting(AS_OF)
    ]
    return {
        team.key: len(
            {
                t.person.pid
                for t in sitting
                if t.team_type == team.team_type and REGION_CODE[t.region] == team.code
            }
        )
        for team in teams
    }


def city_department_posts(tenures: Sequence[Tenure], year: int) -> int:
    """Valid 领导职务 tenures at a city department (乐山市本级, 班子类别 部门) starting in ``year``:
    the 班子配备 page's city-level placements of that year."""
    return sum(
        t.defect is None
        and t.category == "领导职务"
        and t.region == CITY
        and t.team_type == "部门"
        and t.start.year == year
        for t in tenures
    )
