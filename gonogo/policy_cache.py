"""A compiled-policy cache under the state directory, for processes that live one tool call.

Compiling the shipped policy (YAML with line numbers, ~1,000 rules, their embedded examples)
takes longer than everything else a hook process does. The compiled form is pickled under
``$GONOGO_HOME/cache/policy/`` keyed by the sha256 of every policy file in the folder, the
policy code's own sources, gonogo's version and the Python version; the entry also lists
every file the compile read (the template, its overlays and each ``exec.program_files`` spec
file, wherever it lies) with its sha256, checked on every load: any change recompiles. The
embedded examples are checked when the entry is built (a policy whose examples fail never
reaches the cache), and an entry is only written when no file it lists changed while the
policy compiled.

An entry is trusted only when all of these hold, else it is ignored and rebuilt (fail closed);
the first three are :mod:`enforcement_agent.verified_cache`'s checks, shared with the
redactor's hyperscan and pattern caches:

* it is a regular file (not a symlink) owned by this user and writable by no one else, in a
  directory that is too, and neither lies inside a workspace the store was told about;
* it starts with this format's magic and carries the full key the store computes now (a
  stale entry, or one renamed from another key, does not match), and every file it lists
  still has the sha256 it lists;
* its HMAC-SHA256 (key, body) verifies under a random secret kept beside the cache (0600), so
  a corrupt, truncated, edited or copied-in entry is refused *before* anything is unpickled;
* unpickling resolves only the policy's own classes (``enforcement_agent.*`` types),
  ``datetime.date`` and the few builtins a compiled policy uses; a pattern is rebuilt as an
  uncompiled :class:`LazyPattern`, and a bound method only as a pattern's own search method.

Each program's argument spec (most of the entry) is stored as its own pickle and unpickled the
first time a decision looks that program up: a hook process deciding ``git status`` loads
git's spec, not the 200 others.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import hmac
import io
import json
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from enforcement_agent import verified_cache
from enforcement_agent.lazy_regex import LazyPattern, lazy_compile
from enforcement_agent.policy import Policy, PolicyStore
from enforcement_agent.policy.argspec import ProgramSpec
from enforcement_agent.policy.engine import CompiledPolicy

_FORMAT = b"gonogo-policy-cache/2\n"
_SECRET = verified_cache.SECRET_NAME
# What a compiled policy pickles besides its own classes (anything else: not our entry).
_SAFE_GLOBALS = {
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("datetime", "date"),
}
_POLICY_MODULE = lazy_compile(r"enforcement_agent\.(?:models|policy\.[a-z_]+)")
_PATTERN_METHODS = frozenset({"search", "match", "fullmatch", "finditer", "findall", "sub"})


def _names_in(directory: Path, keep: Callable[[str], bool]) -> list[Path]:
    """``sorted(directory.glob(pattern))`` for a one-level pattern that ``keep`` tests by name
    (every kind of entry, hidden ones too, as ``Path.glob``; none when not a directory), without
    the pattern's regex: each ``Path.glob`` compiled one, ~1 ms of a hook call (stop 47)."""
    try:
        with os.scandir(directory) as it:
            return sorted(directory / e.name for e in it if keep(e.name))
    except (NotADirectoryError, FileNotFoundError, PermissionError):
        return []


def _yaml_name(name: str) -> bool:
    """Whether ``name`` matches ``*.y*ml`` (a ``.y`` somewhere before a final ``ml``)."""
    return name.endswith("ml") and ".y" in name[:-2]


