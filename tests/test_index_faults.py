"""The index failing under the register: a write that fails, a writer lock held elsewhere,
an index folder gone. Each is reported to the administrators and repaired without
restarting anything, and none passes for an empty register."""

import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from search.backends import SearchQuery, search
from search.models import Document, Kind, Status
from search.tasks import index_documents

from .workers import ROOT, database_url

ADMINS = [("运维", "ops@example.org")]


def alerts(mailoutbox):
    """The search app's alerts (Django mails the admins each 5xx response besides)."""
    return [m.subject for m in mailoutbox if "检索索引" in m.subject]


# A worker process that meets a full disk during an index update: the kernel refuses its
# writes beyond 64 KB (RLIMIT_FSIZE, which binds root too, unlike chmod) and SIGXFSZ is
# ignored, as a full disk's ENOSPC would not kill it either. Then space is freed and it
# goes on, still the same process, and stays alive until the test is done with it.
WORKER = textwrap.dedent(
    """
    import json, resource, signal, sys
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from search.indexing import index_documents

    settings.ADMINS = json.loads(sys.argv[3])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, hard))
    # Kept, as a Celery worker keeps a failed task's exception and its traceback.
    failed = index_documents.apply(args=[[int(sys.argv[1])]])
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    after = index_documents.apply(args=[[int(sys.argv[2])]])
    print(json.dumps({
        "failed": [failed.state, repr(failed.result)],
        "after": [after.state, repr(after.result)],
        "mails": [m.subject for m in getattr(mail, "outbox", [])],
    }), flush=True)
    sys.stdin.readline()
    """
)

HOLDER = textwrap.dedent(
    """
    import sys, tantivy

    writer = tantivy.Index.open(sys.argv[1]).writer(15_000_000, 1)
    print("holding", flush=True)
    sys.stdin.readline()
    """
)


def entry(title, number, text="", **fields):
    """A document in the database alone, as the worker will find it."""
    fields = {
        "issuer": "衡水市人民政府", "kind": Kind.GOVERNMENT_NORMATIVE,
        "status": Status.IN_FORCE, "published_on": date(2016, 3, 1), **fields,
    }  # fmt: skip
    document = Document.objects.create(title=title, number=number, **fields)
    if text:
        document.add_version(text, published_on=fields["published_on"])
    return document


def start(script, *args, env=None):
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=ROOT, env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def finish(process):
    _out, err = process.communicate("\n", timeout=60)
    return err


@pytest.mark.django_db(transaction=True)
def test_a_full_disk_during_an_update_leaves_the_next_update_and_reindex_working(search_index):
    rnd = random.Random(7)
    # Enough distinct bigrams that the new segment cannot be written in 64 KB.
    text = "".join(chr(rnd.randrange(0x4E00, 0x9FA5)) for _ in range(50_000))
    big = entry("衡水市档案管理办法", "衡政规〔2016〕1号", text)
    small = entry("衡水市养犬管理规定", "衡政规〔2016〕2号")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": database_url(),
        "SEARCH_INDEX_PATH": str(search_index),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    worker = start(WORKER, big.pk, small.pk, json.dumps(ADMINS), env=env)
    try:
        report = json.loads(worker.stdout.readline() or "{}")
        assert report, worker.stderr.read()
        state, error = report["failed"]
        assert state == "FAILURE" and "File too large" in error
        # The same worker, not restarted, indexes the next change.
        assert report["after"] == ["SUCCESS", "None"]
        # Retried (eagerly, all in vain while the disk was full), reported once.
        assert report["mails"] == ["[Django] 检索索引写入失败"]
        # While that worker lives on, reindex can take the index.
        call_command("reindex", verbosity=0)
        assert search(SearchQuery(text="档案管理")).total == 1
        assert search(SearchQuery(text="养犬")).total == 1
    finally:
        log = finish(worker)
    assert "检索索引写入失败" in log  # the worker's log, at ERROR


def test_reindex_names_the_process_that_holds_the_index(db, search_index):
    holder = start(HOLDER, search_index)
    try:
        assert holder.stdout.readline() == "holding\n", holder.stderr.read()
        with pytest.raises(CommandError) as busy:
            call_command("reindex", verbosity=0)
    finally:
        finish(holder)
    message = str(busy.value)
    assert f"进程号：{holder.pid}" in message
    assert str(search_index / ".tantivy-writer.lock") in message
    call_command("reindex", verbosity=0)


def test_a_lost_index_is_reported_not_shown_as_an_empty_register(
    db, client, people, search_index, register_document, settings, mailoutbox, caplog
):
    settings.ADMINS = ADMINS
    document = register_document(number="衡政规〔2016〕7号")
    assert client.get("/api/register/search", {"q": "居住证"}).json()["total"] == 1
    shutil.rmtree(search_index)

    response = client.get("/api/register/search", {"q": "居住证"})
    assert response.status_code == 503
    assert response.json() == {"error": "检索服务暂时不可用，请稍后再试。"}
    page = client.get("/register/public/", {"q": "居住证"})
    assert page.status_code == 503 and "检索服务暂时不可用" in page.content.decode()
    client.force_login(people["reviewer"])
    assert client.get("/register/", {"q": "居住证"}).status_code == 503
    # Three requests, one alert.
    assert alerts(mailoutbox) == ["[Django] 检索索引缺失或为空"]
    assert "manage.py reindex" in mailoutbox[0].body
    logged = [r for r in caplog.records if r.levelname == "ERROR" and r.name == "search"]
    assert len(logged) == 1

    # An update does not make a one-document index that would pass for the register.
    assert index_documents.apply(args=[[document.pk]]).state == "FAILURE"
    assert not search_index.exists()
    assert alerts(mailoutbox)[-1] == "[Django] 检索索引写入失败"

    call_command("reindex", verbosity=0)
    assert client.get("/api/register/search", {"q": "居住证"}).json()["total"] == 1


def test_an_empty_index_beside_published_documents_is_reported(db, client, settings, mailoutbox):
    settings.ADMINS = ADMINS
    entry("衡水市居住证管理办法", "衡政规〔2016〕7号")  # never indexed
    # Just registered: the worker may still be on its way, so nothing is said yet.
    assert client.get("/api/register/search", {"q": "居住证"}).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert client.get("/api/register/search", {"q": "居住证"}).status_code == 503
    assert alerts(mailoutbox) == ["[Django] 检索索引缺失或为空"]


def test_an_empty_index_beside_an_empty_register_finds_nothing(db, client, mailoutbox):
    # What every test starts with (tests.register.search_index), and a new installation
    # after its first reindex.
    body = client.get("/api/register/search", {"q": "居住证"}).json()
    assert body["total"] == 0 and body["hits"] == []
    # Unpublished entries alone do not make the register look empty either.
    entry("衡水市居住证管理办法", "衡政规〔2026〕9号", published_on=date(2099, 1, 1))
    assert client.get("/api/register/search", {"q": "居住证"}).status_code == 200
    assert mailoutbox == []
