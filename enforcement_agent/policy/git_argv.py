"""git's words as the path checks read them: the subcommand past git's global options, its
options as git's parser reads them, the pathspecs it limits itself to, and what a subcommand
brings into the work tree (checkouts, resets, merges, the sequencer, stash)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy import fnmatch_linear
from enforcement_agent.policy.argv_words import split_options
from enforcement_agent.policy.git_trees import Source, looks_like_rev
from enforcement_agent.policy.paths import has_glob


def git_subcommand(texts: tuple[str, ...]) -> tuple[str, str, tuple[str, ...]]:
    """(the -C directory, the subcommand, its words) of git's argv past its global options."""
    i = 0
    directory = "."
    while i < len(texts) and texts[i].startswith("-"):
        if texts[i] in ("-C",) and i + 1 < len(texts):
            # each -C is relative to the one before (`git -C a -C b` works in a/b)
            directory = texts[i + 1] if directory == "." else os.path.join(directory, texts[i + 1])
            i += 2
            continue
        i += 2 if texts[i] in ("-c", "--git-dir", "--work-tree", "--namespace", "--config-env",
                               "--super-prefix") else 1  # fmt: skip
    if i >= len(texts):
        return directory, "", ()
    return directory, texts[i], texts[i + 1 :]


# Sequencer actions that restore or apply state an earlier command stored (see _sequencer).
_GIT_SEQUENCER = frozenset({"--abort", "--continue", "--skip"})


_GIT_SEQUENCER_QUIET = frozenset({"--quit", "--edit-todo", "--show-current-patch"})


_SEQUENCER_SUBS = frozenset({"merge", "cherry-pick", "revert", "rebase", "am"})


# Per subcommand: (short options taking a value: attached or the next word, short options
# whose value can only be attached (`-S[keyid]`), long options taking a value). Checked
# against git 2.39 by effect in the twenty-fifth pass: `pull -oX` is a server option (was read
# as -o -X), `rebase -C 3` and `am -p 1` take the next word (were attached-only).
_GIT_VALUES: dict[str, tuple[str, str, frozenset[str]]] = {
    "checkout": ("bB", "", frozenset({"--orphan", "--conflict"})),
    "switch": ("cC", "", frozenset({"--create", "--force-create", "--orphan", "--conflict"})),
    "restore": ("s", "", frozenset({"--source", "--conflict"})),
    "reset": ("", "", frozenset()),
    "merge": ("mFsX", "S", frozenset({"--message", "--file", "--strategy",
              "--strategy-option", "--into-name", "--cleanup"})),
    "pull": ("sXjo", "S", frozenset({"--strategy", "--strategy-option", "--depth", "--deepen",
             "--shallow-since", "--shallow-exclude", "--jobs", "--upload-pack", "--negotiation-tip",
             "--server-option", "--refmap", "--cleanup"})),
    "cherry-pick": ("mX", "S", frozenset({"--mainline", "--strategy", "--strategy-option",
                    "--cleanup", "--empty"})),
    "revert": ("mX", "S", frozenset({"--mainline", "--strategy", "--strategy-option",
               "--cleanup"})),
    "rebase": ("sXxC", "S", frozenset({"--onto", "--strategy", "--strategy-option", "--exec",
               "--empty", "--whitespace"})),
    "stash": ("m", "", frozenset({"--message"})),
    "am": ("Cp", "S", frozenset({"--directory", "--exclude", "--include", "--whitespace",
           "--patch-format", "--resolvemsg", "--quoted-cr", "--empty"})),
    "bisect": ("", "", frozenset()),
}  # fmt: skip


# Long flags the plan looks at: an abbreviation git expands (`--har`) is read as the flag.
_GIT_FLAGS = frozenset({"--hard", "--merge", "--keep", "--staged", "--worktree", "--detach",
                        "--abort", "--continue", "--skip", "--quit", "--edit-todo",
                        "--show-current-patch", "--end-of-options", "--patch"})  # fmt: skip


