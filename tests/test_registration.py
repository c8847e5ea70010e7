"""Registration numbers the document and enters it in the register, never reusing a number."""

from datetime import date, timedelta

from django.utils import timezone

from search.models import Document, Kind, Status

from .conftest import advance, step


def test_a_number_already_in_the_register_is_skipped(people, new_dossier, client):
    Document.objects.create(
        title="已导入的旧文件",
        number="衡政规〔2026〕1号",
        issuer="衡水市人民政府",
        kind=Kind.GOVERNMENT_NORMATIVE,
        status=Status.IN_FORCE,
        published_on=date(2026, 1, 5),
    )
    dossier = advance(new_dossier(), people, 6)
    today = timezone.localdate()
    step(dossier, people["clerk"], {"published_on": today.isoformat(), "published_in": "政府网站"})
    assert dossier.number == f"衡政规〔{today.year}〕{2 if today.year == 2026 else 1}号"
    entry = Document.objects.get(dossier=dossier)
    assert entry.status == Status.PENDING and entry.effective_on == today + timedelta(days=30)
    assert entry.title == "衡水市城市房屋租赁管理办法"  # （草案） dropped
