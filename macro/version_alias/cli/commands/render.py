"""`version-alias render TEMPLATE`: the processed template, as CloudFormation would see it.

Warnings go to stderr: the same ones `diff` shows (what a version ID cannot see: SSM
parameter types, NoEcho values, dynamic references, imports), and what the macro did that
a deploy will notice (function URLs moved to the alias, CodeDeploy hook roles).
"""

from __future__ import annotations

import argparse

from ..support.common import (
    EXIT_OK,
    EXIT_TEMPLATE,
    EXIT_USAGE,
    OutputError,
    add_context_arguments,
    error,
    path_argument,
    settings_from,
    warn,
    write_output,
)
from ..support.hash_warnings import function_warnings
from ..support.parameters import ParameterError
from ..support.pipeline import TEMPLATE_ERRORS, render_file
from ..support.template_io import dump_template, load_template
from . import size_limits

EPILOG = "exit codes: 0 rendered, 1 the template cannot be rendered, 2 usage"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", help="template file (YAML or JSON), or - for stdin")
    add_context_arguments(parser)
    parser.add_argument("--format", choices=("yaml", "json"), default="yaml")
    parser.add_argument("-o", "--output", help="write here instead of stdout (- for stdout)")
    size_limits.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        template = load_template(args.template)
        context = settings.context(template, args.template)
        rendered = render_file(
            path_argument(args.template), context, settings.options, template=template
        )
    except ParameterError as problem:
        error(str(problem))
        return EXIT_USAGE
    except TEMPLATE_ERRORS as problem:
        error(str(problem))
        return EXIT_TEMPLATE
    problems = size_limits.problems(args, rendered.template)
    for message in problems:
        error(f"{args.template}: {message}")
    if problems:
        return EXIT_TEMPLATE
    for message in [*rendered.warnings, *function_warnings(rendered.pre_macro, context)]:
        warn(message)
    try:
        write_output(dump_template(rendered.template, args.format), args.output)
    except OutputError as problem:
        error(str(problem))
        return EXIT_USAGE
    return EXIT_OK
