"""The files a program's options and lists make it read: option values that name a file (read
with the program's own table where it has one), the name lists `file -f`, `wc --files0-from`
or `sha256sum -c` read, and HTTPie's request items."""

from __future__ import annotations

import re

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.searchers import SEARCHERS, loads_options, search_args
from enforcement_agent.policy.shell import Word
from enforcement_agent.policy.write_targets import file_args, reader_args, wget_read_files

_SUMS = ("md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum")


# Programs that read the names of the files they open from a file: the short letters and long
# options that do, and the short letters and long options that take a value (so a cluster is
# read as getopt reads it: `file -kf LIST`, `-fLIST`; a long option by any prefix).
NAME_LISTS: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]] = {
    "file": ("f", ("--files-from",), "efFmP", ("--exclude", "--exclude-quiet", "--separator",
             "--magic-file", "--parameter", "--files-from")),
    "wc": ("", ("--files0-from",), "", ("--files0-from",)),
    "du": ("", ("--files0-from",), "BdtX", ("--files0-from", "--block-size", "--max-depth",
           "--threshold", "--exclude-from", "--exclude", "--time-style", "--time")),
    **{s: ("c", ("--check",), "al" if s in ("b2sum", "cksum") else "",
           ("--algorithm", "--length")) for s in _SUMS},
}  # fmt: skip


# Options whose value names a file the program reads (patterns, names or arguments listed
# in it), for any program: checked as reads of it. `--exclude` and `--include` themselves take
# a pattern (`_PATTERN_OPTIONS`); the `-from`/`-file` forms take a file.
_FILE_LONGS = ("--exclude-from", "--include-from", "--files-from", "--files0-from",
               "--from-file", "--ignore-file", "--exclude-file", "--pathspec-from-file",
               "--exclude-per-directory-file", "--fromfile", "--arg-file", "--input-file",
               "--path-to-ignore", "--patterns-from", "--file-list")  # fmt: skip


# Per program: (short letters whose value is such a file, short letters that take another
# value, long options that take another value): so a cluster is read as getopt reads it
# (`du -aX.env`, `du -dX` is a depth) and a GNU long option by any unambiguous prefix.
_OPTION_FILES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "du": ("X", "Bdt", ("--block-size", "--max-depth", "--threshold", "--exclude",
                        "--time-style")),
    "diff": ("X", "xWSIDFCUL", ("--exclude", "--width", "--starting-file", "--label",
                                "--ignore-matching-lines", "--ifdef", "--tabsize",
                                "--horizon-lines", "--show-function-line",
                                "--line-format")),
    # -e, -i, -l take an optional value attached (`-i{}`), never the next word
    "xargs": ("a", "dEILnPs", ("--delimiter", "--max-args", "--max-procs", "--max-chars",
                                  "--process-slot-var")),
    "cpio": ("EF", "HIOR", ("--format", "--owner")),
    "sort": ("", "kStToy", ("--key", "--buffer-size", "--field-separator", "--temporary-directory",
                            "--output", "--parallel", "--sort", "--compress-program")),
}  # fmt: skip


# bsdtar (libarchive) is not GNU tar (`@ARCHIVE` operands, `-s`, `-L` follows links): it
# keeps the old letters until it has a table of its own (it is not an allowed program)
_OPTION_FILES["bsdtar"] = ("XT", "fCbHIKLNgVFs", ("--file", "--directory", "--exclude", "--format"))


# Long options whose value is optional (getopt `optional_argument`): only `--opt=VALUE` gives
# one, the next word is never theirs (an eighteenth red-team pass: `xargs --max-lines -a.env
# echo` printed .env, the `-a.env` read as the value of --max-lines).
_OPTIONAL_LONGS: dict[str, tuple[str, ...]] = {
    "du": ("--time",), "diff": ("--color", "--context", "--unified"),
    "xargs": ("--eof", "--replace", "--max-lines"),
}  # fmt: skip


# zip, 7z: `-x@LIST`, `-i@LIST` (also `-xr@LIST` for 7z) read a list of names or patterns.
_AT_LIST = lazy_compile(r"-[xi]r?[-0-9]?@(.+)\Z", re.S)


