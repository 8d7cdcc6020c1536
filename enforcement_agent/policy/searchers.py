"""One option spec per searcher (grep and its names, ag, rg, ack, pt, sift, ugrep), read by the
one option parser (:func:`enforcement_agent.policy.options.parse_args`).

Issue 10, classes 4 and 9: each searcher's options were known in up to four places (a table of
option files, a table of optional-valued long options, a table of starts, a shared hand reader
for the rest), each reading the words its own way. Here every option of each program is listed
once, in the notation of the argument specs (``-x|--long=KIND``, ``[=KIND]`` for a value given
only attached, ``!`` for an option that exits), and everything the path checks need comes from
that one parse: the paths searched (the operands after the pattern, or ``.``), the files
options read (kind ``read``: ``grep -f FILE``, ``rg --ignore-file FILE``, ``ag -p FILE``), and
whether the search recurses, follows links or reads hidden files. An option outside a list —
or one left out because it runs a command, loads a configuration or writes a file (``ag
--pager``, ``ack --pager``/``--ackrc``, ``ugrep --filter``/``--config``/``--save-config``,
``sift --output``/``--write-config``) — makes the words unreadable: the caller refuses them.

Where each list was checked: GNU grep 3.8, ag 2.2.0 and ripgrep 13.0.0 are installed here and
every option their ``--help`` (and binary) names is tried against them by
``tests/policy/test_searcher_specs.py``. ack, pt, sift and ugrep are not installed: their lists
are taken from their sources (ack 3 ``App::Ack::ConfigLoader``, pt ``option.go``, sift
``options.go``) and ugrep's manual (2.3); where a reading is uncertain the list takes the
stricter one (a value that may be the next word is read as taking it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from enforcement_agent.policy.argspec import ProgramSpec, add_options, parse_arg
from enforcement_agent.policy.options import Parsed, parse_args
from enforcement_agent.policy.rg_types import RG_TYPES
from enforcement_agent.policy.shell import Word, charge


class Searcher(NamedTuple):
    options: tuple[str, ...]  # every option (argument-spec notation; kind `read`: a file it reads)
    exact_longs: bool = False  # long options only by their whole name (no getopt abbreviation)
    pflag: bool = False  # `-A=3` is `-A 3` (go-flags)
    recursive: bool = True  # searches directories without being told to
    recurse: frozenset[str] = frozenset()  # options that make it recursive (grep -r)
    pattern: frozenset[str] = frozenset()  # options giving the pattern: operands are all paths
    no_pattern: frozenset[str] = frozenset()  # options that take no pattern at all (rg --files)
    names_only: frozenset[str] = frozenset()  # options that print names, never contents
    follow: frozenset[str] = frozenset()  # options that follow links met in the tree
    hidden: frozenset[str] | None = None  # options that read hidden files (None: always read)
    # options whose rules may whitelist a hidden file, which is then read (rg --ignore-file
    # with `!` rules); rg's globs (-g, --iglob) are read as name filters (``whitelist``)
    unhide: frozenset[str] = frozenset()
    # spellings whose value is the next word only when that word is a number (ag's `-A 3`,
    # ack's `--context 3`); otherwise the next word is read as it would be without them
    numeric_next: frozenset[str] = frozenset()
    number: str = r"[-+]?[0-9]+"  # what the program takes for a number there
    config: str = ""  # why its words alone do not say what it does ("": they do)
    # option files it loads from the working, parent or home directory unless told not to by
    # one of ``config_off`` (decided by ``loads_options``; ``search_of`` reads the words only)
    config_files: str = ""
    config_off: frozenset[str] = frozenset()
    config_on: frozenset[str] = frozenset()  # options that turn it back on (the last one wins)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# GNU grep 3.8 (getopt_long "0123456789A:B:C:D:EFGHIPTUVX:abcd:e:f:hiLlm:noqRrsuvwxyZz"; long
# options from grep.c, `--fixed-regexp` an undocumented spelling of -F).
_GREP = _words(
    "--help! -V|--version! -E|--extended-regexp -F|--fixed-strings|--fixed-regexp "
    "-G|--basic-regexp -P|--perl-regexp -X=data -e|--regexp=data -f|--file=read "
    "-i|-y|--ignore-case --no-ignore-case -w|--word-regexp -x|--line-regexp -z|--null-data "
    "-s|--no-messages -v|--invert-match -m|--max-count=data -b|--byte-offset "
    "-n|--line-number --line-buffered -H|--with-filename -h|--no-filename --label=data "
    "-o|--only-matching -q|--quiet|--silent --binary-files=data -a|--text -I "
    "-d|--directories=data -D|--devices=data -r|--recursive -R|--dereference-recursive "
    "--include=data --exclude=data --exclude-from=read --exclude-dir=data "
    "-L|--files-without-match -l|--files-with-matches -c|--count -T|--initial-tab -Z|--null "
    "-B|--before-context=data -A|--after-context=data -C|--context=data "
    "--group-separator=data --no-group-separator --color|--colour[=data] -U|--binary "
    "-u|--unix-byte-offsets -0|-1|-2|-3|-4|-5|-6|-7|-8|-9"
)
# ripgrep 13 (clap 2): long options only whole; the hidden `--no-…` negations each flag has
# were tried one by one against the binary (a twentieth red-team pass).
_RG = _words(
    "--auto-hybrid-regex --binary --block-buffered --column --context-separator=data --crlf "
    "--debug --trace --files -l|--files-with-matches --files-without-match "
    "-F|--fixed-strings -L|--follow --glob-case-insensitive --heading -.|--hidden "
    "-i|--ignore-case --ignore-file-case-insensitive --include-zero -v|--invert-match --json "
    "--line-buffered -n|--line-number -x|--line-regexp --max-columns-preview --mmap "
    "-U|--multiline --multiline-dotall --no-config -I|--no-filename --no-heading --no-ignore "
    "--no-ignore-dot --no-ignore-exclude --no-ignore-files --no-ignore-global "
    "--no-ignore-messages --no-ignore-parent --no-ignore-vcs -N|--no-line-number "
    "--no-messages --no-mmap --no-pcre2-unicode --no-require-git --no-unicode -0|--null "
    "--null-data --one-file-system -o|--only-matching --passthru|--passthrough "
    "-P|--pcre2 --pcre2-version! -p|--pretty -q|--quiet -z|--search-zip -S|--smart-case "
    "-s|--case-sensitive --stats -a|--text --trim --type-list! -u|--unrestricted --vimgrep "
    "-H|--with-filename -w|--word-regexp -b|--byte-offset -c|--count --count-matches "
    "--sort-files --no-sort-files --messages --ignore-messages --ignore --ignore-dot "
    "--ignore-exclude --ignore-files --ignore-global --ignore-parent --ignore-vcs "
    "--require-git --unicode --pcre2-unicode --no-auto-hybrid-regex --no-binary "
    "--no-block-buffered --no-column --no-context-separator --no-crlf --no-encoding "
    "--no-fixed-strings --no-follow --no-glob-case-insensitive --no-hidden "
    "--no-ignore-file-case-insensitive --no-json --no-line-buffered --no-max-columns-preview "
    "--no-multiline --no-multiline-dotall --no-one-file-system --no-pcre2 --no-pre "
    "--no-search-zip --no-stats --no-text --no-trim -V|--version! -h|--help! "
    "-A|--after-context=data -B|--before-context=data -C|--context=data --color=data "
    "--colors=data --dfa-size-limit=data -E|--encoding=data --engine=data "
    "--field-context-separator=data --field-match-separator=data -f|--file=read "
    "-g|--glob=data --iglob=data --ignore-file=read -M|--max-columns=data "
    "-m|--max-count=data --max-depth|--maxdepth=data --max-filesize=data "
    "--path-separator=data --pre=lit --pre-glob=data --regex-size-limit=data "
    "-e|--regexp=data -r|--replace=data --sort=data --sortr=data -j|--threads=data "
    "-t|--type=data --type-add=data --type-clear=data -T|--type-not=data"
)
# the_silver_searcher 2.2.0 (getopt_long "A:aB:C:cDG:g:FfHhiLlm:nop:QRrSsvVtuUwW:z0", the long
# options in its binary, and a `--TYPE` flag per file type of `ag --list-file-types`). -A/-B/-C
# take the next word only when it is a number (`ag -A 3 PAT`; ag puts any other word back, so
# `ag -A PAT` searches PAT); --after/--before/--context take a value only as `=N`. `--pager`
# runs a command: left out.
AG_TYPES = _words(
    "actionscript ada asciidoc apl asm asp aspx batch bazel bitbake cc cfmx chpl clojure coffee "
    "config coq cpp crystal csharp cshtml css cython delphi dlang dot dts ebuild elisp elixir "
    "elm erlang factor fortran fsharp gettext glsl go gradle groovy haml handlebars haskell haxe "
    "hh html idris ini ipython isabelle j jade java jinja2 js json jsp julia kotlin less liquid "
    "lisp log lua m4 make mako markdown mason matlab mathematica md mercury naccess nim nix objc "
    "objcpp ocaml octave org parrot pdb perl php pike plist plone powershell proto ps1 pug "
    "puppet python qml racket rake razor restructuredtext rs r rdoc ruby rust salt sass scala "
    "scheme shell smalltalk sml sql stata stylus swift tcl terraform tex thrift tla tt toml ts "
    "twig vala vb velocity verilog vhdl vim vue wix wsdl wadl xml yaml zeek zephir"
)
_AG = _words(
    "-h|--help! -V|--version! --list-file-types! --ackmate --ackmate-dir-filter=data "
    "--affinity --no-affinity|--noaffinity -A|--after[=data] -B|--before[=data] "
    "-C|--context[=data] -t|--all-text -a|--all-types --break --no-break|--nobreak "
    "-s|--case-sensitive --color --no-color|--nocolor --color-line-number=data "
    "--color-match=data --color-path=data --color-win-ansi --column -c|--count -D|--debug "
    "--depth=data --filename --no-filename|--nofilename -g|--filename-pattern=data "
    "-G|--file-search-regex=data -l|--files-with-matches -L|--files-without-matches "
    "-F|--fixed-strings -f|--follow --no-follow|--nofollow --group --no-group|--nogroup "
    "-H|--heading --no-heading|--noheading --hidden -i|--ignore-case --ignore=data "
    "--ignore-dir=data -v|--invert-match --line-numbers -Q|--literal --match -m|--max-count=data "
    "--mmap --no-mmap|--nommap --multiline --no-multiline|--nomultiline --numbers "
    "--no-numbers|--nonumbers --no-pager|--nopager -n|--no-recurse|--norecurse -0|--null|--print0 "
    "-o|--only-matching --one-device --parallel --passthrough|--passthru "
    "-p|--path-to-ignore=read --print-all-files --print-long-lines -r|-R|--recurse "
    "--search-binary --search-files -z|--search-zip --silent -U|--skip-vcs-ignores "
    "-S|--smart-case --stats --stats-only -u|--unrestricted --vimgrep -W|--width=data "
    "-w|--word-regexp --workers=data"
) + tuple("--" + t for t in AG_TYPES)
# ack 3 (App::Ack::ConfigLoader::get_arg_spec; Getopt::Long with bundling, unique prefixes of
# long options, `name!` also --noname and --no-name): -A/-B/-C and --proximate take a number
# only (the next word when it is one). `--pager` runs a command and `--ackrc` loads options
# that may set one: left out. Its file types as flags (App::Ack::ConfigDefault).
ACK_TYPES = _words(
    "make rake cmake actionscript ada asp aspx asm batch cfmx clojure cc hh coffeescript cpp "
    "hpp csharp css dart delphi elixir elisp erlang fortran go groovy gsp haskell html jade "
    "java js jsp json kotlin less lisp lua markdown matlab objc objcpp ocaml perl perltest pod "
    "php plone python rr rst ruby rust sass scala scheme shell smalltalk smarty sql stylus svg "
    "swift tcl tex ttml ts vb verilog vhdl vim xml yaml"
)


def _negatable(*names: str) -> tuple[str, ...]:
    return tuple(f"--{n}|--no{n}|--no-{n}" for n in names)


_ACK = (
    _words(
        "-1 -A|--after-context[=data] -B|--before-context[=data] -C|--context[=data] "
        "-c|--count --color-match=data --color-filename=data --color-colno=data "
        "--color-lineno=data --create-ackrc! -f --files-from=read --flush -g "
        "-h|--no-filename -H|--with-filename -i|--ignore-case -I "
        "--ignore-directory|--ignore-dir=data --noignore-directory|--noignore-dir=data "
        "--ignore-file=data --lines=data -l|--files-with-matches -L|--files-without-matches "
        "-m|--max-count=data --match=data -n|--no-recurse -o --output=data --nopager "
        "--passthru --print0 --proximate[=data] -Q|--literal -r|-R|--recurse -s --show-types "
        "--sort-files --type=data --type-add=data --type-set=data --type-del=data "
        "-k|--known-types -v|--invert-match -w|--word-regexp -x --noenv --ignore-ack-defaults "
        "--dump! --help! -?! --help-types! --help-colors! --help-rgb-colors! --man! "
        "--version! --thpppt! --bar! --cathy!"
    )
    + _negatable("break", "column", "env", "filter", "follow", "group", "heading", "underline")
    + ("--color|--colour|--nocolor|--nocolour|--no-color|--no-colour",)
    + ("-S|--smart-case|--nosmart-case|--no-smart-case", "-u")
    + _negatable(*ACK_TYPES)
)
# the_platinum_searcher 2 (option.go, go-flags: whole long names, `-A3`, `-A 3`, `-A=3`).
_PT = _words(
    "--version! -h|--help! --color --nocolor --color-line-number=data --color-path=data "
    "--color-match=data --group --nogroup -0|--null --column --numbers -N|--nonumbers "
    "-A|--after=data -B|--before=data -C|--context=data -l|--files-with-matches -c|--count "
    "-o|--output-encode=data -e -i|--ignore-case -S|--smart-case -w|--word-regexp "
    "--ignore=data --vcs-ignore=read --global-gitignore --home-ptignore "
    "-U|--skip-vcs-ignores -g=data -G|--file-search-regexp=data --depth=data -f|--follow "
    "--hidden"
)
# sift 0.9 (options.go, go-flags). `--output` writes a file or connects to a host and
# `--write-config` writes ~/.sift.conf: left out.
_SIFT = _words(
    "-h|--help! -V|--version! --list-types! --binary-skip -a|--binary-text --blocksize=data "
    "--color --no-color -C|--context=data -A|--context-after=data -B|--context-before=data "
    "-j|--cores=data -c|--count --dirs=data --err-show-line-length --err-skip-line-length "
    "--exclude-dirs=data -x|--ext=data -X|--exclude-ext=data --files=data "
    "--exclude-files=data --path=data --ipath=data --exclude-path=data --exclude-ipath=data "
    "-t|--type=data -T|--no-type=data -l|--files-with-matches -L|--files-without-match "
    "--follow --git --group --no-group -i|--ignore-case -I|--no-ignore-case -s|--smart-case "
    "-S|--no-smart-case --no-conf -v|--invert-match --limit=data -Q|--literal -m|--multiline "
    "-M|--no-multiline --only-matching --output-limit=data --output-sep=data "
    "--output-unixpath -e|--regexp=data -f|--regexp-file=read --print-config -q|--quiet "
    "-r|--recursive -R|--no-recursive --replace=data --filename --no-filename "
    "-n|--line-number -N|--no-line-number --column --no-column --stats --targets "
    "-w|--word-regexp -z|--zip -Z|--no-zip --file-matches=data --line-matches=data "
    "--range-matches=data --not-file-matches=data --not-line-matches=data "
    "--not-range-matches=data --preceded-by=data --followed-by=data --surrounded-by=data "
    "--preceded-within=data --followed-within=data --surrounded-within=data "
    "--not-preceded-by=data --not-followed-by=data --not-surrounded-by=data "
    "--not-preceded-within=data --not-followed-within=data --not-surrounded-within=data"
)
# ugrep 2.3 (its manual; its own parser: whole long names). `--filter` and `--pager` run
# commands, `-Q`/`--query` opens an editor on request, `--config`/`--save-config` read and
# write option files: left out (a newer ugrep's options are refused until listed).
_UGREP = _words(
    "--help|-?! -V|--version! -A|--after-context=data -a|--text -B|--before-context=data "
    "-b|--byte-offset --binary-files=data --break -C|--context[=data] -c|--count "
    "--color|--colour[=data] --colors|--colours=data --no-confirm --cpp --csv "
    "-D|--devices=data -d|--directories=data --depth=data -1|-2|-3|-4|-5|-6|-7|-8|-9 "
    "-E|--extended-regexp -e|--regexp=data --encoding=data --exclude=data --exclude-dir=data "
    "--exclude-from=read --exclude-fs=data -F|--fixed-strings -f|--file=read "
    "--filter-magic-label=data --format=data --free-space -G|--basic-regexp -g|--glob=data "
    "--group-separator[=data] --no-group-separator -H|--with-filename -h|--no-filename "
    "--heading|-+ --hexdump[=data] --hidden|-. -I -i|--ignore-case --ignore-files[=read] "
    "--include=data --include-dir=data --include-from=read --include-fs=data -J|--jobs=data "
    "-j|--smart-case --json -K|--range=data -k|--column-number -L|--files-without-match "
    "-l|--files-with-matches --label=data --line-buffered -M|--file-magic=data "
    "-m|--max-count=data --match --max-files=data --mmap[=data] --no-mmap "
    "-N|--neg-regexp=data -n|--line-number -O|--file-extension=data -o|--only-matching "
    "--only-line-number -P|--perl-regexp -p|--no-dereference --pretty -q|--quiet|--silent "
    "-R|--dereference-recursive -r|--recursive -S|--dereference -s|--no-messages "
    "--separator[=data] --sort[=data] --stats -T|--initial-tab -t|--file-type=data "
    "--tabs[=data] --tag[=data] -U|--binary -u|--ungroup -v|--invert-match -W|--with-hex "
    "-w|--word-regexp -X|--hex -x|--line-regexp --xml -Y|--empty -y|--any-line "
    "-Z|--fuzzy[=data] -z|--decompress -0|--null"
)

_GREP_SEARCH = Searcher(
    _GREP,
    recursive=False,
    recurse=frozenset({"-r", "-R"}),
    pattern=frozenset({"-e", "-f"}),
    follow=frozenset({"-R"}),
)
SEARCHERS: dict[str, Searcher] = {
    "grep": _GREP_SEARCH,
    "egrep": _GREP_SEARCH,
    "fgrep": _GREP_SEARCH,
    "zgrep": _GREP_SEARCH,
    "rgrep": _GREP_SEARCH._replace(recursive=True),
    "rg": Searcher(
        _RG,
        exact_longs=True,
        pattern=frozenset({"-e", "-f"}),
        no_pattern=frozenset({"--files", "--type-list"}),
        names_only=frozenset({"--files", "--type-list"}),
        follow=frozenset({"-L"}),
        hidden=frozenset({"-.", "-u"}),
        unhide=frozenset({"--ignore-file"}),
    ),
    "ag": Searcher(
        _AG,
        pattern=frozenset({"-g"}),
        follow=frozenset({"-f"}),
        hidden=frozenset({"--hidden", "-u"}),
        numeric_next=frozenset({"-A", "-B", "-C"}),
        number=r"\s*[-+]?[0-9]+",  # strtol's
    ),
    "ack": Searcher(
        _ACK,
        pattern=frozenset({"--match"}),
        no_pattern=frozenset({"-f"}),
        names_only=frozenset({"-f"}),
        follow=frozenset({"--follow"}),
        numeric_next=frozenset(
            {"-A", "-B", "-C", "--after-context", "--before-context", "--context", "--proximate"}
        ),
        # ack 3 loads options from /etc/ackrc, ~/.ackrc (or $ACKRC) and a project `.ackrc` or
        # `_ackrc` found from the working directory up; `--pager` there runs a command, and
        # other options change what is read. `--noenv` reads none of them (App::Ack::ConfigFinder)
        config_files="ack loads options from an .ackrc of the working directory, its parents or home "
        "(give --noenv)",
        config_off=frozenset({"--noenv", "--no-env"}),
        config_on=frozenset({"--env"}),
    ),
    "pt": Searcher(
        _PT,
        exact_longs=True,
        pflag=True,
        pattern=frozenset({"-g"}),
        follow=frozenset({"-f"}),
        hidden=frozenset({"--hidden"}),
        # pt 2 parses ~/.ptconfig.toml and ./.ptconfig.toml as options before its words
        # (platinum_searcher.go, conflag), with no option to skip them
        config_files="pt loads options from a .ptconfig.toml of the working or home directory",
    ),
    "sift": Searcher(
        _SIFT,
        exact_longs=True,
        pflag=True,
        pattern=frozenset({"-e", "-f"}),
        no_pattern=frozenset({"--targets"}),
        follow=frozenset({"--follow"}),
        # sift loads ~/.sift.conf and a .sift.conf of the working directory (options such as
        # `follow`, `git`, `exclude-*`) unless given --no-conf
        config_files="sift loads options from a .sift.conf of the working or home directory "
        "(give --no-conf)",
        config_off=frozenset({"--no-conf"}),
    ),
    "ugrep": Searcher(
        _UGREP,
        exact_longs=True,
        pattern=frozenset({"-e", "-f", "-N"}),
        follow=frozenset({"-R", "-S"}),
        hidden=frozenset({"--hidden"}),
    ),
}
SEARCHERS["ack-grep"] = SEARCHERS["ack"]
# `ug` is ugrep that loads a `.ugrep` option file from the working directory (or home): its
# options, `--filter` (runs commands) among them, are not in the words
SEARCHERS["ug"] = SEARCHERS["ugrep"]._replace(
    config="ug loads options from a .ugrep file of the working or home directory"
)


@lru_cache(maxsize=32)
def searcher_spec(program: str) -> ProgramSpec:
    """``program``'s option spec (every option; arguments: any words)."""
    s = SEARCHERS[program]
    spec = ProgramSpec(program, abbrev=not s.exact_longs, style="gnu", pflag=s.pflag)
    add_options(spec, list(s.options))
    spec.args = (parse_arg("lit*"),)
    spec.globs_ok = True
    spec.finish()
    return spec


