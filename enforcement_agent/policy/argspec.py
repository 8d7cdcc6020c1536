"""Per-program argument specs: which options a program has, what their values are, what runs.

Modelled on Codex's execpolicy: a program that can run code is allowed only in the shapes its
spec lists (subcommands, options, positional arguments), and every value has a *kind* that
says what the evaluator must check (a path it reads or writes, code it would run, a command it
wraps, an environment variable it sets, …). Anything the spec does not list cannot be decided.

The notation (policy files, ``exec.programs``):

* an option entry is ``NAMES[=KIND]``: ``-f|--force`` (a flag with two spellings),
  ``-o|--output=write`` (takes a value that is a path it writes), ``--color[=lit]`` (the value
  is optional and only ever attached: ``--color=auto``), ``--merged=lit?`` (the next word is
  the value, unless the option is the last word: git's ``PARSE_OPT_LASTARG_DEFAULT``),
  ``--version!`` (prints and exits: the
  required arguments are not needed), ``--[no-]verify`` (both spellings),
  ``-o={errexit,pipefail}`` (one of these words), ``-[0-9]*`` (a pattern: ``git log -5``);
* an argument entry is ``KIND[?|*|+]`` (optional, any number, at least one) or ``{a,b}``.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from functools import lru_cache

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.models import Verdict
from enforcement_agent.policy.frozen_state import fast_setstate

# What a value (or positional argument) is, and so what the evaluator checks.
VALUE_KINDS = frozenset(
    {
        "lit",  # a literal word (a path-shaped one is still checked as a path it may read)
        "scriptarg",  # a word handed to a package script: a protected name there asks
        "varfile",  # two words, NAME then a file it reads (`jq --rawfile NAME FILE`)
        "vardata",  # two words, NAME then data (`jq --arg NAME VALUE`)
        "num",  # digits; an optional attached one takes only the digits of a cluster (perl -l0n)
        "data",  # free data: may be computed at run time, never a path (echo, printf)
        "pattern",  # a glob or regular expression, not a path
        "enum",  # one of the words listed in braces
        "read",  # a path the program reads
        "write",  # a path the program writes
        "remove",  # a path the program removes
        "chdir",  # the directory the rest of the program's paths are relative to
        "script",  # a file of code the program runs (must be a file, never stdin or a URL)
        "code",  # inline code: cannot be decided
        "command",  # the rest of the words are a command, decided on its own
        "command;",  # like command, up to a `;` (or `{} +`) word: find -exec
        "xcommand",  # a command that also gets arguments from stdin (xargs)
        "shell",  # a shell command string, parsed and decided
        "shellwords",  # the rest of the words joined into a shell command string (watch)
        "split",  # env -S: a string env splits into a command (decided if it has no escapes)
        "env",  # NAME=VALUE put into the environment of the wrapped command
        "var",  # a shell variable the builtin sets (printf -v, read, declare)
        "gitconfig",  # key[=value] of git configuration for this invocation
        "module",  # a module whose own spec parses the rest (python -m)
        "import",  # a module or file loaded into the interpreter (perl -M, node -r)
        "pyname",  # a Python name imported and called (unittest's tests, uvicorn's app)
        "sed",  # a sed script
        "awk",  # an awk program
        "assign",  # NAME=VALUE override of a build variable (make, cmake -D, mvn -D)
        "runscript",  # the rest is a package script, or a command if it names a known program
    }
)
# Kinds that end option parsing: everything after them belongs to something else.
REST_KINDS = frozenset({"command", "xcommand", "shellwords", "module", "runscript"})
# Kinds a read-only role's table may hold (read-only by construction).
READ_ONLY_KINDS = frozenset(
    {"lit", "num", "data", "pattern", "enum", "read", "chdir", "varfile", "vardata"}
)
# Option values that take two words: a name, then a file read (varfile) or data (vardata).
PAIR_KINDS = frozenset({"varfile", "vardata"})
# "syscl": System.CommandLine (the dotnet CLI): a value follows the name, `:` or `=`; no
# clusters; any other dashed word is handed to another program (MSBuild) and undecidable.
STYLES = ("gnu", "posix", "single", "syscl")

_ARG = lazy_compile(r"^(?P<kind>\{[^}]*\}|[a-z;]+)(?P<count>[?*+]?)$")
_NAME_CHARS = lazy_compile(r"^[-+(),!][A-Za-z0-9_.:@,()!+?*\[\]/-]*$")


@fast_setstate
@dataclass(frozen=True, slots=True, eq=False)
class Opt:
    """One option: its spellings (the first is canonical) and what its value is."""

    names: tuple[str, ...]
    kind: str | None = None  # None: a flag
    optional: bool = False  # the value is only ever attached (`--color=auto`, `-i.bak`)
    exits: bool = False  # prints and exits (`--version`): required arguments not needed
    choices: frozenset[str] = frozenset()
    # The value is the next word unless the option is the last word, where it has a default
    # (git's PARSE_OPT_LASTARG_DEFAULT: `git branch --merged` alone, `--merged main`)
    lastarg: bool = False

    @property
    def canonical(self) -> str:
        return self.names[0]


@fast_setstate
@dataclass(frozen=True, slots=True)
class Arg:
    """A program's positional arguments: their kind, how many, the choices."""

    kind: str
    minimum: int
    maximum: int | None  # None: any number
    choices: frozenset[str] = frozenset()


