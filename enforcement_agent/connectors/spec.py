"""Connector operations as data: each is one HTTP method and a path template on a base URL.

The agent (never the model) picks the credential, the host and the headers; the request names
only a connector, an operation, a ``resource`` (the provider path it acts on, which policy
scopes per tenant) and an optional JSON payload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

# Provider path segments: letters, digits and a few safe marks; never "..", "%", "?" or "#".
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$")


class ConnectorRequestError(ValueError):
    """The request cannot be turned into a provider call (refused before any network I/O)."""


@dataclass(frozen=True)
class OperationSpec:
    method: str
    path: str  # template with ``{resource}``
    needs_resource: bool = True
    sends_body: bool = False
    # A regex the whole resource must match, for operations whose resource carries more than
    # ``owner/repo`` (so the operation cannot be pointed at another provider path).
    resource_shape: str = ""


@dataclass(frozen=True)
class ConnectorSpec:
    name: str
    base_url: str
    operations: dict[str, OperationSpec]
    auth_header: str = "Authorization"
    auth_scheme: str = "Bearer"
    rate_per_minute: int = 60
    burst: int = 10
    timeout_s: float = 10.0
    max_response_bytes: int = 1024 * 1024
    extra_headers: dict[str, str] = field(default_factory=dict)
    # Tolerated and removed from resources (``repos/acme/api`` -> ``acme/api``).
    strip_prefix: str = ""


def render_path(
    template: str,
    resource: str | None,
    needed: bool,
    strip_prefix: str = "",
    shape: str = "",
) -> str:
    """Fill ``{resource}`` (validated, percent-safe path like ``acme/api``) and ``{number}``
    (from a ``#12`` suffix, as policy writes ``acme/api#12``) into an operation's path."""
    number = ""
    if resource and "#" in resource:
        resource, _, number = resource.partition("#")
        if not number.isdigit() or len(number) > 12:
            raise ConnectorRequestError(f"'#{number}' is not a number")
    if "{number}" in template and not number:
        raise ConnectorRequestError("this operation needs a number: write the resource as 'x/y#12'")
    if not resource:
        if needed:
            raise ConnectorRequestError("this operation needs a 'resource'")
        return template.format(resource="", number=number)
    if strip_prefix and resource.startswith(strip_prefix):
        resource = resource[len(strip_prefix) :]
    if shape and not re.fullmatch(shape, resource):
        raise ConnectorRequestError(
            f"resource {resource[:80]!r} does not have this operation's shape"
        )
    segments = resource.split("/")  # empty segments (leading, trailing, //) fail the pattern
    for seg in segments:
        if seg in (".", "..") or not _SEGMENT.match(seg):
            raise ConnectorRequestError(f"resource segment {seg!r} is not allowed")
    safe = "/".join(quote(s, safe="") for s in segments)
    return template.format(resource=safe, number=number)


_SEG = r"[A-Za-z0-9][A-Za-z0-9._~-]{0,127}"
_REPO = _SEG + "/" + _SEG

# Resources follow the policy's notation: GitHub ``owner/repo`` (``#N`` for a PR or issue),
# Jira a project key (``NAVI``) or issue key (``NAVI-12``).
_GITHUB = {
    "repos.get": OperationSpec("GET", "/repos/{resource}"),
    "repos.delete": OperationSpec("DELETE", "/repos/{resource}"),
    "pulls.list": OperationSpec("GET", "/repos/{resource}/pulls"),
    "pulls.get": OperationSpec("GET", "/repos/{resource}/pulls/{number}"),
    "pulls.create": OperationSpec("POST", "/repos/{resource}/pulls", sends_body=True),
    "pulls.merge": OperationSpec("PUT", "/repos/{resource}/pulls/{number}/merge", sends_body=True),
    "issues.list": OperationSpec("GET", "/repos/{resource}/issues"),
    "issues.create": OperationSpec("POST", "/repos/{resource}/issues", sends_body=True),
    "issues.comment": OperationSpec(
        "POST", "/repos/{resource}/issues/{number}/comments", sends_body=True
    ),
    # What blocks merges into a branch: resources ``owner/repo/branches/<branch>`` and
    # ``owner/repo/rules/branches/<branch>`` (GitHub's paths; the rules endpoint returns the
    # active rules of every ruleset that applies).
    "branches.protection.get": OperationSpec(
        "GET", "/repos/{resource}/protection", resource_shape=_REPO + r"/branches/" + _SEG
    ),
    "branches.rules.get": OperationSpec(
        "GET", "/repos/{resource}", resource_shape=_REPO + r"/rules/branches/" + _SEG
    ),
}
_JIRA = {
    "issue.get": OperationSpec("GET", "/rest/api/2/issue/{resource}"),
    "issue.create": OperationSpec("POST", "/rest/api/2/issue", sends_body=True),
    "issue.update": OperationSpec("PUT", "/rest/api/2/issue/{resource}", sends_body=True),
    "issue.comment": OperationSpec("POST", "/rest/api/2/issue/{resource}/comment", sends_body=True),
    "issue.transition": OperationSpec(
        "POST", "/rest/api/2/issue/{resource}/transitions", sends_body=True
    ),
    "issue.search": OperationSpec(
        "POST", "/rest/api/2/search", needs_resource=False, sends_body=True
    ),
}
_SLACK = {
    "chat.post": OperationSpec(
        "POST", "/api/chat.postMessage", needs_resource=False, sends_body=True
    ),
    "conversations.list": OperationSpec("GET", "/api/conversations.list", needs_resource=False),
}

DEFAULT_CONNECTORS: dict[str, ConnectorSpec] = {
    "github": ConnectorSpec(
        "github",
        "https://api.github.com",
        _GITHUB,
        extra_headers={"Accept": "application/vnd.github+json"},
        strip_prefix="repos/",
    ),
    "jira": ConnectorSpec("jira", "https://jira.example.invalid", _JIRA),
    "slack": ConnectorSpec("slack", "https://slack.com", _SLACK),
}
