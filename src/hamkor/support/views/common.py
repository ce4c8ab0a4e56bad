"""Small helpers shared by the support pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404
from django.utils.translation import gettext as _

from hamkor.contacts.views.common import AuthedRequest
from hamkor.support.models import Ticket
from hamkor.support.permissions import manages_support
from hamkor.support.selectors.tickets import get_ticket


def apply_errors(form: Form, error: ValidationError) -> None:
    """Put a service's errors beside the form's fields (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, items in error.message_dict.items():
            form.add_error(name if name in form.fields else None, items)
    else:
        form.add_error(None, error.messages)


def visible_ticket(request: AuthedRequest, pk: int) -> Ticket:
    """The ticket if the user may see it, else 404 (it does not exist for them)."""
    try:
        return get_ticket(viewer=request.user, pk=pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def require_manager(request: AuthedRequest) -> None:
    """Settings and article editing are for support staff, managers and administrators."""
    if not manages_support(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only support staff, managers and administrators can do this."))
