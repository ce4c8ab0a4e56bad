import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hamkor.accounts.models import Role
from hamkor.projects.models import TaskStatus
from hamkor.projects.services.task_items import add_attachment
from hamkor.projects.services.tasks import (
    add_dependency,
    change_task_status,
    pick_up_task,
    remove_dependency,
)
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


def chain():
    """Two tasks of one project: ``later`` waits for ``first``."""
    project = ProjectFactory()
    first = TaskFactory(project=project, title="Design")
    later = TaskFactory(project=project, title="Build")
    add_dependency(task=later, depends_on=first, actor=None)
    later.refresh_from_db()
    return first, later


def test_add_dependency_makes_the_task_wait():
    _first, later = chain()

    assert later.status == TaskStatus.WAITING


def test_waiting_task_cannot_be_started_or_finished():
    _first, later = chain()

    for status in (TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.TODO):
        with pytest.raises(ValidationError, match="“Build” waits for “Design”"):
            change_task_status(task=later, status=status, actor=None)
    later.refresh_from_db()
    assert later.status == TaskStatus.WAITING


def test_finishing_the_dependency_lets_the_task_start():
    first, later = chain()

    change_task_status(task=first, status=TaskStatus.DONE, actor=None)
    later.refresh_from_db()
    assert later.status == TaskStatus.TODO
    change_task_status(task=later, status=TaskStatus.IN_PROGRESS, actor=None)
    later.refresh_from_db()
    assert later.status == TaskStatus.IN_PROGRESS


def test_task_waits_until_every_dependency_is_done():
    first, later = chain()
    other = TaskFactory(project=first.project, title="Copy")
    add_dependency(task=later, depends_on=other, actor=None)

    change_task_status(task=first, status=TaskStatus.DONE, actor=None)

    later.refresh_from_db()
    assert later.status == TaskStatus.WAITING


def test_reopening_a_task_puts_its_dependents_back_to_waiting():
    first, later = chain()
    change_task_status(task=first, status=TaskStatus.DONE, actor=None)

    change_task_status(task=first, status=TaskStatus.IN_PROGRESS, actor=None)

    later.refresh_from_db()
    first.refresh_from_db()
    assert later.status == TaskStatus.WAITING
    assert first.completed_at is None


def test_cycle_is_refused():
    first, later = chain()
    third = TaskFactory(project=first.project, title="Test")
    add_dependency(task=third, depends_on=later, actor=None)

    with pytest.raises(ValidationError, match="would wait for each other forever"):
        add_dependency(task=first, depends_on=third, actor=None)
    assert not first.depends_on.exists()


def test_dependency_on_itself_or_another_project_is_refused():
    task = TaskFactory()
    stranger = TaskFactory()

    with pytest.raises(ValidationError, match="cannot wait for itself"):
        add_dependency(task=task, depends_on=task, actor=None)
    with pytest.raises(ValidationError, match="same project"):
        add_dependency(task=task, depends_on=stranger, actor=None)


def test_removing_the_last_open_dependency_readies_the_task():
    first, later = chain()

    remove_dependency(task=later, depends_on=first, actor=UserFactory())

    later.refresh_from_db()
    assert later.status == TaskStatus.TODO


def test_pick_up_gives_the_task_to_someone_with_its_role():
    task = TaskFactory(role=Role.OPERATIONS)
    worker = UserFactory(role=Role.OPERATIONS)

    pick_up_task(task=task, actor=worker)

    task.refresh_from_db()
    assert task.assignee == worker


def test_pick_up_is_refused_for_another_role_and_once_taken():
    task = TaskFactory(role=Role.OPERATIONS)

    with pytest.raises(PermissionDenied):
        pick_up_task(task=task, actor=UserFactory(role=Role.SALES))
    pick_up_task(task=task, actor=UserFactory(role=Role.OPERATIONS))
    with pytest.raises(ValidationError, match="already picked up"):
        pick_up_task(task=task, actor=UserFactory(role=Role.OPERATIONS))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.HAMKOR_ATTACHMENT_MAX_MB = 1
    return tmp_path


def test_attachment_is_stored_under_the_media_directory(media):
    task = TaskFactory()

    attachment = add_attachment(
        task=task,
        upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief", content_type="application/pdf"),
        actor=UserFactory(),
    )

    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(b"%PDF-1.4 brief")
    assert (media / attachment.file.name).read_bytes() == b"%PDF-1.4 brief"


def test_attachment_over_the_size_limit_is_refused(media):
    big = SimpleUploadedFile("scan.pdf", b"x" * (1024 * 1024 + 1), content_type="application/pdf")

    with pytest.raises(ValidationError, match="larger than the limit of 1 MB"):
        add_attachment(task=TaskFactory(), upload=big, actor=UserFactory())
    assert list(media.rglob("*.pdf")) == []


def test_attachment_of_a_type_not_allowed_is_refused_whatever_the_browser_claims(media):
    program = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/pdf")

    with pytest.raises(ValidationError, match="cannot be attached"):
        add_attachment(task=TaskFactory(), upload=program, actor=UserFactory())
    assert list(media.rglob("*")) == []