@lru_cache(maxsize=32)
def file_options(program: str) -> frozenset[str]:
    """The canonical names of ``program``'s options whose value is a file it reads."""
    return frozenset(o.canonical for o in searcher_spec(program).exact.values() if o.kind == "read")


def _number(program: str) -> re.Pattern[str]:
    return re.compile(SEARCHERS[program].number + r"\Z")


def prepared(program: str, words: Sequence[Word]) -> list[Word]:
    """``words`` with each numeric value of a `numeric_next` option joined to it (`-A 3` →
    `-A3`, `--context 3` → `--context=3`), so that the parser reads them as the program does."""
    s = SEARCHERS[program]
    if not s.numeric_next:
        return list(words)
    spec = searcher_spec(program)
    number = _number(program)
    out: list[Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        t = w.text
        i += 1
        if t == "--":
            out.extend(words[i - 1 :])
            break
        nxt = words[i] if i < len(words) else None
        if nxt is not None and not nxt.dynamic and number.match(nxt.text):
            if t.startswith("--") and "=" not in t:
                whole = [t] if t in spec.exact else []
                if not whole and not s.exact_longs:
                    whole = [x for x in spec.longs if x.startswith(t)]
                    if len({id(spec.exact[x]) for x in whole}) != 1:
                        whole = []
                if any(x in s.numeric_next for x in whole):
                    out.append(Word(f"{t}={nxt.text}", w.dynamic))
                    i += 1
                    continue
            elif t.startswith("-") and len(t) > 1 and not t.startswith("--"):
                last = spec.exact.get("-" + t[-1])
                before = [spec.exact.get("-" + c) for c in t[1:-1]]
                if (
                    last is not None
                    and "-" + t[-1] in s.numeric_next
                    and all(o is not None and o.kind is None for o in before)
                ):
                    out.append(Word(t + nxt.text, w.dynamic))
                    i += 1
                    continue
        out.append(w)
    return out


def parse(program: str, words: Sequence[Word]) -> tuple[Parsed, list[Word]]:
    """``program words`` read as the program reads them, and the words the parse indexes."""
    ready = prepared(program, words)
    return parse_args(searcher_spec(program), ready, program), ready


class Search(NamedTuple):
    """What one search reads, from its words."""

    options: frozenset[str]  # the options given, by their canonical names
    values: tuple[tuple[str, str], ...]  # (canonical option, value) of the valued ones
    operands: tuple[str, ...]
    files: tuple[Word, ...]  # values of the options that name a file the program reads
    starts: tuple[str, ...]  # the paths it searches (the operands after the pattern, or `.`)
    recursive: bool  # reads whole directory trees
    follows: bool  # follows the links it meets there
    hidden: bool  # reads hidden files there
    names_only: bool  # prints names only (rg --files)


_READ_OR_SKIP = ("read", "skip")


@lru_cache(maxsize=512)
def _search(program: str, texts: tuple[str, ...]) -> Search | str:
    return search_args(program, [Word(t) for t in texts])


def search_of(program: str, texts: tuple[str, ...]) -> Search | str:
    """:func:`search_args` of literal words (cached)."""
    return _search(program, texts)


def whitelist(program: str, values: Sequence[tuple[str, str]]) -> list[re.Pattern[str]]:
    """:func:`_whitelist` (cached: `-t all` compiles every type's globs). The globs the words
    give count against the decision's pattern budget (`shell.charge`), as grep's do: 5,000
    `-g` globs took 0.3 s to compile, uncounted (a twenty-ninth red-team pass)."""
    if program == "rg":
        charge(sum(len(v) for o, v in values if o in ("-g", "--iglob", "--type-add")))
    return list(_whitelist(program, tuple(values)))


@lru_cache(maxsize=256)
def _whitelist(program: str, values: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], ...]:
    """rg's whitelisting globs as one name filter: with any `-g GLOB`/`--iglob GLOB` not
    starting with `!`, rg reads only the files one of them matches, hidden ones too (a review
    of the searcher specs: `rg -g .env K` and `rg -g '*' K` printed .env; `rg -g '*.py' K`
    reads no .env). A glob without `/` is matched against a file's name, one with `/` against
    its path below the start; fnmatch's `*` also crosses `/` (matches generously: the safe
    side for what is read). None: no whitelist (every file may be read)."""
    if program != "rg":
        return ()
    alts = []
    globs = [v for o, v in values if o in ("-g", "--iglob")] + _type_globs(values)
    for v in globs:
        if v[:1] == "!" or not v:
            continue
        glob = v.lstrip("/").removesuffix("/")
        rx = _rg_glob(glob)
        body = rf"(?:.*/)?(?:{rx})" if "/" not in glob else rf"(?:.*/)?(?:{rx})(?:/.*)?"
        # every glob case-insensitively: `--glob-case-insensitive` makes `-g` globs so (`rg
        # --glob-case-insensitive -g .ENV K` printed .env; a twenty-ninth red-team pass), and
        # matching more names only counts more files as read
        alts.append(rf"(?i:{body})")
    if not alts:
        return ()
    return (re.compile(rf"(?s:(?:{'|'.join(alts)})\Z)"),)


