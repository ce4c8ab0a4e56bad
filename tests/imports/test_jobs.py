import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hamkor.accounts.models import Role
from hamkor.contacts.models import Contact
from hamkor.core.models import AuditEvent
from hamkor.imports.models import ImportJob, JobStatus
from hamkor.imports.services import create_job, current_progress, queue_run, run_job, set_options
from tests.accounts.factories import UserFactory

CONTENT = b"Name;Phone\nAziz;+998901112233\nMadina;+998901112244\nBad;12\n"


def _upload(content=CONTENT, name="people.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_create_job_reads_columns_and_guesses_the_mapping(manager):
    job = create_job(actor=manager, upload=_upload(), entity="contact")

    assert job.headers == ["Name", "Phone"]
    assert job.mapping == {"Name": "first_name", "Phone": "phone"}
    assert (job.file_format, job.total_rows, job.status) == ("csv", 3, JobStatus.UPLOADED)


def test_create_job_refuses_sales_staff(db):
    with pytest.raises(PermissionDenied):
        create_job(actor=UserFactory(role=Role.SALES), upload=_upload(), entity="contact")


def test_create_job_refuses_a_mapping_without_the_required_field(manager):
    with pytest.raises(ValidationError) as error:
        create_job(actor=manager, upload=_upload(), entity="contact", mapping={"Phone": "phone"})

    assert error.value.message_dict["mapping"] == ["Choose the column for “First name”."]


def test_background_check_then_import_then_retry_applies_once(
    manager, django_capture_on_commit_callbacks
):
    job = create_job(actor=manager, upload=_upload(), entity="contact")
    with django_capture_on_commit_callbacks(execute=True):
        queue_run(job=job, actor=manager, dry_run=True)
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED
    assert (job.new_count, job.error_count, job.processed_rows) == (2, 1, 3)
    assert job.error_sample == [
        {"row": 4, "column": "Phone", "message": "“12” is not a valid phone number."}
    ]
    assert Contact.objects.count() == 0

    set_options(job=job, actor=manager, mapping=job.mapping, duplicates="skip", skip_bad_rows=True)
    with django_capture_on_commit_callbacks(execute=True):
        queue_run(job=job, actor=manager, dry_run=False)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.applied_at is not None
    assert Contact.objects.count() == 2
    assert AuditEvent.objects.filter(verb="import.applied").count() == 1

    assert run_job(job_id=job.pk) is None
    with pytest.raises(ValidationError):
        queue_run(job=job, actor=manager, dry_run=False)
    assert Contact.objects.count() == 2


def test_an_import_with_errors_fails_and_writes_nothing(
    manager, django_capture_on_commit_callbacks
):
    job = create_job(actor=manager, upload=_upload(), entity="contact")

    with django_capture_on_commit_callbacks(execute=True):
        queue_run(job=job, actor=manager, dry_run=False)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.applied_at is None
    assert job.errors_file
    assert Contact.objects.count() == 0


def test_a_retry_of_a_job_caught_mid_run_runs_it(manager, django_capture_on_commit_callbacks):
    good = b"Name;Phone\nAziz;+998901112233\n"
    job = create_job(actor=manager, upload=_upload(good), entity="contact")
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.IMPORTING, dry_run=False)

    run_job(job_id=job.pk)
    run_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Contact.objects.count() == 1


def test_progress_is_live_while_running_and_final_after(manager):
    job = create_job(actor=manager, upload=_upload(), entity="contact")
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.IMPORTING)
    job.refresh_from_db()
    cache.set(f"imports:progress:{job.pk}", 2)

    assert current_progress(job) == 2
    assert job.percent == 0

    job.status, job.processed_rows = JobStatus.DONE, 3
    assert current_progress(job) == 3
    assert job.percent == 100


def test_progress_reported_while_the_file_is_read(manager, tmp_path):
    from hamkor.imports.services import run_file

    rows = "".join(f"P{i};+9989011{i:05d}\n" for i in range(12_000))
    path = tmp_path / "big.csv"
    path.write_text("Name;Phone\n" + rows)
    seen: list[int] = []

    run_file(
        path=path,
        name="big.csv",
        entity="contact",
        mapping={"Name": "first_name", "Phone": "phone"},
        duplicates="skip",
        skip_bad_rows=False,
        actor=manager,
        write=False,
        on_progress=seen.append,
    )

    assert seen == [5000, 10000, 12000]
