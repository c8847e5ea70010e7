"""The index follows the database: after commit, idempotently, and rebuilt on demand."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from search.backends import SearchQuery, SearchUnavailable, search
from search.models import Document, Kind, Status
from search.tasks import index_documents


def unindexed(title="衡水市居住证管理办法", number="衡政规〔2016〕7号"):
    """A document written to the database alone, as an older release or a lost task left it."""
    return Document.objects.create(
        title=title, number=number, issuer="衡水市人民政府", kind=Kind.GOVERNMENT_NORMATIVE,
        status=Status.IN_FORCE, published_on=date(2016, 3, 1),
    )  # fmt: skip


def test_indexing_twice_leaves_one_entry_and_a_deleted_document_leaves_the_index(
    register_document,
):
    doc = register_document(number="衡政规〔2016〕7号")
    index_documents([doc.pk])
    index_documents([doc.pk])
    assert search(SearchQuery(text="居住证")).total == 1
    pk = doc.pk
    doc.delete()
    index_documents([pk])
    assert search(SearchQuery(text="居住证")).total == 0


def test_a_status_change_reaches_the_index(register_document):
    doc = register_document(number="衡政规〔2016〕7号")
    assert search(SearchQuery(text="居住证", status=(Status.REPEALED,))).total == 0
    doc.change_status(Status.REPEALED, on=date(2020, 1, 1), reason="废止")
    index_documents([doc.pk])
    assert search(SearchQuery(text="居住证", status=(Status.REPEALED,))).total == 1


def test_reindex_rebuilds_the_index_from_the_database(db, search_index, capsys):
    unindexed()
    unindexed("衡水市养犬管理规定", "衡政规〔2016〕8号")
    # Just registered, not yet indexed: the worker may still be on its way.
    assert search(SearchQuery(text="衡水市")).total == 0
    # Never indexed ten minutes on: an empty index beside published documents is a fault.
    later = time_machine.travel(timezone.now() + timedelta(minutes=10))
    with later, pytest.raises(SearchUnavailable):
        search(SearchQuery(text="衡水市"))
    call_command("reindex", verbosity=0)
    assert "已重建索引：2 件" in capsys.readouterr().out
    assert search(SearchQuery(text="衡水市")).total == 2
    call_command("reindex", verbosity=0)
    assert search(SearchQuery(text="衡水市")).total == 2
