"""Pointing invokers at the alias: the versions placed, earlier versions taken over, catalog
sites, references, the rewrite, permissions paired with their callers, IAM, ordering,
retention, exports, the checker.

Decides which version and alias each function gets (a template's earlier versions and
their aliases included), which values invoke a function and what they invoke after the
macro ran, and what cannot be fixed; imports `versioning`, `template`, `data`, `notes` and
`errors`.
"""
