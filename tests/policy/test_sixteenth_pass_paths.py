"""Sixteenth red-team pass (paths, 2026-12-04): what it found and closed.

Class 11 (protected paths): Python bytecode is code that runs and that no diff shows.
CPython imports ``__pycache__/NAME.TAG.pyc`` instead of ``NAME.py`` when the header's
recorded source mtime and size match (the default, unchecked invalidation), and a bare
``NAME.pyc`` when no ``NAME.py`` exists; both are git-ignored almost everywhere. Shown by
effect: an allowed, sandboxed ``python3 gen.py`` (contributor) wrote
``src/__pycache__/app.cpython-311.pyc`` with the header of the reviewed ``src/app.py``; the
host's next ``import app`` printed the hidden code's line while ``src/app.py`` and ``git
status`` were unchanged. The file tool's write of a ``.pyc`` and ``cp``/``mv``/``ln``/``tar
-x`` into ``__pycache__`` were allowed too.

Class 9 (secrets read through exec): key and credential files that tools write under
documented names were not on ``files.secrets``, so every transforming reader was allowed and
the redactor, which knows a secret's shape but not its reversal, let it through. Shown by
effect through ``gonogo agent exec`` in bubblewrap: ``rev AuthKey_X.p8`` printed an App Store
Connect private key reversed, ``sed -n 2p AuthKey_X.p8 | fold -w8`` its body in pieces, ``xxd
-p terraform.tfvars`` an AWS secret key in hex and ``rev terraform.tfvars`` a database
password reversed (``cat`` of the same files was redacted). Now the list names them
(``*.p8``, ``*.pk8``, ``*.snk``, ``*.pvk``, ``*.ovpn``, ``*.tfvars``, ``*.tfvars.json``,
``gha-creds-*.json``, ``*-adminsdk-*.json``, ``application_default_credentials.json``,
``keystore.properties``, ``*_rsa``/``*_dsa``/``*_ecdsa``/``*_ed25519``, ``ssh_host_*_key``,
``secring.*``, ``*.kdb``, ``rclone.conf``, ``pgpass.conf``): the file tools and every command
are refused, and the sandbox hides them behind empty files.

Class 11: ``files.compiled`` (``**/*.pyc``, ``**/*.pyo``, ``**/__pycache__/**``) denies writes by
the file tools (``file.compiled``) and by commands (``exec.protected-path``); removals stay
allowed. The sandbox's walks note every bytecode file outside vendor directories (inode and
change time) and the end of a run removes what is new or changed; bytecode that was there
before the run stays.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, ToolRequest, Verdict
from enforcement_agent.policy import Policy

FAST = Limits(wall_seconds=60, cpu_seconds=30, processes=64)
TENANT = "acme-sixteenth"
TAG = sys.implementation.cache_tag


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def pws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("sixteenth") / "ws"
    (ws / "src" / "__pycache__").mkdir(parents=True)
    (ws / "pkg").mkdir()
    (ws / "src" / "app.py").write_text("print('clean')\n")
    (ws / "src" / "__pycache__" / f"app.{TAG}.pyc").write_bytes(b"old")
    (ws / "x.bin").write_bytes(b"x")
    (ws / "evil.tar").write_bytes(b"")
    return ws


def _decide(policy: Policy, ws: Path, **kw: str) -> tuple[Verdict, str]:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", **kw)  # type: ignore[arg-type]
    d = policy.decide(req, ws)
    return d.decision, d.rule


# ---- the file tools ------------------------------------------------------------------------
FILE_WRITES = [
    f"src/__pycache__/app.{TAG}.pyc",
    f"src/__pycache__/new.{TAG}.pyc",
    "src/__pycache__/app.cpython-312.pyc",
    "src/__pycache__/app.cpython-311.opt-1.pyc",
    "src/__pycache__/app.cpython-311.opt-2.pyc",
    "src/__pycache__/anything",
    "src/__PYCACHE__/app.cpython-311.pyc",
    "src/__pycache__/APP.CPYTHON-311.PYC",
    "src/app.pyc",
    "src/APP.PYC",
    "helper.pyc",
    "pkg/sub/deep/mod.pyc",
    "pkg/__pycache__/__init__.cpython-311.pyc",
    "tests/__pycache__/conftest.cpython-311-pytest-8.3.2.pyc",
    "src/legacy.pyo",
    "./src/__pycache__/x.pyc",
    "src/../src/__pycache__/x.pyc",
    "src//__pycache__//x.pyc",
    "docs/../helper.pyc",
    "a/b/c/d/e/__pycache__/m.cpython-311.pyc",
    "src/__pycache__/.hidden.pyc",
    "src/__pycache__/sub/x",
]


@pytest.mark.parametrize("path", FILE_WRITES)
def test_file_tool_writes_of_bytecode_are_denied(policy: Policy, pws: Path, path: str) -> None:
    assert _decide(policy, pws, tool="write", path=path, content="x") == (
        Verdict.DENY,
        "file.compiled",
    )


# ---- commands ------------------------------------------------------------------------------
EXEC_WRITES = [
    f"echo x > src/__pycache__/app.{TAG}.pyc",
    f"echo x >> src/__pycache__/app.{TAG}.pyc",
    "cp x.bin src/__pycache__/app.cpython-311.pyc",
    "cp x.bin src/app.pyc",
    "cp -f x.bin pkg/mod.pyc",
    "mv x.bin src/__pycache__/app.cpython-311.pyc",
    "mv x.bin src/APP.PYC",
    "mkdir -p src/__pycache__ && mv x.bin src/__pycache__/app.cpython-311.pyc",
    "ln -s ../x.bin src/__pycache__/app.cpython-311.pyc",
    "ln x.bin src/app.pyc",
    "ln -sf /tmp/x src/app.pyc",
    "tee src/__PYCACHE__/a.pyc < x.bin",
    "install -m644 x.bin src/__pycache__/a.cpython-311.pyc",
    "dd if=x.bin of=src/__pycache__/a.cpython-311.pyc",
    "tar -xf evil.tar src/__pycache__/app.cpython-311.pyc",
    "unzip -o evil.zip src/__pycache__/app.cpython-311.pyc",
    "cat x.bin > src/app.pyc",
    "printf x > pkg/__pycache__/m.cpython-311.pyc",
    "truncate -s 0 src/__pycache__/app.cpython-311.pyc",
    "sed -i s/a/b/ src/__pycache__/app.cpython-311.pyc",
    "cp x.bin ./src/../src/__pycache__/app.cpython-311.pyc",
    "cd src && cp ../x.bin __pycache__/app.cpython-311.pyc",
    "cd src/__pycache__ && echo x > app.cpython-311.pyc",
    "rsync x.bin src/__pycache__/app.cpython-311.pyc",
]


@pytest.mark.parametrize("command", EXEC_WRITES)
def test_command_writes_of_bytecode_are_not_allowed(
    policy: Policy, pws: Path, command: str
) -> None:
    verdict, rule = _decide(policy, pws, tool="exec", command=command)
    assert verdict is not Verdict.ALLOW, (command, rule)


def test_the_reason_names_bytecode(policy: Policy, pws: Path) -> None:
    req = ToolRequest(
        tenant="acme", actor="a", role="contributor", tool="exec", command="cp x.bin src/a.pyc"
    )
    d = policy.decide(req, pws)
    assert d.rule == "exec.protected-path" and "bytecode" in d.reason


# ---- controls: everyday work with bytecode and sources stays allowed -----------------------
ALLOWED_EXEC = [
    "rm -rf src/__pycache__",
    f"rm src/__pycache__/app.{TAG}.pyc",
    "find . -name __pycache__ -exec rm -rf {} +",
    "find . -name '__pycache__' -type d -prune -exec rm -rf {} +",
    "find . -name '*.pyc' -delete",
    "ls src/__pycache__",
    f"cat src/__pycache__/app.{TAG}.pyc",
    "python3 -m compileall src",
    "python3 -m py_compile src/app.py",
    "pytest -q",
    "echo x > src/app.py",
    "cp src/app.py src/app2.py",
    "tar -cf out.tar --exclude='*.pyc' src",
]


@pytest.mark.parametrize("command", ALLOWED_EXEC)
def test_everyday_commands_stay_allowed(policy: Policy, pws: Path, command: str) -> None:
    assert _decide(policy, pws, tool="exec", command=command)[0] is Verdict.ALLOW, command


ALLOWED_WRITES = ["src/app.py", "src/pyc.py", "docs/pycache.md", "src/x.pyc.txt", "pyc/a.py"]


@pytest.mark.parametrize("path", ALLOWED_WRITES)
def test_writes_of_sources_stay_allowed(policy: Policy, pws: Path, path: str) -> None:
    assert _decide(policy, pws, tool="write", path=path, content="x")[0] is Verdict.ALLOW


def test_reading_bytecode_stays_allowed(policy: Policy, pws: Path) -> None:
    assert _decide(policy, pws, tool="read", path=f"src/__pycache__/app.{TAG}.pyc")[0] is (
        Verdict.ALLOW
    )


# ---- by effect, in real bubblewrap ---------------------------------------------------------
# The sandbox points PYTHONPYCACHEPREFIX at its /tmp; an attacker names the path beside the
# source all the same (cache_from_source without the prefix).
_GEN = """\
import importlib.util, marshal, os, sys
sys.pycache_prefix = None
st = os.stat("src/app.py")
hdr = (importlib.util.MAGIC_NUMBER + (0).to_bytes(4, "little")
       + (int(st.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little")
       + (st.st_size & 0xFFFFFFFF).to_bytes(4, "little"))
def pyc(text):
    return hdr + marshal.dumps(compile(text, "x", "exec"))
{body}
"""

# Each: Python run inside the sandbox that leaves bytecode the host would import.
ATTEMPTS: dict[str, str] = {
    "cache_beside_source": (
        "p = importlib.util.cache_from_source('src/app.py')\n"
        "os.makedirs(os.path.dirname(p), exist_ok=True)\n"
        "open(p, 'wb').write(pyc('print(\"HIDDEN\")'))"
    ),
    "overwrite_existing_cache": (
        "p = importlib.util.cache_from_source('src/app.py')\n"
        "open(p, 'wb').write(pyc('print(\"HIDDEN\")'))"
    ),
    "bare_pyc": "open('src/helper.pyc', 'wb').write(pyc('print(\"HIDDEN\")'))",
    "renamed_into_place": (
        "open('src/tmp.bin', 'wb').write(pyc('print(\"HIDDEN\")'))\n"
        "os.rename('src/tmp.bin', importlib.util.cache_from_source('src/app.py'))"
    ),
    "directory_renamed_into_place": (
        "os.makedirs('stage/__pycache__')\n"
        "open('stage/__pycache__/m.{tag}.pyc', 'wb').write(pyc('print(\"HIDDEN\")'))\n"
        "os.rename('stage', 'pkg2')"
    ),
    "hard_link_into_place": (
        "open('src/tmp.bin', 'wb').write(pyc('print(\"HIDDEN\")'))\n"
        "os.link('src/tmp.bin', 'src/other.pyc')"
    ),
    "symlink_into_place": (
        "open('src/tmp.bin', 'wb').write(pyc('print(\"HIDDEN\")'))\n"
        "os.symlink('tmp.bin', 'src/linked.pyc')"
    ),
    "pycache_linked_into_a_vendor_directory": (
        "os.makedirs('node_modules/x')\n"
        "p = importlib.util.cache_from_source('src/app.py')\n"
        "import shutil; shutil.rmtree(os.path.dirname(p))\n"
        "open('node_modules/x/' + os.path.basename(p), 'wb').write(pyc('print(\"HIDDEN\")'))\n"
        "os.symlink('../node_modules/x', os.path.dirname(p))"
    ),
    "mtime_set_back": (
        "p = importlib.util.cache_from_source('src/app.py')\n"
        "st0 = os.stat(p)\n"
        "open(p, 'wb').write(pyc('print(\"HIDDEN\")'))\n"
        "os.utime(p, ns=(st0.st_atime_ns, st0.st_mtime_ns))"
    ),
}


def _new_or_changed(ws: Path, before: dict[str, tuple[int, bytes]]) -> list[str]:
    """Bytecode entries that were not there, or whose inode or bytes differ (the change time
    moves when the first run hands the workspace to its tenant, so it is not compared)."""
    now = _bytecode(ws)
    # a vendor directory's own files are not imported in place of the workspace's sources
    # (what would lead there, a `__pycache__` link, is checked as a bytecode entry itself)
    return sorted(
        r for r, v in now.items() if before.get(r) != v and not r.startswith("node_modules/")
    )


def _bytecode(ws: Path) -> dict[str, tuple[int, bytes]]:
    out = {}
    for p in ws.rglob("*"):
        rel = str(p.relative_to(ws))
        if p.is_dir() and not p.is_symlink():
            continue  # an empty `__pycache__` serves nothing
        if p.name.endswith(".pyc") or "__pycache__" in rel.split("/"):
            st = os.lstat(p)
            data = p.read_bytes() if p.is_file() and not p.is_symlink() else b""
            out[rel] = (st.st_ino, data)
    return out


def _workspace(tmp_path: Path) -> Path:
    host = tmp_path / "host"
    host.mkdir(mode=0o700, parents=True, exist_ok=True)
    ws = host / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "src" / "app.py").write_text("print('clean')\n")
    # bytecode the host wrote before the run (a human's pytest): it stays
    subprocess.run([sys.executable, "-m", "py_compile", "src/app.py"], cwd=ws, check=True)
    return ws


def _host_import(ws: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-B", "-c", "import sys; sys.path.insert(0, 'src'); import app"],
        cwd=ws,
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout


@pytest.fixture(scope="module")
def names(policy: Policy) -> Callable[[Path], object]:
    from enforcement_agent.agent import sandbox_names

    cfg = policy.compiled.exec
    return lambda ws: sandbox_names(cfg, ws)


@pytest.mark.sandbox
@pytest.mark.parametrize("case", sorted(ATTEMPTS))
def test_sandbox_removes_bytecode_a_run_wrote(
    bwrap: str, tmp_path: Path, names: Callable[[Path], object], case: str
) -> None:
    from enforcement_agent.sandbox import LAYER_BWRAP_SECCOMP, run_sandboxed

    ws = _workspace(tmp_path)
    script = _GEN.format(body=ATTEMPTS[case].replace("{tag}", TAG))
    (ws / "gen.py").write_text(script)
    before = _bytecode(ws)
    r = run_sandboxed(
        ["python3", "gen.py"],
        ws,
        FAST,
        tenant=TENANT,
        names=names(ws),  # type: ignore[arg-type]
    )
    assert r.layer == LAYER_BWRAP_SECCOMP, r
    assert "bytecode" in r.detail, (case, r.detail, r.output)
    assert _new_or_changed(ws, before) == [], (case, r.detail)
    assert _host_import(ws) == "clean\n"
    # Control: the same run without the end step (the sandbox before this pass) leaves it.
    ctl = _workspace(tmp_path / "control")
    (ctl / "gen.py").write_text(script)
    before = _bytecode(ctl)
    r = run_sandboxed(["python3", "gen.py"], ctl, FAST, tenant=TENANT)
    assert r.layer == LAYER_BWRAP_SECCOMP, r
    assert _new_or_changed(ctl, before), case


@pytest.mark.sandbox
def test_the_hidden_code_runs_on_the_host_without_the_fix(bwrap: str, tmp_path: Path) -> None:
    """The finding itself: no names handed over, the planted cache runs on the host import."""
    from enforcement_agent.sandbox import run_sandboxed

    ws = _workspace(tmp_path)
    (ws / "gen.py").write_text(_GEN.format(body=ATTEMPTS["cache_beside_source"]))
    run_sandboxed(["python3", "gen.py"], ws, FAST, tenant=TENANT)
    assert (ws / "src" / "app.py").read_text() == "print('clean')\n"
    assert _host_import(ws) == "HIDDEN\n"


@pytest.mark.sandbox
def test_bytecode_from_before_the_run_stays_and_the_run_succeeds(
    bwrap: str, tmp_path: Path, names: Callable[[Path], object]
) -> None:
    from enforcement_agent.models import Outcome
    from enforcement_agent.sandbox import run_sandboxed

    ws = _workspace(tmp_path)
    before = _bytecode(ws)
    assert before
    r = run_sandboxed(
        ["/bin/sh", "-c", "ls src/__pycache__ && cat src/app.py"],
        ws,
        FAST,
        tenant=TENANT,
        names=names(ws),  # type: ignore[arg-type]
    )
    assert r.outcome is Outcome.SUCCESS and r.detail == "", r
    assert _bytecode(ws) == before


# ---- class 9: credential files by the names their tools give them --------------------------
SECRET_FILES = [
    "AuthKey_ABC123XYZ.p8",
    "ios/AuthKey_9Z8Y7X6W5V.p8",
    "keys/apns.P8",
    "build/target/product/security/platform.pk8",
    "signing/releasekey.pk8",
    "src/MyLib/MyLib.snk",
    "certs/codesign.pvk",
    "vpn/client.ovpn",
    "terraform.tfvars",
    "infra/prod/terraform.tfvars",
    "infra/secrets.auto.tfvars",
    "infra/prod.tfvars.json",
    "gha-creds-1a2b3c4d5e6f7a8b.json",
    "myproj-firebase-adminsdk-ab12c-0123456789.json",
    "config/app-firebase-adminsdk-x1y2z-abcdef0123.json",
    "application_default_credentials.json",
    "android/keystore.properties",
    "deploy/deploy_rsa",
    "keys/github_ed25519",
    "keys/backup_ecdsa",
    "old/legacy_dsa",
    "etc/ssh/ssh_host_ed25519_key",
    "etc/ssh/ssh_host_rsa_key",
    "gnupg-old/secring.gpg",
    "vault/passwords.kdb",
    "backup/rclone.conf",
    "windows/pgpass.conf",
]


@pytest.fixture(scope="module")
def sws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("sixteenth-secrets") / "ws"
    for rel in SECRET_FILES:
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n")
    (ws / "src").mkdir(exist_ok=True)
    (ws / "src" / "app.py").write_text("print(1)\n")
    for rel in CONTROL_FILES:
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text("x\n")
    return ws


@pytest.mark.parametrize("rel", SECRET_FILES)
def test_file_tool_reads_of_credential_files_are_denied(
    policy: Policy, sws: Path, rel: str
) -> None:
    assert _decide(policy, sws, tool="read", path=rel) == (Verdict.DENY, "file.secrets")


TRANSFORMS = [
    "rev {f}",
    "xxd -p {f}",
    "od -c {f}",
    "base64 {f}",
    "sed -n 2p {f} | fold -w8",
    "tr A-Za-z N-ZA-Mn-za-m < {f}",
    "cut -c1-8 {f}",
    "awk '{{print substr($0, 2)}}' {f}",
    "cat {f}",
    "cp {f} src/copy.txt",
]


@pytest.mark.parametrize("rel", SECRET_FILES)
@pytest.mark.parametrize("form", TRANSFORMS)
def test_commands_reading_credential_files_are_denied(
    policy: Policy, sws: Path, rel: str, form: str
) -> None:
    command = form.format(f=rel)
    assert _decide(policy, sws, tool="exec", command=command) == (
        Verdict.DENY,
        "exec.secret-file",
    ), command


# Names that only look like the above stay ordinary files (public keys, templates, sources).
CONTROL_FILES = [
    "keys/deploy_rsa.pub",
    "keys/github_ed25519.pub",
    "terraform.tfvars.example",
    "infra/variables.tf",
    "infra/main.tf",
    "src/crypto_rsa.py",
    "docs/ssh_host_keys.md",
    "src/rsa.go",
    "android/gradle.properties.example",
    "README.md",
]


@pytest.mark.parametrize("rel", CONTROL_FILES)
def test_lookalike_files_stay_readable(policy: Policy, sws: Path, rel: str) -> None:
    assert _decide(policy, sws, tool="read", path=rel)[0] is Verdict.ALLOW
    assert _decide(policy, sws, tool="exec", command=f"cat {rel}")[0] is Verdict.ALLOW


@pytest.mark.sandbox
def test_sandbox_hides_a_listed_credential_file(
    bwrap: str, tmp_path: Path, names: Callable[[Path], object]
) -> None:
    """By effect: a program the policy does not read (``python3 r.py``) sees an empty file;
    the control without the policy's names prints the key reversed."""
    from enforcement_agent.sandbox import run_sandboxed

    def run(with_names: bool) -> str:
        ws = tmp_path / ("on" if with_names else "off") / "host" / "ws"
        (ws / "ios").mkdir(parents=True)
        (ws / "ios" / "AuthKey_ABC123XYZ.p8").write_text("-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n")
        (ws / "r.py").write_text("print(open('ios/AuthKey_ABC123XYZ.p8').read()[::-1])\n")
        kw = {"names": names(ws)} if with_names else {}
        r = run_sandboxed(["python3", "r.py"], ws, FAST, tenant=TENANT, **kw)  # type: ignore[arg-type]
        return r.output.decode() if isinstance(r.output, bytes) else str(r.output)

    assert "AEgAHGIM" not in run(True)
    assert "AEgAHGIM" in run(False)


def test_variation_counts() -> None:
    assert len(FILE_WRITES) >= 20 and len(EXEC_WRITES) >= 20
    assert len(ALLOWED_EXEC) + len(ALLOWED_WRITES) >= 10
    assert len(SECRET_FILES) >= 20 and len(SECRET_FILES) * len(TRANSFORMS) >= 200
    assert len(CONTROL_FILES) >= 10


# `marshal` and `importlib.util` are what gen.py uses inside the sandbox; imported here so a
# Python without them fails at collection, not as a confusing sandbox error.
assert marshal and importlib.util


# ---- class 9: a git configuration that holds a credential ----------------------------------
TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
CONFIG_FORMS = {
    "checkout_extraheader": (
        '[http "https://github.com/"]\n'
        "\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzXzE2QzdlNDJGMjkyYzY5\n"
    ),
    "url_user_token": f'[remote "origin"]\n\turl = https://x-access-token:{TOKEN}@github.com/a/b\n',
    "url_token_as_user": f'[remote "origin"]\n\turl = https://{TOKEN}@github.com/a/b.git\n',
    "insteadof_section": f'[url "https://u:{TOKEN}@github.com/"]\n\tinsteadOf = https://github.com/\n',
    "http_url_password": '[remote "up"]\n\turl = http://deploy:hunter2hunter2@git.internal/x\n',
}
CLEAN_CONFIGS = {
    "https_plain": '[remote "origin"]\n\turl = https://github.com/a/b.git\n',
    "ssh_user": '[remote "origin"]\n\turl = git@github.com:a/b.git\n',
    "ssh_url": '[remote "origin"]\n\turl = ssh://git@github.com/a/b.git\n',
}
CONFIG_READS = [
    "cat .git/config",
    "rev .git/config",
    "xxd .git/config",
    "od -c .git/config",
    "cut -c1-40 .git/config",
    "sed -n p .git/config",
    "grep url .git/config",
    "awk 1 .git/config",
    "base64 .git/config",
    "cat .git/../.git/config",
    "cd .git && cat config",
    "tail -n 3 .git/config",
    "cp .git/config notes.txt",
    "git config --list",
    "git config -l",
    "git config --get remote.origin.url",
    "git config --get-regexp extraheader",
    "git config --get-regexp '.*'",
    "git config get remote.origin.url",
    "git config list",
    "git remote -v",
    "git remote --verbose",
    "git remote get-url origin",
    "git remote show origin",
    "git ls-remote --get-url",
]


def _repo(root: Path, config: str, worktree: bool = False) -> Path:
    ws = root / "ws"
    (ws / ".git").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(ws)], check=True, capture_output=True)
    base = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"
    if worktree:
        (ws / ".git" / "config").write_text(base)
        (ws / ".git" / "config.worktree").write_text(config)
    else:
        (ws / ".git" / "config").write_text(base + config)
    (ws / "README.md").write_text("hi\n")
    return ws


