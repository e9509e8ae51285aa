"""The production shape, started and asked as its users would ask it (``make smoke``).

On a PostgreSQL database of its own (created, and dropped at the end), with the README's
production settings (``DEBUG=0``, a generated ``SECRET_KEY``, ``ALLOWED_HOSTS``, the HTTPS
redirect, HSTS and secure cookies left on) and the settings of several app servers (cache
and sessions in the database: ``CACHE_URL=db``, ``SESSION_ENGINE=cached_db``), it runs the
README's deploy steps (``check --deploy``, ``migrate``, ``createcachetable``,
``collectstatic``), loads the demo plan and makes a user for each of the six roles through
the product's services (the demo's own logins are refused under ``DEBUG=0``, by design).
Then it starts gunicorn with 2 workers and the task worker (``manage.py db_worker``) and:

- waits for ``/healthz/`` over plain HTTP, as a load balancer probes;
- proves the task worker finishes a task (``manage.py check_worker``);
- fetches a static file under its manifest name (WhiteNoise, content type, cache header)
  and checks the pages link that name;
- logs in as each role through the real login form (CSRF token and cookie) and requests
  every GET URL of the URLconf, with the arguments the permission matrix fills in
  (``tests/accounts/test_permission_matrix.py``), and every export in every format; each
  answer must be the matrix's, and none may be a server error;
- logs out and checks the session is gone on every worker.

The smoke test speaks to gunicorn as the README's TLS proxy would: plain HTTP with
``X-Forwarded-Proto: https`` and ``X-Forwarded-For`` (``TRUSTED_PROXY_COUNT=1``), keeping the
``Secure`` cookies a browser would keep over HTTPS. It stops every process it started, also
when it fails, and exits non-zero on any problem (a 5xx, an answer other than the matrix's,
a worker that does not start, static files not served).

usage: python scripts/smoke.py [--database-url URL] [--keep]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://helhedsplan:helhedsplan@127.0.0.1:5432/helhedsplan"
STATIC_SAMPLE = "css/app.css"
ROLES = ["secretariat", "coordinator", "municipal", "board", "lbf", "auditor"]
# How many roles are asked at once: one per gunicorn worker.
PARALLEL = 2
START_TIMEOUT = 60.0


# --- Inside Django: the users and the list of pages (``smoke.py prepare OUT.json``) ----------


def prepare(out: Path) -> None:
    """Make a user for each role on the demo plan; write the pages and what each role gets."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helhedsplan.settings")
    import django

    django.setup()
    from django.urls import get_resolver

    from helhedsplan.accounts.models import Membership, Role
    from helhedsplan.accounts.services import membership_create, user_create
    from helhedsplan.plans.models import Plan
    from tests.accounts.test_permission_matrix import (
        EXPORT_URL,
        GLOBAL_URLS,
        STAFF_URLS,
        URL_KWARGS,
        _named_patterns,
        _url,
        expected_get,
        export_cases,
        export_path,
        export_status,
        global_path,
    )
    from tests.test_every_page_every_role import LBF_GLOBAL

    plan = Plan.objects.get(slug="slagelse")
    password = os.environ["SMOKE_PASSWORD"]
    demo_coordinator = Membership.objects.get(
        plan=plan, role=Role.COORDINATOR, user__username="koordinator"
    )
    users = {}
    for role in ROLES:
        user = user_create(
            username=f"smoke-{role}",
            password=password,
            first_name="Røgtest",
            last_name=str(Role(role).label),
            email=f"smoke-{role}@example.dk",
        )
        areas = demo_coordinator.areas.all() if role == Role.COORDINATOR else ()
        membership_create(user=user, plan=plan, role=role, areas=areas)
        users[role] = user.username

    pages: list[dict[str, Any]] = []
    names = [n for n in _named_patterns(get_resolver()) if n != EXPORT_URL and n not in STAFF_URLS]
    for name in names:
        expected: dict[str, int | None]
        if name in GLOBAL_URLS:
            expected = {
                role: 200 if name in LBF_GLOBAL and role == "lbf" else GLOBAL_URLS[name]
                for role in ROLES
            }
            pages.append({"name": name, "path": global_path(name), "expected": expected})
        elif name in URL_KWARGS:
            expected = {role: expected_get(name, role) for role in ROLES}
            pages.append({"name": name, "path": _url(name, plan), "expected": expected})
        else:
            raise SystemExit(f"{name}: no row in the permission matrix")
    # A document is the same file for every role that may open it (the roles differ in what
    # they may open): each export is rendered by one of them, in turn, and asked of the rest
    # only where they are refused. tests/test_every_page_every_role.py opens each as every role.
    for number, (identifier, fmt) in enumerate(export_cases()):
        expected = {role: export_status(identifier, role) for role in ROLES}
        allowed = [role for role in ROLES if expected[role] != 403]
        renderer = allowed[number % len(allowed)] if allowed else None
        pages.append(
            {
                "name": f"{EXPORT_URL}/{identifier}.{fmt}",
                "path": export_path(plan, identifier, fmt),
                "expected": expected,
                "skip": [role for role in allowed if role != renderer],
            }
        )
    out.write_text(json.dumps({"users": users, "pages": pages}))


