"""Twenty-seventh red-team pass, class 1, in real bubblewrap: a device node made without mknod.

``renameat2(…, RENAME_WHITEOUT)`` renames a file and leaves an overlayfs *whiteout* in its
place: a character device 0:0. Since Linux 5.8 the kernel lets any user make one, so the
seccomp rules on ``mknod``/``mknodat`` did not cover it, and a sandboxed ``python3`` left a
device node in the workspace, owned by the tenant on the host. The control runs the same
program without the filter (the uid layer alone): the device lands. With the filter the call
is refused (EPERM) and nothing but regular files remains; a plain ``renameat2`` (no flags,
``RENAME_NOREPLACE``, ``RENAME_EXCHANGE``) still works, so tools that use it are unaffected.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import LAYER_BWRAP, LAYER_BWRAP_SECCOMP, run_sandboxed
from enforcement_agent.sandbox import libseccomp as lib
from enforcement_agent.sandbox.identity import tenant_ids

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


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    host = tmp_path / "host"
    host.mkdir(mode=0o700)
    w = host / "ws"
    w.mkdir()
    return w


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
