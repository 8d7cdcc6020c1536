"""Differential check of two source trees' redaction: where does one mask less than the other?

Runs the same generated documents through ``Redactor.redact_bytes`` and ``Redactor.stream()``
(fed at awkward chunk sizes) of two checkouts, each in its own process, cold and then warm (the
documents again, in reverse order: remembered answers in play), and prints every document whose
outputs differ, mode by mode. Made for the cache red team of the second speed pass
(rt14-cache): ``git worktree add /tmp/base c49407b`` and

    .venv/bin/python benchmarks/perf/diff_redaction_trees.py --base /tmp/base --new . \\
        --corpus /work/shared/corpora/secrets --docs 1000 --seed 1

Documents: corpus positives and negatives, each line behind a context that changes how the
same bytes read (a header above, an open PEM block or JSON string, a continued assignment,
colour codes, ``\\r`` overwrites), repeated, shuffled.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

_WORKER = r"""
import json, sys
from enforcement_agent.redaction.redactor import Redactor
inputs = [s.encode("latin-1") for s in json.load(open(sys.argv[1]))]
chunks = [int(x) for x in sys.argv[3].split(",")]
r = Redactor(key=b"k" * 32)
def one(data):
    outs = [r.redact_bytes(data)]
    for c in chunks:
        s = r.stream()
        outs.append(b"".join(s.feed(data[i:i + c]) for i in range(0, len(data), c)) + s.flush())
    return outs
res = [one(d) for d in inputs]
for i in reversed(range(len(inputs))):
    res[i] += one(inputs[i])
json.dump([[o.decode("latin-1") for o in outs] for outs in res], open(sys.argv[2], "w"))
"""

_CONTEXTS = (
    "",
    "x = (\n",
    "foo(\n",
    "-----BEGIN RSA PRIVATE KEY-----\n",
    '{"a": "\\\n',
    "name  password\n",
    "| user | token |\n|---|---|\n",
    "password =\n",
    "secret:\n",
    "\x1b[32m",
    "\x1b]0;t\x07",
    "\x9b1m",
    "benign line\r",
    "token = \\\n",
    "<secret>\n",
    "curl -u \\\n",
    "a" * 60 + "\n",
    "--password ",
)
_CODES = (
    "\x1b[0m",
    "\x1b[1;31m",
    "\x1b(B",
    "\x1b[1C",
    "\x1b]8;;http://x\x1b\\",
    "\x9b0m",
    "\x1b[ q",
)


def _documents(corpus: Path, n: int, seed: int) -> list[bytes]:
    r = random.Random(seed)

    def texts(name: str) -> list[str]:
        rows = (json.loads(x)["text"] for x in (corpus / name).open(encoding="utf-8"))
        return [t for t in rows if len(t) < 600]

    pos, neg = texts("positives.jsonl"), texts("negatives.jsonl")

    def mutate(t: str) -> str:
        k = r.random()
        if k < 0.2 and t:
            i = r.randrange(len(t))
            return t[:i] + r.choice(_CODES) + t[i:]
        return t + "\r" if k < 0.3 else "\r" + t if k < 0.4 else t

    docs = []
    for _ in range(n):
        p, q = r.choice(pos), r.choice(neg)
        lines = [r.choice(_CONTEXTS) + mutate(q), r.choice(_CONTEXTS) + mutate(p), mutate(p)]
        lines += [r.choice(_CONTEXTS) + p, q]
        r.shuffle(lines)
        docs.append(("\n".join(lines) + r.choice(("", "\n", "\r\n"))).encode())
    return docs


def _run(tree: Path, docs: list[bytes], chunks: str, tmp: Path) -> list[list[str]]:
    src, dst = tmp / "in.json", tmp / f"out-{abs(hash(str(tree)))}.json"
    src.write_text(json.dumps([d.decode("latin-1") for d in docs]))
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, "-c", _WORKER, str(src), str(dst), chunks]
    subprocess.run(cmd, env=env, check=True, cwd=tmp)
    out: list[list[str]] = json.loads(dst.read_text())
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--new", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunks", default="1,7,64")
    args = ap.parse_args()
    docs = _documents(args.corpus, args.docs, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        base = _run(args.base.resolve(), docs, args.chunks, Path(tmp))
        new = _run(args.new.resolve(), docs, args.chunks, Path(tmp))
    differ = [i for i, (a, b) in enumerate(zip(base, new, strict=True)) if a != b]
    print(f"documents {len(docs)}, outputs differ in {len(differ)}")
    for i in differ[:20]:
        print(repr(docs[i][:300]))
        for k, (a, b) in enumerate(zip(base[i], new[i], strict=True)):
            if a != b:
                print(f"  mode {k}\n    base {a[:200]!r}\n    new  {b[:200]!r}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
