"""Release gates (WS4): CI truth read where it lives, E2E gate runs, the readiness document.

- **WS4.1 required checks.** What CI runs comes from the repository (GitHub Actions workflow
  files; ``.ci/<name>`` scripts, which report the status context ``ci/<name>``); what blocks a
  merge comes from the branch's protection and rulesets, read through the GitHub connector
  (``branches.protection.get``, ``branches.rules.get`` — the latter returns only *active*
  rules, so a ruleset in evaluate mode blocks nothing and counts for nothing). A category the
  plan names (backend, frontend, extension, security) is covered when at least one enforced
  required check maps to it (``plans/<plan>/release_gates.yaml``) and some workflow or script
  on a pull request actually produces that check. Value = covered / named categories.
- **WS4.2 E2E gate.** Each E2E run arrives as a JUnit file tagged with its release candidate
  and run id; value = how many runs of the latest candidate pass in a row, counting back from
  its latest run (two consecutive passing runs pass). The same file cannot count twice.
- **WS4.3 one readiness document.** The report is generated within its freshness window (in a pipeline run: the report that run writes), every
  other readiness document the plan knows links to it, and none of them claims a decision.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import yaml

from assets.evidence.store import GLOBAL_TENANT, EvidenceItem, record_evidence

CATEGORIES = ("backend", "frontend", "extension", "security")
CONFIG_FILE = "release_gates.yaml"
PR_EVENTS = {"pull_request", "pull_request_target", "merge_group"}
MAX_FILE = 1024 * 1024


class ReleaseGateError(ValueError):
    """Configuration or input the release gates cannot use (the message names it)."""


# ------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class GateConfig:
    categories: Mapping[str, tuple[str, ...]]  # category -> check-name globs
    repository: str = "."  # the checkout whose workflow files are read
    github: str = ""  # owner/repo on the GitHub connector
    branch: str = "main"
    tenant: str = "acme"  # whose connector credentials read the protection
    documents: tuple[str, ...] = ()  # readiness documents that must link to the report
    report_name: str = "readiness-report.html"
    freshness: timedelta = timedelta(hours=26)

    def category_of(self, context: str) -> str | None:
        for cat in CATEGORIES:
            for pat in self.categories.get(cat, ()):
                if fnmatch.fnmatchcase(context.lower(), pat.lower()):
                    return cat
        return None


def load_config(plan_dir: Path) -> GateConfig:
    path = plan_dir / CONFIG_FILE
    try:
        doc = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ReleaseGateError(f"{path}: missing (the release-gate bindings)") from None
    except yaml.YAMLError as e:
        raise ReleaseGateError(f"{path}: not YAML: {e}") from None
    if not isinstance(doc, dict):
        raise ReleaseGateError(f"{path}: expected a mapping")
    unknown = set(doc) - {"categories", "repository", "documents", "report"}
    if unknown:
        raise ReleaseGateError(f"{path}: unknown key {sorted(unknown)[0]!r}")
    cats = doc.get("categories") or {}
    if not isinstance(cats, dict) or set(cats) != set(CATEGORIES):
        raise ReleaseGateError(
            f"{path}: categories must map exactly {', '.join(CATEGORIES)} to check-name globs"
        )
    categories: dict[str, tuple[str, ...]] = {}
    for cat, pats in cats.items():
        if (
            not isinstance(pats, list)
            or not pats
            or not all(isinstance(p, str) and p for p in pats)
        ):
            raise ReleaseGateError(f"{path}: categories.{cat}: expected a list of globs")
        categories[cat] = tuple(pats)
    repo = doc.get("repository") or {}
    report = doc.get("report") or {}
    docs = doc.get("documents") or []
    if not isinstance(repo, dict) or not isinstance(report, dict) or not isinstance(docs, list):
        raise ReleaseGateError(f"{path}: repository/report are mappings, documents a list")
    github = str(repo.get("github") or "")
    if github and not re.fullmatch(
        r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*", github
    ):
        raise ReleaseGateError(f"{path}: repository.github must be owner/repo")
    branch = str(repo.get("branch") or "main")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}", branch):
        raise ReleaseGateError(f"{path}: repository.branch {branch!r} is not a plain branch name")
    from assets.slo.durations import parse_duration

    try:
        fresh = parse_duration(str(report.get("freshness", "26h")))
    except (TypeError, ValueError) as e:
        raise ReleaseGateError(f"{path}: report.freshness: {e}") from None
    return GateConfig(
        categories=categories,
        repository=str(repo.get("path") or "."),
        github=github,
        branch=branch,
        tenant=str(repo.get("tenant") or "acme"),
        documents=tuple(str(d) for d in docs),
        report_name=str(report.get("name") or "readiness-report.html"),
        freshness=fresh,
    )


# ------------------------------------------------------------------------- CI truth


@dataclass(frozen=True)
class ProducedCheck:
    """A status check some CI definition reports, and whether it runs on pull requests."""

    context: str  # the check's name as GitHub shows it (a glob for matrix jobs)
    source: str  # workflow file and job, or the script
    on_pull_requests: bool


def _triggers(on: Any) -> set[str]:
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return {str(x) for x in on}
    if isinstance(on, dict):
        return {str(k) for k in on}
    return set()


def workflow_checks(repo: Path) -> tuple[list[ProducedCheck], list[str]]:
    """Check runs the repository's workflows produce, and the files that could not be read."""
    out: list[ProducedCheck] = []
    problems: list[str] = []
    wf_dir = repo / ".github" / "workflows"
    files = sorted([*wf_dir.glob("*.yml"), *wf_dir.glob("*.yaml")]) if wf_dir.is_dir() else []
    for f in files:
        rel = f.relative_to(repo).as_posix()
        try:
            if f.stat().st_size > MAX_FILE:
                raise ValueError("larger than 1 MiB")
            # YAML 1.1 reads a bare `on:` key as True; GitHub means the string "on".
            doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, ValueError, yaml.YAMLError) as e:
            problems.append(f"{rel}: {type(e).__name__}: {str(e)[:200]}")
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("jobs"), dict):
            problems.append(f"{rel}: no jobs")
            continue
        on = doc.get("on", doc.get(True))
        prs = bool(_triggers(on) & PR_EVENTS)
        for job_id, job in doc["jobs"].items():
            if not isinstance(job, dict):
                continue
            name = str(job.get("name") or job_id)
            matrix = isinstance(job.get("strategy"), dict) and job["strategy"].get("matrix")
            if "${{" in name:
                # An expression in the name: only its literal prefix is known.
                name = name.split("${{", 1)[0].rstrip() + "*"
            elif matrix:
                name = f"{name} (*)"  # GitHub appends the matrix values
            out.append(ProducedCheck(name, f"{rel}#{job_id}", prs))
    ci_dir = repo / ".ci"
    for f in sorted(ci_dir.iterdir()) if ci_dir.is_dir() else []:
        if f.is_file() and f.stat().st_mode & 0o111:
            # A `.ci/<name>` script reports the commit status context `ci/<name>` (and runs
            # for every pull request by the CI service's convention).
            out.append(ProducedCheck(f"ci/{f.name}", f.relative_to(repo).as_posix(), True))
    return out, problems


