"""The concurrency bench: N users with think time against gunicorn on PostgreSQL.

gunicorn serves the bench's database with the production settings (``DEBUG=0``, the workers
given or one per core). Each simulated user is a thread with its own cookie jar: it logs in
through the real login form (GET for the CSRF cookie and token, POST of the form, the session
cookie kept), then until the time is up requests a page from MIX, waits a think time
(``think`` seconds +/- 50 %, uniform) and repeats. Reported: requests per second (and per
core), p50/p95/p99 latency, errors (anything but 200, or no answer), in all and per page.
Logins are not in the figures. The load generator runs on the same machine (its threads
mostly sleep; its CPU is small beside the server's, but it is not zero).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from bench.dataset import PASSWORD, VISITED, Dataset
from bench.pages import ms, num

# (page, weight): what a working day's users mostly look at.
MIX = [
    ("Resultatoversigt", 30),
    ("Succeskriterium", 20),
    ("Leverancemåling", 20),
    ("Planens forside", 15),
    ("Revisionsspor", 10),
    ("Aftalen som PDF", 5),
]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Sample:
    page: str
    seconds: float
    status: int


@dataclass
class Report:
    samples: list[Sample] = field(default_factory=list)
    login_failures: int = 0
    # CPU seconds used inside the window by the app's workers, the database's backends and
    # the load generator itself; the load average at its end (the machine is shared).
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    generator_cpu: float = 0.0
    load_average: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Browser:
    """One user's connection and cookies (http.client: no new dependency)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
            return response.status, data
        finally:
            connection.close()

    def login(self, username: str) -> bool:
        status, page = self.request("GET", "/login/")
        found = TOKEN.search(page.decode())
        if status != 200 or found is None:
            return False
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": found[1]}
        status, _body = self.request("POST", "/login/", urllib.parse.urlencode(form))
        return status == 302 and "sessionid" in self.cookies


def urls(data: Dataset, year: int = 2019) -> dict[str, list[str]]:
    """Each page of MIX for the plans the bench users are members of."""
    from helhedsplan.agreements.models import AgreementVersion
    from helhedsplan.criteria.models import SuccessCriterion

    plans = data.plans[:VISITED]
    codes: dict[int, list[str]] = {}
    for plan_id, code in SuccessCriterion.objects.filter(plan__in=plans).values_list(
        "plan_id", "code"
    ):
        codes.setdefault(plan_id, []).append(code)
    version = (
        AgreementVersion.objects.filter(plan=data.demo, status="approved")
        .order_by("-number")
        .first()
    )
    assert version is not None
    return {
        "Resultatoversigt": [f"/planer/{p.slug}/succeskriterier/?aar={year}" for p in plans],
        "Succeskriterium": [
            f"/planer/{p.slug}/succeskriterier/{code}/" for p in plans for code in codes[p.pk]
        ],
        "Leverancemåling": [f"/planer/{p.slug}/leverancemaaling/?aar={year}" for p in plans],
        "Planens forside": [f"/planer/{p.slug}/" for p in plans],
        "Revisionsspor": [f"/planer/{p.slug}/revisionsspor/" for p in plans],
        "Aftalen som PDF": [
            f"/planer/{data.demo.slug}/eksport/aftale.pdf?version={version.number}"
        ],
    }


class Clock:
    """Where the users wait for each other: all logged in, then the measured time starts
    (set as the barrier releases them, so no user reads it before)."""

    def __init__(self, parties: int, seconds: float) -> None:
        self.seconds = seconds
        self.started = self.deadline = 0.0
        self.barrier = threading.Barrier(parties, action=self._start)

    def _start(self) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + self.seconds


def _user(
    n: int, port: int, paths: dict[str, list[str]], users: list[str], args: argparse.Namespace,
    report: Report, clock: Clock,
) -> None:  # fmt: skip
    rng = random.Random(n)  # noqa: S311 - a simulated user's choices, not security
    browser = Browser(port)
    try:
        logged_in = browser.login(users[n % len(users)])
    except OSError:
        logged_in = False
    clock.barrier.wait()
    if not logged_in:
        with report.lock:
            report.login_failures += 1
        return
    time.sleep(rng.uniform(0, args.think))  # users do not all ask in the same instant
    names = [name for name, _w in MIX]
    weights = [w for _name, w in MIX]
    while time.monotonic() < clock.deadline:
        page = rng.choices(names, weights)[0]
        path = rng.choice(paths[page])
        start = time.perf_counter()
        try:
            status, _body = browser.request("GET", path)
        except OSError:
            status = 0
        report.add(Sample(page, time.perf_counter() - start, status))
        time.sleep(args.think * rng.uniform(0.5, 1.5))


