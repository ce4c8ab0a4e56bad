from django.urls import URLPattern, URLResolver, path

from hamkor.contacts import views
from hamkor.contacts.views import pickers

app_name = "contacts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_create, name="create"),
    path("similar/", views.similar, name="similar"),
    path("form-row/<str:kind>/", views.form_row, name="form_row"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/duplicates/", views.contact_duplicate_hint, name="duplicate_hint"),
    path("<int:pk>/panels/<slug:key>/", views.contact_panel, name="panel"),
    path("<int:pk>/edit/", views.contact_edit, name="edit"),
    path("<int:pk>/archive/", views.contact_archive, name="archive"),
    path("<int:pk>/consent/", views.record_consent_view, name="consent"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("merge/", views.merge_review, name="merge_review"),
    path("merge/confirm/", views.merge, name="merge"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", views.company_edit, name="company_edit"),
    path("companies/<int:pk>/archive/", views.company_archive, name="company_archive"),
    path("pick/<str:kind>/", pickers.pick, name="pick"),
]
