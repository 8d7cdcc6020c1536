"""What ``gh api``, ``glab api`` and ``hub api`` send: the HTTP method as each CLI reads it.

The deny and ask rules of the policy file compare words (``-X``, ``DELETE``, ``POST``), but
the CLIs read their options with pflag: ``-XDELETE``, ``-X=DELETE``, ``-iXDELETE`` and
``--method=DELETE`` are the same request, and ``-f``/``-F``/``--field``/``--raw-field`` or
``--input`` turn a request without a method into a POST (``graphql`` is always one). A
forty-fourth red-team pass had ``gh api -XDELETE repos/o/r``, ``gh api --method=PATCH
…/git/refs/heads/main -F force=true`` (a force push through the API), ``gh api …/merges -f
base=main -f head=x`` and ``gh api graphql -f query='mutation{…}'`` allowed where ``-X
DELETE`` was denied and ``-X PATCH`` asked. This module reads the request once, the way the
CLI does, so every spelling gets the same verdict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.shell import Word

API_CLIENTS = frozenset({"gh", "glab", "hub"})
# Short options of `gh api` / `glab api` that take a value (the rest of the word, after an
# optional `=`, or the next word) and those that do not.
_SHORT_VALUE = frozenset("XFfHpqt")
_SHORT_BOOL = frozenset("i")
_LONG_VALUE = frozenset(
    {"method", "field", "raw-field", "header", "preview", "jq", "template", "input",
     "hostname", "cache", "repo"}
)  # fmt: skip
_FIELD_SHORT = frozenset("Ff")
_FIELD_LONG = frozenset({"field", "raw-field"})
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_MUTATION = lazy_compile(r"\bmutation\b|\bsubscription\b")


class ApiRequest(NamedTuple):
    """The request of an ``api`` subcommand: ``method`` None when computed at run time."""

    method: str | None
    endpoint: str | None
    explicit: bool  # the method was given (-X/--method), not implied
    # GraphQL: True when the query may change something (a mutation, a query from a file
    # or stdin, or one computed at run time)
    graphql_write: bool


def _field_value(value: str) -> tuple[str, str]:
    key, _, val = value.partition("=")
    return key, val


def api_request(words: Sequence[tuple[str, bool]]) -> ApiRequest | None:
    """The request ``words`` (the arguments after the program, as (text, computed) pairs)
    make, if they are an ``api`` subcommand; None otherwise."""
    i, n = 0, len(words)
    while i < n and words[i][0].startswith("-") and words[i][0] != "--":
        i += 1  # a leading flag (`gh --help api` is help): the subcommand follows
    if i >= n or words[i][0] != "api" or words[i][1]:
        return None
    i += 1
    method: str | None = ""
    endpoint: str | None = None
    has_body = False
    query: str | None = ""  # "" none given; None from a file, stdin or computed
    positional_only = False
    while i < n:
        text, dynamic = words[i]
        i += 1
        if positional_only or not text.startswith("-") or text == "-":
            if endpoint is None:
                endpoint = "\0" if dynamic else text  # a computed endpoint is no "graphql"
            continue
        if text == "--":
            positional_only = True
            continue
        values: list[tuple[str, str, bool]] = []  # (option, value, computed)
        if text.startswith("--"):
            name, eq, value = text[2:].partition("=")
            if name in _LONG_VALUE:
                if eq:
                    values.append((name, value, dynamic))
                elif i < n:
                    values.append((name, words[i][0], words[i][1]))
                    i += 1
            elif dynamic:
                method = None  # `--$X`: an option computed at run time
        else:
            for k in range(1, len(text)):
                c = text[k]
                if c in _SHORT_VALUE:
                    rest = text[k + 1 :]
                    if rest.startswith("=") and len(rest) > 1:
                        rest = rest[1:]
                    if rest:
                        values.append((c, rest, dynamic))
                    elif i < n:
                        values.append((c, words[i][0], words[i][1]))
                        i += 1
                    break
                if c not in _SHORT_BOOL:
                    if dynamic:
                        method = None
                    break
        for opt, value, computed in values:
            if opt in ("X", "method"):
                method = None if computed else value.upper()
            elif opt in _FIELD_SHORT or opt in _FIELD_LONG:
                has_body = True
                key, val = _field_value(value)
                if key == "query":
                    query = None if computed or val.startswith("@") else val
            elif opt == "input":
                has_body = True
                query = None
    graphql = endpoint == "graphql"
    explicit = method != ""
    if method == "":
        method = "POST" if graphql or has_body else "GET"
    graphql_write = graphql and (query is None or query == "" or bool(_MUTATION.search(query)))
    return ApiRequest(method, endpoint, explicit, graphql_write)


def request_problem(req: ApiRequest) -> tuple[str, str] | None:
    """("deny"|"ask", why) for a request that changes something remote; None for a read."""
    if req.method is None:
        return "deny", "the HTTP method of the api request is computed at run time"
    if req.method == "DELETE":
        return "deny", "an api request with the DELETE method deletes remote data"
    if req.endpoint == "graphql":
        if req.method == "POST" and not req.graphql_write:
            return None  # a GraphQL query (not a mutation) is a read
        return (
            "ask",
            "a GraphQL mutation (or a query the command does not show) changes remote data",
        )
    if req.method in _READ_METHODS:
        return None
    how = "given" if req.explicit else "implied by its fields or --input"
    return "ask", (
        f"an api request with the {req.method} method ({how}) changes remote data "
        "(merges, refs, workflow dispatches, file contents)"
    )


# ---- generic HTTP clients (forty-fifth pass) ---------------------------------------------
# `curl -X DELETE https://api.github.com/repos/o/r` (with the user's token in a header) is the
# request `gh api -X DELETE` is denied for; `curl -d …`, `wget --post-data`, `http POST …`
# change remote data as `gh api -f …` does, which asks. The forty-fourth pass left these to
# the tenant's network allowlist; a forty-fifth red-team pass had `curl -XDELETE`, `curl
# --request DELETE`, `wget --method=DELETE`, `http DELETE …`, `xh delete …`, `curl -T F`
# (PUT) and `curl -d …` (POST) allowed to any host. Requests to the machine itself
# (`localhost`, `127.0.0.1`, `[::1]`, HTTPie's `:8000`) stay allowed: a local server under
# development is the everyday case.
HTTP_CLIENTS = frozenset({"curl", "wget", "http", "https", "xh", "xhs"})
# (curl's and wget's options are read with their tables in `write_targets`, by the one option
# parser: a forty-sixth pass replaced this module's own loops, which knew a part of each)
# options that send a request somewhere else than the URL's host: a proxy, an address for
# the name (`--connect-to localhost:80:api.github.com:443`, `--resolve`), a socket
_CURL_ELSEWHERE = frozenset(
    "--proxy --preproxy --connect-to --resolve --socks4 --socks4a --socks5 --socks5-hostname "
    "--unix-socket --abstract-unix-socket --dns-servers --doh-url --interface".split()
)
_CURL_DATA = frozenset(
    "--data --data-ascii --data-binary --data-raw --data-urlencode --json --form "
    "--form-string".split()
)
# (options read from a file, variables expanded into options, FTP commands: DELE, RMD)
_CURL_UNSEEN = frozenset({"--config", "--variable", "--quote"})
# A header that names the method a server acts on (Google's APIs, ASP.NET, many frameworks
# take the method of a POST from it): `-X POST -H 'X-HTTP-Method-Override: DELETE'` deletes
_OVERRIDE = lazy_compile(r"(?i)\s*x-(?:http-)?method(?:-override)?\s*:\s*([A-Za-z]+)")
_LOOPBACK = lazy_compile(
    r"(?i)(?:localhost|[\w.-]+\.localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0|\[::\])\.?"
)
_HTTP_METHOD = lazy_compile(r"[A-Za-z]{3,10}")


class HttpRequest(NamedTuple):
    """What an HTTP client sends: ``method`` upper-case, "?" when options read from a file
    or computed at run time may set it; ``hosts``, None for a computed URL."""

    method: str
    hosts: tuple[str | None, ...]


def _host(url: str, shorthand: bool = False) -> str:
    """The host a URL (or a word a client reads as one, `localhost:8000/x`) names."""
    if shorthand and url.startswith(":"):
        return "localhost"  # (HTTPie and xh: `:8000/x` is localhost)
    rest = url.split("://", 1)[1] if "://" in url else url
    rest = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    if rest.startswith("["):
        return rest[: rest.find("]") + 1] if "]" in rest else rest
    return rest.partition(":")[0]


def _overridden(method: str, headers: Sequence[str]) -> str:
    """``method``, or the writing method a method-override header names instead."""
    for h in headers:
        m = _OVERRIDE.match(h)
        if m and m.group(1).upper() not in _READ_METHODS:
            return m.group(1).upper()
    return method


def _next_groups(words: Sequence[Word]) -> list[list[Word]] | str:
    """curl's words cut at each `--next` (`-:`, alone or in a cluster of flags): the options
    after it make a new request (a forty-sixth red-team pass: `curl -X DELETE A --next -X
    GET B` was read as one GET, the last -X winning over the whole line)."""
    from enforcement_agent.policy.write_targets import takes_next_word, value_words  # noqa: PLC0415

    values = value_words("curl", words)
    if isinstance(values, str):
        return values
    groups: list[list[Word]] = [[]]
    for k, w in enumerate(words):
        t = w.text
        if t == "--":
            groups[-1].extend(words[k:])
            break
        if k not in values and t == "--next":
            groups.append([])
            continue
        cut = -1
        if k not in values and t[:1] == "-" and t[1:2] not in ("-", ""):
            for j, c in enumerate(t[1:], start=1):  # (up to the first letter taking a value)
                if c == ":":
                    cut = j
                    break
                if takes_next_word("curl", "-" + c):
                    break
        if cut < 0:
            groups[-1].append(w)
            continue
        # `-s:X GET`: `-s` for this request, `-X GET` for the next
        if cut > 1:
            groups[-1].append(w._replace(text=t[:cut]))
        groups.append([w._replace(text="-" + t[cut + 1 :])] if t[cut + 1 :] else [])
    return groups


def _curl(words: Sequence[Word]) -> list[HttpRequest]:
    from enforcement_agent.policy.write_targets import reader_args  # noqa: PLC0415

    groups = _next_groups(words)
    if isinstance(groups, str):
        return [HttpRequest("?", (None,))]  # (words curl's table cannot read: undecidable)
    out = []
    for group in groups:
        read = reader_args("curl", group)
        if isinstance(read, str):
            return [HttpRequest("?", (None,))]
        method, hosts = "", [None if w.dynamic else w.text for w in read.operands]
        names = {o for o, v, _ in read.options if v is None}
        headers: list[str] = []
        for opt, value, computed in read.options:
            if value is None:
                continue
            if opt == "--request":
                method = "?" if computed or method == "?" else value.upper()
            elif opt in _CURL_UNSEEN:
                method = "?"
            elif opt == "--url":
                hosts.append(None if computed else value)
            elif opt in _CURL_ELSEWHERE:
                hosts.append(None)  # (a proxy or another address: not where the URL says)
            elif opt == "--header":
                headers.append(value)
        if not method:
            method = (
                "PUT"
                if "--upload-file" in names
                else "HEAD"
                if "--head" in names
                else "POST"
                if names & _CURL_DATA and "--get" not in names
                else "GET"
            )
        if method != "?":
            method = _overridden(method, headers)
        out.append(HttpRequest(method, tuple(None if h is None else _host(h) for h in hosts)))
    return out


def _wget(words: Sequence[Word]) -> list[HttpRequest]:
    from enforcement_agent.policy.write_targets import reader_args  # noqa: PLC0415

    read = reader_args("wget", words)
    if isinstance(read, str):
        return [HttpRequest("?", (None,))]
    names = {o for o, v, _ in read.options if v is None}
    method = ""
    headers: list[str] = []
    for opt, value, computed in read.options:
        if value is None:
            continue
        if opt == "--method":
            method = "?" if computed or method == "?" else value.upper()
        elif opt in ("--execute", "--config"):
            method = "?"  # (wgetrc commands: `-e method=DELETE`)
        elif opt == "--header":
            headers.append(value)
    if not method:
        # (a body without --method: wget refuses it; read as the POST it asks for)
        body = {"--post-data", "--post-file", "--body-data", "--body-file"}
        method = "POST" if names & body else "GET"
    if method != "?":
        method = _overridden(method, headers)
    hosts = tuple(None if w.dynamic else _host(w.text) for w in read.operands)
    return [HttpRequest(method, hosts)]


def _httpie(words: Sequence[Word]) -> list[HttpRequest]:
    from enforcement_agent.policy.path_checks import (  # noqa: PLC0415
        HTTPIE_LONG_VALUES,
        HTTPIE_SHORT_VALUES,
    )

    positional: list[tuple[str, bool]] = []
    raw = ignore_stdin = False
    i, n, ended = 0, len(words), False
    while i < n:
        text, dynamic = words[i].text, words[i].dynamic
        i += 1
        if ended or not text.startswith("-") or text == "-":
            positional.append((text, dynamic))
            continue
        if text == "--":
            ended = True
            continue
        if text.startswith("--"):
            name, eq, _ = text[2:].partition("=")
            raw = raw or "raw".startswith(name) and len(name) >= 2
            ignore_stdin = ignore_stdin or "ignore-stdin".startswith(name) and len(name) >= 3
            if not eq and any(v.startswith(name) for v in HTTPIE_LONG_VALUES) and i < n:
                i += 1
            continue
        for k in range(1, len(text)):
            if text[k] in HTTPIE_SHORT_VALUES:
                if not text[k + 1 :] and i < n:
                    i += 1
                break
            ignore_stdin = ignore_stdin or text[k] == "I"
    method = ""
    if len(positional) >= 2 and _HTTP_METHOD.fullmatch(positional[0][0]):
        method = positional[0][0].upper()
        positional = positional[1:]
    elif positional and positional[0][1] and len(positional) >= 2:
        method = "?"  # (`http $M URL`)
        positional = positional[1:]
    if not positional:
        return [HttpRequest(method or "GET", ())]
    url, url_dynamic = positional[0]
    items = [t for t, _ in positional[1:]]
    data = raw or any(
        re.match(r"[^=:@]*(?::=@?|=@?|@)", t) and not re.match(r"[^=:@]*==", t) for t in items
    )
    # (HTTPie and xh send what their standard input holds as the body of a POST whenever it
    # is not a terminal: `echo x | http URL`, `http URL < f` (a forty-sixth red-team pass found
    # these read as GETs), and with nothing fed at all, since a tool call's standard input is
    # never a terminal (the sandbox's is /dev/null): `http URL` is an empty POST there; only
    # `--ignore-stdin`/`-I` or a method word makes it a GET)
    data = data or not ignore_stdin
    method = method or ("POST" if data else "GET")
    if method != "?":
        # (a header item `Name:Value`: `X-HTTP-Method-Override:DELETE`)
        method = _overridden(method, [t for t in items if not re.match(r"[^=:@]*(?:==|:=|=|@)", t)])
    return [HttpRequest(method, (None if url_dynamic else _host(url, True),))]


def http_requests(name: str, words: Sequence[Word]) -> list[HttpRequest]:
    """The requests an HTTP client (curl, wget, HTTPie, xh) sends, read as each reads its
    options (curl's and wget's tables; HTTPie's method word and items). [] for another program."""
    if name == "curl":
        return _curl(words)
    if name == "wget":
        return _wget(words)
    if name in ("http", "https", "xh", "xhs"):
        return _httpie(words)
    return []


def http_request_problem(req: HttpRequest) -> tuple[str, str] | None:
    """("deny"|"ask", why) for a request that may change data on another machine."""
    if req.method in _READ_METHODS:
        return None
    if req.hosts and all(h is not None and _LOOPBACK.fullmatch(h) for h in req.hosts):
        return None  # (a server on this machine: everyday development)
    if req.method == "?":
        return "ask", "the request's method is set from a file or computed at run time"
    if req.method == "DELETE":
        return "deny", "an HTTP request with the DELETE method deletes remote data"
    return "ask", f"an HTTP request with the {req.method} method changes remote data"


def http_problem(name: str, words: Sequence[Word]) -> tuple[str, str] | None:
    """The strictest problem of the requests ``name words`` sends (deny over ask)."""
    found = [p for r in http_requests(name, words) if (p := http_request_problem(r))]
    return min(found, key=lambda p: p[0] != "deny", default=None)
