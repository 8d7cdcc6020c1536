"""Programs that read whole trees or the names in them: where `grep -r`, `rg`, `find`, `fd`,
source-tree tools and listers start, what they skip and filter, whether they follow links,
and which command's output feeds another's input."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.archive_args import tar_inputs
from enforcement_agent.policy.argv_words import (
    long_prefix,
    options_before_dashdash,
    plain_operands,
    short_flag,
    split_options,
)
from enforcement_agent.policy.git_argv import git_grep_excludes, git_subcommand
from enforcement_agent.policy.paths import extracts
from enforcement_agent.policy.python_module_args import (
    compileall_dirs,
    http_server_dir,
    python_module,
)
from enforcement_agent.policy.searchers import SEARCHERS, search_of, whitelist
from enforcement_agent.policy.shell import SimpleCommand, Word
from enforcement_agent.policy.write_targets import option_names, read_options, reader_args

RECURSIVE_GREPS = frozenset({"grep", "egrep", "fgrep", "zgrep"})


ARCHIVERS = frozenset({"zip", "7z", "7za", "7zr", "jar", "cpio", "pax", "ar"})


# Programs whose tree reads (tree_reader) and extractions (_extraction) are checked.
# Linters, type checkers, formatters and test runners read every source file of their types
# under the directories they are given (the current one by default), following a link to a
# file, and print source lines in their messages: a twenty-fifth red-team pass had `ruff check
# tests` and `pytest tests` print the .env a workspace link `tests/test_x.py -> ../.env` names.
PY_TOOLS = frozenset(
    {"ruff", "flake8", "pylint", "mypy", "dmypy", "pyright", "basedpyright", "bandit", "pytest",
     "py.test", "black", "isort", "pycodestyle", "pydocstyle", "vulture", "yapf", "autopep8",
     "docformatter", "pyupgrade"}
)  # fmt: skip


_PY_TOOL_MODULES = frozenset({"pytest", "mypy", "black", "isort", "ruff", "flake8", "pylint"})


JS_TOOLS = frozenset(
    {"eslint", "prettier", "tsc", "vue-tsc", "jest", "vitest", "mocha", "stylelint"}
)  # fmt: skip


# Other compilers, formatters and checkers that print source lines or diffs of every file of
# their types under a directory (`gofmt -d`, `go vet`, `rustfmt --check`, `cargo build`,
# `clang-format --dry-run`, `shfmt -d`, `shellcheck`, `deno fmt --check`).
TYPED_TOOLS = {
    "go": lazy_compile(r"(?:.*/)?[^/]*\.(?:go|s|c|h|cc|cpp|mod|sum)\Z"),
    "gofmt": lazy_compile(r"(?:.*/)?[^/]*\.go\Z"),
    "goimports": lazy_compile(r"(?:.*/)?[^/]*\.go\Z"),
    "golangci-lint": lazy_compile(r"(?:.*/)?[^/]*\.go\Z"),
    "cargo": lazy_compile(r"(?:.*/)?(?:[^/]*\.rs|Cargo\.toml)\Z"),
    "rustfmt": lazy_compile(r"(?:.*/)?[^/]*\.rs\Z"),
    "clang-format": lazy_compile(
        r"(?:.*/)?[^/]*\.(?:c|h|cc|cpp|cxx|hh|hpp|hxx|m|mm|java|js|ts|proto|cs|json|cu)\Z"
    ),
    "shfmt": lazy_compile(r"(?:.*/)?[^/]*\.(?:sh|bash|ksh|mksh|bats|zsh)\Z"),
    "shellcheck": lazy_compile(r"(?:.*/)?[^/]*\.(?:sh|bash|ksh|dash)\Z"),
    "deno": lazy_compile(r"(?:.*/)?[^/]*\.[cm]?[jt]sx?\Z"),
}


_PY_FILES = lazy_compile(r"(?:.*/)?[^/]*\.pyi?\Z")


# their code only: prettier and deno fmt also read JSON, YAML and Markdown, and would meet a
# credentials file there (`secrets/service-account.json`) in most workspaces; that is left to
# the sandbox, which hides it (an open item of the twenty-fifth pass)
_JS_FILES = lazy_compile(r"(?:.*/)?[^/]*\.(?:[cm]?[jt]sx?|vue|svelte)\Z")


_PY_SOURCE = lazy_compile(r"(?:.*/)?[^/]*\.py\Z")


def source_tool(name: str, texts: tuple[str, ...]) -> tuple[list[str], re.Pattern[str]] | None:
    """(the words that may name its paths, the files it reads) of a source-tree tool."""
    if name == "python":
        module, rest = python_module(texts)
        if module not in _PY_TOOL_MODULES:
            return None
        name, texts = "pytest", rest
    if name in PY_TOOLS:
        return [t for t in texts if not t.startswith("-")], _PY_FILES
    if name in JS_TOOLS:
        return [t for t in texts if not t.startswith("-")], _JS_FILES
    if name in TYPED_TOOLS:
        # `./...` (go's packages below) is its directory
        words = [t.removesuffix("/...").removesuffix("...") or "." for t in texts]
        return [t for t in words if not t.startswith("-")], TYPED_TOOLS[name]
    return None


def tree_reader(
    name: str, texts: tuple[str, ...]
) -> tuple[list[str] | None, bool, list[re.Pattern[str]]]:
    """(start directories it reads every file under, skips hidden files, name filters)."""
    if name in SEARCHERS:
        # read with the searcher's spec (`searchers`); words it cannot read (refused before):
        # every word may be a path it reads
        search = search_of(name, texts)
        if isinstance(search, str):
            return [t for t in texts if not t.startswith("-")] + ["."], False, []
        if not search.recursive:
            return None, False, []
        if search.names_only and not search.follows:
            # `rg --files .ssh` prints names, like `ls .ssh`; what a consumer then reads of
            # them is the producer check's (`rg --files .ssh | xargs cat` is refused there)
            return None, False, []
        globs = (
            _grep_filters(search.values)
            if name in RECURSIVE_GREPS
            else whitelist(name, search.values)
        )
        return list(search.starts), not search.hidden, globs
    if name == "python":
        # `python -m http.server` serves every file under its directory (`-d DIR`, or the
        # current one), hidden ones too, to whoever connects: a tree read (an eleventh
        # red-team pass: `-d .aws` served the credentials)
        compiled = compileall_dirs(texts)
        if compiled is not None:
            return compiled, False, [_PY_SOURCE]
        served = http_server_dir(texts)
        return ([served] if served is not None else None), False, []
    git_sub, git_rest = git_subcommand(texts)[1:] if name == "git" else ("", ())
    if git_sub == "grep":
        return ["."], False, git_grep_excludes(git_rest)
    # Directory diffs read every file on both sides, and print a file missing on one side in
    # full (-N): `diff -rN . src | rev` printed .env (a red-team finding).
    if name in ("diff", "colordiff"):
        # read with diff's table (an eighteenth red-team pass: `diff --recurs -N . src`
        # printed .env, read as not recursive); two directories are compared file by file
        # without -r too (`diff -N . src` printed .env), so every operand and
        # --from-file/--to-file value is a start (a superset); words diff cannot read count
        # as a recursive read of every word
        read = read_options(name, [Word(t) for t in texts])
        if isinstance(read, str):
            return [t for t in texts if not t.startswith("-")] or ["."], False, []
        opts, ops = read
        extra = [v for n, v in opts if n in ("--from-file", "--to-file") and v is not None]
        return ops + extra or ["."], False, []
    if git_sub == "diff" and "--no-index" in git_rest:
        return split_options(git_rest, _DIFF_WITH_VALUE)[0], False, []
    if name == "cp":
        # read with cp's table (an eighteenth red-team pass: `cp --archive -L dir d` and `cp
        # --arc --deref dir d` copied what a link in dir points to, read as not recursive);
        # words cp cannot read count as a recursive copy that follows links
        names = option_names("cp", [Word(t) for t in texts])
        if isinstance(names, str) or (names & {"-R", "-a"} and names & {"-L", "-H"}):
            return plain_operands(texts), False, []
        return None, False, []
    if name in ("cp", "rsync"):
        # a copy that follows links reads what they point to (`cp -rL src b` copied the
        # `.env` a link under src names): every operand is a start (a superset)
        recursive = any(short_flag(t, "rRa") or long_prefix(t, "--recursive") for t in texts)
        if (recursive or name == "rsync") and follows_links(name, texts):
            return plain_operands(texts), False, []
        return None, False, []
    if name == "find" and any(t in ("-exec", "-execdir", "-ok", "-okdir") for t in texts):
        filters = find_filters(texts)
        return _find_starts(texts), False, filters if filters is not None else []
    if name in ("tar", "bsdtar") and not extracts(name, texts):
        creating = any(
            t in ("--create", "--append", "--update") or (short_flag(t, "cru")) for t in texts
        ) or (texts and not texts[0].startswith("-") and any(c in texts[0] for c in "cru"))
        if creating:
            return [t for t in tar_inputs(texts)], False, []
        return None, False, []
    if name in ARCHIVERS and name not in ("cpio", "pax", "ar"):
        return plain_operands(texts)[1:], False, []
    if name in ("cpio", "pax") and any(short_flag(t, "o") or t in ("--create",) for t in texts):
        return ["."], False, []
    return None, False, []


def grep_recurses(texts: tuple[str, ...]) -> bool:
    """Whether GNU grep reads directories recursively (-r/-R in any cluster, an abbreviation
    of --recursive, `-d`/`--directories` with an action that is not a prefix of `read` or
    `skip`), read with its spec; words grep cannot read count as recursive."""
    search = search_of("grep", texts)
    return isinstance(search, str) or search.recursive


_DIFF_WITH_VALUE = frozenset(
    {"-x", "-X", "-I", "-F", "-L", "-S", "-C", "-U", "-W", "--exclude", "--exclude-from",
     "--ignore-matching-lines", "--show-function-line", "--label", "--starting-file",
     "--line-format", "--width", "--tabsize"}
)  # fmt: skip


# Short options by which a recursive reader or copier follows the symlinks it meets in the
# tree (`grep -R`, `rg -L`, `ag -f`, `ugrep -R/-S`, `cp -rL`, `rsync -L`, `tar -h`, bsdtar -L,
# `cpio -L`, `pax -L`); zip, jar, 7z and diff -r follow them unless told not to.
_FOLLOW_SHORT = {"bsdtar": "hL", "cpio": "L", "pax": "L"}  # (the searchers: `searchers`)


# ... read with the program's table (write_targets READER_TABLES): the options that follow
# links (rsync's --copy-unsafe-links follows those leaving the tree, -k those to directories)
_FOLLOW_TABLED = {
    "tar": frozenset({"-h"}), "gtar": frozenset({"-h"}),
    "rsync": frozenset({"-L", "--copy-unsafe-links", "-k"}),
}  # fmt: skip


_FOLLOW_LONG = ("--follow", "--dereference", "--dereference-recursive", "--dereference-files",
                "--copy-links", "--copy-unsafe-links", "--copy-dirlinks")  # fmt: skip


# ... and the options that keep them from following (zip -y, 7z -snl, diff --no-dereference)
_NO_FOLLOW = {"7z": ("-snl",), "7za": ("-snl",),
              "7zr": ("-snl",), "diff": ("--no-dereference",),
              "colordiff": ("--no-dereference",)}  # fmt: skip


def link_listing_starts(name: str, texts: tuple[str, ...]) -> list[str]:
    """The directories a names-only lister walks following links (`tree -l`, `du -L`, `ls
    -RL`, `fd -L`), or [] when it does not follow them."""
    opts = options_before_dashdash(texts)

    def long(*names: str) -> bool:
        return any(t.startswith("--") and any(long_prefix(t, n, 5) for n in names) for t in opts)

    if name == "tree":
        follow = any(short_flag(t, "l") for t in opts)
    elif name == "du":
        follow = any(short_flag(t, "L") for t in opts) or long("--dereference")
    elif name in ("fd", "fdfind"):
        follow = any(short_flag(t, "L") for t in opts) or long("--follow")
    else:  # ls: only a recursive listing walks into what a link points to
        follow = (any(short_flag(t, "L") for t in opts) or long("--dereference")) and (
            any(short_flag(t, "R") for t in opts) or long("--recursive")
        )
    if not follow:
        return []
    if name == "ls":
        # (no table for ls: where an option may take the next word as its value, `ls -RL -I
        # x`, `-w 80`, `--hide x`, that word may be no folder and `.` is walked; forty-fifth
        # pass)
        valued = any(
            t.startswith("--")
            and "=" not in t
            or t[:1] == "-"
            and t[1:2] != "-"
            and any(c in t for c in "IwT")
            for t in opts
        )
        return plain_operands(texts) + ["."] if valued else plain_operands(texts) or ["."]
    # read with the program's table (a forty-fifth red-team pass: `fd -L x` walked `.`, but
    # its pattern `x` was taken for the start folder, and so were option values: `tree -l -L
    # 2`, `du -L -d 1`, `fd -L -E node_modules` walked `.` through a link out, allowed)
    parsed = reader_args(name, [Word(t) for t in texts])
    if isinstance(parsed, str):
        return [t for t in texts if t[:1] != "-"] + ["."]  # (what it cannot read: every word)
    operands = [w.text for w in parsed.operands]
    if name not in ("fd", "fdfind"):
        return operands or ["."]
    # fd: the first operand is the pattern, paths follow it or come as `--search-path`; a
    # `--base-directory` is where fd starts and relative paths are read from
    paths = operands[1:] + [v for o, v, _ in parsed.options if o == "--search-path" and v]
    bases = [v for o, v, _ in parsed.options if o == "--base-directory" and v]
    paths = paths or ["."]
    if bases:
        paths = [p if p.startswith("/") else bases[-1].rstrip("/") + "/" + p for p in paths]
    return paths


def follows_links(name: str, texts: tuple[str, ...]) -> bool:
    """Whether ``name`` follows the symlinks it meets while it reads or copies a tree (an
    eighth red-team pass: `grep -R`, `zip -r`, `cp -rL`, `rsync -L`, `tar -h` read what a link
    in the tree points to, outside the workspace or a secret, which no word names)."""
    opts = options_before_dashdash(texts)
    if name == "zip":
        # read with zip's table (an eighteenth red-team pass: the `y` of an exclusion pattern,
        # `zip -r o.zip dir -x*.pyc`, was read as `-y`, and zip stored what a link in dir
        # points to); words zip cannot read count as following
        zip_opts = read_options("zip", [Word(t) for t in texts])
        return isinstance(zip_opts, str) or not any(n == "-y" for n, _ in zip_opts[0])
    if name == "cp":  # cp's table: `-L`, `-H` (operands) and `--dereference` abbreviated
        names = option_names("cp", [Word(t) for t in texts])
        return isinstance(names, str) or bool(names & {"-L", "-H"})
    if name in SEARCHERS:  # `grep -R`, `rg -L`, `ag -f`, `ugrep -S`: the searcher's spec
        search = search_of(name, texts)
        return isinstance(search, str) or search.follows
    if name in _NO_FOLLOW:
        off = _NO_FOLLOW[name]
        return not any(
            t in off or (t.startswith("--") and any(long_prefix(t, o, 4) for o in off))
            for t in opts
        )
    if name in ("jar",):
        return True
    if name in _FOLLOW_TABLED:
        # read with the program's table: an abbreviation, a cluster, old-style letters; words
        # the table cannot read count as following
        parsed = reader_args(name, [Word(t) for t in texts])
        return isinstance(parsed, str) or any(
            o in _FOLLOW_TABLED[name] for o, _, _ in parsed.options
        )
    letters = _FOLLOW_SHORT.get(name, "")
    if letters and any(short_flag(t, letters) for t in opts):
        return True
    if name in ("tar", "bsdtar") and opts and not opts[0].startswith("-") and "h" in opts[0]:
        return True  # old-style letters: `tar chf out.tar dir`
    return any(
        # a GNU unique prefix: `cp -r --der`, `grep --der` (none of these programs has
        # another long option that `--de?` could start)
        t.startswith("--") and any(long_prefix(t, o, 5) for o in _FOLLOW_LONG)
        for t in opts
    )


def _search_starts(texts: tuple[str, ...], program: str) -> list[str]:
    """The paths a searcher reads: its operands after the pattern (or `.`), read with its
    spec (`searchers`); words it cannot read: every word that is not an option, and `.`."""
    search = search_of(program, texts)
    if isinstance(search, str):
        return [t for t in texts if t[:1] != "-"] + ["."]
    return list(search.starts)


def _grep_filters(values: tuple[tuple[str, str], ...]) -> list[re.Pattern[str]]:
    """grep's --include/--exclude/--exclude-dir as one predicate on a file's relative path:
    a regex that matches the paths grep reads (all of them when there are no filters).
    ``values``: (option, value) as grep's spec reads them (a twenty-sixth pass: the words
    were read alone, so `grep -r -e --exclude=credentials -e AKIA .`, where the first is a
    pattern, left .aws/credentials out of the check; grep printed it, allowed)."""
    from enforcement_agent.policy.globs import bash_glob

    def rx(glob: str, period: bool) -> str:
        g = bash_glob(glob, period)
        return (g.pattern if g is not None else re.escape(glob) + r"\Z").removesuffix(r"\Z")

    # Includes widen what is read (match generously), excludes narrow it (match strictly).
    # grep's order (exclude.c): the last --include/--exclude matching a name wins; none
    # matching, the name is read unless the first of them is --include (a review of the
    # searcher specs: `--exclude=.env --include=.env` and `--exclude=x --include=*.py` read
    # .env). A file is skipped only when that is sure: a strict exclude match after which no
    # include may match, or a first --include and no include that may match.
    # (grep matches them against a file's own name in the walk: an exclusion holding a `/`
    # never skips one there — `--exclude=.aws/credentials` read it — and is left out)
    order = [
        (o, rx(v, o != "--include"))
        for o, v in values
        if o == "--include" or (o == "--exclude" and "/" not in v)
    ]
    dirs = [rx(v, True) for o, v in values if o == "--exclude-dir"]
    if not (order or dirs):
        return []
    name = r"(?:.*/)?"
    skips = []
    for i, (o, ex) in enumerate(order):
        if o != "--exclude":
            continue
        later = [g for p, g in order[i + 1 :] if p == "--include"]
        skips.append(
            rf"(?={name}(?:{ex})\Z)" + (rf"(?!{name}(?:{'|'.join(later)})\Z)" if later else "")
        )
    if order and order[0][0] == "--include":
        includes = [g for p, g in order if p == "--include"]
        skips.append(rf"(?!{name}(?:{'|'.join(includes)})\Z)")
    parts = []
    if dirs:
        parts.append(rf"(?!(?:.*/)?(?:{'|'.join(dirs)})/)")
    if skips:
        parts.append(rf"(?!{'|'.join(skips)})")
    return [re.compile("".join(parts) + ".*", re.S)]


def _find_starts(texts: tuple[str, ...]) -> list[str]:
    i = 0
    while i < len(texts) and texts[i] in ("-H", "-L", "-P", "-O0", "-O1", "-O2", "-O3", "-D"):
        i += 2 if texts[i] == "-D" else 1
    if i < len(texts) and texts[i] == "--":
        i += 1  # `find -- src …`: the start points follow
    starts: list[str] = []
    while i < len(texts) and not texts[i].startswith(("-", "(", "!")):
        starts.append(texts[i])
        i += 1
    return starts or ["."]


_FIND_TESTS_WITH_ARG = frozenset(
    {"-name", "-iname", "-path", "-ipath", "-regex", "-iregex", "-wholename", "-iwholename",
     "-type", "-newer", "-perm", "-size", "-user", "-group", "-mtime", "-mmin", "-lname"}
)  # fmt: skip


@lru_cache(maxsize=1024)
def find_filters(texts: tuple[str, ...]) -> list[re.Pattern[str]] | None:
    """The -name/-iname patterns every found file must match, when the expression is a plain
    conjunction (None: `-o`, `!`, parentheses or a path test make it something else)."""
    from enforcement_agent.policy.globs import bash_glob

    out: list[re.Pattern[str]] = []
    skip = 0
    for i, t in enumerate(texts):
        if skip:
            skip -= 1
            continue
        if t in ("!", "-not"):
            # `! -path './.venv/*'` only removes files: ignoring it keeps a superset.
            skip = 2 if i + 1 < len(texts) and texts[i + 1] in _FIND_TESTS_WITH_ARG else 1
            continue
        if t in ("-o", "-or", "(", ")", ","):
            return None
        if t in ("-name", "-iname") and i + 1 < len(texts):
            pat = texts[i + 1]
            g = bash_glob(pat, period=False)  # find's `*` matches a leading dot
            rx = g.pattern if g is not None else re.escape(pat) + r"\Z"
            # A filter matches a workspace-relative path; -name looks at its last component.
            out.append(re.compile(r"(?:.*/)?" + rx, re.S | (re.I if t == "-iname" else 0)))
    return out


# What a name producer may be given: options that only choose which names it prints, never
# how (`find -printf`, `git ls-files --format`, `git diff --line-prefix`, `grep --label`, `fd
# --list-details` print any text), never following links, never files of names.
_FIND_TESTS = frozenset(
    {"-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
     "-type", "-newer", "-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-size",
     "-perm", "-user", "-group", "-maxdepth", "-mindepth", "-regextype"}
)  # fmt: skip


_FIND_FLAGS = frozenset(
    {"-not", "!", "-a", "-and", "-o", "-or", "(", ")", "-prune", "-print", "-print0", "-empty",
     "-readable", "-writable", "-executable", "-xdev", "-mount", "-depth", "-daystart",
     "-true", "-false", "-nouser", "-nogroup"}
)  # fmt: skip


_FD_VALUES = frozenset(
    {"-t", "--type", "-e", "--extension", "-d", "--max-depth", "--min-depth", "--exact-depth",
     "-E", "--exclude", "-S", "--size", "--changed-within", "--changed-before"}
)  # fmt: skip


_FD_FLAGS = frozenset(
    {"-H", "--hidden", "-I", "--no-ignore", "-u", "--unrestricted", "-s", "--case-sensitive",
     "-i", "--ignore-case", "-g", "--glob", "-F", "--fixed-strings", "-p", "--full-path",
     "-0", "--print0", "--no-ignore-vcs", "-a", "--absolute-path"}
)  # fmt: skip


_LS_FILES_FLAGS = frozenset(
    {"-c", "--cached", "-m", "--modified", "-d", "--deleted", "-z", "--full-name"}
)  # fmt: skip


_DIFF_FLAGS = frozenset(
    {"--name-only", "--name-status", "--cached", "--staged", "-z", "--no-renames",
     "--relative", "--no-ext-diff", "--no-color"}
)  # fmt: skip


def _plain_options(
    texts: tuple[str, ...], flags: frozenset[str], values: frozenset[str]
) -> list[str] | None:
    """The operands of an argv whose every option is in ``flags`` or takes a value and is in
    ``values`` (clusters of listed single letters, ``--opt=value``, ``-tpy`` too); else None."""
    operands, options = split_options(texts, values)
    for t in options:
        short = not t.startswith("--")
        if not (
            t in flags
            or t.partition("=")[0] in values
            or short
            and (all("-" + c in flags for c in t[1:]) or t[:2] in values)
        ):
            return None
    return operands


def name_producer(program: str, texts: tuple[str, ...]) -> tuple[list[str], str] | None:
    """(directories whose file names ``program`` prints, how it picks them) for the
    name-printing producers; None for anything else. Kinds: ``find`` (its -name filters
    apply), ``search`` (rg/grep -l: regular files only, links not followed), ``index`` (names
    git keeps: the index, and HEAD for --cached), ``all``."""
    if program == "find":
        starts = _find_starts(texts)
        rest = texts[len(starts) if texts[: len(starts)] == tuple(starts) else 0 :]
        i = 0
        while i < len(rest):
            t = rest[i]
            if t in _FIND_TESTS:
                i += 2
            elif t in _FIND_FLAGS:
                i += 1
            else:
                return None  # -printf, -ls, -exec, -L, -files0-from, anything else
        return starts, "find"
    if program in ("fd", "fdfind"):
        operands = _plain_options(texts, _FD_FLAGS, _FD_VALUES)
        return None if operands is None else ((operands[1:] or ["."]), "all")
    if program == "git" and texts[:1] == ("ls-files",):
        operands = _plain_options(texts[1:], _LS_FILES_FLAGS, frozenset())
        return None if operands is None else (["."], "index")
    if program == "git" and texts[:1] == ("diff",):
        if not any(t in ("--name-only", "--name-status") for t in texts):
            return None
        rest = texts[1:]
        operands = _plain_options(rest, _DIFF_FLAGS, frozenset({"--diff-filter"}))
        if operands is None or ("--" not in rest and operands):
            return None  # a revision: names from other commits
        return ["."], "index"
    if program in ("rg", "grep", "egrep"):
        # read with the searcher's spec (`searchers`); one that follows links (`rg -L`, `grep
        # -R`) prints names through them, and words it cannot read are no known producer
        search = search_of(program, texts)
        if isinstance(search, str) or search.follows:
            return None
        if not search.options & {"-l", "-L", "--files", "--files-without-match"}:
            return None
        return list(search.starts), "search"
    if program == "ls":
        operands = _plain_options(texts, frozenset({"-1", "-A", "--almost-all"}), frozenset())
        return None if operands is None else ((operands or ["."]), "all")
    return None


def upstream_command(
    commands: tuple[SimpleCommand, ...], i: int, scope_counts: Counter[int]
) -> SimpleCommand | None:
    """The command whose output is command ``i``'s stdin, when it is exactly one simple
    command directly before it in the same pipeline (anything else: None)."""
    me = commands[i]
    for _ in range(8):  # through line filters (`find … | grep py | sort | xargs …`)
        parent = me.ancestry[1:]
        found: SimpleCommand | None = None
        for k in range(i - 1, -1, -1):
            c = commands[k]
            if me.scope in c.ancestry:
                continue  # one of my own substitutions
            if c.ancestry[1:] != parent or c.scope == me.scope:
                return None
            # The producer must be alone in its pipeline member (its substitutions aside).
            if scope_counts[c.scope] != 1 or c.redirects:
                return None
            found, i = c, k
            break
        if found is None or not _line_filter(found):
            return found
        if not found.piped_stdin:
            return None
        me = found
    return None


def _line_filter(c: SimpleCommand) -> bool:
    """Commands that only pass on some of their input lines unchanged (grep without -o,
    sort, uniq, head, tail, reading stdin)."""
    if not c.words or any(w.dynamic for w in c.words):
        return False
    name, args = c.words[0].text, [w.text for w in c.words[1:]]
    if name in ("grep", "egrep", "fgrep"):
        search = search_of(name, tuple(args))  # read with grep's spec (`searchers`)
        if isinstance(search, str) or search.recursive or search.options & {"-o", "-f", "-e"}:
            return False  # (-e, -f: the pattern is an option value, operands would be files)
        return len(search.operands) == 1  # the pattern only: lines come from stdin
    if name in ("sort", "uniq", "head", "tail"):
        return not any(not a.startswith("-") and not a.lstrip("-").isdigit() for a in args)
    return False
