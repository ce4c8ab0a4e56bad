from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "hamkor.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from hamkor.billing.timeline import register as register_timeline

        register_timeline()
        from hamkor.billing.panels import register as register_panel

        register_panel()
