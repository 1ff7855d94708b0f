"""Arguments and output handling shared by the subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...context import TransformContext
from .artifacts import ArtifactOptions
from .parameters import DEFAULT_CONFIG_ENV, ParameterSource, for_template
from .pipeline import MACRO_ENV, RenderOptions, default_macro_name

EXIT_OK, EXIT_TEMPLATE, EXIT_USAGE, EXIT_AWS = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as shells report `| head`


def add_context_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--parameter",
        "-p",
        action="append",
        default=[],
        type=parameter_pair,
        metavar="KEY=VALUE",
        help="a template parameter value (repeatable; wins over --parameters); others use "
        "their Default. A key the template does not declare is refused",
    )
    add_parameter_file_arguments(parser)
    parser.add_argument("--region", default="us-east-1", help="region for AWS::Region")
    parser.add_argument("--account", default="123456789012", help="account for AWS::AccountId")
    parser.add_argument(
        "--allow-missing-artifacts",
        action="store_true",
        help="hash a local CodeUri/ContentUri that does not exist by its path, with a warning "
        "(for reading a template without its code); default: an error",
    )
    add_macro_name_argument(parser)


def add_parameter_file_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--parameters",
        action="append",
        default=[],
        metavar="FILE",
        help="parameter values from a file, as deploys read them (repeatable, later files "
        "win): CloudFormation's JSON [{ParameterKey, ParameterValue}], a CodePipeline "
        "template configuration {Parameters: {...}}, or samconfig.toml/.yaml "
        "(parameter_overrides)",
    )
    parser.add_argument(
        "--config-env",
        default=DEFAULT_CONFIG_ENV,
        metavar="ENV",
        help="the samconfig environment to read parameter_overrides from (default: default)",
    )


def add_macro_name_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--macro-name",
        default=None,
        metavar="NAME",
        help=f"the name the macro is deployed under, as templates list it in Transform "
        f"(default: ${MACRO_ENV}, else VersionAlias)",
    )


def macro_name(args: argparse.Namespace) -> str:
    return getattr(args, "macro_name", None) or default_macro_name()


def path_argument(name: str) -> Path | None:
    """`-` means stdin."""
    return None if name == "-" else Path(name)


def parameter_pair(text: str) -> tuple[str, str]:
    """`KEY=VALUE`; argparse turns the error into a usage message and exit code 2."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"{text.split('=')[0]!r} is not KEY=VALUE")
    return key, value


@dataclass(frozen=True)
class Settings:
    """What the common arguments ask for, before any template is read."""

    region: str
    account: str
    parameters: ParameterSource
    options: RenderOptions

    def context(
        self,
        template: Mapping[str, Any],
        where: str,
        values: Mapping[str, str] | None = None,
        strict: bool = True,
    ) -> TransformContext:
        """The context for one template: its declared parameters' values. `strict`: a key
        it does not declare raises ParameterError (see parameters.for_template)."""
        given = self.parameters.values() if values is None else values
        return TransformContext(
            region=self.region,
            account_id=self.account,
            parameter_values=for_template(given, template, where, strict),
        )


def settings_from(
    args: argparse.Namespace, read_code: bool = True, as_if_macro: bool = True
) -> Settings:
    source = ParameterSource(
        files=tuple(args.parameters), pairs=tuple(args.parameter), config_env=args.config_env
    )
    artifacts = ArtifactOptions(allow_missing=args.allow_missing_artifacts, read_code=read_code)
    options = RenderOptions(
        macro_name=macro_name(args), as_if_macro=as_if_macro, artifacts=artifacts
    )
    return Settings(args.region, args.account, source, options)


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


class OutputError(Exception):
    """`-o FILE` cannot be written; the message names the file and how to fix it."""


def write_output(text: str, destination: str | None) -> None:
    if destination in (None, "-"):
        sys.stdout.write(text)
        return
    path = Path(destination)
    if not path.parent.is_dir():
        raise OutputError(
            f"{destination}: cannot write: folder {path.parent} does not exist. "
            "Fix: create it, or write to another path"
        )
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as problem:
        raise OutputError(
            f"{destination}: cannot write ({problem.strerror or problem}). "
            "Fix: write to a path you can write to"
        ) from None
