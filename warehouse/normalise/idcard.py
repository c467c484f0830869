"""Resident ID numbers (GB 11643): check digit, embedded birth date and sex, 15 → 18 digits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import polars as pl

from warehouse.normalise.result import Invalid
from warehouse.normalise.text import clean_cell, half_width, quote, strip_all_spaces

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH_YEAR = 1900
LATEST_BIRTH_YEAR = 2099
# The reason for an ID that Excel holds as a number: it keeps 15 significant digits, so the
# last digits of an 18-digit number are lost for good (the reader also reports it, from the
# cell type, for xlsx).
_AS_NUMBER = "被存成了数字（Excel 只保留 15 位有效数字，末几位已丢失），请把该列设为文本后重新导出"
STORED_AS_NUMBER = f"身份证号{_AS_NUMBER}"


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
    if (re.fullmatch(r"[0-9](\.[0-9]+)?E\+?[0-9]+", number)
            or re.fullmatch(r"[0-9]{15,18}\.0+", number)):
        return Invalid(STORED_AS_NUMBER)
    if re.fullmatch(r"[0-9]{15}", number):
        number = upgrade_15(number)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return Invalid(f"身份证号{quote(text)}应为 18 位（或 15 位旧号码）")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return Invalid(f"身份证号{quote(text)}中的出生日期不存在")
    if not EARLIEST_BIRTH_YEAR <= birth.year <= LATEST_BIRTH_YEAR:
        return Invalid(f"身份证号{quote(text)}中的出生日期不合理")
    if check_digit(number[:17]) != number[17]:
        if number.endswith("000"):
            return Invalid(f"身份证号{quote(text)}校验位错误，末三位为 000，疑似{_AS_NUMBER}")
        return Invalid(f"身份证号{quote(text)}校验位错误")
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return IdNumber(number=number, birth_date=birth, sex=sex)


def plain_valid_id_expr(expr: pl.Expr) -> pl.Expr:
    """True where a cell is already a valid ID exactly as :func:`parse_id` would return it:
    18 ASCII characters, a real birth date in 1900–2099 and the right check character.

    Most cells of a real export are; for them the number, birth date and sex are taken with
    :func:`id_birth_date_expr` and :func:`id_sex_expr` over the whole column, and only the
    other cells go through :func:`parse_id` (which finds the reason).
    """
    total = pl.sum_horizontal([expr.str.slice(i, 1).cast(pl.Int32, strict=False) * weight
                               for i, weight in enumerate(_WEIGHTS)])
    check = pl.lit(_CHECK_CHARS).str.slice(total % 11, 1)
    year = expr.str.slice(6, 4).cast(pl.Int32, strict=False)
    return (expr.str.contains(r"^[0-9]{17}[0-9X]$")
            & id_birth_date_expr(expr).is_not_null()
            & year.is_between(EARLIEST_BIRTH_YEAR, LATEST_BIRTH_YEAR)
            & (expr.str.slice(17, 1) == check)).fill_null(False)


def spelled_id_expr(expr: pl.Expr) -> pl.Expr:
    """The two other plain spellings of a cell as :func:`parse_id` turns them into 18
    characters: a lower-case check ``x`` upper-cased, and 15 digits (an old number) given the
    century ``19`` and their check character (:func:`upgrade_15`); any other cell unchanged.

    Feeding this to :func:`plain_valid_id_expr` settles these cells over the whole column too
    (a real export has a few percent of them), so only malformed ones reach :func:`parse_id`.
    """
    first17 = pl.concat_str(expr.str.slice(0, 6), pl.lit("19"), expr.str.slice(6, 9))
    total = pl.sum_horizontal([first17.str.slice(i, 1).cast(pl.Int32, strict=False) * weight
                               for i, weight in enumerate(_WEIGHTS)])
    upgraded = pl.concat_str(first17, pl.lit(_CHECK_CHARS).str.slice(total % 11, 1))
    return (pl.when(expr.str.contains(r"^[0-9]{17}x$")).then(expr.str.to_uppercase())
            .when(expr.str.contains(r"^[0-9]{15}$")).then(upgraded)
            .otherwise(expr))


def id_birth_date_expr(expr: pl.Expr) -> pl.Expr:
    """The birth date inside a plain 18-character ID (null where there is none)."""
    return expr.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)


def id_sex_expr(expr: pl.Expr) -> pl.Expr:
    """男 or 女 from the 17th digit of a plain 18-character ID."""
    return pl.when(expr.str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1).then(pl.lit("男")).otherwise(
        pl.lit("女"))
