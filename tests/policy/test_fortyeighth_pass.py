"""Forty-eighth red-team pass (2026-12-07): issue 10's classes 4, 8 and 11 through what programs
write where nobody names it, as a contributor who controls the commands and the workspace's files.

Found on the tree before this pass (each group below fails there; docs/policy.md, "Forty-eighth
pass"):
- class 11: a program's default outputs land where it runs: `cd .github && git format-patch -1`,
  `cargo vendor`, `go work init`, `go mod vendor`, `uv venv`, `pipenv install`, `pip download`,
  `npm pack`, `tox devenv`, `python -m build`, `cmake ..` wrote into `.github` (or `.husky`, a
  nested `.devcontainer`, `.git/hooks`): only the outputs some specs listed were checked;
- classes 4 and 11: `go mod edit [flags] FILE` rewrites FILE, read as a file it reads;
- class 11: a cmake configure step writes `Makefile`, `CMakeCache.txt` … into its build tree:
  `cmake -B .` and `cmake .` rewrote the Makefile CI runs (only `.` itself was checked), and a
  preset's `binaryDir` of `${sourceDir}` did the same;
- class 11: the walks of formatters given a folder (`shfmt -w .`, `black .`, `ruff check --fix
  .`) looked for the patterns' protected files only, not the repository's own (the scripts CI
  runs by path): `shfmt -w .` rewrote `ci/run.sh` while `shfmt -w ci` was refused;
- class 11: split's and mktemp's names were compared with the patterns' file names only:
  `split -a1 -b100 F ci/run.s` wrote its eighth piece to `ci/run.sh`, which CI runs;
- class 8: a hard link of the Makefile or a script CI runs was written through (`echo x >> y`):
  the twin check knew the patterns' protected files only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import GIT_ENV, scratch_repo, workflow
from tests.policy.verdicts import exec_verdict

A, D = Verdict.ALLOW, Verdict.DENY
PROTECTED = "exec.protected-path"

_PRESETS = """{
  "version": 6,
  "configurePresets": [
    {"name": "default", "binaryDir": "${sourceDir}/build/${presetName}"},
    {"name": "insrc", "binaryDir": "${sourceDir}"},
    {"name": "dot", "binaryDir": "."},
    {"name": "gh", "binaryDir": "${sourceDir}/.github"},
    {"name": "child", "inherits": "insrc"},
    {"name": "grandchild", "inherits": ["default", "child"]},
    {"name": "bare"},
    {"name": "envdir", "binaryDir": "$env{OUT}"},
    {"name": "own", "inherits": "insrc", "binaryDir": "${sourceDir}/out"}
  ]
}
"""


def _build(root: Path, links: bool = False) -> Path:
    """A repository whose CI runs `make test`, `bash ci/run.sh`, `python ci/check.py` and
    `./configure`."""
    ci = workflow("make test", "bash ci/run.sh", "python ci/check.py", "./configure && make")
    ws = scratch_repo(
        root,
        {
            "README.md": "x\n",
            "src/app.py": "print(1)\n",
            "notes.md": "n" * 900 + "\n",
            "CLAUDE.md": "good\n",
            ".github/workflows/ci.yml": ci,
            ".github/go.mod": "module x\n",
            ".husky/readme.txt": "r\n",
            "sub/.devcontainer/devcontainer.json": "{}\n",
            "Makefile": "test:\n\ttrue\n",
            "ci/run.sh": "true\n",
            "ci/check.py": "print(1)\n",
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\nproject(x NONE)\n",
            "CMakePresets.json": _PRESETS,
            "configure": "#!/bin/sh\ntrue\n",
            "configure.ac": "AC_INIT([x], [1])\nAC_OUTPUT\n",
            "go.mod": "module x\n",
            "Cargo.toml": "[package]\nname = 'x'\n",
            "pyproject.toml": "[project]\nname = 'x'\n",
            "package.json": '{"name": "x"}\n',
            "build/.keep": "",
            "tools/.keep": "",
        },
    )
    if links:
        os.link(ws / "Makefile", ws / "hl_make")
        os.link(ws / "ci/run.sh", ws / "hl_run")
    return ws


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # (the session's: loaded once for the whole suite)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("rt48") / "ws")


@pytest.fixture(scope="module")
def linked_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("rt48l") / "ws", links=True)


def _refused(policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is not A, (command, rule)


def _allowed(policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is A, (command, rule)


# ---- class 11: default outputs land where the program runs -------------------------------------
WORKDIR = [
    "cd .github && git format-patch -1",
    "cd .github; git format-patch --root",
    "git -C .github format-patch -1",
    "(cd .github && git format-patch -1)",
    "cd .git/hooks && git format-patch -1",
    "cd .github && cargo vendor",
    "cargo -C .github vendor",
    "cd .husky && cargo vendor --versioned-dirs",
    "cd .github && go mod vendor",
    "cd .github && go work init",
    "cd .github && go work use .",
    "cd .github && go work sync",
    "cd .github && go work edit -go=1.22",
    "cd sub/.devcontainer && go work init",
    "cd .github && uv venv",
    "uv --directory .github venv",
    "cd .github/workflows && uv venv --seed",
    "cd .github && pipenv install",
    "cd .github && pipenv lock",
    "cd .github && pip download x",
    "cd .github && pip wheel x",
    "cd .github && npm pack",
    "cd .github && yarn pack",
    "cd .github && pnpm pack",
    "cd .github && tox devenv",
    "cd .github && python -m build",
    "cd .github && python3 -m build --sdist",
    "cd .github && cmake ..",
    "pushd .github && uv venv",
    "bash -c 'cd .github && cargo vendor'",
    "timeout 60 sh -c 'cd .husky && npm pack'",
]
WORKDIR_CONTROLS = [
    "cd .github && git log --oneline",
    "cd .github && git diff",
    "cd .github && ls -la",
    "cd .github/workflows && cat ci.yml",
    "cd .github && grep -rn push .",
    "cd .github && wc -l workflows/ci.yml",
    "git -C .github log -1",
    "cd src && git format-patch -1",
    "git format-patch -1",
    "cd tools && cargo vendor",
    "cargo vendor",
    "uv venv",
    "cd src && uv venv",
    "npm pack",
    "cd tools && go work init",
    "cd build && cmake ..",
]


@pytest.mark.parametrize("command", WORKDIR)
def test_default_outputs_in_a_protected_folder(policy: Policy, ws: Path, command: str) -> None:
    _refused(policy, ws, command)


@pytest.mark.parametrize("command", WORKDIR_CONTROLS)
def test_default_outputs_controls(policy: Policy, ws: Path, command: str) -> None:
    _allowed(policy, ws, command)


def test_default_outputs_by_effect(tmp_path: Path) -> None:
    """git format-patch writes its patch where it runs: into `.github`."""
    ws = _build(tmp_path / "ws")
    env = {**os.environ, **GIT_ENV, "HOME": str(tmp_path)}
    subprocess.run(["bash", "-c", "cd .github && git format-patch -q --root"], cwd=ws, env=env,
                   check=True, capture_output=True)  # fmt: skip
    assert [p.name for p in (ws / ".github").glob("*.patch")] == ["0001-init.patch"]


# ---- classes 4 and 11: go mod edit rewrites the file it is given --------------------------------
GO_MOD_EDIT = [
    "go mod edit -fmt .github/go.mod",
    "go mod edit -go=1.22 .github/go.mod",
    "go mod edit -module=x CLAUDE.md",
    "go mod edit -require=a@v1.0.0 Makefile",
    "go mod edit -droprequire=a .github/go.mod",
    "go mod edit -replace=a=../b ci/run.sh",
    "go mod edit -toolchain=go1.22.0 .husky/readme.txt",
    "go mod edit -fmt -print=false CLAUDE.md",
    "go mod edit -json=false CLAUDE.md",
    "go mod edit --fmt .github/go.mod",
    "timeout 9 go mod edit -fmt .github/go.mod",
    "sh -c 'go mod edit -exclude=a@v1.0.0 sub/.devcontainer/devcontainer.json'",
]
GO_MOD_EDIT_CONTROLS = [
    "go mod edit -print .github/go.mod",
    "go mod edit -json CLAUDE.md",
    "go mod edit -fmt",
    "go mod edit -fmt go.mod",
    "go mod edit -go=1.22",
    "go mod edit -replace=a=../b go.mod",
]


@pytest.mark.parametrize("command", GO_MOD_EDIT)
def test_go_mod_edit_writes_its_file(policy: Policy, ws: Path, command: str) -> None:
    _refused(policy, ws, command)


@pytest.mark.parametrize("command", GO_MOD_EDIT_CONTROLS)
def test_go_mod_edit_controls(policy: Policy, ws: Path, command: str) -> None:
    _allowed(policy, ws, command)


# ---- class 11: the build tree a cmake configure step writes -------------------------------------
CMAKE = [
    "cmake .",
    "cmake -B .",
    "cmake -S . -B .",
    "cmake -B. -S.",
    "cmake -B ./",
    "cmake -G Ninja .",
    "cmake --fresh .",
    "cmake -DCMAKE_BUILD_TYPE=Release .",
    "cmake -S . -B .github",
    "cmake --preset insrc",
    "cmake --preset=insrc",
    "cmake --preset dot",
    "cmake --preset gh",
    "cmake --preset child",
    "cmake --preset grandchild",
    "cmake --preset bare",
    "cmake --preset envdir",
    "timeout 60 cmake -B .",
    "cmake -B build && cmake -B .",
    "bash -c 'cmake .'",
]
CMAKE_CONTROLS = [
    "cmake -B build",
    "cmake -S . -B build",
    "cmake -Bbuild",
    "cmake -B build -G Ninja",
    "cmake --build build",
    "cmake --build build -j 8",
    "cmake --preset default",
    "cmake --preset own",
    "cmake --preset missing",
    "cd build && cmake ..",
    "cmake --version",
]


@pytest.mark.parametrize("command", CMAKE)
def test_cmake_build_tree(policy: Policy, ws: Path, command: str) -> None:
    _refused(policy, ws, command)


@pytest.mark.parametrize("command", CMAKE_CONTROLS)
def test_cmake_build_tree_controls(policy: Policy, ws: Path, command: str) -> None:
    _allowed(policy, ws, command)


@pytest.mark.skipif(shutil.which("cmake") is None, reason="cmake is not installed")
def test_cmake_build_tree_by_effect(tmp_path: Path) -> None:
    """`cmake -B .` replaces the Makefile CI runs with the generated one."""
    ws = _build(tmp_path / "ws")
    subprocess.run(["cmake", "-B", "."], cwd=ws, check=True, capture_output=True)
    assert "generated file" in (ws / "Makefile").read_text()


# ---- class 11: files built-in tasks write (autoconf's `configure`, gradle's wrapper) ----------
TASKS = [
    "autoconf",
    "autoconf -f",
    "autoreconf",
    "autoreconf -fi",
    "autoconf --force",
    "gradle wrapper",
    "gradle wrap",
    "gradle w",
    "gradle :wrapper",
    "gradle -q wrapper",
    "gradle init",
    "gradle in",
    "gradle clean wrapper",
    "gradle --offline :init",
    "timeout 60 gradle wrapper",
]
TASK_CONTROLS = [
    "cd src && autoconf",
    "gradle build",
    "gradle tasks",
    "gradle -q clean build -x test",
    "gradle test --tests 'com.x.*'",
]


@pytest.mark.parametrize("command", TASKS)
def test_built_in_task_outputs(policy: Policy, ws: Path, command: str) -> None:
    _refused(policy, ws, command)


@pytest.mark.parametrize("command", TASK_CONTROLS)
def test_built_in_task_controls(policy: Policy, ws: Path, command: str) -> None:
    _allowed(policy, ws, command)


# ---- class 11: files compilers name after their input -----------------------------------------
DERIVED = [
    "rustc deploy.rs",
    "rustc -O deploy.rs",
    "rustc --edition=2021 deploy.rs",
    "rustc innocent.rs",
    "rustc --crate-name deploy src/main.rs",
    "rustc --out-dir ci --crate-name run src/main.rs",
    "go build deploy.go",
    "go build -v deploy.go helper.go",
    "go build ./cmd/deploy",
    "go build",
    "gcc x.c",
    "cc -O2 x.c",
    "clang x.c",
    "g++ -Wall x.c",
    "zig build-exe deploy.zig",
    "tsc ci/run.ts",
    "tsc --strict ci/run.ts",
    "npx tsc ci/run.ts",
    "cd ci && tsc run.ts",
    "timeout 60 rustc deploy.rs",
]
DERIVED_CONTROLS = [
    "rustc src/main.rs",
    "rustc -o build/x deploy.rs",
    "gcc -o build/app x.c",
    "gcc -c x.c",
    "gcc --version",
    "go build ./...",
    "go build -o build/x deploy.go",
    "tsc --noEmit ci/run.ts",
    "tsc src/a.ts",
]


def _compile_ws(root: Path) -> Path:
    return scratch_repo(
        root,
        {
            "README.md": "x\n",
            "src/app.py": "print(1)\n",
            ".github/workflows/ci.yml": workflow("./deploy", "node ci/run.js", "./a.out"),
            "deploy": "#!/bin/sh\necho reviewed\n",
            "a.out": "x",
            "ci/run.js": "x\n",
            "deploy.rs": "fn main() {}\n",
            "innocent.rs": '#![crate_name = "deploy"]\nfn main() {}\n',
            "src/main.rs": "fn main() {}\n",
            "deploy.go": "package main\n",
            "helper.go": "package main\n",
            "go.mod": "module example.com/deploy\n",
            "x.c": "int main(void) { return 0; }\n",
            "deploy.zig": "",
            "ci/run.ts": "x\n",
            "src/a.ts": "x\n",
        },
    )


@pytest.fixture(scope="module")
def compile_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _compile_ws(tmp_path_factory.mktemp("rt48c") / "ws")


@pytest.mark.parametrize("command", DERIVED)
def test_outputs_named_after_inputs(policy: Policy, compile_ws: Path, command: str) -> None:
    _refused(policy, compile_ws, command)


@pytest.mark.parametrize("command", DERIVED_CONTROLS)
def test_outputs_named_after_inputs_controls(
    policy: Policy, compile_ws: Path, command: str
) -> None:
    _allowed(policy, compile_ws, command)


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_outputs_named_after_inputs_by_effect(tmp_path: Path) -> None:
    """`gcc x.c` replaces the `a.out` CI runs; `rustc deploy.rs` the `deploy` script."""
    ws = _compile_ws(tmp_path / "ws")
    subprocess.run(["gcc", "x.c"], cwd=ws, check=True)
    assert (ws / "a.out").read_bytes()[:4] == b"\x7fELF"
    if shutil.which("rustc"):
        subprocess.run(["rustc", "deploy.rs"], cwd=ws, check=True, capture_output=True)
        assert (ws / "deploy").read_bytes()[:4] == b"\x7fELF"


# ---- class 11: outputs a tool's own configuration names ---------------------------------------
_BASE_TS = '{"compilerOptions": {"outDir": ".github/o"}}\n'
CONFIGURED = [
    ({"pyproject.toml": '[tool.ruff]\ncache-dir = ".github/r"\n'}, "ruff check src"),
    ({"pyproject.toml": '[tool.ruff]\ncache-dir = ".github/r"\n'}, "ruff format src"),
    ({"pyproject.toml": 'tool.ruff.cache-dir = ".git/hooks"\n'}, "ruff check src"),
    ({"ruff.toml": 'cache-dir = "CLAUDE.md"\n'}, "ruff check src/app.py"),
    ({".ruff.toml": "cache-dir = '.husky/c'\n"}, "python -m ruff check src"),
    ({"sub/pyproject.toml": '[tool.ruff]\ncache-dir = "../.github/r"\n'}, "cd sub && ruff check ."),
    ({"pyproject.toml": '[tool.ruff]\ncache-dir = "$HOME/../.github"\n'}, "ruff check src"),
    ({".coveragerc": "[run]\ndata_file = CLAUDE.md\n"}, "coverage erase"),
    ({".coveragerc": "[run]\ndata_file = CLAUDE.md\n"}, "coverage combine"),
    ({".coveragerc": "[run]\ndata_file = CLAUDE.md\n"}, "python -m coverage erase"),
    ({"pyproject.toml": '[tool.coverage.run]\ndata_file = "CLAUDE.md"\n'}, "coverage report"),
    ({"pyproject.toml": '[tool.coverage.html]\ndirectory = ".github/c"\n'}, "coverage html"),
    ({"setup.cfg": "[coverage:xml]\noutput = .github/c.xml\n"}, "coverage xml"),
    ({"tox.ini": "[coverage:json]\noutput = CLAUDE.md  # x\n"}, "coverage json"),
    ({"mypy.ini": "[mypy]\ncache_dir = .github/m\n"}, "mypy src"),
    ({"pyproject.toml": '[tool.mypy]\njunit_xml = "CLAUDE.md"\n'}, "mypy src"),
    ({"setup.cfg": "[mypy]\nhtml_report = .github/h\n"}, "python -m mypy src"),
    ({"mypy.ini": "[mypy]\ncache_dir = ~/x\n"}, "mypy src"),
    ({"tsconfig.json": '{"compilerOptions": {"outDir": ".github/o"}}\n'}, "tsc"),
    ({"tsconfig.json": '{"compilerOptions": {"outDir": ".github/o"}}\n'}, "npx tsc -p ."),
    ({"tsconfig.json": '{"compilerOptions": {"tsBuildInfoFile": "CLAUDE.md"}}\n'}, "tsc -b"),
    ({"tsconfig.json": '{"compilerOptions": {"out\\u0044ir": ".github/o"}}\n'}, "tsc"),
    ({"tsconfig.json": '{"compilerOptions": {\n  "declarationDir": ".husky/d",\n}}\n'}, "tsc"),
    ({"tsconfig.json": '{"extends": "./base.json"}\n', "base.json": _BASE_TS}, "tsc"),
    ({"tsconfig.json": '{"extends": "./cfg"}\n', "cfg/tsconfig.json": _BASE_TS}, "tsc"),
]
CONFIGURED_CONTROLS = [
    ({"pyproject.toml": '[tool.ruff]\ncache-dir = ".ruff_cache"\n'}, "ruff check src"),
    ({".coveragerc": "[run]\ndata_file = .coverage\n"}, "coverage erase"),
    ({"pyproject.toml": '[tool.coverage.html]\ndirectory = "htmlcov"\n'}, "coverage html"),
    ({"mypy.ini": "[mypy]\ncache_dir = .mypy_cache\n"}, "mypy src"),
    ({"tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}\n'}, "tsc"),
    ({"tsconfig.json": '{"extends": "@tsconfig/node20/tsconfig.json"}\n'}, "tsc --noEmit"),
]


def _config_ws(root: Path, files: dict[str, str]) -> Path:
    return scratch_repo(
        root,
        {"README.md": "x\n", "src/app.py": "print(1)\n", "CLAUDE.md": "good\n", **files},
    )


@pytest.mark.parametrize(("files", "command"), CONFIGURED)
def test_configured_outputs(
    policy: Policy, tmp_path: Path, files: dict[str, str], command: str
) -> None:
    _refused(policy, _config_ws(tmp_path / "ws", files), command)


@pytest.mark.parametrize(("files", "command"), CONFIGURED_CONTROLS)
def test_configured_output_controls(
    policy: Policy, tmp_path: Path, files: dict[str, str], command: str
) -> None:
    _allowed(policy, _config_ws(tmp_path / "ws", files), command)


def test_configured_outputs_by_effect(tmp_path: Path) -> None:
    """coverage erase removes the data file its configuration names; ruff writes its cache
    where its configuration says."""
    ws = _config_ws(tmp_path / "ws", {".coveragerc": "[run]\ndata_file = CLAUDE.md\n"})
    subprocess.run([sys.executable, "-m", "coverage", "erase"], cwd=ws, check=True)
    assert not (ws / "CLAUDE.md").exists()
    ruff = Path(sys.executable).parent / "ruff"
    if ruff.exists():
        (ws / "ruff.toml").write_text('cache-dir = ".github/r"\n')
        subprocess.run([str(ruff), "check", "src"], cwd=ws, capture_output=True)
        assert (ws / ".github/r/CACHEDIR.TAG").exists()


# ---- class 11: a formatter's walk finds the scripts CI runs --------------------------------------
WALKS = [
    "shfmt -w .",
    "shfmt -l -w .",
    "shfmt -w -- .",
    "shfmt --write .",
    "cd ci && shfmt -w .",
    "black .",
    "black -q .",
    "ruff format .",
    "ruff check --fix .",
    "cd ci && black .",
    "yapf -i -r .",
    "autopep8 -i -r .",
]
WALK_CONTROLS = [
    "shfmt -w src",
    "shfmt -d .",
    "shfmt -l .",
    "black src",
    "black --check .",
    "ruff format src",
    "ruff check --no-fix .",
]


@pytest.mark.parametrize("command", WALKS)
def test_formatter_walks_find_ci_scripts(policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is not A and rule == PROTECTED, (command, verdict, rule)


@pytest.mark.parametrize("command", WALK_CONTROLS)
def test_formatter_walk_controls(policy: Policy, ws: Path, command: str) -> None:
    _allowed(policy, ws, command)


# ---- class 11: single-file programs CI runs by path -----------------------------------------
CI_SCRIPTS = [
    ("go run ci/gen.go", "ci/gen.go"),
    ("go run ./ci/gen.go", "ci/gen.go"),
    ("go run -tags ci ci/gen.go", "ci/gen.go"),
    ("go run -race ci/gen.go ci/util.go", "ci/util.go"),
    ("cd ci && go run gen.go", "ci/gen.go"),
    ("timeout 600 go run ci/gen.go -- -v", "ci/gen.go"),
    ("GOFLAGS=-mod=mod go run ci/gen.go", "ci/gen.go"),
    ("make gen", "tools/gen.go"),
    ("swift ci/x.swift", "ci/x.swift"),
    ("kotlin ci/x.main.kts", "ci/x.main.kts"),
    ("scala ci/x.sc", "ci/x.sc"),
    ("nu ci/x.nu", "ci/x.nu"),
    ("rust-script ci/x.rs", "ci/x.rs"),
    ("cargo -Zscript ci/x.rs", "ci/x.rs"),
    ("cargo +nightly -Zscript ci/x.rs", "ci/x.rs"),
    ("zig run ci/x.zig", "ci/x.zig"),
    ("mix run ci/x.exs", "ci/x.exs"),
    ("dotnet run ci/x.cs", "ci/x.cs"),
    ("crystal run ci/x.cr", "ci/x.cr"),
    ("runghc ci/x.hs", "ci/x.hs"),
    ("earthly ./ci+build", "ci/Earthfile"),
    ("earthly --ci ./ci+build", "ci/Earthfile"),
]
CI_SCRIPT_CONTROLS = [
    ("go run ./ci", "ci/gen.go"),
    ("go build ci/gen.go", "ci/gen.go"),
    ("cargo build", "ci/x.rs"),
    ("swift build", "ci/x.swift"),
    ("dotnet build", "ci/x.cs"),
    ("earthly +build", "ci/Earthfile"),
]


def _script_ws(root: Path, run: str, path: str) -> Path:
    return scratch_repo(
        root,
        {
            "README.md": "x\n",
            "src/app.py": "print(1)\n",
            ".github/workflows/ci.yml": workflow(run),
            "ci/gen.go": "package main\n",
            "ci/util.go": "package main\n",
            "tools/gen.go": "package main\n",
            "Makefile": "gen:\n\tgo run tools/gen.go\n",
            path: "x\n",
        },
    )


@pytest.mark.parametrize(("run", "path"), CI_SCRIPTS)
def test_single_files_ci_runs(policy: Policy, tmp_path: Path, run: str, path: str) -> None:
    verdict, rule = exec_verdict(
        policy, _script_ws(tmp_path / "ws", run, path), f"echo x >> {path}"
    )
    assert (verdict, rule) == (D, PROTECTED), (run, path, rule)


@pytest.mark.parametrize(("run", "path"), CI_SCRIPT_CONTROLS)
def test_single_file_controls(policy: Policy, tmp_path: Path, run: str, path: str) -> None:
    _allowed(policy, _script_ws(tmp_path / "ws", run, path), f"echo x >> {path}")


@pytest.mark.parametrize("command", ["shfmt -w src", "shfmt --write src", "black src"])
def test_formatter_walks_follow_links_to_ci_scripts(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    """A link inside the folder to a script CI runs is that script (the formatter writes
    through it)."""
    ws = _script_ws(tmp_path / "ws", "bash ci/run.sh && python ci/check.py", "ci/run.sh")
    (ws / "ci/check.py").write_text("print(1)\n")
    os.symlink("../ci/run.sh", ws / "src/run.sh")
    os.symlink("../ci/check.py", ws / "src/check.py")
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is not A and rule == PROTECTED, (command, verdict, rule)


# ---- class 11: names split and mktemp make ------------------------------------------------------
SPLITS = [
    "split -a1 -b100 notes.md ci/run.s",
    "split -a 1 -l 1 notes.md Makefil",
    "split --suffix-length=1 notes.md ci/run.s",
    "split -a1 -n5 notes.md Makefil",
    "split -a1 notes.md ci/check.p",
    "cd ci && split -a1 -b9 ../notes.md run.s",
    "mktemp ci/run.sX",
    "mktemp ci/run.XX",
    "mktemp -p ci run.sX",
    "mktemp ci/check.pX",
    "mktemp --tmpdir=ci run.XX",
]
SPLIT_CONTROLS = [
    "split -a1 notes.md build/x",
    "split notes.md ci/part.",
    "split -d -a1 notes.md ci/run.s",
    "split --additional-suffix=h -a1 notes.md ci/run.s",
    "mktemp build/tmp.XXXX",
    "mktemp Makef.XXX",
]


@pytest.mark.parametrize("command", SPLITS)
def test_split_names_reach_ci_scripts(policy: Policy, ws: Path, command: str) -> None:
    _refused(policy, ws, command)


@pytest.mark.parametrize("command", SPLIT_CONTROLS)
def test_split_name_controls(policy: Policy, ws: Path, command: str) -> None:
    _allowed(policy, ws, command)


def test_split_names_by_effect(tmp_path: Path) -> None:
    """split's eighth one-letter piece is `ci/run.sh`, the script CI runs."""
    ws = _build(tmp_path / "ws")
    (ws / "payload").write_text("".join(f"{c * 9}\n" for c in "abcdefgh"))
    subprocess.run(["split", "-a1", "-b10", "payload", "ci/run.s"], cwd=ws, check=True)
    assert (ws / "ci/run.sh").read_text() == "hhhhhhhhh\n"


# ---- class 8: a hard link of a file CI runs ----------------------------------------------------
LINKED = [
    "echo x >> hl_make",
    "echo x > hl_run",
    "printf x >> ./hl_run",
    "cat notes.md >> hl_make",
    "sed -i s/a/b/ hl_run",
    "truncate -s0 hl_make",
    "tee -a hl_run < notes.md",
    "cp notes.md hl_make",
    "dd of=hl_make if=notes.md",
    "cd src && echo x >> ../hl_run",
]
LINKED_CONTROLS = ["cat hl_make", "wc -l hl_run", "echo x >> notes.md"]


@pytest.mark.parametrize("command", LINKED)
def test_hard_links_of_ci_files(policy: Policy, linked_ws: Path, command: str) -> None:
    _refused(policy, linked_ws, command)


@pytest.mark.parametrize("command", LINKED_CONTROLS)
def test_hard_link_controls(policy: Policy, linked_ws: Path, command: str) -> None:
    _allowed(policy, linked_ws, command)
