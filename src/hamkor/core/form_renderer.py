"""The project's form renderer: Django's, with <select> widgets built in Python.

Django renders every <option> through its own widget template. On a contacts search page
with its filter selects, or a contact card with the log-an-interaction form, that is about
a hundred template renders per request and a large share of the page's time. Selects are
built here from the same context Django's templates get (`optgroups`, `attrs`), so choices,
selection and escaping behave as before; anything else renders through the templates.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict[str, Any]) -> str:
    # As django/forms/widgets/attrs.html: False leaves it out, True writes the bare name.
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"')
    return "".join(parts)


def _option(option: dict[str, Any]) -> str:
    return (
        f'<option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def render_select(widget: dict[str, Any]) -> SafeString:
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        rendered = "".join(_option(option) for option in options)
        if group_name:
            rendered = f'<optgroup label="{conditional_escape(group_name)}">{rendered}</optgroup>'
        parts.append(rendered)
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


class HamkorFormRenderer(DjangoTemplates):
    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        widget = context.get("widget")
        if template_name == SELECT and widget is not None and _plain_options(widget):
            return render_select(widget)
        return super().render(template_name, context, request)


def _plain_options(widget: dict[str, Any]) -> bool:
    return all(
        option.get("template_name") == OPTION
        for _name, options, _index in widget["optgroups"]
        for option in options
    )
