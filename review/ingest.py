"""Safe inspection of uploaded drafts, and conversion of old Word formats to .docx.

Nothing here trusts the file name: the bytes must be what the extension claims, archives
are bounded before they are read, XML parts may not carry a DTD, and files with macros or
a password are refused with a message the drafter can act on.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import logging
import os
import re
import resource
import shutil
import signal
import struct
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree

logger = logging.getLogger(__name__)

KINDS = ("docx", "doc", "wps", "rtf", "pdf")
CONVERTED_KINDS = frozenset({"doc", "wps", "rtf"})
MACRO_EXTENSIONS = frozenset({"docm", "dotm"})

# A Word file with a few hundred images has a few hundred members; the corpus peaks at 24.
MAX_ZIP_MEMBERS = 2000
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
# Word's XML compresses about 20:1 (the corpus peaks at 19); 200:1 on a large member is a bomb.
MAX_MEMBER_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCX_MAIN_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    }
)
MACRO_PART_NAMES = frozenset({"vbaproject.bin", "vbadata.xml"})
MACRO_CONTENT_TYPE = re.compile(r"macroEnabled|vbaProject|vbaData", re.IGNORECASE)
# Storages that hold VBA in Word (Macros), Excel (_VBA_PROJECT_CUR) and PowerPoint files.
OLE_MACRO_STORAGES = frozenset({"macros", "_vba_project_cur", "vba", "_vba_project"})
OLE_ENCRYPTED_STREAMS = frozenset({"encryptedpackage", "encryptioninfo"})

# ASCII-compatible encodings keep "<!DOCTYPE" as plain bytes; UTF-7 or EBCDIC would hide it.
XML_ASCII_ENCODINGS = re.compile(
    r"(utf-?8|us-ascii|ascii|gb2312|gbk|gb18030|big5|iso-8859-\d+|windows-125\d|cp125\d)",
    re.IGNORECASE,
)
XML_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
XML_DTD = re.compile(r"<!(?i:doctype|entity)")
XML_DTD_BYTES = re.compile(rb"<!(?i:doctype|entity)")

SAFE_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


class UploadRejected(Exception):
    """The upload is refused; `message` is a translated sentence for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Ingested:
    kind: str
    original: bytes = field(repr=False)
    docx: bytes | None = field(repr=False)
    sha256: str
    size: int
    filename: str

    @property
    def converted(self) -> bool:
        return self.kind in CONVERTED_KINDS


def converter_available() -> bool:
    return shutil.which(settings.SOFFICE_BINARY) is not None


def inspect_upload(
    data: bytes, filename: str, *, max_bytes: int, allow: set[str], convert: bool = True
) -> Ingested:
    """Check an upload and return it with the .docx to read text from, or raise UploadRejected.

    With ``convert=False`` a .doc, .wps or .rtf is checked but not converted (``docx`` is
    None): the conversion takes about a second and runs in the background instead.
    """
    ext = PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")
    allowed = {a.lower().lstrip(".") for a in allow}
    if ext in MACRO_EXTENSIONS:
        raise UploadRejected(_macro_message())
    if ext not in allowed or ext not in KINDS:
        raise UploadRejected(
            _("不支持的文件类型“%(ext)s”。可以上传的类型：%(allowed)s。")
            % {
                "ext": f".{ext}" if ext else _("无扩展名"),
                "allowed": "、".join(f".{k}" for k in KINDS if k in allowed),
            }
        )
    if not data:
        raise UploadRejected(_("文件是空的（0 字节），请检查后重新上传。"))
    if len(data) > max_bytes:
        raise UploadRejected(
            _("文件过大：%(size)s，上限为 %(limit)s。请压缩图片或拆分附件后重新上传。")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)}
        )

    found = sniff(data)
    expected = {"docx": "zip", "doc": "ole", "wps": "ole", "rtf": "rtf", "pdf": "pdf"}[ext]
    if found == "ole":
        # Checked before the extension so that a protected .docx (an OLE wrapper) says so.
        _check_ole(data, ext)
    if found != expected:
        raise UploadRejected(
            _(
                "文件内容与扩展名不符：扩展名是 .%(ext)s，内容却是%(found)s。"
                "请用 Word 打开后另存为 .docx 再上传。"
            )
            % {"ext": ext, "found": _describe(found)}
        )

    docx: bytes | None = None
    if ext == "docx":
        check_docx(data)
        docx = data
    elif ext in CONVERTED_KINDS and not convert:
        if not converter_available():
            raise UploadRejected(_no_converter_message(ext))
    elif ext in CONVERTED_KINDS:
        docx = convert_to_docx(data, ext)
        check_docx(docx)
    return Ingested(
        kind=ext,
        original=data,
        docx=docx,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        filename=filename,
    )


