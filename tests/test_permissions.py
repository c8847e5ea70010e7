"""Who may see and do what: every page and action, for every role, in their own
department and another one. 200 = allowed, 403 = seen but not allowed, 404 = not even seen."""

import pytest
from viewflow.workflow.models import Task

from demo import drafts

from .conftest import submit

ROLES = [
    "drafter",
    "dept_legal",
    "drafter2",
    "dept_legal2",
    "reviewer",
    "head",
    "secretary",
    "clerk",
]


@pytest.fixture
def dossiers(people, new_dossier):
    draft = new_dossier(title="起草中的办法（草案）")
    submitted = new_dossier(title="已报送的办法（草案）")
    submit(submitted, people["drafter"])
    return draft, submitted


def status_of(client, user, method, url, data=None):
    client.logout()
    if user:
        client.force_login(user)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


# Pages on the dossier still being drafted (only its own department sees it).
DRAFT_PAGES = {
    # role:          detail, version download, material download
    "drafter": 200,
    "dept_legal": 200,
    "drafter2": 404,
    "dept_legal2": 404,
    "reviewer": 404,
    "head": 404,
    "secretary": 404,
    "clerk": 404,
}
# Pages on the submitted dossier: the legal office sees what was submitted to it; the
# government office only what reaches the government's collective deliberation.
SUBMITTED_PAGES = {**DRAFT_PAGES, "reviewer": 200, "head": 200, "clerk": 200}


@pytest.mark.parametrize("role", ROLES)
def test_dossier_pages_and_downloads(role, people, dossiers, client):
    for dossier, expected in zip(dossiers, (DRAFT_PAGES, SUBMITTED_PAGES), strict=True):
        material = dossier.materials.first()
        for url in (
            f"/dossiers/{dossier.pk}/",
            f"/dossiers/{dossier.pk}/versions/1/download/",
            f"/dossiers/{dossier.pk}/materials/{material.pk}/download/",
        ):
            assert status_of(client, people[role], "get", url) == expected[role], (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_dossier_list_shows_only_what_the_user_may_see(role, people, dossiers, client):
    client.force_login(people[role])
    page = client.get("/dossiers/").content.decode()
    draft, submitted = dossiers
    assert (draft.title in page) == (DRAFT_PAGES[role] == 200)
    assert (submitted.title in page) == (SUBMITTED_PAGES[role] == 200)


ACTIONS_ON_DRAFT = {
    # role: (add material, add version, submit)
    "drafter": (302, 302, 302),
    "dept_legal": (403, 403, 403),
    "drafter2": (404, 404, 404),
    "dept_legal2": (404, 404, 404),
    "reviewer": (404, 404, 404),
    "head": (404, 404, 404),
    "secretary": (404, 404, 404),
    "clerk": (404, 404, 404),
}


@pytest.mark.parametrize("role", ROLES)
def test_actions_on_a_draft(role, people, dossiers, client):
    draft, _ = dossiers
    material = {
        "material-kind": "other",
        "material-file": drafts.material_upload("other", draft.title),
    }
    version = {"version-file": drafts.upload("v2.docx", ["第一条　测试。"]), "version-note": "改"}
    got = (
        status_of(client, people[role], "post", f"/dossiers/{draft.pk}/materials/", material),
        status_of(client, people[role], "post", f"/dossiers/{draft.pk}/versions/", version),
        status_of(client, people[role], "post", f"/tasks/submit/{draft.pk}/"),
    )
    assert got == ACTIONS_ON_DRAFT[role]


@pytest.mark.parametrize("role", ROLES)
def test_opening_a_dossier_needs_a_drafter(role, people, client):
    expected = 200 if role in ("drafter", "drafter2") else 403
    assert status_of(client, people[role], "get", "/dossiers/new/") == expected


# The stage 1 task of the submitted dossier: only its department's legal office.
TASK = {
    "drafter": 403,
    "dept_legal": 200,
    "drafter2": 404,
    "dept_legal2": 404,
    "reviewer": 403,
    "head": 403,
    "secretary": 404,
    "clerk": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_stage_one_task(role, people, dossiers, client):
    _, submitted = dossiers
    task = Task.objects.get(process=submitted.process, status="NEW", flow_task_type="HUMAN")
    url = f"/tasks/{task.pk}/"
    assert status_of(client, people[role], "get", url) == TASK[role]
    before = submitted.history.count()
    status = status_of(client, people[role], "post", url, {"decision": "pass", "comment": "同意。"})
    submitted.refresh_from_db()
    if role == "dept_legal":
        assert status == 302 and submitted.stage == "completeness"
    else:
        assert status == TASK[role] and submitted.stage == "dept_check"
        assert submitted.history.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_queue_offers_the_task_to_its_department_only(role, people, dossiers, client):
    client.force_login(people[role])
    page = client.get("/tasks/queue/").content.decode()
    assert ("已报送的办法（草案）" in page) == (role == "dept_legal")


def test_anonymous_users_are_sent_to_login(dossiers, client):
    _, submitted = dossiers
    for url in ("/tasks/", "/tasks/queue/", "/dossiers/", f"/dossiers/{submitted.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_drafting_department_sees_opinions_only_once_signed(people, new_dossier, client):
    from demo.payloads import LAWFUL

    from .conftest import advance, step

    dossier = advance(new_dossier(), people, 3)  # the reviewer's opinion awaits the head
    step(dossier, people["head"], {"decision": "refuse", "comment": "依据引用不全，请补充。"})
    for role, sees in (
        ("drafter", False),
        ("dept_legal", False),
        ("clerk", False),
        ("reviewer", True),
        ("head", True),
    ):
        client.force_login(people[role])
        page = client.get(dossier.get_absolute_url()).content.decode()
        assert ("该草案制定主体适格" in page) == sees, role
        assert ("依据引用不全" in page) == sees, role
    step(dossier, people["reviewer"], LAWFUL)
    step(dossier, people["head"], {"decision": "sign", "comment": ""})
    client.force_login(people["drafter"])
    assert "该草案制定主体适格" in client.get(dossier.get_absolute_url()).content.decode()


def test_the_government_office_sees_dossiers_from_the_collective_deliberation_on(
    people, new_dossier, client
):
    from .conftest import advance

    dossier = advance(new_dossier(), people, 3)  # awaiting the head's signature
    assert status_of(client, people["secretary"], "get", dossier.get_absolute_url()) == 404
    from .conftest import step

    step(dossier, people["head"], {"decision": "sign", "comment": ""})
    assert status_of(client, people["secretary"], "get", dossier.get_absolute_url()) == 200
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "<strong>出具审查意见</strong>" not in page  # the office's internal step


@pytest.mark.parametrize("role", ROLES)
def test_the_annual_statistics_are_the_legal_offices(role, people, client):
    expected = 200 if role in ("reviewer", "head", "clerk") else 403
    for url in ("/reports/", "/reports/figures/throughput/received/", "/reports/export.xlsx"):
        assert status_of(client, people[role], "get", url) == expected, url
