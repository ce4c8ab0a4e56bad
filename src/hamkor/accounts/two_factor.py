"""Two-factor login: authenticator apps (TOTP), recovery codes and the per-role requirement.

A password login marks the session as owing a second factor (``SESSION_KEY``): "verify" when
the user has an authenticator, "enrol" when their role requires one and they have none.
``TwoFactorMiddleware`` keeps such a session on the code or set-up page until
``complete_verification`` clears the mark and tells django-otp which device verified it.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from collections.abc import Iterable

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamkor.accounts.models import Role, TwoFactorRequirement, User
from hamkor.core.audit import record_event

SESSION_KEY = "hamkor_2fa"
VERIFY = "verify"
ENROL = "enrol"
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Authenticator"
RECOVERY_NAME = "Recovery codes"
_TOTP_CODE = re.compile(r"^\d{6}$")


# --- Reads ---------------------------------------------------------------------------------


def list_required_roles() -> list[str]:
    """Roles whose members must use two-factor login, in role order."""
    required = set(TwoFactorRequirement.objects.values_list("role", flat=True))
    return [role for role in Role.values if role in required]


def role_requires_two_factor(user: User) -> bool:
    """Whether the user's role is one the administrators require two-factor login for."""
    return TwoFactorRequirement.objects.filter(role=user.role).exists()


def get_authenticator(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def count_recovery_codes(user: User) -> int:
    """Unused recovery codes left."""
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def authenticator_secret(device: TOTPDevice) -> str:
    """The key as base32 in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no image request, works offline)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


# --- Writes --------------------------------------------------------------------------------


@transaction.atomic
def start_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first visit.

    Reusing it keeps the QR code stable while the user fetches their phone.
    """
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if pending is not None:
        return pending
    device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=False)
    device.save()
    return device


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def _throttle_error(device: Device) -> ValidationError | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    seconds = 1
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return ValidationError(
        ngettext(
            "Too many wrong codes. Wait %(seconds)d second and try again.",
            "Too many wrong codes. Wait %(seconds)d seconds and try again.",
            seconds,
        )
        % {"seconds": seconds},
        code="throttled",
    )


def _check(device: Device, code: str) -> None:
    """Verify a code on a device, or raise the error to show beside the code field.

    The device row is locked, so one recovery code cannot be spent by two requests at once;
    the transaction commits a wrong code's throttling count before the error is raised.
    """
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        error = _throttle_error(locked)
        accepted = error is None and locked.verify_token(code)
    if error is not None:
        raise error
    if not accepted:
        raise ValidationError(_("That code is not right. Check the app and try again."))
    device.refresh_from_db()


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def confirm_enrolment(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with a code from it; returns fresh recovery codes.

    Not one transaction: a wrong code must keep its throttling count.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise ValidationError(_("Start the set-up again: the code page has expired."))
    _check(device, _normalise(code))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        record_event(actor=user, verb="user.two_factor_enabled", target=user)
    return device, codes


@transaction.atomic
def regenerate_recovery_codes(*, user: User) -> list[str]:
    """Replace every recovery code with ten new ones (the old ones stop working)."""
    if not has_two_factor(user):
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _new_recovery_codes(user)
    record_event(actor=user, verb="user.recovery_codes_regenerated", target=user)
    return codes


def verify_second_factor(*, user: User, code: str) -> Device:
    """The device that accepts this code: a six-digit app code, or a recovery code (used up).

    Each device throttles wrong codes itself (1, 2, 4 … seconds between tries).
    """
    code = _normalise(code)
    if not code:
        raise ValidationError(_("Enter the six-digit code from your app or a recovery code."))
    devices: Iterable[Device]
    if _TOTP_CODE.match(code):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")[:1]
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk")[:1]
    device = next(iter(devices), None)
    if device is None:
        raise ValidationError(_("That code is not right. Check the app and try again."))
    _check(device, code)
    return device


def disable_two_factor(*, user: User, code: str) -> None:
    """Remove the authenticator and recovery codes after a current code proves it is the user."""
    if role_requires_two_factor(user):
        raise ValidationError(_("Your role requires two-factor login, so it cannot be turned off."))
    if not has_two_factor(user):
        raise ValidationError(_("Two-factor login is not on."))
    verify_second_factor(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_event(actor=user, verb="user.two_factor_disabled", target=user)


@transaction.atomic
def set_required_roles(*, roles: Iterable[str], actor: User) -> list[str]:
    """Require two-factor login for exactly these roles (applies from each user's next login)."""
    wanted = set(roles)
    unknown = sorted(wanted - set(Role.values))
    if unknown:
        raise ValidationError(_("Unknown roles: %(roles)s.") % {"roles": ", ".join(unknown)})
    TwoFactorRequirement.objects.exclude(role__in=wanted).delete()
    existing = set(TwoFactorRequirement.objects.values_list("role", flat=True))
    TwoFactorRequirement.objects.bulk_create(
        TwoFactorRequirement(role=role) for role in sorted(wanted - existing)
    )
    required = list_required_roles()
    record_event(
        actor=actor,
        verb="accounts.two_factor_policy_changed",
        target=actor,
        data={"roles": required},
    )
    return required


# --- Session state -------------------------------------------------------------------------


def login_state(user: User) -> str | None:
    """What a fresh login still owes: VERIFY, ENROL, or None (nothing)."""
    if has_two_factor(user):
        return VERIFY
    if role_requires_two_factor(user):
        return ENROL
    return None


def mark_session_at_login(request: HttpRequest, user: User) -> None:
    """Remember on the session what its login still owes (receiver of ``user_logged_in``)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    state = login_state(user)
    if state is None:
        session.pop(SESSION_KEY, None)
    else:
        session[SESSION_KEY] = state


def pending_state(request: HttpRequest) -> str | None:
    """VERIFY or ENROL while the session owes a second factor, else None."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    state = session.get(SESSION_KEY)
    return state if state in (VERIFY, ENROL) else None


def complete_verification(request: HttpRequest, device: Device) -> None:
    """Mark the session verified by ``device``; it may now reach every page."""
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)


def forget_verification(request: HttpRequest) -> None:
    """After turning two-factor off, the session no longer names a (deleted) device."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.pop(SESSION_KEY, None)
