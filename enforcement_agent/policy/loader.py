"""Loading policy files: YAML → checked, merged, compiled :class:`Policy`.

A tenant file may ``extends: default``; the overlay adds rules (deny-overrides keeps every
denial of the template), may tighten defaults, replace limits/network/roles, and add
break-glass entries. Every rule's ``match``/``not_match`` examples are checked at load, and any
problem is a :class:`PolicyLoadError` naming the file, the line and the reason.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from enforcement_agent.models import ROLES, Limits, Verdict
from enforcement_agent.policy.engine import CompiledPolicy, Policy
from enforcement_agent.policy.errors import PolicyLoadError
from enforcement_agent.policy.exec_eval import ExecConfig, ExecEvaluator
from enforcement_agent.policy.globs import GlobSet, path_glob
from enforcement_agent.policy.path_checks import GlobSetFileRule
from enforcement_agent.policy.paths import Workspace
from enforcement_agent.policy.rules import (
    BREAK_GLASS_TOOLS,
    BreakGlass,
    ConnectorRule,
    ExecRule,
    FileRule,
    RuleIndex,
    compile_path_globs,
    compile_shape,
    compile_word_globs,
)
from enforcement_agent.policy.spec_tables import SpecTables
from enforcement_agent.policy.specs_loader import load_spec_files
from enforcement_agent.policy.yaml_lines import LineDict, LineList, line_of, load_yaml

_TOP_KEYS = {
    "version",
    "name",
    "description",
    "extends",
    "roles",
    "exec",
    "files",
    "connectors",
    "break_glass",
    "limits",
    "network",
    "tests",
}
_OVERLAY_EXEC_KEYS = {"default", "rules"}
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9._:-]*$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LIMIT_FIELDS = (
    "cpu_seconds",
    "memory_bytes",
    "wall_seconds",
    "output_bytes",
    "file_bytes",
    "disk_bytes",
    "disk_files",
    "processes",
    "concurrency_per_tenant",
    "concurrency_per_tool",
    "queue_timeout_seconds",
)

Sourced = tuple[str, Any]  # (file it came from, the YAML node)


def load_policy(path: Path | str, base_dir: Path | None = None) -> Policy:
    """Load one policy file (and the template it extends); raises :class:`PolicyLoadError`."""
    path = Path(path)
    doc = load_yaml(path)
    _check_top(doc, str(path))
    layers: list[tuple[str, LineDict]] = []
    extends = doc.get("extends")
    if extends is not None:
        if not isinstance(extends, str) or not _NAME.match(extends):
            raise PolicyLoadError(
                path, line_of(doc, "extends"), "extends must name a policy file in the same folder"
            )
        base_path = (base_dir or path.parent) / f"{extends}.yaml"
        if base_path.resolve() == path.resolve():
            raise PolicyLoadError(path, line_of(doc, "extends"), "a policy cannot extend itself")
        base = load_yaml(base_path)
        _check_top(base, str(base_path))
        if "extends" in base:
            raise PolicyLoadError(
                base_path, line_of(base, "extends"), "a template cannot extend another file"
            )
        layers.append((str(base_path), base))
        exec_doc = doc.get("exec")
        if isinstance(exec_doc, LineDict):
            for key in exec_doc:
                if key not in _OVERLAY_EXEC_KEYS:
                    raise PolicyLoadError(
                        path,
                        line_of(exec_doc, key),
                        f"a tenant overlay may only set exec.default and exec.rules, not exec.{key}",
                    )
    layers.append((str(path), doc))
    return _compile(layers)


def _check_top(doc: LineDict, file: str) -> None:
    for key in doc:
        if key not in _TOP_KEYS:
            raise PolicyLoadError(file, line_of(doc, key), f"unknown top-level key {key!r}")
    if doc.get("version", 1) != 1:
        raise PolicyLoadError(file, line_of(doc, "version"), "only policy version 1 is supported")


# ---- small typed getters that fail with a line ----------------------------------------------
def _get(
    node: Any,
    key: str,
    kind: type | tuple[type, ...],
    file: str,
    default: Any = None,
    required: bool = False,
) -> Any:
    if not isinstance(node, dict):
        raise PolicyLoadError(file, line_of(node), "expected a mapping")
    if key not in node:
        if required:
            raise PolicyLoadError(file, line_of(node), f"missing required key {key!r}")
        return default
    value = node[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise PolicyLoadError(file, line_of(node, key), f"{key} must be a {names}")
    return value


def _strs(node: Any, key: str, file: str, required: bool = False) -> list[str]:
    value = _get(node, key, (list, str), file, [], required)
    items = [value] if isinstance(value, str) else value
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise PolicyLoadError(
                file, line_of(value, i) or line_of(node, key), f"{key} entries must be strings"
            )
    return list(items)


def _effect(node: Any, file: str, key: str = "effect", default: str | None = None) -> Verdict:
    raw = _get(node, key, str, file, default, required=default is None)
    try:
        return Verdict(raw)
    except ValueError:
        raise PolicyLoadError(
            file, line_of(node, key), f"{key} must be allow, deny or ask, not {raw!r}"
        ) from None


# ---- compile --------------------------------------------------------------------------------
def _compile(layers: list[tuple[str, LineDict]]) -> Policy:
    files = tuple(f for f, _ in layers)
    top_file, top = layers[-1]
    base_file, base = layers[0]
    name = _get(top, "name", str, top_file, Path(top_file).stem)

    roles = _roles(layers)
    sources: dict[str, str] = {}
    seen_ids: dict[str, str] = {}

    exec_cfg, spec_tables = _exec_tables(base, base_file)
    exec_rules: list[tuple[str, LineDict]] = []
    file_rules_raw: list[tuple[str, LineDict]] = []
    conn_rules_raw: list[tuple[str, LineDict]] = []
    bg_raw: list[tuple[str, LineDict]] = []
    protected_raw: list[tuple[str, str, int | None]] = []
    secrets_raw: list[tuple[str, str, int | None]] = []
    not_secrets_raw: list[tuple[str, LineDict]] = []
    compiled_raw: list[tuple[str, str, int | None]] = []
    for file, doc in reversed(layers):  # overlay rules first: they are reported first
        ex = _get(doc, "exec", dict, file, {})
        exec_rules += [(file, r) for r in _rule_list(ex, "rules", file)]
        fs = _get(doc, "files", dict, file, {})
        file_rules_raw += [(file, r) for r in _rule_list(fs, "rules", file)]
        prot = _get(fs, "protected", list, file, [])
        for i, pattern in enumerate(prot):
            if not isinstance(pattern, str):
                raise PolicyLoadError(
                    file, line_of(prot, i), "protected entries must be path patterns"
                )
            protected_raw.append((file, pattern, line_of(prot, i)))
        secrets_raw += _path_patterns(fs, "secrets", file)
        compiled_raw += _path_patterns(fs, "compiled", file)
        not_secrets_raw.append((file, _get(fs, "not_secrets", dict, file, {})))
        cn = _get(doc, "connectors", dict, file, {})
        conn_rules_raw += [(file, r) for r in _rule_list(cn, "rules", file)]
        bg_raw += [(file, r) for r in _rule_list(doc, "break_glass", file)]
    for file, doc in reversed(layers):
        ex = _get(doc, "exec", dict, file, {})
        if "default" in ex:
            exec_cfg.default = _effect(ex, file, "default")
            break

    perms_known = set().union(*roles.values()) if roles else set()

    def check_id(file: str, rule: LineDict) -> str:
        rid: str = _get(rule, "id", str, file, required=True)
        if not _RULE_ID.match(rid):
            raise PolicyLoadError(
                file,
                line_of(rule, "id"),
                f"rule id {rid!r} must be lowercase letters, digits, . _ : -",
            )
        if rid in seen_ids:
            raise PolicyLoadError(
                file, line_of(rule, "id"), f"duplicate rule id {rid!r} (first in {seen_ids[rid]})"
            )
        seen_ids[rid] = f"{file}:{line_of(rule)}"
        sources[rid] = seen_ids[rid]
        return rid

    def permission(file: str, rule: LineDict, effect: Verdict) -> str | None:
        perm: str | None = _get(rule, "permission", str, file)
        if effect is Verdict.ALLOW and perm is None:
            raise PolicyLoadError(
                file, line_of(rule), "an allow rule must name the permission it needs"
            )
        if perm is not None and perm not in perms_known:
            raise PolicyLoadError(
                file, line_of(rule, "permission"), f"permission {perm!r} is not granted to any role"
            )
        return perm

    rule_count = 0
    index = RuleIndex()
    # Which tool kind each rule id decides (a break-glass applies to that kind only)
    kinds: dict[str, str] = {}
    compiled_exec: list[tuple[ExecRule, str, LineDict]] = []
    for file, r in exec_rules:
        rid = check_id(file, r)
        kinds[rid] = "exec"
        effect = _effect(r, file)
        programs = _strs(r, "programs", file, required=True)
        if not programs:
            raise PolicyLoadError(file, line_of(r, "programs"), "programs must not be empty")
        ov = _get(r, "option_values", dict, file, {})
        rule = ExecRule(
            id=rid,
            effect=effect,
            programs=frozenset(programs),
            reason=_get(r, "reason", str, file, f"rule {rid}"),
            permission=permission(file, r, effect),
            destructive=bool(_get(r, "destructive", bool, file, False)),
            subcommand=compile_word_globs(_strs(r, "subcommand", file)),
            flags=tuple(_strs(r, "flags", file)),
            not_flags=tuple(_strs(r, "not_flags", file)),
            args=compile_word_globs(_strs(r, "args", file)),
            option_values=tuple((k, compile_word_globs(_strs(ov, k, file))) for k in ov),
            line=line_of(r),
            source=file,
        )
        if rule.destructive and effect is Verdict.ALLOW:
            raise PolicyLoadError(
                file, line_of(r, "destructive"), "a destructive rule cannot allow; use break_glass"
            )
        index.add(rule)
        compiled_exec.append((rule, file, r))
        rule_count += max(1, len(programs)) * max(1, len(_strs(r, "flags", file)))
    exec_cfg.index = index

    protected_patterns = []
    protected_dirs = []
    for file, pattern, line in protected_raw:
        try:
            protected_patterns.append(path_glob(pattern.strip("/"), True))
            if pattern.endswith("/**"):  # the directory itself: `mv x .github` replaces it
                protected_patterns.append(path_glob(pattern.strip("/")[:-3], True))
        except re.error as exc:
            raise PolicyLoadError(file, line, f"bad protected pattern: {exc}") from exc
        literal = re.split(r"[*?\[]", pattern.strip("/"), maxsplit=1)[0].rstrip("/")
        protected_dirs.append(literal.lower())
    exec_cfg.protected = tuple(protected_patterns)
    exec_cfg.protected_dirs = tuple(protected_dirs)
    # files.secrets: one list for the file tools (rule file.secrets) and every command.
    secret_patterns = [path_glob(p.strip("/"), True) for _, p, _ in secrets_raw]
    exec_cfg.secrets = tuple(secret_patterns)
    protected_globs = [p for _, p, _ in protected_raw]
    protected_globs += [
        p.rstrip("/")[:-3] for p in protected_globs if p.rstrip("/").endswith("/**")
    ]
    exec_cfg.protected_set = GlobSet(protected_globs) if protected_globs else None
    # files.compiled: compiled code an interpreter runs instead of the reviewed source
    # (sixteenth red-team pass): written by nobody, removed by anyone.
    compiled_globs = [p for _, p, _ in compiled_raw]
    compiled_globs += [p.rstrip("/")[:-3] for p in compiled_globs if p.rstrip("/").endswith("/**")]
    exec_cfg.compiled_set = GlobSet(compiled_globs) if compiled_globs else None
    compiled_patterns = [path_glob(p.strip("/"), True) for _, p, _ in compiled_raw]
    except_names = _not_secret_names(not_secrets_raw)
    exec_cfg.secret_set = (
        GlobSet([p for _, p, _ in secrets_raw], except_names=except_names) if secrets_raw else None
    )
    _check_not_secret_examples(not_secrets_raw, exec_cfg.secret_set)
    exec_cfg.finish()
    rule_count += len(protected_raw) + len(compiled_raw)

    file_rules: list[FileRule] = []
    for list_id, raw, patterns, globs, list_actions, reason in (
        (
            "file.protected",
            protected_raw,
            protected_patterns,
            exec_cfg.protected_set,
            {"write"},
            "protected path (git hooks/config, CI config or agent config): writes are denied "
            "even if it does not exist yet",
        ),
        (
            "file.compiled",
            compiled_raw,
            compiled_patterns,
            exec_cfg.compiled_set,
            {"write"},
            "compiled code (Python bytecode) that an interpreter runs instead of the reviewed "
            "source: writes are denied; removing it is allowed",
        ),
        (
            "file.secrets",
            secrets_raw,
            secret_patterns,
            exec_cfg.secret_set,
            {"read", "write", "list"},
            "credential files are never read or written by the agent",
        ),
    ):
        if not raw:
            continue
        file_rules.append(
            GlobSetFileRule(
                id=list_id,
                effect=Verdict.DENY,
                actions=frozenset(list_actions),
                patterns=tuple(patterns),
                reason=reason,
                destructive=False,
                line=raw[0][2],
                source=raw[0][0],
                globs=globs,
            )
        )
        sources[list_id] = seen_ids[list_id] = f"{raw[0][0]}:{raw[0][2]}"
    compiled_files: list[tuple[FileRule, str, LineDict]] = []
    for file, r in file_rules_raw:
        rid = check_id(file, r)
        kinds[rid] = "file"
        effect = _effect(r, file)
        actions = _strs(r, "actions", file, required=True)
        for a in actions:
            if a not in ("read", "write", "list"):
                raise PolicyLoadError(file, line_of(r, "actions"), f"unknown file action {a!r}")
        frule = FileRule(
            id=rid,
            effect=effect,
            actions=frozenset(actions),
            patterns=compile_path_globs(
                _strs(r, "patterns", file, required=True), effect is not Verdict.ALLOW
            ),
            reason=_get(r, "reason", str, file, f"rule {rid}"),
            permission=permission(file, r, effect),
            destructive=bool(_get(r, "destructive", bool, file, False)),
            line=line_of(r),
            source=file,
        )
        file_rules.append(frule)
        compiled_files.append((frule, file, r))
        rule_count += len(frule.patterns)

    conn_index: dict[str, list[ConnectorRule]] = {}
    compiled_conn: list[tuple[ConnectorRule, str, LineDict]] = []
    for file, r in conn_rules_raw:
        rid = check_id(file, r)
        kinds[rid] = "connector"
        effect = _effect(r, file)
        ops = _strs(r, "operations", file, required=True)
        crule = ConnectorRule(
            id=rid,
            effect=effect,
            operations=compile_word_globs(ops),
            reason=_get(r, "reason", str, file, f"rule {rid}"),
            resources=compile_word_globs(_strs(r, "resources", file)),
            not_resources=compile_word_globs(_strs(r, "not_resources", file)),
            permission=permission(file, r, effect),
            destructive=bool(_get(r, "destructive", bool, file, False)),
            line=line_of(r),
            source=file,
        )
        if crule.destructive and effect is Verdict.ALLOW:
            raise PolicyLoadError(
                file, line_of(r, "destructive"), "a destructive rule cannot allow; use break_glass"
            )
        connectors = {
            op.split(":", 1)[0] if ":" in op and "*" not in op.split(":", 1)[0] else "*"
            for op in ops
        }
        for c in connectors:
            conn_index.setdefault(c, []).append(crule)
        compiled_conn.append((crule, file, r))
        rule_count += len(ops)

    break_glass: list[BreakGlass] = []
    for file, r in bg_raw:
        rid = check_id(file, r)
        if not rid.startswith("break-glass."):
            raise PolicyLoadError(
                file, line_of(r, "id"), "break-glass rule ids start with 'break-glass.'"
            )
        overrides = _strs(r, "overrides", file, required=True)
        for o in overrides:
            if o not in seen_ids and not o.startswith("exec.") and not o.startswith("file."):
                raise PolicyLoadError(
                    file, line_of(r, "overrides"), f"break-glass overrides unknown rule {o!r}"
                )
        # A break-glass applies to the tool kind whose rules it overrides, and to no other:
        # its shapes are command words, a file path or a connector operation, never one read
        # as another (a twenty-sixth red-team pass: an exec shape matched a file tool's path
        # split at its blanks).
        bg_kinds = {
            kinds.get(o) or ("exec" if o.startswith("exec.") else "file") for o in overrides
        }
        if len(bg_kinds) != 1:
            raise PolicyLoadError(
                file,
                line_of(r, "overrides"),
                "a break-glass entry overrides the rules of one tool kind (exec, file or "
                f"connector), not {', '.join(sorted(bg_kinds))}: split it",
            )
        (bg_kind,) = bg_kinds
        bg_roles = _strs(r, "roles", file, required=True)
        for role in bg_roles:
            if role not in ROLES:
                raise PolicyLoadError(file, line_of(r, "roles"), f"unknown role {role!r}")
        expires_raw = _get(r, "expires", (date, str), file, required=True)
        try:
            expires = (
                expires_raw if isinstance(expires_raw, date) else date.fromisoformat(expires_raw)
            )
        except ValueError:
            raise PolicyLoadError(
                file, line_of(r, "expires"), "expires must be a date (YYYY-MM-DD)"
            ) from None
        break_glass.append(
            BreakGlass(
                id=rid,
                overrides=frozenset(overrides),
                roles=frozenset(bg_roles),
                actors=frozenset(_strs(r, "actors", file)),
                expires=expires,
                approver=_get(r, "approver", str, file, required=True),
                ticket=_get(r, "ticket", str, file, required=True),
                reason=_get(r, "reason", str, file, required=True),
                targets=_shapes(r, file),
                line=line_of(r),
                tools=BREAK_GLASS_TOOLS[bg_kind],
            )
        )

    limits = _limits(layers)
    conn_default = Verdict.DENY
    file_default = Verdict.DENY
    for file, doc in layers:
        fs = _get(doc, "files", dict, file, {})
        if "default" in fs:
            file_default = _effect(fs, file, "default")
        cn = _get(doc, "connectors", dict, file, {})
        if "default" in cn:
            conn_default = _effect(cn, file, "default")
    tests: list[dict[str, Any]] = []
    for file, doc in layers[-1:]:  # a template's tests describe the template, not overlays
        for i, t in enumerate(_get(doc, "tests", list, file, [])):
            if not isinstance(t, dict):
                raise PolicyLoadError(
                    file, line_of(doc.get("tests"), i), "a test must be a mapping"
                )
            tests.append({"file": file, "line": line_of(t), "case": _plain(t)})

    revision = hashlib.sha256(
        json.dumps(
            [_plain(d) for _, d in [*layers, *spec_tables.docs]],
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        ).encode()
    ).hexdigest()
    compiled = CompiledPolicy(
        name=name,
        files_loaded=files,
        revision=revision,
        roles=roles,
        exec=exec_cfg,
        file_rules=file_rules,
        file_default=file_default,
        connector_rules=conn_index,
        connector_default=conn_default,
        break_glass=break_glass,
        limits=limits,
        tests=tests,
        rule_count=rule_count,
        rule_sources=sources,
        spec_files=tuple(f for f, _ in spec_tables.docs),
    )
    _check_examples(compiled, compiled_exec, compiled_files, compiled_conn)
    _check_spec_examples(compiled, spec_tables)
    return Policy(compiled)


def _shapes(r: LineDict, file: str) -> tuple[tuple[re.Pattern[str], ...], ...]:
    out = []
    if not _strs(r, "targets", file):
        # without shapes the entry would allow any command its overrides deny (a fourth
        # red-team pass): a break-glass names the exact argument shapes it allows
        raise PolicyLoadError(file, line_of(r), "a break-glass entry must list its targets")
    for target in _strs(r, "targets", file):
        try:
            out.append(compile_shape(target))
        except ValueError as exc:
            raise PolicyLoadError(
                file, line_of(r, "targets"), f"break-glass target: {exc}"
            ) from None
    return tuple(out)


_NOT_SECRET_KEYS = {"names", "reason", "match", "not_match"}
_GLOB_CHARS = re.compile(r"[*?\[\]{}/\\]")


def _not_secret_names(raw: list[tuple[str, LineDict]]) -> frozenset[str]:
    """``files.not_secrets.names`` of every layer: exact file names (no wildcard, no
    directory) that ``files.secrets`` would match but that are committed templates, at any
    depth. Exact names only, so a variant (`.env.example.local`, `.env.example~`) stays a
    secret, and an exemption can never be wider than the names it lists."""
    names: set[str] = set()
    for file, node in raw:
        for k in node:
            if k not in _NOT_SECRET_KEYS:
                raise PolicyLoadError(file, line_of(node, k), f"unknown not_secrets key {k!r}")
        items = _strs(node, "names", file)
        values = node.get("names")
        for i, name in enumerate(items):
            line = line_of(values, i) if isinstance(values, LineList) else line_of(node, "names")
            if not name or name in (".", "..") or _GLOB_CHARS.search(name):
                raise PolicyLoadError(
                    file,
                    line,
                    f"not_secrets names are exact file names (no wildcard or '/'), not {name!r}",
                )
            names.add(name.lower())
    return frozenset(names)


def _check_not_secret_examples(raw: list[tuple[str, LineDict]], secrets: GlobSet | None) -> None:
    """``match``: paths ``files.secrets`` lists that the exemption makes readable;
    ``not_match``: paths that must stay secret with it (checked against the final set)."""
    plain = GlobSet(secrets.patterns) if secrets is not None else None
    for file, node in raw:
        for key, want_secret in (("match", False), ("not_match", True)):
            values = node.get(key)
            for i, ex in enumerate(_strs(node, key, file)):
                line = line_of(values, i) if isinstance(values, LineList) else line_of(node, key)
                rel = ex.strip("/")
                listed = plain is not None and plain.match(rel)
                secret = secrets is not None and secrets.match(rel)
                if key == "match" and not listed:
                    raise PolicyLoadError(
                        file, line, f"not_secrets example {ex!r} is not on files.secrets at all"
                    )
                if secret != want_secret:
                    verb = "should stay a secret" if want_secret else "should be exempt"
                    raise PolicyLoadError(
                        file, line, f"not_secrets example {ex!r} {verb} but is not"
                    )


def _path_patterns(node: Any, key: str, file: str) -> list[tuple[str, str, int | None]]:
    """A list of path glob patterns under ``key`` (``files.secrets``), with their lines."""
    items = _get(node, key, list, file, [])
    out = []
    for i, pattern in enumerate(items):
        if not isinstance(pattern, str) or not pattern.strip("/"):
            raise PolicyLoadError(file, line_of(items, i), f"{key} entries must be path patterns")
        try:
            path_glob(pattern.strip("/"), True)
        except re.error as exc:
            raise PolicyLoadError(file, line_of(items, i), f"bad {key} pattern: {exc}") from exc
        out.append((file, pattern, line_of(items, i)))
    return out


def _rule_list(node: Any, key: str, file: str) -> list[LineDict]:
    items = _get(node, key, list, file, [])
    for i, item in enumerate(items):
        if not isinstance(item, LineDict):
            raise PolicyLoadError(file, line_of(items, i), f"each entry of {key} must be a mapping")
        for k in item:
            if k not in _RULE_KEYS:
                raise PolicyLoadError(file, line_of(item, k), f"unknown rule key {k!r}")
    return list(items)


_RULE_KEYS = {
    "id",
    "effect",
    "reason",
    "permission",
    "destructive",
    "programs",
    "subcommand",
    "flags",
    "not_flags",
    "args",
    "option_values",
    "actions",
    "patterns",
    "operations",
    "resources",
    "not_resources",
    "match",
    "not_match",
    "overrides",
    "roles",
    "actors",
    "expires",
    "approver",
    "ticket",
    "targets",
}


def _roles(layers: list[tuple[str, LineDict]]) -> dict[str, frozenset[str]]:
    spec: dict[str, list[str]] = {}
    for file, doc in layers:
        node = _get(doc, "roles", dict, file, None)
        if node is None:
            continue
        for role in node:
            if role not in ROLES:
                raise PolicyLoadError(
                    file,
                    line_of(node, role),
                    f"unknown role {role!r}; roles are {', '.join(ROLES)}",
                )
            spec[role] = _strs(node, role, file)
    if not spec:
        raise PolicyLoadError(layers[0][0], 1, "the policy defines no roles")
    out: dict[str, frozenset[str]] = {}
    acc: set[str] = set()
    for role in ROLES:  # viewer ⊂ contributor ⊂ maintainer ⊂ admin
        acc |= set(spec.get(role, []))
        out[role] = frozenset(acc)
    return out


def _exec_tables(doc: LineDict, file: str) -> tuple[ExecConfig, SpecTables]:
    ex = _get(doc, "exec", dict, file, {})
    for key in ("wrappers", "interpreters", "dangerous_env"):
        if key in ex:
            raise PolicyLoadError(
                file,
                line_of(ex, key),
                f"exec.{key} was replaced by argument specs (exec.program_files) and "
                "exec.environment",
            )
    cfg = ExecConfig()
    cfg.system_bin_dirs = tuple(_strs(ex, "system_bin_dirs", file))
    cfg.read_only_prefixes = tuple(_strs(ex, "read_only_prefixes", file))
    cfg.devices = frozenset(_strs(ex, "devices", file))
    env = _get(ex, "environment", dict, file, {})
    for key in env:
        if key not in ("export", "local", "never", "values", "shapes"):
            raise PolicyLoadError(file, line_of(env, key), f"unknown environment key {key!r}")
    cfg.env_export = _name_patterns(_strs(env, "export", file))
    cfg.env_local = _name_patterns(_strs(env, "local", file))
    cfg.env_never = _name_patterns(_strs(env, "never", file))
    values = _get(env, "values", dict, file, {})
    cfg.env_values = {name: frozenset(_strs(values, name, file)) for name in values}
    shapes = _get(env, "shapes", dict, file, {})
    compiled_shapes = []
    for name in shapes:
        pattern = _name_patterns([str(name)])
        shape = _get(shapes, name, str, file, "")
        try:
            regex = re.compile(shape)
        except re.error as exc:
            raise PolicyLoadError(file, line_of(shapes, name), f"shape of {name}: {exc}") from None
        if pattern is not None:
            compiled_shapes.append((pattern, regex))
    cfg.env_shapes = tuple(compiled_shapes)
    git_config = _get(ex, "git_config", dict, file, {})
    cfg.git_config = _name_patterns([k.lower() for k in _strs(git_config, "allow", file)])
    roles = _strs(ex, "read_only_roles", file)
    for role in roles:
        if role not in ROLES:
            raise PolicyLoadError(file, line_of(ex, "read_only_roles"), f"unknown role {role!r}")
    cfg.read_only_roles = frozenset(roles)
    cfg.dynamic_ok = frozenset(_strs(ex, "dynamic_args_ok", file))
    classes = _get(ex, "path_classes", dict, file, {})
    cfg.remove = frozenset(_strs(classes, "remove", file))
    cfg.write = frozenset(_strs(classes, "write", file))
    cfg.copy = frozenset(_strs(classes, "copy", file))
    cfg.read = frozenset(_strs(classes, "read", file))
    shells = _get(ex, "shells", dict, file, {})
    cfg.shells = frozenset(_strs(shells, "posix", file))
    cfg.foreign_shells = frozenset(_strs(shells, "foreign", file))
    cfg.shell_with_arg = frozenset(_strs(shells, "options_with_arg", file))
    exempt = _get(ex, "path_exempt", dict, file, {})
    cfg.path_exempt = {k: compile_word_globs(_strs(exempt, k, file)) for k in exempt}
    wopts = _get(ex, "write_options", dict, file, {})
    cfg.write_options = {k: frozenset(_strs(wopts, k, file)) for k in wopts}
    opts = _get(ex, "options_with_arg", dict, file, {})
    cfg.options = {k: frozenset(_strs(opts, k, file)) for k in opts}
    spec_files = _strs(ex, "program_files", file)
    base_dir = Path(file).parent
    tables = load_spec_files(
        [(base_dir / f, file, line_of(ex, "program_files")) for f in spec_files]
    )
    cfg.programs = tables.programs
    cfg.read_only_programs = tables.read_only
    if cfg.read_only_roles and not cfg.read_only_programs:
        raise PolicyLoadError(
            file, line_of(ex, "read_only_roles"), "read-only roles need a read_only program table"
        )
    return cfg, tables


def _name_patterns(items: list[str]) -> re.Pattern[str] | None:
    """One case-sensitive regex for shell-style name patterns (``LC_*``, ``[a-z_]*``)."""
    if not items:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(i)})" for i in items))


def _limits(layers: list[tuple[str, LineDict]]) -> dict[str, Limits]:
    merged: dict[str, dict[str, Any]] = {}
    network: list[str] = []
    for file, doc in layers:
        node = _get(doc, "limits", dict, file, {})
        for tool, values in node.items():
            if tool not in ("default", "exec", "read", "write", "list", "connector"):
                raise PolicyLoadError(
                    file, line_of(node, tool), f"limits for unknown tool {tool!r}"
                )
            if not isinstance(values, dict):
                raise PolicyLoadError(file, line_of(node, tool), "limits must be a mapping")
            for k, v in values.items():
                if k not in (*_LIMIT_FIELDS, "network_allow"):
                    raise PolicyLoadError(file, line_of(values, k), f"unknown limit {k!r}")
                if (
                    k != "network_allow"
                    and v is not None
                    and (not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0)
                ):
                    raise PolicyLoadError(
                        file, line_of(values, k), f"limit {k} must be a non-negative number or null"
                    )
                if k == "network_allow" and not (
                    isinstance(v, list) and all(isinstance(h, str) for h in v)
                ):
                    raise PolicyLoadError(
                        file, line_of(values, k), "network_allow must be a list of hosts"
                    )
            merged.setdefault(tool, {}).update(values)
        net = _get(doc, "network", dict, file, None)
        if net is not None:
            network = _strs(net, "allow", file)
    out: dict[str, Limits] = {}
    base = merged.get("default", {})
    for tool in ("default", "exec", "read", "write", "list", "connector"):
        values = {**base, **merged.get(tool, {})}
        hosts = tuple(values.pop("network_allow", network))
        kwargs = {k: values[k] for k in _LIMIT_FIELDS if k in values}
        out[tool] = Limits(**kwargs, network_allow=hosts)
    return out


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, date):
        return node.isoformat()
    return node


def _check_examples(
    compiled: CompiledPolicy,
    exec_rules: list[tuple[ExecRule, str, LineDict]],
    file_rules: list[tuple[FileRule, str, LineDict]],
    conn_rules: list[tuple[ConnectorRule, str, LineDict]],
) -> None:
    admin = compiled.roles.get("admin", frozenset())

    def examples(r: LineDict, file: str) -> list[tuple[bool, str, int | None]]:
        out = []
        for key, want in (("match", True), ("not_match", False)):
            items = _strs(r, key, file)
            node = r.get(key)
            for i, ex in enumerate(items):
                out.append(
                    (want, ex, line_of(node, i) if isinstance(node, LineList) else line_of(r, key))
                )
        return out

    for rule, file, r in exec_rules:
        for want, ex, line in examples(r, file):
            ev = ExecEvaluator(compiled.exec, Workspace(None), admin)
            ev.command(ex)
            ev.finish()
            if (rule.id in ev.matched) != want:
                verb = "should match" if want else "should not match"
                raise PolicyLoadError(
                    file,
                    line,
                    f"rule {rule.id}: example {ex!r} {verb} but does{'' if not want else ' not'}",
                )
    for frule, file, r in file_rules:
        for want, ex, line in examples(r, file):
            action = sorted(frule.actions)[0]
            ws = Workspace(None)
            res = ws.resolve(ex, ws.root)
            got = res.inside and frule.matches(action, res.rels)
            if got != want:
                verb = "should match" if want else "should not match"
                raise PolicyLoadError(
                    file,
                    line,
                    f"rule {frule.id}: example {ex!r} {verb} but does{'' if not want else ' not'}",
                )
    for crule, file, r in conn_rules:
        for want, ex, line in examples(r, file):
            op, _, resource = ex.partition(" ")
            if crule.matches(op, resource.strip()) != want:
                verb = "should match" if want else "should not match"
                raise PolicyLoadError(
                    file,
                    line,
                    f"rule {crule.id}: example {ex!r} {verb} but does{'' if not want else ' not'}",
                )


def _check_spec_examples(compiled: CompiledPolicy, tables: SpecTables) -> None:
    """Every program spec's ``match`` examples fit it and its ``not_match`` ones do not.

    A read-only table's examples are decided for the first read-only role: ``match`` must be
    allowed as a whole, ``not_match`` must not be.
    """
    admin = compiled.roles.get("admin", frozenset())
    ro_role = sorted(compiled.exec.read_only_roles)[0] if compiled.exec.read_only_roles else ""
    ro_perms = compiled.roles.get(ro_role, frozenset())
    for file, (program, want, example, line, read_only) in tables.examples:
        if read_only:
            ev = ExecEvaluator(compiled.exec, Workspace(None), ro_perms, read_only=True)
            ev.command(example)
            ev.finish()  # trap handlers are decided at the end of the line
            fits = bool(ev.findings) and all(f.effect is Verdict.ALLOW for f in ev.findings)
            why = next((f.reason for f in ev.findings if f.effect is not Verdict.ALLOW), "")
        else:
            ev = ExecEvaluator(compiled.exec, Workspace(None), admin)
            ev.command(example)
            ev.finish()
            fits = not ev.rejections
            why = ev.rejections[0] if ev.rejections else ""
        if fits != want:
            verb = "should fit" if want else "should not fit"
            detail = f" ({why})" if why else ""
            raise PolicyLoadError(
                file,
                line,
                f"spec {program}: example {example!r} {verb} but does{'' if not want else ' not'}"
                f"{detail}",
            )
