"""Make a small hand-made `landing` schema to develop and test the dbt project against.

    python dbt_project/scripts/make_dev_landing.py [DATABASE]   (default /tmp/dbtdev/cadres.duckdb)

The tables have exactly the columns of docs/architecture.md ("Landing schema"), values already
normalised as warehouse.ingest lands them. The rows are designed so that every key figure of
contract §10 is non-trivial and every tricky rule is exercised (first-sheet-wins, a duplicate row
on one sheet, the three-year window's both ends, 任职 / 免职 on the as-of date, 乐山高新区 → 511100,
政治安排 never sitting on a team, blank 人岗相适, a person leaving the pool). EXPECTED_FIGURES holds
the figures computed by hand from these rows; tests/test_dbt_project.py checks dbt against them.

Persons (P7 left the pool at 2018-04-30; P8, P9 are not in the pool at all):
    P1 女 1985 汉  lists 1 and 2 (list 2 row first in the file, list 1's attributes win)
    P2 男 1975 彝  P3 女 1990 汉 (乐山高新区)  P4 男 1982 回 (twice on list 1: first row wins)
    P5 女 1968 汉  P6 男 1979 汉  P7 女 1988 汉 (2017-12-31 only)  P8 男 1972  P9 男 1960
"""

from __future__ import annotations

import hashlib
import hmac
import sys
from datetime import date
from pathlib import Path

import duckdb

AS_OF = date(2018, 4, 30)
TERM_START = date(2016, 11, 1)

# The landing schema holds person_key, never a name or ID number: the ingest keys each ID number
# with the installation's secret (warehouse/personal/). These rows use a fixed development secret.
DEV_SECRET = b"cadres-dev-landing"


def person_key(id_number: str) -> str:
    """HMAC-SHA256 as warehouse.personal.separate.person_key computes it."""
    return hmac.new(DEV_SECRET, id_number.encode("utf-8"), hashlib.sha256).hexdigest()


# id, name, sex, birth date (from the ID); names and IDs only to derive keys and to check that
# they never appear anywhere

PERSONS = {
    "P1": ("511102198503120123", "张晓梅", "女", date(1985, 3, 12)),
    "P2": ("511132197507080310", "阿木子拉", "男", date(1975, 7, 8)),
    "P3": ("511100199011050247", "李思雨", "女", date(1990, 11, 5)),
    "P4": ("511100198202200530", "马建国", "男", date(1982, 2, 20)),
    "P5": ("511123196809150467", "王丽华", "女", date(1968, 9, 15)),
    "P6": ("511181197901010713", "陈志强", "男", date(1979, 1, 1)),
    "P7": ("511111198806300283", "刘佳", "女", date(1988, 6, 30)),
    "P8": ("511124197204180154", "赵明", "男", date(1972, 4, 18)),
    "P9": ("511126196003250396", "孙立新", "男", date(1960, 3, 25)),
}

# pool attributes: 民族, 政治面貌, 最高学历, 工作单位及职务, 职务层次, 身份类别, 所在地区, 专业领域, 成熟度,
# 入库时间, 推荐单位
POOL_ATTRS = {
    "P1": ("汉族", "民盟盟员", "研究生", "市中区文化旅游局 副局长", "副处级", "党政机关", "市中区",
           "旅游", "近期可用", date(2015, 6, 1), "市委统战部"),
    "P2": ("彝族", "九三学社社员", "大学本科", "峨边县交通运输局 工程师", "正科级", "事业单位",
           "峨边彝族自治县", "交通", "中长期培养", date(2014, 3, 1), "峨边县委统战部"),
    "P3": ("汉族", "无党派人士", "大学本科", "高新区某农业科技公司 总经理", "无", "体制外",
           "乐山高新区", "农业", None, date(2017, 9, 1), "高新区党工委"),
    "P4": ("回族", "民建会员", "研究生", "市经济和信息化委员会 副主任", "副处级", "党政机关",
           "乐山市本级", "高精尖技术", "中长期培养", date(2016, 5, 1), "市委组织部"),
    "P5": ("汉族", "民进会员", "大学本科", "犍为县人民政府 副县长", "正处级", "党政机关", "犍为县",
           "其他", "近期可用", date(2013, 1, 1), "民进乐山市委"),
    "P6": ("汉族", "致公党党员", "大学专科", "峨眉山市旅游局 科长", "正科级", "党政机关", "峨眉山市",
           "其他", None, date(2015, 1, 1), "峨眉山市委统战部"),
    "P7": ("汉族", "群众", "研究生", "沙湾区某民营企业 副总经理", "无", "体制外", "沙湾区", "旅游",
           "近期可用", date(2016, 9, 1), "沙湾区委统战部"),
}

