"""Forty-fourth pass (lead, 2026-12-06), issue 10, class 11: the copies the forty-third pass
left open. A CI job's steps share one runner, so a copy made in one step and run in a later
one (`cp ci/x /tmp/y` in one `run:`, `bash /tmp/y` in the next) runs the workspace file; so
do copies whose destination is computed (`cp F "$(mktemp)"`, then a glob or a loop over the
folder), copies that git, tar, unzip or an interpreter's one-liner make, and an archive of
the workspace extracted and run. Each left its source writable on the tree before this pass;
now the source is protected exactly when what follows runs the copy (a copy only read
protects nothing).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.policy import Policy, ci_values
from enforcement_agent.policy.program_copies import printed_files, program_copies
from tests.policy.bounded import cpu_seconds
from tests.policy.scratch_repo import scratch_repo, workflow
from tests.policy.verdicts import assert_append_allowed as _allowed
from tests.policy.verdicts import assert_append_denied as _denied
from tests.policy.verdicts import exec_verdict


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


# ---- steps of one job: the copy in one step, its run in a later one ----------------------------
STEPS: dict[tuple[str, ...], str] = {
    ("cp s1/p1 /tmp/y1", "bash /tmp/y1"): "s1/p1",
    ("curl -o /tmp/x2 file://$PWD/s2/p2", "sh /tmp/x2"): "s2/p2",
    ("install -m755 s3/p3 /usr/local/bin/t3", "t3 --fast"): "s3/p3",
    ("cat s4/p4 > /tmp/z4", "chmod +x /tmp/z4", "/tmp/z4"): "s4/p4",
    ("cp -r s5 /tmp/s5", "bash /tmp/s5/p5"): "s5/p5",
    ("mv s6/p6 /tmp/m6", "source /tmp/m6"): "s6/p6",
    ("cp s7/x.py /tmp/x7.py", "python3 /tmp/x7.py"): "s7/x.py",
    ("ln -s $PWD/s8/p8 /tmp/l8", "bash -c 'bash /tmp/l8'"): "s8/p8",
    ("cp s9/p9 $RUNNER_TEMP/p9", 'bash "$RUNNER_TEMP/p9"'): "s9/p9",
    ("cp s10/p10 /tmp/a10", "cp /tmp/a10 /tmp/b10", "bash /tmp/b10"): "s10/p10",
    ("cp s12/p12 /tmp/y12", "echo building", "make -f /tmp/y12"): "s12/p12",
    ("rsync -a s13/ /tmp/s13/", "bash /tmp/s13/p13"): "s13/p13",
    ("dd if=s14/p14 of=/tmp/d14", "cat /tmp/d14 | bash"): "s14/p14",
}
# ---- a computed destination, run by a glob, a loop or the same spelling --------------------------
COMPUTED = {
    'cp c1/p1 "$(mktemp -p /tmp t1.XXXX)" && bash /tmp/t1.*': "c1/p1",
    'cp c2/p2 "$(mktemp)" && for f in /tmp/tmp.*; do bash "$f"; done': "c2/p2",
    'cp c3/p3 "/tmp/run-$GITHUB_RUN_ID" && bash /tmp/run-*': "c3/p3",
    'cp c4/p4 "$(mktemp)"; sh $(ls -t /tmp/tmp.* | head -1)': "c4/p4",
    'install -m755 c5/p5 "$HOME/bin/$TOOL" && "$TOOL"': "c5/p5",
    "cp c6/p6 /tmp/$(date +%s) && bash /tmp/[0-9]*": "c6/p6",
}
# ---- copies other programs make ---------------------------------------------------------------
PRODUCERS = {
    "git show HEAD:g1/p1 > /tmp/g1 && bash /tmp/g1": "g1/p1",
    "git cat-file -p HEAD:g2/p2 > /tmp/g2; sh /tmp/g2": "g2/p2",
    "git show main:g3/p3 | bash": "g3/p3",
    "git cat-file blob HEAD:g4/p4 | sh -s": "g4/p4",
    "tar -xf t1/tools.tar -C /tmp/t1 && bash /tmp/t1/run.sh": "t1/tools.tar",
    "unzip -o t2/tools.zip -d /tmp/t2 && bash /tmp/t2/run": "t2/tools.zip",
    "tar -cf - t3 | tar -xf - -C /tmp/o3 && bash /tmp/o3/t3/p3": "t3/p3",
    "unzip -p t4/x.zip run.sh > /tmp/r4 && bash /tmp/r4": "t4/x.zip",
    "tar xzf t5/b.tgz -C /tmp/t5; /tmp/t5/bin/tool": "t5/b.tgz",
    "bsdtar -xf t6/x.zip -C /tmp/t6 && sh /tmp/t6/go": "t6/x.zip",
    "tar -xOf t7/a.tar run.sh | bash": "t7/a.tar",
    "git archive HEAD t8 | tar -x -C /tmp && bash /tmp/t8/p8": "t8/p8",
    'python3 -c \'import shutil; shutil.copy("y1/q1", "/tmp/q1")\' && bash /tmp/q1': "y1/q1",
    'python3 -c \'import shutil; shutil.copytree("y2", "/tmp/y2")\' && bash /tmp/y2/q2': "y2/q2",
    "python -c \"import shutil;shutil.copyfile('y3/q3','/tmp/q3')\"; sh /tmp/q3": "y3/q3",
    "node -e \"require('fs').copyFileSync('y4/q4','/tmp/q4')\" && bash /tmp/q4": "y4/q4",
    'python3 -c \'import os; os.rename("y5/q5", "/tmp/q5")\' && bash /tmp/q5': "y5/q5",
    'python3 -c \'open("/tmp/q6","w").write(open("y6/q6").read())\' && bash /tmp/q6': "y6/q6",
}
PRODUCERS.update(
    {
        "git clone . /tmp/c1 && bash /tmp/c1/z1/x": "z1/x",
        "git clone --depth 1 file://$PWD /tmp/c2 && bash /tmp/c2/z2/x": "z2/x",
        "git worktree add /tmp/w3 HEAD && bash /tmp/w3/z3/x": "z3/x",
        "pax -rw z4 /tmp/d4 && bash /tmp/d4/z4/x": "z4/x",
        "find z5 -name x | cpio -pdm /tmp/d5 && bash /tmp/d5/z5/x": "z5/x",
        "zip -r /tmp/a6.zip z6 && unzip /tmp/a6.zip -d /tmp/u6 && bash /tmp/u6/z6/x": "z6/x",
        "tar -czf /tmp/a7.tgz z7 && tar -xzf /tmp/a7.tgz -C /tmp/o7 && bash /tmp/o7/z7/x": "z7/x",
        "mkdir /tmp/d8 && cp z8/* /tmp/d8 && bash /tmp/d8/x": "z8/x",
        "cat z9/x z9/y > /tmp/both9 && bash /tmp/both9": "z9/y",
        "base64 -d z10/x.b64 > /tmp/x10 && bash /tmp/x10": "z10/x.b64",
        "gunzip -c z11/x.gz > /tmp/x11 && bash /tmp/x11": "z11/x.gz",
        "xxd -r z12/x.hex > /tmp/x12 && sh /tmp/x12": "z12/x.hex",
        "jq -r .script z13/x.json > /tmp/x13 && bash /tmp/x13": "z13/x.json",
        "yq .run z14/x.yml > /tmp/x14; bash /tmp/x14": "z14/x.yml",
    }
)
# ---- what stays writable: copies only read, runs of something else -------------------------------
CONTROLS: dict[tuple[str, ...], str] = {
    ("cp n1/README.md /tmp/r", "wc -l /tmp/r"): "n1/README.md",
    ("tar -xf n2/data.tar -C /tmp/d2", "ls /tmp/d2"): "n2/data.tar",
    ("git show HEAD:n3/notes.txt > /tmp/n3", "grep x /tmp/n3"): "n3/notes.txt",
    ('python3 -c \'import shutil; shutil.copy("n4/a.txt", "/tmp/a")\'', "cat /tmp/a"): "n4/a.txt",
    ("cp n5/q5 /tmp/y5", "bash other5.sh"): "n5/q5",
    ('cp n6/data.csv "$(mktemp)"', "python3 -m json.tool n6/x.json"): "n6/data.csv",
    ("unzip -o n7/assets.zip -d public/", "npm run build"): "n7/assets.zip",
    ("cat n8/x n8/y > /tmp/both8", "wc -l /tmp/both8"): "n8/y",
    ("cp n9/* /tmp/d9", "ls /tmp/d9"): "n9/x",
    (
        "tar -czf /tmp/a10.tgz n10 && tar -xzf /tmp/a10.tgz -C /tmp/o10",
        "cat /tmp/o10/n10/x",
    ): "n10/x",
    ("git clone . /tmp/c11", "cat /tmp/c11/n11/x"): "n11/x",
}


def _jobs(cases: list[tuple[str, ...]]) -> str:
    """A GitHub Actions workflow with one job per case, its steps running the case's lines (a
    repository reads at most 32 configuration files: the cases share a few)."""
    jobs = "".join(
        f"  t{i}:\n    runs-on: ubuntu-latest\n    steps:\n"
        + "".join(f"      - run: {json.dumps(r)}\n" for r in steps)
        for i, steps in enumerate(cases)
    )
    return f"on: push\njobs:\n{jobs}"


def _files() -> dict[str, str]:
    files = {"README.md": "r\n"}
    files[".github/workflows/steps.yml"] = _jobs(list(STEPS))
    files[".github/workflows/producers.yml"] = _jobs([(line,) for line in PRODUCERS])
    files[".github/workflows/controls.yml"] = _jobs(list(CONTROLS))
    for i, line in enumerate(COMPUTED):  # (a computed name may stand for any computed copy)
        files[f".github/workflows/computed{i}.yml"] = workflow(line)
    return files


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = _files()
    return scratch_repo(tmp_path_factory.mktemp("rt44c") / "ws", files, tracked=tuple(files))


@pytest.mark.parametrize("path", sorted(set(STEPS.values())))
def test_a_copy_run_in_a_later_step_protects_its_source(
    policy: Policy, ws: Path, path: str
) -> None:
    _denied(policy, ws, path)


@pytest.mark.parametrize("path", sorted(set(COMPUTED.values())))
def test_a_copy_to_a_computed_name_then_run_protects_its_source(
    policy: Policy, ws: Path, path: str
) -> None:
    _denied(policy, ws, path)


@pytest.mark.parametrize("path", sorted(set(PRODUCERS.values())))
def test_a_copy_made_by_another_program_then_run_protects_its_source(
    policy: Policy, ws: Path, path: str
) -> None:
    _denied(policy, ws, path)


@pytest.mark.parametrize("path", sorted(set(CONTROLS.values())))
def test_a_copy_only_read_leaves_its_source_writable(policy: Policy, ws: Path, path: str) -> None:
    _allowed(policy, ws, path)


def test_working_directories_of_the_copying_and_the_running_step(
    policy: Policy, tmp_path: Path
) -> None:
    """`working-directory: tools` then `cp p /tmp/y`; a later step in another folder runs it."""
    steps = [
        {"run": "cp p /tmp/y", "working-directory": "tools"},
        {"run": "bash /tmp/y", "working-directory": "docs"},
    ]
    text = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n" + "".join(
        f"      - {json.dumps(s)}\n" for s in steps
    )
    files = {"README.md": "r\n", ".github/workflows/wd.yml": text, "docs/x.md": "d\n"}
    ws = scratch_repo(tmp_path / "ws", files, tracked=tuple(files))
    _denied(policy, ws, "tools/p")
    _allowed(policy, ws, "docs/p")


# ---- by effect: the copy runs the workspace file's text ------------------------------------------
def _effect_ws(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose `k/p` writes a marker when run, with `k/a.tar` holding it as
    `run.sh`; the marker's path."""
    mark = tmp_path / "ran"
    ws = tmp_path / "ws"
    files = {"README.md": "r\n", "k/p": f"echo ran > '{mark}'\n"}
    ws = scratch_repo(ws, files, tracked=tuple(files))
    subprocess.run(["cp", "k/p", "run.sh"], cwd=ws, check=True)
    subprocess.run(["tar", "-cf", "k/a.tar", "run.sh"], cwd=ws, check=True)
    (ws / "run.sh").unlink()
    return ws, mark


