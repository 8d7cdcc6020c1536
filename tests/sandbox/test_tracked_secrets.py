"""A secret that git holds cannot be read back from its object store inside the sandbox
(issue 10, class 9; fifth red-team pass).

The sandbox hides every secret file behind an empty one, but git keeps what it tracks, what
was once staged and what a stash holds in its object store: ``python3 x.py`` running
``git show HEAD:.env`` read the canary with the fourth pass's sandbox. Now a git directory
whose store holds a secret (by the policy's ``files.secrets`` names, or the content of a
secret file of the workspace) is hidden as a whole inside the sandbox and the result says
why (``enforcement_agent/sandbox/git_secrets.py``). Each attempt runs for real in bubblewrap;
the control runs the same attempts with the hiding switched off and shows that they read the
canary. Everyday git in a repository whose store holds no secret keeps working.
"""

from __future__ import annotations

import base64
import codecs
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import ExecResult, git_secrets, workspace_state
from tests.sandbox.conftest import run_attempt

pytestmark = pytest.mark.sandbox

TENANT = "rt5-tracked"
CANARY = "tr4cked-CANARY-5b2e"
LIMITS = Limits(wall_seconds=60, cpu_seconds=20, processes=64)
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "a",
    "GIT_AUTHOR_EMAIL": "a@x",
    "GIT_COMMITTER_NAME": "a",
    "GIT_COMMITTER_EMAIL": "a@x",
}
# inside the sandbox
GIT_IN = {k: GIT_ENV[k] for k in GIT_ENV if k.startswith("GIT_")}


def _git(cwd: Path, *args: str) -> str:
    r = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "safe.directory=*", *args],
        cwd=cwd,
        env=GIT_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return r.stdout


def _forms(text: str) -> list[str]:
    raw = text.encode()
    return [
        text,
        text[::-1],
        base64.b64encode(raw).decode(),
        raw.hex(),
        codecs.encode(text, "rot13"),
    ]


def _leaked(out: str) -> bool:
    return any(f in out for f in _forms(CANARY))


SCAN_LOOSE = (
    "import zlib\n"
    "for d, _, fs in os.walk('.git/objects'):\n"
    "    for f in fs:\n"
    "        try:\n"
    "            print(zlib.decompress(open(os.path.join(d, f), 'rb').read()))\n"
    "        except Exception:\n"
    "            pass"
)
UNPACK = (
    "import glob\n"
    "packs = glob.glob('.git/objects/pack/*.pack')\n"
    "print('packs', packs)\n"
    "subprocess.run(['git', 'init', '-q', '/tmp/r'], check=True)\n"
    "for p in packs:\n"
    "    subprocess.run(['git', '-C', '/tmp/r', 'unpack-objects'], stdin=open(p, 'rb'))\n"
    "ids = subprocess.run(['git', '-C', '/tmp/r', 'cat-file', '--batch-all-objects',\n"
    "    '--batch-check=%(objectname)'], capture_output=True, text=True).stdout.split()\n"
    "for i in ids:\n"
    "    print(subprocess.run(['git', '-C', '/tmp/r', 'cat-file', '-p', i],\n"
    "        capture_output=True).stdout)"
)


def sh(cmd: str) -> str:
    return f"print(subprocess.run({cmd!r}, shell=True, capture_output=True, text=True))"


# name -> (how the host set the repository up, the attempt run inside)
def _tracked(ws: Path) -> None:
    (ws / ".env").write_text(f"TOKEN={CANARY}\n")
    _git(ws, "add", "-f", ".env")
    _git(ws, "commit", "-qm", "add env")


def _tracked_then_removed(ws: Path) -> None:
    _tracked(ws)
    _git(ws, "rm", "-q", "--cached", ".env")
    _git(ws, "commit", "-qm", "untrack env")


def _packed(ws: Path) -> None:
    _tracked_then_removed(ws)
    _git(ws, "gc", "-q")