LIST_1, LIST_2, LIST_4, LIST_5, LIST_6 = (
    "副科级以上党外干部", "民主党派代表人士", "党外知识分子", "新社会阶层人士", "归国留学人员")

# (snapshot, file, sheet, row, person, attribute overrides)
POOL_ROWS = [
    # 2017-12-31: a folder of CSVs, one per list (line 1 is the header)
    (date(2017, 12, 31), "talent_pool/2017-12-31/副科级以上党外干部.csv", LIST_1, 2, "P1",
     {"成熟度": "中长期培养"}),
    (date(2017, 12, 31), "talent_pool/2017-12-31/副科级以上党外干部.csv", LIST_1, 3, "P6", {}),
    (date(2017, 12, 31), "talent_pool/2017-12-31/党外知识分子.csv", LIST_4, 2, "P2", {}),
    (date(2017, 12, 31), "talent_pool/2017-12-31/归国留学人员.csv", LIST_6, 2, "P7", {}),
    # 2018-04-30: one workbook, title row 1, blank row 2, header row 3
    # P1's list-2 row carries other values; list 1 comes first in contract order, so it wins
    (AS_OF, "talent_pool/2018-04-30.xlsx", LIST_2, 4, "P1",
     {"身份类别": "事业单位", "专业领域": "交通", "成熟度": "中长期培养", "职务层次": "正科级"}),
    (AS_OF, "talent_pool/2018-04-30.xlsx", LIST_2, 5, "P5", {}),
    (AS_OF, "talent_pool/2018-04-30.xlsx", LIST_1, 4, "P6", {}),
    (AS_OF, "talent_pool/2018-04-30.xlsx", LIST_1, 5, "P1", {}),
    (AS_OF, "talent_pool/2018-04-30.xlsx", LIST_1, 6, "P4", {}),
    # the same ID twice on one sheet: the first row counts
    (AS_OF, "talent_pool/2018-04-30.xlsx", LIST_1, 7, "P4", {"专业领域": "旅游"}),
    (AS_OF, "talent_pool/2018-04-30.xlsx", LIST_4, 4, "P2", {}),
    (AS_OF, "talent_pool/2018-04-30.xlsx", LIST_5, 4, "P3", {}),
]

