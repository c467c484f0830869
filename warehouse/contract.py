"""The raw-export contract (``shared/raw-exports.md``) as data: files, headers, value rules.

Each table lists its columns with the kind of value they hold. The ingest reads this, so a
rule is written once here and not again in the reading code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """How a column's cells are normalised."""

    IGNORED = "ignored"
    TEXT = "text"
    KEY = "key"  # an identifier matched across files (班次编号): half-width, no spaces
    NAME = "name"
    ID = "id"
    DATE = "date"
    BIRTH_MONTH = "birth_month"
    SEX = "sex"
    ETHNICITY = "ethnicity"
    AFFILIATION = "affiliation"
    EDUCATION = "education"
    RANK = "rank"
    REGION = "region"
    NUMBER = "number"
    SEATS = "seats"
    DIVISION_CODE = "division_code"
    CODE = "code"  # one of ref_code_values for the column's domain


@dataclass(frozen=True)
class Column:
    """One header of an export and the rule for its cells."""

    header: str
    kind: Kind
    not_blank: bool = False
    domain: str | None = None  # for Kind.CODE: the domain in ref_code_values.csv
    blank_means: str | None = None  # the value a blank cell stands for


@dataclass(frozen=True)
class Table:
    """One kind of export: where it lives, how its header row is found, its columns."""

    name: str  # landing table name
    title: str  # Chinese name, for messages
    key_header: str  # the header row is the first row containing this
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)

    @property
    def required_headers(self) -> tuple[str, ...]:
        """Every contract column but the row number and remarks must be in the header row."""
        return tuple(c.header for c in self.columns if c.kind is not Kind.IGNORED)


TALENT_POOL = Table(
    name="talent_pool",
    title="党外干部人才库名单",
    key_header="姓名",
    columns=(
        Column("序号", Kind.IGNORED),
        Column("姓名", Kind.NAME, not_blank=True),
        Column("性别", Kind.SEX),
        Column("民族", Kind.ETHNICITY, not_blank=True),
        Column("出生年月", Kind.BIRTH_MONTH),
        Column("身份证号", Kind.ID, not_blank=True),
        Column("政治面貌", Kind.AFFILIATION, not_blank=True),
        Column("最高学历", Kind.EDUCATION),
        Column("工作单位及职务", Kind.TEXT),
        Column("职务层次", Kind.RANK),
        Column("身份类别", Kind.CODE, not_blank=True, domain="sector"),
        Column("所在地区", Kind.REGION, not_blank=True),
        Column("专业领域", Kind.CODE, domain="field", blank_means="其他"),
        Column("成熟度", Kind.CODE, domain="readiness"),
        Column("入库时间", Kind.DATE),
        Column("推荐单位", Kind.TEXT),
        Column("备注", Kind.IGNORED),
    ),
)

TRAINING_CLASSES = Table(
    name="training_classes",
    title="培训班次",
    key_header="班次编号",
    columns=(
        Column("班次编号", Kind.KEY, not_blank=True),
        Column("班次名称", Kind.TEXT),
        Column("培训类型", Kind.CODE, not_blank=True, domain="training_type"),
        Column("主办层级", Kind.CODE, not_blank=True, domain="host_level"),
        Column("主办单位", Kind.TEXT),
        Column("开始日期", Kind.DATE, not_blank=True),
        Column("结束日期", Kind.DATE, not_blank=True),
        Column("学时", Kind.NUMBER),
    ),
)

TRAINING_PARTICIPANTS = Table(
    name="training_participants",
    title="参训学员名单",
    key_header="姓名",
    columns=(
        Column("班次编号", Kind.KEY, not_blank=True),
        Column("姓名", Kind.NAME, not_blank=True),
        Column("身份证号", Kind.ID, not_blank=True),
        Column("结业情况", Kind.CODE, not_blank=True, domain="completion_status"),
    ),
)

APPOINTMENTS = Table(
    name="appointments",
    title="职务任免及政治安排记录",
    key_header="姓名",
    columns=(
        Column("姓名", Kind.NAME, not_blank=True),
        Column("身份证号", Kind.ID, not_blank=True),
        Column("任用类别", Kind.CODE, not_blank=True, domain="appointment_category"),
        Column("任职机构名称", Kind.TEXT),
        Column("所在地区", Kind.REGION, not_blank=True),
        Column("班子类别", Kind.CODE, not_blank=True, domain="team_category"),
        Column("职务名称", Kind.TEXT, not_blank=True),
        Column("职务层次", Kind.RANK),
        Column("任职时间", Kind.DATE, not_blank=True),
        Column("免职时间", Kind.DATE),
        Column("选拔任用方式", Kind.CODE, domain="selection_method"),
        Column("岗位类型", Kind.CODE, domain="post_type"),
        Column("人岗相适", Kind.CODE, domain="fit_assessment"),
        Column("任职文号", Kind.TEXT),
        Column("免职文号", Kind.TEXT),
    ),
)

LEADERSHIP_TEAMS = Table(
    name="leadership_teams",
    title="领导班子职数配备表",
    key_header="行政区划代码",
    columns=(
        Column("行政区划代码", Kind.DIVISION_CODE, not_blank=True),
        Column("地区", Kind.TEXT),
        Column("班子类别", Kind.CODE, not_blank=True, domain="leadership_team"),
        Column("核定领导职数", Kind.SEATS, not_blank=True),
    ),
)

# The single-table exports: base name (without .xlsx/.csv) inside the raw folder → table.
SINGLE_FILE_TABLES: tuple[tuple[str, Table], ...] = (
    ("training/classes", TRAINING_CLASSES),
    ("training/participants", TRAINING_PARTICIPANTS),
    ("appointments", APPOINTMENTS),
    ("leadership_teams", LEADERSHIP_TEAMS),
)
TALENT_POOL_DIR = "talent_pool"
EXPORT_SUFFIXES = (".xlsx", ".csv")
