"""Weerbaar settings: one module, every knob read from the environment.

Each variable is read through a small typed helper that refuses junk loudly, with a one-line
comment saying what it is for; docs/deployment.md lists them all.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd credentials)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to {file_name!r}, which cannot be read") from exc
    return os.environ.get(name, default)


# DEBUG: development conveniences (never in production).
DEBUG = env_bool("DEBUG", False)
# WEERBAAR_PRODUCTION: switch on the production hardening (HTTPS-only cookies, HSTS, a real secret).
PRODUCTION = env_bool("WEERBAAR_PRODUCTION", False)

# SECRET_KEY: signs sessions, password-reset and invitation links. Required in production.
SECRET_KEY = env_secret("SECRET_KEY", DEV_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production.")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when WEERBAAR_PRODUCTION is on.")

# ALLOWED_HOSTS: comma-separated host names this instance answers to.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
# CSRF_TRUSTED_ORIGINS: origins (https://host) allowed to post forms, needed behind a proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "weerbaar.core",
    "weerbaar.audit",
    "weerbaar.catalogue",
    "weerbaar.register",
    "weerbaar.scans",
    "weerbaar.plan",
    "weerbaar.attention",
    "weerbaar.reports",
    "weerbaar.dashboards",
    "weerbaar.accounts",
    "weerbaar.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weerbaar.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "weerbaar.api.middleware.ApiVersionMiddleware",
    "weerbaar.accounts.middleware.IdleTimeoutMiddleware",
    "weerbaar.core.middleware.ActiveOrganisationMiddleware",
    "weerbaar.accounts.middleware.TwoFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "weerbaar.urls"
WSGI_APPLICATION = "weerbaar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "weerbaar.core.context_processors.navigation",
            ],
        },
    },
]

# DATABASE_URL: sqlite:///path or postgres://user@host:port/name; default is an embedded SQLite file.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{REPO_DIR / 'var' / 'weerbaar.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE makes writers queue instead of failing with "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# PASSWORD_RESET_TIMEOUT: seconds a password-reset link stays valid.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60, minimum=300)
# INVITATION_VALID_DAYS: days an invitation link for a new user stays valid.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)

# SESSION_IDLE_TIMEOUT_MINUTES: a session without activity for this long is logged out.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = 12 * 60 * 60  # hard cap on a working day, whatever the activity
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "weerbaar_sessie"
CSRF_COOKIE_NAME = "weerbaar_csrf"
CSRF_FAILURE_VIEW = "weerbaar.core.views.errors.csrf_failure"

# Lockout after repeated failed logins (BIO2 asks to limit login attempts).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "weerbaar.accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# TRUSTED_PROXY_COUNT: number of reverse proxies in front of the app that add X-Forwarded-For.
# Lockout and the audit trail read the client address through the same function.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "weerbaar.core.http.client_ip"

OTP_TOTP_ISSUER = "Weerbaar"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "weerbaar_taal"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "var" / "static"
# Front-end packages copied from the npm registry by frontend/build.py (make assets).
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "static_vendor"]
# Static files are served by WhiteNoise; outside production straight from the app folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: invitations, password resets and (later) digests.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")  # SMTP server
EMAIL_PORT = env_int("EMAIL_PORT", 25)  # SMTP port
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")  # SMTP user name
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")  # SMTP password
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS towards the SMTP server
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Weerbaar <noreply@weerbaar.invalid>")  # sender address
# SITE_URL: the public address of the app, for links in e-mails that commands send (no request to ask).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")  # public base address
if PRODUCTION and not SITE_URL.startswith("https://"):
    # Otherwise the invitations and reminders to raters would link to this machine's loopback address.
    raise ImproperlyConfigured("SITE_URL must be the public https:// address of Weerbaar in production.")
# SECURITY_CONTACT: mailto: or https: address published in /.well-known/security.txt.
SECURITY_CONTACT = env_str("SECURITY_CONTACT", "mailto:security@weerbaar.invalid")

# Security headers. CSP is enforced (never report-only) and allows no inline script or style.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # redirect http to https
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)  # one year of HSTS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-weerbaar_sessie"
    CSRF_COOKIE_NAME = "__Host-weerbaar_csrf"
    LANGUAGE_COOKIE_SECURE = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "weerbaar.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["weerbaar.api.permissions.RolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "weerbaar.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "weerbaar.api.errors.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_VERSION = "1.0.0"
SPECTACULAR_SETTINGS = {
    "TITLE": "Weerbaar API",
    "DESCRIPTION": "API van Weerbaar volgens de Nederlandse API Design Rules.",
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Paths are relative to the server, which carries the major version (API Design Rules: /core/uri-version).
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVERS": [{"url": "/api/v1", "description": "Deze installatie van Weerbaar"}],
    "CONTACT": {
        "name": env_str("API_CONTACT_NAME", "Functioneel beheer Weerbaar"),  # who answers questions about the API
        "email": env_str("API_CONTACT_EMAIL", "api@weerbaar.invalid"),  # their e-mail address
        "url": env_str("API_CONTACT_URL", "https://weerbaar.invalid/"),  # their web page
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # Several resources have a field "status" with their own choices: each set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "weerbaar.scans.models.ScanState",
        "ActieplanStatusEnum": "weerbaar.plan.models.MeasureStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "weerbaar.api.schema.add_api_design_rules",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO ("Step 6 - Creating PDF"): noise in the logs.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