# --- Outside Django: the processes and the HTTP client -------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    """One user's browser behind the TLS proxy: cookies kept, HTTPS announced to the app."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    timings: list[tuple[float, str]] = field(default_factory=list)

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None, proxied: bool = True
    ) -> Answer:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "helhedsplan-smoke"}
        if proxied:
            headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            origin = f"https://127.0.0.1:{self.port}"
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            }
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        self.requests += 1
        self.timings.append((time.monotonic() - started, f"{method} {path}"))
        for raw in answer.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def get(self, path: str, proxied: bool = True) -> Answer:
        return self.request("GET", path, proxied=proxied)

    def post_form(self, path: str, fields: dict[str, str]) -> Answer:
        """POST ``fields`` with the CSRF token of the form the page at ``path`` shows."""
        page = self.get(path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if token is None:
            raise AssertionError(f"{path}: no CSRF token in the page ({page.status})")
        return self.request(
            "POST", path, {"csrfmiddlewaretoken": token.group(1).decode(), **fields}
        )


@dataclass
class Smoke:
    base_url: str
    database: str
    keep: bool
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="helhedsplan-smoke-")))
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[float, str]] = field(default_factory=list)
    background: list[tuple[list[str], subprocess.Popen[str], float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.port = free_port()
        self.password = secrets.token_urlsafe(18)
        url = urllib.parse.urlsplit(self.base_url)
        self.database_url = urllib.parse.urlunsplit(url._replace(path=f"/{self.database}"))
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DATABASE_URL": self.database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TRUSTED_PROXY_COUNT": "1",
            "CACHE_URL": "db",
            "SESSION_ENGINE": "cached_db",
            "HELHEDSPLAN_VAR_DIR": str(self.work / "var"),
            "MEDIA_ROOT": str(self.work / "uploads"),
            "STATIC_ROOT": str(self.work / "static"),
            "SMOKE_PASSWORD": self.password,
            "LOG_LEVEL": "WARNING",
        }

    # The database of its own.

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.base_url, autocommit=True) as connection:
            connection.execute(sql)

    def create_database(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.database}"')

    def drop_database(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    # Commands and processes.

    def manage(self, *args: str) -> str:
        return self.finish(self.manage_in_background(*args))

    def manage_in_background(self, *args: str) -> tuple[list[str], subprocess.Popen[str], float]:
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.background.append((list(args), process, time.monotonic()))
        return self.background[-1]

    def finish(self, running: tuple[list[str], subprocess.Popen[str], float]) -> str:
        args, process, started = running
        output, _ = process.communicate()
        print(f"  manage.py {' '.join(args)}: {time.monotonic() - started:.1f} s", flush=True)
        if process.returncode != 0:
            raise SmokeFailed(f"manage.py {' '.join(args)} failed:\n{output}")
        return output

    def start(self, name: str, command: list[str]) -> None:
        log = (self.work / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def log(self, name: str) -> str:
        path = self.work / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for _, command, _ in self.background:
            if command.poll() is None:
                command.kill()
                command.wait()
        # The whole process group: gunicorn's workers too, even if the master died first.
        for process in self.processes.values():
            signal_group(process, signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                signal_group(process, signal.SIGKILL)
                process.wait()
                self.problems.append(f"{name} did not stop on SIGTERM")

    # The run.

    def run(self) -> None:
        started = time.monotonic()
        print(f"Røgtest af produktionsopsætningen (database {self.database}, {self.work})")
        self.create_database()
        self.manage("check", "--deploy", "--fail-level", "WARNING")
        # collectstatic needs no database: it compresses beside the migrations.
        static = self.manage_in_background("collectstatic", "--no-input", "-v0")
        self.manage("migrate", "--no-input", "-v0")
        self.manage("createcachetable")
        self.manage("load_demo", "--force")
        plan_file = self.work / "pages.json"
        subprocess.run(
            [sys.executable, __file__, "prepare", str(plan_file)],
            cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        prepared = json.loads(plan_file.read_text())
        self.finish(static)

        self.start(
            "gunicorn",
            [
                str(VENV_BIN / "gunicorn"), "helhedsplan.wsgi",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "120",
            ],
        )  # fmt: skip
        self.start("worker", [sys.executable, "manage.py", "db_worker", "--interval", "0.5"])
        self.wait_healthy()
        self.check_workers()
        print("  " + self.manage("check_worker", "--timeout", "30").strip())
        self.check_static()
        self.check_pages(prepared)
        # Two workers served the run, and none was replaced (a crash or a timeout boots another).
        booted = len(re.findall(r"Booting worker with pid", self.log("gunicorn")))
        if booted != 2:
            self.problems.append(f"gunicorn booted {booted} workers, not 2")
        self.counts["seconds"] = round(time.monotonic() - started)

    def wait_healthy(self) -> None:
        probe = Browser(self.port)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.processes["gunicorn"].poll() is not None:
                raise SmokeFailed("gunicorn stopped:\n" + self.log("gunicorn"))
            try:
                answer = probe.get("/healthz/", proxied=False)  # the balancer: plain HTTP
            except OSError:
                time.sleep(0.3)
                continue
            body = json.loads(answer.body)
            if answer.status != 200 or body.get("status") != "ok":
                raise SmokeFailed(f"/healthz/ answered {answer.status} {body}")
            if "Set-Cookie" in answer.headers:
                self.problems.append("/healthz/ set a cookie")
            return
        raise SmokeFailed(
            f"gunicorn did not answer in {START_TIMEOUT:g} s:\n{self.log('gunicorn')}"
        )

    def check_workers(self) -> None:
        if self.processes["worker"].poll() is not None:
            raise SmokeFailed("the task worker stopped:\n" + self.log("worker"))
        # Production's HTTPS redirect stays on: plain HTTP without the proxy's header is sent
        # to HTTPS (the health check above is exempt).
        answer = Browser(self.port).get("/login/", proxied=False)
        if answer.status != 301 or not answer.header("Location").startswith("https://"):
            self.problems.append(f"plain HTTP /login/ answered {answer.status}, not 301 to https")

    def check_static(self) -> None:
        manifest = json.loads((self.work / "static" / "staticfiles.json").read_text())
        hashed = manifest["paths"][STATIC_SAMPLE]
        browser = Browser(self.port)
        answer = browser.get(f"/static/{hashed}")
        source = (ROOT / "helhedsplan" / "static" / STATIC_SAMPLE).read_bytes()
        if answer.status != 200:
            raise SmokeFailed(f"/static/{hashed} answered {answer.status}: static not served")
        if not answer.header("Content-Type").startswith("text/css"):
            self.problems.append(f"/static/{hashed}: Content-Type {answer.header('Content-Type')}")
        if answer.body != source:
            self.problems.append(f"/static/{hashed} is not {STATIC_SAMPLE}")
        if "immutable" not in answer.header("Cache-Control"):
            self.problems.append(
                f"/static/{hashed}: Cache-Control {answer.header('Cache-Control')}"
            )
        login = browser.get("/login/")
        if f"/static/{hashed}".encode() not in login.body:
            self.problems.append(f"the login page does not link /static/{hashed}")
        self.counts["static"] = 1

    def check_pages(self, prepared: dict[str, Any]) -> None:
        pages, users = prepared["pages"], prepared["users"]
        with concurrent.futures.ThreadPoolExecutor(PARALLEL) as pool:
            results = list(pool.map(lambda role: self.as_role(role, users[role], pages), ROLES))
        self.counts["requests"] = sum(n for n, _ in results)
        self.counts["5xx"] = sum(s for _, s in results)
        self.counts["exports"] = sum(1 for p in pages if "skip" in p)
        self.counts["pages"] = len(pages) - self.counts["exports"]
        self.counts["roles"] = len(ROLES)

    def as_role(self, role: str, username: str, pages: list[dict[str, Any]]) -> tuple[int, int]:
        browser = Browser(self.port)
        answer = browser.post_form("/login/", {"username": username, "password": self.password})
        if answer.status != 302 or "sessionid" not in browser.cookies:
            self.problems.append(f"{role}: login answered {answer.status}, no session")
            return browser.requests, 0
        errors = 0
        for page in pages:
            if role in page.get("skip", ()):
                continue
            path, expected = page["path"], page["expected"][role]
            try:
                answer = browser.get(path)
            except OSError as exc:
                self.problems.append(f"{role}: GET {path}: {exc}")
                errors += 1
                continue
            if answer.status >= 500:
                errors += 1
                self.problems.append(f"{role}: GET {path} answered {answer.status} (server error)")
            elif expected is not None and answer.status != expected:
                self.problems.append(
                    f"{role}: GET {path} ({page['name']}) answered {answer.status}, not {expected}"
                )
        # Logging out ends the session on every worker (cached_db: cache and table).
        plan_page = next(p["path"] for p in pages if p["name"] == "plans:overview")
        sessionid = browser.cookies.get("sessionid", "")
        overview = browser.get(plan_page)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', overview.body)
        answer = browser.request(
            "POST", "/logout/", {"csrfmiddlewaretoken": token.group(1).decode() if token else ""}
        )
        if answer.status != 302:
            self.problems.append(f"{role}: logout answered {answer.status}")
        browser.cookies["sessionid"] = sessionid  # a stolen cookie, replayed on both workers
        for _ in range(PARALLEL * 2):
            if browser.get(plan_page).status != 302:
                self.problems.append(f"{role}: the session still opens pages after logout")
                break
        self.timings.extend(browser.timings)
        return browser.requests, errors


class SmokeFailed(Exception):
    pass


def signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group has ended
        os.killpg(process.pid, signum)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("PG_URL", DEFAULT_URL))
    parser.add_argument("--database", help="the smoke test's database (default <name>_smoke)")
    parser.add_argument("--keep", action="store_true", help="keep the logs' folder")
    args = parser.parse_args()
    name = args.database or urllib.parse.urlsplit(args.database_url).path.strip("/") + "_smoke"
    smoke = Smoke(args.database_url, name, args.keep)
    failed = ""
    try:
        smoke.run()
    except (SmokeFailed, subprocess.CalledProcessError) as exc:
        failed = str(exc)
    finally:
        smoke.stop()
        # What the server logged beside what the client saw: django.request's 5xx lines, a
        # worker killed for hanging (gunicorn restarts it), a task that failed.
        for name_, marker in (
            ("gunicorn", "Internal Server Error"),
            ("gunicorn", "WORKER TIMEOUT"),
            ("worker", "state=FAILED"),
        ):
            found = smoke.log(name_).count(marker)
            if found:
                smoke.problems.append(f"{name_} logged {marker!r} {found} times")
        try:
            smoke.drop_database()
        except Exception as exc:  # reported; the run's verdict stands
            smoke.problems.append(f"could not drop {name}: {exc}")
    if failed or smoke.problems:
        for process in ("gunicorn", "worker"):
            print(
                f"--- {process} log (last 60 lines)\n"
                + "\n".join(smoke.log(process).splitlines()[-60:])
            )
        print(failed)
        print(f"{len(smoke.problems)} problems:\n" + "\n".join(smoke.problems))
        print(f"Logs: {smoke.work}")
        return 1
    c = smoke.counts
    print("  Langsomste svar: " + ", ".join(
        f"{path} {seconds:.2f} s" for seconds, path in sorted(smoke.timings, reverse=True)[:8]
    ))  # fmt: skip
    print(
        f"Røgtest bestået: {c['roles']} roller x {c['pages']} sider og {c['exports']} eksporter, "
        f"{c['requests']} forespørgsler, {c['5xx']} serverfejl; statiske filer og "
        f"opgavearbejder i orden; {c['seconds']} s."
    )
    if not args.keep:
        shutil.rmtree(smoke.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
