"""The satisfaction question after resolution, the signed link, one answer per ticket."""

import pytest
from django.core.exceptions import ValidationError

from hamkor.messaging.models import OutboundMessage
from hamkor.support.models import SatisfactionAnswer, TicketStatus
from hamkor.support.selectors.csat import list_agent_scores
from hamkor.support.services import assign_ticket, change_status, create_ticket
from hamkor.support.services.csat import answer_satisfaction, csat_link, csat_token
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def resolved_ticket(customer, agent):
    ticket = create_ticket(contact=customer, subject="Late", body="Where is it?", actor=None)
    assign_ticket(ticket=ticket, assignee=agent, actor=agent)
    change_status(ticket=ticket, status=TicketStatus.RESOLVED, actor=agent)
    ticket.refresh_from_db()
    return ticket


def test_resolving_asks_the_customer_once(customer, agent):
    ticket = resolved_ticket(customer, agent)
    change_status(ticket=ticket, status=TicketStatus.OPEN, actor=agent)
    change_status(ticket=ticket, status=TicketStatus.RESOLVED, actor=agent)

    questions = OutboundMessage.objects.filter(idempotency_key=f"support:csat:{ticket.pk}")
    assert questions.count() == 1
    assert csat_link(ticket) in questions.get().body
    assert "from 1 (bad) to 5 (excellent)" in questions.get().body


def test_the_csat_page_takes_an_answer_without_login(client, customer, agent):
    ticket = resolved_ticket(customer, agent)

    page = client.get(f"/portal/support/rate/{csat_token(ticket)}/")
    answered = client.post(f"/portal/support/rate/{csat_token(ticket)}/", {"score": "4"})

    assert page.status_code == 200
    assert answered.status_code == 200
    assert "Thank you for your rating!" in answered.content.decode()
    answer = SatisfactionAnswer.objects.get(ticket=ticket)
    assert (answer.score, answer.agent) == (4, agent)


def test_answering_again_replaces_the_score(customer, agent):
    ticket = resolved_ticket(customer, agent)

    answer_satisfaction(ticket=ticket, score=2)
    answer_satisfaction(ticket=ticket, score=5, comment="Sorted out quickly after all.")

    answer = SatisfactionAnswer.objects.get(ticket=ticket)
    assert answer.score == 5
    assert answer.comment == "Sorted out quickly after all."


def test_a_score_outside_one_to_five_is_refused(client, customer, agent):
    ticket = resolved_ticket(customer, agent)

    with pytest.raises(ValidationError):
        answer_satisfaction(ticket=ticket, score=6)
    response = client.post(f"/portal/support/rate/{csat_token(ticket)}/", {"score": "0"})

    assert response.status_code == 422
    assert not SatisfactionAnswer.objects.exists()


def test_a_forged_token_is_not_found(client, customer, agent):
    ticket = resolved_ticket(customer, agent)
    forged = csat_token(ticket)[:-3] + "abc"

    assert client.get(f"/portal/support/rate/{forged}/").status_code == 404
    assert client.get(f"/portal/support/rate/{ticket.uuid}/").status_code == 404


def test_an_unresolved_ticket_cannot_be_rated(customer):
    ticket = create_ticket(contact=customer, subject="Late", body="Where is it?", actor=None)

    with pytest.raises(ValidationError, match="not resolved"):
        answer_satisfaction(ticket=ticket, score=3)


def test_average_per_agent(customer, agent):
    other = UserFactory(role="support", team=agent.team, first_name="Bobur", last_name="T")
    for score in (5, 4):
        answer_satisfaction(ticket=resolved_ticket(ContactFactory(), agent), score=score)
    answer_satisfaction(ticket=resolved_ticket(ContactFactory(), other), score=3)

    scores = list_agent_scores(viewer=agent)

    assert [(s.agent_id, s.average, s.answers) for s in scores] == [
        (agent.pk, 4.5, 2),
        (other.pk, 3.0, 1),
    ]
