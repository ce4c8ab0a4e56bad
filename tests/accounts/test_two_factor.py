import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamkor.accounts.models import Role, TwoFactorRequirement
from hamkor.accounts.two_factor import (
    authenticator_secret,
    disable_two_factor,
    has_two_factor,
    regenerate_recovery_codes,
    set_required_roles,
)
from tests.accounts.factories import UserFactory, current_code, make_authenticator
from tests.api.helpers import api_client

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_setup_shows_a_qr_code_and_the_key_then_a_real_code_turns_it_on(client):
    user = UserFactory()
    client.force_login(user)

    page = client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    done = client.post(reverse("accounts:two_factor_confirm"), {"code": current_code(device)})

    assert "<svg" in page.content.decode()
    assert authenticator_secret(device) in page.content.decode()
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert has_two_factor(user)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_setup_with_a_wrong_code_says_so_and_stays_off(client):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup"))

    response = client.post(reverse("accounts:two_factor_confirm"), {"code": "000000"})

    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert not has_two_factor(user)


def test_setup_page_keeps_the_same_key_until_confirmed(client):
    client.force_login(UserFactory())

    first = client.get(reverse("accounts:two_factor_setup")).context["secret"]
    second = client.get(reverse("accounts:two_factor_setup")).context["secret"]

    assert first == second


def test_login_with_an_authenticator_asks_for_the_code_before_any_page(client):
    user = UserFactory()
    device = make_authenticator(user)

    login = _log_in(client, user)
    blocked = client.get(reverse("contacts:list"))
    verified = client.post(
        reverse("accounts:two_factor_verify"),
        {"code": current_code(device), "next": reverse("contacts:list")},
    )
    after = client.get(reverse("contacts:list"))

    assert login.status_code == 302
    assert blocked.status_code == 302
    assert blocked.url.startswith(reverse("accounts:two_factor_verify"))
    assert verified.status_code == 302 and verified.url == reverse("contacts:list")
    assert after.status_code == 200


def test_wrong_code_is_refused_and_the_next_try_must_wait(client):
    user = UserFactory()
    device = make_authenticator(user)
    _log_in(client, user)

    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    too_soon = client.post(reverse("accounts:two_factor_verify"), {"code": current_code(device)})

    assert wrong.status_code == 400
    assert "not right" in wrong.content.decode()
    assert too_soon.status_code == 429
    assert "Wait" in too_soon.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_code_is_accepted_once_the_throttle_delay_passed(client):
    user = UserFactory()
    device = make_authenticator(user)
    _log_in(client, user)
    client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    device.refresh_from_db()
    # The delay after one failure is one second; pretend it has passed.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp.replace(year=2000)
    )

    response = client.post(reverse("accounts:two_factor_verify"), {"code": current_code(device)})

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_signs_in_once(client):
    user = UserFactory()
    make_authenticator(user)
    code = regenerate_recovery_codes(user=user)[0]

    _log_in(client, user)
    first = client.post(reverse("accounts:two_factor_verify"), {"code": code.upper()}, follow=True)
    client.post(reverse("logout"))
    _log_in(client, user)
    second = client.post(reverse("accounts:two_factor_verify"), {"code": code})

    assert "9 are left" in first.content.decode()
    assert first.redirect_chain[-1][0] == reverse("home")
    assert second.status_code == 400
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_regenerating_recovery_codes_retires_the_old_ones():
    user = UserFactory()
    make_authenticator(user)
    old = regenerate_recovery_codes(user=user)

    new = regenerate_recovery_codes(user=user)

    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == set(new)
    assert not stored & set(old)


def test_role_requirement_sends_a_user_without_authenticator_to_set_up(client):
    set_required_roles(roles=[Role.SUPPORT], actor=UserFactory(role=Role.ADMIN))
    user = UserFactory(role=Role.SUPPORT)

    _log_in(client, user)
    home = client.get(reverse("home"))
    profile = client.get(reverse("accounts:profile"))
    setup = client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:two_factor_confirm"), {"code": current_code(device)})

    assert home.url == reverse("accounts:two_factor_setup")
    assert profile.url == reverse("accounts:two_factor_setup")
    assert "Your role requires two-factor login" in setup.content.decode()
    assert client.get(reverse("home")).status_code == 200


def test_role_requirement_leaves_other_roles_alone(client):
    set_required_roles(roles=[Role.SUPPORT], actor=UserFactory(role=Role.ADMIN))
    user = UserFactory(role=Role.SALES)

    _log_in(client, user)

    assert client.get(reverse("home")).status_code == 200


def test_pending_session_may_still_log_out(client):
    user = UserFactory()
    make_authenticator(user)
    _log_in(client, user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_admin_site_login_also_asks_for_the_code(client):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    make_authenticator(admin)

    client.post(reverse("admin:login"), {"username": admin.username, "password": PASSWORD})
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_verify"))


def test_turning_off_needs_a_current_code(client):
    user = UserFactory()
    device = make_authenticator(user)
    _log_in(client, user)
    client.post(reverse("accounts:two_factor_verify"), {"code": current_code(device)})
    # The code just used cannot be replayed; the next one (the app's next step) is fine.
    device.refresh_from_db()
    device.last_t -= 1
    device.save()

    wrong = client.post(reverse("accounts:two_factor_disable"), {"disable-code": "123456"})
    device.refresh_from_db()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(
        reverse("accounts:two_factor_disable"), {"disable-code": current_code(device)}
    )

    assert wrong.status_code == 400
    assert right.status_code == 302
    assert not has_two_factor(user)


def test_turning_off_is_refused_when_the_role_requires_it():
    user = UserFactory(role=Role.FINANCE)
    device = make_authenticator(user)
    set_required_roles(roles=[Role.FINANCE], actor=user)

    with pytest.raises(Exception, match="requires two-factor"):
        disable_two_factor(user=user, code=current_code(device))

    assert has_two_factor(user)


def test_policy_page_is_for_administrators_only(client):
    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.get(reverse("accounts:two_factor_policy"))

    assert response.status_code == 403


def test_policy_page_saves_the_required_roles(client):
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True))

    response = client.post(
        reverse("accounts:two_factor_policy"), {"roles": [Role.ADMIN, Role.FINANCE]}
    )

    assert response.status_code == 302
    assert set(TwoFactorRequirement.objects.values_list("role", flat=True)) == {
        Role.ADMIN,
        Role.FINANCE,
    }


def test_api_tokens_skip_two_factor():
    user = UserFactory(role=Role.SUPPORT)
    make_authenticator(user)
    set_required_roles(roles=[Role.SUPPORT], actor=user)

    response = api_client(user).get("/api/v1/contacts")

    assert response.status_code == 200
