import json

from django.core.files.uploadedfile import SimpleUploadedFile

from hamkor.accounts.models import Role
from hamkor.accounts.services import issue_token
from hamkor.contacts.models import Contact
from tests.accounts.factories import UserFactory
from tests.imports.factories import ImportJobFactory

API = "/api/v1/imports"
CONTENT = b"Name;Phone\nAziz;+998901112233\nBad;12\n"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user, name='test').secret}"}


def _post(client, user, **data):
    body = {"file": SimpleUploadedFile("people.csv", CONTENT), "entity": "contact", **data}
    return client.post(f"{API}/", body, **_auth(user))


def test_api_upload_runs_a_dry_run_by_default(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(client, manager)

    assert answer.status_code == 202
    job_id = answer.json()["id"]
    detail = client.get(f"{API}/{job_id}", **_auth(manager)).json()
    assert detail["status"] == "checked"
    assert (detail["new_count"], detail["error_count"], detail["percent"]) == (1, 1, 100)
    assert detail["errors"] == [
        {"row": 3, "column": "Phone", "message": "“12” is not a valid phone number."}
    ]
    assert Contact.objects.count() == 0


def test_api_import_with_mapping_and_options(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(
            client,
            manager,
            mapping=json.dumps({"Name": "last_name", "Phone": "phone"}),
            options=json.dumps({"skip_bad_rows": True, "duplicates": "update"}),
            dry_run="false",
        )

    assert answer.status_code == 202
    detail = client.get(f"{API}/{answer.json()['id']}", **_auth(manager)).json()
    assert detail["status"] == "done"
    assert detail["applied_at"] is not None
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Aziz"]


def test_api_errors_download(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = _post(client, manager).json()["id"]

    answer = client.get(f"{API}/{job_id}/errors", **_auth(manager))

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    lines = answer.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "Row,Column,Message,Name,Phone",
        "3,Phone,“12” is not a valid phone number.,Bad,12",
    ]


def test_api_run_imports_a_checked_job(client, manager, django_capture_on_commit_callbacks):
    good = {"file": SimpleUploadedFile("a.csv", b"Name;Phone\nAziz;+998901112233\n")}
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.post(f"{API}/", {**good, "entity": "contact"}, **_auth(manager)).json()[
            "id"
        ]
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"{API}/{job_id}/run", **_auth(manager))
    again = client.post(f"{API}/{job_id}/run", **_auth(manager))

    assert answer.status_code == 202
    assert Contact.objects.count() == 1
    assert again.status_code == 422
    assert again.json()["detail"] == "This file has already been imported."


def test_api_needs_a_token(client, db):
    assert client.get(f"{API}/1").status_code == 401
    assert client.post(f"{API}/", {"entity": "contact"}).status_code == 401


def test_api_refuses_sales_staff(client, db):
    answer = _post(client, UserFactory(role=Role.SALES))

    assert answer.status_code == 403
    assert answer.json()["detail"] == "Only administrators and managers can import data."


def test_api_hides_another_managers_job(client, manager):
    job = ImportJobFactory()

    assert client.get(f"{API}/{job.pk}", **_auth(manager)).status_code == 404
    admin = UserFactory(role=Role.ADMIN)
    assert client.get(f"{API}/{job.pk}", **_auth(admin)).status_code == 200


def test_api_bad_input(client, manager):
    bad_entity = _post(client, manager, entity="cats")
    bad_mapping = _post(client, manager, mapping="[1, 2]")
    unknown_column = _post(client, manager, mapping=json.dumps({"Nope": "first_name"}))
    bad_option = _post(client, manager, options=json.dumps({"duplicates": "merge"}))

    assert bad_entity.status_code == 422
    assert "entity" in bad_entity.json()["errors"]
    assert bad_mapping.json()["errors"] == {"mapping": ["Send a JSON object."]}
    assert "The file has no column “Nope”." in unknown_column.json()["errors"]["mapping"]
    assert bad_option.status_code == 422
    assert "duplicates" in bad_option.json()["errors"]
