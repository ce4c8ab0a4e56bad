"""The customer's side: my requests, a new request with suggested articles, one request's
public thread and reply, the help centre, and the CSAT answer page (signed link, no login).

Every read is scoped to ``request.portal_contact``; another customer's UUID answers 404.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.contacts.models import Contact
from hamkor.core.downloads import attachment_response
from hamkor.portal.session import portal_login_required
from hamkor.support.forms import CsatForm, PortalReplyForm, PortalTicketForm
from hamkor.support.models import Article, Ticket, TicketAttachment, TicketChannel, TicketStatus
from hamkor.support.selectors.kb import (
    get_published_article,
    list_published,
    search_articles,
    suggest_articles,
)
from hamkor.support.selectors.tickets import (
    get_customer_attachment,
    get_customer_ticket,
    list_customer_tickets,
)
from hamkor.support.services import add_customer_reply, create_ticket
from hamkor.support.services.csat import answer_satisfaction, ticket_uuid_from_token
from hamkor.support.views.common import apply_errors


def _contact(request: HttpRequest) -> Contact:
    return cast(Contact, request.portal_contact)  # type: ignore[attr-defined]


def _language(request: HttpRequest) -> str:
    return translation.get_language() or _contact(request).language


def _ticket(request: HttpRequest, ticket_uuid: uuid.UUID) -> Ticket:
    try:
        return get_customer_ticket(contact=_contact(request), ticket_uuid=ticket_uuid)
    except Ticket.DoesNotExist:
        raise Http404 from None


def _uploads(form: Any) -> list[Any]:
    return [form.cleaned_data["file"]] if form.cleaned_data.get("file") else []


@portal_login_required
@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = list_customer_tickets(contact=_contact(request))[:200]
    return render(
        request,
        "support/portal/ticket_list.html",
        {"tickets": tickets, "portal_section": "tickets"},
    )


@portal_login_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    form = PortalTicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = create_ticket(
                contact=_contact(request),
                subject=data["subject"],
                body=data["body"],
                actor=None,
                type=data["type"],
                channel=TicketChannel.PORTAL,
                uploads=_uploads(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your request #%(number)s is with us.") % {"number": ticket.pk},
            )
            return redirect("support_portal:ticket_detail", ticket_uuid=ticket.uuid)
    subject = str(form.data.get("subject", "")) if form.is_bound else ""
    context = {
        "form": form,
        "suggestions": suggest_articles(subject=subject, language=_language(request))
        if subject
        else [],
        "portal_section": "tickets",
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "support/portal/ticket_new.html", context, status=status)


@portal_login_required
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """Articles that may answer the subject being typed (htmx, as-you-type)."""
    subject = request.GET.get("subject", "")[:200]
    hits = suggest_articles(subject=subject, language=_language(request)) if subject.strip() else []
    return render(request, "support/portal/_suggestions.html", {"suggestions": hits})


@portal_login_required
@require_GET
def ticket_detail(request: HttpRequest, ticket_uuid: uuid.UUID) -> HttpResponse:
    ticket = _ticket(request, ticket_uuid)
    return render(request, "support/portal/ticket_detail.html", _detail_context(ticket))


def _detail_context(ticket: Ticket, form: PortalReplyForm | None = None) -> dict[str, Any]:
    return {
        "ticket": ticket,
        "thread": list(ticket.messages.all()),
        "form": form or PortalReplyForm(),
        "can_reply": ticket.status != TicketStatus.CLOSED,
        "portal_section": "tickets",
    }


@portal_login_required
@require_POST
def ticket_reply(request: HttpRequest, ticket_uuid: uuid.UUID) -> HttpResponse:
    ticket = _ticket(request, ticket_uuid)
    form = PortalReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_customer_reply(
                ticket=ticket,
                contact=_contact(request),
                body=form.cleaned_data["body"],
                uploads=_uploads(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you, we have your reply."))
            return redirect("support_portal:ticket_detail", ticket_uuid=ticket.uuid)
    context = _detail_context(_ticket(request, ticket_uuid), form)
    return render(request, "support/portal/ticket_detail.html", context, status=422)


# portal_login_required is typed for HttpResponse; a FileResponse is a streaming response.
@portal_login_required  # type: ignore[arg-type]
@require_GET
def attachment(request: HttpRequest, attachment_uuid: uuid.UUID) -> FileResponse:
    try:
        found = get_customer_attachment(contact=_contact(request), attachment_uuid=attachment_uuid)
    except TicketAttachment.DoesNotExist:
        raise Http404 from None
    return attachment_response(found)


@portal_login_required
@require_GET
def help_centre(request: HttpRequest) -> HttpResponse:
    """Published articles in the customer's language; ``q`` searches them."""
    q = request.GET.get("q", "")[:100].strip()
    language = _language(request)
    hits = (
        search_articles(q=q, language=language, published_only=True, limit=30)
        if q
        else list_published(language=language)
    )
    return render(
        request, "support/portal/help.html", {"hits": hits, "q": q, "portal_section": "help"}
    )


@portal_login_required
@require_GET
def article(request: HttpRequest, article_uuid: uuid.UUID) -> HttpResponse:
    try:
        hit = get_published_article(article_uuid=article_uuid, language=_language(request))
    except Article.DoesNotExist:
        raise Http404 from None
    return render(request, "support/portal/article.html", {"hit": hit, "portal_section": "help"})


@require_http_methods(["GET", "POST"])
def csat(request: HttpRequest, token: str) -> HttpResponse:
    """Rate a resolved request from 1 to 5, from the link in the message (no login)."""
    ticket_uuid = ticket_uuid_from_token(token)
    if ticket_uuid is None:
        raise Http404
    ticket = Ticket.objects.filter(uuid=ticket_uuid).select_related("contact").first()
    if ticket is None:
        raise Http404
    with translation.override(ticket.contact.language):
        existing = getattr(ticket, "satisfaction", None)
        initial = {"score": existing.score, "comment": existing.comment} if existing else {}
        form = CsatForm(request.POST or None, initial=initial)
        done = False
        if request.method == "POST" and form.is_valid():
            try:
                answer_satisfaction(
                    ticket=ticket,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                done = True
        status = 422 if request.method == "POST" and not done else 200
        return render(
            request,
            "support/portal/csat.html",
            {"ticket": ticket, "form": form, "done": done, "answered": existing is not None},
            status=status,
        )