def sniff(data: bytes) -> str:
    """What the bytes are, whatever the name says: zip, ole, rtf, pdf, html, text or unknown."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<meta", b"<head")) or b"<html" in head:
        return "html"
    if b"\x00" in data[:4096]:
        return "unknown"
    for encoding in ("utf-8", "gb18030"):
        try:
            # Not final: the 4 KiB cut may fall inside a character.
            codecs.getincrementaldecoder(encoding)().decode(data[:4096], final=False)
        except UnicodeDecodeError:
            continue
        return "text"
    return "unknown"


def _describe(found: str) -> str:
    return {
        "zip": _("ZIP 压缩包（如 .docx）"),
        "ole": _("旧版 Office 文件（如 .doc）"),
        "rtf": _("RTF 文档"),
        "pdf": _("PDF 文件"),
        "html": _("网页（HTML），不是 Word 文档"),
        "text": _("纯文本"),
    }.get(found, _("无法识别的数据"))


def _macro_message() -> str:
    return _("文件含有宏（VBA 代码），出于安全考虑不予接收。请另存为不含宏的 .docx 后上传。")


def _encrypted_message() -> str:
    return _("文件设置了打开密码（已加密），系统无法读取。请在 Word 中取消密码后重新上传。")


def _corrupt_message(ext: str) -> str:
    return _("文件已损坏，无法作为 .%(ext)s 打开。请用 Word 打开后另存为 .docx 再上传。") % {
        "ext": ext
    }


def _bomb_message() -> str:
    return _("文件解压后异常庞大（疑似“压缩炸弹”），不予接收。")


def check_docx(data: bytes) -> None:
    """Reject a .docx that is not a Word document, is a zip bomb, has a DTD, or carries macros
    or other active content (DDE, fields or pictures that load local or shared files, OLE)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise UploadRejected(_corrupt_message("docx")) from None
    with archive:
        infos = archive.infolist()
        _check_zip_directory(infos)
        names = {info.filename for info in infos}
        if any(PurePosixPath(n).name.lower() in MACRO_PART_NAMES for n in names):
            raise UploadRejected(_macro_message())
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise UploadRejected(
                _("文件不是 Word 文档（.docx）：缺少正文部件。可能是其他类型的文件改了扩展名。")
            )
        total = 0
        for info in infos:
            total += _stream_member(archive, info, MAX_UNCOMPRESSED_BYTES - total)
        content_types = archive.read("[Content_Types].xml")
        for name in sorted(names):
            # Word reads part names case-blind, and finds the body wherever _rels/.rels says.
            lowered = name.lower()
            if lowered.endswith(".rels"):
                _check_relationships(archive.read(name))
            elif lowered.startswith(("word/embeddings/", "word/activex/")):
                _check_embedding(lowered, archive.read(name))
            elif lowered.endswith(".xml"):
                with archive.open(name) as part:
                    _check_fields(part)
    _check_content_types(content_types)


# Relationships that make Word fetch and run something from elsewhere when the file opens.
ACTIVE_EXTERNAL_TYPES = ("attachedTemplate", "oleObject", "subDocument", "frame", "package")
# Pictures linked to a web address are common in drafts copied off a government site (11
# of the corpus's 67 .docx): Word fetches them, which tells that site the file was
# opened. A share (\\server\share, file://) or a local path makes Windows log in to
# it with the reader's account, or reads the reader's disk: refused.
WEB_ADDRESS = re.compile(r"https?://[^/\\\s]", re.IGNORECASE)
# DDE and DDEAUTO run a program; INCLUDETEXT and LINK pull another file's content into the
# draft wherever it lies, so what was reviewed is not what is shown.
DDE_FIELDS = frozenset({"DDE", "DDEAUTO"})
INCLUDE_FIELDS = frozenset({"INCLUDETEXT", "LINK"})
# INCLUDEPICTURE (IMPORT is its old name) is judged by its target, as a linked picture is.
PICTURE_FIELDS = frozenset({"INCLUDEPICTURE", "IMPORT"})
FIELD_ARGUMENT = re.compile(r'"([^"]*)"|(\S+)')
FIELD_SWITCH = re.compile(r"\\[^\\]")
SWITCHES_WITH_ARGUMENT = frozenset("*#@c")


