from django.urls import URLPattern, URLResolver

app_name = "webforms"
urlpatterns: list[URLPattern | URLResolver] = []
