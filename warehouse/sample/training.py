"""Training classes 2014-2018 and who attended them.

The classes are a fixed calendar (they do not grow with the scale); the attendees do.  For
each counted group (the three city-run progressive classes, the classes run by the centre
or the province, the practice postings) the generator first draws the exact set of distinct
persons the figure needs and then spreads them over the group's classes, some attending
twice.  Classes outside the three-year window, county-run progressive classes and themed
sessions take anyone: they count in no person figure.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from warehouse.sample.model import Defect, Participation, PoolMember, TrainingClass
from warehouse.sample.people import Person, Population
from warehouse.sample.reference import AS_OF, in_window

PROGRESSIVE_TRAINEES = 75
UPPER_TRAINEES = 106
PRACTICE_TRAINEES = 73
"""Distinct persons per unit of scale."""

CITY_UFWD = "中共乐山市委统战部"
SOCIALIST_ACADEMY = "乐山市社会主义学院"

THEMED_TOPICS: tuple[str, ...] = (
    "中央和省委重大会议精神学习班",
    "“乐山统一战线凝心聚力‘十三五’”专题学习",
    "《中国共产党统一战线工作条例（试行）》专题学习",
    "四川省《实施细则》专题辅导",
    "学习贯彻党的十九大精神专题学习",
    "全国两会精神专题学习",
    "民主党派参政议政能力提升专题",
    "新的社会阶层人士统战工作专题研讨",
    "《宗教事务条例》专题学习",
    "脱贫攻坚专题学习",
    "党外知识分子国情教育专题",
    "“中国梦”主题教育",
)
COUNTY_HOSTS: tuple[str, ...] = (
    "中共犍为县委统战部",
    "中共峨眉山市委统战部",
    "中共夹江县委统战部",
    "中共乐山市市中区委统战部",
    "中共马边彝族自治县委统战部",
)


def _classes(rng: random.Random) -> list[TrainingClass]:
    """The class calendar; themed sessions get generated dates, the rest are listed."""
    c = TrainingClass
    listed = [
        c("BC201401", "2014年党外干部递进培训试点班", "递进培训班", "市级", CITY_UFWD,
          date(2014, 11, 3), date(2014, 11, 14), 80),
        c("BC201506", "第一期优秀党外干部递进培训班", "递进培训班", "市级", SOCIALIST_ACADEMY,
          date(2015, 9, 14), date(2015, 12, 18), 120),
        c("BC201608", "第二期优秀党外干部递进培训班", "递进培训班", "市级", SOCIALIST_ACADEMY,
          date(2016, 9, 1), date(2016, 12, 16), 120),
        c("BC201709", "第三期优秀党外干部递进培训班", "递进培训班", "市级", SOCIALIST_ACADEMY,
          date(2017, 9, 11), date(2017, 12, 22), 120),
        c("BC201711", "峨眉山市党外干部递进培训班", "递进培训班", "县级", "中共峨眉山市委统战部",
          date(2017, 5, 8), date(2017, 6, 30), 60),
        c("BC201805", "第四期优秀党外干部递进培训班", "递进培训班", "市级", SOCIALIST_ACADEMY,
          date(2018, 5, 14), date(2018, 9, 28), 120),
        c("DX201410", "中央社会主义学院党外干部进修班", "调训", "中央", "中央社会主义学院",
          date(2014, 10, 8), date(2014, 11, 28), 240),
        c("DX201503", "四川省社会主义学院党外干部培训班（2015年春季）", "调训", "省级",
          "四川省社会主义学院", date(2015, 3, 9), date(2015, 3, 27), 96),
        c("DX201506", "四川省社会主义学院党外干部培训班（2015年第1期）", "调训", "省级",
          "四川省社会主义学院", date(2015, 6, 1), date(2015, 6, 26), 96),
        c("DX201511", "四川省社会主义学院党外干部培训班（2015年第2期）", "调训", "省级",
          "四川省社会主义学院", date(2015, 11, 2), date(2015, 11, 27), 96),
        c("DX201603", "中央社会主义学院党外干部进修班（2016年）", "调训", "中央",
          "中央社会主义学院", date(2016, 3, 7), date(2016, 4, 29), 240),
        c("DX201605", "四川省党外中青年干部培训班", "调训", "省级", "中共四川省委统战部",
          date(2016, 5, 20), date(2016, 5, 13), 48, Defect("结束日期", "2016-05-13",
                                                           "结束日期早于开始日期")),
        c("DX201606", "四川省社会主义学院党外干部培训班（2016年第1期）", "调训", "省级",
          "四川省社会主义学院", date(2016, 6, 6), date(2016, 7, 1), 96),
        c("DX201611", "四川省社会主义学院党外干部培训班（2016年第2期）", "调训", "省级",
          "四川省社会主义学院", date(2016, 11, 1), date(2016, 11, 25), 96),
        c("DX201704", "四川省社会主义学院党外干部培训班（2017年第1期）", "调训", "省级",
          "四川省社会主义学院", date(2017, 4, 10), date(2017, 5, 5), 96),
        c("DX201705", "中央社会主义学院党外干部进修班（2017年）", "调训", "中央",
          "中央社会主义学院", date(2017, 5, 2), date(2017, 6, 30), 240),
        c("DX201710", "四川省社会主义学院党外干部培训班（2017年第2期）", "调训", "省级",
          "四川省社会主义学院", date(2017, 10, 9), date(2017, 11, 3), 96),
        c("DX201803", "四川省社会主义学院党外干部培训班（2018年第1期）", "调训", "省级",
          "四川省社会主义学院", date(2018, 3, 19), date(2018, 5, 18), 96),
        c("ZT201607", "中央社会主义学院党外代表人士专题研讨班", "专题学习", "中央",
          "中央社会主义学院", date(2016, 7, 11), date(2016, 7, 15), 40),
        c("ZT201712", "全省统一战线学习贯彻党的十九大精神专题研讨班", "专题学习", "省级",
          "中共四川省委统战部", date(2017, 12, 4), date(2017, 12, 8), 32.5),
        c("SJ201501", "2015年度驻村帮扶", "实践锻炼", "市级", "中共乐山市委组织部",
          date(2015, 1, 1), date(2015, 12, 31), None),
        c("SJ201508", "县级部门党外干部挂职锻炼", "实践锻炼", "县级", "中共犍为县委组织部",
          date(2015, 8, 1), date(2016, 2, 1), None),
        c("SJ201603", "2016年度驻村帮扶", "实践锻炼", "市级", "中共乐山市委组织部",
          date(2016, 3, 1), date(2016, 12, 31), None),
        c("SJ201609", "市直部门党外干部互派挂职锻炼", "实践锻炼", "市级", "中共乐山市委组织部",
          date(2016, 9, 1), date(2017, 3, 1), None),
        c("SJ201703", "2017年度驻村帮扶", "实践锻炼", "市级", "中共乐山市委组织部",
          date(2017, 3, 1), date(2017, 12, 31), None),
        c("SJ201704", "安监人才“双百工程”互派挂职", "实践锻炼", "市级", "乐山市安全生产监督管理局",
          date(2017, 4, 1), date(2018, 4, 1), None),
        c("SJ201706", "脱贫攻坚挂图作战", "实践锻炼", "县级", "中共马边彝族自治县委组织部",
          date(2017, 6, 1), date(2017, 12, 1), None),
        c("SJ201803", "2018年度驻村帮扶", "实践锻炼", "市级", "中共乐山市委组织部",
          date(2018, 3, 1), date(2018, 12, 31), None),
    ]  # fmt: skip
    themed = []
    out_of_window = [date(2014, 12, 10), date(2015, 3, 18), date(2015, 4, 30)]
    starts = out_of_window + _spread(rng, date(2015, 5, 6), date(2018, 4, 27), 30)
    for i, start in enumerate(starts):
        county = rng.random() < 0.3
        host = rng.choice(COUNTY_HOSTS) if county else rng.choice((CITY_UFWD, SOCIALIST_ACADEMY))
        days = rng.choice((0, 0, 1, 2))
        end = date.fromordinal(start.toordinal() + days)
        hours = rng.choice((4, 6, 8, 12, 16, None))
        topic = THEMED_TOPICS[i % len(THEMED_TOPICS)]
        themed.append(
            TrainingClass(
                f"ZT{start:%Y%m}{i:02d}", topic, "专题学习", "县级" if county else "市级", host,
                start, end, hours,
            )
        )  # fmt: skip
    return sorted(listed + themed, key=lambda k: (k.start, k.code))


def _spread(rng: random.Random, first: date, last: date, n: int) -> list[date]:
    """``n`` distinct working-ish days between first and last, roughly evenly spaced."""
    span = last.toordinal() - first.toordinal()
    days = []
    for i in range(n):
        base = first.toordinal() + span * i // n
        day = date.fromordinal(base + rng.randrange(max(span // n - 2, 1)))
        if i % 9 == 4:
            day = day.replace(day=1)
        days.append(day)
    return days


class TrainingBuilder:
    """Builds classes and participants with the exact distinct-person counts of §10."""

    def __init__(self, rng: random.Random, pop: Population, scale: int) -> None:
        self.rng = rng
        self.pop = pop
        self.scale = scale
        self.classes = _classes(rng)
        self.participants: list[Participation] = []

    def build(
        self,
        current: Sequence[PoolMember],
        leavers: Sequence[PoolMember],
        outsiders: Sequence[Person],
    ) -> None:
        """All participant rows, in class order."""
        rng, k = self.rng, self.scale
        by_class: dict[str, list[Participation]] = {c.code: [] for c in self.classes}
        young = [m.person for m in current if m.person.birth.year >= 1970]
        cadres = [m.person for m in current if m.sector != "体制外"]
        everyone = [m.person for m in current]
        gone = [m.person for m in leavers]

        def mix(n: int, main: Sequence[Person], share_main: float) -> list[Person]:
            n_main = round(n * share_main)
            n_gone = round((n - n_main) * 0.4)
            chosen = rng.sample(list(main), n_main) + rng.sample(gone, n_gone)
            chosen += rng.sample(list(outsiders), n - n_main - n_gone)
            rng.shuffle(chosen)
            return chosen

        progressive = [c for c in self.classes if self._progressive(c)]
        trainees = mix(PROGRESSIVE_TRAINEES * k, young, 0.96)
        sizes = [25 * k, 26 * k, 24 * k]
        pos = 0
        for klass, size in zip(progressive, sizes, strict=True):
            for person in trainees[pos : pos + size]:
                by_class[klass.code].append(Participation(klass.code, person, "结业"))
            pos += size
        taken = {p.pid for p in trainees}
        dropouts = [p for p in young if p.pid not in taken]
        for klass in progressive[1:]:
            for person in rng.sample(dropouts, k):
                by_class[klass.code].append(Participation(klass.code, person, "未结业"))
        upper = [c for c in self.classes if self._upper(c)]
        self._spread_people(by_class, upper, mix(UPPER_TRAINEES * k, everyone, 0.8), 12 * k)
        practice = [c for c in self.classes if c.kind == "实践锻炼" and in_window(c.start)]
        self._spread_people(by_class, practice, mix(PRACTICE_TRAINEES * k, cadres, 0.93), 8 * k)
        for klass in self.classes:
            if klass.defect is not None:
                for _ in range(2):
                    person = self.pop.anyone(born_from=1965, born_to=1990)
                    by_class[klass.code].append(
                        Participation(klass.code, person, "结业", tag="rejected_class")
                    )
                continue
            if self._counted(klass) or klass.start > AS_OF:
                continue
            size = rng.randrange(15, 41) * k
            for person in mix(size, everyone, 0.75):
                by_class[klass.code].append(Participation(klass.code, person, "结业"))
        for klass in self.classes:
            rows = by_class[klass.code]
            rng.shuffle(rows)
            if klass.code == progressive[1].code:
                twin = next(p for p in rows[3:] if p.status == "结业")
                rows.insert(
                    len(rows) - 2,
                    Participation(twin.class_code, twin.person, twin.status,
                                  tag="duplicate_participant"),
                )  # fmt: skip
            if klass.code == upper[4].code:
                stray = self.pop.anyone(born_from=1970, born_to=1988)
                rows.insert(
                    len(rows) // 2,
                    Participation(
                        "BC201799", stray, "结业",
                        Defect("班次编号", "BC201799", "班次编号不存在"), tag="unknown_class",
                    ),
                )  # fmt: skip
            self.participants.extend(rows)

    def _spread_people(
        self,
        by_class: dict[str, list[Participation]],
        classes: list[TrainingClass],
        people: list[Person],
        twice: int,
    ) -> None:
        """Everyone in ``people`` attends one class of ``classes``; ``twice`` attend a second."""
        rng = self.rng
        for i, person in enumerate(people):
            klass = classes[i % len(classes)]
            by_class[klass.code].append(Participation(klass.code, person, self._status(klass)))
        for person in people[:twice]:
            klass = rng.choice(classes)
            if all(p.person.pid != person.pid for p in by_class[klass.code]):
                by_class[klass.code].append(Participation(klass.code, person, self._status(klass)))

    def _status(self, klass: TrainingClass) -> str:
        if klass.end > AS_OF:
            return "在训"
        return "结业" if self.rng.random() < 0.95 else "未结业"

    @staticmethod
    def _progressive(klass: TrainingClass) -> bool:
        return klass.kind == "递进培训班" and klass.level == "市级" and in_window(klass.start)

    @staticmethod
    def _upper(klass: TrainingClass) -> bool:
        return klass.level in ("中央", "省级") and in_window(klass.start) and klass.defect is None

    def _counted(self, klass: TrainingClass) -> bool:
        practice = klass.kind == "实践锻炼" and in_window(klass.start)
        return self._progressive(klass) or self._upper(klass) or practice
