"""Properties of every cell parser: any input is accepted as a well-formed value or rejected
with a plain-Chinese reason, and nothing raises (warehouse/normalise/__init__.py's promise).

Inputs mix arbitrary unicode with text shaped like what the parser accepts (dates in every
format, ID numbers with one thing wrong, numbers' text), so that both branches are exercised.
"""

from __future__ import annotations

import os
import re
import string
import unicodedata
from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tests.rawkit import make_id
from warehouse.contract import APPOINTMENTS, TALENT_POOL, TRAINING_CLASSES, TRAINING_PARTICIPANTS, Table
from warehouse.errors import FileError
from warehouse.normalise import Invalid, is_invalid
from warehouse.normalise.codes import lookup, parse_affiliation, parse_ethnicity, parse_sex
from warehouse.normalise.dates import parse_date, plain_date_expr
from warehouse.normalise.idcard import (
    IdNumber,
    check_digit,
    id_birth_date_expr,
    id_sex_expr,
    parse_id,
    plain_valid_id_expr,
    upgrade_15,
)
from warehouse.normalise.text import (
    QUOTE_LIMIT,
    clean_cell,
    clean_cell_expr,
    clean_code,
    clean_name,
    clean_name_expr,
    quote,
    strip_all_spaces,
)
from warehouse.readers import decode_csv, nonblank_rows, to_sheet
from warehouse.reference import load_reference
from warehouse.validate import RowValidator, parse_number, parse_seats

REFERENCE = load_reference()
# PROPERTY_EXAMPLES=5000 for a deep run; the default keeps the file under ~20 s.
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEAVY = settings(SETTINGS, max_examples=max(EXAMPLES // 2, 1))  # whole rows, polars frames
CJK = re.compile(r"[\u4e00-\u9fff]")

# ---- strategies ------------------------------------------------------------------------------
SPACES = st.sampled_from([" ", "\u3000", "\t", "\u00a0", "\ufeff", "\n", ""])
FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in string.digits + "-./"})


def _sometimes_full_width(draw: st.DrawFn, text: str) -> str:
    return text.translate(FULL_WIDTH) if draw(st.booleans()) else text


@st.composite
def date_like(draw: st.DrawFn) -> str:
    """Text shaped like a date: a real or impossible y/m/d in an accepted or near-miss format."""
    y = draw(st.integers(1850, 2150))
    m = draw(st.integers(0, 13))
    d = draw(st.integers(0, 32))
    template = draw(st.sampled_from([
        "{y:04d}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y:04d}{m:02d}{d:02d}", "{y}年{m}月{d}日",
        "{y:04d}-{m:02d}-{d:02d} 00:00:00", "{y}.{m:02d}", "{y:04d}{m:02d}", "{y:04d}-{m:02d}", "{y}年{m}月",
        "{y}-{m}-{d}", "{d}/{m}/{y}", "{y}.{m}", "{y} 年 {m} 月", "{y}", "{d}", "4{d:04d}", "{y}年{m}月{d}号",
    ]))
    text = template.format(y=y, m=m, d=d)
    return draw(SPACES) + _sometimes_full_width(draw, text) + draw(SPACES)


@st.composite
def id_like(draw: st.DrawFn) -> str:
    """A valid ID number, then perhaps one thing done to it."""
    birth = draw(st.dates(date(1890, 1, 1), date(2110, 12, 31))).strftime("%Y%m%d")
    number = make_id(birth, draw(st.integers(0, 999)), female=draw(st.booleans()),
                     region=draw(st.sampled_from(["511102", "110105", "511181"])))
    change = draw(st.sampled_from(["none", "lower", "digit", "drop", "add", "spaces", "full", "fifteen",
                                   "number", "zeros", "date"]))
    if change == "lower":
        number = number.lower()
    elif change == "digit":
        at = draw(st.integers(0, 17))
        number = number[:at] + draw(st.sampled_from("0123456789Xx")) + number[at + 1:]
    elif change == "drop":
        number = number[:-1]
    elif change == "add":
        number += draw(st.sampled_from("0123456789"))
    elif change == "spaces":
        at = draw(st.integers(0, 18))
        number = number[:at] + draw(SPACES) + number[at:]
    elif change == "full":
        number = number.translate(FULL_WIDTH)
    elif change == "fifteen":
        number = number[:6] + number[8:17]
    elif change == "number":
        number = f"{float(number[:17]):.14E}"
    elif change == "zeros":
        number = number[:15] + "000"
    elif change == "date":
        number = number[:10] + draw(st.sampled_from(["0230", "1301", "0000", "0431"])) + number[14:]
    return number


