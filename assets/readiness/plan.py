"""The readiness plan as data: load, validate (schema + cross-references) and expose it.

`load_plan(plan_dir)` reads ``plan.yaml``, ``attestations.yaml``, ``waivers.yaml`` and the
tracking entries under ``tracking/``. Any problem raises `PlanError` naming the file, the
path inside it (``workstreams[2].exit_criteria[0].evaluation``), the line when known, and
what is wrong — a bad plan never half-loads.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from enforcement_agent import bounded_yaml

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "plans" / "schema"
EVALUATION_TYPES = ("evidence", "sql", "attestation", "all_of")
_THRESHOLD_RE = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")


class PlanError(ValueError):
    """A plan file that cannot be used: which file, where inside it, and why."""

    def __init__(self, file: Path | str, path: str, reason: str, line: int | None = None):
        self.file = str(file)
        self.path = path or "<root>"
        # Short on purpose: a reason may quote the offending value (which may be huge).
        self.reason = reason if len(reason) <= 500 else reason[:500] + " …"
        self.line = line
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {self.path}: {self.reason}")


class _StringDateLoader(yaml.SafeLoader):
    """YAML loader that keeps dates as strings so the schema sees what the author wrote."""


_StringDateLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# ---------------------------------------------------------------------------------------
# Model


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    evaluation: Mapping[str, Any] | None
    category: str  # exit | scope | gate
    workstream: str | None
    owner: str
    priority: str

    @property
    def evaluable(self) -> bool:
        return self.evaluation is not None

    @property
    def spec(self) -> dict[str, Any]:
        """What a verdict depends on: changing any of it changes the spec hash."""
        return {"id": self.id, "text": self.text, "evaluation": self.evaluation}

    @property
    def spec_hash(self) -> str:
        return canonical_hash(self.spec)


@dataclass(frozen=True)
class Workstream:
    id: str
    title: str
    owner: str
    priority: str
    start: date
    end: date
    scope: tuple[Criterion, ...]
    exit_criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class GateCondition:
    id: str
    text: str
    workstreams: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gate:
    title: str
    decision_date: date | None
    criteria: tuple[Criterion, ...]
    conditions: tuple[GateCondition, ...]
    go_consequence: str
    no_go_consequence: str


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class Attestation:
    criterion: str
    claim: str | None
    who: str
    when: datetime
    document: str
    expires: datetime
    statement: str
    status: str = "pass"

    @property
    def attestation_id(self) -> str:
        body = {
            "criterion": self.criterion,
            "claim": self.claim,
            "who": self.who,
            "when": self.when.isoformat(),
            "document": self.document,
            "expires": self.expires.isoformat(),
            "statement": self.statement,
            "status": self.status,
        }
        return "att-" + canonical_hash(body)[:16]


@dataclass(frozen=True)
class Waiver:
    id: str
    scope: str
    justification: str
    approver: str
    granted: datetime
    expires: datetime


@dataclass(frozen=True)
class TrackingEntry:
    date: date
    file: str
    author: str | None
    sections: Mapping[str, tuple[str, ...]]
    notes: str | None = None


@dataclass(frozen=True)
class Plan:
    plan_dir: Path
    id: str
    title: str
    version: str
    start: date
    end: date
    owner: str | None
    workstreams: tuple[Workstream, ...]
    gate: Gate
    decision_tree: tuple[Question, ...]
    guardrails_title: str
    guardrails: tuple[tuple[str, str], ...]
    tracking_title: str
    tracking_sections: tuple[tuple[str, str, str], ...]  # (id, title, source)
    attestations: tuple[Attestation, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    tracking: tuple[TrackingEntry, ...] = ()
    content_hash: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)

    def criteria(self) -> Iterator[Criterion]:
        """Every criterion with an id: scope items, exit criteria, then gate-only criteria."""
        for ws in self.workstreams:
            yield from ws.scope
            yield from ws.exit_criteria
        yield from self.gate.criteria

    def evaluable_criteria(self) -> list[Criterion]:
        return [c for c in self.criteria() if c.evaluable]

    def exit_criteria(self) -> list[Criterion]:
        return [c for ws in self.workstreams for c in ws.exit_criteria]

    def criterion(self, cid: str) -> Criterion:
        for c in self.criteria():
            if c.id == cid:
                return c
        raise KeyError(cid)

    def workstream(self, wid: str) -> Workstream:
        for ws in self.workstreams:
            if ws.id == wid:
                return ws
        raise KeyError(wid)

    def tracking_for(self, day: date) -> TrackingEntry | None:
        for entry in self.tracking:
            if entry.date == day:
                return entry
        return None


def canonical_hash(obj: Any) -> str:
    body = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def parse_threshold(expr: str) -> tuple[str, float]:
    m = _THRESHOLD_RE.match(expr)
    if not m:
        raise ValueError(f"threshold {expr!r} is not '<op> <number>'")
    return m.group(1), float(m.group(2))


# ---------------------------------------------------------------------------------------
# Loading


@cache
def _schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text())
    return data


def _fmt_path(parts: Sequence[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _line_of(node: yaml.Node | None, parts: Sequence[str | int]) -> int | None:
    """The 1-based line of the YAML node at ``parts`` (or its nearest existing parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for p in parts:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == p), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(p, int) and p < len(node.value):
            nxt = node.value[p]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(path, "", f"cannot read: {exc}") from None
    try:
        # Bounded: size, aliases, expanded nodes, depth and time (a billion laughs is refused).
        data, node = bounded_yaml.load(text, _StringDateLoader)
    except bounded_yaml.YAMLBoundsError as exc:
        raise PlanError(path, "", f"refused: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PlanError(path, "", f"invalid YAML: {getattr(exc, 'problem', exc)}", line) from None
    return data, node


def _validate(path: Path, data: Any, node: yaml.Node | None, schema: str) -> None:
    validator = jsonschema.Draft202012Validator(_schema(schema))
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), e.message))
    if not errors:
        return
    # The deepest error is the most specific; oneOf errors explain themselves via context.
    err = max(errors, key=lambda e: len(e.absolute_path))
    if err.context:
        err = max(err.context, key=lambda e: len(e.absolute_path))
    parts = list(err.absolute_path)
    raise PlanError(path, _fmt_path(parts), err.message, _line_of(node, parts))


