"""`version-alias render TEMPLATE`: the processed template, as CloudFormation would see it."""

from __future__ import annotations

import argparse

from ..errors import TransformError
from . import size_limits
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
    parser.add_argument("-o", "--output", help="write here instead of stdout (- for stdout)")
    size_limits.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    try:
        context = context_from(args)
    except UsageError as problem:
        error(str(problem))
        return EXIT_USAGE
    try:
        template = load_template(args.template)
        rendered = render(template, context)
    except (TemplateLoadError, RenderError, SamTranslateError) as problem:
        error(str(problem))
        return EXIT_TEMPLATE
    except TransformError as problem:
        error(f"{args.template}: {problem}")
        return EXIT_TEMPLATE
    problems = size_limits.problems(args, rendered.template)
    for message in problems:
        error(f"{args.template}: {message}")
    if problems:
        return EXIT_TEMPLATE
    for message in rendered.warnings:
        warn(message)
    write_output(dump_template(rendered.template, args.format), args.output)
    return EXIT_OK
