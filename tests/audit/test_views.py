import pytest
from django.urls import reverse

from hamkor.core.audit import record_event
from hamkor.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.audit.factories import AuditEventFactory
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_audit_page_lists_and_searches_events_for_admins(client, admin):
    AuditEventFactory(verb="deal.won", target_type="sales.deal", target_id="5")
    AuditEventFactory(verb="contact.created")
    client.force_login(admin)

    answer = client.get(reverse("audit:index"), {"verb": "deal"})

    assert answer.status_code == 200
    page = answer.content.decode()
    assert "deal.won" in page
    assert "contact.created" not in page
    assert reverse("audit:history", args=["sales.deal", "5"]) in page


def test_audit_page_is_forbidden_to_managers(client, manager):
    client.force_login(manager)

    assert client.get(reverse("audit:index")).status_code == 403


def test_audit_page_shows_a_bad_date_range_beside_the_field(client, admin):
    client.force_login(admin)

    answer = client.get(
        reverse("audit:index"), {"date_from": "2026-03-05", "date_to": "2026-03-01"}
    )

    assert answer.status_code == 400
    assert "The end date is before the start date." in answer.content.decode()


def test_audit_page_pages_newest_first(client, admin):
    for number in range(55):
        AuditEventFactory(verb="contact.created", target_id=str(number))
    client.force_login(admin)

    # Signing in is an event too: only the contact ones are paged here.
    query = {"verb": "contact.created"}
    first = client.get(reverse("audit:index"), query)
    cursor = first.context["page_obj"].next_cursor
    second = client.get(reverse("audit:index"), {**query, "after": cursor})

    assert [row.event.target_id for row in first.context["rows"]][:2] == ["54", "53"]
    assert len(second.context["rows"]) == 55 - 50


def test_history_shows_field_level_before_and_after(client, admin):
    contact = ContactFactory()
    record_event(
        actor=admin,
        verb="contact.updated",
        target=contact,
        data={"changed": {"city": ["Tashkent", "Samarkand"]}},
    )
    client.force_login(admin)

    answer = client.get(reverse("audit:history", args=["contacts.contact", contact.pk]))

    assert answer.status_code == 200
    rows = answer.context["rows"]
    assert [(c.field, c.before, c.after) for c in rows[0].changes] == [
        ("city", "Tashkent", "Samarkand")
    ]
    page = answer.content.decode()
    assert "Tashkent" in page and "Samarkand" in page


def test_history_of_a_contact_is_open_to_its_owner(client, seller):
    contact = ContactFactory(owner=seller, team=seller.team)
    record_event(actor=seller, verb="contact.updated", target=contact)
    client.force_login(seller)

    answer = client.get(reverse("audit:history", args=["contacts.contact", contact.pk]))

    assert answer.status_code == 200
    assert [row.event.verb for row in answer.context["rows"]] == ["contact.updated"]


def test_history_of_someone_elses_contact_is_404(client, seller):
    contact = ContactFactory(owner=None, team=None)
    record_event(actor=None, verb="contact.updated", target=contact)
    client.force_login(seller)

    answer = client.get(reverse("audit:history", args=["contacts.contact", contact.pk]))

    assert answer.status_code == 404


def test_history_of_other_record_types_is_404_for_non_admins(client, seller):
    AuditEventFactory(target_type="sales.deal", target_id="3")
    client.force_login(seller)

    answer = client.get(reverse("audit:history", args=["sales.deal", "3"]))

    assert answer.status_code == 404


def test_nav_shows_the_audit_log_to_admins_only(client, admin, manager):
    client.force_login(admin)
    assert reverse("audit:index") in client.get(reverse("contacts:list")).content.decode()

    client.force_login(manager)
    assert reverse("audit:index") not in client.get(reverse("contacts:list")).content.decode()


def test_django_admin_shows_events_read_only(client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    event = AuditEventFactory(ip="192.0.2.8")
    client.force_login(superuser)

    listing = client.get(reverse("admin:core_auditevent_changelist"))
    detail = client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    delete = client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"})

    assert listing.status_code == 200
    assert "192.0.2.8" in listing.content.decode()
    assert reverse("admin:core_auditevent_add") not in listing.content.decode()
    assert detail.status_code == 200
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
