"""Per-tenant connector credentials, held by the agent and never handed to the model.

File format (``GONOGO_HOME/connector_credentials.json``, mode 0600)::

    {"acme": {"github": "ghp_...", "jira": "..."}, "globex": {"github": "..."}}
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


class CredentialError(Exception):
    pass


@dataclass
class CredentialStore:
    _creds: dict[tuple[str, str], str] = field(default_factory=dict)

    def set(self, tenant: str, connector: str, secret: str) -> None:
        self._creds[(tenant, connector)] = secret

    def get(self, tenant: str, connector: str) -> str | None:
        return self._creds.get((tenant, connector))

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
