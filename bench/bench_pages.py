"""How long a dashboard page takes in a real browser: cold, after a filter change, 20 at once.

Usage::

    python bench/bench_pages.py --scale 1=/tmp/pages1/cadres.duckdb --scale 300=/tmp/pages300/cadres.duckdb \\
        [--code before=/tmp/base --code after=.] [--repeat 3] [--pages overview teams …] \\
        [--sessions 20 --sessions-scale 100=/tmp/pages100/cadres.duckdb] [--json out.json]

A real ``streamlit run`` of ``dashboard/app.py`` on loopback (as ``cadres dashboard`` starts
it) and Debian's headless Chromium driven by Playwright. ``--code NAME=ROOT`` runs another
checkout's dashboard (e.g. ``git archive`` of an older commit) with the same Python, so a
before/after pair is measured in the same run, interleaved round by round. A warehouse not
refreshed from the bundled sample needs an account: a throwaway 领导 account is made in a
temporary users file and the sign-in form is filled (its time counts in the cold figure).

**Fully rendered** (what every figure waits for, polled at each animation frame):

* the script has run since the navigation or the click (a ``running`` state was seen) and
  Streamlit's status is idle again (``data-test-script-state="notRunning"``);
* no element is stale (``data-stale="true"``, greyed from a previous run) and no skeleton is
  shown (``stSkeleton``/``stAppSkeleton``);
* the page has its title (``h1``), and at least as many Plotly charts, tables and Vega charts as
  the same page had on the untimed warm-up visit; every Plotly chart has a trace drawn in its
  SVG, every table its canvas, every Vega chart (the cards' sparklines) its canvas or SVG;
* after a filter change, the page's header names the chosen region.

The time is the browser's own clock (``performance.now()``, zero at the navigation's start;
for a filter change, from just before the click on the region). Each cold load is a new
browser context: no cached assets, a new websocket, a new session. The server is warm (one
untimed visit of every page first), as for a leader who is not the first visitor since a
publish. The breakdown of a cold load comes from the same page: the HTML and the main bundle
(``DOMContentLoaded``), the websocket opening, the script's first run starting, the last run
ending, Plotly's bundle arriving, the first chart drawn; ``runs`` counts the script runs seen
(``running`` → ``notRunning``), so a needless rerun shows.

The concurrency run opens ``--sessions`` browser contexts at once on one server (one
Chromium), each signing in with an account of its own and visiting ``--visits`` pages in turn
(the first by its address, the others by the sidebar's links) with one filter change,
then stops: a bounded loop. It reports every page time's median and p95, the server's
resident memory (sampled every 0.2 s) and every error: a timeout, an error element on the
page, an HTTP status ≥ 400, a traceback in the server log. Streamlit's own base-path probes
(``/teams/_stcore/health`` answered 404, see ``base_path_probe``) are counted apart: the front
end asks them of every page address and expects the refusal.

Prints figures; asserts nothing. Note the load average: on a shared machine every time here is
inflated.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.labels import FILTER_ACTIVE  # noqa: E402
from dashboard.labels import FILTER_REGION as REGION_LABEL  # noqa: E402
from tests.dashboard_support import CHROMIUM, CHROMIUM_ARGS, PAGES, accounts_env, streamlit_process  # noqa: E402

NAME, PASSWORD = "bench_leader", "bench-leader-password"
TIMEOUT_MS = 120_000
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'

# Recorded in every page before its own scripts run: script-state changes, the websocket.
INIT_SCRIPT = """
(() => {
  const bench = window.__bench = {events: [], last: null};
  const mark = name => bench.events.push([name, performance.now()]);
  const watch = () => {
    const el = document.querySelector('[data-test-script-state]');
    const state = el && el.getAttribute('data-test-script-state');
    if (state && state !== bench.last) { bench.last = state; mark('script:' + state); }
  };
  new MutationObserver(watch).observe(document, {subtree: true, childList: true, attributes: true,
                                                 attributeFilter: ['data-test-script-state']});
  const Native = window.WebSocket;
  const Wrapped = function (...args) {
    const socket = new Native(...args);
    mark('ws:new');
    socket.addEventListener('open', () => mark('ws:open'));
    socket.addEventListener('message', () => { if (!bench.message) { bench.message = 1; mark('ws:message'); } });
    return socket;
  };
  Wrapped.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Wrapped[k] = Native[k];
  window.WebSocket = Wrapped;
})();
"""

# What is on the page once settled (learned on the warm-up visit).
INVENTORY = """() => ({
  plotly: document.querySelectorAll('.js-plotly-plot').length,
  tables: document.querySelectorAll('[data-testid="stDataFrame"]').length,
  vega: document.querySelectorAll('.vega-embed').length,
  elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
})"""

# Why the page is not fully rendered yet (see the module docstring), or "" once it is.
NOT_RENDERED = """([want, since, needle]) => {
  const bench = window.__bench;
  if (!bench.events.some(([name, t]) => name === 'script:running' && t >= since)) return 'no run yet';
  const status = document.querySelector('[data-test-script-state]');
  if (!status || status.getAttribute('data-test-script-state') !== 'notRunning') return 'script running';
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"], [data-testid="stAppSkeleton"]'))
    return 'stale or skeleton';
  if (!document.querySelector('h1')) return 'no title';
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (plots.length < want.plotly || !plots.every(p => p.querySelector('.main-svg .trace, .main-svg .hm')))
    return 'plotly ' + plots.length + '/' + want.plotly;
  const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
  if (tables.length < want.tables || !tables.every(t => t.querySelector('canvas')))
    return 'tables ' + tables.length + '/' + want.tables;
  const vega = [...document.querySelectorAll('.vega-embed')];
  if (vega.length < want.vega || !vega.every(v => v.querySelector('canvas, svg')))
    return 'vega ' + vega.length + '/' + want.vega;
  if (needle) {
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main || !main.innerText.includes(needle)) return 'no ' + needle;
  }
  return '';
}"""
RENDERED = "(args) => (" + NOT_RENDERED + ")(args) === '' && performance.now()"

BREAKDOWN = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const plotly = performance.getEntriesByType('resource').find(r => r.name.includes('PlotlyChart'));
  const bytes = performance.getEntriesByType('resource').reduce((s, r) => s + (r.encodedBodySize || 0), 0);
  const first = name => { const e = window.__bench.events.find(([n]) => n === name); return e ? e[1] : null; };
  const last = name => { const e = window.__bench.events.filter(([n]) => n === name).pop(); return e ? e[1] : null; };
  return {dom: nav ? nav.domContentLoadedEventEnd : null, ws_open: first('ws:open'), first_message: first('ws:message'),
          first_run: first('script:running'), last_run_end: last('script:notRunning'),
          plotly_bundle: plotly ? plotly.responseEnd : null, asset_bytes: bytes,
          runs: window.__bench.events.filter(([n]) => n === 'script:running').length};
}"""


