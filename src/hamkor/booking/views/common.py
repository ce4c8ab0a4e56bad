"""Helpers the staff and public views share."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest


def site_url(request: HttpRequest) -> str:
    """Base address for links in messages: HAMKOR_PUBLIC_URL, else the one asked for."""
    configured = str(getattr(settings, "HAMKOR_PUBLIC_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")


def add_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's errors beside the form's fields (unknown names go on top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
