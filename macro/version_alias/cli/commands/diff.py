"""`version-alias diff OLD NEW`: which functions a deploy will publish a new version of, and why.

Both templates go through the same pipeline as `render` (SAM first when asked). OLD may
be a git revision such as `HEAD:template.yaml`. Exit 0, or with `--exit-code` 1 when any
function publishes a new version (errors: 1 for a template problem, 2 for usage).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ...context import TransformContext
from ...errors import TransformError
from ..support.common import (
    EXIT_OK,
    EXIT_TEMPLATE,
    EXIT_USAGE,
    add_context_arguments,
    context_from,
    error,
)
from ..support.git_source import GitSourceError, checked_out, is_revision_spec
from ..support.pipeline import TEMPLATE_ERRORS, Rendered, render_file
from .diff_format import as_json, as_text
from .diff_report import compare

EXIT_NEW_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", help="the deployed template: a file, or a git REVISION:PATH")
    parser.add_argument("new", help="the template to deploy: a file, or a git REVISION:PATH")
    add_context_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when any function will publish a new version",
    )


@contextmanager
def _located(argument: str) -> Iterator[Path | None]:
    """The template's path (None for stdin), from the file system or a git revision."""
    if is_revision_spec(argument):
        with checked_out(argument) as path:
            yield path
    else:
        yield None if argument == "-" else Path(argument)


def render_side(argument: str, context: TransformContext, allow_missing: bool) -> Rendered:
    with _located(argument) as path:
        return render_file(path, context, allow_missing)


def run(args: argparse.Namespace) -> int:
    context = context_from(args)
    if args.old == "-" and args.new == "-":
        error("only one of OLD and NEW can be read from stdin")
        return EXIT_USAGE
    try:
        old = render_side(args.old, context, args.allow_missing_artifacts)
        new = render_side(args.new, context, args.allow_missing_artifacts)
        diffs = compare(old.pre_macro, new.pre_macro, context)
    except (*TEMPLATE_ERRORS, GitSourceError, TransformError) as problem:
        error(str(problem))
        return EXIT_TEMPLATE
    warnings = list(dict.fromkeys([*old.warnings, *new.warnings]))
    text = as_json(diffs, warnings) if args.format == "json" else as_text(diffs, warnings)
    print(text, end="")
    if args.exit_code and any(diff.publishes for diff in diffs):
        return EXIT_NEW_VERSION
    return EXIT_OK
