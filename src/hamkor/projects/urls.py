from django.urls import URLPattern, URLResolver, include, path

from hamkor.projects.views import projects, tasks, workflows

app_name = "projects"
# Each area's views module lists its own URL patterns.
urlpatterns: list[URLPattern | URLResolver] = [
    *tasks.urlpatterns,
    *workflows.urlpatterns,
    *projects.urlpatterns,
    path("", include("hamkor.projects.urls_time")),
]