EFFECT = [
    ("cp k/p $T/y", "bash $T/y"),
    ("git show HEAD:k/p > $T/g", "sh $T/g"),
    ("tar -xf k/a.tar -C $T/t", "bash $T/t/run.sh"),
    ("tar -cf - k | tar -xf - -C $T/o", "bash $T/o/k/p"),
    ("python3 -c \"import shutil; shutil.copy('k/p', '$T/q')\"", "bash $T/q"),
    ('cp k/p "$(mktemp -p $T x.XXXX)"', "for f in $T/x.*; do bash $f; done"),
]


@pytest.mark.parametrize(
    "steps", EFFECT, ids=[s[0].split()[0] + str(i) for i, s in enumerate(EFFECT)]
)
def test_bash_runs_the_workspace_file_through_the_copy(
    tmp_path: Path, steps: tuple[str, ...]
) -> None:
    """Each step in its own bash on one runner, as a CI job's steps run: the marker is written."""
    ws, mark = _effect_ws(tmp_path)
    tmp = tmp_path / "t"
    for d in ("t", "o"):
        (tmp / d).mkdir(parents=True, exist_ok=True)
    for step in steps:
        subprocess.run(["bash", "-c", step], cwd=ws, env={**os.environ, "T": str(tmp)},
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False)  # fmt: skip
    assert mark.exists(), steps


