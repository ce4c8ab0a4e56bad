"""One customer timeline, fed by every app through a small registration seam.

An app that wants its records on a contact's or company's timeline registers a source in
its ``AppConfig.ready()``::

    from hamkor.core.timeline import register_source
    register_source(TimelineSource(kind="order", label=_("Orders"), fetch=order_entries))

``fetch(query)`` returns at most ``query.limit`` entries, newest first, for the contacts
and companies in the query, honouring ``query.channel`` (return nothing when the filter
names a channel the source does not produce). The timeline merges all sources.

A source whose records not every role may read (invoices, say) gives ``visible_to(viewer)``;
the timeline leaves it out for viewers it refuses. The caller has already checked that the
viewer may see the customer.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class TimelineQuery:
    contact_ids: Sequence[int] = ()
    company_ids: Sequence[int] = ()
    channel: str = ""
    limit: int = 20


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: datetime
    kind: str
    object_id: int
    title: str
    channel: str = ""
    channel_label: str = ""
    direction: str = ""
    body: str = ""
    outcome: str = ""
    actor: str = ""
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TimelineSource:
    kind: str
    label: str | Promise
    fetch: Callable[[TimelineQuery], list[TimelineEntry]]
    # Channels this source can be filtered by, as (value, label) pairs.
    channels: Sequence[tuple[str, str | Promise]] = ()
    # None: anyone who sees the customer sees these entries.
    visible_to: Callable[[Any], bool] | None = None

    def shown_to(self, viewer: Any) -> bool:
        return self.visible_to is None or bool(self.visible_to(viewer))


_sources: dict[str, TimelineSource] = {}


def register_source(source: TimelineSource) -> None:
    """Add (or replace, for reloads) the source of one kind of timeline entry."""
    _sources[source.kind] = source


def registered_sources() -> list[TimelineSource]:
    return list(_sources.values())


def channel_choices() -> list[tuple[str, str | Promise]]:
    """Every channel any source can filter by, for filter widgets and API docs."""
    seen: dict[str, str | Promise] = {}
    for source in _sources.values():
        for value, label in source.channels or [(source.kind, source.label)]:
            seen.setdefault(value, label)
    return list(seen.items())


def build_timeline(
    *,
    viewer: Any,
    contact_ids: Sequence[int] = (),
    company_ids: Sequence[int] = (),
    channel: str = "",
    limit: int = 20,
    offset: int = 0,
) -> list[TimelineEntry]:
    """Newest-first entries from all sources, with ``limit``/``offset`` paging."""
    query = TimelineQuery(
        contact_ids=tuple(contact_ids),
        company_ids=tuple(company_ids),
        channel=channel,
        limit=offset + limit,
    )
    streams = [source.fetch(query) for source in _sources.values() if source.shown_to(viewer)]
    merged = heapq.merge(*streams, key=lambda entry: entry.occurred_at, reverse=True)
    return list(itertools.islice(merged, offset, offset + limit))
