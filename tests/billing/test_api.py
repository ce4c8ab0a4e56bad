import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from hamkor.accounts.models import Role
from hamkor.billing.models import InvoiceStatus, LineKind
from hamkor.billing.schemas import InvoiceStatusValue, LineKindValue
from hamkor.billing.services.payments import record_payment
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client, send
from tests.billing.factories import FinanceUserFactory, free_line, make_invoice, make_issued
from tests.contacts.factories import ContactFactory
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory
from tests.sales.factories import PaymentTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(db):
    return FinanceUserFactory()


@pytest.fixture
def client(finance):
    return api_client(finance)


@pytest.mark.parametrize(
    ("literal", "choices"),
    [(InvoiceStatusValue, InvoiceStatus), (LineKindValue, LineKind)],
)
def test_schema_choices_match_model_choices(literal, choices):
    assert set(literal.__args__) == set(choices.values)


def test_create_issue_and_pay_an_invoice(client):
    contact = ContactFactory()
    cash = PaymentTypeFactory(name="Cash")

    created = send(
        client,
        "post",
        "/api/v1/invoices",
        {
            "contact_id": contact.pk,
            "currency": "UZS",
            "free_lines": [
                {"description": "Wedding cake", "quantity": "1", "unit_price": "500000"}
            ],
        },
    )
    invoice_id = created.json()["id"]
    issued = send(client, "post", f"/api/v1/invoices/{invoice_id}/issue", {})
    paid = send(
        client,
        "post",
        f"/api/v1/invoices/{invoice_id}/payments",
        {"amount": "560000", "method_id": cash.pk, "reference": "receipt 7"},
    )
    final = client.get(f"/api/v1/invoices/{invoice_id}").json()

    assert created.status_code == 201
    assert created.json()["gross_total"] == "560000.00"
    assert created.json()["number"] is None
    assert issued.status_code == 200
    assert issued.json()["number"].endswith("-000001")
    assert paid.status_code == 201
    assert final["status"] == "paid"
    assert final["payments"][0]["method"]["name"] == "Cash"


def test_create_from_time_entries(client):
    project = ProjectFactory()
    entry = TimeEntryFactory(task=TaskFactory(project=project), project=project, minutes=90)

    response = send(
        client,
        "post",
        "/api/v1/invoices",
        {
            "company_id": project.company_id,
            "currency": "USD",
            "time_entry_ids": [entry.pk],
            "tax_rate_percent": "0",
        },
    )

    assert response.status_code == 201
    line = response.json()["lines"][0]
    assert (line["kind"], line["quantity"], line["line_net"]) == ("time", "1.500", "150.00")


def test_billing_the_same_time_twice_is_refused_with_detail(client):
    project = ProjectFactory()
    entry = TimeEntryFactory(task=TaskFactory(project=project), project=project)
    body = {"company_id": project.company_id, "currency": "USD", "time_entry_ids": [entry.pk]}
    send(client, "post", "/api/v1/invoices", body)

    response = send(client, "post", "/api/v1/invoices", body)

    assert response.status_code == 422
    assert str(entry.pk) in response.json()["detail"]


def test_issue_twice_is_409(client, finance):
    invoice = make_issued(actor=finance)

    response = send(client, "post", f"/api/v1/invoices/{invoice.pk}/issue", {})

    assert response.status_code == 409
    assert "already issued" in response.json()["detail"]


def test_overpayment_is_422_with_detail(client, finance):
    invoice = make_issued(actor=finance, lines=[free_line("X", "1", "100")])

    response = send(client, "post", f"/api/v1/invoices/{invoice.pk}/payments", {"amount": "200"})

    assert response.status_code == 422
    assert "would overpay" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {
            "currency": "UZS",
            "free_lines": [{"description": "x", "quantity": "1", "unit_price": "1"}],
        },
        {"contact_id": 1, "currency": "ZZ"},
        {
            "contact_id": 1,
            "currency": "UZS",
            "free_lines": [{"description": "x", "quantity": "-1", "unit_price": "1"}],
        },
        {"contact_id": 1, "currency": "UZS", "tax_rate_percent": "101"},
        {"contact_id": 1, "currency": "UZS"},
    ],
)
def test_create_bad_input_is_422_with_detail(client, body):
    ContactFactory(pk=1)

    response = send(client, "post", "/api/v1/invoices", body)

    assert response.status_code == 422
    assert response.json()["detail"]