# ---- work: copies shared by a file's steps stay bounded ---------------------------------------
WORK = {
    "computed": "".join(f'cp k{i}/p "$(mktemp)"; ' for i in range(8)) + "bash $x; " * 6000,
    "computed_many": "".join(f"cp k{i}/p /tmp/$R{i}; " for i in range(3000)),
    "archives": "".join(f"tar -xf k/a{i}.tar -C /tmp/t{i}; " for i in range(2000))
    + "bash /tmp/t1/x",
    "one_liners": 'python3 -c \'import shutil; shutil.copy("k/p", "/tmp/q")\'; ' * 800,
    "several_sources": "cat "
    + " ".join(f"k/p{i}" for i in range(8))
    + " > /tmp/q; "
    + "bash /tmp/q; " * 4000,
    "archives_made": "".join(
        f"tar -czf /tmp/a{i}.tgz k{i}; tar -xzf /tmp/a{i}.tgz -C /tmp/o; " for i in range(600)
    ),
}


@pytest.mark.parametrize("shape", sorted(WORK))
def test_copy_reading_is_bounded(policy: Policy, tmp_path: Path, shape: str) -> None:
    steps = [WORK[shape][: 64 << 10], "bash /tmp/q"]
    ws = scratch_repo(
        tmp_path / "ws",
        {"README.md": "r\n", ".github/workflows/ci.yml": workflow(*steps)},
        tracked=("README.md", ".github"),
    )
    _, spent = cpu_seconds(lambda: exec_verdict(policy, ws, "echo x >> src/a.txt"))
    assert spent < 1.5, (shape, spent)


# ---- compose's own variables name its files ------------------------------------------------------
COMPOSE_LINES = {
    "env": ("docker compose up -d",),
    "inline": ("COMPOSE_FILE=m2/c.yml docker compose run app",),
    "export": ("export COMPOSE_FILE=m3/a.yml:m3/c.yml", "docker compose up"),
    "envfiles": ("COMPOSE_ENV_FILES=m4/vars docker compose -f m4/c.yml up",),
}


@pytest.fixture(scope="module")
def compose_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    svc = "services:\n  app:\n    image: x\n    command: bash {}\n"
    env_job = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        "    env:\n      COMPOSE_FILE: m1/c.yml\n    steps:\n      - run: docker compose up -d\n"
    )
    files = {
        "README.md": "r\n",
        ".github/workflows/env.yml": env_job,
        ".github/workflows/lines.yml": _jobs(
            [COMPOSE_LINES[k] for k in ("inline", "export", "envfiles")]
        ),
        "m1/c.yml": svc.format("m1/run"),
        "m2/c.yml": svc.format("m2/run"),
        "m3/a.yml": "services:\n  db:\n    image: y\n",
        "m3/c.yml": svc.format("m3/run"),
        "m4/c.yml": svc.format("${S}"),
        "m4/vars": "S=m4/run\n",
        "m5/c.yml": svc.format("m5/run"),
    }
    return scratch_repo(tmp_path_factory.mktemp("rt44-compose") / "ws", files, tracked=tuple(files))


@pytest.mark.parametrize(
    "path",
    [
        "m1/c.yml",
        "m1/run",
        "m2/c.yml",
        "m2/run",
        "m3/c.yml",
        "m3/a.yml",
        "m3/run",
        "m4/vars",
        "m4/run",
    ],
)
def test_files_compose_variables_name_are_read_as_compose_files(
    policy: Policy, compose_ws: Path, path: str
) -> None:
    _denied(policy, compose_ws, path)


def test_a_compose_file_no_variable_names_stays_writable(policy: Policy, compose_ws: Path) -> None:
    _allowed(policy, compose_ws, "m5/run")


