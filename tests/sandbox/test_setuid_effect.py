"""Nothing a sandboxed command writes is ever setuid, setgid, a device, root's, or carries file
capabilities on the host, and a set-id bit that exists anyway grants nothing inside.

These call the sandbox runner directly, so they hold even if the policy let the command pass.
Every attempt is followed by a marker written from the same shell, and the host side is read
with ``os.lstat`` after the run.
"""

from __future__ import annotations

import io
import os
import secrets
import shlex
import shutil
import stat
import tarfile
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import (
    LAYER_BWRAP,
    LAYER_BWRAP_SECCOMP,
    LAYER_NONE,
    identity,
    run_sandboxed,
)
from enforcement_agent.sandbox import libseccomp as lib
from enforcement_agent.sandbox.identity import SANDBOX_UID, tenant_ids
from tests.sandbox.conftest import procs_with

pytestmark = pytest.mark.sandbox

TENANT = "acme-setuid"
FAST = Limits(wall_seconds=60, cpu_seconds=30, processes=64)
SET_ID = stat.S_ISUID | stat.S_ISGID
# A setuid-root program of the host, visible read-only inside through /usr.
SUID_ROOT = next(
    p
    for p in ("/usr/bin/passwd", "/usr/bin/mount", "/usr/bin/chsh")
    if os.path.exists(p) and os.stat(p).st_mode & stat.S_ISUID and os.stat(p).st_uid == 0
)
# A v2 security.capability value granting cap_setuid (effective, permitted).
FCAP_SETUID = bytes.fromhex("0100000280000000000000000000000000000000")
NR = {n: lib.resolve(n, lib.native_arch()) for n in ("fchmodat", "fchmodat2", "fchownat")}


def sandbox(ws: Path, script: str, **kw: object) -> None:
    """Run ``script`` (every line, failures or not), then a marker; assert it really ran."""
    r = run_sandboxed(
        ["/bin/sh", "-c", script + "\ntouch ran.marker"], ws, FAST, tenant=TENANT, **kw
    )
    assert r.layer in (LAYER_BWRAP_SECCOMP, LAYER_BWRAP), r
    assert r.outcome in (Outcome.SUCCESS, Outcome.FAILURE), r
    marker = os.lstat(ws / "ran.marker")
    assert (marker.st_uid, marker.st_gid) == astuple(tenant_ids(TENANT)), r.output


def astuple(ids: identity.HostIds) -> tuple[int, int]:
    return (ids.uid, ids.gid)


def host_violations(ws: Path, *, planted: tuple[Path, ...] = ()) -> list[str]:
    """Everything under ``ws`` that is set-id, root's, a device, has file capabilities, or
    belongs to anyone but the tenant."""
    tenant = astuple(tenant_ids(TENANT))
    found = []
    for p in [ws, *ws.rglob("*")]:
        if p in planted:
            continue
        st = os.lstat(p)
        if st.st_mode & SET_ID:
            found.append(f"{p.name}: set-id mode {oct(st.st_mode)}")
        if st.st_uid == 0 or st.st_gid == 0:
            found.append(f"{p.name}: owned by root ({st.st_uid}:{st.st_gid})")
        elif (st.st_uid, st.st_gid) != tenant:
            found.append(f"{p.name}: owned by {st.st_uid}:{st.st_gid}, not the tenant")
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            found.append(f"{p.name}: device node")
        if not stat.S_ISLNK(st.st_mode):
            try:
                os.getxattr(p, "security.capability", follow_symlinks=False)
                found.append(f"{p.name}: has file capabilities")
            except OSError:
                pass
    return found


def py(code: str) -> str:
    return f"python3 -c {shlex.quote(code)}"


