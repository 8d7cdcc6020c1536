"""The sandbox's seccomp filter, compiled by libseccomp and handed to bubblewrap (``--seccomp``).

It is the second layer: namespaces, an unprivileged uid and dropped capabilities already
contain the sandbox. The filter removes kernel surface a build or test never needs (module
loading, mounts, ptrace, keyrings, BPF, io_uring, namespace creation, handle-based opens), and
it refuses the calls that would leave a privilege behind in the workspace: a set-user-ID or
set-group-ID mode (``chmod`` and friends, ``open``/``creat``/``mknod`` with such a mode), a
device node (``mknod`` of a device, ``renameat2`` with ``RENAME_WHITEOUT``), a change of
owner to root, and extended attributes (file capabilities live in
``security.capability``; seccomp cannot read the attribute's name, so every xattr write is
answered "not supported", which programs already handle for file systems without xattrs).

Syscalls are named, never numbered: libseccomp resolves every name for the architecture the
filter is built for, and the program starts with that architecture's check. Policy:

- default action: **allow** (a deny list: builds and test runners need a wide surface);
- a syscall *number above the highest one libseccomp can name* on the native architecture
  returns ``ENOSYS``, so a kernel newer than the library (``setxattrat``, ``open_tree_attr``,
  …) cannot open a path around the rules below; programs treat ENOSYS as an older kernel;
- any other architecture (i386 via ``int 0x80``, x32, arm32 compat) kills the process.

If libseccomp is missing, or the machine is neither x86_64 nor aarch64 (where ``clone``'s
flags are its first argument), :func:`filter_bytes` raises and the runner refuses to run.
"""

from __future__ import annotations

import errno
import functools
import platform
import stat
from dataclasses import dataclass

from enforcement_agent.sandbox import libseccomp as lib
from enforcement_agent.sandbox.libseccomp import ArgCmp, SeccompUnavailable

# Architectures the rules are written for (libseccomp names).
SUPPORTED_ARCHES = ("x86_64", "aarch64")
_MACHINE_TO_ARCH = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}
# Numbers from the first one the library cannot name up to this bound get ENOSYS.
SYSCALL_CEILING = 1024

# Refused with EPERM, whatever the arguments.
DENIED_SYSCALLS: tuple[str, ...] = (
    "ptrace",
    "syslog",
    "uselib",
    "vhangup",
    "pivot_root",
    "_sysctl",
    "adjtimex",
    "chroot",
    "acct",
    "settimeofday",
    "mount",
    "umount2",
    "swapon",
    "swapoff",
    "reboot",
    "sethostname",
    "setdomainname",
    "iopl",
    "ioperm",
    "create_module",
    "init_module",
    "delete_module",
    "get_kernel_syms",
    "query_module",
    "quotactl",
    "nfsservctl",
    "lookup_dcookie",
    "clock_settime",
    "kexec_load",
    "add_key",
    "request_key",
    "keyctl",
    "unshare",
    "perf_event_open",
    "fanotify_init",
    "name_to_handle_at",
    "open_by_handle_at",
    "clock_adjtime",
    "setns",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "finit_module",
    "kexec_file_load",
    "bpf",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "pidfd_getfd",
    "mount_setattr",
)

# Their flags (clone3) or mode (openat2) sit in a struct the filter cannot read: "not
# implemented" makes libc fall back to clone / openat, whose arguments the filter does check.
ENOSYS_SYSCALLS: tuple[str, ...] = ("clone3", "openat2")

# clone(2) flags that create namespaces: a sandboxed build has no business making new ones.
CLONE_NS_FLAGS: tuple[int, ...] = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
    0x00000080,  # CLONE_NEWTIME
)

# syscall -> index of its mode argument: a mode with S_ISUID or S_ISGID is refused.
MODE_ARG: dict[str, int] = {
    "chmod": 1,
    "fchmod": 1,
    "fchmodat": 2,
    "fchmodat2": 2,
    "open": 2,
    "creat": 1,
    "openat": 3,
    "mknod": 1,
    "mknodat": 2,
}
# The mknod family may make FIFOs, sockets and plain files, never devices.
DEVICE_NODE_ARG: dict[str, int] = {"mknod": 1, "mknodat": 2}
# syscall -> indexes of its uid and gid arguments: a change of owner to 0 (root) is refused.
OWNER_ARGS: dict[str, tuple[int, int]] = {
    "chown": (1, 2),
    "lchown": (1, 2),
    "fchown": (1, 2),
    "fchownat": (2, 3),
}
XATTR_WRITES: tuple[str, ...] = ("setxattr", "lsetxattr", "fsetxattr")
# syscall -> index of its flags argument: RENAME_WHITEOUT leaves a character device (0:0, an
# overlayfs whiteout) where the source was. Since Linux 5.8 it needs no privilege, so the
# mknod rules above did not cover it (a twenty-seventh red-team pass: a device node landed in
# the workspace). io_uring's rename is refused with io_uring itself.
RENAME_FLAGS_ARG: dict[str, int] = {"renameat2": 4}
RENAME_WHITEOUT = 1 << 2
# Names an older libseccomp may not know; their numbers are above its table, so the ENOSYS
# range covers them there.
_NEWER_THAN_SOME_LIBRARIES = frozenset({"fchmodat2"})

