from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hamkor.core"
    label = "core"
