"""The steward's refresh, end to end: gates refuse a plausible wrong warehouse, --accept publishes
it anyway and says so, the diff names what changes, the history keeps every attempt.

One gated pair of refreshes (refused, then accepted) on the sample of another seed with a
header-only appointments export feeds most assertions; the rest need no dbt build.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_cadres
from tests.rawkit import write_xlsx
from warehouse.contract import APPOINTMENTS
from warehouse.history import read_history
from warehouse.sample import generate_sample

ID_NUMBER = re.compile(r"\d{17}[\dX]")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Gated:
    warehouse: Path
    raw: Path
    published_before: str
    after_refusal: str
    refused_stdout: str
    refused_stderr: str
    refused_code: int
    accepted_stdout: str
    accepted_code: int
    history_after_refusal: list[dict[str, object]]


@pytest.fixture(scope="module")
def gated(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Gated:
    """The published sample, then seed 2019's sample with a header-only appointments.xlsx: refused,
    then published with --accept."""
    root = tmp_path_factory.mktemp("gated")
    warehouse = root / "cadres.duckdb"
    shutil.copy(sample_warehouse, warehouse)
    raw = root / "raw"
    generate_sample(raw, seed=2019)
    write_xlsx(raw / "appointments.xlsx", {"任免及安排": (APPOINTMENTS.headers, [])})
    before = _digest(warehouse)
    refused = run_cadres("refresh", "--raw", str(raw), "--warehouse", str(warehouse))
    after = _digest(warehouse)
    history = read_history(warehouse)
    accepted = run_cadres("refresh", "--accept", "--raw", str(raw), "--warehouse", str(warehouse))
    return Gated(warehouse, raw, before, after, refused.stdout, refused.stderr, refused.returncode,
                 accepted.stdout, accepted.returncode, history)


def test_a_header_only_export_is_refused_and_nothing_changes(gated: Gated) -> None:
    assert gated.refused_code == 3, gated.refused_stderr[-2000:]
    last = gated.refused_stderr.strip().splitlines()[-1]
    assert last.startswith("错误：发布检查未通过") and "--accept" in last, last
    assert "Traceback" not in gated.refused_stderr
    assert gated.after_refusal == gated.published_before
    assert not list(gated.warehouse.parent.glob(".cadres.build-*"))
    shown = gated.refused_stdout
    assert "表 landing.appointments 在已发布的数据仓库中有 5129 行，这次为空" in shown
    assert "关键指标“其中配备党外干部的班子”从 36 变为 0" in shown
    assert "关键指标“民主党派主委”从 7 变为 0" in shown
    assert "数据仓库未发布" in shown


def _pool(warehouse: Path) -> set[tuple[str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return set(connection.execute("SELECT list_name, person_key FROM fct_pool_membership "
                                      "WHERE is_latest_snapshot").fetchall())


def test_the_diff_between_two_sample_seeds_counts_persons_per_list(
        gated: Gated, sample_warehouse: Path) -> None:
    assert gated.accepted_code == 0
    old, new = _pool(sample_warehouse), _pool(gated.warehouse)
    for list_name in {name for name, _ in old | new}:
        was = {key for name, key in old if name == list_name}
        now = {key for name, key in new if name == list_name}
        line = f"    {list_name}：新增 {len(now - was)} 人，减少 {len(was - now)} 人"
        assert line in gated.refused_stdout.splitlines(), line
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        tenures = connection.execute("SELECT count(*) FROM fct_appointment_tenure").fetchone()[0]
    assert f"任职记录：新增 0 条，新免职 0 条，不再出现 {tenures} 条" in gated.refused_stdout
    assert "其中配备党外干部的班子：36 → 0（变动 100%）" in gated.refused_stdout
    assert not ID_NUMBER.search(gated.refused_stdout), "the diff shows no ID numbers"


def test_accept_publishes_and_records_the_acceptance(gated: Gated) -> None:
    assert gated.accepted_code == 0
    assert "发布检查未通过，但已按 --accept 发布" in gated.accepted_stdout
    assert _digest(gated.warehouse) != gated.published_before
    with duckdb.connect(str(gated.warehouse), read_only=True) as connection:
        gates = connection.execute("SELECT gate, accepted FROM meta.refresh_gates").fetchall()
        entered = connection.execute(
            "SELECT count(*) FROM meta.refresh_diff WHERE change = '进入名单'").fetchone()[0]
        appointments = connection.execute("SELECT count(*) FROM landing.appointments").fetchone()[0]
    assert ("empty_table", True) in gates and all(accepted for _, accepted in gates)
    assert entered > 0 and appointments == 0


def test_the_history_keeps_every_attempt(gated: Gated) -> None:
    assert [e["outcome"] for e in gated.history_after_refusal] == ["refused"]
    history = read_history(gated.warehouse)
    assert [e["outcome"] for e in history] == ["refused", "accepted"]
    refused, accepted = history
    assert accepted["accept"] is True and refused["accept"] is False
    assert refused["gates"] == accepted["gates"] and refused["gates"]
    assert refused["user"] and refused["raw_dir"] == str(gated.raw)
    files = {f["name"]: f for f in accepted["files"]}
    appointments = gated.raw / "appointments.xlsx"
    assert files["appointments.xlsx"]["sha256"] == _digest(appointments)
    assert files["appointments.xlsx"]["size"] == appointments.stat().st_size
    assert {t["file"] for t in accepted["tables"]} >= {"appointments.xlsx", "training/classes.xlsx"}
    assert accepted["totals"]["rows_read"] > 5000
    shown = run_cadres("history", "--warehouse", str(gated.warehouse))
    assert shown.returncode == 0
    assert "发布检查未通过" in shown.stdout and "已发布（确认放行）" in shown.stdout
    # one 表变空 per table the header-only export emptied (landing, intermediate and mart tables)
    emptied = [g for g in refused["gates"] if g["gate"] == "empty_table"]
    assert len(emptied) >= 3 and f"表变空×{len(emptied)}" in shown.stdout
    as_json = run_cadres("history", "--warehouse", str(gated.warehouse), "--json")
    assert json.loads(as_json.stdout) == history


# ---- exit codes and one-line failures (no dbt build) -----------------------------------------

def test_a_bad_file_exits_4_and_is_recorded(sample_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "cadres.duckdb"
    shutil.copy(sample_warehouse, warehouse)
    raw = tmp_path / "raw"
    write_xlsx(raw / "talent_pool" / "2018-04-30.xlsx", {"未知名单": (("姓名", "身份证号"), [])})
    result = run_cadres("check", "--raw", str(raw), "--warehouse", str(warehouse))
    assert result.returncode == 4
    assert result.stderr.strip().splitlines()[-1].startswith("错误：talent_pool/2018-04-30.xlsx")
    (entry,) = read_history(warehouse)
    assert entry["command"] == "check" and entry["outcome"] == "file_error"
    assert "未知名单" in entry["message"]


def test_a_held_lock_exits_6(tmp_path: Path) -> None:
    import fcntl

    from warehouse.develop import dev_lock
    from warehouse.publish import lock_path

    warehouse = tmp_path / "cadres.duckdb"
    with lock_path(warehouse).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = run_cadres("refresh", "--warehouse", str(warehouse))
    assert result.returncode == 6
    assert "另一个刷新正在进行" in result.stderr.strip().splitlines()[-1]
    assert read_history(warehouse)[-1]["outcome"] == "locked"
    with dev_lock(warehouse):
        second = run_cadres("dbt", "--warehouse", str(warehouse), "debug")
    assert second.returncode == 6
    assert "另一个 cadres dbt" in second.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(("args", "needle"), [
    (("refresh", "--term-start", "abc"), "--term-start 的值“abc”不是日期"),
    (("check", "--max-reject-share", "很多"), "--max-reject-share 的值“很多”无效"),
    (("figures", "--warehouse", "/nonexistent/cadres.duckdb"), "数据仓库不存在"),
])
def test_bad_settings_end_in_one_chinese_line(args: tuple[str, ...], needle: str) -> None:
    result = run_cadres(*args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_bad_environment_setting_names_the_variable() -> None:
    result = run_cadres("refresh", env={"CADRES_MAX_FIGURE_CHANGE": "-1"})
    assert result.returncode == 1
    assert "CADRES_MAX_FIGURE_CHANGE" in result.stderr and "Traceback" not in result.stderr


def test_a_closed_pipe_is_not_a_traceback(sample_warehouse: Path) -> None:
    import os
    import subprocess
    import sys

    from warehouse.settings import PROJECT_ROOT

    read_end, write_end = os.pipe()
    os.close(read_end)  # `cadres rejects | head` after head has exited
    try:
        result = subprocess.run([sys.executable, "-m", "warehouse.cli", "rejects", "--warehouse",
                                 str(sample_warehouse)], stdout=write_end, stderr=subprocess.PIPE,
                                cwd=PROJECT_ROOT, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert result.returncode == 0 and result.stderr == ""


def test_an_unreadable_path_is_one_chinese_line(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The tests run as root, who reads everything: the refusal is simulated where it surfaces."""
    from warehouse import cli, history

    def refuse(_: Path) -> list[dict[str, object]]:
        raise PermissionError(13, "Permission denied", "/srv/raw/cadres.history.jsonl")

    monkeypatch.setattr(history, "read_history", refuse)
    assert cli.main(["history"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["错误：没有权限访问：/srv/raw/cadres.history.jsonl（Permission denied）"]


def test_a_history_line_cut_short_is_skipped(tmp_path: Path) -> None:
    from warehouse.history import append_entry, history_path

    warehouse = tmp_path / "cadres.duckdb"
    append_entry(warehouse, {"outcome": "published"})
    with history_path(warehouse).open("a", encoding="utf-8") as handle:
        handle.write('{"outcome": "publi')
    assert read_history(warehouse) == [{"outcome": "published"}]
