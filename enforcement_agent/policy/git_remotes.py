"""Which repository a git transport command talks to, read without running git.

A push to a repository on the local file system runs *that* repository's hooks
(``pre-receive``, ``update``, ``post-receive``…) and reads its configuration; the agent can
plant such a repository anywhere in the workspace (``evil/HEAD``, ``evil/objects``,
``evil/hooks/pre-receive``: none of them protected paths outside ``.git``), so
``git push ./evil main`` ran a command the policy never saw (third red-team pass). A fetch or
pull from one reads objects the policy has not seen either. Only network transports are
decidable: ``scheme://`` other than ``file://``, and scp-like ``host:path``. A remote name
counts by the URLs the repository's own ``.git/config`` gives it; a name git would not find
there is a path to git, so it is local. The sandbox refuses every local transport as well
(``protocol.allow`` in its git safety settings); this is the policy's own, earlier answer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.regular_reads import open_regular

# git subcommands that contact another repository, and the options that name it as a value.
TRANSPORT_SUBCOMMANDS = frozenset({"push", "fetch", "pull"})
_REPO_OPTIONS = ("--repo=",)
# Options of push/fetch/pull that take their value as the next word (see programs/git.yaml;
# an optional value, `--recurse-submodules[=…]`, is never the next word).
_VALUE_OPTIONS = frozenset(
    {"-o", "--push-option", "--server-option", "--depth", "--deepen", "--shallow-since",
     "--shallow-exclude", "--negotiation-tip", "-j", "--jobs", "--filter", "-s", "--strategy",
     "-X", "--strategy-option", "--repo", "--upload-pack",
     "--receive-pack", "--exec"}
)  # fmt: skip
_SCHEME = lazy_compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_SECTION = lazy_compile(r'\s*\[\s*remote\s+"((?:[^"\\]|\\.)*)"\s*\]\s*(?:[#;].*)?\Z', re.I)
_OTHER_SECTION = lazy_compile(r"\s*\[")
# (the value taken whole and stripped after: `(.*?)\s*\Z` rescanned the blanks after every
# character, and a 32 KB line of blanks inside a URL took 3.4 s of CPU; stop 47)
_URL_KEY = lazy_compile(r"\s*(url|pushurl)\s*=(.*)\Z", re.I)
_CONFIG_LIMIT = 1 << 20


def _is_local_url(url: str) -> bool:
    """What git's transport layer treats as a repository on this machine."""
    if "::" in url.split("/", 1)[0]:
        return True  # a remote helper (`ext::`, `fd::`, `foo::`): not a network transport
    m = _SCHEME.match(url)
    if m:
        return m.group(1).lower() == "file"
    colon, slash = url.find(":"), url.find("/")
    # scp-like `host:path` (a colon before the first slash); `./a:b` and `/a:b` are paths
    return not (colon > 0 and (slash < 0 or colon < slash))


def _config_urls(git_dir: str) -> dict[str, list[str]] | None:
    """``remote.<name>.url``/``pushurl`` from ``git_dir/config`` (None: unreadable, or it
    includes other files whose remotes cannot be known here)."""
    path = os.path.join(git_dir, "config")
    try:
        with open_regular(path) as fh:
            data = fh.read(_CONFIG_LIMIT + 1)
    except FileNotFoundError:
        return {}
    except OSError:
        return None
    if len(data) > _CONFIG_LIMIT:
        return None
    urls: dict[str, list[str]] = {}
    current: str | None = None
    for raw in data.decode("utf-8", "replace").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        m = _SECTION.match(line)
        if m:
            current = m.group(1)
            urls.setdefault(current, [])
            continue
        if _OTHER_SECTION.match(line):
            current = None
            if line[1:].lstrip().lower().startswith(("include", "url ", 'url"', 'url"')):
                return None  # includes, or insteadOf rewrites of URLs
            continue
        m = _URL_KEY.match(line)
        if m and current is not None:
            urls[current].append(m.group(2).strip().strip('"'))
    return _legacy_urls(git_dir, urls)


# git's legacy remote files (`remote.c`): `remotes/NAME` (`URL: …` lines) and `branches/NAME`
# (`URL#branch`), read for a name the configuration gives no URL. `git push up` with
# `.git/remotes/up` saying `URL: ../evil.git` ran that repository's pre-receive hook (a
# thirty-seventh red-team pass); the policy took `up` for a missing remote.
_LEGACY_MAX = 32
_LEGACY_URL = lazy_compile(r"\s*URL\s*:\s*(\S+)", re.I)


