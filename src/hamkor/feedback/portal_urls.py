"""Customer-facing pages of this app under /portal/community/ (portal sign-in, no staff login)."""

from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

from hamkor.feedback.views import portal

app_name = "feedback_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", RedirectView.as_view(pattern_name="feedback_portal:news"), name="home"),
    path("news/", portal.news, name="news"),
    path("news/<uuid:pk>/", portal.news_detail, name="news_detail"),
    path("news/<uuid:pk>/react/", portal.news_react, name="news_react"),
    path("news/<uuid:pk>/comment/", portal.news_comment, name="news_comment"),
    path("comments/<uuid:pk>/delete/", portal.comment_delete, name="comment_delete"),
    path("ideas/", portal.ideas, name="ideas"),
    path("ideas/<uuid:pk>/", portal.idea_detail, name="idea_detail"),
    path("ideas/<uuid:pk>/vote/", portal.idea_vote, name="idea_vote"),
    path("ideas/<uuid:pk>/edit/", portal.idea_edit, name="idea_edit"),
    # Answered from the link in the message, without signing in: the token is the key.
    path("survey/<str:token>/", portal.survey_answer, name="survey_answer"),
]
