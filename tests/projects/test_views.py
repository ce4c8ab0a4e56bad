import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.projects.models import ProjectStatus, TaskStatus, WorkflowTemplate
from hamkor.projects.services.task_items import add_attachment
from hamkor.projects.services.tasks import add_dependency
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.projects.factories import (
    ChecklistItemFactory,
    ProjectFactory,
    TaskFactory,
    WorkflowStepFactory,
    WorkflowTemplateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client):
    user = UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))
    client.force_login(user)
    return user


@pytest.fixture
def project(user):
    return ProjectFactory(name="Shop site", company=CompanyFactory(owner=user))


@pytest.fixture
def other_team_project():
    owner = UserFactory(team=TeamFactory(name="Team B"))
    return ProjectFactory(name="Secret site", company=CompanyFactory(owner=owner))


def test_list_shows_own_projects_with_progress_not_other_teams(client, project, other_team_project):
    TaskFactory(project=project, status=TaskStatus.DONE)
    TaskFactory(project=project)

    response = client.get(reverse("projects:list"))

    body = response.content.decode()
    assert "Shop site" in body
    assert "1 of 2 tasks done (50%)" in body
    assert "Secret site" not in body


def test_list_filters_by_status_and_search(client, user, project):
    ProjectFactory(name="Old site", company=project.company, status=ProjectStatus.DONE)

    done = client.get(reverse("projects:list"), {"status": "done"}).content.decode()
    searched = client.get(reverse("projects:list"), {"q": "shop"}).content.decode()

    assert "Old site" in done and "Shop site" not in done
    assert "Shop site" in searched and "Old site" not in searched


def test_other_teams_project_and_its_task_are_not_found(client, user, other_team_project):
    task = TaskFactory(project=other_team_project)

    assert client.get(reverse("projects:detail", args=[other_team_project.pk])).status_code == 404
    assert client.get(reverse("projects:board", args=[other_team_project.pk])).status_code == 404
    assert client.get(reverse("projects:task_detail", args=[task.pk])).status_code == 404


def test_assignee_from_another_team_sees_the_project_but_cannot_edit_it(
    client, user, other_team_project
):
    TaskFactory(project=other_team_project, assignee=user, title="Write copy")

    detail = client.get(reverse("projects:detail", args=[other_team_project.pk]))
    edit = client.get(reverse("projects:edit", args=[other_team_project.pk]))

    assert detail.status_code == 200
    assert "Write copy" in detail.content.decode()
    assert edit.status_code == 403


