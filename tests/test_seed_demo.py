"""`manage.py seed_demo` gives a fresh machine users to log in as and dossiers at each stage."""

from django.core.management import call_command

from review.models import Dossier, Stage, User


def test_seed_demo_is_idempotent_and_covers_every_stage(db, settings, capsys):
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo")
    counts = (User.objects.count(), Dossier.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Dossier.objects.count()) == counts
    assert "demo-review-2026" in capsys.readouterr().out

    stages = set(Dossier.objects.values_list("stage", flat=True))
    for stage in (
        Stage.DRAFT, Stage.DEPT_CHECK, Stage.REVISION, Stage.SUPPLEMENT, Stage.LEGAL_REVIEW,
        Stage.HEAD_SIGN, Stage.MEETING, Stage.RECHECK, Stage.ISSUED,
    ):  # fmt: skip
        assert stage in stages
    assert Dossier.objects.get(title="衡水市城市供水用水管理办法").number.startswith("衡政规〔")


def test_seed_demo_shows_what_the_law_attaches_to_the_dates(db):
    from search.models import Document, Status
    from workflow.models import ClockEvent

    call_command("seed_demo")
    deemed = Dossier.objects.get(title="衡水市城市地下综合管廊管理办法（草案）")
    assert deemed.stage == Stage.MEETING
    assert deemed.clock_events.filter(kind=ClockEvent.Kind.DEEMED_PASSED).exists()
    negotiating = Dossier.objects.get(title="衡水市共享单车停放管理办法（草案）")
    assert negotiating.stage == Stage.NEGOTIATION and negotiating.objections.get().outcome == ""
    own = Dossier.objects.get(title="衡水市住房和城乡建设局行政执法公示办法（草案）")
    assert own.meetings.get().get_body_display() == "部门办公会议"
    old = Document.objects.get(title="衡水市城市节约用水管理办法", dossier__isnull=True)
    assert old.status == Status.AMENDED and old.incoming_links.get().kind == "amends"
    partial = Dossier.objects.get(title="衡水市房屋安全鉴定管理办法（草案）")
    assert partial.stage == Stage.COMPLETENESS and partial.requested_materials == [
        "risk_assessment"
    ]


def test_each_demo_user_logs_in_and_finds_work(db, settings, client):
    settings.DEMO_PASSWORD = "another-demo-pw"
    call_command("seed_demo")
    expected = {
        "drafter": ("/tasks/", "衡水市住宅专项维修资金管理办法（草案）"),  # sent back to them
        "dept_legal": ("/tasks/queue/", "衡水市物业服务收费管理规定（草案）"),
        "reviewer": ("/tasks/queue/", "衡水市建筑垃圾管理办法（草案）"),
        "head": ("/tasks/queue/", "衡水市城镇燃气安全管理规定（草案）"),
        "secretary": ("/tasks/queue/", "衡水市住房公积金缴存管理办法（草案）"),
        "clerk": ("/tasks/queue/", "衡水市房地产经纪管理办法（草案）"),
    }
    for username, (url, title) in expected.items():
        client.logout()
        response = client.post("/login/", {"username": username, "password": "another-demo-pw"})
        assert response.status_code == 302, username
        assert title in client.get(url).content.decode(), username


def test_the_inbox_lists_tasks_the_user_may_take(people, new_dossier, client):
    from .conftest import submit

    dossier = new_dossier()
    submit(dossier, people["drafter"])
    client.force_login(people["dept_legal"])
    page = client.get("/tasks/").content.decode()
    assert dossier.title in page and "待领取" in page
    client.force_login(people["dept_legal2"])
    assert dossier.title not in client.get("/tasks/").content.decode()
