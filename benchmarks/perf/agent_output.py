"""What agents print all day, per content class: a corpus for the redaction benchmarks.

Each class is the output an agent reads while it works: ``git log``/``git show``, docker and OCI
digests, ``sha256sum``, request logs full of UUIDs, pytest/npm/pip/cargo output, lockfiles,
minified JavaScript, base64 blobs in JSON, stack traces, CSV exports, ANSI-coloured terminal
output, prose, configuration that refers to secrets by name. Real material from this machine is
used wherever it exists — this repository's ``git log`` and history, source files, metadata,
``RECORD`` files and real files' digests of the packages installed in the venv, the npm packages
installed on the system, the minified JavaScript and PNG images shipped in the venv, the
packages' own README prose — and generated lines of the same shapes (fresh hex ids, UUIDs,
timestamps) fill each class to size. Everything is deterministic for a seed.

None of it holds a secret: every line of every class should come back from the redactor
unchanged (``planted`` adds known secrets for recall and "mostly clean" runs).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.metadata
import json
import random
import re
import subprocess
import sysconfig
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from gonogo.config import REPO_ROOT

_HEX = "0123456789abcdef"
_WORDS = (
    "the build step fails when the cache is cold and the retry budget is spent so we keep a copy "
    "of the last good artifact next to the job output and compare sizes before publishing the "
    "release notes for every tenant that opted into the early channel this week"
).split()


# --- real material from this machine ------------------------------------------------------------


def _site_packages() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


@functools.cache
def real_sources(limit: int = 400) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(path relative to site-packages, lines) of installed packages' Python files."""
    root = _site_packages()
    out: list[tuple[str, tuple[str, ...]]] = []
    for pkg in (
        "dagster",
        "pydantic",
        "fastapi",
        "httpx",
        "starlette",
        "jinja2",
        "typer",
        "duckdb",
    ):
        base = root / pkg
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py"))[: limit // 8]:
            text = path.read_text(encoding="utf-8", errors="replace")
            if len(text) > 400:
                out.append((str(path.relative_to(root)), tuple(text.splitlines())))
    return tuple(out)


@functools.cache
def real_test_names() -> tuple[tuple[str, str], ...]:
    """(file, test function) pairs from test files shipped in installed packages."""
    out: list[tuple[str, str]] = []
    for path in sorted(_site_packages().rglob("test_*.py"))[:200]:
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = "/".join(path.parts[-3:])
        out += [(rel, m) for m in re.findall(r"^\s*def (test_\w+)", text, re.M)]
    return tuple(out)


@functools.cache
def real_distributions() -> tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """(name, version, summary, requires-python, requirements, RECORD lines) of installed dists."""
    out = []
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"] or ""):
        name = dist.metadata["Name"] or ""
        if not name:
            continue
        record = dist.read_text("RECORD") or ""
        out.append(
            (
                name,
                dist.version,
                (dist.metadata["Summary"] or "").replace('"', "'"),
                dist.metadata["Requires-Python"] or ">=3.8",
                tuple(dist.requires or ()),
                tuple(record.splitlines()),
            )
        )
    return tuple(out)


@functools.cache
def real_npm_packages() -> tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]:
    """(name, version, license, dependencies) of the npm packages installed on the system."""
    root = Path("/usr/lib/node_modules/npm/node_modules")
    out = []
    for pj in sorted(root.glob("*/package.json")) + sorted(root.glob("@*/*/package.json")):
        try:
            data = json.loads(pj.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data.get("name"), str) and isinstance(data.get("version"), str):
            deps = tuple(sorted((data.get("dependencies") or {}).items()))
            out.append((data["name"], data["version"], str(data.get("license", "MIT")), deps))
    return tuple(out)


@functools.cache
def real_minified_js() -> tuple[bytes, ...]:
    root = _site_packages()
    names = ("plotly/package_data/plotly.min.js", "dagster_webserver/graphiql/graphiql.min.js")
    found = [root / n for n in names if (root / n).is_file()]
    found += sorted(Path("/usr/share/javascript").rglob("*.min.js"))[:6]
    return tuple(p.read_bytes() for p in found)


@functools.cache
def real_images() -> tuple[bytes, ...]:
    paths = sorted(_site_packages().rglob("*.png"))[:40]
    return tuple(p.read_bytes() for p in paths if 200 < p.stat().st_size < 400_000)


@functools.cache
def real_prose() -> tuple[str, ...]:
    """Lines of running English from installed packages' descriptions and this repo's docs."""
    texts: list[str] = []
    for dist in importlib.metadata.distributions():
        texts.append(dist.metadata.get_payload() or "")  # type: ignore[attr-defined]
    for doc in sorted((REPO_ROOT / "docs").glob("*.md")):
        if doc.name != "redaction.md":  # its examples are secrets on purpose
            texts.append(doc.read_text(encoding="utf-8"))
    lines: list[str] = []
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            letters = sum(c.isalpha() or c == " " for c in line)
            if len(line) >= 40 and letters >= 0.9 * len(line) and " " in line:
                lines.append(line)
    return tuple(sorted(set(lines)))