@dataclass(slots=True, eq=False)
class ProgramSpec:
    """How one program (or one of its subcommands) takes its arguments."""

    name: str
    style: str = "gnu"
    # Accept unique-prefix abbreviations of long options as the option they abbreviate. Only
    # safe for a spec that lists *every* long option of the program; off by default, so an
    # abbreviation is refused (never read more permissively than the program reads it).
    abbrev: bool = False
    oldstyle: bool = False  # a first word without a dash is a cluster of letters (`tar xvf`)
    # BSD letters (ps): every word without a dash is a cluster of these letters, read with a
    # table of their own (`ps e` shows the environment, `ps -e` every process: a twenty-sixth
    # red-team pass); the letters of bsd_values take the next word. No operands then.
    bsd_flags: str = ""
    bsd_values: str = ""
    # Every dashed cluster is read like an old-style one: each letter that takes a value takes
    # the next word, never the rest of the cluster (tree's own loop: `tree -La 2` is `-L 2
    # -a`, `-L2` is no level at all; a twentieth red-team pass)
    next_word_values: bool = False
    # Go's pflag (cobra: gh, kubectl, docker, helm): `-O=FILE` is `-O FILE`, the `=` dropped
    # (GNU getopt keeps it: the value is `=FILE`); a fourteenth red-team pass
    pflag: bool = False
    # `--` ends only the leading options; the words after it are read as before (GNU find:
    # `find -- . -fprint F` still runs -fprint)
    dashdash_options: bool = False
    exact: dict[str, Opt] = field(default_factory=dict)
    longs: tuple[str, ...] = ()  # every `--long` spelling, for unique-prefix abbreviations
    patterns: tuple[tuple[re.Pattern[str], Opt], ...] = ()
    plus: bool = False  # has `+x` options (set, shells)
    args: tuple[Arg, ...] = ()
    # When both subcommands and args are given, args apply if the first argument is not a
    # subcommand (`node script.js` beside `node inspect`).
    subcommands: dict[str, ProgramSpec] = field(default_factory=dict)
    forbidden: str = ""  # this subcommand exists but is never allowed (the reason)
    modules: dict[str, ProgramSpec] = field(default_factory=dict)  # python -m: name → its spec
    imports: tuple[re.Pattern[str], ...] = ()  # allowed `import` values
    assign: tuple[re.Pattern[str], ...] = ()  # allowed NAME of `assign` values
    inplace: frozenset[str] = frozenset()  # options that make `read` arguments written
    # A formatter (`rewrites:`): the files it rewrites in a directory it is given or walks by
    # itself (basename globs, case-insensitive; empty: it rewrites nothing), the options that
    # stop it writing (None: only `inplace` options make it write), whether it works on the
    # current directory when no file is named, and whether it expands glob words itself.
    formats: tuple[re.Pattern[str], ...] = ()
    writes_unless: frozenset[str] | None = None
    default_dir: bool = False
    own_globs: bool = False
    format_targets: frozenset[str] = frozenset()  # options whose values it rewrites (--files)
    # The words after `--` are options of another program that this one hands them to
    # (`cargo clippy -- -D warnings` → clippy-driver, which is rustc): parsed by this spec.
    passthrough: ProgramSpec | None = None
    deletes: frozenset[str] = frozenset()  # options that remove what is under `read` arguments
    # Files this (sub)command writes in the directory it runs in, named by no argument
    # (`npm install`: package.json, the lockfile, node_modules; `bun init`: CLAUDE.md): checked
    # as writes there, after `cd` and the program's own directory options (`-C`, `--prefix`).
    workdir_writes: tuple[str, ...] = ()
    # Options naming the project file whose directory the program works in (`mvn -f
    # x/pom.xml`, `cargo --manifest-path x/Cargo.toml`, `gradle -b x/build.gradle`): the
    # workdir_writes land there. Looked up on the spec and its parents.
    project_file: frozenset[str] = frozenset()
    dest_last: bool = False  # the last `read` argument is the destination, written (rsync)
    # Arguments are allowed only with one of these options given (`git tag -l PATTERN`: a
    # pattern; `git tag NAME` creates a tag): a read-only table's list modes
    args_when: frozenset[str] = frozenset()
    # An `assign` argument without `=` is a goal, a file the program may write (make's
    # built-in rules, `-t`): checked as a write.
    goals_write: bool = False
    program_from: frozenset[str] = frozenset()  # options that supply the sed/awk program
    globs_ok: bool = (
        False  # no option of this program runs code: glob-injected options are harmless
    )
    unknown: Verdict = Verdict.DENY
    parent: ProgramSpec | None = None

    def rewrites(self, given: set[str] | frozenset[str]) -> bool:
        """Whether a formatter with these options rewrites the files it is given."""
        if self.inplace & given:
            return True
        return self.writes_unless is not None and not self.writes_unless & given

    @property
    def program(self) -> str:
        """The program this spec belongs to (the top of the subcommand chain)."""
        spec = self
        while spec.parent is not None:
            spec = spec.parent
        return spec.name

    def finish(self) -> None:
        self.longs = tuple(sorted(n for n in self.exact if n.startswith("--")))
        self.plus = any(n.startswith("+") for n in self.exact) or any(
            n.startswith("+") for _, o in self.patterns for n in o.names
        )

    def kinds(self) -> set[str]:
        """Every value and argument kind this spec (and its subcommands) can produce."""
        out = {o.kind for o in self.exact.values() if o.kind}
        out |= {o.kind for _, o in self.patterns if o.kind}
        out |= {a.kind for a in self.args}
        for sub in self.subcommands.values():
            out |= sub.kinds()
        if self.passthrough is not None:
            out |= self.passthrough.kinds()
        return out


