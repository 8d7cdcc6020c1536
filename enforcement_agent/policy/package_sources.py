"""Dependencies a project file declares from somewhere other than the configured index.

`pip install git+https://…`, `npm install user/repo` and `uv add ../x` are refused on the
command line (`exec.packages.*-remote-source`): code from a source nobody configured. A project
file can say the same: `x @ https://…` or `x @ git+https://…` in `pyproject.toml`'s
dependencies, `{ git = "…" }`/`{ url = "…" }`/`{ path = "/…" }` sources of uv, Poetry, PDM and
Pipfile, `"x": "git+https://…"`, `"github:u/r"`, `"u/r"`, `"https://…/x.tgz"` or `"file:../.."`
in `package.json` (a thirteenth red-team pass: `pip install -e .`, `uv sync`, `npm install`
with such a file fetched and built the declared code). An install that reads one asks, like
an install that reads another package index (`exec.packages.project-index`); a line that
writes one into a Python project file is refused.
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Callable, Iterable

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy import fnmatch_linear
from enforcement_agent.policy.regular_reads import read_regular

SOURCE_RULE = "exec.packages.project-source"

# Remote direct references in Python project and requirement text (any quoting: a search):
# PEP 508 `name @ scheme:…` (an e-mail address has no `scheme:` after its `@`), a VCS URL
# anywhere, and the `{ git = … }`/`{ url = … }`/`{ file = … }` sources of uv, Poetry, PDM,
# Pipfile (inline tables, or a `git = ` line of a dependency's own table).
PY_REMOTE = lazy_compile(
    r"(?im)@\s*(?:[a-z][a-z0-9.-]*\+)?[a-z][a-z0-9.-]*:"
    r"|\b(?:git|hg|svn|bzr)\+[a-z]+:"
    # (from the innermost brace: a line of unclosed braces must stay linear to read)
    r"|\{[^{}\n]*\b(?:git|url|hg|svn|file)\s*=\s*[\"']"
    r"|^[^\S\n]*(?:git|hg|svn)\s*=\s*[\"']"
)
# A local path source (`{ path = "…" }`, `x @ file:///…`, `file:` of npm): resolved against
# the file's directory, asked only when it leaves the workspace.
_PY_PATH = lazy_compile(r"(?i)\bpath\s*=\s*[\"']([^\"'\n]+)[\"']")
_PY_FILE_URL = lazy_compile(r"(?i)@\s*file:(?://)?([^\s\"';,\]]+)")
# Python project files that name dependencies (written by a line: checked for PY_REMOTE).
PY_PROJECT_FILES = lazy_compile(
    r"(?i)(?:^|.*/)(?:pyproject\.toml|poetry\.toml|pdm\.toml|uv\.toml|pipfile|setup\.cfg"
    r"|[^/]*requirements[^/]*\.(?:txt|in)|requirements/[^/]+\.(?:txt|in)|constraints[^/]*\.txt)$"
)
_NPM_SECTIONS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies",
                 "bundledDependencies", "overrides", "resolutions")  # fmt: skip
_NPM_REMOTE = lazy_compile(
    r"(?i)^(?:git\+|git:|git@|github:|gitlab:|bitbucket:|gist:|https?:|ssh:|ftp:)|://"
)
_NPM_SHORTHAND = lazy_compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:#.*)?$")
_NPM_LOCAL = ("file:", "link:", "portal:")
_MAX_FILE = 256 << 10
_MAX_TOTAL = 8 << 20  # bytes of workspace members' package.json read per decision
_MAX_WORKSPACES = 256
_MAX_LOCK = 8 << 20  # a lockfile of a large monorepo is several MB; read whole, once per decision


def small_text(path: str, limit: int = _MAX_FILE) -> str | None:
    """The text of a regular file of at most ``limit`` bytes (not through a link), or None."""
    data = read_regular(path, limit, limit, follow_links=False)
    return None if data is None else data.decode("utf-8", "replace")


def python_source(text: str, base: str, inside: Callable[[str], bool]) -> str:
    """What in Python project/requirement ``text`` (of a file in ``base``) names a source other
    than the index: a remote reference, or a local path that leaves the workspace; ""."""
    for m in PY_REMOTE.finditer(text):
        if not _PY_FILE_URL.match(text, m.start()):
            return m.group(0).strip()
    for rx in (_PY_PATH, _PY_FILE_URL):
        for pm in rx.finditer(text):
            if not _local_ok(pm.group(1), base, inside):
                return pm.group(0).strip()
    return ""


def _local_ok(raw: str, base: str, inside: Callable[[str], bool]) -> bool:
    if raw.startswith("~") or "$" in raw or "%" in raw:
        return False
    return inside(os.path.normpath(os.path.join(base, raw)))


def npm_source(path: str, inside: Callable[[str], bool], depth: int = 0) -> str:
    """The first dependency of the package.json at ``path`` (or of a workspace package it
    lists) that comes from a URL, git host, `user/repo` shorthand or a path out of the
    workspace, as `name: spec`; "" when none (or the file cannot be read as JSON)."""
    text = small_text(path)
    if text is None:
        # too large or not a regular file (a link): npm reads it all the same
        return "" if not os.path.lexists(path) else "package.json: cannot be read (size, link)"
    try:
        doc = json.loads(text)
    except ValueError:
        return ""
    if not isinstance(doc, dict):
        return ""
    base = os.path.dirname(path)
    maps: list[object] = [doc.get(k) for k in _NPM_SECTIONS]
    pnpm = doc.get("pnpm")
    if isinstance(pnpm, dict):
        maps.append(pnpm.get("overrides"))
    for name, spec in _specs(maps):
        if _npm_spec_bad(spec, base, inside):
            return f"{name}: {spec}"
    if depth == 0:
        try:
            members = _workspace_members(doc, base, inside)
        except TooManyMembers as exc:
            return f"workspaces: {exc} (more packages than are read per decision)"
        for member in members:
            hit = npm_source(member, inside, depth + 1)
            if hit:
                return f"{os.path.relpath(member, base)} {hit}"
    return ""


def _specs(maps: Iterable[object]) -> Iterable[tuple[str, str]]:
    stack = [m for m in maps if isinstance(m, dict)]
    seen = 0
    while stack and seen < 4096:
        m = stack.pop()
        for k, v in m.items():
            seen += 1
            if isinstance(v, str):
                yield str(k), v
            elif isinstance(v, dict):
                stack.append(v)


def _npm_spec_bad(spec: str, base: str, inside: Callable[[str], bool]) -> bool:
    s = spec.strip()
    alias = s[4:] if s.lower().startswith("npm:") else ""
    if alias:  # `npm:name@range` is the registry; `npm:name@https://…` is not
        s = alias.rpartition("@")[2] if alias.count("@") > alias.startswith("@") else ""
    if _NPM_REMOTE.search(s) or _NPM_SHORTHAND.match(s):
        return True
    low = s.lower()
    for prefix in _NPM_LOCAL:
        if low.startswith(prefix):
            return not _local_ok(s[len(prefix) :], base, inside)
    if s.startswith(("/", "./", "../", "~/")):
        return not _local_ok(s, base, inside)
    return False


def _workspace_members(
    doc: dict[str, object], base: str, inside: Callable[[str], bool]
) -> list[str]:
    spaces = doc.get("workspaces")
    if isinstance(spaces, dict):
        spaces = spaces.get("packages")
    if not isinstance(spaces, list):
        return []
    out: list[str] = []
    budget = [_MAX_ENTRIES]
    for pattern in spaces[:_MAX_WORKSPACES]:
        if not isinstance(pattern, str) or pattern.startswith("!"):
            continue
        found = _expand(base, pattern, budget)
        if found is None:
            raise TooManyMembers(pattern)
        out += [f for f in found if inside(os.path.realpath(f))]
        if len(out) >= _MAX_WORKSPACES:
            raise TooManyMembers(pattern)
    total = 0
    for f in out:
        try:
            total += os.lstat(f).st_size
        except OSError:
            continue
        if total > _MAX_TOTAL:
            raise TooManyMembers("their package.json files together")
    return out


class TooManyMembers(Exception):
    """A package.json's workspaces name more directories than are read per decision."""


