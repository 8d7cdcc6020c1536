"""The seccomp filter comes from libseccomp: names resolve on every supported architecture, and
the compiled program (run through a small classic-BPF interpreter here) decides as intended on
x86_64 and on aarch64, without an aarch64 machine.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import LAYER_NONE, run_sandboxed, seccomp
from enforcement_agent.sandbox import libseccomp as lib

pytestmark = pytest.mark.sandbox

ALLOW = lib.ACT_ALLOW
KILL = lib.ACT_KILL_PROCESS
EPERM = lib.act_errno(errno.EPERM)
ENOSYS = lib.act_errno(errno.ENOSYS)
ENOTSUP = lib.act_errno(errno.EOPNOTSUPP)
# Kernel ABI constants (linux/audit.h, asm-generic/unistd.h): test data, not filter input.
AUDIT_ARCH_I386 = 0x40000003
AUDIT_ARCH_ARM = 0x40000028
X32_SYSCALL_BIT = 0x40000000
NR_SETXATTRAT = 463  # same number on x86_64 and aarch64 (unified table), unknown to 2.5.4
ARCHES = seccomp.SUPPORTED_ARCHES


# --- a classic BPF interpreter (the subset libseccomp emits) ---------------------------------
@dataclass(frozen=True)
class Call:
    arch: int
    nr: int
    args: tuple[int, ...] = (0, 0, 0, 0, 0, 0)

    def data(self) -> bytes:
        args = tuple(v & 0xFFFFFFFFFFFFFFFF for v in (*self.args, 0, 0, 0, 0, 0, 0)[:6])
        return struct.pack("<iIQ6Q", self.nr, self.arch, 0, *args)


def run_bpf(prog: bytes, call: Call) -> int:
    insns = [struct.unpack_from("=HBBI", prog, i) for i in range(0, len(prog), 8)]
    data = call.data()
    a = x = 0
    mem = [0] * 16
    pc = 0
    for _ in range(100_000):
        code, jt, jf, k = insns[pc]
        pc += 1
        if code == 0x20:  # ld  [k]
            a = struct.unpack_from("<I", data, k)[0]
        elif code == 0x00:  # ld  #k
            a = k
        elif code == 0x60:  # ld  M[k]
            a = mem[k]
        elif code == 0x61:  # ldx M[k]
            x = mem[k]
        elif code == 0x02:  # st  M[k]
            mem[k] = a
        elif code == 0x03:  # stx M[k]
            mem[k] = x
        elif code == 0x54:  # and #k
            a &= k
        elif code == 0x07:  # tax
            x = a
        elif code == 0x87:  # txa
            a = x
        elif code == 0x05:  # ja
            pc += k
        elif code in (0x15, 0x25, 0x35, 0x45):  # jeq, jgt, jge, jset #k
            hit = {0x15: a == k, 0x25: a > k, 0x35: a >= k, 0x45: bool(a & k)}[code]
            pc += jt if hit else jf
        elif code == 0x06:  # ret #k
            return k
        else:
            raise AssertionError(f"opcode {code:#x} not handled by the test interpreter")
    raise AssertionError("BPF program did not return")


def decide(arch: str, name: str, *args: int) -> int:
    token = lib.arch_token(arch)
    nr = lib.resolve(name, token)
    assert nr >= 0, f"{name} does not exist on {arch}"
    return run_bpf(_program(arch), Call(token, nr, args))


_PROGRAMS: dict[str, bytes] = {}


def _program(arch: str) -> bytes:
    if arch not in _PROGRAMS:
        _PROGRAMS[arch] = seccomp.build_filter(arch)
    return _PROGRAMS[arch]


# --- names ------------------------------------------------------------------------------------
@pytest.mark.parametrize("arch", ARCHES)
def test_every_rule_name_resolves_on_every_supported_arch(arch: str) -> None:
    assert seccomp.unresolved_names(arch) == []
    token = lib.arch_token(arch)
    # The calls the rules exist for are real syscalls on both architectures, not pseudo ones.
    for name in (
        "ptrace",
        "mount",
        "bpf",
        "unshare",
        "setns",
        "clone",
        "clone3",
        "keyctl",
        "io_uring_setup",
        "fchmod",
        "fchmodat",
        "fchmodat2",
        "openat",
        "openat2",
        "mknodat",
        "fchownat",
        "fchown",
        "setxattr",
        "fsetxattr",
        "lsetxattr",
        "open_by_handle_at",
        "userfaultfd",
    ):
        assert lib.resolve(name, token) >= 0, (arch, name)


def test_numbers_differ_by_arch_so_names_matter() -> None:
    x86, arm = lib.arch_token("x86_64"), lib.arch_token("aarch64")
    assert lib.resolve("ptrace", x86) != lib.resolve("ptrace", arm)
    assert lib.resolve("mount", x86) != lib.resolve("mount", arm)
    # chmod, open, mknod and chown do not exist on aarch64: only their *at forms.
    for name in ("chmod", "open", "mknod", "chown", "creat"):
        assert lib.resolve(name, x86) >= 0 and lib.resolve(name, arm) < lib.NR_UNKNOWN


def test_library_version_and_native_arch() -> None:
    assert lib.version() >= (2, 5, 0)
    assert seccomp.native_arch_name() in ARCHES
    assert lib.native_arch() == lib.arch_token(seccomp.native_arch_name())


# --- decisions, per architecture ---------------------------------------------------------------
@pytest.mark.parametrize("arch", ARCHES)
def test_denied_syscalls_are_refused(arch: str) -> None:
    token = lib.arch_token(arch)
    checked = 0
    for name in seccomp.DENIED_SYSCALLS:
        nr = lib.resolve(name, token)
        if nr < 0:
            continue  # not a syscall on this arch (e.g. iopl on aarch64)
        assert run_bpf(_program(arch), Call(token, nr)) == EPERM, (arch, name)
        checked += 1
    assert checked >= 45
    for name in seccomp.ENOSYS_SYSCALLS:
        assert decide(arch, name) == ENOSYS


@pytest.mark.parametrize("arch", ARCHES)
def test_everyday_syscalls_are_allowed(arch: str) -> None:
    for name in ("read", "write", "openat", "close", "getpid", "execve", "wait4", "fchmodat"):
        assert decide(arch, name) == ALLOW, (arch, name)
    assert decide(arch, "fchmodat", -100, 0, 0o755) == ALLOW
    assert decide(arch, "openat", -100, 0, os.O_CREAT | os.O_WRONLY, 0o644) == ALLOW
    assert decide(arch, "mknodat", -100, 0, stat.S_IFIFO | 0o644, 0) == ALLOW
    assert decide(arch, "fchownat", -100, 0, 1000, 1000, 0) == ALLOW
    assert decide(arch, "fchownat", -100, 0, 0xFFFFFFFF, 0xFFFFFFFF, 0) == ALLOW  # "unchanged"
    assert decide(arch, "clone", 0x01200011) == ALLOW  # fork()'s flags


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("flag", seccomp.CLONE_NS_FLAGS)
def test_clone_with_any_namespace_flag_is_refused(arch: str, flag: int) -> None:
    assert decide(arch, "clone", flag | 0x11) == EPERM


@pytest.mark.parametrize("arch", ARCHES)
def test_foreign_architecture_kills(arch: str) -> None:
    foreign = AUDIT_ARCH_I386 if arch == "x86_64" else AUDIT_ARCH_ARM
    for nr in (0, 1, 20, 90, 400):
        assert run_bpf(_program(arch), Call(foreign, nr)) == KILL
    other = "aarch64" if arch == "x86_64" else "x86_64"
    assert run_bpf(_program(arch), Call(lib.arch_token(other), 0)) == KILL


def test_x32_syscalls_are_not_allowed() -> None:
    token = lib.arch_token("x86_64")
    for nr in (0, 2, 90, 101):
        assert run_bpf(_program("x86_64"), Call(token, X32_SYSCALL_BIT | nr)) != ALLOW


SETUID_MODES = (0o4755, 0o2755, 0o6755, 0o4000, 0o2000, 0o104755, 0o4777)


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("mode", SETUID_MODES)
def test_set_id_modes_are_refused(arch: str, mode: int) -> None:
    assert decide(arch, "fchmod", 3, mode) == EPERM
    assert decide(arch, "fchmodat", -100, 0, mode) == EPERM
    assert decide(arch, "fchmodat2", -100, 0, mode, 0) == EPERM
    assert decide(arch, "openat", -100, 0, os.O_CREAT | os.O_WRONLY, mode) == EPERM
    assert decide(arch, "mknodat", -100, 0, stat.S_IFREG | mode, 0) == EPERM
    # The kernel reads mode_t from the low bits; garbage above them changes nothing.
    assert decide(arch, "fchmodat", -100, 0, (0xDEAD << 32) | mode) == EPERM
    if arch == "x86_64":
        assert decide(arch, "chmod", 0, mode) == EPERM
        assert decide(arch, "open", 0, os.O_CREAT | os.O_WRONLY, mode) == EPERM
        assert decide(arch, "creat", 0, mode) == EPERM
        assert decide(arch, "mknod", 0, stat.S_IFREG | mode, 0) == EPERM


@given(mode=st.integers(min_value=0, max_value=(1 << 64) - 1))
@settings(max_examples=300, deadline=None)
def test_fchmodat_decision_follows_the_set_id_bits(mode: int) -> None:
    """Property: refused exactly when the mode the kernel would see carries S_ISUID/S_ISGID."""
    for arch in ARCHES:
        expected = EPERM if mode & (stat.S_ISUID | stat.S_ISGID) else ALLOW
        assert decide(arch, "fchmodat", -100, 0, mode) == expected


@given(uid=st.integers(min_value=0, max_value=(1 << 64) - 1))
@settings(max_examples=300, deadline=None)
def test_chown_decision_follows_the_low_32_bits(uid: int) -> None:
    """Property: a uid whose low word is 0 is root to the kernel, and is refused."""
    for arch in ARCHES:
        expected = EPERM if uid & 0xFFFFFFFF == 0 else ALLOW
        assert decide(arch, "fchownat", -100, 0, uid, 1000, 0) == expected
        assert decide(arch, "fchownat", -100, 0, 1000, uid, 0) == expected
        assert decide(arch, "fchown", 3, uid, 1000) == expected


@pytest.mark.parametrize("arch", ARCHES)
def test_device_nodes_are_refused_fifos_are_not(arch: str) -> None:
    for kind in (stat.S_IFCHR, stat.S_IFBLK):
        assert decide(arch, "mknodat", -100, 0, kind | 0o666, 0x0103) == EPERM
    for kind in (stat.S_IFIFO, stat.S_IFSOCK, stat.S_IFREG, 0):
        assert decide(arch, "mknodat", -100, 0, kind | 0o644, 0) == ALLOW


@pytest.mark.parametrize("arch", ARCHES)
def test_xattr_writes_are_unsupported_reads_are_not(arch: str) -> None:
    for name in seccomp.XATTR_WRITES:
        assert decide(arch, name) == ENOTSUP
    for name in ("getxattr", "listxattr", "removexattr"):
        assert decide(arch, name) == ALLOW


def test_numbers_above_the_library_table_get_enosys_natively() -> None:
    arch = seccomp.native_arch_name()
    token = lib.arch_token(arch)
    first = seccomp.first_unnamed_syscall(arch)
    assert first <= NR_SETXATTRAT  # a syscall newer than the library is covered
    prog = _program(arch)
    for nr in (first, NR_SETXATTRAT, 467, 469, seccomp.SYSCALL_CEILING - 1):
        assert run_bpf(prog, Call(token, nr)) == ENOSYS, nr
    # Below the first unnamed number, a known syscall keeps its own decision.
    assert run_bpf(prog, Call(token, lib.resolve("getpid", token))) == ALLOW


def test_filter_matches_the_official_python_binding() -> None:
    """The same rules given to libseccomp's own Python binding compile to the same program."""
    arch = seccomp.native_arch_name()
    spec = {
        "rules": [
            [r.syscall, r.action, [[c.arg, c.op, c.datum_a, c.datum_b] for c in r.conditions]]
            for r in seccomp.rules()
        ],
        "enosys": list(range(seccomp.first_unnamed_syscall(arch), seccomp.SYSCALL_CEILING)),
        "enosys_action": ENOSYS,
    }
    script = """
import json, sys, tempfile, seccomp as s
spec = json.load(sys.stdin)
f = s.SyscallFilter(s.ALLOW)
f.set_attr(s.Attr.ACT_BADARCH, s.KILL_PROCESS)
f.set_attr(s.Attr.CTL_NNP, 0)
f.set_attr(s.Attr.CTL_OPTIMIZE, 2)
for name, action, conds in spec["rules"]:
    f.add_rule(action, name, *[s.Arg(a, op, da, db) for a, op, da, db in conds])
for nr in spec["enosys"]:
    f.add_rule(spec["enosys_action"], nr)
with tempfile.TemporaryFile() as t:
    f.export_bpf(t)
    t.seek(0)
    sys.stdout.buffer.write(t.read())
"""
    out = subprocess.run(
        ["/usr/bin/python3", "-c", script],
        input=json.dumps(spec).encode(),
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert out.stdout == seccomp.build_filter(arch)


# --- fail closed --------------------------------------------------------------------------------
_NO_LIBSECCOMP = """
import ctypes.util, json, sys
from pathlib import Path
real = ctypes.util.find_library
ctypes.util.find_library = lambda name: "libseccomp-missing.so.9" if name == "seccomp" else real(name)
import ctypes
real_cdll = ctypes.CDLL
def cdll(name, *a, **k):
    if name and "seccomp" in str(name):
        raise OSError(f"{name}: cannot open shared object file")
    return real_cdll(name, *a, **k)
ctypes.CDLL = cdll
from enforcement_agent.models import Limits
from enforcement_agent.sandbox import run_sandboxed
r = run_sandboxed(["/bin/sh", "-c", "touch ran.txt"], Path(sys.argv[1]), Limits(wall_seconds=20))
print(json.dumps({"outcome": r.outcome.value, "layer": r.layer, "detail": r.detail}))
"""


def test_without_libseccomp_the_sandbox_refuses(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", _NO_LIBSECCOMP, str(ws)],
        capture_output=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout.decode().splitlines()[-1])
    assert r["outcome"] == "error" and r["layer"] == LAYER_NONE, r
    assert "seccomp" in r["detail"] and "libseccomp" in r["detail"], r
    assert not (ws / "ran.txt").exists()


def test_an_unsupported_architecture_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seccomp.platform, "machine", lambda: "riscv64")
    seccomp.filter_bytes.cache_clear()
    try:
        r = run_sandboxed(["/bin/sh", "-c", "touch ran.txt"], tmp_path, Limits(wall_seconds=20))
    finally:
        monkeypatch.undo()
        seccomp.filter_bytes.cache_clear()
    assert r.outcome is Outcome.ERROR and r.layer == LAYER_NONE, r
    assert "riscv64" in r.detail
    assert not (tmp_path / "ran.txt").exists()
