"""Per-tenant connector credentials, held by the agent and never handed to the model.

At rest they live encrypted in ``GONOGO_HOME/secrets/`` (``enforcement_agent.secretbox``:
AES-GCM envelopes under wrapped data keys; ``gonogo secrets set/list/rotate/verify``) and are
decrypted into this in-memory store when an agent is built. The old plaintext file
(``GONOGO_HOME/connector_credentials.json``, mode 0600)::

    {"acme": {"github": "ghp_...", "jira": "..."}, "globex": {"github": "..."}}

is read only by ``gonogo secrets migrate`` (which encrypts it and removes it); an agent refuses
to load it, and ``gonogo secrets verify`` fails while it exists.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from enforcement_agent.secretbox import KeyEncryptionKey, SealedSecrets, SecretStoreError

LEGACY_FILE = "connector_credentials.json"
SECRETS_DIR = "secrets"


class CredentialError(Exception):
    pass


@dataclass
class CredentialStore:
    _creds: dict[tuple[str, str], str] = field(default_factory=dict)
    # Why nothing could be loaded (e.g. no KEK): every lookup fails with it instead of a
    # misleading "no credential configured".
    unavailable: str | None = None

    def set(self, tenant: str, connector: str, secret: str) -> None:
        self._creds[(tenant, connector)] = secret

    def get(self, tenant: str, connector: str) -> str | None:
        if self.unavailable is not None:
            raise CredentialError(f"credentials unavailable: {self.unavailable}")
        return self._creds.get((tenant, connector))

    def secrets_of(self, tenant: str, connector: str) -> list[str]:
        """The held value split on whitespace (a webhook's secrets while one is rotated)."""
        value = self._creds.get((tenant, connector))
        return value.split() if value else []

    @classmethod
    def from_sealed(cls, sealed: SealedSecrets) -> CredentialStore:
        store = cls()
        for tenant, connector, secret in sealed.items():
            store.set(tenant, connector, secret)
        return store

    @classmethod
    def load(cls, home: Path, kek: KeyEncryptionKey | None) -> CredentialStore:
        """The credentials of the state directory ``home`` (never raises).

        A plaintext legacy file, a store without a KEK, or a record that does not decrypt
        makes the store unavailable: connector calls then fail with that reason.
        """
        if (home / LEGACY_FILE).exists():
            return cls(unavailable=f"plaintext {LEGACY_FILE} found: run `gonogo secrets migrate`")
        folder = home / SECRETS_DIR
        if not (folder / "store.json").exists():
            return cls()
        if kek is None:
            return cls(unavailable="no key-encryption key (set GONOGO_KEK or GONOGO_KEK_FILE)")
        try:
            return cls.from_sealed(SealedSecrets(folder, kek))
        except SecretStoreError as exc:
            return cls(unavailable=str(exc))

    def items(self) -> list[tuple[str, str, str]]:
        """Every ``(tenant, connector, secret)`` held."""
        return [(t, c, v) for (t, c), v in sorted(self._creds.items())]

    def all_secrets(self) -> list[str]:
        """Every held value, so the redactor can treat them as known secrets."""
        return sorted(set(self._creds.values()))

    @classmethod
    def from_file(cls, path: Path) -> CredentialStore:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            st = os.fstat(fd)
            if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise CredentialError(
                    f"{path} is readable by group/others (mode {oct(st.st_mode & 0o777)}); "
                    "chmod 600 it"
                )
            raw = os.read(fd, 1 << 20)
        finally:
            os.close(fd)
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise CredentialError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
        store = cls()
        if not isinstance(data, dict):
            raise CredentialError(f"{path}: expected an object of tenants")
        for tenant, conns in data.items():
            if not isinstance(conns, dict):
                raise CredentialError(f"{path}: tenant {tenant!r} must map connector -> secret")
            for conn, secret in conns.items():
                if not isinstance(secret, str) or not secret:
                    raise CredentialError(f"{path}: {tenant}/{conn} must be a non-empty string")
                store.set(tenant, conn, secret)
        return store
