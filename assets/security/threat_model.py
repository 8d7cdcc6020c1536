"""The threat model as data (``plans/<plan>/threat_model.yaml``), scored and checked against the
JUnit evidence in `test_results`.

Each threat is scored likelihood × impact (1–5 each) into high / medium / low, and is
*proven* when every test it names has a latest result and every one passed (each parametrized
case counts). A high threat that is not proven (and not an explicitly accepted residual risk)
keeps WS1 from passing: the `security.threat_model` evidence value is the number of such
threats (0 to pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import yaml

from assets.evidence.store import EvidenceItem

STRIDE = (
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
)
EVIDENCE_KIND = "security.threat_model"
EVIDENCE_TTL = timedelta(days=7)
RESULTS_WINDOW = timedelta(days=7)


class ThreatModelError(ValueError):
    """The threat model file is not valid (``file: threat id: reason``)."""


@dataclass(frozen=True)
class Threat:
    id: str
    component: str
    stride: str
    title: str
    likelihood: int
    impact: int
    mitigation: str
    tests: tuple[str, ...]
    accepted: bool = False
    reason: str = ""

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class ThreatModel:
    threats: tuple[Threat, ...]
    high: int
    medium: int
    source: str

    def level(self, t: Threat) -> str:
        return "high" if t.score >= self.high else "medium" if t.score >= self.medium else "low"


def load_threat_model(path: Path) -> ThreatModel:
    src = str(path)
    try:
        doc = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise ThreatModelError(f"{src}: cannot read: {str(exc).splitlines()[0]}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("threats"), list):
        raise ThreatModelError(f"{src}: expected a mapping with a 'threats' list")
    levels = doc.get("levels") or {}
    high, medium = int(levels.get("high", 15)), int(levels.get("medium", 8))
    components = set(doc.get("components") or [])
    threats: list[Threat] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc["threats"]):
        where = f"{src}: threats[{i}]"
        if not isinstance(raw, dict):
            raise ThreatModelError(f"{where}: not a mapping")
        tid = str(raw.get("id", ""))
        where = f"{src}: {tid or f'threats[{i}]'}"
        if not tid or tid in seen:
            raise ThreatModelError(f"{where}: missing or duplicate id")
        seen.add(tid)
        for key in ("component", "stride", "title", "mitigation"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ThreatModelError(f"{where}: '{key}' is required")
        if components and raw["component"] not in components:
            raise ThreatModelError(f"{where}: unknown component {raw['component']!r}")
        if raw["stride"] not in STRIDE:
            raise ThreatModelError(f"{where}: stride must be one of {', '.join(STRIDE)}")
        for key in ("likelihood", "impact"):
            v = raw.get(key)
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 5:
                raise ThreatModelError(f"{where}: '{key}' must be an integer 1-5")
        tests = raw.get("tests") or []
        if not isinstance(tests, list) or not all(isinstance(t, str) and "::" in t for t in tests):
            raise ThreatModelError(f"{where}: 'tests' must be pytest node ids (path::name)")
        accepted = raw.get("status") == "accepted"
        if raw.get("status") not in (None, "accepted"):
            raise ThreatModelError(f"{where}: status may only be 'accepted'")
        if accepted and not str(raw.get("reason", "")).strip():
            raise ThreatModelError(f"{where}: an accepted risk needs a 'reason'")
        if not tests and not accepted:
            raise ThreatModelError(f"{where}: no test proves it (or mark it accepted, with why)")
        threats.append(
            Threat(
                tid, raw["component"], raw["stride"], raw["title"].strip(), raw["likelihood"],
                raw["impact"], raw["mitigation"].strip(), tuple(tests), accepted,
                str(raw.get("reason", "")).strip(),
            )
        )  # fmt: skip
    return ThreatModel(tuple(threats), high, medium, src)


def junit_key(node_id: str) -> tuple[str, str]:
    """``tests/a/test_b.py::Cls::test_c`` → JUnit (xunit1) ``(classname, name)``."""
    path, _, rest = node_id.partition("::")
    parts = rest.split("::")
    classname = path.removesuffix(".py").replace("/", ".")
    if len(parts) > 1:
        classname += "." + ".".join(parts[:-1])
    return classname, parts[-1]


def test_outcomes(
    con: duckdb.DuckDBPyConnection, node_ids: list[str], now: datetime
) -> dict[str, list[str]]:
    """Latest outcome of every case (parametrizations included) of each node id, last 7 days;
    results of the same time count their worst outcome (a tie is never read as a pass)."""
    keys = {nid: junit_key(nid) for nid in node_ids}
    rows = con.execute(
        """
        SELECT classname, name, outcome FROM (
            SELECT classname, name, outcome, row_number() OVER (
                PARTITION BY classname, name
                ORDER BY coalesce(suite_timestamp, collected_at) DESC, collected_at DESC,
                         outcome = 'passed', file_sha256) AS rn
            FROM test_results
            WHERE collected_at <= $now AND collected_at > $since AND outcome <> 'skipped'
              AND list_contains($classes, classname)
        ) WHERE rn = 1
        """,
        {
            "now": now,
            "since": now - RESULTS_WINDOW,
            "classes": sorted({c for c, _ in keys.values()}),
        },
    ).fetchall()
    out: dict[str, list[str]] = {nid: [] for nid in node_ids}
    for classname, name, outcome in rows:
        base = name.split("[", 1)[0]
        for nid, (cls, fn) in keys.items():
            if cls == classname and base == fn:
                out[nid].append(outcome)
    return out


def evaluate(
    con: duckdb.DuckDBPyConnection, model: ThreatModel, now: datetime
) -> list[dict[str, Any]]:
    """One row per threat: score, level, and whether its tests prove it now."""
    outcomes = test_outcomes(con, sorted({t for th in model.threats for t in th.tests}), now)
    rows: list[dict[str, Any]] = []
    for th in model.threats:
        missing = [t for t in th.tests if not outcomes[t]]
        failing = [t for t in th.tests if any(o != "passed" for o in outcomes[t])]
        cases = sum(len(outcomes[t]) for t in th.tests)
        if th.accepted:
            status = "accepted"
        elif failing:
            status = "failing"
        elif missing:
            status = "unproven"
        else:
            status = "proven"
        rows.append(
            {
                "threat_id": th.id, "component": th.component, "stride": th.stride,
                "title": th.title, "likelihood": th.likelihood, "impact": th.impact,
                "score": th.score, "level": model.level(th), "mitigation": th.mitigation,
                "tests": list(th.tests), "test_cases": cases,
                "tests_passing": len(th.tests) - len(missing) - len(failing),
                "tests_missing": missing, "tests_failing": failing, "status": status,
                "reason": th.reason,
            }
        )  # fmt: skip
    return rows


def blocking(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """High threats not proven by passing tests (accepted risks included: they are not
    mitigated, so a high one still blocks)."""
    return [r for r in rows if r["level"] == "high" and r["status"] != "proven"]


def write_rows(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], now: datetime) -> None:
    for r in rows:
        con.execute(
            "INSERT INTO threat_model VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [
                "_global", now, r["threat_id"], r["component"], r["stride"], r["title"],
                r["likelihood"], r["impact"], r["score"], r["level"], r["mitigation"], r["tests"],
                r["tests_passing"], len(r["tests"]), r["test_cases"], r["status"],
            ],
        )  # fmt: skip


def evidence_item(
    model: ThreatModel, rows: list[dict[str, Any]], now: datetime, *, is_demo: bool
) -> EvidenceItem:
    blocked = blocking(rows)
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r["level"], {}).setdefault(r["status"], 0)
        counts[r["level"]][r["status"]] += 1
    return EvidenceItem(
        kind=EVIDENCE_KIND,
        source="assets/security/threat_model.py",
        subject=Path(model.source).name,
        collected_at=now,
        value=float(len(blocked)),
        detail={
            "threats": len(rows),
            "by_level_and_status": counts,
            "blocking": [
                {
                    "id": r["threat_id"],
                    "status": r["status"],
                    "missing": r["tests_missing"],
                    "failing": r["tests_failing"],
                }
                for r in blocked
            ],  # fmt: skip
        },
        ttl=EVIDENCE_TTL,
        uri=Path(model.source).resolve().as_uri(),
        is_demo=is_demo,
    )


def threat_model_section(con: duckdb.DuckDBPyConnection, at: datetime) -> dict[str, Any]:
    """The report's threat model section: the latest evaluation at or before ``at``, highest
    score first (an empty list of threats when none ran by then)."""
    cur = con.execute(
        """
        SELECT threat_id, component, stride, title, likelihood, impact, score, level, mitigation,
               tests_passing, tests_total, test_cases, status, evaluated_at
        FROM threat_model
        WHERE evaluated_at = (SELECT max(evaluated_at) FROM threat_model WHERE evaluated_at <= ?)
        ORDER BY score DESC, threat_id
        """,
        [at],
    )
    cols = [d[0] for d in cur.description or []]
    rows = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    return {
        "evaluated_at": rows[0]["evaluated_at"].isoformat() if rows else None,
        "threats": [{k: v for k, v in r.items() if k != "evaluated_at"} for r in rows],
    }
