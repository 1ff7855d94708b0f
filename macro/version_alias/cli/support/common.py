"""Arguments and output handling shared by the subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...context import TransformContext

EXIT_OK, EXIT_TEMPLATE, EXIT_USAGE = 0, 1, 2


def add_context_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--parameter",
        "-p",
        action="append",
        default=[],
        type=parameter_pair,
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


def parameter_pair(text: str) -> tuple[str, str]:
    """`KEY=VALUE`; argparse turns the error into a usage message and exit code 2."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE")
    return key, value


def context_from(args: argparse.Namespace) -> TransformContext:
    return TransformContext(
        region=args.region,
        account_id=args.account,
        parameter_values=dict(args.parameter),
    )


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def write_output(text: str, destination: str | None) -> None:
    if destination in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(destination).write_text(text, encoding="utf-8")