_MAX_ENTRIES = 4096  # directory entries a decision looks at to expand `workspaces`


def _expand(base: str, pattern: str, budget: list[int]) -> list[str] | None:
    """The package.json files of the directories ``pattern`` (a workspaces glob: `*`, `?`,
    `[…]` per component; `**` as `*`) matches under ``base``, looking at no more than
    ``budget`` directory entries in all (None past it: the answer would be unbounded work)."""
    dirs = [base]
    for part in [p for p in pattern.strip("/").split("/") if p not in ("", ".")]:
        nxt: list[str] = []
        for d in dirs:
            if part == "..":
                nxt.append(os.path.dirname(d))
            elif glob.has_magic(part):
                try:
                    with os.scandir(d) as it:
                        for e in it:
                            budget[0] -= 1
                            if budget[0] < 0:
                                return None
                            if e.is_dir(follow_symlinks=False) and fnmatch_linear.fnmatchcase(
                                e.name, part.replace("**", "*")
                            ):
                                nxt.append(e.path)
                except OSError:
                    continue
            elif os.path.isdir(os.path.join(d, part)):
                nxt.append(os.path.join(d, part))
        dirs = nxt
        if len(dirs) > _MAX_WORKSPACES:
            return None
    return [p for d in dirs if os.path.isfile(p := os.path.join(d, "package.json"))]


