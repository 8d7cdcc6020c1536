"""Seventeenth red-team pass (paths, 2026-12-05): what it found and closed.

Class 9/8 (secrets inside the sandbox): the sixteenth pass made a credential-bearing
``.git/config`` a secret for the file tools and for the commands the policy reads, but a
program the policy allowed ran inside bubblewrap and read it there. Shown by effect
(``run_sandboxed`` with the policy's own names, judged on the host): an allowed script's
``cat .git/config`` and git's own ``git config --get-regexp extraheader`` printed a CI token.
Now the sandbox masks every credential-bearing git configuration or store file behind an
empty read-only file, as it masks every other secret.

Class 9 (nested and included git configuration): the sixteenth pass looked at two files.
Shown by effect: a token in a file ``[include]``d by ``.git/config`` (``creds.inc``), in a
submodule's ``.git/modules/lib/config``, in a linked work tree's
``.git/worktrees/w/config.worktree`` and in a ``credential.helper = store --file=store.txt``
file was printed by ``rev``, ``xxd`` and ``cat`` and by the file tool's read. Now every file
git reads as configuration (includes and ``includeIf`` targets, transitively, submodules', work
trees', nested repositories') or as a store helper's credentials is a secret while it holds
one.
``git var -l`` (allowed as read-only git) listed the extraheader and the url's token: it is
now one of git's configuration printers.

Class 9 (credentials in files with no telling name): a PEM private key saved as ``notes.txt``
and an AWS key pair as ``keys.txt`` were redacted by ``cat`` but ``rev``, ``tac`` (END before
BEGIN) and ``xxd -p`` printed them. Now a file whose content holds a credential of an
unmistakable shape is a secret while it does, whatever its name, and the sandbox masks it
(an allowed ``python3 r.py`` printed the key reversed; 17 of 22 sandboxed readers leaked).

Class 8/11 (remove-after options and links): archive tools that remove their inputs (``tar
--remove-files``, ``zip -m``, ``rsync --remove-source-files``, compressors) are checked as
removals and hold (regression cases below); ``ln -s ../a.txt src/l`` (a link inside the
workspace) was denied because the link text was read from the working directory; it is now
read from the link's directory (``ln -sr`` from the working directory).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, ToolRequest, Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.content_secrets import credential_in
from enforcement_agent.policy.git_credentials import credential_files

REPO_ROOT = Path(__file__).resolve().parents[2]
FAST = Limits(wall_seconds=60, cpu_seconds=30, processes=64)
TENANT = "acme-seventeenth"
TOKEN = "ghs_" + "Q7pL" * 9  # 36 characters after the prefix
PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    + "\n".join(["MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAL7x3Kq9Zr2mN8pQ"] * 6)
    + "\n-----END PRIVATE KEY-----\n"
)
AWS = "aws_access_key_id = AKIAQ3EGUWXZ7RLMN4PK\naws_secret_access_key = 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\n"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ7pLmN2aB"


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _git(ws: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "safe.directory=*", *args], cwd=ws, check=True, capture_output=True
    )


def _decide(policy: Policy, ws: Path, **kw: str) -> tuple[Verdict, str]:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", **kw)  # type: ignore[arg-type]
    d = policy.decide(req, ws)
    return d.decision, d.rule


def _leaked(out: str, secret: str) -> bool:
    flat = "".join(out.split())
    forms = (secret, secret[::-1], secret.encode().hex())
    return any(f in out or f in flat for f in forms)


# ---- class 2: nested and included git configuration (the policy) ---------------------------
def _repo(root: Path) -> Path:
    ws = root / "ws"
    ws.mkdir(parents=True)
    _git(ws, "init", "-q", ".")
    (ws / "a.txt").write_text("hello\n")
    return ws


def _with(ws: Path, case: str, cred: bool) -> str:
    """Plant the case's file (holding a credential or not); return the path to read."""
    value = f"https://bob:{TOKEN}@github.com/o/r" if cred else "https://github.com/o/r"
    # (any extraheader counts as a credential: the sixteenth pass's rule)
    header = f"extraheader = AUTHORIZATION: basic {TOKEN}" if cred else "sslVerify = true"
    section = f'[remote "up"]\n\turl = {value}\n'
    cfg = ws / ".git" / "config"

    def add(text: str) -> None:
        with open(cfg, "a", encoding="utf-8") as fh:
            fh.write(text)

    if case == "config":
        add(section)
        return ".git/config"
    if case == "config.worktree":
        (ws / ".git" / "config.worktree").write_text(f"[http]\n\t{header}\n")
        return ".git/config.worktree"
    if case == "worktree":
        (ws / ".git" / "worktrees" / "w").mkdir(parents=True)
        (ws / ".git" / "worktrees" / "w" / "config.worktree").write_text(section)
        return ".git/worktrees/w/config.worktree"
    if case == "module":
        (ws / ".git" / "modules" / "lib").mkdir(parents=True)
        (ws / ".git" / "modules" / "lib" / "config").write_text(section)
        return ".git/modules/lib/config"
    if case == "nested-module":
        d = ws / ".git" / "modules" / "a" / "modules" / "b"
        d.mkdir(parents=True)
        (d / "config").write_text(section)
        return ".git/modules/a/modules/b/config"
    if case == "nested-repo":
        (ws / "vendor" / "lib" / ".git").mkdir(parents=True)
        (ws / "vendor" / "lib" / ".git" / "config").write_text(section)
        return "vendor/lib/.git/config"
    if case == "include":
        add("[include]\n\tpath = ../creds.inc\n")
        (ws / "creds.inc").write_text(section)
        return "creds.inc"
    if case == "include-absolute":
        add(f"[include]\n\tpath = {ws}/etc/git.inc\n")
        (ws / "etc").mkdir()
        (ws / "etc" / "git.inc").write_text(section)
        return "etc/git.inc"
    if case == "include-sandbox-path":
        add("[include]\n\tpath = /workspace/conf/remote.cfg\n")
        (ws / "conf").mkdir()
        (ws / "conf" / "remote.cfg").write_text(section)
        return "conf/remote.cfg"
    if case == "include-home":
        add("[include]\n\tpath = ~/.gitconfig.local\n")
        (ws / ".gitconfig.local").write_text(section)
        return ".gitconfig.local"
    if case == "includeif":
        add('[includeIf "gitdir:~/work/"]\n\tpath = ../work.inc\n')
        (ws / "work.inc").write_text(f"[http]\n\t{header}\n")
        return "work.inc"
    if case == "includeif-onbranch":
        add('[includeIf "onbranch:main"]\n\tpath = ../branch.inc\n')
        (ws / "branch.inc").write_text(section)
        return "branch.inc"
    if case == "include-chain":
        add("[include]\n\tpath = ../one.inc\n")
        (ws / "one.inc").write_text("[include]\n\tpath = two.inc\n")
        (ws / "two.inc").write_text(section)
        return "two.inc"
    if case == "include-quoted":
        add('[include]\n\tpath = "../quoted name.inc" ; a comment\n')
        (ws / "quoted name.inc").write_text(section)
        return "quoted name.inc"
    if case == "include-continued":
        add("[include]\n\tpath = ../cont\\\n.inc\n")
        (ws / "cont.inc").write_text(section)
        return "cont.inc"
    if case == "include-from-module":
        (ws / ".git" / "modules" / "m").mkdir(parents=True)
        (ws / ".git" / "modules" / "m" / "config").write_text("[include]\n\tpath = m.inc\n")
        (ws / ".git" / "modules" / "m" / "m.inc").write_text(section)
        return ".git/modules/m/m.inc"
    if case == "store-file-eq":
        add("[credential]\n\thelper = store --file=store.txt\n")
        (ws / "store.txt").write_text(value + "\n")
        return "store.txt"
    if case == "store-file-space":
        add('[credential]\n\thelper = "store --file creds/git.txt"\n')
        (ws / "creds").mkdir()
        (ws / "creds" / "git.txt").write_text(value + "\n")
        return "creds/git.txt"
    if case == "store-url-scoped":
        add('[credential "https://github.com"]\n\thelper = store --file=gh.store\n')
        (ws / "gh.store").write_text(value + "\n")
        return "gh.store"
    if case == "store-default-xdg":
        add("[credential]\n\thelper = store\n")
        (ws / ".config" / "git").mkdir(parents=True)
        (ws / ".config" / "git" / "credentials").write_text(value + "\n")
        return ".config/git/credentials"
    if case == "store-full-name":
        add("[credential]\n\thelper = /usr/lib/git-core/git-credential-store --file=x.db\n")
        (ws / "x.db").write_text(value + "\n")
        return "x.db"
    raise AssertionError(case)


