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
_CURL_SHORT_VALUE = frozenset("AbcCdDeEFHKmoPQrtTuUwxXyYz")
_CURL_LONG_VALUE = frozenset(
    "data data-ascii data-binary data-raw data-urlencode json form form-string header request "
    "url output user user-agent referer cookie cookie-jar config max-time connect-timeout "
    "retry retry-delay retry-max-time proxy proxy-user cert key cacert capath write-out "
    "upload-file range limit-rate resolve connect-to interface dns-servers output-dir quote "
    "continue-at dump-header stderr trace trace-ascii netrc-file oauth2-bearer aws-sigv4 "
    "variable url-query request-target preproxy proxy-header max-filesize speed-limit "
    "speed-time expect100-timeout happy-eyeballs-timeout keepalive-time local-port "
    "max-redirs noproxy ciphers cert-type key-type pass engine unix-socket abstract-unix-socket "
    "mail-from mail-rcpt mail-auth ftp-port ftp-method krb socks4 socks4a socks5 "
    "socks5-hostname hostpubmd5 hostpubsha256 pubkey retry-all-errors-x delegation "
    "form-escape-x etag-compare etag-save ipfs-gateway doh-url".split()
)
# options that send a request somewhere else than the URL's host: a proxy, an address for
# the name (`--connect-to localhost:80:api.github.com:443`, `--resolve`), a socket
_CURL_ELSEWHERE = frozenset(
    "x proxy preproxy connect-to resolve socks4 socks4a socks5 socks5-hostname "
    "unix-socket abstract-unix-socket dns-servers doh-url interface".split()
)
_CURL_DATA = frozenset(
    "data data-ascii data-binary data-raw data-urlencode json form form-string".split()
)
_WGET_SHORT_VALUE = frozenset("oaOeiBtTwQPUlARDIXn")
_WGET_LONG = (
    "method", "post-data", "post-file", "body-data", "body-file", "execute", "output-file",
    "append-output", "output-document", "input-file", "base", "tries", "timeout", "wait",
    "quota", "directory-prefix", "user-agent", "level", "accept", "reject", "domains",
    "include-directories", "exclude-directories", "header", "user", "password",
    "http-user", "http-password", "load-cookies", "save-cookies", "referer", "config",
)  # fmt: skip
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


def _curl(words: Sequence[tuple[str, bool]]) -> HttpRequest:
    method, data, get, upload, head = "", False, False, False, False
    urls: list[str | None] = []
    i, n, ended = 0, len(words), False
    while i < n:
        text, dynamic = words[i]
        i += 1
        opts: list[tuple[str, str | None, bool]] = []  # (option, value, computed)
        if ended or not text.startswith("-") or text == "-":
            urls.append(None if dynamic else text)
            continue
        if text == "--":
            ended = True
            continue
        if text.startswith("--"):
            name, eq, value = text[2:].partition("=")
            name = name.removeprefix("no-") if name.startswith("no-") else name
            if name in _CURL_LONG_VALUE:
                if eq:  # (curl takes no `--opt=value`; read as one anyway)
                    opts.append((name, value, dynamic))
                elif i < n:
                    opts.append((name, words[i][0], words[i][1]))
                    i += 1
            else:
                opts.append((name, None, dynamic))
        else:
            for k in range(1, len(text)):
                c = text[k]
                if c in _CURL_SHORT_VALUE:
                    rest = text[k + 1 :]
                    if rest:
                        opts.append((c, rest, dynamic))
                    elif i < n:
                        opts.append((c, words[i][0], words[i][1]))
                        i += 1
                    break
                opts.append((c, None, dynamic))
        for opt, val, computed in opts:
            value = val or ""
            if computed and opt in ("X", "request", "K", "config"):
                method = "?"
            elif opt in ("X", "request") and val is not None and method != "?":
                method = value.upper()
            elif opt in ("K", "config", "variable") or opt == "Q" or opt == "quote":
                method = "?"  # (options from a file; FTP commands: DELE, RMD)
            elif opt in _CURL_DATA or opt in ("d", "F"):
                data = True
            elif opt in ("G", "get"):
                get = True
            elif opt in ("T", "upload-file"):
                upload = True
            elif opt in ("I", "head"):
                head = True
            elif opt == "url":
                urls.append(None if computed else value)
            elif opt in _CURL_ELSEWHERE:
                urls.append(
                    None
                )  # (a proxy or another address: the host named is not where it goes)
    if not method:
        method = "PUT" if upload else "HEAD" if head else "POST" if data and not get else "GET"
    return HttpRequest(method, tuple(None if u is None else _host(u) for u in urls))


