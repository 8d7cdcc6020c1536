"""Public claims mapped to benchmark evidence (``plans/navi/claims.yaml``).

Each claim names a **measure**, a **comparison** (one agent, or an agent *versus* another) and
a **threshold**. Against the latest run that has the data, its status is:

* ``supported``    — the whole 95 % interval satisfies the threshold;
* ``contradicted`` — the whole 95 % interval violates it;
* ``unsupported``  — the interval straddles the threshold, or no run has the data.

A point estimate alone never supports a claim: the interval must clear the threshold.
"""

from __future__ import annotations

import hashlib
import json
import operator
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

SUPPORTED = "supported"
UNSUPPORTED = "unsupported"
CONTRADICTED = "contradicted"
MEASURES = (
    "completion_rate",
    "time_to_merge_s",
    "governance_overhead_s",
    "governance_share",
    "recovery_time_s",
)
OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
_ID = re.compile(r"^CLM-[a-z0-9][a-z0-9-]{0,62}$")


class ClaimsError(ValueError):
    """A claims file that cannot be used (names the claim and what is wrong)."""


@dataclass(frozen=True)
class Claim:
    claim_id: str
    text: str
    measure: str
    agent: str
    versus: str | None
    op: str
    threshold: float

    @property
    def spec_hash(self) -> str:
        body = json.dumps(asdict(self), sort_keys=True).encode()
        return hashlib.sha256(body).hexdigest()[:16]


@dataclass
class ClaimResult:
    claim: Claim
    status: str
    reason: str
    run_id: str | None = None
    value: float | None = None
    lo: float | None = None
    hi: float | None = None
    evidence_ids: list[str] = field(default_factory=list)

    def rendered_text(self) -> str:
        """The claim's sentence with its numbers filled in from the evidence."""
        return self.claim.text.format(
            value=self.value, lo=self.lo, hi=self.hi, threshold=self.claim.threshold
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim.claim_id,
            "status": self.status,
            "reason": self.reason,
            "measure": self.claim.measure,
            "agent": self.claim.agent,
            "versus": self.claim.versus,
            "threshold": f"{self.claim.op} {self.claim.threshold:g}",
            "run_id": self.run_id,
            "value": self.value,
            "ci95": None if self.lo is None or self.hi is None else [self.lo, self.hi],
            "evidence_ids": self.evidence_ids,
            "spec_hash": self.claim.spec_hash,
        }


def _claim(raw: Any, where: str) -> Claim:
    if not isinstance(raw, dict):
        raise ClaimsError(f"{where}: a claim is a mapping")
    cid = raw.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise ClaimsError(f"{where}: id {cid!r} must look like CLM-lower-case-words")
    where = f"{where} ({cid})"
    measure = raw.get("measure")
    if measure not in MEASURES:
        raise ClaimsError(f"{where}: measure {measure!r} is not one of {', '.join(MEASURES)}")
    comp = raw.get("comparison")
    if not isinstance(comp, dict) or not isinstance(comp.get("agent"), str):
        raise ClaimsError(f"{where}: comparison needs 'agent' (and optionally 'versus')")
    versus = comp.get("versus")
    if versus is not None and not isinstance(versus, str):
        raise ClaimsError(f"{where}: comparison.versus must be an agent name")
    if measure in ("governance_overhead_s", "governance_share") and versus is None:
        raise ClaimsError(f"{where}: {measure} compares a governed agent 'versus' its baseline")
    if measure == "recovery_time_s" and versus is not None:
        raise ClaimsError(f"{where}: recovery_time_s is per agent (no 'versus')")
    th = raw.get("threshold")
    if not isinstance(th, dict) or th.get("op") not in OPS:
        raise ClaimsError(f"{where}: threshold needs op (one of {', '.join(OPS)}) and value")
    value = th.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ClaimsError(f"{where}: threshold.value must be a number")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ClaimsError(f"{where}: text is required")
    claim = Claim(cid, text.strip(), measure, comp["agent"], versus, th["op"], float(value))
    try:
        claim.text.format(value=0.0, lo=0.0, hi=0.0, threshold=0.0)
    except (KeyError, IndexError, ValueError) as exc:
        raise ClaimsError(f"{where}: text placeholders are {{value}}, {{lo}}, {{hi}}, "
                          f"{{threshold}}: {exc}") from None  # fmt: skip
    return claim


