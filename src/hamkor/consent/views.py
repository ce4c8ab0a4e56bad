"""Staff pages: a contact's consent history, with the form that adds to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hamkor.accounts.models import User
from hamkor.consent.forms import RecordConsentForm
from hamkor.consent.models import Channel, Purpose
from hamkor.consent.selectors import get_consent_state, get_visible_contact, list_consent_records
from hamkor.consent.services import record_staff_consent
from hamkor.contacts.models import Contact


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


@login_required
@require_http_methods(["GET", "POST"])
def contact_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every consent the contact gave or withdrew, where each stands now, and a form to add one."""
    user = _user(request)
    try:
        contact = get_visible_contact(viewer=user, pk=pk)
    except Contact.DoesNotExist:
        raise Http404 from None
    form = RecordConsentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_staff_consent(
                    contact=contact,
                    actor=user,
                    purpose=data["purpose"],
                    channel=data["channel"],
                    granted=data["granted"],
                    method=data["method"],
                    text_shown=data["text_shown"],
                    note=data["note"],
                    recorded_at=data["recorded_at"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The consent was recorded."))
                return redirect("consent:contact", pk=contact.pk)
    state = get_consent_state(contact=contact)
    rows = [
        (label, [state[purpose, channel] for channel in Channel.values])
        for purpose, label in Purpose.choices
    ]
    context = {
        "contact": contact,
        "form": form,
        "channels": Channel.choices,
        "state_rows": rows,
        "records": list_consent_records(contact=contact),
    }
    return render(request, "consent/contact_history.html", context, status=status)


def _add_errors(form: RecordConsentForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, items in error.message_dict.items():
        form.add_error(name if name in form.fields else None, items)
