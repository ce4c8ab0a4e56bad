from django.urls import URLPattern, URLResolver, path

from hamkor.activities import views
from hamkor.activities.views import activities, calendar, notifications, stats

app_name = "activities"
urlpatterns: list[URLPattern | URLResolver] = [
    # Also named "home" in the root urlconf, which is the name templates and settings use.
    path("", views.home, name="home"),
    path("timeline/contact/<int:pk>/", views.contact_timeline, name="contact_timeline"),
    path("timeline/company/<int:pk>/", views.company_timeline, name="company_timeline"),
    path("interactions/contact/<int:pk>/", views.log_for_contact, name="log_contact"),
    path("interactions/company/<int:pk>/", views.log_for_company, name="log_company"),
    path("interactions/<int:pk>/edit/", views.edit, name="edit"),
    path("interactions/<int:pk>/delete/", views.delete, name="delete"),
    path("activities/new/", activities.create, name="create"),
    path("activities/overdue/", activities.overdue, name="overdue"),
    path("activities/stats/", stats.stats, name="stats"),
    path("activities/<int:pk>/", activities.detail, name="detail"),
    path("activities/<int:pk>/complete/", activities.complete, name="complete"),
    path("activities/<int:pk>/delete/", activities.delete, name="activity_delete"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/feed/regenerate/", calendar.regenerate_feed, name="regenerate_feed"),
    path("calendar/feed/revoke/", calendar.revoke_feed, name="revoke_feed"),
    path("calendar/feed/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/bell/", notifications.bell, name="bell"),
    path("notifications/read/", notifications.read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", notifications.read, name="notification_read"),
]
