"""The cell normalisers: every accepted form of contract §2/§6/§8 and the rejections."""

from __future__ import annotations

from datetime import date

import pytest

from tests.rawkit import make_id
from warehouse.normalise import Invalid, is_invalid
from warehouse.normalise.codes import lookup, parse_affiliation, parse_ethnicity, parse_sex
from warehouse.normalise.dates import parse_date
from warehouse.normalise.idcard import check_digit, parse_id, upgrade_15
from warehouse.normalise.text import clean_name
from warehouse.reference import load_reference

REFERENCE = load_reference()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-03-05", date(2017, 3, 5)),
        ("2017/3/5", date(2017, 3, 5)),
        ("2017/03/05", date(2017, 3, 5)),
        ("2017.3.5", date(2017, 3, 5)),
        ("20170305", date(2017, 3, 5)),
        ("2017年3月5日", date(2017, 3, 5)),
        ("2017-03-05 00:00:00", date(2017, 3, 5)),  # a real Excel date cell
        ("2017.03", date(2017, 3, 1)),
        ("201703", date(2017, 3, 1)),
        ("2017-03", date(2017, 3, 1)),
        ("2017年3月", date(2017, 3, 1)),
        ("２０１７－０３－０５", date(2017, 3, 5)),  # full-width digits and dash
        ("  2017-03-05\u3000", date(2017, 3, 5)),
    ],
)
def test_every_contract_date_format_is_read(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2017-02-30", "2017-13-01", "17-3-5", "2017-3-5", "2017.3", "43000", "去年", "3/5/2017",
     "2017年13月", "1850-01-01", "2017--03-05"],
)
def test_other_dates_are_rejected_with_a_reason(text: str) -> None:
    result = parse_date(text)
    assert is_invalid(result)
    assert text in result.reason


def test_blank_date_is_none() -> None:
    assert parse_date("  ") is None
    assert parse_date(None) is None


def test_id_check_digit_and_fields() -> None:
    number = make_id("19850215", 7, female=True)
    parsed = parse_id(number)
    assert not is_invalid(parsed) and parsed is not None
    assert parsed.number == number
    assert parsed.birth_date == date(1985, 2, 15)
    assert parsed.sex == "女"


def test_lower_case_x_is_read_as_upper_case() -> None:
    first17 = "11010519491231002"
    assert check_digit(first17) == "X"
    parsed = parse_id(first17 + "x")
    assert parsed is not None and not is_invalid(parsed)
    assert parsed.number == first17 + "X"


def test_fifteen_digit_number_is_upgraded() -> None:
    assert upgrade_15("110105491231002") == "11010519491231002X"
    parsed = parse_id("110105491231002")
    assert parsed is not None and not is_invalid(parsed)
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("110105194912310021", "校验位"),
        ("11010519491231002", "18 位"),
        ("110105194902300020", "出生日期不存在"),
        ("5.11102198001011E+17", "存成了数字"),
        ("511102198001011000", "Excel"),
        ("ABCDEFGHIJKLMNOPQR", "18 位"),
    ],
)
def test_bad_ids_are_rejected(text: str, fragment: str) -> None:
    result = parse_id(text)
    assert is_invalid(result)
    assert fragment in result.reason


def test_spaces_and_full_width_digits_inside_an_id_are_removed() -> None:
    number = make_id("19800101", 3)
    spaced = f"{number[:6]} {number[6:14]}\u3000{number[14:]}"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert parse_id(spaced).number == number  # type: ignore[union-attr]
    assert parse_id(full_width).number == number  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("民革党员", "民革党员"), ("民革会员", "民革党员"), ("民革", "民革党员"),
        ("中国国民党革命委员会", "民革党员"), ("民盟", "民盟盟员"), ("中国民主同盟", "民盟盟员"),
        ("民建", "民建会员"), ("中国民主建国会", "民建会员"), ("民进", "民进会员"),
        ("中国民主促进会", "民进会员"), ("农工党", "农工党党员"), ("中国农工民主党", "农工党党员"),
        ("致公党", "致公党党员"), ("中国致公党", "致公党党员"), ("九三学社", "九三学社社员"),
        ("台盟", "台盟盟员"), ("台湾民主自治同盟", "台盟盟员"), ("无党派民主人士", "无党派人士"),
        ("无党派", "无党派人士"), ("群众", "群众"), ("团员", "共青团员"), ("共青团员", "共青团员"),
    ],
)
def test_affiliation_variants(variant: str, canonical: str) -> None:
    assert parse_affiliation(variant, REFERENCE) == canonical


@pytest.mark.parametrize("member", ["中共党员", "中共预备党员", "中国共产党党员"])
def test_communist_party_members_are_not_non_party(member: str) -> None:
    result = parse_affiliation(member, REFERENCE)
    assert isinstance(result, Invalid)
    assert "中共党员不属于党外干部" in result.reason


def test_ethnicity_with_and_without_zu() -> None:
    assert parse_ethnicity("彝", REFERENCE) == "彝族"
    assert parse_ethnicity("彝族", REFERENCE) == "彝族"
    assert parse_ethnicity("蒙古", REFERENCE) == "蒙古族"
    assert is_invalid(parse_ethnicity("火星族", REFERENCE))


def test_sex_codes() -> None:
    assert parse_sex("1") == "男"
    assert parse_sex("2.0") == "女"
    assert parse_sex("女") == "女"
    assert is_invalid(parse_sex("3"))


def test_rank_and_education_variants() -> None:
    assert lookup("正县级", REFERENCE.ranks, "职务层次") == "正处级"
    assert lookup("副县级", REFERENCE.ranks, "职务层次") == "副处级"
    assert lookup("本科", REFERENCE.education, "最高学历") == "大学本科"
    assert lookup("大专", REFERENCE.education, "最高学历") == "大学专科"
    assert is_invalid(lookup("博士后", REFERENCE.education, "最高学历"))


def test_names_lose_spaces_and_keep_the_middle_dot() -> None:
    assert clean_name(" 张 三\u3000") == "张三"
    assert clean_name("阿苏・拉且") == "阿苏·拉且"
    assert clean_name("阿苏·拉且") == "阿苏·拉且"
