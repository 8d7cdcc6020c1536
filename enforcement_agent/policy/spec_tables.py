"""What the program spec files define, merged (part of every compiled policy).

Apart from ``specs_loader`` so that unpickling a compiled policy imports no YAML.
"""

from __future__ import annotations

from enforcement_agent.policy.argspec import ProgramSpec
from enforcement_agent.policy.line_nodes import LineDict

# (spec, file, yaml node) of every spec with examples, checked once the policy is compiled.
Example = tuple[str, bool, str, int | None, bool]  # (program, want, command, line, read_only)


class SpecTables:
    """Everything the spec files define, merged."""

    def __init__(self) -> None:
        self.programs: dict[str, ProgramSpec] = {}
        self.read_only: dict[str, ProgramSpec] = {}
        self.examples: list[tuple[str, Example]] = []  # (file, example)
        self.docs: list[tuple[str, LineDict]] = []  # for the policy revision
