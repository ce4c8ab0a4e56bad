from django.urls import URLPattern, URLResolver, path

from hamkor.consent import views

app_name = "consent"
urlpatterns: list[URLPattern | URLResolver] = [
    path("contacts/<int:pk>/", views.contact_history, name="contact"),
]