def _staged_only(ws: Path) -> None:
    (ws / ".env").write_text(f"TOKEN={CANARY}\n")
    _git(ws, "add", "-f", ".env")


def _staged_then_reset(ws: Path) -> None:
    _staged_only(ws)
    _git(ws, "reset", "-q")


def _amended_away(ws: Path) -> None:
    _tracked(ws)
    _git(ws, "reset", "-q", "--soft", "HEAD~1")
    _git(ws, "rm", "-q", "--cached", ".env")
    (ws / ".env").unlink()  # gone from the work tree: only the reflog names the commit


def _stashed(ws: Path) -> None:
    (ws / "config").mkdir()
    (ws / "config" / "prod.env").write_text(f"DB={CANARY}\n")
    _git(ws, "stash", "push", "-q", "-u")
    # the file is gone from the work tree: only the stash holds it


def _nested_repo(ws: Path) -> None:
    sub = ws / "vendor2" / "lib"
    sub.mkdir(parents=True)
    _git(sub, "init", "-q")
    (sub / "keys").mkdir()
    (sub / "keys" / "id_rsa").write_text(f"-----BEGIN KEY-----\n{CANARY}\n")
    _git(sub, "add", "-f", "keys/id_rsa")
    _git(sub, "commit", "-qm", "key")


def _bare_clone(ws: Path) -> None:
    _tracked_then_removed(ws)
    _git(ws, "clone", "-q", "--bare", ".", "backup.git")
    _git(ws, "reflog", "expire", "--expire=now", "--all")
    _git(ws, "checkout", "-q", "--orphan", "fresh")
    _git(ws, "commit", "-qm", "fresh")
    _git(ws, "branch", "-D", "main")
    _git(ws, "gc", "-q", "--prune=now")


def _aws_dir(ws: Path) -> None:
    (ws / ".aws").mkdir()
    (ws / ".aws" / "credentials").write_text(f"aws_secret_access_key={CANARY}\n")
    _git(ws, "add", "-f", ".aws")
    _git(ws, "commit", "-qm", "aws")


def _secret_named_dir(ws: Path) -> None:
    (ws / "keys" / "id_rsa").mkdir(parents=True)
    (ws / "keys" / "id_rsa" / "key").write_text(f"{CANARY}\n")
    _git(ws, "add", "-f", "keys")
    _git(ws, "commit", "-qm", "keys")


