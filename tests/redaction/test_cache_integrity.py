"""The redactor's on-disk caches cannot make it miss a secret.

The hyperscan databases (``hyperscan-<digest>.db``) and the pattern facts (``redaction-plan``,
``redaction-shapes``) under ``GONOGO_CACHE_DIR`` decide what the redactor scans for. A planted
or damaged file (a database that matches nothing, a plan with its expressions removed) would
make it silently miss secrets, so an entry that does not verify (``verified_cache``: HMAC
under the cache's private secret, full key, private ownership, no symlinks) is ignored and
rebuilt from the patterns. Each attack is proven by effect: a planted secret is still masked,
and a control run (the same planted content with a MAC made with the cache's own secret, i.e.
what would happen if the file were trusted) shows the content would have hidden it.

Real hyperscan, real files. Compiling the literals database takes ~10 s here, so the good
cache is the test run's seed (``tests/redactor_cache.py``: built once per run by a cold start
in a process of its own, shared with the suites that need a warm cache), copied per test;
most variations tamper with the cheap "tables" database (the table-header expressions, about
1.3 s to compile, once per module), which alone finds the table's secret below. The seed's compile of each pattern set is a real one (the good cache's
databases); a test that makes the redactor compile the same arguments again is counted as a compile (``counts``) but is handed the real
database that first compile produced (``_compile_once``): compiling is a pure function of its
arguments, and other arguments (other patterns, flags or ids) are compiled for real. The same
holds for the pattern facts (``cached_json``'s ``redaction-plan`` and ``redaction-shapes``,
0.4-0.8 s of CPU each): a test that makes the redactor compute them again is counted as a
compute (``counts``) and handed a copy of the value the module's first compute returned for
that name and key (``_compute_once``).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from enforcement_agent import verified_cache
from enforcement_agent.redaction import Redactor, engine, hyperscan_db
from tests.redactor_cache import copy_seed

pytestmark = pytest.mark.skipif(
    not hyperscan_db.hyperscan_available(), reason="the caches hold hyperscan databases"
)

KEY = b"k" * 32
GITHUB = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"  # found through the literals database
DISCORD = "MTA4NzY1NDMyMTA5ODc2NTQz.GhJkLm.abcdefghijklmnopqrstuvwxyz12345"  # literals too
# Found through the "tables" database alone (the cell under a header naming a secret; fourteenth
# speed pass: the shape expressions, the Discord token's, are scanned in the literal database).
CELL = "Vq7Lm2Xz9Rt4Np8Kw3Hs6Jd"
TEXT = f"token {GITHUB}\ndiscord {DISCORD}\nid,password,team\n1,{CELL},core\n"
# Number of expressions of each database, as the good cache's build compiled them.
SIZES: dict[str, int] = {}


# Serialized databases by the exact arguments of ``hyperscan_db._compile_db`` (module-wide).
_COMPILED: dict[str, bytes] = {}


def _compile_key(patterns: Any, *args: Any) -> str:
    return repr([list(patterns), *[None if a is None else list(a) for a in args]])


def _compile_once(compile_db: Callable[..., Any], patterns: Any, *args: Any) -> Any:
    """``compile_db(patterns, *args)``, compiled for real once per module for these arguments;
    afterwards a database loaded from that compile's bytes (``dumpb`` of it gives the same)."""
    hs = hyperscan_db._hs
    assert hs is not None
    key = _compile_key(patterns, *args)
    blob = _COMPILED.get(key)
    if blob is None:
        blob = bytes(hs.dumpb(compile_db(patterns, *args)))
        _COMPILED[key] = blob
    return hs.loadb(blob, hs.HS_MODE_BLOCK)


# Pattern facts by (name, key) of ``cached_json`` (module-wide): their computed values.
_COMPUTED: dict[tuple[str, str], Any] = {}


def _compute_once(name: str, key: object, compute: Callable[[], Any]) -> Any:
    """``compute()``, computed for real once per module for this name and key; afterwards a
    copy of that value (computing the facts is a pure function of the key, which holds the
    patterns)."""
    k = (name, repr(key))
    if k not in _COMPUTED:
        _COMPUTED[k] = compute()
    return copy.deepcopy(_COMPUTED[k])


class Counts:
    def __init__(self) -> None:
        self.compiles: list[int] = []  # number of patterns of each database compiled
        self.computes: list[str] = []  # cached_json facts computed
        self.db_writes: list[Path] = []