# ---- `$GITHUB_ENV` values a later step's working directory resolves ------------------------------
def test_a_github_env_file_is_found_from_a_later_steps_working_directory(
    policy: Policy, tmp_path: Path
) -> None:
    """`BASH_ENV=env.sh` written to `$GITHUB_ENV` at the top; bash in a later step that runs in
    `sub/` sources `sub/env.sh`."""
    steps = [
        {"run": 'echo "BASH_ENV=env.sh" >> "$GITHUB_ENV"'},
        {"run": "bash -c true", "working-directory": "sub"},
        {"run": 'echo "NODE_OPTIONS=--require ./pre.js" >> $GITHUB_ENV'},
        {"run": "node -e 1", "working-directory": "web/app"},
    ]
    text = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n" + "".join(
        f"      - {json.dumps(s)}\n" for s in steps
    )
    files = {"README.md": "r\n", ".github/workflows/env.yml": text, "sub/x.md": "d\n"}
    ws = scratch_repo(tmp_path / "ws", files, tracked=tuple(files))
    for path in ("env.sh", "sub/env.sh", "pre.js", "web/app/pre.js"):
        _denied(policy, ws, path)
    _allowed(policy, ws, "sub/other.sh")


# ---- a variable the CI file gives a value, run by name ----------------------------------------------
_JOB = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
VARIABLES = {
    "v1/run": _JOB + "    env:\n      S: v1/run\n    steps:\n      - run: bash $S\n",
    "v2/run": _JOB + '    env:\n      S: v2/run\n    steps:\n      - run: bash "${S}"\n',
    "v3/run": _JOB
    + "    steps:\n      - run: bash ${{ env.S }}\n        env:\n          S: v3/run\n",
    "v4/run": "on: push\nenv:\n  S: v4/run\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - run: ./$S\n",
    "v5/run": _JOB
    + "    steps:\n      - run: echo S=v5/run >> $GITHUB_ENV\n      - run: bash $S\n",
    "v6/run": _JOB + '    steps:\n      - run: echo "S=v6/run" >> "$GITHUB_ENV"\n'
    "      - run: sh ${{ env.S }}\n",
    "v7/run": _JOB + '    steps:\n      - id: p\n        run: echo "s=v7/run" >> $GITHUB_OUTPUT\n'
    "      - run: bash ${{ steps.p.outputs.s }}\n",
    "v8/b": _JOB + "    strategy:\n      matrix:\n        s: [v8/a, v8/b]\n"
    "    steps:\n      - run: bash ${{ matrix.s }}\n",
    "v9/run": _JOB + "    strategy:\n      matrix:\n        include:\n          - tool: v9/run\n"
    "    steps:\n      - run: bash ${{ matrix.tool }} --ci\n",
    "v10/Makefile": _JOB
    + "    env:\n      MK: v10/Makefile\n    steps:\n      - run: make -f $MK\n",
    "v11/x.py": _JOB + "    env:\n      S: v11/x.py\n    steps:\n      - run: python3 $S\n",
    "v12/run": _JOB + "    steps:\n      - run: S=v12/run; bash $S\n",
    "v13/run": _JOB
    + '    steps:\n      - run: |\n          export S=v13/run\n          bash "$S"\n',
    "v14/run": _JOB
    + "    steps:\n      - run: for s in v14/run; do cp $s /tmp/y; done; bash /tmp/y\n",
    "v15/run": _JOB + "    steps:\n      - run: S=v15/run\n      - run: bash $S\n",
    "v16/run": _JOB + "    env:\n      D: v16\n      N: run\n    steps:\n      - run: bash $D/$N\n",
}
VARIABLES.update(
    {
        "v17/run": _JOB + '    steps:\n      - run: "bash ${S17:-v17/run}"\n',
        "v18/x.sh": _JOB + '    steps:\n      - run: "bash \\"${T18:-v18/x.sh}\\""\n',
        "v19/run": _JOB + '    steps:\n      - run: ": ${S19:=v19/run}; bash $S19"\n',
        "v20/run": _JOB + '    steps:\n      - run: "bash ${S20-v20/run}"\n',
        "v21/run": _JOB + "    steps:\n      - run: printf -v S21 '%s' v21/run; bash $S21\n",
        "v22/run": _JOB + "    steps:\n      - run: bash `echo v22/run`\n",
        "v23/run": _JOB + "    steps:\n      - run: bash $(printf %s v23/run)\n",
        "v24/run": _JOB + '    steps:\n      - run: bash "$(realpath v24/run)"\n',
        "v25/run": "on:\n  workflow_call:\n    inputs:\n      s:\n        type: string\n"
        "        default: v25/run\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        "      - run: bash ${{ inputs.s }}\n",
    }
)
GITLAB = {
    "g1/run": "variables:\n  S: g1/run\nt:\n  script:\n    - bash $S\n",
    "g4/run": "t:\n  variables:\n    G4:\n      value: g4/run\n      description: d\n  script: bash $G4\n",
    "g2/run": "t:\n  variables:\n    TOOL: g2/run\n  script:\n    - sh ${TOOL}\n",
    "g3/run": "t:\n  parallel:\n    matrix:\n      - S: [g3/x, g3/run]\n  script:\n    - bash $S\n",
}
VARIABLE_CONTROLS = {
    "w1/run": _JOB + "    env:\n      S: w1/run\n    steps:\n      - run: echo $S\n",
    "w2/run": _JOB + "    env:\n      S: w2/run\n    steps:\n      - run: wc -l ${{ env.S }}\n",
}


@pytest.fixture(scope="module")
def variables_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"README.md": "r\n"}
    for i, text in enumerate([*VARIABLES.values(), *VARIABLE_CONTROLS.values()]):
        files[f".github/workflows/v{i}.yml"] = text
    files[".gitlab-ci.yml"] = "include:\n" + "".join(
        f"  - local: ci/g{i}.yml\n" for i in range(len(GITLAB))
    )
    for i, text in enumerate(GITLAB.values()):
        files[f"ci/g{i}.yml"] = text
    root = tmp_path_factory.mktemp("rt44-vars") / "ws"
    return scratch_repo(root, files, tracked=tuple(files))


