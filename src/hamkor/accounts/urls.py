from django.urls import URLPattern, URLResolver, path

from hamkor.accounts import two_factor_views, views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.password_change, name="password_change"),
    path("profile/tokens/", views.create_token, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.revoke, name="token_revoke"),
    path("profile/tokens/<int:pk>/calls/", views.token_calls, name="token_calls"),
    path("profile/two-factor/", two_factor_views.setup, name="two_factor_setup"),
    path("profile/two-factor/confirm/", two_factor_views.confirm, name="two_factor_confirm"),
    path(
        "profile/two-factor/recovery-codes/",
        two_factor_views.regenerate_codes,
        name="two_factor_recovery",
    ),
    path("profile/two-factor/off/", two_factor_views.disable, name="two_factor_disable"),
    path("login/code/", two_factor_views.verify, name="two_factor_verify"),
    path("access/two-factor/", two_factor_views.policy, name="two_factor_policy"),
    path("access/api-calls/", views.api_calls, name="api_calls"),
]
