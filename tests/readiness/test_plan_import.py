"""`gonogo plan import`: a markdown plan → plan.yaml (verbatim) + a bindings skeleton."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from assets.planning.markdown_plan import (
    PlanImportError,
    import_plan_markdown,
    render_plan_markdown,
)
from assets.readiness.criteria import evaluate_plan
from assets.readiness.plan import load_plan
from assets.readiness.statuses import Status
from gonogo import cli_plan
from gonogo.config import DEFAULT_PLAN_DIR
from tests.readiness.conftest import NOW

SEED_NAME = "seeds/000_18e3d01628d6290f.txt"
SHIPPED = {"plan_id": "navi-30-day-hardening", "version": "2026.02-r1"}


@pytest.fixture(scope="module")
def seed(shared: Path) -> str:
    return (shared / SEED_NAME).read_text(encoding="utf-8")


@pytest.fixture
def app() -> typer.Typer:
    a = typer.Typer()
    cli_plan.register(a)
    return a


def _shipped() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEFAULT_PLAN_DIR / "plan.yaml").read_text())
    return data


def _leaves(obj: Any, path: str = "") -> dict[str, Any]:
    if isinstance(obj, dict):
        return {k: v for key, val in obj.items() for k, v in _leaves(val, f"{path}.{key}").items()}
    if isinstance(obj, list):
        return {k: v for i, val in enumerate(obj) for k, v in _leaves(val, f"{path}[{i}]").items()}
    return {path: obj}


def test_importing_the_seed_gives_the_shipped_plan_string_for_string(seed: str) -> None:
    imported = import_plan_markdown(seed, **SHIPPED).plan
    got, want = _leaves(imported), _leaves(_shipped())
    assert got.keys() == want.keys()
    differ = {k: (got[k], want[k]) for k in got if got[k] != want[k]}
    assert not differ
    strings = [v for v in want.values() if isinstance(v, str)]
    assert len(strings) > 150


def test_the_skeleton_binds_every_item_to_nothing(seed: str, tmp_path: Path) -> None:
    imported = import_plan_markdown(seed, **SHIPPED)
    shipped = load_plan(DEFAULT_PLAN_DIR)
    skeleton = imported.bindings["bindings"]
    assert set(skeleton) == set(shipped.bindings) | {
        c.id for ws in shipped.workstreams for c in ws.scope
    }
    assert all(
        skeleton[c.id] == {"evaluation": {"type": "unbound"}} for c in shipped.exit_criteria()
    )
    assert skeleton["TRACK.5"] == {"field": "exit_criteria_progress", "source": "verdicts"}
    assert skeleton["TRACK.3"] == {"field": "risks_blockers"}


def test_an_imported_plan_loads_and_reports_unknown_until_bound(
    app: typer.Typer, seed: str, tmp_path: Path, con: Any
) -> None:
    src = tmp_path / "PLAN.md"
    src.write_text(seed)
    out = tmp_path / "plan"
    r = CliRunner().invoke(app, ["plan", "import", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "6 workstreams, 19 exit criteria" in r.output and "wrote" in r.output
    plan = load_plan(out)
    assert plan.id == "navi-30-day-hardening-plan" and plan.version == "1"
    verdicts = evaluate_plan(con, plan, NOW)
    assert verdicts and {v.status for v in verdicts} == {Status.UNKNOWN}
    assert {v.criterion_id for v in verdicts} == {c.id for c in plan.exit_criteria()} | {
        c.id for c in plan.gate.conditions
    }


def test_reimport_keeps_the_bindings_and_a_stale_binding_writes_nothing(
    app: typer.Typer, seed: str, plan_dir: Path, tmp_path: Path
) -> None:
    src = tmp_path / Path(SEED_NAME).name
    src.write_text(seed)
    bindings_before = (plan_dir / "bindings.yaml").read_bytes()
    r = CliRunner().invoke(app, ["plan", "import", str(src), "--out", str(plan_dir), "--json"])
    assert r.exit_code == 0, r.output
    assert '"bindings_kept": true' in r.output
    assert (plan_dir / "bindings.yaml").read_bytes() == bindings_before
    # The shipped plan.yaml is exactly what the importer writes: re-importing changes no byte.
    assert (plan_dir / "plan.yaml").read_bytes() == (DEFAULT_PLAN_DIR / "plan.yaml").read_bytes()
    # The team drops an exit criterion that bindings.yaml still binds: refused, nothing written.
    src.write_text(
        seed.replace("- On-call runbook is complete and used in at least one drill.\n", "")
    )
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in plan_dir.glob("*.yaml")}
    r = CliRunner().invoke(app, ["plan", "import", str(src), "--out", str(plan_dir)])
    assert r.exit_code == 2
    assert (
        "bindings.yaml:" in r.output
        and "no item 'WS3.3'" in r.output
        and "nothing written" in r.output
    )
    assert {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in plan_dir.glob("*.yaml")
    } == before
    r = CliRunner().invoke(
        app, ["plan", "import", str(src), "--out", str(plan_dir), "--new-bindings"]
    )
    assert r.exit_code == 0, r.output
    assert load_plan(plan_dir).workstream("WS3").exit_criteria[-1].id == "WS3.2"


# -- variations of the markdown a team may write ---------------------------------------------

Transform = Callable[[str], str]


def _wrap_long_items(text: str) -> str:
    def wrap(m: re.Match[str]) -> str:
        words = m.group(2).split(" ")
        half = len(words) // 2
        return f"{m.group(1)}{' '.join(words[:half])}\n  {' '.join(words[half:])}"

    return re.sub(r"^(- )(.{70,})$", wrap, text, flags=re.M)


TRANSFORMS: dict[str, Transform] = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "star_bullets": lambda t: re.sub(r"^- ", "* ", t, flags=re.M),
    "plus_bullets": lambda t: re.sub(r"^- ", "+ ", t, flags=re.M),
    "deeper_headings": lambda t: re.sub(r"^## ", "### ", t, flags=re.M),
    "dot_numbering": lambda t: re.sub(r"^(#+) (\d+)\) ", r"\1 \2. ", t, flags=re.M),
    "no_numbering": lambda t: re.sub(r"^(#+) \d+\) ", r"\1 ", t, flags=re.M),
    "bold_labels": lambda t: re.sub(r"^(Owner|Dates|Status|Current maturity):", r"**\1:**", t, flags=re.M),
    "bold_label_names": lambda t: re.sub(r"^(Scope|Exit criteria|Recommended path):", r"**\1**:", t, flags=re.M),
    "wrapped_items": _wrap_long_items,
    "nested_rules": lambda t: re.sub(r"^- (If (?:yes|no):)", r"   - \1", t, flags=re.M),
    "week_headings": lambda t: re.sub(r"^(Week \d+ \([^)]*\)):$", r"### \1", t, flags=re.M),
    "scope_headings": lambda t: re.sub(r"^(Scope|Exit criteria):$", r"### \1", t, flags=re.M),
    "setext_title": lambda t: re.sub(r"\A# (.*)\n", lambda m: f"{m.group(1)}\n{'=' * len(m.group(1))}\n", t),
    "trailing_spaces": lambda t: re.sub(r"$", "  ", t, flags=re.M),
    "blank_lines": lambda t: t.replace("\n## ", "\n\n\n## "),
    "bom": lambda t: "\ufeff" + t,
}  # fmt: skip


def _content(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "sections"} | {
        "headings": [(s["key"], s["heading"]) for s in data["sections"]]
    }


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_each_variation_reads_the_same_plan(seed: str, name: str) -> None:
    base = _content(import_plan_markdown(seed).plan)
    assert _content(import_plan_markdown(TRANSFORMS[name](seed)).plan) == base


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(sorted(TRANSFORMS)), max_size=6))
def test_any_combination_of_variations_reads_the_same_plan(seed: str, names: set[str]) -> None:
    text = seed
    # Byte-level changes last: they apply to whatever text the others wrote.
    for name in sorted(names, key=lambda n: (n in ("crlf", "bom"), n)):
        text = TRANSFORMS[name](text)
    assert _content(import_plan_markdown(text).plan) == _content(import_plan_markdown(seed).plan)


def test_extra_sections_are_kept_as_text_in_place(seed: str) -> None:
    appendix = (
        "## Risk register\n\nOwned by the Eng Manager; reviewed weekly.\n\n"
        "| risk | mitigation |\n|---|---|\n| soak cluster late | borrow staging |\n\n"
    )
    text = seed.replace("## 4) Workstreams", appendix + "## 4) Workstreams")
    text += "\n## Appendix: glossary\n\n- GA: general availability\n"
    plan = import_plan_markdown(text).plan
    keys = [s["key"] for s in plan["sections"]]
    assert keys[3] == "extra" and keys[-1] == "extra" and keys.count("extra") == 2
    extra = plan["sections"][3]
    assert extra["heading"] == "Risk register"
    assert extra["text"] == appendix.split("\n\n", 1)[1].strip("\n")
    assert plan["sections"][-1] == {"key": "extra", "heading": "Appendix: glossary",
                                    "text": "- GA: general availability"}  # fmt: skip
    # Round trip: rendering and importing again changes nothing.
    again = import_plan_markdown(render_plan_markdown(plan)).plan
    assert again == plan


def test_wrapped_label_lines_continue_their_value(seed: str) -> None:
    text = seed.replace(
        "Owner: Platform Security + Agent Runtime", "Owner: Platform Security +\nAgent Runtime"
    ).replace("Primary outcome: move NAVI from", "Primary outcome: move NAVI\nfrom")
    plan = import_plan_markdown(text).plan
    assert plan["workstreams"][0]["owner"] == "Platform Security + Agent Runtime"
    assert plan["plan"]["primary_outcome"].startswith("move NAVI from late-alpha")


def _line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


@pytest.mark.parametrize(
    "edit, needle, reason",
    [
        (lambda t: t.replace("Owner: Platform Lead + Data Lead\n", ""),
         "## Workstream 2:", "Workstream 2 has no 'Owner:' line"),
        (lambda t: t.replace("Dates: February 20 to March 3, 2026", "Dates: sometime in Q1"),
         "Dates: sometime in Q1", "cannot read 'sometime in Q1' as a date range"),
        (lambda t: t.replace("Dates: February 20 to March 3, 2026", "Dates: February 30 to March 3, 2026"),
         "Dates: February 30", "day is out of range"),
        (lambda t: t.replace("Exit criteria:\n- Cross-tenant", "Note: hard one\n\nExit criteria:\n- Cross-tenant"),
         "Note: hard one", "cannot place 'Note: hard one' in workstream 2"),
        (lambda t: t.replace("- If yes: not enterprise ready.\n", ""),
         "2. Can one tenant", "a question without its 'If yes: …' or 'If no: …' rule"),
        (lambda t: t.replace("## Workstream 5: Competitive Proof Pack (P1)", "## Workstream 5: Competitive Proof Pack"),
         "## Workstream 5:", "Workstream 5 has no priority"),
        (lambda t: t.replace("Week 2 (February 23 to March 1):", "Week 2:"),
         "Week 2:", "Week 2 has no dates"),
        (lambda t: t.replace("## Workstream 3:", "## Workstream 1:"),
         "## Workstream 1: Observability", "second workstream 1"),
        (lambda t: t.replace("## 1) Mission Alignment", "## 1) Mission Alignment\n\n```\ncode\n```"),
         "```", "code or HTML cannot be read here"),
        (lambda t: t.replace("Date window: February 16, 2026 to March 17, 2026\n", ""),
         "# NAVI 30-Day", "no 'Date window: <start> to <end>' line"),
        (lambda t: "Just some notes\n\n" + t, "Just some notes", "starts with its title"),
    ],
)  # fmt: skip
def test_what_cannot_be_read_is_an_error_with_its_line(
    seed: str, edit: Callable[[str], str], needle: str, reason: str
) -> None:
    text = edit(seed)
    assert text != seed
    with pytest.raises(PlanImportError) as exc:
        import_plan_markdown(text)
    assert reason in exc.value.reason
    line = _line_of(text, needle)
    assert exc.value.line is not None and abs(exc.value.line - line) <= 1, (exc.value, line)


def test_cli_errors_are_one_line_exit_2(app: typer.Typer, seed: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(seed.replace("Owner: SRE + Platform Lead\n", ""))
    cases = [
        [str(bad)],
        [str(tmp_path / "missing.md")],
        [str(tmp_path)],  # a folder
    ]
    latin = tmp_path / "latin.md"
    latin.write_bytes("# Plan\n\nStatus: d\xe9j\xe0\n".encode("latin-1"))
    empty = tmp_path / "empty.md"
    empty.write_text("")
    cases += [[str(latin)], [str(empty)]]
    for args in cases:
        r = CliRunner().invoke(app, ["plan", "import", *args, "--out", str(tmp_path / "out")])
        assert r.exit_code == 2, (args, r.output)
        assert len(r.output.strip().splitlines()) == 1 and "Traceback" not in r.output, r.output
    r = CliRunner().invoke(app, ["plan", "import", str(bad), "--out", str(tmp_path / "out")])
    assert (
        f"bad.md:{_line_of(bad.read_text(), '## Workstream 3:')}: Workstream 3 has no 'Owner:' line"
        in r.output
    )
    assert not (tmp_path / "out").exists()


_PIECES = list("#-*+1.) :\n\r\tPWSabcIfyesno(),2026") + [
    "Workstream 0: X (P0)\n", "Owner: A\n", "Dates: March 1 to March 3, 2026\n", "Exit criteria:\n",
    "Date window: May 1 to May 9, 2026\n", "## Go/No-Go Gate\n", "- If no: x\n", "Week 1 (May 2 to May 3):\n",
    "1. Is it?\n", "```\n", "<div>\n", "> ", "    ", "**",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=120).map("".join))
def test_arbitrary_markdown_imports_or_fails_cleanly(text: str) -> None:
    try:
        imported = import_plan_markdown(text)
    except PlanImportError as exc:
        assert exc.reason
    else:
        assert imported.plan["workstreams"] and imported.plan["gate"]["conditions"]


def test_oversized_input_is_refused_before_parsing() -> None:
    with pytest.raises(PlanImportError, match="larger than"):
        import_plan_markdown("# T\n\n" + "- x\n" * 400_000)
