"""Forms of the profile page; they parse input, services validate and save."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hamkor.accounts.api_access import AREA_LABELS
from hamkor.accounts.models import Role, TokenScope


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
    # Lifetimes offered; an empty or missing choice means the default shown first.
    LIFETIMES = (
        ("90", _("90 days")),
        ("30", _("30 days")),
        ("365", _("One year")),
        ("never", _("Never expires")),
    )

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. “web shop” or “accounting”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        required=False,
        initial=TokenScope.WRITE,
        widget=forms.RadioSelect,
        help_text=_("A read-only token can look things up but never change them."),
    )
    apps = forms.MultipleChoiceField(
        label=_("API areas"),
        choices=[(area, label) for area, label in AREA_LABELS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to allow every area."),
    )
    expires = forms.ChoiceField(
        label=_("Expires after"), choices=LIFETIMES, required=False, initial="90"
    )

    def clean_scope(self) -> str:
        return str(self.cleaned_data.get("scope") or TokenScope.WRITE)

    def clean_expires(self) -> int | None:
        """Days until the token expires, or None for never."""
        value = self.cleaned_data.get("expires") or "90"
        return None if value == "never" else int(value)


class PasswordChangeForm(forms.Form):
    """Current password and the new one twice; the password rules run in the service."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        count = settings.HAMKOR_PASSWORD_MIN_LENGTH
        self.fields["new_password1"].help_text = ngettext(
            "At least %(count)d character, not only digits, not a common password and not "
            "like your name.",
            "At least %(count)d characters, not only digits, not a common password and not "
            "like your name.",
            count,
        ) % {"count": count}

    def clean_old_password(self) -> str:
        password = str(self.cleaned_data["old_password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Your current password is not right."))
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class TwoFactorPolicyForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles that must use two-factor login"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ApiCallFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    token = forms.CharField(label=_("Token prefix"), required=False, max_length=12)


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
