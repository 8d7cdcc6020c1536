"""YAML loading that remembers the line of every mapping key and list item.

Policy errors must name a line, so the loader keeps ``start_mark`` positions beside the data
instead of re-parsing to find them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from enforcement_agent.policy.errors import PolicyLoadError
from enforcement_agent.policy.line_nodes import LineDict, LineList, line_of

__all__ = ["LineDict", "LineList", "line_of", "load_yaml", "load_yaml_text"]


# libyaml's parser when PyYAML has it (5-10x faster on the policy's program specs); its nodes
# carry the same start marks, so lines are kept either way.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise PolicyLoadError(
                loader.name, key_node.start_mark.line + 1, f"mapping key {key!r} is not a string"
            )
        if key in out:
            raise PolicyLoadError(
                loader.name, key_node.start_mark.line + 1, f"duplicate key {key!r}"
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path) -> LineDict:
    """The document at ``path`` as line-aware data; raises :class:`PolicyLoadError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyLoadError(path, None, f"cannot read policy file: {exc}") from exc
    return load_yaml_text(text, str(path))


def load_yaml_text(text: str, name: str) -> LineDict:
    loader = _Loader(text)
    loader.name = name
    try:
        data = loader.get_single_data()
    except PolicyLoadError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise PolicyLoadError(name, line, f"invalid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise PolicyLoadError(name, None, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    if not isinstance(data, LineDict):
        raise PolicyLoadError(name, 1, "a policy file must be a mapping at the top level")
    return data
