from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "hamkor.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from huey.contrib.djhuey import HUEY

        from hamkor.audit import receivers
        from hamkor.audit.admin import audit_admin_site

        # Signals, not steps in our login view: the admin's login and any added later count.
        user_logged_in.connect(receivers.logged_in, dispatch_uid="audit-logged-in")
        user_logged_out.connect(receivers.logged_out, dispatch_uid="audit-logged-out")
        user_login_failed.connect(receivers.login_failed, dispatch_uid="audit-login-failed")
        # Runs in the worker process only (not for jobs run inline under tests or
        # HAMKOR_HUEY_IMMEDIATE): what its jobs record comes from the worker.
        HUEY.on_startup("audit-worker-origin")(receivers.worker_started)
        # The admin writes past the services: every model on it records its edits. The admin
        # app comes first in INSTALLED_APPS, so every admin.py has registered its models.
        audit_admin_site(admin.site)
