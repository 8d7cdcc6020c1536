"""Git configuration files that hold a credential (sixteenth red-team pass, class 9).

``actions/checkout`` (``persist-credentials``, on by default) writes the job's token into
``.git/config`` as ``http.https://github.com/.extraheader = AUTHORIZATION: basic <base64>``,
and a clone from ``https://user:token@host/…`` keeps the token in ``remote.origin.url``. The
redactor masks those values as git prints them, not reversed, cut into pieces or decoded
(`rev .git/config`, `sed -n 's/.*basic //p' .git/config | base64 -d | rev` printed the token).
While such a file holds one, it is a secret file like ``.git-credentials``: read as text here
(never by running git), bounded, and kept while the file's identity stays.
"""

from __future__ import annotations

import os
import threading

from enforcement_agent.lazy_regex import lazy_compile

# The files git reads as the repository's own configuration, workspace-relative, lower-cased.
CONFIG_FILES = (".git/config", ".git/config.worktree")
_LIMIT = 256 << 10
# `extraheader` (any value: an Authorization header), or an http(s) URL whose user part holds
# a password (`user:secret@`) or is itself a long token (`ghp_…@`, `x-access-token:…@`).
_CREDENTIAL = lazy_compile(
    r"(?im)^\s*extraheader\s*=|https?://(?:[^\s/@:]*:[^\s/@]+|[^\s/@:]{20,})@"
)
_LOCK = threading.Lock()
_SEEN: dict[str, tuple[tuple[int, int, int, int], bool]] = {}


def _holds_credential(path: str) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    with _LOCK:
        hit = _SEEN.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    try:
        with open(path, "rb") as fh:
            text = fh.read(_LIMIT).decode("utf-8", "replace")
    except OSError:
        return False
    found = _CREDENTIAL.search(text) is not None
    with _LOCK:
        if len(_SEEN) > 1024:
            _SEEN.clear()
        _SEEN[path] = (stamp, found)
    return found


def credential_configs(root: str) -> frozenset[str]:
    """The workspace's git configuration files (lower-cased, relative) holding a credential."""
    return frozenset(rel for rel in CONFIG_FILES if _holds_credential(os.path.join(root, rel)))


# git's subcommands that print configuration values (urls included): `git config -l`,
# `git config --get x`, `git config x` (one name: a get), `git remote -v`, `git remote
# get-url o`, `git remote show o`, `git ls-remote --get-url`.
_CONFIG_SETS = frozenset(
    {"--unset", "--unset-all", "--add", "--replace-all", "--rename-section",
     "--remove-section", "set", "unset", "rename-section", "remove-section"}
)  # fmt: skip


def prints_configuration(sub: str, words: tuple[str, ...]) -> bool:
    """Whether ``git SUB WORDS`` prints configuration values (over-approximate)."""
    if sub == "config":
        if any(w in _CONFIG_SETS or w.startswith(("--unset", "--replace")) for w in words):
            return False
        names = [w for w in words if not w.startswith("-")]
        if names and names[0] in ("get", "list"):
            return True  # git 2.46's `git config get NAME`, `git config list`
        # `git config NAME VALUE` sets; everything else with a name or a list form prints
        return len(names) != 2 or any(
            w.startswith(("--get", "-l", "--list", "--show")) for w in words
        )
    if sub == "remote":
        rest = [w for w in words if w not in ("-v", "--verbose")]
        if len(rest) < len(words) and (not rest or rest[0] in ("show", "get-url")):
            return True  # `git remote -v`, `git remote -v show o`
        return bool(rest) and rest[0] in ("show", "get-url")
    if sub == "ls-remote":
        return any(w == "--get-url" for w in words)
    return False
