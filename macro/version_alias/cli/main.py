"""`version-alias`: render, diff, check and lint templates as CloudFormation would see them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .commands import check, diff, lint, prune, render

Command = tuple[str, str, Callable[[argparse.ArgumentParser], None], Callable[..., int]]


def _commands() -> list[Command]:
    return [
        (
            "render",
            "render a template through SAM (if asked) and VersionAlias",
            render.add_arguments,
            render.run,
        ),
        (
            "diff",
            "say which functions a deploy publishes a new version of, and why",
            diff.add_arguments,
            diff.run,
        ),
        (
            "prune",
            "delete old published versions that nothing uses",
            prune.add_arguments,
            prune.run,
        ),
        (
            "check",
            "report invocation sites that run $LATEST",
            check.add_arguments,
            check.run,
        ),
        (
            "lint",
            "render, then cfn-lint with the VersionAlias rules",
            lint.add_arguments,
            lint.run,
        ),
    ]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="version-alias",
        description="Preview and check what the VersionAlias macro does to a template.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, summary, add_arguments, run in _commands():
        command = sub.add_parser(name, help=summary, description=summary)
        add_arguments(command)
        command.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Exit codes: 0 success, 1 a template problem, 2 a usage error."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