# Programs read with their whole option table by the shared parser (write_targets
# READER_TABLES), and the options whose value is a file they read. A nineteenth red-team pass
# found the hand reader (_OPTION_FILES) taking `grep --binary` (a flag of its own) for an
# abbreviation of `--binary-files`, so the `-f.env` after it was read as that value: grep
# read .env's lines as patterns, allowed; and `du --b -X.env` (ambiguous: du still opens
# the -X file before it reports the error).
_TABLED_FILE_OPTIONS: dict[str, frozenset[str]] = {
    "du": frozenset({"-X", "--files0-from"}),
    "wc": frozenset({"--files0-from"}),
    "sort": frozenset({"--files0-from", "--random-source"}),
    "xargs": frozenset({"-a"}),
    "diff": frozenset({"-X", "--from-file", "--to-file"}),
    **{s: frozenset() for s in _SUMS},
    # a twentieth red-team pass: tree's --hintro/--houtro (printed into its HTML), --gitfile
    # and --infofile, read with the program's table (the searchers' files: `searchers`)
    "tree": frozenset({"--gitfile", "--infofile", "--hintro", "--houtro"}),
    "hexdump": frozenset({"-f"}),
    # a twenty-third pass: tar, rsync and fd read with their whole tables (the hand entries
    # knew a handful of their options). tar's snapshot and volume-number files (its archive,
    # `-f`, is checked by tar's argument spec as a path it writes, which -x/-t read: stricter);
    # rsync's --files-from, filter files, password and batch files, and the trees
    # --compare-dest/--copy-dest/--link-dest name
    "tar": frozenset({"-X", "-T", "-g", "--volno-file"}),
    "rsync": frozenset({"--exclude-from", "--include-from", "--files-from", "--password-file",
                        "--read-batch", "--early-input", "--compare-dest", "--copy-dest",
                        "--link-dest"}),
    "fd": frozenset({"--ignore-file"}),
}  # fmt: skip


_TABLED_FILE_OPTIONS["gtar"] = _TABLED_FILE_OPTIONS["tar"]


_TABLED_FILE_OPTIONS["fdfind"] = _TABLED_FILE_OPTIONS["fd"]


_TABLED_FILE_OPTIONS["colordiff"] = _TABLED_FILE_OPTIONS["diff"]


def _tabled_file_values(name: str, args: list[Word]) -> list[Word] | str:
    """The files the options of ``name args`` name, read with its table; str: why not."""
    parsed = reader_args(name, args)
    if isinstance(parsed, str):
        return parsed
    files = _TABLED_FILE_OPTIONS[name]
    return [Word(v, dyn) for o, v, dyn in parsed.options if o in files and v is not None]


def option_file_values(name: str, args: list[Word]) -> list[Word] | str:
    """The files options of ``name args`` make it read (see ``_OPTION_FILES``); str: the
    words cannot be read as the program reads them (undecidable)."""
    if name in SEARCHERS:  # `grep -f F`, `rg --ignore-file F`, `ag -p F`: the searcher's spec
        search = search_args(name, args)
        if isinstance(search, str):
            return search
        return loads_options(name, args) or list(search.files)
    if name in _TABLED_FILE_OPTIONS:
        return _tabled_file_values(name, args)
    if name == "wget":
        return wget_read_files(args)
    letters, valued, long_valued = _OPTION_FILES.get(name, ("", "", ()))
    tabled = name in _OPTION_FILES
    out: list[Word] = []
    if name.startswith("clang-format"):
        # `--style=file:PATH` (clang-format 14+) reads PATH as YAML and prints the lines it
        # cannot parse: a read of PATH (an eighth red-team pass: `--style=file:/etc/shadow`
        # and a link out were allowed; only a secret's name was caught)
        for k, w in enumerate(args):
            head, eq, value = w.text.partition("=")
            if head in ("-style", "--style"):
                if not eq:
                    value = args[k + 1].text if k + 1 < len(args) else ""
                    w = args[k + 1] if k + 1 < len(args) else w
                if value.startswith("file:"):
                    out.append(Word(value[5:], w.dynamic))
    i = 0
    while i < len(args):
        w, t = args[i], args[i].text
        i += 1
        if t == "--":
            break
        if name in ("zip", "7z", "7za", "7zr", "unzip"):
            m = _AT_LIST.match(t)
            if m:
                out.append(Word(m.group(1), w.dynamic))
            continue
        if t.startswith("--") and len(t) > 2:
            head, eq, value = t.partition("=")
            exact = head in _FILE_LONGS
            # a GNU program takes a unique prefix: `--exclude-f=FILE`; an exact other long
            # option (`--exclude`) wins over being a prefix of a file option
            prefix = (
                tabled
                and head not in long_valued
                and any(o.startswith(head) for o in _FILE_LONGS)
                and len(head) > 3
            )
            if exact or prefix:
                if eq:
                    out.append(Word(value, w.dynamic))
                elif i < len(args):
                    out.append(args[i])
                    i += 1
            elif (
                not eq
                and head not in _OPTIONAL_LONGS.get(name, ())
                and any(o.startswith(head) for o in long_valued)
            ):
                i += 1
            continue
        if tabled and t.startswith("-") and len(t) > 1:
            for k, c in enumerate(t[1:], 1):
                if c in letters:
                    rest = t[k + 1 :]
                    if rest:
                        out.append(Word(rest, w.dynamic))
                    elif i < len(args):
                        out.append(args[i])
                        i += 1
                    break
                if c in valued:
                    if not t[k + 1 :]:
                        i += 1
                    break
    return out


