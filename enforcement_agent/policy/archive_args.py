"""The words of archive extractors as the policy reads them: tar's operands, inputs and stripped
leading components, and what unzip writes where."""

from __future__ import annotations

from typing import NamedTuple

from enforcement_agent.policy.argv_words import plain_operands
from enforcement_agent.policy.paths import tar_argv


def tar_operands(texts: tuple[str, ...], name: str = "tar") -> tuple[str | None, str]:
    argv = tar_argv(name, texts)
    return argv.archive, argv.directory


def tar_renames(texts: tuple[str, ...]) -> int | None:
    """How many leading components extraction strips from every member name
    (--strip-components, also abbreviated); None when members are renamed some other way
    (--transform/--xform, bsdtar -s, an unreadable count)."""
    strip = 0
    for k, t in enumerate(texts):
        head, eq, value = t.partition("=")
        if not head.startswith("--"):
            if head == "-s":
                return None  # bsdtar's -s /old/new/
            continue
        if len(head) >= 4 and ("--transform".startswith(head) or "--xform".startswith(head)):
            return None
        if len(head) >= 5 and "--strip-components".startswith(head):
            value = value if eq else (texts[k + 1] if k + 1 < len(texts) else "")
            if not value.isdigit():
                return None
            strip = int(value)
    return strip


def tar_inputs(texts: tuple[str, ...]) -> list[str]:
    archive, _ = tar_operands(texts)
    ops = [
        t for t in plain_operands(texts[1:] if texts and not texts[0].startswith("-") else texts)
    ]
    return [t for t in ops if t != archive]


class _UnzipArgs(NamedTuple):
    lists: bool  # lists, tests, prints or shows a comment: writes nothing
    archive: str | None
    directory: str
    # -j (junk paths) writes every member as its last component, in the directory: a
    # forty-seventh red-team pass extracted `x/Makefile` as the Makefile CI runs (`unzip -j
    # a.zip`, allowed: the member was checked at `x/Makefile`, where it is not protected)
    junk: bool = False


# Info-ZIP UnZip 6.0's option letters (`unzip -hh`), read as its own option loop reads them:
# a cluster's letters one by one, where d, P, I and O take the rest of the word or the next
# one (`-dsrc/..` is `-d src/..`), and -x starts a list of names that ends at the next option
# (`unzip a.zip -x b -d DIR` extracts into DIR). The modes that write nothing: -l -v -t -z
# -p -c, and -Z (zipinfo: everything after it is zipinfo's). A sixteenth red-team pass
# found `unzip -o -dsrc/.. evil.zip` allowed: the letters of the attached directory (`c`,
# `t`, `p` …) were read as "list only", and the zip's .git/hooks/pre-commit and CLAUDE.md
# were never checked.
_UNZIP_LISTS = frozenset("lvtzpc")


_UNZIP_VALUES = frozenset("dPIO")


_UNZIP_FLAGS = frozenset("fuTxnqoajUCLXVKMbBDEFhNsSWY$/:^2")


def unzip_args(texts: tuple[str, ...]) -> _UnzipArgs | str:
    """(writes nothing, archive, -d directory) as unzip reads ``texts``, or why it cannot."""
    archive: str | None = None
    directory = "."
    lists = excluding = seen_d = junk = False
    i = 0
    while i < len(texts):
        t = texts[i]
        if t.startswith("-") and len(t) > 1:
            excluding = False
            if t.startswith("--"):
                return f"unzip option {t!r} is not one unzip's option loop reads as listed"
            for k in range(1, len(t)):
                c = t[k]
                if c == "Z":
                    return _UnzipArgs(True, archive, directory, junk)
                if c in _UNZIP_VALUES:
                    value = t[k + 1 :]
                    if not value:
                        if i + 1 >= len(texts):
                            return f"unzip -{c} has no value"
                        value, i = texts[i + 1], i + 1
                    if c == "d":
                        if seen_d:  # an error before the archive, member names after it
                            return "unzip -d is given twice"
                        directory, seen_d = value, True
                    break
                if c in _UNZIP_LISTS:
                    lists = True
                elif c == "x":
                    excluding = True
                elif c == "j":
                    junk = True
                elif c not in _UNZIP_FLAGS:
                    return f"unzip option letter {c!r} (in {t!r}) is not one the policy knows"
        elif not excluding and archive is None:
            archive = t
        i += 1
    return _UnzipArgs(lists, archive, directory, junk)