NUMBER_TEXT = st.one_of(st.integers(-10, 10**6).map(str), st.floats(allow_nan=True).map(str),
                        st.decimals(allow_nan=False, places=3).map(str),
                        st.sampled_from(["1.0", "0", "00012", "9" * 5000]))
ANY_TEXT = st.one_of(st.none(), st.text(), st.text(alphabet=st.characters(codec="utf-8"), max_size=50))


def cells(*extra: st.SearchStrategy[str | None]) -> st.SearchStrategy[str | None]:
    return st.one_of(ANY_TEXT, NUMBER_TEXT, *extra)


def assert_rejection(value: object) -> None:
    """An Invalid with a reason a steward can read: Chinese, one line, short."""
    assert isinstance(value, Invalid)
    assert value.reason and CJK.search(value.reason), value
    assert "\n" not in value.reason and len(value.reason) < 200, value


# ---- text ------------------------------------------------------------------------------------
@SETTINGS
@given(cells())
def test_clean_cell_is_trimmed_and_idempotent(raw: str | None) -> None:
    text = clean_cell(raw)
    if text is not None:
        assert text == text.strip() and text and "\ufeff" not in text
    assert clean_cell(text) == text


@SETTINGS
@given(cells())
def test_clean_code_has_no_spaces_and_is_idempotent(raw: str | None) -> None:
    text = clean_code(raw)
    if text is not None:
        assert text and not re.search(r"\s|\u3000|\ufeff", text)
        assert unicodedata.normalize("NFKC", text) == text
    assert clean_code(text) == text


@SETTINGS
@given(cells(st.text(alphabet="阿苏·•・拉 \u3000且", max_size=10)))
def test_clean_name_has_no_spaces_and_one_middle_dot(raw: str | None) -> None:
    name = clean_name(raw)
    if name is not None:
        assert name and not re.search(r"\s|\u3000", name)
        assert not set(name) & set("•・･‧∙")
    assert clean_name(name) == name


@SETTINGS
@given(st.text())
def test_quote_is_short_one_line_and_closed(text: str) -> None:
    quoted = quote(text)
    inner = quoted[1:-1]
    assert quoted[0] == "“" and quoted[-1] == "”"
    assert "“" not in inner and "”" not in inner and "\n" not in inner
    assert len(inner) <= QUOTE_LIMIT + 20


# ---- dates -----------------------------------------------------------------------------------
ACCEPTED_FORMATS = [  # contract §8, written out again here: (regex, has a day)
    (r"(\d{4})-(\d{2})-(\d{2})", True), (r"(\d{4})/(\d{1,2})/(\d{1,2})", True),
    (r"(\d{4})\.(\d{1,2})\.(\d{1,2})", True), (r"(\d{4})(\d{2})(\d{2})", True),
    (r"(\d{4})年(\d{1,2})月(\d{1,2})日", True), (r"(\d{4})-(\d{2})-(\d{2}) \d{2}:\d{2}:\d{2}", True),
    (r"(\d{4})\.(\d{2})", False), (r"(\d{4})(\d{2})", False), (r"(\d{4})-(\d{2})", False),
    (r"(\d{4})年(\d{1,2})月", False),
]