# `==@` and `:@` read a query parameter's or a header's value from a file (HTTPie 3.2,
# httpie/cli#1225; xh, ducaale/xh#288): a ninth red-team pass found `X-A:@/etc/passwd` sent
_HTTPIE_SEPARATORS = (":=@", "==@", "=@", "==", ":=", ":@", "=", "@", ":")


def httpie_separator(item: str) -> str:
    """The separator HTTPie splits a request item at: the leftmost one (the longest there),
    a backslash-escaped character never; "" for none."""
    k = 0
    while k < len(item):
        if item[k] == "\\":
            k += 2
            continue
        for sep in _HTTPIE_SEPARATORS:
            if item.startswith(sep, k):
                return sep
        k += 1
    return ""


def name_list_files(name: str, args: list[Word]) -> list[Word] | None:
    """The list files ``name`` reads names from ([] when none; None: names from stdin)."""
    if name == "file":
        fargs = file_args(args)
        if isinstance(fargs, str):
            return None
        if any(v in ("-", "/dev/stdin") for v in fargs.lists):
            return None
        return [Word(v, False) for v in fargs.lists]
    if name in _TABLED_FILE_OPTIONS:
        parsed = reader_args(name, args)
        if isinstance(parsed, str):
            return None
        if name in _SUMS:
            if any(o == "-c" for o, _, _ in parsed.options):
                # `md5sum -c SUMS…`: the operands are the lists (none: stdin)
                return list(parsed.operands) or None
            return []
        return [Word(v, dyn) for o, v, dyn in parsed.options if o == "--files0-from" and v]
    letters, longs, valued, long_valued = NAME_LISTS[name]
    out: list[Word] = []
    operands: list[Word] = []
    checking = False
    i = 0
    while i < len(args):
        w, t = args[i], args[i].text
        i += 1
        if t == "--":
            operands += args[i:]
            break
        if t.startswith("--") and len(t) > 2:
            head, eq, value = t.partition("=")
            full = [o for o in longs + long_valued if o.startswith(head)]
            if any(o in longs for o in full):
                if "--check".startswith(head) and name in _SUMS:
                    checking = True
                elif eq:
                    out.append(Word(value, w.dynamic))
                elif i < len(args):
                    out.append(args[i])
                    i += 1
                else:
                    return None
            elif any(o in long_valued for o in full) and not eq:
                i += 1
            continue
        if t.startswith("-") and len(t) > 1:
            for k, c in enumerate(t[1:], 1):
                if c in letters:
                    if name in _SUMS:
                        checking = True
                        continue
                    rest = t[k + 1 :]
                    if rest:
                        out.append(Word(rest, w.dynamic))
                    elif i < len(args):
                        out.append(args[i])
                        i += 1
                    else:
                        return None
                    break
                if c in valued:
                    if not t[k + 1 :]:
                        i += 1
                    break
            continue
        operands.append(w)
    if checking:  # `md5sum -c SUMS…`: the operands are the lists (none: stdin)
        return operands or None
    return out


_BSD_SUM = lazy_compile(r"[A-Za-z0-9-]+ \((.*)\) = [0-9a-fA-F]+\Z")


_GNU_SUM = lazy_compile(r"[0-9a-fA-F]+ [ *](.*)\Z")


def listed_names(name: str, text: str) -> list[str] | None:
    """The file names in a list ``name`` reads (None: a line it cannot read as it would)."""
    if name in ("wc", "du"):
        return [n for n in text.split("\0") if n]
    if name == "file":
        return [n for n in text.split("\n") if n]
    names = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("\\"):
            return None  # an escaped name
        m = _BSD_SUM.match(line) or _GNU_SUM.match(line)
        if m is None:
            return None
        names.append(m.group(1))
    return names
