from pathlib import Path

import pytest

from demo import drafts
from demo import people as demo_people
from demo.payloads import COMPLETE, LAWFUL, SIGN
from demo.steps import complete_open_task
from review.models import Dossier, User
from workflow.flows import submit_dossier

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs a third of a second per demo user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def chinese_by_default(settings):
    """A test that switched to English must not leave the next one speaking it."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def celery_eager(settings):
    """Unit tests run background tasks in-process; tests marked redis use a real worker."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def people(db):
    """The demo departments and one user per role (drafter2 is of another department)."""
    return demo_people.users(demo_people.departments(), "pw-for-tests-1")


@pytest.fixture
def new_dossier(people, client):
    """A dossier opened by the drafter through the page, with the draft and all materials."""

    def make(title="衡水市城市房屋租赁管理办法（草案）", materials=True, closing=()):
        from review.models import Material

        client.force_login(people["drafter"])
        paragraphs = drafts.draft_text(title, "房屋租赁", "城市房地产管理法", "住房和城乡建设局")
        paragraphs += list(closing)
        response = client.post(
            "/dossiers/new/",
            {
                "title": title,
                "kind": "government",
                "urgency": "normal",
                "legal_basis": "《中华人民共和国城市房地产管理法》",
                "draft": drafts.upload("草案.docx", paragraphs),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        dossier = Dossier.objects.get(title=title)
        if materials:
            for kind in Material.Kind.required():
                add_material(client, dossier, kind)
        client.logout()
        return dossier

    return make


def add_material(client, dossier, kind):
    response = client.post(
        f"/dossiers/{dossier.pk}/materials/",
        {"material-kind": kind, "material-file": drafts.material_upload(kind, dossier.title)},
    )
    assert response.status_code == 302


def step(dossier, user, data, files=None):
    return complete_open_task(dossier, user, data, files)


def submit(dossier, user):
    return submit_dossier(dossier, user)


def login(client, user: User):
    client.force_login(user)
    return client


# The usual path through the four reviews, one step per entry.
USUAL_PATH = [
    ("dept_legal", {"decision": "pass", "comment": "同意。"}),
    ("reviewer", COMPLETE),
    ("reviewer", LAWFUL),
    ("head", SIGN),
    ("secretary", {"meeting": "第1次常务会议", "held_on": "2026-11-02", "outcome": "adopted"}),
    ("clerk", {"decision": "pass", "opinion_adopted": "on"}),
    ("clerk", {"published_on": "2026-11-25", "published_in": "政府网站"}),
]


def advance(dossier, people, steps):
    """Submit the dossier and take it through the first ``steps`` steps of the usual path."""
    submit(dossier, people["drafter"])
    for username, data in USUAL_PATH[:steps]:
        step(dossier, people[username], data)
    return dossier
