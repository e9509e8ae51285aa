"""One settings module, driven by environment variables.

Development needs no configuration at all: SQLite in ./var, DEBUG on, a generated
secret. A deployment sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=0; anything
missing or malformed fails at start-up, not at the first request.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Several app servers share what one process could keep to itself: the cache, the sessions
# and the uploads. Each is chosen by one variable; the defaults are for one machine.
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
DATABASE_CACHE_TABLE = "helhedsplan_cache"


def caches_from_url(raw: str) -> dict[str, dict[str, object]]:
    """CACHES from ``CACHE_URL``: unset or ``locmem`` (per process), ``db`` (the database's
    table ``helhedsplan_cache``, made by ``manage.py createcachetable``), ``redis://`` or
    ``rediss://`` (Redis), ``dummy`` (none). Anything else is refused."""
    raw = raw.strip()
    if raw in ("", "locmem", "locmem://"):
        default: dict[str, object] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    elif raw in ("db", "db://", "database"):
        default = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
        }
    elif raw in ("dummy", "dummy://"):
        default = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    elif raw.startswith(("redis://", "rediss://", "unix://")) and len(raw.split("://", 1)[1]) > 0:
        default = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": raw,
            # A Redis that does not answer fails the request (and the health check) in
            # seconds instead of holding a worker until the operating system gives up.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    else:
        raise ImproperlyConfigured(
            f"CACHE_URL must be locmem, db, dummy or a redis:// URL, not {raw!r}"
        )
    # The release is in every key: a shared cache (Redis, the database) outlives a deploy, and
    # a fragment rendered by the previous release's templates must not be served by this one.
    default["KEY_PREFIX"] = f"helhedsplan:{release()}"
    if default["BACKEND"] in LOCAL_CACHES or "DatabaseCache" in str(default["BACKEND"]):
        # Django's default of 300 entries would cull a national installation's per-plan
        # values on every page (100 plans' overview rows alone are 200).
        default["OPTIONS"] = {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)}
    return {"default": default}


# After a write commits, the scorecard views of the plan read in the last hours (at most this
# many per plan, the newest) are rendered again, so no reader waits for the evaluation
# (plans.fragments.rewarm); 0 leaves them to the next reader.
FRAGMENT_REWARM = env_int("FRAGMENT_REWARM", 3)


def release() -> str:
    """This release of the code: ``HELHEDSPLAN_RELEASE`` if the deployment names it (a git
    revision), else a digest of the package's Python files and templates, so two servers
    running the same code agree on it and a new release never reads the old one's cache."""
    named = os.environ.get("HELHEDSPLAN_RELEASE", "").strip()
    if named:
        return named
    digest = hashlib.sha1(usedforsecurity=False)
    package = BASE_DIR / "helhedsplan"
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".json", ".po") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}


def session_engine(raw: str, caches: dict[str, dict[str, object]]) -> str:
    """SESSION_ENGINE from its short name (``db``, default; ``cache``; ``cached_db``).

    A session kept in a per-process cache is refused: another gunicorn worker or app server
    would not find it, or (``cached_db``) would still find one that was logged out elsewhere.
    """
    name = raw.strip() or "db"
    if name not in SESSION_ENGINES:
        raise ImproperlyConfigured(
            f"SESSION_ENGINE must be one of {', '.join(SESSION_ENGINES)}, not {raw!r}"
        )
    if name != "db" and caches["default"]["BACKEND"] in LOCAL_CACHES:
        raise ImproperlyConfigured(
            f"SESSION_ENGINE={name} needs a shared cache: set CACHE_URL to redis://… or db"
        )
    return SESSION_ENGINES[name]


def default_storage_from_env(environ: Mapping[str, str]) -> dict[str, object]:
    """The uploads' storage: ``STORAGE_BACKEND`` unset or ``filesystem`` (MEDIA_ROOT), or
    ``s3`` (an S3-compatible bucket through django-storages: ``AWS_STORAGE_BUCKET_NAME``
    required; ``AWS_S3_ENDPOINT_URL``, ``AWS_S3_REGION_NAME``, ``AWS_LOCATION`` optional; the
    keys from ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` or the machine's role)."""
    kind = environ.get("STORAGE_BACKEND", "").strip() or "filesystem"
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"STORAGE_BACKEND must be filesystem or s3, not {kind!r}")
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME")
    options: dict[str, object] = {
        "bucket_name": bucket,
        # Never a public object, never a link: every file is served by a view that checks
        # the user's role (files.views.stored_file_response) and reads it through the API.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for variable, option in (
        ("AWS_S3_ENDPOINT_URL", "endpoint_url"),
        ("AWS_S3_REGION_NAME", "region_name"),
        ("AWS_LOCATION", "location"),
    ):
        if value := environ.get(variable, "").strip():
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