def _rg_glob(glob: str) -> str:
    """A regex matching at least every path rg's glob (the globset crate) matches, in linear
    time: `{a,b}` alternatives, a backslash escape, `[…]` (`[!x]`, `[^x]`) any one character,
    `*`/`?` crossing `/`, `**/` also nothing. fnmatch's translation read `{`, `^` and `\\` as
    characters and `**/` as needing a `/`: the viewer's `rg -uu -g '.e{n,x}v' K .`, `-g
    '.e[^x]v'`, `-g '.e\\nv'`, `-g '**/.e*'` and `--type-add 'x:*.{env,y}' -tx` printed .env (a
    thirty-fifth red-team pass). A glob rg would refuse (an open `{`) matches everything."""
    out: list[str] = []
    depth = 0
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
            continue
        if c == "*":
            while i + 1 < n and glob[i + 1] == "*":
                i += 1
            if i + 1 < n and glob[i + 1] == "/":
                out.append("(?:.*/)?")
                i += 2
                continue
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            j = i + 1
            if j < n and glob[j] in "!^":
                j += 1
            if j < n and glob[j] == "]":
                j += 1
            while j < n and glob[j] != "]":
                if glob[j] == "[" and j + 1 < n and glob[j + 1] in ":=.":
                    end = glob.find(glob[j + 1] + "]", j + 2)  # `[:alpha:]` as one unit
                    if end > 0:
                        j = end + 2
                        continue
                j += 2 if glob[j] == "\\" else 1
            if j >= n:
                return ".*"  # rg refuses an unclosed class: match everything
            out.append(".")
            i = j
        elif c == "{":
            out.append("(?:")
            depth += 1
        elif c == "}":
            out.append(")" if depth else r"\}?")  # globset drops a `}` that closes nothing
            depth -= 1 if depth else 0
        elif c == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(c))
        i += 1
    return ".*" if depth else "".join(out)


