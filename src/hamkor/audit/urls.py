from django.urls import URLPattern, URLResolver, path

from hamkor.audit import views

app_name = "audit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("<str:target_type>/<str:target_id>/", views.history, name="history"),
]
