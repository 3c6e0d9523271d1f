"""Millions of PostgreSQL instructions per uncached request, statement by statement: `instructions.py`'s
counterpart for the database's share, which that one leaves out.

On a shared machine a query's time moves by a third between runs; its instruction count does not. Run
after `make bench` has made the large dataset (var/bench), with valgrind installed:

    .venv/bin/python scripts/pg_instructions.py "/es/buscar/?q=dialogo" /es/documentos/mc-2353/

Each path is requested once in this process (with an unknown session cookie, as `instructions.py` does),
and its SQL statements are kept with their values written in. Each statement is then run by a
single-user PostgreSQL backend under callgrind, on a copy of the dataset's database (the server must
not be running on the copy), WARM_UP times and then WARM_UP + REPEAT times: the difference, divided by
REPEAT, is one run's count, without the backend's start and its caches' first filling. The printing of
the rows, which single-user mode does and a server does not, is left out. Statements that write are
skipped.
"""

import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from instructions import DATA, environment  # noqa: E402

WARM_UP, REPEAT = 3, 5
POSTGRES = "postgres"  # found beside pgserver's other programs


def statements(path):
    """The SELECT statements of one uncached request of `path`, with their values written in."""
    os.environ.update(environment())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import psycopg
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = "instructions"
    client.get(path)  # the per-process tables filled, as in a worker that has served a while
    captured = []

    def keep(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        client.get(path)
    written = psycopg.ClientCursor(connection.connection)
    return [written.mogrify(sql, params) for sql, params in captured if sql.lstrip().startswith(("SELECT", "WITH"))]


def count(copy, sql, times, out):
    """Instructions of a single-user backend that runs `sql` `times` times, less the printing of the rows.
    It runs as the database files' owner: PostgreSQL refuses to run as root."""
    import pgserver

    program = Path(pgserver.__file__).parent / "pginstall" / "bin" / POSTGRES
    command = f"valgrind --tool=callgrind --callgrind-out-file={out} {program} --single -j -D {copy} portal"
    owner = copy.stat().st_uid
    if os.getuid() == 0 and owner != 0:
        command = ["su", pwd.getpwuid(owner).pw_name, "-c", command]
    else:
        command = ["sh", "-c", command]
    run = subprocess.run(command, input=f"{sql};\n\n" * times, capture_output=True, text=True)
    total = re.search(r"Collected : (\d+)", run.stderr)
    if not total:
        raise SystemExit(f"the count failed\n{run.stderr[-2000:]}")
    report = subprocess.run(["callgrind_annotate", "--inclusive=yes", out], capture_output=True, text=True).stdout
    printing = re.search(r"^\s*([\d,]+) \([ \d.]+%\)\s+\S*:debugtup ", report, re.M)
    return int(total[1]) - (int(printing[1].replace(",", "")) if printing else 0)


def main(paths):
    folder = Path(tempfile.mkdtemp(prefix="pg-instructions-"))
    copy = folder / "pgdata"
    subprocess.run(["cp", "-a", str(DATA / "pgdata"), str(copy)], check=True)  # owners kept
    (copy / "postmaster.pid").unlink(missing_ok=True)
    if os.getuid() == 0:  # the copy's folder and the profiles written there, the backend's own
        os.chown(folder, (DATA / "pgdata").stat().st_uid, -1)
    try:
        for path in paths:
            counts = []
            for sql in statements(path):
                out = folder / "callgrind.out"
                warm = count(copy, sql, WARM_UP, out)
                counts.append((count(copy, sql, WARM_UP + REPEAT, out) - warm) / REPEAT / 1e6)
            each = "  ".join(f"{value:.2f}" for value in counts)
            print(f"{sum(counts):8.2f} M instructions  {path}  ({len(counts)} statements: {each})")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main(sys.argv[1:])