@dataclass(frozen=True)
class RequiredCheck:
    context: str
    source: str  # branch-protection | ruleset:<id>


Fetch = Callable[[str, str], tuple[int, Any]]  # (operation, resource) -> (status, JSON body)


def required_checks(
    fetch: Fetch, github: str, branch: str
) -> tuple[list[RequiredCheck], list[str]]:
    """Required status checks that block merges into ``branch`` (protection + active rules)."""
    out: list[RequiredCheck] = []
    notes: list[str] = []
    status, body = fetch("branches.protection.get", f"{github}/branches/{branch}")
    if status == 200 and isinstance(body, dict):
        rsc = body.get("required_status_checks") or {}
        names = {str(c) for c in rsc.get("contexts") or [] if c}
        names |= {
            str(c.get("context"))
            for c in rsc.get("checks") or []
            if isinstance(c, dict) and c.get("context")
        }
        out += [RequiredCheck(n, "branch-protection") for n in sorted(names)]
    elif status == 404:
        notes.append(f"{github}@{branch}: no branch protection")
    else:
        notes.append(f"{github}@{branch}: branch protection not readable (HTTP {status})")
    status, body = fetch("branches.rules.get", f"{github}/rules/branches/{branch}")
    if status == 200 and isinstance(body, list):
        for rule in body:
            if not isinstance(rule, dict) or rule.get("type") != "required_status_checks":
                continue
            params = rule.get("parameters") or {}
            for c in params.get("required_status_checks") or []:
                if isinstance(c, dict) and c.get("context"):
                    rid = rule.get("ruleset_id", "?")
                    out.append(RequiredCheck(str(c["context"]), f"ruleset:{rid}"))
    elif status != 404:
        notes.append(f"{github}@{branch}: rules not readable (HTTP {status})")
    return out, notes


