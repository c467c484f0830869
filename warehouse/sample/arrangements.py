"""Political arrangements (政治安排): deputies, committee members and special monitors.

The article's 2917 persons "arranged since the term" are mostly people outside the talent
pool, so most of them are made up here with nothing but a name and an ID.  Every arranged
person gets at least one arrangement starting on or after the term start; many also have a
row from the previous term.  Another group has previous-term rows only and must not count.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from warehouse.sample.documents import doc_number
from warehouse.sample.model import Defect, PoolMember, Tenure
from warehouse.sample.people import Person, Population
from warehouse.sample.placements import between
from warehouse.sample.reference import AS_OF, CITY, COUNTIES, ORG_PREFIX, TERM_START
from warehouse.sample.teams import CITY_ELECTIONS, COUNTY_ELECTIONS, previous_term

ARRANGED = 2917
ARRANGED_FROM_POOL = 400
ARRANGED_FROM_LEAVERS = 20
PREVIOUS_TERM_ONLY_POOL = 50
PREVIOUS_TERM_ONLY_OTHERS = 150
"""Per unit of scale."""

KINDS: tuple[tuple[str, int], ...] = (
    ("county_cppcc", 35),
    ("county_npc", 30),
    ("city_cppcc", 12),
    ("city_npc", 10),
    ("special", 13),
)
SPECIAL_POSTS: tuple[tuple[str, str, str], ...] = (
    ("乐山市人民检察院", "特约检察员", "其他"),
    ("乐山市中级人民法院", "人民陪审员", "其他"),
    ("乐山市监察局", "特邀监察员", "部门"),
    ("乐山市审计局", "特约审计员", "部门"),
    ("乐山市教育局", "特约教育督导员", "部门"),
    ("乐山市公安局", "特邀监督员", "部门"),
    ("乐山市国家税务局", "特约监督员", "其他"),
)
CITY_NPC_DAY = date(2016, 12, 1)


class ArrangementBuilder:
    """Builds all 政治安排 rows and the people outside the pool who hold them."""

    def __init__(self, rng: random.Random, pop: Population, scale: int) -> None:
        self.rng = rng
        self.pop = pop
        self.scale = scale
        self.tenures: list[Tenure] = []
        self.arranged: list[Person] = []
        self.outsiders: list[Person] = []
        self._first_special = True
        self.rank_of: dict[str, str] = {}
        self.rejected_people: list[Person] = []

    def build(
        self, current: list[PoolMember], leavers: list[PoolMember], rank_of: dict[str, str]
    ) -> None:
        """Arrangements since the term for exactly ARRANGED x scale persons, plus distractors."""
        rng, k = self.rng, self.scale
        self.rank_of = rank_of
        from_pool = rng.sample(current, ARRANGED_FROM_POOL * k)
        chosen = {m.person.pid for m in from_pool}
        from_leavers = rng.sample(leavers, ARRANGED_FROM_LEAVERS * k)
        people = [m.person for m in from_pool] + [m.person for m in from_leavers]
        n_out = ARRANGED * k - len(people)
        for _ in range(n_out):
            person = self.pop.anyone(born_from=1950, born_to=1992)
            self.outsiders.append(person)
            people.append(person)
        rng.shuffle(people)
        for person in people:
            kinds = [self._kind()]
            if rng.random() < 0.18:
                second = self._kind()
                if second != kinds[0]:
                    kinds.append(second)
            for i, kind in enumerate(kinds):
                self._current(person, kind, with_previous=i == 0 and rng.random() < 0.4)
        self.arranged = people
        others = [m for m in current if m.person.pid not in chosen]
        previous_only = [m.person for m in rng.sample(others, PREVIOUS_TERM_ONLY_POOL * k)]
        for _ in range(PREVIOUS_TERM_ONLY_OTHERS * k):
            person = self.pop.anyone(born_from=1950, born_to=1990)
            self.outsiders.append(person)
            previous_only.append(person)
        for i, person in enumerate(previous_only):
            self._previous(person, self._kind(), edge=i == 0)
        self._defects()

    def _kind(self) -> str:
        kinds, weights = zip(*KINDS, strict=True)
        return self.rng.choices(kinds, weights=weights)[0]

    def _place(self, kind: str) -> tuple[str, str, str, str, date]:
        """(region, org, team_type, title, start) of an arrangement of this kind this term."""
        rng = self.rng
        if kind in ("county_cppcc", "county_npc"):
            county = rng.choice(COUNTIES)
            cppcc, congress = COUNTY_ELECTIONS[county]
            if kind == "county_cppcc":
                title = "政协常委" if rng.random() < 0.1 else "政协委员"
                return county, f"{ORG_PREFIX[county]}政协", "政协", title, cppcc
            team_type = "人大常委会" if rng.random() < 0.5 else "其他"
            return county, f"{ORG_PREFIX[county]}人民代表大会", team_type, "人大代表", congress
        if kind == "city_cppcc":
            title = "政协常委" if rng.random() < 0.1 else "政协委员"
            return CITY, "政协乐山市委员会", "政协", title, CITY_ELECTIONS[0]
        if kind == "city_npc":
            team_type = "人大常委会" if rng.random() < 0.5 else "其他"
            return CITY, "乐山市人民代表大会", team_type, "人大代表", CITY_NPC_DAY
        org, title, team_type = rng.choice(SPECIAL_POSTS)
        if self._first_special:
            self._first_special = False
            start = TERM_START
        else:
            start = between(rng, TERM_START, AS_OF, month_start=0.3)
        return CITY, org, team_type, title, start

    def _row(
        self,
        person: Person,
        place: tuple[str, str, str, str, date],
        start: date,
        end: date | None,
        kind: str,
    ) -> Tenure:
        rng = self.rng
        region, org, team_type, title, _ = place
        issuer = "政协" if team_type == "政协" else ("人大" if "人民代表" in org else "统战")
        tenure = Tenure(
            person=person,
            category="政治安排",
            org=org,
            region=region,
            team_type=team_type,
            title=title,
            rank=self.rank_of.get(person.pid, "无"),
            start=start,
            end=end,
            method="其他" if kind == "special" else "换届选举",
            doc_in=doc_number(rng, region, start.year, issuer),
            doc_out=doc_number(rng, region, end.year, issuer) if end else "",
        )
        self.tenures.append(tenure)
        return tenure

    def _current(self, person: Person, kind: str, *, with_previous: bool) -> None:
        rng = self.rng
        place = self._place(kind)
        start = place[4]
        end = None
        if kind == "special" and rng.random() < 0.2 and start + timedelta(days=30) < AS_OF:
            end = between(rng, start + timedelta(days=30), AS_OF)
        elif kind != "special" and rng.random() < 0.02:
            end = between(rng, start + timedelta(days=90), AS_OF)
        if with_previous:
            before = (
                previous_term(start)
                if kind != "special"
                else between(rng, date(2011, 1, 1), start - timedelta(days=400))
            )
            self._row(person, place, before, start, kind)
        self._row(person, place, start, end, kind)

    def _previous(self, person: Person, kind: str, *, edge: bool) -> None:
        rng = self.rng
        place = self._place(kind)
        if kind == "special" or edge:
            start = (
                date(2016, 10, 31) if edge else between(rng, date(2011, 1, 1), date(2016, 10, 31))
            )
            end = None if rng.random() < 0.6 else between(rng, start + timedelta(days=1), AS_OF)
            place = (CITY, *rng.choice(SPECIAL_POSTS)[:1], "其他", "特约监督员", start)
            self._row(person, place, start, end, "special")
            return
        self._row(person, place, previous_term(place[4]), place[4], kind)

    def _defects(self) -> None:
        """Two arrangements that the warehouse must reject; their persons appear nowhere else."""
        bad_end = self.pop.anyone(born_from=1960, born_to=1985)
        tenure = self._row(
            bad_end,
            (CITY, "乐山市人民检察院", "其他", "特约检察员", date(2017, 3, 1)),
            date(2017, 3, 1),
            date(2016, 12, 1),
            "special",
        )
        tenure.defect = Defect("免职时间", "2016-12-01", "免职时间早于任职时间")
        bad_day = self.pop.anyone(born_from=1960, born_to=1985)
        county = "犍为县"
        tenure = self._row(
            bad_day,
            (county, f"{ORG_PREFIX[county]}政协", "政协", "政协委员", COUNTY_ELECTIONS[county][0]),
            COUNTY_ELECTIONS[county][0],
            None,
            "county_cppcc",
        )
        tenure.defect = Defect("任职时间", "2017/13/45", "任职时间不是可识别的日期")
        self.rejected_people = [bad_end, bad_day]