# 班次编号, 班次名称, 培训类型, 主办层级, 主办单位, 开始日期, 结束日期, 学时
# The three-year window at 2018-04-30 is (2015-04-30, 2018-04-30].
CLASSES = [
    ("C01", "第一期优秀党外干部递进培训班", "递进培训班", "市级", "市委统战部",
     date(2015, 4, 30), date(2015, 5, 20), 80.0),  # on as-of − 3 years: outside
    ("C02", "第二期优秀党外干部递进培训班", "递进培训班", "市级", "市委统战部",
     date(2015, 5, 1), date(2015, 5, 21), 80.0),  # the day after: inside
    ("C03", "第三期优秀党外干部递进培训班", "递进培训班", "市级", "市委统战部",
     date(2017, 9, 1), date(2017, 9, 21), 80.0),
    ("C04", "犍为县党外干部递进培训班", "递进培训班", "县级", "犍为县委统战部",
     date(2017, 3, 1), date(2017, 3, 10), 40.0),  # county-run: not a progressive class
    ("C05", "学习贯彻党的十八届六中全会精神专题学习", "专题学习", "市级", "市委统战部",
     date(2016, 6, 1), date(2016, 6, 1), 4.0),
    ("C06", "县级党外干部主题教育", "专题学习", "县级", "峨边县委统战部",
     date(2018, 4, 30), date(2018, 4, 30), None),  # on the as-of date: inside
    ("C07", "学习贯彻全国两会精神专题学习", "专题学习", "市级", "市委统战部",
     date(2018, 5, 1), date(2018, 5, 1), 4.0),  # after the as-of date: outside
    ("C08", "全省党外干部培训班", "调训", "省级", "省委统战部",
     date(2017, 5, 1), date(2017, 5, 14), 56.0),
    ("C09", "中央社会主义学院党外干部研修班", "调训", "中央", "中央社会主义学院",
     date(2014, 5, 1), date(2014, 5, 30), 120.0),  # before the window
    ("C10", "党外干部驻村帮扶", "实践锻炼", "市级", "市委组织部",
     date(2016, 3, 1), date(2017, 2, 28), None),
    ("C11", "中央统战部党外知识分子专题学习", "专题学习", "中央", "中央统战部",
     date(2017, 6, 1), date(2017, 6, 5), 30.0),
]

# 班次编号, person, 结业情况, row
PARTICIPANTS = [
    ("C01", "P1", "结业", 2),
    ("C02", "P1", "结业", 3), ("C02", "P2", "未结业", 4), ("C02", "P8", "结业", 5),
    ("C03", "P1", "结业", 6), ("C03", "P4", "在训", 7), ("C03", "P3", "结业", 8),
    ("C03", "P3", "未结业", 9),  # the same person twice in one class: the first row counts
    ("C04", "P5", "结业", 10),
    ("C08", "P2", "结业", 11), ("C08", "P6", "结业", 12),
    ("C09", "P5", "结业", 13),
    ("C11", "P6", "结业", 14), ("C11", "P9", "结业", 15),
    ("C10", "P3", "结业", 16), ("C10", "P7", "结业", 17),
]

