"""The embedded PostgreSQL server (PyPI's pgserver) used when DATABASE_URL is not set.

Every process that imports the settings attaches to the same server; pgserver stops it when
the last of them exits, so Ctrl-C on `make run` leaves nothing behind. A server left over by a
killed process is found through its pid file and reused.
"""

import json
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "portal"


def embedded_database_url(pgdata: Path) -> str:
    pgdata.mkdir(parents=True, exist_ok=True)
    forget_dead_handles(pgdata)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as in CI); its /tmp fallback is fine.
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def forget_dead_handles(pgdata: Path):
    """pgserver counts the processes using the server in a file; one killed with -9 never leaves it,
    and then no later process would ever stop the server. Drop the dead ones first."""
    import psutil

    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (FileNotFoundError, ValueError):
        return
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))
