"""Reading the template: its shape, the VersionAlias options, property paths, function names,
dependencies.

Decides whether a template can be processed and how it spells its functions; imports only
`errors`, `context` and `data`.
"""
