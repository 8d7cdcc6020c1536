"""Quick readings of an argument list where no program spec applies: option clusters,
GNU long-option abbreviations, operands, and options that take the next word."""

from __future__ import annotations


def short_flag(t: str | tuple[str, ...], letters: str) -> bool:
    """A short option cluster (``-rf``) holding one of ``letters``."""
    if isinstance(t, tuple):
        return any(short_flag(x, letters) for x in t)
    return len(t) > 1 and t[0] == "-" and t[1] != "-" and any(c in t[1:] for c in letters)


def long_prefix(t: str, option: str, shortest: int = 5) -> bool:
    """``t`` is ``option`` or a GNU abbreviation of it at least ``shortest`` long."""
    head = t.partition("=")[0]
    return len(head) >= shortest and option.startswith(head)


def plain_operands(texts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    after = False
    for t in texts:
        if t == "--" and not after:
            after = True
        elif after or not t.startswith("-") or t == "-":
            out.append(t)
    return out


def split_options(
    texts: tuple[str, ...], with_value: frozenset[str] | set[str]
) -> tuple[list[str], list[str]]:
    """(operands, options) of an argv whose options in ``with_value`` take the next word;
    everything after ``--`` is an operand."""
    operands: list[str] = []
    options: list[str] = []
    i = 0
    while i < len(texts):
        t = texts[i]
        if t == "--":
            operands.extend(texts[i + 1 :])
            break
        if t.startswith("-") and len(t) > 1:
            options.append(t)
            i += 2 if t in with_value and "=" not in t else 1
            continue
        operands.append(t)
        i += 1
    return operands, options


def options_before_dashdash(texts: tuple[str, ...]) -> tuple[str, ...]:
    return texts[: texts.index("--")] if "--" in texts else texts
