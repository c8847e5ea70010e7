"""Charts drawn on the server as SVG: shapes and text only, no script and nothing fetched.

Every bar carries its number as text, so a chart reads without colour and prints; the
title and a description listing every value are the chart's accessible name. A chart is
sized from its own text: every label fits inside it (a long one wraps), and the page never
shows it so small that its text falls under MIN_PX pixels (``Chart.min_width``).
"""

import math
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.listing import listed
from review.models import REVIEW_CONCLUSIONS

from .figures import per_month

FONT = 14  # the text's size in the chart's own units
MIN_PX = 12
LINE = round(FONT * 1.45)  # a line of text, as tall as a browser's box around it
ASCENT, DESCENT = 1.16, 0.3  # of the font's box, in ems (Noto Sans CJK's are the tallest)
LABEL_MAX = FONT * 11  # a wider label wraps
# Never ends a line's start or starts it: the punctuation after a Chinese word.
CLOSING = "，、。；：）》」』”’"


def _wide(char):
    return unicodedata.east_asian_width(char) in "WF"


def _em(char):
    if _wide(char):
        return 1.0
    if char in "mwMW":
        return 0.9
    if char in " .,:;'!|()[]ijlrtf":
        return 0.36
    return 0.72 if char.isupper() else 0.58


def text_width(text, size=FONT):
    """A generous width: a full em for a Chinese character, less for the others."""
    return size * sum(_em(char) for char in text)


def _tokens(text):
    """Where a line may break: between Chinese characters, and after a space."""
    tokens = []
    for char in text:
        previous = tokens[-1][-1] if tokens else " "
        glued = char in CLOSING or not (
            _wide(char) or _wide(previous) or previous.isspace() and not char.isspace()
        )
        if tokens and glued:
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def wrap(text, width, size=FONT):
    """``text`` in lines no wider than ``width``; a word wider than that keeps a line."""
    lines = [""]
    for token in _tokens(text):
        if lines[-1] and text_width((lines[-1] + token).rstrip(), size) > width:
            lines.append("")
        lines[-1] += token
    return [line.strip() for line in lines]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    series: int
    label: str
    url: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    kind: str = "value"
    size: int = FONT

    def box(self):
        """(left, top, right, bottom) the text takes at most; ``y`` is its baseline."""
        width = text_width(self.text, self.size)
        left = self.x - {"start": 0, "middle": width / 2, "end": width}[self.anchor]
        return left, self.y - ASCENT * self.size, left + width, self.y + DESCENT * self.size


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: str = "grid"


@dataclass
class Chart:
    title: str
    desc: str
    width: int
    height: int
    bars: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    legend: list = field(default_factory=list)

    @property
    def empty(self):
        return not any(bar.value for bar in self.bars)

    @property
    def every_text(self):
        return self.texts + [text for *_swatch, text in self.legend]

    @property
    def min_width(self):
        """The narrowest the page may draw the chart: its smallest text is MIN_PX then."""
        return math.ceil(self.width * MIN_PX / min(t.size for t in self.every_text))


def _axis(top_value, divisions=4):
    """A scale maximum and step of whole, round numbers: 5 -> (6, 2), 37 -> (40, 10)."""
    rough = max(top_value, 1) / divisions
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(int(step), 1)  # under 4, magnitude is a fraction
    return math.ceil(max(top_value, 1) / step) * step, step


def _labelled(label, value):
    return _("%(label)s：%(value)s") % {"label": label, "value": value}


def _legend(names, left, right):
    """Legend entries (series, swatch x, swatch y, name), in rows that fit between the
    margins; and the bottom of the last row."""
    entries, x, y = [], left, math.ceil(4 + ASCENT * FONT)
    for s, name in enumerate(names):
        entry_w = 16 + text_width(name)
        if x > left and x + entry_w > right:
            x, y = left, y + LINE
        entries.append((s, round(x), y - 11, Text(round(x) + 16, y, name, "start", "axis")))
        x += entry_w + 20
    return entries, y + DESCENT * FONT


