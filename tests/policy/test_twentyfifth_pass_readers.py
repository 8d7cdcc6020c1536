"""Twenty-fifth red-team pass (command policy, 2026-12-05), issue 10 classes 2, 3, 4 and 9:
git's read-only everyday commands for the viewer, `git -c` spellings, quoted patterns in
`${…}`, and hand-written option readers checked against the programs installed here
(git 2.39, GNU grep 3.8, ag 2.2.0, bash 5.2, zsh, dash).

Found and closed, each shown by effect below against a control:

* (a) class 4, git's `LASTARG_DEFAULT` options: `--contains`, `--no-contains`, `--merged`,
  `--no-merged` (branch, tag, for-each-ref) and tag's `--points-at` take the next word unless
  they are the last word; the specs read them as attached-only, so the viewer's
  `git branch --merged main` / `git tag --contains v1` were refused (`main` an argument).
  New spec notation `NAME=KIND?`.
* (b) class 4/9, `git config`'s actions are flags to git (`--get NAME`), the specs read
  `--get`/`--get-all`/`--get-regexp` as taking a value: `git config --get --file=OUTSIDE
  user.name` hid the file from the path check and printed another tenant's value (the
  control, `--file=OUTSIDE --get`, was refused). Now flags; the key of a read is any key.
* (c) class 9, `git config -f FILE --includes -l` followed FILE's `include.path` to a file
  outside the workspace (allowed; `cat` of it is refused): `--includes` is off the spec.
* (a') the viewer's `git tag -l PATTERN`, `git branch --list PATTERN` (and the filters above,
  `tag -n`): arguments only in a list mode, where git reads them as patterns (spec key
  `args_when`); `git branch NAME`, `-v NAME`, `git tag NAME` stay refused.
* (d) the viewer reads git configuration (`--get`, `--get-all`, `--get-regexp`, `-l`, `get`,
  `list`; one name at most, no `-f`/`--blob`/`--includes`); a configuration holding a
  credential is refused whole for every role, and the redactor masks the token too.
* (e) class 3: in `${x#…}`, `%`, `/`, `^`, `,` (inside "…" or a here-document) the pattern is
  an unquoted word to bash, dash and zsh: `"${x#'$(cmd)'}"` runs nothing (was refused) and
  bash runs `"${x#<(cmd)}"` (was ALLOWED: a bypass). The replacement of `/` keeps its
  double-quoted reading (zsh runs `"${x/a/'$(cmd)'}"`).
* (f) class 9, the grep reader (`_search_starts`, one table for grep, ag, rg …): `grep -r -T
  PAT .aws src` (grep's -T is a flag), `-rePAT`, `--reg=PAT`, `-fFILE` took `.aws` for the
  pattern: grep printed `.aws/credentials`, allowed; `grep -rl -T x .github src | xargs rm`
  deleted the CI workflow. ag's -A/-B/-C take an optional attached value and -D/-f/-t are
  flags: `ag --hidden -C PAT .aws src` was asked instead of denied and printed the secret.
  grep and ag are now read with their own tables (an unknown option: every word is a path).
* class 7: `git -cpull.rebase=i pull` was asked (`exec.vcs.pull-unseen`) where `git -c
  pull.rebase=i pull` is refused: the check of values that start an interactive rebase
  (`git_remotes.config_value_problem`) read only the spaced `-c`. Both spellings now decide
  alike for every key, subcommand and role below; git 2.39 itself refuses the glued one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.argspec import parse_option
from enforcement_agent.redaction import Redactor
from tests.policy.scratch_repo import GIT_ENV, scratch_repo
from tests.policy.verdicts import exec_verdict

_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")
TOKEN = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git work tree `ws` (branch main, tag v1, branch feat) beside `outside/`."""
    base = tmp_path_factory.mktemp("rt25")
    (base / "outside").mkdir()
    (base / "outside/other.cfg").write_text("[user]\n\tname = OTHER-TENANT-SECRET\n")
    ws = scratch_repo(
        base / "ws",
        {
            "README.md": "match\n",
            "src/app.py": "match\n",
            ".aws/credentials": "aws_secret_access_key=AKIA0000SECRETVALUE\n",
            ".github/workflows/ci.yml": "match\n",
        },
        branch="main",
    )
    _git(ws, "tag", "v1")
    _git(ws, "branch", "feat")
    return base


def _git(ws: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "HOME": str(ws.parent)}
    return subprocess.run(
        ["git", *argv], cwd=ws, env=env, capture_output=True, text=True, timeout=20, check=False
    )


