import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from hamkor.accounts.models import Role
from hamkor.billing.links import invoice_token
from hamkor.billing.models import Invoice, InvoiceStatus
from hamkor.billing.services.payments import record_payment
from hamkor.messaging.models import OutboundMessage
from tests.accounts.factories import UserFactory
from tests.billing.factories import FinanceUserFactory, free_line, make_invoice, make_issued
from tests.contacts.cards import open_card
from tests.contacts.factories import ContactFactory
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(db):
    return FinanceUserFactory()


@pytest.fixture
def client(finance):
    client = Client()
    client.force_login(finance)
    return client


def _login(user):
    client = Client()
    client.force_login(user)
    return client


def test_menu_shows_invoices_to_finance_not_to_support(client):
    support = _login(UserFactory(role=Role.SUPPORT))

    assert "/billing/invoices/" in client.get(reverse("home")).content.decode()
    assert "/billing/invoices/" not in support.get(reverse("home")).content.decode()


def test_invoice_list_filters_by_status_and_searches_number(client, finance):
    draft = make_invoice(actor=finance)
    issued = make_issued(actor=finance)

    by_status = client.get(reverse("billing:invoice_list"), {"status": "draft"}).content.decode()
    by_number = client.get(reverse("billing:invoice_list"), {"q": issued.number}).content.decode()

    assert str(draft) in by_status and issued.number not in by_status
    assert issued.number in by_number and str(draft) not in by_number


def test_support_gets_404_for_invoice_pages():
    invoice = make_issued()
    support = _login(UserFactory(role=Role.SUPPORT))

    assert support.get(reverse("billing:invoice_list")).status_code == 404
    assert support.get(reverse("billing:invoice_detail", args=[invoice.pk])).status_code == 404
    assert support.get(reverse("billing:ageing")).status_code == 404


def test_sales_sees_their_customers_invoice_read_only():
    seller = UserFactory(role=Role.SALES)
    invoice = make_issued(contact=ContactFactory(owner=seller))
    page = _login(seller).get(reverse("billing:invoice_detail", args=[invoice.pk]))

    refused = _login(seller).post(
        reverse("billing:invoice_void", args=[invoice.pk]), {"reason": "x"}
    )

    assert page.status_code == 200
    assert "Record payment" not in page.content.decode()
    assert refused.status_code == 403


def test_new_invoice_lists_unbilled_time_grouped_by_project(client):
    project = ProjectFactory(name="Website redesign")
    TimeEntryFactory(task=TaskFactory(project=project), project=project, minutes=90)

    page = client.get(reverse("billing:invoice_new"), {"company": project.company_id})

    assert page.status_code == 200
    assert "Website redesign" in page.content.decode()


def test_new_invoice_creates_a_draft_from_picked_time_and_a_free_line(client):
    project = ProjectFactory()
    entry = TimeEntryFactory(task=TaskFactory(project=project), project=project, minutes=120)

    response = client.post(
        reverse("billing:invoice_new"),
        {
            "company": project.company_id,
            "time": [entry.pk],
            "line_description": ["Hosting"],
            "line_quantity": ["1"],
            "line_unit": [""],
            "line_unit_price": ["25"],
            "currency": "USD",
            "tax_rate": "0",
            "payment_terms_days": "14",
            "notes": "",
        },
    )

    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert invoice.gross_total == Decimal("225.00")


