"""Pages of two-factor login: set-up, the code step after the password, recovery codes,
turning it off, and the administrators' per-role requirement."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from hamkor.accounts import two_factor
from hamkor.accounts.forms import CodeForm, TwoFactorPolicyForm
from hamkor.accounts.selectors import is_access_admin
from hamkor.accounts.views import AuthedRequest, _add_errors, _render_profile


def _next_url(request: AuthedRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _render_setup(request: AuthedRequest, form: CodeForm, status: int = 200) -> HttpResponse:
    device = two_factor.start_enrolment(user=request.user)
    context: dict[str, Any] = {
        "form": form,
        "qr_svg": two_factor.authenticator_qr_svg(device),
        "secret": two_factor.authenticator_secret(device),
        "forced": two_factor.pending_state(request) == two_factor.ENROL,
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@login_required
def setup(request: AuthedRequest) -> HttpResponse:
    """Show the QR code and secret of a new authenticator and ask for its first code."""
    if two_factor.has_two_factor(request.user):
        messages.info(request, _("Two-factor login is already on."))
        return redirect("accounts:profile")
    return _render_setup(request, CodeForm())


@login_required
@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    """Confirm the new authenticator with a code; show the recovery codes once."""
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _render_setup(request, form, status=400)
    try:
        device, codes = two_factor.confirm_enrolment(
            user=request.user, code=form.cleaned_data["code"]
        )
    except ValidationError as error:
        _add_errors(form, error, "code")
        return _render_setup(request, form, status=400)
    two_factor.complete_verification(request, device)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "continue_url": resolve_url(settings.LOGIN_REDIRECT_URL), "new": True},
    )


@login_required
def verify(request: AuthedRequest) -> HttpResponse:
    """The step after the password: a code from the app, or a recovery code."""
    if two_factor.pending_state(request) != two_factor.VERIFY:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.verify_second_factor(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            throttled = any(e.code == "throttled" for e in error.error_list)
            status = 429 if throttled else 400
            _add_errors(form, error, "code")
        else:
            two_factor.complete_verification(request, device)
            if isinstance(device, StaticDevice):
                left = two_factor.count_recovery_codes(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(count)d is left. "
                        "Make new ones on your profile.",
                        "You signed in with a recovery code; %(count)d are left. "
                        "Make new ones on your profile.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next_url(request))
    elif request.method == "POST":
        status = 400
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/two_factor_verify.html", context, status=status)


@login_required
@require_POST
def regenerate_codes(request: AuthedRequest) -> HttpResponse:
    """Replace the recovery codes and show the new ones once."""
    try:
        codes = two_factor.regenerate_recovery_codes(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "continue_url": resolve_url("accounts:profile"), "new": False},
    )


@login_required
@require_POST
def disable(request: AuthedRequest) -> HttpResponse:
    """Turn two-factor login off; needs a current code."""
    form = CodeForm(request.POST, prefix="disable")
    if form.is_valid():
        try:
            two_factor.disable_two_factor(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            _add_errors(form, error, "code")
        else:
            two_factor.forget_verification(request)
            messages.success(request, _("Two-factor login is off."))
            return redirect("accounts:profile")
    return _render_profile(request, disable_form=form, status=400)


@login_required
def policy(request: AuthedRequest) -> HttpResponse:
    """Administrators: choose the roles that must use two-factor login."""
    if not is_access_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = TwoFactorPolicyForm(request.POST)
        if form.is_valid():
            try:
                two_factor.set_required_roles(roles=form.cleaned_data["roles"], actor=request.user)
            except ValidationError as error:
                _add_errors(form, error, "roles")
            else:
                messages.success(
                    request,
                    _("Saved. The requirement applies from each user's next login."),
                )
                return redirect("accounts:two_factor_policy")
        return render(request, "accounts/two_factor_policy.html", {"form": form}, status=400)
    form = TwoFactorPolicyForm(initial={"roles": two_factor.list_required_roles()})
    return render(request, "accounts/two_factor_policy.html", {"form": form})
