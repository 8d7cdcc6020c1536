"""The daily tracking digest asset: the plan's tracking template filled from the day's entries
and verdicts, written as files and, when asked, posted to the team's incoming webhook."""

import os

import dagster as dg

from assets.digest.delivery import SECRET_ENV, URL_ENV, DeliveryError, configured_url, deliver
from assets.digest.digest import build_digest, parse_day, section_counts
from assets.evidence.store import GLOBAL_TENANT
from assets.readiness.plan import load_plan
from assets.readiness.record import resolve_out_dir
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings
from reports.digest_message import digest_message
from reports.render import write_digest


class DigestConfig(dg.Config):
    date: str = ""  # YYYY-MM-DD; empty: today by the gonogo clock
    out_dir: str = ""  # empty: $GONOGO_OUT, else <GONOGO_HOME>/reports
    tenant: str = GLOBAL_TENANT  # whose tracking entries (the bot route writes the caller's)
    # Post it to $GONOGO_DIGEST_URL, signed with $GONOGO_DIGEST_SECRET. The URL stays out of
    # run config on purpose: an incoming-webhook URL is a credential.
    deliver: bool = False


@dg.asset(
    group_name="readiness",
    owners=["team:readiness"],
    kinds={"markdown", "html"},
    deps=[dg.AssetKey("readiness_decision")],
    description="Daily digest (Markdown + HTML) following the plan's tracking template.",
)
def daily_digest(
    config: DigestConfig, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Daily digest (Markdown + HTML) following the plan's tracking template."""
    plan = load_plan(gonogo.settings.plan_dir)
    day = parse_day(config.date, gonogo.current_time())
    out_dir = resolve_out_dir(config.out_dir, gonogo.settings.home)
    with connected(duckdb) as con:
        digest = build_digest(con, plan, day, tenant_id=config.tenant)
    files = write_digest(digest, out_dir)
    delivered: dict[str, object] = {"delivered": False}
    if config.deliver:
        url = configured_url()
        if not url:
            raise dg.Failure(f"deliver is set but {URL_ENV} is not: nowhere to post the digest")
        try:
            d = deliver(url, digest_message(digest), os.environ.get(SECRET_ENV))
        except DeliveryError as exc:
            raise dg.Failure(str(exc)) from None
        delivered = {"delivered": True, "delivered_to": d.target, "delivery_attempts": d.attempts,
                     "webhook_id": d.message_id}  # fmt: skip
    return dg.MaterializeResult(
        metadata={
            "date": day.isoformat(),
            "items": dg.MetadataValue.json(section_counts(digest)),
            "escalated": len(digest["escalations"]),
            "missing_updates": ", ".join(m["workstream"] for m in digest["missing_updates"])
            or "none",
            **delivered,
            **{f"file_{k}": dg.MetadataValue.path(str(v)) for k, v in files.items()},
        }
    )
