"""The ingest's whole-column paths read exactly what the cell-by-cell rules read.

Each fast path (polars over a column, or a precomputed hash state) is checked against the
one-cell rule it stands in for, on generated input: where the fast path settles a cell, the
slow one must give the same; where it does not, the slow one still runs.
"""

from __future__ import annotations

import csv
import io
import os

import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.test_properties import id_like
from warehouse.normalise.idcard import (
    IdNumber,
    id_birth_date_expr,
    id_sex_expr,
    parse_id,
    plain_valid_id_expr,
    spelled_id_expr,
)
from warehouse.normalise.text import clean_cell, clean_cells
from warehouse.personal.separate import person_key, person_keys
from warehouse.readers import _clean_chunk, _long_numbers, _plain_csv_frame, to_sheet

EXAMPLES = max(int(os.environ.get("PROPERTY_EXAMPLES", "300")) // 3, 1)
CHEAP = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CHEAP
@given(st.lists(id_like(), min_size=1, max_size=30))
@example(["511102000001010012"])  # a birth date in year 0: not valid, and no Python date
def test_ids_in_another_plain_spelling_are_read_as_cell_by_cell(raw: list[str]) -> None:
    frame = pl.DataFrame({"v": raw}, schema={"v": pl.String}).select(number=spelled_id_expr(pl.col("v")))
    ok = plain_valid_id_expr(pl.col("number"))
    # the birth date only where the ID is valid, as the ingest takes it (validate._parse_ids):
    # elsewhere it may lie outside what a Python date holds (year 0)
    frame = frame.with_columns(ok=ok, birth=pl.when(ok).then(id_birth_date_expr(pl.col("number"))),
                               sex=id_sex_expr(pl.col("number")))
    for text, number, ok, birth, sex in zip(raw, *(frame[c].to_list() for c in frame.columns), strict=True):
        if ok:
            assert parse_id(text) == IdNumber(number, birth, sex), text


def test_a_fifteen_digit_id_and_a_lower_case_x_are_settled_over_the_column() -> None:
    raw = ["511102800101123", "11010519491231002x", "511102800230123"]
    frame = pl.DataFrame({"v": raw}).select(number=spelled_id_expr(pl.col("v"))).with_columns(
        ok=plain_valid_id_expr(pl.col("number")))
    assert frame.rows() == [("511102198001011234", True), ("11010519491231002X", True),
                            ("511102198002301233", False)]  # 2 月 30 日: parse_id gives the reason


CSV_TEXT = st.lists(st.sampled_from([*"ab ,\n\u3000\ufeff\t姓名", "\r\n"]), max_size=40).map("".join)


@CHEAP
@given(CSV_TEXT)
def test_a_csv_without_quotes_is_split_as_the_csv_module_splits_it(text: str) -> None:
    fast = _plain_csv_frame(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows:
        return
    assert fast is not None
    slow = _clean_chunk(rows)
    assert fast.height == slow.height == len(rows)
    # The same cells; a frame may have a trailing all-null column the other lacks (blank lines).
    for name in set(fast.columns) | set(slow.columns):
        left = fast[name].to_list() if name in fast.columns else [None] * fast.height
        right = slow[name].to_list() if name in slow.columns else [None] * slow.height
        assert left == right, name


def test_a_csv_with_quotes_or_a_lone_carriage_return_goes_to_the_csv_module() -> None:
    assert _plain_csv_frame('姓名,"a,b"\n') is None
    assert _plain_csv_frame("姓名,a\rb,c\n") is None
    assert _plain_csv_frame("姓名,a\r\nb,c\r\n").rows() == [("姓名", "a"), ("b", "c")]


CELLS = st.lists(st.one_of(st.none(), st.text(alphabet=" \t\u3000\u00a0\ufeff\u2003\x1cab姓", max_size=4)),
                 min_size=2, max_size=2)


@CHEAP
@given(st.lists(CELLS, min_size=1, max_size=12))
def test_cleaning_a_frame_is_cleaning_cell_by_cell_and_blank_rows_are_the_same(rows: list[list[str | None]]) -> None:
    frame = pl.DataFrame(rows, schema=["c0", "c1"], orient="row")
    cleaned = clean_cells(frame)
    assert cleaned.rows() == [tuple(clean_cell(cell) for cell in row) for row in rows]
    header = [["姓名", "x"]]
    plain = to_sheet(header + rows, "姓名", "f.xlsx", "S")
    fast = to_sheet(pl.concat([pl.DataFrame(header, schema=["c0", "c1"], orient="row"), cleaned]),
                    "姓名", "f.xlsx", "S", cleaned=True)
    assert [row for row, _ in fast.rows] == [row for row, _ in plain.rows]


def test_person_keys_are_the_hmac_of_each_id_number() -> None:
    ids = pl.Series(["511102198001011234", None, "11010519491231002X", "511102198001011234"])
    for secret in (b"", b"k" * 32, b"s" * 64, b"long" * 40):
        assert person_keys(ids, secret).to_list() == [None if v is None else person_key(v, secret) for v in ids]


def test_number_cells_that_may_have_lost_digits_are_found_in_the_worksheet_xml() -> None:
    xml = (b'<row r="2"><c r="A2" s="1" t="s"><v>12</v></c><c r="B2" s="2"><v>5.11102198001011E+17</v></c>'
           b'<c r="C2" t="n"><v>511102198001011008</v></c><c r="D2" t="str"><f>A2&amp;"x"</f><v>1.5</v></c>'
           b'<c r="E2"><f>B2*1</f><v>511102198001010055</v></c><c r="F2"><v>24.5</v></c>'
           b'<c r="G2" t="s"><v>1234567890123456</v></c><c r="H2"><v>123456789012345</v></c>'
           b'<c r="I2" t="inlineStr"><is><t>5.1E+17</t></is></c></row>')
    assert set(_long_numbers(xml)) == {(2, 1), (2, 2), (2, 4), (2, 5)}
