"""The build tree a `cmake` configure step writes, and the fixed names it writes there.

Configuring writes its generator's files into the build tree whatever the project says:
`Makefile` (the default generator's) or `build.ninja`, `CMakeCache.txt`, `CMakeFiles/`,
`cmake_install.cmake`, `CTestTestfile.cmake`, `compile_commands.json`. The tree is `-B DIR`,
else a path argument that is a build tree already (it holds `CMakeCache.txt`), else the
directory cmake runs in, or a preset's `binaryDir`. A forty-eighth red-team pass: `cmake -B .`
and `cmake .` at the workspace's top rewrote the Makefile CI runs (shown), and `cd .github &&
cmake ..` wrote into `.github`; only `-B`'s value itself was checked, and `.` is no protected
path.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

from enforcement_agent.policy.regular_reads import open_regular

# Names a configure step writes into its build tree (cmake 3.25 with each generator; the
# Makefiles generator is the default on Linux).
TREE_FILES = (
    "Makefile",
    "build.ninja",
    "CMakeCache.txt",
    "CMakeFiles",
    "cmake_install.cmake",
    "CTestTestfile.cmake",
    "compile_commands.json",
    "DartConfiguration.tcl",
    "Testing",
)

# Modes that configure nothing (they build, install, run a script or a tool, or print).
_NOT_CONFIGURE = frozenset(
    {
        "--build",
        "--install",
        "--open",
        "-E",
        "-P",
        "--find-package",
        "--workflow",
        "-N",
        "--version",
        "--help",
        "-h",
        "-H",
        "--help-full",
        "--help-manual",
        "--help-manual-list",
        "--help-command",
        "--help-command-list",
        "--help-commands",
        "--help-module",
        "--help-module-list",
        "--help-modules",
        "--help-policy",
        "--help-policy-list",
        "--help-policies",
        "--help-property",
        "--help-property-list",
        "--help-properties",
        "--help-variable",
        "--help-variable-list",
        "--help-variables",
        "--list-presets",
        "--system-information",
    }
)
# Options whose value is the next word when not joined (cmake's own table, the ones the
# program spec allows).
_WITH_VALUE = frozenset(
    {"-S", "-B", "-G", "-T", "-A", "-D", "-U", "-C", "--toolchain", "--install-prefix"}
)
_PRESET_FILES = ("CMakePresets.json", "CMakeUserPresets.json")
_PRESET_BYTES = 256 * 1024


class Undecidable(ValueError):
    """The build tree cannot be named (a preset file that cannot be read)."""


def configure_trees(words: Sequence[str], cwd: str) -> list[str]:
    """The build trees (absolute or relative to ``cwd``) `cmake WORDS` configures in ``cwd``;
    empty when it does not configure. Raises :class:`Undecidable`."""
    build: str | None = None
    source: str | None = None
    preset: str | None = None
    paths: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        i += 1
        head = w.split("=", 1)[0]
        if head in _NOT_CONFIGURE:
            return []
        if w == "--":
            paths += words[i:]
            break
        if head == "--preset":
            preset = w.partition("=")[2] if "=" in w else (words[i] if i < len(words) else "")
            i += 0 if "=" in w else 1
            continue
        for opt in ("-S", "-B"):
            if w == opt or (w.startswith(opt) and not w.startswith("--")):
                value = w[2:] if w != opt else (words[i] if i < len(words) else "")
                i += 1 if w == opt else 0
                if opt == "-B":
                    build = value
                else:
                    source = value
                break
        else:
            if w in _WITH_VALUE:
                i += 1
            elif not w.startswith("-"):
                paths.append(w)
    if build is not None:
        return [build]
    trees: list[str] = []
    for p in paths:
        if os.path.isfile(os.path.join(cwd, p, "CMakeCache.txt")):
            trees.append(p)  # `cmake build`: an existing build tree, configured again
        elif source is None:
            source = p
    if preset is not None:  # (without a preset file cmake stops: nothing is written)
        return trees + _preset_trees(os.path.join(cwd, source or "."), preset)
    return trees or ["."]


def _preset_trees(source: str, preset: str) -> list[str]:
    """The build tree of configure preset ``preset`` in ``source``'s preset files: its
    `binaryDir`, or the first one its `inherits` chain gives (macros put in), else the
    directory cmake runs in; none when no such preset exists (cmake stops)."""
    presets: dict[str, dict[str, object]] = {}
    for base in _PRESET_FILES:
        path = os.path.join(source, base)
        if not os.path.lexists(path):
            continue
        try:
            with open_regular(path) as f:  # (never waits on a FIFO)
                raw = f.read(_PRESET_BYTES + 1)
            if len(raw) > _PRESET_BYTES:
                raise Undecidable(f"{base} is longer than {_PRESET_BYTES} bytes")
            data = json.loads(raw)
        except (OSError, ValueError) as exc:
            raise Undecidable(f"{base} cannot be read: {exc}") from None
        if not isinstance(data, dict):
            raise Undecidable(f"{base} is not a JSON object")
        if data.get("include"):
            raise Undecidable(f"{base} includes other preset files")
        items = data.get("configurePresets", [])
        if not isinstance(items, list) or not all(isinstance(p, dict) for p in items):
            raise Undecidable(f"{base}'s configurePresets is not a list of objects")
        for p in items:
            presets.setdefault(str(p.get("name", "")), p)
    if preset not in presets:
        return []
    # the preset's own binaryDir, else every one its ancestors give (which of them wins is
    # cmake's order of `inherits`: all are checked); each preset looked at once, 64 at most
    trees: list[str] = []
    todo: list[str] = [preset]
    seen: set[str] = set()
    while todo and len(seen) < 64:
        name = todo.pop()
        if name in seen or name not in presets:
            continue
        seen.add(name)
        binary = presets[name].get("binaryDir")
        if binary is not None:
            if not isinstance(binary, str):
                raise Undecidable(f"preset {name!r} has a binaryDir that is not a string")
            trees.append(_macros(binary, source, preset, name))
            continue  # what it inherits is overridden
        parents = presets[name].get("inherits", [])
        parents = [parents] if isinstance(parents, str) else parents
        if not isinstance(parents, list):
            raise Undecidable(f"preset {name!r} inherits from something that is not a list")
        todo += [str(x) for x in parents]
    if todo:
        raise Undecidable(f"preset {preset!r} inherits from more than 64 presets")
    return trees or ["."]


def _macros(text: str, source: str, preset: str, base: str) -> str:
    """``text`` with the macros a build tree's name may hold put in; another one (an
    environment variable, the generator) cannot be decided."""
    out = (
        text.replace("${sourceDir}", source)
        .replace("${sourceParentDir}", os.path.dirname(os.path.normpath(source)))
        .replace("${sourceDirName}", os.path.basename(os.path.normpath(source)))
        .replace("${presetName}", preset)
        .replace("${fileDir}", source)
    )
    if "$" in out:
        raise Undecidable(f"preset {base!r}: its binaryDir names a value known at run time")
    return os.path.join(source, out)  # relative to the source tree (absolute stays)
