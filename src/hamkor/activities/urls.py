from django.urls import URLPattern, URLResolver, path

from hamkor.activities import views

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
]
