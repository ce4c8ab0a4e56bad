from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(using: str = "default", **kwargs: Any) -> None:
    from hamkor.contacts.search import ensure_sqlite_search_index

    ensure_sqlite_search_index(using)


class ContactsConfig(AppConfig):
    name = "hamkor.contacts"
    label = "contacts"
    verbose_name = _("Customers")

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_search_index, sender=self, dispatch_uid="contacts-search-index"
        )
