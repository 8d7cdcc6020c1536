"""Nineteenth held-out contextual pass (issue 18, ctx19): the classes the nineteenth generator
(``tests/redaction/nineteenth_variations.py``) found, each with many draws per test and clean
controls, every case whole, by the pure-Python engine and streamed (``HeldOut``):

- a value hard-wrapped at the terminal's width with fewer than 8 of its characters (or none) on
  the line above, and a hex key cut in two (real ``tmux capture-pane`` without ``-J``);
- the rest of a table's secret cell cut at the terminal's width, alone at the next line's start
  (an aligned listing wider than the terminal; real ``tmux capture-pane``);
- other-language names (``PAT``, ``clave``, ``jelszó``, ``PASSWORT``) as a quoted key or an
  environment entry over a value of 64+ characters: hyperscan's confirmation read 64 bytes past
  the separator and the value leaked (the pure-Python engine masked it);
- over-masking: base64 of a public PEM (a Kubernetes secret's ``ca.crt``/``tls.crt``, a
  kubeconfig's ``certificate-authority-data``) under any name (real ``openssl``, in kubectl's layout);
  ``artifactory-password`` inside a base64 run or a PEM body line; an auth scheme word ending a
  longer name before a type path or a timestamp (``kubectl get secrets -A``'s
  ``worker-sa-token   kubernetes.io/service-account-token   2026-11-30T10:00:00Z``).
"""

from __future__ import annotations

import base64
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.redaction import nineteenth_variations as gen
from tests.redaction.held_out import HeldOut

H = HeldOut(sizes=(7, 64, 4096))
_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_HEX = "0123456789abcdef"
_LOG = "2026-12-05T20:00:00.123Z INFO  app.settings loaded region=eu-west-1 pool=10 tls=on "


def _draws(seed: str, n: int, make: object) -> list[object]:
    rnd = random.Random(f"ctx19-test:{seed}")
    return [make(rnd) for _ in range(n)]  # type: ignore[operator]


def _cut(line: str, width: int) -> str:
    return "\n".join(line[i : i + width] for i in range(0, len(line), width)) + "\n"


# --- a value hard-wrapped with 0 to 7 of its characters on the line above -----------------------

NAMES = ["access_token", "client_secret", "password", "api_key", "refresh_token", "db_password",
         "AUTH_TOKEN", "webhook_secret", "private_key", "SECRET"]  # fmt: skip


def _wrapped_case(rnd: random.Random) -> tuple[str, list[str]]:
    name = rnd.choice(NAMES)
    v = gen.key(rnd)
    while v.startswith("A1a-"):  # (the dashed form's ``-`` may end the line: no value char)
        v = gen.key(rnd)
    cut = rnd.randrange(0, 8)
    width = rnd.choice([80, 100, 120, 132])
    line = _LOG + "retries=3 " * 4 + f"{name}={v} timeout=30"
    at = line.index(f"{name}={v}") + len(name) + 1 + cut
    text = line[max(0, at - width) : at] + "\n" + _cut(line[at:], width)
    return text, [v[cut:]] + ([v[:cut]] if cut >= 4 else [])


@pytest.mark.parametrize("seed", range(6))
def test_wrapped_value_short_first_line(seed: int) -> None:
    """40 draws a seed: 0 to 7 of the value's characters end the first line, the rest opens the
    next; the rest (and a first part of 4+) is masked."""
    for text, secrets in _draws(f"wrap{seed}", 40, _wrapped_case):  # type: ignore[misc]
        H.masked(text, secrets)


# (the line above holds a short or no value; the line below must come back as it was)
WRAPPED_KEPT = [
    (f"{_LOG}retries=3 retries=3 token=ab\n", "Retrying in 5s"),
    (f"{_LOG}retries=3 retries=3 token=\n", "Connection refused"),
    (f"{_LOG}retries=3 retries=3 password=x\n", "AbstractBaseClient2 started"),
    (f"{_LOG}retries=3 retries=3 token=ab12\n", "3f2b9c1d4e5f60718293a4b5c6d7e8f901234567 fix it"),
    (f"{_LOG}retries=3 retries=3 token=Qm7vX2kR9tL4\n", "3f2b9c1d4e5f60718293a4b5c6d7e8f9 done"),
    (f"{_LOG}retries=3 retries=3 secret=\n", "eu-west-1 ready"),
    (f"{_LOG}retries=3 retries=3 api_key=\n", "DEADBEEF"),
    (f"{_LOG}retries=3 retries=3 token:\n", "ProcessingRequests done"),
    ("token=\n", "Qm7vX2kR9tL4wP8zN3bH6jF1dS5gA0cY"),  # (a short line above: no wrap)
]


