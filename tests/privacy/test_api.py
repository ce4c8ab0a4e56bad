from hamkor.accounts.services import issue_token
from hamkor.contacts.models import Contact
from hamkor.privacy.models import PrivacyRequest
from tests.accounts.factories import UserFactory
from tests.privacy.factories import AdminFactory, PolicyFactory, person_with_everything


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user, name='test').secret}"}


def test_api_export_returns_the_request_with_a_download(client, db):
    person = person_with_everything()
    headers = auth(AdminFactory())

    response = client.post(
        f"/api/v1/privacy/contacts/{person.contact.pk}/export?note=By+phone", **headers
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "export"
    assert body["contact_id"] == person.contact.pk
    assert body["note"] == "By phone"
    download = client.get(body["download_url"], **headers)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"


def test_api_export_of_unknown_contact_is_404(client, db):
    response = client.post("/api/v1/privacy/contacts/999999/export", **auth(AdminFactory()))

    assert response.status_code == 404
    assert response.json()["detail"]


def test_api_erase_needs_confirm(client, db):
    person = person_with_everything()

    response = client.post(
        f"/api/v1/privacy/contacts/{person.contact.pk}/erase",
        {"confirm": False},
        content_type="application/json",
        **auth(AdminFactory()),
    )

    assert response.status_code == 422
    assert "confirm" in response.json()["detail"]
    assert not PrivacyRequest.objects.exists()


def test_api_erase_anonymizes(client, db):
    person = person_with_everything()

    response = client.post(
        f"/api/v1/privacy/contacts/{person.contact.pk}/erase",
        {"confirm": True},
        content_type="application/json",
        **auth(AdminFactory()),
    )

    assert response.status_code == 200, response.content
    contact = Contact._base_manager.get(pk=person.contact.pk)
    assert contact.full_name == f"Erased contact #{contact.pk}"
    assert response.json()["summary"]["files"] == 1


def test_api_refuses_non_admins(client, db):
    person = person_with_everything()
    headers = auth(UserFactory(role="manager"))

    export = client.post(f"/api/v1/privacy/contacts/{person.contact.pk}/export", **headers)
    erase = client.post(
        f"/api/v1/privacy/contacts/{person.contact.pk}/erase",
        {"confirm": True},
        content_type="application/json",
        **headers,
    )
    log = client.get("/api/v1/privacy/requests", **headers)

    assert (export.status_code, erase.status_code, log.status_code) == (403, 403, 403)
    assert "administrators" in erase.json()["detail"]
    assert not PrivacyRequest.objects.exists()


def test_api_requests_lists_the_log(client, db):
    person = person_with_everything()
    headers = auth(AdminFactory())
    client.post(f"/api/v1/privacy/contacts/{person.contact.pk}/export", **headers)

    response = client.get(f"/api/v1/privacy/requests?contact_id={person.contact.pk}", **headers)

    assert [item["kind"] for item in response.json()] == ["export"]


def test_api_retention_dry_run(client, db):
    PolicyFactory(months=12)

    response = client.post("/api/v1/privacy/retention/dry-run", **auth(AdminFactory()))

    assert response.status_code == 200
    assert response.json()["matched"] == 0
