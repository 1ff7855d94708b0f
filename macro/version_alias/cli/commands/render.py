"""`version-alias render TEMPLATE`: the processed template, as CloudFormation would see it."""

from __future__ import annotations

import argparse

from ..support.common import (
    EXIT_OK,
    EXIT_TEMPLATE,
    add_context_arguments,
    context_from,
    error,
    path_argument,
    warn,
    write_output,
)
from ..support.pipeline import TEMPLATE_ERRORS, render_file
from ..support.template_io import dump_template
from . import size_limits


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", help="template file (YAML or JSON), or - for stdin")
    add_context_arguments(parser)
    parser.add_argument("--format", choices=("yaml", "json"), default="yaml")
    parser.add_argument("-o", "--output", help="write here instead of stdout (- for stdout)")
    size_limits.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    context = context_from(args)
    try:
        rendered = render_file(path_argument(args.template), context, args.allow_missing_artifacts)
    except TEMPLATE_ERRORS as problem:
        error(str(problem))
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