# Lockfiles an install reads before (or instead of) package.json: npm ci installs exactly what
# package-lock.json/npm-shrinkwrap.json resolve to, yarn and pnpm their own lockfiles, and a
# `resolved` URL on another host, a git URL or a `file:` path out of the workspace is fetched
# and its install scripts run (a fourteenth red-team pass: `npm ci` fetched
# http://127.0.0.1:8765/x-1.0.0.tgz named in package-lock.json, shown with npm 9).
LOCKFILES = (
    "npm-shrinkwrap.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock",
    "bun.lockb",
)  # fmt: skip
LOCK_FILE_NAMES = lazy_compile(
    r"(?i)(?:^|.*/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml"
    r"|bun\.lockb?|\.pnpm-lock\.yaml|\.package-lock\.json)$"
)
# The public registries a lockfile's tarballs may come from (what npm, yarn and pnpm write by
# default; a project whose .npmrc names another registry asks, as the install of it would).
_REGISTRY_HOSTS = frozenset({"registry.npmjs.org", "registry.yarnpkg.com", "registry.npmjs.com"})
_URL_HOST = lazy_compile(r"(?i)^[a-z][a-z0-9+.-]*://(?:[^/@?#]*@)?([^/:?#]+)")
# yarn v1 `resolved "…"`, yarn berry `resolution: "name@…"`, pnpm `tarball: …`, `repo: …`,
# `directory: …`, and `version: link:…`/`file:…` (and `/name@file:…` keys)
_LOCK_TEXT_VALUES = lazy_compile(
    r"(?im)^[^\S\n]*[\"']?(?:resolved|resolution|tarball|repo|directory|version|specifier)[\"']?[ \t]*:?[ \t]*"
    r"[\"']?(?!\{)([^\"'\s,}]+)"
    r"|\b(?:tarball|repo|directory|resolved|resolution|version)[\"']?\s*:\s*[\"']?([^\"'\s,}]+)"
)
_JSON_LOCK_VALUE = lazy_compile(
    r'"(?:resolved|version)"\s*:\s*"(?!https://registry\.npmjs\.org/|[0-9])([^"]*)"'
)
# A line's text that edits a lockfile's sources (`echo '"resolved": "https://…"' >>
# package-lock.json`, `sed -i 's#registry.npmjs.org#…#' yarn.lock`)
LOCK_EDIT = lazy_compile(
    r"(?i)://|\b(?:git\+|github:|gitlab:|bitbucket:|file:|link:|portal:)"
    r"|\b(?:resolved|tarball|resolution|registry|repo)\b"
)


