"""Who may do what with invoices (the rule the selectors and services share)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hamkor.accounts.models import Role, User

# Roles that see every invoice and payment and may create, issue, void and record payments.
BILLING_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.FINANCE})
# Roles that see the invoices of customers they can see, read-only.
READ_ROLES = frozenset({Role.SALES})


def manages_billing(user: User) -> bool:
    return bool(user.is_superuser or user.role in BILLING_ROLES)


def sees_invoices(user: User) -> bool:
    return manages_billing(user) or user.role in READ_ROLES


def check_manages_billing(user: User) -> None:
    """Refuse anyone but finance, managers and administrators."""
    if not manages_billing(user):
        raise PermissionDenied(
            _("Only finance staff, managers and administrators can change invoices.")
        )
