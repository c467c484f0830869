"""Leadership posts outside the teams: the 90 county-level placements and the background.

A *placement* (contract §10) is a 领导职务 tenure at 正处级/副处级, chosen by 新提拔/交流/重用,
starting on or after the term start.  The generator decides the 90 placed persons first
(their birth decades and whether they were newly promoted are quotas), gives each one or
two qualifying tenures plus the post they held before, and then adds background tenures
that must *not* count: 科级 posts, 处级 posts from before the term, 处级 posts filled by
other methods.  Background persons are never placed persons, so the figures stay exact.

The article names the city department appointments of 2017 (one 局长, six 副局长:
:data:`DEPARTMENT_PLACEMENTS`), and the dashboard lists 2017's city department posts, so no
other leadership post at a city department (乐山市本级, 班子类别 部门) starts in 2017: such a
post is moved to 2016-11..12 or 2018-01..04 (:func:`out_of_department_year`), or, for a new
promotion, to an institution (班子类别 其他) on the same day.  Neither move draws a random
number, and neither turns a rank on a pool snapshot from 科级 into 处级 or back (a 处级 rank
has two spellings to draw from, a 科级 rank one), so the rest of the sample does not change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from warehouse.sample.documents import doc_number
from warehouse.sample.model import PoolMember, Tenure
from warehouse.sample.pool import Picker, decade_of, quota
from warehouse.sample.reference import AS_OF, CITY, COUNTIES, ORG_PREFIX, TERM_START
from warehouse.sample.teams import PLACED_SEATS

PLACED = 90
PLACED_NEW = 30
PLACED_1970S = 20
PLACED_1980S = 12
PLACED_OUTSIDE_POOL = 4
PLACED_TWICE = 10
"""Per unit of scale: placed persons, of them newly promoted, born in the 1970s/1980s,
no longer in the pool, and placed twice (a 新提拔 or 交流 post, then 重用 to 正处级)."""

CITY_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("环境保护局", "tech"),
    ("财政局", "tech"),
    ("农业局", "tech"),
    ("交通运输局", "tech"),
    ("国土资源局", "tech"),
    ("住房和城乡建设局", "tech"),
    ("水务局", "tech"),
    ("林业局", "tech"),
    ("卫生和计划生育委员会", "tech"),
    ("科学技术和知识产权局", "tech"),
    ("城乡规划管理局", "tech"),
    ("质量技术监督局", "tech"),
    ("统计局", "tech"),
    ("审计局", "tech"),
    ("食品药品监督管理局", "tech"),
    ("信访局", "complex"),
    ("安全生产监督管理局", "complex"),
    ("城市管理行政执法局", "complex"),
    ("民族宗教事务局", "complex"),
    ("商务局", "complex"),
    ("投资促进局", "complex"),
    ("扶贫和移民工作局", "complex"),
    ("人力资源和社会保障局", "complex"),
    ("民政局", "complex"),
    ("档案局", "general"),
    ("地方志办公室", "general"),
    ("机关事务管理局", "general"),
    ("文化广电新闻出版局", "general"),
    ("司法局", "general"),
    ("教育局", "general"),
    ("旅游发展委员会", "general"),
    ("经济和信息化委员会", "general"),
    ("发展和改革委员会", "general"),
    ("外事侨务办公室", "general"),
)
INSTITUTIONS: tuple[tuple[str, str], ...] = (
    ("乐山职业技术学院", "tech"),
    ("乐山市人民医院", "tech"),
    ("乐山市中医医院", "tech"),
    ("乐山市农业科学研究院", "tech"),
    ("乐山广播电视大学", "general"),
)
COUNTY_BUREAUS: tuple[tuple[str, str], ...] = (
    ("教育局", "general"),
    ("财政局", "tech"),
    ("农业局", "tech"),
    ("林业局", "tech"),
    ("水务局", "tech"),
    ("交通运输局", "tech"),
    ("卫生和计划生育局", "tech"),
    ("民政局", "complex"),
    ("信访局", "complex"),
    ("安全生产监督管理局", "complex"),
    ("文化体育和旅游局", "general"),
    ("商务局", "complex"),
)
TOWNS: tuple[str, ...] = (
    "清溪镇", "罗城镇", "龙池镇", "玉津镇", "马踏镇", "研城镇", "黄丹镇", "新场镇", "舟坝镇",
    "黄湾乡", "沙坪镇", "毛坪镇", "荣丁镇", "大堡镇", "茶坪乡", "金口河镇", "嘉农镇", "符溪镇",
    "牛华镇", "竹根镇", "踏水镇", "三江镇", "迎春乡", "九里镇", "木城镇", "永和镇",
)  # fmt: skip


def head_title(org: str, deputy: bool) -> str:
    """局长/主任/院长 (or their deputies) depending on the kind of organisation."""
    if org.endswith(("委员会", "办公室")):
        base = "主任"
    elif org.endswith(("学院", "医院", "研究院")):
        base = "院长"
    elif org.endswith("大学"):
        base = "校长"
    else:
        base = "局长"
    return ("副" + base) if deputy else base


@dataclass(frozen=True)
class DepartmentPlacement:
    """One of the 2017 city department appointments the article names (the only ones in 2017)."""

    department: str
    title: str
    rank: str
    method: str
    start: date
    decade: int


DEPARTMENT_PLACEMENTS: tuple[DepartmentPlacement, ...] = (
    DepartmentPlacement("质量技术监督局", "局长", "正处级", "重用", date(2017, 3, 27), 1970),
    DepartmentPlacement("环境保护局", "副局长", "副处级", "新提拔", date(2017, 9, 1), 1970),
    DepartmentPlacement("财政局", "副局长", "副处级", "新提拔", date(2017, 9, 1), 1960),
    DepartmentPlacement("农业局", "副局长", "副处级", "交流", date(2017, 9, 1), 1980),
    DepartmentPlacement("交通运输局", "副局长", "副处级", "交流", date(2017, 9, 1), 1970),
    DepartmentPlacement("国土资源局", "副局长", "副处级", "新提拔", date(2017, 9, 1), 1960),
    DepartmentPlacement("教育局", "副局长", "副处级", "交流", date(2017, 9, 1), 1960),
)


DEPARTMENT_YEAR = DEPARTMENT_PLACEMENTS[0].start.year
"""2017: at city departments, only :data:`DEPARTMENT_PLACEMENTS` start in it."""
EARLIER = (TERM_START, date(DEPARTMENT_YEAR - 1, 12, 31))
LATER = (date(DEPARTMENT_YEAR + 1, 1, 1), AS_OF)
"""Where city department posts of the term go instead of 2017: 2016-11..12 and 2018-01..04."""


def out_of_department_year(day: date, *, later: bool | None = None) -> date:
    """``day`` if it is not in 2017; else mapped, in order, onto :data:`EARLIER` (the first half
    of 2017) or :data:`LATER` (the second half), or all of 2017 onto one of them (``later``)."""
    if day.year != DEPARTMENT_YEAR:
        return day
    first, mid, last = (date(DEPARTMENT_YEAR, m, d) for m, d in ((1, 1), (7, 1), (12, 31)))
    if later is None:
        later = day >= mid
        source = (mid, last) if later else (first, mid - timedelta(days=1))
    else:
        source = (first, last)
    target = LATER if later else EARLIER
    source_days = (source[1] - source[0]).days + 1
    target_days = (target[1] - target[0]).days + 1
    return target[0] + timedelta(days=(day - source[0]).days * target_days // source_days)


def fixed_counts() -> tuple[int, int, int, int]:
    """(persons, newly promoted, born 1970s, born 1980s) among the fixed placements."""
    fixed = [(p.method, p.decade) for p in DEPARTMENT_PLACEMENTS]
    fixed += [(s.method, s.decade) for s in PLACED_SEATS]
    return (
        len(fixed),
        sum(m == "新提拔" for m, _ in fixed),
        sum(d == 1970 for _, d in fixed),
        sum(d == 1980 for _, d in fixed),
    )


def between(rng: random.Random, first: date, last: date, month_start: float = 0.15) -> date:
    """A random day in [first, last], sometimes moved to the first of its month if allowed."""
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    if rng.random() < month_start and day.replace(day=1) >= first:
        day = day.replace(day=1)
    return day


@dataclass(frozen=True)
class OtherPlacement:
    """The plan for one placed person outside the fixed ones."""

    decade: int
    new: bool
    in_pool: bool
    twice: bool


class PlacementBuilder:
    """Builds the placements and the background leadership tenures."""

    def __init__(self, rng: random.Random, picker: Picker, scale: int) -> None:
        self.rng = rng
        self.picker = picker
        self.scale = scale
        self.tenures: list[Tenure] = []
        self.department_people: list[PoolMember] = []
        self.plan = self._plan()
        self.others: list[PoolMember] = []
        self.moved_to_institutions = 0

    def _plan(self) -> list[OtherPlacement]:
        k, rng = self.scale, self.rng
        n_fixed, new_fixed, s70_fixed, s80_fixed = fixed_counts()
        n = PLACED * k - n_fixed
        decades = quota(
            [
                (1970, PLACED_1970S * k - s70_fixed),
                (1980, PLACED_1980S * k - s80_fixed),
                (1960, n - (PLACED_1970S * k - s70_fixed) - (PLACED_1980S * k - s80_fixed)),
            ],
            rng,
        )
        new = quota(
            [(True, PLACED_NEW * k - new_fixed), (False, n - PLACED_NEW * k + new_fixed)], rng
        )
        twice = quota([(True, PLACED_TWICE * k), (False, n - PLACED_TWICE * k)], rng)
        outside = PLACED_OUTSIDE_POOL * k
        return [OtherPlacement(decades[i], new[i], i >= outside, twice[i]) for i in range(n)]

    def outside_pool_decades(self) -> list[tuple[int, str]]:
        """(decade, role) of the placed persons who must come from leavers of the pool."""
        return [(p.decade, "placed") for p in self.plan if not p.in_pool]

    def departments(self) -> None:
        """The 2017 appointments: one 质监局 局长 and six deputy heads of city departments."""
        rng = self.rng
        for spec in DEPARTMENT_PLACEMENTS:
            member = self.picker.one(
                "placed", lambda m, d=spec.decade: m.sector == "党政机关" and decade_of(m) == d
            )
            member.region = CITY
            self.department_people.append(member)
            org = f"乐山市{spec.department}"
            hint = "tech"
            if spec.method == "新提拔":
                before = (f"{org}{rng.choice(('办公室', '规划科', '法规科'))}", "科长", "正科级")
            elif spec.method == "重用":
                before = (org, "副局长", "副处级")
            else:
                other = rng.choice([d for d, _ in CITY_DEPARTMENTS if d != spec.department])
                before = (f"乐山市{other}", head_title(other, True), "副处级")
            self._previous(member, before, spec.start)
            self._post(member, org, spec.title, spec.rank, spec.start, None, spec.method, hint)

    def others_in_pool(self) -> None:
        """Pick the pool members for the remaining placements (before leavers exist)."""
        wanted = [p.decade for p in self.plan if p.in_pool]
        queues = {
            decade: iter(
                self.picker.take(
                    wanted.count(decade),
                    "placed",
                    lambda m, d=decade: m.sector == "党政机关" and decade_of(m) == d,
                )
            )
            for decade in sorted(set(wanted))
        }
        self.others = [next(queues[decade]) for decade in wanted]

    def others_tenures(self, outside: list[PoolMember]) -> None:
        """Tenures of the remaining placed persons; ``outside`` are those no longer in the pool."""
        rng = self.rng
        people = iter(self.others)
        leavers = iter(outside)
        first = True
        for plan in self.plan:
            member = next(people) if plan.in_pool else next(leavers)
            member.region = CITY
            orgs = CITY_DEPARTMENTS if rng.random() < 0.85 else INSTITUTIONS
            name, hint = rng.choice(orgs)
            if first:
                drawn = TERM_START
                first = False
            elif plan.twice:
                drawn = between(rng, TERM_START, date(2017, 6, 30))
            else:
                drawn = between(rng, TERM_START, AS_OF)
            start = drawn
            if orgs is CITY_DEPARTMENTS and drawn.year == DEPARTMENT_YEAR:
                if plan.new:  # a later day would change the person's rank on a pool snapshot
                    name, hint = self._institution()
                else:
                    start = out_of_department_year(drawn)
            org = name if name.startswith("乐山") else f"乐山市{name}"
            if plan.new:
                before = (f"{org}{rng.choice(('办公室', '综合科', '业务科'))}", "科长", "正科级")
                method, rank = "新提拔", "副处级"
            else:
                other, _ = rng.choice(CITY_DEPARTMENTS)
                before = (f"乐山市{other}", head_title(other, True), "副处级")
                method = "交流" if plan.twice or rng.random() < 0.6 else "重用"
                rank = "副处级" if method == "交流" else "正处级"
            self._previous(member, before, start)
            end = None
            if plan.twice:  # drawn from the drawn start: the random stream ignores the move
                end = between(rng, drawn + timedelta(days=150), AS_OF)
                end = out_of_department_year(end, later=True)  # the second post's start
            title = head_title(org, rank == "副处级")
            self._post(member, org, title, rank, start, end, method, hint)
            if plan.twice and end is not None:
                name2, hint2 = rng.choice(CITY_DEPARTMENTS)
                org2 = f"乐山市{name2}"
                self._post(
                    member, org2, head_title(org2, False), "正处级", end, None, "重用", hint2
                )

    def _institution(self) -> tuple[str, str]:
        """The next institution in turn, for a new promotion moved out of the departments."""
        institution = INSTITUTIONS[self.moved_to_institutions % len(INSTITUTIONS)]
        self.moved_to_institutions += 1
        return institution

    def _previous(self, member: PoolMember, post: tuple[str, str, str], until: date) -> None:
        org, title, rank = post
        start = between(self.rng, date(2009, 1, 1), date(2015, 12, 31))
        method = "新提拔" if rank == "正科级" else self.rng.choice(("新提拔", "交流"))
        self._post(member, org, title, rank, start, until, method, "general")

    def _post(
        self,
        member: PoolMember,
        org: str,
        title: str,
        rank: str,
        start: date,
        end: date | None,
        method: str,
        hint: str,
        *,
        region: str = CITY,
        team_type: str | None = None,
    ) -> Tenure:
        rng = self.rng
        if team_type is None:
            institution = any(w in org for w in ("学院", "医院", "研究院", "大学"))
            team_type = "其他" if institution else "部门"
        tenure = Tenure(
            person=member.person,
            category="领导职务",
            org=org,
            region=region,
            team_type=team_type,
            title=title,
            rank=rank,
            start=start,
            end=end,
            method=method,
            hint=hint,
            doc_in=doc_number(rng, region, start.year),
            doc_out=doc_number(rng, region, end.year) if end else "",
        )
        self.tenures.append(tenure)
        return tenure

    def background(self) -> None:
        """Leadership tenures that look similar but must not count as placements."""
        rng, k = self.rng, self.scale
        for member in self.picker.take(
            100 * k, "section", lambda m: m.sector == "党政机关" and decade_of(m) >= 1960
        ):
            county = rng.choice(COUNTIES)
            member.region = county
            head = ORG_PREFIX[county]
            start = between(rng, TERM_START, AS_OF)
            end = None
            if rng.random() < 0.15 and start + timedelta(days=60) < AS_OF:
                end = between(rng, start + timedelta(days=60), AS_OF)
            method = "新提拔" if rng.random() < 0.7 else "交流"
            if rng.random() < 0.6:
                town = rng.choice(TOWNS)
                title = "副镇长" if town.endswith("镇") else "副乡长"
                self._post(
                    member,
                    f"{head}{town}",
                    title,
                    "副科级",
                    start,
                    end,
                    method,
                    "complex",
                    region=county,
                    team_type="其他",
                )
            else:
                bureau, hint = rng.choice(COUNTY_BUREAUS)
                self._post(
                    member,
                    f"{head}{bureau}",
                    "副局长",
                    "副科级",
                    start,
                    end,
                    method,
                    hint,
                    region=county,
                    team_type="部门",
                )
        early = self.picker.take(
            20 * k, "early", lambda m: m.sector == "党政机关" and decade_of(m) in (1960, 1970)
        )
        for i, member in enumerate(early):
            member.region = CITY
            name, hint = rng.choice(CITY_DEPARTMENTS)
            start = (
                date(2016, 10, 31) if i == 0 else between(rng, date(2009, 1, 1), date(2016, 10, 31))
            )
            end = between(rng, start + timedelta(days=90), AS_OF) if rng.random() < 0.4 else None
            method = rng.choice(("新提拔", "交流", "重用"))
            rank = "正处级" if method == "重用" else "副处级"
            org = f"乐山市{name}"
            self._post(
                member, org, head_title(org, rank == "副处级"), rank, start, end, method, hint
            )
        for member in self.picker.take(5 * k, "other_method", lambda m: m.sector == "党政机关"):
            member.region = CITY
            name, hint = rng.choice(CITY_DEPARTMENTS)
            org = f"乐山市{name}"
            start = out_of_department_year(between(rng, TERM_START, AS_OF))
            self._post(member, org, head_title(org, True), "副处级", start, None, "其他", hint)
