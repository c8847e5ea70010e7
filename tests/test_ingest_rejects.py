"""Hostile and broken uploads are refused with a message the drafter can act on."""

import hashlib
import io
import struct
import zipfile
from pathlib import Path

import docx
import pytest

from review import ingest
from review.extract import extract_text
from review.ingest import UploadRejected, converter_available, inspect_upload

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LIMIT = 20 * 1024 * 1024
WORD = {"docx", "doc", "wps", "rtf"}
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"


def make_docx(text: str = "第一条 为了规范管理，制定本办法。") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rebuild(data: bytes, replace=None, add=None, compress=zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of a zip with some members replaced and others added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compress) as z:
        for info in source.infolist():
            z.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            z.writestr(name, content)
    return out.getvalue()


def make_ole(entries: list[tuple[str, int]], word_flags: int | None = None) -> bytes:
    """A minimal OLE compound file (MS-CFB v3) with the given storages (1) and streams (2).

    With `word_flags`, a 4096-byte WordDocument stream carries them at the FIB's offset 0x0A.
    """
    sector = 512
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    names = [("Root Entry", 5), *entries]
    if word_flags is not None:
        names.append(("WordDocument", 2))
    dir_sectors = (len(names) * 128 + sector - 1) // sector
    data_start = 1 + dir_sectors  # sector 0 holds the FAT
    directory = b""
    for index, (name, kind) in enumerate(names):
        encoded = (name + "\0").encode("utf-16-le")
        start, size = end, 0
        if name == "WordDocument" and word_flags is not None:
            start, size = data_start, 4096
        entry = encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
        # Left, right and child siblings: a flat list hung under the root is enough here.
        child = 1 if index == 0 and len(names) > 1 else free
        right = index + 1 if 0 < index < len(names) - 1 else free
        entry += struct.pack("<III", free, right, child) + b"\0" * 36
        entry += struct.pack("<IQ", start, size)
        directory += entry
    directory = directory.ljust(sector * dir_sectors, b"\0")
    fat = [fat_sector]
    fat += [1 + k + 1 if k < dir_sectors - 1 else end for k in range(dir_sectors)]
    data = b""
    if word_flags is not None:
        fib = bytearray(4096)
        struct.pack_into("<HH", fib, 0, 0xA5EC, 0xC1)
        struct.pack_into("<H", fib, 0x0A, word_flags)
        data = bytes(fib)
        fat += [data_start + k + 1 if k < 7 else end for k in range(8)]
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(sector, b"\xff")
    header = ingest.OLE_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header += b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<108I", *([free] * 108))
    assert len(header) == 512
    return header + fat_bytes + directory + data


def rejected(data: bytes, filename: str, **kwargs) -> str:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(
            data,
            filename,
            max_bytes=kwargs.get("max_bytes", LIMIT),
            allow=kwargs.get("allow", WORD),
        )
    return caught.value.message


def test_a_generated_docx_is_accepted_as_it_is():
    data = make_docx()
    ingested = inspect_upload(data, "草案.docx", max_bytes=LIMIT, allow=WORD)
    assert ingested.kind == "docx"
    assert ingested.docx == data
    assert ingested.sha256 == hashlib.sha256(data).hexdigest()
    assert ingested.size == len(data)


def test_a_real_corpus_docx_is_accepted():
    path = CORPUS / "policies" / "天津" / "天津市廉租住房管理办法.docx"
    data = path.read_bytes()
    ingested = inspect_upload(data, path.name, max_bytes=LIMIT, allow=WORD)
    assert ingested.kind == "docx"
    assert "第一条" in extract_text(ingested.docx).text


def test_text_renamed_docx_says_what_it_really_is():
    message = rejected("这是一段纯文本，不是 Word 文档。".encode(), "草案.docx")
    assert "扩展名" in message
    assert "纯文本" in message


def test_an_extension_not_allowed_is_refused_with_the_allowed_list():
    message = rejected(make_docx(), "草案.exe")
    assert "不支持的文件类型" in message
    assert ".docx" in message
    message = rejected(b"%PDF-1.7\n", "材料.pdf", allow={"docx"})
    assert "不支持的文件类型" in message


