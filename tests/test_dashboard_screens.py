"""What a leader sees: every page on a desk (1440×900) and on a phone (390×844), printed, on the
wall (``?mode=screen``), and after a bad link, in one headless Chromium against one server.

Screenshots go to ``artifacts/screenshots/`` (``<page>_1440.png``, ``<page>_390.png``,
``overview_print.png``, ``screen_<n>.png``, ``bad_<n>.png``) for CI to keep and people to look
at. Every rendered page's text (the DOM, the charts' SVG text, the inputs) is checked for
"None", "NaN" and English words outside a short allow-list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import labels
from dashboard.ui import IMAGE_WIDTH
from tests.dashboard_support import (
    CHARTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    key_figures,
    published_sample,
    streamlit_server,
)
from warehouse.settings import PROJECT_ROOT

playwright = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip("no Chromium at /usr/bin/chromium", allow_module_level=True)

SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
DESK = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
WALL = {"width": 1920, "height": 1080}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
# Words that may stay English: the file format on the download buttons, and Streamlit's
# "Skip to main content" link for screen readers (visually hidden, not translatable).
# file formats a Chinese office names in Latin letters (下载 CSV, 生成简报（PDF / Word）), and
# Streamlit's own skip link
ALLOWED_WORDS = {"CSV", "PDF", "Word", "Skip", "to", "main", "content"}
BLANKS = re.compile(r"\b(None|NaN|nan|null|undefined)\b")
WORDS = re.compile(r"[A-Za-z]{2,}")
# the raw exports' file names are the contract's (stewards look for these files by name)
FILE_NAMES = re.compile(r"[\w./-]+\.(?:xlsx|csv)")
# The text a user can read: the page without icon ligatures and command names in code spans,
# the charts' SVG text, input values and the placeholders of empty inputs. The analysts'
# marts tab names tables and columns as the warehouse does, on purpose, and is left out.
TEXT = """marts => {
    const panels = [];
    for (const tabs of document.querySelectorAll('[data-testid=stTabs]')) {
        const names = [...tabs.querySelectorAll('[data-testid=stTab]')];
        const bodies = [...tabs.querySelectorAll('[data-testid=stTabPanel]')];
        names.forEach((tab, i) => { if (tab.innerText.includes(marts) && bodies[i]) panels.push(bodies[i]); });
    }
    if (document.querySelector('[data-testid=stTab]') && !panels.length) return 'marts tab not found';
    const shown = e => !panels.some(panel => panel.contains(e));
    panels.forEach(panel => panel.setAttribute('data-not-scanned', ''));
    const copy = document.querySelector('[data-testid=stApp]').cloneNode(true);
    copy.querySelectorAll('[data-not-scanned], [data-testid=stIconMaterial], [data-testid=stAlertDynamicIcon], '
                          + 'code, style, script, .modebar').forEach(e => e.remove());
    const inputs = [...document.querySelectorAll('input:not([type=checkbox]):not([type=radio])')]
        .filter(shown).map(i => i.value || i.placeholder);
    const svg = [...document.querySelectorAll('.js-plotly-plot .main-svg text')].filter(shown)
        .map(t => t.textContent);
    return [copy.innerText, ...inputs, ...svg].join('\\n');
}"""
# every chart on the page drawn (its svg holds a trace); a page may have none (所选范围内没有数据)
DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .every(p => p.querySelector('.main-svg .trace, .main-svg .hm'))"""
# tables whose columns are wider than the table (cut off, to be scrolled sideways)
WIDER = """() => [...document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')]
    .filter(s => s.scrollWidth > s.clientWidth + 1).length"""
SAVE_IMAGE = "保存图片"  # the camera button's title: Plotly's words are Chinese on every chart
SUBTITLES = "() => [...document.querySelectorAll('.js-plotly-plot')].map(p => p.layout?.title?.subtitle?.text || '')"


@pytest.fixture(scope="module")
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    warehouse = published_sample(request)
    with streamlit_server(warehouse, tmp_path_factory.mktemp("screens") / "streamlit.log") as url:
        yield url, warehouse


@pytest.fixture(scope="module")
def browser(served: tuple[str, Path]) -> Iterator[object]:
    """One browser for every test of this module: starting it is the expensive part."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _open(page: object, url: str, *, charts: bool = True) -> None:
    page.goto(url)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=180_000)
    page.wait_for_selector('[data-testid="stMetric"], .js-plotly-plot, [data-testid="stAlertContentError"]',
                           timeout=180_000)
    if charts:
        page.wait_for_function(DRAWN, timeout=180_000)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=180_000)


def _full_screenshot(page: object, path: Path, viewport: dict[str, int]) -> None:
    """The whole page: Streamlit scrolls inside its main element, so grow the window to fit."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": min(max(height + 40, viewport["height"]), 9000)})
    page.wait_for_timeout(400)  # plotly redraws at the new size
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)