@pytest.mark.parametrize(("above", "below"), WRAPPED_KEPT)
def test_wrapped_next_line_kept(above: str, below: str) -> None:
    whole = H.masked(above + below + "\n", []).decode()
    assert whole.endswith("\n" + below + "\n"), whole


def test_real_tmux_capture(tmp_path: Path) -> None:
    """tmux ``capture-pane -p`` (no ``-J``) of log lines whose value the 100-column pane cuts
    with 0 to 4 of its characters on the first line; the control: tmux printed the pieces."""
    tmux = shutil.which("tmux")
    assert tmux is not None
    keys = [
        "g5a7xJ5quYFRqnPKOiugoUFopsGFq7LkGXJhSNlEg7Rv",
        "c1adfc2cc28fa6d8abb6faaa4e3dc58973dbf6ba",
    ]
    lines = []
    for pre in ("", "x", "xyz", "xyzw"):
        lines.append(f"{_LOG}{pre}access_token={keys[0]} timeout=30")
        lines.append(f"{_LOG}{pre}client_secret={keys[1]} timeout=30")
    src = tmp_path / "lines.txt"
    src.write_text("\n".join(lines) + "\n")
    sock = f"ctx19-{tmp_path.name}"
    try:
        subprocess.run([tmux, "-L", sock, "new-session", "-d", "-x", "100", "-y", "30",
                        f"cat {src}; sleep 30"], check=True)  # fmt: skip
        text = ""
        for _ in range(50):
            text = subprocess.run([tmux, "-L", sock, "capture-pane", "-p", "-t", "0"],
                                  check=True, capture_output=True, text=True).stdout  # fmt: skip
            if text.count("timeout=30") == 8:
                break
            subprocess.run(["sleep", "0.1"], check=True)
    finally:
        subprocess.run([tmux, "-L", sock, "kill-server"], check=False, capture_output=True)
    assert text.count("timeout=30") == 8, text
    # the control: the pane cut every name=value pair, 0 to 4 characters of the value (or the
    # name's ``=`` too) left on the line of the name
    assert not any(k in ln for k in keys for ln in text.splitlines() if ln.startswith("2026"))
    pieces = [ln.split(" ")[0].lstrip("=") for ln in text.splitlines() if ln.endswith("timeout=30")]
    assert len(pieces) == 8 and all(len(p) >= 36 for p in pieces), pieces
    whole = H.masked(text, pieces).decode()
    assert whole.count("timeout=30") == 8


# --- the rest of a table cell hard-wrapped at the terminal's width --------------------------------


def _wide_table(rnd: random.Random) -> tuple[str, list[str]]:
    col = rnd.choice(
        ["API_TOKEN", "SECRET", "PASSWORD", "CLIENT_SECRET", "ACCESS_KEY", "credentials"]
    )
    vals = [gen.key(rnd) for _ in range(3)]
    head = ["NAMESPACE", "NAME", "TYPE", "CREATED", col]
    rows = [["default", f"{s}-creds", rnd.choice(["Opaque", "kubernetes.io/basic-auth"]),
             "2026-11-30T10:00:00Z", v] for s, v in zip(gen._SVC, vals, strict=False)]  # fmt: skip
    w = gen._w([head, *rows])
    lines = ["   ".join(c.ljust(w[k]) for k, c in enumerate(r)).rstrip() for r in [head, *rows]]
    # (the header fits the terminal, the rows do not; a header whose own name is cut is open)
    width = rnd.randint(len(lines[0]) + 1, max(len(lines[0]) + 1, max(map(len, lines)) - 4))
    text = "".join(_cut(x, width) for x in lines)
    secrets = []
    for v in vals:
        secrets += [p for p in gen._wrapped_secrets(text, v) if len(p) >= 6] or [v]
    return text, secrets


@pytest.mark.parametrize("seed", range(3))
def test_wrapped_table_cell_rest(seed: int) -> None:
    """25 draws a seed: every value's piece at the line end and its rest below are masked."""
    for text, secrets in _draws(f"wide{seed}", 25, _wide_table):  # type: ignore[misc]
        H.masked(text, secrets)


# (a row whose secret cell ends a wide line, and the line below: kept)
CELL_REST_KEPT = [
    "Done",
    "Xk9Qp2Lm7Zt4   eu-west-1",  # a row of the table opening with a random cell
    "3f2b9c1d4e5f60718293a4b5c6d7e8f901234567",  # a whole commit id under a key cell
    "AbstractBaseClient",
    "(3 rows)",
]


