"""A plan written in markdown ⇄ the plan file (``plan.yaml``) and its bindings skeleton.

`import_plan_markdown` reads a plan in the shape of the NAVI hardening plan (title, a few
``Label: value`` lines, numbered sections, ``Workstream N: Title (P0)`` headings with Owner,
Dates, Scope and Exit criteria, weekly milestones, the go/no-go gate, the decision tree,
onboarding guardrails, the tracking template) and keeps every sentence of it verbatim. It is
forgiving about the markdown (heading levels, ``1)`` / ``1.`` / no numbering, ``-`` / ``*`` /
``+`` bullets, CRLF, bold labels, wrapped lines) and strict about the content: anything it
cannot place raises `PlanImportError` with the line, so nothing is silently dropped. Sections it
does not know are kept as text, in place.

`render_plan_markdown` writes a plan file back in the canonical shape; for the shipped plan it
reproduces the seed byte for byte, which is how the tests prove that no string was altered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markdown_it import MarkdownIt

from assets.readiness.plan import field_key
from assets.readiness.plan_dates import (
    DateTextError,
    parse_date,
    parse_date_range,
    parse_date_range_within,
)

PLAN_SCHEMA_VERSION = 2
BINDINGS_SCHEMA_VERSION = 1
MAX_PLAN_BYTES = 1_000_000

# Canonical labels, as the renderer writes them; the importer also accepts the synonyms.
_PREAMBLE_LABELS = {
    "date window": "date_window", "dates": "date_window", "window": "date_window",
    "timeline": "date_window", "status": "status", "primary outcome": "primary_outcome",
    "outcome": "primary_outcome", "goal": "primary_outcome", "owner": "owner",
}  # fmt: skip
_WS_LABELS = {
    "owner": "owner", "owners": "owner", "dates": "dates", "date": "dates", "timeline": "dates",
    "scope": "scope", "exit criteria": "exit_criteria", "exit criterion": "exit_criteria",
    "done when": "exit_criteria", "priority": "priority",
}  # fmt: skip
_REALITY_LABELS = {"current maturity": "maturity", "maturity": "maturity"}
_STRATEGY_LABELS = {
    "recommended path": "recommended_path", "recommendation": "recommended_path",
    "decision": "recommended_path", "execution policy": "execution_policy",
}  # fmt: skip
_GATE_LABELS = {"date": "date", "decision date": "date", "gate date": "date"}

_LABEL = re.compile(
    r"^(?:\*\*|__)?(?P<label>[A-Za-z][A-Za-z /-]{0,40}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<value>.*)$"
)
_SECTION_NUMBER = re.compile(r"^(?:\d+|[IVXLC]+|[A-Za-z])\s*[.)]\s+|^§\s*\d+\s*[.)]?\s*")
_PAREN_SUFFIX = re.compile(r"^(?P<head>.*?)\s*\((?P<paren>[^()]*)\)\s*:?\s*$")
_WORKSTREAM = re.compile(
    r"^workstream\s+(?P<n>[0-9A-Za-z]+)\s*[:.\-–—]\s*(?P<title>.+?)"
    r"(?:\s*\((?P<p>P[0-9])\))?\s*$",
    re.IGNORECASE,
)
_WEEK = re.compile(
    r"^(?P<title>week\s+(?P<n>[0-9A-Za-z]+))\s*(?:\((?P<dates>[^()]*)\))?\s*:?\s*$", re.I
)
_RULE = re.compile(r"^if\s+(?P<if>yes|no)\s*[:,—–-]\s*(?P<then>.+)$", re.IGNORECASE)
_AS_OF = re.compile(r"^as\s+of\s+(?P<date>.+)$", re.IGNORECASE)
_SLUG = re.compile(r"[^a-z0-9]+")

# Section keys in canonical order, and how a heading is recognised (first match wins).
SECTION_KEYS = (
    "mission_alignment", "current_reality", "strategy", "workstreams", "cadence", "gate",
    "decision_tree", "onboarding", "tracking",
)  # fmt: skip
_SECTION_MATCHERS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("decision_tree", lambda t: "decision tree" in t or "decision rule" in t),
    ("mission_alignment", lambda t: "mission" in t),
    ("current_reality", lambda t: "current reality" in t or "current state" in t),
    ("strategy", lambda t: "strategy" in t),
    ("gate", lambda t: bool(re.search(r"go\s*/\s*no[\s-]*go|go-no-go|\bgate\b", t))),
    ("workstreams", lambda t: t.startswith("workstreams")),
    ("cadence", lambda t: "cadence" in t or "milestones" in t or t.startswith("weekly")),
    ("onboarding", lambda t: "onboarding" in t or "guardrail" in t),
    ("tracking", lambda t: "tracking" in t),
)


class PlanImportError(ValueError):
    """What the importer could not read, and where (1-based line of the markdown)."""

    def __init__(self, line: int | None, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}" if line else reason)


@dataclass
class _Block:
    kind: str  # heading | para | item | raw
    text: str
    line: int
    level: int = 0  # heading level, or list depth for items
    ordered: bool = False


@dataclass
class _Section:
    key: str  # one of SECTION_KEYS, or "extra"
    heading: str | None
    paren: str | None
    line: int
    end_line: int = 0  # last source line of the section (1-based, inclusive)
    blocks: list[_Block] = field(default_factory=list)


@dataclass(frozen=True)
class ImportedPlan:
    plan: dict[str, Any]
    bindings: dict[str, Any]


# ---------------------------------------------------------------------------------------
# Markdown → blocks


def _normalise(text: str) -> str:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PLAN_BYTES:
        raise PlanImportError(None, f"plan is larger than {MAX_PLAN_BYTES} bytes")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise PlanImportError(line, "NUL byte in the plan")
    return text


def _blocks(text: str) -> list[_Block]:
    """Headings, paragraphs and list items in document order (quotes and rules are transparent)."""
    tokens = MarkdownIt("commonmark").parse(text)
    out: list[_Block] = []
    lists: list[bool] = []  # ordered?, per open list
    items: list[_Block | None] = []  # the block of each open list item once its text is seen
    i = 0
    while i < len(tokens):
        t = tokens[i]
        line = t.map[0] + 1 if t.map else 0
        if t.type == "heading_open":
            out.append(_Block("heading", tokens[i + 1].content.strip(), line, int(t.tag[1:])))
            i += 3
            continue
        if t.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(t.type == "ordered_list_open")
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t.type == "list_item_open":
            items.append(None)
        elif t.type == "list_item_close":
            items.pop()
        elif t.type == "paragraph_open":
            content = tokens[i + 1].content
            if items and items[-1] is None:
                block = _Block("item", " ".join(content.split("\n")).strip(), line,
                               len(lists) - 1, lists[-1])  # fmt: skip
                items[-1] = block
                out.append(block)
            elif items and items[-1] is not None:
                items[-1].text += " " + " ".join(content.split("\n")).strip()
            else:
                out.append(_Block("para", content.strip(), line))
            i += 3
            continue
        elif t.type in ("fence", "code_block", "html_block"):
            out.append(_Block("raw", t.content, line))
        i += 1
    return out


# Labels whose value is the text itself (the others introduce a list).
_LIST_LABELS = {"scope", "exit_criteria", "execution_policy"}


def _label(line: str, known: dict[str, str], line_no: int = 0) -> tuple[str, str] | None:
    m = _LABEL.match(line.strip())
    if not m:
        return None
    key = known.get(" ".join(m.group("label").lower().split()))
    if not key:
        return None
    value = m.group("value").strip().removesuffix("**").removesuffix("__").strip()
    if not value and key not in _LIST_LABELS and line_no:
        raise PlanImportError(line_no, f"'{m.group('label').strip()}:' has no value")
    return key, value


def _para_lines(block: _Block) -> list[str]:
    return [ln.strip() for ln in block.text.split("\n") if ln.strip()]


def _classify(text: str) -> tuple[str, str, str | None]:
    """(section key or 'extra', heading without numbering/parenthesis, parenthesis text)."""
    bare = _SECTION_NUMBER.sub("", text.strip(), count=1).strip()
    m = _PAREN_SUFFIX.match(bare)
    head, paren = (m.group("head").strip(), m.group("paren").strip()) if m else (bare, None)
    head = head.rstrip(":").strip()
    low = head.lower()
    for key, matches in _SECTION_MATCHERS:
        if matches(low):
            return key, head, paren
    return "extra", head, paren


def _sections(
    blocks: list[_Block], lines: list[str]
) -> tuple[_Block, list[_Block], list[_Section]]:
    """Split the document into its title, the preamble under it and its sections."""
    if not blocks or blocks[0].kind != "heading":
        first = blocks[0].line if blocks else None
        raise PlanImportError(first, "a plan starts with its title as a heading ('# Plan title')")
    title, preamble = blocks[0], []
    if not title.text:
        raise PlanImportError(title.line, "the title heading has no text")
    sections: list[_Section] = []
    seen: dict[str, int] = {}
    current: _Section | None = None

    def open_section(key: str, heading: str | None, paren: str | None, line: int) -> _Section:
        if key != "extra" and key in seen:
            raise PlanImportError(
                line, f"second {key.replace('_', ' ')} section (first at line {seen[key]})"
            )
        if key != "extra":
            seen[key] = line
        s = _Section(key, heading, paren, line)
        sections.append(s)
        return s

    for b in blocks[1:]:
        if b.kind == "heading":
            ws = _WORKSTREAM.match(b.text)
            if ws:
                if current is None or current.key != "workstreams":
                    current = next(
                        (s for s in sections if s.key == "workstreams"), None
                    ) or open_section("workstreams", None, None, b.line)
                current.blocks.append(b)
                continue
            as_label = b.text if ":" in b.text else b.text + ":"
            if (
                current is not None
                and current.key == "workstreams"
                and _label(as_label, _WS_LABELS)
            ):
                # "### Scope" under a workstream is the "Scope:" label written as a heading.
                current.blocks.append(_Block("para", as_label, b.line))
                continue
            if current is not None and current.key == "cadence" and _WEEK.match(b.text):
                current.blocks.append(_Block("para", b.text, b.line))
                continue
            key, head, paren = _classify(b.text)
            if not head:
                raise PlanImportError(b.line, "a heading with no text")
            current = open_section(key, head, paren, b.line)
        elif current is None:
            preamble.append(b)
        else:
            current.blocks.append(b)
    for i, s in enumerate(sections):
        s.end_line = sections[i + 1].line - 1 if i + 1 < len(sections) else len(lines)
    return title, preamble, sections


# ---------------------------------------------------------------------------------------
# Blocks → plan data


def _lead_and_items(
    blocks: list[_Block], where: str
) -> Iterator[tuple[str | None, list[str], int]]:
    """(lead paragraph or None, the list items under it, line) for each group in a section."""
    lead: str | None = None
    items: list[str] = []
    line = 0
    started = False
    for b in blocks:
        if b.kind == "raw":
            raise PlanImportError(b.line, f"{where}: code or HTML cannot be read here")
        if b.kind == "heading":
            raise PlanImportError(b.line, f"{where}: unexpected heading {b.text!r}")
        if b.kind == "para":
            if started:
                yield lead, items, line
            lead, items, line, started = " ".join(_para_lines(b)), [], b.line, True
        else:
            if not started:
                lead, items, line, started = None, [], b.line, True
            items.append(b.text)
    if started:
        yield lead, items, line


def _date_range(
    text: str, line: int, what: str, window: tuple[date, date] | None = None
) -> dict[str, Any]:
    try:
        start, end = parse_date_range_within(text, window) if window else parse_date_range(text)
    except DateTextError as exc:
        raise PlanImportError(line, f"{what}: {exc}") from None
    return {"text": text, "start": start.isoformat(), "end": end.isoformat()}


def _one_date(text: str, line: int, what: str, year: int) -> dict[str, Any]:
    try:
        return {"text": text, "date": parse_date(text, default_year=year).isoformat()}
    except DateTextError as exc:
        raise PlanImportError(line, f"{what}: {exc}") from None


def _preamble(
    title: _Block, blocks: list[_Block], plan_id: str | None, version: str | None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": plan_id or _SLUG.sub("-", title.text.lower()).strip("-")[:64] or "plan",
        "version": version or "1",
        "title": title.text,
    }
    notes: list[str] = []
    window: tuple[str, int] | None = None
    for b in blocks:
        if b.kind != "para":
            raise PlanImportError(
                b.line, "only 'Label: value' lines and paragraphs may sit under the title"
            )
        last: str | None = None  # the label a wrapped line continues
        for offset, ln in enumerate(_para_lines(b)):
            hit = _label(ln, _PREAMBLE_LABELS, b.line + offset)
            if hit is None:
                if last is None:
                    notes.append(ln)
                elif last == "date_window" and window is not None:
                    window = (f"{window[0]} {ln}", window[1])
                else:
                    out[last] = f"{out[last]} {ln}"
                continue
            key, value = hit
            if key in out or (key == "date_window" and window is not None):
                raise PlanImportError(b.line + offset, f"second {key.replace('_', ' ')} line")
            if key == "date_window":
                window = (value, b.line + offset)
            else:
                out[key] = value
            last = key
    if window is not None:
        out["date_window"] = _date_range(window[0], window[1], "date window")
        out = {
            k: out[k]
            for k in ("id", "version", "title", "date_window", "status", "primary_outcome", "owner")
            if k in out
        }
    if "date_window" not in out:
        raise PlanImportError(title.line, "no 'Date window: <start> to <end>' line under the title")
    if notes:
        out["notes"] = notes
    return out


def _mission(s: _Section) -> dict[str, Any]:
    blocks = []
    for lead, items, _ in _lead_and_items(s.blocks, s.heading or "mission"):
        block: dict[str, Any] = {}
        if lead is not None:
            block["lead"] = lead
        if items:
            block["items"] = items
        blocks.append(block)
    return {"blocks": blocks}


def _labelled_groups(
    s: _Section, labels: dict[str, str], year: int
) -> tuple[dict[str, Any], list[tuple[str | None, list[str], int]]]:
    """Label lines of a section's paragraphs, and the (lead, items) groups that are not labels."""
    values: dict[str, Any] = {}
    rest: list[tuple[str | None, list[str], int]] = []
    for lead, items, line in _lead_and_items(s.blocks, s.heading or s.key):
        hit = _label(lead, labels, line) if lead is not None else None
        if hit is None:
            rest.append((lead, items, line))
            continue
        key, value = hit
        if key in values:
            raise PlanImportError(line, f"second {key.replace('_', ' ')} line")
        values[key] = (value, items, line)
    return values, rest