NESTED = [
    "config", "config.worktree", "worktree", "module", "nested-module", "nested-repo",
    "include", "include-absolute", "include-sandbox-path", "include-home", "includeif",
    "includeif-onbranch", "include-chain", "include-quoted", "include-continued",
    "include-from-module", "store-file-eq", "store-file-space", "store-url-scoped",
    "store-default-xdg", "store-full-name",
]  # fmt: skip
READERS = ["rev {p}", "cat {p}", "xxd -p {p}", "base64 {p}", "tac {p}", "rev < {p}"]


def test_at_least_twenty_nested_cases() -> None:
    assert len(NESTED) >= 20


@pytest.mark.parametrize("case", NESTED)
def test_a_credential_in_any_config_git_reads_is_a_secret(
    policy: Policy, tmp_path: Path, case: str
) -> None:
    ws = _repo(tmp_path)
    rel = _with(ws, case, cred=True)
    assert rel.lower() in {r.lower() for r in credential_files(str(ws))} or case == "nested-repo"
    assert _decide(policy, ws, tool="read", path=rel) == (Verdict.DENY, "file.secrets")
    quoted = f"'{rel}'"
    for reader in READERS:
        verdict, rule = _decide(policy, ws, tool="exec", command=reader.format(p=quoted))
        assert verdict is Verdict.DENY, (reader, rule)


