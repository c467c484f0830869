"""Refreshes published under a running dashboard: no request fails, every reload is current.

The server runs on loopback with two browser sessions open and a bounded loop of HTTP
requests going on in the background. The first publish is a real ``cadres refresh`` onto the
served file (a sample without its last snapshot: as-of 2017-12-31); then four more publishes
swap the two finished warehouses in, each way twice, with the same locked ``publish`` a refresh
uses. (Three sessions and ten swaps were 36 signed-in page loads, the suite's longest test;
two sessions and four swaps still publish each way twice under open sessions: issue 12.) After
each publish every session reloads and must show the new as-of date with no error element,
and the server log must hold no lock or I/O error.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from dashboard import labels
from tests.dashboard_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    accounts_env,
    copy_warehouse,
    published_sample,
    sign_in_in_browser,
    streamlit_server,
)
from warehouse.publish import build_file, publish, refresh_lock
from warehouse.settings import PROJECT_ROOT, SAMPLE_RAW_DIR

playwright = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip("no Chromium at /usr/bin/chromium", allow_module_level=True)

SESSIONS = 2
LEADER, PASSWORD = "leader01", "correct-horse-battery"
SWAPS = 4
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
BAD_LOG_WORDS = ("Traceback", "IO Error", "Could not set lock", "lock on file")


class RequestLoop:
    """A bounded loop of plain HTTP requests on loopback, counting failures, until stopped."""

    def __init__(self, url: str, limit: int = 5000) -> None:
        self.url, self.limit = url, limit
        self.sent = 0
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        paths = ("/", "/_stcore/health", "/teams", "/composition")
        while not self._stop.is_set() and self.sent < self.limit:
            path = paths[self.sent % len(paths)]
            self.sent += 1
            try:
                with urllib.request.urlopen(self.url + path, timeout=10) as response:
                    if response.status != 200:
                        self.failures.append(f"{path}: {response.status}")
            except OSError as error:
                self.failures.append(f"{path}: {error}")
            self._stop.wait(0.05)

    def __enter__(self) -> RequestLoop:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=15)


def _swap_in(finished: Path, served: Path) -> None:
    """Publish a finished warehouse over the served one, exactly as a refresh's last step."""
    with refresh_lock(served, wait=True):
        built = build_file(served)
        built.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(finished, built)
        publish(built, served)


def _shows_as_of(page: object, as_of: str) -> None:
    page.reload()
    sign_in_in_browser(page, LEADER, PASSWORD)  # a reload is a new session: real data needs an account
    page.get_by_text(f"统计截止日期：{as_of}").first.wait_for(timeout=30_000)
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).first.inner_text()


def test_publishes_under_a_live_dashboard(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    sample = published_sample(request)
    served = copy_warehouse(sample, tmp_path / "published")
    older_raw = tmp_path / "raw-2017"
    shutil.copytree(SAMPLE_RAW_DIR, older_raw)
    (older_raw / "talent_pool" / "2018-04-30.xlsx").unlink()
    log = tmp_path / "streamlit.log"
    env = accounts_env(tmp_path / "accounts", LEADER, PASSWORD)
    with streamlit_server(served, log, env) as url, RequestLoop(url) as loop, \
            playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pages = [browser.new_context(locale="zh-CN").new_page() for _ in range(SESSIONS)]
            # the second session follows a link to a page with a filter before signing in
            for page, address in zip(pages, (url, f"{url}/teams?region=市中区"), strict=True):
                page.goto(address)
                sign_in_in_browser(page, LEADER, PASSWORD)
                page.get_by_text("统计截止日期：2018-04-30").first.wait_for(timeout=60_000)
            # after 登录 the link's own page, its filter kept (not 总览 at /)
            assert pages[1].locator("h1").first.inner_text() == labels.PAGES["teams"][0]
            assert "/teams?region=" in pages[1].url, pages[1].url

            refresh = subprocess.run(
                # without the newest snapshot the figures move past the publish gates: accept
                [sys.executable, "-m", "warehouse.cli", "refresh", "--accept", "--raw", str(older_raw),
                 "--warehouse", str(served)],
                cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
            assert refresh.returncode == 0, refresh.stderr
            older = copy_warehouse(served, tmp_path / "older")
            for page in pages:
                _shows_as_of(page, "2017-12-31")  # a reload of the link signs in to its page again

            finished = {"2018-04-30": sample, "2017-12-31": older}
            for swap in range(SWAPS):
                as_of = "2018-04-30" if swap % 2 == 0 else "2017-12-31"
                _swap_in(finished[as_of], served)
                for page in pages:
                    _shows_as_of(page, as_of)
        finally:
            browser.close()
    server_log = log.read_text(encoding="utf-8")
    assert loop.sent > 0 and loop.failures == [], loop.failures[:5]
    assert not [word for word in BAD_LOG_WORDS if word in server_log], server_log[-2000:]
    print(f"publishes: {SWAPS + 1} (1 real refresh), sessions: {SESSIONS}, "
          f"reloads: {(SWAPS + 1) * SESSIONS}, background requests: {loop.sent}, failures: 0")
