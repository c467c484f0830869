"""The synthetic sample: byte-for-byte reproducible, and its files tell the planted story.

The figures are recomputed here from the written files with a deliberately small reader
(header search, 合计 rows, the date formats of contract §8, ID check digits), independent of
the generator's own records and of the warehouse's ingest.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from warehouse.sample import generate_sample
from warehouse.sample.expected import (
    CITY_DEPARTMENT_POSTS,
    CITY_DEPARTMENT_POSTS_YEAR,
    EXPECTED_FIGURES,
    EXPECTED_POOL_BY_SNAPSHOT,
    PLANTED_ROWS,
    sample_figures,
    satisfies,
)
from warehouse.sample.generate import build_sample, check_sample

LISTS = (
    "副科级以上党外干部",
    "民主党派代表人士",
    "宗教界代表人士",
    "党外知识分子",
    "新社会阶层人士",
    "归国留学人员",
    "非公有制经济代表人士",
)
AS_OF, TERM = date(2018, 4, 30), date(2016, 11, 1)
UPPER = ("中央", "省级")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
DAY = re.compile(
    r"(\d{4})(?:-(\d{2})-|/(\d{1,2})/|\.(\d{1,2})\.|(\d{2})|年(\d{1,2})月)(\d{1,2})日?"
)
MONTH = re.compile(r"(\d{4})(?:\.|-|年)?(\d{1,2})月?")


# --- a tiny reader --------------------------------------------------------------------------


def raw_rows(path: Path, sheet: str | None = None) -> list[list[str]]:
    """All rows of a sheet or CSV as text, blank rows kept (index i = steward row i + 1)."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else None
        if text is None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("gb18030")
        return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    frame = pl.read_excel(
        path,
        sheet_name=sheet,
        sheet_id=None if sheet else 1,
        engine="calamine",
        has_header=False,
        infer_schema_length=0,
        drop_empty_rows=False,
    )
    return [[(c or "").strip() for c in r] for r in frame.rows()]


def records(path: Path, sheet: str | None = None, key: str = "姓名") -> list[dict[str, str]]:
    """Data rows under the first row holding ``key``, without blank and 合计 rows."""
    rows = raw_rows(path, sheet)
    at = next(i for i, r in enumerate(rows) if key in r)
    out = []
    for number, r in enumerate(rows[at + 1 :], start=at + 2):
        filled = [c for c in r if c]
        if filled and not filled[0].startswith("合计"):
            out.append(dict(zip(rows[at], r, strict=True)) | {"_row": str(number)})
    return out


def parse_day(text: str) -> date | None:
    """A §8 date (or a date cell as calamine prints it); None when not a date."""
    text = text.removesuffix(" 00:00:00")
    try:
        if m := DAY.fullmatch(text):
            month = next(g for g in m.groups()[1:6] if g)
            return date(int(m[1]), int(month), int(m[7]))
        if m := MONTH.fullmatch(text):
            return date(int(m[1]), int(m[2]), 1)
    except ValueError:
        return None
    return None


def check_char(body: str) -> str:
    """GB 11643 check character of the first 17 digits."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body[:17], WEIGHTS, strict=True)) % 11]


def person_id(text: str) -> str | None:
    """Contract §2 ID: 15 digits converted, check digit and birth date valid; else None."""
    text = text.upper()
    if re.fullmatch(r"\d{15}", text):
        text = text[:6] + "19" + text[6:]
        text += check_char(text)
    if not re.fullmatch(r"\d{17}[\dX]", text) or check_char(text) != text[17]:
        return None
    return text if parse_day(text[6:14]) else None


def day(text: str) -> date:
    """A date that the row's validity check has already accepted."""
    parsed = parse_day(text)
    assert parsed is not None, text
    return parsed


def born(pid: str) -> date:
    """Birth date from an ID."""
    return date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("raw")
    generate_sample(out, seed=2018, scale=1)
    return out


