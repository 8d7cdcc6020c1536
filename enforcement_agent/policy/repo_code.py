"""What a repository makes git run on its own, for read-only roles.

``git status``, ``diff``, ``log -p``, ``show`` and ``blame`` look harmless, but the
repository's configuration can name programs they run (``diff.<driver>.textconv`` with a
``.gitattributes`` line, ``diff.external``, ``core.pager``, ``gpg.program`` with
``log.showSignature``, ``filter.<driver>.clean`` when status re-reads a file, a
``core.worktree`` outside the workspace …) and ``git status`` and ``describe --dirty`` write
the index, which runs the ``post-index-change`` hook. A third red-team pass (2026-12-03) ran
commands as ``viewer`` that way. A read-only role is read-only by construction, so its git
runs only in a repository whose configuration holds nothing but the keys below (an
allowlist: an unknown key may name a program) and that has no such hook; anything else, or
a repository this cannot read (a ``.git`` file pointing elsewhere, a config past the size
cap), cannot be decided.

Read as text, never by running git (git would run what the configuration names).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.git_config_text import KEY, SECTION
from enforcement_agent.policy.paths import parse_git_index, under_prefix
from enforcement_agent.policy.regular_reads import StampedReads, open_regular, read_regular

_LIMIT = 64 << 10  # bytes of one config file (a real one is a few hundred)
_MAX_FILES = 16  # config files of one repository (submodules, worktrees)
_MAX_DIRS = 512  # directories looked at under .git/modules and .git/worktrees
_INDEX_LIMIT = 32 << 20  # bytes of one index file read for submodule entries
_MAX_NESTED = 32  # populated submodules (and theirs) looked into, in all
_MAX_DEPTH = 4  # submodules of submodules …
_GITLINK_MODE = b"\x00\x00\xe0\x00"  # 0o160000 as an index entry's big-endian mode
_GIT_DIR_DATA = frozenset({"objects", "refs", "logs", "info", "lfs", "rr-cache", "branches"})
# Keys that name no program and move no path outside the repository (lower case, globs), as
# one pattern compiled on first use: only a read-only role's git reads a configuration, and
# 108 patterns compiled at import cost every hook process about 5 ms.
INERT_KEYS = tuple(
    (
        "core.repositoryformatversion core.filemode core.bare core.logallrefupdates "
        "core.ignorecase core.precomposeunicode core.symlinks core.autocrlf core.eol "
        "core.safecrlf core.quotepath core.abbrev core.commentchar core.commentstring "
        "core.whitespace core.sparsecheckout core.sparsecheckoutcone core.untrackedcache "
        "core.splitindex core.checkstat core.trustctime core.preloadindex core.compression "
        "core.loosecompression core.bigfilethreshold core.multipackindex core.commitgraph "
        "core.protecthfs core.protectntfs core.longpaths core.warnambiguousrefs "
        "remote.*.url remote.*.pushurl remote.*.fetch remote.*.push remote.*.tagopt "
        "remote.*.prune remote.*.prunetags remote.*.mirror remote.*.skipdefaultupdate "
        "remote.*.skipfetchall "
        "branch.*.remote branch.*.merge branch.*.rebase branch.*.pushremote "
        "branch.*.description submodule.*.url submodule.*.active submodule.*.branch "
        "extensions.objectformat extensions.worktreeconfig extensions.refstorage "
        "extensions.preciousobjects user.* author.* committer.* init.* color.* column.* "
        "advice.* pull.* push.* fetch.* gc.* maintenance.* pack.* index.* feature.* i18n.* rerere.* "
        "status.relativepaths status.short status.branch status.aheadbehind status.renames "
        "status.renamelimit status.showstash status.showuntrackedfiles status.displaycommentprefix "
        "grep.* alias.* log.date log.decorate log.abbrevcommit log.follow "
        "log.showroot log.mailmap diff.renames diff.algorithm diff.noprefix "
        "diff.mnemonicprefix diff.context diff.interhunkcontext diff.indentheuristic "
        "diff.colormoved diff.relative diff.statgraphwidth "
        "diff.ignoresubmodules diff.suppressblankempty diff.wserrorhighlight diff.dirstat "
        "merge.conflictstyle merge.ff merge.log merge.stat merge.renames branch.sort "
        "tag.sort protocol.version lfs.repositoryformatversion gui.* blame.date "
        "blame.coloring blame.showemail blame.blankboundary "
        # thirty-ninth pass: keys that name no program and no file git reads for the
        # read-only table's subcommands (network settings: those subcommands never reach the
        # network, a partial clone's lazy fetch being refused by `extensions.partialclone`;
        # signing, rebasing and tool names: only subcommands off the table use them)
        "http.* commit.* tag.gpgsign tag.forcesignannotated rebase.* merge.tool diff.tool "
        "merge.guitool diff.guitool credential.usehttppath credential.username "
        "credential.*.usehttppath credential.*.username lfs.url lfs.pushurl lfs.*.access "
        "lfs.locksverify lfs.fetchinclude lfs.fetchexclude lfs.setlockablereadonly "
        "lfs.concurrenttransfers lfs.activitytimeout lfs.dialtimeout "
        # editors: a program, but only the editing subcommands the table leaves out start one
        "core.editor sequence.editor"
    ).split()
)
# http keys whose values may carry a credential (a header, a proxy URL with a password):
# kept off, so that the viewer's `git config --get` cannot print one no detector knows
_CREDENTIAL_KEY = lazy_compile(r"http\.(?:.*\.)?(?:extraheader|proxy|proxyauthmethod)\Z")
# Keys that name a program, taken with exactly the value `git lfs install` writes: git-lfs
# as the clean filter (`git status`/`diff` of a changed LFS file run it in the sandbox)
_EXACT = {
    "filter.lfs.clean": "git-lfs clean -- %f",
    "filter.lfs.smudge": "git-lfs smudge -- %f",
    "filter.lfs.process": "git-lfs filter-process",
    "filter.lfs.required": "true",
}
# A partial clone's keys: `extensions.partialclone` names the promisor remote, which also
# has `remote.<name>.promisor` and `remote.<name>.partialclonefilter`.
_PARTIAL_KEY = lazy_compile(
    r"extensions\.partialclone\Z|remote\.(.+)\.(?:promisor|partialclonefilter)\Z"
)
# A remote URL git fetches from over the network with no program of the repository's: a
# scheme git handles itself (or scp-like `host:path`), a host not starting with `-`
_NETWORK_URL = lazy_compile(
    r"(?![^@]*@-)(?:(?:https?|git|ssh)://(?!-)\S*|(?!-)[\w.-]+(?:@[\w.-]+)?:(?!:|//)\S*)\Z"
)


@functools.cache
def _inert() -> re.Pattern[str]:
    """``INERT_KEYS`` as one pattern, built on first use: translating its ~140 globs cost every
    hook process ~3 ms at import, for the few commands that read a repository's config."""
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in INERT_KEYS))