def _produced_by(context: str, produced: Sequence[ProducedCheck]) -> ProducedCheck | None:
    for p in produced:
        if p.on_pull_requests and fnmatch.fnmatchcase(context, p.context):
            return p
    return None


def evaluate_required(
    cfg: GateConfig, required: Sequence[RequiredCheck], produced: Sequence[ProducedCheck]
) -> dict[str, Any]:
    """Per category: the enforced required checks that cover it (and run on pull requests)."""
    per: dict[str, list[dict[str, str]]] = {c: [] for c in CATEGORIES}
    dangling: list[str] = []
    unmapped: list[str] = []
    rows: list[dict[str, Any]] = []
    for rc in required:
        cat = cfg.category_of(rc.context)
        by = _produced_by(rc.context, produced)
        rows.append(
            {
                "context": rc.context,
                "source": rc.source,
                "category": cat,
                "produced_by": by.source if by else None,
            }
        )
        if by is None:
            dangling.append(rc.context)  # required but nothing runs it: blocks every merge
            continue
        if cat is None:
            unmapped.append(rc.context)
            continue
        per[cat].append({"context": rc.context, "source": rc.source, "produced_by": by.source})
    covered = [c for c in CATEGORIES if per[c]]
    return {
        "value": len(covered) / len(CATEGORIES),
        "covered": covered,
        "missing": [c for c in CATEGORIES if not per[c]],
        "by_category": per,
        "required_without_a_job": sorted(set(dangling)),
        "required_unmapped": sorted(set(unmapped)),
        "rows": rows,
    }


def record_required(
    con: duckdb.DuckDBPyConnection,
    cfg: GateConfig,
    result: Mapping[str, Any],
    produced: Sequence[ProducedCheck],
    notes: Sequence[str],
    now: datetime,
    *,
    is_demo: bool = False,
) -> str:
    for r in result["rows"]:
        con.execute(
            "INSERT INTO release_checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [GLOBAL_TENANT, now, cfg.github, cfg.branch, r["source"], r["context"], r["category"],
             r["produced_by"], True],
        )  # fmt: skip
    item = EvidenceItem(
        kind="release.required_checks",
        source="assets/operations/release_gates.py",
        subject=f"{cfg.github}@{cfg.branch}",
        collected_at=now,
        value=float(result["value"]),
        detail={
            "covered": result["covered"],
            "missing": result["missing"],
            "by_category": result["by_category"],
            "required_without_a_job": result["required_without_a_job"],
            "required_unmapped": result["required_unmapped"],
            "produced": [p.__dict__ for p in produced],
            "notes": list(notes),
        },
        ttl=timedelta(days=1),
        is_demo=is_demo,
    )
    return record_evidence(con, [item])[0]


# ------------------------------------------------------------------------- E2E gate runs


@dataclass(frozen=True)
class RunSummary:
    tests: int
    failures: int
    errors: int
    skipped: int
    ran_at: datetime | None

    @property
    def passed(self) -> bool:
        # A run that ran nothing proves nothing.
        return self.tests - self.skipped > 0 and self.failures == 0 and self.errors == 0


def summarize_junit(data: bytes, source: str) -> RunSummary:
    from assets.security_suite.junit import parse_junit

    cases = parse_junit(data, source)
    stamps = [c.suite_timestamp for c in cases if c.suite_timestamp is not None]
    return RunSummary(
        tests=len(cases),
        failures=sum(1 for c in cases if c.outcome == "failed"),
        errors=sum(1 for c in cases if c.outcome == "error"),
        skipped=sum(1 for c in cases if c.outcome == "skipped"),
        ran_at=max(stamps) if stamps else None,
    )


