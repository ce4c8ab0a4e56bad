"""The only tags and filters message templates may use (see services.templating)."""

from __future__ import annotations

from django.template import Library, defaultfilters, defaulttags

register = Library()

for _tag in ("if", "for", "with", "firstof", "comment", "now"):
    register.tag(_tag, defaulttags.register.tags[_tag])

for _filter in (
    "default",
    "default_if_none",
    "upper",
    "lower",
    "title",
    "capfirst",
    "date",
    "time",
    "floatformat",
    "truncatechars",
    "truncatewords",
    "length",
    "first",
    "last",
    "join",
    "yesno",
    "cut",
    "linebreaksbr",
    "escape",
):
    register.filter(_filter, defaultfilters.register.filters[_filter])
