"""What an API token may reach: its scope (read or write) and its API areas."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.accounts.models import ApiToken, TokenScope

API_PREFIX = "/api/v1/"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The first path segment after /api/v1/ → the area a token can be limited to. A segment not
# listed here is its own area, which no limited token includes: a new router stays closed to
# limited tokens until it is added here.
AREA_OF_SEGMENT: dict[str, str] = {
    "contacts": "contacts",
    "companies": "contacts",
    "interactions": "activities",
    "activities": "activities",
    "products": "sales",
    "orders": "sales",
    "deals": "sales",
    "insight": "sales",
    "messaging": "messaging",
    "automation": "automation",
    "projects": "projects",
    "tasks": "projects",
    "workflow-templates": "projects",
    "time-entries": "projects",
    "timer": "projects",
    "rates": "projects",
    "workload": "projects",
    "risks": "projects",
    "invoices": "billing",
    "receivables": "billing",
    "tax-rates": "billing",
    "support": "support",
    "feedback": "feedback",
    "webforms": "webforms",
    "booking": "booking",
    "marketing": "marketing",
    "analytics": "analytics",
    "imports": "imports",
    "reports": "reports",
    "audit": "audit",
    "consent": "consent",
    "privacy": "privacy",
}

AREA_LABELS = {
    "contacts": gettext_lazy("Contacts and companies"),
    "activities": gettext_lazy("Activities and interactions"),
    "sales": gettext_lazy("Products, orders and deals"),
    "messaging": gettext_lazy("Messaging"),
    "automation": gettext_lazy("Automation"),
    "projects": gettext_lazy("Projects, tasks and time"),
    "billing": gettext_lazy("Invoices and receivables"),
    "support": gettext_lazy("Support tickets"),
    "feedback": gettext_lazy("Feedback"),
    "webforms": gettext_lazy("Web forms"),
    "booking": gettext_lazy("Booking"),
    "marketing": gettext_lazy("Marketing"),
    "analytics": gettext_lazy("Analytics"),
    "imports": gettext_lazy("Imports"),
    "reports": gettext_lazy("Reports"),
    "audit": gettext_lazy("Audit log"),
    "consent": gettext_lazy("Consent"),
    "privacy": gettext_lazy("Privacy requests"),
}
API_AREAS: tuple[str, ...] = tuple(AREA_LABELS)


def area_for_path(path: str) -> str:
    """The API area of a request path such as /api/v1/contacts/12 ("contacts")."""
    rest = path.removeprefix(API_PREFIX) if path.startswith(API_PREFIX) else path.lstrip("/")
    segment = rest.split("/", 1)[0]
    return AREA_OF_SEGMENT.get(segment, segment)


def token_refusal(token: ApiToken, *, method: str, path: str) -> tuple[int, str] | None:
    """(status, detail) when the token may not make this call, else None."""
    now = timezone.now()
    if token.expires_at is not None and token.is_expired(now):
        expired = formats.date_format(timezone.localtime(token.expires_at), "SHORT_DATETIME_FORMAT")
        return 401, _(
            "This API token expired on %(date)s. Create a new one on your profile page."
        ) % {"date": expired}
    if token.scope == TokenScope.READ and method.upper() not in READ_METHODS:
        return 403, _("This API token is read-only; it cannot change data. Use a read-write token.")
    area = area_for_path(path)
    if token.apps and area not in token.apps:
        return 403, _("This API token may only reach %(areas)s, not “%(area)s”.") % {
            "areas": ", ".join(token.apps),
            "area": area,
        }
    return None
