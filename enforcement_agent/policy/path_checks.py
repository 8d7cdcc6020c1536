"""The path side of deciding a command: where its paths lead, and what they may touch.

A mixin of :class:`~enforcement_agent.policy.exec_eval.ExecEvaluator` (which calls it from a
few one-line sites), so the per-program argument logic and this stay apart. It decides:

* every path a command uses, in every directory the command may be in, as bash would expand
  it (globs against the file system), resolved as the kernel would (``paths.Workspace``);
* protected paths (CI, hooks, agent and editor configuration …) for writes, removals, renames,
  links, archive extraction and git checkouts, at any depth and in any spelling;
* secret files (``files.secrets``: the same list the file tools use) for any access by any
  program, by name in any argument form (``@.env``, ``HEAD:.env``, ``--file=.env``), through
  globs, and through programs that read whole trees (``grep -r``, ``rg``, ``find -exec``,
  ``tar c``, ``xargs`` fed by ``find``);
* device paths, which are streams to read or write and never files to change;
* paths the policy cannot resolve the way the kernel will: a link or a checkout made by the
  same command, ``find -L``/``-files0-from``, ``cd -``.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.models import Verdict
from enforcement_agent.policy import fnmatch_linear
from enforcement_agent.policy.archive_args import (
    tar_operands,
    tar_renames,
    unzip_args,
)
from enforcement_agent.policy.argv_words import (
    long_prefix,
    plain_operands,
    short_flag,
    split_options,
)
from enforcement_agent.policy.content_secrets import credential_in
from enforcement_agent.policy.git_argv import (
    PULL_PLAN,
    SEQUENCER_PLAN,
    Plan,
    git_operands,
    git_options,
    git_subcommand,
    pathspec_filter,
    tree_move_plan,
)
from enforcement_agent.policy.git_credentials import (
    config_holds_credential,
    credential_configs,
    credential_files,
    prints_configuration,
)
from enforcement_agent.policy.git_history import (
    grep_revisions,
    objects_by_id,
    prints_raw_objects,
    reads_history,
)
from enforcement_agent.policy.git_remotes import (
    TRANSPORT_SUBCOMMANDS,
    config_value_problem,
    fetch_branch_destinations,
    fetch_forces_tags,
    fetch_glob_into_local,
    local_branch_exists,
    local_remote_url,
    local_repository,
    push_sources,
    ref_dirs,
    remote_contact,
    symbolic_push_source,
)
from enforcement_agent.policy.git_secrets import (
    add_pathspecs,
    blob_ids,
    clean_selection,
    excludes,
    names_blob,
    names_stash,
    not_ignored,
    pathspecs,
    prints_contents,
    stash_takes_untracked,
)
from enforcement_agent.policy.git_trees import (
    MAX_SOURCES,
    Source,
    current_branch,
    history_names,
    independent_of_head,
    is_repository,
    object_kinds,
    work_tree_changes,
)
from enforcement_agent.policy.globs import GlobSet
from enforcement_agent.policy.option_files import (
    NAME_LISTS,
    httpie_separator,
    listed_names,
    name_list_files,
    option_file_values,
)
from enforcement_agent.policy.package_sources import (
    ENV_EDIT,
    ENV_FILE_NAMES,
    INDEX_DECLARATION,
    INDEX_RULE,
    LOCK_EDIT,
    LOCK_FILE_NAMES,
    PACKAGE_JSON,
    PROJECT_INDEX_FILES,
    PY_PROJECT_FILES,
    REQUIREMENT_FILES,
    REQUIREMENT_INDEX,
    REQUIREMENT_INDEX_WRITTEN,
    SOURCE_RULE,
    package_json_spec_in,
    py_source_remote_in,
)
from enforcement_agent.policy.paths import (
    TREE_LIMIT,
    VENDOR_DIRS,
    TooManyPaths,
    TreeScan,
    Workspace,
    archive_members,
    creates_links,
    device_use_ok,
    expand_glob,
    extracts,
    git_head_blobs,
    git_head_names,
    git_index,
    has_glob,
    member_destination,
    patch_targets,
    realpath,
    scan_tree,
    spellings,
    tar_argv,
    under_prefix,
    venv_dirs,
)
from enforcement_agent.policy.python_module_args import (
    compileall_dirs,
    compileall_levels,
)
from enforcement_agent.policy.regular_reads import open_regular, read_regular
from enforcement_agent.policy.repo_code import enclosing_git
from enforcement_agent.policy.rules import FileRule
from enforcement_agent.policy.searchers import (
    SEARCHERS,
    search_of,
)
from enforcement_agent.policy.secret_aliases import (
    MAX_DEPTH,
    Inodes,
    hard_aliases,
    hardlinked,
    link_aliases,
    linked_inodes,
    same_file,
)
from enforcement_agent.policy.shell import (
    NAMES_MARKER,
    STDIN_ARGUMENTS,
    TEST_FILE_BINARY,
    TEST_FILE_UNARY,
    Budget,
    SimpleCommand,
    Word,
    names_word,
)
from enforcement_agent.policy.tree_readers import (
    ARCHIVERS,
    JS_TOOLS,
    PY_TOOLS,
    RECURSIVE_GREPS,
    TYPED_TOOLS,
    find_filters,
    follows_links,
    link_listing_starts,
    name_producer,
    source_tool,
    tree_reader,
    upstream_command,
)
from enforcement_agent.policy.write_targets import (
    COMPRESSOR_TABLES,
    READER_TABLES,
    WRITERS,
    Into,
    Outputs,
    compressor_args,
    copy_sources,
    file_args,
    jar_args,
    option_names,
    outputs,
    patch_args,
    read_options,
    takes_next_word,
)


@dataclass(frozen=True)
class GlobSetFileRule(FileRule):
    """A file rule over a long pattern list (files.protected, files.secrets), matched with a
    :class:`GlobSet` instead of one regex of every pattern."""

    globs: GlobSet | None = None

    def matches(self, action: str, rels: tuple[str, ...]) -> bool:
        return (
            action in self.actions
            and self.globs is not None
            and any(self.globs.match(r) for r in rels)
        )


if TYPE_CHECKING:
    from enforcement_agent.policy.paths import Resolved
    from enforcement_agent.policy.rules import Finding


class PathConfig(Protocol):
    """What the path rules read of the evaluator's configuration (exec_eval.ExecConfig)."""

    devices: frozenset[str]
    dynamic_ok: frozenset[str]
    options: dict[str, frozenset[str]]
    protected_prefixes: frozenset[str]
    protected_set: GlobSet | None
    read_only_prefixes: tuple[str, ...]

    @property
    def read_only_programs(self) -> Mapping[str, object]: ...

    secret_set: GlobSet | None
    compiled_set: GlobSet | None
    shells: frozenset[str]
    wrappers: frozenset[str]


SECRET_RULE = "exec.secret-file"
# Package managers write their own lockfiles as they resolve (a URL elsewhere in their line,
# `uv run app --url http://…`, is not a lockfile's source); their sources are decided when
# they install (exec.packages.*).
_LOCK_WRITERS = frozenset(
    {"npm", "pnpm", "yarn", "bun", "uv", "poetry", "pdm", "pipenv", "pixi", "conda", "mamba",
     "micromamba", "hatch", "corepack"}
)  # fmt: skip
# A name a producer prints reaches the next command as exactly one word only without blanks,
# quotes, backslashes or glob characters (xargs and word splitting act on them), and it is an
# operand only if it does not start like an option (`-`, `@file` for some programs).
_PLAIN_NAME = lazy_compile(r"[A-Za-z0-9_./][A-Za-z0-9_./@%+=:,~-]*\Z")
GLOB_COST = 32  # budget words one glob expansion costs
# budget words one path costs (resolved, checked: ~50 µs idle, ~190 µs for a write at load 9;
# a plain word ~5 µs): at 8, 9,000 redirections in 64 KB took 1.2-2 s on a loaded machine (a
# fourth red-team pass); at 20 (40 for a write or removal) a decision checks at most 5,000
# paths, 2,500 of them written
PATH_COST = 20
DIR_COST = 2  # budget words per directory a tree walk looks at (or re-checks)
_ENTRIES_MAX = 512  # entries of a folder whose contents a copy puts in another (cp -r SRC/.)
PROTECTED_RULE = "exec.protected-path"
PULL_RULE = "exec.vcs.pull-unseen"
FETCH_INTO_BRANCHES_RULE = "exec.vcs.fetch-into-branches"
OVERWRITE_BRANCH_RULE = "exec.vcs.overwrite-branch"
FETCH_FORCE_RULE = "exec.vcs.fetch-force-flag"
DEVICE_RULE = "exec.device-path"
WRITE_PERMISSION = "fs.write"

# Programs that look at a path's name or metadata, never its content.
_METADATA_ONLY = frozenset(
    {"ls", "stat", "du", "realpath", "readlink", "basename", "dirname", "test", "[", "touch"}
)  # fmt: skip
# The first operand of these is a pattern or a program, not a file.
_PATTERN_FIRST = frozenset(
    {"grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack", "ack-grep", "ugrep", "sed", "awk",
     "gawk", "mawk", "nawk", "pt", "sift"}
)  # fmt: skip
# A git pathspec with exclude magic (`:!x`, `:^x`, `:/!x`, `:(exclude)x`, `:(top,exclude)x`):
# long magic is a comma list of words, and only the word `exclude` excludes (`attr:!exclude`
# names an attribute: git reads `:(attr:!exclude).env` as `.env` when that attribute is unset)
_GIT_EXCLUDE_SPEC = lazy_compile(r"^:(?:[/!^]*[!^]|\((?:[^),]*,)*exclude(?:,[^)]*)?\))")
# Option values that are patterns (`--exclude=.env` keeps a secret *out*).
_PATTERN_OPTIONS = frozenset(
    {"--exclude", "--exclude-dir", "--include", "--include-dir", "-g", "--glob", "--iglob",
     "--ignore", "--ignore-dir",
     "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
     "-lname", "-ilname", "--pathspec-from-file"}
)  # fmt: skip
# Short options that take a pattern for some programs only: elsewhere `-e`, `-x` are flags or
# take other values, and `-f`/`--file` names a file the program reads (`git add -f .env` is a
# force flag, `git config -f .env -l` prints the file: both were skipped as patterns).
_PATTERN_OPTIONS_OF = {
    **{p: frozenset({"-e", "--regexp"}) for p in _PATTERN_FIRST},
    **{p: frozenset({"-x", "--exclude"}) for p in ("zip", "7z", "7za", "7zr", "jar", "unzip")},
}
# git subcommands that write worktree paths they are given (see _git_writes).
_GIT_WRITERS = frozenset(
    {"mv", "rm", "checkout", "restore", "apply", "am", "worktree", "clone", "init", "submodule",
     "read-tree", "checkout-index", "interpret-trailers"}
)  # fmt: skip
# `git submodule` actions that write .gitmodules (set-url, set-branch), move a submodule's
# git directory into .git/modules (absorbgitdirs) or rewrite .git/config (sync): protected
# paths, each (a fourth red-team pass: `git submodule set-url sub URL` created .gitmodules)
_SUBMODULE_WRITES = {
    "set-url": ".gitmodules",
    "set-branch": ".gitmodules",
    "absorbgitdirs": ".git/modules",
    "sync": ".git/config",
}
# git subcommands that put the commits a revision names into a ref, a remote or the history
# of a branch (a stash there takes its untracked files along)
_STASH_CARRIERS = frozenset(
    {"push", "branch", "br", "tag", "checkout", "co", "switch", "sw", "merge", "cherry-pick",
     "rebase", "reset", "commit", "ci", "worktree", "notes", "archive", "format-patch",
     "bundle", "fetch", "pull", "revert"}
)  # fmt: skip
_STASH_REV = lazy_compile(r"(?:^|[:/+=])stash(?:$|[@^~:{])")
# a word that may abbreviate an object id (a cheap test before the secrets' ids are computed)
_OBJECT_WORD = lazy_compile(r"(?:--?[A-Za-z-]+=)?[0-9a-fA-F]{4}")
# git subcommands that change refs, the index or the work tree from commits, never by adding
# work-tree files to the index (`git stash` only with -u/-a, checked on its own)
_GIT_NO_STAGE = frozenset(
    {"stash", "checkout", "switch", "reset", "restore", "branch", "tag", "fetch", "push",
     "clean", "rm", "remote", "merge", "rebase", "cherry-pick", "revert", "pull", "gc",
     "prune", "init", "clone", "add", "stage"}
)  # fmt: skip
_GIT_NAME_OK = frozenset({"rm", "check-ignore", "ls-files", "status", "check-attr"})
# the searchers that read directories without being told (`searchers`: rg, ag, ack, pt, sift,
# ugrep, and rgrep, which is `grep -r`)
_ALWAYS_RECURSIVE = frozenset(n for n, s in SEARCHERS.items() if s.recursive)
_RECURSIVE_CHANGERS = frozenset({"chmod", "chown", "chgrp", "setfacl", "chattr"})
_TREE_MOVERS = frozenset({"mv", "cp", "rsync"})
# Programs that list names (and sizes) of a tree and can be told to follow links there.
_NAME_LISTERS = frozenset({"tree", "du", "ls", "dir", "vdir", "fd", "fdfind"})
_DECOMPRESSORS = {
    "gunzip": (".gz", ".tgz", ".z"),
    "unxz": (".xz", ".txz"),
    "bunzip2": (".bz2", ".tbz2"),
    # zstd also decodes gzip, xz/lzma and lz4 when built with them (Debian's 1.5.4 is: `zstd
    # -d CLAUDE.md.gz` wrote CLAUDE.md, a twelfth red-team pass) and strips their suffixes
    "unzstd": (".zst", ".tzst", ".gz", ".tgz", ".xz", ".txz", ".lzma", ".tlz", ".lz4", ".tlz4"),
    "unlz4": (".lz4",),
    "uncompress": (".Z",),
}
_COMPRESSORS = {
    "gzip": "gunzip",
    "xz": "unxz",
    "bzip2": "bunzip2",
    "zstd": "unzstd",
    "lz4": "unlz4",
}
# Programs that remove the files they read: compressors by default (unless told to keep
# them) or with --rm, tar --remove-files, zip -m (a fifth red-team pass: `tar --remove-files
# -cf x.tar .github`, `zip -m x.zip CLAUDE.md` and `zstd -r --rm docs` removed protected
# files that were checked as reads).
_REMOVE_BY_DEFAULT = frozenset({"gzip", "bzip2", "xz", "lzma", "lzip", "compress", "pigz",
                                "pbzip2", "plzip", "lzop"})  # fmt: skip
_REMOVE_WITH_RM = frozenset({"zstd", "lz4", "brotli", "pzstd"})
_SOURCE_REMOVERS = _REMOVE_BY_DEFAULT | _REMOVE_WITH_RM | {"tar", "bsdtar", "zip"}
_GLOB_SHOPTS = frozenset(
    {"dotglob", "extglob", "globstar", "nocaseglob", "nocasematch", "globasciiranges"}
)
_FIND_LINKS = frozenset({"-L", "-H", "-follow"})
# Programs that never open their arguments: a computed one is only data.
# git subcommands that change no file, index entry or ref (the policy's read-only git).
_GIT_READ_ONLY = frozenset(
    "log status diff show blame shortlog describe rev-parse rev-list ls-files ls-tree cat-file "
    "grep reflog whatchanged name-rev for-each-ref show-ref merge-base cherry range-diff "
    "annotate count-objects verify-commit verify-tag check-ignore check-attr var version".split()
)
# builtins that change only the shell's own state (its directory, variables)
_SHELL_STATE = frozenset(
    "cd pushd popd dirs export local declare typeset readonly unset set shift read mapfile "
    "readarray getopts let printf echo test [ true false : wait type hash alias".split()
)
_REPEATS = lazy_compile(r"\b(?:while|until|for|function)\b|\(\s*\)")
# Characters before which a `#` starts a comment (it must begin a word).
_COMMENT_AFTER = frozenset(" \t\n;&|()<>")


# Ignore files whose `!` rules make rg read a hidden file it would skip: a whitelisted entry is
# not checked for being hidden (the ignore crate), so `.ignore` holding `!.env` makes a plain
# `rg KEY` print .env (a review of the searcher specs, shown with rg 13). `.git/info/exclude`
# and .gitignore count inside a git repository; the parents of the workspace are read too.
_IGNORE_FILES = (".ignore", ".rgignore", ".gitignore", ".git/info/exclude")


# rg reads git's global excludes too (core.excludesFile of $HOME/.gitconfig or
# $XDG_CONFIG_HOME/git/config, and $XDG_CONFIG_HOME/git/ignore), and HOME is the workspace in
# the sandbox's weak fallback: a committed `.config/git/ignore` holding `!.env` made a plain
# `rg KEY` print .env (a twenty-ninth red-team pass, rg 13). Read from the workspace's root.
_HOME_IGNORES = (".config/git/ignore",)
_HOME_CONFIGS = (".gitconfig", ".config/git/config")
_EXCLUDES_FILE = lazy_compile(r"^[^\S\n]*excludesfile[^\S\n]*=[^\S\n]*(.*?)[^\S\n]*$", re.I | re.M)
# `!` rules an ignore check may consult per decision before it is too complex: each rule
# costs a word (an attacker's 64 KiB ignore files of `!` rules, matched against every hidden
# secret of a tree, took 12 s per `rg KEY`; a twenty-ninth red-team pass)
_RULE_COST = 1


def _bang_rules(data: bytes | None) -> list[str]:
    out = []
    for line in (data or b"").decode("utf-8", "replace").splitlines():
        rule = line.strip()
        if rule.startswith("!"):
            out.append(rule[1:].strip().strip("/") or "*")
    return out


def _negations(d: str) -> list[str]:
    """The `!` rules of the ignore files in directory ``d``, as globs (at most 64 KiB of each
    regular file: ``read_regular`` never blocks on a fifo)."""
    out = []
    for n in _IGNORE_FILES:
        out += _bang_rules(read_regular(os.path.join(d, n), 1 << 16))
    return out


def _home_negations(root: str) -> list[str]:
    """The `!` rules of git's global excludes files with the workspace ``root`` as HOME: its
    `.config/git/ignore` and the `core.excludesFile` its `.gitconfig` or `.config/git/config`
    names (`~/` is the workspace; a relative name is read from it too; at most 4 files)."""
    paths = [os.path.join(root, n) for n in _HOME_IGNORES]
    for n in _HOME_CONFIGS:
        text = (read_regular(os.path.join(root, n), 1 << 16) or b"").decode("utf-8", "replace")
        for m in _EXCLUDES_FILE.finditer(text):
            value = m.group(1).strip('"')
            value = value[2:] if value.startswith("~/") else value
            if value:
                paths.append(os.path.join(root, value))
    out = []
    for path in paths[:4]:
        out += _bang_rules(read_regular(path, 1 << 16))
    return out


def _bang_matches(rules: list[str], names: list[str], below: str) -> bool:
    for rule in rules:
        glob = rule.removeprefix("**/")
        if any(fnmatch_linear.fnmatchcase(n, glob) for n in names) or fnmatch_linear.fnmatchcase(
            below, glob
        ):
            return True
    return False


def _unhidden(
    root: str, rel: str, seen: dict[str, list[str]], spend: Callable[[int], None] | None = None
) -> bool:
    """Whether an ignore file in a directory above ``rel`` (the workspace's and its parents)
    or git's global excludes file (HOME being the workspace) holds a `!` rule that may match
    it, which whitelists it although it is hidden (bounded: the directories on its path, four
    names each, read once per check; ``spend`` is told how many rules each check consults). A
    rule may match when it matches one of the path's names or the path below its directory,
    fnmatch's `*` also crossing `/` (generous: `!.env.example`, common in a .gitignore, does
    not unhide .env)."""
    if "\0home" not in seen:
        seen["\0home"] = _home_negations(root)
    rules = seen["\0home"]
    if rules:
        if spend is not None:
            spend(len(rules) * _RULE_COST)
        if _bang_matches(rules, rel.split("/"), rel):
            return True
    path = os.path.join(root, rel)
    d = os.path.dirname(path)
    while True:
        if d not in seen:
            seen[d] = _negations(d)
        below = os.path.relpath(path, d)
        if seen[d]:
            if spend is not None:
                spend(len(seen[d]) * _RULE_COST)
            if _bang_matches(seen[d], below.split("/"), below):
                return True
        up = os.path.dirname(d)
        if up == d:
            return False
        d = up