@pytest.mark.parametrize("case", NESTED)
def test_the_same_config_without_a_credential_stays_readable(
    policy: Policy, tmp_path: Path, case: str
) -> None:
    ws = _repo(tmp_path)
    rel = _with(ws, case, cred=False)
    if case == "store-default-xdg":
        return  # `.config/git/credentials` is on files.secrets by its name
    assert _decide(policy, ws, tool="read", path=rel)[0] is Verdict.ALLOW
    assert _decide(policy, ws, tool="exec", command=f"cat '{rel}'")[0] is Verdict.ALLOW
    assert _decide(policy, ws, tool="exec", command="rev a.txt")[0] is Verdict.ALLOW


def test_a_credential_config_stops_being_secret_once_the_credential_is_gone(
    policy: Policy, tmp_path: Path
) -> None:
    ws = _repo(tmp_path)
    rel = _with(ws, "include", cred=True)
    assert _decide(policy, ws, tool="exec", command=f"rev {rel}")[0] is Verdict.DENY
    (ws / rel).write_text('[remote "up"]\n\turl = https://github.com/o/r\n# edited\n')
    assert _decide(policy, ws, tool="exec", command=f"rev {rel}")[0] is Verdict.ALLOW


# ---- class 1: the sandbox masks them ---------------------------------------------------------
@pytest.fixture(scope="module")
def cred_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = _repo(tmp_path_factory.mktemp("seventeenth-sandbox"))
    for case in ("config", "config.worktree", "worktree", "module", "include", "store-file-eq"):
        _with(ws, case, cred=True)
    with open(ws / ".git" / "config", "a", encoding="utf-8") as fh:
        fh.write(f'[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic {TOKEN}\n')
    _git(
        ws, "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "x"
    )
    return ws


def _sandboxed(policy: Policy, ws: Path, script: str) -> tuple[str, object]:
    from enforcement_agent.agent import sandbox_names
    from enforcement_agent.sandbox import run_sandboxed

    cfg = policy.compiled.exec  # type: ignore[attr-defined]
    r = run_sandboxed(
        ["/bin/sh", "-c", script], ws, FAST, tenant=TENANT, names=sandbox_names(cfg, ws)
    )
    return r.output.decode("utf-8", "replace"), r


SANDBOX_READS = [
    "cat .git/config",
    "cat .git/config.worktree",
    "cat .git/worktrees/w/config.worktree",
    "cat .git/modules/lib/config",
    "cat creds.inc",
    "cat store.txt",
    "rev .git/config",
    "xxd -p .git/config",
    "od -c creds.inc",
    "base64 store.txt",
    "python3 -c \"print(open('.git/config').read()[::-1])\"",
    "python3 -c \"import pathlib; print(pathlib.Path('creds.inc').read_text())\"",
    "git config --get-regexp 'extraheader|url'",
    "git config --list --show-origin",
    "git config --file .git/config --list",
    "git remote -v",
    "git remote get-url up",
    "git ls-remote --get-url up",
    "printf 'protocol=https\\nhost=github.com\\n\\n' | git credential fill",
    "git -c credential.helper='store --file=store.txt' credential fill </dev/null",
    "dd if=.git/config 2>/dev/null",
    "cp .git/config /tmp/c && cat /tmp/c",
    "tar -cf - .git/config creds.inc store.txt 2>/dev/null",
    "grep -r ghs_ . 2>/dev/null",
    "sed -n p .git/modules/lib/config",
]


