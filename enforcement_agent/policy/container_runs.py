"""What container tooling runs from the workspace: the command and working directory a
`docker run`/`podman run` is given, the compose files a command reads, and the build contexts and
Dockerfiles it builds from."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from enforcement_agent.policy.repo_run_words import (
    ACTION_MARK,
    ROOT_MARK,
    RUNNER_OPTIONS,
    WORKSPACE_PWD,
    WORKSPACE_VARS,
)

# options of `docker run`/`exec`/`compose run` that take the next word
_CONTAINER_VALUES = frozenset(
    "-v --volume -w --workdir -e --env --env-file -p --publish --name -u --user --network "
    "--net --entrypoint --mount -l --label --platform --hostname -h --add-host --cap-add "
    "--cap-drop --device --dns -m --memory --cpus --pull --restart --runtime --security-opt "
    "--shm-size --tmpfs --ulimit --volumes-from --ipc --pid --label-file --log-driver "
    "--log-opt --gpus -a --attach --cidfile --cgroupns --stop-signal --stop-timeout --uts "
    "--userns --link --expose --group-add --health-cmd --init-path --isolation --mac-address "
    "--detach-keys --index -f --file --project-name --project-directory --profile "
    "--env-from-file --service-ports".split()
)  # fmt: skip


def container_command(args: Sequence[str]) -> list[str] | None:
    """The command words of `docker run IMAGE CMD…`, `docker exec C CMD…`, `docker compose
    run|exec SERVICE CMD…` (`container run`, `podman-compose` spellings alike); None for
    any other verb or no command."""
    words = list(args)
    k = 0
    while k < len(words) and words[k].startswith("-"):  # global options (`--context x`)
        k += 2 if words[k] in ("--context", "-c", "-H", "--host", "--config", "-f", "--file",
                               "-p", "--project-name", "--log-level") else 1  # fmt: skip
    if k < len(words) and words[k] in ("compose", "container"):
        k += 1
        while k < len(words) and words[k].startswith("-"):
            k += 2 if words[k] in _CONTAINER_VALUES and "=" not in words[k] else 1
    if k >= len(words) or words[k] not in ("run", "exec"):
        return None
    k += 1
    while k < len(words) and words[k].startswith("-"):
        k += 2 if words[k] in _CONTAINER_VALUES and "=" not in words[k] else 1
    k += 1  # the image, the container or the service
    return words[k:] or None


def compose_files(args: Sequence[str]) -> list[tuple[str, str]] | None:
    """The compose files `docker compose …` reads, as ("f", file) for each `-f`/`--file`
    and ("d", folder) for the folder it looks in (`--project-directory`, else where it runs:
    compose looks upward from there); None when it is not `compose`."""
    words = list(args)[:256]
    k = 0
    while k < len(words) and words[k].startswith("-"):
        k += 2 if words[k] in ("--context", "-c", "-H", "--host", "--config") else 1
    if k >= len(words) or words[k] != "compose":
        return None
    files: list[tuple[str, str]] = []
    folder = "."
    for j, w in enumerate(words[k + 1 :], k + 1):
        value = words[j + 1] if j + 1 < len(words) else ""
        head, eq, tail = w.partition("=")
        if w in ("-f", "--file") or (eq and head in ("-f", "--file")):
            files.append(("f", tail if eq else value))
        elif w.startswith("-f") and len(w) > 2 and not w.startswith("--"):
            files.append(("f", w[2:]))
        elif head == "--project-directory":
            folder = tail if eq else value
        elif w in ("run", "exec", "up", "start", "create", "build"):
            break
    return files or [("d", folder)]


def container_workdir(args: Sequence[str]) -> str:
    """The workspace folder `-w`/`--workdir` of `docker run`/`compose run` names, from the
    top, through a `-v HOST:DIR` mount of the workspace (`$PWD`, `.`, `$(pwd)`, the CI's
    workspace variable); "*" (any folder) when it is not under one; "" without `-w`."""
    workdir = ""
    mounts: list[str] = []
    words = list(args)[:256]
    for k, w in enumerate(words):
        value = words[k + 1] if k + 1 < len(words) else ""
        if w.startswith(("--workdir=", "-w=")):
            workdir = w.partition("=")[2]
        elif w in ("-w", "--workdir"):
            workdir = value
        elif w.startswith("-w") and len(w) > 2 and not w.startswith("--"):
            workdir = w[2:]
        elif w in ("-v", "--volume") or w.startswith(("--volume=", "-v=")):
            spec = w.partition("=")[2] if "=" in w else value
            host, _, rest = spec.partition(":")
            host = WORKSPACE_PWD.sub(".", WORKSPACE_VARS.sub(".", host)).strip("'\"")
            if host in (".", "./") and rest:
                mounts.append(rest.partition(":")[0].rstrip("/"))
    if not workdir:
        return ""
    workdir = workdir.rstrip("/")
    if not workdir.startswith("/"):
        return workdir  # (from the image's own folder: read as from the top too)
    for m in mounts:
        if m and (workdir == m or workdir.startswith(m + "/")):
            return workdir[len(m) :].lstrip("/") or "."
    return "*"


def container_mounts(args: Sequence[str]) -> list[tuple[str, str]]:
    """(folder of the workspace, folder in the container) for each bind mount of the
    workspace that `docker run`/`compose run` is given: `-v ./k:/c`, `--volume=$PWD/k:/c`,
    `-v "$(pwd)":/w`, `--mount type=bind,source=$PWD/k,target=/c` (a forty-fifth red-team
    pass: `docker run -v $PWD/ci:/c alpine sh /c/x` ran `ci/x`, which stayed writable). The
    workspace folder is as the line names it (`.`, `./k`, the CI's workspace variable's
    mark); a host path outside it or a named volume gives no pair."""
    out: list[tuple[str, str]] = []
    words = list(args)[:256]
    for k, w in enumerate(words):
        value = words[k + 1] if k + 1 < len(words) else ""
        host = target = ""
        if (
            w in ("-v", "--volume")
            or w.startswith(("--volume=", "-v="))
            or (w.startswith("-v") and not w.startswith("--") and len(w) > 2)
        ):
            spec = w.partition("=")[2] if "=" in w else value if w in ("-v", "--volume") else w[2:]
            host, _, rest = spec.strip("'\"").partition(":")
            target = rest.partition(":")[0]
        elif w == "--mount" or w.startswith("--mount="):
            spec = w.partition("=")[2] if w.startswith("--mount=") else value
            fields = dict(f.partition("=")[::2] for f in spec.strip("'\"").split(","))
            host = fields.get("source", fields.get("src", ""))
            target = fields.get("target", fields.get("destination", fields.get("dst", "")))
        host = WORKSPACE_PWD.sub(".", WORKSPACE_VARS.sub(".", host)).strip("'\"")
        if not target.startswith("/") or not host:
            continue
        if host.startswith((".", ROOT_MARK)) and ".." not in host.split("/"):
            out.append((host.rstrip("/") or ".", target.rstrip("/") or "/"))
    return out[:16]


def mounted_words(words: Sequence[str], mounts: Sequence[tuple[str, str]]) -> list[str]:
    """``words`` of a container's command with each container path under a mount of the
    workspace (a word, or a token of a command string: `sh -c "/c/x"`) put as the
    workspace folder it is."""
    if not mounts:
        return list(words)
    out: list[str] = []
    for w in words:
        for host, target in mounts:
            if target == "/":
                continue  # (the whole container's tree: any absolute word; not mapped)
            pattern = r"(?<![\w./-])" + re.escape(target) + r"(?=/|$|[\s;&|'\"])"
            w = re.sub(pattern, host.replace("\\", "\\\\"), w)
        out.append(w)
    return out


def container_build(args: Sequence[str]) -> tuple[str, str] | None:
    """("f", Dockerfile) or ("d", context folder) of `docker build` / `buildx build` /
    `image build`; None for any other verb."""
    words = list(args)
    if words[:1] in (["buildx"], ["image"], ["builder"]):
        words = words[1:]
    if words[:1] != ["build"]:
        return None
    folder = "."
    k = 1
    while k < len(words):
        w = words[k]
        if w in ("-f", "--file"):
            return ("f", words[k + 1]) if k + 1 < len(words) else None
        if w.startswith("--file="):
            return ("f", w.partition("=")[2])
        if w.startswith("-"):
            k += 1 if "=" in w or w in ("-q", "--quiet", "--no-cache", "--pull", "--load",
                                        "--push", "--rm", "--force-rm") else 2  # fmt: skip
            continue
        folder = w
        k += 1
    return ("d", folder)


def dockerfile_from(word: str, cwd: str) -> str:
    """``word`` as seen from the working directory ``cwd`` of the configuration's line."""
    if word.startswith((ROOT_MARK, ACTION_MARK, "/")) or not cwd:
        return word
    return os.path.join(cwd, word)


