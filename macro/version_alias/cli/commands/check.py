"""`version-alias check TEMPLATE...`: report invocation sites that still run `$LATEST`.

A template that lists VersionAlias in its Transform is checked as CloudFormation will
see it, after rendering; any other template (rendered output, or one that never uses the
macro) is checked as it is. Exit codes: 0 no findings, 1 findings (or a template that
cannot be read), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys

from ...invokers.checker import check
from ..support.common import (
    EXIT_OK,
    EXIT_TEMPLATE,
    add_context_arguments,
    context_from,
    error,
    path_argument,
)
from ..support.pipeline import MACRO, TEMPLATE_ERRORS, render_file, transforms_of
from ..support.template_io import load_template


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("templates", nargs="+", metavar="TEMPLATE", help="template files, or -")
    add_context_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    context = context_from(args)
    status = EXIT_OK
    report: list[dict[str, str]] = []
    for name in args.templates:
        try:
            template = load_template(name)
            if MACRO in transforms_of(template):
                rendered = render_file(
                    path_argument(name), context, args.allow_missing_artifacts, template
                )
                template = rendered.template
        except TEMPLATE_ERRORS as problem:
            error(str(problem))
            status = EXIT_TEMPLATE
            continue
        for finding in check(template):
            status = EXIT_TEMPLATE
            report.append(
                {"template": name, "location": finding.location, "message": finding.message}
            )
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        for item in report:
            sys.stdout.write(f"{item['template']}: {item['location']}: {item['message']}\n")
        if report:
            print(
                f"{len(report)} invocation site(s) run $LATEST. Add VersionAlias to the "
                "template's Transform, or point them at an alias.",
                file=sys.stderr,
            )
    return status