# `checkout -p`/`restore -p` without a pathspec offer every hunk of the whole tree (git's
# patch mode takes no pathspec as `:/`): what a `yes |` in front of them says yes to.
_PATCH = frozenset({"-p", "--patch"})


# Options that shift or pick what lands in the work tree (`-Xsubtree=.github`, `-s ours`).
_STRATEGY_SUBS = frozenset({"merge", "pull", "cherry-pick", "revert", "rebase"})


_STASH_ACTIONS = frozenset({"list", "show", "drop", "pop", "apply", "branch", "push", "save",
                            "clear", "create", "store"})  # fmt: skip


Plan = tuple[list[Source], list[str] | None]


SEQUENCER_PLAN = "sequencer"


PULL_PLAN = "pull from a remote"


def git_options(
    sub: str, words: tuple[str, ...]
) -> tuple[list[str], list[tuple[str, str | None]]] | str:
    """(operands, [(option, value)]) of git SUB's words as git's option parser reads them:
    short clusters with attached or next-word values (`-WsHEAD~1`, `-qb new`), `--long=v`,
    `--long v`, abbreviations of the long flags the plan reads; str: undecidable, why."""
    shorts, attached, longs = _GIT_VALUES.get(sub, ("", "", frozenset()))
    operands: list[str] = []
    opts: list[tuple[str, str | None]] = []
    i = 0
    while i < len(words):
        t = words[i]
        i += 1
        if t == "--" or t == "--end-of-options":
            operands.extend(words[i:])
            break
        if t.startswith("--"):
            name, eq, v = t.partition("=")
            if name not in longs and name not in _GIT_FLAGS and len(name) > 2:
                hits = [x for x in (*longs, *_GIT_FLAGS) if x.startswith(name)]
                if any(h in longs for h in hits):
                    return f"git {sub} {name}: an abbreviated option policy does not expand"
                if len(hits) == 1:
                    name = hits[0]
            if name in longs and not eq:
                if i >= len(words):
                    return f"git {sub} {name} without its value"
                v, eq = words[i], "="
                i += 1
            opts.append((name, v if eq else None))
            continue
        if t.startswith("-") and len(t) > 1:
            for k, c in enumerate(t[1:], 1):
                if c in shorts:
                    if k + 1 < len(t):
                        opts.append(("-" + c, t[k + 1 :]))
                    elif i < len(words):
                        opts.append(("-" + c, words[i]))
                        i += 1
                    else:
                        return f"git {sub} -{c} without its value"
                    break
                if c in attached:
                    opts.append(("-" + c, t[k + 1 :] or None))
                    break
                opts.append(("-" + c, None))
            continue
        operands.append(t)
    return operands, opts


# Characters of git's revision syntax (`^{…}`, `@{…}`, `~`, `:path`)
_REV_SYNTAX = lazy_compile(r"[\^~@:]")


