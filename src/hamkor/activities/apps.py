from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "hamkor.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from hamkor.activities.timeline import register

        register()
        from hamkor.activities.timeline_activities import register as register_activities

        register_activities()
        from hamkor.activities.panels import register as register_panels

        register_panels()
        # Keeps each activity's reminder in step with it (a hook, not a signal).
        import hamkor.activities.services.reminders  # noqa: F401
