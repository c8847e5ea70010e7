"""Word files that run, fetch or embed something when opened are refused, like macros."""

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

import docx
import pytest
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from demo import drafts
from review import ingest
from review.ingest import UploadRejected, inspect_upload
from review.models import Dossier, DraftVersion

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
UNC = "\\\\fileserver\\share\\logo.png"


def accepted(data: bytes) -> bool:
    return inspect_upload(data, "草案.docx", max_bytes=10**7, allow={"docx"}).docx == data


def refusal(data: bytes) -> str:
    with pytest.raises(UploadRejected) as refused:
        inspect_upload(data, "草案.docx", max_bytes=10**7, allow={"docx"})
    return str(refused.value)


def runs(*xml: str) -> list:
    return [parse_xml(f"<w:r {nsdecls('w')}>{x}</w:r>") for x in xml]


def complex_field(*code: str, tag: str = "w:instrText") -> list:
    """A field as Word writes it, its code split over as many runs as given."""
    return runs(
        '<w:fldChar w:fldCharType="begin"/>',
        *(f'<{tag} xml:space="preserve">{escape(piece)}</{tag}>' for piece in code),
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>（域结果）</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    )


def simple_field(code: str):
    return parse_xml(
        f"<w:fldSimple {nsdecls('w')} w:instr={quoteattr(code)}><w:r><w:t>（域结果）</w:t></w:r>"
        "</w:fldSimple>"
    )


def word_file(body=(), footer=(), rels=(), extra=None) -> bytes:
    """A draft with ``body`` and ``footer`` elements appended to a paragraph each,
    relationships (type, target, external) added to the body's, and ``extra`` zip members."""
    document = docx.Document()
    document.add_paragraph("第一条　为了规范管理，制定本办法。")._p.extend(body)
    document.sections[0].footer.paragraphs[0]._p.extend(footer)
    for kind, target, external in rels:
        document.part.relate_to(target, f"{RELS}/{kind}", is_external=external)
    buffer = io.BytesIO()
    document.save(buffer)
    if not extra:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def test_ddeauto_is_refused_even_split_over_runs_and_in_lower_case():
    message = refusal(
        word_file(complex_field("dde", 'auto c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'))
    )
    assert "DDE" in message and "不予接收" in message


def test_a_dde_field_in_a_footer_is_refused():
    assert "DDE" in refusal(word_file(footer=[simple_field('DDE Excel "C:\\\\x.xls" "R1C1"')]))


def test_a_field_kept_in_a_tracked_deletion_is_refused_too():
    # Rejecting the deletion in Word brings the field back.
    deleted = complex_field("DDEAUTO cmd.exe", tag="w:delInstrText")
    assert "DDE" in refusal(word_file(deleted))


def test_a_dde_field_in_a_footnote_is_refused():
    footnotes = (
        f"<w:footnotes {nsdecls('w')}><w:footnote w:id='1'><w:p>"
        "<w:fldSimple w:instr=' DDEAUTO cmd.exe &quot;/c calc&quot; '><w:r><w:t>1</w:t></w:r>"
        "</w:fldSimple></w:p></w:footnote></w:footnotes>"
    )
    assert "DDE" in refusal(word_file(extra={"word/footnotes.xml": footnotes}))


@pytest.mark.parametrize(
    "code",
    [
        'INCLUDETEXT "C:\\\\Users\\\\Public\\\\secret.txt"',
        'INCLUDETEXT "http://203.0.113.9/clause.docx"',
        'INCLUDEPICTURE \\d "\\\\\\\\fileserver\\\\share\\\\logo.png" \\* MERGEFORMATINET',
        'INCLUDEPICTURE "file:///C:/Windows/win.ini"',
        'INCLUDEPICTURE "logo.png"',
        'IMPORT "\\\\\\\\fileserver\\\\share\\\\logo.png"',
        'LINK Excel.Sheet.8 "\\\\\\\\fileserver\\\\share\\\\fees.xls" "Sheet1!R1C1:R4C4" \\a',
    ],
)
def test_fields_that_load_a_local_or_shared_file_are_refused(code):
    message = refusal(word_file(complex_field(code)))
    assert code.split()[0] in message and "载入内容" in message
    assert code.split()[0] in refusal(word_file(footer=[simple_field(code)]))


def test_a_picture_linked_to_a_web_address_is_accepted_as_drafts_copied_off_the_web_are():
    code = 'INCLUDEPICTURE \\d "http://www.tj.gov.cn/images/tjsrmzfwj.jpg" \\* MERGEFORMATINET'
    data = word_file(
        complex_field(code), rels=[("image", "http://www.tj.gov.cn/images/tjsrmzfwj.jpg", True)]
    )
    assert accepted(data)


def test_ordinary_fields_and_hyperlinks_are_accepted():
    data = word_file(
        complex_field(' HYPERLINK "http://www.hengshui.gov.cn/" \\o "市政府网站" '),
        footer=[simple_field(" PAGE ")],
        rels=[("hyperlink", "http://www.hengshui.gov.cn/", True)],
    )
    assert accepted(data)


@pytest.mark.parametrize(
    "target",
    [UNC, "file://fileserver/share/logo.png", "//fileserver/share/logo.png", "C:\\logo.png"],
)
def test_a_picture_linked_to_a_share_or_a_local_file_is_refused(target):
    message = refusal(word_file(rels=[("image", target, True)]))
    assert "共享文件夹" in message and "凭据" in message


def ole_message_of(data: bytes) -> str:
    message = refusal(data)
    assert "OLE" in message
    return message


def test_an_embedded_ole_package_is_refused():
    package = ingest.OLE_MAGIC + bytes(1024)
    ole_message_of(word_file(extra={"word/embeddings/oleObject1.bin": package}))
    # Whatever the part is called, and whether or not it is a well-formed OLE file.
    ole_message_of(word_file(extra={"word/embeddings/Package.dat": package}))
    ole_message_of(word_file(extra={"word/embeddings/oleObject2.bin": b"not even OLE"}))
    ole_message_of(word_file(extra={"Word/Embeddings/OLEOBJECT3.BIN": package}))


def test_a_relationship_to_an_ole_object_is_refused():
    # Wherever the object's part lies and whatever it holds.
    hidden = Part(PackURI("/word/media/image9.dat"), "application/octet-stream", b"\0" * 64)
    ole_message_of(word_file(rels=[("oleObject", hidden, False)]))


def test_an_activex_control_is_refused():
    ole_message_of(word_file(extra={"word/activeX/activeX1.bin": ingest.OLE_MAGIC + bytes(1024)}))
    control = Part(PackURI("/word/media/control1.xml"), "application/xml", b"<x/>")
    ole_message_of(word_file(rels=[("control", control, False)]))


def test_the_page_refuses_active_content_and_stores_nothing(people, client, media_root):
    client.force_login(people["drafter"])
    upload = io.BytesIO(word_file(complex_field("DDEAUTO cmd.exe")))
    upload.name = "草案.docx"
    response = client.post(
        "/dossiers/new/",
        {
            "title": "衡水市城市房屋租赁管理办法",
            "kind": "government",
            "urgency": "normal",
            "legal_basis": "《中华人民共和国城市房地产管理法》",
            "draft": upload,
        },
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["draft"]
    assert "DDE" in message and message in response.content.decode()
    assert not Dossier.objects.exists() and not DraftVersion.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_a_generated_draft_is_still_accepted():
    assert accepted(drafts.docx_bytes(["第一条　正文。"]))