def tree_move_plan(sub: str, rest: tuple[str, ...]) -> Plan | str | None:
    """(what git SUB brings into the work tree, the pathspecs that limit it or None for the
    whole tree); None: it writes nothing this check is for; str: undecidable, why
    (SEQUENCER_PLAN: it continues or aborts stored state, see _git_tree_moves)."""
    if "--" in rest:
        k = rest.index("--")
        before, after = rest[:k], list(rest[k + 1 :])
    else:
        before, after = rest, []
    parsed = git_options(sub, before)
    if isinstance(parsed, str):
        return parsed
    operands, opts = parsed
    given = {o for o, _ in opts}
    if "-" in operands and sub in ("checkout", "switch", "merge", "rebase", "cherry-pick"):
        operands = ["@{-1}" if o == "-" else o for o in operands]  # the previous branch

    def value(*names: str) -> str | None:
        found = None
        for o, v in opts:
            if o in names:
                found = v
        return found

    if sub in _SEQUENCER_SUBS and given & _GIT_SEQUENCER:
        return SEQUENCER_PLAN
    if sub in _SEQUENCER_SUBS and given & _GIT_SEQUENCER_QUIET:
        return None
    if sub in _STRATEGY_SUBS:
        strategy = {"-X", "--strategy", "--strategy-option"}
        if sub not in ("cherry-pick", "revert"):  # there -s is --signoff
            strategy.add("-s")
        if given & strategy:
            return f"git {sub} with a merge strategy or strategy option (-s/-X) may move paths"
    if sub == "bisect":
        if operands[:1] in ([], ["log"], ["visualize"], ["view"], ["terms"], ["help"]):
            return None
        return "git bisect checks out other commits into the work tree"
    if sub == "am":
        return None  # its patches are checked as writes (_GIT_WRITERS)
    if sub == "checkout":
        creating = given & {"-b", "-B", "--orphan"}
        if creating:
            return ([Source("tree", operands[0])], None) if operands else None
        if after:  # `git checkout [TREE-ISH] -- PATHS`: the word before `--` is a tree-ish
            tree = [Source("tree", operands[0])] if operands else []
            return [Source("index"), *tree], after + operands[1:]
        if operands and operands[0].startswith(":/"):
            return f"git checkout {operands[0]} may name a commit by its message"
        if operands and not looks_like_rev(operands[0]) and _REV_SYNTAX.search(operands[0]):
            # git reads it as a revision when it resolves (`HEAD^{/ini[t]}`: a message regex,
            # `HEAD@{2 days ago}`), which the shadow does not try: a thirty-first red-team
            # pass checked out an old CLAUDE.md that way, decided as a pathspec
            return f"git checkout {operands[0]!r} may name a revision the policy cannot resolve"
        # `git checkout X …`: X is a branch or commit when it names one, else a pathspec
        rev = [Source("tree", operands[0])] if operands and looks_like_rev(operands[0]) else []
        if after or len(operands) > 1:
            return [Source("index"), *rev], (after + operands[1:] if rev else after + operands)
        if not operands:
            # `git checkout -f` (no branch, no paths) resets the index and the work tree to
            # HEAD, which `git reset --soft OTHER` may have moved (an eighth red-team pass)
            if given & {"-f", "--force"}:
                return [Source("tree", "HEAD")], None
            # `git checkout -p` offers every path where the index differs from the work tree
            # (a forty-seventh red-team pass: `git reset evil; yes | git checkout -p` wrote the
            # branch's CLAUDE.md, read as writing nothing)
            return ([Source("index")], None) if given & _PATCH else None
        # a branch only a remote has is created from it (`--guess`, on by default)
        guess = [Source("guess", operands[0])] if rev else []
        return [*guess, Source("index")], (None if rev else operands)
    if sub == "restore":
        if ("--staged" in given or "-S" in given) and not given & {"--worktree", "-W"}:
            return None
        source = value("--source", "-s")
        pathspecs = after + operands
        if not pathspecs:
            # without paths only patch mode runs, over the whole tree (`yes | git restore -p
            # -s evil` wrote the branch's CLAUDE.md and workflows: a forty-seventh red-team
            # pass); plain `git restore -s X` refuses to run
            if not given & _PATCH:
                return None
        if not source and given & {"--staged", "-S"}:
            # `--staged --worktree` restores both from HEAD, not from the index (`git restore
            # -SW .` wrote HEAD's protected files after `git reset --soft OTHER`: an eighth
            # red-team pass)
            source = "HEAD"
        return [Source("tree", source) if source else Source("index")], pathspecs or None
    if sub == "switch":
        if "--orphan" in given:
            return "git switch --orphan removes every tracked file"
        if given & {"-c", "-C", "--create", "--force-create"}:
            return ([Source("tree", operands[0])], None) if operands else None
        return ([Source("guess", operands[0])], None) if operands else None
    if sub == "reset":
        if not given & {"--hard", "--merge", "--keep"} or after:
            return None
        return [Source("tree", operands[0] if operands else "HEAD")], None
    if sub == "merge":
        if not operands:
            return "git merge without a commit merges the upstream, which policy cannot resolve"
        return [Source("tree", o) for o in operands], None
    if sub == "pull":
        if operands[:1] != ["."]:
            # What it merges is fetched while it runs: not on disk when the policy decides.
            # `git fetch` alone is fine, and a merge/rebase of what it fetched, as a command
            # of its own, is compared like any other (a fourth red-team pass).
            return PULL_PLAN
        refs = [o.lstrip("+").split(":", 1)[0] for o in operands[1:]]
        if not refs:
            return "git pull . without a branch merges the upstream"
        return [Source("tree", r) for r in refs], None
    if sub in ("cherry-pick", "revert"):
        return ([Source("commit", o) for o in operands], None) if operands else None
    if sub == "rebase":
        onto = value("--onto")
        revs = ([onto] if onto else []) + operands
        if not revs:
            return "git rebase without an upstream rebases onto one policy cannot resolve"
        return [Source("tree", r) for r in revs], None
    if sub == "stash":
        action = operands[0] if operands else "push"
        if action in ("push", "save") or action not in _STASH_ACTIONS:
            # A push resets what it stashes to HEAD (to the index with -k): HEAD is not the
            # work tree after `git reset --soft OTHER` or a commit of an index from OTHER, and
            # `git stash` then wrote OTHER's protected files (an eighth red-team pass).
            stashed = after if action == "save" else after + operands[1:]  # save: a message
            return [Source("tree", "HEAD"), Source("index")], stashed or None
        at = {"pop": 1, "apply": 1, "branch": 2}.get(action)
        if at is None:
            return None
        entry = operands[at] if len(operands) > at else "stash@{0}"
        return [Source("stash", f"stash@{{{entry}}}" if entry.isdigit() else entry)], None
    return None


