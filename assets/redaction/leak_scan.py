"""Leak scan: hunt canaries and any detector hit in every sink the platform writes.

Sinks: spool segments, decision-record (audit) logs, every text column of every DuckDB table,
log files under ``$GONOGO_HOME/logs`` and rendered reports. Findings keep only where a secret
was and an HMAC fingerprint of it, never the secret. The evidence ``redaction.leak_scan`` (value =
number of findings) feeds the WS0 criterion "redaction tests prove secrets are not emitted".
"""

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from assets.evidence.store import GLOBAL_TENANT
from enforcement_agent.redaction import Redactor
from enforcement_agent.redaction.detectors import MAX_MATCH

FINDINGS_TABLE = "leak_scan_findings"
EVIDENCE_KIND = "redaction.leak_scan"
# Every other evidence producer (docs/ARCHITECTURE.md): the scan reads what they wrote.
UPSTREAM = (
    "spool_ingest",
    "decision_records",
    "security_regression",
    "resource_limits",
    "slo_status",
    "alert_drills",
    "benchmark_comparisons",
)
_BLOCK = 4 * 1024 * 1024


@dataclass(frozen=True)
class Finding:
    tenant_id: str
    sink: str
    location: str
    detector: str
    canary: bool
    fingerprint: str


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    items: Counter[str] = field(default_factory=Counter)

    def sink_summary(self) -> dict[str, dict[str, int]]:
        hits = Counter(f.sink for f in self.findings)
        return {s: {"items": n, "findings": hits[s]} for s, n in sorted(self.items.items())}


class LeakScanner:
    """Finds secrets in payloads; a hit on a canary value is flagged as such."""

    def __init__(self, key: bytes, canaries: dict[str, str]) -> None:
        self.redactor = Redactor(known_secrets=canaries.values(), key=key)
        self._canaries = [c.encode() for c in canaries.values()]

    def scan(self, data: bytes) -> Iterator[tuple[int, str, bool, str]]:
        """(offset, detector, is_canary, fingerprint) per secret span."""
        for s in self.redactor.find(data):
            raw = data[s.start : s.end]
            value = s.value or raw
            canary = any(c == value or c in raw for c in self._canaries)
            yield s.start, s.detector, canary, self.redactor.tag(value)


def _files(root: Path, patterns: tuple[str, ...]) -> Iterator[Path]:
    if not root.is_dir():
        return
    seen: set[Path] = set()
    for pattern in patterns:
        for p in sorted(root.glob(pattern)):
            if p.is_file() and not p.is_symlink() and p not in seen:
                seen.add(p)
                yield p


# Inline vendor bundles (plotly.js in an HTML report) are megabytes of minified code whose
# `key=…`/`token:…` identifiers read like assignments. They are not data: the data a report
# renders comes from DuckDB, which is scanned itself. Smaller scripts (plot JSON) are scanned.
_BIG_SCRIPT = re.compile(rb"<script\b[^>]*>(?:(?!</script>).){65536,}?</script>", re.DOTALL | re.I)


def _blank_vendor_scripts(data: bytes) -> bytes:
    # Same length (spaces, newlines kept) so offsets and line numbers still point at the file.
    return _BIG_SCRIPT.sub(lambda m: re.sub(rb"[^\n]", b" ", m.group(0)), data)


def _scan_file(
    scanner: LeakScanner, path: Path, sink: str, label: str, tenant: str, result: ScanResult
) -> None:
    result.items[sink] += 1
    if path.suffix.lower() in (".html", ".htm"):
        _scan_html(scanner, path, sink, label, tenant, result)
        return
    seen: set[tuple[int, str]] = set()
    with path.open("rb") as fh:
        base = 0
        carry = b""
        while True:
            block = fh.read(_BLOCK)
            data = carry + block
            if not data:
                break
            offset0 = base - len(carry)
            for off, det, canary, fp in scanner.scan(data):
                pos = offset0 + off
                if (pos, det) in seen:
                    continue
                seen.add((pos, det))
                line = data.count(b"\n", 0, off) + 1 + _lines_before(path, offset0)
                result.findings.append(Finding(tenant, sink, f"{label}:{line}", det, canary, fp))
            if not block:
                break
            base += len(block)
            # Keep a tail so a secret across the block boundary is seen whole next round.
            carry = data[-MAX_MATCH:]


