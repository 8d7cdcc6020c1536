"""The commands task files and tool configurations run, read file by file: compose services,
CMake and meson sub-projects, justfiles, tox, package-manager rc files and package hooks,
lint-staged configurations."""

from __future__ import annotations

import itertools
import os
import re
import shlex

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.make_reading import (
    MAKE_ASSIGN,
    MAKE_REF,
    MAKE_TEXT,
    MakeWork,
    make_automatic,
    make_expand,
    make_variables,
)
from enforcement_agent.policy.regular_reads import open_regular
from enforcement_agent.policy.repo_run_words import (
    CONFIG_LIMIT,
    JSON_STRING,
    MAKE_FILE_WORD,
    ROOT_MARK,
    SCRIPT_FILES,
    VARIABLE,
    WORKSPACE_PWD,
    quoted_strings,
)
from enforcement_agent.policy.script_runs import env_commands

# Lines of task and project files, found by a search over the whole text. A line's leading
# blanks are `[^\S\n]*`, never `\s*`: `\s` takes newlines too, so `(?m)^\s*X` started at every
# line of a run of blank lines and read the run to its end (quadratic: 40 KB of blank lines
# took 3 to 30 s; thirty-eighth pass). tests/policy/test_thirtyeighth_pass.py holds every
# multi-line pattern of the policy to that.
_COMPOSE_COMMAND = lazy_compile(r"(?m)^[^\S\n]*(?:command|entrypoint|test)[^\S\n]*:[^\S\n]*(\S.*)$")


# an environment file's line (`[export] NAME=value`), a path in a container's file system
_ENV_LINE = lazy_compile(r"[^\S\n]*(?:export[^\S\n]+)?([A-Za-z_]\w*)[^\S\n]*=(.*)")
_ABS_PATH = lazy_compile(r"(?<![\w./-])/[\w.+-]+(?:/[\w.+-]+)+")


def _tails(path: str) -> list[str]:
    """A path in a container whose mounts are not known (`/w/ci/env.sh`): the workspace
    paths it may be (`./w/ci/env.sh`, `./ci/env.sh`; the file's name alone is not taken)."""
    parts = path.strip("/").split("/")[:16]
    return ["./" + "/".join(parts[k:]) for k in range(len(parts) - 1)]


_PNPM_PACKAGE = lazy_compile(r"""(?m)^[^\S\n]*-\s*['"]?([^'"#\s]+)""")


_DOCKER_LINE = lazy_compile(
    r"(?im)^[^\S\n]*(RUN|COPY|ADD|WORKDIR|ENTRYPOINT|CMD)\s+((?:--\S+\s+)*)(.*)$"
)
_BIND_MOUNT = lazy_compile(r"--mount=\S*type=bind\S*")


def _docker_words(body: str) -> list[str]:
    """An instruction's words: the exec form's strings, or the shell form split."""
    body = body.strip()
    if body.startswith("["):
        return re.findall(r'"((?:[^"\\]|\\.)*)"', body)
    return body.split()


def dockerfile_commands(text: str) -> list[str]:
    """The commands a Dockerfile runs, in order: `RUN` (shell form; the exec form's words
    joined; continuations joined), `ENTRYPOINT` and `CMD` (run where the image runs), each
    from its `WORKDIR`; and `COPY`/`ADD` of the build context (and `RUN --mount=type=bind`)
    as the `cp` they are, so that a copy run later stands for its source (forty-fourth
    pass: `COPY ci/x /x` then `RUN /x`)."""
    text = re.sub(r"\\[ \t]*\n", " ", text[:CONFIG_LIMIT])
    out: list[str] = []
    workdir = ""
    for m in itertools.islice(_DOCKER_LINE.finditer(text), 4096):
        op, flags, body = m.group(1).upper(), m.group(2), m.group(3).strip()
        at = f"cd {shlex.quote(workdir)} && " if workdir else ""
        if op == "WORKDIR":
            words = _docker_words(body)
            if words:
                workdir = os.path.normpath(os.path.join(workdir or "/", words[0]))
        elif op in ("COPY", "ADD"):
            words = _docker_words(body)
            if "--from=" in flags or len(words) < 2 or any("://" in w for w in words):
                continue  # (another stage's or image's files, a download)
            dst = words[-1]
            if not dst.startswith("/"):
                dst = os.path.join(workdir or "/", dst)
            if len(words) > 2 or words[-1].endswith(("/", ".")):
                dst = dst.rstrip("/.") + "/" if dst.rstrip("/.") else "/"
            sources = [w if w not in (".", "./") else "." for w in words[:-1]]
            if sources == ["."]:
                out.append(f"cp -rT . {shlex.quote(dst.rstrip('/') or '/')}")
            else:
                out.append(" ".join(["cp", "-r", *map(shlex.quote, sources), shlex.quote(dst)]))
        else:
            for mount in _BIND_MOUNT.findall(flags):
                fields = dict(f.split("=", 1) for f in mount[8:].split(",") if "=" in f)
                source = fields.get("source") or fields.get("src") or "."
                target = fields.get("target") or fields.get("dst") or fields.get("destination")
                if target:
                    out.append(f"cp -rT {shlex.quote(source)} {shlex.quote(target)}")
            words = _docker_words(body)
            line = " ".join(map(shlex.quote, words)) if body.startswith("[") else body
            out.append(at + line)
    return out


_CARGO_BUILD = lazy_compile(r"""(?m)^[^\S\n]*build\s*=\s*["']([^"'\n]+)["']""")


