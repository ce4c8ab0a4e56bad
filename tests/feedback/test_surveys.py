import datetime
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hamkor.core.models import AuditEvent
from hamkor.feedback.models import SurveyRecipient, SurveyResponse
from hamkor.feedback.services import (
    answer_survey,
    plan_after_order_surveys,
    save_survey,
    send_survey,
    survey_token,
)
from hamkor.messaging.models import OutboundMessage
from hamkor.sales.services.orders import set_order_status
from tests.contacts.factories import TagFactory
from tests.feedback.factories import RecipientFactory, SurveyFactory
from tests.messaging.factories import consenting_contact
from tests.sales.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _after_order(**kwargs):
    defaults = {"trigger": "after_order", "segment": "", "delay_days": 3, "cooldown_days": 30}
    return SurveyFactory(**{**defaults, **kwargs})


def test_paid_order_schedules_the_survey_delay_days_after_payment(
    django_capture_on_commit_callbacks, manager, aziza
):
    survey = _after_order(delay_days=3)
    order = OrderFactory(contact=aziza, status="confirmed")

    with django_capture_on_commit_callbacks(execute=True):
        set_order_status(order=order, status="paid", actor=manager)

    paid = AuditEvent.objects.get(verb="order.status_changed").created_at
    recipient = SurveyRecipient.objects.get(survey=survey)
    assert recipient.contact == aziza
    assert recipient.order == order
    assert recipient.send_after == paid + datetime.timedelta(days=3)
    message = OutboundMessage.objects.get(idempotency_key=f"feedback:survey:{recipient.uuid}")
    assert message.kind == "marketing"
    # Not before the delay; later still if that moment falls in the customer's quiet hours.
    assert message.send_after >= recipient.send_after
    assert survey_token(recipient).split(":")[0] in message.body


def test_order_paid_at_creation_also_schedules_the_survey(
    django_capture_on_commit_callbacks, manager, aziza
):
    from hamkor.sales.services.orders import LineInput, OrderDetails, create_order
    from tests.sales.factories import ProductFactory

    survey = _after_order()
    product = ProductFactory()

    with django_capture_on_commit_callbacks(execute=True):
        create_order(
            actor=manager,
            contact=aziza,
            lines=[LineInput(product=product, quantity=Decimal("1"))],
            details=OrderDetails(status="paid"),
        )

    assert SurveyRecipient.objects.filter(survey=survey, contact=aziza).count() == 1


def test_order_cancelled_sends_no_survey(django_capture_on_commit_callbacks, manager, aziza):
    _after_order()
    order = OrderFactory(contact=aziza, status="confirmed")

    with django_capture_on_commit_callbacks(execute=True):
        set_order_status(order=order, status="cancelled", actor=manager)

    assert not SurveyRecipient.objects.exists()


def test_after_order_survey_is_capped_to_one_per_cooldown(aziza):
    survey = _after_order(delay_days=2, cooldown_days=30)
    now = timezone.now()
    first, second, third = (OrderFactory(contact=aziza, status="paid") for _ in range(3))

    planned_first = plan_after_order_surveys(order=first, paid_at=now)
    planned_within = plan_after_order_surveys(
        order=second, paid_at=now + datetime.timedelta(days=29)
    )
    planned_after = plan_after_order_surveys(order=third, paid_at=now + datetime.timedelta(days=31))

    assert len(planned_first) == 1
    assert planned_within == []
    assert [r.order for r in planned_after] == [third]
    assert SurveyRecipient.objects.filter(survey=survey).count() == 2


def test_after_order_survey_is_planned_once_per_order(aziza):
    _after_order(cooldown_days=0)
    order = OrderFactory(contact=aziza, status="paid")
    now = timezone.now()

    plan_after_order_surveys(order=order, paid_at=now)
    plan_after_order_surveys(order=order, paid_at=now)

    assert SurveyRecipient.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_inactive_after_order_survey_is_not_sent(aziza):
    _after_order(is_active=False)

    planned = plan_after_order_surveys(
        order=OrderFactory(contact=aziza, status="paid"), paid_at=timezone.now()
    )

    assert planned == []


