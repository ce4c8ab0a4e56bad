"""The "Send message" panel on the contact card: choose, preview, send, see the status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.contacts.selectors import get_contact
from hamkor.core.panels import ContactPanel, register_panel
from hamkor.messaging.forms import SendMessageForm
from hamkor.messaging.models import OutboundMessage, Status
from hamkor.messaging.selectors import get_message, list_contact_messages
from hamkor.messaging.services.compose import compose, send_composed
from hamkor.messaging.services.outbox import retry_message

PANEL_TEMPLATE = "messaging/_panel.html"
RECENT = 5


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def _contact(request: AuthedRequest, pk: int, *, include_archived: bool = True) -> Contact:
    try:
        return get_contact(viewer=request.user, pk=pk, include_archived=include_archived)
    except Contact.DoesNotExist:
        raise Http404 from None


def panel_context(
    contact: Contact, viewer: User, form: SendMessageForm | None = None
) -> dict[str, Any]:
    """The form and the last few messages; the contacts view has checked visibility."""
    recent = list(list_contact_messages(viewer=viewer, contact=contact)[:RECENT])
    return {
        "contact": contact,
        "form": form or SendMessageForm(),
        "recent": recent,
        "retryable": (Status.FAILED, Status.UNKNOWN, Status.BLOCKED),
        "archived": contact.archived_at is not None,
    }


def _render_panel(
    request: AuthedRequest, contact: Contact, form: SendMessageForm, notice: str = ""
) -> HttpResponse:
    context = panel_context(contact, request.user, form)
    context["notice"] = notice
    return render(request, PANEL_TEMPLATE, {"panel": {"context": context}})


def _apply_errors(form: SendMessageForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, items in error.message_dict.items():
            form.add_error(field if field in form.fields else None, items)
    else:
        form.add_error(None, error.messages)


@login_required
@require_POST
def preview(request: AuthedRequest, contact_id: int) -> HttpResponse:
    """The personalised text, rendered in the contact's language (htmx fragment)."""
    contact = _contact(request, contact_id)
    form = SendMessageForm(request.POST)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        try:
            context["rendered"] = compose(
                contact=contact,
                channel=form.cleaned_data["channel"],
                template=form.cleaned_data["template"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                sender=request.user,
            )
        except ValidationError as error:
            context["errors"] = error.messages
    else:
        context["errors"] = [str(e) for errors in form.errors.values() for e in errors]
    return render(request, "messaging/_preview.html", context)


@login_required
@require_POST
def send(request: AuthedRequest, contact_id: int) -> HttpResponse:
    """Queue the message; htmx gets the panel back (with errors beside the fields)."""
    contact = _contact(request, contact_id, include_archived=False)
    form = SendMessageForm(request.POST)
    if form.is_valid():
        try:
            message = send_composed(
                contact=contact,
                channel=form.cleaned_data["channel"],
                kind=form.cleaned_data["kind"],
                template=form.cleaned_data["template"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                actor=request.user,
                idempotency_key=f"card:{request.user.pk}:{form.cleaned_data['idempotency_key']}",
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            notice = (
                _("Not sent: %(reason)s") % {"reason": message.error}
                if message.status == Status.BLOCKED
                else _("Message queued: %(status)s.") % {"status": message.get_status_display()}
            )
            level = messages.WARNING if message.status == Status.BLOCKED else messages.SUCCESS
            if not request.htmx:
                messages.add_message(request, level, notice)
                return redirect("contacts:detail", contact.pk)
            return _render_panel(request, contact, SendMessageForm(), notice)
    if not request.htmx:
        for errors in form.errors.values():
            for error_text in errors:
                messages.error(request, str(error_text))
        return redirect("contacts:detail", contact.pk)
    return _render_panel(request, contact, form)


@login_required
@require_POST
def retry(request: AuthedRequest, message_id: int) -> HttpResponse:
    """Send a failed or unchecked message again, after a person decided to."""
    try:
        message = get_message(viewer=request.user, pk=message_id)
    except OutboundMessage.DoesNotExist:
        raise Http404 from None
    try:
        retry_message(message=message, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message is queued again."))
    return redirect("contacts:detail", message.contact_id)


def register() -> None:
    register_panel(
        ContactPanel(
            key="messaging-send",
            template=PANEL_TEMPLATE,
            context=panel_context,
            order=20,
            lazy=True,
        )
    )
