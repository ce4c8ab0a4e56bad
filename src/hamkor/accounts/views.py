"""Profile page: language, time zone, password, API tokens and their calls; the language
switcher; the lockout page; the administrators' API call log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_htmx.middleware import HtmxDetails

from hamkor.accounts.api_access import AREA_LABELS
from hamkor.accounts.forms import (
    ApiCallFilterForm,
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    PreferencesForm,
    TokenForm,
)
from hamkor.accounts.models import ApiToken, User
from hamkor.accounts.selectors import (
    get_token,
    is_access_admin,
    list_api_calls,
    list_token_calls,
    list_tokens,
)
from hamkor.accounts.services import (
    change_password,
    issue_token,
    revoke_token,
    set_user_language,
    set_user_time_zone,
)
from hamkor.accounts.two_factor import (
    count_recovery_codes,
    has_two_factor,
    role_requires_two_factor,
)


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def _render_profile(
    request: AuthedRequest,
    *,
    preferences: PreferencesForm | None = None,
    token_form: TokenForm | None = None,
    password_form: PasswordChangeForm | None = None,
    disable_form: CodeForm | None = None,
    new_secret: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    two_factor_on = has_two_factor(user)
    context: dict[str, Any] = {
        "preferences": preferences
        or PreferencesForm(initial={"language": user.language, "time_zone": user.time_zone}),
        "token_form": token_form or TokenForm(),
        "password_form": password_form or PasswordChangeForm(user),
        "disable_form": disable_form or CodeForm(prefix="disable"),
        "tokens": list_tokens(user=user),
        "area_labels": AREA_LABELS,
        "new_secret": new_secret,
        "two_factor_on": two_factor_on,
        "two_factor_required": role_requires_two_factor(user),
        "recovery_left": count_recovery_codes(user) if two_factor_on else 0,
        "is_access_admin": is_access_admin(user),
    }
    return render(request, "accounts/profile.html", context, status=status)


def _add_errors(form: Any, error: ValidationError, default_field: str | None) -> None:
    """Put a service's errors beside the matching fields (others go on ``default_field``)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else default_field, messages)
    else:
        form.add_error(default_field, error.messages)


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    """Show the profile; a POST saves language and time zone."""
    if request.method != "POST":
        return _render_profile(request)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, preferences=form, status=400)
    try:
        set_user_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
        set_user_language(user=request.user, language=form.cleaned_data["language"])
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _render_profile(request, preferences=form, status=400)
    messages.success(request, _("Your preferences were saved."))
    response = redirect("accounts:profile")
    # The language cookie follows the saved choice, so the login page matches it too.
    language = form.cleaned_data["language"]
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language)
    return response


@login_required
@require_POST
def create_token(request: AuthedRequest) -> HttpResponse:
    """Issue a token and show its secret on this one response only."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, token_form=form, status=400)
    try:
        issued = issue_token(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            apps=form.cleaned_data["apps"],
            expires_in_days=form.cleaned_data["expires"],
        )
    except ValidationError as error:
        _add_errors(form, error, "name")
        return _render_profile(request, token_form=form, status=400)
    return _render_profile(request, new_secret=issued.secret)


@login_required
def token_calls(request: AuthedRequest, pk: int) -> HttpResponse:
    """The latest calls made with one of the user's own tokens."""
    try:
        token = get_token(user=request.user, pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    context = {"token": token, "calls": list_token_calls(token=token)}
    return render(request, "accounts/token_calls.html", context)


@login_required
def api_calls(request: AuthedRequest) -> HttpResponse:
    """Administrators: the latest API calls of every token."""
    if not is_access_admin(request.user):
        raise PermissionDenied
    form = ApiCallFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    calls = list_api_calls(
        viewer=request.user,
        username=filters.get("username", "").strip(),
        prefix=filters.get("token", "").strip(),
    )
    return render(request, "accounts/api_calls.html", {"form": form, "calls": calls})


@login_required
@require_POST
def password_change(request: AuthedRequest) -> HttpResponse:
    """Change the user's own password; the session stays signed in."""
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _render_profile(request, password_form=form, status=400)
    try:
        change_password(user=request.user, new_password=form.cleaned_data["new_password1"])
    except ValidationError as error:
        form.add_error("new_password1", error.messages)
        return _render_profile(request, password_form=form, status=400)
    update_session_auth_hash(request, request.user)
    messages.success(request, _("Your password was changed."))
    return redirect("accounts:profile")


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The login page with the lockout explained (django-axes' AXES_LOCKOUT_CALLABLE)."""
    minutes = settings.HAMKOR_LOGIN_LOCKOUT_MINUTES
    # Unbound, so showing it never authenticates (and counts a failure) again; add_error needs
    # the cleaned_data a bound form would have.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    form.cleaned_data = {}
    form.add_error(
        None,
        ngettext(
            "Too many failed attempts to sign in as this user. Try again in %(minutes)d "
            "minute, or ask an administrator to unlock the account.",
            "Too many failed attempts to sign in as this user. Try again in %(minutes)d "
            "minutes, or ask an administrator to unlock the account.",
            minutes,
        )
        % {"minutes": minutes},
    )
    context = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


@login_required
@require_POST
def revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    try:
        token = get_token(user=request.user, pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    revoke_token(token=token, actor=request.user)
    messages.success(
        request, _("The token “%(name)s” was revoked and no longer works.") % {"name": token.name}
    )
    return redirect("accounts:profile")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, plus saving the choice on a signed-in user's profile.

    The saved language wins over the cookie (see UserPreferencesMiddleware), so without
    saving it here the switch would have no effect for signed-in users.
    """
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and language in dict(settings.LANGUAGES):
        set_user_language(user=user, language=language)
    return django_set_language(request)
