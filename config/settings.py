"""Settings for Sinergi Sakti.

One module, driven by environment variables, so the demo, the tests, CI and production
differ only in what the environment says (DATABASE_URL, SECRET_KEY, DEBUG, ...).
"""

import os
import typing
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SINERGI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# The fallback key is only for local demo and tests; production refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or env_bool("SINERGI_ALLOW_INSECURE_KEY", True)):
        raise RuntimeError("SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-local-demo-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "sinergi.web.apps.SinergiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "sinergi.core",
    "sinergi.ledger",
    "sinergi.regions",
    "sinergi.accounts",
    "sinergi.actors",
    "sinergi.policy",
    "sinergi.forums",
    "sinergi.meetings",
    "sinergi.notifications",
    "sinergi.aspirations",
    "sinergi.planning",
    "sinergi.consultations",
    "sinergi.open311",
    "sinergi.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and auth: a cached anonymous page skips all the work below it.
    "sinergi.core.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sinergi.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sinergi.core.middleware.ContentSecurityPolicyMiddleware",
    "sinergi.core.api_errors.ApiJsonErrorsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Listed first so our registration/ templates win over django.contrib.admin's.
        "DIRS": [BASE_DIR / "sinergi" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sinergi.core.context_processors.site",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'sinergi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, plus a file lock that queues writers instead of SQLite's sleep-and-retry
    # (sinergi/core/sqlite_backend/base.py: the tail latency under concurrent writes).
    DATABASES["default"]["ENGINE"] = "sinergi.core.sqlite_backend"
    # Tests use an in-memory database, as Django does for SQLite by default (said explicitly because
    # pytest-django recognises SQLite by the stock engine's name only).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of
        # failing with "database is locked" halfway through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Citizens get Django's standard checks; officials get the stricter ones in accounts.passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sinergi.accounts.passwords.OfficialPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("SINERGI_PLAIN_STATIC", False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("SINERGI_PLAIN_STATIC", False)
MEDIA_ROOT = VAR_DIR / "media"
# API paths that take a JSON body above DATA_UPLOAD_MAX_MEMORY_SIZE (sinergi/core/api_errors.py): an aspiration
# with 3 photos of 5 MB as base64 is about 20 MB. Every other request keeps Django's 2.5 MB.
# Request paths (regular expressions, matched against the whole path) whose API body may exceed
# DATA_UPLOAD_MAX_MEMORY_SIZE: an aspiration and the tracker's added information carry up to 3 photos of
# 5 MB each as base64 (sinergi/core/api_errors.py).
API_BODY_LIMITS = {
    "/api/v1/aspirations/": 21 * 1024 * 1024,
    r"/api/v1/aspirations/track/[^/]+/information": 21 * 1024 * 1024,
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sinergi Sakti <noreply@sinergi.blitarkota.example>")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("SINERGI_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
}
# Anonymous pages are cached by public-log head (sinergi/core/page_cache.py); tests switch it off.
SINERGI_PAGE_CACHE = env_bool("SINERGI_PAGE_CACHE", True)

NINJA_PAGINATION_PER_PAGE = 50
# Bounded limit and offset: an overflowing value is a 422, never a database error (a 500).
NINJA_PAGINATION_CLASS = "sinergi.core.pagination.BoundedLimitOffsetPagination"
NINJA_PAGINATION_MAX_LIMIT = 200

# The deployment's own identity: which region this instance serves. Data, not code.
SINERGI: dict[str, typing.Any] = {
    "SITE_NAME": os.environ.get("SINERGI_SITE_NAME", "Sinergi Sakti"),
    "REGION_CODE": os.environ.get("SINERGI_REGION_CODE", "35.72"),
    "SITE_URL": os.environ.get("SINERGI_SITE_URL", "http://127.0.0.1:8000"),
    # Aspirations: the coordinator desk (SP4N-LAPOR! admin instansi) and the PPID desk, by organisation slug.
    "ASPIRATION_COORDINATORS": ["diskominfotik"],
    "PPID_ORGANISATIONS": ["diskominfotik"],
    # Working days after resolution in which the reporter may reopen the case.
    "ASPIRATION_REOPEN_WORKING_DAYS": 10,
    # Optional override of workdays.DEFAULT_DEADLINE_POLICIES: {"pengaduan": {"verify": 3, ...}, ...}.
    "ASPIRATION_DEADLINES": {},
}

# SMS/WhatsApp gateway (sinergi/notifications/gateway.py): an HTTP endpoint that takes
# {"channel", "to", "message"} with a bearer token. Without a URL those notices are recorded as skipped.
SINERGI_MESSAGE_GATEWAY = {
    "URL": os.environ.get("SINERGI_MESSAGE_GATEWAY_URL", ""),
    "TOKEN": os.environ.get("SINERGI_MESSAGE_GATEWAY_TOKEN", ""),
    "TIMEOUT": 5,  # seconds per request
    "MAX_ATTEMPTS": 5,  # then the notice is marked failed
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
