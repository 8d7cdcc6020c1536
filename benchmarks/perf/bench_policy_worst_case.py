"""Worst-case policy decisions: time, peak memory and work against command size (issue 10).

Run: ``python -m benchmarks.perf.bench_policy_worst_case [--repeats N] [--sizes 1,2,4,…]``
Prints one JSON document. For each adversarial shape (cd chains, nested substitutions, long
pipelines and lists, deep wrappers and shells, many redirections, huge words, here-documents,
arithmetic, sed/awk programs, globs, find starts with -exec …) and each size (1 KB … 64 KB,
then 128 KB past the byte cap) it reports the decision, the median wall time of a whole
``Policy.decide`` (parse cache cleared each time), the peak traced memory of one decision, the
syntax nodes the parse visits and the words/commands the evaluator looked at, and per shape
the growth exponent of time and of work between the smallest and largest size (1.0 is
linear). Every decision must be a deny or an allow reached under the caps; none may take more
than the caps allow.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from enforcement_agent.models import RequestError, ToolRequest
from enforcement_agent.policy import Policy, PolicyStore, shell
from enforcement_agent.policy.exec_eval import ExecEvaluator
from enforcement_agent.policy.shell import TooComplex, Undecidable
from gonogo.config import DEFAULT_PLAN_DIR


def _fill(
    unit: Callable[[int], str], size: int, sep: str = "", head: str = "", tail: str = ""
) -> str:
    """``head`` + units joined by ``sep`` + ``tail``, as close to ``size`` bytes as units allow."""
    parts: list[str] = []
    used = len(head) + len(tail)
    i = 0
    while True:
        piece = unit(i)
        extra = len(piece) + (len(sep) if parts else 0)
        if used + extra > size:
            break
        parts.append(piece)
        used += extra
        i += 1
    return head + sep.join(parts) + tail


def _nested(open_: str, close: str, core: str, size: int) -> str:
    depth = max(1, (size - len(core)) // (len(open_) + len(close)))
    return open_ * depth + core + close * depth


SHAPES: dict[str, Callable[[int], str]] = {
    # The example, grown: every `;`-joined cd doubled the directories to check.
    "cd_chain": lambda n: _fill(lambda i: f"cd d{i}", n - 5, ";", tail=";ls x"),
    "cd_chain_and": lambda n: _fill(lambda i: f"cd d{i}", n - 6, " && ", tail=" && ls x"),
    "nested_substitutions": lambda n: _nested("$(echo ", ")", "x", n - 5).join(["echo ", ""]),
    "nested_backquotes": lambda n: _backquotes(n),
    "nested_subshells": lambda n: _nested("(", ")", "ls", n),
    "nested_expansions": lambda n: "echo " + _nested("${x:-", "}", "y", n - 5),
    "nested_arithmetic": lambda n: "echo $((" + _nested("(", ")", "1", n - 10) + "))",
    "long_pipeline": lambda n: _fill(lambda i: "cat", n, " | "),
    "long_and_list": lambda n: _fill(lambda i: f"ls d{i}", n, " && "),
    "deep_wrappers": lambda n: _fill(lambda i: "env", n - 3, " ", tail=" ls"),
    "deep_shells": lambda n: _deep_shells(n),
    "many_redirections": lambda n: _fill(lambda i: f">f{i}", n, " ", head="echo x "),
    "many_path_arguments": lambda n: _fill(lambda i: f"src/d{i}/../f{i}", n, " ", head="cat "),
    "huge_word": lambda n: "echo " + "a" * (n - 5),
    "huge_path": lambda n: "cat " + "/".join(["d"] * ((n - 4) // 2)),
    "many_globs": lambda n: _fill(lambda i: f"*{i}*", n, " ", head="ls "),
    "heredoc": lambda n: "cat > out.txt <<'EOF'\n" + "x" * (n - 30) + "\nEOF",
    "heredoc_expanded": lambda n: (
        "cat > out.txt <<EOF\n" + _fill(lambda i: f"$(date) {i}", n - 30, "\n") + "\nEOF"
    ),
    "arithmetic": lambda n: "echo $((" + _fill(lambda i: "1", n - 10, "+") + "))",
    "for_arith_loop": lambda n: (
        "for ((i=0;i<3;i++)); do " + _fill(lambda k: f"echo $((i+{k}))", n - 40, "; ") + "; done"
    ),
    "sed_program": lambda n: "sed -e '" + _fill(lambda i: "s/a/b/", n - 15, ";") + "' f",
    "sed_pathological": lambda n: "sed -e '" + "s" * (n - 15) + "' f",
    "awk_program": lambda n: "awk '{" + _fill(lambda i: "print $1", n - 12, " ") + "}' f",
    "find_exec_many_starts": lambda n: _fill(
        lambda i: f"d{i}", n - 40, " ", head="find ", tail=" -exec sh -c 'ls x' \\;"
    ),
    "case_statement": lambda n: (
        "case x in " + _fill(lambda i: f"p{i}) ls ;;", n - 15, " ") + " esac"
    ),
    "many_assignments": lambda n: _fill(lambda i: f"A{i}=$(ls)", n, " ", tail=" ls"),
    "brace_like_words": lambda n: _fill(lambda i: "{a", n, " ", head="echo "),
    "subscript_brackets": lambda n: "echo '" + "[" * (n - 8) + "'",
    # git commands that bring in one revision per operand (one git process each, uncapped once)
    "git_merge_revisions": lambda n: _fill(lambda i: "@", n, " ", head="git merge "),
    "git_cherry_pick_ranges": lambda n: _fill(
        lambda i: "HEAD~1..HEAD", n, " ", head="git cherry-pick "
    ),
    "git_checkout_chain": lambda n: _fill(lambda i: "git checkout -q HEAD -- .", n, "; "),
    "rule_patterns_git_config": lambda n: "git -c diff." + ".textconv" * ((n - 30) // 9) + " log",
    "rule_patterns_many_args": lambda n: _fill(lambda i: f"node-{i}", n, " ", head="kubectl get "),
    "loop_unrolling": lambda n: (
        "for d in "
        + _fill(lambda i: f"d{i}", n // 2, " ")
        + "; do "
        + _fill(lambda i: f"ls $d/{i}", n // 2 - 20, "; ")
        + "; done"
    ),
    "quoted_words": lambda n: _fill(lambda i: f"'a{i}' \"b$x\"", n, " ", head="echo "),
    # Syntax errors tree-sitter recovers from in quadratic time (a red-team pass, 2026-12-03):
    "error_redirections": lambda n: "<>" * (n // 2),
    "error_pipes": lambda n: "|" * n,
    "error_separated_runs": lambda n: _fill(lambda i: "<>" * 100 + " x", n, " "),
    "error_pipe_words": lambda n: _fill(lambda i: "| x", n, " "),
    "error_array_opens": lambda n: _fill(lambda i: "a=(", n, " "),
    "error_heredoc_openers": lambda n: _fill(lambda i: f"cat <<E{i}", n, " "),
    # Patterns compiled to regexes (the third red-team pass, 2026-12-03): one 60 KB glob took
    # 5-15 s in the regex compiler, past every other cap; many 500-byte ones 2 s.
    "glob_one_long_star_run": lambda n: "ls " + "*a" * ((n - 3) // 2),
    "glob_many_star_runs": lambda n: _fill(lambda i: "*a" * 250 + str(i), n, " ", head="ls "),
    "glob_bracket_runs": lambda n: _fill(lambda i: "[!a]" * 120 + str(i), n, " ", head="ls "),
    "grep_include_globs": lambda n: _fill(
        lambda i: "--include='" + "*a" * 250 + f"{i}'", n - 10, " ", head="grep -r ", tail=" x ."
    ),
    "git_pathspec_globs": lambda n: _fill(
        lambda i: "'" + "*a" * 250 + f"{i}'", n, " ", head="git show HEAD -- "
    ),
    # Work per command that grows with the workspace, not the line (the fourth red-team pass,
    # 2026-12-03): ~60 `find … -delete` over a 15,000-file tree (1.7 KB) ran to the 2 s
    # deadline; every name a walk looks at now costs a budget word. The bench workspace holds
    # such a tree (TREE_FILES).
    "find_delete_repeated": lambda n: _fill(lambda i: "find . -name '*.pyc' -delete", n, ";"),
    "find_exec_rm_repeated": lambda n: _fill(
        lambda i: "find . -name '*.pyc' -exec rm {} +", n, "; "
    ),
    "xargs_rm_repeated": lambda n: _fill(lambda i: "find . -name '*.pyc' | xargs rm", n, "; "),
    # 16,000-32,000 assignments in 64 KB took 0.6-2.5 s: at most MAX_ASSIGNMENTS per parse
    "assignments_prefix": lambda n: _fill(lambda i: "a=1", n - 3, " ", tail=" ls"),
    "assignments_empty": lambda n: _fill(lambda i: "a=", n - 3, " ", tail=" ls"),
    "assignments_declare": lambda n: _fill(lambda i: "a=1", n, " ", head="declare "),
    "assignments_export_names": lambda n: _fill(lambda i: "a", n, " ", head="export "),
    # Tree walks asked for again, over a deep tree (the fifth red-team pass, 2026-12-03):
    # a cached walk re-checked every directory's mtime, a deep path costs the kernel a walk
    # of its components; `grep -r x .` x2000 and `rm -rf deep/a deep/a/a …` ran to the
    # deadline. Walks are asked for once per decision and cost words by depth (DEEP_LEVELS).
    "tree_walks_repeated": lambda n: _fill(lambda i: "grep -r x .", n, "; "),
    "formatter_walks_repeated": lambda n: _fill(lambda i: "black .", n, "; "),
    "deep_tree_walks": lambda n: _fill(
        lambda i: "deep" + "/a" * (1 + i % DEEP_LEVELS), n, " ", head="rm -rf "
    ),
}
# Shapes the eleventh red-team pass (2026-12-04) timed: brace expansion, functions, aliases,
# quoting, substitutions and wrappers the earlier shapes did not grow. All held (bounded and
# linear); kept here so the benchmark and tests/policy/test_class_10_dos.py run them too.
ELEVENTH_PASS_SHAPES: dict[str, Callable[[int], str]] = {
    "brace_products": lambda n: "echo " + "{a,b}" * ((n - 5) // 5),
    "brace_nesting": lambda n: "echo " + _nested("{a,", "}", "b", n - 5),
    "brace_sequences": lambda n: _fill(lambda i: "{1..99999}", n, " ", head="echo "),
    "recursive_functions": lambda n: "f(){ cd d; f; f; }; " + _fill(lambda i: "f", n - 30, ";"),
    "alias_chains": lambda n: _fill(lambda i: f"alias a{i}=a{i - 1}", n - 5, ";", tail=";a99"),
    "heredocs_in_substitutions": lambda n: _fill(
        lambda i: "$(cat <<'E'\nx\nE\n)", n, " ", head="echo "
    ),
    "alternating_quotes": lambda n: "echo " + '"\'"' * ((n - 5) // 3),
    "parameter_substitutions": lambda n: _fill(lambda i: "${x//a/b}", n, " ", head="echo "),
    "fd_duplications": lambda n: _fill(
        lambda i: f"{i % 9 + 1}>&{(i + 1) % 9 + 1}", n, " ", head="ls "
    ),
    "cd_in_branches": lambda n: _fill(
        lambda i: f"if x; then cd a{i}; else cd b{i}; fi", n - 6, ";", tail=";ls x"
    ),
    "cd_in_case_arms": lambda n: _fill(
        lambda i: f"case $x in a) cd a{i};; b) cd b{i};; esac", n - 6, ";", tail=";ls x"
    ),
    "cd_in_subshells": lambda n: _fill(lambda i: f"(cd d{i})", n - 3, ";", tail=";ls"),
    "xargs_chain": lambda n: _fill(lambda i: "xargs", n - 3, " ", tail=" ls"),
    "nice_chain": lambda n: _fill(lambda i: "nice", n - 3, " ", tail=" ls"),
    "env_assignment_chain": lambda n: _fill(lambda i: f"A{i}=1", n, " ", head="env ", tail=" ls"),
    "glob_classes": lambda n: "ls " + "[[:alpha:][:digit:]]" * ((n - 3) // 20),
    "double_star_globs": lambda n: "ls " + "**/" * ((n - 4) // 3) + "x",
    "tilde_users": lambda n: _fill(lambda i: "~root/x", n, " ", head="ls "),
    "find_nested_parens": lambda n: "find . " + _nested("\\( ", " \\)", "-name x", n - 8),
    "git_c_many": lambda n: _fill(
        lambda i: "-c user.name=x", n - 8, " ", head="git ", tail=" status"
    ),
    "arithmetic_shifts": lambda n: "echo $((" + "1<<" * ((n - 11) // 3) + "1))",
    "procsubst_many": lambda n: _fill(lambda i: "<(ls)", n, " ", head="cat "),
    "coprocs": lambda n: _fill(lambda i: f"coproc c{i} {{ ls; }}", n, ";"),
    "eval_nesting": lambda n: _nested("eval '", "'", "ls", n),
}
SHAPES.update(ELEVENTH_PASS_SHAPES)


def _repeat(unit: str, n: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (n - len(head) - len(tail)) // len(unit)) + tail


# Twenty-ninth pass (2026-12-05): shapes the caps may not count, and one the workspace's own
# files make (an attacker's ignore files: `IGNORE_SHAPES`, decided in a second workspace).
TWENTYNINTH_PASS_SHAPES: dict[str, Callable[[int], str]] = {
    "nested_for_loops": lambda n: (
        _repeat("for v in a b c d; do ", n // 2, tail="cd x; ")
        + "done; " * max(1, (n // 2) // 21)
        + "ls"
    ),
    "doubling_values": lambda n: _repeat("a=$a$a; ", n - 12, head="a=xy; ", tail="ls $a"),
    "doubling_functions": lambda n: _fill(
        lambda i: f"f{i + 1}(){{ f{i}; f{i}; }};", n - 30, " ", head="f0(){ cd a; }; ", tail=" ls"
    ),
    "case_star_runs": lambda n: "case x in " + "*a" * ((n - 25) // 2) + "b) ls;; esac",
    "test_star_runs": lambda n: "[[ x == " + "*a" * ((n - 20) // 2) + "b ]] && ls",
    "parameter_star_runs": lambda n: "echo ${x//" + "*a" * ((n - 15) // 2) + "b/}",
    "rg_many_globs": lambda n: _fill(lambda i: f"-g '*a*a*a*a*{i}'", n - 5, " ", "rg ", " K"),
    "grep_many_patterns": lambda n: _fill(lambda i: f"-e p{i}", n - 10, " ", "grep ", " -r src"),
    "find_many_names": lambda n: _fill(
        lambda i: f"-name 'x{i}*'", n - 20, " -o ", "find src ", " -delete"
    ),
    "option_cluster": lambda n: "ls -" + "l" * (n - 4),
    "tar_option_cluster": lambda n: "tar -c" + "v" * (n - 20) + "f x.tar src",
    "many_heredoc_bodies": lambda n: (
        "cat "
        + " ".join(f"<<E{i}" for i in range(n // 20))
        + "\n"
        + "".join(f"x\nE{i}\n" for i in range(n // 20))
    ),
    "line_continuations": lambda n: "echo " + "a\\\n" * ((n - 5) // 3),
    "nested_while_loops": lambda n: (
        _repeat("while x; do ", n // 2, tail="cd y; ") + "done; " * max(1, (n // 2) // 12) + "ls"
    ),
    "nested_ifs_with_cd": lambda n: (
        _repeat("if a; then cd x; ", n * 2 // 3) + "fi; " * max(1, (n * 2 // 3) // 17) + "ls y"
    ),
    "subshell_pipes_with_cd": lambda n: _fill(lambda i: "(cd a; ls)", n, " | "),
    "array_doubling": lambda n: _repeat(
        "a=(${a[@]} ${a[@]}); ", n - 20, head="a=(x y); ", tail="ls ${a[@]}"
    ),
}
SHAPES.update(TWENTYNINTH_PASS_SHAPES)
# Stop 47: words tree-sitter-bash parses in quadratic time inside one call (22 s at 64 KB
# before the parser read its source through a callback that checks the CPU cap).
STOP47_SHAPES: dict[str, Callable[[int], str]] = {
    "parser_extglob_word": lambda n: _repeat("a@", n, head="bash -c "),
    "parser_export_word": lambda n: _repeat("a@", n, head="export "),
    "parser_heredoc_parens": lambda n: _repeat("a)", n, head="cat <<E\n"),
}
SHAPES.update(STOP47_SHAPES)
# Stop 48: more valid commands tree-sitter-bash reads in quadratic time (now ended by a count of
# the parser's hand-outs, so every parse is linear work), and a sed comment the coarse second
# reading of a script tried every way (exponential in a run of backslashes: 5 s at 50 bytes).
STOP48_SHAPES: dict[str, Callable[[int], str]] = {
    "parser_default_parens": lambda n: _repeat("a(", n, head="echo ${x:-", tail="}"),
    "parser_test_parens": lambda n: _repeat("a(", n, head="[[ ", tail=" ]]"),
    "parser_arith_brackets": lambda n: _repeat("a]", n, head="(( ", tail=" ))"),
    "parser_backquote_parens": lambda n: _repeat("a)", n, head="echo `", tail="`"),
    "sed_comment_backslashes": lambda n: _repeat("\\", n, head="sed 'p\n#s/\\/", tail="/' f"),
    "sed_newline_scripts": lambda n: _fill(
        lambda i: "-e '" + "\n" * 500 + "'", n, " ", "sed ", " f"
    ),
}
SHAPES.update(STOP48_SHAPES)
# In a workspace of IGNORE_SECRETS hidden secret files under six 64 KiB ignore files of `!`
# rules: every rule was matched against every hidden secret, uncounted (12 s per `rg K`).
IGNORE_SHAPES: dict[str, Callable[[int], str]] = {
    "rg_over_ignore_rules": lambda n: _fill(lambda i: "rg x", n, "; "),
    "rg_types_over_ignore_rules": lambda n: _fill(lambda i: "rg -t sh x src", n, "; "),
}
SHAPES.update(IGNORE_SHAPES)
IGNORE_SECRETS = 200
# The tree the `find`/`xargs` shapes walk: TREE_DIRS directories of TREE_FILES files each.
TREE_DIRS, TREE_FILES = 150, 100
DEEP_LEVELS = 400  # and a chain of directories this deep (deep/a/a/…)


def _backquotes(n: int) -> str:
    # Each level doubles the backslashes; grow the depth while the text fits.
    inner = "ls"
    while True:
        escaped = inner.replace("\\", "\\\\").replace("`", "\\`")
        nxt = f"echo `{escaped}`"
        if len(nxt) > n:
            return inner if inner != "ls" else "echo `ls`"
        inner = nxt


def _deep_shells(n: int) -> str:
    cmd = "ls"
    while True:
        nxt = "bash -c " + "'" + cmd.replace("'", "'\\''") + "'"
        if len(nxt) > n:
            return cmd
        cmd = nxt


def _ignore_workspace(ws: Path) -> None:
    """IGNORE_SECRETS hidden secret files (`.env.N`, `.env.N.sh`) under `.gitignore`, `.ignore`
    and `.rgignore` files of 64 KiB of `!` rules, at the top and in `src/`."""
    (ws / "src").mkdir(parents=True)
    (ws / ".git" / "info").mkdir(parents=True)
    for i in range(IGNORE_SECRETS):
        (ws / "src" / f".env.{i}.sh").write_text("K=1\n")
    rules = "".join(f"!q{i}\n" for i in range(12000))[: 1 << 16]
    for d in (ws, ws / "src"):
        for name in (".gitignore", ".ignore", ".rgignore"):
            (d / name).write_text(rules)


def _work(pol: Policy, ws: Path, command: str) -> dict[str, int]:
    """Syntax nodes the parse visits and words/commands the evaluator looks at."""
    try:
        nodes = shell.walk_nodes(command)
    except Undecidable:
        nodes = -1
    ev = ExecEvaluator(pol.compiled.exec, pol._workspace(ws), pol.permissions("contributor"))
    try:
        ev.command(command)
    except TooComplex:
        pass
    return {"nodes": nodes, "words": ev.budget.words, "commands": ev.budget.commands}


def _measure(pol: Policy, ws: Path, command: str, repeats: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        req = ToolRequest(
            tenant="acme", actor="a", role="contributor", tool="exec", command=command
        )
    except RequestError as exc:  # past the request size cap: refused before any parse
        return {
            "bytes": len(command.encode()),
            "decision": "deny",
            "rule": "request-invalid",
            "reason": str(exc)[:120],
            "median_ms": round((time.perf_counter() - t0) * 1000, 3),
            "max_ms": round((time.perf_counter() - t0) * 1000, 3),
            "peak_kib": 0.0,
            "nodes": 0,
            "words": 0,
            "commands": 0,
        }
    times = []
    decision = None
    for _ in range(repeats):
        shell._parse_cached.cache_clear()
        gc.collect()
        t0 = time.perf_counter()
        decision = pol.decide(req, ws)
        times.append(time.perf_counter() - t0)
    assert decision is not None
    shell._parse_cached.cache_clear()
    gc.collect()
    tracemalloc.start()
    pol.decide(req, ws)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "bytes": len(command.encode()),
        "decision": decision.decision.value,
        "rule": decision.rule,
        "reason": decision.reason[:120],
        "median_ms": round(statistics.median(times) * 1000, 3),
        "max_ms": round(max(times) * 1000, 3),
        "peak_kib": round(peak / 1024, 1),
        **_work(pol, ws, command),
    }


def _exponent(small: dict[str, Any], big: dict[str, Any], key: str) -> float | None:
    a, b = small[key], big[key]
    if a <= 0 or b <= 0 or big["bytes"] <= small["bytes"]:
        return None
    return round(math.log(b / a) / math.log(big["bytes"] / small["bytes"]), 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sizes", default="1,2,4,8,16,32,64,128", help="KiB, comma-separated")
    ap.add_argument("--tenant", default="acme")
    ap.add_argument("--shapes", default="", help="comma-separated subset of shapes")
    args = ap.parse_args()
    sizes = [int(s) * 1024 for s in args.sizes.split(",")]
    pol = PolicyStore(DEFAULT_PLAN_DIR / "policies").for_tenant(args.tenant)
    wanted = [s for s in args.shapes.split(",") if s] or list(SHAPES)
    out: dict[str, Any] = {
        "benchmark": "policy_worst_case",
        "command": "python -m benchmarks.perf.bench_policy_worst_case "
        f"--repeats {args.repeats} --sizes {args.sizes}",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "caps": {
            "bytes": shell.MAX_COMMAND_BYTES,
            "syntax_depth": shell.MAX_SYNTAX_DEPTH,
            "nodes": shell.MAX_NODES,
            "commands": shell.MAX_COMMANDS,
            "assignments": shell.MAX_ASSIGNMENTS,
            "words": shell.MAX_WORDS,
            "pattern_chars": shell.MAX_PATTERN_CHARS,
            "seconds": shell.MAX_SECONDS,
            "wrapper_depth": shell.MAX_DEPTH,
        },
        "shapes": {},
    }
    worst = {"median_ms": 0.0, "peak_kib": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        (ws / "src").mkdir(parents=True)
        for d in range(TREE_DIRS):
            (ws / "t" / f"d{d}").mkdir(parents=True)
            for f in range(TREE_FILES):
                (ws / "t" / f"d{d}" / f"f{f}.py").touch()
        (ws / "deep" / "/".join(["a"] * DEEP_LEVELS)).mkdir(parents=True)
        ign = Path(tmp) / "ign"
        if any(name in IGNORE_SHAPES for name in wanted):
            _ignore_workspace(ign)
        for name in wanted:
            where = ign if name in IGNORE_SHAPES else ws
            rows = [_measure(pol, where, SHAPES[name](n), args.repeats) for n in sizes]
            under = [r for r in rows if r["bytes"] <= shell.MAX_COMMAND_BYTES]
            entry: dict[str, Any] = {"rows": rows}
            if len(under) >= 2:
                entry["time_exponent"] = _exponent(under[0], under[-1], "median_ms")
                entry["work_exponent"] = _exponent(
                    under[0], under[-1], "nodes" if under[-1]["nodes"] > 0 else "words"
                )
            out["shapes"][name] = entry
            for r in rows:
                if r["median_ms"] > worst["median_ms"]:
                    worst = {**r, "shape": name}
    out["worst"] = worst
    out["all_denied_or_decided_under_caps"] = all(
        r["decision"] in ("allow", "deny", "ask") for e in out["shapes"].values() for r in e["rows"]
    )
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