def test_new_invoice_with_bad_line_keeps_what_was_typed(client):
    contact = ContactFactory()

    response = client.post(
        reverse("billing:invoice_new"),
        {
            "contact": contact.pk,
            "line_description": ["Consulting"],
            "line_quantity": ["two"],
            "line_unit": [""],
            "line_unit_price": ["100"],
            "currency": "UZS",
            "tax_rate": "12",
            "payment_terms_days": "14",
        },
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert 'value="two"' in body
    assert "Enter the quantity as a number." in body
    assert not Invoice.objects.exists()


def test_preview_shows_totals_without_saving(client):
    contact = ContactFactory()

    response = client.post(
        reverse("billing:invoice_preview"),
        {
            "contact": contact.pk,
            "line_description": ["Cake"],
            "line_quantity": ["2"],
            "line_unit": [""],
            "line_unit_price": ["150000"],
            "currency": "UZS",
            "tax_rate": "12",
            "payment_terms_days": "14",
        },
    )

    assert "336" in response.content.decode()
    assert not Invoice.objects.exists()


def test_issue_then_overpay_shows_the_error_beside_the_amount(client, finance):
    invoice = make_invoice(actor=finance, lines=[free_line("X", "1", "100")])
    client.post(
        reverse("billing:invoice_issue", args=[invoice.pk]),
        {"issue_date": timezone.localdate().isoformat()},
    )

    response = client.post(
        reverse("billing:invoice_pay", args=[invoice.pk]),
        {"amount": "500", "paid_on": timezone.localdate().isoformat()},
    )

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    assert response.status_code == 422
    assert "would overpay" in response.content.decode()
    assert 'value="500"' in response.content.decode()


def test_send_queues_an_email_with_a_working_pdf_link(client, finance, settings):
    settings.HAMKOR_PUBLIC_URL = "https://crm.example.uz"
    invoice = make_issued(actor=finance, contact=ContactFactory(email="rustam@example.kg"))

    client.post(reverse("billing:invoice_send", args=[invoice.pk]), {"to_address": ""})

    message = OutboundMessage.objects.get()
    link = reverse("billing:public_pdf", args=[invoice_token(invoice.uuid)])
    pdf = Client().get(link)
    assert message.to_address == "rustam@example.kg"
    assert invoice.number in message.subject
    assert f"https://crm.example.uz{link}" in message.body
    assert pdf.status_code == 200
    assert invoice.number in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_forged_or_draft_public_links_are_404(finance):
    draft = make_invoice(actor=finance)

    forged = Client().get(reverse("billing:public_pdf", args=[f"{draft.uuid}:forged"]))
    of_draft = Client().get(reverse("billing:public_pdf", args=[invoice_token(draft.uuid)]))

    assert forged.status_code == 404
    assert of_draft.status_code == 404


def test_void_from_the_page(client, finance):
    invoice = make_issued(actor=finance)

    client.post(reverse("billing:invoice_void", args=[invoice.pk]), {"reason": "Duplicate"})

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID


def test_ageing_page_lists_the_customer_with_the_open_amount(client, finance):
    contact = ContactFactory(first_name="Aziza", last_name="Karimova")
    invoice = make_issued(
        actor=finance,
        contact=contact,
        lines=[free_line("X", "1", "1000000")],
        tax_rate_percent=Decimal(0),
    )
    record_payment(actor=finance, invoice=invoice, amount=Decimal("250000"))

    body = client.get(reverse("billing:ageing")).content.decode()

    assert "Karimova Aziza" in body
    assert "750" in body


def test_contact_card_shows_the_invoices_panel_to_finance(finance):
    contact = ContactFactory(owner=finance)
    make_issued(actor=finance, contact=contact)

    card = open_card(_login(finance), reverse("contacts:detail", args=[contact.pk]))

    assert 'id="invoices-panel"' in card
    assert "Balance due" in card


def test_invoices_panel_is_hidden_from_support():
    from hamkor.billing.panels import invoices_panel_context

    contact = ContactFactory()
    make_issued(contact=contact)

    assert invoices_panel_context(contact, UserFactory(role=Role.SUPPORT)) is None


def test_new_invoice_without_customer_asks_for_one(client):
    page = client.get(reverse("billing:invoice_new"))

    assert page.status_code == 200
    assert "Whom is the invoice for?" in page.content.decode()


def test_new_invoice_lists_the_customers_confirmed_order_lines(client):
    from tests.sales.factories import OrderFactory, ProductFactory

    contact = ContactFactory()
    OrderFactory(contact=contact, lines=[(ProductFactory(name="Napoleon"), 3)])

    page = client.get(reverse("billing:invoice_new"), {"contact": contact.pk}).content.decode()

    assert "Napoleon" in page
    assert 'name="order_line"' in page


def test_draft_page_adds_and_removes_lines(client, finance):
    invoice = make_invoice(actor=finance, lines=[free_line("A", "1", "100")])

    client.post(
        reverse("billing:invoice_add_line", args=[invoice.pk]),
        {"description": "B", "quantity": "2", "unit": "", "unit_price": "50"},
    )
    first = invoice.lines.get(description="A")
    client.post(reverse("billing:invoice_remove_line", args=[invoice.pk, first.pk]))

    invoice.refresh_from_db()
    assert list(invoice.lines.values_list("description", flat=True)) == ["B"]
    assert invoice.net_total == Decimal("100.00")
