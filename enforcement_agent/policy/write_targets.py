"""The files a program writes, read from its arguments the way the program itself reads them.

Issue 10, classes 8 and 11: a write the policy does not see as one is a write it does not
check. ``cp -t DIR SRC`` writes ``DIR/SRC`` (not the last word), ``uniq IN OUT`` writes OUT,
``split IN PREFIX`` writes ``PREFIX`` + a suffix, ``cp x/CLAUDE.md .`` writes ``./CLAUDE.md``,
``wget URL`` writes the URL's last component, ``gunzip -N`` writes the name stored in the
archive. Each program's options are listed in full (long options may be abbreviated, short
ones clustered, as GNU getopt reads them) and parsed by the same parser as the argument specs
(:mod:`enforcement_agent.policy.options`); an option that is not listed makes the outputs
unknown, and the caller treats that as undecidable.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.argspec import ProgramSpec, add_options, parse_arg
from enforcement_agent.policy.options import Parsed, parse_args
from enforcement_agent.policy.searchers import SEARCHERS, searcher_spec
from enforcement_agent.policy.searchers import parse as searcher_parse
from enforcement_agent.policy.shell import Word


class Into(NamedTuple):
    """``name`` written inside ``dest`` when ``dest`` is a directory (always, if ``certain``).

    ``source`` is the operand it comes from: a glob stands for every file it expands to, a
    computed one (``dynamic``: names a producer prints, ``find -exec … {}``) for every name the
    producer can print.
    """

    dest: str
    name: str
    certain: bool
    source: str = ""
    dynamic: bool = False


class Outputs(NamedTuple):
    files: tuple[str, ...] = ()  # paths written
    into: tuple[Into, ...] = ()
    # (PREFIX, SUFFIX, ALPHABET): files named PREFIX + a string of ALPHABET + SUFFIX (split)
    prefixes: tuple[tuple[str, str, str], ...] = ()
    problem: str = ""  # why the outputs cannot be known ("" when they can)


_COMMON = ["--help!", "--version!"]
_BACKUP = ["-b", "--backup[=lit]", "-S|--suffix=lit"]
# GNU coreutils 9 (cp, mv, install, ln): every option, so abbreviations read as getopt does.
_OPTIONS: dict[str, list[str]] = {
    "cp": _COMMON + _BACKUP + [
        "-a|--archive", "--attributes-only", "--copy-contents", "-d", "--debug", "-f|--force",
        "-i|--interactive", "-H", "-l|--link", "-L|--dereference", "-n|--no-clobber",
        "-P|--no-dereference", "-p", "--preserve[=lit]", "--no-preserve=lit", "--parents",
        "-R|-r|--recursive", "--reflink[=lit]", "--remove-destination", "--sparse=lit",
        "--strip-trailing-slashes", "-s|--symbolic-link", "-t|--target-directory=lit",
        "-T|--no-target-directory", "-u", "--update[=lit]", "-v|--verbose",
        "--keep-directory-symlink", "-x|--one-file-system", "-Z", "--context[=lit]",
    ],
    "mv": _COMMON + _BACKUP + [
        "--debug", "--exchange", "-f|--force", "-i|--interactive", "-n|--no-clobber",
        "--no-copy", "--strip-trailing-slashes", "-t|--target-directory=lit",
        "-T|--no-target-directory", "-u", "--update[=lit]", "-v|--verbose", "-Z|--context",
    ],
    "install": _COMMON + _BACKUP + [
        "-c", "-C|--compare", "-d|--directory", "-D", "--debug", "-g|--group=lit",
        "-m|--mode=lit", "-o|--owner=lit", "-p|--preserve-timestamps", "-s|--strip",
        "--strip-program=lit", "-t|--target-directory=lit", "-T|--no-target-directory",
        "-v|--verbose", "--preserve-context", "-Z", "--context[=lit]",
    ],
    "ln": _COMMON + _BACKUP + [
        "-d|-F|--directory", "-f|--force", "-i|--interactive", "-L|--logical",
        "-n|--no-dereference", "-P|--physical", "-r|--relative", "-s|--symbolic",
        "-t|--target-directory=lit", "-T|--no-target-directory", "-v|--verbose",
    ],
    # coreutils link(1): `link FILE1 FILE2` makes FILE2 a hard link of FILE1 (no options)
    "link": _COMMON,
    "uniq": _COMMON + [
        "-c|--count", "-d|--repeated", "-D", "--all-repeated[=lit]", "-f|--skip-fields=lit",
        "--group[=lit]", "-i|--ignore-case", "-s|--skip-chars=lit", "-u|--unique",
        "-z|--zero-terminated", "-w|--check-chars=lit", "-[0-9]*", "+[0-9]*",
    ],
    "shuf": _COMMON + [
        "-e|--echo", "-i|--input-range=lit", "-n|--head-count=lit", "-o|--output=lit",
        "--random-source=lit", "-r|--repeat", "-z|--zero-terminated",
    ],
    "iconv": _COMMON + [
        "-f|--from-code=lit", "-t|--to-code=lit", "-l|--list", "-c", "-o|--output=lit",
        "-s|--silent", "--verbose", "-?|--usage|--help",
    ],
    "split": _COMMON + [
        "-a|--suffix-length=lit", "--additional-suffix=lit", "-b|--bytes=lit",
        "-C|--line-bytes=lit", "-d", "--numeric-suffixes[=lit]", "-x", "--hex-suffixes[=lit]",
        "-e|--elide-empty-files", "--filter=lit", "-l|--lines=lit", "-n|--number=lit",
        "-t|--separator=lit", "-u|--unbuffered", "--verbose", "-[0-9]*",
    ],
    "csplit": _COMMON + [
        "-b|--suffix-format=lit", "-f|--prefix=lit", "-k|--keep-files", "-n|--digits=lit",
        "-s|-q|--quiet|--silent", "-z|--elide-empty-files", "--suppress-matched",
    ],
    "mktemp": _COMMON + [
        "-d|--directory", "-u|--dry-run", "-q|--quiet", "--suffix=lit", "-p=lit",
        "--tmpdir[=lit]", "-t",
    ],
    "gzip": _COMMON + [
        "-a|--ascii", "-c|--stdout|--to-stdout", "-d|--decompress|--uncompress", "-f|--force",
        "-h", "-k|--keep", "-l|--list", "-L|--license", "-n|--no-name", "-N|--name",
        "-q|--quiet", "-r|--recursive", "--rsyncable", "-S|--suffix=lit", "--synchronous",
        "-t|--test", "-v|--verbose", "-V", "-1|-2|-3|-4|-5|-6|-7|-8|-9|--fast|--best",
        "-b|--blocksize=lit", "-p|--processes=lit", "-i|--independent", "-R|--rle",
        "-z|--zopfli", "-Y|--synchronous", "-T|--no-time", "-m|--no-time", "-M|--time",
        "-C|--comment=lit", "-A|--alias=lit", "-H|--huffman", "-U|--rle", "-K|--zip",
        "-O|--zip",
    ],
    "xz": _COMMON + [
        "-z|--compress", "-d|--decompress|--uncompress", "-t|--test", "-l|--list", "-k|--keep",
        "-f|--force", "-c|--stdout|--to-stdout", "--single-stream", "--no-sparse",
        "-S|--suffix=lit", "--files[=lit]", "--files0[=lit]", "-F|--format=lit",
        "-C|--check=lit", "--ignore-check", "-0|-1|-2|-3|-4|-5|-6|-7|-8|-9", "-e|--extreme",
        "-T|--threads=lit", "--block-size=lit", "--block-list=lit", "--flush-timeout=lit",
        "--memlimit-compress=lit", "--memlimit-decompress=lit", "--memlimit-mt-decompress=lit",
        "-M|--memlimit|--memory=lit", "--no-adjust", "--lzma1[=lit]", "--lzma2[=lit]",
        "--x86[=lit]", "--arm[=lit]", "--arm64[=lit]", "--delta[=lit]", "-q|--quiet",
        "-v|--verbose", "-Q|--no-warn", "--robot", "--info-memory", "-H|--long-help", "-V",
    ],
}  # fmt: skip
# zstd 1.5 (programs/zstdcli.c): its own loop, not getopt. `-o`/`-D` take the rest of the word
# or the next one (NEXT_FIELD), `-T#`/`-B#`/`-M#` take only the digits of the cluster and the
# cluster goes on (`-T0c` is `-T0 -c`), levels are digits. Left out, so a command using them
# cannot be decided: `--trace LOG` (writes LOG), the `--train*` dictionary builders and the
# benchmark (`-b#`, `-e#`, `-i#`, `-S`), `--filelist` (names read from a file).
_OPTIONS["zstd"] = _COMMON + [
    "-o=lit", "-k|--keep", "--rm", "-d|--decompress|--uncompress", "-z|--compress", "-D=lit",
    "-f|--force", "-h!", "-H!", "-V!", "-c|--stdout", "-v|--verbose", "-q|--quiet",
    "--progress", "--no-progress", "-r", "--output-dir-flat=lit", "--output-dir-mirror=lit",
    "--asyncio", "--no-asyncio", "--check", "--no-check", "-C", "--ultra", "--fast[=lit]",
    "--adapt[=lit]", "--long[=lit]", "--patch-from=lit", "-T[=num]", "--threads=lit",
    "--single-thread", "--auto-threads=lit", "-B[=num]", "--rsyncable",
    "--exclude-compressed", "--stream-size=lit", "--size-hint=lit",
    "--target-compressed-block-size=lit", "--no-dictID", "--compress-literals",
    "--no-compress-literals", "--row-match-finder", "--no-row-match-finder", "--format=lit",
    "-l|--list", "-t|--test", "-M[=num]", "--memory=lit", "--memlimit=lit",
    "--memlimit-decompress=lit", "--sparse", "--no-sparse", "--pass-through",
    "--no-pass-through", "--content-size", "--no-content-size", "--mmap-dict",
    "--no-mmap-dict", "--best", "-0|-1|-2|-3|-4|-5|-6|-7|-8|-9",
]  # fmt: skip
# bzip2 1.0.8 (bzip2.c): a `-` word is a cluster of flags (none takes a value), `--` ends them.
_OPTIONS["bzip2"] = _COMMON + [
    "-h", "-d|--decompress", "-z|--compress", "-k|--keep", "-f|--force", "-t|--test",
    "-c|--stdout", "-q|--quiet", "-v|--verbose", "-L|--license", "-V", "-s|--small",
    "-1|-2|-3|-4|-5|-6|-7|-8|-9|--fast|--best", "--repetitive-fast", "--repetitive-best",
    "--exponential",
]  # fmt: skip
# zip 3.0 (its own get_option, long options abbreviated): the options of its argument spec
# (text.yaml). `-x`/`-i` take a pattern, attached (`-x*.pyc`) or in the next word; an
# eighteenth red-team pass found the letters of such a pattern read as `-y` / `-m`.
_OPTIONS["zip"] = _COMMON + [
    "-r|--recurse-paths", "-q|--quiet", "-v|--verbose", "-j|--junk-paths",
    "-0|-1|-2|-3|-4|-5|-6|-7|-8|-9", "-x|--exclude=lit", "-i|--include=lit", "-u|--update",
    "-f|--freshen", "-d|--delete", "-m|--move", "-y|--symlinks", "-o|--latest-time",
    "-X|--no-extra", "-D|--no-dir-entries", "-g|--grow", "-l|--to-crlf", "-ll|--from-crlf",
    "-h",
]  # fmt: skip
# GNU diffutils 3 diff (getopt_long, abbreviations): an eighteenth red-team pass found
# `diff --recurs -N . src` read as not recursive (only `-r` letters and `--recursive` were).
_OPTIONS["diff"] = _COMMON + [
    "-i|--ignore-case", "--ignore-file-name-case", "--no-ignore-file-name-case",
    "-E|--ignore-tab-expansion", "-Z|--ignore-trailing-space", "-b|--ignore-space-change",
    "-w|--ignore-all-space", "-B|--ignore-blank-lines", "-I|--ignore-matching-lines=lit",
    "-a|--text", "--strip-trailing-cr", "-D|--ifdef=lit", "--old-group-format=lit",
    "--new-group-format=lit", "--unchanged-group-format=lit", "--changed-group-format=lit",
    "--line-format=lit", "--old-line-format=lit", "--new-line-format=lit",
    "--unchanged-line-format=lit", "-q|--brief", "-s|--report-identical-files", "-c",
    "-C=lit", "--context[=lit]", "-u", "-U=lit", "--unified[=lit]", "-e|--ed", "-n|--rcs",
    "-y|--side-by-side", "-W|--width=lit", "--left-column", "--suppress-common-lines",
    "-p|--show-c-function", "-F|--show-function-line=lit", "-l|--paginate",
    "-t|--expand-tabs", "-T|--initial-tab", "--tabsize=lit", "--suppress-blank-empty",
    "-r|--recursive", "--no-dereference", "-N|--new-file", "--unidirectional-new-file",
    "-x|--exclude=lit", "-X|--exclude-from=lit", "-S|--starting-file=lit", "--from-file=lit",
    "--to-file=lit", "--horizon-lines=lit", "-d|--minimal", "--speed-large-files",
    "--color[=lit]", "--palette=lit", "--label=lit", "-L=lit", "--normal", "--binary", "-H",
]  # fmt: skip
_OPTIONS["colordiff"] = _OPTIONS["diff"]
# The programs whose option files and name lists path_checks reads (`du -X FILE`, `wc
# --files0-from=F`, `md5sum -c SUMS`, `xargs -a FILE`), with every option of the versions
# installed here (each short letter and long option tried against the program: coreutils 9.1,
# findutils 4.9). An option outside a table makes the command undecidable. The searchers
# (grep, rg, ag, ack, pt, sift, ugrep) have their specs in `searchers`, read the same way.
_OPTIONS["du"] = _COMMON + [
    "-0|--null", "-a|--all", "--apparent-size", "-B|--block-size=data", "-b|--bytes",
    "-c|--total", "-D|-H|--dereference-args", "-d|--max-depth=data", "--files0-from=lit",
    "-h|--human-readable", "--inodes", "-k", "-L|--dereference", "-l|--count-links", "-m",
    "-P|--no-dereference", "-S|--separate-dirs", "--si", "-s|--summarize",
    "-t|--threshold=data", "--time[=data]", "--time-style=data", "-X|--exclude-from=lit",
    "--exclude=data", "-x|--one-file-system",
]  # fmt: skip
_OPTIONS["wc"] = _COMMON + [
    "-c|--bytes", "-m|--chars", "-l|--lines", "--files0-from=lit", "-L|--max-line-length",
    "-w|--words", "--debug",
]  # fmt: skip
_OPTIONS["sort"] = _COMMON + [
    "-b|--ignore-leading-blanks", "-c", "--check[=data]", "-C", "-d|--dictionary-order",
    "-f|--ignore-case", "-g|--general-numeric-sort", "-h|--human-numeric-sort",
    "-i|--ignore-nonprinting", "-k|--key=data", "-m|--merge", "-M|--month-sort",
    "-n|--numeric-sort", "-o|--output=lit", "-r|--reverse", "-R|--random-sort", "-s|--stable",
    "-S|--buffer-size=data", "-t|--field-separator=data", "-T|--temporary-directory=lit",
    "-u|--unique", "-V|--version-sort", "-y=data", "-z|--zero-terminated",
    "--batch-size=data", "--compress-program=lit", "--debug", "--files0-from=lit",
    "--parallel=data", "--random-source=lit", "--sort=data",
]  # fmt: skip
# xargs' getopt string starts with `+`: options end at the first word that is not one (the
# command), whatever POSIXLY_CORRECT says; `-e`, `-i`, `-l` and the long forms of
# `--eof`, `--replace`, `--max-lines` take a value only attached.
_OPTIONS["xargs"] = _COMMON + [
    "-0|--null", "-a|--arg-file=lit", "-d|--delimiter=data", "-E=data", "-e[=data]",
    "--eof[=data]", "-I=data", "-i[=data]", "--replace[=data]", "-L=data",
    "--max-lines[=data]", "-l[=data]", "-n|--max-args=data", "-o|--open-tty",
    "-P|--max-procs=data", "-p|--interactive", "--process-slot-var=data",
    "-r|--no-run-if-empty", "-s|--max-chars=data", "--show-limits", "-t|--verbose", "-x|--exit",
]  # fmt: skip
_SUM_COMMON = [
    "-c|--check", "-z|--zero", "--ignore-missing", "--quiet", "--status", "--strict",
    "-w|--warn", "--tag",
]  # fmt: skip
for _name in ("md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum"):
    _OPTIONS[_name] = _COMMON + _SUM_COMMON + ["-b|--binary", "-t|--text"]
_OPTIONS["b2sum"] = _COMMON + _SUM_COMMON + ["-b|--binary", "-t|--text", "-l|--length=data"]
_OPTIONS["cksum"] = _COMMON + _SUM_COMMON + [
    "-a|--algorithm=data", "-b", "-t", "-l|--length=data", "--untagged", "--debug",
]  # fmt: skip
# tree 2.1 (its own option loop, not getopt): each letter of a cluster that takes a value
# takes the next word (`tree -La 2`, `-Lo 2 FILE`), long options only by their whole name, with
# `=VALUE` or the next word. A twentieth red-team pass found the hand readers these replace
# missing tree's file options (`tree --hintro=LINK -H x` printed the .env a link names; `tree
# -g --hintro=.env`, the -g read as taking a pattern); ripgrep's (`rg -r '$0' OPENSSH`) moved
# to `searchers`.
_OPTIONS["tree"] = [
    "--help!", "--version!", "-a", "-d", "-l", "-f", "-x", "-L=data", "-R", "-P=data",
    "-I=data", "--gitignore", "--gitfile=lit", "--ignore-case", "--matchdirs", "--metafirst",
    "--prune", "--info", "--infofile=lit", "--noreport", "--charset=data", "--filelimit=data",
    "-o=lit", "-q", "-N", "-Q", "-p", "-u", "-g", "-s", "-h", "--si", "--du", "-D",
    "--timefmt=data", "-F", "--inodes", "--device", "-v", "-t", "-c", "-U", "-r", "--dirsfirst",
    "--filesfirst", "--sort=data", "-i", "-A", "-S", "-n", "-C", "-X", "-J", "-H=data",
    "-T=data", "--nolinks", "--hintro=lit", "--houtro=lit", "--fromfile", "--fflinks",
]  # fmt: skip
# util-linux hexdump 2.38 (getopt_long): `-f FILE` reads its format strings from FILE (a
# twentieth red-team pass: `hexdump -fLINK src/a` printed the .env a link names, once per
# block, allowed for contributors).
_OPTIONS["hexdump"] = [
    "-h|--help!", "-V|--version!", "-b|--one-byte-octal", "-c|--one-byte-char",
    "-C|--canonical", "-d|--two-bytes-decimal", "-o|--two-bytes-octal", "-x|--two-bytes-hex",
    "-L|--color[=data]", "-e|--format=data", "-f|--format-file=lit", "-n|--length=data",
    "-s|--skip=data", "-v|--no-squeezing",
]  # fmt: skip
# GNU tar 1.34, rsync 3.5 (popt: no abbreviations) and fd 8.6 (clap: none either), every
# option each prints in --help (tried one by one against the installed programs by
# tests/policy/test_twentythird_pass_readers.py: each one listed with a value is refused as
# the last word). They replace the hand readers of path_checks (_OPTION_FILES), which knew a
# handful of each program's options; an option outside a table makes the command
# undecidable. fd's -x/-X (a command up to `;`) are left out: never decided here.
_OPTIONS["tar"] = [
    "-A|--catenate|--concatenate", "-c|--create", "--delete", "-d|--diff|--compare",
    "-r|--append", "--test-label", "-t|--list", "-u|--update", "-x|--extract|--get",
    "--check-device", "-g|--listed-incremental=lit", "-G|--incremental", "--hole-detection=data",
    "--ignore-failed-read", "--level=data", "--no-check-device", "--no-seek", "-n|--seek",
    "--occurrence[=data]", "--sparse-version=data", "-S|--sparse", "--add-file=data",
    "-C|--directory=data", "--exclude=data", "--exclude-backups", "--exclude-caches",
    "--exclude-caches-all", "--exclude-ignore=data", "--exclude-ignore-recursive=data",
    "--exclude-tag=data", "--exclude-tag-under=data", "--exclude-vcs", "--exclude-vcs-ignores",
    "--no-null", "--no-recursion", "--no-unquote", "--no-verbatim-files-from", "--null",
    "--verbatim-files-from", "--recursion", "-T|--files-from=lit", "--unquote",
    "-X|--exclude-from=lit", "--anchored", "--ignore-case", "--no-anchored", "--no-ignore-case",
    "--no-wildcards", "--no-wildcards-match-slash", "--wildcards", "--wildcards-match-slash",
    "--keep-directory-symlink", "--keep-newer-files", "-k|--keep-old-files",
    "--no-overwrite-dir", "--one-top-level[=data]", "--overwrite", "--overwrite-dir",
    "--recursive-unlink", "--remove-files", "--skip-old-files", "-U|--unlink-first",
    "-W|--verify", "--no-ignore-command-error", "-O|--to-stdout", "--to-command=data",
    "--atime-preserve[=data]", "--clamp-mtime", "--delay-directory-restore", "--group=data",
    "--group-map=data", "--mode=data", "--mtime=data", "-m|--touch",
    "--no-delay-directory-restore", "--no-same-owner", "--no-same-permissions",
    "--numeric-owner", "--owner=data", "--owner-map=data",
    "-p|--preserve-permissions|--same-permissions", "--same-owner", "--sort=data",
    "-s|--preserve-order|--same-order", "--acls", "--no-acls", "--no-selinux", "--no-xattrs",
    "--selinux", "--xattrs", "--xattrs-exclude=data", "--xattrs-include=data", "--force-local",
    "-f|--file=lit", "-F|--info-script|--new-volume-script=data", "-L|--tape-length=data",
    "-M|--multi-volume", "--rmt-command=data", "--rsh-command=data", "--volno-file=lit",
    "-b|--blocking-factor=data", "-B|--read-full-records", "-i|--ignore-zeros",
    "--record-size=data", "-H|--format=data", "--old-archive|--portability", "--pax-option=data",
    "--posix", "-V|--label=data", "-a|--auto-compress", "-I|--use-compress-program=data",
    "-j|--bzip2", "-J|--xz", "--lzip", "--lzma", "--lzop", "--no-auto-compress", "--zstd",
    "-z|--gzip|--gunzip|--ungzip", "-Z|--compress|--uncompress", "--backup[=data]",
    "--hard-dereference", "-h|--dereference", "-K|--starting-file=data", "--newer-mtime=data",
    "-N|--newer|--after-date=data", "--one-file-system", "-P|--absolute-names", "--suffix=data",
    "--strip-components=data", "--transform|--xform=data", "--checkpoint[=data]",
    "--checkpoint-action=data", "--full-time", "--index-file=data", "-l|--check-links",
    "--no-quote-chars=data", "--quote-chars=data", "--quoting-style=data", "-R|--block-number",
    "--show-defaults!", "--show-omitted-dirs", "--show-snapshot-field-ranges",
    "--show-transformed-names|--show-stored-names", "--totals[=data]", "--utc", "-v|--verbose",
    "--warning=data", "-w|--interactive|--confirmation", "-o", "-?|--help!", "--restrict",
    "--usage!", "--version!",
]  # fmt: skip
_OPTIONS["rsync"] = [
    "-v|--verbose", "--info=data", "--debug=data", "--stderr=data", "-q|--quiet", "--no-motd",
    "-c|--checksum", "-a|--archive", "-r|--recursive", "--inc-recursive|--i-r",
    "--no-inc-recursive", "--no-i-r", "-R|--relative", "--no-implied-dirs", "-b|--backup",
    "--backup-dir=data", "--suffix=data", "-u|--update", "--inplace", "--append",
    "--append-verify", "-d|--dirs", "--old-dirs", "--old-d", "--mkpath", "-l|--links",
    "-L|--copy-links", "--copy-unsafe-links", "--safe-links", "--insecure-links",
    "--confine-root=data", "--munge-links", "-k|--copy-dirlinks", "-K|--keep-dirlinks",
    "-H|--hard-links", "-p|--perms", "-E|--executability", "--chmod=data", "-A|--acls",
    "-X|--xattrs", "-o|--owner", "-g|--group", "--devices", "--copy-devices", "--write-devices",
    "--specials", "--drop-D", "-D", "-t|--times", "-U|--atimes", "--open-noatime",
    "-N|--crtimes", "-O|--omit-dir-times", "-J|--omit-link-times", "--super", "--fake-super",
    "-S|--sparse", "--preallocate", "-n|--dry-run", "-W|--whole-file", "--no-whole-file|--no-W",
    "--checksum-choice=data", "-x|--one-file-system", "-B|--block-size=data", "-e|--rsh=data",
    "--rsync-path=data", "--existing", "--ignore-non-existing", "--ignore-existing",
    "--remove-source-files", "--del", "--delete", "--delete-before", "--delete-during",
    "--delete-delay", "--delete-after", "--delete-excluded", "--ignore-missing-args",
    "--delete-missing-args", "--ignore-errors", "--force", "--max-delete=data",
    "--max-size=data", "--min-size=data", "--max-alloc=data", "--partial", "--partial-dir=data",
    "--delay-updates", "-m|--prune-empty-dirs", "--numeric-ids", "--usermap=data",
    "--groupmap=data", "--chown=data", "--timeout=data", "--contimeout=data",
    "-I|--ignore-times", "--size-only", "--modify-window=data", "-T|--temp-dir=data",
    "-y|--fuzzy", "--compare-dest=lit", "--copy-dest=lit", "--link-dest=lit", "-z|--compress",
    "--compress-choice=data", "--compress-level=data", "--compress-threads=data",
    "--skip-compress=data", "-C|--cvs-exclude", "-f|--filter=data", "-F", "--exclude=data",
    "--exclude-from=lit", "--include=data", "--include-from=lit", "--files-from=lit",
    "-0|--from0", "--old-args", "-s|--secluded-args", "--trust-sender", "--copy-as=data",
    "--address=data", "--port=data", "--sockopts=data", "--blocking-io", "--outbuf=data",
    "--stats", "-8|--8-bit-output", "-h|--human-readable", "--progress", "-P",
    "-i|--itemize-changes", "-M|--remote-option=data", "--out-format=data", "--log-file=data",
    "--log-file-format=data", "--password-file=lit", "--early-input=lit", "--list-only",
    "--bwlimit=data", "--stop-after=data", "--stop-at=data", "--fsync", "--write-batch=data",
    "--only-write-batch=data", "--read-batch=lit", "--protocol=data", "--iconv=data",
    "--checksum-seed=data", "-4|--ipv4", "-6|--ipv6", "-V|--version!", "--help!",
]  # fmt: skip
_OPTIONS["fd"] = [
    "-H|--hidden", "-I|--no-ignore", "--no-ignore-vcs", "--no-ignore-parent", "-u|--unrestricted",
    "-s|--case-sensitive", "-i|--ignore-case", "-g|--glob", "--regex", "-F|--fixed-strings",
    "--and=data", "-a|--absolute-path", "-l|--list-details", "-L|--follow", "-p|--full-path",
    "-0|--print0", "-d|--max-depth=data", "--min-depth=data", "--exact-depth=data",
    "-E|--exclude=data", "--prune", "-t|--type=data", "-e|--extension=data", "-S|--size=data",
    "--changed-within=data", "--changed-before=data", "-o|--owner=data",
    "--batch-size=data", "--ignore-file=lit", "-c|--color=data", "-j|--threads=data",
    "--max-results=data", "-1", "-q|--quiet", "--show-errors", "--base-directory=data",
    "--path-separator=data", "--search-path=data", "--strip-cwd-prefix", "--one-file-system",
    "-h|--help!", "-V|--version!",
]  # fmt: skip
_OPTIONS["gtar"] = _OPTIONS["tar"]
_OPTIONS["fdfind"] = _OPTIONS["fd"]
# the searchers' specs, under the same names (one list each, in `searchers`)
_OPTIONS.update({name: list(s.options) for name, s in SEARCHERS.items()})
# Read with the POSIX rule (options end at the first operand).
_POSIX_TABLES = frozenset({"xargs"})
# Long options only by their whole name (the program takes no abbreviation).
_EXACT_LONGS = frozenset({"tree", "rsync", "fd", "fdfind", "curl", "wget"})
# A first word without a dash is a cluster of letters (`tar czf out.tgz src`).
_OLDSTYLE = frozenset({"tar", "gtar"})
# Each letter of a cluster that takes a value takes the next word (tree's loop).
_NEXT_WORD_VALUES = frozenset({"tree"})
# Programs that take file names as operands: a glob or a computed operand is a name, not an
# option (the names themselves are checked as paths elsewhere).
_NAME_OPERANDS = frozenset(
    {"du", "wc", "sort", "xargs", "md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum",
     "sha512sum", "b2sum", "cksum", "diff", "colordiff", "tree", "hexdump", "tar", "gtar",
     "rsync", "fd", "fdfind"}
)  # fmt: skip
READER_TABLES = frozenset(_NAME_OPERANDS) | frozenset(SEARCHERS)
for _name in ("unzstd", "zstdcat", "zstdmt"):
    _OPTIONS[_name] = _OPTIONS["zstd"]
for _name in ("bunzip2", "bzcat"):
    _OPTIONS[_name] = _OPTIONS["bzip2"]
for _name in ("gunzip", "zcat", "pigz", "unpigz"):
    _OPTIONS[_name] = _OPTIONS["gzip"]
for _name in ("unxz", "xzcat", "lzma", "unlzma", "lzcat"):
    _OPTIONS[_name] = _OPTIONS["xz"]

_ARGS = "lit*"


@lru_cache(maxsize=64)
def _spec(program: str) -> ProgramSpec:
    if program in SEARCHERS:
        return searcher_spec(program)
    spec = ProgramSpec(
        program,
        abbrev=program not in _EXACT_LONGS,
        style="posix" if program in _POSIX_TABLES else "gnu",
        next_word_values=program in _NEXT_WORD_VALUES,
        oldstyle=program in _OLDSTYLE,
    )
    add_options(spec, _OPTIONS[program])
    if program == "curl":
        spec.exact["-#"] = spec.exact["--progress-bar"]  # (a name the notation cannot spell)
    # xargs' operands are its command: one rest item (the reader wants only the options), so
    # a tower of `xargs xargs …` is not read word by word at every level it wraps
    spec.args = (parse_arg("command?" if program == "xargs" else _ARGS),)
    spec.globs_ok = program in _NAME_OPERANDS
    spec.finish()
    return spec


class _Argv(NamedTuple):
    options: tuple[tuple[str, str | None], ...]  # (canonical name, value or None)
    operands: tuple[Word, ...]


def _read(program: str, words: Sequence[Word]) -> tuple[Parsed, Sequence[Word]]:
    """``words`` parsed with ``program``'s table, and the words the parse indexes."""
    if program in SEARCHERS:
        return searcher_parse(program, words)
    return parse_args(_spec(program), words, program), words


