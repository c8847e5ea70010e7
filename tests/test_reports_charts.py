"""Charts drawn on the server: bars in proportion, every value written, described."""

from pathlib import Path

import pytest
from django.template.loader import render_to_string

from reports import charts

from .browser import chromium


def test_columns_are_in_proportion_and_labelled():
    chart = charts.columns(
        "每月件数", ["1月", "2月", "3月"], [("收文", [2, 4, 0]), ("审结", [1, 0, 3])], "件"
    )
    heights = {bar.label: bar.height for bar in chart.bars}
    assert heights["2月收文4件"] == 2 * heights["1月收文2件"] == 4 * heights["1月审结1件"]
    assert heights["3月收文0件"] == 0
    # A zero draws no number; the others are written over their bars.
    assert sorted(t.text for t in chart.texts if t.kind == "value") == ["1", "2", "3", "4"]
    assert chart.desc == "1月：收文2件、审结1件；2月：收文4件、审结0件；3月：收文0件、审结3件"
    # The scale: whole, round steps up to the largest value or just above it.
    assert [t.text for t in chart.texts if t.kind == "axis"][:5] == ["0", "1", "2", "3", "4"]
    wider = charts.columns("件数", ["1月"], [("收文", [37])], "件")
    assert [t.text for t in wider.texts if t.kind == "axis"][:5] == ["0", "10", "20", "30", "40"]


def test_bars_mark_the_maximum_beside_the_median():
    chart = charts.bars(
        "用时", [("初审", 2, "中位数2、最长8", "/x/", 8), ("复审", 4, "中位数4、最长4", "", 4)]
    )
    first, second = chart.bars
    assert second.width == 2 * first.width and first.url == "/x/"
    marks = [line.x1 for line in chart.lines if line.kind == "mark"]
    assert marks[0] - first.x == 4 * first.width  # the maximum, 8, against the median, 2
    assert chart.desc == "初审：中位数2、最长8；复审：中位数4、最长4"


def test_an_empty_chart_says_so_instead_of_drawing_nothing():
    chart = charts.columns("每月件数", ["1月", "2月"], [("收文", [0, 0])], "件")
    assert chart.empty
    html = render_to_string("reports/includes/chart.html", {"chart": chart, "id": "c"})
    assert "每月件数：暂无数据。" in html and "<svg" not in html


def test_the_svg_is_named_and_described_for_screen_readers():
    chart = charts.bars("结论", [("内容合法", 3, "3件", "/list/", None)])
    html = render_to_string("reports/includes/chart.html", {"chart": chart, "id": "c"})
    assert 'role="img" aria-labelledby="c-title c-desc"' in html
    assert (
        '<title id="c-title">结论</title>' in html
        and '<desc id="c-desc">内容合法：3件</desc>' in html
    )
    assert '<a href="/list/"><rect' in html and ">3件</text>" in html


# Labels as long as the English interface makes them, and numbers of three digits.
LONG_ROWS = [
    ("Initial review by the department's legal office", 12, "Median 12, longest 130", "", 130),
    ("Legality review", 3, "Median 3, longest 9", "", 9),
    ("部门法制机构初审（含补正材料）", 0, "中位数0、最长0", "", 0),
]
MONTHS = [f"Month {m}" for m in range(1, 13)]


def long_charts():
    return [
        charts.bars("Time per stage", LONG_ROWS),
        charts.columns(
            "Per month", MONTHS, [("Received for review", [120] * 12), ("Reviewed", [7] * 12)], ""
        ),
        charts.columns("每月件数", [f"{m}月" for m in range(1, 13)], [("收文", [3] * 12)], "件"),
    ]


def test_every_label_fits_inside_the_chart_and_is_never_under_12_px():
    for chart in long_charts():
        for text in chart.every_text:
            left, top, right, bottom = text.box()
            assert left >= 0 and right <= chart.width, (chart.title, text)
            assert top >= 0 and bottom <= chart.height, (chart.title, text)
            assert text.size * chart.min_width / chart.width >= 12
    # A label too long for its column wraps instead of growing the chart without end.
    lines = [t.text for t in long_charts()[0].texts if t.kind == "axis"]
    assert lines[0] != LONG_ROWS[0][0] and " ".join(lines).startswith(LONG_ROWS[0][0])
    assert max(charts.text_width(line) for line in lines) <= charts.LABEL_MAX


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_in_a_browser_no_label_is_clipped_or_shrunk(width):
    """Measured by Chromium with the page's own fonts and stylesheet, on a phone and a desk."""
    figures = "".join(
        render_to_string("reports/includes/chart.html", {"chart": chart, "id": f"c{i}"})
        for i, chart in enumerate(long_charts())
    )
    css = (Path(__file__).resolve().parents[1] / "static" / "app.css").read_text()
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.set_content(f"<style>{css}</style><main><section class='card'>{figures}</section>")
        problems = page.evaluate(MEASURE)
    assert problems == []


MEASURE = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll("svg")) {
    const box = svg.viewBox.baseVal;
    const scale = svg.getBoundingClientRect().width / box.width;
    for (const text of svg.querySelectorAll("text")) {
      const b = text.getBBox();
      if (b.x < 0 || b.y < 0 || b.x + b.width > box.width || b.y + b.height > box.height)
        problems.push(["clipped", text.textContent, b.x, b.y, b.width, b.height, box.width]);
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < 12) problems.push(["small", text.textContent, px]);
    }
  }
  return problems;
}"""
