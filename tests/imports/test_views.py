from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.contacts.models import Contact
from hamkor.imports.models import ImportJob, JobStatus
from tests.accounts.factories import UserFactory
from tests.imports.factories import ImportJobFactory


def test_index_uploads_and_shows_the_mapping_with_a_preview(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile(
        "people.csv", "Имя;Телефон;Notes\nАзиз;+998901112233;VIP\n".encode()
    )

    answer = client.post(reverse("imports:index"), {"entity": "contact", "file": upload})

    job = ImportJob.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("imports:detail", args=[job.uuid])
    page = client.get(answer["Location"]).content.decode()
    assert '<option value="first_name" selected>' in page
    assert '<option value="phone" selected>' in page
    assert "<td>Азиз</td>" in page


def test_index_shows_the_upload_error_beside_the_field(client, manager):
    client.force_login(manager)

    answer = client.post(
        reverse("imports:index"),
        {"entity": "contact", "file": SimpleUploadedFile("e.csv", b"\n\n")},
    )

    assert answer.status_code == 200
    assert "The first row must name the columns." in answer.content.decode()


def test_pages_are_for_managers_and_admins(client, db):
    client.force_login(UserFactory(role=Role.SALES))

    assert client.get(reverse("imports:index")).status_code == 403


def test_run_checks_then_imports_with_the_chosen_mapping(
    client, manager, django_capture_on_commit_callbacks
):
    job = ImportJobFactory(created_by=manager)
    client.force_login(manager)
    url = reverse("imports:run", args=[job.uuid])
    form = {"column-0": "last_name", "column-1": "phone", "duplicates": "skip"}

    with django_capture_on_commit_callbacks(execute=True):
        checked = client.post(url, {**form, "action": "check"})
    job.refresh_from_db()
    assert checked.status_code == 302
    assert (job.status, job.new_count, job.mapping) == (
        JobStatus.CHECKED,
        1,
        {"Name": "last_name", "Phone": "phone"},
    )
    page = client.get(reverse("imports:detail", args=[job.uuid])).content.decode()
    assert "dry run, nothing written" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**form, "action": "import"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Contact.objects.get().first_name == "Aziz"


def test_run_keeps_the_choice_and_shows_mapping_errors(client, manager):
    job = ImportJobFactory(created_by=manager)
    client.force_login(manager)

    answer = client.post(
        reverse("imports:run", args=[job.uuid]),
        {"column-0": "", "column-1": "phone", "action": "check", "duplicates": "skip"},
    )

    assert answer.status_code == 422
    page = answer.content.decode()
    assert "Choose the column for “First name”." in page
    assert '<option value="phone" selected>' in page


def test_progress_partial_polls_while_running(client, manager):
    job = ImportJobFactory(created_by=manager, status=JobStatus.IMPORTING, total_rows=10)
    client.force_login(manager)

    running = client.get(reverse("imports:progress", args=[job.uuid])).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    done = client.get(reverse("imports:progress", args=[job.uuid])).content.decode()

    assert 'hx-trigger="every 1s"' in running
    assert "<progress" in running
    assert "hx-trigger" not in done


def test_errors_download_page(client, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    upload = SimpleUploadedFile("people.csv", b"Name;Phone\nBad;12\n")
    client.post(reverse("imports:index"), {"entity": "contact", "file": upload})
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:run", args=[job.uuid]),
            {"column-0": "first_name", "column-1": "phone", "action": "check"},
        )

    answer = client.get(reverse("imports:errors", args=[job.uuid]))

    assert answer.status_code == 200
    assert "attachment" in answer["Content-Disposition"]
    assert "“12” is not a valid phone number." in answer.content.decode("utf-8-sig")
