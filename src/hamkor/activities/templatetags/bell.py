"""``{% notification_bell %}``: the bell with the unread count, for base.html."""

from __future__ import annotations

from typing import Any

from django import template

from hamkor.activities.selectors.notifications import count_unread_notifications

register = template.Library()


@register.inclusion_tag("activities/_bell.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    return {"unread": count_unread_notifications(viewer=user) if user.is_authenticated else 0}
