"""`make bench`: the portal against the static-file ceiling (nginx) and the framework floor.

On the large dataset (var/bench, made once by `manage.py generate_dataset`), it starts the portal
as in production (gunicorn, debug off), nginx serving saved copies of the same pages, and nginx as
a micro-caching front proxy; then measures every page with wrk, three runs each (uncached, cached,
through the proxy, and nginx's copy), and prints the median requests/s, p50, p99, SQL queries, bytes
and CPU per request, with the ratios to both references, each reference measured in turn with what it is
compared with; then signed-in delegates posting comments.
Figures in ms and req/s; "err" counts answers that were neither 2xx nor 3xx.
Loopback only; every run is bounded in time.
"""

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench"
PYTHON = sys.executable
PORTAL, STATIC, PROXY = 8401, 8402, 8403
DURATION = os.environ.get("BENCH_DURATION", "8s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))

ROW = (
    "{:26} {:8.0f} {:6.0f} {:6.0f} {:7.0f} {:5.1f} {:5.1f} {:7.0f} {:7.0f} {:3d} {:6.1f} "
    "{:6.0f} {:12.2f} {:11.2f} {:6.1f} {:4d}"
)
PAGES = [
    ("home", "/es/"),
    ("initiatives, first page", "/es/iniciativas/"),
    ("initiatives, deep page", "/es/iniciativas/?page=800"),
    ("initiatives, filtered", "/es/iniciativas/?theme=labour-migration&country=MX&year=2010"),
    # a broad filter: a fifth of the list, through the theme's links and the status
    ("initiatives, by theme", "/es/iniciativas/?theme=labour-migration&status=ongoing"),
    ("initiative detail", None),
    ("publications", "/es/publicaciones/"),
    ("glossary index", "/es/glosario/"),
    ("glossary term", "/es/glosario/organizacion-internacional-para-las-migraciones/"),
    ("council document", "/es/documentos/mc-2353/"),
    ("search, common word", "/es/buscar/?q=migraci%C3%B3n"),
    ("search, no accent", "/es/buscar/?q=dialogo"),
    ("search, acronym", "/es/buscar/?q=GFMD"),
    ("API list", "/api/initiatives/"),
]


def environment():
    secret = DATA / "secret_key"
    return {
        **os.environ,
        "PORTAL_DATA_DIR": str(DATA),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secret.read_text().strip() if secret.exists() else "x" * 10,
        "PORTAL_BENCHMARK": "1",
        # The comment run posts thousands of comments as one delegate: its per-hour limit would refuse them.
        "PORTAL_COMMENT_RATE_LIMIT": "100000000",
    }


def manage(*arguments):
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment(), check=True)


def prepare():
    DATA.mkdir(parents=True, exist_ok=True)
    secret = DATA / "secret_key"
    if not secret.exists():
        import secrets

        secret.write_text(secrets.token_urlsafe(64))
    manage("migrate", "--verbosity", "0")
    manage("load_content")
    marker = DATA / "generated"
    if not marker.exists():
        manage("generate_dataset")
        marker.write_text("yes")


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Nothing answers at {url}.")


def fetch(path, port=PORTAL, cookie=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:  # measured all the same; the 5xx column tells
        print(f"  {path}: HTTP {error.code}", file=sys.stderr)
        return error.read(), dict(error.headers)


def wrk(url, cookie=None, connections=None, script=None):
    connections = connections or CONNECTIONS
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}", "--latency", "--timeout", "10s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    if script:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    total = int(re.search(r"(\d+) requests in", output)[1])
    latencies = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p50, p99 = milliseconds(latencies.get("50")), milliseconds(latencies.get("99"))
    return rate, p50, p99, int(errors[1]) if errors else 0, total


def cpu_per_request(master_pid, url, cookie=None, script=None):
    """Workers' CPU milliseconds per request, one connection at a time: nothing is left queued when
    wrk stops, so every second of CPU belongs to a request that wrk counted."""
    before, _ = worker_cpu_seconds(master_pid)
    run = wrk(url, cookie, connections=1, script=script)
    wait_until_idle(master_pid)
    after, _ = worker_cpu_seconds(master_pid)
    return ((after - before) * 1000 / run[4] if run[4] else float("nan")), run[4]


