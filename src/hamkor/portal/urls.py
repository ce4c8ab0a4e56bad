from django.urls import URLPattern, URLResolver, path

from hamkor.portal.views import login, profile, records

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", records.home, name="home"),
    path("login/", login.login, name="login"),
    path("login/code/", login.verify, name="verify"),
    path("logout/", login.logout, name="logout"),
    path("language/", login.set_language, name="set_language"),
    path("orders/", records.order_list, name="order_list"),
    path("orders/<uuid:order_uuid>/", records.order_detail, name="order_detail"),
    path("invoices/", records.invoice_list, name="invoice_list"),
    path("invoices/<uuid:invoice_uuid>/", records.invoice_detail, name="invoice_detail"),
    path("invoices/<uuid:invoice_uuid>/pdf/", records.invoice_pdf, name="invoice_pdf"),
    path("projects/", records.project_list, name="project_list"),
    path("projects/<uuid:project_uuid>/", records.project_detail, name="project_detail"),
    path("profile/", profile.profile, name="profile"),
]
