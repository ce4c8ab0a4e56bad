import pytest
from django.core.management import CommandError, call_command

from hamkor.contacts.demo import load_demo
from hamkor.projects.models import Project, Task, TaskStatus, WorkflowTemplate

pytestmark = pytest.mark.django_db


def test_demo_projects_loads_the_website_template_and_projects_at_several_stages():
    load_demo(contacts=40, password="demo-pass-123")

    call_command("demo_projects")

    template = WorkflowTemplate.objects.get(name="Website")
    assert [s.title for s in template.steps.all()] == ["Design", "Development", "Testing", "Launch"]
    assert Project.objects.filter(template=template).count() == 3
    assert Task.objects.filter(status=TaskStatus.DONE).count() == 4
    assert Task.objects.filter(status=TaskStatus.WAITING).exists()
    with pytest.raises(CommandError, match="already exists"):
        call_command("demo_projects")
