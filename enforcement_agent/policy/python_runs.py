"""What Python tooling runs from the workspace: build backends and setup scripts a package
build runs, scripts and modules named on a command line, the files `-m MODULE` loads, and what
pytest loads (its configuration files, plugins, `-p` options and conftest files)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.container_runs import dockerfile_from
from enforcement_agent.policy.paths import Workspace
from enforcement_agent.policy.regular_reads import open_regular
from enforcement_agent.policy.repo_run_words import CONFIG_LIMIT, MANIFEST_MARK, PRELOADS, UNFIXED

_MODULE_NAME = lazy_compile(r"[A-Za-z_][\w-]*(?:(?:\.|::|/)[A-Za-z_][\w-]*)*")


def python_build(name: str, args: Sequence[str]) -> str | None:
    """The project folder a Python build or install of the command builds (`pip install
    .`, `pip install -e sub`, `pip wheel .`, `python -m pip install .`, `python -m build`,
    `uv sync|build|run|pip install .`, `poetry install|build`, `pdm install|build|sync`,
    `hatch build`); None when it builds none."""
    words = list(args[:64])
    if name.startswith("python") and words[:2] in (["-m", "pip"], ["-m", "build"]):
        name, words = words[1], words[2:]
    if name == "uv" and words[:1] == ["pip"]:
        name, words = "pip", words[1:]
    verbs = {"pip": ("install", "wheel"), "pip3": ("install", "wheel"), "uv": ("sync", "build",
             "run"), "poetry": ("install", "build"), "pdm": ("install", "build", "sync"),
             "hatch": ("build",), "rye": ("sync", "build"), "build": ()}  # fmt: skip
    if name not in verbs:
        return None
    if name == "build":
        rest = [w for w in words if not w.startswith("-")]
        return rest[0] if rest else "."
    if not words or words[0] not in verbs[name]:
        return None
    if name in ("pip", "pip3"):
        for j, w in enumerate(words[1:], 1):
            if w in ("-e", "--editable") and j + 1 < len(words):
                w = words[j + 1]
            if w == "." or w.startswith(("./", "../")) or w.endswith("/"):
                return w.split("[")[0]  # (`.[dev]`)
            if w.startswith(".["):
                return "."
        return None
    return "."


def py_script(args: Sequence[str], add: Callable[[str], None]) -> None:
    """The first `.py` operand of a Python tool that runs a script (an option's `=` value
    skipped)."""
    for arg in args[:32]:
        if arg in ("-m", "--module", "-c"):
            return  # (a module by name: read as `python -m` reads it)
        if arg.endswith(".py") and not arg.startswith("-"):
            add(arg)
            return


def module_option(lang: str, args: Sequence[str], j: int, out: list[str], cwd: str) -> bool:
    """Whether ``args[j]`` of a perl, ruby or node command names a module loaded by name
    or a folder such names are found in; the markers it stands for are added to ``out``."""
    arg = args[j]
    nxt = args[j + 1] if j + 1 < len(args) else ""
    if lang in ("pl", "rb") and arg.startswith("-I"):
        folder = arg[2:] or nxt
        if folder and not UNFIXED.search(folder):
            out.append(MANIFEST_MARK + f"libdir-{lang}@@d:" + dockerfile_from(folder, cwd))
        return True
    if lang == "pl" and arg[:2] in ("-M", "-m"):
        spec = arg[2:] or nxt
        if spec.startswith("lib="):
            # `perl -Mlib=ci,tools`: folders put first on @INC, as `-I` does
            for folder in spec[4:].split(",")[:8]:
                if folder and not UNFIXED.search(folder):
                    out.append(MANIFEST_MARK + "libdir-pl@@d:" + dockerfile_from(folder, cwd))
            return True
        words = spec.lstrip("-").partition("=")[0].split()[0:1]
        if words and _MODULE_NAME.fullmatch(words[0]):
            out.append(MANIFEST_MARK + "loadmod-pl@@m:" + words[0])
        return True
    if lang == "rb" and arg.startswith("-r") and not arg.startswith("--"):
        name = arg[2:] or nxt
        if _MODULE_NAME.fullmatch(name):
            out.append(MANIFEST_MARK + "loadmod-rb@@m:" + name)
        return bool(_MODULE_NAME.fullmatch(name))
    if lang == "js" and arg.partition("=")[0] in PRELOADS:
        name = arg.partition("=")[2] if "=" in arg else nxt
        if _MODULE_NAME.fullmatch(name) and "::" not in name:
            out.append(MANIFEST_MARK + "loadmod-js@@m:" + name)
            return True
    return False


def pytest_loads(args: Sequence[str], out: list[str], cwd: str) -> None:
    """The plugins a pytest command loads by name (`-p NAME`), and its configuration file,
    whose `addopts` and `pythonpath` are read too (`pytest_config`)."""
    config = ""
    for j, arg in enumerate(args[:256]):
        if arg in ("-p", "-c", "--config-file") and j + 1 < len(args):
            value = args[j + 1]
        elif arg.startswith("-p") and not arg.startswith("--"):
            arg, value = "-p", arg[2:]
        elif arg.startswith("--config-file="):
            arg, value = "-c", arg.partition("=")[2]
        else:
            continue
        if arg == "-p" and _MODULE_NAME.fullmatch(value):
            out.append(MANIFEST_MARK + "loadmod-py@@m:" + value)
        elif arg != "-p" and not UNFIXED.search(value):
            config = value
    if config:
        out.append(MANIFEST_MARK + "pytestcfg@@f:" + dockerfile_from(config, cwd))
    else:
        out.append(MANIFEST_MARK + "pytestcfg@@d:" + dockerfile_from(".", cwd))
    out.append(MANIFEST_MARK + "libdir-py@@d:" + dockerfile_from(".", cwd))  # (fail closed)


# pytest's configuration files, in the order it tries them in each folder, walking up
_PYTEST_CONFIGS = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")


_PYTEST_SECTION = {
    "pyproject.toml": r"(?m)^\s*\[\s*tool\.pytest(?:\.ini_options)?\s*\]",
    "tox.ini": r"(?m)^\s*\[pytest\]",
    "setup.cfg": r"(?m)^\s*\[tool:pytest\]",
}


def pytest_config(ws: Workspace, target: str, is_dir: bool) -> tuple[str, str]:
    """(the configuration file pytest takes from ``target`` up, its text)."""
    if not is_dir:
        try:
            with open_regular(target) as fh:
                return target, fh.read(CONFIG_LIMIT).decode("utf-8", "replace")
        except OSError:
            return target, ""
    folder = target
    for _ in range(16):
        for n in _PYTEST_CONFIGS:
            path = os.path.join(folder, n)
            try:
                with open_regular(path) as fh:
                    text = fh.read(CONFIG_LIMIT).decode("utf-8", "replace")
            except OSError:
                continue
            if n not in _PYTEST_SECTION or re.search(_PYTEST_SECTION[n], text):
                return path, text
        if folder == ws.root or not ws.contains(os.path.dirname(folder)):
            break
        folder = os.path.dirname(folder)
    return "", ""


def pytest_options(path: str, text: str) -> tuple[list[str], list[str]]:
    """(the plugins its `addopts` loads by name, its `pythonpath` folders) of a pytest
    configuration file."""
    addopts: list[str] = []
    folders: list[str] = []
    if path.endswith(".toml"):
        import tomllib  # noqa: PLC0415

        try:
            doc = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError):
            return [], []
        tool = doc.get("tool", {}) if isinstance(doc, dict) else {}
        pyt = tool.get("pytest", {}) if isinstance(tool, dict) else {}
        for table in (pyt, pyt.get("ini_options", {}) if isinstance(pyt, dict) else {}):
            if not isinstance(table, dict):
                continue
            for key, into in (("addopts", addopts), ("pythonpath", folders)):
                value = table.get(key)
                if isinstance(value, str):
                    into += value.split() if key == "pythonpath" else shell_split(value)
                elif isinstance(value, list):
                    into += [str(v) for v in value[:256]]
    else:
        # an ini file: `addopts =` and `pythonpath =` with their continuation lines, in any
        # section (fail closed)
        key = ""
        for line in text.splitlines()[:4000]:
            m = re.match(r"\s*(addopts|pythonpath)\s*[=:]\s*(.*)$", line)
            if m:
                key = m.group(1)
                value = m.group(2)
            elif key and line[:1] in (" ", "\t") and line.strip():
                value = line.strip()
            else:
                key = ""
                continue
            if key == "addopts":
                addopts += shell_split(value)
            else:
                folders += value.split()
    plugins: list[str] = []
    for j, arg in enumerate(addopts[:256]):
        value = ""
        if arg == "-p" and j + 1 < len(addopts):
            value = addopts[j + 1]
        elif arg.startswith("-p") and not arg.startswith("--"):
            value = arg[2:]
        if _MODULE_NAME.fullmatch(value):
            plugins.append(value)
    return plugins[:32], folders[:16]


def shell_split(value: str) -> list[str]:
    """``value``'s words as a POSIX shell splits them (at blanks when its quotes do not close)."""
    import shlex  # noqa: PLC0415

    try:
        return shlex.split(value)
    except ValueError:
        return value.split()


def module_files(lang: str, name: str) -> list[str]:
    """The files, relative to a folder of its search path, that loading ``name`` by name
    runs (a package's `__init__.py` above it too)."""
    if lang == "py":
        parts = name.split(".")
        return [
            *("/".join(parts[: k + 1]) + "/__init__.py" for k in range(len(parts))),
            "/".join(parts) + ".py",
            "/".join(parts) + "/__main__.py",
        ]
    if lang == "pl":
        return [name.replace("::", "/") + ".pm"]
    if lang == "rb":
        return [name + ".rb", name + ".so"]
    return [name + ext for ext in (".js", ".cjs", ".mjs", ".json", "/index.js", "/package.json")]
