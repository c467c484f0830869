"""Resident ID numbers (GB 11643): check digit, embedded birth date and sex, 15 → 18 digits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from warehouse.normalise.result import Invalid
from warehouse.normalise.text import clean_cell, half_width, strip_all_spaces

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A valid 18-character ID with what it tells about its holder."""

    number: str
    birth_date: date
    sex: str  # 男 / 女


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def upgrade_15(number15: str) -> str:
    """An old 15-digit number as 18 digits: insert the century ``19``, append the check digit."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_digit(first17)


def parse_id(raw: object) -> IdNumber | Invalid | None:
    """A cell as an ID number; blank → ``None``; a malformed or inconsistent one → Invalid."""
    text = clean_cell(raw)
    if text is None:
        return None
    number = strip_all_spaces(half_width(text)).upper()
    if re.fullmatch(r"\d(\.\d+)?E\+\d+", number) or re.fullmatch(r"\d{15,18}\.0+", number):
        return Invalid("身份证号被存成了数字（Excel 只保留 15 位有效数字），请把该列设为文本后重新导出")
    if re.fullmatch(r"\d{15}", number):
        number = upgrade_15(number)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return Invalid(f"身份证号“{text}”应为 18 位（或 15 位旧号码）")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return Invalid(f"身份证号“{text}”中的出生日期不存在")
    if birth.year < 1900:
        return Invalid(f"身份证号“{text}”中的出生日期不合理")
    if check_digit(number[:17]) != number[17]:
        if number.endswith("000"):
            return Invalid(
                f"身份证号“{text}”校验位错误，末三位为 000，疑似被 Excel 存成数字而丢失末位"
            )
        return Invalid(f"身份证号“{text}”校验位错误")
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return IdNumber(number=number, birth_date=birth, sex=sex)
