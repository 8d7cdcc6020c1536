"""The readiness plan as data: load, validate (schema + cross-references) and expose it.

`load_plan(plan_dir)` reads ``plan.yaml`` (the plan's own text, verbatim), ``bindings.yaml``
(how each item, by id, is evaluated), ``attestations.yaml``, ``waivers.yaml`` and the
tracking entries under ``tracking/``. Any problem raises `PlanError` naming the file, the
path inside it (``bindings.WS0.1.evaluation``), the line when known, and what is wrong — a
bad plan never half-loads. An item nothing binds is evaluated as ``unbound``: unknown, never
a pass.
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
from typing import Any, NoReturn

import jsonschema
import yaml

from assets.readiness.plan_dates import DateTextError, parse_date, parse_date_range_within
from enforcement_agent import bounded_yaml

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "plans" / "schema"
EVALUATION_TYPES = ("evidence", "sql", "attestation", "all_of", "unbound")
UNBOUND: Mapping[str, Any] = {"type": "unbound"}
# Who owns a gate-only criterion when neither the plan nor its binding names anyone.
UNNAMED_OWNER = "not named in the plan"
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


# libyaml's parser when it is there (the plan is read on every evaluation), else pure Python.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StringDateLoader(_SafeLoader):  # type: ignore[valid-type,misc]
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
class DateRange:
    """Dates as the plan words them (``text``) and what that means (``start``..``end``)."""

    text: str
    start: date
    end: date


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
    dates_text: str = ""


@dataclass(frozen=True)
class GateCondition:
    id: str
    text: str
    workstreams: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()  # includes the condition's own id when it is evaluated


@dataclass(frozen=True)
class Gate:
    title: str
    decision_date: date | None
    criteria: tuple[Criterion, ...]  # conditions that carry an evaluation of their own
    conditions: tuple[GateCondition, ...]
    go_consequence: str
    no_go_consequence: str
    date_text: str = ""
    lead: str = ""
    consequences_lead: str = ""
    consequences: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    criteria: tuple[str, ...]
    fail_if: str = "no"  # the answer the plan's rule fails on ("If no: …")
    outcome: str = ""  # what the plan says follows from that answer


@dataclass(frozen=True)
class Milestone:
    id: str
    text: str
    criteria: tuple[str, ...] = ()
    started: tuple[str, ...] = ()
    complete: tuple[str, ...] = ()

    @property
    def bound(self) -> bool:
        return bool(self.criteria or self.started or self.complete)


@dataclass(frozen=True)
class Week:
    id: str
    title: str
    dates: DateRange
    milestones: tuple[Milestone, ...]


@dataclass(frozen=True)
class Guardrail:
    id: str
    text: str
    check: str | None  # the per-organisation check bound to it (None: unbound)


@dataclass(frozen=True)
class TrackingField:
    id: str
    text: str
    field: str  # the entry field it fills
    source: str  # entry | verdicts


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
    tracking_sections: tuple[tuple[str, str, str], ...]  # (field, title, source)
    attestations: tuple[Attestation, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    tracking: tuple[TrackingEntry, ...] = ()
    content_hash: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)
    # The plan's own words beyond what evaluation needs (kept for the report and the digest).
    date_window_text: str = ""
    status: str | None = None
    primary_outcome: str | None = None
    weeks: tuple[Week, ...] = ()
    onboarding: tuple[Guardrail, ...] = ()
    tracking_fields: tuple[TrackingField, ...] = ()
    decision_rule: str = ""  # the decision tree's closing rule
    bindings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

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


def read_plan_file(path: Path, schema: str) -> tuple[Any, yaml.Node | None]:
    """Another file of the plan folder, read and checked against ``plans/schema/<schema>``."""
    data, node = _read_yaml(path)
    _validate(path, data, node, schema)
    return data, node


def plan_error(
    path: Path, node: yaml.Node | None, parts: list[str | int], reason: str
) -> PlanError:
    """A `PlanError` pointing at ``parts`` inside a file read by `read_plan_file`."""
    return PlanError(path, _fmt_path(parts), reason, _line_of(node, parts))


def _to_date(value: str) -> date:
    return date.fromisoformat(value)


def _to_dt(value: str) -> datetime:
    t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _criterion(
    raw: Mapping[str, Any],
    binding: Mapping[str, Any],
    category: str,
    ws: Mapping[str, Any] | None,
    default_evaluation: Mapping[str, Any] | None,
) -> Criterion:
    return Criterion(
        id=raw["id"],
        text=raw["text"],
        evaluation=binding.get("evaluation", default_evaluation),
        category=category,
        workstream=ws["id"] if ws else None,
        owner=binding.get("owner") or (ws["owner"] if ws else UNNAMED_OWNER),
        priority=binding.get("priority") or (ws["priority"] if ws else "P0"),
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


# Which binding keys apply to which kind of plan item.
_BINDING_KEYS = {
    "scope item": {"evaluation", "owner", "priority"},
    "exit criterion": {"evaluation", "owner", "priority"},
    "gate condition": {"evaluation", "owner", "priority", "workstreams", "criteria"},
    "milestone": {"criteria", "started", "complete"},
    "decision-tree question": {"criteria"},
    "onboarding guardrail": {"check"},
    "tracking field": {"field", "source"},
}


def _plan_items(data: Mapping[str, Any]) -> Iterator[tuple[str, str, list[str | int]]]:
    """(id, kind, path) of every item of the plan a binding may name, in plan order."""
    for i, ws in enumerate(data["workstreams"]):
        for j, c in enumerate(ws["scope"]):
            yield c["id"], "scope item", ["workstreams", i, "scope", j]
        for j, c in enumerate(ws["exit_criteria"]):
            yield c["id"], "exit criterion", ["workstreams", i, "exit_criteria", j]
    for j, c in enumerate(data["gate"]["conditions"]):
        yield c["id"], "gate condition", ["gate", "conditions", j]
    for i, w in enumerate(data.get("cadence", [])):
        for j, m in enumerate(w["milestones"]):
            yield m["id"], "milestone", ["cadence", i, "milestones", j]
    for j, q in enumerate(data.get("decision_tree", {}).get("questions", [])):
        yield q["id"], "decision-tree question", ["decision_tree", "questions", j]
    for j, g in enumerate(data.get("onboarding", {}).get("guardrails", [])):
        yield g["id"], "onboarding guardrail", ["onboarding", "guardrails", j]
    for j, f in enumerate(data.get("tracking", {}).get("fields", [])):
        yield f["id"], "tracking field", ["tracking", "fields", j]


def _date_ranges(data: Mapping[str, Any]) -> Iterator[tuple[list[str | int], Mapping[str, Any]]]:
    yield ["plan", "date_window"], data["plan"]["date_window"]
    for i, ws in enumerate(data["workstreams"]):
        yield ["workstreams", i, "dates"], ws["dates"]
    for i, w in enumerate(data.get("cadence", [])):
        yield ["cadence", i, "dates"], w["dates"]


def _cross_check(path: Path, data: Mapping[str, Any], node: yaml.Node | None) -> None:
    """What a schema cannot say about the plan text: unique ids, dates that mean what they say."""

    def fail(parts: list[str | int], reason: str) -> NoReturn:
        raise PlanError(path, _fmt_path(parts), reason, _line_of(node, parts))

    seen: dict[str, str] = {}

    def claim(cid: str, parts: list[str | int]) -> None:
        if cid in seen:
            fail(parts + ["id"], f"duplicate id {cid!r} (first used at {seen[cid]})")
        seen[cid] = _fmt_path(parts)

    for i, ws in enumerate(data["workstreams"]):
        claim(ws["id"], ["workstreams", i])
    for i, w in enumerate(data.get("cadence", [])):
        claim(w["id"], ["cadence", i])
    for cid, _, parts in _plan_items(data):
        claim(cid, parts)
    window: tuple[date, date] | None = None
    for parts, rng in _date_ranges(data):
        for key in ("start", "end"):
            try:
                _to_date(rng[key])
            except ValueError as exc:
                fail(parts + [key], str(exc))
        start, end = _to_date(rng["start"]), _to_date(rng["end"])
        if start > end:
            fail(parts + ["end"], "ends before it starts")
        window = window or (start, end)
        try:
            said = parse_date_range_within(rng["text"], window)
        except DateTextError:
            continue  # prose gonogo cannot read: start/end are the authority
        if said != (start, end):
            fail(parts, f"{rng['text']!r} means {said[0]} to {said[1]}, not {start} to {end}")
    assert window is not None
    singles: list[tuple[list[str | int], Mapping[str, Any] | None]] = [
        (["gate", "date"], data["gate"].get("date")),
        (["current_reality", "as_of"], data.get("current_reality", {}).get("as_of")),
    ]
    for parts, one in singles:
        if one is None:
            continue
        try:
            day = _to_date(one["date"])
        except ValueError as exc:
            fail(parts + ["date"], str(exc))
        try:
            said_day = parse_date(one["text"], default_year=window[0].year)
        except DateTextError:
            continue
        if said_day != day:
            fail(parts, f"{one['text']!r} means {said_day}, not {day}")


def _check_bindings(
    path: Path, data: Mapping[str, Any], node: yaml.Node | None, plan: Mapping[str, Any]
) -> None:
    """Every binding names an item of the plan, fits that kind of item, and resolves."""

    def fail(parts: list[str | int], reason: str) -> NoReturn:
        raise PlanError(path, _fmt_path(parts), reason, _line_of(node, parts))

    if data.get("plan") not in (None, plan["plan"]["id"]):
        fail(["plan"], f"binds plan {data['plan']!r}, but plan.yaml is {plan['plan']['id']!r}")
    kinds = {cid: kind for cid, kind, _ in _plan_items(plan)}
    ws_ids = {ws["id"] for ws in plan["workstreams"]}
    bindings: Mapping[str, Mapping[str, Any]] = data["bindings"]
    evaluated = {
        cid
        for cid, kind in kinds.items()
        if kind == "exit criterion" or "evaluation" in bindings.get(cid, {})
    }
    fields: dict[str, str] = {}
    for bid, b in bindings.items():
        parts: list[str | int] = ["bindings", bid]
        kind = kinds.get(bid)
        if kind is None:
            fail(parts, f"plan.yaml has no item {bid!r}")
        for key in b:
            if key not in _BINDING_KEYS[kind]:
                fail(parts + [key], f"{key!r} does not apply to a {kind}")
        if "evaluation" in b:
            problem = _check_evaluation(b["evaluation"])
            if problem:
                fail(parts + ["evaluation"], problem)
        for key in ("workstreams", "started", "complete"):
            for k, wid in enumerate(b.get(key, [])):
                if wid not in ws_ids:
                    fail(parts + [key, k], f"unknown workstream {wid!r}")
        for k, cid in enumerate(b.get("criteria", [])):
            if cid not in kinds:
                fail(parts + ["criteria", k], f"unknown criterion {cid!r}")
            if cid not in evaluated:
                fail(parts + ["criteria", k], f"{cid} is not evaluated (bind an evaluation to it)")
        if "field" in b:
            if b["field"] in fields:
                fail(parts + ["field"], f"field {b['field']!r} is already {fields[b['field']]}'s")
            fields[b["field"]] = bid


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


PLAN_FILES = ("plan.yaml", "bindings.yaml", "attestations.yaml", "waivers.yaml", "onboarding.yaml")


def _file_hashes(plan_dir: Path) -> dict[str, str]:
    files = [plan_dir / name for name in PLAN_FILES]
    files += (
        sorted((plan_dir / "tracking").glob("*.y*ml")) if (plan_dir / "tracking").is_dir() else []
    )
    return {
        str(f.relative_to(plan_dir)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in files
        if f.exists()
    }


def _load_bindings(path: Path, plan: Mapping[str, Any]) -> dict[str, Any]:
    """The bindings file (absent: nothing is bound, every criterion is unknown)."""
    if not path.exists():
        return {"bindings": {}}
    data, node = _read_yaml(path)
    _validate(path, data, node, "bindings")
    _check_bindings(path, data, node, plan)
    return dict(data)


def _range(raw: Mapping[str, Any]) -> DateRange:
    return DateRange(raw["text"], _to_date(raw["start"]), _to_date(raw["end"]))


def field_key(text: str) -> str:
    """A tracking field's key from its words: "Risks/blockers" → ``risks_blockers``."""
    key = re.sub(r"[^a-z0-9]+", "_", re.sub(r"\([^)]*\)", "", text).lower()).strip("_")[:62]
    return key if not key or key[0].isalpha() else f"f_{key}"


