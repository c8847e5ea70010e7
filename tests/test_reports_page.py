"""The statistics page: every figure shown and linked to the list it counted; filters;
who may see it; bad parameters answered with a message."""

from html import unescape

import lxml.html
import pytest
from django.utils import timezone

from reports import figures
from review.models import Department

from .reports_year import EXPECTED, MARKET, YEAR, build


@pytest.fixture
def year(people):
    return build(people)


def page(client, url):
    response = client.get(url)
    return response, lxml.html.fromstring(response.content.decode())


def links(tree, href):
    """The number each link to ``href`` shows (a link's text starts with it)."""
    return [a.text_content().split()[0] for a in tree.xpath("//a[@href]") if a.get("href") == href]


def listed(client, url):
    """The titles in the list behind a figure."""
    response, tree = page(client, url)
    assert response.status_code == 200, url
    return [row.xpath("td[2]")[0].text_content().strip() for row in tree.xpath("//tbody/tr")]


def test_every_figure_is_on_the_page_and_its_list_has_what_it_counts(year, people, client):
    client.force_login(people["reviewer"])
    response, tree = page(client, f"/reports/?year={YEAR}")
    assert response.status_code == 200
    found = figures.compute(figures.Scope(YEAR))
    for group, expected in EXPECTED.items():
        for name, count in expected.items():
            figure = found[group][name]
            assert str(count) in links(tree, figure.url), (group, name)
            titles = listed(client, figure.url)
            assert len(titles) == count, (group, name)
            assert titles == [row.title for row in figure.rows], (group, name)
    times = tree.xpath(
        "//h2[text()='各环节办理用时']/following-sibling::table[1]//tr[th='合法性审查']"
    )
    assert [td.text_content() for td in times[0].xpath("td")] == ["6", "4", "20"]


def test_the_lists_name_the_dossiers(year, people, client):
    client.force_login(people["head"])
    scope = figures.Scope(YEAR)
    deemed = figures.find(scope, "deadlines", "deemed_passed")
    assert listed(client, deemed.url) == [year.d3.title]
    _response, tree = page(client, deemed.url)
    text = tree.text_content()
    assert "2025年3月25日视为审查通过" in text and "期限届满日2025年3月24日" in text
    postponed = figures.find(scope, "meetings", "postponed")
    assert listed(client, postponed.url) == [year.d4.title]
    _response, tree = page(client, postponed.url)
    assert tree.xpath("//tbody/tr/td[2]/a")[0].get("href") == year.d4.get_absolute_url()


def test_per_department_and_issuing_body(year, people, client, settings):
    client.force_login(people["reviewer"])
    market = Department.objects.get(name=MARKET)
    response, tree = page(client, f"/reports/?year={YEAR}&department={market.pk}")
    received = figures.find(figures.Scope(YEAR, department=market), "throughput", "received")
    assert links(tree, received.url)[0] == "3"
    assert f"department={market.pk}" in received.url
    assert listed(client, received.url) == [year.d3.title, year.d5.title, year.d6.title]
    assert "市场监督管理局起草的规范性文件3件" in tree.text_content()

    issuer = settings.GOVERNMENT_NAME
    _response, tree = page(client, f"/reports/?year={YEAR}&issuer={issuer}")
    issued = figures.find(figures.Scope(YEAR, issuer=issuer), "throughput", "issued")
    assert links(tree, issued.url)[0] == "2"
    assert listed(client, issued.url) == [year.d1.title, year.d2.title]


def test_charts_are_drawn_on_the_server_and_described(year, people, client):
    client.force_login(people["reviewer"])
    _response, tree = page(client, f"/reports/?year={YEAR}")
    charts = {svg.xpath("title")[0].text: svg for svg in tree.xpath("//svg")}
    assert set(charts) == {"每月收文和审结件数", "书面审查意见的结论", "各环节办理用时（工作日）"}
    assert all(svg.get("role") == "img" for svg in charts.values())
    described = {title: svg.xpath("desc")[0].text for title, svg in charts.items()}
    assert "1月：收到报送审查1件、完成合法性审查2件" in described["每月收文和审结件数"]
    assert "3月：收到报送审查1件、完成合法性审查1件" in described["每月收文和审结件数"]
    assert "内容合法：4件" in described["书面审查意见的结论"]
    assert "合法性审查：中位数4、最长20" in described["各环节办理用时（工作日）"]
    # Each conclusion's bar links to its list.
    lawful = figures.find(figures.Scope(YEAR), "opinions", "lawful")
    assert charts["书面审查意见的结论"].xpath(f"//a[@href='{lawful.url}']/rect")
    assert not tree.xpath("//svg//script")


def test_the_report_wording_is_on_the_page(year, people, client):
    client.force_login(people["reviewer"])
    _response, tree = page(client, f"/reports/?year={YEAR}")
    text = unescape(tree.text_content())
    assert (
        "全年共审查规范性文件6件（其中出具书面审查意见后审结5件，审查期限届满视为审查通过1件），出具书面审查意见6件，其中内容合法4件、修改完善1件、不予制定1件"
        in text
    )


def test_the_past_year_by_default(people, client):
    client.force_login(people["reviewer"])
    _response, tree = page(client, "/reports/")
    last_year = timezone.localdate().year - 1
    assert tree.xpath("//h1")[0].text_content() == f"{last_year}年度规范性文件审查统计"


def test_administrators_see_it_and_strangers_log_in_first(people, client, django_user_model):
    assert client.get("/reports/").url.startswith("/login/")
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-1234567")
    client.force_login(admin)
    assert client.get("/reports/").status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=1999", "没有“1999”年度的统计数据，可以查看"),
        ("year=abc", "没有“abc”年度的统计数据"),
        ("department=99999", "没有这个起草部门"),
        ("issuer=不存在的机关", "没有名为“不存在的机关”的制定机关"),
    ],
)
def test_bad_parameters_get_a_message(people, client, query, message):
    client.force_login(people["reviewer"])
    for url in (
        f"/reports/?{query}",
        f"/reports/figures/opinions/all/?{query}",
        f"/reports/export.docx?{query}",
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_an_unknown_figure_is_not_found(people, client):
    client.force_login(people["reviewer"])
    assert client.get("/reports/figures/opinions/nonsense/").status_code == 404
    assert client.get("/reports/figures/nonsense/all/").status_code == 404
