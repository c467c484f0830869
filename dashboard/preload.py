"""Start fetching and compiling the chart libraries when a session opens, not at its first chart.

Streamlit loads each chart library's code lazily, when the first chart of that kind arrives:
plotly.js (4.7 MB of JavaScript) and vega-embed (the cards' sparklines). On 总览 the first
chart comes after twenty cards, so a browser opening the page waited for the server's run,
*then* downloaded and compiled plotly.js, *then* drew (measured with ``bench/bench_pages.py``:
the bundle arrived with the end of the run). Importing the same files at the top of the first
run lets the browser fetch and compile them while the server is still working (and, before
sign-in, while the leader types the password); Streamlit's own lazy import later finds them in
the browser's module map. Nothing is drawn. A Streamlit release that renames its files makes
this a no-op, never an error.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

_STATIC_JS = Path(st.__file__).resolve().parent / "static" / "static" / "js"
# the lazily loaded modules behind st.plotly_chart and st.metric(chart_data=…)/Vega charts
BUNDLES = ("PlotlyChart", "loadVegaEmbed", "embed")


@cache
def _script() -> str | None:
    """The ``<script>`` importing the bundles this Streamlit ships (``None`` when none is found)."""
    files = [found[0].name for name in BUNDLES if (found := sorted(_STATIC_JS.glob(f"{name}.*.js")))]
    if not files:
        return None
    # resolved against Streamlit's own entry script, so any base path or page address works
    return ("<script>{const entry = document.querySelector('script[src*=\"/static/js/index.\"]');"
            f"if (entry) for (const f of {json.dumps(files)}) import(new URL(f, entry.src).href).catch(() => {{}});}}"
            "</script>")


def start() -> None:
    """Import the chart bundles in the browser now (an empty element; idempotent in the browser)."""
    script = _script()
    if script is not None:
        st.html(script, unsafe_allow_javascript=True)
