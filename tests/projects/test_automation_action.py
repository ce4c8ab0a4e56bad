import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.automation.models import Rule, RuleRun, Trigger
from hamkor.automation.services.spec import clean_actions
from hamkor.projects.models import Project, TaskStatus
from hamkor.sales.services.deals import move_deal
from tests.accounts.factories import UserFactory
from tests.automation.factories import RuleFactory
from tests.contacts.factories import ContactFactory
from tests.projects.factories import WorkflowStepFactory, WorkflowTemplateFactory
from tests.sales.factories import DealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a block queues on commit (the rules' jobs), as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def template():
    template = WorkflowTemplateFactory(name="Website")
    WorkflowStepFactory(template=template, position=1, title="Design", role=Role.SALES)
    WorkflowStepFactory(template=template, position=2, title="Development")
    return template


def won_rule(template):
    return RuleFactory(
        trigger=Trigger.DEAL_STAGE_CHANGED,
        trigger_params={"outcome": "won"},
        actions=[{"type": "start_project", "workflow_template": template.pk}],
    )


def test_winning_a_deal_starts_its_project_from_the_template(committed, template):
    seller = UserFactory()
    deal = DealFactory(title="Bakery website", contact=ContactFactory(owner=seller))
    won = deal.pipeline.stages.get(name="Won")
    won_rule(template)

    with committed():
        move_deal(deal=deal, stage=deal.pipeline.stages.get(name="Proposal"), actor=seller)
    assert not Project.objects.exists()
    with committed():
        move_deal(deal=deal, stage=won, actor=seller)

    project = Project.objects.get()
    assert (project.name, project.deal, project.template) == ("Bakery website", deal, template)
    assert (project.contact, project.owner) == (deal.contact, seller)
    assert [(t.title, t.status) for t in project.tasks.order_by("position")] == [
        ("Design", TaskStatus.TODO),
        ("Development", TaskStatus.WAITING),
    ]


def test_winning_the_same_deal_again_makes_no_second_project(committed, template):
    seller = UserFactory()
    deal = DealFactory(contact=ContactFactory(owner=seller))
    won = deal.pipeline.stages.get(name="Won")
    proposal = deal.pipeline.stages.get(name="Proposal")
    rule = won_rule(template)

    with committed():
        move_deal(deal=deal, stage=won, actor=seller)
    with committed():
        move_deal(deal=deal, stage=proposal, actor=seller)
    with committed():
        move_deal(deal=deal, stage=won, actor=seller)

    assert Project.objects.filter(deal=deal).count() == 1
    last = RuleRun.objects.filter(rule=rule).order_by("-id").first()
    assert last.steps[0]["status"] == "skipped"
    assert "already has the project" in last.steps[0]["message"]


def test_action_needs_an_active_template(template):
    template.is_active = False
    template.save()

    with pytest.raises(ValidationError, match="choose an active workflow template"):
        clean_actions([{"type": "start_project", "workflow_template": template.pk}])
    with pytest.raises(ValidationError, match="choose a workflow template"):
        clean_actions([{"type": "start_project"}])


def test_manager_builds_the_rule_in_the_rule_form(client, template):
    client.force_login(UserFactory(role=Role.MANAGER))

    form = client.get(
        reverse("automation:action_row"), {"index": "0", "actions-0-type": "start_project"}
    )
    response = client.post(
        reverse("automation:rule_create"),
        {
            "name": "Won deals become projects",
            "description": "",
            "trigger": "deal_stage_changed",
            "tp_outcome": "won",
            "conditions-TOTAL_FORMS": "0",
            "conditions-INITIAL_FORMS": "0",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-type": "start_project",
            "actions-0-workflow_template": str(template.pk),
        },
    )

    assert "Website" in form.content.decode()
    assert response.status_code == 302
    rule = Rule.objects.get(name="Won deals become projects")
    assert rule.actions == [{"type": "start_project", "workflow_template": template.pk}]
