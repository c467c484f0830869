"""The corpus: one list of cases, each a builder and the outcome contract §9 demands of it.

An outcome names exactly where a steward would look: the file, the sheet (for a CSV the file
stem), the row number as Excel shows it, the column, and a stable fragment of the Chinese
reason. The set of rejected rows of a case must equal the set its ``Rejected`` entries name.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from tests.corpus.kit import (
    CSV_SNAPSHOT,
    FIRST_LIST,
    POOL_FILE,
    SNAPSHOT,
    TABLE_FILES,
    Blank,
    DateCell,
    Formula,
    Num,
    append_blank_rows,
    cells,
    damage_worksheet,
    encrypted_workbook,
    html_page,
    openpyxl_workbook,
    pool,
    pool_csv,
    pool_sheets,
    table,
    table_csv,
    table_rows,
    with_declared_size,
    workbook,
    zip_without_workbook,
)
from tests.rawkit import appointment, make_id, participant, person, teams, training_class
from warehouse.contract import TALENT_POOL
from warehouse.readers import ReadLimits

P = POOL_FILE
L1 = FIRST_LIST
R = 4  # the first data row of the pool workbook
APPT, CLASSES, PARTS, TEAMS = (TABLE_FILES[k] for k in ("appointments", "classes", "participants",
                                                         "leadership_teams"))
CSV_DIR = f"talent_pool/{CSV_SNAPSHOT}"
HUGE = 100_000


# ---- outcomes --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rejected:
    """A row kept out of the facts, with this column and a reason containing ``reason``."""

    file: str
    sheet: str
    row: int
    column: str | None
    reason: str
    value: Any = ...  # the cell text as read; ``...`` = not checked


@dataclass(frozen=True)
class FileFailed:
    """The refresh stops with a one-line reason naming ``file``."""

    file: str
    reason: str


@dataclass(frozen=True)
class Warned:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str


@dataclass(frozen=True)
class Landed:
    """The row at ``file``/``row`` landed in ``table`` with ``column`` = ``value``."""

    table: str
    file: str
    row: int
    column: str
    value: Any
    sheet: str | None = None  # needed when several sheets of one workbook land rows


@dataclass(frozen=True)
class ReadAs:
    """The file was decoded with this encoding (landing.files)."""

    file: str
    encoding: str | None


Outcome = Rejected | FileFailed | Warned | Landed | ReadAs


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path], object]
    expect: tuple[Outcome, ...]
    limits: ReadLimits | None = None  # None: the settings' limits


# ---- small helpers -----------------------------------------------------------------------------
def pid(sequence: int, birth: str = "19800101", female: bool = False) -> str:
    return make_id(birth, sequence, female=female)


def member(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid pool row whose ID is unique for n < 140 (rawkit's ``person`` repeats every 5)."""
    return person(n, 身份证号=make_id(f"198001{n % 28 + 1:02d}", n // 28), **overrides)


def bad_check(number: str) -> str:
    """The same ID with a wrong check character."""
    return number[:17] + ("0" if number[17] != "0" else "1")


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def rejected_pool(row: int, column: str | None, reason: str, value: Any = ...) -> Rejected:
    return Rejected(P, L1, row, column, reason, value)


def landed_pool(row: int, column: str, value: Any) -> Landed:
    return Landed("talent_pool", P, row, column, value)


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def replace_with(raw: Path, file: str, data: bytes | str) -> None:
    write(raw / file, data)


def move(raw: Path, source: str, target: str) -> None:
    (raw / source).rename(raw / target)


def both(*steps: Callable[[Path], object]) -> Callable[[Path], None]:
    def build(raw: Path) -> None:
        for step in steps:
            step(raw)
    return build


# ---- file errors -------------------------------------------------------------------------------
def _without(*missing: str) -> list[str]:
    return [h for h in TALENT_POOL.headers if h not in missing]


def _renamed(old: str, new: str) -> list[str]:
    return [new if h == old else h for h in TALENT_POOL.headers]


FILE_CASES = [
    Case("missing-required-column-xlsx",
         lambda raw: pool(raw, person(1), headers=_without("身份类别")),
         (FileFailed(P, f"工作表“{L1}”缺少必需列：身份类别"),)),
    Case("missing-required-column-csv",
         lambda raw: table_csv(raw, "participants", [participant()], headers=["班次编号", "姓名", "身份证号"]),
         (FileFailed("training/participants.csv", "表头缺少必需列：结业情况"),)),
    Case("renamed-header",
         lambda raw: table(raw, "appointments", {**appointment(1), "身份证号码": pid(1)},
                           headers=[h if h != "身份证号" else "身份证号码" for h in appointment(1)]),
         (FileFailed(APPT, "缺少必需列：身份证号"),)),
    Case("duplicated-header",
         lambda raw: pool_csv(raw, "党外知识分子", [person(2)], headers=[*TALENT_POOL.headers, "民 族"]),
         (FileFailed(f"{CSV_DIR}/党外知识分子.csv", "列名重复：民族"),)),
    Case("unknown-sheet",
         lambda raw: pool_sheets(raw, {L1: [person(1)], "优秀青年名单": [person(2)]}),
         (FileFailed(P, "未知名单“优秀青年名单”"),)),
    Case("unknown-list-csv",
         lambda raw: pool_csv(raw, "青年人才", [person(2)]),
         (FileFailed(f"{CSV_DIR}/青年人才.csv", "未知名单“青年人才”"),)),
    Case("leftover-empty-sheet",
         lambda raw: workbook(raw / P, {L1: [TALENT_POOL.headers, list(person(1).values())], "Sheet2": []}),
         (FileFailed(P, "工作表“Sheet2”中找不到表头行"),)),
    Case("empty-xlsx", lambda raw: replace_with(raw, APPT, b""), (FileFailed(APPT, "文件为空"),)),
    Case("empty-csv",
         both(lambda raw: (raw / CLASSES).unlink(), lambda raw: write(raw / "training/classes.csv", b"")),
         (FileFailed("training/classes.csv", "文件为空"),)),
    Case("bom-only-csv",
         both(lambda raw: (raw / CLASSES).unlink(),
              lambda raw: write(raw / "training/classes.csv", b"\xef\xbb\xbf\r\n")),
         (FileFailed("training/classes.csv", "文件为空"),)),
    Case("workbook-without-header",
         lambda raw: workbook(raw / APPT, {"Sheet1": [["职务任免及政治安排记录"], [], ["制表：组织部"]]}),
         (FileFailed(APPT, "工作表“Sheet1”中找不到表头行（应有一行包含“姓名”）"),)),
    Case("truncated-xlsx",
         lambda raw: replace_with(raw, APPT, (raw / APPT).read_bytes()[:2000]),
         (FileFailed(APPT, "无法打开 Excel 文件（文件可能已损坏或不完整）"),)),
    Case("damaged-worksheet",
         lambda raw: (table(raw, "appointments", *(appointment(n) for n in range(1, 200))),
                      damage_worksheet(raw / APPT)),
         (FileFailed(APPT, "无法读取工作表“Sheet1”（文件可能已损坏）"),)),
    Case("html-saved-as-xlsx", lambda raw: replace_with(raw, APPT, html_page()),
         (FileFailed(APPT, "不是有效的 .xlsx 文件（可能是网页或文本另存而成）"),)),
    Case("html-saved-as-xls",
         both(lambda raw: (raw / APPT).unlink(), lambda raw: write(raw / "appointments.xls", html_page())),
         (FileFailed("appointments.xls", "不支持旧版 .xls 格式"),)),
    Case("password-protected-xlsx", lambda raw: replace_with(raw, APPT, encrypted_workbook()),
         (FileFailed(APPT, "文件已加密或为旧版 .xls 格式"),)),
    Case("zip-but-not-a-workbook", lambda raw: replace_with(raw, APPT, zip_without_workbook()),
         (FileFailed(APPT, "无法打开 Excel 文件"),)),
    Case("xls-in-talent-pool", lambda raw: write(raw / "talent_pool/2017-12-31.xls", encrypted_workbook()),
         (FileFailed("talent_pool/2017-12-31.xls", "不支持旧版 .xls 格式"),)),
    Case("utf16-csv",
         lambda raw: write(raw / CSV_DIR / "党外知识分子.csv",
                           ",".join(TALENT_POOL.headers).encode("utf-16")),
         (FileFailed(f"{CSV_DIR}/党外知识分子.csv", "UTF-16"),)),
    Case("undecodable-csv",
         lambda raw: write(raw / CSV_DIR / "党外知识分子.csv",
                           ",".join(TALENT_POOL.headers).encode() + b"\xff\xfe\xff"),
         (FileFailed(f"{CSV_DIR}/党外知识分子.csv", "无法识别文件编码"),)),
    Case("nul-bytes-in-csv",
         lambda raw: write(raw / CSV_DIR / "党外知识分子.csv",
                           (",".join(TALENT_POOL.headers) + "\r\n" + "x" * 5000 + "\x00\r\n").encode()),
         (FileFailed(f"{CSV_DIR}/党外知识分子.csv", "空字符"),)),
    Case("unclosed-quote-csv",
         lambda raw: write(raw / CSV_DIR / "党外知识分子.csv",
                           ",".join(TALENT_POOL.headers) + "\r\n" + ",".join(str(v) for v in person(2).values())
                           + '"未闭合\r\n' + ",".join(str(v) for v in person(3).values()) + "\r\n"),
         (FileFailed(f"{CSV_DIR}/党外知识分子.csv", "第 2 行起有未闭合的引号"),)),
    Case("oversized-csv-field",
         lambda raw: pool_csv(raw, "党外知识分子", [person(2, 工作单位及职务="长" * 200_000)]),
         (FileFailed(f"{CSV_DIR}/党外知识分子.csv", "第 2 行起有单元格超过 131072 个字符"),)),
    Case("table-as-xlsx-and-csv",
         lambda raw: shutil.copy(raw / APPT, raw / "appointments.csv"),
         (FileFailed(APPT, "同时存在 appointments.xlsx 和 appointments.csv"),)),
    Case("pool-snapshot-as-single-csv",
         lambda raw: write(raw / "talent_pool/2017-12-31.csv", ",".join(TALENT_POOL.headers)),
         (FileFailed("talent_pool/2017-12-31.csv", "人才库的 CSV 须每个名单一个文件"),)),
    Case("snapshot-name-not-a-date",
         lambda raw: move(raw, P, "talent_pool/2018年4月.xlsx"),
         (FileFailed("talent_pool/2018年4月.xlsx", "格式 YYYY-MM-DD"),)),
    Case("snapshot-name-impossible-date",
         lambda raw: move(raw, P, "talent_pool/2018-02-30.xlsx"),
         (FileFailed("talent_pool/2018-02-30.xlsx", "统计截止日期“2018-02-30”不存在"),)),
    Case("table-missing", lambda raw: (raw / TEAMS).unlink(),
         (FileFailed("leadership_teams.xlsx", "缺少领导班子职数配备表"),)),
    Case("one-list-twice-in-folder",
         both(lambda raw: pool_csv(raw, "党外知识分子", [person(2)]),
              lambda raw: workbook(raw / CSV_DIR / "党外知识分子.xlsx", {"Sheet1": [TALENT_POOL.headers]})),
         (FileFailed(f"{CSV_DIR}/党外知识分子.xlsx", "名单“党外知识分子”有两个文件"),)),
]


# ---- ID numbers --------------------------------------------------------------------------------
ID_15 = "110105491231002"
ID_X = "11010519491231002X"
NUMBER_REASON = "身份证号被存成了数字（Excel 只保留 15 位有效数字"

ID_CASES = [
    Case("id-bad-check-digit", lambda raw: pool(raw, person(1), person(2, 身份证号=bad_check(pid(2)))),
         (rejected_pool(R + 1, "身份证号", f"身份证号“{bad_check(pid(2))}”校验位错误", bad_check(pid(2))),)),
    Case("id-17-digits", lambda raw: pool(raw, person(1), person(2, 身份证号=pid(2)[:17])),
         (rejected_pool(R + 1, "身份证号", "应为 18 位（或 15 位旧号码）"),)),
    Case("id-impossible-birth-date",
         lambda raw: pool(raw, person(1), person(2, 身份证号=make_id("19800230", 2), 出生年月="")),
         (rejected_pool(R + 1, "身份证号", "中的出生日期不存在"),)),
    Case("id-sex-mismatch", lambda raw: pool(raw, person(1), person(2, 性别="女")),
         (rejected_pool(R + 1, "性别", "性别“女”与身份证号（男）不符", "女"),)),
    Case("id-birth-month-mismatch", lambda raw: pool(raw, person(1), person(2, 出生年月="1979.01")),
         (rejected_pool(R + 1, "出生年月", "出生年月与身份证号中的出生年月“1980年01月”不符", "1979.01"),)),
    Case("id-as-number-cell",
         lambda raw: pool(raw, person(1), person(2, 身份证号=Num(511102198001011234))),
         (rejected_pool(R + 1, "身份证号", NUMBER_REASON, "511102198001011000"),)),
    Case("id-as-numeric-formula",
         lambda raw: pool(raw, person(1), person(2, 身份证号=Formula("=511102198001010055*1", 511102198001010055))),
         (rejected_pool(R + 1, "身份证号", NUMBER_REASON),)),
    Case("id-as-number-cell-participants",
         lambda raw: table(raw, "participants", participant(),
                           participant(sequence=2, 身份证号=Num(5.11102198001011e17))),
         (Rejected(PARTS, "Sheet1", 3, "身份证号", NUMBER_REASON, "511102198001011000"),)),
    Case("id-scientific-text-in-csv",
         lambda raw: pool_csv(raw, "党外知识分子", [person(2, 身份证号="5.11102E+17")]),
         (Rejected(f"{CSV_DIR}/党外知识分子.csv", "党外知识分子", 2, "身份证号", NUMBER_REASON, "5.11102E+17"),)),
    Case("id-trailing-000-in-csv",
         lambda raw: pool_csv(raw, "党外知识分子", [person(2, 身份证号="511102198001011000")]),
         (Rejected(f"{CSV_DIR}/党外知识分子.csv", "党外知识分子", 2, "身份证号",
                   "校验位错误，末三位为 000，疑似被存成了数字"),)),
    Case("id-born-after-snapshot",
         lambda raw: pool(raw, person(1), person(2, 身份证号=make_id("20180501", 2), 出生年月="")),
         (rejected_pool(R + 1, "身份证号", "身份证号中的出生日期晚于统计截止日期"),)),
    Case("id-born-after-as-of-in-appointments",
         lambda raw: table(raw, "appointments", appointment(1), appointment(2, 身份证号=make_id("20180501", 2))),
         (Rejected(APPT, "Sheet1", 3, "身份证号", "身份证号中的出生日期晚于数据截止日期"),)),
    Case("id-bad-in-participants",
         lambda raw: table(raw, "participants", participant(), participant(sequence=2, 身份证号="51110219800101")),
         (Rejected(PARTS, "Sheet1", 3, "身份证号", "身份证号“51110219800101”应为 18 位"),)),
    Case("id-lower-case-x",
         lambda raw: pool(raw, person(1), person(2, 身份证号=ID_X.lower(), 出生年月="1949.12", 性别="")),
         (landed_pool(R + 1, "身份证号", ID_X), landed_pool(R + 1, "性别", "女"))),
    Case("id-15-digits", lambda raw: pool(raw, person(1), person(2, 身份证号=ID_15, 出生年月="", 性别="女")),
         (landed_pool(R + 1, "身份证号", ID_X), landed_pool(R + 1, "出生年月", date(1949, 12, 1)))),
    Case("id-15-digits-as-number-cell",
         lambda raw: pool(raw, person(1), person(2, 身份证号=Num(int(ID_15)), 出生年月="", 性别="女")),
         (landed_pool(R + 1, "身份证号", ID_X),)),
    Case("id-spaces-inside",
         lambda raw: pool(raw, person(1), person(2, 身份证号=f" {pid(2)[:6]} {pid(2)[6:14]}\u3000{pid(2)[14:]} ")),
         (landed_pool(R + 1, "身份证号", pid(2)),)),
    Case("id-full-width-digits", lambda raw: pool(raw, person(1), person(2, 身份证号=full_width(pid(2)))),
         (landed_pool(R + 1, "身份证号", pid(2)),)),
    Case("id-as-text-formula",
         lambda raw: pool(raw, person(1), person(2, 身份证号=Formula(f'="{pid(2)}"', pid(2)))),
         (landed_pool(R + 1, "身份证号", pid(2)),)),
]


# ---- affiliation and other coded values --------------------------------------------------------
AFFILIATIONS = {
    "民革党员": "民革党员", "民革会员": "民革党员", "民革": "民革党员", "中国国民党革命委员会": "民革党员",
    "民盟盟员": "民盟盟员", "民盟": "民盟盟员", "中国民主同盟": "民盟盟员",
    "民建会员": "民建会员", "民建": "民建会员", "中国民主建国会": "民建会员",
    "民进会员": "民进会员", "民进": "民进会员", "中国民主促进会": "民进会员",
    "农工党党员": "农工党党员", "农工党": "农工党党员", "中国农工民主党": "农工党党员",
    "致公党党员": "致公党党员", "致公党": "致公党党员", "中国致公党": "致公党党员",
    "九三学社社员": "九三学社社员", "九三学社": "九三学社社员",
    "台盟盟员": "台盟盟员", "台盟": "台盟盟员", "台湾民主自治同盟": "台盟盟员",
    "无党派人士": "无党派人士", "无党派民主人士": "无党派人士", "无党派": "无党派人士",
    "群众": "群众", "共青团员": "共青团员", "团员": "共青团员",
}
PARTY_MEMBERS = ("中共党员", "中共预备党员", "中国共产党党员", "党员", "预备党员")

CODE_CASES = [
    Case("affiliation-every-variant",
         lambda raw: pool(raw, *(member(n, 政治面貌=v) for n, v in enumerate(AFFILIATIONS, start=1))),
         tuple(landed_pool(R + i, "政治面貌", canonical) for i, canonical in enumerate(AFFILIATIONS.values()))),
    Case("affiliation-communist-party",
         lambda raw: pool(raw, member(1), *(member(n, 政治面貌=v) for n, v in enumerate(PARTY_MEMBERS, start=2))),
         tuple(rejected_pool(R + i, "政治面貌", f"政治面貌为“{v}”，中共党员不属于党外干部，不应列入名单", v)
               for i, v in enumerate(PARTY_MEMBERS, start=1))),
    Case("affiliation-unknown-and-blank",
         lambda raw: pool(raw, person(1), person(2, 政治面貌="民主党派"), person(3, 政治面貌="")),
         (rejected_pool(R + 1, "政治面貌", "政治面貌“民主党派”不在允许的取值中"),
          rejected_pool(R + 2, "政治面貌", "必填项“政治面貌”为空"))),
    Case("unknown-region", lambda raw: pool(raw, person(1), person(2, 所在地区="成都市")),
         (rejected_pool(R + 1, "所在地区", "所在地区“成都市”不在允许的取值中", "成都市"),)),
    Case("unknown-sector", lambda raw: pool(raw, person(1), person(2, 身份类别="国有企业")),
         (rejected_pool(R + 1, "身份类别", "身份类别“国有企业”不在允许的取值中"),)),
    Case("unknown-ethnicity-and-blank",
         lambda raw: pool(raw, person(1), person(2, 民族="火星族"), person(3, 民族=" ")),
         (rejected_pool(R + 1, "民族", "民族“火星族”不在允许的取值中"),
          rejected_pool(R + 2, "民族", "必填项“民族”为空"))),
    Case("several-problems-in-one-row",
         lambda raw: pool(raw, person(1), person(2, 最高学历="博士后", 职务层次="处级", 成熟度="立即可用")),
         (rejected_pool(R + 1, "最高学历", "最高学历“博士后”不在允许的取值中"),
          rejected_pool(R + 1, "职务层次", "职务层次“处级”不在允许的取值中"),
          rejected_pool(R + 1, "成熟度", "成熟度“立即可用”不在允许的取值中"))),
    Case("sex-codes",
         lambda raw: pool(raw, person(1, 性别="1"), person(2, 性别=Num(1)), person(3, 性别="2"),
                          person(4, 性别="男性")),
         (landed_pool(R, "性别", "男"), landed_pool(R + 1, "性别", "男"),
          rejected_pool(R + 2, "性别", "性别“女”与身份证号（男）不符"),
          rejected_pool(R + 3, "性别", "性别“男性”不在允许的取值中"))),
    Case("accepted-variants",
         lambda raw: pool(raw, person(1, 民族="彝", 最高学历="本科", 职务层次="正县级", 所在地区="乐山高新区"),
                          person(2, 民族="蒙古", 最高学历="大专", 职务层次="副县级", 专业领域="", 成熟度="")),
         (landed_pool(R, "民族", "彝族"), landed_pool(R, "最高学历", "大学本科"),
          landed_pool(R, "职务层次", "正处级"), landed_pool(R, "所在地区", "乐山高新区"),
          landed_pool(R + 1, "民族", "蒙古族"), landed_pool(R + 1, "最高学历", "大学专科"),
          landed_pool(R + 1, "职务层次", "副处级"), landed_pool(R + 1, "专业领域", "其他"),
          landed_pool(R + 1, "成熟度", None))),
    Case("blank-sex-and-birth-month-from-id",
         lambda raw: pool(raw, person(1, 性别="", 出生年月="", 身份证号=pid(1, "19850215", female=True))),
         (landed_pool(R, "性别", "女"), landed_pool(R, "出生年月", date(1985, 2, 1)),
          landed_pool(R, "出生日期", date(1985, 2, 15)))),
    Case("class-unknown-type-and-level",
         lambda raw: table(raw, "classes", training_class("C001"),
                           training_class("C002", 培训类型="研讨班", 主办层级="乡级")),
         (Rejected(CLASSES, "Sheet1", 3, "培训类型", "培训类型“研讨班”不在允许的取值中"),
          Rejected(CLASSES, "Sheet1", 3, "主办层级", "主办层级“乡级”不在允许的取值中"))),
    Case("class-hours-not-a-number",
         lambda raw: table(raw, "classes", training_class("C001"), training_class("C002", 学时="四十")),
         (Rejected(CLASSES, "Sheet1", 3, "学时", "学时“四十”不是有效的数字"),)),
    Case("appointment-unknown-codes",
         lambda raw: table(raw, "appointments", appointment(1),
                           appointment(2, 任用类别="兼职", 班子类别="党委", 选拔任用方式="考试")),
         (Rejected(APPT, "Sheet1", 3, "任用类别", "任用类别“兼职”不在允许的取值中"),
          Rejected(APPT, "Sheet1", 3, "班子类别", "班子类别“党委”不在允许的取值中"),
          Rejected(APPT, "Sheet1", 3, "选拔任用方式", "选拔任用方式“考试”不在允许的取值中"))),
    Case("team-bad-code-seats-and-duplicate",
         lambda raw: table(raw, "leadership_teams", *teams(),
                           {"行政区划代码": "510100", "地区": "成都", "班子类别": "政府", "核定领导职数": 5},
                           {"行政区划代码": "511102", "地区": "市中区", "班子类别": "政协", "核定领导职数": 0},
                           {"行政区划代码": "511102", "地区": "市中区", "班子类别": "政协", "核定领导职数": 6}),
         (Rejected(TEAMS, "Sheet1", 38, "行政区划代码", "行政区划代码“510100”不在允许的取值中"),
          Rejected(TEAMS, "Sheet1", 39, "核定领导职数", "核定领导职数“0”应为 1 至 999 的整数"),
          Rejected(TEAMS, "Sheet1", 40, None, "同一地区同一班子重复（第7行已有）"))),
]


# ---- dates -------------------------------------------------------------------------------------
ACCEPTED_DATES = {
    "2015-06-01": date(2015, 6, 1), "2015/6/1": date(2015, 6, 1), "2015/06/01": date(2015, 6, 1),
    "2015.6.1": date(2015, 6, 1), "20150601": date(2015, 6, 1), "2015年6月1日": date(2015, 6, 1),
    "2015.06": date(2015, 6, 1), "201506": date(2015, 6, 1), "2015-06": date(2015, 6, 1),
    "2015年6月": date(2015, 6, 1), "２０１５－０６－０１": date(2015, 6, 1), "2015年 6月 1日": date(2015, 6, 1),
    "2015-06-01 00:00:00": date(2015, 6, 1),
}
UNACCEPTED_DATES = {
    "2015-6-1": "格式无法识别", "6/1/2015": "格式无法识别", "15-06-01": "格式无法识别",
    "去年": "格式无法识别", "2015": "格式无法识别", "2015.06.01.": "格式无法识别",
    "2015/06/01 12:00": "格式无法识别", "2015.6": "月份只有一位",
}
IMPOSSIBLE_DATES = {"2017-02-30": "日期“2017-02-30”不存在", "2017-13-01": "日期“2017-13-01”不存在",
                    "2017年13月": "日期“2017年13月”不存在", "20170431": "日期“20170431”不存在",
                    "1850-01-01": "年份不合理", "2100-01-01": "年份不合理"}

DATE_CASES = [
    Case("dates-every-accepted-format",
         lambda raw: pool(raw, *(member(n, 入库时间=v) for n, v in enumerate(ACCEPTED_DATES, start=1))),
         tuple(landed_pool(R + i, "入库时间", d) for i, d in enumerate(ACCEPTED_DATES.values()))),
    Case("dates-unaccepted-formats",
         lambda raw: pool(raw, member(1), *(member(n, 入库时间=v) for n, v in enumerate(UNACCEPTED_DATES, start=2))),
         tuple(rejected_pool(R + i, "入库时间", f"日期“{v}”{reason}" if reason == "格式无法识别" else reason, v)
               for i, (v, reason) in enumerate(UNACCEPTED_DATES.items(), start=1))),
    Case("dates-impossible",
         lambda raw: pool(raw, member(1), *(member(n, 入库时间=v) for n, v in enumerate(IMPOSSIBLE_DATES, start=2))),
         tuple(rejected_pool(R + i, "入库时间", reason, v)
               for i, (v, reason) in enumerate(IMPOSSIBLE_DATES.items(), start=1))),
    Case("date-excel-cells-and-formulas",
         lambda raw: pool(raw, person(1, 入库时间=DateCell(date(2015, 6, 1))),
                          person(2, 入库时间=Formula("=DATE(2015,6,2)", 42157, date=True)),
                          person(3, 出生年月=DateCell(date(1980, 1, 20)))),
         (landed_pool(R, "入库时间", date(2015, 6, 1)), landed_pool(R + 1, "入库时间", date(2015, 6, 2)),
          landed_pool(R + 2, "出生年月", date(1980, 1, 1)))),
    Case("date-excel-serial-number",
         lambda raw: pool(raw, person(1), person(2, 入库时间=Num(42156)), person(3, 入库时间="42156.0")),
         (rejected_pool(R + 1, "入库时间", "日期“42156”是一个数字（疑似 Excel 日期序列号）", "42156"),
          rejected_pool(R + 2, "入库时间", "日期“42156.0”是一个数字（疑似 Excel 日期序列号）"))),
    Case("date-entered-after-snapshot",
         lambda raw: pool(raw, person(1, 入库时间=SNAPSHOT), person(2, 入库时间="2018-05-01")),
         (landed_pool(R, "入库时间", date(2018, 4, 30)),
          rejected_pool(R + 1, "入库时间", "入库时间晚于统计截止日期", "2018-05-01"))),
    Case("date-future-tenure-is-accepted",
         lambda raw: table(raw, "appointments", appointment(1, 任职时间="2019-01-01", 免职时间="2023-01-01")),
         (Landed("appointments", APPT, 2, "任职时间", date(2019, 1, 1)),
          Landed("appointments", APPT, 2, "免职时间", date(2023, 1, 1)))),
    Case("date-dismissal-before-appointment",
         lambda raw: table(raw, "appointments", appointment(1), appointment(2, 免职时间="2016-11-30"),
                           appointment(3, 免职时间="2016-12-01")),
         (Rejected(APPT, "Sheet1", 3, "免职时间", "免职时间早于任职时间", "2016-11-30"),
          Landed("appointments", APPT, 4, "免职时间", date(2016, 12, 1)))),
    Case("date-tenure-start-blank",
         lambda raw: table(raw, "appointments", appointment(1), appointment(2, 任职时间="")),
         (Rejected(APPT, "Sheet1", 3, "任职时间", "必填项“任职时间”为空"),)),
    Case("date-class-ends-before-start",
         lambda raw: both(lambda r: table(r, "classes", training_class("C001"),
                                          training_class("C002", 结束日期="2017-02-28")),
                          lambda r: table(r, "participants", participant("C001", 1), participant("C002", 2)))(raw),
         (Rejected(CLASSES, "Sheet1", 3, "结束日期", "结束日期早于开始日期"),
          Rejected(PARTS, "Sheet1", 3, None, "班次编号“C002”在培训班次中不存在（或该班次已被拒收）"))),
]


# ---- rules across rows -------------------------------------------------------------------------
ACROSS_CASES = [
    Case("duplicate-id-in-one-sheet",
         lambda raw: pool(raw, person(1), person(2), person(2, 姓名="测试二")),
         (rejected_pool(R + 2, None, "同一名单中身份证号重复（第5行已有），只保留第一行"),
          landed_pool(R + 1, "姓名", "测试2"))),
    Case("conflict-across-sheets",
         lambda raw: pool_sheets(raw, {L1: [person(1)], "党外知识分子": [person(1, 民族="彝族")]}),
         (Warned(P, "党外知识分子", R, "民族", f"同一人在“{L1}”（第4行）与“党外知识分子”中“民族”不一致，以“{L1}”为准"),
          Landed("talent_pool", P, R, "民族", "汉族", sheet=L1),
          Landed("talent_pool", P, R, "民族", "彝族", sheet="党外知识分子"))),
    Case("participant-of-unknown-class",
         lambda raw: table(raw, "participants", participant("C001", 1), participant("C999", 2)),
         (Rejected(PARTS, "Sheet1", 3, None, "班次编号“C999”在培训班次中不存在"),)),
    Case("duplicate-class-id",
         lambda raw: table(raw, "classes", training_class("C001"), training_class("C001", 班次名称="重复")),
         (Rejected(CLASSES, "Sheet1", 3, None, "班次编号重复（第2行已有），只保留第一行"),)),
    Case("same-person-twice-in-a-class",
         lambda raw: table(raw, "participants", participant("C001", 1), participant("C001", 1)),
         (Warned(PARTS, "Sheet1", 3, "身份证号", "同一学员在班次“C001”中出现两次（第2行已有），按一次计"),
          Landed("training_participants", PARTS, 3, "班次编号", "C001"))),
    Case("full-width-class-id-matches",
         lambda raw: table(raw, "participants", participant(full_width("C001"), 1), participant(" C 001 ", 2)),
         (Landed("training_participants", PARTS, 2, "班次编号", "C001"),
          Landed("training_participants", PARTS, 3, "班次编号", "C001"))),
]


# ---- workbook layout: titles, merges, formulas, totals, headers ---------------------------------
def _offset_appointments(raw: Path) -> None:
    """No title; two blank rows and a blank column before the header (header at B3)."""
    headers = list(appointment(1))
    workbook(raw / APPT, {"Sheet1": [headers, [appointment(1)[h] for h in headers],
                                     [appointment(2, 免职时间="2016-01-01")[h] for h in headers]]},
             top=2, left=1)


def _pool_merged(column: str, value: str) -> Callable[[Path], None]:
    """A value merged down over the data rows 4–5 of ``column`` (as a steward would 'tidy up')."""
    letter = "ABCDEFGHIJKLMNOPQ"[TALENT_POOL.headers.index(column)]
    return lambda raw: pool(raw, person(1), person(2), person(3), merges=[(f"{letter}4:{letter}5", value)])


SPACED = {"姓名": "姓 名", "身份证号": "身份证\u3000号", "出生年月": "出生\n年月"}

LAYOUT_CASES = [
    Case("merged-title-row",
         lambda raw: pool(raw, person(1), person(2)),
         (landed_pool(4, "姓名", "测试1"), landed_pool(5, "姓名", "测试2"))),
    Case("blank-rows-and-column-above-header",
         _offset_appointments,
         (Landed("appointments", APPT, 4, "姓名", "测试1"),
          Rejected(APPT, "Sheet1", 5, "免职时间", "免职时间早于任职时间"))),
    Case("merged-cell-in-data-required-column",
         _pool_merged("政治面貌", "民盟盟员"),
         (landed_pool(4, "政治面貌", "民盟盟员"),
          rejected_pool(5, "政治面貌", "单元格在合并单元格“G4:G5”中，只有左上角单元格有值"),
          landed_pool(6, "政治面貌", "民盟盟员"))),
    Case("merged-cell-in-data-optional-column",
         _pool_merged("专业领域", "农业"),
         (landed_pool(4, "专业领域", "农业"),
          rejected_pool(5, "专业领域", "单元格在合并单元格“M4:M5”中"))),
    Case("merged-cell-across-columns-in-data",
         lambda raw: pool(raw, person(1), person(2), merges=[("I5:J5", "乐山市某局副局长（副处级）")]),
         (rejected_pool(5, "职务层次", "单元格在合并单元格“I5:J5”中"),)),
    Case("formula-cells-with-cached-values",
         lambda raw: pool(raw, person(1, 所在地区=Formula('=IF(1,"市中区","")', "市中区"),
                                  推荐单位=Formula('="市委"&"统战部"', "市委统战部"))),
         (landed_pool(R, "所在地区", "市中区"), landed_pool(R, "推荐单位", "市委统战部"))),
    Case("formula-number-in-hours",
         lambda raw: table(raw, "classes", training_class("C001", 学时=Formula("=8*5", 40))),
         (Landed("training_classes", CLASSES, 2, "学时", 40.0),)),
    Case("formula-error-value",
         lambda raw: pool(raw, person(1), person(2, 入库时间=Formula("=VLOOKUP(A5,Z:Z,2,0)", "#N/A")),
                          person(3, 备注=Formula("=1/0", "#DIV/0!"))),
         (rejected_pool(R + 1, "入库时间", "单元格为 Excel 错误值“#N/A”"),
          landed_pool(R + 2, "姓名", "测试3"))),
    Case("total-row-ignored",
         lambda raw: pool(raw, person(1), person(2), {"序号": "合计", "姓名": "2人"}),
         (landed_pool(R + 1, "姓名", "测试2"),)),
    Case("unknown-extra-column",
         lambda raw: pool(raw, {**person(1), "联系电话": "13800000000"}, headers=[*TALENT_POOL.headers, "联系电话"]),
         (Warned(P, L1, None, "联系电话", "未知列“联系电话”未导入"), landed_pool(R, "姓名", "测试1"))),
    Case("header-with-spaces-and-line-breaks",
         lambda raw: pool(raw, {SPACED.get(h, h): v for h, v in person(1).items()},
                          headers=[SPACED.get(h, h) for h in TALENT_POOL.headers]),
         (landed_pool(R, "姓名", "测试1"),)),
    Case("formatted-blank-rows-inside-data",
         lambda raw: pool(raw, person(1), {"序号": Blank(), "姓名": Blank()}, person(3)),
         (landed_pool(R, "姓名", "测试1"), landed_pool(R + 2, "姓名", "测试3"))),
]


# ---- CSV encodings and line endings ------------------------------------------------------------
def _csv_case(encoding: str, read_as: str) -> Case:
    file = f"{CSV_DIR}/党外知识分子.csv"
    return Case(f"csv-{encoding}",
                lambda raw: pool_csv(raw, "党外知识分子", [person(5, 姓名="阿苏·拉且", 民族="彝"), person(6)],
                                     encoding=encoding, title="乐山市党外干部人才库名单（截至2017年12月31日）"),
                (Landed("talent_pool", file, 3, "姓名", "阿苏·拉且"), Landed("talent_pool", file, 3, "民族", "彝族"),
                 Landed("talent_pool", file, 4, "名单", "党外知识分子"), ReadAs(file, read_as)))


def _mixed_line_endings(raw: Path) -> None:
    lines = [",".join(TALENT_POOL.headers)] + [",".join(str(v) for v in person(n).values()) for n in (5, 6, 7)]
    write(raw / CSV_DIR / "党外知识分子.csv", lines[0] + "\n" + lines[1] + "\r\n" + lines[2] + "\r" + lines[3])


def _multiline_cell(raw: Path) -> None:
    pool_csv(raw, "党外知识分子", [person(5, 工作单位及职务="乐山市某局\n副局长"), person(6)])


CSV_CASES = [
    _csv_case("utf-8", "utf-8"),
    _csv_case("utf-8-sig", "utf-8-sig"),
    _csv_case("gb18030", "gb18030"),
    Case("csv-mixed-line-endings", _mixed_line_endings,
         tuple(Landed("talent_pool", f"{CSV_DIR}/党外知识分子.csv", row, "姓名", f"测试{n}")
               for row, n in ((2, 5), (3, 6), (4, 7)))),
    Case("csv-line-break-inside-a-cell", _multiline_cell,
         (Landed("talent_pool", f"{CSV_DIR}/党外知识分子.csv", 2, "工作单位及职务", "乐山市某局\n副局长"),
          Landed("talent_pool", f"{CSV_DIR}/党外知识分子.csv", 3, "姓名", "测试6"))),
    Case("csv-single-table-gb18030",
         lambda raw: table_csv(raw, "appointments", [appointment(1), appointment(2, 所在地区="成都")],
                               encoding="gb18030"),
         (Landed("appointments", "appointments.csv", 2, "所在地区", "市中区"),
          Rejected("appointments.csv", "appointments", 3, "所在地区", "所在地区“成都”不在允许的取值中"),
          ReadAs("appointments.csv", "gb18030"))),
]


# ---- full-width characters, huge cells, blank rows ---------------------------------------------
def _blank_rows_xlsx(raw: Path) -> None:
    pool(raw, person(1), person(2))
    append_blank_rows(raw / P, 100_000)


def _blank_rows_csv(raw: Path) -> None:
    file = pool_csv(raw, "党外知识分子", [person(5)])
    with (raw / file).open("a", encoding="utf-8", newline="") as handle:
        handle.write(",,, ,\u3000,,\r\n" * 100_000)


SIZE_CASES = [
    Case("full-width-spaces-and-digits",
         lambda raw: pool(raw, person(1, 姓名="张\u3000三 ", 所在地区="\u3000市中区", 身份类别="党政 机关",
                                     出生年月="１９８０．０１", 入库时间="２０１５年６月１日")),
         (landed_pool(R, "姓名", "张三"), landed_pool(R, "所在地区", "市中区"),
          landed_pool(R, "身份类别", "党政机关"), landed_pool(R, "出生年月", date(1980, 1, 1)),
          landed_pool(R, "入库时间", date(2015, 6, 1)))),
    Case("huge-free-text-cell-csv",
         lambda raw: pool_csv(raw, "党外知识分子", [person(5, 工作单位及职务="长" * HUGE)]),
         (Landed("talent_pool", f"{CSV_DIR}/党外知识分子.csv", 2, "工作单位及职务", "长" * HUGE),)),
    Case("huge-free-text-cell-xlsx",  # 32,767 characters: the most an Excel cell holds
         lambda raw: pool(raw, person(1, 推荐单位="长" * 32_767)),
         (landed_pool(R, "推荐单位", "长" * 32_767),)),
    Case("huge-coded-cell",
         lambda raw: pool_csv(raw, "党外知识分子", [person(5, 所在地区="市" * HUGE)]),
         (Rejected(f"{CSV_DIR}/党外知识分子.csv", "党外知识分子", 2, "所在地区",
                   "…（共 100000 个字符）”不在允许的取值中", "市" * HUGE),)),
    Case("blank-trailing-rows-xlsx-100k", _blank_rows_xlsx,
         (landed_pool(R + 1, "姓名", "测试2"),)),
    Case("blank-trailing-rows-csv-100k", _blank_rows_csv,
         (Landed("talent_pool", f"{CSV_DIR}/党外知识分子.csv", 2, "姓名", "测试5"),)),
]

# ---- reading, defended (issue 10): what a careless or hostile export must not slip through -----
def _elsewhere(raw: Path) -> None:
    """appointments.xlsx as a link to a file outside the raw folder."""
    outside = raw.parent / "elsewhere" / "appointments.xlsx"
    outside.parent.mkdir()
    (raw / APPT).rename(outside)
    (raw / APPT).symlink_to(outside)


def _pool_rows(*rows: dict[str, Any]) -> list[list[Any]]:
    return [[f"党外干部人才库名单（截至{SNAPSHOT}）"], [], list(TALENT_POOL.headers),
            *(cells(row, TALENT_POOL.headers) for row in rows)]


def _stray_cell(raw: Path) -> None:
    """A valid appointments sheet with one forgotten cell at XFD1048576."""
    openpyxl_workbook(raw / APPT, [("Sheet1", "visible", table_rows("appointments", appointment(1)))])
    book = openpyxl.load_workbook(raw / APPT)
    book.active["XFD1048576"] = "x"
    book.save(raw / APPT)


UNSAVED = "没有保存公式的计算结果"
OLD_APPOINTMENT = appointment(1, 所在地区="成都")  # rejected if the hidden sheet were read
DEFENDED_CASES = [
    Case("hidden-first-sheet-holds-an-old-copy",
         lambda raw: openpyxl_workbook(raw / APPT, [
             ("旧数据", "hidden", table_rows("appointments", OLD_APPOINTMENT)),
             ("Sheet1", "visible", table_rows("appointments", appointment(1), appointment(2)))]),
         (Landed("appointments", APPT, 2, "姓名", "测试1", sheet="Sheet1"),
          Landed("appointments", APPT, 3, "姓名", "测试2", sheet="Sheet1"),
          Warned(APPT, "旧数据", None, None, "是隐藏的工作表，未读取"))),
    Case("very-hidden-sheet-in-pool-workbook",
         lambda raw: openpyxl_workbook(raw / P, [(L1, "visible", _pool_rows(person(1))),
                                                 ("2017年旧名单", "veryHidden", _pool_rows(person(2)))]),
         (landed_pool(R, "姓名", "测试1"), Warned(P, "2017年旧名单", None, None, "是深度隐藏的工作表，未读取"))),
    Case("formula-without-saved-result",  # a blank 免职时间 would mean "still sitting"
         lambda raw: openpyxl_workbook(raw / APPT, [("Sheet1", "visible", table_rows(
             "appointments", appointment(1), appointment(2, 免职时间="=DATE(2017,5,18)")))]),
         (Rejected(APPT, "Sheet1", 3, "免职时间", UNSAVED, None),
          Landed("appointments", APPT, 2, "姓名", "测试1"))),
    Case("formula-without-saved-result-in-pool",
         lambda raw: openpyxl_workbook(raw / P, [(L1, "visible", _pool_rows(
             person(1, 备注="=A4"), person(2, 入库时间="=DATE(2015,6,1)")))]),
         (landed_pool(R, "姓名", "测试1"), rejected_pool(R + 1, "入库时间", UNSAVED))),
    Case("xlsx-unpacking-beyond-the-limit",
         lambda raw: with_declared_size(raw / APPT, "xl/worksheets/sheet1.xml", 2_000_000_000),
         (FileFailed(APPT, "Excel 文件解压后有 1907 MB，超过 1024 MB 的上限（设置 CADRES_MAX_XLSX_MB）"),)),
    Case("stray-cell-far-away",  # a used range of 17 billion cells: the reader would allocate them
         _stray_cell,
         (FileFailed(APPT, "已用区域为 A1:XFD1048576（17179869184 个单元格），超过每个工作表 50000000 个单元格"),)),
    Case("xlsx-rows-beyond-the-limit",
         lambda raw: table(raw, "appointments", *(appointment(n) for n in range(1, 6))),
         (FileFailed(APPT, "工作表“Sheet1”有 6 行，超过每个文件 5 行的上限（设置 CADRES_MAX_ROWS_PER_FILE）"),),
         limits=ReadLimits(max_rows=5)),
    Case("csv-rows-beyond-the-limit",
         lambda raw: table_csv(raw, "appointments", [appointment(n) for n in range(1, 6)]),
         (FileFailed("appointments.csv", "文件有 6 行，超过每个文件 5 行的上限"),), limits=ReadLimits(max_rows=5)),
    Case("symlink-leaving-the-raw-folder", _elsewhere,
         (FileFailed(APPT, "是指向原始数据文件夹之外的链接"),)),
    Case("utf16-csv-without-bom",
         lambda raw: write(raw / CSV_DIR / "党外知识分子.csv", ",".join(TALENT_POOL.headers).encode("utf-16-le")),
         (FileFailed(f"{CSV_DIR}/党外知识分子.csv", "CSV 文件为 UTF-16 LE 编码"),)),
    Case("utf32-csv",
         lambda raw: write(raw / CSV_DIR / "党外知识分子.csv", ",".join(TALENT_POOL.headers).encode("utf-32")),
         (FileFailed(f"{CSV_DIR}/党外知识分子.csv", "CSV 文件为 UTF-32 编码"),)),
    Case("id-as-number-cells-in-appointments",
         lambda raw: table(raw, "appointments", appointment(1, 身份证号=Num(511102198001010013)),
                           appointment(2, 身份证号=Num(5.11102198001011e17)), appointment(3)),
         (Rejected(APPT, "Sheet1", 2, "身份证号", NUMBER_REASON, "511102198001010000"),
          Rejected(APPT, "Sheet1", 3, "身份证号", NUMBER_REASON, "511102198001011000"),
          Landed("appointments", APPT, 4, "姓名", "测试3"))),
    Case("header-only-appointments", lambda raw: table(raw, "appointments"),
         (Warned(APPT, "Sheet1", None, None, "只有表头，没有数据行"),)),
    Case("xls-only-snapshot-folder",
         lambda raw: write(raw / "talent_pool/2018-06-30/副科级以上党外干部.xls", encrypted_workbook()),
         (FileFailed("talent_pool/2018-06-30/副科级以上党外干部.xls", "不支持旧版 .xls 格式"),)),
    Case("empty-snapshot-folder", lambda raw: (raw / "talent_pool/2018-06-30").mkdir(),
         (Warned("talent_pool/2018-06-30", None, None, None, "没有可读的名单文件"),)),
]

CASES: list[Case] = [*FILE_CASES, *ID_CASES, *CODE_CASES, *DATE_CASES, *ACROSS_CASES, *LAYOUT_CASES,
                     *CSV_CASES, *SIZE_CASES, *DEFENDED_CASES]
