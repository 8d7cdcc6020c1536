"""Known values (with encodings, minimum length) and HMAC placeholders."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from urllib.parse import quote

from enforcement_agent.redaction import Redactor
from enforcement_agent.redaction.keys import load_key
from tests.redaction.helpers import KEY, github_token, redactor

PLACEHOLDER = re.compile(r"\[REDACTED:([a-z0-9\-]+):([0-9a-f]{8})\]")


def test_known_secret_redacted_with_all_encodings() -> None:
    secret = "correct horse battery"  # no detector would catch this on its own
    r = redactor(known_secrets=[secret])
    forms = [
        secret,
        base64.b64encode(secret.encode()).decode(),
        base64.urlsafe_b64encode(secret.encode()).decode().rstrip("="),
        secret.encode().hex(),
        secret.encode().hex().upper(),
        quote(secret, safe=""),
        json.dumps(secret)[1:-1],
    ]
    for form in forms:
        out = r.redact_text(f"log: {form} :end")
        assert form not in out, form
        assert "[REDACTED:known-secret:" in out


def test_short_known_values_do_not_over_mask() -> None:
    r = redactor(known_secrets=["abc", "1234"])
    text = "abc 1234 abcdef"
    assert r.redact_text(text) == text


def test_add_known_secrets_takes_effect() -> None:
    r = redactor()
    assert r.redact_text("value: tenantcredential99") == "value: tenantcredential99"
    assert r.add_known_secrets(["tenantcredential99"]) == 1
    assert "tenantcredential99" not in r.redact_text("value: tenantcredential99")


def test_placeholder_is_hmac_of_secret_and_deterministic() -> None:
    secret = github_token(21)
    out1 = redactor().redact_text(f"a {secret} b")
    out2 = redactor().redact_text(f"other text {secret}")
    tags1 = PLACEHOLDER.findall(out1)
    tags2 = PLACEHOLDER.findall(out2)
    assert (
        tags1
        == tags2
        == [("github-token", hmac.new(KEY, secret.encode(), hashlib.sha256).hexdigest()[:8])]
    )
    # Not a plain hash: a dictionary of hashes cannot reverse the tag.
    assert tags1[0][1] != hashlib.sha256(secret.encode()).hexdigest()[:8]


def test_different_keys_give_different_tags() -> None:
    secret = github_token(22)
    a = Redactor(key=b"a" * 32).redact_text(secret)
    b = Redactor(key=b"b" * 32).redact_text(secret)
    assert a != b and PLACEHOLDER.fullmatch(a) and PLACEHOLDER.fullmatch(b)


def test_key_from_env_and_key_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("GONOGO_REDACTION_KEY", raising=False)
    key = load_key(tmp_path)
    path = tmp_path / "redaction.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_key(tmp_path) == key  # stable across processes of one deployment
    monkeypatch.setenv("GONOGO_REDACTION_KEY", "ab" * 32)
    assert load_key(tmp_path) == bytes.fromhex("ab" * 32)


def test_world_readable_key_file_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from enforcement_agent.redaction.keys import RedactionKeyError

    monkeypatch.delenv("GONOGO_REDACTION_KEY", raising=False)
    load_key(tmp_path)
    (tmp_path / "redaction.key").chmod(0o644)
    with pytest.raises(RedactionKeyError):
        load_key(tmp_path)
