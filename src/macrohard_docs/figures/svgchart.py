"""Hand-written SVG for the dossier's charts: small, text as text, themable.

Not matplotlib: its SVG of the GPU chart is several times these bytes
(scripts/bench_charts.py), hard-codes colours, and its import alone costs a
large share of a build. No viewBox: it would scale text with the column. The
SVG is as wide as the column, its unit the CSS pixel, text keeps its size and
horizontal positions are percentages. Text is laid out for the narrowest column
(:data:`DESIGN_WIDTH`), so it fits every wider one; a second layout for
:data:`WIDE_WIDTH` (shown by a container query in ``charts.css``) lets a
desktop keep on one line what a phone must wrap. Colours are ``currentColor``
(right in dark mode, print and e-readers), refined by ``charts.css``. Pure:
labels arrive translated and formatted; this module only places them.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Callable, Sequence
from html import escape
from typing import NamedTuple

# The narrowest column the layout must fit: furo's article on a 390 px phone
# is 358 px wide; the rest is margin for e-readers and rounding.
DESIGN_WIDTH = 340
WIDE_WIDTH = 640  # a desktop's column (furo's is 736 px at 1280) and the downloadable file
FONT = 14  # labels and values, in CSS px at every width
SMALL = 13  # axis ticks
LINE = 18  # line height of a label line
BAR = 20
ROW_GAP = 12
GAP = 6  # between a bar's end and its value
# The page never knows the reader's face: furo asks for -apple-system, Segoe
# UI, Helvetica, Arial, then any sans-serif (Liberation Sans, DejaVu Sans, an
# e-reader's own serif...). Widths are therefore planned for the widest face
# we allow for: each character's advance (em) is the larger of DejaVu Sans and
# DejaVu Serif (wider than Verdana, Segoe UI, Arial and their twins), rounded up
# to 0.05 em. Narrower faces leave room; tests/charts/test_chart_layout.py draws
# the charts in four faces. Accented letters count as their base letter.
_ADVANCE = {
    False: {0.2: "\u202f", 0.3: "'", 0.35: " ,./:;\\ijl|’\xa0", 0.4: "()-I[]f", 0.45: "!Jt", 0.5: '"*_`r–',
            0.55: "?sz“”", 0.6: "cvxy", 0.65: "$0123456789abdeghknopqu{}«»€", 0.7: "FLPSTYZ",
            0.75: "ABEKVX", 0.8: "CGR", 0.85: "#+<=>DOQU^~×", 0.9: "&HNw", 1.0: "%@m—…æ", 1.05: "MWœÆ"},
    True: {0.2: "\u202f", 0.35: " '\xa0", 0.4: ",./:;\\ijl|’", 0.45: "-f", 0.5: "!()IJ[]_`t–", 0.55: '"*r',
           0.6: "?sz", 0.65: "cx«»", 0.7: "$0123456789aekovy“”€", 0.75: "FLSTYZbdghnpqu{}",
           0.8: "ACEPVX", 0.85: "#+<=>BR^~×", 0.9: "DGKOQU", 0.95: "&HNw", 1.0: "@—…", 1.05: "%æ",
           1.1: "mœÆ", 1.15: "MW"},
}
ADVANCE = {bold: {char: em for em, chars in table.items() for char in chars} for bold, table in _ADVANCE.items()}
UNKNOWN = 1.2  # a character outside the table: as wide as the widest there

# Bar kinds: how a value stands in the article, drawn so that the difference
# never rests on colour alone; the source line says the same in words.
STYLE = {  # attributes after a bar's height; a solid bar takes the root's fill="currentColor"
    "stated": "",
    "promised": ' fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="6 3"',
    "projection": ' fill="currentColor" fill-opacity="0.15" stroke="currentColor" stroke-width="2" '
                  'stroke-dasharray="2 3"',
    "bound": ' fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="6 3"',
    "derived": ' fill="currentColor" fill-opacity="0.5"',
}


class Bar(NamedTuple):
    label: str  # what the bar is, e.g. "Colossus, when it came online"
    value: float  # in base units, only for lengths
    text: str  # the value as readers read it, e.g. "100,000 GPUs"
    kind: str = "stated"


class Event(NamedTuple):
    date_text: str
    label: str
    day: int  # proleptic ordinal of the date


def text_width(text: str, size: float = FONT, bold: bool = False) -> float:
    """The width *text* may take in the widest face we plan for, in CSS px."""
    table = ADVANCE[bold]
    em = 0.0
    for char in text:
        if char not in table:
            char = unicodedata.normalize("NFD", char)[0]  # é -> e; a combining mark alone is skipped
            if unicodedata.combining(char):
                continue
        em += table.get(char, UNKNOWN)
    return em * size


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _text(x: str | float, y: float, text: str, *, cls: str = "", anchor: str = "start",
          bold: bool = False, size: float = FONT, dx: float = 0, group_anchor: str = "start") -> str:
    """A text run, without what its group gives (class, size, anchor): bytes count. A glyph may
    overhang its origin ("T", a bold "W"): left-aligned text starts at 1, right-aligned ends 2 short."""
    dx = dx or (-2 if anchor == "end" else 0)
    optional = {"dx": dx and _num(dx), "font-size": size != FONT and _num(size),
                "text-anchor": anchor != group_anchor and anchor, "font-weight": bold and "bold", "class": cls}
    attrs = "".join(f' {name}="{value}"' for name, value in optional.items() if value)
    x_text = x if isinstance(x, str) else _num(max(x, 1))
    return f'<text x="{x_text}" y="{_num(y)}"{attrs}>{escape(text, quote=False)}</text>'


def _line(x1: str, y1: float, x2: str, y2: float, cls: str = "", extra: str = "") -> str:
    """A line; without a class, one in a group that gives its class and stroke."""
    head, tail = (f' class="{cls}"', f' stroke="currentColor"{extra}') if cls else ("", "")
    return f'<line{head} x1="{x1}" y1="{_num(y1)}" x2="{x2}" y2="{_num(y2)}"{tail}/>'


def wrap(text: str, width: float, size: float = FONT, bold: bool = False) -> list[str]:
    """Greedy word wrap by estimated width, at ordinary spaces only (never a no-break space)."""
    lines: list[str] = []
    line = ""
    for word in filter(None, text.split(" ")):
        candidate = f"{line} {word}".strip()
        if line and text_width(candidate, size, bold) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def heading(text: str, y: float) -> tuple[str, float]:
    """A bold line naming the panel below it, and the next y."""
    return _text(0, y + LINE - 4, text, cls="chart-heading", bold=True), y + LINE


# --- Axes ---------------------------------------------------------------------

# Tick labels: class, size and (centred) anchor from their group.
TICKS = f'<g class="chart-tick" font-size="{SMALL}" text-anchor="middle">'


def _tick_anchor(fraction: float, label: str, width: float) -> str:
    """A tick's label is centred on it, unless that would cross an edge of the plot."""
    x, half = fraction * width, text_width(label, SMALL) / 2
    return "start" if x - half < 0 else "end" if x + half > width else "middle"