def _state(ws: Path) -> tuple[str, str]:
    """Every ref and the whole local configuration: what a write would change."""
    refs = _git(ws, "for-each-ref", "--format=%(refname) %(objectname)").stdout
    return refs, (ws / ".git/config").read_text()


# ---- (a), (d): the viewer's read-only git ---------------------------------------------------
VIEWER_READS = (
    "git branch --merged main",
    "git branch --contains HEAD",
    "git branch --no-merged main",
    "git branch --no-contains v1",
    "git branch --merged",
    "git branch --points-at HEAD",
    "git tag --contains v1",
    "git tag --merged",
    "git tag --merged main",
    "git tag --points-at HEAD",
    "git tag --points-at",
    "git for-each-ref --contains HEAD refs/heads",
    "git config --get user.name",
    "git config --get-all user.name",
    "git config --get-regexp user",
    "git config -l",
    "git config --list --show-origin",
    "git config --get remote.origin.url",
    "git config --name-only -l",
    "git config user.name",
    # list modes: the arguments are patterns, no ref is created (args_when)
    "git tag -l v*",
    "git tag -n v9",
    "git branch --list feat*",
    "git branch --merged main newb",
    "git tag --contains v1 v3",
)


@pytest.mark.parametrize("command", VIEWER_READS)
def test_viewer_reads_are_allowed_and_change_nothing(
    policy: Policy, root: Path, command: str
) -> None:
    ws = root / "ws"
    assert exec_verdict(policy, ws, command, "viewer")[0] is Verdict.ALLOW, command
    before = _state(ws)
    done = _git(ws, *command.split()[1:])
    assert done.returncode in (0, 1), (command, done.stderr)  # 1: no such key
    assert _state(ws) == before, command


VIEWER_WRITES = (
    "git branch -d feat",
    "git branch -D feat",
    "git branch newb",
    "git branch -v newb",
    "git branch -a newb",
    "git branch -r newb",
    "git tag v2 -v",
    "git branch -m feat x",
    "git branch --set-upstream-to=main",
    "git tag -d v1",
    "git tag v2",
    "git config user.name x",
    "git config --unset user.name",
    "git config --unset-all user.name",
    "git config --add a.b c",
    "git config --file=x --add a.b c",
    "git config -f x -l",
    "git config --blob=HEAD:README.md -l",
    "git config --includes -l",
    "git config --edit",
    "git config -e",
    "git config edit",
    "git config set user.name x",
    "git config unset user.name",
    "git config --local edit",
    "git config --replace-all a.b c",
    "git config --rename-section a b",
    "git config --remove-section a",
    "git config --global -l",
    "git config --get user.name --unset",
)


@pytest.mark.parametrize("command", VIEWER_WRITES)
def test_viewer_writes_stay_refused(policy: Policy, root: Path, command: str) -> None:
    assert exec_verdict(policy, root / "ws", command, "viewer")[0] is not Verdict.ALLOW


CONTRIBUTOR = (
    ("git tag -d v1", Verdict.ASK),
    ("git branch -d feat", Verdict.ALLOW),
    ("git branch --merged main", Verdict.ALLOW),
    ("git config user.name bot", Verdict.ALLOW),
    ("git config --unset user.name", Verdict.ALLOW),
    ("git config --get core.pager", Verdict.ALLOW),
    ("git config --get core.pager less", Verdict.ALLOW),  # a read: NAME and value pattern
    ("git config --get-regexp alias", Verdict.ALLOW),
    ("git config --get commit.gpgsign", Verdict.ALLOW),
    ("git config core.pager less", Verdict.DENY),
    ("git config commit.gpgsign true", Verdict.DENY),
    ("git config --get --unset core.pager", Verdict.DENY),
    ("git config --add --get core.pager x", Verdict.DENY),
    ("git config --edit", Verdict.DENY),
    ("git config --file=x --add a.b c", Verdict.DENY),
    ("git config -f x --includes -l", Verdict.DENY),
)


@pytest.mark.parametrize(("command", "want"), CONTRIBUTOR)
def test_contributor_git_decided(policy: Policy, root: Path, command: str, want: Verdict) -> None:
    assert exec_verdict(policy, root / "ws", command)[0] is want, command


def test_lastarg_option_takes_the_next_word_as_git_does(policy: Policy, root: Path) -> None:
    """`--contains -d feat`: git reads `-d` as the commit (and fails), deletes nothing."""
    ws = root / "ws"
    _, opt = parse_option("--merged=lit?")
    assert opt.lastarg and opt.kind == "lit" and not opt.optional
    before = _state(ws)
    for argv in (("branch", "--contains", "-d", "feat"), ("tag", "--contains", "-d", "v1")):
        done = _git(ws, *argv)
        assert done.returncode != 0 and "malformed object name -d" in done.stderr
    assert _state(ws) == before
    # as the viewer reads it too: -d the commit, `feat` a pattern of the list (nothing written)
    for command in ("git branch --contains -d feat", "git tag --contains -d v1"):
        assert exec_verdict(policy, ws, command, "viewer")[0] is Verdict.ALLOW, command


