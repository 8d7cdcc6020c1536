"""The deployment descriptions stay true: every file parses, and every command, option, module,
environment variable, route and port they name exists in the code and the CLIs.

Containers are not built or run here; these checks are what keeps ``deploy/`` from drifting.
"""

from __future__ import annotations

import importlib
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from gonogo.config import REPO_ROOT

pytestmark = pytest.mark.cluster

DEPLOY = REPO_ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
K8S = sorted((DEPLOY / "k8s").glob("*.yaml"))
BIN = Path(sys.executable).parent
IMAGE = "gonogo:latest"
# Programs of other images (the database and cache servers) and the shell.
FOREIGN = {"pg_isready", "redis-server", "redis-cli", "sh", "grep", "sleep"}
SOURCE_DIRS = ("gonogo", "pipelines", "dashboards", "enforcement_agent", "assets", "checks")


def _k8s_docs() -> list[dict[str, Any]]:
    return [d for f in K8S for d in yaml.safe_load_all(f.read_text()) if d]


def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def _containers() -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, container) for every k8s container and compose service."""
    for doc in _k8s_docs():
        spec = doc.get("spec", {})
        pod = spec.get("template", {}).get("spec", {})
        for c in pod.get("containers", []):
            yield f"k8s {doc['kind']}/{doc['metadata']['name']}/{c['name']}", c
    for name, svc in _compose()["services"].items():
        yield f"compose {name}", svc


def _argvs(value: Any) -> Iterator[list[str]]:
    """Command lines in a command/test/exec value, looking inside ``sh -c`` scripts."""
    if value is None:
        return
    argv = shlex.split(value) if isinstance(value, str) else [str(v) for v in value]
    if argv and argv[0] in ("CMD", "CMD-SHELL"):
        argv = argv[1:] if argv[0] == "CMD" else ["sh", "-c", " ".join(argv[1:])]
    if len(argv) >= 3 and argv[0] == "sh" and argv[1] == "-c":
        script = re.sub(r"\bwhile true; do\b|\bdone\b|\bexec\b", ";", argv[2])
        for part in re.split(r"&&|;|\|", script):
            if part.strip():
                yield shlex.split(part.strip())
        return
    yield argv


def _all_argvs() -> Iterator[tuple[str, list[str]]]:
    for where, c in _containers():
        for key in ("command", "args"):
            for argv in _argvs(c.get(key)):
                yield where, argv
        for probe in ("readinessProbe", "livenessProbe"):
            exec_ = (c.get(probe) or {}).get("exec")
            if exec_:
                for argv in _argvs(exec_["command"]):
                    yield f"{where} {probe}", argv
        health = c.get("healthcheck")
        if health:
            for argv in _argvs(health["test"]):
                yield f"{where} healthcheck", argv


def test_every_file_parses_and_names_its_kind() -> None:
    assert COMPOSE.exists() and K8S
    assert "services" in _compose()
    kinds = {d["kind"] for d in _k8s_docs()}
    assert {"Deployment", "StatefulSet", "Service", "ConfigMap", "Job"} <= kinds
    names = {d["metadata"]["name"] for d in _k8s_docs()}
    for part in ("gateway", "postgres", "redis", "code-location", "dagster-daemon",
                 "dagster-webserver"):  # fmt: skip
        assert part in names
        assert part in _compose()["services"] or part.startswith("gateway")


def test_every_service_has_health_and_readiness() -> None:
    for where, c in _containers():
        if where.endswith("/ingest") or where in ("compose ingest", "compose cluster-init"):
            continue  # a loop and a one-shot job: nothing serves
        if where.startswith("k8s Job"):
            continue
        if where.startswith("k8s"):
            assert "readinessProbe" in c and "livenessProbe" in c, where
        else:
            assert "healthcheck" in c, where


@cache
def _try_help(argv: tuple[str, ...]) -> tuple[bool, str]:
    if argv[0] == "gonogo":
        from typer.testing import CliRunner

        from gonogo.cli import build_app

        got = CliRunner().invoke(build_app(), [*argv[1:], "--help"], terminal_width=200)
        return got.exit_code == 0, got.output
    exe = BIN / argv[0]
    assert exe.exists(), f"{argv[0]} is not installed with the project"
    done = subprocess.run([str(exe), *argv[1:], "--help"], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    return done.returncode == 0, done.stdout


def _help(argv: tuple[str, ...]) -> str:
    ok, text = _try_help(argv)
    assert ok, (argv, text[-500:])
    return text


def _command_path(argv: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """The (sub)command words and the options that follow them."""
    words = [argv[0]]
    rest = argv[1:]
    while rest and not rest[0].startswith("-") and _is_subcommand(tuple(words), rest[0]):
        words.append(rest.pop(0))
    return tuple(words), rest


def _is_subcommand(words: tuple[str, ...], word: str) -> bool:
    # Listed in the help, or hidden (``dagster api``) but answering ``--help`` on its own.
    text = _help(words)
    listed = re.search(rf"^\s*│?\s*{re.escape(word)}\b", text, re.M)
    return bool(listed) or _try_help((*words, word))[0]


def test_every_command_and_option_exists() -> None:
    checked = 0
    for where, argv in _all_argvs():
        prog = argv[0]
        if prog in FOREIGN or prog == "python":
            continue
        words, rest = _command_path(argv)
        text = _help(words)
        for token in rest:
            if token.startswith("--"):
                opt = token.split("=", 1)[0]
                assert re.search(rf"{re.escape(opt)}\b", text), f"{where}: {opt} of {words}"
            elif token.startswith("-") and len(token) == 2:
                assert re.search(rf"(^|[\s,]){re.escape(token)}\b", text), f"{where}: {token}"
        checked += 1
    assert checked >= 10


def test_modules_and_jobs_they_name_exist() -> None:
    for _where, argv in _all_argvs():
        if "-m" in argv and argv[0].startswith("dagster"):
            importlib.import_module(argv[argv.index("-m") + 1])
    from pipelines.jobs import SENSORS

    sensors = {s.name for s in SENSORS}
    for _where, argv in _all_argvs():
        if argv[:3] == ["dagster", "sensor", "start"]:
            assert argv[3] in sensors


def _source_text() -> str:
    return "\n".join(
        p.read_text(errors="replace") for d in SOURCE_DIRS for p in (REPO_ROOT / d).rglob("*.py")
    )


def _env_names() -> set[str]:
    names: set[str] = set()
    for _where, c in _containers():
        env = c.get("environment") or {}
        names |= set(env) if isinstance(env, dict) else set()
        for e in c.get("env") or []:
            names.add(e["name"])
    for doc in _k8s_docs():
        if doc["kind"] == "ConfigMap":
            names |= set(doc["data"])
    anchor = _compose().get("x-gonogo-env") or {}
    return names | set(anchor)


def test_every_environment_variable_is_read_by_the_code() -> None:
    source = _source_text()
    ours = sorted(n for n in _env_names() if n.startswith(("GONOGO_", "DAGSTER_")))
    assert "GONOGO_PROFILE" in ours and "GONOGO_REPLICA_ID" in ours and "GONOGO_PG_URL" in ours
    missing = {n for n in ours if n != "DAGSTER_HOME" and f'"{n}"' not in source}
    assert not missing, f"named in deploy/ but read nowhere: {sorted(missing)}"
    # The gateway binds beyond loopback in these files: it must verify tokens there.
    assert {"GONOGO_AUTH_JWKS", "GONOGO_AUTH_ISSUER", "GONOGO_AUTH_AUDIENCE"} <= set(ours)


def test_ports_agree() -> None:
    for doc in _k8s_docs():
        if doc["kind"] not in ("Deployment", "StatefulSet"):
            continue
        for c in doc["spec"]["template"]["spec"]["containers"]:
            declared = {p["containerPort"] for p in c.get("ports", [])}
            argv = c.get("command", [])
            for flag in ("--port", "-p"):
                if flag in argv and argv[0] != "pg_isready":
                    assert int(argv[argv.index(flag) + 1]) in declared, (doc["metadata"], flag)
            for probe in ("readinessProbe", "livenessProbe"):
                http = (c.get(probe) or {}).get("httpGet") or (c.get(probe) or {}).get("tcpSocket")
                if http:
                    assert http["port"] in declared, (doc["metadata"]["name"], probe)
    services = {d["metadata"]["name"]: d for d in _k8s_docs() if d["kind"] == "Service"}
    workloads = {d["metadata"]["name"]: d for d in _k8s_docs()
                 if d["kind"] in ("Deployment", "StatefulSet")}  # fmt: skip
    for name, svc in services.items():
        pods = workloads[name]["spec"]["template"]["spec"]["containers"]
        declared = {p["containerPort"] for c in pods for p in c.get("ports", [])}
        for port in svc["spec"]["ports"]:
            assert port["targetPort"] in declared, name
    # The code location the init job names is the one the code server listens on.
    for _where, argv in _all_argvs():
        if "--code-server" in argv:
            host, port = argv[argv.index("--code-server") + 1].split(":")
            assert host == "code-location"
            server = workloads["code-location"]["spec"]["template"]["spec"]["containers"][0]
            assert port == server["command"][server["command"].index("-p") + 1]


def test_probe_routes_are_served_by_the_app(tmp_path: Path) -> None:
    from dashboards.app import create_app
    from pipelines.settings import Settings

    routes = {getattr(r, "path", None) for r in create_app(Settings(home=tmp_path)).routes}
    for doc in _k8s_docs():
        for c in doc.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
            if c.get("command", [None])[0] != "gonogo":
                continue
            for probe in ("readinessProbe", "livenessProbe"):
                http = (c.get(probe) or {}).get("httpGet")
                if http:
                    assert http["path"] in routes
    assert {"/healthz", "/readyz"} <= routes


def test_one_image_for_every_gonogo_process() -> None:
    programs = {"gonogo", "dagster", "dagster-daemon", "dagster-webserver"}
    for where, c in _containers():
        argv = next(_argvs(c.get("command")), [None])
        if argv and argv[0] in programs or (argv and argv[0] == "sh" and "gonogo" in str(c)):
            assert c.get("image") == IMAGE, where
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "pip install" in dockerfile and "bubblewrap" in dockerfile
