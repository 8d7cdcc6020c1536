"""Finding secret spans: hyperscan prefilters, Python ``re`` confirms, decoders dig deeper.

Hyperscan scans the payload once for every detector and decode candidate, in two databases
(literal-anchored expressions, literal-free shapes). Provider and key-name patterns are compiled
in prefilter mode, so lookarounds are approximated and every real match is reported. Each hit is
confirmed by running that detector's ``re`` pattern over a window bounded by the pattern's
maximum width, so total work stays linear in the payload. Without hyperscan the same patterns
run through ``re`` alone.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction import markup, word_model
from enforcement_agent.redaction import tables as tables_module
from enforcement_agent.redaction.ansi import (
    ANSI_STRING,
    ESCAPED,
    has_codes,
    has_escaped,
    line_offsets,
    raw_offset,
    strip_colours,
)
from enforcement_agent.redaction.decoders import CANDIDATES, Candidate, extend_run
from enforcement_agent.redaction.detectors import (
    ALL,
    MAX_MATCH,
    Detector,
    bare_name_ok,
    in_arn,
    is_key_name,
    key_name_at,
    plain_cookie_pair,
)
from enforcement_agent.redaction.hyperscan_db import (
    cached_json,
    compile_literals,
    compiled_blob,
    hyperscan_available,
    load_database,
)
from enforcement_agent.redaction.known import KnownSecrets
from enforcement_agent.redaction.long_values import extend, tail_class
from enforcement_agent.redaction.placeholders import (
    is_slot,
    names_instead_of_value,
    not_a_literal_secret,
)
from enforcement_agent.redaction.prefilters import leading_alternatives, with_boundaries
from enforcement_agent.redaction.spans import GENERIC, Span, merge
from enforcement_agent.redaction.tables import TableScan

MAX_DECODE_DEPTH = 2
PROPAGATE_MIN = 8
PROPAGATE_WINDOW = 4096
_PLACEHOLDER = lazy_compile(rb"\[REDACTED:[A-Za-z0-9_.\-]{1,64}(?::[0-9a-f]{8})?\]")
# Every placeholder starts so: where hyperscan scans, it finds this literal in the same pass.
_PLACEHOLDER_MARK = b"[REDACTED:"
_PLACEHOLDER_START = re.escape(_PLACEHOLDER_MARK)
_SLACK = 64
# The longest key or bare name a pattern takes before its separator (40, plus digits).
_NAME_WIDTH = 48
_SPACE = frozenset(b" \t\r\n")
_APART = frozenset(b" \t(,")
_QUOTES = frozenset(b"\"'`")
# Password=password: the secret's name where its value goes. (Not in URLs: scanners count
# https://username:password@host as a leaked credential, and so does the corpus.)
_NAMED_VALUE_DETECTORS = frozenset({"kv-secret", "connection-string-password"})
# A reference in code — a variable, maybe dotted or indexed (row[0].isoformat, auth[1]), or a
# class name — where a literal would be: that syntax, with names code would write (the word
# model's CODE_NAME, or a short one: pw, s, db). hunter2hunter2 has the syntax and is a password.
_CODE_REF = lazy_compile(rb"[A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]]{0,20}\][A-Za-z0-9_.]*)*")
_SUBSCRIPT = lazy_compile(rb"\[[^\]]{0,20}\]")
# An f-string's replacement fields, and what is left of its literal text without them.
_FIELD = lazy_compile(rb"\{[^{}]{0,200}\}")
_ALNUM = lazy_compile(rb"[A-Za-z0-9]")


def _code_ref(value: bytes) -> bool:
    if not _CODE_REF.fullmatch(value):
        return False
    parts = [p for p in _SUBSCRIPT.sub(b".", value).split(b".") if p]
    return all(len(p) <= 4 or word_model.kind(p) is word_model.Kind.CODE_NAME for p in parts)


def pattern_width(pattern: bytes) -> int:
    """The longest match ``pattern`` can make (huge when a quantifier is unbounded)."""
    return int(re._parser.parse(pattern).getwidth()[1])  # type: ignore[attr-defined]


def literal_anchored(pattern: bytes) -> bool:
    """Whether hyperscan can skip to a fixed string in every match of ``pattern``.

    True when every match starts with a fixed byte ("=", "%", "{"), has a rare one ("=", "(", "{",
    newline) after a short prefix, or contains a fixed two-byte string ("=="): hyperscan's
    literal matcher then skips ahead, where a literal-free shape has an automaton read every
    byte.
    """
    try:
        items = list(re._parser.parse(pattern))  # type: ignore[attr-defined]
    except re.error:
        return False
    if _first_is_literal(items):
        return True
    # A rare fixed byte right after a short prefix (a name's last character, blanks): hyperscan
    # finds the byte and checks the few characters before it.
    for op, av in items[:4]:
        if op is re._constants.LITERAL and av in _ANCHOR_BYTES:  # type: ignore[attr-defined]
            return True
    run = 0
    for op, _ in items:
        run = run + 1 if op is re._constants.LITERAL else 0  # type: ignore[attr-defined]
        if run >= 2:
            return True
    return False


_ANCHOR_BYTES = frozenset(b"=({\n%\\")


def _first_is_literal(items: list[Any]) -> bool:
    if not items:
        return False
    op, av = items[0]
    c = re._constants  # type: ignore[attr-defined]
    if op is c.LITERAL:
        return True
    if op is c.SUBPATTERN:
        return _first_is_literal(list(av[-1]))
    if op is c.BRANCH:
        return all(_first_is_literal(list(b)) for b in av[1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _first_is_literal(list(av[2]))
    return False


def _max_width(pattern: bytes) -> int:
    try:
        width = pattern_width(pattern)
    except Exception:  # noqa: BLE001 - fall back to the global bound
        return MAX_MATCH
    return min(width, MAX_MATCH)


class Engine:
    """Detectors + decoders + known secrets over bytes; returns merged, sorted spans."""

    def __init__(
        self,
        detectors: Sequence[Detector] = ALL,
        known: KnownSecrets | None = None,
        *,
        use_hyperscan: bool = True,
    ) -> None:
        self.detectors = tuple(detectors)
        self.known = known if known is not None else KnownSecrets()
        # Per detector, built on first use (most processes confirm a few detectors only):
        # the compiled pattern, how its value carries on past the bound (``long_values``), its
        # width, how far before a hit its match can start.
        self._facts: list[_Facts | None] = [None] * len(self.detectors)
        self._shapes: list[tuple[int, int, str | None, int | None]] | None = None
        self._cand_compiled = [lazy_compile(c.pattern) for c in CANDIDATES]
        # Provider rules by name, for ``_needs_context`` (generic ones spread anyway).
        self._by_name: dict[str, list[re.Pattern[bytes]]] = {}
        for d in self.detectors:
            if d.name not in GENERIC:
                self._by_name.setdefault(d.name, []).append(lazy_compile(d.pattern))
        self._cand_widths = [_max_width(c.pattern) for c in CANDIDATES]
        # The longest span any detector or decoded run can cover: what a stream must hold back
        # (every pattern is bounded by MAX_MATCH, and decoded runs reach it).
        self.max_match = MAX_MATCH
        self.uses_hyperscan = bool(use_hyperscan and hyperscan_available())
        n = len(self.detectors)
        # Global ids: detectors, then decode candidates, then the placeholder marker.
        self._marker_id = n + len(CANDIDATES)
        # Lines that may be the header of a table naming a secret column (see ``tables``).
        self._table_id = self._marker_id + 1
        # Then one id per gate (``_GATES``): its pattern is found by the literal scan.
        self._gate_base = self._table_id + 1
        self._table_rxs = (
            lazy_compile(tables_module.HEADER),
            lazy_compile(tables_module.HEADER_MORE),
            lazy_compile(tables_module.HEADER_MORE_UNICODE),
            lazy_compile(tables_module.PREFIXED_HEADER),
            lazy_compile(tables_module.HTML_ROW),
            lazy_compile(tables_module.INSERT_ROW),
            lazy_compile(tables_module.BLOCK_SCALAR),
            lazy_compile(tables_module.WIKI_TABLE),
        )
        # Two databases, because hyperscan's speed depends on what it can skip to:
        # - "literals": whatever hyperscan can skip to by a fixed string. The provider and
        #   key-name detectors (prefilter mode: lookarounds approximated), side expressions and
        #   decode candidates that start with or contain a fixed byte string (exact mode; see
        #   ``literal_anchored``), and the existing-placeholder marker;
        # - "shapes": the literal-free rest (generic tokens, discord, base64/hex runs): one
        #   automaton that reads every byte. Anything literal-anchored added to it slows the
        #   whole database down, and the shapes slow the literal scan down, so they stay apart.
        #   (Fourteenth speed pass: since the table-header expressions scan in a database of
        #   their own, "tables", the shapes cost less compiled with the literal expressions than
        #   in a scan of their own: one database holds both, ``_MERGE_SHAPES``; the plan still
        #   names them apart, and the first stage hands their runs on as two scans did.)
        # Each database maps its expression ids back to global ids; one detector may scan with
        # several expressions (``Detector.also_scan``); detectors that scan with the same
        # expression share it (one scan, every one of them confirms). Compiled once per process
        # (and cached on disk, with the plan); each thread gets its own loaded copy with its own
        # scratch space.
        self._local = threading.local()
        # Confirmations that found nothing, by the bytes they read (see ``_Quiet``).
        self._quiet = _Quiet()
        _ENGINES.add(self)
        # (name, serialized database or None when empty, global ids per expression id)
        self._plan: list[tuple[str, bytes | None, list[tuple[int, ...]]]] = []
        # Per database, how many of its expressions are the plan's "literals" when the "shapes"
        # follow them in it (``_MERGE_SHAPES``), else -1.
        self._plan_split: list[int] = []
        if self.uses_hyperscan:
            for name, exprs, split in _databases(_scan_plan(self.detectors)):
                # An expression may be given as parts (hex, comma-separated) with the same
                # matches as a whole: each part compiled apart, all reporting under its id.
                parts = [
                    (k, part, p, som)
                    for k, (e, p, som, _) in enumerate(exprs)
                    for part in e.split(",")
                ]
                blob = (
                    compiled_blob(
                        [bytes.fromhex(part) for _, part, _, _ in parts],
                        prefilter=[p for _, _, p, _ in parts],
                        som=[som for _, _, _, som in parts],
                        ids=[k for k, _, _, _ in parts],
                    )
                    if exprs
                    else None
                )
                self._plan.append((name, blob, [tuple(g) for _, _, _, g in exprs]))
                self._plan_split.append(split)
        # Per database of the plan, the gate it is (or -1); the literal database's expression
        # ids that find each gate's pattern → the gate.
        self._plan_gates = [
            int(name[5:]) if name.startswith("gate-") else -1 for name, _, _ in self._plan
        ]
        self._gate_marks: dict[int, int] = {
            pid: g[0] - self._gate_base
            for name, _, ids in self._plan
            if name == "literals"
            for pid, g in enumerate(ids)
            if len(g) == 1 and g[0] >= self._gate_base
        }
        # A gate whose pattern no expression of its own finds (none could be: it would have to
        # be some detector's expression as well) is open on all data.
        marked = set(self._gate_marks.values())
        self._always_open = {
            k
            for (name, blob, _), k in zip(self._plan, self._plan_gates, strict=True)
            if k >= 0 and blob is not None and k not in marked
        }
        # Detectors that report where matches start and scan with one expression shared by
        # all of them, and no other (their hits are the same runs): the first of each group
        # → the group, in the plan's order (fourth speed pass: the key-word anchor's six
        # ``kv-secret`` forms, each confirmed and dismissed apart on every hit).
        self._som_groups: dict[int, tuple[int, ...]] = {}
        if self.uses_hyperscan:
            uses: dict[int, int] = {}
            for _, _, ids in self._plan:
                for g in ids:
                    for gid in g:
                        uses[gid] = uses.get(gid, 0) + 1
            for _, _, ids in self._plan:
                for g in ids:
                    group = tuple(gid for gid in g if gid < n)
                    if len(group) == len(g) > 1 and all(
                        uses[gid] == 1 and self.detectors[gid].som for gid in group
                    ):
                        self._som_groups[group[0]] = group

    def _detector(self, pid: int) -> _Facts:
        facts = self._facts[pid]
        if facts is None:
            d = self.detectors[pid]
            if self._shapes is None:
                self._shapes = _pattern_shapes(self.detectors)
            width, lookback, run_class, reach = self._shapes[pid]
            run = (
                (
                    re.compile(bytes.fromhex(run_class) + b"*"),
                    re.compile(d.run_end) if d.run_end else None,
                )
                if run_class is not None
                else None
            )
            first = _first_bytes(d.pattern) if reach is None else None
            starts = re.compile(b"[" + re.escape(first) + b"]") if first else None
            facts = self._facts[pid] = _Facts(d.compiled(), run, width, lookback, reach, starts)
        return facts

    # -- public -----------------------------------------------------------------------------
    def spans(
        self,
        data: bytes,
        depth: int = 0,
        *,
        open_end: bool = False,
        tables: TableScan | None = None,
        known_from: int = 0,
    ) -> list[Span]:
        """Merged, non-overlapping secret spans of ``data`` (existing placeholders excluded).

        ``open_end``: more bytes may follow ``data`` (a stream): a long value running to its end
        may still get its terminator, an unfinished line is not read as a table row yet.
        ``tables``: where to read tables from and the table open there (a stream carries it
        from chunk to chunk); by default every table of ``data``. ``known_from``: known
        secrets' spans are needed only where they reach ``data[known_from:]`` (a stream's left
        context ends there; ``KnownSecrets.spans``).
        """
        tables = tables if tables is not None else TableScan()
        raw = data
        if marked := markup.marks(data):
            # Overstrikes, codes in caret notation, HTML converters' spans: read as the codes
            # they stand for (the same length: every offset is the payload's).
            data = markup.view(data, marked)
        coded = has_codes(data)
        plain: bytes | None = None
        colours_only = False
        if coded:
            # (Tenth speed pass: the codes are removed first; where only colour codes were
            # removed, no OSC/DCS string can be there, and the search for one is skipped.)
            plain, colours_only = strip_colours(data)
        if coded and (colours_only or not ANSI_STRING.search(data)):
            # Colour codes only: the text without them holds everything there is to find (a
            # code is a few digits and a letter), scanned once instead of twice.
            found, has_placeholder = self._ansi_spans(
                data, depth, open_end, tables, plain, colours_only
            )
        else:
            found, has_placeholder = self._raw_spans(
                data, depth, open_end, None if coded else tables, known_from=known_from
            )
            if coded:
                # OSC/DCS/APC strings (titles, hyperlinks) carry text: scan as it is, and
                # without codes; tables are read from the text's header lines (a coloured
                # header over hyperlinked values is no header in the bytes with codes).
                found += self._ansi_spans(data, depth, open_end, tables, plain, colours_only)[0]
        if not coded and has_escaped(data):
            found += self._escaped_spans(data, depth, open_end)
        merged = merge(found)
        if merged:
            merged = self._propagate(data, merged, raw)
        if has_placeholder:
            merged = _outside_placeholders(data, merged)
        return merged

    def databases(self, data: bytes | None = None) -> list[tuple[str, Any]]:
        """This thread's loaded hyperscan databases by name (empty without hyperscan); with
        ``data``, those the first stage scans it with (the "nul" database only where it holds
        a NUL byte)."""
        return [
            (name, db)
            for (name, _, _), db in zip(self._plan, self._dbs(), strict=True)
            if db is not None and (data is None or _scans(name, data))
        ]

    # -- internals --------------------------------------------------------------------------
    def _propagate(self, data: bytes, spans: list[Span], raw: bytes | None = None) -> list[Span]:
        # A value recognised once (by key name, say) is a secret everywhere else in the payload
        # too, where it may stand without the context that gave it away.
        # Provider detectors already find every occurrence; only context-found values spread,
        # and only nearby so a stream (which sees a bounded window) behaves like one pass.
        extra: list[Span] = []
        # Where the search for each value has reached: a value found on every line (a file of
        # tokens) is searched once per region, not once per occurrence (that was quadratic).
        searched: dict[bytes, int] = {}
        todo: list[tuple[Span, bytes, int, int]] = []
        back = 0
        for s in spans:
            value = data[s.start : s.end]
            if s.detector not in GENERIC and not self._needs_context(s.detector, value):
                continue
            if len(value) < PROPAGATE_MIN or value.startswith(b"[REDACTED:"):
                continue
            # A word or identifier masked for its name ("token = nextchar", "secret_data:
            # ConfigurableClassData") is not spread: in code the same word is everywhere else,
            # meaning something else.
            if word_model.kind(value) is word_model.Kind.CODE_NAME:
                continue
            # Backwards only within the value's own line: a stream releases complete lines, so
            # a value found later must not reach bytes that may already be gone.
            # (Twenty-ninth pass: the line in the bytes as they came, ``raw``: a CRI log's ``P``
            # records are read as one line, but a stream has released the records above.)
            lines = data if raw is None else raw
            lo, hi = lines.rfind(b"\n", 0, s.start) + 1, min(len(data), s.end + PROPAGATE_WINDOW)
            lo = max(lo, searched.get(value, lo) - len(value) + 1)
            searched[value] = max(hi, searched.get(value, hi))
            todo.append((s, value, lo, hi))
            back += max(0, s.start - lo)
        # (Thirteenth speed pass: on a long line each value was searched for from the line's
        # start — 3,000 values on a line of 1 MB read 1.4 GB. Where the searches would read
        # more than ``_PROPAGATE_SCAN`` bytes before their values, every value's occurrences
        # are found in one scan of the text instead, and each search is answered from them.)
        occurrences = (
            _occurrences(data, {value for _, value, _, _ in todo})
            if todo and back > _PROPAGATE_SCAN and self.uses_hyperscan
            else None
        )
        for s, value, lo, hi in todo:
            if occurrences is not None:
                starts = occurrences.get(value, ())
                k = bisect.bisect_left(starts, lo)
                last = hi - len(value)
                while k < len(starts) and starts[k] <= last:
                    if starts[k] != s.start:
                        extra.append(Span(starts[k], starts[k] + len(value), s.detector, s.value))
                    k += 1
                continue
            i = data.find(value, lo, hi)
            while i >= 0:
                if i != s.start:
                    extra.append(Span(i, i + len(value), s.detector, s.value))
                i = data.find(value, i + 1, hi)
        return merge(spans + extra) if extra else spans

    def _needs_context(self, name: str, value: bytes) -> bool:
        """A provider rule's value that its rule does not find alone (twenty-fourth pass: a
        Datadog key is 32–40 hex digits after a name saying so; ``+ '[' -z <key> ']'`` repeats
        it without): it spreads as a context-found value does. A rule's own shape (``ghp_…``)
        is found wherever it stands already."""
        rxs = self._by_name.get(name)
        if not rxs or len(value) < PROPAGATE_MIN:
            return False
        return not any(rx.search(value) for rx in rxs)

    def _raw_spans(
        self,
        data: bytes,
        depth: int,
        open_end: bool,
        tables: TableScan | None = None,
        table_hits: list[list[int]] | None = None,
        known_from: int = 0,
    ) -> tuple[list[Span], bool]:
        """Spans before merging, and whether ``data`` holds an existing placeholder.
        ``table_hits``: gets the header expression's runs (when ``tables`` is None)."""
        found = self.known.spans(data, known_from)
        hits = self._prefilter(data)
        if table_hits is not None:
            table_hits.extend(hits.get(self._table_id, []))
        n = len(self.detectors)
        grouped: dict[int, list[Span]] = {}
        for pid, ends in hits.items():
            if pid < n:
                if pid in grouped:
                    found += grouped.pop(pid)
                    continue
                group = self._som_groups.get(pid)
                if group is not None and all(hits.get(p) == ends for p in group):
                    # One hyperscan expression, several start-reporting detectors: confirmed
                    # together, each one's spans kept apart and added where ``found`` took
                    # them one detector at a time.
                    grouped = dict(
                        zip(group, self._confirm_group(group, data, ends, open_end), strict=True)
                    )
                    found += grouped.pop(pid)
                    continue
                found += self._confirm(pid, data, ends, open_end)
            elif pid >= self._marker_id:  # the placeholder marker, table headers (and gates)
                continue
            elif depth < MAX_DECODE_DEPTH:
                found += self._decode(CANDIDATES[pid - n], pid - n, data, ends, depth)
        if tables is not None and (self._table_id in hits or tables.table is not None):
            found += self._table_spans(data, hits.get(self._table_id, []), tables, open_end)
        if self.uses_hyperscan:
            return found, self._marker_id in hits
        return found, _PLACEHOLDER_MARK in data

    def _table_spans(
        self, data: bytes, runs: list[list[int]], tables: TableScan, open_end: bool
    ) -> list[Span]:
        """Cells under a column header that names a secret."""
        # Every line from a run's first hit to its last: the callback keeps only those two ends
        # of hits closer than _SLACK, and a header may be one of the lines between.
        starts: set[int] = set()
        for r in runs:
            pos = data.rfind(b"\n", 0, max(0, r[1] - 1)) + 1
            while 0 <= pos < r[2]:
                starts.add(pos)
                pos = data.find(b"\n", pos, r[2] - 1) + 1 or -1
        lines = sorted(starts)
        return [
            Span(a, b, tables_module.DETECTOR, value)
            for a, b, value in tables_module.scan(data, lines, tables, final=not open_end)
        ]

    def _dbs(self) -> list[Any]:
        dbs: list[Any] | None = getattr(self._local, "dbs", None)
        if dbs is None:
            dbs = [load_database(blob) if blob is not None else None for _, blob, _ in self._plan]
            self._local.dbs = dbs
        return dbs

    def _prefilter(self, data: bytes) -> dict[int, list[list[int]]]:
        hits: dict[int, list[list[int]]] = {}
        if self.uses_hyperscan:
            scanned: list[tuple[str, list[tuple[int, ...]], dict[int, list[list[int]]]]] = []
            # The gate databases' runs (first end, global ids, runs): their expressions are
            # literal ones, taken in where the literal database's would have reported them.
            gated: list[tuple[int, tuple[int, ...], list[list[int]]]] = []
            # Gates whose pattern the literal scan found (it comes first in the plan).
            opened: set[int] = set(self._always_open)
            for (name, _, ids), database, gate, split in zip(
                self._plan, self._dbs(), self._plan_gates, self._plan_split, strict=True
            ):
                if database is None:
                    continue
                if gate >= 0:
                    if gate not in opened:
                        continue
                elif not _scans(name, data):
                    continue
                local: dict[int, list[list[int]]] = {}
                database.scan(data, match_event_handler=_collect, context=local)
                if gate >= 0:
                    gated.extend((runs[0][1], ids[pid], runs) for pid, runs in local.items())
                    continue
                if name == "literals":
                    for pid, k in self._gate_marks.items():
                        if local.pop(pid, None) is not None:
                            opened.add(k)
                if split >= 0:
                    # One database for both: the literal expressions' runs, then the shapes',
                    # each in the order the database reported them (as two scans did).
                    scanned.append((name, ids, {p: r for p, r in local.items() if p < split}))
                    scanned.append(("shapes", ids, {p: r for p, r in local.items() if p >= split}))
                    continue
                scanned.append((name, ids, local))
            for name, ids, local in scanned:
                items = [(ids[pid], runs) for pid, runs in local.items()]
                if gated and name == "literals":
                    items = _interleave(items, gated)
                for gids, runs in items:
                    # Several expressions of one detector: their runs add up (windows and
                    # decodes sort them); one expression of several detectors: each gets them.
                    for gid in gids:
                        hits.setdefault(gid, []).extend(runs)
            return hits
        # Pure-Python engine: every pattern over the whole payload (still linear per pattern).
        # A run spans the whole match, so the confirmation window starts where it does.
        for pid in range(len(self.detectors)):
            rx = self._detector(pid).rx
            runs = [[m.start(), m.end(), m.end()] for m in rx.finditer(data)]
            if runs:
                hits[pid] = runs
        runs = [
            [m.start(), m.end(), m.end()]
            for rx in self._table_rxs
            for m in tables_module.finditer_overlapping_lines(rx, data)
        ]
        if runs:
            hits[self._table_id] = runs
        for i, rx in enumerate(self._cand_compiled):
            runs = [[m.start(), m.end(), m.end()] for m in rx.finditer(data)]
            if runs:
                hits[len(self.detectors) + i] = runs
        return hits

    def _confirm(self, pid: int, data: bytes, runs: list[list[int]], open_end: bool) -> list[Span]:
        det = self.detectors[pid]
        facts = self._detector(pid)
        rx = facts.rx
        width = facts.width + _SLACK
        out: list[Span] = []
        tail = width if det.short_prefilter else _SLACK
        run = facts.run
        quiet = self._quiet
        quiet_ok = quiet.usable(pid, det, facts)
        if det.som and self.uses_hyperscan:
            # Hyperscan reported where each match starts: try the pattern right there.
            size = len(data)
            tried: set[int] = set()
            for r in sorted(runs):
                # Up to the line of the run's last hit (an assignment may wrap onto it).
                end = min(size, r[2] + tail)
                if det.line_bound:
                    nl = data.find(b"\n", r[2], end)
                    if nl >= 0:
                        end = nl + 1
                for start in (r[0], *r[3:]):
                    if start in tried:
                        continue
                    tried.add(start)
                    stop = min(end, start + width)
                    key = quiet.key(pid, data, start, stop, start, open_end) if quiet_ok else None
                    if key is not None and quiet.get(key) is not None:
                        continue
                    m = rx.match(data, start, stop)
                    before = _CONTEXT_REJECTS[0]
                    span = _span_of(det, m, run, open_end) if m is not None else None
                    if span is not None:
                        out.append(span)
                    elif key is not None and _CONTEXT_REJECTS[0] == before:
                        quiet.put(key, -1)
            return out
        # Where a match can start: from the reported start of match (the pure-Python engine
        # reports real starts too), else a prefilter width before the reported end.
        lookback = -1 if not self.uses_hyperscan else facts.lookback + 8
        reach = facts.reach
        # Matches do not overlap, as in one finditer over the whole payload: a window starts
        # after the previous window's last match.
        floor = 0
        # (Tenth speed pass: ``_Quiet.key`` and ``_Quiet.get`` written out here, the same key
        # and the same answer; most windows of repeated configuration lines are answered from
        # memory, 3,000 per MB of ``config_refs``, and the two calls were a third of each.)
        seen_get = quiet.seen_get()
        find, rfind = data.find, data.rfind
        quiet_width = _Quiet.WIDTH
        for lo, hi, last in _windows(runs, lookback, tail, data, det.line_bound):
            if lo < floor:
                lo = floor
            if lo > last:
                continue
            key = None
            if quiet_ok:
                nl = find(b"\n", hi, hi + quiet_width)
                if nl >= 0:
                    at = rfind(b"\n", 0, lo - 48 if lo > 48 else 0) + 1
                    if nl + 17 - at <= quiet_width:
                        key = (pid, data[at : nl + 17], lo - at, hi - at, last - at, open_end)
                        seen = seen_get(key)
                        if seen is not None:
                            # Read before in the same bytes: nothing masked; its last match's
                            # end bounds where the next window may start, as it did then.
                            if seen >= 0:
                                floor = lo + seen
                            continue
            found = len(out)
            last_end = -1
            before = _CONTEXT_REJECTS[0]
            # (A window that reaches no further than ``_SEARCH_REACH`` past its last hit is
            # searched whole, as before the twelfth speed pass narrowed ``reach``: that search
            # is remembered when it finds nothing, the cut one below is not.)
            if reach is None or hi <= last + _SEARCH_REACH:
                starts = facts.starts
                if starts is None:
                    for m in rx.finditer(data, lo, hi):
                        if m.start() > last:
                            break  # no hit left for this match to be (a clean pair later on)
                        floor = last_end = m.end()
                        span = _span_of(det, m, run, open_end)
                        if span is not None:
                            out.append(span)
                else:
                    # (Twelfth speed pass: every match starts with one of a few bytes, so the
                    # leftmost match from ``pos`` is the pattern matched at the first of those
                    # bytes where it matches; and no match starting past the last hit counts.
                    # ``finditer`` tried every place of the window, up to a pattern's width past
                    # the last hit: a prompt form's 4.7 KB after ``+ `` in ``git show``.)
                    pos = lo
                    while (c := starts.search(data, pos, last + 1)) is not None:
                        m = rx.match(data, c.start(), hi)
                        if m is None:
                            pos = c.start() + 1
                            continue
                        floor = last_end = m.end()
                        span = _span_of(det, m, run, open_end)
                        if span is not None:
                            out.append(span)
                        pos = m.end() if m.end() > m.start() else m.start() + 1
                if key is not None and len(out) == found and _CONTEXT_REJECTS[0] == before:
                    quiet.put(key, last_end - lo if last_end >= 0 else -1)
                continue
            # An open-tailed pattern (a value run, maybe a negative lookahead) matches wherever
            # its full form does when cut short, so the search for the next match start looks
            # only ``reach`` past the last hit, not the pattern's whole width (4 KiB of futile
            # search after every hit on a long line: minified code, one-line JSON); a match
            # that reaches the cut is taken again whole from its start. The same matches as
            # ``finditer`` over the whole window.
            pos, bound = lo, last + reach
            while pos <= last:
                m = rx.search(data, pos, bound)
                if m is None or m.start() > last:
                    break
                if m.end() >= bound:
                    whole = rx.match(data, m.start(), hi)
                    if whole is None:
                        pos = m.start() + 1
                        continue
                    m = whole
                floor = m.end()
                span = _span_of(det, m, run, open_end)
                if span is not None:
                    out.append(span)
                pos = m.end() if m.end() > m.start() else m.start() + 1
        return out

    def _confirm_group(
        self, group: tuple[int, ...], data: bytes, runs: list[list[int]], open_end: bool
    ) -> list[list[Span]]:
        """``_confirm`` of each start-reporting detector of ``group`` over the same ``runs``:
        the same spans, per detector, as one call each (each tries every start once, at the
        first run that holds it, within that run's window).

        What is shared: which starts were tried (the same for all: the same runs in the same
        order), and one memory for the detectors whose dismissals the quiet cache remembers
        (``_Quiet.group_key``): a start all of them dismissed in the same bytes is not tried
        again by any of them. The rest (``line_bound`` off, say) try every start as before.
        """
        quiet = self._quiet
        size = len(data)
        members = []
        for pid in group:
            det = self.detectors[pid]
            facts = self._detector(pid)
            width = facts.width + _SLACK
            tail = width if det.short_prefilter else _SLACK
            members.append(
                (pid, det, facts.rx, facts.run, width, tail, quiet.usable(pid, det, facts))
            )
        remembered = [m for m in members if m[6]]
        others = [m for m in members if not m[6]]
        reach = min((m[5] for m in remembered), default=0)
        outs: dict[int, list[Span]] = {pid: [] for pid in group}
        tried: set[int] = set()
        for r in sorted(runs):
            for start in (r[0], *r[3:]):
                if start in tried:
                    continue
                tried.add(start)
                gkey = (
                    quiet.group_key(group, data, start, r[2], reach, open_end)
                    if remembered
                    else None
                )
                if gkey is not None and quiet.get_group(gkey):
                    todo = others
                else:
                    todo = members
                all_quiet = gkey is not None
                for pid, det, rx, run, width, tail, quiet_ok in todo:
                    end = min(size, r[2] + tail)
                    if det.line_bound:
                        nl = data.find(b"\n", r[2], end)
                        if nl >= 0:
                            end = nl + 1
                    stop = min(end, start + width)
                    key = quiet.key(pid, data, start, stop, start, open_end) if quiet_ok else None
                    if key is not None and quiet.get(key) is not None:
                        continue
                    m = rx.match(data, start, stop)
                    before = _CONTEXT_REJECTS[0]
                    span = _span_of(det, m, run, open_end) if m is not None else None
                    if span is not None:
                        outs[pid].append(span)
                        all_quiet = all_quiet and not quiet_ok
                    elif key is not None and _CONTEXT_REJECTS[0] == before:
                        quiet.put(key, -1)
                    elif quiet_ok:
                        all_quiet = False
                if all_quiet and todo is members:
                    quiet.put_group(gkey)  # type: ignore[arg-type]
        return [outs[pid] for pid in group]

    def _decode(
        self, cand: Candidate, idx: int, data: bytes, runs: list[list[int]], depth: int
    ) -> list[Span]:
        out: list[Span] = []
        seen_until = -1
        width = self._cand_widths[idx]
        for end in sorted(r[2] for r in runs):
            if end <= seen_until:
                continue
            start, stop = extend_run(cand, data, max(0, end - width), end)
            seen_until = stop
            run = data[start:stop]
            for decoded in cand.decode(run):
                inner = self.spans(decoded, depth + 1)
                if inner:
                    first = max(inner, key=lambda s: s.end - s.start)
                    value = decoded[first.start : first.end] if len(inner) == 1 else decoded
                    out.append(Span(start, stop, first.detector, value))
                    break
        return out

    def _escaped_spans(self, data: bytes, depth: int, open_end: bool) -> list[Span]:
        """Spans of the lines of ``data`` that hold colour codes written as escapes (a JSON log
        line of coloured output: ``"msg":"loaded \\u001b[1mcredential\\u001b[0m 9Zt2…"``),
        found in their text without those codes (the rest of ``data`` was scanned as it is;
        these lines too). Only those lines are read again: a commit message or a source file
        that mentions ``\\x1b[`` once does not make its whole buffer scanned twice."""
        regions: list[tuple[int, int]] = []
        for m in ESCAPED.finditer(data):
            lo = data.rfind(b"\n", 0, m.start()) + 1
            if regions and lo <= regions[-1][1]:
                continue
            hi = data.find(b"\n", m.end())
            regions.append((lo, len(data) if hi < 0 else hi + 1))
        out: list[Span] = []
        for lo, hi in regions:
            piece = data[lo:hi]
            found = self._ansi_spans(piece, depth, open_end and hi == len(data))[0]
            out += [Span(s.start + lo, s.end + lo, s.detector, s.value, s.run) for s in found]
        return out

    def _ansi_spans(
        self,
        data: bytes,
        depth: int,
        open_end: bool,
        tables: TableScan | None = None,
        plain: bytes | None = None,
        colours_only: bool = False,
    ) -> tuple[list[Span], bool]:
        """Spans of ``data`` found in its text without colour codes, mapped back onto it, and
        whether it holds an existing placeholder. ``tables``: also read the tables of ``data``
        (its lines that may be headers are the text's); ``plain``: ``strip(data)`` when the
        caller has it, and ``colours_only`` what ``strip_colours`` said with it."""
        # Colour codes glue onto a secret ("\x1b[1mghp_…") and defeat token boundaries: scan
        # the text with the codes removed and map the spans back onto the original bytes.
        # The codes are removed in C; the map back is built only when something was found,
        # line by line (no code spans a newline) and per piece between codes inside a line.
        if plain is None:
            plain, colours_only = strip_colours(data)
        header_runs: list[list[int]] = []
        spans, has_placeholder = self._raw_spans(plain, depth, open_end, None, header_runs)
        found = [s for s in spans if s.end > s.start]
        out: list[Span] = []
        if found or header_runs:
            raw = _AnsiMap(data, plain, moves=not colours_only)
            # Every position mapped once, in order (``_AnsiMap`` finds each line from the one
            # before it): a span's first and last byte, a header hit's ends.
            wanted = {s.start for s in found} | {s.end - 1 for s in found}
            wanted.update(max(0, e - 1) for r in header_runs for e in r[1:3])
            at = {pos: raw(pos) for pos in sorted(wanted)}
            out = [Span(at[s.start], at[s.end - 1] + 1, s.detector, s.value, s.run) for s in found]
            # A header hit's lines, as the table reader finds them (from the run's first and
            # last end: one run may span the header and the rows below it).
            header_runs = [[0, *(at[max(0, e - 1)] + 1 for e in r[1:3])] for r in header_runs]
        if tables is not None and (header_runs or tables.table is not None):
            out += self._table_spans(data, header_runs, tables, open_end)
        return out, has_placeholder


