"""ecomap settings, read from the environment (12-factor, in the style of healthchecks' hc/settings.py).

Every variable is documented in README.md ("Configuration"). Local use needs none of them: SQLite in
./data, a secret key generated into ./data, DEBUG off. `ECOMAP_ENV=production` refuses to start with an
unsafe configuration instead of running with one.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment; `NAME_FILE` names a file holding it (for secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = env(name, str(default)).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def envint(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


ENVIRONMENT = env("ECOMAP_ENV", "local")
if ENVIRONMENT not in {"local", "production"}:
    raise ImproperlyConfigured(f"ECOMAP_ENV must be 'local' or 'production', not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env("ECOMAP_DATA_DIR", str(PROJECT_DIR / "data"))).resolve()
DEBUG = envbool("ECOMAP_DEBUG", False)


def _local_secret_key() -> str:
    """A key generated once and kept in the data folder, so sessions survive restarts locally."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env("ECOMAP_SECRET_KEY") or ("" if PRODUCTION else _local_secret_key())
ALLOWED_HOSTS = envlist("ECOMAP_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("ECOMAP_CSRF_TRUSTED_ORIGINS")
SITE_NAME = env("ECOMAP_SITE_NAME", "ecomap")
# The agency named on consents and documents, until an administrator records it (accounts.Agency).
AGENCY_NAME = env("ECOMAP_AGENCY_NAME", "")
AGENCY_ADDRESS = env("ECOMAP_AGENCY_ADDRESS", "")
AGENCY_PHONE = env("ECOMAP_AGENCY_PHONE", "")
AGENCY_PRIVACY_OFFICER_NAME = env("ECOMAP_AGENCY_PRIVACY_OFFICER_NAME", "")
AGENCY_PRIVACY_OFFICER_CONTACT = env("ECOMAP_AGENCY_PRIVACY_OFFICER_CONTACT", "")

INSTALLED_APPS = [
    "ecomap.core",
    "ecomap.accounts",
    "ecomap.audit",
    "ecomap.clients",
    "ecomap.consents",
    "ecomap.network",
    "ecomap.modules",
    "ecomap.measures",
    "ecomap.mutualaid",
    "ecomap.directory",
    "ecomap.casework",
    "ecomap.training",
    "ecomap.reports",
    "ecomap.site",  # above the domain apps: it composes them
    "ecomap.site.apps.AdminConfig",  # django.contrib.admin with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ecomap.core.middleware.RequestContextMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ecomap.core.middleware.LoginRequiredMiddleware",
    # Last, as django-axes asks: it turns lockouts raised below into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ecomap.urls"
WSGI_APPLICATION = "ecomap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ecomap.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in the data folder unless DATABASE_URL says otherwise (PostgreSQL in production).
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "ecomap.sqlite3",
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait instead of failing.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:today"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after ECOMAP_SESSION_IDLE_MINUTES without a request (HIPAA automatic logoff).
SESSION_IDLE_MINUTES = envint("ECOMAP_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = envint("ECOMAP_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("ECOMAP_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False  # axes would otherwise log user names
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = envint("ECOMAP_PROXY_COUNT", 0) or None

# Mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env("ECOMAP_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("ECOMAP_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("ECOMAP_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env("ECOMAP_EMAIL_PASSWORD")
    EMAIL_USE_TLS = envbool("ECOMAP_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("ECOMAP_FROM_EMAIL", "ecomap@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The agency's local time zone, used to show dates; storage is always UTC.
DISPLAY_TIME_ZONE = env("ECOMAP_TIME_ZONE", "UTC")

# Content as data: module definitions (modules/content/README.md). A deployment may add folders of
# its own module files (comma-separated paths); every file is checked at start-up.
MODULE_DIRS = [BASE_DIR / "modules" / "content", *map(Path, envlist("ECOMAP_MODULE_DIRS"))]
# A folder of the deployment's questionnaire definitions (licensed ones): measures/instruments/README.
INSTRUMENTS_DIR = env("ECOMAP_INSTRUMENTS_DIR")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it to exist
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION  # serve straight from the apps locally, no collectstatic

# Content Security Policy (django-csp; built into Django 6): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

HTTPS = envbool("ECOMAP_HTTPS", PRODUCTION)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("ECOMAP_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("ECOMAP_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
if envbool("ECOMAP_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs carry request ids and record ids, never personal data (see ecomap/core/logging.py).
LOG_LEVEL = env("ECOMAP_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ecomap.core.logging.RequestIdFilter"},
        "no_query_string": {"()": "ecomap.core.logging.StripQueryStringFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "no_query_string"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Pages of the caseload list.
CASELOAD_PAGE_SIZE = envint("ECOMAP_CASELOAD_PAGE_SIZE", 25)


def _production_problems() -> list[str]:
    problems = []
    if not SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("ECOMAP_SECRET_KEY must be set to a random value of 50+ characters.")
    if DEBUG:
        problems.append("ECOMAP_DEBUG must be off.")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ECOMAP_ALLOWED_HOSTS must list the host names the site is served on.")
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL must point at PostgreSQL (SQLite is for local use).")
    if not HTTPS:
        problems.append("ECOMAP_HTTPS must be on: records may only travel encrypted.")
    return problems


if PRODUCTION and (_problems := _production_problems()):
    raise ImproperlyConfigured(
        "ecomap refuses to start in production with an unsafe configuration:\n  - "
        + "\n  - ".join(_problems)
    )
CSRF_FAILURE_VIEW = "ecomap.core.errors.csrf_failure"
