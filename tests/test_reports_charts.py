"""Charts drawn on the server: bars in proportion, every value written, described."""

from django.template.loader import render_to_string

from reports import charts


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
