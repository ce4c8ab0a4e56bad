"""The unsubscribe page a marketing email links to (no login: the signed token is the key)."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.csrf import csrf_exempt

from hamkor.contacts.models import Contact
from hamkor.marketing.services import read_unsubscribe_token, unsubscribe


# RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a CSRF token; the signed
# token in the address is what proves the request.
@csrf_exempt
@xframe_options_deny
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET: ask to confirm, in the contact's language; POST: withdraw the consent."""
    try:
        contact_id, channel = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "marketing/unsubscribe_invalid.html", status=400)
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        return render(request, "marketing/unsubscribe_invalid.html", status=404)
    with translation.override(contact.language):
        if request.method == "POST":
            unsubscribe(contact=contact, channel=channel, how="link")
            return render(request, "marketing/unsubscribe.html", {"done": True, "token": token})
        if request.method != "GET":
            return HttpResponse(status=405)
        return render(request, "marketing/unsubscribe.html", {"done": False, "token": token})