def test_at_least_twenty_sandbox_reads() -> None:
    assert len(SANDBOX_READS) >= 20


@pytest.mark.parametrize("script", SANDBOX_READS)
def test_the_sandbox_hides_credential_bearing_git_config(
    policy: Policy, cred_ws: Path, bwrap: str, script: str
) -> None:
    out, r = _sandboxed(
        policy, cred_ws, f"GIT_TERMINAL_PROMPT=0; export GIT_TERMINAL_PROMPT; {script}"
    )
    assert getattr(r, "layer", "") == "bwrap+seccomp", r
    assert not _leaked(out, TOKEN), out[:2000]
    assert not _leaked(out, TOKEN[4:]), out[:2000]


def test_git_still_works_in_the_sandbox_with_the_config_masked(
    policy: Policy, cred_ws: Path, bwrap: str
) -> None:
    out, _ = _sandboxed(policy, cred_ws, "git log --oneline | wc -l; git status --short; cat a.txt")
    assert out.splitlines()[0].strip() == "1" and "hello" in out, out
    # and the masked file cannot be changed from inside
    before = (cred_ws / ".git" / "config").read_bytes()
    _sandboxed(policy, cred_ws, "git remote add o2 https://example.com/x; echo x >> .git/config")
    assert (cred_ws / ".git" / "config").read_bytes() == before


def test_control_a_config_without_a_credential_is_not_masked(
    policy: Policy, tmp_path: Path, bwrap: str
) -> None:
    ws = _repo(tmp_path)
    _git(ws, "remote", "add", "origin", "https://github.com/o/r")
    (ws / "settings.inc").write_text("[color]\n\tui = auto\n")
    with open(ws / ".git" / "config", "a", encoding="utf-8") as fh:
        fh.write("[include]\n\tpath = ../settings.inc\n")
    out, _ = _sandboxed(
        policy,
        ws,
        "git remote -v; cat settings.inc; git remote add o2 https://example.com/x; git remote",
    )
    assert "https://github.com/o/r (fetch)" in out and "ui = auto" in out, out
    assert "o2" in out.split("ui = auto", 1)[1], out


# ---- class 3: credentials in files with no telling name ------------------------------------
CONTENT_FILES = {
    "notes.txt": PEM,
    "keys.txt": AWS,
    "backup/k": PEM.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
    "docs/setup.md": "Use this:\n\n```\n"
    + PEM.replace("PRIVATE KEY", "OPENSSH PRIVATE KEY")
    + "```\n",
    "tmp.log": f"token={TOKEN}\n",
    "data/out.csv": "id,key\n1,glpat-" + "Ab3dEf6hIj9kLm2nOp5q" + "\n",
    "slack.txt": "xoxb-123456789012-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx" + "\n",
    "pay.cfg": "stripe sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc" + "\n",
    "gcp.txt": "AIza" + "SyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW" + "\n",
    "enc.txt": PEM.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"),
    "pgp.asc.txt": PEM.replace("PRIVATE KEY", "PGP PRIVATE KEY BLOCK").replace(
        "-----\nMII", "-----\nVersion: GnuPG v2\n\nMII", 1
    ),
}
CONTENT_READERS = [
    "rev {p}", "tac {p}", "xxd -p {p}", "od -c {p}", "base64 {p}", "cat {p}", "fold -w8 {p}",
    "cut -c1-20 {p}", "sort {p}", "rev < {p}", "tr a-z n-za-m < {p}", "cp {p} copy.txt",
    "head -c 100 {p}", "sed -n 2p {p}", "nl {p}", "strings {p}", "hexdump -C {p}",
    "cat ./{p}", "rev sub/../{p}", "grep -h . {p}",
]  # fmt: skip


@pytest.fixture(scope="module")
def content_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("seventeenth-content") / "ws"
    ws.mkdir()
    (ws / "sub").mkdir()
    for rel, text in CONTENT_FILES.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
    return ws


