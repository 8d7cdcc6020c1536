"""The traffic a soak or drill sends: call templates by category, proportions and pacing.

The templates come from the demo's representative workload (``gonogo/demo_workload.py``; the
CLI hands them in, this domain module only knows their shape). Proportions are per category
(everyday; ``sensitive``: secret-bearing reads whose output must come back redacted; hostile;
limit-hitting; connector — "sensitive" because a key named like a secret is redacted wherever
it is written); pacing is each agent's think
time between calls (exponential, like independent agents), or a target total rate.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

CATEGORIES = ("everyday", "sensitive", "hostile", "limits", "connector")
# An agent spends most of its calls on everyday development; the rest mirrors what the demo
# shows agents doing with secrets lying around, under prompt injection, with big outputs, and
# on GitHub/Jira. Limit-hitting calls are rare (each one is a failed job for the
# job-completion SLO, which allows 1 %).
DEFAULT_WEIGHTS: dict[str, float] = {
    "everyday": 0.83,
    "sensitive": 0.04,
    "hostile": 0.04,
    "limits": 0.01,
    "connector": 0.08,
}
DEFAULT_THINK_S = 2.0


class MixError(ValueError):
    """A traffic mix that cannot be used (unknown category, no templates, bad weight)."""


@dataclass(frozen=True)
class CallTemplate:
    category: str
    tool: str
    command: str | None = None
    path: str | None = None
    connector: str | None = None
    operation: str | None = None
    resource: str | None = None  # may hold {t} (tenant) and {T} (TENANT)
    payload: bytes | None = None
    note: str = ""

    def body(self, tenant: str) -> dict[str, object]:
        """The request fields of this call for ``tenant`` (identity is added by the client)."""
        out: dict[str, object] = {"tool": self.tool}
        for key in ("command", "path", "connector", "operation"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.resource is not None:
            out["resource"] = self.resource.format(t=tenant, T=tenant.upper())
        if self.payload is not None:
            out["payload"] = self.payload.decode("utf-8", "replace")
        return out


@dataclass(frozen=True)
class Mix:
    templates: Mapping[str, tuple[CallTemplate, ...]]
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    think_s: float = DEFAULT_THINK_S  # mean pause of one agent between calls

    def __post_init__(self) -> None:
        for cat, w in self.weights.items():
            if cat not in CATEGORIES:
                raise MixError(f"unknown category {cat!r}; expected {', '.join(CATEGORIES)}")
            if not (w >= 0) or w != w or w == float("inf"):
                raise MixError(f"weight of {cat} must be a finite number >= 0")
            if w > 0 and not self.templates.get(cat):
                raise MixError(f"category {cat} has weight {w} but no call templates")
        if not any(w > 0 for w in self.weights.values()):
            raise MixError("every category has weight 0: nothing to send")
        if not self.think_s > 0:
            raise MixError("think time must be > 0 s")

    def shares(self) -> dict[str, float]:
        total = sum(self.weights.values())
        return {c: self.weights.get(c, 0.0) / total for c in CATEGORIES if self.weights.get(c)}

    def pick(self, rng: random.Random) -> CallTemplate:
        cats = [c for c in CATEGORIES if self.weights.get(c, 0) > 0]
        cat = rng.choices(cats, weights=[self.weights[c] for c in cats])[0]
        return rng.choice(self.templates[cat])

    def with_weights(self, weights: Mapping[str, float]) -> Mix:
        return replace(self, weights=dict(weights))

    def pause(self, rng: random.Random) -> float:
        """One agent's think time before its next call (exponential around the mean)."""
        return rng.expovariate(1.0 / self.think_s)


def parse_weights(items: Sequence[str]) -> dict[str, float]:
    """``["everyday=0.9", "hostile=0.1"]`` → weights (others 0); empty → the defaults."""
    if not items:
        return dict(DEFAULT_WEIGHTS)
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise MixError(f"mix entry {item!r}: expected CATEGORY=WEIGHT")
        name = name.strip()
        if name not in CATEGORIES:
            raise MixError(f"unknown category {name!r}; expected {', '.join(CATEGORIES)}")
        try:
            out[name] = float(value)
        except ValueError:
            raise MixError(f"mix entry {item!r}: weight is not a number") from None
    return out