@functools.cache
def _code_digest() -> str:
    """The policy engine's own sources (a changed rule compiler must not reuse old output).

    Each source file counts by its path, size, inode, modification and change times (ns),
    not its ~640 KB of bytes: Python reuses a module's bytecode on size and mtime alone, and
    the change time, which no one can set back, moves on every write, rename or utime.
    """
    import enforcement_agent.models as models
    import enforcement_agent.policy as policy_pkg
    import gonogo

    h = hashlib.sha256(_FORMAT + sys.version.encode() + b"\0" + gonogo.__version__.encode())
    here = Path(policy_pkg.__file__).parent
    files = _names_in(here, lambda n: n.endswith(".py")) + [Path(models.__file__)]
    for path in files:
        st = path.stat()
        ident = (str(path), st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
        h.update(repr(ident).encode() + b"\0")
    return h.hexdigest()


class _LazyMethod:
    """A pickled ``pattern.search``: the pattern is compiled when the method is first called.

    (``getattr`` at load time would compile it, and the two big alternations of protected
    and secret name fragments cost ~4 ms to compile; many decisions never call them.)
    """

    __slots__ = ("_pattern", "_name", "_bound")

    def __init__(self, pattern: LazyPattern, name: str) -> None:
        self._pattern = pattern
        self._name = name
        self._bound: Any = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        bound = self._bound
        if bound is None:
            bound = self._bound = getattr(self._pattern, self._name)
        return bound(*args, **kwargs)


def _pattern_method(obj: object, name: str) -> _LazyMethod:
    """``getattr`` as a pickled ``pattern.search`` uses it, and nothing else."""
    if not isinstance(obj, LazyPattern) or name not in _PATTERN_METHODS:
        raise pickle.UnpicklingError(f"not a pattern method: {name!r}")
    return _LazyMethod(obj, name)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        # How re.Pattern pickles itself: a decision touches a handful of the policy's ~700
        # patterns, so the rest are never compiled.
        if (module, name) == ("re", "_compile"):
            return LazyPattern
        if (module, name) == ("builtins", "getattr"):
            return _pattern_method
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        if _POLICY_MODULE.fullmatch(module) and not name.startswith("_"):
            found = super().find_class(module, name)
            # Only the policy's own classes (a module may also hold functions or modules); not
            # the rest of the agent, whose constructors open logs, spools and sandboxes.
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"not in a compiled policy: {module}.{name}")


def _unpickle(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


class LazySpecTable(Mapping[str, ProgramSpec]):
    """A program → spec table whose specs are unpickled on first lookup (verified bytes)."""

    __slots__ = ("_blobs", "_loaded")

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self._blobs = blobs
        self._loaded: dict[str, ProgramSpec] = {}

    def __getitem__(self, name: str) -> ProgramSpec:
        spec = self._loaded.get(name)
        if spec is not None:
            return spec
        blob = self._blobs[name]  # KeyError for a program the table does not hold
        spec = _unpickle(blob)
        if not isinstance(spec, ProgramSpec):
            raise TypeError(f"cached spec of {name!r} is not a ProgramSpec")
        return self._loaded.setdefault(name, spec)

    def __contains__(self, name: object) -> bool:
        return name in self._blobs

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)


def _without_memos(compiled: CompiledPolicy) -> CompiledPolicy:
    """``compiled`` without the parse and rule memos its embedded examples filled while loading.

    They hold every example command's parse (more than half the pickle) and would only be read
    back to be thrown away: a hook process decides one command.
    """
    bare = dataclasses.replace(compiled.exec, rule_cache={}, spec_cache={})
    return dataclasses.replace(compiled, exec=bare)


def _blobs(table: Mapping[str, ProgramSpec], seen: dict[bytes, bytes]) -> dict[str, bytes]:
    # Aliases (python, python3, pypy …) pickle to the same bytes: one object, stored once.
    return {
        name: seen.setdefault(blob, blob)
        for name, spec in table.items()
        for blob in (pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL),)
    }


def _parts(
    compiled: CompiledPolicy,
) -> tuple[CompiledPolicy, dict[str, bytes], dict[str, bytes]]:
    """The policy without its spec tables, and each table's specs pickled one by one."""
    bare = _without_memos(compiled)
    seen: dict[bytes, bytes] = {}
    programs = _blobs(bare.exec.programs, seen)
    read_only = _blobs(bare.exec.read_only_programs, seen)
    ex = dataclasses.replace(bare.exec, programs={}, read_only_programs={})
    return dataclasses.replace(bare, exec=ex), programs, read_only


def _body(compiled: CompiledPolicy) -> bytes:
    """The entry's body (what the MAC covers)."""
    return pickle.dumps(_parts(compiled), protocol=pickle.HIGHEST_PROTOCOL)


def _from_body(body: bytes) -> CompiledPolicy | None:
    outer, programs, read_only = _unpickle(body)
    if not (
        isinstance(outer, CompiledPolicy)
        and _bytes_table(programs)
        and _bytes_table(read_only)
        and not outer.exec.programs
        and not outer.exec.read_only_programs
    ):
        return None
    outer.exec.programs = LazySpecTable(programs)
    outer.exec.read_only_programs = LazySpecTable(read_only)
    return outer


def _bytes_table(table: object) -> bool:
    return isinstance(table, dict) and all(
        isinstance(k, str) and isinstance(v, bytes) for k, v in table.items()
    )


