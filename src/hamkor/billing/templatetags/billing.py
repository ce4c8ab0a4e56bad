"""Template helpers of the billing app."""

from __future__ import annotations

from typing import Any

from django import template

from hamkor.billing.permissions import sees_invoices as _sees_invoices

register = template.Library()


@register.filter
def sees_invoices(user: Any) -> bool:
    """Whether the menu shows "Invoices" to this user (not to support or operations)."""
    return bool(getattr(user, "is_authenticated", False)) and _sees_invoices(user)
