"""Orders a web shop places: match or create the customer, take each order exactly once.

A retried request carries the same Idempotency-Key; ``create_once`` returns the order the
first attempt made instead of a second one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact, Stage
from hamkor.contacts.services import ContactInput, EmailInput, PhoneInput, create_contact
from hamkor.sales.models import Order, OrderChannel, OrderOrigin
from hamkor.sales.selectors.orders import (
    find_contact_for_customer,
    get_idempotency_fingerprint,
    get_order_by_idempotency_key,
)

if TYPE_CHECKING:
    from hamkor.sales.services.orders import LineInput, OrderDetails


@dataclass(frozen=True)
class CustomerInput:
    """A web shop's customer: found by phone or email, created from these details if new."""

    phone: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    language: str = ""


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before for a different order."""

    def __init__(self, order: Order) -> None:
        super().__init__(
            _(
                "This Idempotency-Key was already used for order %(uuid)s with a different "
                "body; send a new key for a new order."
            )
            % {"uuid": order.uuid}
        )
        self.order = order


def fingerprint(body: Any) -> str:
    """A stable hash of a request body, to tell a retry from a different order."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _customer_contact(*, customer: CustomerInput, actor: User) -> Contact:
    contact = find_contact_for_customer(viewer=actor, phone=customer.phone, email=customer.email)
    if contact is not None:
        return contact
    values: dict[str, Any] = {
        "first_name": customer.first_name.strip()
        or customer.email.strip()
        or customer.phone.strip(),
        "last_name": customer.last_name.strip(),
        "stage": Stage.CUSTOMER,
    }
    if customer.language:
        values["language"] = customer.language
    return create_contact(
        data=ContactInput(
            values=values,
            phones=[PhoneInput(number=customer.phone)] if customer.phone.strip() else [],
            emails=[EmailInput(email=customer.email)] if customer.email.strip() else [],
        ),
        actor=actor,
    )


def _replay(existing: Order, body_hash: str) -> Order:
    if get_idempotency_fingerprint(order=existing) != body_hash:
        raise IdempotencyConflict(existing)
    return existing


def create_once(
    *, key: str, body_hash: str, create: Callable[[str | None], Order]
) -> tuple[Order, bool]:
    """Run ``create(key)`` unless an order with this Idempotency-Key exists; (order, created).

    The unique key decides races between concurrent retries: the loser's INSERT fails, its
    savepoint is rolled back and the winner's order is returned. A key reused with a
    different body raises ``IdempotencyConflict``.
    """
    key = key.strip()
    if not key:
        return create(None), True
    existing = get_order_by_idempotency_key(key=key)
    if existing is not None:
        return _replay(existing, body_hash), False
    try:
        # A savepoint: on PostgreSQL a failed INSERT spoils the surrounding transaction.
        with transaction.atomic():
            order = create(key)
    except IntegrityError:
        existing = get_order_by_idempotency_key(key=key)
        if existing is None:
            raise
        return _replay(existing, body_hash), False
    return order, True


@transaction.atomic
def place_customer_order(
    *,
    actor: User,
    customer: CustomerInput,
    lines: Sequence[LineInput],
    details: OrderDetails | None = None,
    idempotency_key: str | None = None,
    body_hash: str = "",
) -> Order:
    """An order placed by the customer (a web shop): match or create the contact, then order.

    The contact is matched by normalized phone, then by lower-cased email, among contacts
    the caller may see (give a web shop a token of a manager, who sees all contacts).
    """
    # Imported here: orders.py re-exports this module's names, so a top-level import would loop.
    from hamkor.sales.services.orders import OrderDetails, create_order

    if not customer.phone.strip() and not customer.email.strip():
        raise ValidationError({"customer": _("Give the customer's phone or email.")})
    details = replace(details or OrderDetails())
    details.channel = details.channel or OrderChannel.WEB_SHOP
    contact = _customer_contact(customer=customer, actor=actor)
    return create_order(
        actor=actor,
        lines=lines,
        contact=contact,
        details=details,
        origin=OrderOrigin.CUSTOMER,
        idempotency_key=idempotency_key,
        body_hash=body_hash,
    )