@pytest.fixture()
def counts(monkeypatch: pytest.MonkeyPatch) -> Counts:
    c = Counts()
    compile_db = hyperscan_db._compile_db
    cached_json = engine.cached_json
    write_entry = verified_cache.write_entry

    def counting_compile(patterns: Any, *args: Any) -> Any:
        c.compiles.append(len(patterns))
        return _compile_once(compile_db, patterns, *args)

    def counting_json(name: str, key: object, compute: Callable[[], Any]) -> Any:
        def counted() -> Any:
            c.computes.append(name)
            return _compute_once(name, key, compute)

        return cached_json(name, key, counted)

    def recording_write(directory: Path, path: Path, magic: bytes, *a: Any) -> bool:
        written = write_entry(directory, path, magic, *a)
        if written and magic == hyperscan_db._DB_FORMAT:
            c.db_writes.append(Path(path))
        return written

    monkeypatch.setattr(hyperscan_db, "_compile_db", counting_compile)
    monkeypatch.setattr(engine, "cached_json", counting_json)
    monkeypatch.setattr(verified_cache, "write_entry", recording_write)
    monkeypatch.setattr(hyperscan_db, "_BLOBS", {})
    return c


def _new_process(monkeypatch: pytest.MonkeyPatch) -> Redactor:
    """A redactor as a new process builds it: nothing in memory, everything from the cache."""
    monkeypatch.setattr(hyperscan_db, "_BLOBS", {})
    r = Redactor(key=KEY)
    assert r.uses_hyperscan
    r.find(TEXT.encode())  # builds the lazy per-detector facts (redaction-shapes)
    return r


def _hides_all(r: Redactor) -> bool:
    out = r.redact_bytes(TEXT.encode())
    return not any(s.encode() in out for s in (GITHUB, DISCORD, CELL))


@pytest.fixture(scope="module")
def good_cache(
    tmp_path_factory: pytest.TempPathFactory, redactor_cache_seed: Path
) -> Iterator[tuple[Path, Path, Path]]:
    """A cache the redactor wrote: (directory, literals database, tables database). A copy of
    the run's seed (``tests/redactor_cache.py``: a cold start's real build, in a process of its
    own, made once per test run for every suite that needs a warm cache), read by a redactor
    here; each database it reads fills ``_COMPILED`` for the arguments it was compiled from, so
    the module compiles none of them again (it was a second full build, 10-20 s of CPU)."""
    mp = pytest.MonkeyPatch()
    d = copy_seed(redactor_cache_seed, tmp_path_factory.mktemp("good") / "cache")
    mp.setenv("GONOGO_CACHE_DIR", str(d))
    read: list[Path] = []  # the database entries read, in the engine's plan order
    sizes: list[int] = []  # and the number of patterns of each
    compiled: list[int] = []
    read_entry = verified_cache.read_entry

    def recording_read(directory: Path, path: Path, magic: bytes, *a: Any) -> bytes | None:
        body = read_entry(directory, path, magic, *a)
        if body is not None and magic == hyperscan_db._DB_FORMAT:
            read.append(Path(path))
        return body

    blob_of = engine.compiled_blob

    def recording_blob(patterns: Any, *, prefilter: Any, som: Any = None, ids: Any = None) -> bytes:
        blob = blob_of(patterns, prefilter=prefilter, som=som, ids=ids)
        # (the arguments as ``compiled_blob`` hands them to ``_compile_db``)
        n = len(patterns)
        modes = [prefilter] * n if isinstance(prefilter, bool) else list(prefilter)
        starts = list(som) if som is not None else [False] * n
        idents = list(ids) if ids is not None else list(range(n))
        _COMPILED.setdefault(_compile_key(patterns, modes, starts, idents), bytes(blob))
        sizes.append(n)
        return blob

    compile_db = hyperscan_db._compile_db

    def recording_compile(patterns: Any, *args: Any) -> Any:
        compiled.append(len(patterns))
        return compile_db(patterns, *args)

    cached_json = engine.cached_json

    def recording_json(name: str, key: object, compute: Callable[[], Any]) -> Any:
        return cached_json(name, key, lambda: _compute_once(name, key, compute))

    mp.setattr(verified_cache, "read_entry", recording_read)
    mp.setattr(engine, "compiled_blob", recording_blob)
    mp.setattr(hyperscan_db, "_compile_db", recording_compile)
    mp.setattr(engine, "cached_json", recording_json)
    mp.setattr(hyperscan_db, "_BLOBS", {})
    r = Redactor(key=KEY)
    r.find(TEXT.encode())
    assert _hides_all(r)
    mp.undo()
    assert compiled == [], "the seed holds every database of the plan"
    for f in d.glob("hyperscan-*.db"):
        if f not in read:
            f.unlink()  # (the seed's dump gate: this redactor, holding no known secret, has none)
    tables, literals, *_rest = read  # the engine's plan order (then nul, the gates)
    SIZES.update(zip([name for name, _, _ in r.engine._plan], sizes, strict=True))
    yield d, literals, tables


