"""Split a shell script into its logical commands (one governed ``exec`` each).

A logical command is a line, extended over backslash continuations, here-documents and
multi-line compound commands (``if … fi``, loops, quotes) until ``bash -n`` accepts it.
Comments, blank lines and the shebang are dropped; ``set -e`` (in any option cluster) is
reported so the governed adapter can stop at the first failing command, as bash would.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")
_SET = re.compile(r"^set(\s+([-+][A-Za-z]+|[a-z]+))+\s*$")


class ScriptError(ValueError):
    """A script that cannot be split into complete commands."""


@dataclass(frozen=True)
class ScriptCommands:
    commands: list[str]
    errexit: bool


def _complete(text: str) -> bool:
    res = subprocess.run(
        ["bash", "-n"], input=text, capture_output=True, text=True, timeout=10, check=False
    )
    return res.returncode == 0


def split_commands(script: str) -> ScriptCommands:
    lines = script.splitlines()
    commands: list[str] = []
    errexit = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        if _SET.match(stripped):
            opts = re.findall(r"(?<!\S)-([A-Za-z]+)", stripped)
            errexit = errexit or any("e" in o for o in opts) or "errexit" in stripped.split()
            continue
        block = [line]
        while True:
            # Pull in every here-document body opened by the lines so far.
            for delim in _HEREDOC.findall(block[-1]):
                word = delim[1]
                while i < len(lines) and lines[i].strip() != word:
                    block.append(lines[i])
                    i += 1
                if i >= len(lines):
                    raise ScriptError(f"here-document {word!r} is never closed")
                block.append(lines[i])
                i += 1
            text = "\n".join(block)
            if block[-1].endswith("\\") or not _complete(text):
                if i >= len(lines):
                    raise ScriptError(f"incomplete command at end of script: {block[0][:80]!r}")
                block.append(lines[i])
                i += 1
                continue
            commands.append(text)
            break
    return ScriptCommands(commands=commands, errexit=errexit)