def _check_relationships(raw: bytes) -> None:
    try:
        root = etree.fromstring(raw, SAFE_XML_PARSER)
    except etree.XMLSyntaxError:
        raise UploadRejected(_corrupt_message("docx")) from None
    for rel in root:
        external = rel.get("TargetMode") == "External"
        kind = rel.get("Type", "")
        if external and kind.endswith(ACTIVE_EXTERNAL_TYPES):
            raise UploadRejected(
                _(
                    "文件引用了外部的模板或嵌入对象，打开时会从网络加载内容，出于安全考虑不予接收。请另存为普通 .docx 后上传。"
                )
            )
        if kind.endswith(("/oleObject", "/control")):
            raise UploadRejected(_ole_message())
        # A hyperlink waits for a click; a linked picture is fetched as the file opens.
        if external and not kind.endswith("/hyperlink") and not _is_web_address(rel.get("Target")):
            raise UploadRejected(
                _(
                    "文件中的图片或对象链接到本机或共享文件夹中的文件，打开时会访问该位置，可能泄露登录凭据，出于安全考虑不予接收。请把图片直接插入文档后重新上传。"
                )
            )


def _is_web_address(target: str | None) -> bool:
    return bool(target) and WEB_ADDRESS.match(target) is not None


def _check_embedding(name: str, data: bytes) -> None:
    """An embedded object may carry macros of its own (an Excel sheet with VBA, a .docm), and
    an OLE object or ActiveX control runs a program of the reader's."""
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    if suffix in MACRO_EXTENSIONS or suffix in {"xlsm", "pptm", "xlsb"}:
        raise UploadRejected(_macro_message())
    if name.startswith("word/activex/") or suffix == "bin" or sniff(data) == "ole":
        raise UploadRejected(_ole_message())
    if sniff(data) == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            if any(PurePosixPath(n).name.lower() in MACRO_PART_NAMES for n in inner.namelist()):
                raise UploadRejected(_macro_message())


def _ole_message() -> str:
    return _(
        "文件含有嵌入的 OLE 对象或 ActiveX 控件（如对象包、公式编辑器对象），双击或打开时可能运行其中的程序，出于安全考虑不予接收。请把其内容改为文字、表格或图片后重新上传。"
    )


def _check_fields(part) -> None:
    """Refuse the fields (域) that run a program or load another file as the draft opens."""
    try:
        for code in _field_codes(part):
            words = code.split(maxsplit=1)
            field = words[0].upper() if words else ""
            if field in DDE_FIELDS:
                raise UploadRejected(
                    _(
                        "文件含有 DDE 域，打开时可能运行其他程序，出于安全考虑不予接收。请删除该域后重新上传。"
                    )
                )
            target = _field_target(words[1] if len(words) > 1 else "")
            if field in INCLUDE_FIELDS or (field in PICTURE_FIELDS and not _is_web_address(target)):
                raise UploadRejected(
                    _(
                        "文件含有 %(field)s 域，打开时会从本机或网络上的其他文件载入内容，出于安全考虑不予接收。请把所引用的内容直接粘贴或插入到文档中后重新上传。"
                    )
                    % {"field": field}
                )
    except etree.XMLSyntaxError:
        raise UploadRejected(_corrupt_message("docx")) from None


