"""Row validation: one row of cell text in, a normalised record or its problems out.

Every rule of the contract that concerns a single row lives here; rules that need other rows
(duplicates, unknown classes, conflicts across sheets) live in :mod:`warehouse.ingest`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from warehouse.contract import Column, Kind, Table
from warehouse.normalise import Invalid, is_invalid
from warehouse.normalise.codes import lookup, parse_affiliation, parse_ethnicity, parse_sex
from warehouse.normalise.dates import parse_date
from warehouse.normalise.idcard import IdNumber, parse_id
from warehouse.normalise.text import clean_cell, clean_code, clean_name, quote
from warehouse.reference import Reference

DIVISION_CODES_LABEL = "行政区划代码"


@dataclass(frozen=True)
class Problem:
    """Why one cell made its row unacceptable."""

    column: str | None
    value: str | None
    reason: str


def parse_number(raw: object, label: str) -> float | Invalid | None:
    """A non-negative decimal number (学时)."""
    text = clean_code(raw)
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text) or not math.isfinite(float(text)):
        return Invalid(f"{label}{quote(text)}不是有效的数字")
    return float(text)


def parse_seats(raw: object, label: str) -> int | Invalid | None:
    """A whole number of seats, at least 1."""
    text = clean_code(raw)
    if text is None:
        return None
    # At most three significant digits before int(): a huge digit string must not raise.
    if not re.fullmatch(r"0*[0-9]{1,3}", text) or int(text) < 1:
        return Invalid(f"{label}{quote(text)}应为 1 至 999 的整数")
    return int(text)


def _normaliser(column: Column, reference: Reference) -> Callable[[object], Any]:
    label = column.header
    division_codes = sorted({code for name, code in reference.region_codes.items()})
    handlers: dict[Kind, Callable[[object], Any]] = {
        Kind.TEXT: clean_cell,
        Kind.KEY: clean_code,
        Kind.NAME: clean_name,
        Kind.ID: parse_id,
        Kind.DATE: parse_date,
        Kind.BIRTH_MONTH: parse_date,
        Kind.SEX: parse_sex,
        Kind.ETHNICITY: lambda raw: parse_ethnicity(raw, reference),
        Kind.AFFILIATION: lambda raw: parse_affiliation(raw, reference),
        Kind.EDUCATION: lambda raw: lookup(raw, reference.education, label),
        Kind.RANK: lambda raw: lookup(raw, reference.ranks, label),
        Kind.REGION: lambda raw: lookup(raw, reference.regions, label),
        Kind.CODE: lambda raw: lookup(raw, reference.code_values[column.domain or ""], label),
        Kind.NUMBER: lambda raw: parse_number(raw, label),
        Kind.SEATS: lambda raw: parse_seats(raw, label),
        Kind.DIVISION_CODE: lambda raw: lookup(raw, division_codes, DIVISION_CODES_LABEL),
    }
    return handlers[column.kind]


class RowValidator:
    """Validates the rows of one table against the contract, with the reference tables."""

    def __init__(self, table: Table, reference: Reference) -> None:
        self.table = table
        self.columns = [c for c in table.columns if c.kind is not Kind.IGNORED]
        self.normalisers = {c.header: _normaliser(c, reference) for c in self.columns}

    def validate(
        self, cells: dict[str, str | None], snapshot_date: date | None = None
    ) -> tuple[dict[str, Any], list[Problem]]:
        """The normalised record (Chinese column names) and the problems found in it."""
        record: dict[str, Any] = {}
        problems: list[Problem] = []
        for column in self.columns:
            raw = cells.get(column.header)
            value = self.normalisers[column.header](raw)
            if is_invalid(value):
                problems.append(Problem(column.header, raw, value.reason))
                value = None
            elif value is None and column.not_blank:
                problems.append(Problem(column.header, raw, f"必填项“{column.header}”为空"))
            elif value is None and column.blank_means is not None:
                value = column.blank_means
            record[column.header] = value
        identity = record.get("身份证号")
        if isinstance(identity, IdNumber):
            problems += self._check_person(record, identity, cells, snapshot_date)
            record["身份证号"] = identity.number
            record["出生日期"] = identity.birth_date
        problems += self._check_dates(record, cells, snapshot_date)
        return record, problems

    @staticmethod
    def _check_person(
        record: dict[str, Any],
        identity: IdNumber,
        cells: dict[str, str | None],
        snapshot_date: date | None,
    ) -> list[Problem]:
        """性别 and 出生年月 must agree with the ID number; when blank they are taken from it."""
        problems: list[Problem] = []
        if record.get("性别") is None:
            record["性别"] = identity.sex
        elif record["性别"] != identity.sex:
            problems.append(Problem("性别", cells.get("性别"),
                                    f"性别“{record['性别']}”与身份证号（{identity.sex}）不符"))
        birth_month = identity.birth_date.replace(day=1)
        if "出生年月" in record:
            given = record["出生年月"]
            if given is None:
                record["出生年月"] = birth_month
            elif (given.year, given.month) != (birth_month.year, birth_month.month):
                problems.append(Problem("出生年月", cells.get("出生年月"),
                                        f"出生年月与身份证号中的出生年月“{birth_month:%Y年%m月}”不符"))
            else:
                record["出生年月"] = birth_month
        if snapshot_date is not None and identity.birth_date > snapshot_date:
            problems.append(Problem("身份证号", cells.get("身份证号"),
                                    "身份证号中的出生日期晚于统计截止日期"))
        return problems

    @staticmethod
    def _check_dates(
        record: dict[str, Any], cells: dict[str, str | None], snapshot_date: date | None
    ) -> list[Problem]:
        """Dates that contradict each other or the snapshot they were reported in."""
        problems: list[Problem] = []
        pairs = (("开始日期", "结束日期", "结束日期早于开始日期"),
                 ("任职时间", "免职时间", "免职时间早于任职时间"))
        for start_column, end_column, reason in pairs:
            start, end = record.get(start_column), record.get(end_column)
            if isinstance(start, date) and isinstance(end, date) and end < start:
                problems.append(Problem(end_column, cells.get(end_column), reason))
        entered = record.get("入库时间")
        if snapshot_date is not None and isinstance(entered, date) and entered > snapshot_date:
            problems.append(Problem("入库时间", cells.get("入库时间"), "入库时间晚于统计截止日期"))
        return problems


def record_json(cells: dict[str, str | None]) -> str:
    """The whole original row, kept with its rejection so nothing is lost."""
    return json.dumps(cells, ensure_ascii=False)
