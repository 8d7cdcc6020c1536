"""Twenty-second red-team pass, class 11: files tools run or obey, found writable.

A held-out list of what CI systems, build launchers, start-up files read from HOME (the
sandbox's weak fallback runs with HOME set to the workspace) and agents' user-level
configuration read: 134 candidates, each written at the top and under ``sub/`` by the file
tools' ``write`` and by seven shell forms. 82 held before this pass; 26 were written (allowed)
and are now protected paths, in any case and at any depth. A second list of 91 start-up files
read from HOME: 7 held, 45 are protected now. Everyday edits beside them stay allowed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy
from tests.policy.verdicts import exec_verdict

# (path, what runs or obeys it)
FOUND: list[tuple[str, str]] = [
    ("cloudbuild.json", "Cloud Build's default configuration, JSON form"),
    (".woodpecker.yaml", "Woodpecker CI, the .yaml spelling"),
    (".build.yml", "SourceHut builds, single manifest"),
    (".build.yaml", "SourceHut builds, .yaml spelling"),
    (".builds/test.yml", "SourceHut builds, one job per manifest"),
    ("screwdriver.yaml", "Screwdriver CD pipeline"),
    ("buddy.yml", "Buddy.Works pipeline as code"),
    (".buddy/pipeline.yml", "Buddy.Works pipelines directory"),
    (".bazelversion", "Bazelisk: `fork/version` downloads and runs the fork's release"),
    ("gradle/wrapper/gradle-wrapper.jar", "./gradlew runs this jar in CI"),
    (".ipython/profile_default/startup/00-x.py", "IPython runs startup scripts"),
    (".ipython/profile_default/ipython_config.py", "IPython's configuration is Python"),
    (".jupyter/jupyter_server_config.py", "Jupyter's configuration is Python"),
    (".config/fish/config.fish", "fish start-up"),
    (".config/fish/conf.d/x.fish", "fish start-up snippets"),
    (".tmux.conf", "tmux run-shell on start"),
    (".config/tmux/tmux.conf", "tmux XDG configuration"),
    (".emacs", "Emacs init"),
    (".emacs.d/init.el", "Emacs init directory"),
    (".config/emacs/init.el", "Emacs XDG init"),
    (".config/zed/settings.json", "Zed user settings: context servers run commands"),
    (".config/zed/tasks.json", "Zed user tasks"),
    (".config/gh/config.yml", "gh `!` shell aliases"),
    (".docker/cli-plugins/docker-compose", "`docker compose` runs this plugin"),
    (".codeium/windsurf/mcp_config.json", "Windsurf's MCP servers (commands)"),
    (".codeium/windsurf/memories/global_rules.md", "Windsurf's global rules"),
    (".copilot/mcp-config.json", "Copilot CLI's MCP servers (commands)"),
    (".copilot/config.json", "Copilot CLI's trusted folders and settings"),
    (".amp/settings.json", "Amp workspace settings (MCP servers, allowed commands)"),
    (".config/amp/settings.json", "Amp user settings"),
]

# The second list: start-up code build tools, shells and interpreters read from HOME (the
# weak fallback's workspace), 91 candidates, 7 held before.
FOUND_HOME: list[tuple[str, str]] = [
    (".gradle/init.d/evil.gradle", "Gradle runs init scripts on every build"),
    (".gradle/init.gradle", "Gradle's single init script"),
    (".gradle/init.gradle.kts", "Gradle's Kotlin init script"),
    (".sbt/1.0/plugins/evil.sbt", "sbt global plugins"),
    (".sbt/1.0/global.sbt", "sbt global settings"),
    (".lein/profiles.clj", "Leiningen user profile"),
    (".clojure/deps.edn", "Clojure CLI user deps"),
    (".config/clojure/deps.edn", "Clojure CLI user deps (XDG)"),
    (".mongoshrc.js", "mongosh start-up"),
    (".mongorc.js", "legacy mongo shell start-up"),
    (".screenrc", "screen start-up"),
    (".gnuplot", "gnuplot start-up (system())"),
    (".cpan/CPAN/MyConfig.pm", "cpan loads this Perl"),
    (".cargo/env", "sourced by shell start-up"),
    (".config/nushell/config.nu", "nushell start-up"),
    (".config/xonsh/rc.xsh", "xonsh start-up"),
    (".xonshrc", "xonsh start-up"),
    (".config/powershell/Microsoft.PowerShell_profile.ps1", "PowerShell profile"),
    (".tcshrc", "tcsh start-up"),
    (".cshrc", "csh start-up"),
    (".login", "csh login"),
    (".kshrc", "ksh start-up"),
    (".mkshrc", "mksh start-up"),
    (".config/elvish/rc.elv", "elvish start-up"),
    (".bashrc.d/evil.sh", "sourced by .bashrc"),
    (".oh-my-zsh/custom/evil.zsh", "sourced by oh-my-zsh"),
    (".zshrc.local", "sourced by .zshrc"),
    (".p10k.zsh", "sourced by .zshrc"),
    (".config/starship.toml", "starship custom commands on every prompt"),
    (".ghc/ghci.conf", "GHCi start-up"),
    (".config/irb/irbrc", "IRB start-up (XDG)"),
    (".local/share/jupyter/kernels/python3/kernel.json", "kernel argv runs on start"),
    (".direnvrc", "direnv's legacy rc"),
    (".config/husky/init.sh", "husky sources it before every hook"),
    (".terraform.d/plugins/example.com/x/y/1.0.0/linux_amd64/terraform-provider-y", "mirror"),
    (".config/nix/nix.conf", "Nix user configuration"),
    (".config/nixpkgs/overlays/evil.nix", "nixpkgs overlay"),
    (".nixpkgs/config.nix", "nixpkgs legacy user config"),
    (".pydistutils.cfg", "distutils' package index"),
    (".mambarc", "mamba channels"),
    (".config/pixi/config.toml", "pixi channels and mirrors"),
    (".ycm_extra_conf.py", "YouCompleteMe runs this Python"),
]
FOUND = FOUND + FOUND_HOME
PATHS = [p for p, _ in FOUND]
NESTED = [f"sub/{p}" for p in PATHS] + [f"packages/app/{p}" for p in PATHS[:10]]
CASED = [
    "CloudBuild.JSON",
    ".Woodpecker.YAML",
    ".BUILD.yml",
    ".Builds/x.yml",
    "Screwdriver.yaml",
    "BUDDY.yml",
    ".BazelVersion",
    "Gradle/Wrapper/gradle-wrapper.jar",
    ".IPython/profile_default/startup/a.py",
    ".Jupyter/jupyter_notebook_config.py",
    ".Config/Fish/config.fish",
    ".TMUX.conf",
    ".Emacs.d/init.el",
    ".Codeium/windsurf/mcp_config.json",
    ".COPILOT/mcp-config.json",
    ".Amp/settings.json",
    "sub/.Config/GH/config.yml",
    "sub/.Docker/CLI-Plugins/docker-x",
    "sub/.Config/Zed/settings.json",
    "sub/.Config/Emacs/init.el",
    ".Gradle/Init.D/x.gradle",
    ".SBT/1.0/plugins/x.sbt",
    ".Lein/profiles.clj",
    ".MongoshRC.js",
    ".Cargo/ENV",
    ".Config/NuShell/config.nu",
    ".TCSHRC",
    ".Local/Share/Jupyter/kernels/k/kernel.json",
    ".Config/Husky/init.sh",
    ".YCM_extra_conf.py",
]

SHELL_FORMS = [
    "echo x > {p}",
    "echo x >> {p}",
    "cp notes.md {p}",
    "mv notes.md {p}",
    "tee {p} < notes.md",
    "sed -i s/a/b/ {p}",
    "git mv notes.md {p}",
    "git checkout other -- {p}",
    "ln -sf notes.md {p}",
    "rm -f {p}",
    "truncate -s 0 {p}",
    "printf 'x' | dd of={p}",
]

# Everyday edits beside the new names (and near-miss names): still allowed.
BENIGN_WRITES = [
    "src/app.py",
    "tests/test_app.py",
    "README.md",
    "docs/guide.md",
    "docs/build.yml.md",
    "build.yml",
    "src/cloudbuild.py",
    "gradle/libs.versions.toml",
    "build.gradle.kts",
    "src/ipython_helpers.py",
    "notebooks/analysis.ipynb",
    "src/emacs_mode.py",
    "docs/tmux.md",
    "config/fish.json",
    "src/amp/settings.py",
    "docs/copilot.md",
    "scripts/gh_release.py",
    "docker/Dockerfile",
    "src/buddy.py",
    "bazel/BUILD.bazel",
    "build.gradle",
    "settings.gradle.kts",
    "build.sbt",
    "project/plugins.sbt",
    "project.clj",
    "deps.edn",
    "src/gradle/init.py",
    "docs/shells/zshrc.md",
    "flake/overlays/default.nix.md",
    "notebooks/kernel.json",
]

BENIGN_COMMANDS = [
    "echo x > src/app.py",
    "cp notes.md docs/guide.md",
    "sed -i s/a/b/ README.md",
    "tee tests/test_app.py < notes.md",
    "mv notes.md docs/notes.md",
    "git mv notes.md src/notes.md",
    "echo 'gradle' >> gradle/libs.versions.toml",
    "echo x > build.yml",
    "cp notes.md src/ipython_helpers.py",
    "echo x > docs/tmux.md",
    "echo x > src/amp/settings.py",
    "git checkout other -- README.md",
    "echo x > bazel/BUILD.bazel",
    "echo x > docker/Dockerfile",
    "cat .bazelversion",
    "cat gradle/wrapper/gradle-wrapper.properties",
    "ls .builds",
    "cat cloudbuild.json",
    "grep -r steps .builds",
    "git diff -- .bazelversion",
]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built once: the tests that take it only ask the policy (nothing writes to it).
    w = tmp_path_factory.mktemp("ws22") / "ws"
    for d in ("src", "tests", "docs", "sub", "gradle", "bazel", "docker", "src/amp", "config"):
        (w / d).mkdir(parents=True, exist_ok=True)
    (w / "notes.md").write_text("a\n")
    (w / "README.md").write_text("a\n")
    (w / ".bazelversion").write_text("7.1.0\n")
    (w / "cloudbuild.json").write_text("{}\n")
    (w / ".builds").mkdir()
    (w / ".builds" / "test.yml").write_text("image: alpine/edge\n")
    (w / "gradle" / "wrapper").mkdir()
    (w / "gradle" / "wrapper" / "gradle-wrapper.properties").write_text("x=y\n")
    git = "git -c user.email=a@example.com -c user.name=a"
    subprocess.run(
        f"git init -q -b main && git add -A && {git} commit -qm init && git branch other",
        shell=True,
        cwd=w,
        check=True,
    )
    return w


def _write(policy: Policy, ws: Path, path: str) -> Verdict:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="write", path=path)
    return policy.decide(req, ws).decision


def test_the_held_out_list_is_large_enough() -> None:
    assert len(FOUND) >= 20 and len(NESTED) >= 20 and len(CASED) >= 20


@pytest.mark.parametrize("path", PATHS + NESTED + CASED)
def test_file_tool_write_is_denied(default_policy: Policy, ws: Path, path: str) -> None:
    assert _write(default_policy, ws, path) is Verdict.DENY, path


@pytest.mark.parametrize("form", SHELL_FORMS)
@pytest.mark.parametrize("path", PATHS)
def test_shell_writes_are_denied(default_policy: Policy, ws: Path, path: str, form: str) -> None:
    verdict, rule = exec_verdict(default_policy, ws, form.format(p=path))
    assert verdict is Verdict.DENY, (form, path, rule)
    assert rule != "shell.undecidable", (form, path, rule)


@pytest.mark.parametrize("path", NESTED[::3] + CASED)
def test_shell_writes_nested_and_cased_are_denied(
    default_policy: Policy, ws: Path, path: str
) -> None:
    for form in ("echo x > {p}", "cp notes.md {p}", "tee {p} < notes.md"):
        verdict, rule = exec_verdict(default_policy, ws, form.format(p=path))
        assert verdict is not Verdict.ALLOW, (form, path, rule)


@pytest.mark.parametrize("path", BENIGN_WRITES)
def test_everyday_file_writes_stay_allowed(default_policy: Policy, ws: Path, path: str) -> None:
    assert _write(default_policy, ws, path) is Verdict.ALLOW, path


@pytest.mark.parametrize("command", BENIGN_COMMANDS)
def test_everyday_commands_stay_allowed(default_policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(default_policy, ws, command)
    assert verdict is Verdict.ALLOW, (command, rule)


# ---- the sandbox: protected entries directly inside a vendor directory ----------------------
# The walk does not enter vendor directories (`.gradle`, `.cache`, `node_modules`, …), so a
# script run in the sandbox created `.gradle/init.d/x.gradle` (a Gradle init script that runs
# on every later build) and nothing undid it. Now the vendor's own entries are looked at.

REPO_ROOT = Path(__file__).resolve().parents[2]

VENDOR_ENTRIES = [
    ".gradle/init.d",
    ".gradle/init.gradle",
    ".gradle/init.gradle.kts",
    "sub/.gradle/init.d",
    "packages/app/.gradle/init.gradle",
    ".cache/gonogo",
    "sub/.cache/gonogo",
]


def _rules(policy: Policy, ws: Path) -> object:
    from enforcement_agent.agent import sandbox_names

    return sandbox_names(policy.compiled.exec, ws)


@pytest.mark.parametrize("entry", VENDOR_ENTRIES)
@pytest.mark.parametrize("kind", ["file", "dir"])
def test_the_scan_finds_protected_entries_in_vendor_directories(
    default_policy: Policy, tmp_path: Path, entry: str, kind: str
) -> None:
    from enforcement_agent.sandbox.workspace_names import scan

    ws = tmp_path / "ws"
    target = ws / entry
    target.parent.mkdir(parents=True)
    if kind == "dir":
        target.mkdir()
    else:
        target.write_text("evil\n")
    (target.parent / "8.5").mkdir()  # Gradle's own cache beside it: not protected
    out = scan(str(ws), _rules(default_policy, ws), links=False, vendor_secrets=False)  # type: ignore[arg-type]
    assert entry in out.protected, sorted(out.protected)
    assert f"{entry.rpartition('/')[0]}/8.5" not in out.protected


def _agent_exec(ws: Path, home: Path, command: str) -> tuple[dict[str, object], int]:
    import json
    import os
    import sys

    argv = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme"]
    argv += ["--role", "contributor", "--workspace", str(ws), "--json", "--", command]
    env = {**os.environ, "GONOGO_HOME": str(home)}
    p = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, timeout=180)
    lines = [ln for ln in p.stderr.decode().splitlines() if ln.startswith("{")]
    return json.loads(lines[-1]), p.returncode


def _bwrap() -> bool:
    import shutil

    return shutil.which("bwrap") is not None


@pytest.mark.skipif(not _bwrap(), reason="bubblewrap is required for the by-effect run")
@pytest.mark.parametrize(
    "script, made",
    [
        ("mkdir -p .gradle/init.d && echo evil > .gradle/init.d/x.gradle", ".gradle/init.d"),
        ("mkdir -p .gradle && echo evil > .gradle/init.gradle", ".gradle/init.gradle"),
        (
            "mkdir -p sub/.gradle/init.d && echo e > sub/.gradle/init.d/y.gradle",
            "sub/.gradle/init.d",
        ),
    ],
)
def test_a_script_creating_them_is_undone(tmp_path: Path, script: str, made: str) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "x.sh").write_text(script + "\nmkdir -p .gradle/8.5 && echo ok > .gradle/8.5/ok\n")
    summary, _ = _agent_exec(ws, tmp_path / "home", "sh x.sh")
    assert summary["decision"] == "allow"
    assert not (ws / made).exists(), summary
    assert made in str(summary["detail"])
    assert (ws / ".gradle" / "8.5" / "ok").read_text() == "ok\n"  # the control: kept


@pytest.mark.skipif(not _bwrap(), reason="bubblewrap is required for the by-effect run")
def test_an_existing_init_script_is_read_only(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / ".gradle" / "init.d").mkdir(parents=True)
    (ws / ".gradle" / "init.d" / "a.gradle").write_text("safe\n")
    (ws / "x.sh").write_text(
        "echo evil > .gradle/init.d/a.gradle; echo evil > .gradle/init.d/b.gradle;"
        " echo ok > notes.md\n"
    )
    summary, _ = _agent_exec(ws, tmp_path / "home", "sh x.sh")
    assert (ws / ".gradle" / "init.d" / "a.gradle").read_text() == "safe\n"
    assert not (ws / ".gradle" / "init.d" / "b.gradle").exists()
    assert (ws / "notes.md").read_text() == "ok\n", summary  # the control: written