@pytest.mark.parametrize("path", sorted([*VARIABLES, *GITLAB]))
def test_a_script_named_by_a_ci_variable_is_protected(
    policy: Policy, variables_ws: Path, path: str
) -> None:
    _denied(policy, variables_ws, path)


@pytest.mark.parametrize("path", sorted(VARIABLE_CONTROLS))
def test_a_ci_variable_only_read_leaves_its_file_writable(
    policy: Policy, variables_ws: Path, path: str
) -> None:
    _allowed(policy, variables_ws, path)


def test_variable_readings_are_bounded(policy: Policy, tmp_path: Path) -> None:
    """16 names of 16 values each, used 2,000 times in a 64 KB line: at most 16 readings."""
    env = "".join(f"      V{n}: [{', '.join(f'k{n}/{v}' for v in range(16))}]\n" for n in range(16))
    line = " ".join(f"bash ${{{{ matrix.V{i % 16} }}}};" for i in range(2000))[: 64 << 10]
    text = (
        _JOB
        + "    strategy:\n      matrix:\n"
        + env
        + "    steps:\n      - run: "
        + json.dumps(line)
        + "\n"
    )
    ws = scratch_repo(
        tmp_path / "ws",
        {"README.md": "r\n", ".github/workflows/m.yml": text},
        tracked=("README.md", ".github"),
    )
    _, spent = cpu_seconds(lambda: exec_verdict(policy, ws, "echo x >> src/a.txt"))
    assert spent < 1.5, spent


# ---- what a shell script CI runs runs; values CI gives the task files it runs ----------------------
def _wf(*lines: str, env: str = "") -> str:
    steps = "".join(f"      - run: {json.dumps(line)}\n" for line in lines)
    return f"on: push\njobs:\n  t:\n    runs-on: x\n{env}    steps:\n{steps}"


NESTED = {
    "n1/c": (_wf("bash n1/a.sh"), {"n1/a.sh": "bash n1/b.sh\n", "n1/b.sh": "#!/bin/sh\nsh n1/c\n"}),
    "n2/lib.sh": (_wf("./n2/a"), {"n2/a": '#!/usr/bin/env bash\n. "$(dirname "$0")/lib.sh"\n'}),
    "n3/tools/x": (_wf("bash n3/a.sh"), {"n3/a.sh": "cd n3/tools\n./x\n"}),
    "n4/x": (_wf("bash n4/a.sh"), {"n4/a.sh": 'cd "$(dirname "$0")"\nbash ./x\n'}),
    "n5/x": (_wf("cd n5 && bash run.sh"), {"n5/run.sh": "bash x\n"}),
    "n6/x.py": (_wf("bash n6/a.sh"), {"n6/a.sh": "python3 n6/x.py\n"}),
    "n7/t": (_wf("bash n7/a.sh"), {"n7/a.sh": 'exec n7/t "$@"\n'}),
    "n8/x": (_wf("./n8/a"), {"n8/a": "#!/bin/bash\nsource n8/x\n"}),
    "n9/x": (_wf("cd n9\nbash ./x"), {}),
    "n10/x": (
        _wf("bash n10/a.sh", env="    env:\n      N10: n10/x\n"),
        {"n10/a.sh": "bash $N10\n"},
    ),
    "n11/x": (
        _wf("make -C n11 check", env="    env:\n      N11: x\n"),
        {"n11/Makefile": "check:\n\tbash $(N11)\n"},
    ),
    "n12/x": (
        _wf("npm test --prefix n12", env="    env:\n      N12: x\n"),
        {"n12/package.json": '{"scripts": {"test": "bash $N12"}}'},
    ),
}
NESTED_CONTROLS = {
    "k1/data.txt": (_wf("bash k1/a.sh"), {"k1/a.sh": "cat k1/data.txt\necho done\n"}),
    "k2/x": (_wf("python3 k2/a.py"), {"k2/a.py": "import os\nos.system('bash k2/x')\n"}),
    "k3/notes.md": (_wf("bash k3/a.sh"), {"k3/a.sh": "wc -l k3/notes.md\n"}),
}


@pytest.fixture(scope="module")
def nested_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"README.md": "r\n"}
    for i, (text, extra) in enumerate([*NESTED.values(), *NESTED_CONTROLS.values()]):
        files[f".github/workflows/n{i}.yml"] = text
        files.update(extra)
    root = tmp_path_factory.mktemp("rt44-nested") / "ws"
    return scratch_repo(root, files, tracked=tuple(files))


@pytest.mark.parametrize("path", sorted(NESTED))
def test_what_a_script_ci_runs_runs_is_protected(
    policy: Policy, nested_ws: Path, path: str
) -> None:
    _denied(policy, nested_ws, path)


@pytest.mark.parametrize("path", sorted(NESTED_CONTROLS))
def test_what_a_script_ci_runs_only_reads_stays_writable(
    policy: Policy, nested_ws: Path, path: str
) -> None:
    _allowed(policy, nested_ws, path)


# ---- other CI systems' variables -------------------------------------------------------------------
SYSTEMS = {
    "azure-pipelines.yml": (
        "variables:\n- name: A2\n  value: s2/run\n- name: A1\n  value: s1/run\nsteps:\n"
        "  - script: bash $(A1)\n  - bash: bash ${{ variables.A2 }}\n  - script: sh $[variables.A2]\n"
    ),
    ".circleci/config.yml": (
        "version: 2.1\njobs:\n  t:\n    parameters:\n      c1:\n        type: string\n"
        "        default: s3/run\n    docker:\n      - image: x\n    environment:\n      C2: s4/run\n"
        "    steps:\n      - run: bash << parameters.c1 >>\n      - run: bash $C2\n"
    ),
    ".travis.yml": "language: python\nenv:\n  global:\n    - T1=s5/run\nscript:\n  - bash $T1\n",
    ".drone.yml": (
        "kind: pipeline\nsteps:\n  - name: t\n    image: x\n    environment:\n      D1: s6/run\n"
        "    commands:\n      - bash ${D1}\n"
    ),
    ".buildkite/pipeline.yml": "env:\n  B1: s7/run\nsteps:\n  - command: bash $B1\n",
}