DEBUG = env_bool("DEBUG", default=True)
# The demo's published password logs in only in development: decided here, from the
# environment, so neither a forced load_demo nor the test runner's DEBUG=False changes it
# (helhedsplan.accounts.backends refuses it otherwise).
DEMO_LOGIN_ALLOWED = DEBUG
VAR_DIR = Path(os.environ.get("HELHEDSPLAN_VAR_DIR", BASE_DIR / "var"))

_secret = os.environ.get("SECRET_KEY", "")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    _secret = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "auditlog",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "helhedsplan.lib",  # the CPR guard on every model (lib/cpr.py)
    "helhedsplan.accounts",
    "helhedsplan.audit",
    "helhedsplan.plans",
    "helhedsplan.finance",
    "helhedsplan.demo",
    "helhedsplan.criteria",
    "helhedsplan.api",
    # django-ninja: its Swagger UI files, served from our own static (CSP: self only).
    "ninja",
    "helhedsplan.files",
    "helhedsplan.organisation",
    "helhedsplan.meetings",
    "helhedsplan.activities",
    "helhedsplan.reports",
    "helhedsplan.agreements",
    "helhedsplan.transfer",
    "helhedsplan.setup",
    "helhedsplan.statusreports",
    "helhedsplan.duties",
    "helhedsplan.notifications",
    "helhedsplan.programmeevaluations",
    "helhedsplan.milestones",
    "helhedsplan.spending",
    "helhedsplan.auditpackage",
    "helhedsplan.measurements",
    "helhedsplan.lists",
    "helhedsplan.national",
]

MIDDLEWARE = [
    # First: the load balancer's /healthz/ answers before host checks, HTTPS redirect,
    # sessions and login (helhedsplan.lib.health).
    "helhedsplan.lib.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "helhedsplan.lib.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "helhedsplan.lib.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "helhedsplan.lib.security.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so a lock-out answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helhedsplan.urls"
WSGI_APPLICATION = "helhedsplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "helhedsplan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "helhedsplan.accounts.context_processors.plan_nav",
            ],
            "builtins": [
                "helhedsplan.lib.templatetags.danish",
                "helhedsplan.accounts.templatetags.access_tags",
            ],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL", "")
if not _database_url:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _database_url = f"sqlite:///{VAR_DIR / 'helhedsplan.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
# Behind PgBouncer in transaction mode a server-side cursor (QuerySet.iterator()) would be
# opened on one server connection and read on another: turn them off there.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers: WAL lets readers run beside the one writer; IMMEDIATE takes the
    # write lock when a transaction begins, so two writers queue (for up to the timeout)
    # instead of one failing with "database is locked" when its read lock cannot be upgraded.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # The tests run on a file too: an in-memory database shares one connection across
    # threads and would hide exactly the locking that production meets.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(DATABASES["default"]["NAME"]).with_name("test-helhedsplan.sqlite3"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = caches_from_url(os.environ.get("CACHE_URL", ""))
SESSION_ENGINE = session_engine(os.environ.get("SESSION_ENGINE", ""), CACHES)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "helhedsplan.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for AXES_COOLOFF_MINUTES; other users from the same address are
# not. The address is the client's own: behind TRUSTED_PROXY_COUNT proxies (the TLS proxy
# the README expects: 1) it is read from X-Forwarded-For, else it is the peer address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "helhedsplan.lib.security.client_ip"
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "helhedsplan" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Off on purpose: years and identifiers must never read "2.017". Amounts are grouped
# explicitly by the template filters in helhedsplan.lib.templatetags.danish.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "helhedsplan" / "static"]
STORAGES = {
    "default": default_storage_from_env(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads live outside the web root and are only ever served through a view that checks
# the user's role on the plan; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))
# Extra rule sets of the government's lists (JSON, lists/engine/rules.py's format) for list
# years after the release's own; checked by ``manage.py check``. Unset: none.
HELHEDSPLAN_LIST_RULES_DIR = os.environ.get("HELHEDSPLAN_LIST_RULES_DIR", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# E-mail (invitations, reminder digests, notifications, meeting invitations): printed to the
# console unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "helhedsplan@localhost")
# The address the links in e-mails start with (no trailing slash). Unset: the address of the
# request that sends the mail (its host is one of ALLOWED_HOSTS), or http://127.0.0.1:8000
# where there is none (the command line).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# How long an invitation's link can be answered.
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# The audit trail: our own entry model adds the plan and the reason for a change.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
AUDITLOG_DISABLE_REMOTE_ADDR = False
# auditlog's own migrations would create its (swapped-out) LogEntry table anyway; an empty
# table referencing content types that PostgreSQL then refuses to truncate between tests.
MIGRATION_MODULES = {"auditlog": None}

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# login however active (helhedsplan.lib.security.SessionTimeoutMiddleware).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_MAX_AGE_SECONDS = env_int("SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every HTML and SVG response (helhedsplan.lib.security): nothing inline, nothing foreign.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])  # fmt: skip
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # On by default; a proxy that redirects to HTTPS and sends HSTS itself may turn these off
    # (SECURE_SSL_REDIRECT=0, SECURE_HSTS_SECONDS=0).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every layout step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
