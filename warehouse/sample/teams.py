"""Leadership teams (领导班子) and the non-party persons sitting on them.

The 36 teams and the people sitting on them are structural: they do not grow with the
scale.  Every team gets at least one sitting non-party member, each county 政协 gets three
(two get four) 副主席, and the seven democratic-party chairs (主委) each hold a 副厅级 city
post as well.  Most seats were filled at the 2016/2017 elections (选拔任用方式 换届选举), so
they do not count as placements; the exceptions are listed in :data:`PLACED_SEATS` and are
part of the 90 county-level placements.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from warehouse.sample.documents import doc_number
from warehouse.sample.model import PoolMember, Team, Tenure
from warehouse.sample.pool import Picker, decade_of
from warehouse.sample.reference import (
    CITY,
    COUNTIES,
    HIGH_TECH_ZONE,
    ORG_PREFIX,
    PARTY_ORG,
    REGIONS,
    YI_COUNTIES,
)

SEATS: dict[str, tuple[int, int, int]] = {
    CITY: (7, 9, 9),
    "市中区": (6, 8, 6),
    "沙湾区": (5, 7, 5),
    "五通桥区": (6, 7, 6),
    "金口河区": (5, 6, 5),
    "犍为县": (6, 8, 6),
    "井研县": (5, 7, 6),
    "夹江县": (6, 7, 6),
    "沐川县": (5, 7, 5),
    "峨边彝族自治县": (5, 7, 5),
    "马边彝族自治县": (5, 7, 5),
    "峨眉山市": (6, 8, 6),
}
"""核定领导职数 of (人大常委会, 政府, 政协) per region."""

COUNTY_ELECTIONS: dict[str, tuple[date, date]] = {
    "市中区": (date(2016, 12, 19), date(2016, 12, 20)),
    "沙湾区": (date(2016, 12, 12), date(2016, 12, 13)),
    "五通桥区": (date(2016, 12, 14), date(2016, 12, 15)),
    "金口河区": (date(2016, 11, 28), date(2016, 11, 29)),
    "犍为县": (date(2016, 12, 5), date(2016, 12, 6)),
    "井研县": (date(2016, 11, 30), date(2016, 12, 1)),
    "夹江县": (date(2016, 11, 30), date(2016, 12, 1)),
    "沐川县": (date(2016, 11, 21), date(2016, 11, 22)),
    "峨边彝族自治县": (date(2016, 11, 1), date(2016, 11, 2)),
    "马边彝族自治县": (date(2016, 11, 14), date(2016, 11, 15)),
    "峨眉山市": (date(2016, 12, 26), date(2016, 12, 27)),
}
"""(政协 session, 人大 session) of each county's 2016 change of term."""
CITY_ELECTIONS: tuple[date, date] = (date(2017, 1, 6), date(2017, 1, 8))


def previous_term(day: date) -> date:
    """The same session five years earlier (the previous change of term)."""
    return day.replace(year=day.year - 5)


def election_date(region: str, team_type: str) -> date:
    """When the region's 人大/政府 or 政协 team was elected at the change of term."""
    cppcc, congress = CITY_ELECTIONS if region == CITY else COUNTY_ELECTIONS[region]
    return cppcc if team_type == "政协" else congress


COUNTY_SITTING: dict[str, tuple[int, int, int]] = {
    county: (
        2 if county in ("市中区", "犍为县", "夹江县", "峨眉山市") else 1,
        1,
        4 if county in ("市中区", "峨眉山市") else 3,
    )
    for county in COUNTIES
}
"""Sitting non-party members at the as-of date on each county's (人大常委会, 政府, 政协)."""


@dataclass(frozen=True)
class PlacedSeat:
    """A seat filled since the term by 新提拔/交流/重用: it counts as a county-level placement."""

    region: str
    team_type: str
    method: str
    start: date
    decade: int


PLACED_SEATS: tuple[PlacedSeat, ...] = (
    PlacedSeat("犍为县", "政府", "交流", date(2017, 5, 16), 1970),
    PlacedSeat("沙湾区", "政府", "新提拔", date(2017, 8, 1), 1980),
    PlacedSeat("井研县", "政府", "新提拔", date(2017, 12, 11), 1970),
    PlacedSeat("夹江县", "政府", "交流", date(2018, 4, 30), 1960),
    PlacedSeat("五通桥区", "政府", "交流", date(2017, 3, 1), 1960),
    PlacedSeat("金口河区", "人大常委会", "重用", date(2017, 4, 20), 1960),
    PlacedSeat("峨眉山市", "政协", "交流", date(2017, 6, 28), 1970),
    PlacedSeat("沐川县", "政协", "交流", date(2018, 4, 30), 1960),
)

