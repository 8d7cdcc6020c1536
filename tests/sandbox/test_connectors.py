"""Connector gateway against a real local HTTP provider on 127.0.0.1."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.connectors import (
    DEFAULT_CONNECTORS,
    ConnectorGateway,
    CredentialError,
    CredentialStore,
)
from enforcement_agent.connectors.fake_provider import FakeProvider
from enforcement_agent.connectors.spec import ConnectorRequestError, render_path
from enforcement_agent.models import Outcome, ToolRequest

TOKEN_A = "ghp_tenantAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
TOKEN_B = "ghp_tenantBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with FakeProvider() as p:
        yield p


def gateway_for(url: str, **spec_changes: object) -> ConnectorGateway:
    creds = CredentialStore()
    creds.set("acme", "github", TOKEN_A)
    creds.set("globex", "github", TOKEN_B)
    specs = dict(DEFAULT_CONNECTORS)
    specs["github"] = replace(specs["github"], base_url=url, **spec_changes)  # type: ignore[arg-type]
    return ConnectorGateway(credentials=creds, connectors=specs)


def req(
    tenant: str = "acme", op: str = "pulls.list", resource: str | None = "acme/service"
) -> ToolRequest:
    return ToolRequest(
        tenant=tenant,
        actor="a",
        role="contributor",
        tool="connector",
        connector="github",
        operation=op,
        resource=resource,
    )


def test_each_tenant_uses_its_own_credential_and_never_sees_it(provider: FakeProvider) -> None:
    gw = gateway_for(provider.url)
    ra = gw.call(req("acme"))
    rb = gw.call(req("globex", resource="globex/service"))
    assert ra.outcome is Outcome.SUCCESS and ra.status == 200
    sent = [r.headers["Authorization"] for r in provider.requests]
    assert sent == [f"Bearer {TOKEN_A}", f"Bearer {TOKEN_B}"]
    assert provider.requests[0].path == "/repos/acme/service/pulls"
    assert gw.call(req(resource="repos/acme/service")).status == 200  # GitHub's own spelling
    assert provider.requests[-1].path == "/repos/acme/service/pulls"
    # The provider echoed the header back: the gateway's answer does not carry it.
    for r in (ra, rb):
        assert TOKEN_A.encode() not in r.body and TOKEN_B.encode() not in r.body
        assert b"[REDACTED:credential]" in r.body


def test_payload_is_sent_as_json_and_must_be_an_object(provider: FakeProvider) -> None:
    gw = gateway_for(provider.url)
    r = gw.call(req(op="pulls.create"), json.dumps({"title": "fix"}).encode())
    assert r.outcome is Outcome.SUCCESS
    assert json.loads(provider.requests[-1].body) == {"title": "fix"}
    n = len(provider.requests)
    bad = gw.call(req(op="pulls.create"), b"[1, 2]")
    assert bad.outcome is Outcome.ERROR and "JSON object" in bad.detail
    assert gw.call(req(op="pulls.list"), b"{}").outcome is Outcome.ERROR
    assert len(provider.requests) == n  # refused before any network I/O


@pytest.mark.parametrize(
    "resource",
    [
        "../admin",
        "repos/acme/../../admin",
        "repos/acme/service?x=1",
        "repos/%2e%2e/x",
        "repos/a#frag",
        "//evil.example/x",
        "repos/a b",
    ],
)
def test_resource_injection_is_refused_without_calling(
    provider: FakeProvider, resource: str
) -> None:
    r = gateway_for(provider.url).call(req(resource=resource))
    assert r.outcome is Outcome.ERROR and r.status == 0
    assert provider.requests == []


def test_unknown_operation_or_missing_credential_fails_closed(provider: FakeProvider) -> None:
    gw = gateway_for(provider.url)
    assert gw.call(req(op="admin.nuke")).outcome is Outcome.ERROR
    r = gw.call(req(tenant="initech"))
    assert r.outcome is Outcome.ERROR and "no github credential" in r.detail
    assert provider.requests == []


def test_rate_limit_per_tenant_and_connector(provider: FakeProvider) -> None:
    gw = gateway_for(provider.url, rate_per_minute=1, burst=3)
    outcomes = [gw.call(req("acme")).outcome for _ in range(5)]
    assert outcomes == [Outcome.SUCCESS] * 3 + [Outcome.LIMIT] * 2
    limited = gw.call(req("acme"))
    assert limited.limit_hit == "rate" and "rate limit reached for tenant acme" in limited.detail
    assert len(provider.requests) == 3  # limited calls never reached the provider
    # another tenant has its own bucket
    assert gw.call(req("globex", resource="globex/x")).outcome is Outcome.SUCCESS


def test_redirects_are_not_followed(provider: FakeProvider) -> None:
    with FakeProvider() as elsewhere:
        provider.redirect_to = elsewhere.url + "/steal"
        r = gateway_for(provider.url).call(req(resource="acme/redirect", op="repos.get"))
        assert r.status == 302 and r.outcome is Outcome.FAILURE
        assert elsewhere.requests == []


def test_numbered_resources(provider: FakeProvider) -> None:
    gw = gateway_for(provider.url)
    assert gw.call(req(op="pulls.merge", resource="acme/api#12"), b"{}").status == 200
    assert provider.requests[-1].method == "PUT"
    assert provider.requests[-1].path == "/repos/acme/api/pulls/12/merge"
    n = len(provider.requests)
    for bad in ("acme/api", "acme/api#x", "acme/api#1/../2"):
        assert gw.call(req(op="pulls.merge", resource=bad), b"{}").outcome is Outcome.ERROR
    assert len(provider.requests) == n


def test_response_size_cap(provider: FakeProvider) -> None:
    gw = gateway_for(provider.url, max_response_bytes=1000)
    r = gw.call(req(resource="acme/big", op="repos.get"))
    assert r.outcome is Outcome.LIMIT and r.truncated and len(r.body) == 1000


def test_provider_errors_and_unreachable(provider: FakeProvider) -> None:
    r = gateway_for(provider.url).call(req(resource="acme/missing", op="repos.get"))
    assert r.outcome is Outcome.FAILURE and r.status == 404
    dead = gateway_for("http://127.0.0.1:9").call(req())
    assert dead.outcome is Outcome.ERROR and "unreachable" in dead.detail


def test_redactor_hook_runs_on_bodies(provider: FakeProvider) -> None:
    gw = gateway_for(provider.url)
    gw.redact = lambda b: b.replace(b"acme", b"[R]")
    assert b"acme" not in gw.call(req()).body


def test_credentials_file_must_be_private(tmp_path: Path, provider: FakeProvider) -> None:
    f = tmp_path / "creds.json"
    f.write_text(json.dumps({"acme": {"github": TOKEN_A}}))
    os.chmod(f, 0o644)
    with pytest.raises(CredentialError, match="chmod 600"):
        CredentialStore.from_file(f)
    os.chmod(f, 0o600)
    gw = ConnectorGateway.from_config(f, base_urls={"github": provider.url})
    assert gw.call(req()).outcome is Outcome.SUCCESS
    assert provider.requests[0].headers["Authorization"] == f"Bearer {TOKEN_A}"
    f.write_text("{not json")
    with pytest.raises(CredentialError, match="not JSON"):
        CredentialStore.from_file(f)


_RESOURCE_CHARS = st.sampled_from(list("ab1-_.~/#%?:@ \\\n") + ["..", "%2e", "//"])


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(_RESOURCE_CHARS, max_size=12))
def test_property_rendered_paths_stay_on_the_operation(parts: list[str]) -> None:
    """Whatever the resource, the URL path is the operation's own, with only safe segments."""
    resource = "".join(parts)
    try:
        path = render_path("/repos/{resource}/issues/{number}/comments", resource, True)
    except ConnectorRequestError:
        return
    assert path.startswith("/repos/") and path.endswith("/comments")
    segments = path.split("/")[1:]
    assert all(seg and seg not in (".", "..") for seg in segments)
    assert not any(c in path for c in "?#% \\\n@:")
