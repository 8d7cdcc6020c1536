"""git configuration files read as text, never by running git.

The policy reads a repository's own configuration to learn what git would run or send: hooks
paths (``core.hooksPath``), includes, credential helpers, cookie files, keys that name a
program. Every reader splits lines, sections and values here, the way git does for the cases
that matter to those readers: a backslash at the end of a line continues the value, a
``[section "sub"] key = value`` may sit on one line, quotes and trailing comments are taken
off a value.
"""

from __future__ import annotations

from collections.abc import Iterator

from enforcement_agent.lazy_regex import lazy_compile

# `[section]`, `[section "subsection"]`, and what follows the bracket on the same line
SECTION = lazy_compile(r'^\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(.*)$')
# `name`, `name = value` (a name alone is a boolean true)
KEY = lazy_compile(r"^\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$")


def config_lines(text: str) -> list[str]:
    """git config lines, a value continued by a backslash at the end of a line joined with
    the next one (`hooksPath = h`, backslash, newline, `k` is `hk`)."""
    out: list[str] = []
    pending = ""
    for line in text.splitlines():
        line = pending + line
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2:
            pending = line[:-1]
            continue
        pending = ""
        out.append(line)
    if pending:
        out.append(pending)
    return out


def config_value(raw: str) -> str:
    """A git config value: quotes removed, a trailing comment dropped, escapes kept simple."""
    out: list[str] = []
    quoted = False
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\\" and i + 1 < len(raw):
            out.append({"n": "\n", "t": "\t"}.get(raw[i + 1], raw[i + 1]))
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif c in "#;" and not quoted:
            break
        else:
            out.append(c)
        i += 1
    return "".join(out).strip()


def settings(text: str) -> Iterator[tuple[str, str, str]]:
    """``(section, name, value)`` of every ``name = value`` line of a config file's text,
    section and name lower-cased (a subsection is not kept), the value as :func:`config_value`
    reads it."""
    section = ""
    for line in config_lines(text):
        m = SECTION.match(line)
        if m:
            section = m.group(1).lower()
            line = m.group(3)  # `[core] hooksPath = x` on one line
        k = KEY.match(line)
        if not k or k.group(2) is None:
            continue
        yield section, k.group(1).lower(), config_value(k.group(2))
