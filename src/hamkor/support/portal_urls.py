"""Customer-facing pages of this app (portal login, or a signed link for the CSAT answer)."""

from django.urls import URLPattern, URLResolver, path

from hamkor.support.views import portal

app_name = "support_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", portal.ticket_list, name="ticket_list"),
    path("new/", portal.ticket_new, name="ticket_new"),
    path("new/suggestions/", portal.suggestions, name="suggestions"),
    path("requests/<uuid:ticket_uuid>/", portal.ticket_detail, name="ticket_detail"),
    path("requests/<uuid:ticket_uuid>/reply/", portal.ticket_reply, name="ticket_reply"),
    path("files/<uuid:attachment_uuid>/", portal.attachment, name="attachment"),
    path("help/", portal.help_centre, name="help"),
    path("help/<uuid:article_uuid>/", portal.article, name="article"),
    path("rate/<str:token>/", portal.csat, name="csat"),
]
