from hamkor.accounts.services import issue_token
from hamkor.webforms.models import SubmissionStatus
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.webforms.factories import ManagerFactory, SubmissionFactory, WebFormFactory

API = "/api/v1/webforms"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user, name='test').secret}"}


def test_api_lists_forms_with_counts(db, client):
    form = WebFormFactory(name="Cakes", allowed_origins="https://shop.example.com")
    SubmissionFactory(form=form)
    SubmissionFactory(form=form, status=SubmissionStatus.FAILED, error="boom")

    answer = client.get(f"{API}/forms", **_auth(ManagerFactory()))

    assert answer.status_code == 200
    [row] = answer.json()
    assert row["uuid"] == str(form.uuid)
    assert row["name"] == "Cakes"
    assert row["allowed_origins"] == ["https://shop.example.com"]
    assert (row["submission_count"], row["pending_count"], row["failed_count"]) == (2, 1, 1)


def test_api_lists_a_forms_submissions_with_their_outcome(db, client):
    form = WebFormFactory()
    contact = ContactFactory()
    SubmissionFactory(form=form, status=SubmissionStatus.MATCHED, contact=contact)
    SubmissionFactory(form=form)
    SubmissionFactory()  # another form's

    everything = client.get(f"{API}/forms/{form.uuid}/submissions", **_auth(ManagerFactory()))
    matched = client.get(
        f"{API}/forms/{form.uuid}/submissions?status=matched", **_auth(ManagerFactory())
    )

    assert everything.status_code == 200
    assert len(everything.json()) == 2
    [row] = matched.json()
    assert (row["status"], row["contact_id"]) == ("matched", contact.pk)


def test_api_refuses_users_who_do_not_see_every_contact(db, client):
    form = WebFormFactory()
    sales = UserFactory()

    forms = client.get(f"{API}/forms", **_auth(sales))
    rows = client.get(f"{API}/forms/{form.uuid}/submissions", **_auth(sales))

    assert forms.status_code == 403
    assert rows.status_code == 403


def test_api_needs_a_token(db, client):
    assert client.get(f"{API}/forms").status_code == 401


def test_api_answers_bad_input_clearly(db, client):
    form = WebFormFactory()
    auth = _auth(ManagerFactory())

    unknown = client.get(f"{API}/forms/00000000-0000-0000-0000-000000000000/submissions", **auth)
    bad_status = client.get(f"{API}/forms/{form.uuid}/submissions?status=lost", **auth)
    bad_limit = client.get(f"{API}/forms/{form.uuid}/submissions?limit=0", **auth)
    not_uuid = client.get(f"{API}/forms/42/submissions", **auth)

    assert unknown.status_code == 404
    assert bad_status.status_code == 422
    assert "status" in bad_status.json()["detail"]
    assert bad_limit.status_code == 422
    assert "limit" in bad_limit.json()["detail"]
    assert not_uuid.status_code == 422
