"""A thin ctypes binding to ``libseccomp.so.2``: only the calls the sandbox's filter needs.

The filter itself (syscall numbers per architecture, the architecture check, the jump layout
of the BPF program) is libseccomp's work; this module only passes our rules to it and takes
the compiled program back. Every function used is part of libseccomp's stable, documented C
API (``seccomp_init(3)``, ``seccomp_arch_add(3)``, ``seccomp_attr_set(3)``,
``seccomp_rule_add(3)``, ``seccomp_syscall_resolve_name(3)``, ``seccomp_export_bpf(3)``),
present since 2.4; the soname has been ``libseccomp.so.2`` since 2.0.

Why ctypes and not a Python binding (see docs/sandbox.md): Debian's ``python3-seccomp`` is
compiled for the system interpreter only, and the PyPI bindings are either unmaintained or
generate BPF themselves. Loading the system library keeps the security logic in the library
that systemd, podman and Chromium rely on, for whichever Python runs the agent.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass

# Actions (seccomp.h).
ACT_KILL_PROCESS = 0x80000000
ACT_ALLOW = 0x7FFF0000
_ACT_ERRNO = 0x00050000

# Filter attributes (enum scmp_filter_attr).
_ATTR_ACT_BADARCH = 2
_ATTR_CTL_NNP = 3
_ATTR_CTL_OPTIMIZE = 8

# Argument comparisons (enum scmp_compare).
CMP_EQ = 4
CMP_MASKED_EQ = 7

# __NR_SCMP_ERROR: the name is unknown to the library.
NR_UNKNOWN = -1


def act_errno(err: int) -> int:
    return _ACT_ERRNO | (err & 0xFFFF)


class SeccompUnavailable(RuntimeError):
    """libseccomp cannot be loaded or refused the filter: the sandbox must not run."""


class _ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


class _Version(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint), ("minor", ctypes.c_uint), ("micro", ctypes.c_uint)]


@dataclass(frozen=True)
class ArgCmp:
    """One condition on a syscall argument: ``arg op datum_a [datum_b]``."""

    arg: int
    op: int
    datum_a: int
    datum_b: int = 0


@functools.lru_cache(maxsize=1)
def _lib() -> ctypes.CDLL:
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError as exc:
        raise SeccompUnavailable(f"libseccomp is not installed ({exc})") from exc
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_release.restype = None
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    lib.seccomp_arch_native.restype = ctypes.c_uint32
    lib.seccomp_arch_native.argtypes = []
    lib.seccomp_arch_resolve_name.restype = ctypes.c_uint32
    lib.seccomp_arch_resolve_name.argtypes = [ctypes.c_char_p]
    for fn in ("seccomp_arch_add", "seccomp_arch_remove", "seccomp_arch_exist"):
        getattr(lib, fn).restype = ctypes.c_int
        getattr(lib, fn).argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    lib.seccomp_attr_set.restype = ctypes.c_int
    lib.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]
    lib.seccomp_rule_add_array.restype = ctypes.c_int
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(_ArgCmp),
    ]
    lib.seccomp_syscall_resolve_name_arch.restype = ctypes.c_int
    lib.seccomp_syscall_resolve_name_arch.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    # Returns a malloc'd string the caller frees: keep it as a raw pointer.
    lib.seccomp_syscall_resolve_num_arch.restype = ctypes.c_void_p
    lib.seccomp_syscall_resolve_num_arch.argtypes = [ctypes.c_uint32, ctypes.c_int]
    lib.seccomp_export_bpf.restype = ctypes.c_int
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_export_pfc.restype = ctypes.c_int
    lib.seccomp_export_pfc.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_version.restype = ctypes.POINTER(_Version)
    lib.seccomp_version.argtypes = []
    return lib


def version() -> tuple[int, int, int]:
    v = _lib().seccomp_version().contents
    return (int(v.major), int(v.minor), int(v.micro))


def arch_token(name: str) -> int:
    """The libseccomp token (the kernel's AUDIT_ARCH value) of an architecture name."""
    token = int(_lib().seccomp_arch_resolve_name(name.encode()))
    if token == 0:
        raise SeccompUnavailable(f"libseccomp does not know the architecture {name!r}")
    return token


def native_arch() -> int:
    return int(_lib().seccomp_arch_native())


def resolve(name: str, arch: int) -> int:
    """The syscall number of ``name`` on ``arch``.

    ``NR_UNKNOWN`` when the library does not know the name at all; a negative "pseudo"
    number (below -10000) when it knows the name but ``arch`` has no such syscall (``open``
    or ``chmod`` on aarch64): a rule for it is then simply not part of that arch's filter.
    """
    return int(_lib().seccomp_syscall_resolve_name_arch(arch, name.encode()))


def name_of(nr: int, arch: int) -> str | None:
    lib = _lib()
    ptr = lib.seccomp_syscall_resolve_num_arch(arch, nr)
    if not ptr:
        return None
    try:
        return ctypes.string_at(ptr).decode()
    finally:
        _libc_free(ptr)


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None)
    libc.free.restype = None
    libc.free.argtypes = [ctypes.c_void_p]
    return libc