def _scans(database: str, data: bytes) -> bool:
    """Whether the first stage scans ``data`` with ``database``: every match of the "nul"
    database's expressions holds a NUL byte (``_take_nul``), of a "gate-k" database's a match
    of ``_GATES[k]``'s pattern (``_take_gated``)."""
    if database == "nul":
        return b"\x00" in data
    if database.startswith("gate-"):
        return _gate_open(int(database[5:]), data)
    return True


class _AnsiMap:
    """Offsets in a text with its colour codes removed → offsets in the text with them."""

    def __init__(self, data: bytes, plain: bytes, moves: bool = True) -> None:
        self.data = data
        self.plain = plain
        # False: ``data`` holds colour codes only (``ansi.strip_colours``), no cursor move.
        self.moves = moves
        # Where each line of ``data`` starts: found from the last line asked for, not as a
        # table of every line (tenth speed pass: the table cost a coloured MB 2-4 ms, for the
        # few lines a hit is on; see ``_raw_start``), the table only where lines are asked
        # for out of order or far apart.
        self.raw_lines: list[int] | None = None
        # The last line found: its index, its start in ``data`` and in ``plain``.
        self._raw = (0, 0, 0)
        self._walked = 0
        self.lines: dict[int, tuple[int, tuple[list[int], list[int]]]] = {}
        # The last position asked for and its line's index: the line of the next one is
        # counted from there (fourth speed pass: positions come a few per line read, mostly in
        # order, and counting the newlines between them is C-level work over the bytes between,
        # where a table of every line start of the text cost a coloured MB 1.9 ms).
        # Positions far apart in changing order (many detectors' spans over a long buffer)
        # would count the same bytes again and again: past two lengths of the text counted,
        # the table of line starts is built after all, as before.
        self._pos = 0
        self._line = 0
        self._counted = 0
        self._plain_lines: list[int] | None = None

    def __call__(self, pos: int) -> int:
        plain = self.plain
        # The line holding ``pos``: the newlines before it (a position right after a newline
        # is on the next line, as ``bisect_right`` over the line starts found it).
        if self._plain_lines is not None:
            k = bisect.bisect_right(self._plain_lines, pos) - 1
        else:
            if pos >= self._pos:
                k = self._line + plain.count(b"\n", self._pos, pos)
            else:
                k = self._line - plain.count(b"\n", pos, self._pos)
            self._counted += abs(pos - self._pos)
            self._pos, self._line = pos, k
            if self._counted > 2 * len(plain):
                self._plain_lines = _line_starts(plain)
        line_start = plain.rfind(b"\n", 0, pos) + 1
        known = self.lines.get(k)
        if known is None:
            start = self._raw_start(k, line_start)
            end = self.data.find(b"\n", start)
            known = self.lines[k] = (
                start,
                line_offsets(self.data[start : end if end >= 0 else len(self.data)], self.moves),
            )
        return known[0] + raw_offset(known[1], pos - line_start)

    # Lines stepped over one by one (``bytes.find``) before the table of every line start is
    # built after all.
    _WALK = 2048

    def _raw_start(self, k: int, plain_start: int) -> int:
        """Where line ``k`` starts in ``data``, its start in ``plain`` being ``plain_start``.

        From the last line found (line ``j`` at ``r`` in ``data`` and ``p`` in ``plain``), the
        newlines of ``data[r : r + plain_start - p]`` are counted in C: removing codes only
        shortens a line, so line ``k`` starts at or after that end and those newlines all end
        lines before ``k``; the rest are stepped over. The answer is the ``k - j``-th newline
        after ``r`` whatever the lines' lengths (a cursor move read as blanks lengthens one: were
        more than ``k - j`` newlines counted, none is skipped), so it is the table's entry
        (tested against it). A line before the last one found is found from the first."""
        if self.raw_lines is not None:
            return self.raw_lines[k]
        j, r, p = self._raw if k >= self._raw[0] else (0, 0, 0)
        data = self.data
        bound = r + plain_start - p
        n = data.count(b"\n", r, bound) if bound > r else 0
        if n and j + n <= k:
            r, j = data.rfind(b"\n", r, bound) + 1, j + n
        while j < k and self._walked < self._WALK:
            nl = data.find(b"\n", r)
            if nl < 0:
                break
            r, j = nl + 1, j + 1
            self._walked += 1
        if j == k:
            self._raw = (k, r, plain_start)
            return r
        self.raw_lines = _line_starts(data)
        return self.raw_lines[k]


