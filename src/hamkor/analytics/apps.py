from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "hamkor.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from hamkor.analytics import tasks
        from hamkor.analytics.panels import register as register_panel
        from hamkor.sales.signals import order_changed

        register_panel()
        order_changed.connect(tasks.on_order_changed, dispatch_uid="analytics-rfm-order-changed")
