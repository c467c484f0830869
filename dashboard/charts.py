"""Plotly figure builders: plain lists in, figures out, no data access.

Every figure carries its own title (so a PNG saved from the modebar explains itself), a CJK
font stack (a leader's Windows PC has 微软雅黑, a Mac 苹方, the server Noto Sans CJK) and
colours that read on both the light and the dark theme. Bars that can be clicked to filter
carry their category in ``customdata``, whatever the orientation. Labels drawn on a chart pass
through ``plain_labels`` (``<``/``>`` become ＜＞), so a name in the exports never becomes a link
or markup; ``customdata`` keeps the real value for click filters.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from warehouse.safety import plain_label, plain_labels

FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

# A restrained palette: the programme's red first, then calm blues and greens.
PALETTE = ["#C0392B", "#2E6DB4", "#E0A030", "#3A9D6B", "#7E5BA6", "#3FA7B5", "#D9777A", "#8A8F98",
           "#A0522D", "#5B8FD8"]
ACCENT = PALETTE[0]
MUTED = "#8A8F98"
PALE_ACCENT = "#E6B0AA"  # the accent's series at snapshots not chosen: still the same series, never grey
TARGET = "#E0A030"
SEQUENTIAL = [[0.0, "#FBEAE7"], [0.35, "#F0A89E"], [0.7, "#D8574A"], [1.0, "#8E1F17"]]


def _layout(fig: go.Figure, title: str, *, height: int = 380, legend: bool = True, extra_top: int = 0,
            legend_space: int = 44) -> go.Figure:
    # the title sits at the very top, the legend in its own row under it, then the plot
    top = 56 + (legend_space if legend else 0) + extra_top
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "xref": "container", "y": 1, "yanchor": "top",
               "yref": "container", "pad": {"t": 14, "l": 4}, "font": {"size": 17}},
        font={"family": FONT_STACK, "size": 13},
        hoverlabel={"font": {"family": FONT_STACK}},
        height=height + (legend_space if legend else 0) + extra_top,
        margin={"l": 8, "r": 16, "t": top, "b": 8},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "yref": "paper", "xanchor": "left", "x": 0,
                "title": {"text": ""}, "traceorder": "normal"},
        colorway=PALETTE,
        separators=".,",
    )
    return fig


def bars(categories: Sequence[str], values: Sequence[float], *, title: str, value_label: str,
         horizontal: bool = True, text: Sequence[str] | None = None, highlight: Sequence[str] = (),
         percent: bool = False, height: int | None = None) -> go.Figure:
    """One series of bars, categories in the given order (top to bottom when horizontal)."""
    colors = [ACCENT if not highlight or c in highlight else PALE_ACCENT for c in categories]
    shown = plain_labels(text) if text is not None else [f"{v:.1%}" if percent else f"{v:,.0f}" for v in values]
    hover = ("%{y}" if horizontal else "%{x}") + "<br>" + value_label + "：" + (
        ("%{x:.1%}" if horizontal else "%{y:.1%}") if percent else ("%{x:,}" if horizontal else "%{y:,}"))
    drawn = plain_labels(categories)
    trace = go.Bar(
        x=list(values) if horizontal else drawn,
        y=drawn if horizontal else list(values),
        orientation="h" if horizontal else "v",
        marker={"color": colors},
        text=shown, textposition="auto", cliponaxis=False,
        customdata=[[c] for c in categories],
        hovertemplate=hover + "<extra></extra>",
        name=value_label,
    )
    fig = go.Figure(trace)
    # counts under 10 tick by whole numbers (Plotly's halves print as “1 1 2 2” under ",d")
    whole = {"dtick": 1} if not percent and values and max(values) < 10 else {}
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category", title=None)
        fig.update_xaxes(title=None, tickformat=".0%" if percent else ",d", showgrid=True, **whole)
    else:
        fig.update_xaxes(type="category", title=None)
        fig.update_yaxes(title=None, tickformat=".0%" if percent else ",d", **whole)
    size = height or (max(260, 34 * len(categories) + 110) if horizontal else 380)
    return _layout(fig, title, height=size, legend=False)


def stacked(x: Sequence[str], series: dict[str, Sequence[float]], *, title: str, value_label: str,
            horizontal: bool = False, percent: bool = False, height: int = 400,
            colors: dict[str, str] | None = None) -> go.Figure:
    """Stacked bars: one trace a series, the x categories in the given order."""
    fig = go.Figure()
    for index, (name, values) in enumerate(series.items()):
        fmt = "%{value:.1%}" if percent else "%{value:,}"
        color = (colors or {}).get(name, PALETTE[index % len(PALETTE)])
        fig.add_trace(go.Bar(
            name=plain_label(name),
            x=list(values) if horizontal else plain_labels(x),
            y=plain_labels(x) if horizontal else list(values),
            orientation="h" if horizontal else "v",
            marker={"color": color},
            customdata=[[c, name] for c in x],
            hovertemplate=(("%{y}" if horizontal else "%{x}") + " · %{fullData.name}<br>" + value_label + "：" +
                           fmt.replace("value", "x" if horizontal else "y") + "<extra></extra>"),
        ))
    fig.update_layout(barmode="stack")
    axis_format = ".0%" if percent else ",d"
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category", title=None)
        fig.update_xaxes(tickformat=axis_format, title=None)
    else:
        fig.update_xaxes(type="category", title=None)
        fig.update_yaxes(tickformat=axis_format, title=None)
    # beside long category labels the plot area is narrow and the legend may wrap to two rows
    return _layout(fig, title, height=height, legend_space=56 if horizontal else 44)


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]], *,
            title: str, text: Sequence[Sequence[str]], value_label: str, percent: bool = False,
            zmax: float | None = None, height: int | None = None,
            keys: Sequence[Sequence[str | None]] | None = None) -> go.Figure:
    """A grid of cells coloured by value and labelled with ``text``; rows top to bottom.

    Heatmap cells cannot be selected in Streamlit, so an invisible marker sits on every cell:
    a click selects it, its ``customdata`` is ``[row, column]`` (then the cell's ``keys``
    item, e.g. the team a cell is), and it carries the hover text.
    """
    fig = go.Figure(go.Heatmap(
        z=[list(r) for r in values], x=plain_labels(columns), y=plain_labels(rows),
        text=[plain_labels(t) for t in text], texttemplate="%{text}", textfont={"family": FONT_STACK, "size": 13},
        colorscale=SEQUENTIAL, zmin=0, zmax=zmax, xgap=3, ygap=3, hoverinfo="skip",
        colorbar={"tickformat": ".0%" if percent else ",d", "thickness": 12, "title": {"text": ""}},
    ))
    cells = [(r, c, v) for r, row in zip(rows, values, strict=True) for c, v in zip(columns, row, strict=True)]
    extra = [[k] for row in keys for k in row] if keys is not None else [[] for _ in cells]
    shown = "{:.0%}" if percent else "{:,}"
    fig.add_trace(go.Scatter(
        x=[plain_label(c) for _, c, _ in cells], y=[plain_label(r) for r, _, _ in cells], mode="markers",
        marker={"size": 28, "opacity": 0}, customdata=[[r, c, *k] for (r, c, _), k in zip(cells, extra, strict=True)],
        showlegend=False,
        text=[f"{plain_label(r)} · {plain_label(c)}<br>{value_label}："
              f"{shown.format(v) if v is not None else '—'}" for r, c, v in cells],
        hovertemplate="%{text}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", type="category", title=None)
    fig.update_xaxes(type="category", side="top", title=None)
    fig.update_layout(plot_bgcolor="rgba(0,0,0,0)")
    size = height or max(300, 34 * len(rows) + 110)
    return _layout(fig, title, height=size, legend=False, extra_top=28)


def funnel(stages: Sequence[str], values: Sequence[int | None], *, title: str, hidden: str = "") -> go.Figure:
    """The programme's chain as a funnel, each stage with its share of the first; a stage whose
    count the session may not see (None) reads ``hidden`` ("<5"), with no bar and no share."""
    fig = go.Figure(go.Funnel(
        y=plain_labels(stages), x=[v or 0 for v in values], textinfo="value+percent initial",
        customdata=[[stage] for stage in stages],
        texttemplate=["%{value:,} 人<br>%{percentInitial:.1%}" if v is not None else f"{hidden} 人" for v in values],
        marker={"color": [PALETTE[1], PALETTE[3], ACCENT][: len(stages)]},
        connector={"line": {"color": MUTED, "width": 1}},
        hovertemplate=["%{y}：%{x:,} 人<extra></extra>" if v is not None else f"%{{y}}：{hidden} 人<extra></extra>"
                       for v in values],
    ))
    fig.update_yaxes(title=None)
    return _layout(fig, title, height=320, legend=False)


def lines(x: Sequence[str], series: dict[str, Sequence[float | None]], *, title: str, value_label: str,
          percent: bool = False, height: int = 380) -> go.Figure:
    """One line a series over the x categories (snapshots or years)."""
    fig = go.Figure()
    for name, values in series.items():
        fig.add_trace(go.Scatter(
            x=plain_labels(x), y=list(values), name=plain_label(name), mode="lines+markers",
            hovertemplate=plain_label(name) + "<br>%{x}：" + ("%{y:.1%}" if percent else "%{y:,}") + "<extra></extra>",
        ))
    fig.update_xaxes(type="category", title=None)
    fig.update_yaxes(tickformat=".0%" if percent else ",d", title=None, rangemode="tozero")
    return _layout(fig, title, height=height)


def pool_trend(snapshots: Sequence[str], persons: Sequence[int], entered: Sequence[int | None],
               left: Sequence[int | None], *, title: str, names: tuple[str, str, str],
               highlight: str | None = None) -> go.Figure:
    """Pool size per snapshot, with the people who entered and left since the previous one beside it;
    a bar's ``customdata`` is [snapshot, series name]."""
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=list(snapshots), y=list(persons), name=names[0], text=[f"{p:,}" for p in persons],
        textposition="outside", cliponaxis=False,
        marker={"color": [ACCENT if highlight in (None, s) else PALE_ACCENT for s in snapshots]},
        customdata=[[s, names[0]] for s in snapshots], hovertemplate="%{x}<br>" + names[0] + "：%{y:,}<extra></extra>",
    ))
    fig.add_trace(go.Bar(x=list(snapshots), y=[e or 0 for e in entered], name=names[1],
                         marker={"color": PALETTE[3]}, customdata=[[s, names[1]] for s in snapshots],
                         text=[f"{e:,}" if e else "" for e in entered], textposition="outside", cliponaxis=False,
                         hovertemplate="%{x}<br>" + names[1] + "：%{y:,}<extra></extra>"))
    fig.add_trace(go.Bar(x=list(snapshots), y=[v or 0 for v in left], name=names[2],
                         marker={"color": PALETTE[4]}, customdata=[[s, names[2]] for s in snapshots],
                         text=[f"{v:,}" if v else "" for v in left], textposition="outside", cliponaxis=False,
                         hovertemplate="%{x}<br>" + names[2] + "：%{y:,}<extra></extra>"))
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.06)
    fig.update_xaxes(type="category", title=None)
    fig.update_yaxes(title=None, tickformat=",d")
    return _layout(fig, title, height=380)