def _to_date(value: str) -> date:
    return date.fromisoformat(value)


def _to_dt(value: str) -> datetime:
    t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _criterion(
    raw: Mapping[str, Any], category: str, ws: Mapping[str, Any] | None, gate_owner: str
) -> Criterion:
    return Criterion(
        id=raw["id"],
        text=raw["text"],
        evaluation=raw.get("evaluation"),
        category=category,
        workstream=ws["id"] if ws else None,
        owner=raw.get("owner") or (ws["owner"] if ws else gate_owner),
        priority=raw.get("priority") or (ws["priority"] if ws else "P0"),
    )


def _check_sql(query: str) -> str | None:
    """SQL criteria are single read-only SELECTs over evidence tables; refused at load time."""
    from assets.readiness.sql_guard import sql_problem

    return sql_problem(query)


def _check_evaluation(ev: Mapping[str, Any]) -> str | None:
    if ev["type"] == "sql":
        return _check_sql(ev["query"])
    if ev["type"] == "all_of":
        for sub in ev["of"]:
            problem = _check_evaluation(sub)
            if problem:
                return problem
    return None


def _cross_check(path: Path, data: Mapping[str, Any], node: yaml.Node | None) -> None:
    """What a schema cannot say: unique ids, references that resolve, sane SQL and dates."""

    def fail(parts: list[str | int], reason: str) -> None:
        raise PlanError(path, _fmt_path(parts), reason, _line_of(node, parts))

    seen: dict[str, str] = {}
    ws_ids: set[str] = set()

    def claim(cid: str, parts: list[str | int]) -> None:
        if cid in seen:
            fail(parts + ["id"], f"duplicate id {cid!r} (first used at {seen[cid]})")
        seen[cid] = _fmt_path(parts)

    plan = data["plan"]
    for d in ("start", "end"):
        try:
            _to_date(plan[d])
        except ValueError as exc:
            fail(["plan", d], str(exc))
    if plan["start"] > plan["end"]:
        fail(["plan", "end"], "plan ends before it starts")
    for i, ws in enumerate(data["workstreams"]):
        base: list[str | int] = ["workstreams", i]
        if ws["id"] in ws_ids:
            fail(base + ["id"], f"duplicate workstream id {ws['id']!r}")
        ws_ids.add(ws["id"])
        for d in ("start", "end"):
            try:
                _to_date(ws[d])
            except ValueError as exc:
                fail(base + [d], str(exc))
        if ws["start"] > ws["end"]:
            fail(base + ["end"], "workstream ends before it starts")
        for section in ("scope", "exit_criteria"):
            for j, c in enumerate(ws[section]):
                claim(c["id"], base + [section, j])
                if "evaluation" in c:
                    problem = _check_evaluation(c["evaluation"])
                    if problem:
                        fail(base + [section, j, "evaluation"], problem)
    for j, c in enumerate(data["gate"].get("criteria", [])):
        claim(c["id"], ["gate", "criteria", j])
        problem = _check_evaluation(c["evaluation"])
        if problem:
            fail(["gate", "criteria", j, "evaluation"], problem)
    for j, cond in enumerate(data["gate"]["conditions"]):
        for k, wid in enumerate(cond.get("workstreams", [])):
            if wid not in ws_ids:
                fail(["gate", "conditions", j, "workstreams", k], f"unknown workstream {wid!r}")
        for k, cid in enumerate(cond.get("criteria", [])):
            if cid not in seen:
                fail(["gate", "conditions", j, "criteria", k], f"unknown criterion {cid!r}")
    for j, q in enumerate(data["decision_tree"]):
        for k, cid in enumerate(q["criteria"]):
            if cid not in seen:
                fail(["decision_tree", j, "criteria", k], f"unknown criterion {cid!r}")


