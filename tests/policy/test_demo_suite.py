"""The demo's representative subset of the policy suite names real tests of every class."""

from __future__ import annotations

import importlib

from tests.policy.conftest import DEMO_SUITE_MODULES, DEMO_SUITE_TESTS


def test_every_declared_demo_test_exists() -> None:
    for module in DEMO_SUITE_MODULES:
        importlib.import_module(f"tests.policy.{module}")
    for entry in DEMO_SUITE_TESTS:
        module, _, name = entry.partition("::")
        mod = importlib.import_module(f"tests.policy.{module}")
        assert callable(getattr(mod, name, None)), entry


def test_the_subset_covers_every_bypass_class_file() -> None:
    declared = DEMO_SUITE_MODULES | {e.partition("::")[0] for e in DEMO_SUITE_TESTS}
    for n in ("02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13"):
        assert any(m.startswith(f"test_class_{n}_") for m in declared), n