def lockfile_source(path: str, inside: Callable[[str], bool]) -> str:
    """What the lockfile at ``path`` resolves to other than the public registry: a tarball
    on another host, a git URL, or a local path out of the workspace; "" when none."""
    text = small_text(path, _MAX_LOCK)
    if text is None:
        if not os.path.lexists(path):
            return ""
        return f"{os.path.basename(path)}: cannot be read (size, link)"
    base = os.path.dirname(path)
    values: list[str] = []
    if path.endswith(".json") and "\\" not in text:
        # no escapes: the values are as the text spells them (a search, not a parse: a large
        # monorepo's 6 MB lockfile took 300 ms to parse and walk)
        values = [m.group(1) for m in _JSON_LOCK_VALUE.finditer(text)]
    elif path.endswith(".json"):
        try:
            doc = json.loads(text)
        except ValueError:
            return f"{os.path.basename(path)}: not JSON"
        stack: list[object] = [doc]
        seen = 0
        while stack and seen < 200_000:
            node = stack.pop()
            seen += 1
            if isinstance(node, dict):
                for k, v in node.items():
                    if k in ("resolved", "version") and isinstance(v, str):
                        values.append(v)
                    elif isinstance(v, (dict, list)):
                        stack.append(v)
            elif isinstance(node, list):
                stack.extend(node)
        if stack:
            return f"{os.path.basename(path)}: too many entries to read"
    else:
        for m in _LOCK_TEXT_VALUES.finditer(text):
            v = m.group(1) or m.group(2) or ""
            if not _URL_HOST.match(v) and not _NPM_REMOTE.search(v) and "@" in v[1:]:
                # yarn berry: `name@npm:1.0.0`, `name@https://…`, `@scope/x@git+…`
                rest = v[1:].partition("@")[2]
                if rest and not rest[:1].isdigit() and not rest.startswith("^"):
                    v = rest
            values.append(v)
    for v in values:
        if _lock_value_bad(v, base, inside):
            return v
    # whatever the layout (YAML flow style, quoted keys, a key the search above does not
    # know): a URL off the registries or a git source anywhere in the lockfile (one search:
    # a 6 MB lockfile holds 20,000 registry URLs)
    off = _LOCK_URL_OFF.search(text)
    if off:
        start = max(text.rfind(c, 0, off.start()) for c in " \"'\n") + 1
        return text[start : off.end() + 40].split()[0].strip("\"',")
    low = text.lower()
    if any(lit in low for lit in ("git+", "github:", "gitlab:", "bitbucket:", "gist:", "git@")):
        git = _LOCK_GIT.search(text)  # (the search alone is slow: 190 ms for 6 MB)
        return git.group(0) if git else ""
    return ""


_LOCK_URL_OFF = lazy_compile(
    r"://(?!(?:registry\.npmjs\.org|registry\.yarnpkg\.com|registry\.npmjs\.com)/)"
)
_LOCK_GIT = lazy_compile(
    r"(?i)\bgit\+[a-z]+:|\b(?:github|gitlab|bitbucket|gist):[\w.-]+/|\bgit@[\w.-]+:"
)


def _lock_value_bad(value: str, base: str, inside: Callable[[str], bool]) -> bool:
    v = value.strip().split("#", 1)[0]
    low = v.lower()
    if not v or low.startswith(("npm:", "workspace:", "patch:")):
        return False
    host = _URL_HOST.match(v)
    if host:
        return host.group(1).lower() not in _REGISTRY_HOSTS or low.startswith(("git", "ssh"))
    if _NPM_REMOTE.search(v):
        return True
    for prefix in _NPM_LOCAL:
        if low.startswith(prefix):
            return not _local_ok(v[len(prefix) :], base, inside)
    if v.startswith(("/", "./", "../", "~/")):
        return not _local_ok(v, base, inside)
    return False