def expand_names(names: str) -> list[str]:
    """``-f|--force`` → both; ``--[no-]verify`` → ``--verify``, ``--no-verify`` (also ``[no]``)."""
    out: list[str] = []
    for part in names.split("|"):
        for neg in ("[no-]", "[no]"):
            if neg in part:
                out.append(part.replace(neg, ""))
                out.append(part.replace(neg, neg[1:-1]))
                break
        else:
            out.append(part)
    return out


@lru_cache(maxsize=8192)
def parse_option(entry: str) -> tuple[tuple[str, ...], Opt]:
    """One option entry of the notation → (its name spellings and patterns, the option)."""
    text = entry.strip()
    exits = text.endswith("!") and len(text) > 1 and text not in ("!",)
    if exits:
        text = text[:-1]
    optional = False
    raw_kind = ""
    if text.endswith("]") and "[=" in text:
        at = text.rindex("[=")
        text, raw_kind, optional = text[:at], text[at + 2 : -1], True
    elif "=" in text:
        text, _, raw_kind = text.partition("=")
    lastarg = raw_kind.endswith("?") and not optional
    if lastarg:
        raw_kind = raw_kind[:-1]
    names = expand_names(text)
    for n in names:
        if not n or n[0] not in "-+(),!" or not _NAME_CHARS.match(n):
            raise ValueError(f"option name {n!r} in {entry!r} must start with - or +")
    kind, choices = _kind(raw_kind, entry) if raw_kind else (None, frozenset[str]())
    if (optional or lastarg) and kind in REST_KINDS or lastarg and kind in PAIR_KINDS:
        raise ValueError(f"{entry!r}: a {kind} value cannot be optional")
    return tuple(names), Opt(
        names=tuple(names),
        kind=kind,
        optional=optional,
        exits=exits,
        choices=choices,
        lastarg=lastarg,
    )