@dataclass
class Load:
    """One timed visit (cold) or filter change, seconds."""

    code: str
    scale: str
    page: str
    kind: str  # "cold" or "filter"
    seconds: float | None
    error: str | None = None
    detail: dict[str, float | int | None] = field(default_factory=dict)


# --- server -------------------------------------------------------------------------------------

def leader_name(index: int) -> str:
    """The throwaway account of session ``index`` (0: the page benchmark's own)."""
    return NAME if index == 0 else f"{NAME}_{index}"


@contextlib.contextmanager
def server(code_root: Path, warehouse: Path, folder: Path, *, sample: bool,
           leaders: int = 1) -> Iterator[tuple[str, int]]:
    """``streamlit run`` of ``code_root``'s dashboard on ``warehouse``; (url, pid).

    ``leaders`` accounts, one per concurrent session: the sign-in counts an attempt against its
    name until the password is checked, so two sessions signing in at the same moment under one
    name are told to wait, as two guesses would be (``warehouse/accounts/authenticate.py``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    if sample:  # no account: the bundled sample opens in 演示数据 mode
        env = {"CADRES_USERS_FILE": str(folder / "no-users.json"), "CADRES_SIGNIN_STATE": str(folder / "state.json"),
               "CADRES_AUDIT_LOG": str(folder / "audit.jsonl")}
    else:
        env = accounts_env(folder, NAME, PASSWORD, [leader_name(index) for index in range(1, leaders)])
    environment = {**env, "PYTHONPATH": os.pathsep.join([str(code_root), os.environ.get("PYTHONPATH", "")])}
    with streamlit_process(warehouse, folder / "streamlit.log", environment, code_root=code_root,
                           startup_seconds=120) as (url, process):
        yield url, process.pid


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and its children (Linux ``/proc``)."""
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for one in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