# conda/mamba/micromamba environment files, pixi manifests and lockfiles, and Python
# lockfiles (a fourteenth red-team pass: `conda env create -f environment.yml` installs the
# `pip:` section's `https://…/x.whl`, `-e git+https://…`, `--extra-index-url …` lines as pip
# would, pixi takes `file:///…` and `https://…` channels and `{ git|url|path = … }` PyPI
# dependencies, by their documentation). URLs on the default channels' and PyPI's hosts pass.
_ENV_HOSTS = frozenset(
    {"conda.anaconda.org", "repo.anaconda.com", "anaconda.org", "prefix.dev", "repo.prefix.dev",
     "conda-static.anaconda.org", "pypi.org", "files.pythonhosted.org", "pypi.python.org"}
)  # fmt: skip
# A scheme is read once per run of scheme characters (from the run's first letter): starting
# at every word boundary inside a run like `a.a.a.…` read the run again each time (64 KB: 16 s).
_ANY_URL = lazy_compile(
    r"(?i)(?<![a-z0-9+.-])[0-9+.-]*+([a-z][a-z0-9+.-]*+):(//(?:[^/@\s\"'\]]*@)?([^/:\s\"'?#\],]*))?"
)
_ENV_OPTION = lazy_compile(
    r"(?im)^(?:[^\S\n]|[\"'-])*(?:-i|--index-url|--extra-index-url|-f|--find-links"
    r"|--trusted-host|-r|--requirement|-c|--constraint)\b"
    r"|\b(?:index-url|extra-index-urls?|find-links|index-strategy)\s*="
)
_ENV_PATH_ITEM = lazy_compile(
    r"(?m)^[^\S\n]*-\s+[\"']?(?:(?:-e|--editable)[\s=]+)?[\"']?"
    r"((?:\.{1,2}(?:/|(?=[\s\"']|$))|/|~)[^\s\"']*)"
)
_LOCK_PATH = lazy_compile(
    r"(?i)\b(?:path|directory|editable|file|url)\"?\s*[=:]\s*\"((?:\.{1,2}/|/|~)[^\"]*)\""
)
# (an unclosed list is read to the end: each unclosed one read the rest of the file again)
_CHANNELS = lazy_compile(r"(?is)\bchannels\s*=\s*\[([^\]]*)(?:\]|\Z)")
# pdm/hatch settings in pyproject.toml that choose where packages come from or run commands
# at environment creation (hatch's pre-/post-install-commands, pdm's URL overrides)
# The variables that point pip, uv or pdm at another index (one list for the file and the line)
_PY_INDEX_VARS = (
    r"PIP_(?:EXTRA_)?INDEX_URL|PIP_FIND_LINKS|UV_(?:EXTRA_)?INDEX(?:_URL)?"
    r"|UV_FIND_LINKS|PDM_PYPI_URL|PDM_SOURCES?"
)
_PY_TOOL_SOURCE = lazy_compile(
    rf"(?im)\b(?:{_PY_INDEX_VARS})\b"
    r"|^[^\S\n]*(?:pre|post)-install-commands\s*="
    r"|^\[tool\.pdm\.resolution\.overrides\][^\[]*?=\s*[\"'](?:[a-z+]+://|file:|git\+)"
)
# Files a line may not write a source into (with lockfiles): conda environment files, pixi.
ENV_FILE_NAMES = lazy_compile(
    r"(?i)(?:^|.*/)(?:[^/]*environment[^/]*\.ya?ml|env\.ya?ml|conda[^/]*\.ya?ml|pixi\.toml"
    r"|pixi\.lock|uv\.lock|poetry\.lock|pdm\.lock|pipfile\.lock|pylock[^/]*\.toml)$"
)
ENV_EDIT = lazy_compile(
    r"(?i)://|\b(?:git\+|file:)|--(?:extra-)?index-url|--find-links|\bindex-url|channels"
    r"|\b(?:git|url|path|registry|directory|editable)\s*="
    r"|\b(?:pypi|pythonhosted|anaconda|prefix\.dev|conda-forge|source)\b"
    r"|-\s+(?:-e\s+)?(?:\.\.|/|~)"
)
ENV_MANAGER_FILES: dict[str, tuple[str, ...]] = {
    "conda": ("environment.yml", "environment.yaml"),
    "mamba": ("environment.yml", "environment.yaml"),
    "micromamba": ("environment.yml", "environment.yaml"),
    "pixi": ("pixi.toml", "pyproject.toml", "pixi.lock"),
    "pdm": ("pyproject.toml", "pdm.lock"),
    "hatch": ("pyproject.toml",),
}
PY_LOCKFILES = ("uv.lock", "poetry.lock", "Pipfile.lock", "pylock.toml")


