"""The customer's side: my requests, a new one with suggestions, the public thread, reply,
help centre; and isolation: another customer's guessed UUIDs answer 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hamkor.support.models import Ticket, TicketStatus
from hamkor.support.services import add_staff_message, create_ticket
from tests.contacts.factories import ContactFactory
from tests.portal.helpers import portal_log_in
from tests.support.factories import ArticleFactory, TicketFactory, TicketMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(client, customer):
    return portal_log_in(client, customer)


def test_pages_need_a_portal_login(client):
    response = client.get("/portal/support/")

    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/?next=")


def test_my_requests_lists_only_mine(portal, customer):
    TicketFactory(contact=customer, subject="Mine")
    TicketFactory(subject="Somebody else's")

    page = portal.get("/portal/support/").content.decode()

    assert "Mine" in page and "Somebody else" not in page


def test_open_a_request_with_an_attachment(portal, customer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    response = portal.post(
        "/portal/support/new/",
        {
            "subject": "Sugar-free cake?",
            "type": "question",
            "body": "Do you bake one?",
            "file": SimpleUploadedFile("photo.png", b"\x89PNG fake"),
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/support/requests/{ticket.uuid}/"
    assert (ticket.contact, ticket.channel) == (customer, "portal")
    assert ticket.messages.get().attachments.count() == 1


def test_a_bad_request_keeps_what_was_typed(portal):
    response = portal.post(
        "/portal/support/new/", {"subject": "Sugar-free cake?", "type": "question", "body": ""}
    )

    assert response.status_code == 422
    assert 'value="Sugar-free cake?"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_suggestions_as_you_type(portal):
    ArticleFactory(versions={"en": ("When will my order arrive?", "In two days.")})

    response = portal.get("/portal/support/new/suggestions/", {"subject": "order arrive"})

    assert "When will my order arrive?" in response.content.decode()


def test_detail_shows_public_messages_only(portal, customer, agent):
    ticket = create_ticket(contact=customer, subject="Late", body="Where?", actor=None)
    add_staff_message(ticket=ticket, body="Courier lost it, oops", actor=agent, internal=True)
    add_staff_message(ticket=ticket, body="It arrives at 15:00.", actor=agent)

    page = portal.get(f"/portal/support/requests/{ticket.uuid}/").content.decode()

    assert "It arrives at 15:00." in page
    assert "Courier lost it" not in page


def test_reply_reopens_a_resolved_request(portal, customer):
    ticket = TicketFactory(contact=customer, status=TicketStatus.RESOLVED)

    response = portal.post(f"/portal/support/requests/{ticket.uuid}/reply/", {"body": "Not yet!"})

    ticket.refresh_from_db()
    assert response.status_code == 302
    assert ticket.status == TicketStatus.OPEN


def test_reply_to_a_closed_request_is_refused(portal, customer):
    ticket = TicketFactory(contact=customer, status=TicketStatus.CLOSED)

    response = portal.post(f"/portal/support/requests/{ticket.uuid}/reply/", {"body": "Hello?"})

    assert response.status_code == 422
    assert "open a new one" in response.content.decode()


def test_another_customer_guessing_a_ticket_uuid_gets_404(client, customer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = create_ticket(
        contact=customer,
        subject="Private",
        body="My address is ...",
        actor=None,
        uploads=[SimpleUploadedFile("passport.pdf", b"%PDF secret")],
    )
    attachment = ticket.messages.get().attachments.get()
    intruder = portal_log_in(client, ContactFactory(first_name="Intruder"))

    assert intruder.get(f"/portal/support/requests/{ticket.uuid}/").status_code == 404
    reply = intruder.post(f"/portal/support/requests/{ticket.uuid}/reply/", {"body": "hi"})
    assert reply.status_code == 404
    assert intruder.get(f"/portal/support/files/{attachment.uuid}/").status_code == 404
    assert ticket.messages.count() == 1


def test_the_owner_downloads_their_attachment(portal, customer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = create_ticket(
        contact=customer,
        subject="Receipt",
        body="Attached.",
        actor=None,
        uploads=[SimpleUploadedFile("receipt.pdf", b"%PDF receipt")],
    )
    attachment = ticket.messages.get().attachments.get()

    response = portal.get(f"/portal/support/files/{attachment.uuid}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF receipt"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_note_attachment_is_not_reachable_from_the_portal(portal, customer, settings, tmp_path):
    from hamkor.support.services.attachments import add_attachments

    settings.MEDIA_ROOT = tmp_path
    note = TicketMessageFactory(ticket=TicketFactory(contact=customer), internal=True)
    [attachment] = add_attachments(message=note, uploads=[SimpleUploadedFile("n.txt", b"x")])

    assert portal.get(f"/portal/support/files/{attachment.uuid}/").status_code == 404


def test_help_centre_search_and_reading_in_the_customers_language(portal, customer):
    customer.language = "uz"
    customer.save()
    article = ArticleFactory(
        versions={"en": ("Delivery", "Two days."), "uz": ("Yetkazib berish", "Ikki kun.")}
    )
    ArticleFactory(status="draft", versions={"en": ("Delivery draft", "Secret.")})

    from django.utils import translation

    with translation.override("uz"):
        found = portal.get("/portal/support/help/", {"q": "yetkazib"}, HTTP_ACCEPT_LANGUAGE="uz")
        read = portal.get(f"/portal/support/help/{article.uuid}/", HTTP_ACCEPT_LANGUAGE="uz")

    assert "Yetkazib berish" in found.content.decode()
    assert "Ikki kun." in read.content.decode()
    listing = portal.get("/portal/support/help/").content.decode()
    assert "Delivery draft" not in listing


def test_a_draft_article_is_not_found_in_the_portal(portal):
    draft = ArticleFactory(status="draft")

    assert portal.get(f"/portal/support/help/{draft.uuid}/").status_code == 404


def test_the_portal_menu_has_requests_and_help(portal):
    page = portal.get("/portal/support/").content.decode()

    assert 'href="/portal/support/"' in page
    assert 'href="/portal/support/help/"' in page
