import json
import zipfile
from pathlib import Path

from django.conf import settings

from hamkor.core.models import AuditEvent
from hamkor.privacy.models import PrivacyRequest, RequestKind
from hamkor.privacy.services import export_contact
from tests.privacy.factories import (
    EMAIL,
    FILE_TEXT,
    NAME,
    PHONE,
    AdminFactory,
    person_with_everything,
)


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def exported(request: PrivacyRequest) -> dict[str, bytes]:
    return read_zip(Path(settings.VAR_DIR) / "privacy-exports" / request.result_file)


def test_export_contact_holds_one_file_per_kind_of_record(db):
    person = person_with_everything()

    files = exported(export_contact(contact=person.contact, actor=AdminFactory()))

    for label in (
        "contacts.Contact",
        "contacts.ContactPhone",
        "contacts.ContactEmail",
        "activities.Interaction",
        "activities.Activity",
        "sales.Order",
        "sales.OrderLine",
        "billing.Invoice",
        "billing.InvoiceLine",
        "support.Ticket",
        "support.TicketMessage",
        "support.TicketAttachment",
        "messaging.OutboundMessage",
        "messaging.InboundMessage",
        "webforms.Submission",
        "booking.Booking",
        "feedback.Comment",
        "feedback.Suggestion",
        "portal.LoginCode",
    ):
        assert f"data/{label}.json" in files, label
    interactions = json.loads(files["data/activities.Interaction.json"])
    assert [row["body"] for row in interactions] == [f"{NAME} wants a cake"]
    person_card = json.loads(files["person.json"])
    assert person_card["phones"] == [PHONE]
    assert person_card["emails"] == [EMAIL]
    assert person_card["source"] == "Banner on Amir Temur"


def test_export_contact_includes_attachment_files(db):
    person = person_with_everything()

    files = exported(export_contact(contact=person.contact, actor=AdminFactory()))

    attachments = [name for name in files if name.startswith("files/support/")]
    assert [files[name] for name in attachments] == [FILE_TEXT]
    manifest = json.loads(files["manifest.json"])
    assert manifest["contact_id"] == person.contact.pk
    assert manifest["files"][0]["field"] == "support.TicketAttachment.file"


def test_export_contact_leaves_out_other_customers_data(db):
    person = person_with_everything()

    files = exported(export_contact(contact=person.contact, actor=AdminFactory()))

    everything = b"".join(files.values()).decode()
    assert "Dilnoza" not in everything
    assert "+998935556677" not in everything
    # Another customer's vote on her suggestion is theirs, not hers.
    assert "data/feedback.Vote.json" not in files


def test_export_contact_is_logged_as_request_and_audit_event(db):
    person = person_with_everything()
    admin = AdminFactory()

    request = export_contact(contact=person.contact, actor=admin, note="Asked by email")

    assert request.kind == RequestKind.EXPORT
    assert request.requested_by == admin
    assert request.fulfilled_at is not None
    assert request.summary["activities.Interaction"] == 1
    event = AuditEvent.objects.get(verb="privacy.exported")
    assert event.target_id == str(person.contact.pk)
    assert event.actor == admin