def _warm_up(port: int, paths: dict[str, list[str]], username: str, workers: int) -> None:
    """Every page a few times per worker before the clock runs: imports, templates and the
    product's caches warm, as on a server that has been up for a while."""
    browser = Browser(port)
    if not browser.login(username):
        raise RuntimeError("the bench user could not log in to gunicorn")
    for _round in range(2 * workers):
        for name, _w in MIX:
            browser.request("GET", paths[name][0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped before it answered")
        try:
            status, _body = Browser(port).request("GET", "/login/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def run(data: Dataset, env: dict[str, str], args: argparse.Namespace) -> str:
    from django.db import connections

    workers = args.workers or os.cpu_count() or 1
    paths = urls(data)
    users = [u.username for u in data.users]
    connections.close_all()  # the server's workers have the database to themselves
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 - our own server, no input
        [str(gunicorn), "helhedsplan.wsgi", "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        env={**os.environ, **env},
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    try:
        _wait_for(port, process)
        _warm_up(port, paths, users[0], workers)
        print(f"Belastning: {args.users} brugere, {args.seconds:.0f} s, tænketid "
              f"{args.think:g} s ± 50 %, gunicorn med {workers} workers …", flush=True)  # fmt: skip
        report = Report()
        clock = Clock(args.users + 1, args.seconds)
        threads = [
            threading.Thread(target=_user, args=(n, port, paths, users, args, report, clock))
            for n in range(args.users)
        ]
        for thread in threads:
            thread.start()
        clock.barrier.wait()  # every user has logged in (logins are not measured)
        before = _server_cpu(process.pid)
        ours = os.times()
        for thread in threads:
            thread.join()
        after = _server_cpu(process.pid)
        report.generator_cpu = sum(os.times()[:2]) - sum(ours[:2])
        report.app_cpu, report.db_cpu = (
            sum(after[kind][pid] - before[kind].get(pid, 0.0) for pid in after[kind])
            for kind in ("app", "db")
        )
        report.load_average = os.getloadavg()[0]
        elapsed = clock.seconds  # every request counted began inside this window
    finally:
        process.terminate()
        process.wait(timeout=30)
    return summary(report, elapsed, workers, args)


def _cpu(pid: int) -> float | None:
    """User and system CPU seconds of a process so far (Linux /proc), None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu(master: int) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the gunicorn workers (children of ``master``) and of the
    PostgreSQL backends serving the bench's database, by process id."""
    from django.db import connection

    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == master:
                workers.append(int(entry.name))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        backends = [pid for (pid,) in cursor.fetchall()]
    connection.close()
    found: dict[str, dict[int, float]] = {"app": {}, "db": {}}
    for kind, pids in (("app", workers), ("db", backends)):
        for pid in pids:
            seconds = _cpu(pid)
            if seconds is not None:
                found[kind][pid] = seconds
    return found


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _capacity(report: Report, total: int, cores: int) -> str:
    """What a request costs the server in CPU, and so what the cores would carry were the
    machine the server's alone (the shared machine's other work is in the wall times)."""
    if not total:
        return ""
    app, db = report.app_cpu / total, report.db_cpu / total
    per_core = 1 / (app + db) if app + db else float("inf")
    return (
        f"CPU pr. forespørgsel: app {ms(app)} + PostgreSQL {ms(db)}, altså højst ca. "
        f"{num(per_core, 0)} forespørgsler pr. s pr. kerne ({num(per_core * cores, 0)} på "
        f"{cores} kerner) på en maskine for sig selv; lastgeneratoren brugte "
        f"{num(report.generator_cpu)} s CPU; load average {num(report.load_average)} ved slut."
    )


def summary(report: Report, elapsed: float, workers: int, args: Any) -> str:
    cores = os.cpu_count() or 1
    samples = report.samples
    rows = [("Alle sider", samples)] + [
        (name, [s for s in samples if s.page == name]) for name, _w in MIX
    ]
    total = len(samples)
    errors = sum(1 for s in samples if s.status != 200)
    rps = total / elapsed if elapsed else 0.0
    lines = [
        f"Belastning: {args.users} brugere med {num(args.think)} s tænketid ± 50 %, "
        f"{num(elapsed, 0)} s, gunicorn {workers} workers på PostgreSQL, DEBUG=0: "
        f"{total} forespørgsler, {num(rps)} pr. s ({num(rps / cores)} pr. s pr. kerne, "
        f"{cores} kerner), {errors} fejl, {report.login_failures} mislykkede logins.",
        _capacity(report, total, cores),
        "",
        "| side | antal | p50 | p95 | p99 | fejl |",
        "|---|---|---|---|---|---|",
    ]
    for name, group in rows:
        times = [s.seconds for s in group]
        failed = sum(1 for s in group if s.status != 200)
        cells = " | ".join(ms(_percentile(times, p)) if times else "-" for p in (50, 95, 99))
        lines.append(f"| {name} | {len(group)} | {cells} | {failed} |")
    if samples:
        statuses = sorted({s.status for s in samples if s.status != 200})
        if statuses:
            lines.append(f"\nFejlkoder: {', '.join(str(s) for s in statuses)}")
    return "\n".join(lines)