class MemorySampler:
    """The server's resident memory every 0.2 s, in a thread, until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.samples = pid, [rss_bytes(pid)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.samples.append(rss_bytes(self.pid))

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


# --- browser ------------------------------------------------------------------------------------

def page_url(url: str, name: str) -> str:
    return url + ("/" if name == "overview" else f"/{name}")


async def sign_in_if_asked(page: Page, name: str = NAME) -> float:
    """Fill the sign-in form when shown (a new browser session on a warehouse with accounts);
    the page's clock just before 登录 is pressed (0 without a form): the page's run starts after."""
    await page.wait_for_selector('input[type="password"], [data-testid="stSidebarNav"]', timeout=TIMEOUT_MS)
    if not await page.locator('input[type="password"]').count():
        return 0.0
    await page.get_by_label("用户名").fill(name)
    await page.get_by_label("密码").fill(PASSWORD)
    pressed = await page.evaluate("() => performance.now()")
    await page.get_by_role("button", name="登录").click()
    return float(pressed)


async def wait_rendered(page: Page, want: dict[str, int], since: float, needle: str | None = None) -> float:
    try:
        handle = await page.wait_for_function(RENDERED, arg=[want, since, needle], timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        reason = await page.evaluate(NOT_RENDERED, [want, since, needle])
        raise PlaywrightTimeout(f"not rendered after {TIMEOUT_MS / 1000:.0f} s: {reason}") from None
    return float(await handle.json_value())


async def errors_on(page: Page) -> list[str]:
    return await page.locator(ERRORS).all_inner_texts()


async def new_page(browser: Browser) -> Page:
    context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    await context.add_init_script(INIT_SCRIPT)
    return await context.new_page()


async def cold_visit(browser: Browser, url: str, want: dict[str, int]) -> tuple[Page, float, dict]:
    """A page opened in a new browser context until fully rendered; the page stays open."""
    page = await new_page(browser)
    await page.goto(url, wait_until="commit")
    rendered = await wait_rendered(page, want, await sign_in_if_asked(page))
    detail = await page.evaluate(BREAKDOWN)
    detail["elements"] = (await page.evaluate(INVENTORY))["elements"]
    return page, rendered / 1000, detail


async def pick_region(page: Page, choice: int) -> str:
    """Open the sidebar's 地区 filter and click its ``choice``-th region (not 全选); its name."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    await box.click()
    option = page.locator('[role="listbox"] [role="option"]:not([data-key^="__"])').nth(choice)
    value = (await option.inner_text()).strip()
    await option.click()
    await page.keyboard.press("Escape")
    return value


