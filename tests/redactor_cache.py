"""A warm redactor cache for tests whose program needs a cache directory of its own.

A fresh ``GONOGO_CACHE_DIR`` (or ``XDG_CACHE_HOME``) makes the first redactor of a process
compile the literals database, about 10 s of CPU. Tests that only need the cache *elsewhere*
(the controls of the "cache inside the workspace" refusals) get a copy of one cache built
once per test run instead: the same entries a cold start writes, under the copy's own
``.mac-key``, so the program verifies and uses them (``verified_cache``) and writes nothing.
The cold build itself is tested in ``tests/redaction/test_cache_integrity.py``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

from gonogo.config import REPO_ROOT

_BUILD = (
    "from enforcement_agent.redaction import Redactor\n"
    "Redactor().find(b'token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5')\n"
    # a known secret's scan compiles the dump gate's database (``dumps.gate_found``)
    "Redactor(known_secrets=['seed-known-secret-0123456789']).redact_bytes(b'a\\nb\\n')\n"
)


def build_seed(root: Path) -> Path:
    """The seed cache under ``root`` (shared by the run's xdist workers), built once."""
    seed = root / "redactor-cache-seed"
    done = root / "redactor-cache-seed.done"
    with open(root / "redactor-cache-seed.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(seed, ignore_errors=True)
            env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
            env["GONOGO_CACHE_DIR"] = str(seed)
            subprocess.run([sys.executable, "-c", _BUILD], env=env, cwd=REPO_ROOT, check=True,
                           capture_output=True, timeout=600)  # fmt: skip
            names = sorted(p.name.rsplit("-", 1)[0] for p in seed.iterdir())
            # (the literals, shapes and NUL-record databases: ninth speed pass, the tables and
            # literals-with-shapes databases since the fourteenth; the two gate
            # databases: eleventh; the dump gate: stop 43)
            expected = [".mac", *["hyperscan"] * 6, "redaction-plan", "redaction-shapes"]
            assert names == expected, sorted(p.name for p in seed.iterdir())
            done.touch()
    return seed


def copy_seed(seed: Path, dest: Path) -> Path:
    """A private copy of the seed at ``dest`` (0700, its files 0600, as the redactor makes)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(seed, dest)  # modes kept
    return dest
