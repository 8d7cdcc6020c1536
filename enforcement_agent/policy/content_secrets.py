"""Files whose *content* is a credential, whatever their name (seventeenth red-team pass).

``files.secrets`` names the files tools write credentials into (``.env``, ``id_rsa``,
``*.pem``); a private key or a key pair saved as ``notes.txt`` or ``backup/k`` matches none of
them. The output redactor masks such a key as ``cat`` prints it, but not reversed, reordered
or encoded: shown by effect through ``gonogo agent exec``, ``rev notes.txt`` and ``tac
notes.txt`` printed a PEM private key's body (``tac`` puts END before BEGIN, so the block is
not found), and ``rev keys.txt`` and ``xxd -p keys.txt`` an AWS key pair.

So a regular file that holds a credential of an unmistakable shape is a secret file while it
does, for the file tools and for every command that names it, like a name on the list:

* a PEM or OpenSSH private key block (``-----BEGIN … PRIVATE KEY-----`` and a key body);
* an AWS access key id (``AKIA``/``ASIA`` + 16) together with a 40-character secret key;
* a token with a registered, checksummed or unmistakable prefix: GitHub (``ghp_``, ``gho_``,
  ``ghu_``, ``ghs_``, ``ghr_``, ``github_pat_``), GitLab (``glpat-``), Slack (``xox?-``),
  Stripe live keys (``sk_live_``, ``rk_live_``), Google API keys (``AIza``), npm (``npm_``),
  PyPI (``pypi-AgEI``), OpenAI/Anthropic (``sk-proj-``, ``sk-ant-``).

Everything else (a password in prose, a high-entropy string of no known shape) is left to
the output redactor. Documented placeholders (``…EXAMPLE…``) do not count. Bounded: the first
256 KB of a file of at most 16 MB, read once per (device, inode, size, mtime); a file that
cannot be read does not count (the read itself then fails).
"""

from __future__ import annotations

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.regular_reads import StampedReads

_LIMIT = 256 << 10
_MAX_SIZE = 16 << 20
_SHAPES = lazy_compile(
    rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----\s*"
    rb"(?:[A-Za-z-]+:[^\n]*\n\s*)*[A-Za-z0-9+/=]{40}"
    rb"|(?<![A-Za-z0-9_])(?:"
    rb"gh[pousr]_[A-Za-z0-9]{36}"
    rb"|github_pat_[A-Za-z0-9_]{60,}"
    rb"|glpat-[A-Za-z0-9_-]{20,}"
    rb"|xox[abposr]-[0-9]{6,}-[A-Za-z0-9-]{10,}"
    rb"|[sr]k_live_[A-Za-z0-9]{24,}"
    rb"|AIza[0-9A-Za-z_-]{35}"
    rb"|npm_[A-Za-z0-9]{36}"
    rb"|pypi-AgEI[A-Za-z0-9_-]{50,}"
    rb"|sk-(?:proj|ant-api\d\d|ant-admin\d\d)-[A-Za-z0-9_-]{40,}"
    rb")(?![A-Za-z0-9_])"
)
_AWS_ID = lazy_compile(rb"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
_AWS_SECRET = lazy_compile(rb"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_PLACEHOLDER = lazy_compile(rb"(?i)example|x{8}|0{16}|your|redacted|dummy|placeholder")


# Each shape holds one of these: a file with none (almost every file) is not searched further.
_HINTS = (
    b"PRIVATE KEY", b"AKIA", b"ASIA", b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_",
    b"github_pat_", b"glpat-", b"xox", b"k_live_", b"AIza", b"npm_", b"pypi-", b"sk-",
)  # fmt: skip


def _kind(data: bytes) -> str:
    if not any(h in data for h in _HINTS):
        return ""
    for m in _SHAPES.finditer(data):
        if not _PLACEHOLDER.search(m.group(0)):
            return "a private key" if m.group(0).startswith(b"-") else "an access token"
    for m in _AWS_ID.finditer(data):
        if _PLACEHOLDER.search(m.group(0)):
            continue
        for s in _AWS_SECRET.finditer(data):
            v = s.group(0)
            text = v.decode()
            mixed = any(c.isupper() for c in text) and any(c.islower() for c in text)
            if mixed and any(c.isdigit() for c in text) and not _PLACEHOLDER.search(v):
                return "an AWS key pair"
    return ""


def credential_in(path: str) -> str:
    """What credential the regular file at ``path`` holds ("" when none): see the module."""
    return _READS(path)


_READS = StampedReads(_kind, "", _LIMIT, _MAX_SIZE)