def _read_as(run: str, names: tuple[str, ...]) -> bool:
    """A run of scheme characters that may be read as one of ``names``: the run itself, or
    its tail after a `.`, `-` or `+` (`x.file:` as `file:`; checked by suffix, so a long run
    costs its length once)."""
    run = run.lower()
    return any(run == n or run.endswith((f".{n}", f"-{n}", f"+{n}")) for n in names)


_GIT_SCHEMES = ("git+https", "git+ssh", "git+http", "git+file", "git")


def _url_bad(m: re.Match[str], base: str, inside: Callable[[str], bool]) -> bool:
    if _read_as(m.group(1), ("file",)):
        rest = m.string[m.end(1) + 1 :].split()[0].strip("\"',]")
        return not _local_ok(rest.removeprefix("//"), base, inside)
    if m.group(2) is None:
        return _read_as(m.group(1), _GIT_SCHEMES)
    return (m.group(3) or "").lower() not in _ENV_HOSTS


def env_source(path: str, inside: Callable[[str], bool]) -> str:
    """What the conda environment file, pixi manifest/lockfile, pdm/hatch pyproject.toml or
    Python lockfile at ``path`` takes from elsewhere than the default channels and PyPI: a
    URL on another host, a VCS URL, an index option, a path out of the workspace; ""."""
    text = small_text(path, _MAX_LOCK)
    name = os.path.basename(path)
    if text is None:
        return "" if not os.path.lexists(path) else f"{name}: cannot be read (size, link)"
    base = os.path.dirname(path)
    low = name.lower()
    if low == "pyproject.toml":
        m = _PY_TOOL_SOURCE.search(text)
        if m:
            return m.group(0).strip()
        return python_source(text, base, inside)
    if low == "pixi.toml":
        hit = python_source(text, base, inside)
        if hit:
            return hit
        for ch in _CHANNELS.finditer(text):
            for m in _ANY_URL.finditer(ch.group(1)):
                if _url_bad(m, base, inside):
                    return m.group(0)
        m = _ENV_OPTION.search(text)
        return m.group(0).strip() if m else ""
    if not low.endswith((".lock", "pylock.toml")):  # environment.yml
        hit = python_source(text, base, inside)
        if hit:
            return hit
        m = _ENV_OPTION.search(text)
        if m:
            return m.group(0).strip()
        for pm in _ENV_PATH_ITEM.finditer(text):
            if not _local_ok(pm.group(1), base, inside):
                return pm.group(0).strip()
    for m in _ANY_URL.finditer(text):
        if m.group(2) is None and m.group(1).lower() not in (
            "file",
            "git",
            "git+https",
            "git+ssh",
            "git+http",
        ):
            continue  # `key: value`, `sha256:…`, `name: x`
        if _url_bad(m, base, inside):
            return m.group(0)
    for pm in _LOCK_PATH.finditer(text):
        if not _local_ok(pm.group(1), base, inside):
            return pm.group(0).strip()
    if low.endswith(".lock") or low.startswith("pylock"):
        if lazy_compile(r"(?i)\bgit\"?\s*[=:]\s*\"").search(text):
            return "git source"
    return ""


# Package-manager settings in the project that choose the registry (`registry=` and
# `@scope:registry=` of .npmrc and yarn 1's .yarnrc, yarn berry's `npmRegistryServer`, bun's
# `[install] registry`): every package of the install comes from there.
JS_REGISTRY_FILES = (".npmrc", ".yarnrc", ".yarnrc.yml", "bunfig.toml")
_HOST_OF = lazy_compile(
    r"(?i)(?<![a-z0-9+.-])[0-9+.-]*+[a-z][a-z0-9+.-]*+://(?:[^/@\s\"']*@)?([^/:\s\"'?#\],]*)"
)


