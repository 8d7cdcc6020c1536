"""Connector gateway: provider API calls with the tenant's credential, rate-limited, redacted."""

from enforcement_agent.connectors.credentials import CredentialError, CredentialStore
from enforcement_agent.connectors.gateway import ConnectorGateway, ConnectorResponse
from enforcement_agent.connectors.ratelimit import RateLimiter
from enforcement_agent.connectors.spec import (
    DEFAULT_CONNECTORS,
    ConnectorRequestError,
    ConnectorSpec,
    OperationSpec,
)

__all__ = [
    "DEFAULT_CONNECTORS",
    "ConnectorGateway",
    "ConnectorRequestError",
    "ConnectorResponse",
    "ConnectorSpec",
    "CredentialError",
    "CredentialStore",
    "OperationSpec",
    "RateLimiter",
]