@pytest.mark.parametrize("form", sorted(CONFIG_FORMS))
@pytest.mark.parametrize("command", CONFIG_READS)
def test_commands_printing_a_git_config_with_a_credential_are_denied(
    policy: Policy, tmp_path: Path, form: str, command: str
) -> None:
    ws = _repo(tmp_path, CONFIG_FORMS[form])
    assert _decide(policy, ws, tool="exec", command=command) == (
        Verdict.DENY,
        "exec.secret-file",
    ), (form, command)


@pytest.mark.parametrize("form", sorted(CONFIG_FORMS))
def test_file_tool_read_of_a_git_config_with_a_credential_is_denied(
    policy: Policy, tmp_path: Path, form: str
) -> None:
    ws = _repo(tmp_path, CONFIG_FORMS[form])
    for path in (".git/config", ".git/../.git/config", "./.git/config"):
        assert _decide(policy, ws, tool="read", path=path) == (Verdict.DENY, "file.secrets")


def test_config_worktree_with_a_credential_is_a_secret(policy: Policy, tmp_path: Path) -> None:
    ws = _repo(tmp_path, CONFIG_FORMS["url_user_token"], worktree=True)
    assert _decide(policy, ws, tool="read", path=".git/config.worktree")[0] is Verdict.DENY
    assert _decide(policy, ws, tool="exec", command="rev .git/config.worktree")[0] is (Verdict.DENY)
    assert _decide(policy, ws, tool="read", path=".git/config")[0] is Verdict.ALLOW


