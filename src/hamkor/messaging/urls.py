from django.urls import URLPattern, URLResolver, path

from hamkor.messaging import views, webhooks

app_name = "messaging"
urlpatterns: list[URLPattern | URLResolver] = [
    path("contacts/<int:contact_id>/preview/", views.preview, name="preview"),
    path("contacts/<int:contact_id>/send/", views.send, name="send"),
    path("messages/<int:message_id>/retry/", views.retry, name="retry"),
    path("sms/<str:secret>/status/", webhooks.sms_status, name="sms_status"),
    path("sms/<str:secret>/incoming/", webhooks.sms_incoming, name="sms_incoming"),
    path("telegram/webhook/", webhooks.telegram_webhook, name="telegram_webhook"),
]
