import pytest
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

ERROR_STATUSES = {"401", "404", "422"}


@pytest.fixture
def schema():
    return Client().get("/api/v1/openapi.json").json()


def test_openapi_schema_is_valid(schema):
    validate(schema)


def test_openapi_documents_every_foundation_route(schema):
    # Later areas (products, orders, deals, insight) check their own routes.
    assert set(schema["paths"]) >= {
        "/api/v1/contacts",
        "/api/v1/contacts/duplicates",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/contacts/{contact_id}/timeline",
        "/api/v1/contacts/{contact_id}/merge",
        "/api/v1/companies",
        "/api/v1/companies/{company_id}",
        "/api/v1/companies/{company_id}/timeline",
        "/api/v1/interactions",
        "/api/v1/interactions/{interaction_id}",
    }


def test_openapi_documents_error_answers_of_every_operation(schema):
    documented = {
        f"{method.upper()} {path}": set(operation["responses"]) >= ERROR_STATUSES
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }

    assert all(documented.values()), documented


def test_openapi_lists_allowed_orderings(schema):
    parameters = schema["paths"]["/api/v1/contacts"]["get"]["parameters"]
    ordering = next(p for p in parameters if p["name"] == "ordering")

    assert "-created" in ordering["schema"]["enum"]


def test_interactive_docs_are_served():
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
