"""Differential check of two source trees' redaction over the per-class bench corpus, the held-out
generators and generated coloured text: which documents come out differently?

Made for the fourth speed pass (rt-speed4), beside ``diff_redaction_trees.py`` (corpus lines in
changing contexts). The inputs are generated once, here, and fed to both trees: several classes
read the tree they run from (``git log`` of its repository, installed distributions' records)
and the eleventh held-out generator draws colours from the unseeded ``random``, so inputs made
in each tree differ where the engines do not. Each tree runs in its own process
(``PYTHONPATH``), whole, streamed at several chunk sizes and warm (the same input again)::

    git worktree add --detach /tmp/base main
    .venv/bin/python benchmarks/perf/diff_redaction_classes.py --base /tmp/base --new . \\
        --mb 0.3 --seeds 7,21,99

Prints the number of outputs compared and every key whose output differs; exits 1 if any does.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import inspect
import json
import os
import pickle
import random
import subprocess
import sys
import tempfile
from pathlib import Path

_WORKER = r"""
import hashlib, json, pickle, sys
from enforcement_agent.redaction.redactor import Redactor
docs = pickle.load(open(sys.argv[1], "rb"))
chunks = [int(x) for x in sys.argv[3].split(",")]
out = {}
for key, data in docs.items():
    r = Redactor(key=b"k" * 32)
    outs = [r.redact_bytes(data)]
    for c in chunks:
        s = r.stream()
        outs.append(b"".join(s.feed(data[i:i + c]) for i in range(0, len(data), c)) + s.flush())
    outs.append(r.redact_bytes(data))
    out[key] = [hashlib.sha256(o).hexdigest() for o in outs]
json.dump(out, open(sys.argv[2], "w"))
"""

_CODES = (
    "\x1b[0m",
    "\x1b[1;31m",
    "\x1b[38;5;208m",
    "\x1b[K",
    "\x1b(B",
    "\x1b7",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x1bPdata\x1b\\",
    "\x1b[3C",
    "\x1b[C",
    "\x1b[12D",
    "\x1b[40G",
    "\x1b[12345C",
    "\x1b[1;2C",
    "\x1b",
    "\x1b[",
    "\xc2\x9b1m",
    "\\u001b[32m",
    "\\x1b[1C",
    "\x1b[32m",
)
_WORDS = (
    "password",
    "token",
    "api_key",
    "secret",
    "=",
    ": ",
    " ",
    "ok",
    "PASSED",
    "loaded credential",
    "| ",
    "name",
    "value",
    "\t",
    "Authorization: Bearer ",
    "var.db_password",
    "${DB_PASSWORD}",
)
_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def coloured(n: int) -> dict[str, bytes]:
    """``n`` documents of colour codes of every kind (cursor moves, 8-bit CSI, written escapes,
    OSC/DCS strings, cut codes), credential words and key-shaped values."""
    docs = {}
    for seed in range(n):
        r = random.Random(seed)
        lines = []
        for _ in range(r.randrange(1, 40)):
            parts = []
            for _ in range(r.randrange(1, 12)):
                x = r.random()
                if x < 0.4:
                    parts.append(r.choice(_CODES))
                elif x < 0.5:
                    parts.append("".join(r.choice(_AN) for _ in range(r.choice((20, 36, 40)))))
                else:
                    parts.append(r.choice(_WORDS))
            lines.append("".join(parts))
        docs[f"coloured/{seed}"] = "\n".join(lines).encode("latin-1", "ignore") + b"\n"
    return docs


def _generators() -> list[str]:
    """The held-out generators' module names (``tests/redaction/<name>_variations.py``)."""
    here = Path(__file__).resolve().parents[2] / "tests" / "redaction"
    return sorted(p.stem for p in here.glob("*_variations.py") if not p.stem.startswith("test_"))


def held_out(draws: int = 1) -> dict[str, bytes]:
    """Every case of the held-out generators ``tests/redaction/*_variations.py`` (tenth speed
    pass: all of them, each at ``draws`` draws where it takes one; the ninth pass's five), and
    all of them joined into one document."""
    docs: dict[str, bytes] = {}
    for mod in _generators():
        m = importlib.import_module(f"tests.redaction.{mod}")
        params = inspect.signature(m.cases).parameters
        if "seeds" in params:
            batches = [list(m.cases(range(400), 400))]
        elif "draw" in params:
            batches = [list(m.cases(draw)) for draw in range(draws)]
        else:
            batches = [list(m.cases())]
        for d, cases in enumerate(batches):
            for i, c in enumerate(cases):
                docs[f"{mod.removesuffix('_variations')}/{d}/{i}"] = c.text.encode()
    docs["held-out/joined"] = b"\n".join(docs.values())
    return docs


def classes(mb: float, seeds: list[int]) -> dict[str, bytes]:
    """Every class of the per-class bench, clean and with secrets planted, at each seed."""
    from benchmarks.perf.agent_output import CLASSES, corpus, planted

    docs = {}
    for name in CLASSES:
        for seed in seeds:
            clean = corpus(name, int(mb * 1e6), seed=seed)
            docs[f"{name}/{seed}/clean"] = clean
            docs[f"{name}/{seed}/planted"] = planted(clean, seed=seed)[0]
    return docs


def _run(tree: Path, src: Path, dst: Path, chunks: str) -> dict[str, list[str]]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, "-c", _WORKER, str(src), str(dst), chunks]
    subprocess.run(cmd, env=env, check=True, cwd=tree)
    result: dict[str, list[str]] = json.loads(dst.read_text())
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--new", type=Path, required=True)
    ap.add_argument("--mb", type=float, default=0.3, help="MB per class and seed")
    ap.add_argument("--seeds", default="7,21,99")
    ap.add_argument("--coloured", type=int, default=1500)
    ap.add_argument("--chunks", default="1,7,64,4093,65536")
    ap.add_argument("--no-held-out", action="store_true")
    ap.add_argument("--draws", type=int, default=1, help="draws of each drawn generator")
    args = ap.parse_args(argv)
    # The inputs are made from this checkout (the generators and corpus live beside the bench).
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    docs = classes(args.mb, [int(s) for s in args.seeds.split(",")])
    docs.update(coloured(args.coloured))
    if not args.no_held_out:
        docs.update(held_out(args.draws))
    # 1- and 7-byte chunks only for short documents (a class MB at 1 byte a feed takes minutes).
    with tempfile.TemporaryDirectory() as tmp:
        outs = {}
        for tag, tree in (("base", args.base), ("new", args.new)):
            res: dict[str, list[str]] = {}
            for small in (True, False):
                part = {k: v for k, v in docs.items() if (len(v) < 20_000) is small}
                chunks = (
                    args.chunks
                    if small
                    else ",".join(c for c in args.chunks.split(",") if int(c) >= 4093)
                )
                src = Path(tmp) / f"{tag}-{small}.pickle"
                src.write_bytes(pickle.dumps(part))
                res.update(_run(tree.resolve(), src, Path(tmp) / f"{tag}-{small}.json", chunks))
            outs[tag] = res
    differ = sorted(k for k in outs["base"] if outs["base"][k] != outs["new"].get(k))
    n = sum(len(v) for v in outs["base"].values())
    digest = hashlib.sha256(json.dumps(outs["new"], sort_keys=True).encode()).hexdigest()[:16]
    print(f"documents {len(docs)}, outputs {n}, differ in {len(differ)} (new outputs {digest})")
    for k in differ:
        print("  differs:", k)
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
