"""Millions of CPU instructions per uncached request, for comparing two versions of the code.

CPU time on a shared machine moves by a third between runs; an instruction count does not. Run after
`make bench` has made the large dataset (var/bench), with valgrind installed (apt-get install valgrind):

    .venv/bin/python scripts/instructions.py /es/ /es/documentos/mc-2353/ /api/initiatives/

Each path is requested in one process with an unknown session cookie (the page cache is bypassed, as
for a signed-in reader): three times to warm the per-process tables, then counted over REQUESTS more
under callgrind. Python runs about 30 times slower there; the counts exclude PostgreSQL's work.
"""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench"
REQUESTS = int(os.environ.get("REQUESTS", "8"))  # fewer lets a once-a-second check weigh too much


def count(path):
    """Runs this script on one path under callgrind, with instrumentation off until the warm-up ends."""
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--measure",
            path,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **environment()},
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode or not found:
        raise SystemExit(f"{path}: the measurement failed\n{run.stderr[-2000:]}")
    return int(found[1]) / REQUESTS / 1e6


def environment():
    return {
        "PORTAL_DATA_DIR": str(DATA),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": (DATA / "secret_key").read_text().strip(),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }


def measure(path):
    """Inside valgrind: warm up, then switch the instrumentation on for the counted requests only."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # the garbage collector set up as in a gunicorn worker: otherwise a full collection of the whole heap
    # (some 60 million instructions) falls in the counted requests now and then
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"](None)
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = "instructions"
    for _warm_up in range(3):
        status = client.get(path).status_code
    if status >= 400:
        raise SystemExit(f"{path} answers {status}")
    subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], capture_output=True, check=True)
    for _counted in range(REQUESTS):
        client.get(path)
    subprocess.run(["callgrind_control", "--instr=off", str(os.getpid())], capture_output=True, check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2])
    elif not sys.argv[1:] or not (DATA / "secret_key").exists():
        raise SystemExit(__doc__)
    else:
        for path in sys.argv[1:]:
            print(f"{count(path):8.1f} M instructions  {path}", flush=True)