def _git(*args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", str(REPO_ROOT), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout


@functools.cache
def real_git_log() -> tuple[str, ...]:
    """Commit blocks of this repository's ``git log --stat --format=fuller``."""
    text = _git("log", "--stat", "--format=fuller", "-n", "400")
    return tuple("commit " + b for b in text.split("\ncommit ") if b.strip())


@functools.cache
def real_git_patches() -> tuple[str, ...]:
    """``git log -p`` of this repository, leaving out the redaction tests and docs (whose
    examples are secrets on purpose)."""
    text = _git(
        "log",
        "-p",
        "-n",
        "60",
        "--",
        ".",
        ":(exclude)tests",
        ":(exclude)docs/redaction.md",
        ":(exclude)enforcement_agent/redaction",
        ":(exclude)benchmarks/perf",
    )
    return tuple("commit " + b for b in text.split("\ncommit ") if b.strip())


# --- generated pieces ------------------------------------------------------------------------


def _hex(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(_HEX) for _ in range(n))


def _uuid(rnd: random.Random) -> str:
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def _ts(rnd: random.Random) -> str:
    return (
        f"2026-11-{rnd.randrange(1, 29):02d}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:"
        f"{rnd.randrange(60):02d}.{rnd.randrange(1000):03d}Z"
    )


def _sentence(rnd: random.Random, n: int = 8) -> str:
    return " ".join(rnd.choice(_WORDS) for _ in range(n))


def _name(rnd: random.Random) -> tuple[str, str]:
    first = rnd.choice(("Ana", "Bo", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hui", "Ines"))
    last = rnd.choice(("Silva", "Novak", "Okafor", "Tanaka", "Berg", "Moreau", "Kowalski"))
    return f"{first} {last}", f"{first.lower()}.{last.lower()}@example.com"


def _path(rnd: random.Random) -> str:
    sources = real_sources()
    if sources:
        return rnd.choice(sources)[0]
    return f"src/{rnd.choice(_WORDS)}/{rnd.choice(_WORDS)}.py"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# --- the classes -----------------------------------------------------------------------------

Generator = Callable[[random.Random], Iterator[str]]


def git_log(rnd: random.Random) -> Iterator[str]:
    real = real_git_log()
    while True:
        if real and rnd.random() < 0.5:
            yield rnd.choice(real) + "\n"
            continue
        name, email = _name(rnd)
        sha = _hex(rnd, 40)
        kind = rnd.random()
        if kind < 0.2:
            for _ in range(20):
                yield (
                    f"* {_hex(rnd, 7)} {rnd.choice(('', '(HEAD -> main) ', '(tag: v1.4.2) '))}"
                    f"{_sentence(rnd, 6)}\n"
                )
            continue
        if kind < 0.3:
            for i in range(10):
                yield f"{_hex(rnd, 7)} HEAD@{{{i}}}: commit: {_sentence(rnd, 5)}\n"
            continue
        if kind < 0.4:
            src = rnd.choice(real_sources()) if real_sources() else ("x.py", ("pass",))
            start = rnd.randrange(max(1, len(src[1]) - 20))
            for i, line in enumerate(src[1][start : start + 20]):
                yield (
                    f"{_hex(rnd, 8)} ({name:<16} 2026-11-{rnd.randrange(1, 29):02d} "
                    f"1{rnd.randrange(10)}:0{rnd.randrange(10)}:00 +0100 {start + i + 1:4d}) {line}\n"
                )
            continue
        merge = f"Merge: {_hex(rnd, 7)} {_hex(rnd, 7)}\n" if rnd.random() < 0.2 else ""
        files = "".join(
            f" {_path(rnd):<60} | {rnd.randrange(1, 80):3d} {'+' * rnd.randrange(1, 20)}"
            f"{'-' * rnd.randrange(0, 10)}\n"
            for _ in range(rnd.randrange(1, 5))
        )
        yield (
            f"commit {sha}{rnd.choice(('', ' (HEAD -> main, origin/main)', ''))}\n{merge}"
            f"Author:     {name} <{email}>\nAuthorDate: Tue Nov 25 13:04:11 2026 +0100\n"
            f"Commit:     {name} <{email}>\nCommitDate: Tue Nov 25 13:09:45 2026 +0100\n\n"
            f"    {_sentence(rnd, 7)}\n\n    {_sentence(rnd, 12)}\n    {_sentence(rnd, 10)}\n\n"
            f"    Signed-off-by: {name} <{email}>\n    Change-Id: I{_hex(rnd, 40)}\n"
            f"    Reviewed-on: https://review.example.org/c/platform/+/{rnd.randrange(99999)}\n\n"
            f"{files} 3 files changed, {rnd.randrange(200)} insertions(+), "
            f"{rnd.randrange(90)} deletions(-)\n\n"
        )


def git_show(rnd: random.Random) -> Iterator[str]:
    real = real_git_patches()
    sources = real_sources()
    while True:
        if real and rnd.random() < 0.4:
            yield rnd.choice(real) + "\n"
            continue
        path, lines = rnd.choice(sources) if sources else ("a.py", ("x = 1",) * 40)
        name, email = _name(rnd)
        out = [
            f"commit {_hex(rnd, 40)}\nAuthor: {name} <{email}>\nDate:   Tue Nov 25 13:04:11 2026 "
            f"+0100\n\n    {_sentence(rnd, 8)}\n\n",
            f"diff --git a/{path} b/{path}\nindex {_hex(rnd, 9)}..{_hex(rnd, 9)} 100644\n"
            f"--- a/{path}\n+++ b/{path}\n",
        ]
        for _ in range(rnd.randrange(1, 4)):
            start = rnd.randrange(max(1, len(lines) - 30))
            hunk = lines[start : start + rnd.randrange(8, 30)]
            out.append(f"@@ -{start + 1},{len(hunk)} +{start + 1},{len(hunk) + 1} @@\n")
            for line in hunk:
                out.append(rnd.choice((" ", " ", " ", " ", "-", "+")) + line + "\n")
        yield "".join(out)


def docker(rnd: random.Random) -> Iterator[str]:
    images = ("python:3.12-slim", "node:20-alpine", "postgres:16", "ghcr.io/acme/api:1.4.2")
    while True:
        kind = rnd.random()
        image = rnd.choice(images)
        if kind < 0.3:
            layers = [_hex(rnd, 12) for _ in range(rnd.randrange(3, 8))]
            out = [f"Using default tag: latest\n{image.split(':')[0]}: Pulling from library\n"]
            for layer in layers:
                out.append(f"{layer}: Pulling fs layer\n")
                out.append(
                    f"{layer}: Downloading [=====>       ]  {rnd.randrange(99)}.3MB/45.6MB\n"
                )
                out.append(f"{layer}: Verifying Checksum\n{layer}: Download complete\n")
                out.append(f"{layer}: Pull complete\n")
            out.append(
                f"Digest: sha256:{_hex(rnd, 64)}\nStatus: Downloaded newer image for {image}\n"
            )
            out.append(f"docker.io/library/{image}\n")
            yield "".join(out)
        elif kind < 0.55:
            step = rnd.randrange(2, 12)
            yield (
                f"#{step} [{step - 1}/9] RUN pip install --no-cache-dir -r requirements.txt\n"
                f"#{step} sha256:{_hex(rnd, 64)} {rnd.randrange(50)}.2MB / 45.6MB "
                f"{rnd.random():.1f}s\n#{step} extracting sha256:{_hex(rnd, 64)} 0.{rnd.randrange(9)}s done\n"
                f"#{step} DONE {rnd.randrange(30)}.{rnd.randrange(9)}s\n"
                f"#{step + 1} exporting layers\n#{step + 1} writing image sha256:{_hex(rnd, 64)} done\n"
                f"#{step + 1} naming to docker.io/acme/app:{rnd.randrange(9)}.{rnd.randrange(9)}.0 done\n"
            )
        elif kind < 0.7:
            rows = "".join(
                f"{rnd.choice(images).split(':')[0]:<28} {rnd.choice(('latest', '3.12', '1.4.2')):<8} "
                f"{_hex(rnd, 12)}   {rnd.randrange(2, 9)} days ago   {rnd.randrange(50, 900)}MB\n"
                for _ in range(8)
            )
            yield (
                "REPOSITORY                   TAG      IMAGE ID       CREATED        SIZE\n" + rows
            )
        elif kind < 0.85:
            layers = [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": f"sha256:{_hex(rnd, 64)}",
                    "size": rnd.randrange(10**7),
                }
                for _ in range(rnd.randrange(2, 6))
            ]
            manifest = {
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {
                    "mediaType": "application/vnd.oci.image.config.v1+json",
                    "digest": f"sha256:{_hex(rnd, 64)}",
                    "size": rnd.randrange(9000),
                },
                "layers": layers,
                "annotations": {
                    "org.opencontainers.image.revision": _hex(rnd, 40),
                    "org.opencontainers.image.created": _ts(rnd),
                },
            }
            yield json.dumps(manifest, indent=2) + "\n"
        else:
            cid = _hex(rnd, 64)
            yield (
                json.dumps(
                    [
                        {
                            "Id": cid,
                            "Created": _ts(rnd),
                            "Image": f"sha256:{_hex(rnd, 64)}",
                            "RepoDigests": [f"{image.split(':')[0]}@sha256:{_hex(rnd, 64)}"],
                            "RootFS": {
                                "Type": "layers",
                                "Layers": [f"sha256:{_hex(rnd, 64)}" for _ in range(4)],
                            },
                            "Config": {
                                "Hostname": cid[:12],
                                "Image": image,
                                "Labels": {"com.docker.compose.project": "acme"},
                            },
                        }
                    ],
                    indent=4,
                )
                + "\n"
            )


def sha256sum(rnd: random.Random) -> Iterator[str]:
    dists = real_distributions()
    while True:
        kind = rnd.random()
        if dists and kind < 0.5:
            # Real digests of real files: the RECORD of an installed package, as sha256sum shows.
            name, version, *_, record = rnd.choice(dists)
            for line in record[:40]:
                path = line.split(",", 1)[0]
                digest = hashlib.sha256(line.encode()).hexdigest()
                yield f"{digest}  {path}\n"
            continue
        width, tool = rnd.choice(((64, "sha256"), (32, "md5"), (40, "sha1"), (128, "sha512")))
        path = f"dist/{rnd.choice(_WORDS)}-{rnd.randrange(9)}.{rnd.randrange(20)}.0.tar.gz"
        if rnd.random() < 0.2:
            yield f"{tool.upper()}({path})= {_hex(rnd, width)}\n"
        else:
            yield f"{_hex(rnd, width)}{rnd.choice(('  ', ' *'))}{path}\n"


def uuid_requests(rnd: random.Random) -> Iterator[str]:
    methods = ("GET", "GET", "GET", "POST", "PUT", "DELETE")
    while True:
        kind = rnd.random()
        rid, uid = _uuid(rnd), _uuid(rnd)
        path = rnd.choice(("/api/v1/orders/{u}", "/v2/jobs/{u}/runs", "/users/{u}/avatar")).format(
            u=_uuid(rnd)
        )
        if kind < 0.3:
            yield (
                f"{_ts(rnd)} INFO  [request_id={rid}] {rnd.choice(methods)} {path} "
                f"{rnd.choice((200, 201, 204, 404))} {rnd.random() * 90:.1f}ms user_id={uid} "
                f"tenant_id={_uuid(rnd)}\n"
            )
        elif kind < 0.6:
            yield (
                json.dumps(
                    {
                        "time": _ts(rnd),
                        "level": "info",
                        "request_id": rid,
                        "trace_id": _hex(rnd, 32),
                        "span_id": _hex(rnd, 16),
                        "method": rnd.choice(methods),
                        "path": path,
                        "status": 200,
                        "duration_ms": rnd.randrange(400),
                        "user_id": uid,
                        "client_ip": f"10.{rnd.randrange(255)}.{rnd.randrange(255)}.{rnd.randrange(255)}",
                        "user_agent": "python-httpx/0.27.0",
                    }
                )
                + "\n"
            )
        elif kind < 0.75:
            yield (
                f"10.0.{rnd.randrange(255)}.{rnd.randrange(255)} - - [25/Nov/2026:13:04:11 +0000] "
                f'"{rnd.choice(methods)} {path}?page={rnd.randrange(9)} HTTP/1.1" 200 '
                f'{rnd.randrange(9999)} "-" "curl/8.5.0" rt=0.0{rnd.randrange(99)} '
                f"req_id={_hex(rnd, 32)}\n"
            )
        elif kind < 0.85:
            yield (
                f"I1125 13:04:11.{rnd.randrange(999999):06d}       1 controller.go:{rnd.randrange(400)}] "
                f'"Reconciling" pod="default/api-{_hex(rnd, 9)}-{_hex(rnd, 5)}" uid="{uid}" '
                f'resourceVersion="{rnd.randrange(10**7)}"\n'
            )
        elif kind < 0.93:
            yield (
                f"START RequestId: {rid} Version: $LATEST\nEND RequestId: {rid}\n"
                f"REPORT RequestId: {rid}\tDuration: {rnd.random() * 90:.2f} ms\t"
                f"Billed Duration: {rnd.randrange(100)} ms\tMemory Size: 128 MB\n"
            )
        else:
            yield (
                f"> GET {path} HTTP/1.1\n> X-Request-ID: {rid}\n"
                f"> traceparent: 00-{_hex(rnd, 32)}-{_hex(rnd, 16)}-01\n"
                f'< ETag: "{_hex(rnd, 32)}"\n< X-Correlation-ID: {_uuid(rnd)}\n'
            )


def pytest_output(rnd: random.Random) -> Iterator[str]:
    tests = real_test_names() or (("tests/test_app.py", "test_it_works"),)
    while True:
        n = rnd.randrange(20, 200)
        out = [
            "============================= test session starts ==============================\n"
            "platform linux -- Python 3.11.2, pytest-8.3.3, pluggy-1.5.0\n"
            "rootdir: /home/dev/project\nconfigfile: pyproject.toml\n"
            "plugins: hypothesis-6.112.0, anyio-4.6.0\n"
            f"collected {n} items\n\n"
        ]
        for i in range(n):
            path, name = rnd.choice(tests)
            param = rnd.choice(("", f"[{rnd.randrange(9)}]", f"[{_uuid(rnd)[:8]}-case]"))
            status = rnd.choice(("PASSED", "PASSED", "PASSED", "PASSED", "SKIPPED", "FAILED"))
            out.append(f"{path}::{name}{param} {status:<47}[{100 * (i + 1) // n:3d}%]\n")
        path, name = rnd.choice(tests)
        a, b = _hex(rnd, 12), _hex(rnd, 12)
        out.append(
            "=================================== FAILURES ===================================\n"
            f"_________________________________ {name} _________________________________\n\n"
            f"    def {name}(client):\n        resp = client.get(f'/orders/{{order_id}}')\n"
            f">       assert resp.json()['id'] == order_id\n"
            f"E       AssertionError: assert 'ord_{a}' == 'ord_{b}'\nE         - ord_{b}\n"
            f"E         + ord_{a}\n\n{path}:{rnd.randrange(400)}: AssertionError\n"
            "----------------------------- Captured log call ------------------------------\n"
            f"INFO     app.orders:orders.py:88 created order ord_{a} in {rnd.randrange(90)}ms\n"
            "Falsifying example: test_roundtrip(\n"
            f"    data=b'\\x00\\x{rnd.randrange(16):x}f', n={rnd.randrange(99)},\n)\n"
            "=========================== short test summary info ============================\n"
            f"FAILED {path}::{name} - AssertionError: assert 'ord_{a}' == 'ord_{b}'\n"
            f"============ 1 failed, {n - 1} passed, 3 skipped in {rnd.random() * 90:.2f}s ============\n"
        )
        yield "".join(out)


def npm_output(rnd: random.Random) -> Iterator[str]:
    pkgs = real_npm_packages() or (("react", "18.3.1", "MIT", ()),)
    while True:
        kind = rnd.random()
        name, version, _, _ = rnd.choice(pkgs)
        if kind < 0.3:
            yield (
                f"npm http fetch GET 200 https://registry.npmjs.org/{name}/-/"
                f"{name.split('/')[-1]}-{version}.tgz {rnd.randrange(400)}ms (cache miss)\n"
            )
        elif kind < 0.45:
            yield f"npm WARN deprecated {name}@{version}: this version is no longer supported\n"
        elif kind < 0.6:
            yield (
                f"\nadded {rnd.randrange(2000)} packages, and audited {rnd.randrange(2000)} "
                f"packages in {rnd.randrange(60)}s\n\n{rnd.randrange(300)} packages are looking "
                "for funding\n  run `npm fund` for details\n\nfound 0 vulnerabilities\n"
            )
        elif kind < 0.8:
            assets = "".join(
                f"dist/assets/{rnd.choice(('index', 'vendor', 'chunk'))}-{_hex(rnd, 8)}.js"
                f"   {rnd.randrange(900)}.{rnd.randrange(99)} kB │ gzip: {rnd.randrange(300)}.1 kB\n"
                for _ in range(5)
            )
            yield (
                "\n> app@1.0.0 build\n> tsc -p . && vite build\n\nvite v5.4.8 building for "
                f"production...\n✓ {rnd.randrange(3000)} modules transformed.\n{assets}"
                f"✓ built in {rnd.random() * 9:.2f}s\n"
            )
        else:
            yield (
                f"npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\n"
                f"npm ERR! Found: {name}@{version}\nnpm ERR! node_modules/{name}\n"
                f"npm ERR! A complete log of this run can be found in: /root/.npm/_logs/"
                f"2026-11-25T13_04_11_{rnd.randrange(999)}Z-debug-0.log\n"
            )


def pip_output(rnd: random.Random) -> Iterator[str]:
    dists = real_distributions() or (("requests", "2.32.3", "", ">=3.8", (), ()),)
    while True:
        name, version, *_ = rnd.choice(dists)
        wheel = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        kind = rnd.random()
        if kind < 0.45:
            yield (
                f"Collecting {name}>={version.split('.')[0]} (from -r requirements.txt (line "
                f"{rnd.randrange(40)}))\n  Downloading {wheel}.metadata ({rnd.randrange(40)} kB)\n"
                f"  Downloading https://files.pythonhosted.org/packages/{_hex(rnd, 2)}/"
                f"{_hex(rnd, 2)}/{_hex(rnd, 60)}/{wheel} ({rnd.randrange(900)} kB)\n"
                f"     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ {rnd.randrange(900)}.1/900.0 kB "
                f"{rnd.randrange(9)}.1 MB/s eta 0:00:00\n"
            )
        elif kind < 0.7:
            yield (
                f"Requirement already satisfied: {name}>={version} in ./.venv/lib/python3.11/"
                f"site-packages (from -r requirements.txt (line {rnd.randrange(40)})) ({version})\n"
            )
        elif kind < 0.85:
            yield (
                f"  Building wheel for {name} (pyproject.toml) ... done\n  Created wheel for "
                f"{name}: filename={wheel} size={rnd.randrange(10**6)} sha256={_hex(rnd, 64)}\n"
                f"  Stored in directory: /root/.cache/pip/wheels/{_hex(rnd, 2)}/{_hex(rnd, 2)}/"
                f"{_hex(rnd, 60)}\n"
            )
        else:
            names = " ".join(f"{d[0]}-{d[1]}" for d in rnd.sample(dists, min(6, len(dists))))
            yield f"Installing collected packages: {name}\nSuccessfully installed {names}\n"


def cargo_output(rnd: random.Random) -> Iterator[str]:
    crates = (
        "serde",
        "serde_derive",
        "tokio",
        "proc-macro2",
        "syn",
        "quote",
        "anyhow",
        "clap",
        "hyper",
        "rand",
        "regex",
        "libc",
        "memchr",
        "itoa",
        "ryu",
        "bytes",
        "tracing",
    )
    while True:
        kind = rnd.random()
        crate = rnd.choice(crates)
        version = f"{rnd.randrange(3)}.{rnd.randrange(40)}.{rnd.randrange(200)}"
        if kind < 0.5:
            yield f"{rnd.choice(('  Downloaded', '   Compiling', '    Checking'))} {crate} v{version}\n"
        elif kind < 0.7:
            line = rnd.randrange(1, 400)
            yield (
                f"warning: unused variable: `{rnd.choice(_WORDS)}`\n  --> src/{crate}.rs:{line}:9\n"
                f"   |\n{line:<3}|     let {rnd.choice(_WORDS)} = compute(&config)?;\n   |         ^ "
                "help: if this is intentional, prefix it with an underscore\n   |\n"
                "   = note: `#[warn(unused_variables)]` on by default\n\n"
            )
        elif kind < 0.85:
            yield (
                f"     Running unittests src/lib.rs (target/debug/deps/{crate}-{_hex(rnd, 16)})\n"
                + "".join(f"test tests::{rnd.choice(_WORDS)}_{i} ... ok\n" for i in range(8))
                + "\ntest result: ok. 8 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; "
                f"finished in 0.{rnd.randrange(99)}s\n\n"
            )
        else:
            yield (
                f"    Finished `release` profile [optimized] target(s) in {rnd.random() * 99:.2f}s\n"
                f"     Running `target/release/{crate}`\n"
            )


def _npm_lock_entry(
    rnd: random.Random, pkg: tuple[str, str, str, tuple[tuple[str, str], ...]]
) -> str:
    name, version, lic, deps = pkg
    integrity = _b64(hashlib.sha512(f"{name}@{version}".encode()).digest())
    entry: dict[str, object] = {
        "version": version,
        "resolved": f"https://registry.npmjs.org/{name}/-/{name.split('/')[-1]}-{version}.tgz",
        "integrity": f"sha512-{integrity}",
        "license": lic,
    }
    if deps:
        entry["dependencies"] = dict(deps)
    if rnd.random() < 0.3:
        entry["engines"] = {"node": "^18.17.0 || >=20.5.0"}
    body = json.dumps({f"node_modules/{name}": entry}, indent=2)[2:-2]
    return "    " + body.replace("\n", "\n  ") + ",\n"


def lockfile_npm(rnd: random.Random) -> Iterator[str]:
    pkgs = real_npm_packages() or (("react", "18.3.1", "MIT", ()),)
    while True:
        yield '{\n  "name": "app",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n'
        yield '  "requires": true,\n  "packages": {\n'
        for pkg in rnd.sample(pkgs, min(len(pkgs), 60)):
            yield _npm_lock_entry(rnd, pkg)
        yield "  }\n}\n"
        # yarn.lock entries for the same packages
        for name, version, _, _ in rnd.sample(pkgs, min(len(pkgs), 40)):
            integrity = _b64(hashlib.sha512(f"{name}@{version}".encode()).digest())
            yield (
                f'"{name}@^{version}":\n  version "{version}"\n  resolved '
                f'"https://registry.yarnpkg.com/{name}/-/{name.split("/")[-1]}-{version}.tgz#'
                f'{hashlib.sha1(name.encode()).hexdigest()}"\n  integrity sha512-{integrity}\n\n'
            )


def lockfile_python(rnd: random.Random) -> Iterator[str]:
    dists = real_distributions() or (("requests", "2.32.3", "HTTP", ">=3.8", (), ()),)
    while True:
        kind = rnd.random()
        name, version, summary, requires_python, requires, record = rnd.choice(dists)
        # Real digests of real data: each file's digest is the sha256 of its RECORD line.
        wheel = hashlib.sha256("\n".join(record).encode()).hexdigest()
        sdist = hashlib.sha256(f"{name}-{version}".encode()).hexdigest()
        if kind < 0.45:
            deps = "".join(
                f"{r.split(';')[0].split(' ')[0].split('>')[0].split('=')[0].split('<')[0]} = "
                f'"{r.split(";")[0][len(r.split(";")[0].split(" ")[0]) :].strip() or "*"}"\n'
                for r in requires[:6]
                if r and r[0].isalpha()
            )
            yield (
                f'[[package]]\nname = "{name.lower()}"\nversion = "{version}"\n'
                f'description = "{summary}"\noptional = false\npython-versions = "{requires_python}"\n'
                f'files = [\n    {{file = "{name.replace("-", "_")}-{version}-py3-none-any.whl", '
                f'hash = "sha256:{wheel}"}},\n    {{file = "{name.lower()}-{version}.tar.gz", '
                f'hash = "sha256:{sdist}"}},\n]\n\n'
                + (f"[package.dependencies]\n{deps}\n" if deps else "")
            )
        elif kind < 0.65:
            yield f"{name}=={version} \\\n    --hash=sha256:{wheel} \\\n    --hash=sha256:{sdist}\n"
        elif kind < 0.85:
            # The installed RECORD itself: path,sha256=<urlsafe base64>,size
            start = rnd.randrange(max(1, len(record) - 30))
            yield "".join(line + "\n" for line in record[start : start + 30])
        elif kind < 0.95:
            yield (
                f'[[package]]\nname = "{name.lower().replace("-", "_")}"\nversion = "{version}"\n'
                f'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
                f'checksum = "{wheel}"\n\n'
            )
        else:
            h1 = _b64(hashlib.sha256(wheel.encode()).digest())
            yield (
                f"github.com/{name.lower()}/{name.lower()} v{version} h1:{h1}\n"
                f"github.com/{name.lower()}/{name.lower()} v{version}/go.mod h1:{_b64(bytes.fromhex(sdist))}\n"
            )


def minified_js(rnd: random.Random) -> Iterator[str]:
    files = real_minified_js()
    if not files:
        files = (b"!function(e,t){'use strict';var n=function(e){return e*2};e.x=n}(window);",)
    while True:
        data = rnd.choice(files)
        start = rnd.randrange(max(1, len(data) - 65536))
        yield data[start : start + 65536].decode("utf-8", "replace") + "\n"


def base64_json(rnd: random.Random) -> Iterator[str]:
    images = real_images() or (bytes(range(256)) * 8,)
    sources = real_sources()
    while True:
        kind = rnd.random()
        if kind < 0.45:
            img = rnd.choice(images)
            yield (
                json.dumps(
                    {
                        "id": _uuid(rnd),
                        "name": f"icon-{rnd.randrange(99)}.png",
                        "content_type": "image/png",
                        "size": len(img),
                        "data": _b64(img),
                    }
                )
                + "\n"
            )
        elif kind < 0.7 and sources:
            path, lines = rnd.choice(sources)
            text = "\n".join(lines[:80]).encode()
            content = _b64(text)
            wrapped = "\n".join(content[i : i + 60] for i in range(0, len(content), 60))
            yield (
                json.dumps(
                    {
                        "type": "file",
                        "encoding": "base64",
                        "size": len(text),
                        "name": path.split("/")[-1],
                        "path": path,
                        "content": wrapped,
                        "sha": _hex(rnd, 40),
                        "url": f"https://api.github.com/repos/acme/app/contents/{path}?ref=main",
                    },
                    indent=2,
                )
                + "\n"
            )
        elif kind < 0.85:
            img = rnd.choice(images)
            yield (
                json.dumps(
                    {
                        "cell_type": "code",
                        "execution_count": rnd.randrange(99),
                        "outputs": [
                            {
                                "output_type": "display_data",
                                "data": {"image/png": _b64(img), "text/plain": ["<Figure>"]},
                            }
                        ],
                    }
                )
                + "\n"
            )
        else:
            yield (
                f".icon-{rnd.randrange(99)} {{ background-image: url(data:image/png;base64,"
                f"{_b64(rnd.choice(images))}); }}\n"
            )


def stack_traces(rnd: random.Random) -> Iterator[str]:
    sources = real_sources() or (("app/main.py", ("def main():", "    run()")),)
    while True:
        kind = rnd.random()
        if kind < 0.4:
            out = ["Traceback (most recent call last):\n"]
            for _ in range(rnd.randrange(3, 9)):
                path, lines = rnd.choice(sources)
                defs = [
                    (i, line) for i, line in enumerate(lines) if line.lstrip().startswith("def ")
                ]
                i, line = rnd.choice(defs) if defs else (0, "def f():")
                func = line.split("def ", 1)[1].split("(", 1)[0]
                body = lines[min(i + 1, len(lines) - 1)].strip()
                out.append(
                    f'  File "/app/.venv/lib/python3.11/site-packages/{path}", line {i + 2}, '
                    f"in {func}\n    {body}\n"
                )
            out.append(
                f"{rnd.choice(('KeyError', 'ValueError', 'TimeoutError'))}: "
                f"'{rnd.choice(_WORDS)}' not found in {rnd.choice(_WORDS)}\n"
            )
            yield "".join(out)
        elif kind < 0.6:
            frames = "".join(
                f"\tat com.acme.{rnd.choice(_WORDS)}.{rnd.choice(_WORDS).title()}Service."
                f"{rnd.choice(_WORDS)}({rnd.choice(_WORDS).title()}Service.java:{rnd.randrange(900)})\n"
                for _ in range(12)
            )
            yield (
                f"{_ts(rnd)} ERROR [http-nio-8080-exec-{rnd.randrange(20)}] o.a.c.c.C.[.[.[/]."
                "[dispatcherServlet] : Servlet.service() threw exception\n"
                f"java.lang.IllegalStateException: {_sentence(rnd, 5)}\n{frames}"
                "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
                f"Caused by: java.net.SocketTimeoutException: Read timed out\n\t... {rnd.randrange(90)} more\n"
            )
        elif kind < 0.75:
            frames = "".join(
                f"    at {rnd.choice(_WORDS)}{rnd.choice(('', '.<anonymous>', 'Handler'))} "
                f"(/app/node_modules/{rnd.choice(_WORDS)}/lib/index.js:{rnd.randrange(900)}:"
                f"{rnd.randrange(80)})\n"
                for _ in range(8)
            )
            yield f"TypeError: Cannot read properties of undefined (reading '{rnd.choice(_WORDS)}')\n{frames}"
        elif kind < 0.9:
            frames = "".join(
                f"main.(*{rnd.choice(_WORDS).title()}).{rnd.choice(_WORDS).title()}(0xc000{_hex(rnd, 6)}, "
                f"{{0x{_hex(rnd, 7)}, 0xc000{_hex(rnd, 6)}}})\n\t/app/{rnd.choice(_WORDS)}.go:"
                f"{rnd.randrange(900)} +0x{_hex(rnd, 3)}\n"
                for _ in range(6)
            )
            yield (
                f"panic: runtime error: invalid memory address or nil pointer dereference\n"
                f"[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x{_hex(rnd, 7)}]\n\n"
                f"goroutine {rnd.randrange(99)} [running]:\n{frames}exit status 2\n"
            )
        else:
            commit = _hex(rnd, 40)
            frames = "".join(
                f"  {i:2d}: {rnd.choice(('std::panicking', 'core::panicking', 'app::server'))}::"
                f"{rnd.choice(_WORDS)}\n             at /rustc/{commit}/library/std/src/"
                f"{rnd.choice(_WORDS)}.rs:{rnd.randrange(900)}:{rnd.randrange(40)}\n"
                for i in range(8)
            )
            yield (
                f"thread 'main' panicked at src/main.rs:{rnd.randrange(99)}:5:\n"
                f"called `Result::unwrap()` on an `Err` value: {_sentence(rnd, 4)}\n"
                f"stack backtrace:\n{frames}"
            )


def csv_export(rnd: random.Random) -> Iterator[str]:
    while True:
        sep = rnd.choice((",", ",", "\t"))
        cols = (
            "id",
            "order_uuid",
            "created_at",
            "customer_email",
            "amount_cents",
            "currency",
            "status",
            "sku",
            "country",
            "ip",
            "user_agent",
            "checksum_sha256",
        )
        yield sep.join(cols) + "\n"
        for i in range(rnd.randrange(50, 300)):
            _, email = _name(rnd)
            row = (
                str(100000 + i),
                _uuid(rnd),
                _ts(rnd),
                email,
                str(rnd.randrange(10**6)),
                rnd.choice(("EUR", "USD", "GBP")),
                rnd.choice(("paid", "refunded", "pending")),
                f"SKU-{rnd.randrange(9999):04d}-{rnd.choice('ABCDEFGH')}",
                rnd.choice(("DE", "FR", "US", "JP", "BR")),
                f"10.{rnd.randrange(255)}.{rnd.randrange(255)}.{rnd.randrange(255)}",
                '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"'
                if sep == ","
                else "curl/8.5",
                _hex(rnd, 64),
            )
            yield sep.join(row) + "\n"


_C = {
    "red": "\x1b[31m",
    "green": "\x1b[32m",
    "yellow": "\x1b[33m",
    "blue": "\x1b[34m",
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "reset": "\x1b[0m",
    "dir": "\x1b[01;34m",
    "exe": "\x1b[01;32m",
    "grep": "\x1b[01;31m\x1b[K",
    "grep_end": "\x1b[m\x1b[K",
}


def ansi_terminal(rnd: random.Random) -> Iterator[str]:
    tests = real_test_names() or (("tests/test_app.py", "test_it_works"),)
    sources = real_sources() or (("a.py", ("x = 1",) * 40),)
    c = _C
    while True:
        kind = rnd.random()
        if kind < 0.25:
            path, name = rnd.choice(tests)
            ok = rnd.random() < 0.9
            yield (
                f"{path}::{name} {c['green'] if ok else c['red']}{'PASSED' if ok else 'FAILED'}"
                f"{c['reset']}{' ' * 20}{c['green']}[{rnd.randrange(100):3d}%]{c['reset']}\n"
            )
        elif kind < 0.4:
            yield "".join(
                f"{rnd.choice(('drwxr-xr-x', '-rw-r--r--', '-rwxr-xr-x'))}  2 dev dev "
                f"{rnd.randrange(99999):>6} Nov 25 13:04 "
                f"{rnd.choice((c['dir'], c['exe'], ''))}{rnd.choice(_WORDS)}"
                f"{rnd.choice(('', '.py', '.md'))}{c['reset']}\n"
                for _ in range(10)
            )
        elif kind < 0.6:
            path, lines = rnd.choice(sources)
            start = rnd.randrange(max(1, len(lines) - 12))
            out = [
                f"{c['bold']}diff --git a/{path} b/{path}{c['reset']}\n",
                f"{c['bold']}index {_hex(rnd, 7)}..{_hex(rnd, 7)} 100644{c['reset']}\n",
                f"\x1b[36m@@ -{start},12 +{start},12 @@{c['reset']}\n",
            ]
            for line in lines[start : start + 12]:
                mark = rnd.choice(" +-  ")
                col = {"+": c["green"], "-": c["red"]}.get(mark, "")
                out.append(f"{col}{mark}{line}{c['reset'] if col else ''}\n")
            yield "".join(out)
        elif kind < 0.75:
            word = rnd.choice(_WORDS)
            path, lines = rnd.choice(sources)
            line = rnd.choice(lines) or "pass"
            yield (
                f"\x1b[35m{path}\x1b[m\x1b[K\x1b[36m:\x1b[m\x1b[K\x1b[32m{rnd.randrange(900)}"
                f"\x1b[m\x1b[K\x1b[36m:\x1b[m\x1b[K{line.replace(word, c['grep'] + word + c['grep_end'])}\n"
            )
        elif kind < 0.9:
            yield (
                f"{c['bold']}{c['yellow']}warning{c['reset']}{c['bold']}: unused variable: "
                f"`{rnd.choice(_WORDS)}`{c['reset']}\n  {c['bold']}\x1b[34m-->{c['reset']} "
                f"src/main.rs:{rnd.randrange(400)}:9\n"
            )
        else:
            yield (
                "".join(
                    f"\r\x1b[2K{c['dim']}[{'#' * i}{'.' * (20 - i)}]{c['reset']} {i * 5}% "
                    f"{rnd.choice(_WORDS)}"
                    for i in range(21)
                )
                + "\n"
            )


def prose(rnd: random.Random) -> Iterator[str]:
    lines = real_prose() or (_sentence(rnd, 12),)
    while True:
        if rnd.random() < 0.8:
            yield rnd.choice(lines) + "\n"
        else:
            yield _sentence(rnd, rnd.randrange(6, 20)).capitalize() + ".\n"


def config_refs(rnd: random.Random) -> Iterator[str]:
    """Configuration that names secrets without holding them: templates, env references."""
    while True:
        kind = rnd.random()
        svc = rnd.choice(("api", "worker", "billing", "search"))
        if kind < 0.25:
            yield (
                f"  {svc}:\n    image: ghcr.io/acme/{svc}:1.{rnd.randrange(9)}.0\n    environment:\n"
                f"      - POSTGRES_PASSWORD=${{POSTGRES_PASSWORD}}\n      - REDIS_URL=redis://redis:6379/0\n"
                f'      - LOG_LEVEL=info\n    ports:\n      - "80{rnd.randrange(10, 99)}:8000"\n'
                f"    depends_on:\n      - db\n"
            )
        elif kind < 0.45:
            yield (
                f"      - name: Publish {svc}\n        run: npm publish --access public\n"
                "        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n"
                f"          REGISTRY: ghcr.io\n      - uses: actions/checkout@v4\n"
                f"        with:\n          fetch-depth: 0\n"
            )
        elif kind < 0.6:
            yield (
                f"        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n"
                f"              name: {svc}-db-credentials\n              key: password\n"
                f'        - name: PORT\n          value: "8080"\n'
            )
        elif kind < 0.8:
            yield (
                f'DATABASE_URL = os.environ["DATABASE_URL"]\nSECRET_KEY = os.environ.get("SECRET_KEY")\n'
                f'DEBUG = False\nALLOWED_HOSTS = ["{svc}.example.com"]\n'
                f"TIMEOUT_SECONDS = {rnd.randrange(5, 90)}\n"
            )
        else:
            yield (
                f'resource "aws_db_instance" "{svc}" {{\n  engine         = "postgres"\n'
                f'  instance_class = "db.t3.micro"\n  username       = "{svc}"\n'
                f"  password       = var.db_password\n  skip_final_snapshot = true\n}}\n\n"
            )


def mixed_logs(rnd: random.Random) -> Iterator[str]:
    """The original benchmark's mix (access lines, JSON app logs, plain lines), clean."""
    from benchmarks.perf.bench_redaction import mixed_logs as original

    while True:
        text = original(1 << 20, seed=rnd.randrange(10**9)).decode()
        # Drop the original's planted secrets: this class is clean like every other.
        yield "".join(line + "\n" for line in text.splitlines() if _clean_mixed(line))


def _clean_mixed(line: str) -> bool:
    return not any(w in line for w in ("TOKEN=", "password=", "Bearer ", "postgres://"))


CLASSES: dict[str, Generator] = {
    "git_log": git_log,
    "git_show": git_show,
    "docker_oci": docker,
    "sha256sum": sha256sum,
    "uuid_request_logs": uuid_requests,
    "pytest": pytest_output,
    "npm": npm_output,
    "pip": pip_output,
    "cargo": cargo_output,
    "lockfile_npm": lockfile_npm,
    "lockfile_python": lockfile_python,
    "minified_js": minified_js,
    "base64_json": base64_json,
    "stack_traces": stack_traces,
    "csv_export": csv_export,
    "ansi_terminal": ansi_terminal,
    "prose": prose,
    "config_refs": config_refs,
    "mixed_logs": mixed_logs,
}


def corpus(name: str, n_bytes: int, seed: int = 7) -> bytes:
    """About ``n_bytes`` of class ``name`` (whole records; deterministic for a seed)."""
    rnd = random.Random(f"{name}:{seed}")
    out: list[bytes] = []
    size = 0
    for record in CLASSES[name](rnd):
        data = record.encode("utf-8", "replace")
        out.append(data)
        size += len(data)
        if size >= n_bytes:
            break
    return b"".join(out)


def planted(data: bytes, every: int = 2000, seed: int = 11) -> tuple[bytes, list[bytes]]:
    """``data`` with a secret line inserted after about every ``every``-th line ("mostly clean"),
    and the secrets planted (each must be gone after redaction)."""
    from benchmarks.perf.bench_redaction import _secret_line

    rnd = random.Random(seed)
    lines = data.splitlines(keepends=True)
    out: list[bytes] = []
    secrets: list[bytes] = []
    for i, line in enumerate(lines):
        out.append(line)
        if i % every == every - 1 and line.endswith(b"\n"):
            secret_line = _secret_line(rnd)
            out.append(secret_line.encode() + b"\n")
            secrets.append(_planted_value(secret_line))
    return b"".join(out), secrets


def _planted_value(line: str) -> bytes:
    """The secret in one of ``bench_redaction._secret_line``'s lines."""
    m = re.search(r"=(gh\w+)$|:([A-Za-z0-9]{12})@|password=(\w+)|Bearer (\w+)", line)
    assert m is not None, line
    return next(g for g in m.groups() if g).encode()
