"""``lazy_compile`` stands in for ``re.compile`` exactly, and compiles only when first matched."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enforcement_agent.lazy_regex import LazyPattern, lazy_compile
from enforcement_agent.redaction import detectors, placeholders

PATTERNS: list[tuple[str | bytes, int]] = [
    (r"(?P<k>[A-Za-z_]+)\s*=\s*(\S+)", 0),
    (r"ab+c", re.IGNORECASE),
    (rb"[0-9a-f]{4,}", 0),
    (rb"^\s*#.*$", re.MULTILINE),
    (r"", 0),
]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
@given(text=st.text(alphabet="abcABC=_ #0123456789f\n", max_size=60))
def test_every_method_answers_like_re_compile(pattern: str | bytes, flags: int, text: str) -> None:
    real = re.compile(pattern, flags)
    lazy = lazy_compile(pattern, flags)
    data: str | bytes = text.encode() if isinstance(pattern, bytes) else text
    span = lambda m: None if m is None else (m.span(), m.groups())  # noqa: E731
    assert span(lazy.search(data)) == span(real.search(data))
    assert span(lazy.match(data)) == span(real.match(data))
    assert span(lazy.fullmatch(data)) == span(real.fullmatch(data))
    assert [span(m) for m in lazy.finditer(data)] == [span(m) for m in real.finditer(data)]
    assert lazy.findall(data) == real.findall(data)
    assert lazy.split(data) == real.split(data)
    repl: str | bytes = b"<>" if isinstance(pattern, bytes) else "<>"
    assert lazy.subn(repl, data) == real.subn(repl, data)
    assert (lazy.groups, lazy.groupindex, lazy.flags) == (real.groups, real.groupindex, real.flags)


def test_pattern_and_flags_do_not_compile_and_a_bad_pattern_fails_on_use() -> None:
    lazy = LazyPattern(r"[unclosed", 0)
    assert lazy.pattern == "[unclosed" and lazy.flags == 0  # read without compiling
    assert "search" not in vars(lazy)
    with pytest.raises(re.error):
        lazy.search("x")
    with pytest.raises(AttributeError):
        LazyPattern("ok").no_such_method  # noqa: B018 - a typo is an AttributeError, as on re.Pattern


def test_after_the_first_use_methods_are_the_real_patterns_own() -> None:
    lazy = lazy_compile(rb"k(e)y")
    assert lazy.search(b"a key") is not None
    assert type(vars(lazy)["search"]) is type(re.compile(b"x").search)  # no forwarding


def test_a_lazy_pattern_pickles_as_itself() -> None:
    lazy = lazy_compile(r"a(b)c", re.IGNORECASE)
    lazy.search("ABC")  # compiled before pickling, too
    back = pickle.loads(pickle.dumps(lazy))
    assert isinstance(back, LazyPattern) and back.pattern == "a(b)c"
    assert back.search("xABC") is not None


def test_the_redactors_module_patterns_are_lazy_until_used() -> None:
    # The hook process imports these and redacts a clean command: none needs compiling.
    for module in (detectors, placeholders):
        lazy = [v for v in vars(module).values() if isinstance(v, LazyPattern)]
        assert len(lazy) >= 10, module.__name__
