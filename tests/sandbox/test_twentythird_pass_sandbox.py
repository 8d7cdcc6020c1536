"""Issue 10, twenty-third red-team pass: the sandbox (class 1) and the HTTP gateway (class 14)
by effect, with real bubblewrap and a real `gonogo serve` on a free 127.0.0.1 port.

Both classes came out clean in this pass: none of the variations below found a way past what
was there. They stay as regression tests, each with a marker or a control that shows the attempt
really ran (a refusal that never ran would prove nothing).

Class 1: no file a sandboxed command writes is set-id, root's, a device or carries file
capabilities on the host, by paths not tried before: i386 system calls through `int 0x80` from
a 64-bit process (chmod, fchmodat, creat, chown, mknod of a device), raw legacy syscall numbers
(chmod, open, creat, mknod), fchmodat2 with AT_EMPTY_PATH, chmod without following links,
setxattrat (Linux 6.13, newer than the filter's library), shutil.copystat from a setuid-root
binary, cp --preserve=mode of a setgid one, rsync --chmod=Dg+s/Fu+s, install -d/-D -m, a setgid
directory from a tar member, perl and python mkdir with set-id modes, mkstemp then fchmod,
chmod a+xs, and a setuid file made in /tmp then moved into the workspace.

Class 14: `gonogo serve --insecure-dev` acts as its flags' tenant, role and actor whatever the
body, headers, query or path say; it refuses to bind anything but loopback however spelled.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import LAYER_BWRAP, LAYER_BWRAP_SECCOMP, run_sandboxed
from enforcement_agent.sandbox.identity import tenant_ids
from gonogo.config import REPO_ROOT
from tests.policy_cache_seed import warm_policy_cache
from tests.sandbox.test_setuid_effect import FCAP_SETUID, SUID_ROOT, host_violations
from tests.servers import free_port, wait_healthy

TENANT = "acme-setuid"  # host_violations compares owners with this tenant's ids
FAST = Limits(wall_seconds=60, cpu_seconds=30, processes=64)

# ---- class 1 -------------------------------------------------------------------------------

# Calls the i386 system call NR(path, arg) through `int 0x80` from code and data mapped below
# 4 GiB (MAP_32BIT): the filter must see the i386 architecture, not only the native one.
INT80 = """import ctypes, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long]
addr = libc.mmap(None, 4096, 7, 0x02 | 0x20 | 0x40, -1, 0)
if addr in (None, ctypes.c_void_p(-1).value):
    sys.exit("mmap refused")
nr, path, arg = int(sys.argv[1]), sys.argv[2].encode() + b"\\0", int(sys.argv[3], 8)
ctypes.memmove(addr + 256, path, len(path))
code = (b"\\x53\\xb8" + struct.pack("<I", nr) + b"\\xbb" + struct.pack("<I", addr + 256)
        + b"\\xb9" + struct.pack("<I", arg) + b"\\xcd\\x80\\x5b\\xc3")