LEAD, ARR = "领导职务", "政治安排"
# person, 任用类别, 任职机构名称, 所在地区, 班子类别, 职务名称, 职务层次, 任职时间, 免职时间,
# 选拔任用方式, 岗位类型, 人岗相适
APPOINTMENTS = [
    # A1-A3: 市中区政协 has three sitting vice chairs
    ("P1", LEAD, "市中区政协", "市中区", "政协", "副主席", "副处级",
     date(2016, 12, 20), None, "换届选举", None, None),
    ("P2", LEAD, "市中区政协", "市中区", "政协", "副主席", "副处级",
     date(2016, 12, 20), None, "换届选举", None, None),
    ("P8", LEAD, "市中区政协", "市中区", "政协", "副主席", "正处级",
     date(2017, 1, 5), None, "交流", None, None),
    # A4-A6: 沙湾区政协: P6's 免职 on the as-of date (not sitting), P9's 任职 on it (sitting): 2
    ("P4", LEAD, "沙湾区政协", "沙湾区", "政协", "副主席", "副处级",
     date(2017, 2, 1), None, "重用", None, None),
    ("P6", LEAD, "沙湾区政协", "沙湾区", "政协", "副主席", "副处级",
     date(2015, 6, 1), AS_OF, "其他", None, None),
    ("P9", LEAD, "沙湾区政协", "沙湾区", "政协", "副主席", "副处级",
     AS_OF, None, "新提拔", None, None),
    # A7: a 政治安排 never sits: 五通桥区政协 stays without a non-party member
    ("P5", ARR, "五通桥区政协", "五通桥区", "政协", "政协委员", "无",
     date(2017, 1, 1), None, "其他", None, None),
    # A8: 乐山高新区 reports under 511100
    ("P3", LEAD, "乐山高新区管委会", "乐山高新区", "政府", "副主任", "副处级",
     date(2017, 6, 1), None, "新提拔", "专业技术型", "相适"),
    # A9-A15: democratic party chairs
    ("P5", LEAD, "民进犍为县委", "犍为县", "民主党派", "主委", "正处级",
     date(2016, 12, 1), None, "换届选举", None, None),
    ("P5", LEAD, "乐山市人大常委会", "乐山市本级", "人大常委会", "副主任", "副厅级",
     TERM_START, None, "换届选举", None, None),
    ("P2", LEAD, "九三学社峨边县支社", "峨边彝族自治县", "民主党派", "主委", "正处级",
     date(2016, 12, 1), None, "换届选举", None, None),
    ("P6", LEAD, "致公党乐山市委", "乐山市本级", "民主党派", "主委", "副厅级",
     date(2014, 1, 1), date(2017, 12, 31), "换届选举", None, None),  # no longer sitting
    ("P8", LEAD, "民盟井研县委", "井研县", "民主党派", "主委", "副处级",
     date(2016, 1, 1), None, "其他", None, None),
    ("P8", LEAD, "乐山市质量技术监督局", "乐山市本级", "部门", "局长", "正厅级",
     date(2016, 1, 1), date(2017, 6, 30), "其他", None, None),  # ended: not his highest now
    ("P4", ARR, "民建乐山市委", "乐山市本级", "民主党派", "主委", "无",
     date(2017, 1, 1), None, "其他", None, None),  # 政治安排: not a chair
    # A16-A19: 专业技术型 posts (fit rate 2/3: A18 not assessed, A19 before the term)
    ("P6", LEAD, "乐山市环境保护局", "乐山市本级", "部门", "副局长", "正处级",
     date(2017, 3, 1), None, "交流", "专业技术型", "相适"),
    ("P7", LEAD, "乐山市财政局", "乐山市本级", "部门", "副局长", "副处级",
     date(2017, 4, 1), None, "新提拔", "专业技术型", "不相适"),
    ("P1", LEAD, "乐山市农业局", "乐山市本级", "部门", "副局长", "副处级",
     date(2017, 8, 1), date(2018, 1, 1), "重用", "专业技术型", None),
    ("P2", LEAD, "乐山市交通运输局", "乐山市本级", "部门", "副局长", "副处级",
     date(2016, 5, 1), None, "交流", "专业技术型", "不相适"),
    # A20-A24: 复杂局面型 posts (fit rate 3/4: the 政治安排 A23 does not count)
    ("P4", LEAD, "夹江县人民政府", "夹江县", "政府", "副县长", "副处级",
     date(2017, 5, 1), None, "交流", "复杂局面型", "相适"),
    ("P9", LEAD, "井研县信访局", "井研县", "部门", "局长", "正科级",
     date(2017, 7, 1), None, "交流", "复杂局面型", "不相适"),
    ("P8", LEAD, "峨眉山市信访局", "峨眉山市", "部门", "局长", "正科级",
     date(2018, 2, 1), None, "交流", "复杂局面型", "相适"),
    ("P3", ARR, "峨眉山市政协", "峨眉山市", "政协", "政协委员", "无",
     date(2017, 1, 1), None, "其他", "复杂局面型", "不相适"),
    ("P1", LEAD, "马边县扶贫和移民工作局", "马边彝族自治县", "部门", "副局长", "正科级",
     date(2017, 9, 1), None, "交流", "复杂局面型", "相适"),
    # A25-A27: political arrangements around the term start
    ("P7", ARR, "乐山市人大常委会", "乐山市本级", "人大常委会", "人大代表", "无",
     date(2016, 10, 31), None, "换届选举", None, None),  # the day before the term
    ("P5", ARR, "乐山市政协", "乐山市本级", "政协", "政协常委", "无",
     date(2018, 1, 1), None, "其他", None, None),
    ("P2", ARR, "乐山市人民政府", "乐山市本级", "其他", "特约监察员", "正处级",
     date(2017, 3, 1), None, "新提拔", "专业技术型", "不相适"),
    # A28-A30: 乐山市政协 (511100, not county-level) has three vice chairs too
    ("P6", LEAD, "乐山市政协", "乐山市本级", "政协", "副主席", "副厅级",
     date(2017, 1, 15), None, "换届选举", None, None),
    ("P7", LEAD, "乐山市政协", "乐山市本级", "政协", "副主席", "副厅级",
     date(2017, 1, 15), None, "换届选举", None, None),
    ("P9", LEAD, "乐山市政协", "乐山市本级", "政协", "副主席", "副厅级",
     date(2017, 1, 15), None, "换届选举", None, None),
]

