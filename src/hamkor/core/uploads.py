"""Checking an uploaded file before it is stored: size, and a type read from its content.

The browser's content type and the file name are claims; the bytes decide. A file is kept only
when its first bytes prove an allowed type (PDF, PNG, JPEG, GIF, WebP, zip-based office
documents, plain text, CSV, vCard) and, when its name has a known extension, the two agree.
Web pages and SVG images (they run scripts when a browser opens them) and programs are refused
whatever they are called: "invoice.pdf" that starts with ``<html>`` is a web page.

``sniff_type`` is also used when a stored file is sent back (``hamkor.core.downloads``), so a
file stored before these checks existed is still never served as a page.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Protocol, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MB = 1024 * 1024
# Enough for every signature below and for spotting markup at the start of a text file.
HEAD_BYTES = 8192
# Browsers look this far into a response when they guess whether it is a page.
MARKUP_WINDOW = 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
ZIP = "application/zip"
TEXT = "text/plain"
CSV = "text/csv"
TSV = "text/tab-separated-values"
VCARD = "text/vcard"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

# Our own table rather than the mimetypes module, whose answers depend on the server's
# /etc/mime.types. Extensions not listed here are refused.
EXTENSION_TYPES = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".gif": GIF,
    ".webp": WEBP,
    ".zip": ZIP,
    ".txt": TEXT,
    ".text": TEXT,
    ".log": TEXT,
    ".csv": CSV,
    ".tsv": TSV,
    ".vcf": VCARD,
    ".vcard": VCARD,
    ".doc": DOC,
    ".xls": XLS,
    ".ppt": PPT,
    ".docx": DOCX,
    ".xlsx": XLSX,
    # A macro-enabled workbook is an .xlsx with macros; readers here never run them.
    ".xlsm": XLSX,
    ".pptx": PPTX,
    ".odt": ODT,
    ".ods": ODS,
}

IMAGE_TYPES = frozenset({PNG, JPEG, GIF, WEBP})
TEXT_TYPES = frozenset({TEXT, CSV, TSV, VCARD})
OLE_TYPES = frozenset({DOC, XLS, PPT})
ZIP_TYPES = frozenset({ZIP, DOCX, XLSX, PPTX, ODT, ODS})
# Shown in the browser when asked (a picture, a PDF): everything else is only downloaded.
INLINE_TYPES = IMAGE_TYPES | {PDF}

# File types people attach to work: documents, spreadsheets, slides, images, archives.
ATTACHMENT_TYPES = frozenset(
    {PDF, TEXT, CSV, PNG, JPEG, GIF, WEBP, ZIP, DOC, DOCX, XLS, XLSX, PPT, PPTX, ODT, ODS}
)
ATTACHMENT_EXTENSIONS = "PDF, TXT, CSV, PNG, JPG, GIF, WEBP, ZIP, DOC(X), XLS(X), PPT(X), ODT, ODS"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", PDF),
    (b"\x89PNG", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PROGRAMS = (
    b"MZ",  # Windows .exe, .dll, .scr
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # macOS, 32 and 64 bit, both byte orders, universal
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # a script for a shell or an interpreter
)
# What makes a browser (or an <img>-less open) treat bytes as a page: the HTML sniffing
# patterns of the WHATWG MIME Sniffing standard, plus SVG and any XML (it may be SVG or XHTML).
_MARKUP_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p"
    rb"|!--|svg|\?xml|math|object|embed|frameset|meta|link|base|form|img)(?=[\s/>])",
    re.IGNORECASE,
)
# Inside the first KB of something that claims to be text: markup a browser would run.
_MARKUP_ANYWHERE = re.compile(
    rb"<\s*(?:script|svg|html|iframe|object|embed|body|meta)\b|javascript:", re.IGNORECASE
)
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class Readable(Protocol):
    """An open binary file: an upload, a stored FieldFile, a BytesIO."""

    def read(self, size: int = ..., /) -> bytes: ...
    def seek(self, offset: int, whence: int = ..., /) -> int: ...
    def tell(self) -> int: ...


@dataclass(frozen=True)
class UploadRules:
    """What one upload site accepts."""

    allowed: frozenset[str]
    allowed_label: str
    max_bytes: Callable[[], int]
    refused_message: str | Promise = field(
        default=gettext_lazy("Files of this type cannot be attached. Allowed: %(types)s.")
    )


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed: its bare file name, size and the type its content proves."""

    name: str
    size: int
    content_type: str


def max_attachment_bytes() -> int:
    """The size limit from ``HAMKOR_ATTACHMENT_MAX_MB``, read at call time."""
    return int(getattr(settings, "HAMKOR_ATTACHMENT_MAX_MB", 10)) * MB


