"""Stop 47: the command hook's margin — the verified code cache, the one workspace check a call.

``gonogo.code_cache`` keeps what a hook process compiles the same way on every call (the
dataclasses' and named tuples' generated methods, the lazily compiled patterns) in one entry
checked by ``enforcement_agent.verified_cache``. These cases show by effect that what it hands
back is what Python compiles, that an entry that does not verify (or a cache in a workspace) is
not used and changes nothing, that the hook decides and records the same with the cache cold,
warm and tampered, and that a hook process imports the hook, policy and redaction modules only
after its workspace check, which runs once per call.
"""

from __future__ import annotations

import collections
import dataclasses
import fnmatch
import inspect
import json
import os
import re
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent import audit, lazy_regex, verified_cache
from enforcement_agent.lazy_regex import LazyPattern
from gonogo import policy_cache
from gonogo.code_cache import _FORMAT, CodeCache, cached_code
from gonogo.config import DEFAULT_PLAN_DIR, REPO_ROOT
from tests.integrations.conftest import HookEnv, hook_input

_PATTERNS: tuple[tuple[Any, int], ...] = (
    (r"(?P<word>[a-z]+)-(\d{2,})\Z", 0),
    (rb"(?i)token\s*[=:]\s*\S+", 0),
    (r"x+", 2),
)


def _make() -> tuple[Any, ...]:
    """A frozen slotted dataclass, a plain one, a namedtuple, a NamedTuple, three patterns."""

    @dataclasses.dataclass(frozen=True, slots=True)
    class Frozen:
        a: int
        b: str = "x"
        c: tuple[int, ...] = ()

    @dataclasses.dataclass(order=True)
    class Plain:
        n: int
        items: list[str] = dataclasses.field(default_factory=list)

    Pair = collections.namedtuple("Pair", "left right")

    class Typed(NamedTuple):
        u: int
        v: str = ""

    patterns = []
    for text, flags in _PATTERNS:
        lazy = LazyPattern(text, flags)
        lazy.search  # noqa: B018 - compiles it (through the cache inside a block)
        patterns.append(lazy)
    return Frozen, Plain, Pair, Typed, patterns


def _codes(made: tuple[Any, ...]) -> list[Any]:
    frozen, plain, pair, typed, _ = made
    return [
        *(getattr(frozen, m).__code__ for m in ("__init__", "__repr__", "__eq__", "__hash__")),
        *(getattr(frozen, m).__code__ for m in ("__setattr__", "__delattr__")),
        *(getattr(plain, m).__code__ for m in ("__init__", "__repr__", "__eq__", "__lt__")),
        pair.__new__.__code__,
        typed.__new__.__code__,
        *(ref.__forward_code__ for ref in typed.__annotations__.values()),  # typing.ForwardRef
    ]


def _same_as_python(made: tuple[Any, ...]) -> None:
    fresh = _make()  # outside any block: the builtins and re.compile
    assert _codes(made) == _codes(fresh)
    for lazy, (text, flags) in zip(made[4], _PATTERNS, strict=True):
        real = re.compile(text, flags)
        compiled = lazy.search.__self__
        assert compiled == real  # pattern, flags and SRE code
        assert (compiled.groups, compiled.groupindex) == (real.groups, real.groupindex)
    frozen = made[0](1, "y")
    assert repr(frozen) == "_make.<locals>.Frozen(a=1, b='y', c=())" and hash(frozen)
    with pytest.raises(dataclasses.FrozenInstanceError):
        frozen.a = 2
    assert made[2](1, 2).right == 2 and made[3](5).v == ""
    assert made[4][0].match("ab-123")["word"] == "ab"


def _shadows_gone() -> bool:
    return (
        "exec" not in vars(dataclasses)
        and "eval" not in vars(collections)
        and "compile" not in vars(typing)
        and lazy_regex.compile_pattern is re.compile
    )


