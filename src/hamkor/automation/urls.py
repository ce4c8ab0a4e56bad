from django.urls import URLPattern, URLResolver, path

from hamkor.automation import views

app_name = "automation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_edit, name="rule_create"),
    path("rules/trigger-fields/", views.trigger_fields, name="trigger_fields"),
    path("rules/condition-row/", views.condition_row, name="condition_row"),
    path("rules/action-row/", views.action_row, name="action_row"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("deliveries/<int:pk>/redeliver/", views.delivery_redeliver, name="delivery_redeliver"),
]