def files(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- tests ----------------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes(raw: Path, tmp_path: Path) -> None:
    generate_sample(tmp_path, seed=2018, scale=1)
    first, second = files(raw), files(tmp_path)
    assert sorted(first) == sorted(second)
    assert len(first) == 14
    assert [name for name in first if first[name] != second[name]] == []
    with zipfile.ZipFile(raw / "appointments.xlsx") as book:
        assert {info.date_time for info in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2018-05-01T00:00:00Z" in book.read("docProps/core.xml")


def test_layout_follows_the_contract(raw: Path) -> None:
    for snapshot in ("2015-12-31", "2016-12-31", "2018-04-30"):
        book = pl.read_excel(raw / f"talent_pool/{snapshot}.xlsx", sheet_id=0, engine="calamine")
        assert list(book) == list(LISTS)
    folder = raw / "talent_pool/2017-12-31"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.csv" for n in LISTS)
    assert (folder / "宗教界代表人士.csv").read_bytes()[:3] != b"\xef\xbb\xbf"
    assert (folder / "新社会阶层人士.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    assert (raw / "training/participants.csv").read_bytes()[:3] != b"\xef\xbb\xbf"
    assert len(records(raw / "leadership_teams.xlsx", key="行政区划代码")) == 36


def valid_pool_row(row: dict[str, str]) -> str | None:
    """The person's ID if the row passes the contract's checks that the sample exercises."""
    pid = person_id(row["身份证号"])
    if pid is None or row["政治面貌"] in ("中共党员", "中共预备党员", "中国共产党党员"):
        return None
    sex = "男" if int(pid[16]) % 2 else "女"
    if row["性别"] and {"1": "男", "2": "女"}.get(row["性别"], row["性别"]) != sex:
        return None
    birth_month = parse_day(row["出生年月"]) if row["出生年月"] else born(pid)
    if birth_month is None or birth_month.replace(day=1) != born(pid).replace(day=1):
        return None
    if parse_day(row["入库时间"]) is None or not row["民族"]:
        return None
    if row["身份类别"] not in ("党政机关", "事业单位", "体制外"):
        return None
    if row["成熟度"] not in ("", "近期可用", "中长期培养"):
        return None
    return pid


def pool_people(raw: Path, snapshot: str) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Person -> winning row (first list, first row) of a snapshot, and the rejected rows."""
    people: dict[str, dict[str, str]] = {}
    rejected = []
    for name in LISTS:
        if snapshot == "2017-12-31":
            rows = records(raw / f"talent_pool/{snapshot}/{name}.csv")
        else:
            rows = records(raw / f"talent_pool/{snapshot}.xlsx", name)
        for row in rows:
            pid = valid_pool_row(row)
            if pid is None:
                rejected.append(f"{name}:{row['_row']}")
            else:
                people.setdefault(pid, row)
    return people, rejected


def planted_rejects(file_part: str) -> list[str]:
    """The spec's planted rejects in files whose path contains ``file_part``, as sheet:row."""
    return sorted(
        f"{p.sheet}:{p.row}" for p in PLANTED_ROWS if p.kind == "reject" and file_part in p.file
    )


def pool_figures(people: dict[str, dict[str, str]]) -> dict[str, int]:
    def count(column: str, value: str) -> int:
        return sum(row[column] == value for row in people.values())

    return {
        "pool_total": len(people),
        "pool_born_1980s": sum(1980 <= born(pid).year <= 1989 for pid in people),
        "pool_female": sum(int(pid[16]) % 2 == 0 for pid in people),
        "pool_ethnic_minority": sum(r["民族"] not in ("汉", "汉族") for r in people.values()),
        "pool_sector_party_gov": count("身份类别", "党政机关"),
        "pool_sector_institution": count("身份类别", "事业单位"),
        "pool_sector_outside": count("身份类别", "体制外"),
        "pool_ready_now": count("成熟度", "近期可用"),
        "pool_ready_longer": count("成熟度", "中长期培养"),
        "pool_field_tourism": count("专业领域", "旅游"),
        "pool_field_transport": count("专业领域", "交通"),
        "pool_field_agriculture": count("专业领域", "农业"),
        "pool_field_hightech": count("专业领域", "高精尖技术"),
    }


@pytest.mark.parametrize("snapshot", sorted(EXPECTED_POOL_BY_SNAPSHOT))
def test_pool_figures_read_back(raw: Path, snapshot: str) -> None:
    people, rejected = pool_people(raw, snapshot)
    assert sorted(rejected) == planted_rejects(f"talent_pool/{snapshot}")
    figures = pool_figures(people)
    assert figures == EXPECTED_POOL_BY_SNAPSHOT[snapshot]
    if snapshot == "2018-04-30":
        assert {k: v for k, v in EXPECTED_FIGURES.items() if k.startswith("pool_")} == figures


def sitting(row: dict[str, str], day: date) -> bool:
    start, end = parse_day(row["任职时间"]), parse_day(row["免职时间"])
    return start is not None and start <= day and (end is None or end > day)


def test_other_figures_read_back(raw: Path) -> None:
    all_classes = records(raw / "training/classes.xlsx", key="班次编号")
    classes = {
        c["班次编号"]: c
        for c in all_classes
        if parse_day(c["开始日期"]) and day(c["结束日期"]) >= day(c["开始日期"])
    }
    rejected = [f"培训班次:{c['_row']}" for c in all_classes if c["班次编号"] not in classes]
    recent = {
        k: c
        for k, c in classes.items()
        if AS_OF.replace(year=AS_OF.year - 3) < day(c["开始日期"]) <= AS_OF
    }
    seen: dict[tuple[str, str], str] = {}
    for p in records(raw / "training/participants.csv"):
        if p["班次编号"] in classes and (pid := person_id(p["身份证号"])):
            seen.setdefault((p["班次编号"], pid), p["结业情况"])
        else:
            rejected.append(f"participants:{p['_row']}")
    progressive = {
        k for k, c in recent.items() if (c["培训类型"], c["主办层级"]) == ("递进培训班", "市级")
    }

    def trainees(codes: Iterable[str], status: str | None = None) -> int:
        wanted = set(codes)
        return len({pid for (k, pid), s in seen.items() if k in wanted and status in (None, s)})

    tenures = []
    for t in records(raw / "appointments.xlsx"):
        start, end = parse_day(t["任职时间"]), parse_day(t["免职时间"]) if t["免职时间"] else None
        pid = person_id(t["身份证号"])
        if pid and start and (not t["免职时间"] or (end and end >= start)):
            t["pid"], t["职务层次"] = pid, t["职务层次"].replace("县级", "处级")
            tenures.append(t)
        else:
            rejected.append(f"任免及安排:{t['_row']}")
    assert sorted(rejected) == sorted(
        planted_rejects("training/") + planted_rejects("appointments")
    )
    leading = [t for t in tenures if t["任用类别"] == "领导职务"]
    since = [t for t in leading if day(t["任职时间"]) >= TERM]
    placed = [
        t
        for t in since
        if t["职务层次"] in ("正处级", "副处级") and t["选拔任用方式"] in ("新提拔", "交流", "重用")
    ]
    arranged = {
        t["pid"] for t in tenures if t["任用类别"] == "政治安排" and day(t["任职时间"]) >= TERM
    }
    now = [t for t in leading if sitting(t, AS_OF)]
    teams = records(raw / "leadership_teams.xlsx", key="行政区划代码")
    codes = {t["地区"]: t["行政区划代码"] for t in teams} | {"乐山高新区": "511100"}

    def on_team(team: dict[str, str], title: str | None = None) -> set[str]:
        return {
            t["pid"]
            for t in now
            if t["班子类别"] == team["班子类别"]
            and codes[t["所在地区"]] == team["行政区划代码"]
            and title in (None, t["职务名称"])
        }

    cppcc = [t for t in teams if t["班子类别"] == "政协" and t["行政区划代码"] != "511100"]
    chairs = {t["pid"] for t in now if (t["班子类别"], t["职务名称"]) == ("民主党派", "主委")}
    high = {t["pid"] for t in now if t["职务层次"] in ("正厅级", "副厅级")}

    def fit(kind: str) -> float:
        rated = [t["人岗相适"] for t in since if t["岗位类型"] == kind and t["人岗相适"]]
        return rated.count("相适") / len(rated)

    figures = {
        "progressive_classes": len(progressive),
        "progressive_trainees": trainees(progressive, "结业"),
        "themed_sessions": sum(c["培训类型"] == "专题学习" for c in recent.values()),
        "upper_level_trainees": trainees(k for k, c in recent.items() if c["主办层级"] in UPPER),
        "practice_trainees": trainees(k for k, c in recent.items() if c["培训类型"] == "实践锻炼"),
        "arranged_since_term": len(arranged),
        "county_level_placed_since_term": len({t["pid"] for t in placed}),
        "county_level_new_since_term": len(
            {t["pid"] for t in placed if t["选拔任用方式"] == "新提拔"}
        ),
        "county_level_born_1970s_since_term": sum(
            1970 <= born(pid).year <= 1979 for pid in {t["pid"] for t in placed}
        ),
        "teams_total": len(teams),
        "teams_with_nonparty": sum(bool(on_team(t)) for t in teams),
        "county_cppcc_with_3_nonparty": sum(len(on_team(t, "副主席")) >= 3 for t in cppcc),
        "county_cppcc_nonparty_share": sum(len(on_team(t)) for t in cppcc)
        / sum(int(t["核定领导职数"]) for t in cppcc),
        "democratic_party_chairs": len(chairs),
        "democratic_party_chairs_department_level": len(chairs & high),
        "fit_rate_technical": fit("专业技术型"),
        "fit_rate_complex": fit("复杂局面型"),
    }
    exact = sample_figures(1)
    for fid, value in figures.items():
        assert satisfies(value, EXPECTED_FIGURES[fid]), (fid, value, EXPECTED_FIGURES[fid])
        assert value == pytest.approx(exact[fid]), (fid, value, exact[fid])


def test_planted_rows_are_where_the_spec_says(raw: Path) -> None:
    for planted in PLANTED_ROWS:
        path = raw / planted.file
        rows = raw_rows(path, None if path.suffix == ".csv" else planted.sheet)
        header = next(r for r in rows if "姓名" in r or "班次编号" in r)
        row = dict(zip(header, rows[planted.row - 1], strict=True))
        values = [row[c] for c in planted.column.split("+")]
        written = "+".join(
            (str(parse_day(v)) if planted.column != "身份证号" and parse_day(v) else v)
            for v in values
        )
        assert written == planted.value, planted


def test_2017_city_department_posts_are_the_articles_seven(raw: Path) -> None:
    """The 班子配备 page's 2017 city-level placements: one 质监局 局长 and six 副局长, no more."""
    posts = []
    for t in records(raw / "appointments.xlsx"):
        start = parse_day(t["任职时间"])
        end = parse_day(t["免职时间"]) if t["免职时间"] else None
        if start is None or (t["免职时间"] and (end is None or end < start)):
            continue
        city_department = (t["任用类别"], t["所在地区"], t["班子类别"]) == ("领导职务", "乐山市本级", "部门")
        if city_department and start.year == CITY_DEPARTMENT_POSTS_YEAR:
            posts.append((t["任职机构名称"], t["职务名称"]))
    assert len(posts) == CITY_DEPARTMENT_POSTS == 7
    assert sorted(title for _, title in posts) == ["副局长"] * 6 + ["局长"]
    assert ("乐山市质量技术监督局", "局长") in posts


def test_the_self_check_counts_2017_city_department_posts() -> None:
    sample = build_sample(seed=2018, scale=1)
    check_sample(sample, scale=1)
    head = next(t for t in sample.tenures if (t.org, t.title, t.start.year) == ("乐山市质量技术监督局", "局长", 2017))
    # a second 局长 tenure for the same person later in 2017, outside every §10 figure
    sample.tenures.append(dataclasses.replace(head, start=head.start.replace(month=12), post_type=None))
    with pytest.raises(AssertionError, match="8 city department posts start in 2017"):
        check_sample(sample, scale=1)


def test_the_plan_holds_for_other_seeds_and_scales() -> None:
    check_sample(build_sample(seed=7, scale=2), scale=2)


def test_seeds_raw_is_the_current_sample(raw: Path) -> None:
    seeds = Path(__file__).resolve().parents[1] / "seeds" / "raw"
    if not seeds.is_dir():
        pytest.skip("seeds/raw has not been generated")
    assert files(seeds) == files(raw), "regenerate: python -m warehouse.sample --out seeds/raw"


def test_appointments_too_long_for_a_worksheet_come_as_csv(raw: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel holds 1,048,576 rows a sheet; a national-scale sample (scale 300: 1.5 million tenures)
    writes appointments.csv instead, dates as text. Here the limit is lowered to the sample's size:
    the same tenures in the same order, and the warehouse's ingest lands the same rows."""
    from warehouse.ingest import ingest
    from warehouse.sample import exports

    monkeypatch.setattr(exports, "EXCEL_MAX_ROWS", 1000)
    generate_sample(tmp_path, seed=2018, scale=1)
    assert (tmp_path / "appointments.csv").exists() and not (tmp_path / "appointments.xlsx").exists()
    as_csv, as_xlsx = records(tmp_path / "appointments.csv"), records(raw / "appointments.xlsx")
    assert len(as_csv) == len(as_xlsx) > 1000
    # the same tenures; only the written forms (ID spelling, date format) are drawn anew
    assert [(person_id(r["身份证号"]), parse_day(r["任职时间"])) for r in as_csv] == \
        [(person_id(r["身份证号"]), parse_day(r["任职时间"])) for r in as_xlsx]
    landed = ingest(tmp_path).table("appointments")
    assert landed.height == ingest(raw).table("appointments").height > 1000