def _compose_services(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A compose file read as YAML (bounded; "not YAML" reads as nothing more than the line
    search of `manifest_commands` found): each service's command, entrypoint and health
    test with the folder they run in (`working_dir:` under a mount of the file's folder;
    any folder, "*", when it is under none), and the files compose reads next: a `build:`
    context's Dockerfile (kind docker), an `extends: file:` and an `include:` (kind
    compose)."""
    import yaml  # noqa: PLC0415

    from enforcement_agent.bounded_yaml import Bounds, YAMLBoundsError, load  # noqa: PLC0415

    try:
        doc = load(text, yaml.SafeLoader, Bounds(max_nodes=20_000, max_seconds=0.5))[0]
    except (yaml.YAMLError, YAMLBoundsError, ValueError):
        return [], []
    if not isinstance(doc, dict):
        return [], []
    commands: list[tuple[str, str]] = []
    configs: list[tuple[str, str]] = []

    def words(value: object) -> str:
        if isinstance(value, list):
            items = [str(v) for v in value[:256] if isinstance(v, (str, int, float))]
            if items[:1] in (["CMD"], ["CMD-SHELL"]):
                items = items[1:]
            return " ".join(items)
        return value if isinstance(value, str) else ""

    includes = doc.get("include")
    for inc in includes[:64] if isinstance(includes, list) else []:
        paths = inc.get("path") if isinstance(inc, dict) else inc
        for path in (paths if isinstance(paths, list) else [paths])[:16]:
            if isinstance(path, str):
                configs.append((path, "compose"))
        # the included files' `${VAR}` come from the entry's `env_file:` (a forty-sixth
        # red-team pass: `command: bash ${S}` with `S=ci/x` there left ci/x writable): every
        # file name in it may be run, as for the project's `.env`
        env = inc.get("env_file") if isinstance(inc, dict) else None
        for path in (env if isinstance(env, list) else [env])[:16]:
            if isinstance(path, str):
                configs += [(path, "envfile"), (path, "namelist")]
    services = doc.get("services")
    for service in list(services.values())[:256] if isinstance(services, dict) else []:
        if not isinstance(service, dict):
            continue
        cwd = _compose_workdir(service)
        health = service.get("healthcheck")
        # (forty-second pass) lifecycle hooks and `develop: watch:`'s `exec:` run commands too
        hooks = [h.get("command") for h in _dicts(service.get("post_start"))]
        hooks += [h.get("command") for h in _dicts(service.get("pre_stop"))]
        develop = service.get("develop")
        watch = develop.get("watch") if isinstance(develop, dict) else None
        for w in _dicts(watch):
            run = w.get("exec")
            if isinstance(run, dict):
                hooks.append(run.get("command"))
        for value in (
            service.get("command"),
            service.get("entrypoint"),
            health.get("test") if isinstance(health, dict) else None,
            *hooks,
        ):
            body = words(value)
            if body:
                commands.append((body, cwd))
        # (forty-second pass) what sets the service's environment: `environment:` read as a
        # CI `env:` map is (`BASH_ENV`, `NODE_OPTIONS` …; a path in the container through
        # the service's mounts), `env_file:` files read so too
        env = service.get("environment")
        if isinstance(env, list):
            env = dict(str(e).partition("=")[::2] for e in env[:256] if isinstance(e, str))
        if isinstance(env, dict):

            def mount(p: re.Match[str], service: dict[object, object] = service) -> str:
                return _compose_path(service, p.group())

            mapped: dict[object, object] = {
                k: _ABS_PATH.sub(mount, v) for k, v in list(env.items())[:256] if isinstance(v, str)
            }
            commands += [(c, cwd) for c in env_commands(mapped)]
        env_files = service.get("env_file")
        for item in env_files[:64] if isinstance(env_files, list) else [env_files]:
            path = item.get("path") if isinstance(item, dict) else item
            if isinstance(path, str):
                configs.append((path, "envfile"))
        build = service.get("build")
        if isinstance(build, str):
            configs.append((build, "docker"))
        elif isinstance(build, dict):
            context = build.get("context") if isinstance(build.get("context"), str) else "."
            dockerfile = build.get("dockerfile")
            if isinstance(dockerfile, str):
                configs.append((os.path.join(str(context), dockerfile), "docker"))
            else:
                configs.append((str(context), "docker"))
            inline = build.get("dockerfile_inline")
            if isinstance(inline, str):
                commands += [(c, "") for c in dockerfile_commands(inline)]
        extends = service.get("extends")
        if isinstance(extends, dict) and isinstance(extends.get("file"), str):
            configs.append((extends["file"], "compose"))
    return commands[:512], configs[:64]


def _dicts(value: object) -> list[dict[object, object]]:
    """The mappings of a YAML list (at most 64)."""
    return [v for v in value[:64] if isinstance(v, dict)] if isinstance(value, list) else []


def _compose_path(service: dict[object, object], path: str) -> str:
    """An absolute path in a service's container as a path of the workspace, from its top,
    through its bind mounts (`/w/ci/env.sh` with `.:/w`: `@@gonogo-ws@@/ci/env.sh`); as
    written when no mount holds it (the image's own file)."""
    folder = _compose_workdir({**service, "working_dir": path})
    return path if folder == "*" else ROOT_MARK + "/" + folder


def _compose_workdir(service: dict[object, object]) -> str:
    """The folder of the compose file's own tree a service's `working_dir:` is ("" for the
    top: no working_dir, or the mount point itself), through its bind mounts of `.`/`./x`
    (short and long syntax); "*" when it is under none of them."""
    workdir = service.get("working_dir")
    if not isinstance(workdir, str) or not workdir.strip():
        return ""
    workdir = workdir.strip().rstrip("/")
    volumes = service.get("volumes")
    for volume in volumes[:64] if isinstance(volumes, list) else []:
        if isinstance(volume, str):
            source, _, rest = volume.partition(":")
            target = rest.partition(":")[0]
        elif isinstance(volume, dict):
            source, target = str(volume.get("source", "")), str(volume.get("target", ""))
        else:
            continue
        source = WORKSPACE_PWD.sub(".", source)
        if not (source == "." or source.startswith("./")) or not target.startswith("/"):
            continue
        target = target.rstrip("/")
        if workdir == target or workdir.startswith(target + "/"):
            below = workdir[len(target) :].lstrip("/")
            folder = os.path.normpath(os.path.join(source, below))
            return "" if folder == "." else folder
    return "*"


_SETUP_CFG_TOX = lazy_compile(r"(?m)^[^\S\n]*\[tox:tox\]")


_PYPROJECT_TOX = lazy_compile(r"(?m)^[^\S\n]*\[\s*tool\.tox\b|^[^\S\n]*tool\s*=.*\btox\b")


# task files read line by line for the commands they run (forty-fourth pass): goreleaser's
# `hooks:` (before, after, a build's pre/post), skaffold's `hooks:` and custom builds, an
# ansible playbook's `shell:`/`command:`/`script:`/`raw:` tasks; every line after its key
# or list dash is read as a command (a line that runs nothing protects nothing)
TEXT_COMMANDS = frozenset(("goreleaser", "skaffold", "ansible", "pixi", "nx"))
# (a YAML key, a JSON key in quotes, a TOML `key =`; a list dash)
_LINE_KEY = lazy_compile(r"""^\s*(?:-\s+)*(?:["']?[\w.-]+["']?\s*[:=]\s*)?[|>]?[-+]?\s*""")


def text_commands(text: str) -> list[str]:
    """Each line of ``text`` (at most 4,096) without its YAML key or list dash; a flow list
    (`command: ["sh", "ci/x"]`) as its words."""
    out = []
    for line in text[:CONFIG_LIMIT].splitlines()[:4096]:
        line = _LINE_KEY.sub("", line, count=1).strip().rstrip(",")
        if line.startswith("["):
            line = " ".join(re.findall(r"""["']([^"']*)["']""", line))
        if line and not line.startswith("#"):
            out.append(line.strip("'\""))
            # each string of the line too (`test = { cmd = "bash ci/x" }`, JSON lists)
            out += quoted_strings(line)
    return out


def manifest_commands(
    text: str, kind: str, name: str = ""
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The commands a task file runs (package.json `scripts`, Makefile recipes, tox
    `commands`, nox `session.run(...)`, justfile recipe lines) and the task files it
    includes, as (path, kind)."""
    commands: list[str] = []
    configs: list[tuple[str, str]] = []
    if kind == "npm" and name == "pnpm-workspace.yaml":
        # pnpm's workspaces (`pnpm -r test`, `--filter NAME`): its `packages:` list
        items = _PNPM_PACKAGE.findall(text)
        configs += _workspace_globs(items)
    elif kind == "npm":
        import json  # noqa: PLC0415

        try:
            doc = json.loads(text)
        except ValueError:
            # not JSON npm would read: every string value is read as a command
            commands = JSON_STRING.findall(text)
        else:
            scripts = doc.get("scripts") if isinstance(doc, dict) else None
            if isinstance(scripts, dict):
                commands = [v for v in scripts.values() if isinstance(v, str)]
            # npm/yarn workspaces: `npm test --workspaces`, `-w NAME` (a package's name, not
            # its folder), `yarn workspaces foreach` run each workspace's package.json
            spaces = doc.get("workspaces") if isinstance(doc, dict) else None
            if name == "lerna.json" and isinstance(doc, dict):
                spaces = doc.get("packages")
            if isinstance(spaces, dict):
                spaces = spaces.get("packages")
            if isinstance(spaces, list):
                configs += _workspace_globs([w for w in spaces if isinstance(w, str)])
            # a dependency on a folder of the repository (`"x": "file:./packages/x"`):
            # `npm install` runs its install scripts (forty-first pass, by effect with
            # npm 10): its package.json is read as a task file
            for field in ("dependencies", "devDependencies", "optionalDependencies"):
                deps = doc.get(field) if isinstance(doc, dict) else None
                for spec in list(deps.values())[:256] if isinstance(deps, dict) else []:
                    if isinstance(spec, str) and spec.startswith(("file:", "link:")):
                        folder = spec.partition(":")[2].strip()
                        if folder and not folder.endswith((".tgz", ".tar.gz", ".tar")):
                            configs.append((folder.rstrip("/") + "/package.json", "npm"))
    elif kind in TEXT_COMMANDS:
        commands = text_commands(text)
    elif kind in PYPROJECT_TASKS:
        commands = _pyproject_tasks(text, kind)
    elif kind == "compose":
        # a service's `command:`/`entrypoint:` (a string, or a list of words) and
        # `healthcheck: test:`: they run in the container, on the mounted workspace
        for cm in _COMPOSE_COMMAND.finditer(text[:CONFIG_LIMIT]):
            body = cm.group(1).strip()
            if body.startswith("["):
                body = " ".join(re.findall(r"""["']([^"']*)["']""", body))
            commands.append(body.strip("'\""))
        # read as YAML too (forty-first pass): a block list `command:` (a word a line),
        # `working_dir:` through the service's mounts, `build:` contexts and their
        # Dockerfiles, `extends: file:`, top-level `include:`
        pairs, more = _compose_services(text[:CONFIG_LIMIT])
        configs += more
        if "$" in text[:CONFIG_LIMIT]:
            # compose fills `${VAR}` in from the project's `.env` (forty-third pass: `command:
            # bash ${SCRIPT}` with `SCRIPT=ci/x.sh` there): every file name in it may be run
            configs.append((".env", "namelist"))
        return [(c, "") for c in commands] + pairs, configs
    elif kind == "envfile":
        # an environment file (`node --env-file`, `docker run --env-file`, compose's
        # `env_file:`; forty-second pass): its variables read as an `env:` map's are, from
        # any folder (where the process runs is not known here); a path in a container as
        # any of its tails (nor are the mounts)
        env: dict[str, str] = {}
        for line in text.splitlines()[:4000]:
            m = _ENV_LINE.match(line)
            if m:
                value = m.group(2).strip()
                if value[:1] in ("'", '"') and value[-1:] == value[:1]:
                    value = value[1:-1]
                env[m.group(1)] = value
        env = dict(list(env.items())[-256:])  # (a variable set twice: the last)
        paths = [p for v in env.values() for p in _ABS_PATH.findall(v)]
        for k in range(min(16, max((len(_tails(p)) for p in paths), default=1))):

            def tail(p: re.Match[str], k: int = k) -> str:
                tails = _tails(p.group())
                return tails[min(k, len(tails) - 1)] if tails else p.group()

            for c in env_commands({key: _ABS_PATH.sub(tail, v) for key, v in env.items()}):
                if c not in commands:
                    commands.append(c)
        return [(c, w) for c in commands[:512] for w in ("", "*")], configs
    elif kind == "namelist":
        # a file a Makefile reads with `$(file <F)` (fortieth pass): its text is part of
        # recipes, so every file name in it may be a script make runs (fail closed)
        words = re.split(r"[\s()\"',;=]+", text[: MAKE_TEXT * 4])
        commands = ["source " + w for w in words if MAKE_FILE_WORD.fullmatch(w)][:64]
    elif kind == "make":
        text = re.sub(r"\\\n", " ", text)
        lines = text.splitlines()[:20_000]
        # the Makefile's own variables (`SCRIPT = ci/lint.sh` … `bash $(SCRIPT)`), and the
        # commands make runs while it reads the file: `$(shell …)` anywhere, `X != cmd`
        variables, alternatives = make_variables(lines, commands)
        rule: list[str] = []  # the current rule's target and prerequisites (`$@`, `$<`, `$^`)
        has_if = any(re.search(r"\$[({]if\s", v) for v in variables.values())
        memo: dict[tuple[str, int, tuple[str, str] | None], str] = {}
        work = MakeWork()  # one budget for the whole file's expansions
        order = {name: i for i, name in enumerate(alternatives)}
        for line in lines:
            if "file" in line:
                # `$(file <F)`: F's text becomes part of the line (GNU make 4.2+; fortieth
                # pass: `bash $(file <names.txt)` ran the script names.txt names)
                for fm in list(re.finditer(r"\$[({]file\s+<\s*", line[: 4 * MAKE_TEXT]))[:16]:
                    depth, j = 1, fm.end()
                    while depth and j < min(len(line), fm.end() + 512):
                        depth += {"(": 1, "{": 1, ")": -1, "}": -1}.get(line[j], 0)
                        j += 1
                    if depth:
                        continue
                    read = make_expand(line[fm.end() : j - 1].strip(), variables, work)
                    if read and "$" not in read:
                        configs.append((read, "namelist"))
            if not line.startswith("\t"):
                parts = _make_rule(line)
                if parts and not MAKE_ASSIGN.match(line):
                    # `check: ci/gen.sh ; $<`: a recipe on the rule's own line (thirty-ninth
                    # pass), and the names its automatic variables stand for
                    targets, prerequisites, recipe = parts
                    rule = [targets.split()[0] if targets.split() else ""]
                    rule += prerequisites.split()[:16]
                    if recipe is not None:
                        line = "\t" + recipe
                elif line.strip() and not line.lstrip().startswith("#"):
                    rule = rule if MAKE_ASSIGN.match(line) else []
            if line.startswith("\t"):
                raw = line[1:].lstrip("@-+ \t")
                raw = make_automatic(raw, rule)
                # (a target's own value of a variable, `lint: SCRIPT = x`: each value too)
                # (only the names the line refers to: testing every target value's name
                # against every line was 10,000 x 10,000 in 200 KB; thirty-eighth pass)
                named = {n for m in MAKE_REF.finditer(raw) for n in m.groups() if n}
                # (each try named by the value it sets, so the memo below cannot mistake
                # one line's try for another's)
                tries: list[tuple[tuple[str, str] | None, dict[str, str]]] = [(None, variables)]
                tries += [
                    ((name, alt), {**variables, name: alt})
                    for name in sorted((n for n in named if n in order), key=order.__getitem__)
                    for alt in alternatives[name][:4]
                ]
                branches = (1, 2) if has_if or re.search(r"\$[({]if\s", raw) else (1,)
                for (tried, values), branch in [(t, b) for t in tries[:9] for b in branches]:
                    key = (raw, branch, tried)
                    if key not in memo:
                        # (one expansion per distinct line; past _MAKE_EXPANSIONS a line is
                        # read as written, as before the thirty-ninth pass: bounded work)
                        expand = len(memo) < _MAKE_EXPANSIONS
                        memo[key] = make_expand(raw, values, work, branch) if expand else raw
                    cmd = memo[key]
                    cmd = re.sub(r"\$[({]MAKE[)}]", "make", cmd)
                    cmd = re.sub(r"\$[({]CURDIR[)}]", ".", cmd)
                    commands.append(cmd)
                continue
            evaluated = "$(eval" in line or "${eval" in line
            line = make_expand(line, variables, work)
            if evaluated:
                # the text `$(eval …)` makes part of the Makefile (rules with their recipes,
                # `$(foreach …)` of `$(call …)`s): read as commands too (fail closed)
                commands.append(line.replace(": ;", ": \n"))
            m = re.match(r"^\s*(?:override\s+|export\s+)?\.SHELLFLAGS\s*[:?!]*=(.*)$", line)
            m = m or re.match(r"^\s*-?load\s+(.*)$", line)
            if m or "$(guile" in line or "${guile" in line:
                # options make hands its shell (`--rcfile ci/rc`), a `load`ed object, guile
                # code: every file named there is code make may run (fail closed)
                words = re.split(r"[\s()\"',;=]+", m.group(1) if m else line)
                commands += ["source " + w for w in words if MAKE_FILE_WORD.fullmatch(w)][:16]
                continue
            m = re.match(r"^\s*(?:override\s+|export\s+)?SHELL\s*[:?!]*=\s*(\S+)", line)
            if m:
                # the shell make runs every recipe line with (`SHELL := ./ci/sh`)
                commands.append(m.group(1))
                if not re.search(r"(?:^|/)(?:ba|da|z|k|mk)?sh$", m.group(1)):
                    # `SHELL := python3`: recipes are another language's code, so every
                    # script file they name counts (thirty-ninth pass, fail closed)
                    for rl in lines:
                        if rl.startswith("\t"):
                            words = re.split(r"[\s()\"',;=\[\]]+", rl)
                            commands += ["source " + w for w in words
                                         if w.endswith(SCRIPT_FILES) and MAKE_FILE_WORD.fullmatch(w)][:8]  # fmt: skip
                continue
            m = re.match(r"^\s*-?s?include\s+(.*)$", line)
            if m:
                # `include $(wildcard mk/*.mk)`: the pattern (a variable: not known, open)
                value = re.sub(r"\$[({]wildcard\s+([^)}]*)[)}]", r"\1", m.group(1))
                configs += [(n, "make") for n in value.split() if "$" not in n]
                for n in value.split()[:16]:
                    # `include $(CONF).mk`, `include mk/$(OS).mk` (a value from the command
                    # line or the environment): every file it may be (thirty-ninth pass)
                    pattern = re.sub(r"\*+", "*", VARIABLE.sub("*", n)) if "$" in n else ""
                    if pattern and "$" not in pattern and len(pattern.replace("*", "")) >= 3:
                        configs.append((pattern, "make"))
    elif kind == "docker":
        commands = dockerfile_commands(text)
    elif kind == "tox" and name.endswith(".toml"):
        commands = _tox_toml_commands(text)
    elif kind == "tox":
        inside = False
        for line in text.splitlines()[:20_000]:
            m = re.match(
                r"^\s*(?:commands(?:_pre|_post)?|install_command|list_dependencies_command)"
                r"\s*=\s*(.*)$",
                line,
            )
            if m:
                inside, value = True, m.group(1)
            elif inside and line[:1] in (" ", "\t") and line.strip():
                value = line.strip()
            else:
                inside = bool(inside and not line.strip())
                continue
            value = re.sub(r"\{(?:toxinidir|tox_root)\}", ".", value).lstrip("-! ")
            commands.append(value)
            if "{" in value and _tox_defaults(value).strip() not in ("", value):
                commands.append(_tox_defaults(value))
    elif kind == "nox":
        for m in re.finditer(
            r"\.run(?:_always|_install)?\(\s*((?:[rbuf]?(?:\"[^\"\n]*\"|'[^'\n]*')\s*,?\s*)+)", text
        ):
            commands.append(" ".join(re.findall(r"[\"']([^\"'\n]*)[\"']", m.group(1))))
    elif kind == "cargo":
        # a package's own build script (`build = "tools/build.rs"`), run by every build
        for m in _CARGO_BUILD.finditer(text):
            configs.append((m.group(1), "rust-build"))
    elif kind == "just":
        return _just_commands(text)
    elif kind == "composer":
        # composer.json's `scripts` (`post-install-cmd`, `test` …: a command or a list;
        # `@php x.php` runs php; forty-first pass)
        import json  # noqa: PLC0415

        try:
            doc = json.loads(text)
        except ValueError:
            doc = {"scripts": {"x": JSON_STRING.findall(text)}}
        found = doc.get("scripts") if isinstance(doc, dict) else None
        for value in list(found.values())[:256] if isinstance(found, dict) else []:
            for v in value[:64] if isinstance(value, list) else [value]:
                if isinstance(v, str):
                    commands.append(re.sub(r"^@(php|composer)\b", r"\1", v))
    elif kind == "pybuild" and name == "pyproject.toml":
        # an in-tree build backend (`backend-path = ["ci"]`, `build-backend = "backend"`):
        # the module pip imports to build the project
        path = re.search(r"(?m)^\s*backend-path\s*=\s*\[([^\]]*)\]", text)
        backend = re.search(r"""(?m)^\s*build-backend\s*=\s*["']([\w.]+)(?::\w+)?["']""", text)
        if path and backend:
            module = backend.group(1).replace(".", "/")
            for folder in re.findall(r"""["']([^"']+)["']""", path.group(1))[:8]:
                commands.append(f"source {folder.rstrip('/')}/{module}.py")
                commands.append(f"source {folder.rstrip('/')}/{module}/__init__.py")
    elif kind == "cmake":
        return _cmake_commands(text[:CONFIG_LIMIT])
    elif kind == "meson":
        return _meson_commands(text[:CONFIG_LIMIT])
    return [(c, "") for c in commands], configs


# CMake (forty-first pass): the files a CMakeLists.txt makes cmake read as more of the build
# (`add_subdirectory(sub)`: sub/CMakeLists.txt; `include(x.cmake)`, `include(Name)` from the
# module path), and the commands it runs at configure and build time (`execute_process`,
# `add_custom_command`, `add_custom_target`: the words after COMMAND)
_CMAKE_SUBDIR = lazy_compile(r"(?i)\badd_subdirectory\s*\(\s*\"?([^\s\")]+)")


_CMAKE_INCLUDE = lazy_compile(r"(?i)\binclude\s*\(\s*\"?([^\s\")]+)")


_CMAKE_COMMAND = lazy_compile(r"\bCOMMAND\s+([^()]{1,1024})")


_CMAKE_KEYWORD = lazy_compile(
    r"\s(?:COMMAND|WORKING_DIRECTORY|OUTPUT|DEPENDS|BYPRODUCTS|COMMENT|VERBATIM|RESULT_VARIABLE"
    r"|OUTPUT_VARIABLE|ERROR_VARIABLE|INPUT_FILE|OUTPUT_FILE|ERROR_FILE|TIMEOUT|MAIN_DEPENDENCY"
    r"|USES_TERMINAL|COMMAND_EXPAND_LISTS|ALL|SOURCES|ECHO_OUTPUT_VARIABLE|COMMAND_ECHO)\b"
)


_CMAKE_DIRS = lazy_compile(
    r"\$\{(?:CMAKE_CURRENT_SOURCE_DIR|CMAKE_CURRENT_LIST_DIR|PROJECT_SOURCE_DIR)\}/?"
)


def _cmake_commands(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A CMake file's commands and the CMake files it reads next (see above)."""
    text = re.sub(r"(?m)#.*$", "", text)
    text = _CMAKE_DIRS.sub("./", text).replace("${CMAKE_SOURCE_DIR}/", ROOT_MARK)
    configs: list[tuple[str, str]] = []
    for m in list(_CMAKE_SUBDIR.finditer(text))[:64]:
        if "$" not in m.group(1):
            configs.append((m.group(1).rstrip("/") + "/CMakeLists.txt", "cmake"))
    for m in list(_CMAKE_INCLUDE.finditer(text))[:64]:
        name = m.group(1)
        if "$" in name or name.startswith(ROOT_MARK):
            continue
        if "/" in name or name.lower().endswith(".cmake"):
            configs.append((name, "cmake"))
        elif re.fullmatch(r"[\w.-]+", name):
            # a module by name, from CMAKE_MODULE_PATH (`cmake/` is protected whole): that
            # name in any folder (fail closed)
            configs.append((f"*/{name}.cmake", "cmake"))
    commands = []
    for m in list(_CMAKE_COMMAND.finditer(text))[:256]:
        body = _CMAKE_KEYWORD.split(" " + m.group(1), maxsplit=1)[0]
        commands.append((body.replace('"', " ").strip(), ""))
    return commands, configs


# meson (forty-first pass): `subdir('x')` reads x/meson.build; `run_command`, `find_program`,
# `custom_target`, `run_target` and `test` run programs named by their strings: every string
# that names a script is read as one (fail closed)
_MESON_SUBDIR = lazy_compile(r"\bsubdir\s*\(\s*'([^'\n]+)'")


_MESON_STRING = lazy_compile(r"'([^'\n]{1,512})'")


def _meson_commands(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A meson.build's scripts and the meson.build files it reads next (see above)."""
    text = re.sub(r"(?m)#.*$", "", text)
    configs = [
        (m.group(1).rstrip("/") + "/meson.build", "meson")
        for m in list(_MESON_SUBDIR.finditer(text))[:64]
        if "@" not in m.group(1)
    ]
    commands = [
        ("source " + m.group(1), "")
        for m in list(_MESON_STRING.finditer(text))[:4096]
        if m.group(1).endswith((*SCRIPT_FILES, ".cmake")) and MAKE_FILE_WORD.fullmatch(m.group(1))
    ][:256]
    return commands, configs


_JUST_WD = lazy_compile(
    r"""^\s*(?:set\s+working-directory\s*:=|\[.*\bworking-directory\s*[(:])\s*['"]([^'"]*)['"]"""
)


def _just_commands(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A justfile's recipe lines with the folder each runs in (`set working-directory`, a
    recipe's `[working-directory: …]`), and the files it imports or loads as modules (`mod
    foo`: foo.just, foo/mod.just, foo/justfile, foo/.justfile; `mod foo 'path'`)."""
    commands: list[tuple[str, str]] = []
    configs: list[tuple[str, str]] = []
    shebang = False
    top_wd = recipe_wd = pending = ""
    # thirty-ninth pass: `name := 'value'` is put in for `{{name}}` (one not known reads as
    # any value), backticks and `shell(…)` run while just reads the file, `set shell`/
    # `set script-interpreter` name the program of every recipe, and a shebang recipe is a
    # script: its interpreter runs, a shell one's lines are read, another's file names count
    values = dict(
        re.findall(
            r"""(?m)^\s*(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*['"]([^'"\n]*)['"]\s*$""", text
        )[:256]
    )

    def fill(body: str) -> str:
        return re.sub(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}|\{\{[^}]*\}\}",
                      lambda m: values.get(m.group(1) or "", "${_just}"), body)  # fmt: skip

    for bm in re.finditer(r"""`([^`\n]+)`|\bshell\(\s*['"]([^'"\n]+)['"]""", text[:CONFIG_LIMIT]):
        commands.append((fill(bm.group(1) or bm.group(2)), top_wd))
    for sm in re.finditer(
        r"(?m)^\s*set\s+(?:windows-)?(?:shell|script-interpreter)\s*:=\s*\[(.*)\]", text
    ):
        commands.append((" ".join(re.findall(r"""['"]([^'"]*)['"]""", sm.group(1))), top_wd))
    for line in text.splitlines()[:20_000]:
        if line[:1] in (" ", "\t") and line.strip():
            body = fill(line.strip())
            if body.startswith("#!"):
                # the recipe is a script of another language: its interpreter (`#!ci/x`,
                # `#!/usr/bin/env bash`), and a shell's lines read as commands
                shebang = not re.search(r"\b(?:ba|z|da|k)?sh\b", body)
                commands.append((body[2:].strip(), recipe_wd or top_wd))
                continue
            if shebang:
                words = re.split(r"[\s()\"',;=\[\]]+", body)
                commands += [("source " + w, recipe_wd or top_wd) for w in words
                             if w.endswith(SCRIPT_FILES) and MAKE_FILE_WORD.fullmatch(w)][:8]  # fmt: skip
            elif not body.startswith("#"):
                commands.append((body.lstrip("@-"), recipe_wd or top_wd))
                if recipe_wd and top_wd:  # (a recipe's folder may be from the set one)
                    commands.append((body.lstrip("@-"), os.path.join(top_wd, recipe_wd)))
            continue
        shebang = False
        m = _JUST_WD.match(line)
        if m:
            if line.lstrip().startswith("set"):
                top_wd = m.group(1)
            else:
                pending = m.group(1)  # (an attribute: for the recipe right below it)
            continue
        m = re.match(r"""^\s*import\??\s+['"]([^'"]+)['"]""", line)
        if m:
            configs.append((m.group(1), "just"))
            continue
        m = re.match(r"""^\s*mod\??\s+([A-Za-z_][\w-]*)\s*(?:['"]([^'"]+)['"])?""", line)
        if m:
            name, path = m.group(1), m.group(2)
            if path:
                configs.append((path, "just"))
                configs += [(f"{path}/{n}", "just") for n in ("mod.just", "justfile", ".justfile")]
            else:
                configs += [
                    (f"{name}.just", "just"),
                    (f"{name}/mod.just", "just"),
                    (f"{name}/justfile", "just"),
                    (f"{name}/.justfile", "just"),
                ]
            continue
        if line.strip() and not line.lstrip().startswith(("[", "#")):
            recipe_wd, pending = pending, ""  # a recipe's header (or a setting): its folder
    return commands, configs


_NPMRC_COMMANDS = {"node-options": "node ", "script-shell": "", "shell": "", "git": "",
                   "init-module": "source ", "onload-script": "source "}  # fmt: skip


_CARGO_PROGRAMS = ("rustc-wrapper", "rustc-workspace-wrapper", "rustc", "rustdoc", "runner",
                   "linker")  # fmt: skip


def pkgrc_commands(text: str, name: str) -> list[str]:
    """What a package manager's configuration file makes its every run load or start
    (`.npmrc` `node-options=--require ./ci/pre.js`, `.yarnrc` `yarn-path`, `.yarnrc.yml`
    `yarnPath` and plugin paths, `.cargo/config.toml` `rustc-wrapper`/`runner`/`linker`)."""
    out: list[str] = []
    for line in text.splitlines()[:4000]:
        m = re.match(r"""^\s*(?:-\s+)?([\w.-]+)\s*[=:]?\s*(.*?)\s*$""", line)
        if not m or line.lstrip().startswith(("#", ";", "[")):
            continue
        key, value = m.group(1).lower(), m.group(2).strip().strip("'\"")
        if name == ".npmrc" and key in _NPMRC_COMMANDS and value:
            out.append(_NPMRC_COMMANDS[key] + value)
        elif name in (".yarnrc", ".yarnrc.yml") and key in ("yarn-path", "yarnpath", "path"):
            out.append("node " + value)  # (a `plugins:` entry's `- path:` too)
        elif name.startswith("config") and key in _CARGO_PROGRAMS and value:
            # a string, or an array of the program and its arguments
            words = re.findall(r"""["']([^"']*)["']""", value) if value.startswith("[") else [value]
            out.append(" ".join(words))
    return out[:64]


_HOOK_KEYS = ("simple-git-hooks", "ghooks", "gitHooks", "lint-staged")


_HOOK_SCRIPT_KEYS = ("pre-commit", "precommit", "pre-push", "prepush")


def package_hooks(text: str) -> list[str]:
    """The commands a package.json makes git hooks run (fortieth pass): `simple-git-hooks`,
    husky 4's `husky.hooks`, `lint-staged`, yorkie's `gitHooks`, `ghooks`, and the npm
    scripts the `pre-commit` package runs by name; [] when it configures none."""
    import json  # noqa: PLC0415

    try:
        doc = json.loads(text)
    except ValueError:
        return []
    if not isinstance(doc, dict):
        return []
    out: list[str] = []

    def take(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out.extend(v for v in value[:64] if isinstance(v, str))
        elif isinstance(value, dict):
            for v in list(value.values())[:64]:
                take(v)

    husky = doc.get("husky")
    for value in [doc.get(k) for k in _HOOK_KEYS] + [
        husky.get("hooks") if isinstance(husky, dict) else None
    ]:
        if value is not None:
            take(value)
    found = doc.get("scripts")
    scripts: dict[str, object] = found if isinstance(found, dict) else {}
    for key in _HOOK_SCRIPT_KEYS:
        names = doc.get(key)
        for name in [names] if isinstance(names, str) else names if isinstance(names, list) else []:
            command = scripts.get(name) if isinstance(name, str) else None
            if isinstance(command, str):
                out.append(command)
    return out[:128]


def lintstaged_commands(text: str) -> list[str]:
    """The commands of a `.lintstagedrc` (JSON or YAML: glob → command or list of them)."""
    import yaml  # noqa: PLC0415

    from enforcement_agent.bounded_yaml import Bounds, YAMLBoundsError, load  # noqa: PLC0415

    try:
        doc = load(text, yaml.SafeLoader, Bounds(max_nodes=20_000, max_seconds=0.5))[0]
    except (yaml.YAMLError, YAMLBoundsError, ValueError):
        return JSON_STRING.findall(text)[:128]  # (not YAML: every string, fail closed)
    out: list[str] = []
    for value in list(doc.values())[:128] if isinstance(doc, dict) else []:
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                out.append(v)
    return out[:128]


def _workspace_globs(items: list[str]) -> list[tuple[str, str]]:
    """The package.json files workspace patterns name (`!x` exclusions are ignored: what
    they leave out stays protected); at most 64."""
    out: list[tuple[str, str]] = []
    for item in items[:64]:
        item = item.strip().rstrip("/")
        if item and not item.startswith("!") and "$" not in item:
            out.append((item + "/package.json", "npm"))
    return out


_TOX_COMMANDS = frozenset(
    ("commands", "commands_pre", "commands_post", "install_command", "list_dependencies_command")
)


# a tox substitution with a default (`{posargs:bash ci/x}`, `{env:CMD:bash ci/x}`, `{tty:ON:OFF}`):
# without the words or the variable, the default runs
_TOX_DEFAULT = lazy_compile(r"\{(?:posargs|env:[^{}:]*|tty:[^{}:]*)(?::([^{}]*))?\}")


def _tox_defaults(value: str) -> str:
    """``value`` with each tox substitution replaced by its default, innermost first (a
    forty-sixth red-team pass: `commands = {posargs:bash ci/x}` and `{env:CMD:bash ci/x}` ran
    `ci/x` at a plain `tox -e lint` in CI, and it stayed writable)."""
    for _ in range(8):
        new = _TOX_DEFAULT.sub(lambda m: m.group(1) or "", value)
        if new == value:
            break
        value = new
    return value


def _tox_toml_commands(text: str) -> list[str]:
    """The commands of tox's configuration in pyproject.toml (`[tool.tox]`, its
    `legacy_tox_ini` read as tox.ini) or tox.toml (native: lists of argument lists)."""
    import shlex  # noqa: PLC0415
    import tomllib  # noqa: PLC0415

    try:
        doc = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        # not TOML tox would read: every quoted string is read as a command (fail closed)
        return re.findall(r"""["']([^"'\n]+)["']""", text)[:2048]
    tool = doc.get("tool")
    conf = tool.get("tox") if isinstance(tool, dict) and "tox" in tool else doc
    out: list[str] = []
    if isinstance(conf, dict) and isinstance(conf.get("legacy_tox_ini"), str):
        out += [c for c, _ in manifest_commands(conf["legacy_tox_ini"], "tox")[0]]

    def walk(node: object, key: str, depth: int) -> None:
        if depth > 12 or len(out) > 2048:
            return
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k), depth + 1)
        elif isinstance(node, list) and key in _TOX_COMMANDS:
            for item in node:
                if isinstance(item, list):
                    out.append(shlex.join(_tox_words(item)))
                elif isinstance(item, str):
                    out.append(item)
        elif isinstance(node, str) and key in _TOX_COMMANDS:
            out.append(node)

    walk(conf, "", 0)
    return out


# pyproject.toml's task tables (hatch.toml's at its top): what `poe X`, `hatch run X`, `pdm run
# X` (or `pdm X`) run. The forty-fourth pass left them unread ("pyproject.toml is writable by
# decision"), but where CI runs the runner the file is protected (`_RUN_PLACES`), and a task
# `test = "bash ci/x"` left ci/x writable (a forty-sixth red-team pass).
PYPROJECT_TASKS = {
    "poe": (("tool", "poe", "tasks"),),
    "pdm": (("tool", "pdm", "scripts"),),
    "hatch": (("tool", "hatch", "envs"), ("envs",)),
}


def _pyproject_tasks(text: str, kind: str) -> list[str]:
    """Every string of the runner's task tables (a task's command, shell, sequence, a
    `call`/`script` target read as a command too: fail closed); not TOML: every quoted string."""
    import tomllib  # noqa: PLC0415

    try:
        doc = tomllib.loads(text[:CONFIG_LIMIT])
    except (tomllib.TOMLDecodeError, RecursionError):
        return quoted_strings(text[:CONFIG_LIMIT], 2048)
    out: list[str] = []

    def walk(node: object, depth: int) -> None:
        if depth > 12 or len(out) >= 2048:
            return
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for v in list(node.values())[:1024]:
                walk(v, depth + 1)
        elif isinstance(node, list):
            for v in node[:1024]:
                walk(v, depth + 1)

    for path in PYPROJECT_TASKS[kind]:
        node: object = doc
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        walk(node, 0)
    return out


def _tox_words(item: list[object]) -> list[str]:
    """A tox.toml command's words; a `{replace = "posargs"|"env", default = …}` item by its
    default (the words that run without posargs or the variable: forty-sixth pass)."""
    words: list[str] = []
    for w in item[:256]:
        if isinstance(w, dict):
            w = w.get("default", "")
        if isinstance(w, list):
            words += [str(x) for x in w[:256] if isinstance(x, str | int)]
        elif isinstance(w, str | int):
            words.append(str(w))
    return words


def holds_tox(path: str) -> bool:
    """Whether tox takes ``path`` (tox.ini, setup.cfg, pyproject.toml, tox.toml) as its
    configuration; a file that cannot be read counts (fail closed)."""
    base = os.path.basename(path)
    if base in ("tox.ini", "tox.toml"):
        return os.path.lexists(path)
    try:
        with open_regular(path) as fh:
            head = fh.read(CONFIG_LIMIT).decode("utf-8", "replace")
    except FileNotFoundError:
        return False
    except OSError:
        return True
    if base == "setup.cfg":
        return _SETUP_CFG_TOX.search(head) is not None
    return _PYPROJECT_TOX.search(head) is not None


_MAKE_RULE = lazy_compile(r"^([^\t#=:$][^#=:]*?|\$\S*)\s*::?(?!=)\s*([^=;#]*?)\s*(?:;(.*))?$")
# (its lazy groups rescan the blanks that follow them: a rule line with a long run of blanks
# is matched with each run shortened to one, linear; the recipe after `;` is taken from the
# line as written. 128 KB of blanks in a rule line took about 23 s of CPU; stop 47)
_LONG_BLANKS = lazy_compile(r"\s{64,}")


def _make_rule(line: str) -> tuple[str, str, str | None] | None:
    """A Makefile rule line's targets, prerequisites and recipe after `;` (None: no rule)."""
    short = _LONG_BLANKS.sub(" ", line)
    m = _MAKE_RULE.match(short)
    if m is None:
        return None
    recipe = m.group(3)
    if recipe is not None and short is not line:
        # the same `;` in the line as written (only blanks were shortened)
        at = -1
        for _ in range(short.count(";", 0, m.start(3))):
            at = line.index(";", at + 1)
        recipe = line[at + 1 :]
    return m.group(1), m.group(2), recipe


_MAKE_EXPANSIONS = 512  # distinct recipe lines of one Makefile expanded