def _fits(positions: Sequence[float], labels: Sequence[str], width: float) -> bool:
    """Do tick labels at *positions* (0..1) leave a gap between them at *width*?"""
    spans = []
    for pos, label in zip(positions, labels, strict=True):
        w, x = text_width(label, SMALL), pos * width
        left = {"start": x, "end": x - w, "middle": x - w / 2}[_tick_anchor(pos, label, width)]
        spans.append((left, left + w))
    return all(b[0] - a[1] >= 12 for a, b in itertools.pairwise(spans)) and spans[-1][1] <= width + 0.5


def round_ticks(limit: float, scale: float, label: Callable[[float], str], last: Callable[[float], str],
                width: float) -> list[tuple[float, str]]:
    """Ticks at round values of the axis unit (1, 2, 2.5 or 5 × 10ⁿ) from 0 to *limit* (in base
    units; *scale* is the axis unit's size in them), written by *label*, the last by *last*, with
    the unit ("100 days"). The finest step whose labels fit in a row at *width* wins; the unit is
    dropped when no step fits with it."""
    top = limit / scale
    exponent = math.floor(math.log10(top)) - 1 if top > 0 else 0
    for final, exp, mantissa in itertools.product((last, label), range(exponent, exponent + 4), (1, 2, 2.5, 5)):
        step = mantissa * 10 ** exp
        count = math.floor(top / step + 1e-9)
        if not 2 <= count <= 5:
            continue
        values = [k * step for k in range(count + 1)]
        labels = [label(v * scale) for v in values[:-1]] + [final(values[-1] * scale)]
        if _fits([v / top for v in values], labels, width):
            return [(v * scale, text) for v, text in zip(values, labels, strict=True)]
    return [(0.0, label(0)), (limit, label(limit))]