def _wget(words: Sequence[tuple[str, bool]]) -> HttpRequest:
    method, post = "", False
    urls: list[str | None] = []
    i, n, ended = 0, len(words), False
    while i < n:
        text, dynamic = words[i]
        i += 1
        if ended or not text.startswith("-") or text == "-":
            urls.append(None if dynamic else text)
            continue
        if text == "--":
            ended = True
            continue
        if text.startswith("--"):
            name, eq, value = text[2:].partition("=")
            # getopt_long: a unique prefix names the option (`--meth=DELETE`)
            full = [o for o in _WGET_LONG if o.startswith(name)] if len(name) >= 2 else []
            opt = full[0] if len(full) == 1 or name in full else name
            if opt in _WGET_LONG and not eq and i < n:
                value, dynamic = words[i]
                i += 1
            if opt == "method":
                method = "?" if dynamic else value.upper()
            elif opt in ("post-data", "post-file"):
                post = True
            elif opt in ("execute", "config"):
                method = "?"  # (wgetrc commands: `-e method=DELETE`)
            continue
        for k in range(1, len(text)):
            c = text[k]
            if c in _WGET_SHORT_VALUE:
                if c == "e":
                    method = "?"
                if not text[k + 1 :] and i < n:
                    i += 1
                break
    if method != "?" and not method:
        method = "POST" if post else "GET"
    return HttpRequest(method, tuple(None if u is None else _host(u) for u in urls))


def _httpie(words: Sequence[tuple[str, bool]]) -> HttpRequest:
    from enforcement_agent.policy.path_checks import (  # noqa: PLC0415
        HTTPIE_LONG_VALUES,
        HTTPIE_SHORT_VALUES,
    )

    positional: list[tuple[str, bool]] = []
    raw = False
    i, n, ended = 0, len(words), False
    while i < n:
        text, dynamic = words[i]
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
            if not eq and any(v.startswith(name) for v in HTTPIE_LONG_VALUES) and i < n:
                i += 1
            continue
        for k in range(1, len(text)):
            if text[k] in HTTPIE_SHORT_VALUES:
                if not text[k + 1 :] and i < n:
                    i += 1
                break
    method = ""
    if len(positional) >= 2 and _HTTP_METHOD.fullmatch(positional[0][0]):
        method = positional[0][0].upper()
        positional = positional[1:]
    elif positional and positional[0][1] and len(positional) >= 2:
        method = "?"  # (`http $M URL`)
        positional = positional[1:]
    if not positional:
        return HttpRequest(method or "GET", ())
    url, url_dynamic = positional[0]
    items = [t for t, _ in positional[1:]]
    data = raw or any(
        re.match(r"[^=:@]*(?::=@?|=@?|@)", t) and not re.match(r"[^=:@]*==", t) for t in items
    )
    method = method or ("POST" if data else "GET")
    return HttpRequest(method, (None if url_dynamic else _host(url, True),))


def http_request(name: str, words: Sequence[tuple[str, bool]]) -> HttpRequest | None:
    """The request an HTTP client (curl, wget, HTTPie, xh) sends, read as each reads its
    options (clusters, attached values, abbreviations where the client takes them)."""
    if name == "curl":
        return _curl(words)
    if name == "wget":
        return _wget(words)
    if name in ("http", "https", "xh", "xhs"):
        return _httpie(words)
    return None


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