def _current_reality(s: _Section, year: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    as_of = _AS_OF.match(s.paren or "")
    if as_of:
        out["as_of"] = _one_date(as_of.group("date"), s.line, "as-of date", year)
    values, rest = _labelled_groups(s, _REALITY_LABELS, year)
    if "maturity" in values:
        value, items, line = values["maturity"]
        if items:
            raise PlanImportError(line, "the maturity line takes no list")
        out["maturity"] = value
    notes = []
    for lead, items, _line in rest:
        low = (lead or "").lower()
        key = "strong" if "strong" in low else "blocks_ga" if "block" in low else None
        group = {"lead": lead, "items": items} if lead is not None else {"items": items}
        if key and key not in out:
            out[key] = group
        else:
            notes.append(group)
    if notes:
        out["notes"] = notes
    return out


def _strategy(s: _Section, year: int) -> dict[str, Any]:
    values, rest = _labelled_groups(s, _STRATEGY_LABELS, year)
    out: dict[str, Any] = {}
    if "recommended_path" in values:
        value, items, line = values["recommended_path"]
        if items:
            raise PlanImportError(line, "the recommended path takes no list")
        out["recommended_path"] = value
    if "execution_policy" in values:
        value, items, line = values["execution_policy"]
        if value:
            raise PlanImportError(
                line, "write the execution policy as a list under 'Execution policy:'"
            )
        out["execution_policy"] = items
    if rest:
        out["notes"] = [{"lead": lead, "items": items} if lead is not None else {"items": items}
                        for lead, items, _ in rest]  # fmt: skip
    return out


def _workstreams(s: _Section) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    heading_line = 0
    target: str | None = None  # the list label items currently go to
    ids: dict[str, int] = {}

    def finish() -> None:
        if current is None:
            return
        name = f"Workstream {current['id'][2:]}"
        for key, what in (("owner", "'Owner:' line"), ("dates", "'Dates:' line"),
                          ("priority", "priority ('(P0)' after its title, or a 'Priority: P0' line)")):  # fmt: skip
            if key not in current:
                raise PlanImportError(heading_line, f"{name} has no {what}")
        if not current["exit_criteria"]:
            raise PlanImportError(heading_line, f"{name} has no exit criteria")
        wid = current["id"]
        current["scope"] = [
            {"id": f"{wid}.S{i}", "text": t} for i, t in enumerate(current["scope"], 1)
        ]
        current["exit_criteria"] = [
            {"id": f"{wid}.{i}", "text": t} for i, t in enumerate(current["exit_criteria"], 1)
        ]
        out.append(
            {
                k: current[k]
                for k in ("id", "title", "priority", "owner", "dates", "scope", "exit_criteria")
            }
        )

    for b in s.blocks:
        if b.kind == "heading":
            m = _WORKSTREAM.match(b.text)
            if not m:
                raise PlanImportError(
                    b.line, f"expected a 'Workstream N: Title (P0)' heading, got {b.text!r}"
                )
            finish()
            wid = "WS" + m.group("n")
            if wid in ids:
                raise PlanImportError(
                    b.line, f"second workstream {m.group('n')} (first at line {ids[wid]})"
                )
            ids[wid] = b.line
            current, heading_line, target = (
                {"id": wid, "title": m.group("title").strip(), "scope": [], "exit_criteria": []},
                b.line,
                None,
            )
            if m.group("p"):
                current["priority"] = m.group("p").upper()
            continue
        if current is None:
            raise PlanImportError(
                b.line, "text before the first 'Workstream N: Title (P0)' heading"
            )
        if b.kind == "raw":
            raise PlanImportError(b.line, "code or HTML cannot be read inside a workstream")
        if b.kind == "item":
            if target is None:
                raise PlanImportError(
                    b.line, "a list item under no 'Scope:' or 'Exit criteria:' label"
                )
            current[target].append(b.text)
            continue
        last: str | None = None  # a wrapped Owner: line continues on the next line
        for offset, ln in enumerate(_para_lines(b)):
            hit = _label(ln, _WS_LABELS, b.line + offset)
            if hit is None and last == "owner":
                current["owner"] = f"{current['owner']} {ln}"
                continue
            if hit is None:
                raise PlanImportError(
                    b.line + offset, f"cannot place {ln!r} in workstream {current['id'][2:]} "
                    "(expected Owner:, Dates:, Scope: or Exit criteria:)",
                )  # fmt: skip
            key, value = hit
            last = key
            if key in current and key not in ("scope", "exit_criteria"):
                raise PlanImportError(
                    b.line + offset, f"second {key} line in workstream {current['id'][2:]}"
                )
            if key in ("scope", "exit_criteria"):
                if value:
                    raise PlanImportError(
                        b.line + offset, f"write {key.replace('_', ' ')} as a list under the label"
                    )
                target = key
            elif key == "dates":
                current["dates"] = _date_range(
                    value, b.line + offset, f"workstream {current['id'][2:]} dates"
                )
            elif key == "priority":
                if not re.fullmatch(r"P[0-9]", value.upper()):
                    raise PlanImportError(b.line + offset, f"priority {value!r} is not P0, P1, …")
                current["priority"] = value.upper()
            else:
                current[key] = value
    finish()
    return out


def _cadence(s: _Section, window: tuple[date, date]) -> list[dict[str, Any]]:
    weeks: list[dict[str, Any]] = []
    for lead, items, line in _lead_and_items(s.blocks, s.heading or "cadence"):
        m = _WEEK.match(lead or "")
        if not m:
            raise PlanImportError(
                line, "expected 'Week N (<start> to <end>):' followed by its milestones"
            )
        wid = "WEEK" + m.group("n")
        if any(w["id"] == wid for w in weeks):
            raise PlanImportError(line, f"second {m.group('title')}")
        if not m.group("dates"):
            raise PlanImportError(line, f"{m.group('title')} has no dates in parentheses")
        week = {
            "id": wid,
            "title": m.group("title"),
            "dates": _date_range(m.group("dates").strip(), line, m.group("title"), window),
            "milestones": [{"id": f"{wid}.{i}", "text": t} for i, t in enumerate(items, 1)],
        }
        weeks.append(week)
    return weeks


def _gate(s: _Section, year: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if s.paren:
        out["date"] = _one_date(s.paren, s.line, "gate date", year)
    groups = []
    for lead, items, line in _lead_and_items(s.blocks, s.heading or "gate"):
        hit = _label(lead, _GATE_LABELS, line) if lead else None
        if hit:
            if items or "date" in out:
                raise PlanImportError(line, "the gate date is given twice")
            out["date"] = _one_date(hit[1], line, "gate date", year)
            continue
        groups.append((lead, items, line))
    if not groups or not groups[0][1]:
        raise PlanImportError(s.line, "the gate lists no conditions")
    lead, items, line = groups[0]
    if lead is not None:
        out["lead"] = lead
    out["conditions"] = [{"id": f"GATE.{i}", "text": t} for i, t in enumerate(items, 1)]
    if len(groups) > 1:
        lead, items, line = groups[1]
        out["consequences"] = (
            {"lead": lead, "items": items} if lead is not None else {"items": items}
        )
    if len(groups) > 2:
        raise PlanImportError(
            groups[2][2], "the gate has conditions and consequences; cannot place this"
        )
    return out


def _decision_tree(s: _Section) -> dict[str, Any]:
    out: dict[str, Any] = {"questions": []}
    questions: list[dict[str, Any]] = out["questions"]
    for b in s.blocks:
        if b.kind in ("raw", "heading"):
            raise PlanImportError(b.line, "cannot read this inside the decision tree")
        if b.kind == "para":
            if not questions and "lead" not in out:
                out["lead"] = " ".join(_para_lines(b))
            elif questions and "closing" not in out:
                out["closing"] = " ".join(_para_lines(b))
            else:
                raise PlanImportError(b.line, "cannot place this paragraph in the decision tree")
            continue
        rule = _RULE.match(b.text)
        if rule:
            if not questions or "rule" in questions[-1]:
                raise PlanImportError(b.line, "an 'If …:' rule that follows no question")
            questions[-1]["rule"] = {"if": rule.group("if"), "then": rule.group("then").strip()}
            continue
        if "closing" in out:
            raise PlanImportError(b.line, "a question after the closing rule")
        questions.append({"id": f"TREE.{len(questions) + 1}", "question": b.text, "line": b.line})
    for q in questions:
        if "rule" not in q:
            raise PlanImportError(
                q["line"], "a question without its 'If yes: …' or 'If no: …' rule"
            )
        del q["line"]
    if not questions:
        raise PlanImportError(s.line, "the decision tree has no questions")
    return {k: out[k] for k in ("lead", "questions", "closing") if k in out}


def _lead_list(s: _Section, key: str, id_prefix: str) -> dict[str, Any]:
    groups = list(_lead_and_items(s.blocks, s.heading or key))
    if len(groups) != 1 or not groups[0][1]:
        line = groups[1][2] if len(groups) > 1 else s.line
        raise PlanImportError(
            line, f"{s.heading or key}: expected one list (with an optional lead line)"
        )
    lead, items, _ = groups[0]
    out: dict[str, Any] = {"lead": lead} if lead is not None else {}
    out[key] = [{"id": f"{id_prefix}.{i}", "text": t} for i, t in enumerate(items, 1)]
    return out


def import_plan_markdown(
    text: str, *, plan_id: str | None = None, version: str | None = None
) -> ImportedPlan:
    """Read a markdown plan; returns the plan file data and a bindings skeleton."""
    text = _normalise(text)
    lines = text.split("\n")
    title, preamble, sections = _sections(_blocks(text), lines)
    plan: dict[str, Any] = {"schema_version": PLAN_SCHEMA_VERSION}
    plan["plan"] = _preamble(title, preamble, plan_id, version)
    window = (date.fromisoformat(plan["plan"]["date_window"]["start"]),
              date.fromisoformat(plan["plan"]["date_window"]["end"]))  # fmt: skip
    year = window[0].year
    plan["sections"] = []
    for s in sections:
        entry: dict[str, Any] = {"key": s.key, "heading": s.heading}
        if s.key == "extra":
            body = "\n".join(lines[s.line : s.end_line]).strip("\n")
            entry["heading"] = " ".join(
                filter(None, [s.heading, f"({s.paren})" if s.paren else None])
            )
            if body:
                entry["text"] = body
        plan["sections"].append(entry)
    by_key = {s.key: s for s in sections if s.key != "extra"}
    if "workstreams" not in by_key:
        raise PlanImportError(None, "no 'Workstream N: Title (P0)' heading found")
    if "gate" not in by_key:
        raise PlanImportError(None, "no go/no-go gate section found")
    readers: dict[str, Callable[[_Section], Any]] = {
        "mission_alignment": _mission,
        "current_reality": lambda s: _current_reality(s, year),
        "strategy": lambda s: _strategy(s, year),
        "workstreams": _workstreams,
        "cadence": lambda s: _cadence(s, window),
        "gate": lambda s: _gate(s, year),
        "decision_tree": _decision_tree,
        "onboarding": lambda s: _lead_list(s, "guardrails", "ONBOARD"),
        "tracking": lambda s: _lead_list(s, "fields", "TRACK"),
    }
    for key in SECTION_KEYS:
        if key in by_key:
            plan[key] = readers[key](by_key[key])
    return ImportedPlan(plan, bindings_skeleton(plan))


def bindings_skeleton(plan: dict[str, Any]) -> dict[str, Any]:
    """Every item id of the plan, bound to nothing: each evaluates to unknown until bound."""

    def unbound() -> dict[str, Any]:
        return {"evaluation": {"type": "unbound"}}

    b: dict[str, Any] = {}
    for ws in plan["workstreams"]:
        for s in ws["scope"]:
            b[s["id"]] = {}
        for c in ws["exit_criteria"]:
            b[c["id"]] = unbound()
    for c in plan["gate"]["conditions"]:
        b[c["id"]] = unbound()
    for w in plan.get("cadence", []):
        for m in w["milestones"]:
            b[m["id"]] = {}
    for q in plan.get("decision_tree", {}).get("questions", []):
        b[q["id"]] = {"criteria": []}
    for g in plan.get("onboarding", {}).get("guardrails", []):
        b[g["id"]] = {}
    fields = plan.get("tracking", {}).get("fields", [])
    keys: set[str] = set()
    for f in fields:
        key = base = field_key(f["text"]) or "field"
        n = 1
        while key in keys:  # two fields worded alike still fill two different entry fields
            n += 1
            key = f"{base}_{n}"
        keys.add(key)
        b[f["id"]] = {"field": key}
        if "progress" in f["text"].lower():
            b[f["id"]]["source"] = "verdicts"
    return {"schema_version": BINDINGS_SCHEMA_VERSION, "plan": plan["plan"]["id"], "bindings": b}


# ---------------------------------------------------------------------------------------
# Plan data → markdown (canonical shape)


def _group_md(group: dict[str, Any]) -> list[str]:
    out = [group["lead"]] if group.get("lead") is not None else []
    return out + [f"- {i}" for i in group.get("items", [])]


def dump_yaml(data: dict[str, Any], header: str = "") -> str:
    """YAML as gonogo writes plan files: keys in plan order, one string per line."""
    import yaml

    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    return "".join(f"# {ln}\n".replace("# \n", "#\n") for ln in header.splitlines()) + body


def render_plan_markdown(plan: dict[str, Any]) -> str:
    """The plan file as markdown in the canonical shape (the shape of the shipped seed)."""
    p = plan["plan"]
    out = [f"# {p['title']}", ""]
    head = [f"Date window: {p['date_window']['text']}"]
    head += [f"{label}: {p[k]}" for k, label in (("status", "Status"), ("primary_outcome", "Primary outcome"), ("owner", "Owner")) if k in p]  # fmt: skip
    out += head + [""]
    for note in p.get("notes", []):
        out += [note, ""]
    number = 0
    for sec in plan["sections"]:
        key = sec["key"]
        if sec.get("heading") is None and key == "workstreams":
            pass
        else:
            number += 1
            heading = sec["heading"]
            if key == "current_reality" and "as_of" in plan[key]:
                heading += f" (As of {plan[key]['as_of']['text']})"
            if key == "gate" and "date" in plan[key]:
                heading += f" ({plan[key]['date']['text']})"
            out += [f"## {number}) {heading}", ""]
        if key == "extra":
            if sec.get("text"):
                out += [sec["text"], ""]
            continue
        body = plan[key]
        if key == "mission_alignment":
            for group in body["blocks"]:
                out += _group_md(group) + [""]
        elif key == "current_reality":
            if "maturity" in body:
                out += [f"Current maturity: {body['maturity']}", ""]
            for k in ("strong", "blocks_ga"):
                if k in body:
                    out += _group_md(body[k]) + [""]
            for group in body.get("notes", []):
                out += _group_md(group) + [""]
        elif key == "strategy":
            if "recommended_path" in body:
                out += [f"Recommended path: {body['recommended_path']}", ""]
            if "execution_policy" in body:
                out += ["Execution policy:"] + [f"- {i}" for i in body["execution_policy"]] + [""]
            for group in body.get("notes", []):
                out += _group_md(group) + [""]
        elif key == "workstreams":
            for ws in body:
                out += [f"## Workstream {ws['id'][2:]}: {ws['title']} ({ws['priority']})",
                        f"Owner: {ws['owner']}", f"Dates: {ws['dates']['text']}", ""]  # fmt: skip
                if ws["scope"]:
                    out += ["Scope:"] + [f"- {s['text']}" for s in ws["scope"]] + [""]
                out += ["Exit criteria:"] + [f"- {c['text']}" for c in ws["exit_criteria"]] + [""]
        elif key == "cadence":
            for w in body:
                out += [f"{w['title']} ({w['dates']['text']}):"]
                out += [f"- {m['text']}" for m in w["milestones"]] + [""]
        elif key == "gate":
            out += _group_md(
                {"lead": body.get("lead"), "items": [c["text"] for c in body["conditions"]]}
            )
            out.append("")
            if "consequences" in body:
                out += _group_md(body["consequences"]) + [""]
        elif key == "decision_tree":
            if "lead" in body:
                out += [body["lead"], ""]
            for i, q in enumerate(body["questions"], 1):
                out += [f"{i}. {q['question']}", f"- If {q['rule']['if']}: {q['rule']['then']}", ""]
            if "closing" in body:
                out += [body["closing"], ""]
        elif key in ("onboarding", "tracking"):
            items = body["guardrails" if key == "onboarding" else "fields"]
            out += _group_md({"lead": body.get("lead"), "items": [i["text"] for i in items]}) + [""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