class _Quiet:
    """Confirmations that masked nothing, remembered by every byte they could read.

    Agent output repeats lines (``password       = var.db_password`` under every resource,
    ``- uses: actions/checkout@v4`` in every job) and each repeat brought the same hits, the same
    regex search and the same dismissal in Python. A confirmation of a line-bound detector reads
    its window, the key name up to 41 bytes before it, the line before the key name (a call's
    open parenthesis), a few bytes after it (``(``, `` === ``), and a long value's run, which
    stops at the line's end (only detectors whose run cannot cross a newline and needs no
    terminator are remembered). The key is those bytes — from the start of the line holding
    the byte 48 before the window to 16 bytes past the first newline at or after its end — and
    the window's offsets in them; a window with no newline after it yet (a stream's unfinished
    line) is never remembered. The
    answer: no span, and where the last dismissed match ended (it bounds the next window, as
    matches do not overlap). Bounded: at most ``SIZE`` entries of at most ``WIDTH`` bytes.
    """

    SIZE = 2048
    WIDTH = 1024

    def __init__(self) -> None:
        self._seen: dict[tuple[int, bytes, int, int, int, bool], int] = {}
        # Starts that every remembered detector of a group dismissed (``group_key``).
        self._groups: dict[tuple[tuple[int, ...], bytes, int, int, bool], None] = {}
        self._usable: dict[int, bool] = {}

    def usable(self, pid: int, det: Detector, facts: _Facts) -> bool:
        ok = self._usable.get(pid)
        if ok is None:
            run_ok = facts.run is None or (
                facts.run[1] is None and det.run_end is None and _stops_at_newline(facts.run[0])
            )
            ok = self._usable[pid] = bool(det.line_bound and run_ok)
        return ok

    def key(
        self, pid: int, data: bytes, lo: int, hi: int, last: int, open_end: bool
    ) -> tuple[int, bytes, int, int, int, bool] | None:
        nl = data.find(b"\n", hi, hi + self.WIDTH)
        if nl < 0:
            return None  # the line has not ended in ``data`` (or is too long to remember)
        start = data.rfind(b"\n", 0, max(0, lo - 48)) + 1
        stop = nl + 17
        if stop - start > self.WIDTH:
            return None
        return (pid, data[start:stop], lo - start, hi - start, last - start, open_end)

    def group_key(
        self, group: tuple[int, ...], data: bytes, start: int, last: int, tail: int, open_end: bool
    ) -> tuple[tuple[int, ...], bytes, int, int, bool] | None:
        """What decides every remembered detector of ``group`` at a match ``start`` of a run
        whose last hit ends at ``last``: bytes that hold each one's own key (``key`` with
        ``lo = last = start`` and ``hi`` its window's end), and the offsets of ``start`` and
        ``last`` in them; None unless the line of ``last`` ends within ``tail`` (the group's
        smallest) bytes of it.

        Why each member's key lies inside: every remembered detector is ``line_bound``, so its
        window ends at ``min(end, start + width)`` where ``end`` is one past the first newline
        at or after ``last`` — that newline is within its tail, so ``end`` is the same for all
        and read from these bytes (no other newline between ``last`` and it), never cut by the
        end of ``data``. Its key runs from the line start of ``start - 48`` (the same for all)
        to 17 bytes past the first newline at or after its window's end, so at most 17 past
        the first newline at or after ``end``, where these bytes end (both cut alike by the
        end of ``data``), and is no longer than ``WIDTH`` when these bytes are not. So each
        member's key, and with it its answer, is a function of this key and the member.
        """
        line_end = data.find(b"\n", last, last + tail)
        if line_end < 0:
            return None
        x = line_end + 1
        nl = data.find(b"\n", x, x + self.WIDTH)
        if nl < 0:
            return None
        lo = data.rfind(b"\n", 0, max(0, start - 48)) + 1
        stop = nl + 17
        if stop - lo > self.WIDTH:
            return None
        return (group, data[lo:stop], start - lo, last - lo, open_end)

    def get_group(self, key: tuple[tuple[int, ...], bytes, int, int, bool]) -> bool:
        return key in self._groups

    def put_group(self, key: tuple[tuple[int, ...], bytes, int, int, bool]) -> None:
        if len(self._groups) >= self.SIZE:
            self._groups.clear()
        self._groups[key] = None

    def get(self, key: tuple[int, bytes, int, int, int, bool]) -> int | None:
        return self._seen.get(key)

    def seen_get(self) -> Callable[[tuple[int, bytes, int, int, int, bool]], int | None]:
        """``get`` as the bound method of the answers' dict (no call of ``get`` per window)."""
        return self._seen.get

    def put(self, key: tuple[int, bytes, int, int, int, bool], value: int) -> None:
        if len(self._seen) >= self.SIZE:
            self._seen.clear()
        self._seen[key] = value

    def clear(self) -> None:
        self._seen.clear()
        self._groups.clear()


