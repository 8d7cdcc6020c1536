"""A compiled-policy cache under the state directory, for processes that live one tool call.

Compiling the shipped policy (YAML with line numbers, ~1,000 rules, their embedded examples)
takes longer than everything else a hook process does. The compiled form is pickled under
``$GONOGO_HOME/cache/policy/`` keyed by the sha256 of every policy file in the folder, the
policy code's own sources and the Python version: any change to either recompiles. A cache
file is only read when it is a regular file owned by this user and writable by no one else
(it lives in the state directory, which no workspace may contain).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

from enforcement_agent.lazy_regex import LazyPattern
from enforcement_agent.policy import Policy, PolicyStore
from enforcement_agent.policy.engine import CompiledPolicy

_FORMAT = b"gonogo-policy-cache/1"


@functools.cache
def _code_digest() -> str:
    """The policy engine's own sources (a changed rule compiler must not reuse old output)."""
    import enforcement_agent.models as models
    import enforcement_agent.policy as policy_pkg

    h = hashlib.sha256(_FORMAT + sys.version.encode())
    files = sorted(Path(policy_pkg.__file__).parent.glob("*.py")) + [Path(models.__file__)]
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        # How re.Pattern pickles itself: a decision touches a handful of the policy's ~700
        # patterns, so the rest are never compiled.
        if (module, name) == ("re", "_compile"):
            return LazyPattern
        return super().find_class(module, name)


def _without_memos(compiled: CompiledPolicy) -> CompiledPolicy:
    """``compiled`` without the parse and rule memos its embedded examples filled while loading.

    They hold every example command's parse (more than half the pickle) and would only be read
    back to be thrown away: a hook process decides one command.
    """
    bare = dataclasses.replace(compiled.exec, rule_cache={}, spec_cache={})
    return dataclasses.replace(compiled, exec=bare)


def _owned_private(st: os.stat_result) -> bool:
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class CachedPolicyStore(PolicyStore):
    """A :class:`PolicyStore` that reuses a compiled policy when nothing it depends on changed."""

    def __init__(self, policy_dir: Path | str, cache_dir: Path | str) -> None:
        super().__init__(policy_dir)
        self.cache_dir = Path(cache_dir)
        self._compiled: dict[str, Policy] = {}

    def _key(self, tenant: str) -> str:
        h = hashlib.sha256(_code_digest().encode() + tenant.encode() + b"\0")
        for path in sorted(self.policy_dir.glob("*.y*ml")):
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return h.hexdigest()

    def for_tenant(self, tenant: str) -> Policy:
        known = self._compiled.get(tenant)
        if known is not None:
            return known
        self.path_for(tenant)  # validates the tenant id before it names a file
        try:
            key = self._key(tenant)
        except OSError:
            return super().for_tenant(tenant)
        path = self.cache_dir / f"{tenant}-{key[:40]}.pickle"
        compiled = self._load(path)
        if compiled is None:
            policy = super().for_tenant(tenant)
            self._store(path, tenant, policy.compiled)
        else:
            policy = Policy(compiled)
        return self._compiled.setdefault(tenant, policy)

    def clear(self) -> None:
        super().clear()
        self._compiled.clear()

    def _load(self, path: Path) -> CompiledPolicy | None:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            dir_st = os.stat(self.cache_dir)
            if not (stat.S_ISREG(st.st_mode) and _owned_private(st) and _owned_private(dir_st)):
                return None
            if f.read(len(_FORMAT)) != _FORMAT:
                return None
            try:
                compiled = _Unpickler(f).load()  # our own file, owner-checked above
            except Exception:  # noqa: BLE001 - a bad cache is recompiled, never trusted
                return None
        return compiled if isinstance(compiled, CompiledPolicy) else None

    def _store(self, path: Path, tenant: str, compiled: CompiledPolicy) -> None:
        try:
            self.cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            tmp = self.cache_dir / f".tmp-{os.getpid()}-{os.urandom(6).hex()}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_FORMAT)
                    pickle.dump(_without_memos(compiled), f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            for stale in self.cache_dir.glob(f"{tenant}-*.pickle"):
                if stale != path:
                    with contextlib.suppress(OSError):
                        stale.unlink()
        except Exception:  # noqa: BLE001 - caching is an optimisation; the policy is loaded
            return
