"""The briefing's charts as Plotly figures: print colours, Chinese font, titles inside the image
(so a chart copied out of the document still says what it is)."""

from __future__ import annotations

import plotly.graph_objects as go

from warehouse.report.content import Chart
from warehouse.report.images import FONT

PALETTE = ["#C0392B", "#2E6DB4", "#E0A030", "#3A9D6B", "#7E5BA6", "#3FA7B5", "#D9777A", "#8A8F98"]
MUTED = "#B8BCC4"


def figure(chart: Chart, *, scope_text: str, as_of: str) -> go.Figure:
    """One chart; its subtitle names the scope and the as-of date."""
    fig = go.Figure()
    stacked = len(chart.series) > 1
    for index, (name, values) in enumerate(chart.series.items()):
        colours: str | list[str] = PALETTE[index % len(PALETTE)]
        if chart.highlight and not stacked:
            colours = [PALETTE[0] if c == chart.highlight else MUTED for c in chart.categories]
        text = ["" if v is None else f"{v:.1%}" if chart.percent else f"{round(v):,}" for v in values]
        fig.add_bar(x=chart.categories, y=values, name=name, marker_color=colours,
                    text=None if stacked else text, textposition="outside", cliponaxis=False)
    if chart.target is not None:
        fig.add_hline(y=chart.target, line_dash="dash", line_color=PALETTE[2],
                      annotation_text=f"目标 {chart.target:.0%}", annotation_position="top right")
    fig.update_layout(
        title={"text": f"{chart.title}<br><sup>{scope_text} · 数据截至 {as_of}</sup>", "x": 0.01},
        font={"family": FONT, "size": 15}, barmode="stack" if stacked else "group", plot_bgcolor="white",
        paper_bgcolor="white", showlegend=stacked, legend={"orientation": "h", "y": -0.18},
        margin={"l": 60, "r": 20, "t": 80, "b": 70}, yaxis={"title": chart.value_label, "gridcolor": "#E5E7EB",
                                                           "tickformat": ".0%" if chart.percent else ",d"},
        xaxis={"type": "category"})
    return fig
