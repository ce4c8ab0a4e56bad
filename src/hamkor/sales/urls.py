from django.urls import URLPattern, URLResolver

from hamkor.sales.views import deals, insight, orders, products

app_name = "sales"
# Each area's views module lists its own URL patterns.
urlpatterns: list[URLPattern | URLResolver] = [
    *products.urlpatterns,
    *orders.urlpatterns,
    *deals.urlpatterns,
    *insight.urlpatterns,
]
