"""Customer-facing pages of this app (no staff login)."""

from django.urls import URLPattern, URLResolver, path

from hamkor.booking.views import public

app_name = "booking_public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("b/<str:token>/", public.booking, name="booking"),
    path("b/<str:token>/cancel/", public.cancel, name="cancel"),
    path("b/<str:token>/booking.ics", public.ics, name="ics"),
    path("<slug:slug>/", public.page, name="page"),
]