# Controls: without a credential the same reads stay as they were (allowed), and with one,
# everyday git work that does not print the configuration stays allowed.
CLEAN_ALLOWED = [
    "cat .git/config",
    "rev .git/config",
    "grep url .git/config",
    "git config --list",
    "git config --get-regexp '.*'",
    "git remote -v",
    "git remote get-url origin",
    "git remote show origin",
]


@pytest.mark.parametrize("form", sorted(CLEAN_CONFIGS))
@pytest.mark.parametrize("command", CLEAN_ALLOWED)
def test_a_git_config_without_a_credential_stays_readable(
    policy: Policy, tmp_path: Path, form: str, command: str
) -> None:
    ws = _repo(tmp_path, CLEAN_CONFIGS[form])
    assert _decide(policy, ws, tool="exec", command=command)[0] is Verdict.ALLOW, command
    assert _decide(policy, ws, tool="read", path=".git/config")[0] is Verdict.ALLOW


GIT_WORK = [
    "git status",
    "git log --oneline",
    "git diff",
    "git add README.md",
    "git config user.name x",
    "git config --unset user.name",
    "git remote add up https://github.com/x/y",
    "git branch -a",
    "cat README.md",
    "ls .git",
]


@pytest.mark.parametrize("command", GIT_WORK)
def test_everyday_git_work_with_a_credential_in_the_config_stays_allowed(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    ws = _repo(tmp_path, CONFIG_FORMS["checkout_extraheader"])
    assert _decide(policy, ws, tool="exec", command=command)[0] is Verdict.ALLOW, command


def test_config_variation_counts() -> None:
    assert len(CONFIG_READS) * len(CONFIG_FORMS) >= 100 and len(CONFIG_READS) >= 20
    assert len(CLEAN_ALLOWED) * len(CLEAN_CONFIGS) + len(GIT_WORK) >= 20
