"""Designing a form: which fields it asks, consent, thank-you, where posts may come from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.accounts.models import User
from hamkor.contacts.custom_fields import active_definitions
from hamkor.contacts.models import ConsentChannel, CustomFieldDefinition, Entity, Source
from hamkor.contacts.services import get_or_create_tags
from hamkor.core.audit import record_event
from hamkor.webforms.models import WebForm

# Fields every form may ask, with their labels; custom fields are "cf:<key>".
STANDARD_FIELDS: dict[str, Any] = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "company": gettext_lazy("Company"),
    "city": gettext_lazy("City"),
    "message": gettext_lazy("Message"),
}
CUSTOM_PREFIX = "cf:"
MAX_RATE_LIMIT = 100_000


def custom_keys(form: WebForm) -> list[str]:
    """Keys of the contact custom fields the form asks, in order."""
    return [
        f["key"][len(CUSTOM_PREFIX) :] for f in form.fields if f["key"].startswith(CUSTOM_PREFIX)
    ]


@dataclass(frozen=True)
class FieldChoice:
    key: str
    label: str
    definition: CustomFieldDefinition | None = None


def available_fields() -> list[FieldChoice]:
    """Standard fields, then the active contact custom fields, as a designer offers them."""
    choices = [FieldChoice(key=key, label=str(label)) for key, label in STANDARD_FIELDS.items()]
    choices += [
        FieldChoice(key=CUSTOM_PREFIX + d.key, label=d.label, definition=d)
        for d in active_definitions(Entity.CONTACT)
    ]
    return choices


@dataclass
class WebFormInput:
    """What the designer sets; ``fields`` is [(key, required), ...] in display order."""

    name: str
    fields: Sequence[tuple[str, bool]]
    thank_you_text: str
    owner: User
    consent_channels: Sequence[str] = ()
    consent_text: str = ""
    redirect_url: str = ""
    allowed_origins: str = ""
    source: Source | None = None
    tags: Sequence[str] = field(default_factory=list)
    rate_limit: int = 10
    is_active: bool = True


def _check_origins(text: str) -> list[str]:
    origins = []
    for line in text.splitlines():
        origin = line.strip().rstrip("/")
        if not origin:
            continue
        parsed = urlparse(origin)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.path:
            raise ValidationError(
                {
                    "allowed_origins": _(
                        "“%(value)s” is not an origin; write it like https://www.example.com."
                    )
                    % {"value": origin}
                }
            )
        origins.append(origin)
    return origins


def _check_fields(fields: Sequence[tuple[str, bool]]) -> list[dict[str, Any]]:
    known = {choice.key: choice for choice in available_fields()}
    errors: list[str] = []
    seen: set[str] = set()
    result: list[dict[str, Any]] = []
    for key, required in fields:
        if key not in known:
            errors.append(_("Unknown field “%(key)s”.") % {"key": key})
            continue
        if key in seen:
            continue
        seen.add(key)
        result.append({"key": key, "required": bool(required)})
    if not seen & {"email", "phone"}:
        errors.append(_("Ask for the email or the phone: that is how a lead is found again."))
    # A contact custom field that is required everywhere must be asked, and required, here.
    for choice in known.values():
        if choice.definition is not None and choice.definition.required:
            entry = next((f for f in result if f["key"] == choice.key), None)
            if entry is None or not entry["required"]:
                errors.append(
                    _("“%(label)s” is required on every contact: ask it and make it required.")
                    % {"label": choice.label}
                )
    if errors:
        raise ValidationError({"fields": errors})
    return result


def _validate(values: WebFormInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    name = values.name.strip()
    if not name:
        add("name", _("Give the form a name."))
    if not values.thank_you_text.strip():
        add("thank_you_text", _("Write what the visitor reads after sending the form."))
    cleaned: dict[str, Any] = {"name": name, "thank_you_text": values.thank_you_text.strip()}
    try:
        cleaned["fields"] = _check_fields(values.fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        cleaned["allowed_origins"] = _check_origins(values.allowed_origins)
    except ValidationError as error:
        errors.update(error.message_dict)
    channels = list(dict.fromkeys(values.consent_channels))
    if set(channels) - set(ConsentChannel.values):
        add("consent_channels", _("Choose consent channels from the list."))
    if channels and not values.consent_text.strip():
        add("consent_text", _("Write the consent wording the visitor agrees to."))
    if values.redirect_url.strip():
        try:
            URLValidator(schemes=["http", "https"])(values.redirect_url.strip())
        except ValidationError:
            add("redirect_url", _("Enter a full address starting with https://."))
    if not 1 <= values.rate_limit <= MAX_RATE_LIMIT:
        add(
            "rate_limit",
            _("Allow between 1 and %(max)s posts a minute.") % {"max": MAX_RATE_LIMIT},
        )
    if not values.owner.is_active:
        add("owner", _("Choose an active user."))
    if errors:
        raise ValidationError(errors)
    cleaned["allowed_origins"] = "\n".join(cleaned["allowed_origins"])
    cleaned.update(
        consent_channels=channels,
        consent_text=values.consent_text.strip() if channels else "",
        redirect_url=values.redirect_url.strip(),
        source=values.source,
        owner=values.owner,
        rate_limit=values.rate_limit,
        is_active=values.is_active,
    )
    return cleaned


def _require_designer(actor: User) -> None:
    if not actor.sees_everything:
        raise PermissionError(_("Only managers and administrators design web forms."))


@transaction.atomic
def create_form(*, actor: User, values: WebFormInput) -> WebForm:
    """A new form; only users who see every contact may design one (posts match among all)."""
    _require_designer(actor)
    form = WebForm(created_by=actor, **_validate(values))
    form.full_clean()
    form.save()
    form.tags.set(get_or_create_tags(names=values.tags))
    record_event(actor=actor, verb="webform.created", target=form)
    return form


@transaction.atomic
def update_form(*, form: WebForm, actor: User, values: WebFormInput) -> WebForm:
    """Change a form's definition; submissions already stored keep what they were sent."""
    _require_designer(actor)
    for name, value in _validate(values).items():
        setattr(form, name, value)
    form.full_clean()
    form.save()
    form.tags.set(get_or_create_tags(names=values.tags))
    record_event(actor=actor, verb="webform.updated", target=form)
    return form