def pathspec_filter(pathspecs: list[str] | None, prefix: str) -> Callable[[str], bool] | None:
    """A predicate on repository-relative paths for literal pathspecs taken in ``prefix``;
    None (everything) for none, or any with magic (`:(icase)`, `:/`, `:!`) or a glob."""
    if not pathspecs:
        return None
    roots: list[str] = []
    for p in pathspecs:
        if p.startswith(":") or has_glob(p) or "\\" in p:
            return None
        n = os.path.normpath(os.path.join(prefix, p)) if prefix else os.path.normpath(p)
        if n in (".", "") or n.startswith(".."):
            return None
        roots.append(n)

    def keep(rel: str) -> bool:
        return any(rel == r or rel.startswith(r + "/") for r in roots)

    return keep


def git_operands(rest: tuple[str, ...]) -> list[str]:
    return split_options(
        rest, {"-m", "-b", "-B", "--orphan", "-s", "--source", "-C", "-c", "-F", "-o"}
    )[0]


def git_grep_excludes(rest: tuple[str, ...]) -> list[re.Pattern[str]]:
    """`git grep x -- ':!.env'`: a filter that leaves out what the plain exclude pathspecs
    after `--` name (thirty-ninth pass); other magic and wildmatch escapes leave nothing out."""
    if "--" not in rest:
        return []
    parts: list[str] = []
    for spec in rest[rest.index("--") + 1 :][:64]:
        m = re.match(r"^:(?:[!^]|\(exclude\))(.*)$", spec)
        if not m or not m.group(1) or re.search(r"[\\:\[]", m.group(1)):
            continue
        body = fnmatch_linear.translate(os.path.normpath(m.group(1)))
        parts.append(body.removeprefix("(?s:").removesuffix(")\\Z"))
    if not parts:
        return []
    return [re.compile("(?s)(?!(?:" + "|".join(parts) + ")(?:/.*)?\\Z)")]