_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$")


def add_e2e_run(
    con: duckdb.DuckDBPyConnection,
    rc: str,
    run_id: str,
    data: bytes,
    stored: Path,
    now: datetime,
    *,
    is_demo: bool = False,
) -> tuple[RunSummary, list[str]]:
    """Record one E2E gate run of a release candidate; returns it and the evidence ids."""
    for label, value in (("--rc", rc), ("--run-id", run_id)):
        if not _LABEL.match(value):
            raise ReleaseGateError(f"{label} {value!r}: letters, digits and . _ : + - only")
    summary = summarize_junit(data, stored.name)
    digest = hashlib.sha256(data).hexdigest()
    dup = con.execute(
        "SELECT run_id FROM release_runs WHERE tenant_id = ? AND rc = ? AND (run_id = ? OR file_sha256 = ?)",
        [GLOBAL_TENANT, rc, run_id, digest],
    ).fetchall()
    if dup:
        raise ReleaseGateError(
            f"{rc}: run {dup[0][0]} is already recorded (same run id or the same JUnit file): "
            "a run counts once"
        )
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(data)
    item = EvidenceItem(
        kind="release.e2e_run",
        source="gonogo evidence add --kind junit",
        subject=f"{rc}#{run_id}",
        collected_at=now,
        value=1.0 if summary.passed else 0.0,
        detail={"rc": rc, "run_id": run_id, "sha256": digest, **_counts(summary)},
        ttl=timedelta(days=30),
        uri=stored.resolve().as_uri(),
        is_demo=is_demo,
    )
    [eid] = record_evidence(con, [item])
    con.execute(
        "INSERT INTO release_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [GLOBAL_TENANT, rc, run_id, now, summary.ran_at, digest, summary.tests, summary.failures,
         summary.errors, summary.skipped, summary.passed, eid, stored.resolve().as_uri()],
    )  # fmt: skip
    return summary, [eid, record_e2e_streak(con, now, is_demo=is_demo)]


def _counts(s: RunSummary) -> dict[str, Any]:
    return {
        "tests": s.tests,
        "failures": s.failures,
        "errors": s.errors,
        "skipped": s.skipped,
        "passed": s.passed,
        "ran_at": s.ran_at.isoformat() if s.ran_at else None,
    }


