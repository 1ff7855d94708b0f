"""Arguments and output handling shared by the subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..context import TransformContext

EXIT_OK, EXIT_TEMPLATE, EXIT_USAGE = 0, 1, 2


def add_context_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--parameter",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a template parameter value (repeatable); others use their Default",
    )
    parser.add_argument("--region", default="us-east-1", help="region for AWS::Region")
    parser.add_argument("--account", default="123456789012", help="account for AWS::AccountId")
    parser.add_argument(
        "--allow-missing-artifacts",
        action="store_true",
        help="hash a local CodeUri/ContentUri that does not exist by its path, with a warning "
        "(for reading a template without its code); default: an error",
    )


def path_argument(name: str) -> Path | None:
    """`-` means stdin."""
    return None if name == "-" else Path(name)


def parse_parameters(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--parameter {pair!r} is not KEY=VALUE")
        values[key] = value
    return values


def context_from(args: argparse.Namespace) -> TransformContext:
    return TransformContext(
        region=args.region,
        account_id=args.account,
        parameter_values=parse_parameters(args.parameter),
    )


class UsageError(Exception):
    """Bad command-line use: exit code 2."""


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def write_output(text: str, destination: str | None) -> None:
    if destination in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(destination).write_text(text, encoding="utf-8")
