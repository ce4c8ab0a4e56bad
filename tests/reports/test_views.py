"""Staff pages: the report list, a report with filters, groups, totals and export links."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from hamkor.accounts.models import Role
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client):
    user = UserFactory(role=Role.SALES, team=TeamFactory(name="North"))
    for total in ("100000.00", "25000.50"):
        OrderFactory(
            contact=ContactFactory(owner=user, last_name="Раҳимова"),
            currency="UZS",
            total=Decimal(total),
        )
    OrderFactory(
        contact=ContactFactory(
            owner=UserFactory(team=TeamFactory(name="South")), last_name="Hidden"
        )
    )
    client.force_login(user)
    return user


def test_index_lists_every_report(client, seller):
    page = client.get(reverse("reports:index")).content.decode()

    assert reverse("reports:report", args=["orders"]) in page
    assert "Products sold" in page
    assert "Time entries" in page


def test_index_needs_a_login(client):
    response = client.get(reverse("reports:index"))

    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_report_page_shows_rows_totals_and_exports(client, seller):
    page = client.get(reverse("reports:report", args=["orders"])).content.decode()

    assert "Раҳимова" in page
    assert "Hidden" not in page
    assert "2 records in total" in page
    assert reverse("reports:export", args=["orders", "pdf"]) in page
    assert 'name="group_by"' in page


def test_htmx_refresh_returns_only_the_results(client, seller):
    response = client.get(
        reverse("reports:report", args=["orders"]), {"group_by": "status"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()

    assert "<form" not in page
    assert "Confirmed" in page
    assert "Total (UZS)" in page


def test_bad_date_shows_the_error_beside_the_field(client, seller):
    page = client.get(
        reverse("reports:report", args=["orders"]), {"date_from": "yesterday"}
    ).content.decode()

    assert 'id="id_date_from_error"' in page
    assert "Раҳимова" not in page


def test_unknown_report_is_404(client, seller):
    assert client.get(reverse("reports:report", args=["weather"])).status_code == 404


def test_export_link_downloads_the_filtered_csv(client, seller):
    response = client.get(
        reverse("reports:export", args=["orders", "csv"]), {"q": "Раҳимова", "delimiter": ";"}
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [r[6] for r in rows[1:]] == ["25000.50", "100000.00"]


def test_export_of_a_bad_filter_is_400(client, seller):
    response = client.get(reverse("reports:export", args=["orders", "xlsx"]), {"status": "lost"})

    assert response.status_code == 400
    assert "lost" in response.content.decode()
