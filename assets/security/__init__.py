"""The security domain: the threat model as data, secrets at rest and the CI suite (WS1)."""
