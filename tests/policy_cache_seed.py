"""A warm compiled-policy cache for tests whose program starts with a fresh ``GONOGO_HOME``.

A fresh home makes the first process (a hook, ``gonogo agent exec``) or in-process agent compile
the shipped policy into ``$GONOGO_HOME/cache/policy`` (seconds of CPU), on every case. Tests
whose subject is not the compile copy a seed built once per worker instead: the entries a cold
start writes, under the copy's own ``.mac-key``, so the program verifies and uses them
(``gonogo.policy_cache``). The compile and the cache themselves (cold, warm, refused) are tested
in ``tests/integrations/test_hook_fast_path.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from gonogo.config import REPO_ROOT

_BUILD = (
    "import sys\n"
    "from pathlib import Path\n"
    "from gonogo.config import Settings\n"
    "from gonogo.wiring import _policies\n"
    "policy_dir = Path(sys.argv[2]) if sys.argv[2] else None\n"
    "_policies(Settings(home=Path(sys.argv[1])), policy_dir).for_tenant(sys.argv[3])\n"
)


def build_seed(
    home: Path,
    policy_dirs: tuple[Path | None, ...] = (None,),
    tenant: str = "acme",
    isolated: bool = True,
) -> Path:
    """``home/cache/policy`` holding ``tenant``'s policy of each of ``policy_dirs`` (``None``:
    the shipped one), compiled by the two kinds of process tests start: ``python -m gonogo``
    from the repository, and ``python -I -m gonogo`` (an approved line's ``agent exec``: the
    installed package; ``isolated=False`` when the tests start none); each writes its entry
    under its own code's key (the same key in CI)."""
    cache = home / "cache" / "policy"
    entries: dict[str, bytes] = {}
    kinds: list[tuple[tuple[str, ...], Path]] = [((), REPO_ROOT)]
    kinds += [(("-I",), home.parent)] if isolated else []
    for flags, cwd in kinds:
        for policy_dir in policy_dirs:
            argv = [sys.executable, *flags, "-c", _BUILD, str(home), str(policy_dir or ""), tenant]
            subprocess.run(argv, cwd=cwd, check=True, capture_output=True, timeout=600)
            # A store drops its tenant's entries of other keys when it writes: keep them all.
            entries |= {p.name: p.read_bytes() for p in cache.glob(f"{tenant}-*.pickle")}
    for name, body in entries.items():
        (cache / name).write_bytes(body)
        (cache / name).chmod(0o600)
    return cache


def warm_policy_cache(seed: Path, home: Path) -> None:
    """A private copy of ``seed`` as ``home``'s policy cache (its own 0600 secret, as made)."""
    if (home / "cache" / "policy").exists():
        return
    (home / "cache").mkdir(parents=True, exist_ok=True)
    shutil.copytree(seed, home / "cache" / "policy")  # modes kept
