"""Provider tokens at rest through the real CLI: after `gonogo secrets set` no credential is
readable under the state directory in plain, base64, hex or URL-encoded form; `rotate` keeps
them working (a connector call through the fake provider succeeds); `verify` fails on
plaintext, tampering or the wrong KEK."""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from enforcement_agent.connectors.fake_provider import FakeProvider
from enforcement_agent.models import Outcome, ToolRequest
from enforcement_agent.secretbox import LocalKek, SealedSecrets, SecretStoreError
from gonogo.config import DEFAULT_PLAN_DIR, REPO_ROOT, Settings

pytestmark = pytest.mark.security(family="auth")

GH = "ghp_" + "S3cr3tTok" * 4 + "Xy"
JIRA = "jira-api-token/with+odd=chars&" + "k" * 12


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gonogo", "secrets", *args], input=stdin,
                          env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    e["GONOGO_HOME"] = str(tmp_path / "home")
    e["GONOGO_KEK_FILE"] = str(tmp_path / "keys" / "kek")
    r = run(["init-kek"], e)
    assert r.returncode == 0, r.stderr
    return e


def readable_forms(blob: bytes, secret: str) -> list[str]:
    """An independent hunt: decode every base64/hex run and URL-unquote, then look."""
    s = secret.encode()
    found = []
    if s in blob:
        found.append("plain")
    text = blob.decode("latin-1")
    for run_ in re.findall(r"[A-Za-z0-9+/_=-]{12,}", text):
        for alt in (run_, run_.replace("-", "+").replace("_", "/")):
            for cut in range(4):
                chunk = alt[cut:]
                chunk = chunk[: len(chunk) - len(chunk) % 4]
                try:
                    if s in base64.b64decode(chunk + "==", validate=False):
                        found.append("base64")
                except (binascii.Error, ValueError):
                    pass
    for run_ in re.findall(r"[0-9a-fA-F]{16,}", text):
        for cut in range(2):
            chunk = run_[cut:]
            if s in binascii.unhexlify(chunk[: len(chunk) - len(chunk) % 2]):
                found.append("hex")
    if s in urllib.parse.unquote_plus(text).encode("latin-1", "replace"):
        found.append("urlencoded")
    return found


def scan_tree(root: Path, secret: str) -> list[tuple[str, list[str]]]:
    hits = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink():
            forms = readable_forms(p.read_bytes(), secret)
            if forms:
                hits.append((str(p.relative_to(root)), forms))
    return hits


def test_the_independent_hunt_finds_what_it_should(tmp_path: Path) -> None:
    for blob in (GH.encode(), b"x" + base64.b64encode(b"ab" + GH.encode()),
                 binascii.hexlify(GH.encode()), urllib.parse.quote(JIRA).encode()):  # fmt: skip
        assert readable_forms(blob, GH) or readable_forms(blob, JIRA)


def test_set_leaves_no_readable_credential_and_rotate_keeps_it_working(env: dict[str, str]) -> None:
    home = Path(env["GONOGO_HOME"])
    for tenant, conn, value in (("acme", "github", GH), ("acme", "jira", JIRA),
                                ("globex", "github", GH[::-1])):  # fmt: skip
        r = run(
            ["set", "--tenant", tenant, "--connector", conn, "--actor", "ops-1"], env, value + "\n"
        )
        assert r.returncode == 0, r.stderr
        assert value not in r.stdout + r.stderr
    for value in (GH, JIRA, GH[::-1]):
        assert scan_tree(home, value) == [], "a credential is readable under the state directory"
    listing = run(["list", "--json"], env)
    assert listing.returncode == 0 and GH not in listing.stdout
    assert {(s["tenant"], s["connector"]) for s in json.loads(listing.stdout)["secrets"]} == {
        ("acme", "github"),
        ("acme", "jira"),
        ("globex", "github"),
    }
    assert run(["verify"], env).returncode == 0

    before = json.loads(listing.stdout)["keys"]
    rot = run(["rotate", "--actor", "ops-2"], env)
    assert rot.returncode == 0, rot.stderr
    assert [line.split()[0] for line in rot.stdout.splitlines()] == [
        "add", "distribute", "promote", "re-encrypt", "retire"]  # fmt: skip
    after = json.loads(run(["list", "--json"], env).stdout)
    old = {k["kid"] for k in before}
    assert all(k["state"] == "retired" for k in after["keys"] if k["kid"] in old)
    primary = [k["kid"] for k in after["keys"] if k["state"] == "primary"]
    assert len(primary) == 1 and primary[0] not in old
    assert {s["kid"] for s in after["secrets"]} == set(primary)
    ring = json.loads((home / "secrets" / "keyring.json").read_text())
    assert all("wrapped" not in k for k in ring["keys"] if k["kid"] in old)
    events = [json.loads(x) for x in (home / "secrets" / "events.jsonl").read_text().splitlines()]
    rotation = [e for e in events if e["command"] == "rotate"][-1]
    assert rotation["who"] == "ops-2" and rotation["reencrypted"] == 3 and rotation["at"]
    for value in (GH, JIRA, GH[::-1]):
        assert scan_tree(home, value) == []
    assert run(["verify"], env).returncode == 0

    # Still works: a connector call through the real agent and the fake provider.
    with FakeProvider() as provider:
        os.environ.update({"GONOGO_KEK_FILE": env["GONOGO_KEK_FILE"],
                           "GONOGO_CONNECTOR_GITHUB_URL": provider.url})  # fmt: skip
        try:
            from gonogo.wiring import build_agent

            agent = build_agent(Settings(home=home), policy_dir=DEFAULT_PLAN_DIR / "policies")
            try:
                res = agent.handle(ToolRequest(tenant="acme", actor="a", role="contributor",
                                               tool="connector", connector="github",
                                               operation="pulls.list", resource="acme/service"))  # fmt: skip
            finally:
                agent.telemetry.shutdown()
        finally:
            os.environ.pop("GONOGO_KEK_FILE")
            os.environ.pop("GONOGO_CONNECTOR_GITHUB_URL")
        assert res.outcome is Outcome.SUCCESS, res.detail
        assert provider.requests[-1].headers["Authorization"] == f"Bearer {GH}"
        assert GH.encode() not in res.output