def _scan_html(
    scanner: LeakScanner, path: Path, sink: str, label: str, tenant: str, result: ScanResult
) -> None:
    data = _blank_vendor_scripts(path.read_bytes())
    for off, det, canary, fp in scanner.scan(data):
        line = data.count(b"\n", 0, off) + 1
        result.findings.append(Finding(tenant, sink, f"{label}:{line}", det, canary, fp))


def _lines_before(path: Path, offset: int) -> int:
    if offset <= 0:
        return 0
    with path.open("rb") as fh:
        return fh.read(offset).count(b"\n")


def _tenant_of_audit(path: Path, audit_dir: Path) -> str:
    parts = path.relative_to(audit_dir).parts
    return parts[0] if len(parts) > 1 else GLOBAL_TENANT


def _text_columns(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    rows = con.execute(
        """
        SELECT c.table_schema, c.table_name, c.column_name, c.data_type
        FROM information_schema.columns c
        JOIN information_schema.tables t
          ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE t.table_type = 'BASE TABLE' AND c.table_catalog = current_database()
        ORDER BY c.table_schema, c.table_name, c.ordinal_position
        """
    ).fetchall()
    out: dict[tuple[str, str], list[str]] = {}
    for schema, table, column, dtype in rows:
        if table == FINDINGS_TABLE:
            continue
        if "VARCHAR" in str(dtype).upper() or "JSON" in str(dtype).upper():
            out.setdefault((schema, table), []).append(column)
    return out


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def scan_duckdb(con: duckdb.DuckDBPyConnection, scanner: LeakScanner, result: ScanResult) -> None:
    for (schema, table), columns in _text_columns(con).items():
        all_cols = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ?",
                [schema, table],
            ).fetchall()
        }
        tenant_expr = "CAST(tenant_id AS VARCHAR)" if "tenant_id" in all_cols else "NULL"
        cols = ", ".join(f"CAST({_quote(c)} AS VARCHAR)" for c in columns)
        fq = f"{_quote(schema)}.{_quote(table)}"
        cur = con.execute(f"SELECT rowid, {tenant_expr}, {cols} FROM {fq}")
        result.items["duckdb"] += 1
        while batch := cur.fetchmany(2048):
            for row in batch:
                rowid, tenant = row[0], row[1] or GLOBAL_TENANT
                for column, value in zip(columns, row[2:], strict=True):
                    if not value:
                        continue
                    for _off, det, canary, fp in scanner.scan(value.encode("utf-8", "replace")):
                        result.findings.append(
                            Finding(
                                tenant, "duckdb", f"{table}.{column}#rowid={rowid}", det, canary, fp
                            )
                        )


def _report_dir(home: Path) -> Path:
    env = os.environ.get("GONOGO_OUT")
    return Path(env) if env else home / "reports"


def scan_sinks(
    *,
    home: Path,
    spool_dir: Path,
    audit_dir: Path,
    con: duckdb.DuckDBPyConnection | None,
    scanner: LeakScanner,
    report_dir: Path | None = None,
) -> ScanResult:
    """Scan every sink; the result lists findings and how many items each sink had."""
    result = ScanResult()
    for p in _files(spool_dir, ("*.jsonl", "*.jsonl.open", "**/*.jsonl")):
        _scan_file(scanner, p, "spool", f"spool/{p.name}", GLOBAL_TENANT, result)
    for p in _files(audit_dir, ("**/*.jsonl", "**/*.log")):
        rel = p.relative_to(audit_dir)
        tenant = _tenant_of_audit(p, audit_dir)
        _scan_file(scanner, p, "audit", f"audit/{rel}", tenant, result)
    for p in _files(home / "logs", ("**/*",)):
        _scan_file(
            scanner, p, "logs", f"logs/{p.relative_to(home / 'logs')}", GLOBAL_TENANT, result
        )
    reports = report_dir or _report_dir(home)
    for p in _files(reports, ("**/*.html", "**/*.md", "**/*.json", "**/*.xml", "**/*.txt")):
        _scan_file(
            scanner, p, "reports", f"reports/{p.relative_to(reports)}", GLOBAL_TENANT, result
        )
    if con is not None:
        scan_duckdb(con, scanner, result)
    result.items.setdefault("duckdb", 0)
    for sink in ("spool", "audit", "logs", "reports"):
        result.items.setdefault(sink, 0)
    return result


def record_findings(
    con: duckdb.DuckDBPyConnection, result: ScanResult, scan_id: str, now: datetime
) -> None:
    if result.findings:
        con.executemany(
            f"INSERT INTO {FINDINGS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [f.tenant_id, scan_id, now, f.sink, f.location, f.detector, f.canary, f.fingerprint]
                for f in result.findings
            ],
        )
