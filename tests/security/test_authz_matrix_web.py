"""Every web page × every role, generated from the URL conf (see docs/testing-security.md).

For each route the expectations below say who may use it. The test asks as anonymous and as
a user of each role (all in team A), by GET and by POST with an empty body, then asks for team
B's records as each role that does not see every team. A route no rule classifies fails: add
it to RULES (or its app's namespace to NAMESPACE_DEFAULTS) when you add a page.
"""

from __future__ import annotations

import fnmatch
import warnings
from dataclasses import dataclass

import pytest
from django.conf import settings

from hamkor.accounts.models import Role
from tests.security.conftest import MISSING, TEAM_KINDS, Outcome, Route, call, web_routes

ALL = frozenset(Role.values)
MANAGERS = frozenset({Role.ADMIN, Role.MANAGER})
SUPPORT_MANAGERS = MANAGERS | {Role.SUPPORT}  # feedback.services.common.MANAGER_ROLES
BILLING = MANAGERS | {Role.FINANCE}  # billing.permissions.BILLING_ROLES
BILLING_READ = BILLING | {Role.SALES}  # ... plus READ_ROLES
# The world's owner of team A's records is the sales user: pages of one person's own things
# (time entries, booking hours) are theirs and the managers'.
OWNER_OR_MANAGERS = MANAGERS | {Role.SALES}


@dataclass(frozen=True)
class Access:
    """Who may GET and who may POST; ``public``: no sign-in; ``portal``: customers only."""

    get: frozenset[str] = ALL
    post: frozenset[str] | None = None  # None: the same as get
    public: bool = False
    portal: bool = False
    # New apps still taking shape: only "signed in, never a 500" is checked, not the roles.
    loose: bool = False

    @property
    def posters(self) -> frozenset[str]:
        return self.get if self.post is None else self.post


STAFF = Access()
LOOSE = Access(loose=True)
PUBLIC = Access(public=True)
PORTAL = Access(portal=True)

