"""Who sees and manages tickets: the rule the selectors, services and views share.

Managers, administrators and support staff see every ticket (the support queue); everyone
else sees the tickets assigned to them or to their team.
"""

from __future__ import annotations

from typing import Any

from hamkor.accounts.models import Role


def sees_all_tickets(user: Any) -> bool:
    return bool(
        getattr(user, "sees_everything", False) or getattr(user, "role", "") == Role.SUPPORT
    )


def manages_support(user: Any) -> bool:
    """Who edits SLA policies, the working calendar and knowledge-base articles."""
    return sees_all_tickets(user)
