from django.urls import URLPattern, URLResolver, path

from hamkor.webforms.views import staff

app_name = "webforms"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.form_list, name="form_list"),
    path("new/", staff.form_create, name="form_create"),
    path("<uuid:uuid>/", staff.form_detail, name="form_detail"),
    path("<uuid:uuid>/edit/", staff.form_edit, name="form_edit"),
]