# First match wins; patterns are fnmatch'ed against "namespace:name".
RULES: list[tuple[str, Access]] = [
    # Public: the sign-in pages, machine webhooks, links mailed to customers (signed tokens).
    ("login", PUBLIC),
    ("logout", PUBLIC),
    ("set_language", PUBLIC),
    ("activities:calendar_feed", PUBLIC),
    ("billing:public_pdf", PUBLIC),
    ("marketing:unsubscribe", PUBLIC),
    ("messaging:sms_*", PUBLIC),
    ("messaging:telegram_webhook", PUBLIC),
    ("portal:login", PUBLIC),
    ("portal:verify", PUBLIC),
    ("portal:logout", PUBLIC),
    ("portal:set_language", PUBLIC),
    ("support_portal:csat", PUBLIC),
    ("feedback_portal:survey_answer", PUBLIC),
    ("feedback_portal:home", PUBLIC),  # a redirect to the news page, which asks for sign-in
    ("webforms_public:*", PUBLIC),
    ("booking_public:*", PUBLIC),
    ("portal:*", PORTAL),
    ("support_portal:*", PORTAL),
    ("feedback_portal:*", PORTAL),
    # The catalogue is read by all, changed by managers (sales.services.products).
    ("sales:product_list", STAFF),
    ("sales:product_*", Access(get=MANAGERS)),
    # Rules and webhooks: all may look, managers change (automation.services.rules).
    ("automation:rule_list", STAFF),
    ("automation:rule_detail", STAFF),
    ("automation:trigger_fields", STAFF),
    ("automation:condition_row", STAFF),
    ("automation:action_row", STAFF),
    ("automation:webhook_list", Access(post=MANAGERS)),
    ("automation:webhook_detail", Access(post=MANAGERS)),
    ("automation:*", Access(get=MANAGERS)),
    ("projects:template_list", STAFF),
    ("projects:template_*", Access(get=MANAGERS)),
    ("projects:time_edit", Access(get=OWNER_OR_MANAGERS)),
    ("projects:time_delete", Access(get=OWNER_OR_MANAGERS)),
    ("projects:rates", Access(post=MANAGERS)),
    ("projects:rate_delete", Access(get=MANAGERS)),
    ("projects:capacity", Access(get=MANAGERS)),
    ("projects:risks", Access(get=MANAGERS)),
    # Invoices: finance and managers change; sales read their customers' (billing.permissions).
    ("billing:invoice_new", Access(get=BILLING)),
    ("billing:invoice_preview", Access(get=BILLING)),
    ("billing:free_line_row", Access(get=BILLING)),
    ("billing:invoice_list", Access(get=BILLING_READ)),
    ("billing:invoice_detail", Access(get=BILLING_READ)),
    ("billing:invoice_pdf", Access(get=BILLING_READ)),
    ("billing:ageing", Access(get=BILLING_READ)),
    ("billing:*", Access(get=BILLING)),
    # Help articles and SLA settings: support staff and managers (support.views.common).
    ("support:article_list", STAFF),
    ("support:article_detail", Access(post=SUPPORT_MANAGERS)),
    ("support:article_*", Access(get=SUPPORT_MANAGERS)),
    ("support:version_edit", Access(get=SUPPORT_MANAGERS)),
    ("support:category_new", Access(get=SUPPORT_MANAGERS)),
    ("support:sla_settings", Access(get=SUPPORT_MANAGERS)),
    ("feedback:index", STAFF),
    ("feedback:*_list", STAFF),
    ("feedback:announcement_detail", STAFF),
    ("feedback:survey_detail", STAFF),
    ("feedback:suggestion_detail", Access(post=SUPPORT_MANAGERS)),
    ("feedback:*", Access(get=SUPPORT_MANAGERS)),
    ("webforms:*", Access(get=MANAGERS)),
    # Booking pages and days off belong to a person (the manager here); hours per staff member.
    ("booking:page_edit", Access(get=MANAGERS)),
    ("booking:delete_day_off", Access(get=MANAGERS)),
    ("booking:*_for", Access(get=OWNER_OR_MANAGERS)),
    ("marketing:index", STAFF),
    ("marketing:segment_count", STAFF),
    ("marketing:segment_detail", STAFF),
    ("marketing:campaign_list", STAFF),
    ("marketing:contact_campaign", STAFF),
    ("marketing:*", Access(get=MANAGERS)),
    ("analytics:*", Access(get=MANAGERS)),
    ("imports:*", Access(get=MANAGERS)),
    ("home", STAFF),
    # Profile and API tokens: one's own (the tokens here are the sales user's).
    ("accounts:profile", STAFF),
    ("accounts:token_create", STAFF),
    ("accounts:token_*", Access(get=frozenset({Role.SALES}))),
    ("accounts:two_factor_policy", Access(get=frozenset({Role.ADMIN}))),
    ("accounts:api_calls", Access(get=frozenset({Role.ADMIN}))),
    # One's own password and two-factor set-up (accounts.two_factor_views).
    ("accounts:password_change", STAFF),
    ("accounts:two_factor_*", STAFF),
    # The audit log is for administrators (audit.views); a record's history follows the
    # record's own visibility, which tests/audit checks per kind.
    ("audit:index", Access(get=frozenset({Role.ADMIN}))),
    ("audit:history", LOOSE),
    ("consent:contact", STAFF),
    # Data-subject requests and retention: administrators only (privacy.selectors).
    ("privacy:*", Access(get=frozenset({Role.ADMIN}))),
    # Everything else in these apps is for all staff, scoped to what each one sees.
    ("activities:*", STAFF),
    ("contacts:*", STAFF),
    ("overview:*", STAFF),
    ("sales:*", STAFF),
    ("messaging:*", STAFF),
    ("projects:*", STAFF),
    ("support:*", STAFF),
    ("booking:*", STAFF),
    ("reports:*", STAFF),
]
# A page no rule names falls back on its app's namespace: checked for sign-in, no 500 and
# team isolation only, until someone adds a rule for it (a warning lists them). A page of a
# namespace not listed here fails test_every_route_is_classified.
NAMESPACE_DEFAULTS: dict[str, Access] = {
    namespace: LOOSE
    for namespace in (
        "accounts",
        "activities",
        "contacts",
        "overview",
        "sales",
        "messaging",
        "automation",
        "projects",
        "billing",
        "support",
        "feedback",
        "webforms",
        "booking",
        "marketing",
        "analytics",
        "imports",
        "reports",
        # Issue 8's apps, being written now.
        "audit",
        "consent",
        "privacy",
        "backups",
    )
}
# Kinds a role sees in every team (beyond admins and managers, who see all).
SEES_ALL_OF = {
    "invoice": BILLING,
    "invoice_line": BILLING,
    "ticket": MANAGERS | {Role.SUPPORT},
}
# GETs that answer 404 to an allowed user for want of query parameters, not of rights.
NEEDS_QUERY = {"projects:timer_button"}

ROUTES = web_routes()


def access_for(route: Route) -> Access | None:
    for pattern, access in RULES:
        if fnmatch.fnmatchcase(route.name, pattern):
            return access
    return NAMESPACE_DEFAULTS.get(route.namespace)


def _is_login(outcome: Outcome) -> bool:
    return outcome.status == 302 and outcome.location.startswith("/login/?next=")


def _is_portal_login(outcome: Outcome) -> bool:
    return outcome.status == 302 and outcome.location.startswith("/portal/login/")


def _allowed(outcome: Outcome, *, method: str, route: Route, placeholder: bool) -> bool:
    if outcome.status in (401, 403, 500) or _is_login(outcome):
        return False
    if method == "GET" and outcome.status == 404:
        return placeholder or route.name in NEEDS_QUERY
    return True