def test_the_modules_it_stands_in_for_have_no_future_flags() -> None:
    """A text is compiled without inherited ``__future__`` flags, as in these modules."""
    for module in (dataclasses, collections, typing):
        assert "from __future__" not in inspect.getsource(module)


def test_the_cache_gives_back_what_python_compiles(tmp_path: Path) -> None:
    cache_dir = tmp_path / "code"
    with cached_code(cache_dir) as cold:
        made_cold = _make()
    assert cold is not None and cold.loaded == 0 and cold.added >= 15 and _shadows_gone()
    with cached_code(cache_dir) as warm:
        made_warm = _make()
    assert warm is not None and warm.loaded == cold.added and warm.hits >= 15 and warm.added == 0
    _same_as_python(made_cold)
    _same_as_python(made_warm)
    assert _shadows_gone()


def test_exec_and_eval_default_to_the_callers_scope(tmp_path: Path) -> None:
    """As the builtins do: with no globals, the caller's globals and locals (one helper reads
    them for both, two frames up)."""
    cache = CodeCache(tmp_path / "code")
    here = 41  # noqa: F841 (read by the text eval runs in this frame)
    assert cache.eval("here + 1") == 42
    scope: dict[str, object] = {}
    cache.exec("made = Path.__name__", None, scope)  # (the caller's globals, these locals)
    assert scope == {"made": "Path"}
    assert cache.eval("x", {"x": 7}) == 7
    assert cache.eval(compile("here", "<string>", "eval")) == 41  # code as given


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))


def _entry(cache_dir: Path) -> Path:
    (entry,) = cache_dir.glob("code-*")
    return entry


def _rewrite_body(cache_dir: Path, body: bytes) -> None:
    """A new entry under the directory's own secret (a forger who holds it)."""
    cache = CodeCache(cache_dir)
    assert verified_cache.write_entry(cache_dir, cache.path, _FORMAT, cache.key, body)


def _link_entry(cache_dir: Path) -> None:
    entry = _entry(cache_dir)
    entry.rename(cache_dir / "elsewhere")
    entry.symlink_to(cache_dir / "elsewhere")


_TAMPER: dict[str, Callable[[Path], object]] = {
    "a flipped byte": lambda d: _flip(_entry(d)),
    "cut short": lambda d: _entry(d).write_bytes(_entry(d).read_bytes()[:-40]),
    "another secret": lambda d: (d / verified_cache.SECRET_NAME).write_bytes(os.urandom(32)),
    "the secret gone": lambda d: (d / verified_cache.SECRET_NAME).unlink(),
    "an entry others may write": lambda d: _entry(d).chmod(0o666),
    "a directory others may write": lambda d: d.chmod(0o777),
    "a link to the entry": _link_entry,
    "not marshal data": lambda d: _rewrite_body(d, b"\xff\x00not marshal"),
    "a text's code that is not code": lambda d: _rewrite_body(
        d, __import__("marshal").dumps(({"exec\0def f(): pass": 5}, {}))
    ),
    "a pattern's arguments that are not plain": lambda d: _rewrite_body(
        d, __import__("marshal").dumps(({}, {("x+", 2): (34, [1.5], 0, {}, (None,))}))
    ),
    "the wrong shape": lambda d: _rewrite_body(d, __import__("marshal").dumps([1, 2, 3])),
}


@pytest.mark.parametrize("kind", list(_TAMPER))
def test_an_entry_that_does_not_verify_is_not_used(tmp_path: Path, kind: str) -> None:
    cache_dir = tmp_path / "code"
    with cached_code(cache_dir):
        _make()
    _TAMPER[kind](cache_dir)
    with cached_code(cache_dir) as cache:
        made = _make()
    assert cache is not None and cache.loaded == 0 and cache.hits == 0
    _same_as_python(made)  # compiled here, as without a cache
    assert _shadows_gone()


