"""Each publish gate on the adversarial cases of issue 10, without a dbt build: the gates compare
states read from warehouse files, so here the states are written out directly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.rawkit import person, write_xlsx
from warehouse.contract import TALENT_POOL
from warehouse.diff import State, compare
from warehouse.gates import FileRows, GateHit, check_gates, newest_snapshot_name
from warehouse.settings import Settings

TODAY = date(2026, 11, 30)


def _state(as_of: date = date(2018, 4, 30), **figures: float | None) -> State:
    return State(as_of=as_of, figures={k: (k, "人", v) for k, v in figures.items()},
                 row_counts={"landing.appointments": 5129, "main.key_figures": 30})


def _pool(root: Path, *snapshots: str) -> Path:
    for snapshot in snapshots:
        write_xlsx(root / "talent_pool" / f"{snapshot}.xlsx",
                   {"党外知识分子": (TALENT_POOL.headers, [person(1)])})
    return root


def _loaded(snapshot: date, rows: int = 1) -> FileRows:
    return FileRows("talent_pool/x.xlsx", "党外知识分子", snapshot, rows, rows, 0)


def _gates(settings: Settings, files: list[FileRows], old: State | None, new: State) -> list[GateHit]:
    return check_gates(settings, files, old, new, compare(old, new), TODAY)


def test_appointment_ids_typed_as_numbers_lose_most_rows(tmp_path: Path) -> None:
    """4,593 of 5,131 appointments rejected (the issue's first case)."""
    settings = Settings(raw_dir=_pool(tmp_path, "2018-04-30"))
    files = [_loaded(date(2018, 4, 30)), FileRows("appointments.xlsx", "任免", None, 5131, 538, 4593)]
    (hit,) = _gates(settings, files, None, _state())
    assert hit.gate == "reject_share"
    assert "appointments.xlsx [任免] 读取 5131 行，拒收 4593 行（90%，超过上限 20%" in hit.reason
    assert _gates(Settings(raw_dir=settings.raw_dir, max_reject_share=0.95), files, None, _state()) == []


def test_a_fifth_rejected_is_still_allowed(tmp_path: Path) -> None:
    settings = Settings(raw_dir=_pool(tmp_path, "2018-04-30"))
    files = [_loaded(date(2018, 4, 30)), FileRows("training/classes.csv", "classes", None, 10, 8, 2)]
    assert _gates(settings, files, None, _state()) == []


def test_figures_moving_too_far_are_named_with_old_and_new(tmp_path: Path) -> None:
    settings = Settings(raw_dir=_pool(tmp_path, "2018-04-30"))
    old = _state(teams_with_nonparty=36, democratic_party_chairs=7, pool_total=900, fit_rate=82,
                 new_figure=0)
    new = _state(teams_with_nonparty=5, democratic_party_chairs=0, pool_total=1000, fit_rate=None,
                 new_figure=3)
    reasons = [h.reason for h in _gates(settings, [_loaded(date(2018, 4, 30))], old, new)]
    assert reasons == [
        "关键指标“teams_with_nonparty”从 36 变为 5（变动 86%，超过上限 30%）",
        "关键指标“democratic_party_chairs”从 7 变为 0（变动 100%，超过上限 30%）",
        "关键指标“fit_rate”从 82 变为无法计算（—）",
        "关键指标“new_figure”从 0 变为 3（从 0 变为非 0，超过上限 30%）",
    ]
    assert not _gates(Settings(raw_dir=settings.raw_dir, max_figure_change=10.0),
                      [_loaded(date(2018, 4, 30))], old, _state(teams_with_nonparty=5,
                                                               democratic_party_chairs=0,
                                                               pool_total=1000, fit_rate=82,
                                                               new_figure=0))


def test_a_table_emptied_since_the_last_publish(tmp_path: Path) -> None:
    settings = Settings(raw_dir=_pool(tmp_path, "2018-04-30"))
    new = _state()
    new.row_counts["landing.appointments"] = 0
    (hit,) = _gates(settings, [_loaded(date(2018, 4, 30))], _state(), new)
    assert hit.gate == "empty_table" and "landing.appointments" in hit.reason and "5129" in hit.reason
    assert _gates(settings, [_loaded(date(2018, 4, 30))], None, new) == []  # first publish


def test_a_snapshot_named_after_today(tmp_path: Path) -> None:
    settings = Settings(raw_dir=_pool(tmp_path, "2018-04-30", "9999-12-31"))
    files = [_loaded(date(2018, 4, 30)), _loaded(date(9999, 12, 31))]
    (hit,) = _gates(settings, files, None, _state(as_of=date(9999, 12, 31)))
    assert hit.gate == "as_of_future" and "9999-12-31 晚于今天（2026-11-30）" in hit.reason


@pytest.mark.parametrize("newest", ["empty-folder", "xls-only-folder", "header-only-workbook",
                                    "xls-workbook"])
def test_a_newest_snapshot_that_yields_nothing(tmp_path: Path, newest: str) -> None:
    raw = _pool(tmp_path, "2018-04-30")
    files = [_loaded(date(2018, 4, 30))]
    pool = raw / "talent_pool"
    if newest == "empty-folder":
        (pool / "2018-12-31").mkdir()
    elif newest == "xls-only-folder":
        (pool / "2018-12-31").mkdir()
        (pool / "2018-12-31" / "党外知识分子.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    elif newest == "header-only-workbook":
        write_xlsx(pool / "2018-12-31.xlsx", {"党外知识分子": (TALENT_POOL.headers, [])})
        files.append(_loaded(date(2018, 12, 31), rows=0))
    else:
        (pool / "2018-12-31.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert newest_snapshot_name(raw) is not None
    (hit,) = _gates(Settings(raw_dir=raw), files, None, _state())
    assert hit.gate == "newest_snapshot_empty"
    assert "talent_pool/2018-12-31" in hit.reason and "统计截止日期会退回到 2018-04-30" in hit.reason


def test_lock_files_and_hidden_entries_are_not_snapshots(tmp_path: Path) -> None:
    raw = _pool(tmp_path, "2018-04-30")
    (raw / "talent_pool" / "~$2019-01-01.xlsx").write_bytes(b"lock")
    (raw / "talent_pool" / ".2019-02-01.xlsx").write_bytes(b"hidden")
    assert newest_snapshot_name(raw) == ("talent_pool/2018-04-30.xlsx", date(2018, 4, 30))
