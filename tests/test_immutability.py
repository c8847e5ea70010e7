"""Nobody edits a submitted version, a signed opinion or a history entry: they add new ones."""

import pytest
from django.core.exceptions import ValidationError

from review.models import DraftVersion, HistoryEntry, Opinion

from .conftest import step, submit


@pytest.fixture
def passed(people, new_dossier):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], {"decision": "pass", "comment": "同意。"})
    return dossier


def test_versions_cannot_be_changed_or_deleted(passed):
    version = passed.versions.get()
    version.note = "改写历史"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    with pytest.raises(ValidationError):
        DraftVersion.objects.filter(pk=version.pk).update(note="x")
    with pytest.raises(ValidationError):
        DraftVersion.objects.all().delete()


def test_signed_opinions_cannot_be_changed_or_deleted(passed):
    opinion = passed.opinions.get()
    assert opinion.is_signed
    opinion.text = "另一种意见"
    with pytest.raises(ValidationError):
        opinion.save()
    with pytest.raises(ValidationError):
        opinion.delete()
    with pytest.raises(ValidationError):
        opinion.sign(opinion.author)
    assert Opinion.objects.get(pk=opinion.pk).text == "同意。"


def test_history_cannot_be_changed_or_deleted(passed):
    entry = passed.history.first()
    entry.comment = "x"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        HistoryEntry.objects.filter(pk=entry.pk).delete()


def test_admin_offers_no_change_or_delete(passed, admin_client):
    version = passed.versions.get()
    for url in (
        f"/admin/review/draftversion/{version.pk}/delete/",
        f"/admin/review/opinion/{passed.opinions.get().pk}/delete/",
        f"/admin/review/historyentry/{passed.history.first().pk}/delete/",
    ):
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    change = f"/admin/review/draftversion/{version.pk}/change/"
    page = admin_client.get(change)
    assert page.status_code == 200
    # The change form is shown read-only: no field to edit and no button to save with.
    html = page.content.decode()
    assert 'id="draftversion_form"' in html
    form = html.split('id="draftversion_form"')[1].split("</form>")[0]
    assert 'class="submit-row"' in form
    assert 'type="submit"' not in form and 'name="_save"' not in form
    assert 'name="note"' not in form
    # Posting the form anyway is refused, and the version is as it was.
    note = version.note
    assert admin_client.post(change, {"note": "改写历史", "_save": "保存"}).status_code == 403
    assert DraftVersion.objects.get(pk=version.pk).note == note


def test_signed_opinions_and_their_findings_resist_bulk_changes(people, new_dossier):
    from demo.payloads import REVISE, SIGN

    from .conftest import advance

    dossier = advance(new_dossier(), people, 2)
    step(dossier, people["reviewer"], REVISE)
    step(dossier, people["head"], SIGN)
    opinion = dossier.opinions.get(conclusion="revise")
    with pytest.raises(ValidationError):
        Opinion.objects.filter(pk=opinion.pk).update(text="改写")
    finding = opinion.findings.get()
    with pytest.raises(ValidationError):
        finding.delete()
    with pytest.raises(ValidationError):
        opinion.findings.all().delete()
    assert Opinion.objects.get(pk=opinion.pk).findings.count() == 1