@pytest.fixture(scope="module")
def systems_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"README.md": "r\n", **SYSTEMS}
    root = tmp_path_factory.mktemp("rt44-systems") / "ws"
    return scratch_repo(root, files, tracked=tuple(files))


@pytest.mark.parametrize("path", [f"s{i}/run" for i in range(1, 8)])
def test_a_script_named_by_another_ci_systems_variable_is_protected(
    policy: Policy, systems_ws: Path, path: str
) -> None:
    _denied(policy, systems_ws, path)


# ---- release, review, deploy and monorepo tools CI runs: their files and what they run -------------
TOOLS = {
    "t1/site.yml": (
        "ansible-playbook -i t1/hosts t1/site.yml",
        {"t1/site.yml": "- hosts: localhost\n  tasks:\n    - shell: bash t1/x\n"},
    ),
    "t1/x": ("", {}),
    ".goreleaser.yaml": (
        "goreleaser release --clean",
        {".goreleaser.yaml": "before:\n  hooks:\n    - bash t2/x\n"},
    ),
    "t2/x": ("", {}),
    "dangerfile.ts": ("npx danger ci", {"dangerfile.ts": "//\n"}),
    "fastlane/Fastfile": (
        "bundle exec fastlane test",
        {"fastlane/Fastfile": "lane :test do\nend\n"},
    ),
    "Tiltfile": ("tilt ci", {"Tiltfile": "local('x')\n"}),
    "skaffold.yaml": (
        "skaffold build",
        {"skaffold.yaml": 'build:\n  hooks:\n    before:\n      - command: ["sh", "t3/x"]\n'},
    ),
    "t3/x": ("", {}),
    "t4/project.json": (
        "npx nx run t4:build",
        {
            "nx.json": "{}\n",
            "t4/project.json": '{"targets": {"build": {"options": {"command": "bash t4/x"}}}}',
        },
    ),
    "pixi.toml": (
        "pixi run test",
        {"pixi.toml": '[tasks]\ntest = "bash t5/x"\nlint = { cmd = "sh t5/y" }\n'},
    ),
    "t5/x": ("", {}),
    "t5/y": ("", {}),
}
TOOL_CONTROLS = {"t6/skaffold.yaml": "t6/skaffold.yaml", "t7/x": "t7/x"}


@pytest.fixture(scope="module")
def tools_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"README.md": "r\n", "t6/skaffold.yaml": "build: {}\n", "t7/x": "x\n"}
    lines = [line for line, _ in TOOLS.values() if line]
    for _, extra in TOOLS.values():
        files.update(extra)
    files[".github/workflows/tools.yml"] = _jobs([(line,) for line in lines])
    root = tmp_path_factory.mktemp("rt44-tools") / "ws"
    return scratch_repo(root, files, tracked=tuple(files))


@pytest.mark.parametrize(
    "path", sorted(set(TOOLS) - {"t4/project.json"}) + ["t4/project.json", "nx.json", "t4/x"]
)
def test_a_tools_file_ci_runs_and_what_it_runs_are_protected(
    policy: Policy, tools_ws: Path, path: str
) -> None:
    _denied(policy, tools_ws, path)


@pytest.mark.parametrize("path", sorted(TOOL_CONTROLS))
def test_a_tools_file_nothing_runs_stays_writable(
    policy: Policy, tools_ws: Path, path: str
) -> None:
    _allowed(policy, tools_ws, path)


# ---- what actions run from a step's inputs; called workflows; GitLab's other command keys ----------
_STEPS = "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n"
ACTION_INPUTS = {
    "a1/x": (
        _STEPS
        + "      - uses: docker://alpine:3\n        with:\n          entrypoint: sh\n          args: a1/x\n",
        {},
    ),
    "a2/x.js": (
        _STEPS
        + "      - uses: actions/github-script@v7\n        with:\n          script: require('./a2/x.js')(github)\n",
        {},
    ),
    "a3/x": (
        _STEPS
        + "      - uses: nick-fields/retry@v3\n        with:\n          timeout_minutes: 5\n          command: bash a3/x\n",
        {},
    ),
    "a4/x": (
        _STEPS + "      - uses: ./.github/actions/a4\n        with:\n          a4script: a4/x\n",
        {
            ".github/actions/a4/action.yml": "inputs:\n  a4script:\n    default: ''\nruns:\n  using: composite\n"
            "  steps:\n    - run: bash ${{ inputs.a4script }}\n      shell: bash\n"
        },
    ),
    "a5/x": (
        "on: push\njobs:\n  t:\n    uses: ./.github/workflows/called5.yml\n    with:\n      s5: a5/x\n",
        {
            ".github/workflows/called5.yml": "on:\n  workflow_call:\n    inputs:\n      s5:\n        type: string\n"
            "jobs:\n  t:\n    runs-on: x\n    steps:\n      - run: bash ${{ inputs.s5 }}\n"
        },
    ),
}
GITLAB_KEYS = {
    "b1/x": "t1:\n  hooks:\n    pre_get_sources_script:\n      - bash b1/x\n  script: echo\n",
    "b2/x": 't2:\n  image: x\n  services:\n    - name: y\n      command: ["sh", "b2/x"]\n  script: echo\n',
}
ACTION_CONTROLS = {
    "c9/lcov.info": _STEPS
    + "      - uses: actions/upload-artifact@v4\n        with:\n          path: ./c9/lcov.info\n"
}


@pytest.fixture(scope="module")
def actions_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"README.md": "r\n", ".gitlab-ci.yml": "".join(GITLAB_KEYS.values())}
    for i, (text, extra) in enumerate(ACTION_INPUTS.values()):
        files[f".github/workflows/caller{i}.yml"] = text
        files.update(extra)
    files[".github/workflows/control.yml"] = ACTION_CONTROLS["c9/lcov.info"]
    root = tmp_path_factory.mktemp("rt44-actions") / "ws"
    return scratch_repo(root, files, tracked=tuple(files))


