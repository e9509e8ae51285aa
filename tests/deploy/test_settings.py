"""The settings of several app servers, from the environment (helhedsplan/settings.py):
CACHE_URL, SESSION_ENGINE and STORAGE_BACKEND. Malformed values stop the start-up."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from helhedsplan import settings as product_settings
from helhedsplan.settings import caches_from_url, default_storage_from_env, session_engine

SETTINGS_FILE = Path(product_settings.__file__)
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("raw", "backend", "location"),
    [
        ("", LOCMEM, None),
        ("locmem", LOCMEM, None),
        ("db", "django.core.cache.backends.db.DatabaseCache", "helhedsplan_cache"),
        ("dummy", "django.core.cache.backends.dummy.DummyCache", None),
        ("redis://cache.internal:6379/1", REDIS, "redis://cache.internal:6379/1"),
        ("rediss://:secret@cache.internal:6380/0", REDIS, "rediss://:secret@cache.internal:6380/0"),
        ("unix:///run/redis/redis.sock", REDIS, "unix:///run/redis/redis.sock"),
    ],
)
def test_cache_url(raw: str, backend: str, location: str | None) -> None:
    default = caches_from_url(raw)["default"]
    assert default["BACKEND"] == backend
    assert default.get("LOCATION") == location
    assert default["KEY_PREFIX"] == f"helhedsplan:{product_settings.release()}"


def test_the_release_is_in_every_key_so_a_new_release_never_reads_the_old_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    digest = product_settings.release()
    assert len(digest) == 12 and digest == product_settings.release()  # the same code agrees
    monkeypatch.setenv("HELHEDSPLAN_RELEASE", "v2026.12-abc123")
    assert caches_from_url("redis://cache:6379/0")["default"]["KEY_PREFIX"] == (
        "helhedsplan:v2026.12-abc123"
    )


def test_local_and_database_caches_hold_a_national_installation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Django's default of 300 entries would cull 100 plans' overview rows on every page."""
    for raw in ("", "db"):
        assert caches_from_url(raw)["default"]["OPTIONS"] == {"MAX_ENTRIES": 20_000}
    monkeypatch.setenv("CACHE_MAX_ENTRIES", "500")
    assert caches_from_url("locmem")["default"]["OPTIONS"] == {"MAX_ENTRIES": 500}


def test_redis_gives_up_in_seconds() -> None:
    options: Any = caches_from_url("redis://cache:6379/0")["default"]["OPTIONS"]
    assert options["socket_connect_timeout"] <= 5 and options["socket_timeout"] <= 5


@pytest.mark.parametrize(
    "raw", ["memcached://cache:11211", "redis", "redis://", "db://x", "locmem2", "file:///tmp"]
)
def test_bad_cache_url_is_refused(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        caches_from_url(raw)


@pytest.mark.parametrize(
    ("raw", "cache", "engine"),
    [
        ("", "", "django.contrib.sessions.backends.db"),
        ("db", "redis://cache:6379/0", "django.contrib.sessions.backends.db"),
        ("cache", "redis://cache:6379/0", "django.contrib.sessions.backends.cache"),
        ("cached_db", "redis://cache:6379/0", "django.contrib.sessions.backends.cached_db"),
        ("cached_db", "db", "django.contrib.sessions.backends.cached_db"),
    ],
)
def test_session_engine(raw: str, cache: str, engine: str) -> None:
    assert session_engine(raw, caches_from_url(cache)) == engine


@pytest.mark.parametrize(
    ("raw", "cache"), [("cache", ""), ("cached_db", "locmem"), ("cache", "dummy")]
)
def test_sessions_in_a_per_process_cache_are_refused(raw: str, cache: str) -> None:
    # Another gunicorn worker would not find the session, or would still find one that was
    # logged out on the first.
    with pytest.raises(ImproperlyConfigured, match="shared cache"):
        session_engine(raw, caches_from_url(cache))


@pytest.mark.parametrize("raw", ["file", "signed_cookies", "redis"])
def test_unknown_session_engine_is_refused(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="SESSION_ENGINE"):
        session_engine(raw, caches_from_url("redis://cache:6379/0"))


def test_storage_defaults_to_the_file_system() -> None:
    assert default_storage_from_env({}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert str(default_storage_from_env({"STORAGE_BACKEND": "filesystem"})["BACKEND"]).endswith(
        "FileSystemStorage"
    )


def test_s3_storage_from_the_environment() -> None:
    from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]

    storage = default_storage_from_env(
        {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": "helhedsplan-uploads",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.dk",
            "AWS_S3_REGION_NAME": "eu-north-1",
            "AWS_LOCATION": "prod",
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options: Any = storage["OPTIONS"]
    assert options["bucket_name"] == "helhedsplan-uploads"
    assert options["endpoint_url"] == "https://s3.example.dk"
    assert options["default_acl"] is None  # never a public object
    backend = S3Storage(**options)  # builds without asking the network
    assert backend.bucket_name == "helhedsplan-uploads" and backend.location == "prod"
    assert backend.region_name == "eu-north-1"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"STORAGE_BACKEND": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
        ({"STORAGE_BACKEND": "gcs"}, "STORAGE_BACKEND"),
        ({"STORAGE_BACKEND": "S3", "AWS_STORAGE_BUCKET_NAME": "b"}, "STORAGE_BACKEND"),
    ],
)
def test_bad_storage_is_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        default_storage_from_env(environ)


def _load_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict[str, Any]:
    """The settings module run afresh with ``env`` (as at a server's start)."""
    for name in (
        "CACHE_URL",
        "SESSION_ENGINE",
        "STORAGE_BACKEND",
        "DATABASE_URL",
        "DATABASE_CONN_MAX_AGE",
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HELHEDSPLAN_VAR_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_the_defaults_are_one_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    loaded = _load_settings(monkeypatch, tmp_path)
    assert loaded["CACHES"]["default"]["BACKEND"] == LOCMEM
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert loaded["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")


def test_several_app_servers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    loaded = _load_settings(
        monkeypatch,
        tmp_path,
        CACHE_URL="redis://cache.internal:6379/0",
        SESSION_ENGINE="cache",
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="uploads",
    )
    assert loaded["CACHES"]["default"]["BACKEND"] == REDIS
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    assert loaded["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    # Static files stay with WhiteNoise on each server whatever holds the uploads.
    assert "staticfiles" in loaded["STORAGES"]


@pytest.mark.parametrize(
    "env",
    [
        {"CACHE_URL": "memcached://x"},
        {"SESSION_ENGINE": "cache"},  # with the per-process default cache
        {"STORAGE_BACKEND": "s3"},  # no bucket
    ],
)
def test_a_bad_value_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str]
) -> None:
    with pytest.raises(ImproperlyConfigured):
        _load_settings(monkeypatch, tmp_path, **env)


def test_behind_pgbouncer_in_transaction_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    loaded = _load_settings(
        monkeypatch,
        tmp_path,
        DATABASE_URL="postgres://helhedsplan:x@pgbouncer:6432/helhedsplan",
        DATABASE_CONN_MAX_AGE="0",
        DATABASE_DISABLE_SERVER_SIDE_CURSORS="1",
    )
    database = loaded["DATABASES"]["default"]
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True and database["CONN_MAX_AGE"] == 0
    assert (
        _load_settings(monkeypatch, tmp_path)["DATABASES"]["default"]["DISABLE_SERVER_SIDE_CURSORS"]
        is False
    )
