"""Whoever a step gives work or news is told, in the app and by email; each notice is mailed
exactly once, whatever the mail server, the broker or the workers do."""

from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.db.models.signals import post_save
from django.utils import timezone, translation

from config.celery import app
from demo.payloads import REVISE, SEND_BACK, SUPPLEMENT
from review.models import HistoryEntry, Stage
from search.models import CampaignItem, CleanupCampaign
from workflow.actions import open_task
from workflow.models import Notification
from workflow.notifications import queue_mail
from workflow.tasks import requeue_notification_mail

from .conftest import USUAL_PATH, advance, step, submit
from .notify_backends import deliveries
from .workers import forget_connections, wait_for

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def with_email(people, *usernames):
    for name in usernames or people:
        people[name].email = f"{name}@example.gov.cn"
        people[name].save(update_fields=["email"])


def told_since(pk):
    """Who was told since notice ``pk``: {username}."""
    return set(Notification.objects.filter(pk__gt=pk).values_list("user__username", flat=True))


def last_notice():
    return Notification.objects.order_by("pk").values_list("pk", flat=True).last() or 0


def later(minutes):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


# Who is told after each step of the usual path; never the person who acted.
USUAL_PATH_TOLD = [
    # submitted: stage 1 waits for the department's legal office (not the other department's)
    {"dept_legal"},
    # passed on: the completeness check waits for the reviewers
    {"reviewer", "reviewer2"},
    # materials complete: the legal review, for the reviewers but the one who acted
    {"reviewer2"},
    # opinion written: the head's signature
    {"head"},
    # signed: the drafter hears the conclusion; the meeting waits for the secretary
    {"drafter", "secretary"},
    # decided: the drafter hears the decision; the recheck waits for the clerk
    {"drafter", "clerk"},
    # rechecked: registration is the clerk's, who acted
    set(),
    # registered and published: the drafter and the department's people
    {"drafter", "dept_legal"},
]


def test_each_step_of_the_usual_path_tells_those_it_gives_work_or_news(people, new_dossier):
    dossier = new_dossier()
    mark = last_notice()
    submit(dossier, people["drafter"])
    steps = [(None, None), *USUAL_PATH]
    for (username, data), expected in zip(steps, USUAL_PATH_TOLD, strict=True):
        if username:
            step(dossier, people[username], data)
        assert told_since(mark) == expected, f"after {username or 'submission'}"
        mark = last_notice()
    issued = Notification.objects.filter(user=people["dept_legal"]).latest("pk")
    assert dossier.number in issued.message and issued.dossier == dossier


@pytest.mark.parametrize(
    ("steps", "username", "data", "says"),
    [
        (0, "dept_legal", SEND_BACK, ["已退回起草部门修改", "第三条职责表述不清"]),
        (1, "reviewer", SUPPLEMENT, ["送审材料不齐全", "请补充征求意见情况"]),
        (3, "head", None, ["结论为“修改完善”", "请按审查意见修改后重新报送", "5个工作日内"]),
    ],
    ids=["sent back", "supplement requested", "revision required"],
)
def test_the_drafter_is_told_once_why_the_draft_comes_back(
    people, new_dossier, steps, username, data, says
):
    dossier = new_dossier()
    if data is None:  # the head signs an opinion that asks for revision
        advance(dossier, people, 2)
        step(dossier, people["reviewer"], REVISE)
        data = USUAL_PATH[3][1]
    else:
        advance(dossier, people, steps)
    mark = last_notice()
    step(dossier, people[username], data)
    # One notice: the drafter's own step that follows is not told again.
    note = Notification.objects.get(pk__gt=mark)
    assert note.user == people["drafter"] and note.dossier == dossier
    for words in says:
        assert words in note.message


def test_a_notice_is_in_chinese_whatever_language_the_actor_reads(people, new_dossier):
    dossier = new_dossier()
    with translation.override("en"):
        submit(dossier, people["drafter"])
    note = Notification.objects.get(user=people["dept_legal"])
    assert (
        note.message == "《衡水市城市房屋租赁管理办法（草案）》已转入“部门初审”环节，请及时办理。"
    )


