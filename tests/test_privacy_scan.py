"""A full session scanned as an attacker would: the session's refresh of the bundled sample
(``sample_warehouse``: its folder, console output, history and dbt's records) and a dashboard
session as an analyst (AppTest: every page, the people list and its CSV download pressed) and a
steward's rejected rows, then every byte they left or handed out is searched for any full name
or full ID number of the raw sample, and for an unkeyed hash (md5, sha1, sha256) of any ID.

Allowed, by design, and nowhere else: the analyst's 人员名单 (screen and CSV) names people and
shows their ID numbers masked to the first 6 and last 4 characters (``511113********9806``); the
restricted store (``cadres.personal.duckdb``) and the secret beside the warehouse hold what they
are for and are not scanned. The briefing downloads (Word/PDF, made by Chromium on the click) are
not made here: they hold aggregates only (tests/test_briefing_access.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import fastexcel
import pytest
from argon2 import PasswordHasher
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.dashboard_support import APP
from tests.test_privacy import _leaks
from warehouse.accounts import Role, UserStore
from warehouse.readers import decode_csv
from warehouse.settings import SAMPLE_RAW_DIR

PASSWORD = "correct-horse-battery"
PAGES = ("overview", "composition", "trends", "teams", "training", "explore", "quality", "people")
ID_TOKEN = re.compile(r"\d{17}[\dXx]|\d{15}")
HEX_TOKEN = re.compile(r"[0-9a-f]{32,64}")
CJK_RUN = re.compile(r"[\u3400-\u9fff·]+")
MASKED = re.compile(r"^\d{6}\*{8}[\dX]{4}$")


def _raw_cells() -> list[tuple[str, str]]:
    """(header, value) of every cell of every raw sample file, under the row that names 姓名."""
    tables: list[list[list[str | None]]] = []
    for path in sorted(SAMPLE_RAW_DIR.rglob("*")):
        if path.suffix == ".csv":
            text, _ = decode_csv(path.read_bytes(), path.name)
            tables.append([list(row) for row in csv.reader(io.StringIO(text))])
        elif path.suffix == ".xlsx":
            book = fastexcel.read_excel(path)
            for sheet in book.sheet_names:
                frame = book.load_sheet(sheet, header_row=None, dtypes="string").to_polars()
                tables.append([list(row) for row in frame.iter_rows()])
    cells: list[tuple[str, str]] = []
    for rows in tables:
        header = next((row for row in rows if "姓名" in row), None)
        if header is None:
            continue
        for row in rows[rows.index(header) + 1:]:
            cells += [(str(h), str(v).strip()) for h, v in zip(header, row, strict=False) if v]
    return cells


@pytest.fixture(scope="module")
def truth() -> dict[str, set[str]]:
    """The raw sample's names, ID numbers (as written and normalised) and their unkeyed hashes."""
    cells = _raw_cells()
    names = {v for h, v in cells if h == "姓名" and len(v) >= 2}
    ids = {re.sub(r"\s", "", v).upper() for h, v in cells if h == "身份证号"}
    ids = {v for v in ids if len(v) >= 15}
    hashes = {algorithm(form.encode()).hexdigest() for number in ids for form in {number, number.lower()}
              for algorithm in (hashlib.md5, hashlib.sha1, hashlib.sha256)}
    assert len(names) > 1000 and len(ids) > 3000  # the scan looks for something real
    return {"names": names, "ids": ids, "hashes": hashes}


def _found(data: bytes, truth: dict[str, set[str]], *, names: bool = True) -> list[str]:
    """Full ID numbers, unkeyed hashes of one, and names of the raw sample in ``data`` (any
    encoding that keeps ASCII; names as UTF-8 text, also inside longer runs of Chinese)."""
    text = data.decode("utf-8", errors="ignore")
    hits = [f"ID {t[:6]}…" for t in set(ID_TOKEN.findall(text)) if t.upper() in truth["ids"]]
    hits += [f"hash {t[:8]}…" for t in set(HEX_TOKEN.findall(text))
             if any(t[i:i + n] in truth["hashes"] for n in (32, 40, 64) for i in range(0, len(t) - n + 1))]
    if names:
        for run in set(CJK_RUN.findall(text)):
            hits += [f"name {run[i:i + n]}" for n in (2, 3, 4) for i in range(len(run) - n + 1)
                     if run[i:i + n] in truth["names"] and _whole(run, i, n)]
    return hits


