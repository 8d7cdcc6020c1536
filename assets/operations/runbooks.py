"""On-call runbooks: documents with a small structured head, and the alerts they serve.

A runbook is ``docs/runbooks/<name>.md`` opening with a YAML head between ``---`` lines::

    ---
    title: A gonogo worker stopped heartbeating
    alerts:                       # the alerts it serves (alertname, optionally slo/subject)
      - {alertname: GonogoWorkerHeartbeatMissing, slo: worker-heartbeat}
    severity: Sev-1               # the incident a page of these alerts opens (Sev-1..Sev-3)
    detection: what fires, where to look first
    mitigation:                   # steps; `run` is a shell command (environment variables
      - step: Restart the worker  # like $GONOGO_URL are set by the drill, or by you)
        run: gonogo serve --port "$PORT"
        restart: worker           # the drill restarts this process with the command
    verification:
      - step: The worker answers and heartbeats
        run: gonogo soak probe --url "$GONOGO_URL"
    rollback:
      - step: ...
    contacts:
      - {role: primary on-call, who: team-sre pager}
    drills: [worker-killed]       # the drills that exercise it
    ---

A step without ``run`` is manual (shown, never executed). ``ok_exit`` lists the exit codes
that count as success (default ``[0]``; a diagnostic that is expected to fail during the
incident says ``[0, 1]``). ``restart`` (``worker`` or ``prometheus``) marks the step that
brings that process back; ``timeout_s`` bounds a command (default 60).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SEVERITIES = ("Sev-1", "Sev-2", "Sev-3")
REQUIRED = (
    "title",
    "alerts",
    "severity",
    "detection",
    "mitigation",
    "verification",
    "rollback",
    "contacts",
)
RESTARTABLE = ("worker", "prometheus")
_HEAD = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_BYTES = 256 * 1024


class RunbookError(ValueError):
    """A runbook that cannot be used: names the file and what is wrong."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class Step:
    step: str
    run: str = ""
    ok_exit: tuple[int, ...] = (0,)
    restart: str = ""
    timeout_s: float = 60.0

    @property
    def automated(self) -> bool:
        return bool(self.run)


@dataclass(frozen=True)
class AlertRef:
    alertname: str
    slo: str = ""
    subject: str = ""

    def serves(self, alertname: str, slo: str, subject: str = "") -> bool:
        return (
            self.alertname == alertname
            and (not self.slo or self.slo == slo)
            and (not self.subject or self.subject == subject)
        )


@dataclass(frozen=True)
class Contact:
    role: str
    who: str


@dataclass(frozen=True)
class Runbook:
    name: str
    path: str  # repository-relative, e.g. docs/runbooks/worker-heartbeat.md
    title: str
    alerts: tuple[AlertRef, ...]
    severity: str
    detection: str
    mitigation: tuple[Step, ...]
    verification: tuple[Step, ...]
    rollback: tuple[Step, ...]
    contacts: tuple[Contact, ...]
    drills: tuple[str, ...] = ()
    content_hash: str = ""
    missing: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing

    def serves(self, alertname: str, slo: str, subject: str = "") -> bool:
        return any(a.serves(alertname, slo, subject) for a in self.alerts)


def _text(head: Mapping[str, Any], key: str) -> str:
    value = head.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key}: expected text")
    return value.strip()


def _steps(head: Mapping[str, Any], key: str) -> tuple[Step, ...]:
    raw = head.get(key) or []
    if not isinstance(raw, list):
        raise ValueError(f"{key}: expected a list of steps")
    out: list[Step] = []
    for i, item in enumerate(raw):
        where = f"{key}[{i}]"
        if isinstance(item, str):
            item = {"step": item}
        if not isinstance(item, dict):
            raise ValueError(f"{where}: expected a mapping with 'step' (and 'run')")
        unknown = set(item) - {"step", "run", "ok_exit", "restart", "timeout_s"}
        if unknown:
            raise ValueError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        name = item.get("step")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}.step: a step needs a description")
        run = item.get("run") or ""
        if not isinstance(run, str):
            raise ValueError(f"{where}.run: expected a shell command")
        ok = item.get("ok_exit", [0])
        if not isinstance(ok, list) or not ok or not all(isinstance(c, int) for c in ok):
            raise ValueError(f"{where}.ok_exit: expected a list of exit codes")
        restart = item.get("restart") or ""
        if restart and restart not in RESTARTABLE:
            raise ValueError(f"{where}.restart: expected one of {', '.join(RESTARTABLE)}")
        if restart and not run:
            raise ValueError(f"{where}: a restart step needs the command that starts the process")
        timeout = item.get("timeout_s", 60)
        if not isinstance(timeout, int | float) or not 0 < float(timeout) <= 3600:
            raise ValueError(f"{where}.timeout_s: expected seconds in (0, 3600]")
        out.append(Step(name.strip(), run.strip(), tuple(ok), str(restart), float(timeout)))
    return tuple(out)


