"""One shared world for the authorization matrix: a user per role in team A, a second team B,
and one record of each kind per team, built once per module and rolled back at its end.

Each request of the matrix runs in its own savepoint (see ``matrix.call``), so a POST that
archives or deletes a record leaves the world as it was for the next role.
"""

from __future__ import annotations

import datetime
import functools
import logging
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from hamkor.accounts.models import Role, User
from hamkor.accounts.services import issue_token


@dataclass
class World:
    """Who asks (``users``, their session cookies and API tokens) and what they ask for."""

    users: dict[str, User] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    # kind -> record, for team A (the askers' team) and team B (another team).
    a: dict[str, Any] = field(default_factory=dict)
    b: dict[str, Any] = field(default_factory=dict)


def _team_records(owner: User, tag: str) -> dict[str, Any]:
    """One record of each team-owned kind, owned by ``owner`` and their team."""
    from tests.activities.factories import ActivityFactory, InteractionFactory
    from tests.billing.factories import make_invoice
    from tests.contacts.factories import CompanyFactory, ContactFactory
    from tests.projects.factories import (
        ChecklistItemFactory,
        ProjectFactory,
        TaskFactory,
        TimeEntryFactory,
    )
    from tests.sales.factories import DealFactory, OrderFactory, ProductFactory
    from tests.support.factories import TicketFactory

    r: dict[str, Any] = {}
    r["company"] = CompanyFactory(owner=owner, name=f"Baraka {tag}")
    r["contact"] = ContactFactory(
        owner=owner, company=r["company"], first_name=f"Aziza{tag}", phone=f"+99890123456{tag}"
    )
    r["interaction"] = InteractionFactory(contact=r["contact"], created_by=owner)
    r["activity"] = ActivityFactory(contact=r["contact"])
    r["order"] = OrderFactory(
        contact=r["contact"], created_by=owner, lines=[(ProductFactory(sku=f"M-{tag}"), 1)]
    )
    r["deal"] = DealFactory(contact=r["contact"])
    r["project"] = ProjectFactory(company=r["company"], contact=r["contact"])
    r["task"] = TaskFactory(project=r["project"], assignee=owner)
    r["other_task"] = TaskFactory(project=r["project"])
    r["checklist"] = ChecklistItemFactory(task=r["task"])
    r["time_entry"] = TimeEntryFactory(task=r["task"], user=owner)
    r["invoice"] = make_invoice(contact=r["contact"])
    r["invoice_line"] = r["invoice"].lines.first()
    r["ticket"] = TicketFactory(contact=r["contact"], team=owner.team, assignee=owner)
    return r