@SETTINGS
@given(cells(date_like()))
def test_parse_date_accepts_only_contract_formats(raw: str | None) -> None:
    value = parse_date(raw)
    if clean_cell(raw) is None:
        assert value is None
        return
    if is_invalid(value):
        assert_rejection(value)
        return
    assert isinstance(value, date)
    assert 1900 <= value.year <= 2099
    text = re.sub(r"\s*([年月日])\s*", r"\1", unicodedata.normalize("NFKC", clean_cell(raw) or "")).strip()
    readings = []
    for pattern, has_day in ACCEPTED_FORMATS:
        match = re.fullmatch(pattern, text, re.ASCII)
        if match:
            y, m, d = (*map(int, match.groups()), 1) if not has_day else tuple(map(int, match.groups()))
            readings.append(date(y, m, d))
    assert value in readings, (text, value)
    # It round-trips through accepted formats.
    assert parse_date(value.isoformat()) == value
    assert parse_date(f"{value.year}年{value.month}月{value.day}日") == value
    assert parse_date(f"{value:%Y%m%d}") == value


@SETTINGS
@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)))
def test_every_real_date_is_read_in_every_full_format(day: date) -> None:
    for text in (f"{day:%Y-%m-%d}", f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
                 f"{day:%Y%m%d}", f"{day.year}年{day.month}月{day.day}日", f"{day:%Y-%m-%d} 00:00:00"):
        assert parse_date(text) == day
    for text in (f"{day:%Y.%m}", f"{day:%Y%m}", f"{day:%Y-%m}", f"{day.year}年{day.month}月"):
        assert parse_date(text) == day.replace(day=1)


# ---- ID numbers ------------------------------------------------------------------------------
@SETTINGS
@given(cells(id_like()))
def test_parse_id_gives_a_verified_number_or_a_reason(raw: str | None) -> None:
    value = parse_id(raw)
    if clean_cell(raw) is None:
        assert value is None
        return
    if is_invalid(value):
        assert_rejection(value)
        return
    assert isinstance(value, IdNumber)
    number = value.number
    assert re.fullmatch(r"[0-9]{17}[0-9X]", number)
    assert check_digit(number[:17]) == number[17]
    assert value.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert 1900 <= value.birth_date.year <= 2099
    assert value.sex == ("男" if int(number[16]) % 2 else "女")
    assert parse_id(number) == value  # the normal form is itself accepted


@SETTINGS
@given(st.dates(date(1900, 1, 1), date(1999, 12, 31)), st.integers(0, 999), st.booleans())
def test_valid_ids_are_accepted_in_every_spelling(birth: date, sequence: int, female: bool) -> None:
    number = make_id(birth.strftime("%Y%m%d"), sequence, female=female)
    spellings = [number, number.lower(), f" {number[:6]} {number[6:14]}\u3000{number[14:]} ",
                 number.translate(FULL_WIDTH)]
    for text in spellings:
        parsed = parse_id(text)
        assert isinstance(parsed, IdNumber) and parsed.number == number
        assert parsed.birth_date == birth and parsed.sex == ("女" if female else "男")
    old = number[:6] + number[8:17]  # the 15-digit number of someone born in the 1900s
    assert parse_id(old) == parse_id(upgrade_15(old))


# ---- coded values ------------------------------------------------------------------------------
CANONICAL_AFFILIATIONS = set(REFERENCE.affiliations.values())
PARTY = {REFERENCE.affiliations[name] for name in REFERENCE.party_member_affiliations}


