"""URLs of the time, workload and risk pages, included by projects/urls.py."""

from django.urls import URLPattern, URLResolver, path

from hamkor.projects.views import time, workload

urlpatterns: list[URLPattern | URLResolver] = [
    path("time/", time.timesheet, name="timesheet"),
    path("time/new/", time.entry_create, name="time_create"),
    path("time/<int:pk>/edit/", time.entry_edit, name="time_edit"),
    path("time/<int:pk>/delete/", time.entry_delete, name="time_delete"),
    path("time/tasks/", time.task_options, name="time_task_options"),
    path("time/timer/start/", time.timer_start, name="timer_start"),
    path("time/timer/stop/", time.timer_stop, name="timer_stop"),
    path("time/timer/", time.timer_indicator, name="timer_indicator"),
    path("time/timer/button/", time.timer_button, name="timer_button"),
    path("time/rates/", time.rates, name="rates"),
    path("time/rates/<int:pk>/delete/", time.rate_delete, name="rate_delete"),
    path("workload/", workload.workload, name="workload"),
    path("workload/capacity/<int:user_id>/", workload.capacity, name="capacity"),
    path("risks/", workload.risks, name="risks"),
]
