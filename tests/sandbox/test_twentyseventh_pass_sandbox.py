"""Twenty-seventh red-team pass, class 1, in real bubblewrap: a device node made without mknod.

``renameat2(…, RENAME_WHITEOUT)`` renames a file and leaves an overlayfs *whiteout* in its
place: a character device 0:0. Since Linux 5.8 the kernel lets any user make one, so the
seccomp rules on ``mknod``/``mknodat`` did not cover it, and a sandboxed ``python3`` left a
device node in the workspace, owned by the tenant on the host. The control runs the same
program without the filter (the uid layer alone): the device lands. With the filter the call
is refused (EPERM) and nothing but regular files remains; a plain ``renameat2`` (no flags,
``RENAME_NOREPLACE``, ``RENAME_EXCHANGE``) still works, so tools that use it are unaffected.

The confined file tools (``enforcement_agent.fs``, which run as host root) kept an existing
file's set-id bits when they replaced its content, and a directory they made inherited
``S_ISGID`` from a set-group-ID parent: in a workspace not yet provisioned (owned by root),
``gonogo agent write tool`` over a setuid-root ``tool`` left the agent's bytes in a setuid-root
file. The control is the file before the write; now the new file keeps its permissions but
never a set-id bit, and new directories never carry ``S_ISGID`` on.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from enforcement_agent.fs import ConfinedFS
from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import LAYER_BWRAP, LAYER_BWRAP_SECCOMP, run_sandboxed
from enforcement_agent.sandbox import libseccomp as lib
from enforcement_agent.sandbox.identity import tenant_ids
from gonogo.config import REPO_ROOT

pytestmark = pytest.mark.sandbox

TENANT = "rt27-whiteout"
FAST = Limits(wall_seconds=60, cpu_seconds=30, processes=64)
NR = lib.resolve("renameat2", lib.native_arch())
# AT_FDCWD, flags: 0, RENAME_NOREPLACE (1), RENAME_EXCHANGE (2), RENAME_WHITEOUT (4) and the
# whiteout with each of the others and with garbage in the upper half of the register.
ATTEMPT = f"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def rn(a, b, flags):
    open(a, "w").write(a)
    rc = libc.syscall({NR}, -100, a.encode(), -100, b.encode(), ctypes.c_ulong(flags))
    print(a, flags, rc, os.strerror(ctypes.get_errno()) if rc else "ok")
rn("plain", "plain.moved", 0)
rn("noreplace", "noreplace.moved", 1)
open("x2", "w").write("x2")
rn("exchange", "x2", 2)
rn("w4", "w4.moved", 4)
rn("w5", "w5.moved", 5)
rn("whigh", "whigh.moved", (0xdead << 32) | 4)
"""


def _run(ws: Path, *, use_seccomp: bool) -> str:
    (ws / "attempt.py").write_text(ATTEMPT)
    r = run_sandboxed(["python3", "attempt.py"], ws, FAST, tenant=TENANT, use_seccomp=use_seccomp)
    assert r.layer == (LAYER_BWRAP_SECCOMP if use_seccomp else LAYER_BWRAP), r
    assert r.outcome is Outcome.SUCCESS, r
    return r.output.decode()


def _devices(ws: Path) -> list[str]:
    out = []
    for p in ws.rglob("*"):
        st = os.lstat(p)
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            out.append(p.name)
    return sorted(out)


def test_control_without_the_filter_a_whiteout_device_lands(ws: Path) -> None:
    out = _run(ws, use_seccomp=False)
    assert _devices(ws) == ["w4", "w5", "whigh"], out
    st = os.lstat(ws / "w4")
    assert (os.major(st.st_rdev), os.minor(st.st_rdev)) == (0, 0)
    assert (st.st_uid, st.st_gid) == (tenant_ids(TENANT).uid, tenant_ids(TENANT).gid)


def test_with_the_filter_no_device_lands_and_plain_renames_work(ws: Path) -> None:
    out = _run(ws, use_seccomp=True)
    assert _devices(ws) == [], out
    for name in ("w4", "w5", "whigh"):
        assert f"{name} " in out and "Operation not permitted" in out.split(f"{name} ")[1]
        assert stat.S_ISREG(os.lstat(ws / name).st_mode)  # not renamed at all
        assert not (ws / f"{name}.moved").exists()
    assert (ws / "plain.moved").read_text() == "plain"
    assert (ws / "noreplace.moved").read_text() == "noreplace"
    assert (ws / "x2").read_text() == "exchange" and (ws / "exchange").read_text() == "x2"


SET_ID = stat.S_ISUID | stat.S_ISGID


def _plant_set_id(ws: Path) -> None:
    shutil.copy("/bin/true", ws / "tool")
    (ws / "tool").chmod(0o4755)
    (ws / "d").mkdir()
    (ws / "d").chmod(0o2775)
    shutil.copy("/bin/true", ws / "d" / "g")
    (ws / "d" / "g").chmod(0o2755)


def _modes(ws: Path) -> dict[str, int]:
    return {str(p.relative_to(ws)): os.lstat(p).st_mode for p in ws.rglob("*")}


def test_control_the_planted_files_are_set_id_before_the_write(ws: Path) -> None:
    _plant_set_id(ws)
    assert all(m & SET_ID for m in _modes(ws).values()), _modes(ws)


@pytest.mark.parametrize("openat2", [True, False], ids=["openat2", "o_nofollow-walk"])
def test_the_file_tool_never_writes_a_set_id_file_or_directory(ws: Path, openat2: bool) -> None:
    _plant_set_id(ws)
    fs = ConfinedFS(ws, use_openat2=openat2)
    try:
        for path in ("tool", "d/g", "d/new/deeper/n", "d/n2"):
            fs.write(path, b"\x7fELF agent bytes")
    finally:
        fs.close()
    modes = _modes(ws)
    assert (ws / "tool").read_bytes() == b"\x7fELF agent bytes"
    bad = {p: oct(m) for p, m in modes.items() if m & SET_ID and p != "d"}
    assert bad == {}, bad
    assert stat.S_IMODE(modes["tool"]) == 0o755 and stat.S_IMODE(modes["d/g"]) == 0o755


def test_agent_write_cli_over_a_setuid_root_file(ws: Path, tmp_path: Path) -> None:
    _plant_set_id(ws)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(tmp_path / "home")
    argv = [sys.executable, "-m", "gonogo", "agent", "write", "--tenant", TENANT]
    argv += ["--role", "contributor", "--workspace", str(ws), "tool"]
    p = subprocess.run(
        argv, input=b"#!/bin/sh\nid\n", cwd=REPO_ROOT, env=env, capture_output=True, timeout=120
    )
    assert p.returncode == 0, p.stderr
    st = os.lstat(ws / "tool")
    assert (ws / "tool").read_bytes() == b"#!/bin/sh\nid\n"
    assert not st.st_mode & SET_ID, oct(st.st_mode)  # main: 0o104755, owned by root
