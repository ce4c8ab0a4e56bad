from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "hamkor.portal"
    label = "portal"
    verbose_name = _("Customer portal")

    def ready(self) -> None:
        from hamkor.portal.nav import register_section

        register_section(key="orders", label=_("Orders"), url_name="portal:order_list", order=20)
        register_section(
            key="invoices", label=_("Invoices"), url_name="portal:invoice_list", order=30
        )
        register_section(
            key="projects", label=_("Projects"), url_name="portal:project_list", order=40
        )
        register_section(key="profile", label=_("My details"), url_name="portal:profile", order=90)