def test_an_empty_file_is_refused():
    assert "空" in rejected(b"", "草案.docx")


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    data = make_docx()
    message = rejected(data, "草案.docx", max_bytes=len(data) - 1)
    assert "文件过大" in message
    assert "上限" in message


def test_a_zip_with_too_many_members_is_refused():
    members = {f"word/media/image{k}.png": b"x" for k in range(ingest.MAX_ZIP_MEMBERS + 1)}
    message = rejected(rebuild(make_docx(), add=members), "草案.docx")
    assert "压缩炸弹" in message


def test_a_highly_compressed_huge_member_is_refused_before_reading():
    bomb = rebuild(make_docx(), add={"word/media/image1.png": b"\0" * (64 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert "压缩炸弹" in rejected(bomb, "草案.docx")


def test_too_much_uncompressed_data_in_total_is_refused(monkeypatch):
    # Ordinary compression ratios, but more than the total allowed.
    monkeypatch.setattr(ingest, "MAX_UNCOMPRESSED_BYTES", 200_000)
    text = "".join(chr(0x4E00 + (k * 7919) % 20000) for k in range(100_000))
    data = rebuild(make_docx(), add={"word/media/notes.txt": text.encode()})
    assert "压缩炸弹" in rejected(data, "草案.docx")


def test_a_member_that_understates_its_size_is_caught_while_streaming():
    data = bytearray(rebuild(make_docx(), add={"word/media/big.bin": b"\1" * 100_000}))
    # Shrink the declared size in the central directory: the data runs past it.
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/media/big.bin"))
    struct.pack_into("<I", data, central + 24, 10)
    assert "损坏" in rejected(bytes(data), "草案.docx")


XXE_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file://{path}">]>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"
)


def test_an_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容")
    document = XXE_DOCUMENT.format(path=secret)
    data = rebuild(make_docx(), replace={"word/document.xml": document.encode()})
    assert "DTD" in rejected(data, "草案.docx")


def test_an_external_entity_in_utf16_is_refused(tmp_path):
    document = XXE_DOCUMENT.format(path=tmp_path / "x").replace('"UTF-8"', '"UTF-16"')
    data = rebuild(make_docx(), replace={"word/document.xml": document.encode("utf-16")})
    assert "DTD" in rejected(data, "草案.docx")


def test_the_text_reader_never_resolves_an_external_entity(tmp_path):
    # Defence in depth: even a file that skipped inspection does not leak the server's files.
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容")
    document = XXE_DOCUMENT.format(path=secret)
    data = rebuild(make_docx(), replace={"word/document.xml": document.encode()})
    assert "机密内容" not in extract_text(data).text


def test_a_dtd_in_another_part_is_refused():
    styles = (
        '<?xml version="1.0"?><!DOCTYPE styles SYSTEM "http://example.invalid/s.dtd">'
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    )
    data = rebuild(make_docx(), replace={"word/styles.xml": styles.encode()})
    assert "DTD" in rejected(data, "草案.docx")


def test_a_xml_part_in_an_encoding_that_hides_markup_is_refused():
    styles = '<?xml version="1.0" encoding="UTF-7"?><w:styles/>'
    data = rebuild(make_docx(), replace={"word/styles.xml": styles.encode()})
    assert "损坏" in rejected(data, "草案.docx")


def test_a_vba_project_is_refused():
    data = rebuild(make_docx(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert "宏" in rejected(data, "草案.docx")


def test_a_macro_enabled_content_type_is_refused():
    source = make_docx()
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        types = z.read("[Content_Types].xml").decode()
    assert MAIN_TYPE in types
    data = rebuild(
        source, replace={"[Content_Types].xml": types.replace(MAIN_TYPE, MACRO_MAIN_TYPE).encode()}
    )
    assert "宏" in rejected(data, "草案.docx")


def test_a_docm_is_refused_by_name():
    assert "宏" in rejected(make_docx(), "草案.docm")


def test_a_spreadsheet_renamed_docx_is_refused():
    source = make_docx()
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        types = z.read("[Content_Types].xml").decode()
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    data = rebuild(source, replace={"[Content_Types].xml": types.replace(MAIN_TYPE, sheet)})
    assert "不是 Word 文档" in rejected(data, "草案.docx")


def test_a_zip_without_a_word_body_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "不是 Word 文档" in rejected(out.getvalue(), "草案.docx")


def test_an_ole_file_renamed_docx_is_refused():
    message = rejected(make_ole([("WordDocument", 2)]), "草案.docx")
    assert "旧版 Office" in message


def test_a_password_protected_docx_is_refused_as_encrypted():
    # Word wraps an encrypted .docx in an OLE file with these two streams.
    data = make_ole([("EncryptionInfo", 2), ("EncryptedPackage", 2)])
    assert "密码" in rejected(data, "草案.docx")


def test_a_doc_with_a_macros_storage_is_refused():
    data = make_ole([("Macros", 1), ("VBA", 1), ("1Table", 2)], word_flags=0)
    assert "宏" in rejected(data, "草案.doc")


def test_a_doc_with_an_opening_password_is_refused():
    data = make_ole([("1Table", 2)], word_flags=0x0100)
    assert "密码" in rejected(data, "草案.doc")


def test_a_spreadsheet_renamed_doc_is_refused():
    data = make_ole([("Workbook", 2)])
    assert "不是 Word 文档" in rejected(data, "草案.doc")


def test_a_web_page_saved_as_doc_is_refused():
    path = next((CORPUS / "policies" / "入学").glob("*.doc"))
    assert path.read_bytes().lstrip().startswith(b"<!DOCTYPE")
    assert "网页" in rejected(path.read_bytes(), path.name)


def test_macos_metadata_named_doc_is_refused():
    path = next((CORPUS / "policies").rglob("._*.doc"))
    assert "扩展名" in rejected(path.read_bytes(), path.name)


def test_a_pdf_is_accepted_without_text():
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    ingested = inspect_upload(data, "材料.pdf", max_bytes=LIMIT, allow={"pdf"})
    assert (ingested.kind, ingested.docx) == ("pdf", None)


def test_a_doc_without_libreoffice_asks_for_docx(settings):
    settings.SOFFICE_BINARY = "/nonexistent/soffice"
    assert not converter_available()
    path = CORPUS / "policies" / "重庆" / "重庆市城镇职工基本医疗保险.doc"
    message = rejected(path.read_bytes(), path.name)
    assert message == "无法转换 .doc 文件：服务器未安装 LibreOffice，请另存为 .docx 后上传。"


@pytest.mark.libreoffice
def test_a_corrupt_doc_is_refused_after_conversion_fails():
    # A valid OLE container with an empty WordDocument: nothing LibreOffice can read.
    data = make_ole([("WordDocument", 2)])
    assert "LibreOffice 读不了它" in rejected(data, "草案.doc")


def _docx_with(extra: dict[str, bytes], base: bytes | None = None) -> bytes:
    from demo import drafts

    source = zipfile.ZipFile(io.BytesIO(base or drafts.docx_bytes(["第一条　正文。"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, extra.pop(item.filename, source.read(item.filename)))
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def test_a_remote_template_is_refused():
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://203.0.113.9/x.dotm" TargetMode="External"/>'
        b"</Relationships>"
    )
    data = _docx_with({"word/_rels/settings.xml.rels": rels})
    with pytest.raises(UploadRejected) as refused:
        inspect_upload(data, "草案.docx", max_bytes=10**7, allow={"docx"})
    assert "外部的模板" in str(refused.value)


def test_an_embedded_object_with_macros_is_refused():
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as inner:
        inner.writestr("[Content_Types].xml", "<Types/>")
        inner.writestr("xl/vbaProject.bin", b"\x00" * 64)
    data = _docx_with({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook.getvalue()})
    with pytest.raises(UploadRejected) as refused:
        inspect_upload(data, "草案.docx", max_bytes=10**7, allow={"docx"})
    assert "宏" in str(refused.value)
