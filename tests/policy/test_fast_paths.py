"""The workspace's short-cut resolutions agree with ``os.path.realpath`` on a real tree.

``Workspace.resolve`` avoids a full ``realpath`` for paths that start inside the root: it
walks the components below the (already real) root with ``lstat``, ``..`` included. These
properties compare that walk with the kernel-equivalent ``os.path.realpath`` over random
paths through directories, files, missing names, ``.``/``..`` and symlinks that stay inside,
escape, or loop.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.policy import Policy
from enforcement_agent.policy.paths import Workspace

COMPONENTS = [
    "src",
    "docs",
    "deep",
    "file.txt",
    "missing",
    ".",
    "..",
    "",
    "in-link",
    "out-link",
    "up-link",
    "loop",
    "dangling",
    "src-link",
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fastpaths")
    ws = base / "ws"
    outside = base / "outside"
    for d in ("src/deep", "docs/deep", "deep/src"):
        (ws / d).mkdir(parents=True)
    outside.mkdir()
    (ws / "file.txt").write_text("x")
    (ws / "src" / "file.txt").write_text("x")
    for d in (ws, ws / "src", ws / "docs", ws / "deep"):
        os.symlink(ws / "docs", d / "in-link")
        os.symlink(outside, d / "out-link")
        os.symlink("..", d / "up-link")
        os.symlink("loop", d / "loop")
        os.symlink("nowhere", d / "dangling")
        os.symlink("src", d / "src-link")
    return ws


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=7),
    st.sampled_from(["", "src", "docs/deep", "deep/src"]),
)
def test_walk_with_parents_equals_realpath(tree: Path, parts: list[str], cwd: str) -> None:
    ws = Workspace(tree)
    base = ws.root + ("/" + cwd if cwd else "")
    path = base + "/" + "/".join(parts)
    assert ws._real_with_parents(path) == os.path.realpath(path)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    # No empty components: realpath keeps a `//` after a symlink loop verbatim (and then
    # returns `/rest`), which normalising first avoids; the walk test above covers them.
    st.lists(st.sampled_from([c for c in COMPONENTS if c]), min_size=1, max_size=7),
    st.sampled_from(["", "src", "docs/deep"]),
)
def test_resolve_matches_realpath_definition(tree: Path, parts: list[str], cwd: str) -> None:
    """Inside means: lexical and real forms (realpath) are both the root or below it."""
    ws = Workspace(tree)
    base = ws.root + ("/" + cwd if cwd else "")
    raw = "/".join(parts)
    res = ws.resolve(raw, base)
    path = f"{base}/{raw}" if raw else base
    lexical = os.path.normpath(path)
    real = os.path.realpath(path)

    def within(p: str) -> bool:
        return p == ws.root or p.startswith(ws.root + "/")

    assert res.lexical == lexical
    assert res.inside == (within(lexical) and within(real))
    if res.inside:
        assert res.real == real
        assert set(res.rels) == {p[len(ws.root) + 1 :] for p in (lexical, real)}


def test_escaping_parent_walk_falls_back(tree: Path) -> None:
    ws = Workspace(tree)
    escaped = ws.root + "/src/../../outside"
    assert ws._real_with_parents(escaped) == os.path.realpath(escaped)
    assert not ws.resolve("../outside", ws.root).inside
    assert not ws.resolve("src/up-link/../..", ws.root).inside
    assert ws.resolve("docs/../src", ws.root).rels == ("src",)


# ---- filename expansion against bash ---------------------------------------------------------
_GLOB_PARTS = ["*", "?", "[a-f]*", "[!s]*", "[^s]*", ".*", "s*", "*.txt", "*link", "deep", "src",
               ".e*", "[[:alpha:]]*", "x\\*", "*/", "[.]e*"]  # fmt: skip


@pytest.fixture(scope="module")
def glob_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("globs")
    ws = base / "ws"
    (base / "outside" / "sub").mkdir(parents=True)
    (base / "outside" / "secret").write_text("x")
    for d in ("src/deep", "docs", ".hidden/deep", "deep"):
        (ws / d).mkdir(parents=True)
    for f in ("file.txt", ".env", "src/a.txt", "src/.b", ".hidden/deep/c.txt", "docs/x*", "ab"):
        (ws / f).write_text("x")
    os.symlink(ws / "docs", ws / "docs-link")
    os.symlink(base / "outside", ws / "out-link")
    return ws


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(st.sampled_from(_GLOB_PARTS), min_size=1, max_size=3))
def test_glob_expansion_covers_what_bash_expands(glob_tree: Path, parts: list[str]) -> None:
    """Every path bash expands a pattern to is in ``expand_glob``'s answer (which may hold a
    few more: brackets may match a leading dot), so what the policy checks covers what runs."""
    import subprocess

    from enforcement_agent.policy.paths import expand_glob

    pattern = "/".join(p.rstrip("/") for p in parts)
    out = subprocess.run(
        ["bash", "-c", f"shopt -u dotglob nullglob failglob; printf '%s\\0' {pattern}"],
        cwd=glob_tree,
        capture_output=True,
        check=False,
    )
    produced = [p for p in out.stdout.decode().split("\0") if p]
    expanded = expand_glob(pattern, str(glob_tree))
    ours = [str(glob_tree / pattern)] if expanded is None else expanded
    ours_rel = {os.path.relpath(p, glob_tree) for p in ours}
    if produced == [pattern.replace("\\", "")] and not os.path.lexists(glob_tree / produced[0]):
        return  # bash kept the pattern: nothing matched
    for p in produced:
        assert os.path.normpath(p) in ours_rel, (pattern, produced, sorted(ours_rel))


def test_a_pickled_policy_keeps_its_spec_cache_consistent(default_policy: Policy) -> None:
    """The compiled-policy cache pickles the policy with its memo tables; a parse kept under
    a spec must come back under the same (unpickled) spec, never under a stale id()."""
    import pickle

    from enforcement_agent.models import ToolRequest

    for command in ("pytest -q", "make -j4 test", "git log -5", "python3 -m pytest"):
        req = ToolRequest(
            tenant="acme", actor="a", role="contributor", tool="exec", command=command
        )
        default_policy.decide(req, None)
    clone = pickle.loads(pickle.dumps(default_policy))
    cfg = clone.compiled.exec
    assert cfg.spec_cache
    specs: set[int] = set()
    stack = list(cfg.programs.values()) + list(cfg.read_only_programs.values())
    while stack:
        spec = stack.pop()
        if id(spec) in specs:
            continue
        specs.add(id(spec))
        stack += list(spec.subcommands.values()) + list(spec.modules.values())
    for spec, _args in cfg.spec_cache:
        assert id(spec) in specs, spec.name
    for command, rule in (
        ("pytest -q", "exec.allow.python"),
        ("make -j4 test", "exec.allow.build"),
    ):
        req = ToolRequest(
            tenant="acme", actor="a", role="contributor", tool="exec", command=command
        )
        assert clone.decide(req, None).rule == default_policy.decide(req, None).rule == rule


def test_frozen_policy_objects_unpickle_field_for_field(default_policy: Policy) -> None:
    """Every option and argument of every program spec comes back from the compiled-policy
    cache with the same values (the fast ``__setstate__`` assigns fields in field order)."""
    import pickle
    from dataclasses import astuple, fields

    from enforcement_agent.policy.argspec import Arg, Opt

    def objects(policy: Policy) -> list[tuple[str, object]]:
        cfg = policy.compiled.exec
        out: list[tuple[str, object]] = []
        stack = [(n, s) for n, s in sorted(cfg.programs.items())]
        seen: set[int] = set()
        while stack:
            name, spec = stack.pop()
            if id(spec) in seen:
                continue
            seen.add(id(spec))
            out += [(f"{name}:{k}", o) for k, o in sorted(spec.exact.items())]
            out += [(f"{name}:arg{i}", a) for i, a in enumerate(spec.args)]
            stack += [(f"{name} {k}", s) for k, s in sorted(spec.subcommands.items())]
        return out

    before = objects(default_policy)
    after = objects(pickle.loads(pickle.dumps(default_policy)))
    assert len(before) == len(after) > 1000
    kinds = {type(o) for _, o in before}
    assert {Opt, Arg} <= kinds
    for (name_a, a), (name_b, b) in zip(before, after, strict=True):
        assert name_a == name_b and type(a) is type(b)
        assert [f.name for f in fields(a)] == [f.name for f in fields(b)]  # type: ignore[arg-type]
        assert astuple(a) == astuple(b), name_a  # type: ignore[call-overload]
