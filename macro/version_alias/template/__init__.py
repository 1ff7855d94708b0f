"""Reading the template: its shape, the VersionAlias options, property paths, function names,
qualifiers as they deploy, dependencies.

Decides whether a template can be processed and how it spells its functions; imports only
`errors`, `context` and `data`.
"""