def runner_targets(kind: str, args: Sequence[str]) -> list[tuple[str, str]]:
    """("d", folder) and ("f", file) pairs a runner that runs tasks by name reads its task
    file from (its working directory "." when no option names one). `make -C a -C b` is
    `a/b`; an unknown option is read as a flag (the folder stays)."""
    options = RUNNER_OPTIONS[kind]
    folder = ""
    files: list[str] = []
    folders: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            break
        opt, eq, value = arg.partition("=")
        if opt not in options and not eq and len(arg) > 2 and arg[:2] in options:
            opt, value, eq = arg[:2], arg[2:], "="  # attached: `-Csub`, `-fci.mk`
        what = options.get(opt)
        if what is None:
            continue
        if not eq:
            if i >= len(args):
                break
            value = args[i]
            i += 1
        if what == "d" and kind == "make":
            folder = os.path.join(folder, value) if folder and not value.startswith("/") else value
        elif what in ("d", "w"):
            folders.append(value)
            if what == "w":
                folders.append(".")  # the root's package.json lists its workspaces
        elif what == "f":
            files.append(value)
        elif what == "m":
            # a module invoke loads by name or path (`-c ci/tasks`, `-c ci.tasks`): the
            # module's file and package, as written and with its dots as folders
            stem = value.removesuffix(".py")
            for s in dict.fromkeys((stem, stem.replace(".", "/"))):
                files += [s, s + ".py", s + "/__init__.py"]
    if kind == "meson" and not folders:
        # `meson setup BUILDDIR SOURCEDIR`: the source folder is the second operand
        operands = [a for a in args if not a.startswith("-")]
        operands = operands[1:] if operands[:1] in (["setup"], ["configure"]) else operands
        folders += operands[1:2]
    if kind == "ansible":
        # `ansible-playbook site.yml [more.yml]`: the playbooks are its operands
        skip = {o for o, w in options.items() if not o.startswith("--") or w == ""}
        k = 0
        while k < len(args):
            a = args[k]
            if a in skip and "=" not in a:
                k += 2
                continue
            if not a.startswith("-") and a.endswith((".yml", ".yaml")):
                files.append(a)
            k += 1
    if kind == "earthly":
        # `earthly ./ci+build`: the Earthfile of the folder a local target names (`+build`:
        # this one); a forty-eighth red-team pass found `ci/Earthfile` writable
        for a in args:
            where, plus, _ = a.partition("+")
            if (
                plus
                and not a.startswith("-")
                and (where in ("", ".", "..") or where.startswith(("./", "../")))
            ):
                folders.append(where or ".")
    if kind == "make" and folder:
        files = [os.path.join(folder, f) if not f.startswith("/") else f for f in files]
    out = [("f", f) for f in files]
    if kind == "make" and not files:
        out.append(("d", folder or "."))
    elif kind != "make" and (not files or kind == "bazel"):
        # (bazel's `--bazelrc F` adds options; the packages are still read from the top:
        # forty-fifth pass)
        out += [("d", d) for d in folders or ["."]]
    return out