def wait_until_idle(master_pid, timeout=120):
    """Until the workers have answered what the last run left in gunicorn's backlog."""
    deadline = time.monotonic() + timeout
    previous, _ = worker_cpu_seconds(master_pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current, _ = worker_cpu_seconds(master_pid)
        if current - previous < 0.02:
            return
        previous = current


def milliseconds(text):
    if not text:
        return float("nan")
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def median_of_runs(url, cookie=None, settle=None):
    """The median of RUNS wrk runs, each figure separately; `settle` runs after each (to drain a backlog)."""
    runs = []
    for _ in range(RUNS):
        runs.append(wrk(url, cookie))
        if settle:
            settle()
    return tuple(statistics.median(run[i] for run in runs) for i in range(5))


def paired_medians(url, reference_url):
    """The medians of RUNS wrk runs of a page and of its reference, taken in turn: this machine's speed
    drifts within a run of the bench, and a reference measured minutes earlier drifted with it."""
    runs, references = [], []
    for _ in range(RUNS):
        references.append(wrk(reference_url))
        runs.append(wrk(url))
    return tuple(tuple(statistics.median(run[i] for run in taken) for i in range(5)) for taken in (runs, references))


def worker_cpu_seconds(master_pid):
    import psutil

    children = psutil.Process(master_pid).children()
    return sum(child.cpu_times().user + child.cpu_times().system for child in children), [
        child.memory_info().rss for child in children
    ]


COMMENT_PATH = "/en/documents/mc-2353/p29/comment/"
BENCH_DELEGATES = [  # one delegate each: a delegate's own comments are counted (and locked) per delegate
    (f"bench-delegate-{country.lower()}@example.org", country) for country in ("MX", "PE", "PH", "SN", "MA", "DE")
]
POST_SCRIPT = """
local sessions = {{{sessions}}}
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
end
local sent = 0
request = function()
  sent = sent + 1
  -- each request as the next delegate, with a fresh submission key (a repeated key is stored once)
  wrk.headers["Cookie"] = "csrftoken={csrf_cookie}; sessionid=" .. sessions[(sent + thread_number) % #sessions + 1]
  local key = string.format("%08x-%04x-4000-8000-%012x", {nonce}, thread_number, sent)
  local body = "csrfmiddlewaretoken={token}&language=en&submission_key=" .. key
    .. "&body=Bench+comment+" .. thread_number .. "+" .. sent .. "+on+paragraph+29."
  return wrk.format("POST", nil, nil, body)
end
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Referer"] = "{referer}"
"""


def delegate_sessions():
    """Signed-in sessions of the bench's delegates, made through Django."""
    code = f"""
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from initiatives.models import Delegate, MemberState
for email, country in {BENCH_DELEGATES!r}:
    user, _ = User.objects.get_or_create(username=email, defaults={{"email": email}})
    Delegate.objects.get_or_create(user=user, defaults={{"member_state": MemberState.objects.get(country=country)}})
    client = Client()
    client.force_login(user)
    print(client.cookies[settings.SESSION_COOKIE_NAME].value)
"""
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=environment(), capture_output=True, text=True
    )
    if output.returncode:
        raise SystemExit(output.stderr)
    return output.stdout.split()[-len(BENCH_DELEGATES) :]


def bench_comments(action):
    """Counts the bench delegates' comments and, with "delete", removes them and their history."""
    code = f"""
from initiatives.models import Comment
emails = [email for email, _country in {BENCH_DELEGATES!r}]
mine = Comment.objects.filter(author__username__in=emails)
print(mine.count())
if {action!r} == "delete":
    Comment.history.model.objects.filter(author__username__in=emails).delete()
    mine.delete()
"""
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=environment(), capture_output=True, text=True
    )
    return int(output.stdout.split()[-1])


