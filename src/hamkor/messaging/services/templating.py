"""Message templates: pick the customer's language version and render it in a sandbox.

The sandbox is a Django template engine with no loaders and only a whitelist of tags and
filters (``hamkor.messaging.template_library``); the context is plain dicts of strings, so a
template can neither read files nor call model methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.messaging.models import Channel, MessageTemplate


class _SandboxEngine(Engine):
    default_builtins: list[str] = []


_ENGINES: dict[bool, Engine] = {}


def _engine(*, autoescape: bool) -> Engine:
    if autoescape not in _ENGINES:
        _ENGINES[autoescape] = _SandboxEngine(
            dirs=[],
            app_dirs=False,
            loaders=[],
            libraries={},
            builtins=["hamkor.messaging.template_library"],
            autoescape=autoescape,
            string_if_invalid="",
        )
    return _ENGINES[autoescape]


def render_text(source: str, context: dict[str, Any], *, autoescape: bool) -> str:
    """Render one template string; a syntax error becomes a ValidationError with its message."""
    try:
        template = _engine(autoescape=autoescape).from_string(source)
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("The template has an error: %(error)s"), params={"error": str(error)}
        ) from error
    return template.render(Context(context, autoescape=autoescape))


def _person(user: User | None) -> dict[str, str]:
    if user is None:
        return {"name": "", "first_name": "", "last_name": "", "email": ""}
    return {
        "name": user.get_full_name() or user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
    }


def message_context(*, contact: Contact, sender: User | None) -> dict[str, Any]:
    """The only values a template may use (documented in the template form's help)."""
    return {
        "contact": {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "middle_name": contact.middle_name,
            "full_name": contact.full_name,
            "city": contact.city,
            "company": contact.company.name if contact.company_id and contact.company else "",
            "birthday": contact.birthday,
        },
        "owner": _person(contact.owner if contact.owner_id else None),
        "sender": _person(sender),
        "organisation": {"name": settings.HAMKOR_ORGANISATION_NAME},
    }


def pick_template(*, key: str, language: str, channel: str) -> MessageTemplate:
    """The version for the language and channel, falling back to the organisation language."""
    versions = list(MessageTemplate.objects.filter(key=key, is_active=True))
    for wanted_language in (language, settings.LANGUAGE_CODE):
        for wanted_channel in (channel, ""):
            for version in versions:
                if version.language == wanted_language and version.channel == wanted_channel:
                    return version
    for version in versions:
        if version.channel in (channel, ""):
            return version
    raise ValidationError(
        {"template": _("There is no active template “%(key)s” for this channel.") % {"key": key}}
    )


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str
    html_body: str = ""
    language: str = ""


def render_message(
    *, channel: str, body: str, subject: str = "", contact: Contact, sender: User | None
) -> RenderedMessage:
    """Personalise a text for a contact: plain for SMS/Telegram, HTML-escaped for email."""
    context = message_context(contact=contact, sender=sender)
    rendered_subject = render_text(subject, context, autoescape=False).strip()
    text = render_text(body, context, autoescape=False).strip()
    html = ""
    if channel == Channel.EMAIL:
        escaped = render_text(body, context, autoescape=True).strip()
        html = "<br>\n".join(escaped.splitlines())
        text = strip_tags(text) if "<" in body else text
    return RenderedMessage(subject=rendered_subject, body=text, html_body=html)


def render_template(
    *, key: str, channel: str, contact: Contact, sender: User | None
) -> RenderedMessage:
    """Render the contact's language version of the template ``key``."""
    template = pick_template(key=key, language=contact.language, channel=channel)
    rendered = render_message(
        channel=channel,
        body=template.body,
        subject=template.subject,
        contact=contact,
        sender=sender,
    )
    return RenderedMessage(
        subject=rendered.subject,
        body=rendered.body,
        html_body=rendered.html_body,
        language=template.language,
    )


def validate_template_source(*, subject: str, body: str) -> None:
    """Raise ValidationError when either part does not compile in the sandbox."""
    for field, source in (("subject", subject), ("body", body)):
        try:
            _engine(autoescape=False).from_string(source)
        except TemplateSyntaxError as error:
            raise ValidationError(
                {field: _("The template has an error: %(error)s") % {"error": str(error)}}
            ) from error
