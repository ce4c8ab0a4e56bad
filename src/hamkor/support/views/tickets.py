"""Staff ticket pages: the list (filters, search, breaches), one ticket, and its actions."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.accounts.selectors import list_assignable_users
from hamkor.contacts.models import Contact
from hamkor.contacts.views.common import (
    PAGE_SIZE,
    AuthedRequest,
    query_without_page,
    visible_contact,
    wants_partial,
)
from hamkor.core.downloads import attachment_response
from hamkor.support.forms import (
    AssignForm,
    PriorityForm,
    ReplyForm,
    StaffTicketForm,
    StatusForm,
)
from hamkor.support.models import Priority, Ticket, TicketAttachment, TicketStatus
from hamkor.support.selectors.tickets import TicketFilters, get_attachment, list_tickets
from hamkor.support.services import (
    ALLOWED,
    add_staff_message,
    assign_ticket,
    change_priority,
    change_status,
    create_ticket,
)
from hamkor.support.services.sla import remaining_minutes
from hamkor.support.views.common import apply_errors, visible_ticket


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 18 else None


@login_required
@require_GET
def ticket_list(request: AuthedRequest) -> HttpResponse:
    """Tickets the user may see: filter by status, priority, assignee, breached; search."""
    status, priority = request.GET.get("status", ""), request.GET.get("priority", "")
    assignee = request.GET.get("assignee", "")
    filters = TicketFilters(
        status=status if status in TicketStatus.values else "",
        priority=priority if priority in Priority.values else "",
        assignee_id=request.user.pk if assignee == "me" else _int(assignee),
        unassigned=assignee == "none",
        breached=request.GET.get("breached") == "1",
        q=request.GET.get("q", "")[:100],
    )
    page = Paginator(list_tickets(viewer=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "filters": filters,
        "assignee": assignee,
        "statuses": TicketStatus.choices,
        "priorities": Priority.choices,
        "assignees": list_assignable_users(viewer=request.user),
        "base_query": query_without_page(request),
        "filtered": bool(
            filters.status or filters.priority or assignee or filters.breached or filters.q
        ),
    }
    template = (
        "support/_ticket_results.html" if wants_partial(request) else "support/ticket_list.html"
    )
    return render(request, template, context)


def _detail_context(request: AuthedRequest, ticket: Ticket, **forms: Form) -> dict[str, Any]:
    assign_form = cast(
        AssignForm, forms.get("assign_form") or AssignForm(initial={"assignee": ticket.assignee_id})
    )
    assign_form.set_assignees(list_assignable_users(viewer=request.user))
    allowed = ALLOWED[ticket.status]
    status_form = forms.get("status_form") or StatusForm()
    status_form.fields["status"].choices = [  # type: ignore[attr-defined]
        (value, label) for value, label in TicketStatus.choices if value in allowed
    ]
    return {
        "ticket": ticket,
        "thread": list(ticket.messages.all()),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "status_form": status_form,
        "assign_form": assign_form,
        "priority_form": forms.get("priority_form")
        or PriorityForm(initial={"priority": ticket.priority}),
        "can_change_status": bool(allowed),
        "left": {
            key: None if minutes is None else {"minutes": abs(minutes), "late": minutes < 0}
            for key, minutes in remaining_minutes(ticket).items()
        },
    }


@login_required
@require_GET
def ticket_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = visible_ticket(request, pk)
    return render(request, "support/ticket_detail.html", _detail_context(request, ticket))


def _failed(request: AuthedRequest, pk: int, **forms: Form) -> HttpResponse:
    context = _detail_context(request, visible_ticket(request, pk), **forms)
    return render(request, "support/ticket_detail.html", context, status=422)


@login_required
@require_POST
def ticket_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    """Post a public reply (it goes to the customer) or an internal note."""
    ticket = visible_ticket(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        uploads = [form.cleaned_data["file"]] if form.cleaned_data.get("file") else []
        internal = bool(form.cleaned_data["internal"])
        then = form.cleaned_data.get("then") or ""
        try:
            with transaction.atomic():  # the reply and the status change, or neither
                add_staff_message(
                    ticket=ticket,
                    body=form.cleaned_data["body"],
                    actor=request.user,
                    internal=internal,
                    uploads=uploads,
                )
                if then:
                    change_status(ticket=ticket, status=then, actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The note was saved.") if internal else _("The reply is on its way.")
            )
            return redirect("support:ticket_detail", pk=ticket.pk)
    return _failed(request, pk, reply_form=form)


@login_required
@require_POST
def ticket_status(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = visible_ticket(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            change_status(ticket=ticket, status=form.cleaned_data["status"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The status was changed; the customer is told."))
            return redirect("support:ticket_detail", pk=ticket.pk)
    return _failed(request, pk, status_form=form)


@login_required
@require_POST
def ticket_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = visible_ticket(request, pk)
    form = AssignForm(request.POST)
    form.set_assignees(list_assignable_users(viewer=request.user))
    if form.is_valid():
        try:
            assign_ticket(ticket=ticket, assignee=form.cleaned_data["assignee"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The ticket was assigned."))
            return redirect("support:ticket_detail", pk=ticket.pk)
    return _failed(request, pk, assign_form=form)


@login_required
@require_POST
def ticket_priority(request: AuthedRequest, pk: int) -> HttpResponse:
    """Another priority: the SLA due times move to its targets."""
    ticket = visible_ticket(request, pk)
    form = PriorityForm(request.POST)
    if form.is_valid():
        try:
            change_priority(
                ticket=ticket, priority=form.cleaned_data["priority"], actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The priority was changed; the due times moved with it."))
            return redirect("support:ticket_detail", pk=ticket.pk)
    return _failed(request, pk, priority_form=form)


@login_required
@require_GET
def ticket_attachment(request: AuthedRequest, pk: int) -> FileResponse:
    try:
        attachment = get_attachment(viewer=request.user, pk=pk)
    except TicketAttachment.DoesNotExist:
        raise Http404 from None
    return attachment_response(attachment)


@login_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: AuthedRequest, contact_pk: int) -> HttpResponse:
    """Open a ticket for a customer on the phone (or at the counter)."""
    contact = visible_contact(request, contact_pk)
    form = StaffTicketForm(request.POST or None, request.FILES or None)
    form.set_assignees(list_assignable_users(viewer=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the ticket and its first assignment, or neither
                ticket = _open(request, contact, data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Ticket #%(number)s was opened.") % {"number": ticket.pk})
            return redirect("support:ticket_detail", pk=ticket.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "support/ticket_new.html", {"form": form, "contact": contact}, status=status
    )


def _open(request: AuthedRequest, contact: Contact, data: dict[str, Any]) -> Ticket:
    ticket = create_ticket(
        contact=contact,
        subject=data["subject"],
        body=data["body"],
        actor=request.user,
        type=data["type"],
        channel=data["channel"],
        priority=data["priority"],
        uploads=[data["file"]] if data.get("file") else [],
    )
    if data.get("assignee"):
        assign_ticket(ticket=ticket, assignee=data["assignee"], actor=request.user)
    return ticket


urlpatterns: list[URLPattern] = [
    path("", ticket_list, name="ticket_list"),
    path("tickets/<int:pk>/", ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/reply/", ticket_reply, name="ticket_reply"),
    path("tickets/<int:pk>/status/", ticket_status, name="ticket_status"),
    path("tickets/<int:pk>/assign/", ticket_assign, name="ticket_assign"),
    path("tickets/<int:pk>/priority/", ticket_priority, name="ticket_priority"),
    path("attachments/<int:pk>/", ticket_attachment, name="attachment"),
    path("new/<int:contact_pk>/", ticket_new, name="ticket_new"),
]
