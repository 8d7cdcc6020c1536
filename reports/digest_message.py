"""The daily digest as a chat message: an incoming-webhook payload Slack accepts (``text`` for
notifications and clients without blocks, ``blocks`` for the layout).

Every string passes the redactor first, and user text is escaped for Slack's markup (``&``,
``<``, ``>``), so an entry cannot ping a channel or smuggle a link. Slack's limits are kept: at
most 50 blocks, 150 characters in the header, 3 000 in a section (longer lists end in
"… and N more").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports.redact import redact_tree

MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_SECTION = 3000


def escape(text: Any) -> str:
    """Slack mrkdwn escaping: the only three characters its markup gives meaning to."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(title: str, lines: list[str], empty: str = "_nothing recorded_") -> dict[str, Any]:
    head = f"*{escape(title)}*\n"
    body = lines or [empty]
    out: list[str] = []
    used = len(head)
    for i, line in enumerate(body):
        more = f"… and {len(body) - i} more"
        if used + len(line) + 1 > MAX_SECTION - len(more) - 1:
            out.append(more)
            break
        out.append(line)
        used += len(line) + 1
    return {"type": "section", "text": {"type": "mrkdwn", "text": head + "\n".join(out)}}


def _item(i: Mapping[str, Any]) -> str:
    ws = f"*{escape(i['workstream'])}* " if i.get("workstream") else ""
    note = f" — {escape(i['note'])}" if i.get("note") else ""
    who = f" _({escape(i['author'])})_" if i.get("author") else ""
    return f"• {ws}{escape(i['text'])}{note}{who}"


def digest_message(digest: Mapping[str, Any]) -> dict[str, Any]:
    """``{"text": …, "blocks": […]}`` for one digest model (`assets.digest.digest.build_digest`)."""
    d = redact_tree(digest)
    title = f"{d['title']} — {d['date']}"
    decision = d["decision"]["decision"]
    demo = " (DEMO DATA)" if d.get("is_demo") else ""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": (title + demo)[:MAX_HEADER]}},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": escape(
                        f"Plan {d['plan']['id']} {d['plan']['version']} · decision today: {decision}"
                    ),
                }
            ],
        },
    ]
    summary = [f"{title}{demo}: decision {decision}"]
    if d.get("escalations"):
        lines = [
            f"• *{escape(e['workstream'])}* ({escape(e['owner'])}): {escape(e['text'])} — open "
            f"{e['age_days']} days, since {e['raised_on']}"
            for e in d["escalations"]
        ]
        blocks.append(_section("Escalated: decisions open more than two days", lines))
        summary.append(f"{len(lines)} decision(s) escalated")
    if d.get("missing_updates"):
        missing = ", ".join(f"{m['workstream']} ({m['owner']})" for m in d["missing_updates"])
        blocks.append(_section("Missing today's update", [escape(missing)]))
        summary.append(
            f"missing updates: {', '.join(m['workstream'] for m in d['missing_updates'])}"
        )
    for s in d["sections"]:
        blocks.append(_section(s["title"], [_item(i) for i in s["items"]]))
    changes = [
        f"• *{escape(c['criterion_id'])}* {escape(c['before'] or 'new')} → *{escape(c['after'])}*"
        for c in d.get("changes", [])
    ]
    blocks.append(
        _section("Criteria that changed status today", changes, "_no status changes today_")
    )
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [
            _section("…", [f"{len(blocks) - MAX_BLOCKS + 1} more sections in the digest file"])
        ]
    return {"text": escape("; ".join(summary)), "blocks": blocks}
