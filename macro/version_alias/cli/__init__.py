"""The local `version-alias` CLI (not shipped in the Lambda): `commands/` and `support/`.

Each command is a thin adapter around the core (`transform`, `invokers.checker`); it may
import any core stage, and nothing in the core imports the CLI.
"""
