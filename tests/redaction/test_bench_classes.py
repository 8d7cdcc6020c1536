"""The per-class redaction benchmark runs and reports what the README's table quotes."""

from __future__ import annotations

import json

import pytest

from benchmarks.perf import bench_redaction_classes as bench


def test_the_benchmark_reports_every_measure_per_class(capsys: pytest.CaptureFixture[str]) -> None:
    classes = ["git_log", "config_refs"]
    argv = ["--mb", "0.3", "--no-cli", "--no-peers", "--repeats", "1"]
    assert bench.main([*argv, "--classes", ",".join(classes)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out["classes"]) == classes
    for row in out["classes"].values():
        assert row["in_process"]["stream_mb_s"] > 0 and row["in_process"]["buffer_mb_s"] > 0
        assert row["in_process"]["planted"] > 0
        assert row["in_process"]["planted_missed"] == 0
        assert row["changed_clean_lines"]["lines"] > 0
    assert out["slowest"]["in_process_stream"]["class"] in classes
    assert out["targets"]["planted_missed"] == 0


def test_the_prefilter_ceiling_counts_each_database_and_its_hits() -> None:
    redactor = bench.Redactor(key=bench.KEY)
    assert redactor.engine.uses_hyperscan  # a dependency of the project, never skipped
    # Key words on every line: the literal database reports them; prose with none does not.
    noisy = b"password = var.db_password\napi_key = os.environ['API_KEY']\n" * 2000
    quiet = b"The quick brown fox jumps over the lazy dog again and again.\n" * 2000
    a = bench.prefilter_mb_s(redactor, noisy, 1)
    b = bench.prefilter_mb_s(redactor, quiet, 1)
    assert set(a) == {"tables", "literals"} == set(b)
    assert a["literals"]["hits_per_mb"] > 1000
    assert b["literals"]["hits_per_mb"] == 0
    assert all(v["mb_s"] > 0 for v in (*a.values(), *b.values()))
