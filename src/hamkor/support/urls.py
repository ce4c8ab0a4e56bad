from django.urls import URLPattern, URLResolver

from hamkor.support.views import kb, settings, tickets

app_name = "support"
# Each area's views module lists its own URL patterns.
urlpatterns: list[URLPattern | URLResolver] = [
    *tickets.urlpatterns,
    *kb.urlpatterns,
    *settings.urlpatterns,
]
