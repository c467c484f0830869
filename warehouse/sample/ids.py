"""Resident ID numbers (GB 11643) as the sample writes them.

The warehouse keys persons on the ID number, so every ID here must be valid (check digit,
real birth date) unless a row is planted as invalid on purpose.  Sex and birth date of a
person are derived from the ID, never the other way round, so they cannot disagree.
"""

from __future__ import annotations

from datetime import date

WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def make_id(region_code: str, birth: date, sequence: int) -> str:
    """An 18-character ID; ``sequence`` (0-999) carries the sex in its last digit (odd = male)."""
    body = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return body + check_digit(body)


def to_old_form(id18: str) -> str:
    """The 15-digit pre-1999 form: no century, no check digit."""
    return id18[:6] + id18[8:17]


def from_old_form(id15: str) -> str:
    """Contract §2: insert ``19`` after the region code and compute the check digit."""
    body = id15[:6] + "19" + id15[6:]
    return body + check_digit(body)


def with_wrong_check(id18: str) -> str:
    """The same ID with a check character that is guaranteed wrong."""
    right = id18[17]
    wrong = next(ch for ch in "1234567890" if ch != right)
    return id18[:17] + wrong


def sex_of(id18: str) -> str:
    """男 when the 17th digit is odd, else 女."""
    return "男" if int(id18[16]) % 2 == 1 else "女"


def birth_of(id18: str) -> date:
    """The birth date encoded in digits 7-14."""
    return date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))