def test_verify_fails_on_plaintext_tampering_and_a_wrong_kek(
    env: dict[str, str], tmp_path: Path
) -> None:
    home = Path(env["GONOGO_HOME"])
    assert run(["set", "--tenant", "acme", "--connector", "github"], env, GH).returncode == 0
    store = home / "secrets" / "store.json"
    good = store.read_text()
    # A record moved to another tenant's slot does not decrypt (the AAD binds it).
    doc = json.loads(good)
    doc["records"]["globex/github"] = {**doc["records"]["acme/github"], "tenant": "globex"}
    store.write_text(json.dumps(doc))
    bad = run(["verify"], env)
    assert bad.returncode == 1 and "globex/github" in bad.stdout
    # One flipped ciphertext byte.
    doc = json.loads(good)
    ct = bytearray(base64.b64decode(doc["records"]["acme/github"]["ciphertext"]))
    ct[3] ^= 1
    doc["records"]["acme/github"]["ciphertext"] = base64.b64encode(bytes(ct)).decode()
    store.write_text(json.dumps(doc))
    assert run(["verify"], env).returncode == 1
    store.write_text(good)
    assert run(["verify"], env).returncode == 0
    # A plaintext value anywhere under the state directory, in any encoding.
    for leak in (GH, base64.b64encode(b"x" + GH.encode()).decode(), GH.encode().hex(),
                 urllib.parse.quote(GH + "/")):  # fmt: skip
        (home / "spool" / "leak.txt").write_text(f"... {leak} ...")
        r = run(["verify"], env)
        assert r.returncode == 1 and "spool/leak.txt" in r.stdout, leak
        assert GH not in r.stdout
    (home / "spool" / "leak.txt").unlink()
    (home / "connector_credentials.json").write_text(json.dumps({"acme": {"jira": "x" * 20}}))
    r = run(["verify"], env)
    assert r.returncode == 1 and "plaintext" in r.stdout
    (home / "connector_credentials.json").unlink()
    wrong = dict(env, GONOGO_KEK_FILE=str(tmp_path / "other-kek"))
    assert run(["init-kek"], wrong).returncode == 0
    assert run(["verify"], wrong).returncode == 1


def test_migrate_encrypts_the_legacy_file_and_removes_it(env: dict[str, str]) -> None:
    home = Path(env["GONOGO_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    legacy = home / "connector_credentials.json"
    legacy.write_text(json.dumps({"acme": {"github": GH}}))
    legacy.chmod(0o600)
    r = run(["migrate", "--actor", "ops"], env)
    assert r.returncode == 0, r.stderr
    assert not legacy.exists() and scan_tree(home, GH) == []
    assert run(["verify"], env).returncode == 0


def test_the_kek_never_lives_in_the_state_directory(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with pytest.raises(SecretStoreError, match="inside the state directory"):
        LocalKek.create(home / "kek", (home,))
    kek = LocalKek.create(tmp_path / "kek", (home,))
    (tmp_path / "kek").chmod(0o644)
    os.environ["GONOGO_KEK_FILE"] = str(tmp_path / "kek")
    try:
        with pytest.raises(SecretStoreError, match="readable by others"):
            LocalKek.load((home,))
    finally:
        os.environ.pop("GONOGO_KEK_FILE")
    sealed = SealedSecrets(home / "secrets", kek)
    sealed.set("acme", "github", GH, actor="t")
    assert sealed.get("acme", "github") == GH
    other = SealedSecrets(home / "secrets", LocalKek(b"\x01" * 32, "test"))
    with pytest.raises(SecretStoreError):
        other.get("acme", "github")


def test_cli_mistakes_are_one_line_exit_2(env: dict[str, str]) -> None:
    for args, stdin in ((["set", "--tenant", "ACME", "--connector", "github"], GH),
                        (["set", "--tenant", "acme", "--connector", "git hub"], GH),
                        (["set", "--tenant", "acme", "--connector", "github"], ""),
                        (["init-kek"], "")):  # fmt: skip
        r = run(args, env, stdin)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    no_kek = dict(env, GONOGO_KEK_FILE="/nonexistent/kek")
    r = run(["set", "--tenant", "acme", "--connector", "github"], no_kek, GH)
    assert r.returncode == 2 and "KEK" in r.stderr
