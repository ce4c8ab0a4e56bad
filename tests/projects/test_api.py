import typing

import pytest

from hamkor.accounts.models import Role
from hamkor.projects import schemas
from hamkor.projects.models import Project, ProjectStatus, TaskStatus
from hamkor.projects.services.tasks import add_dependency
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client, send
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.projects.factories import (
    ProjectFactory,
    TaskFactory,
    WorkflowStepFactory,
    WorkflowTemplateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))


@pytest.fixture
def api(user):
    return api_client(user)


@pytest.fixture
def project(user):
    return ProjectFactory(name="Shop site", company=CompanyFactory(owner=user))


@pytest.fixture
def foreign():
    owner = UserFactory(team=TeamFactory(name="Team B"))
    return ProjectFactory(name="Secret", company=CompanyFactory(owner=owner))


def test_literal_choices_match_the_models():
    assert set(typing.get_args(schemas.ProjectStatusValue)) == set(ProjectStatus.values)
    assert set(typing.get_args(schemas.TaskStatusValue)) == set(TaskStatus.values)
    assert set(typing.get_args(schemas.RoleValue)) == set(Role.values)


def test_create_list_and_filter_projects(api, user):
    company = CompanyFactory(owner=user)

    created = send(
        api,
        "post",
        "/api/v1/projects",
        {"name": "Bakery site", "company_id": company.pk, "currency": "usd", "budget_hours": "40"},
    )

    assert created.status_code == 201
    body = created.json()
    assert body["owner"]["id"] == user.pk
    assert body["currency"] == "USD"
    assert body["budget_hours"] == "40.00"
    listed = api.get("/api/v1/projects", {"status": "planned"}).json()
    assert listed["count"] == 1
    assert listed["items"][0]["name"] == "Bakery site"
    assert api.get("/api/v1/projects", {"status": "done"}).json()["count"] == 0


def test_other_teams_project_is_not_found(api, foreign):
    task = TaskFactory(project=foreign)

    assert api.get(f"/api/v1/projects/{foreign.pk}").status_code == 404
    assert api.get(f"/api/v1/projects/{foreign.pk}/tasks").status_code == 404
    assert send(api, "patch", f"/api/v1/tasks/{task.pk}", {"status": "done"}).status_code == 404
    assert api.get("/api/v1/projects").json()["count"] == 0


def test_assignee_sees_the_project_but_may_not_change_it(api, user, foreign):
    TaskFactory(project=foreign, assignee=user)

    assert api.get(f"/api/v1/projects/{foreign.pk}").status_code == 200
    response = send(api, "patch", f"/api/v1/projects/{foreign.pk}", {"name": "Mine now"})
    assert response.status_code == 403
    assert response.json()["detail"]


def test_bad_input_is_a_422_with_detail(api, project):
    no_customer = send(api, "post", "/api/v1/projects", {"name": "X", "currency": "USD"})
    bad_status = send(api, "patch", f"/api/v1/projects/{project.pk}", {"status": "finished"})
    unknown_filter = api.get("/api/v1/projects", {"stauts": "done"})

    assert no_customer.status_code == 422
    assert "contact" in no_customer.json()["detail"]
    assert bad_status.status_code == 422
    assert unknown_filter.status_code == 422