@pytest.fixture()
def cache(
    good_cache: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path, Path]:
    src, literals, tables = good_cache
    d = tmp_path / "cache"
    shutil.copytree(src, d)  # modes kept: the secret stays 0600, the directory 0700
    monkeypatch.setenv("GONOGO_CACHE_DIR", str(d))
    return d, d / literals.name, d / tables.name


def _key_of(path: Path, magic: bytes) -> str:
    return path.read_bytes()[len(magic) : len(magic) + 64].decode()


def _body_of(path: Path, magic: bytes) -> bytes:
    return path.read_bytes()[len(magic) + 64 + verified_cache.MAC_LEN :]


def _forge(d: Path, path: Path, magic: bytes, body: bytes, secret: bytes | None = None) -> None:
    """``body`` under ``path``'s key with a MAC by ``secret`` (default: the cache's own)."""
    key = _key_of(path, magic)
    secret = secret if secret is not None else (d / verified_cache.SECRET_NAME).read_bytes()
    path.write_bytes(magic + key.encode() + verified_cache.mac(secret, key, body) + body)


def _harmless_db() -> bytes:
    blob = hyperscan_db.compile_literals([(b"nothing-to-see-here", False)])
    assert blob is not None
    return blob


def _plan_file(d: Path) -> Path:
    (path,) = d.glob("redaction-plan-*.json")
    return path


def _plan_without_expressions(path: Path) -> bytes:
    plan = json.loads(_body_of(path, hyperscan_db._JSON_FORMAT))
    gates = [engine._gate_name(k) for k in range(len(engine._GATES))]
    assert [name for name, _ in plan] == ["tables", "literals", "shapes", "nul", *gates]
    return json.dumps([[name, []] for name, _ in plan]).encode()


# ---- a good cache is reused ------------------------------------------------------------


