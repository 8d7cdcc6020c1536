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
_MUTATION = re.compile(r"\bmutation\b|\bsubscription\b")


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
