"""Forms of the profile page; they parse input, services validate and save."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone, sorted; the list never changes while the process runs."""
    return sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones())


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times are shown in this time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language_field = cast(forms.ChoiceField, self.fields["language"])
        language_field.choices = [("", _("As in my browser")), *settings.LANGUAGES]
        zone_field = cast(forms.ChoiceField, self.fields["time_zone"])
        default = _("Organisation default (%(zone)s)") % {"zone": settings.TIME_ZONE}
        zone_field.choices = [("", default), *time_zone_choices()]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. “web shop” or “accounting”."),
    )


class LoginForm(AuthenticationForm):
    """Django's login form with labels from our catalogs (Django's Uzbek one lacks them)."""

    username = UsernameField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
