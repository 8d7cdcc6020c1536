"""YAML from people, read in bounded time and memory.

``yaml.safe_load`` refuses code, not size: a "billion laughs" document (anchors of anchors)
is a few hundred bytes that expand to billions of nodes for whoever walks the result (a
schema validator, an error message that prints it), and deep nesting overflows the stack.
`load` and `load_all` bound the text size, the number of aliases, the expanded node count,
the nesting depth and the time spent, and raise `YAMLBoundsError` with a short reason.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import yaml

# libyaml's event parser when PyYAML has it: the same events, several times faster than
# the pure-Python scanner and parser
_CParser: Any = vars(yaml.cyaml).get("CParser") if yaml.__with_libyaml__ else None


class YAMLBoundsError(ValueError):
    """The document exceeds a bound (the message says which, in one short line)."""


@dataclass(frozen=True)
class Bounds:
    max_bytes: int = 4 * 1024 * 1024
    max_aliases: int = 256
    max_nodes: int = 500_000  # after expanding every alias
    max_depth: int = 200
    max_seconds: float = 10.0  # of this thread's CPU: a loaded host reads the same


DEFAULT_BOUNDS = Bounds()


@dataclass
class _Counts:
    """What one loader has composed so far, over its whole stream."""

    aliases: int = 0
    nodes: int = 0  # aliases not expanded


def _bounded_loader(
    base: type[yaml.SafeLoader], bounds: Bounds, counts: _Counts
) -> type[yaml.SafeLoader]:
    # A libyaml-based loader (`yaml.CSafeLoader` and its subclasses) parses by itself.
    parses_itself = _CParser is not None and issubclass(base, _CParser)
    composer = yaml.composer.Composer

    class BoundedLoader(base):  # type: ignore[valid-type,misc]
        """Counts aliases and depth while composing; gives up past the time bound.

        Scanning and parsing (most of the time: a 70 KB CI file took 1 s of CPU in pure
        Python) go to libyaml when PyYAML has it; composing is always PyYAML's Python
        composer, here, even under a libyaml-based loader (whose C composer would skip these
        hooks), so the alias, depth and time bounds apply node by node. libyaml keeps its
        own explicit stacks, so deep nesting cannot overflow the C stack before the depth
        bound stops the composer.
        """

        check_node = composer.check_node
        get_node = composer.get_node
        get_single_node = composer.get_single_node
        compose_document = composer.compose_document
        compose_scalar_node = composer.compose_scalar_node
        compose_sequence_node = composer.compose_sequence_node
        compose_mapping_node = composer.compose_mapping_node

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.anchors: dict[str, yaml.Node] = {}
            self._depth = 0
            self._deadline = time.thread_time() + bounds.max_seconds
            self._events = None if _CParser is None or parses_itself else _CParser(stream)

        def check_event(self, *choices: type[yaml.Event]) -> bool:
            if self._events is None:
                return bool(super().check_event(*choices))
            return bool(self._events.check_event(*choices))

        def peek_event(self) -> yaml.Event | None:
            event: yaml.Event | None = (
                super().peek_event() if self._events is None else self._events.peek_event()
            )
            return event

        def get_event(self) -> yaml.Event | None:
            event: yaml.Event | None = (
                super().get_event() if self._events is None else self._events.get_event()
            )
            return event

        def dispose(self) -> None:
            if self._events is not None:
                self._events.dispose()
            super().dispose()

        def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
            if self.check_event(yaml.AliasEvent):
                counts.aliases += 1
                if counts.aliases > bounds.max_aliases:
                    raise YAMLBoundsError(f"more than {bounds.max_aliases} aliases")
            counts.nodes += 1
            if time.thread_time() > self._deadline:
                raise YAMLBoundsError(f"parsing took longer than {bounds.max_seconds:g} s")
            self._depth += 1
            try:
                if self._depth > bounds.max_depth:
                    raise YAMLBoundsError(f"nested deeper than {bounds.max_depth} levels")
                node: yaml.Node | None = composer.compose_node(self, parent, index)
                return node
            finally:
                self._depth -= 1

    return BoundedLoader


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Nodes in the document with every alias expanded (memoised: linear in the graph)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        kids: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            kids = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            kids = [n for pair in node.value for n in pair]
        if not children_done:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(k), 0) for k in kids)
        sizes[id(node)] = total
        if total > limit:
            raise YAMLBoundsError(f"more than {limit} nodes once aliases are expanded")
    return sizes[id(root)]


def _check_text(text: str, bounds: Bounds) -> None:
    if len(text) > bounds.max_bytes:
        raise YAMLBoundsError(f"larger than {bounds.max_bytes} bytes")


def _documents(
    text: str, loader: type[yaml.SafeLoader], bounds: Bounds
) -> Generator[tuple[Any, yaml.Node | None], None, None]:
    _check_text(text, bounds)
    counts = _Counts()
    bounded = _bounded_loader(loader, bounds, counts)(text)
    try:
        while bounded.check_node():
            aliases, nodes = counts.aliases, counts.nodes
            node = bounded.get_node()
            if node is None:
                continue
            if counts.aliases > aliases:
                _expanded_size(node, bounds.max_nodes)
            elif counts.nodes - nodes > bounds.max_nodes:  # (no alias: nothing to expand)
                raise YAMLBoundsError(f"more than {bounds.max_nodes} nodes")
            yield bounded.construct_document(node), node
    except RecursionError:
        raise YAMLBoundsError(f"nested deeper than {bounds.max_depth} levels") from None
    finally:
        bounded.dispose()


def load(
    text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader, bounds: Bounds = DEFAULT_BOUNDS
) -> tuple[Any, yaml.Node | None]:
    """The one document of ``text`` and its node tree (for line numbers); ``(None, None)``
    for an empty document. Raises `YAMLBoundsError` or ``yaml.YAMLError``."""
    docs = _documents(text, loader, bounds)
    try:
        first = next(docs, (None, None))
        if next(docs, None) is not None:
            raise YAMLBoundsError("expected one YAML document, found more")
    finally:
        docs.close()
    return first


def load_all(
    text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader, bounds: Bounds = DEFAULT_BOUNDS
) -> list[Any]:
    """Every document of ``text`` (a multi-document stream), each bounded as in `load`; the
    bounds on aliases and time apply to the whole stream."""
    return [data for data, _node in _documents(text, loader, bounds)]