# Hooks a read-only git command can trigger (it may write the index).
_READ_HOOKS = ("post-index-change",)


def enclosing_git(root: str, directory: str) -> str | None:
    """The ``.git`` entry of the repository git finds from ``directory`` inside the workspace
    ``root`` (None: none inside the workspace)."""
    d = os.path.normpath(directory)
    root = os.path.normpath(root)
    while True:
        candidate = os.path.join(d, ".git")
        if os.path.lexists(candidate):
            return candidate
        if d == root or not d.startswith(root + os.sep):
            return None
        d = os.path.dirname(d)


def git_dir_outside(root: str, dot_git: str) -> str | None:
    """Where the repository of ``dot_git`` (a ``.git`` entry inside the workspace ``root``)
    keeps its objects, refs and configuration when that is outside the workspace (None: it
    is inside). A ``.git`` file (``gitdir: PATH``), a ``.git`` link, or a git directory whose
    ``commondir`` names another one sends every git command there to read and write that
    repository, whatever the paths on the command line say (a twenty-fifth red-team pass: a
    workspace's ``sub/.git`` file naming another checkout's ``.git`` let ``git -C sub show``
    print its files and ``git -C sub commit`` write into it)."""
    roots = (os.path.realpath(root),)

    def inside(path: str) -> bool:
        return under_prefix(os.path.realpath(path), roots)

    git_dir = dot_git
    if not os.path.islink(dot_git) and os.path.isfile(dot_git):
        head = read_regular(dot_git, 4096)
        if head is None:
            return f"{dot_git} cannot be read"
        lines = head.decode("utf-8", "replace").splitlines()
        first = lines[0] if lines else ""
        if not first.startswith("gitdir:"):
            return None  # not a git file: git ignores it and looks further up, inside
        git_dir = os.path.join(os.path.dirname(dot_git), first[len("gitdir:") :].strip())
    if not inside(git_dir):
        return os.path.realpath(git_dir)
    common = os.path.join(git_dir, "commondir")
    if os.path.isfile(common):
        data = read_regular(common, 4096)
        if data is None:
            return f"{common} cannot be read"
        target = os.path.join(git_dir, data.decode("utf-8", "replace").strip())
        if not inside(target):
            return os.path.realpath(target)
    return None