@pytest.mark.parametrize("below", CELL_REST_KEPT)
def test_wrapped_table_cell_next_line_kept(below: str) -> None:
    k = "Qm7vX2kR9tL4wP8zN3bH6jF1dS5gA0cYQm7vX2kR9tL4wP8z"
    text = f"NAME          REGION      SECRET\nweb-frontend  eu-west-1   {k}\n{below}\n"
    whole = H.masked(text, [k]).decode()
    assert whole.endswith("\n" + below + "\n"), whole


def test_wrapped_table_clean() -> None:
    rnd = random.Random(9)
    # id columns cut at the terminal's width stay as they were
    rows = [["NAME", "REGION", "COMMIT"]] + [
        [s, "eu-west-1", "".join(rnd.choice(_HEX) for _ in range(40))] for s in gen._SVC[:3]
    ]
    w = gen._w(rows)
    lines = ["   ".join(c.ljust(w[k]) for k, c in enumerate(r)).rstrip() for r in rows]
    H.unchanged("".join(_cut(x, 50) for x in lines))


def test_real_tmux_wide_table(tmp_path: Path) -> None:
    """An aligned listing of 136 columns in a 100-column tmux pane: each secret cell cut, its
    rest alone on the next line (the control: tmux printed it so)."""
    tmux = shutil.which("tmux")
    assert tmux is not None
    k1, k2 = (
        "Qm7vX2kR9tL4wP8zN3bH6jF1dS5gA0cYQm7vX2kR9tL4wP8z",
        "c1adfc2cc28fa6d8abb6faaa4e3dc58973dbf6bac1adfc2c",
    )
    rows = [["NAMESPACE", "NAME", "TYPE", "CREATED", "API_TOKEN"],
            ["default", "api-sa-token", "kubernetes.io/service-account-token", "2026-11-30T10:00:00Z", k1],
            ["default", "worker-sa", "Opaque", "2026-11-30T10:00:00Z", k2],
            ["default", "web", "Opaque", "2026-11-30T10:00:00Z", "<none>"]]  # fmt: skip
    w = gen._w(rows)
    src = tmp_path / "wide.txt"
    src.write_text(
        "\n".join("   ".join(c.ljust(w[k]) for k, c in enumerate(r)).rstrip() for r in rows) + "\n"
    )
    sock = f"ctx19w-{tmp_path.name}"
    try:
        subprocess.run([tmux, "-L", sock, "new-session", "-d", "-x", "100", "-y", "30",
                        f"cat {src}; sleep 30"], check=True)  # fmt: skip
        text = ""
        for _ in range(50):
            text = subprocess.run([tmux, "-L", sock, "capture-pane", "-p", "-t", "0"],
                                  check=True, capture_output=True, text=True).stdout  # fmt: skip
            if "<none>" in text:
                break
            subprocess.run(["sleep", "0.1"], check=True)
    finally:
        subprocess.run([tmux, "-L", sock, "kill-server"], check=False, capture_output=True)
    text = text.rstrip("\n") + "\n"
    assert k1 not in text and k1[12:] in text and k2[12:] in text  # the control: cut at 100
    whole = H.masked(text, [k1[:12], k1[12:], k2[:12], k2[12:]]).decode()
    assert "kubernetes.io/service-account-token" in whole


# --- other-language names over a value of 64+ characters ----------------------------------------

FOREIGN = ["PAT", "clave", "CLAVE", "PASSWORT", "jelszó", "contraseña", "mot_de_passe", "senha",
           "Kennwort", "пароль", "parola"]  # fmt: skip
_FORMS = ['"{n}={v}"', '["PATH=/usr/bin", "{n}={v}", "LANG=C"]', '{{"{n}": "{v}"}}',
          "{{'{n}': '{v}'}}", '"{n}" => "{v}"', '{{"Env": ["{n}={v}"]}}']  # fmt: skip


def _foreign_case(rnd: random.Random) -> tuple[str, list[str]]:
    n = rnd.choice(FOREIGN)
    v = "".join(rnd.choice(_AN) for _ in range(rnd.choice([60, 64, 80, 120, 200, 400])))
    return rnd.choice(_FORMS).format(n=n, v=v) + "\n", [v]


@pytest.mark.parametrize("seed", range(3))
def test_foreign_names_long_values(seed: int) -> None:
    for text, secrets in _draws(f"foreign{seed}", 40, _foreign_case):  # type: ignore[misc]
        H.masked(text, secrets)


