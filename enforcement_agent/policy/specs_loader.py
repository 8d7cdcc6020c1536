"""Program argument specs from policy files: YAML → :class:`ProgramSpec`, with lines on error.

A spec file (named by the template's ``exec.program_files``) may hold:

* ``groups``: named option lists that specs include with ``use: [name]``;
* ``modules``: named module tables (``python: {pytest: pytest, …}``) for ``-m`` style options;
* ``programs``: the specs of the programs contributors and above may run;
* ``read_only``: the specs of the only programs read-only roles (viewer) may run.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

from enforcement_agent.models import Verdict
from enforcement_agent.policy.argspec import (
    READ_ONLY_KINDS,
    STYLES,
    ProgramSpec,
    add_options,
    parse_arg,
)
from enforcement_agent.policy.errors import PolicyLoadError
from enforcement_agent.policy.globs import word_glob
from enforcement_agent.policy.spec_tables import SpecTables
from enforcement_agent.policy.yaml_lines import LineDict, LineList, line_of, load_yaml

_FILE_KEYS = {"groups", "modules", "programs", "read_only"}
_SPEC_KEYS = {
    "args_when",
    "names",
    "style",
    "abbrev",
    "oldstyle",
    "bsd_flags",
    "bsd_values",
    "pflag",
    "dashdash_options",
    "options",
    "common",
    "use",
    "args",
    "subcommands",
    "forbidden",
    "modules",
    "imports",
    "assign",
    "inplace",
    "rewrites",
    "passthrough",
    "deletes",
    "workdir_writes",
    "project_file",
    "dest_last",
    "goals_write",
    "program_from",
    "globs_ok",
    "unknown",
    "match",
    "not_match",
}


def load_spec_files(paths: list[tuple[Path, str, int | None]]) -> SpecTables:
    """Load the spec files ``paths`` (file, the template that named it, its line there)."""
    tables = SpecTables()
    groups: dict[str, list[str]] = {}
    module_tables: dict[str, dict[str, str]] = {}
    raw_programs: list[tuple[str, str, Any, bool]] = []  # (file, name, node, read_only)
    for path, named_in, line in paths:
        if not path.is_file():
            raise PolicyLoadError(named_in, line, f"program spec file {path} does not exist")
        doc = load_yaml(path)
        file = str(path)
        tables.docs.append((file, doc))
        for key in doc:
            if key not in _FILE_KEYS:
                raise PolicyLoadError(file, line_of(doc, key), f"unknown spec file key {key!r}")
        for gname, entries in _mapping(doc, "groups", file).items():
            if gname in groups:
                raise PolicyLoadError(
                    file, line_of(doc["groups"], gname), f"group {gname!r} is defined twice"
                )
            groups[gname] = _str_list(entries, file, line_of(doc["groups"], gname), "a group")
        for tname, table in _mapping(doc, "modules", file).items():
            node = doc["modules"]
            if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
                raise PolicyLoadError(
                    file, line_of(node, tname), "a module table maps module names to program specs"
                )
            module_tables.setdefault(tname, {}).update(table)
        for key, read_only in (("programs", False), ("read_only", True)):
            for pname, node in _mapping(doc, key, file).items():
                raw_programs.append((file, pname, node, read_only))
    built: list[tuple[str, ProgramSpec, Any, bool, str]] = []
    for file, pname, node, read_only in raw_programs:
        spec = _spec(pname, node, file, groups, None, [])
        table = tables.read_only if read_only else tables.programs
        names = [pname, *_names(node, file)]
        for n in names:
            if n in table:
                raise PolicyLoadError(file, line_of(node), f"program {n!r} has two specs")
            table[n] = spec
        built.append((file, spec, node, read_only, pname))
    # Module tables point at program specs: link them now that every spec exists.
    linked: dict[str, dict[str, ProgramSpec]] = {}
    for tname, table in module_tables.items():
        linked[tname] = {}
        for mod, target in table.items():
            if target not in tables.programs:
                raise PolicyLoadError(
                    paths[0][0],
                    None,
                    f"module table {tname}: {mod} names no program spec {target!r}",
                )
            linked[tname][mod] = tables.programs[target]
    for file, spec, node, read_only, pname in built:
        _link_modules(spec, node, file, linked)
        if read_only:
            bad = spec.kinds() - READ_ONLY_KINDS
            if bad:
                raise PolicyLoadError(
                    file,
                    line_of(node),
                    f"read-only program {pname!r} has values of kind {', '.join(sorted(bad))}; "
                    "a read-only role's table may only read",
                )
        for key, want in (("match", True), ("not_match", False)):
            items = node.get(key, []) if isinstance(node, dict) else []
            if isinstance(items, str):
                items = [items]
            for i, ex in enumerate(items):
                if not isinstance(ex, str):
                    raise PolicyLoadError(
                        file, line_of(node, key), f"{key} entries must be commands"
                    )
                tables.examples.append((file, (pname, want, ex, line_of(items, i), read_only)))
    return tables


def _mapping(doc: Any, key: str, file: str) -> dict[str, Any]:
    node = doc.get(key, {}) if isinstance(doc, dict) else {}
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise PolicyLoadError(file, line_of(doc, key), f"{key} must be a mapping")
    return node


def _str_list(value: Any, file: str, line: int | None, what: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise PolicyLoadError(file, line, f"{what} must be a list of strings")
    return list(items)


def _expand(
    entries: list[str], groups: dict[str, list[str]], file: str, line: int | None
) -> list[str]:
    """``@name`` entries stand for the option group ``name``."""
    out: list[str] = []
    for e in entries:
        if e.startswith("@"):
            if e[1:] not in groups:
                raise PolicyLoadError(file, line, f"unknown option group {e[1:]!r}")
            out += groups[e[1:]]
        else:
            out.append(e)
    return out


def _names(node: Any, file: str) -> list[str]:
    if not isinstance(node, dict) or "names" not in node:
        return []
    return _str_list(node["names"], file, line_of(node, "names"), "names")


def _spec(
    name: str,
    node: Any,
    file: str,
    groups: dict[str, list[str]],
    parent: ProgramSpec | None,
    inherited: list[str],
) -> ProgramSpec:
    if node is None:
        node = LineDict()
    if not isinstance(node, dict):
        raise PolicyLoadError(file, None, f"the spec of {name!r} must be a mapping")
    line = line_of(node)
    for key in node:
        if key not in _SPEC_KEYS:
            raise PolicyLoadError(file, line_of(node, key), f"unknown spec key {key!r} in {name!r}")
    spec = ProgramSpec(name=name, parent=parent)
    if parent is not None:  # subcommands inherit how the program parses and what it allows
        spec.style, spec.abbrev, spec.unknown = parent.style, parent.abbrev, parent.unknown
        spec.pflag = parent.pflag
        spec.imports, spec.assign, spec.globs_ok = parent.imports, parent.assign, parent.globs_ok
    style = node.get("style", spec.style)
    if style not in STYLES:
        raise PolicyLoadError(
            file, line_of(node, "style"), f"style must be one of {', '.join(STYLES)}"
        )
    spec.style = style
    for key in (
        "abbrev",
        "oldstyle",
        "pflag",
        "dashdash_options",
        "globs_ok",
        "dest_last",
        "goals_write",
    ):
        if key in node:
            if not isinstance(node[key], bool):
                raise PolicyLoadError(file, line_of(node, key), f"{key} must be true or false")
            setattr(spec, key, node[key])
    for key in ("bsd_flags", "bsd_values"):
        if key in node:
            if not isinstance(node[key], str) or not node[key].isalpha():
                raise PolicyLoadError(file, line_of(node, key), f"{key} must be letters")
            setattr(spec, key, node[key])
    if "unknown" in node:
        try:
            spec.unknown = Verdict(node["unknown"])
        except ValueError:
            raise PolicyLoadError(
                file, line_of(node, "unknown"), "unknown must be deny or ask"
            ) from None
        if spec.unknown is Verdict.ALLOW:
            raise PolicyLoadError(file, line_of(node, "unknown"), "unknown must be deny or ask")
    if "forbidden" in node:
        if not isinstance(node["forbidden"], str) or not node["forbidden"]:
            raise PolicyLoadError(file, line_of(node, "forbidden"), "forbidden gives the reason")
        spec.forbidden = node["forbidden"]
    common = _expand(
        _str_list(node.get("common", []), file, line_of(node, "common"), "common"),
        groups,
        file,
        line_of(node, "common"),
    )
    entries = list(inherited) + common
    entries += _expand(
        _str_list(node.get("options", []), file, line_of(node, "options"), "options"),
        groups,
        file,
        line_of(node, "options"),
    )
    uses = _str_list(node.get("use", []), file, line_of(node, "use"), "use")
    grouped = _expand([f"@{g}" for g in uses], groups, file, line_of(node, "use"))
    try:
        add_options(spec, entries)
        add_options(spec, grouped, defaults=True)
    except ValueError as exc:
        raise PolicyLoadError(file, line_of(node, "options") or line, f"{name}: {exc}") from None
    args = node.get("args", [])
    try:
        spec.args = tuple(
            parse_arg(a) for a in _str_list(args, file, line_of(node, "args"), "args")
        )
    except ValueError as exc:
        raise PolicyLoadError(file, line_of(node, "args") or line, f"{name}: {exc}") from None
    for k, a in enumerate(spec.args[:-1]):
        if a.maximum is None and a.kind != "env":  # env assignments end at the first other word
            raise PolicyLoadError(
                file, line_of(node, "args"), f"{name}: only the last argument may repeat"
            )
        if a.kind == "env" and k:
            raise PolicyLoadError(
                file, line_of(node, "args"), f"{name}: env assignments come first"
            )
    for key in ("imports", "assign"):
        if key in node:
            pats = _str_list(node[key], file, line_of(node, key), key)
            setattr(spec, key, tuple(word_glob(p) for p in pats))
    for key in ("inplace", "deletes", "program_from", "project_file", "args_when"):
        if key in node:
            setattr(spec, key, frozenset(_str_list(node[key], file, line_of(node, key), key)))
    unknown_when = sorted(spec.args_when - set(spec.exact))
    if unknown_when:
        raise PolicyLoadError(
            file, line_of(node, "args_when"), f"{name}: args_when names no option {unknown_when}"
        )
    if "workdir_writes" in node:
        line_w = line_of(node, "workdir_writes")
        names = _str_list(node["workdir_writes"], file, line_w, "workdir_writes")
        for n in names:
            if not n or n.startswith("/") or ".." in n.split("/") or any(c in n for c in "*?["):
                raise PolicyLoadError(
                    file, line_w, f"workdir_writes are relative file names, not {n!r}"
                )
        spec.workdir_writes = tuple(names)
    if "rewrites" in node:
        _rewrites(spec, node["rewrites"], file, line_of(node, "rewrites"))
    if "passthrough" in node:
        spec.passthrough = _spec(f"{name} --", node["passthrough"], file, groups, spec, [])
    subs = node.get("subcommands", {})
    if subs is not None and not isinstance(subs, dict):
        raise PolicyLoadError(file, line_of(node, "subcommands"), "subcommands must be a mapping")
    for key, sub_node in (subs or {}).items():
        aliases = key.split("|")
        sub = _spec(f"{name} {aliases[0]}", sub_node, file, groups, spec, inherited + common)
        for alias in aliases:
            if alias in spec.subcommands:
                raise PolicyLoadError(
                    file, line_of(subs, key), f"subcommand {alias!r} of {name} twice"
                )
            spec.subcommands[alias] = sub
    spec.finish()
    _ = line
    return spec


_REWRITES_KEYS = {"files", "unless", "default_dir", "own_globs", "targets"}


def _rewrites(spec: ProgramSpec, node: Any, file: str, line: int | None) -> None:
    """``rewrites:`` of a formatter: ``files`` (the basename globs it rewrites in a directory),
    ``unless`` (options that stop it writing; without it only ``inplace`` options make it
    write), ``default_dir`` (no file named: it works on the current directory), ``own_globs``
    (it expands glob words itself: `prettier --write '**/*.md'`)."""
    if not isinstance(node, dict):
        raise PolicyLoadError(file, line, "rewrites must be a mapping")
    for key in node:
        if key not in _REWRITES_KEYS:
            raise PolicyLoadError(file, line_of(node, key), f"unknown rewrites key {key!r}")
    files = _str_list(node.get("files", []), file, line_of(node, "files"), "files")
    if not files:
        raise PolicyLoadError(file, line, "rewrites needs the files it rewrites (files: [...])")
    try:  # `re:…` is a regular expression (`re:[^.]+`: names without an extension)
        spec.formats = tuple(
            re.compile(p[3:] + r"\Z")
            if p.startswith("re:")
            else re.compile(fnmatch.translate(p.lower()), re.DOTALL)
            for p in files
        )
    except re.error as exc:
        raise PolicyLoadError(file, line_of(node, "files"), f"rewrites files: {exc}") from None
    if "unless" in node:
        spec.writes_unless = frozenset(
            _str_list(node["unless"], file, line_of(node, "unless"), "unless")
        )
    if "targets" in node:
        spec.format_targets = frozenset(
            _str_list(node["targets"], file, line_of(node, "targets"), "targets")
        )
    for key in ("default_dir", "own_globs"):
        if key in node:
            if not isinstance(node[key], bool):
                raise PolicyLoadError(file, line_of(node, key), f"{key} must be true or false")
            setattr(spec, key, node[key])
    if spec.writes_unless is None and not spec.inplace:
        spec.writes_unless = frozenset()  # no option makes it write: it always writes


def _link_modules(
    spec: ProgramSpec, node: Any, file: str, tables: dict[str, dict[str, ProgramSpec]]
) -> None:
    if isinstance(node, dict) and "modules" in node:
        tname = node["modules"]
        if tname not in tables:
            raise PolicyLoadError(file, line_of(node, "modules"), f"unknown module table {tname!r}")
        spec.modules = tables[tname]
    elif spec.parent is not None:
        spec.modules = spec.parent.modules
    subs = node.get("subcommands", {}) if isinstance(node, dict) else {}
    seen: set[int] = set()
    for key, sub in spec.subcommands.items():
        if id(sub) in seen:
            continue
        seen.add(id(sub))
        sub_node = next((v for k, v in (subs or {}).items() if key in k.split("|")), None)
        _link_modules(sub, sub_node, file, tables)
    if "module" in spec.kinds() and not spec.modules and spec.parent is None:
        raise PolicyLoadError(
            file, line_of(node), f"{spec.name} has a module option but no module table"
        )


_ = LineList
