"""Thirteenth speed pass: the per-expression cost list of ``bench_redaction_floor``.

The pass changed no redactor code (docs/redaction.md, "Thirteenth speed pass"); what it adds is
the measure that chose where to look: each entry of the scan plan compiled alone and scanned
over each class. These tests check what that list says, not how fast anything is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from benchmarks.perf import bench_redaction_floor as floor
from enforcement_agent.redaction import tables as tables_module
from enforcement_agent.redaction.engine import _scan_plan


@pytest.fixture(scope="module")
def engine() -> floor.Engine:
    redactor = floor.Redactor(key=floor.KEY)
    assert redactor.engine.uses_hyperscan  # a dependency of the project, never skipped
    return redactor.engine


def _cache_files() -> set[str]:
    directory = Path(os.environ.get("GONOGO_CACHE_DIR", Path.home() / ".cache" / "gonogo"))
    return {p.name for p in directory.iterdir()} if directory.is_dir() else set()


def test_every_shape_is_listed_once_with_its_detectors_and_costliest_first(
    engine: floor.Engine,
) -> None:
    plan = dict(_scan_plan(engine.detectors))
    # hex of printable text and words: the hex decode candidate's shape is all over the first
    hexed = b"".join(b"%s %s\n" % (b"id", b"4142434445464748494a4b4c4d4e4f50") for _ in range(500))
    datas = {"hexed": hexed, "words": b"the quick brown fox jumps\n" * 500}
    before = _cache_files()
    rows = floor.expression_costs(engine, datas, 1, "shapes", 100)
    # Each entry compiled alone, none of them written to the disk cache (one file per entry).
    assert _cache_files() == before
    assert sorted(r["entry"] for r in rows) == list(range(len(plan["shapes"])))
    costs = [r["ms_per_mb"]["hexed"] for r in rows]
    assert costs == sorted(costs, reverse=True)
    for r in rows:
        expression, _, _, ids = plan["shapes"][r["entry"]]
        assert r["ids"] == list(ids)
        assert r["parts"] == len(expression.split(","))
        assert set(r["ms_per_mb"]) == {"hexed", "words"}
        assert all(v >= 0 for v in r["ms_per_mb"].values())
        names = {engine.detectors[g].name if g < len(engine.detectors) else "decode" for g in ids}
        assert r["detectors"] == sorted(names)
    # The decode candidates (base64, hex) are shapes and say so.
    assert any(r["detectors"] == ["decode"] for r in rows)


def test_the_literal_entries_name_the_table_headers_and_top_cuts_the_list(
    engine: floor.Engine,
) -> None:
    plan = dict(_scan_plan(engine.detectors))["literals"]
    # (Not ``HEADER_PARTS``' entry: the costliest to compile, and no different to list.)
    header = tables_module.HEADER_PARTS[0].hex()
    tables = {
        k for k, (e, _, _, ids) in enumerate(plan) if engine._table_id in ids and header not in e
    }
    data = {"cfg": b"  password: x\n" * 50}
    rows = floor.expression_costs(engine, data, 1, "literals", 100, entries=tables)
    assert {r["entry"] for r in rows} == tables
    assert all(r["detectors"] == ["tables"] for r in rows)
    # The prefixed header's one part per secret word, compiled as the engine compiles them.
    assert len(tables_module.PREFIXED_HEADER_PARTS) in {r["parts"] for r in rows}
    assert len(floor.expression_costs(engine, data, 1, "shapes", 3)) == 3
    with pytest.raises(ValueError, match="no database"):
        floor.expression_costs(engine, {"cfg": b"x"}, 1, "nonesuch", 1)


def test_the_command_line_prints_the_list_per_database(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--mb", "0.05", "--repeats", "1", "--classes", "csv_export"]
    assert floor.main([*argv, "--expressions", "2", "--databases", "shapes"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out["expressions"]) == ["shapes"]
    assert len(out["expressions"]["shapes"]) == 2
    assert set(out["expressions"]["shapes"][0]["ms_per_mb"]) == {"csv_export"}
    # Without the flag the report is as before.
    assert floor.main(argv) == 0
    assert "expressions" not in json.loads(capsys.readouterr().out)