def _submodule_with_secret(ws: Path) -> None:
    src = ws.parent / "subsrc"
    src.mkdir()
    _git(src, "init", "-q")
    (src / ".env").write_text(f"TOKEN={CANARY}\n")
    _git(src, "add", "-f", ".env")
    _git(src, "commit", "-qm", "env")
    _git(ws, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(src), "lib")
    _git(ws, "commit", "-qm", "sub")
    (ws / "lib" / ".env").unlink()  # only the submodule's store holds it now


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "show_head": (_tracked, sh("git show HEAD:.env")),
    "cat_file_blob": (_tracked, sh("git cat-file -p $(git rev-parse HEAD:.env)")),
    "cat_file_known_id": (_tracked, sh("git cat-file -p BLOB")),
    "zlib_loose_objects": (_tracked, SCAN_LOOSE),
    "archive": (_tracked, sh("git archive HEAD | tar -xO")),
    "log_p_history": (_tracked_then_removed, sh("git log -p --all")),
    "show_parent": (_tracked_then_removed, sh("git show HEAD~1:.env")),
    "unpack_packfile": (_packed, UNPACK),
    "read_pack_bytes": (
        _packed,
        sh(
            "cat .git/objects/pack/*.pack | git unpack-objects -n; cp -r .git /tmp/g; git --git-dir=/tmp/g log -p --all"
        ),
    ),
    "index_only": (_staged_only, sh("git show :.env")),
    "staged_then_reset_dangling": (_staged_then_reset, SCAN_LOOSE),
    "fsck_lost_found": (
        _staged_then_reset,
        sh("git fsck --lost-found; cat .git/lost-found/other/*; git cat-file -p BLOB"),
    ),
    "reflog_only": (_amended_away, sh("git show 'HEAD@{1}:.env'")),
    "stash_show": (
        _stashed,
        sh("git stash show -p --include-untracked; git show 'stash^3:config/prod.env'"),
    ),
    "nested_repo": (_nested_repo, sh("git -C vendor2/lib show HEAD:keys/id_rsa")),
    "bare_clone_in_workspace": (_bare_clone, sh("git --git-dir=backup.git log -p --all")),
    "bare_clone_zlib": (
        _bare_clone,
        SCAN_LOOSE.replace(".git/objects", "backup.git/objects")
        + "\n"
        + sh(
            "cat backup.git/objects/pack/*.pack | strings | head -0; git init -q /tmp/r; cd /tmp/r; for p in /workspace/backup.git/objects/pack/*.pack; do git unpack-objects < $p; done; git cat-file --batch-all-objects --batch"
        ),
    ),
    "secret_dir_tracked": (_aws_dir, sh("git show HEAD:.aws/credentials")),
    "copy_git_dir_out": (_tracked, sh("cp -r .git /tmp/g && git --git-dir=/tmp/g show HEAD:.env")),
    "grep_history": (_tracked, sh("git grep -h TOKEN $(git rev-list --all)")),
    "file_in_a_secret_named_dir": (_secret_named_dir, sh("git show HEAD:keys/id_rsa/key")),
    "submodule_store": (_submodule_with_secret, sh("git -C lib show HEAD:.env")),
    "submodule_store_zlib": (
        _submodule_with_secret,
        SCAN_LOOSE.replace(".git/objects", ".git/modules/lib/objects"),
    ),
}


def _repo(root: Path, setup: Callable[[Path], None]) -> tuple[Path, str]:
    ws = root / "ws"
    ws.mkdir(parents=True)
    _git(ws, "init", "-q")
    (ws / ".gitignore").write_text(".env\n")
    (ws / "a.txt").write_text("plain\n")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-qm", "init")
    setup(ws)
    blob = subprocess.run(
        ["git", "hash-object", "--stdin"], input=f"TOKEN={CANARY}\n", capture_output=True, text=True
    ).stdout.strip()
    return ws, blob


def _run(ws: Path, code: str, names: object, blob: str) -> ExecResult:
    r = run_attempt(ws, code.replace("BLOB", blob), names, after="pass", tenant=TENANT, env=GIT_IN)
    assert isinstance(r, ExecResult)
    return r


