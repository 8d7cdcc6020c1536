"""The values a CI file gives its variables, put into the commands that use them.

`env: {S: ci/x}` then `run: bash $S`, a matrix entry run as `bash ${{ matrix.s }}`, `echo
S=ci/x >> $GITHUB_ENV` then `bash $S` in a later step, `S=ci/x; bash $S` in one line: the
CI-line reader saw `$S` (a value it does not know) and protected nothing (forty-fourth pass).
Every literal value the file gives a name (any mapping key of its YAML, shell assignments and
`$GITHUB_ENV`/`$GITHUB_OUTPUT` lines of its commands) is collected per name, and a command
that uses a known name is read once per value it may take (at most ``VARIANTS`` readings of
combinations, then one more reading of the lines that use it for each value those left out,
at most ``_COVER``; forty-fifth pass). A CI
file's commands take its own values; the task files and scripts CI runs take every CI file's.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from enforcement_agent.lazy_regex import lazy_compile

VARIANTS = 32  # readings of one command at most (every combination of values, the first)
_VALUES = 256  # values kept per name: the first 32 of any length, more up to 128 characters
_SHORT_VALUE = 128
_COVER = 256  # readings more of one command, so that every value of a name is put in once
_COVER_TEXT = 2 << 10  # characters of the command those readings read (the lines using it)
_NAMES = 512  # names kept per file
_VALUE_LEN = 512

# `NAME=value` as a shell assignment (also after export/local/declare/readonly), or written to
# `$GITHUB_ENV`/`$GITHUB_OUTPUT` by `echo`/`printf` (the `>>` target is not needed here: a
# value named anywhere only adds a reading)
_ASSIGN = lazy_compile(
    r"""(?:^|[\s;&|(`'"])(?:(?:export|local|readonly|declare(?:\s+-\w+)*|typeset)\s+)?"""
    r"""([A-Za-z_]\w{0,63})=("[^"\n]{0,512}"|'[^'\n]{0,512}'|[^\s;&|)`'"]{1,512})"""
)
# `${S:-W}`, `${S-W}`, `${S:=W}`, `${S=W}`, `${S:+W}`, `${S+W}` (W without an expansion)
_DEFAULT = lazy_compile(r"\$\{([A-Za-z_]\w{0,63}):?[-=+]([^}$`\n]{1,512})\}")
# `printf -v S '%s' W`
_PRINTF_V = lazy_compile(
    r"""printf\s+-v\s*([A-Za-z_]\w{0,63})\s+(?:'%s'|"%s"|%s)\s+("[^"\n]{1,512}"|'[^'\n]{1,512}'|[^\s;&|)]{1,512})"""
)
# a substitution whose output is its own words: `$(echo W)`, `` `echo W` ``, `$(printf
# %s W)`, `$(realpath W)`, `$(readlink -f W)` (read once more with W in its place)
_TRIVIAL = lazy_compile(
    r"""\$\(\s*(?:echo(?:\s+-n)?|printf\s+(?:'%s'|"%s"|%s)|realpath|readlink\s+-[fem])\s+([^()$`;&|]{1,512})\)"""
    r"""|`\s*(?:echo(?:\s+-n)?|printf\s+(?:'%s'|"%s"|%s)|realpath|readlink\s+-[fem])\s+([^`$;&|]{1,512})`"""
)
# `for NAME in WORDS; do` (the words up to the `;`, the newline or `do`)
_LOOP = lazy_compile(r"\bfor\s+([A-Za-z_]\w{0,63})\s+in\s+([^;\n]{0,512}?)\s*(?:;|\n|\bdo\b)")
# a use: `$S`, `${S}`, `${S:-d}` (the name only), `${{ env.S }}`, `${{ matrix.s }}`,
# `${{ steps.p.outputs.s }}`, `${{ needs.j.outputs.s }}`, `${{ inputs.s }}`, GitLab's
# `$[[ inputs.s ]]`, Azure's `$(S)`, `${{ variables.S }}` and `$[variables.S]`, CircleCI's
# `<< parameters.s >>`, a Taskfile's `{{.S}}`, Jenkins's `${env.S}`, a dev container's
# `${containerEnv:S}`
_USE = lazy_compile(
    r"\$\{\{\s*(?:env|matrix|inputs|vars|variables|parameters|github\.event\.inputs"
    r"|(?:steps|needs|jobs|dependencies)\.[\w-]+\.outputs)\.([\w-]+)\s*\}\}"
    r"|\$\[\[\s*inputs\.([\w-]+)\s*\]\]"
    r"|\$\[\s*variables\.([\w-]+)\s*\]"
    r"|<<\s*(?:pipeline\.)?parameters\.([\w-]+)\s*>>"
    r"|\{\{\s*\.([\w-]+)\s*\}\}"
    r"|\$\{env\.(\w+)\}"
    r"|\$\{(?:containerEnv|localEnv|remoteEnv):(\w+)(?::[^}]{0,256})?\}"
    r"|\$\{([A-Za-z_]\w*)(?:[:#%/^,@=+?-][^}]{0,256})?\}"
    r"|\$\(([A-Za-z_][\w.]*)\)"
    r"|\$([A-Za-z_]\w*)"
)
_PAIR = lazy_compile(r"([A-Za-z_]\w{0,63})=(\S.{0,511})")


def collect_node(values: dict[str, list[str]], node: dict[object, object]) -> None:
    """The values one mapping of a CI file gives names: each key's scalar or list; a key
    holding `{default: V}` (workflow, CircleCI and GitLab `inputs`/`parameters`) or `{value:
    V}` (GitLab `variables`); Azure's `{name: S, value: V}` list items; `K=V` strings
    (Travis's and Drone's `env` lists)."""
    name, value = node.get("name"), node.get("value")
    if isinstance(name, str) and isinstance(value, (str, int, float)):
        collect(values, name, value)
    for key, value in itertools.islice(node.items(), 256):
        if not isinstance(key, str):
            continue
        if isinstance(value, dict):
            for field in ("default", "value"):
                if isinstance(value.get(field), (str, int, float, list)):
                    collect(values, key, value[field])
            continue
        collect(values, key, value)


def collect(values: dict[str, list[str]], name: str, value: object) -> None:
    """Add ``value`` (a string, a number, a list of them) as one of ``name``'s values; a
    `K=V` string also gives V to K."""
    items = value if isinstance(value, list) else [value]
    for item in items[:_VALUES]:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            continue
        text = str(item).strip()
        if not text or len(text) > _VALUE_LEN or "\n" in text:
            continue
        pair = _PAIR.fullmatch(text)
        if pair and pair.group(1) != name:
            collect(values, pair.group(1), pair.group(2).strip("'\""))
        known = values.get(name)
        if known is None:
            if len(values) >= _NAMES:
                return
            known = values[name] = []
        if len(known) < _VALUES and (len(known) < VARIANTS or len(text) <= _SHORT_VALUE):
            if text not in known:
                known.append(text)


def collect_assignments(values: dict[str, list[str]], commands: Iterable[str]) -> None:
    """The shell assignments of ``commands`` (see ``_ASSIGN``, `printf -v`), the words a
    `for` loop gives its variable and the words of `${S:-W}`, `${S=W}`, `${S:+W}` (what `$S`
    may stand for there), at most 256 of each per command."""
    for command in commands:
        text = command[: 64 << 10]
        if "=" in text:
            for m in itertools.islice(_ASSIGN.finditer(text), 256):
                collect(values, m.group(1), m.group(2).strip("'\""))
        if "${" in text:
            for m in itertools.islice(_DEFAULT.finditer(text), 256):
                collect(values, m.group(1), m.group(2).strip("'\""))
        if "printf" in text:
            for m in itertools.islice(_PRINTF_V.finditer(text), 256):
                collect(values, m.group(1), m.group(2).strip("'\""))
        if "for" in text:
            for m in itertools.islice(_LOOP.finditer(text), 256):
                collect(values, m.group(1), [w.strip("'\"") for w in m.group(2).split()[:_VALUES]])


def readings(command: str, values: dict[str, list[str]]) -> list[str]:
    """``command`` with each known name it uses put in, once per combination of values (the
    first ``VARIANTS``), and once more where a value used another (`S: ${{ env.D }}/x`);
    first, a command whose trivial substitutions (`$(echo W)`) are put in; ``[]`` when it
    uses no known name and no such substitution."""
    out: list[str] = []
    if ("$(" in command or "`" in command) and _TRIVIAL.search(command[: 64 << 10]):
        trivial = _TRIVIAL.sub(lambda m: (m.group(1) or m.group(2)).strip(), command[: 64 << 10])
        out.append(trivial)
        command = trivial
    for reading in _put(command, values):
        again = _put(reading, values)
        out += again or [reading]
        if len(out) >= VARIANTS:
            break
    return out[:VARIANTS] + _coverage(command, values)


def _used(command: str, values: dict[str, list[str]]) -> dict[str, list[str]]:
    """The known names ``command`` uses, with their values."""
    uses: dict[str, list[str]] = {}
    for m in itertools.islice(_USE.finditer(command[: 64 << 10]), 256):
        name = next(g for g in m.groups() if g is not None)
        if name in values and name not in uses:
            uses[name] = values[name]
    return uses


def _coverage(command: str, values: dict[str, list[str]]) -> list[str]:
    """Readings that put in each value of a used name the first ``VARIANTS`` combinations
    left out (a matrix of 33 entries, or two names of 6 values: `bash ${{ matrix.s }}` with
    the script last was never read; a forty-fifth red-team pass), the others' first value
    beside it; of the lines that use a name only (at most ``_COVER_TEXT`` characters, around
    each use), at most ``_COVER`` of them. Pairs of values past the first combinations stay
    unread (open, documented)."""
    if not values or not ("$" in command or "<<" in command or "{{" in command):
        return []
    uses = _used(command, values)
    total = 1
    for known in uses.values():
        total *= len(known)
    if total <= VARIANTS:
        return []
    names = list(uses)
    seen: dict[str, set[str]] = {n: set() for n in names}
    for combo in itertools.islice(itertools.product(*(uses[n] for n in names)), VARIANTS):
        for n, v in zip(names, combo, strict=True):
            seen[n].add(v)
    text = _around_uses(command)
    first = {n: uses[n][0] for n in names}
    out: list[str] = []
    for n in names:
        for v in uses[n]:
            if v in seen[n]:
                continue
            chosen = {**first, n: v}

            def put(m: re.Match[str], chosen: dict[str, str] = chosen) -> str:
                name = next(g for g in m.groups() if g is not None)
                return chosen.get(name, m.group(0))

            out.append(_USE.sub(put, text))
            if len(out) >= _COVER:
                return out
    return out


def _around_uses(command: str) -> str:
    """The lines of ``command`` that use a name, each at most 1 KB around its first use,
    together at most ``_COVER_TEXT`` characters."""
    parts: list[str] = []
    size = 0
    for line in command[: 64 << 10].splitlines():
        m = _USE.search(line)
        if m is None:
            continue
        if len(line) > 1024:
            start = max(0, m.start() - 512)
            cut = max(line.rfind(c, start, m.start()) for c in ";&|")
            line = line[cut + 1 if cut >= start else start : m.end() + 512]
        parts.append(line)
        size += len(line) + 1
        if size >= _COVER_TEXT:
            break
    return "\n".join(parts)[:_COVER_TEXT]


def _put(command: str, values: dict[str, list[str]]) -> list[str]:
    """``command`` once per combination of the known values it uses (``[]``: none)."""
    if not values or not ("$" in command or "<<" in command or "{{" in command):
        return []
    uses = _used(command, values)
    if not uses:
        return []
    names = list(uses)
    out = []
    for combo in itertools.islice(itertools.product(*(uses[n] for n in names)), VARIANTS):
        chosen = dict(zip(names, combo, strict=True))

        def put(m: re.Match[str], chosen: dict[str, str] = chosen) -> str:
            name = next(g for g in m.groups() if g is not None)
            return chosen.get(name, m.group(0))

        out.append(_USE.sub(put, command[: 64 << 10]))
    return out


def merge(into: dict[str, list[str]], values: dict[str, list[str]]) -> None:
    """Add every value of ``values`` to ``into`` (bounded as ``collect`` is)."""
    for name, known in values.items():
        collect(into, name, known)


def merged(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    """A new dictionary of ``a``'s values and ``b``'s."""
    out: dict[str, list[str]] = {}
    merge(out, a)
    merge(out, b)
    return out


# Groovy's `[def] NAME = 'V'` and `"V"` (a Jenkinsfile's variables and `environment {}`)
_GROOVY_SET = lazy_compile(
    r"""(?:^|(?<=[\s{;(]))(?:def[^\S\n]+|env\.)?([A-Za-z_]\w{0,63})[^\S\n]*=(?!=)[^\S\n]*"""
    r"""(?:'([^'\n]{1,512})'|"([^"\n]{1,512})")"""
)
_QUOTED_PAIR = lazy_compile(r"""['"]([A-Za-z_]\w{0,63})=([^'"\n]{1,512})['"]""")


def collect_groovy(values: dict[str, list[str]], text: str) -> None:
    """A Jenkinsfile's assignments and `'K=V'` strings (`withEnv`), at most 1,024 of each."""
    text = text[: 256 << 10]
    for m in itertools.islice(_GROOVY_SET.finditer(text), 1024):
        collect(values, m.group(1), m.group(2) if m.group(2) is not None else m.group(3))
    for m in itertools.islice(_QUOTED_PAIR.finditer(text), 1024):
        collect(values, m.group(1), m.group(2))
