"""The tenant isolation contract (``docs/tenancy.md``), read as data.

Two tables of that page are parsed: **Surfaces** (id, tenant key, enforcement, miss, retention)
and **Data handling and retention** (store id, age column, retention). The probe matrix must
cover every surface; every DuckDB table must have a retention row (and every ``duckdb:`` row a
table); the retention asset deletes by it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import REPO_ROOT

CONTRACT_PATH = REPO_ROOT / "docs" / "tenancy.md"
SURFACES_HEADING = "## Surfaces"
RETENTION_HEADING = "## Data handling and retention"
_ID = re.compile(r"`([a-z][a-z0-9_]*(?::[a-z][a-z0-9_]*)?)`")
_DAYS = re.compile(r"^(\d+)\s+days?$")


class ContractError(ValueError):
    """The contract document is missing or a table in it cannot be read."""


@dataclass(frozen=True)
class Surface:
    id: str
    name: str
    tenant_key: str
    enforced_at: str
    miss: str
    retention: str


@dataclass(frozen=True)
class StoreRetention:
    store: str  # e.g. duckdb:tool_calls, file:exports, redis:cache
    kind: str
    tenant_key: str
    age_column: str | None
    retention: str
    days: int | None  # None: kept (or a TTL Redis enforces itself)

    @property
    def backend(self) -> str:
        return self.store.split(":", 1)[0]

    @property
    def name(self) -> str:
        return self.store.split(":", 1)[1]


@dataclass(frozen=True)
class Contract:
    path: Path
    text: str
    surfaces: tuple[Surface, ...]
    stores: tuple[StoreRetention, ...]

    @property
    def surface_ids(self) -> list[str]:
        return [s.id for s in self.surfaces]

    def store(self, store_id: str) -> StoreRetention | None:
        return next((s for s in self.stores if s.store == store_id), None)

    def tables(self) -> dict[str, StoreRetention]:
        return {s.name: s for s in self.stores if s.backend == "duckdb"}


def _section_rows(text: str, heading: str) -> list[list[str]]:
    start = text.find("\n" + heading + "\n")
    if start < 0:
        raise ContractError(f"the contract has no '{heading}' section")
    body = text[start + len(heading) + 2 :]
    end = body.find("\n## ")
    body = body if end < 0 else body[:end]
    rows = []
    for line in body.splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        rows.append([c.strip() for c in line.strip("|").split("|")])
    if len(rows) < 2:
        raise ContractError(f"the '{heading}' section has no table")
    return rows[1:]  # without the header row


def _code_id(cell: str, where: str) -> str:
    m = _ID.search(cell)
    if m is None:
        raise ContractError(f"{where}: no `id` in {cell!r}")
    return m.group(1)


def parse_contract(text: str, path: Path = CONTRACT_PATH) -> Contract:
    surfaces = []
    for cells in _section_rows(text, SURFACES_HEADING):
        if len(cells) != 6:
            raise ContractError(f"surfaces row has {len(cells)} cells, expected 6: {cells}")
        name, sid, key, enforced, miss, retention = cells
        surfaces.append(Surface(_code_id(sid, "surfaces"), name, key, enforced, miss, retention))
    stores = []
    for cells in _section_rows(text, RETENTION_HEADING):
        if len(cells) != 6:
            raise ContractError(f"retention row has {len(cells)} cells, expected 6: {cells}")
        store, kind, key, age, retention, _why = cells
        sid = _code_id(store, "retention")
        if ":" not in sid:
            raise ContractError(f"retention: store id {sid!r} is not backend:name")
        m = _DAYS.match(retention.strip())
        age_col = age.strip("` ") if age.strip() not in ("—", "-", "") else None
        stores.append(
            StoreRetention(sid, kind, key, age_col, retention, int(m.group(1)) if m else None)
        )
    ids = [s.id for s in surfaces]
    if len(set(ids)) != len(ids):
        raise ContractError(f"duplicate surface ids: {sorted(i for i in ids if ids.count(i) > 1)}")
    return Contract(path, text, tuple(surfaces), tuple(stores))


def load_contract(path: Path = CONTRACT_PATH) -> Contract:
    try:
        text = path.read_text()
    except OSError as exc:
        raise ContractError(f"cannot read the tenancy contract {path}: {exc}") from None
    return parse_contract(text, path)


def retention_gaps(contract: Contract, tables: Iterable[str]) -> dict[str, list[str]]:
    """Tables without a retention row, rows naming no table, and rows without a usable rule."""
    existing = set(tables)
    documented = contract.tables()
    return {
        "undocumented_tables": sorted(existing - documented.keys()),
        "documented_but_missing": sorted(documented.keys() - existing),
        "no_age_column": sorted(
            n for n, s in documented.items() if s.days is not None and not s.age_column
        ),
    }
