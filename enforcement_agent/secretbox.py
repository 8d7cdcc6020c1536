"""Provider tokens at rest: AES-256-GCM envelope encryption with key ids.

Layout under ``<state>/secrets/`` (every file 0600, written atomically and fsynced):

``keyring.json``   data keys (DEKs), each **wrapped** by the key-encryption key (KEK):
                   ``{"kid", "kek_id", "wrapped", "created_at", "state"}``; states ``active``
                   (may decrypt), ``primary`` (encrypts new records; exactly one) and
                   ``retired`` (wrapped material destroyed, kept as history)
``store.json``     one record per (tenant, connector): ``{"kid", "nonce", "ciphertext"}``; the
                   AAD binds each ciphertext to its tenant, connector and key id, so a record
                   moved to another slot does not decrypt
``events.jsonl``   who did what when (set, rotate with its steps, verify, migrate)

A data key exists unwrapped only in this process's memory. The KEK never lives under the state
directory: :class:`LocalKek` reads it from ``GONOGO_KEK`` (base64 of 32 bytes) or a key file
(``GONOGO_KEK_FILE``, default ``~/.config/gonogo/kek``) and refuses a file inside the state
directory or readable by others. A KMS (AWS KMS, GCP KMS, Vault transit) plugs in as another
:class:`KeyEncryptionKey`: ``wrap``/``unwrap`` of 32-byte data keys is all it has to do.
"""

from __future__ import annotations

import base64
import json
import os
import secrets as pysecrets
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SCHEMA = "gonogo.secrets/v1"
KEK_ENV = "GONOGO_KEK"
KEK_FILE_ENV = "GONOGO_KEK_FILE"
DEFAULT_KEK_FILE = Path("~/.config/gonogo/kek")
MAX_SECRET_BYTES = 64 * 1024
_NONCE = 12


