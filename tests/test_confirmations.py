"""An action that cannot be taken back asks first: a submit button (or a form) with
data-confirm="question" shows the question, and a "no" sends nothing (static/confirm.js)."""

import pytest

pytest_plugins = ["tests.browser"]  # the `browser` fixture
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMS = """
<form method="post" action="/confirm-target/" id="by-button">
  <button name="go" value="save">保存</button>
  <button name="go" value="publish" data-confirm="确定公布吗？">公布</button>
</form>
<form method="post" action="/confirm-target/" id="by-form" data-confirm="确定提交吗？">
  <input name="note" value="x"><button>提交</button>
</form>
"""


@pytest.fixture
def page(browser, live_server):
    page = browser.new_page()
    page.sent, page.asked = [], []
    page.route(
        "**/confirm-target/",
        lambda route: (page.sent.append(route.request.post_data), route.fulfill(body="ok")),
    )
    page.goto(live_server.url + "/login/")  # any page: base.html loads the script
    page.evaluate("html => document.querySelector('main').innerHTML += html", FORMS)
    yield page
    page.close()


def answer(page, yes):
    def handle(dialog):
        page.asked.append(dialog.message)
        dialog.accept() if yes else dialog.dismiss()

    page.once("dialog", handle)


def test_no_sends_nothing_and_yes_sends_the_form(page):
    answer(page, yes=False)
    page.get_by_role("button", name="公布").click()
    page.wait_for_timeout(300)
    assert page.asked == ["确定公布吗？"] and page.sent == []

    answer(page, yes=True)
    with page.expect_request("**/confirm-target/"):
        page.get_by_role("button", name="公布").click()
    assert page.sent == ["go=publish"]


def test_a_button_without_the_question_is_not_asked_about(page):
    with page.expect_request("**/confirm-target/"):
        page.get_by_role("button", name="保存").click()
    assert page.asked == [] and page.sent == ["go=save"]


def test_the_question_can_sit_on_the_form_for_all_its_buttons(page):
    answer(page, yes=False)
    page.locator("#by-form input").press("Enter")
    page.wait_for_timeout(300)
    assert page.asked == ["确定提交吗？"] and page.sent == []
