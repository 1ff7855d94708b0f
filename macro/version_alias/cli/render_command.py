"""`version-alias render TEMPLATE`: the processed template, as CloudFormation would see it."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import TransformError
from .artifacts import ArtifactError
from .common import (
    EXIT_OK,
    EXIT_TEMPLATE,
    EXIT_USAGE,
    UsageError,
    add_context_arguments,
    context_from,
    error,
    warn,
    write_output,
)
from .pipeline import RenderError, render
from .sam_translate import SamTranslateError
from .template_io import TemplateLoadError, dump_template, load_template


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", help="template file (YAML or JSON), or - for stdin")
    add_context_arguments(parser)
    parser.add_argument("--format", choices=("yaml", "json"), default="yaml")
    parser.add_argument(
        "--allow-missing-artifacts",
        action="store_true",
        help="hash a local CodeUri/ContentUri that does not exist by its path, with a warning "
        "(for reading a template without its code); default: an error",
    )
    parser.add_argument("-o", "--output", help="write here instead of stdout (- for stdout)")


def template_folder(name: str) -> Path:
    """Local artifact paths are relative to the template's folder (stdin: the cwd)."""
    return Path.cwd() if name == "-" else Path(name).resolve().parent


def run(args: argparse.Namespace) -> int:
    try:
        context = context_from(args)
    except UsageError as problem:
        error(str(problem))
        return EXIT_USAGE
    try:
        template = load_template(args.template)
        rendered = render(
            template,
            context,
            base=template_folder(args.template),
            allow_missing_artifacts=args.allow_missing_artifacts,
        )
    except (TemplateLoadError, RenderError, SamTranslateError, ArtifactError) as problem:
        error(str(problem))
        return EXIT_TEMPLATE
    except TransformError as problem:
        error(f"{args.template}: {problem}")
        return EXIT_TEMPLATE
    for message in rendered.warnings:
        warn(message)
    write_output(dump_template(rendered.template, args.format), args.output)
    return EXIT_OK