def test_foreign_names_clean() -> None:
    for text in (
        '{"PAT": "<redacted>"}\n',
        '"CLAVE=${CLAVE}"\n',
        '{"pat": "pattern-' + "x" * 70 + '"}\n',
    ):
        H.unchanged(text)


# --- base64 of a public PEM ---------------------------------------------------------------------


def _pem(rnd: random.Random, label: str) -> str:
    body = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(rnd.choice([300, 700, 1200]))))
    lines = [body[i : i + 64].decode() for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def test_pem_in_secret_data_map_masked() -> None:
    """A certificate inside a Secret manifest's ``data:``/``stringData:`` map (YAML; a JSON
    manifest's long quoted values are left by the generic rules on ``main`` too)."""
    rnd = random.Random(4)
    v = base64.b64encode(_pem(rnd, "CERTIFICATE").encode()).decode()
    pad = "  other: " + "QUJD" * 300 + "\n"
    for text in (
        f"apiVersion: v1\ndata:\n  ca.crt: {v}\nkind: Secret\n",
        f"kind: Secret\ndata:\n{pad}  tls.crt: {v}\n",
    ):
        H.masked(text, [v[40:100]])


def _pem_clean(rnd: random.Random) -> str:
    label = rnd.choice(
        ["CERTIFICATE", "CERTIFICATE", "PUBLIC KEY", "X509 CRL", "CERTIFICATE REQUEST"]
    )
    v = base64.b64encode(_pem(rnd, label).encode()).decode()
    name = rnd.choice(["ca.crt", "tls.crt", "certificate-authority-data", "client-certificate-data",
                       "caBundle", "data", "cert", "value"])  # fmt: skip
    return rnd.choice(
        [f"{name}: {v}\n", f"  {name}: {v}\n", f'{{"{name}": "{v}"}}\n', f"{name}={v}\n"]
    )


@pytest.mark.parametrize("seed", range(2))
def test_public_pem_base64_clean(seed: int) -> None:
    for text in _draws(f"pem{seed}", 20, _pem_clean):
        H.unchanged(text)  # type: ignore[arg-type]


def test_private_key_base64_still_masked() -> None:
    from tests.redaction.helpers import private_key_block

    rnd = random.Random(5)
    key = base64.b64encode((private_key_block() + "\n").encode()).decode()
    bundle = base64.b64encode(
        (_pem(rnd, "CERTIFICATE") + private_key_block() + "\n").encode()
    ).decode()
    H.masked(f"tls.key: {key}\n", [key[:40]])
    H.masked(f"ca.crt: {bundle}\n", [bundle[-60:]])  # a key after the certificate: decoded, masked


def test_pem_body_lines_clean() -> None:
    """Certificates' body lines, some opening with ``AP`` and a hex digit (artifactory's form)."""
    rnd = random.Random(11)
    for _ in range(20):
        pem = _pem(rnd, "CERTIFICATE").split("\n")
        k = rnd.randrange(1, len(pem) - 3)
        pem[k] = "AP" + rnd.choice("0123456789ABCDEF") + pem[k][3:]
        H.unchanged("\n".join(pem))
    blob = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(90))).decode()
    H.unchanged(f"avatar: {blob[:20]}+AP9cyDWHNm6tQ3CoRNl3dnYHw+{blob[20:]}\n")


def test_artifactory_still_masked() -> None:
    rnd = random.Random(3)
    v = "AP6" + "".join(rnd.choice(_AN) for _ in range(20))
    for text in (f"token {v}\n", f"ARTIFACTORY={v}\n", f"x {v} y\n", f"{v}\n", f"pw: '{v}'\n"):
        H.masked(text, [v])


