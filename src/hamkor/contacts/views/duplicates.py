"""The "possible duplicates" page and merging two or more contacts into one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from hamkor.contacts.models import Contact
from hamkor.contacts.selectors import list_duplicate_groups
from hamkor.contacts.services import merge_many_contacts
from hamkor.contacts.views.common import AuthedRequest, visible_contact

GROUPS_PER_PAGE = 20


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


@login_required
@require_GET
def duplicates(request: AuthedRequest) -> HttpResponse:
    """Groups of contacts sharing a phone, an email or a name, each with a merge button."""
    page = _page_number(request)
    groups, total = list_duplicate_groups(
        viewer=request.user, limit=GROUPS_PER_PAGE, offset=(page - 1) * GROUPS_PER_PAGE
    )
    context = {
        "groups": groups,
        "total": total,
        "page": page,
        "has_previous": page > 1,
        "has_next": page * GROUPS_PER_PAGE < total,
    }
    return render(request, "contacts/duplicates.html", context)


def _chosen(
    request: AuthedRequest, data: dict[str, list[str]]
) -> tuple[Contact | None, list[Contact]]:
    """(contact to keep, the others) from ids the user may see; 404 if any is not visible."""
    ids = sorted({int(value) for value in data.get("ids", []) if value.isdigit()})
    keep_raw = (data.get("keep") or [""])[0]
    contacts = [visible_contact(request, pk) for pk in ids]
    keep = next((c for c in contacts if str(c.pk) == keep_raw), None)
    others = [c for c in contacts if keep is None or c.pk != keep.pk]
    return keep, others


@login_required
@require_GET
def merge_review(request: AuthedRequest) -> HttpResponse:
    """Show the contacts side by side; the user picks the one to keep and confirms."""
    keep, others = _chosen(request, dict(request.GET.lists()))
    contacts = ([keep] if keep else []) + others
    if len(contacts) < 2:
        messages.error(request, _("Choose at least two contacts to merge."))
        return redirect("contacts:duplicates")
    return render(
        request,
        "contacts/merge.html",
        {"contacts": contacts, "keep": keep or contacts[0]},
    )


@login_required
@require_POST
def merge(request: AuthedRequest) -> HttpResponse:
    """Merge the others into the kept contact; their history and details move over."""
    keep, others = _chosen(request, dict(request.POST.lists()))
    if keep is None or not others:
        messages.error(request, _("Choose the contact to keep and at least one other."))
        return redirect("contacts:duplicates")
    try:
        keep = merge_many_contacts(keep=keep, drops=others, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("contacts:duplicates")
    messages.success(
        request,
        ngettext(
            "%(count)d contact was merged into %(name)s.",
            "%(count)d contacts were merged into %(name)s.",
            len(others),
        )
        % {"count": len(others), "name": keep.full_name},
    )
    return redirect("contacts:detail", pk=keep.pk)