def test_at_least_twenty_content_readers() -> None:
    assert len(CONTENT_READERS) >= 20 and len(CONTENT_FILES) >= 10


@pytest.mark.parametrize("rel", sorted(CONTENT_FILES))
def test_a_credential_in_a_generic_file_is_a_secret(
    policy: Policy, content_ws: Path, rel: str
) -> None:
    assert credential_in(str(content_ws / rel)), rel
    assert _decide(policy, content_ws, tool="read", path=rel) == (Verdict.DENY, "file.secrets")
    for reader in CONTENT_READERS:
        verdict, rule = _decide(policy, content_ws, tool="exec", command=reader.format(p=rel))
        assert verdict is Verdict.DENY, (reader, rel, rule)


@pytest.mark.parametrize(
    "command", ["rev *.txt", "rev n*", "xxd -p k?ys.txt", "cat notes.txt | rev", "rev -- keys.txt"]
)
def test_globs_pipes_and_dashes_reach_the_content_check(
    policy: Policy, content_ws: Path, command: str
) -> None:
    assert _decide(policy, content_ws, tool="exec", command=command)[0] is Verdict.DENY


CLEAN_FILES = {
    "example.md": "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    "parser.py": 'MARKER = "-----BEGIN PRIVATE KEY-----"\nEND = "-----END PRIVATE KEY-----"\n',
    "public.txt": PEM.replace("PRIVATE KEY", "PUBLIC KEY"),
    "cert.txt": PEM.replace("PRIVATE KEY", "CERTIFICATE"),
    "shas.txt": "AKIAQ3EGUWXZ7RLMN4PK\n" + "0123456789abcdef0123456789abcdef01234567\n",
    "prose.txt": "the ghp_ prefix marks a GitHub token; ghp_short is not one\n",
    "placeholder.env.txt": "GITHUB_TOKEN=ghp_" + "x" * 36 + "\n",
    "README.md": "# project\n\nRun `make test`.\n",
    "lock.json": '{"integrity": "sha512-' + "A" * 86 + '=="}\n',
}


@pytest.mark.parametrize("rel", sorted(CLEAN_FILES))
def test_control_files_without_a_credential_stay_readable(
    policy: Policy, tmp_path: Path, rel: str
) -> None:
    (tmp_path / rel).write_text(CLEAN_FILES[rel])
    assert credential_in(str(tmp_path / rel)) == "", rel
    assert _decide(policy, tmp_path, tool="read", path=rel)[0] is Verdict.ALLOW
    for reader in ("rev {p}", "cat {p}", "xxd -p {p}"):
        assert _decide(policy, tmp_path, tool="exec", command=reader.format(p=rel))[0] is (
            Verdict.ALLOW
        ), (reader, rel)


def test_removing_or_listing_a_content_secret_stays_allowed(policy: Policy, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text(PEM)
    for command in ("rm notes.txt", "ls -la", "stat notes.txt", "ls notes.txt"):
        assert _decide(policy, tmp_path, tool="exec", command=command)[0] is Verdict.ALLOW, command


def _agent_exec(ws: Path, home: Path, command: str) -> tuple[str, dict[str, object]]:
    argv = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme"]
    argv += ["--role", "contributor", "--workspace", str(ws), "--json", "--", command]
    env = {**os.environ, "GONOGO_HOME": str(home)}
    p = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, timeout=180)
    lines = [ln for ln in p.stderr.decode().splitlines() if ln.startswith("{")]
    return p.stdout.decode("utf-8", "replace"), json.loads(lines[-1]) if lines else {}


@pytest.mark.parametrize("command", ["rev keys.txt", "xxd -p keys.txt", "tac notes.txt"])
def test_end_to_end_the_transformed_key_never_reaches_the_agent(
    tmp_path: Path, bwrap: str, command: str
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "keys.txt").write_text(AWS)
    (ws / "notes.txt").write_text(PEM)
    out, summary = _agent_exec(ws, tmp_path / "home", command)
    assert summary.get("decision") == "deny", summary
    assert not _leaked(out, AWS_SECRET) and "MIICdgIBADAN"[::-1] not in out, out


