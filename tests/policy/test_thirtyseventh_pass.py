"""Thirty-seventh red-team pass (2026-12-06), issue 10 classes 2 and 9: credentials git reads
from files the policy did not count as git's.

Found, each allowed on the tree before this pass and shown by effect (real git 2.39 here;
through `gonogo agent exec` by hand, see docs/policy.md):

1. **Legacy remote files.** git still reads `.git/remotes/NAME` (`URL: …`, `Pull: …`) and
   `.git/branches/NAME` (`URL#branch`) as remotes: `git ls-remote --get-url up` printed the
   URL with its token. The sixteenth pass made a `.git/config` holding such a URL a secret
   file, but these two folders were not looked at, so the viewer's `rev .git/remotes/up`
   printed the token reversed (the redactor masks it only the right way round) and a
   contributor's allowed `python3 show.py` read both inside the sandbox, which masks only
   what `credential_files` lists. Both folders of every git directory (submodules' too) are
   now git configuration files for `git_credentials` (bounded: 32 entries each).
2. **`http.cookieFile`.** git sends the cookies of the file that `http.cookieFile` (also
   `http.<url>.cookieFile`) names with every http request: a local server below received
   the session cookie. Only `.gitcookies` was a secret by name, so `cat ci/cookies.txt`
   (viewer) printed the session. A file the repository's configuration names there now
   counts as a credential store while it has content, like a `store` helper's file.
3. **Legacy remotes that are local repositories (class 7).** `git_remotes` read remote
   names from `.git/config` only and took `up` for a missing remote (git fails), so
   `git push up HEAD:refs/heads/x` was allowed while `.git/remotes/up` said
   `URL: ./evil.git`: git 2.39 ran evil.git's pre-receive hook (below). Through `gonogo
   agent exec` the sandbox held (`transport 'file' not allowed`); the policy's own answer
   was wrong. A name the configuration gives no URL is now read from both legacy folders.
4. **Diff options that read lines (class 9).** `git_secrets` counted `--check` as printing
   no contents, and the pickaxe (`-S`, `-G`) and `-I` not at all: `git log --check` (viewer)
   printed a committed-then-removed `.env` line with trailing whitespace, and `git log -G
   'TOKEN=w' --oneline` answered whether the secret starts so (real git below). They now
   count as reading the contents; a pathspec that leaves the secret out stays allowed.
5. **Recursive readers and `.git` (class 9).** Tree walks skip `.git` (a vendor folder), so
   `grep -r ghp_ .` (viewer) printed `.git/config`'s token (and a legacy remote's): the
   credential files of the workspace's git directories now count as in the tree.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.git_credentials import credential_files
from tests.policy.scratch_repo import GIT_ENV, scratch_repo
from tests.policy.verdicts import exec_verdict

GIT = shutil.which("git")
TOKEN = "ghp_rt37LegacyRemoteToken0123456789abcd"
URL = f"https://u:{TOKEN}@github.com/acme/app.git"
COOKIE = "session=rt37-cookie-secret"
COOKIE_LINE = "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\trt37-cookie-secret\n"

FILES = {
    "README.md": "readme\n",
    "src/a.py": "a = 1\n",
    "ci/cookies.txt": COOKIE_LINE,
    "ci/url-cookies": COOKIE_LINE,
    "ci/other.txt": COOKIE_LINE,  # the same lines, named by no configuration: not secret
    "ci/empty-cookies": "",
}
CONFIG = """
[http]
\tcookieFile = ci/cookies.txt
[http "https://git.example.org/"]
\tcookiefile = ci/url-cookies
[http "https://empty.example.org/"]
\tcookieFile = ci/empty-cookies
"""
LEGACY = {
    ".git/remotes/up": f"URL: {URL}\nPull: refs/heads/main:refs/heads/up\n",
    ".git/branches/br": f"{URL}#main\n",
    ".git/modules/sub/remotes/o": f"URL: {URL}\n",
    ".git/remotes/plain": "URL: https://github.com/acme/app.git\n",  # no credential
    ".git/branches/plain": "https://github.com/acme/app.git#main\n",
    ".git/remotes/local": "URL: ./evil.git\nPull: refs/heads/main:refs/heads/l\n",
    ".git/branches/localbr": "./evil.git#main\n",
}
HOOK = "#!/bin/sh\ntouch HOOK-RAN\n"


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = scratch_repo(tmp_path_factory.mktemp("rt37") / "ws", FILES)
    with (root / ".git/config").open("a") as f:
        f.write(CONFIG)
    (root / ".git/modules/sub").mkdir(parents=True)
    (root / ".git/modules/sub/config").write_text("[core]\n\tbare = false\n")
    for rel, text in LEGACY.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    # a bare repository the agent could have planted in the workspace, with a hook
    subprocess.run(["git", "init", "-q", "--bare", "evil.git"], cwd=root, check=True)
    (root / "evil.git/hooks/pre-receive").write_text(HOOK)
    (root / "evil.git/hooks/pre-receive").chmod(0o755)
    return root


def _read_tool(policy: Policy, ws: Path, path: str, role: str = "viewer") -> Verdict:
    req = ToolRequest(tenant="acme", actor="a", role=role, tool="read", path=path)
    return policy.decide(req, ws).decision


SECRET_FILES = [".git/remotes/up", ".git/branches/br", ".git/modules/sub/remotes/o"]
SECRET_FILES += ["ci/cookies.txt", "ci/url-cookies"]

READS = [
    "cat {f}",
    "rev {f}",
    "tac {f}",
    "xxd -p {f}",
    "od -c {f}",
    "grep -r u {f}",
    "sort {f}",
    "git diff --no-index README.md {f}",
]


@pytest.mark.parametrize("role", ["viewer", "contributor"])
@pytest.mark.parametrize("path", SECRET_FILES)
@pytest.mark.parametrize("form", READS)
def test_credential_files_git_reads_are_secret(
    policy: Policy, ws: Path, role: str, path: str, form: str
) -> None:
    verdict, rule = exec_verdict(policy, ws, form.format(f=path), role)
    assert (verdict, rule) == (Verdict.DENY, "exec.secret-file"), (form, path, role, rule)


@pytest.mark.parametrize(
    "command",
    [
        "grep -r ghp .git",
        "grep -r ghp .git/remotes",
        "git diff --no-index src .git/branches",
        "grep -r session ci",
        "cat ci/*",
        "git ls-remote --get-url up",
        "git remote -v",
    ],
)
def test_folders_and_git_printing_them(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command, "viewer")[0] is Verdict.DENY, command
    assert exec_verdict(policy, ws, command)[0] is Verdict.DENY, command


@pytest.mark.parametrize("path", SECRET_FILES)
def test_the_file_tools_may_not_read_them(policy: Policy, ws: Path, path: str) -> None:
    assert _read_tool(policy, ws, path) is Verdict.DENY, path
    assert _read_tool(policy, ws, path, "contributor") is Verdict.DENY, path


@pytest.mark.parametrize(
    "command",
    [
        "git push local HEAD:refs/heads/x",
        "git push localbr",
        "git push local",
        "git fetch local",
        "git fetch localbr main",
        "git push --repo=local",
        "git push -u local HEAD",
        "git push",  # no upstream: any remote, the legacy local ones included
    ],
)
def test_legacy_local_remotes_are_local(policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is Verdict.DENY, (command, rule)


@pytest.mark.parametrize(
    "command", ["git push plain HEAD:refs/heads/x", "git fetch plain", "git push nosuch HEAD"]
)
def test_legacy_network_remotes_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is Verdict.ALLOW, (command, rule)


def test_the_sandbox_masks_them(ws: Path) -> None:
    """The sandbox masks exactly what `credential_files` lists (workspace_state)."""
    listed = set(credential_files(str(ws)))
    assert listed >= set(SECRET_FILES), listed
    assert not listed & {".git/remotes/plain", ".git/branches/plain", "ci/other.txt"}
    assert "ci/empty-cookies" not in listed


@pytest.mark.parametrize(
    "command",
    [
        "cat .git/remotes/plain",  # a legacy remote without a credential
        "rev .git/branches/plain",
        "cat ci/other.txt",  # cookie lines no configuration names
        "cat ci/empty-cookies",  # named, empty: nothing to hide
        "cat README.md",
        "ls .git/remotes",
        "grep -rn a src",
    ],
)
def test_controls_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command, "viewer")[0] is Verdict.ALLOW, command
    assert exec_verdict(policy, ws, command)[0] is Verdict.ALLOW, command


@pytest.mark.parametrize("command", ["git log --oneline", "git status --short", "git show HEAD"])
def test_git_controls_for_the_contributor(policy: Policy, ws: Path, command: str) -> None:
    # (the viewer's git is refused in this repository since before this pass: its
    # configuration sets a key outside the read-only allowlist, http.cookieFile)
    assert exec_verdict(policy, ws, command)[0] is Verdict.ALLOW, command


def _git(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    assert GIT is not None
    env = {"PATH": os.environ["PATH"], "HOME": str(cwd.parent), **GIT_ENV}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return subprocess.run(
        [GIT, *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=30
    )


# ---- by effect -------------------------------------------------------------------------------
def test_git_reads_legacy_remotes_and_cookie_files_by_effect(
    policy: Policy, ws: Path, tmp_path: Path
) -> None:
    # git takes the URL (token included) from .git/remotes/up and .git/branches/br
    assert _git(ws, "ls-remote", "--get-url", "up").stdout.strip() == URL
    assert _git(ws, "ls-remote", "--get-url", "br").stdout.strip() == URL
    rev = subprocess.run(["rev", ".git/remotes/up"], cwd=ws, capture_output=True, text=True)
    assert TOKEN[::-1] in rev.stdout  # what the viewer's allowed `rev` printed before
    assert exec_verdict(policy, ws, "rev .git/remotes/up", "viewer")[0] is Verdict.DENY
    # control: the same program on the credential-free legacy remote runs and is allowed
    assert _git(ws, "ls-remote", "--get-url", "plain").stdout.strip().endswith("app.git")
    assert exec_verdict(policy, ws, "rev .git/remotes/plain", "viewer")[0] is Verdict.ALLOW
    # a legacy remote naming a local repository: git pushes there and runs its hook
    marker = ws / "evil.git/HOOK-RAN"
    _git(ws, "push", "-q", "local", "HEAD:refs/heads/x")
    assert marker.exists()
    marker.unlink()
    assert exec_verdict(policy, ws, "git push local HEAD:refs/heads/x")[0] is Verdict.DENY
    _cookie_is_sent(policy, ws, tmp_path)


def _cookie_is_sent(policy: Policy, ws: Path, tmp_path: Path) -> None:
    seen: list[str | None] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            seen.append(self.headers.get("Cookie"))
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        port = server.server_address[1]
        _git(ws, "ls-remote", f"http://127.0.0.1:{port}/x")
        # control: a repository whose configuration names no cookie file sends none
        plain = scratch_repo(tmp_path / "plain", {"README.md": "r\n"}, tracked=("README.md",))
        _git(plain, "ls-remote", f"http://127.0.0.1:{port}/x")
    finally:
        server.shutdown()
        server.server_close()
    assert seen and seen[0] == COOKIE, seen  # the file's session went to the server
    assert all(c is None for c in seen[1:]), seen
    assert exec_verdict(policy, ws, "cat ci/cookies.txt", "viewer")[0] is Verdict.DENY
    assert exec_verdict(policy, plain, "cat README.md", "viewer")[0] is Verdict.ALLOW


# ---- 4: diff options that read lines -----------------------------------------------------------
HISTORY_SECRET = "TOKEN=rt37-history-secret "  # a trailing blank: a whitespace error


@pytest.fixture(scope="module")
def hist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"README.md": "readme\n", "src/a.py": "a = 1\n", ".env": HISTORY_SECRET + "\n"}
    root = scratch_repo(
        tmp_path_factory.mktemp("rt37h") / "ws", files, tracked=("README.md", "src", ".env")
    )
    env = {**os.environ, **GIT_ENV, "HOME": str(root.parent)}
    for argv in (["rm", "-q", "--cached", ".env"], ["commit", "-qm", "untrack"]):
        subprocess.run(["git", *argv], cwd=root, env=env, check=True, capture_output=True)
    return root


LINE_READERS = [
    "git log --check",
    "git log --check --format=%h",
    "git show --check HEAD~1",
    "git show -s --check HEAD~1",
    "git diff --check HEAD~1 HEAD",
    "git diff-tree --check -r HEAD~1",
    "git whatchanged --check",
    "git reflog --check",
    "git log -G TOKEN --oneline",
    "git log -GTOKEN --oneline",
    "git log -S TOKEN --oneline",
    "git log -STOKEN --format=%h",
    "git log --pickaxe-regex -S 'TOKEN=r' --oneline",
    "git log --all -G 'TOKEN=r' --format=%H",
    "git log --stat -G TOKEN",
    "git diff --name-only -G 'TOKEN=r' HEAD~1 HEAD",
    "git diff --quiet -G TOKEN HEAD~1 HEAD",
    "git diff --exit-code -S TOKEN HEAD~1 HEAD",
    "git diff --stat -I 'TOKEN=r' HEAD~1 HEAD",
    "git diff --numstat --ignore-matching-lines='TOKEN=r' HEAD~1 HEAD",
    "git log --oneline -I x",
    "git -C src log -G TOKEN --oneline",
]


@pytest.mark.parametrize("role", ["viewer", "contributor"])
@pytest.mark.parametrize("command", LINE_READERS)
def test_diff_options_that_read_lines(policy: Policy, hist: Path, role: str, command: str) -> None:
    verdict, rule = exec_verdict(policy, hist, command, role)
    assert (verdict, rule) == (Verdict.DENY, "exec.secret-file"), (command, role, rule)


@pytest.mark.parametrize(
    "command",
    [
        "git log --oneline",
        "git log --stat",
        "git diff --stat HEAD~1 HEAD",
        "git diff --check",  # the work tree against the index: no secret tracked now
        "git log --check -- README.md",
        "git log -G TOKEN --oneline -- README.md src",
        "git log -S x --oneline -- src/a.py",
        "git show -s HEAD~1",
    ],
)
def test_line_reader_controls(policy: Policy, hist: Path, command: str) -> None:
    assert exec_verdict(policy, hist, command, "viewer")[0] is Verdict.ALLOW, command
    assert exec_verdict(policy, hist, command)[0] is Verdict.ALLOW, command


def test_check_prints_and_pickaxe_answers_by_effect(policy: Policy, hist: Path) -> None:
    out = _git(hist, "log", "--check", "--format=%h").stdout
    assert HISTORY_SECRET in out  # the committed secret's line, printed
    hit = _git(hist, "log", "-G", "TOKEN=rt37-h", "--oneline").stdout
    miss = _git(hist, "log", "-G", "TOKEN=rt37-x", "--oneline").stdout
    assert hit.strip() and not miss.strip()  # an oracle: one guess at a time
    for command in ("git log --check --format=%h", "git log -G TOKEN=rt37-h --oneline"):
        assert exec_verdict(policy, hist, command, "viewer")[0] is Verdict.DENY, command
    # control: the same options over the project's own files run and stay allowed
    assert "readme" not in _git(hist, "log", "--check", "--", "README.md").stdout
    assert exec_verdict(policy, hist, "git log --check -- README.md", "viewer")[0] is (
        Verdict.ALLOW
    )


# ---- 5: recursive readers reach .git ------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    ["grep -r u .", "grep -rl ghp_ .", "grep -rn u . src", "rg -uuu u .", "grep -r u ./"],
)
def test_recursive_readers_reach_git_credentials(policy: Policy, ws: Path, command: str) -> None:
    for role in ("viewer", "contributor"):
        verdict, rule = exec_verdict(policy, ws, command, role)
        assert (verdict, rule) == (Verdict.DENY, "exec.secret-file"), (command, role, rule)


@pytest.mark.parametrize(
    "command",
    # (ci/ holds the cookie files: those are secret wherever a walk meets them)
    ["grep -r --exclude-dir=.git --exclude-dir=ci u .", "rg u src", "grep -r u src", "ls -R ."],
)
def test_recursive_reader_controls(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command, "viewer")[0] is Verdict.ALLOW, command


def test_recursive_reader_without_credentials(policy: Policy, tmp_path: Path) -> None:
    clean = scratch_repo(tmp_path / "clean", {"README.md": "r\n", "src/a.py": "a\n"})
    assert exec_verdict(policy, clean, "grep -r u .", "viewer")[0] is Verdict.ALLOW
