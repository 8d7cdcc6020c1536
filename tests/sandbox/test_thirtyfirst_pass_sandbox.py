"""Thirty-first red-team pass, classes 1 and 11, in real bubblewrap.

Found (class 1): a set-group-ID directory passes its group, and to a new directory its bit,
to whatever is made in it, whoever makes it; no seccomp rule sees that (``mkdir``'s mode has
no S_ISGID). Provisioning drops set-id bits once, when the workspace is handed over; a
directory the host made set-group-ID with group root afterwards (an operator's `install -d -m
2775 -g root`, a tool run as root in the checkout) stayed so, and a sandboxed `mkdir sub; touch
f` made `sub` mode 2755 group 0 and `f` group 0 on the host (shown on main, with the control
below: a set-group-ID directory of the tenant's own group still passes its bit inside). Now
every run first clears S_ISGID on the workspace's directories whose group is not the
tenant's (``workspace_state.drop_set_gid``, one component at a time, no link followed).

Found (class 11): the compose file a dev container names was writable by a program the agent
runs (the sandbox binds only the policy's own names read-only); now it is bound like every
protected file, and `echo … >> docker-compose.yml` is refused (exit 126).

The rest are class 1 variations not tried before, each run in the sandbox and checked on the
host: ACLs, file-capability xattrs in an archive, cpio and bsdtar preserving set-id modes,
raw `chmod`/`fchmod`/`chown`/`lchown`/`fchown`/`mknod` syscall numbers, `install -d`,
`mkfifo -m`, `cp --attributes-only`, `rsync -AX`, nested user namespaces, io_uring.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import tarfile
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import identity, run_sandboxed
from enforcement_agent.sandbox import libseccomp as lib
from enforcement_agent.sandbox.identity import tenant_ids
from enforcement_agent.sandbox.workspace_names import NameRules
from tests.sandbox.conftest import agent_exec
from tests.sandbox.test_setuid_effect import FCAP_SETUID, SUID_ROOT, TENANT, host_violations, py
from tests.sandbox.test_setuid_effect import sandbox as run_script

pytestmark = pytest.mark.sandbox

FAST = Limits(wall_seconds=60, cpu_seconds=30, processes=64)
NO_NAMES = NameRules(lambda _rel: False, lambda _rel: False)
ARCH = lib.native_arch()
NR = {n: lib.resolve(n, ARCH) for n in ("chmod", "fchmod", "chown", "lchown", "fchown", "mknod")}
NR["io_uring_setup"] = lib.resolve("io_uring_setup", ARCH)
SETGID_HOST = next(
    (p for p in ("/usr/bin/expiry", "/usr/bin/chage", "/usr/bin/ssh-agent")
     if os.path.exists(p) and os.stat(p).st_mode & stat.S_ISGID),
    SUID_ROOT,
)  # fmt: skip
# system.posix_acl_access: version 2; USER_OBJ rwx, GROUP_OBJ rwx, OTHER rwx (mode 0777 + ACL)
ACL_ALL = bytes.fromhex("02000000" + "01000700ffffffff" + "04000700ffffffff" + "20000700ffffffff")


def _raw(nr_name: str, *args: str) -> str:
    call = ", ".join(args)
    return py(
        "import ctypes, os\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "open('t', 'a').close()\n"
        f"rc = libc.syscall({NR[nr_name]}, {call})\n"
        "print(rc, os.strerror(ctypes.get_errno()))"
    )


CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "acl_access_others_rwx": (
        "touch a; " + py(f"import os; os.setxattr('a', 'system.posix_acl_access', {ACL_ALL!r})"),
        ("a",),
    ),
    "acl_default_on_dir": (
        "mkdir ad; " + py(f"import os; os.setxattr('ad', 'system.posix_acl_default', {ACL_ALL!r})"),
        ("ad",),
    ),
    "trusted_and_security_xattrs": (
        "touch x; "
        + py(
            "import os\n"
            "for n in ('trusted.overlay.opaque', 'security.selinux', 'security.ima'):\n"
            "    try: os.setxattr('x', n, b'y')\n"
            "    except OSError as e: print(n, e)"
        ),
        ("x",),
    ),
    "tar_xattrs_file_capability_member": (
        "tar --xattrs --xattrs-include='*' -xpf cap.tar; bsdtar -xpf cap.tar -C b2 2>&1; true",
        ("capbin",),
    ),
    "cpio_extract_setuid_member": (
        f"echo {SUID_ROOT} | cpio -o -H newc > a.cpio; mkdir cx; (cd cx && "
        "cpio -idmu --no-absolute-filenames < ../a.cpio)",
        ("a.cpio",),
    ),
    "cpio_pass_through_setuid": (f"mkdir cp && echo {SUID_ROOT} | cpio -pdm cp", ("cp",)),
    "cpio_pass_through_setgid_host_binary": (
        f"mkdir cg && echo {SETGID_HOST} | cpio -pdm cg",
        ("cg",),
    ),
    "bsdtar_p_setuid_member": (
        f"bsdtar -cf b.tar -C {os.path.dirname(SUID_ROOT)} {os.path.basename(SUID_ROOT)}; "
        "mkdir bx && bsdtar -xpf b.tar -C bx; bsdtar --same-owner -xpf b.tar -C bx",
        ("b.tar",),
    ),
    "raw_chmod_syscall": (_raw("chmod", "b't'", "0o4755"), ("t",)),
    "raw_fchmod_syscall": (
        py(
            "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "fd = os.open('t', os.O_CREAT | os.O_WRONLY, 0o755)\n"
            f"print(libc.syscall({NR['fchmod']}, fd, 0o6755))"
        ),
        ("t",),
    ),
    "raw_chown_syscall_root": (_raw("chown", "b't'", "0", "0"), ("t",)),
    "raw_lchown_syscall_root": (_raw("lchown", "b't'", "0", "-1"), ("t",)),
    "raw_fchown_syscall_root_group": (
        py(
            "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "fd = os.open('t', os.O_CREAT | os.O_WRONLY, 0o644)\n"
            f"print(libc.syscall({NR['fchown']}, fd, -1, 0))"
        ),
        ("t",),
    ),
    "raw_mknod_char_device": (_raw("mknod", "b'dev0'", str(stat.S_IFCHR | 0o666), "0x103"), ()),
    "install_d_setgid_dir": ("install -d -m 2775 sg; install -d -m 6777 sg2", ()),
    "mkdir_m_setuid_dir": ("mkdir -m 4777 su; mkdir -m 7777 su2", ()),
    "mkfifo_with_set_id_mode": (
        "mkfifo -m 6666 ff; " + py("import os; os.mkfifo('ff2', 0o6777)"),
        (),
    ),
    "python_mkdir_7777": (py("import os; os.mkdir('d7', 0o7777)"), ("d7",)),
    "perl_mkdir_06777": ("perl -e 'mkdir \"dp\", 06777'", ("dp",)),
    "cp_attributes_only_preserve_mode": (
        f"cp --attributes-only --preserve=mode {SUID_ROOT} ao; "
        f"cp --attributes-only --preserve=all {SETGID_HOST} ag",
        (),
    ),
    "rsync_acls_and_xattrs": (f"rsync -pAX {SUID_ROOT} rx; rsync -aAX {SETGID_HOST} rg", ()),
    "shutil_copystat_setuid": (
        "touch cs; " + py(f"import shutil; shutil.copystat({SUID_ROOT!r}, 'cs')"),
        ("cs",),
    ),
    "chmod_nofollow_fchmodat": (
        "touch nf; " + py("import os; os.chmod('nf', 0o4755, follow_symlinks=False)"),
        ("nf",),
    ),
    "nested_userns_root_then_chown_chmod": (
        "touch u; unshare -r sh -c 'chown 0:0 u; chmod u+s u'; "
        "unshare -Ur sh -c 'mknod null3 c 1 3'",
        ("u",),
    ),
    "io_uring_setup_refused": (
        py(
            "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "p = ctypes.create_string_buffer(120)\n"
            f"rc = libc.syscall({NR['io_uring_setup']}, 4, p)\n"
            "open('uring.txt', 'w').write(str(rc))"
        ),
        ("uring.txt",),
    ),
}


def _plant_cap_tar(ws: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        data = Path("/bin/true").read_bytes()
        info = tarfile.TarInfo("capbin")
        info.size, info.mode = len(data), 0o755
        info.pax_headers = {"SCHILY.xattr.security.capability": FCAP_SETUID.decode("latin-1")}
        tf.addfile(info, io.BytesIO(data))
    (ws / "cap.tar").write_bytes(buf.getvalue())
    (ws / "b2").mkdir()


def _acl_or_caps(ws: Path) -> list[str]:
    found = []
    for p in [ws, *ws.rglob("*")]:
        if stat.S_ISLNK(os.lstat(p).st_mode):
            continue
        for name in (
            "system.posix_acl_access",
            "system.posix_acl_default",
            "trusted.overlay.opaque",
        ):
            try:
                os.getxattr(p, name, follow_symlinks=False)
                found.append(f"{p.name}: {name}")
            except OSError:
                pass
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_privilege_lands_in_the_workspace(ws: Path, case: str) -> None:
    script, expect = CASES[case]
    for program in ("cpio", "bsdtar"):
        # a shell makes `> a.cpio` without cpio: the attempt would not run and nothing could fail
        assert program not in script or shutil.which(program), f"{program} is installed by .ci/run"
    if case.startswith("tar_xattrs"):
        _plant_cap_tar(ws)
        identity.provision_workspace(ws, tenant_ids(TENANT))
    run_script(ws, script)
    for name in expect:
        assert os.path.lexists(ws / name), f"{name} was not created: the attempt did not run"
    assert host_violations(ws) == []
    assert _acl_or_caps(ws) == []
    if case == "io_uring_setup_refused":
        assert (ws / "uring.txt").read_text() == "-1"


def test_at_least_twenty_new_variations() -> None:
    assert len(CASES) >= 20


# ---- the finding: a set-group-ID directory of another group ----------------------------------
def _plant_setgid_dirs(ws: Path, gid: int) -> None:
    ids = tenant_ids(TENANT)
    run_sandboxed(["true"], ws, FAST, tenant=TENANT, names=NO_NAMES)  # provisioned first
    for rel, owner, mode in (
        ("shared", (ids.uid, gid), 0o2775),
        ("a/b/deep", (ids.uid, gid), 0o2770),
        ("world", (0, 0), 0o3777),
    ):
        d = ws / rel
        d.mkdir(parents=True)
        for parent in list(d.relative_to(ws).parents)[:-1]:
            os.chown(ws / parent, ids.uid, ids.gid)
        os.chown(d, *owner)
        os.chmod(d, mode)


MAKE = "mkdir shared/sub a/b/deep/sub world/sub; touch shared/f a/b/deep/f world/f"


def test_a_set_gid_directory_of_root_passes_neither_group_nor_bit(ws: Path) -> None:
    _plant_setgid_dirs(ws, 0)
    r = run_sandboxed(["sh", "-c", MAKE], ws, FAST, tenant=TENANT, names=NO_NAMES)
    assert r.outcome is Outcome.SUCCESS, r
    ids = tenant_ids(TENANT)
    for rel in ("shared/sub", "shared/f", "a/b/deep/sub", "a/b/deep/f", "world/sub", "world/f"):
        st = os.lstat(ws / rel)
        # main: shared/sub 0o42755 gid 0, shared/f gid 0 (and the same deeper and in world/)
        assert not st.st_mode & stat.S_ISGID, (rel, oct(st.st_mode))
        assert (st.st_uid, st.st_gid) == (ids.uid, ids.gid), (rel, st.st_uid, st.st_gid)
    assert not os.lstat(ws / "shared").st_mode & stat.S_ISGID
    assert os.lstat(ws / "world").st_mode & stat.S_ISVTX  # only the set-gid bit is cleared


def test_control_a_set_gid_directory_of_the_tenants_group_still_passes_its_bit(ws: Path) -> None:
    """The mechanism is real inside the sandbox: a set-group-ID directory of the tenant's own
    group (harmless: the group is the tenant's) is left alone, and what is made in it inherits."""
    ids = tenant_ids(TENANT)
    _plant_setgid_dirs(ws, ids.gid)
    r = run_sandboxed(["sh", "-c", MAKE], ws, FAST, tenant=TENANT, names=NO_NAMES)
    assert r.outcome is Outcome.SUCCESS, r
    assert os.lstat(ws / "shared" / "sub").st_mode & stat.S_ISGID
    assert os.lstat(ws / "a/b/deep/sub").st_mode & stat.S_ISGID
    assert not os.lstat(ws / "world" / "sub").st_mode & stat.S_ISGID  # world/ is root's group


def test_a_link_swapped_in_never_leads_the_clearing_outside(ws: Path, tmp_path: Path) -> None:
    from enforcement_agent.sandbox.workspace_state import drop_set_gid

    outside = tmp_path / "outside"
    outside.mkdir()
    os.chmod(outside, 0o2775)
    os.symlink(outside, ws / "lnk")
    assert drop_set_gid(ws, ["lnk", "lnk/.", "missing"], 12345) == []
    assert os.lstat(outside).st_mode & stat.S_ISGID


# ---- class 11 by effect: the compose file the dev container names ----------------------------
def test_a_program_cannot_rewrite_the_compose_file_a_dev_container_names(
    tmp_path: Path,
) -> None:
    host = tmp_path / "host"
    host.mkdir(mode=0o700)
    ws, home = host / "ws", tmp_path / "home"
    (ws / ".devcontainer").mkdir(parents=True)
    (ws / ".devcontainer" / "devcontainer.json").write_text(
        '{"dockerComposeFile": ["../docker-compose.yml"], "service": "app"}'
    )
    (ws / "docker-compose.yml").write_text("services: {app: {image: x}}\n")
    (ws / "other.yml").write_text("a: 1\n")
    (ws / "w.py").write_text(
        "for name in ('docker-compose.yml', 'other.yml'):\n"
        "    try:\n"
        "        with open(name, 'a') as fh:\n"
        "            fh.write('privileged: true\\n')\n"
        "    except OSError as exc:\n"
        "        print(name, exc)\n"
    )
    r = agent_exec(ws, home, "python3", "w.py")
    out = json.loads(r.stderr.splitlines()[-1])  # --json: the result on stderr
    assert (out["decision"], out["sandbox_layer"]) == ("allow", "bwrap+seccomp"), out
    # main: the compose file gained `privileged: true` (the dev container's next start)
    assert (ws / "docker-compose.yml").read_text() == "services: {app: {image: x}}\n"
    assert (ws / "other.yml").read_text() == "a: 1\nprivileged: true\n"  # control
    r = agent_exec(ws, home, "bash", "-c", "echo 'privileged: true' >> docker-compose.yml")
    assert r.returncode == 126, r.stdout
    assert b"exec.protected-path" in r.stdout + r.stderr
    assert (ws / "docker-compose.yml").read_text() == "services: {app: {image: x}}\n"


# ---- the same for a default ACL -------------------------------------------------------------
# user::rwx, user 0 (named) rwx, group::rwx, mask::rwx, other::rwx
DEFAULT_ACL = bytes.fromhex(
    "02000000" + "01000700ffffffff" + "0200070000000000" + "04000700ffffffff"
    + "10000700ffffffff" + "20000700ffffffff"
)  # fmt: skip


def test_a_default_acl_the_host_planted_is_not_inherited(ws: Path) -> None:
    """main: under a host-planted default ACL, `umask 022; touch d/f` made `f` mode 0666 with
    an ACL granting the named users and everyone write, and `mkdir d/sub` a world-writable
    directory carrying the default on. The control: a directory without one keeps umask."""
    ids = tenant_ids(TENANT)
    run_sandboxed(["true"], ws, FAST, tenant=TENANT, names=NO_NAMES)
    for name in ("d", "plain"):
        (ws / name).mkdir()
        os.chown(ws / name, ids.uid, ids.gid)
    os.setxattr(ws / "d", "system.posix_acl_default", DEFAULT_ACL)
    os.setxattr(ws, "system.posix_acl_default", DEFAULT_ACL)  # the top too
    script = "umask 022; touch d/f plain/f top; mkdir d/sub plain/sub"
    r = run_sandboxed(["sh", "-c", script], ws, FAST, tenant=TENANT, names=NO_NAMES)
    assert r.outcome is Outcome.SUCCESS, r
    for rel in ("d/f", "plain/f", "top"):
        assert stat.S_IMODE(os.lstat(ws / rel).st_mode) == 0o644, rel
    for rel in ("d/sub", "plain/sub"):
        assert stat.S_IMODE(os.lstat(ws / rel).st_mode) == 0o755, rel
    assert _acl_or_caps(ws) == []
