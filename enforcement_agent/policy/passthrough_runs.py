"""Where tox and nox put the words after `--`: the command lines they land in.

`tox -e py -- WORDS` hands WORDS to every `commands` line of the environment that holds
`{posargs}`, and `nox -s s -- WORDS` to `session.posargs`. Where that is the line's first
word (`commands = {posargs}`, `session.run(*session.posargs)`) WORDS are a command of their
own, which tox's `exec` verb (refused) is for: a forty-fifth red-team pass had `tox -- bash -c
'…'` and `nox -- sh -c '…'` allowed, where the same words as a command are decided. Each such
line is read here as the command it becomes (the literal words before `{posargs}`, then
WORDS), and the evaluator decides that command; a use of `session.posargs` outside a
`session.run(…)` call (a variable, a list it builds) is read as WORDS alone, a command
(fail closed).
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Sequence

from enforcement_agent.policy.regular_reads import read_regular
from enforcement_agent.policy.task_file_commands import manifest_commands

_LIMIT = 256 << 10  # a configuration's first 256 KB (as the task-file readers read them)
_TOX_FILES = ("tox.ini", "tox.toml", "setup.cfg", "pyproject.toml")
_RUN_CALL = re.compile(r"\.run(?:_always|_install)?\(([^()]{0,2048})\)")
_QUOTED = re.compile(r"""[rbuf]?(?:"([^"\n]*)"|'([^'\n]*)')""")


def passthrough_words(args: Sequence[str]) -> list[str] | None:
    """The words after the first `--` of a tox or nox command line; None without one."""
    if "--" not in args:
        return None
    return list(args[list(args).index("--") + 1 :])


def _config_option(args: Sequence[str], names: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for i, a in enumerate(args):
        if a == "--":
            break
        if a in names and i + 1 < len(args):
            out.append(args[i + 1])
        for n in names:
            if n.startswith("--") and a.startswith(n + "="):
                out.append(a.partition("=")[2])
    return out


def posargs_prefixes(program: str, args: Sequence[str], cwd: str) -> list[list[str]]:
    """The words before the passthrough words of each command line they land in (an empty
    list: they are a command of their own), from the configuration ``program`` (tox or nox)
    reads in ``cwd``; [] when none takes them."""
    out: list[list[str]] = []
    if program == "tox":
        names = list(_TOX_FILES)
        for conf in _config_option(args, ("-c", "--conf")):
            # (`-c FILE`, or `-c DIR`: the configuration files in that folder)
            inside = [os.path.join(conf, n) for n in _TOX_FILES]
            names += [conf, *inside] if os.path.isdir(os.path.join(cwd, conf)) else [conf]
        for name in names[:12]:
            path = os.path.join(cwd, name)
            data = read_regular(path, _LIMIT)
            if data is None:
                continue
            text = data.decode("utf-8", "replace")
            if "posargs" not in text:
                continue
            kind_name = "tox.toml" if name.endswith(".toml") else name
            for command in manifest_commands(text, "tox", kind_name)[0][:2048]:
                line = command[0] if isinstance(command, tuple) else command
                if "posargs" not in line:
                    continue
                out.append(_before(line.split("posargs", 1)[0]))
            if re.search(r"""replace\s*=\s*["']posargs""", text) or not out:
                # (tox.toml's `{ replace = "posargs" }` item, or a use the reading did not see
                # as a command: the words may be a command of their own, fail closed)
                out.append([])
    else:
        names = [*_config_option(args, ("-f", "--noxfile")), "noxfile.py"]
        for name in names[:2]:
            data = read_regular(os.path.join(cwd, name), _LIMIT)
            if data is None:
                continue
            text = data.decode("utf-8", "replace")
            calls = [m for m in _RUN_CALL.finditer(text) if "posargs" in m.group(1)][:256]
            for m in calls:
                before = m.group(1).split("posargs", 1)[0]
                out.append([a or b for a, b in _QUOTED.findall(before)])
            if text.count("posargs") > sum(m.group(1).count("posargs") for m in calls):
                out.append([])  # (posargs used outside a run call: a command, fail closed)
            break
    # at most 16 distinct readings, the strictest (a command of its own) first
    unique = {tuple(p): None for p in sorted(out, key=len)}
    return [list(p) for p in list(unique)[:16]]


def _before(text: str) -> list[str]:
    """The literal words of a tox command line before `{posargs`: substitutions and the
    line's punctuation dropped (`commands = pytest --cov {posargs` → pytest --cov)."""
    text = re.sub(r"\{[^{}]*\}", " ", text).rstrip("{[ ")
    try:
        words = shlex.split(text, comments=False)
    except ValueError:
        words = text.split()
    words = [w.strip("\"',[]") for w in words]
    return [w for w in words if w and w not in ("-", "!")]
