"""Rustam moves a lead along the pipeline in a real browser (select fallback at phone width)."""

import re

import pytest
from playwright.sync_api import expect

from hamkor.sales.models import Deal, DealStageChange
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import DealFactory, PipelineFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"


def _log_in(page, username):
    page.goto(page.base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page).to_have_url(page.base_url + "/")


def _column(page, name):
    return page.locator(".board-column").filter(
        has=page.get_by_role("heading", name=re.compile(rf"^{name}\b"))
    )


def _drag(page, card, target):
    """Press on the card's edge, move over the target in steps and let go (HTML5 drag)."""
    card.scroll_into_view_if_needed()
    start = card.bounding_box()
    page.mouse.move(start["x"] + 4, start["y"] + 4)
    page.mouse.down()
    page.mouse.move(start["x"] + 30, start["y"] + 10, steps=5)
    end = target.bounding_box()
    page.mouse.move(end["x"] + 20, end["y"] + 20, steps=10)
    page.mouse.up()


@pytest.fixture
def deal():
    rustam = UserFactory(username="rustam")
    pipeline = PipelineFactory(name="Agency")
    return DealFactory(
        title="Website for Ala-Too", pipeline=pipeline, contact=ContactFactory(owner=rustam)
    )


def test_drag_card_to_another_stage(page, deal):
    # Both columns fully on screen: at phone width the target column is half scrolled off
    # and a drag onto its edge was flaky on a loaded machine.
    page.set_viewport_size({"width": 1400, "height": 900})
    _log_in(page, "rustam")
    page.goto(f"{page.base_url}/sales/board/?pipeline={deal.pipeline_id}")
    card = page.locator(f"#deal-{deal.pk}")
    expect(_column(page, "New").locator(f"#deal-{deal.pk}")).to_be_visible()

    # The drop posts the move; wait for the server's answer before reloading.
    with page.expect_response(lambda r: r.request.method == "POST" and "/move/" in r.url):
        _drag(page, card, _column(page, "Proposal").locator(".deal-cards"))

    expect(_column(page, "Proposal").locator(f"#deal-{deal.pk}")).to_be_visible()
    page.reload()
    expect(_column(page, "Proposal").locator(f"#deal-{deal.pk}")).to_be_visible()
    change = DealStageChange.objects.get(deal=deal, to_stage__name="Proposal")
    assert change.changed_by.username == "rustam"


def test_move_with_select_and_then_win(page, deal):
    _log_in(page, "rustam")
    page.goto(f"{page.base_url}/sales/board/?pipeline={deal.pipeline_id}")

    card = page.locator(f"#deal-{deal.pk}")
    card.get_by_label("Stage of Website for Ala-Too").select_option(label="Won")
    card.get_by_role("button", name="Move").click()

    expect(_column(page, "Won").locator(f"#deal-{deal.pk}")).to_be_visible()
    page.reload()
    expect(_column(page, "Won").locator(f"#deal-{deal.pk}")).to_be_visible()
    assert Deal.objects.get(pk=deal.pk).status == "won"


def test_drag_to_lost_asks_for_reason(page, deal):
    # Wide enough that the first and the last column are both on screen.
    page.set_viewport_size({"width": 1400, "height": 900})
    _log_in(page, "rustam")
    page.goto(f"{page.base_url}/sales/board/?pipeline={deal.pipeline_id}")

    _drag(page, page.locator(f"#deal-{deal.pk}"), _column(page, "Lost").locator(".deal-cards"))

    page.get_by_label("Why was it lost?").fill("Chose a cheaper agency")
    page.get_by_role("button", name="Move").click()
    expect(_column(page, "Lost").locator(f"#deal-{deal.pk}")).to_be_visible()
    deal.refresh_from_db()
    assert (deal.status, deal.lost_reason) == ("lost", "Chose a cheaper agency")