@pytest.mark.today(date(2025, 10, 9))
def test_each_reader_reads_a_notice_in_their_own_language(people, new_dossier, client):
    dossier = advance(new_dossier(), people, 2)
    client.force_login(people["head"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/tasks/"})
    client.post(f"/tasks/clock/{dossier.pk}/", {"action": "extend", "reason": "情况复杂"})
    note = Notification.objects.get(user=people["drafter"], key__startswith="extended")
    # Stored and mailed in the record's language, whoever acted in English.
    assert note.message == (
        "《衡水市城市房屋租赁管理办法（草案）》的审查期限已延长10个工作日，"
        "至2025年11月12日。理由：情况复杂"
    )
    client.force_login(people["drafter"])  # the language cookie stays: English
    page = client.get("/tasks/notifications/").content.decode()
    assert "has been extended by 10 working days, to Nov. 12, 2025. Reason: 情况复杂" in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/tasks/"})
    page = client.get("/tasks/notifications/").content.decode()
    assert "已延长10个工作日，至2025年11月12日。理由：情况复杂" in page


def test_an_event_told_again_is_not_told_twice(people, new_dossier):
    dossier = advance(new_dossier(), people, 0)
    step(dossier, people["dept_legal"], SEND_BACK)
    entry = dossier.history.get(action=HistoryEntry.Action.SENT_BACK)
    post_save.send(HistoryEntry, instance=entry, created=True)
    assert Notification.objects.filter(user=people["drafter"]).count() == 1


def test_a_cleanup_assignment_tells_the_people_of_the_department_who_propose(
    people, register_document, django_capture_on_commit_callbacks
):
    housing, market = people["drafter"].department, people["drafter2"].department
    docs = [
        register_document(
            title="衡水市物业管理办法", number="衡政规〔2016〕1号", department=housing
        ),
        register_document(title="衡水市住房公积金管理办法", number="衡政规〔2016〕2号"),
    ]
    campaign = CleanupCampaign.objects.create(
        title="2026年规范性文件清理", created_by=people["reviewer"], reply_due=date(2026, 12, 24)
    )
    with django_capture_on_commit_callbacks(execute=True):
        campaign.add_documents(docs)
    assert told_since(0) == {"drafter", "dept_legal"}
    assert Notification.objects.first().message == (
        "“2026年规范性文件清理”已分配1件文件由本部门提出清理意见。答复期限为2026年12月24日。"
    )

    mark = last_notice()
    unassigned = CampaignItem.objects.filter(department=None)
    with django_capture_on_commit_callbacks(execute=True):
        campaign.assign(people["reviewer"], unassigned, market)
    assert told_since(mark) == {"drafter2", "dept_legal2"}

    mark = last_notice()
    with django_capture_on_commit_callbacks(execute=True):
        campaign.assign(people["reviewer"], CampaignItem.objects.all(), housing)
    assert told_since(mark) == {"drafter", "dept_legal"}  # a second assignment, a second notice
    assert "已分配2件文件" in Notification.objects.latest("pk").message


@pytest.fixture(params=["mail server", "broker"])
def outage(request, settings):
    """The mail server refuses, or the broker cannot be reached, until ``outage.end()``."""

    class Outage:
        what = request.param

        def end(self):
            settings.EMAIL_BACKEND = LOCMEM
            app.conf.update(broker_url=default, task_always_eager=True)
            forget_connections()

    default = app.conf.broker_url
    if request.param == "mail server":
        settings.EMAIL_BACKEND = "tests.notify_backends.RefusingBackend"
    else:
        app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
        forget_connections()
    outage = Outage()
    yield outage
    outage.end()


@pytest.mark.django_db(transaction=True)
def test_an_outage_during_a_step_neither_fails_the_page_nor_loses_the_notice(
    people, new_dossier, client, outage, mailoutbox
):
    with_email(people, "reviewer", "reviewer2")
    dossier = advance(new_dossier(), people, 0)
    task = open_task(dossier)
    client.force_login(people["dept_legal"])
    client.post(f"/tasks/{task.pk}/claim/")
    mark = last_notice()

    response = client.post(f"/tasks/{task.pk}/", {"decision": "pass", "comment": "同意。"})

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.stage == Stage.COMPLETENESS
    notes = Notification.objects.filter(pk__gt=mark)
    assert {n.user.username for n in notes} == {"reviewer", "reviewer2"}
    assert not any(n.mailed_at for n in notes) and not mailoutbox
    tried = 1 if outage.what == "mail server" else 0
    assert [n.mail_attempts for n in notes] == [tried, tried]

    outage.end()
    with later(5):
        assert requeue_notification_mail() == 0  # the first retries may still be under way
    with later(25):
        assert requeue_notification_mail() == 2
        assert requeue_notification_mail() == 0
    assert sorted(m.to[0] for m in mailoutbox) == [
        "reviewer2@example.gov.cn",
        "reviewer@example.gov.cn",
    ]
    assert "已转入“材料齐全性审查”环节" in mailoutbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_failing_twice_delivers_each_notice_exactly_once(
    people, new_dossier, workers, tmp_path, monkeypatch
):
    """Two real workers; every notice is also queued a second time, as the periodic pass
    would while the first is being retried; one notice was never queued (the broker was
    down when it was made) and is found by the periodic pass."""
    log = tmp_path / "mail.jsonl"
    monkeypatch.setenv("EMAIL_BACKEND", "tests.notify_backends.FlakyBackend")
    monkeypatch.setenv("NOTIFY_MAIL_LOG", str(log))
    monkeypatch.setenv("NOTIFICATION_MAIL_RETRY_SECONDS", "1")
    start = workers.folder()
    start()
    start()
    with_email(people)

    advance(new_dossier(), people, len(USUAL_PATH))
    notes = list(Notification.objects.all())
    assert len(notes) == sum(map(len, USUAL_PATH_TOLD))
    for note in notes:
        queue_mail(note.pk)
    finished = 2 * len(notes)  # every chain of tries ends once, mailed or finding it mailed
    wait_for(lambda: chains_finished(tmp_path) == finished, 120, "every notice")

    lost = Notification.objects.create(
        user=people["head"], message="《某办法》已转入“负责人签发审查意见”环节。", key="lost:1"
    )
    for tries in (1, 2, 3):  # one try by each periodic pass
        with later(25 * tries):
            assert requeue_notification_mail() == 1
        finished += 1
        wait_for(lambda n=finished: chains_finished(tmp_path) == n, 60, f"pass {tries}")
    with later(100):
        assert requeue_notification_mail() == 0

    notes.append(lost)
    expected = Counter((n.user.email, n.message) for n in notes)
    assert Counter(deliveries(log)) == expected and set(expected.values()) == {1}
    for note in Notification.objects.all():
        assert note.mailed_at and note.mail_attempts == 3


def chains_finished(tmp_path):
    """How many mail tasks the workers finished (a retry is not finished)."""
    lines = "".join(log.read_text() for log in tmp_path.glob("worker-*.log")).splitlines()
    return sum("mail_notification[" in line and " succeeded in " in line for line in lines)
