import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from hamkor.billing.pdf import render_invoice_pdf
from hamkor.billing.services.payments import record_payment
from tests.billing.factories import ExchangeRateFactory, free_line, make_invoice, make_issued
from tests.contacts.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Locales group digits with (narrow) no-break spaces; compare with plain ones.
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_pdf_opens_and_holds_number_customer_and_totals(settings):
    settings.HAMKOR_ORGANISATION_NAME = "Rustam Digital"
    ExchangeRateFactory(currency="USD")
    company = CompanyFactory(name="Baraka Savdo", tax_id="301234567")
    invoice = make_issued(
        company=company,
        currency="USD",
        lines=[free_line("Landing page", "10", "40.50")],
    )

    text = _text(render_invoice_pdf(invoice))

    assert "Rustam Digital" in text
    assert invoice.number in text
    assert "Baraka Savdo" in text
    assert "$405.00" in text  # net
    assert "$48.60" in text  # VAT 12 %
    assert "$453.60" in text  # total and amount due


def test_pdf_in_russian_renders_cyrillic_and_russian_number_format():
    contact = ContactFactory(first_name="Дилноза", last_name="Каримова", language="ru")
    invoice = make_issued(contact=contact, lines=[free_line("Торт «Наполеон»", "1", "1250000")])

    text = _text(render_invoice_pdf(invoice))

    assert "Каримова Дилноза" in text
    assert "Торт «Наполеон»" in text
    assert "1 400 000" in text  # 1 250 000 + 12 %, grouped the Russian way


def test_pdf_renders_uzbek_latin_with_the_turned_comma():
    contact = ContactFactory(first_name="Gʻayrat", last_name="Toʻxtayev", language="uz")
    invoice = make_issued(contact=contact, lines=[free_line("Toʻy torti", "1", "500000")])

    text = _text(render_invoice_pdf(invoice))

    assert "Toʻxtayev Gʻayrat" in text
    assert "Toʻy torti" in text
    assert "Jami" in text  # "Total", in the customer's language


def test_pdf_of_a_partly_paid_invoice_shows_paid_and_due():
    invoice = make_issued(
        contact=ContactFactory(language="en"),
        lines=[free_line("X", "1", "1000")],
        tax_rate_percent=Decimal(0),
    )
    record_payment(actor=invoice.created_by, invoice=invoice, amount=Decimal("300"))
    invoice.refresh_from_db()

    text = _text(render_invoice_pdf(invoice))

    assert "Paid" in text and "Amount due" in text
    assert "700" in text


def test_draft_pdf_says_it_is_not_valid_for_payment():
    text = _text(render_invoice_pdf(make_invoice(contact=ContactFactory(language="en"))))

    assert "Draft invoice (not valid for payment)" in text


def test_pdf_of_a_long_invoice_runs_over_pages_and_keeps_every_line():
    # How fast it renders is measured by bench/invoice_pdf.py, not here.
    invoice = make_issued(lines=[free_line(f"Item {n}", "1", "1000") for n in range(200)])

    pdf = render_invoice_pdf(invoice)

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) > 1
    assert all(f"Item {n}\n" in text or f"Item {n} " in text for n in range(200))
