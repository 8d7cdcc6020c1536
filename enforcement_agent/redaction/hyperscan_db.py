"""Hyperscan databases: compiled once per pattern set, cached on disk, loaded per thread.

Used by the engine (detector and decoder prefilters) and the known-secret matcher.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from enforcement_agent.lazy_logger import lazy_logger

_hs: Any
try:  # pragma: no cover - import guard
    import hyperscan as _hs
except ImportError:  # pragma: no cover - the pure-Python engine takes over
    _hs = None


def hyperscan_available() -> bool:
    return _hs is not None


_BLOBS: dict[str, bytes] = {}
_BLOBS_LOCK = threading.Lock()
_log = lazy_logger(__name__)


def load_database(blob: bytes) -> Any:
    """A hyperscan database from its serialized form, with its own scratch space."""
    assert _hs is not None
    db = _hs.loadb(blob, _hs.HS_MODE_BLOCK)
    db.scratch = _hs.Scratch(db)
    return db


def _cache_dir() -> Path:
    # Compiled patterns are not secret and are the same for every deployment of a version.
    env = os.environ.get("GONOGO_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gonogo"


def compiled_blob(
    patterns: Sequence[bytes],
    *,
    prefilter: bool | Sequence[bool],
    som: Sequence[bool] | None = None,
) -> bytes:
    """The serialized hyperscan database for ``patterns`` (memory, then disk, then compile).

    ``prefilter``: for all patterns, or one flag per pattern. ``som``: per pattern, report the
    leftmost start of each match (exact patterns only).
    """
    modes = [prefilter] * len(patterns) if isinstance(prefilter, bool) else list(prefilter)
    starts = list(som) if som is not None else [False] * len(patterns)
    if len(modes) != len(patterns) or len(starts) != len(patterns):
        raise ValueError("one prefilter flag and one som flag per pattern")
    digest = hashlib.sha256(
        repr((getattr(_hs, "__version__", ""), modes, starts, list(patterns))).encode()
    ).hexdigest()[:32]
    with _BLOBS_LOCK:
        blob = _BLOBS.get(digest)
        if blob is not None:
            return blob
        path = _cache_dir() / f"hyperscan-{digest}.db"
        try:
            blob = path.read_bytes()
            load_database(blob)  # an unusable cache (other CPU, truncated) is rebuilt below
        except Exception:  # noqa: BLE001
            blob = None
        if blob is None:
            assert _hs is not None
            blob = bytes(_hs.dumpb(_compile_db(patterns, modes, starts)))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(blob)
                os.replace(tmp, path)
            except OSError as exc:
                _log.debug("hyperscan cache not written: %s", exc)
        _BLOBS[digest] = blob
        return blob


def _compile_db(patterns: Sequence[bytes], prefilter: Sequence[bool], som: Sequence[bool]) -> Any:
    assert _hs is not None
    db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
    approx = _hs.HS_FLAG_PREFILTER | _hs.HS_FLAG_DOTALL | _hs.HS_FLAG_ALLOWEMPTY
    flags = [
        approx if p else (_hs.HS_FLAG_SOM_LEFTMOST if s else 0)
        for p, s in zip(prefilter, som, strict=True)
    ]
    n = len(patterns)
    db.compile(expressions=list(patterns), ids=list(range(n)), elements=n, flags=flags)
    return db


def cached_json(name: str, key: object, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept as JSON in the cache directory under ``name`` and a digest of ``key``.

    For facts derived from the patterns at some cost (parsing every pattern takes a process
    start a fifth of a second): they are the same for every process of a version.
    """
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    path = _cache_dir() / f"{name}-{digest}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value))
        os.replace(tmp, path)
    except OSError as exc:
        _log.debug("%s cache not written: %s", name, exc)
    return value


def compile_literals(
    literals: Sequence[tuple[bytes, bool]], *, extra: bytes | None = None
) -> bytes | None:
    """A serialized database matching each (text, caseless) literal exactly (None without
    hyperscan). Expression id i is ``literals[i]``; every occurrence is reported. ``extra`` is
    one more expression (a regex), with id ``len(literals)``."""
    if _hs is None:
        return None
    db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
    expressions = [b"".join(b"\\x%02x" % c for c in text) for text, _ in literals]
    flags = [_hs.HS_FLAG_CASELESS if caseless else 0 for _, caseless in literals]
    if extra is not None:
        expressions.append(extra)
        flags.append(0)
    n = len(expressions)
    db.compile(expressions=expressions, ids=list(range(n)), elements=n, flags=flags)
    return bytes(_hs.dumpb(db))
