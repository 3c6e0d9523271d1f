"""Settings of the Migration and Development Portal.

Everything that differs between a laptop and a server comes from the environment; the defaults
are the safe ones (debug off, the embedded PostgreSQL, mail printed to the console).
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.embedded_db import embedded_database_url
from portal.secret import read_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var"))


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def postgresql_database(variable, url):
    """The database a URL names, with the options every connection shares; PostgreSQL only."""
    try:
        database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{variable} cannot be read ({error}).") from error
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"{variable} must point at a PostgreSQL server (postgres://...).")
    options = database.setdefault("OPTIONS", {})
    options["connect_timeout"] = 5
    # Parameters travel apart from the SQL, so psycopg prepares a statement that a connection has run
    # twice: PostgreSQL then parses and plans each of a page's queries once per connection instead of
    # once per request (planning was most of its work: 0.5-2.5 ms a page). A search ranks with a plan
    # of its own words (`portal.models.planned_each_time`). DATABASE_PREPARE=0 turns preparing off,
    # for a pooler that cannot keep prepared statements (PgBouncer before 1.21 in transaction mode).
    options["server_side_binding"] = True
    options["prepare_threshold"] = 2 if env_flag("DATABASE_PREPARE", default=True) else None
    # Choice lists iterate their querysets: a server-side cursor adds DECLARE, FETCH and CLOSE round
    # trips to a 76-row query, and would not survive PgBouncer's transaction pooling anyway.
    database["DISABLE_SERVER_SIDE_CURSORS"] = True
    return database


DEBUG = env_flag("DJANGO_DEBUG")
BENCHMARK = env_flag("PORTAL_BENCHMARK")  # adds the constant view that `make bench` measures

# Production is declared by naming the hosts the site answers for.
PRODUCTION = not DEBUG and bool(os.environ.get("DJANGO_ALLOWED_HOSTS"))
if PRODUCTION:
    ALLOWED_HOSTS = [h.strip() for h in os.environ["DJANGO_ALLOWED_HOSTS"].split(",") if h.strip()]
else:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a long random value in production "
            "(DJANGO_ALLOWED_HOSTS is set and DJANGO_DEBUG is off)."
        )
    SECRET_KEY = read_or_create_secret_key(DATA_DIR / "secret_key")
elif PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too short or too simple for production.")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, so that its tabbed forms win
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_prose_editor",
    "simple_history",
    "import_export",
    "portal",
    "initiatives",
    "glossary",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "portal.security.PortalCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.page_cache.AnonymousPageCacheMiddleware",
    "portal.db_router.PublicReadsOnReplicaMiddleware",  # needs the user; a cache hit needs no database
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.security.StaffSecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out attempts before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]

# Importing writes content, so it needs the add permission (editors, publishers); exporting needs view.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "csp.context_processors.nonce",
    "portal.context_processors.origin",
]
# The site's pages are Jinja2 templates (portal/jinja.py); the admin's templates and the e-mails are Django's.
TEMPLATES = [
    {
        "BACKEND": "portal.jinja.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "environment": "portal.jinja.environment",
            "context_processors": CONTEXT_PROCESSORS,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
    },
]

# PostgreSQL only: DATABASE_URL names a server, otherwise the embedded one under DATA_DIR.
DATABASE_URL = os.environ.get("DATABASE_URL") or embedded_database_url(DATA_DIR / "pgdata")
DATABASES = {"default": postgresql_database("DATABASE_URL", DATABASE_URL)}

# An optional streaming replica of it takes anonymous visitors' reads (portal/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **postgresql_database("DATABASE_REPLICA_URL", os.environ["DATABASE_REPLICA_URL"]),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["portal.db_router.PublicReadsOnReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two languages: Spanish is the source and the default, English is complete.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "es"
MODELTRANSLATION_LANGUAGES = ("es", "en")
USE_I18N = True
TIME_ZONE = "Europe/Zurich"  # Geneva, where the IOM Council meets
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", DATA_DIR / "media"))
# jQuery UI for the admin's language tabs (django-modeltranslation), served from here rather than
# from Google's CDN: the Content-Security-Policy admits scripts from this site only.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "portal.staticfinders.JQueryUIFinder",
]
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache shared by every process: Redis in production, files in the data folder when embedded.
# Keys carry the database's identity: portals on different databases never share pages.
CACHE_KEY_PREFIX = hashlib.sha256(DATABASE_URL.encode()).hexdigest()[:12]
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "portal@iom.invalid")

LOGIN_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come only from our own static files; the few inline elements carry a nonce
# (or, for the rich-text editor's import map, a hash: see portal/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        # Charts drawn on the server (pygal) carry their own <style>: inline styles are allowed, scripts never.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'self'"],  # the world map, an SVG document of our own
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_flag("DJANGO_HTTPS", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Login throttling: five failures lock that account, and that address, for fifteen minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("PORTAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

# A second factor (a TOTP app) for staff who moderate comments or publish content.
PORTAL_STAFF_OTP_REQUIRED = env_flag("PORTAL_STAFF_OTP_REQUIRED")
OTP_TOTP_ISSUER = "IOM Migration and Development Portal"

# Comments per delegate and hour; a delegate never needs more, a runaway script is stopped.
COMMENT_RATE_LIMIT = int(os.environ.get("PORTAL_COMMENT_RATE_LIMIT", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Uploaded PDFs of publications.
PUBLICATION_FILE_MAX_BYTES = 20 * 1024 * 1024

# The open data API: read-only JSON for everyone, no sessions (so no CSRF), described by OpenAPI.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Migration and Development Portal API",
    "DESCRIPTION": "Published initiatives, publications, glossary terms and approved comments of member "
    "states, each record in Spanish and English. Read-only; filters are those of the portal's pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "portal.api.document_limits"],
}
