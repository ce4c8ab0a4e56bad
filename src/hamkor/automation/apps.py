from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationConfig(AppConfig):
    name = "hamkor.automation"
    label = "automation"
    verbose_name = _("Automation")

    def ready(self) -> None:
        from hamkor.automation.tasks import on_event_recorded
        from hamkor.core.audit import event_recorded

        event_recorded.connect(on_event_recorded, dispatch_uid="automation-event-recorded")