def _stops_at_newline(run: re.Pattern[bytes]) -> bool:
    """A value's run (``[class]*``) that cannot take a newline."""
    m = run.match(b"\n")
    return m is None or m.end() == 0


_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _line_starts(data: bytes) -> list[int]:
    """Where each line of ``data`` starts, and one past its end (``len(data) + 1``): line k
    starts after the lengths of the k lines before it and their k newlines. Built by C-level
    maps (a generator expression per line cost an ANSI-coloured megabyte 30 ms)."""
    lengths = itertools.accumulate(map(len, data.split(b"\n")), initial=0)
    return list(map(operator.add, lengths, itertools.count()))


# How many bytes before their values the spreading searches may read before the values'
# occurrences are found in one scan instead (``Engine._propagate``; tests set it to 0).
_PROPAGATE_SCAN = 1 << 22


def _occurrences(data: bytes, values: set[bytes]) -> dict[bytes, list[int]]:
    """Every start of every value of ``values`` in ``data``, overlapping ones too (as
    ``bytes.find`` from each start plus one finds them), ascending: one hyperscan scan of exact
    literals (every occurrence is reported, by its end)."""
    ordered = sorted(values)
    blob = compile_literals([(v, False) for v in ordered])
    assert blob is not None  # (only with hyperscan: ``Engine.uses_hyperscan``)
    database = load_database(blob)
    found: dict[bytes, list[int]] = {v: [] for v in ordered}
    lists = [found[v] for v in ordered]
    sizes = [len(v) for v in ordered]

    def on_match(pid: int, _start: int, to: int, _flags: int, _context: Any) -> None:
        lists[pid].append(to - sizes[pid])

    database.scan(data, match_event_handler=on_match)
    for starts in lists:
        starts.sort()
    return found