def js_registry(path: str) -> str:
    """The registry line of a .npmrc/.yarnrc/.yarnrc.yml/bunfig.toml naming a host other than
    the public registries; ""."""
    text = small_text(path)
    if text is None:
        return "" if not os.path.lexists(path) else f"{os.path.basename(path)}: cannot be read"
    for line in text.splitlines():
        if "registry" not in line.lower():
            continue
        for m in _HOST_OF.finditer(line):
            if m.group(1).lower() not in _REGISTRY_HOSTS:
                return line.strip()[:120]
    return ""


def py_source_remote_in(text: str) -> bool:
    """A line's text declares a remote Python dependency (checked with writes to project
    files, `note_line`)."""
    return PY_REMOTE.search(text) is not None or _PY_TOOL_WORDS.search(text) is not None


def written_source(real: str, text: str, inside: Callable[[str], bool]) -> tuple[str, str]:
    """The rule a write of ``text`` into the file at ``real`` breaks, and why; ("", "") when
    none. The file tool's write judged as a shell line that writes the same file is
    (`note_line` and the write checks of path_checks): a declared index in a Python project
    or settings file, a remote dependency in a Python project or requirements file, a source
    in a lockfile or environment file, and (the tool's own) a remote or out-of-tree
    dependency spec in package.json (a fifteenth red-team pass)."""
    if PROJECT_INDEX_FILES.match(real) and INDEX_DECLARATION.search(text):
        return INDEX_RULE, "would declare another package index or source"
    if REQUIREMENT_FILES.match(real) and REQUIREMENT_INDEX.search(text):
        return INDEX_RULE, "would name another package index (`--index-url`, `-i`, `--find-links`)"
    if PY_PROJECT_FILES.match(real) and py_source_remote_in(text):
        return SOURCE_RULE, "would declare a dependency from a URL or VCS remote"
    if LOCK_FILE_NAMES.match(real) and LOCK_EDIT.search(text):
        return SOURCE_RULE, "is a lockfile and the text names a source (a URL, `resolved`, …)"
    if ENV_FILE_NAMES.match(real) and ENV_EDIT.search(text):
        return SOURCE_RULE, "is an environment file and the text names a source"
    if PACKAGE_JSON.match(real):
        hit = package_json_spec_in(text, os.path.dirname(real), inside)
        if hit:
            return (
                SOURCE_RULE,
                f"would declare a dependency from a URL, git host or path out ({hit})",
            )
    return "", ""


def package_json_spec_in(text: str, base: str, inside: Callable[[str], bool]) -> str:
    """The first dependency spec in package.json text (of a file in ``base``) that an install
    would fetch from a URL, git host or path out of the workspace; "" when none. A whole file
    is read as npm reads it (its dependency sections); a fragment (an edit, a shell line) by
    its `"name": "spec"` pairs, except the keys that hold URLs or paths of another kind."""
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        maps: list[object] = [doc.get(k) for k in _NPM_SECTIONS]
        pnpm = doc.get("pnpm")
        if isinstance(pnpm, dict):
            maps.append(pnpm.get("overrides"))
        for name, spec in _specs(maps):
            if _npm_spec_bad(spec, base, inside):
                return f"{name}: {spec}"
        return ""
    for m in _JSON_SPEC.finditer(text):
        spec = m.group(1).strip()
        if spec.startswith(("/", "./", "../", "~/")):
            bad = not _local_ok(spec, base, inside)
        else:
            bad = _npm_spec_bad(spec, base, inside)
        if bad:
            return spec
    return ""


