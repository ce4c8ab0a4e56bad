"""Mounted under ``contacts/`` beside the contacts app's own pages."""

from django.urls import URLPattern, URLResolver, path

from hamkor.overview import views

app_name = "overview"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/overview/", views.contact_overview, name="contact"),
    path("companies/<int:pk>/overview/", views.company_overview, name="company"),
]
