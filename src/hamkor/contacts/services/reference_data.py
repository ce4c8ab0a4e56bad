"""Custom field definitions and sources: the lists contacts and companies point at."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.contacts.models import CustomFieldDefinition, FieldType, Source


@transaction.atomic
def define_custom_field(
    *,
    entity: str,
    key: str,
    label: str,
    field_type: str,
    choices: Sequence[str] = (),
    required: bool = False,
) -> CustomFieldDefinition:
    """Add a custom field to contacts or companies."""
    if field_type == FieldType.CHOICE and not choices:
        raise ValidationError({"choices": _("A choice field needs at least one choice.")})
    definition = CustomFieldDefinition(
        entity=entity,
        key=key,
        label=label,
        field_type=field_type,
        choices=[c.strip() for c in choices if c.strip()],
        required=required,
    )
    definition.full_clean()
    definition.save()
    return definition


@transaction.atomic
def ensure_sources(*, names: Sequence[str]) -> list[Source]:
    """Make sure these sources exist (used by demo data and set-up)."""
    sources = []
    for position, name in enumerate(names):
        source, _created = Source.objects.get_or_create(name=name, defaults={"position": position})
        sources.append(source)
    return sources