def _libc_free(ptr: int) -> None:
    _libc().free(ptr)


def _check(rc: int, what: str) -> None:
    if rc < 0:
        raise SeccompUnavailable(f"libseccomp: {what} failed: {os.strerror(-rc)}")


class Filter:
    """One filter context (``scmp_filter_ctx``) for exactly one architecture."""

    def __init__(self, default_action: int, arch: int, *, bad_arch_action: int) -> None:
        lib = _lib()
        ctx = lib.seccomp_init(default_action)
        if not ctx:
            raise SeccompUnavailable("libseccomp: seccomp_init failed")
        self._ctx: int | None = int(ctx)
        try:
            native = native_arch()
            if arch != native:
                _check(lib.seccomp_arch_add(ctx, arch), "seccomp_arch_add")
                _check(lib.seccomp_arch_remove(ctx, native), "seccomp_arch_remove")
            # Any other architecture (i386 through int 0x80 on x86_64, arm32 compat on
            # aarch64) is answered with this action before a syscall number is looked at.
            _check(lib.seccomp_attr_set(ctx, _ATTR_ACT_BADARCH, bad_arch_action), "badarch")
            # bubblewrap sets no_new_privs itself; the exported program does not carry it.
            _check(lib.seccomp_attr_set(ctx, _ATTR_CTL_NNP, 0), "nnp")
            # A binary search tree over syscall numbers instead of one long chain.
            _check(lib.seccomp_attr_set(ctx, _ATTR_CTL_OPTIMIZE, 2), "optimize")
        except BaseException:
            self.release()
            raise

    def _live(self) -> int:
        if self._ctx is None:
            raise SeccompUnavailable("filter already released")
        return self._ctx

    def add_rule(self, action: int, nr: int, conditions: Iterable[ArgCmp] = ()) -> None:
        conds = list(conditions)
        arr = (_ArgCmp * max(1, len(conds)))()
        for i, c in enumerate(conds):
            arr[i] = _ArgCmp(c.arg, c.op, c.datum_a, c.datum_b)
        rc = _lib().seccomp_rule_add_array(self._live(), action, nr, len(conds), arr)
        _check(rc, f"seccomp_rule_add_array(syscall {nr})")

    def _export(self, fn_name: str) -> bytes:
        fn = getattr(_lib(), fn_name)
        with tempfile.TemporaryFile() as f:
            _check(fn(self._live(), f.fileno()), fn_name)
            f.seek(0)
            return f.read()

    def export_bpf(self) -> bytes:
        """The program as the raw ``struct sock_filter`` array bubblewrap's --seccomp reads."""
        return self._export("seccomp_export_bpf")

    def export_pfc(self) -> str:
        """libseccomp's human-readable pseudo code of the same program."""
        return self._export("seccomp_export_pfc").decode()

    def release(self) -> None:
        if self._ctx is not None:
            _lib().seccomp_release(self._ctx)
            self._ctx = None

    def __enter__(self) -> Filter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