def _shared_records(manager: User) -> dict[str, Any]:
    """Kinds that belong to no team (catalogue, settings, templates): one of each."""
    from tests.automation.factories import RuleFactory, WebhookEndpointFactory
    from tests.booking.factories import BookingPageFactory, DayOffFactory, ScheduleFactory
    from tests.feedback.factories import AnnouncementFactory, SuggestionFactory, SurveyFactory
    from tests.imports.factories import ImportJobFactory
    from tests.marketing.factories import CampaignFactory, SegmentFactory
    from tests.projects.factories import HourlyRateFactory, WorkflowTemplateFactory
    from tests.sales.factories import ProductFactory
    from tests.support.factories import ArticleFactory
    from tests.webforms.factories import WebFormFactory

    r: dict[str, Any] = {}
    r["product"] = ProductFactory(sku="MATRIX-1")
    r["rule"] = RuleFactory()
    r["webhook"] = WebhookEndpointFactory()
    r["workflow_template"] = WorkflowTemplateFactory()
    r["rate"] = HourlyRateFactory(user=manager)
    r["article"] = ArticleFactory()
    r["announcement"] = AnnouncementFactory()
    r["suggestion"] = SuggestionFactory()
    r["survey"] = SurveyFactory()
    r["segment"] = SegmentFactory()
    r["campaign"] = CampaignFactory()
    r["webform"] = WebFormFactory(owner=manager, created_by=manager)
    schedule = ScheduleFactory(user=manager)
    r["booking_page"] = BookingPageFactory(schedule=schedule, slug="matrix-consultation")
    r["day_off"] = DayOffFactory(
        schedule=schedule, starts_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    r["import_job"] = ImportJobFactory(created_by=manager)
    return r


def build_world() -> World:
    from tests.accounts.factories import TeamFactory, UserFactory

    world = World()
    team_a, team_b = TeamFactory(name="Matrix A"), TeamFactory(name="Matrix B")
    for role in Role:
        world.users[role.value] = UserFactory(
            username=f"matrix-{role.value}", role=role, team=team_a
        )
    owner_b = UserFactory(username="matrix-sales-b", role=Role.SALES, team=team_b)
    world.a = _team_records(world.users[Role.SALES], "1")
    world.b = _team_records(owner_b, "2")
    shared = _shared_records(world.users[Role.MANAGER])
    world.a.update(shared, owner=world.users[Role.SALES])
    world.b.update(shared, owner=owner_b)
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        world.tokens[role] = issue_token(user=user, name="matrix").secret
    return world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Any:
    """The world, created once per module inside a transaction that is rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        # Thousands of 403s and 404s, each logged with its traceback, cost a third of the time.
        requests_log = logging.getLogger("django.request")
        level = requests_log.level
        requests_log.setLevel(logging.ERROR)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            requests_log.setLevel(level)


# --- routes ------------------------------------------------------------------------------

# Placeholders for a kwarg no record fills (a token that is signed, not stored; a kind of record
# the world does not make): the request still runs, and "does not exist" is a fine answer.
MISSING = {
    "int": "999999",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "str": "missing",
    "slug": "missing",
    "path": "missing",
}

# A URL kwarg other than ``pk`` names its record kind; so does the literal path segment before
# a ``pk`` ("orders/<int:pk>/" is an order). Unknown names get a MISSING placeholder.
KWARG_KINDS = {
    "contact_id": "contact",
    "contact_pk": "contact",
    "company_id": "company",
    "interaction_id": "interaction",
    "activity_id": "activity",
    "product_id": "product",
    "order_id": "order",
    "order_uuid": "order",
    "deal_id": "deal",
    "rule_id": "rule",
    "project_id": "project",
    "project_pk": "project",
    "project_uuid": "project",
    "task_id": "task",
    "other_pk": "other_task",
    "depends_on_id": "other_task",
    "item_pk": "checklist",
    "item_id": "checklist",
    "template_id": "workflow_template",
    "entry_id": "time_entry",
    "rate_id": "rate",
    "user_id": "user",
    "invoice_id": "invoice",
    "invoice_uuid": "invoice",
    "line_pk": "invoice_line",
    "ticket_id": "ticket",
    "ticket_uuid": "ticket",
    "article_uuid": "article",
    "suggestion_id": "suggestion",
    "survey_id": "survey",
    "form_uuid": "webform",
    "segment_id": "segment",
    "campaign_id": "campaign",
    "job_id": "import_job",
    "slug": "booking_page",
}
SEGMENT_KINDS = {
    "contact": "contact",
    "contacts": "contact",
    "company": "company",
    "companies": "company",
    "interactions": "interaction",
    "activities": "activity",
    "tokens": "api_token",
    "products": "product",
    "orders": "order",
    "deals": "deal",
    "rules": "rule",
    "webhooks": "webhook",
    "tasks": "task",
    "templates": "workflow_template",
    "projects": "project",
    "time": "time_entry",
    "rates": "rate",
    "invoices": "invoice",
    "tickets": "ticket",
    "articles": "article",
    "ideas": "suggestion",
    "news": "announcement",
    "surveys": "survey",
    "days-off": "day_off",
    "pages": "booking_page",
    "segments": "segment",
    "campaigns": "campaign",
    "imports": "import_job",
    "webforms": "webform",
    "f": "webform",
}
# Plain string kwargs whose valid values are a fixed vocabulary, not a record.
VOCABULARY = {
    ("contacts:pick", "kind"): "contact",
    ("contacts", "kind"): "phone",
    ("contacts", "key"): "invoices",
    ("reports", "key"): "tasks",
    ("reports", "fmt"): "csv",
    ("support", "language"): "en",
    ("api", "key"): "tasks",
}
# Kinds that are a team's own: team B's one must not be shown to team A below "sees all".
TEAM_KINDS = frozenset(
    {
        "contact",
        "company",
        "interaction",
        "activity",
        "order",
        "deal",
        "project",
        "task",
        "other_task",
        "checklist",
        "time_entry",
        "invoice",
        "invoice_line",
        "ticket",
    }
)

CONVERTER_RE = r"<(?:(?P<conv>[a-z_]+):)?(?P<name>\w+)>"


@dataclass(frozen=True)
class Route:
    """One URL pattern: ``route`` with converters, its ``name`` (namespace:name) and kwargs."""

    route: str
    name: str
    kwargs: tuple[tuple[str, str], ...]  # (kwarg, converter)

    @property
    def namespace(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else ""

    def kind_of(self, kwarg: str) -> str | None:
        """The record kind a kwarg stands for, or None when nothing in the world fills it."""
        if kwarg in KWARG_KINDS:
            return KWARG_KINDS[kwarg]
        if kwarg in ("pk", "uuid"):
            before = self.route.split(f":{kwarg}>", 1)[0].rsplit("<", 1)[0].strip("/")
            segment = before.rsplit("/", 1)[-1]
            return SEGMENT_KINDS.get(segment)
        return None

    def fill(self, records: dict[str, Any], users: dict[str, User]) -> tuple[str, set[str]]:
        """The path with every kwarg filled from ``records``, and the kinds it used."""
        import re

        kinds: set[str] = set()

        def value(match: re.Match[str]) -> str:
            conv, kwarg = match.group("conv") or "str", match.group("name")
            for scope in (self.name, self.namespace):
                if (scope, kwarg) in VOCABULARY:
                    return VOCABULARY[(scope, kwarg)]
            kind = self.kind_of(kwarg)
            record = records.get(kind) if kind else None
            if kind == "user":
                record = records["owner"]
            elif kind == "api_token":
                record = users[Role.SALES].api_tokens.first()
            if record is None:
                return MISSING.get(conv, "missing")
            if kind is not None:
                kinds.add(kind)
            if conv == "uuid":
                return str(record.uuid)
            if conv in ("slug", "str") and hasattr(record, "slug"):
                return str(record.slug)
            return str(record.pk)

        return "/" + re.sub(CONVERTER_RE, value, self.route), kinds


def web_routes() -> list[Route]:
    """Every web URL pattern, walked from the root resolver; admin, static and API skipped."""
    import re

    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(("admin/", "api/", "static/", "media/")):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, route, inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or route)
                kwargs = tuple(
                    (m.group("name"), m.group("conv") or "str")
                    for m in re.finditer(CONVERTER_RE, route)
                )
                found.append(Route(route=route, name=name, kwargs=kwargs))

    walk(get_resolver(), "", "")
    # The same route twice (set_language: ours ahead of Django's) is reached as the first.
    unique: dict[str, Route] = {}
    for route in found:
        unique.setdefault(route.route, route)
    return list(unique.values())


# --- requests ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str = ""
    error: str = ""

    def __str__(self) -> str:
        if self.error:
            return f"raised {self.error}"
        return f"{self.status} {self.location}".strip()


@functools.cache
def _client() -> Client:
    # One client for all requests: a new one loads the middleware chain again (a few ms).
    return Client()


def call(
    method: str,
    path: str,
    *,
    session: str | None = None,
    token: str | None = None,
    api: bool = False,
) -> Outcome:
    """One request with an empty body, in a savepoint rolled back afterwards; never raises."""
    client = _client()
    client.cookies.clear()
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    send = getattr(client, method.lower())
    try:
        with transaction.atomic():
            if api and method != "GET":
                response = send(path, data="{}", content_type="application/json", headers=headers)
            else:
                response = send(path, headers=headers)
            transaction.set_rollback(True)
    except Exception as error:  # a 500: say what raised
        return Outcome(status=500, error=f"{type(error).__name__}: {error}"[:300])
    return Outcome(status=response.status_code, location=response.get("Location", ""))