def _legacy_urls(git_dir: str, urls: dict[str, list[str]]) -> dict[str, list[str]] | None:
    for folder in ("remotes", "branches"):
        try:
            with os.scandir(os.path.join(git_dir, folder)) as it:
                entries = [e.name for _, e in zip(range(_LEGACY_MAX + 1), it, strict=False)]
        except OSError:
            continue
        if len(entries) > _LEGACY_MAX:
            return None  # more than can be read here: unknown
        for name in entries:
            if urls.get(name):
                continue  # the configuration's URL wins
            try:
                with open_regular(os.path.join(git_dir, folder, name)) as fh:
                    text = fh.read(_CONFIG_LIMIT).decode("utf-8", "replace")
            except OSError:
                return None
            if folder == "remotes":
                found = [m.group(1) for m in map(_LEGACY_URL.match, text.splitlines()) if m]
            else:
                first = text.strip().splitlines()[0] if text.strip() else ""
                found = [first.partition("#")[0].strip()] if first else []
            if found:
                urls[name] = found
    return urls


def _repositories(sub: str, rest: tuple[str, ...]) -> list[str]:
    """The repository words of ``git push|fetch|pull`` (the first operand, ``--repo=``, or
    every operand with ``--multiple``); [] when git uses the configured upstream."""
    named, operands = _repo_options_and_operands(rest)
    if "--all" in rest and sub in ("fetch", "pull"):
        return named  # every configured remote
    if "--multiple" in rest:
        return named + operands
    return named + operands[:1]