def _hidden_below(rel: str, base: str) -> bool:
    """A name of ``rel`` below ``base`` (where a walk starts) begins with a dot. rg and ag
    skip hidden entries of the walk, never the directory they were given: `rg x .aws` and
    `cd .aws && rg x` read `.aws/credentials` (a tenth red-team pass, shown with rg 14)."""
    if base not in ("", "."):
        if rel == base:
            return False
        if rel.startswith(base + "/"):
            rel = rel[len(base) + 1 :]
    return any(p.startswith(".") for p in rel.split("/"))


def _code_text(text: str) -> str:
    """``text`` without what the shell reads only as data: single-quoted and ``$'…'``
    strings, double-quoted strings with no substitution in them, comments and escaped
    characters (a tenth red-team pass: `git commit -m "for now"; cd docs` was decided as a
    loop). A string that is run again (`bash -c '…'`, a trap handler) is decided as a line of
    its own and looked at there; a double-quoted string with `$(`, `${` or a backquote is
    kept whole; a line with a here-document is left as it is (its body is not shell
    syntax: an apostrophe there would pair with a later one)."""
    if "<<" in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            out.append(" ")
            i += 2
        elif ch == "'" or (ch == "$" and text.startswith("$'", i)):
            j = i + (2 if ch == "$" else 1)
            while j < n and text[j] != "'":
                j += 2 if ch == "$" and text[j] == "\\" else 1
            out.append(" ")
            i = j + 1
        elif ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            body = text[i + 1 : j]
            out.append(f" {body} " if ("$(" in body or "${" in body or "`" in body) else " ")
            i = j + 1
        elif ch == "#" and (i == 0 or text[i - 1] in _COMMENT_AFTER):
            j = text.find("\n", i)
            out.append(" ")
            i = n if j < 0 else j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_NEVER_OPEN = frozenset({"basename", "dirname", "seq", "expr", "tr", "numfmt", "yes"})
# Programs that create only the paths they are given (checked one by one as writes): the
# names they make are known, unlike a build's or a script's.
_NAMED_WRITERS = frozenset({"", "touch", "mkdir", "tee"})
# Programs the link, tree and archive rules look at (everything else skips them).
_LINKERS = frozenset(
    {"ln", "link", "mklink", "symlink", "rsync", "bindfs", "mount", "cp", "mv", "tar", "bsdtar",
     "unzip", "7z", "7za", "7zr", "cpio", "bsdcpio", "pax", "ar", "unrar", "jar", "git",
     "patch", "gpatch", "quilt"}
)  # fmt: skip
_TREE_PROGRAMS = (
    RECURSIVE_GREPS | _ALWAYS_RECURSIVE | ARCHIVERS | _RECURSIVE_CHANGERS | _TREE_MOVERS
    | frozenset(_DECOMPRESSORS) | frozenset(_COMPRESSORS)
    | {"git", "find", "tar", "bsdtar", "unzip", "7z", "7za", "7zr", "unrar", "dpkg-deb", "diff",
       "colordiff"}
)  # fmt: skip
_TREE_READERS = (
    RECURSIVE_GREPS
    | _ALWAYS_RECURSIVE
    | ARCHIVERS
    | PY_TOOLS
    | JS_TOOLS
    | frozenset(TYPED_TOOLS)
    | {"git", "find", "tar", "bsdtar", "diff", "colordiff", "cp", "rsync", "python"}
)
_EXTRACTING = (
    frozenset(_DECOMPRESSORS) | frozenset(_COMPRESSORS)
    | {"tar", "bsdtar", "unzip", "jar", "7z", "7za", "7zr", "cpio", "pax", "ar", "unrar",
       "dpkg-deb"}
)  # fmt: skip
# Programs a path rule besides the secret-name check looks at (see _path_rules).
_RULED = (
    _TREE_PROGRAMS | _LINKERS | WRITERS | _SOURCE_REMOVERS | _NAME_LISTERS
    | PY_TOOLS | JS_TOOLS | frozenset(TYPED_TOOLS)
    | {"shopt", "find", "dd", "git", "patch", "link", "npm", "python"}
)  # fmt: skip


# What a line's text may declare, read by the write checks of project, requirements, lock and
# environment files (`PathChecks._declares`). The texts wait to be read up to this many bytes;
# past it they are read at once and dropped (a bound on what a decision holds).
_NOTED_BYTES = 1 << 20
_DECLARES: dict[str, Callable[[str], bool]] = {
    "index": lambda t: INDEX_DECLARATION.search(t) is not None,  # a package index (pyproject)
    "source": py_source_remote_in,  # a dependency from a URL or VCS remote
    "lock": lambda t: LOCK_EDIT.search(t) is not None,  # a lockfile's source (`resolved`, …)
    "env": lambda t: ENV_EDIT.search(t) is not None,  # a conda/pixi/Python-lockfile source
    # pip's index options, at a line's start or where the text a command writes starts
    "req_index": lambda t: (
        REQUIREMENT_INDEX.search(t) is not None or REQUIREMENT_INDEX_WRITTEN.search(t) is not None
    ),
}