# --- Bars ---------------------------------------------------------------------

def bar_panel(bars: Sequence[Bar], tick_label: Callable[[float], str], last_tick: Callable[[float], str],
              scale: float, y: float, width: float) -> tuple[list[str], float]:
    """Rows of label + bar + value from *y*, the largest bar the full width, over a grid and a
    row of round ticks; returns them and the bottom. A label wraps only where the width requires.
    A value goes after its bar if it fits there; else above the bar, right-aligned on its end, on
    the label's last line if both fit there. Measured at *width* in the widest face (text_width),
    the layout holds in any narrower face and any wider column (positions are percentages)."""
    top = y
    limit = max(bar.value for bar in bars)
    rects: list[str] = []
    # Labels, then values, each in a group that carries their class (bytes count).
    labels, values = ['<g class="chart-label">'], ['<g class="chart-value" font-weight="bold">']
    for bar in bars:
        fraction = bar.value / limit if limit else 0
        end = fraction * width
        value_width = text_width(bar.text, FONT, bold=True)
        after = end + GAP + value_width <= width
        lines = wrap(bar.label, width)
        if not after and text_width(lines[-1]) + 16 + value_width > end:
            lines.append("")
        for line in lines:
            y += LINE
            if line:
                labels.append(_text(0, y - 4, line))
        if not after:
            x = _pct(fraction) if end >= value_width + 2 else 0  # too short a bar to end under its value
            values.append(_text(x, y - 4, bar.text, anchor="end" if x else "start"))
        y += 2
        # A sliver stays visible: at least 0.4 % of the width.
        rects.append(f'<rect class="bar bar-{bar.kind}" x="0" y="{_num(y)}" '
                     f'width="{_pct(max(fraction, 0.004))}" height="{BAR}"{STYLE[bar.kind]}/>')
        if after:
            values.append(_text(_pct(fraction), y + BAR / 2 + FONT * 0.35, bar.text, dx=GAP))
        y += BAR + ROW_GAP
    bottom = y - ROW_GAP + 6
    # Grid lines behind the plot, in a group that carries their stroke; the zero line stands at 0.
    grid, ticks = ['<g class="chart-grid" stroke="currentColor" stroke-opacity="0.3">'], [TICKS]
    for value, text in round_ticks(limit, scale, tick_label, last_tick, width):
        fraction = value / limit
        x = _pct(fraction)
        if fraction:
            grid.append(_line(x, top + 4, x, bottom))
        ticks.append(_text(x, bottom + SMALL + 4, text, anchor=_tick_anchor(fraction, text, width),
                           group_anchor="middle"))
    return [*grid, "</g>", *ticks, "</g>", _line("0.5", top + 4, "0.5", bottom, "chart-zero"),
            *rects, *labels, "</g>", *values, "</g>"], bottom + SMALL + 10


def asides(items: Sequence[tuple[str, str]], y: float, width: float) -> tuple[list[str], float]:
    """Figures said under the plot, off its axis (a flow beside sums, a yardstick): (label, text) pairs."""
    body: list[str] = []
    for label, text in items:
        y += 6
        for line in wrap(label, width):
            y += LINE
            body.append(_text(0, y - 4, line, cls="chart-aside"))
        y += LINE
        body.append(_text(0, y - 4, text, cls="chart-aside-value", bold=True))
    return body, y


# --- Timeline -----------------------------------------------------------------

