"""Thirty-eighth red-team pass (2026-12-06), issue 10 classes 1, 3, 4, 8, 9, 10 and 11 from
fresh angles.

Found, allowed (or unbounded) on the tree before this pass and shown by effect:

1. **A Makefile's variables expanded without a bound (class 10).** Since the thirty-sixth
   pass, the task file a CI workflow runs by name (`make check`) is read for the scripts its
   recipes name, with its variables expanded (four rounds, each cut to 4,096 characters
   *after* it was built). A Makefile of self-referring values (`A = $(A)$(A)…`) built
   megabytes per recipe line and round, and every target-specific value of the name
   (`t: A = …`) expanded the line again: 5 KB of such a Makefile took 3.8 s to decide one
   `echo x > notes.md`, 37 KB 15 s, 229 KB more than 600 s, and a 184 KB one with one large
   value used 16,000 times built a 1.9 GB string. Through real `gonogo agent exec` the
   37 KB file made `sh -c 'echo x > notes.md'` take 33 s (9.5 s of CPU) against 2.6 s for a
   plain Makefile. The read is per process (each Claude Code hook call pays it). Now each
   round builds at most what it keeps, a Makefile's expansions share one budget of 1 Mi
   characters (past it, the names are left unexpanded: not fixed, as an undefined one), the
   commands read are de-duplicated, and reading them stops at the 2 s the configuration
   reads already had (checked between files only before).
2. **The same reading, three more shapes (class 10).** 16 nested unclosed `$(shell` calls on
   one 240 KB line were each scanned (and their commands read by shlex) to the line's end:
   11.5 s per decision; 10,000 target values (`tN: VN = x`) were each tested against each of
   10,000 recipe lines: 2.6 s. Brackets are now matched in one pass, a command is read for
   script names up to 64 KB (16 KB a line), and a line tries only the target values of the
   names it refers to.
3. **`(?m)^\\s*` over blank lines (class 10, the agent's own request).** `\\s` takes
   newlines, so a multi-line search whose line starts with `^\\s*X` started at every line
   of a run of blank lines and read the run to its end: quadratic. The file tool's `write`
   of 64 KB of blank lines to `pyproject.toml` took **33.7 s** of the decider's CPU (the
   project-source search, `PY_REMOTE`); requirements, lockfile, pnpm-workspace, Dockerfile,
   Cargo, tox and Azure template searches and git's `extraheader`/`excludesfile` had the same
   shape (3 to 30 s for 40 KB). Leading blanks are now `[^\\S\\n]*` in every such search, and
   every module-level pattern of the policy that reads a whole file is held to linear time.
4. **The same shape in the command itself (class 10).** An awk program's regexes are blanked
   before its pipes are looked for, with `[(,~!{;&|\\n]\\s*/…/`: a contributor's
   `awk '<60 KB of blank lines>{print}' README.md` (allowed) took **8.2 s** of decider CPU,
   past the 2 s cap that nothing inside one regex checks; now 0.04 s.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import (
    Policy,
    exec_eval,
    git_credentials,
    package_sources,
    path_checks,
    repo_runs,
    task_file_commands,
)
from enforcement_agent.policy.make_reading import MakeWork, make_expand
from tests.policy.bounded import cpu_seconds
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import exec_verdict

WORKFLOW = "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make check\n"


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


# --- 1. Makefile expansion (class 10) ---------------------------------------------------

REFS = "$(A)" * 1000
MAKEFILES = {
    # self-referring values: each round multiplies the line
    "self": f"A = {REFS}\ncheck:\n" + "\t$(A)\n" * 200,
    # every target's own value of A expands each line again
    "targets": f"A = {REFS}\n"
    + "".join(f"t{i}: A = {REFS}\n" for i in range(8))
    + "check:\n"
    + "\t$(A)\n" * 200,
    # braces and one-letter names are the same references
    "braces": "A = " + "${A}" * 1000 + "\ncheck:\n" + "\t${A}\n" * 200,
    "letter": "A = " + "$A" * 2000 + "\ncheck:\n" + "\t$A\n" * 200,
    # one large value used many times: a string of gigabytes before the cut
    "wide": "A := " + "x" * 60_000 + "\ncheck:\n\t" + "$(A)" * 8000 + "\n",
    # `$(call F,…)` of a large function body, many times
    "call": "define F\n" + "$(1)" * 8000 + "\nendef\ncheck:\n\t" + "$(call F,x)" * 8000 + "\n",
    # nested unclosed `$(shell`: each call scanned (and its command read) to the line's end
    "shell": "X = " + "$(shell " * 16 + "(" * 240_000 + "\ncheck:\n\techo\n",
    # many target values, each name tested against every recipe line
    "alternatives": "".join(f"t{i}: V{i} = x\n" for i in range(10000))
    + "check:\n"
    + "".join(f"\techo {i}\n" for i in range(10000)),
    # many distinct recipe lines: each a command to read
    "lines": f"A = {REFS}\n"
    + "".join(f"t{i}: A = {REFS}\n" for i in range(8))
    + "check:\n"
    + "".join(f"\t$(A) x{i}.sh\n" for i in range(3000)),
}


def _ci_workspace(root: Path, makefile: str) -> Path:
    return scratch_repo(
        root,
        {
            "README.md": "r\n",
            "src/a.py": "a\n",
            ".github/workflows/ci.yml": WORKFLOW,
            "Makefile": makefile,
        },
    )


@pytest.mark.parametrize("shape", sorted(MAKEFILES))
def test_a_makefile_ci_runs_is_read_in_bounded_time(
    policy: Policy, tmp_path: Path, shape: str
) -> None:
    ws = _ci_workspace(tmp_path / "ws", MAKEFILES[shape])
    start = time.process_time()
    verdict, _ = exec_verdict(policy, ws, "echo x > notes.md")
    spent = time.process_time() - start
    assert verdict is Verdict.ALLOW
    # at most 0.35 s here (2 s to more than 600 s on the tree before, by shape)
    assert spent < 1.5, (shape, spent)
    # the Makefile itself stays protected: CI runs it
    assert exec_verdict(policy, ws, "echo x >> Makefile")[0] is Verdict.DENY


def test_a_wide_makefile_builds_no_large_string(policy: Policy, tmp_path: Path) -> None:
    ws = _ci_workspace(tmp_path / "ws", MAKEFILES["wide"])
    tracemalloc.start()
    try:
        verdict, _ = exec_verdict(policy, ws, "echo x > notes.md")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert verdict is Verdict.ALLOW
    # about 64 MB here, the decider's own first use included (a 480 MB string before)
    assert peak < 200 << 20, peak


def test_one_expansion_builds_no_more_than_it_keeps() -> None:
    variables = {"A": "x" * 100_000}
    start = time.process_time()
    out = make_expand("$(A)" * 50_000, variables)
    assert out == ("x" * 100_000)[:4096]
    assert time.process_time() - start < 0.5  # (5 GB built before)


def test_the_budget_is_shared_and_fails_closed() -> None:
    work = MakeWork(10_000)
    variables = {"A": "$(A)" * 1000}
    for _ in range(10):
        make_expand("$(A)", variables, work)
    assert work.left < 0
    # past the budget, a name stays as written: not fixed, never a guess
    assert make_expand("bash $(S)", {"S": "ci/x.sh"}, work) == "bash $(S)"


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        ("bash $(S)", {"S": "ci/lint.sh"}, "bash ci/lint.sh"),
        ("bash ${S} $T", {"S": "a.sh", "T": "b"}, "bash a.sh b"),
        ("$(call RUN,ci/x.sh)", {"RUN": "bash $(1)"}, "bash ci/x.sh"),
        ("bash $(A)", {"A": "$(B)", "B": "$(C)", "C": "ci/deep.sh"}, "bash ci/deep.sh"),
        ("bash $(UNKNOWN)", {}, "bash $(UNKNOWN)"),
        ("x" * 5000, {}, "x" * 5000),
    ],
)
def test_ordinary_expansions_are_unchanged(
    text: str, variables: dict[str, str], expected: str
) -> None:
    assert make_expand(text, variables) == expected


@pytest.mark.parametrize(
    ("makefile", "script"),
    [
        ("SCRIPT = ci/lint.sh\ncheck:\n\tbash $(SCRIPT)\n", "ci/lint.sh"),
        ("define RUN\nbash $(1)\nendef\ncheck:\n\t$(call RUN,ci/called.sh)\n", "ci/called.sh"),
        ("check: TOOL = ci/target.sh\ncheck:\n\tbash $(TOOL)\n", "ci/target.sh"),
        # a large but ordinary Makefile: a script after 3,000 other lines still counts
        (
            "".join(f"V{i} = v{i}\n" for i in range(3000)) + "check:\n\tbash ci/late.sh\n",
            "ci/late.sh",
        ),
    ],
)
def test_scripts_a_ci_makefile_names_stay_protected(
    policy: Policy, tmp_path: Path, makefile: str, script: str
) -> None:
    ws = _ci_workspace(tmp_path / "ws", makefile)
    assert exec_verdict(policy, ws, f"echo x >> {script}") == (
        Verdict.DENY,
        "exec.protected-path",
    )
    assert exec_verdict(policy, ws, "echo x >> ci/other.sh")[0] is Verdict.ALLOW


# --- 3. line-start searches over blank lines (class 10) ----------------------------------

BLANKS = (" \n", "\t\n", "\n", "\r\n")


@pytest.mark.parametrize(
    "path",
    [
        "pyproject.toml",
        "requirements.txt",
        "requirements-dev.in",
        "setup.cfg",
        "Pipfile",
        "yarn.lock",
        "pnpm-lock.yaml",
        "environment.yml",
        "uv.lock",
        "poetry.lock",
    ],
)
@pytest.mark.parametrize("blank", BLANKS[:2])
def test_a_write_of_blank_lines_is_decided_at_once(
    policy: Policy, tmp_path: Path, path: str, blank: str
) -> None:
    ws = scratch_repo(tmp_path / "ws", {"README.md": "r\n", "src/a.py": "a\n"})
    content = blank * (32_000 // len(blank) * 2) + "x = 1\n"
    req = ToolRequest(
        tenant="acme", actor="a", role="contributor", tool="write", path=path, content=content
    )
    start = time.process_time()
    policy.decide(req, ws)
    # about 0.01 s here; 33.7 s for pyproject.toml on the tree before
    assert time.process_time() - start < 1.0, path


def test_the_searches_still_find_their_lines(policy: Policy, tmp_path: Path) -> None:
    ws = scratch_repo(tmp_path / "ws", {"README.md": "r\n", "src/a.py": "a\n"})
    cases = [
        ("requirements.txt", "\n\n  -i https://evil.example/simple\n"),
        ("requirements.txt", "\n \n\t--extra-index-url https://evil.example/simple\n"),
        ("pyproject.toml", "[tool.uv.sources]\n\n\n  x = { git = 'https://e.example/x' }\n"),
        ("pyproject.toml", "[x]\n\n   \ngit = 'https://e.example/x'\n"),
        ("pyproject.toml", "[tool.hatch.envs.default]\n\n\n  post-install-commands = ['x']\n"),
    ]
    for path, content in cases:
        req = ToolRequest(
            tenant="acme", actor="a", role="contributor", tool="write", path=path, content=content
        )
        assert policy.decide(req, ws).decision is Verdict.DENY, (path, content)
    ok = ToolRequest(
        tenant="acme",
        actor="a",
        role="contributor",
        tool="write",
        path="requirements.txt",
        content="\n\nrequests==2.32.3\n  \nhttpx\n",
    )
    assert policy.decide(ok, ws).decision is Verdict.ALLOW


WHOLE_TEXT_PATTERNS = [
    (package_sources, "PY_REMOTE"),
    (package_sources, "_LOCK_TEXT_VALUES"),
    (package_sources, "_ENV_OPTION"),
    (package_sources, "_ENV_PATH_ITEM"),
    (package_sources, "_PY_TOOL_SOURCE"),
    (package_sources, "REQUIREMENT_INDEX"),
    (git_credentials, "_CREDENTIAL"),
    (path_checks, "_EXCLUDES_FILE"),
    (task_file_commands, "_PNPM_PACKAGE"),
    (task_file_commands, "_DOCKER_LINE"),
    (task_file_commands, "_CARGO_BUILD"),
    (task_file_commands, "_SETUP_CFG_TOX"),
    (task_file_commands, "_PYPROJECT_TOX"),
    (repo_runs, "_AZURE_TEMPLATE"),
    (exec_eval, "_AWK_REGEX"),
]


@pytest.mark.parametrize(("module", "name"), WHOLE_TEXT_PATTERNS)
def test_whole_text_searches_are_linear_in_blank_lines(module: object, name: str) -> None:
    rx = getattr(module, name)
    for blank in (*BLANKS, "'\n", "-\n", "- \n"):
        text = blank * 20_000
        # a few ms here; 0.5 to 30 s on the tree before (measured with the collector held
        # off: one run at load 11 spent 0.89 s, a full collection of the worker's heap)
        _, spent = cpu_seconds(lambda text=text: list(rx.finditer(text)))
        assert spent < 0.25, (name, blank)


@pytest.mark.parametrize(
    ("module", "name", "text", "found"),
    [
        (package_sources, "REQUIREMENT_INDEX", "\n\n  -i https://x\n", True),
        (package_sources, "REQUIREMENT_INDEX", '"-f https://x"\n', True),
        (package_sources, "_LOCK_TEXT_VALUES", '\n\n  resolved "https://x"\n', True),
        (package_sources, "_ENV_OPTION", "\n - '--index-url' x\n", True),
        (package_sources, "_ENV_PATH_ITEM", "\n\n  - ../outside\n", True),
        (git_credentials, "_CREDENTIAL", "\n\n\textraheader = AUTHORIZATION: x\n", True),
        (task_file_commands, "_DOCKER_LINE", "FROM x\n\n   RUN ./ci/build.sh\n", True),
        (task_file_commands, "_SETUP_CFG_TOX", "\n\n [tox:tox]\n", True),
        (repo_runs, "_AZURE_TEMPLATE", "steps:\n\n  - template: ci/x.yml\n", True),
        (task_file_commands, "_CARGO_BUILD", "[package]\n\n  build = 'tools/b.rs'\n", True),
        (task_file_commands, "_DOCKER_LINE", "FROM x\n# RUN not\n", False),
    ],
)
def test_whole_text_searches_still_match(module: object, name: str, text: str, found: bool) -> None:
    assert (getattr(module, name).search(text) is not None) is found


# --- 4. awk programs of blank lines (class 10) -------------------------------------------


@pytest.mark.parametrize("blank", ["\n", " \n", "\n\t", "\r\n", ";\n", "\n  \n"])
def test_an_awk_program_of_blank_lines_is_decided_at_once(
    policy: Policy, tmp_path: Path, blank: str
) -> None:
    ws = scratch_repo(tmp_path / "ws", {"README.md": "r\n", "src/a.py": "a\n"})
    program = blank * (60_000 // len(blank)) + "{print}"
    start = time.process_time()
    verdict, _ = exec_verdict(policy, ws, f"awk '{program}' README.md")
    # about 0.04 s here; 8.2 s on the tree before
    assert time.process_time() - start < 1.0, repr(blank)
    # (a carriage return in a command is undecidable, as before)
    assert verdict is (Verdict.DENY if "\r" in blank else Verdict.ALLOW)


@pytest.mark.parametrize(
    ("program", "allowed"),
    [
        ("/a|b/ {print}", True),
        ("BEGIN { x = 1 }\n\n  /a|b/ { print }", True),
        ("{ if ($0 ~\n   /a|b/) print }", True),
        ('{ print |\n\n "sh" }', False),
        ('BEGIN { x = 1 }\n\n  /a/ { print | "sh" }', False),
    ],
)
def test_awk_regexes_after_blank_lines_are_still_blanked(
    policy: Policy, tmp_path: Path, program: str, allowed: bool
) -> None:
    ws = scratch_repo(tmp_path / "ws", {"README.md": "r\n", "src/a.py": "a\n"})
    verdict, rule = exec_verdict(policy, ws, f"awk '{program}' README.md")
    assert (verdict is Verdict.ALLOW) is allowed, (program, rule)


# ---- `--` before a subcommand (the pass's left-open item, closed by the lead) -------------
# `git -- push --force origin main` was read as `push` with its options ended, so `--force`
# was an argument and no destructive rule saw it (allowed). git 2.39 refuses the `--`; a
# program or version that accepts it would force-push. A `--` before the subcommand of a
# program with no arguments of its own is now undecidable.
DASHDASH_SUBCOMMANDS = [
    "git -- push --force origin main",
    "git -- push -f",
    "git -- push --mirror",
    "git -- push --delete origin main",
    "git -- branch -D main",
    "git -- reset --hard HEAD~3",
    "git -- clean -fdx",
    "git --no-pager -- push --force",
    "git -C . -- push --force-with-lease",
    "git -- status",
    "cargo -- build",
    "npm -- run build",
]


@pytest.mark.parametrize("command", DASHDASH_SUBCOMMANDS)
def test_a_dashdash_before_the_subcommand_is_refused(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    verdict, rule = exec_verdict(policy, tmp_path, command)
    assert verdict is Verdict.DENY, (command, rule)


@pytest.mark.parametrize(
    "command",
    ["git status", "git push origin main", "git log -- README.md", "git diff -- a.py",
     "node -- x.js", "node --version", "python3 -m pytest -q -- tests"],
)  # fmt: skip
def test_dashdash_after_the_subcommand_or_before_a_script_stays_allowed(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    (tmp_path / "x.js").write_text("console.log(1)\n")
    (tmp_path / "README.md").write_text("x\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "tests").mkdir()
    verdict, rule = exec_verdict(policy, tmp_path, command)
    assert verdict is Verdict.ALLOW, (command, rule)
