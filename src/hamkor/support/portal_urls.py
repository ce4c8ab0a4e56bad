"""Customer-facing pages of this app (no staff login)."""

from django.urls import URLPattern, URLResolver

app_name = "support_portal"
urlpatterns: list[URLPattern | URLResolver] = []