def share_against_line(categories: Sequence[str], shares: Sequence[float], labels: Sequence[str], *,
                       title: str, line: float, line_label: str, value_label: str) -> go.Figure:
    """Horizontal bars of a share per category against a target line (e.g. 50%): green at or
    above it, red below."""
    colors = [PALETTE[3] if s >= line else ACCENT for s in shares]
    fig = go.Figure(go.Bar(
        y=plain_labels(categories), x=list(shares), orientation="h", text=plain_labels(labels), textposition="auto",
        marker={"color": colors}, customdata=[[c] for c in categories],
        hovertemplate="%{y}<br>" + value_label + "：%{x:.1%}<extra></extra>",
    ))
    fig.add_vline(x=line, line={"color": TARGET, "dash": "dash", "width": 2},
                  annotation={"text": line_label, "font": {"color": TARGET}}, annotation_position="top")
    top = max([*shares, line]) if shares else line
    fig.update_xaxes(tickformat=".0%", range=[0, max(1.0, top * 1.1)], title=None)
    fig.update_yaxes(autorange="reversed", type="category", title=None)
    return _layout(fig, title, height=max(300, 30 * len(categories) + 110), legend=False, extra_top=16)


def rates_against_targets(categories: Sequence[str], rates: Sequence[float | None],
                          targets: Sequence[float | None], labels: Sequence[str], *, title: str,
                          value_label: str, target_label: str) -> go.Figure:
    """Horizontal bars of rates with a target marker on each."""
    shown = [r or 0 for r in rates]
    colors = [PALETTE[3] if t is not None and r is not None and r >= t else ACCENT
              for r, t in zip(rates, targets, strict=True)]
    fig = go.Figure(go.Bar(
        y=plain_labels(categories), x=shown, orientation="h", text=plain_labels(labels), textposition="auto",
        marker={"color": colors}, name=value_label, customdata=[[c] for c in categories],
        hovertemplate="%{y}<br>" + value_label + "：%{x:.1%}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        y=plain_labels(categories), x=list(targets), mode="markers", name=target_label,
        marker={"symbol": "line-ns", "size": 34, "line": {"width": 4, "color": TARGET}},
        hovertemplate="%{y}<br>" + target_label + "：%{x:.0%}<extra></extra>",
    ))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.05], title=None)
    fig.update_yaxes(autorange="reversed", type="category", title=None)
    return _layout(fig, title, height=max(240, 70 * len(categories) + 120))
