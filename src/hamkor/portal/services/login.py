"""Passwordless login: send a one-time code to a customer's email or phone, then check it.

* Only an HMAC (keyed with SECRET_KEY) of the code is stored; a code lives
  ``CODE_LIFETIME``, works once, and stops working after ``MAX_WRONG_ATTEMPTS`` wrong tries.
* Every request is stored, also for addresses no customer has (without a code), so the
  answers, the rate limits and the wrong-code replies are the same either way: nobody
  learns from the portal which addresses exist.
* The limits (``MAX_CODES_PER_ADDRESS`` and ``MAX_CODES_PER_IP`` per ``RATE_WINDOW``) are
  counted under a row lock per address and per IP, so they hold across web processes.
"""

from __future__ import annotations

import datetime
import logging
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hamkor.contacts.models import Contact
from hamkor.core.audit import record_event
from hamkor.core.locking import lock_rows
from hamkor.core.phones import normalize_phone
from hamkor.messaging.models import Kind
from hamkor.messaging.services.outbox import queue_message
from hamkor.portal.errors import CodeRequestThrottled, LoginCodeRejected
from hamkor.portal.models import LoginChannel, LoginCode, LoginThrottle
from hamkor.portal.selectors import find_login_contact

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_LIFETIME = datetime.timedelta(minutes=10)
MAX_WRONG_ATTEMPTS = 5
RATE_WINDOW = datetime.timedelta(minutes=15)
MAX_CODES_PER_ADDRESS = 3
# Several customers may share an office or a mobile operator's address.
MAX_CODES_PER_IP = 10
# Requests are kept this long for the limits and for support questions, then purged.
KEEP_REQUESTS = datetime.timedelta(days=2)


@dataclass(frozen=True)
class LoginAddress:
    """A normalised email (lower case) or phone (E.164) and the channel it is reached by."""

    channel: str
    address: str


def parse_login_address(raw: str) -> LoginAddress:
    """Normalise what the customer typed like contacts does; ValidationError when neither."""
    text = (raw or "").strip()
    if "@" in text:
        address = text.lower()
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a valid email address."),
                code="invalid",
                params={"value": text},
            ) from None
        return LoginAddress(channel=LoginChannel.EMAIL, address=address)
    try:
        number = normalize_phone(text)
    except ValidationError:
        raise ValidationError(
            _("Enter your email address or your phone number, for example +998 90 123 45 67."),
            code="invalid",
        ) from None
    return LoginAddress(channel=LoginChannel.SMS, address=number)


def _hash_code(address: str, code: str) -> str:
    return salted_hmac(
        "hamkor.portal.login-code", f"{address}|{code}", algorithm="sha256"
    ).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _lock_throttles(keys: list[str]) -> None:
    pks = [LoginThrottle.objects.get_or_create(key=key)[0].pk for key in keys]
    lock_rows(LoginThrottle, *pks)


def _retry_after(oldest: datetime.datetime, now: datetime.datetime) -> int:
    return max(1, math.ceil((oldest + RATE_WINDOW - now).total_seconds()))


def _check_limit(requests: list[datetime.datetime], limit: int, now: datetime.datetime) -> None:
    if len(requests) >= limit:
        raise CodeRequestThrottled(retry_after_seconds=_retry_after(min(requests), now))


def _send_code(*, row: LoginCode, contact: Contact, code: str) -> None:
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    with translation.override(contact.language):
        subject = _("Your login code")
        body = ngettext(
            "%(code)s is your code to log in to the %(organisation)s customer portal. "
            "It works for %(minutes)s minute. If you did not ask for it, ignore this message.",
            "%(code)s is your code to log in to the %(organisation)s customer portal. "
            "It works for %(minutes)s minutes. If you did not ask for it, ignore this message.",
            minutes,
        ) % {
            "code": code,
            "organisation": settings.HAMKOR_ORGANISATION_NAME,
            "minutes": minutes,
        }
    # Sent to the address the customer typed and not "to the contact": the customer asked
    # for this message just now, so it needs no recorded channel consent (a login must work
    # for customers who never gave any), and being transactional it ignores quiet hours.
    queue_message(
        channel=row.channel,
        to_address=row.address,
        subject=subject if row.channel == LoginChannel.EMAIL else "",
        body=body,
        kind=Kind.TRANSACTIONAL,
        idempotency_key=f"portal-login-code:{row.pk}",
    )