def parse_arg(entry: str) -> Arg:
    m = _ARG.match(entry.strip())
    if not m:
        raise ValueError(f"argument entry {entry!r} is not KIND, KIND?, KIND*, KIND+ or {{a,b}}")
    kind, choices = _kind(m.group("kind"), entry)
    count = m.group("count")
    lo, hi = {"": (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}[count]
    if kind in REST_KINDS or kind == "command;":
        if hi is None:
            raise ValueError(f"{entry!r}: a {kind} argument takes the rest; it cannot repeat")
        if kind == "command;":
            raise ValueError(f"{entry!r}: command; is an option value kind")
    return Arg(kind, lo, hi, choices)


def _kind(raw: str, entry: str) -> tuple[str, frozenset[str]]:
    if raw.startswith("{") and raw.endswith("}"):
        words = frozenset(w.strip() for w in raw[1:-1].split(",") if w.strip())
        if not words:
            raise ValueError(f"{entry!r}: an empty choice list")
        return "enum", words
    if raw not in VALUE_KINDS:
        raise ValueError(
            f"{entry!r}: unknown value kind {raw!r} (kinds: {', '.join(sorted(VALUE_KINDS))})"
        )
    return raw, frozenset()


def is_pattern(name: str) -> bool:
    return ("*" in name or "?" in name or "[" in name) and name not in ("[", "-?")


@lru_cache(maxsize=1024)
def compile_pattern(name: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(name))


def add_options(spec: ProgramSpec, entries: list[str], defaults: bool = False) -> None:
    """Add option entries to ``spec``; a spelling listed twice differently is an error.

    ``defaults``: entries from option groups, which the spec's own entries override.
    """
    if defaults:  # a group: compiled once, merged under the spec's own entries
        exact, group_patterns = _group(tuple(entries))
        for n, opt in exact.items():
            spec.exact.setdefault(n, opt)
        spec.patterns = spec.patterns + group_patterns
        return
    patterns = list(spec.patterns)
    for entry in entries:
        names, opt = parse_option(entry)
        for n in names:
            if is_pattern(n):
                patterns.append((compile_pattern(n), opt))
                continue
            old = spec.exact.get(n)
            if old is not None and (old.kind, old.optional, old.choices, old.lastarg) != (
                opt.kind,
                opt.optional,
                opt.choices,
                opt.lastarg,
            ):
                raise ValueError(f"option {n!r} is listed twice with different values")
            if old is None:
                spec.exact[n] = opt
    spec.patterns = tuple(patterns)


@lru_cache(maxsize=256)
def _group(
    entries: tuple[str, ...],
) -> tuple[dict[str, Opt], tuple[tuple[re.Pattern[str], Opt], ...]]:
    """An option group's spellings and patterns (the first spelling of a name wins)."""
    exact: dict[str, Opt] = {}
    patterns: list[tuple[re.Pattern[str], Opt]] = []
    for entry in entries:
        names, opt = parse_option(entry)
        for n in names:
            if is_pattern(n):
                patterns.append((compile_pattern(n), opt))
            else:
                exact.setdefault(n, opt)
    return exact, tuple(patterns)
