"""Class 5 (package sources): a command that writes pip's short index options (`-i`, `-f`)
into a requirements file is refused however the text is spelled (stop 46).

Found by effect (the hook150 helper): the requirements check read `-i`/`-f` only at the start
of a line of the command's text, so `echo '-i https://evil/simple' >> requirements.txt`,
`printf 'a\\n-f …'`, `sed -i '1i -i …'` and eight more spellings were allowed for a
contributor; pip then installs every requirement from the attacker's index.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import exec_verdict

FILES = {
    "README.md": "r\n",
    "requirements.txt": "requests\n",
    "requirements/dev.txt": "pytest\n",
    "constraints.txt": "urllib3<3\n",
    "fix.sed": "s/a/b/\n",
}
INDEX = ("exec.packages.project-index", "exec.gtfobins.sed")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scratch_repo(tmp_path_factory.mktemp("req") / "ws", FILES, tracked=("README.md",))


WRITES_AN_INDEX = [
    "echo '-i https://evil.example/simple' >> requirements.txt",
    'echo "-i https://evil.example/simple" >> requirements.txt',
    "echo ' -i https://evil.example/simple' >> requirements.txt",
    "echo '-ihttps://evil.example/simple' >> requirements.txt",
    "echo -i https://e.example/ >> requirements.txt",
    "echo -n -f ./wheels >> requirements.txt",
    "echo -e 'requests\\n-i https://evil.example/simple' >> requirements.txt",
    "printf -- '-i https://evil.example/simple\\n' >> requirements.txt",
    "printf -- '-f https://evil.example/wheels\\n' >> requirements.txt",
    "printf 'a\\n-i https://e.example/\\n' >> requirements.txt",
    "printf 'a\\r\\n-f=https://e.example/\\n' >> requirements.txt",
    "echo '-i https://e.example/' | tee -a requirements/dev.txt",
    "echo '-f https://e.example/' | tee constraints.txt",
    "sed -i '1i -i https://e.example/' requirements.txt",
    "sed -i '/^requests/a\\ -i https://e.example/' requirements.txt",
    "sed -i '3c -f https://e.example/' requirements/dev.txt",
    "sed -i '$a -f https://e.example/w' requirements.txt",
    "cat >> requirements.txt <<'EOF'\n-i https://e.example/\nEOF",
]
CONTROLS = [
    "echo 'requests' >> requirements.txt",
    "echo '-r other.txt' >> requirements.txt",
    "echo '-e .' >> requirements.txt",
    "echo 'requests==2.0' >> constraints.txt",
    "sed -i 's/requests==1/requests==2/' requirements.txt",
    "sed -i '/^-i/d' requirements.txt",
    "sed -i -f fix.sed requirements.txt",
    "grep -f constraints.txt requirements.txt > out.txt",
    "echo '-i https://e.example/' >> notes.txt",
    "sort -f requirements.txt -o requirements.txt",
]


@pytest.mark.parametrize("command", WRITES_AN_INDEX)
def test_writing_a_short_index_option_is_refused(
    default_policy: Policy, ws: Path, command: str
) -> None:
    verdict, rule = exec_verdict(default_policy, ws, command)
    assert verdict is Verdict.DENY and rule in INDEX, (command, verdict, rule)


@pytest.mark.parametrize("command", CONTROLS)
def test_ordinary_edits_of_requirements_stay_allowed(
    default_policy: Policy, ws: Path, command: str
) -> None:
    verdict, rule = exec_verdict(default_policy, ws, command)
    assert verdict is Verdict.ALLOW, (command, rule)


@settings(max_examples=40, deadline=None)
@given(
    option=st.sampled_from(["-i", "-f", "-i ", "-f=", " -i ", "-i\t"]),
    host=st.from_regex(r"[a-z]{1,12}\.example", fullmatch=True),
    quote=st.sampled_from(["'", '"']),
    writer=st.sampled_from(
        ["echo {q}{t}{q} >> {f}", "printf -- {q}{t}\\n{q} >> {f}", "echo {q}{t}{q} | tee -a {f}"]
    ),
    target=st.sampled_from(["requirements.txt", "requirements/dev.txt", "constraints.txt"]),
)
def test_any_spelling_of_a_written_index_is_refused(
    default_policy: Policy, ws: Path, option: str, host: str, quote: str, writer: str, target: str
) -> None:
    joined = option.endswith((" ", "=", "\t"))
    text = f"{option}{'' if joined else ' '}https://{host}/simple"
    command = writer.format(q=quote, t=text, f=target)
    verdict, rule = exec_verdict(default_policy, ws, command)
    assert verdict is Verdict.DENY and rule in INDEX, (command, verdict, rule)
