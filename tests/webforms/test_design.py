import pytest
from django.core.exceptions import ValidationError

from hamkor.contacts.services import define_custom_field
from hamkor.core.models import AuditEvent
from hamkor.webforms.services import WebFormInput, create_form, update_form
from tests.accounts.factories import UserFactory
from tests.webforms.factories import ManagerFactory, WebFormFactory


def _input(**overrides):
    values = {
        "name": "Contact us",
        "fields": [("first_name", True), ("email", True), ("message", False)],
        "thank_you_text": "Thanks!",
        "owner": UserFactory(),
    }
    values.update(overrides)
    return WebFormInput(**values)


def test_create_form_stores_fields_in_order_with_tags(db):
    actor = ManagerFactory()

    form = create_form(actor=actor, values=_input(tags=["web", " site "]))

    assert form.fields == [
        {"key": "first_name", "required": True},
        {"key": "email", "required": True},
        {"key": "message", "required": False},
    ]
    assert sorted(t.name for t in form.tags.all()) == ["site", "web"]
    assert form.created_by == actor
    assert AuditEvent.objects.filter(verb="webform.created", target_id=str(form.pk)).exists()


def test_create_form_needs_email_or_phone(db):
    with pytest.raises(ValidationError) as caught:
        create_form(actor=ManagerFactory(), values=_input(fields=[("first_name", True)]))

    assert "email or the phone" in caught.value.message_dict["fields"][0]


def test_create_form_refuses_unknown_fields(db):
    with pytest.raises(ValidationError) as caught:
        create_form(actor=ManagerFactory(), values=_input(fields=[("email", True), ("iban", True)]))

    assert caught.value.message_dict["fields"] == ["Unknown field “iban”."]


def test_create_form_reports_every_problem_at_once(db):
    with pytest.raises(ValidationError) as caught:
        create_form(
            actor=ManagerFactory(),
            values=_input(
                name=" ",
                thank_you_text="",
                consent_channels=["sms"],
                consent_text="",
                allowed_origins="shop.example.com",
                redirect_url="javascript:alert(1)",
                rate_limit=0,
            ),
        )

    assert set(caught.value.message_dict) == {
        "name",
        "thank_you_text",
        "consent_text",
        "allowed_origins",
        "redirect_url",
        "rate_limit",
    }


def test_create_form_offers_contact_custom_fields(db):
    define_custom_field(
        entity="contact",
        key="cake_size",
        label="Cake size",
        field_type="choice",
        choices=["small", "big"],
    )

    form = create_form(
        actor=ManagerFactory(), values=_input(fields=[("email", True), ("cf:cake_size", False)])
    )

    assert form.fields[1] == {"key": "cf:cake_size", "required": False}


def test_create_form_must_ask_a_custom_field_every_contact_requires(db):
    define_custom_field(
        entity="contact", key="district", label="District", field_type="text", required=True
    )

    with pytest.raises(ValidationError) as caught:
        create_form(actor=ManagerFactory(), values=_input())

    assert "“District” is required on every contact" in caught.value.message_dict["fields"][0]


def test_sales_users_cannot_design_forms(db):
    with pytest.raises(PermissionError):
        create_form(actor=UserFactory(), values=_input())


def test_update_form_changes_the_definition(db):
    form = WebFormFactory()
    actor = ManagerFactory()

    update_form(
        form=form,
        actor=actor,
        values=_input(
            name="Order a cake",
            fields=[("phone", True)],
            allowed_origins="https://shop.example.com/\n\nhttps://www.example.com",
            is_active=False,
        ),
    )

    form.refresh_from_db()
    assert form.name == "Order a cake"
    assert form.fields == [{"key": "phone", "required": True}]
    assert form.origins == ["https://shop.example.com", "https://www.example.com"]
    assert form.is_active is False
