"""Staff pages: the ticket list and its filters, one ticket and its actions, KB, settings."""

import pytest

from hamkor.accounts.models import Role
from hamkor.core.timeline import build_timeline
from hamkor.messaging.models import OutboundMessage
from hamkor.support.models import Article, SlaPolicy, Ticket, TicketStatus
from hamkor.support.services.sla import flag_breaches
from tests.accounts.factories import TeamFactory, UserFactory
from tests.support.factories import ArticleFactory, TicketFactory, TicketMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent)
    return client


def test_ticket_list_filters_and_searches(signed_in):
    TicketFactory(subject="Cake squashed", status=TicketStatus.OPEN)
    TicketFactory(subject="Invoice copy", status=TicketStatus.NEW)

    page = signed_in.get("/support/", {"status": "open"}).content.decode()
    searched = signed_in.get("/support/", {"q": "invoice"}, HTTP_HX_REQUEST="true")

    assert "Cake squashed" in page and "Invoice copy" not in page
    assert "Invoice copy" in searched.content.decode()
    assert "<html" not in searched.content.decode()


def test_breaches_filter_lists_late_tickets(signed_in, customer):
    from django.utils import timezone

    from hamkor.support.services import create_ticket

    create_ticket(contact=customer, subject="Late one", body="Hello", actor=None)
    TicketFactory(subject="Fresh one")
    flag_breaches(now=timezone.now() + timezone.timedelta(days=60))

    page = signed_in.get("/support/", {"breached": "1"}).content.decode()

    assert "Late one" in page and "Fresh one" not in page


def test_detail_shows_notes_and_replies(signed_in):
    ticket = TicketFactory()
    TicketMessageFactory(ticket=ticket, body="Internal: courier lost it", internal=True)

    page = signed_in.get(f"/support/tickets/{ticket.pk}/").content.decode()

    assert "Internal: courier lost it" in page
    assert "Internal note" in page


def test_reply_from_the_page_reaches_the_customer(signed_in, customer):
    ticket = TicketFactory(contact=customer)

    response = signed_in.post(f"/support/tickets/{ticket.pk}/reply/", {"body": "On its way."})

    assert response.status_code == 302
    assert OutboundMessage.objects.get(contact=customer).body.count("On its way.") == 1


def test_empty_reply_shows_the_error_beside_the_field(signed_in):
    ticket = TicketFactory()

    response = signed_in.post(f"/support/tickets/{ticket.pk}/reply/", {"body": ""})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_change_status_and_assign_from_the_page(signed_in, agent):
    ticket = TicketFactory()

    signed_in.post(f"/support/tickets/{ticket.pk}/assign/", {"assignee": agent.pk})
    signed_in.post(f"/support/tickets/{ticket.pk}/status/", {"status": "waiting"})

    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (agent, TicketStatus.WAITING)


def test_a_status_not_allowed_is_refused_on_the_page(signed_in):
    ticket = TicketFactory(status=TicketStatus.CLOSED)

    response = signed_in.post(f"/support/tickets/{ticket.pk}/status/", {"status": "open"})

    assert response.status_code == 422


def test_another_teams_ticket_is_not_found(client):
    sales = UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))
    ticket = TicketFactory(team=TeamFactory(name="Team B"))
    client.force_login(sales)

    assert client.get(f"/support/tickets/{ticket.pk}/").status_code == 404
    assert client.post(f"/support/tickets/{ticket.pk}/reply/", {"body": "x"}).status_code == 404


def test_new_ticket_for_a_contact_on_the_phone(signed_in, agent, customer):
    customer.owner, customer.team = agent, agent.team
    customer.save()

    response = signed_in.post(
        f"/support/new/{customer.pk}/",
        {
            "subject": "Wants to change the order",
            "type": "request",
            "channel": "phone",
            "priority": "normal",
            "body": "Called at 10:00.",
            "assignee": agent.pk,
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.channel, ticket.assignee, ticket.status) == ("phone", agent, "open")


def test_tickets_are_on_the_contacts_timeline(agent, customer):
    ticket = TicketFactory(contact=customer, subject="Where is my cake?")

    entries = build_timeline(viewer=agent, contact_ids=[customer.pk])

    assert any(e.kind == "ticket" and e.object_id == ticket.pk for e in entries)


def test_article_pages_create_and_write_another_language(signed_in):
    created = signed_in.post(
        "/support/articles/new/",
        {"status": "published", "language": "en", "title": "Delivery", "body": "Two days."},
    )
    article = Article.objects.get()
    written = signed_in.post(
        f"/support/articles/{article.pk}/ru/", {"title": "Доставка", "body": "Два дня."}
    )
    listing = signed_in.get("/support/articles/", {"q": "достав"}).content.decode()

    assert (created.status_code, written.status_code) == (302, 302)
    # Found by its Russian text, shown in the reader's language.
    assert "Delivery" in listing
    assert sorted(article.versions.values_list("language", flat=True)) == ["en", "ru"]


def test_sales_staff_cannot_edit_articles(client):
    client.force_login(UserFactory(role=Role.SALES))
    article = ArticleFactory()

    assert client.get("/support/articles/").status_code == 200
    assert client.get("/support/articles/new/").status_code == 403
    assert client.get(f"/support/articles/{article.pk}/en/").status_code == 403


def test_sla_settings_save_targets(signed_in):
    data = {}
    for priority in ("low", "normal", "high", "urgent"):
        data[f"{priority}_first"] = "1"
        data[f"{priority}_resolution"] = "8"

    response = signed_in.post("/support/settings/", {**data, "save_policies": "1"})

    assert response.status_code == 302
    assert SlaPolicy.objects.get(priority="urgent").first_response_minutes == 60


def test_sla_settings_show_a_bad_time_zone_beside_the_field(signed_in):
    response = signed_in.post(
        "/support/settings/", {"time_zone": "Nowhere/City", "open_0": "09:00", "close_0": "18:00"}
    )

    assert response.status_code == 422
    assert "is not a known time zone" in response.content.decode()


def test_csat_report_page(signed_in):
    assert signed_in.get("/support/satisfaction/").status_code == 200


@pytest.mark.parametrize("url", ["/admin/support/ticket/", "/admin/support/slapolicy/"])
def test_admin_pages_open(client, url):
    TicketFactory()
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 200


def test_reply_and_resolve_in_one_step(signed_in, customer):
    ticket = TicketFactory(contact=customer, status=TicketStatus.OPEN)

    signed_in.post(
        f"/support/tickets/{ticket.pk}/reply/", {"body": "Refunded.", "then": "resolved"}
    )

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert ticket.messages.get().body == "Refunded."
    # The reply, the status change and the rating question.
    assert OutboundMessage.objects.filter(contact=customer).count() == 3


def test_reply_with_a_status_not_allowed_saves_nothing(signed_in):
    ticket = TicketFactory(status=TicketStatus.RESOLVED)

    response = signed_in.post(
        f"/support/tickets/{ticket.pk}/reply/",
        {"body": "Note", "internal": "on", "then": "resolved"},
    )

    assert response.status_code == 422
    assert not ticket.messages.exists()


def test_change_priority_from_the_page(signed_in):
    ticket = TicketFactory()

    response = signed_in.post(f"/support/tickets/{ticket.pk}/priority/", {"priority": "high"})

    ticket.refresh_from_db()
    assert response.status_code == 302
    assert ticket.priority == "high"
