import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from hamkor.core.models import ExchangeRate
from hamkor.sales.models import Deal, DealStageChange
from hamkor.sales.services.deals import move_deal
from tests.accounts.factories import UserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.sales.factories import DealFactory, PipelineFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def user(client):
    user = UserFactory(username="rustam")
    client.force_login(user)
    return user


@pytest.fixture
def deal(user):
    return DealFactory(
        title="Agency site", contact=ContactFactory(owner=user), amount=Decimal("100")
    )


def _board(pipeline):
    return f"{reverse('sales:board')}?pipeline={pipeline.pk}"


def test_board_shows_columns_cards_and_totals(client, deal):
    ExchangeRate.objects.create(date=datetime.date(2000, 1, 1), currency="USD", rate=12000)

    response = client.get(_board(deal.pipeline))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Agency site" in content
    assert "Proposal" in content
    assert response.context["board"].columns[0].total.amount == Decimal("1200000.00")
    assert 'name="stage"' in content


def test_board_says_why_a_total_is_missing(client, deal):
    response = client.get(_board(deal.pipeline))

    assert response.status_code == 200
    assert "Total unavailable" in response.content.decode()
    assert "USD" in response.content.decode()


def test_board_hides_other_teams_deals(client, user):
    other = DealFactory(title="Secret", contact=ContactFactory(owner=UserFactory()))

    response = client.get(_board(other.pipeline))

    assert "Secret" not in response.content.decode()


def test_board_with_unknown_pipeline_is_not_found(client, user):
    assert client.get(reverse("sales:board") + "?pipeline=999999").status_code == 404


def test_board_defaults_to_first_pipeline(client, user):
    response = client.get(reverse("sales:board"))

    assert response.status_code == 200
    assert response.context["board"].pipeline.name == "Sales"


def test_move_without_js_redirects_back_to_board(client, deal):
    proposal = deal.pipeline.stages.get(name="Proposal")

    response = client.post(
        reverse("sales:deal_move", args=[deal.pk]),
        {"stage": proposal.pk, "next": _board(deal.pipeline)},
    )

    assert response.status_code == 302
    assert response["Location"] == _board(deal.pipeline)
    change = DealStageChange.objects.get(deal=deal)
    assert change.to_stage == proposal
    assert change.changed_by.username == "rustam"


def test_move_with_htmx_returns_the_board(client, deal):
    won = deal.pipeline.stages.get(name="Won")

    response = client.post(reverse("sales:deal_move", args=[deal.pk]), {"stage": won.pk}, **HTMX)

    assert response.status_code == 200
    assert 'id="board"' in response.content.decode()
    deal.refresh_from_db()
    assert deal.status == "won"


def test_move_to_lost_with_htmx_opens_reason_form(client, deal):
    lost = deal.pipeline.stages.get(name="Lost")

    response = client.post(reverse("sales:deal_move", args=[deal.pk]), {"stage": lost.pk}, **HTMX)

    assert response.status_code == 200
    assert f"stage={lost.pk}" in response["HX-Redirect"]
    deal.refresh_from_db()
    assert deal.status == "open"