def repo_runs_code(dot_git: str) -> str | None:
    """Why git in the repository of ``dot_git`` may run a program the repository names
    (None: its configuration is all on the inert list and no read-time hook exists).

    ``git status``, ``diff`` and ``describe --dirty`` look into every populated submodule
    (an index entry of mode 160000 whose directory holds a ``.git``) by running git there,
    with *that* repository's configuration and hooks. A submodule whose repository is a
    plain ``.git`` directory in its worktree (a nested clone committed as a gitlink, never
    absorbed into ``.git/modules``) was not looked at: its ``filter.<driver>.clean`` ran on the
    viewer's ``git status`` and its ``diff.external`` on ``git diff --submodule=diff``
    (a twenty-eighth red-team pass, shown in bubblewrap). Each populated submodule's
    repository is now checked the same way, its own submodules too (bounded)."""
    if os.path.islink(dot_git) or not os.path.isdir(dot_git):
        return f"{dot_git} is not a plain git directory (it points elsewhere)"
    seen: set[str] = set()
    top = os.path.realpath(os.path.dirname(dot_git))
    return _repository_runs_code(dot_git, os.path.dirname(dot_git), top, 0, seen, [0])


def _repository_runs_code(
    git_dir: str, worktree: str, top: str, depth: int, seen: set[str], walked: list[int]
) -> str | None:
    """``repo_runs_code`` for one repository and, through its index, its populated
    submodules; ``seen`` the git directories checked, ``walked`` the directories looked at
    under their ``modules``/``worktrees`` (one budget for the whole tree)."""
    real = os.path.realpath(git_dir)
    if real in seen:
        return None
    seen.add(real)
    if len(seen) > _MAX_NESTED:
        return "the repository has too many submodules to check"
    why = _git_dir_runs_code(git_dir, walked)
    if why:
        return why
    links = _gitlinks(git_dir)
    if isinstance(links, str):
        return links
    for name in links:
        sub = os.path.join(worktree, name)
        sub_git = os.path.join(sub, ".git")
        if not os.path.lexists(sub_git):
            continue  # not populated: git does not look there
        if depth >= _MAX_DEPTH:
            return "the repository's submodules nest too deep to check"
        target = _submodule_git_dir(sub_git, top)
        if target.startswith("!"):
            return target[1:]
        why = _repository_runs_code(target, sub, top, depth + 1, seen, walked)
        if why:
            return why
    return None


def _submodule_git_dir(sub_git: str, top: str) -> str:
    """The git directory a populated submodule's ``.git`` entry names (inside the outermost
    worktree ``top``, a real path), or ``!reason``."""
    if os.path.islink(sub_git):
        return f"!the submodule entry {sub_git} is a link"
    if os.path.isdir(sub_git):
        return sub_git
    head = read_regular(sub_git, 4096)
    if head is None:
        return f"!{sub_git} cannot be read"
    lines = head.decode("utf-8", "replace").splitlines()
    first = lines[0] if lines else ""
    if not first.startswith("gitdir:"):
        return f"!{sub_git} is not a git file"
    target = os.path.join(os.path.dirname(sub_git), first[len("gitdir:") :].strip())
    if not under_prefix(os.path.realpath(target), (top,)):
        return f"!the submodule entry {sub_git} names a repository outside its superproject"
    return target


def _git_dir_runs_code(dot_git: str, walked: list[int]) -> str | None:
    if os.path.exists(os.path.join(dot_git, "commondir")):
        return f"{dot_git} shares another repository's configuration"
    for hook in _READ_HOOKS:
        if os.path.lexists(os.path.join(dot_git, "hooks", hook)):
            return f"the repository's {hook} hook runs when git writes the index"
    configs = [os.path.join(dot_git, "config"), os.path.join(dot_git, "config.worktree")]
    for sub in ("modules", "worktrees"):
        base = os.path.join(dot_git, sub)
        for dirpath, dirnames, filenames in os.walk(base):
            walked[0] += 1
            if walked[0] > _MAX_DIRS:
                return "the repository has too many submodules to check"
            # a git directory's own contents hold no configuration: do not walk them
            dirnames[:] = sorted(d for d in dirnames if d not in _GIT_DIR_DATA)
            for f in ("config", "config.worktree"):
                if f in filenames:
                    configs.append(os.path.join(dirpath, f))
            if "hooks" in dirnames and any(
                os.path.lexists(os.path.join(dirpath, "hooks", h)) for h in _READ_HOOKS
            ):
                return "a submodule's hook runs when git writes its index"
            if len(configs) > _MAX_FILES:
                return "the repository has too many configuration files to check"
    for path in configs:
        why = _config_runs_code(path)
        if why:
            return why
    return None


