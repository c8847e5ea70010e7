"""A file name too long to keep is named as the problem, on the form, and nothing is stored."""

import io

import pytest

from demo import drafts
from review.models import Dossier, DraftVersion

TOO_LONG = "文件名过长：最多 250 个字符。请缩短文件名后重新上传。"


def named_draft(name: str) -> io.BytesIO:
    # Not SimpleUploadedFile: it cuts the name to 255 characters, as Django does on arrival.
    upload = io.BytesIO(drafts.docx_bytes(["第一条　为了规范管理，制定本办法。"]))
    upload.name = name
    return upload


def open_dossier(client, name: str):
    return client.post(
        "/dossiers/new/",
        {
            "title": "衡水市城市房屋租赁管理办法",
            "kind": "government",
            "urgency": "normal",
            "legal_basis": "《中华人民共和国城市房地产管理法》",
            "draft": named_draft(name),
        },
    )


@pytest.mark.parametrize(
    "name",
    [
        # 885 bytes of UTF-8 in the part's header: past the 1 KiB Django reads by default.
        ("关于印发衡水市城市房屋租赁管理办法的通知" * 15)[:295] + ".docx",
        "a" * 295 + ".docx",
    ],
    ids=["chinese", "ascii"],
)
def test_a_300_character_file_name_is_refused_on_the_form(people, client, media_root, name):
    assert len(name) == 300
    client.force_login(people["drafter"])
    response = open_dossier(client, name)
    assert response.status_code == 200
    assert response.context["form"].errors["draft"] == [TOO_LONG]
    page = response.content.decode()
    assert TOO_LONG in page and "衡水市城市房屋租赁管理办法" in page  # what was typed stays
    assert not Dossier.objects.exists() and not DraftVersion.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_a_long_but_possible_file_name_is_kept_whole(people, client, media_root):
    name = "关" * 245 + ".docx"
    client.force_login(people["drafter"])
    assert open_dossier(client, name).status_code == 302
    assert DraftVersion.objects.get().original_name == name
