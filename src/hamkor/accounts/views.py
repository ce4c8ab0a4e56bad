"""Profile page: language, time zone and API tokens; the language switcher."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_htmx.middleware import HtmxDetails

from hamkor.accounts.forms import PreferencesForm, TokenForm
from hamkor.accounts.models import ApiToken, User
from hamkor.accounts.selectors import get_token, list_tokens
from hamkor.accounts.services import (
    issue_token,
    revoke_token,
    set_user_language,
    set_user_time_zone,
)


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def _render_profile(
    request: AuthedRequest,
    *,
    preferences: PreferencesForm | None = None,
    token_form: TokenForm | None = None,
    new_secret: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "preferences": preferences
        or PreferencesForm(initial={"language": user.language, "time_zone": user.time_zone}),
        "token_form": token_form or TokenForm(),
        "tokens": list_tokens(user=user),
        "new_secret": new_secret,
    }
    return render(request, "accounts/profile.html", context, status=status)


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
        issued = issue_token(user=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        form.add_error("name", error.messages)
        return _render_profile(request, token_form=form, status=400)
    return _render_profile(request, new_secret=issued.secret)


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