def _parse(program: str, words: Sequence[Word]) -> _Argv | str:
    """The options and operands of ``words`` as ``program`` reads them (str: why not)."""
    spec = _spec(program)
    parsed, words = _read(program, words)
    if parsed.error:
        return parsed.error
    inv = parsed.invocations[0]
    values = {it.at: it for it in parsed.items if it.option}
    options: list[tuple[str, str | None]] = [
        (spec.exact[f].canonical if f in spec.exact else f, None)
        for f in dict.fromkeys(inv.argv.flags)
    ]
    options += [(it.option, it.text) for it in values.values()]
    operands = tuple(words[it.at] for it in parsed.items if not it.option)
    return _Argv(tuple(options), operands)


def _has(argv: _Argv, *names: str) -> bool:
    return any(n in names for n, _ in argv.options)


def _value(argv: _Argv, *names: str) -> str | None:
    found = None
    for n, v in argv.options:
        if n in names and v is not None:
            found = v  # the last one wins, as getopt loops
    return found


def read_options(
    program: str, words: Sequence[Word]
) -> tuple[list[tuple[str, str | None]], list[str]] | str:
    """([(canonical option, value or None)], operands) of ``program words`` read with the
    program's table (str: why they cannot be read)."""
    argv = _parse(program, words)
    if isinstance(argv, str):
        return f"{program}'s arguments cannot be read as {program} reads them: {argv}"
    return list(argv.options), [w.text for w in argv.operands]