def _whole(run: str, start: int, size: int) -> bool:
    """A name is a whole run, or a 3-4 character piece of one (a 2-character name inside a longer
    run is a word of the dbt docs or a label: 文化 in 文化程度, not a person)."""
    return size >= 3 or len(run) == size


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, bytes]]:
    """Every byte the dashboard hands to the browser as a file: each download button's data
    goes through Streamlit's media file storage when the button is drawn."""
    seen: list[tuple[str | None, bytes]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self: MemoryMediaFileStorage, path_or_data: bytes | str, mimetype: str, kind: object,
             filename: str | None = None) -> str:
        data = path_or_data if isinstance(path_or_data, bytes) else Path(path_or_data).read_bytes()
        seen.append((filename, data))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return seen


def test_a_refresh_and_an_analysts_session_leave_no_name_id_or_unkeyed_hash_behind(
        sample_warehouse: Path, truth: dict[str, set[str]], downloads: list[tuple[str | None, bytes]],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    audit_log = tmp_path / "audit.jsonl"
    for name, value in {"CADRES_WAREHOUSE": sample_warehouse, "CADRES_USERS_FILE": tmp_path / "users.json",
                        "CADRES_SIGNIN_STATE": tmp_path / "state.json", "CADRES_AUDIT_LOG": audit_log}.items():
        monkeypatch.setenv(name, str(value))
    store = UserStore(tmp_path / "users.json", hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store.add("ana", Role.ANALYST, None, PASSWORD)
    store.add("dm", Role.STEWARD, None, PASSWORD)

    def signed_in(name: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=180).run()
        at.text_input[0].input(name)
        at.text_input[1].input(PASSWORD)
        at.button[0].click()
        return at.run()

    at = signed_in("ana")
    screens: list[str] = []
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        screens += [str(e.value) for kind in ("markdown", "caption", "metric", "text") for e in at.get(kind)]
    people = at.dataframe[0].value
    assert len(people) > 100 and all(MASKED.match(v) for v in people.iloc[:, 1])
    people_csv = len(downloads)
    at.download_button(key="people_csv").click().run()  # pressed: audited, and its bytes handed out again
    steward = signed_in("dm")
    steward.switch_page("app_pages/quality.py")
    steward.run()
    steward.toggle(key="quality_show_rejects").set_value(True).run()
    screens += [df.value.to_csv() for df in steward.dataframe]

    leaks: list[str] = []
    listed = [(name, data) for name, data in downloads if name and name.startswith("人员名单")]
    assert listed and len(downloads) > people_csv  # the people CSV was handed out, with names
    assert any(n.encode() in listed[0][1] for n in list(truth["names"])[:2000])
    for name, data in downloads:
        leaks += [f"{name}: {hit}" for hit in _found(data, truth, names=not (name or "").startswith("人员名单"))]
    leaks += [f"screen: {hit}" for hit in _found("\n".join(screens).encode(), truth)]
    folder = sample_warehouse.parent
    private = {"cadres.personal.duckdb", ".cadres.person-secret"}
    scanned = [p for p in folder.rglob("*") if p.is_file() and p.name not in private]
    assert {sample_warehouse.name, "refresh-console.log", "cadres.history.jsonl"} <= {p.name for p in scanned}
    for path in [*scanned, audit_log, tmp_path / "state.json"]:
        if path.exists():
            leaks += [f"{path.relative_to(path.parent.parent)}: {hit}" for hit in _found(path.read_bytes(), truth)]
    # the published file's every text value too (DuckDB may compress strings past a byte scan)
    leaks += _leaks(sample_warehouse, truth["names"], truth["ids"], truth["hashes"])
    assert leaks == []
    events = [json.loads(line)["event"] for line in audit_log.read_text(encoding="utf-8").splitlines()]
    assert "download" in events and "person_view" in events
