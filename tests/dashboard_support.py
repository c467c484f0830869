"""Shared helpers of the dashboard tests: a real published warehouse, its metric layer, a server.

The warehouse is the session's ``sample_warehouse`` fixture (``tests/conftest.py``): one real
``cadres refresh`` of the bundled sample (``seeds/raw``) for the whole test run.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import duckdb
import pytest

from warehouse.launch import streamlit_command
from warehouse.personal.store import store_path
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import Figure
from warehouse.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

DASHBOARD_DIR = PROJECT_ROOT / "dashboard"
APP = DASHBOARD_DIR / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium, headless as root, with nothing reaching for the (closed) network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGES = ("overview", "composition", "trends", "teams", "training", "explore", "quality")
# plotly charts each page draws on the sample, city-wide (at least)
CHARTS = {"overview": 2, "composition": 1, "trends": 5, "teams": 4, "training": 3, "explore": 1, "quality": 1}


def copy_warehouse(source: Path, folder: Path) -> Path:
    """A private copy under the same file name (dbt's views name the catalog after the stem)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copy2(source, target)
    store = store_path(source)
    if store.exists():  # the restricted store (0600, kept by copy2) goes with its warehouse
        shutil.copy2(store, store_path(target))
    return target


def key_figures(warehouse: Path, scope: Scope | None = None) -> dict[str, Figure]:
    """figure_id → the key figure at ``scope`` (latest snapshot, whole city by default), from the
    metric layer as ``cadres figures`` reads it."""
    with open_reader(warehouse) as reader:
        return {f.figure_id: f for f in reader.figures(scope or Scope())}


def page_metrics(page: Path) -> tuple[str, ...] | None:
    """A page's ``METRICS`` (the metrics it shows), evaluated from its module-level constants
    without running the page."""
    from dashboard import charts, filters, labels, metrics

    namespace: dict[str, object] = {"labels": labels, "charts": charts, "filters": filters, "metrics": metrics}
    for node in ast.parse(page.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
            with contextlib.suppress(Exception):  # a constant built from something not loaded here
                exec(compile(ast.Module([node], []), str(page), "exec"), namespace)
    found = namespace.get("METRICS")
    return tuple(found) if isinstance(found, tuple) else None


def accounts_env(folder: Path, name: str, password: str, more_names: Sequence[str] = ()) -> dict[str, str]:
    """A users file with a leader account (cheap hashes) for ``name`` and each of ``more_names``,
    all with ``password``, and the variables that point at it."""
    from argon2 import PasswordHasher

    from warehouse.accounts import Role, UserStore

    folder.mkdir(parents=True, exist_ok=True)
    store = UserStore(folder / "users.json", hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    for leader in (name, *more_names):
        store.add(leader, Role.LEADER, None, password)
    return {"CADRES_USERS_FILE": str(folder / "users.json"), "CADRES_SIGNIN_STATE": str(folder / "state.json"),
            "CADRES_AUDIT_LOG": str(folder / "audit.jsonl")}


def sign_in_in_browser(page: object, name: str, password: str) -> None:
    """Fill the sign-in form when it is shown (a new browser session: a load or a reload)."""
    from dashboard import signin

    # either the form, or a page already signed in (its title, which the form never has)
    page.wait_for_selector('input[type="password"], [data-testid="stSidebarNav"]', timeout=60_000)
    field = page.get_by_label(signin.NAME_LABEL)
    if field.count():
        field.fill(name)
        page.get_by_label(signin.PASSWORD_LABEL).fill(password)
        page.get_by_role("button", name=signin.SUBMIT_LABEL).click()
        page.get_by_label(signin.PASSWORD_LABEL).wait_for(state="detached", timeout=60_000)
        page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)


def pool_count(warehouse: Path, region: str) -> int:
    """Persons of the latest snapshot in one region: what a ``?region=`` link must show."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select count(*) from main.fct_pool_person_snapshot where is_latest_snapshot and region_name = ?",
            [region]).fetchone()[0]


def published_sample(request: pytest.FixtureRequest) -> Path:
    """The session's sample warehouse, published by a real refresh; treat it as read-only."""
    return request.getfixturevalue("sample_warehouse")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def streamlit_process(warehouse: Path, log: Path, env: dict[str, str] | None = None, *,
                      code_root: Path = PROJECT_ROOT, extra: tuple[str, ...] = (),
                      startup_seconds: float = 60) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``streamlit run`` of ``code_root``'s dashboard as ``cadres dashboard`` starts it
    (``warehouse.launch.streamlit_command``) on loopback, once it answers its health check;
    (url, process). Always stopped at the end. The benchmarks start other checkouts with it."""
    port = free_port()
    dashboard = code_root / "dashboard"
    command = [*streamlit_command(port, "127.0.0.1", dashboard), *extra]
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(command, cwd=dashboard,
                                  env={**os.environ, "CADRES_WAREHOUSE": str(warehouse), **(env or {})},
                                  stdout=output, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + startup_seconds
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("streamlit did not start: " + log.read_text(encoding="utf-8")) from None
                    time.sleep(0.2)
            yield url, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@contextlib.contextmanager
def streamlit_server(warehouse: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The dashboard served for a test, with Streamlit's full error details in the page."""
    with streamlit_process(warehouse, log, env, extra=("--client.showErrorDetails", "full")) as (url, _):
        yield url


# --- clicking a chart as the browser reports it (AppTest) -----------------------------------------

Pick = Callable[[dict[str, Any], list[Any], Any], bool]


def chart_element(at: AppTest, prefix: str) -> Any:
    """The first Plotly chart whose widget key starts with ``prefix``."""
    found = [c for c in at.get("plotly_chart") if (c.key or "").startswith(prefix)]
    assert found, [c.key for c in at.get("plotly_chart")]
    return found[0]


def click(at: AppTest, prefix: str, pick: Pick) -> float:
    """Click the first bar of chart ``prefix`` that ``pick(trace, customdata, number)`` accepts,
    as the browser reports it; returns the bar's drawn number (NaN for a heatmap's cell)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    chart = chart_element(at, prefix)
    figure = json.loads(chart.proto.spec)
    for curve, trace in enumerate(figure["data"]):
        horizontal = trace.get("orientation") == "h" or trace.get("type") == "funnel"
        for index, items in enumerate(trace.get("customdata") or []):
            x, y = trace["x"][index], trace["y"][index]
            number = x if horizontal else y
            if not pick(trace, items, number):
                continue
            point = {"curve_number": curve, "point_number": index, "point_index": index, "x": x, "y": y,
                     "customdata": items, "legendgroup": trace.get("legendgroup", "")}
            state = {"selection": {"points": [point], "point_indices": [index], "box": [], "lasso": []}}
            widgets = at._tree.get_widget_states()
            widgets.widgets.append(WidgetState(id=chart.proto.id, string_value=json.dumps(state)))
            at._run(widgets)
            assert not at.exception, [e.value for e in at.exception]
            return float(number) if isinstance(number, int | float) else float("nan")
    raise AssertionError(f"no bar of {prefix} matches")


def people_links(at: AppTest) -> dict[str, dict[str, list[str]]]:
    """Every link to 人员名单 on the page: its label → its parameters."""
    return {link.proto.label: parse_qs(link.proto.query_string) for link in at.get("page_link")
            if link.proto.page == "people"}
