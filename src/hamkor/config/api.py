"""REST API v1: one NinjaAPI, bearer-token auth, JSON errors with a `detail`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from hamkor.accounts.api_access import token_refusal
from hamkor.accounts.middleware import API_TOKEN_ATTRIBUTE
from hamkor.accounts.models import User
from hamkor.accounts.services import resolve_token


class BearerToken(HttpBearer):
    """The token's user, if the token is live and its scope and areas allow this call.

    The token is left on the request for the API call log (accounts.middleware).
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = resolve_token(token)
        if api_token is None:
            return None
        setattr(request, API_TOKEN_ATTRIBUTE, api_token)
        refusal = token_refusal(api_token, method=request.method or "", path=request.path)
        if refusal is not None:
            status, detail = refusal
            raise HttpError(status, detail)
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="Hamkor API",
    version="1",
    description="Customers, their timeline and more. Send `Authorization: Bearer <token>`; "
    "create tokens on your profile page or with `hamkor token create USERNAME`.",
    auth=BearerToken(),
    urls_namespace="api",
)


def _messages(error: ValidationError) -> dict[str, list[str]] | list[str]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return [str(m) for m in error.messages]


@api.exception_handler(ValidationError)
def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = _messages(exc)
    if isinstance(messages, dict):
        detail = "; ".join(
            f"{field}: {' '.join(items)}" if field != "__all__" else " ".join(items)
            for field, items in messages.items()
        )
    else:
        detail = " ".join(messages)
    return api.create_response(request, {"detail": detail, "errors": messages}, status=422)


@api.exception_handler(NinjaValidationError)
def schema_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    parts = []
    for error in exc.errors:
        location = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload"))
        # Our own validators' messages are whole sentences; pydantic's prefix adds nothing.
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return api.create_response(
        request,
        {"detail": "; ".join(parts) or _("Invalid input."), "errors": exc.errors},
        status=422,
    )


@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(Http404)
def http_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(IntegrityError)
def conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("This change conflicts with existing data.")}, status=409
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises 400 when the body cannot be parsed; say so in the caller's language. Our own
    # 400s already carry a translated message and keep it.
    unparsable = exc.status_code == 400 and str(exc).startswith("Cannot parse request body")
    detail = _("The request body is not valid JSON.") if unparsable else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Send a valid API token: Authorization: Bearer <token>.")}, status=401
    )


def _register_routers() -> None:
    from hamkor.activities.api import router as interactions_router
    from hamkor.contacts.api import companies_router, contacts_router

    api.add_router("/contacts", contacts_router)
    api.add_router("/companies", companies_router)
    api.add_router("/interactions", interactions_router)
    from hamkor.activities.api import activities_router

    api.add_router("/activities", activities_router)
    from hamkor.sales.api import deals_router, insight_router, orders_router, products_router

    api.add_router("/products", products_router)
    api.add_router("/orders", orders_router)
    api.add_router("/deals", deals_router)
    api.add_router("/insight", insight_router)
    from hamkor.automation.api import router as automation_router
    from hamkor.messaging.api import router as messaging_router

    api.add_router("/messaging", messaging_router)
    api.add_router("/automation", automation_router)
    from hamkor.projects.api import projects_router, tasks_router, workflow_templates_router

    api.add_router("/projects", projects_router)
    api.add_router("/tasks", tasks_router)
    api.add_router("/workflow-templates", workflow_templates_router)
    from hamkor.projects.api.time import rates_router, time_entries_router, timer_router
    from hamkor.projects.api.workload import risks_router, workload_router

    api.add_router("/time-entries", time_entries_router)
    api.add_router("/timer", timer_router)
    api.add_router("/rates", rates_router)
    api.add_router("/workload", workload_router)
    api.add_router("/risks", risks_router)
    from hamkor.billing.api import invoices_router, receivables_router, tax_rates_router

    api.add_router("/invoices", invoices_router)
    api.add_router("/receivables", receivables_router)
    api.add_router("/tax-rates", tax_rates_router)
    from hamkor.overview.api import company_overview_router, contact_overview_router

    # Same prefixes as the contacts routers: /contacts/{id}/overview, /companies/{id}/overview.
    api.add_router("/contacts", contact_overview_router)
    api.add_router("/companies", company_overview_router)
    from hamkor.booking.api import router as booking_router
    from hamkor.feedback.api import router as feedback_router
    from hamkor.support.api import router as support_router
    from hamkor.webforms.api import router as webforms_router

    api.add_router("/support", support_router)
    api.add_router("/feedback", feedback_router)
    api.add_router("/webforms", webforms_router)
    api.add_router("/booking", booking_router)
    from hamkor.analytics.api import router as analytics_router
    from hamkor.imports.api import router as imports_router
    from hamkor.marketing.api import router as marketing_router
    from hamkor.reports.api import router as reports_router

    api.add_router("/marketing", marketing_router)
    api.add_router("/analytics", analytics_router)
    api.add_router("/imports", imports_router)
    api.add_router("/reports", reports_router)
    from hamkor.audit.api import router as audit_router
    from hamkor.consent.api import router as consent_router
    from hamkor.privacy.api import router as privacy_router

    api.add_router("/audit", audit_router)
    api.add_router("/consent", consent_router)
    api.add_router("/privacy", privacy_router)


_register_routers()

__all__: list[Any] = ["api"]
