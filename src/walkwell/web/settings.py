"""One settings module, driven by environment variables (SQLite by default)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from walkwell.importers.base import ImportLimits


def env_str(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    value = env_str(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env_str(name, str(default)))


WALKWELL_HOME = Path(env_str("WALKWELL_HOME", str(Path.home() / ".walkwell")))
PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700  # health data: the owner only
if not WALKWELL_HOME.exists():
    WALKWELL_HOME.mkdir(parents=True, mode=PRIVATE_FOLDER)
    WALKWELL_HOME.chmod(PRIVATE_FOLDER)  # mkdir's mode is narrowed by the umask only


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once under WALKWELL_HOME."""
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    key_file = WALKWELL_HOME / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=PRIVATE_FILE)
        key_file.chmod(PRIVATE_FILE)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = [
    h for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "walkwell.web.accounts",
    "walkwell.web.program",
    "walkwell.web.imports",
    "walkwell.web.pages",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise serves the app's own static files under any server (runserver for
    # one person, gunicorn for a clinic) without a separate web server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # "today" is the signed-in person's own day (their time zone in Settings)
    "walkwell.web.accounts.zones.PersonTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes last: it watches the login attempts the views above have handled.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "walkwell.web.urls"
TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "walkwell.web.pages.context.site",
            ],
        },
    },
]
WSGI_APPLICATION = "walkwell.web.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{WALKWELL_HOME / 'walkwell.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}


def _sqlite_options(name: str) -> dict[str, Any]:
    """Writers wait their turn instead of failing with "database is locked".

    WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock
    when a transaction begins, so a transaction that read first never finds the
    lock taken when it comes to write (SQLite would refuse it at once rather than
    wait); the timeout is how long a writer waits for the lock. synchronous=FULL
    syncs the WAL at every commit, so a walk reported as saved survives a power
    cut (NORMAL could lose the last commits); see docs/operating.md.
    """
    if name != ":memory:" and not name.startswith("file:"):
        _private_database(Path(name))
    synchronous = env_str("SQLITE_SYNCHRONOUS", "FULL").upper()
    if synchronous not in {"NORMAL", "FULL", "EXTRA"}:
        raise ImproperlyConfigured(
            f"SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA (got {synchronous!r})"
        )
    pragmas = ("PRAGMA journal_mode=WAL", f"PRAGMA synchronous={synchronous}")
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30),
        "init_command": "; ".join(pragmas),
    }


def _private_database(database: Path) -> None:
    """Create the database file (and tighten one made by an older version) 0600:
    SQLite gives its -wal and -shm files the mode of the database file."""
    if not database.parent.is_dir():
        return  # not ours to create; SQLite names the problem on first use
    database.touch(mode=PRIVATE_FILE)
    for path in (database, *(Path(f"{database}{end}") for end in ("-wal", "-shm"))):
        if path.exists():
            path.chmod(PRIVATE_FILE)


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = _sqlite_options(str(DATABASES["default"]["NAME"]))
# Test runs sharing one server (two CI jobs, two checkouts) each name their own
# throwaway database, so one run never drops another's.
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = WALKWELL_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise looks here first, even when it is empty
# Serve straight from the apps' static folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Sign-in: django-axes throttles by username and address together (so one attacker
# cannot lock everyone out) and lets the person try again after a cool-off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "pages:today"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# Email (password-reset links). By default a mail is printed where `walkwell serve`
# runs; EMAIL_BACKEND=file writes each one under EMAIL_FILE_PATH (readable by the
# owner only); EMAIL_BACKEND=smtp sends it through EMAIL_HOST.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "console")
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_email_backend.lower(), _email_backend)
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(WALKWELL_HOME / "mail")))
if _EMAIL_BACKENDS["file"] == EMAIL_BACKEND:
    EMAIL_FILE_PATH.mkdir(mode=0o700, parents=True, exist_ok=True)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "WalkWell <walkwell@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Import and upload limits (docs/import.md): each keeps a hostile or runaway file
# harmless, and each can be tightened here. web/imports/conf.py reads them.
_IMPORT = ImportLimits()
# Web exports of more rows than this are written by the task worker (docs/data.md).
WALKWELL_EXPORT_TASK_ROWS = env_int("WALKWELL_EXPORT_TASK_ROWS", 20_000)
WALKWELL_UPLOAD_MAX_FILES = env_int("WALKWELL_UPLOAD_MAX_FILES", 20)
WALKWELL_UPLOAD_MAX_BYTES = env_int("WALKWELL_UPLOAD_MAX_BYTES", 5 * 1024**3)
WALKWELL_IMPORT_MAX_FILE_BYTES = env_int(
    "WALKWELL_IMPORT_MAX_FILE_BYTES", _IMPORT.max_file_bytes
)
WALKWELL_IMPORT_MAX_ARCHIVE_MEMBERS = env_int(
    "WALKWELL_IMPORT_MAX_ARCHIVE_MEMBERS", _IMPORT.max_archive_members
)
WALKWELL_IMPORT_MAX_MEMBER_BYTES = env_int(
    "WALKWELL_IMPORT_MAX_MEMBER_BYTES", _IMPORT.max_member_bytes
)
WALKWELL_IMPORT_MAX_TOTAL_UNCOMPRESSED_BYTES = env_int(
    "WALKWELL_IMPORT_MAX_TOTAL_UNCOMPRESSED_BYTES", _IMPORT.max_total_uncompressed_bytes
)
WALKWELL_IMPORT_MAX_COMPRESSION_RATIO = float(
    env_int("WALKWELL_IMPORT_MAX_COMPRESSION_RATIO", 0) or _IMPORT.max_compression_ratio
)
WALKWELL_IMPORT_MAX_XML_DEPTH = env_int(
    "WALKWELL_IMPORT_MAX_XML_DEPTH", _IMPORT.max_xml_depth
)
WALKWELL_IMPORT_MAX_TRACK_POINTS = env_int(
    "WALKWELL_IMPORT_MAX_TRACK_POINTS", _IMPORT.max_track_points
)

# Content Security Policy: only our own files; any inline script must carry the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
