"""Files a compiler names after its input when no `-o` names them.

`rustc deploy.rs` writes `./deploy` (the crate's name: the file's stem, or the source's own
`#![crate_name = "…"]`), `go build deploy.go` writes `./deploy` (`go build ./cmd/x`: `./x`;
`go build` in a module: the module path's last element), `gcc x.c` writes `./a.out` (`-c`:
`x.o`, `-S`: `x.s`), `zig build-exe deploy.zig` writes `./deploy`, `tsc ci/run.ts` writes
`ci/run.js` beside its source. A forty-eighth red-team pass: `rustc deploy.rs` replaced the
`deploy` script CI runs (shown), and `tsc ci/run.ts` the `ci/run.js` it runs with node; only
an `-o`/`--outDir` named on the command line was checked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.regular_reads import read_regular

CC = frozenset(
    ("gcc", "cc", "c++", "g++", "clang", "clang++", "gcc-12", "gcc-13", "gcc-14", "zig cc")
)
_C_SOURCES = (".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".m", ".mm", ".s", ".S", ".i", ".ii")
# gcc's options whose value is the next word (those the spec allows, and the usual ones)
_CC_VALUES = frozenset(
    "-I -L -D -U -x -include -imacros -isystem -iquote -idirafter -MF -MT -MQ -Xlinker "
    "-Xassembler -Xpreprocessor -l -T -u -z -arch -target --sysroot -B -specs".split()
)
_RUSTC_VALUES = frozenset(
    "-o --out-dir --crate-name --crate-type --emit -L -l --cfg --check-cfg --target -W -A -D "
    "-F --cap-lints --explain --edition --print --error-format --json --color -C --extern "
    "--sysroot --remap-path-prefix -Z".split()
)
_CRATE_NAME = lazy_compile(r'#!\s*\[\s*crate_name\s*=\s*"([^"\\]*)"\s*\]')
_MODULE = lazy_compile(r"(?m)^\s*module\s+\"?([^\s\"/]*(?:/[^\s\"/]+)*)\"?\s*$")


class Undecidable(ValueError):
    """An output named by something that cannot be read now."""


def derived_outputs(program: str, words: Sequence[str], cwd: str) -> list[str]:
    """Paths (relative to ``cwd``) ``program WORDS`` writes named after its inputs; empty when
    an option names the output or the mode writes no file. Raises :class:`Undecidable`."""
    if program in CC:
        return _cc(words)
    if program == "rustc":
        return _rustc(words, cwd)
    if program == "go build":
        return _go_build(words, cwd)
    if program in ("zig build-exe", "zig build-lib", "zig build-obj"):
        return _zig(words)
    if program == "tsc":
        return _tsc(words)
    return []


def _operands(words: Sequence[str], with_value: frozenset[str]) -> tuple[list[str], set[str]]:
    """The words that are not options or their values, and the options given."""
    ops: list[str] = []
    flags: set[str] = set()
    i = 0
    while i < len(words):
        w = words[i]
        i += 1
        if w == "--":
            ops += words[i:]
            break
        if w.startswith("-") and len(w) > 1:
            head = w.split("=", 1)[0]
            flags.add(head)
            if head in with_value and "=" not in w:
                i += 1
            continue
        ops.append(w)
    return ops, flags


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _cc(words: Sequence[str]) -> list[str]:
    ops, flags = _operands(words, _CC_VALUES)
    if any(f == "-o" or (f.startswith("-o") and len(f) > 2) for f in flags) or "-E" in flags:
        return []  # (the output is named, checked by the spec; -E prints)
    sources = [o for o in ops if o.endswith(_C_SOURCES)]
    if "-c" in flags:
        return [_stem(s) + ".o" for s in sources]
    if "-S" in flags:
        return [_stem(s) + ".s" for s in sources]
    return ["a.out"] if ops else []  # (no input: `gcc --version` writes nothing)


def _rustc(words: Sequence[str], cwd: str) -> list[str]:
    ops, flags = _operands(words, _RUSTC_VALUES)
    if "-o" in flags or any(f.startswith("-o") and len(f) > 2 for f in flags):
        return []
    values = _option_values(words, ("--out-dir", "--crate-name"))
    folder = values.get("--out-dir", "")
    sources = [o for o in ops if o.endswith(".rs")]
    if not sources:
        return []
    name = values.get("--crate-name") or _crate_name(os.path.join(cwd, sources[0]))
    name = name or _stem(sources[0]).replace("-", "_")
    names = [name, f"lib{name}.rlib", f"lib{name}.so", f"lib{name}.a", f"lib{name}.rmeta"]
    names += [f"{name}.{ext}" for ext in ("o", "s", "ll", "bc", "d", "mir")]
    return [os.path.join(folder, n) for n in names]


def _crate_name(path: str) -> str:
    """The name `#![crate_name = "…"]` in the source gives, or ""."""
    data = read_regular(path, 256 * 1024)
    if data is None:
        return ""
    text = data.decode("utf-8", "replace")
    if "crate_name" not in text:
        return ""
    found = _CRATE_NAME.findall(text)
    if len(found) != 1 or text.count("crate_name") != 1:
        raise Undecidable(f"{os.path.basename(path)} names its crate in a way not read here")
    return str(found[0])


def _option_values(words: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i, w in enumerate(words):
        for n in names:
            if w == n and i + 1 < len(words):
                out[n] = words[i + 1]
            elif w.startswith(n + "="):
                out[n] = w[len(n) + 1 :]
    return out


def _go_build(words: Sequence[str], cwd: str) -> list[str]:
    ops, flags = _operands(
        words,
        frozenset(
            "-o -p -C -asmflags -buildmode -buildvcs -compiler -gccgoflags -gcflags "
            "-installsuffix -ldflags -mod -modfile -overlay -pgo -pkgdir -tags -toolexec "
            "-covermode -coverpkg".split()
        ),
    )
    if "-o" in flags:
        return []
    files = [o for o in ops if o.endswith(".go")]
    if files:
        return [_stem(files[0])]
    if any("..." in o for o in ops) or len(ops) > 1:
        return []  # (several packages: nothing is written)
    pkg = ops[0] if ops else "."
    if pkg in (".", "./"):
        module = _module_name(cwd)
        return [module or os.path.basename(os.path.normpath(cwd))]
    return [os.path.basename(os.path.normpath(pkg))]


def _module_name(cwd: str) -> str:
    """The last element of the module path in ``cwd``'s go.mod, or ""."""
    data = read_regular(os.path.join(cwd, "go.mod"), 64 * 1024)
    if data is None:
        return ""
    m = _MODULE.search(data.decode("utf-8", "replace"))
    if not m:
        return ""
    last = m.group(1).rpartition("/")[2]
    # `example.com/x/v2`: the binary is `x`
    if re.fullmatch(r"v[0-9]+", last) and "/" in m.group(1):
        last = m.group(1).rpartition("/")[0].rpartition("/")[2]
    return last


def _zig(words: Sequence[str]) -> list[str]:
    if any(w.startswith("-femit-bin") for w in words) or "-fno-emit-bin" in words:
        return []
    names = _option_values(words, ("--name",))
    sources = [w for w in words if w.endswith((".zig", ".c")) and not w.startswith("-")]
    if not sources and "--name" not in names:
        return []
    name = names.get("--name") or _stem(sources[0])
    return [name, f"{name}.o", f"lib{name}.a", f"lib{name}.so"]


def _tsc(words: Sequence[str]) -> list[str]:
    ops, flags = _operands(words, frozenset(("-p", "--project", "--outDir", "--outFile")))
    sources = [o for o in ops if o.endswith((".ts", ".tsx", ".mts", ".cts"))]
    if not sources or flags & {"--noEmit", "--outDir", "--outFile", "-p", "--project", "-b"}:
        return []  # (a project, an output folder or no output: not beside each source)
    out: list[str] = []
    for s in sources:
        if s.endswith(".d.ts"):
            continue
        base, ext = os.path.splitext(s)
        js = {".ts": ".js", ".tsx": ".js", ".mts": ".mjs", ".cts": ".cjs"}[ext]
        out += [base + js, base + js + ".map", base + ".d.ts"]
    return out
