"""Forty-fourth red-team pass, part A (2026-12-06): issue 10's classes 1 to 7 with fresh eyes.

About 1,100 new variations of the headline classes were tried against the tree before this
pass (the sandbox by effect under bubblewrap; the rest at the policy level, as contributor
and viewer). Two kinds were allowed there and are closed as classes:

- `gh api` (and `glab api`, `hub api`) requests were judged by words: `-X DELETE` was
  denied and `-X PATCH` asked, but `-XDELETE`, `-X=DELETE`, `-iXDELETE`, `--method=DELETE`,
  `--method=PATCH …/git/refs/heads/main -F force=true` (a force push through the API),
  fields that imply a POST (`…/merges -f base=main -f head=x`, `…/dispatches`) and GraphQL
  mutations were allowed (classes 4 and 7). The request is now read as pflag reads it
  (`enforcement_agent/policy/api_requests.py`).
- `TZ="/path"` at the start of a date string (`date -d`, `touch -d`, `find -newermt`,
  `tar --mtime`) opens that file as a zone file, for the viewer too; the policy refuses the
  same path in the `TZ` variable (classes 2, 4 and 6; `date_strings.py`).

Everything else held; the variations that held are kept here as regression tests, grouped by
class, with controls that must stay allowed.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import tarfile
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome, Verdict
from enforcement_agent.policy import Policy, load_policy
from tests.policy.conftest import POLICY_DIR
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import exec_verdict

ROLES = ("contributor", "admin")


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(POLICY_DIR / "default.yaml")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scratch_repo(
        tmp_path_factory.mktemp("rt44a") / "ws",
        {
            "README.md": "x\n",
            "src/app.py": "print(1)\n",
            "scripts/x.py": "print(1)\n",
            "Makefile": "all:\n\techo hi\n",
            "names": "README.md\n",
            "a.txt": "a\n",
        },
    )


def _not_allowed(policy: Policy, ws: Path, command: str, roles: tuple[str, ...]) -> None:
    for role in roles:
        verdict, rule = exec_verdict(policy, ws, command, role)
        assert verdict is not Verdict.ALLOW, (role, command, rule)


def _allowed(policy: Policy, ws: Path, command: str, role: str = "contributor") -> None:
    verdict, rule = exec_verdict(policy, ws, command, role)
    assert verdict is Verdict.ALLOW, (role, command, rule)


# ==== class 1: nothing a sandbox creates is set-id, root's, a device or capable ==============
# New ways to ask for a set-id bit, root's ownership, a device or a hard link to a host file
# (archive formats not tried before, other interpreters, copy-mode helpers, symbolic chmod
# modes, FIFOs with set-id modes, ACL and user xattrs, links across mounts). One bubblewrap
# run does them all, each followed by a marker; the host side is read with lstat afterwards.
SUID_ROOT = next(
    (
        p
        for p in ("/usr/bin/passwd", "/usr/bin/mount", "/usr/bin/chsh", "/usr/bin/su")
        if os.path.exists(p) and os.stat(p).st_mode & stat.S_ISUID and os.stat(p).st_uid == 0
    ),
    "/usr/bin/passwd",
)


def _py(code: str) -> str:
    return "python3 -c " + _sq(code)


def _sq(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


SANDBOX_ATTEMPTS: dict[str, str] = {
    "chmod_symbolic_a+s": "cp /bin/true c1 && chmod a+s c1",
    "chmod_ug+st": "cp /bin/true c2 && chmod ug+st c2",
    "chmod_equals_4755": "cp /bin/true c3 && chmod =4755 c3",
    "chmod_04000_dashdash": "cp /bin/true c4 && chmod 04000 -- c4",
    "chmod_recursive_dir_g+s": "mkdir -p c5/d && chmod -R g+s c5",
    "chmod_X_then_s": "cp /bin/true c6 && chmod a+X,u+s c6",
    "install_m_symbolic": "install -m u=rwxs,go=rx /bin/true c7",
    "install_d_m_2775": "install -d -m 2775 c8",
    "cp_attributes_only_mode": f"cp --attributes-only --preserve=mode {SUID_ROOT} c9",
    "cp_archive_dir": f"mkdir c10 && cp -a {SUID_ROOT} c10/",
    "rsync_chmod_D_g+s": "mkdir -p r1/d && rsync -r --chmod=Dg+s,Fu+s r1/ r2/",
    "rsync_perms_owner": f"rsync -pgo {SUID_ROOT} r3",
    "python_shutil_copymode": (
        "cp /bin/true p1; " + _py(f"import shutil; shutil.copymode({SUID_ROOT!r}, 'p1')")
    ),
    "python_shutil_copystat": (
        "cp /bin/true p2; " + _py(f"import shutil; shutil.copystat({SUID_ROOT!r}, 'p2')")
    ),
    "python_mkdir_mode_7777": "umask 0; " + _py("import os; os.mkdir('p3', 0o7777)"),
    "python_mkfifo_set_id": _py("import os\ntry: os.mkfifo('p4', 0o6777)\nexcept OSError: pass"),
    "python_lchown_link_root": "ln -s x p5; "
    + _py("import os\ntry: os.lchown('p5', 0, 0)\nexcept OSError: pass"),
    "python_fchown_root_group": "touch p6; "
    + _py(
        "import os\nfd = os.open('p6', os.O_RDONLY)\ntry: os.fchown(fd, -1, 0)\n"
        "except OSError: pass"
    ),
    "python_acl_xattr": "touch p7; "
    + _py(
        "import os\nfor n in ('system.posix_acl_access', 'user.x', 'trusted.x'):\n"
        "    try: os.setxattr('p7', n, b'\\x02\\x00\\x00\\x00')\n    except OSError: pass"
    ),
    "node_chmod_and_open_mode": (
        "cp /bin/true n1; node -e "
        + _sq(
            "const fs=require('fs');try{fs.chmodSync('n1',0o4755)}catch(e){};"
            "try{fs.closeSync(fs.openSync('n2','w',0o6755))}catch(e){}"
        )
        + "; touch n2"
    ),
    "perl_mkdir_and_chmod": (
        'cp /bin/true l1; perl -e \'mkdir "l2", 07777; chmod 06755, "l1"; chmod 02777, "l2"\''
    ),
    "mkfifo_m_set_id": "mkfifo -m 4777 f1; mknod -m 6755 f2 p; touch f1",
    "mkdir_m_symbolic_g+s": "mkdir -m g+s,u+s m1; mkdir -m 2777 m2; touch m1",
    "hardlink_cp_l_and_link": f"cp -l {SUID_ROOT} h1; link {SUID_ROOT} h2; ln /etc/passwd h3",
    "hardlink_python_os_link": _py(
        f"import os\nfor s, d in (({SUID_ROOT!r}, 'h4'), ('/etc/passwd', 'h5')):\n"
        "    try: os.link(s, d)\n    except OSError: pass"
    ),
    "cpio_extract_set_id_root_member": "cpio -idmu --no-absolute-filenames < evil.cpio; touch k1",
    "bsdtar_extract_set_id_root_member": "bsdtar -xpf evil2.tar; touch k2",
    "tar_same_owner_numeric": "tar --same-owner --numeric-owner -xpf evil2.tar; touch k2",
    "git_init_shared_group": "git init -q --shared=group g1; git init -q --shared=0777 g2",
    "umask_then_cp_preserve": f"umask 0; cp --preserve=mode,ownership {SUID_ROOT} u1",
}
# Files each attempt must leave behind (the copy or creation did happen; only the privilege
# did not).
EXPECT = ("c1", "c2", "c3", "c4", "c5", "c6", "p1", "p2", "n1", "n2", "l1", "f1", "m1", "k1")


def _newc(name: str, data: bytes, mode: int) -> bytes:
    """A cpio newc archive of one root-owned member."""

    def hdr(n: str, size: int, m: int) -> bytes:
        fields = (1, m, 0, 0, 1, 0, size, 0, 0, 0, 0, len(n) + 1, 0)
        h = b"070701" + b"".join(b"%08X" % f for f in fields) + n.encode() + b"\0"
        return h + b"\0" * (-len(h) % 4)

    out = hdr(name, len(data), mode) + data + b"\0" * (-len(data) % 4)
    out += hdr("TRAILER!!!", 0, 0)
    return out + b"\0" * (-len(out) % 512)


def _evil_tar(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.uid, info.gid = len(data), 0o6755, 0, 0
        info.uname = info.gname = "root"
        tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _host_violations(ws: Path, tenant: tuple[int, int]) -> list[str]:
    found = []
    for p in [ws, *ws.rglob("*")]:
        st = os.lstat(p)
        if st.st_mode & (stat.S_ISUID | stat.S_ISGID):
            found.append(f"{p.name}: set-id {oct(st.st_mode)}")
        if st.st_uid == 0 or st.st_gid == 0:
            found.append(f"{p.name}: root's ({st.st_uid}:{st.st_gid})")
        elif (st.st_uid, st.st_gid) != tenant:
            found.append(f"{p.name}: {st.st_uid}:{st.st_gid}, not the tenant's")
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            found.append(f"{p.name}: device")
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            found.append(f"{p.name}: {st.st_nlink} links")
        if not stat.S_ISLNK(st.st_mode):
            try:
                os.getxattr(p, "security.capability", follow_symlinks=False)
                found.append(f"{p.name}: file capabilities")
            except OSError:
                pass
    return found


def test_class_1_at_least_twenty_five_new_sandbox_attempts() -> None:
    assert len(SANDBOX_ATTEMPTS) >= 25


@pytest.mark.sandbox
def test_class_1_nothing_privileged_lands_in_the_workspace(tmp_path: Path) -> None:
    """All attempts in one bubblewrap run: each is followed by its own marker (it ran), then
    the host reads every file's mode, owner, type, link count and capabilities."""
    from enforcement_agent.sandbox import LAYER_BWRAP_SECCOMP, identity, run_sandboxed
    from enforcement_agent.sandbox.identity import tenant_ids

    if shutil.which("bwrap") is None:
        pytest.fail("bubblewrap is required for the sandbox effect tests")
    host = tmp_path / "host"
    host.mkdir(mode=0o700)
    ws = host / "ws"
    ws.mkdir()
    true = Path("/bin/true").read_bytes()
    (ws / "evil.cpio").write_bytes(_newc("k0", true, stat.S_IFREG | 0o6755))
    (ws / "evil2.tar").write_bytes(_evil_tar("k3", true))
    tenant = "acme-rt44a"
    ids = tenant_ids(tenant)
    identity.provision_workspace(ws, ids)
    script = "\n".join(
        f"( {cmd} ) >/dev/null 2>&1; touch ran.{name}" for name, cmd in SANDBOX_ATTEMPTS.items()
    )
    r = run_sandboxed(
        ["/bin/sh", "-c", script],
        ws,
        Limits(wall_seconds=120, cpu_seconds=60, processes=64),
        tenant=tenant,
    )
    assert r.layer == LAYER_BWRAP_SECCOMP, r
    assert r.outcome in (Outcome.SUCCESS, Outcome.FAILURE), r
    missing = [n for n in SANDBOX_ATTEMPTS if not (ws / f"ran.{n}").exists()]
    assert missing == [], r.output
    assert [n for n in EXPECT if not os.path.lexists(ws / n)] == [], sorted(os.listdir(ws))
    assert _host_violations(ws, (ids.uid, ids.gid)) == []