def _type_globs(values: Sequence[tuple[str, str]]) -> list[str]:
    """The globs of the file types rg's `-t TYPE` selects, which it whitelists like `-g` globs,
    hidden files too: `rg -t yaml K` read a hidden `.yarnrc.yml` and `.secrets.yaml`, `rg -t
    sh K` a `.env.sh` (a twenty-ninth red-team pass, rg 13). Types are rg 13's table plus every
    `--type-add NAME:GLOB` and `NAME:include:A,B` of the words (`--type-clear` is not honoured:
    more is read); `all` is every type; a name neither defines is `*` (a newer rg's type)."""
    added: dict[str, list[str]] = {}
    for o, v in values:
        if o == "--type-add":
            name, _, rest = v.partition(":")
            added.setdefault(name, []).append(rest)
    out: list[str] = []
    seen: set[str] = set()

    def add(name: str, depth: int = 0) -> None:
        if name in seen or depth > 8:
            return
        seen.add(name)
        if name == "all":
            for t in (*RG_TYPES, *added):
                add(t, depth + 1)
            return
        if name not in RG_TYPES and name not in added:
            out.append("*")
            return
        out.extend(RG_TYPES.get(name, ()))
        for rest in added.get(name, ()):
            if rest.startswith("include:"):
                for inc in rest[len("include:") :].split(","):
                    add(inc, depth + 1)
            else:
                out.extend(g for g in rest.split(",") if g)

    for o, v in values:
        if o == "-t":
            add(v)
    return out