def test_a_good_cache_is_reused_without_compiling(
    cache: tuple[Path, Path, Path], counts: Counts, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = _new_process(monkeypatch)
    assert _hides_all(r)
    assert counts.compiles == [] and counts.computes == [] and counts.db_writes == []
    again = _new_process(monkeypatch)
    assert _hides_all(again)
    assert counts.compiles == [] and counts.computes == []


def test_an_empty_cache_is_built_once_then_reused(
    good_cache: tuple[Path, Path, Path],
    tmp_path: Path,
    counts: Counts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """(Cold: asks for both databases to be compiled; the module's good cache compiled the same
    arguments for real, so ``_compile_once`` hands back that compile's databases.)"""
    d = tmp_path / "fresh"
    monkeypatch.setenv("GONOGO_CACHE_DIR", str(d))
    assert _hides_all(_new_process(monkeypatch))
    assert sorted(counts.compiles) == sorted(SIZES.values())
    assert sorted(counts.computes) == ["redaction-plan", "redaction-shapes"]
    assert oct((d / verified_cache.SECRET_NAME).stat().st_mode & 0o777) == "0o600"
    assert oct(d.stat().st_mode & 0o777) == "0o700"
    for f in d.iterdir():
        assert not f.stat().st_mode & 0o077, f
    counts.compiles.clear()
    counts.computes.clear()
    assert _hides_all(_new_process(monkeypatch))
    assert counts.compiles == [] and counts.computes == []


# ---- planted content: proven by effect, with a control -----------------------------------


def test_control_a_trusted_harmless_database_would_hide_the_secrets(
    cache: tuple[Path, Path, Path], counts: Counts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the attacks below would achieve if the file were used (MAC by the real secret)."""
    d, literals, tables = cache
    _forge(d, literals, hyperscan_db._DB_FORMAT, _harmless_db())
    _forge(d, tables, hyperscan_db._DB_FORMAT, _harmless_db())
    out = _new_process(monkeypatch).redact_bytes(TEXT.encode())
    assert all(s.encode() in out for s in (GITHUB, DISCORD, CELL))
    assert counts.compiles == []


@pytest.mark.parametrize("form", ["unkeyed-mac", "old-format", "other-secret"])
def test_a_planted_harmless_literals_database_is_not_used(
    cache: tuple[Path, Path, Path],
    counts: Counts,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
) -> None:
    """A database compiled from a harmless pattern under the real digest's name (the literals
    database is compiled again: counted, served by ``_compile_once``)."""
    d, literals, _ = cache
    harmless = _harmless_db()
    if form == "unkeyed-mac":  # the right format and key, a MAC the planter had to guess
        key = _key_of(literals, hyperscan_db._DB_FORMAT)
        literals.write_bytes(hyperscan_db._DB_FORMAT + key.encode() + b"\0" * 32 + harmless)
    elif form == "old-format":  # how the file looked before it carried a MAC: a bare blob
        literals.write_bytes(harmless)
    else:  # a valid entry of another cache (another secret), copied in
        _forge(d, literals, hyperscan_db._DB_FORMAT, harmless, secret=os.urandom(32))
    planted = literals.read_bytes()
    r = _new_process(monkeypatch)
    assert _hides_all(r)
    assert counts.compiles == [
        SIZES["literals"]
    ]  # the planted file was refused, the database rebuilt
    assert literals.read_bytes() != planted  # and replaced by a verified one
    counts.compiles.clear()
    assert _hides_all(_new_process(monkeypatch)) and counts.compiles == []


def test_control_a_trusted_plan_without_expressions_would_hide_the_secrets(
    cache: tuple[Path, Path, Path], counts: Counts, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, _, _ = cache
    plan = _plan_file(d)
    _forge(d, plan, hyperscan_db._JSON_FORMAT, _plan_without_expressions(plan))
    out = _new_process(monkeypatch).redact_bytes(TEXT.encode())
    assert all(s.encode() in out for s in (GITHUB, DISCORD, CELL))
    assert "redaction-plan" not in counts.computes


@pytest.mark.parametrize("form", ["unkeyed-mac", "old-format", "other-secret", "kept-mac"])
def test_a_tampered_plan_with_expressions_removed_is_not_used(
    cache: tuple[Path, Path, Path],
    counts: Counts,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
) -> None:
    d, _, _ = cache
    plan = _plan_file(d)
    empty = _plan_without_expressions(plan)
    fmt = hyperscan_db._JSON_FORMAT
    key = _key_of(plan, fmt)
    if form == "unkeyed-mac":
        plan.write_bytes(fmt + key.encode() + b"\0" * 32 + empty)
    elif form == "old-format":
        plan.write_bytes(empty)
    elif form == "other-secret":
        _forge(d, plan, fmt, empty, secret=os.urandom(32))
    else:  # the body edited, the MAC left as it was
        good = plan.read_bytes()
        plan.write_bytes(good[: len(fmt) + 64 + 32] + empty)
    assert _hides_all(_new_process(monkeypatch))
    assert counts.computes == ["redaction-plan"]  # refused and recomputed
    assert counts.compiles == []  # same expressions: the verified databases are reused
    assert json.loads(_body_of(plan, fmt)) != json.loads(empty)


# ---- damaged or foreign entries: each rebuilt -------------------------------------------

ATTACKS = [
    "flipped-byte", "truncated", "old-format", "other-key", "symlink", "foreign-writable",
    "secret-readable-by-others", "no-secret", "secret-symlink", "dir-writable-by-others",
    "garbage",
]  # fmt: skip


def _attack(attack: str, d: Path, entry: Path, magic: bytes, tmp_path: Path) -> None:
    good = entry.read_bytes()
    head = len(magic) + 64 + 32
    secret = d / verified_cache.SECRET_NAME
    if attack == "flipped-byte":
        i = head + (len(good) - head) // 2
        entry.write_bytes(good[:i] + bytes([good[i] ^ 1]) + good[i + 1 :])
    elif attack == "truncated":
        entry.write_bytes(good[: head + (len(good) - head) // 2])
    elif attack == "old-format":
        entry.write_bytes(good[head:])
    elif attack == "other-key":  # a valid entry of another key, renamed to this key's name
        other = "0" * 64
        body = good[head:]
        s = secret.read_bytes()
        entry.write_bytes(magic + other.encode() + verified_cache.mac(s, other, body) + body)
    elif attack == "symlink":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.write_bytes(good)
        entry.unlink()
        entry.symlink_to(elsewhere)
    elif attack == "foreign-writable":
        entry.chmod(0o666)
    elif attack == "secret-readable-by-others":
        secret.chmod(0o644)
    elif attack == "no-secret":
        secret.unlink()
    elif attack == "secret-symlink":
        planted = tmp_path / "planted-secret"
        planted.write_bytes(secret.read_bytes())
        planted.chmod(0o600)
        secret.unlink()
        secret.symlink_to(planted)
    elif attack == "dir-writable-by-others":
        d.chmod(0o777)
    else:
        entry.write_bytes(magic + b"garbage")


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_tables_database_that_does_not_verify_is_rebuilt(
    cache: tuple[Path, Path, Path],
    counts: Counts,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    attack: str,
) -> None:
    """The tables database alone finds the table's secret: refusing it is visible."""
    d, _, tables = cache
    # What an attacker would plant: a harmless database (trusted, it hides the token).
    _forge(d, tables, hyperscan_db._DB_FORMAT, _harmless_db())
    _attack(attack, d, tables, hyperscan_db._DB_FORMAT, tmp_path)
    r = _new_process(monkeypatch)
    assert _hides_all(r)
    assert SIZES["tables"] in counts.compiles  # rebuilt from the patterns
    bad_store = attack in ("secret-readable-by-others", "secret-symlink", "dir-writable-by-others")
    if attack == "no-secret":
        # A new secret is made: every entry of the old one is refused and rewritten.
        assert sorted(counts.compiles) == sorted(SIZES.values())
        assert sorted(counts.db_writes) == sorted(tables.parent.glob("hyperscan-*.db"))
    elif bad_store:
        # The cache cannot be trusted as a whole: nothing is read from it (the literals
        # database is compiled too) and nothing is written to it, until an operator fixes it.
        assert SIZES["literals"] in counts.compiles
        assert counts.db_writes == []
    else:
        assert counts.compiles == [SIZES["tables"]]
        assert counts.db_writes == [tables]
        assert not tables.is_symlink()
        counts.compiles.clear()
        assert _hides_all(_new_process(monkeypatch)) and counts.compiles == []


@pytest.mark.parametrize("attack", ATTACKS)
def test_cached_json_that_does_not_verify_is_recomputed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, attack: str
) -> None:
    d = tmp_path / "cache"
    monkeypatch.setenv("GONOGO_CACHE_DIR", str(d))
    calls: list[int] = []

    def compute() -> list[str]:
        calls.append(1)
        return ["the", "real", "facts"]

    assert hyperscan_db.cached_json("redaction-plan", ("k", 1), compute) == ["the", "real", "facts"]
    assert hyperscan_db.cached_json("redaction-plan", ("k", 1), compute) == ["the", "real", "facts"]
    assert len(calls) == 1  # the second call read the verified entry
    (entry,) = d.glob("redaction-plan-*.json")
    _forge(d, entry, hyperscan_db._JSON_FORMAT, b'["planted"]')
    assert hyperscan_db.cached_json("redaction-plan", ("k", 1), compute) == ["planted"]  # control
    _attack(attack, d, entry, hyperscan_db._JSON_FORMAT, tmp_path)
    assert hyperscan_db.cached_json("redaction-plan", ("k", 1), compute) == ["the", "real", "facts"]
    assert len(calls) == 2
    # Another name with the same key is another entry (the name is part of the key).
    assert hyperscan_db.cached_json("redaction-shapes", ("k", 1), lambda: 7) == 7


def test_an_unwritable_cache_directory_never_raises(
    tmp_path: Path, counts: Counts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache that cannot be written (a file where the directory should be) only costs
    compiles; the redactor works."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("GONOGO_CACHE_DIR", str(blocker / "cache"))
    assert hyperscan_db.cached_json("redaction-plan", "k", lambda: [1]) == [1]
    blob = hyperscan_db.compiled_blob([b"abc"], prefilter=False)
    assert hyperscan_db.load_database(blob) is not None
    assert counts.compiles == [1]


def test_old_entries_of_a_kind_are_pruned_when_a_new_one_is_written(tmp_path: Path) -> None:
    """Each version (and each change of the patterns) writes entries under new digests: past
    `KEEP_PER_KIND` of a kind the oldest go, the newest stay and still verify, other kinds
    and the secret are left alone (stop 46: 1,633 entries, 1 GB, in one developer's cache)."""
    d = tmp_path / "cache"
    keep = verified_cache.KEEP_PER_KIND

    def write(name: str, n: int) -> Path:
        path = d / f"{name}-{n:032x}.db"
        assert verified_cache.write_entry(d, path, b"M1", f"k{n}", b"body")
        os.utime(path, ns=(n * 10**9, n * 10**9))  # written a second apart, oldest first
        return path

    others = [write("redaction-plan", n) for n in range(3)]
    paths = [write("hyperscan", n) for n in range(keep + 9)]
    newest = write("hyperscan", 10**6)  # the write that prunes
    left = sorted(p.name for p in d.glob("hyperscan-*"))
    assert len(left) == keep
    assert newest.name in left and paths[-1].name in left
    assert all(p.name not in left for p in paths[:10])  # the oldest ten
    assert all(p.exists() for p in others)
    assert (d / verified_cache.SECRET_NAME).exists()
    assert verified_cache.read_entry(d, newest, b"M1", f"k{10**6}") == b"body"
