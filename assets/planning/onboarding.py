"""The plan's onboarding guardrails, checked per organisation.

Each onboarded tenant has a record in ``<plan>/onboarding.yaml`` (contract scope, pilot success
criteria, incident and rollback contacts). The guardrail "policy templates pre-configured
before first run" is checked from evidence instead of a declaration: the policy revision cited
by the tenant's **first decision record** must be a revision that included the tenant's own
template. Revisions are known from the policy folder as it is now (the tenant's effective
revision, and the bare default template's) and from ``policy_revisions``, a history of every
revision gonogo has observed for the tenant.

Each cell is pass / fail / unknown with its evidence. An organisation may be onboarded now when
all four guardrails pass for it *and* the decision tree passes — the plan's rule: "If all five
answers pass, proceed with limited enterprise onboarding."
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from assets.readiness.plan import Plan, plan_error, read_plan_file
from assets.readiness.statuses import Status

CHECKS = ("contract_scope", "policy_before_first_call", "pilot_success_criteria", "contacts")
DEFAULT_TEMPLATE = "default"


@dataclass(frozen=True)
class Cell:
    guardrail: str  # ONBOARD.n
    status: Status  # pass | fail | unknown | error
    evidence: str  # one line a reader can check
    refs: tuple[str, ...] = ()  # documents, decision ids, revisions


@dataclass(frozen=True)
class OrgOnboarding:
    tenant: str
    name: str
    cells: tuple[Cell, ...]

    @property
    def guardrails_pass(self) -> bool:
        return bool(self.cells) and all(c.status is Status.PASS for c in self.cells)

    @property
    def blocking(self) -> tuple[str, ...]:
        return tuple(c.guardrail for c in self.cells if c.status is not Status.PASS)


@dataclass(frozen=True)
class OnboardingTable:
    guardrails: tuple[tuple[str, str], ...]  # (id, the plan's text)
    orgs: tuple[OrgOnboarding, ...]
    tree_passes: bool | None  # the decision tree: all five answers pass?
    is_demo: bool
    reason: str  # why the "may onboard now" list is what it is

    @property
    def may_onboard_now(self) -> tuple[str, ...]:
        if self.tree_passes is not True:
            return ()
        return tuple(o.tenant for o in self.orgs if o.guardrails_pass)


@dataclass(frozen=True)
class PolicyObservation:
    tenant: str
    revision: str | None  # None: the tenant's effective policy does not load
    tenant_template: bool
    file_sha256: str | None
    default_revision: str | None
    problem: str = ""


def tree_passes(plan: Plan, statuses: Mapping[str, Status]) -> bool | None:
    """Whether every decision-tree answer passes (None while any is not yet known)."""
    from assets.readiness.decision import StatusView, decide

    answers = decide(plan, {c: StatusView(c, s) for c, s in statuses.items()}).answers
    if any(a.passes is False for a in answers):
        return False
    return True if answers and all(a.passes for a in answers) else None


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


@lru_cache(maxsize=256)
def _revision(path: str, base_dir: str, _contents: tuple[str | None, ...]) -> str:
    """The policy revision of a file (and its template); cached by the files' content hashes."""
    from enforcement_agent.policy.loader import load_policy

    return load_policy(Path(path), base_dir=Path(base_dir)).revision


def observe_policy(policy_dir: Path, tenant: str) -> PolicyObservation:
    """The tenant's effective policy revision now, and the bare default template's."""
    from enforcement_agent.policy.errors import PolicyLoadError

    default = policy_dir / f"{DEFAULT_TEMPLATE}.yaml"
    own = policy_dir / f"{tenant}.yaml"
    default_sha, sha = _sha(default), _sha(own)
    try:
        default_rev: str | None = _revision(str(default), str(policy_dir), (default_sha,))
    except (PolicyLoadError, OSError) as exc:
        default_rev = None
        problem = f"default template does not load: {exc}"
    else:
        problem = ""
    if sha is None:
        return PolicyObservation(tenant, default_rev, False, None, default_rev, problem)
    try:
        rev = _revision(str(own), str(policy_dir), (default_sha, sha))
    except (PolicyLoadError, OSError) as exc:
        return PolicyObservation(
            tenant, None, True, sha, default_rev, f"{own.name} does not load: {exc}"
        )
    return PolicyObservation(tenant, rev, True, sha, default_rev, problem)


