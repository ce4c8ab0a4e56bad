"""The customer's own details and consents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hamkor.portal.forms import ProfileForm
from hamkor.portal.selectors import get_consents, get_service_consents
from hamkor.portal.services import update_profile
from hamkor.portal.session import portal_login_required
from hamkor.portal.views.common import portal_contact


@require_http_methods(["GET", "POST"])
@portal_login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Show and save the customer's names, phones, emails, language, time zone and consents
    (marketing, and service messages: replies, booking confirmations)."""
    contact = portal_contact(request)
    consents = get_consents(contact=contact)
    initial = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "middle_name": contact.middle_name,
        "language": contact.language,
        "time_zone": contact.time_zone,
        **{f"consent_{c}": consent.granted for c, consent in consents.items()},
    }
    form = ProfileForm(
        request.POST or None,
        initial=initial,
        contact=contact,
        service_consents=get_service_consents(contact=contact),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = update_profile(contact=contact, data=form.to_input())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                with translation.override(saved.language):
                    messages.success(request, _("Your details were saved."))
                return redirect("portal:profile")
    context = {"form": form, "consents": consents, "portal_section": "profile"}
    return render(request, "portal/profile.html", context, status=status)