def _repo_options_and_operands(rest: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(the values of ``--repo``/``--repo=``, the operands) of ``git push|fetch|pull REST``,
    options that take a value (``_VALUE_OPTIONS``) skipped with it."""
    named: list[str] = []
    operands: list[str] = []
    i = 0
    while i < len(rest):
        t = rest[i]
        if t == "--":
            operands.extend(rest[i + 1 :])
            break
        if t.startswith(_REPO_OPTIONS):
            named.append(t.partition("=")[2])
        elif t in _VALUE_OPTIONS:
            if t == "--repo" and i + 1 < len(rest):
                named.append(rest[i + 1])
            i += 1
        elif not t.startswith("-") or t == "-":
            operands.append(t)
        i += 1
    return named, operands


def local_repository(
    repo: str | None, sub: str, rest: tuple[str, ...], exists: Callable[[str], bool]
) -> str | None:
    """Why ``git <sub> <rest>`` (run in the repository ``repo``, None when there is none)
    would talk to a repository on the local file system; None when it talks to the network
    or to configured upstreams only. ``exists(word)``: whether ``word`` names a file or
    directory where git runs, or may by then (a bare word that is no configured remote is a
    path to git; when nothing is there, git fails without talking to anything)."""
    if sub not in TRANSPORT_SUBCOMMANDS:
        return None
    words = _repositories(sub, rest)
    config = _config_urls(os.path.join(repo, ".git")) if repo else {}
    if not words:
        # the upstream, `--all`: some configured remote (a fourth red-team pass: `git push`
        # alone pushed to a remote added with a path before the policy looked at URLs)
        return configured_local(config, None, f"git {sub}")
    for word in words:
        if not _is_local_url(word):
            continue
        bare = "/" not in word and ":" not in word and word not in (".", "..")
        bare = bare and not word.startswith("~")
        if bare and config is not None:
            urls = config.get(word)
            if urls and not any(_is_local_url(u) for u in urls):
                continue  # a configured remote with network URLs only
            if not urls and not exists(word):
                continue  # no such remote and no such path: git fails
        return (
            f"git {sub} {word!r} talks to a repository on the local file system, whose hooks "
            "and configuration run (only network remotes can be decided)"
        )
    return None


# A fetch refspec's destination with a `*` maps every source ref it matches onto a local ref:
# anywhere but under refs/remotes/ or refs/tags/ it may land on refs/heads/ (`refs/*:refs/*`,
# `r*:r*`, `refs/h*:refs/h*` fast-forward or create local branches, `main` among them; a
# twelfth red-team pass). The exec rule's word globs cannot say "a literal `*` not under these".
_FETCH_GLOB_DESTINATIONS = ("refs/remotes/", "refs/tags/")


def fetch_glob_into_local(sub: str, rest: tuple[str, ...]) -> str | None:
    """Why the refspecs of ``git fetch|pull REST`` may move local branches or refs: a
    destination outside the remote-tracking and tag namespaces (glob or not); None when every
    destination is in one of them."""
    if sub not in ("fetch", "pull") or "--all" in rest or "--multiple" in rest:
        return None
    for spec in _repo_options_and_operands(rest)[1][1:]:
        if spec.startswith("^") or ":" not in spec:
            continue
        dst = spec.lstrip("+").partition(":")[2]
        if "*" in dst and not dst.startswith(_FETCH_GLOB_DESTINATIONS):
            return (
                f"the fetch refspec {spec!r} maps refs onto local refs matching {dst!r}, "
                "which include local branches (only refs/remotes/ and refs/tags/ globs)"
            )
        full = fetch_destination_ref(dst)
        if full and not full.startswith(_FETCH_GLOB_DESTINATIONS):
            branch = full[len("refs/heads/") :] if full.startswith("refs/heads/") else ""
            if branch and not _SPECIAL_REF.match(branch):
                continue  # a new branch, or an existing one: the caller asks the repository
            # a ref of git's own (refs/stash, refs/notes/…, refs/bisect/…) or a branch named
            # like one (`main:HEAD` makes refs/heads/HEAD): an allowlist, not the names of a
            # few branches (a twenty-sixth red-team pass)
            return (
                f"the fetch refspec {spec!r} writes the local ref {full!r}, which is neither a "
                "remote-tracking ref, a tag nor a new branch"
            )
    return None


# Short options of fetch/pull whose value is the rest of the word (`-j4`, `-oX`, `-Xours`).
_SHORT_VALUE_LETTERS = frozenset("josX")


def fetch_forces_tags(sub: str, rest: tuple[str, ...]) -> str | None:
    """Why ``git fetch|pull REST`` replaces local tags: ``--force`` (``-f``) with ``--tags``
    (``-t``) or a ``tag NAME`` operand makes every fetched tag overwrite a local one of the
    same name, and tags have no reflog (a thirtieth red-team pass: `git fetch --tags --force
    origin` replaced a local annotated tag, which `tag -f` may not). With ``--all`` too."""
    if sub not in ("fetch", "pull"):
        return None
    force = tags = False
    for t in rest:
        if t == "--":
            break
        if t == "--force":
            force = True
        elif t == "--tags":
            tags = True
        elif t.startswith("-") and not t.startswith("--"):
            for ch in t[1:]:
                if ch in _SHORT_VALUE_LETTERS:
                    break
                force = force or ch == "f"
                tags = tags or ch == "t"
    if not force:
        return None
    if tags or "tag" in _repo_options_and_operands(rest)[1][1:]:
        return (
            "a forced fetch of tags (--force with --tags, or `tag NAME`) replaces local tags "
            "of the same name, which have no reflog (like tag -f)"
        )
    return None


# Names git gives its own refs (`HEAD`, `FETCH_HEAD`, `ORIG_HEAD` …), never a branch's
_SPECIAL_REF = lazy_compile(r"^(?:@|[A-Z_]*HEAD)$")


def fetch_destination_ref(dst: str) -> str:
    """The full ref git writes for a fetch refspec's destination: `refs/…` as it is,
    `heads/x`, `tags/x`, `remotes/x` under refs/, any other name a local branch (`dev` is
    refs/heads/dev, `HEAD` refs/heads/HEAD: shown with git 2.39)."""
    if not dst or dst.startswith("refs/"):
        return dst
    if dst.startswith(("heads/", "tags/", "remotes/")):
        return "refs/" + dst
    return "refs/heads/" + dst


def fetch_branch_destinations(sub: str, rest: tuple[str, ...]) -> list[str]:
    """The local branches the refspecs of ``git fetch|pull REST`` write (without globs):
    creating one is everyday (`git fetch origin pull/1/head:pr-1`), moving an existing one
    is not (`main:dev` moved `dev`, and `--update-head-ok … :current` the checked-out one)."""
    if sub not in ("fetch", "pull"):
        return []
    out = []
    for spec in _repo_options_and_operands(rest)[1][1:]:
        if spec.startswith("^") or ":" not in spec:
            continue
        full = fetch_destination_ref(spec.lstrip("+").partition(":")[2])
        if full.startswith("refs/heads/") and "*" not in full:
            out.append(full[len("refs/heads/") :])
    return out


def ref_dirs(dot_git: str) -> list[str] | None:
    """The directories that hold the refs of the repository whose ``.git`` entry is
    ``dot_git`` (a directory, a ``gitdir:`` file, and a worktree's ``commondir``); None when
    they cannot be read."""
    git_dir = dot_git
    if not os.path.isdir(dot_git):
        try:
            with open_regular(dot_git) as fh:
                first = fh.read(4096).decode("utf-8", "replace").partition("\n")[0]
        except OSError:
            return None
        if not first.startswith("gitdir:"):
            return None
        git_dir = os.path.join(os.path.dirname(dot_git), first[len("gitdir:") :].strip())
    out = [git_dir]
    common = os.path.join(git_dir, "commondir")
    if os.path.lexists(common):
        try:
            with open_regular(common) as fh:
                target = fh.read(4096).decode("utf-8", "replace").strip()
        except OSError:
            return None
        out.append(os.path.join(git_dir, target))
    return out


def local_branch_exists(git_dir: str, branch: str) -> bool:
    """Whether ``git_dir`` holds the branch, loose or packed (an unreadable packed-refs, or
    one over 4 MiB, counts as holding it)."""
    if os.path.lexists(os.path.join(git_dir, "refs", "heads", branch)):
        return True
    try:
        with open_regular(os.path.join(git_dir, "packed-refs")) as fh:
            data = fh.read(_PACKED_LIMIT + 1)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    if len(data) > _PACKED_LIMIT:
        return True
    want = b" refs/heads/" + branch.encode()
    return any(line.rstrip(b"\r").endswith(want) for line in data.splitlines())


_PACKED_LIMIT = 4 << 20

# How git finds the local ref a push source names (ref_rev_parse_rules; `HEAD` is the everyday
# symbolic one and stays out).
_PUSH_SOURCE_RULES = ("refs/{}", "refs/tags/{}", "refs/heads/{}", "refs/remotes/{}",
                      "refs/remotes/{}/HEAD")  # fmt: skip


def push_sources(sub: str, rest: tuple[str, ...]) -> list[str]:
    """The source names of ``git push REST`` refspecs that give no destination (`x`, `+x`):
    git takes the destination from the source, and a symbolic source's from its target."""
    if sub != "push":
        return []
    out = []
    for spec in _repo_options_and_operands(rest)[1][1:]:
        src = spec.lstrip("+")
        if src and ":" not in src and src != "HEAD":
            out.append(src)
    return out


def symbolic_push_source(git_dir: str, name: str) -> bool:
    """Whether the ref git reads for the push source ``name`` in ``git_dir`` is symbolic (a
    loose ref holding `ref: …`, or a link, which git's files backend reads as one) or cannot
    be read: a thirty-first red-team pass, where `refs/heads/feature-x` holding `ref:
    refs/heads/main` made `git push --force origin feature-x` (a break-glass shape) replace
    the remote's main."""
    for rule in ("{}", *_PUSH_SOURCE_RULES) if name.startswith("refs/") else _PUSH_SOURCE_RULES:
        path = os.path.join(git_dir, rule.format(name))
        if os.path.islink(path):
            return True
        try:
            with open_regular(path) as fh:
                if fh.read(4).startswith(b"ref:"):
                    return True
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            continue
        except OSError:
            return True
    return False


def configured_local(
    config: dict[str, list[str]] | None, names: list[str] | None, what: str
) -> str | None:
    """Why ``what``, talking to the configured remotes ``names`` (None: any of them), may
    talk to a repository on the local file system; None when each has network URLs only."""
    if config is None:
        return f"{what} talks to remotes whose URLs cannot be read (includes, insteadOf)"
    for name, urls in config.items():
        if (names is None or name in names) and any(_is_local_url(u) for u in urls):
            return (
                f"{what} talks to the remote {name!r}, a repository on the local file system, "
                "whose hooks and configuration run (only network remotes can be decided)"
            )
    return None


# `git remote` subcommands that contact remotes (`show` without -n, `update`, `prune`,
# `set-head --auto`, `add -f`)
_REMOTE_CONTACT = frozenset({"show", "update", "prune", "set-head", "add"})


def remote_contact(repo: str | None, rest: tuple[str, ...]) -> str | None:
    """Why ``git remote REST`` may talk to a repository on the local file system."""
    operands = [t for t in rest if not t.startswith("-")]
    action = operands[0] if operands else ""
    if action not in _REMOTE_CONTACT or not repo:
        return None
    if action == "show" and "-n" in rest:
        return None
    if action == "set-head" and not {"-a", "--auto"} & set(rest):
        return None
    if action == "add":
        return None  # its URL is checked by local_remote_url
    config = _config_urls(os.path.join(repo, ".git"))
    names = operands[1:] or None
    return configured_local(config, names, f"git remote {action}")


def local_remote_url(rest: tuple[str, ...]) -> str | None:
    """``git remote add NAME URL`` with a local URL: every later fetch or push of NAME talks
    to a repository on the local file system."""
    operands = [t for t in rest if not t.startswith("-")]
    if operands[:1] == ["add"]:
        # `-t BRANCH`/`-m MASTER` take a value: skip it
        skip = {i + 1 for i, t in enumerate(rest) if t in ("-t", "-m")}
        words = [t for i, t in enumerate(rest) if i not in skip and not t.startswith("-")]
        if len(words) >= 3 and _is_local_url(words[2]):
            return (
                f"git remote add {words[1]!r} {words[2]!r} names a repository on the local "
                "file system, whose hooks and configuration a later push or fetch runs"
            )
    return None


# ---- configuration values that change what a later pull does --------------------------------
# `pull.rebase` (and `branch.<name>.rebase`, not on the key list) takes a boolean, `merges`/`m`
# or `interactive`/`i`; the last starts an interactive rebase whose editor opens on the next
# `git pull`, the human's too when it is stored with `git config`. Only the first two kinds.
_REBASE_KEY = lazy_compile(r"(?:pull|branch\..*)\.rebase\Z", re.I | re.S)
_REBASE_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "1", "0", "merges", "m"})
_CONFIG_VALUE_OPTIONS = frozenset({"--type", "--default", "--value", "--comment", "-f", "--file",
                                   "--blob"})  # fmt: skip