class SecretStoreError(Exception):
    """A store, keyring or key that cannot be used (one line, no secret in it)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise SecretStoreError(f"{what} is not base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise SecretStoreError(f"{what} is not valid base64") from None


def _now() -> datetime:
    return datetime.now(UTC)


class KeyEncryptionKey(Protocol):
    """Wraps data keys. The seam for a KMS: the same two calls against its API."""

    @property
    def kek_id(self) -> str: ...

    def wrap(self, dek: bytes, context: bytes) -> bytes: ...

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes: ...


@dataclass(frozen=True)
class LocalKek:
    """A 32-byte KEK held outside the state directory (environment or a private key file)."""

    key: bytes = field(repr=False)
    source: str

    def __post_init__(self) -> None:
        if len(self.key) != 32:
            raise SecretStoreError(f"the KEK from {self.source} is not 32 bytes")

    @property
    def kek_id(self) -> str:
        import hashlib

        # Names the key without revealing it (a hash of a 256-bit random key).
        return "local:" + hashlib.sha256(b"gonogo-kek-id\0" + self.key).hexdigest()[:16]

    def wrap(self, dek: bytes, context: bytes) -> bytes:
        nonce = pysecrets.token_bytes(_NONCE)
        return nonce + AESGCM(self.key).encrypt(nonce, dek, b"gonogo-dek/v1\0" + context)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        try:
            return AESGCM(self.key).decrypt(
                wrapped[:_NONCE], wrapped[_NONCE:], b"gonogo-dek/v1\0" + context
            )
        except (InvalidTag, ValueError):
            raise SecretStoreError("a data key does not unwrap with this KEK") from None

    @staticmethod
    def default_file() -> Path:
        return Path(os.environ.get(KEK_FILE_ENV) or DEFAULT_KEK_FILE).expanduser()

    @classmethod
    def load(cls, state_dirs: tuple[Path, ...] = ()) -> LocalKek:
        """From ``GONOGO_KEK`` or the key file; refuses a file under a state directory."""
        raw = os.environ.get(KEK_ENV)
        if raw:
            return cls(_unb64(raw.strip(), KEK_ENV), KEK_ENV)
        path = cls.default_file()
        _refuse_inside(path, state_dirs)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            raise SecretStoreError(
                f"no KEK: set {KEK_ENV} or create one with `gonogo secrets init-kek` (file {path})"
            ) from None
        except OSError as exc:
            raise SecretStoreError(f"cannot open KEK file {path}: {exc.strerror}") from None
        try:
            st = os.fstat(fd)
            if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise SecretStoreError(f"KEK file {path} is readable by others; chmod 600 it")
            data = os.read(fd, 4096)
        finally:
            os.close(fd)
        return cls(_unb64(data.decode("ascii", "replace").strip(), f"KEK file {path}"), str(path))

    @classmethod
    def create(cls, path: Path, state_dirs: tuple[Path, ...] = ()) -> LocalKek:
        """Write a new random KEK to ``path`` (0600, never over an existing one)."""
        _refuse_inside(path, state_dirs)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = pysecrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, (_b64(key) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        return cls(key, str(path))


def _refuse_inside(path: Path, state_dirs: tuple[Path, ...]) -> None:
    target = path.expanduser().resolve()
    for d in state_dirs:
        root = d.expanduser().resolve()
        if target == root or root in target.parents:
            raise SecretStoreError(
                f"the KEK file {path} is inside the state directory {d}: keep it elsewhere"
            )


def write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Atomic and fsynced (file and folder); ``mode`` 0600 unless told otherwise."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        os.fchmod(fd, mode)  # whatever the umask
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def _read_json(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_bytes())
    except ValueError:
        raise SecretStoreError(f"{path.name} is not JSON") from None
    if not isinstance(data, dict):
        raise SecretStoreError(f"{path.name} is not a JSON object")
    return data


def _slot(tenant: str, connector: str) -> str:
    return f"{tenant}/{connector}"


def _aad(tenant: str, connector: str, kid: str) -> bytes:
    return f"gonogo-secret/v1\0{tenant}\0{connector}\0{kid}".encode()


@dataclass(frozen=True)
class RotationReport:
    new_kid: str
    retired: tuple[str, ...]
    reencrypted: int
    steps: tuple[str, ...]


class SealedSecrets:
    """The encrypted store of one state directory (``<home>/secrets``)."""

    def __init__(self, folder: Path, kek: KeyEncryptionKey) -> None:
        self.folder = folder
        self.kek = kek
        self._deks: dict[str, bytes] = {}

    # -- files ---------------------------------------------------------------------------
    @property
    def keyring_path(self) -> Path:
        return self.folder / "keyring.json"

    @property
    def store_path(self) -> Path:
        return self.folder / "store.json"

    @property
    def events_path(self) -> Path:
        return self.folder / "events.jsonl"

    def _keyring(self) -> list[dict[str, Any]]:
        keys = _read_json(self.keyring_path).get("keys", [])
        if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
            raise SecretStoreError("keyring.json: 'keys' must be a list of objects")
        return keys

    def _save_keyring(self, keys: list[dict[str, Any]]) -> None:
        write_private(
            self.keyring_path, json.dumps({"schema": SCHEMA, "keys": keys}, indent=1).encode()
        )

    def _records(self) -> dict[str, dict[str, Any]]:
        recs = _read_json(self.store_path).get("records", {})
        if not isinstance(recs, dict):
            raise SecretStoreError("store.json: 'records' must be an object")
        return recs

    def _save_records(self, recs: dict[str, dict[str, Any]]) -> None:
        body = {"schema": SCHEMA, "records": dict(sorted(recs.items()))}
        write_private(self.store_path, json.dumps(body, indent=1).encode())

    def log_event(self, event: dict[str, Any]) -> None:
        line = json.dumps({"at": _now().isoformat(), **event}, sort_keys=True) + "\n"
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(
            self.events_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600
        )
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def events(self) -> list[dict[str, Any]]:
        if not self.events_path.exists():
            return []
        out: list[dict[str, Any]] = []
        for line in self.events_path.read_text().splitlines():
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if isinstance(ev, dict):
                out.append(ev)
        return out

    # -- keys ----------------------------------------------------------------------------
    def _dek(self, kid: str) -> bytes:
        if kid in self._deks:
            return self._deks[kid]
        entry = next((k for k in self._keyring() if k.get("kid") == kid), None)
        if entry is None or entry.get("state") == "retired" or "wrapped" not in entry:
            raise SecretStoreError(f"data key {kid} is not in the keyring (or retired)")
        if entry.get("kek_id") != self.kek.kek_id:
            raise SecretStoreError(
                f"data key {kid} is wrapped by another KEK ({entry.get('kek_id')})"
            )
        dek = self.kek.unwrap(_unb64(entry["wrapped"], f"wrapped key {kid}"), kid.encode())
        if len(dek) != 32:
            raise SecretStoreError(f"data key {kid} is not 32 bytes")
        self._deks[kid] = dek
        return dek

    def _new_key(self, keys: list[dict[str, Any]], state: str) -> str:
        kid = "dek-" + _now().strftime("%Y%m%d") + "-" + pysecrets.token_hex(4)
        dek = pysecrets.token_bytes(32)
        keys.append(
            {
                "kid": kid,
                "kek_id": self.kek.kek_id,
                "wrapped": _b64(self.kek.wrap(dek, kid.encode())),
                "created_at": _now().isoformat(),
                "state": state,
            }
        )
        self._deks[kid] = dek
        return kid

    def primary_kid(self, *, create: bool = False) -> str:
        keys = self._keyring()
        primary = [k for k in keys if k.get("state") == "primary"]
        if len(primary) > 1:
            raise SecretStoreError("keyring has more than one primary key")
        if primary:
            return str(primary[0]["kid"])
        if not create:
            raise SecretStoreError("keyring has no primary key")
        kid = self._new_key(keys, "primary")
        self._save_keyring(keys)
        return kid

    def keys(self) -> list[dict[str, Any]]:
        """The keyring without wrapped material (for listing and scans)."""
        return [{k: v for k, v in e.items() if k != "wrapped"} for e in self._keyring()]

    # -- records -------------------------------------------------------------------------
    def _seal(self, tenant: str, connector: str, secret: bytes, kid: str) -> dict[str, Any]:
        nonce = pysecrets.token_bytes(_NONCE)
        ct = AESGCM(self._dek(kid)).encrypt(nonce, secret, _aad(tenant, connector, kid))
        return {
            "tenant": tenant,
            "connector": connector,
            "kid": kid,
            "nonce": _b64(nonce),
            "ciphertext": _b64(ct),
            "updated_at": _now().isoformat(),
        }

    def _open(self, rec: dict[str, Any]) -> bytes:
        tenant, connector, kid = rec.get("tenant"), rec.get("connector"), rec.get("kid")
        if not all(isinstance(x, str) for x in (tenant, connector, kid)):
            raise SecretStoreError("a record lacks tenant, connector or kid")
        assert isinstance(tenant, str) and isinstance(connector, str) and isinstance(kid, str)
        try:
            return AESGCM(self._dek(kid)).decrypt(
                _unb64(rec.get("nonce"), "nonce"),
                _unb64(rec.get("ciphertext"), "ciphertext"),
                _aad(tenant, connector, kid),
            )
        except InvalidTag:
            raise SecretStoreError(f"{tenant}/{connector} does not decrypt (tampered?)") from None

    def set(self, tenant: str, connector: str, secret: str, *, actor: str) -> str:
        """Encrypt and store one credential under the primary key; returns the key id."""
        data = secret.encode()
        if not data or len(data) > MAX_SECRET_BYTES:
            raise SecretStoreError(f"a secret must be 1..{MAX_SECRET_BYTES} bytes")
        kid = self.primary_kid(create=True)
        recs = self._records()
        recs[_slot(tenant, connector)] = self._seal(tenant, connector, data, kid)
        self._save_records(recs)
        self.log_event(
            {"command": "set", "who": actor, "tenant": tenant, "connector": connector, "kid": kid}
        )
        return kid

    def get(self, tenant: str, connector: str) -> str | None:
        rec = self._records().get(_slot(tenant, connector))
        return None if rec is None else self._open(rec).decode()

    def items(self) -> Iterator[tuple[str, str, str]]:
        """Every ``(tenant, connector, secret)``, decrypted (raises on any that does not)."""
        for rec in self._records().values():
            yield str(rec.get("tenant")), str(rec.get("connector")), self._open(rec).decode()

    def listing(self) -> list[dict[str, Any]]:
        """Tenant, connector, key id and time of each record; never a secret."""
        return [
            {k: rec.get(k) for k in ("tenant", "connector", "kid", "updated_at")}
            for rec in self._records().values()
        ]

    def check(self) -> list[str]:
        """One line per record that is not a decryptable envelope (empty when all are)."""
        problems: list[str] = []
        for slot, rec in self._records().items():
            if "secret" in rec or "value" in rec or "plaintext" in rec:
                problems.append(f"{slot}: holds a plaintext field")
                continue
            try:
                self._open(rec)
            except SecretStoreError as exc:
                problems.append(f"{slot}: {exc}")
        return problems

    # -- rotation ------------------------------------------------------------------------
    def rotate(self, *, actor: str) -> RotationReport:
        """add → distribute → promote → re-encrypt → retire, each step checked before the next.

        Until the re-encryption is verified, every old key stays able to decrypt, so a crash
        at any step leaves a store that still opens; the log names the steps that completed.
        """
        steps: list[str] = []
        old_records = self._records()
        plain = {slot: self._open(rec) for slot, rec in old_records.items()}  # all must open
        keys = self._keyring()
        old_kids = [str(k["kid"]) for k in keys if k.get("state") in ("primary", "active")]
        new_kid = self._new_key(keys, "active")
        steps.append(f"add {new_kid}")
        self._save_keyring(keys)
        self._deks.pop(new_kid, None)  # distribute: every reader must unwrap it from the file
        self._dek(new_kid)
        steps.append("distribute (keyring written; the new key unwraps from it)")
        for k in keys:
            if k.get("state") == "primary":
                k["state"] = "active"
            if k.get("kid") == new_kid:
                k["state"] = "primary"
        self._save_keyring(keys)
        steps.append(f"promote {new_kid}")
        new_records = {
            slot: self._seal(str(rec["tenant"]), str(rec["connector"]), plain[slot], new_kid)
            for slot, rec in old_records.items()
        }
        self._save_records(new_records)
        reread = self._records()
        for slot, value in plain.items():
            if reread[slot].get("kid") != new_kid or self._open(reread[slot]) != value:
                raise SecretStoreError(f"re-encryption of {slot} did not verify; old keys kept")
        steps.append(f"re-encrypt {len(new_records)} record(s), verified")
        retired: list[str] = []
        for k in keys:
            if k.get("kid") in old_kids:
                k["state"] = "retired"
                k.pop("wrapped", None)  # destroyed: nothing under it remains
                k["retired_at"] = _now().isoformat()
                retired.append(str(k["kid"]))
                self._deks.pop(str(k["kid"]), None)
        self._save_keyring(keys)
        steps.append(f"retire {', '.join(retired) or 'nothing'}")
        self.log_event(
            {
                "command": "rotate",
                "who": actor,
                "new_kid": new_kid,
                "retired": retired,
                "reencrypted": len(new_records),
                "steps": steps,
            }
        )
        return RotationReport(new_kid, tuple(retired), len(new_records), tuple(steps))