async def change_region(page: Page, want: dict[str, int], choice: int = 0) -> tuple[float, dict]:
    """Pick one region in the sidebar's 地区 filter; seconds from the click to fully rendered."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    await box.click()
    option = page.locator('[role="listbox"] [role="option"]:not([data-key^="__"])').nth(choice)
    value = (await option.inner_text()).strip()
    before = await page.evaluate("() => window.__bench.events.length")
    started = await page.evaluate("() => performance.now()")
    await option.click()
    rendered = await wait_rendered(page, want, started, f"{FILTER_ACTIVE}{REGION_LABEL}：{value}")
    runs = await page.evaluate(f"() => window.__bench.events.slice({before})"
                               ".filter(([n]) => n === 'script:running').length")
    await page.keyboard.press("Escape")
    return (rendered - started) / 1000, {"runs": runs}


async def settled(page: Page, since: float) -> dict[str, int]:
    """What the page holds once the script has ended and its charts had time to draw."""
    nothing = {"plotly": 0, "tables": 0, "vega": 0}
    await wait_rendered(page, nothing, since)
    await page.wait_for_timeout(2500)  # charts that draw after the script ends
    await wait_rendered(page, nothing, since)
    found = await page.evaluate(INVENTORY)
    return {k: found[k] for k in nothing}


async def learn(browser: Browser, url: str, pages: list[str]) -> dict[str, dict[str, dict[str, int]]]:
    """The untimed warm-up: every page once, then with a region chosen (server caches warm),
    and what each one holds: ``{page: {"cold": …, "filter": …}}``."""
    wants: dict[str, dict[str, dict[str, int]]] = {}
    for name in pages:
        page = await new_page(browser)
        await page.goto(page_url(url, name), wait_until="commit")
        wants[name] = {"cold": await settled(page, await sign_in_if_asked(page))}
        since = await page.evaluate("() => performance.now()")
        await pick_region(page, 0)
        wants[name]["filter"] = await settled(page, since)
        await page.context.close()
    return wants


async def measure_pages(browser: Browser, code: str, scale: str, url: str, pages: list[str],
                        wants: dict[str, dict[str, dict[str, int]]]) -> list[Load]:
    loads: list[Load] = []
    for name in pages:
        try:
            page, seconds, detail = await cold_visit(browser, page_url(url, name), wants[name]["cold"])
            problems = await errors_on(page)
            loads.append(Load(code, scale, name, "cold", seconds, "; ".join(problems) or None, detail))
            seconds, detail = await change_region(page, wants[name]["filter"])
            problems = await errors_on(page)
            loads.append(Load(code, scale, name, "filter", seconds, "; ".join(problems) or None, detail))
            await page.context.close()
        except Exception as error:  # a timeout is a figure too: reported, not fatal
            loads.append(Load(code, scale, name, "cold", None, f"{type(error).__name__}: {str(error)[:200]}"))
    return loads


def base_path_probe(root: str, address: str) -> bool:
    """A 404 that is Streamlit's answer, not an error: its front end also asks for
    ``_stcore/health`` and ``_stcore/host-config`` under the page's own path (``/teams/…``), in
    case the app is served below a base path, and falls back to the root when refused."""
    path = address.removeprefix(root)
    return path.endswith(("/_stcore/health", "/_stcore/host-config")) and not path.startswith("/_stcore/")


async def one_session(browser: Browser, url: str, pages: list[str], wants: dict[str, dict[str, dict[str, int]]],
                      index: int, times: list[float], errors: list[str], probes: list[str]) -> None:
    """One leader with an account of their own: opens the first of ``pages`` by its address and
    signs in, goes on to the others by the sidebar's links (as a leader does: the same session,
    no second sign-in), changes the region once."""
    page = await new_page(browser)
    page.on("response", lambda r: (probes if base_path_probe(url, r.url) else errors).append(
        f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    try:
        for number, name in enumerate(pages):
            started = time.perf_counter()
            if number == 0:
                await page.goto(page_url(url, name), wait_until="commit")
                since = await sign_in_if_asked(page, leader_name(index))
            else:
                link = page.locator(f'[data-testid="stSidebarNav"] a[href="{page_url(url, name)}"]')
                since = await page.evaluate("() => performance.now()")
                await link.click()
            await wait_rendered(page, wants[name]["cold"], since)
            times.append(time.perf_counter() - started)
            errors.extend(f"session {index} {name}: {e}" for e in await errors_on(page))
        seconds, _ = await change_region(page, wants[pages[-1]]["filter"], choice=0)
        times.append(seconds)
        errors.extend(f"session {index} filter: {e}" for e in await errors_on(page))
    except Exception as error:
        state = ""
        with contextlib.suppress(Exception):
            state = await page.evaluate("() => JSON.stringify([window.__bench.events, location.href,"
                                        " document.body.innerText.slice(0, 120)])")
        errors.append(f"session {index}: {type(error).__name__}: {str(error)[:200]} {state}")
    finally:
        await page.context.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def concurrency(code_root: Path, warehouse: Path, folder: Path, sessions: int, visits: list[str],
                      sample: bool) -> dict[str, object]:
    with server(code_root, warehouse, folder, sample=sample, leaders=sessions) as (url, pid):
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                wants = await learn(browser, url, sorted(set(visits)))
                times: list[float] = []
                errors: list[str] = []
                probes: list[str] = []
                idle = rss_bytes(pid)
                started = time.perf_counter()
                with MemorySampler(pid) as memory:
                    await asyncio.gather(*(one_session(browser, url, visits, wants, i, times, errors, probes)
                                           for i in range(sessions)))
                wall = time.perf_counter() - started
            finally:
                await browser.close()
        log = (folder / "streamlit.log").read_text(encoding="utf-8")
    errors += [f"server log: {line}" for line in log.splitlines() if "Traceback" in line]
    return {"sessions": sessions, "visits": visits, "page_loads": len(times), "wall": wall,
            "median": statistics.median(times) if times else None, "p95": percentile(times, 0.95) if times else None,
            "max": max(times) if times else None, "rss_idle": idle, "rss_peak": max(memory.samples),
            "errors": errors, "base_path_probes": len(probes)}


async def run(args: argparse.Namespace) -> dict[str, object]:
    codes = dict(item.split("=", 1) for item in args.code) if args.code else {"this": str(ROOT)}
    scales = dict(item.split("=", 1) for item in args.scale)
    loads: list[Load] = []
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    results: dict[str, object] = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                  "load_start": os.getloadavg()}
    if scales:
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                servers: dict[tuple[str, str], tuple[str, dict]] = {}
                with contextlib.ExitStack() as stack:
                    for code, root in codes.items():
                        for scale, warehouse in scales.items():
                            url, _ = stack.enter_context(server(Path(root).resolve(), Path(warehouse),
                                                                workdir / f"{code}-{scale}",
                                                                sample=scale in args.sample))
                            print(f"warming {code} at scale {scale} …", flush=True)
                            servers[(code, scale)] = (url, await learn(browser, url, args.pages))
                    for round_number in range(1, args.repeat + 1):
                        for (code, scale), (url, wants) in servers.items():
                            found = await measure_pages(browser, code, scale, url, args.pages, wants)
                            for load in found:
                                shown = "—" if load.seconds is None else f"{load.seconds:.2f} s"
                                print(f"round {round_number} {code} scale {scale} {load.page} {load.kind}: {shown}"
                                      f" {load.detail if load.kind == 'cold' else load.detail.get('runs')}"
                                      f"{' ERROR ' + load.error if load.error else ''}", flush=True)
                            loads += found
            finally:
                await browser.close()
    results["loads"] = [asdict(load) for load in loads]
    results["medians"] = page_medians(results["loads"])
    if args.sessions:
        scale, warehouse = args.sessions_scale.split("=", 1)
        code_root = Path(codes[args.sessions_code] if args.sessions_code else next(iter(codes.values())))
        print(f"{args.sessions} sessions at scale {scale} …", flush=True)
        results["concurrency"] = {"scale": scale, "load_before": os.getloadavg(),
                                  **await concurrency(code_root.resolve(), Path(warehouse), workdir / "sessions",
                                                      args.sessions, args.visits, scale in args.sample)}
    results["load_end"] = os.getloadavg()
    return results


BREAKDOWN_KEYS = ("dom", "ws_open", "first_run", "last_run_end", "plotly_bundle", "elements", "asset_bytes")


def page_medians(loads: list[dict]) -> list[dict[str, object]]:
    """Per code, scale and page, in the order measured: the median seconds of a cold load and of
    a filter change (``None`` when none finished) and how many finished, the script runs of each
    load and the elements of each cold one, the loads with an error, and the median of every part
    of the cold breakdown (``breakdown`` is ``None`` when no cold load finished). Written to the
    JSON, so ``bench/run.py`` prints what :func:`summary` prints."""
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for load in loads:
        groups.setdefault((load["code"], load["scale"], load["page"]), []).append(load)
    found = []
    for (code, scale, page), group in groups.items():
        seconds = {kind: [x["seconds"] for x in group if x["kind"] == kind and x["seconds"] is not None]
                   for kind in ("cold", "filter")}
        details = {kind: [x["detail"] for x in group if x["kind"] == kind and x["detail"]]
                   for kind in ("cold", "filter")}
        breakdown = {key: statistics.median(values) if (values := [d[key] for d in details["cold"]
                                                                    if d.get(key) is not None]) else None
                     for key in BREAKDOWN_KEYS}
        found.append({"code": code, "scale": scale, "page": page,
                      **{kind: statistics.median(values) if values else None for kind, values in seconds.items()},
                      **{f"{kind}_n": len(values) for kind, values in seconds.items()},
                      **{f"{kind}_runs": [d.get("runs") for d in found_details]
                         for kind, found_details in details.items()},
                      "elements": [d.get("elements") for d in details["cold"]],
                      "errors": sum(1 for x in group if x["error"]),
                      "breakdown": breakdown if details["cold"] else None})
    return found


def summary(results: dict[str, object]) -> str:
    """Medians per code, scale and page; then the concurrency run."""
    lines = ["| code | scale | page | cold (median) | cold runs | filter change (median) | filter runs | errors |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    medians = results["medians"]

    def median(row: dict, kind: str) -> str:
        return f"{row[kind]:.2f} s (n={row[f'{kind}_n']})" if row[kind] is not None else "—"

    for row in medians:
        lines.append(f"| {row['code']} | {row['scale']} | {row['page']} | {median(row, 'cold')} | "
                     f"{'/'.join(map(str, row['cold_runs']))} | {median(row, 'filter')} | "
                     f"{'/'.join(map(str, row['filter_runs']))} | {row['errors']} |")
    lines.append("")
    lines.append("cold breakdown (medians, ms from navigation): dom / ws open / first run / last run end / plotly "
                 "bundle / elements / KiB")
    for row in medians:
        if row["breakdown"] is None:
            continue
        part = {key: "—" if value is None else f"{value:.0f}" for key, value in row["breakdown"].items()}
        kib = row["breakdown"]["asset_bytes"]
        lines.append(f"  {row['code']} {row['scale']} {row['page']}: {part['dom']} / {part['ws_open']} / "
                     f"{part['first_run']} / {part['last_run_end']} / {part['plotly_bundle']} / {part['elements']} / "
                     f"{'—' if kib is None else f'{kib / 1024:.0f}'}")
    if "concurrency" in results:
        c = results["concurrency"]
        lines.append("")
        def sec(value: float | None) -> str:
            return "—" if value is None else f"{value:.2f} s"

        lines.append(f"{c['sessions']} sessions at scale {c['scale']}: {c['page_loads']} page times, median "
                     f"{sec(c['median'])}, p95 {sec(c['p95'])}, max {sec(c['max'])}, wall {c['wall']:.1f} s; "
                     f"server RSS idle {c['rss_idle'] / 2**20:.0f} MiB, peak {c['rss_peak'] / 2**20:.0f} MiB; "
                     f"errors {len(c['errors'])} (and {c.get('base_path_probes', 0)} base-path probes answered 404)")
        lines += [f"  {e}" for e in c["errors"][:20]]
    lines.append(f"load average: start {results['load_start']}, end {results['load_end']}; "
                 f"{platform.node()} {os.cpu_count()} cores")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="append", default=[], help="LABEL=WAREHOUSE (repeatable)")
    parser.add_argument("--sample", nargs="*", default=["1"],
                        help="scale labels whose warehouse is the bundled sample (演示数据: no sign-in)")
    parser.add_argument("--code", action="append", default=[], help="NAME=REPO_ROOT (repeatable; default this tree)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--sessions", type=int, default=0)
    parser.add_argument("--sessions-scale", default="", help="LABEL=WAREHOUSE for the concurrency run")
    parser.add_argument("--sessions-code", default=None, help="which --code the concurrency run uses")
    parser.add_argument("--visits", nargs="*", default=["overview", "composition", "teams"])
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=120, help="seconds a page may take (then an error)")
    args = parser.parse_args()
    global TIMEOUT_MS
    TIMEOUT_MS = int(args.timeout * 1000)
    results = asyncio.run(run(args))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(summary(results))


if __name__ == "__main__":
    main()