class ReaderArgs(NamedTuple):
    """A reader's options as its table reads them: (canonical option, value word) pairs with
    the value's text (a flag's value is None), and its operands."""

    options: tuple[tuple[str, str | None, bool], ...]  # (canonical, value, value computed)
    operands: tuple[Word, ...]


def reader_args(program: str, words: Sequence[Word]) -> ReaderArgs | str:
    """``program words`` read with the program's whole option table (READER_TABLES), as the
    program's getopt reads them; str: why they cannot be (an option outside the table, an
    ambiguous abbreviation, a missing value) — the caller treats that as undecidable."""
    spec = _spec(program)
    parsed, words = _read(program, words)
    if parsed.error:
        return f"{program}'s options cannot be read as {program} reads them: {parsed.error}"
    inv = parsed.invocations[0]
    options: list[tuple[str, str | None, bool]] = [
        (spec.exact[f].canonical if f in spec.exact else f, None, False)
        for f in dict.fromkeys(inv.argv.flags)
    ]
    options += [
        (it.option, it.text, words[it.at].dynamic if it.at < len(words) else False)
        for it in parsed.items
        if it.option
    ]
    operands = tuple(words[it.at] for it in parsed.items if not it.option)
    return ReaderArgs(tuple(options), operands)


def value_words(program: str, words: Sequence[Word]) -> frozenset[int] | str:
    """The positions of the words ``program``'s table reads as an option's value given as a
    word of its own (`-H --next`: the header `--next`, no option); str: why not."""
    parsed, words = _read(program, words)
    if parsed.error:
        return f"{program}'s options cannot be read as {program} reads them: {parsed.error}"
    return frozenset(
        it.at
        for it in parsed.items
        if it.option and it.at < len(words) and words[it.at].text == it.text
    )


