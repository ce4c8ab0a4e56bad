"""Tags looked up or created by name."""

from __future__ import annotations

from collections.abc import Sequence

from hamkor.contacts.models import Tag


def get_or_create_tags(*, names: Sequence[str]) -> list[Tag]:
    """Tags by name (trimmed, case kept from first use), created when new."""
    tags: list[Tag] = []
    for raw in names:
        name = raw.strip()[:50]
        if not name:
            continue
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        if tag not in tags:
            tags.append(tag)
    return tags