def search_args(program: str, words: Sequence[Word]) -> Search | str:
    """What ``program words`` reads, read with the program's spec; str: why it cannot be read
    (an option outside the spec, an ambiguous abbreviation, a missing value)."""
    s = SEARCHERS[program]
    if s.config:
        return s.config
    spec = searcher_spec(program)
    parsed, ready = parse(program, words)
    if parsed.error:
        return f"{program}'s options cannot be read as {program} reads them: {parsed.error}"
    flags = parsed.invocations[0].argv.flags
    names = {spec.exact[f].canonical if f in spec.exact else f for f in flags}
    values: list[tuple[str, str]] = []
    files: list[Word] = []
    operands: list[str] = []
    for it in parsed.items:
        if not it.option:
            operands.append(it.text)
            continue
        names.add(it.option)
        values.append((it.option, it.text))
        if it.kind == "read":
            w = ready[it.at] if it.at < len(ready) else Word(it.text)
            files.append(Word(it.text, w.dynamic))
    recursive = s.recursive or bool(names & s.recurse)
    if program in ("grep", "egrep", "fgrep", "zgrep"):
        for o, v in values:
            # argmatch takes a unique prefix of the action; anything not read or skip recurses
            if o == "-d" and not (v and any(a.startswith(v) for a in _READ_OR_SKIP)):
                recursive = True
    starts = list(operands)
    if not names & (s.pattern | s.no_pattern) and starts:
        starts = starts[1:]  # the first operand is the pattern
    return Search(
        frozenset(names),
        tuple(values),
        tuple(operands),
        tuple(files),
        tuple(starts or ["."]),
        recursive,
        bool(names & s.follow),
        s.hidden is None
        or bool(names & s.hidden)
        # (a review of this spec: `rg -g .env KEY`, `rg -g '*' KEY` printed .env, allowed)
        or any(o in s.unhide for o, v in values)
        # a whitelisting glob (not `!…`) makes rg read the hidden files it matches, and only
        # the files it matches (``whitelist``: the name filters of the tree read)
        or bool(whitelist(program, values)),
        bool(names & s.names_only),
    )


def loads_options(program: str, words: Sequence[Word]) -> str:
    """Why ``program words`` also obeys an option file it finds (ack's `.ackrc`, sift's
    `.sift.conf`, pt's `.ptconfig.toml`, whose options may run a pager or follow links), or ""
    (none, or the last word about it turns them off: `ack --noenv`, not `ack --noenv --env`,
    whose last spelling wins). A twenty-ninth red-team pass: these searchers are not
    installed here, so what their files can do is not decided."""
    s = SEARCHERS[program]
    if not s.config_files:
        return ""
    off = False
    for w in words:
        t = w.text
        if t == "--":
            break
        if t in s.config_off:
            off = True
        elif any(len(t) > 2 and o.startswith(t) for o in s.config_on):
            off = False  # `--env`, `--en`: loads them again
    return "" if off else s.config_files
