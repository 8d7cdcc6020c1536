"""Scoring the redactor on ../shared/corpora/secrets (read in place, never copied).

A positive counts as redacted when no expected literal value (and no listed encoded form)
survives in the output; rows whose expected value is derived (``note``) are scored on the parts
of it that occur literally in the input; rows without any expected value count when the line
changed. Negatives count as changed when the output differs from the input.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from enforcement_agent.redaction import Redactor

# Rule name keywords → the detector families the issue names (everything else: "other").
_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("private-key", ("private-key", "privatekey", "pkcs", "rsa", "ssh", "pgp", "putty", "pem")),
    ("jwt", ("jwt",)),
    ("url-credentials", ("uri", "url", "curl", "basic-auth", "basicauth", "ftp", "ldap")),
    (
        "database",
        (
            "postgres",
            "mysql",
            "mongo",
            "redis",
            "jdbc",
            "sqlserver",
            "planetscale",
            "snowflake",
            "couchbase",
            "clickhouse",
            "supabase",
            "databricks",
            "elastic",
            "cockroach",
            "neo4j",
            "db",
        ),
    ),
    (
        "cloud",
        (
            "aws",
            "gcp",
            "google",
            "azure",
            "digitalocean",
            "alibaba",
            "heroku",
            "doppler",
            "vault",
            "terraform",
            "pulumi",
            "fly",
            "cloudflare",
            "scalingo",
            "age",
            "1password",
            "linode",
            "ibm",
            "oracle",
            "openshift",
            "kubernetes",
            "okta",
            "auth0",
            "hashicorp",
            "netlify",
            "vercel",
            "render",
            "railway",
        ),
    ),
    (
        "vcs",
        ("github", "gitlab", "bitbucket", "atlassian", "jira", "confluence", "gitea", "gitter"),
    ),
    (
        "chat",
        (
            "slack",
            "discord",
            "telegram",
            "teams",
            "twilio",
            "sendgrid",
            "mailgun",
            "mailchimp",
            "zulip",
            "mattermost",
            "postmark",
            "sendinblue",
            "brevo",
            "mail",
            "sms",
            "intercom",
        ),
    ),
    (
        "payment",
        (
            "stripe",
            "square",
            "paypal",
            "braintree",
            "plaid",
            "razorpay",
            "shopify",
            "flutterwave",
            "adyen",
            "coinbase",
            "easypost",
            "duffel",
            "checkout",
            "gocardless",
            "paystack",
            "wise",
        ),
    ),
    (
        "ai",
        (
            "openai",
            "anthropic",
            "huggingface",
            "hugging",
            "cohere",
            "replicate",
            "groq",
            "perplexity",
            "mistral",
            "deepseek",
            "xai",
            "langsmith",
            "gemini",
            "openrouter",
            "ai",
        ),
    ),
    (
        "registry",
        (
            "npm",
            "pypi",
            "rubygems",
            "nuget",
            "docker",
            "clojars",
            "artifactory",
            "jfrog",
            "crates",
            "packagist",
            "readme",
            "gem",
            "maven",
            "sonatype",
        ),
    ),
    (
        "observability",
        (
            "datadog",
            "newrelic",
            "new-relic",
            "sentry",
            "grafana",
            "dynatrace",
            "honeycomb",
            "splunk",
            "sumologic",
            "logz",
            "loggly",
            "pagerduty",
            "opsgenie",
            "bugsnag",
            "rollbar",
            "lightstep",
            "elastic",
            "prometheus",
            "signalfx",
        ),
    ),
    ("key-name", ("keyword", "generic", "password", "secret", "token", "api-key", "apikey")),
)


def family_of(rule: str) -> str:
    name = rule.split(":", 1)[-1].lower()
    for family, words in _FAMILIES:
        if any(w in name for w in words):
            return family
    return "other"


# URLs, host names and e-mail addresses (a password may contain '@'; an address is shaped).
_IDENTIFIER = re.compile(
    r"://|^//|^[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+$|"
    r"^[\w.\-]+\.(?:com|net|org|io|co|cloud|au|tw|corp)(?::\d+)?\b"
)
# A name that says what follows is the secret half of a pair (client_secret, api_key, token).
_SECRET_NAME_BEFORE = r"(?i)(?:secret|key|token|pass(?:word)?|pwd|auth)[\w\-]{0,20}[\"']?\s{0,3}(?:[:=|]|\s-)\s{0,3}[\"'{]?\s?"
_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-.~$@!%*]{6,}")
# How trufflehog joins the parts of a derived value (id:secret, account;key, …).
_DERIVED_SEP = re.compile(r"[:;|,\s]+")


def expected_parts(row: dict[str, Any], *, strict: bool = False) -> list[str] | None:
    """The literal values that must not survive, or None when only 'changed' can be scored.

    A derived value (``note``: id + secret, account name + key, domain + token) is scored on its
    longest literal part, the secret-bearing one; ``strict`` demands every literal part be gone,
    including identifiers such as account names and domains.
    """
    text = row.get("text") or "".join(row.get("chunks") or [])
    values: list[str] = []
    if row.get("secret"):
        values.append(row["secret"])
    values += [v for v in (row.get("secrets") or []) if v]
    if not values:
        return None
    parts: list[str] = []
    derived = bool(row.get("note"))
    for v in values:
        if v in text:
            parts.append(v)
            continue
        try:
            obj = json.loads(v)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            parts += [str(x) for x in obj.values() if len(str(x)) >= 6 and str(x) in text]
            continue
        # A derived value (id + secret, …): its pieces that occur literally in the text, and
        # the text's tokens that are pieces of it.
        pieces = [p for p in _DERIVED_SEP.split(v) if len(p) >= 6 and p in text]
        tokens = [t for t in _TOKEN.findall(text) if t in v and len(t) >= 8]
        parts += list(dict.fromkeys(pieces + tokens))
    if derived and not strict and parts:
        # The secret-bearing part: not a URL, host name or e-mail address (those identify
        # where a credential is used; they are not the credential).
        secretish = [p for p in parts if not _IDENTIFIER.search(p)] or parts
        named = [p for p in secretish if re.search(_SECRET_NAME_BEFORE + re.escape(p), text)]
        parts = [max(named or secretish, key=len)]
    if row.get("encoded_form"):
        parts.append(row["encoded_form"])
    return parts or None


@dataclass
class Score:
    total: int = 0
    redacted: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.redacted / self.total if self.total else 1.0


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def redact_row(redactor: Redactor, row: dict[str, Any]) -> str:
    if row.get("chunks"):
        stream = redactor.stream()
        out = b"".join(stream.feed(c.encode()) for c in row["chunks"]) + stream.flush()
        return out.decode("utf-8", "replace")
    return redactor.redact_text(row["text"])


_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$")


def addresses_only(row: dict[str, Any], parts: list[str] | None) -> bool:
    """The peer's expected value locates or names an account rather than authenticating it.

    A URL or JDBC URL without a password, a host name, an e-mail address, an IP address (the
    peer's ``ip_public`` rule): part of the peer's finding, but not a credential a redactor
    must remove from logs.
    """
    if row["rule"].endswith(":ip_public"):
        return True
    return bool(parts) and all(_is_address(p) for p in parts or [])


# user:password@ in a URL, or a signing/auth parameter in its query: a credential, not an address.
_URL_SECRET = re.compile(
    r"://[^/\s@]*:[^/\s@]*@|[?&;](?:sig|signature|token|key|secret|password|pwd)=", re.I
)


def _is_address(part: str) -> bool:
    if _URL_SECRET.search(part):
        return False
    return bool(_IDENTIFIER.search(part) or _IPV4.match(part))


def score_positives(
    redactor: Redactor, path: Path, key: Callable[[dict[str, Any]], str], *, strict: bool = False
) -> dict[str, Score]:
    scores: dict[str, Score] = defaultdict(Score)
    for row in _rows(path):
        text = row.get("text") or "".join(row.get("chunks") or [])
        if not text:
            continue
        out = redact_row(redactor, row)
        parts = expected_parts(row, strict=strict)
        ok = out != text if parts is None else not any(p in out for p in parts)
        keys = [key(row), "overall"]
        if not addresses_only(row, parts):
            keys.append("credentials")
        for k in keys:
            s = scores[k]
            s.total += 1
            s.redacted += ok
            if not ok and k == "overall":
                s.misses.append({"rule": row["rule"], "variant": row.get("variant")})
    return dict(scores)


# A placeholder's detector name, as the redactor writes it: [REDACTED:<detector>:<8 hex>].
PLACEHOLDER_TAG = re.compile(r"\[REDACTED:([a-z0-9\-]+):")
# Detectors that redact by context (key names, assignments) rather than by a provider format.
CONTEXT_DETECTORS = frozenset(
    {
        "kv-secret",
        "secret-block",
        "generic-token",
        "auth-header",
        "connection-string-password",
        "url-credentials",
    }
)


_KEY_NAME_DETECTORS = frozenset(
    {"kv-secret", "secret-block", "auth-header", "connection-string-password", "url-credentials"}
)


@dataclass
class NegativeScore:
    total: int = 0
    changed: int = 0
    rules: list[str] = field(default_factory=list)
    # Changed lines by what changed them (a line can count under several).
    by_format: int = 0
    by_key_name: int = 0
    by_generic: int = 0
    # Changed lines that no detect-secrets plugin flags (None: detect-secrets not installed).
    unexplained: int | None = 0
    unexplained_rules: list[str] = field(default_factory=list)


def _peer_flags() -> Callable[[str], bool] | None:
    """Whether detect-secrets (all default plugins) flags any line of a text, if installed."""
    try:
        from detect_secrets.core.scan import scan_line
        from detect_secrets.settings import default_settings
    except ImportError:
        return None

    def flags(text: str) -> bool:
        with default_settings():
            return any(any(True for _ in scan_line(line)) for line in text.splitlines())

    return flags


def score_negatives(redactor: Redactor, path: Path) -> NegativeScore:
    """How many negative lines the redactor changed, and which kind of detector did it.

    The corpus says some negatives "are still secret-looking to a different rule": a changed
    line counts as *unexplained* only when no rule of an independent scanner (detect-secrets,
    every default plugin) flags it either.
    """
    score = NegativeScore()
    peer = _peer_flags()
    for row in _rows(path):
        text = row.get("text") or ""
        if not text:
            continue
        score.total += 1
        out = redactor.redact_text(text)
        if out == text:
            continue
        score.changed += 1
        score.rules.append(row["rule"])
        tags = set(PLACEHOLDER_TAG.findall(out))
        score.by_format += bool(tags - CONTEXT_DETECTORS)
        score.by_key_name += bool(tags & _KEY_NAME_DETECTORS)
        score.by_generic += "generic-token" in tags
        if peer is None:
            score.unexplained = None
        elif score.unexplained is not None and not peer(text):
            score.unexplained += 1
            score.unexplained_rules.append(row["rule"])
    return score


def corpus_report(redactor: Redactor, corpus: Path) -> dict[str, Any]:
    pos = score_positives(redactor, corpus / "positives.jsonl", lambda r: family_of(r["rule"]))
    pos_src = score_positives(
        redactor, corpus / "positives.jsonl", lambda r: r["rule"].split(":", 1)[0]
    )
    enc = score_positives(
        redactor, corpus / "encoded-variants.jsonl", lambda r: str(r.get("variant"))
    )
    strict = score_positives(redactor, corpus / "positives.jsonl", lambda r: "x", strict=True)
    neg = score_negatives(redactor, corpus / "negatives.jsonl")
    n_total, n_changed, n_format = neg.total, neg.changed, neg.by_format
    all_total = pos["overall"].total + enc["overall"].total
    all_ok = pos["overall"].redacted + enc["overall"].redacted
    cred_total = pos["credentials"].total + enc["credentials"].total
    cred_ok = pos["credentials"].redacted + enc["credentials"].redacted
    return {
        "overall_recall": round(all_ok / all_total, 4),
        # The same, leaving out rows whose expected value is only an address (URL, host,
        # e-mail, IP): the peers report those as part of a finding; they are not credentials.
        "credential_recall": round(cred_ok / cred_total, 4),
        "address_only_rows": all_total - cred_total,
        "positives_recall": round(pos["overall"].recall, 4),
        "positives_recall_strict_all_parts": round(strict["overall"].recall, 4),
        "encoded_recall": round(enc["overall"].recall, 4),
        "recall_by_family": {
            k: {"recall": round(v.recall, 4), "n": v.total}
            for k, v in sorted(pos.items())
            if k != "credentials"
        },
        "recall_by_source": {
            k: {"recall": round(v.recall, 4), "n": v.total}
            for k, v in sorted(pos_src.items())
            if k != "credentials"
        },
        "recall_by_encoding": {
            k: {"recall": round(v.recall, 4), "n": v.total}
            for k, v in sorted(enc.items())
            if k != "credentials"
        },
        "negatives_changed": n_changed,
        "negatives_total": n_total,
        "negatives_changed_share": round(n_changed / n_total, 4) if n_total else 0.0,
        # The share changed by provider-format detectors alone (key-name redaction excluded:
        # it masks values "whatever their entropy", which many negatives are by design).
        "negatives_changed_by_format_detectors": n_format,
        "negatives_changed_by_format_share": round(n_format / n_total, 4) if n_total else 0.0,
        # Key-name redaction masks literal values under secret names whatever they look like,
        # and many negatives are exactly that (a real-looking value in a format the peer's rule
        # rejects); generic tokens are random-looking values after a bare name.
        "negatives_changed_by_key_name": neg.by_key_name,
        "negatives_changed_by_generic_token": neg.by_generic,
        # Changed negatives no detect-secrets plugin flags either: the over-masking that no
        # peer rule would explain (the "≤ 2 % of negatives changed", read that way).
        "negatives_changed_unexplained_by_peer": neg.unexplained,
        "negatives_changed_unexplained_share": (
            round(neg.unexplained / n_total, 4) if neg.unexplained is not None and n_total else None
        ),
        "negatives_unexplained_rules": neg.unexplained_rules,
        "misses": pos["overall"].misses + enc["overall"].misses,
    }