@SETTINGS
@given(cells(st.sampled_from(sorted(REFERENCE.affiliations)), st.sampled_from(sorted(REFERENCE.ethnicities))))
def test_coded_lookups_give_a_canonical_member_or_a_reason(raw: str | None) -> None:
    for value, canonical in (
        (parse_affiliation(raw, REFERENCE), CANONICAL_AFFILIATIONS - PARTY),
        (parse_ethnicity(raw, REFERENCE), set(REFERENCE.ethnicities.values())),
        (parse_sex(raw), {"男", "女"}),
        (lookup(raw, REFERENCE.ranks, "职务层次"), set(REFERENCE.ranks.values())),
        (lookup(raw, REFERENCE.education, "最高学历"), set(REFERENCE.education.values())),
        (lookup(raw, REFERENCE.regions, "所在地区"), set(REFERENCE.regions)),
        (lookup(raw, REFERENCE.code_values["sector"], "身份类别"), set(REFERENCE.code_values["sector"])),
    ):
        if clean_code(raw) is None:
            assert value is None
        elif is_invalid(value):
            assert_rejection(value)
        else:
            assert value in canonical


@pytest.mark.parametrize("alias", sorted(REFERENCE.affiliations))
def test_every_affiliation_alias_is_canonical_or_a_party_rejection(alias: str) -> None:
    value = parse_affiliation(f" {alias}\u3000", REFERENCE)
    if REFERENCE.affiliations[alias] in PARTY:
        assert_rejection(value)
        assert "中共党员不属于党外干部" in value.reason  # type: ignore[union-attr]
    else:
        assert value == REFERENCE.affiliations[alias]


# ---- numbers ---------------------------------------------------------------------------------
@SETTINGS
@given(cells())
def test_parse_number_and_seats(raw: str | None) -> None:
    hours, seats = parse_number(raw, "学时"), parse_seats(raw, "核定领导职数")
    for value in (hours, seats):
        if clean_code(raw) is None:
            assert value is None
        elif is_invalid(value):
            assert_rejection(value)
    if not is_invalid(hours) and hours is not None:
        assert isinstance(hours, float) and 0 <= hours < float("inf")
    if not is_invalid(seats) and seats is not None:
        assert isinstance(seats, int) and 1 <= seats <= 999


# ---- a whole row -------------------------------------------------------------------------------
def _row(table: Table) -> st.SearchStrategy[dict[str, str | None]]:
    special = {"身份证号": id_like(), "出生年月": date_like(), "入库时间": date_like(), "任职时间": date_like(),
               "免职时间": date_like(), "开始日期": date_like(), "结束日期": date_like(),
               "政治面貌": st.sampled_from(sorted(REFERENCE.affiliations))}
    return st.fixed_dictionaries({c.header: st.one_of(special.get(c.header, ANY_TEXT), ANY_TEXT)
                                  for c in table.columns})


@HEAVY
@given(st.sampled_from([TALENT_POOL, TRAINING_CLASSES, TRAINING_PARTICIPANTS, APPOINTMENTS]).flatmap(
    lambda table: st.tuples(st.just(table), _row(table))),
       st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2019, 12, 31))))
def test_row_validation_never_raises_and_explains_every_problem(table_row: tuple[Table, dict[str, str | None]],
                                                                snapshot: date | None) -> None:
    table, cells_ = table_row
    record, problems = RowValidator(table, REFERENCE).validate(cells_, snapshot)
    for problem in problems:
        assert problem.reason and CJK.search(problem.reason) and "\n" not in problem.reason
        assert problem.column is None or problem.column in table.headers
    if not problems and "身份证号" in record:
        assert re.fullmatch(r"[0-9]{17}[0-9X]", record["身份证号"])
        assert isinstance(record["出生日期"], date) and record["性别"] in ("男", "女")


# ---- the reader: header detection, row numbers, blank rows ------------------------------------
CELL = st.one_of(st.none(), st.sampled_from(["姓名", "姓 名", "合计", "合计：3人", "", " ", "\u3000", "a", "身份证号",
                                             "x y", "序号"]), st.text(max_size=3))
ROWS = st.lists(st.lists(CELL, max_size=6), max_size=12)