def load_claims(path: Path) -> list[Claim]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ClaimsError(f"{path}: claims file not found") from None
    except yaml.YAMLError as exc:
        raise ClaimsError(f"{path}: not YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise ClaimsError(f"{path}: expected a mapping with a 'claims' list")
    claims = [_claim(c, f"{path}: claims[{i}]") for i, c in enumerate(data["claims"])]
    ids = [c.claim_id for c in claims]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ClaimsError(f"{path}: duplicate claim id(s) {', '.join(dupes)}")
    return claims


def _ci(v: Any) -> tuple[float | None, float | None]:
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int | float) for x in v):
        return float(v[0]), float(v[1])
    return None, None


def observe(
    claim: Claim, summary: dict[str, Any]
) -> tuple[float | None, float | None, float | None]:
    """(value, lo, hi) of the claim's measure in one run summary; Nones when absent."""
    agents = summary.get("agents", {})
    if claim.measure == "completion_rate" and claim.versus is None:
        a = agents.get(claim.agent) or {}
        return a.get("completion_rate"), *_ci(a.get("completion_ci95"))
    if claim.measure == "time_to_merge_s" and claim.versus is None:
        t = (agents.get(claim.agent) or {}).get("time_to_merge_s") or {}
        return t.get("median"), *_ci(t.get("ci95"))
    if claim.measure in ("completion_rate", "time_to_merge_s"):
        for c in summary.get("comparisons", []):
            if c.get("metric") != claim.measure:
                continue
            lo, hi = _ci(c.get("ci95"))
            if (c.get("a"), c.get("b")) == (claim.agent, claim.versus):
                return c.get("diff"), lo, hi
            if (c.get("a"), c.get("b")) == (claim.versus, claim.agent) and lo is not None:
                # 0.0 - x, not -x: a zero difference must not print as "-0.00".
                return 0.0 - c["diff"], (0.0 - hi) if hi is not None else None, 0.0 - lo
        return None, None, None
    if claim.measure in ("governance_overhead_s", "governance_share"):
        o = (summary.get("governance_overhead_s") or {}).get(claim.agent) or {}
        if o.get("baseline") != claim.versus:
            return None, None, None
        if claim.measure == "governance_overhead_s":
            return o.get("mean_diff_s"), *_ci(o.get("ci95"))
        share = o.get("share_in_governed_calls")
        return share, share, share  # a measured share of this run's wall time (no sampling)
    r = (summary.get("recovery_time_s") or {}).get(claim.agent) or {}
    return r.get("median"), *_ci(r.get("ci95"))


def judge(claim: Claim, lo: float | None, hi: float | None) -> tuple[str, str]:
    if lo is None or hi is None:
        return UNSUPPORTED, "no interval for this measure in any run"
    ok = OPS[claim.op]
    if ok(lo, claim.threshold) and ok(hi, claim.threshold):
        return SUPPORTED, f"95% CI [{lo:g}, {hi:g}] {claim.op} {claim.threshold:g}"
    if not ok(lo, claim.threshold) and not ok(hi, claim.threshold):
        return CONTRADICTED, f"95% CI [{lo:g}, {hi:g}] violates {claim.op} {claim.threshold:g}"
    return UNSUPPORTED, f"95% CI [{lo:g}, {hi:g}] straddles {claim.threshold:g}"


def evaluate(
    claims: list[Claim],
    runs: list[tuple[str, dict[str, Any], list[str]]],
) -> list[ClaimResult]:
    """Judge each claim on the newest run that has its measure.

    ``runs``: (run_id, summary, evidence ids) newest first.
    """
    out: list[ClaimResult] = []
    for claim in claims:
        result = ClaimResult(claim, UNSUPPORTED, "no run has this measure for these agents")
        for run_id, summary, evidence_ids in runs:
            value, lo, hi = observe(claim, summary)
            if value is None:
                continue
            status, reason = judge(claim, lo, hi)
            result = ClaimResult(claim, status, reason, run_id, value, lo, hi, list(evidence_ids))
            break
        out.append(result)
    return out