REGIONS = [
    ("511100", "乐山市本级"), ("511102", "市中区"), ("511111", "沙湾区"), ("511112", "五通桥区"),
    ("511113", "金口河区"), ("511123", "犍为县"), ("511124", "井研县"), ("511126", "夹江县"),
    ("511129", "沐川县"), ("511132", "峨边彝族自治县"), ("511133", "马边彝族自治县"),
    ("511181", "峨眉山市"),
]
SEATS = {"人大常委会": 7, "政府": 8, "政协": 6}

# Figures of contract §10 on these rows at 2018-04-30, term start 2016-11-01, by hand.
EXPECTED_FIGURES = {
    "pool_total": 6,  # P1-P6
    "pool_born_1980s": 2,  # P1 1985, P4 1982
    "pool_female": 3,  # P1, P3, P5
    "pool_ethnic_minority": 2,  # P2 彝族, P4 回族
    "pool_sector_party_gov": 4,  # P1 (list 1 wins over list 2's 事业单位), P4, P5, P6
    "pool_sector_institution": 1,  # P2
    "pool_sector_outside": 1,  # P3
    "pool_ready_now": 2,  # P1, P5
    "pool_ready_longer": 2,  # P2, P4
    "pool_field_tourism": 1,  # P1 (P4's duplicate row says 旅游 but the first row counts)
    "pool_field_transport": 1,  # P2
    "pool_field_agriculture": 1,  # P3
    "pool_field_hightech": 1,  # P4
    "progressive_classes": 2,  # C02, C03 (C01 on as-of − 3 years, C04 county-run)
    "progressive_trainees": 3,  # P1, P3, P8 结业 (P2 未结业, P4 在训)
    "themed_sessions": 3,  # C05, C06 (on the as-of date), C11 (C07 after it)
    "upper_level_trainees": 3,  # C08 P2 P6, C11 P6 P9 (C09 before the window)
    "practice_trainees": 2,  # C10 P3 P7
    "arranged_since_term": 4,  # P5, P4, P3, P2 (P7 the day before the term)
    "county_level_placed_since_term": 7,  # P8 P4 P9 P3 P6 P7 P1
    "county_level_new_since_term": 3,  # P9, P3, P7
    "county_level_born_1970s_since_term": 2,  # P8 1972, P6 1979
    "teams_total": 36,
    "teams_with_nonparty": 6,  # 市中区政协 沙湾区政协 夹江县政府 511100 政府 人大常委会 政协
    "county_cppcc_with_3_nonparty": 1,  # 市中区 (沙湾区 has 2 at the as-of date)
    "county_cppcc_nonparty_share": 5 / 66,  # 3 + 2 sitting over 11 × 6 seats
    "democratic_party_chairs": 3,  # P5, P2, P8 (P6 ended, P4's is a 政治安排)
    "democratic_party_chairs_department_level": 1,  # P5 (副厅级 on the 人大常委会)
    "fit_rate_technical": 2 / 3,
    "fit_rate_complex": 3 / 4,
}

# Pool figures at the earlier snapshot 2017-12-31 (P1 then 中长期培养; P7 still in the pool).
EXPECTED_POOL_2017 = {
    "pool_total": 4, "pool_born_1980s": 2, "pool_female": 2, "pool_ethnic_minority": 1,
    "pool_sector_party_gov": 2, "pool_sector_institution": 1, "pool_sector_outside": 1,
    "pool_ready_now": 1, "pool_ready_longer": 2, "pool_field_tourism": 2,
    "pool_field_transport": 1, "pool_field_agriculture": 0, "pool_field_hightech": 0,
}

