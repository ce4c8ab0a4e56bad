"""Customer-facing pages of this app (no staff login)."""

from django.urls import URLPattern, URLResolver

app_name = "feedback_portal"
urlpatterns: list[URLPattern | URLResolver] = []