CHAIR_PARTIES: tuple[tuple[str, str], ...] = (
    ("民革党员", "政协"),
    ("民盟盟员", "人大常委会"),
    ("民建会员", "政协"),
    ("民进会员", "人大常委会"),
    ("农工党党员", "政协"),
    ("致公党党员", "政协"),
    ("九三学社社员", "政府"),
)
"""The seven democratic parties with a city committee, and the city team their chair sits on."""


def build_teams() -> list[Team]:
    """The 36 rows of leadership_teams.xlsx."""
    teams = []
    for code, region in REGIONS:
        for team_type, seats in zip(("人大常委会", "政府", "政协"), SEATS[region], strict=True):
            teams.append(Team(code=code, region=region, team_type=team_type, seats=seats))
    return teams


def team_org(region: str, team_type: str) -> str:
    """The organisation's name as the appointment records write it."""
    head = ORG_PREFIX[region]
    if team_type == "人大常委会":
        return f"{head}人大常委会"
    if team_type == "政府":
        return f"{head}人民政府"
    return f"政协{head}委员会" if region == CITY else f"{head}政协"


def team_title(region: str, team_type: str) -> str:
    """The deputy title on a team: 副主任, 副主席, or 副市长/副县长/副区长."""
    if team_type == "人大常委会":
        return "副主任"
    if team_type == "政协":
        return "副主席"
    if region == CITY or region.endswith("市"):
        return "副市长"
    return "副区长" if region.endswith("区") else "副县长"


