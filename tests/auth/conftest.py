"""Fixtures of the auth suite (the harness itself is ``tests/auth/harness.py``)."""

from tests.auth.harness import auth_server

__all__ = ["auth_server"]
