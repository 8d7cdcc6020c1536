"""Adapters that put the enforcement agent in front of other agents (Claude Code hook, MCP)."""