def load_plan(plan_dir: Path | str) -> Plan:
    """Load and validate the plan in ``plan_dir``; raises `PlanError` on the first problem."""
    plan_dir = Path(plan_dir)
    plan_file = plan_dir / "plan.yaml"
    data, node = _read_yaml(plan_file)
    _validate(plan_file, data, node, "plan")
    _cross_check(plan_file, data, node)
    bound = _load_bindings(plan_dir / "bindings.yaml", data)
    bindings: dict[str, Mapping[str, Any]] = bound["bindings"]

    def binding(cid: str) -> Mapping[str, Any]:
        return bindings.get(cid, {})

    p = data["plan"]
    headings = {s["key"]: s["heading"] for s in data["sections"] if s["key"] != "extra"}
    workstreams = tuple(
        Workstream(
            id=ws["id"],
            title=ws["title"],
            owner=ws["owner"],
            priority=ws["priority"],
            start=_to_date(ws["dates"]["start"]),
            end=_to_date(ws["dates"]["end"]),
            scope=tuple(_criterion(s, binding(s["id"]), "scope", ws, None) for s in ws["scope"]),
            exit_criteria=tuple(
                _criterion(c, binding(c["id"]), "exit", ws, UNBOUND) for c in ws["exit_criteria"]
            ),
            dates_text=ws["dates"]["text"],
        )
        for ws in data["workstreams"]
    )
    g = data["gate"]
    gate_criteria = tuple(
        _criterion(c, binding(c["id"]), "gate", None, None)
        for c in g["conditions"]
        if "evaluation" in binding(c["id"])
    )
    conditions = []
    for c in g["conditions"]:
        b = binding(c["id"])
        refs = list(b.get("criteria", []))
        if "evaluation" in b and c["id"] not in refs:
            refs.insert(0, c["id"])
        if not refs and not b.get("workstreams"):
            # Nothing says how to check it: the condition is unknown, so it cannot be met.
            gate_criteria += (_criterion(c, {"evaluation": UNBOUND}, "gate", None, None),)
            refs = [c["id"]]
        conditions.append(
            GateCondition(c["id"], c["text"], tuple(b.get("workstreams", [])), tuple(refs))
        )
    consequences = g.get("consequences", {})
    gate = Gate(
        title=headings.get("gate") or "Go/No-Go Gate",
        decision_date=_to_date(g["date"]["date"]) if "date" in g else None,
        criteria=gate_criteria,
        conditions=tuple(conditions),
        go_consequence=bound.get("go_consequence", "broad rollout is allowed"),
        no_go_consequence=" ".join(consequences.get("items", []))
        or "the plan states no consequence",
        date_text=g["date"]["text"] if "date" in g else "",
        lead=g.get("lead", ""),
        consequences_lead=consequences.get("lead", ""),
        consequences=tuple(consequences.get("items", [])),
    )
    tree = data.get("decision_tree", {})
    onboarding = data.get("onboarding", {})
    fields = tuple(
        TrackingField(
            f["id"],
            f["text"],
            binding(f["id"]).get("field") or field_key(f["text"]) or f["id"].lower(),
            binding(f["id"]).get("source", "entry"),
        )
        for f in data.get("tracking", {}).get("fields", [])
    )
    known = {c.id for ws in workstreams for c in (*ws.scope, *ws.exit_criteria)}
    known |= {c.id for c in gate_criteria}
    hashes = _file_hashes(plan_dir)
    return Plan(
        plan_dir=plan_dir,
        id=p["id"],
        title=p["title"],
        version=p["version"],
        start=_to_date(p["date_window"]["start"]),
        end=_to_date(p["date_window"]["end"]),
        owner=p.get("owner"),
        workstreams=workstreams,
        gate=gate,
        decision_tree=tuple(
            Question(
                q["id"],
                q["question"],
                tuple(binding(q["id"]).get("criteria", [])),
                q["rule"]["if"].lower(),
                q["rule"]["then"],
            )
            for q in tree.get("questions", [])
        ),
        guardrails_title=headings.get("onboarding") or "Onboarding guardrails",
        guardrails=tuple((i["id"], i["text"]) for i in onboarding.get("guardrails", [])),
        tracking_title=headings.get("tracking") or "Tracking",
        tracking_sections=tuple((f.field, f.text, f.source) for f in fields),
        attestations=_load_attestations(plan_dir / "attestations.yaml", known),
        # A waiver's scope is one criterion or a whole workstream.
        waivers=_load_waivers(plan_dir / "waivers.yaml", known | {ws.id for ws in workstreams}),
        tracking=_load_tracking(plan_dir / "tracking"),
        content_hash=canonical_hash(hashes),
        raw=data,
        date_window_text=p["date_window"]["text"],
        status=p.get("status"),
        primary_outcome=p.get("primary_outcome"),
        weeks=tuple(
            Week(
                w["id"],
                w["title"],
                _range(w["dates"]),
                tuple(
                    Milestone(
                        m["id"],
                        m["text"],
                        tuple(binding(m["id"]).get("criteria", [])),
                        tuple(binding(m["id"]).get("started", [])),
                        tuple(binding(m["id"]).get("complete", [])),
                    )
                    for m in w["milestones"]
                ),
            )
            for w in data.get("cadence", [])
        ),
        onboarding=tuple(
            Guardrail(i["id"], i["text"], binding(i["id"]).get("check"))
            for i in onboarding.get("guardrails", [])
        ),
        tracking_fields=fields,
        decision_rule=tree.get("closing", ""),
        bindings=bindings,
    )