def e2e_streak(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Passing runs in a row of the latest release candidate, counted back from its latest run.
    Runs of the same time are ordered failing first (a tie never lengthens a streak)."""
    latest = con.execute(
        """SELECT rc FROM release_runs WHERE tenant_id = ?
           ORDER BY coalesce(ran_at, collected_at) DESC, collected_at DESC, rc LIMIT 1""",
        [GLOBAL_TENANT],
    ).fetchall()
    if not latest:
        return {"rc": None, "streak": 0, "runs": []}
    rc = latest[0][0]
    runs = con.execute(
        """SELECT run_id, passed, evidence_id FROM release_runs WHERE tenant_id = ? AND rc = ?
           ORDER BY coalesce(ran_at, collected_at) DESC, collected_at DESC, passed, run_id""",
        [GLOBAL_TENANT, rc],
    ).fetchall()
    streak = 0
    for _run, passed, _eid in runs:
        if not passed:
            break
        streak += 1
    return {
        "rc": rc,
        "streak": streak,
        "runs": [{"run_id": r, "passed": bool(p), "evidence_id": e} for r, p, e in runs],
    }


def e2e_streak_item(
    con: duckdb.DuckDBPyConnection, now: datetime, *, is_demo: bool = False
) -> EvidenceItem | None:
    """``release.e2e_consecutive`` as of now (``None`` when no run was ever recorded)."""
    s = e2e_streak(con)
    if s["rc"] is None:
        return None
    return EvidenceItem(
        kind="release.e2e_consecutive",
        source="assets/operations/release_gates.py",
        subject=f"WS4.2: release candidate {s['rc']}",
        collected_at=now,
        value=float(s["streak"]),
        detail=s,
        ttl=timedelta(days=30),
        is_demo=is_demo,
    )


def record_e2e_streak(
    con: duckdb.DuckDBPyConnection, now: datetime, *, is_demo: bool = False
) -> str:
    item = e2e_streak_item(con, now, is_demo=is_demo)
    assert item is not None  # called right after a run was recorded
    return record_evidence(con, [item])[0]


# ------------------------------------------------------------------------- WS4.3


# A line that states a go/no-go outcome: "Decision: GO", "**Readiness: NO-GO**", "verdict = GO".
_CLAIM = re.compile(
    r"(?im)^[\s>*#|_-]*(?:go\s*/\s*no-go\s+|readiness\s+|launch\s+|release\s+)?"
    r"(?:decision|verdict|status|outcome|readiness)\s*[:=|]\s*[*_`\s]*(NO[- ]GO|GO)\b"
)
_LINK = re.compile(r"(?:\]\(|href=[\"'])([^)\"'\s]+)")


def document_findings(text: str, report_name: str) -> dict[str, Any]:
    """Whether a document links to the report and whether it claims a decision itself.

    Code blocks are documentation of formats, not claims; they are skipped.
    """
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    links = [u for u in _LINK.findall(prose) if u.split("#")[0].split("?")[0].endswith(report_name)]
    claims = [m.group(0).strip()[:120] for m in _CLAIM.finditer(prose)]
    return {"links_to_report": bool(links), "claims": claims}


def authoritative_report(
    con: duckdb.DuckDBPyConnection,
    cfg: GateConfig,
    repo_root: Path,
    now: datetime,
    *,
    extra_documents: Iterable[Path] = (),
    written_by_this_run: bool = False,
) -> dict[str, Any]:
    """WS4.3: the latest report is fresh, every known readiness document links to it, and no
    other document claims a decision. Value 1 when all three hold.

    ``written_by_this_run``: the pipeline judging WS4.3 writes the report itself (after the
    verdicts), so the report readers get is this run's, current by construction; a report left
    by an earlier run is not an input, and a rerun on the same inputs gives the same value
    whether or not one exists. Outside a run (``False``) the latest report written must be
    within its freshness window."""
    problems: list[str] = []
    report: dict[str, Any] = {}
    row = (
        []
        if written_by_this_run
        else con.execute(
            "SELECT written_at, run_id, decision FROM readiness_reports "
            "ORDER BY written_at DESC LIMIT 1"
        ).fetchall()
    )
    if written_by_this_run:
        report = {"written_by": "this run"}
    elif not row:
        problems.append("no readiness report has been generated")
    else:
        written, run_id, decision = row[0]
        age = now - written
        report = {"written_at": written.isoformat(), "run_id": run_id, "decision": decision}
        if age > cfg.freshness:
            problems.append(
                f"the latest report is {age.total_seconds() / 3600:.1f} h old "
                f"(freshness window {cfg.freshness.total_seconds() / 3600:g} h)"
            )
    docs: dict[str, Any] = {}
    paths = [repo_root / d for d in cfg.documents] + list(extra_documents)
    for p in paths:
        name = p.relative_to(repo_root).as_posix() if p.is_relative_to(repo_root) else p.name
        try:
            text = p.read_text(encoding="utf-8")[:MAX_FILE]
        except (OSError, UnicodeDecodeError) as e:
            problems.append(f"{name}: unreadable ({type(e).__name__})")
            continue
        f = document_findings(text, cfg.report_name)
        docs[name] = f
        if not f["links_to_report"]:
            problems.append(f"{name} does not link to {cfg.report_name}")
        if f["claims"]:
            problems.append(f"{name} claims a decision: {f['claims'][0]!r}")
    return {
        "value": 0.0 if problems else 1.0,
        "problems": problems,
        "report": report,
        "documents": docs,
    }


def record_authoritative(
    con: duckdb.DuckDBPyConnection,
    result: Mapping[str, Any],
    now: datetime,
    *,
    is_demo: bool = False,
) -> str:
    item = EvidenceItem(
        kind="readiness.authoritative",
        source="assets/operations/release_gates.py",
        subject="WS4.3: single readiness document authoritative and current",
        collected_at=now,
        value=float(result["value"]),
        detail=json.loads(json.dumps(result, default=str)),
        ttl=timedelta(days=1),
        is_demo=is_demo,
    )
    return record_evidence(con, [item])[0]