def _collect(pid: int, start: int, to: int, _flags: int, runs_by_id: Any) -> None:
    """Hyperscan match callback: one run per stretch of close ends, per expression id.

    A run is [start of its first match, end of its first match, end of its last match, starts
    of the later matches…]; starts are 0 (and not listed) unless the expression reports them. Prefilter mode reports every end
    of a match. One small module-level function (no closure made per scan): it runs for every
    reported end.
    """
    runs = runs_by_id.get(pid)
    if runs is None:
        runs_by_id[pid] = [[start, to, to]]
    elif to - runs[-1][2] <= _SLACK:
        runs[-1][2] = to
        if start:  # the starts of later matches in the run, when reported
            runs[-1].append(start)
    else:
        runs.append([start, to, to])


def _interleave(
    items: list[tuple[tuple[int, ...], list[list[int]]]],
    gated: list[tuple[int, tuple[int, ...], list[list[int]]]],
) -> list[tuple[tuple[int, ...], list[list[int]]]]:
    """The literal database's (global ids, runs) in the order it reported their first match,
    with the gate databases' taken in by their first match's end: the order one database
    holding them all would have reported them in (hyperscan reports by end offset; at one end,
    the literal database's first), so detectors are confirmed, and their spans listed, as
    before the gates."""
    out: list[tuple[tuple[int, ...], list[list[int]]]] = []
    pending = sorted(gated, key=lambda g: g[0])
    k = 0
    for gids, runs in items:
        first = runs[0][1]
        while k < len(pending) and pending[k][0] < first:
            out.append(pending[k][1:])
            k += 1
        out.append((gids, runs))
    out.extend(g[1:] for g in pending[k:])
    return out


def _windows(
    runs: list[list[int]], width: int, tail: int, data: bytes, line_bound: bool
) -> list[tuple[int, int, int]]:
    """Confirmation windows (lo, hi, last hit end) for runs [first start, first end, last end].

    ``width``: how far before a hit's end its match may start, or -1 when the run's start is the
    match's start; ``tail``: how far past the reported end a match may reach (a short prefilter
    reports the end of the match's start only); a line-bound match never crosses the next
    newline.
    """
    out: list[tuple[int, int, int]] = []
    size = len(data)
    find, rfind = data.find, data.rfind
    # (Tenth speed pass: the same windows, without a list made per run by a starred
    # assignment or a call of ``min``/``max`` per bound: 3,000 runs per MB of ``config_refs``.)
    for r in sorted(runs):
        first, last = r[1], r[2]
        if width < 0:
            lo = r[0]
        else:
            lo = first - width if first > width else 0
        hi = last + tail
        if hi > size:
            hi = size
        if line_bound:
            if width >= 0:
                bound = rfind(b"\n", lo, first) - _SLACK
                if bound > lo:
                    lo = bound
            nl = find(b"\n", last, hi)
            if nl >= 0:
                hi = nl + 1
        # One window for hits whose match starts may meet (not for every hit within the
        # previous match's reach: a window is searched for starts from its lo to its last).
        if out and lo <= out[-1][2] + _SLACK:
            prev = out[-1]
            out[-1] = (
                prev[0],
                hi if hi > prev[1] else prev[1],
                last if last > prev[2] else prev[2],
            )
        else:
            out.append((lo, hi, last))
    return out


# The same few key names (password, TOKEN, Authorization) recur endlessly and the check is one
# large regex search: remember the answer for recent names.
_is_key_name = functools.lru_cache(maxsize=4096)(is_key_name)

# Agent output repeats itself (the same configuration line, lockfile entry or log line
# thousands of times): the value checks that dismiss a hit are pure functions of their bytes,
# each a few regex searches and the word model (``password = var.db_password``: 40 µs per hit,
# 25 distinct values in 1,037 hits of a configuration MB), so recent answers are remembered, for
# arguments up to ``_MEMO_BYTES`` long (the cache's memory stays bounded).
_MEMO_BYTES = 256
_MEMO_SIZE = 1024
_MEMOS: dict[Any, Any] = {}


def _memo(fn: Any) -> Any:
    """``fn`` (a pure predicate of bytes, ints and bools) remembering recent short arguments."""
    memo = _MEMOS.get(fn)
    if memo is None:
        cached = functools.lru_cache(maxsize=_MEMO_SIZE)(fn)

        def memo(*args: Any) -> Any:
            # (Tenth speed pass: a loop, not ``sum`` over a generator: 0.5 µs less a call.)
            size = 0
            for a in args:
                if isinstance(a, bytes):
                    size += len(a)
            if size > _MEMO_BYTES:
                return fn(*args)
            return cached(*args)

        memo.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        _MEMOS[fn] = memo
    return memo


def clear_memos() -> None:
    """Forget every remembered answer (benchmarks that measure a cold pass)."""
    _is_key_name.cache_clear()
    for eng in list(_ENGINES):
        eng._quiet.clear()
    for memo in _MEMOS.values():
        memo.cache_clear()
    tables_module.clear_memos()


_not_a_literal_secret = _memo(not_a_literal_secret)
_names_instead_of_value = _memo(names_instead_of_value)
_bare_name_ok = _memo(bare_name_ok)


@dataclass(frozen=True, slots=True)
class _Facts:
    rx: re.Pattern[bytes]
    run: _Run | None
    width: int
    lookback: int
    # How far past the last hit the next match start is searched for (open-tailed patterns
    # only; None: the whole window).
    reach: int | None = None
    # The few bytes every match starts with (``_first_bytes``), as a class to find them: the
    # whole-window search tries only those places, up to the last hit (twelfth speed pass).
    starts: re.Pattern[bytes] | None = None


