"""One settings module, driven by environment variables (SQLite by default)."""

from __future__ import annotations

import os
import secrets
from importlib.util import find_spec
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


# One switch for a deployment on the internet (docs/deploy.md, docs/security.md):
# secure cookies, HSTS, the HTTPS redirect and a key that must be given, not made.
WALKWELL_ENV = env_str("WALKWELL_ENV", "development").strip().lower()
if WALKWELL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"WALKWELL_ENV must be development or production (got {WALKWELL_ENV!r})"
    )
PRODUCTION = WALKWELL_ENV == "production"
MIN_SECRET_KEY_LENGTH = 50  # Django's own deployment check asks for this much


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once under WALKWELL_HOME.

    In production the key must be given, long and varied: a key generated on one
    app server would differ on the next, and a short one can be guessed."""
    configured = env_str("SECRET_KEY")
    if PRODUCTION and (
        len(configured) < MIN_SECRET_KEY_LENGTH or len(set(configured)) < 5
    ):
        raise ImproperlyConfigured(
            "WALKWELL_ENV=production needs SECRET_KEY (or SECRET_KEY_FILE) of at "
            f"least {MIN_SECRET_KEY_LENGTH} varied characters, the same on every app "
            "server; make one with: python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'"
        )
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
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("WALKWELL_ENV=production refuses DEBUG=1")
ALLOWED_HOSTS = [
    h.strip()
    for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
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
    "walkwell.web.clinic",
    "axes",
    # Two-factor sign-in: authenticator apps (TOTP) and single-use backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one, so error pages and refusals carry the headers too:
    # Permissions-Policy, and no-store on everything but static files.
    "walkwell.web.accounts.middleware.SecurityHeaders",
    # WhiteNoise serves the app's own static files under any server (runserver for
    # one person, gunicorn for a clinic) without a separate web server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session gave its second factor.
    "django_otp.middleware.OTPMiddleware",
    # "today" is the signed-in person's own day (their time zone in Settings)
    "walkwell.web.accounts.zones.PersonTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # The JSON API's own 404 and 405 answers, in JSON like its other refusals.
    "walkwell.web.api.middleware.JsonErrors",
    # Axes last: it watches the login attempts the views above have handled.
    "axes.middleware.AxesMiddleware",
    # Idle timeout and absolute lifetime of a signed-in session.
    "walkwell.web.accounts.middleware.SessionLimits",
    # Clinicians and admins (and anyone who turned it on) give a code from their
    # authenticator app before any page is served (docs/security.md).
    "walkwell.web.accounts.middleware.SecondFactorRequired",
]

ROOT_URLCONF = "walkwell.web.urls"


def _package_folder(name: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(f"the package {name!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


# Django Ninja's templates and static files: the API's docs page draws Swagger UI
# from them, never from a CDN (``walkwell.web.api.main.LocalSwagger``). Ninja is
# not an installed app, so that setting Django up (every command) does not
# import the API and pydantic's schema machinery: only the URLconf does.
NINJA_FILES = _package_folder("ninja")

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [NINJA_FILES / "templates"],
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


def _caches(url: str) -> dict[str, dict[str, Any]]:
    """CACHE_URL: empty for a cache in each process (one server), or redis://...
    for one cache shared by every app server and worker (the stored timeline and
    the Progress charts; ``pip install 'walkwell[redis]'``)."""
    if not url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
            }
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "walkwell"),
            }
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must be empty or a redis:// address (got {url.split(':', maxsplit=1)[0]}:...)"
    )


CACHES = _caches(env_str("CACHE_URL"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = WALKWELL_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise looks here first, even when it is empty
STATICFILES_DIRS = [NINJA_FILES / "static"]
# Serve straight from the apps' static folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: on in production. HSTS tells browsers to use HTTPS only for a year
# (preload: browsers may ship that promise built in; set SECURE_HSTS_PRELOAD=0 to
# opt out, and list security.W021 in SILENCED_CHECKS to keep the check quiet).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION
)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
SILENCED_SYSTEM_CHECKS = [c for c in env_str("SILENCED_CHECKS").split(",") if c]


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """ "X-Forwarded-Proto: https" -> ("HTTP_X_FORWARDED_PROTO", "https").

    Set only when a proxy you run sets that header and strips it from clients:
    otherwise anyone could claim to be on HTTPS."""
    if not value.strip():
        return None
    name, sep, expected = value.partition(":")
    if not sep or not name.strip() or not expected.strip():
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https' "
            f"(got {value!r})"
        )
    meta = "HTTP_" + name.strip().upper().replace("-", "_")
    return (meta, expected.strip())


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER"))
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", default=False)
# Forms posted through a proxy on another host: the origins the browser sees.
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env_str("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()
] or [
    f"https://{host.lstrip('.')}" if not host.startswith(".") else f"https://*{host}"
    for host in ALLOWED_HOSTS
    if host != "*"
]

# Sessions (docs/security.md): a new key at sign-in (Django's login), gone at
# sign-out and on a password change; an idle timeout and an absolute lifetime,
# shorter for clinicians and admins. accounts.middleware.SessionLimits applies them.
WALKWELL_SESSION_IDLE_MINUTES = env_int("WALKWELL_SESSION_IDLE_MINUTES", 7 * 24 * 60)
WALKWELL_SESSION_MAX_HOURS = env_int("WALKWELL_SESSION_MAX_HOURS", 30 * 24)
WALKWELL_STAFF_SESSION_IDLE_MINUTES = env_int("WALKWELL_STAFF_SESSION_IDLE_MINUTES", 30)
WALKWELL_STAFF_SESSION_MAX_HOURS = env_int("WALKWELL_STAFF_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = WALKWELL_SESSION_MAX_HOURS * 3600

# Sign-up: open (anyone), invite (only with a clinician's invitation) or closed
# (accounts are made with `walkwell manage createsuperuser` or by a clinic).
WALKWELL_SIGNUP = env_str("WALKWELL_SIGNUP", "invite" if PRODUCTION else "open")
if WALKWELL_SIGNUP not in {"open", "invite", "closed"}:
    raise ImproperlyConfigured(
        f"WALKWELL_SIGNUP must be open, invite or closed (got {WALKWELL_SIGNUP!r})"
    )
# Attempts from one address across any usernames (password spraying) and sign-ups
# from one address: after this many in the window, the address waits out the
# window; a cool-off, never a permanent lock one shared address could trigger.
WALKWELL_ADDRESS_ATTEMPTS = env_int("WALKWELL_ADDRESS_ATTEMPTS", 20)
WALKWELL_ADDRESS_WINDOW_MINUTES = env_int("WALKWELL_ADDRESS_WINDOW_MINUTES", 15)
WALKWELL_SIGNUPS_PER_ADDRESS = env_int("WALKWELL_SIGNUPS_PER_ADDRESS", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Calendar and password-reset addresses carry secrets: never logged in full.
    "filters": {"secrets": {"()": "walkwell.web.accounts.logs.RedactSecrets"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["secrets"]},
        "server": {
            "class": "logging.StreamHandler",
            "filters": ["secrets"],
            "formatter": "server",
        },
    },
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "loggers": {
        # The development server's access log (walkwell serve without --workers).
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
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
AXES_LOCKOUT_CALLABLE = "walkwell.web.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None
# Two-factor sign-in (django-otp): the name authenticator apps show, and the wait
# after a wrong code (1 s, then doubled after each further wrong code).
OTP_TOTP_ISSUER = env_str("WALKWELL_OTP_ISSUER", "WalkWell")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
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
# Reminder emails (docs/deploy.md): links in a mail have no request to take the
# address from, so they are built on the address people open WalkWell at. In
# production the default is HTTPS on the first plain name of ALLOWED_HOSTS.
_named_hosts = [h for h in ALLOWED_HOSTS if not h.startswith((".", "*"))]
_site_default = (
    f"https://{_named_hosts[0]}"
    if PRODUCTION and _named_hosts
    else "http://127.0.0.1:8000"
)
WALKWELL_SITE_URL = env_str("WALKWELL_SITE_URL", _site_default).rstrip("/")
if not WALKWELL_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        "WALKWELL_SITE_URL must start with https:// or http:// "
        f"(got {WALKWELL_SITE_URL!r})"
    )
# How often the recurring reminder task on the workers runs a pass (minutes).
WALKWELL_REMIND_EVERY_MINUTES = env_int("WALKWELL_REMIND_EVERY_MINUTES", 5)

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

# The JSON API (Django Ninja, docs/api.md): lists are paginated at most this long.
API_PAGE_SIZE_MAX = 100

# Content Security Policy: only our own files; any inline script must carry the nonce.
# Map tiles under an imported walk's shape: none by default, so a page never asks
# another server for anything. Whoever runs a tile server may name it here, as a
# URL template with {z}, {x} and {y} (e.g. https://tiles.example.org/{z}/{x}/{y}.png);
# the Content Security Policy then allows images from its origin.
MAP_TILES_URL = env_str("WALKWELL_MAP_TILES", "")
_tiles_origin = "/".join(MAP_TILES_URL.split("/")[:3]) if "://" in MAP_TILES_URL else ""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_tiles_origin] if _tiles_origin else [])],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
