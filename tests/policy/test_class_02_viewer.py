"""Issue 10, class 2: the viewer is read-only by construction.

Read-only roles run only the programs of the policy's read_only table, each with its listed
options; the loader refuses a read-only entry whose values could write, run code, wrap a
command or set a variable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, PolicyLoadError, load_policy
from tests.policy.cases import adversarial, everyday_corpus
from tests.policy.conftest import POLICY_DIR, Decide, shipped_policy_copy

ISSUE_EXAMPLE = "awk 'BEGIN{c=\"id\"; x=1; print x | c}'"

VIEWER_DENIED = [
    ISSUE_EXAMPLE,
    "awk '{print $1}' README.md",
    "gawk 'BEGIN{system(\"id\")}'",
    "sed -n 1p README.md",
    "sed -n '1e id' README.md",
    "find . -exec cat {} \\;",
    "find . -execdir id \\;",
    "find . -ok id \\;",
    "find . -delete",
    "find . -fprint build/x",
    "find -L . -name x",
    "less README.md",
    "more README.md",
    "man ls",
    "vi README.md",
    "git commit -m x",
    "git push origin main",
    "git config user.name x",
    "git -c core.pager=id log",
    "git log --output=build/x",
    "git difftool",
    "git stash",
    "git branch evil",
    "git tag v1",
    "git checkout -b x",
    "git grep -O id x",
    "git log --ext-diff -p",
    "python3 scripts/gen.py",
    "python3 --version",
    "node -e 1",
    "perl -e 1",
    "bash -c 'cat README.md'",
    "sh scripts/run.sh",
    "env ls",
    "timeout 5 ls",
    "xargs cat",
    "nice cat README.md",
    "command cat README.md",
    "tee build/x",
    "cat README.md > build/x",
    "sort -o build/x README.md",
    "sort --compress-program=sh README.md",
    "uniq README.md build/x",
    "xxd -r build/dump build/bin",
    "tree -o build/x",
    "date -s 2020-01-01",
    "hostname evil",
    "printf -v x y",
    "export FOO=1",
    "set -a",
    "trap id EXIT",
    "curl -s http://localhost:8000",
    "make",
    "npm test",
    "pytest -q",
    "rm -rf build",
    "cp README.md build/",
    "mkdir build/x",
    "touch x",
    "chmod +x scripts/run.sh",
    "eval ls",
    "source scripts/run.sh",
    "cat README.md | sh",
    "rg --pre cat x",
    "rg -L x",
    "jq -n --rawfile x /etc/shadow '$x'",
    "ls; python3 -c 1",
    "echo $(python3 -c 1)",
]

VIEWER_ALLOWED = [
    "cat README.md",
    "cat -n src/app.py",
    "head -n 20 src/app.py",
    "tail -5 README.md",
    "wc -l src/app.py src/main.py",
    "grep -rn import src",
    "rg -l TODO",
    "ls -la docs",
    "ls src/*.py",
    "find . -name '*.py' -type f",
    "git log --oneline -5",
    "git diff --cached",
    "git status --short",
    "git show HEAD --stat",
    "git blame src/app.py",
    "git -C docs log -1",
    "jq .name package.json",
    "sort README.md | uniq -c",
    "echo hello",
    "pwd",
    "cd docs && ls",
    "diff -u README.md notes.md",
    "stat README.md",
    "sha256sum README.md",
    "ps aux",
    "set -euo pipefail",
]


def test_issue_example_is_denied_for_viewer(decide: Decide) -> None:
    d = decide(ISSUE_EXAMPLE, role="viewer")
    assert d.decision is Verdict.DENY
    assert d.rule == "exec.read-only.not-listed"


@pytest.mark.parametrize("command", VIEWER_DENIED)
def test_viewer_cannot_write_or_run_code(decide: Decide, command: str) -> None:
    d = decide(command, role="viewer")
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)


@pytest.mark.parametrize("command", VIEWER_ALLOWED)
def test_viewer_reads(decide: Decide, command: str) -> None:
    d = decide(command, role="viewer")
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


def _viewer_programs(policy: Policy, workspace: Path, command: str) -> tuple[Verdict, set[str]]:
    req = ToolRequest(tenant="acme", actor="a", role="viewer", tool="exec", command=command)
    out = policy.explain(req, workspace)
    return Verdict(out["decision"]["decision"]), {c[0] for c in out["commands"] if c}


CORPUS = adversarial() + everyday_corpus()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=st.sampled_from(CORPUS))
def test_whatever_a_viewer_may_run_is_in_the_read_only_table(
    default_policy: Policy, workspace: Path, command: str
) -> None:
    verdict, programs = _viewer_programs(default_policy, workspace, command)
    if verdict is Verdict.ALLOW:
        table = set(default_policy.compiled.exec.read_only_programs) | {"cd", "pushd"}
        assert programs <= table, (command, programs - table)


def test_read_only_table_is_checked_at_load(tmp_path: Path) -> None:
    """A read-only entry that could write or run code is refused with file and line."""

    shipped_policy_copy(tmp_path)
    ro = tmp_path / "programs" / "read-only.yaml"
    for bad in (
        "  sneaky:\n    options: ['-o|--output=write']\n",
        "  sneaky:\n    args: [command]\n",
        "  sneaky:\n    options: ['-c=code']\n",
        "  sneaky:\n    subcommands:\n      run: {args: [shellwords]}\n",
        "  sneaky:\n    options: ['-v=var']\n",
    ):
        original = (POLICY_DIR / "programs" / "read-only.yaml").read_text()
        ro.write_text(original.replace("read_only:\n", "read_only:\n" + bad, 1))
        with pytest.raises(PolicyLoadError) as info:
            load_policy(tmp_path / "default.yaml")
        assert info.value.file.endswith("read-only.yaml") and info.value.line
        assert "read-only" in info.value.reason


# ---- third red-team pass: the repository's own configuration runs programs --------------
# `git diff`, `log -p`, `show` and `blame` run a `diff.<driver>.textconv` command for files
# `.gitattributes` gives that driver; `git diff` runs `diff.external`; `git status` and
# `describe --dirty` write the index and run the post-index-change hook. All were allowed for
# viewer. A viewer's git now runs only where the configuration is on an inert allowlist and
# no such hook exists.
GIT = shutil.which("git")
_GIT_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/nonexistent",
    "GIT_CONFIG_NOSYSTEM": "1",
    # what the sandbox gives every git (runner.GIT_SAFETY_CONFIG)
    "GIT_CONFIG_COUNT": "2",
    "GIT_CONFIG_KEY_0": "safe.bareRepository",
    "GIT_CONFIG_VALUE_0": "explicit",
    "GIT_CONFIG_KEY_1": "core.fsmonitor",
    "GIT_CONFIG_VALUE_1": "false",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        [GIT or "git", *args], cwd=repo, env=_GIT_ENV, check=False, capture_output=True, timeout=60
    )


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "ws"
    repo.mkdir()
    _git(repo, "init", "-q", ".")
    (repo / "a.txt").write_text("one\n")
    _git(repo, "add", "a.txt")
    _git(repo, "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "init")
    (repo / "a.txt").write_text("one\ntwo\n")
    return repo


def _textconv(repo: Path, marker: Path) -> None:
    _git(repo, "config", "diff.x.textconv", f"sh -c 'touch {marker}; cat \"$0\"'")
    (repo / ".gitattributes").write_text("* diff=x\n")


def _external(repo: Path, marker: Path) -> None:
    _git(repo, "config", "diff.external", f"sh -c 'touch {marker}'")


def _hook(repo: Path, marker: Path) -> None:
    # Staged, then given another time (the test touches it again): a stat change with the
    # same content, so git refreshes the entry and writes the index whatever the clock says
    # (a racily clean index alone depended on the commit and the edit sharing a timestamp).
    _git(repo, "add", "a.txt")
    os.utime(repo / "a.txt", (1_000_000_000, 1_000_000_000))
    hook = repo / ".git" / "hooks" / "post-index-change"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)


REPO_CODE = [
    (_textconv, "git diff"),
    (_textconv, "git log -p"),
    (_textconv, "git show"),
    (_textconv, "git blame a.txt"),
    (_textconv, "git -C . log -p -1"),
    (_external, "git diff"),
    (_external, "git --no-pager diff"),
    (_hook, "git status"),
    (_hook, "git status --short"),
    (_hook, "git describe --dirty --always"),
]


@pytest.mark.skipif(GIT is None, reason="git is part of the image")
@pytest.mark.parametrize(("plant", "command"), REPO_CODE)
def test_repository_code_runs_by_effect_and_viewer_is_denied(
    default_policy: Policy, tmp_path: Path, plant: object, command: str
) -> None:
    repo = _repo(tmp_path)
    marker = tmp_path / "ran"
    plant(repo, marker)  # type: ignore[operator]
    (repo / "a.txt").touch()  # racy-clean: status re-reads it and writes the index
    _git(repo, *command.split()[1:])
    assert marker.exists(), f"the planted program did not run for {command!r}"
    req = ToolRequest(tenant="acme", actor="a", role="viewer", tool="exec", command=command)
    d = default_policy.decide(req, repo)
    assert d.decision is Verdict.DENY, (command, d.reason)
    assert "repository code" in d.reason


@pytest.mark.parametrize(
    "config",
    [
        "[core]\n\tpager = sh -c id\n",
        '[diff "x"]\n\tcommand = id\n',
        '[filter "lfs"]\n\tclean = id %f\n',
        "[gpg]\n\tprogram = id\n[log]\n\tshowSignature = true\n",
        "[include]\n\tpath = ../elsewhere.cfg\n",
        '[includeIf "gitdir:/"]\n\tpath = x.cfg\n',
        "[core]\n\tworktree = /etc\n",
        "[core]\n\thooksPath = hooks\n",
        "[core]\n\tfsmonitor = id\n",
        "[core]\n\tattributesFile = /tmp/attrs\n",
        "[core] pager = id\n",
        "[Core]\n\tPager = id\n",
        "[diff.x]\n\ttextconv = id\n",
        "[core]\n\tunknownKey = 1\n",
        "[extensions]\n\tpartialClone = origin\n",
        '[remote "origin"]\n\tpromisor = true\n\tuploadpack = id\n',
        "garbage that is not config\n",
    ],
)
def test_any_key_off_the_inert_list_denies_viewer_git(
    default_policy: Policy, tmp_path: Path, config: str
) -> None:
    repo = tmp_path / "ws"
    (repo / ".git" / "hooks").mkdir(parents=True)
    (repo / ".git" / "config").write_text("[core]\n\tbare = false\n" + config)
    for command in ("git status", "git log --oneline", "git diff", "cd . && git show"):
        req = ToolRequest(tenant="acme", actor="a", role="viewer", tool="exec", command=command)
        d = default_policy.decide(req, repo)
        assert d.decision is Verdict.DENY, (config, command, d.reason)


def test_repositories_viewer_git_cannot_read_are_denied(
    default_policy: Policy, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    (ws / "sub").mkdir(parents=True)
    (ws / ".git").write_text("gitdir: /tmp/elsewhere\n")  # a worktree or submodule link
    nested = ws / "vendor" / "lib" / ".git"
    (nested / "hooks").mkdir(parents=True)
    (nested / "config").write_text('[diff "x"]\n\ttextconv = id\n')
    for command in (
        "git status",
        "cd sub && git log",
        "git -C vendor/lib diff",
        "git -Cvendor/lib log -p",
    ):
        req = ToolRequest(tenant="acme", actor="a", role="viewer", tool="exec", command=command)
        assert default_policy.decide(req, ws).decision is Verdict.DENY, command


@pytest.mark.skipif(GIT is None, reason="git is part of the image")
def test_an_ordinary_repository_stays_readable_for_viewer(
    default_policy: Policy, tmp_path: Path
) -> None:
    repo = _repo(tmp_path)
    _git(repo, "remote", "add", "origin", "https://example.com/acme/app.git")
    _git(repo, "config", "branch.main.remote", "origin")
    _git(repo, "config", "user.name", "A")
    (repo / ".git" / "hooks" / "pre-commit").write_text("#!/bin/sh\nexit 0\n")  # not run by reads
    for command in ("git status", "git log --oneline", "git diff", "git show", "git blame a.txt"):
        req = ToolRequest(tenant="acme", actor="a", role="viewer", tool="exec", command=command)
        d = default_policy.decide(req, repo)
        assert d.decision is Verdict.ALLOW, (command, d.reason)


def test_the_repository_check_is_bounded(default_policy: Policy, tmp_path: Path) -> None:
    import time

    ws = tmp_path / "ws"
    (ws / ".git" / "hooks").mkdir(parents=True)
    (ws / ".git" / "config").write_text("[core]\n\tbare = false\n")
    for i in range(600):  # submodule git directories, each with its own objects
        (ws / ".git" / "modules" / f"m{i}" / "objects" / "ab").mkdir(parents=True)
    req = ToolRequest(tenant="acme", actor="a", role="viewer", tool="exec", command="git status")
    start = time.monotonic()
    d = default_policy.decide(req, ws)
    assert time.monotonic() - start < 30
    assert d.decision is Verdict.DENY and "too many" in d.reason, d.reason
    big = tmp_path / "big"
    (big / ".git" / "hooks").mkdir(parents=True)
    (big / ".git" / "config").write_text("[user]\n" + "\tname = x\n" * 20_000)
    d = default_policy.decide(req, big)
    assert d.decision is Verdict.DENY and "larger than" in d.reason, d.reason


# ---- fourth red-team pass (2026-12-03) --------------------------------------------------
# jq's module directives read files by name: `import "PATH" as $d;` loads PATH.json from
# the search path (`~/.jq`, which is the workspace in the sandbox's weak fallback, and
# `$ORIGIN/../lib/jq`), `..` allowed, so the viewer (and a contributor) printed a secret
# `service-account.json` that `cat` and `jq . FILE` are refused. A jq program with a module
# directive is now undecidable, in any word jq may take as its program and in a `-f` file;
# `~/.jq` itself is protected.
JQ_MODULE_READS = [
    "jq -n 'import \"secrets/service-account\" as $k; $k'",
    "jq -n 'import \"../../ws/secrets/service-account\" as $k; $k'",
    "jq -n 'import\"secrets/service-account\"as$k;$k'",
    "jq -nr 'include \"x\"; f'",
    "jq --arg a b 'import \"secrets/service-account\" as $k; $k' -n",
    "jq -c --tab -n 'import \"secrets/x\" as $k; $k[0]'",
    "jq -n 'include \"../.jq/m\"; 1'",
    "jq -n --seq 'import \"a/b\" as $x; $x'",
]
# Held in the same pass (no finding): other read-only programs' options that read or write
# files, run programs or read the environment of other processes.
FOURTH_PASS_VIEWER_HELD = [
    "sort --compress-program=id x",
    "sort -T /tmp x",
    "sort -o CLAUDE.md x",
    "sort --files0-from=list",
    "uniq x CLAUDE.md",
    "xxd -r x CLAUDE.md",
    "diff --to-file=/etc/passwd x",
    "find . -fls out",
    "find . -fprintf out x",
    "git log --output=CLAUDE.md",
    "git log -p --ext-diff",
    "git blame --contents /etc/passwd x",
    "jq --rawfile x .env .",
    "jq -L /tmp -n 1",
    "date -f /etc/shadow",
    "file -m /tmp/x x",
    "rg --pre id x",
    "tree -o CLAUDE.md",
    "du --files0-from=.env",
    "hostname x",
    "date -s 2020-01-01",
    "cat /proc/1/environ",
]


@pytest.mark.parametrize("command", JQ_MODULE_READS)
def test_fourth_pass_jq_module_directives_are_denied(decide: Decide, command: str) -> None:
    for role in ("viewer", "contributor"):
        d = decide(command, role=role)
        assert d.decision is not Verdict.ALLOW, (role, command, d.reason)


@pytest.mark.parametrize("command", FOURTH_PASS_VIEWER_HELD)
def test_fourth_pass_viewer_options_that_write_or_run_are_denied(
    decide: Decide, command: str
) -> None:
    d = decide(command, role="viewer")
    assert d.decision is not Verdict.ALLOW, (command, d.reason)


@pytest.mark.parametrize("option", ["-f", "--from-file"])
def test_a_jq_program_file_with_a_module_directive_is_denied(
    default_policy: Policy, tmp_path: Path, option: str
) -> None:
    (tmp_path / "prog.jq").write_text('import "secrets/x" as $k;\n$k\n')
    (tmp_path / "ok.jq").write_text(".name\n")
    for role in ("viewer", "contributor"):
        req = ToolRequest(
            tenant="acme", actor="a", role=role, tool="exec", command=f"jq {option} prog.jq -n"
        )
        assert default_policy.decide(req, tmp_path).decision is Verdict.DENY
        req = ToolRequest(
            tenant="acme", actor="a", role=role, tool="exec", command=f"jq {option} ok.jq -n"
        )
        assert default_policy.decide(req, tmp_path).decision is Verdict.ALLOW


@pytest.mark.parametrize(
    "command",
    [
        "jq .import package.json",
        "jq -r '.scripts | keys[]' package.json",
        "jq --arg v 1 '.x == $v' package.json",
        "jq -n '[1,2] | add'",
    ],
)
def test_fourth_pass_everyday_jq_stays_allowed(decide: Decide, command: str) -> None:
    for role in ("viewer", "contributor"):
        d = decide(command, role=role)
        assert d.decision is Verdict.ALLOW, (role, command, d.reason)


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_jq_import_reads_a_secret_json_by_effect_and_is_denied(
    default_policy: Policy, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    (ws / "secrets").mkdir(parents=True)
    (ws / "secrets" / "service-account.json").write_text('{"private_key": "SECRET-4TH"}')
    (ws / "README.md").write_text("x\n")
    program = 'import "secrets/service-account" as $k; $k'
    # HOME is the workspace in the sandbox's weak fallback: ~/.jq is a search-path entry
    out = subprocess.run(
        ["jq", "-n", program],
        cwd=ws,
        env={"HOME": str(ws), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "SECRET-4TH" in out.stdout
    for role in ("viewer", "contributor"):
        req = ToolRequest(
            tenant="acme", actor="a", role=role, tool="exec", command=f"jq -n '{program}'"
        )
        assert default_policy.decide(req, ws).decision is Verdict.DENY
        req = ToolRequest(
            tenant="acme",
            actor="a",
            role=role,
            tool="exec",
            command="cat secrets/service-account.json",
        )
        assert default_policy.decide(req, ws).decision is Verdict.DENY  # the file read itself


# ---- fifth pass (exec), 2026-12-03 ----------------------------------------------------------
# `strings @FILE` (binutils) reads its options and file names from FILE: `strings @list` with
# `.env` in the list printed it, also as the viewer (shown by effect in test_class_04).
@pytest.mark.parametrize(
    "command",
    ["strings @names.txt", "strings -a @names.txt", "strings -n 8 @names.txt", "strings @/etc/x"],
)
def test_fifth_pass_viewer_response_files_are_not_allowed(decide_fmt: Decide, command: str) -> None:
    d = decide_fmt(command, role="viewer")
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)


@pytest.mark.parametrize(
    "command",
    [
        "date -s '2020-01-01'",
        "hostname evil",
        "yq -n 'import \"secrets/service-account\" as $k; $k'",
        "jq --rawfile v /etc/shadow -n '$v'",
        "file -f names.txt",
        "wc --files0-from=names0.txt",
        "sha256sum -c SUMS",
    ],
)
def test_fifth_pass_viewer_reads_through_options_are_not_allowed(
    decide_fmt: Decide, command: str
) -> None:
    d = decide_fmt(command, role="viewer")
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)
