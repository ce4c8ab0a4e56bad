"""Uploads are judged by their bytes, and stored files are never sent back as a web page."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.core.downloads import attachment_response
from hamkor.core.uploads import check_upload
from hamkor.imports.models import ImportJob
from hamkor.projects.models import TaskAttachment
from hamkor.projects.services.task_items import add_attachment
from hamkor.support.models import Ticket
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.portal.helpers import portal_log_in
from tests.projects.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/contacts')</script></body>"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
WEB_PAGE_ERROR = "contains a web page or an SVG image"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def _file(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    # The browser's claimed type is set to something harmless on purpose: it must not matter.
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("photo.png", PNG, "image/png"),
        ("scan.pdf", PDF, "application/pdf"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00", "image/gif"),
        ("pic.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (
            "brief.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("sheet.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("letter.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("notes.txt", "Салом, дунё: 2 < 3".encode(), "text/plain"),
        ("people.csv", b"Name;Phone\nAziz;+998901112233\n", "text/csv"),
        # A JPEG saved as .png is still a picture; it is sent back as what it really is.
        ("renamed.png", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    ],
)
def test_check_upload_accepts_real_files_with_the_type_their_content_proves(
    name, content, expected
):
    checked = check_upload(_file(name, content, content_type="text/html"))

    assert (checked.name, checked.size, checked.content_type) == (name, len(content), expected)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", HTML_AS_PDF, WEB_PAGE_ERROR),
        ("invoice.pdf", b"  \n<html><p>pay here</p></html>", WEB_PAGE_ERROR),
        ("logo.png", SVG_WITH_SCRIPT, WEB_PAGE_ERROR),
        ("logo.png", b"<svg onload=alert(1)>", WEB_PAGE_ERROR),
        ("notes.txt", b"Hello\n<script src=//evil.example/x.js></script>", WEB_PAGE_ERROR),
        ("notes.txt", "\ufeff<iframe src=x>".encode(), WEB_PAGE_ERROR),
        ("notes.txt", "<html>".encode("utf-16"), WEB_PAGE_ERROR),
        ("people.csv", b"name\n<a href=javascript:alert(1)>x</a>", WEB_PAGE_ERROR),
        ("logo.svg", SVG_WITH_SCRIPT, "cannot be attached"),
        ("page.html", b"<p>hi</p>", "cannot be attached"),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "is a program"),
        ("run.txt", b"#!/bin/sh\nrm -rf ~\n", "is a program"),
        ("report.pdf", b"just some words", "does not match its extension .pdf"),
        ("brief.docx", _zip({"a.txt": b"x"}), "does not match its extension .docx"),
        ("data.bin", b"\x00\x01\x02", "cannot be attached"),
        ("noextension", b"\x00\x01\x02garbage", "is not a file type that is allowed"),
    ],
)
def test_check_upload_refuses_disguised_and_dangerous_files(name, content, message):
    with pytest.raises(ValidationError) as caught:
        check_upload(_file(name, content))

    assert message in " ".join(caught.value.message_dict["file"])


def test_check_upload_size_limit_comes_from_the_setting(settings):
    settings.HAMKOR_ATTACHMENT_MAX_MB = 1

    with pytest.raises(ValidationError, match="larger than the limit of 1 MB"):
        check_upload(_file("scan.pdf", b"%PDF" + b"x" * (1024 * 1024)))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def user():
    return UserFactory(role=Role.OPERATIONS, team=TeamFactory(name="Team A"))


@pytest.fixture
def task(user):
    return TaskFactory(project=ProjectFactory(company=CompanyFactory(owner=user)))


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_task_page_shows_the_error_for_html_disguised_as_pdf_and_keeps_nothing(
    client, user, task, tmp_path
):
    client.force_login(user)

    response = client.post(
        reverse("projects:attachment_add", args=[task.pk]),
        {"file": _file("invoice.pdf", HTML_AS_PDF)},
    )

    assert response.status_code == 422
    assert "“invoice.pdf” contains a web page or an SVG image" in response.content.decode()
    assert not task.attachments.exists()
    assert not _stored_files(tmp_path)


def test_task_api_refuses_svg_with_a_script_as_a_422(user, task, tmp_path):
    response = api_client(user).post(
        f"/api/v1/tasks/{task.pk}/attachments", {"file": _file("chart.png", SVG_WITH_SCRIPT)}
    )

    assert response.status_code == 422
    assert WEB_PAGE_ERROR in response.json()["detail"]
    assert not _stored_files(tmp_path)


def test_task_api_stores_a_real_png_with_its_type(user, task):
    response = api_client(user).post(
        f"/api/v1/tasks/{task.pk}/attachments",
        {"file": _file("photo.png", PNG, content_type="application/octet-stream")},
    )

    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "image/png"


def test_portal_request_with_a_disguised_page_shows_the_error_and_opens_no_ticket(client):
    portal = portal_log_in(client, ContactFactory(first_name="Aziza", language="en"))

    response = portal.post(
        "/portal/support/new/",
        {
            "subject": "Receipt",
            "type": "question",
            "body": "See the file.",
            "file": _file("receipt.pdf", HTML_AS_PDF),
        },
    )

    assert response.status_code == 422
    assert WEB_PAGE_ERROR in response.content.decode()
    assert not Ticket.objects.exists()


def test_import_of_a_web_page_named_csv_is_refused_beside_the_field(client):
    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.post(
        reverse("imports:index"),
        {"entity": "contact", "file": _file("people.csv", b"<html><script>x</script></html>")},
    )

    assert WEB_PAGE_ERROR in response.content.decode()
    assert not ImportJob.objects.exists()


def _plant(task, user, name: str, content: bytes, content_type: str) -> TaskAttachment:
    """A file stored before uploads were checked: written straight to storage, no validation."""
    attachment = TaskAttachment(
        task=task, name=name, size=len(content), content_type=content_type, uploaded_by=user
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def test_a_stored_html_file_is_sent_as_a_sandboxed_download_never_as_a_page(client, user, task):
    attachment = _plant(task, user, "invoice.html", HTML_AS_PDF, "text/html")
    client.force_login(user)

    response = client.get(reverse("projects:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == HTML_AS_PDF


def test_a_stored_svg_is_not_sent_as_an_image_over_the_api(user, task):
    attachment = _plant(task, user, "logo.svg", SVG_WITH_SCRIPT, "image/svg+xml")

    response = api_client(user).get(f"/api/v1/tasks/{task.pk}/attachments/{attachment.pk}")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_real_picture_may_be_shown_inline_with_its_proven_type(user, task):
    attachment = add_attachment(task=task, upload=_file("photo.png", PNG), actor=user)

    response = attachment_response(attachment, inline=True)

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_page_is_a_download_even_when_inline_is_asked(user, task):
    attachment = _plant(task, user, "photo.png", b"<html><script>1</script>", "image/png")

    response = attachment_response(attachment, inline=True)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