def _field_codes(part):
    """Each field's code, whole: Word splits a code over runs (w:instrText) at will, and a
    field may hold others, whose codes are yielded apart."""
    codes: list[list[str]] = []
    for _event, el in etree.iterparse(
        part,
        tag=("{*}fldSimple", "{*}fldChar", "{*}instrText", "{*}delInstrText"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    ):
        namespace, local = etree.QName(el).namespace, etree.QName(el).localname
        if local == "fldSimple":
            yield el.get(f"{{{namespace}}}instr", "")
        elif local == "fldChar":
            kind = el.get(f"{{{namespace}}}fldCharType")
            if kind == "begin":
                codes.append([])
            elif kind == "end" and codes:
                yield "".join(codes.pop())
        elif codes:
            codes[-1].append(el.text or "")
        else:
            yield el.text or ""
    for code in codes:
        yield "".join(code)


def _field_target(arguments: str) -> str:
    """The file or address a field names: its first argument other than a switch (\\d) or
    a switch's own argument (\\* MERGEFORMAT)."""
    tokens = iter(FIELD_ARGUMENT.findall(arguments))
    for quoted, bare in tokens:
        if bare and FIELD_SWITCH.fullmatch(bare):
            if bare[1] in SWITCHES_WITH_ARGUMENT:
                next(tokens, None)
            continue
        return quoted or bare
    return ""


def _check_zip_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise UploadRejected(_bomb_message())
    if len({i.filename for i in infos}) != len(infos):
        raise UploadRejected(_corrupt_message("docx"))
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES:
        raise UploadRejected(_bomb_message())
    for info in infos:
        if info.flag_bits & 0x1:
            raise UploadRejected(_encrypted_message())
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRejected(_corrupt_message("docx"))
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_MEMBER_RATIO * max(
            info.compress_size, 1
        ):
            raise UploadRejected(_bomb_message())


def _stream_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """Decompress one member in chunks, within the budget; scan XML parts for a DTD."""
    scanner = _DtdScanner(info.filename) if _looks_like_xml_part(info.filename) else None
    seen = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK_BYTES):
                seen += len(chunk)
                if seen > budget or seen > info.file_size:
                    raise UploadRejected(_bomb_message())
                if scanner is None and seen == len(chunk) and _xml_codec(chunk):
                    scanner = _DtdScanner(info.filename)
                if scanner is not None:
                    scanner.feed(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise UploadRejected(_corrupt_message("docx")) from None
    return seen


def _looks_like_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _xml_codec(head: bytes) -> str | None:
    """The codec to scan an XML part with, or None when the bytes do not start as XML."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    if head.lstrip(b" \t\r\n").startswith(b"<"):
        return "ascii"
    return None


class _DtdScanner:
    """Finds <!DOCTYPE or <!ENTITY anywhere in a part, across chunk boundaries."""

    def __init__(self, name: str):
        self.name = name
        self.decoder: codecs.IncrementalDecoder | None = None
        self.ascii = False
        self.started = False
        self.tail = ""
        self.tail_bytes = b""

    def feed(self, chunk: bytes) -> None:
        if not self.started:
            self.started = True
            codec = _xml_codec(chunk)
            if codec is None:
                raise UploadRejected(_corrupt_message("docx"))
            if codec == "ascii":
                declared = XML_DECLARED_ENCODING.match(chunk.lstrip(b" \t\r\n"))
                if declared and not XML_ASCII_ENCODINGS.fullmatch(declared.group(1).decode()):
                    raise UploadRejected(_corrupt_message("docx"))
                self.ascii = True
            else:
                self.decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        if self.ascii:
            window = self.tail_bytes + chunk
            if XML_DTD_BYTES.search(window):
                self._reject()
            self.tail_bytes = window[-16:]
        else:
            window = self.tail + self.decoder.decode(chunk)
            if XML_DTD.search(window):
                self._reject()
            self.tail = window[-16:]

    def _reject(self) -> None:
        logger.warning("upload rejected: DTD or entity declaration in %s", self.name)
        raise UploadRejected(
            _("文件的 XML 部件含有 DTD 或实体声明（可能用于读取服务器文件），不予接收。")
        )


def _check_content_types(raw: bytes) -> None:
    try:
        root = etree.fromstring(raw, parser=SAFE_XML_PARSER)
    except etree.XMLSyntaxError:
        raise UploadRejected(_corrupt_message("docx")) from None
    main_type = None
    default_xml = None
    for el in root:
        if not isinstance(el.tag, str):
            continue
        content_type = el.get("ContentType", "")
        if MACRO_CONTENT_TYPE.search(content_type):
            raise UploadRejected(_macro_message())
        local = etree.QName(el).localname
        if local == "Override" and el.get("PartName", "").lower() == "/word/document.xml":
            main_type = content_type
        elif local == "Default" and el.get("Extension", "").lower() == "xml":
            default_xml = content_type
    if (main_type or default_xml) not in DOCX_MAIN_TYPES:
        raise UploadRejected(
            _("文件不是 Word 文档（.docx）：正文部件的类型不对。可能是其他类型的文件改了扩展名。")
        )


def _check_ole(data: bytes, ext: str) -> None:
    """Refuse an OLE compound file that is encrypted or carries VBA macros."""
    try:
        entries, word_flags = _ole_entries(data)
    except (ValueError, struct.error, IndexError):
        raise UploadRejected(_corrupt_message(ext)) from None
    names = {name.lower() for name in entries}
    if names & OLE_ENCRYPTED_STREAMS:
        raise UploadRejected(_encrypted_message())
    if names & OLE_MACRO_STORAGES:
        raise UploadRejected(_macro_message())
    # FIB flags of WordDocument: fEncrypted (0x0100) and fObfuscated (0x8000) both need a password.
    if word_flags is not None and word_flags & 0x8100:
        raise UploadRejected(_encrypted_message())
    if ext == "doc" and "worddocument" not in names:
        raise UploadRejected(
            _("文件不是 Word 文档：它是其他 Office 程序（如 Excel）的文件，只是扩展名为 .doc。")
        )


OLE_END_OF_CHAIN = 0xFFFFFFFE
OLE_MAX_REGULAR_SECTOR = 0xFFFFFFFA


def _ole_entries(data: bytes) -> tuple[list[str], int | None]:
    """Names in an OLE compound file's directory, and the Word FIB flags when present.

    A small reader of the header, the FAT and the directory chain (MS-CFB), enough to find
    macro and encryption streams without a third-party package.
    """
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        raise ValueError("not an OLE file")
    (sector_shift,) = struct.unpack_from("<H", data, 0x1E)
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    size = 1 << sector_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    (mini_cutoff,) = struct.unpack_from("<I", data, 0x38)
    first_difat, n_difat = struct.unpack_from("<II", data, 0x44)
    n_sectors = max(0, (len(data) - size + size - 1) // size)
    if n_fat > n_sectors or n_difat > n_sectors:
        raise ValueError("bad FAT size")

    def sector(n: int) -> bytes:
        if n > OLE_MAX_REGULAR_SECTOR or n >= n_sectors:
            raise ValueError("sector out of range")
        start = (n + 1) * size
        return data[start : start + size].ljust(size, b"\0")

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    next_difat = first_difat
    for _i in range(n_difat):
        block = sector(next_difat)
        values = struct.unpack(f"<{size // 4}I", block)
        fat_sectors.extend(values[:-1])
        next_difat = values[-1]
    fat_bytes = b"".join(sector(s) for s in fat_sectors[:n_fat])
    fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)

    def chain(start: int):
        seen = set()
        while start != OLE_END_OF_CHAIN:
            if start in seen or start >= len(fat):
                raise ValueError("broken chain")
            seen.add(start)
            yield start
            start = fat[start]

    directory = b"".join(sector(s) for s in chain(first_dir))
    names = []
    word_flags = None
    for offset in range(0, len(directory) - 127, 128):
        (name_len,) = struct.unpack_from("<H", directory, offset + 64)
        if directory[offset + 66] == 0 or not 2 <= name_len <= 64:
            continue
        name = directory[offset : offset + name_len - 2].decode("utf-16-le", "replace")
        names.append(name)
        start, stream_size = struct.unpack_from("<IQ", directory, offset + 0x74)
        if name == "WordDocument" and stream_size >= max(mini_cutoff, 0x20):
            (word_flags,) = struct.unpack_from("<H", sector(start), 0x0A)
    return names, word_flags


def _limit_memory() -> None:
    limit = getattr(settings, "SOFFICE_MEMORY_BYTES", 2 * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _no_converter_message(ext: str) -> str:
    return _("无法转换 .%(ext)s 文件：服务器未安装 LibreOffice，请另存为 .docx 后上传。") % {
        "ext": ext
    }


def convert_to_docx(data: bytes, ext: str) -> bytes:
    """Convert .doc/.wps/.rtf bytes to .docx with LibreOffice, in a private profile."""
    binary = shutil.which(settings.SOFFICE_BINARY)
    if binary is None:
        raise UploadRejected(_no_converter_message(ext))
    timeout = getattr(settings, "SOFFICE_TIMEOUT", 120)
    with tempfile.TemporaryDirectory(prefix="legalreview-convert-") as tmp:
        work = Path(tmp)
        # A fixed name: the user's file name never reaches the command line.
        source = work / f"draft.{ext}"
        source.write_bytes(data)
        outdir = work / "out"
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # Only what LibreOffice needs: it parses hostile files, and must not see our
            # secrets (DJANGO_SECRET_KEY, DATABASE_URL); memory is capped for the same reason.
            env={
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": str(work),
                "LANG": "C.UTF-8",
            },
            preexec_fn=_limit_memory,
            start_new_session=True,
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise UploadRejected(
                _("转换 .%(ext)s 文件超时（超过 %(seconds)s 秒），请另存为 .docx 后上传。")
                % {"ext": ext, "seconds": timeout}
            ) from None
        # soffice.bin may outlive the launcher; it must not keep the profile directory busy.
        _kill_group(process)
        result = outdir / "draft.docx"
        if process.returncode != 0 or not result.is_file():
            logger.warning(
                "LibreOffice could not convert a .%s upload (exit %s): %s",
                ext,
                process.returncode,
                err.decode("utf-8", "replace")[-2000:],
            )
            raise UploadRejected(
                _(
                    "无法转换 .%(ext)s 文件：LibreOffice 读不了它，文件可能已损坏。"
                    "请用 Word 打开后另存为 .docx 再上传。"
                )
                % {"ext": ext}
            )
        return result.read_bytes()


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