def test_create_project_keeps_input_and_shows_error_without_customer(client, user):
    response = client.post(
        reverse("projects:create"),
        {"name": "Nameless customer", "currency": "USD", "owner": user.pk},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose a contact or a company for the project." in body
    assert 'value="Nameless customer"' in body


def test_start_from_template_creates_the_tasks(client, user):
    template = WorkflowTemplateFactory(name="Website")
    WorkflowStepFactory(template=template, position=1, title="Design", role=Role.SALES)
    contact = ContactFactory(owner=user)

    response = client.post(
        reverse("projects:from_template"),
        {
            "template": template.pk,
            "name": "Bakery site",
            "contact": contact.pk,
            "owner": user.pk,
            "currency": "UZS",
            "start_date": "2026-12-03",
        },
    )

    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Bakery site" in detail
    assert "Design" in detail


def test_board_move_refuses_a_waiting_task_and_says_why(client, project):
    first = TaskFactory(project=project, title="Design")
    later = TaskFactory(project=project, title="Build")
    add_dependency(task=later, depends_on=first, actor=None)

    response = client.post(
        reverse("projects:task_move", args=[later.pk]), {"stage": "done"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "“Build” waits for “Design”" in response.content.decode()
    later.refresh_from_db()
    assert later.status == TaskStatus.WAITING


def test_board_move_with_htmx_returns_the_board(client, project):
    task = TaskFactory(project=project)

    response = client.post(
        reverse("projects:task_move", args=[task.pk]),
        {"stage": "in_progress"},
        HTTP_HX_REQUEST="true",
    )

    assert 'id="board"' in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


def test_task_status_refusal_is_shown_beside_the_field(client, project):
    first = TaskFactory(project=project, title="Design")
    later = TaskFactory(project=project, title="Build")
    add_dependency(task=later, depends_on=first, actor=None)

    response = client.post(reverse("projects:task_status", args=[later.pk]), {"stage": "done"})

    assert response.status_code == 422
    assert "“Build” waits for “Design”" in response.content.decode()


def test_checklist_toggle_with_htmx_returns_the_checklist(client, project):
    item = ChecklistItemFactory(task=TaskFactory(project=project), text="Logo approved")

    response = client.post(
        reverse("projects:checklist_toggle", args=[item.task_id, item.pk]),
        {"done": "1"},
        HTTP_HX_REQUEST="true",
    )

    item.refresh_from_db()
    assert item.done
    assert 'aria-pressed="true"' in response.content.decode()


def test_comment_is_shown_on_the_task(client, user, project):
    task = TaskFactory(project=project)

    client.post(reverse("projects:comment_add", args=[task.pk]), {"body": "Sent to client."})

    assert (
        "Sent to client."
        in client.get(reverse("projects:task_detail", args=[task.pk])).content.decode()
    )


def test_attachment_upload_over_limit_shows_error(client, settings, tmp_path, project):
    settings.MEDIA_ROOT = tmp_path
    settings.HAMKOR_ATTACHMENT_MAX_MB = 1
    task = TaskFactory(project=project)
    big = SimpleUploadedFile("scan.pdf", b"x" * (1024 * 1024 + 1), content_type="application/pdf")

    response = client.post(reverse("projects:attachment_add", args=[task.pk]), {"file": big})

    assert response.status_code == 422
    assert "larger than the limit of 1 MB" in response.content.decode()
    assert not task.attachments.exists()


def test_attachment_download_only_for_those_who_see_the_task(client, settings, tmp_path, user):
    settings.MEDIA_ROOT = tmp_path
    owner = UserFactory(team=TeamFactory(name="Team B"))
    task = TaskFactory(project=ProjectFactory(company=CompanyFactory(owner=owner)))
    attachment = add_attachment(
        task=task,
        upload=SimpleUploadedFile("plan.txt", b"the plan", content_type="text/plain"),
        actor=owner,
    )
    url = reverse("projects:attachment_download", args=[attachment.pk])

    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"the plan"
    assert response["Content-Disposition"].startswith("attachment")


def test_my_tasks_lists_mine_and_my_roles_queue_and_pick_up_takes_it(client, user, project):
    TaskFactory(project=project, title="Call the client", assignee=user)
    queued = TaskFactory(project=ProjectFactory(), title="Quote hosting", role=Role.SALES)
    TaskFactory(project=ProjectFactory(), title="Deploy", role=Role.OPERATIONS)

    body = client.get(reverse("projects:my_tasks")).content.decode()
    assert "Call the client" in body and "Quote hosting" in body and "Deploy" not in body

    client.post(reverse("projects:task_pick_up", args=[queued.pk]))
    queued.refresh_from_db()
    assert queued.assignee == user


def test_template_editor_adds_reorders_and_removes_steps(client):
    manager = UserFactory(role=Role.MANAGER)
    client.force_login(manager)
    form = {
        "name": "Website",
        "is_active": "on",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-0-title": "Launch",
        "steps-0-role": "operations",
        "steps-0-offset_working_days": "1",
        "steps-0-ORDER": "2",
        "steps-1-title": "Design",
        "steps-1-role": "sales",
        "steps-1-offset_working_days": "3",
        "steps-1-ORDER": "1",
        "steps-2-title": "Dropped",
        "steps-2-role": "sales",
        "steps-2-offset_working_days": "1",
        "steps-2-DELETE": "on",
    }

    response = client.post(reverse("projects:template_create"), form)

    assert response.status_code == 302
    template = WorkflowTemplate.objects.get(name="Website")
    assert [s.title for s in template.steps.all()] == ["Design", "Launch"]
    edit = client.get(reverse("projects:template_edit", args=[template.pk])).content.decode()
    assert 'value="Design"' in edit


def test_template_editor_is_for_managers_only(client, user):
    assert client.get(reverse("projects:template_create")).status_code == 403
    assert client.get(reverse("projects:template_list")).status_code == 200


def test_contact_card_lists_the_customers_projects(client, user):
    contact = ContactFactory(owner=user)
    ProjectFactory(name="Bakery site", contact=contact, company=None, owner=user, team=user.team)

    body = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    assert "Bakery site" in body
    assert "Project started: Bakery site" in body


def test_main_menu_links_projects_and_my_tasks(client, user):
    body = client.get(reverse("projects:my_tasks")).content.decode()

    assert reverse("projects:list") in body
    assert 'href="/projects/my-tasks/" aria-current="page"' in body