def test_end_to_end_control_cat_of_a_clean_file(tmp_path: Path, bwrap: str) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "notes.txt").write_text("shopping list\n")
    out, summary = _agent_exec(ws, tmp_path / "home", "rev notes.txt")
    assert summary.get("decision") == "allow" and "tsil gnippohs" in out, (summary, out)


# ---- class 4: remove-after options and links --------------------------------------------------
@pytest.fixture(scope="module")
def lws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("seventeenth-links") / "ws"
    (ws / ".github" / "workflows").mkdir(parents=True)
    (ws / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (ws / "CLAUDE.md").write_text("x")
    (ws / ".env").write_text("K=1")
    (ws / "src").mkdir()
    (ws / "docs").mkdir()
    (ws / "docs" / "x.md").write_text("x")
    (ws / "out").mkdir()
    (ws / "a.txt").write_text("a")
    subprocess.run(["git", "init", "-q", "."], cwd=ws, check=True)
    return ws


REMOVERS = [
    "tar -cf x.tar --remove-files CLAUDE.md",
    "tar -c --remove-files -f x.tar .github/workflows/ci.yml",
    "tar --remove-fi -cf x.tar CLAUDE.md",
    "tar --remove-files -cf x.tar .",
    "tar --remove-files -cf x.tar *",
    "tar --remove-files -cf x.tar -C .github workflows",
    "tar --remove-files --directory=.github -cf x.tar workflows",
    "tar -cf x.tar --remove-files src/../CLAUDE.md",
    "tar -cf x.tar --remove-files .g*",
    "tar -rf x.tar --remove-files CLAUDE.md",
    "tar --create --file=x.tar --remove-files .git/config",
    "tar --remove-files -cf x.tar -T list.txt",
    "tar cf x.tar --remove-files .env",
    "bsdtar --remove-files -cf x.tar CLAUDE.md",
    "zip -m x.zip CLAUDE.md",
    "zip -rm x.zip .github",
    "zip --move x.zip CLAUDE.md",
    "zip -TmX x.zip CLAUDE.md",
    "zip -m x.zip .git/config",
    "rsync --remove-source-files CLAUDE.md out/",
    "rsync -a --remove-source-files .github/ out/",
    "rsync --remove-sent-files CLAUDE.md out/",
    "rsync --remove-source CLAUDE.md out/",
    "rsync -a --remove-source-files . out",
    "rsync --remove-source-files .env out/",
    "mv CLAUDE.md notes.md",
    "mv .github gh",
    "gzip CLAUDE.md",
    "xz .github/workflows/ci.yml",
    "zstd --rm CLAUDE.md",
]
LINKS_DENIED = [
    "ln -sr .github/workflows src/w",
    "ln -sr .env src/e",
    "ln -s --relative CLAUDE.md src/c",
    "ln -s ../CLAUDE.md src/c",
    "ln -s ../../etc/passwd src/p",
    "ln -s ../.env src/e",
    "ln -s ../.github/workflows src/w",
    "ln -s /etc/passwd src/p",
    "ln -s ../a.txt .github/workflows/x",
    "ln -s -t .github ../a.txt",
    "ln -sr ../a.txt src/q",
    "ln -s src/../../x l",
    "ln -s ../../a.txt docs/../src/l",
    "ln -s ../.git/hooks src/h",
    "ln -s ../.. src/up",
    "ln -s ../a.txt src/l2 && cat src/l2",
]
LINKS_ALLOWED = [
    "ln -s ../a.txt src/l",
    "ln --symbolic ../a.txt src/l",
    "ln -sf ../a.txt src/l",
    "ln -sfn ../docs src/d",
    "ln -s ../docs src/d",
    "ln -s -t src ../a.txt",
    "ln -st src ../a.txt",
    "ln -s -- ../a.txt src/l",
    "ln -s ../a.txt ../docs/x.md src/",
    "cd src && ln -s ../a.txt l",
    "ln -sr a.txt src/l",
    "ln -s a.txt l",
    "ln -s x.md docs/y.md",
    "ln -s ../docs/x.md src/x.md",
    "ln -s .. src/root",
    "tar -cf x.tar docs",
    "zip -r x.zip docs",
    "mv docs/x.md docs/y.md",
    "tar --remove-files -cf x.tar docs",
    "zip -m x.zip a.txt",
    "rsync -a --remove-source-files docs/ out/",
]


def test_at_least_twenty_removers_and_links() -> None:
    assert len(REMOVERS) >= 20 and len(LINKS_DENIED) + len(LINKS_ALLOWED) >= 20


@pytest.mark.parametrize("command", REMOVERS + LINKS_DENIED)
def test_removing_or_linking_a_protected_or_secret_path_is_denied(
    policy: Policy, lws: Path, command: str
) -> None:
    assert _decide(policy, lws, tool="exec", command=command)[0] is Verdict.DENY, command


@pytest.mark.parametrize("command", LINKS_ALLOWED)
def test_links_and_archives_inside_the_workspace_are_allowed(
    policy: Policy, lws: Path, command: str
) -> None:
    verdict, rule = _decide(policy, lws, tool="exec", command=command)
    assert verdict is Verdict.ALLOW, (command, rule)


def test_an_allowed_relative_link_stays_inside_by_effect(lws: Path, tmp_path: Path) -> None:
    """What the allowed `ln -s ../a.txt src/l` makes resolves inside the workspace."""
    ws = tmp_path / "ws"
    shutil.copytree(lws, ws, symlinks=True)
    subprocess.run(["ln", "-s", "../a.txt", "src/l"], cwd=ws, check=True)
    assert os.path.realpath(ws / "src" / "l") == str(ws / "a.txt")
    assert (ws / "src" / "l").read_text() == "a"


SANDBOX_CONTENT = [
    "python3 r.py notes.txt",
    "python3 r.py keys.txt",
    "python3 r.py backup/k",
    "python3 r.py docs/setup.md",
    "python3 r.py tmp.log",
    "python3 r.py slack.txt",
    "python3 r.py pay.cfg",
    "python3 r.py gcp.txt",
    "python3 r.py enc.txt",
    "python3 r.py data/out.csv",
    "python3 r.py hard.txt",
    "python3 r.py via-link",
    "rev notes.txt",
    "tac notes.txt",
    "xxd -p keys.txt",
    "od -c keys.txt",
    "base64 keys.txt",
    "cat keys.txt | rev",
    "sort notes.txt",
    "cp notes.txt /tmp/n && rev /tmp/n",
    "tar -cf - . 2>/dev/null | strings",
    "grep -rh . . 2>/dev/null | rev",
]


@pytest.fixture(scope="module")
def sandbox_content_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("seventeenth-sandbox-content") / "ws"
    ws.mkdir()
    for rel, text in CONTENT_FILES.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
    os.link(ws / "keys.txt", ws / "hard.txt")  # another name of the same file
    os.symlink("notes.txt", ws / "via-link")
    (ws / "ok.txt").write_text("shopping list\n")
    (ws / "r.py").write_text(
        "import sys\nfor f in sys.argv[1:]:\n    print(open(f).read()[::-1])\n"
    )
    return ws


def test_at_least_twenty_sandbox_content_reads() -> None:
    assert len(SANDBOX_CONTENT) >= 20


@pytest.mark.parametrize("script", SANDBOX_CONTENT)
def test_the_sandbox_hides_files_whose_content_is_a_credential(
    policy: Policy, sandbox_content_ws: Path, bwrap: str, script: str
) -> None:
    out, r = _sandboxed(policy, sandbox_content_ws, script)
    assert getattr(r, "layer", "") == "bwrap+seccomp", r
    for secret in (AWS_SECRET, "MIICdgIBADANBgkqhkiG9w0B", TOKEN, "AbCdEfGhIjKlMnOpQrStUvWx"):
        assert not _leaked(out, secret), (secret, out[:1500])


def test_control_the_sandbox_still_reads_clean_files(
    policy: Policy, sandbox_content_ws: Path, bwrap: str
) -> None:
    out, _ = _sandboxed(policy, sandbox_content_ws, "python3 r.py ok.txt; cat ok.txt")
    assert "tsil gnippohs" in out and "shopping list" in out, out


GIT_PRINTERS = [
    "git var -l",
    "git -c color.ui=never var -l",
    "git config -l",
    "git config --list --show-origin",
    "git config --includes -l",
    "git config --get remote.up.url",
    "git config get remote.up.url",
    "git config --get-regexp url",
    "git config --file creds.inc -l",
    "git config --file=.git/modules/lib/config --list",
    "git config -f store.txt -l",
    "git --git-dir=.git/modules/lib config -l",
    "git -C .git/modules/lib config -l",
    "git remote -v",
    "git remote get-url up",
    "git remote show up",
    "git ls-remote --get-url up",
    "git submodule foreach git remote -v",
    "cat .git/modules/*/config",
    "cat .git/worktrees/*/config.worktree",
    "grep -r url .git",
    "head -c 400 .git/modules/lib/config",
    "cat .GIT/modules/lib/config",
    "cat .git//modules/lib/../lib/config",
]
GIT_EVERYDAY = [
    "git status",
    "git log --oneline -3",
    "git log --format='%an %s' -3",
    "git var GIT_AUTHOR_IDENT",
    "git config user.name x",
    "git diff",
    "git branch -a",
]


def test_at_least_twenty_git_printers() -> None:
    assert len(GIT_PRINTERS) >= 20


@pytest.fixture(scope="module")
def printers_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = _repo(tmp_path_factory.mktemp("seventeenth-printers"))
    for case in ("worktree", "module", "include", "store-file-eq"):
        _with(ws, case, cred=True)
    return ws


@pytest.mark.parametrize("command", GIT_PRINTERS)
def test_git_and_readers_do_not_print_a_nested_or_included_credential(
    policy: Policy, printers_ws: Path, command: str
) -> None:
    assert _decide(policy, printers_ws, tool="exec", command=command)[0] is Verdict.DENY


@pytest.mark.parametrize("command", GIT_EVERYDAY + ["git var -l", "git config -l", "git remote -v"])
def test_control_git_in_a_repository_without_a_credential(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    ws = _repo(tmp_path)
    _with(ws, "include", cred=False)
    assert _decide(policy, ws, tool="exec", command=command)[0] is Verdict.ALLOW, command


@pytest.mark.parametrize("command", GIT_EVERYDAY)
def test_control_everyday_git_with_a_credential_present(
    policy: Policy, printers_ws: Path, command: str
) -> None:
    assert _decide(policy, printers_ws, tool="exec", command=command)[0] is Verdict.ALLOW, command


def test_git_var_l_prints_configuration_by_effect(tmp_path: Path) -> None:
    """Why `git var -l` is a configuration printer: it lists every value, the url's token too."""
    ws = _repo(tmp_path)
    _with(ws, "config", cred=True)
    out = subprocess.run(
        ["git", "-c", "safe.directory=*", "var", "-l"], cwd=ws, capture_output=True, text=True
    ).stdout
    assert TOKEN in out


SANDBOX_REMOVERS = [
    "tar --remove-files -cf /tmp/x.tar CLAUDE.md .github .env notes.txt creds.inc",
    "zip -qm /tmp/x.zip CLAUDE.md .env notes.txt creds.inc; zip -qrm /tmp/y.zip .github",
    "mkdir -p /tmp/o; rsync -a --remove-source-files CLAUDE.md .env notes.txt creds.inc .github /tmp/o/",
    "mv CLAUDE.md c2; mv .env e2; mv notes.txt n2; mv creds.inc c3; mv .github g2",
    "python3 -c \"import os; [os.remove(p) for p in ('CLAUDE.md', '.env', 'notes.txt', "
    "'creds.inc', '.github/workflows/ci.yml')]\"",
    "gzip CLAUDE.md .env notes.txt creds.inc .github/workflows/ci.yml",
]


@pytest.mark.parametrize("script", SANDBOX_REMOVERS)
def test_removers_inside_the_sandbox_leave_protected_and_secret_files(
    policy: Policy, tmp_path: Path, bwrap: str, script: str
) -> None:
    """What the policy refuses by name, a sandboxed program cannot do either (judged on the
    host): protected files are bound read-only, secrets (by name, git configuration with a
    credential, content) masked read-only."""
    ws = _repo(tmp_path)
    (ws / ".github" / "workflows").mkdir(parents=True)
    files = {
        "CLAUDE.md": "agent rules\n",
        ".env": "K=1\n",
        "notes.txt": PEM,
        "creds.inc": f'[remote "u"]\n\turl = https://bob:{TOKEN}@github.com/o/r\n',
        ".github/workflows/ci.yml": "on: push\n",
    }
    for rel, text in files.items():
        (ws / rel).write_text(text)
    with open(ws / ".git" / "config", "a", encoding="utf-8") as fh:
        fh.write("[include]\n\tpath = ../creds.inc\n")
    _sandboxed(policy, ws, script)
    assert {rel: (ws / rel).read_text() for rel in files} == files
