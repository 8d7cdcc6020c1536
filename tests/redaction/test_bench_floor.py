"""The redaction floor benchmark (eighth speed pass) measures without changing what is masked."""

from __future__ import annotations

import json

import pytest

from benchmarks.perf import bench_redaction_floor as floor
from benchmarks.perf.agent_output import corpus, planted


def test_it_reports_every_measure_per_class_and_the_classes_over_budget(
    capsys: pytest.CaptureFixture[str],
) -> None:
    classes = ["config_refs", "csv_export"]
    argv = ["--mb", "0.2", "--repeats", "1", "--classes", ",".join(classes)]
    assert floor.main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["budget_ms_per_mb"] == 6.67
    assert out["floor"]["absent_literal_ms"] >= 0 and out["floor"]["callback_us"] >= 0
    assert list(out["classes"]) == classes
    refs, csv = out["classes"]["config_refs"], out["classes"]["csv_export"]
    for row in (refs, csv):
        assert set(row["scan_whole"]) == {"tables", "literals"}
        assert row["stream"] > 0 and row["scan_stream"] > 0 and row["prefilter"] > 0
        ceiling = row["scan_stream"] + row["no_hit_python"]
        assert row["over_budget"] == (ceiling > floor.BUDGET_MS)
        assert row["ceiling_mb_s"] == round(1000.0 / ceiling, 1)
    # Configuration names secrets on every other line; a CSV export of orders names none.
    assert refs["secret_words"]["hits_per_mb"] > 10_000
    assert csv["secret_words"]["hits_per_mb"] == 0
    # 0.2 MB is four 64 KiB chunks: each scan after the first reads the held lines again.
    assert refs["rescanned"] > 1.0
    assert out["over_budget"] == sorted(n for n, r in out["classes"].items() if r["over_budget"])


def test_measuring_leaves_the_redactor_as_it_was() -> None:
    redactor = floor.Redactor(key=floor.KEY)
    assert redactor.engine.uses_hyperscan  # a dependency of the project, never skipped
    data, secrets = planted(corpus("config_refs", 300_000), every=200)
    assert secrets
    before = floor._stream(redactor, data)
    buffers = floor.stream_buffers(redactor, data)
    # The buffers are what the stream scanned: pieces of the input, covering all of it.
    assert all(b in data for b in buffers)
    assert sum(map(len, buffers)) >= len(data)
    assert floor.no_hit_stream(redactor, data, 1) > 0
    # The first stage is the engine's own again (no instance attribute left over), and the
    # stream masks what it masked before, as a fresh redactor does.
    assert "_prefilter" not in vars(redactor.engine)
    after = floor._stream(redactor, data)
    assert after == before == floor._stream(floor.Redactor(key=floor.KEY), data)
    assert not any(s in after for s in secrets)
