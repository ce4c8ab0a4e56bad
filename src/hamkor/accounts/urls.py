from django.urls import URLPattern, URLResolver, path

from hamkor.accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.create_token, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.revoke, name="token_revoke"),
]
