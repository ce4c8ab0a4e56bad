"""Task attachments over the REST API: upload, list, download, remove, with the limits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hamkor.accounts.models import Role
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client
from tests.contacts.factories import CompanyFactory
from tests.projects.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def user():
    return UserFactory(role=Role.OPERATIONS, team=TeamFactory(name="Team A"))


@pytest.fixture
def task(user):
    return TaskFactory(project=ProjectFactory(company=CompanyFactory(owner=user)))


def _upload(api, task, name, content, content_type="application/octet-stream"):
    return api.post(
        f"/api/v1/tasks/{task.pk}/attachments",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_upload_list_download_and_remove_an_attachment(user, task, tmp_path):
    api = api_client(user)

    created = _upload(api, task, "brief.pdf", b"%PDF-1.4 the brief", "application/pdf")

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["size"], body["content_type"]) == (
        "brief.pdf",
        18,
        "application/pdf",
    )
    assert body["uploaded_by"]["username"] == user.username
    listed = api.get(f"/api/v1/tasks/{task.pk}/attachments").json()
    assert [item["name"] for item in listed["items"]] == ["brief.pdf"]
    download = api.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 the brief"
    assert download["Content-Disposition"].startswith("attachment")
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(stored) == 1

    removed = api.delete(body["download_url"])

    assert removed.status_code == 204
    assert api.get(f"/api/v1/tasks/{task.pk}/attachments").json()["count"] == 0
    assert api.get(body["download_url"]).status_code == 404


def test_upload_over_the_size_limit_is_a_422_and_keeps_no_file(user, task, settings, tmp_path):
    settings.HAMKOR_ATTACHMENT_MAX_MB = 1

    response = _upload(api_client(user), task, "scan.pdf", b"x" * (1024 * 1024 + 1))

    assert response.status_code == 422
    assert "larger than the limit of 1 MB" in response.json()["detail"]
    assert not task.attachments.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_upload_of_a_refused_type_is_a_422_naming_the_allowed_ones(user, task):
    response = _upload(api_client(user), task, "setup.exe", b"MZ...")

    assert response.status_code == 422
    assert "Allowed: PDF" in response.json()["detail"]
    assert not task.attachments.exists()


def test_upload_without_a_file_is_a_422(user, task):
    response = api_client(user).post(f"/api/v1/tasks/{task.pk}/attachments", {})

    assert response.status_code == 422
    assert "file" in response.json()["detail"]


def test_someone_elses_task_and_its_files_are_not_found(user, task):
    created = _upload(api_client(user), task, "plan.txt", b"the plan", "text/plain").json()
    outsider = api_client(UserFactory(role=Role.SALES, team=TeamFactory(name="Team B")))

    assert outsider.get(f"/api/v1/tasks/{task.pk}/attachments").status_code == 404
    assert outsider.get(created["download_url"]).status_code == 404
    assert outsider.delete(created["download_url"]).status_code == 404
    assert _upload(outsider, task, "x.txt", b"x", "text/plain").status_code == 404
    assert task.attachments.count() == 1
