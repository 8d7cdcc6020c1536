"""One option parser for every program, driven by its :class:`ProgramSpec`.

It reads an argument list the way the program's own parser does (GNU ``getopt_long``, POSIX
``getopt``, or single-dash long options as Go's ``flag``, ``find`` and compilers use):
clustered short options (``-iS'cmd'`` is ``-i -S cmd``), attached values (``-ofile``,
``--opt=value``), unique-prefix abbreviations of long options (``--exp`` → ``--expression``;
ambiguous ones are refused), old-style letter clusters (``tar xvf a.tar``), ``--`` ending the
options, options after arguments (permutation) or not (POSIX). Anything the spec does not
list — an unknown option or subcommand, a missing value, a computed option name — is an error:
the caller treats it as undecidable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from enforcement_agent.models import Verdict
from enforcement_agent.policy.argspec import PAIR_KINDS, REST_KINDS, Arg, Opt, ProgramSpec
from enforcement_agent.policy.rules import Argv
from enforcement_agent.policy.shell import Word, names_word

_BOOL_WORDS = frozenset(
    {"1", "0", "t", "f", "T", "F", "true", "false", "TRUE", "FALSE", "True", "False"}
)
_WILDCARDS = ("*", "?", "[")


class Item(NamedTuple):
    """One value the evaluator must check: its kind, where it is, and which option gave it."""

    kind: str
    at: int  # the word holding the value (the first word of a rest kind)
    end: int  # one past the last word (rest kinds: the end of the command or its `;`)
    text: str  # the value (`-ofile` → "file")
    option: str  # the canonical option name, "" for an argument
    spec: ProgramSpec
    choices: frozenset[str] = frozenset()


class Invocation(NamedTuple):
    """One program the words run (python -m pytest: python, then pytest), for the rules."""

    argv: Argv
    spec: ProgramSpec


class Parsed(NamedTuple):
    invocations: tuple[Invocation, ...]
    items: tuple[Item, ...]
    error: str = ""  # why the words do not fit the spec ("" when they do)
    stdin_code: bool = False  # a required script is missing: the program reads code from stdin
    unknown: Verdict = Verdict.DENY  # the verdict for an error (the spec's `unknown`)
    forbidden: bool = False  # the error is a subcommand the spec forbids


# Value kinds that neither run, load nor open anything: an abbreviation of an option taking
# one of these only asks where the spec asks about unknown options.
_HARMLESS_VALUE_KINDS = frozenset({"lit", "num", "enum", "pattern", "data"})


class SpecError(Exception):
    pass


class _Parser:
    def __init__(self, spec: ProgramSpec, words: Sequence[Word], start: int, program: str):
        self.top = spec
        self.cur = spec
        self.words = words
        self.i = start
        self.start = start
        self.program = program
        self.items: list[Item] = []
        self.flags: list[str] = []
        self.values: list[tuple[str, str]] = []
        self.positionals: list[str] = []
        self.end_of_options = False
        self.after_dashdash = False
        self.slot = 0  # which entry of cur.args the next argument fills
        self.filled = 0  # how many arguments that entry holds so far
        self.level_args = 0  # arguments (not subcommands) at the current level
        self.exits = False
        self.nested: list[Invocation] = []
        self.stdin_code = False

    # ---- results ------------------------------------------------------------------------
    def invocation(self) -> Invocation:
        texts = tuple([w.text for w in self.words[self.start :]])
        argv = Argv(
            self.program,
            texts,
            tuple(self.flags),
            tuple(self.positionals),
            tuple(self.values),
            canonical=True,
        )
        return Invocation(argv, self.cur)

    def run(self) -> Parsed:
        try:
            self.loop()
            self.finish()
        except SpecError as exc:
            forbidden = str(exc).startswith("forbidden:")
            strict = str(exc).startswith("strict:")
            return Parsed(
                (self.invocation(),),
                (),
                str(exc).removeprefix("forbidden:").removeprefix("strict:"),
                False,
                Verdict.DENY if strict else self.cur.unknown,
                forbidden,
            )
        return Parsed(
            (self.invocation(), *self.nested),
            tuple(self.items),
            "",
            self.stdin_code,
            self.cur.unknown,
        )

    # ---- the loop -------------------------------------------------------------------------
    def loop(self) -> None:
        words = self.words
        n = len(words)
        while self.i < n:
            w = words[self.i]
            t = w.text
            if not self.end_of_options:
                if t == "--":
                    self.i += 1
                    if self.cur.dashdash_options:
                        continue
                    handed = self.cur.passthrough
                    if handed is not None:  # `cargo clippy -- -D warnings`: still options
                        self.cur = handed
                        self.slot = self.filled = self.level_args = 0
                        continue
                    self.end_of_options = self.after_dashdash = True
                    continue
                if self.option_like(t):
                    if w.dynamic:
                        raise SpecError(f"option {t} is computed at run time")
                    self.option(t)
                    continue
                if self.cur.bsd_flags or self.cur.bsd_values:
                    self.bsd_cluster(t, w.dynamic)
                    continue
                if self.cur.oldstyle and self.i == self.start and t and t[0].isalpha():
                    self.old_cluster(t)
                    continue
            if self.argument(w):
                return

    def option_like(self, t: str) -> bool:
        if len(t) > 1 and t[0] == "-":
            return True
        if self.cur.plus and len(t) > 1 and t[0] == "+":
            return True
        return self.cur.style == "single" and t in self.cur.exact

    # ---- options --------------------------------------------------------------------------
    def option(self, t: str) -> None:
        spec = self.cur
        opt = spec.exact.get(t)
        if opt is not None:
            self.take(opt, t, None)
            return
        if spec.style == "single":
            self.single(t)
        elif spec.style == "syscl":
            self.syscl(t)
        elif t.startswith("--"):
            self.long(t)
        else:
            self.short(t)

    def take(self, opt: Opt, spelled: str, attached: str | None) -> None:
        """Record ``opt``; its value is ``attached`` or (when it needs one) the next word."""
        if (
            opt.kind is not None
            and not opt.optional
            and attached is None
            and spelled not in opt.names
        ):
            attached = spelled  # a pattern option with a kind: the word is the value
        self.i += 1
        self.flag(opt, spelled)
        if opt.exits or opt.kind == "code":
            self.exits = True  # `--version`, or inline code standing in for the script
        if opt.kind is None:
            if attached is not None and not (
                self.cur.style == "single" and attached in _BOOL_WORDS
            ):
                raise SpecError(f"option {opt.canonical} takes no value")
            return
        if attached is None and (opt.optional or (opt.lastarg and self.i >= len(self.words))):
            return
        if opt.kind == "command;":
            self.terminated(opt)
            return
        if opt.kind in PAIR_KINDS:
            self.pair(opt, attached)
            return
        if opt.kind in REST_KINDS and opt.kind != "module":
            if attached is not None:
                raise SpecError(f"option {opt.canonical} takes the rest of the words")
            self.rest(opt.kind, opt.canonical)
            return
        if attached is None:
            if self.i >= len(self.words):
                raise SpecError(f"option {opt.canonical} needs a value")
            word = self.words[self.i]
            attached = word.text
            index = self.i
            self.i += 1
            # A computed value is only data, and only as one quoted word: unquoted, it can
            # split into more words that the program reads as options.
            if word.dynamic and not (opt.kind == "data" and word.quoted):
                raise SpecError(f"the value of {opt.canonical} is computed at run time")
        else:
            index = self.i - 1
        self.value(opt, attached, index)

    def pair(self, opt: Opt, attached: str | None) -> None:
        """``--rawfile NAME FILE``, ``--arg NAME VALUE``: two words (a fifth red-team pass: `jq
        --rawfile v /etc/shadow -n '$v'` was read as one value and a filter, so the file was
        never checked)."""
        if attached is not None:
            raise SpecError(f"option {opt.canonical} takes two words, not an attached value")
        if self.i + 1 >= len(self.words):
            raise SpecError(f"option {opt.canonical} needs two values")
        name, value = self.words[self.i], self.words[self.i + 1]
        if name.dynamic or (value.dynamic and not (opt.kind == "vardata" and value.quoted)):
            raise SpecError(f"the value of {opt.canonical} is computed at run time")
        index = self.i + 1
        self.i += 2
        for n in opt.names:
            self.values.append((n, value.text))
        kind = "read" if opt.kind == "varfile" else "data"
        self.items.append(Item(kind, index, index + 1, value.text, opt.canonical, self.cur))

    def flag(self, opt: Opt, spelled: str) -> None:
        if opt.names and spelled in opt.names:
            self.flags.extend(opt.names)
        else:  # a pattern option (`-5`, `-Wall`): the word is its own name
            self.flags.append(spelled)

    def value(self, opt: Opt, text: str, index: int) -> None:
        if opt.kind == "enum" and text not in opt.choices:
            raise SpecError(f"{text!r} is not an allowed value of {opt.canonical}")
        for name in opt.names:
            self.values.append((name, text))
        assert opt.kind is not None
        if opt.kind == "module":
            self.module(text, index, opt.canonical)
            return
        self.items.append(
            Item(opt.kind, index, index + 1, text, opt.canonical, self.cur, opt.choices)
        )

    def long(self, t: str) -> None:
        name, eq, value = t.partition("=")
        opt = self.cur.exact.get(name)
        if opt is None:
            prefixed = [x for x in self.cur.longs if x.startswith(name)]
            found = {id(self.cur.exact[x]): self.cur.exact[x] for x in prefixed}
            if len(found) > 1:
                raise SpecError(f"option {name} is ambiguous ({', '.join(prefixed)})")
            if found and not self.cur.abbrev:
                # GNU getopt_long would read it as the option it abbreviates, unless the program
                # has an option with exactly this name that the spec does not list
                # (`pytest --trace` is not `--trace-config`): refused either way. Where the
                # spec only asks about unknown options (pytest, flake8, pylint), the program's
                # likely reading decides when it is the stricter: an abbreviation of an option
                # whose value is code, a module, a command or a path (`pylint --init-h=CODE`,
                # a ninth red-team pass: it asked, where `--init-hook=CODE` is denied) is denied.
                cand = next(iter(found.values()))
                if cand.kind is not None and cand.kind not in _HARMLESS_VALUE_KINDS:
                    raise SpecError(
                        f"strict:option {name} abbreviates {prefixed[0]}, whose value is "
                        f"{cand.kind}; spell it out"
                    )
                raise SpecError(
                    f"option {name} abbreviates {prefixed[0]}, and may also be an option of its "
                    "own that the spec does not list; spell it out"
                )
            if found:
                opt = next(iter(found.values()))
        if opt is None:
            opt = self.pattern(name)
            if opt is not None:
                self.take(opt, name, value if eq else None)
                return
            raise SpecError(f"option {name} is not in the spec of {self.where()}")
        self.take(opt, name if name in opt.names else opt.canonical, value if eq else None)

    def short(self, t: str) -> None:
        spec = self.cur
        if spec.next_word_values and t[0] == "-":
            self.old_cluster(t[1:])
            return
        head, eq, value = t.partition("=")
        whole = spec.exact.get(head) if eq and len(head) > 2 else None
        if whole is not None and whole.kind is not None:
            self.take(whole, head, value)
            return
        opt = self.pattern(t)
        first = spec.exact.get(t[:2]) if len(t) > 2 else None
        if opt is not None and not (
            opt.canonical == "-*" and first is not None and first.kind is not None
        ):
            self.take(opt, t, None)
            if opt.canonical == "-*" and len(t) > 2 and "=" not in t:
                # a catch-all reads `-dc` as one word; the program (pflag, getopt) reads a
                # cluster: its letters are given too, for the rules that name them (a
                # forty-fourth red-team pass: `gh pr close 1 -dc x` deleted the branch
                # `-d` is refused for)
                self.flags.extend(t[0] + ch for ch in t[1:] if ch.isalnum())
            return
        # (a catch-all `-*` does not swallow a listed short option with its value attached,
        # `-D/tmp/x`, `-OCLAUDE.md`: a thirteenth red-team pass, `gh run download -D.github`
        # was read as a flag named `-D.github` where `-D .github` was a write)
        sign = t[0]
        letters = t[1:]
        for k, ch in enumerate(letters):
            o = spec.exact.get(sign + ch)
            if o is None:
                raise SpecError(f"option {sign}{ch} (in {t}) is not in the spec of {self.where()}")
            if o.kind is None:
                self.flag(o, sign + ch)
                if o.exits:
                    self.exits = True
                continue
            # the rest is cut only where a value starts: cut per letter, a 64 KB cluster of
            # flags (`cp -vvv…v`) took time quadratic in its length (a twenty-ninth pass)
            rest = letters[k + 1 :]
            if o.kind == "num" and o.optional:
                # `perl -l0ne`: an optional number takes only the digits; the cluster goes on
                digits = len(rest) - len(rest.lstrip("0123456789"))
                self.flag(o, sign + ch)
                if digits:
                    self.value(o, rest[:digits], self.i)
                letters_left = rest[digits:]
                if letters_left:
                    self.short(sign + letters_left)
                else:
                    self.i += 1
                return
            if spec.pflag and rest.startswith("="):
                # pflag drops the `=` of `-O=FILE` (`gh release download -O=CLAUDE.md` wrote
                # CLAUDE.md; it was read as a file named `=CLAUDE.md`)
                self.take(o, sign + ch, rest[1:])
                return
            # The value is the rest of the cluster, or the next word.
            self.take(o, sign + ch, rest or None)
            return
        self.i += 1

    def single(self, t: str) -> None:
        spec = self.cur
        if t.startswith("--") and t[1:].partition("=")[0] in spec.exact:
            t = t[1:]
        head, eq, value = t.partition("=")
        if eq and head in spec.exact:
            self.take(spec.exact[head], head, value)
            return
        if eq:
            # `-fcompare-debug=-fplugin=x.so`: a pattern names the option, and the option decides
            # whether it takes a value (a flag pattern like `-f*` does not)
            opt = self.pattern(head)
            if opt is not None:
                self.take(opt, head, value)
                return
        opt = self.pattern(t)
        if opt is not None:
            self.take(opt, t, None)
            return
        short = spec.exact.get(t[:2]) if len(t) > 2 and t[0] == "-" else None
        if short is not None and short.kind is not None:
            self.take(short, t[:2], t[2:])
            return
        raise SpecError(f"option {head} is not in the spec of {self.where()}")

    def syscl(self, t: str) -> None:
        """System.CommandLine (the dotnet CLI): `-o:V`, `-o=V`, `--output:V` are the option
        with value V; there are no clusters and no attached values without a delimiter, and a
        word it does not know goes to MSBuild (`-flp:logfile=F`, `-l:x,/tmp/x.dll`), which
        writes, loads loggers and sets properties: not decidable here (a forty-ninth pass:
        `-o:.github` was read as `-o` with the value `:.github`)."""
        cuts = [k for k in (t.find(":"), t.find("=")) if k > 0]
        if cuts:
            head = t[: min(cuts)]
            opt = self.cur.exact.get(head)
            if opt is not None and opt.kind is not None:
                self.take(opt, head, t[min(cuts) + 1 :])
                return
        raise SpecError(
            f"option {t} is not in the spec of {self.where()} (the dotnet CLI hands the "
            "words it does not know to MSBuild)"
        )

    def pattern(self, t: str) -> Opt | None:
        for regex, opt in self.cur.patterns:
            if regex.match(t):
                return opt
        return None

    def bsd_cluster(self, t: str, dynamic: bool) -> None:
        """``ps aux``, ``ps axo pid,cmd``: BSD letters, read with their own table (never as
        the dashed options of the same letters); a value letter takes the next word."""
        spec = self.cur
        if dynamic:
            raise SpecError(f"the BSD options {t} are computed at run time")
        index = self.i + 1
        for ch in t:
            if ch in spec.bsd_values:
                if index >= len(self.words) or self.words[index].dynamic:
                    raise SpecError(f"the BSD option {ch} (in {t}) needs a plain value")
                index += 1
            elif ch not in spec.bsd_flags:
                raise SpecError(
                    f"letter {ch} (in {t}) is not a BSD option in the spec of {self.where()}"
                )
        self.i = index

    def old_cluster(self, t: str) -> None:
        """``tar xvf a.tar``: letters as options; each one that takes a value takes the next word."""
        spec = self.cur
        index = self.i + 1
        for ch in t:
            o = spec.exact.get("-" + ch)
            if o is None:
                raise SpecError(
                    f"letter {ch} (in {t}) is not an option in the spec of {self.where()}"
                )
            self.flag(o, "-" + ch)
            if o.kind is None or o.optional or (o.lastarg and index >= len(self.words)):
                continue
            if o.kind in REST_KINDS or o.kind == "command;":
                raise SpecError(f"letter {ch} (in {t}) cannot take a command")
            if index >= len(self.words):
                raise SpecError(f"option -{ch} needs a value")
            word = self.words[index]
            if word.dynamic and o.kind != "data":
                raise SpecError(f"the value of -{ch} is computed at run time")
            self.value(o, word.text, index)
            index += 1
        self.i = index

    def terminated(self, opt: Opt) -> None:
        """``-exec cmd {} ;`` / ``-exec cmd {} +``: the command ends at its terminator."""
        start = self.i
        j = start
        while j < len(self.words):
            t = self.words[j].text
            if t == ";" or (t == "+" and j > start and self.words[j - 1].text == "{}"):
                break
            j += 1
        else:
            raise SpecError(f"{opt.canonical} without its terminating ';' or '+'")
        if j == start:
            raise SpecError(f"{opt.canonical} without a command")
        self.items.append(
            Item("command", start, j, self.words[start].text, opt.canonical, self.cur)
        )
        self.i = j + 1

    def rest(self, kind: str, option: str) -> None:
        n = len(self.words)
        if self.i >= n:
            raise SpecError(f"{option or kind} without a command")
        self.items.append(Item(kind, self.i, n, self.words[self.i].text, option, self.cur))
        # The rules still see the wrapped words (`npx https://…` matches a rule on npx).
        self.positionals.extend(w.text for w in self.words[self.i : n])
        self.i = n

    def module(self, name: str, index: int, option: str) -> None:
        """``python -m pytest …``: the module's own spec parses everything after it."""
        sub = self.cur.modules.get(name) or self.top.modules.get(name)
        if sub is None:
            raise SpecError(
                f"{self.program} {option} {name} runs a module that is not in the policy's module list"
            )
        inner = _Parser(sub, self.words, index + 1, sub.name).run()
        if inner.error:
            raise SpecError(inner.error if not inner.forbidden else "forbidden:" + inner.error)
        self.items.extend(inner.items)
        self.nested.extend(inner.invocations)
        self.stdin_code = self.stdin_code or inner.stdin_code
        self.i = len(self.words)
        self.end_of_options = True
        self.exits = True  # the module takes the place of the script: nothing else is required

    # ---- arguments ------------------------------------------------------------------------
    def argument(self, w: Word) -> bool:
        """Place one argument; True when it took the rest of the words."""
        spec = self.cur
        t = w.text
        if spec.subcommands and self.level_args == 0:
            sub = spec.subcommands.get(t)
            if sub is not None and self.after_dashdash and not spec.args:
                # `git -- push --force`: read as a subcommand whose options had ended, the
                # force was an argument and no destructive rule saw it; git 2.39 refuses the
                # `--`, other versions and programs may not (thirty-eighth pass: fail closed)
                raise SpecError(f"'--' before the subcommand {t!r} of {self.where()}")
            if sub is not None and self.after_dashdash:
                sub = None  # (`node -- inspect`: a script of that name, not the subcommand)
            if sub is not None and not w.dynamic:
                if sub.forbidden:
                    self.cur = sub
                    raise SpecError("forbidden:" + sub.forbidden)
                self.positionals.append(t)
                self.cur = sub
                self.slot = self.filled = self.level_args = 0
                self.end_of_options = False
                self.i += 1
                return False
            if not spec.args:
                what = "a computed word" if w.dynamic else repr(t)
                raise SpecError(f"{what} is not a subcommand of {self.where()}")
        arg = self.next_slot(t)
        if arg is None:
            raise SpecError(f"unexpected argument {t!r} for {self.where()}")
        self.level_args += 1
        if arg.kind in REST_KINDS:
            self.filled += 1
            self.rest(arg.kind, "")
            return True
        if w.dynamic and names_word(w):
            # Names a producer prints (xargs, `find -exec … {}`, a `for` list): the evaluator
            # accepts them only when none can start like an option, and checks them as paths.
            if arg.kind not in ("data", "lit", "read", "write", "remove"):
                raise SpecError(f"names from {self.program}'s input cannot be a {arg.kind}")
        elif w.dynamic:
            # A computed word where the program still reads options may turn into one (quoted
            # or not: "$X" can hold "--exec=…"), unless no option of the program runs code.
            # Once options have ended it is data; it cannot be a path policy checks.
            if not (self.end_of_options or spec.globs_ok):
                raise SpecError(
                    f"argument {t} is computed at run time where {self.program} reads options"
                )
            if not (arg.kind in ("data", "lit") or (spec.globs_ok and arg.kind == "read")):
                raise SpecError(f"argument {t} is computed at run time")
        if (
            w.glob
            and not self.after_dashdash
            and not spec.globs_ok
            and t.startswith(_WILDCARDS)
            and "/" not in t
        ):
            raise SpecError(
                f"the glob {t} can expand to file names that {self.program} reads as options"
            )
        if arg.kind == "enum" and t not in arg.choices:
            raise SpecError(f"{t!r} is not an allowed argument of {self.where()}")
        self.items.append(Item(arg.kind, self.i, self.i + 1, t, "", spec, arg.choices))
        self.positionals.append(t)
        self.filled += 1
        self.i += 1
        if spec.style == "posix":
            self.end_of_options = True
        return False

    def next_slot(self, t: str) -> Arg | None:
        args = self.cur.args
        while self.slot < len(args):
            arg = args[self.slot]
            full = arg.maximum is not None and self.filled >= arg.maximum
            if arg.kind == "env" and "=" not in t:
                # `env A=1 cmd`: the assignments end at the first word without `=`. GNU env
                # sets whatever stands before the first `=`, a shell name or not (a
                # twenty-second red-team pass: `env 'X%=./' rm -rf DIR` was read as a
                # workspace program named `X%=./`, and `env 'BASH_FUNC_echo%%=() { CMD; }'
                # bash -c 'echo x'` defined bash's echo): the name goes to exec.environment
                full = True
            if not full:
                return arg
            self.slot += 1
            self.filled = 0
        return None

    def finish(self) -> None:
        when = self.cur.args_when
        if when and self.level_args and not when.intersection(self.flags):
            raise SpecError(f"{self.where()} takes arguments only with {', '.join(sorted(when))}")
        if self.cur.subcommands and not self.cur.args and self.level_args == 0:
            if self.positionals or self.cur is self.top:
                return  # `git` alone prints its help; a subcommand group without one is fine
        args = self.cur.args
        for k in range(self.slot, len(args)):
            have = self.filled if k == self.slot else 0
            if have >= args[k].minimum:
                continue
            if self.exits:
                return
            if args[k].kind == "script":
                self.stdin_code = True
                return
            raise SpecError(f"{self.where()} needs a {args[k].kind} argument")

    def where(self) -> str:
        return self.cur.name


def parse_args(spec: ProgramSpec, words: Sequence[Word], program: str) -> Parsed:
    """Parse ``words`` (the arguments after the program name) with ``spec``."""
    return _Parser(spec, words, 0, program).run()