def _unreadable(text: str) -> list[str]:
    """"None"/"NaN" and English words a Chinese reader would meet."""
    text = FILE_NAMES.sub(" ", text)
    return sorted(set(BLANKS.findall(text)) | {w for w in WORDS.findall(text) if w not in ALLOWED_WORDS})


def test_every_page_on_a_desk_reads_in_chinese_with_dated_scoped_charts(
        browser: object, served: tuple[str, Path]) -> None:
    url, _ = served
    page = browser.new_page(viewport=DESK, locale="zh-CN")
    found: dict[str, list[str]] = {}
    for name in PAGES:
        _open(page, f"{url}/{'' if name == 'overview' else name}?region=市中区&snapshot=2017-12-31")
        assert not page.locator(ERRORS).all_inner_texts(), name
        # every chart image carries its title, scope and date (the PNG keeps the figure's title);
        # 数据质量 is about the whole refresh and says so
        scoped = name != "quality"
        for subtitle in page.evaluate(SUBTITLES):
            expected = ("市中区", "2017-12-31") if scoped else (labels.QUALITY_SCOPE, "2018-04-30")
            if "各快照" in subtitle:  # a chart over every snapshot (三年趋势) says so, to the latest
                expected = ("市中区", labels.EVERY_SNAPSHOT.format(date="2018-04-30"))
            assert all(word in subtitle for word in expected), (name, subtitle)
        # the snapshot shown is the one chosen, in the header and in the sidebar
        header = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
        assert ("2017-12-31" in header) == scoped, (name, header)
        assert "2018-04-30" not in page.locator('[data-testid="stSidebar"]').inner_text(), name
        bad = _unreadable(page.evaluate(TEXT, labels.EXPLORE_TAB_MARTS))
        if bad:
            found[name] = bad
    for name in PAGES:
        _open(page, url if name == "overview" else f"{url}/{name}")
        # every page city-wide: a title, no error, and all its charts drawn
        assert not page.locator(ERRORS).all_inner_texts(), name
        assert page.locator("h1").first.inner_text().strip(), name
        assert page.locator(".js-plotly-plot").count() >= CHARTS[name], name
        bad = _unreadable(page.evaluate(TEXT, labels.EXPLORE_TAB_MARTS))
        if bad:
            found[f"{name} (全市)"] = bad
        if name in ("quality", "training"):  # tables whose last columns were cut off at 1440 px
            assert not page.evaluate(WIDER), name
        _full_screenshot(page, SCREENSHOTS / f"{name}_1440.png", DESK)
    assert not found, found
    # 班子配备 opens on the latest year
    _open(page, f"{url}/teams")
    assert any(h.startswith("2018年市级部门党外干部选配") for h in page.locator("h3").all_inner_texts())
    # a table's CSV names what it is, for whom and when, on its first line
    with page.expect_download() as download:
        page.get_by_role("button", name=labels.DOWNLOAD_CSV).last.click()
    first = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert labels.WHOLE_CITY in first and "2018-04-30" in first and "选配" in first, first
    page.close()


def test_on_a_phone_the_sidebar_is_closed_and_cards_sit_two_a_row(browser: object, served: tuple[str, Path]) -> None:
    url, _ = served
    page = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    _open(page, url)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert not sidebar.count() or sidebar.bounding_box() is None or sidebar.bounding_box()["width"] < 5 \
        or sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 0
    boxes = [page.locator('[data-testid="stMetric"]').nth(i).bounding_box() for i in range(4)]
    assert boxes[0]["y"] == pytest.approx(boxes[1]["y"], abs=2) and boxes[1]["x"] > boxes[0]["x"] + 100
    assert boxes[2]["y"] > boxes[0]["y"] + 50  # the third card on the next row
    assert all(b["width"] < PHONE["width"] / 2 for b in boxes)
    # of the chart toolbar only 保存图片 shows, above the title, never on it
    charts = page.locator(".js-plotly-plot")
    assert charts.count()
    for i in range(charts.count()):
        buttons = charts.nth(i).locator(".modebar-btn")
        shown = [buttons.nth(j) for j in range(buttons.count()) if buttons.nth(j).is_visible()]
        assert [b.get_attribute("data-title") for b in shown] == [SAVE_IMAGE], i
        button, title = shown[0].bounding_box(), charts.nth(i).locator(".gtitle").bounding_box()
        assert button["y"] + button["height"] <= title["y"], (i, button, title)
    # and saves the chart as a desk-wide image (its title, scope and date fit: checked on a desk)
    with page.expect_download() as download:
        charts.first.locator(f'.modebar-btn[data-title="{SAVE_IMAGE}"]').tap()
    assert download.value.suggested_filename.endswith("_2018-04-30.png")
    image = Path(download.value.path()).read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(image[16:20], "big") == 2 * IMAGE_WIDTH
    for name in PAGES:
        if name != "overview":
            _open(page, f"{url}/{name}")
        assert not page.locator(ERRORS).all_inner_texts(), name
        _full_screenshot(page, SCREENSHOTS / f"{name}_390.png", PHONE)
    page.close()


