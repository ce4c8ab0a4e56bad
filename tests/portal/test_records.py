"""The customer's own orders, invoices and projects; anyone else's answers 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hamkor.core.money import format_money
from hamkor.projects.models import TaskStatus
from hamkor.sales.models import OrderStatus
from tests.billing.factories import make_invoice, make_issued
from tests.contacts.factories import CompanyFactory
from tests.portal.factories import CustomerFactory
from tests.portal.helpers import portal_log_in
from tests.projects.factories import ProjectFactory, TaskFactory, WorkflowStepFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aziza():
    return CustomerFactory(first_name="Aziza", email="aziza@example.com")


@pytest.fixture
def bobur():
    return CustomerFactory(first_name="Bobur", email="bobur@example.com")


@pytest.fixture
def azizas_records(aziza):
    medovik = ProductFactory(name="Medovik", price=Decimal("120000.00"))
    return {
        "order": OrderFactory(contact=aziza, lines=[(medovik, 2)]),
        "invoice": make_issued(contact=aziza),
        "project": ProjectFactory(contact=aziza, company=None, name="Wedding cake"),
    }


def test_order_list_shows_the_customers_orders_only(client, aziza, bobur, azizas_records):
    OrderFactory(contact=bobur, notes="not hers")
    portal_log_in(client, aziza)

    response = client.get(reverse("portal:order_list"))

    assert list(response.context["page_obj"].object_list) == [azizas_records["order"]]


def test_order_list_leaves_out_drafts(client, aziza):
    OrderFactory(contact=aziza, status=OrderStatus.DRAFT)
    portal_log_in(client, aziza)

    response = client.get(reverse("portal:order_list"))

    assert list(response.context["page_obj"].object_list) == []


def test_order_detail_shows_lines_total_and_status(client, aziza, azizas_records):
    order = azizas_records["order"]
    portal_log_in(client, aziza)

    page = client.get(reverse("portal:order_detail", args=[order.uuid])).content.decode()

    assert "Medovik" in page
    assert format_money(Decimal("240000"), "UZS") in page
    assert "Confirmed" in page
    assert str(order.uuid) in page
    assert "Order #" not in page


def test_invoice_list_hides_drafts(client, aziza, azizas_records):
    make_invoice(contact=aziza)
    portal_log_in(client, aziza)

    response = client.get(reverse("portal:invoice_list"))

    assert list(response.context["page_obj"].object_list) == [azizas_records["invoice"]]


def test_invoice_detail_and_pdf_download(client, aziza, azizas_records):
    invoice = azizas_records["invoice"]
    portal_log_in(client, aziza)

    page = client.get(reverse("portal:invoice_detail", args=[invoice.uuid])).content.decode()
    pdf = client.get(reverse("portal:invoice_pdf", args=[invoice.uuid]))

    assert invoice.number in page
    assert "Consulting" in page
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f'filename="invoice-{invoice.number}.pdf"' in pdf["Content-Disposition"]


def test_draft_invoice_by_uuid_answers_404(client, aziza):
    draft = make_invoice(contact=aziza)
    portal_log_in(client, aziza)

    assert client.get(reverse("portal:invoice_detail", args=[draft.uuid])).status_code == 404
    assert client.get(reverse("portal:invoice_pdf", args=[draft.uuid])).status_code == 404


def test_project_detail_shows_progress(client, aziza, azizas_records):
    project = azizas_records["project"]
    TaskFactory(project=project, title="Sketch", status=TaskStatus.DONE, step=WorkflowStepFactory())
    TaskFactory(project=project, title="Bake", step=WorkflowStepFactory())
    TaskFactory(project=project, title="Call the flour supplier")
    portal_log_in(client, aziza)

    response = client.get(reverse("portal:project_detail", args=[project.uuid]))

    page = response.content.decode()
    assert "1 of 3 tasks done" in page
    # The template's stages are milestones; a task staff added along the way stays internal.
    assert [task.title for task in response.context["milestones"]] == ["Sketch", "Bake"]
    assert "Call the flour supplier" not in page
    assert (response.context["project"].tasks_done, response.context["project"].tasks_total) == (
        1,
        3,
    )


def test_home_summarises_recent_records(client, aziza, azizas_records):
    portal_log_in(client, aziza)

    response = client.get(reverse("portal:home"))

    summary = response.context["summary"]
    assert summary.orders == [azizas_records["order"]]
    assert summary.invoices == [azizas_records["invoice"]]
    assert summary.projects == [azizas_records["project"]]
    assert summary.open_invoice_count == 1
    page = response.content.decode()
    for url in (
        "portal:order_list",
        "portal:invoice_list",
        "portal:project_list",
        "portal:profile",
    ):
        assert reverse(url) in page


@pytest.mark.parametrize(
    ("url_name", "record"),
    [
        ("portal:order_detail", "order"),
        ("portal:invoice_detail", "invoice"),
        ("portal:invoice_pdf", "invoice"),
        ("portal:project_detail", "project"),
    ],
)
def test_another_customer_guessing_a_uuid_gets_404(client, bobur, azizas_records, url_name, record):
    portal_log_in(client, bobur)

    response = client.get(reverse(url_name, args=[azizas_records[record].uuid]))

    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_another_customers_lists_and_home_show_nothing_of_the_first(client, bobur, azizas_records):
    portal_log_in(client, bobur)

    pages = [
        client.get(reverse(name)).content.decode()
        for name in (
            "portal:home",
            "portal:order_list",
            "portal:invoice_list",
            "portal:project_list",
        )
    ]

    for page in pages:
        assert str(azizas_records["order"].uuid) not in page
        assert azizas_records["invoice"].number not in page
        assert "Wedding cake" not in page


def test_records_of_the_customers_company_as_a_whole_are_shown(client):
    company = CompanyFactory(name="Shirin Sweets")
    aziza = CustomerFactory(company=company)
    colleague = CustomerFactory(company=company)
    for_company = ProjectFactory(company=company, contact=None, name="Shop website")
    ProjectFactory(company=company, contact=colleague, name="Colleague's own")
    portal_log_in(client, aziza)

    response = client.get(reverse("portal:project_list"))

    assert list(response.context["page_obj"].object_list) == [for_company]


def test_a_colleagues_own_record_answers_404(client):
    company = CompanyFactory()
    aziza = CustomerFactory(company=company)
    colleague = CustomerFactory(company=company)
    invoice = make_issued(contact=colleague, company=company)
    portal_log_in(client, aziza)

    assert client.get(reverse("portal:invoice_pdf", args=[invoice.uuid])).status_code == 404


def test_the_signed_public_pdf_link_is_not_taken_as_a_portal_url(client, bobur, azizas_records):
    portal_log_in(client, bobur)

    response = client.get(f"/portal/invoices/{azizas_records['invoice'].pk}/pdf/")

    assert response.status_code == 404


def test_portal_pages_read_a_fixed_number_of_queries(client, aziza, django_assert_max_num_queries):
    product = ProductFactory()
    for _ in range(5):
        OrderFactory(contact=aziza, lines=[(product, 1), (product, 2)])
        make_issued(contact=aziza)
        TaskFactory(project=ProjectFactory(contact=aziza, company=None))
    portal_log_in(client, aziza)

    for name in ("portal:home", "portal:order_list", "portal:invoice_list", "portal:project_list"):
        with django_assert_max_num_queries(6):
            client.get(reverse(name))
