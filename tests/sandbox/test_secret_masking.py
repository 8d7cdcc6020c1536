"""Programs the agent runs cannot read the workspace's secret files (issue 10, class 9; fourth
red-team pass).

The policy denies commands that read a file the file tools treat as secret (``files.secrets``),
but it sees only ``python3 x.py``, not what x.py opens, and a script can print a secret
transformed (reversed, base64, hex) past the output redactor. Inside the sandbox every
secret file, at any depth, is hidden behind an empty read-only file (a secret directory behind
an empty one), and so are the secret's other hard links and the target of a secret name that
is a link. Each attempt runs for real in bubblewrap; success means the canary appears in no
form in the output nor in any file the attempt left in the workspace. The control runs the
same attempts without the policy's names and shows that they read the canary.
"""

from __future__ import annotations

import base64
import codecs
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import ExecResult, run_sandboxed
from tests.sandbox.conftest import run_attempt

pytestmark = pytest.mark.sandbox

LIMITS = Limits(wall_seconds=60, cpu_seconds=20, processes=64)
TENANT = "rt4-secrets"
CANARY = "s3cr3t-CANARY-7f1e9a"

# (file written with the canary, attempt). Each attempt prints what it read.
ATTEMPTS: dict[str, str] = {
    "dotenv_reversed": "print(open('.env').read()[::-1])",
    "nested_env_base64": (
        "print(base64.b64encode(open('config/prod.env', 'rb').read().split(b'=')[1].strip()))"
    ),
    "id_rsa_hex": "print(open('keys/id_rsa', 'rb').read().hex())",
    "deep_env_local_rot13": "print(codecs.encode(open('deep/a/b/.env.local').read(), 'rot13'))",
    "aws_dir": "print(open('.aws/credentials').read())",
    "aws_dir_listing": "print(os.listdir('.aws'))",
    "pem": "print(open('certs/server.pem').read())",
    "host_hard_link": "print(open('notes/hl.txt').read())",
    "symlink_to_secret": "print(open('link-to-env').read())",
    "secret_name_is_a_link": "print(open('plain/settings.txt').read())",
    "secret_through_its_link_name": "print(open('secretlink/.env').read())",
    "hard_link_made_inside": "os.link('.env', 'x.txt')\nprint(open('x.txt').read())",
    "proc_self_fd": (
        "fd = os.open('.', os.O_RDONLY)\nprint(open(f'/proc/self/fd/{fd}/.env').read())"
    ),
    "openat": (
        "fd = os.open('config', os.O_RDONLY)\n"
        "print(os.read(os.open('prod.env', os.O_RDONLY, dir_fd=fd), 4096))"
    ),
    "walk_everything": (
        "for d, _, fs in os.walk('.'):\n"
        "    for f in fs:\n"
        "        try:\n"
        "            t = open(os.path.join(d, f), 'rb').read()\n"
        "        except OSError:\n"
        "            continue\n"
        "        if b'CANARY' in t: print(f, t)"
    ),
    "subprocess_rev": "print(subprocess.run(['rev', '.env'], capture_output=True).stdout)",
    "mmap": (
        "import mmap\nf = open('.env', 'rb')\n"
        "print(mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)[:])"
    ),
    "copy_then_read": "shutil.copy('.env', 'copy.txt')\nprint(open('copy.txt').read())",
    "tar_the_workspace": (
        "import tarfile\nt = tarfile.open('/tmp/all.tar', 'w')\nt.add('.')\nt.close()\n"
        "print(open('/tmp/all.tar', 'rb').read().count(b'CANARY'), 'CANARY' in "
        "open('/tmp/all.tar', 'rb').read().decode('latin-1'))\n"
        "import sys; sys.stdout.write(open('/tmp/all.tar', 'rb').read().decode('latin-1'))"
    ),
    "rename_away_then_read": "os.rename('.env', 'moved')\nprint(open('moved').read())",
    "dotdot": "print(open('config/../.env').read())",
    "absolute": "print(open('/workspace/config/prod.env').read())",
    "upper_case_name": "print(open('.ENV').read())",
    "ssh_dir_key": "print(open('home/.ssh/id_ed25519').read())",
    "copy_file_range": (
        "a = os.open('.env', os.O_RDONLY)\nb = os.open('out.bin', os.O_WRONLY | os.O_CREAT)\n"
        "os.copy_file_range(a, b, 4096)\nprint(open('out.bin').read())"
    ),
    "sendfile": (
        "import sys\na = os.open('keys/id_rsa', os.O_RDONLY)\n"
        "sys.stdout.flush(); os.sendfile(1, a, 0, 4096)"
    ),
    "overwrite_secret": "open('.env', 'w').write('X=1')",
    "hard_link_of_nested_secret": "print(open('deep/twin.txt').read())",
    "symlink_to_secret_dir": "os.symlink('.aws', 'awslink')\nprint(open('awslink/credentials').read())",
    "proc_self_root": "print(open('/proc/self/root/workspace/.env').read())",
    "o_path_then_proc": (
        "fd = os.open('.env', os.O_PATH)\nprint(open(f'/proc/self/fd/{fd}').read())"
    ),
    "umount_the_mask": (
        "subprocess.run(['umount', '-l', '.env'], capture_output=True)\nprint(open('.env').read())"
    ),
}

