"""Files gradle's built-in tasks write into the project whatever its build scripts say.

`gradle wrapper` writes the wrapper (`gradlew`, `gradle/wrapper/gradle-wrapper.properties`,
whose `distributionUrl` names the gradle every later `./gradlew` downloads and runs) and
`gradle init` a whole project (`.gitattributes` among it). A task is named by any
abbreviation gradle resolves (`gradle wrap`, `gradle :w`), so every word that may abbreviate
one of them counts (a forty-eighth red-team pass: `gradle wrapper` was allowed while the
wrapper's properties are a protected path).
"""

from __future__ import annotations

from collections.abc import Sequence

_WRAPPER = (
    "gradlew",
    "gradlew.bat",
    "gradle/wrapper/gradle-wrapper.jar",
    "gradle/wrapper/gradle-wrapper.properties",
)
_INIT = (
    *_WRAPPER,
    "settings.gradle",
    "settings.gradle.kts",
    "build.gradle",
    "build.gradle.kts",
    "gradle.properties",
    "gradle/libs.versions.toml",
    ".gitignore",
    ".gitattributes",
)
_TASKS = {"wrapper": _WRAPPER, "init": _INIT}


def gradle_task_writes(tasks: Sequence[str]) -> tuple[str, ...]:
    """The project-relative files the built-in tasks among ``tasks`` (as gradle may read
    them: a project path's last part, any prefix) write."""
    out: list[str] = []
    for word in tasks:
        name = word.rpartition(":")[2].lower()
        for task, files in _TASKS.items():
            if name and task.startswith(name):
                out += [f for f in files if f not in out]
    return tuple(out)