def _alerts(head: Mapping[str, Any]) -> tuple[AlertRef, ...]:
    raw = head.get("alerts") or []
    if not isinstance(raw, list):
        raise ValueError("alerts: expected a list")
    out = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            item = {"alertname": item}
        if not isinstance(item, dict) or not isinstance(item.get("alertname"), str):
            raise ValueError(f"alerts[{i}]: expected {{alertname, slo?, subject?}}")
        unknown = set(item) - {"alertname", "slo", "subject"}
        if unknown:
            raise ValueError(f"alerts[{i}]: unknown key {sorted(unknown)[0]!r}")
        out.append(
            AlertRef(item["alertname"], str(item.get("slo") or ""), str(item.get("subject") or ""))
        )
    return tuple(out)


def _contacts(head: Mapping[str, Any]) -> tuple[Contact, ...]:
    raw = head.get("contacts") or []
    if not isinstance(raw, list):
        raise ValueError("contacts: expected a list")
    out = []
    for i, item in enumerate(raw):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("role"), str)
            or not isinstance(item.get("who"), str)
            or not item["role"].strip()
            or not item["who"].strip()
        ):
            raise ValueError(f"contacts[{i}]: expected {{role, who}}")
        out.append(Contact(item["role"].strip(), item["who"].strip()))
    return tuple(out)


def parse_runbook(text: str, path: str) -> Runbook:
    """Parse one runbook document; raises :class:`RunbookError` when its head is unusable.

    A head that parses but lacks required sections yields a runbook with ``missing`` set (the
    check reports it); a malformed head is an error.
    """
    if len(text.encode()) > MAX_BYTES:
        raise RunbookError(path, f"larger than {MAX_BYTES} bytes")
    m = _HEAD.match(text)
    if m is None:
        raise RunbookError(path, "no structured head (a YAML block between '---' lines first)")
    try:
        head = yaml.safe_load(m.group(1))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        raise RunbookError(path, f"{where}the head is not YAML") from None
    if not isinstance(head, dict):
        raise RunbookError(path, "the head must be a mapping")
    unknown = set(head) - {*REQUIRED, "drills"}
    if unknown:
        raise RunbookError(path, f"unknown head key {sorted(unknown)[0]!r}")
    name = Path(path).stem
    if not _NAME.match(name):
        raise RunbookError(path, "runbook file names are lower-case words and dashes")
    try:
        severity = _text(head, "severity")
        if severity and severity not in SEVERITIES:
            raise ValueError(f"severity: expected one of {', '.join(SEVERITIES)}")
        drills = head.get("drills") or []
        if not isinstance(drills, list) or not all(isinstance(d, str) for d in drills):
            raise ValueError("drills: expected a list of drill names")
        rb = Runbook(
            name=name,
            path=path,
            title=_text(head, "title"),
            alerts=_alerts(head),
            severity=severity,
            detection=_text(head, "detection"),
            mitigation=_steps(head, "mitigation"),
            verification=_steps(head, "verification"),
            rollback=_steps(head, "rollback"),
            contacts=_contacts(head),
            drills=tuple(drills),
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
        )
    except ValueError as e:
        raise RunbookError(path, str(e)) from None
    missing = tuple(k for k in REQUIRED if not getattr(rb, k))
    if rb.mitigation and not any(s.automated for s in rb.mitigation):
        missing += ("mitigation (no step with a command)",)
    return Runbook(**{**rb.__dict__, "missing": missing})