@pytest.mark.parametrize("path", sorted([*ACTION_INPUTS, *GITLAB_KEYS]))
def test_what_an_action_or_gitlab_key_runs_is_protected(
    policy: Policy, actions_ws: Path, path: str
) -> None:
    _denied(policy, actions_ws, path)


def test_an_action_input_that_names_a_file_it_uploads_stays_writable(
    policy: Policy, actions_ws: Path
) -> None:
    _allowed(policy, actions_ws, "c9/lcov.info")


# ---- a Dockerfile's COPY/ADD run by a later RUN, ENTRYPOINT or CMD -------------------------------
DOCKERFILES = {
    "d1/x": "FROM a\nCOPY d1/x /usr/local/bin/x1\nRUN x1\n",
    "d2/x": "FROM a\nCOPY d2/x /x2\nRUN /x2 --build\n",
    "d3/x": "FROM a\nADD d3/x /tmp/x3\nRUN sh /tmp/x3\n",
    "d4/x.sh": "FROM a\nCOPY . /app\nRUN /app/d4/x.sh\n",
    "d5/x": "FROM a\nCOPY d5 /opt/d5\nRUN bash /opt/d5/x\n",
    "d6/x": 'FROM a\nCOPY d6/x /x6\nENTRYPOINT ["/x6"]\n',
    "d7/x": "FROM a\nCOPY d7/x /x7\nCMD /x7\n",
    "d8/x": "FROM a\nCOPY --chmod=755 d8/x /x8\nRUN /x8\n",
    "d9/x": "FROM a\nRUN --mount=type=bind,source=d9/x,target=/x9 sh /x9\n",
    "d10/x": 'FROM a\nCOPY ["d10/x", "/x10"]\nRUN /x10\n',
    "d11/x": "FROM a\nWORKDIR /w\nCOPY d11/x ./t11\nRUN ./t11\n",
    "d12/x": "FROM a\nCOPY d12/x d12/y /bin/\nRUN x\n",
}
DOCKER_CONTROLS = {
    "e1/data": "FROM a\nCOPY e1/data /data\nRUN wc -l /data\n",
    "e2/x": "FROM a\nCOPY --from=build /out/x /x\nCOPY e2/x /opt/e2x\nRUN /x\n",
}


@pytest.fixture(scope="module")
def docker_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"README.md": "r\n"}
    lines = []
    for i, text in enumerate([*DOCKERFILES.values(), *DOCKER_CONTROLS.values()]):
        files[f"images/{i}/Dockerfile"] = text
        lines.append(f"docker build -f images/{i}/Dockerfile -t x{i} . && docker run x{i}")
    files[".github/workflows/images.yml"] = _jobs([(line,) for line in lines])
    root = tmp_path_factory.mktemp("rt44-docker") / "ws"
    return scratch_repo(root, files, tracked=tuple(files))


@pytest.mark.parametrize("path", sorted(DOCKERFILES))
def test_a_file_a_dockerfile_copies_and_runs_is_protected(
    policy: Policy, docker_ws: Path, path: str
) -> None:
    _denied(policy, docker_ws, path)


@pytest.mark.parametrize("path", sorted(DOCKER_CONTROLS))
def test_a_file_a_dockerfile_copies_and_only_reads_stays_writable(
    policy: Policy, docker_ws: Path, path: str
) -> None:
    _allowed(policy, docker_ws, path)


# ---- a dev container's scripts, Dockerfile and compose services -----------------------------------
DEVCONTAINERS = {
    "f1/lib.sh": (
        {"image": "x", "postCreateCommand": "./f1/setup.sh"},
        {"f1/setup.sh": "#!/bin/bash\nsource f1/lib.sh\n"},
    ),
    "f2/x": (
        {"build": {"dockerfile": "Dockerfile", "context": ".."}},
        {"DOCKERFILE": "FROM a\nCOPY f2/x /x\nRUN /x\n"},
    ),
    "f3/x": (
        {
            "image": "x",
            "postCreateCommand": "bash ${containerEnv:F3}",
            "containerEnv": {"F3": "f3/x"},
        },
        {},
    ),
    "f4/x": (
        {"dockerComposeFile": "compose.yml", "service": "app"},
        {"COMPOSE": "services:\n  app:\n    image: x\n    command: bash f4/x\n"},
    ),
}


@pytest.mark.parametrize("path", sorted(DEVCONTAINERS))
def test_what_a_dev_container_runs_is_protected(policy: Policy, tmp_path: Path, path: str) -> None:
    config, extra = DEVCONTAINERS[path]
    files = {"README.md": "r\n", ".devcontainer/devcontainer.json": json.dumps(config)}
    for name, text in extra.items():
        where = {"DOCKERFILE": ".devcontainer/Dockerfile", "COMPOSE": ".devcontainer/compose.yml"}
        files[where.get(name, name)] = text
    ws = scratch_repo(tmp_path / "ws", files, tracked=tuple(files))
    _denied(policy, ws, path)


# ---- a Jenkinsfile's Groovy values and the Groovy it evaluates ------------------------------------
JENKINSFILES = {
    "j1/x": "node { def s = 'j1/x'\n sh \"bash ${s}\" }\n",
    "j2/x": "pipeline { agent any\n environment { J2 = 'j2/x' }\n stages { stage('b') { steps { sh 'bash $J2' } } } }\n",
    "j3/x": "node { withEnv(['J3=j3/x']) { sh 'bash $J3' } }\n",
    "j4/x.groovy": "node { evaluate(readFile('j4/x.groovy')) }\n",
}


