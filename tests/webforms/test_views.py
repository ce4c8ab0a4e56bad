from hamkor.webforms.models import WebForm
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.webforms.factories import SubmissionFactory, WebFormFactory


def test_form_list_shows_forms(db, client, manager):
    WebFormFactory(name="Order a cake")

    page = client.get("/webforms/").content.decode()

    assert "Order a cake" in page


def test_sales_users_are_refused(db, client):
    client.force_login(UserFactory())

    assert client.get("/webforms/").status_code == 403
    assert client.get("/webforms/new/").status_code == 403


def test_designer_creates_a_form(db, client, manager):
    owner = UserFactory()

    answer = client.post(
        "/webforms/new/",
        {
            "name": "Contact us",
            "include_first_name": "on",
            "require_first_name": "on",
            "include_phone": "on",
            "require_phone": "on",
            "include_message": "on",
            "thank_you_text": "Thanks!",
            "consent_channels": ["sms"],
            "consent_text": "SMS me offers.",
            "owner": owner.pk,
            "rate_limit": "10",
            "is_active": "on",
            "tags": "web, spring",
        },
    )

    form = WebForm.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/webforms/{form.uuid}/"
    assert form.fields == [
        {"key": "first_name", "required": True},
        {"key": "phone", "required": True},
        {"key": "message", "required": False},
    ]
    assert form.consent_channels == ["sms"]


def test_designer_shows_errors_and_keeps_what_was_typed(db, client, manager):
    answer = client.post(
        "/webforms/new/",
        {
            "name": "Contact us",
            "include_first_name": "on",
            "thank_you_text": "Thanks!",
            "owner": manager.pk,
            "rate_limit": "10",
            "allowed_origins": "not a url",
        },
    )

    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Ask for the email or the phone" in page
    assert "is not an origin" in page
    assert 'value="Contact us"' in page
    assert WebForm.objects.count() == 0


def test_edit_page_shows_the_current_definition(db, client, manager):
    form = WebFormFactory(name="Spring")

    page = client.get(f"/webforms/{form.uuid}/edit/").content.decode()

    assert 'value="Spring"' in page
    assert 'name="include_email" id="id_include_email" checked' in page


def test_form_page_shows_embed_code_and_submissions(db, client, manager):
    form = WebFormFactory(name="Spring")
    SubmissionFactory(
        form=form,
        status="matched",
        contact=ContactFactory(first_name="Aziza"),
        utm={"utm_source": "ig"},
    )

    page = client.get(f"/webforms/{form.uuid}/").content.decode()

    assert f"http://testserver/f/{form.uuid}/" in page
    assert "&lt;form method=&quot;post&quot;" in page
    assert "webforms/embed.js" in page
    assert "data-hamkor-form" in page
    assert "Matched a contact" in page
    assert "Aziza" in page
    assert "utm_source=ig" in page


def test_form_page_filters_submissions_by_outcome(db, client, manager):
    form = WebFormFactory()
    SubmissionFactory(form=form, status="failed", error="Unknown custom field: x.")
    SubmissionFactory(form=form, data={"first_name": "Pending", "email": "p@example.com"})

    page = client.get(f"/webforms/{form.uuid}/?status=failed", HTTP_HX_REQUEST="true")

    html = page.content.decode()
    assert "Unknown custom field: x." in html
    assert "Pending" not in html
    assert "<html" not in html


def test_form_page_shows_the_referrer_tip_as_text(db, client, manager):
    form = WebFormFactory()

    page = client.get(f"/webforms/{form.uuid}/").content.decode()

    assert "&lt;meta name=&quot;referrer&quot;" in page
