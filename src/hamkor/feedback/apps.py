from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "hamkor.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from hamkor.core.audit import event_recorded
        from hamkor.feedback.tasks import on_event_recorded
        from hamkor.feedback.timeline import register as register_timeline
        from hamkor.portal.nav import register_section

        event_recorded.connect(on_event_recorded, dispatch_uid="feedback-event-recorded")
        register_section(key="news", label=_("News"), url_name="feedback_portal:news", order=60)
        register_section(key="ideas", label=_("Ideas"), url_name="feedback_portal:ideas", order=70)
        register_timeline()
