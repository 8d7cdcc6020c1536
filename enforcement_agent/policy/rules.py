"""Compiled policy rules: exec (argv-aware), file, connector and break-glass.

Rules are plain data compiled once at load; matching never parses YAML or regex at decision
time. Combination is deny-overrides: any matching deny wins, then ask, then an allow whose
permission the role holds.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from enforcement_agent.models import Verdict
from enforcement_agent.policy.frozen_state import fast_setstate
from enforcement_agent.policy.globs import path_glob, word_glob


class Finding(NamedTuple):
    """One rule's verdict on one (sub-)command or request (a NamedTuple: built per finding)."""

    effect: Verdict
    rule: str
    reason: str
    destructive: bool = False
    subject: str = ""
    # The exact words of the top-level simple command the finding is about (None when they
    # cannot be known exactly): break-glass compares them with its argument shapes.
    words: tuple[str, ...] | None = None


@fast_setstate
@dataclass(frozen=True, slots=True)
class Argv:
    """A normalized command: program name, flags, positionals and option values."""

    program: str
    words: tuple[str, ...]
    flags: tuple[str, ...]
    positionals: tuple[str, ...]
    option_values: tuple[tuple[str, str], ...]
    # Built by a program's argument spec: every option is spelled out (all its names), so
    # rules compare names exactly instead of guessing clusters and abbreviations.
    canonical: bool = False


def split_argv(program: str, words: tuple[str, ...], with_arg: frozenset[str]) -> Argv:
    """Split ``words`` (arguments after the program) into flags, positionals, option values."""
    flags: list[str] = []
    positionals: list[str] = []
    values: list[tuple[str, str]] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if w == "--":
            positionals.extend(words[i + 1 :])
            break
        if len(w) > 1 and w[0] == "-":
            flags.append(w)
            if w.startswith("--"):
                name, eq, value = w.partition("=")
                if eq:
                    values.append((name, value))
                elif name in with_arg and i + 1 < n:
                    values.append((name, words[i + 1]))
                    i += 1
            else:
                name, eq, value = w.partition("=")
                if len(name) > 2 and name in with_arg:  # a single-dash long option (-chdir)
                    if eq:
                        values.append((name, value))
                    elif i + 1 < n:
                        values.append((name, words[i + 1]))
                        i += 1
                else:
                    # a cluster of short options: the first that takes a value takes the
                    # rest of the word or the next word (`curl -sd @FILE` is `-s -d @FILE`;
                    # a ninth red-team pass found only the first letter read)
                    for k in range(1, len(w)):
                        opt = "-" + w[k]
                        if opt in with_arg:
                            if k + 1 < len(w):
                                values.append((opt, w[k + 1 :]))
                            elif i + 1 < n:
                                values.append((opt, words[i + 1]))
                                i += 1
                            break
                        if not w[k].isalnum():
                            break
        else:
            positionals.append(w)
        i += 1
    return Argv(program, words, tuple(flags), tuple(positionals), tuple(values))


def flag_present(flags: tuple[str, ...], wanted: str) -> bool:
    """``wanted`` is given: exactly, ``--long=value``, a GNU unique-prefix, or a short cluster."""
    for f in flags:
        if wanted.startswith("--"):
            name = f.partition("=")[0]
            if name == wanted or (
                name.startswith("--") and len(name) >= 4 and wanted.startswith(name)
            ):
                return True
        elif len(wanted) == 2:
            if f == wanted:
                return True
            if f.startswith("--"):
                continue
            # `-Ovalue` (attached value) or `-xvf` (cluster): both give the option.
            if f.startswith(wanted) or (wanted[1] in f[1:] and f[1:].isalnum()):
                return True
        elif f == wanted or f.partition("=")[0] == wanted:
            return True
    return False


@fast_setstate
@dataclass(frozen=True, slots=True)
class ExecRule:
    """A rule for programs a command runs."""

    id: str
    effect: Verdict
    programs: frozenset[str]
    reason: str
    permission: str | None = None
    destructive: bool = False
    subcommand: tuple[re.Pattern[str], ...] = ()
    flags: tuple[str, ...] = ()
    # none of these may be given (`branch --force` that is not `--delete`)
    not_flags: tuple[str, ...] = ()
    args: tuple[re.Pattern[str], ...] = ()
    option_values: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()
    line: int | None = None
    source: str = ""

    def matches(self, argv: Argv) -> bool:
        pos = argv.positionals
        for level, pattern in enumerate(self.subcommand):
            if level >= len(pos) or not pattern.match(pos[level]):
                return False
        if self.flags:
            if argv.canonical:
                if not any(f in argv.flags for f in self.flags):
                    return False
            elif not any(flag_present(argv.flags, f) for f in self.flags):
                return False
        if self.not_flags:
            if argv.canonical:
                if any(f in argv.flags for f in self.not_flags):
                    return False
            elif any(flag_present(argv.flags, f) for f in self.not_flags):
                return False
        if self.args:
            rest = pos[len(self.subcommand) :]
            if not any(p.match(a) for a in rest for p in self.args):
                return False
        if self.option_values:
            hit = False
            for opt, pats in self.option_values:
                for name, value in argv.option_values:
                    if (
                        name == opt
                        or opt == "*"  # the value of any option
                        or (
                            not argv.canonical
                            and opt.startswith("--")
                            and len(name) >= 4
                            and opt.startswith(name)
                        )
                    ) and any(p.match(value) for p in pats):
                        hit = True
            if not hit:
                return False
        return True


