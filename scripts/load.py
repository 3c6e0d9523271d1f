"""Load check: N concurrent clients for S seconds on public pages and comment posting, on loopback only.

    .venv/bin/python scripts/load.py --clients 64 --seconds 60      (make load)

It starts its own portal (gunicorn) on a temporary embedded PostgreSQL, so the data of `make run` is
untouched: migrates, loads the seed content, adds delegates with an open consultation, then lets
the clients loose. Each client signs in as one of the delegates (a session made through Django),
reads public pages and posts comments, each with a unique marker. Afterwards it checks that no
answer was a 5xx and that every comment the portal accepted (302) is stored exactly once.
Exit status 0 only then. Request loops are bounded by --seconds; the portal is stopped at the end.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
PUBLIC_PAGES = [
    "/es/",
    "/en/",
    "/es/iniciativas/",
    "/en/initiatives/?theme=labour-migration",
    "/es/publicaciones/",
    "/en/glossary/",
    "/es/glosario/?q=OIM",
    "/en/documents/mc-2353/",
    "/es/buscar/?q=remesas",
]
COMMENT_PATH = "/en/documents/mc-2353/p29/comment/"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TemporaryPostgres:
    """A PostgreSQL server of its own in a temporary folder (pgserver's binaries), removed at the end."""

    def __init__(self, root):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

        self.pgdata = Path(root) / "pgdata"
        self.server = pgserver.get_server(self.pgdata, cleanup_mode="delete")
        self.server.psql("CREATE DATABASE portal;")
        socket_dir = self.server.get_postmaster_info().socket_dir
        self.url = f"postgres://postgres@{quote(str(socket_dir), safe='')}/portal"

    def pg_ctl(self, *arguments, timeout=60):
        from pgserver._commands import pg_ctl

        return pg_ctl(list(arguments), pgdata=self.pgdata, user=self.server.system_user, timeout=timeout)

    def stop(self):
        self.pg_ctl("-w", "-m", "fast", "stop")

    def start(self):
        """Start again (after stop() or kill()); waits up to a minute: crash recovery on a busy machine."""
        socket_dir = self.server.get_postmaster_info().socket_dir
        self.pg_ctl("-w", "-t", "55", "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(self.pgdata / "log"), "start")

    def kill(self):
        """kill -9 the postmaster and every backend, as a crash or a power cut would."""
        import psutil

        postmaster = self.server.get_postmaster_info().process
        for process in [postmaster, *postmaster.children(recursive=True)]:
            process.kill()
        psutil.wait_procs([postmaster], timeout=5)

    def close(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()  # whichever server runs now, also one started again by start()
        self.server.cleanup()


class Portal:
    """gunicorn serving the portal on a free loopback port against DATABASE_URL."""

    def __init__(self, database_url, workers=3, threads=8, extra_env=None):
        self.port = free_port()
        self.env = {**os.environ, "DATABASE_URL": database_url, **(extra_env or {})}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=self.env,
            start_new_session=True,
        )
        self.wait_until_up()

    def wait_until_up(self, seconds=90):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if request("GET", self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("The portal did not start.")

    def kill(self):
        """kill -9 gunicorn and its workers."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def request(method, port, path, cookies=None, form=None, timeout=30):
    """One HTTP/1.1 request on loopback; returns (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def manage(database_url, *arguments):
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(database_url, delegates):
    """Migrate, load the content, open a consultation and sign in delegates; returns their cookies."""
    manage(database_url, "migrate", "--noinput")
    manage(database_url, "load_content")
    code = f"""
import json
from datetime import timedelta
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from initiatives.models import Consultation, Delegate, MemberState, Publication
document = Publication.objects.get(slug_en="mc-2353")
if not Consultation.objects.open_at(None).filter(document=document).exists():
    Consultation.objects.create(document=document, title_es="Carga", title_en="Load",
        opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=1))
cookies = []
for number, country in enumerate(["MX", "PE", "CO", "PH", "SN", "MA", "CH", "DE"][:{delegates}]):
    state, _ = MemberState.objects.get_or_create(country=country)
    email = f"load{{number}}@{{country.lower()}}.example"
    user, created = User.objects.get_or_create(username=email, defaults={{"email": email}})
    Delegate.objects.get_or_create(user=user, defaults={{"member_state": state}})
    client = Client()
    client.force_login(user)
    cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(json.dumps(cookies))
"""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def stored_markers(database_url, prefix):
    code = f"""
import json
from initiatives.models import Comment
print(json.dumps(list(Comment.objects.filter(body__startswith={prefix!r}).values_list("body", flat=True))))
"""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    )
    return Counter(body.split()[0] for body in json.loads(result.stdout.strip().splitlines()[-1]))


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.latencies = []
        self.accepted = []
        self.errors = Counter()

    def record(self, status, seconds):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)


def client_loop(port, session, deadline, run_id, results, comment_every):
    cookies = {"sessionid": session}
    iteration = 0
    rng = random.Random()
    while time.monotonic() < deadline:
        iteration += 1
        try:
            if iteration % comment_every == 0:
                status, headers, body = timed(results, "GET", port, COMMENT_PATH, cookies)
                match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
                csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
                if status != 200 or not match:
                    continue
                if csrf:
                    cookies["csrftoken"] = csrf.group(1)
                marker = f"{run_id}-{uuid.uuid4().hex}"
                form = {
                    "csrfmiddlewaretoken": match.group(1).decode(),
                    "body": f"{marker} Under load, we support this paragraph.",
                    "language": "en",
                    "submission_key": str(uuid.uuid4()),
                }
                status, _headers, _body = timed(results, "POST", port, COMMENT_PATH, cookies, form)
                if status == 302:
                    with results.lock:
                        results.accepted.append(marker)
            else:
                timed(results, "GET", port, rng.choice(PUBLIC_PAGES), cookies if rng.random() < 0.3 else None)
        except OSError as error:
            with results.lock:
                results.errors[type(error).__name__] += 1


def timed(results, method, port, path, cookies=None, form=None):
    started = time.monotonic()
    status, headers, body = request(method, port, path, cookies, form)
    results.record(status, time.monotonic() - started)
    return status, headers, body


def run(clients, seconds, comment_every=4, database_url=None, workers=3, threads=8):
    """Run the load against a fresh portal; returns the report (a dict) and whether it passed."""
    with tempfile.TemporaryDirectory(prefix="portal-load-") as root:
        postgres = None if database_url else TemporaryPostgres(root)
        database_url = database_url or postgres.url
        portal = None
        try:
            sessions = prepare(database_url, delegates=8)
            portal = Portal(
                database_url, workers=workers, threads=threads, extra_env={"PORTAL_COMMENT_RATE_LIMIT": "1000000"}
            )
            run_id = f"load{uuid.uuid4().hex[:8]}"
            results = Results()
            deadline = time.monotonic() + seconds
            threads_ = [
                threading.Thread(
                    target=client_loop,
                    args=(portal.port, sessions[number % len(sessions)], deadline, run_id, results, comment_every),
                )
                for number in range(clients)
            ]
            started = time.monotonic()
            for thread in threads_:
                thread.start()
            for thread in threads_:
                thread.join()
            elapsed = time.monotonic() - started
            stored = stored_markers(database_url, run_id)
        finally:
            if portal:
                portal.stop()
            if postgres:
                postgres.close()
    latencies = sorted(results.latencies)
    accepted = Counter(results.accepted)
    report = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "statuses": dict(sorted(results.statuses.items())),
        "connection_errors": dict(results.errors),
        "latency_ms": {
            "median": round(statistics.median(latencies) * 1000) if latencies else None,
            "p95": round(latencies[int(len(latencies) * 0.95) - 1] * 1000) if latencies else None,
            "max": round(latencies[-1] * 1000) if latencies else None,
        },
        "comments_accepted": len(accepted),
        "comments_stored": sum(stored.values()),
        "accepted_not_stored_once": sorted(m for m in accepted if stored[m] != 1),
        "stored_not_accepted": sorted(m for m in stored if m not in accepted),
    }
    server_errors = sum(count for status, count in results.statuses.items() if status >= 500)
    passed = (
        server_errors == 0
        and not results.errors
        and not report["accepted_not_stored_once"]
        and report["comments_accepted"] > 0
        and report["requests"] > 0
    )
    return report, passed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--comment-every", type=int, default=4, help="one comment per this many requests a client")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    arguments = parser.parse_args()
    report, passed = run(
        arguments.clients,
        arguments.seconds,
        arguments.comment_every,
        workers=arguments.workers,
        threads=arguments.threads,
    )
    print(json.dumps(report, indent=2))
    print("PASSED" if passed else "FAILED: 5xx answers, connection errors or comments not stored exactly once")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
