"""Pointing invokers at the alias: catalog sites, references, the rewrite, IAM, the checker.

Decides which values invoke a function and what they invoke after the macro ran (existing
aliases included); imports `versioning`, `template`, `data` and `errors`.
"""
