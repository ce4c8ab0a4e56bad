from django.urls import URLPattern, URLResolver, path

from hamkor.reports import views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("<slug:key>/", views.report_view, name="report"),
    path("<slug:key>/export.<str:fmt>", views.export, name="export"),
]
