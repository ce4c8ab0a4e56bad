from django.urls import URLPattern, URLResolver

from hamkor.billing.views import ageing, invoices, new, public

app_name = "billing"
# Each area's views module lists its own URL patterns.
urlpatterns: list[URLPattern | URLResolver] = [
    *new.urlpatterns,
    *invoices.urlpatterns,
    *ageing.urlpatterns,
    *public.urlpatterns,
]