def test_a_forged_pattern_entry_fails_closed(tmp_path: Path) -> None:
    """Even under the right secret, SRE code that is not valid is refused by ``_sre`` (the
    pattern does not compile: a hook call that meets it is denied, as on any exception)."""
    cache_dir = tmp_path / "code"
    marshal = __import__("marshal")
    _rewrite_body(cache_dir, marshal.dumps(({}, {("x+", 2): (34, [1, 2, 3], 0, {}, (None,))})))
    with cached_code(cache_dir) as cache, pytest.raises(RuntimeError, match="invalid SRE code"):
        assert cache is not None and cache.loaded == 1
        LazyPattern("x+", 2).search("xx")
    assert _shadows_gone()


def test_a_cache_in_a_workspace_is_never_used(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "link").parent.mkdir(parents=True)
    (tmp_path / "elsewhere").symlink_to(ws)
    for cache_dir in (ws / "cache" / "code", ws, tmp_path / "elsewhere" / "code"):
        with cached_code(cache_dir, (ws,)) as cache:
            made = _make()
        assert cache is None and not (ws / "cache").exists()
        _same_as_python(made)
    assert not any(ws.iterdir())


# ---- the hook process ----------------------------------------------------------------------
_VARY = {"decision_id", "eval_us", "hash", "prev_hash", "seq", "timestamp"}


def _steady(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _VARY}


def _answer(out: dict[str, Any]) -> dict[str, Any]:
    reason = re.sub(r"decision [0-9a-f]{32}", "decision X", out["permissionDecisionReason"])
    return {**out, "permissionDecisionReason": reason}


_PROBE = """
import io, json, os, sys
sys.argv = ['gonogo', 'hook', 'claude-code', '--tenant', 'acme', '--role', 'contributor',
            '--workspace', WS]
sys.stdin = io.TextIOWrapper(io.BytesIO(PAYLOAD))
import gonogo.wiring, enforcement_agent.audit as audit, gonogo.code_cache as code_cache
seen = {}
check = gonogo.wiring.check_workspace
def check_workspace(*a, **k):
    seen.setdefault('at_check', sorted(sys.modules))
    return check(*a, **k)
gonogo.wiring.check_workspace = check_workspace
conflict = audit._state_dir_conflict
def counted(*a, **k):
    seen['checks'] = seen.get('checks', 0) + 1
    return conflict(*a, **k)
audit._state_dir_conflict = counted
save = code_cache.CodeCache.save
def saved(self):
    seen['cache'] = [self.loaded, self.hits, self.added]
    return save(self)
code_cache.CodeCache.save = saved
class Exited(Exception): pass
def exit_(code): raise Exited(code)
os._exit = exit_
out = io.StringIO(); real = sys.stdout; sys.stdout = out
from gonogo.cli import main
try:
    main()
except Exited:
    pass
sys.stdout = real
seen['answer'] = json.loads(out.getvalue())['hookSpecificOutput']
seen['after'] = sorted(sys.modules)
print(json.dumps(seen))
"""
# What the hook imports only once its workspace check has passed: their dataclasses' methods
# come from the code cache, which may be read only then (and a refused call needs none).
_AFTER_CHECK = {
    "enforcement_agent.integrations.claude_hook",
    "enforcement_agent.agent",
    "enforcement_agent.models",
    "enforcement_agent.policy",
    "enforcement_agent.policy.engine",
    "enforcement_agent.policy.exec_eval",
    "enforcement_agent.redaction",
    "enforcement_agent.redaction.detectors",
    "gonogo.policy_cache",
}


def _probe(hook_env: HookEnv, workspace: Path, command: str, **env: str) -> dict[str, Any]:
    payload = hook_input("Bash", {"command": command}, workspace)
    code = f"WS = {str(workspace)!r}\nPAYLOAD = {payload!r}\n" + _PROBE
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO_ROOT, env=hook_env.env(**env), timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