# Each case: attempts a set-id file (or a device, a root-owned file, file capabilities) in a
# different way; ``expect`` are files that must exist afterwards (the copy did happen, only the
# privilege did not).
CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cp_then_chmod_u+s": ("cp /usr/bin/python3 build-py && chmod u+s build-py", ("build-py",)),
    "chmod_4755": ("cp /bin/true t && chmod 4755 t", ("t",)),
    "chmod_6755": ("cp /bin/true t && chmod 6755 t", ("t",)),
    "chmod_2755": ("cp /bin/true t && chmod 2755 t", ("t",)),
    "chmod_g+s": ("cp /bin/true t && chmod g+s t", ("t",)),
    "chmod_+s": ("cp /bin/true t && chmod +s t", ("t",)),
    "chmod_u=rwxs": ("cp /bin/true t && chmod u=rwxs,go=rx t", ("t",)),
    "chmod_ug+s_dir": ("mkdir d && chmod ug+s d; chmod 2775 d", ("d",)),
    "chmod_via_find_exec": ("cp /bin/true t && find . -name t -exec chmod 04755 {} +", ("t",)),
    "chmod_reference": (
        f"cp /bin/true t && chmod --reference={SUID_ROOT} t",
        ("t",),
    ),
    "install_m_4755": ("install -m 4755 /bin/true inst", ()),
    "install_m_2755_umask0": ("umask 0000; install -m 2755 /bin/true inst", ()),
    "umask0_chmod_7777": ("umask 0; cp /bin/true t && chmod 7777 t", ("t",)),
    "python_os_chmod": ("cp /bin/true t; " + py("import os; os.chmod('t', 0o4755)"), ("t",)),
    "python_os_fchmod": (
        "cp /bin/true t; " + py("import os; fd = os.open('t', os.O_RDONLY); os.fchmod(fd, 0o6755)"),
        ("t",),
    ),
    "python_open_with_setuid_mode": (
        py("import os; os.open('o', os.O_CREAT | os.O_WRONLY, 0o4755)") + "; touch o",
        ("o",),
    ),
    "python_o_tmpfile_then_linkat": (
        py(
            "import ctypes, os\n"
            "fd = os.open('.', os.O_TMPFILE | os.O_WRONLY, 0o6755)\n"
            "ctypes.CDLL(None).linkat(-100, f'/proc/self/fd/{fd}'.encode(), -100, b'tmpf', 0x400)"
        )
        + "; touch tmpf",
        ("tmpf",),
    ),
    "python_mknod_regular_setuid": (
        py("import os, stat; os.mknod('m', stat.S_IFREG | 0o4755)"),
        (),
    ),
    "ctypes_fchmodat_high_garbage": (
        "cp /bin/true t; "
        + py(
            "import ctypes; libc = ctypes.CDLL(None); "
            f"libc.syscall({NR['fchmodat']}, -100, b't', ctypes.c_ulong((0xdead << 32) | 0o4755))"
        ),
        ("t",),
    ),
    "ctypes_fchmodat2": (
        "cp /bin/true t; "
        + py(
            "import ctypes; libc = ctypes.CDLL(None); "
            f"libc.syscall({NR['fchmodat2']}, -100, b't', 0o4755, 0)"
        ),
        ("t",),
    ),
    "x32_abi_fchmodat": (
        # The x32 alias of a syscall (x86_64 only; elsewhere an unknown number): killed.
        "cp /bin/true t; "
        + py(
            "import ctypes; libc = ctypes.CDLL(None); "
            f"libc.syscall(0x40000000 | {NR['fchmodat']}, -100, b't', 0o4755)"
        ),
        ("t",),
    ),
    "memfd_fchmod_then_copy_out": (
        py(
            "import os\n"
            "fd = os.memfd_create('x')\n"
            "os.write(fd, open('/bin/true', 'rb').read())\n"
            "try:\n"
            "    os.fchmod(fd, 0o4755)\n"
            "except OSError:\n"
            "    pass\n"
            "import shutil; shutil.copy2(f'/proc/self/fd/{fd}', 'mem')\n"
        ),
        ("mem",),
    ),
    "install_owner_root": ("install -o root -g root -m 4755 /bin/true inst; touch inst", ("inst",)),
    "cp_preserve_ownership": (f"cp --preserve=ownership,mode {SUID_ROOT} own", ("own",)),
    "mkdir_m_setgid": ("mkdir -m 2775 sgdir; mkdir -p -m 6777 a/b", ("sgdir",)),
    "libc_creat_setuid_mode": (
        py("import ctypes; ctypes.CDLL(None).creat(b'c', 0o4755)") + "; touch c",
        ("c",),
    ),
    "perl_chmod": ("cp /bin/true t && perl -e 'chmod 04755, \"t\" or die'", ("t",)),
    "perl_sysopen_mode": (
        "perl -e 'use Fcntl; sysopen(my $f, \"p\", O_CREAT|O_WRONLY, 06755)'; touch p",
        ("p",),
    ),
    "tar_mode_u+s_roundtrip": (
        "cp /bin/true t && tar --mode=ug+s -cf x.tar t && rm t && tar -xpf x.tar",
        ("x.tar",),
    ),
    "tar_extract_planted_root_setuid_member": (
        "tar --same-owner --same-permissions -xf evil.tar; tar -xpf evil.tar",
        ("evil-member",),
    ),
    "cp_p_setuid_root_binary": (f"cp -p {SUID_ROOT} cpp", ("cpp",)),
    "cp_a_setuid_root_binary": (f"cp -a {SUID_ROOT} cpa", ("cpa",)),
    "cp_preserve_all": (f"cp --preserve=all {SUID_ROOT} cppa", ("cppa",)),
    "rsync_p_setuid_root_binary": (f"rsync -p {SUID_ROOT} rp", ("rp",)),
    "rsync_a_setuid_root_binary": (f"rsync -a {SUID_ROOT} ra", ("ra",)),
    "python_shutil_copy2": (py(f"import shutil; shutil.copy2({SUID_ROOT!r}, 'sc')"), ("sc",)),
    "hardlink_setuid_root_binary": (f"ln {SUID_ROOT} hl; ln -P {SUID_ROOT} hl2", ()),
    "mknod_char_and_block": ("mknod null2 c 1 3; mknod loop9 b 7 9; mknod -m 666 z c 1 5", ()),
    "python_mknod_device": (
        py("import os, stat; os.mknod('dev', stat.S_IFCHR | 0o666, os.makedev(1, 3))"),
        (),
    ),
    "mkfifo_still_works": ("mkfifo fifo", ("fifo",)),
    "chown_root": ("touch f && chown 0:0 f; chown root f; chgrp 0 f; chown :root f", ("f",)),
    "python_chown_root": (
        "touch f; "
        + py(
            "import os\n"
            "for ids in ((0, -1), (-1, 0), (0, 0)):\n"
            "    try:\n"
            "        os.chown('f', *ids)\n"
            "    except OSError:\n"
            "        pass\n"
        ),
        ("f",),
    ),
    "ctypes_fchownat_high_garbage": (
        "touch f; "
        + py(
            "import ctypes; libc = ctypes.CDLL(None); "
            f"libc.syscall({NR['fchownat']}, -100, b'f', ctypes.c_ulong(1 << 32), "
            "ctypes.c_ulong(1 << 32), 0)"
        ),
        ("f",),
    ),
    # third red-team pass: the mode in a struct, through a descriptor path, archive tools
    "ctypes_openat2_mode_in_struct": (
        py(
            "import ctypes, os\n"
            "class How(ctypes.Structure):\n"
            "    _fields_ = [('flags', ctypes.c_uint64), ('mode', ctypes.c_uint64),"
            " ('resolve', ctypes.c_uint64)]\n"
            "how = How(os.O_CREAT | os.O_WRONLY, 0o6755, 0)\n"
            "ctypes.CDLL(None, use_errno=True).syscall(437, -100, b'oa2', ctypes.byref(how),"
            " ctypes.sizeof(how))\n"
        )
        + "; touch oa2",
        ("oa2",),
    ),
    "python_chmod_through_proc_fd_o_path": (
        "cp /bin/true t; "
        + py("import os; fd = os.open('t', os.O_PATH); os.chmod(f'/proc/self/fd/{fd}', 0o4755)"),
        ("t",),
    ),
    "unzip_setuid_member": (
        py(
            "import zipfile, stat\n"
            "zi = zipfile.ZipInfo('zsuid'); zi.create_system = 3\n"
            "zi.external_attr = (stat.S_IFREG | 0o6755) << 16\n"
            "zipfile.ZipFile('s.zip', 'w').writestr(zi, 'x')\n"
        )
        + "; unzip -o s.zip; touch zsuid",
        ("zsuid",),
    ),
    "rsync_chmod_u+s": ("cp /bin/true t && rsync --chmod=ug+s t rs", ("t",)),
    "python_tarfile_fully_trusted": (
        py(
            "import io, tarfile\n"
            "ti = tarfile.TarInfo('tsuid'); ti.mode = 0o6755; ti.size = 1\n"
            "with tarfile.open('t.tar', 'w') as t: t.addfile(ti, io.BytesIO(b'x'))\n"
            "tarfile.open('t.tar').extractall(filter='fully_trusted')\n"
        )
        + "; touch tsuid",
        ("tsuid",),
    ),
    "setcap_file_capability": ("cp /bin/true t && /usr/sbin/setcap cap_setuid+ep t", ("t",)),
    "python_setxattr_capability": (
        "cp /bin/true t; "
        + py(f"import os; os.setxattr('t', 'security.capability', {FCAP_SETUID!r})"),
        ("t",),
    ),
}