def request_login_code(*, address: LoginAddress, client_ip: str | None) -> LoginCode:
    """Record a code request and, when exactly one active customer has the address, send a code.

    Raises CodeRequestThrottled (writing nothing) past the per-address or per-IP limit.
    """
    keys = [f"address:{address.address}"] + ([f"ip:{client_ip}"] if client_ip else [])
    with transaction.atomic():
        _lock_throttles(keys)
        now = timezone.now()
        since = now - RATE_WINDOW
        recent = LoginCode.objects.filter(created_at__gte=since)
        _check_limit(
            list(recent.filter(address=address.address).values_list("created_at", flat=True)),
            MAX_CODES_PER_ADDRESS,
            now,
        )
        if client_ip:
            _check_limit(
                list(recent.filter(client_ip=client_ip).values_list("created_at", flat=True)),
                MAX_CODES_PER_IP,
                now,
            )
        contact = find_login_contact(channel=address.channel, address=address.address)
        code = _new_code()
        row = LoginCode(
            address=address.address,
            channel=address.channel,
            contact=contact,
            # An unknown address gets a row that no code can match, so wrong-code replies
            # read the same as for a real customer.
            code_hash=_hash_code(address.address, code) if contact is not None else "",
            client_ip=client_ip,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        row.full_clean()
        row.save()
        if contact is not None:
            _send_code(row=row, contact=contact, code=code)
            record_event(
                actor=None,
                verb="portal.login_code_sent",
                target=contact,
                data={"channel": address.channel},
            )
        else:
            logger.info("portal login code for an unknown address", extra={"row": row.pk})
    return row


def _clean_code(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace() and ch != "-")


def verify_login_code(*, address: LoginAddress, code: str) -> Contact:
    """The customer whose live code for this address was typed; spends every live code.

    A wrong code counts against every live code of the address; raises LoginCodeRejected.
    """
    typed = _clean_code(code)
    now = timezone.now()
    contact: Contact | None = None
    remaining = 0
    with transaction.atomic():
        live = list(
            LoginCode.objects.select_for_update()
            .filter(
                address=address.address,
                used_at__isnull=True,
                expires_at__gt=now,
                failed_attempts__lt=MAX_WRONG_ATTEMPTS,
            )
            .order_by("-created_at", "-id")
        )
        if not live:
            raise LoginCodeRejected(
                _("This code has expired or was already used. Ask for a new code.")
            )
        expected = _hash_code(address.address, typed)
        match = next(
            (
                row
                for row in live
                if row.code_hash
                and row.contact_id is not None
                and typed.isdigit()
                and constant_time_compare(row.code_hash, expected)
            ),
            None,
        )
        pks = [row.pk for row in live]
        if match is not None and match.contact_id is not None:
            contact = Contact.objects.filter(pk=match.contact_id, archived_at__isnull=True).first()
        if contact is not None:
            # One login spends every code sent to the address, so none is left to guess.
            LoginCode.objects.filter(pk__in=pks).update(used_at=now)
            record_event(
                actor=None,
                verb="portal.logged_in",
                target=contact,
                data={"channel": address.channel},
            )
            return contact
        LoginCode.objects.filter(pk__in=pks).update(failed_attempts=F("failed_attempts") + 1)
        remaining = MAX_WRONG_ATTEMPTS - (max(row.failed_attempts for row in live) + 1)
    if remaining <= 0:
        raise LoginCodeRejected(
            _("That code is not right, and it cannot be tried again. Ask for a new code.")
        )
    raise LoginCodeRejected(
        ngettext(
            "That code is not right. You can try %(count)s more time.",
            "That code is not right. You can try %(count)s more times.",
            remaining,
        )
        % {"count": remaining}
    )


def purge_login_codes() -> int:
    """Delete code requests older than KEEP_REQUESTS and throttle rows no limit needs now."""
    now = timezone.now()
    deleted, _per_model = LoginCode.objects.filter(created_at__lt=now - KEEP_REQUESTS).delete()
    recent = LoginCode.objects.filter(created_at__gte=now - RATE_WINDOW)
    keep = {f"address:{value}" for value in recent.values_list("address", flat=True)}
    keep |= {f"ip:{value}" for value in recent.values_list("client_ip", flat=True) if value}
    LoginThrottle.objects.exclude(key__in=keep).delete()
    return deleted
