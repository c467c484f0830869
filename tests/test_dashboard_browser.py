"""The dashboard as a leader meets it while a refresh runs: ``streamlit run``, headless Chromium.

One test on purpose: starting the server and the browser is the expensive part. While a refresh
runs beside it, it checks that a filter in the URL changes a number and that a click on a bar
filters, then that the refresh, published while the browser is open, shows on reload. Every
page at 1440 and 390 px, its charts drawn and its screenshot, is test_dashboard_screens' (one
pass over the pages, issue 12). Page load times go to ``artifacts/screenshots/timings.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.dashboard_support import (
    CHARTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    copy_warehouse,
    key_figures,
    pool_count,
    published_sample,
    streamlit_server,
)
from warehouse.settings import PROJECT_ROOT, SAMPLE_RAW_DIR

playwright = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip("no Chromium at /usr/bin/chromium", allow_module_level=True)

SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
NEW_TERM_START = "2017-06-01"
# at least n plotly charts, every one of them drawn (its svg holds a trace: bars, a funnel, a heatmap …)
DRAWN = """n => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length >= n && plots.every(p => p.querySelector('.main-svg .trace, .main-svg .hm'));
}"""


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    return published_sample(request)


def _load(page: object, url: str, charts: int = 0) -> float:
    """Open ``url`` and wait until the script has finished and ``charts`` charts are drawn."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_function(DRAWN, arg=charts, timeout=60_000)
    return time.perf_counter() - started


def _card(page: object, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_dashboard_in_a_real_browser(warehouse: Path, tmp_path: Path) -> None:
    served = copy_warehouse(warehouse, tmp_path / "published")
    figures = key_figures(served)
    arranged_label = figures["arranged_since_term"].label
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    refresh: subprocess.Popen[str] | None = None
    with streamlit_server(served, tmp_path / "streamlit.log") as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            timings["overview (first load)"] = _load(page, url, CHARTS["overview"])
            before = _card(page, arranged_label)

            # a refresh with another term start publishes over the served file while we browse
            # (the term start moves 换届以来 figures past the publish gates: accepted on purpose)
            refresh = subprocess.Popen(
                [sys.executable, "-m", "warehouse.cli", "refresh", "--accept", "--raw", str(SAMPLE_RAW_DIR),
                 "--warehouse", str(served), "--term-start", NEW_TERM_START],
                cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

            # a filter in the URL changes a number
            timings["overview ?region=市中区"] = _load(page, f"{url}/?region=市中区", CHARTS["overview"])
            total_label = figures["pool_total"].label
            assert _card(page, total_label) == f"{pool_count(served, '市中区'):,} 人"
            assert _card(page, total_label) != f"{round(figures['pool_total'].value):,} 人"

            # a click on a bar filters the whole dashboard by it, and the URL says so
            _load(page, f"{url}/composition?dim=地区", 1)  # the URL carries the label
            # plotly catches clicks on its drag layer above the bars: click where the first bar is
            page.locator(".js-plotly-plot .bars .point").first.click(force=True)
            page.wait_for_function("() => location.search.includes('region=')", timeout=30_000)
            page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
            assert "region=" in page.url

            # the refresh published while the session was open: a reload shows the new data
            output, _ = refresh.communicate(timeout=240)
            assert refresh.returncode == 0, output
            timings["overview after publish"] = _load(page, url, CHARTS["overview"])
            after = _card(page, arranged_label)
            assert after != before, (before, after)
            assert after == f"{round(key_figures(served)['arranged_since_term'].value):,} 人"
        finally:
            if refresh is not None and refresh.poll() is None:
                refresh.kill()
                refresh.wait()
            browser.close()
    (SCREENSHOTS / "timings.json").write_text(json.dumps({k: round(v, 2) for k, v in timings.items()},
                                                         ensure_ascii=False, indent=2), encoding="utf-8")
    print("page load seconds:", json.dumps(timings, ensure_ascii=False))
