from django import template
from django.urls import NoReverseMatch, reverse

from hamkor.portal.nav import sections

register = template.Library()


@register.simple_tag
def portal_menu() -> list[dict[str, object]]:
    """The portal's menu entries, in order; a section whose page is not routed is left out."""
    entries: list[dict[str, object]] = []
    for section in sections():
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        entries.append({"key": section.key, "label": section.label, "url": url})
    return entries