# A source file changed this recently may have changed while the policy compiled (file
# times are coarser than the clock): such an entry is not written; a later call writes it.
_SETTLE_NS = 2_000_000_000


def _sha256_file(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def _manifest(compiled: CompiledPolicy, started_ns: int) -> list[list[str]] | None:
    """``[path, sha256]`` of every file ``compiled`` was read from; ``None`` if one may have
    changed while it compiled (or cannot be read)."""
    out: list[list[str]] = []
    try:
        for name in (*compiled.files_loaded, *compiled.spec_files):
            path = os.path.abspath(name)
            if os.stat(path).st_mtime_ns >= started_ns - _SETTLE_NS:
                return None
            out.append([path, _sha256_file(path)])
    except OSError:
        return None
    return out


def _manifest_holds(manifest: object) -> bool:
    if not isinstance(manifest, list) or not manifest:
        return False
    try:
        for path, digest in manifest:
            if not (isinstance(path, str) and isinstance(digest, str)):
                return False
            if not hmac.compare_digest(_sha256_file(path), digest):
                return False
    except (OSError, ValueError, TypeError):
        return False
    return True


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


class CachedPolicyStore(PolicyStore):
    """A :class:`PolicyStore` that reuses a compiled policy when nothing it depends on changed.

    ``workspaces``: folders an agent can write; a cache directory inside (or equal to) one of
    them is never read or written (the policy is compiled from its files instead).
    """

    def __init__(
        self, policy_dir: Path | str, cache_dir: Path | str, workspaces: Iterable[Path] = ()
    ) -> None:
        super().__init__(policy_dir)
        self.cache_dir = Path(cache_dir)
        self.workspaces = tuple(workspaces)
        self._compiled: dict[str, Policy] = {}

    def _key(self, tenant: str) -> str:
        h = hashlib.sha256(_code_digest().encode() + tenant.encode() + b"\0")
        for path in _names_in(self.policy_dir, _yaml_name):
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return h.hexdigest()

    def usable(self) -> bool:
        """Whether the cache directory may be used: not inside a workspace (resolved)."""
        try:
            cache = self.cache_dir.resolve()
            return not any(_inside(cache, ws.resolve()) for ws in self.workspaces)
        except (OSError, RuntimeError):
            return False

    def for_tenant(self, tenant: str) -> Policy:
        known = self._compiled.get(tenant)
        if known is not None:
            return known
        self.path_for(tenant)  # validates the tenant id before it names a file
        if not self.usable():
            return super().for_tenant(tenant)
        try:
            key = self._key(tenant)
        except OSError:
            return super().for_tenant(tenant)
        path = self.cache_dir / f"{tenant}-{key[:40]}.pickle"
        compiled = self._load(path, key)
        if compiled is None:
            started = time.time_ns()
            policy = super().for_tenant(tenant)  # compiles and checks the embedded examples
            if self._key(tenant) == key:  # no policy file changed while it compiled
                self._store(path, key, tenant, policy.compiled, started)
        else:
            policy = Policy(compiled)
        return self._compiled.setdefault(tenant, policy)

    def clear(self) -> None:
        super().clear()
        self._compiled.clear()

    # ---- read and write an entry (enforcement_agent.verified_cache) ---------------------
    def _load(self, path: Path, key: str) -> CompiledPolicy | None:
        body = verified_cache.read_entry(self.cache_dir, path, _FORMAT, key)
        if body is None:
            return None  # not ours: other format or key, corrupt, edited, foreign, a symlink
        manifest, nl, pickled = body.partition(b"\n")
        try:
            if not (nl and _manifest_holds(json.loads(manifest))):
                return None  # a file the policy was compiled from changed (or is gone)
            return _from_body(pickled)
        except Exception:  # noqa: BLE001 - a bad cache is recompiled, never trusted
            return None

    def _store(
        self, path: Path, key: str, tenant: str, compiled: CompiledPolicy, started_ns: int
    ) -> None:
        try:
            manifest = _manifest(compiled, started_ns)
            if manifest is None:
                return
            body = json.dumps(manifest).encode() + b"\n" + _body(compiled)
            if not verified_cache.write_entry(self.cache_dir, path, _FORMAT, key, body):
                return
            for stale in self.cache_dir.glob(f"{tenant}-*.pickle"):
                if stale != path:
                    with contextlib.suppress(OSError):
                        stale.unlink()
        except Exception:  # noqa: BLE001 - caching is an optimisation; the policy is loaded
            return