INDEX_RULE = "exec.packages.project-index"
# The shell's INDEX_DECLARATION (path_checks), kept in step: a package index or source
# declared in a Python project file.
INDEX_DECLARATION = lazy_compile(
    r"(?i)tool\s*\.\s*(?:uv\s*\.\s*index|poetry\s*\.\s*source|pdm\s*\.\s*source|"
    r"rye\s*\.\s*sources|uv\s*\.\s*pip)\b|\b(?:extra[-_]?)?index[-_]url\b|find[-_]links"
    r"|\[\[\s*(?:index|source|tool\.[a-z]+\.(?:index|source))\s*\]\]"
    r"|\b(?:index|source)\s*=\s*\[|\bsources?\s*=\s*\[\s*\{"
)
PROJECT_INDEX_FILES = lazy_compile(r"(?i)(?:^|.*/)(?:pyproject|poetry|pdm|uv)\.toml$")
# pip reads its options from a requirements file: `-i/--index-url`, `--extra-index-url`,
# `-f/--find-links`, `--trusted-host` there choose where every package comes from (a fifteenth
# red-team pass: `echo '--extra-index-url https://…' >> requirements.txt` was allowed). The
# short forms only at a line's start (`sed -i … requirements.txt` is no index).
REQUIREMENT_FILES = lazy_compile(
    r"(?i)(?:^|.*/)(?:[^/]*requirements[^/]*\.(?:txt|in)|requirements/[^/]+\.(?:txt|in)"
    r"|constraints[^/]*\.txt)$"
)
REQUIREMENT_INDEX = lazy_compile(
    r"(?im)^(?:[^\S\n]|[\"'])*-[if](?:[\s=]|[a-z]+://)|--(?:extra-)?index-url\b|--find-links\b"
    r"|--trusted-host\b"
)
# pip's short index options in a command's text, where the text it writes starts rather than
# at a line's start: after a quote (`echo '-i https://…'`, `open(…).write("-f …")`), an
# escaped line break (`printf 'a\n-i …'`, `$'…'`), echo's or printf's own words, or a sed
# insert/append/change (`sed -i '1i -i …'`); stop 46, found by the hook150 helper: each of
# these was allowed to write a requirements file. (An option of the writing program itself,
# `sed -i`, `pip-compile -f`, is an unquoted word of its own and is not one of these.)
REQUIREMENT_INDEX_WRITTEN = lazy_compile(
    r"(?:['\"]|\\[nr]|\$'|\b(?:echo|printf)(?:[^\S\n]+-[-neE]*)*[^\S\n])"
    r"(?:[^\S\n]*[0-9$]*(?:/[^/\n]*/)?[aic]\\?)?[^\S\n]*"
    r"-[if](?:[\s=]|[a-z]+://)"
)
PACKAGE_JSON = lazy_compile(r"(?i)(?:^|.*/)package\.json$")
# A JSON string value after a key (`"x": "github:u/r"`): package.json's scripts and metadata
# hold URLs too (`"homepage"`, `"repository"`, `"url"`), so those keys are not specs.
_JSON_SPEC = lazy_compile(
    r'"(?!(?:homepage|url|repository|bugs|funding|author|email|\$schema|description|main'
    r'|module|types|typings|bin|directory|type|license|name|version|packageManager)"\s*:)'
    r'[^"\\\n]{1,214}"\s*:\s*"([^"\\\n]*)"'
)


_PY_TOOL_WORDS = lazy_compile(rf"(?i)\b(?:{_PY_INDEX_VARS}|(?:pre|post)-install-commands)\b")


__all__ = [
    "JS_REGISTRY_FILES",
    "js_registry",
    "ENV_EDIT",
    "ENV_FILE_NAMES",
    "ENV_MANAGER_FILES",
    "PY_LOCKFILES",
    "env_source",
    "LOCKFILES",
    "LOCK_EDIT",
    "LOCK_FILE_NAMES",
    "lockfile_source",
    "PY_PROJECT_FILES",
    "SOURCE_RULE",
    "npm_source",
    "py_source_remote_in",
    "written_source",
    "REQUIREMENT_FILES",
    "REQUIREMENT_INDEX",
    "REQUIREMENT_INDEX_WRITTEN",
    "package_json_spec_in",
    "PACKAGE_JSON",
    "INDEX_DECLARATION",
    "INDEX_RULE",
    "PROJECT_INDEX_FILES",
    "python_source",
    "small_text",
]