# A pattern ending in a bounded run of a character class, maybe followed by a negative
# lookahead of one class (``…{15,4095})(?![^\s,;)])``): cut anywhere in that run, it still
# matches where its full form matches (the lookahead sees the cut as an end). The cut must leave
# room for a name, its separator and the run's minimum (under 100 bytes).
_OPEN_TAIL = lazy_compile(rb"\]\{(\d+),\d+\}\+?\)()(?:\(\?!\[[^\]]*\]\))?$")
_SEARCH_REACH = 256


def _scan_plan(detectors: Sequence[Detector]) -> list[tuple[str, list[Any]]]:
    """Which expressions each hyperscan database scans: [(name, [(expression hex, prefilter
    mode, start of match reported, [global ids])])]. Cached on disk: deciding where each
    expression goes parses it."""
    key = (
        "scan-plan-7",
        _TABLES_APART,
        _SPLIT_WORDS,
        _NUL_GATE,
        _GATES,
        [(d.pattern, d.scan_patterns, d.side, d.som, d.prefilter is None) for d in detectors],
        [c.pattern for c in CANDIDATES],
        tables_module.HEADER_PARTS,
        tables_module.HEADER_MORE,
        tables_module.HEADER_MORE_UNICODE,
        tables_module.PREFIXED_HEADER_PARTS,
        tables_module.HTML_ROW,
        tables_module.INSERT_ROW,
        tables_module.BLOCK_SCALAR,
        tables_module.WIKI_TABLE,
    )

    def compute() -> list[tuple[str, list[Any]]]:
        n = len(detectors)
        marker, table = n + len(CANDIDATES), n + len(CANDIDATES) + 1
        # (expression, prefilter mode, start of match reported, global id); an expression may
        # be a tuple of parts, compiled apart under one id (``tables.PREFIXED_HEADER_PARTS``).
        literals: list[tuple[bytes | tuple[bytes, ...], bool, bool, int]] = [
            (_PLACEHOLDER_START, False, False, marker),
            (tables_module.HEADER_PARTS, False, False, table),
            (tables_module.HEADER_MORE, False, False, table),
            (tables_module.HEADER_MORE_UNICODE, False, False, table),
            (tables_module.PREFIXED_HEADER_PARTS, False, False, table),
            (tables_module.HTML_ROW, False, False, table),
            (tables_module.INSERT_ROW, False, False, table),
            (tables_module.BLOCK_SCALAR, False, False, table),
            (tables_module.WIKI_TABLE, False, False, table),
        ]
        shapes: list[tuple[bytes | tuple[bytes, ...], bool, bool, int]] = []
        for i, d in enumerate(detectors):
            for expr in d.scan_patterns:
                if not d.side:
                    # Prefilter mode drops lookarounds: match a token boundary as a character.
                    expr = with_boundaries(expr) if d.prefilter is None else expr
                    literals.append((expr, True, False, i))
                else:
                    db = literals if literal_anchored(expr) else shapes
                    db.append((expr, False, d.som, i))
        for k, c in enumerate(CANDIDATES):
            db = literals if literal_anchored(c.pattern) else shapes
            db.append((c.pattern, False, False, n + k))
        if _SPLIT_WORDS is not None:
            literals = [_split_words(x) for x in literals]
            shapes = [_split_words(x) for x in shapes]
        nul: list[tuple[bytes | tuple[bytes, ...], bool, bool, int]] = []
        if _NUL_GATE:
            literals = _take_nul(literals, nul)
            shapes = _take_nul(shapes, nul)
        # (Eleventh speed pass: the literal expressions every match of which holds a short
        # pattern that most output lacks, scanned only where it is; ``_GATES``.)
        gated: list[tuple[str, list[_PlanEntry]]] = []
        for k, (_, run) in enumerate(_GATES):
            moved: list[_PlanEntry] = []
            literals = _take_gated(literals, moved, k)
            gated.append((_gate_name(k), moved))
            if moved:
                # the gate's own pattern, found in the literal scan (ignoring case: a superset
                # of what the expressions it gates hold, whatever their flags)
                literals.append((b"(?i)" + run, False, False, table + 1 + k))
        # (Fourteenth speed pass: the table-header expressions in a database of their own,
        # ``_TABLES_APART``.)
        tables: list[_PlanEntry] = []
        if _TABLES_APART:
            tables = [x for x in literals if x[3] == table]
            literals = [x for x in literals if x[3] != table]
        plan = []
        named = (("tables", tables), ("literals", literals), ("shapes", shapes), ("nul", nul))
        for name, exprs in (*named, *gated):
            shared: dict[tuple[bytes | tuple[bytes, ...], bool, bool], list[int]] = {}
            for e, p, som, gid in exprs:
                shared.setdefault((e, p, som), []).append(gid)
            plan.append((name, [(_hex(e), p, som, g) for (e, p, som), g in shared.items()]))
        _parsed.cache_clear()
        return plan

    return [(name, exprs) for name, exprs in cached_json("redaction-plan", key, compute)]


def _databases(
    plan: list[tuple[str, list[Any]]],
) -> list[tuple[str, list[Any], int]]:
    """The hyperscan databases the engine compiles from the scan plan: (name, plan entries,
    how many of them are the "literals" entries the "shapes" entries follow, or -1). Each
    plan database alone, or with ``_MERGE_SHAPES`` the "shapes" entries after the "literals"
    ones in the database named "literals"."""
    if not _MERGE_SHAPES:
        return [(name, exprs, -1) for name, exprs in plan]
    shapes = [exprs for name, exprs in plan if name == "shapes"]
    out: list[tuple[str, list[Any], int]] = []
    for name, exprs in plan:
        if name == "literals":
            out.append((name, [*exprs, *(shapes[0] if shapes else [])], len(exprs)))
        elif name != "shapes":
            out.append((name, exprs, -1))
    return out


# Expressions led by a long list of words are scanned as one expression per word (speed pass,
# 2026-12-06; ``prefilters.leading_alternatives``): (fewest alternatives, fewest fixed bytes
# each word starts with), or None to scan every expression whole (tests compare both).
_SPLIT_WORDS: tuple[int, int] | None = (32, 3)


def _split_words(
    entry: tuple[bytes | tuple[bytes, ...], bool, bool, int],
) -> tuple[bytes | tuple[bytes, ...], bool, bool, int]:
    """A plan entry with its expression split into one part per leading word, where that is an
    exact rewrite and the expression is led by a long word list. Not for expressions that
    report match starts: each part would report its own leftmost start where the whole reports
    only the leftmost of all."""
    expression, prefilter, som, gid = entry
    if som or not isinstance(expression, bytes) or _SPLIT_WORDS is None:
        return entry
    most, least = _SPLIT_WORDS
    parts = leading_alternatives(expression, min_alternatives=most, min_literal=least)
    return entry if parts is None else (parts, prefilter, som, gid)


# Fourteenth speed pass (2026-12-07): the table-header expressions (every expression reporting
# ``Engine._table_id``) are scanned in a database of their own, "tables" (``_TABLES_APART``), and
# the literal and the shape expressions in one database (``_MERGE_SHAPES``: the plan keeps them
# apart, ``_databases`` compiles them together). Measured per layout over 1 MB a class in 64 KiB
# buffers (null callback, best of 6): the former 4.7-47.8 ms per MB, this one 4.2-44.1, lower on
# each of the 19 classes (``config_refs`` 47.8 → 44.1, ``git_show`` 12.5 → 11.7, ``csv_export``
# 4.7 → 4.2): the word-led header expressions, with their line-start reach, cost more beside the
# other literal expressions than apart, and the shapes, once costly beside the literal
# expressions, now cost less beside them than in a scan of their own. Exact by construction: an
# expression reports the same ends whatever database holds it, the table runs are read as a set
# of lines (``_table_spans``), and ``Engine._prefilter`` hands on the merged database's runs as
# the two databases did, the literal expressions' first. (Which of two expressions' first
# matches ending at one offset is reported first is hyperscan's choice in any layout: the tests
# compare the order with the former layout's.) False/False: the former layout.
_TABLES_APART = True
_MERGE_SHAPES = True

# Expressions every match of which holds a NUL byte (the NUL-separated records of ``env -0``,
# ``find -print0``: ``detectors._Z_ANCHOR``) go to a third database, scanned only over data that
# holds a NUL (speed pass, 2026-12-06: 0.5-1.9 ms per MB of every class, for text that has none).
_NUL_GATE = True
_PlanEntry = tuple[bytes | tuple[bytes, ...], bool, bool, int]

# Gates of literal expressions (eleventh speed pass, 2026-12-06): (a byte, a short pattern that
# holds it). An expression every match of which holds a match of the pattern (``_needs_run``) is
# scanned, in a database of its own, only over data where the pattern matches; the literal
# database finds the pattern in the scan it makes anyway (ignoring case: a superset of what the
# gated expressions hold, whatever their flags). Hyperscan does not lead such an expression by
# its rare part when a word list comes first: ``key: … \`` (a value continued on the next line)
# and ``key: # comment`` over a value were run at each of the 26,000 secret words a MB of
# configuration output holds (about 5 ms per MB), where no such part was. The pattern, not its
# byte alone: a backslash or a ``#`` is in most chunks of logs, prose and code, where scanning a
# gate's database costs more than its expressions did in the one (0.5-1 ms per MB: the word
# list again). A pattern stays short: the comment's pattern read on to the indented value
# (``…\#[^\r\n]{0,120}\r?\n[ \t]{2,40}…``) cost the literal scan 1.2-2.4 ms per MB of its own.
# The byte: what ``Engine.databases`` looks for first. Empty: every literal expression in one
# database (tests compare both).
_GATES: tuple[tuple[bytes, bytes], ...] = (
    (b"\\", rb"[^\s\\]\\\r?\n"),
    (b"#", rb":[ \t]{1,4}\#"),
)
_GATE_RXS: list[re.Pattern[bytes]] = []


def _gate_name(k: int) -> str:
    return f"gate-{k}"


def _gate_open(k: int, data: bytes) -> bool:
    """Whether gate ``k``'s pattern matches somewhere in ``data`` (ignoring case), as the
    literal scan finds it (``Engine._prefilter``; here for ``Engine.databases``)."""
    byte, pattern = _GATES[k]
    if byte not in data:
        return False
    while len(_GATE_RXS) <= k:
        _GATE_RXS.append(re.compile(_GATES[len(_GATE_RXS)][1], re.IGNORECASE))
    return _GATE_RXS[k].search(data) is not None


def _take_gated(entries: list[_PlanEntry], taken: list[_PlanEntry], k: int) -> list[_PlanEntry]:
    """``entries`` without what needs gate ``k``'s pattern (each of its parts does), which is
    appended to ``taken``."""
    kept: list[_PlanEntry] = []
    run = _GATES[k][1]
    for entry in entries:
        parts = entry[0] if isinstance(entry[0], tuple) else (entry[0],)
        (taken if all(_needs_run(p, run) for p in parts) else kept).append(entry)
    return kept