# ---- (b), (c): git config reading files outside the workspace --------------------------------
def test_config_get_no_longer_hides_a_file(policy: Policy, root: Path) -> None:
    ws, other = root / "ws", str(root / "outside/other.cfg")
    hidden = f"git config --get --file={other} user.name"
    control = f"git config --file={other} --get user.name"
    for command in (hidden, control, f"git config --get-all --file={other} user.name"):
        for role in ("contributor", "viewer"):
            assert exec_verdict(policy, ws, command, role)[0] is not Verdict.ALLOW, command
    assert "OTHER-TENANT-SECRET" in _git(ws, *hidden.split()[1:]).stdout  # what it did


def test_config_includes_no_longer_follow_a_file(policy: Policy, root: Path) -> None:
    ws = root / "ws"
    inc = ws / "inc.cfg"
    inc.write_text(f"[include]\n\tpath = {root / 'outside/other.cfg'}\n")
    try:
        command = "git config -f inc.cfg --includes -l"
        assert exec_verdict(policy, ws, command)[0] is Verdict.DENY
        assert "OTHER-TENANT-SECRET" in _git(ws, *command.split()[1:]).stdout
        assert exec_verdict(policy, ws, f"cat {root / 'outside/other.cfg'}")[0] is Verdict.DENY
        # without --includes the file is only the file
        plain = "git config -f inc.cfg -l"
        assert exec_verdict(policy, ws, plain)[0] is Verdict.ALLOW
        assert "OTHER-TENANT-SECRET" not in _git(ws, *plain.split()[1:]).stdout
    finally:
        inc.unlink()


def test_a_credential_in_the_configuration_is_refused_and_redacted(
    policy: Policy, root: Path
) -> None:
    ws = root / "ws"
    url = f"https://oauth2:{TOKEN}@github.com/acme/api.git"
    assert _git(ws, "remote", "add", "origin", url).returncode == 0
    try:
        redactor = Redactor(key=b"rt25" * 8)
        for command in (
            "git config --get remote.origin.url",
            "git config -l",
            "git config --get-regexp remote",
            "git config remote.origin.url",
            "git config get remote.origin.url",
        ):
            for role in ("viewer", "contributor"):
                verdict, rule = exec_verdict(policy, ws, command, role)
                assert (verdict, rule) == (Verdict.DENY, "exec.secret-file"), (command, role)
        out = _git(ws, "config", "--get", "remote.origin.url").stdout
        assert TOKEN in out and TOKEN not in redactor.redact_text(out)
    finally:
        _git(ws, "remote", "remove", "origin")
    assert exec_verdict(policy, ws, "git config --get user.name", "viewer")[0] is Verdict.ALLOW


# ---- class 7: `git -cKEY=V` and `git -c KEY=V` ----------------------------------------------
KEYS = (
    "user.name=x", "color.ui=always", "core.quotepath=off", "commit.gpgsign=false",
    "commit.gpgsign=true", "commit.gpgsign", "core.pager=cat", "core.hooksPath=h",
    "remote.origin.url=x", "push.default=matching", "alias.x=!id", "diff.x.textconv=id",
    "include.path=x", "core.fsmonitor=id", "Core.Pager=less", "pull.rebase=i",
    "pull.rebase=interactive", "pull.rebase=true", "pull.rebase", "Pull.Rebase=I",
)  # fmt: skip
SUBS = ("status", "log -1", "commit -m x", "push origin main", "fetch", "pull",
        "config --get user.name")  # fmt: skip


def test_glued_and_spaced_c_decide_alike(policy: Policy, root: Path) -> None:
    ws = root / "ws"
    seen = set()
    for role in ("contributor", "viewer", "admin"):
        for key in KEYS:
            for sub in SUBS:
                spaced = exec_verdict(policy, ws, f"git -c {key} {sub}", role)
                glued = exec_verdict(policy, ws, f"git -c{key} {sub}", role)
                assert spaced == glued, (role, key, sub)
                seen.add(spaced[0])
    assert {Verdict.ALLOW, Verdict.DENY} <= seen
    done = _git(ws, "-cuser.name=GLUED", "var", "GIT_AUTHOR_IDENT")
    assert done.returncode != 0 and "unknown option" in done.stderr  # git refuses it


