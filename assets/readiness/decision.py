"""The go/no-go decision, the enterprise decision tree and workstream progress, from verdicts.

GO only when every gate condition holds (all named workstreams' exit criteria pass, all named
criteria pass) and no P0 exit or gate criterion is anything but ``pass``. A waiver changes
progress and the displayed status, never the gate: a waived P0 criterion still blocks GO.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from assets.readiness.plan import Plan
from assets.readiness.statuses import Status, satisfied

GO, NO_GO = "GO", "NO-GO"


@dataclass(frozen=True)
class StatusView:
    """What the decision logic needs of a verdict (fresh `Verdict` or a stored row)."""

    criterion_id: str
    status: Status
    evidence_ids: tuple[str, ...] = ()
    value: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class ConditionResult:
    id: str
    text: str
    met: bool
    blocking: tuple[str, ...]  # criterion ids not passing


@dataclass(frozen=True)
class Answer:
    id: str
    question: str
    answer: str  # yes | no | not yet known — in the question's own terms
    criteria: tuple[StatusView, ...]
    passes: bool | None = None  # None: not yet known
    outcome: str = ""  # the plan's rule when the answer fails ("not enterprise ready.")


@dataclass(frozen=True)
class Progress:
    workstream: str
    title: str
    owner: str
    priority: str
    applicable: int
    satisfied: int
    counts: Mapping[str, int]

    @property
    def percent(self) -> float:
        return round(100.0 * self.satisfied / self.applicable, 1) if self.applicable else 0.0


@dataclass(frozen=True)
class Decision:
    decision: str
    sentence: str
    consequence: str
    conditions: tuple[ConditionResult, ...]
    p0_blockers: tuple[StatusView, ...]
    answers: tuple[Answer, ...]
    progress: tuple[Progress, ...]
    counts: Mapping[str, int] = field(default_factory=dict)


def _status(views: Mapping[str, StatusView], cid: str) -> Status:
    v = views.get(cid)
    return v.status if v else Status.UNKNOWN


def progress(plan: Plan, views: Mapping[str, StatusView]) -> list[Progress]:
    """Per workstream: satisfied (pass or waived) / applicable exit criteria, with every status counted."""
    out: list[Progress] = []
    for ws in plan.workstreams:
        crit = [c for c in ws.exit_criteria if c.evaluable]
        counts = {s.value: 0 for s in Status}
        for c in crit:
            counts[_status(views, c.id).value] += 1
        out.append(
            Progress(
                ws.id, ws.title, ws.owner, ws.priority, len(crit),
                sum(1 for c in crit if satisfied(_status(views, c.id))), counts,
            )
        )  # fmt: skip
    return out


def _answer(statuses: Sequence[Status], fail_if: str) -> tuple[str, bool | None]:
    """The question's answer in its own terms, and whether it passes the plan's rule.

    Passing criteria give the answer the rule does not fail on: for "Can one tenant access
    another's data? — If yes: not enterprise ready" that is "no".
    """
    good = "no" if fail_if == "yes" else "yes"
    if statuses and all(s is Status.PASS for s in statuses):
        return good, True
    if any(s is Status.FAIL for s in statuses):
        return fail_if, False
    return "not yet known", None


def decide(plan: Plan, views: Mapping[str, StatusView]) -> Decision:
    conditions: list[ConditionResult] = []
    for cond in plan.gate.conditions:
        ids = [
            c.id
            for wid in cond.workstreams
            for c in plan.workstream(wid).exit_criteria
            if c.evaluable
        ]
        ids += [cid for cid in cond.criteria if cid not in ids]
        blocking = tuple(cid for cid in ids if _status(views, cid) is not Status.PASS)
        conditions.append(ConditionResult(cond.id, cond.text, not blocking, blocking))
    gating = [c for c in plan.criteria() if c.category in ("exit", "gate") and c.evaluable]
    blockers = tuple(
        views.get(c.id) or StatusView(c.id, Status.UNKNOWN, reason="no verdict")
        for c in gating
        if c.priority == "P0" and _status(views, c.id) is not Status.PASS
    )
    answers = []
    for q in plan.decision_tree:
        answer, passes = _answer([_status(views, cid) for cid in q.criteria], q.fail_if)
        answers.append(
            Answer(
                q.id, q.question, answer,
                tuple(views.get(cid) or StatusView(cid, Status.UNKNOWN) for cid in q.criteria),
                passes, q.outcome if passes is False else "",
            )
        )  # fmt: skip
    counts = {s.value: 0 for s in Status}
    for c in gating:
        counts[_status(views, c.id).value] += 1
    unmet = [c for c in conditions if not c.met]
    if not unmet and not blockers:
        decision, consequence = GO, plan.gate.go_consequence
        sentence = f"GO: every gate condition is met and every P0 criterion passes — {consequence}"
    else:
        decision, consequence = NO_GO, plan.gate.no_go_consequence
        why = []
        if unmet:
            why.append(f"{len(unmet)} of {len(conditions)} gate conditions are not met")
        if blockers:
            why.append(f"{len(blockers)} P0 criteria are not pass")
        sentence = f"NO-GO: {' and '.join(why)} — {consequence}"
    sentence = sentence if sentence.endswith(".") else sentence + "."
    return Decision(
        decision, sentence, consequence, tuple(conditions), blockers, tuple(answers),
        tuple(progress(plan, views)), counts,
    )  # fmt: skip


def decision_record(d: Decision, plan: Plan) -> dict[str, Any]:
    """The decision as it is recorded (JSON): what the report, digest and API read back."""

    def owner(cid: str) -> str:
        try:
            return plan.criterion(cid).owner
        except KeyError:
            return ""

    def text(cid: str) -> str:
        try:
            return plan.criterion(cid).text
        except KeyError:
            return ""

    return {
        "decision": d.decision,
        "sentence": d.sentence,
        "consequence": d.consequence,
        "conditions": [asdict(c) for c in d.conditions],
        "p0_blockers": [
            {
                "criterion_id": b.criterion_id,
                "status": b.status.value,
                "reason": b.reason,
                "owner": owner(b.criterion_id),
            }
            for b in d.p0_blockers
        ],  # fmt: skip
        "counts": dict(d.counts),
        "decision_tree": [
            {
                "id": a.id,
                "question": a.question,
                "answer": a.answer,
                "passes": a.passes,
                "outcome": a.outcome,
                "criteria": [
                    {
                        "id": v.criterion_id,
                        "text": text(v.criterion_id),
                        "status": v.status.value,
                        "evidence_ids": list(v.evidence_ids),
                        "reason": v.reason,
                    }
                    for v in a.criteria
                ],  # fmt: skip
            }
            for a in d.answers
        ],
        "progress": [
            {
                "workstream": p.workstream,
                "percent": p.percent,
                "satisfied": p.satisfied,
                "applicable": p.applicable,
                "counts": dict(p.counts),
            }
            for p in d.progress
        ],  # fmt: skip
    }