def takes_next_word(program: str, option: str) -> bool:
    """Whether ``option``, spelled out whole, takes the next word as its value in the table of
    ``program`` (READER_TABLES): a flag or an option whose value is only ever attached does
    not (a twentieth red-team pass: tree's flag `-g` was read as taking a pattern, so the
    `.env` after it escaped the secret-name check)."""
    opt = _spec(program).exact.get(option)
    return opt is not None and opt.kind is not None and not opt.optional


def option_names(program: str, words: Sequence[Word]) -> frozenset[str] | str:
    """The canonical names of the options ``program words`` uses, read with the program's
    table as it reads them (`--arch` is `-a`, `-Rt DIR` is `-R -t DIR`); str: why not."""
    argv = _parse(program, words)
    if isinstance(argv, str):
        return f"{program}'s arguments cannot be read as {program} reads them: {argv}"
    return frozenset(n for n, _ in argv.options)


def outputs(program: str, words: Sequence[Word]) -> Outputs | None:
    """What ``program words`` writes; None for a program this module does not know."""
    handler = _HANDLERS.get(program)
    if handler is None:
        return None
    return handler(program, words)


# ---- copies, moves, links -----------------------------------------------------------------
def _copier(program: str, words: Sequence[Word]) -> Outputs:
    argv = _parse(program, words)
    if isinstance(argv, str):
        return Outputs(
            problem=f"{program}'s arguments cannot be read as {program} reads them: {argv}"
        )
    words_in = list(argv.operands)
    if any(w.dynamic for w in words_in[-1:]) and _value(argv, "-t") is None:
        words_in = []  # a computed destination is undecidable where the paths are checked
    ops = [w.text for w in words_in]
    files: list[str] = []
    into: list[Into] = []
    parents = _has(argv, "--parents")

    def name_in(src: str) -> str:
        if parents:
            return src.lstrip("/")
        return posixpath.basename(src.rstrip("/")) or src

    if program == "install" and _has(argv, "-d"):
        return Outputs(files=tuple(ops))  # every operand is a directory it makes
    target = _value(argv, "-t")
    if target is not None:
        files.append(target)
        into.extend(_into(target, w, True, name_in) for w in words_in)
    elif _has(argv, "-T") or (program == "ln" and len(ops) == 1):
        if program == "ln" and len(ops) == 1:
            into.append(Into(".", name_in(ops[0]), True))
        elif ops:
            files.append(ops[-1])
    elif len(ops) >= 2:
        dest, sources = ops[-1], words_in[:-1]
        files.append(dest)
        certain = len(sources) > 1 or dest.endswith("/") or dest in (".", "..")
        into.extend(_into(dest, w, certain, name_in) for w in sources)
    # `-S SUFFIX` alone makes backups too (GNU coreutils: `cp -S .md a CLAUDE` renames an
    # existing CLAUDE to CLAUDE.md), so a suffix is a backup whether or not -b is given.
    if _has(argv, "-b", "--backup") or _value(argv, "-S") is not None:
        suffix = _value(argv, "-S") or "~"
        if suffix != "~" and any(w.glob for w in argv.operands):
            # the backup's name is each match + SUFFIX, not the glob's text + SUFFIX
            return Outputs(problem=f"{program}'s backups are named after a glob's matches")
        for f in list(files):
            files.append(f.rstrip("/") + suffix)
        into.extend(i._replace(name=i.name + suffix) for i in list(into) if not i.dynamic)
    return Outputs(files=tuple(files), into=tuple(into))


def copy_sources(program: str, words: Sequence[Word]) -> list[str] | None:
    """The source operands of ``cp``/``mv``/``install``/``ln`` as the program reads them
    (every operand with ``-t DIR``, all but the last otherwise); None when they cannot be
    read (the write check says why)."""
    argv = _parse(program, words)
    if isinstance(argv, str):
        return None
    ops = [w.text for w in argv.operands]
    if _value(argv, "-t") is not None:
        return ops
    if _has(argv, "-T") and len(ops) == 2 or len(ops) >= 2:
        return ops[:-1]
    return []


def _into(dest: str, w: Word, certain: bool, name_in: Callable[[str], str]) -> Into:
    if w.dynamic:
        return Into(dest, "", certain, w.text, True)
    return Into(dest, name_in(w.text), certain, w.text)


def _second_operand(program: str, words: Sequence[Word]) -> Outputs:
    """``uniq [IN [OUT]]``: the second operand is written."""
    argv = _parse(program, words)
    if isinstance(argv, str):
        return Outputs(problem=f"{program}'s arguments cannot be read: {argv}")
    ops = argv.operands
    if len(ops) >= 2:
        if ops[1].dynamic:
            return Outputs(problem=f"the output file of {program} is computed at run time")
        return Outputs(files=(ops[1].text,))
    return Outputs()


def _output_option(program: str, words: Sequence[Word]) -> Outputs:
    """``shuf -o F``, ``iconv -o F``."""
    argv = _parse(program, words)
    if isinstance(argv, str):
        return Outputs(problem=f"{program}'s arguments cannot be read: {argv}")
    out = _value(argv, "-o")
    return Outputs(files=(out,) if out else ())


# xxd reads options its own way (`-c8`, `-cols 8`, `-len`, any unique prefix): the options
# that take a value, and every flag; anything else makes its operands unknown.
_XXD_VALUES = lazy_compile(r"-(?:c|cols?|g|groupsize|l|len|n|name|o|offset|s|seek|R)\Z")
_XXD_VALUE_ATTACHED = lazy_compile(r"-(?:c|g|l|o|s)[0-9x+-]")
_XXD_FLAGS = lazy_compile(
    r"-(?:a|autoskip|b|bits|C|capitalize|E|EBCDIC|e|h|help|i|include|p|ps|postscript|plain"
    r"|r|revert|d|decimal|u|v|version)\Z"
)


def _xxd(program: str, words: Sequence[Word]) -> Outputs:
    ops: list[Word] = []
    i = 0
    while i < len(words):
        t = words[i].text
        if t == "--" or ops:
            ops.extend(words[i + 1 :] if t == "--" else words[i:])
            break
        if t.startswith("-") and len(t) > 1:
            if _XXD_VALUES.match(t):
                i += 2
                continue
            if not (_XXD_FLAGS.match(t) or _XXD_VALUE_ATTACHED.match(t)):
                return Outputs(problem=f"xxd option {t} is not one policy knows")
            i += 1
            continue
        ops.append(words[i])
        i += 1
    if len(ops) >= 2:
        if ops[1].dynamic:
            return Outputs(problem="the output file of xxd is computed at run time")
        return Outputs(files=(ops[1].text,))
    return Outputs()


def _base64(program: str, words: Sequence[Word]) -> Outputs:
    """BSD/macOS base64 writes ``-o F`` / ``--output=F``; GNU has neither (refused there)."""
    files = []
    for k, w in enumerate(words):
        t = w.text
        if t in ("-o", "--output") and k + 1 < len(words):
            files.append(words[k + 1].text)
        elif t.startswith("--output=") or t.startswith("-o") and len(t) > 2:
            files.append(t.split("=", 1)[1] if t.startswith("--") else t[2:])
        elif t.startswith("--o") and "--output".startswith(t.partition("=")[0]):
            return Outputs(problem=f"base64 option {t} abbreviates --output")
    return Outputs(files=tuple(files))


# ---- names made from a prefix ---------------------------------------------------------------
# Lower case only: names are compared case-insensitively (a case-insensitive file system).
_DIGITS = "0123456789"
_HEX = _DIGITS + "abcdef"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ALNUM = _LOWER + _DIGITS


def _split(program: str, words: Sequence[Word]) -> Outputs:
    argv = _parse(program, words)
    if isinstance(argv, str):
        return Outputs(problem=f"split's arguments cannot be read: {argv}")
    ops = argv.operands
    if len(ops) > 2:
        return Outputs(problem="split takes at most an input and a prefix")
    if len(ops) == 2 and ops[1].dynamic:
        return Outputs(problem="the output prefix of split is computed at run time")
    prefix = ops[1].text if len(ops) == 2 else "x"
    suffix = _value(argv, "--additional-suffix") or ""
    if _has(argv, "-d", "--numeric-suffixes"):
        alphabet = _DIGITS
    elif _has(argv, "-x", "--hex-suffixes"):
        alphabet = _HEX
    else:
        alphabet = _LOWER
    return Outputs(prefixes=((prefix, suffix, alphabet),))


# csplit's -b FORMAT is printf text around one integer conversion: only a plain one is known.
_CSPLIT_FORMAT = lazy_compile(r"%[0#-]*[0-9]*[dioxXu]\Z")


