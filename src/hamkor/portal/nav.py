"""Sections of the portal's menu. Each app registers its own in AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class PortalSection:
    key: str
    label: str | Promise
    url_name: str
    order: int


_sections: dict[str, PortalSection] = {}


def register_section(*, key: str, label: str | Promise, url_name: str, order: int) -> None:
    _sections[key] = PortalSection(key=key, label=label, url_name=url_name, order=order)


def sections() -> list[PortalSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))
