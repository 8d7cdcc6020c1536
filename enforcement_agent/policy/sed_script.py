"""Read a sed script the way GNU sed does, to find the commands that run or open other files.

Looking for `e`/`w`/`r` with regular expressions misses them behind labels (`:a e id` is the
label `a` and then `e id`), address forms (`\\%x%e id`, `/x/Ie id`) and attached
arguments (`1r/etc/passwd`). This reader walks the script once, command by command: addresses,
`!`, the command letter and what that letter takes (a label, text, a file, `s`/`y` parts and
flags), so every command letter is seen where sed sees it. Anything it does not know is
reported as undecidable, never passed.
"""

from __future__ import annotations

# Commands that run a shell command or read/write a file named in the script.
_OPENS = frozenset("ewWrR")
# Commands that take nothing (GNU sed).
_PLAIN = frozenset("=dDgGhHnNpPxzF")


class SedVerdict:
    SAFE = ""
    RUNS = "runs"  # e, w, r …: a GTFOBin
    UNKNOWN = "unknown"  # cannot be decided


def read_sed_script(script: str) -> tuple[str, str]:
    """``(verdict, why)``: ``SedVerdict.SAFE``, ``RUNS`` or ``UNKNOWN`` and the reason."""
    n = len(script)
    i = 0

    def skip_blank(k: int) -> int:
        while k < n and script[k] in " \t":
            k += 1
        return k

    def delimited(k: int, delim: str) -> int:
        """Index just past the next unescaped ``delim`` from ``k`` (GNU match_slash), or -1."""
        while k < n:
            ch = script[k]
            if ch == "\\":
                k += 2
                continue
            if ch == delim:
                return k + 1
            if ch == "\n" and delim != "\n":
                return -1
            k += 1
        return -1

    def address(k: int) -> int:
        """Index past one address at ``k`` (or ``k`` when there is none), -1 if malformed."""
        if k < n and script[k] == "/":
            k = delimited(k + 1, "/")
        elif k < n and script[k] == "\\":
            if k + 1 >= n or script[k + 1] in "\n\\":
                return -1
            k = delimited(k + 2, script[k + 1])
        elif k < n and (script[k].isdigit() or script[k] == "$"):
            k += 1
            while k < n and (script[k].isdigit() or script[k] == "~"):
                k += 1
            return k
        else:
            return k
        if k < 0:
            return -1
        while k < n and script[k] in "IM":
            k += 1
        return k

    def to_end_of_command(k: int, stop: str) -> int:
        while k < n and script[k] not in stop:
            k += 1
        return k

    while i < n:
        i = skip_blank(i)
        if i >= n:
            break
        if script[i] in ";\n}":
            i += 1
            continue
        if script[i] == "#":
            i = to_end_of_command(i, "\n")
            continue
        start = i
        i = address(i)
        if i < 0:
            return SedVerdict.UNKNOWN, f"an address at {start} is not terminated"
        if i > start:
            i = skip_blank(i)
            if i < n and script[i] == ",":
                i = skip_blank(i + 1)
                if i < n and script[i] in "+~":
                    i += 1
                    while i < n and script[i].isdigit():
                        i += 1
                else:
                    before = i
                    i = address(i)
                    if i <= before:
                        return SedVerdict.UNKNOWN, "a range without its second address"
            i = skip_blank(i)
        while i < n and script[i] in "! \t":
            i += 1
        if i >= n:
            return SedVerdict.UNKNOWN, "an address without a command"
        c = script[i]
        i += 1
        if c in _OPENS:
            return SedVerdict.RUNS, f"the {c} command"
        if c == "{" or c in _PLAIN:
            continue
        if c in ":btTv":  # a label or v's version: GNU ends it at a blank or `;` (`:a e id`)
            i = to_end_of_command(skip_blank(i), " \t;\n")
            continue
        if c in "aic":  # text to the end of the line
            i = to_end_of_command(i, "\n")
            continue
        if c in "qQlL":  # an optional exit code or line length
            i = skip_blank(i)
            while i < n and script[i].isdigit():
                i += 1
            continue
        if c in "sy":
            if i >= n or script[i] in "\n\\":
                return SedVerdict.UNKNOWN, f"{c} without a delimiter"
            delim = script[i]
            i = delimited(i + 1, delim)
            if i >= 0:
                i = delimited(i, delim)
            if i < 0:
                return SedVerdict.UNKNOWN, f"an unterminated {c} command"
            if c == "s":
                while i < n and (script[i].isalnum()):
                    if script[i] in "ew":  # s///e runs the pattern space; s///w writes a file
                        return SedVerdict.RUNS, f"the s///{script[i]} flag"
                    if script[i] not in "gpiImM0123456789":
                        return SedVerdict.UNKNOWN, f"the s flag {script[i]!r}"
                    i += 1
            continue
        return SedVerdict.UNKNOWN, f"the command {c!r}"
    return SedVerdict.SAFE, ""
