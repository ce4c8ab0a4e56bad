from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "hamkor.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from hamkor.projects.timeline import register

        register()
