"""Forty-fourth red-team pass, part A (2026-12-06): issue 10's classes 1 to 7 with fresh eyes.

About 2,800 new variations of the headline classes were tried against the tree before this
pass (30 in the sandbox by effect under bubblewrap; the rest at the policy level, as
contributor, admin and viewer). Four kinds were not refused there and are closed as classes
(docs/policy.md, "Forty-fourth pass, part A"):

- `gh api` (and `glab api`, `hub api`) requests were judged by words: `-X DELETE` was
  denied and `-X PATCH` asked, but `-XDELETE`, `-X=DELETE`, `-iXDELETE`, `--method=DELETE`,
  `--method=PATCH …/git/refs/heads/main -F force=true` (a force push through the API),
  fields that imply a POST (`…/merges -f base=main -f head=x`, `…/dispatches`) and GraphQL
  mutations were allowed (classes 4 and 7). The request is now read as pflag reads it
  (`enforcement_agent/policy/api_requests.py`).
- `TZ="/path"` at the start of a date string (`date -d`, `touch -d`, `find -newermt`,
  `tar --mtime`) opens that file as a zone file, for the viewer too; the policy refuses the
  same path in the `TZ` variable (classes 2, 4 and 6; `date_strings.py`).
- `gh pr close --delete-branch` (and `-dc x`, a cluster a catch-all spec read as one flag)
  deletes the remote branch; `gh repo sync --force` hard-resets it (class 7).
- gawk's `-i NAME`/`-f NAME` found in AWKPATH (`readfile.awk`, `passwd.awk` …) run getline and
  pipes a clean program only calls (class 5).

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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Limits, Outcome, Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import exec_verdict

ROLES = ("contributor", "admin")


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


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
            "dates.txt": 'TZ="/etc/shadow" now\n',
            "ok-dates.txt": '2020-01-01\nTZ="UTC" now\n',
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


# ==== findings: allowed before this pass, not any more ========================================
# class 2 (viewer) and class 6: TZ="/path" in a date string opens the path as a zone file
ZONE_READS_VIEWER = [
    "date -d 'TZ=\"/etc/shadow\" now'",
    "date --date='TZ=\"/etc/passwd\" 12:00'",
    'date -dTZ=\\"/etc/shadow\\"',
    "date -d ' TZ=\"/proc/self/environ\" now'",
    "date -d 'TZ=\"../../../../etc/shadow\" now' +%s",
    "find . -newermt 'TZ=\"/etc/shadow\" now'",
    "find . -newerat 'TZ=\"/etc/gshadow\" 1 day ago' -name x",
    "date -d 'TZ=\":/etc/shadow\" now'",
    "date -d 'TZ=\"./.env\" now'",
]
# (`date -f FILE` parses every line of FILE the same way; stdin cannot be read now)
ZONE_READS_VIEWER += [
    "date -f dates.txt",
    "date --file=dates.txt",
    "date -fdates.txt",
    "date -uf dates.txt",
    "date -uRfdates.txt",
    "date -f -",
]
# class 4 and 6 (contributor): the same in other programs' date options, and computed strings
ZONE_READS_CONTRIBUTOR = [
    "touch -d 'TZ=\"/etc/shadow\" now' a.txt",
    "touch --date='TZ=\"/etc/shadow\" now' a.txt",
    "tar -cf x.tar --mtime='TZ=\"/etc/shadow\" now' README.md",
    'date -d "$WHEN"',
]
# classes 4 and 7: gh/glab/hub api requests as pflag reads them
API_DELETES = [
    "gh api -XDELETE repos/o/r",
    "gh api -X=DELETE repos/o/r",
    "gh api -iXDELETE repos/o/r",
    "gh api --method=DELETE repos/o/r/git/refs/heads/main",
    "gh api --method=delete repos/o/r",
    "gh api repos/o/r/git/refs/tags/v1 -XDELETE",
    "gh api -H 'Accept: x' --method=DELETE repos/o/r/branches/main/protection",
    "glab api -XDELETE projects/1",
    "glab api --method=DELETE projects/1/repository/branches/main",
    "hub api -XDELETE repos/o/r",
]
API_WRITES = [
    "gh api -XPATCH repos/o/r/git/refs/heads/main -F force=true -f sha=abc",
    "gh api --method=PATCH repos/o/r/git/refs/heads/main -F force=true -f sha=abc",
    "gh api repos/o/r/merges -f base=main -f head=x",
    "gh api repos/o/r/dispatches -f event_type=deploy",
    "gh api repos/o/r/actions/workflows/d.yml/dispatches -f ref=main",
    "gh api --method=PUT repos/o/r/contents/.github/workflows/x.yml -f message=x -f content=eA==",
    "gh api repos/o/r/pulls/1/merge -XPUT",
    "gh api repos/o/r/git/refs -f ref=refs/heads/x -f sha=abc",
    "gh api repos/o/r/issues --input a.txt",
    "gh api repos/o/r/issues --field=title=x",
    "gh api repos/o/r/issues --raw-field title=x",
    "gh api repos/o/r/issues -ftitle=x",
    "gh api graphql -f query='mutation{deleteRef(input:{refId:\"x\"}){clientMutationId}}'",
    "gh api graphql -F query=@a.txt",
    "gh api graphql --input a.txt",
]
BRANCH_DELETES = [
    "gh repo sync --force",
    "gh repo sync -f",
    "gh repo sync -fb main",
    "gh repo sync o/r --source u/r --force",
    "gh pr close 1 --delete-branch",
    "gh pr close 1 -d",
    "gh pr close -d 1",
    "gh pr close 1 --delete-branch=true",
    "gh pr close 1 -dc bye",
]
# class 5: gawk's library files a clean program calls (`-i NAME`/`-f NAME` through AWKPATH)
AWK_LIBRARIES = [
    'awk -i readfile \'BEGIN{printf "%s", readfile("/etc/shadow")}\'',
    "gawk -i readfile 'BEGIN{print readfile(\"/proc/self/environ\")}'",
    "gawk -ireadfile 'BEGIN{print readfile(\"/etc/hostname\")}'",
    "gawk --include=readfile 'BEGIN{print readfile(\"/etc/passwd\")}'",
    "gawk --include readfile.awk 'BEGIN{print readfile(\"/etc/passwd\")}'",
    "gawk -i passwd 'BEGIN{print getpwuid(0)}'",
    "gawk -i ns_passwd 'BEGIN{print passwd::getpwuid(0)}'",
    "gawk -i group 'BEGIN{print getgrgid(0)}'",
    "gawk -i readable 1 a.txt",
    "gawk -i rewind 1 a.txt",
    "gawk -i zerofile 1 a.txt",
    "gawk -i gettime 'BEGIN{gettimeofday(t)}'",
    "gawk -E readfile a.txt",
]


@pytest.mark.parametrize("command", ZONE_READS_VIEWER)
def test_class_2_a_zone_file_named_in_a_date_string_is_refused(
    policy: Policy, ws: Path, command: str
) -> None:
    _not_allowed(policy, ws, command, ("viewer", "contributor", "admin"))


@pytest.mark.parametrize("command", ZONE_READS_CONTRIBUTOR)
def test_class_4_date_options_of_other_programs_and_computed_strings(
    policy: Policy, ws: Path, command: str
) -> None:
    _not_allowed(policy, ws, command, ROLES)


@pytest.mark.parametrize("command", API_DELETES)
def test_class_4_api_deletes_in_every_spelling_are_denied(
    policy: Policy, ws: Path, command: str
) -> None:
    for role in ROLES:
        verdict, rule = exec_verdict(policy, ws, command, role)
        assert verdict is Verdict.DENY, (role, command, rule)


@pytest.mark.parametrize("command", API_WRITES)
def test_class_7_api_writes_in_every_spelling_need_a_human(
    policy: Policy, ws: Path, command: str
) -> None:
    _not_allowed(policy, ws, command, ROLES)


@pytest.mark.parametrize("command", BRANCH_DELETES)
def test_class_7_deleting_or_resetting_a_remote_branch_is_refused(
    policy: Policy, ws: Path, command: str
) -> None:
    for role in ROLES:
        verdict, rule = exec_verdict(policy, ws, command, role)
        assert verdict is Verdict.DENY, (role, command, rule)
        assert rule in ("exec.vcs.gh-delete-branch", "exec.vcs.gh-sync-force"), (command, rule)


@pytest.mark.parametrize("command", AWK_LIBRARIES)
def test_class_5_gawk_library_files_are_not_taken_unseen(
    policy: Policy, ws: Path, command: str
) -> None:
    _not_allowed(policy, ws, command, ROLES)


def test_by_effect_date_opens_the_zone_file_a_date_string_names(tmp_path: Path) -> None:
    """GNU date reads TZ="PATH" in its -d string as a zone file: a copy of Tokyo's zone
    outside any workspace turns 12:00 there into 03:00 UTC (it was opened and parsed)."""
    zone = Path("/usr/share/zoneinfo/Asia/Tokyo")
    assert zone.is_file(), "tzdata is needed for this test"
    outside = tmp_path / "outside-zone"
    shutil.copy(zone, outside)
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC"}

    def hour(date_string: str) -> str:
        argv = ["date", "-u", "-d", date_string, "+%H"]
        return subprocess.run(argv, env=env, capture_output=True, text=True).stdout.strip()

    assert hour("2020-01-01 12:00") == "12"
    assert hour(f'TZ="{outside}" 2020-01-01 12:00') == "03"
    outside.unlink()
    assert hour(f'TZ="{outside}" 2020-01-01 12:00') == "12"  # gone: UTC again


# ==== variations that held (regression tests; every one was tried on the tree before this pass)
# A random sample of what was tried per class (`random.seed(44)`), plus the few finding-shaped
# ones the tree already refused for another reason.
HELD_2_VIEWER = [  # 257 tried and held on main; 30 kept
    "date -f /dev/stdin",
    "date --fi dates.txt",
    "date -u -d 'TZ=\"/root/.ssh/id_rsa\" tomorrow'",
    "alias ls=id",
    "cut -f1 /etc/passwd",
    "date --set now",
    "date -r /etc/shadow",
    "diff --to-file=/etc/passwd README.md",
    "du --files0-from=names",
    'echo "${x[@]:$(id)}"',
    "echo ${x:$(id):1}",
    "file --compile x",
    "find . -execdir id \\;",
    "find / -maxdepth 1",
    "git blame --contents /etc/passwd README.md",
    "git blame --contents=/etc/passwd README.md",
    "git config --includes -l",
    "git log --stdin",
    "git show --show-signature",
    "grep x 0</etc/shadow",
    "head /proc/self/mountinfo",
    "hostname --file /etc/x",
    "join README.md /etc/passwd",
    "jq --raw-f=x .",
    "jq -L /tmp -n 'import \"x\" as x; 1'",
    "jq . /etc/passwd",
    "rg -f/etc/passwd .",
    "seq 1 $(id -u)",
    "set -H",
    "set -k",
    "stat --printf='%n' /etc/shadow",
    "tail -n1 /etc/shadow",
    "uniq README.md out",
]
HELD_3 = [  # 305 tried and held on main; 30 kept
    "((echo 1) ; (touch /tmp/m/a2))",
    "a=(1); i='b[$(rm -rf /)]'; echo ${a[i]}",
    "a['$(rm -rf /)']=1",
    "builtin command rm -rf /",
    "cat < $(rm -rf /)",
    "cat <<EOF\n${x:-`rm -rf /`}\nEOF",
    "declare -A a; a[$(rm -rf /)]=1",
    "diff <(ls) <(rm -rf /)",
    'echo "${x[$(touch /tmp/m/a44)]}"',
    "echo $( (touch /tmp/m/a48) )",
    "echo $(( 16#$(rm -rf /) ))",
    "echo $((true) | touch /tmp/m/a3)",
    "echo $[ a[$(rm -rf /)] ]",
    "echo ${BASH_ALIASES[$(rm -rf /)]}",
    "echo ${x:-[}$(touch /tmp/m/a71)",
    "echo ${x:-\\`touch /tmp/m/a14\\`}",
    "echo '\\' $(touch /tmp/m/a55) '\\'",
    "echo x >$(rm -rf /)",
    "enable -f ./evil.so evil",
    "export 'a[$(rm -rf /)]=1'",
    "for ((i=0; i<a[$(rm -rf /)]; i++)); do :; done",
    "i='a[$(rm -rf /)]'; echo ${a[@]:i}",
    "i='a[$(rm -rf /)]'; let i+=1",
    "i='a[$(rm -rf /)]'; printf -v a[i] x",
    "local v=`rm -rf /`",
    "printf -v 'a[$(rm -rf /)]' x",
    "read 'a[$(rm -rf /)]' < /dev/null",
    "shopt -s extglob; echo @(x)",
    "x='a[$(rm -rf /)]'; (( x ))",
    "{rm,-rf,/}",
]
HELD_4 = [  # 157 tried and held on main; 30 kept
    'gh api -X "$M" repos/o/r',
    'date --date="$(cat a.txt)"',
    "tar -cf x.tar --newer-mtime='TZ=\"/etc/passwd\" now' README.md",
    "busybox ash -c reboot",
    "busybox find . -exec reboot \\;",
    "chrt -f 1 reboot",
    "chrt -p 1 reboot",
    "dbus-run-session -- reboot",
    "eatmydata -- sh -c reboot",
    "eatmydata reboot",
    "env --argv0=rm reboot",
    "env --block-signal reboot",
    "env --ignore-s=x reboot",
    "env --split-string=reboot",
    "env -S'reboot'",
    "env -iS'reboot'",
    "flock --no-fork x reboot",
    "flock -Fc reboot x",
    "flock -x x -c reboot",
    "ionice -c3 -t reboot",
    "nice --adj=1 reboot",
    "nice -n 1 nice -n 1 nice reboot",
    "nohup -- reboot",
    "rsync --rsh=reboot a.txt h:b",
    "rsync --temp-dir=/tmp a.txt b.txt",
    "tar -cf x.tar --use-compress-prog=reboot README.md",
    "tar -cf x:y README.md --rsh-comm=reboot",
    "tar -xf data.tar --abs",
    "tar xPf data.tar",
    "timeout --foreground 1 reboot",
    "xargs -a names reboot",
    "xargs -o reboot",
    "xvfb-run --server-args=x reboot",
]
HELD_5 = [  # 593 tried and held on main; 30 kept
    "gawk -f readfile -e 'BEGIN{print readfile(\"/etc/shadow\")}'",
    "Rscript --default-packages=x x.R",
    "awk '{print | \"cat\"}' README.md",
    "black --config=/tmp/x .",
    "bun -e 1",
    "bundle exec reboot",
    "bundle exec rspec -r evil",
    "bundle exec ruby -e 1",
    "clang -Xclang -load -Xclang /tmp/x.so x.c",
    "cloc --report-file=CLAUDE.md .",
    "coverage run --source=x -m code",
    "dotnet build -noautoresponse",
    "dotnet msbuild /t:x",
    "gcc -E /etc/shadow",
    "gcc -save-temps=obj x.c",
    "gcc -specs=x x.c",
    "gh alias set x '!reboot'",
    "gh run download",
    "go build -exec=reboot",
    "gradle test -Dorg.gradle.jvmargs=-javaagent:x",
    "mkdocs gh-deploy",
    "ninja -t x",
    "npx --yes evil",
    "poetry run python -c 1",
    "pytest -o DJANGO_SETTINGS_MODULE=evil",
    "python3 -m pip install --global-option=x .",
    "ruby -x x.rb",
    "ruff check -o CLAUDE.md .",
    "uvicorn --env-file=app.vars app:x",
    "zip -T --unzip-command=reboot x.zip README.md",
    "zip x.zip /etc/shadow",
]
HELD_6 = [  # 203 tried and held on main; 30 kept
    "GIT_ATTR_SOURCE=x git diff",
    "GIT_EXEC_PATH=x git status",
    "GIT_EXTERNAL_DIFF=x git diff",
    "GIT_REPLACE_REF_BASE=x git log",
    "GIT_SEQUENCE_EDITOR=x git rebase -i",
    "GOFLAGS=-toolexec=x go build",
    "HOME=/tmp git log",
    "PAGER=cat\\ ; git log",
    "PIP_CONFIG_FILE=x pip install y",
    "PORT='a[$(reboot)]' ls",
    "TZ=/etc/passwd date",
    "TZ=:/etc/passwd date",
    "ZDOTDIR=. zsh x.sh",
    "bazel build --crosstool_top=//x //...",
    "bazel build --define=x=y //...",
    "bazel build --host_action_env=LD_PRELOAD=x //...",
    "bazel test --run_under reboot //...",
    "declare -n r=LD_PRELOAD; r=x",
    "dotnet build -p:LD_PRELOAD=x",
    "env -- LD_PRELOAD=x ls",
    "env -uPATH ls",
    "exec env LD_PRELOAD=x ls",
    "export LD_PRELOAD{,}=x",
    "export LD_PRELO\\AD=x",
    "export NODE_OPTIONS",
    "make EDITOR=reboot",
    "make IFS=x",
    "nice env NODE_OPTIONS=x node",
    "readonly -x ENV=x",
    "unset -v HOME",
]
HELD_7 = [  # 321 tried and held on main; 30 kept
    "git --config-env=core.pager=HOME log",
    "git -C /tmp init",
    "git -c commit.gpgSign=true commit -m x",
    "git -c core.attributesFile=/tmp/x diff",
    "git -c pull.rebase=interactive pull",
    "git -c tag.gpgsign=true tag v9",
    "git -c user.signingkey=x commit -S -m x",
    "git config --add core.pager reboot",
    "git config --file=.gitmodules submodule.x.path .git/hooks",
    "git config --global core.pager reboot",
    "git config set core.pager reboot",
    "git difftool",
    "git fetch origin +refs/heads/*:refs/heads/*",
    "git fetch origin :main",
    "git help -w x",
    "git merge -e x",
    "git pull --force",
    "git push --exec=reboot origin main",
    'git push origin "$(git rev-parse HEAD~3):main"',
    "git push origin -- :main",
    "git push origin --delete -- x",
    "git push origin main -o ci.skip",
    "git rebase --exe=reboot main",
    "git rebase -xreboot main",
    "git reflog expire --all",
    "git replace -f HEAD HEAD~1",
    "git rm -r --cached .",
    "git show --ext-diff",
    "git switch --force-create main HEAD~1",
    "git update-ref --create-reflog refs/heads/y HEAD",
]


HELD = {
    "2": (HELD_2_VIEWER, ("viewer",)),
    "3": (HELD_3, ROLES),
    "4": (HELD_4, ROLES),
    "5": (HELD_5, ROLES),
    "6": (HELD_6, ROLES),
    "7": (HELD_7, ROLES),
}


def test_at_least_twenty_five_new_variations_per_class() -> None:
    found = {
        "2": ZONE_READS_VIEWER,
        "4": ZONE_READS_CONTRIBUTOR + API_DELETES,
        "5": AWK_LIBRARIES,
        "7": API_WRITES + BRANCH_DELETES,
    }
    for cls, (held, _roles) in HELD.items():
        assert len(held) + len(found.get(cls, [])) >= 25, cls


@pytest.mark.parametrize(
    ("cls", "command"), [(cls, c) for cls, (cmds, _r) in sorted(HELD.items()) for c in cmds]
)
def test_variations_that_held_stay_refused(
    policy: Policy, ws: Path, cls: str, command: str
) -> None:
    _not_allowed(policy, ws, command, HELD[cls][1])


# ==== controls: everyday shapes stay allowed ===================================================
CONTROLS = [
    ("viewer", "date -d 'TZ=\"Europe/Berlin\" 2020-01-01 12:00'"),
    ("viewer", "date -d 'TZ=\"UTC\" now' +%s"),
    ("viewer", "date -d @0"),
    ("viewer", "date +%Y-%m-%d"),
    ("viewer", "date -f ok-dates.txt"),
    ("viewer", "find . -newermt '2020-01-01'"),
    ("viewer", "git log --oneline -3"),
    ("contributor", "touch -d '2020-01-01 12:00' a.txt"),
    ("contributor", 'date -d "@$(stat -c %Y README.md)"'),
    ("contributor", "tar -cf x.tar --mtime='2020-01-01' README.md"),
    ("contributor", "gh api user"),
    ("contributor", "gh api repos/o/r/pulls --paginate"),
    ("contributor", "gh api -X GET search/issues -f q=repo:o/r"),
    ("contributor", "gh api --method=GET search/issues -f q=x"),
    ("contributor", "gh api graphql -f query='query{viewer{login}}'"),
    ("contributor", "gh api -H 'Accept: application/vnd.github+json' repos/o/r"),
    ("contributor", "gh pr close 1"),
    ("contributor", "gh pr close 1 -c done"),
    ("contributor", "gh pr view 1"),
    ("contributor", "awk -i inplace '{print}' a.txt"),
    ("contributor", "gawk -i bits2str 'BEGIN{print bits2str(5)}'"),
    ("contributor", "awk -f prog.awk a.txt"),
    ("contributor", "awk '{print $1}' a.txt"),
    ("contributor", "python3 --version"),
    ("contributor", "node --version"),
]


@pytest.mark.parametrize(("role", "command"), CONTROLS)
def test_controls_stay_allowed(policy: Policy, ws: Path, role: str, command: str) -> None:
    if command.startswith("awk -f prog.awk"):
        (ws / "prog.awk").write_text("{ print NR }\n")
    _allowed(policy, ws, command, role)


# ==== properties: every spelling of a request or a zone gets one reading ========================
_METHODS = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "delete", "Patch", "HEAD"])
_EXTRA = st.lists(
    st.sampled_from(["-i", "--paginate", "-H 'Accept: x'", "--silent", "-q .id", "--verbose"]),
    max_size=3,
)


def _spellings(method: str) -> list[str]:
    return [
        f"-X {method}",
        f"-X{method}",
        f"-X={method}",
        f"-iX{method}",
        f"--method {method}",
        f"--method={method}",
    ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(method=_METHODS, extra=_EXTRA, fields=st.booleans())
def test_property_gh_api_method_spellings_agree(
    policy: Policy, ws: Path, method: str, extra: list[str], fields: bool
) -> None:
    tail = " -f a=b" if fields else ""
    verdicts = set()
    for spelling in _spellings(method):
        command = f"gh api {' '.join(extra)} {spelling} repos/o/r{tail}"
        verdicts.add(exec_verdict(policy, ws, command)[0])
    assert len(verdicts) == 1, (method, extra, verdicts)
    expected = {
        "DELETE": Verdict.DENY,
        "GET": Verdict.ALLOW,
        "HEAD": Verdict.ALLOW,
    }.get(method.upper(), Verdict.ASK)
    assert verdicts == {expected}, (method, verdicts)


_PATH_PART = st.text(alphabet="abcdefgh.-_", min_size=1, max_size=8)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(_PATH_PART, min_size=1, max_size=4), absolute=st.booleans())
def test_property_zone_paths_in_date_strings(
    policy: Policy, ws: Path, parts: list[str], absolute: bool
) -> None:
    """A TZ value allowed in a date string is exactly one the TZ variable may take."""
    value = ("/" if absolute else "") + "/".join(parts)
    shape_ok = exec_verdict(policy, ws, f"TZ='{value}' date")[0] is Verdict.ALLOW
    verdict = exec_verdict(policy, ws, f"date -d 'TZ=\"{value}\" now'", "viewer")[0]
    assert (verdict is Verdict.ALLOW) == shape_ok, (value, verdict)
