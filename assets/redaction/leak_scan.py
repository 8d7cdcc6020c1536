"""Leak scan: hunt canaries and any detector hit in every sink the platform writes.

Sinks: spool segments, decision-record (audit) logs, every text column of every DuckDB table,
log files under ``$GONOGO_HOME/logs`` and rendered reports. Findings keep only where a secret
was and an HMAC fingerprint of it, never the secret. The evidence ``redaction.leak_scan`` (value =
number of findings) feeds the WS0 criterion "redaction tests prove secrets are not emitted".

Hashes and ids that gonogo itself writes (decision-chain hashes, input digests, content and
inputs hashes, decision, run, evidence, trace and span ids …) are **typed fields**, not
secrets: their DuckDB columns are not scanned, and their values — collected from those
columns and from the typed keys of the JSON gonogo writes (decision records, spans, the
report) — are masked wherever they appear before the detectors run. Without this a rerun
flagged the previous report's own sha256 hashes, and a chain hash that happened to look like a
provider key failed WS0.3; a scan of the same inputs now gives the same findings every time.
"""

import json
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

# Columns and JSON keys whose values gonogo generates as hashes or ids (typed fields).
TYPED_FIELDS = frozenset(
    {
        "hash",
        "prev_hash",
        "row_hash",
        "input_digest",
        "workspace_digest",
        "content_hash",
        "inputs_hash",
        "spec_hash",
        "plan_hash",
        "sha256",
        "file_sha256",
        "checksum",
        "task_checksum",
        "env_fingerprint",
        "fingerprint",
        "policy_version",
        "policy_revision",
        "decision_id",
        "record_id",
        "outcome_of",
        "run_id",
        "scan_id",
        "evidence_id",
        "evidence_ids",
        "attempt_id",
        "drill_id",
        "trace_id",
        "span_id",
        "parent_span_id",
        "traceId",
        "spanId",
        "parentSpanId",
        "gonogo.decision_id",
        "gonogo.policy_version",
        "spool_writer",
        "gonogo.spool.writer",
        "segment",
    }
)
# The shape of a value gonogo generates: hex digests and ids, UUIDs, and its own run and scan
# ids (``run-20261203T233929Z-6bbd1a``, ``20261203T234250803669Z-0cd529dc``: a benchmark run's
# id is plotted in the report's charts, and read as a generic token there).
_TYPED_VALUE = re.compile(
    r"[0-9a-f]{16,64}|[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}"
    r"|(?:run-)?[0-9]{8}T[0-9]{6,12}Z-[0-9a-f]{6,8}"
)
# Where a typed value may stand in a sink: the same shapes as whole words, and the first
# eight hex digits of an id, which is how the reports show one (``secrets.at_rest:e51c4024``
# links evidence ``e51c4024…``; under a secret-sounding kind it read as a key/value secret).
_TYPED_TOKEN = re.compile(
    rb"(?<![0-9A-Za-z])(?:[0-9a-f]{8,64}|[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}"
    rb"|(?:run-)?[0-9]{8}T[0-9]{6,12}Z-[0-9a-f]{6,8})(?![0-9A-Za-z])"
)
_SHORT_ID = 8
_HEX = frozenset(b"0123456789abcdef")
_HTML_IDS = re.compile(rb'\bid="([0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12})"')
# The report model's policy file hashes are keyed by file name.
_HASH_MAPS = frozenset({"files"})


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
    """Finds secrets in payloads; a hit on a canary value is flagged as such. Values gonogo
    wrote in typed fields (`known_typed`) are masked first: they are not secrets."""

    def __init__(self, key: bytes, canaries: dict[str, str]) -> None:
        self.redactor = Redactor(known_secrets=canaries.values(), key=key)
        self._canaries = [c.encode() for c in canaries.values()]
        self.known_typed: set[bytes] = set()
        # The reports' short form of a known hex id (its first eight digits). A secret of eight
        # hex digits equal to the start of one of gonogo's ids is a 1 in 2**32 coincidence per id.
        self._short_typed: set[bytes] = set()

    def add_typed(self, values: set[str] | set[bytes]) -> None:
        for v in values:
            b = v.encode() if isinstance(v, str) else v
            self.known_typed.add(b)
            if len(b) > _SHORT_ID and _HEX.issuperset(b[:_SHORT_ID]):
                self._short_typed.add(b[:_SHORT_ID])

    def mask_typed(self, data: bytes) -> bytes:
        """``data`` with every known typed value blanked (same length: offsets hold)."""
        if not self.known_typed:
            return data
        known, short = self.known_typed, self._short_typed
        return _TYPED_TOKEN.sub(
            lambda m: (
                b"-" * len(m.group(0)) if m.group(0) in known or m.group(0) in short else m.group(0)
            ),
            data,
        )

    def scan(self, data: bytes) -> Iterator[tuple[int, str, bool, str]]:
        """(offset, detector, is_canary, fingerprint) per secret span."""
        data = self.mask_typed(data)
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
_SCRIPT_OPEN = re.compile(rb"<script\b[^>]*>", re.I)
_BIG_SCRIPT_BYTES = 65536
# Every byte but the newline to a space: same length, so offsets and line numbers still point
# at the file.
_BLANK = bytes(10 if b == 10 else 32 for b in range(256))