def _gitlinks(git_dir: str) -> tuple[str, ...] | str:
    """The submodule entries of ``git_dir``'s index, and of its shared index files when the
    index is split (``core.splitIndex``: most entries live in ``sharedindex.<hash>``)."""
    links = _index_gitlinks(os.path.join(git_dir, "index"))
    try:
        shared = sorted(f for f in os.listdir(git_dir) if f.startswith("sharedindex."))
    except OSError:
        shared = []
    if len(shared) > 4:
        return "the repository has too many shared index files to check"
    for f in shared:
        if isinstance(links, str):
            break
        more = _index_gitlinks(os.path.join(git_dir, f))
        links = more if isinstance(more, str) else links + more
    return links


def _gitlinks_of(data: bytes) -> tuple[str, ...] | str:
    """The paths of the submodule entries (mode 160000) of the index file ``data`` (versions
    2 to 4), or why they cannot be read. Most indexes hold none: without the mode's four bytes
    anywhere in the file there is nothing to parse."""
    if len(data) > _INDEX_LIMIT:
        return f"the repository's index is larger than {_INDEX_LIMIT} bytes"
    if _GITLINK_MODE not in data:
        return ()
    entries = parse_git_index(data)
    if entries is None:
        return "the repository's index cannot be read"
    return tuple(name for name, mode in entries.items() if mode & 0o170000 == 0o160000)


# One read per index as it is (stat stamp): a viewer's every git command asks again.
_NO_LINKS: tuple[str, ...] | str = ()
_index_gitlinks = StampedReads(_gitlinks_of, _NO_LINKS, _INDEX_LIMIT + 1)


def _config_runs_code(path: str) -> str | None:
    try:
        with open_regular(path) as fh:
            data = fh.read(_LIMIT + 1)
    except FileNotFoundError:
        return None
    except OSError:
        return f"{path} cannot be read"
    if len(data) > _LIMIT:
        return f"{path} is larger than {_LIMIT} bytes"
    section = ""
    urls: dict[str, list[str]] = {}  # remote name → its url values
    promisors: set[str] = set()  # the remotes a partial clone fetches missing objects from
    for line in data.decode("utf-8", "replace").splitlines():
        m = SECTION.match(line)
        if m:
            section = m.group(1).lower() + (f".{m.group(2).lower()}" if m.group(2) else "")
            line = m.group(3)
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        k = KEY.match(line)
        if not k:
            return f"{path} has a line policy cannot read"
        key = f"{section}.{k.group(1).lower()}"
        value = (k.group(2) or "").strip()
        if key in _EXACT and value == _EXACT[key]:
            continue
        partial = _PARTIAL_KEY.match(key)
        if partial:
            # a partial clone (fortieth pass): the table's reads fetch missing objects from
            # the promisor remote, so its URL must name a network transport (checked below)
            promisors.add(value.strip('"') if key == "extensions.partialclone" else partial[1])
            continue
        if key.startswith("remote.") and key.endswith(".url"):
            urls.setdefault(key[len("remote.") : -len(".url")], []).append(value.strip('"'))
        if not _inert().match(key) or _CREDENTIAL_KEY.match(key):
            # The key only, not its value: the reason reaches the agent and the records, and
            # a value may be a credential (http.extraheader, a remote URL with a token).
            return f"the repository's configuration sets {key}, which may run a program"
    for name in sorted(promisors):
        # a name with no URL is itself the URL (`extensions.partialclone = ../x`: a local
        # repository, whose upload-pack runs); a remote helper (`ext::`, `x::`), a local
        # path or `file://` runs a program: only https, http, git and ssh remotes are inert
        found = urls.get(name.lower()) or urls.get(name)
        if not found or not all(_NETWORK_URL.match(u) for u in found):
            return (
                "the repository is a partial clone whose promisor remote is not a network "
                "URL (git may run a program to fetch a missing object)"
            )
    return None