def record_policy_observation(
    con: duckdb.DuckDBPyConnection, obs: PolicyObservation, now: datetime
) -> None:
    """Add what was observed to the tenant's revision history (first sighting wins)."""
    rows = []
    if obs.revision is not None:
        rows.append((obs.revision, obs.tenant_template, obs.file_sha256))
    if obs.default_revision is not None and obs.default_revision != obs.revision:
        rows.append((obs.default_revision, False, None))
    for rev, own, sha in rows:
        con.execute(
            "INSERT INTO policy_revisions VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [obs.tenant, rev, own, sha, now],
        )


def _revision_history(con: duckdb.DuckDBPyConnection, tenant: str) -> dict[str, bool]:
    rows = con.execute(
        "SELECT revision, tenant_template FROM policy_revisions WHERE tenant_id = ?", [tenant]
    ).fetchall()
    return {r[0]: bool(r[1]) for r in rows}


def _first_record(
    con: duckdb.DuckDBPyConnection, tenant: str
) -> tuple[str, Any, str | None] | None:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'decision_records'"
    ).fetchone()
    if not exists or not exists[0]:
        return None
    row = con.execute(
        "SELECT decision_id, ts, policy_revision FROM decision_records WHERE tenant_id = ? "
        "ORDER BY ts NULLS LAST, seq LIMIT 1",
        [tenant],
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def check_policy_before_first_call(
    con: duckdb.DuckDBPyConnection, gid: str, obs: PolicyObservation
) -> Cell:
    first = _first_record(con, obs.tenant)
    if obs.revision is None and obs.tenant_template:
        return Cell(gid, Status.ERROR, obs.problem)
    if first is None:
        if obs.tenant_template:
            return Cell(gid, Status.PASS, f"tenant template {obs.tenant}.yaml configured; no tool call yet",
                        (f"sha256:{obs.file_sha256}",))  # fmt: skip
        return Cell(gid, Status.FAIL, f"no tenant template ({obs.tenant}.yaml) configured")
    decision_id, ts, rev = first
    # Read by people (report, CLI); the exact time is the decision record's, linked by id.
    when = f"{ts.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if isinstance(ts, datetime) else str(ts)
    refs = (f"decision:{decision_id}", f"revision:{rev}")
    if not rev or rev == "unknown":
        return Cell(gid, Status.FAIL, f"first tool call ({when}) ran with no policy loaded", refs)
    history = _revision_history(con, obs.tenant)
    if obs.revision is not None:
        history.setdefault(obs.revision, obs.tenant_template)
    if obs.default_revision is not None:
        history.setdefault(obs.default_revision, False)
    own = history.get(rev)
    if own is None:
        return Cell(gid, Status.UNKNOWN,
                    f"first tool call ({when}) cites revision {rev[:12]}…, not in the policy history", refs)  # fmt: skip
    if own:
        return Cell(gid, Status.PASS, f"first tool call ({when}) ran under the tenant template (revision {rev[:12]}…)", refs)  # fmt: skip
    return Cell(gid, Status.FAIL,
                f"first tool call ({when}) ran under the bare default template (revision {rev[:12]}…)", refs)  # fmt: skip


def check_contract_scope(gid: str, org: Mapping[str, Any]) -> Cell:
    c = org.get("contract")
    if not c:
        return Cell(gid, Status.FAIL, "no contract on file")
    doc = (c["document"],)
    if c["excludes_regulated_workloads"]:
        return Cell(gid, Status.PASS, f"contract excludes regulated workloads (signed {c.get('signed', 'date not recorded')})", doc)  # fmt: skip
    note = f": {c['note']}" if c.get("note") else ""
    return Cell(gid, Status.FAIL, f"contract does not exclude regulated workloads{note}", doc)


def check_pilot_success_criteria(gid: str, org: Mapping[str, Any]) -> Cell:
    p = org.get("pilot_success_criteria")
    if not p:
        return Cell(gid, Status.FAIL, "no pilot success criteria document")
    doc = (p["document"],)
    missing = [what for what, ok in (
        ("agreement date", p.get("agreed")), ("workflows", p.get("workflows")),
        ("KPIs", p.get("kpis")), ("acceptance bar", p.get("acceptance_bar")),
    ) if not ok]  # fmt: skip
    if missing:
        return Cell(gid, Status.FAIL, f"not agreed in writing yet: no {', '.join(missing)}", doc)
    who = f" by {p['agreed_by']}" if p.get("agreed_by") else ""
    return Cell(gid, Status.PASS, f"agreed {p['agreed']}{who}: {len(p['workflows'])} workflows, "
                f"{len(p['kpis'])} KPIs, acceptance bar set", doc)  # fmt: skip


def check_contacts(gid: str, org: Mapping[str, Any]) -> Cell:
    contacts = org.get("contacts") or {}
    missing = []
    named = []
    for kind in ("incident", "rollback"):
        reachable = [
            c
            for c in contacts.get(kind, [])
            if c.get("email") or c.get("phone") or c.get("channel")
        ]
        if reachable:
            named.append(f"{kind}: {', '.join(c['name'] for c in reachable)}")
        else:
            missing.append(kind)
    if missing:
        return Cell(gid, Status.FAIL, f"no reachable {' or '.join(missing)} contact")
    return Cell(gid, Status.PASS, "; ".join(named))


def load_onboarding(plan: Plan) -> tuple[list[dict[str, Any]], bool]:
    """The organisation records of ``<plan>/onboarding.yaml`` (none when the file is absent)."""
    path = plan.plan_dir / "onboarding.yaml"
    if not path.exists():
        return [], False
    data, node = read_plan_file(path, "onboarding")
    seen: dict[str, int] = {}
    for i, org in enumerate(data["organizations"]):
        if org["tenant"] in seen:
            raise plan_error(path, node, ["organizations", i, "tenant"],
                             f"second record for tenant {org['tenant']!r}")  # fmt: skip
        seen[org["tenant"]] = i
    return list(data["organizations"]), bool(data.get("demo", False))


def evaluate_onboarding(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    *,
    policy_dir: Path | None = None,
    tree_passes: bool | None = None,
    now: datetime | None = None,
    orgs: Sequence[Mapping[str, Any]] | None = None,
) -> OnboardingTable:
    """Every organisation × every guardrail of the plan, with evidence.

    ``tree_passes``: whether all the decision tree's answers pass (None: not evaluated). With
    ``now``, the policy revisions observed are added to the history table.
    """
    policy_dir = policy_dir or plan.plan_dir / "policies"
    demo = False
    if orgs is None:
        loaded, demo = load_onboarding(plan)
        orgs = loaded
    rows = []
    for org in orgs:
        obs = observe_policy(policy_dir, org["tenant"])
        if now is not None:
            record_policy_observation(con, obs, now)
        cells = []
        for g in plan.onboarding:
            match g.check:
                case "contract_scope":
                    cells.append(check_contract_scope(g.id, org))
                case "policy_before_first_call":
                    cells.append(check_policy_before_first_call(con, g.id, obs))
                case "pilot_success_criteria":
                    cells.append(check_pilot_success_criteria(g.id, org))
                case "contacts":
                    cells.append(check_contacts(g.id, org))
                case _:
                    cells.append(
                        Cell(
                            g.id, Status.UNKNOWN, "no check bound to this guardrail (bindings.yaml)"
                        )
                    )
        rows.append(OrgOnboarding(org["tenant"], org["name"], tuple(cells)))
    ready = [o.tenant for o in rows if o.guardrails_pass]
    if tree_passes is not True:
        state = "does not pass" if tree_passes is False else "is not yet known to pass"
        reason = (f"no organisation may be onboarded now: the decision tree {state} "
                  f"({plan.decision_rule or 'its answers must all pass'})")  # fmt: skip
    elif ready:
        reason = f"{', '.join(ready)} meet every guardrail and the decision tree passes"
    else:
        reason = "no organisation meets every guardrail"
    return OnboardingTable(
        tuple((g.id, g.text) for g in plan.onboarding), tuple(rows), tree_passes, demo, reason
    )


def onboarding_section(
    con: duckdb.DuckDBPyConnection, plan: Plan, tree_passes: bool | None
) -> dict[str, Any]:
    """The report's onboarding section: one row per organisation, one column per guardrail,
    and who may be onboarded now (``tree_passes`` is the recorded decision tree's verdict)."""
    table = evaluate_onboarding(con, plan, tree_passes=tree_passes)
    return {
        "guardrails": [{"id": gid, "text": text} for gid, text in table.guardrails],
        "orgs": [
            {
                "tenant": o.tenant,
                "name": o.name,
                "guardrails_pass": o.guardrails_pass,
                "blocking": list(o.blocking),
                "cells": [
                    {
                        "guardrail": c.guardrail,
                        "status": c.status.value,
                        "evidence": c.evidence,
                        "refs": list(c.refs),
                    }
                    for c in o.cells
                ],  # fmt: skip
            }
            for o in table.orgs
        ],
        "tree_passes": table.tree_passes,
        "may_onboard_now": list(table.may_onboard_now),
        "reason": table.reason,
        "decision_rule": plan.decision_rule,
        "is_demo": table.is_demo,
    }
