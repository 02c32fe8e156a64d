"""The core every domain stands on: time in Europe/Amsterdam, the audit log, access rules and signals.

Core imports no domain package. Domains import core and the domains below them (docs/architecture.md).
"""
