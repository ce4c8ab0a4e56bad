import pytest

from tests.accounts.factories import UserFactory
from tests.projects.factories import TaskFactory, WorkflowStepFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/projects/holiday/add/",
        "/admin/projects/workcapacity/add/",
        "/admin/projects/workflowtemplate/",
        "/admin/projects/project/",
        "/admin/projects/task/",
    ],
)
def test_projects_admin_pages_open(client, url):
    TaskFactory()
    WorkflowStepFactory()
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 200


def test_tasks_cannot_be_changed_in_the_admin(client):
    task = TaskFactory()
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))

    response = client.post(f"/admin/projects/task/{task.pk}/change/", {"status": "done"})

    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == "todo"