def _ruled(route: Route) -> bool:
    return any(fnmatch.fnmatchcase(route.name, pattern) for pattern, _ in RULES)


def test_every_route_is_classified() -> None:
    defaulted = [r.name for r in ROUTES if not _ruled(r) and access_for(r) is not None]
    if defaulted:
        warnings.warn(
            "Checked by their namespace's loose default only; add RULES for them: "
            + ", ".join(defaulted),
            stacklevel=1,
        )
    unknown = [r.name for r in ROUTES if access_for(r) is None]
    assert not unknown, (
        "These URLs are in no rule of tests/security/test_authz_matrix_web.py: add them to "
        "RULES (or their app to NAMESPACE_DEFAULTS) saying which roles may use them: "
        + ", ".join(unknown)
    )


def test_the_matrix_reaches_every_app() -> None:
    """The walk found the URL conf (guards against a silently empty parametrization)."""
    namespaces = {r.namespace for r in ROUTES}
    assert {"contacts", "sales", "billing", "portal", "support"} <= namespaces


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_route_answers_each_role_as_its_rules_say(route: Route, world, db) -> None:
    access = access_for(route)
    if access is None:
        pytest.skip("unclassified: test_every_route_is_classified fails for it")
    path, kinds = route.fill(world.a, world.users)
    placeholder = any(v in path for v in MISSING.values())
    problems: list[str] = []
    # Methods the view takes at all, by what an administrator gets; a 405 for them is the
    # answer to everyone, checked once for anonymous below.
    by_admin = {m: call(m, path, session=world.sessions[Role.ADMIN]) for m in ("GET", "POST")}
    methods = [m for m, outcome in by_admin.items() if outcome.status != 405]

    for method in ("GET", "POST"):
        outcome = call(method, path)
        if outcome.status == 500:
            problems.append(f"anonymous {method}: {outcome}")
        elif access.public:
            if _is_login(outcome):
                problems.append(f"anonymous {method} of a public page: {outcome}")
        elif access.portal:
            if outcome.status != 405 and not _is_portal_login(outcome):
                problems.append(f"anonymous {method}: {outcome}, not the portal login")
        elif not _is_login(outcome):
            problems.append(f"anonymous {method}: {outcome}, not the login page")

    for method in methods:
        allowed_roles = access.get if method == "GET" else access.posters
        for role, session in world.sessions.items():
            if role == Role.ADMIN:
                outcome = by_admin[method]
            else:
                outcome = call(method, path, session=session)
            if outcome.status == 500:
                problems.append(f"{role} {method}: {outcome}")
            elif access.public or access.loose:
                continue
            elif access.portal:
                if not _is_portal_login(outcome):
                    problems.append(f"{role} {method} (staff, no portal session): {outcome}")
            elif role in allowed_roles:
                if not _allowed(outcome, method=method, route=route, placeholder=placeholder):
                    problems.append(f"{role} {method}: {outcome}, but the role is allowed")
            elif outcome.status not in (403, 404):
                problems.append(f"{role} {method}: {outcome}, but only {sorted(allowed_roles)} may")

    team_kinds = kinds & TEAM_KINDS
    if team_kinds and not access.public and not access.portal and methods:
        path_b, _ = route.fill(world.b, world.users)
        method = methods[0]
        seers = frozenset.intersection(*(SEES_ALL_OF.get(kind, MANAGERS) for kind in team_kinds))
        for role, session in world.sessions.items():
            if role in seers:
                continue
            outcome = call(method, path_b, session=session)
            if outcome.status not in (403, 404):
                problems.append(f"{role} {method} of team B's {sorted(team_kinds)}: {outcome}")

    assert not problems, f"{route.name} ({path}):\n  " + "\n  ".join(problems)


def test_invoice_actions_refuse_read_only_sales_before_reading_the_form(world, db) -> None:
    """A sales user (read-only on invoices) gets 403 for an empty issue/line/payment form,
    not the form's errors: rights are checked before input."""
    invoice = world.a["invoice"]
    for action in ("issue", "lines/add", "pay"):
        outcome = call(
            "POST", f"/billing/invoices/{invoice.pk}/{action}/", session=world.sessions["sales"]
        )
        assert outcome.status == 403, (action, str(outcome))


def test_webhook_page_shows_its_secret_to_editors_only(world, db) -> None:
    from django.test import Client

    webhook = world.a["webhook"]
    pages = {}
    for role in (Role.MANAGER, Role.SALES):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        pages[role] = client.get(f"/automation/webhooks/{webhook.pk}/").content.decode()

    assert webhook.secret in pages[Role.MANAGER]
    assert webhook.secret not in pages[Role.SALES]