def test_printing_leaves_out_the_sidebar_buttons_and_downloads(browser: object, served: tuple[str, Path]) -> None:
    url, _ = served
    page = browser.new_page(viewport=DESK, locale="zh-CN")
    _open(page, url)
    page.emulate_media(media="print")
    hidden_in_print = ['[data-testid="stSidebar"]', '[data-testid="stDownloadButton"]', '[data-testid="stToolbar"]']
    # the print styles apply on the next style pass, not at once: wait for it (15 s at most), then check
    all_hidden = "sels => sels.every(s => [...document.querySelectorAll(s)].every(e => !e.checkVisibility()))"
    page.wait_for_function(all_hidden, arg=hidden_in_print, timeout=15_000)
    for hidden in hidden_in_print:
        items = page.locator(hidden)
        assert all(not items.nth(i).is_visible() for i in range(items.count())), hidden
    assert page.locator('[data-testid="stMetric"]').first.is_visible()
    _full_screenshot(page, SCREENSHOTS / "overview_print.png", DESK)
    page.pdf(path=str(SCREENSHOTS / "overview_print.pdf"), format="A4", print_background=True)
    page.close()


@pytest.mark.parametrize(("path", "words"), [
    ("/nosuchpage", ["nosuchpage", "总览", "数据质量"]),
    ("/?region=不存在", ["region", "不存在", "市中区"]),
    ("/teams?year=abc", ["year", "abc", "2018"]),
    ("/composition?dim=不存在", ["dim", "不存在", "性别"]),
])
def test_a_bad_link_says_what_is_wrong_and_shows_no_number(browser: object, served: tuple[str, Path], path: str,
                                                          words: list[str]) -> None:
    url, _ = served
    page = browser.new_page(viewport=DESK, locale="zh-CN")
    _open(page, url + path, charts=False)
    error = page.locator('[data-testid="stAlertContentError"]').inner_text()
    assert all(word in error for word in words), error
    assert not page.locator('[data-testid="stMetric"]').count() and not page.locator(".js-plotly-plot").count()
    assert not page.get_by_text("Page not found").count()  # Streamlit's own English notice
    stem = re.sub(r"\W+", "_", path).strip("_")
    page.screenshot(path=str(SCREENSHOTS / f"bad_{stem}.png"))
    page.close()


def test_the_wall_display_cycles_headline_figures_and_charts(browser: object, served: tuple[str, Path]) -> None:
    url, warehouse = served
    page = browser.new_page(viewport=WALL, locale="zh-CN")
    _open(page, f"{url}/?mode=screen&region=市中区", charts=False)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    total = key_figures(warehouse)
    cards = page.locator('[data-testid="stMetric"]')
    assert cards.count() == 6
    assert "市中区" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    assert cards.first.locator('[data-testid="stMetricValue"]').inner_text().strip() != \
        f"{round(total['pool_total'].value):,} 人"  # the county's figure, not the city's
    page.screenshot(path=str(SCREENSHOTS / "screen_1.png"))
    page.wait_for_function("() => document.body.innerText.includes('第 2/4 屏')",
                           timeout=(labels.SCREEN_SECONDS + 30) * 1000)
    page.wait_for_selector(".js-plotly-plot .main-svg .trace", timeout=180_000)
    assert not page.locator('[data-testid="stMetric"]').count()
    page.screenshot(path=str(SCREENSHOTS / "screen_2.png"))
    page.close()


def test_a_table_of_names_offers_no_download_but_the_audited_button(browser: object, served: tuple[str, Path]) -> None:
    """人员名单's names leave the page only through its own button, which writes the audit log:
    the table's toolbar (search, columns, full screen) has no CSV download of its own."""
    url, _ = served
    page = browser.new_page(viewport=DESK, locale="zh-CN")
    _open(page, f"{url}/people", charts=False)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    toolbar.locator('[data-testid="stElementToolbarButton"]').first.wait_for(timeout=30_000)
    names = [b.get_attribute("aria-label") for b in toolbar.locator("button").all()]
    assert "Search" in names and not [n for n in names if n and "ownload" in n], names
    assert page.get_by_role("button", name=labels.DOWNLOAD_CSV).count() == 1
    page.close()
