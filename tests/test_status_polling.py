"""While a draft converts, the dossier page asks for its status instead of reloading itself:
a form being filled in on the page is never wiped."""


def converting(dossier):
    """The draft as it is between the upload and the worker's conversion."""
    version = dossier.latest_version
    version.extracted_at = None
    version.save(update_fields=["extracted_at"])
    return version


def test_the_page_polls_the_status_instead_of_refreshing(people, new_dossier, client):
    dossier = new_dossier()
    version = converting(dossier)
    client.force_login(people["drafter"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "正在转换和提取文本" in page and 'aria-live="polite"' in page
    assert f'data-status-url="/tasks/status/{dossier.pk}/"' in page and "desk.js" in page

    status = client.get(f"/tasks/status/{dossier.pk}/").json()
    assert status["processing"] is True
    assert status["versions"][0]["number"] == version.number

    version.extract()
    status = client.get(f"/tasks/status/{dossier.pk}/").json()
    assert status == {
        "processing": False,
        "versions": [
            {"number": 1, "processing": False, "message": "文本已转换完成。", "failed": False}
        ],
    }
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "data-status-url" not in page and "desk.js" not in page


def test_the_status_says_why_a_conversion_failed(people, new_dossier, client):
    dossier = new_dossier()
    version = converting(dossier)
    version.extraction_error = "文件已损坏"
    version.save(update_fields=["extraction_error"])
    client.force_login(people["drafter"])
    status = client.get(f"/tasks/status/{dossier.pk}/").json()
    assert status["processing"] is False
    assert status["versions"][0] == {
        "number": 1,
        "processing": False,
        "message": "文件已损坏",
        "failed": True,
    }


def test_the_status_is_only_for_those_who_may_see_the_dossier(people, new_dossier, client):
    dossier = new_dossier()
    client.force_login(people["drafter2"])  # another department
    assert client.get(f"/tasks/status/{dossier.pk}/").status_code == 404