def _csplit(program: str, words: Sequence[Word]) -> Outputs:
    argv = _parse(program, words)
    if isinstance(argv, str):
        return Outputs(problem=f"csplit's arguments cannot be read: {argv}")
    fmt = _value(argv, "-b")
    if fmt is not None and not _CSPLIT_FORMAT.match(fmt):
        return Outputs(problem=f"csplit's suffix format {fmt!r} makes names policy cannot know")
    return Outputs(prefixes=((_value(argv, "-f") or "xx", "", _HEX),))


def _mktemp(program: str, words: Sequence[Word]) -> Outputs:
    """mktemp makes a file (or directory) in ``-p DIR``/``--tmpdir=DIR`` or the template's
    directory; its name is random, so the directory is what is checked (as DIR/x)."""
    argv = _parse(program, words)
    if isinstance(argv, str):
        return Outputs(problem=f"mktemp's arguments cannot be read: {argv}")
    if _has(argv, "-u"):
        return Outputs()
    ops = [w.text for w in argv.operands]
    directory = _value(argv, "-p", "--tmpdir")
    template = ops[0] if ops else ""
    suffix = _value(argv, "--suffix") or ""
    if directory is None and not _has(argv, "-t", "--tmpdir") and "/" in template:
        directory = posixpath.dirname(template)
    if directory is None:
        if _has(argv, "-t", "--tmpdir") or not template:
            return Outputs()  # $TMPDIR or /tmp: outside the workspace, the sandbox's own
        directory = "."
    base = posixpath.basename(template).rstrip("X") if template else "tmp."
    return Outputs(prefixes=((posixpath.join(directory, base), suffix, _ALNUM),))


# ---- decompressors --------------------------------------------------------------------------
_GZIP_SUFFIXES = ((".gz", ""), ("-gz", ""), (".z", ""), ("-z", ""), ("_z", ""), (".tgz", ".tar"),
                  (".taz", ".tar"))  # fmt: skip


def _gzip(program: str, words: Sequence[Word]) -> Outputs:
    """gzip and its kin name their outputs after their operands: FILE → FILE.gz (or -S SUF)
    when compressing, FILE.gz → FILE when decompressing; -N restores the name stored in the
    archive instead, which is not in the command."""
    argv = _parse(program, words)
    if isinstance(argv, str):
        return Outputs(
            problem=f"{program}'s arguments cannot be read as {program} reads them: {argv}"
        )
    decompress = program in ("gunzip", "unpigz", "zcat") or _has(argv, "-d")
    if program == "zcat" or _has(argv, "-c", "-l", "-t"):
        return Outputs()  # to stdout, a listing or a test: no file written
    if _has(argv, "-r"):
        return Outputs(problem=f"{program} -r writes a file for every file below a directory")
    if decompress:
        last = [n for n, _ in argv.options if n in ("-N", "-n")][-1:]
        restores = last == ["-N"] or (program in ("pigz", "unpigz") and last != ["-n"])
        if restores:
            return Outputs(problem=f"{program} -N writes the file name stored inside the archive")
    return _suffixed(argv, decompress, ".gz", _GZIP_SUFFIXES)


def _suffixed(
    argv: _Argv, decompress: bool, default: str, known: tuple[tuple[str, str], ...]
) -> Outputs:
    """The files a compressor names after its operands: FILE + (-S SUF or ``default`` when
    compressing; FILE less a ``known`` (or -S) suffix, plus its replacement, when
    decompressing."""
    custom = _value(argv, "-S")
    files: list[str] = []
    for w in argv.operands:
        t = w.text
        if w.dynamic or t == "-":
            continue
        if w.glob and (decompress or custom):
            # the name written is derived from each match (`gunzip gz/*.gz` wrote gz/CLAUDE.md
            # while `gz/*` matched no protected file: a twelfth red-team pass)
            return Outputs(problem=f"the names written are derived from the glob {t}")
        if not decompress:
            files.append(t + (custom or default))
            continue
        pairs = (((custom, ""),) if custom else ()) + known
        for suffix, replacement in pairs:
            if t.lower().endswith(suffix.lower()) and len(t) > len(suffix):
                files.append(t[: -len(suffix)] + replacement)
                break
    return Outputs(files=tuple(files))


_XZ_SUFFIXES = ((".xz", ""), (".txz", ".tar"), (".lzma", ""), (".tlz", ".tar"))


def _xz(program: str, words: Sequence[Word]) -> Outputs:
    """xz names its outputs like gzip: FILE → FILE.xz (or -S SUF: `xz -S .md CLAUDE` writes
    CLAUDE.md, a third red-team pass), FILE.xz → FILE; --files reads the names from a file."""
    argv = _parse(program, words)
    if isinstance(argv, str):
        return Outputs(
            problem=f"{program}'s arguments cannot be read as {program} reads them: {argv}"
        )
    if _has(argv, "--files", "--files0"):
        return Outputs(problem=f"{program} --files reads the names it writes from a file")
    if program in ("xzcat", "lzcat") or _has(argv, "-c", "-l", "-t"):
        return Outputs()
    decompress = program in ("unxz", "unlzma") or _has(argv, "-d")
    return _suffixed(argv, decompress, ".lzma" if program == "lzma" else ".xz", _XZ_SUFFIXES)


class CompressorArgs(NamedTuple):
    """How a compressor reads its arguments (see :func:`compressor_args`)."""

    decompress: bool
    no_file: bool  # to stdout, a listing or a test: no file written, no source removed
    keep: bool  # -k/--keep, or the program keeps its sources by default (without --rm)
    recursive: bool
    outputs: tuple[str, ...]  # -o FILE
    output_dirs: tuple[str, ...]  # --output-dir-flat/--output-dir-mirror DIR
    operands: tuple[Word, ...]


_DECOMPRESSING = frozenset({"gunzip", "zcat", "unpigz", "unxz", "xzcat", "unlzma", "lzcat",
                            "unzstd", "zstdcat", "bunzip2", "bzcat"})  # fmt: skip
_TO_STDOUT = frozenset({"zcat", "xzcat", "lzcat", "zstdcat", "bzcat"})
_KEEPS_BY_DEFAULT = frozenset({"zstd", "unzstd", "zstdcat", "zstdmt"})
COMPRESSOR_TABLES = frozenset(
    n for n in _OPTIONS if n in _DECOMPRESSING or n in ("gzip", "pigz", "xz", "lzma", "zstd",
                                                        "zstdmt", "bzip2")
)  # fmt: skip


def compressor_args(program: str, words: Sequence[Word]) -> CompressorArgs | str:
    """``program words`` read with the compressor's whole option table, as it reads them
    (str: why they cannot be read). A seventeenth red-team pass: the readers looked for the
    letters c, d, k, r … in every dash word, so an attached value (`-osrc/../CLAUDE.md`,
    `-Dsrc/dict`, `-Ccrc32`) was read as options."""
    argv = _parse(program, words)
    if isinstance(argv, str):
        return f"{program}'s arguments cannot be read as {program} reads them: {argv}"
    rm = [n for n, _ in argv.options if n in ("--rm", "-k")][-1:]
    keep = rm == ["-k"] or (program in _KEEPS_BY_DEFAULT and rm != ["--rm"])
    return CompressorArgs(
        program in _DECOMPRESSING or _has(argv, "-d"),
        program in _TO_STDOUT
        or _has(argv, "-c", "-l", "-t", "--help", "--version", "-h", "-H", "-V", "-L"),
        keep,
        _has(argv, "-r"),
        # zstd's NEXT_FIELD drops one `=` (`-o=CLAUDE.md` writes CLAUDE.md)
        tuple(v.removeprefix("=") for n, v in argv.options if n == "-o" and v is not None),
        tuple(
            v
            for n, v in argv.options
            if n in ("--output-dir-flat", "--output-dir-mirror") and v is not None
        ),
        argv.operands,
    )


