"""The dashboard page (SVG charts with their numbers), churned list, permissions, the card."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from hamkor.analytics.charts import Bar, bar_chart, line_chart, stacked_columns
from hamkor.analytics.services import refresh_analytics
from hamkor.contacts.models import Language
from tests.accounts.factories import UserFactory
from tests.analytics.helpers import in_month, order, today
from tests.contacts.factories import ContactFactory, SourceFactory
from tests.sales.factories import DealFactory, PipelineFactory

pytestmark = pytest.mark.django_db


def _manager(client):
    user = UserFactory(role="manager", language="en")
    client.force_login(user)
    return user


def test_bar_chart_has_title_labels_and_escaped_values():
    svg = bar_chart(
        [Bar("New <b>", Decimal("10"), "10 deals"), Bar("Won", 5, "5 deals")], title="Deals"
    )

    assert svg.startswith('<svg class="chart chart-bars" role="img"')
    assert "<title>Deals</title>" in svg
    assert "<title>New &lt;b&gt;: 10 deals</title>" in svg
    assert ">5 deals</text>" in svg
    # The longest bar fills the plot; the other is half as long.
    assert 'width="340"' in svg
    assert 'width="170"' in svg


def test_line_and_stacked_charts_name_each_point():
    line = line_chart(["Jan", "Feb"], [1, 3], ["Jan: 1", "Feb: 3"], title="Revenue")
    columns = stacked_columns(
        ["Jan"],
        [],
        title="New",
    )

    assert "<title>Feb: 3</title>" in line
    assert ">Feb: 3</text>" in line  # The peak is printed.
    assert "<title>New</title>" in columns


def test_dashboard_shows_figures_as_svg(client):
    _manager(client)
    pipeline = PipelineFactory(name="Cakes")
    DealFactory(
        pipeline=pipeline,
        stage=pipeline.stages.get(name="Proposal"),
        amount=Decimal("750000"),
        currency="UZS",
    )
    instagram = SourceFactory(name="Instagram")
    buyer = ContactFactory(source=instagram)
    order(buyer, in_month(1), total="1250000")
    order(buyer, in_month(0, 1), total="250000")
    lapsed = ContactFactory(first_name="Bobur", last_name="Lapsed")
    order(lapsed, today() - datetime.timedelta(days=200))
    refresh_analytics()

    response = client.get(reverse("analytics:index"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Revenue, customers, cohorts and churn as of" in page
    # Pipeline, revenue, new customers, meetings; no tickets chart without open tickets.
    assert page.count('role="img"') == 4
    assert "<title>Cakes · Proposal: UZS\xa0750,000, 1 deal</title>" in page
    assert "Instagram" in page
    assert "UZS\xa01,250,000" in page
    # The one customer of last month's cohort bought again this month.
    assert 'title="1 customer">100%</td>' in page
    assert "Bobur" in page
    assert 'value="180"' in page


def test_dashboard_before_first_refresh_says_so(client):
    _manager(client)

    page = client.get(reverse("analytics:index")).content.decode()

    assert "have not been computed yet" in page


def test_dashboard_churn_period_from_the_form(client):
    _manager(client)
    order(ContactFactory(), today() - datetime.timedelta(days=40))
    refresh_analytics()

    default = client.get(reverse("analytics:index")).context["dashboard"].churn
    short = client.get(reverse("analytics:index"), {"churn_days": "30"}).context["dashboard"].churn

    assert (default.customers, short.customers) == (0, 1)


def test_dashboard_bad_churn_period_shows_error_beside_field(client):
    _manager(client)

    response = client.get(reverse("analytics:index"), {"churn_days": "-5"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_churn_days_error"' in page
    assert 'value="-5"' in page


def test_dashboard_refuses_sales_staff_and_sends_anonymous_to_login(client):
    anonymous = client.get(reverse("analytics:index"))
    client.force_login(UserFactory(role="sales"))

    refused = client.get(reverse("analytics:index"))
    churned = client.get(reverse("analytics:churned"))

    assert anonymous.status_code == 302
    assert "/login" in anonymous["Location"]
    assert refused.status_code == 403
    assert churned.status_code == 403


def test_churned_lists_lapsed_customers_most_recent_first(client):
    _manager(client)
    older = ContactFactory(first_name="Older")
    newer = ContactFactory(first_name="Newer")
    order(older, today() - datetime.timedelta(days=300))
    order(newer, today() - datetime.timedelta(days=200))
    order(ContactFactory(first_name="Recent"), today())
    refresh_analytics()

    page = client.get(reverse("analytics:churned"), {"churn_days": "100"}).content.decode()

    assert "2 customers have not bought for 100 days." in page
    assert page.index("Newer") < page.index("Older")
    assert "Recent" not in page


def test_contact_card_shows_rfm_panel(client):
    user = _manager(client)
    contact = ContactFactory(owner=user, language=Language.EN)
    order(contact, today(), total="1500000")
    refresh_analytics()

    page = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    assert "RFM segment" in page
    assert "Need attention" in page
    assert "Has not bought for a while" in page
    assert "UZS\xa01,500,000" in page


def test_contact_card_without_orders_has_no_rfm_panel(client):
    user = _manager(client)
    contact = ContactFactory(owner=user)

    page = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    assert "RFM segment" not in page
