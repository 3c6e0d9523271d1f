"""`make run`'s serve command end to end: a fresh data folder, first run, Ctrl-C, second run."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(data_dir, port):
    env = {**os.environ, "PORTAL_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # as from a terminal: a suite started in the background (nohup, &) passes Ctrl-C on ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
        if process.poll() is not None:
            break
    process.kill()
    pytest.fail(f"The portal did not start:\n{process.stdout.read()}")


def stop(process):
    process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    output, _ = process.communicate(timeout=60)
    return output


def page(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode()


def run_sql(data_dir, sql):
    env = {**os.environ, "PORTAL_DATA_DIR": str(data_dir)}
    code = f"from django.db import connection\nwith connection.cursor() as c: c.execute({sql!r})"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=settings.BASE_DIR, env=env, check=True, timeout=60
    )


def test_first_run_loads_content_ctrl_c_stops_everything_second_run_keeps_edits(tmp_path):
    data_dir, port = tmp_path / "var", free_port()
    portal = start(data_dir, port)
    assert "Foro Mundial sobre Migración y Desarrollo" in page(port, "/es/iniciativas/?theme=governance-dialogue")
    assert '<html lang="en">' in page(port, "/en/")
    run_sql(
        data_dir, "UPDATE initiatives_theme SET name_es = 'Gobernanza (editado)' WHERE code = 'governance-dialogue'"
    )
    output = stop(portal)
    assert "Loaded 124 glossary terms" in output
    assert not (data_dir / "pgdata" / "postmaster.pid").exists(), "the embedded PostgreSQL is still running"

    portal = start(data_dir, port)
    try:
        assert "Gobernanza (editado)" in page(port, "/es/")
    finally:
        output = stop(portal)
    assert "Content is already in the database; nothing was loaded." in output
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()
