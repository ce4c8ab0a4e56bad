from django.urls import URLPattern, URLResolver, path

from hamkor.privacy import views

app_name = "privacy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("contacts/<int:pk>/", views.contact, name="contact"),
    path("contacts/<int:pk>/export/", views.export, name="export"),
    path("contacts/<int:pk>/erase/", views.erase, name="erase"),
    path("requests/<int:request_id>/download/", views.download, name="download"),
    path("retention/", views.retention, name="retention"),
    path("retention/dry-run/", views.retention_dry_run, name="retention_dry_run"),
    path("retention/review/", views.retention_review, name="retention_review"),
]