def test_group_survey_goes_to_the_tagged_contacts_once_each(
    django_capture_on_commit_callbacks, manager, aziza, bobur
):
    vip = TagFactory(name="vip")
    aziza.tags.add(vip)
    survey = save_survey(actor=manager, title="VIP", trigger="group", segment="tag=vip")

    with django_capture_on_commit_callbacks(execute=True):
        send_survey(survey=survey, actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        send_survey(survey=survey, actor=manager)

    assert list(SurveyRecipient.objects.values_list("contact", flat=True)) == [aziza.pk]
    assert OutboundMessage.objects.filter(kind="marketing").count() == 1


def test_save_survey_refuses_a_group_without_contacts(manager):
    with pytest.raises(ValidationError) as error:
        save_survey(actor=manager, title="All", trigger="group", segment="")

    assert "segment" in error.value.message_dict


def test_save_survey_refuses_an_unknown_source(manager):
    with pytest.raises(ValidationError):
        save_survey(actor=manager, title="Ads", trigger="group", segment="source=Billboard")


def test_send_survey_needs_a_public_address(settings, manager):
    settings.HAMKOR_PUBLIC_URL = ""
    survey = SurveyFactory()

    with pytest.raises(ValidationError):
        send_survey(survey=survey, actor=manager)


def test_staff_survey_form_builds_the_group_from_choices(client, manager):
    TagFactory(name="vip")
    client.force_login(manager)

    response = client.post(
        reverse("feedback:survey_create"),
        {
            "title": "VIP customers",
            "trigger": "group",
            "tag": "vip",
            "stage": "customer",
            "source": "",
            "delay_days": 3,
            "cooldown_days": 90,
        },
    )

    assert response.status_code == 302
    from hamkor.feedback.models import Survey

    assert Survey.objects.get().segment == "tag=vip&stage=customer"


# --- The answer page ---------------------------------------------------------------------


def _url(token):
    return reverse("feedback_portal:survey_answer", args=[token])


def test_answer_page_takes_a_score_and_comment_without_login(client):
    recipient = RecipientFactory(contact=consenting_contact("email", language="en"))

    page = client.get(_url(survey_token(recipient)))
    response = client.post(_url(survey_token(recipient)), {"score": "9", "comment": "Tasty"})

    assert page.status_code == 200
    assert response.status_code == 200
    answer = SurveyResponse.objects.get(recipient=recipient)
    assert (answer.score, answer.comment) == (9, "Tasty")


def test_answer_page_keeps_one_answer_per_recipient(client):
    recipient = RecipientFactory(contact__language="en")  # the page speaks the customer's language
    client.post(_url(survey_token(recipient)), {"score": "3"})

    again = client.post(_url(survey_token(recipient)), {"score": "10"})

    assert "already answered" in again.content.decode()
    assert list(SurveyResponse.objects.values_list("score", flat=True)) == [3]


def test_answer_page_with_a_forged_token_is_a_clear_400(client):
    recipient = RecipientFactory()
    forged = signing.dumps(recipient.uuid.hex, salt="something-else")

    response = client.get(_url(forged))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_answer_page_with_a_mangled_token_is_a_clear_400(client):
    recipient = RecipientFactory()
    token = survey_token(recipient)

    response = client.post(_url(token[:-2] + "xx"), {"score": "10"})

    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_answer_page_with_an_old_link_is_gone(client, monkeypatch):
    recipient = RecipientFactory()
    token = survey_token(recipient)
    later = timezone.now().timestamp() + 61 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    response = client.get(_url(token))

    assert response.status_code == 410


def test_answer_page_for_a_deleted_invitation_is_a_404(client):
    recipient = RecipientFactory()
    token = survey_token(recipient)
    recipient.delete()

    assert client.get(_url(token)).status_code == 404


def test_answer_page_without_a_score_shows_the_error(client):
    recipient = RecipientFactory()

    response = client.post(_url(survey_token(recipient)), {"score": "11"})

    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_answer_survey_refuses_scores_outside_0_to_10():
    recipient = RecipientFactory()

    with pytest.raises(ValidationError):
        answer_survey(recipient=recipient, score=-1)
    with pytest.raises(ValidationError):
        answer_survey(recipient=recipient, score="ten")

    assert not SurveyResponse.objects.exists()