class PathChecks:
    """Mixin: the evaluator's path decisions (see the module docstring)."""

    # Provided by ExecEvaluator.
    cfg: PathConfig
    ws: Workspace
    permissions: frozenset[str]
    findings: list[Finding]
    cwds: set[str]
    # Set while a package manager's own write of package.json is checked (see ExecEvaluator).
    dependency_manifest: bool = False

    if TYPE_CHECKING:

        def _deny(
            self, rule: str, reason: str, subject: str, destructive: bool = False
        ) -> None: ...

        def _undecidable(self, subject: str, why: str, destructive: bool = False) -> None: ...

        def _add(
            self,
            effect: Verdict,
            rule: str,
            reason: str,
            subject: str,
            destructive: bool = False,
        ) -> None: ...

        def _outside(self, res: Resolved, mode: str, program: str, label: str) -> None: ...

        def _mode(self, name: str) -> str: ...

    budget: Budget

    # ---- bookkeeping (called from ExecEvaluator.command/simple) -----------------------------
    def _init_path_checks(self) -> None:
        self._serial = 0
        self._conc = False
        self._base_conc = False
        self._links: list[tuple[int, bool, str]] = []  # (serial, concurrent, label)
        self._uses: list[tuple[int, bool]] = []
        # names a producer printed, trusted from what is on disk now (serial, concurrent,
        # label), and every command that may create, rename or write files or refs
        self._name_uses: list[tuple[int, bool, str]] = []
        self._glob_uses: list[tuple[int, bool, str]] = []  # globs that may expand to `-x`
        # (serial, concurrent, may create a name that starts with `-`)
        self._writes: list[tuple[int, bool, bool]] = []
        self._repeats = False  # the line has a loop or a function: a command may run again
        # The line's texts (each command string met, nested ones too): what they declare
        # (``_DECLARES``) is read when a write of a matching file is checked, from the texts
        # noted by then, and not at all for a line that writes none (stop 46: a hook process
        # deciding `git status` compiled those five patterns for nothing).
        self._noted: list[str] = []
        self._noted_bytes = 0
        self._declared: dict[str, tuple[int, bool]] = {}  # kind → (texts read, found)
        self._line_texts: list[str] = []  # … the texts, for package.json specs (fifteenth pass)
        # virtual environments the line makes: (the command's serial, absolute lexical path)
        self._venvs: list[tuple[int, str]] = []
        # hard-linked files of the workspace: names per inode (None: not counted yet)
        self._link_counts: dict[tuple[int, int], int] | None = None
        # the simple command being decided (its stdin file and producer are looked up lazily)
        self._current: tuple[tuple[SimpleCommand, ...], int] = ((), 0)
        self._scopes_of: tuple[SimpleCommand, ...] | None = None
        self._cwd_fragments: tuple[set[str], bool] | None = None
        self._creds_memo: frozenset[str] | None = None
        self._scope_counts: Counter[int] = Counter()
        self._into_dest: str | None = None  # names checked as DEST/name (cp {} DEST)
        self._inodes: Inodes | None = None  # secrets with other hard links (looked up lazily)
        self._protected_inodes: Inodes | None = None  # the same for protected paths
        self._blobs: frozenset[str] | None = None  # git object ids of the secrets' contents
        # git commands that print what the index or HEAD holds, while secrets lie in the work
        # tree: (serial, concurrent, label)
        self._index_prints: list[tuple[int, bool, str]] = []
        self._stagers: list[tuple[int, bool]] = []  # commands that may stage work-tree files
        # files whose contents the decision read (patches, archives, sed/awk scripts,
        # requirement files), and every command that may change a file: (serial, concurrent)
        self._content_uses: list[tuple[int, bool, str, str]] = []
        self._changes: list[tuple[int, bool]] = []
        # tree walks of this decision: the tree cannot change while it is decided, so a walk
        # asked for again is not re-validated (a fifth red-team pass: `grep -r x .` 2,000
        # times over a 400-directory tree ran to the 2 s deadline re-checking every mtime)
        self._scan_memo: dict[tuple[str, object, bool], TreeScan] = {}

    def _scan(
        self, start: str, pick: Callable[[str], bool], key: object, skip_vendor: bool = True
    ) -> TreeScan:
        """scan_tree for this decision: each directory a walk looks at costs DIR_COST words,
        and a walk asked for again is the same answer."""
        memo = (start, key, skip_vendor)
        hit = self._scan_memo.get(memo)
        if hit is None:
            hit = scan_tree(
                self.ws,
                start,
                pick,
                skip_vendor=skip_vendor,
                key=key,
                spend=lambda n: self.budget.spend(words=DIR_COST * n),
            )
            self._scan_memo[memo] = hit
        return hit

    def _enter_nested(self) -> tuple[bool, tuple[tuple[SimpleCommand, ...], int]]:
        """A nested shell string runs inside the current command: it inherits its concurrency."""
        saved = self._base_conc, self._current
        self._base_conc = self._conc
        return saved

    def _leave_nested(self, saved: tuple[bool, tuple[tuple[SimpleCommand, ...], int]]) -> None:
        self._base_conc, self._current = saved

    def _next_command(self, commands: tuple[SimpleCommand, ...], i: int) -> None:
        self._serial += 1
        self._conc = self._base_conc or commands[i].concurrent
        self._current = (commands, i)

    @property
    def _stdin_file(self) -> str | None:
        """The file the current command's stdin is redirected from (`patch < fix.diff`)."""
        commands, i = self._current
        if not commands:
            return None
        for r in commands[i].redirects:
            if r.op == "<" and r.fd in ("", "0") and not r.target.dynamic:
                return r.target.text
        return None

    @property
    def _upstream(self) -> SimpleCommand | None:
        """The producer piped into the current command, when there is exactly one."""
        commands, i = self._current
        if not commands or not commands[i].piped_stdin:
            return None
        if self._scopes_of is not commands:  # commands per scope, once per command list
            self._scopes_of = commands
            self._scope_counts = Counter(x.scope for x in commands)
        return upstream_command(commands, i, self._scope_counts)

    def _note_use(self) -> None:
        self._uses.append((self._serial, self._conc))

    def _note_write(self, odd: bool = True) -> None:
        """The current command may create or rename files; ``odd``: under names nobody
        checked (a program that writes what it likes), not only the plain names it was given."""
        self._writes.append((self._serial, self._conc, odd))
        self._changes.append((self._serial, self._conc))

    def _note_content_use(self, raw: str, label: str) -> None:
        """The decision read the contents of ``raw`` as they are now: nothing else in the
        line may change it before it is used (checked in finish)."""
        self._content_uses.append((self._serial, self._conc, raw, label))

    def file_texts(self, raw: str, what: str, label: str, limit: int = 4096) -> list[str] | None:
        """The text of a file whose contents decide the command (`sed -f`, `awk -f`,
        `pip -r`), from every directory the command may run in, read now and bounded; None
        when there is nothing to inspect (a virtual workspace, a path outside, which is
        decided on its own) or it cannot be read (then reported undecidable)."""
        if self.ws.virtual or raw == "-":
            return None
        self._note_content_use(raw, label)
        texts = []
        for cwd in self.cwds:
            res = self.ws.resolve(raw, cwd)
            if not res.inside or self._secret(res.rels, True) or self._same_as_secret(res.real):
                return None  # denied as a path on its own; a secret is never read here
            try:
                with open_regular(res.real) as fh:
                    data = fh.read(limit + 1)
            except FileNotFoundError:
                # the program cannot open it either, unless another command of the line makes
                # it first: that is the content-use check in finish()
                continue
            except OSError:
                self._undecidable(label, f"{what} '{raw}' cannot be read now to inspect it")
                return None
            if len(data) > limit:
                self._undecidable(label, f"{what} '{raw}' is longer than {limit} bytes")
                return None
            try:
                texts.append(data.decode("utf-8"))
            except UnicodeDecodeError:
                self._undecidable(label, f"{what} '{raw}' is not UTF-8 text")
                return None
        return texts

    def _option_globs(self, name: str, args: list[Word], label: str) -> bool:
        """A glob bash expands before the program reads its options: a file of the directory
        whose name starts with `-` becomes an option (a nineteenth red-team pass: with a file
        named `-r` in the workspace, `grep -h hunter *` read `cfg/.env` recursively and printed
        it, allowed for viewer and contributor, while `grep -rh hunter cfg` was refused; the
        same makes `find *` meet a file named `-delete`). Such a command is undecidable; `--`
        before the glob ends the options (not for find, whose expression follows it)."""
        if self.ws.virtual:
            return True
        for w in args:
            if w.text == "--" and not w.glob and name != "find":
                return True
            if not w.glob:
                continue
            if not has_glob(w.text.split("/", 1)[0]):
                continue  # `src/*`, `./*`, `/x/*`: every expansion starts with that part
            # decided from the directory as it is now: see finish() for the line's writes
            self._glob_uses.append((self._serial, self._conc, label))
            for cwd in self.cwds:
                for m in self._expansions(w.text, cwd)[1:]:
                    # the matches are absolute: bash prints them as the pattern spells them,
                    # relative to the current directory
                    if os.path.relpath(m, cwd).startswith("-"):
                        self._undecidable(
                            label,
                            f"the glob '{_short(w.text)}' expands to '{_short(m)}', which "
                            f"'{name}' reads as an option",
                        )
                        return False
        return True

    def _name_lists(self, name: str, args: list[Word], label: str) -> bool:
        """Programs that read the names of the files they open from a file (`file -f LIST`,
        `wc --files0-from=LIST`, `md5sum -c SUMS`): every name in it is a path the program
        reads, decided now from the file as it is (a fifth red-team pass had `file -f list`
        open `.env` and paths outside the workspace); stdin or a computed list cannot be
        decided."""
        lists = name_list_files(name, args)
        if lists is None:
            self._undecidable(
                label,
                f"'{name}' reads the names of the files it opens from stdin or a list "
                "it cannot be read from now",
            )
            return False
        for raw in lists:
            if raw.dynamic or raw.text in ("-", "/dev/stdin"):
                self._undecidable(
                    label, f"'{name}' reads the names of the files it opens from '{raw.text}'"
                )
                return False
            contents = self.file_texts(raw.text, f"the list of names of '{name}'", label, 65536)
            for text in contents or ():
                names = listed_names(name, text)
                if names is None:
                    self._undecidable(
                        label, f"the names '{name}' reads from '{raw.text}' cannot be read now"
                    )
                    return False
                for listed in names:
                    self._path(listed, "read", name, label)
        return True

    def _option_files(self, name: str, args: list[Word], label: str) -> bool:
        """Files an option makes the program read (`du --exclude-from=FILE`, `-X FILE`,
        `rg --ignore-file FILE`, `zip -x@FILE`): each is a read of FILE, checked like an
        operand (a secret, a link to one, a place outside the workspace), whatever the program
        does with the rest of its arguments (du only looks at names; its pattern file is
        read whole — a seventh red-team pass: `du --exclude-from=.env` was allowed, and which
        names it leaves out tells the secret's lines)."""
        if name == "file":
            # read with file's whole option table (a seventeenth red-team pass: `file -f.env`
            # and `file -m.env a.txt` printed .env's lines in their error messages)
            fargs = file_args(args)
            if isinstance(fargs, str):
                self._undecidable(label, fargs)
                return False
            for value in (*fargs.magic, *fargs.lists):
                if value not in ("-", "/dev/stdin"):
                    self._path(value, "read", f"{name} (an option's file)", label)
            return True
        values = option_file_values(name, args)
        if isinstance(values, str):
            self._undecidable(label, values)
            return False
        for raw in values:
            if raw.dynamic:
                continue  # computed words are refused elsewhere
            if raw.text in ("-", "/dev/stdin", ""):
                continue  # stdin: decided with the producer of the pipe
            self._path(raw.text, "read", f"{name} (an option's file)", label)
        return True

    def _note_program(self, name: str, texts: tuple[str, ...]) -> None:
        """A program that is not read-only may create, rename or write files (a build runs
        workspace code; git changes the index and refs): noted for the producer-name check."""
        if name in self.cfg.wrappers or name in _NEVER_OPEN or name in _SHELL_STATE:
            return  # the wrapped command is noted on its own
        if name == "git":
            _, sub, rest = git_subcommand(texts)
            if sub not in _GIT_READ_ONLY:
                self._note_write()
                # `git add` is checked on its own (_adds_secret): it stages no secret
                if sub not in _GIT_NO_STAGE or stash_takes_untracked(sub, rest):
                    self._stagers.append((self._serial, self._conc))
        elif name not in self.cfg.read_only_programs and name not in _NAMED_WRITERS:
            # (a program that runs workspace code may run `git add` itself, or print the
            # secret directly: that is the sandbox's part, docs/policy.md)
            self._note_write()

    def _links_at(self, raw: str) -> bool:
        """``raw`` names a symbolic link (or cannot be looked at) from a directory the
        command may run in: writing it makes the file the link names."""
        for cwd in self.cwds:
            try:
                if os.path.islink(os.path.join(cwd, raw)):
                    return True
            except (OSError, ValueError):
                return True
        return False

    def _ws_contains(self, path: str) -> bool:
        return self.ws.contains(os.path.realpath(path))

    def note_line(self, text: str) -> None:
        """A loop or function in the line may run a command again after a later one."""
        self._repeats = self._repeats or _REPEATS.search(_code_text(text)) is not None
        self._noted.append(text)
        self._noted_bytes += len(text)
        if self._noted_bytes > _NOTED_BYTES:
            for kind in _DECLARES:  # read them all now; keep only the answers
                self._declares(kind)
            self._noted.clear()
            self._noted_bytes = 0
            self._declared = {kind: (0, found) for kind, (_, found) in self._declared.items()}
        if '"' in text and len(self._line_texts) < 64:
            self._line_texts.append(text)

    def _declares(self, kind: str) -> bool:
        """Whether a text noted so far declares ``kind`` (``_DECLARES``): the same answer as
        testing each text as it is noted, read only for a write that needs it; each text is
        tested at most once per kind."""
        read, found = self._declared.get(kind, (0, False))
        if not found:
            test = _DECLARES[kind]
            found = any(test(t) for t in self._noted[read:])
        self._declared[kind] = (len(self._noted), found)
        return found

    def finish(self) -> None:
        """After the whole command: a link or checkout made by one of its commands changes
        what the paths of the others resolve to, so those paths could not be decided. Names
        a producer prints were checked on disk as they are now: a file created, renamed or
        written earlier in the line (or at the same time, or before the consumer runs again
        in a loop) is not among them."""
        writes = [(serial, conc) for serial, conc, _ in self._writes]
        for use, use_conc, label in self._name_uses:
            if self._raced(use, use_conc, writes):
                self._undecidable(
                    label,
                    "it uses names a program prints, and another command in the same line "
                    "may create or rename files before they are printed",
                )
        # a glob can only meet an option-like name that something may create under such a
        # name: a program that writes what it likes, or a path whose name is not plain
        odd_names = [(serial, conc) for serial, conc, odd in self._writes if odd]
        for use, use_conc, label in self._glob_uses:
            if self._raced(use, use_conc, odd_names):
                self._undecidable(
                    label,
                    "a glob of it was expanded from the directory as it is now, and another "
                    "command in the same line may first create a file named like an option",
                )
        for use, use_conc, raw, label in self._content_uses:
            if self._raced(use, use_conc, self._changes):
                self._undecidable(
                    label,
                    f"its effect was decided from the contents of '{raw}' as they are now, "
                    "and another command in the same line may change that file first",
                )
        for use, use_conc, label in self._index_prints:
            if self._raced(use, use_conc, self._stagers):
                self._undecidable(
                    label,
                    "it prints contents git holds, and another command in the same line "
                    "may add a secret file of the work tree to the index or a commit first",
                )
        for serial, conc, label in self._links:
            for use, use_conc in self._uses:
                # in a loop a link made late in the body is there for the body's next pass
                if use != serial and (use > serial or conc or use_conc or self._repeats):
                    self._undecidable(
                        label,
                        "this command makes a link, moves a directory or checks out files, and "
                        "another command in the same line uses a path that may pass through it",
                    )
                    return

    def _raced(self, use: int, use_conc: bool, producers: list[tuple[int, bool]]) -> bool:
        """One of ``producers`` may run before the command ``use``: earlier in the line, at
        the same time (a pipeline, `&`), or again after it (a loop or function)."""
        return any(
            serial != use and (serial < use or conc or use_conc or self._repeats)
            for serial, conc in producers
        )

    # ---- one argv (called from ExecEvaluator.argv before the per-program logic) -------------
    def _path_rules(self, name: str, args: list[Word], label: str, texts: tuple[str, ...]) -> bool:
        """Path rules that apply to ``name args`` whatever the program; False: stop deciding.

        ``texts``: the words' texts. Most programs only need the secret-name check; the rest
        of the rules are for the programs they name (_RULED).
        """
        try:
            if not self._option_globs(name, args, label):
                return False
        except TooManyPaths as exc:
            self._undecidable(label, f"too many files to check ({exc})")
            return False
        if not self._shell_listings(name, args, label):
            return False
        if name in NAME_LISTS and not self._name_lists(name, args, label):
            return False
        if not self._option_files(name, args, label):
            return False
        if name in _HTTPIE and not self._httpie(name, args, label):
            return False
        if name in ("python", "python3", "uv", "virtualenv", "pyvenv"):
            for d in venv_dirs(name, texts):
                self._venvs += [
                    (self._serial, os.path.normpath(os.path.join(c, d))) for c in self.cwds
                ]
        if name not in _RULED and name not in self.cfg.shells:
            try:
                self._secret_names(name, args, label, texts)
            except TooManyPaths as exc:
                self._undecidable(label, f"too many files to check ({exc})")
            return True
        literal = not any(w.dynamic for w in args)
        if name == "shopt" or name in self.cfg.shells:
            if any(t in _GLOB_SHOPTS for t in texts):
                self._undecidable(label, "the command changes what globs match (shopt)")
                return False
        if name == "find" and not self._find_options(texts, label):
            return False
        if name in _LINKERS and (
            creates_links(name, texts, self._is_dir_or_link)
            or not literal
            and name in ("ln", "cp")
            or name == "cp"
            and _cp_may_leave_links(args)
        ):
            self._links.append((self._serial, self._conc, label))
        if literal and name in ("ln", "link", "cp") and (name != "cp" or _cp_links(args)):
            self._link_sources(name, texts, label)
        if name == "npm" and not self._npm_init_workspaces(texts, label):
            return False
        if name == "dd":  # `dd of=FILE` writes FILE, `if=FILE` reads it
            for t in texts:
                if t.startswith(("of=", "if=")) and len(t) > 3:
                    self._path(t[3:], "write" if t[0] == "o" else "read", name, label)
        try:
            self._secret_names(name, args, label, texts)
            if name in WRITERS:
                self._outputs(name, args, label)
            if name in _TREE_READERS and (
                name != "git" or git_subcommand(texts)[1] in ("grep", "diff")
            ):
                self._tree_reads(name, args, label)
            if name in _NAME_LISTERS:
                self._listed_through_links(name, texts, label)
            if name in _RECURSIVE_CHANGERS or name in _TREE_MOVERS:
                self._tree_changes(name, args, label)
            if name == "python":
                self._bytecode_writes(texts, label)
            if name in _SOURCE_REMOVERS and not self._removed_sources(name, texts, label):
                return False
            if name in _EXTRACTING:
                self._extraction(name, args, label)
            if name == "git":
                self._git_writes(texts, label)
                self._git_secret_reads(texts, label)
                self._git_transport(texts, label)
                self._git_head_target(texts, label)
            if name == "patch":
                self._patch(texts, label)
        except TooManyPaths as exc:
            self._undecidable(label, f"too many files to check ({exc})")
        return True

    def _removed_sources(self, name: str, texts: tuple[str, ...], label: str) -> bool:
        """Each input a program removes after reading it is a removal (a directory with
        `-r`, `-R` or tar/zip recursion: every protected path below it). Over-approximate:
        every operand counts, the archive's own name too."""
        ops = plain_operands(texts)
        if name in ("tar", "bsdtar"):
            removes = any(t.startswith("--rem") for t in texts)
            if removes and any(
                t in ("-T", "--files-from") or t.startswith(("--files-from=", "-T")) for t in texts
            ):
                self._undecidable(label, f"'{name} --remove-files' removes names read from a file")
                return False
        elif name == "zip":
            # zip's table: `--mov` is `-m`, the `m` of `-x*.mp4` is a pattern (eighteenth pass)
            # (words zip cannot read, which its argument spec refuses anyway, count as moving)
            zip_opts = read_options("zip", [Word(t) for t in texts])
            removes = isinstance(zip_opts, str) or any(n == "-m" for n, _ in zip_opts[0])
            if not isinstance(zip_opts, str):
                ops = zip_opts[1]
        elif name in COMPRESSOR_TABLES:
            # read with the program's option table (a seventeenth red-team pass: the letters
            # of an attached value, `xz -Ccrc32`, `gzip -S.c`, were read as -c/-k/-d/-l/-t)
            args = compressor_args(name, [Word(t) for t in texts])
            if isinstance(args, str):
                self._undecidable(label, args)
                return False
            removes = not (args.keep or args.no_file or args.decompress)
            ops = [w.text for w in args.operands]
        elif name in _REMOVE_WITH_RM:
            removes = "--rm" in texts
        else:
            keep = {"-k", "--keep", "-c", "--stdout", "--to-stdout", "-t", "--test", "-l",
                    "--list", "-d", "--decompress", "--uncompress"}  # fmt: skip
            removes = not any(
                t in keep
                or (t.startswith("-") and not t.startswith("--") and set(t[1:]) & set("kctld"))
                for t in texts
            )
        if removes:
            for t in ops:
                if t != "-":
                    self._path(t, "remove", name, label)
        return True

    def _npm_init_workspaces(self, texts: tuple[str, ...], label: str) -> bool:
        """`npm init -w DIR` creates DIR and writes DIR/package.json (a fifth red-team pass:
        `npm init -y -w .github/workflows` wrote `.github/workflows/package.json`): each
        workspace directory of `npm init` is a write of its package.json."""
        words = list(texts)
        verb = next((t for t in words if not t.startswith("-")), "")
        if verb in _NPM_NO_PACKAGE_WRITES and not {"init", "create", "innit"} & set(words):
            return True
        # Any other verb with `-w DIR` (`npm install x -w .github/actions/a`, `npm version
        # patch -w …`, `npm pkg set … -w …`) writes DIR/package.json too (an eighth red-team
        # pass: only init was checked)
        for i, t in enumerate(words):
            value = None
            if t in ("-w", "--workspace") and i + 1 < len(words):
                value = words[i + 1]
            elif t.startswith("--workspace="):
                value = t.partition("=")[2]
            elif t.startswith("-w") and len(t) > 2:
                value = t[2:].removeprefix("=")
            if value is not None:
                self._path(f"{value.rstrip('/') or '.'}/package.json", "write", "npm", label)
        return True

    # ---- outputs named by arguments (write_targets) ----------------------------------------
    def _outputs(self, name: str, args: list[Word], label: str) -> None:
        """Every file ``name`` writes that its arguments name, checked as a write."""
        out = self._rsync_outputs(name, args) if name in ("rsync", "scp") else outputs(name, args)
        if out is None:
            return
        if name == "rsync" and out.files and self._rsync_deletes(args):
            # `rsync --delete SRC/ DEST` removes every entry of DEST that SRC lacks: a removal
            # of DEST's tree (a fifth red-team pass: `rsync -a --delete sub/ ./` erased the
            # workspace, `.git` and `CLAUDE.md` with it).
            self._path(out.files[0], "remove", name, label)
        if out.problem:
            self._undecidable(label, out.problem)
            return
        before = len(self.findings)
        for f in out.files:
            self._path(f, "write", name, label)
        for into in out.into:
            if len(self.findings) > before:
                return
            if not (into.certain or self._may_be_dir(into.dest)):
                continue
            dest = into.dest.rstrip("/") or "/"
            if into.dynamic:
                # every name the producer can print lands as DEST/its name
                self._into_dest = dest
                try:
                    ok = self._stdin_words_ok(name, Word(into.source, True), label, "write")
                finally:
                    self._into_dest = None
                if not ok:
                    self._undecidable(label, f"'{name}' copies computed names into '{dest}'")
                continue
            names = {into.name}
            if has_glob(into.source) and not self.ws.virtual:
                for cwd in self.cwds:
                    for match in self._expansions(into.source, cwd)[1:]:
                        names.add(os.path.basename(match.rstrip("/")))
            for n in sorted(names):
                self._path(f"{dest}/{n}", "write", name, label)
        if name in ("cp", "rsync") and len(self.findings) == before:
            self._copied_contents(name, args, label)
        for prefix, suffix, alphabet in out.prefixes:
            if len(self.findings) > before:
                return
            self._prefixed(name, prefix, suffix, alphabet, label)

    def _copied_contents(self, name: str, args: list[Word], label: str) -> None:
        """`cp -r SRC/. DEST`, `cp -rT SRC DEST`, `rsync -a SRC/ DEST` copy SRC's entries
        into DEST itself: each entry is a write of DEST/ENTRY. A forty-seventh red-team pass:
        with DEST the workspace's top (which is no protected path, though the files in it
        are) `cp -r tmp/. .` and `rsync -a tmp/ .` put tmp/Makefile over the Makefile CI
        runs, allowed; only DEST and DEST/. were checked."""
        read = read_options(name, args)
        if isinstance(read, str):
            return  # (refused where the program's words are read)
        opts, ops = read
        target = next((v for n, v in reversed(opts) if n == "-t" and v is not None), None)
        sources, dest = (ops, target) if target is not None else (ops[:-1], ops[-1:])
        if isinstance(dest, list):
            if not dest or (name == "rsync" and ":" in dest[0]):
                return
            dest = dest[0]
        whole = name == "cp" and target is None and any(n == "-T" for n, _ in opts)
        for src in sources:
            base = os.path.basename(src.rstrip("/")) if src.rstrip("/") else "/"
            if base == "..":
                self._undecidable(label, f"'{name}' copies the entries of '{src}', a parent")
                return
            contents = base == "." or whole or (name == "rsync" and src.endswith("/"))
            if not contents or (name == "rsync" and ":" in src):
                continue
            for cwd in self.cwds:
                if self.ws.resolve(dest, cwd).real == self.ws.root:
                    # (any other folder holding a protected path is one itself, refused as
                    # DEST: only the top's entries need SRC's entries as they are now)
                    self._note_content_use(src, label)
                res = self.ws.resolve(src, cwd)
                if self.ws.virtual or not os.path.isdir(res.real):
                    if self.ws.virtual or self._serial == 1 and not self._conc:
                        continue  # alone on its line: not a folder now, nothing copied
                    self._undecidable(label, f"'{name}' copies the entries of '{src}'")
                    return
                try:
                    with os.scandir(res.real) as it:
                        entries = [e.name for e in itertools.islice(it, _ENTRIES_MAX + 1)]
                except OSError:
                    self._undecidable(label, f"the entries of '{src}' cannot be listed now")
                    return
                self.budget.spend(words=DIR_COST)
                if len(entries) > _ENTRIES_MAX:
                    self._undecidable(
                        label, f"'{name}' copies more than {_ENTRIES_MAX} entries of '{src}'"
                    )
                    return
                before = len(self.findings)
                for entry in sorted(entries):
                    self._path(f"{dest.rstrip('/') or '/'}/{entry}", "write", name, label)
                    if len(self.findings) > before:
                        return

    def _may_be_dir(self, dest: str) -> bool:
        """Whether ``dest`` is (or, made by another command of the line, may be) a directory."""
        if self._is_dir_or_link(dest):
            return True
        if self._serial == 1 and not self._conc:
            return False  # alone on its line: only what is on disk now
        return not any(
            os.path.isfile(dest if dest.startswith("/") else os.path.join(c, dest))
            for c in self.cwds
        )

    def _prefixed(self, name: str, prefix: str, suffix: str, alphabet: str, label: str) -> None:
        """Files named PREFIX + a string of ``alphabet`` + SUFFIX (split, csplit, mktemp):
        denied when such a name in PREFIX's directory is a protected path."""
        directory, base = os.path.split(prefix)
        filler = alphabet[:1] * 2
        self._path(f"{prefix}{filler}{suffix}", "write", name, label)
        protected = self.cfg.protected_set
        if protected is None:
            return
        low_base, low_suffix = base.lower(), suffix.lower()
        # the names the patterns end in, and the repository's own protected files' (a
        # forty-eighth red-team pass: `split -a1 -b100 F ci/run.s` wrote its eighth piece to
        # `ci/run.sh`, which CI runs, and `split -a1 F Makefil` the Makefile CI runs)
        from enforcement_agent.policy.repo_runs import GLOB_MARK, repo_protected

        repo_names = {
            p.rpartition("/")[2]
            for p in repo_protected(self.ws)
            if not p.startswith(GLOB_MARK) and p.rpartition("/")[2].startswith(low_base)
        }
        for cand in sorted(set(protected.file_names) | repo_names):
            low = cand.lower()
            middle = low[len(low_base) : len(low) - len(low_suffix) if low_suffix else None]
            if (
                low.startswith(low_base)
                and low.endswith(low_suffix)
                and len(low) > len(low_base) + len(low_suffix)
                and all(c in alphabet for c in middle)
            ):
                before = len(self.findings)
                self._path(os.path.join(directory, cand), "write", name, label)
                if len(self.findings) > before:
                    return

    def _rsync_deletes(self, args: list[Word]) -> bool:
        """Whether rsync's options remove files of the destination (`--delete`, `--del`,
        `--delete-after`, `--delete-excluded`, …; `--remove-source-files` removes sources,
        which are checked as reads of files rsync may not be given)."""
        for w in args:
            t = w.text
            if t == "--":
                return False
            if w.dynamic or t.startswith("--del"):
                return True
        return False

    def _rsync_outputs(self, name: str, args: list[Word]) -> Outputs:
        """rsync/scp SRC… DEST: a source without a trailing slash lands as DEST/NAME."""
        ops, _ = split_options(tuple(w.text for w in args), self.cfg.options.get(name, frozenset()))
        if len(ops) < 2 or ":" in ops[-1]:
            return Outputs()
        dest, sources = ops[-1], ops[:-1]
        certain = len(sources) > 1 or dest.endswith("/") or dest in (".", "..")
        return Outputs(
            files=(dest,),
            into=tuple(
                Into(dest, os.path.basename(s), certain)
                for s in sources
                if not s.endswith("/") and ":" not in s and os.path.basename(s)
            ),
        )

    def _link_sources(self, name: str, texts: tuple[str, ...], label: str) -> None:
        """A link to a path is a way to change it later (a hard link *is* the file; a symlink
        resolves to it): link sources are checked as writes. A symlink's target is relative to
        the link's directory, so it is checked from there too."""
        ops = plain_operands(texts)
        target_dir = None
        symbolic = False
        if name in ("ln", "cp"):
            # read with the program's table (a seventeenth red-team pass: `ln --sym T L` was
            # taken for a hard link and `ln -st DIR T` took DIR for a source, so a symlink's
            # target was checked from the wrong directory)
            read = read_options(name, [Word(t) for t in texts])
            if isinstance(read, str):
                self._undecidable(label, read)
                return
            opts, ops = read
            symbolic = name == "ln" and any(n == "-s" for n, _ in opts)
            # `ln -sr T L` makes the link text from T as named from the working directory
            # (seventeenth red-team pass): T is checked from there, not from L's directory
            symbolic = symbolic and not any(n == "-r" for n, _ in opts)
            target_dir = next((v for n, v in reversed(opts) if n == "-t" and v), None)
        if target_dir is not None:
            sources, dest = ops, target_dir.rstrip("/") + "/"
        elif len(ops) < 2 and name != "cp":
            sources, dest = ops, "."
        else:
            sources, dest = ops[:-1], ops[-1]
        for src in sources:
            if symbolic and not src.startswith("/"):
                link_dir = (
                    dest if dest.endswith("/") or self._is_dir(dest) else os.path.dirname(dest)
                )
                if link_dir not in ("", "."):
                    src = f"{link_dir.rstrip('/')}/{src}"
            self._path(src, "write", name, label)

    def _symlink_texts(self, name: str, args: list[Word]) -> tuple[frozenset[str], bool]:
        """For ``ln -s`` (not ``-r``): the relative link texts, which ln never opens and which
        name a path from the link's directory (checked there by :meth:`_link_sources`), and
        whether a target directory (``-t``) is given. A seventeenth red-team pass: ``ln -s
        ../a.txt src/l``, a link inside the workspace, was denied as reading ``../a.txt``
        from the working directory, outside the workspace."""
        if name != "ln" or any(w.dynamic for w in args):
            return frozenset(), False
        read = read_options(name, args)
        if isinstance(read, str):
            return frozenset(), False
        opts, ops = read
        target_dir = any(n == "-t" for n, _ in opts)
        if not any(n == "-s" for n, _ in opts) or any(n == "-r" for n, _ in opts):
            return frozenset(), target_dir
        sources = ops if target_dir or len(ops) < 2 else ops[:-1]
        return frozenset(t for t in sources if not t.startswith("/")), target_dir

    def _is_dir(self, raw: str) -> bool:
        return any(
            os.path.isdir(raw if raw.startswith("/") else os.path.join(c, raw)) for c in self.cwds
        )

    def _is_dir_or_link(self, raw: str) -> bool:
        for cwd in self.cwds:
            p = raw if raw.startswith("/") else os.path.join(cwd, raw)
            if os.path.islink(p) or os.path.isdir(p):
                return True
        return False

    # ---- find -----------------------------------------------------------------------------
    def _find_options(self, texts: tuple[str, ...], label: str) -> bool:
        for t in texts:
            if t in _FIND_LINKS or t.startswith("-files0-from"):
                self._undecidable(
                    label,
                    f"find {t} follows symlinks or reads its start points from a file: where it "
                    "goes is not in the command",
                )
                return False
        return True

    # ---- secrets --------------------------------------------------------------------------
    def _secret(self, rels: tuple[str, ...], spelled: bool = False) -> bool:
        """``spelled``: ``rels`` already hold their folded forms (a :class:`Resolved`'s do)."""
        secrets = self.cfg.secret_set
        if secrets is None:
            return False
        if any(secrets.match(r) for r in (rels if spelled else spellings(rels))):
            return True
        return self._credential_config(rels)

    def _credential_config(self, rels: tuple[str, ...]) -> bool:
        """A git configuration file holding a credential (a CI checkout's token) is a secret
        while it does (sixteenth red-team pass; ``git_credentials``); so is any other file
        git reads as configuration or as a ``store`` helper's credentials (a submodule's or
        work tree's config, an included file) while it holds one (seventeenth pass)."""
        if self.ws.virtual:
            return False
        if any(config_holds_credential(self.ws.root, r) for r in rels):
            return True
        creds = self._creds()
        return bool(creds) and any(r.lower() in creds for r in rels)

    def _creds(self) -> frozenset[str]:
        """``credential_configs`` of the workspace, once per decision."""
        if self._creds_memo is None:
            self._creds_memo = frozenset() if self.ws.virtual else credential_configs(self.ws.root)
        return self._creds_memo

    def _secret_names(
        self, name: str, args: list[Word], label: str, texts: tuple[str, ...]
    ) -> None:
        """Any argument naming a secret file, in any form, for a program that may open it."""
        if self.cfg.secret_set is None or name in self.cfg.dynamic_ok or name in _METADATA_ONLY:
            return
        if name in self.cfg.shells or name in self.cfg.wrappers or not texts:
            return  # their command strings and wrapped argvs are decided on their own
        if name == "git" and not self.ws.virtual:
            _, sub, words = git_subcommand(texts)
            if prints_configuration(sub, words) and self._creds():
                self._deny(
                    SECRET_RULE,
                    "the repository's git configuration holds a credential (a token in a "
                    f"remote url or an http extraheader): 'git {sub}' would print it",
                    label,
                )
                return
        joined = "\0".join(texts)
        if not self._could_name_secret(joined) and not has_glob(joined):
            return  # one search over every argument: none can name a secret
        if name == "git":
            # past git's own options, whose values are not subcommands (a thirteenth red-team
            # pass: `mkdir -p status; git -C status show HEAD:.env` printed the secret, the
            # value `status` read as the subcommand whose arguments are only names)
            directory, sub, _ = git_subcommand(texts)
            if sub in _GIT_NAME_OK:
                return
            if directory != ".":  # its paths are relative to the -C directory
                saved = self.cwds
                self.cwds = {os.path.normpath(os.path.join(c, directory)) for c in self.cwds}
                try:
                    self._secret_names_of(name, args, label)
                finally:
                    self.cwds = saved
                return
        self._secret_names_of(name, args, label)

    def _secret_names_of(self, name: str, args: list[Word], label: str) -> None:
        skip_first = name in _PATTERN_FIRST and not any(
            w.text in ("-e", "-f", "--regexp", "--file") or w.text.startswith(("-e", "--regexp="))
            for w in args
        )
        skip_next = False
        patterns = _PATTERN_OPTIONS | _PATTERN_OPTIONS_OF.get(name, frozenset())
        tabled = name in READER_TABLES
        for w in args:
            t = w.text
            if skip_next:
                skip_next = False
                continue
            if w.dynamic:
                continue  # computed words are refused elsewhere
            head = t.partition("=")[0]
            if head in patterns and (not tabled or takes_next_word(name, head)):
                # a program read with its whole table: only where the table says the option
                # takes a value (a flag's next word is the program's next argument)
                skip_next = "=" not in t
                continue
            if not t.startswith("-") and skip_first:
                skip_first = False
                continue
            if name == "git" and _GIT_EXCLUDE_SPEC.match(t):
                # `git log -G x -- ':!.env'`: a pathspec that leaves a file out is no read of
                # it (thirty-ninth pass); what the rest covers is checked as history
                continue
            for cand in _candidates(t):
                hit = self._names_secret(cand)
                if hit:
                    self._deny(
                        SECRET_RULE,
                        f"'{hit}' is a secret file (files.secrets); no command may read, copy "
                        f"or change it ({name} {_short(t)})",
                        label,
                    )
                    return

    def _names_secret(self, cand: str) -> str | None:
        """The secret file ``cand`` names, by its lexical path (no syscalls: this runs for
        every argument); a glob is expanded and resolved. Paths that reach a secret only
        through a symlink are caught where the program's paths are resolved (`_path`)."""
        if cand.startswith("~"):
            return None  # outside the workspace
        if not has_glob(cand) and not self._could_name_secret(cand):
            return None
        for cwd in self.cwds:
            if has_glob(cand) and not self.ws.virtual:
                for target in self._expansions(cand, cwd):
                    res = self.ws.resolve(target, cwd)
                    if res.inside and self._secret(res.rels, True):
                        return res.rels[0] or cand
                continue
            lexical = os.path.normpath(cand if cand.startswith("/") else f"{cwd}/{cand}")
            if self.ws.contains(lexical):
                rel = self.ws.rel(lexical)
                if rel and self._secret((rel,)):
                    return rel
        return None

    def _could_name_secret(self, cand: str) -> bool:
        """Cheap pre-check: every secret pattern has a literal part (`.env`, `.pem`, `.aws`) a
        matching path must contain, from the argument or from the directory it is taken in."""
        secrets = self.cfg.secret_set
        search = secrets.fragment_search if secrets is not None else None
        if search is None or not cand.isascii():
            return True
        if secrets is not None and secrets.has_fragment(cand):
            return True
        low = cand.lower()
        if "config" in low:
            return True  # a git configuration file holding a credential (_credential_config)
        if any(n.rpartition("/")[2] in low for n in self._creds()):
            return True  # an included config or a store helper's file holding one
        if self._cwd_fragments is None or self._cwd_fragments[0] is not self.cwds:
            root = self.ws.root
            hit = secrets is not None and any(
                c != root and secrets.has_fragment(self.ws.rel(c)) for c in self.cwds
            )
            self._cwd_fragments = (self.cwds, hit)
        return self._cwd_fragments[1]

    def _expansions(self, raw: str, cwd: str) -> list[str]:
        """``raw`` and, for a glob, every path bash would expand it to now."""
        if not has_glob(raw) or self.ws.virtual:
            return [raw]
        self.budget.spend(words=GLOB_COST)  # a directory scan and a pattern compile
        matches = expand_glob(raw, cwd)
        return [raw, *(matches or ())]

    def _tree_reads(self, name: str, args: list[Word], label: str) -> None:
        """Programs that read every file under a directory must not meet a secret there."""
        texts = tuple(w.text for w in args)
        starts, skip_hidden, filters = tree_reader(name, texts)
        source = source_tool(name, texts)
        if starts is None and source is not None:
            # the words that name something are its paths; none: the current directory (or
            # the configuration's, which is inside it), a superset either way
            words, pattern = source
            named = [
                w
                for w in words
                if not self.ws.virtual
                and any(os.path.lexists(self.ws.resolve(w, c).real) for c in self.cwds)
            ]
            starts, skip_hidden, filters = named or ["."], False, [pattern]
        if starts is None or self.cfg.secret_set is None:
            return
        for start in starts:
            hit = self._secret_under(start, skip_hidden, filters)
            if hit:
                self._deny(
                    SECRET_RULE,
                    f"'{name}' reads every file under '{start}', which holds the secret file "
                    f"'{hit}' (exclude it or name the files to read)",
                    label,
                )
                return
        if self.ws.virtual or not follows_links(name, tuple(w.text for w in args)):
            return
        self._no_link_out(name, starts, label)

    def _shell_listings(self, name: str, args: list[Word], label: str) -> bool:
        """What bash and `test` look at without a program that opens files (forty-fifth pass):
        a glob's filename expansion lists the folder before its first wildcard (`echo
        /root/.ssh/*`, `printf %s /home/*/.ssh/*`, `for f in ~/.aws/*` printed the names
        there, where `ls /root/.ssh` is refused), and `test`/`[`/`[[`'s file operators read a
        path's metadata (`[ -e /home/u/.ssh/id_rsa ]`, as `stat` does, which is refused
        outside). Both are decided as `ls`'s and `stat`'s paths are; a glob below a computed
        folder (`echo $HOME/*`) and a computed file operand cannot be decided. False: stop."""
        for w in args:
            if not w.glob or names_word(w):
                continue
            if w.dynamic:
                self._undecidable(label, f"the glob {w.text} lists a folder computed at run time")
                return False
            self._path(_glob_root(w.text)[0], "read", "ls", label)
        if name not in ("test", "["):
            return True
        for w in file_test_operands(args):
            if w.dynamic:
                if self._stdin_words_ok("stat", w, label, "read"):
                    continue
                self._undecidable(
                    label, f"the file operand {w.text} of '{name}' is computed at run time"
                )
                return False
            self._path(w.text, "read", "stat", label)
        return True

    def _listed_through_links(self, name: str, texts: tuple[str, ...], label: str) -> None:
        """`tree -l`, `du -L`, `ls -RL`, `fd -L` walk into the directories links point to and
        print what is there (names and sizes out of the workspace, as `find -L` would, which
        is refused): such a walk meets no link out of the workspace (an eighth red-team
        pass)."""
        starts = link_listing_starts(name, texts)
        if not starts or self.ws.virtual:
            return
        self._no_link_out(name, starts, label)

    def _no_link_out(self, name: str, starts: Iterable[str], label: str) -> None:
        """Deny when a walk from any of ``starts`` that follows links meets one leading out of
        the workspace."""
        for start in starts:
            out = self._link_out_under(start)
            if out:
                self._deny(
                    "exec.path-outside-workspace",
                    f"'{name}' follows the links it meets under '{start}', and '{out}' leads "
                    "out of the workspace",
                    label,
                )
                return

    def _link_out_under(self, start: str) -> str:
        """A symlink under ``start`` (or ``start`` itself) whose target is outside the
        workspace, or "" (a program that follows links reads or copies what it points to)."""
        for cwd in self.cwds:
            for target in self._expansions(start, cwd):
                res = self.ws.resolve(target, cwd)
                if not res.inside or not os.path.isdir(res.real):
                    continue  # outside paths and plain files are decided on their own
                scan = self._secret_scan(res.real)
                if scan.links_out:
                    return scan.links_out[0]
        return ""

    def _git_secret_reads(self, texts: tuple[str, ...], label: str) -> None:
        """Secret files git holds reach the output without being named: stashed with the
        untracked files (`git stash -a`, then `git show stash^3`), or tracked and printed in a
        patch (`git show`, `git log -p`), or committed once and removed since: commands that
        print history are checked against every path it holds (git_history, bounded)."""
        if self.cfg.secret_set is None or self.ws.virtual:
            return
        directory, sub, rest = git_subcommand(texts)
        root = self.ws.root
        if stash_takes_untracked(sub, rest):
            hit = self._secret_under(root, False, [])
            if hit:
                self._deny(
                    SECRET_RULE,
                    f"'git stash' with untracked files reads every such file, and '{hit}' is "
                    "a secret file (files.secrets)",
                    label,
                )
            else:
                self._stash_removes_protected(directory, rest, label)
            return
        stashed = any(
            os.path.lexists(os.path.join(root, ".git", *p.split("/")))
            for p in ("refs/stash", "logs/refs/stash")
        )
        if stashed and names_stash(sub, rest):
            self._undecidable(label, "it prints a stash, which may hold untracked secret files")
            return
        if stashed and sub in _STASH_CARRIERS and any(_STASH_REV.search(t) for t in rest):
            # `git push origin stash:refs/heads/x`, `git branch x stash^3 && git push …`,
            # `git merge stash`: a stash's commits (its third parent holds the untracked
            # files, `.env` among them) reach a ref or a remote (a fourth red-team pass)
            self._undecidable(
                label, f"git {sub} carries a stash's commits, which may hold untracked secrets"
            )
            return
        # paths and pathspecs are relative to the -C directory (a thirteenth red-team pass:
        # `git -C sub log -p -- ../.env` and `git -C sub diff --no-index ../.env x` were read
        # from the directory git started in, and printed the secret)
        saved = self.cwds
        if directory != ".":
            self.cwds = {os.path.normpath(os.path.join(c, directory)) for c in self.cwds}
        try:
            self._git_secret_reads_in(directory, sub, rest, label)
        finally:
            self.cwds = saved

    def _git_secret_reads_in(
        self, directory: str, sub: str, rest: tuple[str, ...], label: str
    ) -> None:
        root = self.ws.root
        is_path = functools.partial(_exists_in_any, tuple(self.cwds) or (root,))
        if self._git_objects(directory, sub, rest, is_path, label):
            return
        if sub == "commit":
            self._commits_secret(root, label)
        # (self.cwds are already the -C directory's here: resolving ``directory`` again made
        # `git -C sub add .` look in sub/sub, and stage sub's secret key unseen; a
        # thirty-sixth red-team pass)
        if sub in ("add", "stage"):
            self._adds_secret(".", rest, label)
        if sub == "clean":
            self._cleans_protected(".", rest, label)
        if "--no-index" in rest or sub == "cat-file":
            # cat-file prints the objects it names and nothing else: each was checked by type
            # above (a blob is undecidable), REV:PATH by its path, --batch is undecidable.
            return
        grep_history = sub == "grep" and grep_revisions(rest, is_path)
        if not prints_contents(sub, rest) and not grep_history:
            return
        operands = [t for t in rest[: rest.index("--") if "--" in rest else None] if t[:1] != "-"]
        if sub in ("show", "cat-file") and operands and all(":" in t for t in operands):
            return  # `git show REV:PATH` prints that file only (its name is checked as such)
        index = git_index(root)
        names = set(index or ()) | set(git_head_names(root) or ())
        if grep_history or reads_history(sub, rest, is_path):
            # A secret committed once and removed since is still there (third pass).
            history = self._git_history(root, label)
            if history is None:
                return
            names |= set(history)
        inodes = self._secret_inodes()
        tracked = sorted(
            n
            for n in names
            if self._secret((n,)) or (inodes and same_file(os.path.join(root, n), inodes))
        )
        if self._secret_blobs():
            # an earlier (or concurrent) command of the line may stage a secret first
            # (`git add . && git diff --cached`): decided in finish()
            self._index_prints.append((self._serial, self._conc, label))
        for cwd in self.cwds if tracked else ():
            # --full-diff prints every file of the commits the pathspecs select
            specs = (
                [] if "--full-diff" in rest else pathspecs(rest, functools.partial(_exists_in, cwd))
            )
            prefix = self.ws.rel(cwd)
            for rel in tracked:
                if not excludes(rel, specs, prefix):
                    self._deny(
                        SECRET_RULE,
                        f"'git {sub}' prints the contents of files git holds, and the secret "
                        f"file '{rel}' is tracked or in the history (exclude it with a pathspec such "
                        f"as ':!{rel}')",
                        label,
                    )
                    return

    def _git_history(self, root: str, label: str) -> tuple[str, ...] | None:
        """Every path the repository's history holds (None: undecidable, already said)."""
        if self._repo_of(root) != root:
            return ()  # no repository git would use here: nothing in history
        found = history_names(root, self.budget.deadline)
        if found.problem:
            self._undecidable(label, f"git prints history, which cannot be read: {found.problem}")
            return None
        return found.paths

    def _git_objects(
        self,
        directory: str,
        sub: str,
        rest: tuple[str, ...],
        is_path: Callable[[str], bool],
        label: str,
    ) -> bool:
        """Objects named by id or ref, one rule (True: decided here). A git object is a file's
        content without its name, so the name check cannot see it:

        * a word that abbreviates the blob id of a secret file's content names that secret,
          in any git command (`git cat-file -p c6682b4`, `git diff c6682b4 …`, `git tag t
          c6682b4`): denied;
        * a command that prints the objects it names whole (`show`, `cat-file`, `diff` of two
          blobs) and names a blob by any revision (an id, a tag on it, `t^{}`) prints some
          file's content whose path cannot be known (a dangling blob of an old `.env`, listed
          by `git fsck`): undecidable, or denied when it resolves to a secret's blob; so is
          one that reads its objects from stdin (`cat-file --batch`) or prints them through a
          ref format (`%(raw)`, `%(*raw)`)."""
        secret_ids = self._secret_blobs()
        for t in rest:
            blob = names_blob(t, secret_ids) if _OBJECT_WORD.match(t) else ""
            if blob:
                self._deny_blob(sub, blob, label)
                return True
        if prints_raw_objects(sub, rest):
            self._undecidable(label, f"git {sub} prints objects' raw content (%(raw))")
            return True
        objects = objects_by_id(sub, rest, is_path)
        if objects is None:
            self._undecidable(label, f"git {sub} prints objects named on its input")
            return True
        if not objects or self.ws.virtual:
            return False
        if len(objects) > 8:
            self._undecidable(label, f"git {sub} names more than 8 objects")
            return True
        repos = {self._repo_of(c) for c in self.cwds}  # (the -C directory's already)
        kinds: list[tuple[str, str]] = []
        for repo in sorted(r for r in repos if r):
            found = object_kinds(repo, objects, self.budget.deadline)
            if isinstance(found, str):
                self._undecidable(label, f"git {sub}: {found}")
                return True
            kinds += found
        if any(not sha for sha, _kind in kinds) and self._line_may_make_refs():
            self._undecidable(
                label,
                f"git {sub} names an object that does not exist yet, which another command of "
                "the line may create (`git tag t BLOB && git show t`)",
            )
            return True
        for sha, kind in kinds:
            if sha in secret_ids:
                self._deny_blob(sub, sha, label)
                return True
            if kind == "blob":
                self._undecidable(
                    label,
                    f"git {sub} prints a file's content by object id ({sha[:12]}), whose "
                    "path (a secret file's?) cannot be known",
                )
                return True
        return False

    def _deny_blob(self, sub: str, blob: str, label: str) -> None:
        self._deny(
            SECRET_RULE,
            f"'git {sub}' names the object {blob[:12]}, which holds the content of a secret "
            "file (files.secrets)",
            label,
        )

    def _secret_under(self, start: str, skip_hidden: bool, filters: list[re.Pattern[str]]) -> str:
        unhides: dict[str, list[str]] = {}
        # matching a secret's path against the filters costs words as they grow (3,000
        # hidden secrets against 5,000 `-g` globs took 1.2 s; a twenty-ninth red-team pass)
        filter_cost = 1 + sum(len(f.pattern) for f in filters) // 256

        def visible(rel: str, base: str) -> bool:
            if filters:
                self.budget.spend(words=filter_cost)
            if (
                skip_hidden
                and _hidden_below(rel, base)
                and not _unhidden(self.ws.root, rel, unhides, lambda n: self.budget.spend(words=n))
            ):
                return False
            # the filters see what the program matches them against (a review of the searcher
            # specs: grep's --exclude-dir skips directories met below where it starts, never
            # the start nor what is above it, so `grep -r --exclude-dir=.aws K .aws/` and `cd
            # .aws && grep -r --exclude-dir=.aws K .` read the credentials): the path below the
            # start, or a named file's own name
            if rel == base:
                rel = rel.rsplit("/", 1)[-1]
            elif base not in ("", ".") and rel.startswith(base + "/"):
                rel = rel[len(base) + 1 :]
            return not filters or all(f.match(rel) for f in filters)

        for cwd in self.cwds:
            self.budget.spend(words=GLOB_COST)  # a tree walk (bounded by TREE_LIMIT entries)
            for target in self._expansions(start, cwd):
                res = self.ws.resolve(target, cwd)
                if not res.inside:
                    continue  # outside paths are denied on their own
                absolute = res.real
                if os.path.isdir(absolute):
                    base = self.ws.rel(absolute)
                    found = [s for n, s in self._secrets_in_tree(absolute) if visible(n, base)]
                    if found:
                        return found[0]
                    out = next((r for r in self._links_out_under(absolute) if visible(r, base)), "")
                    if out:
                        return f"{out} (a hard link of a file outside the workspace)"
                elif visible(res.rels[0], res.rels[0]):  # a file named is read, hidden or not
                    if self._secret((res.rels[0],)):
                        return res.rels[0]
                    alias = self._same_as_secret(absolute)
                    if alias:
                        return alias
                    if self._reads_out(absolute):
                        # a hard link of a file outside the workspace (twenty-ninth pass)
                        return f"{res.rels[0]} (a hard link of a file outside the workspace)"
        return ""

    def _secret_inodes(self) -> Inodes:
        """Secret files of the workspace with other hard links (found once per decision)."""
        if self._inodes is None:
            try:
                rels = self._secret_scan(self.ws.root).matches if self.cfg.secret_set else ()
            except TooManyPaths:
                rels = ()  # too large to list: other hard links are not looked for (documented)
            self._inodes = linked_inodes(self.ws, rels)
        return self._inodes

    def _adds_secret(self, directory: str, rest: tuple[str, ...], label: str) -> None:
        """`git add .` stages every file .gitignore does not ignore: a secret file there (or
        a hard link of one) would go into the index, then a commit and a push (a red-team
        finding). Which files are ignored is asked of git, without the repository's config."""
        specs = add_pathspecs(rest)
        if specs is None or self.cfg.secret_set is None:
            return
        root = self.ws.root
        secrets = list(self._secret_scan(root).matches)
        secrets += [alias for alias, _ in hard_aliases(self.ws, root, self._secret_inodes(), True)]
        if not secrets:
            return
        index = git_index(root) or {}
        for cwd in self.cwds:
            base = self.ws.resolve(directory, cwd)
            if not base.inside:
                return  # decided as a path on its own
            prefix = self.ws.rel(base.real)
            covered = [
                r
                for r in secrets
                if r not in index
                and not excludes(r, specs, prefix)
                and os.path.isfile(os.path.join(root, r))
            ]
            if not covered:
                continue
            staged = not_ignored(root, covered)
            if staged is None:
                self._undecidable(label, "cannot tell whether 'git add' stages a secret file")
                return
            if staged:
                self._deny(
                    SECRET_RULE,
                    f"'git add' would stage the secret file '{staged[0]}', which no .gitignore "
                    "ignores (ignore it, or name the files to add)",
                    label,
                )
                return

    def _stash_removes_protected(self, directory: str, rest: tuple[str, ...], label: str) -> None:
        """`git stash -u` (-a: ignored files too) removes the untracked files it stashes from
        the work tree, as `git clean -f` (-x) does, and `git stash drop` then loses them: a
        protected file among them is removed (an eighth red-team pass: `git stash -u` took an
        untracked AGENTS.md and .vscode/tasks.json away while `git clean -f` was refused)."""
        parsed = git_options("stash", rest)
        if isinstance(parsed, str):
            self._undecidable(label, parsed)
            return
        operands, opts = parsed
        flags = {o for o, _ in opts}
        every = bool(flags & {"-a", "--all"})
        if "--" in rest:
            specs = list(rest[rest.index("--") + 1 :])
        else:
            specs = operands[1:] if operands[:1] == ["push"] else []
        self._cleans_protected(
            directory, rest, label, ("all" if every else "untracked", specs), "git stash"
        )

    def _cleans_protected(
        self,
        directory: str,
        rest: tuple[str, ...],
        label: str,
        given: tuple[str, list[str]] | None = None,
        verb: str = "git clean",
    ) -> None:
        """`git clean -f` removes untracked files (-x: also ignored ones, -X: only those): a
        protected or secret file among them is removed like `rm` would remove it."""
        selection = given or clean_selection(rest)
        if selection is None:
            return
        which, specs = selection
        root = self.ws.root
        protected = self.cfg.protected_set
        keep = self._secret_scan(root).matches if self.cfg.secret_set else ()
        if protected is not None:
            pick, key = self._protected_pick(protected)
            keep += self._scan(root, pick, key).matches
        index = git_index(root) or {}
        for cwd in self.cwds:
            base = self.ws.resolve(directory, cwd)
            if not base.inside:
                return
            prefix = self.ws.rel(base.real)
            under = prefix + "/" if prefix else ""
            candidates = sorted(
                {
                    r
                    for r in keep
                    if (specs or r.startswith(under))  # no pathspec: the current directory
                    and r not in index
                    and not r.startswith(".git/")
                    and r != ".git"
                    and not any(n.startswith(r + "/") for n in index)
                    and not excludes(r, specs, prefix)
                }
            )
            if not candidates:
                continue
            if which == "all":
                removed = candidates
            else:
                kept = not_ignored(root, candidates)
                if kept is None:
                    self._undecidable(label, "cannot tell which files 'git clean' removes")
                    return
                removed = kept if which == "untracked" else [r for r in candidates if r not in kept]
            if removed:
                self._deny(
                    PROTECTED_RULE if not self._secret((removed[0],)) else SECRET_RULE,
                    f"'{verb}' removes '{removed[0]}', a protected or secret file that git "
                    "does not track",
                    label,
                    destructive=True,
                )
                return

    def _commits_secret(self, root: str, label: str) -> None:
        """`git add .` staged a secret file that .gitignore does not cover; `git commit` would
        store it in a commit that a push publishes. Secrets HEAD already holds are not new."""
        index = git_index(root)
        if not index:
            return
        inodes = self._secret_inodes()
        staged = [
            n
            for n in index
            if self._secret((n,)) or (inodes and same_file(os.path.join(root, n), inodes))
        ]
        if not staged:
            return
        head = git_head_blobs(root)
        new = [n for n in staged if head is None or n not in head]
        if new:
            self._deny(
                SECRET_RULE,
                f"'git commit' would store the secret file '{new[0]}', which is staged, in a "
                f"commit (unstage it: git rm --cached {new[0]})",
                label,
            )
            return
        # A secret HEAD holds, changed in the work tree: `git commit -a` (or after `git add
        # -u`) stores its new content. The index's own ids are not read: changed is enough.
        for n in staged:
            try:
                with open_regular(os.path.join(root, n)) as fh:
                    data = fh.read((1 << 20) + 1)
            except OSError:
                continue
            if head is not None and head[n] not in blob_ids([data]):
                self._deny(
                    SECRET_RULE,
                    f"'git commit' may store new content of the tracked secret file '{n}', "
                    f"which differs from HEAD (restore it first: git restore {n})",
                    label,
                )
                return

    def _secret_blobs(self) -> frozenset[str]:
        """git object ids of the work tree's secret files (by name or as hard links), read
        once per decision; each file at most 1 MiB, at most 64 files (more: every id is
        unknown, and the set holds a marker that matches nothing but is not empty)."""
        if self._blobs is None:
            contents: list[bytes] = []
            try:
                rels = self._secret_scan(self.ws.root).matches if self.cfg.secret_set else ()
            except TooManyPaths:
                self._blobs = frozenset({"-unknown-"})  # not empty: secrets may be there
                return self._blobs
            if not self.ws.virtual:
                for rel in rels[:64]:
                    try:
                        with open_regular(os.path.join(self.ws.root, rel)) as fh:
                            contents.append(fh.read(1 << 20))
                    except OSError:
                        continue
            self._blobs = blob_ids(contents) | ({"-many-"} if len(rels) > 64 else set())
        return self._blobs

    def _same_as_protected(self, real: str) -> str:
        """The protected path the existing file ``real`` is another hard link of, or ""."""
        if self.cfg.protected_set is None or self.ws.virtual:
            return ""
        rel = _twin(real, self._linked_protected)
        return "" if rel == self.ws.rel(real) else rel

    def _linked_protected(self) -> Inodes:
        """Protected files with other hard links (found once per decision)."""
        if self._protected_inodes is None:
            self._protected_inodes = self._find_protected_inodes()
        return self._protected_inodes

    def _find_protected_inodes(self) -> Inodes:
        """Protected files with other hard links: the workspace's (vendor directories too,
        unless the tree is too large) and the top-level repository's `.git` files, hooks and
        info."""
        protected = self.cfg.protected_set
        assert protected is not None
        root = self.ws.root
        # the repository's own protected files too (the Makefile and scripts CI runs): a
        # forty-eighth red-team pass wrote the Makefile through `echo x >> y`, y a hard link
        is_protected, _ = self._protected_pick(protected)

        def pick(rel: str) -> bool:
            return is_protected(rel) and hardlinked(self.ws, rel)

        try:
            # key None: not reused by later decisions (a link count changes without the
            # protected file's directory changing); the only `_scan` with that key. Vendor
            # directories are walked: protected files live there (a virtual environment's
            # `site-packages/*.pth`, `sitecustomize.py`, `bin/activate`), and a thirteenth
            # red-team pass wrote `.venv/…/sitecustomize.py` through `echo >> src/notes.py`,
            # a hard link of it. The walk runs only for a file with more than one link.
            rels = list(self._scan(root, pick, None, skip_vendor=False).matches)
        except TooManyPaths:
            try:  # too large with vendor directories: the tenant's own files at least
                rels = list(self._scan(root, pick, None).matches)
            except TooManyPaths:
                rels = []  # too large to list: documented, like the secrets' walk
        for sub in ("", "hooks", "info"):
            d = os.path.join(root, ".git", sub)
            try:
                names = sorted(os.listdir(d))[:512]
            except OSError:
                continue
            self.budget.spend(words=DIR_COST)
            rels += [os.path.join(".git", sub, n) for n in names]
        # the first name of a file wins (the walk's order; secrets keep the last), at most 1,024
        return linked_inodes(self.ws, reversed(rels[:1024]), limit=1024)

    def _links_out(self, real: str) -> bool:
        """The existing regular file ``real`` has more hard links than the workspace holds
        names for it: one is elsewhere (or the tree is too large to count them)."""
        if self.ws.virtual:
            return False
        try:
            st = os.stat(real)
        except OSError:
            return False
        if st.st_nlink < 2 or not stat.S_ISREG(st.st_mode):
            return False
        if self._link_counts is None:
            counts: dict[tuple[int, int], int] = {}
            try:
                scan = scan_tree(
                    self.ws,
                    self.ws.root,
                    lambda rel: hardlinked(self.ws, rel),
                    skip_vendor=False,
                    spend=lambda n: self.budget.spend(words=DIR_COST * n),
                )
            except TooManyPaths:
                self._link_counts = {}
                return True
            for rel in scan.matches:
                try:
                    other = os.stat(os.path.join(self.ws.root, rel), follow_symlinks=False)
                except OSError:
                    continue
                key = (other.st_dev, other.st_ino)
                counts[key] = counts.get(key, 0) + 1
            self._link_counts = counts
        if not self._link_counts:
            return True
        return self._link_counts.get((st.st_dev, st.st_ino), 0) < st.st_nlink

    def _links_out_under(self, absolute: str) -> list[str]:
        """Files under ``absolute`` (vendor directories left out, as tree reads leave them)
        whose reading reads a file outside the workspace (``_reads_out``). The walk that picks
        files with more than one link is the hard-alias walk's, reused while no directory of
        the tree changes (a new name made in the workspace changes its directory)."""
        if self.ws.virtual:
            return []
        scan = self._scan(
            absolute, lambda rel: hardlinked(self.ws, rel), ("hard-linked", True), True
        )
        return [r for r in scan.matches if self._reads_out(os.path.join(self.ws.root, r))]

    def _reads_out(self, real: str) -> bool:
        """Reading the existing file ``real`` reads a file outside the workspace: a regular
        file with hard links the workspace holds no name for, unless it is a package cache's
        world-readable file in a vendor directory (uv's and pnpm's installs link there). A
        hard link of `~/.ssh/id_rsa` or of another checkout's `.env` in the workspace (made on
        the host, by an archive, by a script in the weak fallback) was read by `cat notes.txt`,
        `grep -r`, the file tool (a twenty-ninth red-team pass; writes were already denied)."""
        try:
            st = os.stat(real)
        except OSError:
            return False
        if st.st_nlink < 2 or not stat.S_ISREG(st.st_mode):
            return False
        rel = self.ws.rel(real)
        vendor = any(p in VENDOR_DIRS for p in rel.split("/")[:-1])
        if vendor and st.st_mode & stat.S_IROTH:
            return False
        return self._links_out(real)

    def _same_as_secret(self, real: str) -> str:
        """The secret file the existing file ``real`` is another hard link of, or ""."""
        if self.cfg.secret_set is None or self.ws.virtual:
            return ""
        return _twin(real, self._secret_inodes)

    def _secrets_in_tree(self, absolute: str, depth: int = 0) -> list[tuple[str, str]]:
        """(name, secret) for every secret under ``absolute``: by name, as a hard link of a
        secret elsewhere, or through a symlink to a secret (or to a directory holding one),
        which programs that follow links read (`grep -R`, `zip -r`, `diff -r`)."""
        scan = self._secret_scan(absolute)
        out = [(r, r) for r in scan.matches]
        if depth == 0 and not self.ws.virtual:
            # Tree walks skip `.git` (VENDOR_DIRS), where git's configuration files holding a
            # credential are; `grep -r ghp_ .` (viewer) printed .git/config's token (a
            # thirty-seventh red-team pass). Those `credential_files` lists (stamped, bounded)
            # are in the tree when they are below its top.
            base = self.ws.rel(absolute)
            prefix = "" if base in ("", ".") else base.rstrip("/") + "/"
            out += [(r, r) for r in credential_files(self.ws.root) if r.startswith(prefix)]
        out += hard_aliases(self.ws, absolute, self._secret_inodes(), True)
        if depth < MAX_DEPTH:
            out += link_aliases(
                self.ws,
                scan.links,
                lambda rel: self._secret((rel,)),
                lambda target: tuple(s for _, s in self._secrets_in_tree(target, depth + 1)),
            )
        return out

    def _secret_scan(self, absolute: str) -> TreeScan:
        """Every secret file (and link out) under ``absolute``, reused while the tree stays."""
        return self._scan(absolute, lambda rel: self._secret((rel,)), self.cfg.secret_set)

    def _stdin_words_ok(self, name: str, w: Word, label: str, mode: str = "") -> bool:
        """Names a known producer prints, as words of ``name`` (``producer | xargs cat``,
        ``for f in $(git ls-files); do wc -l "$f"; done``): acceptable when every name the
        producer can print is a plain word (no blank, quote, backslash or glob character that
        xargs or word splitting would act on, no leading ``-`` or ``@`` that makes it an
        option), none is a secret file, and none is a link out of the workspace. For a program
        that changes its arguments (``mode`` other than read) every name it can be given is
        also checked as a write or removal (`find . | xargs rm -rf` reaches .git)."""
        if name in _NEVER_OPEN:
            return True
        if w.text == STDIN_ARGUMENTS:
            up = self._upstream
            if up is None or not up.words or any(x.dynamic for x in up.words):
                return False
            words = [x.text for x in up.words]
        elif w.text.startswith(NAMES_MARKER):
            words = w.text[len(NAMES_MARKER) :].split("\0")
        else:
            return False
        mode = mode or self._mode(name)
        try:
            ok = self._printed_names_ok(name, words[0], tuple(words[1:]), label, mode)
        except TooManyPaths:
            return False
        if ok:
            self._name_uses.append((self._serial, self._conc, label))
        return ok

    def _printed_names_ok(
        self, name: str, program: str, texts: tuple[str, ...], label: str, mode: str
    ) -> bool:
        produced = name_producer(program, texts)
        if produced is None:
            return False
        starts, kind = produced
        if any(not _PLAIN_NAME.match(s) for s in starts):
            return False
        if kind == "index":
            # git names come from .git/index (and HEAD's tree for --cached), not from a walk:
            # ls-files prints those under the current directory relative to it, diff prints
            # them relative to the repository, and the consumer opens them from its directory.
            if starts != ["."]:
                return False
            if self.ws.virtual:
                return True
            tracked = git_index(self.ws.root)
            if tracked is None:
                return False
            names = list(tracked)
            if texts[0] == "diff" and any(t in ("--cached", "--staged") for t in texts):
                head = git_head_names(self.ws.root)  # the index against HEAD: names of both
                if head is None:
                    return False
                names += [n for n in head if n not in tracked]
            for cwd in self.cwds:
                pre = self.ws.rel(cwd)
                pre = pre + "/" if pre else ""
                if texts[0] == "ls-files":
                    pairs = [(n[len(pre) :], n) for n in names if n.startswith(pre)]
                else:
                    pairs = [(n, pre + n) for n in names]
                problems = self._tracked_problems(tracked, pairs)
                if problems:
                    return self._names_verdict(name, program, ".", problems, label)
                if not self._names_as_paths([t for _, t in pairs], mode, name, label):
                    return True  # decided (denied)
            return True
        filters = (find_filters(texts) or []) if kind == "find" else []
        skip_hidden = False
        if kind == "search":
            search = search_of(program, texts)
            skip_hidden = not isinstance(search, str) and not search.hidden

        def printable(rel: str, base: str) -> bool:
            if filters and not all(f.match(rel) for f in filters):
                return False
            return not (skip_hidden and _hidden_below(rel, base))

        for start in starts:
            for cwd in self.cwds:
                res = self.ws.resolve(start, cwd)
                if not res.inside:
                    return False
                if self.ws.virtual:
                    continue
                if not os.path.isdir(res.real):
                    # a file start is printed as itself (`ls .env`, `find notes.md`)
                    if self._secret(res.rels, True):
                        return self._names_verdict(
                            name, program, start, [(res.rels[-1], "secret")], label
                        )
                    if not self._names_as_paths([res.rels[-1]], mode, name, label):
                        return True  # decided (denied)
                    continue
                self.budget.spend(words=GLOB_COST)  # a tree walk (bounded by TREE_LIMIT)
                scan = self._scan(res.real, self._odd_name, self._names_key, skip_vendor=False)
                self.budget.spend(words=len(scan.matches) + len(scan.links))
                base = self.ws.rel(res.real)
                odd = [r for r in scan.matches if printable(r, base)]
                # search tools (rg, grep -l) print regular files only: their links are not names
                links = (
                    [r for r in scan.links_out if printable(r, base)] if kind != "search" else []
                )
                problems = [(r, "secret" if self._secret((r,)) else "odd") for r in odd]
                problems += [(r, "link") for r in links if not self._harmless_link(name, r)]
                # other names of a secret: hard links, and (for programs that open what they
                # are given, following links) symlinks to one
                aliases = hard_aliases(self.ws, res.real, self._secret_inodes(), False)
                if kind != "search":
                    aliases += link_aliases(
                        self.ws,
                        scan.links,
                        lambda rel: self._secret((rel,)),
                        lambda target: tuple(s for _, s in self._secrets_in_tree(target)),
                    )
                problems += [(r, "secret") for r, _ in aliases if printable(r, base)]
                if problems:
                    return self._names_verdict(name, program, start, problems, label)
                if mode != "read":
                    every = self._scan(res.real, _any_name, "every-name", skip_vendor=False)
                    self.budget.spend(words=len(every.matches))  # as for find -delete
                    names = [r for r in every.matches if printable(r, base)]
                    if kind == "find" and printable(os.path.basename(res.rels[0]) or ".", ""):
                        names.append(res.rels[0])  # find prints its start point too
                    if not self._names_as_paths(names, mode, name, label):
                        return True  # decided (denied)
        return True

    def _removes_found(self, name: str, start: str, texts: tuple[str, ...], label: str) -> None:
        """``find START … -delete``: every name under START its tests can pick (and START
        itself, when they pick it) is a removal, checked like ``rm`` (protected paths, the
        workspace root)."""
        filters = find_filters(texts) or []

        def picked(rel: str) -> bool:
            return all(f.match(rel) for f in filters)

        if picked(os.path.basename(start.rstrip("/")) or "."):
            self._path(start, "remove", name, label)  # `find CLAUDE.md -delete`, `find . -delete`
        else:
            self._path(start.rstrip("/") + "/found", "remove", name, label)  # outside it?
        if self.ws.virtual:
            return
        try:
            for cwd in self.cwds:
                res = self.ws.resolve(start, cwd)
                if not res.inside or not os.path.isdir(res.real):
                    continue
                self.budget.spend(words=GLOB_COST)
                every = self._scan(res.real, _any_name, "every-name", skip_vendor=False)
                # one budget word per name looked at: sixty `find . -delete` over a 15,000-file
                # tree ran to the 2 s deadline (a fourth red-team pass); now the word cap stops
                # them in a fraction of it
                self.budget.spend(words=len(every.matches))
                names = [r for r in every.matches if picked(r)]
                if not self._names_as_paths(names, "remove", name, label):
                    return
        except TooManyPaths as exc:
            self._undecidable(label, f"'{name} -delete' removes what it finds: {exc}")

    def _names_as_paths(self, rels: list[str], mode: str, name: str, label: str) -> bool:
        """Check each workspace-relative name as a path ``name`` changes; False once denied."""
        if mode == "read":
            return True
        path_mode = "remove" if mode == "remove" else "write"
        before = len(self.findings)
        into = getattr(self, "_into_dest", None)
        for rel in rels:
            if into is not None:
                self._path(f"{into}/{os.path.basename(rel) or '.'}", path_mode, name, label)
            else:
                self._path(
                    os.path.join(self.ws.root, rel) if rel else self.ws.root,
                    path_mode,
                    name,
                    label,
                )
            if len(self.findings) > before:
                return False
        return True

    def _names_verdict(
        self, name: str, program: str, start: str, problems: list[tuple[str, str]], label: str
    ) -> bool:
        """True: decided (denied for a secret or a link out); False: a name that would not
        reach ``name`` as one plain word (undecidable)."""
        if any(what == "odd" for _, what in problems):
            return False
        rel, what = problems[0]
        self._deny(
            SECRET_RULE if what == "secret" else "exec.path-outside-workspace",
            f"'{name}' opens the file names '{program}' prints, and '{rel}' under '{start}' is "
            + ("a secret file" if what == "secret" else "a link out of the workspace"),
            label,
        )
        return True

    def _odd_name(self, rel: str) -> bool:
        """A path a walk picks for a name producer: a secret, or a name that is not plain."""
        return not _PLAIN_NAME.match(rel) or self._secret((rel,))

    @property
    def _names_key(self) -> object:
        return ("printed-names", id(self.cfg))

    def _harmless_link(self, name: str, rel: str) -> bool:
        """A link out to a read-only system path (`.venv/bin/python`), for a program that only
        reads the names it is given."""
        if self._mode(name) != "read":
            return False
        real = realpath(os.path.join(self.ws.root, rel))
        return under_prefix(real, self.cfg.read_only_prefixes)

    def _tracked_problems(
        self, tracked: dict[str, int], pairs: list[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        """(printed name, workspace path it opens) pairs that are not plain, are secrets, or
        lead out of the workspace through a link in the work tree (each directory once)."""
        if len(pairs) > TREE_LIMIT:
            raise TooManyPaths(f"more than {TREE_LIMIT} tracked files")
        self.budget.spend(words=GLOB_COST)
        out: list[tuple[str, str]] = []
        dirs: set[str] = set()
        root = self.ws.root
        for printed, rel in pairs:
            if not _PLAIN_NAME.match(printed) or not _PLAIN_NAME.match(rel):
                return [(printed, "odd")]
            if self._secret((rel,)):
                out.append((rel, "secret"))
                continue
            parent = rel.rpartition("/")[0]
            if parent not in dirs:
                dirs.add(parent)
                if parent and self._leads_out(parent):
                    out.append((parent, "link"))
                    continue
            if tracked.get(rel) == 0o120000 or os.path.islink(os.path.join(root, rel)):
                if self._leads_out(rel):
                    out.append((rel, "link"))
        return out

    def _leads_out(self, rel: str) -> bool:
        real = realpath(os.path.join(self.ws.root, rel))
        return not self.ws.contains(real)

    # ---- protected paths ------------------------------------------------------------------
    def _protected(self, res: Resolved, mode: str) -> bool:
        protected = self.cfg.protected_set
        compiled = self.cfg.compiled_set if mode != "remove" else None
        for rel in res.rels:  # a Resolved's rels hold their folded spellings already
            if protected is not None and protected.match(rel):
                return True
            # Bytecode runs instead of its reviewed source (sixteenth pass): no writes,
            # removals allowed (`find . -name '*.pyc' -delete`).
            if compiled is not None and compiled.match(rel):
                return True
            # Changing a directory changes the protected paths below it (`mv .git x`).
            if mode != "read" and rel and rel.lower() in self.cfg.protected_prefixes:
                return True
            if mode == "remove" and not rel:
                return True
        if self.dependency_manifest and all(
            r.rpartition("/")[2].lower() == "package.json" for r in res.rels
        ):
            # A package.json that CI runs by name (``repo_runs._run_by_path``) is bound read-only
            # in the sandbox: a package manager's dependency write there fails by effect
            # (EROFS), so `npm ci`, `yarn build` and `npm install` with nothing to add work.
            return False
        # The directory the repository's core.hooksPath names runs like .git/hooks.
        # (repo_runs, with the task-file, script and python readers it imports, ~10 modules, is
        # imported where it is used: most decisions never reach here; stop 46.)
        from enforcement_agent.policy.repo_runs import in_repo_protected

        return in_repo_protected(self.ws, res.rels, mode)

    def _protected_pick(self, protected: GlobSet) -> tuple[Callable[[str], bool], object]:
        """What a tree walk looking for protected files picks, and its scan key: the patterns'
        paths and the repository's own (``repo_runs.repo_protected``: the scripts CI, hooks
        and task files run by path, core.hooksPath). A forty-eighth red-team pass: the walks
        took the patterns only, so `shfmt -w .`, `black .` or `prettier --write .` rewrote
        `ci/run.sh`, which CI runs (`shfmt -w ci` was refused)."""
        from enforcement_agent.policy.repo_runs import repo_protected, under_repo_protected

        repo = repo_protected(self.ws)

        def pick(rel: str) -> bool:
            forms = spellings((rel,))
            if any(protected.match(r) for r in forms):
                return True
            return bool(repo) and any(under_repo_protected(r.lower(), repo, "read") for r in forms)

        return pick, ((protected, repo) if repo else protected)

    def _protected_under(self, absolute: str) -> str:
        """A protected path inside the directory ``absolute`` (bounded walk), or ""."""
        if self.ws.virtual or not os.path.isdir(absolute) or os.path.islink(absolute):
            return ""
        protected = self.cfg.protected_set
        if protected is None:
            return ""
        pick, key = self._protected_pick(protected)
        found = self._scan(absolute, pick, key).matches
        return found[0] if found else ""

    def _rewritten_tree(
        self,
        name: str,
        raw: str,
        formats: tuple[re.Pattern[str], ...],
        own_globs: bool,
        label: str,
    ) -> None:
        """A formatter given a directory (or working on the current one by itself, or given a
        glob it expands itself) rewrites every file of its types below it: a protected one
        among them needs a human (a fifth red-team pass: `ruff check --fix .` with the
        workspace's `required-imports` put an import into `.github/scripts/*.py` and
        `sitecustomize.py`; `prettier --write .` normalises `CLAUDE.md`)."""
        protected = self.cfg.protected_set
        if self.ws.virtual or protected is None or not formats:
            return
        start, pattern = raw, None
        if raw == "..." or raw.endswith("/..."):  # `go fmt ./...`: the packages below
            start = raw[:-3].rstrip("/") or "."
        if own_globs and (has_glob(raw) or any(c in raw for c in _OWN_GLOB_CHARS)):
            # braces, extglobs and backslash escapes are glob syntax to fast-glob/micromatch:
            # `prettier --write 'CLAUD{E,x}.md'` (`+(CLAUDE.md)`, `CLAUD\E.md`) rewrote
            # CLAUDE.md, read as a literal name (a thirty-fifth red-team pass, prettier 3)
            start, pattern = _glob_root(raw)
        try:
            for cwd in self.cwds:
                res = self.ws.resolve(start, cwd)
                if not res.inside or not os.path.isdir(res.real):
                    continue
                self.budget.spend(words=GLOB_COST)
                pick, key = self._protected_pick(protected)
                scan = self._scan(res.real, pick, key)
                base = self.ws.rel(res.real)
                hits = list(scan.matches)
                for link in scan.links:  # a link inside to a protected file is that file
                    real = realpath(os.path.join(self.ws.root, link))
                    if self.ws.contains(real) and pick(self.ws.rel(real)):
                        hits.append(link)
                for rel in hits:
                    full = os.path.join(self.ws.root, rel)
                    if os.path.isdir(full):
                        continue
                    names = {
                        os.path.basename(rel).lower(),
                        os.path.basename(realpath(full)).lower(),
                    }
                    if not any(f.match(n) for f in formats for n in names):
                        continue
                    inner = rel[len(base) + 1 :] if base and rel.startswith(base + "/") else rel
                    if pattern is not None and not pattern.match(inner):
                        continue
                    self._add(
                        Verdict.ASK,
                        PROTECTED_RULE,
                        f"'{name}' rewrites the files of its types under '{raw}', and "
                        f"'{rel}' there is a protected path (git hooks/config, CI, agent or "
                        "editor configuration): name the directories or files to format, or "
                        "have a human approve",
                        label,
                    )
                    return
        except TooManyPaths as exc:
            self._undecidable(label, f"'{name}' rewrites the files under '{raw}': {exc}")

    def _httpie(self, name: str, args: list[Word], label: str) -> bool:
        """HTTPie (`http`, `https`, `xh`): request items `field@FILE`, `field=@FILE`,
        `field:=@FILE` send FILE's contents (a fifth red-team pass: `http POST URL
        a@/etc/shadow` was allowed while curl's uploads are denied); `-o FILE` and `--session
        PATH` write; `--download` without `-o` names its file from the response.

        Options are read wherever they stand, as argparse (HTTPie) and clap (xh) read them,
        until `--`, and HTTPie's long options only spelled out in full (argparse takes any
        unique prefix): a thirtieth red-team pass found `http URL --output=F`, `http URL
        -oF`, `http URL --session F` and `http --outp F URL` allowed (HTTPie 3.2.4 wrote F)."""
        download = output = False
        positional = 0
        ended = False
        i = 0
        while i < len(args):
            w, t = args[i], args[i].text
            i += 1
            head, value = "", ""
            if not ended and t == "--":
                ended = True
                continue
            if not ended and t.startswith("--") and len(t) > 2:
                head, eq, value = t.partition("=")
                long = head[2:]
                known = long in _HTTPIE_LONG or (long[:3] == "no-" and long[3:] in _HTTPIE_LONG)
                if name in ("http", "https") and not known:
                    self._undecidable(
                        label,
                        f"'{name} {head}' is not one of HTTPie's long options spelled out in "
                        "full (HTTPie reads a unique prefix of any of them)",
                    )
                    return False
                if long in HTTPIE_LONG_VALUES and not eq:
                    if i >= len(args):
                        break
                    value, w = args[i].text, args[i]
                    i += 1
            elif not ended and t.startswith("-") and len(t) > 1:
                for k, ch in enumerate(t[1:], start=1):
                    if ch == "d":
                        download = True
                    elif ch in HTTPIE_SHORT_VALUES:
                        head, value = "-" + ch, t[k + 1 :]
                        if not value:
                            if i >= len(args):
                                break
                            value, w = args[i].text, args[i]
                            i += 1
                        break
            else:
                positional += 1
                sep = httpie_separator(t)
                if sep in ("@", "=@", ":=@", "==@", ":@"):
                    self._deny(
                        "exec.net.upload",
                        f"'{name}' sends the contents of a file ('{t}'): uploading files or "
                        "reading request bodies from files (exfiltration)",
                        label,
                    )
                    return False
                continue
            if head == "--download":
                download = True
            elif head in ("-o", "--output", "--session", "--session-read-only"):
                if w.dynamic:
                    self._undecidable(label, f"'{name} {head}' names a file computed at run time")
                    return False
                if head in ("-o", "--output"):
                    output = True
                    self._path(value, "write", name, label)
                elif "/" in value or value.endswith(".json"):
                    self._path(value, "write" if head == "--session" else "read", name, label)
        if download and not output:
            self._undecidable(
                label, f"'{name} --download' names the file it writes from the server's answer"
            )
            return False
        return True

    def _option_file_secret(self, name: str, option: str, raw: str, label: str) -> None:
        """A file a program reads as an option's value is a secret read when the secret list
        names it (for git, whose other words are refs and pathspecs read per subcommand)."""
        for cwd in self.cwds:
            res = self.ws.resolve(raw, cwd)
            if self._secret(res.rels, True) or self._secret((raw.lstrip("./"),), True):
                self._deny(
                    SECRET_RULE,
                    f"'{name} {option} {raw}' reads a secret file (files.secrets); no command "
                    "may read, copy or change it",
                    label,
                )
                return

    def _script_words(self, name: str, words: list[str], label: str) -> None:
        """Words a runner hands to a package script (`npm run fmt -- CLAUDE.md`, `tox -e fmt
        -- CLAUDE.md`, `yarn fmt CLAUDE.md`): what the script does with them is in the
        workspace's configuration, so a protected name among them (also `--opt=NAME`) needs a
        human (a fifth red-team pass)."""
        if self.ws.virtual:
            return
        for t in words:
            value = t.partition("=")[2] if t.startswith("-") else t
            if not value or value.startswith("-") or "://" in value:
                continue
            self.budget.spend(words=PATH_COST)
            for cwd in self.cwds:
                for target in self._expansions(value, cwd):
                    res = self.ws.resolve(target, cwd)
                    if res.inside and self._protected(res, "write"):
                        self._add(
                            Verdict.ASK,
                            PROTECTED_RULE,
                            f"'{name}' hands '{t}' to a script of the workspace, which may "
                            f"rewrite it: '{target}' is a protected path (git hooks/config, CI, "
                            "agent or editor configuration)",
                            label,
                        )
                        return

    def _tree_changes(self, name: str, args: list[Word], label: str) -> None:
        """Moving, copying or recursively changing a directory reaches the paths below it."""
        texts = tuple(w.text for w in args)
        recursive = any(short_flag(t, "rR") or long_prefix(t, "--recursive") for t in texts)
        if name == "cp":
            # cp's options read with its whole table (a seventeenth red-team pass: `cp
            # --archive .aws awsx` / `--arc` copied .aws/credentials to a name the secret
            # list does not cover, where `cp -a .aws awsx` was refused)
            names = option_names("cp", args)
            if isinstance(names, str):
                self._undecidable(label, names)
                return
            recursive = recursive or bool(names & {"-R", "-a"})
        if name in _RECURSIVE_CHANGERS and recursive:
            sources = plain_operands(texts)[1:] if name != "chattr" else plain_operands(texts)
        elif name in _TREE_MOVERS and (
            name in ("mv", "rsync") or recursive or short_flag(texts, "a")
        ):
            # `mv -t DIR SRC…`: every operand is a source (a fourth red-team pass)
            found = copy_sources(name, args) if name in ("cp", "mv") else None
            sources = plain_operands(texts)[:-1] if found is None else found
        else:
            return
        self._moved_trees(name, sources, label)

    def _bytecode_writes(self, texts: tuple[str, ...], label: str) -> None:
        """`python -m compileall DIR` writes bytecode beside every `*.py` below DIR (in its
        `__pycache__`, with `-b` beside the file), following links to folders: a protected
        source there, or one in a protected folder, gets bytecode an interpreter may run
        instead of it (a fortieth red-team pass: `compileall --invalidation-mode
        unchecked-hash .` made `.github/scripts/__pycache__/helper…pyc`, which python went on
        running after the reviewed helper.py changed). A start that is such a file is the
        spec's write check."""
        starts = compileall_dirs(texts)
        if starts is None:
            return
        protected = self.cfg.protected_set
        # `-l`, `-r N`: sources at most that many folders below the start (forty-first pass:
        # `compileall -l .` compiles the top's `*.py` only, and was refused)
        levels = compileall_levels(texts)
        top = [""]  # the start being walked, from the workspace's top

        def shallow(rel: str, extra: int = 0) -> bool:
            below = rel[len(top[0]) + 1 :] if top[0] else rel
            return levels is None or below.count("/") + extra <= levels

        def guarded(rel: str) -> bool:
            folder = rel.rpartition("/")[0]
            cache = f"{folder}/__pycache__" if folder else "__pycache__"
            names = spellings((rel, cache, f"{cache}/x.pyc"))
            if protected is not None and any(protected.match(r) for r in names):
                return True
            from enforcement_agent.policy.repo_runs import in_repo_protected  # used here only

            return in_repo_protected(self.ws, (rel,), "write")

        def pick(rel: str) -> bool:
            full = os.path.join(self.ws.root, rel)
            if os.path.islink(full):
                real = realpath(full)
                if not self.ws.contains(real) or not os.path.isdir(real):
                    return (
                        rel.endswith(".py") and self.ws.contains(real) and shallow(rel)
                    ) and guarded(rel)
                # (a linked folder's sources are one level further down; walked whole)
                return shallow(rel, 1) and bool(self._scan(real, pick_py, "bytecode").matches)
            return rel.endswith(".py") and shallow(rel) and guarded(rel)

        def pick_py(rel: str) -> bool:
            # (below a linked folder: a further link to a folder is not walked; fail closed)
            full = os.path.join(self.ws.root, rel)
            if os.path.islink(full):
                return os.path.isdir(full) or rel.endswith(".py") and guarded(rel)
            return rel.endswith(".py") and guarded(rel)

        for start in starts:
            for cwd in self.cwds:
                for target in self._expansions(start, cwd):
                    res = self.ws.resolve(target, cwd)
                    if not res.inside or not os.path.isdir(res.real):
                        continue
                    top[0] = "" if res.real == self.ws.root else self.ws.rel(res.real)
                    key = ("bytecode-links", levels)
                    found = self._scan(res.real, pick, key, skip_vendor=False)
                    if found.matches:
                        self._deny(
                            PROTECTED_RULE,
                            f"'compileall' writes bytecode for '{found.matches[0]}' under "
                            f"'{start}', a protected path (git hooks/config, CI, agent or "
                            "editor configuration): an interpreter may run it instead of the "
                            "reviewed source",
                            label,
                        )
                        return

    def _moved_trees(self, name: str, sources: list[str], label: str) -> None:
        for src in sources:
            for cwd in self.cwds:
                for target in self._expansions(src, cwd):
                    res = self.ws.resolve(target, cwd)
                    if not res.inside:
                        continue
                    hit = self._protected_under(res.real)
                    if hit:
                        self._deny(
                            PROTECTED_RULE,
                            f"'{name}' reaches '{hit}' under '{src}', a protected path (git "
                            "hooks/config, CI, agent or editor configuration)",
                            label,
                            destructive=name == "mv",
                        )
                        return
                    secret = self._secret_moved(name, res.real)
                    if secret:
                        self._deny(
                            SECRET_RULE,
                            f"'{name}' copies or moves the secret file '{secret}' under '{src}' "
                            "to a name the secret list may not cover (`mv .aws awsx`)",
                            label,
                        )
                        return

    def _secret_moved(self, name: str, absolute: str) -> str:
        """A secret file inside the directory ``absolute`` that ``mv``/``cp -r``/``rsync``
        would carry to a new name (a fourth red-team pass: `mv .aws awsx` made
        `awsx/credentials`, which no secret pattern names), or ""."""
        if (
            name not in _TREE_MOVERS
            or self.cfg.secret_set is None
            or self.ws.virtual
            or not os.path.isdir(absolute)
            or os.path.islink(absolute)
        ):
            return ""
        found = self._secret_scan(absolute).matches
        if found:
            return found[0]
        if name == "mv":
            return ""  # a moved hard link is still the secret's inode: its reads are checked
        # A copy of a hard link of a secret is a new file with the secret's content and one
        # link, under a name no pattern matches and no twin check finds any more (a
        # thirteenth red-team pass: `cp -r vendor out` copied `vendor/bar/data.txt`, a twin
        # of `.env`, and `cat out/bar/data.txt` printed it). Vendor directories are walked
        # too: the walk runs only while a secret has other links.
        aliases = hard_aliases(self.ws, absolute, self._secret_inodes(), False)
        if aliases:
            return f"{aliases[0][1]}' (as '{aliases[0][0]}"
        # so is a copy of a hard link of a file outside the workspace (twenty-ninth pass)
        out = self._links_out_under(absolute)
        return f"{out[0]}' (a hard link of a file outside the workspace" if out else ""

    # ---- archives, patches, git -----------------------------------------------------------
    def _extraction(self, name: str, args: list[Word], label: str) -> None:
        texts = tuple(w.text for w in args)
        if name in ("tar", "bsdtar"):
            if not extracts(name, texts):
                return
            archive, directory = tar_operands(texts, name)
            if "--to-stdout" in texts or ("O", None) in tar_argv(name, texts).letters:
                return  # to stdout: writes nothing
            renames = tar_renames(texts)
            if renames is None:
                self._undecidable(
                    label,
                    f"'{name}' renames the members it extracts (--transform, -s): where they "
                    "land is not in the command",
                )
                return
            self._members(name, archive, directory, label, renames)
        elif name == "unzip":
            unzip = unzip_args(texts)
            if isinstance(unzip, str):
                self._undecidable(label, unzip)
            elif not unzip.lists:  # lists, tests or prints: writes nothing
                self._members(name, unzip.archive, unzip.directory, label, junk=unzip.junk)
        elif name == "jar":
            jar = jar_args([Word(t) for t in texts])
            if isinstance(jar, str):
                self._undecidable(label, jar)
            elif jar.extracts:
                self._members(name, jar.archive, ".", label)
        elif name in ("7z", "7za", "7zr", "cpio", "pax", "ar", "unrar", "dpkg-deb"):
            writes = {
                "7z": ("x", "e"), "7za": ("x", "e"), "7zr": ("x", "e"), "unrar": ("x", "e"),
                "ar": ("x",), "dpkg-deb": ("-x", "-R", "--extract", "--raw-extract"),
            }.get(name)  # fmt: skip
            if (
                (writes and any(t in writes or t.lstrip("-").startswith(writes) for t in texts[:2]))
                or name in ("cpio", "pax")
                and any(short_flag(t, "ir") or t == "--extract" for t in texts)
            ):
                self._undecidable(
                    label, f"'{name}' extracts files whose names are inside the archive"
                )
        else:
            self._decompression(name, texts, label)

    def _members(
        self,
        name: str,
        archive: str | None,
        directory: str,
        label: str,
        strip: int = 0,
        junk: bool = False,
    ) -> None:
        if archive is None or archive == "-":
            self._undecidable(label, f"'{name}' extracts an archive read from stdin")
            return
        for cwd in self.cwds:
            res = self.ws.resolve(archive, cwd)
            if self.ws.virtual:
                continue
            if self._serial == 1 and not self._conc and not os.path.lexists(res.real):
                # The first command of the line, nothing beside it: no command of this line
                # can make the archive, and the extractor cannot open a missing one.
                continue
            self._note_content_use(archive, label)
            reader = {"tar": "tar", "unzip": "zip", "jar": "zip"}.get(name, "any")
            members = archive_members(res.real, reader=reader)
            if members.problem:
                self._undecidable(label, f"'{name}' extracts '{archive}': {members.problem}")
                return
            for m in members.names:
                dest = member_destination(m)
                if dest is None:
                    self._undecidable(label, f"archive member {m!r} climbs out with '..'")
                    return
                if strip:  # --strip-components=N drops N leading components (or the member)
                    dest = "/".join(dest.split("/")[strip:])
                # unzip -j writes the last component alone; a `-j` after the archive is a
                # member name to unzip 6.0, not the flag, so both names are checked
                for out in (dest, dest.rstrip("/").rpartition("/")[2]) if junk else (dest,):
                    if out:
                        self._path(f"{directory.rstrip('/')}/{out}", "write", name, label)

    def _decompression(self, name: str, texts: tuple[str, ...], label: str) -> None:
        if name in WRITERS:
            return  # gzip and its kin: write_targets reads their options as they do
        if any(t.startswith(("--filelist", "--files")) for t in texts):
            # `zstd -d --filelist list`: the names it writes (and, with --rm, removes) are
            # read from a file (a fourth red-team pass had it write CLAUDE.md from a listed
            # CLAUDE.md.zst)
            self._undecidable(label, f"'{name}' reads the names it writes from a file")
            return
        if name in COMPRESSOR_TABLES:
            self._table_decompression(name, texts, label)
            return
        tool = name
        if name in _COMPRESSORS and any(
            t in ("-d", "--decompress", "--uncompress") or short_flag(t, "d") for t in texts
        ):
            tool = _COMPRESSORS[name]
        suffixes = _DECOMPRESSORS.get(tool)
        if suffixes is None or any(
            t in ("-c", "--stdout", "--to-stdout") or short_flag(t, "c") for t in texts
        ):
            return
        if any(t in ("-r", "--recursive") or short_flag(t, "r") for t in texts):
            self._undecidable(label, f"'{name} -r' decompresses every file below a directory")
            return
        for t in plain_operands(texts):
            if any(c in t for c in "*?["):
                # the name written is derived from each match (`zstd -d gz/*.gz` writes
                # gz/CLAUDE.md while `gz/*` matches no protected file)
                self._undecidable(label, f"'{name}' writes names derived from the glob {t}")
                return
            for suffix in suffixes:
                if t.endswith(suffix):
                    out = t[: -len(suffix)] + (".tar" if suffix.startswith(".t") else "")
                    self._path(out, "write", name, label)

    def _table_decompression(self, name: str, texts: tuple[str, ...], label: str) -> None:
        """zstd and bzip2 read with their option tables (a seventeenth red-team pass: the
        letters of an attached value were read as options, so `zstd -d -osrc/../CLAUDE.md
        x.zst` (the `c` of `src`: "to stdout") wrote CLAUDE.md unchecked, and an attached
        `-o` was never checked as a write at all)."""
        args = compressor_args(name, [Word(t) for t in texts])
        if isinstance(args, str):
            self._undecidable(label, args)
            return
        for out in args.outputs:
            if out != "-":
                self._path(out, "write", name, label)
        if args.no_file:
            return
        if args.recursive:
            self._undecidable(label, f"'{name} -r' writes a file for every file below a directory")
            return
        if args.outputs or not args.decompress:
            return
        suffixes = _DECOMPRESSORS.get(_COMPRESSORS.get(name, name))
        if suffixes is None:
            tool = {"zstdcat": "unzstd", "zstdmt": "unzstd", "bzcat": "bunzip2"}.get(name, "")
            suffixes = _DECOMPRESSORS.get(tool, ())
        for w in args.operands:
            t = w.text
            if w.glob or any(c in t for c in "*?["):
                self._undecidable(label, f"'{name}' writes names derived from the glob {t}")
                return
            for suffix in suffixes:
                if t.endswith(suffix):
                    out = t[: -len(suffix)] + (".tar" if suffix.startswith(".t") else "")
                    for d in args.output_dirs:  # flat: the name; mirror: the path, under DIR
                        self._path(os.path.join(d, os.path.basename(out)), "write", name, label)
                        self._path(os.path.join(d, out.lstrip("/")), "write", name, label)
                    if not args.output_dirs:
                        self._path(out, "write", name, label)
                    break

    def _patch(self, texts: tuple[str, ...], label: str) -> None:
        # read with patch's whole option table, as its getopt reads it (a sixteenth red-team
        # pass: `patch -ti evil.diff`, `--inp evil.diff`, `-d.git`, `--strip 1` were read as
        # `patch FILE` or with the wrong directory, and the diff's files were never checked)
        args = patch_args([Word(t) for t in texts])
        if isinstance(args, str):
            self._undecidable(label, args)
            return
        if args.dry_run:
            return
        if args.files:
            return  # `patch file.c fix.diff`: the file operand is checked as a write already
        self._patch_file(
            args.patchfile or self._stdin_file, args.strip, args.directory, "patch", label
        )

    def _patch_file(
        self, patchfile: str | None, strip: int | None, directory: str, name: str, label: str
    ) -> None:
        if patchfile is None:
            self._undecidable(label, f"'{name}' reads a patch from stdin: its files are unknown")
            return
        if self.ws.virtual:
            return
        for cwd in self.cwds:
            res = self.ws.resolve(patchfile, cwd)
            if not res.inside:
                return  # reading it is denied on its own
            self._note_content_use(patchfile, label)
            targets = patch_targets(res.real, strip)
            if targets.problem:
                self._undecidable(label, f"'{name}' applies '{patchfile}': {targets.problem}")
                return
            for t in targets.names:
                self._path(f"{directory.rstrip('/')}/{t}", "write", name, label)

    def _git_writes(self, texts: tuple[str, ...], label: str) -> None:
        """git commands that write named worktree paths are checked like any write."""
        directory, sub, rest = git_subcommand(texts)
        if any(t.startswith("--pathspec-from-file") for t in rest):
            self._undecidable(label, f"git {sub} reads its paths from a file")
            return
        if sub in _GIT_TREE_MOVERS:
            self._git_tree_moves(directory, sub, rest, label)
        if sub == "fsck" and "--lost-found" in rest:
            # writes every dangling blob's content (an old .env staged once) to a file
            self._path(os.path.join(directory, ".git", "lost-found"), "write", "git", label)
        if sub not in _GIT_WRITERS:
            return
        ops = [t for t in rest if t.startswith("-")]
        operands = git_operands(rest)

        def write(paths: list[str], mode: str = "write") -> None:
            for p in paths:
                self._path(p if directory == "." else f"{directory}/{p}", mode, "git", label)

        if sub == "mv":
            write(operands[:-1], "remove")
            write(operands[-1:])
            if len(operands) > 1:
                # into a folder each source lands as FOLDER/NAME (a forty-seventh red-team
                # pass: `git mv -f x/Makefile .` replaced the Makefile CI runs, allowed: only
                # `.`, the workspace's top, was checked)
                dest = operands[-1]
                at = dest if directory == "." else f"{directory}/{dest}"
                if len(operands) > 2 or dest.endswith("/") or self._may_be_dir(at):
                    base = dest.rstrip("/") or "/"
                    write([f"{base}/{os.path.basename(s.rstrip('/'))}" for s in operands[:-1]])
        elif sub == "worktree" and operands[:1] == ["move"]:
            # `git worktree move WT DIR` is `mv WT DIR` (its .git file and every protected file
            # under it go along): decided the same way (a ninth red-team pass; `remove` was
            # already decided like `rm -rf WT`)
            moved = [p if directory == "." else f"{directory}/{p}" for p in operands[1:-1]]
            write(operands[1:-1], "remove")
            write(operands[-1:] if len(operands) > 2 else [])
            self._moved_trees("mv", moved, label)
        elif sub == "rm" and "--cached" not in ops:
            write(operands, "remove")
        elif sub in ("checkout", "restore"):
            after = rest[rest.index("--") + 1 :] if "--" in rest else None
            if after is not None:
                write(list(after))
            elif sub == "restore" or "-b" not in ops and "-B" not in ops and "--orphan" not in ops:
                write(operands[1:] if sub == "checkout" and len(operands) > 1 else operands)
        elif sub in ("apply", "am"):
            # --check/--stat/--numstat/--summary turn applying off, but --apply turns it back
            # on wherever it stands (apply.c, check_apply_state): a sixteenth red-team pass
            # found `git apply --stat --apply x.diff` allowed; it wrote the CLAUDE.md the diff
            # names, where `git apply x.diff` was denied
            if "--apply" not in ops and any(
                t in ("--check", "--stat", "--numstat", "--summary", "--cached") for t in ops
            ):
                return
            if not operands:
                self._patch_file(self._stdin_file, None, directory, f"git {sub}", label)
            for p in operands:
                self._patch_file(p, None, directory, f"git {sub}", label)
        elif sub == "interpret-trailers":
            if "--in-place" in rest:  # rewrites each file it is given
                write(operands)
        elif sub == "submodule" and operands[:1] and operands[0] in _SUBMODULE_WRITES:
            write([_SUBMODULE_WRITES[operands[0]]])
        elif sub == "submodule" and operands[:1] == ["deinit"]:
            # removes each submodule's work tree (like rm -rf of its path)
            paths = [o for o in operands[1:] if o != "--"]
            if not paths or "--all" in rest:
                self._undecidable(label, "git submodule deinit removes every submodule's files")
            write(paths, "remove")
        elif sub in ("worktree", "clone", "init", "submodule"):
            creating = (
                sub == "worktree"
                and operands[:1] == ["add"]
                or sub == "clone"
                or sub == "init"
                or sub == "submodule"
                and operands[:1] in (["add"], ["update"], ["init"])
            )
            if creating:
                self._deny(
                    PROTECTED_RULE,
                    f"git {sub} writes a checkout or a repository whose .git, CI and agent "
                    "files are protected paths",
                    label,
                )
        elif sub in ("read-tree", "checkout-index") and (
            "-u" in ops or "-a" in ops or "--all" in ops or sub == "checkout-index"
        ):
            if operands and sub == "checkout-index":
                write(operands)
            else:
                self._undecidable(label, f"git {sub} writes files named in the index")

    def _git_transport(self, texts: tuple[str, ...], label: str) -> None:
        """A push, fetch or pull that talks to a repository on the local file system (its
        hooks run), or a remote added with a local URL: undecidable (git_remotes)."""
        directory, sub, rest = git_subcommand(texts)
        value_problem = config_value_problem(texts, sub, rest)
        if value_problem:
            self._undecidable(label, value_problem)
            return
        if sub == "remote":
            why = local_remote_url(rest)
            for cwd in () if why or self.ws.virtual else self.cwds:
                repo = self._repo_of(os.path.normpath(os.path.join(cwd, directory)))
                why = why or remote_contact(repo or None, rest)
        elif sub in TRANSPORT_SUBCOMMANDS:
            clobbers = fetch_forces_tags(sub, rest)
            if clobbers:
                self._deny(FETCH_FORCE_RULE, clobbers, label, destructive=True)
                return
            into = fetch_glob_into_local(sub, rest) or self._fetch_moves_branches(
                directory, sub, rest
            )
            if into:
                self._deny(FETCH_INTO_BRANCHES_RULE, into, label, destructive=True)
                return
            symbolic = self._symbolic_push_source(directory, sub, rest)
            if symbolic:
                self._undecidable(label, symbolic)
                return
            why = None
            # Another command of the line may create the directory a bare word names first
            # (`mkdir -p r/hooks … && git push r`); git's own commands of the line do not
            # choose such a name (and the sandbox refuses local transports whatever happens).
            alone = self._others_harmless(_REFLESS_GIT | _LINE_GIT)
            for cwd in self.cwds:
                start = os.path.normpath(os.path.join(cwd, directory))
                repo = None if self.ws.virtual else self._repo_of(start)
                exists = functools.partial(_may_exist, alone, start)
                why = why or local_repository(repo or None, sub, rest, exists)
        else:
            return
        if why:
            self._undecidable(label, why)

    def _git_head_target(self, texts: tuple[str, ...], label: str) -> None:
        """``git symbolic-ref HEAD REF`` points HEAD at REF, and the next commit, reset, merge
        or rebase moves REF: a branch's move is everyday (its reflog keeps the old value), but
        a tag, ``refs/stash`` or any other ref moved that way is a `tag -f` (a thirtieth
        red-team pass: `git symbolic-ref HEAD refs/tags/v1 && git commit` moved v1, which
        has no reflog). Only a branch may be HEAD's target."""
        _directory, sub, rest = git_subcommand(texts)
        if sub != "symbolic-ref":
            return
        operands: list[str] = []
        i = 0
        while i < len(rest):
            t = rest[i]
            if t == "--":
                operands.extend(rest[i + 1 :])
                break
            if t.startswith("--"):
                i += 1
                continue
            if t.startswith("-") and len(t) > 1:
                letters = t[1:]
                if "m" in letters and letters.index("m") == len(letters) - 1:
                    i += 1  # `-m REASON`: the next word is the reason
                i += 1
                continue
            operands.append(t)
            i += 1
        if len(operands) >= 2 and not operands[1].startswith("refs/heads/"):
            self._deny(
                OVERWRITE_BRANCH_RULE,
                f"git symbolic-ref points HEAD at {operands[1]!r}, which is not a branch: the "
                "next commit, reset or merge moves that ref (a tag or refs/stash has no "
                "reflog), like tag -f",
                label,
                destructive=True,
            )

    def _git_tree_moves(self, directory: str, sub: str, rest: tuple[str, ...], label: str) -> None:
        """checkout/switch/reset --hard/merge/pull ./cherry-pick/revert/rebase/stash pop/
        restore write every path where their source differs from the work tree: compared
        now (git_trees, never with the repository's configuration), each such path is
        checked as a protected write."""
        plan = tree_move_plan(sub, rest)
        if plan is None:
            return
        if plan == SEQUENCER_PLAN:
            self._git_sequencer(directory, sub, label)
            return
        if plan == PULL_PLAN:
            self._ask_pull(f"git {sub} merges commits it fetches from a remote", label)
            return
        if isinstance(plan, str):
            self._undecidable(label, plan)
            return
        if self.ws.virtual:
            return
        sources, pathspecs = plan
        if len(sources) > MAX_SOURCES:
            self._undecidable(label, f"git {sub} names more than {MAX_SOURCES} revisions")
            return
        # Refs, HEAD and the index are read now, before the line runs: `git branch -f safe
        # other && git checkout safe`, `git reset --soft other && git reset --hard`,
        # `git tag t HEAD~1 && git checkout t` change what they name first.
        if (
            self._line_may_make_refs()
            and not self._stash_line(sources)
            and not self._stash_push_line(sub, plan)
            and not self._commit_line(sources, directory)
        ):
            if self._others_harmless(_REFLESS_GIT | {"stash", "fetch"}):
                # `git fetch origin && git rebase origin/main` is a pull spelled out
                self._ask_pull(f"git {sub} runs after a git fetch of the same line", label)
                return
            self._undecidable(
                label,
                f"git {sub} reads refs, HEAD or the index that another command of the line "
                "may change before git runs",
            )
            return
        for cwd in self.cwds:
            start = os.path.normpath(os.path.join(cwd, directory))
            repo = self._repo_of(start)
            if repo is None:
                self._undecidable(label, f"git {sub} works on a repository outside the workspace")
                return
            if not repo:
                continue  # a .git git refuses: the command fails
            changes = work_tree_changes(repo, sources, self.budget.deadline)
            if changes.problem:
                self._undecidable(label, f"git {sub}: {changes.problem}")
                return
            prefix = os.path.relpath(start, repo)
            keep = pathspec_filter(pathspecs, "" if prefix == "." else prefix)
            for rel_in_repo in changes.paths:
                if keep is not None and not keep(rel_in_repo):
                    continue
                absolute = os.path.join(repo, rel_in_repo)
                if not self.ws.contains(absolute):
                    continue
                rel = self.ws.rel(absolute)
                protected = self.cfg.protected_set
                from enforcement_agent.policy.repo_runs import in_repo_protected  # used here only

                if (
                    protected is not None and any(protected.match(r) for r in spellings((rel,)))
                ) or in_repo_protected(self.ws, (rel,)):
                    self._deny(
                        PROTECTED_RULE,
                        f"git {sub} writes '{rel}' (it differs between what git {sub} brings "
                        "in and the work tree), a protected path",
                        label,
                    )
                    return

    def _ask_pull(self, what: str, label: str) -> None:
        """A pull brings in commits that are not on disk when the policy decides: a human
        who knows the remote may approve it; the agent can split it (a fetch, then a merge
        or rebase as a command of its own, compared with what it brings in)."""
        self._add(
            Verdict.ASK,
            PULL_RULE,
            f"{what}, which the policy cannot see when it decides: approve it, or run git "
            "fetch, then git merge or git rebase on its own (checked against what it brings in)",
            label,
        )

    def _fetch_moves_branches(self, directory: str, sub: str, rest: tuple[str, ...]) -> str:
        """Why ``git fetch|pull`` into a local branch moves one that exists (a new branch is
        everyday: `git fetch origin pull/1/head:pr-1`; `main:dev` moved `dev`, a twenty-sixth
        red-team pass), read from the repository now; "" when every one is new."""
        branches = fetch_branch_destinations(sub, rest)
        if not branches or self.ws.virtual:
            return ""
        if self._line_may_make_refs():
            return (
                f"git {sub} writes the local branch {branches[0]!r}, which another command of "
                "the line may create first"
            )
        for cwd in self.cwds:
            dot_git = enclosing_git(self.ws.root, os.path.join(cwd, directory))
            if dot_git is None:
                continue  # no repository in the workspace: git refuses (nothing above it)
            dirs = ref_dirs(dot_git)
            for branch in branches:
                if dirs is None or any(local_branch_exists(d, branch) for d in dirs):
                    return (
                        f"git {sub} moves the existing local branch {branch!r} (fetch into a "
                        "remote-tracking ref or a new branch)"
                    )
        return ""

    def _symbolic_push_source(self, directory: str, sub: str, rest: tuple[str, ...]) -> str:
        """Why ``git push`` may write another ref than its words name: a source without a
        destination that is a symbolic ref in the repository now (git pushes it to the ref it
        points at); "" otherwise."""
        names = push_sources(sub, rest)
        if not names or self.ws.virtual:
            return ""
        for cwd in self.cwds:
            dot_git = enclosing_git(self.ws.root, os.path.join(cwd, directory))
            dirs = None if dot_git is None else ref_dirs(dot_git)
            for name in names:
                if dirs is not None and any(symbolic_push_source(d, name) for d in dirs):
                    return (
                        f"git push {name!r}: a symbolic ref, pushed to the ref it points at "
                        "and not to its own name"
                    )
        return ""

    def _line_may_make_refs(self) -> bool:
        """Whether a command that runs before or alongside the current one could create or
        move refs (`git branch t HEAD~1 && git checkout t`): any other command of the
        decision but a few that never run git (`ls`, `git status`, `git add`…)."""
        # `git stash [push]` moves refs/stash only, and resets the tree to HEAD: what a move
        # then writes differs from the work tree now only where it holds the same content.
        # `git fetch` moves remote-tracking refs and FETCH_HEAD to content not on disk yet
        # (`git fetch evil main && git merge FETCH_HEAD`): it counts.
        return not self._others_harmless(_REFLESS_GIT | {"stash"})

    def _stash_line(self, sources: list[Source]) -> bool:
        """`git stash && git pull --rebase && git stash pop`: a stash entry that does not exist
        yet can only come from the line's own `git stash [push]`, which holds the work tree's
        changes of that moment, when every other command is a plain git command that stores
        no commit of its choosing (no `stash store`, `update-ref`, script or nested shell)."""
        return all(s.kind == "stash" for s in sources) and self._others_harmless(
            _REFLESS_GIT | _STASH_LINE_GIT
        )

    def _stash_push_line(self, sub: str, plan: Plan) -> bool:
        """`git stash && git pull --rebase && git stash pop`: a push reads HEAD and the index
        as they are when it runs; the line's later `git stash pop`, pull or commit run after
        it (in a loop, before it only with content that is checked on its own), and an
        earlier `git commit` makes HEAD the index (or the work tree), both compared."""
        return (
            sub == "stash"
            and all(s.kind in ("tree", "index") for s in plan[0])
            and self._others_harmless(_REFLESS_GIT | {"stash", "commit"}, later_ok=_STASH_LINE_GIT)
        )

    def _commit_line(self, sources: list[Source], directory: str) -> bool:
        """`git commit -am wip && git checkout main`: a commit moves the current branch (and
        HEAD) only, and leaves the work tree as it is, so a move whose every source names
        neither (no HEAD, `@`, `-` or the current branch) brings in what it would now; the
        index only loses differences. Decided when every other command of the line is a
        plain git command that stores no ref of its choosing, commits included."""
        if not self._others_harmless(_REFLESS_GIT | {"stash", "commit"}):
            return False
        for cwd in self.cwds:
            repo = self._repo_of(os.path.normpath(os.path.join(cwd, directory)))
            if not repo:
                return False
            branch = current_branch(repo)
            if branch is None or not all(independent_of_head(s, branch) for s in sources):
                return False
        return True

    def _others_harmless(
        self,
        git_subs: frozenset[str],
        later_ok: frozenset[str] = frozenset({"pull", "push", "commit"}),
    ) -> bool:
        """Every other command of the decision is a literal one that stores no ref or stash of
        its choosing: a program of _REFLESS_PROGRAMS, or git with a subcommand in
        ``git_subs`` (`stash` only as a push) and no global options (`git -c alias.x=…`)."""
        commands, i = self._current
        if self._serial != i + 1 or self._base_conc:
            return False  # nested evaluations ran before: `sh -c 'git branch t' && …`
        for j, c in enumerate(commands):
            if j == i:
                continue
            # A later command runs before it only in a loop: a pull, push or commit there
            # brings in content that is checked, or the index made under checks.
            later = j > i and not (c.concurrent or commands[i].concurrent)
            texts = tuple(w.text for w in c.words)
            if any(w.dynamic for w in c.words) or c.assigns or not texts:
                return False
            if texts[0] in _REFLESS_PROGRAMS:
                continue
            if texts[0] != "git" or texts[1:2] and texts[1].startswith("-"):
                return False
            _dir, sub, rest = git_subcommand(texts[1:])
            if later and sub in later_ok:
                continue
            if sub not in git_subs or (sub == "stash" and rest[:1] not in _STASH_PUSH):
                return False
            if sub == "fetch" and any(":" in t or t.startswith((".", "/")) for t in rest):
                return False  # `git fetch . other:t` moves a local branch
        return True

    def _git_sequencer(self, directory: str, sub: str, label: str) -> None:
        """`git merge|rebase|cherry-pick|revert|am --abort|--continue|--skip` restore or
        apply state an earlier command stored: undecidable when such state exists now or
        another command of the line may store it; without it git fails and writes nothing."""
        if self.ws.virtual:
            return
        if self._line_may_make_refs():
            self._undecidable(
                label, f"git {sub} continues or aborts state another command may prepare"
            )
            return
        for cwd in self.cwds:
            repo = self._repo_of(os.path.normpath(os.path.join(cwd, directory)))
            if repo is None:
                self._undecidable(label, f"git {sub} works on a repository outside the workspace")
                return
            git_dir = os.path.join(repo, ".git") if repo else ""
            if git_dir and any(os.path.lexists(os.path.join(git_dir, n)) for n in _SEQUENCER_STATE):
                self._undecidable(
                    label, f"git {sub} restores or applies a stored merge, rebase or pick"
                )
                return

    def _repo_of(self, start: str) -> str | None:
        """The repository directory git would use from ``start`` inside the workspace ("" when
        the nearest ``.git`` is one git refuses; None when git would look above the
        workspace)."""
        d = start
        while self.ws.contains(d):
            found = is_repository(d)
            if found is not None:
                return d if found else ""
            if d == self.ws.root:
                break
            d = os.path.dirname(d)
        return None

    # ---- one path (called for every path a command uses) ----------------------------------
    def _path(self, raw: str, mode: str, program: str, label: str) -> None:
        """Check one path used by a command; ``mode`` is read, write, remove or other."""
        # a write or removal is checked against the protected patterns and the repository's
        # own hook paths too: about twice a read's work
        cost = PATH_COST * (2 if mode in ("write", "remove") else 1)
        self.budget.spend(words=cost * len(self.cwds))
        if mode != "read":
            self._changes.append((self._serial, self._conc))
        if program != "git":  # git refuses pathspecs beyond a symbolic link
            self._note_use()
        if mode != "read":
            # a redirection or a named writer (`touch`, `mkdir`, `tee`) makes the name it is
            # given, or, through a symbolic link, the name the link holds (a dangling `a.txt
            # -> -r` made `echo x > a.txt && grep -h hunter *` read the tree recursively)
            odd = program not in _NAMED_WRITERS or not _plain_path(raw) or self._links_at(raw)
            if program or odd:
                self._note_write(odd)
        if raw == "-":
            return
        if raw in self.cfg.devices:
            if device_use_ok(mode, program):
                return
            self._deny(
                DEVICE_RULE,
                f"'{raw}' is a device: it may be read or written as a stream, never "
                f"{'removed' if mode == 'remove' else 'changed'} ('{program or 'redirect'}')",
                label,
                destructive=True,
            )
            return
        if mode in ("write", "remove") and self._venvs:
            for cwd in self.cwds:
                lexical = os.path.normpath(os.path.join(cwd, raw))
                venv = next(
                    (
                        v
                        for n, v in self._venvs
                        if n != self._serial and (lexical == v or lexical.startswith(v + os.sep))
                    ),
                    "",
                )
                if venv:
                    self._undecidable(
                        label,
                        f"'{raw}' is inside the virtual environment '{self.ws.rel(venv) or '.'}' "
                        "this line makes, whose bin/python links out of the workspace",
                    )
                    return
        if mode in ("write", "remove") and WRITE_PERMISSION not in self.permissions:
            # A read-only role may run `echo`/`sed`, but not make them write (`> f`, `sed -i`).
            self._deny(
                f"rbac.{WRITE_PERMISSION}",
                f"the role lacks permission '{WRITE_PERMISSION}' needed to change '{raw}'",
                label,
            )
            return
        try:
            for cwd in self.cwds:
                for target in self._expansions(raw, cwd):
                    if not self._one_path(raw, target, cwd, mode, program, label):
                        return
        except TooManyPaths as exc:
            self._undecidable(label, str(exc))

    def _one_path(
        self, raw: str, target: str, cwd: str, mode: str, program: str, label: str
    ) -> bool:
        res = self.ws.resolve(target, cwd)
        if not res.inside:
            self._outside(res, mode, program, label)
            return False
        if mode == "remove" and res.is_root:
            self._deny(
                "exec.remove-workspace-root",
                f"'{raw}' is the workspace itself; removing it is destructive",
                label,
                destructive=True,
            )
            return False
        if mode != "read" and self._protected(res, mode):
            compiled = self.cfg.compiled_set
            what = (
                "Python bytecode, which an interpreter runs instead of the reviewed source"
                if compiled is not None and any(compiled.match(r) for r in res.rels)
                else "a protected path (git hooks/config, CI, agent or editor configuration)"
            )
            self._deny(PROTECTED_RULE, f"'{raw}' is {what}", label, destructive=mode == "remove")
            return False
        if mode == "write":
            twin = self._same_as_protected(res.real)
            if twin:
                # a hard link made earlier (a sandboxed script's os.link, an archive, whoever
                # wrote the workspace) is the protected file under another name: `echo x >>
                # notes.md` wrote CLAUDE.md, `> hk` a git hook (an eleventh red-team pass;
                # the secrets' check had this, the protected paths' did not)
                self._deny(
                    PROTECTED_RULE,
                    f"'{raw}' is a hard link of the protected path '{twin}' (the same file "
                    "under another name)",
                    label,
                )
                return False
            if self._links_out(res.real):
                # uv and pnpm install from their caches by hard link (uv's link mode and
                # pnpm's package import default to it), an archive or a script may make one:
                # writing such a file changes it for every other name, out of the workspace
                # too (a thirteenth red-team pass: `echo x >> .venv/…/requests/__init__.py`
                # rewrote the cache's copy every other project installs from)
                self._deny(
                    "exec.write-outside-workspace",
                    f"'{raw}' has hard links outside the workspace (a package cache, another "
                    "checkout): writing it changes those files too",
                    label,
                    destructive=True,
                )
                return False
        if mode == "read" and program not in _METADATA_ONLY and self._reads_out(res.real):
            self._deny(
                "exec.path-outside-workspace",
                f"'{raw}' has hard links outside the workspace: it is a file from outside "
                "(reading it reads that file)",
                label,
            )
            return False
        if mode == "write" and _PROJECT_FILES.match(res.real) and self._declares("index"):
            # the line writes a project file and its text declares another package index
            # (`[[tool.uv.index]]`, `[[tool.poetry.source]]`, `extra-index-url`): the class of
            # `pip install -i URL` and of a write to uv.toml/pip.conf (an eleventh red-team
            # pass; pyproject.toml itself stays writable)
            self._deny(
                INDEX_RULE,
                f"'{raw}' would declare another package index or source "
                "([[tool.uv.index]], [[tool.poetry.source]], [[tool.pdm.source]], index-url, "
                "find-links): installing from it is a supply-chain change",
                label,
            )
            return False
        if mode == "write" and REQUIREMENT_FILES.match(res.real) and self._declares("req_index"):
            # `echo '--extra-index-url https://…' >> requirements.txt`: pip reads its options
            # from the file (a fifteenth red-team pass)
            self._deny(
                INDEX_RULE,
                f"'{raw}' would name another package index (`--index-url`, `-i`, "
                "`--find-links`): installing from it is a supply-chain change",
                label,
            )
            return False
        if mode == "write" and PY_PROJECT_FILES.match(res.real) and self._declares("source"):
            # `echo 'x @ git+https://…' >> requirements.txt`, a `{ git = … }` source into
            # pyproject.toml: the next install fetches and builds it, which `pip install
            # git+https://…` on the command line may not (a thirteenth red-team pass)
            self._deny(
                SOURCE_RULE,
                f"'{raw}' would declare a dependency from a URL or VCS remote (`x @ https://…`,"
                " `git+https://…`, `{ git = … }`): installing from it is a supply-chain change",
                label,
            )
            return False
        if mode == "write" and program not in _LOCK_WRITERS and PACKAGE_JSON.match(res.real):
            # `echo '{"dependencies": {"x": "github:u/r"}}' > package.json`: the next `npm
            # install` fetches and runs it (a fifteenth red-team pass: the shell and the file
            # tool judge the text written into package.json alike)
            base = os.path.dirname(res.real)
            for text in self._line_texts:
                hit = package_json_spec_in(text, base, self._ws_contains)
                if hit:
                    self._deny(
                        SOURCE_RULE,
                        f"'{raw}' would declare a dependency from a URL, git host or path out "
                        f"of the workspace ({hit[:80]}): installing from it is a supply-chain "
                        "change",
                        label,
                    )
                    return False
        if (
            mode == "write"
            and program not in _LOCK_WRITERS  # their own lock (`uv run … --url http://…`)
            and (
                (LOCK_FILE_NAMES.match(res.real) and self._declares("lock"))
                or (ENV_FILE_NAMES.match(res.real) and self._declares("env"))
            )
        ):
            # `echo '"resolved": "https://evil/x.tgz"' > package-lock.json`, `sed -i
            # 's#registry.npmjs.org#…#' yarn.lock`: `npm ci` installs what the lockfile
            # resolves to (a fourteenth red-team pass)
            self._deny(
                SOURCE_RULE,
                f"'{raw}' is a lockfile or environment file and the line names a source (a URL, "
                "`resolved`, "
                "`git+…`, `file:`, a registry): installing from it is a supply-chain change",
                label,
            )
            return False
        # git's arguments are refs and pathspecs; _secret_names reads them per subcommand.
        if program not in _METADATA_ONLY and program != "git" and self._secret(res.rels, True):
            self._deny(
                SECRET_RULE,
                f"'{raw}' is a secret file (files.secrets); no command may read, copy or change it",
                label,
            )
            return False
        if (
            mode != "remove"
            and program not in _METADATA_ONLY
            and program != "git"
            and not self.ws.virtual
        ):
            held = credential_in(res.real)
            if held:
                self._deny(
                    SECRET_RULE,
                    f"'{raw}' holds {held}: a file whose content is a credential is a secret "
                    "file while it does, whatever its name",
                    label,
                )
                return False
        alias = "" if program in _METADATA_ONLY else self._same_as_secret(res.real)
        if alias:
            self._deny(
                SECRET_RULE,
                f"'{raw}' is a hard link of the secret file '{alias}' (the same file under "
                "another name); no command may read, copy or change it",
                label,
            )
            return False
        if mode == "remove":
            hit = self._protected_under(res.real)
            if hit:
                self._deny(
                    PROTECTED_RULE,
                    f"removing '{raw}' removes '{hit}', a protected path",
                    label,
                    destructive=True,
                )
                return False
        return True


# ---- helpers --------------------------------------------------------------------------------
_ALL = lazy_compile(r".*", re.DOTALL)
# INDEX_RULE, INDEX_DECLARATION: a package index or source declared in a Python project file
# (package_sources, where the file tool's writes are judged by the same expression).
_PROJECT_FILES = PROJECT_INDEX_FILES


_HTTPIE = frozenset({"http", "https", "xh", "xhs"})
# HTTPie 3.2's long options (argparse: any unique prefix of one is read as it), those that take
# a value, and its short options that take one (the rest of the word, or the next word).
_HTTPIE_LONG = frozenset(
    (
        "all auth auth-type body boundary cert cert-key cert-key-pass check-status chunked "
        "ciphers compress continue debug default-scheme download follow form format-options "
        "headers help history-print ignore-netrc ignore-stdin json manual max-headers "
        "max-redirects meta multipart no-sorted no-unsorted offline output path-as-is pretty "
        "print proxy quiet raw response-charset response-mime session session-read-only sorted "
        "ssl stream style timeout traceback unsorted verbose verify version"
    ).split()
)
HTTPIE_LONG_VALUES = frozenset(
    (
        "auth auth-type boundary cert cert-key cert-key-pass ciphers default-scheme "
        "format-options history-print max-headers max-redirects output pretty print proxy raw "
        "response-charset response-mime session session-read-only ssl style timeout verify"
    ).split()
)
HTTPIE_SHORT_VALUES = frozenset("spPoaA")


# Characters a program that expands its own globs (fast-glob, micromatch) reads as syntax
# beyond `*?[`: braces, extglobs, backslash escapes.
_OWN_GLOB_CHARS = "{}!+@(\\"


def file_test_operands(args: list[Word]) -> list[Word]:
    """The words of ``test``/``[`` (and ``[[``, which the shell reading hands over as `[`)
    that test reads as paths: the word after a unary file operator and both sides of
    `-nt`/`-ot`/`-ef`, wherever they stand (more than the grammar picks: `[ x -a y ]`'s `y`
    is read as a path too, which only ever checks more)."""
    out: list[Word] = []
    texts = [w.text for w in args]
    for i, t in enumerate(texts):
        if i + 1 < len(args) and t in TEST_FILE_UNARY and texts[i + 1] not in ("]", "]]"):
            out.append(args[i + 1])
        elif t in TEST_FILE_BINARY and 0 < i < len(args) - 1:
            out += [args[i - 1], args[i + 1]]
    return out


def _glob_root(raw: str) -> tuple[str, re.Pattern[str]]:
    """A glob a program expands itself (`prettier --write 'docs/**/*.md'`): the directory
    before its first wildcard, and what the rest matches below it (`**` any depth, dot files
    included; braces and extended globs match everything: fail closed)."""
    parts = raw.split("/")
    k = next(i for i, p in enumerate(parts) if has_glob(p) or any(c in p for c in _OWN_GLOB_CHARS))
    start = "/".join(parts[:k]) or ("/" if raw.startswith("/") else ".")
    rest = parts[k:]
    if any(c in p for p in rest for c in _OWN_GLOB_CHARS + ")"):
        return start, _ALL
    rx = ""
    for i, p in enumerate(rest):
        last = i == len(rest) - 1
        if p == "**":
            rx += ".*" if last else "(?:.*/)?"
            continue
        rx += (
            fnmatch_linear.translate(p)
            .removeprefix("(?s:")
            .removesuffix(")\\Z")
            .replace(".*", "[^/]*")
        )
        if not last:
            rx += "/"
    return start, re.compile(rx + r"\Z", re.DOTALL | re.IGNORECASE)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _candidates(word: str) -> list[str]:
    """The file names one argument can carry: itself, after ``=``, ``@``, ``:``, ``file://``."""
    out = [word]
    for sep in ("=", "@", ":", "<"):
        if sep in word:
            out.extend(p for p in word.split(sep)[1:] if p)
    if word.startswith("file://"):
        out.append(word[7:])
    return [c for c in out if c and not c.startswith("-") and "://" not in c]


def _exists_in(cwd: str, path: str) -> bool:
    return os.path.lexists(os.path.join(cwd, path))


def _exists_in_any(cwds: tuple[str, ...], path: str) -> bool:
    return any(_exists_in(c, path) for c in cwds)


def _may_exist(alone: bool, cwd: str, path: str) -> bool:
    """Whether ``path`` exists in ``cwd``, or may by the time the command runs (``alone``:
    no other command of the line can make it)."""
    return not alone or _exists_in(cwd, path)


def _plain_path(raw: str) -> bool:
    """Every part of ``raw`` is a plain name (what producers may print unchecked)."""
    return all(not p or _PLAIN_NAME.match(p) for p in raw.split("/"))


def _any_name(rel: str) -> bool:
    return True


def _cp_may_leave_links(args: list[Word]) -> bool:
    """cp leaving a link, or a copied tree that may hold links (`paths.creates_links`), read
    with cp's table so abbreviations count (a seventeenth red-team pass: `cp --li a l && echo
    x > l` and `cp --arch d e && … e/…` were not seen as making links)."""
    names = option_names("cp", args)
    if isinstance(names, str):
        return True
    return bool(names & {"-s", "-l", "-R", "-a", "-d", "-P", "--reflink", "--preserve"})


def _cp_links(args: list[Word]) -> bool:
    """cp making links instead of copies (-s, -l, --symbolic-link, --link), read with cp's
    table (a seventeenth red-team pass: `cp -r --sym SRC DST` was not seen as linking);
    words cp cannot read count as linking (the cp is undecidable elsewhere)."""
    names = option_names("cp", args)
    texts = [w.text for w in args]
    if isinstance(names, str):
        return True
    return bool(names & {"-s", "-l"}) or any(short_flag(t, "sl") for t in texts if t != "--")


# git subcommands that replace work-tree files with another commit's (see tree_move_plan).
_GIT_TREE_MOVERS = frozenset(
    {"checkout", "switch", "reset", "merge", "pull", "cherry-pick", "revert", "rebase", "stash",
     "restore", "bisect", "am"}
)  # fmt: skip
_SEQUENCER_STATE = ("rebase-merge", "rebase-apply", "MERGE_HEAD", "CHERRY_PICK_HEAD",
                    "REVERT_HEAD", "sequencer")  # fmt: skip
# Commands another command of the line may be without making the refs a git tree move reads
# (see PathChecks._others_harmless): they never run git or store a commit.
_REFLESS_PROGRAMS = frozenset({"ls", "cat", "echo", "printf", "pwd", "true", "false", "test",
                               "[", "wc", "head", "tail", "grep", "diff", "sort"})  # fmt: skip
_REFLESS_GIT = frozenset({"status", "diff", "log", "show", "add", "rm", "mv", "ls-files", "grep",
                          "blame", "shortlog", "describe", "rev-parse"})  # fmt: skip
# git subcommands beside a push/fetch/pull that make no directory named by the line's words
_LINE_GIT = frozenset(
    {"fetch", "pull", "push", "commit", "merge", "rebase", "checkout", "switch", "reset",
     "stash", "branch", "tag", "cherry-pick", "revert", "restore", "config", "remote"}
)  # fmt: skip
# ... and around `git stash … git stash pop`: they store no stash entry of their choosing.
_STASH_LINE_GIT = frozenset({"stash", "pull", "fetch", "commit", "merge", "checkout", "switch"})
_STASH_PUSH = ((), ("push",), ("save",), ("-u",), ("--include-untracked",), ("-q",), ("list",))
# npm verbs that never write a workspace's package.json (running, listing, reading)
_NPM_NO_PACKAGE_WRITES = frozenset(
    {"run", "run-script", "rum", "urn", "test", "tst", "t", "start", "stop", "restart", "exec",
     "x", "ls", "list", "ll", "la", "outdated", "view", "info", "show", "v", "query", "explain",
     "why", "help", "fund", "doctor", "bugs", "docs", "home", "repo", "search", "find", "s",
     "se", "sbom", "diff", "pack", "ping", "prefix", "root", "bin", "whoami", "completion"}
)  # fmt: skip


def _twin(real: str, inodes: Callable[[], Inodes]) -> str:
    """The file of ``inodes()`` that the existing file ``real`` is another hard link of, or
    "" (a file with one link, the most common case, costs one stat and no lookup)."""
    try:
        st = os.stat(real)
    except OSError:
        return ""
    if st.st_nlink < 2 or not stat.S_ISREG(st.st_mode):
        return ""
    return inodes().get((st.st_dev, st.st_ino), "")
