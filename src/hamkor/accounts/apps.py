from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from hamkor.accounts.two_factor import mark_session_at_login

    if request is not None:
        mark_session_at_login(request, user)


class AccountsConfig(AppConfig):
    name = "hamkor.accounts"
    label = "accounts"
    verbose_name = _("Users and teams")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # A signal, not a step in our login view: every way into a session (our login page,
        # the admin's, any added later) must pass the second-factor check.
        user_logged_in.connect(_on_login, dispatch_uid="accounts-two-factor-at-login")
