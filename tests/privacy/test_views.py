from django.urls import reverse

from hamkor.contacts.models import Contact
from hamkor.privacy.models import PrivacyRequest
from tests.accounts.factories import UserFactory
from tests.privacy.factories import NAME, AdminFactory, PolicyFactory, person_with_everything


def test_privacy_pages_are_for_admins_only(client, db):
    person = person_with_everything()
    client.force_login(UserFactory(role="manager"))

    pages = [
        client.get(reverse("privacy:index")),
        client.get(reverse("privacy:contact", args=[person.contact.pk])),
        client.post(reverse("privacy:export", args=[person.contact.pk])),
        client.post(
            reverse("privacy:erase", args=[person.contact.pk]),
            {"confirm_name": person.contact.full_name},
        ),
        client.get(reverse("privacy:retention")),
    ]

    assert [page.status_code for page in pages] == [403] * 5
    assert not PrivacyRequest.objects.exists()


def test_privacy_pages_send_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("privacy:index"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_nav_shows_privacy_to_admins_only(client, db):
    client.force_login(UserFactory(role="sales"))
    assert reverse("privacy:index") not in client.get(reverse("home")).content.decode()

    client.force_login(AdminFactory())
    assert f'href="{reverse("privacy:index")}"' in client.get(reverse("home")).content.decode()


def test_contact_page_shows_holdings_and_actions(client, db):
    person = person_with_everything()
    client.force_login(AdminFactory())

    page = client.get(reverse("privacy:contact", args=[person.contact.pk])).content.decode()

    assert "activities.Interaction" in page
    assert "Export this person&#x27;s data" in page or "Export this person's data" in page
    assert "What stays" in page


def test_export_from_the_page_offers_a_download(client, db):
    person = person_with_everything()
    client.force_login(AdminFactory())

    response = client.post(reverse("privacy:export", args=[person.contact.pk]), follow=True)

    request = PrivacyRequest.objects.get()
    assert reverse("privacy:download", args=[request.pk]) in response.content.decode()
    download = client.get(reverse("privacy:download", args=[request.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_erase_with_wrong_name_is_refused_beside_the_field(client, db):
    person = person_with_everything()
    client.force_login(AdminFactory())

    response = client.post(
        reverse("privacy:erase", args=[person.contact.pk]), {"confirm_name": "Somebody else"}
    )

    assert response.status_code == 400
    assert "This is not the contact" in response.content.decode()
    assert 'value="Somebody else"' in response.content.decode()
    assert Contact.objects.get(pk=person.contact.pk).first_name == NAME.split()[0]


def test_erase_with_typed_name_erases(client, db):
    person = person_with_everything()
    client.force_login(AdminFactory())

    response = client.post(
        reverse("privacy:erase", args=[person.contact.pk]),
        {"confirm_name": f"  {person.contact.full_name.upper()} "},
        follow=True,
    )

    assert response.status_code == 200
    contact = Contact._base_manager.get(pk=person.contact.pk)
    assert contact.full_name == f"Erased contact #{contact.pk}"
    assert "Orders, invoices and counts were kept" in response.content.decode()


def test_index_finds_a_contact_by_id_or_says_none(client, db):
    person = person_with_everything()
    client.force_login(AdminFactory())

    found = client.get(reverse("privacy:index"), {"contact_id": person.contact.pk})
    missing = client.get(reverse("privacy:index"), {"contact_id": "999999"})

    assert found["Location"] == reverse("privacy:contact", args=[person.contact.pk])
    assert missing.status_code == 404
    assert "There is no contact with id 999999." in missing.content.decode()


def test_retention_page_dry_run_then_review(client, db):
    PolicyFactory(months=12)
    client.force_login(AdminFactory())

    client.post(reverse("privacy:retention_dry_run"))
    page = client.get(reverse("privacy:retention")).content.decode()
    assert "found 0 leads" in page
    assert "I reviewed this dry run" in page

    client.post(reverse("privacy:retention_review"))
    assert "Reviewed on" in client.get(reverse("privacy:retention")).content.decode()


def test_retention_page_refuses_zero_months(client, db):
    PolicyFactory(months=12)
    client.force_login(AdminFactory())

    response = client.post(reverse("privacy:retention"), {"months": "0"})

    assert response.status_code == 400
    assert 'value="0"' in response.content.decode()
