"""Staff pages under /feedback/."""

from django.urls import URLPattern, URLResolver, path

from hamkor.feedback.views import staff

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.index, name="index"),
    path("ideas/<int:pk>/", staff.suggestion_detail, name="suggestion_detail"),
    path("ideas/<int:pk>/visibility/", staff.suggestion_visibility, name="suggestion_visibility"),
    path("news/", staff.announcement_list, name="announcement_list"),
    path("news/new/", staff.announcement_edit, name="announcement_create"),
    path("news/<int:pk>/", staff.announcement_detail, name="announcement_detail"),
    path("news/<int:pk>/edit/", staff.announcement_edit, name="announcement_edit"),
    path("comments/<int:pk>/reply/", staff.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/visibility/", staff.comment_visibility, name="comment_visibility"),
    path("surveys/", staff.survey_list, name="survey_list"),
    path("surveys/new/", staff.survey_edit, name="survey_create"),
    path("surveys/<int:pk>/", staff.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", staff.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/send/", staff.survey_send, name="survey_send"),
]
