"""Deciding the version: resolved values (and resolved settings), resource identities, the
hash, NoEcho, the stamp, IDs.

Decides when a function publishes and what its Version and Alias are called; imports
`template`, `data`, `errors` and `context`.
"""