ctypes.memmove(addr, code, len(code))
print("ret", ctypes.CFUNCTYPE(ctypes.c_int)(addr)())
"""


def _int80(nr: int, path: str, arg: str) -> str:
    return f"cat > i.py <<'PY'\n{INT80}PY\npython3 i.py {nr} {path} {arg}"


def py(code: str) -> str:
    return f"python3 -c {shlex.quote(code)}"


# name -> (script, files that must exist afterwards: the attempt ran, only the privilege failed)
CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "int80_chmod": ("cp /bin/true t; " + _int80(15, "t", "4755"), ("t", "i.py")),
    "int80_fchmodat": ("cp /bin/true t; " + _int80(306, "t", "6755"), ("t", "i.py")),
    "int80_creat": (_int80(8, "c", "4755") + "; touch c", ("c",)),
    "int80_chown_root": ("touch ch; " + _int80(182, "ch", "0"), ("ch",)),
    "int80_mknod_device": (_int80(14, "nd", "20666"), ("i.py",)),
    "raw_chmod_nr": (
        "cp /bin/true t; " + py("import ctypes; ctypes.CDLL(None).syscall(90, b't', 0o4755)"),
        ("t",),
    ),  # noqa: E501
    "raw_open_nr": (
        py("import ctypes; ctypes.CDLL(None).syscall(2, b'o', 0o101, 0o4755)") + "; touch o",
        ("o",),
    ),  # noqa: E501
    "raw_creat_nr": (
        py("import ctypes; ctypes.CDLL(None).syscall(85, b'c2', 0o6755)") + "; touch c2",
        ("c2",),
    ),  # noqa: E501
    "raw_mknod_regular_nr": (
        py("import ctypes, stat; ctypes.CDLL(None).syscall(133, b'm', stat.S_IFREG | 0o4755, 0)")
        + "; touch m",
        ("m",),
    ),  # noqa: E501
    "fchmodat2_empty_path": (
        "cp /bin/true t; "
        + py(
            "import ctypes, os; fd = os.open('t', os.O_RDONLY); "
            "ctypes.CDLL(None).syscall(452, fd, b'', 0o4755, 0x1000)"
        ),
        ("t",),
    ),  # fmt: skip
    "chmod_nofollow": (
        "cp /bin/true t; " + py("import os; os.chmod('t', 0o4755, follow_symlinks=False)"),
        ("t",),
    ),  # noqa: E501
    "setxattrat_capability": (
        "cp /bin/true t; "
        + py(
            "import ctypes\n"
            "class A(ctypes.Structure):\n"
            "    _fields_ = [('value', ctypes.c_uint64), ('size', ctypes.c_uint32),"
            " ('flags', ctypes.c_uint32)]\n"
            f"v = ctypes.create_string_buffer({FCAP_SETUID!r}, 20)\n"
            "a = A(ctypes.addressof(v), 20, 0)\n"
            "ctypes.CDLL(None).syscall(463, -100, b't', 0, b'security.capability',"
            " ctypes.byref(a), ctypes.sizeof(a))\n"
        ),
        ("t",),
    ),
    "copystat_from_setuid_root": (
        py(f"import shutil; shutil.copy('/bin/true', 'cs'); shutil.copystat({SUID_ROOT!r}, 'cs')"),
        ("cs",),
    ),  # noqa: E501
    "cp_preserve_mode_setgid": (
        'cp --preserve=mode "$(find /usr/bin -perm -2000 -type f | head -1)" sg',
        ("sg",),
    ),  # noqa: E501
    "rsync_chmod_dir_and_file": (
        "mkdir d; touch d/x; rsync -r --chmod=Dg+s,Fu+s d/ d2/; cp /bin/true f; rsync --chmod=Fu+s f f2",
        ("d2", "f2"),
    ),  # noqa: E501
    "install_d_and_D_modes": (
        "install -d -m 2775 dd; install -D -m 4755 /bin/true deep/x/y",
        ("dd", "deep/x/y"),
    ),  # noqa: E501
    "tar_setgid_dir_member": (
        py(
            "import tarfile\nti = tarfile.TarInfo('sgd'); ti.type = tarfile.DIRTYPE; ti.mode = 0o2775\n"
            "with tarfile.open('d.tar', 'w') as t: t.addfile(ti)\n"
        )
        + "; tar -xpf d.tar",
        ("sgd",),
    ),  # fmt: skip
    "perl_mkdir_setgid": ('perl -e \'mkdir "pm", 02777; chmod 02777, "pm"\'', ("pm",)),
    "python_mkdir_set_id_modes": (
        py("import os; os.mkdir('pd', 0o7777); os.makedirs('pe/f', 0o6777)"),
        ("pd", "pe/f"),
    ),  # noqa: E501
    "mkstemp_then_fchmod": (
        py(
            "import os, tempfile; fd, p = tempfile.mkstemp(dir='.'); os.rename(p, 'tmpf'); os.fchmod(fd, 0o2755)"
        ),
        ("tmpf",),
    ),  # noqa: E501
    "chmod_a+xs": ("cp /bin/true t; chmod a+xs t; chmod u+xs,g+xs t", ("t",)),
    "setuid_in_tmp_moved_in": (
        "cp /bin/true /tmp/s; chmod 4755 /tmp/s; mv /tmp/s ms; cp -a ms ms2",
        ("ms", "ms2"),
    ),  # noqa: E501
}


@pytest.mark.sandbox
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_privilege_lands_in_the_workspace(ws: Path, case: str, bwrap: str) -> None:
    script, expect = CASES[case]
    r = run_sandboxed(["/bin/sh", "-c", script + "\ntouch ran.marker"], ws, FAST, tenant=TENANT)
    assert r.layer in (LAYER_BWRAP_SECCOMP, LAYER_BWRAP), r
    assert r.outcome in (Outcome.SUCCESS, Outcome.FAILURE), r
    marker = os.lstat(ws / "ran.marker")
    ids = tenant_ids(TENANT)
    assert (marker.st_uid, marker.st_gid) == (ids.uid, ids.gid), r.output
    for name in expect:
        assert os.path.lexists(ws / name), (name, r.output[-400:])
    assert host_violations(ws) == [], r.output[-400:]


def test_at_least_twenty_class_1_variations() -> None:
    assert len(CASES) >= 20


def test_the_int80_probe_really_changes_a_mode_outside_the_sandbox(tmp_path: Path) -> None:
    """Control: the same i386 call, run unsandboxed, sets the bit (so the sandbox's refusal is
    the filter's, not a broken probe)."""
    (tmp_path / "i.py").write_text(INT80)
    target = tmp_path / "t"
    target.write_bytes(b"")
    target.chmod(0o755)
    proc = subprocess.run(
        [sys.executable, "i.py", "15", "t", "4755"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.stdout.strip() == "ret 0", proc.stderr
    assert target.stat().st_mode & 0o4000


# ---- class 14 ------------------------------------------------------------------------------


def _serve(*args: str, home: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(home)
    return subprocess.Popen(
        [sys.executable, "-m", "gonogo", "serve", *args],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[1]


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    root = tmp_path_factory.mktemp("rt23-serve")
    ws = root / "ws"
    ws.mkdir()
    home = root / "home"
    port = free_port()
    proc = _serve("--insecure-dev", "--tenant", "acme", "--role", "contributor", "--actor",
                  "dev-agent", "--host", "127.0.0.1", "--port", str(port), "--workspace", str(ws),
                  home=home)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, ws, home
    finally:
        _stop(proc)
    assert proc.returncode is not None


def _records(home: Path, tenant: str = "acme") -> list[dict[str, Any]]:
    log = home / "audit" / tenant / "decisions.jsonl"
    return [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []


def _raw_post(url: str, body: bytes, **kw: Any) -> httpx.Response:
    headers = {"content-type": "application/json", **kw.pop("headers", {})}
    return httpx.post(f"{url}/v1/tool-calls", content=body, headers=headers, timeout=60, **kw)


# Bodies that name another identity, however shaped; each would touch its marker if it ran.
FORGED: dict[str, str] = {
    "tenant": '{"tenant": "globex", %s}',
    "role": '{"role": "admin", %s}',
    "actor": '{"actor": "oncall-acme", %s}',
    "role_other_case": '{"role": "Contributor", %s}',
    "tenant_trailing_blank": '{"tenant": "acme ", %s}',
    "tenant_capitalised_key": '{"Tenant": "globex", %s}',
    "role_upper_key": '{"ROLE": "admin", %s}',
    "tenant_id_key": '{"tenant_id": "globex", %s}',
    "tenant_list": '{"tenant": ["globex"], %s}',
    "tenant_object": '{"tenant": {"id": "globex"}, %s}',
    "nested_request": '{"request": {"role": "admin"}, %s}',
    "nested_principal": '{"principal": {"tenant": "globex"}, %s}',
    "duplicate_key_last_wins": '{"role": "contributor", "role": "admin", %s}',
    "escaped_key": '{"\\u0072ole": "admin", %s}',
    "tenant_nul": '{"tenant": "acme\\u0000", %s}',
    "actor_empty": '{"actor": "", %s}',
}


@pytest.mark.sandbox
@pytest.mark.parametrize("case", sorted(FORGED))
def test_a_body_never_changes_the_identity(
    dev_server: tuple[str, Path, Path], bwrap: str, case: str
) -> None:
    url, ws, home = dev_server
    marker = f"forged-{case}"
    call = f'"tool": "exec", "command": "touch {marker}"'
    r = _raw_post(url, (FORGED[case] % call).encode())
    assert r.status_code in (403, 422), (r.status_code, r.text[:300])
    assert not (ws / marker).exists()


@pytest.mark.sandbox
def test_the_control_call_runs_as_the_operator_configured(
    dev_server: tuple[str, Path, Path], bwrap: str
) -> None:
    url, ws, home = dev_server
    r = _raw_post(url, b'{"tool": "exec", "command": "touch control-marker"}')
    assert r.status_code == 200 and r.json()["outcome"] == "success", r.text[:300]
    assert (ws / "control-marker").exists()
    rec = [x for x in _records(home) if x.get("tool") == "exec"][-1]
    assert (rec["tenant_id"], rec["role"], rec["actor"]) == ("acme", "contributor", "dev-agent")


@pytest.mark.sandbox
def test_headers_query_and_a_first_wins_duplicate_never_change_the_identity(
    dev_server: tuple[str, Path, Path], bwrap: str
) -> None:
    url, ws, home = dev_server
    # a proxy's forwarding headers: --insecure-dev serves direct loopback callers only
    for name, value in (("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.9"),
                        ("x-real-ip", "10.0.0.1")):  # fmt: skip
        r = _raw_post(url, b'{"tool": "exec", "command": "touch fwd"}', headers={name: value})
        assert r.status_code == 401, (name, r.status_code)
    assert not (ws / "fwd").exists()
    headers = {"x-gonogo-tenant": "globex", "x-tenant": "globex", "x-role": "admin",
               "x-actor": "oncall-acme", "x-user": "root"}  # fmt: skip
    body = b'{"role": "admin", "role": "contributor", "tool": "exec", "command": "touch hq"}'
    r = httpx.post(f"{url}/v1/tool-calls?tenant=globex&role=admin&actor=root", content=body,
                   headers={"content-type": "application/json", **headers}, timeout=60)  # fmt: skip
    assert r.status_code == 200 and r.json()["outcome"] == "success", r.text[:300]
    assert (ws / "hq").exists()
    rec = [x for x in _records(home) if x.get("tool") == "exec"][-1]
    assert (rec["tenant_id"], rec["role"], rec["actor"]) == ("acme", "contributor", "dev-agent")
    assert not (home / "audit" / "globex").exists()


def test_chunked_oversized_and_browser_requests_are_refused(
    dev_server: tuple[str, Path, Path],
) -> None:
    url, ws, _ = dev_server

    def chunks() -> Iterator[bytes]:
        yield b'{"role": "admin", '
        yield b'"tool": "exec", "command": "touch chunked"}'

    r = httpx.post(f"{url}/v1/tool-calls", content=chunks(),
                   headers={"content-type": "application/json"}, timeout=60)  # fmt: skip
    assert r.status_code == 403
    big = b'{"tool": "exec", "command": "touch big", "payload": "' + b"x" * (3 << 20) + b'"}'
    assert _raw_post(url, big).status_code == 413
    for headers in (
        {"host": "rebound.example"},
        {"host": "localhost.example:80"},
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": "http://localhost.evil.example"},
        {"sec-fetch-site": "cross-site"},
    ):
        r = _raw_post(url, b'{"tool": "exec", "command": "touch browser"}', headers=headers)
        assert r.status_code in (400, 401, 403, 421), (headers, r.status_code)
    for name in ("chunked", "big", "browser"):
        assert not (ws / name).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/tenants/globex/tool-calls",
        "/api/tenants/ACME/tool-calls",
        "/api/tenants/..%2Fglobex/tool-calls",
        "/api/tenants/acme%2F..%2Fglobex/tool-calls",
        "/api/tenants/globex%00/tool-calls",
        "/api/tenants/acme/../globex/tool-calls",
        "/api/tenants/%2e%2e/globex/tool-calls",
    ],
)
def test_tenant_paths_serve_only_the_configured_tenant(
    dev_server: tuple[str, Path, Path], path: str
) -> None:
    url, _, _ = dev_server
    # raw target: no client-side normalisation of the path
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    assert status in (400, 403, 404, 422), (path, status, data[:300])
    assert b'"globex"' not in data


@pytest.mark.parametrize(
    "host", ["0", "0x0", "[::]", "::0", "0:0:0:0:0:0:0:0", "::ffff:0.0.0.0", "::127.0.0.1",
             "64:ff9b::7f00:1", "0.0.0.0 ", "127.0.0.1 0.0.0.0"],
)  # fmt: skip
def test_insecure_dev_binds_loopback_only_however_spelled(tmp_path: Path, host: str) -> None:
    proc = _serve("--insecure-dev", "--tenant", "acme", "--role", "viewer", "--host", host,
                  "--port", str(free_port()), home=tmp_path / "home")  # fmt: skip
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert "loopback" in err and "Traceback" not in err


# ---- class 13 (found): state under the home linked into a workspace ---------------------------
# The tenth pass listed approvals/, secrets/, auth/ and redaction.key as state checked on their
# own (a link out of the home counts); parquet/ (the cluster profile's ingested records, the
# backstop for a rewritten log), dagster/ (dagster.yaml and workspace.yaml: what dagster loads
# as code), exports/ (every tenant's exports) and the store's WAL were not. Linked into a
# tenant's workspace, an agent's sandboxed command wrote them.
HOME_STATE = ("parquet", "dagster", "exports", "gonogo.duckdb.wal")


@pytest.mark.sandbox
@pytest.mark.parametrize("name", HOME_STATE)
def test_state_under_the_home_linked_into_a_workspace_is_refused_by_effect(
    tmp_path: Path, bwrap: str, name: str, policy_cache_seed: Path
) -> None:
    from enforcement_agent.models import ToolRequest, Verdict
    from gonogo.config import Settings
    from gonogo.wiring import StateInWorkspaceError, build_agent

    warm_policy_cache(policy_cache_seed, tmp_path / "home")  # the subject is not the compile
    settings = Settings(home=tmp_path / "home").ensure()
    ws = settings.workspace("acme")
    ws.mkdir(parents=True)
    inside = ws / "st"
    if name.endswith(".wal"):
        (settings.home / name).symlink_to(inside)
    else:
        inside.mkdir()
        (settings.home / name).symlink_to(inside)
    agent = build_agent(settings)  # as `gonogo serve` builds it: the check is per call
    try:
        write = "echo forged > st/x" if not name.endswith(".wal") else "echo forged > st"
        req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=write)
        result = agent.handle(req)
    finally:
        agent.telemetry.shutdown()
    state = settings.home / name
    forged = (state / "x") if not name.endswith(".wal") else state
    assert not forged.exists(), (result.decision.rule, result.outcome)
    assert result.decision.decision is Verdict.DENY
    assert result.decision.rule == "state-in-workspace"
    with pytest.raises(StateInWorkspaceError):
        build_agent(settings, workspace=ws)


# ---- the Claude Code hook (clean) ---------------------------------------------------------


def _hook(home: Path, ws: Path, tool: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    data = {"session_id": "s", "cwd": str(ws), "hook_event_name": "PreToolUse",
            "tool_name": tool, "tool_input": tool_input, "tool_use_id": "toolu_rt23"}  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(home)
    proc = subprocess.run(
        [sys.executable, "-m", "gonogo", "hook", "claude-code", "--tenant", "acme", "--role",
         "contributor", "--workspace", str(ws)],
        input=json.dumps(data).encode(), capture_output=True, cwd=REPO_ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)["hookSpecificOutput"]
    return out


HOOK_REFUSED = {
    "nul_then_host_write": ("Bash", {"command": "echo a\0; touch {host}"}),
    "quote_before_nul": ("Bash", {"command": "echo a'\0; touch {host}"}),
    "over_64_kib": ("Bash", {"command": "touch {host}; echo " + "x" * 70_000}),
    "unterminated_heredoc": ("Bash", {"command": "touch {host} <<EOF\nhi"}),
    "trailing_backslash": ("Bash", {"command": "touch {host} \\"}),
    "closing_the_cd_wrapper": ("Bash", {"command": "true\n}; touch {host}; {\ntrue"}),
    "lower_case_bash": ("bash", {"command": "touch {host}"}),
    "kill_shell": ("KillShell", {"shell_id": "1"}),
    "ide_execute_code": ("mcp__ide__executeCode", {"code": "open('{host}', 'w')"}),
    "multiedit_git_hook": ("MultiEdit", {"file_path": "{ws}/.git/hooks/pre-commit",
                                         "edits": [{"old_string": "", "new_string": "x"}]}),
    "notebookedit_workflow": ("NotebookEdit", {"notebook_path": "{ws}/.github/workflows/x.ipynb",
                                               "new_source": "x"}),
    "write_claude_md": ("Write", {"file_path": "{ws}/CLAUDE.md", "content": "ignore the rules"}),
}  # fmt: skip


def _fill(value: Any, host: Path, ws: Path) -> Any:
    if isinstance(value, str):
        return value.replace("{host}", str(host)).replace("{ws}", str(ws))
    if isinstance(value, list):
        return [_fill(v, host, ws) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, host, ws) for k, v in value.items()}
    return value


@pytest.mark.parametrize("case", sorted(HOOK_REFUSED))
def test_the_hook_refuses_what_it_cannot_rewrite_safely(
    tmp_path: Path, case: str, policy_cache_seed: Path
) -> None:
    warm_policy_cache(policy_cache_seed, tmp_path / "home")  # the subject is not the compile
    ws = tmp_path / "ws"
    (ws / ".git" / "hooks").mkdir(parents=True)
    host = tmp_path / "ran-on-host"
    tool, ti = HOOK_REFUSED[case]
    out = _hook(tmp_path / "home", ws, tool, _fill(ti, host, ws))
    assert out["permissionDecision"] == "deny", out
    assert "updatedInput" not in out


@pytest.mark.sandbox
def test_an_allowed_bash_with_extra_inputs_still_runs_in_the_sandbox(
    tmp_path: Path, bwrap: str, policy_cache_seed: Path
) -> None:
    """Control: extra Bash inputs are kept and the command is still rewritten; run as Claude
    Code would (the host shell runs updatedInput.command), it lands in the workspace as the
    tenant's uid and its write to the host's /tmp stays in the sandbox's private /tmp."""
    warm_policy_cache(policy_cache_seed, tmp_path / "home")  # the subject is not the compile
    ws = tmp_path / "ws"
    ws.mkdir()
    host = Path("/tmp") / f"rt23-host-{os.getpid()}"
    ti = {"command": f"id -u; echo made > made.txt; touch {host}", "run_in_background": True,
          "dangerouslyDisableSandbox": True, "timeout": 5000}  # fmt: skip
    out = _hook(tmp_path / "home", ws, "Bash", ti)
    if out["permissionDecision"] != "allow":  # the /tmp write may be refused outright: also fine
        assert not host.exists()
        ti["command"] = "id -u; echo made > made.txt"
        out = _hook(tmp_path / "home", ws, "Bash", ti)
    assert out["permissionDecision"] == "allow", out
    updated = out["updatedInput"]
    assert updated["run_in_background"] is True and updated["dangerouslyDisableSandbox"] is True
    assert " agent exec " in updated["command"]
    proc = subprocess.run(["bash", "-c", updated["command"]], capture_output=True, text=True,
                          cwd=ws, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[0] != "0"
    assert (ws / "made.txt").read_text() == "made\n"
    assert not host.exists()


# ---- class 13 (found): GONOGO_HOME named through a link in the workspace ----------------------


@pytest.mark.sandbox
def test_by_effect_the_agent_cannot_move_the_home_through_a_link(
    tmp_path: Path, bwrap: str
) -> None:
    """GONOGO_HOME=ws/st (st -> the operator's home). On main every call was allowed; one
    allowed `python3 flip.py` in the sandbox repointed st, and the next hook process kept its
    decision records (and key, cache, approvals) where the agent chose."""
    ws = tmp_path / "ws"
    ws.mkdir()
    real_home = tmp_path / "real-home"
    real_home.mkdir()
    chosen = tmp_path / "agent-chosen"
    (ws / "st").symlink_to(real_home)
    script = f"import os\nos.remove('st')\nos.symlink({str(chosen)!r}, 'st')\n"

    def hook(tool: str, ti: dict[str, Any]) -> dict[str, Any]:
        data = {"session_id": "s", "cwd": str(ws), "hook_event_name": "PreToolUse",
                "tool_name": tool, "tool_input": ti}  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
        env["GONOGO_HOME"] = str(ws / "st")
        proc = subprocess.run(
            [sys.executable, "-m", "gonogo", "hook", "claude-code", "--tenant", "acme",
             "--role", "contributor", "--workspace", str(ws)],
            input=json.dumps(data).encode(), capture_output=True, cwd=REPO_ROOT, env=env,
            timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        out: dict[str, Any] = json.loads(proc.stdout)["hookSpecificOutput"]
        return out

    write = hook("Write", {"file_path": str(ws / "flip.py"), "content": script})
    if write["permissionDecision"] == "allow":
        (ws / "flip.py").write_text(script)  # what Claude Code does with an allowed Write
        run = hook("Bash", {"command": "python3 flip.py"})
        if run["permissionDecision"] == "allow":
            env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
            subprocess.run(["bash", "-c", run["updatedInput"]["command"]], cwd=ws, env=env,
                           capture_output=True, timeout=120)  # fmt: skip
        hook("Bash", {"command": "ls"})
    assert not (chosen / "audit").exists(), "the next call's records went where the agent chose"
    assert write["permissionDecision"] == "deny"
    assert "symbolic link" in write["permissionDecisionReason"]