def test_control_without_hiding_each_attempt_reads_the_canary(
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fourth pass's sandbox (every secret file masked, stores visible) leaks them all."""
    monkeypatch.setattr(workspace_state, "_stores_to_hide", lambda *a, **k: {})
    read = []
    for name, (setup, code) in CASES.items():
        ws, blob = _repo(tmp_path / name, setup)
        r = _run(ws, code, policy_names(ws), blob)
        if _leaked(r.output.decode("utf-8", "replace")):
            read.append(name)
    assert sorted(set(CASES) - set(read)) == [], "control: these did not read it"


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_attempt_reads_a_secret_git_holds(
    name: str, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    setup, code = CASES[name]
    ws, blob = _repo(tmp_path, setup)
    r = _run(ws, code, policy_names(ws), blob)
    out = r.output.decode("utf-8", "replace")
    assert not _leaked(out), (name, out[-1500:])
    assert r.hidden, r.detail  # the result says what was hidden and why
    assert "hidden from the command" in r.detail and "secret" in r.detail
    assert "could not be checked" not in r.detail, r.detail  # found, not failed closed
    # nothing left in the workspace holds it either (besides the host's own copies)
    for p in ws.rglob("*"):
        if p.is_file() and not p.is_symlink() and ".git" not in p.parts and p.suffix != ".git":
            if (
                "backup.git" in p.parts
                or "id_rsa" in p.parts
                or p.name in {".env", "prod.env", "credentials"}
            ):
                continue
            assert not _leaked(p.read_text(errors="replace")), p


def test_the_hidden_store_is_untouched_and_git_works_on_the_host_after(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws, blob = _repo(tmp_path, _tracked)
    before = _git(ws, "rev-parse", "HEAD")
    r = _run(
        ws,
        sh("git commit --allow-empty -m x; rm -rf .git/objects; ls -la .git"),
        policy_names(ws),
        blob,
    )
    assert r.hidden
    assert _git(ws, "rev-parse", "HEAD") == before
    assert CANARY in _git(ws, "show", "HEAD:.env")


# ---- everyday git where the store holds no secret --------------------------------------

EVERYDAY = (
    "run = lambda *a: print(subprocess.run(['git', *a], capture_output=True, text=True,"
    " check=True).stdout)\n"
    "run('status', '--short')\n"
    "open('b.txt', 'w').write('more\\n')\n"
    "run('add', 'b.txt')\n"
    "run('commit', '-qm', 'from the sandbox')\n"
    "run('log', '--oneline')\n"
    "run('diff', 'HEAD~1', '--stat')\n"
    "run('show', 'HEAD:a.txt')\n"
    "run('branch', 'feature')\n"
    "run('stash', 'list')\n"
    "print('ENV', repr(open('.env').read()))"
)


def _everyday_repo(tmp_path: Path) -> Path:
    ws, _ = _repo(tmp_path, lambda ws: None)
    (ws / ".env").write_text(f"TOKEN={CANARY}\n")  # ignored, never added: a file, not an object
    (ws / "config").mkdir()
    (ws / "config" / "prod.env").write_text(f"DB={CANARY}\n")
    (ws / ".gitignore").write_text(".env\n*.env\n")
    _git(ws, "add", ".gitignore")
    _git(ws, "commit", "-qm", "ignore")
    return ws


def test_everyday_git_works_when_no_secret_is_in_the_store(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _everyday_repo(tmp_path)
    r = _run(ws, EVERYDAY, policy_names(ws), "")
    out = r.output.decode()
    assert r.outcome is Outcome.SUCCESS, (r.detail, out)
    assert not r.hidden and "hidden" not in r.detail
    assert "from the sandbox" in _git(ws, "log", "--oneline")
    assert "plain" in out and "ENV ''" in out and not _leaked(out)


def test_everyday_git_in_a_nested_repository_without_secrets(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _everyday_repo(tmp_path)
    _nested_repo(ws)  # this one holds a key: hidden
    clean = ws / "libs" / "ok"
    clean.mkdir(parents=True)
    _git(clean, "init", "-q")
    (clean / "m.py").write_text("x = 1\n")
    _git(clean, "add", "m.py")
    _git(clean, "commit", "-qm", "m")
    r = _run(
        ws,
        EVERYDAY + "\n" + sh("git -C libs/ok log --oneline; git -C vendor2/lib log"),
        policy_names(ws),
        "",
    )
    out = r.output.decode()
    assert r.outcome is Outcome.SUCCESS, (r.detail, out)
    assert (
        list(r.hidden)
        and "vendor2/lib/.git" in r.detail
        and ".git hidden" not in r.detail.replace("vendor2/lib/.git hidden", "")
    )
    assert "from the sandbox" in _git(ws, "log", "--oneline")
    assert not _leaked(out)


def test_an_empty_secret_the_agent_committed_does_not_hide_the_store(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    """``git add -A`` inside sees the masks (empty files): committing them leaks nothing,
    so it must not cost the workspace its git."""
    ws = _everyday_repo(tmp_path)
    (ws / ".gitignore").write_text("")
    _git(ws, "add", ".gitignore")
    _git(ws, "commit", "-qm", "no ignores")
    r = _run(
        ws, sh("git add -A && git commit -qm all && git show --stat HEAD"), policy_names(ws), ""
    )
    assert r.outcome is Outcome.SUCCESS and not r.hidden, r.detail
    assert ".env" in _git(ws, "show", "--stat", "HEAD")
    assert _git(ws, "show", "HEAD:.env") == ""
    r2 = _run(ws, sh("git log --oneline"), policy_names(ws), "")
    assert not r2.hidden and b"all" in r2.output


def test_a_secret_committed_on_the_host_between_runs_is_seen(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _everyday_repo(tmp_path)
    r1 = _run(ws, sh("git log --oneline"), policy_names(ws), "")
    assert not r1.hidden
    _git(ws, "add", "-f", "config/prod.env")
    _git(ws, "commit", "-qm", "oops")
    r2 = _run(ws, sh("git show HEAD:config/prod.env"), policy_names(ws), "")
    assert r2.hidden and not _leaked(r2.output.decode())
    assert "config/prod.env" in r2.detail


def test_the_check_is_memoised_per_store_state(
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ws = _everyday_repo(tmp_path)
    _run(ws, "pass", policy_names(ws), "")
    calls: list[str] = []
    real = git_secrets.check

    def counting(*a: object, **k: object) -> git_secrets.Verdict:
        calls.append("x")
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(git_secrets, "check", counting)
    _run(ws, "pass", policy_names(ws), "")
    assert calls == []  # nothing changed: no git run
    (ws / "n.txt").write_text("n\n")
    _git(ws, "add", "n.txt")
    _git(ws, "commit", "-qm", "n")
    _run(ws, "pass", policy_names(ws), "")
    assert calls == ["x"]


def test_a_store_that_cannot_be_checked_is_hidden(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _everyday_repo(tmp_path)
    head = _git(ws, "rev-parse", "HEAD").strip()
    obj = ws / ".git" / "objects" / head[:2] / head[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"garbage")  # a corrupt commit: git cannot say what it holds
    r = _run(ws, sh("git log"), policy_names(ws), "")
    assert r.hidden and "could not be checked" in r.detail


def test_cost_of_the_check(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    """A 300-commit repository: the first check, a memoised one, one after a new commit."""
    ws = _everyday_repo(tmp_path)
    for i in range(300):
        (ws / f"f{i % 40}.txt").write_text(f"{i}\n")
        _git(ws, "add", "-A")
        _git(ws, "commit", "-qm", f"c{i}")
    names = policy_names(ws)
    memo = git_secrets.Memo(str(tmp_path / "memo.json"))
    t0 = time.monotonic()
    v = git_secrets.verdicts(str(ws), [".git"], names.secret, [".env"], None, memo)  # type: ignore[attr-defined]
    first = time.monotonic() - t0
    t0 = time.monotonic()
    git_secrets.verdicts(str(ws), [".git"], names.secret, [".env"], None, memo)  # type: ignore[attr-defined]
    again = time.monotonic() - t0
    assert not v[".git"].hide
    assert first < 5 and again < 0.05, (first, again)
    shutil.rmtree(ws)


def test_gonogo_agent_exec_says_why_and_records_it(tmp_path: Path, bwrap: str) -> None:
    """End to end: ``gonogo agent exec -- python3 x.py`` where x.py runs ``git show
    HEAD:.env``; the policy allows it (it reads ``python3 x.py``), the sandbox hides the
    store, stderr says why and the decision log holds an outcome record naming it."""
    import json

    from tests.sandbox.conftest import agent_exec

    ws, _ = _repo(tmp_path, _tracked)
    (ws / "x.py").write_text(
        "import subprocess\n"
        "print(subprocess.run(['git', 'show', 'HEAD:.env'], capture_output=True, text=True))\n"
    )
    home = tmp_path / "gonogo-home"
    p = agent_exec(ws, home, "python3 x.py", tenant="acme")
    assert isinstance(p, subprocess.CompletedProcess)
    out, err = p.stdout.decode(), p.stderr.decode()
    assert not _leaked(out), out
    assert "hidden from the command" in err and ".env" in err, err
    records = [
        json.loads(line)
        for f in home.rglob("*.jsonl")
        for line in f.read_text().splitlines()
        if line.startswith("{")
    ]
    assert [r for r in records if "hidden from the command" in json.dumps(r)], records[-2:]


# ---- stores inside protected directories (bound whole, not walked) -----------------------


def _in_devcontainer(ws: Path) -> None:
    repo = ws / ".devcontainer" / "feature"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / ".env").write_text(f"TOKEN={CANARY}\n")
    _git(repo, "add", "-f", ".env")
    _git(repo, "commit", "-qm", "env")


def _jj_store(ws: Path) -> None:
    _tracked_then_removed(ws)
    store = ws / ".jj" / "repo" / "store" / "git"
    store.parent.mkdir(parents=True)
    _git(ws, "clone", "-q", "--bare", ".", str(store))


IN_PROTECTED: dict[str, tuple[Callable[[Path], None], str]] = {
    "repo_in_devcontainer": (
        _in_devcontainer,
        sh("git -C .devcontainer/feature show HEAD:.env"),
    ),
    "repo_in_devcontainer_zlib": (
        _in_devcontainer,
        SCAN_LOOSE.replace(".git/objects", ".devcontainer/feature/.git/objects"),
    ),
    "jj_git_store": (_jj_store, sh("git --git-dir=.jj/repo/store/git log -p --all")),
    "jj_git_store_zlib": (
        _jj_store,
        SCAN_LOOSE.replace(".git/objects", ".jj/repo/store/git/objects"),
    ),
}


def test_control_stores_in_protected_directories_were_read(
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from enforcement_agent.sandbox import workspace_names

    monkeypatch.setattr(workspace_names, "_stores_in", lambda root, dirs, depth=None: [])
    read = []
    for name, (setup, code) in IN_PROTECTED.items():
        ws, blob = _repo(tmp_path / name, setup)
        if _leaked(_run(ws, code, policy_names(ws), blob).output.decode("utf-8", "replace")):
            read.append(name)
    assert sorted(set(IN_PROTECTED) - set(read)) == []


@pytest.mark.parametrize("name", sorted(IN_PROTECTED))
def test_a_store_inside_a_protected_directory_is_hidden_and_stays_read_only(
    name: str, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    setup, code = IN_PROTECTED[name]
    ws, blob = _repo(tmp_path, setup)
    top = ".devcontainer" if name.startswith("repo") else ".jj"
    code += (
        f"\nfor d, _, _ in os.walk({top!r}):\n"
        "    try:\n"
        "        open(os.path.join(d, 'planted'), 'w').write('x')\n"
        "        print('WROTE', d)\n"
        "    except OSError:\n"
        "        pass"
    )
    r = _run(ws, code, policy_names(ws), blob)
    out = r.output.decode("utf-8", "replace")
    assert not _leaked(out), out[-800:]
    assert r.hidden and "could not be checked" not in r.detail, r.detail
    assert "WROTE" not in out and not list((ws / top).rglob("planted")), out[-800:]


# ---- sixth pass (review of the fifth), 2026-12-03 ---------------------------------------------
# A repository inside a vendor directory (the scan does not walk them) was never checked: a
# dependency checked out in `node_modules/PKG`, `pip install -e git+…` in `.venv/src/PKG`, a
# build's `target/dep`. With the secret only in its history, `git -C node_modules/pkg log -p`
# printed it inside the sandbox (shown; the control below reads every one). Now the vendor
# directories' top levels are looked at for stores like the protected directories are.
def _vendor_repo(where: str, bare: bool = False) -> Callable[[Path], None]:
    def setup(ws: Path) -> None:
        src = ws.parent / f"src-{where.replace('/', '_')}"
        src.mkdir(parents=True)
        _git(src, "init", "-q")
        (src / ".env").write_text(f"TOKEN={CANARY}\n")
        _git(src, "add", "-f", ".env")
        _git(src, "commit", "-qm", "env")
        _git(src, "rm", "-q", "--cached", ".env")
        _git(src, "commit", "-qm", "untrack")
        (src / ".env").unlink()
        (ws / where).parent.mkdir(parents=True, exist_ok=True)
        _git(ws, "clone", "-q", *(["--bare"] if bare else []), str(src), str(ws / where))

    return setup


SIXTH_PASS_VENDOR_STORES: dict[str, tuple[Callable[[Path], None], str]] = {
    "node_modules_pkg": (
        _vendor_repo("node_modules/pkg"),
        sh("git -C node_modules/pkg log -p --all"),
    ),
    "node_modules_scoped": (
        _vendor_repo("node_modules/@org/pkg"),
        sh("git -C node_modules/@org/pkg show HEAD~1:.env"),
    ),
    "venv_src_editable": (_vendor_repo(".venv/src/pkg"), sh("git -C .venv/src/pkg log -p --all")),
    "target_dep": (_vendor_repo("target/dep"), sh("git -C target/dep log -p --all")),
    "cache_clone": (_vendor_repo(".cache/x/repo"), sh("git -C .cache/x/repo log -p --all")),
    "bare_in_node_modules": (
        _vendor_repo("node_modules/pkg.git", bare=True),
        sh("git --git-dir=node_modules/pkg.git log -p --all"),
    ),
    "blobs_in_node_modules": (
        _vendor_repo("node_modules/pkg"),
        sh(
            "cd node_modules/pkg && for o in $(git cat-file --batch-all-objects"
            " --batch-check='%(objectname) %(objecttype)' | grep blob | cut -d' ' -f1);"
            " do git cat-file -p $o; done"
        ),
    ),
}


def test_sixth_pass_control_vendor_stores_were_read(
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workspace_state, "_stores_to_hide", lambda *a, **k: {})
    read = []
    for name, (setup, code) in SIXTH_PASS_VENDOR_STORES.items():
        ws, blob = _repo(tmp_path / name, setup)
        if _leaked(_run(ws, code, policy_names(ws), blob).output.decode("utf-8", "replace")):
            read.append(name)
    assert sorted(set(SIXTH_PASS_VENDOR_STORES) - set(read)) == [], "control: not read"


@pytest.mark.parametrize("name", sorted(SIXTH_PASS_VENDOR_STORES))
def test_sixth_pass_a_store_in_a_vendor_directory_is_hidden(
    name: str, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    setup, code = SIXTH_PASS_VENDOR_STORES[name]
    ws, blob = _repo(tmp_path, setup)
    r = _run(ws, code, policy_names(ws), blob)
    out = r.output.decode("utf-8", "replace")
    assert not _leaked(out), (name, out[-1500:])
    assert r.hidden and "secret" in r.detail, r.detail


def test_sixth_pass_a_clean_store_in_a_vendor_directory_keeps_working(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    def setup(ws: Path) -> None:
        src = ws.parent / "clean-src"
        src.mkdir()
        _git(src, "init", "-q")
        (src / "index.js").write_text("module.exports = 1\n")
        _git(src, "add", "-A")
        _git(src, "commit", "-qm", "c")
        (ws / "node_modules").mkdir()
        _git(ws, "clone", "-q", str(src), str(ws / "node_modules/pkg"))

    ws, blob = _repo(tmp_path, setup)
    r = _run(ws, sh("git -C node_modules/pkg log --oneline"), policy_names(ws), blob)
    out = r.output.decode("utf-8", "replace")
    assert " c\\n" in out or " c\n" in out, out[-800:]
    assert not r.hidden, r.detail
