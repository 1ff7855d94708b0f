"""One module per subcommand (`render`, `diff`, `check`, `lint`, `prune`) and its own helpers.

Commands import `cli.support` and the core; no command imports another.
"""