def test_not_json_is_400(client):
    response = client.post("/api/v1/invoices", data="{", content_type="application/json")

    assert response.status_code == 400


def test_sales_staff_read_their_customers_invoices_only_and_cannot_write():
    seller = UserFactory(role=Role.SALES)
    mine = make_issued(contact=ContactFactory(owner=seller))
    other = make_issued(contact=ContactFactory())
    client = api_client(seller)

    listed = client.get("/api/v1/invoices").json()
    hidden = client.get(f"/api/v1/invoices/{other.pk}")
    void = send(client, "post", f"/api/v1/invoices/{mine.pk}/void", {})

    assert [item["id"] for item in listed["items"]] == [mine.pk]
    assert hidden.status_code == 404
    assert void.status_code == 403


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.OPERATIONS])
def test_support_and_operations_see_no_invoices(role):
    invoice = make_issued()
    client = api_client(UserFactory(role=role))

    assert client.get("/api/v1/invoices").json()["count"] == 0
    assert client.get(f"/api/v1/invoices/{invoice.pk}").status_code == 404
    assert client.get(f"/api/v1/invoices/{invoice.pk}/pdf").status_code == 404


def test_pdf_download_holds_number_and_total(client, finance):
    invoice = make_issued(actor=finance, lines=[free_line("Design", "2", "1250000")])

    response = client.get(f"/api/v1/invoices/{invoice.pk}/pdf")

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert response["Content-Type"] == "application/pdf"
    assert invoice.number in text
    assert "2 800 000" in text.replace("\xa0", " ").replace("\u202f", " ") or "2,800,000" in text


def test_ageing_api_reports_buckets_in_base_currency(client, finance):
    invoice = make_issued(
        actor=finance,
        issue_date=datetime.date(2026, 1, 1),
        payment_terms_days=10,
        lines=[free_line("X", "1", "1000")],
        tax_rate_percent=Decimal("0"),
    )
    record_payment(
        actor=finance, invoice=invoice, amount=Decimal("400"), paid_on=datetime.date(2026, 1, 2)
    )

    response = client.get("/api/v1/receivables/ageing?on=2026-02-15")

    body = response.json()
    assert response.status_code == 200
    assert body["currency"] == "UZS"
    assert body["rows"][0]["buckets"]["31_60"] == "600.00"
    assert body["totals"]["current"] == "0"


def test_ageing_unknown_parameter_is_422(client):
    response = client.get("/api/v1/receivables/ageing?day=2026-01-01")

    assert response.status_code == 422


def test_tax_rates_list_the_default_first(client):
    body = client.get("/api/v1/tax-rates").json()

    assert body["items"][0] == {
        "id": body["items"][0]["id"],
        "name": "VAT 12%",
        "percent": "12.00",
        "is_default": True,
    }


def test_delete_draft_answers_204_and_issued_409(client, finance):
    draft = make_invoice(actor=finance)
    issued = make_issued(actor=finance)

    assert client.delete(f"/api/v1/invoices/{draft.pk}").status_code == 204
    assert client.delete(f"/api/v1/invoices/{issued.pk}").status_code == 409


def test_send_queues_an_outbox_email(client, finance):
    contact = ContactFactory(email="aziza@example.uz")
    invoice = make_issued(actor=finance, contact=contact)

    response = send(client, "post", f"/api/v1/invoices/{invoice.pk}/send", {})

    assert response.status_code == 200
    assert response.json()["to_address"] == "aziza@example.uz"