SECRETS = {
    ".env": f"TOKEN={CANARY}\n",
    ".ENV": f"UPPER={CANARY}\n",
    "config/prod.env": f"DB_PASSWORD={CANARY}\n",
    "keys/id_rsa": f"-----BEGIN OPENSSH PRIVATE KEY-----\n{CANARY}\n",
    "deep/a/b/.env.local": f"API={CANARY}\n",
    ".aws/credentials": f"aws_secret_access_key={CANARY}\n",
    "certs/server.pem": f"-----BEGIN PRIVATE KEY-----\n{CANARY}\n",
    "home/.ssh/id_ed25519": f"{CANARY}\n",
    "plain/settings.txt": f"LINKED={CANARY}\n",
}


def _forms(text: str) -> list[str]:
    raw = text.encode()
    return [
        text,
        text[::-1],
        base64.b64encode(raw).decode(),
        raw.hex(),
        codecs.encode(text, "rot13"),
    ]


def _leaked(text: str) -> bool:
    return any(form in text for form in _forms(CANARY))


def _workspace(root: Path) -> Path:
    ws = root / "ws"
    for rel, text in SECRETS.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
    (ws / "notes").mkdir()
    os.link(ws / ".env", ws / "notes" / "hl.txt")  # made on the host, before the run
    os.link(ws / "deep" / "a" / "b" / ".env.local", ws / "deep" / "twin.txt")
    (ws / "link-to-env").symlink_to(".env")
    (ws / "secretlink").mkdir()
    (ws / "secretlink" / ".env").symlink_to("../plain/settings.txt")
    (ws / "README.md").write_text("readable\n")
    for p in [ws, *ws.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o777 if p.is_dir() else 0o666)
    return ws


def _attempt(ws: Path, code: str, names: object | None) -> tuple[str, Outcome]:
    r = run_attempt(ws, code, names, after="pass", tenant=TENANT)
    assert isinstance(r, ExecResult)
    return r.output.decode("utf-8", "replace"), r.outcome


def _left_in_workspace(ws: Path) -> list[str]:
    """Files the attempt left (not the secrets themselves or their links) holding the canary."""
    skip = {str(ws / rel) for rel in SECRETS} | {
        str(ws / "notes" / "hl.txt"),
        str(ws / "deep" / "twin.txt"),
    }
    out = []
    for p in ws.rglob("*"):
        if p.is_symlink() or not p.is_file() or str(p) in skip:
            continue
        if _leaked(p.read_text(errors="replace")):
            out.append(str(p.relative_to(ws)))
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _workspace(tmp_path_factory.mktemp("secrets-template"))


def _fresh(template: Path, tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    ws = tmp_path / "ws"
    subprocess.run(["cp", "-a", str(template), str(ws)], check=True)
    return ws


def test_control_without_the_policy_names_the_secrets_are_read(
    template: Path, tmp_path: Path, bwrap: str
) -> None:
    leaked = []
    for name, code in ATTEMPTS.items():
        ws = _fresh(template, tmp_path / name)
        out, _ = _attempt(ws, code, None)
        if (
            _leaked(out)
            or _left_in_workspace(ws)
            or name == "overwrite_secret"
            and (CANARY not in (ws / ".env").read_text())
        ):
            leaked.append(name)
    missing = sorted(set(ATTEMPTS) - set(leaked))
    # without the masks every attempt reads the canary (or overwrites the secret); a
    # listing of .aws shows names only
    assert missing == ["aws_dir_listing"], f"control: these did not read it: {missing}"


@pytest.mark.parametrize("name", sorted(ATTEMPTS))
def test_no_attempt_reads_a_secret(
    name: str, template: Path, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _fresh(template, tmp_path)
    out, _ = _attempt(ws, ATTEMPTS[name], policy_names(ws))
    assert not _leaked(out), (name, out[:400])
    assert _left_in_workspace(ws) == [], name
    # the secrets are still there, unchanged, for their owner
    for rel, text in SECRETS.items():
        assert (ws / rel).read_text() == text, rel


def test_ordinary_files_and_look_alikes_stay_readable(
    template: Path, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    """Not over-blocked: a Cyrillic `е` in `.env` is another name, `env.example`-style
    files the list does not name, and the README are read as they are."""
    ws = _fresh(template, tmp_path)
    (ws / ".\u0435nv").write_text("lookalike\n")
    (ws / "envfile.txt").write_text("plain\n")
    out, outcome = _attempt(
        ws,
        "print(open('.\u0435nv').read(), open('envfile.txt').read(), open('README.md').read())",
        policy_names(ws),
    )
    assert outcome is Outcome.SUCCESS
    assert "lookalike" in out and "plain" in out and "readable" in out


def test_pytest_runs_in_a_workspace_that_holds_secrets(
    template: Path, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _fresh(template, tmp_path)
    (ws / "test_x.py").write_text(
        "import os\n\ndef test_env_is_empty():\n    assert open('.env').read() == ''\n"
    )
    r = run_sandboxed(
        [f"{sys.prefix}/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_x.py"],
        ws,
        LIMITS,
        tenant=TENANT,
        names=policy_names(ws),  # type: ignore[arg-type]
        ro_paths=(sys.prefix, sys.base_prefix),
    )
    assert r.outcome is Outcome.SUCCESS, r.output.decode()[-2000:]
    assert b"1 passed" in r.output