def combine(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One regex for "any of these" (each pattern already ends in ``\\Z``)."""
    if not patterns:
        return None
    if len(patterns) == 1:
        return patterns[0]
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


@dataclass(frozen=True)
class FileRule:
    """A rule for file actions on paths matching its patterns."""

    id: str
    effect: Verdict
    actions: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    reason: str
    permission: str | None = None
    destructive: bool = False
    line: int | None = None
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_any", combine(self.patterns))

    def matches(self, action: str, rels: tuple[str, ...]) -> bool:
        if action not in self.actions:
            return False
        pattern: re.Pattern[str] | None = self._any  # type: ignore[attr-defined]
        return pattern is not None and any(pattern.match(r) for r in rels)


@dataclass(frozen=True)
class ConnectorRule:
    """A rule for connector operations on resources."""

    id: str
    effect: Verdict
    operations: tuple[re.Pattern[str], ...]
    reason: str
    resources: tuple[re.Pattern[str], ...] = ()
    not_resources: tuple[re.Pattern[str], ...] = ()
    permission: str | None = None
    destructive: bool = False
    line: int | None = None
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ops", combine(self.operations))
        object.__setattr__(self, "_res", combine(self.resources))
        object.__setattr__(self, "_not_res", combine(self.not_resources))

    def matches_operation(self, operation: str) -> bool:
        ops: re.Pattern[str] | None = self._ops  # type: ignore[attr-defined]
        return ops is not None and ops.match(operation) is not None

    def matches_resource(self, resource: str) -> bool:
        res: re.Pattern[str] | None = self._res  # type: ignore[attr-defined]
        not_res: re.Pattern[str] | None = self._not_res  # type: ignore[attr-defined]
        if res is not None and not res.match(resource):
            return False
        return not (not_res is not None and not_res.match(resource))

    def matches(self, operation: str, resource: str) -> bool:
        return self.matches_operation(operation) and self.matches_resource(resource)


@fast_setstate
@dataclass(frozen=True, slots=True)
class BreakGlass:
    """An explicit, audited exception: the only way a destructive action is allowed."""

    id: str
    overrides: frozenset[str]
    roles: frozenset[str]
    actors: frozenset[str]
    expires: date
    approver: str
    ticket: str
    reason: str
    # Argument shapes: one pattern per word; a command matches a shape only with exactly as
    # many words, each matching its own pattern (`*` never crosses an argument or a list).
    targets: tuple[tuple[re.Pattern[str], ...], ...] = ()
    line: int | None = None
    # The tools whose requests it may allow: those the rules it overrides decide
    tools: frozenset[str] = frozenset({"exec"})

    def applies(
        self,
        role: str,
        actor: str,
        words: tuple[str, ...] | None,
        today: date,
        tool: str = "exec",
    ) -> bool:
        if tool not in self.tools or role not in self.roles or today > self.expires:
            return False
        if self.actors and actor not in self.actors:
            return False
        if not self.targets:
            return True
        if words is None:
            return False
        return any(
            len(shape) == len(words) and all(p.match(w) for p, w in zip(shape, words, strict=True))
            for shape in self.targets
        )


# The tools a break-glass applies to, by the kind of the rules it overrides.
BREAK_GLASS_TOOLS = {
    "exec": frozenset({"exec"}),
    "file": frozenset({"read", "write", "list"}),
    "connector": frozenset({"connector"}),
}

# What a wildcard stands for: a name's letters, digits, `.`, `_` and `-`, never a character
# that joins two things into one word (`src:dst` refspecs, `+` forcing, `user@host`,
# `key=value`, `a,b` lists, `a/b` paths): those a shape spells (a twenty-third red-team
# pass: `git push --force origin feature-*` allowed `feature-x:main`, a force-push to main).
_SHAPE_CHARS = "[A-Za-z0-9._-]"


def compile_shape(target: str) -> tuple[re.Pattern[str], ...]:
    """``kubectl drain staging-*`` → one pattern per word; raises ValueError on shell syntax."""
    words = shlex.split(target)
    if not words:
        raise ValueError("an empty argument shape")
    out = []
    for w in words:
        if any(c in w for c in "$`;|&<>(){}\\\n"):
            raise ValueError(f"argument shape word {w!r} holds shell syntax")
        # A wildcard never makes an option (`kubectl delete pod *` must not match `--all`) nor
        # a whole `.`/`..` path component (`rm -rf /var/cache/app/*` must not match
        # `/var/cache/app/..`): a fourth red-team pass.
        guard = "" if w.startswith("-") else "(?!-)"
        parts = []
        for part in w.split("/"):
            piece = "".join(
                f"{_SHAPE_CHARS}*" if c == "*" else _SHAPE_CHARS if c == "?" else re.escape(c)
                for c in part
            )
            wild = ("*" in part or "?" in part) and part not in (".", "..")
            parts.append((r"(?!\.\.?(?:/|\Z))" if wild else "") + piece)
        body = "/".join(parts)
        out.append(re.compile(guard + body + r"\Z"))
    return tuple(out)


@dataclass(slots=True)
class RuleIndex:
    """Exec rules indexed by program so a decision only looks at the rules that can match."""

    by_program: dict[str, list[ExecRule]] = field(default_factory=dict)
    any_program: list[ExecRule] = field(default_factory=list)

    def add(self, rule: ExecRule) -> None:
        if "*" in rule.programs:
            self.any_program.append(rule)
            return
        for p in rule.programs:
            self.by_program.setdefault(p, []).append(rule)

    def candidates(self, program: str) -> list[ExecRule]:
        specific = self.by_program.get(program)
        if not self.any_program:
            return specific or []
        return (specific or []) + self.any_program


def compile_word_globs(items: list[str] | tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(word_glob(str(i)) for i in items)


def compile_path_globs(
    items: list[str] | tuple[str, ...], nocase: bool
) -> tuple[re.Pattern[str], ...]:
    return tuple(path_glob(str(i).strip("/"), nocase) for i in items)