def measure_comment_post(master_pid, folder):
    """Delegates posting comments on paragraph 29, each request as the next of them, with the form's
    token; afterwards every comment the portal accepted must be stored once, and they are removed."""
    import random

    sessions = delegate_sessions()
    bench_comments("delete")
    url = f"http://127.0.0.1:{PORTAL}{COMMENT_PATH}"
    page, headers = fetch(COMMENT_PATH, cookie=f"sessionid={sessions[0]}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    if not token or not csrf_cookie:
        raise SystemExit(f"No comment form at {COMMENT_PATH}: is a consultation open on the bench data?")
    scripts = []
    for run in range(2):  # one connection for the CPU, then the full load
        script = folder / f"post-{run}.lua"
        script.write_text(
            POST_SCRIPT.format(
                sessions=", ".join(f'"{session}"' for session in sessions),
                csrf_cookie=csrf_cookie[1],
                nonce=random.getrandbits(31),
                token=token[1].decode(),
                referer=url,
            )
        )
        scripts.append(script)
    cpu_ms, sent_one_by_one = cpu_per_request(master_pid, url, script=scripts[0])
    rate, p50, p99, refused, sent = wrk(url, script=scripts[1])
    wait_until_idle(master_pid)
    stored = bench_comments("delete")
    return {
        "rate": rate,
        "p50": p50,
        "p99": p99,
        "cpu_ms": cpu_ms,
        "refused": refused,
        "sent": sent_one_by_one + sent,
        "stored": stored,
    }


def nginx_config(folder, pages):
    locations = "\n".join(
        f"    location = /saved/{index} {{ default_type text/html; alias {folder}/page-{index}.html; }}"
        for index in range(len(pages))
    )
    # Workers read the saved pages and write the micro-cache in this private folder: same user.
    user = "user root root;" if os.geteuid() == 0 else ""
    return f"""
{user}
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  proxy_cache_path {folder}/cache keys_zone=micro:10m max_size=200m;
  server {{
    listen 127.0.0.1:{STATIC};
{locations}
  }}
  server {{
    listen 127.0.0.1:{PROXY};
    location / {{
      proxy_pass http://127.0.0.1:{PORTAL};
      proxy_set_header Host $host;
      proxy_cache micro;
      proxy_cache_valid 200 301 404 1s;
      proxy_cache_lock on;
      proxy_cache_use_stale updating;
      proxy_cache_bypass $cookie_sessionid;
      proxy_no_cache $cookie_sessionid;
    }}
  }}
}}
"""


def main():
    for tool in ("wrk", "nginx", "gunicorn"):
        if not shutil.which(tool) and not (Path(PYTHON).parent / tool).exists():
            raise SystemExit(f"{tool} is needed (apt-get install wrk nginx; gunicorn comes with make install).")
    prepare()
    env = environment()
    gunicorn = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "portal.wsgi",
            "-b",
            f"127.0.0.1:{PORTAL}",
            "-w",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(DATA / "gunicorn.log").open("w"),
    )
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    nginx = None
    try:
        wait_for(f"http://127.0.0.1:{PORTAL}/healthz")
        detail = re.search(rb'href="(/es/iniciativas/generado-programa-[^"]+)"', fetch("/es/iniciativas/?page=3")[0])
        pages = [(name, path or detail[1].decode()) for name, path in PAGES]
        queries = json.loads(
            subprocess.run(
                [PYTHON, "scripts/count_queries.py", *[path for _name, path in pages]],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for index, (_name, path) in enumerate(pages):
            (folder / f"page-{index}.html").write_bytes(fetch(path)[0])
        (folder / "nginx.conf").write_text(nginx_config(folder, pages))
        nginx = subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-g", "daemon off;"])
        wait_for(f"http://127.0.0.1:{STATIC}/saved/0")
        floor = median_of_runs(f"http://127.0.0.1:{PORTAL}/bench/constant")
        print(f"Reference: Django constant view {floor[0]:.0f} req/s, p50 {floor[1]:.1f} ms, p99 {floor[2]:.1f} ms")
        print("uncached = with a session cookie (no page cache); CPU ms = workers' CPU per uncached request;")
        print(
            "err = answers neither 2xx nor 3xx; medians of 3 runs, in req/s and ms; floor = the constant view, measured"
        )
        print("in turn with the page's cached runs (and nginx's copy in turn with the proxy's)")
        header = f"{'page':26} {'uncached':>8} {'p50':>6} {'p99':>6} {'cached':>7} {'p50':>5} {'p99':>5} {'proxy':>7} "
        header += f"{'nginx':>7} {'SQL':>3} {'KB':>6} {'floor':>6} {'cached/floor':>12} {'proxy/nginx':>11} "
        header += f"{'CPU ms':>6} {'err':>4}"
        print(header)
        rows = []
        for index, (name, path) in enumerate(pages):
            url = f"http://127.0.0.1:{PORTAL}{path}"
            cpu_ms, _sent = cpu_per_request(gunicorn.pid, url, cookie="sessionid=bench")
            uncached = median_of_runs(url, cookie="sessionid=bench", settle=lambda: wait_until_idle(gunicorn.pid))
            cached, floor_beside = paired_medians(url, f"http://127.0.0.1:{PORTAL}/bench/constant")
            proxied, static = paired_medians(
                f"http://127.0.0.1:{PROXY}{path}", f"http://127.0.0.1:{STATIC}/saved/{index}"
            )
            size = (folder / f"page-{index}.html").stat().st_size / 1024
            row = (
                name,
                uncached[0],
                uncached[1],
                uncached[2],
                cached[0],
                cached[1],
                cached[2],
                proxied[0],
                static[0],
                queries[path],
                size,
                floor_beside[0],
                cached[0] / floor_beside[0],
                proxied[0] / static[0],
                cpu_ms,
                uncached[3] + cached[3] + proxied[3],
            )
            rows.append(row)
            print(ROW.format(*row))
        posting = measure_comment_post(gunicorn.pid, folder)
        print(
            f"Comment post, signed in ({COMMENT_PATH}): {posting['rate']:.0f} req/s, p50 {posting['p50']:.1f} ms, "
            f"p99 {posting['p99']:.1f} ms, {posting['cpu_ms']:.1f} CPU ms; {posting['sent']} sent, "
            f"{posting['refused']} not accepted, {posting['stored']} stored"
        )
        _, memory = worker_cpu_seconds(gunicorn.pid)
        print(f"Gunicorn workers' resident memory: {', '.join(f'{rss / 2**20:.0f} MB' for rss in memory)}")
        (DATA / "last-bench.json").write_text(
            json.dumps({"floor": floor, "rows": rows, "post": posting, "memory": memory})
        )
    finally:
        if nginx:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=10)
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
