"""Server-rendered SVG charts for the statistics: no script, valid XML, readable by screen readers.

Each chart is an <svg role="img"> named by its <title> (aria-labelledby) and described by its
<desc> (aria-describedby); the page shows the same figures in a table next to it. Built with
ElementTree, so every text is escaped.
Series differ by colour and by dash pattern, so the chart still reads in grey or for colour-blind eyes.
"""
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from flask_babel import format_decimal
from markupsafe import Markup

WIDTH, HEIGHT = 720, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 16, 64
MAX_X_LABELS = 12
BAR_HEIGHT, BAR_GAP, BAR_LABEL_WIDTH, BAR_LABEL_CHARACTERS = 22, 8, 260, 38
# Okabe-Ito colours (safe for colour blindness), with dash patterns as a second cue.
STYLES = (("#0072B2", ""), ("#D55E00", "6 3"), ("#009E73", "2 3"), ("#CC79A7", "8 3 2 3"),
          ("#E69F00", "4 4"), ("#56B4E9", "1 2"))
INK, RULE = "#1c1917", "#d6d3d1"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]


def nice_maximum(value: int) -> int:
    """The top of the axis: 1, 2, 2.5 or 5 times a power of ten, at least the value (and at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(int(step * power) for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def _svg(chart_id: str, title: str, description: str, height: int) -> ET.Element:
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {WIDTH} {height}", "role": "img",
        "aria-labelledby": f"{chart_id}-title", "aria-describedby": f"{chart_id}-desc", "class": "chart",
        "id": chart_id, "font-family": "system-ui, sans-serif", "font-size": "12",
    })
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = description
    return svg


def _text(parent: ET.Element, x: float, y: float, content: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, "text", {"x": f"{x:.1f}", "y": f"{y:.1f}", "fill": INK,
                                             **{k.replace("_", "-"): v for k, v in attributes.items()}})
    element.text = content
    return element


def _line(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, colour: str = RULE) -> None:
    ET.SubElement(parent, "line", {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}",
                                   "y2": f"{y2:.1f}", "stroke": colour})


def _markup(svg: ET.Element) -> Markup:
    return Markup(ET.tostring(svg, encoding="unicode"))


def _is_round_step(step: float) -> bool:
    """1, 2 or 5 times a power of ten, and whole (counts have no halves)."""
    if step < 1 or step != int(step):
        return False
    return step / 10 ** math.floor(math.log10(step)) in (1, 2, 5)


def tick_count(top: int) -> int:
    """How many steps divide the axis from 0 to top (a nice_maximum) into round, whole steps:
    5 when they can, else 4, 2 or 1."""
    return next(ticks for ticks in (5, 4, 2, 1) if _is_round_step(top / ticks))


def _y_axis(svg: ET.Element, top: int, plot_height: float) -> None:
    base, ticks = MARGIN_TOP + plot_height, tick_count(top)
    for step in range(ticks + 1):
        y = base - plot_height * step / ticks
        _line(svg, MARGIN_LEFT, y, WIDTH - MARGIN_RIGHT, y)
        _text(svg, MARGIN_LEFT - 6, y + 4, format_decimal(top * step // ticks), text_anchor="end")


def _x_labels(svg: ET.Element, labels: list[str], x_of, base: float) -> None:
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    for index in range(0, len(labels), every):
        _text(svg, x_of(index), base + 16, labels[index], text_anchor="middle")


def _legend(svg: ET.Element, series: list[Series], y: float) -> None:
    """One swatch and name per series, on a second row when the first is full."""
    x = MARGIN_LEFT
    for index, item in enumerate(series):
        colour, dash = STYLES[index % len(STYLES)]
        if x > MARGIN_LEFT and x + 40 + 7 * len(item.name) > WIDTH - MARGIN_RIGHT:
            x, y = MARGIN_LEFT, y + 18
        ET.SubElement(svg, "line", {"x1": f"{x}", "y1": f"{y - 4}", "x2": f"{x + 24}", "y2": f"{y - 4}",
                                    "stroke": colour, "stroke-width": "3", "stroke-dasharray": dash or "none"})
        _text(svg, x + 30, y, item.name)
        x += 40 + 7 * len(item.name)


def _polyline(svg: ET.Element, item: Series, index: int, labels: list[str], x_of, y_of) -> None:
    colour, dash = STYLES[index % len(STYLES)]
    points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(item.values))
    ET.SubElement(svg, "polyline", {"points": points, "fill": "none", "stroke": colour, "stroke-width": "2",
                                    "stroke-dasharray": dash or "none"})
    for i, value in enumerate(item.values):
        dot = ET.SubElement(svg, "circle", {"cx": f"{x_of(i):.1f}", "cy": f"{y_of(value):.1f}", "r": "3",
                                            "fill": colour})
        ET.SubElement(dot, "title").text = f"{item.name}, {labels[i]}: {value}"


def line_chart(chart_id: str, title: str, description: str, labels: list[str],
               series: list[Series]) -> Markup:
    """Lines over time: one point per label, one line per series, a shared axis from 0."""
    svg = _svg(chart_id, title, description, HEIGHT)
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    top = nice_maximum(max((v for item in series for v in item.values), default=0))
    step = plot_width / max(len(labels) - 1, 1)
    x_of = (lambda i: MARGIN_LEFT + i * step) if len(labels) > 1 else (lambda i: MARGIN_LEFT + plot_width / 2)
    y_of = lambda value: MARGIN_TOP + plot_height * (1 - value / top)  # noqa: E731
    _y_axis(svg, top, plot_height)
    _x_labels(svg, labels, x_of, MARGIN_TOP + plot_height)
    for index, item in enumerate(series):
        _polyline(svg, item, index, labels, x_of, y_of)
    _legend(svg, series, HEIGHT - 30)
    return _markup(svg)


def _short(label: str) -> str:
    return label if len(label) <= BAR_LABEL_CHARACTERS else label[:BAR_LABEL_CHARACTERS - 1] + "…"


def bar_chart(chart_id: str, title: str, description: str, items: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, the largest first as given: one bar per (label, value)."""
    height = MARGIN_TOP * 2 + max(len(items), 1) * (BAR_HEIGHT + BAR_GAP)
    svg = _svg(chart_id, title, description, height)
    left, room = BAR_LABEL_WIDTH, WIDTH - BAR_LABEL_WIDTH - MARGIN_RIGHT - 48
    top = max((value for _, value in items), default=0) or 1
    for index, (label, value) in enumerate(items):
        y = MARGIN_TOP + index * (BAR_HEIGHT + BAR_GAP)
        _text(svg, left - 8, y + BAR_HEIGHT * 0.7, _short(label), text_anchor="end")
        bar = ET.SubElement(svg, "rect", {"x": str(left), "y": str(y), "height": str(BAR_HEIGHT),
                                          "width": f"{max(room * value / top, 1):.1f}", "fill": STYLES[0][0]})
        ET.SubElement(bar, "title").text = f"{label}: {value}"
        _text(svg, left + room * value / top + 6, y + BAR_HEIGHT * 0.7, str(value))
    return _markup(svg)
