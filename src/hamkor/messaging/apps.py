from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "hamkor.messaging"
    label = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from hamkor.messaging import checks, timeline, views

        timeline.register()
        checks.register()
        views.register()