def _plant_evil_tar(ws: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        data = Path("/bin/true").read_bytes()
        info = tarfile.TarInfo("evil-member")
        info.size, info.mode, info.uid, info.gid = len(data), 0o6755, 0, 0
        info.uname = info.gname = "root"
        tf.addfile(info, io.BytesIO(data))
    (ws / "evil.tar").write_bytes(buf.getvalue())


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_privilege_lands_in_the_workspace(ws: Path, case: str) -> None:
    script, expect = CASES[case]
    if case.startswith("tar_extract_planted"):
        _plant_evil_tar(ws)
        identity.provision_workspace(ws, tenant_ids(TENANT))  # a tenant-made file, as it were
    sandbox(ws, script)
    for name in expect:
        assert os.path.lexists(ws / name), f"{name} was not created: the attempt did not run"
    assert host_violations(ws) == []


def test_at_least_twenty_variations() -> None:
    assert len(CASES) >= 20


def test_workspace_and_tmp_are_mounted_nosuid_nodev(ws: Path) -> None:
    sandbox(ws, "cat /proc/self/mountinfo > mounts.txt")
    mounts = {}
    for line in (ws / "mounts.txt").read_text().splitlines():
        fields = line.split()
        mounts[fields[4]] = set(fields[5].split(","))
    for point in ("/workspace", "/tmp", "/usr", "/etc"):
        assert {"nosuid", "nodev"} <= mounts[point], (point, mounts[point])


def test_a_set_id_root_binary_grants_nothing_inside(ws: Path) -> None:
    """Planted by host root (a legacy file, or a bypass): nosuid and no_new_privs make the
    bits inert, so the program runs as the sandbox user."""
    sandbox(ws, "true")  # provision first, so the planted files stay root's
    planted = []
    for name, src in (
        ("suid-id", "/usr/bin/id"),
        ("suid-py", os.path.realpath("/usr/bin/python3")),
    ):
        dst = ws / name
        shutil.copy(src, dst)
        os.chown(dst, 0, 0)
        os.chmod(dst, 0o6755)
        planted.append(dst)
    sandbox(
        ws,
        "./suid-id -u > euid.txt; ./suid-id -g >> euid.txt; "
        "./suid-py -c 'import os; print(os.geteuid(), os.getegid())' >> euid.txt",
    )
    assert (ws / "euid.txt").read_text().split() == [str(SANDBOX_UID)] * 4
    assert host_violations(ws, planted=tuple(planted)) == []


def test_the_uid_layer_holds_without_the_filter(ws: Path) -> None:
    """With seccomp off the set-id bit can be set, but only on the tenant's own file, and the
    kernel still refuses devices, chown to root and file capabilities (no capabilities), and
    a nested user namespace (none may be made in the tenant's)."""
    sandbox(
        ws,
        "cp /bin/true t && chmod u+s t; mknod null2 c 1 3; touch f; chown 0:0 f; "
        "/usr/sbin/setcap cap_setuid+ep f; unshare -U true && touch nested-userns",
        use_seccomp=False,
    )
    assert not (ws / "nested-userns").exists()  # max_user_namespaces is 0 in the tenant's
    st = os.lstat(ws / "t")
    assert st.st_mode & stat.S_ISUID  # the filter is what refuses this; here it was off
    assert (st.st_uid, st.st_gid) == astuple(tenant_ids(TENANT))
    assert [v for v in host_violations(ws) if not v.startswith("t: set-id")] == []


def test_tenants_get_distinct_stable_unprivileged_ids(tmp_path: Path) -> None:
    seen = {}
    for tenant in ("acme", "globex", "initech"):
        ws = tmp_path / tenant
        ws.mkdir()
        r = run_sandboxed(["/bin/sh", "-c", "id -u > who; touch made"], ws, FAST, tenant=tenant)
        assert r.outcome is Outcome.SUCCESS, r
        assert (ws / "who").read_text().strip() == str(SANDBOX_UID)
        st = os.lstat(ws / "made")
        start, count = identity.id_range()
        assert start <= st.st_uid < start + count and st.st_uid == st.st_gid
        assert st.st_uid == tenant_ids(tenant).uid
        seen[tenant] = st.st_uid
    assert len(set(seen.values())) == 3
    assert tenant_ids("acme") == tenant_ids("acme")


def test_the_id_range_is_configurable_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONOGO_SANDBOX_IDS", "3000000:10")
    r = run_sandboxed(["/bin/sh", "-c", "touch made"], tmp_path, FAST, tenant="acme")
    assert r.outcome is Outcome.SUCCESS, r
    assert 3_000_000 <= os.lstat(tmp_path / "made").st_uid < 3_000_010
    for bad in ("0:100", "100", "x:y", "65536:0", f"{2**31 - 5}:10", "1000:5"):
        monkeypatch.setenv("GONOGO_SANDBOX_IDS", bad)
        (tmp_path / "made").unlink(missing_ok=True)
        r = run_sandboxed(["/bin/sh", "-c", "touch made"], tmp_path, FAST, tenant="acme")
        assert r.outcome is Outcome.ERROR and r.layer == LAYER_NONE, (bad, r)
        assert "GONOGO_SANDBOX_IDS" in r.detail
        assert not (tmp_path / "made").exists()


def test_provisioning_hands_over_the_tree_but_nothing_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("host")
    ws = tmp_path / "ws"
    (ws / "a" / "b").mkdir(parents=True)
    (ws / "a" / "b" / "f.txt").write_text("x")
    legacy = ws / "legacy-suid"
    shutil.copy("/bin/true", legacy)
    legacy.chmod(0o4755)  # what the old sandbox could leave behind, root's and setuid
    (ws / "link-out").symlink_to(outside)
    os.link(outside, ws / "hardlink-out")
    os.link(ws / "a" / "b" / "f.txt", ws / "a" / "f-again")  # two links inside: kept too
    os.chmod(ws / "a", 0o2775)  # a setgid directory would pass its bit to every new one

    r = run_sandboxed(
        ["/bin/sh", "-c", "echo more >> a/b/new.txt; mkdir a/sub"], ws, FAST, tenant=TENANT
    )
    assert r.outcome is Outcome.SUCCESS, r
    tenant = astuple(tenant_ids(TENANT))
    for p in (ws, ws / "a", ws / "a" / "b", ws / "a" / "b" / "new.txt", legacy):
        assert (os.lstat(p).st_uid, os.lstat(p).st_gid) == tenant, p
    for p in (legacy, ws / "a", ws / "a" / "sub"):
        assert os.lstat(p).st_mode & SET_ID == 0, p
    assert os.lstat(ws / "link-out").st_uid == tenant[0]  # the link itself, not its target
    assert os.stat(outside).st_uid == 0  # neither through the symlink nor the hard link
    assert os.lstat(ws / "a" / "b" / "f.txt").st_uid == 0


def test_a_failed_id_mapping_runs_nothing(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = f"mapping-{secrets.token_hex(6)}"
    fresh = f"tenant-{marker}"  # no user namespace made for it yet in this process

    def refuse(pid: int, name: str, data: bytes) -> None:
        raise PermissionError(1, "Operation not permitted", f"/proc/{pid}/{name}")

    monkeypatch.setattr(identity, "_write_proc", refuse)
    r = run_sandboxed(
        ["/bin/sh", "-c", f"touch ran.txt; sleep 30 # {marker}"], ws, FAST, tenant=fresh
    )
    assert r.outcome is Outcome.ERROR and r.layer == LAYER_NONE, r
    assert "cannot map the sandbox user" in r.detail
    assert not (ws / "ran.txt").exists()
    assert procs_with(marker) == []
    assert tenant_ids(fresh) not in identity._USERNS  # nothing half-made is kept


def test_the_command_has_no_groups_capabilities_or_way_back(ws: Path) -> None:
    sandbox(ws, "cat /proc/self/status > status.txt; cat /proc/self/uid_map > uid_map.txt")
    status = dict(
        line.split(":", 1) for line in (ws / "status.txt").read_text().splitlines() if ":" in line
    )
    assert status["Uid"].split() == [str(SANDBOX_UID)] * 4
    assert status["Gid"].split() == [str(SANDBOX_UID)] * 4
    assert status["Groups"].strip() == ""
    for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(status[cap], 16) == 0, cap
    assert status["NoNewPrivs"].strip() == "1"
    assert status["Seccomp"].strip() == "2"  # filter mode
    # The sandbox user maps to the tenant's id; the only other mapping is bubblewrap's own 0.
    rows = {tuple(map(int, line.split())) for line in (ws / "uid_map.txt").read_text().splitlines()}
    assert rows == {(0, 0, 1), (SANDBOX_UID, tenant_ids(TENANT).uid, 1)}


def test_a_workspace_owned_by_someone_else_is_refused(ws: Path) -> None:
    """Neither a person's checkout nor another tenant's workspace is ever taken over."""
    (ws / "theirs.txt").write_text("x")
    for owner in (4242, tenant_ids("another-tenant").uid):
        os.chown(ws, owner, owner)
        os.chown(ws / "theirs.txt", owner, owner)
        r = run_sandboxed(["/bin/sh", "-c", "touch ran.txt"], ws, FAST, tenant=TENANT)
        assert r.outcome is Outcome.ERROR and r.layer == LAYER_NONE, r
        assert f"belongs to uid {owner}" in r.detail
        assert not (ws / "ran.txt").exists()
        assert os.lstat(ws).st_uid == owner and os.lstat(ws / "theirs.txt").st_uid == owner


def test_file_tool_writes_stay_the_tenants(ws: Path) -> None:
    """The agent's file tools (running as root) write as the workspace's owner, so the
    tenant's sandboxed commands can still change what the agent wrote."""
    from enforcement_agent.fs import ConfinedFS

    sandbox(ws, "true")  # provision
    fs = ConfinedFS(ws)
    fs.write("src/new/mod.py", b"x = 1\n")
    fs.write("top.txt", b"a\n")
    sandbox(ws, "echo 'y = 2' >> src/new/mod.py && touch src/new/other.py && echo b >> top.txt")
    assert (ws / "src/new/mod.py").read_text() == "x = 1\ny = 2\n"
    assert (ws / "top.txt").read_text() == "a\nb\n"
    assert (ws / "src/new/other.py").exists()
    assert host_violations(ws) == []
