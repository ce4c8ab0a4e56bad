"""Customer-facing pages of this app (no staff login)."""

from django.urls import URLPattern, URLResolver

app_name = "webforms_public"
urlpatterns: list[URLPattern | URLResolver] = []