_EPERM = lib.act_errno(errno.EPERM)
_ENOSYS = lib.act_errno(errno.ENOSYS)
_ENOTSUP = lib.act_errno(errno.EOPNOTSUPP)
_LOW32 = 0xFFFFFFFF
_S_IFMT = 0o170000  # the file-type bits of a mode (stat.S_IFMT is a function)


@dataclass(frozen=True)
class Rule:
    syscall: str
    action: int
    conditions: tuple[ArgCmp, ...] = ()


def _bit_set(arg: int, bit: int) -> ArgCmp:
    return ArgCmp(arg, lib.CMP_MASKED_EQ, bit, bit)


def rules() -> list[Rule]:
    """Every rule of the filter, by syscall name; each matching rule's action is taken."""
    out = [Rule(name, _EPERM) for name in DENIED_SYSCALLS]
    out += [Rule(name, _ENOSYS) for name in ENOSYS_SYSCALLS]
    out += [Rule("clone", _EPERM, (_bit_set(0, flag),)) for flag in CLONE_NS_FLAGS]
    for name, arg in MODE_ARG.items():
        out += [Rule(name, _EPERM, (_bit_set(arg, bit),)) for bit in (stat.S_ISUID, stat.S_ISGID)]
    for name, arg in DEVICE_NODE_ARG.items():
        out += [
            Rule(name, _EPERM, (ArgCmp(arg, lib.CMP_MASKED_EQ, _S_IFMT, kind),))
            for kind in (stat.S_IFCHR, stat.S_IFBLK)
        ]
    for name, (uid_arg, gid_arg) in OWNER_ARGS.items():
        # uid_t is 32 bits: compare the low word only, so garbage in the upper half of the
        # register (which the kernel drops) cannot hide a 0.
        out += [
            Rule(name, _EPERM, (ArgCmp(a, lib.CMP_MASKED_EQ, _LOW32, 0),))
            for a in (uid_arg, gid_arg)
        ]
    out += [Rule(name, _ENOTSUP) for name in XATTR_WRITES]
    out += [
        Rule(name, _EPERM, (_bit_set(arg, RENAME_WHITEOUT),))
        for name, arg in RENAME_FLAGS_ARG.items()
    ]
    return out


def rule_names() -> list[str]:
    return sorted({r.syscall for r in rules()})


def native_arch_name() -> str:
    arch = _MACHINE_TO_ARCH.get(platform.machine())
    if arch is None:
        raise SeccompUnavailable(
            f"no seccomp rules for this architecture ({platform.machine()}); "
            f"supported: {', '.join(SUPPORTED_ARCHES)}"
        )
    return arch


def unresolved_names(arch: str) -> list[str]:
    """Rule names libseccomp cannot resolve for ``arch`` (neither a number nor a pseudo one)."""
    token = lib.arch_token(arch)
    return [n for n in rule_names() if lib.resolve(n, token) == lib.NR_UNKNOWN]


def first_unnamed_syscall(arch: str) -> int:
    """One past the highest syscall number libseccomp can name on ``arch``."""
    token = lib.arch_token(arch)
    highest = max(n for n in range(SYSCALL_CEILING) if lib.name_of(n, token) is not None)
    return highest + 1


def build_filter(arch: str | None = None, *, beyond_table: bool | None = None) -> bytes:
    """The BPF program for ``arch`` (default: this machine's) as bubblewrap reads it.

    ``beyond_table`` adds the ENOSYS range above the library's syscall table. It is on for
    the native architecture; libseccomp translates raw numbers only for its native one, so a
    filter built for another architecture (tests) leaves it out.
    """
    native = native_arch_name()
    arch = arch or native
    if arch not in SUPPORTED_ARCHES:
        raise SeccompUnavailable(f"no seccomp rules for architecture {arch!r}")
    if beyond_table is None:
        beyond_table = arch == native
    token = lib.arch_token(arch)
    native_token = lib.native_arch()
    with lib.Filter(lib.ACT_ALLOW, token, bad_arch_action=lib.ACT_KILL_PROCESS) as f:
        for rule in rules():
            # Rules take the *native* number (or pseudo number); libseccomp translates it by
            # name for the filter's architecture, and drops it where that arch lacks the call.
            nr = lib.resolve(rule.syscall, native_token)
            if nr == lib.NR_UNKNOWN or lib.resolve(rule.syscall, token) == lib.NR_UNKNOWN:
                if rule.syscall in _NEWER_THAN_SOME_LIBRARIES and beyond_table:
                    continue
                raise SeccompUnavailable(
                    f"libseccomp {'.'.join(map(str, lib.version()))} cannot resolve "
                    f"{rule.syscall!r} for {arch}"
                )
            f.add_rule(rule.action, nr, rule.conditions)
        if beyond_table:
            for nr in range(first_unnamed_syscall(arch), SYSCALL_CEILING):
                f.add_rule(_ENOSYS, nr)
        return f.export_bpf()


@functools.lru_cache(maxsize=1)
def filter_bytes() -> bytes:
    """The native filter, built once per process. Raises :class:`SeccompUnavailable`."""
    return build_filter()
