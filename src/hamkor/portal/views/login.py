"""Asking for a one-time code, typing it in, logging out, and the language switch."""

from __future__ import annotations

import logging
import math
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from hamkor.portal.errors import CodeRequestThrottled, LoginCodeRejected
from hamkor.portal.forms import CodeForm, CodeRequestForm
from hamkor.portal.services import (
    CODE_LIFETIME,
    LoginAddress,
    request_login_code,
    set_portal_language,
    verify_login_code,
)
from hamkor.portal.session import get_portal_contact, log_in_contact, log_out_contact
from hamkor.portal.views.common import client_ip, safe_next

logger = logging.getLogger(__name__)

# The address a code was asked for, kept in the session between the two steps.
PENDING_KEY = "portal_login_pending"


def _pending(request: HttpRequest) -> LoginAddress | None:
    value = request.session.get(PENDING_KEY)
    if not isinstance(value, dict):
        return None
    return LoginAddress(channel=str(value["channel"]), address=str(value["address"]))


def _verify_url(next_url: str) -> str:
    return f"{reverse('portal:verify')}?{urlencode({'next': next_url})}"


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Step 1: the customer types their email or phone; the answer never says if it is known."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and get_portal_contact(request) is not None:
        return redirect(next_url)
    form = CodeRequestForm(request.POST or None, initial={"next": next_url})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                request_login_code(address=form.login_address, client_ip=client_ip(request))
            except CodeRequestThrottled as error:
                minutes = max(1, math.ceil(error.retry_after_seconds / 60))
                form.add_error(
                    "address",
                    ngettext(
                        "Too many codes were asked for lately. Try again in %(count)s minute.",
                        "Too many codes were asked for lately. Try again in %(count)s minutes.",
                        minutes,
                    )
                    % {"count": minutes},
                )
                status = 429
            else:
                request.session[PENDING_KEY] = {
                    "channel": form.login_address.channel,
                    "address": form.login_address.address,
                }
                return redirect(_verify_url(next_url))
    return render(request, "portal/login.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the customer types the code; right and live, they are logged in."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    pending = _pending(request)
    if pending is None:
        return redirect(f"{reverse('portal:login')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None, initial={"next": next_url})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                contact = verify_login_code(address=pending, code=form.cleaned_data["code"])
            except LoginCodeRejected as error:
                form.add_error("code", error.message)
            else:
                log_in_contact(request, contact)
                request.session.pop(PENDING_KEY, None)
                return redirect(next_url)
    context = {
        "form": form,
        "pending": pending,
        "next_url": next_url,
        "code_minutes": int(CODE_LIFETIME.total_seconds() // 60),
    }
    return render(request, "portal/verify.html", context, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the customer's portal session."""
    log_out_contact(request)
    messages.info(request, _("You are logged out of the portal."))
    return redirect("portal:login")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a logged-in customer's choice is also saved on their record."""
    language = request.POST.get("language", "")
    contact = get_portal_contact(request)
    if contact is not None and language in dict(settings.LANGUAGES):
        try:
            set_portal_language(contact=contact, language=language)
        except ValidationError:
            # The record has a value staff must fix; the cookie still switches this browser.
            logger.warning("portal language not saved", extra={"contact_id": contact.pk})
    # Django's view sets the cookie (the language before login); the way back stays in the
    # portal rather than falling back to the staff home page.
    response = django_set_language(request)
    response["Location"] = safe_next(request, request.POST.get("next"))
    return response