def test_the_hook_decides_and_records_the_same_cold_warm_and_tampered(hook_env: HookEnv) -> None:
    """Five hook processes in one home: the code cache cold, warm, and with its entry's body
    edited. Each answers and records the same; each imports the hook, policy and redaction
    modules only after its one workspace check; an ordinary warm call compiles nothing."""
    cache_dir = hook_env.home / "cache" / "code"
    allow, deny = "git status --short && ls src", "rm -rf /opt"
    docs, records = [], []
    for state, command in (("cold", allow), ("warm", allow), ("warm", deny), ("warm", allow),
                           ("tampered", allow)):  # fmt: skip
        if state == "tampered":
            _flip(_entry(cache_dir))
        docs.append(_probe(hook_env, hook_env.workspace, command))
        records.append(_steady(hook_env.records()[-1]))
    answers = [_answer(d["answer"]) for d in docs]
    assert answers[0] == answers[1] == answers[3] == answers[4] and records[0] == records[1]
    assert records[0] == records[3] == records[4]
    assert (
        answers[0]["permissionDecision"] == "allow" and answers[2]["permissionDecision"] == "deny"
    )
    assert records[2]["result"] == "deny" and records[2]["target"] == deny
    for doc in docs:
        assert not _AFTER_CHECK & set(doc["at_check"])  # none before the check
        assert _AFTER_CHECK <= set(doc["after"])
        assert doc["checks"] == 1  # building, taking and recording the call: one check
    assert docs[0]["cache"][0] == 0 and docs[0]["cache"][2] >= 150  # cold: compiled, written
    loaded, hits, added = docs[3]["cache"]
    assert added == 0 and hits >= loaded >= 150  # an ordinary call compiles none
    assert docs[4]["cache"][0] == 0 and docs[4]["cache"][2] >= 150  # the edited entry: unused,
    assert CodeCache(cache_dir).load()  # and written again whole


def test_a_refused_workspace_loads_no_part_and_no_cache(hook_env: HookEnv, tmp_path: Path) -> None:
    home = hook_env.workspace / ".gonogo"  # a state directory inside the workspace
    doc = _probe(hook_env, hook_env.workspace, "ls", GONOGO_HOME=str(home))
    assert doc["answer"]["permissionDecision"] == "deny"
    assert "hook.operator-config" in doc["answer"]["permissionDecisionReason"]
    assert not _AFTER_CHECK & set(doc["after"]) and "cache" not in doc
    assert not (home / "cache" / "code").exists()


def test_a_conflict_is_never_remembered(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    state = ws / ".gonogo"
    state.mkdir(parents=True)
    clear = tmp_path / "state"
    clear.mkdir()
    with audit.clear_checks_for_one_call():
        for _ in range(2):
            assert audit.state_dir_conflict((state,), ws) is not None
        assert audit.state_dir_conflict((clear,), ws) is None
        state.rename(tmp_path / "moved")  # the same arguments, checked again: still clear
        assert audit.state_dir_conflict((clear,), ws) is None
        clear.rename(ws / "state")
        (tmp_path / "state").symlink_to(ws / "state")  # now inside, by the same name
        # remembered within the block (one call's repeats) ...
        assert audit.state_dir_conflict((tmp_path / "state",), ws) is None
    # ... and never outside it: every check runs
    assert audit.state_dir_conflict((tmp_path / "state",), ws) is not None
    assert audit._clear_checks is None


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="ayml.Y-_ ", min_size=1, max_size=9))
def test_the_policy_files_are_listed_as_path_glob_lists_them(name: str) -> None:
    assert policy_cache._yaml_name(name) == fnmatch.fnmatchcase(name, "*.y*ml")


def test_the_listings_are_the_globs(tmp_path: Path) -> None:
    import enforcement_agent.policy as policy_pkg

    code = Path(policy_pkg.__file__).parent
    for directory, keep, pattern in (
        (DEFAULT_PLAN_DIR / "policies", policy_cache._yaml_name, "*.y*ml"),
        (code, lambda n: n.endswith(".py"), "*.py"),
        (tmp_path / "missing", policy_cache._yaml_name, "*.y*ml"),
    ):
        assert policy_cache._names_in(directory, keep) == sorted(directory.glob(pattern))
