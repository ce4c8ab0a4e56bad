"""Hamkor settings, read only from HAMKOR_* environment variables (see README)."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

# Lets typed code subscript Django generics (ModelAdmin[User], QuerySet[Contact]) at run time.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"HAMKOR_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


_TESTING = "pytest" in sys.modules
# A test run never writes into a developer's var/ folder.
_default_var = tempfile.mkdtemp(prefix="hamkor-test-") if _TESTING else str(Path.cwd() / "var")
VAR_DIR = Path(env("VAR_DIR", _default_var)).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use HAMKOR_SECRET_KEY, else a key generated once into var/ so restarts keep sessions."""
    configured = env("SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",
    "hamkor.core",
    "hamkor.accounts",
    "hamkor.contacts",
    "hamkor.activities",
    "hamkor.sales",
    "hamkor.messaging",
    "hamkor.automation",
    "hamkor.projects",
    "hamkor.billing",
    "hamkor.overview",
    "hamkor.support",
    "hamkor.portal",
    "hamkor.feedback",
    "hamkor.webforms",
    "hamkor.booking",
    "hamkor.marketing",
    "hamkor.analytics",
    "hamkor.imports",
    "hamkor.reports",
    "hamkor.transfer",
    "hamkor.audit",
    "hamkor.consent",
    "hamkor.privacy",
    "hamkor.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hamkor.audit.middleware.AuditOriginMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hamkor.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "hamkor.config.urls"
WSGI_APPLICATION = "hamkor.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Django's renderer, but selects are built in Python (see the module for why).
FORM_RENDERER = "hamkor.core.form_renderer.HamkorFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hamkor.sqlite3'}")
DATABASES: dict[str, Any] = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the worker read while the other writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = env("LANGUAGE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("uz", _("Uzbek")),
    ("ky", _("Kyrgyz")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Tashkent")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root on every start
MEDIA_ROOT = VAR_DIR / "media"
# Never served as is: uploaded files are downloaded through views that check who may see them.
MEDIA_URL = "media/"
# Largest task attachment accepted, in megabytes.
HAMKOR_ATTACHMENT_MAX_MB = int(env("ATTACHMENT_MAX_MB", "10"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders, so a fresh checkout needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

HAMKOR_DEFAULT_CURRENCY = env("DEFAULT_CURRENCY", "UZS")
# Reports and totals across currencies are converted into this one.
HAMKOR_BASE_CURRENCY = env("BASE_CURRENCY", "UZS")
HAMKOR_PHONE_REGION = env("PHONE_REGION", "UZ")
HAMKOR_ORGANISATION_NAME = env("ORGANISATION_NAME", "Hamkor")
# Invoices (hamkor.billing): days from issue to due date, and text printed under the totals
# of every invoice PDF (bank details, address; "\n" starts a new line).
HAMKOR_INVOICE_DUE_DAYS = int(env("INVOICE_DUE_DAYS", "14"))
HAMKOR_INVOICE_FOOTER = env("INVOICE_FOOTER", "")


def huey_config(*, redis_url: str, var_dir: Path, immediate: bool, workers: int) -> dict[str, Any]:
    """Redis when a URL is given (many workers on many machines), else a SQLite file."""
    config: dict[str, Any]
    if redis_url:
        config = {
            "huey_class": "huey.RedisHuey",
            "name": env("HUEY_NAME", "hamkor"),
            "url": redis_url,
        }
    else:
        config = {
            "huey_class": "huey.SqliteHuey",
            "name": "hamkor",
            "filename": str(var_dir / "huey.sqlite3"),
        }
    config["immediate"] = immediate
    config["consumer"] = {"workers": workers, "worker_type": "thread"}
    return config


REDIS_URL = env("REDIS_URL")
# Under pytest, jobs run inline; tests that need a real queue build one explicitly.
HUEY = huey_config(
    redis_url=REDIS_URL,
    var_dir=VAR_DIR,
    immediate=_TESTING or env_bool("HUEY_IMMEDIATE"),
    workers=int(env("WORKER_THREADS", "2")),
)
# How much the background worker yields the CPU to web requests (Unix niceness, 0-19): a
# burst of form posts or a busy morning should not wait behind lead matching and reports.
WORKER_NICE = int(env("WORKER_NICE", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Messaging (hamkor.messaging). Integrations are off unless *_ENABLED=1; an enabled one that
# lacks its settings fails loudly when used (see hamkor.messaging.providers).
# Customers get automated and marketing messages only inside these hours, their time zone.
HAMKOR_QUIET_HOURS = env("QUIET_HOURS", "09:00-20:00")
HAMKOR_MESSAGING_MAX_ATTEMPTS = int(env("MESSAGING_MAX_ATTEMPTS", "5"))
HAMKOR_MESSAGING_RETRY_SECONDS = int(env("MESSAGING_RETRY_SECONDS", "30"))
# A message still "sending" this long after its claim is taken to be from a crashed worker.
HAMKOR_MESSAGING_STALE_MINUTES = int(env("MESSAGING_STALE_MINUTES", "10"))
# Base address of this installation, for provider callback URLs.
HAMKOR_PUBLIC_URL = env("PUBLIC_URL")
# Support (hamkor.support): a customer's Telegram, SMS or email message opens or joins a ticket.
HAMKOR_SUPPORT_TICKETS_FROM_MESSAGES = env_bool("SUPPORT_TICKETS_FROM_MESSAGES", True)

HAMKOR_EMAIL_ENABLED = env_bool("EMAIL_ENABLED")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if HAMKOR_EMAIL_ENABLED
    # Development: mail is printed to the log instead of leaving the machine.
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "hamkor@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

HAMKOR_IMAP_ENABLED = env_bool("IMAP_ENABLED")
HAMKOR_IMAP_HOST = env("IMAP_HOST")
HAMKOR_IMAP_PORT = int(env("IMAP_PORT", "993"))
HAMKOR_IMAP_SSL = env_bool("IMAP_SSL", True)
HAMKOR_IMAP_USER = env("IMAP_USER")
HAMKOR_IMAP_PASSWORD = env("IMAP_PASSWORD")
HAMKOR_IMAP_MAILBOX = env("IMAP_MAILBOX", "INBOX")

HAMKOR_SMS_ENABLED = env_bool("SMS_ENABLED")
HAMKOR_SMS_PROVIDER = env("SMS_PROVIDER", "eskiz")  # eskiz | http
# Secret part of the delivery-report and incoming-SMS callback URLs.
HAMKOR_SMS_CALLBACK_SECRET = env("SMS_CALLBACK_SECRET")
HAMKOR_ESKIZ_URL = env("ESKIZ_URL", "https://notify.eskiz.uz")
HAMKOR_ESKIZ_EMAIL = env("ESKIZ_EMAIL")
HAMKOR_ESKIZ_PASSWORD = env("ESKIZ_PASSWORD")
HAMKOR_ESKIZ_FROM = env("ESKIZ_FROM", "4546")
HAMKOR_SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
HAMKOR_SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
HAMKOR_SMS_GATEWAY_SENDER = env("SMS_GATEWAY_SENDER")
# 1 when the gateway honours the Idempotency-Key header (then a crashed send is retried).
HAMKOR_SMS_GATEWAY_IDEMPOTENT = env_bool("SMS_GATEWAY_IDEMPOTENT")

HAMKOR_TELEGRAM_ENABLED = env_bool("TELEGRAM_ENABLED")
HAMKOR_TELEGRAM_BOT_TOKEN = env("TELEGRAM_BOT_TOKEN")
HAMKOR_TELEGRAM_WEBHOOK_SECRET = env("TELEGRAM_WEBHOOK_SECRET")
HAMKOR_TELEGRAM_API_URL = env("TELEGRAM_API_URL", "https://api.telegram.org")


# Backups (hamkor.backups): where `hamkor backup` and the nightly job write, how many archives
# are kept (0 keeps all), the local time of the nightly backup ("off" switches it off), and a
# scratch PostgreSQL database that `hamkor backup --verify` restores into (it is overwritten).
HAMKOR_BACKUP_DIR = env("BACKUP_DIR", str(VAR_DIR / "backups"))
HAMKOR_BACKUP_KEEP = env("BACKUP_KEEP", "7")
HAMKOR_BACKUP_TIME = env("BACKUP_TIME", "02:30")
HAMKOR_BACKUP_VERIFY_DATABASE_URL = env("BACKUP_VERIFY_DATABASE_URL")

# --- Access (issue 8): two-factor login, lockout, sessions, API token scopes ---
# See docs/access.md.
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]
_auth_index = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE[_auth_index + 1 : _auth_index + 1] = [
    # Marks request.user verified once a second factor was given in this session.
    "django_otp.middleware.OTPMiddleware",
    # Keeps a session that still owes its second factor on the code or set-up page.
    "hamkor.accounts.middleware.TwoFactorMiddleware",
]
# Near the top, so the logged duration covers nearly all of the request.
MIDDLEWARE.insert(1, "hamkor.accounts.middleware.ApiCallLogMiddleware")
# Axes asks to be last: it turns a locked-out login into the lockout page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    # Refuses locked-out username+IP pairs before the password is even checked.
    "hamkor.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

HAMKOR_LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
HAMKOR_LOGIN_LOCKOUT_MINUTES = int(env("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_FAILURE_LIMIT = HAMKOR_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=HAMKOR_LOGIN_LOCKOUT_MINUTES)
# One attacker guessing one account; a shared office IP does not lock out colleagues.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during a lockout do not extend it: "try again in 15 minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "hamkor.accounts.views.locked_out"
# No start-up banner: `hamkor token create` prints the secret alone, for scripts.
AXES_VERBOSE = False
# Behind N reverse proxies the client is the Nth address from the right of X-Forwarded-For;
# the lockout and the API call log both read it through accounts.client_ip.
HAMKOR_PROXY_COUNT = int(env("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "hamkor.accounts.client_ip.client_ip"

OTP_TOTP_ISSUER = HAMKOR_ORGANISATION_NAME
# Wrong codes wait 1, 2, 4, 8 … seconds before the next try (per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

HAMKOR_PASSWORD_MIN_LENGTH = int(env("PASSWORD_MIN_LENGTH", "10"))
_password_validators: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": HAMKOR_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_PASSWORD_VALIDATORS = _password_validators

HAMKOR_SESSION_HOURS = int(env("SESSION_HOURS", "12"))
SESSION_COOKIE_AGE = HAMKOR_SESSION_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE")
# API call log rows older than this are deleted nightly.
HAMKOR_API_LOG_RETENTION_DAYS = int(env("API_LOG_RETENTION_DAYS", "90"))


# --- Hardening (issue 8): security headers, content security policy, uploads ---
# See docs/security.md. "Production" is HAMKOR_DEBUG=0, a long random HAMKOR_SECRET_KEY, real
# HAMKOR_ALLOWED_HOSTS and HTTPS: HAMKOR_SSL_REDIRECT=1 (which also turns on HSTS and secure
# cookies unless they are set otherwise); `hamkor check --deploy` is then clean.
_security_index = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_security_index:_security_index] = [
    "hamkor.core.headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
]
# The API's interactive docs from our own static files, not from a CDN (CSP allows only 'self').
INSTALLED_APPS += ["ninja"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page is meant to be framed: web forms are embedded as HTML or a script, the booking page
# is linked (its form needs our CSRF cookie, which a cross-site frame does not send).
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT")
# Behind a TLS-terminating proxy: the header that proxy sets, e.g. "X-Forwarded-Proto". Only set
# this when the proxy always overwrites the header, or a client could claim HTTPS.
HAMKOR_PROXY_SSL_HEADER = env("PROXY_SSL_HEADER")
if HAMKOR_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + HAMKOR_PROXY_SSL_HEADER.upper().replace("-", "_"),
        "https",
    )
# A site that redirects to HTTPS tells browsers to stay there for a year unless told otherwise.
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000" if SECURE_SSL_REDIRECT else "0"))
# Covers only hosts below ours (crm.example.uz -> *.crm.example.uz), never the parent domain.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a promise for the whole registered domain, so it is the administrator's choice.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD")
if "HAMKOR_SECURE_COOKIES" not in os.environ and SECURE_SSL_REDIRECT:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    # W021 asks for preload; not sending it is deliberate (see above and docs/security.md).
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]

# The one inline <style> on our pages: htmx 2 adds it to <head> when it starts (its loading
# indicator; app.css has the same rules). Allowed by its exact hash, nothing else inline is.
_HTMX_INDICATOR_STYLE = (
    ".htmx-indicator{opacity:0;visibility: hidden} "
    ".htmx-request .htmx-indicator, .htmx-request.htmx-indicator"
    "{opacity:1;visibility: visible;transition: opacity 200ms ease-in}"
)
_HTMX_STYLE_HASH = base64.b64encode(hashlib.sha256(_HTMX_INDICATOR_STYLE.encode()).digest())

# django-csp 4 format. No inline scripts, styles or event handlers in our templates, so no
# 'unsafe-inline' and no nonces; nothing uses htmx features that need eval (hx-on, js: values,
# [filters]), so no 'unsafe-eval'. Stored files get a stricter sandbox policy (core.downloads).
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", f"'sha256-{_HTMX_STYLE_HASH.decode()}'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Our pages post only to us. A web form on a customer's site posts to /f/<uuid>/ under
        # that site's policy, not this one.
        "form-action": ["'self'"],
    },
}
