from django.urls import URLPattern, URLResolver, path

from hamkor.imports.views import staff

app_name = "imports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.index, name="index"),
    path("<uuid:uuid>/", staff.detail, name="detail"),
    path("<uuid:uuid>/run/", staff.run, name="run"),
    path("<uuid:uuid>/progress/", staff.progress, name="progress"),
    path("<uuid:uuid>/errors.csv", staff.errors, name="errors"),
]