def test_broken_json_is_a_400(api):
    response = api.post("/api/v1/projects", data="{", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"]


def test_project_status_change_and_progress(api, project):
    TaskFactory(project=project, status=TaskStatus.DONE)
    TaskFactory(project=project)

    body = send(api, "patch", f"/api/v1/projects/{project.pk}", {"status": "on_hold"}).json()

    assert body["status"] == "on_hold"
    assert (body["task_count"], body["done_count"], body["progress"]) == (2, 1, 50)


def test_tasks_follow_the_dependency_rules(api, project):
    design = send(api, "post", f"/api/v1/projects/{project.pk}/tasks", {"title": "Design"}).json()
    build = send(
        api,
        "post",
        f"/api/v1/projects/{project.pk}/tasks",
        {"title": "Build", "role": "operations"},
    ).json()

    linked = send(
        api, "post", f"/api/v1/tasks/{build['id']}/dependencies", {"depends_on_id": design["id"]}
    )
    refused = send(api, "patch", f"/api/v1/tasks/{build['id']}", {"status": "in_progress"})
    cycle = send(
        api, "post", f"/api/v1/tasks/{design['id']}/dependencies", {"depends_on_id": build["id"]}
    )
    send(api, "patch", f"/api/v1/tasks/{design['id']}", {"status": "done"})

    assert linked.status_code == 201
    assert linked.json()["items"][0]["title"] == "Design"
    assert refused.status_code == 422
    assert "waits for “Design”" in refused.json()["detail"]
    assert cycle.status_code == 422
    assert "wait for each other" in cycle.json()["detail"]
    assert api.get(f"/api/v1/tasks/{build['id']}").json()["status"] == "todo"


def test_dependency_on_another_projects_task_is_refused(api, user, project):
    task = TaskFactory(project=project)
    other = TaskFactory(project=ProjectFactory(company=CompanyFactory(owner=user)))

    response = send(
        api, "post", f"/api/v1/tasks/{task.pk}/dependencies", {"depends_on_id": other.pk}
    )

    assert response.status_code == 422
    assert "same project" in response.json()["detail"]


def test_checklist_and_comments(api, project):
    task = TaskFactory(project=project)

    item = send(api, "post", f"/api/v1/tasks/{task.pk}/checklist", {"text": "Logo"}).json()
    ticked = send(api, "patch", f"/api/v1/tasks/{task.pk}/checklist/{item['id']}", {"done": True})
    send(api, "post", f"/api/v1/tasks/{task.pk}/comments", {"body": "Looks good"})

    assert ticked.json()["done"] is True
    assert api.get(f"/api/v1/tasks/{task.pk}/checklist").json()["count"] == 1
    comments = api.get(f"/api/v1/tasks/{task.pk}/comments").json()
    assert comments["items"][0]["body"] == "Looks good"
    deleted = api.delete(f"/api/v1/tasks/{task.pk}/checklist/{item['id']}")
    assert deleted.status_code == 204


def test_pick_up_through_the_api(user, project):
    worker = UserFactory(role=Role.OPERATIONS, team=user.team)
    task = TaskFactory(project=project, role=Role.OPERATIONS)

    wrong = api_client(user).post(f"/api/v1/tasks/{task.pk}/pick-up")
    right = api_client(worker).post(f"/api/v1/tasks/{task.pk}/pick-up")

    assert wrong.status_code == 403
    assert right.json()["assignee"]["id"] == worker.pk


def test_workflow_templates_crud_is_for_managers(api):
    manager = api_client(UserFactory(role=Role.MANAGER))
    payload = {
        "name": "Website",
        "steps": [
            {"title": "Design", "role": "sales", "offset_working_days": 2},
            {"title": "Build", "role": "operations", "handoff_note": "See the designs."},
        ],
    }

    assert send(api, "post", "/api/v1/workflow-templates", payload).status_code == 403
    created = send(manager, "post", "/api/v1/workflow-templates", payload)
    template_id = created.json()["id"]
    renamed = send(
        manager,
        "patch",
        f"/api/v1/workflow-templates/{template_id}",
        {"steps": [{"title": "Only step", "role": "support"}]},
    )

    assert created.status_code == 201
    assert [s["position"] for s in created.json()["steps"]] == [1, 2]
    assert [s["title"] for s in renamed.json()["steps"]] == ["Only step"]
    assert api.get("/api/v1/workflow-templates").json()["count"] == 1
    assert manager.delete(f"/api/v1/workflow-templates/{template_id}").status_code == 204


def test_workflow_template_without_steps_is_refused():
    manager = api_client(UserFactory(role=Role.MANAGER))

    response = send(manager, "post", "/api/v1/workflow-templates", {"name": "Empty", "steps": []})

    assert response.status_code == 422


def test_start_a_project_from_a_template(api, user):
    template = WorkflowTemplateFactory(name="Website")
    WorkflowStepFactory(template=template, position=1, title="Design", offset_working_days=1)
    WorkflowStepFactory(template=template, position=2, title="Build", offset_working_days=2)
    contact = ContactFactory(owner=user)

    response = send(
        api,
        "post",
        "/api/v1/projects/from-template",
        {
            "template_id": template.pk,
            "name": "Bakery",
            "contact_id": contact.pk,
            # A Friday: Design is due Monday, Build on Wednesday.
            "start_date": "2026-12-04",
        },
    )

    assert response.status_code == 201
    project = response.json()
    assert project["template"]["name"] == "Website"
    assert project["due_date"] == "2026-12-09"
    tasks = api.get(f"/api/v1/projects/{project['id']}/tasks").json()["items"]
    assert [(t["title"], t["status"], t["due_date"]) for t in tasks] == [
        ("Design", "todo", "2026-12-07"),
        ("Build", "waiting", "2026-12-09"),
    ]
    assert tasks[1]["depends_on"][0]["title"] == "Design"


def test_start_from_unknown_template_is_a_422(api, user):
    contact = ContactFactory(owner=user)

    response = send(
        api,
        "post",
        "/api/v1/projects/from-template",
        {"template_id": 999999, "name": "X", "contact_id": contact.pk},
    )

    assert response.status_code == 422
    assert "999999" in response.json()["detail"]
    assert not Project.objects.exists()


def test_delete_project_with_logged_time_is_a_conflict(api, user, project):
    from django.utils import timezone

    from hamkor.projects.models import TimeEntry

    TimeEntry.objects.create(
        user=user, project=project, started_at=timezone.now(), ended_at=timezone.now(), minutes=5
    )

    response = api.delete(f"/api/v1/projects/{project.pk}")

    assert response.status_code == 409
    assert Project.objects.filter(pk=project.pk).exists()


def test_delete_project(api, project):
    first, later = TaskFactory(project=project), TaskFactory(project=project)
    add_dependency(task=later, depends_on=first, actor=None)

    assert api.delete(f"/api/v1/projects/{project.pk}").status_code == 204
    assert not Project.objects.filter(pk=project.pk).exists()
