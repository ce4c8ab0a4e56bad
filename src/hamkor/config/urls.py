from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hamkor.accounts.forms import LoginForm
from hamkor.accounts.views import set_language
from hamkor.activities.views import home
from hamkor.config.api import api

urlpatterns = [
    # First: the public form endpoint takes bursts of posts from company websites, and every
    # pattern tried before it costs each post a regex match.
    path("f/", include("hamkor.webforms.public_urls")),
    # Project-wide names (LOGIN_URL="login", LOGIN_REDIRECT_URL="home") live outside app namespaces.
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Ahead of Django's own, so a signed-in user's language choice is also saved on the profile.
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("hamkor.activities.urls")),
    path("", include("hamkor.accounts.urls")),
    path("contacts/", include("hamkor.contacts.urls")),
    # The 360° pages sit beside the contact and company pages: /contacts/<id>/overview/.
    path("contacts/", include("hamkor.overview.urls")),
    path("sales/", include("hamkor.sales.urls")),
    path("messaging/", include("hamkor.messaging.urls")),
    path("automation/", include("hamkor.automation.urls")),
    path("projects/", include("hamkor.projects.urls")),
    path("billing/", include("hamkor.billing.urls")),
    path("support/", include("hamkor.support.urls")),
    path("feedback/", include("hamkor.feedback.urls")),
    path("webforms/", include("hamkor.webforms.urls")),
    path("booking/", include("hamkor.booking.urls")),
    path("marketing/", include("hamkor.marketing.urls")),
    path("analytics/", include("hamkor.analytics.urls")),
    path("imports/", include("hamkor.imports.urls")),
    path("reports/", include("hamkor.reports.urls")),
    path("audit/", include("hamkor.audit.urls")),
    path("consent/", include("hamkor.consent.urls")),
    path("privacy/", include("hamkor.privacy.urls")),
    path("backups/", include("hamkor.backups.urls")),
    # Customer-facing: the portal (one-time-code login), public form posts, the booking page.
    path("portal/", include("hamkor.portal.urls")),
    path("portal/support/", include("hamkor.support.portal_urls")),
    path("portal/community/", include("hamkor.feedback.portal_urls")),
    path("book/", include("hamkor.booking.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
