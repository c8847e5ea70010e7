"""What every page has around its content: the icon, the confirmation script, a header that
leaves a phone its screen, error pages that say why and who you are, English without
Chinese punctuation."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytest_plugins = ["tests.browser"]  # the `browser` fixture
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
PHONE = {"width": 390, "height": 844}


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_the_icon_is_answered_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"
    assert "<svg" in Path(finders.find("favicon.svg")).read_text()


@pytest.mark.parametrize(
    "url", ["/login/", "/tasks/", "/dossiers/", "/dossiers/new/", "/reports/", "/nowhere/"]
)
def test_every_page_names_its_icon_and_loads_the_confirmations(url, people, client):
    client.force_login(people["drafter"])
    page = client.get(url).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert '<script src="/static/confirm.js" defer></script>' in page


def test_forbidden_says_why_and_who_you_are(people, client):
    client.force_login(people["drafter"])
    response = client.get("/reports/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "年度审查统计仅供政府法制机构查看。" in page
    # Who the system takes the user for, so the reason never reads as a contradiction.
    facts = re.sub(r"\s+", "", re.search(r'<dl class="facts">(.*?)</dl>', page, re.S)[1])
    assert facts == (
        "<dt>账户</dt><dd>张起草</dd><dt>所在部门</dt><dd>衡水市住房和城乡建设局</dd>"
        "<dt>角色</dt><dd>起草部门经办人</dd>"
    )


def test_english_pages_have_no_chinese_punctuation(people, new_dossier, client):
    dossier = new_dossier(materials=False)
    client.force_login(people["drafter"])
    english(client)
    for url in ("/dossiers/new/", "/reports/", "/nowhere/", dossier.get_absolute_url()):
        page = client.get(url).content.decode()
        header = page[page.index('<header class="top">') : page.index("</header>")]
        assert not re.search("[：（）；、]", header), (url, header)
    page = client.get("/dossiers/new/").content.decode()
    assert not re.search("[：（）；、]", page[page.index('<main id="main">') :])
    assert "(" + str(people["drafter"].department) + ")" in page
    client.force_login(people["head"])
    for url in ("/dossiers/new/", "/reports/?year=2026"):  # forbidden, then the statistics
        page = client.get(url).content.decode()
        assert not re.search("[：（）；、]", page), page


@pytest.fixture
def phone_pages(browser, live_server, people, settings):
    """Logged-in pages on a phone, with every response that failed."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    failed, contexts = [], []

    def open_as(username, language):
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
        page.goto(live_server.url + "/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill("pw-for-tests-1")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"/tasks/"))
        if language == "en":
            page.get_by_role("button", name="English").click()
            page.wait_for_url(re.compile(r"/tasks/"))
        return page

    yield open_as, failed
    for context in contexts:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_on_a_phone_the_header_leaves_the_screen_to_the_page(language, phone_pages):
    open_as, failed = phone_pages
    page = open_as("reviewer", language)
    assert page.locator("html").get_attribute("lang") == language
    header = page.locator("header.top").bounding_box()
    assert header["height"] <= 0.15 * PHONE["height"], header
    # Every destination stays one swipe away, and the page itself never scrolls sideways.
    nav = page.get_by_role("navigation", name=re.compile("主导航|Main navigation"))
    assert nav.get_by_role("link").count() == 9
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"chrome-phone-{language}.png")
    assert failed == []