def _load_attestations(path: Path, known: set[str]) -> tuple[Attestation, ...]:
    if not path.exists():
        return ()
    data, node = _read_yaml(path)
    _validate(path, data, node, "attestations")
    out: list[Attestation] = []
    for i, a in enumerate(data["attestations"]):
        parts: list[str | int] = ["attestations", i]
        if a["criterion"] not in known:
            raise PlanError(
                path, _fmt_path(parts + ["criterion"]), f"unknown criterion {a['criterion']!r}",
                _line_of(node, parts + ["criterion"]),
            )  # fmt: skip
        try:
            when, expires = _to_dt(a["when"]), _to_dt(a["expires"])
        except ValueError as exc:
            raise PlanError(path, _fmt_path(parts), str(exc), _line_of(node, parts)) from None
        if expires <= when:
            raise PlanError(
                path, _fmt_path(parts + ["expires"]), "expires before it was made",
                _line_of(node, parts + ["expires"]),
            )  # fmt: skip
        out.append(
            Attestation(
                criterion=a["criterion"],
                claim=a.get("claim"),
                who=a["who"],
                when=when,
                document=a["document"],
                expires=expires,
                statement=a["statement"],
                status=a.get("status", "pass"),
            )
        )
    return tuple(out)


def _load_waivers(path: Path, known: set[str]) -> tuple[Waiver, ...]:
    if not path.exists():
        return ()
    data, node = _read_yaml(path)
    _validate(path, data, node, "waivers")
    out: list[Waiver] = []
    ids: set[str] = set()
    for i, w in enumerate(data["waivers"]):
        parts: list[str | int] = ["waivers", i]

        def fail(sub: str, reason: str, parts: list[str | int] = parts) -> None:
            raise PlanError(path, _fmt_path(parts + [sub]), reason, _line_of(node, parts + [sub]))

        if w["scope"] not in known:
            fail("scope", f"unknown criterion or workstream {w['scope']!r}")
        if w["id"] in ids:
            fail("id", f"duplicate waiver id {w['id']!r}")
        ids.add(w["id"])
        try:
            granted, expires = _to_dt(w["granted"]), _to_dt(w["expires"])
        except ValueError as exc:
            fail("expires", str(exc))
            raise  # unreachable; keeps type checkers honest
        if expires <= granted:
            fail("expires", "waiver expires before it was granted")
        out.append(Waiver(w["id"], w["scope"], w["justification"], w["approver"], granted, expires))
    return tuple(out)


