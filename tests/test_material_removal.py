"""The drafter can take back a material uploaded by mistake until the dossier is submitted."""

import pytest
from django.core.exceptions import ValidationError

from review.models import HistoryEntry, Material

from .conftest import submit


def remove(client, material):
    return client.post(
        f"/dossiers/{material.dossier_id}/materials/{material.pk}/remove/", follow=True
    )


def test_before_submission_the_drafter_removes_a_material(
    people, new_dossier, client, django_capture_on_commit_callbacks
):
    dossier = new_dossier()
    material = dossier.materials.get(kind=Material.Kind.EXPLANATION)
    stored = material.file.name
    client.force_login(people["drafter"])
    with django_capture_on_commit_callbacks(execute=True):
        page = remove(client, material).content.decode()
    assert "材料已删除。" in page
    assert not dossier.materials.filter(pk=material.pk).exists()
    assert dossier.missing_materials() == [Material.Kind.EXPLANATION]
    assert not material.file.storage.exists(stored)
    # The history keeps what was taken back.
    removed = dossier.history.get(action=HistoryEntry.Action.MATERIAL_REMOVED)
    assert removed.actor == people["drafter"] and material.original_name in removed.comment
    # A second click changes nothing.
    assert "该材料已经删除。" in remove(client, material).content.decode()
    assert dossier.materials.count() == len(Material.Kind.required()) - 1
    assert dossier.history.filter(action=HistoryEntry.Action.MATERIAL_REMOVED).count() == 1


def test_after_submission_a_material_stays(people, new_dossier, client):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    material = dossier.materials.first()
    client.force_login(people["drafter"])
    response = remove(client, material)
    assert response.status_code == 403
    assert "卷宗已提交审查，送审材料不能再删除。" in response.content.decode()
    assert dossier.materials.filter(pk=material.pk).exists()
    assert material.file.storage.exists(material.file.name)


def test_only_the_drafting_department_s_drafter_removes_and_only_by_post(
    people, new_dossier, client
):
    dossier = new_dossier()
    material = dossier.materials.first()
    client.force_login(people["dept_legal"])
    assert remove(client, material).status_code == 403
    client.force_login(people["drafter2"])
    assert remove(client, material).status_code == 404
    client.force_login(people["drafter"])
    url = f"/dossiers/{dossier.pk}/materials/{material.pk}/remove/"
    assert client.get(url).status_code == 405
    assert dossier.materials.filter(pk=material.pk).exists()


def test_a_submitted_material_refuses_deletion_even_in_code(people, new_dossier):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    material = dossier.materials.first()
    with pytest.raises(ValidationError, match="已提交的记录不能删除"):
        material.delete()
    assert Material.objects.filter(pk=material.pk).exists()