def _needs_run(pattern: bytes, run: bytes) -> bool:
    """Whether every match of ``pattern`` holds a match of ``run``: ``run``'s items stand, one
    after another, in ``pattern``'s mandatory sequence (or in every branch of a mandatory
    alternation, or in the body of a repeat taken at least once); False when unsure."""
    items, want = _parsed(pattern), _parsed(run)
    return bool(items is not None and want) and _items_hold(items, want)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=4096)
def _parsed(pattern: bytes) -> tuple[Any, ...] | None:
    """``pattern``'s parsed items, normalised (None if it does not parse). Kept while a scan
    plan is computed (each expression is asked about the NUL byte and each gate's run, one
    pass each); ``_scan_plan`` clears it."""
    try:
        return _normalised(list(re._parser.parse(pattern)))  # type: ignore[attr-defined,no-any-return]
    except re.error:
        return None


def _normalised(x: Any) -> Any:
    """Parsed items as nested tuples (sub-patterns compared by content)."""
    if isinstance(x, re._parser.SubPattern):  # type: ignore[attr-defined]
        return ("sub", tuple(_normalised(i) for i in x.data))
    if isinstance(x, (list, tuple)):
        return tuple(_normalised(i) for i in x)
    return x


def _items_hold(items: tuple[Any, ...], want: tuple[Any, ...]) -> bool:
    """Whether the (normalised) items hold ``want`` (``_needs_run``). Sub-patterns are walked in
    their normalised form, ``("sub", items)``: normalising once per expression, not again at
    each level of nesting (that made the plan's compute quadratic in the nesting depth)."""
    c = re._constants  # type: ignore[attr-defined]
    n = len(want)
    for k in range(len(items) - n + 1):
        if all(_item_holds(items[k + j], want[j], first=j == 0, last=j == n - 1) for j in range(n)):
            return True
    for op, av in items:
        if op is c.SUBPATTERN and _items_hold(av[-1][1], want):
            return True
        if op is c.ATOMIC_GROUP and _items_hold(av[1], want):
            return True
        if (
            op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
            and av[0] >= 1
            and _items_hold(av[2][1], want)
        ):
            return True
        if op is c.BRANCH and all(_items_hold(b[1], want) for b in av[1]):
            return True
    return False


def _item_holds(have: Any, want: Any, *, first: bool, last: bool) -> bool:
    """Whether an item of a pattern (normalised) holds one of a run at the same place: the same
    item; or, at the run's first (last) item, a repeat of the same body taken at least as often
    as the run's, whose last (first) repetitions stand next to the rest of the run."""
    if have == want:
        return True
    if not (first or last):
        return False
    repeats = (
        re._constants.MAX_REPEAT,  # type: ignore[attr-defined]
        re._constants.MIN_REPEAT,  # type: ignore[attr-defined]
        re._constants.POSSESSIVE_REPEAT,  # type: ignore[attr-defined]
    )
    if not (isinstance(have, tuple) and len(have) == 2 and have[0] in repeats):
        return False
    least, _, body = have[1]
    if isinstance(want, tuple) and len(want) == 2 and want[0] in repeats:
        need, _, want_body = want[1]
    else:
        need, want_body = 1, ("sub", (want,))
    return bool(need >= 1 and least >= need and body == want_body)


def _take_nul(entries: list[_PlanEntry], nul: list[_PlanEntry]) -> list[_PlanEntry]:
    """``entries`` without what needs a NUL byte, which is appended to ``nul``: an expression
    every match of which holds one, or the alternatives of a leading alternation that do
    (``(?:^|\x00)NAME…`` → ``^NAME…`` stays, ``\x00NAME…`` moves; not for expressions that
    report match starts, whose parts would each report their own)."""
    kept: list[_PlanEntry] = []
    for entry in entries:
        expression, prefilter, som, gid = entry
        if not isinstance(expression, bytes):
            kept.append(entry)
            continue
        if _needs_byte(expression, 0):
            nul.append(entry)
            continue
        parts = None if som else leading_alternatives(expression, min_alternatives=2, min_literal=0)
        needing = [p for p in parts or () if _needs_byte(p, 0)]
        if not parts or not needing:
            kept.append(entry)
            continue
        rest = tuple(p for p in parts if p not in needing)
        kept.append((rest[0] if len(rest) == 1 else rest, prefilter, som, gid))
        nul.append((needing[0] if len(needing) == 1 else tuple(needing), prefilter, som, gid))
    return kept


def _needs_byte(pattern: bytes, byte: int) -> bool:
    """Whether every match of ``pattern`` holds ``byte`` (a literal in its mandatory sequence,
    or in every branch of a mandatory alternation; False when unsure): ``_needs_run`` of the
    byte alone."""
    return _needs_run(pattern, re.escape(bytes([byte])))


def _hex(expression: bytes | tuple[bytes, ...]) -> str:
    """An expression as the plan keeps it: hex, or its parts' hex apart by commas."""
    if isinstance(expression, bytes):
        return expression.hex()
    return ",".join(part.hex() for part in expression)


def _pattern_shapes(
    detectors: Sequence[Detector],
) -> list[tuple[int, int, str | None, int | None]]:
    """Per detector, from its patterns (cached on disk: parsing every pattern takes a process
    start a fifth of a second): its width; how far before a hit's end its match can start
    (the pattern's width, or for a short prefilter — one that stops a few characters into the
    value — the prefilter's own width plus a bare name's: generic prefilters start at the
    name's last character, key-name patterns at the key word, as their prefilter does); the
    value's run class past its bound (``long_values``), hex-encoded; and how far past the last
    hit to search for a match start (``_open_tail_reach``)."""
    key = (
        "pattern-shapes-3",
        [(d.pattern, d.scan_patterns, d.short_prefilter, d.side, d.run) for d in detectors],
    )

    def compute() -> list[tuple[int, int, str | None, int | None]]:
        out = []
        for d in detectors:
            width = _max_width(d.pattern)
            lookback = (
                min(width, max(map(_max_width, d.scan_patterns)) + (_NAME_WIDTH if d.side else 0))
                if d.short_prefilter
                else width
            )
            cls = d.run if d.run is not None else tail_class(d.pattern)
            out.append(
                (width, lookback, cls.hex() if cls is not None else None, _open_tail_reach(d))
            )
        return out

    return [(w, lb, c, r) for w, lb, c, r in cached_json("redaction-shapes", key, compute)]


def _open_tail_reach(d: Detector) -> int | None:
    """How far past a run's last hit ``_confirm`` searches an open-tailed pattern: the widest
    match of ``d``'s pattern with its final run at its minimum, plus 8, when that is at most
    ``_SEARCH_REACH``; else None (search the whole window).

    (Twelfth speed pass: it was ``_SEARCH_REACH`` for every such pattern. The search only has
    to see, cut short, a match starting at or before the last hit: one starting there, its run
    at its minimum, ends within this width of it, and a cut match is taken again whole from its
    start; starts past the last hit are dropped. The generic token's ``name=value`` form, 67
    bytes so, had 256: a window's search tried about 190 starts more than it could use, a third
    of ``minified_js``'s confirmation time.)"""
    m = _OPEN_TAIL.search(d.pattern)
    if m is None or _max_width(d.pattern) <= _SEARCH_REACH:
        return None
    least = int(m.group(1))
    capped = d.pattern[: m.start()] + b"]{%d,%d})" % (least, least) + d.pattern[m.end(2) :]
    reach = _max_width(capped) + 8
    return reach if reach <= _SEARCH_REACH else None


# At most this many distinct first bytes for the first-byte search (``_first_bytes``): with
# more (a letter class), trying each place from Python costs more than ``finditer``'s own loop.
_FEW_FIRST = 8


def _first_bytes(pattern: bytes) -> bytes | None:
    """The bytes every match of ``pattern`` starts with, when there are at most ``_FEW_FIRST``
    of them; None when unsure (an item that may match nothing first, a category, a negated
    class, a back reference). Zero-width assertions before the first byte are passed over
    (the match at a place checks them)."""
    try:
        parsed = re._parser.parse(pattern)  # type: ignore[attr-defined]
    except re.error:
        return None
    if parsed.state.flags & re.LOCALE:
        return None  # (case folded by the locale: not ``_cased``'s)
    first = _first_set(list(parsed), parsed.state.flags)
    if not first or len(first) > _FEW_FIRST:
        return None
    return bytes(sorted(first))


def _first_set(items: list[Any], flags: int) -> set[int] | None:
    c = re._constants  # type: ignore[attr-defined]
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width
        if op is c.LITERAL:
            return _cased({av}, flags)
        if op is c.IN:
            got: set[int] = set()
            for kind, value in av:
                if kind is c.LITERAL:
                    got.add(value)
                elif kind is c.RANGE and value[1] - value[0] < 256:
                    got.update(range(value[0], value[1] + 1))
                else:
                    return None  # a negated class, a category
            return _cased(got, flags)
        if op is c.SUBPATTERN:
            _, add, remove, sub = av
            if sub.getwidth()[0] == 0:
                return None
            return _first_set(list(sub), (flags | add) & ~remove)
        if op is c.ATOMIC_GROUP:
            if av.getwidth()[0] == 0:
                return None
            return _first_set(list(av), flags)
        if op is c.BRANCH:
            union: set[int] = set()
            for branch in av[1]:
                if branch.getwidth()[0] == 0:
                    return None
                got_branch = _first_set(list(branch), flags)
                if got_branch is None:
                    return None
                union |= got_branch
            return union
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            least, _, sub = av
            if least < 1 or sub.getwidth()[0] == 0:
                return None
            return _first_set(list(sub), flags)
        return None
    return None


def _cased(got: set[int], flags: int) -> set[int]:
    """``got`` with the other case of each ASCII letter, where the pattern ignores case."""
    if not flags & re.IGNORECASE:
        return got
    return got | {b ^ 0x20 for b in got if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A}


_Run = tuple[re.Pattern[bytes], re.Pattern[bytes] | None]
# How many values ``Detector.reject_at`` dismissed (by context beyond a quiet cache key). Another
# thread's count only makes a window go unremembered: the safe side.
_CONTEXT_REJECTS = [0]


def _word_diff_side(value: bytes, reject: Callable[[bytes], bool] | None) -> bytes:
    """The side of git's word diff read as one value (``old-]{+new+}``, from ``token:
    [-changeme-]{+9Zt2…+}``) that the value rules judge: the new one, or the old one when the
    new one is a slot, a fake or code (a key removed). The span masks both (eighteenth pass)."""
    if b"-]{+" not in value:
        return value
    old, _, new = value.partition(b"-]{+")
    new = new.removesuffix(b"+}")
    if (reject is not None and reject(new)) or not_a_literal_secret(new):
        return old
    return new


