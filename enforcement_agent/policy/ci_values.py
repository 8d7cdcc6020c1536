"""The values a CI file gives its variables, put into the commands that use them.

`env: {S: ci/x}` then `run: bash $S`, a matrix entry run as `bash ${{ matrix.s }}`, `echo
S=ci/x >> $GITHUB_ENV` then `bash $S` in a later step, `S=ci/x; bash $S` in one line: the
CI-line reader saw `$S` (a value it does not know) and protected nothing (forty-fourth pass).
Every literal value the file gives a name (any mapping key of its YAML, shell assignments and
`$GITHUB_ENV`/`$GITHUB_OUTPUT` lines of its commands) is collected per name, and a command
that uses a known name is read once per value it may take (at most ``VARIANTS`` readings;
a name with more values than that is read with its first ones: bounded, documented).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from enforcement_agent.lazy_regex import lazy_compile

VARIANTS = 16  # readings of one command at most
_VALUES = 16  # values kept per name
_NAMES = 512  # names kept per file
_VALUE_LEN = 512

# `NAME=value` as a shell assignment (also after export/local/declare/readonly), or written to
# `$GITHUB_ENV`/`$GITHUB_OUTPUT` by `echo`/`printf` (the `>>` target is not needed here: a
# value named anywhere only adds a reading)
_ASSIGN = lazy_compile(
    r"""(?:^|[\s;&|(`'"])(?:(?:export|local|readonly|declare(?:\s+-\w+)*|typeset)\s+)?"""
    r"""([A-Za-z_]\w{0,63})=("[^"\n]{0,512}"|'[^'\n]{0,512}'|[^\s;&|)`'"]{1,512})"""
)
# `for NAME in WORDS; do` (the words up to the `;`, the newline or `do`)
_LOOP = lazy_compile(r"\bfor\s+([A-Za-z_]\w{0,63})\s+in\s+([^;\n]{0,512}?)\s*(?:;|\n|\bdo\b)")
# a use: `$S`, `${S}`, `${S:-d}` (the name only), `${{ env.S }}`, `${{ matrix.s }}`,
# `${{ steps.p.outputs.s }}`, `${{ needs.j.outputs.s }}`, `${{ inputs.s }}`, GitLab's
# `$[[ inputs.s ]]`
_USE = lazy_compile(
    r"\$\{\{\s*(?:env|matrix|inputs|vars|(?:steps|needs|jobs)\.[\w-]+\.outputs)\.([\w-]+)\s*\}\}"
    r"|\$\[\[\s*inputs\.([\w-]+)\s*\]\]"
    r"|\$\{([A-Za-z_]\w*)(?:[:#%/^,@][^}]{0,256})?\}"
    r"|\$([A-Za-z_]\w*)"
)


def collect(values: dict[str, list[str]], name: str, value: object) -> None:
    """Add ``value`` (a string, a number, a list of them) as one of ``name``'s values."""
    items = value if isinstance(value, list) else [value]
    for item in items[:_VALUES]:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            continue
        text = str(item).strip()
        if not text or len(text) > _VALUE_LEN or "\n" in text:
            continue
        known = values.get(name)
        if known is None:
            if len(values) >= _NAMES:
                return
            known = values[name] = []
        if text not in known and len(known) < _VALUES:
            known.append(text)


def collect_assignments(values: dict[str, list[str]], commands: Iterable[str]) -> None:
    """The shell assignments of ``commands`` (see ``_ASSIGN``) and the words a `for` loop
    gives its variable, at most 256 of each per command."""
    for command in commands:
        text = command[: 64 << 10]
        if "=" in text:
            for m in itertools.islice(_ASSIGN.finditer(text), 256):
                collect(values, m.group(1), m.group(2).strip("'\""))
        if "for" in text:
            for m in itertools.islice(_LOOP.finditer(text), 256):
                collect(values, m.group(1), [w.strip("'\"") for w in m.group(2).split()[:_VALUES]])


def readings(command: str, values: dict[str, list[str]]) -> list[str]:
    """``command`` with each known name it uses put in, once per combination of values (the
    first ``VARIANTS``); ``[]`` when it uses no known name."""
    if not values or "$" not in command:
        return []
    uses: dict[str, list[str]] = {}
    for m in itertools.islice(_USE.finditer(command[: 64 << 10]), 256):
        name = next(g for g in m.groups() if g is not None)
        if name in values and name not in uses:
            uses[name] = values[name]
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