class TeamBuilder:
    """Fills the seats: sitting members, their predecessors, and the democratic-party chairs."""

    def __init__(self, rng: random.Random, picker: Picker) -> None:
        self.rng = rng
        self.picker = picker
        self.tenures: list[Tenure] = []
        self.placed: list[PoolMember] = []
        self.chairs: list[PoolMember] = []
        self.predecessor_chairs: list[tuple[str, str, date]] = []

    def build(self) -> list[Tenure]:
        """All team and chair tenures."""
        self._city()
        for county in COUNTIES:
            for i, team_type in enumerate(("人大常委会", "政府", "政协")):
                self._county_team(county, team_type, COUNTY_SITTING[county][i])
        return self.tenures

    def _member(self, region: str, role: str, decade: int | None = None) -> PoolMember:
        decades = (decade,) if decade else (1960, 1970)

        def ok(m: PoolMember) -> bool:
            return m.sector == "党政机关" and decade_of(m) in decades

        if region in YI_COUNTIES:
            try:
                member = self.picker.one(role, lambda m: ok(m) and m.person.ethnicity != "汉族")
            except RuntimeError:
                member = self.picker.one(role, ok)
        else:
            member = self.picker.one(role, ok)
        member.region = region
        return member

    def _seat(
        self,
        member: PoolMember,
        region: str,
        team_type: str,
        start: date,
        method: str,
        *,
        end: date | None = None,
        rank: str | None = None,
    ) -> Tenure:
        rng = self.rng
        city = region == CITY
        issuer = {"人大常委会": "人大", "政府": "政府", "政协": "政协"}[team_type]
        tenure = Tenure(
            person=member.person,
            category="领导职务",
            org=team_org(region, team_type),
            region=region,
            team_type=team_type,
            title=team_title(region, team_type),
            rank=rank or ("副厅级" if city else "副处级"),
            start=start,
            end=end,
            method=method,
            hint="complex",
            doc_in=doc_number(rng, region, start.year, issuer),
            doc_out=doc_number(rng, region, end.year, issuer) if end else "",
        )
        self.tenures.append(tenure)
        return tenure

    def _city(self) -> None:
        cppcc, congress = CITY_ELECTIONS
        for party, team_type in CHAIR_PARTIES:
            chair = self._member(CITY, "chair")
            chair.affiliation = party
            self.chairs.append(chair)
            if party == "民进会员":
                start, method = previous_term(congress), "换届选举"
                self._seat(chair, CITY, team_type, start, method)
            elif party == "九三学社社员":
                self._seat(chair, CITY, team_type, congress, "新提拔")
            else:
                start = cppcc if team_type == "政协" else congress
                self._seat(chair, CITY, team_type, start, "换届选举")
            self._chair_post(chair, party)
        independent = self._member(CITY, "team")
        independent.affiliation = "无党派人士"
        self._seat(independent, CITY, "政协", cppcc, "换届选举")
        zone = self._member(HIGH_TECH_ZONE, "team")
        tenure = self._seat(zone, CITY, "政府", date(2015, 6, 15), "交流", rank="副处级")
        tenure.org, tenure.region, tenure.title = "乐山高新区管委会", HIGH_TECH_ZONE, "副主任"
        retired = self._member(CITY, "former")
        self._seat(retired, CITY, "政协", previous_term(cppcc), "换届选举", end=cppcc)

    def _chair_post(self, chair: PoolMember, party: str) -> None:
        rng = self.rng
        org = f"{PARTY_ORG[party]}乐山市委"
        if party in ("民革党员", "致公党党员"):
            start = date(2011, rng.randrange(9, 13), rng.randrange(1, 29))
        else:
            start = date(2017, rng.randrange(1, 7), rng.choice((1, 10, 18, 25)))
        self.tenures.append(
            Tenure(
                person=chair.person,
                category="领导职务",
                org=org,
                region=CITY,
                team_type="民主党派",
                title="主委",
                rank="正处级",
                start=start,
                end=None,
                method="换届选举",
                hint="general",
                doc_in=doc_number(rng, CITY, start.year, "党派"),
            )
        )
        if party in ("民进会员", "农工党党员"):
            self.predecessor_chairs.append((party, org, start))
        if party != "九三学社社员":
            vice = self.picker.one("vice_chair", lambda m: m.sector in ("党政机关", "事业单位"))
            vice.affiliation = party
            vice_start = start if start.year == 2017 else date(2017, 3, 20)
            self.tenures.append(
                Tenure(
                    person=vice.person,
                    category="领导职务",
                    org=org,
                    region=CITY,
                    team_type="民主党派",
                    title="副主委",
                    rank=rng.choice(("副处级", "正科级")),
                    start=vice_start,
                    end=None,
                    method="换届选举",
                    doc_in=doc_number(rng, CITY, vice_start.year, "党派"),
                )
            )

    def former_chairs(self, leavers: list[PoolMember]) -> None:
        """Chairs replaced at their party's 2017 congress, taken from persons who left the pool."""
        rng = self.rng
        for (party, org, successor_start), person in zip(
            self.predecessor_chairs, leavers, strict=True
        ):
            person.affiliation = party
            start = date(2011, rng.randrange(9, 13), rng.randrange(1, 29))
            self.tenures.append(
                Tenure(
                    person=person.person,
                    category="领导职务",
                    org=org,
                    region=CITY,
                    team_type="民主党派",
                    title="主委",
                    rank="正处级",
                    start=start,
                    end=successor_start,
                    method="换届选举",
                    doc_in=doc_number(rng, CITY, start.year, "党派"),
                    doc_out=doc_number(rng, CITY, successor_start.year, "党派"),
                )
            )

    def _county_team(self, county: str, team_type: str, sitting: int) -> None:
        rng = self.rng
        elected = election_date(county, team_type)
        placed = [s for s in PLACED_SEATS if s.region == county and s.team_type == team_type]
        for seat in placed:
            member = self._member(county, "placed_seat", seat.decade)
            self.placed.append(member)
            self._seat(member, county, team_type, seat.start, seat.method)
            before = self._member(county, "former")
            self._seat(before, county, team_type, elected, "换届选举", end=seat.start)
        for i in range(sitting - len(placed)):
            member = self._member(county, "team")
            if county == "峨边彝族自治县" and team_type == "政府":
                self._seat(member, county, team_type, date(2014, 3, 12), "交流")
                continue
            if i == 0 and rng.random() < 0.5:
                self._seat(
                    member, county, team_type, previous_term(elected), "换届选举", end=elected
                )
            self._seat(member, county, team_type, elected, "换届选举")
        if rng.random() < 0.6:
            retired = self._member(county, "former")
            self._seat(retired, county, team_type, previous_term(elected), "换届选举", end=elected)
        if county == "犍为县" and team_type == "政协":
            leaving = self._member(county, "former")
            self._seat(leaving, county, team_type, elected, "换届选举", end=date(2018, 4, 30))