# `git config`'s actions that only read, one list for the argument specs (exec_eval) and the
# value check below (they differed on -l/--list). git 2.39: --get/--get-all/--get-regexp take
# the key and an optional value pattern; -l/--list takes no argument, so `git config -l
# pull.rebase interactive` is refused by git (exit 129) and sets nothing.
GIT_CONFIG_READS = frozenset({"--get", "--get-all", "--get-regexp", "-l", "--list"})


def _rebase_value_problem(key: str, value: str | None) -> str:
    if not _REBASE_KEY.match(key):
        return ""
    if value is None:
        return f"git configuration {key} takes its value from the environment"
    if value.lower() not in _REBASE_VALUES:
        return f"git configuration {key}={value!r} starts an interactive rebase on the next pull"
    return ""


def config_value_problem(texts: tuple[str, ...], sub: str, rest: tuple[str, ...]) -> str:
    """Why a value git's words set (``git -c KEY=V``, ``--config-env=KEY=ENV``, ``git clone
    -c``, ``git config [set] KEY V``) cannot be allowed; "" when none is a problem."""
    pairs: list[tuple[str, str | None]] = []
    i = 0
    while i < len(texts) and texts[i].startswith("-"):
        t = texts[i]
        if t == "-c" and i + 1 < len(texts):
            key, eq, value = texts[i + 1].partition("=")
            pairs.append((key, value if eq else "true"))
            i += 2
            continue
        if t.startswith("-c") and len(t) > 2:
            # `-cKEY=V`, decided as `-c KEY=V` (twenty-fifth pass: it was asked, not refused;
            # git 2.39 rejects the spelling and runs nothing)
            key, eq, value = t[2:].partition("=")
            pairs.append((key, value if eq else "true"))
            i += 1
            continue
        if t.startswith("--config-env="):
            pairs.append((t.partition("=")[2].partition("=")[0], None))
        i += 2 if t in ("-C", "--git-dir", "--work-tree", "--namespace") else 1
    if sub == "clone":
        for j, t in enumerate(rest):
            joined = t.startswith("--config=") or (t.startswith("-c") and len(t) > 2)
            item = t.partition("=")[2] if t.startswith("--config=") else t[2:] if joined else ""
            if t in ("-c", "--config") and j + 1 < len(rest):
                item = rest[j + 1]
            if item:
                key, eq, value = item.partition("=")
                pairs.append((key, value if eq else "true"))
    if sub == "config" and not GIT_CONFIG_READS & set(rest):
        words = list(rest)
        if words[:1] in (["set"], ["--add"]) or words[:1] == ["--replace-all"]:
            words = words[1:]
        plain: list[str] = []
        skip = False
        for t in words:
            if skip:
                skip = False
            elif t in _CONFIG_VALUE_OPTIONS:
                skip = True
            elif not t.startswith("-"):
                plain.append(t)
        if len(plain) >= 2:
            pairs.append((plain[0], plain[1]))
    for name, setting in pairs:
        problem = _rebase_value_problem(name, setting)
        if problem:
            return problem
    return ""
