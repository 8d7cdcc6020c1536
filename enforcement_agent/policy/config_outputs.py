"""Paths a tool's own configuration file tells it to write, for tools that run no project code.

`ruff` writes its cache where `cache-dir` says, `coverage` its data file (`data_file`; `coverage
erase` removes it) and reports (`[html] directory`, `[xml]/[json]/[lcov] output`), `mypy` its
cache and reports (`cache_dir`, `junit_xml`, `*_report`), `tsc` its output (`outDir`,
`outFile`, `declarationDir`, `tsBuildInfoFile`), whatever the command line says: a
forty-eighth red-team pass had `cache-dir = ".github/r"` make `ruff check a.py` write into
`.github`, and `data_file = "CLAUDE.md"` make `coverage erase` remove CLAUDE.md (both shown);
the same options on the command line were checked.

Read as text, line by line (TOML, INI and JSON all write `key = value` or `"key": value` on
one line): every value of a listed key, in every section (a key of another tool's section is
checked too: fail closed). A value built at run time (`$VAR`, `~`, `%(x)s`, `${configDir}`)
cannot be decided.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.regular_reads import open_regular

_PY_CONFIGS = ("pyproject.toml", "setup.cfg", "tox.ini")
TOOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ruff": (("ruff.toml", ".ruff.toml", "pyproject.toml"), ("cache-dir", "cache_dir")),
    "coverage": (
        (".coveragerc", *_PY_CONFIGS),
        ("data_file", "directory", "output"),
    ),
    "mypy": (
        ("mypy.ini", ".mypy.ini", *_PY_CONFIGS),
        (
            "cache_dir",
            "junit_xml",
            "html_report",
            "xml_report",
            "txt_report",
            "linecount_report",
            "linecoverage_report",
            "memory_xml_report",
            "cobertura_xml_report",
            "lineprecision_report",
            "any_exprs_report",
            "xslt_html_report",
            "xslt_txt_report",
        ),
    ),
    "tsc": (("tsconfig.json",), ("outDir", "outFile", "out", "declarationDir", "tsBuildInfoFile")),
}
# the names the tools run under (`python -m coverage`, `dmypy`, `npx tsc`)
NAMES = {
    "ruff": "ruff",
    "coverage": "coverage",
    "python-coverage": "coverage",
    "mypy": "mypy",
    "dmypy": "mypy",
    "python-mypy": "mypy",
    "tsc": "tsc",
}
_BYTES = 256 * 1024
_TOTAL = 1024 * 1024  # bytes read for one tool's run, all files together (class 10)
_LEVELS = 32  # folders walked up from where the tool runs
_KEY = lazy_compile(r'\s*"?([A-Za-z_][\w.-]*)"?\s*[=:]\s*(.*)')
# a JSON name and, when it is a string, its value (the value's group is empty otherwise)
_JSON_PAIR = lazy_compile(r'("(?:[^"\\\n]|\\.)*+")\s*:\s*("(?:[^"\\\n]|\\.)*+")?')
_RUNTIME = lazy_compile(r"[$~%`]")


class Undecidable(ValueError):
    """A configured output that cannot be named now."""


def configured_outputs(tool: str, cwd: str, top: str) -> list[tuple[str, str]]:
    """(configuration file, value) for every output key of ``tool``'s configuration files in
    ``cwd`` and the folders above it up to ``top`` (tsconfig's relative `extends` followed).
    Raises :class:`Undecidable`."""
    files, keys = TOOLS[tool]
    out: list[tuple[str, str]] = []
    folder = cwd
    budget = [_TOTAL]
    for _ in range(_LEVELS):
        for base in files:
            path = os.path.join(folder, base)
            out += _values(path, keys, tool, 0, budget)
        if folder == top or not folder.startswith(top):
            break
        folder = os.path.dirname(folder)
    return out


def _values(
    path: str, keys: tuple[str, ...], tool: str, depth: int, budget: list[int]
) -> list[tuple[str, str]]:
    text = _read(path, budget)
    if text is None:
        return []
    if tool == "tsc":
        return _json_values(path, text, keys, depth, budget)
    out: list[tuple[str, str]] = []
    for line in text.splitlines():
        m = _KEY.match(line)
        if m and m.group(1).rpartition(".")[2] in keys:
            value = _literal(m.group(2))
            if value is None or _RUNTIME.search(value):
                raise Undecidable(f"{path}: {m.group(1)} is not a plain path")
            if value:
                out.append((path, value))
    return out


def _json_values(
    path: str, text: str, keys: tuple[str, ...], depth: int, budget: list[int]
) -> list[tuple[str, str]]:
    """Every `"KEY": VALUE` pair of a tsconfig file (JSON with comments, any layout, escapes
    in names decoded as the parser decodes them), and the files a relative `extends` names."""
    out: list[tuple[str, str]] = []
    for m in _JSON_PAIR.finditer(text):
        try:
            key = json.loads(m.group(1))
            value = json.loads(m.group(2)) if m.group(2) else None
        except ValueError:
            raise Undecidable(f"{path}: a name or value cannot be read as JSON") from None
        if key in keys:
            if not isinstance(value, str) or _RUNTIME.search(value):
                raise Undecidable(f"{path}: {key} is not a plain path")
            out.append((path, value))
        elif key == "extends" and (isinstance(value, str) or m.group(2) is None):
            if not isinstance(value, str):
                raise Undecidable(f"{path}: extends a list of files")
            if value.startswith((".", "/")):
                if depth >= 4:
                    raise Undecidable(f"{path}: extends more than four files deep")
                target = os.path.normpath(os.path.join(os.path.dirname(path), value))
                if not target.endswith(".json"):
                    target += ".json" if os.path.isfile(target + ".json") else "/tsconfig.json"
                out += _values(target, keys, "tsc", depth + 1, budget)
    return out


def _literal(raw: str) -> str | None:
    """A one-line value: quoted (its text), or bare up to a comment; None when it is not
    one (an array, a table, a value continued on the next line)."""
    raw = raw.strip().rstrip(",").strip()
    if raw[:1] in ('"', "'"):
        end = raw.find(raw[0], 1)
        return raw[1:end] if end > 0 else None
    if raw[:1] in ("[", "{"):
        return None
    return re.split(r"\s[#;]", raw, maxsplit=1)[0].strip()


def _read(path: str, budget: list[int]) -> str | None:
    try:  # (a FIFO or a device is not read: it is taken as absent)
        with open_regular(path) as f:
            data = f.read(_BYTES + 1)
    except OSError:
        return None
    if len(data) > _BYTES:
        raise Undecidable(f"{path} is longer than {_BYTES} bytes")
    budget[0] -= len(data)
    if budget[0] < 0:
        raise Undecidable(f"its configuration files hold more than {_TOTAL} bytes")
    return data.decode("utf-8", "replace")


def output_paths(tool: str, cwd: str, top: str) -> Iterator[str]:
    """Each configured output as paths to check: from the configuration file's folder and
    from where the tool runs (tools differ in which one a relative value is taken from)."""
    for path, value in configured_outputs(tool, cwd, top):
        yield os.path.join(os.path.dirname(path), value)
        yield os.path.join(cwd, value)
