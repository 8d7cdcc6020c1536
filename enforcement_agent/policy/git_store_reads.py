"""File-tool reads of git's object store (issue 10, class 9; thirty-second red-team pass).

A secret committed once (or only staged) is in ``.git/objects`` for good: a loose object is
the file's bytes compressed with zlib, a pack holds them delta-compressed. The sandbox hides a
store that holds a secret (``sandbox/git_secrets.py``), and git commands that print objects
are checked by the evaluator; the file tools were not. Shown by effect: ``read
.git/objects/60/92bf…`` through ``EnforcementAgent.handle`` returned the loose object of a
committed ``.env``, ``zlib.decompress`` of the result gave the token back (the redactor cannot
see inside compressed bytes), and the ``.pack`` after ``git gc`` came back the same way.

So a read through the file tools of anything inside an object store is denied, whether or
not the store holds a secret today: its bytes are every committed version of every file,
encoded so that neither the policy nor the redactor can tell which. Git's own commands (``git
show``, ``git log``) read the store under the evaluator's checks. A store is an ``objects``
(or ``lfs/objects``) directory in a git directory: one named ``.git`` or one that holds
``HEAD`` (a bare clone, a submodule's ``.git/modules/<name>``, the target of a ``.git``
file). One ``stat`` per ``objects`` component of the path, none for every other path.
"""

from __future__ import annotations

import os

from enforcement_agent.policy.paths import folded


def git_store_of(root: str, real: str) -> str:
    """The workspace-relative git directory whose object store holds ``real`` ("" if none).

    ``root`` is the workspace's real path, ``real`` the resolved path below it. Names are
    compared in every spelling the policy folds (case, Unicode compatibility forms, trailing
    dots: ``.GIT/Objects``, ``．git/objects``), as protected and secret names are.
    """
    rel = real[len(root) :].lstrip("/") if real.startswith(root + "/") else ""
    if not rel:
        return ""
    low = (folded(rel) or rel.lower()) if not rel.isascii() or "." in rel else rel.lower()
    if "objects" not in low:
        return ""
    parts, names = rel.split("/"), low.split("/")
    if len(parts) != len(names):  # folding never joins or splits components; be safe
        names = [n.lower() for n in parts]
    for i, comp in enumerate(names):
        if comp != "objects":
            continue
        end = i - 1 if i > 0 and names[i - 1] == "lfs" else i
        if end > 0 and names[end - 1] == ".git":
            return "/".join(parts[:end])
        if os.path.isfile(os.path.join(root, *parts[:end], "HEAD")):
            return "/".join(parts[:end]) or "."
    return ""


_MAX_DEPTH = 64  # components looked at for a write (one stat pair each): a decision's bound


def git_dir_of(root: str, real: str) -> str:
    """The workspace-relative git directory not named ``.git`` that ``real`` lies in ("" if
    none): a directory below the root holding a ``HEAD`` file and an ``objects`` directory
    (a bare clone used as a local remote, a ``--separate-git-dir`` target, a submodule's
    store). ``.git`` itself is on the protected list already.

    Its ``config`` and ``hooks/`` run when a human pushes to it or runs git in it: a write
    there is a write of a protected path (thirty-second pass: the file tools overwrote a bare
    clone's executable ``post-receive`` and the human's next ``git push backup`` ran it).
    """
    rel = real[len(root) :].lstrip("/") if real.startswith(root + "/") else ""
    parts = rel.split("/") if rel else []
    if len(parts) > _MAX_DEPTH:
        # Past the bound the answer is "inside one" (fail closed): the deeper ancestors are
        # not looked at, and a write that deep is no everyday work.
        return "/".join(parts[: _MAX_DEPTH - 1]) + "/…"
    for end in range(1, len(parts)):
        base = os.path.join(root, *parts[:end])
        if os.path.isfile(os.path.join(base, "HEAD")) and os.path.isdir(
            os.path.join(base, "objects")
        ):
            return "/".join(parts[:end])
    return ""