def _blank_vendor_scripts(data: bytes, min_bytes: int = _BIG_SCRIPT_BYTES) -> bytes:
    lower = data.lower()  # `</script>` is matched case-insensitively, as browsers do
    out: bytearray | None = None
    pos = 0
    while (m := _SCRIPT_OPEN.search(data, pos)) is not None:
        end = lower.find(b"</script>", m.end())
        if end < 0:
            break  # an unterminated script is scanned like any other text
        close = end + len(b"</script>")
        if end - m.end() >= min_bytes:
            if out is None:
                out = bytearray(data)
            out[m.start() : close] = data[m.start() : close].translate(_BLANK)
        pos = close
    return data if out is None else bytes(out)


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
    # Element ids the renderer generates (a figure's div id, repeated in its script) are typed.
    scanner.add_typed(set(_HTML_IDS.findall(data)))
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
        if table == FINDINGS_TABLE or column in TYPED_FIELDS:
            continue  # typed hashes and ids gonogo writes are not secrets
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


def _typed_in(obj: object, out: set[str], typed: bool = False, depth: int = 0) -> None:
    """Collect hash/id-shaped strings that sit under a typed key of a JSON document."""
    if depth > 64:
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = str(k)
            # A typed key's value is typed all the way down (a map of file → sha256, a list).
            _typed_in(v, out, typed or key in TYPED_FIELDS or key in _HASH_MAPS, depth + 1)
            if key == "key" and obj.get("key") in TYPED_FIELDS:  # OTLP {"key", "value"} pairs
                _typed_in(obj.get("value"), out, True, depth + 1)
    elif isinstance(obj, list):
        for v in obj:
            _typed_in(v, out, typed, depth + 1)
    elif typed and isinstance(obj, str) and _TYPED_VALUE.fullmatch(obj):
        out.add(obj)


def _typed_in_json_lines(path: Path, out: set[str]) -> None:
    with path.open("rb") as fh:
        for line in fh:
            try:
                _typed_in(json.loads(line), out)
            except (ValueError, RecursionError):
                continue


def known_typed_values(
    con: duckdb.DuckDBPyConnection | None,
    *,
    spool_dir: Path,
    audit_dir: Path,
    report_dir: Path,
) -> set[str]:
    """Every hash and id gonogo wrote in a typed field: DuckDB's typed columns, and the typed
    keys of decision records, spans and the reports' JSON."""
    out: set[str] = set()
    if con is not None:
        for (schema, table), columns in _typed_columns(con).items():
            fq = f"{_quote(schema)}.{_quote(table)}"
            for column in columns:
                cur = con.execute(f"SELECT DISTINCT CAST({_quote(column)} AS VARCHAR) FROM {fq}")
                while batch := cur.fetchmany(8192):
                    for (value,) in batch:
                        if value:
                            out.update(_TYPED_VALUE.findall(value))
    for p in _files(audit_dir, ("**/*.jsonl",)):
        _typed_in_json_lines(p, out)
    for p in _files(spool_dir, ("*.jsonl", "*.jsonl.open")):
        _typed_in_json_lines(p, out)
    for p in _files(report_dir, ("**/*.json",)):
        try:
            _typed_in(json.loads(p.read_bytes()), out)
        except (ValueError, RecursionError, OSError):
            continue
    return out


def _typed_columns(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    rows = con.execute(
        """
        SELECT c.table_schema, c.table_name, c.column_name
        FROM information_schema.columns c
        JOIN information_schema.tables t
          ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE t.table_type = 'BASE TABLE' AND c.table_catalog = current_database()
        """
    ).fetchall()
    out: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        if column in TYPED_FIELDS and table != FINDINGS_TABLE:
            out.setdefault((schema, table), []).append(column)
    return out


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
    reports = report_dir or _report_dir(home)
    scanner.add_typed(
        known_typed_values(con, spool_dir=spool_dir, audit_dir=audit_dir, report_dir=reports)
    )
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