# ---- (e): patterns inside ${…} ---------------------------------------------------------------
SHELLS = tuple(s for s in ("bash", "zsh", "dash") if shutil.which(s))
# (command, whether some shell runs the substitution); run below with each shell installed
PATTERNS = (
    ("x=abc; echo \"${x#'$(touch ../PWNED)'}\"", False),
    ("x=abc; echo ${x#'$(touch ../PWNED)'}", False),
    ("x=abc; echo \"${x%'$(touch ../PWNED)'}\"", False),
    ("x=abc; echo \"${x##'$(touch ../PWNED)'}\"", False),
    ("x=abc; echo \"${x%%'$(touch ../PWNED)'}\"", False),
    ("x=abc; echo \"${x#'`touch ../PWNED`'}\"", False),
    ("x=abc; echo \"${x#'a'}\"", False),
    ("x=abc; cat <<E\n${x#'$(touch ../PWNED)'}\nE", False),
    ("x=abc; echo \"${x/a/'$(touch ../PWNED)'}\"", True),  # zsh
    ("x=abc; echo \"${x#'a'$(touch ../PWNED)}\"", True),
    ('x=abc; echo "${x#\'a\'"$(touch ../PWNED)"}"', True),
    ('x=abc; echo "${x#"\'$(touch ../PWNED)\'"}"', True),
    ('x=abc; echo "${x#<(touch ../PWNED)}"', True),  # bash: was allowed
    ('x=abc; echo "${x%%<(touch ../PWNED)}"', True),
    ('x=abc; echo "${x,,<(touch ../PWNED)}"', True),
    ('x=abc; echo "${x^<(touch ../PWNED)}"', True),
    ('x=abc; echo "${x/a/<(touch ../PWNED)}"', True),
    ('x=abc; echo "${x#>(touch ../PWNED)}"', True),
    ('x=abc; y="${x#<(touch ../PWNED)}"', True),
    ('x=abc; echo "${x#"\'"$(touch ../PWNED)"\'"}"', True),
    ("x=abc; echo \"${x#\\'$(touch ../PWNED)\\'}\"", True),
    ("x=abc; echo \"${x#$'\\''$(touch ../PWNED)}\"", True),
    ('x=abc; echo "${x#"${y:-\'$(touch ../PWNED)\'}"}"', True),
    ('x=abc; echo "${x#`touch ../PWNED`}"', True),
    ("unset x; echo \"${x:-'$(touch ../PWNED)'}\"", True),
)


def _runs(command: str, base: Path) -> list[str]:
    """The shells in which ``command`` (run in ``base/ws``) creates ``base/PWNED``."""
    (base / "ws").mkdir(parents=True, exist_ok=True)
    marker = base / "PWNED"
    ran = []
    for sh in SHELLS:
        marker.unlink(missing_ok=True)
        subprocess.run([sh, "-c", command], cwd=base / "ws", capture_output=True, timeout=10)
        # a process substitution may finish after its shell
        deadline = time.monotonic() + (0.3 if "<(" in command or ">(" in command else 0)
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        if marker.exists():
            ran.append(sh)
    return ran


