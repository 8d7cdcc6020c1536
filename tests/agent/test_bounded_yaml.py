"""`enforcement_agent.bounded_yaml`: the same documents as PyYAML's safe loader, bounded.

The loader takes its events from libyaml when PyYAML has it and composes them in Python, so
the alias, node, depth and time bounds hold whichever parser produced the events.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent import bounded_yaml
from enforcement_agent.bounded_yaml import Bounds, YAMLBoundsError


class _CLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A libyaml-based loader, as the plan reader passes: its C composer must not skip
    the bounds."""


LOADERS = pytest.mark.parametrize("loader", [yaml.SafeLoader, _CLoader], ids=["py", "c"])


def _laughs(depth: int = 9) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, depth):
        refs = ",".join(f"*l{i - 1}" for _ in range(9))
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.text(max_size=12),
)
documents = st.recursive(
    scalars,
    lambda kids: st.one_of(
        st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=6), kids, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(documents, st.booleans())
def test_any_document_loads_as_pyyaml_loads_it(data: Any, flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert bounded_yaml.load(text)[0] == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [x, {c: d}]\n",
        "on:\n  push:\n    branches: [main]\njobs:\n  t:\n    steps:\n      - run: |\n"
        "          make test\n          ./x.sh\n",
        "x: &a {k: v}\ny: *a\nz: !!str 3\n",
        "%YAML 1.1\n---\n- 2026-12-02\n- 0o17\n- 1_000\n- yes\n",
        "",
        "# only a comment\n",
    ],
)
def test_documents_and_their_line_numbers_match_pyyaml(text: str) -> None:
    data, node = bounded_yaml.load(text)
    assert data == yaml.safe_load(text)
    if node is not None:
        pure = yaml.compose(text, Loader=yaml.SafeLoader)
        assert pure is not None
        assert (node.start_mark.line, node.end_mark.line) == (
            pure.start_mark.line,
            pure.end_mark.line,
        )


def test_a_custom_loader_keeps_its_constructors() -> None:
    class Tags(yaml.SafeLoader):
        """GitLab's `!reference` read as nothing."""

    Tags.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    data, _ = bounded_yaml.load("a: !reference [x, y]\nb: 2\n", Tags)
    assert data == {"a": None, "b": 2}


@LOADERS
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (_laughs(), "aliases"),
        ("- x\n" * 60, "nodes"),  # no alias at all: the plain count bounds it
        ("a: " + "[" * 50_000, "nest"),
        ("a: " + "{a: " * 50_000, "nest"),
        ("- " * 100_000 + "x", "nest"),
        ("x" * 5_000, "bytes"),
        ("a: 1\n---\nb: 2\n", "one YAML document"),
    ],
)
def test_oversized_documents_are_refused_in_bounded_time(
    loader: type[yaml.SafeLoader], text: str, reason: str
) -> None:
    bounds = Bounds(max_bytes=4_096 if reason == "bytes" else 1 << 22, max_nodes=50)
    start = time.process_time()
    with pytest.raises((YAMLBoundsError, yaml.YAMLError)) as info:
        bounded_yaml.load(text, loader, bounds=bounds)
    assert time.process_time() - start < 1.0
    assert reason in str(info.value)


@LOADERS
def test_the_node_bound_counts_each_document_of_a_stream(loader: type[yaml.SafeLoader]) -> None:
    bounds = Bounds(max_nodes=50)
    ok = "---\n" + "- x\n" * 30
    assert len(bounded_yaml.load_all(ok * 3, loader, bounds=bounds)) == 3
    with pytest.raises(YAMLBoundsError, match="nodes"):
        bounded_yaml.load_all(ok + "---\n" + "- x\n" * 60, loader, bounds=bounds)


@LOADERS
def test_the_alias_bound_spans_the_whole_stream(loader: type[yaml.SafeLoader]) -> None:
    doc = "---\na: &x 1\nb: [" + ", ".join(["*x"] * 100) + "]\n"
    assert len(bounded_yaml.load_all(doc * 2, loader)) == 2
    with pytest.raises(YAMLBoundsError, match="aliases"):
        bounded_yaml.load_all(doc * 3, loader)


@LOADERS
def test_the_time_bound_stops_composition(loader: type[yaml.SafeLoader]) -> None:
    with pytest.raises(YAMLBoundsError, match="longer than"):
        bounded_yaml.load("- x\n" * 20_000, loader, bounds=Bounds(max_seconds=0.0))


@LOADERS
def test_a_loader_keeps_its_resolvers_and_line_marks(loader: type[yaml.SafeLoader]) -> None:
    class Dates(loader):  # type: ignore[valid-type,misc]
        """Dates kept as written, as the plan reader keeps them."""

    Dates.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
        for ch, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    data, node = bounded_yaml.load("a:\n  due: 2026-12-02\n", Dates)
    assert data == {"a": {"due": "2026-12-02"}}
    assert node is not None and node.value[0][1].start_mark.line == 1


def test_libyaml_parses_when_pyyaml_has_it() -> None:
    """The events come from libyaml (its marks are the witness); without libyaml the
    pure-Python parser is used, with the same bounds."""
    _, node = bounded_yaml.load("a: [b, c]\n")
    assert node is not None
    libyaml = type(node.start_mark).__module__ == "yaml._yaml"
    assert libyaml == yaml.__with_libyaml__