@SETTINGS
@given(ROWS)
def test_to_sheet_finds_the_header_and_numbers_the_rows(raw: list[list[str | None]]) -> None:
    has_header = any("姓名" in [strip_all_spaces(c) if c else "" for c in row] for row in raw)
    try:
        sheet = to_sheet(raw, "姓名", "f.xlsx", "S")
    except FileError as error:
        assert not has_header
        assert error.file == "f.xlsx" and "\n" not in str(error)
        return
    assert has_header
    header_index = next(i for i, row in enumerate(raw) if "姓名" in [strip_all_spaces(c) if c else "" for c in row])
    width = len(sheet.header)
    assert "姓名" in sheet.header and (not sheet.header or sheet.header[-1])
    assert sheet.header == [strip_all_spaces(c) if c else "" for c in raw[header_index]][:width]
    expected = [(i + 1, (raw[i][:width] + [None] * width)[:width]) for i in range(header_index + 1, len(raw))
                if any(clean_cell(c) is not None for c in raw[i][:width])]
    if expected and next(clean_cell(c) for c in expected[-1][1] if clean_cell(c)).startswith("合计"):
        expected.pop()
    assert sheet.rows == expected


@HEAVY
@given(st.lists(st.lists(st.one_of(st.none(), st.text(alphabet=" \t\n\u3000\u00a0\ufeff\u2003\x1c\u200bab",
                                                     max_size=3)), min_size=3, max_size=3), min_size=1, max_size=20))
def test_blank_rows_found_by_polars_are_blank_cell_by_cell(rows: list[list[str | None]]) -> None:
    frame = pl.DataFrame(rows, schema=["a", "b", "c"], orient="row")
    for row, filled in zip(rows, nonblank_rows(frame).to_list(), strict=True):
        if not filled:
            assert all(clean_cell(cell) is None for cell in row)


@SETTINGS
@given(st.text(), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_csv_text_is_decoded_in_each_encoding(text: str, encoding: str) -> None:
    assume(all(not 0xD800 <= ord(c) <= 0xDFFF for c in text))
    original = "姓名,身份证号\r\n" + text
    decoded, found = decode_csv(original.encode(encoding), "f.csv")
    assert decoded == original
    assert found == encoding


# ---- the column expressions read exactly what the cell parsers read ----------------------------
@HEAVY
@given(st.lists(cells(date_like()), min_size=1, max_size=30))
def test_plain_dates_read_by_polars_are_read_the_same_cell_by_cell(raw: list[str | None]) -> None:
    fast = pl.DataFrame({"v": raw}, schema={"v": pl.String}).select(plain_date_expr(pl.col("v")))["v"]
    for text, value in zip(raw, fast.to_list(), strict=True):
        if value is not None:
            assert parse_date(text) == value, text


@HEAVY
@given(st.lists(cells(id_like()), min_size=1, max_size=30))
@example(["511102000001010012"])  # a birth date in year 0: not valid, and no Python date
def test_plain_ids_read_by_polars_are_read_the_same_cell_by_cell(raw: list[str | None]) -> None:
    ok = plain_valid_id_expr(pl.col("v"))
    # the birth date only where the ID is valid, as the ingest takes it (validate._parse_ids)
    frame = pl.DataFrame({"v": raw}, schema={"v": pl.String}).select(
        ok=ok, birth=pl.when(ok).then(id_birth_date_expr(pl.col("v"))), sex=id_sex_expr(pl.col("v")))
    for text, ok, birth, sex in zip(raw, *(frame[c].to_list() for c in frame.columns), strict=True):
        if ok:
            assert parse_id(text) == IdNumber(text or "", birth, sex), text


@HEAVY
@given(st.lists(cells(), min_size=1, max_size=30))
def test_cleaning_over_a_column_is_cleaning_cell_by_cell(raw: list[str | None]) -> None:
    frame = pl.DataFrame({"v": raw}, schema={"v": pl.String}).select(
        cell=clean_cell_expr(pl.col("v")), name=clean_name_expr(pl.col("v")))
    assert frame["cell"].to_list() == [clean_cell(text) for text in raw]
    assert frame["name"].to_list() == [clean_name(text) for text in raw]
