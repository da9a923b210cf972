"""Hand-written SVG for the dossier's charts: small, text as text, themable.

Why not matplotlib: for the GPU chart, matplotlib (``svg.fonttype = "none"``)
writes several times the bytes of this module's output (measured by
``scripts/bench_charts.py``), hard-codes its colours, and its import alone
costs a large share of the whole build (the build-time budget is +20 %).
A bar chart and a timeline are a few rectangles and text runs, so we write
them by hand.

Everything here is pure: strings in, a string of SVG out. Colours are
``currentColor`` presentation attributes (right in light and dark mode, in
print and in an EPUB reader's night mode); ``charts.css`` overrides them with
furo's CSS variables where they exist. Labels arrive already translated and
formatted by the caller; this module only places them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 440
FONT = 14  # user units; the SVG scales with the column, see charts.css
ROW_GAP = 14
BAR = 18
# A generous average glyph width for a sans-serif face, so labels never clip.
GLYPH = 0.6

# Bar kinds: how a value stands in the article, drawn so that the difference
# never rests on colour alone (solid, dashed outline, dotted outline, hatched).
KINDS = ("stated", "promised", "projection", "flow", "bound")
STYLE = {
    "stated": 'fill="currentColor"',
    "promised": 'fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="6 3"',
    "projection": 'fill="currentColor" fill-opacity="0.2" stroke="currentColor" stroke-width="2" '
                  'stroke-dasharray="2 3"',
    "flow": 'fill="currentColor" fill-opacity="0.5"',
    "bound": 'fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="6 3"',
}


@dataclass(frozen=True)
class Bar:
    label: str  # what the bar is, e.g. "Colossus, at first"
    value: float  # in base units, only for lengths
    text: str  # the value as readers read it, e.g. "100,000 GPUs"
    kind: str = "stated"
    start: float = 0.0  # in base units: a bar may start where another ends


@dataclass(frozen=True)
class Event:
    date_text: str
    label: str
    day: int  # proleptic ordinal of the date, for spacing


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * size * GLYPH


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, cls: str = "", anchor: str = "start",
          bold: bool = False, size: float = FONT) -> str:
    attrs = [f'x="{_num(x)}"', f'y="{_num(y)}"']
    if size != FONT:
        attrs.append(f'font-size="{_num(size)}"')
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if bold:
        attrs.append('font-weight="bold"')
    if cls:
        attrs.append(f'class="{cls}"')
    return f"<text {' '.join(attrs)}>{escape(text, quote=False)}</text>"


def _svg(body: list[str], height: float, title: str, title_id: str, desc_id: str | None,
         name: str) -> str:
    described = f' aria-describedby="{desc_id}"' if desc_id else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{name}" '
        f'viewBox="0 0 {WIDTH} {_num(height)}" width="{WIDTH}" height="{_num(height)}" '
        f'role="img" aria-labelledby="{title_id}"{described} font-size="{FONT}" '
        f'fill="currentColor">'
        # nohighlight: Sphinx's search highlighting would call getBBox() on it, which a <title> lacks.
        f'<title id="{title_id}" class="nohighlight">{escape(title, quote=False)}</title>'
        + "".join(body) + "</svg>"
    )


def _bar_rows(bars: Sequence[Bar]) -> tuple[list[str], float, float]:
    """Rows of label + bar + value; the scale is the largest that leaves room
    for every value label at the end of its bar."""
    gap = 6
    ends = [bar.start + bar.value for bar in bars]
    scale = min((WIDTH - 2 - text_width(bar.text) - gap) / end
                for bar, end in zip(bars, ends, strict=True) if end > 0)
    body: list[str] = []
    y = 0.0
    for bar, end in zip(bars, ends, strict=True):
        y += FONT
        body.append(_text(0, y, bar.label, cls="chart-label"))
        y += 6
        x0, length = bar.start * scale, max(bar.value * scale, 1.5)
        if bar.start == 0:
            # The zero line this bar grows from.
            body.append(f'<path class="chart-axis" d="M1 {_num(y - 3)}V{_num(y + BAR + 3)}" '
                        f'stroke="currentColor" stroke-width="1" fill="none"/>')
        body.append(f'<rect class="bar bar-{bar.kind}" x="{_num(x0 + 1)}" y="{_num(y)}" '
                    f'width="{_num(length)}" height="{BAR}" {STYLE[bar.kind]}/>')
        body.append(_text(end * scale + 1 + gap, y + BAR / 2 + FONT * 0.35, bar.text,
                          cls="chart-value", bold=True))
        y += BAR + ROW_GAP
    return body, y, scale


def bar_chart(bars: Sequence[Bar], *, title: str, title_id: str, desc_id: str | None = None,
              name: str = "bars", note: str | None = None,
              ruler: tuple[float, Sequence[str], str] | None = None) -> str:
    """Horizontal bars in story order: a label line, then the bar and its value.

    *ruler* = (step in base units, tick labels, caption) draws a yardstick
    axis under the bars (e.g. American homes per step).
    """
    body, y, scale = _bar_rows(bars)
    if ruler:
        step, ticks, caption = ruler
        y += 2
        width = step * scale * len(ticks)
        body.append(f'<path class="chart-ruler" d="M1 {_num(y - 4)}V{_num(y)}H{_num(width + 1)}" '
                    f'stroke="currentColor" stroke-width="1" fill="none"/>')
        # Alternate two rows of labels when neighbours would touch.
        narrow = step * scale < max(text_width(t, FONT - 2) for t in ticks) + 8
        for index, tick in enumerate(ticks, start=1):
            x = step * scale * index + 1
            body.append(f'<path d="M{_num(x)} {_num(y - 4)}V{_num(y + 4)}" stroke="currentColor" '
                        f'stroke-width="1" fill="none"/>')
            row = (index - 1) % 2 if narrow else 0
            anchor = "end" if x + text_width(tick, FONT - 2) / 2 > WIDTH else "middle"
            body.append(_text(x, y + FONT + row * FONT, tick, anchor=anchor,
                              cls="chart-tick", size=FONT - 2))
        y += FONT * (2 if narrow else 1) + 4
        for line in wrap(caption, FONT - 2):
            y += FONT
            body.append(_text(0, y, line, cls="chart-note", size=FONT - 2))
        y += ROW_GAP
    if note:
        for line in wrap(note, FONT - 2):
            y += FONT
            body.append(_text(0, y, line, cls="chart-note", size=FONT - 2))
        y += 4
    return _svg(body, y, title, title_id, desc_id, name)


def timeline(events: Sequence[Event], durations: Sequence[Bar], *, title: str, title_id: str,
             desc_id: str | None, dated_heading: str, durations_heading: str,
             origin_label: str) -> str:
    """Dated events down a vertical line spaced by days, then durations as bars.

    Durations have no start date in the article, so they sit on their own
    relative axis that begins at *origin_label*, never on the calendar.
    """
    body: list[str] = []
    y = FONT
    body.append(_text(0, y, dated_heading, bold=True, cls="chart-heading"))
    y += 12
    events = sorted(events, key=lambda e: e.day)
    per_day = 3.0
    dots: list[float] = []
    for index, event in enumerate(events):
        if index:
            y += max((event.day - events[index - 1].day) * per_day, FONT * 3)
        dots.append(y + FONT * 0.6)
        body.append(f'<circle class="chart-dot" cx="8" cy="{_num(dots[-1])}" r="5"/>')
        body.append(_text(22, y + FONT, event.date_text, bold=True, cls="chart-date"))
        body.append(_text(22, y + FONT * 2.2, event.label, cls="chart-label"))
    if len(dots) > 1:
        body.insert(1, f'<path class="chart-axis" d="M8 {_num(dots[0])}V{_num(dots[-1])}" '
                       f'stroke="currentColor" stroke-width="2" fill="none"/>')
    y += FONT * 2.2 + 28
    body.append(_text(0, y, durations_heading, bold=True, cls="chart-heading"))
    y += 8
    top = y
    rows, height, _scale = _bar_rows(durations)
    body.append(f'<g transform="translate(0 {_num(top)})">{"".join(rows)}</g>')
    y = top + height - ROW_GAP + 8
    body.append(_text(0, y + FONT - 2, origin_label, cls="chart-note", size=FONT - 2))
    y += FONT + 6
    return _svg(body, y, title, title_id, desc_id, "timeline")


def wrap(text: str, size: float, width: float = WIDTH) -> list[str]:
    """Greedy word wrap by estimated width (notes under a chart)."""
    per_line = max(int(width / (size * GLYPH)), 10)
    lines: list[str] = []
    line = ""
    # Split at ordinary spaces only: a no-break space (French "Étalon\u00a0:", "250\u202f000")
    # is part of the word it binds, and str.split() would break it into an ordinary space.
    for word in text.split(" "):
        if not word:
            continue
        if line and len(line) + 1 + len(word) > per_line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def nice_ticks(limit: float, step: float) -> int:
    """How many whole steps fit under *limit* (at least one)."""
    return max(int(math.floor(limit / step + 1e-9)), 1)