# ---- network clients ------------------------------------------------------------------------
_URL_NAME = lazy_compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*(?P<path>[^?#]*)")


def _url_name(url: str) -> str:
    m = _URL_NAME.match(url)
    path = m.group("path") if m else url
    return posixpath.basename(path)


# curl options that write a file named by their value (besides -o, in write_options).
_CURL_WRITES = frozenset(
    {"-o", "--output", "-c", "--cookie-jar", "-D", "--dump-header", "--trace", "--trace-ascii",
     "--stderr", "--etag-save", "--hsts", "--alt-svc", "--libcurl", "--output-dir"}
)  # fmt: skip
_CURL_VALUES = frozenset(
    {"-A", "--user-agent", "-b", "--cookie", "-d", "--data", "--data-raw", "--data-binary",
     "--data-urlencode", "--json", "-e", "--referer", "-F", "--form", "--form-string", "-H",
     "--header", "-m", "--max-time", "--connect-timeout", "-u", "--user", "-w",
     "--write-out", "-X", "--request", "-x", "--proxy", "--retry", "--retry-delay",
     "--retry-max-time", "-r", "--range", "-C", "--continue-at", "--cacert", "--capath",
     "--cert", "--key", "-E", "--resolve", "--connect-to", "--max-redirs", "--limit-rate",
     "-Y", "--speed-limit", "-y", "--speed-time", "-z", "--time-cond", "--url", "-T",
     "--upload-file", "--etag-compare", "--oauth2-bearer", "--noproxy", "--interface",
     "--dns-servers", "--unix-socket", "--abstract-unix-socket", "--variable", "--expand-url",
     "-K", "--config", "--create-file-mode", "-P", "--ftp-port", "-Q", "--quote",
     "--aws-sigv4", "--proto", "--proto-redir", "--local-port", "--tls-max", "--ciphers",
     "--happy-eyeballs-timeout-ms", "--keepalive-time", "--max-filesize", "--parallel-max",
     "--rate", "--request-target", "-t", "--telnet-option", "--trace-config"}
)  # fmt: skip


# curl's long options (`curl --help all`, 7.88, and a few of 8.x), exactly: curl takes any
# unique prefix of one, in any case (`--conf F` is `--config F`, `--dump-h F` `--dump-header F`,
# `--OUTPUT F` `--output F`), so a long option not spelled out in full cannot be read (a
# thirtieth red-team pass: `curl --conf x` and `curl --dump-h .git/config URL` were allowed
# while `--config` and `--dump-header` were refused; curl 7.88 read the config and wrote the
# file). `--no-NAME` turns a listed boolean off.
_CURL_LONG = frozenset(
    (
        "abstract-unix-socket alt-svc anyauth append aws-sigv4 basic ca-native cacert capath "
        "cert cert-status cert-type ciphers compressed compressed-ssh config connect-timeout "
        "connect-to continue-at cookie cookie-jar create-dirs create-file-mode crlf crlfile "
        "curves data data-ascii data-binary data-raw data-urlencode delegation digest disable "
        "disable-eprt disable-epsv disallow-username-in-url dns-interface dns-ipv4-addr "
        "dns-ipv6-addr dns-servers doh-cert-status doh-insecure doh-url dump-ca-embed "
        "dump-header ech egd-file engine etag-compare etag-save expand-url expect100-timeout "
        "fail fail-early fail-with-body false-start form form-escape form-string ftp-account "
        "ftp-alternative-to-user ftp-create-dirs ftp-method ftp-pasv ftp-port ftp-pret "
        "ftp-skip-pasv-ip ftp-ssl-ccc ftp-ssl-ccc-mode ftp-ssl-control get globoff "
        "happy-eyeballs-timeout-ms haproxy-protocol head header help hostpubmd5 hostpubsha256 "
        "hsts http0.9 http1.0 http1.1 http2 http2-prior-knowledge http3 http3-only "
        "ignore-content-length include insecure interface ip-tos ipv4 ipv6 json "
        "junk-session-cookies keepalive-cnt keepalive-time key key-type knownhosts krb libcurl "
        "limit-rate list-only local-port location location-trusted login-options mail-auth "
        "mail-from mail-rcpt mail-rcpt-allowfails manual max-filesize max-redirs max-time "
        "metalink mptcp negotiate netrc netrc-file netrc-optional next no-alpn no-buffer "
        "no-clobber no-keepalive no-npn no-progress-meter no-sessionid noproxy ntlm ntlm-wb "
        "oauth2-bearer out-null output output-dir parallel parallel-immediate parallel-max pass "
        "path-as-is pinnedpubkey post301 post302 post303 preproxy progress-bar proto "
        "proto-default proto-redir proxy proxy-anyauth proxy-basic proxy-ca-native proxy-cacert "
        "proxy-capath proxy-cert proxy-cert-type proxy-ciphers proxy-crlfile proxy-digest "
        "proxy-header proxy-http2 proxy-insecure proxy-key proxy-key-type proxy-negotiate "
        "proxy-ntlm proxy-pass proxy-pinnedpubkey proxy-service-name proxy-ssl-allow-beast "
        "proxy-ssl-auto-client-cert proxy-tls13-ciphers proxy-tlsauthtype proxy-tlspassword "
        "proxy-tlsuser proxy-tlsv1 proxy-user proxy1.0 proxytunnel pubkey quote random-file "
        "range rate raw referer remote-header-name remote-name remote-name-all remote-time "
        "remove-on-error request request-target resolve retry retry-all-errors retry-connrefused "
        "retry-delay retry-max-time sasl-authzid sasl-ir service-name show-error sigalgs silent "
        "skip-existing socks4 socks4a socks5 socks5-basic socks5-gssapi socks5-gssapi-nec "
        "socks5-gssapi-service socks5-hostname speed-limit speed-time ssl ssl-allow-beast "
        "ssl-auto-client-cert ssl-no-revoke ssl-reqd ssl-revoke-best-effort ssl-sessions sslv2 "
        "sslv3 stderr styled-output suppress-connect-headers tcp-fastopen tcp-nodelay "
        "telnet-option tftp-blksize tftp-no-options time-cond tls-max tls13-ciphers tlsauthtype "
        "tlspassword tlsuser tlsv1 tlsv1.0 tlsv1.1 tlsv1.2 tlsv1.3 tr-encoding trace trace-ascii "
        "trace-config trace-ids trace-time unix-socket upload-file upload-flags url url-query "
        "use-ascii user user-agent variable verbose version vlan-priority write-out xattr "
    ).split()
)


def _curl_long_known(head: str) -> bool:
    name = head[2:]
    return name in _CURL_LONG or (name.startswith("no-") and name[3:] in _CURL_LONG)


def _curl_format_writes(fmt: str) -> bool:
    """A --write-out format that writes a file (`%output{F}`, curl 8.3) or is read from one."""
    return fmt.startswith("@") or "%output{" in fmt or "%{output" in fmt


def _curl(program: str, words: Sequence[Word]) -> Outputs:
    """curl -O/--remote-name[-all] writes the URL's last component (into --output-dir); -J
    takes the name from the server's answer."""
    texts = [w.text for w in words]
    urls: list[str] = []
    remote = 0
    all_remote = False
    out_dir = "."
    files: list[str] = []
    i = 0
    while i < len(texts):
        t = texts[i]
        head, eq, val = t.partition("=")
        if t == "--":
            urls.extend(texts[i + 1 :])
            break
        if t.startswith("--") and not _curl_long_known(head):
            return Outputs(
                problem=f"curl option {head} is not one of curl's long options spelled out in "
                "full (curl reads a unique prefix of any of them, in any case)"
            )
        if t.startswith("--"):
            if head in ("--remote-name",):
                remote += 1
            elif head == "--remote-name-all":
                all_remote = True
            elif head in ("--remote-header-name", "--config"):
                return Outputs(problem=f"curl {head} chooses its output file at run time")
            elif head == "--output-dir":
                out_dir = val if eq else (texts[i + 1] if i + 1 < len(texts) else ".")
                i += 0 if eq else 1
            elif head in _CURL_WRITES and head != "--output-dir":
                files.append(val if eq else (texts[i + 1] if i + 1 < len(texts) else ""))
                i += 0 if eq else 1
            elif head in _CURL_VALUES:
                value = val if eq else (texts[i + 1] if i + 1 < len(texts) else "")
                if head == "--write-out" and _curl_format_writes(value):
                    return Outputs(problem="curl --write-out names a file at run time")
                i += 0 if eq else 1
            elif head == "--url":
                urls.append(val)
        elif t.startswith("-") and len(t) > 1:
            for k, ch in enumerate(t[1:], start=1):
                opt = "-" + ch
                if ch == "O":
                    remote += 1
                elif ch in "JK":
                    return Outputs(problem=f"curl -{ch} chooses its output file at run time")
                elif opt in _CURL_WRITES or opt in _CURL_VALUES:
                    rest = t[k + 1 :]
                    value = rest or (texts[i + 1] if i + 1 < len(texts) else "")
                    if opt == "-w" and _curl_format_writes(value):
                        return Outputs(problem="curl -w names a file at run time")
                    if opt in _CURL_WRITES:
                        files.append(value)
                    if not rest:
                        i += 1
                    break
        else:
            urls.append(t)
        i += 1
    if any(re.search(r"#\d", f) for f in files) and any(c in u for u in urls for c in "[]{}"):
        # `curl -o '#1' 'https://h/{CLAUDE.md,b}'` writes CLAUDE.md: `#N` is replaced by what
        # the URL glob's Nth part matched (an eighth red-team pass)
        return Outputs(problem="curl -o with #N names its files after the URL glob")
    names = urls if all_remote else urls[:remote]
    for u in names:
        if any(c in u for c in "[]{}"):
            return Outputs(problem="curl -O with a URL glob writes names policy cannot list")
        name = _url_name(u)
        if not name:
            return Outputs(problem=f"curl -O cannot name a file after {u!r}")
        files.append(posixpath.join(out_dir, name))
    files = [f for f in files if f and f != "-"]
    return Outputs(files=tuple(files))


# wget's own option table (wget --help, 1.21), read the way its getopt_long reads it: short
# options cluster (`-qO/x` is `-q -O /x`), a value may be attached, `-n` takes one letter
# (`-nv`), and a long option may be abbreviated (`--output-d=/x`). An abbreviation or an
# option not in the table is refused: it could be one that writes (a red-team pass found
# `wget -qO/tmp/x URL` and `--content-disp` allowed).
_WGET_SHORT_VALUES = frozenset("eoaiBtOTwQPUlARDIXn")
_WGET_SHORT_FLAGS = frozenset("46EFHKLNSVbcdhkmpqrvx")
_WGET_LONG_VALUES = frozenset(
    "accept-regex accept append-output backups base bind-address body-data body-file "
    "ca-certificate ca-directory certificate-type certificate ciphers compression config "
    "connect-timeout crl-file cut-dirs default-page directory-prefix dns-timeout domains "
    "exclude-directories exclude-domains execute follow-tags ftp-password ftp-user header "
    "http-password http-user ignore-tags include-directories input-file level limit-rate "
    "load-cookies local-encoding max-redirect method output-document output-file password pinnedpubkey "
    "post-data post-file prefer-family private-key-type private-key progress proxy-password "
    "proxy-user quota read-timeout referer regex-type reject-regex reject rejected-log "
    "remote-encoding report-speed restrict-file-names retry-on-http-error save-cookies "
    "secure-protocol start-pos timeout tries use-askpass user-agent user wait waitretry "
    "warc-dedup warc-file warc-header warc-max-size warc-tempdir hsts-file".split()
)
_WGET_LONG_FLAGS = frozenset(
    "adjust-extension ask-password auth-no-challenge background backup-converted "
    "content-disposition content-on-error continue convert-file-only convert-links debug "
    "delete-after follow-ftp force-directories force-html ftps-clear-data-connection "
    "ftps-fallback-to-ftp ftps-implicit ftps-resume-ssl help https-only ignore-case "
    "ignore-length inet4-only inet6-only keep-session-cookies mirror "
    "page-requisites preserve-permissions protocol-directories quiet random-wait recursive "
    "relative retr-symlinks retry-connrefused save-headers server-response show-progress "
    "span-hosts spider strict-comments timestamping trust-server-names unlink verbose "
    "version warc-cdx xattr cache check-certificate clobber config cookies directories "
    "dns-cache glob host-directories hsts http-keep-alive if-modified-since iri netrc parent "
    "passive-ftp proxy remove-listing use-server-timestamps warc-compression warc-digests "
    "warc-keep-log".split()
)
_WGET_SHORT_LONG = {
    "O": "--output-document", "o": "--output-file", "a": "--append-output",
    "P": "--directory-prefix", "e": "--execute", "i": "--input-file", "B": "--base",
    "x": "--force-directories", "r": "--recursive", "m": "--mirror", "p": "--page-requisites",
}  # fmt: skip
_WGET_NO_LETTERS = {"d": "--no-directories", "H": "--no-host-directories"}


# curl's and wget's option tables for the one option parser (`options.parse_args`): what the
# HTTP method reader (`api_requests`) reads a request with. curl 7.88's `curl --help all`
# (every option, the short letter beside its long name, `<arg>` where it takes a value) and
# the 8.x names of `_CURL_LONG`; a boolean also as `--no-NAME`. A forty-sixth pass moved the
# method reader off its own loops onto these tables (one reading of each program's options).
_CURL_SHORT_LONG = dict(
    (pair[0], pair[2:])
    for pair in (
        "a:append E:cert K:config C:continue-at b:cookie c:cookie-jar d:data q:disable "
        "D:dump-header f:fail F:form P:ftp-port G:get g:globoff I:head H:header h:help "
        "0:http1.0 i:include k:insecure 4:ipv4 6:ipv6 j:junk-session-cookies l:list-only "
        "L:location M:manual m:max-time n:netrc ::next N:no-buffer o:output Z:parallel "
        "#:progress-bar x:proxy U:proxy-user p:proxytunnel Q:quote r:range e:referer "
        "J:remote-header-name O:remote-name R:remote-time X:request S:show-error s:silent "
        "Y:speed-limit y:speed-time 2:sslv2 3:sslv3 t:telnet-option z:time-cond 1:tlsv1 "
        "T:upload-file B:use-ascii u:user A:user-agent v:verbose V:version w:write-out"
    ).split()
)
_CURL_LONG_TAKES = frozenset(
    (
        "abstract-unix-socket alt-svc aws-sigv4 cacert capath cert cert-type ciphers config "
        "connect-timeout connect-to continue-at cookie cookie-jar create-file-mode crlfile "
        "curves data data-ascii data-binary data-raw data-urlencode delegation dns-interface "
        "dns-ipv4-addr dns-ipv6-addr dns-servers doh-url dump-header egd-file engine "
        "etag-compare etag-save expect100-timeout form form-string ftp-account "
        "ftp-alternative-to-user ftp-method ftp-port ftp-ssl-ccc-mode "
        "happy-eyeballs-timeout-ms header hostpubmd5 hostpubsha256 hsts interface json "
        "keepalive-time key key-type krb libcurl limit-rate local-port login-options mail-auth "
        "mail-from mail-rcpt max-filesize max-redirs max-time netrc-file noproxy oauth2-bearer "
        "output output-dir parallel-max pass pinnedpubkey proto proto-default proto-redir "
        "proxy-cacert proxy-capath proxy-cert proxy-cert-type proxy-ciphers proxy-crlfile "
        "proxy-header proxy-key proxy-key-type proxy-pass proxy-pinnedpubkey "
        "proxy-service-name proxy-tls13-ciphers proxy-tlsauthtype proxy-tlspassword "
        "proxy-tlsuser proxy-user proxy1.0 pubkey quote random-file range rate referer "
        "request request-target resolve retry retry-delay retry-max-time sasl-authzid "
        "service-name socks4 socks4a socks5 socks5-gssapi-service socks5-hostname speed-limit "
        "speed-time stderr telnet-option tftp-blksize time-cond tls-max tls13-ciphers "
        "tlsauthtype tlspassword tlsuser trace trace-ascii unix-socket upload-file url "
        "url-query user user-agent write-out "
        # (8.x)
        "ech expand-url ip-tos keepalive-cnt knownhosts sigalgs ssl-sessions trace-config "
        "upload-flags variable vlan-priority"
    ).split()
)


def _client_table(
    longs: frozenset[str], takes: frozenset[str], shorts: dict[str, str], negated: bool
) -> list[str]:
    """Option entries: each long name (with its short letter), `=lit` where it takes a value;
    a flag also as `--no-NAME` when ``negated``."""
    letter = {long.removeprefix("--"): short for short, long in shorts.items()}
    out = []
    for name in sorted(longs):
        names = (
            "--" + name + (f"|-{letter[name]}" if name in letter and letter[name] != "#" else "")
        )
        if name in takes:
            out.append(names + "=lit")
        elif negated:
            out.append(
                names.replace("--", "--[no-]", 1) + ("!" if name in ("help", "version") else "")
            )
        else:
            out.append(names)
    return out


_OPTIONS["curl"] = _client_table(_CURL_LONG, _CURL_LONG_TAKES, _CURL_SHORT_LONG, True)
_OPTIONS["wget"] = (
    _client_table(_WGET_LONG_VALUES, _WGET_LONG_VALUES, _WGET_SHORT_LONG, False)
    + _client_table(_WGET_LONG_FLAGS - _WGET_LONG_VALUES, frozenset(), _WGET_SHORT_LONG, True)
    + ["--no-config"]
    + [f"-{c}=lit" for c in sorted(_WGET_SHORT_VALUES - set(_WGET_SHORT_LONG))]
    + [f"-{c}" for c in sorted(_WGET_SHORT_FLAGS - set(_WGET_SHORT_LONG))]
)


def _wget_words(texts: list[str]) -> tuple[list[tuple[str, str | None]], list[str], str]:
    """wget's words as (option, value) pairs in long form where it matters, and its URLs;
    a non-empty third item says why the words cannot be read."""
    opts: list[tuple[str, str | None]] = []
    urls: list[str] = []
    i = 0
    while i < len(texts):
        t = texts[i]
        nxt = texts[i + 1] if i + 1 < len(texts) else None
        if t == "--":
            urls.extend(texts[i + 1 :])
            break
        if t.startswith("--"):
            head, eq, val = t[2:].partition("=")
            known = head in _WGET_LONG_VALUES or head in _WGET_LONG_FLAGS
            if not known and head.startswith("no-") and head[3:] in _WGET_LONG_FLAGS:
                known = True
            if not known:
                return opts, urls, f"wget option --{head} is not one policy can read"
            if head in _WGET_LONG_VALUES and not (head in _WGET_LONG_FLAGS and not eq):
                if not eq:
                    if nxt is None:
                        return opts, urls, f"wget --{head} needs a value"
                    val, i = nxt, i + 1
                opts.append(("--" + head, val))
            else:
                opts.append(("--" + head, None))
        elif t.startswith("-") and len(t) > 1:
            k = 1
            while k < len(t):
                ch = t[k]
                if ch in _WGET_SHORT_VALUES:
                    val = t[k + 1 :]
                    if not val:
                        if nxt is None:
                            return opts, urls, f"wget -{ch} needs a value"
                        val, i = nxt, i + 1
                    if ch == "n":
                        for letter in val:
                            if letter in _WGET_NO_LETTERS:
                                opts.append((_WGET_NO_LETTERS[letter], None))
                            elif letter not in "vcp":
                                return opts, urls, f"wget -n{letter} is not one policy can read"
                    else:
                        opts.append((_WGET_SHORT_LONG.get(ch, "-" + ch), val))
                    break
                if ch not in _WGET_SHORT_FLAGS:
                    return opts, urls, f"wget option -{ch} is not one policy can read"
                opts.append((_WGET_SHORT_LONG.get(ch, "-" + ch), None))
                k += 1
        else:
            urls.append(t)
        i += 1
    return opts, urls, ""


_WGET_RUN_TIME_NAMES = frozenset(
    {"--content-disposition", "--trust-server-names", "--input-file", "--execute", "--config",
     "--no-directories", "--no-host-directories", "--cut-dirs", "--force-directories",
     "--base", "--default-page", "--backups", "--protocol-directories"}
)  # fmt: skip
_WGET_FILE_VALUES = frozenset(
    {"--output-document", "--output-file", "--append-output", "--save-cookies", "--hsts-file",
     "--warc-file", "--rejected-log"}
)  # fmt: skip


# The options whose value is a file wget reads (certificates and keys for TLS, cookies it
# sends, the URLs of -i, its configuration, a request body): read with the table above, the
# same reading as its outputs. A twentieth red-team pass: the path checks' hand reader knew
# only -i, so `wget --load-cookies LINK URL`, `--private-key=LINK`, `--certificate=LINK`,
# `--ca-certificate`, `--crl-file` opened the .env a workspace symlink names (and a file
# outside the workspace through one), allowed; the cookies of the file are sent to the host.
_WGET_READS = frozenset(
    {"--input-file", "--load-cookies", "--certificate", "--private-key", "--ca-certificate",
     "--ca-directory", "--crl-file", "--pinnedpubkey", "--post-file", "--body-file",
     "--hsts-file", "--config"}
)  # fmt: skip


def wget_read_files(words: Sequence[Word]) -> list[Word] | str:
    """The files wget reads because of its options (str: its words cannot be read)."""
    opts, _, problem = _wget_words([w.text for w in words])
    if problem:
        return f"wget's options cannot be read as wget reads them: {problem}"
    return [
        Word(v)
        for n, v in opts
        if n in _WGET_READS and v is not None and not (n == "--pinnedpubkey" and "//" in v)
    ]


def _wget(program: str, words: Sequence[Word]) -> Outputs:
    """wget writes the URL's last component (or -O F) into -P DIR; -r/-m/-p write a tree
    under the host's name; --content-disposition and the like let the server name it."""
    opts, urls, problem = _wget_words([w.text for w in words])
    if problem:
        return Outputs(problem=problem)
    files: list[str] = []
    prefix = "."
    document = False
    recursive = False
    for name, value in opts:
        if name in _WGET_RUN_TIME_NAMES:
            return Outputs(problem=f"wget {name} chooses its output file at run time")
        if name in ("--recursive", "--mirror", "--page-requisites"):
            recursive = True
        elif name == "--directory-prefix" and value is not None:
            prefix = value
        elif name in _WGET_FILE_VALUES and value is not None:
            files.append(value)
            document = document or name == "--output-document"
    if recursive and not document:
        # the tree goes under PREFIX/HOST/…, and below HOST the server names every file and
        # directory: a nested CLAUDE.md, .envrc or .git/config (a repository whose
        # configuration runs commands) is one link away (an eighth red-team pass)
        return Outputs(problem="wget -r/-m/-p saves files the server names, under the host's")
    if not document:
        for u in urls:
            files.append(posixpath.join(prefix, _url_name(u) or "index.html"))
    return Outputs(files=tuple(f for f in files if f and f != "-"))


# GNU patch 2.7 (patch.c's getopt string "bB:cd:D:eEfF:g:i:lnNo:p:r:RstTuvV:x:Y:z:Z" and its long
# options), read as its getopt reads them: clustered short options (`-ti FILE` is `-t -i FILE`),
# attached values (`-d.git`), abbreviations of long options (`--inp`, `--dir`). Left out on
# purpose, so a command using them cannot be decided: `-g/--get` (checks files out of RCS,
# SCCS or ClearCase by running their programs), `-e/--ed` (hands the patch to ed(1)),
# `-x/--debug` and `--follow-symlinks` (writes through the links a patch names).
_OPTIONS["patch"] = _COMMON + [
    "-p|--strip=lit", "-F|--fuzz=lit", "-l|--ignore-whitespace", "-c|--context", "-n|--normal",
    "-u|--unified", "-N|--forward", "-R|--reverse", "-i|--input=lit", "-o|--output=lit",
    "-r|--reject-file=lit", "-D|--ifdef=lit", "--merge[=lit]", "-E|--remove-empty-files",
    "-Z|--set-utc", "-T|--set-time", "--quoting-style=lit", "-b|--backup",
    "--backup-if-mismatch", "--no-backup-if-mismatch", "-V|--version-control=lit",
    "-B|--prefix=lit", "-Y|--basename-prefix=lit", "-z|--suffix=lit", "-t|--batch",
    "-f|--force", "-s|--quiet|--silent", "--verbose", "--dry-run", "--posix",
    "-d|--directory=lit", "--reject-format=lit", "--binary", "--read-only=lit", "-v!",
]  # fmt: skip


class PatchArgs(NamedTuple):
    """How GNU patch reads its arguments: the patch it applies, the -p strip level (None: not
    a number; -1: no -p, the last component), the -d directory, the ORIGFILE operand (the one file it patches), and whether it
    writes nothing (--dry-run, --help, --version)."""

    patchfile: str | None
    strip: int | None
    directory: str
    files: tuple[str, ...]
    dry_run: bool


def patch_args(words: Sequence[Word]) -> PatchArgs | str:
    """``patch words`` as patch reads them (str: why they cannot be read)."""
    argv = _parse("patch", words)
    if isinstance(argv, str):
        return f"patch's arguments cannot be read as patch reads them: {argv}"
    ops = [w.text for w in argv.operands]
    patchfile = _value(argv, "-i")
    if patchfile is None and len(ops) >= 2:
        patchfile = ops[1]
    strip_text = _value(argv, "-p")
    # (no -p: -1, GNU patch's last component; see paths._strip_components)
    strip = -1 if strip_text is None else int(strip_text) if strip_text.isdigit() else None
    return PatchArgs(
        patchfile,
        strip,
        _value(argv, "-d") or ".",
        tuple(ops[:1]),
        _has(argv, "--dry-run", "--help", "--version", "-v"),  # these write nothing
    )


def _patch(program: str, words: Sequence[Word]) -> Outputs:
    """patch -o F / -r F write F; -B P / -Y P write backups named P + the file's name."""
    argv = _parse("patch", words)
    if isinstance(argv, str):
        return Outputs(problem=f"patch's arguments cannot be read as patch reads them: {argv}")
    files: list[str] = []
    prefixes: list[tuple[str, str, str]] = []
    for name, value in argv.options:
        if name == "-z":
            # every patched file's backup is FILE + SUFFIX (`-b -z .md CLAUDE` writes
            # CLAUDE.md), and which files a patch touches is in the patch
            return Outputs(problem="patch --suffix names a backup after every patched file")
        if value is None or value == "-":
            continue
        if name in ("-o", "-r"):
            files.append(value)
        elif name in ("-B", "-Y"):
            prefixes.append((value, "", _ALNUM + "./-_"))
    return Outputs(files=tuple(files), prefixes=tuple(prefixes))


def _inplace_all(program: str, words: Sequence[Word]) -> Outputs:
    """yq -i / --inplace rewrites every file operand (the expression is checked as one too:
    a path check of an expression text is harmless)."""
    texts = [w.text for w in words]
    inplace = any(
        t in ("-i", "--inplace") or (t[:1] == "-" and t[1:2] != "-" and "i" in t[1:]) for t in texts
    )
    if not inplace:
        return Outputs()
    return Outputs(files=tuple(w.text for w in words if not w.text.startswith("-")))


# cloc reads options with Perl's Getopt::Long (unique prefixes, `--opt=v` or `--opt v`).
_CLOC_FILES = ("--out", "--report-file", "--sql", "--categorized", "--counted", "--found",
               "--ignored", "--unique", "--write-lang-def", "--write-lang-def-incl-dup")  # fmt: skip


def _cloc(program: str, words: Sequence[Word]) -> Outputs:
    files: list[str] = []
    texts = [w.text for w in words]
    for k, t in enumerate(texts):
        if not t.startswith("-") or t == "-":
            continue
        head, eq, val = t.lstrip("-").partition("=")
        hits = [n for n in _CLOC_FILES if n[2:].startswith(head)] if len(head) >= 2 else []
        if any(n[2:] == head for n in hits):
            hits = ["--" + head]
        if not hits:
            continue
        if len(hits) > 1:
            return Outputs(problem=f"cloc option {t} may name a file it writes")
        value = val if eq else (texts[k + 1] if k + 1 < len(texts) else "")
        if value and value != "-":
            files.append(value)
    return Outputs(files=tuple(files))


def _history(program: str, words: Sequence[Word]) -> Outputs:
    """bash's `history -w FILE` / `-a FILE` write FILE; `-r`/`-n` read it. Without FILE each
    uses $HISTFILE, or readline's `~/.history` where it is unset (`bash -c` leaves it unset):
    a file outside the workspace, computed from the environment (a twenty-fifth red-team
    pass: `history -r; history` printed the agent's `$HOME/.history`)."""
    texts = [w.text for w in words]
    flags = "".join(t[1:] for t in texts if t.startswith("-") and t != "--")
    writes = any(c in flags for c in "aw")
    operands = [t for t in texts if not t.startswith("-")]
    if (writes or any(c in flags for c in "nr")) and not operands:
        return Outputs(
            problem="history -a/-n/-r/-w without a file use $HISTFILE or ~/.history, a file "
            "outside the workspace"
        )
    return Outputs(files=tuple(operands) if writes else ())


def _tree(program: str, words: Sequence[Word]) -> Outputs:
    """tree -o FILE writes FILE; -R writes 00Tree.html into every directory it lists.

    Read with tree's whole table (`_OPTIONS["tree"]`): each letter of a cluster that takes a
    value takes the next word (`tree -ao FILE`, `-Lo 2 FILE` write FILE: a sixteenth red-team
    pass), long options by their whole name only; words tree's table cannot read make the
    outputs unknown."""
    argv = _parse("tree", words)
    if isinstance(argv, str):
        return Outputs(problem=f"tree's arguments cannot be read as tree reads them: {argv}")
    if _has(argv, "-R"):
        return Outputs(problem="tree -R writes 00Tree.html into every directory it lists")
    return Outputs(files=tuple(v for n, v in argv.options if n == "-o" and v is not None))


# file 5.44 (src/file.c: getopt_long with "bcCde:Ef:F:hiklLm:nNpP:rsSvzZ0" and its long
# options), read by the shared parser: clusters (`-Cm NAME`), attached values (`-m.env`,
# `-f.env`), abbreviations (`--mag`). A seventeenth red-team pass: `file -f.env` and `file
# -m.env a.txt` read .env and print its lines in their error messages ("cannot open
# `SECRET=…'", "offset `SECRET=…' invalid"); only a separate value was checked, and `file
# -Cm NAME` was read as compiling `magic.mgc`. An option outside this table is undecidable.
_OPTIONS["file"] = _COMMON + [
    "-v|--version!", "-m|--magic-file=lit", "-z|--uncompress", "-Z|--uncompress-noreport",
    "-b|--brief", "-c|--checking-printout", "-e|--exclude=lit", "--exclude-quiet=lit",
    "-f|--files-from=lit", "-F|--separator=lit", "-i|--mime", "--apple", "--extension",
    "--mime-type", "--mime-encoding", "-k|--keep-going", "-l|--list", "-L|--dereference",
    "-h|--no-dereference", "-n|--no-buffer", "-N|--no-pad", "-0|--print0",
    "-p|--preserve-date", "-P|--parameter=lit", "-r|--raw", "-s|--special-files",
    "-S|--no-sandbox", "-C|--compile", "-d|--debug", "-E",
]  # fmt: skip


class FileArgs(NamedTuple):
    """How file(1) reads its arguments: the magic files (-m, `:`-separated), the name lists
    (-f), whether it compiles (-C), and its operands."""

    magic: tuple[str, ...]
    lists: tuple[str, ...]
    compile: bool
    operands: tuple[Word, ...]


def file_args(words: Sequence[Word]) -> FileArgs | str:
    """``file words`` as file's getopt_long reads them (str: why they cannot be read)."""
    argv = _parse("file", words)
    if isinstance(argv, str):
        return f"file's arguments cannot be read as file reads them: {argv}"
    magic = [m for n, v in argv.options if n == "-m" and v for m in v.split(":") if m]
    lists = [v for n, v in argv.options if n == "-f" and v is not None]
    return FileArgs(tuple(magic), tuple(lists), _has(argv, "-C"), argv.operands)


def _file_compile(program: str, words: Sequence[Word]) -> Outputs:
    """file -C -m MAGIC writes MAGIC.mgc (in the current directory)."""
    args = file_args(words)
    if isinstance(args, str):
        return Outputs(problem=args)
    if not args.compile:
        return Outputs()
    files: list[str] = []
    for magic in args.magic:
        files += [magic + ".mgc", posixpath.basename(magic) + ".mgc"]
    return Outputs(files=tuple(files or ["magic.mgc"]))


# jar 17 (jdk.jartool: GNU-style options, or letters without a dash as the first word, each
# value letter taking the next word in order: `jar xvf a.jar`). A seventeenth red-team pass:
# the extraction reader looked for an `x` in the first word only, so `jar -v -x -f a.jar` and
# `jar --verbose --extract --file=a.jar` (both extract, checked by effect) were not seen as
# extractions. `-C`, `--release`, `-i` and the module options are left out (undecidable).
_OPTIONS["jar"] = _COMMON + [
    "-c|--create", "-t|--list", "-u|--update", "-x|--extract", "-d|--describe-module",
    "--validate", "-f|--file=lit", "-v|--verbose", "-e|--main-class=lit", "-m|--manifest=lit",
    "-M|--no-manifest", "-0|--no-compress", "-k|--keep-old-files", "--date=lit", "-h!",
    "--help-extra!",
]  # fmt: skip


@lru_cache(maxsize=1)
def _jar_spec() -> ProgramSpec:
    spec = ProgramSpec("jar", oldstyle=True)
    add_options(spec, _OPTIONS["jar"])
    spec.args = (parse_arg(_ARGS),)
    spec.finish()
    return spec


class JarArgs(NamedTuple):
    extracts: bool
    archive: str | None  # -f FILE (None: stdin)


def jar_args(words: Sequence[Word]) -> JarArgs | str:
    """``jar words`` as jar reads them (str: why they cannot be read)."""
    spec = _jar_spec()
    parsed = parse_args(spec, words, "jar")
    if parsed.error:
        return f"jar's arguments cannot be read as jar reads them: {parsed.error}"
    flags = {
        spec.exact[f].canonical if f in spec.exact else f for f in parsed.invocations[0].argv.flags
    }
    archive = [it.text for it in parsed.items if it.option in ("-f", "--file")][-1:]
    return JarArgs("-x" in flags, archive[0] if archive else None)


_HANDLERS = {
    "cloc": _cloc,
    "history": _history,
    "tree": _tree,
    "file": _file_compile,
    "patch": _patch,
    "yq": _inplace_all,
    "cp": _copier,
    "mv": _copier,
    "install": _copier,
    "ln": _copier,
    "uniq": _second_operand,
    "link": _second_operand,
    "xxd": _xxd,
    "shuf": _output_option,
    "iconv": _output_option,
    "base64": _base64,
    "split": _split,
    "csplit": _csplit,
    "mktemp": _mktemp,
    "gzip": _gzip,
    "gunzip": _gzip,
    "zcat": _gzip,
    "pigz": _gzip,
    "unpigz": _gzip,
    "xz": _xz,
    "unxz": _xz,
    "xzcat": _xz,
    "lzma": _xz,
    "unlzma": _xz,
    "lzcat": _xz,
    "curl": _curl,
    "wget": _wget,
}
WRITERS = frozenset(_HANDLERS) | {"rsync", "scp"}