def event_panel(events: Sequence[Event], date_label: Callable[[int], str], title: str,
                y: float, width: float) -> tuple[list[str], float]:
    """Dated events on a real date axis: each a dot on the axis, its date and label above,
    over round dates (every 1, 2, 7, 14 or 28 days from the first) that fit at *width*."""
    events = sorted(events, key=lambda e: e.day)
    first, last = events[0].day, events[-1].day
    pad = 0.05 * max(last - first, 1)
    lo, hi = first - pad, last + pad

    def where(day: float) -> float:
        return (day - lo) / (hi - lo)

    title_line, y = heading(title, y)
    body = [title_line]
    # Each event's block of text, anchored on its dot, in the first lane where it
    # does not meet another block at the narrowest width.
    lanes: list[list[tuple[float, float]]] = []
    lane_height: list[float] = []
    blocks = []
    for event in events:
        fraction = where(event.day)
        anchor = "start" if fraction < 0.5 else "end"
        room = (1 - fraction if anchor == "start" else fraction) * width
        room = min(room, width / 2 - 8) if len(events) > 1 else room
        lines = wrap(event.label, room)
        block = max(text_width(event.date_text, FONT, True), *(text_width(t) for t in lines))
        x = fraction * width
        span = (x, x + block) if anchor == "start" else (x - block, x)
        free = (i for i, spans in enumerate(lanes) if all(span[1] + 8 < a or span[0] - 8 > b for a, b in spans))
        if (lane := next(free, len(lanes))) == len(lanes):
            lanes.append([])
            lane_height.append(0.0)
        lanes[lane].append(span)
        lane_height[lane] = max(lane_height[lane], LINE * (1 + len(lines)) + 6)
        blocks.append((event, fraction, anchor, lines, lane))
    *lane_top, axis = itertools.accumulate(lane_height, initial=y + 6)
    axis += 8
    body.append(_line("0", axis, "100%", axis, "chart-axis", ' stroke-width="2"'))
    for event, fraction, anchor, lines, lane in blocks:
        x = _pct(fraction)
        top = lane_top[lane]
        dx = -5 if anchor == "start" else 5
        body.append(_line(x, top + LINE * (1 + len(lines)) + 2, x, axis, "chart-stem"))
        body.append(_text(x, top + LINE - 4, event.date_text, cls="chart-date", anchor=anchor, bold=True, dx=dx))
        for index, line in enumerate(lines, start=2):
            body.append(_text(x, top + LINE * index - 4, line, cls="chart-label", anchor=anchor, dx=dx))
        body.append(f'<circle class="chart-dot" cx="{x}" cy="{_num(axis)}" r="5"/>')
    for step in (1, 2, 7, 14, 28):
        days = list(range(first, last + 1, step))
        labels = [date_label(d) for d in days]
        if len(days) <= 6 and _fits([where(d) for d in days], labels, width):
            break
    else:
        days, labels = [first, last], [date_label(first), date_label(last)]
    marks, ticks = ['<g class="chart-tickmark" stroke="currentColor">'], [TICKS]
    for day, text in zip(days, labels, strict=True):
        fraction = where(day)
        x = _pct(fraction)
        marks.append(_line(x, axis, x, axis + 5))
        ticks.append(_text(x, axis + SMALL + 8, text, anchor=_tick_anchor(fraction, text, width),
                           group_anchor="middle"))
    return [*body, *marks, "</g>", *ticks, "</g>"], axis + SMALL + 16


# --- Images -------------------------------------------------------------------

def plot(layouts: Sequence[tuple[str, Sequence[str], float]], *, labelledby: str, describedby: str) -> str:
    """The chart's layouts (name, body, height), each an SVG as wide as its column, in one image
    for assistive technology, named by the title and subtitle, described by the notice and table."""
    svgs = "".join(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg{f" {layout}" if layout else ""}" '
                   f'width="100%" height="{_num(height)}" font-size="{FONT}" fill="currentColor">'
                   + "".join(body) + "</svg>" for layout, body, height in layouts)
    return (f'<div class="chart-plot" role="img" aria-labelledby="{labelledby}" '
            f'aria-describedby="{describedby}">{svgs}</div>')


def standalone(body: Sequence[str], height: float, *, name: str, title: str, subtitle: str,
               footer: Sequence[str]) -> str:
    """The chart as a file of its own: title and subtitle above, source and key below."""
    head: list[str] = []
    y = 0.0
    for line in wrap(title, WIDE_WIDTH, 18, bold=True):
        y += 24
        head.append(_text(0, y - 5, line, cls="chart-file-title", bold=True, size=18))
    for line in wrap(subtitle, WIDE_WIDTH):
        y += LINE
        head.append(_text(0, y - 4, line, cls="chart-file-subtitle"))
    y += 10
    foot: list[str] = []
    bottom = y + height + 6
    for paragraph in footer:
        for line in wrap(paragraph, WIDE_WIDTH, SMALL):
            bottom += LINE
            foot.append(_text(0, bottom - 4, line, cls="chart-file-source", size=SMALL))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{name}" width="{WIDE_WIDTH}" '
        f'height="{_num(bottom + 6)}" font-family="sans-serif" font-size="{FONT}" fill="currentColor" '
        f'color="#111">'
        f"<title>{escape(title, quote=False)}</title>{''.join(head)}"
        f'<g transform="translate(0 {_num(y)})">{"".join(body)}</g>{"".join(foot)}</svg>\n'
    )
