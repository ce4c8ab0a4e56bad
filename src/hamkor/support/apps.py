from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "hamkor.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from hamkor.core.audit import event_recorded
        from hamkor.support.services.inbound import on_event_recorded

        event_recorded.connect(on_event_recorded, dispatch_uid="support-event-recorded")
        from hamkor.portal.nav import register_section
        from hamkor.support.timeline import register as register_timeline

        register_timeline()
        from hamkor.support.panels import register as register_panel

        register_panel()
        register_section(
            key="tickets", label=_("My requests"), url_name="support_portal:ticket_list", order=20
        )
        register_section(
            key="help", label=_("Help centre"), url_name="support_portal:help", order=30
        )
