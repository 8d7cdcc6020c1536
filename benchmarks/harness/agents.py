"""Agent adapters: command templates for any CLI agent, and the built-ins ``oracle``/``none``.

``--agent NAME[=TEMPLATE]``: a template is a shell command with ``{instruction_file}`` and
``{workdir}`` (shell-quoted on substitution; ``{{``/``}}`` for literal braces), run with the
work dir as cwd. ``NAME+governed`` is the same adapter with every tool call through the
enforcement agent (see ``governed.py``).
"""

from __future__ import annotations

import hashlib
import re
import shlex
import string
from dataclasses import dataclass

from benchmarks.harness import HARNESS_VERSION

BUILTINS = ("oracle", "none")
GOVERNED_SUFFIX = "+governed"
PLACEHOLDERS = ("instruction_file", "workdir")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


class AgentSpecError(ValueError):
    """A ``--agent`` value that cannot be used (one-line reason)."""


@dataclass(frozen=True)
class AgentSpec:
    name: str  # as reported, e.g. "oracle+governed"
    base: str  # "oracle", "none" or "template"
    governed: bool
    template: str | None = None

    @property
    def version(self) -> str:
        """Built-ins are versioned with the harness; a template by the hash of its command."""
        if self.template is None:
            return HARNESS_VERSION
        return "template-" + hashlib.sha256(self.template.encode()).hexdigest()[:12]

    @property
    def ungoverned_name(self) -> str:
        return self.name.removesuffix(GOVERNED_SUFFIX)

    def command(self, instruction_file: str, workdir: str) -> str:
        if self.template is None:
            raise AgentSpecError(f"agent {self.name} has no command template")
        return self.template.format(
            instruction_file=shlex.quote(instruction_file), workdir=shlex.quote(workdir)
        )

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "base": self.base,
            "governed": self.governed,
            "template": self.template,
            "version": self.version,
        }


def _check_template(name: str, template: str) -> None:
    if not template.strip():
        raise AgentSpecError(f"agent {name}: empty command template")
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise AgentSpecError(
            f"agent {name}: bad template ({exc}); use {{{{ }}}} for braces"
        ) from None
    unknown = sorted({f for f in fields if f not in PLACEHOLDERS})
    if unknown:
        raise AgentSpecError(
            f"agent {name}: unknown placeholder(s) {', '.join('{' + u + '}' for u in unknown)};"
            f" allowed: {{instruction_file}}, {{workdir}}"
        )


def parse_agent(value: str) -> AgentSpec:
    """``NAME`` (built-in), ``NAME=TEMPLATE``, each optionally ``NAME+governed``."""
    name, sep, template = value.partition("=")
    name = name.strip()
    governed = name.endswith(GOVERNED_SUFFIX)
    base_name = name.removesuffix(GOVERNED_SUFFIX)
    if not _NAME.match(base_name):
        raise AgentSpecError(
            f"agent name {name!r}: use letters, digits, '.', '_' or '-' (optionally +governed)"
        )
    if not sep:
        if base_name not in BUILTINS:
            raise AgentSpecError(
                f"unknown agent {base_name!r}: built-ins are {', '.join(BUILTINS)};"
                f" give any other agent as {base_name}=TEMPLATE"
            )
        return AgentSpec(name=name, base=base_name, governed=governed)
    if base_name in BUILTINS:
        raise AgentSpecError(f"agent {base_name!r} is a built-in and takes no template")
    _check_template(name, template)
    return AgentSpec(name=name, base="template", governed=governed, template=template)


def parse_agents(values: list[str]) -> list[AgentSpec]:
    specs = [parse_agent(v) for v in values]
    seen: set[str] = set()
    for s in specs:
        if s.name in seen:
            raise AgentSpecError(f"agent {s.name} is given twice")
        seen.add(s.name)
    return specs