def test_patterns_are_decided_by_what_the_shells_do(
    policy: Policy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert "bash" in SHELLS
    base = tmp_path_factory.mktemp("rt25sh")
    for command, runs in PATTERNS:
        ran = _runs(command, base)
        verdict = exec_verdict(policy, base / "ws", command)[0]
        assert bool(ran) is runs or (runs and "zsh" not in SHELLS), (command, ran)
        if ran:
            assert verdict is not Verdict.ALLOW, (command, ran)
        else:
            assert verdict is Verdict.ALLOW, command  # no longer over-refused


# ---- (f): grep and ag readers ----------------------------------------------------------------
SEARCHES = (
    "grep -r -T aws_secret .aws src",
    "grep -reaws_secret .aws src",
    "grep -r --reg=aws_secret .aws src",
    "grep -r --regex=aws_secret .aws src",
    "grep -rn -T -e aws_secret .aws src",
    "grep -r --context 2 aws_secret .aws src",
    "egrep -r -T aws_secret .aws src",
    "ag --hidden -C aws_secret .aws src",
    "ag --hidden -A aws_secret .aws src",
    "ag --hidden -t aws_secret .aws src",
    "ag --hidden -D aws_secret .aws src",
)


@pytest.mark.parametrize("command", SEARCHES)
def test_searches_read_as_the_program_reads_them(policy: Policy, root: Path, command: str) -> None:
    ws = root / "ws"
    for role in ("contributor", "viewer"):
        assert exec_verdict(policy, ws, command, role)[0] is Verdict.DENY, (command, role)
    # (errors="replace": `ag -D` prints debug lines that can hold bytes that are not UTF-8;
    # CI run 65 failed on decoding them, not on the assertion)
    out = subprocess.run(
        command.split(), cwd=ws, capture_output=True, text=True, errors="replace", timeout=20
    )
    assert "AKIA0000SECRETVALUE" in out.stdout, command  # what it would have printed


EVERYDAY_SEARCHES = (
    "grep -rn TODO src",
    "grep -rn -e TODO -e FIXME src",
    "grep -r -A2 match src",
    "grep -rlT match src",
    "grep -rl --regexp match src",
)


@pytest.mark.parametrize("command", EVERYDAY_SEARCHES)
def test_everyday_searches_stay_allowed(policy: Policy, root: Path, command: str) -> None:
    assert exec_verdict(policy, root / "ws", command)[0] is Verdict.ALLOW, command


def test_grep_names_fed_to_rm_include_the_protected_start(
    policy: Policy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = tmp_path_factory.mktemp("rt25rm")
    ws = base / "ws"
    for rel in (".github/workflows/ci.yml", "src/a.txt"):
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text("match\n")
    command = "grep -rl -T match .github src | xargs rm"
    assert exec_verdict(policy, ws, command)[0] is not Verdict.ALLOW
    assert exec_verdict(policy, ws, "grep -rl match .github src | xargs rm")[0] is not (
        Verdict.ALLOW
    )
    subprocess.run(["bash", "-c", command], cwd=ws, capture_output=True, timeout=20)
    assert not (ws / ".github/workflows/ci.yml").exists()  # what it did


# ---- a bounded differential over every option grep and ag print in --help ------------------
_TEMPLATES = {
    "grep": (
        "grep -r {o} aws_secret .aws src",
        "grep {o} aws_secret lnk src",
        "grep -r {o} match src",
    ),
    "ag": (
        "ag --hidden {o} aws_secret .aws src",
        "ag -D {o} -plnk aws_secret src",
        "ag {o} match src",
    ),
}


@pytest.mark.parametrize("program", sorted(_TEMPLATES))
def test_no_option_of_grep_or_ag_hides_a_secret_read(
    policy: Policy, root: Path, program: str
) -> None:
    """Each option (as --help spells it) before a secret start or a link to a secret: every
    command the policy does not deny is run, and none prints the secret (main: 6 leaked)."""
    ws = root / "ws"
    link = ws / "lnk"
    link.unlink(missing_ok=True)
    link.symlink_to(".aws/credentials")
    text = subprocess.run([program, "--help"], capture_output=True, text=True).stdout
    found = {m.group(1) for line in text.splitlines() for m in _OPTION.finditer(line[:40])}
    options = sorted(found - {"--help", "--version", "-V", "-h", "--usage"})
    assert len(options) > 50, options
    run = 0
    for option in options:
        for template in _TEMPLATES[program]:
            command = template.format(o=option)
            if exec_verdict(policy, ws, command)[0] is Verdict.DENY:
                continue
            run += 1
            done = subprocess.run(
                command.split(), cwd=ws, capture_output=True, timeout=20,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
            assert b"AKIA0000SECRETVALUE" not in done.stdout + done.stderr, command
    assert run > len(options) // 2  # the harmless ones stay allowed (or asked, for ag)
    link.unlink()


def test_git_value_table_reads_as_git_does(
    policy: Policy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`_GIT_VALUES` against git 2.39: `pull -oX` is a server option and `rebase -C 3` takes
    the next word, so the branch that lands is `evil`, whose tree writes a CI workflow."""
    ws = scratch_repo(
        tmp_path_factory.mktemp("rt25git") / "ws", {"README.md": "x\n"}, tracked=("README.md",)
    )
    first = _git(ws, "rev-parse", "HEAD").stdout.strip()
    _git(ws, "checkout", "-qb", "evil")
    (ws / ".github/workflows").mkdir(parents=True)
    (ws / ".github/workflows/ci.yml").write_text("evil\n")
    _git(ws, "add", ".github")
    _git(ws, "commit", "-qm", "evil")
    _git(ws, "checkout", "-q", "-")
    for command in ("git pull -oX . evil", "git rebase -C 3 evil", "git rebase -C3 evil"):
        verdict, rule = exec_verdict(policy, ws, command)
        assert (verdict, rule) == (Verdict.DENY, "exec.protected-path"), command
        _git(ws, *command.split()[1:])
        assert (ws / ".github/workflows/ci.yml").exists(), command  # what git does
        _git(ws, "reset", "-q", "--hard", first)
