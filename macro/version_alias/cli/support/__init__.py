"""What the subcommands share: template I/O, the render pipeline, SAM, local artifacts, git.

Support modules import the core and each other, never `cli.commands`.
"""