def test_move_to_lost_without_reason_shows_error_beside_field(client, deal):
    lost = deal.pipeline.stages.get(name="Lost")

    response = client.post(reverse("sales:deal_move", args=[deal.pk]), {"stage": lost.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["lost_reason"]


def test_move_to_lost_with_reason(client, deal):
    lost = deal.pipeline.stages.get(name="Lost")

    client.post(
        reverse("sales:deal_move", args=[deal.pk]), {"stage": lost.pk, "lost_reason": "Budget"}
    )

    deal.refresh_from_db()
    assert (deal.status, deal.lost_reason) == ("lost", "Budget")


def test_move_refuses_outside_next_url(client, deal):
    proposal = deal.pipeline.stages.get(name="Proposal")

    response = client.post(
        reverse("sales:deal_move", args=[deal.pk]),
        {"stage": proposal.pk, "next": "https://evil.example/"},
    )

    assert response["Location"] == _board(deal.pipeline)


def test_move_form_preselects_stage(client, deal):
    lost = deal.pipeline.stages.get(name="Lost")

    response = client.get(reverse("sales:deal_move", args=[deal.pk]) + f"?stage={lost.pk}")

    assert response.status_code == 200
    assert response.context["form"].initial["stage"] == str(lost.pk)


def test_move_of_other_teams_deal_is_not_found(client, user):
    other = DealFactory(contact=ContactFactory(owner=UserFactory()))
    won = other.pipeline.stages.get(name="Won")

    response = client.post(reverse("sales:deal_move", args=[other.pk]), {"stage": won.pk})

    assert response.status_code == 404


def test_detail_shows_stage_history_with_who(client, deal, user):
    move_deal(deal=deal, stage=deal.pipeline.stages.get(name="Proposal"), actor=user)

    response = client.get(reverse("sales:deal_detail", args=[deal.pk]))

    content = response.content.decode()
    assert "Moved from New to Proposal" in content
    assert str(user) in content


def test_create_deal_from_form(client, user):
    pipeline = PipelineFactory()
    contact = ContactFactory(owner=user)

    response = client.post(
        reverse("sales:deal_create"),
        {
            "title": "Landing page",
            "contact": contact.pk,
            "pipeline": pipeline.pk,
            "amount": "1500",
            "currency": "USD",
            "expected_close_date": "2026-12-01",
            "owner": user.pk,
        },
    )

    deal = Deal.objects.get(title="Landing page")
    assert response["Location"] == reverse("sales:deal_detail", args=[deal.pk])
    assert deal.stage.name == "New"


def test_create_deal_without_customer_keeps_what_was_typed(client, user):
    response = client.post(
        reverse("sales:deal_create"),
        {
            "title": "Landing page",
            "pipeline": PipelineFactory().pk,
            "amount": "1",
            "currency": "USD",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["contact"]
    assert 'value="Landing page"' in response.content.decode()


def test_edit_deal(client, deal, user):
    response = client.post(
        reverse("sales:deal_edit", args=[deal.pk]),
        {
            "title": "Agency site v2",
            "contact": deal.contact_id,
            "amount": "200",
            "currency": "USD",
            "owner": user.pk,
        },
    )

    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.title, deal.amount) == ("Agency site v2", Decimal("200"))


def test_forecast_page_lists_months(client, deal):
    deal.expected_close_date = datetime.date(2026, 12, 10)
    deal.currency = "UZS"
    deal.save()

    response = client.get(reverse("sales:forecast") + f"?pipeline={deal.pipeline_id}")

    assert response.status_code == 200
    assert "December 2026" in response.content.decode()


def test_deal_form_has_search_pickers_not_long_selects(client, user):
    ContactFactory(first_name="Many", owner=user)

    response = client.get(reverse("sales:deal_create"))

    content = response.content.decode()
    assert content.count('role="combobox"') == 2
    assert 'name="contact_q"' in content
    assert 'name="company_q"' in content
    assert "Many" not in content
    assert 'label for="id_contact"' in content


def test_deal_form_from_contact_page_shows_chosen_contact(client, user):
    contact = ContactFactory(first_name="Aziza", last_name="Rahimova", owner=user)

    response = client.get(reverse("sales:deal_create"), {"contact": contact.pk})

    content = response.content.decode()
    assert f'name="contact" value="{contact.pk}"' in content
    assert "Chosen: Rahimova Aziza" in content


def test_create_deal_refuses_another_teams_contact(client, user):
    theirs = ContactFactory(first_name="Hidden", last_name="Person", owner=UserFactory())

    response = client.post(
        reverse("sales:deal_create"),
        {
            "title": "Landing page",
            "contact": theirs.pk,
            "pipeline": PipelineFactory().pk,
            "amount": "1",
            "currency": "USD",
            "owner": user.pk,
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "There is no such contact that you can see. Search again." in content
    assert "Hidden" not in content
    assert not Deal.objects.filter(title="Landing page").exists()


def test_create_deal_with_typed_but_unchosen_contact_keeps_the_text(client, user):
    response = client.post(
        reverse("sales:deal_create"),
        {
            "title": "Landing page",
            "contact": "",
            "contact_q": "Karimo",
            "pipeline": PipelineFactory().pk,
            "amount": "1",
            "currency": "USD",
            "owner": user.pk,
        },
    )

    content = response.content.decode()
    assert "Choose the contact from the suggestions, or clear the box." in content
    assert 'value="Karimo"' in content
    assert 'value="Landing page"' in content


def test_edit_deal_shows_its_company_in_the_picker(client, user):
    company = CompanyFactory(name="Ala-Too Media", owner=user)
    deal = DealFactory(title="Site", contact=None, company=company, owner=user, team=user.team)

    response = client.get(reverse("sales:deal_edit", args=[deal.pk]))

    content = response.content.decode()
    assert f'name="company" value="{company.pk}"' in content
    assert 'value="Ala-Too Media"' in content


def test_create_deal_for_a_company_picked_by_search(client, user):
    company = CompanyFactory(name="Ala-Too Media", owner=user)

    client.post(
        reverse("sales:deal_create"),
        {
            "title": "Brand book",
            "contact": "",
            "contact_q": "",
            "company": company.pk,
            "company_q": "Ala-Too Media",
            "pipeline": PipelineFactory().pk,
            "amount": "100",
            "currency": "USD",
            "owner": user.pk,
        },
    )

    assert Deal.objects.get(title="Brand book").company == company
