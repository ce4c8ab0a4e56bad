"""Customer-facing pages of this app (no staff login): the endpoint websites post to."""

from django.urls import URLPattern, URLResolver, path

from hamkor.webforms.views import public

app_name = "webforms_public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<uuid:uuid>/", public.submit, name="submit"),
]
