"""``cadres users`` and ``cadres audit`` through the real command line, as a steward types them.

The key steps run ``python -m warehouse.cli`` in a child process; the rest call ``cli.main`` in
this process (the same parser and handlers) because each child pays the package's import time.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from warehouse.settings import PROJECT_ROOT

PASSWORD = "Spring-Festival-2026"


def cadres(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "warehouse.cli", *args], cwd=PROJECT_ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120, env={**os.environ, **env})


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"CADRES_USERS_FILE": str(tmp_path / "accounts" / "users.json")}


@pytest.fixture
def run(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``cadres ARGS`` in this process, with ``stdin`` as a pipe; returns what a child would."""
    from warehouse.cli import main

    monkeypatch.setenv("CADRES_USERS_FILE", env["CADRES_USERS_FILE"])

    def run_main(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            code = main(list(args))
        except SystemExit as stop:
            code = int(stop.code or 0)
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, captured.out, captured.err)

    return run_main


def assert_one_chinese_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_a_steward_adds_lists_changes_and_removes_accounts(env: dict[str, str], run: Run) -> None:
    users_file = Path(env["CADRES_USERS_FILE"])
    added = cadres(env, "users", "add", "shizhong01", "--role", "区县", "--region", "市中区", "--password-stdin",
                   stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "已添加用户 shizhong01（区县·市中区）" in added.stdout
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    # a pipe is not a terminal: the password is read from it even without --password-stdin
    assert cadres(env, "users", "add", "analyst01", "--role", "analyst", stdin=PASSWORD + "\n").returncode == 0

    listed = cadres(env, "users", "list")
    assert listed.returncode == 0
    assert "shizhong01" in listed.stdout and "区县" in listed.stdout and "市中区" in listed.stdout
    assert "analyst01" in listed.stdout and "分析员" in listed.stdout and "共 2 个用户" in listed.stdout
    assert "argon2" not in listed.stdout and PASSWORD not in listed.stdout
    rows = json.loads(run("users", "list", "--json").stdout)
    assert [(r["name"], r["role"], r["region"], r["locked"]) for r in rows] == [
        ("analyst01", "analyst", None, False), ("shizhong01", "county", "市中区", False)]
    assert not any("hash" in row for row in rows)

    old_hash = json.loads(users_file.read_text())["users"]["analyst01"]["hash"]
    changed = run("users", "passwd", "analyst01", "--password-stdin", stdin="Another-Password-1\n")
    assert changed.returncode == 0 and "已修改" in changed.stdout
    assert json.loads(users_file.read_text())["users"]["analyst01"]["hash"] != old_hash

    removed = run("users", "remove", "analyst01")
    assert removed.returncode == 0 and "已删除用户 analyst01" in removed.stdout
    assert "analyst01" not in run("users", "list").stdout

    events = json.loads(run("audit", "--json").stdout)
    assert [(e["event"], e["user"]) for e in events] == [
        ("user_added", "shizhong01"), ("user_added", "analyst01"), ("password_changed", "analyst01"),
        ("user_removed", "analyst01")]
    log_text = (users_file.parent / "audit.jsonl").read_text(encoding="utf-8")
    assert PASSWORD not in log_text and "Another-Password-1" not in log_text

    table = run("audit")
    assert table.returncode == 0 and "新增用户" in table.stdout and "共 4 条" in table.stdout
    exported = list(csv.reader(io.StringIO(run("audit", "--csv").stdout)))
    assert exported[0][:4] == ["时间（北京时间）", "事件", "事件代码", "用户"] and len(exported) == 5
    assert "没有记录" in run("audit", "--since", "2999-01-01").stdout

    log = users_file.parent / "audit.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")  # someone deletes line 2
    tampered = run("audit")
    assert tampered.returncode == 0 and "共 3 条" in tampered.stdout
    assert "第 2 行" in tampered.stderr and "可能被改动或删除" in tampered.stderr


@pytest.mark.parametrize(("args", "stdin", "fragments"), [
    (("users", "add", "county01", "--role", "区县"), PASSWORD, ("--region", "市中区")),
    (("users", "add", "county01", "--role", "区县", "--region", "火星区"), PASSWORD, ("未知地区", "火星区")),
    (("users", "add", "county01", "--role", "boss"), PASSWORD, ("未知角色", "数据管理员")),
    (("users", "add", "王小明", "--role", "领导"), PASSWORD, ("用户名",)),
    (("users", "add", "leader01", "--role", "领导"), "short", ("密码太短",)),
    (("users", "add", "leader01", "--role", "领导"), "", ("没有读到密码",)),
    (("users", "remove", "nobody"), "", ("没有用户",)),
    (("users", "passwd", "nobody"), PASSWORD, ("没有用户",)),
    (("audit", "--since", "yesterday"), "", ("YYYY-MM-DD",)),
])
def test_mistakes_get_one_chinese_line_and_change_nothing(
        env: dict[str, str], run: Run, args: tuple[str, ...], stdin: str, fragments: tuple[str, ...]) -> None:
    assert_one_chinese_error(run(*args, stdin=stdin + "\n" if stdin else ""), *fragments)
    assert not Path(env["CADRES_USERS_FILE"]).exists()


def test_a_users_file_others_can_read_is_refused(env: dict[str, str], run: Run) -> None:
    assert run("users", "add", "leader01", "--role", "领导", stdin=PASSWORD + "\n").returncode == 0
    Path(env["CADRES_USERS_FILE"]).chmod(0o644)
    assert_one_chinese_error(run("users", "list"), "权限过宽", "chmod 600")


def test_the_dashboard_is_not_served_beyond_this_machine_without_accounts(env: dict[str, str]) -> None:
    refused = cadres(env, "dashboard", "--address", "0.0.0.0", "--warehouse", "/nonexistent/cadres.duckdb")
    assert_one_chinese_error(refused, "尚未配置任何账号", "0.0.0.0", "cadres users add")


@pytest.mark.parametrize(("args", "expected"), [
    (("users", "add", "leader01"), "错误：缺少参数 --role；用法见 cadres users add --help"),
    (("users", "frob"), "错误：不认识“frob”（可选：{add,list,remove,passwd,unlock}）；用法见 cadres users --help"),
])
def test_usage_mistakes_are_one_chinese_line_too(run: Run, args: tuple[str, ...], expected: str) -> None:
    result = run(*args)
    assert result.returncode == 2 and result.stderr.strip() == expected