@dataclass
class RunbookSet:
    runbooks: dict[str, Runbook]
    errors: list[RunbookError]

    def serving(self, alertname: str, slo: str, subject: str = "") -> list[Runbook]:
        return [r for r in self.runbooks.values() if r.serves(alertname, slo, subject)]

    def for_drill(self, drill: str) -> Runbook | None:
        found = [r for r in self.runbooks.values() if drill in r.drills]
        return found[0] if len(found) == 1 else None


def load_runbooks(folder: Path, repo_root: Path | None = None) -> RunbookSet:
    """Every ``*.md`` in ``folder`` (``README.md`` aside); unusable ones are listed as errors."""
    root = repo_root or folder.parent.parent
    books: dict[str, Runbook] = {}
    errors: list[RunbookError] = []
    for p in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if p.name.lower() == "readme.md":
            continue
        try:
            rel = p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = p.as_posix()
        try:
            books[p.stem] = parse_runbook(p.read_text(encoding="utf-8"), rel)
        except (RunbookError, UnicodeDecodeError, OSError) as e:
            errors.append(e if isinstance(e, RunbookError) else RunbookError(rel, str(e)))
    return RunbookSet(books, errors)


# ------------------------------------------------------------------------------------------
# coverage: every alert gonogo generates, and the runbook each one links to


@dataclass(frozen=True)
class AlertDef:
    """An alert gonogo can raise: its identity, severity and the runbook URL it carries."""

    alertname: str
    slo: str
    severity: str
    runbook_url: str
    subject: str = ""


@dataclass(frozen=True)
class CoverageProblem:
    alert: str  # alertname/slo[/subject]
    problem: str


def generated_alerts(slos: Sequence[Any], ops: Any) -> list[AlertDef]:
    """Every burn-rate and operational alert the SLO specs and ops settings generate."""
    from assets.slo.alerts import absolute_url
    from assets.slo.ops import ALERTNAMES

    out: list[AlertDef] = []
    for slo in slos:
        for severity in slo.severities():
            meta = slo.page if severity == "page" else slo.ticket
            ref = (
                meta.annotations.get("runbook_url")
                or slo.alert_annotations.get("runbook_url")
                or slo.runbook_url
            )
            url = absolute_url(ref, ops.runbook_base_url) if ref else ""
            out.append(AlertDef(slo.alert_name, slo.name, severity, url))
    table = (
        ("queue-lag", ops.queue_severity, ops.queue_runbook, ""),
        ("worker-heartbeat", ops.hb_severity, ops.hb_runbook, ""),
        ("connector-failure", ops.conn_severity, ops.conn_runbook, ""),
        ("denial-band", ops.band_severity, ops.band_runbook, "spike"),
        ("denial-band", ops.band_severity, ops.band_runbook, "drop"),
        ("sli-source", ops.sli_severity, ops.sli_runbook, ""),
    )
    for slo_name, severity, ref, subject in table:
        key = f"{slo_name}/{subject}" if subject else slo_name
        out.append(AlertDef(ALERTNAMES[key], slo_name, severity, ops.runbook(ref), subject))
    return out


def coverage(
    alerts: Iterable[AlertDef], books: RunbookSet, base_url: str
) -> tuple[list[CoverageProblem], dict[str, str]]:
    """Problems (page-level alerts without a complete runbook their URL points at) and, per
    alert, the runbook serving it."""
    from assets.slo.alerts import absolute_url

    problems: list[CoverageProblem] = []
    served: dict[str, str] = {}
    for a in alerts:
        key = "/".join(x for x in (a.alertname, a.slo, a.subject) if x)
        found = books.serving(a.alertname, a.slo, a.subject)
        if found:
            served[key] = found[0].name
        if a.severity != "page":
            continue
        if not found:
            problems.append(CoverageProblem(key, "no runbook serves this page"))
            continue
        rb = found[0]
        if len(found) > 1:
            problems.append(
                CoverageProblem(
                    key, f"served by several runbooks: {', '.join(r.name for r in found)}"
                )
            )
        if rb.missing:
            problems.append(
                CoverageProblem(key, f"runbook {rb.path} lacks: {', '.join(rb.missing)}")
            )
        if a.runbook_url != absolute_url(rb.path, base_url):
            problems.append(
                CoverageProblem(
                    key, f"runbook_url {a.runbook_url or '(none)'} does not link to {rb.path}"
                )
            )
    return problems, served
