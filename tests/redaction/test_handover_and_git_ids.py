"""A credential word handing its value over with words between ("secret is now 9Zt2…", "token
set to …", "password has been changed to …"), and hex object ids git prints after object words
or after another id (`tree <hex>`, `HEAD <hex>`, `rev-list --parents`): the first are secrets,
the second are not. Whole, without hyperscan and streamed alike (``_check``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.redaction.test_contextual import R, _check
from tests.redaction.test_contextual_eighth import S1, S2, S3

HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"
HEX2 = "2c26b46b68ffc68ff99b453c1d30413413422d70"
E = "\x1b"

WORDS = ["secret", "api key", "token", "password", "credential", "client secret", "access token"]
HANDOVERS = [
    "is now",
    "now",
    "set to",
    "is set to",
    "was set to",
    "changed to",
    "was rotated to",
    "updated to",
    "equals",
    "becomes",
    "has been set to",
    "was reset to",
    "got regenerated to",
]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("handover", HANDOVERS)
def test_a_credential_word_handing_its_value_over(word: str, handover: str) -> None:
    for value in (S1, S2, S3, HEX):
        _check(f"INFO the {word} {handover} {value}\n", [value])


@pytest.mark.parametrize(
    "line",
    [
        f"{E}[32mINFO{E}[0m secret is now {E}[1m{S1}{E}[0m\n",
        f"token {E}[2mset to{E}[0m {S2}\n",
        f"password has been changed to '{S3}'\n",
        f"[ok] api key rotated to {S1}.\n",
        f"- client secret was reset to `{S2}`\n",
    ],
)
def test_handover_in_colour_quotes_and_markup(line: str) -> None:
    _check(line, [s for s in (S1, S2, S3) if s in line])


@pytest.mark.parametrize(
    "line",
    [
        "the token is now expired\n",
        "password changed to a stronger one\n",
        "secret is now rotated every 30 days\n",
        "token set to expire in 3600 seconds\n",
        "api key now required for /v2/users\n",
        f"token fix in {HEX}\n",
        f"secret scanning at {HEX}\n",
        f"password reset flow for {HEX}\n",
    ],
)
def test_prose_after_the_word_is_not_a_secret(line: str) -> None:
    assert R.redact_text(line) == line
    _check(line, [])


GIT_LINES = [
    f"tree {HEX}\n",
    f"parent {HEX2}\n",
    f"HEAD {HEX}\n",
    f"ORIG_HEAD: {HEX}\n",
    f"FETCH_HEAD = {HEX}\n",
    f"dangling blob {HEX}\n",
    f"unreachable tree {HEX2}\n",
    f"pick {HEX} fix the parser\n",
    f"fixup {HEX2} typo\n",
    f"{HEX} {HEX2}\n",
    f"a{HEX[1:]} b{HEX2[1:]} c{HEX[1:]}\n",
    f"worktree /work/x\nHEAD {HEX}\nbranch refs/heads/main\n",
]


@pytest.mark.parametrize("text", GIT_LINES)
def test_git_object_ids_are_not_secrets(text: str) -> None:
    assert R.redact_text(text) == text
    _check(text, [])


@pytest.mark.parametrize(
    "line",
    [f"acme: {HEX}\n", f"github {HEX}\n", f"api_secret: {HEX}\n", f"TOKEN={HEX}\n"],
)
def test_hex_under_other_names_still_counts(line: str) -> None:
    _check(line, [HEX])


def test_real_git_plumbing_output_comes_back_unchanged(tmp_path: Path) -> None:
    """By effect: a real repository's `cat-file -p`, `log --format=raw`, `rev-list --parents`,
    `worktree list --porcelain` and `fsck` lines are left alone."""
    repo = tmp_path / "r"
    env = {
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *args], env=env, check=True, capture_output=True, text=True
        ).stdout

    repo.mkdir()
    git("init", "-q", "-b", "main")
    for n in range(4):
        (repo / f"f{n}.txt").write_text(f"line {n}\n")
        git("add", ".")
        git("commit", "-q", "-m", f"change {n}")
    git("checkout", "-q", "-b", "side", "HEAD~2")
    (repo / "side.txt").write_text("side\n")
    git("add", ".")
    git("commit", "-q", "-m", "side")
    git("checkout", "-q", "main")
    git("merge", "-q", "--no-edit", "side")
    out = "".join(
        [
            git("cat-file", "-p", "HEAD"),
            git("log", "--format=raw", "-3"),
            git("rev-list", "--parents", "HEAD"),
            git("log", "--format=%H %T %P"),
            git("worktree", "list", "--porcelain"),
            git("ls-tree", "HEAD"),
            git("show-ref"),
        ]
    )
    assert len(out.splitlines()) > 20
    changed = [line for line in out.splitlines() if R.redact_text(line) != line]
    assert changed == []
    _check(out, [])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    word=st.sampled_from(WORDS),
    handover=st.sampled_from(HANDOVERS),
    value=st.text(
        alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
        min_size=24,
        max_size=40,
    ).filter(lambda v: sum(c.isdigit() for c in v) >= 3 and sum(c.isupper() for c in v) >= 3),
)
def test_handover_property(word: str, handover: str, value: str) -> None:
    text = f"{word} {handover} {value}\n"
    assert value not in R.redact_text(text)


# --- a token as a URL's user name, no password (a git remote) ---------------------------------

TOKENS = [
    S1.replace("+", "A").replace("/", "B").rstrip("="),
    "Zt29Kq8LmP3xVb7NcR4sWd6Yh1Jf5Gt0",
    HEX,
]


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize(
    "template",
    [
        "\turl = https://{t}@github.com/o/r.git\n",
        "origin\thttps://{t}@github.com/o/r.git (fetch)\n",
        "git clone https://{t}@gitlab.example.com/group/r.git\n",
        "Cloning into 'r'... remote: https://{t}@bitbucket.org/o/r\n",
        '{{"url": "https://{t}@github.com/o/r"}}\n',
        "fatal: unable to access 'https://{t}@github.com/o/r/': 403\n",
    ],
)
def test_a_token_as_the_url_user_name(token: str, template: str) -> None:
    _check(template.format(t=token), [token])


@pytest.mark.parametrize(
    "line",
    [
        "git clone https://git@github.com/o/r.git\n",
        "ssh://deploy-user-production@host.example.com/r\n",
        "http://anonymous-reader-account@ftp.example.org/pub\n",
        "https://github-actions-bot-user@github.com/o/r\n",
        "postgres://app_user_readonly_replica@db:5432/x\n",
        "s3://my-bucket-name-production-logs@eu/x\n",
        "uri = 'https://kaNydBSAodo87dsm9asuiSAFtsd7.com.1234@qYY3SylY7fHP'\n",
    ],
)
def test_a_user_name_in_a_url_is_not_a_secret(line: str) -> None:
    assert R.redact_text(line) == line
    _check(line, [])
