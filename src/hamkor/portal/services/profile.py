"""The customer changes their own details and consents in the portal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.consent.models import Purpose
from hamkor.contacts.models import (
    ConsentChannel,
    ConsentMethod,
    Contact,
    ContactEmail,
    ContactPhone,
)
from hamkor.contacts.services import (
    ContactInput,
    EmailInput,
    PhoneInput,
    record_consent,
    update_contact,
)
from hamkor.core.audit import record_event
from hamkor.core.phones import normalize_phone
from hamkor.portal.selectors import get_consents, get_service_consents, list_shared_addresses

CONSENT_METHOD: str = ConsentMethod.PORTAL
CONSENT_NOTE = "customer portal"
PROFILE_FIELDS = ("first_name", "last_name", "middle_name", "language", "time_zone")


@dataclass
class ProfileInput:
    """What the profile form sends; phones and emails replace the old ones, in order."""

    first_name: str
    last_name: str = ""
    middle_name: str = ""
    language: str = "en"
    time_zone: str = "Asia/Tashkent"
    phones: Sequence[str] = ()
    emails: Sequence[str] = ()
    consents: Mapping[str, bool] = field(default_factory=dict)
    # The checkbox wording the customer saw, per channel, kept with the consent record.
    consent_texts: Mapping[str, str] = field(default_factory=dict)
    # Service messages per channel: True keeps them coming, False stops them; a channel
    # left out stays as it is.
    service_consents: Mapping[str, bool] = field(default_factory=dict)
    service_texts: Mapping[str, str] = field(default_factory=dict)


def _normalise(data: ProfileInput) -> tuple[list[str], list[str]]:
    errors: dict[str, list[str]] = {}
    phones: list[str] = []
    for raw in data.phones:
        if not raw.strip():
            continue
        try:
            number = normalize_phone(raw)
        except ValidationError as error:
            errors.setdefault("phones", []).extend(error.messages)
            continue
        if number not in phones:
            phones.append(number)
    emails: list[str] = []
    for raw in data.emails:
        address = raw.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            errors.setdefault("emails", []).append(
                _("“%(value)s” is not a valid email address.") % {"value": raw.strip()}
            )
            continue
        if address not in emails:
            emails.append(address)
    if errors:
        raise ValidationError(errors)
    return phones, emails


def _check_can_log_in(contact: Contact, phones: list[str], emails: list[str]) -> None:
    if not phones and not emails:
        raise ValidationError(
            _("Keep at least one phone number or email address: you log in with it.")
        )
    shared = list_shared_addresses(contact=contact, phones=phones, emails=emails)
    if all(address in shared for address in [*phones, *emails]):
        # A code is only sent to an address exactly one customer has.
        raise ValidationError(
            _(
                "You could not log in with these details next time: another customer record "
                "has the same phone numbers and emails. Keep one only you use, or ask us."
            )
        )


@transaction.atomic
def update_profile(*, contact: Contact, data: ProfileInput) -> Contact:
    """Save the customer's own names, phones, emails, language, time zone and consents
    (marketing per channel, and whether service messages may still come on each).

    Refuses details the customer could not log in with again (no address left, or only
    addresses another customer shares).
    """
    phones, emails = _normalise(data)
    _check_can_log_in(contact, phones, emails)
    # A fresh, locked copy: a refused change leaves the caller's object as it was.
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    phone_kinds = {phone.number: phone.kind for phone in contact.phones.all()}
    email_kinds = {email.email: email.kind for email in contact.emails.all()}
    before: dict[str, Any] = {name: getattr(contact, name) for name in PROFILE_FIELDS}
    before_addresses = (list(phone_kinds), list(email_kinds))
    values = {
        "first_name": data.first_name.strip(),
        "last_name": data.last_name.strip(),
        "middle_name": data.middle_name.strip(),
        "language": data.language,
        "time_zone": data.time_zone,
    }
    contact = update_contact(
        contact=contact,
        data=ContactInput(
            values=values,
            phones=[
                PhoneInput(number=n, kind=phone_kinds.get(n, ContactPhone.Kind.MOBILE))
                for n in phones
            ],
            emails=[
                EmailInput(email=e, kind=email_kinds.get(e, ContactEmail.Kind.PERSONAL))
                for e in emails
            ],
        ),
        # The customer is not a staff user: the change is recorded without an actor.
        actor=None,
    )
    changed = [name for name in PROFILE_FIELDS if before[name] != getattr(contact, name)]
    if before_addresses[0] != phones:
        changed.append("phones")
    if before_addresses[1] != emails:
        changed.append("emails")
    consents = get_consents(contact=contact)
    for channel in ConsentChannel.values:
        if channel not in data.consents:
            continue
        granted = bool(data.consents[channel])
        current = consents.get(channel)
        if (current is None and not granted) or (current and current.granted == granted):
            continue
        record_consent(
            contact=contact,
            channel=channel,
            granted=granted,
            method=CONSENT_METHOD,
            actor=None,
            note=CONSENT_NOTE,
            text_shown=data.consent_texts.get(channel, ""),
            source="portal",
        )
        changed.append(f"consent.{channel}")
    changed += _update_service_consents(contact, data)
    record_event(
        actor=None, verb="portal.profile_updated", target=contact, data={"changed": changed}
    )
    return contact


def _update_service_consents(contact: Contact, data: ProfileInput) -> list[str]:
    """Record the channels whose service messages the customer stopped or allowed again."""
    changed = []
    current = get_service_consents(contact=contact)
    for channel in ConsentChannel.values:
        if channel not in data.service_consents:
            continue
        allowed = bool(data.service_consents[channel])
        # Nothing on record means allowed: a box left as it was records nothing.
        if allowed == (not current[channel].withdrawn):
            continue
        record_consent(
            contact=contact,
            channel=channel,
            granted=allowed,
            method=CONSENT_METHOD,
            actor=None,
            purpose=Purpose.SERVICE,
            note=CONSENT_NOTE,
            text_shown=data.service_texts.get(channel, ""),
            source="portal",
        )
        changed.append(f"service_consent.{channel}")
    return changed


@transaction.atomic
def set_portal_language(*, contact: Contact, language: str) -> Contact:
    """Save the language the customer picked in the portal's switcher."""
    if contact.language == language:
        return contact
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact = update_contact(
        contact=contact,
        data=ContactInput(values={"language": language}),
        actor=None,
    )
    record_event(
        actor=None,
        verb="portal.profile_updated",
        target=contact,
        data={"changed": ["language"]},
    )
    return contact
