"""The corpus of bad exports (tests/corpus/cases.py): each case gets exactly its outcome.

A case is built on a copy of one valid raw folder. A file error must name the file in one line
and nothing else is checked (nothing is published). Otherwise the rows rejected must be exactly
the rows the case names, each with its column and reason; warnings, landed values and the
encoding read are checked where the case names them; and the result must land in DuckDB.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.corpus.cases import CASES, Case, FileFailed, Landed, ReadAs, Rejected, Warned
from tests.rawkit import write_raw
from warehouse.errors import FileError
from warehouse.ingest import IngestResult, ingest, land
from warehouse.personal.separate import separate


@pytest.fixture(scope="session")
def base_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid folder every case starts from (built once; cases work on copies)."""
    return write_raw(tmp_path_factory.mktemp("corpus-base") / "raw")


def test_the_corpus_is_large_and_its_ids_unique() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_corpus_case(case: Case, base_raw: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(base_raw, raw)
    case.build(raw)
    file_errors = [e for e in case.expect if isinstance(e, FileFailed)]
    if file_errors:
        (expected,) = file_errors
        with pytest.raises(FileError) as raised:
            ingest(raw, limits=case.limits)
        assert raised.value.file == expected.file
        assert expected.reason in raised.value.reason, raised.value.reason
        assert "\n" not in str(raised.value), "a file error is one line"
        return
    result = ingest(raw, limits=case.limits)
    _check_rejects(case, result)
    for outcome in case.expect:
        if isinstance(outcome, Warned):
            _check_warning(outcome, result)
        elif isinstance(outcome, Landed):
            _check_landed(outcome, result)
        elif isinstance(outcome, ReadAs):
            assert {r.encoding for r in result.files if r.file == outcome.file} == {outcome.encoding}
    connection = duckdb.connect()
    rejected = len(result.rejects)
    separate(result, b"test-secret")
    land(result, connection)
    landed_rejects = connection.execute("SELECT count(*) FROM landing.rejects").fetchone()
    assert landed_rejects == (rejected,)


def _check_rejects(case: Case, result: IngestResult) -> None:
    expected = [e for e in case.expect if isinstance(e, Rejected)]
    got_rows = {(r["file"], r["sheet"], r["row"]) for r in result.rejects}
    assert got_rows == {(e.file, e.sheet, e.row) for e in expected}, _show(result.rejects)
    for outcome in expected:
        matching = [r for r in result.rejects
                    if (r["file"], r["sheet"], r["row"], r["column"])
                    == (outcome.file, outcome.sheet, outcome.row, outcome.column)]
        assert matching, f"no reject in column {outcome.column}: {_show(result.rejects)}"
        assert any(outcome.reason in r["reason"] for r in matching), _show(matching)
        if outcome.value is not ...:
            assert any(r["value"] == outcome.value for r in matching), _show(matching)
        for reject in matching:
            assert "\n" not in reject["reason"] and len(reject["reason"]) < 200, reject["reason"]
            assert reject["record"].startswith("{")
    for reject in result.rejects:  # a rejected row never reaches the facts
        for rows in result.tables.values():
            assert not any((r["_file"], r["_sheet"], r["_row"]) == (reject["file"], reject["sheet"], reject["row"])
                           for r in rows)


def _check_warning(outcome: Warned, result: IngestResult) -> None:
    assert any((w["file"], w["sheet"], w["row"], w["column"])
               == (outcome.file, outcome.sheet, outcome.row, outcome.column)
               and outcome.message in w["message"] for w in result.warnings), _show(result.warnings)


def _check_landed(outcome: Landed, result: IngestResult) -> None:
    rows = [r for r in result.tables.get(outcome.table, [])
            if (r["_file"], r["_row"]) == (outcome.file, outcome.row)
            and (outcome.sheet is None or r["_sheet"] == outcome.sheet)]
    assert len(rows) == 1, f"{len(rows)} rows landed at {outcome.file} row {outcome.row}: {_show(result.rejects)}"
    assert rows[0][outcome.column] == outcome.value


def _show(rows: list[dict[str, Any]]) -> str:
    """Rejects or warnings, short enough to read in a failure message."""
    return "\n".join(str({k: (v[:80] if isinstance(v, str) else v) for k, v in row.items() if k != "record"})
                     for row in rows)
