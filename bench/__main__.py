"""``make bench``: the national data set, then what users wait for, as one table of ratios.

    python -m bench [--plans 100] [--registrations 1000000] [--audit 100000] [--repeat 7]
                    [--sqlite] [--no-load] [--users 50] [--seconds 60] [--keep]

On PostgreSQL (the default) it starts the local server (scripts/postgres_test_db.sh), creates a
throwaway database (``BENCH_DATABASE``, default hp_bench) and drops it afterwards; never the
dev database. ``--sqlite`` uses a temporary SQLite file instead (no load bench: that needs
gunicorn on PostgreSQL). The Django settings are production's (``DEBUG=0``, collected static
files), so the figures are what a deployment serves. ``BENCH_REGISTRATIONS`` overrides the
number of registrations.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://helhedsplan:helhedsplan@127.0.0.1:5432")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument(
        "--registrations", type=int, default=int(os.environ.get("BENCH_REGISTRATIONS", 1_000_000))
    )
    parser.add_argument("--audit", type=int, default=100_000, help="audit entries in all")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure (median)")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--no-load", action="store_true", help="skip the concurrency bench")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (load bench)")
    parser.add_argument("--seconds", type=float, default=60, help="load bench duration")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, seconds")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: cores)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "hp_bench"))
    return parser.parse_args(argv)


def _postgres(name: str) -> str:
    """Start the server and make an empty database ``name``; its URL."""
    import psycopg

    subprocess.run(  # noqa: S603 - our own script, no input
        ["/bin/bash", str(ROOT / "scripts" / "postgres_test_db.sh")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def _drop(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(tmp: str, database_url: str | None) -> dict[str, str]:
    """The environment of a deployment: the bench's process and its gunicorn share it."""
    env = {
        "HELHEDSPLAN_VAR_DIR": tmp,
        "STATIC_ROOT": str(Path(tmp) / "static"),
        "MEDIA_ROOT": str(Path(tmp) / "uploads"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "helhedsplan.settings",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _setup_django(env: dict[str, str]) -> None:
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    started = time.perf_counter()
    database_url = None if args.sqlite else _postgres(args.database)
    try:
        with tempfile.TemporaryDirectory(prefix="helhedsplan-bench-") as tmp:
            env = production_env(tmp, database_url)
            _setup_django(env)
            return _run(args, env)
    finally:
        if database_url and not args.keep:
            from django.db import connections

            connections.close_all()
            _drop(args.database)
        print(f"\nHele benchen: {time.perf_counter() - started:.0f} s", flush=True)


def _run(args: argparse.Namespace, env: dict[str, str]) -> int:
    from django.db import connection

    from bench import dataset, pages

    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"Bygger datasættet på {engine} …", flush=True)
    data = dataset.build(args.plans, args.registrations, args.audit)
    print(data.summary(), flush=True)
    rows = pages.bench_pages(data, args.repeat)
    costs = pages.write_costs(data, args.repeat)
    load_report = ""
    if not args.no_load and engine == "PostgreSQL":
        from bench import load

        load_report = load.run(data, env, args)
    when = datetime.now(UTC)
    print(f"\n{data.summary()}")
    load1, _load5, _load15 = os.getloadavg()
    print(f"Medianer af {args.repeat} efter opvarmning; {when:%Y-%m-%d %H:%M} UTC, commit "
          f"{_commit()}, {os.cpu_count()} kerner, load average {load1:.1f}:\n")  # fmt: skip
    print(pages.table(rows, engine))
    print("\n" + "\n".join(costs))
    if load_report:
        print(f"\n{load_report}")
    failed = [r for r in rows if r.status != 200]
    return 1 if failed else 0


def _commit() -> str:
    """The commit measured (with a + when the work tree has changes)."""

    def git(*arguments: str) -> str:
        return subprocess.run(  # noqa: S603 - fixed arguments
            ["/usr/bin/git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return head + ("+" if dirty else "")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
