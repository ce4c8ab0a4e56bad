from django.urls import URLPattern, URLResolver, path

from hamkor.marketing.views import panel, public, staff

app_name = "marketing"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.index, name="index"),
    path("segments/new/", staff.segment_create, name="segment_create"),
    path("segments/count/", staff.segment_count, name="segment_count"),
    path("segments/<int:pk>/", staff.segment_detail, name="segment_detail"),
    path("segments/<int:pk>/edit/", staff.segment_edit, name="segment_edit"),
    path("segments/<int:pk>/freeze/", staff.segment_freeze, name="segment_freeze"),
    path("segments/<int:pk>/delete/", staff.segment_delete, name="segment_delete"),
    path("segments/<int:pk>/send/", staff.send_compose, name="send_compose"),
    path("campaigns/", staff.campaign_list, name="campaign_list"),
    path("campaigns/new/", staff.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", staff.campaign_edit, name="campaign_edit"),
    path("effectiveness/", staff.effectiveness, name="effectiveness"),
    path("sends/", staff.send_list, name="send_list"),
    path("sends/<int:pk>/", staff.send_detail, name="send_detail"),
    path("contacts/<int:pk>/campaign/", panel.set_contact_campaign, name="contact_campaign"),
    path("unsubscribe/<str:token>/", public.unsubscribe_page, name="unsubscribe"),
]
