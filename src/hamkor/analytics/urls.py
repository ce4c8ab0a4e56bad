from django.urls import URLPattern, URLResolver, path

from hamkor.analytics import views

app_name = "analytics"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("churned/", views.churned, name="churned"),
]