ATTACHMENT_RULES = UploadRules(
    allowed=ATTACHMENT_TYPES,
    allowed_label=ATTACHMENT_EXTENSIONS,
    max_bytes=max_attachment_bytes,
)


def type_from_name(name: str) -> str | None:
    """The type a file name claims, or None for an extension we do not know."""
    return EXTENSION_TYPES.get(PurePath(name).suffix.lower())


def _zip_type(handle: Readable) -> str:
    """Which zip-based format: OOXML by its part folders, OpenDocument by its mimetype entry."""
    try:
        with zipfile.ZipFile(cast(IO[bytes], handle)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in (ODT, ODS):
                    return declared
            if "[Content_Types].xml" in names:
                for prefix, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
                    if any(entry.startswith(prefix) for entry in names):
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        # A truncated or encrypted archive is still an archive; it is never opened here.
        pass
    return ZIP


def is_program(head: bytes) -> bool:
    return head.startswith(_PROGRAMS)


def is_markup(head: bytes) -> bool:
    """Whether a browser could take these first bytes for a page or an SVG image."""
    start = head.lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x0c")[:MARKUP_WINDOW]
    if _MARKUP_START.match(start):
        return True
    # UTF-16 markup: the same test on the text with its zero bytes dropped.
    if start[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return bool(_MARKUP_START.match(start[2:].replace(b"\x00", b"").lstrip()))
    return False


def _is_text(head: bytes) -> bool:
    return not _CONTROL_BYTES.search(head)


def sniff_type(handle: Readable, name: str = "") -> str | None:
    """The type the file's bytes prove (read from the start, position restored), or None.

    Text is told apart by the name (CSV, TSV, vCard), since all text looks alike; a name
    that claims a binary type gets plain text. Markup and programs are always None.
    """
    position = handle.tell()
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    try:
        if not head or is_program(head) or is_markup(head):
            return None
        for signature, kind in _SIGNATURES:
            if head.startswith(signature):
                return kind
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return WEBP
        claimed = type_from_name(name)
        if head.startswith(_OLE):
            # Word, Excel and PowerPoint 97-2003 share one container; the name tells which.
            return claimed if claimed in OLE_TYPES else None
        if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
            handle.seek(0)
            return _zip_type(handle)
        if _is_text(head):
            if _MARKUP_ANYWHERE.search(head[:MARKUP_WINDOW]):
                return None
            return claimed if claimed in TEXT_TYPES else TEXT
        return None
    finally:
        handle.seek(position)


def _same_kind(claimed: str, found: str) -> bool:
    if claimed == found:
        return True
    return any(claimed in group and found in group for group in (IMAGE_TYPES, TEXT_TYPES)) or (
        claimed == ZIP and found in ZIP_TYPES
    )


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def check_upload(upload: UploadedFile, rules: UploadRules = ATTACHMENT_RULES) -> CheckedUpload:
    """Refuse an empty, too large, disguised or disallowed file; ValidationError on ``file``.

    Leaves the upload's read position at the start, ready to be saved.
    """
    name = PurePath(str(upload.name or "").replace("\\", "/")).name[:255]
    size = int(upload.size or 0)
    if not name or size == 0:
        raise _refuse(_("Choose a file that is not empty."))
    limit = rules.max_bytes()
    if size > limit:
        raise _refuse(_("The file is larger than the limit of %(mb)d MB.") % {"mb": limit // MB})
    refused = str(rules.refused_message) % {"types": rules.allowed_label}
    claimed = type_from_name(name)
    if PurePath(name).suffix and claimed not in rules.allowed:
        raise _refuse(refused)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if is_program(head):
        raise _refuse(_("“%(name)s” is a program; programs cannot be uploaded.") % {"name": name})
    found = sniff_type(upload, name)
    if found is None and (is_markup(head) or _is_text(head)):
        raise _refuse(
            _(
                "“%(name)s” contains a web page or an SVG image, which can run scripts in a "
                "browser; such files cannot be uploaded."
            )
            % {"name": name}
        )
    if found is None:
        raise _refuse(
            _("The content of “%(name)s” is not a file type that is allowed. Allowed: %(types)s.")
            % {"name": name, "types": rules.allowed_label}
        )
    if claimed is not None and not _same_kind(claimed, found):
        raise _refuse(
            _("The content of “%(name)s” does not match its extension %(extension)s.")
            % {"name": name, "extension": PurePath(name).suffix.lower()}
        )
    if found not in rules.allowed:
        raise _refuse(refused)
    return CheckedUpload(name=name, size=size, content_type=found)
