"""Shared fixtures: the workplace's shared/ folder and an isolated GONOGO_HOME."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

from gonogo.config import DEFAULT_PLAN_DIR, Settings, shared_dir

if TYPE_CHECKING:
    from enforcement_agent.policy import Policy, PolicyStore

# Property tests draw the same examples on every run of the suite (CI and `make test`), so a
# verdict never depends on the day's luck; `GONOGO_HYPOTHESIS_PROFILE=explore` draws new ones
# (run it to look for new counterexamples, then pin each one found as an explicit case).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("explore")
hypothesis_settings.load_profile(os.environ.get("GONOGO_HYPOTHESIS_PROFILE", "ci"))


# The files that take 30 s or more each (CI run 97's JUnit: a third of the suite's time), longest
# first. `--dist loadfile` hands files to the two workers in collection order, so these go out
# first and the run ends on short files on both workers, instead of one worker finishing a
# pipeline run alone while the other idles (run 97's last minute).
SLOW_FIRST = (
    "cluster/test_cluster_profile.py",
    "operations/test_drills.py",
    "e2e/test_demo.py",
    "faults/test_concurrency.py",
    "faults/test_spool_faults_pipeline.py",
    "faults/test_mixed_faults.py",
    "faults/test_rerun_stable.py",
    "benchmarks/test_suite_and_asset.py",
    "readiness/test_dagster_cli.py",
    "redaction/test_stream_held_linear.py",
    "faults/test_spool_faults.py",
    "policy/test_sixteenth_pass_state.py",
    "policy/test_class_10_dos.py",
    "sandbox/test_protected_nested.py",
    "operations/test_monitor_soak.py",
    "faults/test_disk_full.py",
    "benchmarks/test_failures_and_faults.py",
    "redaction/test_stream.py",
    "policy/test_class_11_protected.py",
)
_TESTS = Path(__file__).parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow files first (a stable sort: every file keeps its own order, the rest theirs)."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}

    def key(item: pytest.Item) -> int:
        try:
            rel = item.path.relative_to(_TESTS).as_posix()
        except ValueError:
            return len(rank)
        return rank.get(rel, len(rank))

    items.sort(key=key)


@pytest.fixture(autouse=True, scope="module")
def _no_known_secrets_left_in_the_process_redactor() -> Iterator[None]:
    """A module leaves no known secret in the process-wide redactor for the next one: wiring an
    agent (``gonogo.wiring.build_agent``) adds the credentials it holds to it, as a gateway
    should, and a later module's redaction would then depend on which modules ran before it
    in the same worker (``--dist loadfile`` groups them differently on every machine)."""
    yield
    import enforcement_agent.redaction as redaction

    if redaction._instance is not None and len(redaction._instance.known):
        redaction._instance = None  # rebuilt on next use (about 0.05 s from the cache)


@pytest.fixture(scope="session")
def shared() -> Path:
    d = shared_dir()
    if d is None:
        pytest.skip("../shared (corpora and peers) is absent; set GONOGO_SHARED to run this test")
    return d


@pytest.fixture(scope="session")
def bwrap() -> str:
    """The bubblewrap binary, or a skip with the reason when it cannot sandbox here."""
    from enforcement_agent.sandbox.bwrap import bwrap_path, bwrap_works

    path = bwrap_path()
    if path is None or not bwrap_works(path):
        pytest.skip(
            "bubblewrap is not installed or cannot create namespaces here (.ci/run installs it)"
        )
    return path


@pytest.fixture(scope="session")
def redactor_cache_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warm redactor cache built once per run (see tests/redactor_cache.py); copy it with
    ``tests.redactor_cache.copy_seed`` to give a program a cache directory of its own."""
    from tests.redactor_cache import build_seed

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # one seed for every worker of the run
    return build_seed(root)


@pytest.fixture(scope="session")
def store() -> PolicyStore:
    """The shipped policies (``plans/navi/policies``), each compiled once per worker."""
    from enforcement_agent.policy import PolicyStore

    return PolicyStore(DEFAULT_PLAN_DIR / "policies")


@pytest.fixture(scope="session")
def default_policy(store: PolicyStore) -> Policy:
    """The shipped ``default.yaml``, compiled once per worker (about 0.5 s of CPU a compile):
    every suite's tests of the shipped policy share it rather than compile their own."""
    return store.for_tenant("default")


@pytest.fixture(scope="session")
def policy_cache_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``GONOGO_HOME/cache/policy`` with acme's shipped policy compiled, built once per worker;
    copy it into a fresh home with ``tests.policy_cache_seed.warm_policy_cache``."""
    from tests.policy_cache_seed import build_seed

    return build_seed(tmp_path_factory.mktemp("policy-seed") / "home")


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    home = tmp_path / "gonogo-home"
    monkeypatch.setenv("GONOGO_HOME", str(home))
    yield Settings.from_env().ensure()
