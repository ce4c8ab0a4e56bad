from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "hamkor.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from hamkor.sales.timeline import register as register_orders

        register_orders()
        from hamkor.sales.views.insight import register as register_insight

        register_insight()