def columns(title, categories, series, unit):
    """Grouped vertical columns: ``series`` is [(name, [value per category])]."""
    values = [v for _n, vs in series for v in vs]
    top_value, step = _axis(max(values, default=0))
    ticks = range(0, top_value + 1, step)
    left = math.ceil(max(text_width(str(t)) for t in ticks)) + 12
    right, plot_h = 10, 216
    # Wide enough for its numbers side by side and for its category's longest word.
    bar_w = max(text_width(str(v)) for v in values) + 4
    group_w = max(bar_w * len(series) / 0.8, 670 / len(categories))
    words = [w for c in categories for w in wrap(c, group_w - 4)]
    group_w = max(group_w, max(text_width(w) for w in words) + 4)
    bar_w = group_w * 0.8 / len(series)
    width = math.ceil(left + group_w * len(categories) + right)
    legend, legend_bottom = _legend([name for name, _v in series], left, width - right)
    top = math.ceil(legend_bottom + LINE + 4)  # room for the number over the tallest bar
    chart = Chart(title, "", width, 0, legend=legend)
    for tick in ticks:
        y = top + plot_h - plot_h * tick / top_value
        chart.lines.append(Line(left, y, width - right, y))
        chart.texts.append(Text(left - 6, y + 5, str(tick), "end", "axis"))
    bottom = top + plot_h
    for i, category in enumerate(categories):
        x0 = left + group_w * i + group_w * 0.1
        for n, line in enumerate(wrap(category, group_w - 4)):
            y = top + plot_h + 4 + ASCENT * FONT + n * LINE
            chart.texts.append(Text(x0 + group_w * 0.4, y, line, kind="axis"))
            bottom = max(bottom, y + DESCENT * FONT)
        for s, (name, values) in enumerate(series):
            value = values[i]
            h = plot_h * value / top_value
            x = x0 + bar_w * s
            label = _("%(category)s%(name)s%(value)s%(unit)s") % {
                "category": category,
                "name": name,
                "value": value,
                "unit": unit,
            }
            chart.bars.append(Bar(x, top + plot_h - h, bar_w, h, value, s, label))
            if value:
                chart.texts.append(Text(x + bar_w / 2, top + plot_h - h - 4, str(value)))
    chart.height = math.ceil(bottom + 4)
    chart.desc = listed(
        (
            _labelled(category, listed(f"{name}{values[i]}{unit}" for name, values in series))
            for i, category in enumerate(categories)
        ),
        "；",
    )
    return chart


def bars(title, rows):
    """Horizontal bars, one per row (label, value, text, url, mark): ``text`` is written
    after the bar; ``mark``, if not None, is a second value drawn as a tick (a maximum)."""
    labels = [wrap(label, LABEL_MAX) for label, *_rest in rows]
    label_w = math.ceil(max((text_width(line) for ls in labels for line in ls), default=0)) + 8
    text_w = math.ceil(max((text_width(text) for _l, _v, text, _u, _m in rows), default=0))
    bar_area = 120
    width = label_w + bar_area + 6 + text_w + 4
    top_value = max((max(v or 0, m or 0) for _l, v, _t, _u, m in rows), default=0) or 1
    chart = Chart(
        title, listed((_labelled(label, text) for label, _v, text, _u, _m in rows), "；"), width, 0
    )
    y = 4
    for lines, (label, value, text, url, mark) in zip(labels, rows, strict=True):
        row_h = max(26, len(lines) * LINE + 6)
        middle = y + row_h / 2
        first = middle - (len(lines) - 1) * LINE / 2 + (ASCENT - DESCENT) * FONT / 2
        for n, line in enumerate(lines):
            chart.texts.append(Text(label_w - 6, first + n * LINE, line, "end", "axis"))
        w = bar_area * (value or 0) / top_value
        chart.bars.append(
            Bar(label_w, middle - 8, w, 16, value or 0, 0, _labelled(label, text), url)
        )
        end = label_w + max(w, bar_area * (mark or 0) / top_value)
        chart.texts.append(Text(end + 6, middle + (ASCENT - DESCENT) * FONT / 2, text, "start"))
        if mark is not None:
            x = label_w + bar_area * mark / top_value
            chart.lines.append(Line(x, middle - 11, x, middle + 11, "mark"))
        y += row_h
    chart.height = math.ceil(y + 4)
    return chart


def for_report(groups):
    """The page's three charts: reviews per month, time per stage, conclusions."""
    throughput = groups["throughput"]
    months = [_("%(month)s月") % {"month": m} for m in range(1, 13)]
    monthly = columns(
        _("每月收文和审结件数"),
        months,
        [
            (str(throughput["received"].label), per_month(throughput["received"])),
            (str(throughput["reviewed"].label), per_month(throughput["reviewed"])),
        ],
        _("件"),
    )
    stage_rows = [
        (
            str(time.label),
            time.median,
            _("中位数%(median)s、最长%(max)s") % {"median": time.median, "max": time.maximum},
            time.url,
            time.maximum,
        )
        for time in groups["times"].values()
        if time.median is not None
    ]
    opinions = groups["opinions"]
    conclusion_rows = [
        (
            str(opinions[c].label),
            opinions[c].count,
            _("%(count)s件") % {"count": opinions[c].count},
            opinions[c].url,
            None,
        )
        for c in REVIEW_CONCLUSIONS
    ]
    return {
        "monthly": monthly,
        "times": bars(_("各环节办理用时（工作日）"), stage_rows),
        "conclusions": bars(_("书面审查意见的结论"), conclusion_rows),
    }