def _load_tracking(folder: Path) -> tuple[TrackingEntry, ...]:
    if not folder.is_dir():
        return ()
    entries: dict[date, TrackingEntry] = {}
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        data, node = _read_yaml(path)
        _validate(path, data, node, "tracking")
        try:
            day = _to_date(data["date"])
        except ValueError as exc:
            raise PlanError(path, "date", str(exc), _line_of(node, ["date"])) from None
        if day in entries:
            raise PlanError(
                path, "date", f"second tracking entry for {day} (first: {entries[day].file})"
            )
        sections = {
            k: tuple(v)
            for k, v in data.items()
            if k in ("planned_today", "done_today", "risks_blockers", "decision_needed")
        }
        entries[day] = TrackingEntry(
            day, str(path), data.get("author"), sections, data.get("notes")
        )
    return tuple(entries[d] for d in sorted(entries))


def _file_hashes(plan_dir: Path) -> dict[str, str]:
    files = [plan_dir / "plan.yaml", plan_dir / "attestations.yaml", plan_dir / "waivers.yaml"]
    files += (
        sorted((plan_dir / "tracking").glob("*.y*ml")) if (plan_dir / "tracking").is_dir() else []
    )
    return {
        str(f.relative_to(plan_dir)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in files
        if f.exists()
    }


def load_plan(plan_dir: Path | str) -> Plan:
    """Load and validate the plan in ``plan_dir``; raises `PlanError` on the first problem."""
    plan_dir = Path(plan_dir)
    plan_file = plan_dir / "plan.yaml"
    data, node = _read_yaml(plan_file)
    _validate(plan_file, data, node, "plan")
    _cross_check(plan_file, data, node)

    p = data["plan"]
    gate_owner = p.get("owner") or "plan owner"
    workstreams = tuple(
        Workstream(
            id=ws["id"],
            title=ws["title"],
            owner=ws["owner"],
            priority=ws["priority"],
            start=_to_date(ws["start"]),
            end=_to_date(ws["end"]),
            scope=tuple(_criterion(s, "scope", ws, gate_owner) for s in ws["scope"]),
            exit_criteria=tuple(_criterion(c, "exit", ws, gate_owner) for c in ws["exit_criteria"]),
        )
        for ws in data["workstreams"]
    )
    g = data["gate"]
    gate = Gate(
        title=g["title"],
        decision_date=_to_date(g["decision_date"]) if g.get("decision_date") else None,
        criteria=tuple(_criterion(c, "gate", None, gate_owner) for c in g.get("criteria", [])),
        conditions=tuple(
            GateCondition(
                c["id"], c["text"], tuple(c.get("workstreams", [])), tuple(c.get("criteria", []))
            )
            for c in g["conditions"]
        ),
        go_consequence=g["go_consequence"],
        no_go_consequence=g["no_go_consequence"],
    )
    known = {
        c["id"] for ws in data["workstreams"] for s in ("scope", "exit_criteria") for c in ws[s]
    }
    known |= {c["id"] for c in g.get("criteria", [])}
    hashes = _file_hashes(plan_dir)
    return Plan(
        plan_dir=plan_dir,
        id=p["id"],
        title=p["title"],
        version=p["version"],
        start=_to_date(p["start"]),
        end=_to_date(p["end"]),
        owner=p.get("owner"),
        workstreams=workstreams,
        gate=gate,
        decision_tree=tuple(
            Question(q["id"], q["question"], tuple(q["criteria"])) for q in data["decision_tree"]
        ),
        guardrails_title=data["guardrails"]["title"],
        guardrails=tuple((i["id"], i["text"]) for i in data["guardrails"]["items"]),
        tracking_title=data["tracking_template"]["title"],
        tracking_sections=tuple(
            (s["id"], s["title"], s.get("source", "entry"))
            for s in data["tracking_template"]["sections"]
        ),
        attestations=_load_attestations(plan_dir / "attestations.yaml", known),
        # A waiver's scope is one criterion or a whole workstream.
        waivers=_load_waivers(plan_dir / "waivers.yaml", known | {ws.id for ws in workstreams}),
        tracking=_load_tracking(plan_dir / "tracking"),
        content_hash=canonical_hash(hashes),
        raw=data,
    )