DDL = """
create schema landing;
create table landing.talent_pool (
    _snapshot_date date, 名单 varchar, person_key varchar, 性别 varchar, 民族 varchar,
    出生年月 date, 出生日期 date, 政治面貌 varchar, 最高学历 varchar, 工作单位及职务 varchar,
    职务层次 varchar, 身份类别 varchar, 所在地区 varchar, 专业领域 varchar, 成熟度 varchar,
    入库时间 date, 推荐单位 varchar, _file varchar, _sheet varchar, _row integer);
create table landing.training_classes (
    班次编号 varchar, 班次名称 varchar, 培训类型 varchar, 主办层级 varchar, 主办单位 varchar,
    开始日期 date, 结束日期 date, 学时 double, _file varchar, _sheet varchar, _row integer);
create table landing.training_participants (
    班次编号 varchar, person_key varchar, 出生日期 date, 性别 varchar,
    结业情况 varchar, _file varchar, _sheet varchar, _row integer);
create table landing.appointments (
    person_key varchar, 出生日期 date, 性别 varchar, 任用类别 varchar,
    任职机构名称 varchar, 所在地区 varchar, 班子类别 varchar, 职务名称 varchar, 职务层次 varchar,
    任职时间 date, 免职时间 date, 选拔任用方式 varchar, 岗位类型 varchar, 人岗相适 varchar,
    任职文号 varchar, 免职文号 varchar, _file varchar, _sheet varchar, _row integer);
create table landing.leadership_teams (
    行政区划代码 varchar, 地区 varchar, 班子类别 varchar, 核定领导职数 integer,
    _file varchar, _sheet varchar, _row integer);
create table landing.rejects (
    "file" varchar, sheet varchar, "row" integer, "column" varchar, "value" varchar,
    reason varchar);
create table landing.warnings (
    "file" varchar, sheet varchar, "row" integer, "column" varchar, "value" varchar,
    message varchar);
create table landing.files (
    "file" varchar, sheet varchar, table_name varchar, encoding varchar, snapshot_date date,
    rows_read integer, rows_loaded integer, rows_rejected integer);
"""


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    width = len(rows[0])
    con.executemany(f"insert into landing.{table} values ({', '.join(['?'] * width)})", rows)


def pool_rows() -> list[tuple]:
    columns = ("民族", "政治面貌", "最高学历", "工作单位及职务", "职务层次", "身份类别", "所在地区",
               "专业领域", "成熟度", "入库时间", "推荐单位")
    rows = []
    for snapshot, file, sheet, row, person, overrides in POOL_ROWS:
        id_number, _, sex, birth = PERSONS[person]
        attrs = dict(zip(columns, POOL_ATTRS[person], strict=True)) | overrides
        rows.append((snapshot, sheet, person_key(id_number), sex, attrs["民族"], birth.replace(day=1),
                     birth, attrs["政治面貌"], attrs["最高学历"], attrs["工作单位及职务"],
                     attrs["职务层次"], attrs["身份类别"], attrs["所在地区"], attrs["专业领域"],
                     attrs["成熟度"], attrs["入库时间"], attrs["推荐单位"], file, sheet, row))
    return rows


