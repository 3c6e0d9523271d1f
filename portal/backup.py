"""Backups: one timestamped archive holding a consistent pg_dump of the database and the uploaded files.

pg_dump reads the whole database in one transaction, so the dump is consistent while the portal
keeps serving. The PostgreSQL client programs are those shipped inside pgserver (version 16), for
the embedded server and for a DATABASE_URL server alike.
"""

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

DUMP_NAME = "database.dump"
MEDIA_NAME = "media"


def postgres_program(name):
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


def connection_arguments(database=None):
    """pg_dump/pg_restore options and environment for the default database (a socket dir is a host too)."""
    database = database or settings.DATABASES["default"]
    arguments = ["--dbname", database["NAME"], "--username", database.get("USER") or "postgres"]
    if database.get("HOST"):
        arguments += ["--host", database["HOST"]]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return arguments, env


def backup_create(*, directory) -> Path:
    """Write portal-<timestamp>.tar.gz into directory and return its path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    archive = directory / f"portal-{timezone.now().strftime('%Y%m%d-%H%M%S-%f')}.tar.gz"
    arguments, env = connection_arguments()
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP_NAME
        subprocess.run(
            [postgres_program("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), *arguments],
            env=env,
            check=True,
            capture_output=True,
        )
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=DUMP_NAME)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname=MEDIA_NAME)
        partial.rename(archive)  # a visible archive is always a complete one
    return archive


def backup_restore(*, archive) -> None:
    """Replace the database's content and the uploaded files by those of the archive."""
    arguments, env = connection_arguments()
    with tempfile.TemporaryDirectory() as work:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
        subprocess.run(
            [
                postgres_program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *arguments,
                str(Path(work) / DUMP_NAME),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        media = Path(settings.MEDIA_ROOT)
        restored = Path(work) / MEDIA_NAME
        if media.exists():
            shutil.rmtree(media)
        if restored.exists():
            shutil.copytree(restored, media)
        else:
            media.mkdir(parents=True, exist_ok=True)
