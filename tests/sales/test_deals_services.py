from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hamkor.core.models import AuditEvent
from hamkor.sales.models import DealStageChange
from hamkor.sales.services.deals import create_deal, move_deal, update_deal
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import DealFactory, PipelineFactory

pytestmark = pytest.mark.django_db


def _stage(pipeline, name):
    return pipeline.stages.get(name=name)


def test_create_deal_starts_in_first_open_stage_and_records_it():
    actor = UserFactory()
    pipeline = PipelineFactory()
    contact = ContactFactory()

    deal = create_deal(
        values={
            "title": "Website",
            "contact": contact,
            "pipeline": pipeline,
            "amount": Decimal("500"),
            "currency": "usd",
        },
        actor=actor,
    )

    assert deal.stage.name == "New"
    assert deal.currency == "USD"
    assert deal.owner == actor
    assert deal.team == actor.team
    change = DealStageChange.objects.get(deal=deal)
    assert (change.from_stage, change.to_stage, change.changed_by) == (None, deal.stage, actor)
    assert AuditEvent.objects.filter(verb="deal.created", target_id=str(deal.pk)).exists()


def test_create_deal_needs_a_customer():
    with pytest.raises(ValidationError) as error:
        create_deal(
            values={"title": "X", "pipeline": PipelineFactory(), "currency": "USD"},
            actor=UserFactory(),
        )

    assert "contact" in error.value.message_dict


def test_create_deal_refuses_unknown_currency():
    with pytest.raises(ValidationError) as error:
        create_deal(
            values={
                "title": "X",
                "contact": ContactFactory(),
                "pipeline": PipelineFactory(),
                "currency": "XYZ",
            },
            actor=UserFactory(),
        )

    assert "currency" in error.value.message_dict


def test_create_deal_refuses_stage_of_another_pipeline():
    with pytest.raises(ValidationError) as error:
        create_deal(
            values={
                "title": "X",
                "contact": ContactFactory(),
                "pipeline": PipelineFactory(),
                "stage": _stage(PipelineFactory(), "Proposal"),
                "currency": "USD",
            },
            actor=UserFactory(),
        )

    assert "stage" in error.value.message_dict


def test_update_deal_changes_fields_and_follows_owner_into_team():
    deal = DealFactory()
    owner = UserFactory()

    update_deal(deal=deal, values={"title": "Shop", "owner": owner}, actor=UserFactory())

    deal.refresh_from_db()
    assert deal.title == "Shop"
    assert deal.team == owner.team


def test_update_deal_refuses_stage():
    deal = DealFactory()

    with pytest.raises(ValidationError):
        update_deal(deal=deal, values={"stage": deal.stage}, actor=UserFactory())


def test_move_deal_keeps_history_with_who_and_when():
    deal = DealFactory()
    first, proposal = deal.stage, _stage(deal.pipeline, "Proposal")
    actor = UserFactory()

    move_deal(deal=deal, stage=proposal, actor=actor)

    change = DealStageChange.objects.get(deal=deal)
    assert (change.from_stage, change.to_stage, change.changed_by) == (first, proposal, actor)
    assert change.changed_at is not None
    assert AuditEvent.objects.filter(verb="deal.moved", target_id=str(deal.pk)).exists()


def test_move_deal_to_won_closes_it():
    deal = DealFactory()

    moved = move_deal(deal=deal, stage=_stage(deal.pipeline, "Won"), actor=UserFactory())

    assert moved.status == "won"
    assert moved.closed_at is not None


def test_move_deal_to_lost_requires_reason():
    deal = DealFactory()

    with pytest.raises(ValidationError) as error:
        move_deal(deal=deal, stage=_stage(deal.pipeline, "Lost"), actor=UserFactory())

    assert "lost_reason" in error.value.message_dict
    deal.refresh_from_db()
    assert deal.stage.name == "New"
    assert not DealStageChange.objects.filter(deal=deal).exists()


def test_move_deal_to_lost_keeps_reason():
    deal = DealFactory()

    moved = move_deal(
        deal=deal, stage=_stage(deal.pipeline, "Lost"), actor=UserFactory(), lost_reason=" Price "
    )

    assert (moved.status, moved.lost_reason) == ("lost", "Price")
    assert moved.closed_at is not None


def test_move_deal_back_to_open_reopens_it():
    deal = DealFactory()
    actor = UserFactory()
    move_deal(deal=deal, stage=_stage(deal.pipeline, "Lost"), actor=actor, lost_reason="Price")

    moved = move_deal(deal=deal, stage=_stage(deal.pipeline, "Proposal"), actor=actor)

    assert (moved.status, moved.closed_at, moved.lost_reason) == ("open", None, "")
    assert DealStageChange.objects.filter(deal=deal).count() == 2


def test_move_deal_refuses_stage_of_another_pipeline():
    deal = DealFactory()

    with pytest.raises(ValidationError) as error:
        move_deal(deal=deal, stage=_stage(PipelineFactory(), "Won"), actor=UserFactory())

    assert "stage" in error.value.message_dict


def test_move_deal_to_same_stage_records_nothing():
    deal = DealFactory()

    move_deal(deal=deal, stage=deal.stage, actor=UserFactory())

    assert not DealStageChange.objects.filter(deal=deal).exists()