def build(database: str | Path) -> Path:
    """Write the hand-made landing schema into a new DuckDB file at `database`."""
    database = Path(database)
    database.parent.mkdir(parents=True, exist_ok=True)
    for stale in (database, database.with_name(database.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(database))
    try:
        con.execute(DDL)
        _insert(con, "talent_pool", pool_rows())
        _insert(con, "training_classes", [
            (*c, "training/classes.xlsx", "Sheet1", i + 3) for i, c in enumerate(CLASSES)])
        _insert(con, "training_participants", [
            (cls, person_key(PERSONS[p][0]), PERSONS[p][3], PERSONS[p][2], status,
             "training/participants.xlsx", "Sheet1", row)
            for cls, p, status, row in PARTICIPANTS])
        _insert(con, "appointments", [
            (person_key(PERSONS[p][0]), PERSONS[p][3], PERSONS[p][2], category, org, region,
             team, post, rank, start, end, method, post_type, fit, f"乐委〔{start.year}〕{i + 1}号",
             None if end is None else f"乐委〔{end.year}〕{i + 101}号",
             "appointments.xlsx", "Sheet1", i + 2)
            for i, (p, category, org, region, team, post, rank, start, end, method, post_type,
                    fit) in enumerate(APPOINTMENTS)])
        _insert(con, "leadership_teams", [
            (code, name, team, SEATS[team], "leadership_teams.xlsx", "Sheet1", 2 + 3 * i + j)
            for i, (code, name) in enumerate(REGIONS)
            for j, team in enumerate(SEATS)])
        # as warehouse.personal.separate leaves them: no name or ID value, quotes of IDs hidden
        _insert(con, "rejects", [
            ("talent_pool/2018-04-30.xlsx", LIST_1, 8, "政治面貌", "中共党员",
             "政治面貌为“中共党员”，中共党员不属于党外干部，不应列入名单"),
            ("talent_pool/2018-04-30.xlsx", LIST_4, 5, "身份证号", None, "身份证号“…”校验位错误"),
            ("appointments.xlsx", "Sheet1", 40, "免职时间", "2016.1.1", "免职时间早于任职时间"),
            ("appointments.xlsx", "Sheet1", 41, "身份证号", None,
             "身份证号“…”应为 18 位（或 15 位旧号码）"),
            ("training/participants.xlsx", "Sheet1", 30, "班次编号", "C99",
             "班次编号“C99”在培训班次中不存在（或该班次已被拒收）"),
        ])
        _insert(con, "warnings", [
            ("talent_pool/2018-04-30.xlsx", LIST_1, 7, "身份证号", None,
             "同一名单内身份证号重复（第6行已有），以第一行为准"),
            ("talent_pool/2018-04-30.xlsx", LIST_2, 4, None, None,
             "同一人在“副科级以上党外干部”（第5行）与“民主党派代表人士”中“身份类别”不一致，"
             "以“副科级以上党外干部”为准"),
            ("training/participants.xlsx", "Sheet1", 9, "身份证号", None,
             "同一学员在班次“C03”中出现两次（第8行已有），按一次计"),
            ("appointments.xlsx", "Sheet1", None, "联系电话", None, "未知列“联系电话”未导入"),
        ])
        files = [
            ("talent_pool/2017-12-31/副科级以上党外干部.csv", LIST_1, "talent_pool", "gb18030",
             date(2017, 12, 31), 2, 2, 0),
            ("talent_pool/2017-12-31/党外知识分子.csv", LIST_4, "talent_pool", "gb18030",
             date(2017, 12, 31), 1, 1, 0),
            ("talent_pool/2017-12-31/归国留学人员.csv", LIST_6, "talent_pool", "utf-8-sig",
             date(2017, 12, 31), 1, 1, 0),
            ("talent_pool/2018-04-30.xlsx", LIST_1, "talent_pool", None, AS_OF, 5, 4, 1),
            ("talent_pool/2018-04-30.xlsx", LIST_2, "talent_pool", None, AS_OF, 2, 2, 0),
            ("talent_pool/2018-04-30.xlsx", LIST_4, "talent_pool", None, AS_OF, 2, 1, 1),
            ("talent_pool/2018-04-30.xlsx", LIST_5, "talent_pool", None, AS_OF, 1, 1, 0),
            ("training/classes.xlsx", "Sheet1", "training_classes", None, None, 11, 11, 0),
            ("training/participants.xlsx", "Sheet1", "training_participants", None, None,
             17, 16, 1),
            ("appointments.xlsx", "Sheet1", "appointments", None, None, 32, 30, 2),
            ("leadership_teams.xlsx", "Sheet1", "leadership_teams", None, None, 36, 36, 0),
        ]
        _insert(con, "files", files)
    finally:
        con.close()
    return database


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "/tmp/dbtdev/cadres.duckdb"
    print(build(target))