def _span_of(det: Detector, m: re.Match[bytes], run: _Run | None, open_end: bool) -> Span | None:
    groups = m.re.groupindex
    if "s" in groups and m.group("s") is not None:
        start, end = m.span("s")
    else:
        start, end = m.span()
    text = m.string
    # Whitespace around a value (<secret>\nvalue</secret>) is layout, not secret: a span that
    # swallowed a newline would reach into a line a stream has already released.
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    if end <= start:
        return None
    value = text[start:end]
    if det.reject_pair is not None and "g" in groups:
        # First: the name and shape checks dismiss most generic hits, and are cached or cheap.
        # Set apart from its name by a blank, a parenthesis or a comma (acme: 3f2b…,
        # Client("3f2b…"), ('acme', '3f2b…'); not sha256:3f2b…, request_id=3f2b…, uid="3f2b…").
        name_end = m.end("g") if m.start("g") >= 0 else m.start()
        spaced = any(c in _APART for c in text[name_end:start])
        gs = m.start("g")
        if gs > 0 and text[gs - 1] == 0x3A and in_arn(text, gs):
            return None  # an ARN's resource type and name (twelfth pass)
        if _memo(det.reject_pair)(m.group("g") or b"", bytes(value), spaced):
            return None
        if (
            gs >= 0
            and text[gs : m.end("g")].lower() == b"value"
            and _ID_OR_DIGEST.fullmatch(value) is not None
            and _entry_named_above(text, gs) is False
        ):
            # ``- name: GIT_COMMIT`` over ``value: <40 hex>``, ``{"name": "integrity", "value":
            # "sha512-…"}``: the entry's name on the line above says what the value is; a hex id
            # or a digest under a name that names no secret is no credential (thirteenth pass).
            # (Decided by the line above: the window must not be remembered as quiet.)
            _CONTEXT_REJECTS[0] += 1
            return None
    if det.reject_at is not None and det.reject_at(text, start, end):
        # Decided by lines the quiet cache's key does not hold (a table's header far up):
        # that window must not be remembered as quiet (see ``_confirm``).
        _CONTEXT_REJECTS[0] += 1
        return None
    # Where a value's line context starts: its key name when the pattern has one.
    anchor = start
    if "k" in groups and m.group("k") is not None:
        ks, ke = m.span("k")
        name = key_name_at(m.string, ks, ke)
        if not _is_key_name(name):
            return None
        name_start = anchor = ke - len(name)
        before = m.string[name_start - 1] if name_start > 0 else -1
        if name.lower() in (b"key", b"keys") and _PUBLIC_BEFORE.search(
            m.string, max(0, name_start - 8), name_start
        ):
            return None  # ``public key: <base64>`` (``wg show``): published (twenty-fourth pass)
        if before == 0x3A and in_arn(m.string, name_start):
            return None
        if not _bare_name_ok(name, bytes(m.string[ke:start]), before, bytes(value)):
            return None
        # token=token, self.auth = auth: passing a variable along (a quoted value is a literal).
        quoted = start > 0 and text[start - 1] in _QUOTES
        # key = f"{section}.{name}": an f-string of interpolations is code, not a literal
        # (f"hunter2{n}" still holds one).
        if (
            quoted
            and text[start - 2 : start - 1] in (b"f", b"F")
            and b"{" in value
            and len(_ALNUM.findall(_FIELD.sub(b"", value))) < 4
        ):
            return None
        if not quoted and value.lower().startswith(name.rsplit(b".", 1)[-1].lower()):
            return None
        if name.lower() in _COOKIE_NAMES and plain_cookie_pair(bytes(value)):
            return None  # ``Cookie: theme=dark; …``: a preference, not a session (thirteenth pass)
        if name.lower() in _COOKIE_NAMES and _cookie_slot(text, bytes(value), end):
            return None  # ``set-cookie: __Host-session=<redacted>``: only the name is shown
    if value[:1] == b"(" and _OPEN_NOTE.fullmatch(value) and _NOTE_REST.match(text, end):
        # ``--token (sensitive value)``: a note in lower-case words cut at its first blank
        # (the whole note is a slot, ``placeholders._TEMPLATE``), not a secret (ctxover).
        return None
    judged = _word_diff_side(bytes(value), det.reject)
    if det.reject is not None and _memo(det.reject)(judged):
        return None
    if det.name in GENERIC and text[end : end + 1] == b"(" and _code_ref(value):
        # password=EnvVar("DB_PASSWORD"), secret = getattr(…): a call, not a literal.
        return None
    if det.family != "private-key":
        # Context detectors mask literals whatever they look like, never templates, code or
        # fillers; a provider format is masked even when filled with x (it costs nothing).
        if det.name in GENERIC and _not_a_literal_secret(judged):
            return None
        if det.name in _NAMED_VALUE_DETECTORS and (
            _names_instead_of_value(judged) or _code_after(text, anchor, end, value)
        ):
            return None
    # A value cut at its pattern's bound goes on to its end (judged above as matched: the
    # bounded value is what the rules judge, in one pass and in a stream alike).
    stop = end
    if run is not None:
        # From the value's end as matched (before trailing blanks were trimmed); a pattern that
        # consumed a terminator after it (</, @host) was not cut at its bound.
        raw_end = m.end("s") if "s" in groups and m.group("s") is not None else m.end()
        extended = extend(text, raw_end, *run, terminated=m.end() > raw_end, open_end=open_end)
        if extended is None:
            return None
        stop = max(end, extended)
    if stop > end:
        while text[stop - 1] in _SPACE:
            stop -= 1
        return Span(start, stop, det.name, bytes(text[start:stop]), run[0] if run else None)
    return Span(start, end, det.name, bytes(value), run[0] if run else None)


_COOKIE_NAMES = frozenset({b"cookie", b"set-cookie", b"cookies"})
_PUBLIC_BEFORE = lazy_compile(rb"(?i)(?<![A-Za-z0-9])(?:public|pub)[ \t]\Z")
# A parenthesised note cut at its first blank (``(sensitive`` of ``(sensitive value)``) and the
# rest of it: lower-case words and the closing parenthesis.
_OPEN_NOTE = lazy_compile(rb"\([a-z][a-z\-]{1,30}")
_NOTE_REST = lazy_compile(rb"(?: [a-z][a-z\-]{0,30}){1,4}\)")
# A cookie's name (``__Host-``/``__Secure-`` prefixes are part of it) and its ``=``.
_COOKIE_NAME_EQ = lazy_compile(rb"[A-Za-z0-9_.\-!#$%&'*+^|~]{1,80}=")
_COOKIE_VALUE_END = lazy_compile(rb"[^;\s]*")


def _cookie_slot(text: Any, value: bytes, end: int) -> bool:
    """``set-cookie: NAME=<slot>`` or ``NAME=`` (a deletion): the key-name rules read the pair as
    the header's value; the pair's own value, read on to ``;`` or a blank, is no secret."""
    m = _COOKIE_NAME_EQ.match(value)
    if m is None:
        return False
    more = _COOKIE_VALUE_END.match(text, end)
    rest = value[m.end() :] + bytes(more.group()) if more is not None else b""
    if _OPEN_NOTE.fullmatch(rest) and more is not None and _NOTE_REST.match(text, more.end()):
        return True  # ``remember_token=(not shown)``
    return not rest or is_slot(rest)


# Ids and digests: hex (dashes allowed, a UUID), or a digest with its algorithm (``sha256:…``,
# lockfiles' ``sha512-<base64>``).
_ID_OR_DIGEST = lazy_compile(
    rb"[0-9a-fA-F\-]{16,128}|(?i:sha(?:1|224|256|384|512)|md5|blake2b?)[:\-][A-Za-z0-9+/=_\-]{16,128}"
)
# The entry's name on the line above a ``value`` (k8s ``- name: X``, JSON ``"name": "X",``,
# ``Name = X``).
_NAME_ENTRY = lazy_compile(
    rb"[ \t]*(?:- )?[\"']?(?i:name|key)[\"']?[ \t]{0,4}[:=][ \t]{0,4}[\"']?([A-Za-z0-9_.\-]{1,80})[\"']?,?[ \t]*\r?"
)


def _entry_named_above(text: bytes, at: int) -> bool | None:
    """Whether the ``name`` entry on the line above position ``at`` names a secret (None: the
    line above is no such entry)."""
    line_start = text.rfind(b"\n", 0, at) + 1
    if line_start == 0:
        return None
    prev_start = text.rfind(b"\n", 0, line_start - 1) + 1
    m = _NAME_ENTRY.fullmatch(text, prev_start, line_start - 1)
    if m is None:
        return None
    return tables_module.secret_column(m.group(1))[0]


_EXPRESSION_AFTER = lazy_compile(rb"\(|[ \t]{1,2}(?:[!=]==?(?!=)|\?[ \t])")


def _code_after(text: bytes, anchor: int, end: int, value: bytes) -> bool:
    """The value is code, by what follows it on its line.

    ``cls(credentials=creds, …)``, ``BasicAuth(password=auth[1])``: a variable passed by keyword
    inside a call (a log line's ``password=hunter2, user=alice`` has no open parenthesis before
    the name); ``password: OAuthFlowPassword | None = None``: an annotated type.
    """
    after = text[end : end + 4]
    # token = atToken !== null, key = isKey(key) ? …: a name in an expression (a comparison,
    # a ternary, a call), not a literal handed over.
    if _EXPRESSION_AFTER.match(text, end) and _code_ref(value):
        return True
    if after[:1] in (b",", b")") and _code_ref(value):
        line_start = text.rfind(b"\n", 0, anchor) + 1
        return text.rfind(b"(", line_start, anchor) > text.rfind(b")", line_start, anchor)
    return after[:3] in (b" | ", b" = ") and word_model.kind(value) is word_model.Kind.CODE_NAME


def _outside_placeholders(data: bytes, spans: list[Span]) -> list[Span]:
    """Existing placeholders are never re-redacted: redaction stays idempotent."""
    holes = [m.span() for m in _PLACEHOLDER.finditer(data)]
    if not holes:
        return spans
    out: list[Span] = []
    for s in spans:
        pieces = [(s.start, s.end)]
        for hs, he in holes:
            nxt: list[tuple[int, int]] = []
            for a, b in pieces:
                if he <= a or hs >= b:
                    nxt.append((a, b))
                    continue
                if a < hs:
                    nxt.append((a, hs))
                if he < b:
                    nxt.append((he, b))
            pieces = nxt
        for a, b in pieces:
            if data[a:b].strip():
                out.append(Span(a, b, s.detector, s.value if (a, b) == (s.start, s.end) else b""))
    return out