@pytest.fixture(scope="module")
def tls_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A real ``openssl req -x509`` key and certificate, laid out as kubectl 1.32 prints them
    (``kubectl create secret tls --dry-run=client`` as YAML and through a go-template, and
    ``kubectl config view --raw`` of a kubeconfig with both embedded); kubectl's layout is
    written here, line for line, because kubectl is no Debian package CI can install."""
    openssl = shutil.which("openssl")
    assert openssl is not None
    d = tmp_path_factory.mktemp("ctx19-tls")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=ctx19",
                    "-days", "1", "-keyout", str(d / "k.pem"), "-out", str(d / "c.pem")],
                   check=True, capture_output=True)  # fmt: skip
    crt = base64.b64encode((d / "c.pem").read_bytes()).decode()
    key = base64.b64encode((d / "k.pem").read_bytes()).decode()
    return {
        "yaml": (
            f"apiVersion: v1\ndata:\n  tls.crt: {crt}\n  tls.key: {key}\nkind: Secret\n"
            "metadata:\n  creationTimestamp: null\n  name: web\ntype: kubernetes.io/tls\n"
        ),
        "template": f"tls.crt: {crt}\ntls.key: {key}\n",
        "kubeconfig": (
            f"apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {crt}\n"
            '    server: https://10.0.0.1\n  name: c\ncontexts: null\ncurrent-context: ""\n'
            "kind: Config\npreferences: {}\nusers:\n- name: u\n  user:\n"
            f"    client-certificate-data: {crt}\n    client-key-data: {key}\n"
        ),
    }


@pytest.mark.parametrize("kind", ["yaml", "template", "kubeconfig"])
def test_real_kubectl_tls(tls_outputs: dict[str, str], kind: str) -> None:
    text = tls_outputs[kind]
    crt = [ln.split(": ")[1] for ln in text.splitlines() if "crt:" in ln or "certificate" in ln]
    key = [
        ln.split(": ")[1] for ln in text.splitlines() if ".key:" in ln or "client-key-data" in ln
    ]
    assert crt and key and all(c.startswith("LS0tLS1CRUdJTiBDRVJU") for c in crt)  # the control
    whole = H.masked(text, [k[40:100] for k in key]).decode()
    for c in crt:
        # printed alone the certificates come back as they were; in a Secret manifest's data map
        # they stay masked (gitleaks' ``kubernetes-secret-yaml``: the corpus's positive)
        assert (c in whole) == (kind != "yaml")


# --- an auth scheme word ending a longer name -----------------------------------------------------

_TYPES = ["kubernetes.io/service-account-token", "bootstrap.kubernetes.io/token", "helm.sh/release.v1",
          "kubernetes.io/dockerconfigjson", "kubernetes.io/tls", "Opaque"]  # fmt: skip


def _listing(rnd: random.Random) -> str:
    rows = []
    for _ in range(rnd.randrange(2, 6)):
        svc = rnd.choice(gen._SVC)
        name = rnd.choice([f"{svc}-sa-token", f"{svc}-token-{''.join(rnd.choice('bcdfghjklmnpqrstvwxz2456789') for _ in range(5))}",
                           f"{svc}-bootstrap-token"])  # fmt: skip
        rows.append(["default", name, rnd.choice(_TYPES), str(rnd.randrange(1, 4)),
                     rnd.choice(["10d", "2026-11-30T10:00:00Z", "3h"])])  # fmt: skip
    head = ["NAMESPACE", "NAME", "TYPE", "DATA", "AGE"]
    keep = rnd.random() < 0.5
    w = gen._w([head, *rows])
    out = [
        "   ".join(c.ljust(w[k]) for k, c in enumerate(r)).rstrip()
        for r in ([head] if keep else []) + rows
    ]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("seed", range(3))
def test_secret_listing_clean(seed: int) -> None:
    """``kubectl get secrets -A`` rows, with or without their header: 30 draws a seed."""
    for text in _draws(f"list{seed}", 30, _listing):
        H.unchanged(text)  # type: ignore[arg-type]


def test_scheme_values_still_masked() -> None:
    k = "Qm7vX2kR9tL4wP8zN3bH6jF1dS5gA0cY"
    for text in (f"Authorization: Bearer {k}\n", f"x-auth-token  {k}\n", f"api-sa-token   {k}\n",
                 "Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJlMTIz\n"):  # fmt: skip
        H.masked(text, [k] if k in text else ["c2lnbmF0dXJlMTIz"])


# --- the generator, a draw never tuned on, small -------------------------------------------------


def test_generator_draw() -> None:
    """Draw 7 (never looked at), 6 cases a shape: the open shapes only leak (``pat`` as a bare
    setting name: padded HCL, a coloured grep line, a one-blank table, a box cell, a wrapped
    value), no clean line changed but wrapped placeholders, streamed and pure-Python equal to
    whole."""
    res = gen.measure(7, 6)
    open_ = {"tf_state_show", "sqlcmd", "box_cell_wrap", "grep_n_color", "wrapped_short"}
    leaks = {k: v[2:6] for k, v in res.items() if any(v[2:6]) and k not in open_}
    assert not leaks, leaks
    assert sum(v[8] for v in res.values()) == 0
    over = {k: v[7] for k, v in res.items() if v[7]}
    assert set(over) <= {"wrapped_short_clean"}, over
