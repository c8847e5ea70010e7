"""A dossier issued through the review enters the register (统一登记, Art. 22-24)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from search.backends import SearchQuery, search
from search.models import Kind, Status
from search.register import enter_issued


def issue(dossier, people, number, published_on, **kwargs):
    dossier.number = number
    dossier.save(update_fields=["number"])
    return enter_issued(dossier, published_on=published_on, user=people["clerk"], **kwargs)


def test_an_issued_document_is_not_yet_in_force_for_thirty_days_and_lapses_after_five_years(
    new_dossier, people, django_capture_on_commit_callbacks
):
    dossier = new_dossier("衡水市城市房屋租赁管理办法（草案）")
    with django_capture_on_commit_callbacks(execute=True):
        doc = issue(dossier, people, "衡政规〔2099〕3号", date(2099, 3, 1))
    assert doc.title == "衡水市城市房屋租赁管理办法"
    assert doc.kind == Kind.GOVERNMENT_NORMATIVE
    assert doc.status == Status.PENDING
    assert doc.effective_on == date(2099, 3, 31)
    assert doc.lapses_on == date(2104, 3, 30)
    assert doc.text == dossier.latest_version.text
    assert doc.status_changes.get().actor == people["clerk"]
    assert search(SearchQuery(text="衡政规[2099]3号")).hits[0].document == doc


def test_a_provisional_document_lapses_after_two_years(new_dossier, people):
    doc = issue(
        new_dossier("衡水市共享单车管理暂行办法（草案）"), people, "衡政规〔2018〕3号",
        date(2018, 1, 18), effective_on=date(2018, 2, 1),
    )  # fmt: skip
    assert doc.status == Status.IN_FORCE
    assert doc.lapses_on == date(2020, 1, 31)


def test_a_dossier_is_registered_once(new_dossier, people):
    dossier = new_dossier()
    issue(dossier, people, "衡政规〔2018〕4号", date(2018, 1, 18))
    with pytest.raises(ValidationError, match="已登记入库"):
        enter_issued(dossier, published_on=date(2018, 1, 18), user=people["clerk"])


def test_a_registration_that_rolls_back_leaves_nothing_in_the_index(
    new_dossier, people, django_capture_on_commit_callbacks
):
    dossier = new_dossier()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        issue(dossier, people, "衡政规〔2018〕5号", date(2018, 1, 18))
        raise RuntimeError("the workflow failed after registering")
    assert callbacks == []
    assert search(SearchQuery(text="房屋租赁")).total == 0
