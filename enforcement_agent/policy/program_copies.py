"""Copies and file contents that programs other than `cp` make, for the CI-line reader.

`script_runs` follows a copy to its run (`cp F /tmp/y && bash /tmp/y`: F is run). These are
the same copies made by git, tar, unzip and interpreters' one-liners (forty-fourth pass):

- what a command prints a workspace file's text from (`git show REV:F`, `git cat-file -p
  REV:F`, `tar -xOf A`, `unzip -p A`): piped to a shell or redirected to a file that runs;
- the folders an archive of the workspace lands in (`tar -cf - D | tar -xf - -C /tmp/o`,
  `git archive HEAD D | tar -x -C /tmp`): a copy of D below that folder;
- an archive extracted outside the workspace (`tar -xf A -C /tmp/t`, `unzip A -d /tmp/t`):
  every file below that folder comes from A, so it stands for A;
- `shutil.copy("F", "/tmp/y")`, `os.rename`, `fs.copyFileSync('F', '/tmp/y')` with literal
  names in a `-c`/`-e` one-liner.

Words are bounded as the reader's are: a command's first 64 words, a one-liner's first 4 KB.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.repo_run_words import UNFIXED

# a destination folder whose every file is the archive it names (not a copy of a folder):
# appended to the folder's name (no path holds a NUL), kept by the copy record as a kind
# beside "" (a file) and "/" (a folder)
ARCHIVE = "/\0archive"

_TARS = frozenset(("tar", "gtar", "bsdtar"))
_INTERPRETERS = lazy_compile(
    r"(?:python[\d.]*|pypy3?|node|nodejs|bun|deno|perl[\d.]*|ruby[\d.]*|php[\d.]*)"
)
# a one-liner's copy with literal names: shutil's copies and moves, os.rename/replace,
# node's fs copies and renames (sync or not), `open(B, "w").write(open(A).read())`; perl's
# File::Copy (`copy`, `cp`, `move`, `mv`) and `rename`, Ruby's FileUtils (`cp`, `cp_r`,
# `copy_file`, `copy_entry`, `mv`, `install`), `IO.copy_stream` and `File.rename`, PHP's
# `copy`/`rename`, with or without parentheses (a forty-fifth red-team pass: `perl -e
# 'copy("ci/x","/tmp/y")'`, `ruby -e 'FileUtils.cp "ci/x", "/tmp/y"'` were no copies)
_CODE_COPY = lazy_compile(
    r"""(?<![\w$])(?:copy(?:file|2|tree|_file|_entry|_stream)?|move|rename|replace|"""
    r"""copyFileSync|copyFile|cpSync|cp|cp_r|mv|install|syscopy|renameSync)"""
    r"""(?:\(\s*|\s+)(['"])([^'"\n]{1,512})\1\s*,\s*(['"])([^'"\n]{1,512})\3"""
)
_CODE_WRITE_READ = lazy_compile(
    r"""(?:open\(\s*(['"])([^'"\n]{1,512})\1\s*,\s*['"][wa]b?['"]\s*\)\s*\.write\(\s*"""
    r"""open|(?:File|IO)\.(?:write|binwrite)\(\s*(['"])([^'"\n]{1,512})\3\s*,\s*"""
    r"""(?:File|IO)\.(?:read|binread)|file_put_contents\(\s*(['"])([^'"\n]{1,512})\5\s*,"""
    r"""\s*file_get_contents)\(\s*(['"])([^'"\n]{1,512})\7"""
)


def _tar_args(args: Sequence[str]) -> tuple[set[str], str, str, list[str]]:
    """(mode letters, archive, directory, operands) of a tar command as tar reads it: an
    old-style first word (`tar xzf A`), clusters (`-xOf A`, `-fA`), `--file=A`, `-C D`."""
    modes: set[str] = set()
    archive = directory = ""
    operands: list[str] = []
    pending: list[str] = []  # letters waiting for their value, in order (`tar xfC A D`)
    for i, a in enumerate(args[:64]):
        if pending:
            letter = pending.pop(0)
            if letter == "f":
                archive = a
            else:
                directory = a
            continue
        if a.startswith("--"):
            opt, eq, value = a.partition("=")
            if opt in ("--file", "--directory") and not eq and i + 1 < len(args):
                pending.append("f" if opt == "--file" else "C")
            elif opt == "--file":
                archive = value
            elif opt == "--directory":
                directory = value
            elif opt in ("--extract", "--get"):
                modes.add("x")
            elif opt == "--create":
                modes.add("c")
            elif opt == "--to-stdout":
                modes.add("O")
            continue
        old_style = i == 0 and re.fullmatch(r"[A-Za-z]+", a)
        if a.startswith("-") and len(a) > 1 or old_style:
            letters = a.lstrip("-")
            for k, c in enumerate(letters):
                if c in "fC":
                    value = letters[k + 1 :]
                    if value and not old_style:
                        archive, directory = (value, directory) if c == "f" else (archive, value)
                    else:
                        pending.append(c)
                    break
                modes.add(c)
            continue
        operands.append(a)
    return modes, archive, directory, operands


def _unzip_args(args: Sequence[str]) -> tuple[str, str, bool]:
    """(archive, directory, to stdout) of `unzip [-opts] A [names] [-d D]`."""
    archive = directory = ""
    stdout = False
    i = 0
    while i < len(args[:64]):
        a = args[i]
        if a == "-d" and i + 1 < len(args):
            directory = args[i + 1]
            i += 2
            continue
        if a.startswith("-d") and len(a) > 2:
            directory = a[2:]
        elif a.startswith("-") and len(a) > 1:
            stdout = stdout or "p" in a[1:] or "c" in a[1:]
        elif not archive:
            archive = a
        i += 1
    return archive, directory, stdout


def _git_blobs(args: Sequence[str]) -> list[str]:
    """The workspace files `git show|cat-file` prints: each `REV:PATH` (`:PATH`, the index)."""
    out = []
    for a in args[1:32]:
        rev, colon, path = a.partition(":")
        if colon and path and not a.startswith("-") and not UNFIXED.search(path):
            out.append(os.path.normpath(path.removeprefix("./")))
    return out


def printed_files(words: Sequence[str]) -> list[str]:
    """The workspace files whose text the command ``words`` prints (see the module)."""
    if not words:
        return []
    head, args = os.path.basename(words[0]), list(words[1:64])
    if head == "git" and args[:1] in (["show"], ["cat-file"]):
        return _git_blobs(args)
    if head in _TARS:
        modes, archive, _, _ = _tar_args(args)
        if "x" in modes and "O" in modes and archive not in ("", "-"):
            return [archive]
    if head == "unzip":
        archive, _, stdout = _unzip_args(args)
        if stdout and archive:
            return [archive]
    if head in _DECODERS:
        # `base64 -d F`, `gunzip -c F`, `xxd -r F`, `jq -r .x F` (its first operand is the
        # filter), `openssl enc -d -in F`: what they print is F's text, transformed
        operands = [a for a in args if not a.startswith("-")]
        if head in ("jq", "yq", "gojq", "jaq", "openssl"):
            operands = operands[1:]
        named = [args[k + 1] for k, a in enumerate(args[:-1]) if a in ("-in", "--input")]
        return [o for o in [*named, *operands] if not UNFIXED.search(o)][:8]
    return []


_DECODERS = frozenset(
    "base64 base32 basenc gunzip zcat gzip bzcat bzip2 bunzip2 xzcat xz unxz zstdcat zstd"
    " unzstd lz4cat lz4 brotli xxd jq yq gojq jaq openssl iconv rev fold expand unexpand nl"
    " dos2unix".split()
)


def _archived(producer: Sequence[str]) -> list[str]:
    """What an archive a producer writes to its output holds: `tar -c[f -] PATHS`, `git
    archive REV [PATHS]` (the whole tree, ".", without them)."""
    if not producer:
        return []
    head, args = os.path.basename(producer[0]), list(producer[1:64])
    if head in _TARS:
        modes, archive, _, operands = _tar_args(args)
        if "c" in modes and archive in ("", "-"):
            return [o for o in operands if not UNFIXED.search(o)]
    if head == "git" and args[:1] == ["archive"]:
        rest = [a for a in args[1:] if not a.startswith("-")]
        paths = [p for p in rest[1:] if not UNFIXED.search(p)]
        return paths or ["."]
    return []


def _outside(folder: str) -> bool:
    """A destination outside the workspace (`/tmp/t`, `~/x`, `$RUNNER_TEMP/t`): whatever is
    below it came from the extraction (inside the workspace it may be the agent's too)."""
    return folder.startswith(("/", "~", "$")) and not folder.startswith("/dev/")


_GIT_CLONE_VALUES = frozenset(
    "--depth -b --branch -o --origin --reference --reference-if-able -c --config --filter"
    " --template -u --upload-pack -j --jobs --separate-git-dir --shallow-since"
    " --shallow-exclude --server-option".split()
)
# an archive file a command makes of workspace paths (`tar -czf /tmp/a.tgz ci`, `zip -r
# /tmp/a.zip ci`): appended to the archive's name, kept by the copy record so that an
# extraction of that archive copies the paths (forty-fourth pass)
CREATED = "/\0created"
# an archive extracted inside the workspace (`tar -xf ci/a.tar -C build`, `unzip A`): its
# members and the agent's own files cannot be told apart there, so a later run of a file below
# that folder protects the archive as well as the file (a forty-fifth red-team pass: `tar -xf
# k/a.tar -C build && bash build/run` left `k/a.tar` writable)
INSIDE = "/\0inside"


def program_copies(words: Sequence[str], upstream: Sequence[str]) -> list[tuple[str, str]]:
    """(source, destination) pairs one simple command copies (as `script_runs._copy_pairs`
    gives them: a destination ending in `/` is a folder the source lands in by its name; a
    destination ending in ``ARCHIVE`` is a folder whose every file is the source)."""
    if not words:
        return []
    head, args = os.path.basename(words[0]), list(words[1:64])
    if head == "git" and args[:1] in (["clone"], ["worktree"]):
        # a clone or a work tree of the workspace's repository (`git clone . /tmp/c`,
        # `git worktree add /tmp/w`): the tree's files below it
        rest = []
        k = 1
        while k < len(args):
            if args[k] in _GIT_CLONE_VALUES:
                k += 2  # (`--depth 1`, `-b main`: an option's value, not an operand)
                continue
            if not args[k].startswith("-"):
                rest.append(args[k])
            k += 1
        if args[0] == "worktree":
            return [(".", rest[1])] if rest[:1] == ["add"] and len(rest) > 1 else []
        if len(rest) >= 2 and (rest[0] in (".", "./") or rest[0].startswith(("file:", "@@"))):
            return [(".", rest[1])]
        return []
    if head == "pax" and any(re.fullmatch(r"-\w*r\w*w\w*|-\w*w\w*r\w*", a) for a in args):
        # `pax -rw D… DEST`: D below DEST
        operands = [a for a in args if not a.startswith("-")]
        return [(o, operands[-1].rstrip("/") + "/") for o in operands[:-1]][:8]
    if head == "cpio" and any(re.fullmatch(r"-\w*p\w*", a) for a in args):
        # `find D … | cpio -pdm DEST`: the names the producer prints, below DEST
        operands = [a for a in args if not a.startswith("-")]
        starts = [w for w in list(upstream)[1:8] if not w.startswith("-")][:1]
        if operands and starts and os.path.basename(upstream[0]) == "find":
            return [(starts[0], operands[-1].rstrip("/") + "/")]
        return []
    if head == "zip":
        # `zip -r A.zip P…`: an archive of P
        operands = [a for a in args if not a.startswith("-")]
        if len(operands) >= 2:
            return [(o, operands[0] + CREATED) for o in operands[1:9]]
        return []
    if head in _TARS:
        modes, archive, directory, operands = _tar_args(args)
        if "c" in modes and archive not in ("", "-"):
            return [(o, archive + CREATED) for o in operands[:8] if not UNFIXED.search(o)]
        if "x" not in modes or "O" in modes:
            return []
        if not directory:
            directory = "."  # (extracted where the line is: in the workspace)
        elif archive in ("", "-"):
            return [(p, directory.rstrip("/") + "/") for p in _archived(upstream)]
        if archive in ("", "-") or UNFIXED.search(archive):
            return []
        return [(archive, directory.rstrip("/") + (ARCHIVE if _outside(directory) else INSIDE))]
    if head == "unzip":
        archive, directory, stdout = _unzip_args(args)
        if archive and not stdout and not UNFIXED.search(archive):
            kind = ARCHIVE if directory and _outside(directory) else INSIDE
            return [(archive, (directory or ".").rstrip("/") + kind)]
        return []
    if _INTERPRETERS.fullmatch(head):
        code = " ".join(a for a in args if not a.startswith("-"))[: 4 << 10]
        pairs = [(m.group(2), m.group(4)) for m in _CODE_COPY.finditer(code)]
        pairs += [
            (m.group(8), m.group(2) or m.group(4) or m.group(6))
            for m in _CODE_WRITE_READ.finditer(code)
        ]
        return pairs[:8]
    return []
