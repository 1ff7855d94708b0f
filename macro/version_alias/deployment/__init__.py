"""Deployment settings on the alias: CodeDeploy traffic shifting and provisioned concurrency.

Decides what the alias carries besides its version; imports `invokers`, `versioning`,
`template`, `data` and `errors`.
"""
