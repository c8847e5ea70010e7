"""Importing the laws corpus layout: documents, their versions, statuses and links."""

from django.core.management import call_command

from search.models import Document, DocumentLink, DocumentVersion, Status, StatusChange


def test_each_law_becomes_one_document_with_its_older_texts_as_superseded_versions(corpus):
    sports = Document.objects.get(title="中华人民共和国体育法")
    first, second = sports.ordered_versions()
    assert (first.published_on.isoformat(), second.published_on.isoformat()) == (
        "2016-11-07",
        "2022-06-24",
    )
    assert first.superseded_on == second.effective_on
    assert second.superseded_on is None
    assert sports.status == Status.IN_FORCE
    assert sports.issuer == "全国人民代表大会常务委员会"
    assert sports.text.startswith("第一章")


def test_a_law_marked_expired_without_a_successor_is_repealed(corpus):
    assert Document.objects.get(title="中华人民共和国环境噪声污染防治法").status == Status.REPEALED


def test_order_numbers_and_amendments_are_read_from_the_text(corpus):
    assert Document.objects.get(title="不动产登记暂行条例").number == "国务院令第656号"
    amendment = Document.objects.get(title="中华人民共和国刑法修正案（十一）")
    assert DocumentLink.objects.filter(
        source=amendment, target__title="中华人民共和国刑法", kind=DocumentLink.Kind.AMENDS
    ).exists()


def test_court_cases_are_not_register_documents(corpus):
    assert corpus.skipped > 0
    assert not Document.objects.filter(versions__source__startswith="案例").exists()


def test_importing_again_changes_nothing(corpus, corpus_sample, capsys):
    counts = (
        Document.objects.count(),
        DocumentVersion.objects.count(),
        StatusChange.objects.count(),
    )
    call_command("import_register", str(corpus_sample), verbosity=0)
    assert "新增 0 件，更新 0 件" in capsys.readouterr().out
    assert counts == (
        Document.objects.count(),
        DocumentVersion.objects.count(),
        StatusChange.objects.count(),
    )
