"""Registration numbers the document and enters it in the register, never reusing a number."""

from datetime import date, timedelta

from search.models import Document, Kind, Status

from .conftest import advance, step


def test_a_number_already_in_the_register_is_skipped(people, new_dossier, client, today):
    # An imported document already holds this year's first number.
    Document.objects.create(
        title="已导入的旧文件",
        number=f"衡政规〔{today.year}〕1号",
        issuer="衡水市人民政府",
        kind=Kind.GOVERNMENT_NORMATIVE,
        status=Status.IN_FORCE,
        published_on=date(today.year, 1, 5),
    )
    dossier = advance(new_dossier(), people, 6)
    step(dossier, people["clerk"], {"published_on": today.isoformat(), "published_in": "政府网站"})
    assert dossier.number == f"衡政规〔{today.year}〕2号"
    entry = Document.objects.get(dossier=dossier)
    assert entry.status == Status.PENDING and entry.effective_on == today + timedelta(days=30)
    assert entry.title == "衡水市城市房屋租赁管理办法"  # （草案） dropped
