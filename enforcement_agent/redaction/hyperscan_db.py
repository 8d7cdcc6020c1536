"""Hyperscan databases: compiled once per pattern set, cached on disk, loaded per thread.

Used by the engine (detector and decoder prefilters) and the known-secret matcher.

What decides what is masked must not come from a file someone else could have written: the
databases and the pattern facts (``cached_json``) are kept as verified entries
(:mod:`enforcement_agent.verified_cache`: HMAC-SHA256 under a private secret beside them, the
full key inside, private ownership, no symlinks, atomic writes). An entry that does not verify
(planted, edited, truncated, copied from elsewhere, of another key or an older format) is
ignored and rebuilt from the patterns; nothing here raises into the redactor for a bad cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from enforcement_agent import verified_cache
from enforcement_agent.lazy_logger import lazy_logger

_hs: Any
try:  # pragma: no cover - import guard
    import hyperscan as _hs
except ImportError:  # pragma: no cover - the pure-Python engine takes over
    _hs = None


def hyperscan_available() -> bool:
    return _hs is not None


# Each kind's magic (format and version); the MAC covers the key and the body.
_DB_FORMAT = b"gonogo-hyperscan-db/1\n"
_JSON_FORMAT = b"gonogo-cached-json/1\n"

_BLOBS: dict[str, bytes] = {}
_BLOBS_LOCK = threading.Lock()
_log = lazy_logger(__name__)


def load_database(blob: bytes) -> Any:
    """A hyperscan database from its serialized form, with its own scratch space (each call
    its own: a thread's copy). The first call for a blob ``compiled_blob`` read from disk gets
    the database it loaded to check the entry (``_SPARES``) instead of loading it again."""
    assert _hs is not None
    with _SPARES_LOCK:
        spare = _SPARES.pop(id(blob), None)
    if spare is not None and spare[0] is blob:
        return spare[1]
    db = _hs.loadb(blob, _hs.HS_MODE_BLOCK)
    db.scratch = _hs.Scratch(db)
    return db


# Twelfth speed pass: a database read from the disk cache is loaded once to check it can run
# here (``compiled_blob``); that load is kept for the blob's first ``load_database`` (the
# engine's, a moment later) instead of being thrown away: every process start loaded each
# database twice (5 of them: ``loadb`` 4.2 → 3.2 ms of CPU, scratch 1.0 → 0.5). Keyed by the
# blob's identity (the entry holds the blob, so the id is not reused while it is there); a
# handful at most, the oldest dropped (a tool that compiles many sets and loads none of them).
_SPARES: dict[int, tuple[bytes, Any]] = {}
_SPARES_LOCK = threading.Lock()
_MAX_SPARES = 16


def _keep_spare(blob: bytes, db: Any) -> None:
    with _SPARES_LOCK:
        _SPARES[id(blob)] = (blob, db)
        while len(_SPARES) > _MAX_SPARES:
            del _SPARES[next(iter(_SPARES))]


def matches_any(db: Any, data: bytes) -> bool:
    """Whether ``db`` (from :func:`load_database`) matches anywhere in ``data``; the scan stops
    at the first match."""
    assert _hs is not None
    found = False

    def on_match(_id: int, _from: int, _to: int, _flags: int, _ctx: object) -> bool:
        nonlocal found
        found = True
        return True  # stop: hyperscan then raises ScanTerminated

    try:
        db.scan(data, match_event_handler=on_match)
    except _hs.ScanTerminated:
        pass
    return found


def _cache_dir() -> Path:
    # Compiled patterns are not secret and are the same for every deployment of a version, but
    # what they hold decides what is masked: the directory is guarded like a state directory.
    return verified_cache.redactor_cache_dir()


def compiled_blob(
    patterns: Sequence[bytes],
    *,
    prefilter: bool | Sequence[bool],
    som: Sequence[bool] | None = None,
    ids: Sequence[int] | None = None,
) -> bytes:
    """The serialized hyperscan database for ``patterns`` (memory, then disk, then compile).

    ``prefilter``: for all patterns, or one flag per pattern. ``som``: per pattern, report the
    leftmost start of each match (exact patterns only). ``ids``: the id each pattern reports
    under (several patterns may share one: the parts of one expression); by default its index.
    """
    modes = [prefilter] * len(patterns) if isinstance(prefilter, bool) else list(prefilter)
    starts = list(som) if som is not None else [False] * len(patterns)
    idents = list(ids) if ids is not None else list(range(len(patterns)))
    if len(modes) != len(patterns) or len(starts) != len(patterns) or len(idents) != len(patterns):
        raise ValueError("one prefilter flag, one som flag and one id per pattern")
    # The format is part of the key: files of earlier versions (same directory, other names)
    # are left alone instead of being rewritten back and forth by two versions.
    key = hashlib.sha256(
        repr(
            (_DB_FORMAT, getattr(_hs, "__version__", ""), modes, starts, list(patterns))
            + ((idents,) if ids is not None else ())
        ).encode()
    ).hexdigest()
    digest = key[:32]
    with _BLOBS_LOCK:
        blob = _BLOBS.get(digest)
        if blob is not None:
            return blob
        directory = _cache_dir()
        path = directory / f"hyperscan-{digest}.db"
        blob = verified_cache.read_entry(directory, path, _DB_FORMAT, key)
        if blob is not None:
            try:
                checked = load_database(blob)
            except Exception:  # noqa: BLE001
                blob = None  # verified, but unusable here (another CPU): rebuilt below
            else:
                _keep_spare(blob, checked)
        if blob is None:
            assert _hs is not None
            blob = bytes(_hs.dumpb(_compile_db(patterns, modes, starts, idents)))
            if not verified_cache.write_entry(directory, path, _DB_FORMAT, key, blob):
                _log.debug("hyperscan cache not written to %s", directory)
        _BLOBS[digest] = blob
        return blob


def _compile_db(
    patterns: Sequence[bytes],
    prefilter: Sequence[bool],
    som: Sequence[bool],
    ids: Sequence[int] | None = None,
) -> Any:
    assert _hs is not None
    db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
    approx = _hs.HS_FLAG_PREFILTER | _hs.HS_FLAG_DOTALL | _hs.HS_FLAG_ALLOWEMPTY
    flags = [
        approx if p else (_hs.HS_FLAG_SOM_LEFTMOST if s else 0)
        for p, s in zip(prefilter, som, strict=True)
    ]
    n = len(patterns)
    idents = list(ids) if ids is not None else list(range(n))
    db.compile(expressions=list(patterns), ids=idents, elements=n, flags=flags)
    return db


def cached_json(name: str, key: object, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept as JSON in the cache directory under ``name`` and a digest of ``key``.

    For facts derived from the patterns at some cost (parsing every pattern takes a process
    start a fifth of a second): they are the same for every process of a version.
    """
    full = hashlib.sha256(_JSON_FORMAT + name.encode() + b"\0" + repr(key).encode()).hexdigest()
    directory = _cache_dir()
    path = directory / f"{name}-{full[:32]}.json"
    body = verified_cache.read_entry(directory, path, _JSON_FORMAT, full)
    if body is not None:
        try:
            return json.loads(body)
        except ValueError:  # verified, yet not JSON (an older writer's bug): recomputed
            pass
    value = compute()
    if not verified_cache.write_entry(
        directory, path, _JSON_FORMAT, full, json.dumps(value).encode()
    ):
        _log.debug("%s cache not written to %s", name, directory)
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
