"""In-place edits' backup suffixes (issue 10, classes 8 and 11; an open item of stop 37).

`sed -i~ s/a/b/ FILE` is everyday editor practice: GNU sed keeps FILE's old text as `FILE~`.
The suffix was read as a path of its own (`~`, the home directory) and refused; it is a
suffix: the backup `FILE + SUFFIX` is the write to decide, and a suffix holding `/` or `*`
(a name built anywhere, `-i'.git/hooks/*'`) stays undecidable. A backup that lands on a
protected name (`sed -id … CLAUDE.m` writes `CLAUDE.md`) is a protected write.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from tests.policy.conftest import Decide

ALLOWED = [
    "sed -i~ s/a/b/ src/app.py",
    "sed --in-place=~ s/a/b/ src/app.py",
    "sed -E -i~ s/a/b/ src/app.py",
    "sed -i~ -e s/a/b/ -- src/app.py",
    "sed -ni~ p src/app.py",
    "sed -i.bak s/a/b/ src/app.py",
    "sed -i.orig -e s/a/b/ docs/guide.md",
    "sed -i~ s/a/b/ src/app.py docs/guide.md",
    "sed -i_old s/a/b/ src/app.py",
    "sed -s -i~ s/a/b/ src/app.py",
    "gsed -i~ s/a/b/ src/app.py",
    "sed -i~ 's/old/new/g' src/app.py",
]

DENIED = [
    # a suffix that builds a name in another directory
    "sed -i'.git/hooks/*' -e '' src/app.py",
    "sed --in-place='.git/hooks/*' s/a/b/ src/app.py",
    "sed -i~/x s/a/b/ src/app.py",
    "sed -i'~*' s/a/b/ src/app.py",
    "sed -i'../*' s/a/b/ src/app.py",
    "sed -Ei'.github/workflows/*.yml' s/a/b/ src/app.py",
    "sed -i'*.md' s/a/b/ CLAUDE",
    # a backup that lands on a protected or secret name
    "sed -id s/a/b/ CLAUDE.m",
    "sed -i.md s/a/b/ AGENTS",
    "sed -i.yml s/a/b/ .github/workflows/ci",
    "sed -ic s/a/b/ .envr",
    "sed -i.env s/a/b/ src/app",
    "sed -i~ s/a/b/ .git/config",
    "sed -i~ s/a/b/ CLAUDE.md",
    "sed -i~ s/a/b/ .github/workflows/ci.yml",
    "sed -i~ s/a/b/ .env",
    # the file itself outside the workspace
    "sed -i~ s/a/b/ ~/.bashrc",
    "sed -i~ s/a/b/ /etc/hosts",
    "sed -i~ s/a/b/ ../outside.txt",
    # a glob's backups are named after its matches
    "sed -i.md s/a/b/ CLAUD?",
]


@pytest.mark.parametrize("command", ALLOWED)
def test_a_plain_backup_suffix_is_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


@pytest.mark.parametrize("command", DENIED)
def test_a_backup_that_names_a_protected_or_unknown_place_is_denied(
    decide: Decide, command: str
) -> None:
    d = decide(command)
    assert d.decision is Verdict.DENY, (command, d.rule, d.reason)


def test_the_viewer_may_not_edit_in_place_whatever_the_suffix(decide: Decide) -> None:
    for command in ALLOWED:
        assert decide(command, role="viewer").decision is Verdict.DENY, command


def test_gnu_sed_names_its_backups_as_the_policy_reads_them(tmp_path: Path) -> None:
    """By effect (GNU sed): `-i~` leaves FILE~ beside FILE and nothing elsewhere; a suffix
    holding `*` puts the old text where the pattern says (here, into another directory)."""
    sed = shutil.which("sed")
    assert sed is not None
    (tmp_path / "app.py").write_text("a\n")
    (tmp_path / "hooks").mkdir()
    subprocess.run([sed, "-i~", "s/a/b/", "app.py"], cwd=tmp_path, check=True)
    assert (tmp_path / "app.py").read_text() == "b\n"
    assert (tmp_path / "app.py~").read_text() == "a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py", "app.py~", "hooks"]
    subprocess.run([sed, "-ihooks/*", "s/b/c/", "app.py"], cwd=tmp_path, check=True)
    assert (tmp_path / "hooks" / "app.py").read_text() == "b\n"
    (tmp_path / "CLAUDE.m").write_text("inject\n")
    subprocess.run([sed, "-id", "s/x/y/", "CLAUDE.m"], cwd=tmp_path, check=True)
    assert (tmp_path / "CLAUDE.md").read_text() == "inject\n"
