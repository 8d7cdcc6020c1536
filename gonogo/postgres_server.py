"""A throwaway PostgreSQL cluster on a loopback port: for the cluster tests and benchmarks.

Production points ``GONOGO_PG_URL`` at its own Postgres; nothing here runs there. This uses
Debian's ``postgresql`` binaries (``initdb``, ``pg_ctl``): a fresh data directory, one
password-protected superuser, TCP on 127.0.0.1 only (no Unix socket outside the data
directory), and ``fsync`` left on so figures measured against it are honest. Postgres refuses
to run as root, so under root it runs as the ``postgres`` system user (``runuser``).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_USER = "gonogo"
PG_DATABASE = "dagster"


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing or the server did not come up."""


def postgres_bindir() -> Path | None:
    """Debian's versioned bin directory (the newest), or the one ``pg_ctl`` on PATH is in."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parent.parent.name
    return tuple(int(x) for x in part.split(".") if x.isdigit())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(argv: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


@contextmanager
def local_postgres(workdir: Path | None = None, *, start_timeout: float = 60.0) -> Iterator[str]:
    """Run a private Postgres on 127.0.0.1:<free port>; yields its URL; stops and removes it."""
    bindir = postgres_bindir()
    if bindir is None:
        raise PostgresUnavailable("PostgreSQL is not installed (Debian package postgresql)")
    owner = "postgres" if os.geteuid() == 0 else None
    if owner is not None:
        try:
            pw = pwd.getpwnam(owner)
        except KeyError:
            raise PostgresUnavailable("running as root and no 'postgres' user to run as") from None
    # Under root the server runs as ``postgres``, which must reach its data directory: a
    # caller's folder (often private, e.g. pytest's) is only used when we run as ourselves.
    base = workdir if owner is None else None
    with tempfile.TemporaryDirectory(prefix="gonogo-pg-", dir=base) as tmp:
        folder = Path(tmp)
        data = folder / "data"
        pwfile = folder / "pw"
        password = secrets.token_urlsafe(18)
        pwfile.write_text(password + "\n")
        if owner is not None:
            os.chmod(folder, 0o711)  # the postgres user must reach its data directory
            os.chown(pwfile, pw.pw_uid, pw.pw_gid)
            data.mkdir(mode=0o700)
            os.chown(data, pw.pw_uid, pw.pw_gid)
        pwfile.chmod(0o600)
        log = folder / "server.log"
        log.touch()
        if owner is not None:
            os.chown(log, pw.pw_uid, pw.pw_gid)
        init = subprocess.run(
            _as_owner(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    PG_USER,
                    f"--pwfile={pwfile}",
                    "-A",
                    "scram-sha-256",
                    "-E",
                    "UTF8",
                    "--no-instructions",
                ],
                owner,
            ),
            capture_output=True,
            text=True,
            timeout=180,
        )
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {init.stderr.strip()[-400:]}")
        port = _free_port()
        opts = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='{data}' "
            "-c max_connections=60 -c shared_buffers=64MB"
        )
        start = subprocess.run(
            _as_owner(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    opts,
                    "-w",
                    "-t",
                    str(int(start_timeout)),
                    "start",
                ],  # fmt: skip
                owner,
            ),
            capture_output=True,
            text=True,
            timeout=start_timeout + 30,
        )
        if start.returncode != 0:
            raise PostgresUnavailable(
                f"pg_ctl start failed: {start.stderr.strip()[-300:]} {log.read_text()[-400:]}"
            )
        try:
            url = f"postgresql+psycopg2://{PG_USER}:{password}@127.0.0.1:{port}/{PG_DATABASE}"
            _create_database(port, password, start_timeout)
            yield url
        finally:
            with contextlib.suppress(subprocess.TimeoutExpired):
                subprocess.run(
                    _as_owner(
                        [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                        owner,
                    ),
                    capture_output=True,
                    timeout=120,
                )


def _create_database(port: int, password: str, timeout: float) -> None:
    import psycopg2

    deadline = time.monotonic() + timeout
    while True:
        try:
            con = psycopg2.connect(
                host="127.0.0.1",
                port=port,
                user=PG_USER,
                password=password,
                dbname="postgres",
                connect_timeout=5,
            )
            break
        except psycopg2.OperationalError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.3)
    try:
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f"CREATE DATABASE {PG_DATABASE}")
    finally:
        con.close()
