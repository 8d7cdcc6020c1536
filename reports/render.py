"""Write the readiness report (HTML, Markdown, JSON, OSCAL) and the daily digest to a folder."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import plotly
from markupsafe import Markup

from reports.figures import (
    FIGURES,
    STATE_COLORS,
    STATUS_COLORS,
    plotly_js,
    plotly_js_sha256,
    progress_figure,
    trend_figure,
)
from reports.oscal_schema import OSCAL_VERSION
from reports.redact import redact_tree

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("html", "md", "json", "oscal")
REPORT_BASENAME = "readiness-report"


def human_time(value: Any, empty: str = "—") -> str:
    """An ISO timestamp or date as a person reads it: ``Dec 1, 2026, 12:00 UTC`` (dates:
    ``Feb 27, 2026``). Anything else is shown as it is."""
    if value is None or value == "":
        return empty
    text = str(value)
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    day = f"{t:%b} {t.day}, {t.year}"
    if len(text) == 10:  # a date, not a time
        return day
    t = t.astimezone(UTC) if t.tzinfo else t
    return f"{day}, {t:%H:%M} UTC"


def html_time(value: Any, empty: str = "—") -> Markup:
    """`human_time` in a ``<time>`` element that keeps the exact value (hover, machine readers)."""
    if value is None or value == "":
        return Markup.escape(empty)
    return Markup('<time datetime="{0}" title="{0}">{1}</time>').format(value, human_time(value))


def _env(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["short"] = lambda s: str(s)[:8]
    env.filters["mdcell"] = lambda s: (
        str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")
    )
    env.filters["when"] = html_time if autoescape else human_time
    env.filters["pct"] = lambda x, digits=2: "—" if x is None else f"{x:.{digits}f}%"
    env.filters["num"] = lambda x, digits=3: "—" if x is None else f"{x:.{digits}g}"
    env.globals["colors"] = STATUS_COLORS
    env.globals["state_colors"] = STATE_COLORS
    # Sections draw their Plotly figures with these (reports/figures.py: FIGURES).
    env.globals["figure"] = FIGURES
    return env


def _link_href(uri: str | None) -> str | None:
    """Only links a reader can follow safely: web, file and relative links; never javascript:."""
    if not uri:
        return None
    if (
        uri.startswith(("https://", "http://", "file://", "./", "../", "#"))
        or "://" not in uri
        and ":" not in uri
    ):
        return uri
    return None


def render_html(report: Mapping[str, Any]) -> str:
    env = _env(autoescape=True)
    env.filters["href"] = _link_href
    return env.get_template("report.html.j2").render(
        r=report,
        plotly_js=plotly_js(),
        plotly_sha256=plotly_js_sha256(),
        plotly_version=plotly.__version__,
        progress_div=progress_figure(report["workstreams"]),
        trend_div=trend_figure(report["trend"]) if len(report["trend"]) > 1 else "",
    )


def render_markdown(report: Mapping[str, Any]) -> str:
    return _env(autoescape=False).get_template("report.md.j2").render(r=report)


OSCAL_NS = "https://gonogo.dev/ns/oscal"
_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _escape(text: str, safe: str) -> str:
    # A "%" that does not start an escape is a literal percent sign: escape it; keep the rest.
    return quote(_PCT.sub("%25", text), safe=safe + "%")


def _is_uri_reference(text: str) -> bool:
    from rfc3986_validator import validate_rfc3986

    return bool(validate_rfc3986(text, rule="URI_reference"))


def _oscal_href(uri: str) -> str:
    """An evidence location as an RFC 3986 URI reference: a file path becomes a ``file:`` URI,
    characters a URI may not carry (spaces, non-ASCII …) are percent-encoded, and a location
    that still is no URI reference is written as an escaped relative path."""
    if uri.startswith("/"):
        href = Path(uri).as_uri()
    else:
        href = _escape(uri, safe=":/?#@!$&'()*+,;=-._~")
    if _is_uri_reference(href):
        return href
    return "./" + _escape(uri, safe="/-._~")


def _oscal_value(value: object) -> str:
    """An OSCAL property value: non-empty, one line, no surrounding whitespace."""
    text = " ".join(str(value if value is not None else "").split())
    return text or "none"


def _objective_status(c: Mapping[str, Any]) -> dict[str, Any]:
    """OSCAL objective status of a criterion: only pass is satisfied; anything else (unknown,
    stale, error, warn, waived) is not, and says why in its remarks."""
    if c["status"] == "pass":
        return {"state": "satisfied", "reason": "pass"}
    why = c.get("reason") or "no reason recorded"
    return {
        "state": "not-satisfied",
        "reason": "fail" if c["status"] == "fail" else "other",
        "remarks": f"{c['status']}: {why}",
    }


def render_oscal(report: Mapping[str, Any]) -> dict[str, Any]:
    """OSCAL assessment-results (the vendored schema's version, ``reports/schema/``): one
    observation per evidence item, one finding per criterion."""
    ns = uuid.UUID("5d8e1c1e-6f0b-4f43-9a55-5b1a0c7f2e11")

    def uid(*parts: str) -> str:
        return str(uuid.uuid5(ns, "|".join(parts)))

    plan = report["plan"]
    plan_uuid = uid(report["run_id"], "plan", plan["id"], plan["version"])
    observations = [
        {
            "uuid": uid(report["run_id"], "obs", eid),
            "title": f"{ev.get('kind')} evidence",
            "description": f"{ev.get('kind')} from {ev.get('source')} (content hash {ev.get('content_hash')})",
            "methods": ["EXAMINE" if ev.get("kind") == "attestation" else "TEST"],
            "collected": ev.get("collected_at") or report["evaluated_at"],
            **({"expires": ev["expires_at"]} if ev.get("expires_at") else {}),
            **(
                {
                    "relevant-evidence": [
                        {"href": _oscal_href(ev["uri"]), "description": ev.get("kind", "")}
                    ]
                }
                if ev.get("uri")
                else {}
            ),
        }
        for eid, ev in report["evidence"].items()
    ]
    criteria = [c for w in report["workstreams"] for c in w["criteria"]] + list(
        report["gate_criteria"]
    )
    findings = []
    for c in criteria:
        finding: dict[str, Any] = {
            "uuid": uid(report["run_id"], "finding", c["id"]),
            "title": f"{c['id']}: {c['text']}",
            "description": c["reason"] or c["status"],
            "props": [
                {
                    "name": "gonogo-status",
                    "ns": OSCAL_NS,
                    "value": _oscal_value(c["status"]),
                },
                {
                    "name": "gonogo-raw-status",
                    "ns": OSCAL_NS,
                    "value": _oscal_value(c["raw_status"]),
                },
                {
                    "name": "gonogo-priority",
                    "ns": OSCAL_NS,
                    "value": _oscal_value(c["priority"]),
                },
            ],
            "target": {
                "type": "objective-id",
                "target-id": c["id"],
                "status": _objective_status(c),
            },
        }
        related = [
            {"observation-uuid": uid(report["run_id"], "obs", e)}
            for e in c["evidence_ids"]
            if e in report["evidence"]
        ]
        if related:
            finding["related-observations"] = related
        findings.append(finding)
    return {
        "assessment-results": {
            "uuid": uid(report["run_id"], "ar"),
            "metadata": {
                "title": f"{report['plan']['title']} readiness assessment",
                "last-modified": report["generated_at"],
                "version": report["plan"]["version"],
                "oscal-version": OSCAL_VERSION,
            },
            # The plan this assessment follows, as a back-matter resource it can point at.
            "import-ap": {"href": f"#{plan_uuid}"},
            "results": [
                {
                    "uuid": uid(report["run_id"], "result"),
                    "title": report["decision"]["sentence"],
                    "description": f"Decision {report['decision']['decision']}; inputs hash {report['inputs_hash']}",
                    "start": report["evaluated_at"],
                    "reviewed-controls": {"control-selections": [{"include-all": {}}]},
                    **({"observations": observations} if observations else {}),
                    "findings": findings,
                }
            ],
            "back-matter": {
                "resources": [
                    {
                        "uuid": plan_uuid,
                        "title": f"{plan['title']} (plan {plan['id']} {plan['version']})",
                        "description": "The readiness plan whose criteria this assessment evaluates.",
                        "props": [
                            {
                                "name": "gonogo-plan-hash",
                                "ns": OSCAL_NS,
                                "value": _oscal_value(plan["hash"]),
                            },
                        ],
                    }
                ]
            },
        }
    }


def to_json(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, indent=2, sort_keys=False, default=str) + "\n"


def _write(path: Path, text: str) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # readers never see a half-written report
    return path


def write_report(
    report: Mapping[str, Any], out_dir: Path, formats: Iterable[str] = FORMATS
) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown report format(s) {', '.join(unknown)}; expected {', '.join(FORMATS)}"
        )
    report = redact_tree(report)  # the egress: every string of the model, whoever built it
    written: dict[str, Path] = {}
    for fmt in wanted:
        if fmt == "html":
            written[fmt] = _write(out_dir / f"{REPORT_BASENAME}.html", render_html(report))
        elif fmt == "md":
            written[fmt] = _write(out_dir / f"{REPORT_BASENAME}.md", render_markdown(report))
        elif fmt == "json":
            written[fmt] = _write(out_dir / f"{REPORT_BASENAME}.json", to_json(report))
        elif fmt == "oscal":
            written[fmt] = _write(
                out_dir / f"{REPORT_BASENAME}.oscal.json", to_json(render_oscal(report))
            )
    return written


def render_digest_markdown(digest: Mapping[str, Any]) -> str:
    return _env(autoescape=False).get_template("digest.md.j2").render(d=digest)


def render_digest_html(digest: Mapping[str, Any]) -> str:
    env = _env(autoescape=True)
    env.filters["href"] = _link_href
    return env.get_template("digest.html.j2").render(d=digest)


def write_digest(digest: Mapping[str, Any], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    digest = redact_tree(digest)
    stem = f"digest-{digest['date']}"
    return {
        "md": _write(out_dir / f"{stem}.md", render_digest_markdown(digest)),
        "html": _write(out_dir / f"{stem}.html", render_digest_html(digest)),
        "json": _write(out_dir / f"{stem}.json", to_json(digest)),
    }