@pytest.mark.parametrize("path", sorted(JENKINSFILES))
def test_what_a_jenkinsfile_runs_through_groovy_values_is_protected(
    policy: Policy, tmp_path: Path, path: str
) -> None:
    files = {"README.md": "r\n", "Jenkinsfile": JENKINSFILES[path]}
    ws = scratch_repo(tmp_path / "ws", files, tracked=tuple(files))
    _denied(policy, ws, path)


# ---- variables that name a configuration folder, a plugin or a preload without its suffix -----------
ENV_LOADS = {
    "h1/cargo/config.toml": ({"CARGO_HOME": "h1/cargo"}, "cargo build"),
    "h2/cfg/git/config": ({"XDG_CONFIG_HOME": "h2/cfg"}, "git status"),
    "h3/git/git-remote-https": ({"GIT_EXEC_PATH": "h3/git"}, "git fetch"),
    "h4/plug.py": ({"PYTEST_ADDOPTS": "-p h4.plug"}, "pytest"),
    "h5/x.rb": ({"RUBYOPT": "-r./h5/x"}, "ruby a.rb"),
    "h6/x.js": ({"NODE_OPTIONS": "--require ./h6/x"}, "node a.js"),
}


@pytest.mark.parametrize("path", sorted(ENV_LOADS))
def test_what_a_ci_variable_makes_a_program_load_is_protected(
    policy: Policy, tmp_path: Path, path: str
) -> None:
    env, line = ENV_LOADS[path]
    text = _wf(
        line, env="    env:\n" + "".join(f"      {k}: {json.dumps(v)}\n" for k, v in env.items())
    )
    files = {"README.md": "r\n", ".github/workflows/env.yml": text}
    ws = scratch_repo(tmp_path / "ws", files, tracked=tuple(files))
    _denied(policy, ws, path)


# ---- what agents run and read: more MCP configurations, slash commands, imported instructions -------
_MCP = {"mcpServers": {"x": {"command": "bash", "args": ["PATH"]}}}
AGENT_FILES = {
    "m1/x": (".codex/config.toml", '[mcp_servers.x]\ncommand = "bash"\nargs = ["m1/x"]\n', {}),
    "m2/x": (
        ".continue/config.json",
        json.dumps(
            {
                "experimental": {
                    "modelContextProtocolServers": [
                        {"transport": {"type": "stdio", "command": "bash", "args": ["m2/x"]}}
                    ]
                }
            }
        ),
        {},
    ),
    "m3/x": (
        ".continue/mcpServers/x.yaml",
        "mcpServers:\n  - name: x\n    command: bash\n    args:\n      - m3/x\n",
        {},
    ),
    "m4/x": (
        ".zed/settings.json",
        json.dumps({"context_servers": {"x": {"command": {"path": "bash", "args": ["m4/x"]}}}}),
        {},
    ),
    "m5/x": (".claude/commands/deploy.md", "Deploy.\n\n!`bash m5/x`\n", {}),
    "m6/rules.md": (
        "CLAUDE.md",
        "# Project\nSee @m6/rules.md for the rules.\n",
        {"m6/rules.md": "x\n"},
    ),
    "m7/more.md": (
        "CLAUDE.md",
        "@m7/rules.md\n",
        {"m7/rules.md": "and @more.md\n", "m7/more.md": "x\n"},
    ),
    "m8/style.md": ("GEMINI.md", "Follow @./m8/style.md\n", {"m8/style.md": "x\n"}),
}
AGENT_CONTROLS = {
    "n1/notes.md": (
        "CLAUDE.md",
        "Mail me@example.com, ping @alice, see n1/notes.md.\n",
        {"n1/notes.md": "x\n"},
    ),
}


@pytest.mark.parametrize("path", sorted([*AGENT_FILES, *AGENT_CONTROLS]))
def test_what_agents_run_and_import_is_protected(policy: Policy, tmp_path: Path, path: str) -> None:
    name, text, extra = {**AGENT_FILES, **AGENT_CONTROLS}[path]
    files = {"README.md": "r\n", name: text, **extra}
    ws = scratch_repo(tmp_path / "ws", files, tracked=tuple(files))
    if path in AGENT_CONTROLS:
        _allowed(policy, ws, path)
    else:
        _denied(policy, ws, path)


# ---- properties of the readers: bounded, and a known value always read ---------------------------

_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
_VALUE = st.from_regex(r"[a-z0-9][a-z0-9/._-]{0,20}", fullmatch=True)
_USES = ["${}", "${{{}}}", "${{{{ env.{} }}}}", "${{{{ matrix.{} }}}}", "$({})", "${{{}:-d}}"]


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(_NAME, st.lists(_VALUE, min_size=1, max_size=40), min_size=1, max_size=6),
    st.text(max_size=200),
    st.data(),
)
def test_every_known_value_of_a_used_name_is_read_within_the_bound(
    values: dict[str, list[str]], noise: str, data: st.DataObject
) -> None:
    known: dict[str, list[str]] = {}
    for name, items in values.items():
        ci_values.collect(known, name, items)
    name = data.draw(st.sampled_from(sorted(known)))
    use = data.draw(st.sampled_from(_USES)).format(name)
    command = f"bash {use} {noise}"
    readings = ci_values.readings(command, known)
    assert len(readings) <= ci_values.VARIANTS
    assert all(len(r) <= (64 << 10) + 64 * 512 for r in readings)
    # the name's first values are each read (a name used alone reads all it may hold, to the bound)
    if (
        len({m for m in known} & set(noise.split("$"))) == 0
        and "$" not in noise
        and "{{" not in noise
    ):
        for value in known[name][: ci_values.VARIANTS]:
            assert any(f"bash {value}" in r for r in readings), (value, command)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="ab/.-_ $*x:=cfpr", max_size=12), max_size=80))
def test_program_copy_readers_take_any_words(words: list[str]) -> None:
    for head in ("tar", "unzip", "git", "zip", "pax", "cpio", "python3", "node", "base64", "jq"):
        pairs = program_copies([head, *words], ["find", "d"])
        assert len(pairs) <= 64
        assert len(printed_files([head, *words])) <= 64
