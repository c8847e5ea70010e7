"""Charts drawn on the server as SVG: shapes and text only, no script and nothing fetched.

Every bar carries its number as text, so a chart reads without colour and prints; the
title and a description listing every value are the chart's accessible name.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from review.models import REVIEW_CONCLUSIONS

from .figures import per_month


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


def _axis(top_value, divisions=4):
    """A scale maximum and step of whole, round numbers: 5 -> (6, 2), 37 -> (40, 10)."""
    rough = max(top_value, 1) / divisions
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(step, 1)
    return math.ceil(max(top_value, 1) / step) * step, step


def columns(title, categories, series, unit):
    """Grouped vertical columns: ``series`` is [(name, [value per category])]."""
    width, height = 720, 280
    left, right, top, bottom = 40, 10, 34, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, step = _axis(max((v for _n, values in series for v in values), default=0))
    chart = Chart(title, "", width, height)
    for tick in range(0, top_value + 1, step):
        y = top + plot_h - plot_h * tick / top_value
        chart.lines.append(Line(left, y, width - right, y))
        chart.texts.append(Text(left - 6, y + 4, str(tick), "end", "axis"))
    group_w = plot_w / len(categories)
    bar_w = group_w * 0.8 / len(series)
    for i, category in enumerate(categories):
        x0 = left + group_w * i + group_w * 0.1
        chart.texts.append(Text(x0 + group_w * 0.4, height - 10, category, kind="axis"))
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
                chart.texts.append(Text(x + bar_w / 2, top + plot_h - h - 3, str(value)))
    chart.legend = [(s, name, left + 150 * s, 14) for s, (name, _v) in enumerate(series)]
    chart.desc = "；".join(
        f"{category}：" + "、".join(f"{name}{values[i]}{unit}" for name, values in series)
        for i, category in enumerate(categories)
    )
    return chart


def bars(title, rows):
    """Horizontal bars, one per row (label, value, text, url, mark): ``text`` is written
    after the bar; ``mark``, if not None, is a second value drawn as a tick (a maximum)."""
    # Sized for a third of the page, where it is shown at about its own size.
    label_w, bar_area, text_w, row_h = 126, 126, 108, 26
    width, height = label_w + bar_area + text_w, row_h * max(len(rows), 1) + 8
    top_value = max((max(v or 0, m or 0) for _l, v, _t, _u, m in rows), default=0) or 1
    chart = Chart(
        title, "；".join(f"{label}：{text}" for label, _v, text, _u, _m in rows), width, height
    )
    for i, (label, value, text, url, mark) in enumerate(rows):
        y = 4 + row_h * i
        w = bar_area * (value or 0) / top_value
        chart.texts.append(Text(label_w - 6, y + 17, label, "end", "axis"))
        chart.bars.append(
            Bar(label_w, y + 5, w, row_h - 10, value or 0, 0, f"{label}：{text}", url)
        )
        end = label_w + max(w, bar_area * (mark or 0) / top_value)
        chart.texts.append(Text(end + 6, y + 18, text, "start"))
        if mark is not None:
            x = label_w + bar_area * mark / top_value
            chart.lines.append(Line(x, y + 2, x, y + row_h - 2, "mark"))
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
