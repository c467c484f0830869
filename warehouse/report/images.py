"""Chart images and the PDF, drawn by the Debian Chromium that is already on the machine.

Chosen: Plotly (already a dependency, the dashboard's chart library) drawn by ``Plotly.toImage``
in headless Chromium driven by Playwright (already a dependency, for the browser tests). No new
package and no network: plotly.js is read from the installed plotly package. Kaleido would be
a new package that wants its own Chrome; matplotlib a new package and a second chart style
beside the dashboard's (neither was measured: both need a dependency this does not). The same
browser prints the PDF, so a briefing costs one browser start.

Measured on the sample, 2 shared cores at load average 9-16 (others' test suites running):
browser start 5-8 s, the four charts 10-24 s, the PDF (printed twice when the contents page is
needed) 10-12 s, the Word file 3 s; the metric layer's part 12-34 s. On the live dashboard the
生成简报（PDF） click gave the file after 31 s. These are figures under heavy load; an idle
machine was not available to measure. Chromium embeds the Noto CJK glyphs it uses (as Type 3 fonts: embedded, text still
selectable and searchable). ``CADRES_CHROMIUM`` names another Chromium binary.

Measured again on the sample (``/usr/bin/time``, medians of 3 interleaved, load average 20-50):
``cadres report --format docx`` 12.8 s user CPU, ``--format pdf`` 11.6 s; a third of that is
Python compiling MetricFlow's, dbt's, Plotly's and fontTools' sources on every run where
``PYTHONDONTWRITEBYTECODE`` is set (as on the shared development machine): with bytecode kept
(``PYTHONPYCACHEPREFIX``) 9.2 s and 7.6 s. Deployments should keep bytecode (``uv sync
--compile-bytecode``). The Word file's embedded fonts cost about 2 s of it.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go

from warehouse.errors import RefreshError

DEFAULT_CHROMIUM = "/usr/bin/chromium"
FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, SimHei, sans-serif"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def chromium_path() -> str | None:
    """The Chromium to drive: ``CADRES_CHROMIUM``, else Debian's, else Playwright's own."""
    chosen = os.environ.get("CADRES_CHROMIUM", DEFAULT_CHROMIUM)
    return chosen if Path(chosen).exists() else None


@contextmanager
def browser() -> Iterator[Any]:
    """One headless Chromium for a briefing's images and its PDF."""
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        except Error as error:
            raise RefreshError("无法启动 Chromium 生成简报（图表和 PDF 需要它）：请安装 chromium，"
                               "或用 CADRES_CHROMIUM 指定其路径") from error
        try:
            yield launched
        finally:
            launched.close()


def render_png(chromium: Any, figures: list[go.Figure], *, width: int = 900, height: int = 420) -> list[bytes]:
    """Each figure as a PNG at twice the pixel size (sharp in print), in one page."""
    page = chromium.new_page()
    try:
        page.set_content("<html><body></body></html>")
        page.add_script_tag(path=str(PLOTLY_JS))
        images = []
        for figure in figures:
            spec = json.loads(figure.to_json())
            url = page.evaluate(
                "async ([spec, w, h]) => await Plotly.toImage({data: spec.data, layout: spec.layout},"
                " {format: 'png', width: w, height: h, scale: 2})", [spec, width, height])
            images.append(base64.b64decode(url.split(",", 1)[1]))
        return images
    finally:
        page.close()


def print_pdf(chromium: Any, html: str, *, header: str, footer: str) -> bytes:
    """``html`` printed on A4 with Chromium's header and footer templates (page numbers)."""
    page = chromium.new_page()
    try:
        page.set_content(html, wait_until="load")
        return page.pdf(format="A4", print_background=True, display_header_footer=True, header_template=header,
                        footer_template=footer, margin={"top": "22mm", "bottom": "20mm", "left": "18mm",
                                                        "right": "18mm"}, outline=True, tagged=True)
    finally:
        page.close()
