"""Base settings. The environment is read here and nowhere else."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _checkout_dir() -> Path:
    """The source checkout when installed in editable mode, else the working directory."""
    candidate = PACKAGE_DIR.parent.parent
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("AREASEND_DATA_DIR", _checkout_dir()))
SECRET_KEY = os.environ.get("AREASEND_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("AREASEND_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("AREASEND_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'areasend.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "areasend.core",
    "areasend.accounts",
    "areasend.areas",
    "areasend.history",
    "areasend.frameworks",
    "areasend.inspections",
    "areasend.followup",
    "areasend.programme",
    "areasend.datapack",
    "areasend.annexa",
]

MIDDLEWARE = [
    "areasend.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "areasend.core.inputs.InputGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "areasend.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "areasend.urls"
WSGI_APPLICATION = "areasend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "areasend.core.context_processors.service",
            ],
            "builtins": ["areasend.core.templatetags.govuk"],
        },
    }
]

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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"

# Lock out an account (username) after repeated failed sign-ins.
AXES_FAILURE_LIMIT = int(os.environ.get("AREASEND_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
# GOV.UK Frontend is compiled by `make install` (npm) into this ignored folder.
STATICFILES_DIRS = [PACKAGE_DIR / "static_build"]
# Uploaded documents: kept under the data directory, outside the web root. No URL serves this folder;
# each document is served by a page that checks who may see it (an S3-compatible store through
# django-storages replaces the default backend in production).
MEDIA_ROOT = Path(os.environ.get("AREASEND_UPLOADS_DIR", DATA_DIR / "uploads"))
MAX_UPLOAD_BYTES = int(os.environ.get("AREASEND_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Collects the hashed files and the manifest production serves from; links files by their own names.
    "staticfiles": {"BACKEND": "areasend.core.staticfiles.CollectedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (django-tasks): queued in the database itself, so the embedded SQLite default needs no
# other server and PostgreSQL deployments can run `areasend worker` on as many machines as they like.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = os.environ.get("AREASEND_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The range of dates a record may carry (the input layer refuses others with a message).
AREASEND_EARLIEST_DATE = os.environ.get("AREASEND_EARLIEST_DATE", "2000-01-01")
AREASEND_LATEST_DATE = os.environ.get("AREASEND_LATEST_DATE", "2100-12-31")
DEFAULT_FROM_EMAIL = os.environ.get("AREASEND_FROM_EMAIL", "areasend@localhost")

SERVICE_NAME = "Area SEND inspections"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AREASEND_LOG_LEVEL", "WARNING")},
}
