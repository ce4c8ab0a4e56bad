from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    name = "hamkor.marketing"
    label = "marketing"
    verbose_name = _("Marketing")

    def ready(self) -> None:
        from hamkor.marketing.services import handle_inbound_sms, list_unsubscribe_headers
        from hamkor.marketing.views.panel import register as register_panel
        from hamkor.messaging.providers.email import HEADER_HOOKS
        from hamkor.messaging.services.inbound import SMS_LISTENERS

        register_panel()
        if handle_inbound_sms not in SMS_LISTENERS:
            SMS_LISTENERS.append(handle_inbound_sms)
        if list_unsubscribe_headers not in HEADER_HOOKS:
            HEADER_HOOKS.append(list_unsubscribe_headers)
