"""The public endpoint a company website posts to: /f/<uuid>/ (no login, no CSRF, CORS).

Order of checks, cheapest first: the form (cached for a few seconds per process), body size
(413, before the body is read), unknown form (404), the Origin against the form's allowed
origins (403), the per-IP rate limit (429), the honeypot, the fields (400).
Answers JSON when the caller asks for it (Accept: application/json, as embed.js does),
otherwise HTML: the thank-you page (or the form's redirect) and the form again with errors.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from hamkor.webforms.models import WebForm
from hamkor.webforms.selectors import get_public_form
from hamkor.webforms.services import (
    HONEYPOT_FIELD,
    MAX_BODY_BYTES,
    UTM_KEYS,
    clean_submission,
    hit_rate_limit,
    store_submission,
)
from hamkor.webforms.views.rendering import public_fields


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept or request.content_type == "application/json"


def _origin_allowed(form: WebForm, origin: str) -> bool:
    allowed = form.origins
    return not allowed or not origin or origin.rstrip("/") in allowed


def _cors(response: HttpResponse, form: WebForm | None, origin: str) -> HttpResponse:
    patch_vary_headers(response, ["Origin"])
    if form is not None and origin and _origin_allowed(form, origin):
        response.headers["Access-Control-Allow-Origin"] = origin
    return response


def _error(
    request: HttpRequest,
    form: WebForm | None,
    status: int,
    message: str,
    errors: Mapping[str, list[str]] | None = None,
    values: Mapping[str, Any] | None = None,
) -> HttpResponse:
    origin = request.headers.get("Origin", "")
    if _wants_json(request):
        payload: dict[str, Any] = {"ok": False, "detail": message}
        if errors:
            payload["errors"] = dict(errors)
        return _cors(JsonResponse(payload, status=status), form, origin)
    context = {
        "form": form,
        "message": message,
        "errors": errors or {},
        "rows": public_fields(form, values or {}, errors or {}) if form is not None else [],
        "values": values or {},
        "honeypot": HONEYPOT_FIELD,
        "utm_keys": UTM_KEYS,
    }
    response = render(request, "webforms/public_form.html", context, status=status)
    return _cors(response, form, origin)


def _client_ip(request: HttpRequest) -> str:
    # Behind a reverse proxy this is the proxy's address unless it sets REMOTE_ADDR (e.g.
    # gunicorn --forwarded-allow-ips with a proxy that sends X-Forwarded-For).
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _read_post(request: HttpRequest) -> dict[str, str]:
    if request.content_type == "application/json":
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError("not an object")
        return {str(k): "" if v is None else str(v) for k, v in body.items()}
    return {key: request.POST.get(key, "") for key in request.POST}


def _preflight(request: HttpRequest, form: WebForm | None) -> HttpResponse:
    origin = request.headers.get("Origin", "")
    response = HttpResponse(status=204)
    if form is None or not _origin_allowed(form, origin):
        response.status_code = 403
        patch_vary_headers(response, ["Origin"])
        return response
    _cors(response, form, origin)
    response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > MAX_BODY_BYTES


def _success(request: HttpRequest, form: WebForm) -> HttpResponse:
    origin = request.headers.get("Origin", "")
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {"ok": True, "message": form.thank_you_text, "redirect": form.redirect_url}, status=201
        )
    elif form.redirect_url:
        response = HttpResponseRedirect(form.redirect_url, status=303)
    else:
        response = render(request, "webforms/thanks.html", {"form": form})
    return _cors(response, form, origin)


@csrf_exempt
def submit(request: HttpRequest, uuid: str) -> HttpResponse:
    """GET shows the hosted form; POST takes a submission; OPTIONS answers CORS preflight."""
    if request.method not in ("GET", "POST", "OPTIONS", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST, OPTIONS"})
    form = get_public_form(uuid=uuid)
    if request.method == "POST" and _too_big(request):
        # Checked before anything reads the body; with CORS headers, so the script can say so.
        message = _("The form sent is too large (at most %(size)s KB).") % {
            "size": MAX_BODY_BYTES // 1024
        }
        return _error(request, form, 413, message)
    if request.method == "OPTIONS":
        return _preflight(request, form)
    if form is None:
        if request.method == "POST":
            return _error(request, None, 404, _("This form does not exist or is switched off."))
        raise Http404
    if request.method in ("GET", "HEAD"):
        return _error(request, form, 200, "")
    origin = request.headers.get("Origin", "")
    if not _origin_allowed(form, origin):
        return _error(request, form, 403, _("This website may not post to this form."))
    if hit_rate_limit(key=f"{form.pk}:{_client_ip(request)}", limit=form.rate_limit):
        response = _error(
            request, form, 429, _("Too many forms sent from your address; try again in a minute.")
        )
        response.headers["Retry-After"] = "60"
        return response
    try:
        post = _read_post(request)
    except ValueError:
        return _error(request, form, 400, _("The request body is not valid JSON."))
    try:
        clean = clean_submission(form=form, post=post, referer=request.headers.get("Referer", ""))
    except ValidationError as error:
        return _error(
            request,
            form,
            400,
            _("Please correct the fields marked below."),
            errors=error.message_dict,
            values=post,
        )
    if not clean.is_spam:
        store_submission(form=form, clean=clean, ip=_client_ip(request) or None)
    # A bot that filled the honeypot sees the same success as a person: it learns nothing.
    return _success(request, form)
