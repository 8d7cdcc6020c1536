"""Deciding a shell command: every sub-command, every wrapper, every path argument.

The evaluator walks the simple commands the parser found, unwraps wrappers (``env``,
``timeout``, ``xargs``, ``sudo`` …) and shells (``bash -c``) recursively, refuses inline
interpreter code and code read from stdin, applies the policy's argv rules, and checks every
path argument and redirection against the workspace. It only collects findings; the engine
combines them (deny-overrides).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from enforcement_agent.models import Verdict
from enforcement_agent.policy.globs import GlobSet
from enforcement_agent.policy.path_checks import PathChecks
from enforcement_agent.policy.paths import Resolved, Workspace, under_prefix
from enforcement_agent.policy.rules import Argv, ExecRule, Finding, RuleIndex, split_argv
from enforcement_agent.policy.shell import (
    MAX_DEPTH,
    Budget,
    Redirect,
    SimpleCommand,
    TooComplex,
    Undecidable,
    Word,
    name_operand_problem,
    parse_cached,
)

UNDECIDABLE = "shell.undecidable"
MAX_CWDS = 64  # directories a command may be in after its cds (past it: too complex)

_VERSIONED = re.compile(
    r"^(python|pypy|perl|ruby|node|nodejs|php|lua|luajit|pip|tclsh|wish|bun|deno)[\d.]*$"
)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_WRITE_REDIRECTS = {">", ">>", ">|", "&>", "&>>", "<>", ">&"}
_SED_DANGER = re.compile(r"(?:^|[;{}\n]|[0-9$/!])\s*[ewWrR](?:\s|$|;|\})")
_SED_SUBST = re.compile(r"s(.)(?:\\.|(?!\1).)*\1(?:\\.|(?!\1).)*\1([a-zA-Z0-9]*)")
# `print … >` scans only up to the next `print`, so the search stays linear in the program
# (a lazy `[^;}]*?>` rescanned to the end from every `print`: 5 s for 64 KB).
_AWK_DANGER = re.compile(
    r"system\s*\(|getline|\|&|\|\s*\"|\"\s*\||print(?:(?!print)[^;}])*>|close\s*\(|@load|ENVIRON|PROCINFO"
)


@dataclass(frozen=True, slots=True)
class WrapperSpec:
    with_arg: frozenset[str] = frozenset()
    shell_string: frozenset[str] = frozenset()
    positionals: int = 0
    assignments: bool = False
    stdin_args: bool = False
    rest_is_shell: bool = False
    fd_or_file: bool = False
    # When set, the program only wraps after one of these subcommands (`uv run`, `npm exec`).
    subcommands: frozenset[str] = frozenset()
    chdir: frozenset[str] = frozenset()  # options naming the wrapped command's directory


@dataclass(frozen=True, slots=True)
class InterpreterSpec:
    inline: frozenset[str]
    with_arg: frozenset[str] = frozenset()
    inline_subcommands: frozenset[str] = frozenset()
    module: frozenset[str] = frozenset()


@dataclass(slots=True)
class ExecConfig:
    default: Verdict = Verdict.ASK
    index: RuleIndex = field(default_factory=RuleIndex)
    options: dict[str, frozenset[str]] = field(default_factory=dict)
    wrappers: dict[str, WrapperSpec] = field(default_factory=dict)
    shells: frozenset[str] = frozenset()
    shell_with_arg: frozenset[str] = frozenset()
    foreign_shells: frozenset[str] = frozenset()
    interpreters: dict[str, InterpreterSpec] = field(default_factory=dict)
    remove: frozenset[str] = frozenset()
    write: frozenset[str] = frozenset()
    copy: frozenset[str] = frozenset()
    read: frozenset[str] = frozenset()
    dynamic_ok: frozenset[str] = frozenset()
    system_bin_dirs: tuple[str, ...] = ()
    read_only_prefixes: tuple[str, ...] = ()
    devices: frozenset[str] = frozenset()
    dangerous_env: frozenset[str] = frozenset()
    dangerous_env_prefixes: tuple[str, ...] = ()
    protected: tuple[re.Pattern[str], ...] = ()
    protected_dirs: tuple[str, ...] = ()
    path_exempt: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    write_options: dict[str, frozenset[str]] = field(default_factory=dict)
    protected_any: re.Pattern[str] | None = None
    secrets: tuple[re.Pattern[str], ...] = ()  # files.secrets, shared with the file tools
    protected_set: GlobSet | None = None  # the same lists, matched by component (fast)
    secret_set: GlobSet | None = None
    rule_cache: dict[
        tuple[str, tuple[str, ...], frozenset[str]],
        tuple[Argv, tuple[tuple[Verdict, str, str, bool], ...], frozenset[str]],
    ] = field(default_factory=dict)
    argv_sensitive: frozenset[str] = frozenset()
    protected_prefixes: frozenset[str] = frozenset()  # every ancestor of a protected path

    def finish(self) -> None:
        """Precompute what every decision would otherwise recompute."""
        if self.protected:
            self.protected_any = re.compile(
                "|".join(f"(?:{p.pattern})" for p in self.protected), re.IGNORECASE
            )

        sensitive = set(self.wrappers) | set(self.shells) | set(self.interpreters)
        sensitive |= {"find", "sed", "awk", "git", "cd", "pushd"}
        for program, rules in self.index.by_program.items():
            if any(r.effect is not Verdict.ALLOW for r in rules):
                sensitive.add(program)
        self.argv_sensitive = frozenset(sensitive)
        prefixes: set[str] = set()
        for d in self.protected_dirs:
            parts = d.split("/")
            prefixes.update("/".join(parts[: k + 1]) for k in range(len(parts)) if parts[k])
        self.protected_prefixes = frozenset(prefixes)


def normalize_program(name: str) -> str:
    """``python3.11`` → ``python``, ``nodejs`` → ``node``: versions do not change meaning."""
    m = _VERSIONED.match(name)
    if not m:
        return name
    base = m.group(1)
    return "node" if base == "nodejs" else base


class ExecEvaluator(PathChecks):
    """Collects the findings for one exec request."""

    def __init__(self, config: ExecConfig, ws: Workspace, permissions: frozenset[str]) -> None:
        self.cfg = config
        self.ws = ws
        self.permissions = permissions
        self.findings: list[Finding] = []
        self.matched: set[str] = set()
        self.parsed: list[list[str]] = []
        # Directories a command may run in. `cwds` is what the current command sees;
        # `all_cwds` is every directory any cd may have reached (a cd can fail, so later
        # commands after `;` may run in any of them); `chain` is the exact directory after a
        # cd for the commands joined to it by `&&` in the same (or a child) shell.
        self.all_cwds: set[str] = {ws.root}
        self.cwds: set[str] = self.all_cwds
        self.chain: tuple[int, set[str]] | None = None
        self.scope = 0
        self.nesting = 0
        self.budget = Budget()  # caps the work of this decision (issue 10, class 10)
        self._init_path_checks()

    # ---- entry points -------------------------------------------------------------------
    def command(self, text: str, depth: int = 0, subject: str = "") -> None:
        if depth > MAX_DEPTH:
            self._undecidable(subject or text, "commands nested too deeply")
            return
        try:
            commands = parse_cached(text)
        except Undecidable as exc:
            self._undecidable(subject or _short(text), str(exc))
            return
        self.budget.spend(commands=len(commands))
        # A nested shell string runs in a child process: its cds never reach our chain.
        saved = (self.chain, self.cwds, self.scope)
        self.nesting += 1
        self.chain = None
        self.all_cwds = set(self.all_cwds) | self.cwds
        outer = self._enter_nested()
        try:
            for i, c in enumerate(commands):
                self._next_command(commands, i)
                self.simple(c, depth)
        finally:
            self._leave_nested(outer)
            self.nesting -= 1
            self.chain, cwds, self.scope = saved
            self.cwds = cwds if cwds is not self.all_cwds else self.all_cwds

    def simple(self, c: SimpleCommand, depth: int) -> None:
        self.scope = c.scope
        if c.after_and and self.chain is not None and self.chain[0] in c.ancestry:
            self.cwds = self.chain[1]
        else:
            if not c.after_and:
                self.chain = None
            self.cwds = self.all_cwds
        label = _short(
            " ".join([w.text for w in c.words]) or " ".join([f"{n}=" for n, _ in c.assigns])
        )
        for name, _value in c.assigns:
            self._check_env_name(name, label)
        for r in c.redirects:
            self._redirect(r, label)
        if c.words:
            self.argv(
                list(c.words), depth, piped=c.piped_stdin or c.heredoc, label=label, direct=True
            )

    # ---- findings -----------------------------------------------------------------------
    def _add(
        self, effect: Verdict, rule: str, reason: str, subject: str, destructive: bool = False
    ) -> None:
        self.findings.append(Finding(effect, rule, reason, destructive, subject))

    def _deny(self, rule: str, reason: str, subject: str, destructive: bool = False) -> None:
        self._add(Verdict.DENY, rule, reason, subject, destructive)

    def _undecidable(self, subject: str, why: str, destructive: bool = False) -> None:
        self._deny(UNDECIDABLE, f"cannot be decided: {why}", subject, destructive)

    # ---- environment, redirections ------------------------------------------------------
    def _check_env_name(self, name: str, subject: str) -> None:
        upper = name.upper()
        if upper in self.cfg.dangerous_env or upper.startswith(self.cfg.dangerous_env_prefixes):
            self._deny(
                "shell.dangerous-env",
                f"setting {name} changes which code runs (loader, shell start-up, pager or hook variables)",
                subject,
            )

    def _redirect(self, r: Redirect, subject: str) -> None:
        target = r.target
        if r.op in (">&", "<&") and (target.text.isdigit() or target.text == "-"):
            return
        if target.dynamic:
            self._undecidable(subject, f"redirection target {target.text} is computed at run time")
            return
        if target.text in self.cfg.devices:
            return
        mode = "write" if r.op in _WRITE_REDIRECTS else "read"
        self._path(target.text, mode, "", subject)

    # ---- one argv -----------------------------------------------------------------------
    def argv(
        self, words: list[Word], depth: int, piped: bool, label: str, direct: bool = False
    ) -> None:
        if depth > MAX_DEPTH:
            self._undecidable(label, "wrappers nested too deeply")
            return
        self.budget.spend(words=len(words))
        prog = words[0]
        if prog.dynamic:
            self._undecidable(label, f"the program name {prog.text} is computed at run time")
            return
        if prog.glob:
            self._undecidable(label, f"the program name {prog.text} is a glob pattern")
            return
        name = self._program_name(prog.text, label)
        if name is None:
            return
        args = words[1:]
        texts = tuple([w.text for w in args])
        self.parsed.append([name, *texts])
        if name in ("eval", "source", ".", "fc", "enable", "bind", "alias"):
            self._undecidable(label, f"'{name}' runs or defines code that is built at run time")
            return
        problem = name_operand_problem(name, args)
        if problem:  # `read "$n"`, `printf -v 'a[$(cmd)]'`: bash evaluates names' subscripts
            self._undecidable(label, problem)
            return
        if not self._path_rules(name, args, label):  # links, secrets, trees, archives (paths)
            return
        argv = self._rules_cached(name, texts, label)
        if name == "trap":
            if argv.positionals:
                self.command(argv.positionals[0], depth + 1, label)
            return
        if name in ("cd", "pushd"):
            # Only the shell's own cd moves it; a wrapped one (`env cd x`) cannot.
            self._cd(args, label, move=direct)
            return
        if name == "popd":
            self.chain = None  # back to some earlier directory: no longer the chain's
            return
        if name in self.cfg.wrappers:
            spec = self.cfg.wrappers[name]
            if not spec.subcommands:
                self._wrapper(name, args, depth, piped, label)
                return
            sub = _first_positional_index(args, spec.with_arg | spec.chdir)
            if sub is not None and args[sub].text in spec.subcommands:
                # Options before the subcommand (`uv --directory d run …`) still apply.
                self._wrapper(name, args[:sub] + args[sub + 1 :], depth, piped, label)
                return
        if name in self.cfg.shells or name in self.cfg.foreign_shells:
            self._shell(name, args, depth, piped, label)
            return
        if name in self.cfg.interpreters:
            self._interpreter(name, args, argv, piped, label)
            return
        if name in ("awk", "gawk", "mawk", "nawk", "busybox-awk"):
            self._awk(args, label)
            return
        if name == "find":
            self._find(args, depth, label)
            return
        if name == "sed":
            self._sed(args, argv, label)
            return
        if name == "git":
            self._git(argv, depth, label)
        self._path_args(name, args, label)

    def _program_name(self, text: str, label: str) -> str | None:
        if "/" not in text:
            return normalize_program(text)
        self._note_use()
        res = self.ws.resolve(text, self._one_cwd())
        directory, base = os.path.split(res.lexical)
        if (
            under_prefix(res.lexical, self.cfg.system_bin_dirs)
            and directory in self.cfg.system_bin_dirs
        ):
            real_dir, real_base = os.path.split(res.real)
            return normalize_program(real_base if real_dir in self.cfg.system_bin_dirs else base)
        if res.inside and all(self.ws.resolve(text, cwd).inside for cwd in self.cwds):
            return "./" + res.rels[0] if res.rels else "./"
        if not self.ws.virtual and res.real != res.lexical:
            real_dir, real_base = os.path.split(res.real)
            if real_dir in self.cfg.system_bin_dirs:
                return normalize_program(real_base)
        self._deny(
            "exec.program-outside-workspace",
            f"{text} is not a system program and not inside the workspace",
            label,
        )
        return None

    def _one_cwd(self) -> str:
        return next(iter(self.cwds)) if len(self.cwds) == 1 else self.ws.root

    def _rules_cached(self, name: str, texts: tuple[str, ...], label: str) -> Argv:
        """Split + rule matching depend only on the argv and the role: memoize them."""
        key = (name, texts, self.permissions)
        hit = self.cfg.rule_cache.get(key)
        if hit is None:
            argv = split_argv(name, texts, self.cfg.options.get(name, frozenset()))
            before, matched_before = len(self.findings), set(self.matched)
            self._rules(argv, "")
            found = tuple(
                (f.effect, f.rule, f.reason, f.destructive) for f in self.findings[before:]
            )
            del self.findings[before:]
            hit = (argv, found, frozenset(self.matched - matched_before))
            if len(self.cfg.rule_cache) >= 8192:
                self.cfg.rule_cache.clear()
            if sum(map(len, texts)) <= 1024:  # 8192 huge argvs would hold gigabytes
                self.cfg.rule_cache[key] = hit
        argv, found, matched = hit
        self.matched |= matched
        for effect, rule, reason, destructive in found:
            self.findings.append(Finding(effect, rule, reason, destructive, label))
        return argv

    def _rules(self, argv: Argv, label: str) -> None:
        program = "./" if argv.program.startswith("./") else argv.program
        matched = False
        allow_perms: list[ExecRule] = []
        for rule in self.cfg.index.candidates(program):
            if not rule.matches(argv):
                continue
            matched = True
            self.matched.add(rule.id)
            if rule.effect is Verdict.ALLOW:
                allow_perms.append(rule)
            else:
                self._add(rule.effect, rule.id, rule.reason, label, rule.destructive)
        if not matched:
            self._add(
                self.cfg.default,
                "exec.unknown-program",
                f"'{argv.program}' is not in the policy's program list; it needs approval",
                label,
            )
            return
        if not allow_perms:
            return
        if any(r.permission is None or r.permission in self.permissions for r in allow_perms):
            held = next(
                r for r in allow_perms if r.permission is None or r.permission in self.permissions
            )
            self._add(Verdict.ALLOW, held.id, held.reason, label)
        else:
            need = allow_perms[0].permission
            self._deny(
                f"rbac.{need}",
                f"the role lacks permission '{need}' needed to run '{argv.program}'",
                label,
            )

    # ---- cwd ----------------------------------------------------------------------------
    def _cd(self, args: list[Word], label: str, move: bool = True) -> None:
        targets = [w for w in args if not (w.text.startswith("-") and len(w.text) > 1)]
        if not targets:
            self._deny(
                "exec.path-outside-workspace",
                "cd without a directory goes to the home directory",
                label,
            )
            return
        t = targets[0]
        if t.dynamic:
            self._undecidable(label, f"cd target {t.text} is computed at run time")
            return
        if t.text == "-" or t.text.startswith(("+", "-")) and t.text[1:].isdigit():
            self._undecidable(label, f"cd {t.text} goes to a directory from $OLDPWD or the stack")
            return
        self._note_use()
        new: set[str] = set()
        for cwd in list(self.cwds):
            res = self.ws.resolve(t.text, cwd)
            if not res.inside:
                self._deny(
                    "exec.path-outside-workspace",
                    f"cd {t.text} leaves the workspace",
                    label,
                )
                return
            new.add(res.real)
        if move:
            self.all_cwds = self.all_cwds | new
            if len(self.all_cwds) > MAX_CWDS:  # every `;`-joined cd doubles the set
                raise TooComplex(f"more than {MAX_CWDS} directories the command may run in")
            self.chain = (self.scope, new)

    # ---- wrappers, shells, interpreters -------------------------------------------------
    def _wrapper(self, name: str, args: list[Word], depth: int, piped: bool, label: str) -> None:
        spec = self.cfg.wrappers[name]
        i = 0
        n = len(args)
        shell_strings: list[str] = []
        chdirs: list[str] = []

        def option_value(t: str, eq: str, value: str) -> str | None:
            """The value of the option at ``i`` (``--o=v``, ``-ov`` or ``-o v``), advancing ``i``."""
            nonlocal i
            if eq:
                return value
            if len(t) > 2 and not t.startswith("--"):
                return t[2:]
            if i + 1 < n:
                i += 1
                if args[i].dynamic:
                    return None
                return args[i].text
            return ""

        def options() -> bool:
            nonlocal i
            while i < n:
                w = args[i]
                if w.dynamic:
                    self._undecidable(label, f"wrapper argument {w.text} is computed at run time")
                    return False
                t = w.text
                if t == "--":
                    i += 1
                    return True
                if spec.assignments and "=" in t and not t.startswith("-"):
                    var = t.split("=", 1)[0]
                    if _ENV_NAME.match(var):
                        self._check_env_name(var, label)
                        i += 1
                        continue
                if not t.startswith("-") or t == "-":
                    return True
                head, eq, value = t.partition("=")
                key = head if head.startswith("--") else t[:2]
                if key in spec.shell_string or key in spec.chdir:
                    got = option_value(t, eq, value)
                    if got is None:
                        self._undecidable(label, f"the value of {key} is computed at run time")
                        return False
                    (shell_strings if key in spec.shell_string else chdirs).append(got)
                    i += 1
                    continue
                if key in spec.with_arg and not eq and (len(t) == 2 or t.startswith("--")):
                    i += 2
                    continue
                i += 1
            return True

        if not options():
            return
        for _ in range(spec.positionals):
            if i < n:
                if spec.fd_or_file and args[i].text.isdigit():
                    i = n  # `flock 9`: locks a descriptor, runs nothing
                    break
                i += 1
        if not options():
            return
        saved = self.cwds
        try:
            # `env -C DIR cmd`: the wrapped command (and its relative paths) runs in DIR.
            for target in chdirs:
                if not self._enter(target, label):
                    return
            for s in shell_strings:
                self.command(s, depth + 1, label)
            inner = args[i:]
            if spec.rest_is_shell and inner:
                if any(w.dynamic for w in inner):
                    self._undecidable(label, "the command string is computed at run time")
                    return
                self.command(" ".join(w.text for w in inner), depth + 1, label)
                return
            if spec.stdin_args:
                if not inner:
                    inner = [Word("echo")]
                inner = [*inner, Word("<arguments from stdin>", dynamic=True)]
            if inner:
                self.argv(inner, depth + 1, piped, label)
        finally:
            self.cwds = saved

    def _enter(self, target: str, label: str) -> bool:
        """Make every later path of this command relative to ``target`` (inside the workspace)."""
        self._note_use()
        new: set[str] = set()
        for cwd in self.cwds:
            res = self.ws.resolve(target, cwd)
            if not res.inside:
                self._deny(
                    "exec.path-outside-workspace",
                    f"the working directory {target!r} is outside the workspace",
                    label,
                )
                return False
            new.add(res.real)
        self.cwds = new
        return True

    def _shell(self, name: str, args: list[Word], depth: int, piped: bool, label: str) -> None:
        i = 0
        n = len(args)
        inline = False
        while i < n:
            w = args[i]
            if w.dynamic:
                self._undecidable(label, f"shell option {w.text} is computed at run time")
                return
            t = w.text
            if t == "--":
                i += 1
                break
            if t in ("-", "--"):
                break
            if t.startswith("--"):
                if t.partition("=")[0] in self.cfg.shell_with_arg and "=" not in t:
                    i += 1
                i += 1
                continue
            if (t.startswith("-") or t.startswith("+")) and len(t) > 1:
                letters = t[1:]
                if "c" in letters and t[0] == "-":
                    inline = True
                if "s" in letters and t[0] == "-":
                    self._undecidable(label, f"{name} -s runs code read from stdin")
                    return
                if t[:2] in self.cfg.shell_with_arg or letters[-1:] in ("o", "O"):
                    i += 1
                i += 1
                continue
            break
        rest = args[i:]
        if inline:
            if not rest:
                self._undecidable(label, f"{name} -c without a command string")
                return
            if rest[0].dynamic:
                self._undecidable(label, "the command string is computed at run time")
                return
            if name in self.cfg.foreign_shells:
                self._undecidable(
                    label, f"{name} is not a POSIX/bash shell; its code cannot be parsed"
                )
                return
            self.command(rest[0].text, depth + 1, label)
            return
        if not rest:
            self._deny(
                "exec.code-from-stdin",
                f"{name} without a script reads its code from stdin (piped or downloaded code cannot be decided)",
                label,
            )
            return
        self._script(rest[0], label)

    def _script(self, script: Word, label: str) -> None:
        if script.dynamic:
            self._undecidable(label, f"script name {script.text} is computed at run time")
            return
        if script.text in ("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"):
            self._deny(
                "exec.code-from-stdin", "the script is read from stdin and cannot be decided", label
            )
            return
        self._path(script.text, "read", "", label)

    def _interpreter(
        self, name: str, args: list[Word], argv: Argv, piped: bool, label: str
    ) -> None:
        spec = self.cfg.interpreters[name]

        def inline(flag: str) -> None:
            self._deny(
                "exec.interpreter-inline-code",
                f"{name} {flag} runs inline code that policy cannot inspect (cannot be decided)",
                label,
            )

        # Only the interpreter's own options count: they end at the script (`python x.py -c f`).
        i = 0
        while i < len(args):
            w = args[i]
            t = w.text
            if w.dynamic:
                self._undecidable(label, f"interpreter option {t} is computed at run time")
                return
            if t == "--":
                i += 1
                break
            if not t.startswith("-") or t == "-":
                break
            head = t.partition("=")[0]
            if head in spec.inline or (
                head.startswith("--")
                and len(head) >= 4
                and any(f.startswith(head) for f in spec.inline if f.startswith("--"))
            ):
                inline(head)
                return
            if head in spec.module:
                self._path_args(name, args, label)
                return
            if head.startswith("--") or len(t) > 2 and t[:3] in spec.with_arg:
                i += 2 if head in spec.with_arg and "=" not in t else 1
                continue
            letters = t[1:]
            consumed_next = False
            for k, ch in enumerate(letters):
                opt = "-" + ch
                if opt in spec.inline:
                    inline(opt)
                    return
                if opt in spec.module:
                    self._path_args(name, args, label)
                    return
                if opt in spec.with_arg:  # the value is the rest of the cluster or the next word
                    consumed_next = k == len(letters) - 1
                    break
            i += 2 if consumed_next else 1
        positionals = [w.text for w in args[i:]]
        if positionals and positionals[0] in spec.inline_subcommands:
            inline(positionals[0])
            return
        if i >= len(args):
            self._deny(
                "exec.code-from-stdin",
                f"{name} without a script reads its code from stdin (cannot be decided)",
                label,
            )
            return
        if spec.inline_subcommands:  # deno/bun style: `deno run x.ts`, `deno test`
            self._path_args(name, args, label)
            return
        self._script(args[i], label)
        self._path_args(name, args, label)

    # ---- programs with embedded commands --------------------------------------------------
    def _find(self, args: list[Word], depth: int, label: str) -> None:
        starts: list[Word] = []
        i = 0
        while i < len(args) and args[i].text in (
            "-H",
            "-L",
            "-P",
            "-O0",
            "-O1",
            "-O2",
            "-O3",
            "-D",
        ):
            i += 2 if args[i].text == "-D" else 1
        while i < len(args) and not args[i].text.startswith(("-", "(", "!")):
            starts.append(args[i])
            i += 1
        if not starts:
            starts = [Word(".")]
        for s in starts:
            if s.dynamic:
                self._undecidable(label, f"find start {s.text} is computed at run time")
                return
            self._path(s.text, "read", "find", label)
        found = [Word(s.text.rstrip("/") + "/found") for s in starts]
        while i < len(args):
            t = args[i].text
            if t in ("-exec", "-execdir", "-ok", "-okdir"):
                j = i + 1
                inner: list[Word] = []
                while j < len(args) and args[j].text not in (";", "+"):
                    inner.append(args[j])
                    j += 1
                if not inner:
                    self._undecidable(label, f"find {t} without a command")
                    return
                for f in found:
                    self.argv([f if w.text == "{}" else w for w in inner], depth + 1, False, label)
                i = j + 1
                continue
            if t == "-delete":
                for s in starts:
                    self._path(s.text.rstrip("/") + "/found", "remove", "find", label)
            if t in ("-fprint", "-fprint0", "-fls", "-fprintf") and i + 1 < len(args):
                self._path(args[i + 1].text, "write", "find", label)
            i += 1

    def _sed(self, args: list[Word], argv: Argv, label: str) -> None:
        scripts = [v for k, v in argv.option_values if k in ("-e", "--expression")]
        files = list(argv.positionals)
        has_file_script = any(k in ("-f", "--file") for k, _ in argv.option_values)
        if not scripts and not has_file_script and files:
            scripts = [files.pop(0)]
        for s in scripts:
            if _SED_DANGER.search(s) or any(
                ("e" in m.group(2) or "w" in m.group(2)) for m in _SED_SUBST.finditer(s)
            ):
                self._deny(
                    "exec.gtfobins.sed",
                    "sed script runs commands (e) or reads/writes other files (r/R/w/W)",
                    label,
                )
                return
        in_place = any(f.startswith("-i") or f.startswith("--in-place") for f in argv.flags)
        for f in files:
            self._path(f, "write" if in_place else "read", "sed", label)
        for k, v in argv.option_values:
            if k in ("-f", "--file"):
                self._path(v, "read", "sed", label)

    def _awk(self, args: list[Word], label: str) -> None:
        if any(w.dynamic for w in args[:1]):
            self._undecidable(label, "awk program is computed at run time")
            return
        with_arg = frozenset(
            {"-F", "-v", "-f", "--file", "--field-separator", "--assign", "-i", "--include"}
        )
        program = _first_positional(args, with_arg)
        from_file = any(w.text in ("-f", "--file") or w.text.startswith("--file=") for w in args)
        if program is not None and not from_file and _AWK_DANGER.search(program.text):
            self._deny(
                "exec.gtfobins.awk",
                "awk program runs commands or writes files (system, pipes, getline, print >)",
                label,
            )
            return
        self._path_args("awk", args, label)

    def _git(self, argv: Argv, depth: int, label: str) -> None:
        pos = argv.positionals
        sub = pos[0] if pos else ""
        if sub == "rebase":
            words = argv.words
            for i, w in enumerate(words):
                if w in ("-x", "--exec") and i + 1 < len(words):
                    self.command(words[i + 1], depth + 1, label)
                elif w.startswith("--exec="):
                    self.command(w[7:], depth + 1, label)
                elif w.startswith("-x") and len(w) > 2:
                    self.command(w[2:], depth + 1, label)
        if sub == "submodule" and len(pos) > 2 and pos[1] == "foreach":
            self.command(" ".join(pos[2:]), depth + 1, label)
        if sub == "bisect" and len(pos) > 2 and pos[1] == "run":
            self.argv([Word(p) for p in pos[2:]], depth + 1, False, label)

    # ---- paths --------------------------------------------------------------------------
    def _path_args(self, name: str, args: list[Word], label: str) -> None:
        if name in self.cfg.dynamic_ok:
            return  # arguments are data (echo, printf, test …), not files to open
        self._write_options(name, args, label)
        if name in self.cfg.remove:
            mode = "remove"
        elif name in self.cfg.write:
            mode = "write"
        elif name in self.cfg.read:
            mode = "read"
        else:
            mode = "other"
        positional_paths = mode in ("remove", "write") or name in self.cfg.copy
        exempt = self.cfg.path_exempt.get(name)
        after_dashdash = False
        positionals: list[Word] = []
        for w in args:
            t = w.text
            if t == "--" and not after_dashdash:
                after_dashdash = True
                continue
            is_flag = not after_dashdash and t.startswith("-") and len(t) > 1
            if w.dynamic:
                # A computed argument may be any path (`cat $HOME/.ssh/id_rsa`, `"$(pwd)/../x"`):
                # only programs that never open their arguments, or names a known producer
                # prints into `xargs`, are acceptable (issue 10, class 8).
                if name in self.cfg.dynamic_ok or self._stdin_words_ok(name, w, label):
                    continue
                self._undecidable(
                    label,
                    f"argument {t} of '{name}' is computed at run time",
                    destructive=mode == "remove",
                )
                return
            if is_flag:
                _, eq, value = t.partition("=")
                if eq and _looks_like_path(value):
                    self._path(
                        value, "write" if mode in ("remove", "write") else "read", name, label
                    )
                continue
            positionals.append(w)
            if exempt and any(p.match(t) for p in exempt):
                continue
            if "=" in t and not positional_paths:
                value = t.partition("=")[2]
                if _looks_like_path(value):
                    self._path(
                        value, "write" if mode in ("write", "remove") else "read", name, label
                    )
                continue
            # Positionals of file tools may name a symlink that escapes; for other programs
            # only arguments that look like paths are resolved (the sandbox confines the rest).
            if positional_paths or mode == "read" or _looks_like_path(t):
                if _URL.match(t):
                    continue
                if "=" in t and mode in ("write", "remove") and not t.startswith(("/", ".", "~")):
                    value = t.partition("=")[2]
                    if _looks_like_path(value):
                        self._path(value, "write", name, label)
                    continue
                path_mode = mode
                if name in self.cfg.copy:
                    path_mode = (
                        "write" if w is positionals[-1] and w is _last_positional(args) else "read"
                    )
                self._path(t, path_mode, name, label)

    def _write_options(self, name: str, args: list[Word], label: str) -> None:
        opts = self.cfg.write_options.get(name)
        if not opts:
            return
        for i, w in enumerate(args):
            t = w.text
            head, eq, value = t.partition("=")
            if eq and head in opts:
                self._path(value, "write", name, label)
            elif t in opts and i + 1 < len(args):
                if args[i + 1].dynamic:
                    self._undecidable(label, f"output file of '{name}' is computed at run time")
                    return
                self._path(args[i + 1].text, "write", name, label)
            elif len(t) > 2 and not t.startswith("--") and t[:2] in opts:
                self._path(t[2:], "write", name, label)

    def _argv_sensitive(self, name: str) -> bool:
        return name in self.cfg.argv_sensitive

    def _outside(self, res: Resolved, mode: str, program: str, label: str) -> None:
        if (
            mode in ("read", "other")
            and under_prefix(res.lexical, self.cfg.read_only_prefixes)
            and under_prefix(res.real, self.cfg.read_only_prefixes)
        ):
            return
        if mode == "remove":
            self._deny(
                "exec.remove-outside-workspace",
                f"'{res.raw}' resolves outside the workspace ({res.real}); removing it is destructive",
                label,
                destructive=True,
            )
        elif mode == "write":
            self._deny(
                "exec.write-outside-workspace",
                f"'{res.raw}' resolves outside the workspace ({res.real}); changing it is destructive",
                label,
                destructive=True,
            )
        else:
            self._deny(
                "exec.path-outside-workspace",
                f"'{res.raw}' resolves outside the workspace ({res.real})",
                label,
            )


def _looks_like_path(t: str) -> bool:
    if not t or _URL.match(t):
        return False
    return t[0] in "/~" or t == ".." or t.startswith("../") or "/../" in t or t.endswith("/..")


def _first_positional(args: list[Word], with_arg: frozenset[str]) -> Word | None:
    i = 0
    while i < len(args):
        t = args[i].text
        if t == "--":
            return args[i + 1] if i + 1 < len(args) else None
        if t.startswith("-") and len(t) > 1:
            if t in with_arg:
                i += 2
                continue
            i += 1
            continue
        return args[i]
    return None


def _first_positional_index(args: list[Word], with_arg: frozenset[str]) -> int | None:
    i = 0
    while i < len(args):
        t = args[i].text
        if args[i].dynamic:
            return None
        if t.startswith("-") and len(t) > 1:
            i += 2 if t in with_arg else 1
            continue
        return i
    return None


def _last_positional(args: list[Word]) -> Word | None:
    for w in reversed(args):
        if not (w.text.startswith("-") and len(w.text) > 1):
            return w
    return None


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
